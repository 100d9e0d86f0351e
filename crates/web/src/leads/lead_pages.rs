//! One lead's page: details, score with its reasons, contacts, survey answers, tasks and
//! the timeline of signals and changes; and the forms that change it.

use super::pages::{district_choices, officer_choices, stage_choices};
use super::wire;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Choice, Form, FormData};
use crate::pages::Id;
use crate::pages::{render_status, safe_return_path, see_other};
use crate::views::{TimeView, field_errors, industry_label, time_view};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::leads::{LeadView, TimelineEntry};
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use roadshow_domain::signals::SignalKind;
use roadshow_domain::surveys::{Interest, ProjectType};

pub struct TimelineRow {
    pub when: TimeView,
    pub signal: bool,
    pub text: String,
    pub who: String,
}

pub struct TaskRow {
    pub id: i64,
    pub title: String,
    pub due: String,
    pub assignee: String,
    pub done: bool,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "admin/lead.html")]
struct LeadPage<'a> {
    ctx: &'a Ctx,
    id: i64,
    company: String,
    country: String,
    website: String,
    stage: String,
    stage_label: String,
    lost_reason: String,
    in_pool: bool,
    score: i64,
    score_parts: Vec<(String, i64)>,
    form: FormData,
    stages: Vec<Choice>,
    officers: Vec<Choice>,
    sectors: Vec<Choice>,
    activities: Vec<Choice>,
    districts: Vec<Choice>,
    parks: Vec<Choice>,
    contacts: Vec<(String, String, String, String)>,
    intent: Vec<String>,
    tasks: Vec<TaskRow>,
    timeline: Vec<TimelineRow>,
    errors: Vec<(String, String)>,
    /// The version the page's forms are based on.
    version: i64,
    /// Someone changed the lead since the officer's form was loaded: what.
    stale: Option<String>,
}

/// A signal in words: "Erika Muster asked a question".
fn signal_text(ctx: &Ctx, s: &roadshow_domain::signals::Signal) -> String {
    let mut text = ctx.t(&format!("signal-{}", s.kind.code()));
    match s.kind {
        SignalKind::Attended | SignalKind::Watched => {
            text.push_str(&format!(" ({} min)", s.amount / 60))
        }
        SignalKind::SurveyAnswered => {
            if let Some(i) = Interest::from_level(s.amount) {
                text.push_str(&format!(
                    ": {}",
                    ctx.t(&format!("survey-interest-{}", i.code()))
                ));
            }
        }
        _ => {}
    }
    text
}

/// A change in words: "Stage: prospect → site visit".
/// A changed field's name in the reader's language ("Stage", "Jobs").
fn field_label(ctx: &Ctx, field: &str) -> String {
    ctx.t(&format!("lead-change-{}", field.replace('_', "-")))
}

fn change_text(ctx: &Ctx, c: &LeadChange, v: &LeadView) -> String {
    let name = |id: &Option<String>| -> String {
        id.as_deref()
            .and_then(|i| i.parse::<i64>().ok())
            .and_then(|i| v.officers.iter().find(|o| o.id.0 == i))
            .map(|o| o.display_name.clone())
            .unwrap_or_else(|| ctx.t("lead-pool"))
    };
    let stage = |s: &Option<String>| -> String {
        let raw = s.clone().unwrap_or_default();
        let (code, reason) = raw
            .split_once(": ")
            .map(|(a, b)| (a.to_string(), Some(b.to_string())))
            .unwrap_or((raw.clone(), None));
        let label = ctx.t(&format!("lead-stage-{code}"));
        match reason {
            Some(r) => format!("{label} ({r})"),
            None => label,
        }
    };
    let label = field_label(ctx, &c.field);
    match c.field.as_str() {
        "stage" => format!("{label}: {} → {}", stage(&c.before), stage(&c.after)),
        "owner" => format!("{label}: {} → {}", name(&c.before), name(&c.after)),
        "created" => format!(
            "{label} ({})",
            ctx.t(&format!(
                "lead-source-{}",
                c.after.clone().unwrap_or_default().replace('_', "-")
            ))
        ),
        "notes" => label,
        _ => {
            let show = |x: &Option<String>| {
                x.as_deref()
                    .map(|value| change_value(ctx, &c.field, value, v))
                    .unwrap_or_else(|| "—".into())
            };
            match (&c.before, &c.after) {
                (None, Some(_)) => format!("{label}: {}", show(&c.after)),
                _ => format!("{label}: {} → {}", show(&c.before), show(&c.after)),
            }
        }
    }
}

