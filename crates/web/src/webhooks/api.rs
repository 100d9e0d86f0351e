//! Webhooks in the API (organisers): endpoints with their signing secret, the delivery
//! log, and sending a message again.

use crate::AppState;
use crate::api::{ApiJson, Id, Problem, created, no_content, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::paging::PageQuery;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use roadshow_domain::webhooks::{self as domain, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::Object;

fn event_type() -> Object {
    let codes: Vec<&str> = EventType::ALL.iter().map(|t| t.code()).collect();
    crate::schema::one_of(&codes)
}

fn event_types() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(event_type())
        .min_items(Some(1))
        .max_items(Some(EventType::ALL.len()))
        .unique_items(true)
        .build()
}

fn delivery_state() -> Object {
    crate::schema::one_of(&["pending", "sending", "delivered", "failed"])
}

fn disabled_reason() -> Object {
    crate::schema::optional_one_of(&["gone", "failures"])
}

/// An endpoint to register.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct WebhookInput {
    /// The receiver's http(s) address; not this machine or a private network unless the
    /// operator allows it.
    #[schema(schema_with = crate::schema::url, required = true)]
    pub url: Option<String>,
    /// The event types to receive, each once.
    #[serde(default)]
    #[schema(schema_with = event_types)]
    pub events: Vec<String>,
    /// What it is for ("our CRM").
    #[schema(max_length = 200)]
    pub description: Option<String>,
}

/// A registered endpoint.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Webhook {
    #[schema(schema_with = crate::schema::id)]
    pub id: i64,
    pub url: String,
    pub description: String,
    #[schema(schema_with = event_types)]
    pub events: Vec<String>,
    /// The signing secret in the Standard Webhooks form `whsec_` + base64: give it to the
    /// receiver, which verifies `webhook-signature` with it.
    pub secret: String,
    pub enabled: bool,
    /// Why it is disabled: `gone` (it answered 410) or `failures` (a day of failures).
    #[schema(schema_with = disabled_reason)]
    pub disabled_reason: Option<String>,
    /// When its current run of failures began.
    pub failing_since: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<&domain::Endpoint> for Webhook {
    fn from(e: &domain::Endpoint) -> Self {
        Webhook {
            id: e.id.0,
            url: e.url.clone(),
            description: e.description.clone(),
            events: e.events.iter().map(|t| t.code().to_string()).collect(),
            secret: e.secret.clone(),
            enabled: e.disabled.is_none(),
            disabled_reason: e.disabled.map(|r| r.code().to_string()),
            failing_since: e.failing_since,
            last_success_at: e.last_success_at,
            created_at: e.created_at,
        }
    }
}

/// One message to an endpoint and how its attempts went.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookDelivery {
    #[schema(schema_with = crate::schema::id)]
    pub id: i64,
    #[schema(schema_with = crate::schema::id)]
    pub webhook_id: i64,
    /// The `webhook-id` header: the same on every attempt.
    pub message_id: String,
    #[serde(rename = "type")]
    #[schema(schema_with = event_type)]
    pub event_type: String,
    /// The body as sent: `type`, `timestamp` and `data` (ids).
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    #[schema(schema_with = delivery_state)]
    pub state: String,
    pub attempts: i64,
    /// When the next attempt is due (while pending).
    pub next_attempt_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The receiver's last HTTP status.
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<&domain::Delivery> for WebhookDelivery {
    fn from(d: &domain::Delivery) -> Self {
        WebhookDelivery {
            id: d.id.0,
            webhook_id: d.endpoint.0,
            message_id: d.message_id.clone(),
            event_type: d.event_type.clone(),
            payload: serde_json::from_str(&d.payload).unwrap_or(serde_json::Value::Null),
            state: d.state.code().to_string(),
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_attempt_at: d.last_attempt_at,
            last_status: d.last_status,
            last_error: d.last_error.clone(),
            created_at: d.created_at,
            delivered_at: d.delivered_at,
        }
    }
}

