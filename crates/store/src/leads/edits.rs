//! What officers change on a lead: its details, its stage, its owner. Each change raises
//! the lead's version; a change based on an older version (`base`) is refused as
//! `Conflict("stale")` by the `UPDATE` itself, so that of two officers saving at once one
//! wins and the other is told, on either database.

use super::{change, record_change};
use crate::rows::to_json;
use crate::{SqlStore, backend_error};
use chrono::{DateTime, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::store::{StoreError, StoreResult};

/// `base` as bound: -1 for "any version".
fn base_value(base: Option<i64>) -> i64 {
    base.unwrap_or(-1)
}

/// Why an `UPDATE` touched no row: gone, or changed meanwhile.
async fn refused(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: LeadId) -> StoreError {
    let merged: Result<Option<Option<i64>>, _> =
        sqlx::query_scalar("SELECT merged_into FROM leads WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await;
    match merged {
        Ok(Some(None)) => StoreError::Conflict("stale"),
        Ok(_) => StoreError::NotFound,
        Err(e) => backend_error(e),
    }
}

pub(super) async fn update(
    store: &SqlStore,
    id: LeadId,
    d: &ProjectDraft,
    changes: &[ChangeDraft],
    actor: Option<AccountId>,
    at: DateTime<Utc>,
    base: Option<i64>,
) -> StoreResult<Lead> {
    let t = at.timestamp();
    let mut tx = store.write.begin().await.map_err(backend_error)?;
    let done = sqlx::query(
        "UPDATE leads SET project = $2, sector = $3, target_district = $4, next_step_due = $5, owner_id = $6, updated_at = $7, version = version + 1 \
         WHERE id = $1 AND merged_into IS NULL AND ($8 = -1 OR version = $8)",
    )
    .bind(id.0)
    .bind(to_json(&d.project)?)
    .bind(d.project.sector.clone())
    .bind(d.project.target_district.clone())
    .bind(d.project.next_step_due.map(|d| d.to_string()))
    .bind(d.owner_id.map(|o| o.0))
    .bind(t)
    .bind(base_value(base))
    .execute(&mut *tx)
    .await
    .map_err(backend_error)?;
    if done.rows_affected() != 1 {
        return Err(refused(&mut tx, id).await);
    }
    for c in changes {
        record_change(&mut tx, id, actor, t, c).await?;
    }
    let lead = store.lead_in(&mut tx, id).await?;
    tx.commit().await.map_err(backend_error)?;
    Ok(lead)
}

pub(super) async fn move_to(
    store: &SqlStore,
    id: LeadId,
    stage: Stage,
    lost_reason: Option<&str>,
    actor: AccountId,
    at: DateTime<Utc>,
    base: Option<i64>,
) -> StoreResult<Lead> {
    let t = at.timestamp();
    let mut tx = store.write.begin().await.map_err(backend_error)?;
    let before = store.lead_in(&mut tx, id).await?;
    if base.is_some_and(|b| b != before.version) {
        return Err(StoreError::Conflict("stale"));
    }
    if before.stage != stage || before.lost_reason.as_deref() != lost_reason {
        let done = sqlx::query(
            "UPDATE leads SET stage = $2, lost_reason = $3, updated_at = $4, version = version + 1 WHERE id = $1 AND version = $5",
        )
        .bind(id.0)
        .bind(stage.code())
        .bind(lost_reason.map(str::to_string))
        .bind(t)
        .bind(before.version)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
        // Another process changed it between the read and this write.
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("stale"));
        }
        let after = match lost_reason {
            Some(r) => format!("{}: {r}", stage.code()),
            None => stage.code().to_string(),
        };
        record_change(
            &mut tx,
            id,
            Some(actor),
            t,
            &change("stage", Some(before.stage.code().into()), Some(after)),
        )
        .await?;
        if before.stage != stage {
            crate::webhooks::enqueue(
                &mut tx,
                crate::webhooks::Audience::Agency(before.agency_id),
                roadshow_domain::webhooks::EventType::LeadStageChanged,
                serde_json::json!({"lead_id": id.0, "company_id": before.company.id.0, "stage": stage.code(), "previous_stage": before.stage.code()}),
            )
            .await?;
        }
    }
    let lead = store.lead_in(&mut tx, id).await?;
    tx.commit().await.map_err(backend_error)?;
    Ok(lead)
}

pub(super) async fn take(
    store: &SqlStore,
    id: LeadId,
    owner: AccountId,
    at: DateTime<Utc>,
) -> StoreResult<Lead> {
    let t = at.timestamp();
    let mut tx = store.write.begin().await.map_err(backend_error)?;
    let done = sqlx::query("UPDATE leads SET owner_id = $2, updated_at = $3, version = version + 1 WHERE id = $1 AND owner_id IS NULL AND merged_into IS NULL")
        .bind(id.0)
        .bind(owner.0)
        .bind(t)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
    if done.rows_affected() != 1 {
        store.lead_in(&mut tx, id).await?;
        return Err(StoreError::Conflict("taken"));
    }
    record_change(
        &mut tx,
        id,
        Some(owner),
        t,
        &change("owner", None, Some(owner.0.to_string())),
    )
    .await?;
    let lead = store.lead_in(&mut tx, id).await?;
    tx.commit().await.map_err(backend_error)?;
    Ok(lead)
}
