//! Questions on the wire: as the API and the live stream show them (everyone sees the
//! public view; staff also who asked, the original text and the suggestion), and what
//! participants, moderators and officials send.

use crate::api::Language;
use crate::schema::{self, Lines};
use chrono::{DateTime, Utc};
use roadshow_app::events::EventPage;
use roadshow_domain::Localized;
use roadshow_domain::ids::DepartmentId;
use roadshow_domain::questions::{
    self as domain, ANSWER_MAX, ANSWER_WORKING_DAYS_MAX, QUESTION_MAX, REASON_MAX,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

/// A department by its id and name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartmentName {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::localized_out)]
    pub name: Localized,
}

fn department(page: &EventPage, id: Option<DepartmentId>) -> Option<DepartmentName> {
    page.department(id).map(|d| DepartmentName {
        id: d.id.0,
        name: d.name.clone(),
    })
}

/// Where a question is: waiting for a moderator, shown, answered, dismissed or merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionState {
    Pending,
    Approved,
    Answered,
    Dismissed,
    Merged,
}

impl From<domain::QuestionState> for QuestionState {
    fn from(s: domain::QuestionState) -> Self {
        match s {
            domain::QuestionState::Pending => QuestionState::Pending,
            domain::QuestionState::Approved => QuestionState::Approved,
            domain::QuestionState::Answered => QuestionState::Answered,
            domain::QuestionState::Dismissed => QuestionState::Dismissed,
            domain::QuestionState::Merged => QuestionState::Merged,
        }
    }
}

/// An answer: written (Markdown, with its sanitised HTML) or "answered live".
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Answer {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    /// Markdown as written; empty for a bare "answered live".
    pub body: String,
    /// Sanitised HTML; citations of policies and parks as links.
    pub body_html: String,
    pub live: bool,
    pub lang: Language,
    /// The official's name.
    pub author: String,
    pub department: Option<DepartmentName>,
    pub created_at: DateTime<Utc>,
}

impl Answer {
    pub fn new(a: &domain::Answer, page: &EventPage) -> Self {
        Answer {
            id: a.id.0,
            body: a.body.clone(),
            body_html: crate::directory::cited_html(&a.body_html(), page, a.lang),
            live: a.live,
            lang: a.lang.into(),
            author: a.author_name.clone(),
            department: department(page, a.department_id),
            created_at: a.created_at,
        }
    }
}

/// A question of the live exchange. The fields marked "staff" are sent to the agency's
/// staff only; `answers` is left out of a live message about the question alone.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Question {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    /// The event's slug.
    pub event: String,
    /// The session it was asked in.
    #[schema(schema_with = schema::optional_id)]
    pub session: Option<i64>,
    pub text: String,
    pub lang: Language,
    /// "Name (Company)", or null when asked anonymously.
    pub author: Option<String>,
    pub anonymous: bool,
    pub state: QuestionState,
    pub votes: i64,
    pub pinned: bool,
    /// The department it is routed to.
    pub department: Option<DepartmentName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<Answer>>,
    /// Only in a live `question_answered` message: the new answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    pub created_at: DateTime<Utc>,
    /// Staff: who asked, even when anonymous to others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    /// Staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_company: Option<String>,
    /// Staff: the text as asked, when a moderator edited it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable)]
    pub original_text: Option<Option<String>>,
    /// Staff: why it was dismissed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable)]
    pub dismiss_reason: Option<Option<String>>,
    /// Staff: the question that took this one's votes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable)]
    pub merged_into: Option<Option<i64>>,
    /// Staff: the department Roadshow suggests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable)]
    pub suggested_department: Option<Option<DepartmentName>>,
    /// Staff: why that department ("Shunyi, Sino-German Industrial Park, tax").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable)]
    pub suggestion_reason: Option<Option<String>>,
    /// Staff: bumped on every change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

