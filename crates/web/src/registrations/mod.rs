//! Registrations: the sign-up form and API, the participant's own page, and the
//! organiser's list and export.

pub mod api;
pub mod pages;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::create))
        .api(routes!(api::list))
        .api(routes!(api::csv))
        .api(routes!(api::show))
        .get("/events/{slug}/register", pages::register_form)
        .post("/events/{slug}/register", pages::register)
        .get("/p/{token}", pages::participant)
        .get("/admin/events/{slug}/registrations", pages::registrations)
        .get(
            "/admin/events/{slug}/registrations.csv",
            pages::registrations_csv,
        )
}
