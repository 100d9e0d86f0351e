//! Leads on the wire: a lead with its FDI project, the board, a lead's score, tasks,
//! contacts and timeline, assignment rules, signals, company merges, and what officers
//! send.

use crate::api::{CountryCode, IndustryCode, Language};
use crate::registrations::wire::CompanyInput;
use crate::schema::{self, Lines};
use crate::surveys::wire::SurveyResponse;
use chrono::{DateTime, NaiveDate, Utc};
use roadshow_app::leads::TimelineEntry;
use roadshow_domain::leads::companies::{CompanyMerge, Duplicate, MatchReason};
use roadshow_domain::leads::{
    self as domain, MAX_CAPEX, MAX_JOBS, MAX_NOTES, MAX_RULES, MAX_TEXT, RuleField, Stage,
};
use roadshow_domain::signals::{Signal, SignalKind};
use roadshow_domain::surveys::{DISTRICTS, ProjectType};
use serde::{Deserialize, Serialize};
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::{IntoParams, ToSchema};

mod companies;
mod inputs;
pub use companies::*;
pub use inputs::*;

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| code(*x)).collect()
}

/// The company a lead is about.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeadCompany {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    pub name: String,
    #[schema(value_type = CountryCode)]
    pub country: String,
    #[schema(value_type = IndustryCode)]
    pub industry: String,
    pub website: Option<String>,
    pub is_sample: bool,
}

/// A company followed up by investment officers, with its FDI project.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Lead {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub agency_id: i64,
    pub company: LeadCompany,
    #[schema(schema_with = stage)]
    pub stage: String,
    pub lost_reason: Option<String>,
    /// The officer who follows it; null: in the shared pool.
    #[schema(schema_with = schema::optional_id)]
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    #[schema(value_type = Option<IndustryCode>)]
    pub sector: Option<String>,
    #[schema(schema_with = activity_out)]
    pub activity: Option<String>,
    /// Planned capital expenditure, CNY.
    pub capex_cny: Option<i64>,
    pub jobs: Option<i64>,
    #[schema(schema_with = district_out)]
    pub target_district: Option<String>,
    #[schema(schema_with = schema::optional_id)]
    pub target_park_id: Option<i64>,
    pub next_step: Option<String>,
    pub next_step_due: Option<NaiveDate>,
    pub notes: String,
    /// The day the investment contract was signed.
    pub signed_on: Option<NaiveDate>,
    /// The day the investment started operating.
    pub started_on: Option<NaiveDate>,
    /// Capital actually in place, CNY (never added to `capex_cny`, which is announced).
    pub realised_capex_cny: Option<i64>,
    /// Jobs actually created (never added to `jobs`, which are announced).
    pub realised_jobs: Option<i64>,
    /// How it started: the survey, a host's follow-up, or by hand.
    #[schema(schema_with = source)]
    pub source: String,
    pub score: i64,
    pub open_tasks: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by every change: send it back as `If-Match` so that a change made
    /// meanwhile by someone else is not overwritten (409).
    pub version: i64,
}

impl From<&domain::Lead> for Lead {
    fn from(l: &domain::Lead) -> Self {
        let p = &l.project;
        Lead {
            id: l.id.0,
            agency_id: l.agency_id.0,
            company: LeadCompany {
                id: l.company.id.0,
                name: l.company.name.clone(),
                country: l.company.country.clone(),
                industry: l.company.industry.clone(),
                website: l.company.website.clone(),
                is_sample: l.company.is_sample,
            },
            stage: l.stage.code().into(),
            lost_reason: l.lost_reason.clone(),
            owner_id: l.owner_id.map(|o| o.0),
            owner_name: l.owner_name.clone(),
            sector: p.sector.clone(),
            activity: p.activity.map(|a| a.code().into()),
            capex_cny: p.capex_cny,
            jobs: p.jobs,
            target_district: p.target_district.clone(),
            target_park_id: p.target_park_id.map(|i| i.0),
            next_step: p.next_step.clone(),
            next_step_due: p.next_step_due,
            notes: p.notes.clone(),
            signed_on: p.signed_on,
            started_on: p.started_on,
            realised_capex_cny: p.realised_capex_cny,
            realised_jobs: p.realised_jobs,
            source: l.source.code().into(),
            score: l.score,
            open_tasks: l.open_tasks,
            created_at: l.created_at,
            updated_at: l.updated_at,
            version: l.version,
        }
    }
}

/// A page of leads.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeadList {
    /// All leads the filters select.
    pub total: i64,
    /// Where this page starts.
    pub offset: i64,
    pub leads: Vec<Lead>,
}

/// A stage of the board with its count and first leads.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BoardColumn {
    #[schema(schema_with = stage)]
    pub stage: String,
    pub total: i64,
    pub leads: Vec<Lead>,
}

/// The board: every stage.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Board {
    /// The board's revision when it was read: follow
    /// `GET /api/v1/leads/board/stream?after={revision}` to hear when it changes.
    pub revision: i64,
    pub columns: Vec<BoardColumn>,
}

impl From<&domain::BoardColumn> for BoardColumn {
    fn from(c: &domain::BoardColumn) -> Self {
        BoardColumn {
            stage: c.stage.code().into(),
            total: c.total,
            leads: c.leads.iter().map(Lead::from).collect(),
        }
    }
}

/// One reason for points.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScorePart {
    /// What counted (`intent-committed`, `registered`, `asked`…).
    pub code: String,
    pub count: i64,
    pub points: i64,
}

