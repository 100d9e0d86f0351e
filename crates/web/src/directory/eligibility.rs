//! The eligibility page: a company's profile from the query string (so a result can be
//! linked and the participant's page can fill it in), every current policy's answer
//! grouped by verdict, each criterion explained in the reader's language.

use super::explain::{field_label, sentence};
use super::hit_url;
use crate::AppState;
use crate::caller::Ctx;
use crate::error::Error;
use crate::forms::Choice;
use crate::pages::render_status;
use crate::views::{LText, industry_label, loc};
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roadshow_app::AppError;
use roadshow_app::directory::{Match, Noticed};
use roadshow_domain::directory::eligibility::{Field, Profile, Status};
use roadshow_domain::directory::search::Kind;
use roadshow_domain::reference::INDUSTRIES;
use std::collections::BTreeMap;

pub struct CheckView {
    pub met: bool,
    pub text: String,
}

pub struct MatchView {
    pub title: LText,
    pub url: String,
    pub status: &'static str,
    pub checks: Vec<CheckView>,
    pub parks: Vec<(String, LText)>,
}

#[derive(Template)]
#[template(path = "eligibility.html")]
struct EligibilityPage<'a> {
    ctx: &'a Ctx,
    form: crate::forms::FormState,
    sectors: Vec<Choice>,
    districts: Vec<Choice>,
    countries: Vec<Choice>,
    number_fields: Vec<(String, String)>,
    asked: bool,
    groups: Vec<(String, &'static str, Vec<MatchView>)>,
    errors: Vec<(String, String)>,
}

fn match_view(ctx: &Ctx, m: &Match) -> MatchView {
    MatchView {
        title: loc(ctx, &m.policy.title),
        url: hit_url(Kind::Policy, &m.policy.slug),
        status: m.assessment.status.code(),
        checks: m
            .assessment
            .checks
            .iter()
            .filter_map(|c| {
                Some(CheckView {
                    met: c.met,
                    text: sentence(ctx.lang, m.policy.criteria.get(c.index)?, c),
                })
            })
            .collect(),
        parks: m
            .parks
            .iter()
            .map(|p| (hit_url(Kind::Park, &p.slug), loc(ctx, &p.name)))
            .collect(),
    }
}

fn number_param(form: &BTreeMap<String, String>, field: &str) -> Result<Option<f64>, AppError> {
    match form.get(field).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .replace(['\u{202f}', ' ', '\''], "")
            .replace(',', ".")
            .parse::<f64>()
            .map(Some)
            .map_err(|_| AppError::invalid(field, "invalid_number")),
    }
}

/// The profile from the page's query string; every unreadable number is named.
fn profile_of(form: &BTreeMap<String, String>) -> Result<Profile, AppError> {
    let mut errors = Vec::new();
    let mut number = |f: &str| match number_param(form, f) {
        Ok(v) => v,
        Err(AppError::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(_) => None,
    };
    let profile = Profile {
        employees: number("employees"),
        annual_revenue_cny: number("annual_revenue_cny"),
        planned_investment_cny: number("planned_investment_cny"),
        foreign_ownership_pct: number("foreign_ownership_pct"),
        rd_spending_pct: number("rd_spending_pct"),
        years_in_operation: number("years_in_operation"),
        sector: form.get("sector").cloned().filter(|v| !v.is_empty()),
        district: form.get("district").cloned().filter(|v| !v.is_empty()),
        country: form.get("country").cloned().filter(|v| !v.is_empty()),
        headquarters: match form.get("headquarters").map(String::as_str) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        },
        language: None,
    };
    if errors.is_empty() {
        Ok(profile)
    } else {
        Err(AppError::Invalid(errors))
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    pairs: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, Error> {
    let pairs = pairs.map(|Query(p)| p).unwrap_or_default();
    let form_map: BTreeMap<String, String> = pairs.iter().cloned().collect();
    let asked = form_map.values().any(|v| !v.trim().is_empty());
    let mut form = crate::forms::FormState::from_data(&crate::forms::FormData(pairs));
    let mut groups = Vec::new();
    let mut errors = Vec::new();
    let mut status = StatusCode::OK;
    // The districts come from the directory, which the search builds.
    state.app.directory().fresh().await?;
    if asked {
        let outcome = match profile_of(&form_map) {
            Ok(profile) => state.app.directory().eligibility(&profile).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(matches) => {
                state
                    .app
                    .directory()
                    .notice(&ctx.principal, Noticed::Checked(&matches));
                for (s, key, class) in [
                    (Status::Eligible, "eligibility-eligible", "eligible"),
                    (Status::NearlyEligible, "eligibility-nearly", "nearly"),
                    (Status::NotEligible, "eligibility-not", "not"),
                ] {
                    let list: Vec<MatchView> = matches
                        .iter()
                        .filter(|m| m.assessment.status == s)
                        .map(|m| match_view(&ctx, m))
                        .collect();
                    groups.push((ctx.tn(key, list.len() as i64), class, list));
                }
            }
            Err(AppError::Invalid(fields)) => {
                errors = crate::views::field_errors(&ctx, &fields);
                form = form.with_errors(&ctx, &fields);
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(e) => return Err(Error(e)),
        }
    }
    let number_fields = [
        Field::Employees,
        Field::AnnualRevenueCny,
        Field::PlannedInvestmentCny,
        Field::ForeignOwnershipPct,
        Field::RdSpendingPct,
        Field::YearsInOperation,
    ]
    .iter()
    .map(|f| (f.code().to_string(), field_label(ctx.lang, *f)))
    .collect();
    Ok(render_status(
        status,
        &EligibilityPage {
            sectors: INDUSTRIES
                .iter()
                .map(|c| Choice {
                    value: c.to_string(),
                    label: industry_label(&ctx, c),
                })
                .collect(),
            districts: super::pages::district_names(&state, &ctx)
                .into_iter()
                .map(|(value, label)| Choice { value, label })
                .collect(),
            countries: crate::views::country_choices(&ctx),
            number_fields,
            asked,
            groups,
            errors,
            form,
            ctx: &ctx,
        },
    ))
}
