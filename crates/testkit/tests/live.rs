//! The live stream over HTTP, on SQLite and on PostgreSQL: replay after a reconnection,
//! exactly what was missed, once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::questions::*;
use roadshow_testkit::{TestApp, on_both, open_stream};
use serde_json::json;
use std::time::Duration;

on_both!(the_stream_replays_what_a_reconnecting_client_missed_once,);

fn stream_request(token: Option<&str>, last_event_id: Option<i64>) -> Request<Body> {
    let mut b = Request::get(format!("/api/v1/events/{SLUG}/live"));
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    if let Some(id) = last_event_id {
        b = b.header("last-event-id", id.to_string());
    }
    b.body(Body::empty()).unwrap()
}

async fn the_stream_replays_what_a_reconnecting_client_missed_once(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let hans = t.participant("hans@example.de", "Hans Other").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let short = Duration::from_millis(400);
    let mut public = open_stream(&t.router, stream_request(Some(&hans), None)).await;
    let mut staff = open_stream(&t.router, stream_request(Some(&moderator), None)).await;
    assert_eq!(public.status, 200);
    let q = ask(
        &t,
        &erika,
        json!({"text": "Is the Sino-German park still taking tenants?"}),
    )
    .await;
    let id = q["id"].as_i64().unwrap();
    // Only staff hear of a question waiting for moderation.
    let e = staff.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(e.event, "question_submitted");
    assert_eq!(e.json()["author_name"], "Erika Muster");
    assert!(public.next(short).await.is_none());
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    let e = public.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(e.event, "question_approved");
    assert_eq!(e.json()["id"], id);
    assert!(e.json().get("author_name").is_none());
    let seen = e.id.unwrap();
    // The client goes away; meanwhile votes, an answer and a pin happen.
    drop(public);
    t.json(
        "POST",
        &format!("/api/v1/questions/{id}/vote"),
        Some(&hans),
        "",
    )
    .await;
    t.json(
        "POST",
        &format!("/api/v1/questions/{id}/vote"),
        Some(&erika),
        "",
    )
    .await;
    moderate(&t, &moderator, id, json!({"action": "pin"})).await;
    let organiser = t.token("organiser@roadshow.example").await;
    t.json(
        "POST",
        &format!("/api/v1/questions/{id}/answers"),
        Some(&organiser),
        r#"{"live":true}"#,
    )
    .await;
    // Reconnecting with Last-Event-ID gives exactly the missed events, in order, once.
    let mut again = open_stream(&t.router, stream_request(Some(&hans), Some(seen))).await;
    let missed = again.drain(Duration::from_millis(700)).await;
    let kinds: Vec<&str> = missed.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "question_voted",
            "question_voted",
            "question_updated",
            "question_pinned",
            "question_answered"
        ],
        "{missed:?}"
    );
    let ids: Vec<i64> = missed.iter().map(|e| e.id.unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "in order, no repeats: {ids:?}"
    );
    assert!(ids[0] > seen);
    assert_eq!(missed[1].json()["votes"], 2);
    // And then live again, without repeating anything.
    moderate(&t, &moderator, id, json!({"action": "unpin"})).await;
    let next = again.next(Duration::from_secs(5)).await.unwrap();
    assert!(next.id.unwrap() > *ids.last().unwrap());
    // The staff stream saw everything, including its own view of each change.
    let all = staff.drain(short).await;
    assert!(
        all.iter()
            .any(|e| e.event == "question_updated" && e.json()["state"] == "answered")
    );
    // ?after= works like Last-Event-ID for the first connection.
    let mut from_start = open_stream(
        &t.router,
        Request::get(format!("/api/v1/events/{SLUG}/live?after={seen}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    // The missed events, then the unpin's two (the question and the pin).
    assert_eq!(from_start.drain(short).await.len(), missed.len() + 2);
}
