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
