//! Departments (API and the organiser's page).

pub mod api;
pub mod pages;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api_public(routes!(api::departments))
        .api(routes!(api::create_department))
        .api(routes!(api::update_department))
        .get("/admin/departments", pages::departments)
        .post("/admin/departments", pages::create_department)
        .get("/admin/departments/{id}", pages::edit_department)
        .post("/admin/departments/{id}", pages::update_department)
}
