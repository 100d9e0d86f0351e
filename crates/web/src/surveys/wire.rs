//! The intent survey on the wire: the survey with its wording, a participant's answers,
//! and what organisers and participants send.

use super::wording::{choice_codes, choice_label, question_text};
use crate::schema::{self, Lines};
use chrono::{DateTime, Utc};
use roadshow_domain::reference::INDUSTRIES;
use roadshow_domain::surveys::{
    self as domain, DISTRICTS, Horizon, Interest, InvestmentBand, MAX_COMMENT, MAX_REMINDER_DAYS,
    MAX_WORDING, NextStep, ProjectType, QUESTIONS,
};
use roadshow_domain::{Lang, Localized};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};

/// The codes of a closed list.
fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| code(*x)).collect()
}

/// The survey of an event, as its organiser set it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Survey {
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    /// One more with every edit; each answer keeps the version it answered.
    pub version: i64,
    #[schema(schema_with = schema::localized_out)]
    pub intro: Localized,
    /// The organiser's own wording by question key (the rest read the default).
    #[schema(schema_with = wordings_out)]
    pub questions: BTreeMap<String, Localized>,
    /// When the invitations go out (null: at the event's end).
    pub send_at: Option<DateTime<Utc>>,
    pub deadline: DateTime<Utc>,
    /// Days before the deadline the one reminder goes out.
    pub reminder_days: u32,
    pub sent_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<&domain::Survey> for Survey {
    fn from(s: &domain::Survey) -> Self {
        Survey {
            event_id: s.event_id.0,
            version: s.version,
            intro: s.intro.clone(),
            questions: s.questions.clone(),
            send_at: s.send_at,
            deadline: s.deadline,
            reminder_days: s.reminder_days,
            sent_at: s.sent_at,
            updated_at: s.updated_at,
        }
    }
}

/// A code of a closed list with its label in the reader's language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// A question as the reader reads it: its wording and, for closed lists, the codes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SurveyQuestion {
    #[schema(schema_with = question_key)]
    pub key: String,
    pub text: String,
    pub choices: Vec<Choice>,
}

/// The questions in order, worded in `lang`.
pub fn questions(survey: &domain::Survey, lang: Lang) -> Vec<SurveyQuestion> {
    QUESTIONS
        .iter()
        .map(|k| SurveyQuestion {
            key: k.to_string(),
            text: question_text(survey, k, lang),
            choices: choice_codes(k)
                .into_iter()
                .map(|c| Choice {
                    code: c.to_string(),
                    label: choice_label(k, c, lang),
                })
                .collect(),
        })
        .collect()
}

/// One participant's answers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SurveyResponse {
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    #[schema(schema_with = schema::id)]
    pub registration_id: i64,
    #[schema(schema_with = schema::id)]
    pub participant_id: i64,
    #[schema(schema_with = schema::id)]
    pub company_id: i64,
    pub survey_version: i64,
    #[schema(schema_with = interest)]
    pub interest: String,
    /// Where the company stood before the event (same scale), if it said.
    #[schema(schema_with = interest_before)]
    pub interest_before: Option<String>,
    #[schema(schema_with = sectors)]
    pub sectors: Vec<String>,
    #[schema(schema_with = districts)]
    pub districts: Vec<String>,
    pub parks: Vec<i64>,
    #[schema(schema_with = project_type_out)]
    pub project_type: Option<String>,
    #[schema(schema_with = investment_out)]
    pub investment: Option<String>,
    #[schema(schema_with = timeline_out)]
    pub timeline: Option<String>,
    #[schema(schema_with = next_steps)]
    pub next_steps: Vec<String>,
    pub policies: Vec<i64>,
    pub comment: Option<String>,
    /// Agreement to be contacted about the answers.
    pub consent: bool,
    pub answered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&domain::SurveyResponse> for SurveyResponse {
    fn from(r: &domain::SurveyResponse) -> Self {
        let a = &r.answers;
        SurveyResponse {
            event_id: r.event_id.0,
            registration_id: r.registration_id.0,
            participant_id: r.participant_id.0,
            company_id: r.company_id.0,
            survey_version: r.survey_version,
            interest: a.interest.code().into(),
            interest_before: a.interest_before.map(|i| i.code().into()),
            sectors: a.sectors.clone(),
            districts: a.districts.clone(),
            parks: a.parks.iter().map(|p| p.0).collect(),
            project_type: a.project_type.map(|p| p.code().into()),
            investment: a.investment.map(|p| p.code().into()),
            timeline: a.timeline.map(|p| p.code().into()),
            next_steps: a.next_steps.iter().map(|s| s.code().into()).collect(),
            policies: a.policies.iter().map(|p| p.0).collect(),
            comment: a.comment.clone(),
            consent: a.consent,
            answered_at: r.answered_at,
            updated_at: r.updated_at,
        }
    }
}

