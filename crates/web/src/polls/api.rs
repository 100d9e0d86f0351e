//! Polls in the API.

use super::wire::{Poll, PollAction, PollInput, PollVote, PollVoted, Polls};
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, Slug, created, ok};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::response::Response;
use roadshow_domain::ids::PollId;

/// An event's polls: every one for the agency's staff, the open and closed ones for
/// others (counts once the results are shown).
#[utoipa::path(get, path = "/api/v1/events/{slug}/polls", operation_id = "list_polls", tag = "polls",
    security((), ("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = Polls)))]
pub async fn polls(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let (polls, staff) = state.app.polls().polls(&ctx.principal, &slug).await?;
    Ok(ok(Polls {
        polls: polls
            .iter()
            .map(|p| Poll::new(p, staff || p.results_shown))
            .collect(),
    }))
}

/// Prepare a poll (moderator, organiser).
#[utoipa::path(post, path = "/api/v1/events/{slug}/polls", operation_id = "create_poll", tag = "polls",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = PollInput,
    responses((status = 201, description = "Prepared (draft)", body = Poll),
        (status = 409, description = "20 polls in the session already (`too_many_polls`)", body = Problem, content_type = "application/problem+json")))]
pub async fn create_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<PollInput>,
) -> Result<Response, Error> {
    let poll = state
        .app
        .polls()
        .create_poll(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(created(Poll::new(&poll, true), None))
}

/// Open or close a poll, show or hide its results (moderator, organiser).
#[utoipa::path(post, path = "/api/v1/polls/{id}/state", operation_id = "poll_state", tag = "polls",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = PollAction,
    responses((status = 200, body = Poll),
        (status = 409, description = "Not possible in the poll's state (results of a draft)", body = Problem, content_type = "application/problem+json")))]
pub async fn poll_state(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<PollId>,
    ApiJson(input): ApiJson<PollAction>,
) -> Result<Response, Error> {
    let poll = state
        .app
        .polls()
        .poll_action(&ctx.principal, id, input.action.as_deref().unwrap_or(""))
        .await?;
    Ok(ok(Poll::new(&poll, true)))
}

/// Vote in an open poll (participant); voting again replaces the choice.
#[utoipa::path(post, path = "/api/v1/polls/{id}/votes", operation_id = "vote_poll", tag = "polls",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = PollVote,
    responses((status = 200, body = PollVoted)))]
pub async fn vote_poll(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<PollId>,
    ApiJson(input): ApiJson<PollVote>,
) -> Result<Response, Error> {
    let poll = state
        .app
        .polls()
        .vote_poll(&ctx.principal, id, &input.choices)
        .await?;
    Ok(ok(PollVoted {
        poll: Poll::new(&poll, poll.results_shown),
        choices: input.choices,
    }))
}
