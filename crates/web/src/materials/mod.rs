//! Materials of sessions: uploads, links and downloads (API and pages).

pub mod api;
pub mod pages;
pub mod views;
pub mod wire;

pub use views::{MaterialView, material_view};

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability; `upload_limit` bounds upload bodies.
pub fn routes(upload_limit: usize) -> Routes {
    Routes::default()
        .api(routes!(api::add_material_link))
        .api_upload(routes!(api::upload_material), upload_limit)
        .api(routes!(api::delete_material))
        .get("/materials/{id}", pages::material)
        .post_upload(
            "/admin/sessions/{id}/materials",
            pages::add_material,
            upload_limit,
        )
        .post("/admin/materials/{id}/delete", pages::delete_material)
}
