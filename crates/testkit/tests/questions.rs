//! The live exchange over HTTP, on SQLite and on PostgreSQL: asking, moderation, votes,
//! routing and answers, polls, the FAQ and export, the SSE stream with Last-Event-ID,
//! and the abuse limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_testkit::{TestApp, on_both, open_stream};
use serde_json::{Value, json};
use std::time::Duration;

on_both!(
    questions_wait_for_moderation_and_keep_the_asker_anonymous,
    votes_count_once_per_participant_and_can_be_taken_back,
    moderators_dismiss_edit_merge_route_and_pin,
    officials_answer_only_for_their_department,
    written_answers_after_the_event_are_emailed_and_the_faq_groups_them,
    polls_take_one_vote_per_participant_and_show_results_when_told,
    the_stream_replays_what_a_reconnecting_client_missed_once,
    abuse_limits_hold,
    a_question_is_kept_in_the_language_it_is_written_in,
);

const SLUG: &str = "two-zones-germany";
const QUESTIONS: &str = "/api/v1/events/two-zones-germany/questions";

async fn ask(t: &TestApp, token: &str, body: Value) -> Value {
    let r = t
        .json("POST", QUESTIONS, Some(token), &body.to_string())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

async fn moderate(t: &TestApp, token: &str, id: i64, body: Value) -> (u16, Value) {
    let r = t
        .json(
            "POST",
            &format!("/api/v1/questions/{id}/moderation"),
            Some(token),
            &body.to_string(),
        )
        .await;
    (r.status.as_u16(), r.json())
}

async fn public_ids(t: &TestApp) -> Vec<i64> {
    t.get(QUESTIONS).await.json()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect()
}

async fn department(t: &TestApp, organiser: &str, slug: &str) -> i64 {
    t.get_as("/api/v1/departments", organiser).await.json()["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["slug"] == slug)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn questions_wait_for_moderation_and_keep_the_asker_anonymous(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let q = ask(
        &t,
        &erika,
        json!({"text": "Welche Steuervergünstigungen gibt es im Deutsch-Chinesischen Industriepark in Shunyi?", "anonymous": true, "lang": "de"}),
    )
    .await;
    let id = q["id"].as_i64().unwrap();
    assert_eq!(q["state"], "pending");
    assert_eq!(q["author"], Value::Null, "anonymous to other participants");
    // Nobody else sees it before a moderator approves it.
    assert!(!public_ids(&t).await.contains(&id));
    let other = t.participant("hans@example.de", "Hans Other").await;
    assert_eq!(
        t.get_as(&format!("/api/v1/questions/{id}"), &other)
            .await
            .status,
        404
    );
    // The asker sees it, with its state.
    let own = t.get_as(QUESTIONS, &erika).await.json();
    assert!(
        own["questions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == id && x["state"] == "pending")
    );
    // Her personal page lists it, awaiting moderation.
    let home = t.get(&format!("/p/{erika}?lang=en")).await;
    assert!(home.body.contains("Welche Steuervergünstigungen"));
    assert!(home.body.contains("Awaiting moderation"));
    // Staff see who asked, and the suggested department with its reason.
    let staff = t
        .get_as(&format!("/api/v1/questions/{id}"), &moderator)
        .await
        .json();
    assert_eq!(staff["author_name"], "Erika Muster");
    assert_eq!(
        staff["suggested_department"]["name"]["en"],
        "Shunyi District Government"
    );
    assert!(
        staff["suggestion_reason"]
            .as_str()
            .unwrap()
            .contains("Shunyi"),
        "{}",
        staff["suggestion_reason"]
    );
    // A participant cannot moderate.
    let (status, _) = moderate(&t, &erika, id, json!({"action": "approve"})).await;
    assert_eq!(status, 403);
    let (status, approved) = moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    assert_eq!(status, 200);
    assert_eq!(approved["state"], "approved");
    assert!(public_ids(&t).await.contains(&id));
    let public = t.get(&format!("/api/v1/questions/{id}")).await.json();
    assert_eq!(public["author"], Value::Null);
    assert!(
        public.get("author_name").is_none(),
        "no names for the public"
    );
    // Approving twice is a conflict, not a silent success.
    let (status, problem) = moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    assert_eq!(status, 409);
    assert_eq!(problem["code"], "wrong_state");
}

async fn votes_count_once_per_participant_and_can_be_taken_back(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let hans = t.participant("hans@example.de", "Hans Other").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let id = ask(
        &t,
        &erika,
        json!({"text": "How fast is company registration?"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let vote = |token: String, method: &'static str| {
        let t = &t;
        async move {
            t.json(
                method,
                &format!("/api/v1/questions/{id}/vote"),
                Some(&token),
                "",
            )
            .await
        }
    };
    // Not public yet: nothing to vote for.
    assert_eq!(vote(hans.clone(), "POST").await.status, 404);
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    let r = vote(hans.clone(), "POST").await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["changed"].as_bool()),
        (Some(1), Some(true))
    );
    let r = vote(hans.clone(), "POST").await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["changed"].as_bool()),
        (Some(1), Some(false)),
        "nobody votes twice"
    );
    let r = vote(erika.clone(), "POST").await.json();
    assert_eq!(r["votes"], 2);
    let r = vote(hans.clone(), "DELETE").await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["changed"].as_bool()),
        (Some(1), Some(true))
    );
    let r = vote(hans.clone(), "DELETE").await.json();
    assert_eq!(
        (r["votes"].as_i64(), r["changed"].as_bool()),
        (Some(1), Some(false))
    );
    // Staff do not vote; the count shown is the count stored.
    assert_eq!(vote(moderator.clone(), "POST").await.status, 403);
    let shown = t.get(&format!("/api/v1/questions/{id}")).await.json();
    assert_eq!(shown["votes"], 1);
    // Many votes at once all count (they are committed in batches).
    let mut tokens = Vec::new();
    for i in 0..20 {
        tokens.push(
            t.participant(&format!("p{i}@example.de"), &format!("Person {i}"))
                .await,
        );
    }
    // Sent together, so that the vote writer commits them in batches.
    let all =
        futures_util::future::join_all(tokens.iter().map(|tk| vote(tk.clone(), "POST"))).await;
    assert!(all.iter().all(|r| r.status == 200));
    assert_eq!(
        t.get(&format!("/api/v1/questions/{id}")).await.json()["votes"],
        21
    );
}

