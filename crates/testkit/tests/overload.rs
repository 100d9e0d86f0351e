//! Overload: beyond the places of a costly kind of request the answer is a 503 problem
//! document with `Retry-After`, at once; the health check, the public pages and
//! registration keep answering; the scheduler refuses a run beyond its bound. On SQLite
//! and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_testkit::{Db, ERIKA, TestApp, TestResponse, instance, on_both_databases};

on_both_databases!(
    beyond_the_places_of_a_kind_the_answer_is_503_with_retry_after,
    the_scheduler_refuses_a_run_beyond_its_bound,
);

const SLUG: &str = "two-zones-germany";

fn assert_shed(r: &TestResponse) {
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    assert_eq!(r.header("retry-after"), "1");
    let body = r.json();
    assert_eq!(body["status"], 503);
    assert_eq!(body["code"], "busy");
    assert!(!body["title"].as_str().unwrap().is_empty());
}

/// The demo (loaded with the usual places: it runs the scheduler itself), served by a
/// process with these places.
async fn with_places(db: Db, staff_reads: usize, writes: usize, schedules: usize) -> TestApp {
    let mut t = TestApp::with_demo(db).await;
    let (app, router) = instance(&t.url, t.dir.path(), |c| {
        c.max_staff_reads = staff_reads;
        c.max_exports = staff_reads;
        c.max_writes = writes;
        c.max_schedules = schedules;
    })
    .await;
    t.app = app;
    t.router = router;
    t
}

async fn beyond_the_places_of_a_kind_the_answer_is_503_with_retry_after(db: Db) {
    // No place at all for staff reads and changes: every one of them is refused.
    let t = with_places(db, 0, 0, 1).await;
    let organiser = t.token("organiser@roadshow.example").await;
    assert_shed(&t.get_as("/api/v1/leads", &organiser).await);
    assert_shed(
        &t.get_as(&format!("/api/v1/events/{SLUG}/registrations"), &organiser)
            .await,
    );
    assert_shed(
        &t.json("POST", "/api/v1/departments", Some(&organiser), "{}")
            .await,
    );
    assert_shed(
        &t.get_as(&format!("/api/v1/events/{SLUG}/questions.csv"), &organiser)
            .await,
    );
    // What must answer whatever the load still does.
    assert_eq!(t.get("/healthz").await.status, 200);
    assert_eq!(t.get(&format!("/events/{SLUG}")).await.status, 200);
    assert_eq!(t.get(&format!("/api/v1/events/{SLUG}")).await.status, 200);
    let registered = t
        .json(
            "POST",
            &format!("/api/v1/events/{SLUG}/registrations"),
            None,
            ERIKA,
        )
        .await;
    assert_eq!(registered.status, 201, "{}", registered.body);

    // With places, the same reads are served.
    let t = with_places(db, 2, 2, 1).await;
    let organiser = t.token("organiser@roadshow.example").await;
    assert_eq!(t.get_as("/api/v1/leads", &organiser).await.status, 200);
}

async fn the_scheduler_refuses_a_run_beyond_its_bound(db: Db) {
    let instance = serde_json::json!({
        "slots": ["09:00"],
        "hosts": [{"id": "h", "capacity": 1, "available": ["09:00"]}],
        "companies": [{"id": "c", "available": ["09:00"], "max_meetings": 1}],
        "requests": [{"company": "c", "host": "h", "weight": 1}]
    })
    .to_string();
    let t = with_places(db, 8, 8, 0).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule",
            Some(&organiser),
            &instance,
        )
        .await;
    assert_shed(&r);
    let t = with_places(db, 8, 8, 1).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule",
            Some(&organiser),
            &instance,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}
