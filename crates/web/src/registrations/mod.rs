//! Registrations: the sign-up form and API, the participant's own page, and the
//! organiser's list and export.

pub mod api;
pub mod pages;

use crate::Routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .post("/api/v1/events/{slug}/registrations", api::create)
        .get("/api/v1/events/{slug}/registrations", api::list)
        .get("/api/v1/events/{slug}/registrations.csv", api::csv)
        .get("/api/v1/registrations/{id}", api::show)
        .get("/events/{slug}/register", pages::register_form)
        .post("/events/{slug}/register", pages::register)
        .get("/p/{token}", pages::participant)
        .get("/admin/events/{slug}/registrations", pages::registrations)
        .get(
            "/admin/events/{slug}/registrations.csv",
            pages::registrations_csv,
        )
}
