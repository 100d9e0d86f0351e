//! The organiser's scheduler page: paste or upload an instance, see the grid, the weight
//! achieved, the bound proved and who got nothing and why.

use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::Form;
use crate::pages::{render, render_status};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::meetings::{SCHEDULE_DEFAULT_MS, Scheduled};
use roadshow_domain::meetings::{Instance, Placement};

/// A small instance shown in the empty form, so the page explains its format by example.
const EXAMPLE: &str = r#"{
  "slots": ["09:00", "09:30", "10:00", "10:30"],
  "hosts": [
    {"id": "Beijing Municipal Commerce Bureau", "capacity": 2, "available": ["09:00", "09:30", "10:00"]},
    {"id": "Shunyi District", "capacity": 1, "available": ["09:30", "10:00", "10:30"]}
  ],
  "companies": [
    {"id": "Rheinmetall Antriebe GmbH", "available": ["09:00", "09:30", "10:00", "10:30"], "max_meetings": 2},
    {"id": "Bayern Medizintechnik AG", "available": ["09:30", "10:00"], "max_meetings": 2},
    {"id": "Hanse Logistik KG", "available": ["10:00"], "max_meetings": 1}
  ],
  "requests": [
    {"company": "Rheinmetall Antriebe GmbH", "host": "Shunyi District", "weight": 3},
    {"company": "Rheinmetall Antriebe GmbH", "host": "Beijing Municipal Commerce Bureau", "weight": 1},
    {"company": "Bayern Medizintechnik AG", "host": "Shunyi District", "weight": 2},
    {"company": "Bayern Medizintechnik AG", "host": "Beijing Municipal Commerce Bureau", "weight": 2},
    {"company": "Hanse Logistik KG", "host": "Shunyi District", "weight": 3}
  ]
}"#;

/// One row of the grid: a host, and per slot the meetings it holds.
pub struct GridRow {
    pub host: String,
    pub cells: Vec<Vec<Cell>>,
}

pub struct Cell {
    pub company: String,
    /// Kept where it is by the organiser.
    pub pinned: bool,
    /// The meeting as JSON, the value of its "keep" box.
    pub value: String,
}

pub struct UnplacedRow {
    pub company: String,
    pub host: String,
    pub weight: u64,
    pub reason: String,
}

pub struct Outcome {
    pub objective: u64,
    pub upper_bound: u64,
    pub gap: String,
    pub optimal: bool,
    pub seconds: String,
    pub meetings: usize,
    pub companies_with_meetings: usize,
    pub slots: Vec<String>,
    pub rows: Vec<GridRow>,
    pub unplaced: Vec<UnplacedRow>,
}

#[derive(Template)]
#[template(path = "admin/scheduler.html")]
struct SchedulerPage<'a> {
    ctx: &'a Ctx,
    instance: String,
    time_limit_ms: String,
    errors: Vec<(String, String)>,
    outcome: Option<Outcome>,
}

pub async fn scheduler(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    state.app.meetings().may_schedule(&ctx.principal)?;
    Ok(render(&SchedulerPage {
        ctx: &ctx,
        instance: EXAMPLE.to_string(),
        time_limit_ms: SCHEDULE_DEFAULT_MS.to_string(),
        errors: Vec::new(),
        outcome: None,
    }))
}

pub async fn run_scheduler(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    state.app.meetings().may_schedule(&ctx.principal)?;
    let mut text = data.get("instance").unwrap_or_default().to_string();
    let limit_text = data
        .get("time_limit_ms")
        .unwrap_or_default()
        .trim()
        .to_string();
    let result = match prepare(&text, &limit_text, &data.all("pin")) {
        Ok((instance, limit, pinned_text)) => {
            if let Some(pinned_text) = pinned_text {
                text = pinned_text;
            }
            state
                .app
                .meetings()
                .schedule(&ctx.principal, instance.clone(), limit)
                .await
                .map(|scheduled| (instance, scheduled))
        }
        Err(e) => Err(e),
    };
    let mut page = SchedulerPage {
        ctx: &ctx,
        instance: text,
        time_limit_ms: limit_text,
        errors: Vec::new(),
        outcome: None,
    };
    match result {
        Ok((instance, scheduled)) => {
            page.outcome = Some(outcome(&ctx, &instance, scheduled));
            Ok(render(&page))
        }
        Err(AppError::Invalid(fields)) => {
            page.errors = crate::views::field_errors(&ctx, &fields);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(Error(e)),
    }
}

/// The form's instance, time limit and meetings ticked to keep.
type Prepared = (Instance, Option<u64>, Option<String>);

/// Reads the form. Ticked meetings are pinned in the instance (its text is rewritten to
/// show the pins), so the next run places everything else around them without moving
/// them.
fn prepare(text: &str, limit: &str, pins: &[String]) -> Result<Prepared, AppError> {
    let limit = match limit {
        "" => None,
        text => Some(
            text.parse::<u64>()
                .map_err(|_| AppError::invalid("time_limit_ms", "invalid_number"))?,
        ),
    };
    let mut instance: Instance =
        serde_json::from_str(text).map_err(|_| AppError::invalid("instance", "invalid_json"))?;
    if pins.is_empty() {
        return Ok((instance, limit, None));
    }
    for pin in pins {
        let meeting: Placement =
            serde_json::from_str(pin).map_err(|_| AppError::invalid("pin", "unknown_choice"))?;
        let request = instance
            .requests
            .iter_mut()
            .find(|r| r.company == meeting.company && r.host == meeting.host && r.slot.is_none())
            .ok_or_else(|| AppError::invalid("pin", "unknown_choice"))?;
        request.slot = Some(meeting.slot);
    }
    let text = serde_json::to_string_pretty(&instance)
        .map_err(|_| AppError::invalid("instance", "invalid_json"))?;
    Ok((instance, limit, Some(text)))
}

fn outcome(ctx: &Ctx, instance: &Instance, s: Scheduled) -> Outcome {
    let pinned: std::collections::HashSet<(&str, &str, &str)> = instance
        .requests
        .iter()
        .filter_map(|r| Some((r.company.as_str(), r.host.as_str(), r.slot.as_deref()?)))
        .collect();
    let slots = instance.slots.clone();
    let rows = instance
        .hosts
        .iter()
        .map(|h| GridRow {
            host: h.id.clone(),
            cells: slots
                .iter()
                .map(|slot| {
                    s.output
                        .meetings
                        .iter()
                        .filter(|m| m.host == h.id && &m.slot == slot)
                        .map(|m| Cell {
                            company: m.company.clone(),
                            pinned: pinned.contains(&(
                                m.company.as_str(),
                                m.host.as_str(),
                                m.slot.as_str(),
                            )),
                            value: serde_json::to_string(m).unwrap_or_default(),
                        })
                        .collect()
                })
                .collect(),
        })
        .collect();
    Outcome {
        objective: s.output.objective,
        upper_bound: s.output.upper_bound,
        gap: format!("{:.2} %", s.gap_percent),
        optimal: s.output.optimal,
        seconds: format!("{:.3}", s.output.seconds),
        meetings: s.output.meetings.len(),
        companies_with_meetings: s.companies_with_meetings,
        slots,
        rows,
        unplaced: s
            .unplaced
            .iter()
            .map(|u| UnplacedRow {
                company: u.company.clone(),
                host: u.host.clone(),
                weight: u.weight,
                reason: ctx.t(&format!("scheduler-reason-{}", u.reason.replace('_', "-"))),
            })
            .collect(),
    }
}
