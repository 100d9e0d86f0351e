//! The agency's parks, policies and success stories in the API (organisers).

use super::{Api, ApiJson, json};
use crate::AppState;
use crate::error::ApiError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::catalogue::{ParkInput, PolicyInput, StoryInput};
use roadshow_domain::ids::{ParkId, PolicyId, StoryId};
use serde_json::json;

pub async fn parks(State(state): State<AppState>, api: Api) -> Result<Response, ApiError> {
    let list = state
        .app
        .catalogue()
        .agency_parks(&api.principal)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, json!({ "parks": list })))
}

pub async fn create_park(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<ParkInput>,
) -> Result<Response, ApiError> {
    let park = state
        .app
        .catalogue()
        .create_park(&api.principal, &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::CREATED, park))
}

pub async fn update_park(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ParkInput>,
) -> Result<Response, ApiError> {
    let park = state
        .app
        .catalogue()
        .update_park(&api.principal, ParkId(id), &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, park))
}

pub async fn policies(State(state): State<AppState>, api: Api) -> Result<Response, ApiError> {
    let list = state
        .app
        .catalogue()
        .agency_policies(&api.principal)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, json!({ "policies": list })))
}

pub async fn create_policy(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<Response, ApiError> {
    let policy = state
        .app
        .catalogue()
        .create_policy(&api.principal, &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::CREATED, policy))
}

pub async fn update_policy(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PolicyInput>,
) -> Result<Response, ApiError> {
    let policy = state
        .app
        .catalogue()
        .update_policy(&api.principal, PolicyId(id), &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, policy))
}

pub async fn stories(State(state): State<AppState>, api: Api) -> Result<Response, ApiError> {
    let list = state
        .app
        .catalogue()
        .agency_stories(&api.principal)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, json!({ "stories": list })))
}

pub async fn create_story(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<StoryInput>,
) -> Result<Response, ApiError> {
    let story = state
        .app
        .catalogue()
        .create_story(&api.principal, &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::CREATED, story))
}

pub async fn update_story(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<StoryInput>,
) -> Result<Response, ApiError> {
    let story = state
        .app
        .catalogue()
        .update_story(&api.principal, StoryId(id), &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, story))
}
