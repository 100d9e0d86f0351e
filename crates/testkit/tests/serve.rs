//! The real server on a socket, as `roadshow serve` runs it: live streams answered on the
//! short path (straight on the socket) behave like the router's, and everything else
//! still goes through the router.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_testkit::{Db, TestApp};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start() -> (
    TestApp,
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
) {
    let t = TestApp::with_demo(Db::Sqlite).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = roadshow_web::AppState::new(t.app.clone());
    let hub = t.app.clone();
    tokio::spawn(async move {
        roadshow_web::serve(listener, state, async move {
            let _ = stopped.await;
            hub.live().live_hub().close();
        })
        .await
        .unwrap();
    });
    (t, addr, stop)
}

/// A raw HTTP/1.1 request; returns the connection after the request is sent.
async fn request(addr: std::net::SocketAddr, head: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    s
}

/// Reads until `needle` has arrived or `wait` passes; returns everything read.
async fn read_until(s: &mut TcpStream, needle: &str, wait: Duration) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    while !String::from_utf8_lossy(&out).contains(needle) {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => out.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn live_streams_on_the_socket_follow_the_same_rules_as_the_router() {
    let (t, addr, stop) = start().await;
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;

    // A public follower and a staff follower.
    let mut public = request(
        addr,
        "GET /api/v1/events/two-zones-germany/live HTTP/1.1\r\nHost: x\r\n\r\n",
    )
    .await;
    let head = read_until(&mut public, ": connected", Duration::from_secs(5)).await;
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(head.contains("content-type: text/event-stream"));
    assert!(head.contains("x-content-type-options: nosniff"));
    let mut staff = request(
        addr,
        &format!("GET /api/v1/events/two-zones-germany/live HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {moderator}\r\n\r\n"),
    )
    .await;
    read_until(&mut staff, ": connected", Duration::from_secs(5)).await;

    let q = t
        .json(
            "POST",
            "/api/v1/events/two-zones-germany/questions",
            Some(&erika),
            r#"{"text":"On the socket?"}"#,
        )
        .await
        .json();
    let id = q["id"].as_i64().unwrap();
    let seen = read_until(&mut staff, "question_submitted", Duration::from_secs(5)).await;
    assert!(seen.contains("Erika Muster"), "staff see who asked: {seen}");
    t.json(
        "POST",
        &format!("/api/v1/questions/{id}/moderation"),
        Some(&moderator),
        r#"{"action":"approve"}"#,
    )
    .await;
    let seen = read_until(&mut public, "question_approved", Duration::from_secs(5)).await;
    assert!(
        !seen.contains("question_submitted"),
        "the public never sees the queue"
    );
    assert!(!seen.contains("author_name"));
    let approved_id: i64 = seen
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("id: "))
        .unwrap()
        .parse()
        .unwrap();

    // Reconnecting with Last-Event-ID replays what was missed, once.
    t.json(
        "POST",
        &format!("/api/v1/questions/{id}/vote"),
        Some(&erika),
        "",
    )
    .await;
    let mut again = request(
        addr,
        &format!("GET /api/v1/events/two-zones-germany/live HTTP/1.1\r\nHost: x\r\nLast-Event-ID: {approved_id}\r\n\r\n"),
    )
    .await;
    let mut replay = read_until(&mut again, "question_voted", Duration::from_secs(5)).await;
    // Read on until nothing more comes, so that a repeated event would be seen too.
    replay.push_str(&read_until(&mut again, "never", Duration::from_millis(500)).await);
    assert_eq!(replay.matches("event: ").count(), 1, "{replay}");
    assert!(replay.contains(r#""votes":1"#));

    // A bad token, an unknown event and a draft go to the router and get its answers.
    let mut bad = request(addr, "GET /api/v1/events/two-zones-germany/live HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rsp_nope\r\nConnection: close\r\n\r\n").await;
    let answer = read_until(&mut bad, "}", Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("application/problem+json"));
    let mut unknown = request(
        addr,
        "GET /api/v1/events/nope/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(
        read_until(&mut unknown, "}", Duration::from_secs(5))
            .await
            .starts_with("HTTP/1.1 404")
    );
    // Other requests are served by the router as usual.
    let mut health = request(
        addr,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(
        read_until(&mut health, "}", Duration::from_secs(5))
            .await
            .starts_with("HTTP/1.1 200")
    );

    // Shutting down ends the streams.
    stop.send(()).unwrap();
    let rest = read_until(&mut public, "never", Duration::from_secs(5)).await;
    let mut buf = [0u8; 16];
    assert_eq!(
        public.read(&mut buf).await.unwrap_or(0),
        0,
        "stream closed ({rest})"
    );
}

#[tokio::test]
async fn the_page_stream_knows_participants_and_staff_by_their_cookies() {
    let (t, addr, _stop) = start().await;
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let login = t
        .app
        .accounts()
        .login("moderator@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let from_start = |cookie: String| {
        format!(
            "GET /events/two-zones-germany/live/stream?after=0 HTTP/1.1\r\nHost: x\r\n{cookie}\r\n"
        )
    };
    // From the start of the log: the demo's approved questions and votes; the queue of
    // questions waiting for moderation only for staff.
    let mut participant = request(
        addr,
        &from_start(format!("Cookie: rs_lang=de; rs_participant={erika}\r\n")),
    )
    .await;
    let seen = read_until(&mut participant, "poll_results", Duration::from_secs(5)).await;
    assert!(seen.starts_with("HTTP/1.1 200"));
    assert!(seen.contains("question_approved"));
    assert!(!seen.contains("question_submitted"));
    let mut anonymous = request(addr, &from_start(String::new())).await;
    let seen = read_until(&mut anonymous, "poll_results", Duration::from_secs(5)).await;
    assert!(seen.contains("question_approved"));
    assert!(!seen.contains("question_submitted"));
    let mut staff = request(
        addr,
        &from_start(format!("Cookie: rs_session={}\r\n", login.session_secret)),
    )
    .await;
    let seen = read_until(&mut staff, "question_submitted", Duration::from_secs(5)).await;
    assert!(
        seen.contains("question_submitted"),
        "staff see the queue: {seen}"
    );
    assert!(seen.contains("author_name"), "and who asked");
}

/// What one answer looked like: status, headers (without those the transport or the
/// moment decides) and the first bytes of its body.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

const TRANSPORT_HEADERS: &[&str] = &[
    "x-request-id",
    "connection",
    "date",
    "transfer-encoding",
    "content-length",
];

fn keep(name: &str) -> bool {
    !TRANSPORT_HEADERS.contains(&name)
}

/// A fresh visitor's CSRF cookie is random each time; its shape is what must agree.
fn normal(name: String, value: String) -> (String, String) {
    match value.split_once(';') {
        Some((cookie, rest)) if name == "set-cookie" && cookie.starts_with("rs_csrf=") => {
            (name, format!("rs_csrf=(random);{rest}"))
        }
        _ => (name, value),
    }
}

/// Reads a body until nothing more comes for a moment (a stream never ends) or it ends.
async fn read_idle(mut next: impl AsyncReadish) -> String {
    let mut out = Vec::new();
    while let Ok(Some(chunk)) = tokio::time::timeout(Duration::from_millis(300), next.chunk()).await
    {
        out.extend_from_slice(&chunk);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Something that yields body bytes chunk by chunk.
trait AsyncReadish {
    fn chunk(&mut self) -> impl std::future::Future<Output = Option<Vec<u8>>>;
}

struct Socket(TcpStream);

impl AsyncReadish for &mut Socket {
    async fn chunk(&mut self) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; 4096];
        match self.0.read(&mut buf).await {
            Ok(n) if n > 0 => Some(buf[..n].to_vec()),
            _ => None,
        }
    }
}

struct RouterBody(axum::body::Body);

impl AsyncReadish for &mut RouterBody {
    async fn chunk(&mut self) -> Option<Vec<u8>> {
        use http_body_util::BodyExt;
        loop {
            match self.0.frame().await? {
                Ok(frame) => {
                    if let Ok(data) = frame.into_data() {
                        return Some(data.to_vec());
                    }
                }
                Err(_) => return None,
            }
        }
    }
}

/// The answer of the real server on a socket (the stream's own transport).
async fn over_socket(addr: std::net::SocketAddr, head: &str) -> Seen {
    let mut socket = Socket(request(addr, head).await);
    let raw = read_idle(&mut socket).await;
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| normal(k.to_ascii_lowercase(), v.to_string()))
        .filter(|(k, _)| keep(k))
        .collect();
    headers.sort();
    Seen {
        status,
        headers,
        body: body.to_string(),
    }
}

/// The answer of the router itself, for the same request.
async fn through_router(t: &TestApp, head: &str) -> Seen {
    use tower::ServiceExt;
    let mut lines = head.split("\r\n");
    let target = lines.next().unwrap().split(' ').nth(1).unwrap().to_string();
    let mut builder = axum::http::Request::get(&target);
    for l in lines.filter(|l| !l.is_empty()) {
        let (k, v) = l.split_once(": ").unwrap();
        builder = builder.header(k, v);
    }
    let response = t
        .router
        .clone()
        .oneshot(builder.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(k, v)| normal(k.to_string(), v.to_str().unwrap().to_string()))
        .filter(|(k, _)| keep(k))
        .collect();
    headers.sort();
    let mut body = RouterBody(response.into_body());
    Seen {
        status,
        headers,
        body: read_idle(&mut body).await,
    }
}

#[tokio::test]
async fn a_stream_on_the_socket_answers_exactly_as_the_router_does() {
    let (t, addr, _stop) = start().await;
    let erika = t.participant("erika@muster.example", "Erika Muster").await;
    let moderator = t.token("moderator@roadshow.example").await;
    let login = t
        .app
        .accounts()
        .login("moderator@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let other = t
        .app
        .store
        .create_agency("other", &roadshow_domain::Localized::default())
        .await
        .unwrap();
    t.app
        .accounts()
        .add_user(
            other.id,
            "foreign@other.example",
            "Foreign",
            roadshow_domain::accounts::Role::Organiser,
            None,
            "foreign-password-1",
        )
        .await
        .unwrap();
    let foreign = t.token("foreign@other.example").await;
    let api = "/api/v1/events/two-zones-germany/live";
    let page = "/events/two-zones-germany/live/stream";
    let table = [
        (
            "anonymous",
            format!("GET {api} HTTP/1.1\r\nHost: x\r\n\r\n"),
        ),
        (
            "participant",
            format!("GET {api} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {erika}\r\n\r\n"),
        ),
        (
            "participant's page",
            format!("GET {page} HTTP/1.1\r\nHost: x\r\nCookie: rs_participant={erika}\r\n\r\n"),
        ),
        (
            "staff",
            format!("GET {api} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {moderator}\r\n\r\n"),
        ),
        (
            "staff's page",
            format!(
                "GET {page} HTTP/1.1\r\nHost: x\r\nCookie: rs_session={}\r\n\r\n",
                login.session_secret
            ),
        ),
        (
            "foreign agency",
            format!("GET {api} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {foreign}\r\n\r\n"),
        ),
        (
            "bad token",
            format!("GET {api} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer rsp_nope\r\n\r\n"),
        ),
        (
            "unknown event",
            "GET /api/v1/events/nope/live HTTP/1.1\r\nHost: x\r\n\r\n".to_string(),
        ),
        (
            "Last-Event-ID",
            format!("GET {api} HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 3\r\n\r\n"),
        ),
        (
            "after=",
            format!("GET {page}?after=2 HTTP/1.1\r\nHost: x\r\nCookie: rs_lang=de\r\n\r\n"),
        ),
    ];
    let mut seen = Vec::new();
    for (who, head) in &table {
        let socket = over_socket(addr, head).await;
        let router = through_router(&t, head).await;
        assert_eq!(socket, router, "{who}");
        seen.push(socket);
    }
    // The table covers what it means to: streams, refusals and replays.
    let statuses: Vec<u16> = seen.iter().map(|s| s.status).collect();
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 401, 404, 200, 200]);
    assert!(seen[8].body.contains("id: 4\n"), "{}", seen[8].body);
    assert!(
        seen[3]
            .headers
            .iter()
            .any(|(k, _)| k == "content-security-policy")
    );
}

/// A whole answer of the real server: the request is sent with `Connection: close`.
async fn whole(addr: std::net::SocketAddr, path: &str, headers: &str) -> (String, String) {
    let mut s = request(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n"),
    )
    .await;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut raw))
        .await
        .unwrap()
        .unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    (head.to_ascii_lowercase(), body.to_string())
}

