//! The meeting scheduler as a tool, through the API and the organiser's page, on SQLite
//! and on PostgreSQL: schedules that keep every rule, bounds, reasons, and every problem
//! of a bad instance named in the reader's language.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use roadshow_domain::meetings::{Instance, Placement, check};
use roadshow_testkit::{TestApp, form_encode as urlencode, on_both};
use serde_json::json;

on_both!(
    an_organiser_gets_a_checked_optimal_schedule_with_reasons,
    a_bad_instance_is_refused_with_every_problem_named,
    the_scheduler_page_shows_the_grid_and_the_bound,
);

fn instance() -> serde_json::Value {
    json!({
        "slots": ["09:00", "09:30", "10:00"],
        "hosts": [
            {"id": "Commerce Bureau", "capacity": 1, "available": ["09:00", "09:30"]},
            {"id": "Shunyi", "capacity": 1, "available": ["09:30", "10:00"]}
        ],
        "companies": [
            {"id": "Antriebe GmbH", "available": ["09:00", "09:30", "10:00"], "max_meetings": 2},
            {"id": "Medizintechnik AG", "available": ["09:30"], "max_meetings": 1},
            {"id": "Logistik KG", "available": ["10:00"], "max_meetings": 1},
            {"id": "Spät GmbH", "available": ["10:00"], "max_meetings": 1}
        ],
        "requests": [
            {"company": "Antriebe GmbH", "host": "Shunyi", "weight": 3},
            {"company": "Antriebe GmbH", "host": "Commerce Bureau", "weight": 1},
            {"company": "Medizintechnik AG", "host": "Shunyi", "weight": 2},
            {"company": "Logistik KG", "host": "Shunyi", "weight": 3},
            {"company": "Spät GmbH", "host": "Commerce Bureau", "weight": 2}
        ]
    })
}

async fn an_organiser_gets_a_checked_optimal_schedule_with_reasons(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let sent = instance();
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule?time_limit_ms=2000",
            Some(&organiser),
            &sent.to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    let parsed: Instance = serde_json::from_value(sent).unwrap();
    let meetings: Vec<Placement> = serde_json::from_value(body["meetings"].clone()).unwrap();
    // Shunyi has one table: 09:30 goes to Antriebe (3), 10:00 to Logistik (3); Antriebe
    // also meets the bureau at 09:00 (1). Nothing weighs more than 7, and the independent
    // checker agrees with the server's count.
    assert_eq!(
        check(&parsed, &meetings),
        Ok(body["objective"].as_u64().unwrap())
    );
    assert_eq!(body["objective"], 7);
    assert_eq!(body["upper_bound"], 7);
    assert_eq!(body["optimal"], true);
    let reasons: Vec<(String, String)> = body["unplaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["company"].as_str().unwrap().to_string(),
                u["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        reasons.contains(&("Spät GmbH".into(), "no_common_slot".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("Medizintechnik AG".into(), "host_full".into())),
        "{reasons:?}"
    );
}

async fn a_bad_instance_is_refused_with_every_problem_named(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let mut bad = instance();
    bad["requests"][0]["host"] = json!("Nowhere");
    bad["requests"][1]["weight"] = json!(-1);
    bad["hosts"][1]["id"] = json!("Commerce Bureau");
    let r = t
        .send(
            Request::post("/api/v1/meetings/schedule")
                .header("authorization", format!("Bearer {organiser}"))
                .header("content-type", "application/json")
                .header("accept-language", "de")
                .body(Body::from(bad.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    let errors = r.json()["errors"].as_array().unwrap().clone();
    let named: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap(),
                e["message"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for field in ["hosts[1]", "requests[0].host", "requests[1].weight"] {
        assert!(
            named.iter().any(|(f, _)| *f == field),
            "{field} in {named:?}"
        );
    }
    assert!(
        named
            .iter()
            .any(|(_, m)| m.contains("Unbekannter Gastgeber")),
        "in German: {named:?}"
    );
    // A time limit out of range is named too.
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule?time_limit_ms=99999",
            Some(&organiser),
            &instance().to_string(),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["field"], "time_limit_ms");
    // An instance whose grid would take too much memory is refused before any work.
    let slots: Vec<String> = (0..2_000).map(|i| format!("s{i}")).collect();
    let hosts: Vec<serde_json::Value> = (0..1_001)
        .map(|i| json!({"id": format!("h{i}"), "capacity": 1, "available": []}))
        .collect();
    let r = t
        .json(
            "POST",
            "/api/v1/meetings/schedule",
            Some(&organiser),
            &json!({"slots": slots, "hosts": hosts}).to_string(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["code"], "instance_too_large");
}

async fn the_scheduler_page_shows_the_grid_and_the_bound(t: TestApp) {
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let cookie = format!("rs_session={}; rs_lang=de", login.session_secret);
    let page = t
        .send(
            Request::get("/admin/scheduler")
                .header("cookie", cookie.clone())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Terminplaner"), "German title");
    assert!(
        page.body.contains("&#34;slots&#34;"),
        "an example to start from"
    );
    let post = |instance: String| {
        let body = format!(
            "csrf={}&time_limit_ms=1000&instance={}",
            login.csrf_token,
            urlencode(&instance)
        );
        Request::post("/admin/scheduler")
            .header("cookie", cookie.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let r = t.send(post(instance().to_string())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("data-testid=\"objective\">7<"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Nachweislich optimal"));
    assert!(
        r.body
            .contains("Kein Zeitfenster, in dem beide verfügbar sind")
    );
    // Keeping a meeting where the organiser wants it: the rest is placed around it and
    // the pin shows, in the grid and in the instance carried to the next run.
    let keep = format!(
        "csrf={}&time_limit_ms=1000&instance={}&pin={}",
        login.csrf_token,
        urlencode(&instance().to_string()),
        urlencode(r#"{"company":"Medizintechnik AG","host":"Shunyi","slot":"09:30"}"#)
    );
    let r = t
        .send(
            Request::post("/admin/scheduler")
                .header("cookie", cookie.clone())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(keep))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("data-testid=\"objective\">6<"),
        "2 + 3 + 1 around the pin"
    );
    assert!(r.body.contains("data-testid=\"upper-bound\">6<"));
    assert!(r.body.contains("Fest</span> Medizintechnik AG"));
    assert!(
        r.body.contains("&#34;slot&#34;: &#34;09:30&#34;"),
        "the pin is in the instance"
    );
    // What was typed stays, and the problems are listed.
    let r = t.send(post("{\"slots\": [1]}".into())).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("{&#34;slots&#34;: [1]}"),
        "kept: {}",
        r.body
    );
}
