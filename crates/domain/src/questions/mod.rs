//! Questions of the live exchange: what participants ask, their moderation (pending →
//! approved → answered, or dismissed, or merged), answers from the departments and their
//! deadlines, and the department Roadshow suggests. The rules of who may move a question
//! where live here; the store only keeps the result.

pub mod detect;
mod moderation;
pub mod suggest;

pub use moderation::{Moderation, ModerationInput, WrongState, can_receive_merge};

use crate::ids::{AccountId, AgencyId, DepartmentId, EventId, ParticipantId, SessionId};
pub use crate::ids::{AnswerId, QuestionId};
use crate::lang::Lang;
use crate::live::{LiveState, QuestionLive};
use crate::outbox::{EmailMessage, EmailStatus};
use crate::store::StoreResult;
use crate::validation::{Checker, Invalid};
use async_trait::async_trait;
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Longest question, in characters: a paragraph, not an essay.
pub const QUESTION_MAX: usize = 1000;
/// Longest written answer (Markdown), in characters.
pub const ANSWER_MAX: usize = 10_000;
/// Longest reason for dismissing a question.
pub const REASON_MAX: usize = 500;
/// Most working days after an event an organiser may give for written answers.
pub const ANSWER_WORKING_DAYS_MAX: i64 = 60;

/// Where a question is in moderation. Nothing a participant writes is shown to others
/// before it is `Approved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionState {
    /// Waiting for a moderator.
    Pending,
    /// Shown to everyone.
    Approved,
    /// Approved and answered (in writing or live).
    Answered,
    /// Not shown; the reason is kept.
    Dismissed,
    /// Folded into another question, which took its votes.
    Merged,
}

impl QuestionState {
    pub fn code(self) -> &'static str {
        match self {
            QuestionState::Pending => "pending",
            QuestionState::Approved => "approved",
            QuestionState::Answered => "answered",
            QuestionState::Dismissed => "dismissed",
            QuestionState::Merged => "merged",
        }
    }

    pub fn parse(code: &str) -> Option<QuestionState> {
        [
            QuestionState::Pending,
            QuestionState::Approved,
            QuestionState::Answered,
            QuestionState::Dismissed,
            QuestionState::Merged,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Shown to participants and the public.
    pub fn is_public(self) -> bool {
        matches!(self, QuestionState::Approved | QuestionState::Answered)
    }
}

/// A written answer, or the note that the question was answered live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub id: AnswerId,
    pub question_id: QuestionId,
    pub department_id: Option<DepartmentId>,
    pub author_id: AccountId,
    /// The official's name as shown with the answer.
    pub author_name: String,
    /// Markdown as written; empty for a bare "answered live".
    pub body: String,
    pub lang: Lang,
    /// Answered in the live exchange rather than in writing.
    pub live: bool,
    pub created_at: DateTime<Utc>,
}

impl Answer {
    /// The answer as sanitised HTML.
    pub fn body_html(&self) -> String {
        crate::text::markdown_to_safe_html(&self.body)
    }
}

/// A question as kept. `author_*` are for staff; what participants see is
/// [`Question::public_author`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub event_id: EventId,
    pub session_id: Option<SessionId>,
    pub participant_id: ParticipantId,
    pub author_name: String,
    pub author_company: String,
    pub anonymous: bool,
    pub text: String,
    /// The text as asked, when a moderator edited it for clarity.
    pub original_text: Option<String>,
    pub lang: Lang,
    pub state: QuestionState,
    pub dismiss_reason: Option<String>,
    pub merged_into: Option<QuestionId>,
    pub department_id: Option<DepartmentId>,
    /// What Roadshow suggested, and why ("Shunyi, Sino-German Industrial Park, tax").
    pub suggested_department: Option<DepartmentId>,
    pub suggestion_reason: Option<String>,
    pub pinned: bool,
    pub votes: i64,
    pub answers: Vec<Answer>,
    pub created_at: DateTime<Utc>,
    /// Bumped on every change, so that two moderators cannot overwrite each other.
    pub version: i64,
}

impl Question {
    /// "Name (Company)", or `None` when the asker chose to be anonymous to other
    /// participants.
    pub fn public_author(&self) -> Option<String> {
        (!self.anonymous).then(|| format!("{} ({})", self.author_name, self.author_company))
    }