async fn moderators_dismiss_edit_merge_route_and_pin(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let hans = t.participant("hans@example.de", "Hans Other").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let a = ask(
        &t,
        &erika,
        json!({"text": "Is there support for hiring engineers?"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let b = ask(&t, &hans, json!({"text": "support for hiring engineers??"})).await["id"]
        .as_i64()
        .unwrap();
    let c = ask(&t, &hans, json!({"text": "Buy cheap watches"})).await["id"]
        .as_i64()
        .unwrap();
    for id in [a, b] {
        moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    }
    // Dismissing needs a reason, named in the error; the reason is kept for staff.
    let (status, problem) = moderate(&t, &moderator, c, json!({"action": "dismiss"})).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "reason");
    let (status, dismissed) = moderate(
        &t,
        &moderator,
        c,
        json!({"action": "dismiss", "reason": "Advertising"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(dismissed["dismiss_reason"], "Advertising");
    assert!(!public_ids(&t).await.contains(&c));
    // Editing for clarity keeps the original.
    let (_, edited) = moderate(
        &t,
        &moderator,
        b,
        json!({"action": "edit", "text": "Is there support for hiring engineers in Beijing?"}),
    )
    .await;
    assert_eq!(edited["original_text"], "support for hiring engineers??");
    assert_eq!(
        edited["text"],
        "Is there support for hiring engineers in Beijing?"
    );
    // Merging adds the votes up, counting a participant who voted for both once.
    let third = t.participant("third@example.de", "Third Person").await;
    for (token, id) in [(&third, a), (&third, b), (&erika, b)] {
        t.json(
            "POST",
            &format!("/api/v1/questions/{id}/vote"),
            Some(token),
            "",
        )
        .await;
    }
    let (status, _) = moderate(&t, &moderator, b, json!({"action": "merge", "into": a})).await;
    assert_eq!(status, 200);
    let target = t.get(&format!("/api/v1/questions/{a}")).await.json();
    assert_eq!(target["votes"], 2, "third (both) once + erika");
    assert!(!public_ids(&t).await.contains(&b));
    let merged = t
        .get_as(&format!("/api/v1/questions/{b}"), &moderator)
        .await
        .json();
    assert_eq!(
        (merged["state"].as_str(), merged["merged_into"].as_i64()),
        (Some("merged"), Some(a))
    );
    // Merging into itself or into nothing is refused by field.
    let (status, problem) =
        moderate(&t, &moderator, a, json!({"action": "merge", "into": a})).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("into"))
    );
    // Routing: only departments of the agency.
    let (status, problem) = moderate(
        &t,
        &moderator,
        a,
        json!({"action": "route", "department": 999_999}),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("department"))
    );
    let fengtai = department(&t, &organiser, "fengtai").await;
    let (_, routed) = moderate(
        &t,
        &moderator,
        a,
        json!({"action": "route", "department": fengtai}),
    )
    .await;
    assert_eq!(routed["department"]["id"], fengtai);
    // One pinned question at a time.
    let other = public_ids(&t)
        .await
        .into_iter()
        .find(|id| *id != a)
        .unwrap();
    moderate(&t, &moderator, other, json!({"action": "pin"})).await;
    moderate(&t, &moderator, a, json!({"action": "pin"})).await;
    let pinned: Vec<i64> = t.get(QUESTIONS).await.json()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["pinned"] == true)
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(pinned, vec![a]);
    // Unknown actions are named.
    let (status, problem) = moderate(&t, &moderator, a, json!({"action": "explode"})).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("action"))
    );
}

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
    let store = &t.app.store;
    let event = store.event_by_slug(SLUG).await.unwrap().unwrap();
    let draft = roadshow_domain::events::EventDraft {
        slug: event.slug.clone(),
        title: event.title.clone(),
        theme: event.theme.clone(),
        description: event.description.clone(),
        focus_industries: event.focus_industries.clone(),
        target_countries: event.target_countries.clone(),
        languages: event.languages.clone(),
        starts_at: chrono::Utc::now() - chrono::Duration::days(30),
        ends_at: chrono::Utc::now() - chrono::Duration::days(30) + chrono::Duration::hours(2),
        timezone: event.timezone.clone(),
        video_url: event.video_url.clone(),
        status: event.status,
        form_fields: event.form_fields.clone(),
        privacy_version: event.privacy_version.clone(),
    };
    store.update_event(event.id, &draft).await.unwrap();
    t.app.clear_page_cache();
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

