//! Emails: what Roadshow sends and the port through which it is delivered.

use async_trait::async_trait;
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
