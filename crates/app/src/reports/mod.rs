//! The report of an event as staff may see it: organisers and investment officers see all
//! of it; an official sees their own department's questions and meetings (the other
//! sections are the event's counts).

use crate::access::Guards;
use crate::directory::Names;
use crate::events::EventPage;
use crate::{App, AppError, AppResult, Principal};
use chrono::{DateTime, Utc};
use roadshow_domain::accounts::Role;
use roadshow_domain::broadcast::viewing::Slot;
use roadshow_domain::departments::Department;
use roadshow_domain::events::Event;
use roadshow_domain::events::FieldKind;
use roadshow_domain::ids::DepartmentId;
use roadshow_domain::polls::Poll;
use roadshow_domain::questions::answer_deadline;
use roadshow_domain::registrations::RegistrationFilter;
use roadshow_domain::reports::{self, Headline, Report, ReportInput};
use std::sync::Arc;

mod agency;
mod press;
pub mod schedule;
pub use agency::AgencyReport;
pub use press::{PressDraft, generate as press_draft};
pub use schedule::ReportSchedule;

pub struct Reports<'a> {
    app: &'a App,
}

impl App {
    pub fn reports(&self) -> Reports<'_> {
        Reports { app: self }
    }
}

/// An event's report with what its reader needs to name things.
#[derive(Debug, Clone)]
pub struct EventReport {
    pub page: Arc<EventPage>,
    pub report: Report,
    /// The agency's departments, for the names of the questions' and meetings' owners.
    pub departments: Vec<Department>,
    /// The event's polls, for their questions and options.
    pub polls: Vec<Poll>,
    /// When written answers were due.
    pub answers_due: DateTime<Utc>,
    /// Set when the figures of questions and meetings are the caller's department's only.
    pub department_only: Option<DepartmentId>,
    pub generated_at: DateTime<Utc>,
    /// The titles of the policies and the names of the parks the directory interest names.
    pub names: Names,
    /// The agency's events before this one (the latest [`EARLIER_EVENTS`], oldest first)
    /// with their headlines, for the comparison.
    pub earlier: Vec<(Event, Headline)>,
}

/// How many earlier events the report compares an event with.
pub const EARLIER_EVENTS: usize = 3;

impl Reports<'_> {
    /// The report of the event `slug`, computed now from its rows, with the headlines of
    /// the agency's earlier events beside it.
    pub async fn event(&self, principal: &Principal, slug: &str) -> AppResult<EventReport> {
        let mut view = self.compute(principal, slug).await?;
        let mut before = self
            .app
            .store
            .events(Some(view.page.event.agency_id), false)
            .await?;
        let this = &view.page.event;
        before.retain(|e| (e.starts_at, e.id) < (this.starts_at, this.id));
        before.sort_by_key(|e| (e.starts_at, e.id));
        let skip = before.len().saturating_sub(EARLIER_EVENTS);
        for e in before.into_iter().skip(skip) {
            let other = self.compute(principal, &e.slug).await?;
            view.earlier.push((e, other.report.headline));
        }
        Ok(view)
    }

    /// The report of the event `slug` alone.
    pub(crate) async fn compute(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<EventReport> {
        let staff = principal.as_staff()?;
        let department_only = match staff.role {
            Role::Organiser | Role::InvestmentOfficer => None,
            Role::Official => Some(staff.department_id.ok_or(AppError::Forbidden)?),
            _ => return Err(AppError::Forbidden),
        };
        let page = self.app.event_of(principal, slug).await?;
        principal.as_staff_of(page.event.agency_id)?;
        let store = &self.app.store;
        let event = &page.event;
        let registrations = store
            .registrations(event.id, &RegistrationFilter::default())
            .await?;
        let viewings = store.viewings(event.id).await?;
        let presence = store.presence_seconds(event.id).await?;
        let mut questions = store.question_facts(event.id).await?;
        let state = store.live_state(event.id).await?;
        let answers_due = answer_deadline(event.ends_at, event.zone(), state.answer_working_days);
        let polls = store.polls(event.id).await?;
        let votes = store.poll_votes(event.id).await?;
        let mut requests = store.meeting_requests(event.id).await?;
        let meetings = store.meetings(event.id).await?;
        let responses = store.survey_responses(event.id, None, usize::MAX).await?;
        let leads = store.event_leads(event.id).await?;
        let lead_moves = store.lead_moves(event.id).await?;
        let interest = store.interest_signals(event.id).await?;
        let departments = store.departments(event.agency_id).await?;
        if let Some(own) = department_only {
            questions.retain(|q| q.department_id == Some(own));
            requests.retain(|r| r.department_id == own);
        }
        let slots: Vec<Slot> = page
            .sessions
            .iter()
            .map(|s| Slot {
                session_id: s.id.0,
                start: s.starts_at.timestamp(),
                end: s.ends_at.timestamp(),
            })
            .collect();
        let choice_fields: Vec<String> = event
            .form_fields
            .iter()
            .filter(|f| f.kind == FieldKind::Choice)
            .map(|f| f.key.clone())
            .collect();
        let now = Utc::now();
        let mut report = reports::report(&ReportInput {
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            zone: event.zone(),
            attended_minutes: event.attended_minutes,
            slots: &slots,
            choice_fields: &choice_fields,
            registrations: &registrations,
            viewings: &viewings,
            presence: &presence,
            questions: &questions,
            answers_due,
            polls: &polls,
            votes: &votes,
            requests: &requests,
            meetings: &meetings,
            responses: &responses,
            leads: &leads,
            lead_moves: &lead_moves,
            interest: &interest,
            now,
        });
        // The texts of the few questions the report lists.
        for open in &mut report.questions.top_unanswered {
            if let Some(q) = store.question(open.question_id).await? {
                open.text = q.text;
            }
        }
        let ids = |c: &[roadshow_domain::reports::Count]| -> Vec<i64> {
            c.iter().filter_map(|c| c.key.parse().ok()).collect()
        };
        let i = &report.interest;
        let mut policy_ids = ids(&i.policies_viewed);
        policy_ids.extend(ids(&i.eligible));
        let names = self
            .app
            .directory()
            .names(&policy_ids, &ids(&i.parks_viewed))
            .await?;
        Ok(EventReport {
            page,
            report,
            departments,
            polls,
            answers_due,
            department_only,
            generated_at: now,
            names,
            earlier: Vec::new(),
        })
    }
}
