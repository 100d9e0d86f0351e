//! What is not a capability: the health check, the OpenAPI document and the reference
//! lists a registration chooses from.

use crate::AppState;
use crate::api::json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_domain::countries::COUNTRIES;
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

pub fn routes() -> crate::Routes {
    crate::Routes::default()
        .get("/healthz", healthz)
        .public("/api/openapi.json", openapi)
        .public("/api/v1/reference", reference)
}
