//! Live delivery: the per-event log of live events that SSE followers read (and replay
//! from with Last-Event-ID), the state of an event's live exchange, and the session on now.

use crate::ids::{EventId, QuestionId, SessionId};
use crate::polls::{Poll, PollState};
use crate::questions::Question;
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who may receive a live event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Everyone following the event.
    Public,
    /// Staff of the agency only (questions waiting for moderation, the staff view).
    Staff,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Staff => "staff",
        }
    }

    pub fn parse(code: &str) -> Option<Audience> {
        match code {
            "public" => Some(Audience::Public),
            "staff" => Some(Audience::Staff),
            _ => None,
        }
    }
}

/// The kinds of live events, as named in the SSE stream's `event:` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveKind {
    QuestionSubmitted,
    QuestionApproved,
    QuestionUpdated,
    QuestionRemoved,
    QuestionVoted,
    QuestionAnswered,
    QuestionPinned,
    PollOpened,
    PollClosed,
    PollResults,
    SessionChanged,
    /// Not logged: tells a follower who reconnects after the replay window
    /// ([`LIVE_REPLAY`]) that what it missed is gone, so it must load the page afresh.
    Refresh,
}

/// How many live events of an event stay in the log for followers who reconnect
/// (Last-Event-ID): older ones are pruned as new ones are appended, so the log of a long
/// or busy event stays bounded; a follower further behind gets a `refresh` event.
pub const LIVE_REPLAY: i64 = 5000;

impl LiveKind {
    pub const ALL: [LiveKind; 12] = [
        LiveKind::QuestionSubmitted,
        LiveKind::QuestionApproved,
        LiveKind::QuestionUpdated,
        LiveKind::QuestionRemoved,
        LiveKind::QuestionVoted,
        LiveKind::QuestionAnswered,
        LiveKind::QuestionPinned,
        LiveKind::PollOpened,
        LiveKind::PollClosed,
        LiveKind::PollResults,
        LiveKind::SessionChanged,
        LiveKind::Refresh,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LiveKind::QuestionSubmitted => "question_submitted",
            LiveKind::QuestionApproved => "question_approved",
            LiveKind::QuestionUpdated => "question_updated",
            LiveKind::QuestionRemoved => "question_removed",
            LiveKind::QuestionVoted => "question_voted",
            LiveKind::QuestionAnswered => "question_answered",
            LiveKind::QuestionPinned => "question_pinned",
            LiveKind::PollOpened => "poll_opened",
            LiveKind::PollClosed => "poll_closed",
            LiveKind::PollResults => "poll_results",
            LiveKind::SessionChanged => "session_changed",
            LiveKind::Refresh => "refresh",
        }
    }

    pub fn parse(code: &str) -> Option<LiveKind> {
        LiveKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What a live event carries, in the domain's terms: what changed, never more. A question
/// travels with its answers only when the public first sees it (approved); afterwards an
/// answer travels alone and an edit without the answers, so that the log and every
/// follower's traffic grow with the change, not with the question's history (one question
/// with 600 answers once made each answer's event carry all 600). The web layer decides how
/// each audience sees them on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LivePayload {
    /// A question as saved; its answers are included when `with_answers` (events logged
    /// before deltas always included them).
    Question {
        question: Box<Question>,
        #[serde(default = "yes")]
        with_answers: bool,
    },
    /// A new answer, with its question as saved (without its other answers).
    Answered {
        question: Box<Question>,
        answer: Box<crate::questions::Answer>,
    },
    /// A question no longer shown to the public (dismissed, or merged into another).
    Removed {
        id: QuestionId,
        merged_into: Option<QuestionId>,
    },
    /// A question's new vote count.
    Votes { id: QuestionId, votes: i64 },
    /// The question pinned as being answered now, or none.
    Pinned { id: Option<QuestionId> },
    /// A poll with its counts; the public sees the counts only when they are shown.
    Poll { poll: Box<Poll> },
    /// The session on now, or none.
    Session { session: Option<SessionId> },
    /// What was missed is no longer in the log: load afresh.
    Refresh,
}

