//! What became of a lead, on both databases: the signing and start dates and the capital
//! and jobs actually in place, checked, kept with their history, and reported beside the
//! announced figures without ever being added to them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_testkit::{Db, TestApp};
use serde_json::json;

const REPORT: &str = "/api/v1/events/two-zones-germany/report";

async fn realised_figures_stand_beside_the_announced_ones(db: Db) {
    let t = TestApp::with_demo(db).await;
    let officer = t.token("officer@roadshow.example").await;
    let before = t.get_as(REPORT, &officer).await.json();
    let announced = before["leads"]["announced_capex_cny"].as_i64().unwrap();
    let realised = before["leads"]["realised_capex_cny"].as_i64().unwrap();
    let realised_jobs = before["leads"]["realised_jobs"].as_i64().unwrap();

    // A lead of the event still without realised figures.
    let leads = t
        .get_as("/api/v1/leads?owner=all&limit=100", &officer)
        .await
        .json();
    let lead = leads["leads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["realised_capex_cny"].is_null() && l["capex_cny"].is_i64())
        .expect("a lead without realised figures")
        .clone();
    let id = lead["id"].as_i64().unwrap();
    let path = format!("/api/v1/leads/{id}");
    let mut details = json!({
        "sector": lead["sector"], "capex_cny": lead["capex_cny"], "jobs": lead["jobs"],
        "owner_id": lead["owner_id"], "notes": lead["notes"],
    });

    // Operations cannot start before the signing; every bad field is named at once.
    details["signed_on"] = json!("2027-03-01");
    details["started_on"] = json!("2027-02-01");
    details["realised_capex_cny"] = json!(-5);
    let bad = t
        .json("PUT", &path, Some(&officer), &details.to_string())
        .await;
    assert_eq!(bad.status.as_u16(), 422, "{}", bad.body);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["started_on", "realised_capex_cny"]);
    // Nothing was kept of the refused change.
    assert!(t.get_as(&path, &officer).await.json()["signed_on"].is_null());

    details["started_on"] = json!("2027-06-01");
    details["realised_capex_cny"] = json!(30_000_000);
    details["realised_jobs"] = json!(25);
    let saved = t
        .json("PUT", &path, Some(&officer), &details.to_string())
        .await;
    assert_eq!(saved.status.as_u16(), 200, "{}", saved.body);
    let l = saved.json();
    assert_eq!(l["signed_on"], "2027-03-01");
    assert_eq!(l["started_on"], "2027-06-01");
    assert_eq!(l["realised_capex_cny"], 30_000_000);
    assert_eq!(
        l["capex_cny"], lead["capex_cny"],
        "the announced figure stays"
    );

    // Each realised figure's change is on the lead's timeline.
    let timeline = t.get_as(&format!("{path}/timeline"), &officer).await.json();
    let changed: Vec<&str> = timeline["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "change")
        .filter_map(|e| e["field"].as_str())
        .collect();
    for field in [
        "signed_on",
        "started_on",
        "realised_capex_cny",
        "realised_jobs",
    ] {
        assert!(changed.contains(&field), "{field} in {changed:?}");
    }

    // The report: realised sums grow by what was recorded, the announced one does not.
    let after = t.get_as(REPORT, &officer).await.json();
    assert_eq!(
        after["leads"]["announced_capex_cny"].as_i64().unwrap(),
        announced
    );
    assert_eq!(
        after["leads"]["realised_capex_cny"].as_i64().unwrap(),
        realised + 30_000_000
    );
    assert_eq!(
        after["leads"]["realised_jobs"].as_i64().unwrap(),
        realised_jobs + 25
    );
    // The company reached the funnel's last steps on the agency dashboard.
    let agency = t.get_as("/api/v1/reports/agency", &officer).await.json();
    let step = |name: &str| -> u64 {
        agency["funnel"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == name)
            .and_then(|s| s["companies"].as_u64())
            .unwrap()
    };
    assert!(step("started") >= 1);
    assert!(step("capital_in_place") >= 1);
    assert!(step("capital_in_place") <= step("lead"));
}

roadshow_testkit::on_both_databases!(realised_figures_stand_beside_the_announced_ones,);
