//! The restore drill: a backup taken while registrations and votes are being written,
//! restored into a new data folder, holds every write acknowledged before the backup
//! began; a restore over a database brings no erased participant back; a damaged or
//! foreign archive is refused before anything is touched; a running server's database
//! is not replaced under it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod archive;
mod postgres;

use common::{free_port, ready, roadshow, start, token};

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const EVENT: &str = "two-zones-germany";

fn registration(n: usize) -> serde_json::Value {
    serde_json::json!({
        "email": format!("drill{n}@backup.example"), "name": format!("Drill {n}"), "language": "de",
        "company": {"name": format!("Drill {n} GmbH"), "country": "DE", "industry": "machinery", "size": "10-49"},
        "consent": true, "consents": {"cross_border": true, "contact": true}
    })
}

/// Every registration of the event: (id, participant id, email).
async fn registrations(
    client: &reqwest::Client,
    base: &str,
    token: &str,
) -> Vec<(i64, i64, String)> {
    let mut out = Vec::new();
    let mut after: Option<i64> = None;
    loop {
        let mut url = format!("{base}/api/v1/events/{EVENT}/registrations?limit=500");
        if let Some(a) = after {
            url.push_str(&format!("&after={a}"));
        }
        let page: serde_json::Value = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for r in page["registrations"].as_array().unwrap() {
            out.push((
                r["id"].as_i64().unwrap(),
                r["participant_id"].as_i64().unwrap(),
                r["email"].as_str().unwrap().to_string(),
            ));
        }
        match page["next_after"].as_i64() {
            Some(a) => after = Some(a),
            None => return out,
        }
    }
}

