//! The outbox in the API (organisers).

use crate::AppState;
use crate::api::{Problem, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::paging::PageQuery;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use roadshow_domain::outbox as domain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an email stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EmailStatus {
    Pending,
    Sending,
    Sent,
    Held,
    Failed,
}

impl From<domain::EmailStatus> for EmailStatus {
    fn from(s: domain::EmailStatus) -> Self {
        match s {
            domain::EmailStatus::Pending => EmailStatus::Pending,
            domain::EmailStatus::Sending => EmailStatus::Sending,
            domain::EmailStatus::Sent => EmailStatus::Sent,
            domain::EmailStatus::Held => EmailStatus::Held,
            domain::EmailStatus::Failed => EmailStatus::Failed,
        }
    }
}

/// A file sent with an email (an .ics invitation).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: String,
}

/// An email's content.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EmailMessage {
    #[schema(format = Email)]
    pub to: String,
    pub subject: String,
    pub body_text: String,
    pub attachments: Vec<Attachment>,
}

/// An email in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Email {
    #[schema(schema_with = crate::schema::id)]
    pub id: i64,
    pub message: EmailMessage,
    pub status: EmailStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<&domain::OutboxEmail> for Email {
    fn from(e: &domain::OutboxEmail) -> Self {
        Email {
            id: e.id.0,
            message: EmailMessage {
                to: e.message.to.clone(),
                subject: e.message.subject.clone(),
                body_text: e.message.body_text.clone(),
                attachments: e
                    .message
                    .attachments
                    .iter()
                    .map(|a| Attachment {
                        filename: a.filename.clone(),
                        content_type: a.content_type.clone(),
                        content: a.content.clone(),
                    })
                    .collect(),
            },
            status: e.status.into(),
            attempts: e.attempts,
            last_error: e.last_error.clone(),
            created_at: e.created_at,
            sent_at: e.sent_at,
        }
    }
}

/// The outbox: whether SMTP is set, and a page of the emails, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Outbox {
    /// Whether emails go out through SMTP (else they are held here).
    pub smtp: bool,
    pub emails: Vec<Email>,
    /// The `after` of the next (older) page; `null` on the last page.
    #[schema(schema_with = crate::schema::optional_id)]
    pub next_after: Option<i64>,
}

/// The agency's emails, a page at a time newest first (100 by default; follow
/// `next_after` for older ones) (organiser).
#[utoipa::path(get, path = "/api/v1/outbox", operation_id = "outbox", tag = "outbox",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = Outbox),
        (status = 422, description = "A page size or cursor that cannot be used, named", body = Problem, content_type = "application/problem+json")))]
pub async fn outbox(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let listed = state
        .app
        .outbox()
        .outbox(&ctx.principal, page.read()?)
        .await?;
    Ok(ok(Outbox {
        smtp: state.app.outbox().smtp_configured(),
        emails: listed.items.iter().map(Email::from).collect(),
        next_after: listed.next,
    }))
}
