//! Roadshow's storage: one implementation of the domain's [`Store`] over both SQLite and
//! PostgreSQL, chosen from the database URL at run time.
//!
//! Why one crate and not one per database: every statement here is plain SQL that both
//! databases read the same way (`$1` placeholders, `RETURNING`, `ON CONFLICT`), run through
//! sqlx's `Any` driver with values it carries between both (integers, floats, text). Only
//! the migrations and the connection set-up differ, and they live side by side below.
//!
//! SQLite runs in WAL mode with `synchronous=FULL` (an acknowledged write survives power
//! loss), foreign keys on, a busy timeout, and all writes through one connection so that
//! writers queue in the pool instead of failing with `SQLITE_BUSY`.

mod exchange;
mod migrate;
mod rows;
mod sql_store;

pub use exchange::voted_data;
pub use sql_store::SqlStore;

use roadshow_domain::store::StoreError;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` are PostgreSQL; `sqlite:` is SQLite.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else {
            None
        }
    }
}

pub(crate) fn backend_error(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err {
        if db.is_unique_violation() {
            return StoreError::Conflict("unique");
        }
    }
    StoreError::Backend(err.to_string())
}