#[tokio::test]
async fn a_backup_under_load_restores_every_acknowledged_write_and_no_erased_person() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("live");
    let data_s = data.to_str().unwrap().to_string();
    let out = roadshow(&["demo", "--load-only", "--data", &data_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let moderator = token(&data, "moderator@roadshow.example");
    let organiser = token(&data, "organiser@roadshow.example");
    let port = free_port();
    let mut server = start(&data, port);
    let client = reqwest::Client::new();
    ready(&client, port).await;
    let base = format!("http://127.0.0.1:{port}");

    // Voters and a question to vote on.
    let mut voters = Vec::new();
    for i in 0..80 {
        let r: serde_json::Value = client
            .post(format!("{base}/api/v1/events/{EVENT}/registrations"))
            .json(&registration(100_000 + i))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        voters.push(r["token"].as_str().unwrap().to_string());
    }
    let q: serde_json::Value = client
        .post(format!("{base}/api/v1/events/{EVENT}/questions"))
        .bearer_auth(&voters[0])
        .json(&serde_json::json!({"text": "Which backups do you keep?"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let question = q["id"].as_i64().unwrap();
    let r = client
        .post(format!("{base}/api/v1/questions/{question}/moderation"))
        .bearer_auth(&moderator)
        .json(&serde_json::json!({"action": "approve"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Registrations and votes written until told to stop, each acknowledgement recorded.
    let stop = Arc::new(AtomicBool::new(false));
    let acked_regs: Arc<Mutex<Vec<i64>>> = Arc::default();
    let acked_votes: Arc<Mutex<Vec<()>>> = Arc::default();
    let mut workers = Vec::new();
    for w in 0..4 {
        let (client, base, stop, acked) = (
            client.clone(),
            base.clone(),
            stop.clone(),
            acked_regs.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let r = client
                    .post(format!("{base}/api/v1/events/{EVENT}/registrations"))
                    .json(&registration(w * 10_000 + i))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201);
                let id = r.json::<serde_json::Value>().await.unwrap()["id"]
                    .as_i64()
                    .unwrap();
                acked.lock().unwrap().push(id);
                i += 1;
            }
        }));
    }
    for chunk in voters.chunks(20) {
        let (client, base, stop, acked) = (
            client.clone(),
            base.clone(),
            stop.clone(),
            acked_votes.clone(),
        );
        let chunk = chunk.to_vec();
        workers.push(tokio::spawn(async move {
            for voter in chunk {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let r = client
                    .post(format!("{base}/api/v1/questions/{question}/vote"))
                    .bearer_auth(voter)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                acked.lock().unwrap().push(());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    while acked_regs.lock().unwrap().len() < 50 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // What was acknowledged when the backup begins must be in it.
    let regs_before: Vec<i64> = acked_regs.lock().unwrap().clone();
    let votes_before = acked_votes.lock().unwrap().len() as i64;
    let archive = dir.path().join("drill.roadshow-backup");
    let archive_s = archive.to_str().unwrap().to_string();
    let backup = tokio::task::spawn_blocking({
        let (data_s, archive_s) = (data_s.clone(), archive_s.clone());
        move || roadshow(&["backup", "--data", &data_s, "--out", &archive_s])
    })
    .await
    .unwrap();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    // Writes went on during the backup.
    let during = acked_regs.lock().unwrap().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.await.unwrap();
    }
    assert!(acked_regs.lock().unwrap().len() > during || during > regs_before.len());

    // The manifest lists the part with its hash.
    let listing = Command::new("tar")
        .args(["-tf", &archive_s])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert_eq!(
        listing.lines().collect::<Vec<_>>(),
        vec!["manifest.json", "database.sqlite"]
    );

    // Restored into a new folder and served: every acknowledged write is there.
    let restored = dir.path().join("restored");
    let restored_s = restored.to_str().unwrap().to_string();
    let out = roadshow(&["restore", "--data", &restored_s, &archive_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port2 = free_port();
    let mut second = start(&restored, port2);
    ready(&client, port2).await;
    let base2 = format!("http://127.0.0.1:{port2}");
    let stored = registrations(
        &client,
        &base2,
        &token(&restored, "organiser@roadshow.example"),
    )
    .await;
    for id in &regs_before {
        assert!(
            stored.iter().any(|(r, _, _)| r == id),
            "registration {id}, acknowledged before the backup began, is not in it"
        );
    }
    let q: serde_json::Value = client
        .get(format!("{base2}/api/v1/questions/{question}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        q["votes"].as_i64().unwrap() >= votes_before,
        "{votes_before} votes acknowledged before the backup, {} restored",
        q["votes"]
    );
    let _ = second.kill();
    second.wait().unwrap();

    // A participant erased after the backup stays erased when it is restored over the
    // database that erased them.
    let live = registrations(&client, &base, &organiser).await;
    let (_, erased_id, erased_email) = live
        .iter()
        .find(|(id, _, _)| *id == regs_before[0])
        .cloned()
        .unwrap();
    let r = client
        .post(format!("{base}/api/v1/participants/{erased_id}/erasure"))
        .bearer_auth(&organiser)
        .json(&serde_json::json!({"reason": "Letter of 3 December"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Not while the server runs.
    let refused = roadshow(&["restore", "--data", &data_s, &archive_s]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is running"));
    let _ = server.kill();
    server.wait().unwrap();
    let out = roadshow(&["restore", "--data", &data_s, &archive_s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("erased again: 1"), "{said}");
    assert!(said.contains("kept in"), "{said}");
    assert!(!data.join("roadshow.db-wal").exists() || data.join("roadshow.db").exists());
    let port3 = free_port();
    let mut third = start(&data, port3);
    ready(&client, port3).await;
    let back = registrations(
        &client,
        &format!("http://127.0.0.1:{port3}"),
        &token(&data, "organiser@roadshow.example"),
    )
    .await;
    let _ = third.kill();
    third.wait().unwrap();
    assert!(back.iter().all(|(_, _, email)| *email != erased_email));
    let (_, _, now) = back.iter().find(|(_, p, _)| *p == erased_id).unwrap();
    assert!(now.ends_with("@erased.invalid"), "{now}");
    // The replaced database was kept as a backup of its own.
    let kept: Vec<_> = std::fs::read_dir(data.join("backups"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("replaced-"))
        .collect();
    assert_eq!(kept.len(), 1);
}
