//! The agency's reports across events: the API's figures and the dashboard page. The page
//! shows counts only and a group of fewer than five companies as "< 5".

use super::labels::Labels;
use super::outcomes::{
    FunnelMilestone, FunnelStep, ReportFunnel, StepRow, mark_headers, step_rows,
};
use crate::AppState;
use crate::api::ok;
use crate::caller::Ctx;
use crate::error::Error;
use crate::pages::render;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use roadshow_app::AppError;
use roadshow_app::reports::AgencyReport;
use roadshow_domain::reports::{FUNNEL, guarded};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The period of events to count (Beijing dates, both included; open ends when left out).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// `YYYY-MM-DD`.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

/// A date of the period. The page's form sends an empty field for an open end; the API
/// takes the parameter left out for that, and an empty one is not a date.
fn date(
    field: &'static str,
    value: Option<&str>,
    empty_is_open: bool,
) -> Result<Option<NaiveDate>, Error> {
    match value.map(str::trim) {
        None => Ok(None),
        Some("") if empty_is_open => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::invalid(field, "invalid_date").into()),
    }
}

/// One event with its headline figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyEvent {
    pub slug: String,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub headline: super::wire::ReportHeadline,
}

/// Companies at one step of the outcome funnel.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FunnelCount {
    /// `registered`, `attended`, `asked`, `met`, `intent`, `lead`, `site_visit`,
    /// `signed`, `started`, `capital_in_place`.
    pub step: String,
    pub companies: u64,
}

/// The agency's events in a period and the funnel of their companies.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgencyReportWire {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Oldest first.
    pub events: Vec<AgencyEvent>,
    /// Each company counted once, at every step it reached at any of the events, and
    /// within 30, 90 and 180 days of the end of its first event of the period.
    pub funnel: Vec<FunnelStep>,
    pub milestones: Vec<FunnelMilestone>,
    /// The funnel per company country (ISO 3166-1 alpha-2).
    pub funnel_by_country: BTreeMap<String, Vec<FunnelCount>>,
    /// Each event's own funnel, by the event's slug.
    pub funnel_by_event: BTreeMap<String, Vec<FunnelCount>>,
}

fn steps(counts: &[u64]) -> Vec<FunnelCount> {
    FUNNEL
        .iter()
        .zip(counts)
        .map(|(s, n)| FunnelCount {
            step: s.to_string(),
            companies: *n,
        })
        .collect()
}

fn wire(r: &AgencyReport, ctx: &Ctx) -> AgencyReportWire {
    let funnel = ReportFunnel::of(&r.funnel, ctx.lang);
    AgencyReportWire {
        from: r.from,
        to: r.to,
        events: r
            .events
            .iter()
            .map(|(e, h)| AgencyEvent {
                slug: e.slug.clone(),
                title: e.title.get(ctx.lang).to_string(),
                starts_at: e.starts_at,
                headline: super::wire::ReportHeadline::from(h),
            })
            .collect(),
        funnel_by_event: r
            .events
            .iter()
            .zip(&r.event_funnels)
            .map(|((e, _), f)| (e.slug.clone(), steps(&f.total)))
            .collect(),
        funnel: funnel.steps,
        milestones: funnel.milestones,
        funnel_by_country: r
            .funnel
            .by_country
            .iter()
            .map(|(c, n)| (c.clone(), steps(n)))
            .collect(),
    }
}

/// The agency's events in a period with their headline figures side by side, and the
/// outcome funnel of their companies in all and per country (organisers and investment
/// officers). Staff figures: exact counts.
#[utoipa::path(get, path = "/api/v1/reports/agency", operation_id = "show_agency_report", tag = "reports",
    security(("bearer" = [])), params(Period),
    responses((status = 200, body = AgencyReportWire)))]
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(p): Query<Period>,
) -> Result<Response, Error> {
    let from = date("from", p.from.as_deref(), false)?;
    let to = date("to", p.to.as_deref(), false)?;
    let r = state.app.reports().agency(&ctx.principal, from, to).await?;
    Ok(ok(wire(&r, &ctx)))
}

/// A row of a funnel table: whose (a country, an event) and each step's companies.
pub struct FunnelRow {
    pub label: String,
    pub shown: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct DashboardPage<'a> {
    ctx: &'a Ctx,
    from: String,
    to: String,
    events: Vec<AgencyEvent>,
    /// The headline figures as shown, per event, in the columns' order.
    figures: Vec<Vec<String>>,
    columns: Vec<String>,
    steps: Vec<StepRow>,
    /// The funnel's +30/+90/+180-day columns' headings.
    marks: Vec<String>,
    step_labels: Vec<String>,
    countries: Vec<FunnelRow>,
    /// Each event's funnel: the event's title and each step's companies.
    by_event: Vec<FunnelRow>,
}

/// The agency dashboard: the funnel across events, by country, and the events compared.
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(p): Query<Period>,
) -> Result<Response, Error> {
    let from = date("from", p.from.as_deref(), true)?;
    let to = date("to", p.to.as_deref(), true)?;
    let r = state.app.reports().agency(&ctx.principal, from, to).await?;
    let w = wire(&r, &ctx);
    let labels = Labels {
        lang: ctx.lang,
        departments: &[],
        fields: &[],
    };
    let steps = step_rows(&w.funnel);
    let marks = mark_headers(&ctx, &w.milestones);
    let keys = [
        "registered",
        "attended",
        "countries",
        "companies",
        "questions",
        "answered",
        "meetings_held",
        "survey_answers",
        "leads",
        "signed",
    ];
    let figures = w
        .events
        .iter()
        .map(|e| {
            let h = &e.headline;
            // Groups of companies (or their people) are guarded; countries and
            // questions name no company.
            vec![
                guarded(h.registered),
                guarded(h.attended),
                h.countries.to_string(),
                guarded(h.companies),
                h.questions.to_string(),
                h.answered.to_string(),
                guarded(h.meetings_held),
                guarded(h.survey_answers),
                guarded(h.leads),
                guarded(h.signed),
            ]
        })
        .collect();
    Ok(render(&DashboardPage {
        from: p.from.unwrap_or_default(),
        to: p.to.unwrap_or_default(),
        columns: keys
            .iter()
            .map(|k| ctx.t(&format!("report-{}", k.replace('_', "-"))))
            .collect(),
        figures,
        step_labels: FUNNEL
            .iter()
            .map(|s| ctx.t(&format!("funnel-{}", s.replace('_', "-"))))
            .collect(),
        steps,
        marks,
        countries: w
            .funnel_by_country
            .iter()
            .map(|(c, n)| FunnelRow {
                label: labels.label("country", c),
                shown: n.iter().map(|s| guarded(s.companies)).collect(),
            })
            .collect(),
        by_event: w
            .events
            .iter()
            .filter_map(|e| {
                Some(FunnelRow {
                    label: e.title.clone(),
                    shown: w
                        .funnel_by_event
                        .get(&e.slug)?
                        .iter()
                        .map(|s| guarded(s.companies))
                        .collect(),
                })
            })
            .collect(),
        events: w.events,
        ctx: &ctx,
    }))
}
