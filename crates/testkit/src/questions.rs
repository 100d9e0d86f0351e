//! What the HTTP tests of questions, answers, polls and the live stream share.

use crate::TestApp;
use serde_json::Value;

pub const SLUG: &str = "two-zones-germany";
pub const QUESTIONS: &str = "/api/v1/events/two-zones-germany/questions";

pub async fn ask(t: &TestApp, token: &str, body: Value) -> Value {
    let r = t
        .json("POST", QUESTIONS, Some(token), &body.to_string())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

pub async fn moderate(t: &TestApp, token: &str, id: i64, body: Value) -> (u16, Value) {
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

pub async fn public_ids(t: &TestApp) -> Vec<i64> {
    t.get(QUESTIONS).await.json()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect()
}

pub async fn department(t: &TestApp, organiser: &str, slug: &str) -> i64 {
    t.get_as("/api/v1/departments", organiser).await.json()["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["slug"] == slug)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}
