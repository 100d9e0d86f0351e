//! Privacy's records: consents, requests, recipients, retention; the walk of the data map
//! that exports and erases a participant is in [`walk`], the audit chain in [`audit`].

mod audit;
mod retention;
mod walk;

pub(crate) use audit::append_audit;

use crate::rows::{corrupt, get, json, optional_time, time, to_json};
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::privacy::audit::{AuditDraft, AuditEntry};
use roadshow_domain::privacy::*;
use roadshow_domain::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use std::collections::HashSet;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Records consent choices inside a transaction (a registration's, a change's).
pub(crate) async fn record_consents(
    tx: &mut Tx<'_>,
    participant: ParticipantId,
    choices: &[(ConsentPurpose, bool)],
    version: &str,
    t: i64,
) -> StoreResult<()> {
    for (purpose, given) in choices {
        sqlx::query(
            "INSERT INTO consents (participant_id, purpose, version, given, changed_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (participant_id, purpose) DO UPDATE SET version = excluded.version, given = excluded.given, changed_at = excluded.changed_at",
        )
        .bind(participant.0)
        .bind(purpose.code())
        .bind(version)
        .bind(i64::from(*given))
        .bind(t)
        .execute(&mut **tx)
        .await
        .map_err(backend_error)?;
    }
    Ok(())
}

fn person_row(row: &AnyRow) -> StoreResult<Person> {
    let language: String = get(row, "language")?;
    Ok(Person {
        id: ParticipantId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        name: get(row, "name")?,
        email: get(row, "email")?,
        language: language.parse().unwrap_or(roadshow_domain::Lang::En),
        erased_at: optional_time(row, "erased_at")?,
        erased_reason: get(row, "erased_reason")?,
    })
}

const PERSON_COLUMNS: &str = "id, agency_id, name, email, language, erased_at, erased_reason";

fn request_row(row: &AnyRow) -> StoreResult<PrivacyRequest> {
    let kind: String = get(row, "kind")?;
    let state: String = get(row, "state")?;
    let channel: String = get(row, "channel")?;
    Ok(PrivacyRequest {
        id: get(row, "id")?,
        agency_id: AgencyId(get(row, "agency_id")?),
        participant_id: ParticipantId(get(row, "participant_id")?),
        kind: RequestKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        state: RequestState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        channel: Channel::parse(&channel).ok_or_else(|| corrupt("channel", &channel))?,
        requested_at: time(row, "requested_at")?,
        due_at: time(row, "due_at")?,
        done_at: optional_time(row, "done_at")?,
        handled_by: get::<Option<i64>>(row, "handled_by")?.map(AccountId),
        identity_check: get(row, "identity_check")?,
        refusal_reason: get(row, "refusal_reason")?,
        expires_at: optional_time(row, "expires_at")?,
        has_file: get::<i64>(row, "has_file")? != 0,
    })
}

const REQUEST_COLUMNS: &str = "id, agency_id, participant_id, kind, state, channel, requested_at, due_at, done_at, handled_by, identity_check, refusal_reason, expires_at, \
     CASE WHEN file IS NULL THEN 0 ELSE 1 END AS has_file";

fn recipient_row(row: &AnyRow) -> StoreResult<Recipient> {
    let kind: String = get(row, "kind")?;
    Ok(Recipient {
        id: get(row, "id")?,
        agency_id: AgencyId(get(row, "agency_id")?),
        name: json(row, "name")?,
        kind: RecipientKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        country: get(row, "country")?,
        purpose: json(row, "purpose")?,
        data: json(row, "data")?,
    })
}

impl SqlStore {
    /// Runs `work` in a write transaction with the audit entry written first: an action
    /// whose entry cannot be written does not happen.
    async fn audited<T>(
        &self,
        audit: &AuditDraft,
        work: impl for<'t> FnOnce(
            &'t mut Tx<'static>,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = StoreResult<T>> + Send + 't>,
        > + Send,
    ) -> StoreResult<T> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        append_audit(&mut tx, audit, Utc::now()).await?;
        let out = work(&mut tx).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(out)
    }
}

