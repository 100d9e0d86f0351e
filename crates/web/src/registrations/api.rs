//! Registrations in the API: the public sign-up, the organiser's list and export, and a
//! participant's own registration.

use crate::AppState;
use crate::api::{ApiJson, Id, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use roadshow_domain::ids::*;
use roadshow_domain::registrations::{RegistrationFilter, RegistrationInput};
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
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> Result<Response, Error> {
    let receipt = state
        .app
        .registrations()
        .register(&slug, &input, &ctx.client, ctx.lang)
        .await?;
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
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, Error> {
    let list = state
        .app
        .registrations()
        .registrations(&ctx.principal, &slug, &query.filter())
        .await?;
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
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, Error> {
    let body = state
        .app
        .registrations()
        .registrations_csv(&ctx.principal, &slug, &query.filter(), ctx.lang)
        .await?;
    Ok(crate::views::csv_response(
        &format!("{slug}-registrations.csv"),
        body,
    ))
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> Result<Response, Error> {
    let registration = state
        .app
        .registrations()
        .registration(&ctx.principal, RegistrationId(id))
        .await?;
    Ok(json(StatusCode::OK, registration))
}
