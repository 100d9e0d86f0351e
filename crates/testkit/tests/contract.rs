//! The contract cannot drift: every GET operation of the generated OpenAPI document is
//! fetched on the demo by every kind of caller, and each answer is validated against the
//! document with `additionalProperties: false` applied to every object, so a field the
//! code sends and the document lacks fails, as does a documented field that is missing,
//! a wrong type or format, or a status the operation does not list. The live stream's
//! messages are validated too. On SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, header};
use roadshow_testkit::{TestApp, on_both};
use serde_json::{Value, json};
use std::collections::BTreeMap;

on_both!(every_get_answers_what_the_document_says);

/// The document with every object schema closed: no property it does not list.
fn closed(mut doc: Value) -> Value {
    fn close(node: &mut Value) {
        match node {
            Value::Object(map) => {
                if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                    map.insert("additionalProperties".into(), Value::Bool(false));
                }
                map.values_mut().for_each(close);
            }
            Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    close(&mut doc["components"]);
    close(&mut doc["paths"]);
    doc
}

/// A validator for one schema of the document, its `$ref`s resolved in the document.
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("{e}: {schema}"))
}

/// What `body` breaks of `schema`, one line each, into `failures`.
fn check(doc: &Value, what: &str, schema: &Value, body: &Value, failures: &mut Vec<String>) {
    let v = validator(doc, schema);
    failures.extend(
        v.iter_errors(body)
            .take(5)
            .map(|e| format!("{what}: {} at {}", e, e.instance_path())),
    );
}

async fn every_get_answers_what_the_document_says(t: TestApp) {
    let doc = closed(roadshow_web::openapi::document().clone());
    let organiser = t.token("organiser@roadshow.example").await;
    // An endpoint that the participant's registration below writes a message for.
    let webhook = t
        .json(
            "POST",
            "/api/v1/webhooks",
            Some(&organiser),
            r#"{"url": "https://crm.example.de/hooks", "events": ["registration.created"]}"#,
        )
        .await
        .json()["id"]
        .to_string();
    let callers: Vec<(&str, Option<String>)> = vec![
        ("anonymous", None),
        (
            "participant",
            Some(
                t.participant("contract@probe.example.de", "Petra Probe")
                    .await,
            ),
        ),
        (
            "moderator",
            Some(t.token("moderator@roadshow.example").await),
        ),
        ("official", Some(t.token("official@roadshow.example").await)),
        ("officer", Some(t.token("officer@roadshow.example").await)),
        ("organiser", Some(organiser.clone())),
    ];
    // The participant's own export, ready to download.
    let probe = callers[1].1.clone().unwrap();
    let export = t
        .json("POST", "/api/v1/me/exports", Some(&probe), "")
        .await
        .json()["id"]
        .to_string();
    for _ in 0..100 {
        let mine = t.get_as("/api/v1/me/privacy", &probe).await.json();
        if mine["requests"][0]["ready"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // What the paths name, from the demo.
    let leads = t.get_as("/api/v1/leads", &organiser).await.json();
    let lead = &leads["leads"][0];
    let questions = t
        .get_as("/api/v1/events/two-zones-germany/questions", &organiser)
        .await
        .json();
    let policies = t.get_as("/api/v1/policies", &organiser).await.json();
    let registrations = t
        .get_as("/api/v1/events/two-zones-germany/registrations", &organiser)
        .await
        .json();
    let values: BTreeMap<&str, String> = [
        ("slug", "two-zones-germany".to_string()),
        ("export", export),
        ("webhook", webhook),
        ("lead", lead["id"].to_string()),
        ("company", lead["company"]["id"].to_string()),
        ("question", questions["questions"][0]["id"].to_string()),
        ("policy", policies["policies"][0]["id"].to_string()),
        (
            "registration",
            registrations["registrations"][0]["id"].to_string(),
        ),
    ]
    .into_iter()
    .collect();
    let fill = |path: &str| -> String {
        let id = match path {
            p if p.starts_with("/api/v1/leads/") => &values["lead"],
            p if p.starts_with("/api/v1/companies/") => &values["company"],
            p if p.starts_with("/api/v1/questions/") => &values["question"],
            p if p.starts_with("/api/v1/policies/") => &values["policy"],
            p if p.starts_with("/api/v1/registrations/") => &values["registration"],
            p if p.starts_with("/api/v1/me/exports/") => &values["export"],
            p if p.starts_with("/api/v1/webhooks/") => &values["webhook"],
            _ => "1",
        };
        path.replace("{slug}", &values["slug"])
            .replace("{id}", id)
            .replace("{language}", "de")
            .replace("{table}", "registrations_by_country")
    };

    let problem = json!({"$ref": "#/components/schemas/Problem"});
    let mut validated = 0;
    let mut failures = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(operation) = item.get("get") else {
            continue;
        };
        let responses = &operation["responses"];
        let uri = fill(path);
        let mut answered = 0;
        for (role, token) in &callers {
            let mut request = Request::get(&uri);
            if let Some(token) = token {
                request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            if responses["200"]["content"]
                .get("text/event-stream")
                .is_some()
            {
                // A stream: its replayed messages each match the document.
                let mut stream = roadshow_testkit::open_stream(
                    &t.router,
                    request
                        .uri(format!("{uri}?after=0"))
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
                // A stream some callers may not follow: the refusal must be documented.
                if stream.status != 200 {
                    if responses[stream.status.as_str()].is_null() {
                        failures.push(format!(
                            "{role} GET {uri}: {} is not a status the document lists",
                            stream.status
                        ));
                    }
                    continue;
                }
                // Each message's `data:` is the JSON its `contentSchema` describes.
                let schema = &responses["200"]["content"]["text/event-stream"]["schema"]["properties"]
                    ["data"]["contentSchema"];
                for message in stream.drain(std::time::Duration::from_millis(300)).await {
                    check(
                        &doc,
                        &format!("{role} {uri} {}", message.event),
                        schema,
                        &message.json(),
                        &mut failures,
                    );
                    answered += 1;
                }
                continue;
            }
            let r = t.send(request.body(Body::empty()).unwrap()).await;
            let status = r.status.as_u16().to_string();
            let documented = &responses[&status];
            if documented.is_null() {
                failures.push(format!(
                    "{role} GET {uri}: {status} is not a status the document lists"
                ));
                continue;
            }
            let content_type = r.header("content-type");
            let kind = content_type.split(';').next().unwrap_or("").to_string();
            if documented["content"].get(&kind).is_none() {
                failures.push(format!(
                    "{role} GET {uri}: {status} as {kind}, which the document does not list"
                ));
                continue;
            }
            match kind.as_str() {
                "application/json" => {
                    check(
                        &doc,
                        &format!("{role} GET {uri} {status}"),
                        &documented["content"][&kind]["schema"],
                        &r.json(),
                        &mut failures,
                    );
                    if status == "200" {
                        answered += 1;
                    }
                }
                "application/problem+json" => check(
                    &doc,
                    &format!("{role} GET {uri} {status}"),
                    &problem,
                    &r.json(),
                    &mut failures,
                ),
                _ => {
                    if status == "200" {
                        answered += 1;
                    }
                }
            }
        }
        if answered == 0 {
            failures.push(format!("GET {uri}: no caller got an answer to validate"));
        }
        validated += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        validated >= 30,
        "only {validated} GET operations were checked"
    );
}
