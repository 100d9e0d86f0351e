//! Leads in the API: lists and board, a lead with its score, tasks and timeline, stage
//! moves, the pool, assignment rules, signals, company merges and the CSV export.

use super::FilterQuery;
use super::wire::*;
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, created, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::paging::PageQuery;
use crate::views::csv_response;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_domain::ids::{CompanyId, LeadId, TaskId};

/// The leads the filters select, best score first, 50 a page (investment officers,
/// organisers).
#[utoipa::path(get, path = "/api/v1/leads", operation_id = "list_leads", tag = "leads",
    security(("bearer" = [])), params(FilterQuery),
    responses((status = 200, body = LeadList),
        (status = 422, description = "A filter that cannot be used, named", body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilterQuery>,
) -> Result<Response, Error> {
    let filter = q.filter(&ctx.principal)?;
    let (leads, total) = state.app.leads().list(&ctx.principal, &filter).await?;
    Ok(ok(LeadList {
        total,
        offset: filter.offset,
        leads: leads.iter().map(Lead::from).collect(),
    }))
}

/// The board: every stage with its count and first leads (investment officers,
/// organisers).
#[utoipa::path(get, path = "/api/v1/leads/board", operation_id = "leads_board", tag = "leads",
    security(("bearer" = [])), params(FilterQuery),
    responses((status = 200, body = Board),
        (status = 422, description = "A filter that cannot be used, named", body = Problem, content_type = "application/problem+json")))]
pub async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilterQuery>,
) -> Result<Response, Error> {
    let filter = q.filter(&ctx.principal)?;
    let board = state
        .app
        .leads()
        .board(&ctx.principal, filter.owner)
        .await?;
    Ok(ok(Board {
        revision: board.revision,
        columns: board.columns.iter().map(BoardColumn::from).collect(),
    }))
}

/// The leads the filters select as CSV (investment officers, organisers).
#[utoipa::path(get, path = "/api/v1/leads.csv", operation_id = "export_leads", tag = "leads",
    security(("bearer" = [])), params(FilterQuery),
    responses((status = 200, description = "The leads, one a row", content_type = "text/csv", body = String),
        (status = 422, description = "A filter that cannot be used, named", body = Problem, content_type = "application/problem+json")))]
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilterQuery>,
) -> Result<Response, Error> {
    let filter = q.filter(&ctx.principal)?;
    let body = state.app.leads().csv(&ctx.principal, &filter).await?;
    Ok(csv_response("leads.csv", body))
}

/// Add a lead by hand: an existing company, or a new one.
#[utoipa::path(post, path = "/api/v1/leads", operation_id = "create_lead", tag = "leads",
    security(("bearer" = [])), request_body = NewLeadInput,
    responses((status = 201, description = "Added", body = Lead),
        (status = 409, description = "The company has a lead already", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<NewLeadInput>,
) -> Result<Response, Error> {
    let lead = state
        .app
        .leads()
        .create(&ctx.principal, &input.into())
        .await?;
    Ok(created(Lead::from(&lead), None))
}

/// A lead with its score, tasks, contacts and the company's survey answers.
#[utoipa::path(get, path = "/api/v1/leads/{id}", operation_id = "show_lead", tag = "leads",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = LeadDetail)))]
pub async fn lead(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
) -> Result<Response, Error> {
    let v = state.app.leads().view(&ctx.principal, id).await?;
    Ok(ok(LeadDetail {
        lead: Lead::from(&v.lead),
        score: Score::from(&v.score),
        tasks: v.tasks.iter().map(Task::from).collect(),
        contacts: v
            .contacts
            .iter()
            .map(|c| Contact {
                participant_id: c.participant_id.0,
                name: c.name.clone(),
                email: c.email.clone(),
                job_title: c.job_title.clone(),
                language: c.language.into(),
                events: c.events,
                shares: c.shares,
            })
            .collect(),
        survey_answers: v
            .responses
            .iter()
            .map(crate::surveys::wire::SurveyResponse::from)
            .collect(),
    }))
}

/// The version an `If-Match` header names (`"7"`, `W/"7"` or `7`); `*` or none: any.
/// Anything else is named as a wrong header.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, Error> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text.is_empty() || text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| AppError::invalid("If-Match", "invalid_number").into())
}

/// The `If-Match` version, once the caller may change the lead: who may not is told
/// that first (401, 404), before anything about their header.
async fn base_version(
    state: &AppState,
    ctx: &Ctx,
    id: LeadId,
    headers: &HeaderMap,
) -> Result<Option<i64>, Error> {
    match if_match(headers) {
        Ok(base) => Ok(base),
        Err(e) => {
            state.app.leads().lead(&ctx.principal, id).await?;
            Err(e)
        }
    }
}

