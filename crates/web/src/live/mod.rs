//! Following the live exchange: the live page and stream, and the session on now.

pub mod api;
pub mod pages;
pub mod stream;

use crate::Routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .stream("/api/v1/events/{slug}/live", stream::follow)
        .put("/api/v1/events/{slug}/live/session", api::set_session)
        .get("/events/{slug}/live", pages::live)
        .stream("/events/{slug}/live/stream", stream::follow)
        .post("/admin/events/{slug}/live/session", pages::set_session)
}
