//! Polls of the live exchange (API and pages).

pub mod api;
pub mod pages;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::polls, api::create_poll))
        .api(routes!(api::poll_state))
        .api(routes!(api::vote_poll))
        .post("/polls/{id}/vote", pages::vote_poll)
        .get("/admin/events/{slug}/polls", pages::polls)
        .post("/admin/events/{slug}/polls", pages::create_poll)
        .post("/admin/polls/{id}", pages::poll_action)
}
