//! Live delivery beyond one client: two Roadshow processes on one PostgreSQL database
//! deliver each other's updates (LISTEN/NOTIFY), and a client that stops reading neither
//! holds the others back nor loses anything.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::{Db, TestApp, instance, open_stream};
use serde_json::json;
use std::time::Duration;

const SLUG: &str = "two-zones-germany";

fn stream(token: Option<&str>) -> Request<Body> {
    let mut b = Request::get(format!("/api/v1/events/{SLUG}/live"));
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(Body::empty()).unwrap()
}

async fn send_json(
    router: &axum::Router,
    method: &str,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = router
        .clone()
        .oneshot(
            Request::builder()
                .method(method)
                .uri(path)
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
#[cfg_attr(skip_postgres, ignore = "ROADSHOW_TEST_SKIP_POSTGRES=1")]
async fn two_instances_on_postgresql_deliver_each_others_updates() {
    let a = TestApp::with_demo(Db::Postgres).await;
    // A second process on the same database, with its own hub and its own LISTEN.
    let b_dir = tempfile::tempdir().unwrap();
    let (b_app, b_router) = instance(&a.url, b_dir.path(), |_| {}).await;
    let erika = a.participant("erika@muster.example", "Erika Muster").await;
    let moderator = a.token("moderator@roadshow.example").await;

    let mut client_of_b = open_stream(&b_router, stream(Some(&erika))).await;
    let mut staff_of_a = open_stream(&a.router, stream(Some(&moderator))).await;
    assert_eq!(client_of_b.status, 200);

    // Asked through B: A's moderator hears of it.
    let (status, q) = send_json(
        &b_router,
        "POST",
        &format!("/api/v1/events/{SLUG}/questions"),
        &erika,
        json!({"text": "Do both processes see this?"}),
    )
    .await;
    assert_eq!(status, 201);
    let id = q["id"].as_i64().unwrap();
    let e = staff_of_a.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(
        (e.event.as_str(), e.json()["id"].as_i64()),
        ("question_submitted", Some(id))
    );

    // Approved through A: B's client sees it.
    let (status, _) = send_json(
        &a.router,
        "POST",
        &format!("/api/v1/questions/{id}/moderation"),
        &moderator,
        json!({"action": "approve"}),
    )
    .await;
    assert_eq!(status, 200);
    let e = client_of_b.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(e.event, "question_approved");
    assert_eq!(e.json()["id"], id);

    // A vote through B reaches A's clients with the stored count, once.
    let mut client_of_a = open_stream(&a.router, stream(None)).await;
    let (status, _) = send_json(
        &b_router,
        "POST",
        &format!("/api/v1/questions/{id}/vote"),
        &erika,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let e = client_of_a.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(
        (e.event.as_str(), e.json()["votes"].as_i64()),
        ("question_voted", Some(1))
    );
    assert!(
        client_of_a.next(Duration::from_millis(500)).await.is_none(),
        "nothing twice"
    );
    // Both processes show the same count.
    for router in [&a.router, &b_router] {
        let (_, q) = send_json(
            router,
            "GET",
            &format!("/api/v1/questions/{id}"),
            &erika,
            json!({}),
        )
        .await;
        assert_eq!(q["votes"], 1);
    }
    drop(b_app);
}

#[tokio::test]
async fn a_client_that_stops_reading_slows_nobody_and_loses_nothing() {
    // A tiny broadcast buffer, so that the slow client falls behind quickly.
    let t = TestApp::start_with(Db::Sqlite, |c| c.live_buffer = 8).await;
    t.app.load_demo().await.unwrap();
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let (_, q) = send_json(
        &t.router,
        "POST",
        &format!("/api/v1/events/{SLUG}/questions"),
        &erika,
        json!({"text": "Version 0"}),
    )
    .await;
    let id = q["id"].as_i64().unwrap();
    send_json(
        &t.router,
        "POST",
        &format!("/api/v1/questions/{id}/moderation"),
        &moderator,
        json!({"action": "approve"}),
    )
    .await;

    let mut slow = open_stream(&t.router, stream(None)).await;
    let mut quick = open_stream(&t.router, stream(None)).await;
    // Forty changes while the slow client reads nothing.
    let mut quick_seen = Vec::new();
    for i in 1..=40 {
        let (status, _) = send_json(
            &t.router,
            "POST",
            &format!("/api/v1/questions/{id}/moderation"),
            &moderator,
            json!({"action": "edit", "text": format!("Version {i}")}),
        )
        .await;
        assert_eq!(status, 200);
        // The quick client gets each change as it happens.
        let e = quick.next(Duration::from_secs(5)).await.unwrap();
        assert_eq!(e.json()["text"], format!("Version {i}"));
        quick_seen.push(e.id.unwrap());
    }
    // The slow client, reading at last, gets all forty in order: what fell out of the
    // broadcast buffer is read back from the store.
    let late = slow.drain(Duration::from_millis(500)).await;
    let texts: Vec<String> = late
        .iter()
        .map(|e| e.json()["text"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (1..=40).map(|i| format!("Version {i}")).collect();
    assert_eq!(texts, expected);
    let ids: Vec<i64> = late.iter().map(|e| e.id.unwrap()).collect();
    assert_eq!(ids, quick_seen);
}

#[tokio::test]
async fn one_address_holds_a_bounded_number_of_streams() {
    let t = TestApp::start_with(Db::Sqlite, |c| c.streams_per_address = 2).await;
    t.app.load_demo().await.unwrap();
    let first = open_stream(&t.router, stream(None)).await;
    let second = open_stream(&t.router, stream(None)).await;
    assert_eq!((first.status.as_u16(), second.status.as_u16()), (200, 200));
    let third = open_stream(&t.router, stream(None)).await;
    assert_eq!(
        third.status, 429,
        "a third stream from the same address is refused"
    );
    // A closed stream frees its place.
    drop(first);
    let again = open_stream(&t.router, stream(None)).await;
    assert_eq!(again.status, 200);
}
