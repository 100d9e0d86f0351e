//! Leads: companies that may invest, followed up by the agency's investment officers
//! from first interest to an established investment. A lead is one per company; it is
//! created by the company's survey answer, a host's "follow-up wanted", or by hand, and
//! every change to it is recorded.

pub mod changes;
pub mod companies;
pub mod rules;
pub mod score;
pub mod tasks;

use crate::ids::*;
use crate::store::StoreResult;
use crate::surveys::ProjectType;
use crate::validation::{Checker, Invalid};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use changes::{ChangeDraft, LeadChange, changed_in_last_saves, project_changes};
pub use companies::{CompanyMerge, CompanySummary, Duplicate, MatchReason};
pub use rules::{AssignmentRule, MAX_RULES, RuleField, RuleInput, assign, parse_rules};
pub use score::{Score, ScorePart};
pub use tasks::{Task, TaskDraft, TaskInput};

/// Where a lead stands. `Lost` needs a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Prospect,
    Engaged,
    SiteVisit,
    Negotiation,
    Signed,
    Established,
    Lost,
}

impl Stage {
    pub const ALL: &'static [Stage] = &[
        Stage::Prospect,
        Stage::Engaged,
        Stage::SiteVisit,
        Stage::Negotiation,
        Stage::Signed,
        Stage::Established,
        Stage::Lost,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Prospect => "prospect",
            Stage::Engaged => "engaged",
            Stage::SiteVisit => "site_visit",
            Stage::Negotiation => "negotiation",
            Stage::Signed => "signed",
            Stage::Established => "established",
            Stage::Lost => "lost",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.iter().copied().find(|s| s.code() == code)
    }
}

/// Why a lead exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadSource {
    Survey,
    FollowUp,
    Manual,
}

impl LeadSource {
    pub fn code(self) -> &'static str {
        match self {
            LeadSource::Survey => "survey",
            LeadSource::FollowUp => "follow_up",
            LeadSource::Manual => "manual",
        }
    }

    pub fn parse(code: &str) -> Option<LeadSource> {
        [LeadSource::Survey, LeadSource::FollowUp, LeadSource::Manual]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// The company a lead is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadCompany {
    pub id: CompanyId,
    pub name: String,
    pub country: String,
    pub industry: String,
    pub website: Option<String>,
    /// Invented by the demo.
    pub is_sample: bool,
}

/// A lead. Project fields follow FDI trackers' taxonomy: sector, business activity,
/// capital expenditure (CNY) and jobs, so that figures add up across events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lead {
    pub id: LeadId,
    pub agency_id: AgencyId,
    pub company: LeadCompany,
    pub stage: Stage,
    pub lost_reason: Option<String>,
    pub owner_id: Option<AccountId>,
    pub owner_name: Option<String>,
    #[serde(flatten)]
    pub project: Project,
    pub source: LeadSource,
    pub score: i64,
    pub open_tasks: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by every change an officer makes: a save based on an older one is refused.
    pub version: i64,
}

/// What the officer keeps about the planned investment and the next step.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub sector: Option<String>,
    pub activity: Option<ProjectType>,
    pub capex_cny: Option<i64>,
    pub jobs: Option<i64>,
    pub target_district: Option<String>,
    pub target_park_id: Option<ParkId>,
    pub next_step: Option<String>,
    pub next_step_due: Option<NaiveDate>,
    pub notes: String,
    /// What became of the project, kept apart from what was announced (`capex_cny`,
    /// `jobs`): the day the contract was signed, the day operations started, and the
    /// capital (CNY) and jobs actually in place. Never added to the announced figures.
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
    #[serde(default)]
    pub started_on: Option<NaiveDate>,
    #[serde(default)]
    pub realised_capex_cny: Option<i64>,
    #[serde(default)]
    pub realised_jobs: Option<i64>,
}

impl Lead {
    /// Whether the next step's date has passed at `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.project.next_step_due.is_some_and(|d| d < today)
            && !matches!(self.stage, Stage::Established | Stage::Lost)
    }

    /// Whether the project started operating: a start date, or the stage `established`.
    pub fn started(&self) -> bool {
        self.project.started_on.is_some() || self.stage == Stage::Established
    }

    /// Whether the project has capital in place (a realised amount above zero).
    pub fn capital_in_place(&self) -> bool {
        self.project.realised_capex_cny.is_some_and(|c| c > 0)
    }
}