async fn polls_take_one_vote_per_participant_and_show_results_when_told(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let hans = t.participant("hans@example.de", "Hans Other").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let polls = format!("/api/v1/events/{SLUG}/polls");
    // Too few options, named.
    let r = t
        .json(
            "POST",
            &polls,
            Some(&organiser),
            &json!({"question": {"en": "Where?"}, "options": [{"en": "Shunyi"}]}).to_string(),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("options"))
    );
    let r = t
        .json("POST", &polls, Some(&organiser), &json!({"question": {"en": "Where would you invest?", "de": "Wo würden Sie investieren?"}, "options": [{"en": "Shunyi"}, {"en": "Fengtai"}, {"en": "Elsewhere"}]}).to_string())
        .await;
    assert_eq!(r.status, 201);
    let id = r.json()["id"].as_i64().unwrap();
    // A draft is not public and takes no votes.
    let public = t.get(&polls).await.json();
    assert!(
        !public["polls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id)
    );
    let vote = |token: String, choices: Value| {
        let t = &t;
        async move {
            t.json(
                "POST",
                &format!("/api/v1/polls/{id}/votes"),
                Some(&token),
                &json!({"choices": choices}).to_string(),
            )
            .await
        }
    };
    assert_eq!(vote(erika.clone(), json!([0])).await.status, 404);
    t.json(
        "POST",
        &format!("/api/v1/polls/{id}/state"),
        Some(&organiser),
        r#"{"action":"open"}"#,
    )
    .await;
    let r = vote(erika.clone(), json!([0, 1])).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["code"].as_str()),
        (422, Some("one_choice_only"))
    );
    assert_eq!(vote(erika.clone(), json!([7])).await.status, 422);
    let r = vote(erika.clone(), json!([0])).await.json();
    assert_eq!(
        r["poll"]["counts"],
        Value::Null,
        "results hidden until shown"
    );
    vote(erika.clone(), json!([1])).await; // changes her answer, still one vote
    vote(hans.clone(), json!([1])).await;
    let staff = t.get_as(&polls, &organiser).await.json();
    let p = staff["polls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(
        (p["counts"].clone(), p["voters"].as_i64()),
        (json!([0, 2, 0]), Some(2))
    );
    t.json(
        "POST",
        &format!("/api/v1/polls/{id}/state"),
        Some(&organiser),
        r#"{"action":"show_results"}"#,
    )
    .await;
    let p = t.get(&polls).await.json()["polls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(p["counts"], json!([0, 2, 0]));
    t.json(
        "POST",
        &format!("/api/v1/polls/{id}/state"),
        Some(&organiser),
        r#"{"action":"close"}"#,
    )
    .await;
    let r = vote(hans.clone(), json!([2])).await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["code"].as_str()),
        (422, Some("poll_not_open"))
    );
    // A participant cannot run polls.
    let r = t
        .json(
            "POST",
            &format!("/api/v1/polls/{id}/state"),
            Some(&erika),
            r#"{"action":"open"}"#,
        )
        .await;
    assert_eq!(r.status, 403);
}

