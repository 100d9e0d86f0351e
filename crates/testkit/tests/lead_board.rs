//! The leads board followed live: a stream that says when the board changed, through
//! this process or another on the same database, to investment officers and organisers
//! only. On SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::{TestApp, form_encode, on_both, open_stream};
use serde_json::json;
use std::time::Duration;

on_both!(
    the_board_stream_tells_officers_when_the_board_changes,
    only_officers_and_organisers_follow_the_board
);

fn follow(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

async fn the_board_stream_tells_officers_when_the_board_changes(t: TestApp) {
    let officer = t.token("officer@roadshow.example").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let board = t.get_as("/api/v1/leads/board", &officer).await;
    assert_eq!(board.status, 200, "{}", board.body);
    let board = board.json();
    let revision = board["revision"].as_i64().unwrap();
    let card = &board["columns"][0]["leads"][0];
    let (id, version) = (
        card["id"].as_i64().unwrap(),
        card["version"].as_i64().unwrap(),
    );

    let mut stream = open_stream(
        &t.router,
        follow(
            &format!("/api/v1/leads/board/stream?after={revision}"),
            &officer,
        ),
    )
    .await;
    assert_eq!(stream.status, 200);
    // Nothing changed since the board was read: nothing is said.
    assert!(stream.next(Duration::from_millis(1200)).await.is_none());

    // The organiser moves a lead: the officer's stream says so, with a newer revision.
    let moved = t
        .send(
            Request::post(format!("/api/v1/leads/{id}/stage"))
                .header("authorization", format!("Bearer {organiser}"))
                .header("content-type", "application/json")
                .header("if-match", format!("\"{version}\""))
                .body(Body::from(json!({"stage": "site_visit"}).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let told = stream
        .next(Duration::from_secs(5))
        .await
        .expect("a message");
    assert_eq!(told.event, "board");
    let now = told.json()["revision"].as_i64().unwrap();
    assert!(now > revision);
    assert_eq!(told.id, Some(now), "the id is the revision, to resume from");
    let again = t.get_as("/api/v1/leads/board", &officer).await.json();
    assert!(again["revision"].as_i64().unwrap() >= now);
    let shown = again["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"] == "site_visit")
        .unwrap();
    assert!(
        shown["leads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == id),
        "the board read again shows the move"
    );

    // A client that resumes from an older revision is told at once.
    let mut late = open_stream(
        &t.router,
        follow(
            &format!("/api/v1/leads/board/stream?after={revision}"),
            &officer,
        ),
    )
    .await;
    let caught_up = late.next(Duration::from_secs(3)).await.expect("at once");
    assert!(caught_up.json()["revision"].as_i64().unwrap() >= now);

    // A change made through another process on the same database is heard too.
    let other_dir = tempfile::tempdir().unwrap();
    let (_, other) = roadshow_testkit::instance(&t.url, other_dir.path(), |_| {}).await;
    let task = {
        use tower::ServiceExt;
        other
            .oneshot(
                Request::post(format!("/api/v1/leads/{id}/tasks"))
                    .header("authorization", format!("Bearer {organiser}"))
                    .header("content-type", "application/json")
                    .body(Body::from(
                        json!({"title": "Call back", "due_on": "2026-12-20"}).to_string(),
                    ))
                    .unwrap(),
            )
            .await
            .unwrap()
    };
    assert_eq!(task.status(), 201);
    let heard = stream.next(Duration::from_secs(5)).await.expect("heard");
    assert!(heard.json()["revision"].as_i64().unwrap() > now);

    // The board's own move form (what keyboards and pages without scripts use) returns
    // to the board; sent again on the version it showed, it is refused as stale.
    let login = t
        .app
        .accounts()
        .login("officer@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let card = t
        .get_as(&format!("/api/v1/leads/{id}"), &officer)
        .await
        .json();
    let shown = card["lead"]["version"].as_i64().unwrap();
    let form = |version: i64| {
        Request::post(format!("/admin/leads/{id}/stage"))
            .header(
                "cookie",
                format!("rs_session={}; rs_lang=en", login.session_secret),
            )
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "csrf={}&return=%2Fadmin%2Fleads%3Fowner%3Dall&version={version}&stage=negotiation&lost_reason=",
                form_encode(&login.csrf_token)
            )))
            .unwrap()
    };
    let sent = t.send(form(shown)).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.header("location"), "/admin/leads?owner=all");
    let again = t.send(form(shown)).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("id=\"stale\""));
    assert!(
        again
            .body
            .contains("<option value=\"negotiation\" selected>"),
        "the stage chosen is kept to send again"
    );

    // A bad resume point is named.
    let bad = t
        .get_as("/api/v1/leads/board/stream?after=-1", &officer)
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.json()["errors"][0]["field"], "after");
}

async fn only_officers_and_organisers_follow_the_board(t: TestApp) {
    let anonymous = t.get("/api/v1/leads/board/stream").await;
    assert_eq!(anonymous.status, 401);
    for email in ["official@roadshow.example", "moderator@roadshow.example"] {
        let token = t.token(email).await;
        let refused = t.get_as("/api/v1/leads/board/stream", &token).await;
        assert_eq!(refused.status, 404, "{email}: {}", refused.body);
    }
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let refused = t.get_as("/api/v1/leads/board/stream", &erika).await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let page = t.get("/admin/leads/stream").await;
    assert!(
        page.status == 401 || page.status.is_redirection(),
        "a page stream without a session: {}",
        page.status
    );
}