pub const MAX_NOTES: usize = 10_000;
pub const MAX_TEXT: usize = 300;
/// The largest capital expenditure accepted, in CNY (a trillion: no project is larger).
pub const MAX_CAPEX: i64 = 1_000_000_000_000;
pub const MAX_JOBS: i64 = 1_000_000;

/// A lead's details as submitted (API JSON or the lead's form); it replaces them all.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub activity: Option<String>,
    #[serde(default)]
    pub capex_cny: Option<i64>,
    #[serde(default)]
    pub jobs: Option<i64>,
    #[serde(default)]
    pub target_district: Option<String>,
    #[serde(default)]
    pub target_park_id: Option<i64>,
    #[serde(default)]
    pub next_step: Option<String>,
    #[serde(default)]
    pub next_step_due: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default)]
    pub signed_on: Option<String>,
    #[serde(default)]
    pub started_on: Option<String>,
    #[serde(default)]
    pub realised_capex_cny: Option<i64>,
    #[serde(default)]
    pub realised_jobs: Option<i64>,
}

/// Checked details and the owner they name.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectDraft {
    pub project: Project,
    pub owner_id: Option<AccountId>,
}

impl ProjectInput {
    /// Checks each field; `parks` and `officers` are those the agency has.
    pub fn parse(&self, parks: &[ParkId], officers: &[AccountId]) -> Result<ProjectDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["notes"]);
        let sector = self
            .sector
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if sector.is_some_and(|s| !crate::reference::is_industry(s)) {
            check.push("sector", "unknown_choice");
        }
        let activity = match self
            .activity
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(code) => ProjectType::parse(code).or_else(|| {
                check.push("activity", "unknown_choice");
                None
            }),
            None => None,
        };
        if self
            .capex_cny
            .is_some_and(|c| !(0..=MAX_CAPEX).contains(&c))
        {
            check.push_limit("capex_cny", "out_of_range", MAX_CAPEX as usize);
        }
        if self.jobs.is_some_and(|j| !(0..=MAX_JOBS).contains(&j)) {
            check.push_limit("jobs", "out_of_range", MAX_JOBS as usize);
        }
        let district = self
            .target_district
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if district.is_some_and(|d| !crate::surveys::is_district(d)) {
            check.push("target_district", "unknown_choice");
        }
        let park = self.target_park_id.map(ParkId);
        if park.is_some_and(|p| !parks.contains(&p)) {
            check.push("target_park_id", "unknown_choice");
        }
        let owner = self.owner_id.map(AccountId);
        if owner.is_some_and(|o| !officers.contains(&o)) {
            check.push("owner_id", "unknown_choice");
        }
        let next_step = check.optional("next_step", self.next_step.as_deref(), MAX_TEXT);
        let due = date_field(&mut check, "next_step_due", self.next_step_due.as_deref());
        let notes = check
            .optional("notes", self.notes.as_deref(), MAX_NOTES)
            .unwrap_or_default();
        let signed_on = date_field(&mut check, "signed_on", self.signed_on.as_deref());
        let started_on = date_field(&mut check, "started_on", self.started_on.as_deref());
        if let (Some(signed), Some(started)) = (signed_on, started_on) {
            if started < signed {
                check.push("started_on", "before_signing");
            }
        }
        if self
            .realised_capex_cny
            .is_some_and(|c| !(0..=MAX_CAPEX).contains(&c))
        {
            check.push_limit("realised_capex_cny", "out_of_range", MAX_CAPEX as usize);
        }
        if self
            .realised_jobs
            .is_some_and(|j| !(0..=MAX_JOBS).contains(&j))
        {
            check.push_limit("realised_jobs", "out_of_range", MAX_JOBS as usize);
        }
        check.finish(ProjectDraft {
            project: Project {
                sector: sector.map(str::to_string),
                activity,
                capex_cny: self.capex_cny,
                jobs: self.jobs,
                target_district: district.map(str::to_string),
                target_park_id: park,
                next_step,
                next_step_due: due,
                notes,
                signed_on,
                started_on,
                realised_capex_cny: self.realised_capex_cny,
                realised_jobs: self.realised_jobs,
            },
            owner_id: owner,
        })
    }
}

/// An optional `YYYY-MM-DD` date.
pub fn date_field(check: &mut Checker, field: &str, value: Option<&str>) -> Option<NaiveDate> {
    let text = value.unwrap_or("").trim();
    if text.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) if crate::time::SUPPORTED_YEARS.contains(&chrono::Datelike::year(&d)) => Some(d),
        _ => {
            check.push(field, "invalid_date");
            None
        }
    }
}

