//! The report: what an event achieved, as JSON and as a page with charts.

pub mod api;
pub mod chart;
pub mod labels;
pub mod pages;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::report))
        .get("/admin/events/{slug}/report", pages::report)
}
