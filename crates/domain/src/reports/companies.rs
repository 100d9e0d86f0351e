//! The per-company list: what each company that registered did at the event and became
//! after it, each step of the outcome funnel dated.

use super::funnel::{STEPS, Step};
use super::{LeadMove, ReportInput};
use crate::broadcast::viewing;
use crate::ids::*;
use crate::leads::{Lead, Stage};
use crate::questions::QuestionState;
use crate::surveys::SurveyResponse;
use crate::time::BEIJING;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// What one company did at the event and became after it: the per-company list for
/// organisers and investment officers (never in what leaves their screens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyOutcome {
    pub company_id: CompanyId,
    pub name: String,
    pub country: String,
    pub industry: String,
    pub size: String,
    /// People of the company registered.
    pub registered: u64,
    /// Of them, those who attended.
    pub attended: u64,
    /// Minutes they watched (live and replay), or were present where no player reported.
    pub minutes: i64,
    pub questions: u64,
    pub meetings_requested: u64,
    pub meetings_held: u64,
    /// The survey's interest code of the company's latest answer.
    pub interest: Option<String>,
    /// The company's lead's stage code.
    pub lead_stage: Option<String>,
    /// Who follows the company up: its lead's owner.
    pub owner: Option<String>,
    /// When the company first reached each step of [`super::FUNNEL`]; `None`: not (yet).
    pub reached: [Option<DateTime<Utc>>; STEPS],
    /// When the event it is counted for ended: the +30, +90 and +180 days count from it.
    pub event_ended: DateTime<Utc>,
}

impl CompanyOutcome {
    /// When the company reached `step`, if it did.
    pub fn reached(&self, step: Step) -> Option<DateTime<Utc>> {
        self.reached[step as usize]
    }
}

/// Per registration: minutes, whether attended, and when they first watched (or the
/// event's start where only presence is known).
fn attended_people(input: &ReportInput) -> BTreeMap<RegistrationId, (i64, bool, DateTime<Utc>)> {
    let threshold = input.attended_minutes;
    if input.viewings.is_empty() {
        return input
            .registrations
            .iter()
            .filter_map(|r| {
                let s = *input.presence.get(&r.participant_id)?;
                Some((r.id, ((s + 30) / 60, s >= threshold * 60, input.starts_at)))
            })
            .collect();
    }
    let mut first: BTreeMap<i64, i64> = BTreeMap::new();
    for v in input.viewings {
        let e = first.entry(v.registration_id).or_insert(v.span.start);
        *e = (*e).min(v.span.start);
    }
    viewing::viewers(input.viewings, input.slots, threshold)
        .into_iter()
        .map(|p| {
            let since = first
                .get(&p.registration_id)
                .and_then(|t| DateTime::from_timestamp(*t, 0))
                .unwrap_or(input.starts_at);
            (
                RegistrationId(p.registration_id),
                (p.minutes_live + p.minutes_replay, p.attended, since),
            )
        })
        .collect()
}

/// The earlier of two optional instants.
fn earliest(a: Option<DateTime<Utc>>, b: DateTime<Utc>) -> Option<DateTime<Utc>> {
    Some(a.map_or(b, |a| a.min(b)))
}

/// A date the officer typed, as the start of that day in Beijing.
fn day_start(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(BEIJING).earliest())
        .map(|t| t.with_timezone(&Utc))
}

/// When a lead reached its pipeline's steps (site visit, signed, started, capital in
/// place), from the dates the officer recorded and else from its recorded changes; a
/// step reached with no change recorded (a lead created at that stage, or before changes
/// were kept) is dated by the lead's creation or last update.
fn lead_dates(lead: &Lead, moves: &[&LeadMove]) -> [Option<DateTime<Utc>>; 4] {
    let first_move = |into: &[Stage]| {
        moves
            .iter()
            .filter(|m| m.field == "stage")
            .filter(|m| {
                m.after
                    .as_deref()
                    .and_then(Stage::parse)
                    .is_some_and(|s| into.contains(&s))
            })
            .map(|m| m.at)
            .min()
    };
    let visited = [
        Stage::SiteVisit,
        Stage::Negotiation,
        Stage::Signed,
        Stage::Established,
    ];
    let signed = [Stage::Signed, Stage::Established];
    let site_visit = visited
        .contains(&lead.stage)
        .then(|| first_move(&visited).unwrap_or(lead.created_at));
    let signed_at = signed.contains(&lead.stage).then(|| {
        lead.project
            .signed_on
            .and_then(day_start)
            .or_else(|| first_move(&signed))
            .unwrap_or(lead.created_at)
    });
    let started = lead.started().then(|| {
        lead.project
            .started_on
            .and_then(day_start)
            .or_else(|| first_move(&[Stage::Established]))
            .unwrap_or(lead.updated_at)
    });
    let capital = lead.capital_in_place().then(|| {
        moves
            .iter()
            .filter(|m| m.field == "realised_capex_cny")
            .filter(|m| {
                m.after
                    .as_deref()
                    .and_then(|a| a.parse::<i64>().ok())
                    .is_some_and(|c| c > 0)
            })
            .map(|m| m.at)
            .min()
            .unwrap_or(lead.updated_at)
    });
    [site_visit, signed_at, started, capital]
}