/// The organiser's view: the survey, its questions as worded, how many were asked, the
/// answers counted by interest, and every answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SurveyAdmin {
    /// `null` until the organiser has worded and timed the survey (then `questions` is
    /// empty).
    #[schema(required = true)]
    pub survey: Option<Survey>,
    pub questions: Vec<SurveyQuestion>,
    /// Participants registered.
    pub participants: usize,
    /// Answers by interest code.
    #[schema(schema_with = interest_counts)]
    pub interest: BTreeMap<String, usize>,
    /// A page of the answers, in the order of their registrations.
    pub responses: Vec<SurveyResponse>,
    /// The `after` of the next page of answers; `null` on the last page.
    #[schema(schema_with = schema::optional_id)]
    pub next_after: Option<i64>,
}

/// A choice of the agency's: a park by name or a policy by title, in the reader's
/// language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NamedPark {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    pub name: String,
}

/// A policy by its title in the reader's language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TitledPolicy {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    pub title: String,
}

/// A participant's survey: the questions as worded in their language, the agency's
/// parks and policies to choose from, and their answers so far.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SurveyForm {
    /// Answers may still change.
    pub open: bool,
    pub deadline: DateTime<Utc>,
    pub version: i64,
    pub questions: Vec<SurveyQuestion>,
    pub parks: Vec<NamedPark>,
    pub policies: Vec<TitledPolicy>,
    pub response: Option<SurveyResponse>,
}

/// Invitations sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Sent {
    pub sent: usize,
}

/// The survey as an organiser words and times it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    #[serde(default)]
    #[schema(schema_with = intro)]
    pub intro: Localized,
    /// Own wording by question key; a question left out reads the default.
    #[serde(default)]
    #[schema(schema_with = wordings)]
    pub questions: BTreeMap<String, Localized>,
    /// When the invitations go out; empty: at the event's end.
    #[serde(default)]
    #[schema(schema_with = optional_time)]
    pub send_at: Option<String>,
    /// After the sending time.
    #[serde(default)]
    #[schema(schema_with = schema::local_time, required = true)]
    pub deadline: Option<String>,
    /// Default 7.
    #[serde(default)]
    #[schema(schema_with = reminder_days)]
    pub reminder_days: Option<u32>,
}

impl From<SurveyInput> for domain::SurveyInput {
    fn from(i: SurveyInput) -> Self {
        domain::SurveyInput {
            intro: i.intro,
            questions: i.questions,
            send_at: i.send_at,
            deadline: i.deadline,
            reminder_days: i.reminder_days,
        }
    }
}

