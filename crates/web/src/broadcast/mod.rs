//! The broadcast: the stream in the live and replay pages, the check before going live,
//! heartbeats, attendance, chapters and captions (API and pages).

pub mod api;
pub mod pages;
pub mod player;
pub mod sample;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::check))
        .api(routes!(api::heartbeat))
        .api(routes!(api::attendance))
        .api(routes!(api::chapters_vtt))
        .api(routes!(api::chapters_text))
        .api(routes!(api::captions))
        .api_upload(
            routes!(api::caption, api::upload_caption, api::delete_caption),
            roadshow_domain::broadcast::CAPTIONS_MAX_BYTES + 64 * 1024,
        )
        .post("/events/{slug}/heartbeats", pages::heartbeat)
        .get("/demo/stream/{mode}/{name}", sample::sample)
        .get("/events/{slug}/replay", pages::replay)
        // The replay's tracks as the browser fetches them, with the visitor's cookie.
        .get("/events/{slug}/chapters.vtt", api::chapters_vtt)
        .get("/events/{slug}/captions/{language}", api::caption)
        .get("/admin/events/{slug}/attendance", pages::attendance)
        .post("/admin/events/{slug}/stream/check", pages::check)
        .post_upload(
            "/admin/events/{slug}/captions",
            pages::upload_captions,
            roadshow_domain::broadcast::CAPTIONS_MAX_BYTES + 64 * 1024,
        )
}
