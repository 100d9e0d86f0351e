//! Leads in the API: lists and board, a lead with its score, tasks and timeline, stage
//! moves, the pool, assignment rules, signals, company merges and the CSV export.

use super::FilterQuery;
use crate::AppState;
use crate::api::{ApiJson, json};
use crate::caller::Ctx;
use crate::error::Error;
use crate::views::csv_response;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::leads::TimelineEntry;
use roadshow_domain::ids::*;
use roadshow_domain::leads::*;
use serde::Deserialize;
use serde_json::{Value, json};

fn id_of(text: &str) -> Result<i64, Error> {
    text.parse::<i64>().map_err(|_| Error(AppError::NotFound))
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilterQuery>,
) -> Result<Response, Error> {
    let filter = q.filter(&ctx.principal)?;
    let (leads, total) = state.app.leads().list(&ctx.principal, &filter).await?;
    Ok(json(
        StatusCode::OK,
        json!({"total": total, "offset": filter.offset, "leads": leads}),
    ))
}

pub async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilterQuery>,
) -> Result<Response, Error> {
    let filter = q.filter(&ctx.principal)?;
    let columns = state
        .app
        .leads()
        .board(&ctx.principal, filter.owner)
        .await?;
    Ok(json(StatusCode::OK, json!({"columns": columns})))
}

pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilterQuery>,
) -> Result<Response, Error> {
    let filter = q.filter(&ctx.principal)?;
    let body = state.app.leads().csv(&ctx.principal, &filter).await?;
    Ok(csv_response("leads.csv", body))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NewLeadInput>,
) -> Result<Response, Error> {
    let lead = state.app.leads().create(&ctx.principal, &input).await?;
    Ok(json(StatusCode::CREATED, lead))
}

pub async fn lead(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let v = state
        .app
        .leads()
        .view(&ctx.principal, LeadId(id_of(&id)?))
        .await?;
    Ok(json(
        StatusCode::OK,
        json!({
            "lead": v.lead,
            "score": v.score,
            "tasks": v.tasks,
            "contacts": v.contacts,
            "survey_answers": v.responses,
        }),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Result<Response, Error> {
    let lead = state
        .app
        .leads()
        .update(&ctx.principal, LeadId(id_of(&id)?), &input)
        .await?;
    Ok(json(StatusCode::OK, lead))
}

pub async fn stage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StageInput>,
) -> Result<Response, Error> {
    let lead = state
        .app
        .leads()
        .move_to(&ctx.principal, LeadId(id_of(&id)?), &input)
        .await?;
    Ok(json(StatusCode::OK, lead))
}

pub async fn take(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let lead = state
        .app
        .leads()
        .take(&ctx.principal, LeadId(id_of(&id)?))
        .await?;
    Ok(json(StatusCode::OK, lead))
}

/// A timeline entry in the API: `signal` or `change`, with its time.
fn entry_json(e: &TimelineEntry) -> Value {
    match e {
        TimelineEntry::Signal(s) => {
            json!({"type": "signal", "at": s.at, "kind": s.kind, "participant": s.participant_name, "event_id": s.event_id, "ref_id": s.ref_id, "amount": s.amount})
        }
        TimelineEntry::Change(c) => {
            json!({"type": "change", "at": c.at, "field": c.field, "before": c.before, "after": c.after, "by": c.actor_name})
        }
    }
}

pub async fn timeline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let v = state
        .app
        .leads()
        .view(&ctx.principal, LeadId(id_of(&id)?))
        .await?;
    Ok(json(
        StatusCode::OK,
        json!({"score": v.score, "timeline": v.timeline.iter().map(entry_json).collect::<Vec<_>>()}),
    ))
}

pub async fn add_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<Response, Error> {
    let task = state
        .app
        .leads()
        .add_task(&ctx.principal, LeadId(id_of(&id)?), &input)
        .await?;
    Ok(json(StatusCode::CREATED, task))
}

pub async fn my_tasks(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let tasks = state.app.leads().my_tasks(&ctx.principal).await?;
    Ok(json(StatusCode::OK, json!({"tasks": tasks})))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskDone {
    #[serde(default)]
    done: Option<bool>,
}

pub async fn set_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TaskDone>,
) -> Result<Response, Error> {
    let task = state
        .app
        .leads()
        .set_task_done(&ctx.principal, TaskId(id_of(&id)?), input.done)
        .await?;
    Ok(json(StatusCode::OK, task))
}

pub async fn rules(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let rules = state.app.leads().rules(&ctx.principal).await?;
    Ok(json(StatusCode::OK, json!({"rules": rules})))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesBody {
    #[serde(default)]
    rules: Vec<RuleInput>,
}

pub async fn set_rules(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<RulesBody>,
) -> Result<Response, Error> {
    let rules = state
        .app
        .leads()
        .set_rules(&ctx.principal, &input.rules)
        .await?;
    Ok(json(StatusCode::OK, json!({"rules": rules})))
}

pub async fn signals(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let signals = state
        .app
        .signals()
        .company_signals(&ctx.principal, CompanyId(id_of(&id)?))
        .await?;
    Ok(json(StatusCode::OK, json!({"signals": signals})))
}

pub async fn duplicates(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let m = state.app.leads().company_matches(&ctx.principal).await?;
    Ok(json(
        StatusCode::OK,
        json!({"duplicates": m.duplicates, "merges": m.merges}),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    #[serde(default)]
    pub kept: Option<i64>,
    #[serde(default)]
    pub merged: Option<i64>,
}

pub async fn merge(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<MergeBody>,
) -> Result<Response, Error> {
    let merge = state
        .app
        .leads()
        .merge(&ctx.principal, input.kept, input.merged)
        .await?;
    Ok(json(StatusCode::CREATED, merge))
}

pub async fn undo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let merge = state
        .app
        .leads()
        .undo_merge(&ctx.principal, id_of(&id)?)
        .await?;
    Ok(json(StatusCode::OK, merge))
}