/// A lead's score with its reasons.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Score {
    pub total: i64,
    pub parts: Vec<ScorePart>,
}

impl From<&domain::Score> for Score {
    fn from(s: &domain::Score) -> Self {
        Score {
            total: s.total,
            parts: s
                .parts
                .iter()
                .map(|p| ScorePart {
                    code: p.code.clone(),
                    count: p.count,
                    points: p.points,
                })
                .collect(),
        }
    }
}

/// A task on a lead.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Task {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub lead_id: i64,
    pub company_name: String,
    pub title: String,
    pub due_on: NaiveDate,
    #[schema(schema_with = schema::optional_id)]
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&domain::Task> for Task {
    fn from(t: &domain::Task) -> Self {
        Task {
            id: t.id.0,
            lead_id: t.lead_id.0,
            company_name: t.company_name.clone(),
            title: t.title.clone(),
            due_on: t.due_on,
            assignee_id: t.assignee_id.map(|a| a.0),
            assignee_name: t.assignee_name.clone(),
            done_at: t.done_at,
            created_at: t.created_at,
        }
    }
}

/// A person of the company, with how many events they registered for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Contact {
    #[schema(schema_with = schema::id)]
    pub participant_id: i64,
    pub name: String,
    #[schema(format = Email)]
    pub email: String,
    pub job_title: Option<String>,
    pub language: Language,
    pub events: i64,
    /// Whether they agreed to their contact being passed to the parks and departments
    /// of the register of recipients.
    pub shares: bool,
}

/// A lead with its score, tasks, contacts and the company's survey answers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeadDetail {
    pub lead: Lead,
    pub score: Score,
    pub tasks: Vec<Task>,
    pub contacts: Vec<Contact>,
    pub survey_answers: Vec<SurveyResponse>,
}

/// One entry of a lead's timeline: what a participant of the company did (`signal`), or
/// a change an officer made (`change`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum TimelineItem {
    Signal {
        at: DateTime<Utc>,
        #[schema(schema_with = signal_kind)]
        kind: String,
        /// The participant's name.
        participant: String,
        #[schema(schema_with = schema::id)]
        event_id: i64,
        /// The question, poll, meeting… it was about.
        ref_id: i64,
        /// Seconds attended, or the interest level answered.
        amount: i64,
    },
    Change {
        at: DateTime<Utc>,
        field: String,
        before: Option<String>,
        after: Option<String>,
        /// Who made it.
        by: Option<String>,
    },
}

impl From<&TimelineEntry> for TimelineItem {
    fn from(e: &TimelineEntry) -> Self {
        match e {
            TimelineEntry::Signal(s) => TimelineItem::Signal {
                at: s.at,
                kind: s.kind.code().into(),
                participant: s.participant_name.clone(),
                event_id: s.event_id.0,
                ref_id: s.ref_id,
                amount: s.amount,
            },
            TimelineEntry::Change(c) => TimelineItem::Change {
                at: c.at,
                field: c.field.clone(),
                before: c.before.clone(),
                after: c.after.clone(),
                by: c.actor_name.clone(),
            },
        }
    }
}

/// A lead's score and timeline, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Timeline {
    pub score: Score,
    pub timeline: Vec<TimelineItem>,
}

/// The caller's open tasks, overdue first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Tasks {
    /// A page of the open tasks, earliest due first.
    pub tasks: Vec<Task>,
    /// The `after` of the next page; `null` on the last page.
    #[schema(schema_with = schema::optional_id)]
    pub next_after: Option<i64>,
}

/// "Leads whose sector is automotive go to officer 7"; tried in order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Rule {
    #[schema(schema_with = rule_field)]
    pub field: String,
    pub value: String,
    #[schema(schema_with = schema::id)]
    pub owner_id: i64,
}

/// The agency's assignment rules.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Rules {
    pub rules: Vec<Rule>,
}

impl Rules {
    pub fn new(rules: &[domain::AssignmentRule]) -> Self {
        Rules {
            rules: rules
                .iter()
                .map(|r| Rule {
                    field: r.field.code().into(),
                    value: r.value.clone(),
                    owner_id: r.owner_id.0,
                })
                .collect(),
        }
    }
}

fn stage() -> Object {
    schema::one_of(&codes(Stage::ALL, Stage::code))
}

fn source() -> Object {
    schema::one_of(&["survey", "follow_up", "manual"])
}

fn activity() -> Object {
    schema::optional_one_of(&codes(ProjectType::ALL, ProjectType::code))
}

fn activity_out() -> Object {
    activity()
}

fn district() -> Object {
    schema::optional_one_of(DISTRICTS)
}

fn district_out() -> Object {
    district()
}

fn rule_field() -> Object {
    schema::one_of(&codes(RuleField::ALL, RuleField::code))
}

fn rule_value() -> Object {
    schema::filled(schema::UNBOUNDED, Lines::One)
}

fn rules() -> utoipa::openapi::schema::ArrayBuilder {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(<RuleInput as utoipa::PartialSchema>::schema())
        .max_items(Some(MAX_RULES))
}

fn short_text() -> Object {
    schema::optional_text(MAX_TEXT, Lines::One)
}

fn title() -> Object {
    schema::filled(MAX_TEXT, Lines::One)
}

fn notes() -> Object {
    schema::optional_text(MAX_NOTES, Lines::Many)
}

fn line() -> Object {
    schema::text(schema::UNBOUNDED, Lines::One)
}
