//! The leads pipeline for investment officers and organisers: board, list, a lead's page
//! with its timeline, tasks, assignment rules, company merges, CSV export, and their API.

pub mod api;
pub mod companies;
pub mod lead_pages;
pub mod pages;
pub mod stream;
pub mod wire;

use crate::Routes;
use roadshow_app::Principal;
use roadshow_domain::leads::{LeadFilter, OwnerFilter, Stage};
use utoipa_axum::routes;

pub fn routes() -> Routes {
    Routes::default()
        .api(routes!(api::list, api::create))
        .api(routes!(api::board))
        .api_stream(routes!(stream::follow_board))
        .api(routes!(api::export))
        .api(routes!(api::rules, api::set_rules))
        .api(routes!(api::lead, api::update))
        .api(routes!(api::stage))
        .api(routes!(api::take))
        .api(routes!(api::timeline))
        .api(routes!(api::add_task))
        .api(routes!(api::my_tasks))
        .api(routes!(api::set_task))
        .api(routes!(api::signals))
        .api(routes!(api::duplicates))
        .api(routes!(api::merge))
        .api(routes!(api::undo))
        .get("/admin/leads", pages::board)
        .post("/admin/leads", pages::create)
        .stream("/admin/leads/stream", stream::follow_board)
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

/// Rows per page of the list.
pub const PAGE_SIZE: i64 = 50;
/// The last page a list is read to.
pub const PAGE_MAX: i64 = 10_000;

pub use wire::FilterQuery;

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
        let page = number(&self.page, "page")?.unwrap_or(1);
        if !(1..=PAGE_MAX).contains(&page) {
            return Err(roadshow_app::AppError::Invalid(vec![
                roadshow_domain::FieldError::range("page", 1, PAGE_MAX as usize),
            ]));
        }
        let today = roadshow_app::today_in_beijing();
        Ok(LeadFilter {
            stage,
            owner,
            country: text(&self.country),
            sector: text(&self.sector),
            district: text(&self.district),
            min_score: number(&self.min_score, "min_score")?,
            overdue_on: match text(&self.overdue).as_deref() {
                None | Some("0" | "false") => None,
                Some("1" | "true") => Some(today),
                Some(_) => return Err(bad("overdue")),
            },
            company: text(&self.company).map(|c| c.chars().take(100).collect()),
            offset: (page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        })
    }
}
