//! The live exchange on the wire: what each message of the live stream carries, and the
//! session on now.

use crate::polls::wire::Poll;
use crate::questions::wire::Question;
use crate::schema;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A question that left the public list (dismissed, or merged into another).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Removed {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::optional_id)]
    pub merged_into: Option<i64>,
}

/// A question's vote count as stored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Voted {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    pub votes: i64,
}

/// The pinned question, or null when none is.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Pinned {
    #[schema(schema_with = schema::optional_id)]
    pub id: Option<i64>,
}

/// The session on now, or null.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionChanged {
    #[schema(schema_with = schema::optional_id)]
    pub session: Option<i64>,
}

/// What a client further behind than the log keeps missed: load the questions afresh.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Refresh {
    #[schema(schema_with = refresh_reason)]
    pub reason: String,
}

fn refresh_reason() -> utoipa::openapi::Object {
    schema::one_of(&["missed_events_pruned"])
}

/// How many watch the event live now (`watching`, to staff only, every few seconds; it
/// has no `id:`, as it is not part of the event's log).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Watching {
    pub watching_now: u64,
}

/// The JSON of one live message (`data:`), by its `event:` — `question_submitted`
/// (staff), `question_approved` (with `answers`), `question_updated` (without), and
/// `question_answered` (without `answers`, with the new `answer`) carry a question;
/// `question_removed`, `question_voted`, `question_pinned`, `session_changed` and
/// `refresh` what they name; `poll_opened`, `poll_closed` and `poll_results` the poll;
/// `watching` (staff) the number watching the stream now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum LiveData {
    Question(Box<Question>),
    Poll(Poll),
    Removed(Removed),
    Voted(Voted),
    Pinned(Pinned),
    Session(SessionChanged),
    Refresh(Refresh),
    Watching(Watching),
}

/// Which session is on now (moderator, organiser): its id, or null for none.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct CurrentSession {
    #[schema(schema_with = schema::optional_id)]
    pub session: Option<i64>,
}

/// The session on now, and the number of the live event that announced it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LiveSession {
    #[schema(schema_with = schema::optional_id)]
    pub session: Option<i64>,
    pub seq: i64,
}
