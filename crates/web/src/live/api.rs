//! The live exchange in the API: the event's live stream and the session on now.

use crate::AppState;
use crate::api::{ApiJson, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roadshow_domain::ids::*;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Default, Deserialize)]
pub struct StreamQuery {
    pub after: Option<i64>,
}

pub async fn live(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let (page, staff) = state
        .app
        .live()
        .live_stream_access(&ctx.principal, &slug)
        .await?;
    Ok(crate::live::stream::stream(
        state.app.clone(),
        page,
        crate::live::stream::resume_point(&headers, q.after),
        staff
            .then(|| crate::live::stream::StaffCheck::of(&ctx, &headers))
            .flatten(),
        &ctx.client,
    )
    .await?)
}

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
