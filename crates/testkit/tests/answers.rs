//! Answers over HTTP, on SQLite and on PostgreSQL: officials answer for their department,
//! written answers after the event are emailed, the FAQ groups them, and the export.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_testkit::questions::*;
use roadshow_testkit::{TestApp, on_both};
use serde_json::{Value, json};

on_both!(
    officials_answer_only_for_their_department,
    written_answers_after_the_event_are_emailed_and_the_faq_groups_them,
    the_answering_console_shows_the_latest_answers_only,
);

async fn officials_answer_only_for_their_department(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let official = t.token("official@roadshow.example").await; // Shunyi
    let id = ask(
        &t,
        &erika,
        json!({"text": "Rail transit suppliers in Fengtai: which support?"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    let fengtai = department(&t, &organiser, "fengtai").await;
    let shunyi = department(&t, &organiser, "shunyi").await;
    moderate(
        &t,
        &moderator,
        id,
        json!({"action": "route", "department": fengtai}),
    )
    .await;
    let answer = |token: String, body: Value| {
        let t = &t;
        async move {
            t.json(
                "POST",
                &format!("/api/v1/questions/{id}/answers"),
                Some(&token),
                &body.to_string(),
            )
            .await
        }
    };
    // Shunyi's official cannot answer for Fengtai, nor can a moderator or a participant.
    assert_eq!(
        answer(official.clone(), json!({"body": "Hello"}))
            .await
            .status,
        403
    );
    assert_eq!(
        answer(moderator.clone(), json!({"body": "Hello"}))
            .await
            .status,
        403
    );
    assert_eq!(
        answer(erika.clone(), json!({"body": "Hello"})).await.status,
        403
    );
    // The queue shows only the official's department.
    let queue = t.get_as("/api/v1/assignments", &official).await.json();
    assert!(
        queue["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["question"]["department"]["id"] == shunyi)
    );
    moderate(
        &t,
        &moderator,
        id,
        json!({"action": "route", "department": shunyi}),
    )
    .await;
    let queue = t.get_as("/api/v1/assignments", &official).await.json();
    let mine = queue["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question"]["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(mine["overdue"], false);
    assert!(mine["due"].as_str().is_some());
    // An empty written answer is named; Markdown is sanitised.
    let r = answer(official.clone(), json!({"body": "  "})).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("body"))
    );
    let r = answer(official.clone(), json!({"body": "**Yes**: see <script>alert(1)</script>[form](javascript:alert(1))", "lang": "en"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let q = t.get(&format!("/api/v1/questions/{id}")).await.json();
    assert_eq!(q["state"], "answered");
    let html = q["answers"][0]["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>Yes</strong>"));
    assert!(
        !html.contains("<script") && !html.contains("javascript:"),
        "{html}"
    );
    assert_eq!(q["answers"][0]["department"]["id"], shunyi);
    // The event is still ahead: no email.
    let outbox = t.get_as("/api/v1/outbox", &organiser).await.body;
    assert!(!outbox.contains("has been answered"));
    // Marked as answered live by the organiser.
    let r = answer(organiser.clone(), json!({"live": true})).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["answers"][1]["live"], true);
}

async fn written_answers_after_the_event_are_emailed_and_the_faq_groups_them(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let official = t.token("official@roadshow.example").await;
    let shunyi = department(&t, &organiser, "shunyi").await;
    let id = ask(
        &t,
        &erika,
        json!({"text": "=HYPERLINK(\"http://evil\") Land prices in Shunyi?", "lang": "de"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    moderate(
        &t,
        &moderator,
        id,
        json!({"action": "route", "department": shunyi}),
    )
    .await;
    // The event is over.
    t.reschedule_demo(
        chrono::Utc::now() - chrono::Duration::days(30),
        chrono::Utc::now() - chrono::Duration::days(30) + chrono::Duration::hours(2),
    )
    .await;
    // Five working days have long passed: the question is overdue.
    let queue = t.get_as("/api/v1/assignments", &official).await.json();
    let mine = queue["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question"]["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(mine["overdue"], true);
    let r = t
        .json(
            "POST",
            &format!("/api/v1/questions/{id}/answers"),
            Some(&official),
            &json!({"body": "About 800 yuan per m².", "lang": "en"}).to_string(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let outbox = t.get_as("/api/v1/outbox", &organiser).await.json();
    let email = outbox["emails"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["message"]["to"] == "erika@muster.example"
                && e["message"]["body_text"]
                    .as_str()
                    .unwrap()
                    .contains("800 yuan")
        })
        .unwrap_or_else(|| panic!("no answer email in {outbox}"))
        .clone();
    // In the asker's language (German).
    assert!(
        email["message"]["subject"]
            .as_str()
            .unwrap()
            .contains("beantwortet"),
        "{email}"
    );
    // The FAQ is for staff until published, then for everyone, grouped by department.
    assert_eq!(
        t.get(&format!("/api/v1/events/{SLUG}/faq")).await.status,
        404
    );
    assert_eq!(
        t.get_as(&format!("/api/v1/events/{SLUG}/faq"), &organiser)
            .await
            .status,
        200
    );
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/events/{SLUG}/qa-settings"),
            Some(&organiser),
            &json!({"answer_working_days": 5, "faq_published": true}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200);
    let faq = t.get(&format!("/api/v1/events/{SLUG}/faq")).await.json();
    let group = faq["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["department"]["id"] == shunyi)
        .unwrap()
        .clone();
    let texts: Vec<&str> = group["topics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| {
            t["questions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q["text"].as_str().unwrap())
        })
        .collect();
    assert!(texts.iter().any(|t| t.contains("Land prices")));
    let page = t.get(&format!("/events/{SLUG}/faq?lang=en")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("About 800 yuan"));
    // The export is safe to open in a spreadsheet and has every answer.
    let csv = t
        .get_as(&format!("/api/v1/events/{SLUG}/questions.csv"), &moderator)
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let row = rows
        .iter()
        .find(|r| r.iter().any(|c| c.contains("Land prices")))
        .unwrap();
    assert!(row.iter().any(|c| c.starts_with("'=HYPERLINK")), "{row:?}");
    assert!(row.iter().any(|c| c == "About 800 yuan per m²."));
    // Bad settings are named.
    let r = t
        .json(
            "PUT",
            &format!("/api/v1/events/{SLUG}/qa-settings"),
            Some(&organiser),
            &json!({"answer_working_days": 400}).to_string(),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("answer_working_days"))
    );
}

/// The answering console is re-read at every move of the live exchange: however many
/// questions a department has answered, it shows the latest 20 of them (all of them are
/// in the API, a page at a time).
async fn the_answering_console_shows_the_latest_answers_only(t: TestApp) {
    use roadshow_domain::Lang;
    use roadshow_domain::live::QuestionLive;
    use roadshow_domain::questions::{NewQuestion, QuestionDraft};
    use roadshow_domain::registrations::RegistrationFilter;
    let store = &t.app.store;
    let event = store.event_by_slug(SLUG).await.unwrap().unwrap();
    let first = RegistrationFilter {
        limit: Some(1),
        ..Default::default()
    };
    let someone = store.registrations(event.id, &first).await.unwrap()[0].clone();
    let moderator = t.token("moderator@roadshow.example").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let official = t.token("official@roadshow.example").await; // Shunyi
    let shunyi = department(&t, &organiser, "shunyi").await;
    for i in 0..23 {
        let draft = NewQuestion {
            event: event.id,
            participant: someone.participant_id,
            author_name: someone.name.clone(),
            author_company: someone.company.name.clone(),
            question: QuestionDraft {
                text: format!("Beantwortete Frage Nummer {i} zu Shunyi?"),
                session_id: None,
                anonymous: false,
                lang: Lang::De,
            },
            suggested_department: None,
            suggestion_reason: None,
        };
        let id = store
            .create_question(&draft, &QuestionLive::Submitted)
            .await
            .unwrap()
            .id
            .0;
        assert_eq!(
            moderate(&t, &moderator, id, json!({"action": "approve"}))
                .await
                .0,
            200
        );
        let routed = moderate(
            &t,
            &moderator,
            id,
            json!({"action": "route", "department": shunyi}),
        )
        .await;
        assert_eq!(routed.0, 200, "{}", routed.1);
        let r = t
            .json(
                "POST",
                &format!("/api/v1/questions/{id}/answers"),
                Some(&official),
                &json!({"body": format!("Antwort {i}"), "lang": "de"}).to_string(),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let login = t
        .app
        .accounts()
        .login("official@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let page = t
        .send(
            axum::http::Request::get("/admin/questions")
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=de", login.session_secret),
                )
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, 200);
    let done = page
        .body
        .split("id=\"h-done\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap();
    assert_eq!(
        done.matches("class=\"card mod-question\"").count(),
        20,
        "the latest 20"
    );
    assert!(
        done.contains("Beantwortete Frage Nummer 22 zu"),
        "the newest"
    );
    assert!(
        !done.contains("Beantwortete Frage Nummer 0 zu"),
        "not the oldest"
    );
    assert!(done.contains("Die zuletzt gegebenen Antworten"));
    let all = t
        .get_as("/api/v1/assignments?answered=true&limit=500", &official)
        .await
        .json();
    let ours = all["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["question"]["text"]
                .as_str()
                .is_some_and(|q| q.starts_with("Beantwortete Frage"))
        })
        .count();
    assert_eq!(ours, 23, "every answered one in the API");
}
