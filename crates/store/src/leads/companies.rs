//! Companies as officers see them: summaries, people, the agency a company belongs to,
//! companies added by hand, and merges. A merge moves the merged company's people,
//! registrations, signals and lead to the kept company, and keeps the ids of what moved
//! so that an undo moves exactly those back (not what arrived later).

use super::record_change;
use crate::rows::{self, get, json, optional_time, time, to_json};
use crate::{SqlStore, backend_error};
use chrono::{DateTime, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::leads::{ChangeDraft, CompanyMerge, CompanySummary, Contact};
use roadshow_domain::store::{StoreError, StoreResult};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Moved {
    participants: Vec<i64>,
    registrations: Vec<i64>,
    signals: Vec<i64>,
    /// The merged company's lead, folded into the kept company's lead.
    folded_lead: Option<i64>,
    /// The merged company's lead, moved to the kept company (which had none).
    moved_lead: Option<i64>,
    /// The kept company's lead that absorbed a folded one (for its timeline).
    kept_lead: Option<i64>,
}

const MERGE_SELECT: &str = "SELECT m.id, m.kept_id, k.name AS kept_name, m.merged_id, g.name AS merged_name, m.by_id, m.at, m.undone_at, m.moved \
     FROM company_merges m JOIN companies k ON k.id = m.kept_id JOIN companies g ON g.id = m.merged_id";

fn merge_row(row: &AnyRow) -> StoreResult<CompanyMerge> {
    Ok(CompanyMerge {
        id: get(row, "id")?,
        kept: CompanyId(get(row, "kept_id")?),
        kept_name: get(row, "kept_name")?,
        merged: CompanyId(get(row, "merged_id")?),
        merged_name: get(row, "merged_name")?,
        by: AccountId(get::<Option<i64>>(row, "by_id")?.unwrap_or(0)),
        at: time(row, "at")?,
        undone_at: optional_time(row, "undone_at")?,
    })
}

pub(super) async fn company_summaries(
    store: &SqlStore,
    agency: AgencyId,
) -> StoreResult<Vec<CompanySummary>> {
    let rows = sqlx::query(
        "SELECT c.id, c.name, c.country, c.website, \
         (SELECT COUNT(*) FROM registrations r WHERE r.company_id = c.id) AS registrations, \
         (SELECT COUNT(*) FROM leads l WHERE l.company_id = c.id AND l.merged_into IS NULL) AS leads \
         FROM companies c WHERE c.agency_id = $1 AND c.merged_into IS NULL ORDER BY c.name, c.id",
    )
    .bind(agency.0)
    .fetch_all(&store.read)
    .await
    .map_err(backend_error)?;
    rows.iter()
        .map(|r| {
            Ok(CompanySummary {
                id: CompanyId(get(r, "id")?),
                name: get(r, "name")?,
                country: get(r, "country")?,
                website: get(r, "website")?,
                registrations: get(r, "registrations")?,
                has_lead: get::<i64>(r, "leads")? > 0,
            })
        })
        .collect()
}

/// Ids of `table`'s rows whose `company_id` is `company`.
async fn ids_of(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &str,
    company: i64,
) -> StoreResult<Vec<i64>> {
    sqlx::query_scalar(&format!(
        "SELECT id FROM {table} WHERE company_id = $1 ORDER BY id"
    ))
    .bind(company)
    .fetch_all(&mut **tx)
    .await
    .map_err(backend_error)
}

/// Sets `company_id` of the listed rows of `table`.
async fn point(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &str,
    ids: &[i64],
    company: i64,
) -> StoreResult<()> {
    for chunk in ids.chunks(500) {
        let list = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        sqlx::query(&format!(
            "UPDATE {table} SET company_id = $1 WHERE id IN ({list})"
        ))
        .bind(company)
        .execute(&mut **tx)
        .await
        .map_err(backend_error)?;
    }
    Ok(())
}

async fn lead_of(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    company: i64,
) -> StoreResult<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM leads WHERE company_id = $1 AND merged_into IS NULL")
        .bind(company)
        .fetch_optional(&mut **tx)
        .await
        .map_err(backend_error)
}

