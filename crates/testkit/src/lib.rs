//! Test support: [`TestApp`] runs the real router over a temporary store (SQLite in a
//! temporary folder, or a fresh schema on the PostgreSQL server named by
//! `ROADSHOW_TEST_POSTGRES`), driven with `tower::ServiceExt::oneshot`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod conformance;
pub mod questions;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use roadshow_app::{App, Config};
use roadshow_store::SqlStore;
use std::sync::Arc;
use tower::ServiceExt;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server for tests (`ROADSHOW_TEST_POSTGRES`, default the local one).
/// An unreachable server fails the test, saying how to start one: a test that did not
/// run must not look like a pass. To run without PostgreSQL, build the tests with
/// `ROADSHOW_TEST_SKIP_POSTGRES=1`: the PostgreSQL tests are then reported as ignored.
pub async fn postgres_url() -> String {
    let url = std::env::var("ROADSHOW_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    sqlx::any::install_default_drivers();
    let attempt = async {
        use sqlx::Connection;
        sqlx::AnyConnection::connect(&url).await?.close().await
    };
    if let Err(e) = attempt.await {
        panic!(
            "PostgreSQL at {url} is not reachable ({e}).\n\
             Start it (`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`), \
             point ROADSHOW_TEST_POSTGRES at another server, or run the tests with \
             ROADSHOW_TEST_SKIP_POSTGRES=1 to skip (and report as ignored) the PostgreSQL tests."
        );
    }
    url
}

/// A database URL for a fresh, empty store on `db`: a file in `dir`, or a new schema on
/// the PostgreSQL server.
pub async fn fresh_database(db: Db, dir: &std::path::Path) -> String {
    match db {
        Db::Sqlite => format!("sqlite://{}", dir.join("roadshow.db").display()),
        Db::Postgres => {
            use sqlx::{Connection, Executor};
            let base = postgres_url().await;
            let schema = format!("t{}", rand::random::<u64>());
            let mut conn = sqlx::AnyConnection::connect(&base).await.unwrap();
            conn.execute(format!("CREATE SCHEMA {schema}").as_str())
                .await
                .unwrap();
            conn.close().await.unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}options=-c%20search_path%3D{schema}")
        }
    }
}

/// The application with its router over a temporary store.
pub struct TestApp {
    pub app: App,
    pub router: axum::Router,
    pub dir: tempfile::TempDir,
    pub db: Db,
    /// The database URL, for a second instance on the same database.
    pub url: String,
}

/// Runs each named `async fn(TestApp)` as two tests, on SQLite and on PostgreSQL, each
/// with the demo loaded. (The PostgreSQL ones are ignored when the tests were built with
/// `ROADSHOW_TEST_SKIP_POSTGRES=1`; see `build.rs`.)
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $name() { super::$name(roadshow_testkit::TestApp::with_demo(roadshow_testkit::Db::Sqlite).await).await } )* }
        mod postgres { $( #[tokio::test] #[cfg_attr(skip_postgres, ignore = "ROADSHOW_TEST_SKIP_POSTGRES=1")] async fn $name() { super::$name(roadshow_testkit::TestApp::with_demo(roadshow_testkit::Db::Postgres).await).await } )* }
    };
}

/// Runs each named `async fn(Db)` as two tests, on SQLite and on PostgreSQL, for tests
/// that set up their own store or server.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite { $( #[tokio::test] async fn $name() { super::$name(roadshow_testkit::Db::Sqlite).await } )* }
        mod on_postgres { $( #[tokio::test] #[cfg_attr(skip_postgres, ignore = "ROADSHOW_TEST_SKIP_POSTGRES=1")] async fn $name() { super::$name(roadshow_testkit::Db::Postgres).await } )* }
    };
}

/// An application instance over an existing database, wired like `roadshow serve`
/// (following other processes' live events on PostgreSQL).
pub async fn instance(
    url: &str,
    dir: &std::path::Path,
    configure: impl FnOnce(&mut Config),
) -> (App, axum::Router) {
    let store = SqlStore::connect(url).await.unwrap();
    let signals = store.live_signals().await.unwrap();
    let mut config = Config::new(dir.to_path_buf(), "http://roadshow.test".into());
    configure(&mut config);
    let app = App::new(config, Arc::new(store)).unwrap();
    if let Some(signals) = signals {
        app.live().follow_live_signals(signals);
    }
    let router = roadshow_web::router(roadshow_web::AppState::new(app.clone()));
    (app, router)
}

/// One message of an SSE stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub id: Option<i64>,
    pub event: String,
    pub data: String,
}

impl SseEvent {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data).unwrap()
    }
}

/// Reads an SSE response message by message.
pub struct SseReader {
    body: axum::body::Body,
    buffer: String,
    pub status: StatusCode,
    /// Set once the body has ended (it must not be read again).
    ended: bool,
}