fn header<'a>(head: &'a str, name: &str) -> &'a str {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or("")
}

#[tokio::test]
async fn kept_public_answers_on_the_socket_are_the_routers_for_their_reader_only() {
    let (t, addr, _stop) = start().await;
    let page = "/events/two-zones-germany";
    let de = "Accept-Language: de\r\n";
    let (first, body) = whole(addr, page, de).await;
    assert!(first.starts_with("http/1.1 200"), "{first}");
    // Answered again from what was kept, before the router: same bytes and tag, the
    // security headers, and a request id of its own.
    let (again, same) = whole(addr, page, de).await;
    assert_eq!(same, body);
    assert!(same.contains("lang=\"de\""));
    assert_eq!(header(&again, "etag"), header(&first, "etag"));
    assert!(header(&again, "cache-control").starts_with("public"));
    assert_eq!(header(&again, "x-frame-options"), "deny");
    assert!(!header(&again, "content-security-policy").is_empty());
    assert!(!header(&again, "x-request-id").is_empty());
    assert_ne!(
        header(&again, "x-request-id"),
        header(&first, "x-request-id")
    );
    // The browser that has it is told so.
    let tag = format!("If-None-Match: {}\r\n{de}", header(&first, "etag"));
    let (unchanged, empty) = whole(addr, page, &tag).await;
    assert!(unchanged.starts_with("http/1.1 304"), "{unchanged}");
    assert!(empty.is_empty());
    // Another language is another answer; a chosen language (cookie) wins over the header.
    let (zh, zh_body) = whole(addr, page, "Cookie: rs_lang=zh\r\nAccept-Language: de\r\n").await;
    assert!(zh_body.contains("lang=\"zh\""), "{zh}");
    assert_ne!(header(&zh, "etag"), header(&first, "etag"));
    // A signed-in reader never gets the shared answer.
    let organiser = t.token("organiser@roadshow.example").await;
    let (mine, _) = whole(
        addr,
        "/api/v1/events/two-zones-germany",
        &format!("Authorization: Bearer {organiser}\r\n"),
    )
    .await;
    assert_eq!(header(&mine, "cache-control"), "no-store");
    assert_eq!(header(&mine, "etag"), "");
    // An organiser's change shows at once.
    let mut edited = t.get("/api/v1/events/two-zones-germany").await.json();
    edited["title"]["de"] = serde_json::json!("Ein neuer Titel");
    let put = t
        .json(
            "PUT",
            "/api/v1/events/two-zones-germany",
            Some(&organiser),
            &edited.to_string(),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    let (_, fresh) = whole(addr, page, de).await;
    assert!(fresh.contains("Ein neuer Titel"));
}
