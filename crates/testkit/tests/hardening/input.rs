//! Bad input: named field errors in the caller's language, nothing half saved, bodies refused before they are read.

use super::*;

pub(crate) async fn control_characters_are_a_named_422_and_nothing_is_saved(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let before = t
        .get_as(&format!("/api/v1/events/{SLUG}/registrations"), &organiser)
        .await
        .json()["registrations"]
        .as_array()
        .map(Vec::len);
    let nul = roadshow_testkit::ERIKA.replace("Erika Muster", "Eri\\u0000ka");
    let r = t
        .json(
            "POST",
            &format!("/api/v1/events/{SLUG}/registrations"),
            None,
            &nul,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    assert_eq!(r.json()["errors"][0]["field"], "name", "{}", r.body);
    assert_eq!(r.json()["errors"][0]["code"], "control_character");
    // A lone surrogate cannot be text at all: a clear 400, still a problem document.
    let surrogate = roadshow_testkit::ERIKA.replace("Erika Muster", "Eri\\ud800ka");
    let r = t
        .json(
            "POST",
            &format!("/api/v1/events/{SLUG}/registrations"),
            None,
            &surrogate,
        )
        .await;
    assert!(r.status.is_client_error(), "{} {}", r.status, r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    // Right-to-left marks and emoji are text, and kept.
    let rtl = roadshow_testkit::ERIKA
        .replace("Erika Muster", "Erika \u{200f}Muster 🙂")
        .replace("erika@", "rtl@");
    let r = t
        .json(
            "POST",
            &format!("/api/v1/events/{SLUG}/registrations"),
            None,
            &rtl,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let after = t
        .get_as(&format!("/api/v1/events/{SLUG}/registrations"), &organiser)
        .await
        .json()["registrations"]
        .as_array()
        .map(Vec::len);
    assert_eq!(
        after,
        before.map(|n| n + 1),
        "only the valid registration was saved"
    );
    // The same rule on a dismissal reason typed by a moderator.
    let question = t
        .json(
            "POST",
            &format!("/api/v1/events/{SLUG}/questions"),
            Some(&t.participant("asker@muster.example.de", "Asker").await),
            r#"{"text":"Welche Förderung gibt es für Forschung?"}"#,
        )
        .await;
    if question.status == 201 {
        let id = question.json()["id"].as_i64().unwrap();
        let r = t
            .json(
                "POST",
                &format!("/api/v1/questions/{id}/moderation"),
                Some(&organiser),
                r#"{"action":"dismiss","reason":"dop\u0000pelt"}"#,
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.json()["errors"][0]["field"], "reason");
    }
}

pub(crate) async fn a_speaker_added_while_its_session_is_deleted_is_a_404(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let event = t.get(&format!("/api/v1/events/{SLUG}")).await.json();
    let starts = event["starts_at"].as_str().unwrap().to_string();
    for _round in 0..3 {
        let body =
            serde_json::json!({"starts_at": starts, "ends_at": starts, "title": {"en": "Short"}})
                .to_string()
                .replacen(
                    &format!("\"ends_at\":\"{starts}\""),
                    &format!("\"ends_at\":\"{}\"", later(&starts)),
                    1,
                );
        let session = t
            .json(
                "POST",
                &format!("/api/v1/events/{SLUG}/sessions"),
                Some(&organiser),
                &body,
            )
            .await;
        assert_eq!(session.status, 201, "{}", session.body);
        let id = session.json()["id"].as_i64().unwrap();
        let (t, organiser) = (&t, &organiser);
        let adds = (0..40).map(|i| async move {
            let path = format!("/api/v1/sessions/{id}/speakers");
            let body = format!(r#"{{"name":"Speaker {i}"}}"#);
            t.json("POST", &path, Some(organiser), &body).await
        });
        let delete = async move {
            let path = format!("/api/v1/sessions/{id}");
            t.json("DELETE", &path, Some(organiser), "").await
        };
        let (added, deleted) = tokio::join!(futures_util::future::join_all(adds), delete);
        assert!(deleted.status.is_success(), "{}", deleted.body);
        for r in added {
            assert!(
                r.status == 201 || r.status == 404,
                "{}: {}",
                r.status,
                r.body
            );
        }
        // Whatever the interleaving above, the store itself reads a vanished parent as
        // "gone": the insert that lost the race is a NotFound, never a backend failure.
        let draft = roadshow_domain::events::agenda::SpeakerInput {
            name: Some("Late".into()),
            ..Default::default()
        }
        .parse()
        .unwrap();
        let late = t
            .app
            .store
            .add_speaker(roadshow_domain::SessionId(id), &draft)
            .await;
        assert!(
            matches!(late, Err(roadshow_domain::store::StoreError::NotFound)),
            "{late:?}"
        );
    }
}

pub(crate) async fn every_error_is_a_problem_document_the_contract_names(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let doc = roadshow_web::openapi::document();
    // (method, path as sent, path as documented, content type, body, status)
    type Case<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, &'a str, u16);
    let cases: &[Case] = &[
        (
            "GET",
            "/api/v1/questions/9223372036854775808",
            "/api/v1/questions/{id}",
            None,
            "",
            404,
        ),
        (
            "DELETE",
            "/api/v1/materials/99999999999999999999",
            "/api/v1/materials/{id}",
            None,
            "",
            404,
        ),
        (
            "GET",
            "/api/v1/events/two-zones-germany/live?after=null",
            "/api/v1/events/{slug}/live",
            None,
            "",
            400,
        ),
        (
            "POST",
            "/api/v1/events",
            "/api/v1/events",
            Some("text/plain"),
            "{}",
            415,
        ),
        (
            "POST",
            "/api/v1/events",
            "/api/v1/events",
            Some("application/json"),
            "{\"slug\": 7}",
            422,
        ),
        (
            "POST",
            "/api/v1/events",
            "/api/v1/events",
            Some("application/json"),
            "{\"slug\": ",
            400,
        ),
        (
            "PUT",
            "/api/v1/sessions/1",
            "/api/v1/sessions/{id}",
            None,
            "",
            415,
        ),
    ];
    for (method, path, documented, content_type, body, status) in cases {
        let mut b = Request::builder()
            .method(*method)
            .uri(*path)
            .header("authorization", format!("Bearer {organiser}"));
        if let Some(ct) = content_type {
            b = b.header("content-type", *ct);
        }
        let r = t.send(b.body(Body::from(body.to_string())).unwrap()).await;
        assert!(
            r.status.is_client_error(),
            "{method} {path}: {} {}",
            r.status,
            r.body
        );
        assert_eq!(r.status.as_u16(), *status, "{method} {path}: {}", r.body);
        assert_eq!(
            r.header("content-type"),
            "application/problem+json",
            "{method} {path}: {}",
            r.body
        );
        assert_eq!(r.json()["status"], *status);
        let operation = &doc["paths"][*documented][method.to_lowercase()];
        assert!(
            operation["responses"].get(status.to_string()).is_some(),
            "{method} {documented} does not document {status}"
        );
    }
    // A method an address does not take, and an address that does not exist.
    let r = t
        .json("PATCH", "/api/v1/events", Some(&organiser), "{}")
        .await;
    assert_eq!(r.status, 405);
    assert_eq!(r.header("content-type"), "application/problem+json");
    let r = t.get("/api/v1/nothing-here").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), "application/problem+json");
}

pub(crate) async fn a_body_of_the_wrong_shape_names_its_field_in_the_callers_language(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let send = |body: &'static str| {
        let request = Request::post("/api/v1/departments")
            .header("authorization", format!("Bearer {organiser}"))
            .header("content-type", "application/json")
            .header("accept-language", "de")
            .body(Body::from(body))
            .unwrap();
        t.send(request)
    };
    // (body, field, code)
    let cases = [
        (
            r#"{"slug": "x", "name": {"de": 7}}"#,
            "name",
            "invalid_type",
        ),
        (
            r#"{"slug": "x", "name": {"de": "Amt"}, "kind": 7}"#,
            "kind",
            "invalid_type",
        ),
        (r#"{"name": {"de": "Amt"}}"#, "slug", "required"),
        ("[1, 2]", "body", "json_object_required"),
    ];
    for (body, field, code) in cases {
        let r = send(body).await;
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        let errors = &r.json()["errors"];
        assert_eq!(errors[0]["field"], field, "{body}: {}", r.body);
        assert_eq!(errors[0]["code"], code, "{body}: {}", r.body);
        // The message is German, as the caller asked.
        let message = errors[0]["message"].as_str().unwrap();
        assert!(
            ["Dieses", "Der Inhalt"]
                .iter()
                .any(|m| message.starts_with(m)),
            "{message}"
        );
    }
}

pub(crate) async fn a_number_out_of_range_is_told_its_bounds(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let instance = r#"{"slots": ["s1"], "hosts": [], "companies": [], "requests": []}"#;
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule?time_limit_ms=5",
            Some(&organiser),
            instance,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let message = r.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("100") && message.contains("10"),
        "{message}"
    );
    assert!(
        !message.contains('{') && !message.contains(" 0 "),
        "{message}"
    );
    // A page counts from 1.
    let r = t.get("/api/v1/search?q=park&page=0").await;
    assert_eq!(r.status, 400, "{}", r.body);
    let message = r.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains(" 1 "), "{message}");
    // A record of the scheduler's instance is told its own bounds.
    let instance = r#"{"slots": ["s1"], "hosts": [{"id": "h", "capacity": 0, "available": ["s1"]}], "companies": [], "requests": []}"#;
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule",
            Some(&organiser),
            instance,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "hosts[0].capacity");
    let message = r.json()["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains(" 1 ") && !message.contains('{'),
        "{message}"
    );
}

pub(crate) async fn who_may_not_send_a_large_body_is_told_before_it_is_read(db: Db) {
    let t = TestApp::with_demo(db).await;
    let officer = t.token("officer@roadshow.example").await;
    // Not JSON at all: a handler that read it first would answer 400.
    let garbage = "x".repeat(1 << 20);
    for path in ["/api/v1/meetings/schedule", "/api/v1/directory/import"] {
        for (token, status) in [(None, 401), (Some(officer.as_str()), 403)] {
            let mut b = Request::post(path).header("content-type", "application/json");
            if let Some(token) = token {
                b = b.header("authorization", format!("Bearer {token}"));
            }
            let r = t.send(b.body(Body::from(garbage.clone())).unwrap()).await;
            assert_eq!(r.status, status, "{path}: {}", r.body);
        }
    }
}
