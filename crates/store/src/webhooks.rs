//! Webhook endpoints and their deliveries. [`enqueue`] is called by the stores of the
//! changes a message tells of, inside their transaction: a change is never saved without
//! its messages, nor a message without its change.

use crate::rows::{get, optional_time, time};
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rand::RngCore;
use roadshow_domain::ids::{AgencyId, DeliveryId, EventId, WebhookId};
use roadshow_domain::store::{StoreError, StoreResult};
use roadshow_domain::webhooks::*;
use sqlx::any::AnyRow;

const ENDPOINT_COLUMNS: &str = "id, agency_id, url, description, events, secret, enabled, disabled_reason, failing_since, last_success_at, created_at";
const DELIVERY_COLUMNS: &str = "d.id, d.endpoint_id, d.message_id, d.event_type, d.payload, d.state, d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at";

fn endpoint_row(row: &AnyRow) -> StoreResult<Endpoint> {
    let events: String = get(row, "events")?;
    let enabled: i64 = get(row, "enabled")?;
    let reason: Option<String> = get(row, "disabled_reason")?;
    Ok(Endpoint {
        id: WebhookId(get(row, "id")?),
        agency: AgencyId(get(row, "agency_id")?),
        url: get(row, "url")?,
        description: get(row, "description")?,
        events: events.split(',').filter_map(EventType::parse).collect(),
        secret: get(row, "secret")?,
        disabled: if enabled == 1 {
            None
        } else {
            Some(
                reason
                    .as_deref()
                    .and_then(DisabledReason::parse)
                    .unwrap_or(DisabledReason::Failures),
            )
        },
        failing_since: optional_time(row, "failing_since")?,
        last_success_at: optional_time(row, "last_success_at")?,
        created_at: time(row, "created_at")?,
    })
}

fn delivery_row(row: &AnyRow) -> StoreResult<Delivery> {
    let state: String = get(row, "state")?;
    Ok(Delivery {
        id: DeliveryId(get(row, "id")?),
        endpoint: WebhookId(get(row, "endpoint_id")?),
        message_id: get(row, "message_id")?,
        event_type: get(row, "event_type")?,
        payload: get(row, "payload")?,
        state: DeliveryState::parse(&state),
        attempts: get(row, "attempts")?,
        next_attempt_at: time(row, "next_attempt_at")?,
        last_attempt_at: optional_time(row, "last_attempt_at")?,
        last_status: get(row, "last_status")?,
        last_error: get(row, "last_error")?,
        created_at: time(row, "created_at")?,
        delivered_at: optional_time(row, "delivered_at")?,
    })
}

/// Whose endpoints a message goes to.
pub(crate) enum Audience {
    /// The agency that runs this event.
    Event(EventId),
    Agency(AgencyId),
}

/// Writes a message of type `kind` about `data` (ids) for every enabled endpoint of the
/// audience that subscribed to it. Events are stored comma-separated with a comma at each
/// end, so that one type never matches as part of another.
pub(crate) async fn enqueue(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    audience: Audience,
    kind: EventType,
    data: serde_json::Value,
) -> StoreResult<()> {
    let now = Utc::now();
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let body = payload(kind, now, &data);
    let (agency_sql, id) = match audience {
        Audience::Event(e) => ("(SELECT agency_id FROM events WHERE id = $6)", e.0),
        Audience::Agency(a) => ("$6", a.0),
    };
    sqlx::query(&format!(
        "INSERT INTO webhook_deliveries (endpoint_id, message_id, event_type, payload, state, attempts, next_attempt_at, created_at)
         SELECT id, $1, $2, $3, 'pending', 0, $4, $4 FROM webhook_endpoints
         WHERE enabled = 1 AND events LIKE $5 AND agency_id = {agency_sql}"
    ))
    .bind(message_id_from(&bytes))
    .bind(kind.code())
    .bind(body)
    .bind(now.timestamp())
    .bind(format!("%,{},%", kind.code()))
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(backend_error)?;
    Ok(())
}