impl LivePayload {
    /// About how many bytes the payload takes on the wire, to bound what is kept in
    /// memory for followers by size as well as by count.
    pub fn approx_bytes(&self) -> usize {
        const RECORD: usize = 600;
        let question = |q: &Question| {
            RECORD
                + q.text.len()
                + q.original_text.as_ref().map_or(0, String::len)
                + q.answers
                    .iter()
                    .map(|a| RECORD + 2 * a.body.len())
                    .sum::<usize>()
        };
        match self {
            LivePayload::Question { question: q, .. } => question(q),
            LivePayload::Answered {
                question: q,
                answer,
            } => question(q) + RECORD + 2 * answer.body.len(),
            LivePayload::Poll { poll } => {
                RECORD
                    + poll.question.max_chars() * 4
                    + poll
                        .options
                        .iter()
                        .map(|o| 64 + o.max_chars() * 4)
                        .sum::<usize>()
            }
            _ => 128,
        }
    }
}

/// The event a follower gets when what it missed has been pruned from the log.
pub fn refresh(event_id: EventId, seq: i64) -> LiveEvent {
    LiveEvent {
        event_id,
        seq,
        kind: LiveKind::Refresh,
        audience: Audience::Public,
        payload: LivePayload::Refresh,
    }
}

/// A live event to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLiveEvent {
    pub kind: LiveKind,
    pub audience: Audience,
    pub payload: LivePayload,
}

/// A live event as kept: `seq` counts up per event and is the SSE `id:`.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveEvent {
    pub event_id: EventId,
    pub seq: i64,
    pub kind: LiveKind,
    pub audience: Audience,
    pub payload: LivePayload,
}

/// Which live events a change of a question appends. The store applies it to the
/// question as saved (once it knows its id, counts and answers), inside the change's
/// transaction, so the log and the change commit together.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionLive {
    /// A new question: staff see it; the public only once it is approved.
    Submitted,
    /// A moderation or an answer. `public_kind` names the public event when the question
    /// stays public; `pinned` announces a change of the pinned question.
    Changed {
        before: Box<Question>,
        public_kind: LiveKind,
        pinned: Option<Option<QuestionId>>,
    },
    /// A merge: the source as it was and is now, and the target before; applied to the
    /// target as saved.
    Merged {
        source_before: Box<Question>,
        source_after: Box<Question>,
        target_before: Box<Question>,
    },
}

impl QuestionLive {
    /// The live events for `saved`, the question the store wrote.
    pub fn events(&self, saved: &Question) -> Vec<NewLiveEvent> {
        match self {
            QuestionLive::Submitted => vec![NewLiveEvent {
                kind: LiveKind::QuestionSubmitted,
                audience: Audience::Staff,
                payload: question_payload(saved),
            }],
            QuestionLive::Changed {
                before,
                public_kind,
                pinned,
            } => {
                let mut events = question_changed(Some(before), saved, *public_kind, false);
                if let Some(id) = pinned {
                    events.push(NewLiveEvent {
                        kind: LiveKind::QuestionPinned,
                        audience: Audience::Public,
                        payload: LivePayload::Pinned { id: *id },
                    });
                }
                events
            }
            QuestionLive::Merged {
                source_before,
                source_after,
                target_before,
            } => {
                let mut events = question_changed(
                    Some(source_before),
                    source_after,
                    LiveKind::QuestionUpdated,
                    false,
                );
                events.extend(question_changed(
                    Some(target_before),
                    saved,
                    LiveKind::QuestionUpdated,
                    true,
                ));
                events
            }
        }
    }
}

fn yes() -> bool {
    true
}

/// The question whole (when the public first sees it).
fn question_payload(q: &Question) -> LivePayload {
    LivePayload::Question {
        question: Box::new(q.clone()),
        with_answers: true,
    }
}

/// The question without its answers (what changed is the question itself).
fn question_delta(q: &Question) -> LivePayload {
    LivePayload::Question {
        question: Box::new(Question {
            answers: Vec::new(),
            ..q.clone()
        }),
        with_answers: false,
    }
}

