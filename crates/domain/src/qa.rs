//! The live exchange: questions from participants, their moderation, answers from the
//! departments, and polls. The rules of who may move a question where live here; the
//! store only keeps the result.

pub use crate::ids::{AnswerId, PollId, QuestionId};
use crate::ids::{DepartmentId, EventId, ParticipantId, SessionId, UserId};
use crate::lang::Lang;
use crate::localized::Localized;
use crate::validation::{Checker, Invalid};
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Longest question, in characters: a paragraph, not an essay.
pub const QUESTION_MAX: usize = 1000;
/// Longest written answer (Markdown), in characters.
pub const ANSWER_MAX: usize = 10_000;
/// Longest reason for dismissing a question.
pub const REASON_MAX: usize = 500;
/// Longest poll question and poll option, per language.
pub const POLL_TEXT_MAX: usize = 300;
/// Fewest and most options of a poll.
pub const POLL_OPTIONS: std::ops::RangeInclusive<usize> = 2..=10;

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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub id: AnswerId,
    pub question_id: QuestionId,
    pub department_id: Option<DepartmentId>,
    #[serde(skip)]
    pub author_id: UserId,
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
#[derive(Debug, Clone, PartialEq)]
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

/// What a participant sends to ask.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QuestionInput {
    pub text: Option<String>,
    pub session_id: Option<i64>,
    #[serde(default)]
    pub anonymous: bool,
    /// The language the question is written in; the asker's when missing.
    pub lang: Option<String>,
}

/// A checked question, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub text: String,
    pub session_id: Option<SessionId>,
    pub anonymous: bool,
    pub lang: Lang,
}

