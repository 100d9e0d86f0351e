//! Participants ask and mark slots, the organiser confirms, invitations follow.

use super::*;

pub(crate) async fn participants_ask_and_mark_slots_the_organiser_confirms_and_invitations_follow(
    t: TestApp,
) {
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
