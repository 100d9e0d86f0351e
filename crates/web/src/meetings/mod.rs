//! 1:1 meetings: the scheduler in the API and on the organiser's page.

pub mod api;
pub mod booking_api;
pub mod booking_pages;
pub mod host_pages;
pub mod pages;
pub mod participant_pages;
pub mod wire;

use crate::Routes;
use roadshow_app::meetings::SCHEDULE_BODY_LIMIT;
use utoipa_axum::routes;

/// The routes of this capability: the scheduler (instances are larger than other
/// bodies, hence their own limit) and meeting booking on events.
pub fn routes() -> Routes {
    Routes::default()
        .api_upload(routes!(api::schedule), SCHEDULE_BODY_LIMIT)
        .get("/admin/scheduler", pages::scheduler)
        .post_upload(
            "/admin/scheduler",
            pages::run_scheduler,
            SCHEDULE_BODY_LIMIT,
        )
        .api(routes!(booking_api::booking, booking_api::save_booking))
        .api(routes!(booking_api::proposal))
        .api(routes!(booking_api::confirm))
        .api(routes!(booking_api::mine))
        .api(routes!(booking_api::request))
        .api(routes!(booking_api::withdraw))
        .api(routes!(booking_api::availability))
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
        .api(routes!(booking_api::host))
        .api(routes!(booking_api::invite))
        .post(
            "/admin/events/{slug}/meetings/invitations",
            host_pages::invite,
        )
        .api(routes!(booking_api::answer))
        .api(routes!(booking_api::outcome))
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
