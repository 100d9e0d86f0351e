//! Polls on the wire.

use crate::schema::{self, Lines};
use roadshow_domain::Localized;
use roadshow_domain::polls::{self as domain, POLL_OPTIONS, POLL_TEXT_MAX};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};

/// Prepared, taking votes, or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PollState {
    Draft,
    Open,
    Closed,
}

impl From<domain::PollState> for PollState {
    fn from(s: domain::PollState) -> Self {
        match s {
            domain::PollState::Draft => PollState::Draft,
            domain::PollState::Open => PollState::Open,
            domain::PollState::Closed => PollState::Closed,
        }
    }
}

/// A poll; its counts only when its results are shown (or for staff).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Poll {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    /// The session it belongs to.
    #[schema(schema_with = schema::optional_id)]
    pub session: Option<i64>,
    #[schema(schema_with = schema::localized_out)]
    pub question: Localized,
    #[schema(schema_with = options_out)]
    pub options: Vec<Localized>,
    /// Several options may be chosen.
    pub multiple: bool,
    pub state: PollState,
    pub results_shown: bool,
    /// Votes per option, in option order; null when not shown.
    pub counts: Option<Vec<i64>>,
    /// Participants who voted; null when not shown.
    pub voters: Option<i64>,
}

impl Poll {
    pub fn new(p: &domain::Poll, with_counts: bool) -> Self {
        Poll {
            id: p.id.0,
            session: p.session_id.map(|s| s.0),
            question: p.question.clone(),
            options: p.options.clone(),
            multiple: p.multiple,
            state: p.state.into(),
            results_shown: p.results_shown,
            counts: with_counts.then(|| p.counts.clone()),
            voters: with_counts.then_some(p.voters),
        }
    }
}

/// An event's polls.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Polls {
    pub polls: Vec<Poll>,
}

/// A vote counted: the poll as the voter now sees it, and their choices.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PollVoted {
    pub poll: Poll,
    pub choices: Vec<usize>,
}

/// A poll as a moderator prepares it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct PollInput {
    #[serde(default)]
    #[schema(schema_with = question, required = true)]
    pub question: Localized,
    #[serde(default)]
    #[schema(schema_with = options, required = true)]
    pub options: Vec<Localized>,
    #[serde(default)]
    pub multiple: bool,
    /// A session of the event.
    #[schema(schema_with = schema::optional_id)]
    pub session_id: Option<i64>,
}

impl From<PollInput> for domain::PollInput {
    fn from(i: PollInput) -> Self {
        domain::PollInput {
            question: i.question,
            options: i.options,
            multiple: i.multiple,
            session_id: i.session_id,
        }
    }
}

/// What to do with a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PollActionName {
    Open,
    Close,
    ShowResults,
    HideResults,
}

/// A poll's next step.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct PollAction {
    #[schema(value_type = PollActionName, required = true)]
    pub action: Option<String>,
}

/// A participant's choice: option indexes, one unless the poll allows several.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct PollVote {
    #[serde(default)]
    #[schema(schema_with = choices, required = true)]
    pub choices: Vec<usize>,
}

fn question() -> Schema {
    schema::localized(POLL_TEXT_MAX, true, Lines::One)
}

fn options() -> ArrayBuilder {
    ArrayBuilder::new()
        .items(schema::boxed(schema::localized(
            POLL_TEXT_MAX,
            true,
            Lines::One,
        )))
        .min_items(Some(*POLL_OPTIONS.start()))
        .max_items(Some(*POLL_OPTIONS.end()))
}

fn options_out() -> ArrayBuilder {
    ArrayBuilder::new().items(schema::localized_out())
}

fn choices() -> ArrayBuilder {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(*POLL_OPTIONS.end() - 1)),
        )
        .min_items(Some(1))
        .max_items(Some(*POLL_OPTIONS.end()))
        .unique_items(true)
}
