//! Events: the public list and event page, the agenda as a calendar, and the organiser's
//! events, sessions and speakers (API and pages).

pub mod admin;
pub mod api;
pub mod pages;
pub mod sessions;
pub mod views;

use crate::Routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .public("/api/v1/events", api::list)
        .post("/api/v1/events", api::create)
        .public("/api/v1/events/{slug}", api::show)
        .put("/api/v1/events/{slug}", api::update)
        .post("/api/v1/events/{slug}/sessions", api::create_session)
        .put("/api/v1/sessions/{id}", api::update_session)
        .delete("/api/v1/sessions/{id}", api::delete_session)
        .post("/api/v1/sessions/{id}/speakers", api::add_speaker)
        .delete("/api/v1/speakers/{id}", api::delete_speaker)
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
