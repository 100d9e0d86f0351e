//! The leads pipeline over HTTP, on SQLite and on PostgreSQL: a company that says it is
//! planning becomes a lead with a score that explains itself and a timeline of what its
//! people did; officers move it, give it tasks and export the list; companies that
//! registered separately are merged and unmerged; attendance is counted from the stream.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use chrono::{Duration, Utc};
use roadshow_testkit::questions::*;
use roadshow_testkit::{TestApp, on_both, open_stream};
use serde_json::{Value, json};

on_both!(
    a_planning_company_becomes_a_lead_that_officers_work_on,
    people_of_one_company_are_one_lead_and_merges_undo,
    attendance_is_counted_from_the_live_stream,
);

const SURVEY: &str = "/api/v1/events/two-zones-germany/survey";

fn codes(v: &Value, key: &str, field: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e[field].as_str().map(str::to_string))
        .collect()
}

async fn a_planning_company_becomes_a_lead_that_officers_work_on(t: TestApp) {
    let officer = t.token("officer@roadshow.example").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let organiser = t.token("organiser@roadshow.example").await;
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    // She asks; the question is approved and answered.
    let id = ask(
        &t,
        &erika,
        json!({"text": "Wie hoch sind die Grundstückspreise in Shunyi?", "lang": "de"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    moderate(&t, &moderator, id, json!({"action": "approve"})).await;
    let answered = t
        .json(
            "POST",
            &format!("/api/v1/questions/{id}/answers"),
            Some(&organiser),
            &json!({"body": "Etwa 800 Yuan pro m²."}).to_string(),
        )
        .await;
    assert_eq!(answered.status, 201, "{}", answered.body);
    // Watching is not yet a lead; planning is.
    let watching = t
        .json(
            "PUT",
            &format!("{SURVEY}/answers"),
            Some(&erika),
            &json!({"interest": "watching"}).to_string(),
        )
        .await;
    assert_eq!(watching.status, 200, "{}", watching.body);
    let list = |q: &str| {
        let t = &t;
        let officer = officer.clone();
        let q = q.to_string();
        async move {
            t.get_as(&format!("/api/v1/leads?{q}"), &officer)
                .await
                .json()
        }
    };
    assert_eq!(list("company=Erika").await["total"], 0);
    let planning = t
        .json("PUT", &format!("{SURVEY}/answers"), Some(&erika), &json!({"interest": "planning", "sectors": ["automotive"], "districts": ["shunyi"], "project_type": "manufacturing", "investment": "200m_1b", "consent": true}).to_string())
        .await;
    assert_eq!(planning.status, 200, "{}", planning.body);
    let found = list("company=Erika").await;
    assert_eq!(found["total"], 1);
    let lead = found["leads"][0].clone();
    let lead_id = lead["id"].as_i64().unwrap();
    assert_eq!(
        (lead["source"].clone(), lead["stage"].clone()),
        (json!("survey"), json!("prospect"))
    );
    assert_eq!(lead["capex_cny"], 600_000_000);
    assert_eq!(lead["target_district"], "shunyi");
    // The demo's rule gives automotive leads to the demo officer.
    assert_eq!(lead["owner_name"], "Demo investment officer");

    // The score explains itself; the timeline has what she did.
    let timeline = t
        .get_as(&format!("/api/v1/leads/{lead_id}/timeline"), &officer)
        .await
        .json();
    let parts: Vec<(String, i64)> = timeline["score"]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["points"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        vec![
            ("intent-planning".into(), 30),
            ("registered".into(), 2),
            ("asked".into(), 3),
            ("answered".into(), 5)
        ]
    );
    assert_eq!(timeline["score"]["total"], 40);
    assert_eq!(lead["score"], 40);
    let kinds = codes(&timeline, "timeline", "kind");
    for k in ["registered", "asked", "answered", "survey_answered"] {
        assert!(kinds.iter().any(|x| x == k), "{k} missing from {kinds:?}");
    }
    // The highest-scored prospect is first on the board.
    let board = t.get_as("/api/v1/leads/board", &officer).await.json();
    assert_eq!(board["columns"][0]["stage"], "prospect");
    assert_eq!(board["columns"][0]["leads"][0]["id"], lead_id);

    // A later signal raises the stored score shortly after (scores follow in batches).
    ask(
        &t,
        &erika,
        json!({"text": "Und wie lange dauert die Genehmigung?", "lang": "de"}),
    )
    .await;
    let mut score = 0;
    for _ in 0..60 {
        score = t
            .get_as(&format!("/api/v1/leads/{lead_id}"), &officer)
            .await
            .json()["lead"]["score"]
            .as_i64()
            .unwrap();
        if score == 43 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(score, 43);

    // Stages: lost needs a reason; each move is recorded with who made it.
    let lost = t
        .json(
            "POST",
            &format!("/api/v1/leads/{lead_id}/stage"),
            Some(&officer),
            &json!({"stage": "lost"}).to_string(),
        )
        .await;
    assert_eq!(
        (
            lost.status.as_u16(),
            lost.json()["errors"][0]["field"].clone()
        ),
        (422, json!("lost_reason"))
    );
    let moved = t
        .json(
            "POST",
            &format!("/api/v1/leads/{lead_id}/stage"),
            Some(&officer),
            &json!({"stage": "site_visit"}).to_string(),
        )
        .await;
    assert_eq!(
        (moved.status.as_u16(), moved.json()["stage"].clone()),
        (200, json!("site_visit"))
    );
    let bad = t
        .json(
            "PUT",
            &format!("/api/v1/leads/{lead_id}"),
            Some(&officer),
            &json!({"sector": "mining", "jobs": -3, "next_step_due": "morgen"}).to_string(),
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
    assert_eq!(fields, vec!["sector", "jobs", "next_step_due"]);
    let due = (Utc::now() - Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let details = t
        .json("PUT", &format!("/api/v1/leads/{lead_id}"), Some(&officer), &json!({"sector": "automotive", "activity": "manufacturing", "capex_cny": 650_000_000, "jobs": 120, "target_district": "shunyi", "next_step": "Standortbesuch planen", "next_step_due": due, "notes": "Sehr konkret."}).to_string())
        .await;
    assert_eq!(details.status, 200, "{}", details.body);
    assert_eq!(
        details.json()["owner_id"],
        Value::Null,
        "an omitted owner returns the lead to the pool"
    );
    let overdue = list("overdue=1&stage=site_visit").await;
    assert_eq!(overdue["leads"][0]["id"], lead_id);
    let taken = t
        .json(
            "POST",
            &format!("/api/v1/leads/{lead_id}/take"),
            Some(&officer),
            "",
        )
        .await;
    assert_eq!(taken.status, 200);
    let again = t
        .json(
            "POST",
            &format!("/api/v1/leads/{lead_id}/take"),
            Some(&organiser),
            "",
        )
        .await;
    assert_eq!(
        (again.status.as_u16(), again.json()["code"].clone()),
        (409, json!("taken"))
    );

    // Tasks: "my tasks", done.
    let task = t
        .json(
            "POST",
            &format!("/api/v1/leads/{lead_id}/tasks"),
            Some(&officer),
            &json!({"title": "Besuch in Shunyi abstimmen", "due_on": due}).to_string(),
        )
        .await;
    assert_eq!(task.status, 201, "{}", task.body);
    let task_id = task.json()["id"].as_i64().unwrap();
    let mine = t.get_as("/api/v1/tasks", &officer).await.json();
    assert!(
        mine["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == task_id)
    );
    let done = t
        .json(
            "PUT",
            &format!("/api/v1/tasks/{task_id}"),
            Some(&officer),
            &json!({"done": true}).to_string(),
        )
        .await;
    assert_eq!(done.status, 200);
    assert!(done.json()["done_at"].is_string());

    // Every change is on the timeline, by its author.
    let timeline = t
        .get_as(&format!("/api/v1/leads/{lead_id}/timeline"), &officer)
        .await
        .json();
    let changes: Vec<(String, String)> = timeline["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "change")
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["by"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for field in [
        "stage",
        "jobs",
        "next_step",
        "owner",
        "task_added",
        "task_done",
    ] {
        assert!(
            changes
                .iter()
                .any(|(f, by)| f == field && by == "Demo investment officer"),
            "{field} in {changes:?}"
        );
    }
    assert!(
        changes
            .iter()
            .any(|(f, by)| f == "created" && by.is_empty())
    );

    // The CSV export is formula-safe.
    let hostile = t
        .json("POST", "/api/v1/leads", Some(&officer), &json!({"company": {"name": "=HYPERLINK(\"http://evil\")", "country": "DE", "industry": "finance", "size": "1-9"}}).to_string())
        .await;
    assert_eq!(hostile.status, 201, "{}", hostile.body);
    // An existing company by id, or a new one: a company object beside an id is refused,
    // even one without a field of its own.
    let company_id = hostile.json()["company"]["id"].as_i64().unwrap();
    for company in [json!({}), json!({"unknown": 1}), json!({"name": "X"})] {
        let both = t
            .json(
                "POST",
                "/api/v1/leads",
                Some(&officer),
                &json!({"company_id": company_id, "company": company}).to_string(),
            )
            .await;
        assert_eq!(both.status, 422, "{company}: {}", both.body);
        assert_eq!(both.json()["errors"][0]["field"], "company");
    }
    let csv = t.get_as("/api/v1/leads.csv", &officer).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("'=HYPERLINK"));
    assert!(!csv.body.contains(",=HYPERLINK"));
    let mut reader = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(
        rows.iter()
            .any(|r| r.get(1) == Some("Erika Muster GmbH") && r.get(5) == Some("site_visit"))
    );
}

async fn people_of_one_company_are_one_lead_and_merges_undo(t: TestApp) {
    let officer = t.token("officer@roadshow.example").await;
    let register = |email: &str,
                    name: &str,
                    company: &str,
                    country: &str,
                    website: Option<&str>| {
        let body = json!({"email": email, "name": name, "language": "de", "company": {"name": company, "country": country, "industry": "machinery", "size": "250-999", "website": website}, "consent": true, "consents": {"cross_border": true, "contact": true}}).to_string();
        let t = &t;
        async move {
            let r = t
                .json(
                    "POST",
                    "/api/v1/events/two-zones-germany/registrations",
                    None,
                    &body,
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()
        }
    };
    // The same website is the same company, however its people spell it.
    let a = register(
        "jonas@hartmann.example",
        "Jonas",
        "Hartmann Antriebe GmbH",
        "DE",
        Some("https://www.hartmann.example/de"),
    )
    .await;
    let b = register(
        "mia@hartmann.example",
        "Mia",
        "Hartmann Antriebe GmbH & Co. KG",
        "DE",
        Some("https://hartmann.example"),
    )
    .await;
    assert_eq!(a["company"]["id"], b["company"]["id"]);
    // A subsidiary with its own site is a separate company, found as a possible match.
    let c = register(
        "li@hartmann-china.example",
        "Li",
        "Hartmann Antriebe",
        "CN",
        Some("https://hartmann-china.example"),
    )
    .await;
    assert_ne!(a["company"]["id"], c["company"]["id"]);
    let dupes = t
        .get_as("/api/v1/companies/duplicates", &officer)
        .await
        .json();
    let pair = dupes["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            let ids = [d["a"]["id"].clone(), d["b"]["id"].clone()];
            ids.contains(&a["company"]["id"]) && ids.contains(&c["company"]["id"])
        })
        .unwrap_or_else(|| panic!("no pair in {dupes}"))
        .clone();
    assert_eq!(pair["reason"], "same_name");

    // Both have leads; merged, one lead with both companies' people.
    let lead_of = |company: &Value| {
        let t = &t;
        let officer = officer.clone();
        let company = company.as_i64().unwrap();
        async move {
            let r = t
                .json(
                    "POST",
                    "/api/v1/leads",
                    Some(&officer),
                    &json!({"company_id": company}).to_string(),
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["id"].as_i64().unwrap()
        }
    };
    let kept_lead = lead_of(&a["company"]["id"]).await;
    let merged_lead = lead_of(&c["company"]["id"]).await;
    let same = t
        .json(
            "POST",
            "/api/v1/companies/merges",
            Some(&officer),
            &json!({"kept": a["company"]["id"], "merged": a["company"]["id"]}).to_string(),
        )
        .await;
    assert_eq!(
        (
            same.status.as_u16(),
            same.json()["errors"][0]["code"].clone()
        ),
        (422, json!("same_company"))
    );
    let merge = t
        .json(
            "POST",
            "/api/v1/companies/merges",
            Some(&officer),
            &json!({"kept": a["company"]["id"], "merged": c["company"]["id"]}).to_string(),
        )
        .await;
    assert_eq!(merge.status, 201, "{}", merge.body);
    let merge_id = merge.json()["id"].as_i64().unwrap();
    let view = t
        .get_as(&format!("/api/v1/leads/{kept_lead}"), &officer)
        .await
        .json();
    assert_eq!(view["contacts"].as_array().unwrap().len(), 3);
    assert_eq!(
        t.get_as(&format!("/api/v1/leads/{merged_lead}"), &officer)
            .await
            .status,
        404
    );
    let signals = t
        .get_as(
            &format!("/api/v1/companies/{}/signals", a["company"]["id"]),
            &officer,
        )
        .await
        .json();
    assert_eq!(signals["signals"].as_array().unwrap().len(), 3);

    // Undone: each company and lead as before.
    let undo = t
        .json(
            "POST",
            &format!("/api/v1/companies/merges/{merge_id}/undo"),
            Some(&officer),
            "",
        )
        .await;
    assert_eq!(undo.status, 200, "{}", undo.body);
    assert!(undo.json()["undone_at"].is_string());
    let view = t
        .get_as(&format!("/api/v1/leads/{kept_lead}"), &officer)
        .await
        .json();
    assert_eq!(view["contacts"].as_array().unwrap().len(), 2);
    assert_eq!(
        t.get_as(&format!("/api/v1/leads/{merged_lead}"), &officer)
            .await
            .status,
        200
    );
    let timeline = t
        .get_as(&format!("/api/v1/leads/{kept_lead}/timeline"), &officer)
        .await
        .json();
    let fields = codes(&timeline, "timeline", "field");
    assert!(
        fields.contains(&"merged".to_string()) && fields.contains(&"merge_undone".to_string()),
        "{fields:?}"
    );
    // An undone merge cannot be undone again.
    let twice = t
        .json(
            "POST",
            &format!("/api/v1/companies/merges/{merge_id}/undo"),
            Some(&officer),
            "",
        )
        .await;
    assert_eq!(twice.status, 409);
}

async fn attendance_is_counted_from_the_live_stream(t: TestApp) {
    // The event is on now.
    let store = &t.app.store;
    let event = store
        .event_by_slug("two-zones-germany")
        .await
        .unwrap()
        .unwrap();
    t.reschedule_demo(
        Utc::now() - Duration::hours(1),
        Utc::now() + Duration::hours(1),
    )
    .await;
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let company = store
        .registrations(event.id, &Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.email == "erika@muster.example")
        .unwrap()
        .company
        .id
        .0;
    let attended = || async {
        store
            .company_signals(roadshow_domain::CompanyId(company))
            .await
            .unwrap()
            .into_iter()
            .filter(|s| s.kind == roadshow_domain::signals::SignalKind::Attended)
            .collect::<Vec<_>>()
    };
    for _ in 0..2 {
        let request = Request::builder()
            .uri("/api/v1/events/two-zones-germany/live")
            .header("authorization", format!("Bearer {erika}"))
            .body(Body::empty())
            .unwrap();
        let mut stream = open_stream(&t.router, request).await;
        assert_eq!(stream.status, 200);
        let _ = stream.next(std::time::Duration::from_millis(100)).await;
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        drop(stream);
    }
    // Counted when each stream closed: one signal, its seconds added up.
    let mut seen = Vec::new();
    for _ in 0..50 {
        seen = attended().await;
        if seen.first().is_some_and(|s| s.amount >= 2) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(seen.len(), 1);
    assert!(seen[0].amount >= 2, "{seen:?}");
}