fn stream_request(token: Option<&str>, last_event_id: Option<i64>) -> Request<Body> {
    let mut b = Request::get(format!("/api/v1/events/{SLUG}/live"));
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    if let Some(id) = last_event_id {
        b = b.header("last-event-id", id.to_string());
    }
    b.body(Body::empty()).unwrap()
}

async fn the_stream_replays_what_a_reconnecting_client_missed_once(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let hans = t.participant("hans@example.de", "Hans Other").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let short = Duration::from_millis(400);
    let mut public = open_stream(&t.router, stream_request(Some(&hans), None)).await;
    let mut staff = open_stream(&t.router, stream_request(Some(&moderator), None)).await;
    assert_eq!(public.status, 200);
    let q = ask(
        &t,
        &erika,
        json!({"text": "Is the Sino-German park still taking tenants?"}),
    )
    .await;
    let id = q["id"].as_i64().unwrap();
    // Only staff hear of a question waiting for moderation.
    let e = staff.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(e.event, "question_submitted");
    assert_eq!(e.json()["author_name"], "Erika Muster");
    assert!(public.next(short).await.is_none());
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    let e = public.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(e.event, "question_approved");
    assert_eq!(e.json()["id"], id);
    assert!(e.json().get("author_name").is_none());
    let seen = e.id.unwrap();
    // The client goes away; meanwhile votes, an answer and a pin happen.
    drop(public);
    t.json(
        "POST",
        &format!("/api/v1/questions/{id}/vote"),
        Some(&hans),
        "",
    )
    .await;
    t.json(
        "POST",
        &format!("/api/v1/questions/{id}/vote"),
        Some(&erika),
        "",
    )
    .await;
    moderate(&t, &moderator, id, json!({"action": "pin"})).await;
    let organiser = t.token("organiser@roadshow.example").await;
    t.json(
        "POST",
        &format!("/api/v1/questions/{id}/answers"),
        Some(&organiser),
        r#"{"live":true}"#,
    )
    .await;
    // Reconnecting with Last-Event-ID gives exactly the missed events, in order, once.
    let mut again = open_stream(&t.router, stream_request(Some(&hans), Some(seen))).await;
    let missed = again.drain(Duration::from_millis(700)).await;
    let kinds: Vec<&str> = missed.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "question_voted",
            "question_voted",
            "question_updated",
            "question_pinned",
            "question_answered"
        ],
        "{missed:?}"
    );
    let ids: Vec<i64> = missed.iter().map(|e| e.id.unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "in order, no repeats: {ids:?}"
    );
    assert!(ids[0] > seen);
    assert_eq!(missed[1].json()["votes"], 2);
    // And then live again, without repeating anything.
    moderate(&t, &moderator, id, json!({"action": "unpin"})).await;
    let next = again.next(Duration::from_secs(5)).await.unwrap();
    assert!(next.id.unwrap() > *ids.last().unwrap());
    // The staff stream saw everything, including its own view of each change.
    let all = staff.drain(short).await;
    assert!(
        all.iter()
            .any(|e| e.event == "question_updated" && e.json()["state"] == "answered")
    );
    // ?after= works like Last-Event-ID for the first connection.
    let mut from_start = open_stream(
        &t.router,
        Request::get(format!("/api/v1/events/{SLUG}/live?after={seen}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    // The missed events, then the unpin's two (the question and the pin).
    assert_eq!(from_start.drain(short).await.len(), missed.len() + 2);
}

async fn abuse_limits_hold(t: TestApp) {
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;
    // Too long: named with its limit.
    let r = t
        .json(
            "POST",
            QUESTIONS,
            Some(&erika),
            &json!({"text": "x".repeat(1001)}).to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["field"], "text");
    // A session of another event is refused by field.
    let r = t
        .json(
            "POST",
            QUESTIONS,
            Some(&erika),
            &json!({"text": "Hello?", "session_id": 999_999}).to_string(),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["errors"][0]["field"].as_str()),
        (422, Some("session_id"))
    );
    // HTML in a question is shown as text on every page.
    let id = ask(
        &t,
        &erika,
        json!({"text": "<img src=x onerror=alert(1)> <b>bold</b>?"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    let page = t.get(&format!("/events/{SLUG}/live")).await;
    assert!(page.body.contains("&#60;img src=x onerror=alert(1)&#62;"));
    assert!(!page.body.contains("<img src=x"));
    // Five questions per participant per minute (attempts count): then 429 with Retry-After.
    let mut statuses = Vec::new();
    let mut refused = None;
    for i in 0..6 {
        let r = t
            .json(
                "POST",
                QUESTIONS,
                Some(&erika),
                &json!({"text": format!("Question {i}")}).to_string(),
            )
            .await;
        statuses.push(r.status.as_u16());
        if r.status == 429 {
            refused = Some(r);
        }
    }
    let refused = refused.unwrap_or_else(|| panic!("never limited: {statuses:?}"));
    assert!(refused.header("retry-after").parse::<u64>().unwrap() > 0);
    assert_eq!(refused.json()["code"], "rate_limited");
    // Nothing already saved is lost: every accepted question is there for staff.
    let accepted = statuses.iter().filter(|s| **s == 201).count() + 1;
    let all = t.get_as(QUESTIONS, &moderator).await.json();
    let mine = all["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["author_name"] == "Erika Muster")
        .count();
    assert_eq!(mine, accepted);
}

async fn a_question_is_kept_in_the_language_it_is_written_in(t: TestApp) {
    // Registered in French; the API call says nothing about languages.
    let r = t
        .json(
            "POST",
            "/api/v1/events/two-zones-germany/registrations",
            None,
            &roadshow_testkit::registration("claire@exemple.fr", "Claire Martin", "fr"),
        )
        .await;
    let token = r.json()["token"].as_str().unwrap().to_string();
    let lang_of = |q: Value| q["lang"].as_str().unwrap().to_string();
    let german = ask(
        &t,
        &token,
        json!({"text": "Wie hoch ist die Körperschaftsteuer im Park?"}),
    )
    .await;
    assert_eq!(lang_of(german), "de");
    let chinese = ask(&t, &token, json!({"text": "顺义园区有哪些税收优惠？"})).await;
    assert_eq!(lang_of(chinese), "zh");
    // Nothing to tell it by: the asker's registered language.
    let unclear = ask(&t, &token, json!({"text": "Steinbeis?"})).await;
    assert_eq!(lang_of(unclear), "fr");
    // Said explicitly: as said.
    let said = ask(&t, &token, json!({"text": "Hello?", "lang": "en"})).await;
    assert_eq!(lang_of(said), "en");
}
