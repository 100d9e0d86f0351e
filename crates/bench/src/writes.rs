//! The write path under load: questions, votes and registrations per second.

use crate::WriteKind;
use crate::fanout::{Driver, percentile};
use anyhow::Result;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- the write path

#[allow(clippy::too_many_arguments)]
pub async fn writes(
    kind: WriteKind,
    addr: SocketAddr,
    duration: Duration,
    concurrency: usize,
    participants: usize,
    questions: usize,
    slug: &str,
    moderator: &str,
) -> Result<Value> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let base = format!("http://{addr}");
    let mut tokens = Vec::with_capacity(participants);
    for n in 0..participants {
        tokens.push(Driver::participant(&http, &base, slug, n).await?);
    }
    let driver = Driver {
        http: http.clone(),
        base: base.clone(),
        slug: slug.to_string(),
        moderator: moderator.to_string(),
        asker: tokens.first().cloned().unwrap_or_default(),
        voters: Vec::new(),
        last_approved: None,
    };
    let mut question_ids = Vec::new();
    if kind == WriteKind::Votes {
        for q in 0..questions {
            let id = driver.ask(&format!("Write benchmark question {q}")).await?;
            driver.approve(id).await?;
            question_ids.push(id);
        }
    }
    let tokens = Arc::new(tokens);
    let question_ids = Arc::new(question_ids);
    let next = Arc::new(AtomicUsize::new(0));
    let stop = Instant::now() + duration;
    let mut workers = Vec::new();
    let start = Instant::now();
    for _ in 0..concurrency {
        let http = http.clone();
        let base = base.clone();
        let slug = slug.to_string();
        let tokens = tokens.clone();
        let question_ids = question_ids.clone();
        let next = next.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let pairs = tokens.len() * question_ids.len().max(1);
            while Instant::now() < stop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if kind == WriteKind::Votes && i >= pairs {
                    break;
                }
                // Each (participant, question) pair once, so that every vote is a new row.
                let participant = &tokens[i % tokens.len()];
                let request = match kind {
                    WriteKind::Votes => {
                        let q = (i / tokens.len()) % question_ids.len().max(1);
                        http.post(format!("{base}/api/v1/questions/{}/vote", question_ids[q]))
                            .bearer_auth(participant)
                    }
                    WriteKind::Questions => http
                        .post(format!("{base}/api/v1/events/{slug}/questions"))
                        .bearer_auth(participant)
                        .json(&json!({"text": format!("Load question {i} about tax incentives in Fengtai?")})),
                };
                let t0 = Instant::now();
                match request.send().await {
                    Ok(r) if r.status().is_success() => {
                        let body: Value = r.json().await.unwrap_or(Value::Null);
                        if kind == WriteKind::Votes && body["changed"] != true {
                            errors += 1;
                        }
                        latencies.push(t0.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await?;
        latencies.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    Ok(json!({
        "kind": match kind { WriteKind::Votes => "votes", WriteKind::Questions => "questions" },
        "requests": latencies.len(),
        "per_second": latencies.len() as f64 / elapsed,
        "p50_ms": percentile(&latencies, 50.0),
        "p99_ms": percentile(&latencies, 99.0),
        "errors": errors,
    }))
}
