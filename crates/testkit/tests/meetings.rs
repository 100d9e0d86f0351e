//! The meeting scheduler through the API and the organiser's page, on SQLite and on
//! PostgreSQL: schedules that keep every rule, bounds, reasons, and every problem of a bad
//! instance named in the reader's language.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_domain::meetings::{Instance, Placement, check};
use roadshow_testkit::{TestApp, on_both};
use serde_json::json;

on_both!(
    a_move_by_hand_that_breaks_a_rule_saves_nothing,
    hosts_answer_requests_and_record_what_came_of_meetings,
    participants_ask_and_mark_slots_the_organiser_confirms_and_invitations_follow,
    an_organiser_gets_a_checked_optimal_schedule_with_reasons,
    a_bad_instance_is_refused_with_every_problem_named,
    the_scheduler_page_shows_the_grid_and_the_bound,
);

fn instance() -> serde_json::Value {
    json!({
        "slots": ["09:00", "09:30", "10:00"],
        "hosts": [
            {"id": "Commerce Bureau", "capacity": 1, "available": ["09:00", "09:30"]},
            {"id": "Shunyi", "capacity": 1, "available": ["09:30", "10:00"]}
        ],
        "companies": [
            {"id": "Antriebe GmbH", "available": ["09:00", "09:30", "10:00"], "max_meetings": 2},
            {"id": "Medizintechnik AG", "available": ["09:30"], "max_meetings": 1},
            {"id": "Logistik KG", "available": ["10:00"], "max_meetings": 1},
            {"id": "Spät GmbH", "available": ["10:00"], "max_meetings": 1}
        ],
        "requests": [
            {"company": "Antriebe GmbH", "host": "Shunyi", "weight": 3},
            {"company": "Antriebe GmbH", "host": "Commerce Bureau", "weight": 1},
            {"company": "Medizintechnik AG", "host": "Shunyi", "weight": 2},
            {"company": "Logistik KG", "host": "Shunyi", "weight": 3},
            {"company": "Spät GmbH", "host": "Commerce Bureau", "weight": 2}
        ]
    })
}

