//! The live log and its streams: staff streams end with their session, the log carries changes, followers far behind refresh.

use super::*;

pub(crate) async fn a_staff_stream_ends_when_its_session_does(db: Db) {
    let t = TestApp::with_demo(db).await;
    let signed_in = sign_in(&t, "", "/admin", "roadshow-demo-2026").await;
    let session = signed_in
        .header("set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut staff = roadshow_testkit::open_stream(
        &t.router,
        Request::get(format!("/events/{SLUG}/live/stream"))
            .header("cookie", &session)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(staff.status, 200);
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let ask = |text: &'static str| {
        let (t, erika) = (&t, &erika);
        async move {
            let path = format!("/api/v1/events/{SLUG}/questions");
            let body = serde_json::json!({ "text": text }).to_string();
            t.json("POST", &path, Some(erika), &body).await
        }
    };
    assert_eq!(ask("Which parks host biomedicine firms?").await.status, 201);
    let seen = staff.next(std::time::Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        seen.event, "question_submitted",
        "staff see questions awaiting moderation"
    );
    // Sign out with the form of a staff page, as the browser does.
    let page = t
        .send(
            Request::get("/admin")
                .header("cookie", &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let (token, _) = form_token(&page);
    let out = t
        .send(
            Request::post("/logout")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", &session)
                .body(Body::from(format!("csrf={token}")))
                .unwrap(),
        )
        .await;
    assert!(out.status.is_redirection(), "{} {}", out.status, out.body);
    assert_eq!(ask("Is there support for R&D centres?").await.status, 201);
    assert!(
        staff.ends_within(std::time::Duration::from_secs(5)).await,
        "the stream of a signed-out session ends"
    );
    assert!(
        staff
            .next(std::time::Duration::from_millis(100))
            .await
            .is_none(),
        "and nothing staff-only reached it after the sign-out"
    );
}

pub(crate) async fn the_live_log_carries_changes_not_histories(db: Db) {
    use roadshow_testkit::questions::{ask, moderate};
    let t = TestApp::with_demo(db).await;
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let q = ask(
        &t,
        &erika,
        serde_json::json!({"text": "Which parks take R&D centres?"}),
    )
    .await;
    let id = q["id"].as_i64().unwrap();
    moderate(&t, &organiser, id, serde_json::json!({"action": "approve"})).await;
    let mut public = roadshow_testkit::open_stream(
        &t.router,
        Request::get(format!("/api/v1/events/{SLUG}/live"))
            .header("authorization", format!("Bearer {erika}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let answer = |n: usize| {
        let (t, organiser) = (&t, &organiser);
        async move {
            let body =
                serde_json::json!({ "body": format!("Antwort {n}: Zhongguancun und Yizhuang.") });
            t.json(
                "POST",
                &format!("/api/v1/questions/{id}/answers"),
                Some(organiser),
                &body.to_string(),
            )
            .await
        }
    };
    let mut sizes = Vec::new();
    for n in 1..=roadshow_domain::questions::ANSWERS_PER_QUESTION {
        let r = answer(n).await;
        assert_eq!(r.status, 201, "answer {n}: {}", r.body);
        let e = public
            .next(std::time::Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(e.event, "question_answered");
        let data = e.json();
        assert!(
            data.get("answers").is_none(),
            "the history is not resent: {data}"
        );
        assert!(
            data["answer"]["body"]
                .as_str()
                .unwrap()
                .starts_with(&format!("Antwort {n}:"))
        );
        sizes.push(e.data.len());
    }
    // The twentieth answer's event is no larger than the first's.
    assert!(sizes[sizes.len() - 1] <= sizes[0] + 16, "{sizes:?}");
    let over = answer(99).await;
    assert_eq!(over.status, 409, "{}", over.body);
    assert_eq!(over.json()["code"], "too_many_answers");
    // An edit carries the text, not the answers either.
    let (status, _) = moderate(
        &t,
        &organiser,
        id,
        serde_json::json!({"action": "edit", "text": "Which parks take research centres?"}),
    )
    .await;
    assert_eq!(status, 200);
    let e = public
        .next(std::time::Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(e.event, "question_updated");
    assert_eq!(e.json()["text"], "Which parks take research centres?");
    assert!(e.json().get("answers").is_none(), "{}", e.data);
    // Polls per session are bounded too.
    let poll = serde_json::json!({"question": {"en": "Which district?"}, "options": [{"en": "Shunyi"}, {"en": "Daxing"}]});
    let mut created = 0;
    loop {
        let r = t
            .json(
                "POST",
                &format!("/api/v1/events/{SLUG}/polls"),
                Some(&organiser),
                &poll.to_string(),
            )
            .await;
        if r.status == 409 {
            assert_eq!(r.json()["code"], "too_many_polls");
            break;
        }
        assert_eq!(r.status, 201, "{}", r.body);
        created += 1;
        assert!(
            created <= roadshow_domain::polls::POLLS_PER_SESSION,
            "no limit"
        );
    }
}

pub(crate) async fn a_follower_back_after_the_replay_window_is_told_to_refresh(db: Db) {
    let t = TestApp::with_demo(db).await;
    let event = t.app.store.event_by_slug(SLUG).await.unwrap().unwrap();
    for _ in 0..roadshow_domain::live::LIVE_REPLAY + 300 {
        t.app
            .store
            .set_current_session(event.id, None)
            .await
            .unwrap();
    }
    let mut back = roadshow_testkit::open_stream(
        &t.router,
        Request::get(format!("/api/v1/events/{SLUG}/live"))
            .header("last-event-id", "1")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(back.status, 200);
    let first = back.next(std::time::Duration::from_secs(5)).await.unwrap();
    assert_eq!(first.event, "refresh", "{first:?}");
    let now = t.app.store.live_state(event.id).await.unwrap().seq;
    assert_eq!(first.id, Some(now), "and follows on from the newest event");
}
