//! Polls of the live exchange (API and pages).

pub mod api;
pub mod json;
pub mod pages;

use crate::Routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .get("/api/v1/events/{slug}/polls", api::polls)
        .post("/api/v1/events/{slug}/polls", api::create_poll)
        .post("/api/v1/polls/{id}/state", api::poll_state)
        .post("/api/v1/polls/{id}/votes", api::vote_poll)
        .post("/polls/{id}/vote", pages::vote_poll)
        .get("/admin/events/{slug}/polls", pages::polls)
        .post("/admin/events/{slug}/polls", pages::create_poll)
        .post("/admin/polls/{id}", pages::poll_action)
}
