//! Events in the API: the public list and detail; the organiser's events, sessions and
//! speakers.

use super::views::event_json;
use crate::AppState;
use crate::api::{ApiJson, Id, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roadshow_domain::events::{EventInput, SessionInput, SpeakerInput};
use roadshow_domain::ids::*;
use serde_json::json;

pub async fn list(State(state): State<AppState>, _ctx: Ctx) -> Result<Response, Error> {
    let events = state.app.events().public_events().await?;
    Ok(json(StatusCode::OK, json!({ "events": events })))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let page = state.app.events().event_page(&ctx.principal, &slug).await?;
    Ok(json(StatusCode::OK, event_json(&page)))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Response, Error> {
    let event = state
        .app
        .events()
        .create_event(&ctx.principal, &input)
        .await?;
    let mut response = json(StatusCode::CREATED, &event);
    if let Ok(v) = format!("/api/v1/events/{}", event.slug).parse() {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, v);
    }
    Ok(response.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Response, Error> {
    let event = state
        .app
        .events()
        .update_event(&ctx.principal, &slug, &input)
        .await?;
    Ok(json(StatusCode::OK, &event))
}

pub async fn create_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Response, Error> {
    let session = state
        .app
        .events()
        .create_session(&ctx.principal, &slug, &input)
        .await?;
    Ok(json(StatusCode::CREATED, session))
}

pub async fn update_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Response, Error> {
    let session = state
        .app
        .events()
        .update_session(&ctx.principal, SessionId(id), &input)
        .await?;
    Ok(json(StatusCode::OK, session))
}

pub async fn delete_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    state
        .app
        .events()
        .delete_session(&ctx.principal, SessionId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn add_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<SpeakerInput>,
) -> Result<Response, Error> {
    let speaker = state
        .app
        .events()
        .add_speaker(&ctx.principal, SessionId(id), &input)
        .await?;
    Ok(json(StatusCode::CREATED, speaker))
}

pub async fn delete_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    state
        .app
        .events()
        .delete_speaker(&ctx.principal, SpeakerId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