impl QuestionInput {
    /// Checks the text's length and the language. Whether the session belongs to the
    /// event is the caller's check, since it needs the agenda.
    pub fn validate(&self, default_lang: Lang) -> Result<NewQuestion, Invalid> {
        let mut c = Checker::new();
        let text = c.required("text", self.text.as_deref(), QUESTION_MAX);
        let lang = language(&mut c, self.lang.as_deref(), default_lang);
        c.finish(())?;
        Ok(NewQuestion {
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
fn clean_text(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_string()
}

/// What a moderator does to a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    Approve,
    Dismiss { reason: String },
    Edit { text: String },
    Merge { into: QuestionId },
    Route { department: Option<DepartmentId> },
    Pin,
    Unpin,
}

/// The body of a moderation request: `{"action":"approve"}`, `{"action":"dismiss",
/// "reason":"..."}`, `{"action":"edit","text":"..."}`, `{"action":"merge","into":12}`,
/// `{"action":"route","department":3}`, `{"action":"pin"}`, `{"action":"unpin"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModerationInput {
    pub action: Option<String>,
    pub reason: Option<String>,
    pub text: Option<String>,
    pub into: Option<i64>,
    pub department: Option<i64>,
}

impl ModerationInput {
    pub fn validate(&self) -> Result<Moderation, Invalid> {
        let mut c = Checker::new();
        let action = self.action.as_deref().unwrap_or("").trim();
        let moderation = match action {
            "approve" => Moderation::Approve,
            "pin" => Moderation::Pin,
            "unpin" => Moderation::Unpin,
            "dismiss" => Moderation::Dismiss {
                reason: c.required("reason", self.reason.as_deref(), REASON_MAX),
            },
            "edit" => Moderation::Edit {
                text: clean_text(&c.required("text", self.text.as_deref(), QUESTION_MAX)),
            },
            "merge" => match self.into {
                Some(id) => Moderation::Merge {
                    into: QuestionId(id),
                },
                None => {
                    c.push("into", "required");
                    Moderation::Approve
                }
            },
            "route" => Moderation::Route {
                department: self.department.map(DepartmentId),
            },
            "" => {
                c.push("action", "required");
                Moderation::Approve
            }
            _ => {
                c.push("action", "unknown_choice");
                Moderation::Approve
            }
        };
        c.finish(())?;
        Ok(moderation)
    }
}

/// Why a moderation cannot be applied to a question in its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not allowed in state {0:?}")]
pub struct WrongState(pub QuestionState);

impl Moderation {
    /// The question after the moderation, or why it cannot be done. Merging is checked
    /// here for the source; the store moves the votes.
    pub fn apply(&self, question: &Question) -> Result<Question, WrongState> {
        use QuestionState::*;
        let mut q = question.clone();
        let state = q.state;
        match self {
            Moderation::Approve => match state {
                Pending | Dismissed => {
                    q.state = Approved;
                    q.dismiss_reason = None;
                }
                _ => return Err(WrongState(state)),
            },
            Moderation::Dismiss { reason } => match state {
                Pending | Approved => {
                    q.state = Dismissed;
                    q.dismiss_reason = Some(reason.clone());
                    q.pinned = false;
                }
                _ => return Err(WrongState(state)),
            },
            Moderation::Edit { text } => {
                if state == Merged {
                    return Err(WrongState(state));
                }
                if *text != q.text {
                    if q.original_text.is_none() {
                        q.original_text = Some(q.text.clone());
                    }
                    q.text = text.clone();
                }
            }
            Moderation::Merge { .. } => match state {
                Pending | Approved => {
                    q.state = Merged;
                    q.pinned = false;
                }
                _ => return Err(WrongState(state)),
            },
            Moderation::Route { department } => {
                if matches!(state, Merged | Dismissed) {
                    return Err(WrongState(state));
                }
                q.department_id = *department;
            }
            Moderation::Pin => match state {
                Approved | Answered => q.pinned = true,
                _ => return Err(WrongState(state)),
            },
            Moderation::Unpin => q.pinned = false,
        }
        q.version += 1;
        Ok(q)
    }
}

/// Whether a question can take another question's votes.
pub fn can_receive_merge(target: &Question, source: &Question) -> bool {
    target.id != source.id
        && target.event_id == source.event_id
        && matches!(
            target.state,
            QuestionState::Pending | QuestionState::Approved | QuestionState::Answered
        )
}

/// What an official sends to answer.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnswerInput {
    /// Markdown; may be empty when `live` is set.
    pub body: Option<String>,
    /// Marks the question as answered in the live exchange.
    #[serde(default)]
    pub live: bool,
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAnswer {
    pub body: String,
    pub live: bool,
    pub lang: Lang,
}

impl AnswerInput {
    pub fn validate(&self, default_lang: Lang) -> Result<NewAnswer, Invalid> {
        let mut c = Checker::new();
        let body = if self.live {
            c.optional("body", self.body.as_deref(), ANSWER_MAX)
                .unwrap_or_default()
        } else {
            c.required("body", self.body.as_deref(), ANSWER_MAX)
        };
        let lang = language(&mut c, self.lang.as_deref(), default_lang);
        c.finish(())?;
        Ok(NewAnswer {
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

#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// What an organiser sends to create a poll: the question and options per language.
#[derive(Debug, Clone, Default, Deserialize)]
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
pub struct NewPoll {
    pub question: Localized,
    pub options: Vec<Localized>,
    pub multiple: bool,
    pub session_id: Option<SessionId>,
}

impl PollInput {
    pub fn validate(&self) -> Result<NewPoll, Invalid> {
        let mut c = Checker::new();
        let question = check_localized(&mut c, "question", &self.question);
        let options: Vec<Localized> = self
            .options
            .iter()
            .filter(|o| !o.is_empty())
            .enumerate()
            .map(|(i, o)| check_localized(&mut c, &format!("options.{i}"), o))
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
        Ok(NewPoll {
            question,
            options,
            multiple: self.multiple,
            session_id: self.session_id.map(SessionId),
        })
    }
}

fn check_localized(c: &mut Checker, field: &str, text: &Localized) -> Localized {
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
        .validate(Lang::En)
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
        .validate(Lang::En)
        .unwrap_err();
        assert_eq!(err.0[0].limit, Some(QUESTION_MAX));
        let ok = QuestionInput {
            text: Some(" Welche Förderung\u{0007} gibt es? ".into()),
            ..Default::default()
        }
        .validate(Lang::De)
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
        .validate()
        .unwrap_err();
        assert_eq!(err.0[0].field, "reason");
        let err = ModerationInput {
            action: Some("explode".into()),
            ..Default::default()
        }
        .validate()
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
        .validate()
        .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["question", "options"]);
    }
}
