//! The outbox: every email Roadshow sends is kept here first (in the transaction of what
//! caused it), then delivered through the [`Mailer`] port when SMTP is configured.

use crate::ids::{AgencyId, EmailId};
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A file attached to an email (e.g. the agenda as `text/calendar`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: String,
}

/// An email to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailMessage {
    pub to: String,
    pub subject: String,
    pub body_text: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// Where an email stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailStatus {
    /// Waiting for (another) delivery attempt.
    Pending,
    /// Claimed by one process for delivery, so that no other sends it too.
    Sending,
    /// Accepted by the SMTP server.
    Sent,
    /// Kept in the outbox because no SMTP server is configured.
    Held,
    /// Delivery failed too often; shown to organisers with the error.
    Failed,
}

impl EmailStatus {
    pub fn code(self) -> &'static str {
        match self {
            EmailStatus::Pending => "pending",
            EmailStatus::Sending => "sending",
            EmailStatus::Sent => "sent",
            EmailStatus::Held => "held",
            EmailStatus::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> EmailStatus {
        match code {
            "sent" => EmailStatus::Sent,
            "sending" => EmailStatus::Sending,
            "held" => EmailStatus::Held,
            "failed" => EmailStatus::Failed,
            _ => EmailStatus::Pending,
        }
    }
}

/// The delivery failed; the text says why, for the outbox page.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct DeliveryError(pub String);

/// Delivers emails (SMTP in production).
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn deliver(&self, message: &EmailMessage) -> Result<(), DeliveryError>;
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxEmail {
    pub id: EmailId,
    pub message: EmailMessage,
    pub status: EmailStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Where emails wait for delivery.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    async fn enqueue_email(
        &self,
        agency: Option<AgencyId>,
        message: &EmailMessage,
        status: EmailStatus,
    ) -> StoreResult<EmailId>;
    /// The emails of an agency, newest first: the newest, or those older than `before`.
    async fn outbox(
        &self,
        agency: AgencyId,
        before: Option<EmailId>,
        limit: i64,
    ) -> StoreResult<Vec<OutboxEmail>>;
    /// Emails waiting for delivery at `now`, oldest first: pending ones, and those whose
    /// claim has run out (the process that claimed them died while sending).
    async fn emails_to_deliver(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<OutboxEmail>>;
    /// Claims an email for delivery by this process until `until`; `false` if another
    /// process holds a claim that has not run out, or it is no longer waiting. Two live
    /// processes never hold the same email: the claim is one conditional update.
    async fn claim_email(
        &self,
        id: EmailId,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Records a delivery attempt: sent, or failed with the error (pending again unless
    /// `give_up`).
    async fn record_delivery(
        &self,
        id: EmailId,
        outcome: Result<(), String>,
        give_up: bool,
    ) -> StoreResult<()>;
}