#[async_trait]
impl PrivacyStore for SqlStore {
    async fn agency_ids(&self) -> StoreResult<Vec<AgencyId>> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM agencies ORDER BY id")
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        Ok(ids.into_iter().map(AgencyId).collect())
    }

    async fn person(&self, id: ParticipantId) -> StoreResult<Option<Person>> {
        self.by_id("participants", PERSON_COLUMNS, id.0, person_row)
            .await
    }

    async fn person_by_email(&self, agency: AgencyId, email: &str) -> StoreResult<Option<Person>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM participants WHERE agency_id = $1 AND email = $2"
        );
        self.one(&sql, |q| q.bind(agency.0).bind(email.trim().to_lowercase()))
            .await?
            .map(|r| person_row(&r))
            .transpose()
    }

    async fn consents(&self, participant: ParticipantId) -> StoreResult<Vec<Consent>> {
        let rows = sqlx::query(
            "SELECT purpose, version, given, changed_at FROM consents WHERE participant_id = $1",
        )
        .bind(participant.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        let mut out = Vec::new();
        for row in &rows {
            let purpose: String = get(row, "purpose")?;
            let Some(purpose) = ConsentPurpose::parse(&purpose) else {
                continue;
            };
            out.push(Consent {
                purpose,
                version: get(row, "version")?,
                given: get::<i64>(row, "given")? != 0,
                changed_at: time(row, "changed_at")?,
            });
        }
        out.sort_by_key(|c| c.purpose);
        Ok(out)
    }

    async fn set_consents(
        &self,
        participant: ParticipantId,
        choices: &[(ConsentPurpose, bool)],
        version: &str,
        at: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> StoreResult<Vec<Consent>> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        append_audit(&mut tx, audit, at).await?;
        record_consents(&mut tx, participant, choices, version, at.timestamp()).await?;
        tx.commit().await.map_err(backend_error)?;
        self.consents(participant).await
    }

    async fn contactable(
        &self,
        participants: &[ParticipantId],
    ) -> StoreResult<HashSet<ParticipantId>> {
        let mut out = HashSet::new();
        for chunk in participants.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT c.participant_id FROM consents c JOIN participants p ON p.id = c.participant_id \
                 WHERE c.purpose = 'contact' AND c.given = 1 AND p.erased_at IS NULL AND c.participant_id IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query_scalar::<_, i64>(&sql);
            for p in chunk {
                q = q.bind(p.0);
            }
            for id in q.fetch_all(&self.read).await.map_err(backend_error)? {
                out.insert(ParticipantId(id));
            }
        }
        Ok(out)
    }
    async fn personal_data(&self, person: &Person) -> StoreResult<PersonalData> {
        walk::personal_data(self, person).await
    }

    async fn erase(
        &self,
        person: &Person,
        reason: &str,
        email_hash: &str,
        at: DateTime<Utc>,
        audit: &AuditDraft,
    ) -> StoreResult<Option<ErasureOutcome>> {
        walk::erase(self, person, reason, email_hash, at, audit).await
    }

    async fn privacy_settings(
        &self,
        agency: AgencyId,
        new_key: &str,
    ) -> StoreResult<(String, i64)> {
        sqlx::query(
            "INSERT INTO privacy_settings (agency_id, retention_days, hash_key) VALUES ($1, $2, $3) ON CONFLICT (agency_id) DO NOTHING",
        )
        .bind(agency.0)
        .bind(DEFAULT_RETENTION_DAYS)
        .bind(new_key)
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        let row = sqlx::query(
            "SELECT hash_key, retention_days FROM privacy_settings WHERE agency_id = $1",
        )
        .bind(agency.0)
        .fetch_one(&self.write)
        .await
        .map_err(backend_error)?;
        Ok((get(&row, "hash_key")?, get(&row, "retention_days")?))
    }

    async fn do_not_contact(&self, agency: AgencyId, email_hash: &str) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT since FROM do_not_contact WHERE agency_id = $1 AND email_hash = $2",
        )
        .bind(agency.0)
        .bind(email_hash)
        .fetch_optional(&self.read)
        .await
        .map_err(backend_error)?;
        Ok(found.is_some())
    }

    async fn retention(&self, agency: AgencyId) -> StoreResult<Retention> {
        let days = self.retention_days(agency).await?;
        let rows = sqlx::query(
            "SELECT id, slug, title, ends_at, retention_days FROM events WHERE agency_id = $1 ORDER BY starts_at DESC, id",
        )
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        let events = rows
            .iter()
            .map(|r| {
                Ok(EventRetention {
                    event_id: EventId(get(r, "id")?),
                    slug: get(r, "slug")?,
                    title: json(r, "title")?,
                    ends_at: time(r, "ends_at")?,
                    days: get(r, "retention_days")?,
                })
            })
            .collect::<StoreResult<_>>()?;
        Ok(Retention { days, events })
    }

    async fn set_retention(
        &self,
        agency: AgencyId,
        days: i64,
        events: &[(EventId, Option<i64>)],
        audit: &AuditDraft,
    ) -> StoreResult<()> {
        let events = events.to_vec();
        self.audited(audit, move |tx| {
            Box::pin(async move {
                sqlx::query("UPDATE privacy_settings SET retention_days = $1 WHERE agency_id = $2")
                    .bind(days)
                    .bind(agency.0)
                    .execute(&mut **tx)
                    .await
                    .map_err(backend_error)?;
                for (event, days) in events {
                    sqlx::query(
                        "UPDATE events SET retention_days = $1 WHERE id = $2 AND agency_id = $3",
                    )
                    .bind(days)
                    .bind(event.0)
                    .bind(agency.0)
                    .execute(&mut **tx)
                    .await
                    .map_err(backend_error)?;
                }
                Ok(())
            })
        })
        .await
    }

    async fn retention_due(
        &self,
        agency: AgencyId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ParticipantId>> {
        Ok(self
            .past_retention(agency, now, false)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect())
    }

    async fn retention_held(
        &self,
        agency: AgencyId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Person>> {
        self.past_retention(agency, now, true).await
    }

    async fn claim_sweep(&self, agency: AgencyId, day: &str) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE privacy_settings SET swept_on = $1 WHERE agency_id = $2 AND (swept_on IS NULL OR swept_on <> $1)",
        )
        .bind(day)
        .bind(agency.0)
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(done.rows_affected() == 1)
    }

    async fn create_request(
        &self,
        request: &NewRequest,
        audit: &AuditDraft,
    ) -> StoreResult<PrivacyRequest> {
        let r = request.clone();
        let id = self
            .audited(audit, move |tx| {
                Box::pin(async move {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO privacy_requests (agency_id, participant_id, kind, state, channel, requested_at, due_at, confirm_hash, handled_by, identity_check) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    )
                    .bind(r.agency_id.0)
                    .bind(r.participant_id.0)
                    .bind(r.kind.code())
                    .bind(r.state.code())
                    .bind(r.channel.code())
                    .bind(r.at.timestamp())
                    .bind((r.at + chrono::Duration::days(DUE_DAYS)).timestamp())
                    .bind(r.confirm_hash.clone())
                    .bind(r.handled_by.map(|a| a.0))
                    .bind(r.identity_check.clone())
                    .fetch_one(&mut **tx)
                    .await
                    .map_err(backend_error)?;
                    Ok(id)
                })
            })
            .await?;
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM privacy_requests WHERE id = $1");
        sqlx::query(&sql)
            .bind(id)
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)
            .and_then(|r| request_row(&r))
    }

    async fn request(&self, id: i64) -> StoreResult<Option<PrivacyRequest>> {
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM privacy_requests WHERE id = $1");
        self.one(&sql, |q| q.bind(id))
            .await?
            .map(|r| request_row(&r))
            .transpose()
    }

    async fn request_by_confirmation(&self, hash: &str) -> StoreResult<Option<PrivacyRequest>> {
        let sql = format!("SELECT {REQUEST_COLUMNS} FROM privacy_requests WHERE confirm_hash = $1");
        self.one(&sql, |q| q.bind(hash.to_string()))
            .await?
            .map(|r| request_row(&r))
            .transpose()
    }

    async fn requests(&self, agency: AgencyId, limit: i64) -> StoreResult<Vec<PrivacyRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM privacy_requests WHERE agency_id = $1 ORDER BY requested_at DESC, id DESC LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(agency.0)
            .bind(limit)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        rows.iter().map(request_row).collect()
    }

    async fn participant_requests(
        &self,
        participant: ParticipantId,
    ) -> StoreResult<Vec<PrivacyRequest>> {
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM privacy_requests WHERE participant_id = $1 ORDER BY requested_at DESC, id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(participant.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        rows.iter().map(request_row).collect()
    }

    async fn finish_request(&self, id: i64, outcome: &RequestOutcome) -> StoreResult<()> {
        let (file, expires) = match &outcome.file {
            Some((file, expires)) => (Some(file.clone()), Some(expires.timestamp())),
            None => (None, None),
        };
        let done = sqlx::query(
            "UPDATE privacy_requests SET state = $1, done_at = $2, handled_by = COALESCE($3, handled_by), refusal_reason = $4, \
             file = $5, expires_at = $6, confirm_hash = NULL WHERE id = $7",
        )
        .bind(outcome.state.code())
        .bind(outcome.at.timestamp())
        .bind(outcome.handled_by.map(|a| a.0))
        .bind(outcome.refusal_reason.clone())
        .bind(file)
        .bind(expires)
        .bind(id)
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn export_file(&self, id: i64) -> StoreResult<Option<String>> {
        let file: Option<Option<String>> =
            sqlx::query_scalar("SELECT file FROM privacy_requests WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.read)
                .await
                .map_err(backend_error)?;
        Ok(file.flatten())
    }

    async fn recipients(&self, agency: AgencyId) -> StoreResult<Vec<Recipient>> {
        let rows = sqlx::query(
            "SELECT id, agency_id, name, kind, country, purpose, data FROM recipients WHERE agency_id = $1 ORDER BY kind, id",
        )
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter().map(recipient_row).collect()
    }

    async fn add_recipient(
        &self,
        agency: AgencyId,
        draft: &RecipientDraft,
        audit: &AuditDraft,
    ) -> StoreResult<Recipient> {
        let (name, purpose, data) = (
            to_json(&draft.name)?,
            to_json(&draft.purpose)?,
            to_json(&draft.data)?,
        );
        let (kind, country) = (draft.kind.code(), draft.country.clone());
        let id = self
            .audited(audit, move |tx| {
                Box::pin(async move {
                    sqlx::query_scalar::<_, i64>(
                        "INSERT INTO recipients (agency_id, name, kind, country, purpose, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(agency.0)
                    .bind(name)
                    .bind(kind)
                    .bind(country)
                    .bind(purpose)
                    .bind(data)
                    .bind(crate::now())
                    .fetch_one(&mut **tx)
                    .await
                    .map_err(backend_error)
                })
            })
            .await?;
        Ok(Recipient {
            id,
            agency_id: agency,
            name: draft.name.clone(),
            kind: draft.kind,
            country: draft.country.clone(),
            purpose: draft.purpose.clone(),
            data: draft.data.clone(),
        })
    }

    async fn remove_recipient(
        &self,
        agency: AgencyId,
        id: i64,
        audit: &AuditDraft,
    ) -> StoreResult<()> {
        self.audited(audit, move |tx| {
            Box::pin(async move {
                let done = sqlx::query("DELETE FROM recipients WHERE id = $1 AND agency_id = $2")
                    .bind(id)
                    .bind(agency.0)
                    .execute(&mut **tx)
                    .await
                    .map_err(backend_error)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            })
        })
        .await
    }
    async fn audit(&self, draft: &AuditDraft, at: DateTime<Utc>) -> StoreResult<AuditEntry> {
        self.audit_append(draft, at).await
    }

    async fn audit_entries(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        self.audit_after(after, limit).await
    }

    async fn audit_recent(&self, agency: AgencyId, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        self.audit_latest(agency, limit).await
    }

    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        self.audit_last().await
    }
}
