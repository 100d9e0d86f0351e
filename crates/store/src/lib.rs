//! Roadshow's storage: one implementation of the domain's [`Store`] over both SQLite and
//! PostgreSQL, chosen from the database URL at run time. One file per capability, each
//! implementing that capability's trait (`events.rs` → `EventStore`, ...); every
//! difference between the two databases is in [`dialect`].
//!
//! Why one crate and not one per database: every statement here is plain SQL that both
//! databases read the same way, run through sqlx's `Any` driver with runtime queries, so
//! one code path is tested on both. The value types that cross it are those both
//! databases carry through `Any`: 64-bit integers (ids, counts, times as Unix seconds,
//! flags as 0/1), text (per-language texts and lists as JSON text), and floats, which go
//! in as text cast in SQL (see [`dialect::float_param`]) and come back as `DOUBLE
//! PRECISION`/`REAL`. Links between records are rows of link tables with foreign keys.
//!
//! SQLite runs in WAL mode with `synchronous=FULL`, foreign keys on, a busy timeout, and
//! all writes through one connection so that writers queue in the pool instead of failing
//! with `SQLITE_BUSY`.

mod accounts;
pub mod backup;
mod broadcast;
mod departments;
pub mod dialect;
mod directory;
mod events;
mod leads;
mod limits;
mod live;
mod materials;
mod meetings;
mod migrate;
mod outbox;
mod polls;
mod privacy;
mod questions;
mod registrations;
mod reports;
mod rows;
mod signals;
mod surveys;
mod webhooks;

pub use dialect::Backend;

use async_trait::async_trait;
use chrono::Utc;
use roadshow_domain::ids::EventId;
use roadshow_domain::store::{Store, StoreError, StoreResult};
use sqlx::AnyPool;
use sqlx::any::AnyRow;
use std::time::Duration;

/// The store. Reads go to `read`, writes to `write`; on PostgreSQL both are one pool, on
/// SQLite `write` holds a single connection.
#[derive(Clone)]
pub struct SqlStore {
    pub(crate) read: AnyPool,
    pub(crate) write: AnyPool,
    pub(crate) backend: Backend,
    /// The PostgreSQL URL, for the listener's own connection.
    url: String,
    /// The NOTIFY channel of this database and schema (tests share a server).
    pub(crate) live_channel: String,
}

pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Now, as the Unix seconds every time is stored in.
pub(crate) fn now() -> i64 {
    Utc::now().timestamp()
}

/// Every database error goes through the dialect's reading of it.
pub(crate) fn backend_error(err: sqlx::Error) -> StoreError {
    dialect::classify(err)
}

impl SqlStore {
    /// Opens the database the URL names (`sqlite:PATH` or `postgres://...`), creating a
    /// SQLite file when missing, and applies the embedded migrations.
    pub async fn connect(url: &str) -> StoreResult<SqlStore> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| {
            StoreError::Backend(
                format!("unsupported database URL (use sqlite: or postgres://): {url}").into(),
            )
        })?;
        let pools = dialect::open(url, backend).await?;
        let store = SqlStore {
            read: pools.read,
            write: pools.write,
            backend,
            url: url.to_string(),
            live_channel: pools.live_channel,
        };
        migrate::run(&store.write, backend).await?;
        Ok(store)
    }

    pub async fn live_signals(
        &self,
    ) -> StoreResult<Option<tokio::sync::mpsc::UnboundedReceiver<roadshow_domain::live::Notice>>>
    {
        if !self.backend.shared() {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url)
            .await
            .map_err(backend_error)?;
        listener
            .listen(&self.live_channel)
            .await
            .map_err(backend_error)?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => {
                        use roadshow_domain::live::Notice;
                        let notice = n.payload().split_once(':').and_then(|(e, s)| {
                            let seq = s.parse::<i64>().ok()?;
                            if e == "directory" {
                                return Some(Notice::Directory(seq));
                            }
                            Some(Notice::Live(EventId(e.parse().ok()?), seq))
                        });
                        if let Some(notice) = notice {
                            if tx.send(notice).is_err() {
                                return;
                            }
                        }
                    }
                    // The connection was lost and is re-established on the next call.
                    Ok(None) => {
                        tracing::warn!("live listener reconnecting");
                        if tx.send(roadshow_domain::live::Notice::Lost).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "live listener failed; retrying");
                        if tx.is_closed() {
                            return;
                        }
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                }
            }
        });
        Ok(Some(rx))
    }

    /// Closes the pools, waiting for running statements.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Runs one read that returns at most one row.
    pub(crate) async fn one<'q>(
        &self,
        sql: &'q str,
        bind: impl FnOnce(AnyQuery<'q>) -> AnyQuery<'q>,
    ) -> StoreResult<Option<AnyRow>> {
        bind(sqlx::query(sql))
            .fetch_optional(&self.read)
            .await
            .map_err(backend_error)
    }

    /// Reads the row of `table` with this id as a domain value; `columns` are the
    /// ones `row` reads.
    pub(crate) async fn by_id<T>(
        &self,
        table: &str,
        columns: &str,
        id: i64,
        row: fn(&AnyRow) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        let sql = format!("SELECT {columns} FROM {table} WHERE id = $1");
        self.one(&sql, |q| q.bind(id))
            .await?
            .map(|r| row(&r))
            .transpose()
    }

    /// Deletes the row of `table` with this id; `NotFound` when there is none, so a
    /// second delete of the same thing is told apart from the first.
    pub(crate) async fn delete_by_id(&self, table: &str, id: i64) -> StoreResult<()> {
        let done = sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
            .bind(id)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        self.backend.name()
    }

    fn single_writer(&self) -> bool {
        self.backend.single_writer()
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    fn pools(&self) -> Vec<(&'static str, u32, u32)> {
        let of = |p: &AnyPool| (p.size(), p.num_idle() as u32);
        if self.backend.single_writer() {
            let (ro, ri) = of(&self.read);
            let (wo, wi) = of(&self.write);
            vec![("read", ro, ri), ("write", wo, wi)]
        } else {
            let (o, i) = of(&self.read);
            vec![("shared", o, i)]
        }
    }

    async fn facts(&self) -> StoreResult<roadshow_domain::store::Facts> {
        use sqlx::Row;
        let schema_applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM roadshow_migrations")
                .fetch_one(&self.read)
                .await
                .map_err(backend_error)?;
        let row = sqlx::query(
            "SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest, \
             (SELECT COUNT(*) FROM outbox WHERE status = 'failed') AS failed \
             FROM outbox WHERE status IN ('pending', 'sending')",
        )
        .fetch_one(&self.read)
        .await
        .map_err(backend_error)?;
        let oldest: Option<i64> = row.try_get("oldest").map_err(backend_error)?;
        Ok(roadshow_domain::store::Facts {
            schema_applied: schema_applied.unwrap_or(0),
            schema_known: backup::schema_version(),
            emails_waiting: row.try_get("waiting").map_err(backend_error)?,
            oldest_waiting: oldest.and_then(|t| chrono::DateTime::from_timestamp(t, 0)),
            emails_failed: row.try_get("failed").map_err(backend_error)?,
        })
    }
}
