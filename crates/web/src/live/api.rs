//! The live exchange in the API: the event's live stream and the session on now.

use crate::AppState;
use crate::api::{ApiJson, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::ids::*;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Default, Deserialize)]
pub struct CurrentSession {
    pub session: Option<i64>,
}

pub async fn set_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<CurrentSession>,
) -> Result<Response, Error> {
    let live = state
        .app
        .live()
        .set_current_session(&ctx.principal, &slug, input.session.map(SessionId))
        .await?;
    Ok(json(
        StatusCode::OK,
        json!({ "session": live.current_session, "seq": live.seq }),
    ))
}