/// A lead answered with its version as the entity tag.
fn with_etag(lead: &roadshow_domain::leads::Lead) -> Response {
    let mut response = ok(Lead::from(lead));
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", lead.version)) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

/// A change refused because the lead changed since the caller's version: 409, with the
/// current version as the entity tag and in the detail, and the fields that changed.
async fn stale(state: &AppState, ctx: &Ctx, id: LeadId, base: i64) -> Result<Response, Error> {
    let current = state.app.leads().lead(&ctx.principal, id).await?;
    let changed = state
        .app
        .leads()
        .changes_since(&ctx.principal, id, base)
        .await?;
    let detail = roadshow_i18n::t_with(
        ctx.lang,
        "leads-stale-detail",
        &[
            (
                "version",
                roadshow_i18n::ArgValue::Number(current.version as f64),
            ),
            ("fields", roadshow_i18n::ArgValue::Text(changed.join(", "))),
        ],
    );
    let mut response = crate::error::problem(StatusCode::CONFLICT, "stale", ctx.lang, Some(detail));
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", current.version)) {
        response.headers_mut().insert(header::ETAG, v);
    }
    Ok(response)
}

/// Replace a lead's project fields and owner; each change is recorded. With `If-Match`
/// (the version read), a lead changed meanwhile is not overwritten: 409.
#[utoipa::path(put, path = "/api/v1/leads/{id}", operation_id = "update_lead", tag = "leads",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1),
        ("If-Match" = Option<String>, Header, description = "The lead's `version` (its ETag) the change is based on")),
    request_body = ProjectInput,
    responses((status = 200, body = Lead),
        (status = 409, description = "Changed by someone else since that version (`stale`): the detail names what changed, the ETag the version now", body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Result<Response, Error> {
    let base = base_version(&state, &ctx, id, &headers).await?;
    match state
        .app
        .leads()
        .update(&ctx.principal, id, &input.into(), base)
        .await
    {
        Ok(lead) => Ok(with_etag(&lead)),
        Err(AppError::Conflict("stale")) => stale(&state, &ctx, id, base.unwrap_or(0)).await,
        Err(e) => Err(e.into()),
    }
}

/// Move a lead to another stage; `If-Match` as for the update.
#[utoipa::path(post, path = "/api/v1/leads/{id}/stage", operation_id = "move_lead", tag = "leads",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1),
        ("If-Match" = Option<String>, Header, description = "The lead's `version` (its ETag) the change is based on")),
    request_body = StageInput,
    responses((status = 200, body = Lead),
        (status = 409, description = "Changed by someone else since that version (`stale`)", body = Problem, content_type = "application/problem+json")))]
pub async fn stage(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<StageInput>,
) -> Result<Response, Error> {
    let base = base_version(&state, &ctx, id, &headers).await?;
    match state
        .app
        .leads()
        .move_to(&ctx.principal, id, &input.into(), base)
        .await
    {
        Ok(lead) => Ok(with_etag(&lead)),
        Err(AppError::Conflict("stale")) => stale(&state, &ctx, id, base.unwrap_or(0)).await,
        Err(e) => Err(e.into()),
    }
}

/// Take a lead from the shared pool.
#[utoipa::path(post, path = "/api/v1/leads/{id}/take", operation_id = "take_lead", tag = "leads",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Lead),
        (status = 409, description = "Someone took it first (`taken`)", body = Problem, content_type = "application/problem+json")))]
pub async fn take(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
) -> Result<Response, Error> {
    let lead = state.app.leads().take(&ctx.principal, id).await?;
    Ok(ok(Lead::from(&lead)))
}

/// A lead's score and timeline of signals and changes, newest first.
#[utoipa::path(get, path = "/api/v1/leads/{id}/timeline", operation_id = "lead_timeline", tag = "leads",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Timeline)))]
pub async fn timeline(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
) -> Result<Response, Error> {
    let v = state.app.leads().view(&ctx.principal, id).await?;
    Ok(ok(Timeline {
        score: Score::from(&v.score),
        timeline: v.timeline.iter().map(TimelineItem::from).collect(),
    }))
}

/// Add a task to a lead.
#[utoipa::path(post, path = "/api/v1/leads/{id}/tasks", operation_id = "add_task", tag = "leads",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = TaskInput,
    responses((status = 201, description = "Added", body = Task)))]
