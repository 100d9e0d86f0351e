//! The scale-out benchmark's client: followers of one event spread by a load balancer
//! over several Roadshow processes on one PostgreSQL database; questions approved through
//! one process; one process killed with SIGKILL half-way, its followers reconnecting
//! through the balancer with `Last-Event-ID`. Reports, per follower and update, the time
//! from the approval's answer to the message's arrival, and every message a follower
//! never got (counted against the messages anyone got, which must be every update).

use crate::fanout::{Driver, percentile};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Options {
    /// The balancer's address.
    pub proxy: SocketAddr,
    /// The process the approvals go to (directly).
    pub writer: SocketAddr,
    pub clients: usize,
    pub updates: usize,
    pub interval: Duration,
    /// The process to kill half-way, and its address (to count its followers).
    pub victim_pid: Option<u32>,
    pub slug: String,
    pub moderator: String,
}

/// One follower's messages: (SSE id, arrival), and how often it connected.
#[derive(Default)]
struct Follower {
    got: Vec<(i64, Instant)>,
    connections: usize,
}

/// Follows the event through the balancer for as long as `stop` is not set; on a lost
/// connection connects again at once with the last id seen.
async fn follow(
    proxy: SocketAddr,
    slug: String,
    state: Arc<std::sync::Mutex<Follower>>,
    ready: Arc<AtomicUsize>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    let mut last: Option<i64> = None;
    let mut first = true;
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut stream) = TcpStream::connect(proxy).await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let resume = last
            .map(|id| format!("Last-Event-ID: {id}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "GET /api/v1/events/{slug}/live HTTP/1.1\r\nHost: {proxy}\r\nAccept: text/event-stream\r\n{resume}\r\n"
        );
        if stream.write_all(request.as_bytes()).await.is_err() {
            continue;
        }
        state.lock().unwrap_or_else(|p| p.into_inner()).connections += 1;
        let mut buf: Vec<u8> = Vec::with_capacity(1024);
        let mut chunk = vec![0u8; 4096];
        let mut headers_done = false;
        loop {
            let n = match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let now = Instant::now();
            buf.extend_from_slice(&chunk[..n]);
            if !headers_done {
                let Some(end) = find(&buf, b"\r\n\r\n") else {
                    continue;
                };
                if !buf.starts_with(b"HTTP/1.1 200") {
                    // Refused (the balancer had no server up yet): try again shortly.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    break;
                }
                buf.drain(..end + 4);
                headers_done = true;
            }
            while let Some(end) = find(&buf, b"\n\n") {
                let block = &buf[..end + 2];
                if first && find(block, b": connected").is_some() {
                    first = false;
                    ready.fetch_add(1, Ordering::Relaxed);
                }
                if find(block, b"data:").is_some() {
                    if let Some(at) = find(block, b"id: ") {
                        let id = block[at + 4..]
                            .iter()
                            .take_while(|b| b.is_ascii_digit())
                            .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
                        last = Some(id);
                        state
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .got
                            .push((id, now));
                    }
                }
                buf.drain(..end + 2);
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

pub async fn run(o: Options) -> Result<Value> {
    let http = reqwest::Client::new();
    let writer = format!("http://{}", o.writer);
    let mut driver = Driver {
        http: http.clone(),
        base: writer.clone(),
        slug: o.slug.clone(),
        moderator: o.moderator.clone(),
        asker: Driver::participant(&http, &writer, &o.slug, 0).await?,
        voters: Vec::new(),
        last_approved: None,
    };
    let mut questions = Vec::with_capacity(o.updates);
    for i in 0..o.updates {
        questions.push(driver.ask(&format!("Cluster question {i}?")).await?);
    }

    let ready = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut followers = Vec::with_capacity(o.clients);
    let mut tasks = Vec::with_capacity(o.clients);
    for i in 0..o.clients {
        let state = Arc::new(std::sync::Mutex::new(Follower::default()));
        followers.push(state.clone());
        tasks.push(tokio::spawn(follow(
            o.proxy,
            o.slug.clone(),
            state,
            ready.clone(),
            stop.clone(),
        )));
        if i % 500 == 499 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while ready.load(Ordering::Relaxed) < o.clients {
        if Instant::now() > deadline {
            bail!(
                "only {} of {} followers connected",
                ready.load(Ordering::Relaxed),
                o.clients
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Settle: every greeting read, nothing in flight.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut returned = Vec::with_capacity(o.updates);
    let mut killed_at = None;
    for (k, id) in questions.iter().enumerate() {
        if k == o.updates / 2 {
            if let Some(pid) = o.victim_pid {
                let status = std::process::Command::new("kill")
                    .args(["-9", &pid.to_string()])
                    .status()
                    .context("kill -9")?;
                if !status.success() {
                    bail!("kill -9 {pid} failed");
                }
                killed_at = Some(k);
            }
        }
        driver.approve(*id).await?;
        returned.push(Instant::now());
        driver.last_approved = Some(*id);
        tokio::time::sleep(o.interval).await;
    }
    // Let the reconnected catch up, then stop.
    tokio::time::sleep(Duration::from_secs(5)).await;
    stop.store(true, Ordering::Relaxed);
    for t in &tasks {
        t.abort();
    }

    // The messages: every id anyone got, in order, one per update.
    let mut all: BTreeSet<i64> = BTreeSet::new();
    for f in &followers {
        let f = f.lock().unwrap_or_else(|p| p.into_inner());
        all.extend(f.got.iter().map(|(id, _)| *id));
    }
    let ids: Vec<i64> = all.into_iter().collect();
    if ids.len() != o.updates {
        bail!(
            "{} distinct messages were delivered for {} updates",
            ids.len(),
            o.updates
        );
    }
    let mut latencies = Vec::new();
    let mut lost = 0usize;
    let mut repeated = 0usize;
    let mut reconnected = 0usize;
    for f in &followers {
        let f = f.lock().unwrap_or_else(|p| p.into_inner());
        if f.connections > 1 {
            reconnected += 1;
        }
        let mut seen = BTreeSet::new();
        for (id, at) in &f.got {
            if !seen.insert(*id) {
                repeated += 1;
                continue;
            }
            if let Ok(k) = ids.binary_search(id) {
                latencies.push(at.saturating_duration_since(returned[k]).as_secs_f64() * 1000.0);
            }
        }
        lost += ids.iter().filter(|id| !seen.contains(id)).count();
    }
    latencies.sort_by(f64::total_cmp);
    Ok(json!({
        "clients": o.clients,
        "updates": o.updates,
        "killed_at_update": killed_at,
        "reconnected_followers": reconnected,
        "deliveries": latencies.len(),
        "lost": lost,
        "repeated": repeated,
        "delivery_from_return_p50_ms": percentile(&latencies, 50.0),
        "delivery_from_return_p99_ms": percentile(&latencies, 99.0),
        "delivery_from_return_max_ms": latencies.last().copied().unwrap_or(f64::NAN),
    }))
}

/// Sign-in limits across processes: wrong passwords for one account, sent through the
/// balancer (so to every process in turn), until refused. Returns the statuses.
pub async fn sign_in_limit(proxy: SocketAddr, email: &str, attempts: usize) -> Result<Value> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let base = format!("http://{proxy}");
    let mut statuses = Vec::new();
    for i in 0..attempts {
        // Each attempt a new visitor: a fresh CSRF cookie from the form.
        let form = http.get(format!("{base}/login")).send().await?;
        let cookie = form
            .headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("rs_csrf="))
            .and_then(|v| v.split(';').next())
            .map(str::to_string)
            .context("no CSRF cookie on the sign-in form")?;
        let page = form.text().await?;
        let token = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .context("no CSRF field on the sign-in form")?
            .to_string();
        let r = http
            .post(format!("{base}/login"))
            .header(reqwest::header::COOKIE, cookie)
            .header(reqwest::header::ORIGIN, &base)
            .form(&[
                ("csrf", token.as_str()),
                ("email", email),
                ("password", &format!("wrong-password-{i}")),
            ])
            .send()
            .await?;
        statuses.push(r.status().as_u16());
    }
    Ok(json!({ "attempts": attempts, "statuses": statuses }))
}