    pub fn is_answered(&self) -> bool {
        self.state == QuestionState::Answered
    }
}

/// The most answers one question takes: a question is answered by its department, perhaps
/// completed once or twice; more is a mistake or an attack, and each answer is shown to
/// every follower.
pub const ANSWERS_PER_QUESTION: usize = 20;

/// What a participant sends to ask.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct QuestionInput {
    pub text: Option<String>,
    pub session_id: Option<i64>,
    #[serde(default)]
    pub anonymous: bool,
    /// The language the question is written in; when missing, Roadshow tells it from the
    /// text, else takes the asker's.
    pub lang: Option<String>,
}

/// A checked question, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionDraft {
    pub text: String,
    pub session_id: Option<SessionId>,
    pub anonymous: bool,
    pub lang: Lang,
}

impl QuestionInput {
    /// Checks the text's length and the language: the one given, else the one the text is
    /// written in ([`detect::detect`]), else `asker_lang` (the asker's registered one).
    /// Whether the session belongs to the event is the caller's check, since it needs the
    /// agenda.
    pub fn parse(&self, asker_lang: Lang) -> Result<QuestionDraft, Invalid> {
        let mut c = Checker::new();
        c.control_characters(self, &["text"]);
        let text = c.required("text", self.text.as_deref(), QUESTION_MAX);
        let fallback = detect::detect(&text).unwrap_or(asker_lang);
        let lang = language(&mut c, self.lang.as_deref(), fallback);
        c.finish(())?;
        Ok(QuestionDraft {
            text: clean_text(&text),
            session_id: self.session_id.map(SessionId),
            anonymous: self.anonymous,
            lang,
        })
    }
}

/// The language a text is written in: the one given, else the writer's.
fn language(c: &mut Checker, given: Option<&str>, default: Lang) -> Lang {
    match given.map(str::trim).filter(|l| !l.is_empty()) {
        None => default,
        Some(code) => code.parse().unwrap_or_else(|_| {
            c.push("lang", "unknown_language");
            default
        }),
    }
}

/// Drops control characters (other than line breaks) that would garble a display or an
/// export, and trims.
pub(crate) fn clean_text(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_string()
}

/// What an official sends to answer.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AnswerInput {
    /// Markdown; may be empty when `live` is set.
    pub body: Option<String>,
    /// Marks the question as answered in the live exchange.
    #[serde(default)]
    pub live: bool,
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerDraft {
    pub body: String,
    pub live: bool,
    pub lang: Lang,
}

impl AnswerInput {
    pub fn parse(&self, default_lang: Lang) -> Result<AnswerDraft, Invalid> {
        let mut c = Checker::new();
        c.control_characters(self, &["body"]);
        let body = if self.live {
            c.optional("body", self.body.as_deref(), ANSWER_MAX)
                .unwrap_or_default()
        } else {
            c.required("body", self.body.as_deref(), ANSWER_MAX)
        };
        let lang = language(&mut c, self.lang.as_deref(), default_lang);
        c.finish(())?;
        Ok(AnswerDraft {
            body,
            live: self.live,
            lang,
        })
    }
}

/// Questions an official can answer: approved (or already answered, to add to it), not
/// dismissed, merged or still in moderation.
pub fn can_be_answered(question: &Question) -> bool {
    matches!(
        question.state,
        QuestionState::Approved | QuestionState::Answered
    )
}

/// The deadline for written answers: the end of the `working_days`-th working day
/// (Monday to Friday) after the event's last day, in the event's zone.
pub fn answer_deadline(event_ends: DateTime<Utc>, zone: Tz, working_days: u32) -> DateTime<Utc> {
    let mut day = event_ends.with_timezone(&zone).date_naive();
    let mut left = working_days;
    while left > 0 {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    let end_of_day = day.and_time(NaiveTime::MIN) + Duration::days(1) - Duration::seconds(1);
    zone.from_local_datetime(&end_of_day)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(event_ends)
}

/// Which questions to read. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionFilter {
    pub event: Option<EventId>,
    pub agency: Option<AgencyId>,
    pub department: Option<DepartmentId>,
    pub participant: Option<ParticipantId>,
    pub states: Vec<QuestionState>,
    /// A page: the questions after this one, in the order they were asked (by id, so
    /// that questions asked while a reader pages come after, never in between).
    pub after: Option<QuestionId>,
    /// At most this many (with `after`, or alone for the first page).
    pub limit: Option<usize>,
    /// The newest first (with `limit`: the latest ones).
    pub newest: bool,
    /// Only questions routed to a department.
    pub routed: bool,
    /// The pinned one first, then the most voted, then the first asked (as the
    /// moderation console shows approved and answered questions).
    pub by_votes: bool,
}

