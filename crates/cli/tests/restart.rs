//! Durability: registrations acknowledged with 201 are all there after the server is
//! killed with SIGKILL and started again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};

mod common;

use common::{BIN, free_port, ready, start, token};

#[tokio::test]
async fn acknowledged_registrations_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let status = Command::new(BIN)
        .args(["demo", "--load-only", "--data", data.to_str().unwrap()])
        .env_remove("ROADSHOW_DATABASE_URL")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let port = free_port();
    let mut server = start(data, port);
    let client = reqwest::Client::new();
    ready(&client, port).await;

    // Eight clients register one company after another until the server dies. It is
    // killed once enough have been acknowledged and while others are in flight.
    let load = Load::default();
    let mut workers = Vec::new();
    for w in 0..8 {
        let client = client.clone();
        let load = load.clone();
        workers.push(tokio::spawn(async move {
            for i in 0.. {
                let n = w * 10_000 + i;
                let body = serde_json::json!({
                    "email": format!("durable{n}@restart.example"), "name": format!("Durable {n}"), "language": "de",
                    "company": {"name": format!("Restart {n} GmbH"), "country": "DE", "industry": "machinery", "size": "10-49"},
                    "consent": true, "consents": {"cross_border": true, "contact": true}
                });
                let sent = load.start();
                let r = client.post(format!("http://127.0.0.1:{port}/api/v1/events/two-zones-germany/registrations")).json(&body).send().await;
                let id = async { r.ok().filter(|r| r.status() == 201)?.json::<serde_json::Value>().await.ok()?["id"].as_i64() }.await;
                sent.done();
                match id {
                    Some(id) => load.acknowledge(id),
                    None => return,
                }
            }
        }));
    }
    let in_flight = load.kill_when(30, &mut server).await;
    for w in workers {
        let _ = w.await;
    }
    server.wait().unwrap();
    let acknowledged = load.acknowledged();
    assert!(in_flight > 0, "the kill came while requests were in flight");
    assert!(
        acknowledged.len() >= 30,
        "acknowledged before the kill: {}",
        acknowledged.len()
    );

    let mut server = start(data, port);
    ready(&client, port).await;
    let token = token(data, "organiser@roadshow.example");
    let list: serde_json::Value = client
        .get(format!(
            "http://127.0.0.1:{port}/api/v1/events/two-zones-germany/registrations"
        ))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let _ = server.kill();
    server.wait().unwrap();
    let stored: Vec<i64> = list["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    for id in &acknowledged {
        assert!(
            stored.contains(id),
            "acknowledged registration {id} lost after kill -9"
        );
    }
}

#[tokio::test]
async fn acknowledged_votes_approvals_and_answers_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let status = Command::new(BIN)
        .args(["demo", "--load-only", "--data", data.to_str().unwrap()])
        .env_remove("ROADSHOW_DATABASE_URL")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let moderator = token(data, "moderator@roadshow.example");
    let organiser = token(data, "organiser@roadshow.example");
    let port = free_port();
    let mut server = start(data, port);
    let client = reqwest::Client::new();
    ready(&client, port).await;
    let base = format!("http://127.0.0.1:{port}");

    // A question asked, approved and answered: acknowledged, so it must survive.
    let mut participants = Vec::new();
    for i in 0..60 {
        let body = serde_json::json!({
            "email": format!("voter{i}@restart.example"), "name": format!("Voter {i}"), "language": "de",
            "company": {"name": format!("Voter {i} GmbH"), "country": "DE", "industry": "machinery", "size": "10-49"},
            "consent": true, "consents": {"cross_border": true, "contact": true}
        });
        let r: serde_json::Value = client
            .post(format!(
                "{base}/api/v1/events/two-zones-germany/registrations"
            ))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        participants.push(r["token"].as_str().unwrap().to_string());
    }
    let q: serde_json::Value = client
        .post(format!("{base}/api/v1/events/two-zones-germany/questions"))
        .bearer_auth(&participants[0])
        .json(&serde_json::json!({"text": "Will this survive a crash?"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = q["id"].as_i64().unwrap();
    let r = client
        .post(format!("{base}/api/v1/questions/{id}/moderation"))
        .bearer_auth(&moderator)
        .json(&serde_json::json!({"action": "approve"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client
        .post(format!("{base}/api/v1/questions/{id}/answers"))
        .bearer_auth(&organiser)
        .json(&serde_json::json!({"body": "Yes, it is on disk."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    // Six clients cast the sixty votes one after another; the server is killed once
    // twenty are acknowledged, while others are in flight.
    let load = Load::default();
    let mut workers = Vec::new();
    for chunk in participants.chunks(10) {
        let chunk = chunk.to_vec();
        let client = client.clone();
        let base = base.clone();
        let load = load.clone();
        workers.push(tokio::spawn(async move {
            for p in chunk {
                let sent = load.start();
                let r = client
                    .post(format!("{base}/api/v1/questions/{id}/vote"))
                    .bearer_auth(p)
                    .send()
                    .await;
                sent.done();
                match r {
                    Ok(r) if r.status() == 200 => load.acknowledge(0),
                    _ => return,
                }
            }
        }));
    }
    let in_flight = load.kill_when(20, &mut server).await;
    for w in workers {
        let _ = w.await;
    }
    server.wait().unwrap();
    let acknowledged = load.acknowledged().len() as i64;
    assert!(in_flight > 0, "the kill came while votes were in flight");
    assert!(acknowledged >= 20);

    let mut server = start(data, port);
    ready(&client, port).await;
    let stored: serde_json::Value = client
        .get(format!("{base}/api/v1/questions/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let _ = server.kill();
    server.wait().unwrap();
    assert_eq!(stored["state"], "answered");
    assert_eq!(stored["answers"][0]["body"], "Yes, it is on disk.");
    let votes = stored["votes"].as_i64().unwrap();
    assert!(
        votes >= acknowledged,
        "{acknowledged} votes acknowledged before kill -9, {votes} stored"
    );
    assert!(votes <= 60);
}

/// Requests under way and acknowledged, shared by the clients of a test.
#[derive(Clone, Default)]
struct Load {
    in_flight: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    acknowledged: std::sync::Arc<std::sync::Mutex<Vec<i64>>>,
}

/// One request under way, until `done`.
struct Sent(std::sync::Arc<std::sync::atomic::AtomicUsize>);

impl Sent {
    fn done(self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Load {
    fn start(&self) -> Sent {
        self.in_flight
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Sent(self.in_flight.clone())
    }

    fn acknowledge(&self, id: i64) {
        self.acknowledged.lock().unwrap().push(id);
    }

    fn acknowledged(&self) -> Vec<i64> {
        self.acknowledged.lock().unwrap().clone()
    }

    /// Kills the server (SIGKILL) once `count` requests are acknowledged and some are in
    /// flight; returns how many were in flight then.
    async fn kill_when(&self, count: usize, server: &mut Child) -> usize {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let in_flight = self.in_flight.load(std::sync::atomic::Ordering::SeqCst);
            if self.acknowledged.lock().unwrap().len() >= count && in_flight > 0 {
                server.kill().unwrap();
                return in_flight;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the load never got going"
            );
            tokio::task::yield_now().await;
        }
    }
}