fn blank(r: &crate::registrations::Registration, ended: DateTime<Utc>) -> CompanyOutcome {
    CompanyOutcome {
        company_id: r.company.id,
        name: r.company.name.clone(),
        country: r.company.country.clone(),
        industry: r.company.industry.clone(),
        size: r.company.size.clone(),
        registered: 0,
        attended: 0,
        minutes: 0,
        questions: 0,
        meetings_requested: 0,
        meetings_held: 0,
        interest: None,
        lead_stage: None,
        owner: None,
        reached: [None; STEPS],
        event_ended: ended,
    }
}

pub(super) fn outcomes(input: &ReportInput) -> Vec<CompanyOutcome> {
    let people = attended_people(input);
    let mut by: BTreeMap<CompanyId, CompanyOutcome> = BTreeMap::new();
    let mut company_of: BTreeMap<ParticipantId, CompanyId> = BTreeMap::new();
    for r in input.registrations {
        company_of.insert(r.participant_id, r.company.id);
        let c = by
            .entry(r.company.id)
            .or_insert_with(|| blank(r, input.ends_at));
        c.registered += 1;
        let at = &mut c.reached[Step::Registered as usize];
        *at = earliest(*at, r.created_at);
        if let Some((minutes, attended, since)) = people.get(&r.id) {
            c.minutes += minutes;
            c.attended += u64::from(*attended);
            if *attended {
                let at = &mut c.reached[Step::Attended as usize];
                *at = earliest(*at, *since);
            }
        }
    }
    for q in input
        .questions
        .iter()
        .filter(|q| q.state != QuestionState::Merged)
    {
        if let Some(x) = company_of
            .get(&q.participant_id)
            .and_then(|c| by.get_mut(c))
        {
            x.questions += 1;
            let at = &mut x.reached[Step::Asked as usize];
            *at = earliest(*at, q.created_at);
        }
    }
    for r in input.requests {
        if let Some(x) = company_of
            .get(&r.participant_id)
            .and_then(|c| by.get_mut(c))
        {
            x.meetings_requested += 1;
            let held = input
                .meetings
                .iter()
                .find(|m| m.request_id == r.id && m.outcome.as_ref().is_some_and(|o| o.held));
            if let Some(m) = held {
                x.meetings_held += 1;
                let at = &mut x.reached[Step::Met as usize];
                *at = earliest(*at, m.starts_at);
            }
        }
    }
    let mut latest: BTreeMap<CompanyId, &SurveyResponse> = BTreeMap::new();
    for r in input.responses {
        let company = company_of
            .get(&r.participant_id)
            .copied()
            .unwrap_or(r.company_id);
        let e = latest.entry(company).or_insert(r);
        if r.updated_at > e.updated_at {
            *e = r;
        }
    }
    for (c, r) in latest {
        if let Some(x) = by.get_mut(&c) {
            let code = r.answers.interest.code();
            x.interest = Some(code.to_string());
            if matches!(code, "considering" | "planning" | "committed") {
                x.reached[Step::Intent as usize] = Some(r.updated_at);
            }
        }
    }
    let mut moves: BTreeMap<LeadId, Vec<&LeadMove>> = BTreeMap::new();
    for m in input.lead_moves {
        moves.entry(m.lead_id).or_default().push(m);
    }
    for l in input.leads {
        if let Some(x) = by.get_mut(&l.company.id) {
            x.lead_stage = Some(l.stage.code().to_string());
            x.owner = l.owner_name.clone();
            x.reached[Step::Lead as usize] = Some(l.created_at);
            let dates = lead_dates(l, moves.get(&l.id).map(Vec::as_slice).unwrap_or(&[]));
            for (step, at) in [
                Step::SiteVisit,
                Step::Signed,
                Step::Started,
                Step::CapitalInPlace,
            ]
            .into_iter()
            .zip(dates)
            {
                x.reached[step as usize] = at;
            }
        }
    }
    let mut out: Vec<CompanyOutcome> = by.into_values().collect();
    out.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.company_id.cmp(&b.company_id))
    });
    out
}
