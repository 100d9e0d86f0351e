//! Live delivery: the per-event log of live events that SSE followers read (and replay
//! from with Last-Event-ID), the state of an event's live exchange, and the session on now.

use crate::ids::{EventId, SessionId};
use crate::polls::Poll;
use crate::questions::Question;
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Who may receive a live event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Everyone following the event.
    Public,
    /// Staff of the agency only (questions waiting for moderation).
    Staff,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Staff => "staff",
        }
    }
}

/// The kinds of live events, as named in the SSE stream's `event:` field.
pub mod live_kind {
    pub const QUESTION_SUBMITTED: &str = "question_submitted";
    pub const QUESTION_APPROVED: &str = "question_approved";
    pub const QUESTION_UPDATED: &str = "question_updated";
    pub const QUESTION_REMOVED: &str = "question_removed";
    pub const QUESTION_VOTED: &str = "question_voted";
    pub const QUESTION_ANSWERED: &str = "question_answered";
    pub const QUESTION_PINNED: &str = "question_pinned";
    pub const POLL_OPENED: &str = "poll_opened";
    pub const POLL_CLOSED: &str = "poll_closed";
    pub const POLL_RESULTS: &str = "poll_results";
    pub const SESSION_CHANGED: &str = "session_changed";
}

/// A live event to append, with its JSON data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLiveEvent {
    pub kind: &'static str,
    pub audience: Audience,
    pub data: String,
}

/// A live event as kept: `seq` counts up per event and is the SSE `id:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    pub event_id: EventId,
    pub seq: i64,
    pub kind: String,
    pub audience: Audience,
    pub data: String,
}

/// The live events a change appends, made from the changed question once the store knows
/// its id and counts. Called inside the store's transaction; must not block.
pub type QuestionLive<'a> = &'a (dyn Fn(&Question) -> Vec<NewLiveEvent> + Send + Sync);
/// The same for polls.
pub type PollLive<'a> = &'a (dyn Fn(&Poll) -> Vec<NewLiveEvent> + Send + Sync);

/// The state of an event's live exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveState {
    /// The number of the newest live event.
    pub seq: i64,
    /// The session the moderator marked as on now.
    pub current_session: Option<SessionId>,
    /// Working days after the event by which written answers are due.
    pub answer_working_days: u32,
    pub faq_published_at: Option<DateTime<Utc>>,
}

impl Default for LiveState {
    fn default() -> Self {
        LiveState {
            seq: 0,
            current_session: None,
            answer_working_days: 5,
            faq_published_at: None,
        }
    }
}

/// The per-event live log and live state.
#[async_trait]
pub trait LiveStore: Send + Sync {
    async fn live_state(&self, event: EventId) -> StoreResult<LiveState>;
    /// Live events after `after`, oldest first, at most `limit`.
    async fn live_events(
        &self,
        event: EventId,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<LiveEvent>>;
    /// Marks the session on now, with its live event.
    async fn set_current_session(
        &self,
        event: EventId,
        session: Option<SessionId>,
        live: NewLiveEvent,
    ) -> StoreResult<LiveState>;
}
