//! A lead's recorded changes: who changed which field, when, from what to what.

use crate::rows::{get, time};
use crate::{SqlStore, backend_error};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

fn change_row(row: &AnyRow) -> StoreResult<LeadChange> {
    Ok(LeadChange {
        id: get(row, "id")?,
        lead_id: LeadId(get(row, "lead_id")?),
        actor_id: get::<Option<i64>>(row, "actor_id")?.map(AccountId),
        actor_name: get(row, "actor_name")?,
        at: time(row, "at")?,
        field: get(row, "field")?,
        before: get(row, "before_value")?,
        after: get(row, "after_value")?,
    })
}

/// Records one change to a lead inside `tx`.
pub(crate) async fn record_change(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    lead: LeadId,
    actor: Option<AccountId>,
    at: i64,
    change: &ChangeDraft,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO lead_changes (lead_id, actor_id, at, field, before_value, after_value) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(lead.0)
        .bind(actor.map(|a| a.0))
        .bind(at)
        .bind(&change.field)
        .bind(change.before.clone())
        .bind(change.after.clone())
        .execute(&mut **tx)
        .await
        .map_err(backend_error)?;
    Ok(())
}

pub(crate) fn change(field: &str, before: Option<String>, after: Option<String>) -> ChangeDraft {
    ChangeDraft {
        field: field.into(),
        before,
        after,
    }
}

pub(super) async fn lead_changes(store: &SqlStore, id: LeadId) -> StoreResult<Vec<LeadChange>> {
    sqlx::query(
        "SELECT h.id, h.lead_id, h.actor_id, u.display_name AS actor_name, h.at, h.field, h.before_value, h.after_value \
         FROM lead_changes h LEFT JOIN accounts u ON u.id = h.actor_id WHERE h.lead_id = $1 ORDER BY h.at, h.id",
    )
    .bind(id.0)
    .fetch_all(&store.read)
    .await
    .map_err(backend_error)?
    .iter()
    .map(change_row)
    .collect()
}
