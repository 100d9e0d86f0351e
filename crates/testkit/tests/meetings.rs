//! Meeting booking on an event through the API and the pages, on SQLite and on
//! PostgreSQL: requests and slots, proposals that keep confirmed meetings, confirmation
//! with emails and invitations, reminders, hosts' answers and outcomes, moves by hand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::{TestApp, form_encode as urlencode, on_both};
use serde_json::json;

on_both!(
    a_move_by_hand_that_breaks_a_rule_saves_nothing,
    hosts_answer_requests_and_record_what_came_of_meetings,
    participants_ask_and_mark_slots_the_organiser_confirms_and_invitations_follow,
);

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
    // Another department is not the official's to invite for: as if it did not exist.
    let another = all["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .find(|id| *id != dept)
        .unwrap();
    let r = t
        .json("POST", &format!("{EVENT}/invitations"), Some(&official), &json!({"department_id": another, "participant_id": jean_participant, "topic": "Im Namen eines anderen Amts"}).to_string())
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
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

    // The host's "follow-up wanted" makes the company a lead, with the meeting on its
    // timeline.
    let participant = t
        .app
        .store
        .meeting_requests(event.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.id.0 == request)
        .unwrap()
        .participant_id;
    let company = t
        .app
        .store
        .registrations(event.id, &Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.participant_id == participant)
        .unwrap()
        .company
        .id;
    let lead = t.app.store.company_lead(company).await.unwrap().unwrap();
    assert_eq!(lead.source, roadshow_domain::leads::LeadSource::FollowUp);
    let officer = t.token("officer@roadshow.example").await;
    let timeline = t
        .get_as(&format!("/api/v1/leads/{}/timeline", lead.id.0), &officer)
        .await
        .json();
    let kinds: Vec<&str> = timeline["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"meeting_held") && kinds.contains(&"follow_up_wanted"),
        "{kinds:?}"
    );
    assert!(
        timeline["score"]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "follow_up_wanted")
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
