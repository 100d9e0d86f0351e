//! The directory over HTTP on both databases: search across languages with facets,
//! filters and malformed queries; the index following edits, archive, delete, restarts
//! and another process; import and export round trips, all or nothing; eligibility
//! explained in the reader's language; expired policies and successors; citations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::StatusCode;
use roadshow_testkit::{Db, TestApp, instance};
use serde_json::{Value, json};
use std::time::Duration;

mod answers;
mod eligibility;
mod files;
mod search;
use answers::*;
use eligibility::*;
use files::*;
use search::*;

const EXAMPLE: &str = r#"{"sector":"smart-manufacturing","employees":120,"annual_revenue_cny":80000000,"planned_investment_cny":50000000,"foreign_ownership_pct":100,"rd_spending_pct":6,"district":"Shunyi","headquarters":false,"years_in_operation":12,"language":"de"}"#;

async fn search(t: &TestApp, query: &str) -> Value {
    let r = t.get(&format!("/api/v1/search?{query}")).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
    r.json()
}

fn slugs(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap().to_string())
        .collect()
}

fn encode(s: &str) -> String {
    roadshow_testkit::form_encode(s)
}

roadshow_testkit::on_both_databases!(
    search_finds_across_languages_and_spellings,
    the_index_follows_every_change_at_once,
    import_and_export_round_trip_all_or_nothing,
    a_large_directory_round_trips_whole,
    eligibility_answers_every_policy_and_explains_itself,
    expired_policies_point_to_their_successor_and_parks_compare,
    answers_cite_policies_by_their_title_in_the_readers_language,
    officials_see_what_the_directory_finds_for_a_question,
    an_agency_word_finds_what_its_concept_names,
);
