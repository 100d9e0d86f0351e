//! The audit chain in the database: appending under the head row's lock, reading it back.

use super::Tx;
use crate::rows::{get, time};
use crate::{SqlStore, backend_error};
use chrono::{DateTime, Utc};
use roadshow_domain::ids::AgencyId;
use roadshow_domain::privacy::audit::{AuditDraft, AuditEntry, payload_digest};
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

/// Appends an entry to the audit chain inside a transaction: the head row is taken first
/// (on PostgreSQL its lock makes writers of several processes take turns), so each entry
/// follows exactly one other.
pub(crate) async fn append_audit(
    tx: &mut Tx<'_>,
    draft: &AuditDraft,
    at: DateTime<Utc>,
) -> StoreResult<AuditEntry> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)?;
    let mut entry = AuditEntry {
        seq: get(&head, "seq")?,
        agency: draft.agency,
        at,
        actor: draft.actor.clone(),
        action: draft.action.to_string(),
        subject: draft.subject.clone(),
        payload_digest: payload_digest(&draft.salt, &draft.payload),
        prev_hash: get(&head, "hash")?,
        hash: String::new(),
    };
    entry.hash = entry.compute_hash();
    sqlx::query(
        "INSERT INTO audit_log (seq, agency_id, at, actor, action, subject, payload_digest, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(entry.seq)
    .bind(entry.agency.map(|a| a.0))
    .bind(at.timestamp())
    .bind(&entry.actor)
    .bind(&entry.action)
    .bind(&entry.subject)
    .bind(&entry.payload_digest)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .execute(&mut **tx)
    .await
    .map_err(backend_error)?;
    sqlx::query("INSERT INTO audit_payloads (seq, salt, body) VALUES ($1, $2, $3)")
        .bind(entry.seq)
        .bind(&draft.salt)
        .bind(&draft.payload)
        .execute(&mut **tx)
        .await
        .map_err(backend_error)?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&entry.hash)
        .execute(&mut **tx)
        .await
        .map_err(backend_error)?;
    Ok(entry)
}

pub(super) fn audit_row(row: &AnyRow) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: get(row, "seq")?,
        agency: get::<Option<i64>>(row, "agency_id")?.map(AgencyId),
        at: time(row, "at")?,
        actor: get(row, "actor")?,
        action: get(row, "action")?,
        subject: get(row, "subject")?,
        payload_digest: get(row, "payload_digest")?,
        prev_hash: get(row, "prev_hash")?,
        hash: get(row, "hash")?,
    })
}

pub(super) const AUDIT_COLUMNS: &str =
    "seq, agency_id, at, actor, action, subject, payload_digest, prev_hash, hash";

impl SqlStore {
    pub(super) async fn audit_append(
        &self,
        draft: &AuditDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<AuditEntry> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let entry = append_audit(&mut tx, draft, at).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(entry)
    }

    pub(super) async fn audit_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        let sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        let rows = sqlx::query(&sql)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        rows.iter().map(audit_row).collect()
    }

    pub(super) async fn audit_latest(
        &self,
        agency: AgencyId,
        limit: i64,
    ) -> StoreResult<Vec<AuditEntry>> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE agency_id = $1 ORDER BY seq DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(agency.0)
            .bind(limit)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        rows.iter().map(audit_row).collect()
    }

    pub(super) async fn audit_last(&self) -> StoreResult<(i64, String)> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.read)
            .await
            .map_err(backend_error)?;
        Ok((get(&row, "seq")?, get(&row, "hash")?))
    }
}
