//! Hosts answer requests, invite, and record what came of meetings.

use super::*;

pub(crate) async fn hosts_answer_requests_and_record_what_came_of_meetings(t: TestApp) {
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