/// A new question with who asked it and what Roadshow suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct NewQuestion {
    pub event: EventId,
    pub participant: ParticipantId,
    pub author_name: String,
    pub author_company: String,
    pub question: QuestionDraft,
    pub suggested_department: Option<DepartmentId>,
    pub suggestion_reason: Option<String>,
}

/// An answer with its author, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAnswer {
    pub answer: AnswerDraft,
    pub author: AccountId,
    pub author_name: String,
    pub department: Option<DepartmentId>,
}

/// One vote or the taking back of one, as the batched vote writer receives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteChange {
    pub event: EventId,
    pub question: QuestionId,
    pub participant: ParticipantId,
    /// `true` to vote, `false` to take the vote back.
    pub up: bool,
}

/// What a vote change did: the question's stored count, and whether anything changed
/// (voting twice or taking back a vote never given changes nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteOutcome {
    pub question: QuestionId,
    pub votes: i64,
    pub changed: bool,
}

/// Where questions, votes and answers are kept. Every method that changes what
/// participants see appends its live events in the same transaction, numbered per event.
#[async_trait]
pub trait QuestionStore: Send + Sync {
    async fn create_question(
        &self,
        question: &NewQuestion,
        live: &QuestionLive,
    ) -> StoreResult<Question>;
    /// A question with its answers.
    async fn question(&self, id: QuestionId) -> StoreResult<Option<Question>>;
    /// Questions with their answers, oldest first.
    async fn questions(&self, filter: &QuestionFilter) -> StoreResult<Vec<Question>>;
    /// How many questions of the event are in each state (states with none left out).
    async fn question_counts(&self, event: EventId) -> StoreResult<Vec<(QuestionState, i64)>>;
    /// Saves a moderated question. `question.version` is the new version; the stored one
    /// must be the one before, else `Conflict("stale")`. Pinning a question unpins the
    /// event's others.
    async fn save_question(
        &self,
        question: &Question,
        live: &QuestionLive,
    ) -> StoreResult<Question>;
    /// Saves `source` (already in state `Merged`) and moves its votes to `target`; a
    /// participant who voted for both counts once. Returns the target.
    async fn merge_question(
        &self,
        source: &Question,
        target: QuestionId,
        live: &QuestionLive,
    ) -> StoreResult<Question>;
    /// Applies vote changes in one transaction (one disk sync for the lot) and appends one
    /// `question_voted` live event per question whose count changed.
    async fn apply_votes(&self, changes: &[VoteChange]) -> StoreResult<Vec<VoteOutcome>>;
    /// The questions of an event a participant has voted for.
    async fn voted_questions(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> StoreResult<Vec<QuestionId>>;
    /// Adds an answer and saves the question's new state (versioned as in
    /// `save_question`); the email to the asker, if any, goes into the outbox in the same
    /// transaction.
    async fn add_answer(
        &self,
        question: &Question,
        answer: &NewAnswer,
        email: Option<(&EmailMessage, EmailStatus, AgencyId)>,
        live: &QuestionLive,
    ) -> StoreResult<Question>;
    /// The organiser's settings for written answers (working days after the event) and
    /// whether the FAQ is published.
    async fn set_answer_settings(
        &self,
        event: EventId,
        working_days: u32,
        faq_published: bool,
    ) -> StoreResult<LiveState>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn question(state: QuestionState) -> Question {
        Question {
            id: QuestionId(1),
            event_id: EventId(1),
            session_id: None,
            participant_id: ParticipantId(1),
            author_name: "Erika".into(),
            author_company: "Muster GmbH".into(),
            anonymous: false,
            text: "Wie hoch ist die Steuer?".into(),
            original_text: None,
            lang: Lang::De,
            state,
            dismiss_reason: None,
            merged_into: None,
            department_id: None,
            suggested_department: None,
            suggestion_reason: None,
            pinned: false,
            votes: 0,
            answers: vec![],
            created_at: Utc::now(),
            version: 1,
        }
    }

    #[test]
    fn moderation_moves_questions_only_where_the_rules_allow() {
        use QuestionState::*;
        let approved = Moderation::Approve.apply(&question(Pending)).unwrap();
        assert_eq!(approved.state, Approved);
        assert_eq!(approved.version, 2);
        assert_eq!(
            Moderation::Approve.apply(&question(Merged)),
            Err(WrongState(Merged))
        );
        assert!(Moderation::Pin.apply(&question(Pending)).is_err());
        let dismissed = Moderation::Dismiss {
            reason: "Off topic".into(),
        }
        .apply(&approved)
        .unwrap();
        assert_eq!(dismissed.dismiss_reason.as_deref(), Some("Off topic"));
        assert!(
            Moderation::Route { department: None }
                .apply(&dismissed)
                .is_err()
        );
        // Approving again clears the reason.
        let back = Moderation::Approve.apply(&dismissed).unwrap();
        assert_eq!(back.dismiss_reason, None);
    }

    #[test]
    fn editing_keeps_the_first_original() {
        let q = question(QuestionState::Pending);
        let once = Moderation::Edit {
            text: "Wie hoch ist die Körperschaftsteuer?".into(),
        }
        .apply(&q)
        .unwrap();
        let twice = Moderation::Edit {
            text: "Wie hoch ist die Körperschaftsteuer in Shunyi?".into(),
        }
        .apply(&once)
        .unwrap();
        assert_eq!(
            twice.original_text.as_deref(),
            Some("Wie hoch ist die Steuer?")
        );
        assert_eq!(twice.text, "Wie hoch ist die Körperschaftsteuer in Shunyi?");
    }

    #[test]
    fn anonymous_questions_hide_the_author() {
        let mut q = question(QuestionState::Approved);
        assert_eq!(q.public_author().as_deref(), Some("Erika (Muster GmbH)"));
        q.anonymous = true;
        assert_eq!(q.public_author(), None);
    }

    #[test]
    fn question_input_is_checked() {
        let err = QuestionInput {
            text: Some("  ".into()),
            lang: Some("xx".into()),
            ..Default::default()
        }
        .parse(Lang::En)
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            vec![("text", "required"), ("lang", "unknown_language")]
        );
        let long = "x".repeat(QUESTION_MAX + 1);
        let err = QuestionInput {
            text: Some(long),
            ..Default::default()
        }
        .parse(Lang::En)
        .unwrap_err();
        assert_eq!(err.0[0].limit, Some(QUESTION_MAX));
        let bell = QuestionInput {
            text: Some("Welche Förderung\u{0007} gibt es?".into()),
            ..Default::default()
        }
        .parse(Lang::De)
        .unwrap_err();
        assert_eq!(bell.0[0].code, "control_character");
        let ok = QuestionInput {
            text: Some(" Welche Förderung gibt es?\n ".into()),
            ..Default::default()
        }
        .parse(Lang::De)
        .unwrap();
        assert_eq!(ok.text, "Welche Förderung gibt es?");
        assert_eq!(ok.lang, Lang::De);
    }

    #[test]
    fn moderation_input_names_the_missing_parameter() {
        let err = ModerationInput {
            action: Some("dismiss".into()),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(err.0[0].field, "reason");
        let err = ModerationInput {
            action: Some("explode".into()),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(err.0[0].code, "unknown_choice");
    }

    #[test]
    fn deadline_counts_working_days_in_the_event_zone() {
        // Friday 2025-06-13 16:00 in Beijing; 5 working days later is Friday 2025-06-20.
        let ends = crate::time::BEIJING
            .with_ymd_and_hms(2025, 6, 13, 16, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        let due = answer_deadline(ends, crate::time::BEIJING, 5);
        let local = due.with_timezone(&crate::time::BEIJING);
        assert_eq!(local.date_naive().to_string(), "2025-06-20");
        assert_eq!(local.time().to_string(), "23:59:59");
    }
}
