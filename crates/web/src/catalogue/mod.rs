//! The agency's catalogue: parks, policies and success stories (API and pages).

pub mod api;
pub mod pages;

use crate::Routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .public("/api/v1/parks", api::parks)
        .post("/api/v1/parks", api::create_park)
        .put("/api/v1/parks/{id}", api::update_park)
        .public("/api/v1/policies", api::policies)
        .post("/api/v1/policies", api::create_policy)
        .put("/api/v1/policies/{id}", api::update_policy)
        .public("/api/v1/stories", api::stories)
        .post("/api/v1/stories", api::create_story)
        .put("/api/v1/stories/{id}", api::update_story)
        .get("/admin/parks", pages::parks)
        .post("/admin/parks", pages::create_park)
        .get("/admin/parks/{id}", pages::edit_park)
        .post("/admin/parks/{id}", pages::update_park)
        .get("/admin/policies", pages::policies)
        .post("/admin/policies", pages::create_policy)
        .get("/admin/policies/{id}", pages::edit_policy)
        .post("/admin/policies/{id}", pages::update_policy)
        .get("/admin/stories", pages::stories)
        .post("/admin/stories", pages::create_story)
        .get("/admin/stories/{id}", pages::edit_story)
        .post("/admin/stories/{id}", pages::update_story)
}
