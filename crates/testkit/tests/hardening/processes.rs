//! Several processes on one database: limits, uploads, shared public answers.

use super::*;

/// Ten minutes after an RFC 3339 instant.
pub(crate) fn later(instant: &str) -> String {
    (chrono::DateTime::parse_from_rfc3339(instant).unwrap() + chrono::Duration::minutes(10))
        .to_rfc3339()
}

pub(crate) async fn limits_hold_across_processes_on_one_database(db: Db) {
    let t = TestApp::with_demo(db).await;
    let second = tempfile::tempdir().unwrap();
    let (other, _) = roadshow_testkit::instance(&t.url, second.path(), |_| {}).await;
    let mut checked = 0;
    for i in 0..10 {
        let app = if i % 2 == 0 { &t.app } else { &other };
        match app
            .accounts()
            .login("organiser@roadshow.example", "wrong-password", "10.1.1.2")
            .await
        {
            Err(roadshow_app::AppError::Unauthenticated) => checked += 1,
            Err(roadshow_app::AppError::RateLimited { .. }) => {}
            Err(other) => panic!("{other:?}"),
            Ok(_) => panic!("a wrong password signed in"),
        }
    }
    match db {
        // Two processes on one PostgreSQL database share one count.
        Db::Postgres => assert_eq!(checked, 5),
        // A SQLite database belongs to one process; two in one test count alone.
        Db::Sqlite => assert_eq!(checked, 10),
    }
    // A right password from a fresh address still signs in on an account not attacked.
    assert!(
        other
            .accounts()
            .login(
                "moderator@roadshow.example",
                "roadshow-demo-2026",
                "10.1.1.2"
            )
            .await
            .is_ok()
    );
}

