//! Privacy in the API: a participant's consents, export and erasure (with their personal
//! token); the organiser's requests, exports and erasures on a request by post or email,
//! retention, the register of recipients, the audit chain's head and the data map.

use super::wire::*;
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, created, no_content, ok};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_domain::ids::ParticipantId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Everything Roadshow holds about a participant, with the Art. 15 section.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PersonalDataExport {
    /// `roadshow-personal-data/1`.
    pub format: String,
    pub generated_at: String,
    /// Id, name, email, language.
    #[schema(value_type = Object)]
    pub participant: serde_json::Value,
    #[schema(value_type = Vec<Object>)]
    pub consents: serde_json::Value,
    /// Table → `{"columns": [...], "rows": [[value, ...], ...]}`, every table of the data
    /// map that holds rows of theirs.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Purposes with their legal basis, recipients and their countries, retention, source.
    #[schema(value_type = Object)]
    pub art15: serde_json::Value,
}

/// A file to download, named.
pub(crate) fn download(body: String, filename: &str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The caller's privacy (a participant, with their personal token): consents, requests.
#[utoipa::path(get, path = "/api/v1/me/privacy", operation_id = "my_privacy", tag = "privacy",
    security(("bearer" = [])), responses((status = 200, body = MyPrivacy)))]
pub async fn mine(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let m = state.app.privacy().mine(&ctx.principal).await?;
    Ok(ok(my_privacy(&m)))
}

pub(crate) fn my_privacy(m: &roadshow_app::privacy::participant::MyPrivacy) -> MyPrivacy {
    MyPrivacy {
        participant_id: m.person.id.0,
        consents: m.consents.iter().map(Consent::from).collect(),
        requests: m.requests.iter().map(PrivacyRequest::from).collect(),
        next_export_at: m.next_export_at,
        retention_days: m.retention_days,
    }
}

/// Gives or withdraws consents (a participant); each takes effect at once.
#[utoipa::path(put, path = "/api/v1/me/consents", operation_id = "set_my_consents", tag = "privacy",
    security(("bearer" = [])), request_body = ConsentChanges, responses((status = 200, body = Vec<Consent>)))]
pub async fn set_consents(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<ConsentChanges>,
) -> Result<Response, Error> {
    let consents = state
        .app
        .privacy()
        .set_my_consents(&ctx.principal, &input.consents)
        .await?;
    Ok(ok(consents.iter().map(Consent::from).collect::<Vec<_>>()))
}

/// Asks for an export of one's data (a participant): built in the background, then
/// downloadable for 7 days; one a week.
#[utoipa::path(post, path = "/api/v1/me/exports", operation_id = "request_my_export", tag = "privacy",
    security(("bearer" = [])), responses((status = 202, body = PrivacyRequest)))]
pub async fn request_export(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let r = state
        .app
        .privacy()
        .request_my_export(&ctx.principal)
        .await?;
    Ok(crate::api::json(
        StatusCode::ACCEPTED,
        PrivacyRequest::from(&r),
    ))
}

/// Downloads one's export while it is offered (a participant).
#[utoipa::path(get, path = "/api/v1/me/exports/{id}", operation_id = "download_my_export", tag = "privacy",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PersonalDataExport)))]
pub async fn download_export(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let file = state.app.privacy().my_export(&ctx.principal, id).await?;
    Ok(download(file, "roadshow-personal-data.json"))
}

/// Asks for the erasure of one's data (a participant): a link to confirm it is emailed.
#[utoipa::path(post, path = "/api/v1/me/erasure", operation_id = "request_my_erasure", tag = "privacy",
    security(("bearer" = [])), responses((status = 202, body = PrivacyRequest)))]
pub async fn request_erasure(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let r = state
        .app
        .privacy()
        .request_my_erasure(&ctx.principal)
        .await?;
    Ok(crate::api::json(
        StatusCode::ACCEPTED,
        PrivacyRequest::from(&r),
    ))
}

/// A participant's data as a file, on a request that came by post or email (the
/// organiser); recorded as a request answered.
#[utoipa::path(get, path = "/api/v1/participants/{id}/export", operation_id = "export_participant", tag = "privacy",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PersonalDataExport),
        (status = 409, description = "The participant's data was erased", body = Problem, content_type = "application/problem+json")))]
pub async fn export_participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let document = state
        .app
        .privacy()
        .export_participant(&ctx.principal, ParticipantId(id))
        .await?;
    Ok(download(
        document,
        &format!("roadshow-participant-{id}.json"),
    ))
}

/// Erases a participant on a request that came by post or email (the organiser); done
/// when it answers.
#[utoipa::path(post, path = "/api/v1/participants/{id}/erasure", operation_id = "erase_participant", tag = "privacy",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = ErasureInput,
    responses((status = 200, body = Erasure),
        (status = 409, description = "The participant's data was erased already", body = Problem, content_type = "application/problem+json")))]
