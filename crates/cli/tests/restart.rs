//! Durability: registrations acknowledged with 201 are all there after the server is
//! killed with SIGKILL and started again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_roadshow");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(data: &std::path::Path, port: u16) -> Child {
    Command::new(BIN)
        .args([
            "serve",
            "--data",
            data.to_str().unwrap(),
            "--addr",
            &format!("127.0.0.1:{port}"),
        ])
        .env("ROADSHOW_REGISTRATIONS_PER_MINUTE", "100000")
        .env("ROADSHOW_WRITES_PER_MINUTE", "100000")
        .env_remove("ROADSHOW_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until the server answers its health check (no fixed sleep).
async fn ready(client: &reqwest::Client, port: u16) {
    for _ in 0..600 {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
        {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not become ready");
}

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

    let mut tasks = Vec::new();
    for i in 0..60 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let body = serde_json::json!({
                "email": format!("durable{i}@restart.example"), "name": format!("Durable {i}"), "language": "de",
                "company": {"name": format!("Restart {i} GmbH"), "country": "DE", "industry": "machinery", "size": "10-49"},
                "consent": true
            });
            let r = client.post(format!("http://127.0.0.1:{port}/api/v1/events/two-zones-germany/registrations")).json(&body).send().await.ok()?;
            (r.status() == 201).then_some(())?;
            let v: serde_json::Value = r.json().await.ok()?;
            v["id"].as_i64()
        }));
    }
    // Kill while some requests may still be in flight: only acknowledged ones must survive.
    let mut acknowledged = Vec::new();
    for (n, task) in tasks.into_iter().enumerate() {
        if n == 45 {
            server.kill().unwrap(); // SIGKILL
        }
        if let Ok(Some(id)) = task.await {
            acknowledged.push(id);
        }
    }
    let _ = server.kill();
    server.wait().unwrap();
    assert!(
        acknowledged.len() >= 10,
        "too few registrations acknowledged before the kill: {}",
        acknowledged.len()
    );

    let mut server = start(data, port);
    ready(&client, port).await;
    let token = String::from_utf8(
        Command::new(BIN)
            .args([
                "token",
                "create",
                "--data",
                data.to_str().unwrap(),
                "--email",
                "organiser@roadshow.example",
            ])
            .env_remove("ROADSHOW_DATABASE_URL")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
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

fn token(data: &std::path::Path, email: &str) -> String {
    let out = Command::new(BIN)
        .args([
            "token",
            "create",
            "--data",
            data.to_str().unwrap(),
            "--email",
            email,
        ])
        .env_remove("ROADSHOW_DATABASE_URL")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
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
            "consent": true
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

    // Sixty votes at once; the server is killed while some are in flight.
    let mut tasks = Vec::new();
    for p in participants {
        let client = client.clone();
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(format!("{base}/api/v1/questions/{id}/vote"))
                .bearer_auth(p)
                .send()
                .await
                .ok()?;
            (r.status() == 200).then_some(())
        }));
    }
    let mut acknowledged = 0;
    for (n, task) in tasks.into_iter().enumerate() {
        if n == 40 {
            server.kill().unwrap(); // SIGKILL
        }
        if let Ok(Some(())) = task.await {
            acknowledged += 1;
        }
    }
    let _ = server.kill();
    server.wait().unwrap();

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