pub async fn add_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<LeadId>,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<Response, Error> {
    let task = state
        .app
        .leads()
        .add_task(&ctx.principal, id, &input.into())
        .await?;
    Ok(created(Task::from(&task), None))
}

/// The caller's open tasks, a page at a time earliest due first (so overdue ones lead;
/// 100 by default, follow `next_after`).
#[utoipa::path(get, path = "/api/v1/tasks", operation_id = "my_tasks", tag = "leads",
    security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = Tasks),
        (status = 422, description = "A page size or cursor that cannot be used, named", body = Problem, content_type = "application/problem+json")))]
pub async fn my_tasks(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let listed = state
        .app
        .leads()
        .my_tasks(&ctx.principal, page.read()?)
        .await?;
    Ok(ok(Tasks {
        tasks: listed.items.iter().map(Task::from).collect(),
        next_after: listed.next,
    }))
}

/// Mark a task done, or open again.
#[utoipa::path(put, path = "/api/v1/tasks/{id}", operation_id = "set_task", tag = "leads",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = TaskDone,
    responses((status = 200, body = Task)))]
pub async fn set_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<TaskId>,
    ApiJson(input): ApiJson<TaskDone>,
) -> Result<Response, Error> {
    let task = state
        .app
        .leads()
        .set_task_done(&ctx.principal, id, input.done)
        .await?;
    Ok(ok(Task::from(&task)))
}

/// The agency's assignment rules.
#[utoipa::path(get, path = "/api/v1/leads/rules", operation_id = "lead_rules", tag = "leads",
    security(("bearer" = [])), responses((status = 200, body = Rules)))]
pub async fn rules(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let rules = state.app.leads().rules(&ctx.principal).await?;
    Ok(ok(Rules::new(&rules)))
}

/// Replace the assignment rules (organisers).
#[utoipa::path(put, path = "/api/v1/leads/rules", operation_id = "set_lead_rules", tag = "leads",
    security(("bearer" = [])), request_body = RulesInput,
    responses((status = 200, body = Rules)))]
pub async fn set_rules(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<RulesInput>,
) -> Result<Response, Error> {
    let rules = state
        .app
        .leads()
        .set_rules(&ctx.principal, &input.into_domain())
        .await?;
    Ok(ok(Rules::new(&rules)))
}

/// What the company's participants did, newest first.
#[utoipa::path(get, path = "/api/v1/companies/{id}/signals", operation_id = "company_signals", tag = "leads",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Signals)))]
pub async fn signals(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<CompanyId>,
) -> Result<Response, Error> {
    let signals = state
        .app
        .signals()
        .company_signals(&ctx.principal, id)
        .await?;
    Ok(ok(Signals {
        signals: signals.iter().map(CompanySignal::from).collect(),
    }))
}

/// Companies that may be one, and the merges made.
#[utoipa::path(get, path = "/api/v1/companies/duplicates", operation_id = "company_duplicates", tag = "leads",
    security(("bearer" = [])), responses((status = 200, body = CompanyMatches)))]
pub async fn duplicates(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let m = state.app.leads().company_matches(&ctx.principal).await?;
    Ok(ok(CompanyMatches {
        duplicates: m.duplicates.iter().map(DuplicatePair::from).collect(),
        merges: m.merges.iter().map(Merge::from).collect(),
    }))
}

/// Merge one company into another: its registrations, signals and lead move over.
#[utoipa::path(post, path = "/api/v1/companies/merges", operation_id = "merge_companies", tag = "leads",
    security(("bearer" = [])), request_body = MergeInput,
    responses((status = 201, description = "Merged", body = Merge),
        (status = 409, description = "One of them is merged already (`already_merged`)", body = Problem, content_type = "application/problem+json")))]
pub async fn merge(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<MergeInput>,
) -> Result<Response, Error> {
    let merge = state
        .app
        .leads()
        .merge(&ctx.principal, input.kept, input.merged)
        .await?;
    Ok(created(Merge::from(&merge), None))
}

/// Undo a merge: what it moved goes back.
#[utoipa::path(post, path = "/api/v1/companies/merges/{id}/undo", operation_id = "undo_merge", tag = "leads",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Merge),
        (status = 409, description = "Already undone", body = Problem, content_type = "application/problem+json")))]
pub async fn undo(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<i64>,
) -> Result<Response, Error> {
    let merge = state.app.leads().undo_merge(&ctx.principal, id).await?;
    Ok(ok(Merge::from(&merge)))
}
