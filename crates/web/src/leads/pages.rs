//! The pipeline's list pages: the board by stage, the filtered list (with adding a lead
//! by hand), "my tasks", the assignment rules and the CSV export.

use super::wire;
use super::{FilterQuery, PAGE_SIZE};
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Choice, Form, FormData};
use crate::pages::{encode_component, render, render_status, see_other};
use crate::views::{csv_response, field_errors, industry_label};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_domain::accounts::Account;
use roadshow_domain::leads::*;
use roadshow_domain::reference::INDUSTRIES;
use roadshow_domain::surveys::DISTRICTS;

/// A lead as a card or a row.
pub struct LeadCard {
    pub id: i64,
    /// The version a move from the board is based on.
    pub version: i64,
    pub company: String,
    pub country: String,
    pub sector: String,
    pub stage: String,
    pub stage_label: String,
    pub owner: String,
    pub score: i64,
    pub next_step: String,
    pub due: String,
    pub overdue: bool,
    pub open_tasks: i64,
    pub sample: bool,
}

pub fn card(ctx: &Ctx, l: &Lead) -> LeadCard {
    let today = roadshow_app::today_in_beijing();
    LeadCard {
        id: l.id.0,
        version: l.version,
        company: l.company.name.clone(),
        country: l.company.country.clone(),
        sector: l
            .project
            .sector
            .as_deref()
            .map(|s| industry_label(ctx, s))
            .unwrap_or_default(),
        stage: l.stage.code().to_string(),
        stage_label: ctx.t(&format!("lead-stage-{}", l.stage.code())),
        owner: l.owner_name.clone().unwrap_or_default(),
        score: l.score,
        next_step: l.project.next_step.clone().unwrap_or_default(),
        due: l
            .project
            .next_step_due
            .map(|d| d.to_string())
            .unwrap_or_default(),
        overdue: l.overdue(today),
        open_tasks: l.open_tasks,
        sample: l.company.is_sample,
    }
}

/// The stages as choices, in pipeline order.
pub fn stage_choices(ctx: &Ctx) -> Vec<Choice> {
    Stage::ALL
        .iter()
        .map(|s| Choice {
            value: s.code().to_string(),
            label: ctx.t(&format!("lead-stage-{}", s.code())),
        })
        .collect()
}

pub struct Column {
    pub stage: String,
    pub label: String,
    pub total: i64,
    pub cards: Vec<LeadCard>,
}

#[derive(Template)]
#[template(path = "admin/leads.html")]
struct BoardPage<'a> {
    ctx: &'a Ctx,
    owner: String,
    revision: i64,
    columns: Vec<Column>,
    stages: Vec<Choice>,
}

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
    Ok(render(&BoardPage {
        owner: q.owner.clone().unwrap_or_else(|| "all".into()),
        revision: board.revision,
        columns: board
            .columns
            .iter()
            .map(|c| Column {
                stage: c.stage.code().to_string(),
                label: ctx.t(&format!("lead-stage-{}", c.stage.code())),
                total: c.total,
                cards: c.leads.iter().map(|l| card(&ctx, l)).collect(),
            })
            .collect(),
        stages: stage_choices(&ctx),
        ctx: &ctx,
    }))
}

#[derive(Template)]
#[template(path = "admin/leads_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    q: FilterQuery,
    rows: Vec<LeadCard>,
    total: i64,
    page: i64,
    pages: i64,
    query: String,
    stages: Vec<Choice>,
    officers: Vec<Choice>,
    sectors: Vec<Choice>,
    districts: Vec<Choice>,
    errors: Vec<(String, String)>,
    new_company: FormData,
}

fn sector_choices(ctx: &Ctx) -> Vec<Choice> {
    INDUSTRIES
        .iter()
        .map(|c| Choice {
            value: c.to_string(),
            label: industry_label(ctx, c),
        })
        .collect()
}

pub fn district_choices(ctx: &Ctx) -> Vec<Choice> {
    DISTRICTS
        .iter()
        .map(|c| Choice {
            value: c.to_string(),
            label: ctx.t(&format!("district-{c}")),
        })
        .collect()
}

pub fn officer_choices(officers: &[Account]) -> Vec<Choice> {
    officers
        .iter()
        .map(|a| Choice {
            value: a.id.0.to_string(),
            label: a.display_name.clone(),
        })
        .collect()
}

