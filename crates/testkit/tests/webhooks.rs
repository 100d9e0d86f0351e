//! Webhooks through the API, delivered to a receiver on loopback: an organiser registers
//! an endpoint and gets its `whsec_` secret; a registration reaches the receiver signed
//! as Standard Webhooks says; "send again" repeats the same message id; a redirect is
//! not followed; 410 turns the endpoint off; private addresses are refused unless the
//! operator allows them. On SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::http::{HeaderMap, StatusCode};
use roadshow_testkit::{Db, TestApp, on_both_databases};
use serde_json::json;
use std::sync::{Arc, Mutex};

on_both_databases!(
    an_endpoint_receives_signed_messages_and_can_have_one_again,
    redirects_are_not_followed_and_gone_turns_the_endpoint_off,
    private_addresses_are_refused_unless_allowed_and_fields_are_named,
);

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(String, HeaderMap, String)>>>,
    /// What the receiver answers: a status, and where a redirect points.
    answer: Arc<Mutex<(u16, String)>>,
}

async fn receiver() -> (Receiver, String) {
    let r = Receiver {
        answer: Arc::new(Mutex::new((200, String::new()))),
        ..Default::default()
    };
    let state = r.clone();
    let app = axum::Router::new().fallback(
        move |uri: axum::http::Uri, headers: HeaderMap, body: String| {
            let state = state.clone();
            async move {
                state
                    .got
                    .lock()
                    .unwrap()
                    .push((uri.path().to_string(), headers, body));
                let (status, location) = state.answer.lock().unwrap().clone();
                let mut response = axum::response::Response::new(axum::body::Body::empty());
                *response.status_mut() = StatusCode::from_u16(status).unwrap();
                if !location.is_empty() {
                    response
                        .headers_mut()
                        .insert("location", location.parse().unwrap());
                }
                response
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (r, format!("http://127.0.0.1:{}", addr.port()))
}

/// One delivery round, as the worker of `roadshow serve` makes every second.
async fn deliver(t: &TestApp) -> usize {
    let client = roadshow_app::fetch::webhook_client(true).unwrap();
    t.app.webhooks().deliver_due(&client).await.unwrap()
}

async fn add(t: &TestApp, organiser: &str, url: &str, events: &[&str]) -> serde_json::Value {
    let r = t
        .json(
            "POST",
            "/api/v1/webhooks",
            Some(organiser),
            &json!({"url": url, "events": events, "description": "CRM"}).to_string(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

async fn an_endpoint_receives_signed_messages_and_can_have_one_again(db: Db) {
    let t = TestApp::start_with(db, |c| c.allow_private_webhooks = true).await;
    t.app.load_demo().await.unwrap();
    let organiser = t.token("organiser@roadshow.example").await;
    let (rx, base) = receiver().await;
    let endpoint = add(
        &t,
        &organiser,
        &format!("{base}/crm"),
        &["registration.created", "participant.erased"],
    )
    .await;
    let secret = endpoint["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(endpoint["enabled"], true);
    let id = endpoint["id"].as_i64().unwrap();

    t.participant("lena@example.de", "Lena Vogel").await;
    assert_eq!(deliver(&t).await, 1);
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let (path, headers, body) = &got[0];
    assert_eq!(path, "/crm");
    let h = |n: &str| headers.get(n).unwrap().to_str().unwrap().to_string();
    let message_id = h("webhook-id");
    let timestamp: i64 = h("webhook-timestamp").parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - timestamp).abs() < 60);
    assert_eq!(
        h("webhook-signature"),
        roadshow_domain::webhooks::sign(&secret, &message_id, timestamp, body).unwrap()
    );
    assert_eq!(h("content-type"), "application/json");
    let payload: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(payload["type"], "registration.created");
    assert!(payload["data"]["registration_id"].as_i64().is_some());
    assert!(!body.contains("lena@example.de"), "ids only: {body}");

    // The log shows it delivered; "send again" repeats the same message.
    let log = t
        .get_as(&format!("/api/v1/webhooks/{id}/deliveries"), &organiser)
        .await
        .json();
    let d = &log["deliveries"][0];
    assert_eq!(d["state"], "delivered");
    assert_eq!(d["last_status"], 200);
    assert_eq!(d["message_id"], message_id.as_str());
    assert_eq!(d["type"], "registration.created");
    let r = t
        .json(
            "POST",
            &format!("/api/v1/webhook-deliveries/{}/resend", d["id"]),
            Some(&organiser),
            "",
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(deliver(&t).await, 1);
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].1["webhook-id"].to_str().unwrap(), message_id);
    assert_eq!(&got[1].2, body);
    // Nothing is due any more.
    assert_eq!(deliver(&t).await, 0);

    // The organiser's page lists it, the endpoint's page shows the log.
    let list = t.get_as("/api/v1/webhooks", &organiser).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Removed, it receives nothing more.
    let r = t
        .json(
            "DELETE",
            &format!("/api/v1/webhooks/{id}"),
            Some(&organiser),
            "",
        )
        .await;
    assert_eq!(r.status, 204);
    t.participant("ole@example.de", "Ole Berg").await;
    assert_eq!(deliver(&t).await, 0);
    assert_eq!(rx.got.lock().unwrap().len(), 2);
}

async fn redirects_are_not_followed_and_gone_turns_the_endpoint_off(db: Db) {
    let t = TestApp::start_with(db, |c| c.allow_private_webhooks = true).await;
    t.app.load_demo().await.unwrap();
    let organiser = t.token("organiser@roadshow.example").await;
    let (rx, base) = receiver().await;
    let endpoint = add(
        &t,
        &organiser,
        &format!("{base}/moved"),
        &["registration.created"],
    )
    .await;
    let id = endpoint["id"].as_i64().unwrap();

    *rx.answer.lock().unwrap() = (302, format!("{base}/elsewhere"));
    t.participant("lena@example.de", "Lena Vogel").await;
    assert_eq!(deliver(&t).await, 1);
    let paths: Vec<String> = rx.got.lock().unwrap().iter().map(|g| g.0.clone()).collect();
    assert_eq!(paths, ["/moved"], "the redirect is not followed");
    let log = t
        .get_as(&format!("/api/v1/webhooks/{id}/deliveries"), &organiser)
        .await
        .json();
    assert_eq!(log["deliveries"][0]["state"], "pending");
    assert_eq!(log["deliveries"][0]["last_status"], 302);
    let e = t
        .get_as(&format!("/api/v1/webhooks/{id}"), &organiser)
        .await
        .json();
    assert!(e["failing_since"].is_string());

    // The receiver says it wants no more.
    *rx.answer.lock().unwrap() = (410, String::new());
    t.participant("ole@example.de", "Ole Berg").await;
    // The new message is due now; the first waits for its retry.
    assert_eq!(deliver(&t).await, 1);
    let e = t
        .get_as(&format!("/api/v1/webhooks/{id}"), &organiser)
        .await
        .json();
    assert_eq!(e["enabled"], false);
    assert_eq!(e["disabled_reason"], "gone");
    let log = t
        .get_as(&format!("/api/v1/webhooks/{id}/deliveries"), &organiser)
        .await
        .json();
    assert_eq!(log["deliveries"][0]["state"], "failed");
    assert_eq!(log["deliveries"][0]["last_status"], 410);

    // Turned on again, it receives again.
    *rx.answer.lock().unwrap() = (204, String::new());
    let r = t
        .json(
            "POST",
            &format!("/api/v1/webhooks/{id}/enable"),
            Some(&organiser),
            "",
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["enabled"], true);
    t.participant("mia@example.de", "Mia Roth").await;
    assert_eq!(deliver(&t).await, 1);
    assert_eq!(rx.got.lock().unwrap().len(), 3);
}

async fn private_addresses_are_refused_unless_allowed_and_fields_are_named(db: Db) {
    let t = TestApp::start(db).await;
    t.app.load_demo().await.unwrap();
    let organiser = t.token("organiser@roadshow.example").await;
    for url in [
        "http://127.0.0.1:8080/hook",
        "http://10.1.2.3/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest",
    ] {
        let r = t
            .json(
                "POST",
                "/api/v1/webhooks",
                Some(&organiser),
                &json!({"url": url, "events": ["registration.created"]}).to_string(),
            )
            .await;
        assert_eq!(r.status, 422, "{url}: {}", r.body);
        assert_eq!(r.header("content-type"), "application/problem+json");
        let errors = r.json()["errors"].clone();
        assert_eq!(errors[0]["field"], "url", "{errors}");
        assert_eq!(errors[0]["code"], "private_address", "{errors}");
    }
    // A name that resolves to this machine is registered but never reached.
    let endpoint = add(
        &t,
        &organiser,
        "http://localhost:9/hook",
        &["registration.created"],
    )
    .await;
    t.participant("lena@example.de", "Lena Vogel").await;
    let client = roadshow_app::fetch::webhook_client(false).unwrap();
    assert_eq!(t.app.webhooks().deliver_due(&client).await.unwrap(), 1);
    let log = t
        .get_as(
            &format!("/api/v1/webhooks/{}/deliveries", endpoint["id"]),
            &organiser,
        )
        .await
        .json();
    assert_eq!(log["deliveries"][0]["last_error"], "private_address");

    // Every wrong field named, in the caller's language.
    let r = t
        .send(
            axum::http::Request::post("/api/v1/webhooks")
                .header("authorization", format!("Bearer {organiser}"))
                .header("content-type", "application/json")
                .header("accept-language", "de")
                .body(axum::body::Body::from(
                    json!({"url": "ftp://crm", "events": ["registration.created", "lead.won"]})
                        .to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 422);
    let errors = r.json()["errors"].clone();
    let fields: Vec<&str> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["url", "events.1"]);
    assert!(
        errors[1]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Ereignistypen"),
        "{errors}"
    );
}
