//! The outbox of emails (API and the organiser's page).

pub mod api;
pub mod pages;

use crate::Routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .get("/api/v1/outbox", api::outbox)
        .get("/admin/outbox", pages::outbox)
}
