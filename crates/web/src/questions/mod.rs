//! Questions of the live exchange: asking, voting, moderation, answers, the FAQ and the
//! export (API and pages).

pub mod answering;
pub mod api;
pub mod moderation;
pub mod pages;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::ask))
        .api(routes!(api::list))
        .api(routes!(api::csv))
        .api(routes!(api::show))
        .api(routes!(api::vote, api::unvote))
        .api(routes!(api::moderate))
        .api(routes!(api::answer))
        .api(routes!(api::assignments))
        .api(routes!(api::set_answer_settings))
        .api_public(routes!(api::faq))
        .post("/events/{slug}/questions", pages::ask)
        .post("/questions/{id}/vote", pages::vote)
        .public("/events/{slug}/faq", pages::faq)
        .get("/admin/events/{slug}/moderation", moderation::console)
        .get(
            "/admin/events/{slug}/moderation/questions/{id}",
            moderation::console_card,
        )
        .post("/admin/questions/{id}/moderation", moderation::moderate)
        .post("/admin/events/{slug}/qa-settings", moderation::settings)
        .get("/admin/events/{slug}/questions.csv", moderation::csv)
        .get("/admin/questions", answering::assignments)
        .get("/admin/questions/{id}/card", answering::assignment_card)
        .post("/admin/questions/{id}/answers", answering::answer)
}