/// The payload of a change of `after`: the new answer alone when one was added, else the
/// question without its answers.
fn change_payload(before: Option<&Question>, after: &Question) -> LivePayload {
    let new_answer = after
        .answers
        .iter()
        .rev()
        .find(|a| before.is_none_or(|b| b.answers.iter().all(|old| old.id != a.id)));
    match (before, new_answer) {
        (Some(_), Some(answer)) => LivePayload::Answered {
            question: Box::new(Question {
                answers: Vec::new(),
                ..after.clone()
            }),
            answer: Box::new(answer.clone()),
        },
        _ => question_delta(after),
    }
}

/// What the public now sees of a changed question (approved, changed, or gone), and the
/// staff view of it.
fn question_changed(
    before: Option<&Question>,
    after: &Question,
    public_kind: LiveKind,
    whole: bool,
) -> Vec<NewLiveEvent> {
    // A merge moves answers between questions: the target then travels whole.
    let change = |before: Option<&Question>, after: &Question| {
        if whole {
            question_payload(after)
        } else {
            change_payload(before, after)
        }
    };
    let mut out = Vec::new();
    let was_public = before.is_some_and(|b| b.state.is_public());
    if after.state.is_public() {
        out.push(NewLiveEvent {
            kind: if was_public {
                public_kind
            } else {
                LiveKind::QuestionApproved
            },
            audience: Audience::Public,
            // The public's first sight of a question brings its answers; later, changes.
            payload: if was_public {
                change(before, after)
            } else {
                question_payload(after)
            },
        });
    } else if was_public {
        out.push(NewLiveEvent {
            kind: LiveKind::QuestionRemoved,
            audience: Audience::Public,
            payload: LivePayload::Removed {
                id: after.id,
                merged_into: after.merged_into,
            },
        });
    }
    out.push(NewLiveEvent {
        kind: LiveKind::QuestionUpdated,
        audience: Audience::Staff,
        payload: change(before, after),
    });
    out
}

/// Which live events a change of a poll appends, applied to the poll as saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollLive {
    /// Created, opened, closed, results shown or hidden: the public hears of it unless it
    /// is a draft; staff always.
    Changed(LiveKind),
    /// A participant voted: the public gets the new counts only when they are shown.
    Voted,
}

impl PollLive {
    pub fn events(&self, poll: &Poll) -> Vec<NewLiveEvent> {
        let payload = || LivePayload::Poll {
            poll: Box::new(poll.clone()),
        };
        let public = match self {
            PollLive::Changed(kind) => (poll.state != PollState::Draft).then_some(*kind),
            PollLive::Voted => poll.results_shown.then_some(LiveKind::PollResults),
        };
        let mut out = Vec::new();
        if let Some(kind) = public {
            out.push(NewLiveEvent {
                kind,
                audience: Audience::Public,
                payload: payload(),
            });
        }
        out.push(NewLiveEvent {
            kind: LiveKind::PollResults,
            audience: Audience::Staff,
            payload: payload(),
        });
        out
    }
}

/// The `question_voted` event of a question whose count changed.
pub fn votes_changed(id: QuestionId, votes: i64) -> NewLiveEvent {
    NewLiveEvent {
        kind: LiveKind::QuestionVoted,
        audience: Audience::Public,
        payload: LivePayload::Votes { id, votes },
    }
}

/// The `session_changed` event.
pub fn session_changed(session: Option<SessionId>) -> NewLiveEvent {
    NewLiveEvent {
        kind: LiveKind::SessionChanged,
        audience: Audience::Public,
        payload: LivePayload::Session { session },
    }
}

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
    /// Marks the session on now (or none), with its `session_changed` live event.
    async fn set_current_session(
        &self,
        event: EventId,
        session: Option<SessionId>,
    ) -> StoreResult<LiveState>;
}

/// What another process on the same database announces (PostgreSQL NOTIFY).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// An event's live log reached this number.
    Live(crate::ids::EventId, i64),
    /// The directory changed (the number of the change).
    Directory(i64),
    /// The connection was lost: notices may be missing.
    Lost,
}
