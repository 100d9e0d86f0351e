//! The intent survey over HTTP, on SQLite and on PostgreSQL: the organiser words and
//! sends it, each participant gets it in their language with a link of their own, the
//! answers can be changed until the deadline, one reminder goes out, once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use chrono::{Duration, Utc};
use roadshow_testkit::{TestApp, form_encode, on_both, registration};
use serde_json::{Value, json};

on_both!(
    participants_answer_from_their_link_and_change_answers_until_the_deadline,
    the_organiser_words_the_survey_and_one_reminder_goes_out,
);

const SURVEY: &str = "/api/v1/events/two-zones-germany/survey";

/// The survey emails to `to` in the outbox, newest first.
async fn emails_to(t: &TestApp, organiser: &str, to: &str) -> Vec<Value> {
    let outbox = t.get_as("/api/v1/outbox?limit=500", organiser).await.json();
    outbox["emails"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["message"]["to"] == to
                && e["message"]["body_text"]
                    .as_str()
                    .unwrap()
                    .contains("/survey/")
        })
        .cloned()
        .collect()
}

/// The link's token in a survey email.
fn token_in(email: &Value) -> String {
    let body = email["message"]["body_text"].as_str().unwrap();
    let start = body.find("/survey/").unwrap() + "/survey/".len();
    body[start..].split_whitespace().next().unwrap().to_string()
}

async fn participants_answer_from_their_link_and_change_answers_until_the_deadline(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let sent = t
        .json("POST", &format!("{SURVEY}/send"), Some(&organiser), "")
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.json()["sent"].as_i64().unwrap() >= 63);
    let again = t
        .json("POST", &format!("{SURVEY}/send"), Some(&organiser), "")
        .await;
    assert_eq!(
        (again.status.as_u16(), again.json()["code"].clone()),
        (409, json!("already_sent"))
    );

    // In her language, with her own link.
    let emails = emails_to(&t, &organiser, "erika@muster.example").await;
    assert_eq!(emails.len(), 1);
    assert!(
        emails[0]["message"]["subject"]
            .as_str()
            .unwrap()
            .contains("Ihre Investitionspläne")
    );
    let token = token_in(&emails[0]);
    let page = t.get(&format!("/survey/{token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"interest\""));
    assert_eq!(t.get("/survey/not-a-token").await.status, 404);

    // The form from the link: a missing interest is named, a full answer is kept.
    let visitor = "v".repeat(43);
    let post = |body: String| {
        Request::builder()
            .method("POST")
            .uri(format!("/survey/{token}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("rs_csrf={visitor}"))
            .body(Body::from(format!("csrf={visitor}&{body}")))
            .unwrap()
    };
    let missing = t.send(post("sectors=automotive".into())).await;
    assert_eq!(missing.status, 422);
    assert!(missing.body.contains("error-summary"));
    let saved = t
        .send(post(format!(
            "interest=planning&sectors=automotive&districts=shunyi&project_type=manufacturing&investment=50m_200m&timeline=12_months&next_steps=site_visit&comment={}&consent=1",
            form_encode("Standort für 200 Arbeitsplätze")
        )))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let mine = t.get_as(&format!("{SURVEY}/answers"), &erika).await.json();
    let response = &mine["response"];
    assert_eq!(response["interest"], "planning");
    assert_eq!(response["consent"], true);
    assert_eq!(response["investment"], "50m_200m");
    assert_eq!(response["survey_version"], mine["version"]);
    let first = response["answered_at"].clone();
    assert_eq!(mine["questions"][0]["key"], "interest");

    // Changed through the API: the first answer's time stays.
    let bad = t
        .json(
            "PUT",
            &format!("{SURVEY}/answers"),
            Some(&erika),
            &json!({"interest": "maybe", "districts": ["atlantis"]}).to_string(),
        )
        .await;
    assert_eq!(bad.status, 422);
    let body = bad.json();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["interest", "districts.0"]);
    let changed = t
        .json(
            "PUT",
            &format!("{SURVEY}/answers"),
            Some(&erika),
            &json!({"interest": "considering", "consent": false}).to_string(),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.json()["answered_at"], first);
    assert_eq!(changed.json()["consent"], false);

    // After the deadline nothing changes, and nothing saved is lost.
    let event = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    let survey = t.app.store.survey(event.id).await.unwrap().unwrap();
    t.app
        .store
        .save_survey(
            event.id,
            &roadshow_domain::surveys::SurveyDraft {
                intro: survey.intro,
                questions: survey.questions,
                send_at: survey.send_at,
                deadline: Utc::now() - Duration::minutes(1),
                reminder_days: survey.reminder_days,
            },
        )
        .await
        .unwrap();
    let late = t
        .json(
            "PUT",
            &format!("{SURVEY}/answers"),
            Some(&erika),
            &json!({"interest": "committed"}).to_string(),
        )
        .await;
    assert_eq!(
        (late.status.as_u16(), late.json()["code"].clone()),
        (409, json!("survey_closed"))
    );
    let kept = t.get_as(&format!("{SURVEY}/answers"), &erika).await.json();
    assert_eq!(
        (kept["open"].clone(), kept["response"]["interest"].clone()),
        (json!(false), json!("considering"))
    );
}

