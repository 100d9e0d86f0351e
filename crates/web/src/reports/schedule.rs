//! The report emailed to chosen staff 1, 30 and 90 days after the event: the schedule in
//! the API and on its page (organisers change it; investment officers read it).

use crate::AppState;
use crate::api::{ApiJson, Slug, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Form, FormState};
use crate::pages::{render_status, see_other};
use crate::views::{TimeView, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use roadshow_app::AppError;
use roadshow_app::reports::ReportSchedule;
use roadshow_app::reports::schedule::due;
use roadshow_domain::accounts::Role;
use roadshow_domain::reports::{SCHEDULE_DAYS, ScheduleInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One sending of the report: to whom, how many days after the event, when it is due
/// and when it went.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScheduledSending {
    pub account_id: i64,
    pub name: String,
    #[schema(format = Email)]
    pub email: String,
    /// The language the email is written in: the account's.
    pub language: String,
    pub days_after: i64,
    pub due_at: DateTime<Utc>,
    /// Null until it was written to the outbox.
    pub sent_at: Option<DateTime<Utc>>,
}

/// Who gets the event's report when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportScheduleWire {
    /// The days after the event's end that can be chosen.
    pub days_offered: Vec<i64>,
    pub sendings: Vec<ScheduledSending>,
}

/// The schedule to keep: every recipient gets the report on every one of the days.
/// Both empty clears what was not sent yet.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportScheduleInput {
    /// Staff account ids: organisers, investment officers and officials of the agency.
    #[serde(default)]
    pub recipients: Vec<i64>,
    /// Of `days_offered`: 1, 30, 90.
    #[serde(default)]
    pub days: Vec<i64>,
}

impl From<&ReportSchedule> for ReportScheduleWire {
    fn from(s: &ReportSchedule) -> Self {
        ReportScheduleWire {
            days_offered: SCHEDULE_DAYS.to_vec(),
            sendings: s
                .entries
                .iter()
                .filter_map(|e| {
                    let a = s.candidates.iter().find(|a| a.id == e.account_id)?;
                    Some(ScheduledSending {
                        account_id: a.id.0,
                        name: a.display_name.clone(),
                        email: a.email.clone(),
                        language: a.language.code().to_string(),
                        days_after: e.days_after,
                        due_at: due(&s.event, e.days_after),
                        sent_at: e.sent_at,
                    })
                })
                .collect(),
        }
    }
}

/// Who gets the event's report by email, and when (organisers and investment officers).
#[utoipa::path(get, path = "/api/v1/events/{slug}/report/schedule", operation_id = "show_report_schedule", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = ReportScheduleWire)))]
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let s = state.app.reports().schedule(&ctx.principal, &slug).await?;
    Ok(ok(ReportScheduleWire::from(&s)))
}

/// Replaces the schedule (the organiser): each recipient gets the report, in their
/// account's language, on each of the days after the event; sendings made stay listed.
#[utoipa::path(put, path = "/api/v1/events/{slug}/report/schedule", operation_id = "set_report_schedule", tag = "reports",
    security(("bearer" = [])), params(("slug" = String, Path)),
    request_body = ReportScheduleInput,
    responses((status = 200, body = ReportScheduleWire)))]
pub async fn replace(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<ReportScheduleInput>,
) -> Result<Response, Error> {
    let input = ScheduleInput {
        recipients: input.recipients,
        days: input.days,
    };
    let s = state
        .app
        .reports()
        .set_schedule(&ctx.principal, &slug, &input)
        .await?;
    Ok(ok(ReportScheduleWire::from(&s)))
}

pub struct Recipient {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub language: String,
    pub checked: bool,
}

pub struct DayChoice {
    pub days: i64,
    pub label: String,
    pub due: TimeView,
    pub checked: bool,
}

pub struct SendingRow {
    pub name: String,
    pub language: String,
    pub label: String,
    pub due: TimeView,
    pub sent: Option<TimeView>,
}

#[derive(Template)]
#[template(path = "admin/report_schedule.html")]
struct SchedulePage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: String,
    may_change: bool,
    recipients: Vec<Recipient>,
    days: Vec<DayChoice>,
    sendings: Vec<SendingRow>,
    form: FormState,
    saved: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub saved: Option<String>,
}

fn page(
    ctx: &Ctx,
    s: &ReportSchedule,
    form: Option<(FormState, Vec<i64>, Vec<i64>)>,
    saved: bool,
) -> Response {
    let pending = |id: i64, days: Option<i64>| {
        s.entries.iter().any(|e| {
            e.sent_at.is_none() && e.account_id.0 == id && days.is_none_or(|d| d == e.days_after)
        })
    };
    let (form, chosen_people, chosen_days) = match form {
        Some((f, people, days)) => (f, Some(people), Some(days)),
        None => (FormState::default(), None, None),
    };
    let day_label = |d: i64| ctx.tn("report-schedule-day", d);
    let role = |r: Role| ctx.t(&format!("role-{}", r.code().replace('_', "-")));
    let template = SchedulePage {
        slug: s.event.slug.clone(),
        title: s.event.title.get(ctx.lang).to_string(),
        may_change: ctx
            .principal
            .staff()
            .is_some_and(|a| a.role == Role::Organiser),
        recipients: s
            .candidates
            .iter()
            .map(|a| Recipient {
                id: a.id.0,
                name: a.display_name.clone(),
                role: role(a.role),
                language: a.language.endonym().to_string(),
                checked: match &chosen_people {
                    Some(p) => p.contains(&a.id.0),
                    None => pending(a.id.0, None),
                },
            })
            .collect(),
        days: SCHEDULE_DAYS
            .iter()
            .map(|&d| DayChoice {
                days: d,
                label: day_label(d),
                due: time_view(ctx, due(&s.event, d)),
                checked: match &chosen_days {
                    Some(days) => days.contains(&d),
                    None => s
                        .entries
                        .iter()
                        .any(|e| e.sent_at.is_none() && e.days_after == d),
                },
            })
            .collect(),
        sendings: s
            .entries
            .iter()
            .filter_map(|e| {
                let a = s.candidates.iter().find(|a| a.id == e.account_id)?;
                Some(SendingRow {
                    name: a.display_name.clone(),
                    language: a.language.endonym().to_string(),
                    label: day_label(e.days_after),
                    due: time_view(ctx, due(&s.event, e.days_after)),
                    sent: e.sent_at.map(|t| time_view(ctx, t)),
                })
            })
            .collect(),
        form,
        saved,
        ctx,
    };
    let status = if !template.form.errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(status, &template)
}

/// The schedule's page.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, Error> {
    let s = state.app.reports().schedule(&ctx.principal, &slug).await?;
    Ok(page(&ctx, &s, None, q.saved.is_some()))
}

/// Keeps the schedule chosen on the page.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let numbers = |name: &'static str| -> Result<Vec<i64>, AppError> {
        data.all(name)
            .iter()
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| AppError::invalid(name, "unknown_choice"))
            })
            .collect()
    };
    let result = match (numbers("recipients"), numbers("days")) {
        (Ok(recipients), Ok(days)) => state
            .app
            .reports()
            .set_schedule(&ctx.principal, &slug, &ScheduleInput { recipients, days })
            .await
            .map(|_| ()),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/admin/events/{slug}/report/schedule?saved=1"
        ))),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            let s = state.app.reports().schedule(&ctx.principal, &slug).await?;
            let people = numbers("recipients").unwrap_or_default();
            let days = numbers("days").unwrap_or_default();
            Ok(page(&ctx, &s, Some((form, people, days)), false))
        }
    }
}
