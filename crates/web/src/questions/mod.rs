//! Questions of the live exchange: asking, voting, moderation, answers, the FAQ and the
//! export (API and pages).

pub mod api;
pub mod json;
pub mod moderation;
pub mod pages;

use crate::Routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .post("/api/v1/events/{slug}/questions", api::ask)
        .get("/api/v1/events/{slug}/questions", api::list)
        .get("/api/v1/events/{slug}/questions.csv", api::csv)
        .get("/api/v1/questions/{id}", api::show)
        .post("/api/v1/questions/{id}/vote", api::vote)
        .delete("/api/v1/questions/{id}/vote", api::unvote)
        .post("/api/v1/questions/{id}/moderation", api::moderate)
        .post("/api/v1/questions/{id}/answers", api::answer)
        .get("/api/v1/assignments", api::assignments)
        .put(
            "/api/v1/events/{slug}/qa-settings",
            api::set_answer_settings,
        )
        .public("/api/v1/events/{slug}/faq", api::faq)
        .post("/events/{slug}/questions", pages::ask)
        .post("/questions/{id}/vote", pages::vote)
        .public("/events/{slug}/faq", pages::faq)
        .get("/admin/events/{slug}/moderation", moderation::console)
        .post("/admin/questions/{id}/moderation", moderation::moderate)
        .post("/admin/events/{slug}/qa-settings", moderation::settings)
        .get("/admin/events/{slug}/questions.csv", moderation::csv)
        .get("/admin/questions", moderation::assignments)
        .post("/admin/questions/{id}/answers", moderation::answer)
}