/// A participant's answers.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    #[serde(default)]
    #[schema(schema_with = interest, required = true)]
    pub interest: Option<String>,
    /// Where the company stood before the event, on the same scale (optional).
    #[serde(default)]
    #[schema(schema_with = interest_before)]
    pub interest_before: Option<String>,
    #[serde(default)]
    #[schema(schema_with = sectors)]
    pub sectors: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = districts)]
    pub districts: Vec<String>,
    /// Parks of the agency.
    #[serde(default)]
    #[schema(schema_with = choice_ids)]
    pub parks: Vec<i64>,
    #[serde(default)]
    #[schema(schema_with = project_type)]
    pub project_type: Option<String>,
    /// In CNY: `lt_10m`, `10m_50m`, `50m_200m`, `200m_1b`, `gt_1b`, `undecided`.
    #[serde(default)]
    #[schema(schema_with = investment)]
    pub investment: Option<String>,
    #[serde(default)]
    #[schema(schema_with = timeline)]
    pub timeline: Option<String>,
    #[serde(default)]
    #[schema(schema_with = next_steps)]
    pub next_steps: Vec<String>,
    /// Policies of the agency.
    #[serde(default)]
    #[schema(schema_with = choice_ids)]
    pub policies: Vec<i64>,
    #[serde(default)]
    #[schema(schema_with = comment)]
    pub comment: Option<String>,
    /// Agreement to be contacted about the answers.
    #[serde(default)]
    pub consent: Option<bool>,
}

impl From<ResponseInput> for domain::ResponseInput {
    fn from(i: ResponseInput) -> Self {
        domain::ResponseInput {
            interest: i.interest,
            interest_before: i.interest_before,
            sectors: i.sectors,
            districts: i.districts,
            parks: i.parks,
            project_type: i.project_type,
            investment: i.investment,
            timeline: i.timeline,
            next_steps: i.next_steps,
            policies: i.policies,
            comment: i.comment,
            consent: i.consent,
        }
    }
}

fn question_key() -> Object {
    schema::one_of(QUESTIONS)
}

fn interest() -> Object {
    schema::one_of(&codes(Interest::ALL, Interest::code))
}

fn interest_before() -> Object {
    nullable(&codes(Interest::ALL, Interest::code))
}

fn interest_counts() -> Object {
    let mut o = ObjectBuilder::new().schema_type(Type::Object);
    for code in codes(Interest::ALL, Interest::code) {
        o = o.property(
            code,
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        );
    }
    o.additional_properties(Some(
        utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
    ))
    .build()
}

fn nullable(values: &[&str]) -> Object {
    schema::optional_one_of(values)
}

fn project_type() -> Object {
    nullable(&codes(ProjectType::ALL, ProjectType::code))
}

fn investment() -> Object {
    nullable(&codes(InvestmentBand::ALL, InvestmentBand::code))
}

fn timeline() -> Object {
    nullable(&codes(Horizon::ALL, Horizon::code))
}

fn project_type_out() -> Object {
    project_type()
}

fn investment_out() -> Object {
    investment()
}

fn timeline_out() -> Object {
    timeline()
}

fn sectors() -> ArrayBuilder {
    schema::list_of(INDUSTRIES, schema::UNBOUNDED)
}

fn districts() -> ArrayBuilder {
    schema::list_of(DISTRICTS, schema::UNBOUNDED)
}

fn next_steps() -> ArrayBuilder {
    schema::list_of(&codes(NextStep::ALL, NextStep::code), schema::UNBOUNDED)
}

fn choice_ids() -> ArrayBuilder {
    schema::ids(schema::UNBOUNDED)
}

fn comment() -> Object {
    schema::optional_text(MAX_COMMENT, Lines::Many)
}

fn intro() -> Schema {
    schema::localized(MAX_WORDING, false, Lines::Many)
}

fn wordings() -> Object {
    let mut o = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ));
    for key in QUESTIONS {
        o = o.property(*key, schema::localized(MAX_WORDING, false, Lines::Many));
    }
    o.build()
}

fn wordings_out() -> Object {
    let mut o = ObjectBuilder::new().schema_type(Type::Object);
    for key in QUESTIONS {
        o = o.property(*key, schema::localized_out());
    }
    o.build()
}

fn optional_time() -> Object {
    schema::optional_local_time()
}

fn reminder_days() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .minimum(Some(1))
        .maximum(Some(MAX_REMINDER_DAYS))
        .build()
}
