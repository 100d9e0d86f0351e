//! Two officers saving the same lead: a change based on an older version is refused with
//! 409 and what changed, in the API (`If-Match`, `ETag`) and on the lead's page (the
//! officer's entries kept); nothing the first officer saved is lost. On SQLite and on
//! PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::{TestApp, TestResponse, form_encode, on_both};
use serde_json::json;

on_both!(a_save_based_on_an_older_version_is_refused_with_what_changed);

async fn put(
    t: &TestApp,
    token: &str,
    id: i64,
    if_match: Option<&str>,
    body: serde_json::Value,
) -> TestResponse {
    let mut r = Request::put(format!("/api/v1/leads/{id}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("accept-language", "de");
    if let Some(v) = if_match {
        r = r.header("if-match", v);
    }
    t.send(r.body(Body::from(body.to_string())).unwrap()).await
}

async fn a_save_based_on_an_older_version_is_refused_with_what_changed(t: TestApp) {
    let officer = t.token("officer@roadshow.example").await;
    let leads = t.get_as("/api/v1/leads", &officer).await.json();
    let id = leads["leads"][0]["id"].as_i64().unwrap();
    let read = t
        .get_as(&format!("/api/v1/leads/{id}"), &officer)
        .await
        .json();
    let v = read["lead"]["version"].as_i64().unwrap();

    // The first officer saves on the version read: accepted, the version goes up.
    let first = put(
        &t,
        &officer,
        id,
        Some(&format!("\"{v}\"")),
        json!({"jobs": 120, "sector": "smart-manufacturing"}),
    )
    .await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.header("etag"), format!("\"{}\"", v + 1));
    assert_eq!(first.json()["version"], v + 1);

    // The second saves on the same old version: 409, what changed, the version now.
    let second = put(
        &t,
        &officer,
        id,
        Some(&format!("W/\"{v}\"")),
        json!({"jobs": 40}),
    )
    .await;
    assert_eq!(second.status, 409, "{}", second.body);
    assert_eq!(second.header("content-type"), "application/problem+json");
    let problem = second.json();
    assert_eq!(problem["code"], "stale");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("jobs") && detail.contains(&format!("Version {}", v + 1)),
        "{detail}"
    );
    assert_eq!(second.header("etag"), format!("\"{}\"", v + 1));
    let now = t
        .get_as(&format!("/api/v1/leads/{id}"), &officer)
        .await
        .json();
    assert_eq!(now["lead"]["jobs"], 120, "the first save is kept");

    // A stage move on the old version is refused too; on the current one it goes.
    let stage = |version: i64| {
        let t = &t;
        let officer = officer.clone();
        async move {
            t.send(
                Request::post(format!("/api/v1/leads/{id}/stage"))
                    .header("authorization", format!("Bearer {officer}"))
                    .header("content-type", "application/json")
                    .header("if-match", format!("\"{version}\""))
                    .body(Body::from(json!({"stage": "site_visit"}).to_string()))
                    .unwrap(),
            )
            .await
        }
    };
    assert_eq!(stage(v).await.status, 409);
    let moved = stage(v + 1).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.json()["version"], v + 2);

    // Without If-Match a save applies as before; a wrong If-Match is named.
    assert_eq!(
        put(&t, &officer, id, None, json!({"jobs": 150}))
            .await
            .status,
        200
    );
    let wrong = put(&t, &officer, id, Some("yesterday"), json!({"jobs": 1})).await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.json()["errors"][0]["field"], "If-Match");

    // On the page: a form loaded before a change is refused, the entries kept.
    let login = t
        .app
        .accounts()
        .login("officer@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let body = format!(
        "csrf={}&version={v}&jobs=77&sector=smart-manufacturing",
        form_encode(&login.csrf_token)
    );
    let page = t
        .send(
            Request::post(format!("/admin/leads/{id}"))
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=en", login.session_secret),
                )
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, 409, "{}", page.body);
    assert!(
        page.body.contains("id=\"stale\""),
        "the page says it changed"
    );
    assert!(
        page.body.contains("value=\"77\""),
        "the officer's entry is kept"
    );
    let now = t
        .get_as(&format!("/api/v1/leads/{id}"), &officer)
        .await
        .json();
    assert_eq!(
        now["lead"]["jobs"], 150,
        "nothing saved over the newer version"
    );
}
