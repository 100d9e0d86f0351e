//! Meeting booking in the API: the organiser's booking, proposal and confirmation; a
//! participant's hosts, requests, slots and meetings.

use crate::AppState;
use crate::api::{ApiJson, json};
use crate::caller::Ctx;
use crate::error::Error;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_domain::ids::MeetingRequestId;
use roadshow_domain::meetings::{BookingInput, Placement, RequestInput};
use serde::Deserialize;
use serde_json::{Value, json};

fn slots_json(booking: &roadshow_domain::meetings::Booking, zone: chrono_tz::Tz) -> Value {
    json!(booking
        .slots(zone)
        .iter()
        .map(|s| json!({"starts_at": s.starts_at, "ends_at": s.ends_at, "id": s.starts_at.timestamp().to_string()}))
        .collect::<Vec<_>>())
}

pub async fn booking(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let view = state
        .app
        .meetings()
        .for_organiser(&ctx.principal, &slug)
        .await?;
    let booking = view.booking.ok_or(Error(AppError::NotFound))?;
    Ok(json(
        StatusCode::OK,
        json!({
            "booking": booking,
            "slots": slots_json(&booking, view.event.zone()),
            "requests": view.requests,
            "meetings": view.meetings,
        }),
    ))
}

pub async fn save_booking(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<BookingInput>,
) -> Result<Response, Error> {
    let booking = state
        .app
        .meetings()
        .save_booking(&ctx.principal, &slug, &input)
        .await?;
    Ok(json(StatusCode::OK, booking))
}

#[derive(Deserialize)]
pub struct ProposalQuery {
    #[serde(default)]
    pub full: bool,
}

pub async fn proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ProposalQuery>,
) -> Result<Response, Error> {
    let p = state
        .app
        .meetings()
        .propose(&ctx.principal, &slug, q.full)
        .await?;
    Ok(json(StatusCode::OK, p.scheduled))
}

#[derive(Deserialize, serde::Serialize, Default)]
pub struct ConfirmInput {
    #[serde(default)]
    pub meetings: Vec<Placement>,
}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ConfirmInput>,
) -> Result<Response, Error> {
    let meetings = state
        .app
        .meetings()
        .confirm(&ctx.principal, &slug, &input.meetings)
        .await?;
    Ok(json(StatusCode::OK, json!({ "meetings": meetings })))
}

pub async fn mine(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let v = state
        .app
        .meetings()
        .for_participant(&ctx.principal, &slug)
        .await?;
    Ok(json(
        StatusCode::OK,
        json!({
            "open": v.open,
            "request_deadline": v.booking.request_deadline,
            "hosts": v.hosts.iter().map(|(d, capacity)| json!({"department_id": d.id, "name": d.name, "description": d.description, "tables": capacity})).collect::<Vec<_>>(),
            "slots": slots_json(&v.booking, v.event.zone()),
            "requests": v.requests,
            "availability": v.availability,
            "meetings": v.meetings.iter().map(|(m, r)| json!({"id": m.id, "request_id": r.id, "department_id": r.department_id, "topic": r.topic, "starts_at": m.starts_at, "video_link": v.booking.video_link_for(m.id)})).collect::<Vec<_>>(),
        }),
    ))
}

pub async fn request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<RequestInput>,
) -> Result<Response, Error> {
    let r = state
        .app
        .meetings()
        .request(&ctx.principal, &slug, &input)
        .await?;
    Ok(json(StatusCode::CREATED, r))
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, Error> {
    let id = id.parse::<i64>().map_err(|_| Error(AppError::NotFound))?;
    state
        .app
        .meetings()
        .withdraw(&ctx.principal, &slug, MeetingRequestId(id))
        .await?;
    Ok(json(StatusCode::OK, json!({"withdrawn": id})))
}

#[derive(Deserialize, serde::Serialize, Default)]
pub struct AvailabilityInput {
    #[serde(default)]
    pub slots: Vec<String>,
}

pub async fn availability(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<AvailabilityInput>,
) -> Result<Response, Error> {
    state
        .app
        .meetings()
        .set_availability(&ctx.principal, &slug, &input.slots)
        .await?;
    Ok(json(StatusCode::OK, json!({"slots": input.slots.len()})))
}

pub async fn host(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let v = state.app.meetings().for_host(&ctx.principal, &slug).await?;
    Ok(json(
        StatusCode::OK,
        json!({
            "departments": v.departments.iter().map(|d| json!({"id": d.id, "name": d.name})).collect::<Vec<_>>(),
            "requests": v.requests.iter().map(|r| {
                let who = v.registrations.get(&r.participant_id);
                json!({"request": r, "name": who.map(|p| p.name.clone()), "company": who.map(|p| p.company.name.clone()), "country": who.map(|p| p.company.country.clone())})
            }).collect::<Vec<_>>(),
            "meetings": v.meetings.iter().map(|(m, r)| json!({"meeting": m, "department_id": r.department_id, "topic": r.topic, "company": v.registrations.get(&r.participant_id).map(|p| p.company.name.clone())})).collect::<Vec<_>>(),
        }),
    ))
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<roadshow_domain::meetings::AnswerInput>,
) -> Result<Response, Error> {
    let id = id.parse::<i64>().map_err(|_| Error(AppError::NotFound))?;
    state
        .app
        .meetings()
        .answer(&ctx.principal, &slug, MeetingRequestId(id), &input)
        .await?;
    Ok(json(StatusCode::OK, json!({"answered": id})))
}

pub async fn outcome(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<roadshow_domain::meetings::OutcomeInput>,
) -> Result<Response, Error> {
    let id = id.parse::<i64>().map_err(|_| Error(AppError::NotFound))?;
    state
        .app
        .meetings()
        .record_outcome(
            &ctx.principal,
            &slug,
            roadshow_domain::ids::MeetingId(id),
            &input,
        )
        .await?;
    Ok(json(StatusCode::OK, json!({"recorded": id})))
}

pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<roadshow_domain::meetings::InvitationInput>,
) -> Result<Response, Error> {
    let r = state
        .app
        .meetings()
        .invite(&ctx.principal, &slug, &input)
        .await?;
    Ok(json(StatusCode::CREATED, r))
}
