//! The report: what an event achieved, as JSON, as a page with charts, and as tables
//! (CSV each, XLSX all).

pub mod api;
pub mod chart;
pub mod labels;
pub mod pages;
pub mod tables;
pub mod wire;

use crate::Routes;
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::report))
        .api(routes!(api::table))
        .api(routes!(api::workbook))
        .get("/admin/events/{slug}/report", pages::report)
        // The downloads as the page links them, with the staff's sign-in cookie.
        .get("/admin/events/{slug}/report.xlsx", api::workbook)
        .get("/admin/events/{slug}/report/tables/{table}", api::table)
}