async fn an_organiser_gets_a_checked_optimal_schedule_with_reasons(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let sent = instance();
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule?time_limit_ms=2000",
            Some(&organiser),
            &sent.to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    let parsed: Instance = serde_json::from_value(sent).unwrap();
    let meetings: Vec<Placement> = serde_json::from_value(body["meetings"].clone()).unwrap();
    // Shunyi has one table: 09:30 goes to Antriebe (3), 10:00 to Logistik (3); Antriebe
    // also meets the bureau at 09:00 (1). Nothing weighs more than 7, and the independent
    // checker agrees with the server's count.
    assert_eq!(
        check(&parsed, &meetings),
        Ok(body["objective"].as_u64().unwrap())
    );
    assert_eq!(body["objective"], 7);
    assert_eq!(body["upper_bound"], 7);
    assert_eq!(body["optimal"], true);
    let reasons: Vec<(String, String)> = body["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["company"].as_str().unwrap().to_string(),
                u["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        reasons.contains(&("Spät GmbH".into(), "no_common_slot".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("Medizintechnik AG".into(), "host_full".into())),
        "{reasons:?}"
    );
}

async fn a_bad_instance_is_refused_with_every_problem_named(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let mut bad = instance();
    bad["requests"][0]["host"] = json!("Nowhere");
    bad["requests"][1]["weight"] = json!(-1);
    bad["hosts"][1]["id"] = json!("Commerce Bureau");
    let r = t
        .send(
            Request::post("/api/v1/meetings/schedule")
                .header("authorization", format!("Bearer {organiser}"))
                .header("content-type", "application/json")
                .header("accept-language", "de")
                .body(Body::from(bad.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    let errors = r.json()["errors"].as_array().unwrap().clone();
    let named: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap(),
                e["message"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for field in ["hosts[1]", "requests[0].host", "requests[1].weight"] {
        assert!(
            named.iter().any(|(f, _)| *f == field),
            "{field} in {named:?}"
        );
    }
    assert!(
        named
            .iter()
            .any(|(_, m)| m.contains("Unbekannter Gastgeber")),
        "in German: {named:?}"
    );
    // A time limit out of range is named too.
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule?time_limit_ms=99999",
            Some(&organiser),
            &instance().to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["field"], "time_limit_ms");
    // An instance whose grid would take too much memory is refused before any work.
    let slots: Vec<String> = (0..2_000).map(|i| format!("s{i}")).collect();
    let hosts: Vec<serde_json::Value> = (0..1_001)
        .map(|i| json!({"id": format!("h{i}"), "capacity": 1, "available": []}))
        .collect();
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule",
            Some(&organiser),
            &json!({"slots": slots, "hosts": hosts}).to_string(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["code"], "instance_too_large");
}

async fn the_scheduler_page_shows_the_grid_and_the_bound(t: TestApp) {
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let cookie = format!("rs_session={}; rs_lang=de", login.session_secret);
    let page = t
        .send(
            Request::get("/admin/scheduler")
                .header("cookie", cookie.clone())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Terminplaner"), "German title");
    assert!(
        page.body.contains("&#34;slots&#34;"),
        "an example to start from"
    );
    let post = |instance: String| {
        let body = format!(
            "csrf={}&time_limit_ms=1000&instance={}",
            login.csrf_token,
            urlencode(&instance)
        );
        Request::post("/admin/scheduler")
            .header("cookie", cookie.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let r = t.send(post(instance().to_string())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("data-testid=\"objective\">7<"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Nachweislich optimal"));
    assert!(
        r.body
            .contains("Kein Zeitfenster, in dem beide verfügbar sind")
    );
    // Keeping a meeting where the organiser wants it: the rest is placed around it and
    // the pin shows, in the grid and in the instance carried to the next run.
    let keep = format!(
        "csrf={}&time_limit_ms=1000&instance={}&pin={}",
        login.csrf_token,
        urlencode(&instance().to_string()),
        urlencode(r#"{"company":"Medizintechnik AG","host":"Shunyi","slot":"09:30"}"#)
    );
    let r = t
        .send(
            Request::post("/admin/scheduler")
                .header("cookie", cookie.clone())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(keep))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("data-testid=\"objective\">6<"),
        "2 + 3 + 1 around the pin"
    );
    assert!(r.body.contains("data-testid=\"upper-bound\">6<"));
    assert!(r.body.contains("Fest</span> Medizintechnik AG"));
    assert!(
        r.body.contains("&#34;slot&#34;: &#34;09:30&#34;"),
        "the pin is in the instance"
    );
    // What was typed stays, and the problems are listed.
    let r = t.send(post("{\"slots\": [1]}".into())).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("{&#34;slots&#34;: [1]}"),
        "kept: {}",
        r.body
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const EVENT: &str = "/api/v1/events/two-zones-germany/meetings";

async fn participants_ask_and_mark_slots_the_organiser_confirms_and_invitations_follow(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let erika = t
        .participant("erika@muster.example.de", "Erika Muster")
        .await;
    // The demo opened booking: hosts, slots, nothing asked yet by Erika.
    let mine = t.get_as(EVENT, &erika).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let view = mine.json();
    assert_eq!(view["open"], true);
    let hosts: Vec<i64> = view["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["department_id"].as_i64().unwrap())
        .collect();
    let slots: Vec<String> = view["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert!(hosts.len() >= 2 && slots.len() >= 4);
    assert!(view["requests"].as_array().unwrap().is_empty());

    // Wrong input is named, field by field, and nothing is kept.
    let r = t
        .json(
            "POST",
            &format!("{EVENT}/requests"),
            Some(&erika),
            &json!({"department_id": hosts[0], "priority": "urgent", "topic": ""}).to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    let body = r.json();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["priority", "topic"]);
    let r = t
        .json(
            "PUT",
            &format!("{EVENT}/availability"),
            Some(&erika),
            &json!({"slots": ["12345"]}).to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["field"], "slots");

    // Two requests and three slots.
    for (host, priority) in [(hosts[0], "must"), (hosts[1], "want")] {
        let r = t
            .json("POST", &format!("{EVENT}/requests"), Some(&erika), &json!({"department_id": host, "priority": priority, "topic": "Fertigung in Shunyi"}).to_string())
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = t
        .json(
            "PUT",
            &format!("{EVENT}/availability"),
            Some(&erika),
            &json!({"slots": &slots[..3]}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The organiser's proposal keeps every confirmed demo meeting where it is and places
    // Erika's two, within her slots.
    let before = t
        .get_as(&format!("{EVENT}/booking"), &organiser)
        .await
        .json();
    let confirmed: Vec<(i64, String)> = before["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["request_id"].as_i64().unwrap(),
                m["starts_at"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(!confirmed.is_empty(), "the demo has a confirmed schedule");
    let r = t
        .json("POST", &format!("{EVENT}/proposal"), Some(&organiser), "")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let proposal = r.json();
    let meetings = proposal["meetings"].as_array().unwrap().clone();
    assert_eq!(meetings.len(), confirmed.len() + 2, "{proposal}");
    assert!(proposal["upper_bound"].as_u64().unwrap() >= proposal["objective"].as_u64().unwrap());

    // Confirming: Erika sees her two meetings with their video rooms and invitations.
    let r = t
        .json(
            "POST",
            &format!("{EVENT}/confirm"),
            Some(&organiser),
            &json!({"meetings": meetings}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = t
        .get_as(&format!("{EVENT}/booking"), &organiser)
        .await
        .json();
    for (request, at) in &confirmed {
        assert!(
            after["meetings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["request_id"].as_i64() == Some(*request)
                    && m["starts_at"].as_str() == Some(at)),
            "request {request} kept at {at}"
        );
    }
    let mine = t.get_as(EVENT, &erika).await.json();
    let my_meetings = mine["meetings"].as_array().unwrap().clone();
    assert_eq!(my_meetings.len(), 2, "{mine}");
    // Erika is told, in German, once per new meeting, with the invitation attached; the
    // demo's companies, whose meetings did not move, are not written to again.
    let outbox = t.get_as("/api/v1/outbox", &organiser).await.json();
    let emails = outbox["emails"].as_array().unwrap();
    let to_erika: Vec<&serde_json::Value> = emails
        .iter()
        .filter(|e| {
            e["message"]["subject"]
                .as_str()
                .unwrap_or("")
                .starts_with("Ihr Gespräch mit")
        })
        .collect();
    assert_eq!(to_erika.len(), 2, "{outbox}");
    for e in &to_erika {
        assert_eq!(e["message"]["to"], "erika@muster.example.de");
        let ics = e["message"]["attachments"][0]["content"].as_str().unwrap();
        assert!(
            ics.contains("BEGIN:VEVENT")
                && ics.contains("LOCATION:https://meet.roadshow.example/two-zones/")
        );
        assert!(
            e["message"]["body_text"]
                .as_str()
                .unwrap()
                .contains("Pekinger Zeit")
        );
    }
    for m in &my_meetings {
        assert!(
            m["video_link"]
                .as_str()
                .unwrap()
                .starts_with("https://meet.roadshow.example/two-zones/")
        );
    }
    // The day before, each meeting's reminder goes out once, however often the sweep runs.
    let first: chrono::DateTime<chrono::Utc> = my_meetings
        .iter()
        .map(|m| m["starts_at"].as_str().unwrap().parse().unwrap())
        .min()
        .unwrap();
    let eve = first - chrono::Duration::hours(20);
    let sent = t.app.meetings().send_reminders(eve).await.unwrap();
    assert!(sent >= 1, "{sent}");
    assert_eq!(t.app.meetings().send_reminders(eve).await.unwrap(), 0);
    let outbox = t.get_as("/api/v1/outbox", &organiser).await.json();
    let reminders = outbox["emails"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["message"]["to"] == "erika@muster.example.de"
                && e["message"]["subject"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("Erinnerung")
        })
        .count();
    let due = my_meetings
        .iter()
        .filter(|m| {
            let at: chrono::DateTime<chrono::Utc> =
                m["starts_at"].as_str().unwrap().parse().unwrap();
            at > eve && at <= eve + chrono::Duration::hours(24)
        })
        .count();
    assert!(due >= 1);
    assert_eq!(reminders, due, "one reminder per meeting within 24 hours");
    let id = my_meetings[0]["id"].as_i64().unwrap();
    let ics = t
        .send(
            Request::get(format!(
                "/events/two-zones-germany/meetings/{id}/invitation.ics"
            ))
            .header("cookie", format!("rs_participant={erika}; rs_lang=de"))
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(ics.status, 200, "{}", ics.body);
    assert!(ics.header("content-type").starts_with("text/calendar"));
    for line in [
        "BEGIN:VCALENDAR\r\n",
        "BEGIN:VEVENT\r\n",
        "DTSTART;TZID=Asia/Shanghai:",
        "UID:meeting-two-zones-germany-",
        "LOCATION:https://meet.roadshow.example/two-zones/",
        "END:VCALENDAR\r\n",
    ] {
        assert!(ics.body.contains(line), "{line} in {}", ics.body);
    }
    assert_eq!(ics.body.matches("BEGIN:VEVENT").count(), 1);
    assert!(
        ics.body.split("\r\n").all(|l| l.len() <= 75),
        "folded lines"
    );
    // Someone else's meeting is not there for another participant.
    let jean = t.participant("jean@exemple.fr", "Jean Dupont").await;
    let other = t
        .send(
            Request::get(format!(
                "/events/two-zones-germany/meetings/{id}/invitation.ics"
            ))
            .header("cookie", format!("rs_participant={jean}"))
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(other.status, 404);

    // Withdrawing a request takes its meeting with it.
    let request = my_meetings[0]["request_id"].as_i64().unwrap();
    let r = t
        .json(
            "DELETE",
            &format!("{EVENT}/requests/{request}"),
            Some(&jean),
            "",
        )
        .await;
    assert_eq!(r.status, 404, "not Jean's");
    let r = t
        .json(
            "DELETE",
            &format!("{EVENT}/requests/{request}"),
            Some(&erika),
            "",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        t.get_as(EVENT, &erika).await.json()["meetings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn hosts_answer_requests_and_record_what_came_of_meetings(t: TestApp) {
    let official = t.token("official@roadshow.example").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let moderator = t.token("moderator@roadshow.example").await;
    // An official sees its own department only.
    let view = t.get_as(&format!("{EVENT}/host"), &official).await;
    assert_eq!(view.status, 200, "{}", view.body);
    let view = view.json();
    assert_eq!(view["departments"].as_array().unwrap().len(), 1);
    let dept = view["departments"][0]["id"].as_i64().unwrap();
    assert!(
        view["requests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["request"]["department_id"] == dept)
    );
    assert_eq!(
        t.get_as(&format!("{EVENT}/host"), &moderator).await.status,
        403
    );
    let all = t.get_as(&format!("{EVENT}/host"), &organiser).await.json();
    assert!(all["departments"].as_array().unwrap().len() > 1);

    // Erika asks that department; the official declines, and must say why.
    let erika = t
        .participant("erika@muster.example.de", "Erika Muster")
        .await;
    let r = t
        .json(
            "POST",
            &format!("{EVENT}/requests"),
            Some(&erika),
            &json!({"department_id": dept, "priority": "must", "topic": "Ansiedlung"}).to_string(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let request = r.json()["id"].as_i64().unwrap();
    let slots: Vec<String> = t.get_as(EVENT, &erika).await.json()["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    t.json(
        "PUT",
        &format!("{EVENT}/availability"),
        Some(&erika),
        &json!({"slots": slots}).to_string(),
    )
    .await;
    let answer = format!("{EVENT}/requests/{request}/answer");
    let r = t
        .json(
            "POST",
            &answer,
            Some(&official),
            &json!({"accept": false}).to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["field"], "reason");
    let r = t
        .json(
            "POST",
            &answer,
            Some(&official),
            &json!({"accept": false, "reason": "Bitte wenden Sie sich an den Bezirk Shunyi."})
                .to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Erika sees why; the scheduler leaves the declined request out.
    let mine = t.get_as(EVENT, &erika).await.json();
    assert_eq!(mine["requests"][0]["host_answer"]["accepted"], false);
    assert_eq!(
        mine["requests"][0]["host_answer"]["reason"],
        "Bitte wenden Sie sich an den Bezirk Shunyi."
    );
    let proposal = t
        .json("POST", &format!("{EVENT}/proposal"), Some(&organiser), "")
        .await
        .json();
    let me = format!("p{}", mine["requests"][0]["participant_id"]);
    assert!(
        proposal["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["company"] != me.as_str()),
        "declined is not scheduled"
    );
    // Accepting puts it back.
    let r = t
        .json(
            "POST",
            &answer,
            Some(&official),
            &json!({"accept": true}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200);
    let proposal = t
        .json("POST", &format!("{EVENT}/proposal"), Some(&organiser), "")
        .await
        .json();
    assert!(
        proposal["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["company"] == me.as_str())
    );

    // Another department's request is not the official's to answer.
    let other = all["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["request"]["department_id"] != dept)
        .unwrap()["request"]["id"]
        .as_i64()
        .unwrap();
    let r = t
        .json(
            "POST",
            &format!("{EVENT}/requests/{other}/answer"),
            Some(&official),
            &json!({"accept": true}).to_string(),
        )
        .await;
    assert_eq!(r.status, 404);

    // A host asks a company itself: the request is marked as the host's interest.
    let jean = t.participant("jean@exemple.fr", "Jean Dupont").await;
    let people = t
        .get_as("/api/v1/events/two-zones-germany/registrations", &organiser)
        .await
        .json();
    let jean_participant = people["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["email"] == "jean@exemple.fr")
        .unwrap()["participant_id"]
        .as_i64()
        .unwrap();
    let r = t
        .json("POST", &format!("{EVENT}/invitations"), Some(&official), &json!({"department_id": dept, "participant_id": jean_participant, "topic": "Présentation des aides"}).to_string())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["from_host"], true);
    let mine = t.get_as(EVENT, &jean).await.json();
    assert_eq!(mine["requests"][0]["from_host"], true);
    let r = t
        .json(
            "POST",
            &format!("{EVENT}/invitations"),
            Some(&official),
            &json!({"department_id": dept, "participant_id": 999_999, "topic": ""}).to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, vec!["participant_id", "topic"]);

    // Outcomes: not before the meeting has begun; afterwards held, notes, follow-up.
    let event = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    let mut placed: Vec<_> = t
        .app
        .store
        .meetings(event.id)
        .await
        .unwrap()
        .iter()
        .map(|m| (m.request_id, m.starts_at))
        .collect();
    let future = view["meetings"].as_array().unwrap()[0]["meeting"]["id"]
        .as_i64()
        .unwrap();
    let r = t
        .json(
            "POST",
            &format!("{EVENT}/{future}/outcome"),
            Some(&official),
            &json!({"outcome": "held"}).to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["code"], "meeting_not_begun");
    let past = chrono::Utc::now() - chrono::Duration::hours(2);
    let past = chrono::DateTime::from_timestamp(past.timestamp(), 0).unwrap();
    placed.push((roadshow_domain::ids::MeetingRequestId(request), past));
    let confirmed = t
        .app
        .store
        .confirm_meetings(event.id, &placed)
        .await
        .unwrap();
    let held = confirmed
        .iter()
        .find(|m| m.request_id.0 == request)
        .unwrap()
        .id
        .0;
    let r = t
        .json("POST", &format!("{EVENT}/{held}/outcome"), Some(&official), &json!({"outcome": "held", "notes": "Standortbesuch im März vereinbart", "follow_up": true}).to_string())
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = t.get_as(&format!("{EVENT}/host"), &official).await.json();
    let recorded = after["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["meeting"]["id"] == held)
        .unwrap();
    assert_eq!(recorded["meeting"]["outcome"]["held"], true);
    assert_eq!(recorded["meeting"]["outcome"]["follow_up"], true);
    assert_eq!(
        recorded["meeting"]["outcome"]["notes"],
        "Standortbesuch im März vereinbart"
    );
}

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