/// A lead added by hand: an existing company by id, or a new company.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLeadInput {
    #[serde(default)]
    pub company_id: Option<i64>,
    #[serde(default)]
    pub company: crate::registrations::CompanyInput,
    /// Whether a `company` was sent at all (with an id, even an empty one is one too many).
    #[serde(skip)]
    pub company_sent: bool,
}

/// What a lead added by hand is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewLead {
    /// A company the agency knows.
    Existing(CompanyId),
    /// A company to add.
    New(crate::registrations::CompanyDraft),
}

impl NewLeadInput {
    /// The company: an existing one by id, or a new one; not both.
    pub fn parse(&self) -> Result<NewLead, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &[]);
        if let Some(id) = self.company_id {
            let c = &self.company;
            let given = [&c.name, &c.country, &c.industry, &c.size, &c.website]
                .iter()
                .any(|v| v.is_some());
            if given || self.company_sent {
                check.push("company", "company_or_id");
            }
            return check.finish(NewLead::Existing(CompanyId(id)));
        }
        let company = self.company.check(&mut check, "company.");
        check.finish(NewLead::New(company))
    }
}

/// A move to another stage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub lost_reason: Option<String>,
}

impl StageInput {
    pub fn parse(&self) -> Result<(Stage, Option<String>), Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &[]);
        let stage = match self.stage.as_deref().map(str::trim) {
            None | Some("") => {
                check.push("stage", "required");
                Stage::Prospect
            }
            Some(code) => Stage::parse(code).unwrap_or_else(|| {
                check.push("stage", "unknown_choice");
                Stage::Prospect
            }),
        };
        let reason = check.optional("lost_reason", self.lost_reason.as_deref(), MAX_TEXT);
        if stage == Stage::Lost && reason.is_none() {
            check.push("lost_reason", "required");
        }
        let reason = if stage == Stage::Lost { reason } else { None };
        check.finish((stage, reason))
    }
}

/// Whose leads a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OwnerFilter {
    #[default]
    Anyone,
    /// The shared pool: leads without an owner.
    Pool,
    Account(AccountId),
}

/// A list's filters; all combine.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadFilter {
    pub stage: Option<Stage>,
    pub owner: OwnerFilter,
    pub country: Option<String>,
    pub sector: Option<String>,
    pub district: Option<String>,
    pub min_score: Option<i64>,
    /// Only leads whose next step is overdue at this date.
    pub overdue_on: Option<NaiveDate>,
    /// Company name contains.
    pub company: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// One column of the board: how many leads the stage holds and the best-scored of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoardColumn {
    pub stage: Stage,
    pub total: i64,
    pub leads: Vec<Lead>,
}

/// A person of a lead's company.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub participant_id: ParticipantId,
    pub name: String,
    pub email: String,
    pub job_title: Option<String>,
    pub language: crate::Lang,
    pub events: i64,
    /// Whether they agreed to their contact being passed to the parks and departments
    /// of the register of recipients.
    pub shares: bool,
}

/// Cards a board column shows; the list shows the rest.
pub const BOARD_CARDS: i64 = 50;

