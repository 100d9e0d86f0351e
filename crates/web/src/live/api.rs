//! The live exchange in the API: the session on now. (The event's live stream is
//! [`super::stream::follow`].)

use super::wire::{CurrentSession, LiveSession};
use crate::AppState;
use crate::api::{ApiJson, Slug, ok};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::response::Response;
use roadshow_domain::ids::SessionId;

/// Mark the session on now (moderator, organiser); everyone following hears of it.
#[utoipa::path(put, path = "/api/v1/events/{slug}/live/session", operation_id = "set_current_session", tag = "live",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = CurrentSession,
    responses((status = 200, body = LiveSession)))]
pub async fn set_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<CurrentSession>,
) -> Result<Response, Error> {
    let live = state
        .app
        .live()
        .set_current_session(&ctx.principal, &slug, input.session.map(SessionId))
        .await?;
    Ok(ok(LiveSession {
        session: live.current_session.map(|s| s.0),
        seq: live.seq,
    }))
}
