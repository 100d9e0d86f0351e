//! Polls in the API.

use super::json::poll_json;
use crate::AppState;
use crate::api::{ApiJson, Id, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::ids::*;
use roadshow_domain::polls::PollInput;
use serde::Deserialize;
use serde_json::{Value, json};

pub async fn polls(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let (polls, staff) = state.app.polls().polls(&ctx.principal, &slug).await?;
    let list: Vec<Value> = polls
        .iter()
        .map(|p| poll_json(p, staff || p.results_shown))
        .collect();
    Ok(json(StatusCode::OK, json!({ "polls": list })))
}

pub async fn create_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<PollInput>,
) -> Result<Response, Error> {
    let poll = state
        .app
        .polls()
        .create_poll(&ctx.principal, &slug, &input)
        .await?;
    Ok(json(StatusCode::CREATED, poll_json(&poll, true)))
}

#[derive(Debug, Default, Deserialize)]
pub struct PollAction {
    pub action: Option<String>,
}

pub async fn poll_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<PollAction>,
) -> Result<Response, Error> {
    let poll = state
        .app
        .polls()
        .poll_action(
            &ctx.principal,
            PollId(id),
            input.action.as_deref().unwrap_or(""),
        )
        .await?;
    Ok(json(StatusCode::OK, poll_json(&poll, true)))
}

#[derive(Debug, Default, Deserialize)]
pub struct PollVote {
    #[serde(default)]
    pub choices: Vec<usize>,
}

pub async fn vote_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<PollVote>,
) -> Result<Response, Error> {
    let poll = state
        .app
        .polls()
        .vote_poll(&ctx.principal, PollId(id), &input.choices)
        .await?;
    Ok(json(
        StatusCode::OK,
        json!({ "poll": poll_json(&poll, poll.results_shown), "choices": input.choices }),
    ))
}