async fn the_organiser_words_the_survey_and_one_reminder_goes_out(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    // Wrong times and unknown questions are named; nothing is changed.
    let before = t.get_as(SURVEY, &organiser).await.json();
    let version = before["survey"]["version"].as_i64().unwrap();
    let bad = t
        .json("PUT", SURVEY, Some(&organiser), &json!({"deadline": "2020-01-01T10:00", "questions": {"colour": {"en": "Favourite colour?"}}, "reminder_days": 0}).to_string())
        .await;
    assert_eq!(bad.status, 422);
    let body = bad.json();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["questions.colour", "deadline", "reminder_days"]
    );
    assert_eq!(
        t.get_as(SURVEY, &organiser).await.json()["survey"]["version"],
        version
    );
    let deadline = (Utc::now() + Duration::days(60))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let saved = t
        .json("PUT", SURVEY, Some(&organiser), &json!({"deadline": deadline, "reminder_days": 5, "questions": {"interest": {"de": "Planen Sie eine Investition?", "fr": "Prévoyez-vous d'investir ?"}}}).to_string())
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json()["version"], version + 1);
    // The organiser's wording, in the reader's language, with the catalogue's for the rest.
    let fr = t
        .json(
            "POST",
            "/api/v1/events/two-zones-germany/registrations",
            None,
            &registration("claire@exemple.fr", "Claire Dubois", "fr"),
        )
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let request = Request::builder()
        .uri(format!("{SURVEY}/answers"))
        .header("authorization", format!("Bearer {fr}"))
        .header("accept-language", "fr")
        .body(Body::empty())
        .unwrap();
    let form = t.send(request).await.json();
    assert_eq!(form["questions"][0]["text"], "Prévoyez-vous d'investir ?");
    // Then where the company stood before, and the sectors.
    assert_eq!(form["questions"][1]["key"], "interest_before");
    assert_eq!(form["questions"][2]["text"], "Dans quels secteurs ?");

    // Sent; after five days the one reminder, in French, to those who did not answer.
    let event = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now();
    assert!(
        t.app
            .surveys()
            .send_due(event.ends_at + Duration::minutes(1))
            .await
            .unwrap()
            >= 63
    );
    assert_eq!(
        t.app
            .surveys()
            .send_due(event.ends_at + Duration::minutes(2))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        t.app
            .surveys()
            .send_reminders(now + Duration::days(4))
            .await
            .unwrap(),
        0
    );
    let reminded = t
        .app
        .surveys()
        .send_reminders(event.ends_at + Duration::days(5) + Duration::minutes(5))
        .await
        .unwrap();
    assert!(reminded >= 1);
    assert_eq!(
        t.app
            .surveys()
            .send_reminders(event.ends_at + Duration::days(6))
            .await
            .unwrap(),
        0
    );
    let claire = emails_to(&t, &organiser, "claire@exemple.fr").await;
    assert_eq!(claire.len(), 2);
    assert!(
        claire[0]["message"]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Rappel")
    );
    // Each email carries a working link of its own.
    assert_ne!(token_in(&claire[0]), token_in(&claire[1]));
    for e in &claire {
        assert_eq!(t.get(&format!("/survey/{}", token_in(e))).await.status, 200);
    }
    // Sample companies who answered in the demo get no reminder.
    let summary = t.get_as(SURVEY, &organiser).await.json();
    let answered = summary["responses"].as_array().unwrap().len();
    assert_eq!(
        reminded,
        summary["participants"].as_u64().unwrap() as usize - answered
    );
}
