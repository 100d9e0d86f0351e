//! Events in the API: the public list and detail; the organiser's events, sessions and
//! speakers.

use super::wire::{
    Event, EventDetail, EventInput, Events, Session, SessionInput, Speaker, SpeakerInput,
};
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, Slug, created, no_content, ok};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::response::Response;
use roadshow_domain::ids::{SessionId, SpeakerId};

/// Published events, soonest first.
#[utoipa::path(get, path = "/api/v1/events", operation_id = "list_events", tag = "events",
    responses((status = 200, body = Events)))]
pub async fn list(State(state): State<AppState>, _ctx: Ctx) -> Result<Response, Error> {
    let events = state.app.events().public_events().await?;
    Ok(ok(Events {
        events: events.iter().map(Event::from).collect(),
    }))
}

/// An event with its agenda, departments, parks, policies and success stories (drafts:
/// the agency's staff only).
#[utoipa::path(get, path = "/api/v1/events/{slug}", operation_id = "show_event", tag = "events",
    security((), ("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = EventDetail)))]
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let page = state.app.events().event_page(&ctx.principal, &slug).await?;
    Ok(ok(EventDetail::from(page.as_ref())))
}

/// Create an event (organiser).
#[utoipa::path(post, path = "/api/v1/events", operation_id = "create_event", tag = "events",
    security(("bearer" = [])), request_body = EventInput,
    responses((status = 201, description = "Created", body = Event),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Response, Error> {
    let event = state
        .app
        .events()
        .create_event(&ctx.principal, &input.into())
        .await?;
    let location = format!("/api/v1/events/{}", event.slug);
    Ok(created(Event::from(&event), Some(location)))
}

/// Change an event (organiser of its agency).
#[utoipa::path(put, path = "/api/v1/events/{slug}", operation_id = "update_event", tag = "events",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = EventInput,
    responses((status = 200, body = Event),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Response, Error> {
    let event = state
        .app
        .events()
        .update_event(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(ok(Event::from(&event)))
}

/// Add a session to the agenda (organiser): within the event's time.
#[utoipa::path(post, path = "/api/v1/events/{slug}/sessions", operation_id = "create_session", tag = "events",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = SessionInput,
    responses((status = 201, description = "Added", body = Session)))]
pub async fn create_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Response, Error> {
    let session = state
        .app
        .events()
        .create_session(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(created(Session::from(&session), None))
}

/// Change a session (organiser).
#[utoipa::path(put, path = "/api/v1/sessions/{id}", operation_id = "update_session", tag = "events",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = SessionInput,
    responses((status = 200, body = Session)))]
pub async fn update_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<SessionId>,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Response, Error> {
    let session = state
        .app
        .events()
        .update_session(&ctx.principal, id, &input.into())
        .await?;
    Ok(ok(Session::from(&session)))
}

/// Remove a session with its speakers and materials (organiser).
#[utoipa::path(delete, path = "/api/v1/sessions/{id}", operation_id = "delete_session", tag = "events",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 204, description = "Removed")))]
pub async fn delete_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<SessionId>,
) -> Result<Response, Error> {
    state
        .app
        .events()
        .delete_session(&ctx.principal, id)
        .await?;
    Ok(no_content())
}

/// Add a speaker to a session (organiser).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/speakers", operation_id = "add_speaker", tag = "events",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1, description = "The session")), request_body = SpeakerInput,
    responses((status = 201, description = "Added", body = Speaker)))]
pub async fn add_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<SessionId>,
    ApiJson(input): ApiJson<SpeakerInput>,
) -> Result<Response, Error> {
    let speaker = state
        .app
        .events()
        .add_speaker(&ctx.principal, id, &input.into())
        .await?;
    Ok(created(Speaker::from(&speaker), None))
}

/// Remove a speaker (organiser).
#[utoipa::path(delete, path = "/api/v1/speakers/{id}", operation_id = "delete_speaker", tag = "events",
    security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)),
    responses((status = 204, description = "Removed")))]
pub async fn delete_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<SpeakerId>,
) -> Result<Response, Error> {
    state
        .app
        .events()
        .delete_speaker(&ctx.principal, id)
        .await?;
    Ok(no_content())
}
