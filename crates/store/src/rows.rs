//! Turning rows into domain records. Per-language texts and lists are JSON text, times
//! are Unix seconds, flags are 0/1: the types both databases share through sqlx's Any.

use chrono::{DateTime, Utc};
use roadshow_domain::store::{StoreError, StoreResult};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A stored value that does not read as what it should be.
pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("unreadable {what}: {detail}").into())
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, column: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column).map_err(|e| corrupt(column, e))
}

pub(crate) fn json<T: DeserializeOwned>(row: &AnyRow, column: &str) -> StoreResult<T> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|e| corrupt(column, e))
}

/// A value as the JSON text it is stored as. Encoding fails only for a value JSON cannot
/// hold (a map with keys that are not strings); that is a bug to report, never a `null`
/// to store in its place.
pub(crate) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Backend(format!("not storable as JSON: {e}").into()))
}

pub(crate) fn time(row: &AnyRow, column: &str) -> StoreResult<DateTime<Utc>> {
    let seconds: i64 = get(row, column)?;
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| corrupt(column, seconds))
}

pub(crate) fn optional_time(row: &AnyRow, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let seconds: Option<i64> = get(row, column)?;
    seconds
        .map(|s| DateTime::from_timestamp(s, 0).ok_or_else(|| corrupt(column, s)))
        .transpose()
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> StoreResult<bool> {
    let value: i64 = get(row, column)?;
    Ok(value != 0)
}

/// A many-to-many link table: `owner` rows link to `target` rows, in `position` order.
/// The names are constants of this crate, never input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkTable {
    pub table: &'static str,
    pub owner: &'static str,
    pub target: &'static str,
}

impl LinkTable {
    pub(crate) const fn new(
        table: &'static str,
        owner: &'static str,
        target: &'static str,
    ) -> Self {
        LinkTable {
            table,
            owner,
            target,
        }
    }
}

/// Replaces the links of `owner` with `targets`, in that order (a repeated target counts
/// once).
pub(crate) async fn set_links(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    links: LinkTable,
    owner: i64,
    targets: &[i64],
) -> StoreResult<()> {
    let LinkTable {
        table,
        owner: owner_column,
        target,
    } = links;
    sqlx::query(&format!("DELETE FROM {table} WHERE {owner_column} = $1"))
        .bind(owner)
        .execute(&mut **tx)
        .await
        .map_err(crate::backend_error)?;
    for (position, id) in targets.iter().enumerate() {
        sqlx::query(&format!(
            "INSERT INTO {table} ({owner_column}, {target}, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
        ))
        .bind(owner)
        .bind(*id)
        .bind(position as i64)
        .execute(&mut **tx)
        .await
        .map_err(crate::backend_error)?;
    }
    Ok(())
}

impl crate::SqlStore {
    /// The (owner, target) links of the owners `filter` selects (an SQL list or subquery
    /// with one parameter), in each owner's order.
    pub(crate) async fn links(
        &self,
        links: LinkTable,
        filter: &str,
        param: i64,
    ) -> StoreResult<Vec<(i64, i64)>> {
        let LinkTable {
            table,
            owner,
            target,
        } = links;
        let rows = sqlx::query(&format!(
            "SELECT {owner} AS owner, {target} AS target FROM {table} WHERE {owner} IN ({filter}) ORDER BY {owner}, position"
        ))
        .bind(param)
        .fetch_all(&self.read)
        .await
        .map_err(crate::backend_error)?;
        rows.iter()
            .map(|row| Ok((get(row, "owner")?, get(row, "target")?)))
            .collect()
    }
}
