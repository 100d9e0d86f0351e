//! The outcome funnel: companies at each step from registered to capital in place, in
//! all, per country, and as they stood 30, 90 and 180 days after their event.

use super::CompanyOutcome;
use crate::ids::CompanyId;
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, BTreeSet};

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

/// The same steps as an index into [`CompanyOutcome::reached`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Registered,
    Attended,
    Asked,
    Met,
    Intent,
    Lead,
    SiteVisit,
    Signed,
    Started,
    CapitalInPlace,
}

pub const STEPS: usize = FUNNEL.len();

/// The days after an event at which the funnel is taken again.
pub const MILESTONES: [i64; 3] = [30, 90, 180];

/// The funnel as it stood some days after the companies' events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub days: i64,
    /// Companies whose event ended at least `days` ago: the others cannot be counted yet.
    pub companies: u64,
    /// Of those, how many had reached each step within `days` of their event's end.
    pub reached: Vec<u64>,
}

/// Companies at each step of [`FUNNEL`], in all, per country and at the milestones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funnel {
    pub total: Vec<u64>,
    pub by_country: BTreeMap<String, Vec<u64>>,
    pub milestones: Vec<Milestone>,
}

/// One company across the events counted: the first time it reached each step, its
/// country, and the end of its first event.
struct Reached {
    at: [Option<DateTime<Utc>>; STEPS],
    country: String,
    since: DateTime<Utc>,
}

/// Companies at each step of the funnel across `outcomes` (one company's outcomes at
/// several events count once, at the first time it reached each step), with the country
/// of each company for a split; the milestones count from each company's first event.
pub fn funnel<'a>(
    outcomes: impl IntoIterator<Item = &'a CompanyOutcome>,
    now: DateTime<Utc>,
) -> Funnel {
    let mut companies: BTreeMap<CompanyId, Reached> = BTreeMap::new();
    for c in outcomes {
        let e = companies.entry(c.company_id).or_insert_with(|| Reached {
            at: [None; STEPS],
            country: c.country.clone(),
            since: c.event_ended,
        });
        e.since = e.since.min(c.event_ended);
        for (mine, theirs) in e.at.iter_mut().zip(c.reached) {
            *mine = match (*mine, theirs) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    let count = |keep: &dyn Fn(&Reached) -> bool, by: &dyn Fn(&Reached, usize) -> bool| {
        let mut n = vec![0u64; STEPS];
        for r in companies.values().filter(|r| keep(r)) {
            for (i, slot) in n.iter_mut().enumerate() {
                *slot += u64::from(by(r, i));
            }
        }
        n
    };
    let ever = |r: &Reached, i: usize| r.at[i].is_some();
    let countries: BTreeSet<&String> = companies.values().map(|r| &r.country).collect();
    Funnel {
        total: count(&|_| true, &ever),
        by_country: countries
            .into_iter()
            .map(|c| (c.clone(), count(&|r| &r.country == c, &ever)))
            .collect(),
        milestones: MILESTONES
            .iter()
            .map(|&days| {
                let span = Duration::days(days);
                let due = |r: &Reached| r.since + span <= now;
                Milestone {
                    days,
                    companies: companies.values().filter(|r| due(r)).count() as u64,
                    reached: count(&due, &|r, i| r.at[i].is_some_and(|t| t <= r.since + span)),
                }
            })
            .collect(),
    }
}
