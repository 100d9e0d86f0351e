//! 1:1 meetings: the scheduler in the API and on the organiser's page.

pub mod api;
pub mod booking_api;
pub mod booking_pages;
pub mod host_pages;
pub mod pages;
pub mod participant_pages;

use crate::Routes;
use roadshow_app::meetings::SCHEDULE_BODY_LIMIT;

/// The routes of this capability: the scheduler (instances are larger than other
/// bodies, hence their own limit) and meeting booking on events.
pub fn routes() -> Routes {
    Routes::default()
        .post_upload(
            "/api/v1/meetings/schedule",
            api::schedule,
            SCHEDULE_BODY_LIMIT,
        )
        .get("/admin/scheduler", pages::scheduler)
        .post_upload(
            "/admin/scheduler",
            pages::run_scheduler,
            SCHEDULE_BODY_LIMIT,
        )
        .get(
            "/api/v1/events/{slug}/meetings/booking",
            booking_api::booking,
        )
        .put(
            "/api/v1/events/{slug}/meetings/booking",
            booking_api::save_booking,
        )
        .post(
            "/api/v1/events/{slug}/meetings/proposal",
            booking_api::proposal,
        )
        .post(
            "/api/v1/events/{slug}/meetings/confirm",
            booking_api::confirm,
        )
        .get("/api/v1/events/{slug}/meetings", booking_api::mine)
        .post(
            "/api/v1/events/{slug}/meetings/requests",
            booking_api::request,
        )
        .delete(
            "/api/v1/events/{slug}/meetings/requests/{id}",
            booking_api::withdraw,
        )
        .put(
            "/api/v1/events/{slug}/meetings/availability",
            booking_api::availability,
        )
        .get("/admin/events/{slug}/meetings", booking_pages::organiser)
        .post("/admin/events/{slug}/meetings", booking_pages::save)
        .post(
            "/admin/events/{slug}/meetings/proposal",
            booking_pages::propose,
        )
        .post(
            "/admin/events/{slug}/meetings/confirm",
            booking_pages::confirm,
        )
        .get("/events/{slug}/meetings", participant_pages::participant)
        .post("/events/{slug}/meetings/requests", participant_pages::ask)
        .post(
            "/events/{slug}/meetings/requests/{id}/withdraw",
            participant_pages::withdraw,
        )
        .post(
            "/events/{slug}/meetings/availability",
            participant_pages::availability,
        )
        .get(
            "/events/{slug}/meetings/{id}/invitation.ics",
            participant_pages::invitation,
        )
        .get("/api/v1/events/{slug}/meetings/host", booking_api::host)
        .post(
            "/api/v1/events/{slug}/meetings/invitations",
            booking_api::invite,
        )
        .post(
            "/admin/events/{slug}/meetings/invitations",
            host_pages::invite,
        )
        .post(
            "/api/v1/events/{slug}/meetings/requests/{id}/answer",
            booking_api::answer,
        )
        .post(
            "/api/v1/events/{slug}/meetings/{id}/outcome",
            booking_api::outcome,
        )
        .get("/admin/events/{slug}/meetings/host", host_pages::host)
        .post(
            "/admin/events/{slug}/meetings/requests/{id}/answer",
            host_pages::answer,
        )
        .post(
            "/admin/events/{slug}/meetings/{id}/outcome",
            host_pages::outcome,
        )
}
