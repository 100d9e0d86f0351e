//! Polls over HTTP, on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_testkit::questions::*;
use roadshow_testkit::{TestApp, on_both};
use serde_json::{Value, json};

on_both!(polls_take_one_vote_per_participant_and_show_results_when_told,);

async fn polls_take_one_vote_per_participant_and_show_results_when_told(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let hans = t.participant("hans@example.de", "Hans Other").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let polls = format!("/api/v1/events/{SLUG}/polls");
    // Too few options, named.
    let r = t
        .json(
            "POST",
            &polls,
            Some(&organiser),
            &json!({"question": {"en": "Where?"}, "options": [{"en": "Shunyi"}]}).to_string(),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("options"))
    );
    let r = t
        .json("POST", &polls, Some(&organiser), &json!({"question": {"en": "Where would you invest?", "de": "Wo würden Sie investieren?"}, "options": [{"en": "Shunyi"}, {"en": "Fengtai"}, {"en": "Elsewhere"}]}).to_string())
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_i64().unwrap();
    // A draft is not public and takes no votes.
    let public = t.get(&polls).await.json();
    assert!(
        !public["polls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id)
    );
    let vote = |token: String, choices: Value| {
        let t = &t;
        async move {
            t.json(
                "POST",
                &format!("/api/v1/polls/{id}/votes"),
                Some(&token),
                &json!({"choices": choices}).to_string(),
            )
            .await
        }
    };
    assert_eq!(vote(erika.clone(), json!([0])).await.status, 404);
    t.json(
        "POST",
        &format!("/api/v1/polls/{id}/state"),
        Some(&organiser),
        r#"{"action":"open"}"#,
    )
    .await;
    let r = vote(erika.clone(), json!([0, 1])).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["code"].as_str()),
        (422, Some("one_choice_only"))
    );
    assert_eq!(vote(erika.clone(), json!([7])).await.status, 422);
    let r = vote(erika.clone(), json!([0])).await.json();
    assert_eq!(
        r["poll"]["counts"],
        Value::Null,
        "results hidden until shown"
    );
    vote(erika.clone(), json!([1])).await; // changes her answer, still one vote
    vote(hans.clone(), json!([1])).await;
    let staff = t.get_as(&polls, &organiser).await.json();
    let p = staff["polls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(
        (p["counts"].clone(), p["voters"].as_i64()),
        (json!([0, 2, 0]), Some(2))
    );
    t.json(
        "POST",
        &format!("/api/v1/polls/{id}/state"),
        Some(&organiser),
        r#"{"action":"show_results"}"#,
    )
    .await;
    let p = t.get(&polls).await.json()["polls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(p["counts"], json!([0, 2, 0]));
    t.json(
        "POST",
        &format!("/api/v1/polls/{id}/state"),
        Some(&organiser),
        r#"{"action":"close"}"#,
    )
    .await;
    let r = vote(hans.clone(), json!([2])).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["code"].as_str()),
        (422, Some("poll_not_open"))
    );
    // A participant cannot run polls.
    let r = t
        .json(
            "POST",
            &format!("/api/v1/polls/{id}/state"),
            Some(&erika),
            r#"{"action":"open"}"#,
        )
        .await;
    assert_eq!(r.status, 403);
}
