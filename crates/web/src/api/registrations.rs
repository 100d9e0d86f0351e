//! Registrations in the API: the public sign-up, the organiser's list and export, and a
//! participant's own registration.

use super::{Api, ApiJson, json};
use crate::AppState;
use crate::error::ApiError;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::{AppError, Principal};
use roadshow_domain::ids::RegistrationId;
use roadshow_domain::registrations::RegistrationFilter;
use roadshow_domain::registrations::RegistrationInput;
use serde::Deserialize;
use serde_json::json;

/// `?country=DE&industry=machinery&q=muster`
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    pub country: Option<String>,
    pub industry: Option<String>,
    pub q: Option<String>,
}

impl FilterQuery {
    pub fn filter(&self) -> RegistrationFilter {
        let clean = |v: &Option<String>| {
            v.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty() && s.len() <= 200)
        };
        RegistrationFilter {
            country: clean(&self.country).map(|c| c.to_ascii_uppercase()),
            industry: clean(&self.industry),
            search: clean(&self.q),
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> Result<Response, ApiError> {
    let receipt = state
        .app
        .registrations()
        .register(&slug, &input, &api.client, api.lang)
        .await
        .map_err(|e| api.err(e))?;
    let mut body = serde_json::to_value(&receipt.registration).unwrap_or_default();
    body["token"] = json!(receipt.token);
    body["participant_url"] = json!(format!("{}/p/{}", state.app.config.base_url, receipt.token));
    let mut response = json(StatusCode::CREATED, body);
    if let Ok(v) = format!("/api/v1/registrations/{}", receipt.registration.id).parse() {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

pub async fn list(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, ApiError> {
    let list = state
        .app
        .registrations()
        .registrations(&api.principal, &slug, &query.filter())
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(
        StatusCode::OK,
        json!({
            "event": list.event.slug,
            "registrations": list.registrations,
            "counts": {
                "total": list.counts.total,
                "shown": list.registrations.len(),
                "by_country": list.counts.by_country.iter().map(|(k, n)| json!({"country": k, "count": n})).collect::<Vec<_>>(),
                "by_industry": list.counts.by_industry.iter().map(|(k, n)| json!({"industry": k, "count": n})).collect::<Vec<_>>(),
            }
        }),
    ))
}

pub async fn csv(
    State(state): State<AppState>,
    api: Api,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, ApiError> {
    let body = state
        .app
        .registrations()
        .registrations_csv(&api.principal, &slug, &query.filter(), api.lang)
        .await
        .map_err(|e| api.err(e))?;
    Ok(crate::views::csv_response(
        &format!("{slug}-registrations.csv"),
        body,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    api: Api,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let registration = state
        .app
        .registrations()
        .registration(&api.principal, RegistrationId(id))
        .await
        .map_err(|e| api.err(e))?;
    Ok(json(StatusCode::OK, registration))
}

/// Who the token belongs to: a participant gets their registration, staff their account.
pub async fn me(State(state): State<AppState>, api: Api) -> Result<Response, ApiError> {
    match &api.principal {
        Principal::Anonymous => Err(api.err(AppError::Unauthenticated)),
        Principal::Participant(p) => {
            let registration = state.app.registrations().registration(&api.principal, p.registration_id).await.map_err(|e| api.err(e))?;
            Ok(json(StatusCode::OK, json!({"kind": "participant", "registration": registration})))
        }
        Principal::Staff(s) => Ok(json(
            StatusCode::OK,
            json!({"kind": "staff", "email": s.email, "display_name": s.display_name, "role": s.role, "department_id": s.department_id}),
        )
        .into_response()),
    }
}
