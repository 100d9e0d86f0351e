//! Operations: readiness names the failing check, `/metrics` is off unless turned on and
//! then answers loopback or the token only, the client address behind a trusted proxy is
//! the forwarded one (and only then), and HSTS is sent when served over https. On SQLite
//! and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use roadshow_testkit::{Db, TestApp, TestResponse, on_both_databases, registration};
use std::net::SocketAddr;

on_both_databases!(
    readiness_names_each_check_and_fails_on_the_one_that_fails,
    metrics_are_off_unless_turned_on_then_for_loopback_or_the_token,
    behind_a_trusted_proxy_limits_count_the_forwarded_client,
    hsts_is_sent_only_over_https,
);

const TOKEN: &str = "a-metrics-token-of-some-length";

async fn from(t: &TestApp, peer: &str, path: &str, headers: &[(&str, &str)]) -> TestResponse {
    let mut request = Request::get(path);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let mut request = request.body(Body::empty()).unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    t.send(request).await
}

async fn readiness_names_each_check_and_fails_on_the_one_that_fails(db: Db) {
    // The healthy case asks for 1 MiB, so that it does not depend on the test machine's disk.
    let t = TestApp::start_with(db, |c| c.min_free_disk_mb = 1).await;
    let r = t.get("/readyz").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    assert_eq!(body["status"], "ok");
    let names: Vec<&str> = body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["database", "migrations", "outbox", "disk"]);

    // More free space asked for than any disk has: not ready, and the check says why.
    let t = TestApp::start_with(db, |c| c.min_free_disk_mb = u64::MAX / 2).await;
    let r = t.get("/readyz").await;
    assert_eq!(r.status, 503);
    let body = r.json();
    assert_eq!(body["status"], "unavailable");
    let failing: Vec<&serde_json::Value> = body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .collect();
    assert_eq!(failing.len(), 1);
    assert_eq!(failing[0]["name"], "disk");
    assert!(failing[0]["detail"].as_str().unwrap().contains("MiB free"));
    // Alive all the same.
    assert_eq!(t.get("/healthz").await.status, 200);
}

async fn metrics_are_off_unless_turned_on_then_for_loopback_or_the_token(db: Db) {
    let off = TestApp::start(db).await;
    assert_eq!(
        from(&off, "127.0.0.1:5000", "/metrics", &[]).await.status,
        404
    );

    let t = TestApp::start_with(db, |c| {
        c.metrics = true;
        c.metrics_token = Some(TOKEN.into());
    })
    .await;
    assert_eq!(t.get("/api/v1/events").await.status, 200);
    let r = from(&t, "127.0.0.1:5000", "/metrics", &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.header("content-type")
            .starts_with("text/plain; version=0.0.4")
    );
    assert!(
        r.body.contains(
            r#"roadshow_http_requests_total{route="/api/v1/events",method="GET",status="200"}"#
        ),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("roadshow_http_request_duration_seconds_bucket{route=\"/api/v1/events\"")
    );
    for gauge in [
        "roadshow_live_followers",
        "roadshow_outbox_waiting",
        "roadshow_db_connections",
        "roadshow_in_flight",
    ] {
        assert!(r.body.contains(gauge), "{gauge} missing");
    }
    // From elsewhere: only with the token.
    let r = from(&t, "203.0.113.9:5000", "/metrics", &[]).await;
    assert_eq!(r.status, 403);
    let r = from(
        &t,
        "203.0.113.9:5000",
        "/metrics",
        &[("authorization", "Bearer not-the-token-at-all-no")],
    )
    .await;
    assert_eq!(r.status, 403);
    let bearer = format!("Bearer {TOKEN}");
    let r = from(
        &t,
        "203.0.113.9:5000",
        "/metrics",
        &[("authorization", bearer.as_str())],
    )
    .await;
    assert_eq!(r.status, 200);
}

async fn register(t: &TestApp, peer: &str, forwarded: &str, n: usize) -> u16 {
    let mut request = Request::post("/api/v1/events/two-zones-germany/registrations")
        .header("content-type", "application/json")
        .header("x-forwarded-for", forwarded)
        .body(Body::from(registration(
            &format!("proxy{n}@example.de"),
            "Proxy Test",
            "de",
        )))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    t.send(request).await.status.as_u16()
}

async fn behind_a_trusted_proxy_limits_count_the_forwarded_client(db: Db) {
    let t = TestApp::with_demo(db).await;
    let (app, router) = roadshow_testkit::instance(&t.url, t.dir.path(), |c| {
        c.registrations_per_minute = 2;
        c.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let mut t = t;
    t.app = app;
    t.router = router;
    let proxy = "127.0.0.1:40000";
    assert_eq!(register(&t, proxy, "198.51.100.1", 1).await, 201);
    assert_eq!(register(&t, proxy, "198.51.100.1", 2).await, 201);
    assert_eq!(register(&t, proxy, "198.51.100.1", 3).await, 429);
    // Another visitor behind the same proxy has their own allowance.
    assert_eq!(register(&t, proxy, "198.51.100.2", 4).await, 201);
    // A forged hop on the left changes nothing: the proxy appended the real one.
    assert_eq!(
        register(&t, proxy, "198.51.100.77, 198.51.100.1", 5).await,
        429
    );
    // From a peer that is not a trusted proxy the header is not believed.
    let direct = "192.0.2.50:40000";
    assert_eq!(register(&t, direct, "198.51.100.3", 6).await, 201);
    assert_eq!(register(&t, direct, "198.51.100.4", 7).await, 201);
    assert_eq!(register(&t, direct, "198.51.100.5", 8).await, 429);
}

async fn hsts_is_sent_only_over_https(db: Db) {
    let plain = TestApp::start(db).await;
    assert_eq!(plain.get("/").await.header("strict-transport-security"), "");
    let t = TestApp::start_with(db, |c| c.base_url = "https://roadshow.example.org".into()).await;
    let r = t.get("/").await;
    assert_eq!(r.header("strict-transport-security"), "max-age=31536000");
}
