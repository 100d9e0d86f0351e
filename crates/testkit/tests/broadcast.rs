//! The broadcast over HTTP on both databases: heartbeats and what is refused or ignored,
//! attendance for whom it is for, the stream check's safe fetch, and each page's
//! Content-Security-Policy as a CSP parser reads it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use content_security_policy::{CspList, PolicyDisposition, PolicySource};
use roadshow_testkit::{Db, TestApp};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BEATS: &str = "/api/v1/events/two-zones-germany/heartbeats";
const CHECK: &str = "/api/v1/events/two-zones-germany/stream/check";

async fn beat(t: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let r = t.json("POST", BEATS, Some(token), &body.to_string()).await;
    (
        r.status.as_u16(),
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn heartbeats_count_once_per_cadence_and_only_while_live(db: Db) {
    let t = TestApp::with_demo(db).await;
    let token = t
        .participant("jana@antrieb.example.de", "Jana Antrieb")
        .await;
    let live = json!({"mode": "live", "audio_language": "de"});
    // The demo's event is weeks ahead: a live beat now is ignored, and counted.
    let (status, receipt) = beat(&t, &token, live.clone()).await;
    assert_eq!(
        (status, receipt["outcome"].as_str()),
        (202, Some("not_live"))
    );
    // On now: the first beat counts, the next at once is faster than a player sends.
    t.reschedule_demo(
        Utc::now() - Duration::minutes(30),
        Utc::now() + Duration::hours(2),
    )
    .await;
    assert_eq!(
        beat(&t, &token, live.clone()).await.1["outcome"],
        "accepted"
    );
    assert_eq!(
        beat(&t, &token, live.clone()).await.1["outcome"],
        "too_fast"
    );
    // Refused with the field named: an unknown session, a mode that is not one, a bad tag.
    for (body, field) in [
        (json!({"mode": "live", "session_id": 999_999}), "session_id"),
        (json!({"mode": "vod"}), "mode"),
        (
            json!({"mode": "live", "audio_language": "de\"><script>"}),
            "audio_language",
        ),
    ] {
        let r = t.json("POST", BEATS, Some(&token), &body.to_string()).await;
        assert_eq!(r.status.as_u16(), 422, "{body}");
        assert!(r.body.contains(field), "{}", r.body);
    }
    // Staff and strangers send none; the beat is always the caller's own.
    let organiser = t.token("organiser@roadshow.example").await;
    assert_eq!(beat(&t, &organiser, live.clone()).await.0, 403);
    assert_eq!(
        t.json("POST", BEATS, None, &live.to_string())
            .await
            .status
            .as_u16(),
        401
    );

    // Attendance: one viewer watching now, measured by the player, in German.
    let a = t
        .get_as("/api/v1/events/two-zones-germany/attendance", &organiser)
        .await;
    assert_eq!(a.status.as_u16(), 200, "{}", a.body);
    let a = a.json();
    assert_eq!(a["watching_now"], 1);
    assert_eq!(a["measured_by"], "player");
    assert!(a["audio_languages"]["de"].as_u64().unwrap() >= 1);
    assert_eq!(a["own_sessions_only"], false);
    // Every beat above is counted by what became of it.
    assert_eq!(
        a["heartbeats"],
        json!({"accepted": 1, "not_live": 1, "too_fast": 1, "refused": 3})
    );
    let sessions = a["sessions"].as_array().unwrap().len();
    assert_eq!(sessions, 6);
    // The Shunyi official sees the Shunyi session only; a moderator none of it.
    let official = t.token("official@roadshow.example").await;
    let o = t
        .get_as("/api/v1/events/two-zones-germany/attendance", &official)
        .await
        .json();
    assert_eq!(o["own_sessions_only"], true);
    assert_eq!(o["sessions"].as_array().unwrap().len(), 1);
    let moderator = t.token("moderator@roadshow.example").await;
    assert_eq!(
        t.get_as("/api/v1/events/two-zones-germany/attendance", &moderator)
            .await
            .status
            .as_u16(),
        403
    );
    assert_eq!(
        t.get_as("/api/v1/events/two-zones-germany/attendance", &token)
            .await
            .status
            .as_u16(),
        403
    );
}

/// A server on loopback that answers each connection with `respond(path)`: the bytes
/// to send, or `None` to keep the connection open and say nothing.
async fn server(respond: fn(&str, u16) -> Option<Vec<u8>>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                match respond(&path, port) {
                    Some(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                    }
                    None => tokio::time::sleep(std::time::Duration::from_secs(60)).await,
                }
            });
        }
    });
    port
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

