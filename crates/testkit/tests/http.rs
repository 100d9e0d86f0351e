//! The HTTP suite: the real router over SQLite and over PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use roadshow_testkit::{Db, ERIKA, TestApp, on_both};

on_both!(
    event_page_in_each_language,
    api_registration_round_trip,
    bad_input_is_a_named_4xx,
    organiser_sees_and_exports_registrations,
    drafts_and_other_participants_are_not_found,
    demo_loads_once,
    every_link_an_email_carries_reaches_its_page,
);

const SLUG: &str = "two-zones-germany";

async fn event_page_in_each_language(t: TestApp) {
    for (accept, lang, word) in [
        ("de-DE,de;q=0.9", "de", "Programm"),
        ("zh-CN", "zh", "议程"),
        ("fr", "fr", "Programme"),
        ("en-GB", "en", "Agenda"),
    ] {
        let r = t
            .send(
                axum::http::Request::get(format!("/events/{SLUG}"))
                    .header("accept-language", accept)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
        assert!(r.body.contains(word), "{lang} lacks {word}");
        assert!(r.body.contains("Zhongguancun") || r.body.contains("中关村"));
        assert!(r.body.contains("Steinbeis") || r.body.contains("史太白"));
    }
    // ?lang= wins over the header and is remembered.
    let r = t
        .send(
            axum::http::Request::get(format!("/events/{SLUG}?lang=zh"))
                .header("accept-language", "de")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(r.body.contains("<html lang=\"zh\""));
    assert!(
        r.headers
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("rs_lang=zh"))
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    let list = t.get("/api/v1/events").await.json();
    assert_eq!(list["events"][0]["slug"], SLUG);
    let detail = t.get(&format!("/api/v1/events/{SLUG}")).await.json();
    let sessions = detail["sessions"].as_array().unwrap().len();
    assert!(sessions > 0);
    // Every park the agenda names is on the event.
    let named: std::collections::BTreeSet<i64> = detail["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["park_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_i64().unwrap())
        })
        .collect();
    let shown: std::collections::BTreeSet<i64> = detail["parks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert!(!named.is_empty());
    assert_eq!(named, shown);
    let ics = t.get(&format!("/events/{SLUG}/agenda.ics")).await;
    assert!(ics.header("content-type").starts_with("text/calendar"));
    assert!(ics.body.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai"));
    assert_eq!(
        ics.body.matches("BEGIN:VEVENT").count(),
        sessions,
        "one entry per session"
    );
}

async fn api_registration_round_trip(t: TestApp) {
    let r = t
        .json(
            "POST",
            &format!("/api/v1/events/{SLUG}/registrations"),
            None,
            ERIKA,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let body = r.json();
    let token = body["token"].as_str().unwrap().to_string();
    assert_eq!(body["company"]["country"], "DE");
    assert_eq!(body["consent_version"], "2026-1");
    // The participant sees their own registration and nobody else's.
    let me = t.get_as("/api/v1/me", &token).await.json();
    assert_eq!(me["registration"]["email"], "erika@muster.example.de");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        t.get_as(&format!("/api/v1/registrations/{id}"), &token)
            .await
            .status,
        200
    );
    assert_eq!(
        t.get_as(&format!("/api/v1/registrations/{}", id - 1), &token)
            .await
            .status,
        404
    );
    // The same email again is a conflict, not a duplicate.
    let again = t
        .json(
            "POST",
            &format!("/api/v1/events/{SLUG}/registrations"),
            None,
            ERIKA,
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.header("content-type"), "application/problem+json");
    assert_eq!(again.json()["code"], "already_registered");
    // A confirmation with the agenda attached waits in the outbox.
    let organiser = t.token("organiser@roadshow.example").await;
    let outbox = t.get_as("/api/v1/outbox", &organiser).await.json();
    let mail = &outbox["emails"][0];
    assert_eq!(mail["message"]["to"], "erika@muster.example.de");
    assert_eq!(mail["status"], "held");
    assert!(
        mail["message"]["body_text"]
            .as_str()
            .unwrap()
            .contains(&format!("/p/{token}"))
    );
    assert!(
        mail["message"]["attachments"][0]["content"]
            .as_str()
            .unwrap()
            .contains("BEGIN:VCALENDAR")
    );
    // The personal page opens with the token.
    let page = t.get(&format!("/p/{token}?welcome=1")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Erika Muster"));
}

async fn bad_input_is_a_named_4xx(t: TestApp) {
    let path = format!("/api/v1/events/{SLUG}/registrations");
    let bad = t.json("POST", &path, None, r#"{"email":"erika@","company":{"country":"XX"},"consent":true,"consents":{"cross_border":true},"answers":{"interest":"golf"}}"#).await;
    assert_eq!(bad.status, 422);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    for f in [
        "email",
        "name",
        "company.name",
        "company.country",
        "company.industry",
        "company.size",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} missing in {fields:?}");
    }
    assert!(
        fields.contains(&"answers.interest".to_string()),
        "an unknown choice is named"
    );
    let german = t
        .send(
            axum::http::Request::post(&path)
                .header("content-type", "application/json")
                .header("accept-language", "de")
                .body(axum::body::Body::from(r#"{"email":"x"}"#))
                .unwrap(),
        )
        .await;
    assert!(
        german.body.contains("gültige E-Mail-Adresse"),
        "{}",
        german.body
    );
    assert_eq!(t.json("POST", &path, None, "{not json").await.status, 400);
    assert_eq!(
        t.json("POST", &path, None, r#"{"consent":"yes"}"#)
            .await
            .status,
        422
    );
    let huge = format!(r#"{{"name":"{}"}}"#, "x".repeat(400_000));
    assert_eq!(t.json("POST", &path, None, &huge).await.status, 413);
    assert_eq!(t.get("/api/v1/events/no-such-event").await.status, 404);
    assert_eq!(t.get("/events/no-such-event").await.status, 404);
    // Nothing was stored by the failed attempts.
    let organiser = t.token("organiser@roadshow.example").await;
    let list = t.get_as(&path, &organiser).await.json();
    assert_eq!(list["counts"]["total"], 62);
}

async fn organiser_sees_and_exports_registrations(t: TestApp) {
    let path = format!("/api/v1/events/{SLUG}/registrations");
    assert_eq!(t.get(&path).await.status, 401);
    let moderator = t.token("moderator@roadshow.example").await;
    assert_eq!(t.get_as(&path, &moderator).await.status, 403);
    let organiser = t.token("organiser@roadshow.example").await;
    let evil = ERIKA
        .replace("Erika Muster", "=HYPERLINK(\\\"http://x\\\")")
        .replace("erika@", "eve@");
    assert_eq!(t.json("POST", &path, None, &evil).await.status, 201);
    let list = t
        .get_as(&format!("{path}?country=DE"), &organiser)
        .await
        .json();
    assert!(
        list["registrations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["company"]["country"] == "DE")
    );
    assert_eq!(list["counts"]["total"], 63);
    let csv = t.get_as(&format!("{path}.csv"), &organiser).await;
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains("'=HYPERLINK"));
    assert!(!csv.body.contains(",=HYPERLINK"));
    assert_eq!(csv.body.lines().count(), 64);
}

async fn drafts_and_other_participants_are_not_found(t: TestApp) {
    let organiser = t.token("organiser@roadshow.example").await;
    let draft = r#"{"slug":"secret-draft","title":{"en":"Secret"},"starts_at":"2027-01-05T15:00","ends_at":"2027-01-05T17:00"}"#;
    let r = t
        .json("POST", "/api/v1/events", Some(&organiser), draft)
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(t.get("/api/v1/events/secret-draft").await.status, 404);
    assert_eq!(t.get("/events/secret-draft").await.status, 404);
    assert_eq!(
        t.get_as("/api/v1/events/secret-draft", &organiser)
            .await
            .status,
        200
    );
    assert_eq!(
        t.json(
            "POST",
            "/api/v1/events/secret-draft/registrations",
            None,
            ERIKA
        )
        .await
        .status,
        404
    );
    let r = t
        .json("POST", "/api/v1/events", Some(&organiser), draft)
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["errors"][0]["code"], "slug_taken");
    assert_eq!(t.get_as("/api/v1/me", "rsp_forged").await.status, 401);
}

/// Emails link to pages through `roadshow_app::links`; each address must be a page the
/// web layer serves (a renamed route would otherwise send people to a 404).
async fn every_link_an_email_carries_reaches_its_page(t: TestApp) {
    use roadshow_app::links;
    let token = t.participant("links@example.de", "Lina Link").await;
    for path in [
        links::event("", SLUG),
        links::event_live("", SLUG),
        links::personal("", &token),
    ] {
        assert_eq!(t.get(&path).await.status, 200, "{path}");
    }
    // The meetings page asks a participant to open it from their own link first.
    let meetings = t.get(&links::event_meetings("", SLUG)).await;
    assert_ne!(meetings.status, 404, "{}", meetings.body);
    let organiser = t.token("organiser@roadshow.example").await;
    let leads = t.get_as("/api/v1/leads", &organiser).await.json();
    let id = leads["leads"][0]["id"].as_i64().unwrap();
    let login = t
        .app
        .accounts()
        .login("organiser@roadshow.example", "roadshow-demo-2026", "test")
        .await
        .unwrap();
    let lead = t
        .send(
            axum::http::Request::get(links::lead("", id))
                .header("cookie", format!("rs_session={}", login.session_secret))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(lead.status, 200, "{}", lead.body);
}

async fn demo_loads_once(t: TestApp) {
    let again = t.app.load_demo().await.unwrap();
    assert!(!again.created);
    assert_eq!(again.registrations, 62);
    let organiser = t.token("organiser@roadshow.example").await;
    let d = t.get_as("/api/v1/departments", &organiser).await.json();
    assert_eq!(d["departments"].as_array().unwrap().len(), 6);
}

async fn logins_are_rate_limited_per_account_and_unknown_emails_look_the_same(db: Db) {
    let t = TestApp::with_demo(db).await;
    let login = |email: &'static str, password: &'static str| {
        let t = &t;
        async move {
            // A first GET gives the visitor a CSRF cookie.
            let form = t.get("/login").await;
            let cookie = form.header("set-cookie");
            let csrf = cookie
                .split(';')
                .next()
                .unwrap()
                .trim_start_matches("rs_csrf=")
                .to_string();
            let body = format!("csrf={csrf}&email={email}&password={password}&next=%2Fadmin");
            t.send(
                axum::http::Request::post("/login")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("cookie", format!("rs_csrf={csrf}"))
                    .body(axum::body::Body::from(body))
                    .unwrap(),
            )
            .await
        }
    };
    let wrong = login("organiser@roadshow.example", "wrong-password").await;
    let unknown = login("nobody@roadshow.example", "wrong-password").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    let same = |body: &str, email: &str| {
        body.replace(email, "EMAIL")
            .lines()
            .filter(|l| !l.contains("name=\"csrf\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        same(&wrong.body, "organiser@roadshow.example"),
        same(&unknown.body, "nobody@roadshow.example")
    );
    for _ in 0..4 {
        login("organiser@roadshow.example", "wrong-password").await;
    }
    let blocked = login("organiser@roadshow.example", "roadshow-demo-2026").await;
    assert_eq!(blocked.status, 429);
    assert!(blocked.header("retry-after").parse::<u64>().unwrap() > 0);
    let other = login("moderator@roadshow.example", "roadshow-demo-2026").await;
    assert_eq!(
        other.status, 303,
        "another account is not blocked by this one's failures"
    );
}

async fn forms_without_the_csrf_token_are_refused(db: Db) {
    let t = TestApp::with_demo(db).await;
    let r = t
        .send(
            axum::http::Request::post(format!("/events/{SLUG}/register"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header(
                    "cookie",
                    "rs_csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                )
                .body(axum::body::Body::from(
                    "email=a%40b.de&csrf=wrong-token-wrong-token-wrong-token",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 403);
    let cross = t
        .send(
            axum::http::Request::post("/login")
                .header("origin", "https://evil.example")
                .header("host", "roadshow.test")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(cross.status, 403);
}

/// A minimal SMTP server on loopback that records the messages it accepts.
async fn smtp_sink() -> (u16, std::sync::Arc<tokio::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data = String::new();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store.lock().await.push(std::mem::take(&mut data));
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

async fn confirmation_goes_out_through_smtp_with_the_agenda_attached(db: Db) {
    let (port, received) = smtp_sink().await;
    let t = TestApp::start_with(db, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))
    })
    .await;
    t.app.load_demo().await.unwrap();
    let r = t
        .json(
            "POST",
            &format!("/api/v1/events/{SLUG}/registrations"),
            None,
            ERIKA,
        )
        .await;
    assert_eq!(r.status, 201);
    let mailer = roadshow_app::outbox::SmtpMailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Roadshow <no-reply@roadshow.test>",
    )
    .unwrap();
    let sent = t.app.outbox().deliver_pending(&mailer).await.unwrap();
    assert_eq!(
        sent, 1,
        "only the real participant's email is sent; sample companies' stay held"
    );
    let messages = received.lock().await;
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("erika@muster.example.de"));
    assert!(messages[0].contains("text/calendar"));
    let organiser = t.token("organiser@roadshow.example").await;
    let outbox = t.get_as("/api/v1/outbox", &organiser).await.json();
    assert_eq!(outbox["emails"][0]["status"], "sent");
}

async fn an_unreachable_smtp_server_keeps_the_email_pending_with_its_error(db: Db) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let t = TestApp::start_with(db, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))
    })
    .await;
    t.app.load_demo().await.unwrap();
    assert_eq!(
        t.json(
            "POST",
            &format!("/api/v1/events/{SLUG}/registrations"),
            None,
            ERIKA
        )
        .await
        .status,
        201
    );
    let mailer = roadshow_app::outbox::SmtpMailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Roadshow <no-reply@roadshow.test>",
    )
    .unwrap();
    assert_eq!(t.app.outbox().deliver_pending(&mailer).await.unwrap(), 0);
    let organiser = t.token("organiser@roadshow.example").await;
    let email = &t.get_as("/api/v1/outbox", &organiser).await.json()["emails"][0];
    assert_eq!(email["status"], "pending");
    assert_eq!(email["attempts"], 1);
    assert!(!email["last_error"].as_str().unwrap().is_empty());
}

async fn materials_are_checked_by_content_and_served_as_downloads(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let detail = t.get(&format!("/api/v1/events/{SLUG}")).await.json();
    let session = detail["sessions"][0]["id"].as_i64().unwrap();
    let upload = |name: &'static str, bytes: &'static [u8]| {
        let boundary = "XBOUNDARYX";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nPlan\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        axum::http::Request::post(format!("/api/v1/sessions/{session}/materials/upload"))
            .header("authorization", format!("Bearer {organiser}"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    // An HTML page named .pdf is refused: the type comes from the content.
    let fake = t
        .send(upload(
            "slides.pdf",
            b"<html><script>alert(1)</script></html>",
        ))
        .await;
    assert_eq!(fake.status, 422);
    assert_eq!(fake.json()["errors"][0]["code"], "unsupported_file_type");
    let real = t
        .send(upload(
            "Plan 2025.pdf",
            b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",
        ))
        .await;
    assert_eq!(real.status, 201, "{}", real.body);
    let url = real.json()["download_url"].as_str().unwrap().to_string();
    let download = t.get(&url).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.header("content-type"), "application/pdf");
    assert_eq!(download.header("x-content-type-options"), "nosniff");
    assert!(
        download
            .header("content-disposition")
            .starts_with("attachment")
    );
    assert!(download.body.starts_with("%PDF"));
}

roadshow_testkit::on_both_databases!(
    logins_are_rate_limited_per_account_and_unknown_emails_look_the_same,
    forms_without_the_csrf_token_are_refused,
    confirmation_goes_out_through_smtp_with_the_agenda_attached,
    an_unreachable_smtp_server_keeps_the_email_pending_with_its_error,
    materials_are_checked_by_content_and_served_as_downloads
);
