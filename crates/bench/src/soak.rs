//! The soak test: a live event at ten times the seed's scale (600 participants) for a long
//! while, everyone at work at once: participants ask, vote and answer polls while they
//! follow the live stream; moderators approve; officials answer; polls open and close.
//! Every minute it reads the server's memory and the database's size, and how much real
//! content there is, so that one can see both stay bounded and grow with the content.

use crate::fanout::Driver;
use anyhow::Result;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What happened to each kind of request: latencies and outcomes, for the minute being
/// sampled and for the whole run.
#[derive(Default)]
struct Route {
    minute: Vec<f64>,
    whole: Vec<f64>,
    ok: u64,
    limited: u64,
    refused: u64,
    failed: u64,
    failed_minute: u64,
}

/// Every route's record, and the bytes the followers received.
#[derive(Default)]
struct Recorder {
    routes: std::sync::Mutex<BTreeMap<&'static str, Route>>,
    streamed_bytes: AtomicU64,
    /// 503s the server answered (load shed) that the client then sent again.
    shed: AtomicU64,
}

impl Recorder {
    /// Records one request of `route`: how long it took and how it ended (`None`: no
    /// answer at all).
    fn record(&self, route: &'static str, started: Instant, status: Option<reqwest::StatusCode>) {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let Ok(mut routes) = self.routes.lock() else {
            return;
        };
        let r = routes.entry(route).or_default();
        r.minute.push(ms);
        r.whole.push(ms);
        match status {
            Some(s) if s.is_success() => r.ok += 1,
            // A deliberate limit: a participant's own quota, a poll already closed.
            Some(s) if s.as_u16() == 429 || s.as_u16() == 409 => r.limited += 1,
            Some(s) if s.is_client_error() => r.refused += 1,
            _ => {
                r.failed += 1;
                r.failed_minute += 1;
            }
        }
    }

    /// Each route's figures for the minute just ended (and the minute's record cleared).
    fn take_minute(&self) -> Value {
        let Ok(mut routes) = self.routes.lock() else {
            return Value::Null;
        };
        let mut out = serde_json::Map::new();
        for (name, r) in routes.iter_mut() {
            let mut lat = std::mem::take(&mut r.minute);
            out.insert(
                name.to_string(),
                json!({
                    "requests": lat.len(),
                    "p50_ms": percentile(&mut lat, 0.50),
                    "p99_ms": percentile(&mut lat, 0.99),
                    "failed": std::mem::take(&mut r.failed_minute),
                }),
            );
        }
        Value::Object(out)
    }

    /// Each route's figures over the whole run.
    fn whole(&self) -> Value {
        let Ok(mut routes) = self.routes.lock() else {
            return Value::Null;
        };
        let mut out = serde_json::Map::new();
        for (name, r) in routes.iter_mut() {
            out.insert(
                name.to_string(),
                json!({
                    "requests": r.whole.len(),
                    "p50_ms": percentile(&mut r.whole, 0.50),
                    "p99_ms": percentile(&mut r.whole, 0.99),
                    "max_ms": percentile(&mut r.whole, 1.0),
                    "ok": r.ok,
                    "limited_409_429": r.limited,
                    "refused_4xx": r.refused,
                    "failed": r.failed,
                }),
            );
        }
        Value::Object(out)
    }
}

/// The `q` quantile in milliseconds, to a tenth.
fn percentile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let at = ((values.len() - 1) as f64 * q).round() as usize;
    (values[at.min(values.len() - 1)] * 10.0).round() / 10.0
}

/// A line of the server's `/proc/<pid>/status` in MB (`VmRSS`: all it holds; `RssAnon`:
/// its heap and stacks; `RssFile`: files it maps, the program and libraries).
fn status_mb(pid: Option<u32>, field: &str) -> f64 {
    let Some(pid) = pid else { return 0.0 };
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| (kb / 1024.0 * 10.0).round() / 10.0)
        .unwrap_or(0.0)
}

