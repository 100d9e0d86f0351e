//! Polls of the live exchange: a question with choices, opened and closed by the
//! moderators, answered once per participant (changeable while open).

pub use crate::ids::PollId;
use crate::ids::{EventId, ParticipantId, SessionId};
use crate::live::PollLive;
use crate::localized::Localized;
use crate::store::StoreResult;
use crate::validation::{Checker, Invalid};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest poll question and poll option, per language.
pub const POLL_TEXT_MAX: usize = 300;
/// Fewest and most options of a poll.
pub const POLL_OPTIONS: std::ops::RangeInclusive<usize> = 2..=10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PollState {
    /// Prepared, not yet shown.
    Draft,
    /// Taking votes.
    Open,
    /// No longer taking votes.
    Closed,
}

impl PollState {
    pub fn code(self) -> &'static str {
        match self {
            PollState::Draft => "draft",
            PollState::Open => "open",
            PollState::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<PollState> {
        [PollState::Draft, PollState::Open, PollState::Closed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Poll {
    pub id: PollId,
    pub event_id: EventId,
    pub session_id: Option<SessionId>,
    pub question: Localized,
    pub options: Vec<Localized>,
    /// Several options may be chosen.
    pub multiple: bool,
    pub state: PollState,
    /// Whether participants see the results.
    pub results_shown: bool,
    /// Votes per option, in option order.
    pub counts: Vec<i64>,
    /// Participants who voted.
    pub voters: i64,
    pub created_at: DateTime<Utc>,
}

/// The most polls one session (or the event outside its sessions) takes.
pub const POLLS_PER_SESSION: usize = 20;

/// What an organiser sends to create a poll: the question and options per language.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PollInput {
    #[serde(default)]
    pub question: Localized,
    #[serde(default)]
    pub options: Vec<Localized>,
    #[serde(default)]
    pub multiple: bool,
    pub session_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PollDraft {
    pub question: Localized,
    pub options: Vec<Localized>,
    pub multiple: bool,
    pub session_id: Option<SessionId>,
}

impl PollInput {
    pub fn parse(&self) -> Result<PollDraft, Invalid> {
        let mut c = Checker::new();
        c.control_characters(self, &[]);
        let question = poll_text(&mut c, "question", &self.question);
        // An empty option is an error, not dropped: what was sent is what is asked.
        let options: Vec<Localized> = self
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| poll_text(&mut c, &format!("options.{i}"), o))
            .collect();
        if !POLL_OPTIONS.contains(&options.len()) {
            c.push_limit(
                "options",
                if options.len() < *POLL_OPTIONS.start() {
                    "too_few"
                } else {
                    "too_many"
                },
                if options.len() < *POLL_OPTIONS.start() {
                    *POLL_OPTIONS.start()
                } else {
                    *POLL_OPTIONS.end()
                },
            );
        }
        c.finish(())?;
        Ok(PollDraft {
            question,
            options,
            multiple: self.multiple,
            session_id: self.session_id.map(SessionId),
        })
    }
}

fn poll_text(c: &mut Checker, field: &str, text: &Localized) -> Localized {
    let mut out = Localized::default();
    for (lang, value) in &text.0 {
        let value = value.trim();
        if value.chars().count() > POLL_TEXT_MAX {
            c.push_limit(
                format!("{field}.{}", lang.code()),
                "too_long",
                POLL_TEXT_MAX,
            );
        }
        if !value.is_empty() {
            out.0.insert(*lang, value.to_string());
        }
    }
    if out.is_empty() {
        c.push(field, "required");
    }
    out
}

/// Checks a participant's choices against a poll: open, indexes in range, one choice
/// unless the poll allows several, no repeats.
pub fn check_poll_choices(poll: &Poll, choices: &[usize]) -> Result<Vec<usize>, Invalid> {
    if poll.state != PollState::Open {
        return Err(Invalid::field("poll", "poll_not_open"));
    }
    let mut sorted = choices.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.is_empty() {
        return Err(Invalid::field("choices", "required"));
    }
    if sorted.len() != choices.len() || sorted.iter().any(|&i| i >= poll.options.len()) {
        return Err(Invalid::field("choices", "unknown_choice"));
    }
    if !poll.multiple && sorted.len() > 1 {
        return Err(Invalid::field("choices", "one_choice_only"));
    }
    Ok(sorted)
}

/// Where polls and their votes are kept; changes append their live events.
#[async_trait]
pub trait PollStore: Send + Sync {
    async fn create_poll(
        &self,
        event: EventId,
        poll: &PollDraft,
        live: PollLive,
    ) -> StoreResult<Poll>;
    /// A poll with its counts.
    async fn poll(&self, id: PollId) -> StoreResult<Option<Poll>>;
    async fn polls(&self, event: EventId) -> StoreResult<Vec<Poll>>;
    async fn set_poll_state(
        &self,
        id: PollId,
        state: PollState,
        results_shown: bool,
        live: PollLive,
    ) -> StoreResult<Poll>;
    /// Records (or replaces) a participant's choices; the poll must still be open when the
    /// transaction runs, else `Conflict("poll_not_open")`.
    async fn vote_poll(
        &self,
        id: PollId,
        participant: ParticipantId,
        choices: &[usize],
        live: PollLive,
    ) -> StoreResult<Poll>;
    /// A participant's choices per poll of an event.
    async fn poll_choices(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> StoreResult<Vec<(PollId, Vec<usize>)>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn poll_choices_follow_the_poll() {
        let poll = Poll {
            id: PollId(1),
            event_id: EventId(1),
            session_id: None,
            question: Localized::default(),
            options: vec![Localized::default(); 3],
            multiple: false,
            state: PollState::Open,
            results_shown: false,
            counts: vec![0; 3],
            voters: 0,
            created_at: Utc::now(),
        };
        assert_eq!(check_poll_choices(&poll, &[2]).unwrap(), vec![2]);
        assert!(check_poll_choices(&poll, &[0, 1]).is_err());
        assert!(check_poll_choices(&poll, &[3]).is_err());
        assert!(check_poll_choices(&poll, &[]).is_err());
        let closed = Poll {
            state: PollState::Closed,
            ..poll.clone()
        };
        assert_eq!(
            check_poll_choices(&closed, &[0]).unwrap_err().0[0].code,
            "poll_not_open"
        );
        let multi = Poll {
            multiple: true,
            ..poll
        };
        assert_eq!(check_poll_choices(&multi, &[2, 0]).unwrap(), vec![0, 2]);
    }

    #[test]
    fn polls_need_two_options_and_a_question() {
        let err = PollInput {
            options: vec![Localized::from_pairs([(Lang::En, "Yes")])],
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["question", "options"]);
    }
}
