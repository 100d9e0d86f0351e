//! The intent survey: the organiser's page and API, and a participant's survey, opened
//! from the personal page (cookie) or from the email's own link.

pub mod api;
pub mod pages;

use crate::Routes;

pub fn routes() -> Routes {
    Routes::default()
        .get("/api/v1/events/{slug}/survey", api::survey)
        .put("/api/v1/events/{slug}/survey", api::save)
        .post("/api/v1/events/{slug}/survey/send", api::send)
        .get("/api/v1/events/{slug}/survey/answers", api::mine)
        .put("/api/v1/events/{slug}/survey/answers", api::answer)
        .get("/admin/events/{slug}/survey", pages::organiser)
        .post("/admin/events/{slug}/survey", pages::save)
        .post("/admin/events/{slug}/survey/send", pages::send)
        .get("/events/{slug}/survey", pages::form)
        .post("/events/{slug}/survey", pages::answer)
        .get("/survey/{token}", pages::link_form)
        .post("/survey/{token}", pages::link_answer)
}
