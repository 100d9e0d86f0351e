//! The report's polls split by the voters' companies, on both databases: recomputed in
//! the test from each participant's own votes and registration, in the JSON and in the
//! `poll_splits` table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_domain::registrations::RegistrationFilter;
use roadshow_testkit::{Db, TestApp};
use std::collections::BTreeMap;

const REPORT: &str = "/api/v1/events/two-zones-germany/report";

async fn polls_split_by_the_voters_companies_add_up(db: Db) {
    let t = TestApp::with_demo(db).await;
    let store = &t.app.store;
    let event = store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    // Votes per poll, country and option, from each registration's own choices.
    let mut expected: BTreeMap<(i64, String), (u64, Vec<u64>)> = BTreeMap::new();
    let polls = store.polls(event.id).await.unwrap();
    for r in store
        .registrations(event.id, &RegistrationFilter::default())
        .await
        .unwrap()
    {
        for (poll, choices) in store
            .poll_choices(event.id, r.participant_id)
            .await
            .unwrap()
        {
            let options = polls.iter().find(|p| p.id == poll).unwrap().options.len();
            let e = expected
                .entry((poll.0, r.company.country.clone()))
                .or_insert((0, vec![0; options]));
            e.0 += 1;
            for c in choices {
                e.1[c] += 1;
            }
        }
    }
    assert!(!expected.is_empty(), "the demo's polls have votes");

    let organiser = t.token("organiser@roadshow.example").await;
    let report = t.get_as(REPORT, &organiser).await.json();
    let mut got: BTreeMap<(i64, String), (u64, Vec<u64>)> = BTreeMap::new();
    for p in report["polls"].as_array().unwrap() {
        let id = p["poll_id"].as_i64().unwrap();
        let mut voters = 0;
        for s in p["by_country"].as_array().unwrap() {
            let votes: Vec<u64> = s["votes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            voters += s["voters"].as_u64().unwrap();
            got.insert(
                (id, s["key"].as_str().unwrap().to_string()),
                (s["voters"].as_u64().unwrap(), votes),
            );
        }
        // Every voter is in one country's group; industries and sizes hold them too.
        assert_eq!(voters, p["voters"].as_u64().unwrap(), "{p}");
        for by in ["by_industry", "by_size"] {
            let n: u64 = p[by]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["voters"].as_u64().unwrap())
                .sum();
            assert_eq!(n, voters, "{by}");
        }
    }
    assert_eq!(got, expected);

    // The table: a row per poll, split, group and option.
    let csv = t
        .get_as(&format!("{REPORT}/tables/poll_splits"), &organiser)
        .await;
    assert_eq!(csv.status.as_u16(), 200);
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some("poll_id,question,by,key,label,voters,option,votes")
    );
    let options: usize = report["polls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let groups: usize = ["by_country", "by_industry", "by_size"]
                .iter()
                .map(|by| p[*by].as_array().unwrap().len())
                .sum();
            groups * p["options"].as_array().unwrap().len()
        })
        .sum();
    assert_eq!(lines.count(), options);
}

roadshow_testkit::on_both_databases!(polls_split_by_the_voters_companies_add_up,);
