//! The soak test: a live event at ten times the seed's scale (600 participants) for a long
//! while, everyone at work at once: participants ask, vote and answer polls while they
//! follow the live stream; moderators approve; officials answer; polls open and close.
//! Every minute it reads the server's memory and the database's size, and how much real
//! content there is, so that one can see both stay bounded and grow with the content.

use crate::fanout::Driver;
use anyhow::Result;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What happened, counted by kind.
#[derive(Default)]
struct Counts {
    ok: AtomicU64,
    limited: AtomicU64,
    refused: AtomicU64,
    failed: AtomicU64,
    streamed_bytes: AtomicU64,
}

impl Counts {
    fn record(&self, status: Option<reqwest::StatusCode>) {
        let counter = match status {
            Some(s) if s.is_success() => &self.ok,
            Some(s) if s.as_u16() == 429 || s.as_u16() == 409 => &self.limited,
            Some(s) if s.is_client_error() => &self.refused,
            _ => &self.failed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

fn rss_mb(pid: Option<u32>) -> f64 {
    let Some(pid) = pid else { return 0.0 };
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn db_mb(files: &[PathBuf]) -> f64 {
    files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len() as f64 / 1_048_576.0)
        .sum()
}

#[allow(clippy::too_many_arguments)]
pub async fn soak(
    addr: SocketAddr,
    duration: Duration,
    participants: usize,
    rate: u64,
    slug: &str,
    organiser: &str,
    server_pid: Option<u32>,
    db_files: Vec<PathBuf>,
) -> Result<Value> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;
    let base = format!("http://{addr}");
    let mut tokens = Vec::with_capacity(participants);
    for n in 0..participants {
        tokens.push(Driver::participant(&http, &base, slug, 10_000 + n).await?);
    }
    let tokens = Arc::new(tokens);
    let counts = Arc::new(Counts::default());
    let stop = Instant::now() + duration;
    // Every participant follows the live stream.
    for token in tokens.iter() {
        let (http, base, slug, token, counts) = (
            http.clone(),
            base.clone(),
            slug.to_string(),
            token.clone(),
            counts.clone(),
        );
        tokio::spawn(async move {
            let Ok(response) = http
                .get(format!("{base}/api/v1/events/{slug}/live"))
                .bearer_auth(token)
                .send()
                .await
            else {
                return;
            };
            let mut response = response;
            while Instant::now() < stop {
                match tokio::time::timeout(Duration::from_secs(1), response.chunk()).await {
                    Ok(Ok(Some(bytes))) => {
                        counts
                            .streamed_bytes
                            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                    }
                    Ok(_) => return,
                    Err(_) => {}
                }
            }
        });
    }
    // The work: `rate` actions a second, spread over the kinds a live event sees.
    let started = Instant::now();
    let samples = Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let sampler = {
        let (http, base, slug, organiser, samples) = (
            http.clone(),
            base.clone(),
            slug.to_string(),
            organiser.to_string(),
            samples.clone(),
        );
        tokio::spawn(async move {
            loop {
                let questions: Value = match http
                    .get(format!("{base}/api/v1/events/{slug}/questions"))
                    .bearer_auth(&organiser)
                    .send()
                    .await
                {
                    Ok(r) => r.json().await.unwrap_or(Value::Null),
                    Err(_) => Value::Null,
                };
                let list = questions["questions"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let answers: usize = list
                    .iter()
                    .map(|q| q["answers"].as_array().map_or(0, Vec::len))
                    .sum();
                samples.lock().await.push(json!({
                    "minute": (started.elapsed().as_secs_f64() / 60.0 * 10.0).round() / 10.0,
                    "rss_mb": (rss_mb(server_pid) * 10.0).round() / 10.0,
                    "db_mb": (db_mb(&db_files) * 10.0).round() / 10.0,
                    "questions": list.len(),
                    "answers": answers,
                }));
                if Instant::now() >= stop {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(60).min(stop - Instant::now())).await;
            }
        })
    };
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate.max(1)));
    let mut n: u64 = 0;
    let polls: Arc<tokio::sync::Mutex<Vec<i64>>> = Default::default();
    while Instant::now() < stop {
        tick.tick().await;
        n += 1;
        let (http, base, slug, organiser, tokens, counts, polls) = (
            http.clone(),
            base.clone(),
            slug.to_string(),
            organiser.to_string(),
            tokens.clone(),
            counts.clone(),
            polls.clone(),
        );
        tokio::spawn(async move {
            let participant = &tokens[(n as usize * 7919) % tokens.len()];
            let status = match n % 20 {
                // Participants ask.
                0..=2 => http
                    .post(format!("{base}/api/v1/events/{slug}/questions"))
                    .bearer_auth(participant)
                    .json(&json!({"text": format!("Soak question {n}: which support do R&D centres get in Yizhuang?")}))
                    .send()
                    .await
                    .ok()
                    .map(|r| r.status()),
                // Moderators approve what waits, officials answer what is approved.
                3..=5 => {
                    let list: Value = match http
                        .get(format!("{base}/api/v1/events/{slug}/questions"))
                        .bearer_auth(&organiser)
                        .send()
                        .await
                    {
                        Ok(r) => r.json().await.unwrap_or(Value::Null),
                        Err(_) => Value::Null,
                    };
                    let questions = list["questions"].as_array().cloned().unwrap_or_default();
                    let wanted = if n % 20 == 3 { "pending" } else { "approved" };
                    let pick = questions
                        .iter()
                        .filter(|q| q["state"] == wanted)
                        .nth((n as usize) % 5)
                        .and_then(|q| q["id"].as_i64());
                    match (pick, wanted) {
                        (Some(id), "pending") => http
                            .post(format!("{base}/api/v1/questions/{id}/moderation"))
                            .bearer_auth(&organiser)
                            .json(&json!({"action": "approve"}))
                            .send()
                            .await
                            .ok()
                            .map(|r| r.status()),
                        (Some(id), _) => http
                            .post(format!("{base}/api/v1/questions/{id}/answers"))
                            .bearer_auth(&organiser)
                            .json(&json!({"body": format!("Answer {n}: the **Yizhuang** park offers a 15 % rate for qualified high-tech firms.")}))
                            .send()
                            .await
                            .ok()
                            .map(|r| r.status()),
                        _ => return,
                    }
                }
                // Polls: one opened now and then, voted on, closed.
                6 if n % 200 == 6 => {
                    let made: Option<Value> = match http
                        .post(format!("{base}/api/v1/events/{slug}/polls"))
                        .bearer_auth(&organiser)
                        .json(&json!({"question": {"en": format!("Poll {n}: which district?")}, "options": [{"en": "Shunyi"}, {"en": "Daxing"}, {"en": "Fengtai"}]}))
                        .send()
                        .await
                    {
                        Ok(r) if r.status().is_success() => r.json().await.ok(),
                        Ok(r) => {
                            counts.record(Some(r.status()));
                            None
                        }
                        Err(_) => None,
                    };
                    let Some(id) = made.and_then(|p| p["id"].as_i64()) else {
                        return;
                    };
                    let mut open = polls.lock().await;
                    for old in open.drain(..) {
                        let _ = http
                            .post(format!("{base}/api/v1/polls/{old}/state"))
                            .bearer_auth(&organiser)
                            .json(&json!({"action": "close"}))
                            .send()
                            .await;
                    }
                    open.push(id);
                    http.post(format!("{base}/api/v1/polls/{id}/state"))
                        .bearer_auth(&organiser)
                        .json(&json!({"action": "open"}))
                        .send()
                        .await
                        .ok()
                        .map(|r| r.status())
                }
                7..=9 => {
                    let Some(id) = polls.lock().await.first().copied() else {
                        return;
                    };
                    http.post(format!("{base}/api/v1/polls/{id}/votes"))
                        .bearer_auth(participant)
                        .json(&json!({"choices": [n % 3]}))
                        .send()
                        .await
                        .ok()
                        .map(|r| r.status())
                }
                // Everyone else votes on a question.
                _ => {
                    let id = 1 + (n % 40) as i64;
                    http.post(format!("{base}/api/v1/questions/{id}/vote"))
                        .bearer_auth(participant)
                        .send()
                        .await
                        .ok()
                        .map(|r| r.status())
                }
            };
            counts.record(status);
        });
    }
    let _ = sampler.await;
    let samples = samples.lock().await.clone();
    Ok(json!({
        "minutes": duration.as_secs_f64() / 60.0,
        "participants": participants,
        "actions_per_second": rate,
        "ok": counts.ok.load(Ordering::Relaxed),
        "limited_409_429": counts.limited.load(Ordering::Relaxed),
        "refused_4xx": counts.refused.load(Ordering::Relaxed),
        "failed": counts.failed.load(Ordering::Relaxed),
        "streamed_mb": counts.streamed_bytes.load(Ordering::Relaxed) as f64 / 1_048_576.0,
        "samples": samples,
    }))
}
