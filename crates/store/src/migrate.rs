//! Embedded migrations, applied in order at start, once each, by any number of processes.

use crate::backend_error;
use crate::dialect::{self, Backend};
use roadshow_domain::store::StoreResult;
use sqlx::{AnyPool, Executor};

/// (version, name, SQLite text, PostgreSQL text). Append only; never edit a shipped one.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../../../sql/sqlite/0001_foundation.sql"),
        include_str!("../../../sql/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "live_exchange",
        include_str!("../../../sql/sqlite/0002_live_exchange.sql"),
        include_str!("../../../sql/postgres/0002_live_exchange.sql"),
    ),
    (
        3,
        "accounts_links_outbox_lease",
        include_str!("../../../sql/sqlite/0003_accounts_links_outbox_lease.sql"),
        include_str!("../../../sql/postgres/0003_accounts_links_outbox_lease.sql"),
    ),
    (
        4,
        "shared_limits_and_files",
        include_str!("../../../sql/sqlite/0004_shared_limits_and_files.sql"),
        include_str!("../../../sql/postgres/0004_shared_limits_and_files.sql"),
    ),
    (
        5,
        "meetings",
        include_str!("../../../sql/sqlite/0005_meetings.sql"),
        include_str!("../../../sql/postgres/0005_meetings.sql"),
    ),
    (
        6,
        "follow_up",
        include_str!("../../../sql/sqlite/0006_follow_up.sql"),
        include_str!("../../../sql/postgres/0006_follow_up.sql"),
    ),
    (
        7,
        "directory",
        include_str!("../../../sql/sqlite/0007_directory.sql"),
        include_str!("../../../sql/postgres/0007_directory.sql"),
    ),
    (
        8,
        "broadcast",
        include_str!("../../../sql/sqlite/0008_broadcast.sql"),
        include_str!("../../../sql/postgres/0008_broadcast.sql"),
    ),
    (
        9,
        "press_releases",
        include_str!("../../../sql/sqlite/0009_press_releases.sql"),
        include_str!("../../../sql/postgres/0009_press_releases.sql"),
    ),
    (
        10,
        "signals_by_event",
        include_str!("../../../sql/sqlite/0010_signals_by_event.sql"),
        include_str!("../../../sql/postgres/0010_signals_by_event.sql"),
    ),
    (
        11,
        "report_schedules",
        include_str!("../../../sql/sqlite/0011_report_schedules.sql"),
        include_str!("../../../sql/postgres/0011_report_schedules.sql"),
    ),
    (
        12,
        "privacy",
        include_str!("../../../sql/sqlite/0012_privacy.sql"),
        include_str!("../../../sql/postgres/0012_privacy.sql"),
    ),
    (
        13,
        "webhooks",
        include_str!("../../../sql/sqlite/0013_webhooks.sql"),
        include_str!("../../../sql/postgres/0013_webhooks.sql"),
    ),
    (
        14,
        "lead_versions",
        include_str!("../../../sql/sqlite/0014_lead_versions.sql"),
        include_str!("../../../sql/postgres/0014_lead_versions.sql"),
    ),
    (
        15,
        "lead_board",
        include_str!("../../../sql/sqlite/0015_lead_board.sql"),
        include_str!("../../../sql/postgres/0015_lead_board.sql"),
    ),
];

/// The migrations of this build: (version, name).
pub fn known() -> Vec<(i64, &'static str)> {
    MIGRATIONS.iter().map(|(v, n, _, _)| (*v, *n)).collect()
}

/// Applies the migrations that are missing. On PostgreSQL an advisory lock makes
/// processes that start together take turns; on SQLite the single writer does.
pub async fn run(pool: &AnyPool, backend: Backend) -> StoreResult<()> {
    let mut conn = pool.acquire().await.map_err(backend_error)?;
    dialect::lock_migrations(&mut conn, backend).await?;
    let result = apply(&mut conn, backend).await;
    dialect::unlock_migrations(&mut conn, backend).await?;
    result
}

async fn apply(conn: &mut sqlx::AnyConnection, backend: Backend) -> StoreResult<()> {
    conn.execute(
        "CREATE TABLE IF NOT EXISTS roadshow_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .await
    .map_err(backend_error)?;
    refuse_newer(conn).await?;
    for (version, name, sqlite, postgres) in MIGRATIONS {
        let done: Option<i64> =
            sqlx::query_scalar("SELECT version FROM roadshow_migrations WHERE version = $1")
                .bind(*version)
                .fetch_optional(&mut *conn)
                .await
                .map_err(backend_error)?;
        if done.is_some() {
            continue;
        }
        let text = backend.pick(sqlite, postgres);
        let mut tx = sqlx::Connection::begin(&mut *conn)
            .await
            .map_err(backend_error)?;
        sqlx::raw_sql(text)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        sqlx::query(
            "INSERT INTO roadshow_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(*version)
        .bind(*name)
        .bind(chrono::Utc::now().timestamp())
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
        tx.commit().await.map_err(backend_error)?;
        tracing::info!(version, name, "migration applied");
    }
    Ok(())
}

/// A database migrated by a newer build is not touched: this build does not know its
/// tables, and writing with older code could lose what the newer one keeps.
async fn refuse_newer(conn: &mut sqlx::AnyConnection) -> StoreResult<()> {
    use sqlx::Row;
    let known = MIGRATIONS.last().map(|(v, _, _, _)| *v).unwrap_or(0);
    let newer = sqlx::query(
        "SELECT version, name FROM roadshow_migrations WHERE version > $1 ORDER BY version",
    )
    .bind(known)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend_error)?;
    if newer.is_empty() {
        return Ok(());
    }
    let newer: Vec<(i64, String)> = newer
        .iter()
        .map(|r| {
            (
                r.try_get(0).unwrap_or_default(),
                r.try_get(1).unwrap_or_default(),
            )
        })
        .collect();
    Err(roadshow_domain::store::StoreError::Backend(
        crate::backup::newer_schema(&newer).into(),
    ))
}