impl Question {
    /// A question as a reader sees it, with its answers.
    pub fn new(q: &domain::Question, staff: bool, page: &EventPage) -> Self {
        let mut out = Question::delta(q, staff, page);
        out.answers = Some(q.answers.iter().map(|a| Answer::new(a, page)).collect());
        out
    }

    /// A question without its answers: what a live message sends when the question
    /// itself changed (the answers the reader has stay as they are).
    pub fn delta(q: &domain::Question, staff: bool, page: &EventPage) -> Self {
        Question {
            id: q.id.0,
            event: page.event.slug.clone(),
            session: q.session_id.map(|s| s.0),
            text: q.text.clone(),
            lang: q.lang.into(),
            author: q.public_author(),
            anonymous: q.anonymous,
            state: q.state.into(),
            votes: q.votes,
            pinned: q.pinned,
            department: department(page, q.department_id),
            answers: None,
            answer: None,
            created_at: q.created_at,
            author_name: for_staff(staff, q.author_name.clone()),
            author_company: for_staff(staff, q.author_company.clone()),
            original_text: for_staff(staff, q.original_text.clone()),
            dismiss_reason: for_staff(staff, q.dismiss_reason.clone()),
            merged_into: for_staff(staff, q.merged_into.map(|m| m.0)),
            suggested_department: for_staff(staff, department(page, q.suggested_department)),
            suggestion_reason: for_staff(staff, q.suggestion_reason.clone()),
            version: staff.then_some(q.version),
        }
    }
}

/// A value only the agency's staff see.
fn for_staff<T>(staff: bool, value: T) -> Option<T> {
    staff.then_some(value)
}

/// An event's questions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Questions {
    pub questions: Vec<Question>,
    /// The `after` of the next page; `null` on the last page.
    #[schema(schema_with = schema::optional_id)]
    pub next_after: Option<i64>,
}

/// A vote counted (or taken back).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VoteResult {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    /// The count as stored.
    pub votes: i64,
    /// Whether the caller's vote now counts.
    pub voted: bool,
    /// Whether this call changed anything.
    pub changed: bool,
}

/// A question routed to an official's department, with its deadline.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Assignment {
    /// The event's slug.
    pub event: String,
    pub due: DateTime<Utc>,
    pub overdue: bool,
    pub question: Question,
}

/// An official's routed questions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Assignments {
    pub assignments: Vec<Assignment>,
    /// The `after` of the next page; `null` on the last page.
    #[schema(schema_with = crate::schema::optional_id)]
    pub next_after: Option<i64>,
}

/// Which routed questions to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentsQuery {
    /// `false`: only those still to answer; `true`: only answered ones; empty: both.
    #[param(schema_with = answered_param)]
    pub answered: Option<String>,
}

fn answered_param() -> Object {
    schema::string()
        .pattern(Some("^(true|false)?$"))
        .description(Some("`true`, `false` or empty"))
        .build()
}

impl AssignmentsQuery {
    /// The choice made; anything but `true`, `false` or nothing is named.
    pub fn answered(&self) -> Result<Option<bool>, roadshow_app::AppError> {
        match self.answered.as_deref().unwrap_or("") {
            "" => Ok(None),
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(roadshow_app::AppError::invalid(
                "answered",
                "unknown_choice",
            )),
        }
    }
}

/// How written answers are due, and whether the FAQ is published.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AnswerSettings {
    /// Working days after the event; left out: unchanged.
    #[schema(schema_with = working_days)]
    pub answer_working_days: Option<i64>,
    /// Publishes the FAQ (or takes it back).
    #[serde(default)]
    pub faq_published: bool,
}

/// The answer settings as saved.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnswerSettingsSaved {
    pub answer_working_days: u32,
    pub faq_published_at: Option<DateTime<Utc>>,
}

/// A session as the FAQ names it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionTitle {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::localized_out)]
    pub title: Localized,
}

