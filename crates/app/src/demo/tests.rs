use super::*;

#[test]
fn the_content_reads_and_keeps_the_seed() {
    let content: Content = serde_json::from_str(CONTENT).unwrap();
    // The seed: six departments, five presentations and the exchange, four parks, two
    // success stories, and more than sixty companies.
    assert_eq!(content.departments.len(), 6);
    assert_eq!(content.sessions.len(), 6);
    assert_eq!(
        content
            .sessions
            .iter()
            .filter(|s| s.kind == "exchange")
            .count(),
        1
    );
    let value: serde_json::Value = serde_json::from_str(DIRECTORY).unwrap();
    let records = roadshow_domain::directory::file::read_json(&value).unwrap();
    let of = |kind: &str| {
        records
            .iter()
            .filter(|r| r.kind.as_deref() == Some(kind))
            .count()
    };
    assert_eq!((of("park"), of("story")), (4, 2));
    assert!(of("policy") >= 10);
    let plan = roadshow_domain::directory::file::plan(&records, &Default::default()).unwrap();
    // The seed's two policies are real; what the demo invents is marked sample.
    assert!(
        plan.policies
            .iter()
            .any(|(p, _, _)| p.slug == "two-zones" && !p.is_sample)
    );
    assert!(
        plan.policies
            .iter()
            .filter(|(p, _, _)| !p.criteria.is_empty())
            .all(|(p, _, _)| p.is_sample)
    );
    assert!(plan.parks.iter().all(|p| p.is_sample));
    assert!(content.registrations.len() > 60);
    for d in &content.departments {
        assert_eq!(d.name.0.len(), 4, "{:?} in four languages", d.slug);
    }
    // Every invented company is a sample: the loader marks all registrations so.
    assert!(
        content
            .questions
            .iter()
            .any(|q| q.fate == Fate::Answered && q.answer.is_some())
    );
}
