//! The investment officers' pipeline: the board, the filtered list, a lead with its
//! timeline, score and tasks, and every change recorded. Leads are confidential: anyone
//! but an investment officer or organiser of the agency gets `NotFound` (anonymous
//! callers are asked to sign in).

mod automatic;
mod board;
mod companies;
mod export;

use crate::access::Guards;
use crate::{App, AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::accounts::{Account, Role};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::paging::{Page, PageRequest};
use roadshow_domain::signals::Signal;
use roadshow_domain::surveys::SurveyResponse;

pub use automatic::ScoreQueue;
pub use board::BoardWatch;
pub use companies::CompanyMatches;

#[derive(Clone, Copy)]
pub struct Leads<'a> {
    pub(crate) app: &'a App,
}

impl App {
    pub fn leads(&self) -> Leads<'_> {
        Leads { app: self }
    }
}

/// One entry of a lead's timeline: a signal of the company or a change to the lead.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineEntry {
    Signal(Signal),
    Change(LeadChange),
}

impl TimelineEntry {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineEntry::Signal(s) => s.at,
            TimelineEntry::Change(c) => c.at,
        }
    }
}

/// Everything the lead's page shows.
#[derive(Debug, Clone)]
pub struct LeadView {
    pub lead: Lead,
    pub score: Score,
    /// Newest first.
    pub timeline: Vec<TimelineEntry>,
    pub tasks: Vec<Task>,
    pub contacts: Vec<Contact>,
    /// The company's survey answers, newest first.
    pub responses: Vec<SurveyResponse>,
    /// Who may own the lead or a task.
    pub officers: Vec<Account>,
    pub parks: Vec<roadshow_domain::directory::Park>,
}

/// The board as read at one revision (see [`Leads::follow_board`]).
#[derive(Debug, Clone)]
pub struct BoardView {
    pub revision: i64,
    pub columns: Vec<BoardColumn>,
}

/// The people who may own leads and tasks: the agency's officers and organisers.
pub(crate) fn officer_ids(officers: &[Account]) -> Vec<AccountId> {
    officers.iter().map(|a| a.id).collect()
}