pub(crate) fn upload(session: i64, token: &str, name: &str, bytes: &[u8]) -> Request<Body> {
    let boundary = "XBOUNDARYX";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nPlan\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/html\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(format!("/api/v1/sessions/{session}/materials/upload"))
        .header("authorization", format!("Bearer {token}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

pub(crate) async fn uploads_are_served_by_every_process_under_their_real_type(db: Db) {
    let t = TestApp::with_demo(db).await;
    let organiser = t.token("organiser@roadshow.example").await;
    let detail = t.get(&format!("/api/v1/events/{SLUG}")).await.json();
    let session = detail["sessions"][0]["id"].as_i64().unwrap();
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n";
    let made = t.send(upload(session, &organiser, "x.html", pdf)).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let url = made.json()["download_url"].as_str().unwrap().to_string();
    // A second process on the same database with a data folder of its own, as on a
    // second machine behind a load balancer.
    let elsewhere = tempfile::tempdir().unwrap();
    let (_, second) = roadshow_testkit::instance(&t.url, elsewhere.path(), |_| {}).await;
    let other = TestApp {
        app: t.app.clone(),
        router: second,
        dir: tempfile::tempdir().unwrap(),
        db,
        url: t.url.clone(),
    };
    for served in [t.get(&url).await, other.get(&url).await] {
        assert_eq!(served.status, 200, "{}", served.body);
        assert_eq!(served.body.as_bytes(), pdf);
        assert_eq!(served.header("content-type"), "application/pdf");
        let disposition = served.header("content-disposition");
        assert!(disposition.contains("x.pdf"), "{disposition}");
        assert!(!disposition.contains(".html"), "{disposition}");
    }
    assert!(
        std::fs::read_dir(t.dir.path().join("uploads"))
            .map(|d| d.count() == 0)
            .unwrap_or(true),
        "nothing is written to the data folder"
    );
    // A material whose file is nowhere (an old upload whose folder was lost) is a 404.
    let lost = roadshow_domain::materials::MaterialDraft {
        session_id: roadshow_domain::SessionId(session),
        title: "Lost".into(),
        url: None,
        file_key: Some("lost-key.pdf".into()),
        filename: Some("lost.pdf".into()),
        content_type: Some("application/pdf".into()),
        size_bytes: 10,
    };
    let lost = t.app.store.add_material(&lost, None).await.unwrap();
    let r = other.get(&format!("/materials/{}", lost.id.0)).await;
    assert_eq!(r.status, 404, "{}", r.body);
}

pub(crate) async fn public_pages_are_shared_and_revalidated(db: Db) {
    let t = TestApp::with_demo(db).await;
    let get = |path: &str, headers: &[(&str, &str)]| {
        let mut b = Request::get(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        t.send(b.body(Body::empty()).unwrap())
    };
    for path in [
        format!("/events/{SLUG}"),
        format!("/api/v1/events/{SLUG}"),
        "/".to_string(),
        format!("/events/{SLUG}/agenda.ics"),
    ] {
        let first = get(&path, &[("accept-language", "de")]).await;
        assert_eq!(first.status, 200, "{path}");
        assert!(
            first.headers.get("set-cookie").is_none(),
            "{path} sets no per-visitor cookie"
        );
        assert!(
            first.header("cache-control").starts_with("public"),
            "{path}"
        );
        assert!(first.header("vary").contains("accept-language"), "{path}");
        assert!(!first.header("last-modified").is_empty(), "{path}");
        let etag = first.header("etag");
        assert!(etag.starts_with('"'), "{path}: {etag}");
        let again = get(
            &path,
            &[("accept-language", "de"), ("if-none-match", &etag)],
        )
        .await;
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), etag);
        let same = get(&path, &[("accept-language", "de")]).await;
        assert_eq!(same.body, first.body, "{path}: the kept answer is the same");
        assert!(!same.header("x-request-id").is_empty());
        assert_ne!(same.header("x-request-id"), first.header("x-request-id"));
    }
    // Each language has its own answer.
    let de = get(&format!("/events/{SLUG}"), &[("accept-language", "de")]).await;
    let zh = get(&format!("/events/{SLUG}"), &[("accept-language", "zh-CN")]).await;
    assert!(de.body.contains("lang=\"de\"") && zh.body.contains("lang=\"zh\""));
    assert_ne!(de.header("etag"), zh.header("etag"));
    // An organiser's change shows at once, and the old tag no longer matches.
    let organiser = t.token("organiser@roadshow.example").await;
    let before = t.get(&format!("/api/v1/events/{SLUG}")).await.json();
    let mut edited = before.clone();
    edited["title"]["de"] = serde_json::json!("Neuer Titel der Veranstaltung");
    let put = t
        .json(
            "PUT",
            &format!("/api/v1/events/{SLUG}"),
            Some(&organiser),
            &edited.to_string(),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    let fresh = get(
        &format!("/events/{SLUG}"),
        &[
            ("accept-language", "de"),
            ("if-none-match", &de.header("etag")),
        ],
    )
    .await;
    assert_eq!(fresh.status, 200);
    assert!(fresh.body.contains("Neuer Titel der Veranstaltung"));
    // Signed-in readers get their own answer, never a shared one.
    let mine = t
        .get_as(&format!("/api/v1/events/{SLUG}"), &organiser)
        .await;
    assert_eq!(mine.header("cache-control"), "no-store");
    assert!(mine.headers.get("etag").is_none());
    // A page with a form gets its CSRF cookie, and is not shared.
    let login = t.get("/login").await;
    assert!(login.header("set-cookie").starts_with("rs_csrf="));
    assert_eq!(login.header("cache-control"), "no-store");
}

pub(crate) async fn write_limits_taken_in_blocks_never_let_more_through(db: Db) {
    let t = TestApp::start_with(db, |c| c.writes_per_minute = 100).await;
    let second = tempfile::tempdir().unwrap();
    let (other, _) =
        roadshow_testkit::instance(&t.url, second.path(), |c| c.writes_per_minute = 100).await;
    let mut allowed = 0;
    for i in 0..150 {
        let app = if i % 3 == 0 { &other } else { &t.app };
        if app.check_write_rate("10.7.7.7").await.is_ok() {
            allowed += 1;
        }
    }
    match db {
        // Shared by the two processes: never more than the limit, and at most a few
        // hits short of it (the blocks one process holds unspent).
        Db::Postgres => assert!((92..=100).contains(&allowed), "{allowed}"),
        // Each process alone: 100 and 50 hits, both under their own limit.
        Db::Sqlite => assert_eq!(allowed, 150),
    }
    // A burst of simultaneous requests under the limit is let through whole: the blocks
    // are fetched one at a time, not one per request.
    let app = &t.app;
    let burst = (0..60).map(|_| async move { app.check_write_rate("10.7.7.8").await.is_ok() });
    let through = futures_util::future::join_all(burst)
        .await
        .into_iter()
        .filter(|ok| *ok)
        .count();
    assert_eq!(through, 60);
}