pub(super) async fn merge(
    store: &SqlStore,
    kept: CompanyId,
    merged: CompanyId,
    actor: AccountId,
    at: DateTime<Utc>,
) -> StoreResult<CompanyMerge> {
    if kept == merged {
        return Err(StoreError::Conflict("same_company"));
    }
    let t = at.timestamp();
    let mut tx = store.write.begin().await.map_err(backend_error)?;
    let rows = sqlx::query("SELECT id, agency_id, merged_into FROM companies WHERE id IN ($1, $2)")
        .bind(kept.0)
        .bind(merged.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend_error)?;
    if rows.len() != 2 {
        return Err(StoreError::NotFound);
    }
    let mut agencies = Vec::new();
    for r in &rows {
        if get::<Option<i64>>(r, "merged_into")?.is_some() {
            return Err(StoreError::Conflict("already_merged"));
        }
        agencies.push(get::<i64>(r, "agency_id")?);
    }
    if agencies[0] != agencies[1] {
        return Err(StoreError::NotFound);
    }
    let mut moved = Moved {
        participants: ids_of(&mut tx, "participants", merged.0).await?,
        registrations: ids_of(&mut tx, "registrations", merged.0).await?,
        signals: ids_of(&mut tx, "signals", merged.0).await?,
        ..Default::default()
    };
    point(&mut tx, "participants", &moved.participants, kept.0).await?;
    point(&mut tx, "registrations", &moved.registrations, kept.0).await?;
    point(&mut tx, "signals", &moved.signals, kept.0).await?;
    let kept_lead = lead_of(&mut tx, kept.0).await?;
    if let Some(lead) = lead_of(&mut tx, merged.0).await? {
        match kept_lead {
            Some(k) => {
                sqlx::query("UPDATE leads SET merged_into = $2 WHERE id = $1")
                    .bind(lead)
                    .bind(k)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                moved.folded_lead = Some(lead);
            }
            None => {
                sqlx::query("UPDATE leads SET company_id = $2 WHERE id = $1")
                    .bind(lead)
                    .bind(kept.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend_error)?;
                moved.moved_lead = Some(lead);
            }
        }
    }
    moved.kept_lead = kept_lead.or(moved.moved_lead);
    sqlx::query("UPDATE companies SET merged_into = $2 WHERE id = $1")
        .bind(merged.0)
        .bind(kept.0)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO company_merges (agency_id, kept_id, merged_id, moved, by_id, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(agencies[0])
    .bind(kept.0)
    .bind(merged.0)
    .bind(to_json(&moved)?)
    .bind(actor.0)
    .bind(t)
    .fetch_one(&mut *tx)
    .await
    .map_err(backend_error)?;
    if let Some(lead) = moved.kept_lead {
        let name: String = sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
            .bind(merged.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend_error)?;
        record_change(
            &mut tx,
            LeadId(lead),
            Some(actor),
            t,
            &ChangeDraft {
                field: "merged".into(),
                before: None,
                after: Some(name),
            },
        )
        .await?;
    }
    let row = sqlx::query(&format!("{MERGE_SELECT} WHERE m.id = $1"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
    let merge = merge_row(&row)?;
    tx.commit().await.map_err(backend_error)?;
    Ok(merge)
}

pub(super) async fn undo(
    store: &SqlStore,
    id: i64,
    actor: AccountId,
    at: DateTime<Utc>,
) -> StoreResult<CompanyMerge> {
    let t = at.timestamp();
    let mut tx = store.write.begin().await.map_err(backend_error)?;
    let row = sqlx::query(&format!("{MERGE_SELECT} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend_error)?
        .ok_or(StoreError::NotFound)?;
    let merge = merge_row(&row)?;
    if merge.undone_at.is_some() {
        return Err(StoreError::Conflict("undone"));
    }
    let moved: Moved = json(&row, "moved")?;
    let back = merge.merged.0;
    point(&mut tx, "participants", &moved.participants, back).await?;
    point(&mut tx, "registrations", &moved.registrations, back).await?;
    point(&mut tx, "signals", &moved.signals, back).await?;
    if let Some(lead) = moved.folded_lead {
        sqlx::query("UPDATE leads SET merged_into = NULL WHERE id = $1")
            .bind(lead)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
    }
    if let Some(lead) = moved.moved_lead {
        sqlx::query("UPDATE leads SET company_id = $2 WHERE id = $1")
            .bind(lead)
            .bind(back)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
    }
    sqlx::query("UPDATE companies SET merged_into = NULL WHERE id = $1")
        .bind(back)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
    sqlx::query("UPDATE company_merges SET undone_at = $2 WHERE id = $1")
        .bind(id)
        .bind(t)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
    for lead in [moved.kept_lead, moved.folded_lead].into_iter().flatten() {
        record_change(
            &mut tx,
            LeadId(lead),
            Some(actor),
            t,
            &ChangeDraft {
                field: "merge_undone".into(),
                before: Some(merge.merged_name.clone()),
                after: None,
            },
        )
        .await?;
    }
    let row = sqlx::query(&format!("{MERGE_SELECT} WHERE m.id = $1"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
    let merge = merge_row(&row)?;
    tx.commit().await.map_err(backend_error)?;
    Ok(merge)
}

pub(super) async fn list(store: &SqlStore, agency: AgencyId) -> StoreResult<Vec<CompanyMerge>> {
    sqlx::query(&format!(
        "{MERGE_SELECT} WHERE m.agency_id = $1 ORDER BY m.id DESC LIMIT 200"
    ))
    .bind(agency.0)
    .fetch_all(&store.read)
    .await
    .map_err(backend_error)?
    .iter()
    .map(merge_row)
    .collect()
}

pub(super) async fn company_agency(
    store: &SqlStore,
    company: CompanyId,
) -> StoreResult<Option<AgencyId>> {
    let agency: Option<i64> = sqlx::query_scalar("SELECT agency_id FROM companies WHERE id = $1")
        .bind(company.0)
        .fetch_optional(&store.read)
        .await
        .map_err(backend_error)?;
    Ok(agency.map(AgencyId))
}

pub(super) async fn create_company(
    store: &SqlStore,
    agency: AgencyId,
    company: &roadshow_domain::registrations::CompanyDraft,
) -> StoreResult<CompanyId> {
    let mut tx = store.write.begin().await.map_err(backend_error)?;
    let id =
        crate::registrations::upsert_company(&mut tx, agency, company, false, crate::now()).await?;
    tx.commit().await.map_err(backend_error)?;
    Ok(CompanyId(id))
}

pub(super) async fn company_contacts(
    store: &SqlStore,
    company: CompanyId,
) -> StoreResult<Vec<Contact>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.email, p.job_title, p.language, (SELECT COUNT(*) FROM registrations r WHERE r.participant_id = p.id) AS events, \
         (SELECT COUNT(*) FROM consents c WHERE c.participant_id = p.id AND c.purpose = 'sharing' AND c.given = 1) AS shares \
         FROM participants p WHERE p.company_id = $1 AND p.erased_at IS NULL ORDER BY p.name, p.id",
    )
    .bind(company.0)
    .fetch_all(&store.read)
    .await
    .map_err(backend_error)?;
    rows.iter()
        .map(|r| {
            let lang: String = get(r, "language")?;
            Ok(Contact {
                participant_id: ParticipantId(get(r, "id")?),
                name: get(r, "name")?,
                email: get(r, "email")?,
                job_title: get(r, "job_title")?,
                language: lang.parse().map_err(|_| rows::corrupt("language", &lang))?,
                events: get(r, "events")?,
                shares: get::<i64>(r, "shares")? > 0,
            })
        })
        .collect()
}