/// The query string of the list's filters, without the page (for links).
fn query_string(q: &FilterQuery) -> String {
    let pairs = [
        ("stage", &q.stage),
        ("owner", &q.owner),
        ("country", &q.country),
        ("sector", &q.sector),
        ("district", &q.district),
        ("min_score", &q.min_score),
        ("overdue", &q.overdue),
        ("company", &q.company),
    ];
    pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", encode_component(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    q: FilterQuery,
    errors: Vec<(String, String)>,
    new_company: FormData,
) -> Result<Response, Error> {
    let filter = q.filter(&ctx.principal)?;
    let (leads, total) = state.app.leads().list(&ctx.principal, &filter).await?;
    let officers = state.app.leads().officers(&ctx.principal).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &ListPage {
            rows: leads.iter().map(|l| card(ctx, l)).collect(),
            total,
            page: filter.offset / PAGE_SIZE + 1,
            pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
            query: query_string(&q),
            q,
            stages: stage_choices(ctx),
            officers: officer_choices(&officers),
            sectors: sector_choices(ctx),
            districts: district_choices(ctx),
            errors,
            new_company,
            ctx,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<FilterQuery>,
) -> Result<Response, Error> {
    list_page(&state, &ctx, q, Vec::new(), FormData::default()).await
}

/// Adds a company as a lead by hand, then opens it.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let created = async {
        let input = NewLeadInput::from(data.decode::<wire::NewLeadInput>()?);
        state.app.leads().create(&ctx.principal, &input).await
    };
    match created.await {
        Ok(lead) => Ok(see_other(&format!("/admin/leads/{}", lead.id.0))),
        Err(AppError::Invalid(fields)) => {
            let errors = field_errors(&ctx, &fields);
            list_page(&state, &ctx, FilterQuery::default(), errors, data).await
        }
        Err(e) => Err(Error(e)),
    }
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

pub struct TaskRow {
    pub id: i64,
    pub lead_id: i64,
    pub company: String,
    pub title: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "admin/tasks.html")]
struct TasksPage<'a> {
    ctx: &'a Ctx,
    tasks: Vec<TaskRow>,
    pager: crate::paging::Pager,
}

pub async fn tasks(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(page): Query<crate::paging::PageQuery>,
) -> Result<Response, Error> {
    let today = roadshow_app::today_in_beijing();
    let request = page.read()?;
    // Earliest due first, so the overdue ones lead.
    let listed = state.app.leads().my_tasks(&ctx.principal, request).await?;
    Ok(render(&TasksPage {
        pager: crate::paging::Pager::new("/admin/tasks", "", "", request, listed.next),
        tasks: listed
            .items
            .iter()
            .map(|t| TaskRow {
                id: t.id.0,
                lead_id: t.lead_id.0,
                company: t.company_name.clone(),
                title: t.title.clone(),
                due: t.due_on.to_string(),
                overdue: t.overdue(today),
            })
            .collect(),
        ctx: &ctx,
    }))
}

pub struct RuleRow {
    pub field: String,
    pub value: String,
    pub owner: String,
}

#[derive(Template)]
#[template(path = "admin/lead_rules.html")]
struct RulesPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<RuleRow>,
    officers: Vec<Choice>,
    may_edit: bool,
    errors: Vec<(String, String)>,
}

/// Rule rows: the saved ones and three empty ones to add more.
fn rule_rows(rules: &[AssignmentRule]) -> Vec<RuleRow> {
    rules
        .iter()
        .map(|r| RuleRow {
            field: r.field.code().into(),
            value: r.value.clone(),
            owner: r.owner_id.0.to_string(),
        })
        .chain((0..3).map(|_| RuleRow {
            field: String::new(),
            value: String::new(),
            owner: String::new(),
        }))
        .collect()
}

pub async fn rules(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let rules = state.app.leads().rules(&ctx.principal).await?;
    let officers = state.app.leads().officers(&ctx.principal).await?;
    let may_edit = ctx.is_organiser();
    Ok(render(&RulesPage {
        rows: rule_rows(&rules),
        officers: officer_choices(&officers),
        may_edit,
        errors: Vec::new(),
        ctx: &ctx,
    }))
}

pub async fn save_rules(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let decoded = data.decode::<wire::RulesInput>();
    let mut input: Vec<RuleInput> = match decoded {
        Ok(rules) => rules.into_domain(),
        Err(e) => return Err(Error(e)),
    };
    // The page offers empty rows to fill in; one left empty is no rule.
    input.retain(|r| r.field.is_some() || r.value.is_some() || r.owner_id.is_some());
    match state.app.leads().set_rules(&ctx.principal, &input).await {
        Ok(_) => Ok(see_other("/admin/leads/rules")),
        Err(AppError::Invalid(errors)) => {
            let officers = state.app.leads().officers(&ctx.principal).await?;
            let rows = input
                .iter()
                .map(|r| RuleRow {
                    field: r.field.clone().unwrap_or_default(),
                    value: r.value.clone().unwrap_or_default(),
                    owner: r.owner_id.map(|o| o.to_string()).unwrap_or_default(),
                })
                .collect();
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RulesPage {
                    rows,
                    officers: officer_choices(&officers),
                    may_edit: true,
                    errors: field_errors(&ctx, &errors),
                    ctx: &ctx,
                },
            ))
        }
        Err(e) => Err(Error(e)),
    }
}