pub async fn erase_participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<ErasureInput>,
) -> Result<Response, Error> {
    let outcome = state
        .app
        .privacy()
        .erase_participant(&ctx.principal, ParticipantId(id), input.reason.as_deref())
        .await?;
    Ok(ok(Erasure::from(&outcome)))
}

/// The requests to export or erase data, newest first (the organiser).
#[utoipa::path(get, path = "/api/v1/privacy/requests", operation_id = "list_privacy_requests", tag = "privacy",
    security(("bearer" = [])), responses((status = 200, body = Vec<PrivacyRequest>)))]
pub async fn requests(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let o = state.app.privacy().overview(&ctx.principal).await?;
    Ok(ok(o
        .requests
        .iter()
        .map(PrivacyRequest::from)
        .collect::<Vec<_>>()))
}

/// Refuses an open request, with the reason the participant is told (the organiser).
#[utoipa::path(post, path = "/api/v1/privacy/requests/{id}/refusal", operation_id = "refuse_privacy_request", tag = "privacy",
    security(("bearer" = [])), params(("id" = i64, Path)), request_body = ErasureInput,
    responses((status = 200, body = PrivacyRequest),
        (status = 409, description = "The request was answered already", body = Problem, content_type = "application/problem+json")))]
pub async fn refuse(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    ApiJson(input): ApiJson<ErasureInput>,
) -> Result<Response, Error> {
    let r = state
        .app
        .privacy()
        .refuse_request(&ctx.principal, id, input.reason.as_deref())
        .await?;
    Ok(ok(PrivacyRequest::from(&r)))
}

/// How long participants' data is kept after the event (the organiser).
#[utoipa::path(get, path = "/api/v1/privacy/retention", operation_id = "show_retention", tag = "privacy",
    security(("bearer" = [])), responses((status = 200, body = Retention)))]
pub async fn retention(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let o = state.app.privacy().overview(&ctx.principal).await?;
    Ok(ok(Retention::from(&o.retention)))
}

/// Sets the agency's retention and events' own (the organiser).
#[utoipa::path(put, path = "/api/v1/privacy/retention", operation_id = "set_retention", tag = "privacy",
    security(("bearer" = [])), request_body = RetentionInput, responses((status = 200, body = Retention)))]
pub async fn set_retention(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<RetentionInput>,
) -> Result<Response, Error> {
    let events: Vec<(String, Option<i64>)> = input
        .events
        .into_iter()
        .map(|e| (e.event, e.days))
        .collect();
    let r = state
        .app
        .privacy()
        .set_retention(&ctx.principal, input.days, &events)
        .await?;
    Ok(ok(Retention::from(&r)))
}

/// The register of recipients (the organiser).
#[utoipa::path(get, path = "/api/v1/privacy/recipients", operation_id = "list_recipients", tag = "privacy",
    security(("bearer" = [])), responses((status = 200, body = Vec<Recipient>)))]
pub async fn recipients(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let list = state.app.privacy().recipients(&ctx.principal).await?;
    Ok(ok(list.iter().map(Recipient::from).collect::<Vec<_>>()))
}

/// Adds a recipient to the register (the organiser); the notices name it at once.
#[utoipa::path(post, path = "/api/v1/privacy/recipients", operation_id = "add_recipient", tag = "privacy",
    security(("bearer" = [])), request_body = RecipientInput, responses((status = 201, body = Recipient)))]
pub async fn add_recipient(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<RecipientInput>,
) -> Result<Response, Error> {
    let r = state
        .app
        .privacy()
        .add_recipient(&ctx.principal, &input.into())
        .await?;
    Ok(created(Recipient::from(&r), None))
}

/// Removes a recipient from the register (the organiser).
#[utoipa::path(delete, path = "/api/v1/privacy/recipients/{id}", operation_id = "remove_recipient", tag = "privacy",
    security(("bearer" = [])), params(("id" = i64, Path)), responses((status = 204)))]
pub async fn remove_recipient(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    state
        .app
        .privacy()
        .remove_recipient(&ctx.principal, id)
        .await?;
    Ok(no_content())
}

/// The audit chain's head (the organiser): keep a copy, to show later that the log was
/// not rewritten.
#[utoipa::path(get, path = "/api/v1/privacy/audit/head", operation_id = "audit_head", tag = "privacy",
    security(("bearer" = [])), responses((status = 200, body = AuditHead)))]
pub async fn audit_head(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let (seq, hash) = state.app.privacy().audit_head(&ctx.principal).await?;
    Ok(ok(AuditHead { seq, hash }))
}

/// The data map: every table and column, whose data, purpose, legal basis, retention
/// and what erasure does (the organiser).
#[utoipa::path(get, path = "/api/v1/privacy/data-map", operation_id = "data_map", tag = "privacy",
    security(("bearer" = [])), responses((status = 200, body = Vec<MapTable>)))]
pub async fn data_map(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    state.app.privacy().organiser(&ctx.principal)?;
    Ok(ok(super::wire::data_map()))
}
