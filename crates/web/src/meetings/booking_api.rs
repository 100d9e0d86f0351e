//! Meeting booking in the API: the organiser's booking, proposal and confirmation; a
//! host's requests, answers, invitations and outcomes; a participant's hosts, requests,
//! slots and meetings.

use super::wire::*;
use crate::AppState;
use crate::api::{ApiJson, Id, Problem, Slug, created, ok};
use crate::caller::Ctx;
use crate::error::Error;
use crate::paging::PageQuery;
use axum::extract::{Query, State};
use axum::response::Response;
use roadshow_app::meetings::booking::Requests;
use roadshow_domain::ids::{MeetingId, MeetingRequestId};

/// The event's booking with its slots, its requests a page at a time (100 by default;
/// follow `next_after`) and its confirmed meetings (organiser).
#[utoipa::path(get, path = "/api/v1/events/{slug}/meetings/booking", operation_id = "booking", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path), PageQuery),
    responses((status = 200, body = BookingView)))]
pub async fn booking(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let view = state
        .app
        .meetings()
        .for_organiser(&ctx.principal, &slug, Requests::Page(page.read()?))
        .await?;
    Ok(ok(BookingView {
        booking: view.booking.as_ref().map(Booking::from),
        slots: view
            .booking
            .as_ref()
            .map(|b| slots(b, view.event.zone()))
            .unwrap_or_default(),
        requests: view.requests.iter().map(MeetingRequest::from).collect(),
        next_after: view.next,
        meetings: view.meetings.iter().map(Meeting::from).collect(),
    }))
}

/// Open or change meeting booking (organiser).
#[utoipa::path(put, path = "/api/v1/events/{slug}/meetings/booking", operation_id = "save_booking", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = BookingInput,
    responses((status = 200, body = Booking)))]
pub async fn save_booking(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<BookingInput>,
) -> Result<Response, Error> {
    let booking = state
        .app
        .meetings()
        .save_booking(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(ok(Booking::from(&booking)))
}

/// The scheduler's grid on the current requests (organiser); confirmed meetings stay put
/// unless `full`.
#[utoipa::path(post, path = "/api/v1/events/{slug}/meetings/proposal", operation_id = "propose_meetings", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path), ProposalQuery),
    responses((status = 200, body = Schedule)))]
pub async fn proposal(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(q): Query<ProposalQuery>,
) -> Result<Response, Error> {
    let p = state
        .app
        .meetings()
        .propose(&ctx.principal, &slug, q.full)
        .await?;
    Ok(ok(Schedule::from(&p.scheduled)))
}

/// Confirm a grid (organiser), checked against every rule: participants whose meeting is
/// new, moved or cancelled get an email with its invitation.
#[utoipa::path(post, path = "/api/v1/events/{slug}/meetings/confirm", operation_id = "confirm_meetings", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = ConfirmInput,
    responses((status = 200, body = Meetings)))]
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<ConfirmInput>,
) -> Result<Response, Error> {
    let placements: Vec<roadshow_domain::meetings::Placement> = input
        .meetings
        .into_iter()
        .map(|p| roadshow_domain::meetings::Placement {
            company: p.company,
            host: p.host,
            slot: p.slot,
        })
        .collect();
    let meetings = state
        .app
        .meetings()
        .confirm(&ctx.principal, &slug, &placements, input.cancels)
        .await?;
    Ok(ok(Meetings {
        meetings: meetings.iter().map(Meeting::from).collect(),
    }))
}

/// A participant's booking: hosts, slots, their requests with the hosts' answers, the
/// slots they marked, their meetings with video links.
#[utoipa::path(get, path = "/api/v1/events/{slug}/meetings", operation_id = "my_meetings", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses((status = 200, body = MyBooking)))]
pub async fn mine(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
) -> Result<Response, Error> {
    let v = state
        .app
        .meetings()
        .for_participant(&ctx.principal, &slug)
        .await?;
    Ok(ok(MyBooking {
        open: v.open,
        request_deadline: v.booking.request_deadline,
        hosts: v
            .hosts
            .iter()
            .map(|(d, capacity)| HostChoice {
                department_id: d.id.0,
                name: d.name.clone(),
                description: d.description.clone(),
                tables: *capacity,
            })
            .collect(),
        slots: slots(&v.booking, v.event.zone()),
        requests: v.requests.iter().map(MeetingRequest::from).collect(),
        availability: v.availability.clone(),
        meetings: v
            .meetings
            .iter()
            .map(|(m, r)| MyMeeting {
                id: m.id.0,
                request_id: r.id.0,
                department_id: r.department_id.0,
                topic: r.topic.clone(),
                starts_at: m.starts_at,
                video_link: v.booking.video_link_for(m.id),
            })
            .collect(),
    }))
}

/// Ask a host for a meeting (participant, until the request deadline).
#[utoipa::path(post, path = "/api/v1/events/{slug}/meetings/requests", operation_id = "request_meeting", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = RequestInput,
    responses((status = 201, description = "Asked", body = MeetingRequest),
        (status = 409, description = "Booking is closed, or already asked", body = Problem, content_type = "application/problem+json")))]
