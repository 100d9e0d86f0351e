//! The storage port: everything Roadshow keeps, one trait per capability, implemented
//! together over SQLite and PostgreSQL by the `store` crate. Each method is one
//! transaction, so a method that returned `Ok` has its effect on disk.

use crate::accounts::AccountStore;
use crate::broadcast::BroadcastStore;
use crate::departments::DepartmentStore;
use crate::directory::DirectoryStore;
use crate::events::EventStore;
use crate::leads::LeadStore;
use crate::limits::LimitStore;
use crate::live::LiveStore;
use crate::materials::MaterialStore;
use crate::meetings::MeetingStore;
use crate::outbox::OutboxStore;
use crate::polls::PollStore;
use crate::privacy::PrivacyStore;
use crate::questions::QuestionStore;
use crate::registrations::RegistrationStore;
use crate::reports::ReportStore;
use crate::signals::SignalStore;
use crate::surveys::SurveyStore;
use crate::webhooks::WebhookStore;
use async_trait::async_trait;

/// The cause of a failure, kept for the log.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Why a store operation failed. Codes are stable and translated by the interface.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Not there, or gone (a row another writer deleted meanwhile counts as gone).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was hit; the code says which (`already_registered`, `slug_taken`,
    /// `email_taken`), or `stale` for a write based on an old version.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The database was busy (a lock held too long, a serialisation failure, a deadlock):
    /// the same call may succeed if tried again.
    #[error("database busy")]
    Busy(#[source] Cause),
    /// The database failed; the cause is for the log, never for the user.
    #[error("storage failure")]
    Backend(#[source] Cause),
}

impl StoreError {
    /// Whether trying the same call again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Busy(_))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything Roadshow keeps.
#[async_trait]
pub trait Store:
    AccountStore
    + BroadcastStore
    + DepartmentStore
    + DirectoryStore
    + EventStore
    + LeadStore
    + LimitStore
    + LiveStore
    + MaterialStore
    + MeetingStore
    + OutboxStore
    + PollStore
    + PrivacyStore
    + QuestionStore
    + RegistrationStore
    + ReportStore
    + SignalStore
    + SurveyStore
    + WebhookStore
    + Send
    + Sync
{
    /// `sqlite` or `postgres`, for logs and the health check.
    fn backend(&self) -> &'static str;
    /// Whether the database takes one write at a time (SQLite): then writes that arrive
    /// together are best grouped into one commit.
    fn single_writer(&self) -> bool;
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;
    /// The connection pools: (name, connections open, of which idle).
    fn pools(&self) -> Vec<(&'static str, u32, u32)>;
    /// What readiness and the metrics read of the database: its schema and its outbox.
    async fn facts(&self) -> StoreResult<Facts>;
}

/// The state of the database a readiness check and the metrics report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The newest migration applied.
    pub schema_applied: i64,
    /// The newest migration this build knows.
    pub schema_known: i64,
    /// Emails waiting for delivery (pending or being sent).
    pub emails_waiting: i64,
    /// When the oldest of them was queued.
    pub oldest_waiting: Option<chrono::DateTime<chrono::Utc>>,
    /// Emails given up on.
    pub emails_failed: i64,
}
