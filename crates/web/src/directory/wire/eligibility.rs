//! Eligibility on the wire: a company's profile and how each policy fits it.

use super::items::{CriterionValue, Operator, ProfileField};
use crate::api::{CountryCode, IndustryCode, Language};
use crate::schema::{self, Lines};
use roadshow_domain::directory::eligibility::{DISTRICT_MAX, NUMBER_MAX, PERCENT_MAX};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};

/// A company's profile: every field optional; a criterion on a missing field is reported
/// as "not given".
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct Profile {
    #[schema(value_type = Option<IndustryCode>)]
    pub sector: Option<String>,
    #[schema(schema_with = amount)]
    pub employees: Option<f64>,
    /// Yuan per year.
    #[schema(schema_with = amount)]
    pub annual_revenue_cny: Option<f64>,
    /// Yuan, the project's total investment.
    #[schema(schema_with = amount)]
    pub planned_investment_cny: Option<f64>,
    #[schema(schema_with = percent)]
    pub foreign_ownership_pct: Option<f64>,
    /// Research and development spending as per cent of revenue.
    #[schema(schema_with = percent)]
    pub rd_spending_pct: Option<f64>,
    /// The district the company sets up in (English name, e.g. `Shunyi`).
    #[schema(schema_with = district)]
    pub district: Option<String>,
    /// A regional headquarters.
    pub headquarters: Option<bool>,
    #[schema(schema_with = amount)]
    pub years_in_operation: Option<f64>,
    /// The parent company's country.
    #[schema(value_type = Option<CountryCode>)]
    pub country: Option<String>,
    /// The language of the explanations (default: the request's).
    #[schema(schema_with = profile_lang)]
    pub language: Option<String>,
}

impl From<Profile> for roadshow_domain::directory::Profile {
    fn from(p: Profile) -> Self {
        roadshow_domain::directory::Profile {
            sector: p.sector,
            employees: p.employees,
            annual_revenue_cny: p.annual_revenue_cny,
            planned_investment_cny: p.planned_investment_cny,
            foreign_ownership_pct: p.foreign_ownership_pct,
            rd_spending_pct: p.rd_spending_pct,
            district: p.district,
            headquarters: p.headquarters,
            years_in_operation: p.years_in_operation,
            country: p.country,
            language: p.language,
        }
    }
}

/// How a policy fits a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    Eligible,
    NearlyEligible,
    NotEligible,
}

/// How many policies fit, nearly fit and do not.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FitCounts {
    pub eligible: usize,
    pub nearly_eligible: usize,
    pub not_eligible: usize,
}

/// A policy as an answer names it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyLink {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub url: String,
}

/// A park as an answer names it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ParkLink {
    pub slug: String,
    pub name: String,
    pub url: String,
}

/// One criterion checked against the profile, explained.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckedCriterion {
    pub field: ProfileField,
    pub field_label: String,
    pub op: Operator,
    pub value: CriterionValue,
    pub value_label: String,
    /// The rule in words.
    pub rule: String,
    pub met: bool,
    /// The profile's value, or null when it does not give it.
    pub actual: Option<String>,
    /// For a failing number: how far off, in the field's unit.
    pub gap: Option<f64>,
    /// The whole check in one sentence.
    pub explanation: String,
}

/// One policy's answer for a profile.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Eligibility {
    pub policy: PolicyLink,
    pub status: Fit,
    /// 0–1: how much of the policy the profile meets.
    pub fit: f64,
    /// The failing criteria, explained.
    pub failing: Vec<String>,
    pub criteria: Vec<CheckedCriterion>,
    /// Where an eligible policy applies.
    pub parks: Vec<ParkLink>,
}

/// Every current policy for a profile, best fit first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EligibilityResults {
    pub language: Language,
    pub counts: FitCounts,
    pub results: Vec<Eligibility>,
}

pub(super) fn amount() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Number, Type::Null]))
        .minimum(Some(0))
        .maximum(Some(NUMBER_MAX))
        .build()
}

pub(super) fn percent() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Number, Type::Null]))
        .minimum(Some(0))
        .maximum(Some(PERCENT_MAX))
        .build()
}

pub(super) fn district() -> Object {
    schema::optional_text(DISTRICT_MAX, Lines::One)
}

pub(super) fn profile_lang() -> Object {
    schema::optional_one_of(&["de", "en", "zh", "fr"])
}
