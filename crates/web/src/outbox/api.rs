//! The outbox in the API (organisers).

use crate::AppState;
use crate::api::json;
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

pub async fn outbox(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let emails = state.app.outbox().outbox(&ctx.principal).await?;
    Ok(json(
        StatusCode::OK,
        json!({ "smtp": state.app.outbox().smtp_configured(), "emails": emails }),
    ))
}