/// The size of the files given, in MB, to a tenth: the database, or its write-ahead log.
fn files_mb(files: &[PathBuf], wal: bool) -> f64 {
    let mb: f64 = files
        .iter()
        .filter(|f| f.to_string_lossy().ends_with("-wal") == wal)
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len() as f64 / 1_048_576.0)
        .sum();
    (mb * 10.0).round() / 10.0
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
    let rec = Arc::new(Recorder::default());
    // The newest question id seen: the consoles read the page of the latest questions
    // (what a moderator has on screen), not the event's whole list.
    let newest = Arc::new(AtomicI64::new(0));
    let stop = Instant::now() + duration;
    // Every participant follows the live stream.
    for token in tokens.iter() {
        let (http, base, slug, token, rec) = (
            http.clone(),
            base.clone(),
            slug.to_string(),
            token.clone(),
            rec.clone(),
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
                        rec.streamed_bytes
                            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                    }
                    Ok(_) => return,
                    Err(_) => {}
                }
            }
        });
    }
    let started = Instant::now();
    // Requests in flight, by capped class, as the health check tells them once a second:
    // the most seen in each minute goes into its sample.
    let in_flight = Arc::new(std::sync::Mutex::new([0u64; 3]));
    {
        let (http, base, in_flight) = (http.clone(), base.clone(), in_flight.clone());
        tokio::spawn(async move {
            while Instant::now() < stop {
                let health: Option<Value> = match http.get(format!("{base}/healthz")).send().await {
                    Ok(r) => r.json().await.ok(),
                    Err(_) => None,
                };
                if let Some(h) = health {
                    let now = ["staff_reads", "exports", "writes"]
                        .map(|k| h["in_flight"][k].as_u64().unwrap_or(0));
                    if let Ok(mut most) = in_flight.lock() {
                        for (m, n) in most.iter_mut().zip(now) {
                            *m = (*m).max(n);
                        }
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
    let samples = Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let sampler = {
        let (http, base, slug, organiser, samples, rec, in_flight) = (
            http.clone(),
            base.clone(),
            slug.to_string(),
            organiser.to_string(),
            samples.clone(),
            rec.clone(),
            in_flight.clone(),
        );
        tokio::spawn(async move {
            loop {
                // The content so far, counted by paging through the staff's list.
                let (mut questions, mut answers, mut after) = (0usize, 0usize, None::<i64>);
                loop {
                    let url = match after {
                        Some(a) => {
                            format!("{base}/api/v1/events/{slug}/questions?limit=500&after={a}")
                        }
                        None => format!("{base}/api/v1/events/{slug}/questions?limit=500"),
                    };
                    let at = Instant::now();
                    let page: Option<Value> = match http
                        .get(url)
                        .bearer_auth(&organiser)
                        .send_retrying(&rec.shed)
                        .await
                    {
                        Ok(r) => {
                            rec.record("count questions (500 a page)", at, Some(r.status()));
                            r.json().await.ok()
                        }
                        Err(_) => {
                            rec.record("count questions (500 a page)", at, None);
                            None
                        }
                    };
                    let Some(page) = page else { break };
                    let list = page["questions"].as_array().cloned().unwrap_or_default();
                    questions += list.len();
                    answers += list
                        .iter()
                        .map(|q| q["answers"].as_array().map_or(0, Vec::len))
                        .sum::<usize>();
                    match page["next_after"].as_i64() {
                        Some(next) => after = Some(next),
                        None => break,
                    }
                }
                // Each minute also goes to stderr as a line of JSON, so a run cut short
                // (or watched while it runs) still shows its curve.
                let sample = json!({
                    "minute": (started.elapsed().as_secs_f64() / 60.0 * 10.0).round() / 10.0,
                    "rss_mb": status_mb(server_pid, "VmRSS:"),
                    "anon_mb": status_mb(server_pid, "RssAnon:"),
                    "file_mb": status_mb(server_pid, "RssFile:"),
                    "db_mb": files_mb(&db_files, false),
                    "wal_mb": files_mb(&db_files, true),
                    "questions": questions,
                    "answers": answers,
                    "routes": rec.take_minute(),
                    "in_flight_max": in_flight
                        .lock()
                        .map(|mut most| {
                            let seen = *most;
                            *most = [0; 3];
                            json!({"staff_reads": seen[0], "exports": seen[1], "writes": seen[2]})
                        })
                        .unwrap_or(Value::Null),
                });
                eprintln!("{sample}");
                samples.lock().await.push(sample);
                if Instant::now() >= stop {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(60).min(stop - Instant::now())).await;
            }
        })
    };
    // The work: `rate` actions a second, spread over the kinds a live event sees.
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate.max(1)));
    let mut n: u64 = 0;
    let polls: Arc<tokio::sync::Mutex<Vec<i64>>> = Default::default();
    while Instant::now() < stop {
        tick.tick().await;
        n += 1;
        let (http, base, slug, organiser, tokens, rec, polls, newest) = (
            http.clone(),
            base.clone(),
            slug.to_string(),
            organiser.to_string(),
            tokens.clone(),
            rec.clone(),
            polls.clone(),
            newest.clone(),
        );
        tokio::spawn(async move {
            let participant = &tokens[(n as usize * 7919) % tokens.len()];
            let at = Instant::now();
            let (route, at, status) = match n % 20 {
                // Participants ask.
                0..=2 => {
                    let r = http
                        .post(format!("{base}/api/v1/events/{slug}/questions"))
                        .bearer_auth(participant)
                        .json(&json!({"text": format!("Soak question {n}: which support do R&D centres get in Yizhuang?")}))
                        .send_retrying(&rec.shed)
                        .await
                        .ok();
                    let status = r.as_ref().map(|r| r.status());
                    if let Some(r) = r.filter(|r| r.status().is_success())
                        && let Ok(q) = r.json::<Value>().await
                        && let Some(id) = q["id"].as_i64()
                    {
                        newest.fetch_max(id, Ordering::Relaxed);
                    }
                    ("ask", at, status)
                }
                // Moderators approve what waits, officials answer what is approved, each
                // from the page of the latest questions their console shows.
                3..=5 => {
                    let from = (newest.load(Ordering::Relaxed) - 100).max(0);
                    let r = http
                        .get(format!(
                            "{base}/api/v1/events/{slug}/questions?after={from}&limit=100"
                        ))
                        .bearer_auth(&organiser)
                        .send_retrying(&rec.shed)
                        .await;
                    let list: Value = match r {
                        Ok(r) => {
                            rec.record("staff: latest questions", at, Some(r.status()));
                            r.json().await.unwrap_or(Value::Null)
                        }
                        Err(_) => {
                            rec.record("staff: latest questions", at, None);
                            Value::Null
                        }
                    };
                    let questions = list["questions"].as_array().cloned().unwrap_or_default();
                    let wanted = if n % 20 == 3 { "pending" } else { "approved" };
                    let pick = questions
                        .iter()
                        .filter(|q| q["state"] == wanted)
                        .nth((n as usize) % 5)
                        .and_then(|q| q["id"].as_i64());
                    let at = Instant::now();
                    match (pick, wanted) {
                        (Some(id), "pending") => ("staff: approve", at, http
                            .post(format!("{base}/api/v1/questions/{id}/moderation"))
                            .bearer_auth(&organiser)
                            .json(&json!({"action": "approve"}))
                            .send_retrying(&rec.shed)
                            .await
                            .ok()
                            .map(|r| r.status())),
                        (Some(id), _) => ("staff: answer", at, http
                            .post(format!("{base}/api/v1/questions/{id}/answers"))
                            .bearer_auth(&organiser)
                            .json(&json!({"body": format!("Answer {n}: the **Yizhuang** park offers a 15 % rate for qualified high-tech firms.")}))
                            .send_retrying(&rec.shed)
                            .await
                            .ok()
                            .map(|r| r.status())),
                        _ => return,
                    }
                }
                // Polls: one opened now and then, voted on, closed.
                6 if n % 200 == 6 => {
                    let r = http
                        .post(format!("{base}/api/v1/events/{slug}/polls"))
                        .bearer_auth(&organiser)
                        .json(&json!({"question": {"en": format!("Poll {n}: which district?")}, "options": [{"en": "Shunyi"}, {"en": "Daxing"}, {"en": "Fengtai"}]}))
                        .send_retrying(&rec.shed)
                        .await;
                    rec.record(
                        "staff: make a poll",
                        at,
                        r.as_ref().ok().map(|r| r.status()),
                    );
                    let made: Option<Value> = match r {
                        Ok(r) if r.status().is_success() => r.json().await.ok(),
                        _ => None,
                    };
                    let Some(id) = made.and_then(|p| p["id"].as_i64()) else {
                        return;
                    };
                    let mut open = polls.lock().await;
                    for old in open.drain(..) {
                        let at = Instant::now();
                        let r = http
                            .post(format!("{base}/api/v1/polls/{old}/state"))
                            .bearer_auth(&organiser)
                            .json(&json!({"action": "close"}))
                            .send_retrying(&rec.shed)
                            .await;
                        rec.record(
                            "staff: open or close a poll",
                            at,
                            r.ok().map(|r| r.status()),
                        );
                    }
                    open.push(id);
                    let at = Instant::now();
                    let status = http
                        .post(format!("{base}/api/v1/polls/{id}/state"))
                        .bearer_auth(&organiser)
                        .json(&json!({"action": "open"}))
                        .send_retrying(&rec.shed)
                        .await
                        .ok()
                        .map(|r| r.status());
                    ("staff: open or close a poll", at, status)
                }
                7..=9 => {
                    let Some(id) = polls.lock().await.first().copied() else {
                        return;
                    };
                    (
                        "poll vote",
                        at,
                        http.post(format!("{base}/api/v1/polls/{id}/votes"))
                            .bearer_auth(participant)
                            .json(&json!({"choices": [n % 3]}))
                            .send_retrying(&rec.shed)
                            .await
                            .ok()
                            .map(|r| r.status()),
                    )
                }
                // Everyone else votes on a question.
                _ => {
                    let id = 1 + (n % 40) as i64;
                    (
                        "question vote",
                        at,
                        http.post(format!("{base}/api/v1/questions/{id}/vote"))
                            .bearer_auth(participant)
                            .send_retrying(&rec.shed)
                            .await
                            .ok()
                            .map(|r| r.status()),
                    )
                }
            };
            rec.record(route, at, status);
        });
    }
    let _ = sampler.await;
    let samples = samples.lock().await.clone();
    let routes = rec.whole();
    let total = |key: &str| -> u64 {
        routes
            .as_object()
            .map(|r| r.values().map(|v| v[key].as_u64().unwrap_or(0)).sum())
            .unwrap_or(0)
    };
    Ok(json!({
        "minutes": duration.as_secs_f64() / 60.0,
        "participants": participants,
        "actions_per_second": rate,
        "ok": total("ok"),
        "limited_409_429": total("limited_409_429"),
        "refused_4xx": total("refused_4xx"),
        "failed": total("failed"),
        "streamed_mb": rec.streamed_bytes.load(Ordering::Relaxed) as f64 / 1_048_576.0,
        "shed_503_retried": rec.shed.load(Ordering::Relaxed),
        "routes": routes,
        "samples": samples,
    }))
}

/// Sending as the API asks clients to: a 503 (the server shed the request) is sent again
/// after its Retry-After, up to three times; what the caller gets is the last answer.
trait Retrying {
    async fn send_retrying(self, shed: &AtomicU64) -> reqwest::Result<reqwest::Response>;
}

impl Retrying for reqwest::RequestBuilder {
    async fn send_retrying(self, shed: &AtomicU64) -> reqwest::Result<reqwest::Response> {
        let mut attempt = self;
        for _ in 0..3 {
            let Some(again) = attempt.try_clone() else {
                break;
            };
            let r = attempt.send().await?;
            if r.status() != reqwest::StatusCode::SERVICE_UNAVAILABLE {
                return Ok(r);
            }
            shed.fetch_add(1, Ordering::Relaxed);
            let wait = r
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
                .unwrap_or(1);
            tokio::time::sleep(Duration::from_secs(wait.clamp(1, 5))).await;
            attempt = again;
        }
        attempt.send().await
    }
}
