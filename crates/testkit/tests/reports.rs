//! The report over HTTP on both databases: every headline figure recomputed in the test
//! from the rows the other capabilities keep, on the demo and after new registrations;
//! an official's view limited to their department; the page in Chinese.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_domain::leads::{LeadFilter, Stage};
use roadshow_domain::questions::{QuestionFilter, QuestionState};
use roadshow_domain::registrations::RegistrationFilter;
use roadshow_testkit::{Db, TestApp};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const REPORT: &str = "/api/v1/events/two-zones-germany/report";

/// The headline as the test works it out from the stored rows.
async fn recomputed(t: &TestApp) -> Value {
    let store = &t.app.store;
    let event = store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    let regs = store
        .registrations(event.id, &RegistrationFilter::default())
        .await
        .unwrap();
    let companies: BTreeSet<i64> = regs.iter().map(|r| r.company.id.0).collect();
    let countries: BTreeSet<&str> = regs.iter().map(|r| r.company.country.as_str()).collect();
    // Attended: at least the threshold of minutes, live and replay together.
    let mut seconds: BTreeMap<i64, i64> = BTreeMap::new();
    for v in store.viewings(event.id).await.unwrap() {
        *seconds.entry(v.registration_id).or_default() += v.span.end - v.span.start;
    }
    let attended = seconds
        .values()
        .filter(|s| (**s + 30) / 60 >= event.attended_minutes)
        .count();
    let questions: Vec<_> = store
        .questions(&QuestionFilter {
            event: Some(event.id),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|q| q.state != QuestionState::Merged)
        .collect();
    let held = store
        .meetings(event.id)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.outcome.as_ref().is_some_and(|o| o.held))
        .count();
    let answers = store
        .survey_responses(event.id, None, 100_000)
        .await
        .unwrap()
        .len();
    let leads: Vec<_> = store
        .leads(
            event.agency_id,
            &LeadFilter {
                limit: 10_000,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .0
        .into_iter()
        .filter(|l| companies.contains(&l.company.id.0))
        .collect();
    json!({
        "registered": regs.len(),
        "attended": attended,
        "countries": countries.len(),
        "companies": companies.len(),
        "questions": questions.len(),
        "answered": questions.iter().filter(|q| !q.answers.is_empty()).count(),
        "meetings_held": held,
        "survey_answers": answers,
        "leads": leads.len(),
        "signed": leads.iter().filter(|l| matches!(l.stage, Stage::Signed | Stage::Established)).count(),
    })
}

fn without_peak(headline: &Value) -> Value {
    let mut h = headline.clone();
    h.as_object_mut().unwrap().remove("peak_concurrent");
    h
}

async fn the_report_adds_up_to_the_rows(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let r = t.get_as(REPORT, &organiser).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let report = r.json();
    // The JSON opens with the headline.
    assert!(r.body.starts_with(r#"{"headline":"#), "{}", &r.body[..80]);
    assert_eq!(without_peak(&report["headline"]), recomputed(&t).await);
    let h = &report["headline"];
    // The demo has something in every section, so the comparison is not of zeros.
    for key in [
        "registered",
        "questions",
        "answered",
        "survey_answers",
        "leads",
    ] {
        assert!(h[key].as_u64().unwrap() > 0, "{key}: {h}");
    }
    // The splits add up to the whole.
    let sum = |v: &Value| -> u64 {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g["count"].as_u64().unwrap())
            .sum()
    };
    let regs = &report["registrations"];
    assert_eq!(sum(&regs["by_country"]), h["registered"].as_u64().unwrap());
    assert_eq!(sum(&regs["by_industry"]), h["registered"].as_u64().unwrap());
    let days = regs["by_day"].as_array().unwrap();
    assert_eq!(days.last().unwrap()["cumulative"], h["registered"]);
    let by_dept: u64 = report["questions"]["by_department"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["asked"].as_u64().unwrap())
        .sum();
    assert_eq!(by_dept, h["questions"].as_u64().unwrap());
    // Polls: the stored counts.
    let event = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    let polls = t.app.store.polls(event.id).await.unwrap();
    assert_eq!(report["polls"].as_array().unwrap().len(), polls.len());
    for (p, stored) in report["polls"].as_array().unwrap().iter().zip(&polls) {
        let votes: Vec<i64> = p["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["votes"].as_i64().unwrap())
            .collect();
        assert_eq!(votes, stored.counts);
    }
    assert!(
        report["definitions"]["attended"]
            .as_str()
            .unwrap()
            .contains(&event.attended_minutes.to_string())
    );

    // The tables: read back by a CSV reader, as many companies as the headline counts,
    // and the countries adding up; the workbook is an XLSX file.
    let read = |body: &str| -> Vec<Vec<String>> {
        csv::Reader::from_reader(body.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let companies = t
        .get_as(&format!("{REPORT}/tables/companies"), &organiser)
        .await;
    assert_eq!(companies.status.as_u16(), 200);
    assert!(companies.body.starts_with("company,country,industry"));
    assert_eq!(
        read(&companies.body).len() as u64,
        h["companies"].as_u64().unwrap()
    );
    let countries = t
        .get_as(
            &format!("{REPORT}/tables/registrations_by_country"),
            &organiser,
        )
        .await;
    let total: u64 = read(&countries.body)
        .iter()
        .map(|r| r[2].parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, h["registered"].as_u64().unwrap());
    assert_eq!(
        t.get_as(&format!("{REPORT}/tables/nothing"), &organiser)
            .await
            .status
            .as_u16(),
        404
    );
    let book = t.get_as(&format!("{REPORT}.xlsx"), &organiser).await;
    assert_eq!(book.status.as_u16(), 200);
    assert_eq!(
        book.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );

    // New registrations from three countries: the figures move by exactly them.
    for (n, country) in ["FR", "FR", "AT"].iter().enumerate() {
        let body = json!({"email": format!("neu{n}@report{n}.example"), "name": format!("Neu {n}"),
            "language": "fr", "consent": true, "consents": {"cross_border": true, "contact": true},
            "company": {"name": format!("Report {n} SA"), "country": country, "industry": "logistics", "size": "10-49"}});
        let r = t
            .json(
                "POST",
                "/api/v1/events/two-zones-germany/registrations",
                None,
                &body.to_string(),
            )
            .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    }
    let after = t.get_as(REPORT, &organiser).await.json();
    assert_eq!(without_peak(&after["headline"]), recomputed(&t).await);
    assert_eq!(
        after["headline"]["registered"].as_u64().unwrap(),
        h["registered"].as_u64().unwrap() + 3
    );
}

async fn an_official_sees_their_department_and_the_page_reads_in_chinese(db: Db) {
    let t = TestApp::with_demo(db).await;
    let official = t.token("official@roadshow.example").await;
    let r = t.get_as(REPORT, &official).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let report = r.json();
    let own = report["department_only"]
        .as_i64()
        .expect("limited to a department");
    for d in report["questions"]["by_department"].as_array().unwrap() {
        assert_eq!(d["department_id"].as_i64(), Some(own), "{d}");
    }
    for d in report["meetings"]["by_department"].as_array().unwrap() {
        assert_eq!(d["department_id"].as_i64(), Some(own), "{d}");
    }
    // No per-company list for an official, in the JSON or the tables.
    assert!(report["companies"].as_array().unwrap().is_empty());
    let companies = t
        .get_as(&format!("{REPORT}/tables/companies"), &official)
        .await;
    assert_eq!(companies.body.lines().count(), 1, "{}", companies.body);
    // Moderators and participants get none of it.
    let moderator = t.token("moderator@roadshow.example").await;
    assert_eq!(t.get_as(REPORT, &moderator).await.status.as_u16(), 403);

    // The page in Chinese: names from the catalogue, the figures of the API.
    let organiser = t.token("organiser@roadshow.example").await;
    let json = t
        .send(
            Request::get(REPORT)
                .header("authorization", format!("Bearer {organiser}"))
                .header("accept-language", "zh-CN,zh;q=0.9")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let page = t
        .send(
            Request::get("/admin/events/two-zones-germany/report")
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=zh", login.session_secret),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.body.contains("活动报告"), "title in Chinese");
    assert!(page.body.contains("按国家"));
    assert!(page.body.contains(&format!(
        "<span class=\"value\">{}</span>",
        json["headline"]["registered"]
    )));
    // Country names in the reader's language, in the chart and the JSON alike.
    let first = &json["registrations"]["by_country"][0];
    assert_eq!(first["key"], "DE");
    assert_eq!(first["label"], "德国");
    assert!(page.body.contains("德国"));
    // Every chart is an image with a name, and its table is beside it with its CSV (the
    // companies' table has one too).
    let charts = page.body.matches("role=\"img\"").count();
    assert!(charts >= 6);
    assert_eq!(page.body.matches("/report/tables/").count(), charts + 1);
}

async fn the_press_release_tells_the_event_in_four_languages(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let press = |lang: &str| format!("/api/v1/events/two-zones-germany/press-release?lang={lang}");
    let report = t.get_as(REPORT, &organiser).await.json();
    let companies = report["headline"]["companies"].as_u64().unwrap();
    let event = t
        .app
        .store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    let page = t
        .app
        .events()
        .event_page(&roadshow_app::Principal::Anonymous, "two-zones-germany")
        .await
        .unwrap();
    for lang in ["de", "en", "zh", "fr"] {
        let r = t.get_as(&press(lang), &organiser).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let d = r.json();
        assert_eq!(d["language"], lang);
        assert_eq!(d["edited"], false);
        let text = format!(
            "{}\n{}",
            d["title"].as_str().unwrap(),
            d["body"].as_str().unwrap()
        );
        // No template piece survives: no placeholder, no catalogue key.
        for leftover in ["{", "}", "$", "press-"] {
            assert!(!text.contains(leftover), "{lang}: {leftover:?} in {text}");
        }
        assert!(text.contains(&companies.to_string()), "{lang}: {text}");
        // Every department that presents a session and every park of the agenda is named.
        let l: roadshow_domain::Lang = lang.parse().unwrap();
        for s in &page.sessions {
            if let Some(d) = s.department_id {
                let name = page
                    .departments
                    .iter()
                    .find(|x| x.id == d)
                    .unwrap()
                    .name
                    .get(l)
                    .to_string();
                assert!(text.contains(&name), "{lang}: {name} missing in {text}");
            }
        }
        for p in &page.parks {
            assert!(
                text.contains(p.name.get(l)),
                "{lang}: {} missing",
                p.name.get(l)
            );
        }
        assert!(text.contains(event.title.get(l)));
    }
    let fr = t.get_as(&press("fr"), &organiser).await.json();
    let body = fr["body"].as_str().unwrap();
    assert!(body.starts_with("Pékin, le "), "{body}");
    assert!(
        body.contains(&format!("{companies} entreprises et institutions")),
        "{body}"
    );

    // The organiser's edit is kept for its language only, and can be undone.
    let edit = json!({"title": "Titre revu", "body": "Texte revu — « Deux Zones » #1 $x ]"});
    let r = t
        .json("PUT", &press("fr"), Some(&organiser), &edit.to_string())
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let saved = t.get_as(&press("fr"), &organiser).await.json();
    assert_eq!(
        (saved["title"].as_str(), saved["edited"].as_bool()),
        (Some("Titre revu"), Some(true))
    );
    assert_eq!(saved["body"], edit["body"]);
    assert_eq!(
        t.get_as(&press("de"), &organiser).await.json()["edited"],
        false
    );
    let r = t.json("DELETE", &press("fr"), Some(&organiser), "").await;
    assert_eq!(r.status.as_u16(), 204);
    assert_eq!(
        t.get_as(&press("fr"), &organiser).await.json()["edited"],
        false
    );
    // Bad input names its field; nothing saved is lost.
    let r = t
        .json(
            "PUT",
            &press("fr"),
            Some(&organiser),
            &json!({"title": " ", "body": "x"}).to_string(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("\"title\""), "{}", r.body);
    for bad in ["xx", ""] {
        assert_eq!(
            t.get_as(&press(bad), &organiser).await.status.as_u16(),
            422,
            "{bad:?}"
        );
    }
    // Officers read it; only organisers change it; officials and moderators neither.
    let officer = t.token("officer@roadshow.example").await;
    assert_eq!(t.get_as(&press("en"), &officer).await.status.as_u16(), 200);
    assert_eq!(
        t.json("PUT", &press("en"), Some(&officer), &edit.to_string())
            .await
            .status
            .as_u16(),
        403
    );
    let official = t.token("official@roadshow.example").await;
    assert_eq!(t.get_as(&press("en"), &official).await.status.as_u16(), 403);
}

async fn the_agency_funnel_counts_each_company_once_across_events(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let r = t.get_as("/api/v1/reports/agency", &organiser).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let agency = r.json();
    let events = agency["events"].as_array().unwrap();
    assert!(!events.is_empty());
    // Recomputed from each event's per-company list: every company once.
    let mut companies = BTreeSet::new();
    let mut signed = BTreeSet::new();
    for e in events {
        let report = t
            .get_as(
                &format!("/api/v1/events/{}/report", e["slug"].as_str().unwrap()),
                &organiser,
            )
            .await
            .json();
        assert_eq!(e["headline"], report["headline"]);
        // The event's own funnel: its companies, and those at each step.
        let own = &agency["funnel_by_event"][e["slug"].as_str().unwrap()];
        assert_eq!(own.as_array().unwrap().len(), 10);
        for (i, step) in report["funnel"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            assert_eq!(own[i]["step"], step["step"]);
            assert_eq!(own[i]["companies"], step["companies"]);
        }
        for c in report["companies"].as_array().unwrap() {
            companies.insert(c["company_id"].as_i64().unwrap());
            if matches!(c["lead_stage"].as_str(), Some("signed" | "established")) {
                signed.insert(c["company_id"].as_i64().unwrap());
            }
        }
    }
    let funnel = agency["funnel"].as_array().unwrap();
    let steps: Vec<&str> = funnel.iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert_eq!(
        steps,
        [
            "registered",
            "attended",
            "asked",
            "met",
            "intent",
            "lead",
            "site_visit",
            "signed",
            "started",
            "capital_in_place"
        ]
    );
    assert_eq!(
        funnel[0]["companies"].as_u64().unwrap(),
        companies.len() as u64
    );
    assert_eq!(
        funnel[7]["companies"].as_u64().unwrap(),
        signed.len() as u64
    );
    // Each step holds no more companies than the one before the lead steps start.
    assert!(funnel[1]["companies"].as_u64() <= funnel[0]["companies"].as_u64());
    let by_country: u64 = agency["funnel_by_country"]
        .as_object()
        .unwrap()
        .values()
        .map(|f| f[0]["companies"].as_u64().unwrap())
        .sum();
    assert_eq!(by_country, companies.len() as u64);

    // A period without events; a period the wrong way round; a date that is none.
    let none = t
        .get_as(
            "/api/v1/reports/agency?from=1990-01-01&to=1990-12-31",
            &organiser,
        )
        .await
        .json();
    assert!(none["events"].as_array().unwrap().is_empty());
    assert_eq!(none["funnel"][0]["companies"], 0);
    let r = t
        .get_as(
            "/api/v1/reports/agency?from=2027-01-01&to=2026-01-01",
            &organiser,
        )
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("\"to\""), "{}", r.body);
    // An empty parameter is not an open end in the API (leave it out for that).
    for bad in ["from=soon", "from="] {
        let r = t
            .get_as(&format!("/api/v1/reports/agency?{bad}"), &organiser)
            .await;
        assert_eq!(r.status.as_u16(), 422, "{bad}");
        assert!(r.body.contains("\"from\""), "{}", r.body);
    }
    // Officials and moderators do not see the agency's figures.
    let official = t.token("official@roadshow.example").await;
    assert_eq!(
        t.get_as("/api/v1/reports/agency", &official)
            .await
            .status
            .as_u16(),
        403
    );

    // The dashboard shows small groups as "< 5", never their exact count.
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let page = t
        .send(
            Request::get("/admin/reports")
                .header(
                    "cookie",
                    format!("rs_session={}; rs_lang=en", login.session_secret),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.body.contains("Outcome funnel"));
    for step in funnel {
        let n = step["companies"].as_u64().unwrap();
        if (1..5).contains(&n) {
            assert!(
                !page
                    .body
                    .contains(&format!("<span class=\"hbar-value\">{n}</span>"))
            );
        }
    }
    assert!(
        page.body.contains("&lt; 5")
            || page.body.contains("&#60; 5")
            || funnel
                .iter()
                .all(|s| !(1..5).contains(&s["companies"].as_u64().unwrap()))
    );
}

roadshow_testkit::on_both_databases!(
    the_report_adds_up_to_the_rows,
    an_official_sees_their_department_and_the_page_reads_in_chinese,
    the_press_release_tells_the_event_in_four_languages,
    the_agency_funnel_counts_each_company_once_across_events,
);