#[async_trait]
impl WebhookStore for SqlStore {
    async fn add_webhook(
        &self,
        agency: AgencyId,
        draft: &EndpointDraft,
        secret: &str,
    ) -> StoreResult<Endpoint> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM webhook_endpoints WHERE agency_id = $1")
                .bind(agency.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(backend_error)?;
        if count >= ENDPOINTS_MAX as i64 {
            return Err(StoreError::Conflict("too_many_webhooks"));
        }
        let events: Vec<&str> = draft.events.iter().map(|e| e.code()).collect();
        let row = sqlx::query(&format!(
            "INSERT INTO webhook_endpoints (agency_id, url, description, events, secret, enabled, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING {ENDPOINT_COLUMNS}"
        ))
        .bind(agency.0)
        .bind(&draft.url)
        .bind(&draft.description)
        .bind(format!(",{},", events.join(",")))
        .bind(secret)
        .bind(Utc::now().timestamp())
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
        let endpoint = endpoint_row(&row)?;
        tx.commit().await.map_err(backend_error)?;
        Ok(endpoint)
    }

    async fn webhooks(&self, agency: AgencyId) -> StoreResult<Vec<Endpoint>> {
        sqlx::query(&format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE agency_id = $1 ORDER BY id"
        ))
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(endpoint_row)
        .collect()
    }

    async fn webhook(&self, agency: AgencyId, id: WebhookId) -> StoreResult<Option<Endpoint>> {
        sqlx::query(&format!(
            "SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE agency_id = $1 AND id = $2"
        ))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&self.read)
        .await
        .map_err(backend_error)?
        .as_ref()
        .map(endpoint_row)
        .transpose()
    }

    async fn remove_webhook(&self, agency: AgencyId, id: WebhookId) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        // Its log goes with it (SQLite enforces the cascade only with foreign keys on).
        sqlx::query("DELETE FROM webhook_deliveries WHERE endpoint_id IN (SELECT id FROM webhook_endpoints WHERE agency_id = $1 AND id = $2)")
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        let done = sqlx::query("DELETE FROM webhook_endpoints WHERE agency_id = $1 AND id = $2")
            .bind(agency.0)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(backend_error)?;
        Ok(())
    }

    async fn enable_webhook(&self, agency: AgencyId, id: WebhookId) -> StoreResult<Endpoint> {
        sqlx::query(&format!(
            "UPDATE webhook_endpoints SET enabled = 1, disabled_reason = NULL, failing_since = NULL WHERE agency_id = $1 AND id = $2 RETURNING {ENDPOINT_COLUMNS}"
        ))
        .bind(agency.0)
        .bind(id.0)
        .fetch_optional(&self.write)
        .await
        .map_err(backend_error)?
        .as_ref()
        .map(endpoint_row)
        .transpose()?
        .ok_or(StoreError::NotFound)
    }

    async fn deliveries(
        &self,
        agency: AgencyId,
        endpoint: WebhookId,
        before: Option<DeliveryId>,
        limit: i64,
    ) -> StoreResult<Vec<Delivery>> {
        sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
             WHERE w.agency_id = $1 AND d.endpoint_id = $2 AND d.id < $3 ORDER BY d.id DESC LIMIT $4"
        ))
        .bind(agency.0)
        .bind(endpoint.0)
        .bind(before.map_or(i64::MAX, |b| b.0))
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(delivery_row)
        .collect()
    }

    async fn resend_delivery(
        &self,
        agency: AgencyId,
        id: DeliveryId,
        now: DateTime<Utc>,
    ) -> StoreResult<Delivery> {
        // The retries start afresh; a delivery being sent right now is left to finish.
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = $1, claimed_until = NULL
             WHERE id = $2 AND state <> 'sending' AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE agency_id = $3)",
        )
        .bind(now.timestamp())
        .bind(id.0)
        .bind(agency.0)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
        let row = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.id = $1 AND w.agency_id = $2"
        ))
        .bind(id.0)
        .bind(agency.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend_error)?;
        let Some(row) = row else {
            return Err(StoreError::NotFound);
        };
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("being_sent"));
        }
        let delivery = delivery_row(&row)?;
        tx.commit().await.map_err(backend_error)?;
        Ok(delivery)
    }

    async fn due_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<DueDelivery>> {
        let rows = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS}, w.url, w.secret FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
             WHERE w.enabled = 1 AND ((d.state = 'pending' AND d.next_attempt_at <= $1) OR (d.state = 'sending' AND d.claimed_until < $1))
             ORDER BY d.next_attempt_at, d.id LIMIT $2"
        ))
        .bind(now.timestamp())
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter()
            .map(|row| {
                Ok(DueDelivery {
                    delivery: delivery_row(row)?,
                    url: get(row, "url")?,
                    secret: get(row, "secret")?,
                })
            })
            .collect()
    }

    async fn claim_delivery(
        &self,
        id: DeliveryId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let claimed = sqlx::query(
            "UPDATE webhook_deliveries SET state = 'sending', claimed_until = $1
             WHERE id = $2 AND ((state = 'pending' AND next_attempt_at <= $3) OR (state = 'sending' AND claimed_until < $3))",
        )
        .bind(until.timestamp())
        .bind(id.0)
        .bind(now.timestamp())
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(claimed.rows_affected() == 1)
    }

    async fn record_attempt(&self, id: DeliveryId, attempt: &Attempt) -> StoreResult<()> {
        let at = attempt.at.timestamp();
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let (state, next) = match &attempt.verdict {
            Verdict::Delivered => ("delivered", at),
            Verdict::Retry(next) => ("pending", next.timestamp()),
            Verdict::GiveUp | Verdict::Gone => ("failed", at),
        };
        let row = sqlx::query(
            "UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, next_attempt_at = $2, claimed_until = NULL,
                last_attempt_at = $3, last_status = $4, last_error = $5, delivered_at = $6
             WHERE id = $7 RETURNING endpoint_id, created_at",
        )
        .bind(state)
        .bind(next)
        .bind(at)
        .bind(attempt.status)
        .bind(attempt.error.as_deref())
        .bind(matches!(attempt.verdict, Verdict::Delivered).then_some(at))
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend_error)?;
        // Removed meanwhile with its endpoint: nothing to record.
        let Some(row) = row else {
            return Ok(());
        };
        let endpoint: i64 = get(&row, "endpoint_id")?;
        let written: i64 = get(&row, "created_at")?;
        let query = match attempt.verdict {
            Verdict::Delivered => sqlx::query(
                "UPDATE webhook_endpoints SET last_success_at = $1, failing_since = NULL WHERE id = $2",
            )
            .bind(at)
            .bind(endpoint),
            Verdict::Retry(_) => sqlx::query(
                "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $1) WHERE id = $2",
            )
            .bind(at)
            .bind(endpoint),
            Verdict::Gone => sqlx::query(
                "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = 'gone', failing_since = COALESCE(failing_since, $1) WHERE id = $2",
            )
            .bind(at)
            .bind(endpoint),
            // Nothing reached the endpoint since this message was written: a day of
            // failures in a row.
            Verdict::GiveUp => sqlx::query(
                "UPDATE webhook_endpoints SET enabled = CASE WHEN last_success_at IS NULL OR last_success_at < $1 THEN 0 ELSE enabled END,
                    disabled_reason = CASE WHEN last_success_at IS NULL OR last_success_at < $1 THEN 'failures' ELSE disabled_reason END,
                    failing_since = COALESCE(failing_since, $2)
                 WHERE id = $3",
            )
            .bind(written)
            .bind(at)
            .bind(endpoint),
        };
        query.execute(&mut *tx).await.map_err(backend_error)?;
        tx.commit().await.map_err(backend_error)?;
        Ok(())
    }

    async fn purge_deliveries(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM webhook_deliveries WHERE created_at < $1 AND state IN ('delivered', 'failed')",
        )
        .bind(before.timestamp())
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(done.rows_affected())
    }
}
