//! Departments in the API.

use super::wire::{Department, DepartmentInput, Departments};
use crate::AppState;
use crate::api::{ApiJson, Id, created, ok};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::response::Response;
use roadshow_domain::ids::DepartmentId;

/// The agency's departments (staff).
#[utoipa::path(get, path = "/api/v1/departments", operation_id = "list_departments", tag = "departments",
    security(("bearer" = [])),
    responses((status = 200, body = Departments)))]
pub async fn departments(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let list = state.app.departments().departments(&ctx.principal).await?;
    Ok(ok(Departments {
        departments: list.iter().map(Department::from).collect(),
    }))
}

/// Add a department (organiser).
#[utoipa::path(post, path = "/api/v1/departments", operation_id = "create_department", tag = "departments",
    security(("bearer" = [])), request_body = DepartmentInput,
    responses((status = 201, body = Department), (status = 409, description = "The slug is taken", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn create_department(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> Result<Response, Error> {
    let dept = state
        .app
        .departments()
        .create_department(&ctx.principal, &input.into())
        .await?;
    Ok(created(Department::from(&dept), None))
}

/// Change a department (organiser of its agency).
#[utoipa::path(put, path = "/api/v1/departments/{id}", operation_id = "update_department", tag = "departments",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = DepartmentInput,
    responses((status = 200, body = Department), (status = 409, description = "The slug is taken", body = crate::api::Problem, content_type = "application/problem+json")))]
pub async fn update_department(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<DepartmentId>,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> Result<Response, Error> {
    let dept = state
        .app
        .departments()
        .update_department(&ctx.principal, id, &input.into())
        .await?;
    Ok(ok(Department::from(&dept)))
}
