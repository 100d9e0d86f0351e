//! The fan-out client: many SSE or WebSocket followers of one event, and how long each
//! broadcast takes to reach them all.

use crate::Target;
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// ---------------------------------------------------------------- fan-out clients

/// What one client saw: when each message arrived, and the SSE ids (to find repeats).
#[derive(Default)]
struct Seen {
    arrivals: Vec<Instant>,
    ids: Vec<i64>,
}

async fn connect(target: Target, addr: SocketAddr, slug: &str) -> Result<TcpStream> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let request = match target {
        Target::Roadshow => format!(
            "GET /api/v1/events/{slug}/live HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        ),
        Target::Bare => format!("GET /events HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
        Target::Ws => format!(
            "GET /ws HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ),
    };
    stream.write_all(request.as_bytes()).await?;
    Ok(stream)
}

/// Reads one client's stream, recording each message's arrival, until the task is
/// aborted. Counts the client in `ready` once the server has answered (the WebSocket
/// handshake, or the SSE greeting). No timers in the loop: 10,000 of these share a core.
async fn follow(
    target: Target,
    mut stream: TcpStream,
    seen: Arc<std::sync::Mutex<Seen>>,
    ready: Arc<AtomicUsize>,
) {
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = vec![0u8; 4096];
    let mut headers_done = false;
    let mut greeted = false;
    loop {
        let n = match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let now = Instant::now();
        buf.extend_from_slice(&chunk[..n]);
        if !headers_done {
            let Some(end) = find(&buf, b"\r\n\r\n") else {
                continue;
            };
            buf.drain(..end + 4);
            headers_done = true;
            if target == Target::Ws {
                ready.fetch_add(1, Ordering::Relaxed);
            }
        }
        let mut new: Vec<i64> = Vec::new();
        match target {
            Target::Roadshow | Target::Bare => {
                // Chunked transfer framing interleaves size lines; messages are found by
                // their blank-line ends and `data:` lines, which the framing cannot hold.
                while let Some(end) = find(&buf, b"\n\n") {
                    let block = &buf[..end + 2];
                    if !greeted && find(block, b": connected").is_some() {
                        greeted = true;
                        ready.fetch_add(1, Ordering::Relaxed);
                    }
                    if find(block, b"data:").is_some() {
                        let id = find(block, b"id: ")
                            .map(|at| {
                                block[at + 4..]
                                    .iter()
                                    .take_while(|b| b.is_ascii_digit())
                                    .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'))
                            })
                            .unwrap_or(-1);
                        new.push(id);
                    }
                    buf.drain(..end + 2);
                }
            }
            Target::Ws => {
                // Server frames are unmasked: FIN/opcode, length (7, 16 or 64 bits), payload.
                loop {
                    if buf.len() < 2 {
                        break;
                    }
                    let opcode = buf[0] & 0x0f;
                    let (len, header) = match buf[1] & 0x7f {
                        126 if buf.len() >= 4 => (u16::from_be_bytes([buf[2], buf[3]]) as usize, 4),
                        127 if buf.len() >= 10 => {
                            let mut b = [0u8; 8];
                            b.copy_from_slice(&buf[2..10]);
                            (u64::from_be_bytes(b) as usize, 10)
                        }
                        126 | 127 => break,
                        l => (l as usize, 2),
                    };
                    if buf.len() < header + len {
                        break;
                    }
                    buf.drain(..header + len);
                    if opcode == 1 || opcode == 2 {
                        new.push(-1);
                    }
                }
            }
        }
        if !new.is_empty() {
            let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
            for id in new {
                s.arrivals.push(now);
                s.ids.push(id);
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// (resident KB, peak resident KB, CPU seconds) of a process.
pub fn process_stats(pid: Option<u32>) -> (u64, u64, f64) {
    let Some(pid) = pid else { return (0, 0, 0.0) };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 (1-based) of stat: 11 and 12 after ')'.
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    (field("VmRSS:"), field("VmHWM:"), cpu)
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub(crate) struct Driver {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
    pub(crate) slug: String,
    pub(crate) moderator: String,
    pub(crate) asker: String,
    pub(crate) voters: Vec<String>,
    pub(crate) last_approved: Option<i64>,
}

impl Driver {
    pub(crate) async fn participant(
        http: &reqwest::Client,
        base: &str,
        slug: &str,
        n: usize,
    ) -> Result<String> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let body = json!({
            "email": format!("bench{stamp}x{n}@load.example"),
            "name": format!("Bench Participant {n}"),
            "language": "de",
            "company": {"name": format!("Bench {n} GmbH"), "country": "DE", "industry": "machinery", "size": "10-49"},
            "consent": true, "consents": {"cross_border": true, "contact": true}
        });
        let r: Value = http
            .post(format!("{base}/api/v1/events/{slug}/registrations"))
            .json(&body)
            .send()
            .await?
            .json()
            .await?;
        r["token"]
            .as_str()
            .map(str::to_string)
            .with_context(|| format!("registration failed: {r}"))
    }

    pub(crate) async fn ask(&self, text: &str) -> Result<i64> {
        let r: Value = self
            .http
            .post(format!(
                "{}/api/v1/events/{}/questions",
                self.base, self.slug
            ))
            .bearer_auth(&self.asker)
            .json(&json!({"text": text}))
            .send()
            .await?
            .json()
            .await?;
        r["id"]
            .as_i64()
            .with_context(|| format!("asking failed: {r}"))
    }

    pub(crate) async fn approve(&self, id: i64) -> Result<()> {
        let r = self
            .http
            .post(format!("{}/api/v1/questions/{id}/moderation", self.base))
            .bearer_auth(&self.moderator)
            .json(&json!({"action": "approve"}))
            .send()
            .await?;
        if !r.status().is_success() {
            bail!("approving failed: {}", r.text().await?);
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn fanout(
    target: Target,
    addr: SocketAddr,
    clients: usize,
    updates: usize,
    interval: Duration,
    server_pid: Option<u32>,
    slug: &str,
    moderator: &str,
) -> Result<Value> {
    let http = reqwest::Client::new();
    let base = format!("http://{addr}");
    // Roadshow: an asker and one voter per update, registered before the clock starts.
    let mut driver = Driver {
        http: http.clone(),
        base: base.clone(),
        slug: slug.to_string(),
        moderator: moderator.to_string(),
        asker: String::new(),
        voters: Vec::new(),
        last_approved: None,
    };
    if target == Target::Roadshow {
        driver.asker = Driver::participant(&http, &base, slug, 0).await?;
        for n in 0..updates {
            driver
                .voters
                .push(Driver::participant(&http, &base, slug, n + 1).await?);
        }
    }
    let (rss_before, _, _) = process_stats(server_pid);
    let ready = Arc::new(AtomicUsize::new(0));
    let mut seen = Vec::with_capacity(clients);
    let gate = Arc::new(tokio::sync::Semaphore::new(200));
    let connect_start = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients {
        let s = Arc::new(std::sync::Mutex::new(Seen {
            arrivals: Vec::with_capacity(updates),
            ids: Vec::with_capacity(updates),
        }));
        seen.push(s.clone());
        let ready = ready.clone();
        let gate = gate.clone();
        let slug = slug.to_string();
        tasks.push(tokio::spawn(async move {
            let stream = {
                let _permit = gate.acquire().await;
                let mut attempt = 0;
                loop {
                    match connect(target, addr, &slug).await {
                        Ok(s) => break s,
                        Err(_) if attempt < 20 => {
                            attempt += 1;
                            tokio::time::sleep(Duration::from_millis(100)).await;
                        }
                        Err(_) => return,
                    }
                }
            };
            follow(target, stream, s, ready).await;
        }));
    }
    let wait_until = Instant::now() + Duration::from_secs(120);
    while ready.load(Ordering::Relaxed) < clients && Instant::now() < wait_until {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let connected = ready.load(Ordering::Relaxed);
    let connect_seconds = connect_start.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss_idle, _, cpu_before) = process_stats(server_pid);

    // The updates, one at a time: call, note when the call returned, wait.
    let mut started = Vec::with_capacity(updates);
    let mut returned = Vec::with_capacity(updates);
    let mut call_ms = Vec::with_capacity(updates);
    for k in 0..updates {
        // Roadshow: approvals and votes alternate; each makes one public live event.
        let question =
            if target == Target::Roadshow && (k % 2 == 0 || driver.last_approved.is_none()) {
                Some(
                    driver
                        .ask(&format!(
                            "Benchmark question {k}: land, tax and talent in Shunyi?"
                        ))
                        .await?,
                )
            } else {
                None
            };
        let start = Instant::now();
        match target {
            Target::Roadshow => match question {
                Some(id) => {
                    driver.approve(id).await?;
                    driver.last_approved = Some(id);
                }
                None => {
                    let id = driver.last_approved.unwrap_or(0);
                    let r = http
                        .post(format!("{base}/api/v1/questions/{id}/vote"))
                        .bearer_auth(&driver.voters[k])
                        .send()
                        .await?;
                    if !r.status().is_success() {
                        bail!("voting failed: {}", r.text().await?);
                    }
                }
            },
            Target::Bare | Target::Ws => {
                let r = http
                    .post(format!("{base}/publish"))
                    .body(format!("{{\"update\":{k}}}"))
                    .send()
                    .await?;
                if !r.status().is_success() {
                    bail!("publishing failed: {}", r.status());
                }
            }
        }
        let end = Instant::now();
        started.push(start);
        returned.push(end);
        call_ms.push((end - start).as_secs_f64() * 1000.0);
        tokio::time::sleep(interval).await;
    }
    // Give stragglers time, then close.
    let settle = Instant::now() + Duration::from_secs(10);
    loop {
        let mut complete = 0;
        for s in &seen {
            if s.lock().unwrap_or_else(|p| p.into_inner()).arrivals.len() >= updates {
                complete += 1;
            }
        }
        if complete >= connected || Instant::now() > settle {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, rss_peak, cpu_after) = process_stats(server_pid);
    for t in tasks {
        t.abort();
    }

    // Per delivery, and per update for the last client to get it; measured from the API
    // call returning (as the issue asks) and from it starting (a server that writes to
    // its clients before answering the call, as the Node baseline does, shows 0 from the
    // return).
    let mut from_return = Vec::with_capacity(clients * updates);
    let mut last_from_return = vec![0.0f64; updates];
    let mut last_from_start = vec![0.0f64; updates];
    let mut lost = 0usize;
    let mut repeated = 0usize;
    for s in &seen {
        let s = s.lock().unwrap_or_else(|p| p.into_inner());
        lost += updates.saturating_sub(s.arrivals.len());
        if target != Target::Ws {
            repeated += s.ids.windows(2).filter(|w| w[1] <= w[0]).count();
        }
        for (k, at) in s.arrivals.iter().enumerate().take(updates) {
            let ms = at.saturating_duration_since(returned[k]).as_secs_f64() * 1000.0;
            from_return.push(ms);
            last_from_return[k] = last_from_return[k].max(ms);
            let ms = at.saturating_duration_since(started[k]).as_secs_f64() * 1000.0;
            last_from_start[k] = last_from_start[k].max(ms);
        }
    }
    // Clients that never connected lost everything.
    lost += (clients - connected) * updates;
    for list in [
        &mut from_return,
        &mut last_from_return,
        &mut last_from_start,
        &mut call_ms,
    ] {
        list.sort_by(f64::total_cmp);
    }
    let max = |l: &[f64]| l.last().copied().unwrap_or(f64::NAN);
    Ok(json!({
        "clients": clients,
        "connected": connected,
        "connect_seconds": connect_seconds,
        "updates": updates,
        "deliveries": from_return.len(),
        "last_client_from_return_p50_ms": percentile(&last_from_return, 50.0),
        "last_client_from_return_p99_ms": percentile(&last_from_return, 99.0),
        "last_client_from_return_max_ms": max(&last_from_return),
        "last_client_from_start_p50_ms": percentile(&last_from_start, 50.0),
        "last_client_from_start_p99_ms": percentile(&last_from_start, 99.0),
        "last_client_from_start_max_ms": max(&last_from_start),
        "delivery_from_return_p50_ms": percentile(&from_return, 50.0),
        "delivery_from_return_p99_ms": percentile(&from_return, 99.0),
        "api_call_p50_ms": percentile(&call_ms, 50.0),
        "lost": lost,
        "repeated": repeated,
        "rss_before_kb": rss_before,
        "rss_idle_kb": rss_idle,
        "rss_peak_kb": rss_peak,
        "idle_bytes_per_connection": if connected > 0 { (rss_idle.saturating_sub(rss_before) * 1024) / connected as u64 } else { 0 },
        "cpu_seconds_during_updates": cpu_after - cpu_before,
    }))
}
