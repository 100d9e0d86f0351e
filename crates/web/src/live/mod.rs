//! Following the live exchange: the live page and stream, and the session on now.

pub mod api;
pub mod pages;
pub mod stream;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api_stream(routes!(stream::follow))
        .api(routes!(api::set_session))
        .get("/events/{slug}/live", pages::live)
        .stream("/events/{slug}/live/stream", stream::follow)
        .post("/admin/events/{slug}/live/session", pages::set_session)
}