const MASTER: &str = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"Deutsch\",LANGUAGE=\"de\",DEFAULT=YES,URI=\"de.m3u8\"\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"中文\",LANGUAGE=\"zh\",URI=\"zh.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=1280x720,CODECS=\"avc1.64001f,mp4a.40.2\",AUDIO=\"a\"\nv.m3u8\n";

fn respond(path: &str, port: u16) -> Option<Vec<u8>> {
    match path {
        "/master.m3u8" => Some(http(
            "200 OK",
            "content-type: application/vnd.apple.mpegurl\r\n",
            MASTER.as_bytes(),
        )),
        "/muxed.m3u8" => Some(http(
            "200 OK",
            "",
            b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nlow.m3u8\n",
        )),
        "/huge.m3u8" => Some(http("200 OK", "", &vec![b'#'; 5 * 1024 * 1024])),
        "/to-ftp" => Some(http(
            "302 Found",
            "location: ftp://127.0.0.1/master.m3u8\r\n",
            b"",
        )),
        "/to-master" => Some(http(
            "302 Found",
            &format!("location: http://127.0.0.1:{port}/master.m3u8\r\n"),
            b"",
        )),
        "/silent" => None,
        _ => Some(http("404 Not Found", "", b"")),
    }
}

async fn check(t: &TestApp, token: &str, url: &str) -> (u16, Value) {
    let body = json!({"type": "hls", "url": url}).to_string();
    let r = t.json("POST", CHECK, Some(token), &body).await;
    (
        r.status.as_u16(),
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

fn code(problem: &Value) -> String {
    problem["errors"][0]["code"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn the_stream_check_never_fetches_from_here_or_a_private_network(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let port = server(respond).await;
    for url in [
        format!("http://127.0.0.1:{port}/master.m3u8"),
        format!("http://[::1]:{port}/master.m3u8"),
        format!("http://localhost:{port}/master.m3u8"),
        "http://10.1.2.3/master.m3u8".to_string(),
        "http://169.254.169.254/latest/meta-data".to_string(),
        "http://[::ffff:127.0.0.1]/master.m3u8".to_string(),
        "http://192.168.0.10/master.m3u8".to_string(),
    ] {
        let (status, problem) = check(&t, &organiser, &url).await;
        assert_eq!(
            (status, code(&problem).as_str()),
            (422, "private_address"),
            "{url}: {problem}"
        );
    }
    let (status, problem) = check(&t, &organiser, "ftp://example.com/master.m3u8").await;
    assert_eq!((status, code(&problem).as_str()), (422, "invalid_url"));
    // The event's own stream is the demo's sample, on this machine: refused as well.
    let r = t.json("POST", CHECK, Some(&organiser), "").await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
}

async fn with_private_streams_allowed_the_check_reads_the_playlist_safely(db: Db) {
    // An intranet encoder (and this test's server on loopback): the operator allows it.
    let t = TestApp::start_with(db, |c| c.allow_private_streams = true).await;
    t.app.load_demo().await.unwrap();
    let organiser = t.token("organiser@roadshow.example").await;
    let port = server(respond).await;
    let base = format!("http://127.0.0.1:{port}");
    let (status, report) = check(&t, &organiser, &format!("{base}/to-master")).await;
    assert_eq!(status, 200, "{report}");
    let languages: Vec<_> = report["audio"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, vec!["de", "zh"]);
    assert_eq!(report["variants"][0]["resolution"], "1280x720");
    assert_eq!(report["warnings"], json!([]));
    // What keeps a viewer from their language is explained in the caller's language.
    let r = t
        .send(
            axum::http::Request::post(CHECK)
                .header("authorization", format!("Bearer {organiser}"))
                .header("content-type", "application/json")
                .header("accept-language", "de")
                .body(axum::body::Body::from(
                    json!({"type": "hls", "url": format!("{base}/muxed.m3u8")}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    let muxed = r.json();
    let codes: Vec<_> = muxed["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"audio_muxed_only") && codes.contains(&"missing_codecs"),
        "{muxed}"
    );
    assert!(
        muxed["warnings"].to_string().contains("Dolmetschkanal"),
        "{muxed}"
    );
    for (path, expected) in [
        ("/huge.m3u8", "playlist_too_large"),
        ("/to-ftp", "invalid_url"),
        ("/silent", "fetch_timeout"),
        ("/missing.m3u8", "fetch_status"),
    ] {
        let (status, problem) = check(&t, &organiser, &format!("{base}{path}")).await;
        assert_eq!(
            (status, code(&problem).as_str()),
            (422, expected),
            "{path}: {problem}"
        );
    }
}

fn policy(header: &str) -> Vec<(String, Vec<String>)> {
    let list = CspList::parse(header, PolicySource::Header, PolicyDisposition::Enforce);
    list.0[0]
        .directive_set
        .iter()
        .map(|d| (d.name.clone(), d.value.clone()))
        .collect()
}

fn directive(p: &[(String, Vec<String>)], name: &str) -> Option<Vec<String>> {
    p.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
}

async fn each_page_allows_the_hosts_of_its_own_streams_only(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let event = t.get("/api/v1/events/two-zones-germany").await.json();
    let mut input = json!({
        "slug": event["slug"], "title": event["title"], "starts_at": event["starts_at"],
        "ends_at": event["ends_at"], "status": event["status"],
        "stream": {"type": "youtube", "url": "https://youtu.be/dQw4w9WgXcQ",
            "alternatives": [{"language": "zh", "type": "bilibili", "id": "BV1GJ411x7h7"}]},
    });
    let r = t
        .json(
            "PUT",
            "/api/v1/events/two-zones-germany",
            Some(&organiser),
            &input.to_string(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    assert_eq!(r.json()["stream"]["id"], "dQw4w9WgXcQ");
    let live = t.get("/events/two-zones-germany/live").await;
    let p = policy(live.headers["content-security-policy"].to_str().unwrap());
    assert_eq!(
        directive(&p, "frame-src"),
        Some(vec![
            "https://www.youtube-nocookie.com".to_string(),
            "https://player.bilibili.com".to_string()
        ])
    );
    assert_eq!(
        directive(&p, "frame-ancestors"),
        Some(vec!["'none'".to_string()])
    );
    assert_eq!(
        directive(&p, "worker-src"),
        Some(vec!["'self'".to_string()])
    );
    assert!(
        live.body
            .contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    );
    // Pages without a stream keep the default policy: no frames at all.
    for page in ["/", "/events/two-zones-germany", "/parks"] {
        let r = t.get(page).await;
        let p = policy(r.headers["content-security-policy"].to_str().unwrap());
        assert_eq!(directive(&p, "frame-src"), None, "{page}");
        assert_eq!(
            directive(&p, "default-src"),
            Some(vec!["'self'".to_string()]),
            "{page}"
        );
    }
    // An iframe source must come from a host the operator allows.
    input["stream"] = json!({"type": "iframe", "url": "https://player.elsewhere.example/e/1"});
    let r = t
        .json(
            "PUT",
            "/api/v1/events/two-zones-germany",
            Some(&organiser),
            &input.to_string(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(
        r.body.contains("embed_host_not_allowed") && r.body.contains("stream.url"),
        "{}",
        r.body
    );
}

async fn the_replay_has_chapters_from_the_agenda_and_checked_captions(db: Db) {
    let t = TestApp::with_demo(db).await;
    let token = t
        .participant("jana@antrieb.example.de", "Jana Antrieb")
        .await;
    let text = t
        .get_as("/api/v1/events/two-zones-germany/chapters.txt", &token)
        .await;
    assert_eq!(text.status.as_u16(), 200);
    let lines: Vec<&str> = text.body.lines().collect();
    assert_eq!(lines.len(), 7, "{}", text.body);
    assert!(lines[0].starts_with("0:00 "));
    assert!(lines[1].starts_with("3:00 "));
    assert!(text.headers.get("roadshow-chapter-warnings").is_none());
    assert_eq!(
        t.get("/api/v1/events/two-zones-germany/chapters.vtt")
            .await
            .status
            .as_u16(),
        401
    );
    let organiser = t.token("organiser@roadshow.example").await;
    let upload = |body: &'static str| {
        axum::http::Request::put("/api/v1/events/two-zones-germany/captions/fr")
            .header("authorization", format!("Bearer {organiser}"))
            .header("content-type", "text/vtt")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let bad = t
        .send(upload(
            "WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour\n\n00:02.000 -> 00:04.000\ncassé\n",
        ))
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    assert!(
        bad.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("line 6"),
        "the line of the broken cue: {}",
        bad.body
    );
    let good = t
        .send(upload("WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour\n"))
        .await;
    assert_eq!(good.status.as_u16(), 200, "{}", good.body);
    let list = t
        .get_as("/api/v1/events/two-zones-germany/captions", &token)
        .await
        .json();
    let languages: Vec<_> = list["captions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, vec!["de", "fr", "zh"]);
}

roadshow_testkit::on_both_databases!(
    heartbeats_count_once_per_cadence_and_only_while_live,
    the_stream_check_never_fetches_from_here_or_a_private_network,
    with_private_streams_allowed_the_check_reads_the_playlist_safely,
    each_page_allows_the_hosts_of_its_own_streams_only,
    the_replay_has_chapters_from_the_agenda_and_checked_captions,
);