/// Where leads, their tasks, changes and assignment rules, and company merges are kept.
#[async_trait]
pub trait LeadStore: Send + Sync {
    /// The company's lead, made when missing (with a `created` change): `(lead, true)`
    /// when this call made it. A company merged into another has the other's lead.
    async fn ensure_lead(
        &self,
        company: CompanyId,
        source: LeadSource,
        owner: Option<AccountId>,
        actor: Option<AccountId>,
        at: DateTime<Utc>,
    ) -> StoreResult<(Lead, bool)>;
    async fn lead(&self, id: LeadId) -> StoreResult<Option<Lead>>;
    async fn company_lead(&self, company: CompanyId) -> StoreResult<Option<Lead>>;
    /// Leads of the agency matching `filter`, best score first, and how many match.
    async fn leads(&self, agency: AgencyId, filter: &LeadFilter) -> StoreResult<(Vec<Lead>, i64)>;
    /// The leads of the companies that registered for an event (merged companies
    /// followed to the company kept), oldest first.
    async fn event_leads(&self, event: EventId) -> StoreResult<Vec<Lead>>;
    async fn board(&self, agency: AgencyId, owner: OwnerFilter) -> StoreResult<Vec<BoardColumn>>;
    /// A number that grows with every change a board shows (a lead, its tasks, its
    /// company's name, country or sector), across processes: boards compare it to know
    /// they are out of date.
    async fn lead_board_revision(&self) -> StoreResult<i64>;
    /// Replaces the details and records `changes`, in one transaction. With `base`, only
    /// if the lead is still at that version (`Conflict("stale")` otherwise).
    async fn update_lead(
        &self,
        id: LeadId,
        draft: &ProjectDraft,
        changes: &[ChangeDraft],
        actor: Option<AccountId>,
        at: DateTime<Utc>,
        base: Option<i64>,
    ) -> StoreResult<Lead>;
    /// Moves a lead to a stage (recorded when it changes); `base` as for `update_lead`.
    async fn move_lead(
        &self,
        id: LeadId,
        stage: Stage,
        lost_reason: Option<&str>,
        actor: AccountId,
        at: DateTime<Utc>,
        base: Option<i64>,
    ) -> StoreResult<Lead>;
    /// Takes a lead from the pool: `Conflict("taken")` when someone owns it already.
    async fn take_lead(&self, id: LeadId, owner: AccountId, at: DateTime<Utc>)
    -> StoreResult<Lead>;
    /// Of these companies, those with a lead, with its stored score.
    async fn lead_scores(&self, companies: &[CompanyId]) -> StoreResult<Vec<(CompanyId, i64)>>;
    /// Sets many leads' scores in one transaction.
    async fn set_lead_scores(&self, scores: &[(CompanyId, i64)]) -> StoreResult<()>;
    async fn lead_changes(&self, id: LeadId) -> StoreResult<Vec<LeadChange>>;
    async fn add_task(
        &self,
        lead: LeadId,
        task: &TaskDraft,
        actor: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<Task>;
    async fn task(&self, id: TaskId) -> StoreResult<Option<Task>>;
    /// Marks a task done or open again (recorded on the lead).
    async fn set_task_done(
        &self,
        id: TaskId,
        done: bool,
        actor: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<Task>;
    async fn lead_tasks(&self, lead: LeadId) -> StoreResult<Vec<Task>>;
    /// Open tasks of an account, earliest due first (then as they were made): at most
    /// `limit`, after the task `after` in that order.
    async fn open_tasks(
        &self,
        account: AccountId,
        after: Option<TaskId>,
        limit: usize,
    ) -> StoreResult<Vec<Task>>;
    /// Open tasks due on or before `on`, whose reminder has not gone out.
    async fn tasks_to_remind(&self, on: NaiveDate) -> StoreResult<Vec<Task>>;
    /// Claims a task's reminder: true for exactly one caller, across processes.
    async fn claim_task_reminder(&self, id: TaskId, at: DateTime<Utc>) -> StoreResult<bool>;
    async fn assignment_rules(&self, agency: AgencyId) -> StoreResult<Vec<AssignmentRule>>;
    async fn set_assignment_rules(
        &self,
        agency: AgencyId,
        rules: &[AssignmentRule],
    ) -> StoreResult<()>;
    /// The agency's companies with their registration counts, for the duplicate finder.
    async fn company_summaries(&self, agency: AgencyId) -> StoreResult<Vec<CompanySummary>>;
    async fn company_agency(&self, company: CompanyId) -> StoreResult<Option<AgencyId>>;
    /// The agency's company with this name and country (and website domain), made when
    /// missing, as a registration would find it.
    async fn create_company(
        &self,
        agency: AgencyId,
        company: &crate::registrations::CompanyDraft,
    ) -> StoreResult<CompanyId>;
    /// The people of a company (and of companies merged into it), with how many events
    /// each registered for.
    async fn company_contacts(&self, company: CompanyId) -> StoreResult<Vec<Contact>>;
    /// Moves `merged`'s people, registrations, signals and lead to `kept`, remembering
    /// what moved; the merged company's lead is folded into the kept one's.
    async fn merge_companies(
        &self,
        kept: CompanyId,
        merged: CompanyId,
        actor: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<CompanyMerge>;
    /// Moves back what a merge moved: `Conflict("undone")` when undone before.
    async fn undo_merge(
        &self,
        id: i64,
        actor: AccountId,
        at: DateTime<Utc>,
    ) -> StoreResult<CompanyMerge>;
    async fn company_merges(&self, agency: AgencyId) -> StoreResult<Vec<CompanyMerge>>;
}

#[cfg(test)]
mod tests;
