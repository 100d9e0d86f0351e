//! The intent survey: the organiser's page and API, and a participant's survey, opened
//! from the personal page (cookie) or from the email's own link.

pub mod api;
pub mod pages;
pub mod wire;
pub mod wording;

use crate::Routes;
use utoipa_axum::routes;

pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::survey, api::save))
        .api(routes!(api::send))
        .api(routes!(api::mine, api::answer))
        .get("/admin/events/{slug}/survey", pages::organiser)
        .post("/admin/events/{slug}/survey", pages::save)
        .post("/admin/events/{slug}/survey/send", pages::send)
        .get("/events/{slug}/survey", pages::form)
        .post("/events/{slug}/survey", pages::answer)
        .get("/survey/{token}", pages::link_form)
        .post("/survey/{token}", pages::link_answer)
}
