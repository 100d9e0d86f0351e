//! The scheduler in the API: an instance in, the schedule with its bound out.

use crate::AppState;
use crate::api::{ApiJson, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::meetings::Instance;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ScheduleQuery {
    pub time_limit_ms: Option<u64>,
}

pub async fn schedule(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ScheduleQuery>,
    ApiJson(instance): ApiJson<Instance>,
) -> Result<Response, Error> {
    let scheduled = state
        .app
        .meetings()
        .schedule(&ctx.principal, instance, query.time_limit_ms)
        .await?;
    Ok(json(StatusCode::OK, scheduled))
}
