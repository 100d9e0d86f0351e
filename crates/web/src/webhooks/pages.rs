//! The organiser's webhooks page: the endpoints, a form to add one, and per endpoint its
//! secret, its state and its delivery log with a "send again" button.

use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::{Choice, Form, FormData, FormState};
use crate::pages::{render, render_status, see_other};
use crate::paging::{PageQuery, Pager};
use crate::views::{TimeView, time_view};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_domain::webhooks::{Delivery, Endpoint, EndpointInput, EventType};
use serde::Deserialize;

pub struct EndpointView {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub secret: String,
    pub enabled: bool,
    /// Why it is off, in the reader's language.
    pub disabled: String,
    pub failing_since: Option<TimeView>,
    pub last_success: Option<TimeView>,
    pub created: TimeView,
}

pub struct DeliveryView {
    pub id: i64,
    pub message_id: String,
    pub event_type: String,
    pub payload: String,
    pub state: String,
    pub state_code: &'static str,
    pub attempts: i64,
    pub created: TimeView,
    pub next: Option<TimeView>,
    pub last_status: String,
    pub last_error: String,
    /// Not while a process is sending it.
    pub can_resend: bool,
}

fn endpoint_view(ctx: &Ctx, e: &Endpoint) -> EndpointView {
    EndpointView {
        id: e.id.0,
        url: e.url.clone(),
        description: e.description.clone(),
        events: e.events.iter().map(|t| t.code().to_string()).collect(),
        secret: e.secret.clone(),
        enabled: e.disabled.is_none(),
        disabled: e
            .disabled
            .map(|r| ctx.t(&format!("webhooks-disabled-{}", r.code())))
            .unwrap_or_default(),
        failing_since: e.failing_since.map(|t| time_view(ctx, t)),
        last_success: e.last_success_at.map(|t| time_view(ctx, t)),
        created: time_view(ctx, e.created_at),
    }
}

fn delivery_view(ctx: &Ctx, d: &Delivery) -> DeliveryView {
    use roadshow_domain::webhooks::DeliveryState as S;
    DeliveryView {
        id: d.id.0,
        message_id: d.message_id.clone(),
        event_type: d.event_type.clone(),
        payload: d.payload.clone(),
        state: ctx.t(&format!("webhooks-state-{}", d.state.code())),
        state_code: d.state.code(),
        attempts: d.attempts,
        created: time_view(ctx, d.created_at),
        next: matches!(d.state, S::Pending).then(|| time_view(ctx, d.next_attempt_at)),
        last_status: d.last_status.map(|s| s.to_string()).unwrap_or_default(),
        last_error: d.last_error.clone().unwrap_or_default(),
        can_resend: !matches!(d.state, S::Sending),
    }
}

fn event_choices(ctx: &Ctx) -> Vec<Choice> {
    EventType::ALL
        .iter()
        .map(|t| Choice {
            value: t.code().to_string(),
            label: ctx.t(&format!(
                "webhooks-event-{}",
                t.code().replace(['.', '_'], "-")
            )),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    endpoints: Vec<EndpointView>,
    events: Vec<Choice>,
    form: FormState,
    message: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/webhook.html")]
struct EndpointPage<'a> {
    ctx: &'a Ctx,
    e: EndpointView,
    deliveries: Vec<DeliveryView>,
    pager: Pager,
    /// Just created: the secret is shown open, to be copied into the receiver.
    created: bool,
    message: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: Option<String>,
}

fn message(ctx: &Ctx, done: Option<&str>) -> Option<String> {
    done.and_then(|d| match d {
        "removed" => Some(ctx.t("webhooks-removed")),
        "enabled" => Some(ctx.t("webhooks-enabled")),
        "resent" => Some(ctx.t("webhooks-resent")),
        _ => None,
    })
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    status: StatusCode,
    done: Option<&str>,
) -> Result<Response, Error> {
    let endpoints = state.app.webhooks().list(&ctx.principal).await?;
    let page = ListPage {
        endpoints: endpoints.iter().map(|e| endpoint_view(ctx, e)).collect(),
        events: event_choices(ctx),
        form,
        message: message(ctx, done),
        ctx,
    };
    Ok(render_status(status, &page))
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Done>,
) -> Result<Response, Error> {
    list_page(
        &state,
        &ctx,
        FormState::default(),
        StatusCode::OK,
        q.done.as_deref(),
    )
    .await
}

pub async fn add(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(data): Form,
) -> Result<Response, Error> {
    let input = EndpointInput {
        url: data.text("url"),
        events: data.all("events"),
        description: data.text("description"),
    };
    match state.app.webhooks().add(&ctx.principal, &input).await {
        Ok(e) => Ok(see_other(&format!("/admin/webhooks/{}?done=created", e.id))),
        Err(err) => invalid(&state, &ctx, &data, err).await,
    }
}

async fn invalid(
    state: &AppState,
    ctx: &Ctx,
    data: &FormData,
    err: AppError,
) -> Result<Response, Error> {
    let form = data.refill(ctx, err)?;
    list_page(state, ctx, form, StatusCode::UNPROCESSABLE_ENTITY, None).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, Error> {
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    let webhooks = state.app.webhooks();
    let e = webhooks.get(&ctx.principal, id).await?;
    let request = q.page.read()?;
    let listed = webhooks.deliveries(&ctx.principal, id, request).await?;
    Ok(render(&EndpointPage {
        e: endpoint_view(&ctx, &e),
        deliveries: listed
            .items
            .iter()
            .map(|d| delivery_view(&ctx, d))
            .collect(),
        pager: Pager::new(
            &format!("/admin/webhooks/{id}"),
            "",
            "#deliveries",
            request,
            listed.next,
        ),
        created: q.done.as_deref() == Some("created"),
        message: message(&ctx, q.done.as_deref()),
        ctx: &ctx,
    }))
}

pub async fn remove(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(_): Form,
) -> Result<Response, Error> {
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    state.app.webhooks().remove(&ctx.principal, id).await?;
    Ok(see_other("/admin/webhooks?done=removed"))
}

pub async fn enable(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(_): Form,
) -> Result<Response, Error> {
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    state.app.webhooks().enable(&ctx.principal, id).await?;
    Ok(see_other(&format!("/admin/webhooks/{id}?done=enabled")))
}

pub async fn resend(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(_): Form,
) -> Result<Response, Error> {
    let id = crate::api::parse_id(&id).ok_or(Error::from(AppError::NotFound))?;
    let d = state.app.webhooks().resend(&ctx.principal, id).await?;
    Ok(see_other(&format!(
        "/admin/webhooks/{}?done=resent#deliveries",
        d.endpoint.0
    )))
}
