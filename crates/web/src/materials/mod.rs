//! Materials of sessions: uploads, links and downloads (API and pages).

pub mod api;
pub mod pages;
pub mod views;

pub use views::{MaterialView, material_json, material_view};

use crate::Routes;

/// The routes of this capability; `upload_limit` bounds upload bodies.
pub fn routes(upload_limit: usize) -> Routes {
    Routes::default()
        .post("/api/v1/sessions/{id}/materials", api::add_material_link)
        .post_upload(
            "/api/v1/sessions/{id}/materials/upload",
            api::upload_material,
            upload_limit,
        )
        .delete("/api/v1/materials/{id}", api::delete_material)
        .get("/materials/{id}", pages::material)
        .post_upload(
            "/admin/sessions/{id}/materials",
            pages::add_material,
            upload_limit,
        )
        .post("/admin/materials/{id}/delete", pages::delete_material)
}
