//! The outbox of emails.

use crate::rows::{get, json, optional_time, time, to_json};
use crate::{SqlStore, backend_error, now};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use roadshow_domain::ids::*;
use roadshow_domain::outbox::*;
use roadshow_domain::store::StoreResult;
use sqlx::any::AnyRow;

const OUTBOX_COLUMNS: &str = "id, recipient, subject, body_text, attachments, status, attempts, last_error, created_at, sent_at";

fn outbox_row(row: &AnyRow) -> StoreResult<OutboxEmail> {
    let status: String = get(row, "status")?;
    Ok(OutboxEmail {
        id: EmailId(get(row, "id")?),
        message: EmailMessage {
            to: get(row, "recipient")?,
            subject: get(row, "subject")?,
            body_text: get(row, "body_text")?,
            attachments: json(row, "attachments")?,
        },
        status: EmailStatus::parse(&status),
        attempts: get(row, "attempts")?,
        last_error: get(row, "last_error")?,
        created_at: time(row, "created_at")?,
        sent_at: optional_time(row, "sent_at")?,
    })
}

#[async_trait]
impl OutboxStore for SqlStore {
    async fn enqueue_email(
        &self,
        agency: Option<AgencyId>,
        message: &EmailMessage,
        status: EmailStatus,
    ) -> StoreResult<EmailId> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let id = insert_email(&mut tx, agency, message, status).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(id)
    }

    async fn outbox(
        &self,
        agency: AgencyId,
        before: Option<EmailId>,
        limit: i64,
    ) -> StoreResult<Vec<OutboxEmail>> {
        sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE agency_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
        ))
        .bind(agency.0)
        .bind(before.map_or(i64::MAX, |b| b.0))
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(outbox_row)
        .collect()
    }

    async fn emails_to_deliver(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<OutboxEmail>> {
        sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status = 'pending' OR (status = 'sending' AND claimed_until < $1) ORDER BY id LIMIT $2"
        ))
        .bind(now.timestamp())
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(outbox_row)
        .collect()
    }

    async fn claim_email(
        &self,
        id: EmailId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let claimed = sqlx::query(
            "UPDATE outbox SET status = 'sending', claimed_until = $1 WHERE id = $2 AND (status = 'pending' OR (status = 'sending' AND claimed_until < $3))",
        )
        .bind(until.timestamp())
        .bind(id.0)
        .bind(now.timestamp())
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(claimed.rows_affected() == 1)
    }

    async fn record_delivery(
        &self,
        id: EmailId,
        outcome: Result<(), String>,
        give_up: bool,
    ) -> StoreResult<()> {
        let query = match outcome {
            Ok(()) => sqlx::query("UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = $1, claimed_until = NULL WHERE id = $2")
                .bind(now())
                .bind(id.0),
            Err(error) => sqlx::query("UPDATE outbox SET status = $1, attempts = attempts + 1, last_error = $2, claimed_until = NULL WHERE id = $3")
                .bind(if give_up { "failed" } else { "pending" })
                .bind(error)
                .bind(id.0),
        };
        query.execute(&self.write).await.map_err(backend_error)?;
        Ok(())
    }
}

pub(crate) async fn insert_email(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    agency: Option<AgencyId>,
    message: &EmailMessage,
    status: EmailStatus,
) -> StoreResult<EmailId> {
    let id: i64 = sqlx::query_scalar("INSERT INTO outbox (agency_id, recipient, subject, body_text, attachments, status, attempts, last_error, created_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7, NULL) RETURNING id")
        .bind(agency.map(|a| a.0))
        .bind(&message.to)
        .bind(&message.subject)
        .bind(&message.body_text)
        .bind(to_json(&message.attachments)?)
        .bind(status.code())
        .bind(now())
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)?;
    Ok(EmailId(id))
}
