//! The report: what an event achieved, as JSON, as a page with charts, and as tables
//! (CSV each, XLSX all), as a PDF in each language; the press-release draft made from it.

pub mod agency;
pub mod api;
pub mod chart;
pub mod labels;
pub mod outcomes;
pub mod pages;
pub mod pdf;
pub mod press;
pub mod schedule;
pub mod tables;
pub mod wire;

use crate::Routes;
use wire::ReportHeadline;

/// Reads one figure of a headline.
pub type Figure = fn(&ReportHeadline) -> u64;

/// The headline's figures in order, by their catalogue key (`report-<key>`): the rows of
/// the comparison with earlier events.
pub const HEADLINE: &[(&str, Figure)] = &[
    ("registered", |h| h.registered),
    ("attended", |h| h.attended),
    ("peak-concurrent", |h| h.peak_concurrent),
    ("countries", |h| h.countries),
    ("companies", |h| h.companies),
    ("questions", |h| h.questions),
    ("answered", |h| h.answered),
    ("meetings-held", |h| h.meetings_held),
    ("survey-answers", |h| h.survey_answers),
    ("leads", |h| h.leads),
    ("signed", |h| h.signed),
];
use utoipa_axum::routes;

/// The routes of this capability.
pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::report))
        .api(routes!(api::table))
        .api(routes!(api::workbook))
        .api(routes!(api::pdf))
        .api(routes!(press::show, press::save, press::reset))
        .api(routes!(agency::report))
        .api(routes!(schedule::show, schedule::replace))
        .get("/admin/reports", agency::dashboard)
        .get("/admin/events/{slug}/report", pages::report)
        // The downloads as the page links them, with the staff's sign-in cookie.
        .get("/admin/events/{slug}/report.xlsx", api::workbook)
        .get("/admin/events/{slug}/report.pdf", api::pdf)
        .get("/admin/events/{slug}/report/tables/{table}", api::table)
        .get("/admin/events/{slug}/report/schedule", schedule::edit)
        .post("/admin/events/{slug}/report/schedule", schedule::submit)
        .get("/admin/events/{slug}/press-release", press::edit)
        .post("/admin/events/{slug}/press-release", press::submit)
        .get("/admin/events/{slug}/press-release.md", press::markdown)
        .get("/admin/events/{slug}/press-release.txt", press::text)
}
