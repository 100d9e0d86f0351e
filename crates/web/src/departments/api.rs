//! Departments in the API.

use crate::AppState;
use crate::api::{ApiJson, Id, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::departments::DepartmentInput;
use roadshow_domain::ids::*;
use serde_json::json;

pub async fn departments(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let list = state.app.departments().departments(&ctx.principal).await?;
    Ok(json(StatusCode::OK, json!({ "departments": list })))
}

pub async fn create_department(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> Result<Response, Error> {
    let dept = state
        .app
        .departments()
        .create_department(&ctx.principal, &input)
        .await?;
    Ok(json(StatusCode::CREATED, dept))
}

pub async fn update_department(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> Result<Response, Error> {
    let dept = state
        .app
        .departments()
        .update_department(&ctx.principal, DepartmentId(id), &input)
        .await?;
    Ok(json(StatusCode::OK, dept))
}
