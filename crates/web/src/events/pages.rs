//! The event pages visitors see: the list of events, the event with its agenda in Beijing
//! time and theirs, the agenda as a calendar, and the time-zone preference.

use super::views::{EventCard, EventView, event_card, event_view};
use crate::AppState;
use crate::caller::Ctx;
use crate::caller::{TZ_COOKIE, decode_component};
use crate::error::Error;
use crate::pages::{encode_component, render, safe_return_path, see_other};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Zones offered in the time-zone menu; the reader's own is added when missing.
const ZONES: &[&str] = &[
    "Asia/Shanghai",
    "Europe/Berlin",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Paris",
    "Europe/London",
    "Europe/Rome",
    "Europe/Madrid",
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Singapore",
    "Asia/Dubai",
    "Australia/Sydney",
];

pub fn zone_choices(ctx: &Ctx) -> Vec<&'static str> {
    let mut zones: Vec<&'static str> = ZONES.to_vec();
    if !zones.contains(&ctx.zone_name()) {
        zones.insert(0, ctx.zone_name());
    }
    zones
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    events: Vec<EventCard>,
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Error> {
    let events = state.app.events().public_events().await?;
    let events = events.iter().map(|e| event_card(&ctx, e)).collect();
    Ok(render(&HomePage { ctx: &ctx, events }))
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPageTpl<'a> {
    ctx: &'a Ctx,
    e: EventView,
    zones: Vec<&'static str>,
}

pub async fn event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let page = state.app.events().event_page(&ctx.principal, &slug).await?;
    Ok(render(&EventPageTpl {
        e: event_view(&ctx, &page),
        zones: zone_choices(&ctx),
        ctx: &ctx,
    }))
}

pub async fn agenda_ics(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let body = state
        .app
        .events()
        .agenda_ics(&ctx.principal, &slug, ctx.lang)
        .await?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{slug}.ics\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct ZoneQuery {
    tz: Option<String>,
    back: Option<String>,
}

/// Remembers the reader's time zone (the menu next to event times) and goes back.
pub async fn set_timezone(Query(q): Query<ZoneQuery>) -> Response {
    let back = safe_return_path(q.back.as_deref().unwrap_or("/"));
    let mut response = see_other(&back);
    if let Some(zone) =
        q.tz.map(|z| decode_component(&z))
            .filter(|z| z.parse::<chrono_tz::Tz>().is_ok())
    {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{TZ_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            encode_component(&zone).replace('/', "%2F")
        )) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}
