//! The leads pipeline for investment officers and organisers: board, list, a lead's page
//! with its timeline, tasks, assignment rules, company merges, CSV export, and their API.

pub mod api;
pub mod companies;
pub mod lead_pages;
pub mod pages;

use crate::Routes;
use roadshow_app::Principal;
use roadshow_domain::leads::{LeadFilter, OwnerFilter, Stage};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::default()
        .get("/api/v1/leads", api::list)
        .post("/api/v1/leads", api::create)
        .get("/api/v1/leads/board", api::board)
        .get("/api/v1/leads.csv", api::export)
        .get("/api/v1/leads/rules", api::rules)
        .put("/api/v1/leads/rules", api::set_rules)
        .get("/api/v1/leads/{id}", api::lead)
        .put("/api/v1/leads/{id}", api::update)
        .post("/api/v1/leads/{id}/stage", api::stage)
        .post("/api/v1/leads/{id}/take", api::take)
        .get("/api/v1/leads/{id}/timeline", api::timeline)
        .post("/api/v1/leads/{id}/tasks", api::add_task)
        .get("/api/v1/tasks", api::my_tasks)
        .put("/api/v1/tasks/{id}", api::set_task)
        .get("/api/v1/companies/{id}/signals", api::signals)
        .get("/api/v1/companies/duplicates", api::duplicates)
        .post("/api/v1/companies/merges", api::merge)
        .post("/api/v1/companies/merges/{id}/undo", api::undo)
        .get("/admin/leads", pages::board)
        .post("/admin/leads", pages::create)
        .get("/admin/leads/list", pages::list)
        .get("/admin/leads/export.csv", pages::export)
        .get("/admin/leads/rules", pages::rules)
        .post("/admin/leads/rules", pages::save_rules)
        .get("/admin/leads/{id}", lead_pages::lead)
        .post("/admin/leads/{id}", lead_pages::update)
        .post("/admin/leads/{id}/stage", lead_pages::stage)
        .post("/admin/leads/{id}/take", lead_pages::take)
        .post("/admin/leads/{id}/tasks", lead_pages::add_task)
        .get("/admin/tasks", pages::tasks)
        .post("/admin/tasks/{id}", lead_pages::set_task)
        .get("/admin/companies", companies::page)
        .post("/admin/companies/merges", companies::merge)
        .post("/admin/companies/merges/{id}/undo", companies::undo)
}

/// A list's filters as a query string gives them (the API and the list page alike).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct FilterQuery {
    #[serde(default)]
    pub stage: Option<String>,
    /// `mine`, `pool`, or an account id.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub sector: Option<String>,
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub min_score: Option<String>,
    #[serde(default)]
    pub overdue: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
}

/// Rows per page of the list.
pub const PAGE_SIZE: i64 = 50;

impl FilterQuery {
    /// The filter, or the field that cannot be read.
    pub fn filter(&self, principal: &Principal) -> Result<LeadFilter, roadshow_app::AppError> {
        let bad = |field: &str| roadshow_app::AppError::invalid(field, "unknown_choice");
        // No control characters in any filter (PostgreSQL cannot even compare a NUL).
        for (field, value) in [
            ("stage", &self.stage),
            ("owner", &self.owner),
            ("country", &self.country),
            ("sector", &self.sector),
            ("district", &self.district),
            ("min_score", &self.min_score),
            ("overdue", &self.overdue),
            ("company", &self.company),
            ("page", &self.page),
        ] {
            if value
                .as_deref()
                .is_some_and(|v| roadshow_domain::validation::has_forbidden_control(v, false))
            {
                return Err(roadshow_app::AppError::invalid(field, "control_character"));
            }
        }
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let stage = match text(&self.stage) {
            Some(s) => Some(Stage::parse(&s).ok_or_else(|| bad("stage"))?),
            None => None,
        };
        let owner = match text(&self.owner).as_deref() {
            None | Some("all") => OwnerFilter::Anyone,
            Some("pool") => OwnerFilter::Pool,
            Some("mine") => match principal.staff() {
                Some(s) => OwnerFilter::Account(s.id),
                None => OwnerFilter::Anyone,
            },
            Some(id) => OwnerFilter::Account(roadshow_domain::AccountId(
                id.parse().map_err(|_| bad("owner"))?,
            )),
        };
        let number =
            |v: &Option<String>, field: &str| -> Result<Option<i64>, roadshow_app::AppError> {
                match text(v) {
                    Some(n) => n
                        .parse::<i64>()
                        .map(Some)
                        .map_err(|_| roadshow_app::AppError::invalid(field, "invalid_number")),
                    None => Ok(None),
                }
            };
        let page = number(&self.page, "page")?.unwrap_or(1).clamp(1, 10_000);
        let today = chrono::Utc::now()
            .with_timezone(&roadshow_domain::time::BEIJING)
            .date_naive();
        Ok(LeadFilter {
            stage,
            owner,
            country: text(&self.country),
            sector: text(&self.sector),
            district: text(&self.district),
            min_score: number(&self.min_score, "min_score")?,
            overdue_on: matches!(text(&self.overdue).as_deref(), Some("1" | "true"))
                .then_some(today),
            company: text(&self.company).map(|c| c.chars().take(100).collect()),
            offset: (page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        })
    }
}
