//! The leads the event's companies became: their stages and sources, how they moved
//! since the event, overdue next steps, and the announced and realised figures.

use super::{Count, ReportInput, tally};
use crate::ids::LeadId;
use crate::leads::Stage;
use crate::time::BEIJING;
use chrono::{DateTime, Utc};

/// A recorded change of one of the event's leads that the report dates things by: its
/// stage (`field` = `stage`, `after` the new stage's code) or its realised capital
/// (`realised_capex_cny`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadMove {
    pub lead_id: LeadId,
    pub field: String,
    pub after: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFigures {
    pub leads: u64,
    pub by_stage: Vec<Count>,
    pub by_source: Vec<Count>,
    /// Stage changes made after the event ended, by the stage moved into.
    pub moved_since_event: Vec<Count>,
    /// Open leads (neither established nor lost) whose next step is past its due date.
    pub overdue_next_steps: u64,
    /// Leads at `signed` or `established`.
    pub signed: u64,
    /// Capital (CNY) and jobs the leads' projects announce, summed where given.
    pub announced_capex_cny: i64,
    pub announced_jobs: i64,
    /// Leads whose project started operating (a start date, or `established`).
    pub started: u64,
    /// Capital (CNY) actually in place and jobs actually created, summed where given:
    /// never added to the announced figures.
    pub realised_capex_cny: i64,
    pub realised_jobs: i64,
    /// How many leads the announced and the realised sums are made of (a sum of fewer
    /// than five is one of a few companies' figures).
    pub announced_from: u64,
    pub realised_from: u64,
}

pub(super) fn figures(input: &ReportInput) -> LeadFigures {
    let ls = input.leads;
    let today = input.now.with_timezone(&BEIJING).date_naive();
    let ours: std::collections::BTreeSet<LeadId> = ls.iter().map(|l| l.id).collect();
    LeadFigures {
        leads: ls.len() as u64,
        by_stage: tally(ls.iter().map(|l| l.stage.code())),
        by_source: tally(ls.iter().map(|l| l.source.code())),
        moved_since_event: tally(
            input
                .lead_moves
                .iter()
                .filter(|m| m.field == "stage" && m.at > input.ends_at && ours.contains(&m.lead_id))
                .filter_map(|m| m.after.as_deref().and_then(Stage::parse))
                .map(Stage::code),
        ),
        overdue_next_steps: ls.iter().filter(|l| l.overdue(today)).count() as u64,
        signed: ls
            .iter()
            .filter(|l| matches!(l.stage, Stage::Signed | Stage::Established))
            .count() as u64,
        announced_capex_cny: ls.iter().filter_map(|l| l.project.capex_cny).sum(),
        announced_jobs: ls.iter().filter_map(|l| l.project.jobs).sum(),
        started: ls.iter().filter(|l| l.started()).count() as u64,
        realised_capex_cny: ls.iter().filter_map(|l| l.project.realised_capex_cny).sum(),
        realised_jobs: ls.iter().filter_map(|l| l.project.realised_jobs).sum(),
        announced_from: ls
            .iter()
            .filter(|l| l.project.capex_cny.is_some() || l.project.jobs.is_some())
            .count() as u64,
        realised_from: ls
            .iter()
            .filter(|l| l.project.realised_capex_cny.is_some() || l.project.realised_jobs.is_some())
            .count() as u64,
    }
}