/// A page of an endpoint's delivery log, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookDeliveries {
    pub deliveries: Vec<WebhookDelivery>,
    /// The `after` of the next (older) page; `null` on the last page.
    #[schema(schema_with = crate::schema::optional_id)]
    pub next_after: Option<i64>,
}

/// The agency's webhook endpoints (organiser).
#[utoipa::path(get, path = "/api/v1/webhooks", operation_id = "webhooks", tag = "webhooks",
    security(("bearer" = [])), responses((status = 200, body = Vec<Webhook>)))]
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let endpoints = state.app.webhooks().list(&ctx.principal).await?;
    Ok(ok(endpoints.iter().map(Webhook::from).collect::<Vec<_>>()))
}

/// Registers an endpoint (organiser); the answer carries its `id` and signing `secret`.
#[utoipa::path(post, path = "/api/v1/webhooks", operation_id = "add_webhook", tag = "webhooks",
    security(("bearer" = [])), request_body = WebhookInput,
    responses((status = 201, body = Webhook),
        (status = 422, description = "The fields that are wrong, named", body = Problem, content_type = "application/problem+json")))]
pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<WebhookInput>,
) -> Result<Response, Error> {
    let input = domain::EndpointInput {
        url: input.url,
        events: input.events,
        description: input.description,
    };
    let e = state.app.webhooks().add(&ctx.principal, &input).await?;
    Ok(created(
        Webhook::from(&e),
        Some(format!("/api/v1/webhooks/{}", e.id)),
    ))
}

/// One endpoint (organiser).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}", operation_id = "webhook", tag = "webhooks",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Webhook)))]
pub async fn get(State(state): State<AppState>, ctx: Ctx, Id(id): Id) -> Result<Response, Error> {
    let e = state.app.webhooks().get(&ctx.principal, id).await?;
    Ok(ok(Webhook::from(&e)))
}

/// Removes an endpoint and its delivery log (organiser).
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", operation_id = "remove_webhook", tag = "webhooks",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204, description = "Removed")))]
pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    state.app.webhooks().remove(&ctx.principal, id).await?;
    Ok(no_content())
}

/// Turns a disabled endpoint on again; the messages that waited go out (organiser).
#[utoipa::path(post, path = "/api/v1/webhooks/{id}/enable", operation_id = "enable_webhook", tag = "webhooks",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Webhook)))]
pub async fn enable(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let e = state.app.webhooks().enable(&ctx.principal, id).await?;
    Ok(ok(Webhook::from(&e)))
}

/// An endpoint's deliveries of the last 30 days, newest first (organiser).
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", operation_id = "webhook_deliveries", tag = "webhooks",
    security(("bearer" = [])), params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = WebhookDeliveries),
        (status = 422, description = "A page size or cursor that cannot be used, named", body = Problem, content_type = "application/problem+json")))]
pub async fn deliveries(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let listed = state
        .app
        .webhooks()
        .deliveries(&ctx.principal, id, page.read()?)
        .await?;
    Ok(ok(WebhookDeliveries {
        deliveries: listed.items.iter().map(WebhookDelivery::from).collect(),
        next_after: listed.next,
    }))
}

/// Sends a message again, with the same `webhook-id` and body (organiser).
#[utoipa::path(post, path = "/api/v1/webhook-deliveries/{id}/resend", operation_id = "resend_webhook_delivery", tag = "webhooks",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 202, body = WebhookDelivery),
        (status = 409, description = "It is being sent right now", body = Problem, content_type = "application/problem+json")))]
pub async fn resend(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id,
) -> Result<Response, Error> {
    let d = state.app.webhooks().resend(&ctx.principal, id).await?;
    Ok(crate::api::json(
        axum::http::StatusCode::ACCEPTED,
        WebhookDelivery::from(&d),
    ))
}