/// A changed field's value as the reader reads it: labels for codes, names for ids,
/// amounts with thousands separators.
fn change_value(ctx: &Ctx, field: &str, value: &str, v: &LeadView) -> String {
    match field {
        "sector" => industry_label(ctx, value),
        "activity" => ctx.t(&format!("survey-project_type-{value}")),
        "target_district" => ctx.t(&format!("district-{value}")),
        "target_park_id" => v
            .parks
            .iter()
            .find(|p| p.id.0.to_string() == value)
            .map(|p| p.name.get(ctx.lang).to_string())
            .unwrap_or_else(|| value.to_string()),
        "capex_cny" | "realised_capex_cny" => value
            .parse::<i64>()
            .map(|n| format!("CNY {}", thousands(n)))
            .unwrap_or_else(|_| value.to_string()),
        _ => value.to_string(),
    }
}

/// 30000000 → "30,000,000".
pub fn thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The details form's values: the submitted ones after an error, else the lead's.
fn lead_form(l: &Lead) -> FormData {
    let p = &l.project;
    let mut f = vec![
        (
            "owner_id".to_string(),
            l.owner_id.map(|o| o.0.to_string()).unwrap_or_default(),
        ),
        ("sector".into(), p.sector.clone().unwrap_or_default()),
        (
            "activity".into(),
            p.activity.map(|a| a.code().to_string()).unwrap_or_default(),
        ),
        (
            "capex_cny".into(),
            p.capex_cny.map(|c| c.to_string()).unwrap_or_default(),
        ),
        (
            "jobs".into(),
            p.jobs.map(|c| c.to_string()).unwrap_or_default(),
        ),
        (
            "target_district".into(),
            p.target_district.clone().unwrap_or_default(),
        ),
        (
            "target_park_id".into(),
            p.target_park_id
                .map(|c| c.0.to_string())
                .unwrap_or_default(),
        ),
        ("next_step".into(), p.next_step.clone().unwrap_or_default()),
        (
            "next_step_due".into(),
            p.next_step_due.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("notes".into(), p.notes.clone()),
        (
            "signed_on".into(),
            p.signed_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "started_on".into(),
            p.started_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "realised_capex_cny".into(),
            p.realised_capex_cny
                .map(|c| c.to_string())
                .unwrap_or_default(),
        ),
        (
            "realised_jobs".into(),
            p.realised_jobs.map(|c| c.to_string()).unwrap_or_default(),
        ),
    ];
    f.push(("stage".into(), l.stage.code().to_string()));
    FormData(f)
}

fn lead_page<'a>(
    ctx: &'a Ctx,
    v: &LeadView,
    form: Option<FormData>,
    errors: Vec<(String, String)>,
) -> LeadPage<'a> {
    let l = &v.lead;
    let today = roadshow_app::today_in_beijing();
    let intent = v
        .responses
        .first()
        .map(|r| {
            let a = &r.answers;
            let label = |k: &str, c: &str| crate::surveys::wording::choice_label(k, c, ctx.lang);
            let mut out = vec![format!(
                "{}: {}",
                ctx.t("survey-col-interest"),
                label("interest", a.interest.code())
            )];
            if let Some(b) = a.investment {
                out.push(format!(
                    "{}: {}",
                    ctx.t("survey-col-investment"),
                    label("investment", b.code())
                ));
            }
            if let Some(t) = a.timeline {
                out.push(format!(
                    "{}: {}",
                    ctx.t("survey-col-timeline"),
                    label("timeline", t.code())
                ));
            }
            if !a.next_steps.is_empty() {
                let steps: Vec<String> = a
                    .next_steps
                    .iter()
                    .map(|s| label("next_steps", s.code()))
                    .collect();
                out.push(format!(
                    "{}: {}",
                    ctx.t("survey-col-next"),
                    steps.join(", ")
                ));
            }
            out.push(ctx.t(if a.consent {
                "lead-consent-yes"
            } else {
                "lead-consent-no"
            }));
            if let Some(c) = &a.comment {
                out.push(format!("“{c}”"));
            }
            out
        })
        .unwrap_or_default();
    LeadPage {
        id: l.id.0,
        company: l.company.name.clone(),
        country: roadshow_domain::reference::country_name(&l.company.country, ctx.lang),
        website: l.company.website.clone().unwrap_or_default(),
        // A move sent back (refused, or stale) keeps the stage and reason chosen.
        stage: form
            .as_ref()
            .and_then(|f| f.get("stage"))
            .filter(|s| Stage::parse(s).is_some())
            .map_or_else(|| l.stage.code().to_string(), str::to_string),
        stage_label: ctx.t(&format!("lead-stage-{}", l.stage.code())),
        lost_reason: form
            .as_ref()
            .and_then(|f| f.get("lost_reason"))
            .map(str::to_string)
            .unwrap_or_else(|| l.lost_reason.clone().unwrap_or_default()),
        in_pool: l.owner_id.is_none(),
        score: v.score.total,
        score_parts: v
            .score
            .parts
            .iter()
            .map(|p| {
                let label = if let Some(level) = p.code.strip_prefix("intent-") {
                    format!(
                        "{}: {}",
                        ctx.t("score-intent"),
                        ctx.t(&format!("survey-interest-{level}"))
                    )
                } else {
                    format!("{} × {}", p.count, ctx.t(&format!("signal-{}", p.code)))
                };
                (label, p.points)
            })
            .collect(),
        form: form.unwrap_or_else(|| lead_form(l)),
        stages: stage_choices(ctx),
        officers: officer_choices(&v.officers),
        sectors: roadshow_domain::reference::INDUSTRIES
            .iter()
            .map(|c| Choice {
                value: c.to_string(),
                label: industry_label(ctx, c),
            })
            .collect(),
        activities: ProjectType::ALL
            .iter()
            .map(|a| Choice {
                value: a.code().into(),
                label: ctx.t(&format!("survey-project_type-{}", a.code())),
            })
            .collect(),
        districts: district_choices(ctx),
        parks: v
            .parks
            .iter()
            .map(|p| Choice {
                value: p.id.0.to_string(),
                label: p.name.get(ctx.lang).to_string(),
            })
            .collect(),
        contacts: v
            .contacts
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.job_title.clone().unwrap_or_default(),
                    c.email.clone(),
                    ctx.t(if c.shares {
                        "lead-contact-shares"
                    } else {
                        "lead-contact-not-shared"
                    }),
                )
            })
            .collect(),
        intent,
        tasks: v
            .tasks
            .iter()
            .map(|t| TaskRow {
                id: t.id.0,
                title: t.title.clone(),
                due: t.due_on.to_string(),
                assignee: t.assignee_name.clone().unwrap_or_default(),
                done: t.done_at.is_some(),
                overdue: t.overdue(today),
            })
            .collect(),
        timeline: v
            .timeline
            .iter()
            .map(|e| match e {
                TimelineEntry::Signal(s) => TimelineRow {
                    when: time_view(ctx, s.at),
                    signal: true,
                    text: signal_text(ctx, s),
                    who: s.participant_name.clone(),
                },
                TimelineEntry::Change(c) => TimelineRow {
                    when: time_view(ctx, c.at),
                    signal: false,
                    text: change_text(ctx, c, v),
                    who: c.actor_name.clone().unwrap_or_else(|| "Roadshow".into()),
                },
            })
            .collect(),
        errors,
        version: l.version,
        stale: None,
        ctx,
    }
}

