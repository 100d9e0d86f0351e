//! Who the API caller is.

use crate::AppState;
use crate::api::json;
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roadshow_app::{AppError, Principal};
use serde_json::json;

/// Who the token belongs to: a participant gets their registration, staff their account.
pub async fn me(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    match &ctx.principal {
        Principal::Anonymous => Err(Error(AppError::Unauthenticated)),
        Principal::Participant(p) => {
            let registration = state.app.registrations().registration(&ctx.principal, p.registration_id).await?;
            Ok(json(StatusCode::OK, json!({"kind": "participant", "registration": registration})))
        }
        Principal::Staff(s) => Ok(json(
            StatusCode::OK,
            json!({"kind": "staff", "email": s.email, "display_name": s.display_name, "role": s.role, "department_id": s.department_id}),
        )
        .into_response()),
    }
}
