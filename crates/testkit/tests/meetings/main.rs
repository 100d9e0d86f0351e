//! Meeting booking on an event through the API and the pages, on SQLite and on
//! PostgreSQL: requests and slots, proposals that keep confirmed meetings, confirmation
//! with emails and invitations, reminders, hosts' answers and outcomes, moves by hand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::{TestApp, form_encode as urlencode, on_both};
use serde_json::json;

mod hosts;
mod participants;
use hosts::*;
use participants::*;

on_both!(
    a_move_by_hand_that_breaks_a_rule_saves_nothing,
    hosts_answer_requests_and_record_what_came_of_meetings,
    participants_ask_and_mark_slots_the_organiser_confirms_and_invitations_follow,
);

const EVENT: &str = "/api/v1/events/two-zones-germany/meetings";

async fn a_move_by_hand_that_breaks_a_rule_saves_nothing(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let before = t
        .get_as(&format!("{EVENT}/booking"), &organiser)
        .await
        .json()["meetings"]
        .clone();
    let proposal = t
        .json("POST", &format!("{EVENT}/proposal"), Some(&organiser), "")
        .await
        .json();
    let meetings = proposal["meetings"].as_array().unwrap();
    // Two meetings of one company: put the second in the first one's slot.
    let (i, j) = (0..meetings.len())
        .flat_map(|i| (0..meetings.len()).map(move |j| (i, j)))
        .find(|&(i, j)| i != j && meetings[i]["company"] == meetings[j]["company"])
        .unwrap();
    let body = format!(
        "csrf={}&meetings={}&slot.{j}={}",
        login.csrf_token,
        urlencode(&serde_json::to_string(meetings).unwrap()),
        meetings[i]["slot"].as_str().unwrap()
    );
    let r = t
        .send(
            Request::post("/admin/events/two-zones-germany/meetings/confirm")
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=de", login.session_secret),
                )
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").ends_with("?broken=1"));
    let after = t
        .get_as(&format!("{EVENT}/booking"), &organiser)
        .await
        .json()["meetings"]
        .clone();
    assert_eq!(before, after, "nothing saved");
    let page = t
        .send(
            Request::get("/admin/events/two-zones-germany/meetings?broken=1")
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=de", login.session_secret),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(page.body.contains("verletzt eine Regel"));
}