/// The answered questions of one session (or of none).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FaqTopic {
    pub session: Option<SessionTitle>,
    pub questions: Vec<Question>,
}

/// The answered questions of one department (or of none).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FaqGroup {
    pub department: Option<DepartmentName>,
    pub topics: Vec<FaqTopic>,
}

/// The FAQ: answered questions by department, then by session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Faq {
    /// The event's slug.
    pub event: String,
    pub published_at: Option<DateTime<Utc>>,
    pub groups: Vec<FaqGroup>,
}

/// A question as a participant asks it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct QuestionInput {
    #[schema(schema_with = question_text, required = true)]
    pub text: Option<String>,
    /// A session of the event.
    #[schema(schema_with = schema::optional_id)]
    pub session_id: Option<i64>,
    /// Shown to others without name and company (staff still see them).
    #[serde(default)]
    pub anonymous: bool,
    /// The language it is written in; left out: told from the text.
    #[schema(schema_with = optional_lang)]
    pub lang: Option<String>,
}

impl From<QuestionInput> for domain::QuestionInput {
    fn from(i: QuestionInput) -> Self {
        domain::QuestionInput {
            text: i.text,
            session_id: i.session_id,
            anonymous: i.anonymous,
            lang: i.lang,
        }
    }
}

/// What a moderator does with a question: `approve`; `dismiss` (with a `reason`);
/// `edit` (a new `text`; the original is kept); `merge` (`into` another question of the
/// event, which takes its votes); `route` (to a `department` of the agency, or to none);
/// `pin`; `unpin`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ModerationInput {
    #[schema(schema_with = moderation_action, required = true)]
    pub action: Option<String>,
    /// For `dismiss` (required).
    #[schema(schema_with = reason)]
    pub reason: Option<String>,
    /// For `edit` (required).
    #[schema(schema_with = new_text)]
    pub text: Option<String>,
    /// For `merge` (required).
    #[schema(schema_with = schema::optional_id)]
    pub into: Option<i64>,
    /// For `route`: the department, or none.
    #[schema(schema_with = schema::optional_id)]
    pub department: Option<i64>,
}

impl From<ModerationInput> for domain::ModerationInput {
    fn from(i: ModerationInput) -> Self {
        domain::ModerationInput {
            action: i.action,
            reason: i.reason,
            text: i.text,
            into: i.into,
            department: i.department,
        }
    }
}

/// An answer as an official writes it: a Markdown `body`, or `live: true` to mark the
/// question answered in the exchange (a body is then optional).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AnswerInput {
    /// Markdown; required unless `live`.
    #[schema(schema_with = answer_body)]
    pub body: Option<String>,
    #[serde(default)]
    pub live: bool,
    /// The language it is written in; default the request's.
    #[schema(schema_with = optional_lang)]
    pub lang: Option<String>,
}

impl From<AnswerInput> for domain::AnswerInput {
    fn from(i: AnswerInput) -> Self {
        domain::AnswerInput {
            body: i.body,
            live: i.live,
            lang: i.lang,
        }
    }
}

fn question_text() -> Object {
    schema::filled(QUESTION_MAX, Lines::Many)
}

fn optional_lang() -> Object {
    schema::optional_one_of(&["de", "en", "zh", "fr"])
}

fn working_days() -> Object {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::Integer,
            Type::Null,
        ]))
        .minimum(Some(0))
        .maximum(Some(ANSWER_WORKING_DAYS_MAX))
        .build()
}

fn moderation_action() -> Object {
    schema::one_of(&[
        "approve", "dismiss", "edit", "merge", "route", "pin", "unpin",
    ])
}

fn reason() -> Object {
    schema::optional_text(REASON_MAX, Lines::Many)
}

fn new_text() -> Object {
    schema::optional_text(QUESTION_MAX, Lines::Many)
}

fn answer_body() -> Object {
    schema::optional_text(ANSWER_MAX, Lines::Many)
}
