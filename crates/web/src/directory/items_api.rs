//! The agency's parks, policies and success stories in the API (organisers).

use crate::AppState;
use crate::api::{ApiJson, Id, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::directory::{ParkInput, PolicyInput, StoryInput};
use roadshow_domain::ids::*;
use serde_json::json;

pub async fn parks(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let list = state.app.directory().agency_parks(&ctx.principal).await?;
    Ok(json(StatusCode::OK, json!({ "parks": list })))
}

pub async fn create_park(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<ParkInput>,
) -> Result<Response, Error> {
    let park = state
        .app
        .directory()
        .create_park(&ctx.principal, &input)
        .await?;
    Ok(json(StatusCode::CREATED, park))
}

pub async fn update_park(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<ParkInput>,
) -> Result<Response, Error> {
    let park = state
        .app
        .directory()
        .update_park(&ctx.principal, ParkId(id), &input)
        .await?;
    Ok(json(StatusCode::OK, park))
}

pub async fn policies(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let list = state
        .app
        .directory()
        .agency_policies(&ctx.principal)
        .await?;
    Ok(json(StatusCode::OK, json!({ "policies": list })))
}

pub async fn create_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<Response, Error> {
    let policy = state
        .app
        .directory()
        .create_policy(&ctx.principal, &input)
        .await?;
    Ok(json(StatusCode::CREATED, policy))
}

pub async fn update_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<Response, Error> {
    let policy = state
        .app
        .directory()
        .update_policy(&ctx.principal, PolicyId(id), &input)
        .await?;
    Ok(json(StatusCode::OK, policy))
}

pub async fn stories(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let list = state.app.directory().agency_stories(&ctx.principal).await?;
    Ok(json(StatusCode::OK, json!({ "stories": list })))
}

pub async fn create_story(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<StoryInput>,
) -> Result<Response, Error> {
    let story = state
        .app
        .directory()
        .create_story(&ctx.principal, &input)
        .await?;
    Ok(json(StatusCode::CREATED, story))
}

pub async fn update_story(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<StoryInput>,
) -> Result<Response, Error> {
    let story = state
        .app
        .directory()
        .update_story(&ctx.principal, StoryId(id), &input)
        .await?;
    Ok(json(StatusCode::OK, story))
}
