//! Webhooks: the organiser's endpoints, their delivery log, and the worker that delivers.
//!
//! Messages are written by the store with the change they tell of; the worker of every
//! process polls for due ones, claims each (so two processes never send the same attempt)
//! and posts it, signed, through a client that reaches only public addresses (unless the
//! operator allows private ones) and follows no redirect.

use crate::access::Guards;
use crate::fetch;
use crate::privacy::{actor, draft};
use crate::{App, AppError, AppResult, Principal};
use chrono::{Duration, Utc};
use futures_util::StreamExt;
use rand::{Rng, RngCore};
use roadshow_domain::ids::{DeliveryId, WebhookId};
use roadshow_domain::paging::{Page, PageRequest};
use roadshow_domain::webhooks::*;
use serde_json::json;
use std::time::Duration as StdDuration;

/// How long a claim on a delivery lasts: far longer than one attempt (10 seconds at
/// most), so a live process always finishes first.
const CLAIM: Duration = Duration::minutes(2);
/// Deliveries sent at once by one process.
const PARALLEL: usize = 8;
/// How often a process looks for due deliveries.
const POLL: StdDuration = StdDuration::from_secs(1);

impl App {
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks { app: self }
    }
}

pub struct Webhooks<'a> {
    app: &'a App,
}

