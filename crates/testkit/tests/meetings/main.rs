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
    a_grid_that_cancels_confirmed_meetings_needs_their_number_first,
    an_event_without_booking_shows_none_opened,
    the_proposal_counts_meetings_inside_both_working_days,
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
    // The redirect names the meeting moved and the rule it broke.
    let location = r.header("location");
    assert!(location.contains("?broken=meeting_"), "{location}");
    assert!(location.contains("&company=p"), "{location}");
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
    // The named page says whose meeting, with which host, and the rule, in German.
    let named = t
        .send(
            Request::get(location.as_str())
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=de", login.session_secret),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(
        named.body.contains("Nicht gespeichert: Das Gespräch von")
            && named.body.contains("in diesem Zeitfenster"),
        "{}",
        named.body
    );
    // The API names the meeting by its index and the rule by its code.
    let mut moved = meetings.clone();
    moved[j]["slot"] = meetings[i]["slot"].clone();
    let api = t
        .json(
            "POST",
            &format!("{EVENT}/confirm"),
            Some(&organiser),
            &serde_json::json!({ "meetings": moved }).to_string(),
        )
        .await;
    assert_eq!(api.status, 422, "{}", api.body);
    let errors = api.json()["errors"].clone();
    assert!(
        errors
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == format!("meetings[{}]", i.max(j))
                && e["code"] == "meeting_company_twice"),
        "{errors}"
    );
}

/// Confirming an empty or smaller grid cancels confirmed meetings and emails everyone
/// concerned: the organiser must first agree to how many.
async fn a_grid_that_cancels_confirmed_meetings_needs_their_number_first(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let confirmed = || async {
        t.get_as(&format!("{EVENT}/booking"), &organiser)
            .await
            .json()["meetings"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = confirmed().await;
    assert!(before > 0, "the demo has confirmed meetings");
    let confirm = |body: serde_json::Value| {
        let (t, organiser) = (&t, &organiser);
        async move {
            t.json(
                "POST",
                &format!("{EVENT}/confirm"),
                Some(organiser),
                &body.to_string(),
            )
            .await
        }
    };
    for body in [
        json!({"meetings": []}),
        json!({"meetings": [], "cancels": before - 1}),
    ] {
        let refused = confirm(body).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        let error = &refused.json()["errors"][0];
        assert_eq!(error["field"], "cancels");
        assert_eq!(error["code"], "confirm_cancellations");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains(&before.to_string())
        );
        assert_eq!(confirmed().await, before, "nothing cancelled");
    }
    let agreed = confirm(json!({"meetings": [], "cancels": before})).await;
    assert_eq!(agreed.status, 200, "{}", agreed.body);
    assert_eq!(confirmed().await, 0);
}

/// An event whose booking is not opened yet answers its booking view with `booking: null`
/// and its hosts' view with empty lists (the event exists; its booking does not yet).
async fn an_event_without_booking_shows_none_opened(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let event = t.get("/api/v1/events/two-zones-germany").await.json();
    let body = json!({
        "slug": "no-booking-yet",
        "title": {"en": "No booking yet"},
        "starts_at": event["starts_at"],
        "ends_at": event["ends_at"],
    });
    let created = t
        .json(
            "POST",
            "/api/v1/events",
            Some(&organiser),
            &body.to_string(),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let view = t
        .get_as("/api/v1/events/no-booking-yet/meetings/booking", &organiser)
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    let view = view.json();
    assert_eq!(view["booking"], serde_json::Value::Null);
    assert_eq!(view["slots"], json!([]));
    assert_eq!(
        t.get_as("/api/v1/events/no-such-event/meetings/booking", &organiser)
            .await
            .status,
        404
    );
    // The hosts' view likewise: nobody to meet yet, not "not found".
    let hosts = t
        .get_as("/api/v1/events/no-booking-yet/meetings/host", &organiser)
        .await;
    assert_eq!(hosts.status, 200, "{}", hosts.body);
    let hosts = hosts.json();
    assert_eq!(
        (
            &hosts["departments"],
            &hosts["requests"],
            &hosts["meetings"]
        ),
        (&json!([]), &json!([]), &json!([]))
    );
    assert_eq!(
        t.get_as("/api/v1/events/no-such-event/meetings/host", &organiser)
            .await
            .status,
        404
    );
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let page = t
        .send(
            Request::get("/admin/events/no-booking-yet/meetings/host")
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=de", login.session_secret),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Noch keine Wünsche."),
        "says so, in German"
    );
}

/// The proposal prefers meetings inside both working days (09:00–18:00 in Beijing and in
/// the company's zone), and says how many are: the figure is what the slots say.
async fn the_proposal_counts_meetings_inside_both_working_days(t: TestApp) {
    use chrono::Timelike;
    let organiser = t.token("organiser@roadshow.example").await;
    let proposal = t
        .json("POST", &format!("{EVENT}/proposal"), Some(&organiser), "")
        .await;
    assert_eq!(proposal.status, 200, "{}", proposal.body);
    let proposal = proposal.json();
    let meetings = proposal["meetings"].as_array().unwrap();
    assert!(!meetings.is_empty());
    let booking = t
        .get_as(&format!("{EVENT}/booking"), &organiser)
        .await
        .json();
    let minutes = booking["booking"]["slot_minutes"].as_i64().unwrap();
    // The demo's companies taking part in meetings are German: Berlin's working day.
    let inside = |start: i64| {
        let s = chrono::DateTime::from_timestamp(start, 0).unwrap();
        let e = s + chrono::Duration::minutes(minutes);
        let ok = |zone: chrono_tz::Tz| {
            let (a, b) = (s.with_timezone(&zone), e.with_timezone(&zone));
            a.date_naive() == b.date_naive()
                && a.hour() >= 9
                && (b.hour() < 18 || (b.hour() == 18 && b.minute() == 0))
        };
        ok(chrono_tz::Asia::Shanghai) && ok(chrono_tz::Europe::Berlin)
    };
    let counted = meetings
        .iter()
        .filter(|m| inside(m["slot"].as_str().unwrap().parse().unwrap()))
        .count();
    assert_eq!(
        proposal["meetings_in_working_hours"].as_u64(),
        Some(counted as u64),
        "{proposal}"
    );
}
