use super::*;

#[test]
fn lost_needs_a_reason_and_others_drop_it() {
    let lost = StageInput {
        stage: Some("lost".into()),
        lost_reason: None,
    };
    assert_eq!(lost.parse().unwrap_err().0[0].field, "lost_reason");
    let moved = StageInput {
        stage: Some("site_visit".into()),
        lost_reason: Some("x".into()),
    };
    assert_eq!(moved.parse().unwrap(), (Stage::SiteVisit, None));
}

#[test]
fn rules_assign_in_order() {
    let rules = parse_rules(
        &[
            RuleInput {
                field: Some("country".into()),
                value: Some("at".into()),
                owner_id: Some(2),
            },
            RuleInput {
                field: Some("sector".into()),
                value: Some("automotive".into()),
                owner_id: Some(3),
            },
        ],
        &[AccountId(2), AccountId(3)],
    )
    .unwrap();
    assert_eq!(
        assign(&rules, Some("automotive"), &[], "AT"),
        Some(AccountId(2))
    );
    assert_eq!(
        assign(&rules, Some("automotive"), &[], "DE"),
        Some(AccountId(3))
    );
    assert_eq!(assign(&rules, Some("finance"), &[], "DE"), None);
    let err = parse_rules(
        &[RuleInput {
            field: Some("mood".into()),
            value: Some("x".into()),
            owner_id: Some(9),
        }],
        &[AccountId(2)],
    )
    .unwrap_err();
    assert_eq!(err.0[0].field, "rules.0.field");
}

#[test]
fn changes_name_each_field() {
    let before = Project::default();
    let after = ProjectDraft {
        project: Project {
            jobs: Some(40),
            notes: "Visit in May".into(),
            ..Default::default()
        },
        owner_id: Some(AccountId(4)),
    };
    let fields: Vec<_> = project_changes(&before, None, &after)
        .into_iter()
        .map(|c| c.field)
        .collect();
    assert_eq!(fields, vec!["owner", "jobs", "notes"]);
}

#[test]
fn project_input_names_bad_fields() {
    let err = ProjectInput {
        sector: Some("mining".into()),
        capex_cny: Some(-1),
        next_step_due: Some("31.12.2026".into()),
        target_park_id: Some(5),
        ..Default::default()
    }
    .parse(&[], &[])
    .unwrap_err();
    let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec!["sector", "capex_cny", "target_park_id", "next_step_due"]
    );
}
