//! Departments (API and the organiser's page).

pub mod api;
pub mod pages;

use crate::Routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .public("/api/v1/departments", api::departments)
        .post("/api/v1/departments", api::create_department)
        .put("/api/v1/departments/{id}", api::update_department)
        .get("/admin/departments", pages::departments)
        .post("/admin/departments", pages::create_department)
        .get("/admin/departments/{id}", pages::edit_department)
        .post("/admin/departments/{id}", pages::update_department)
}
