//! Events: the public list and event page, the agenda as a calendar, and the organiser's
//! events, sessions and speakers (API and pages).

pub mod admin;
pub mod api;
pub mod pages;
pub mod sessions;
pub mod views;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api_public(routes!(api::list))
        .api(routes!(api::create))
        .api_public(routes!(api::show))
        .api(routes!(api::update))
        .api(routes!(api::create_session))
        .api(routes!(api::update_session))
        .api(routes!(api::delete_session))
        .api(routes!(api::add_speaker))
        .api(routes!(api::delete_speaker))
        .public("/", pages::home)
        .public("/events/{slug}", pages::event)
        .public("/events/{slug}/agenda.ics", pages::agenda_ics)
        .get("/preferences/timezone", pages::set_timezone)
        .get("/admin", admin::dashboard)
        .get("/admin/events/new", admin::new_event)
        .post("/admin/events", admin::create_event)
        .get("/admin/events/{slug}", admin::edit_event)
        .post("/admin/events/{slug}", admin::update_event)
        .post("/admin/events/{slug}/sessions", sessions::create_session)
        .get("/admin/sessions/{id}", sessions::edit_session)
        .post("/admin/sessions/{id}", sessions::update_session)
        .post("/admin/sessions/{id}/delete", sessions::delete_session)
        .post("/admin/sessions/{id}/speakers", sessions::add_speaker)
        .post("/admin/speakers/{id}/delete", sessions::delete_speaker)
}