pub async fn lead(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
) -> Result<Response, Error> {
    let v = state.app.leads().view(&ctx.principal, id).await?;
    Ok(render_status(
        StatusCode::OK,
        &lead_page(&ctx, &v, None, Vec::new()),
    ))
}

/// After a change: back to the lead, or to where the form came from (the board).
async fn done(
    state: &AppState,
    ctx: &Ctx,
    id: LeadId,
    result: Result<(), AppError>,
    data: FormData,
) -> Result<Response, Error> {
    let base = data
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    match result {
        Ok(()) => {
            let back = data
                .get("return")
                .map(safe_return_path)
                .filter(|p| p.starts_with("/admin/"));
            Ok(see_other(
                &back.unwrap_or_else(|| format!("/admin/leads/{}", id.0)),
            ))
        }
        Err(AppError::Invalid(fields)) => {
            let v = state.app.leads().view(&ctx.principal, id).await?;
            let errors = field_errors(ctx, &fields);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &lead_page(ctx, &v, Some(data), errors),
            ))
        }
        // Changed by someone else since the form was loaded: the page as it is now, the
        // officer's entries kept, and what changed named; saving again applies them.
        Err(AppError::Conflict("stale")) => {
            let leads = state.app.leads();
            let v = leads.view(&ctx.principal, id).await?;
            let changed = leads
                .changes_since(&ctx.principal, id, base.unwrap_or(0))
                .await?;
            let mut page = lead_page(ctx, &v, Some(data), Vec::new());
            page.stale = Some(
                ctx.t1(
                    "leads-stale-page",
                    "fields",
                    &changed
                        .iter()
                        .map(|f| field_label(ctx, f))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            );
            Ok(render_status(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(Error(e)),
    }
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = async {
        let base = data.get("version").and_then(|v| v.trim().parse().ok());
        let input = ProjectInput::from(data.without(&["version"]).decode::<wire::ProjectInput>()?);
        state
            .app
            .leads()
            .update(&ctx.principal, id, &input, base)
            .await
            .map(|_| ())
    }
    .await;
    done(&state, &ctx, id, result, data).await
}

pub async fn stage(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = async {
        let base = data.get("version").and_then(|v| v.trim().parse().ok());
        let input = StageInput::from(
            data.without(&["version", "return"])
                .decode::<wire::StageInput>()?,
        );
        state
            .app
            .leads()
            .move_to(&ctx.principal, id, &input, base)
            .await
            .map(|_| ())
    }
    .await;
    done(&state, &ctx, id, result, data).await
}

pub async fn take(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = state.app.leads().take(&ctx.principal, id).await.map(|_| ());
    done(&state, &ctx, id, result, data).await
}

pub async fn add_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = async {
        let input = TaskInput::from(data.decode::<wire::TaskInput>()?);
        state
            .app
            .leads()
            .add_task(&ctx.principal, id, &input)
            .await
            .map(|_| ())
    }
    .await;
    done(&state, &ctx, id, result, data).await
}

pub async fn set_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<TaskId>,
    Form(data): Form,
) -> Result<Response, Error> {
    let task = state
        .app
        .leads()
        .set_task_done(&ctx.principal, id, Some(data.get("done") == Some("1")))
        .await?;
    let back = data
        .get("return")
        .map(safe_return_path)
        .filter(|p| p.starts_with("/admin/"));
    Ok(see_other(&back.unwrap_or_else(|| {
        format!("/admin/leads/{}", task.lead_id.0)
    })))
}
