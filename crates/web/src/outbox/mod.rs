//! The outbox of emails (API and the organiser's page).

pub mod api;
pub mod pages;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::outbox))
        .get("/admin/outbox", pages::outbox)
}