impl Leads<'_> {
    /// The agency's officers and organisers.
    pub async fn officers(&self, principal: &Principal) -> AppResult<Vec<Account>> {
        let me = principal.as_officer()?;
        Ok(self
            .app
            .store
            .accounts(me.agency_id)
            .await?
            .into_iter()
            .filter(|a| matches!(a.role, Role::Organiser | Role::InvestmentOfficer))
            .collect())
    }

    /// A lead of the caller's agency.
    pub async fn lead(&self, principal: &Principal, id: LeadId) -> AppResult<Lead> {
        let me = principal.as_officer()?;
        match self.app.store.lead(id).await? {
            Some(l) if l.agency_id == me.agency_id => Ok(l),
            _ => Err(AppError::NotFound),
        }
    }

    pub async fn board(&self, principal: &Principal, owner: OwnerFilter) -> AppResult<BoardView> {
        let me = principal.as_officer()?;
        // Read before the board, so that a change made while it is read raises the
        // revision past the one the board is shown with, and a follower hears of it.
        let revision = self.app.store.lead_board_revision().await?;
        Ok(BoardView {
            revision,
            columns: self.app.store.board(me.agency_id, owner).await?,
        })
    }

    /// The board's revision as it moves: a new value each time something a board shows
    /// has changed, here or in another process.
    pub async fn follow_board(
        &self,
        principal: &Principal,
    ) -> AppResult<tokio::sync::watch::Receiver<i64>> {
        principal.as_officer()?;
        Ok(self.app.boards.follow().await?)
    }

    /// Whether the caller may still follow the board (checked again while it is open).
    pub fn may_follow_board(&self, principal: &Principal) -> bool {
        principal.as_officer().is_ok()
    }

    pub async fn list(
        &self,
        principal: &Principal,
        filter: &LeadFilter,
    ) -> AppResult<(Vec<Lead>, i64)> {
        let me = principal.as_officer()?;
        Ok(self.app.store.leads(me.agency_id, filter).await?)
    }

    /// The lead's page: details, score with its reasons, timeline, tasks and contacts.
    pub async fn view(&self, principal: &Principal, id: LeadId) -> AppResult<LeadView> {
        let lead = self.lead(principal, id).await?;
        // Leads name people: every read is in the audit log before it is shown.
        self.app
            .privacy()
            .audit_staff(
                principal,
                lead.agency_id,
                "lead_read",
                format!("lead:{}", lead.id),
                serde_json::json!({}),
            )
            .await?;
        let store = &self.app.store;
        let signals = store.company_signals(lead.company.id).await?;
        let score = roadshow_domain::leads::score::score(&signals);
        let mut timeline: Vec<TimelineEntry> =
            signals.into_iter().map(TimelineEntry::Signal).collect();
        timeline.extend(
            store
                .lead_changes(id)
                .await?
                .into_iter()
                .map(TimelineEntry::Change),
        );
        // Newest first; what happened in the same second keeps its order, reversed.
        let mut numbered: Vec<(usize, TimelineEntry)> = timeline.into_iter().enumerate().collect();
        numbered.sort_by_key(|(i, e)| std::cmp::Reverse((e.at(), *i)));
        let timeline: Vec<TimelineEntry> = numbered.into_iter().map(|(_, e)| e).collect();
        Ok(LeadView {
            score,
            timeline,
            tasks: store.lead_tasks(id).await?,
            contacts: store.company_contacts(lead.company.id).await?,
            responses: store.company_responses(lead.company.id).await?,
            officers: self.officers(principal).await?,
            parks: store.parks(lead.agency_id).await?,
            lead,
        })
    }

    /// Adds a company as a lead by hand: an existing company of the agency by id, or a
    /// new one by name and country.
    pub async fn create(&self, principal: &Principal, input: &NewLeadInput) -> AppResult<Lead> {
        let me = principal.as_officer()?.clone();
        let company = match input.parse()? {
            NewLead::Existing(id) => {
                self.company_of_my_agency(principal, id).await?;
                id
            }
            NewLead::New(draft) => self.app.store.create_company(me.agency_id, &draft).await?,
        };
        let owner = if me.role == Role::InvestmentOfficer {
            Some(me.id)
        } else {
            None
        };
        let (lead, _) = self
            .app
            .store
            .ensure_lead(company, LeadSource::Manual, owner, Some(me.id), Utc::now())
            .await?;
        self.refresh_score(lead.company.id).await;
        self.lead(principal, lead.id).await
    }

    /// Replaces a lead's details; each changed field is recorded. With `base` (the
    /// version the officer's form or request started from), a lead changed meanwhile is
    /// not overwritten: `Conflict("stale")`.
    pub async fn update(
        &self,
        principal: &Principal,
        id: LeadId,
        input: &ProjectInput,
        base: Option<i64>,
    ) -> AppResult<Lead> {
        let lead = self.lead(principal, id).await?;
        let me = principal.as_officer()?;
        let officers = officer_ids(&self.officers(principal).await?);
        let parks: Vec<ParkId> = self
            .app
            .store
            .parks(lead.agency_id)
            .await?
            .iter()
            .map(|p| p.id)
            .collect();
        let draft = input.parse(&parks, &officers)?;
        if base.is_some_and(|b| b != lead.version) {
            return Err(AppError::Conflict("stale"));
        }
        let changes = project_changes(&lead.project, lead.owner_id, &draft);
        if changes.is_empty() {
            return Ok(lead);
        }
        Ok(self
            .app
            .store
            .update_lead(id, &draft, &changes, Some(me.id), Utc::now(), base)
            .await?)
    }

    /// The fields changed since `base`, the version an officer's change started from
    /// (newest first), for telling them what someone else changed meanwhile.
    pub async fn changes_since(
        &self,
        principal: &Principal,
        id: LeadId,
        base: i64,
    ) -> AppResult<Vec<String>> {
        let lead = self.lead(principal, id).await?;
        let changes = self.app.store.lead_changes(id).await?;
        Ok(roadshow_domain::leads::changed_in_last_saves(
            &changes,
            (lead.version - base).max(0),
        ))
    }

    /// Moves a lead to another stage (`lost` needs a reason); `base` as for [`Self::update`].
    pub async fn move_to(
        &self,
        principal: &Principal,
        id: LeadId,
        input: &StageInput,
        base: Option<i64>,
    ) -> AppResult<Lead> {
        self.lead(principal, id).await?;
        let me = principal.as_officer()?;
        let (stage, reason) = input.parse()?;
        Ok(self
            .app
            .store
            .move_lead(id, stage, reason.as_deref(), me.id, Utc::now(), base)
            .await?)
    }

    /// Takes a lead from the shared pool (`Conflict("taken")` when it has an owner).
    pub async fn take(&self, principal: &Principal, id: LeadId) -> AppResult<Lead> {
        self.lead(principal, id).await?;
        let me = principal.as_officer()?;
        Ok(self.app.store.take_lead(id, me.id, Utc::now()).await?)
    }

    pub async fn add_task(
        &self,
        principal: &Principal,
        id: LeadId,
        input: &TaskInput,
    ) -> AppResult<Task> {
        self.lead(principal, id).await?;
        let me = principal.as_officer()?;
        let officers = officer_ids(&self.officers(principal).await?);
        let mut draft = input.parse(&officers)?;
        if draft.assignee_id.is_none() {
            draft.assignee_id = Some(me.id);
        }
        Ok(self
            .app
            .store
            .add_task(id, &draft, me.id, Utc::now())
            .await?)
    }

    /// Marks a task of the agency's leads done or open again.
    pub async fn set_task_done(
        &self,
        principal: &Principal,
        task: TaskId,
        done: Option<bool>,
    ) -> AppResult<Task> {
        let me = principal.as_officer()?;
        let found = self.app.store.task(task).await?.ok_or(AppError::NotFound)?;
        self.lead(principal, found.lead_id).await?;
        let done = done.ok_or_else(|| AppError::invalid("done", "required"))?;
        Ok(self
            .app
            .store
            .set_task_done(task, done, me.id, Utc::now())
            .await?)
    }

    /// The caller's open tasks: overdue first, then by due date.
    /// A page of the caller's open tasks, earliest due first, with the next page's cursor.
    pub async fn my_tasks(
        &self,
        principal: &Principal,
        page: PageRequest,
    ) -> AppResult<Page<Task>> {
        let me = principal.as_officer()?;
        let tasks = self
            .app
            .store
            .open_tasks(me.id, page.after.map(TaskId), page.fetch())
            .await?;
        Ok(page.split(tasks, |t| t.id.0))
    }

    pub async fn rules(&self, principal: &Principal) -> AppResult<Vec<AssignmentRule>> {
        let me = principal.as_officer()?;
        Ok(self.app.store.assignment_rules(me.agency_id).await?)
    }

    /// Replaces the assignment rules (organisers only; officers may read them).
    pub async fn set_rules(
        &self,
        principal: &Principal,
        input: &[RuleInput],
    ) -> AppResult<Vec<AssignmentRule>> {
        let me = principal.as_officer()?;
        if me.role != Role::Organiser {
            return Err(AppError::Forbidden);
        }
        let officers = officer_ids(&self.officers(principal).await?);
        let rules = parse_rules(input, &officers)?;
        self.app
            .store
            .set_assignment_rules(me.agency_id, &rules)
            .await?;
        Ok(rules)
    }

    /// A company of the caller's agency, else `NotFound`.
    pub(crate) async fn company_of_my_agency(
        &self,
        principal: &Principal,
        company: CompanyId,
    ) -> AppResult<AgencyId> {
        let me = principal.as_officer()?;
        match self.app.store.company_agency(company).await? {
            Some(a) if a == me.agency_id => Ok(a),
            _ => Err(AppError::NotFound),
        }
    }
}
