//! Webhooks: the organiser's endpoints and their delivery log (API and page).

pub mod api;
pub mod pages;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::list, api::add))
        .api(routes!(api::get, api::remove))
        .api(routes!(api::enable))
        .api(routes!(api::deliveries))
        .api(routes!(api::resend))
        .get("/admin/webhooks", pages::list)
        .post("/admin/webhooks", pages::add)
        .get("/admin/webhooks/{id}", pages::show)
        .post("/admin/webhooks/{id}/delete", pages::remove)
        .post("/admin/webhooks/{id}/enable", pages::enable)
        .post("/admin/webhooks/deliveries/{id}/resend", pages::resend)
}
