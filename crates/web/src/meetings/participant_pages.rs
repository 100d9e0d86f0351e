//! Meeting booking on pages, a participant's side: hosts to ask, the slots they can make
//! (in Beijing time and theirs), their schedule and an invitation per meeting.

use super::wire;
use crate::AppState;
use crate::api::{Id, Slug};
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::Form;
use crate::pages::{render, render_status, see_other};
use crate::views::field_errors;
use crate::views::{LText, TimeView, loc, time_view};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use roadshow_app::AppError;
use roadshow_app::meetings::participants::ParticipantBooking;
use roadshow_domain::ids::{MeetingId, MeetingRequestId};
use roadshow_domain::meetings::{Priority, RequestInput, in_both_working_days};
use std::collections::HashMap;

pub struct HostOffer {
    pub id: i64,
    pub name: LText,
    pub description: LText,
    pub request: Option<(i64, String, String)>,
    /// The host's answer, shown to the company: "", accepted, or declined with why.
    pub answer: String,
    /// The host asked for this meeting too.
    pub invited: bool,
    pub declined: bool,
}

pub struct SlotChoice {
    pub value: String,
    pub when: TimeView,
    pub both_working_days: bool,
    pub checked: bool,
}

pub struct MyMeeting {
    pub id: i64,
    pub when: TimeView,
    pub host: LText,
    pub topic: String,
    pub video_link: Option<String>,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct ParticipantPage<'a> {
    ctx: &'a Ctx,
    slug: String,
    title: LText,
    deadline: TimeView,
    open: bool,
    hosts: Vec<HostOffer>,
    slots: Vec<SlotChoice>,
    meetings: Vec<MyMeeting>,
    priorities: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

fn participant_page<'a>(
    ctx: &'a Ctx,
    v: &ParticipantBooking,
    errors: Vec<(String, String)>,
) -> ParticipantPage<'a> {
    let zone = v.event.zone();
    let hosts = v
        .hosts
        .iter()
        .map(|(d, _)| HostOffer {
            id: d.id.0,
            name: loc(ctx, &d.name),
            description: loc(ctx, &d.description),
            answer: match v
                .requests
                .iter()
                .find(|r| r.department_id == d.id)
                .and_then(|r| r.host_answer.as_ref())
            {
                None => String::new(),
                Some(a) if a.accepted => ctx.t("meetings-accepted"),
                Some(a) => format!("{}: {}", ctx.t("meetings-declined"), a.reason),
            },
            declined: v
                .requests
                .iter()
                .any(|r| r.department_id == d.id && !r.schedulable()),
            invited: v
                .requests
                .iter()
                .any(|r| r.department_id == d.id && r.from_host),
            request: v
                .requests
                .iter()
                .find(|r| r.department_id == d.id)
                .map(|r| {
                    (
                        r.id.0,
                        ctx.t(&format!("meetings-priority-{}", r.priority.code())),
                        r.topic.clone(),
                    )
                }),
        })
        .collect();
    let slots = v
        .booking
        .slots(zone)
        .into_iter()
        .map(|s| SlotChoice {
            value: s.starts_at.timestamp().to_string(),
            when: time_view(ctx, s.starts_at),
            both_working_days: in_both_working_days(s, ctx.zone),
            checked: v.availability.contains(&s.starts_at),
        })
        .collect();
    let names: HashMap<_, _> = v
        .hosts
        .iter()
        .map(|(d, _)| (d.id, loc(ctx, &d.name)))
        .collect();
    let meetings = v
        .meetings
        .iter()
        .map(|(m, r)| MyMeeting {
            id: m.id.0,
            when: time_view(ctx, m.starts_at),
            host: names
                .get(&r.department_id)
                .map(|n| LText {
                    text: n.text.clone(),
                    lang: n.lang,
                })
                .unwrap_or(LText {
                    text: String::new(),
                    lang: "en",
                }),
            topic: r.topic.clone(),
            video_link: v.booking.video_link_for(m.id),
        })
        .collect();
    ParticipantPage {
        ctx,
        slug: v.event.slug.clone(),
        title: loc(ctx, &v.event.title),
        deadline: time_view(ctx, v.booking.request_deadline),
        open: v.open,
        hosts,
        slots,
        meetings,
        priorities: Priority::ALL
            .iter()
            .map(|p| {
                (
                    p.code().to_string(),
                    ctx.t(&format!("meetings-priority-{}", p.code())),
                )
            })
            .collect(),
        errors,
    }
}

pub async fn participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, Error> {
    let v = state
        .app
        .meetings()
        .for_participant(&ctx.principal, &slug)
        .await?;
    Ok(render(&participant_page(&ctx, &v, Vec::new())))
}

async fn participant_result(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    result: Result<(), AppError>,
) -> Result<Response, Error> {
    match result {
        Ok(()) => Ok(see_other(&format!("/events/{slug}/meetings?saved=1"))),
        Err(AppError::Invalid(fields)) => {
            let v = state
                .app
                .meetings()
                .for_participant(&ctx.principal, slug)
                .await?;
            let errors = field_errors(ctx, &fields);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &participant_page(ctx, &v, errors),
            ))
        }
        Err(e) => Err(Error(e)),
    }
}

pub async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = async {
        let input = RequestInput::from(data.decode::<wire::RequestInput>()?);
        state
            .app
            .meetings()
            .request(&ctx.principal, &slug, &input)
            .await
            .map(|_| ())
    }
    .await;
    participant_result(&state, &ctx, &slug, result).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Id(id): Id<MeetingRequestId>,
    Form(_): Form,
) -> Result<Response, Error> {
    let result = state
        .app
        .meetings()
        .withdraw(&ctx.principal, &slug, id)
        .await;
    participant_result(&state, &ctx, &slug, result).await
}

pub async fn availability(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(data): Form,
) -> Result<Response, Error> {
    let result = async {
        let input = data.decode::<wire::AvailabilityInput>()?;
        state
            .app
            .meetings()
            .set_availability(&ctx.principal, &slug, &input.slots)
            .await
    }
    .await;
    participant_result(&state, &ctx, &slug, result).await
}

pub async fn invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Id(id): Id<MeetingId>,
) -> Result<Response, Error> {
    let body = state
        .app
        .meetings()
        .meeting_ics(&ctx.principal, &slug, id, ctx.lang)
        .await?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"meeting-{id}.ics\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
