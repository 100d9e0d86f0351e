//! What the report says about what followed the event, as the API gives it: the outcome
//! funnel with its +30/+90/+180-day marks, each company's steps dated with their owner,
//! the directory interest, and the comparison with the agency's earlier events.

use super::agency::AgencyEvent;
use super::wire::ReportHeadline;
use roadshow_app::reports::EventReport;
use roadshow_domain::Lang;
use roadshow_domain::reports::{self as domain, CompanyOutcome, Count, FUNNEL, Funnel, guarded};
use roadshow_i18n::{ArgValue, t, t_with};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Companies at one step of the outcome funnel, in all and as they stood 30, 90 and 180
/// days after their event ended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FunnelStep {
    /// `registered`, `attended`, `asked`, `met`, `intent`, `lead`, `site_visit`,
    /// `signed`, `started`, `capital_in_place`.
    pub step: String,
    /// The step's name in the reader's language.
    pub label: String,
    pub companies: u64,
    /// Companies that reached the step within 30 days of their event's end, counted
    /// among those whose event ended at least 30 days ago; null while there are none.
    pub within_30_days: Option<u64>,
    pub within_90_days: Option<u64>,
    pub within_180_days: Option<u64>,
}

/// A mark of the funnel: how many companies' events ended at least `days` ago.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FunnelMilestone {
    pub days: i64,
    /// The companies the mark's column counts among.
    pub companies: u64,
}

/// Companies at each step of the funnel, each counted once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportFunnel {
    pub steps: Vec<FunnelStep>,
    pub milestones: Vec<FunnelMilestone>,
}

/// The name of a funnel step in `lang`.
pub fn step_label(lang: Lang, step: &str) -> String {
    t(lang, &format!("funnel-{}", step.replace('_', "-")))
}

impl ReportFunnel {
    pub fn of(f: &Funnel, lang: Lang) -> ReportFunnel {
        let at = |days: i64, i: usize| {
            f.milestones
                .iter()
                .find(|m| m.days == days && m.companies > 0)
                .map(|m| m.reached[i])
        };
        ReportFunnel {
            steps: FUNNEL
                .iter()
                .enumerate()
                .map(|(i, s)| FunnelStep {
                    step: s.to_string(),
                    label: step_label(lang, s),
                    companies: f.total.get(i).copied().unwrap_or(0),
                    within_30_days: at(30, i),
                    within_90_days: at(90, i),
                    within_180_days: at(180, i),
                })
                .collect(),
            milestones: f
                .milestones
                .iter()
                .map(|m| FunnelMilestone {
                    days: m.days,
                    companies: m.companies,
                })
                .collect(),
        }
    }
}

/// When a company first reached each step of the funnel it reached, by the step's name
/// (a step not reached is left out).
pub fn company_steps(c: &CompanyOutcome) -> BTreeMap<String, chrono::DateTime<chrono::Utc>> {
    FUNNEL
        .iter()
        .zip(c.reached)
        .filter_map(|(s, at)| Some((s.to_string(), at?)))
        .collect()
}

/// A policy or park and how many of the event's people showed interest in it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InterestItem {
    pub id: i64,
    /// Its address in the directory (empty when it was deleted since).
    pub slug: String,
    /// Its title in the reader's language.
    pub name: String,
    pub people: u64,
}

/// What the event's participants read and checked in the directory.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportInterest {
    /// People who read at least one policy or park page.
    pub readers: u64,
    pub policies_viewed: Vec<InterestItem>,
    pub parks_viewed: Vec<InterestItem>,
    /// Eligibility checks run, and by how many people.
    pub eligibility_checks: u64,
    pub eligibility_checkers: u64,
    /// People whose profile came out eligible, per policy.
    pub eligible: Vec<InterestItem>,
}

type Names = BTreeMap<i64, (String, roadshow_domain::localized::Localized)>;

fn items(counts: &[Count], names: &Names, lang: Lang) -> Vec<InterestItem> {
    counts
        .iter()
        .filter_map(|c| {
            let id: i64 = c.key.parse().ok()?;
            let (slug, name) = names
                .get(&id)
                .map(|(s, n)| (s.clone(), n.get(lang).to_string()))
                .unwrap_or_else(|| (String::new(), format!("#{id}")));
            Some(InterestItem {
                id,
                slug,
                name,
                people: c.count,
            })
        })
        .collect()
}

impl ReportInterest {
    pub fn of(v: &EventReport, lang: Lang) -> ReportInterest {
        let i: &domain::InterestFigures = &v.report.interest;
        ReportInterest {
            readers: i.readers,
            policies_viewed: items(&i.policies_viewed, &v.names.policies, lang),
            parks_viewed: items(&i.parks_viewed, &v.names.parks, lang),
            eligibility_checks: i.checks,
            eligibility_checkers: i.checkers,
            eligible: items(&i.eligible, &v.names.policies, lang),
        }
    }
}

/// The agency's earlier events with their headlines, oldest first.
pub fn earlier_events(v: &EventReport, lang: Lang) -> Vec<AgencyEvent> {
    v.earlier
        .iter()
        .map(|(e, h)| AgencyEvent {
            slug: e.slug.clone(),
            title: e.title.get(lang).to_string(),
            starts_at: e.starts_at,
            headline: ReportHeadline::from(h),
        })
        .collect()
}

/// One step of the funnel as a page shows it: a bar and its marks, groups under five
/// guarded (the funnel is shown beyond the staff who may see the companies).
pub struct StepRow {
    pub label: String,
    pub shown: String,
    /// The bar's length in per cent of the first step.
    pub width: f64,
    /// Companies within 30, 90 and 180 days ("—" while the mark has not come).
    pub marks: Vec<String>,
}

pub fn step_rows(steps: &[FunnelStep]) -> Vec<StepRow> {
    let first = steps.first().map(|s| s.companies).unwrap_or(0).max(1) as f64;
    let mark = |n: Option<u64>| n.map(guarded).unwrap_or_else(|| "—".into());
    steps
        .iter()
        .map(|s| StepRow {
            label: s.label.clone(),
            shown: guarded(s.companies),
            width: (s.companies as f64 / first * 100.0).max(if s.companies > 0 {
                0.8
            } else {
                0.0
            }),
            marks: vec![
                mark(s.within_30_days),
                mark(s.within_90_days),
                mark(s.within_180_days),
            ],
        })
        .collect()
}

/// The headings of the funnel's marks: "within 30 days (12 companies)".
pub fn mark_headers(ctx: &crate::caller::Ctx, milestones: &[FunnelMilestone]) -> Vec<String> {
    milestones
        .iter()
        .map(|m| {
            t_with(
                ctx.lang,
                "report-within-days",
                &[("days", ArgValue::Number(m.days as f64))],
            )
        })
        .collect()
}