pub async fn request(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<RequestInput>,
) -> Result<Response, Error> {
    let r = state
        .app
        .meetings()
        .request(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(created(MeetingRequest::from(&r), None))
}

/// Withdraw a request (participant, until the request deadline).
#[utoipa::path(delete, path = "/api/v1/events/{slug}/meetings/requests/{id}", operation_id = "withdraw_meeting_request", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Withdrawn),
        (status = 409, description = "Booking is closed", body = Problem, content_type = "application/problem+json")))]
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Id(id): Id<MeetingRequestId>,
) -> Result<Response, Error> {
    state
        .app
        .meetings()
        .withdraw(&ctx.principal, &slug, id)
        .await?;
    Ok(ok(Withdrawn { withdrawn: id.0 }))
}

/// Mark the slots the participant can make (until the request deadline).
#[utoipa::path(put, path = "/api/v1/events/{slug}/meetings/availability", operation_id = "set_availability", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = AvailabilityInput,
    responses((status = 200, body = AvailabilitySaved),
        (status = 409, description = "Booking is closed", body = Problem, content_type = "application/problem+json")))]
pub async fn availability(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<AvailabilityInput>,
) -> Result<Response, Error> {
    state
        .app
        .meetings()
        .set_availability(&ctx.principal, &slug, &input.slots)
        .await?;
    Ok(ok(AvailabilitySaved {
        slots: input.slots.len(),
    }))
}

/// A host's requests, a page at a time (100 by default; follow `next_after`), and its
/// meetings (an official's department; organisers see every host).
#[utoipa::path(get, path = "/api/v1/events/{slug}/meetings/host", operation_id = "host_meetings", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path), PageQuery),
    responses((status = 200, body = HostView)))]
pub async fn host(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Query(page): Query<PageQuery>,
) -> Result<Response, Error> {
    let v = state
        .app
        .meetings()
        .for_host(&ctx.principal, &slug, Requests::Page(page.read()?))
        .await?;
    Ok(ok(HostView {
        departments: v
            .departments
            .iter()
            .map(|d| HostDepartment {
                id: d.id.0,
                name: d.name.clone(),
            })
            .collect(),
        requests: v
            .requests
            .iter()
            .map(|r| {
                let who = v.registrations.get(&r.participant_id);
                HostRequest {
                    request: MeetingRequest::from(r),
                    name: who.map(|p| p.name.clone()),
                    company: who.map(|p| p.company.name.clone()),
                    country: who.map(|p| p.company.country.clone()),
                }
            })
            .collect(),
        next_after: v.next,
        meetings: v
            .meetings
            .iter()
            .map(|(m, r)| HostMeeting {
                meeting: Meeting::from(m),
                department_id: r.department_id.0,
                topic: r.topic.clone(),
                company: v
                    .registrations
                    .get(&r.participant_id)
                    .map(|p| p.company.name.clone()),
            })
            .collect(),
    }))
}

/// Answer a request (its host): a decline needs its reason and is not scheduled.
#[utoipa::path(post, path = "/api/v1/events/{slug}/meetings/requests/{id}/answer", operation_id = "answer_meeting_request", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = i64, Path, minimum = 1)), request_body = HostAnswerInput,
    responses((status = 200, body = Answered)))]
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Id(id): Id<MeetingRequestId>,
    ApiJson(input): ApiJson<HostAnswerInput>,
) -> Result<Response, Error> {
    state
        .app
        .meetings()
        .answer(&ctx.principal, &slug, id, &input.into())
        .await?;
    Ok(ok(Answered { answered: id.0 }))
}

/// Record how a meeting went (its host, once it has begun).
#[utoipa::path(post, path = "/api/v1/events/{slug}/meetings/{id}/outcome", operation_id = "record_meeting_outcome", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = i64, Path, minimum = 1)), request_body = OutcomeInput,
    responses((status = 200, body = Recorded)))]
pub async fn outcome(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    Id(id): Id<MeetingId>,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> Result<Response, Error> {
    state
        .app
        .meetings()
        .record_outcome(&ctx.principal, &slug, id, &input.into())
        .await?;
    Ok(ok(Recorded { recorded: id.0 }))
}

/// A host asks a registered company for a meeting (+2 weight).
#[utoipa::path(post, path = "/api/v1/events/{slug}/meetings/invitations", operation_id = "invite_to_meeting", tag = "meetings",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = InvitationInput,
    responses((status = 201, description = "Asked", body = MeetingRequest),
        (status = 409, description = "Booking is closed, or already asked", body = Problem, content_type = "application/problem+json")))]
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Slug(slug): Slug,
    ApiJson(input): ApiJson<InvitationInput>,
) -> Result<Response, Error> {
    let r = state
        .app
        .meetings()
        .invite(&ctx.principal, &slug, &input.into())
        .await?;
    Ok(created(MeetingRequest::from(&r), None))
}
