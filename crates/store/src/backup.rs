//! What backups and upgrades need of the database itself: the migrations this build knows
//! and those a database has, a consistent copy of a SQLite database taken while others
//! write (`VACUUM INTO` reads one snapshot of the WAL database), its integrity check,
//! and the erasures a restored copy must have again.

use crate::{SqlStore, backend_error, dialect, migrate};
use chrono::{DateTime, Utc};
use roadshow_domain::ids::ParticipantId;
use roadshow_domain::store::{StoreError, StoreResult};
use sqlx::{Connection, Row};
use std::path::Path;

/// The migrations of this build, in order: (version, name).
pub fn known_migrations() -> Vec<(i64, &'static str)> {
    migrate::known()
}

/// The newest migration of this build.
pub fn schema_version() -> i64 {
    migrate::known().last().map(|(v, _)| *v).unwrap_or(0)
}

/// Why a database migrated by a newer build is refused, naming its newer migrations
/// (version, name) and the version a build must know.
pub fn newer_schema(newer: &[(i64, String)]) -> String {
    let needed = newer.iter().map(|(v, _)| *v).max().unwrap_or_default();
    let names: Vec<String> = newer.iter().map(|(v, n)| format!("{v} ({n})")).collect();
    format!(
        "the database's schema is at version {needed}, newer than this Roadshow {} knows \
         (up to {}); it has migrations {}: run a Roadshow build with schema version \
         {needed} or later, or restore a backup made before the upgrade",
        env!("CARGO_PKG_VERSION"),
        schema_version(),
        names.join(", ")
    )
}

/// The migrations a database has applied, read without applying any; empty for a new
/// or empty database (a SQLite file that does not exist is not created).
pub async fn applied_migrations(url: &str) -> StoreResult<Vec<(i64, String)>> {
    sqlx::any::install_default_drivers();
    if let Some(path) = sqlite_path(url) {
        if !Path::new(&path).exists() {
            return Ok(Vec::new());
        }
    }
    let mut conn = sqlx::AnyConnection::connect(url)
        .await
        .map_err(backend_error)?;
    let rows = sqlx::query("SELECT version, name FROM roadshow_migrations ORDER BY version")
        .fetch_all(&mut conn)
        .await;
    let _ = conn.close().await;
    match rows {
        Ok(rows) => rows
            .iter()
            .map(|r| {
                Ok((
                    r.try_get(0).map_err(backend_error)?,
                    r.try_get(1).map_err(backend_error)?,
                ))
            })
            .collect(),
        // No table yet: nothing applied.
        Err(_) => Ok(Vec::new()),
    }
}

/// The file of a `sqlite:` URL (without its query), or `None` for another database.
pub fn sqlite_path(url: &str) -> Option<String> {
    if dialect::Backend::from_url(url) != Some(dialect::Backend::Sqlite) {
        return None;
    }
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(path.to_string())
}

/// Copies the SQLite database at `url` into `out` as one consistent snapshot, while
/// other connections go on writing; `out` must not exist.
pub async fn sqlite_snapshot(url: &str, out: &Path) -> StoreResult<()> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url)
        .await
        .map_err(backend_error)?;
    sqlx::query("PRAGMA busy_timeout = 30000")
        .execute(&mut conn)
        .await
        .map_err(backend_error)?;
    let target = out.to_string_lossy().replace('\'', "''");
    let done = sqlx::query(&format!("VACUUM INTO '{target}'"))
        .execute(&mut conn)
        .await
        .map_err(backend_error);
    let _ = conn.close().await;
    done.map(|_| ())
}

/// SQLite's own check of a database file: `Ok` when it says "ok", else what it found.
pub async fn sqlite_integrity(file: &Path) -> StoreResult<()> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=ro", file.display());
    let mut conn = sqlx::AnyConnection::connect(&url)
        .await
        .map_err(backend_error)?;
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .map_err(backend_error);
    let _ = conn.close().await;
    let found: Vec<String> = rows?
        .iter()
        .filter_map(|r| r.try_get::<String, _>(0).ok())
        .collect();
    if found.len() == 1 && found[0] == "ok" {
        Ok(())
    } else {
        Err(StoreError::Backend(
            format!(
                "integrity check of {}: {}",
                file.display(),
                found.join("; ")
            )
            .into(),
        ))
    }
}

impl SqlStore {
    /// The participants erased at or after `since`, with the reason recorded: what a
    /// restored backup from before then must erase again.
    pub async fn erased_since(
        &self,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(ParticipantId, String)>> {
        let rows = sqlx::query(
            "SELECT id, erased_reason FROM participants WHERE erased_at >= $1 ORDER BY id",
        )
        .bind(since.timestamp())
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get(0).map_err(backend_error)?;
                let reason: Option<String> = r.try_get(1).map_err(backend_error)?;
                Ok((
                    ParticipantId(id),
                    reason.unwrap_or_else(|| "request".into()),
                ))
            })
            .collect()
    }
}