impl SseReader {
    /// The next message with an `event:` (comments, the greeting and staff streams'
    /// `watching` counts are skipped), or
    /// `None` if none comes within `wait`.
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    id: None,
                    event: String::new(),
                    data: String::new(),
                };
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id: ") {
                        event.id = v.parse().ok();
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        event.event = v.to_string();
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        event.data.push_str(v);
                    }
                }
                // `watching` (staff streams, every few seconds) is a count, not one of
                // the event's changes: the tests read the changes.
                if !event.event.is_empty() && event.event != "watching" {
                    return Some(event);
                }
            }
            if self.ended {
                return None;
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .ok()?;
            let Some(frame) = frame else {
                self.ended = true;
                return None;
            };
            if let Ok(data) = frame.unwrap().into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }

    /// Whether the stream ends within `wait`; what it sends meanwhile is kept for `next`.
    pub async fn ends_within(&mut self, wait: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        while !self.ended {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Err(_) => return false,
                Ok(None) | Ok(Some(Err(_))) => {
                    self.ended = true;
                    return true;
                }
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        self.buffer.push_str(&String::from_utf8_lossy(&data));
                    }
                }
            }
        }
        true
    }

    /// Every message that arrives until `wait` passes without one.
    pub async fn drain(&mut self, wait: std::time::Duration) -> Vec<SseEvent> {
        let mut out = Vec::new();
        while let Some(e) = self.next(wait).await {
            out.push(e);
        }
        out
    }
}

/// Opens an SSE stream on a router.
pub async fn open_stream(router: &axum::Router, request: Request<Body>) -> SseReader {
    let response = router.clone().oneshot(request).await.unwrap();
    SseReader {
        status: response.status(),
        body: response.into_body(),
        buffer: String::new(),
        ended: false,
    }
}

/// A registration body for someone else than Erika.
pub fn registration(email: &str, name: &str, language: &str) -> String {
    serde_json::json!({
        "email": email,
        "name": name,
        "language": language,
        "company": {"name": format!("{name} GmbH"), "country": "DE", "industry": "automotive", "size": "50-249"},
        "consent": true, "consents": {"cross_border": true, "contact": true}
    })
    .to_string()
}

/// A response, read whole.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (a PDF or a workbook is not text).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

impl TestApp {
    /// A new app on a fresh database of `db`.
    pub async fn start(db: Db) -> TestApp {
        Self::start_with(db, |_| {}).await
    }

    pub async fn start_with(db: Db, configure: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database(db, dir.path()).await;
        let (app, router) = instance(&url, dir.path(), configure).await;
        TestApp {
            app,
            router,
            dir,
            db,
            url,
        }
    }

    /// Moves the demo event to other times (the event is on now, or long over), and
    /// forgets the cached pages that showed the old ones.
    pub async fn reschedule_demo(
        &self,
        starts_at: chrono::DateTime<chrono::Utc>,
        ends_at: chrono::DateTime<chrono::Utc>,
    ) -> roadshow_domain::events::Event {
        let store = &self.app.store;
        let event = store
            .event_by_slug("two-zones-germany")
            .await
            .unwrap()
            .unwrap();
        let draft = roadshow_domain::events::EventDraft {
            slug: event.slug.clone(),
            title: event.title.clone(),
            theme: event.theme.clone(),
            description: event.description.clone(),
            focus_industries: event.focus_industries.clone(),
            target_countries: event.target_countries.clone(),
            languages: event.languages.clone(),
            starts_at,
            ends_at,
            timezone: event.timezone.clone(),
            broadcast: event.broadcast.clone(),
            replay_public: event.replay_public,
            attended_minutes: event.attended_minutes,
            status: event.status,
            form_fields: event.form_fields.clone(),
            privacy_version: event.privacy_version.clone(),
        };
        let event = store.update_event(event.id, &draft).await.unwrap();
        self.app.clear_page_cache();
        event
    }

    /// The app with the demo loaded.
    pub async fn with_demo(db: Db) -> TestApp {
        let t = Self::start(db).await;
        t.app.load_demo().await.unwrap();
        t
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn get_as(&self, path: &str, token: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> TestResponse {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(builder.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Registers someone for the demo event and returns their participant token.
    pub async fn participant(&self, email: &str, name: &str) -> String {
        let r = self
            .json(
                "POST",
                "/api/v1/events/two-zones-germany/registrations",
                None,
                &registration(email, name, "de"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["token"].as_str().unwrap().to_string()
    }

    /// An API token for a demo account.
    pub async fn token(&self, email: &str) -> String {
        self.app.accounts().create_api_token(email).await.unwrap()
    }
}

/// The registration body the API documents.
pub const ERIKA: &str = r#"{"email":"erika@muster.example.de","name":"Erika Muster","job_title":"CEO","language":"de","company":{"name":"Muster Maschinenbau GmbH","country":"DE","industry":"smart-manufacturing","size":"50-249","website":"https://muster.example.de"},"consent":true,"consents":{"cross_border":true,"contact":true}}"#;

/// Percent-encodes a value for an `application/x-www-form-urlencoded` body.
pub fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
