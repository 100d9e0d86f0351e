//! The report emailed 1, 30 and 90 days after the event, on both databases: the
//! organiser chooses staff and days, each sending goes once, in the recipient's account
//! language and as they may read it, with the headline's counts; staff set the language
//! of their emails themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use chrono::{Duration, Utc};
use roadshow_testkit::{Db, TestApp};
use serde_json::{Value, json};

const SCHEDULE: &str = "/api/v1/events/two-zones-germany/report/schedule";

async fn account_id(t: &TestApp, email: &str) -> i64 {
    t.app
        .store
        .account_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .account
        .id
        .0
}

/// The emails in the outbox to `to`, newest first.
async fn emails_to(t: &TestApp, to: &str) -> Vec<roadshow_domain::outbox::EmailMessage> {
    let agency = t.app.store.agency_by_slug("bipsc").await.unwrap().unwrap();
    t.app
        .store
        .outbox(agency.id, None, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.message.to == to)
        .map(|e| e.message)
        .filter(|m| {
            ["Report:", "Bericht:", "报告：", "Rapport :"]
                .iter()
                .any(|p| m.subject.starts_with(p))
        })
        .collect()
}

async fn the_report_goes_to_chosen_staff_in_their_language(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let officer = t.token("officer@roadshow.example").await;
    let officer_id = account_id(&t, "officer@roadshow.example").await;
    let official_id = account_id(&t, "official@roadshow.example").await;
    let parks_id = account_id(&t, "officer2@roadshow.example").await;
    let moderator_id = account_id(&t, "moderator@roadshow.example").await;

    let empty = t.get_as(SCHEDULE, &organiser).await;
    assert_eq!(empty.status.as_u16(), 200, "{}", empty.body);
    assert_eq!(empty.json()["days_offered"], json!([1, 30, 90]));
    assert_eq!(empty.json()["sendings"], json!([]));

    // A moderator does not read reports; 7 days is not offered; each error names its field.
    for (body, field) in [
        (
            json!({"recipients": [moderator_id], "days": [1]}),
            "recipients",
        ),
        (json!({"recipients": [officer_id], "days": [7]}), "days"),
        (json!({"recipients": [officer_id], "days": []}), "days"),
        (
            json!({"recipients": [officer_id], "days": [1], "when": "soon"}),
            "when",
        ),
    ] {
        let r = t
            .json("PUT", SCHEDULE, Some(&organiser), &body.to_string())
            .await;
        assert_eq!(r.status.as_u16(), 422, "{body}: {}", r.body);
        assert!(r.body.contains(field), "{field} in {}", r.body);
    }
    // Only the organiser changes it; an officer reads it.
    let body = json!({"recipients": [officer_id, official_id, parks_id], "days": [30, 1]});
    let refused = t
        .json("PUT", SCHEDULE, Some(&officer), &body.to_string())
        .await;
    assert_eq!(refused.status.as_u16(), 403);
    let saved = t
        .json("PUT", SCHEDULE, Some(&organiser), &body.to_string())
        .await;
    assert_eq!(saved.status.as_u16(), 200, "{}", saved.body);
    let sendings = saved.json()["sendings"].as_array().unwrap().clone();
    assert_eq!(sendings.len(), 6);
    let languages: Vec<&str> = sendings
        .iter()
        .filter(|s| s["days_after"] == 1)
        .map(|s| s["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages.len(), 3);
    assert!(languages.contains(&"zh") && languages.contains(&"de"));
    assert_eq!(
        t.get_as(SCHEDULE, &officer).await.json()["sendings"]
            .as_array()
            .unwrap()
            .len(),
        6
    );

    // The event ended two days ago: the sendings of day 1 are due, those of day 30 not.
    let now = Utc::now();
    t.reschedule_demo(
        now - Duration::days(2) - Duration::hours(3),
        now - Duration::days(2),
    )
    .await;
    assert_eq!(t.app.reports().send_due(now).await.unwrap(), 3);
    // Each goes once, whoever runs the scheduler again.
    assert_eq!(t.app.reports().send_due(now).await.unwrap(), 0);

    let report: Value = t
        .send(
            Request::get("/api/v1/events/two-zones-germany/report")
                .header("authorization", format!("Bearer {organiser}"))
                .header("accept-language", "zh")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    let registered = report["headline"]["registered"].as_u64().unwrap();
    let title_zh = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap()
        .title
        .get(roadshow_domain::Lang::Zh)
        .to_string();

    // The officer reads Chinese: subject, counts and links in Chinese.
    let to_officer = emails_to(&t, "officer@roadshow.example").await;
    assert_eq!(to_officer.len(), 1);
    let m = &to_officer[0];
    assert!(m.subject.starts_with("报告："), "{}", m.subject);
    assert!(m.subject.contains(&title_zh), "{}", m.subject);
    assert!(m.subject.contains("第 1 天"), "{}", m.subject);
    let label = roadshow_i18n::t(roadshow_domain::Lang::Zh, "report-registered");
    assert!(
        m.body_text.contains(&format!("{label}: {registered}\n")),
        "{}",
        m.body_text
    );
    assert!(
        m.body_text
            .contains("/admin/events/two-zones-germany/report?lang=zh")
    );
    assert!(
        m.body_text
            .contains("/admin/events/two-zones-germany/report.pdf?lang=zh")
    );
    // No count under five is exact in an email.
    for line in m.body_text.lines() {
        if let Some((_, n)) = line.rsplit_once(": ") {
            if let Ok(n) = n.parse::<u64>() {
                assert!(n == 0 || n >= 5, "{line}");
            }
        }
    }
    // The parks officer reads German; the official gets their department's figures.
    let to_parks = emails_to(&t, "officer2@roadshow.example").await;
    assert_eq!(to_parks.len(), 1);
    assert!(
        to_parks[0].subject.starts_with("Bericht: "),
        "{}",
        to_parks[0].subject
    );
    assert!(to_parks[0].body_text.contains("?lang=de"));
    let to_official = emails_to(&t, "official@roadshow.example").await;
    assert_eq!(to_official.len(), 1);
    assert!(
        to_official[0].body_text.contains(&roadshow_i18n::t(
            roadshow_domain::Lang::Zh,
            "report-own-department"
        )),
        "{}",
        to_official[0].body_text
    );
    // The schedule shows what went.
    let after = t.get_as(SCHEDULE, &organiser).await.json();
    let sent: Vec<&Value> = after["sendings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["sent_at"].is_null())
        .collect();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|s| s["days_after"] == 1));

    // Clearing the schedule keeps what went and drops what did not.
    let cleared = t
        .json(
            "PUT",
            SCHEDULE,
            Some(&organiser),
            &json!({"recipients": [], "days": []}).to_string(),
        )
        .await;
    assert_eq!(cleared.json()["sendings"].as_array().unwrap().len(), 3);
    assert_eq!(
        t.app
            .reports()
            .send_due(now + Duration::days(40))
            .await
            .unwrap(),
        0
    );
}

async fn staff_choose_the_language_of_their_emails(db: Db) {
    let t = TestApp::with_demo(db).await;
    let parks = t.token("officer2@roadshow.example").await;
    assert_eq!(
        t.get_as("/api/v1/me", &parks).await.json()["language"],
        "de"
    );
    let bad = t
        .json(
            "PUT",
            "/api/v1/me/language",
            Some(&parks),
            &json!({"language": "xx"}).to_string(),
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    assert!(bad.body.contains("language"));
    let ok = t
        .json(
            "PUT",
            "/api/v1/me/language",
            Some(&parks),
            &json!({"language": "fr"}).to_string(),
        )
        .await;
    assert_eq!(ok.status.as_u16(), 200, "{}", ok.body);
    assert_eq!(
        t.get_as("/api/v1/me", &parks).await.json()["language"],
        "fr"
    );
    // Anonymous callers have no account.
    let anonymous = t
        .json(
            "PUT",
            "/api/v1/me/language",
            None,
            &json!({"language": "fr"}).to_string(),
        )
        .await;
    assert_eq!(anonymous.status.as_u16(), 401);

    // On the page, with the sign-in cookie and its CSRF token.
    let login = t
        .app
        .accounts()
        .login("officer2@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let cookie = format!("rs_session={}; rs_lang=de", login.session_secret);
    let page = t
        .send(
            Request::get("/admin/account")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.body.contains("Sprache meiner E-Mails"));
    assert!(
        page.body
            .contains("<option value=\"fr\" lang=\"fr\" selected>")
    );
    let post = |language: &str| {
        Request::post("/admin/account")
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "csrf={}&language={language}",
                login.csrf_token
            )))
            .unwrap()
    };
    let invalid = t.send(post("klingon")).await;
    assert_eq!(invalid.status.as_u16(), 422);
    assert!(invalid.body.contains("aria-invalid=\"true\""));
    let saved = t.send(post("zh")).await;
    assert_eq!(saved.status.as_u16(), 303);
    assert_eq!(
        t.get_as("/api/v1/me", &parks).await.json()["language"],
        "zh"
    );
}

roadshow_testkit::on_both_databases!(
    the_report_goes_to_chosen_staff_in_their_language,
    staff_choose_the_language_of_their_emails,
);
