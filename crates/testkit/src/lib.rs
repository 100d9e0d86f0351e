//! Test support: [`TestApp`] runs the real router over a temporary store (SQLite in a
//! temporary folder, or a fresh schema on the PostgreSQL server named by
//! `ROADSHOW_TEST_POSTGRES`), driven with `tower::ServiceExt::oneshot`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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

/// The PostgreSQL server for tests, or `None` (with a loud message) when it is not
/// reachable outside CI. With `CI=true` a missing server fails the test.
pub async fn postgres_url() -> Option<String> {
    let url = std::env::var("ROADSHOW_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    sqlx::any::install_default_drivers();
    let attempt = async {
        use sqlx::Connection;
        sqlx::AnyConnection::connect(&url).await?.close().await
    };
    match attempt.await {
        Ok(()) => Some(url),
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("PostgreSQL at {url} is required in CI: {e}");
            }
            eprintln!("\n!!! SKIPPING PostgreSQL tests: {url} is not reachable ({e}) !!!\n");
            None
        }
    }
}

/// A database URL for a fresh, empty store on `db`; `None` if PostgreSQL is unavailable.
pub async fn fresh_database(db: Db, dir: &std::path::Path) -> Option<String> {
    match db {
        Db::Sqlite => Some(format!("sqlite://{}", dir.join("roadshow.db").display())),
        Db::Postgres => {
            use sqlx::{Connection, Executor};
            let base = postgres_url().await?;
            let schema = format!("t{}", rand::random::<u64>());
            let mut conn = sqlx::AnyConnection::connect(&base).await.unwrap();
            conn.execute(format!("CREATE SCHEMA {schema}").as_str())
                .await
                .unwrap();
            conn.close().await.unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            Some(format!("{base}{sep}options=-c%20search_path%3D{schema}"))
        }
    }
}

/// The application with its router over a temporary store.
pub struct TestApp {
    pub app: App,
    pub router: axum::Router,
    pub dir: tempfile::TempDir,
    pub db: Db,
}

/// A response, read whole.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
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
    /// A new app on `db`; `None` when that database is unavailable (outside CI).
    pub async fn start(db: Db) -> Option<TestApp> {
        Self::start_with(db, |_| {}).await
    }

    pub async fn start_with(db: Db, configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database(db, dir.path()).await?;
        let store = SqlStore::connect(&url).await.unwrap();
        let mut config = Config::new(dir.path().to_path_buf(), "http://roadshow.test".into());
        configure(&mut config);
        let app = App::new(config, Arc::new(store)).unwrap();
        let router = roadshow_web::router(roadshow_web::AppState { app: app.clone() });
        Some(TestApp {
            app,
            router,
            dir,
            db,
        })
    }

    /// The app with the demo loaded.
    pub async fn with_demo(db: Db) -> Option<TestApp> {
        let t = Self::start(db).await?;
        t.app.load_demo().await.unwrap();
        Some(t)
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

    /// An API token for a demo account.
    pub async fn token(&self, email: &str) -> String {
        self.app.create_api_token(email).await.unwrap()
    }
}

/// The registration body the API documents.
pub const ERIKA: &str = r#"{"email":"erika@muster.example.de","name":"Erika Muster","job_title":"CEO","language":"de","company":{"name":"Muster Maschinenbau GmbH","country":"DE","industry":"smart-manufacturing","size":"50-249","website":"https://muster.example.de"},"consent":true}"#;
