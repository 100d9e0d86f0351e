//! The scheduler in the API: an instance in, the schedule with its bound out.

use super::wire::{Schedule, ScheduleInstance, ScheduleQuery};
use crate::AppState;
use crate::api::{ApiJson, ok};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{FromRequest, Query, State};
use axum::response::Response;

/// Schedule 1:1 meetings (organiser): the grid of greatest total weight found within the
/// time limit, the upper bound proved, and why each request left out got nothing. Every
/// problem of the instance is a 422 naming its record (`requests[3].host`). Bodies up to
/// 8 MB.
#[utoipa::path(post, path = "/api/v1/meetings/schedule", operation_id = "schedule", tag = "meetings",
    security(("bearer" = [])), params(ScheduleQuery), request_body = ScheduleInstance,
    responses((status = 200, body = Schedule)))]
pub async fn schedule(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ScheduleQuery>,
    request: axum::extract::Request,
) -> Result<Response, Error> {
    // An instance may be 8 MB: who may not schedule learns it before it is read.
    state.app.meetings().may_schedule(&ctx.principal)?;
    let ApiJson(instance) = match ApiJson::<ScheduleInstance>::from_request(request, &state).await {
        Ok(body) => body,
        Err(rejection) => return Ok(rejection),
    };
    let scheduled = state
        .app
        .meetings()
        .schedule(&ctx.principal, instance.into(), query.time_limit_ms)
        .await?;
    Ok(ok(Schedule::from(&scheduled)))
}
