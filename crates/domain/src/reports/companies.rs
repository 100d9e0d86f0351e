//! The per-company list: what each company that registered did at the event and became
//! after it.

use super::ReportInput;
use crate::broadcast::viewing;
use crate::ids::*;
use crate::questions::QuestionState;
use crate::surveys::SurveyResponse;
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
    /// Its lead's project started operating (a start date, or the stage `established`).
    pub started: bool,
    /// Its lead's project has capital in place (a realised amount above zero).
    pub capital_in_place: bool,
}

/// Per registration: minutes and whether attended, from the players or else presence.
fn attended_people(input: &ReportInput) -> BTreeMap<RegistrationId, (i64, bool)> {
    let threshold = input.attended_minutes;
    if input.viewings.is_empty() {
        return input
            .registrations
            .iter()
            .filter_map(|r| {
                let s = *input.presence.get(&r.participant_id)?;
                Some((r.id, ((s + 30) / 60, s >= threshold * 60)))
            })
            .collect();
    }
    viewing::viewers(input.viewings, input.slots, threshold)
        .into_iter()
        .map(|p| {
            (
                RegistrationId(p.registration_id),
                (p.minutes_live + p.minutes_replay, p.attended),
            )
        })
        .collect()
}

pub(super) fn outcomes(input: &ReportInput) -> Vec<CompanyOutcome> {
    let people = attended_people(input);
    let mut by: BTreeMap<CompanyId, CompanyOutcome> = BTreeMap::new();
    let mut company_of: BTreeMap<ParticipantId, CompanyId> = BTreeMap::new();
    for r in input.registrations {
        company_of.insert(r.participant_id, r.company.id);
        let c = by.entry(r.company.id).or_insert_with(|| CompanyOutcome {
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
            started: false,
            capital_in_place: false,
        });
        c.registered += 1;
        if let Some((minutes, attended)) = people.get(&r.id) {
            c.minutes += minutes;
            c.attended += u64::from(*attended);
        }
    }
    let mut asked: BTreeMap<CompanyId, u64> = BTreeMap::new();
    for q in input
        .questions
        .iter()
        .filter(|q| q.state != QuestionState::Merged)
    {
        if let Some(c) = company_of.get(&q.participant_id) {
            *asked.entry(*c).or_default() += 1;
        }
    }
    let mut requested: BTreeMap<CompanyId, (u64, u64)> = BTreeMap::new();
    for r in input.requests {
        if let Some(c) = company_of.get(&r.participant_id) {
            let e = requested.entry(*c).or_default();
            e.0 += 1;
            let held = input
                .meetings
                .iter()
                .any(|m| m.request_id == r.id && m.outcome.as_ref().is_some_and(|o| o.held));
            e.1 += u64::from(held);
        }
    }
    for (c, n) in asked {
        if let Some(x) = by.get_mut(&c) {
            x.questions = n;
        }
    }
    for (c, (n, held)) in requested {
        if let Some(x) = by.get_mut(&c) {
            x.meetings_requested = n;
            x.meetings_held = held;
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
            x.interest = Some(r.answers.interest.code().to_string());
        }
    }
    for l in input.leads {
        if let Some(x) = by.get_mut(&l.company.id) {
            x.lead_stage = Some(l.stage.code().to_string());
            x.started = l.started();
            x.capital_in_place = l.capital_in_place();
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

/// The steps of the outcome funnel, in order: a company counts at a step when it reached
/// it at one of the events counted.
pub const FUNNEL: &[&str] = &[
    "registered",
    "attended",
    "asked",
    "met",
    "intent",
    "lead",
    "site_visit",
    "signed",
    "started",
    "capital_in_place",
];

const STEPS: usize = FUNNEL.len();

/// Whether a company reached each step of [`FUNNEL`].
fn steps(c: &CompanyOutcome) -> [bool; STEPS] {
    let stage = c.lead_stage.as_deref();
    let intent = matches!(
        c.interest.as_deref(),
        Some("considering" | "planning" | "committed")
    );
    [
        c.registered > 0,
        c.attended > 0,
        c.questions > 0,
        c.meetings_held > 0,
        intent,
        stage.is_some(),
        matches!(
            stage,
            Some("site_visit" | "negotiation" | "signed" | "established")
        ),
        matches!(stage, Some("signed" | "established")),
        c.started,
        c.capital_in_place,
    ]
}

/// Companies at each step of the funnel across `outcomes` (one company's outcomes at
/// several events count once, at the furthest it got on each step), with the country of
/// each company for a split.
pub fn funnel<'a>(outcomes: impl IntoIterator<Item = &'a CompanyOutcome>) -> Funnel {
    let mut reached: BTreeMap<CompanyId, ([bool; STEPS], String)> = BTreeMap::new();
    for c in outcomes {
        let e = reached
            .entry(c.company_id)
            .or_insert_with(|| ([false; STEPS], c.country.clone()));
        for (i, r) in steps(c).into_iter().enumerate() {
            e.0[i] |= r;
        }
    }
    let count = |filter: &dyn Fn(&str) -> bool| -> Vec<u64> {
        let mut n = vec![0u64; FUNNEL.len()];
        for (steps, country) in reached.values() {
            if filter(country) {
                for (i, r) in steps.iter().enumerate() {
                    n[i] += u64::from(*r);
                }
            }
        }
        n
    };
    let countries: std::collections::BTreeSet<&String> = reached.values().map(|(_, c)| c).collect();
    Funnel {
        total: count(&|_| true),
        by_country: countries
            .into_iter()
            .map(|c| (c.clone(), count(&|x| x == c)))
            .collect(),
    }
}

/// Companies at each step of [`FUNNEL`], in all and per country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funnel {
    pub total: Vec<u64>,
    pub by_country: BTreeMap<String, Vec<u64>>,
}
