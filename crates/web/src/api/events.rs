//! Events in the API: the public list and detail, and the organiser's create and update.

use super::{Api, ApiJson, json};
use crate::AppState;
use crate::error::ApiError;
use crate::views::event_json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roadshow_domain::countries::COUNTRIES;
use roadshow_domain::events::EventInput;
use roadshow_domain::reference::{COMPANY_SIZES, INDUSTRIES};
use serde_json::json;

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.app.store.ping().await {
        Ok(()) => json(
            StatusCode::OK,
            json!({"status": "ok", "database": state.app.store.backend()}),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            json(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"status": "unavailable", "database": state.app.store.backend()}),
            )
        }
    }
}

pub async fn openapi() -> Response {
    json(StatusCode::OK, crate::openapi::document())
}

/// The documented lists a registration chooses from.
pub async fn reference() -> Response {
    json(
        StatusCode::OK,
        json!({
            "countries": COUNTRIES.iter().map(|c| json!({"code": c.code, "en": c.en, "de": c.de, "zh": c.zh, "fr": c.fr})).collect::<Vec<_>>(),
            "industries": INDUSTRIES,
            "company_sizes": COMPANY_SIZES,
            "languages": ["de", "en", "zh", "fr"],
        }),
    )
}

pub async fn list(State(state): State<AppState>, api: Api) -> Result<Response, ApiError> {
    let events = state
        .app
        .events()
        .public_events()
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, json!({ "events": events })))
}

pub async fn show(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let page = state
        .app
        .events()
        .event_page(&api.principal, &slug)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, event_json(&page)))
}

pub async fn create(
    State(state): State<AppState>,
    api: Api,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Response, ApiError> {
    let event = state
        .app
        .events()
        .create_event(&api.principal, &input)
        .await
        .map_err(|e| api.err(e))?;
    let mut response = json(StatusCode::CREATED, &event);
    if let Ok(v) = format!("/api/v1/events/{}", event.slug).parse() {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, v);
    }
    Ok(response.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Response, ApiError> {
    let event = state
        .app
        .events()
        .update_event(&api.principal, &slug, &input)
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, &event))
}