impl Webhooks<'_> {
    /// The organiser's endpoints, oldest first.
    pub async fn list(&self, principal: &Principal) -> AppResult<Vec<Endpoint>> {
        let agency = principal.as_organiser()?.agency_id;
        Ok(self.app.store.webhooks(agency).await?)
    }

    pub async fn get(&self, principal: &Principal, id: i64) -> AppResult<Endpoint> {
        let agency = principal.as_organiser()?.agency_id;
        self.app
            .store
            .webhook(agency, WebhookId(id))
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Registers an endpoint with a new secret. An address on this machine or a private
    /// network is refused at once when written as an address; names are checked at each
    /// delivery, after they are resolved.
    pub async fn add(&self, principal: &Principal, input: &EndpointInput) -> AppResult<Endpoint> {
        let agency = principal.as_organiser()?.agency_id;
        let d = input.parse()?;
        let url =
            reqwest::Url::parse(&d.url).map_err(|_| AppError::invalid("url", "invalid_url"))?;
        fetch::allowed_url(&url, self.app.config.allow_private_webhooks)
            .map_err(|code| AppError::invalid("url", code))?;
        let mut bytes = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        // An endpoint receives participants' ids: the audit log records who added it.
        self.app
            .privacy()
            .audit(&draft(
                Some(agency),
                actor(principal),
                "webhook_added",
                format!("agency:{agency}"),
                json!({"url": d.url, "events": d.events.iter().map(|e| e.code()).collect::<Vec<_>>()}),
            ))
            .await?;
        let endpoint = self
            .app
            .store
            .add_webhook(agency, &d, &secret_from(&bytes))
            .await
            .map_err(|e| match e {
                roadshow_domain::store::StoreError::Conflict(_) => {
                    AppError::Invalid(vec![roadshow_domain::validation::FieldError::limited(
                        "url",
                        "too_many",
                        ENDPOINTS_MAX,
                    )])
                }
                other => other.into(),
            })?;
        Ok(endpoint)
    }

    /// Removes an endpoint and its delivery log.
    pub async fn remove(&self, principal: &Principal, id: i64) -> AppResult<()> {
        let agency = principal.as_organiser()?.agency_id;
        self.app
            .store
            .webhook(agency, WebhookId(id))
            .await?
            .ok_or(AppError::NotFound)?;
        self.app
            .privacy()
            .audit(&draft(
                Some(agency),
                actor(principal),
                "webhook_removed",
                format!("webhook:{id}"),
                json!({}),
            ))
            .await?;
        Ok(self.app.store.remove_webhook(agency, WebhookId(id)).await?)
    }

    /// Turns a disabled endpoint on again: the messages that waited go out.
    pub async fn enable(&self, principal: &Principal, id: i64) -> AppResult<Endpoint> {
        let agency = principal.as_organiser()?.agency_id;
        Ok(self.app.store.enable_webhook(agency, WebhookId(id)).await?)
    }

    /// A page of an endpoint's delivery log, newest first.
    pub async fn deliveries(
        &self,
        principal: &Principal,
        id: i64,
        page: PageRequest,
    ) -> AppResult<Page<Delivery>> {
        let agency = principal.as_organiser()?.agency_id;
        self.get(principal, id).await?;
        let fetch = i64::try_from(page.fetch()).unwrap_or(i64::MAX);
        let rows = self
            .app
            .store
            .deliveries(agency, WebhookId(id), page.after.map(DeliveryId), fetch)
            .await?;
        Ok(page.split(rows, |d| d.id.0))
    }

    /// Sends a message again, with the same id and body, as soon as the worker runs.
    pub async fn resend(&self, principal: &Principal, delivery: i64) -> AppResult<Delivery> {
        let agency = principal.as_organiser()?.agency_id;
        Ok(self
            .app
            .store
            .resend_delivery(agency, DeliveryId(delivery), Utc::now())
            .await?)
    }

    /// Delivers due messages until the process ends; removes the log's old entries hourly.
    pub async fn run(&self) {
        let client = match fetch::webhook_client(self.app.config.allow_private_webhooks) {
            Ok(c) => c,
            Err(err) => {
                tracing::error!(error = %err, "webhooks are not delivered");
                return;
            }
        };
        let mut purged_at = Utc::now() - Duration::hours(2);
        loop {
            if let Err(err) = self.deliver_due(&client).await {
                tracing::warn!(error = %err, "webhook delivery round failed");
            }
            if Utc::now() - purged_at > Duration::hours(1) {
                purged_at = Utc::now();
                match self
                    .app
                    .store
                    .purge_deliveries(purged_at - Duration::days(LOG_DAYS))
                    .await
                {
                    Ok(n) if n > 0 => tracing::info!(removed = n, "old webhook deliveries removed"),
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "webhook log not purged"),
                }
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// One round: every due delivery, up to [`PARALLEL`] at a time. Returns how many
    /// attempts were made.
    pub async fn deliver_due(&self, client: &reqwest::Client) -> AppResult<usize> {
        let mut made = 0;
        loop {
            let due = self.app.store.due_deliveries(Utc::now(), 64).await?;
            if due.is_empty() {
                return Ok(made);
            }
            let results: Vec<AppResult<bool>> = futures_util::stream::iter(due)
                .map(|d| self.attempt(client, d))
                .buffer_unordered(PARALLEL)
                .collect()
                .await;
            let mut progressed = false;
            for r in results {
                if r? {
                    made += 1;
                    progressed = true;
                }
            }
            if !progressed {
                return Ok(made);
            }
        }
    }

    /// Claims and sends one delivery; false when another process had it.
    async fn attempt(&self, client: &reqwest::Client, due: DueDelivery) -> AppResult<bool> {
        let now = Utc::now();
        let store = &self.app.store;
        if !store
            .claim_delivery(due.delivery.id, now, now + CLAIM)
            .await?
        {
            return Ok(false);
        }
        let started = std::time::Instant::now();
        let (status, error) = post(client, &due, self.app.config.allow_private_webhooks).await;
        metrics::histogram!("roadshow_webhook_delivery_seconds")
            .record(started.elapsed().as_secs_f64());
        let jitter: f64 = rand::thread_rng().r#gen();
        let attempt = judge(Utc::now(), status, error, due.delivery.attempts, jitter);
        metrics::counter!("roadshow_webhook_attempts_total", "result" => match attempt.verdict {
            Verdict::Delivered => "delivered",
            Verdict::Retry(_) => "retry",
            Verdict::GiveUp => "failed",
            Verdict::Gone => "gone",
        })
        .increment(1);
        store.record_attempt(due.delivery.id, &attempt).await?;
        Ok(true)
    }
}

/// Posts one message with the Standard Webhooks headers. Returns the status, or the
/// reason no answer came.
async fn post(
    client: &reqwest::Client,
    due: &DueDelivery,
    allow_private: bool,
) -> (Option<u16>, Option<String>) {
    let Ok(url) = reqwest::Url::parse(&due.url) else {
        return (None, Some("invalid_url".into()));
    };
    if let Err(code) = fetch::allowed_url(&url, allow_private) {
        return (None, Some(code.into()));
    }
    let timestamp = Utc::now().timestamp();
    let d = &due.delivery;
    let Ok(signature) = sign(&due.secret, &d.message_id, timestamp, &d.payload) else {
        return (None, Some("bad_secret".into()));
    };
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &d.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(d.payload.clone())
        .send()
        .await;
    match sent {
        Ok(response) => (Some(response.status().as_u16()), None),
        Err(err) => (None, Some(fetch::failure_code(&err).to_string())),
    }
}
