//! Privacy: the notice, the participant's consents, export and erasure, and the
//! organiser's requests, retention, recipients, audit log and data map.

pub mod admin;
pub mod api;
pub mod pages;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::mine))
        .api(routes!(api::set_consents))
        .api(routes!(api::request_export))
        .api(routes!(api::download_export))
        .api(routes!(api::request_erasure))
        .api(routes!(api::export_participant))
        .api(routes!(api::erase_participant))
        .api(routes!(api::requests))
        .api(routes!(api::refuse))
        .api(routes!(api::retention, api::set_retention))
        .api(routes!(api::recipients, api::add_recipient))
        .api(routes!(api::remove_recipient))
        .api(routes!(api::audit_head))
        .api(routes!(api::data_map))
        .get("/privacy", pages::notice)
        .get("/p/{token}/privacy", pages::mine)
        .post("/p/{token}/privacy/consents", pages::save_consents)
        .post("/p/{token}/privacy/export", pages::request_export)
        .post("/p/{token}/privacy/erasure", pages::request_erasure)
        .get("/p/{token}/privacy/exports/{id}", pages::export_page)
        .get("/p/{token}/privacy/exports/{id}/file", pages::export_file)
        .get("/privacy/erasure/{confirm}", pages::confirm_form)
        .post("/privacy/erasure/{confirm}", pages::confirm)
        .get("/admin/privacy", admin::show)
        .post("/admin/privacy/retention", admin::save_retention)
        .post("/admin/privacy/requests/{id}/refusal", admin::refuse)
        .post("/admin/privacy/recipients", admin::add_recipient)
        .post(
            "/admin/privacy/recipients/{id}/delete",
            admin::remove_recipient,
        )
        .get("/admin/privacy/participants/{id}/export", admin::export)
        .post("/admin/privacy/participants/{id}/erasure", admin::erase)
        .get("/admin/privacy/audit-head", admin::audit_head)
}
