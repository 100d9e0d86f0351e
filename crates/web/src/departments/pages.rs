//! The organiser's page for departments: a list and a form.

use super::wire;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Choice, Form, FormData, FormState};
use crate::pages::{Id, render, render_status, see_other};
use crate::views::{LText, loc};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::Lang;
use roadshow_domain::departments::{DEPARTMENT_KINDS, DepartmentInput};
use roadshow_domain::ids::*;

// ---------------------------------------------------------------- departments

pub struct DepartmentRow {
    pub id: i64,
    pub slug: String,
    pub kind: String,
    pub name: LText,
}

#[derive(Template)]
#[template(path = "admin/departments.html")]
struct DepartmentsPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<DepartmentRow>,
    form: FormState,
    kinds: Vec<Choice>,
    languages: [Lang; 4],
    editing: Option<i64>,
}

fn kind_choices(ctx: &Ctx) -> Vec<Choice> {
    DEPARTMENT_KINDS
        .iter()
        .map(|k| Choice {
            value: k.to_string(),
            label: ctx.t(&format!("department-kind-{k}")),
        })
        .collect()
}

async fn departments_page<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    form: FormState,
    editing: Option<i64>,
) -> Result<DepartmentsPage<'a>, Error> {
    state.app.departments().may_manage(&ctx.principal)?;
    let list = state.app.departments().departments(&ctx.principal).await?;
    Ok(DepartmentsPage {
        ctx,
        rows: list
            .iter()
            .map(|d| DepartmentRow {
                id: d.id.0,
                slug: d.slug.clone(),
                kind: ctx.t(&format!("department-kind-{}", d.kind)),
                name: loc(ctx, &d.name),
            })
            .collect(),
        form,
        kinds: kind_choices(ctx),
        languages: Lang::ALL,
        editing,
    })
}

fn department_input(data: &FormData) -> Result<DepartmentInput, roadshow_app::AppError> {
    data.decode::<wire::DepartmentInput>()
        .map(DepartmentInput::from)
}

pub async fn departments(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let mut form = FormState::default();
    form.set("kind", "bureau");
    Ok(render(&departments_page(&state, &ctx, form, None).await?))
}

pub async fn create_department(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let created = async {
        let input = department_input(&data)?;
        state
            .app
            .departments()
            .create_department(&ctx.principal, &input)
            .await
    };
    match created.await {
        Ok(_) => Ok(see_other("/admin/departments?saved=1")),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &departments_page(&state, &ctx, form, None).await?,
            ))
        }
    }
}

pub async fn edit_department(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let d = state
        .app
        .departments()
        .department_for_organiser(&ctx.principal, DepartmentId(id))
        .await?;
    let mut form = FormState::default();
    form.set("slug", d.slug.clone());
    form.set("kind", d.kind.clone());
    form.set("website", d.website.clone().unwrap_or_default());
    for lang in Lang::ALL {
        form.set(&format!("name.{lang}"), d.name.exact(lang));
        form.set(&format!("description.{lang}"), d.description.exact(lang));
    }
    Ok(render(
        &departments_page(&state, &ctx, form, Some(id)).await?,
    ))
}

pub async fn update_department(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Form(data): Form,
) -> Result<Response, Error> {
    let updated = async {
        let input = department_input(&data)?;
        state
            .app
            .departments()
            .update_department(&ctx.principal, DepartmentId(id), &input)
            .await
    };
    match updated.await {
        Ok(_) => Ok(see_other("/admin/departments?saved=1")),
        Err(e) => {
            let form = data.refill(&ctx, e)?;
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &departments_page(&state, &ctx, form, Some(id)).await?,
            ))
        }
    }
}
