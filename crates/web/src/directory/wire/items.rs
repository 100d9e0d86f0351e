//! The directory's items on the wire: parks, policies (with their eligibility criteria)
//! and success stories, as given and as an organiser sends them.

use crate::api::{CountryCode, IndustryCode};
use crate::schema::{self, Lines};
use roadshow_domain::Localized;
use roadshow_domain::directory::eligibility::{Field, Op, Threshold};
use roadshow_domain::directory::{self as domain, CONTACT_MAX, EXTERNAL_ID_MAX, LIST_MAX};
use roadshow_domain::events::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ArrayBuilder, Schema};

/// An industrial park.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Park {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub agency_id: i64,
    pub slug: String,
    #[schema(schema_with = schema::localized_out)]
    pub name: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub district: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub summary: Localized,
    #[schema(value_type = Vec<IndustryCode>)]
    pub focus_industries: Vec<String>,
    pub area_km2: Option<f64>,
    pub website: Option<String>,
    pub contact: Option<String>,
    /// Invented demo content, shown as such.
    pub is_sample: bool,
    /// Policies that apply in the park.
    pub policy_ids: Vec<i64>,
    /// Its id in the file it was imported from.
    pub external_id: Option<String>,
    pub address: Option<String>,
    /// WGS 84 degrees.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Kept, but no longer shown, searched or matched.
    pub archived: bool,
}

impl From<&domain::Park> for Park {
    fn from(p: &domain::Park) -> Self {
        Park {
            id: p.id.0,
            agency_id: p.agency_id.0,
            slug: p.slug.clone(),
            name: p.name.clone(),
            district: p.district.clone(),
            summary: p.summary.clone(),
            focus_industries: p.focus_industries.clone(),
            area_km2: p.area_km2,
            website: p.website.clone(),
            contact: p.contact.clone(),
            is_sample: p.is_sample,
            policy_ids: p.policy_ids.iter().map(|i| i.0).collect(),
            external_id: p.external_id.clone(),
            address: p.address.clone(),
            latitude: p.latitude,
            longitude: p.longitude,
            archived: p.archived,
        }
    }
}

/// The field of a company profile a criterion tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProfileField {
    Sector,
    Employees,
    AnnualRevenueCny,
    PlannedInvestmentCny,
    ForeignOwnershipPct,
    RdSpendingPct,
    District,
    Headquarters,
    YearsInOperation,
    Country,
}

impl From<Field> for ProfileField {
    fn from(f: Field) -> Self {
        match f {
            Field::Sector => ProfileField::Sector,
            Field::Employees => ProfileField::Employees,
            Field::AnnualRevenueCny => ProfileField::AnnualRevenueCny,
            Field::PlannedInvestmentCny => ProfileField::PlannedInvestmentCny,
            Field::ForeignOwnershipPct => ProfileField::ForeignOwnershipPct,
            Field::RdSpendingPct => ProfileField::RdSpendingPct,
            Field::District => ProfileField::District,
            Field::Headquarters => ProfileField::Headquarters,
            Field::YearsInOperation => ProfileField::YearsInOperation,
            Field::Country => ProfileField::Country,
        }
    }
}

/// How a criterion compares: at least, at most, equal, one of, none of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    Gte,
    Lte,
    Eq,
    OneOf,
    NotOneOf,
}

impl From<Op> for Operator {
    fn from(o: Op) -> Self {
        match o {
            Op::Gte => Operator::Gte,
            Op::Lte => Operator::Lte,
            Op::Eq => Operator::Eq,
            Op::OneOf => Operator::OneOf,
            Op::NotOneOf => Operator::NotOneOf,
        }
    }
}

/// What a criterion compares with: a number, a yes/no, a text or a list of texts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum CriterionValue {
    Flag(bool),
    Number(f64),
    Text(String),
    List(Vec<String>),
}

impl From<&Threshold> for CriterionValue {
    fn from(t: &Threshold) -> Self {
        match t {
            Threshold::Flag(b) => CriterionValue::Flag(*b),
            Threshold::Number(n) => CriterionValue::Number(*n),
            Threshold::Text(s) => CriterionValue::Text(s.clone()),
            Threshold::List(l) => CriterionValue::List(l.clone()),
        }
    }
}

/// One rule of a policy: `field op value`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Criterion {
    pub field: ProfileField,
    pub op: Operator,
    pub value: CriterionValue,
}

impl From<&domain::Criterion> for Criterion {
    fn from(c: &domain::Criterion) -> Self {
        Criterion {
            field: c.field.into(),
            op: c.op.into(),
            value: (&c.value).into(),
        }
    }
}

/// A preferential or support policy.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Policy {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub agency_id: i64,
    pub slug: String,
    #[schema(schema_with = schema::localized_out)]
    pub title: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub issuing_body: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub region: Localized,
    #[schema(value_type = Vec<IndustryCode>)]
    pub sectors: Vec<String>,
    #[schema(schema_with = benefits_out)]
    pub benefit_types: Vec<String>,
    #[schema(schema_with = schema::localized_out)]
    pub summary: Localized,
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    #[schema(format = Date)]
    pub valid_until: Option<String>,
    pub source_url: Option<String>,
    pub is_sample: bool,
    /// The full text, Markdown per language.
    #[schema(schema_with = schema::localized_out)]
    pub body: Localized,
    pub criteria: Vec<Criterion>,
    /// The policy that replaces this one when it expires.
    pub successor_id: Option<i64>,
    /// The parks it applies in.
    pub park_ids: Vec<i64>,
    pub external_id: Option<String>,
    pub archived: bool,
    /// 1 when created, one more for each change.
    #[schema(minimum = 1)]
    pub version: i64,
    /// Unix seconds of the last change.
    pub updated_at: i64,
}

impl From<&domain::Policy> for Policy {
    fn from(p: &domain::Policy) -> Self {
        Policy {
            id: p.id.0,
            agency_id: p.agency_id.0,
            slug: p.slug.clone(),
            title: p.title.clone(),
            issuing_body: p.issuing_body.clone(),
            region: p.region.clone(),
            sectors: p.sectors.clone(),
            benefit_types: p.benefit_types.clone(),
            summary: p.summary.clone(),
            valid_from: p.valid_from.clone(),
            valid_until: p.valid_until.clone(),
            source_url: p.source_url.clone(),
            is_sample: p.is_sample,
            body: p.body.clone(),
            criteria: p.criteria.iter().map(Criterion::from).collect(),
            successor_id: p.successor_id.map(|s| s.0),
            park_ids: p.park_ids.iter().map(|i| i.0).collect(),
            external_id: p.external_id.clone(),
            archived: p.archived,
            version: p.version,
            updated_at: p.updated_at,
        }
    }
}

/// A company that invested, in its own words.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SuccessStory {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub agency_id: i64,
    pub slug: String,
    pub company_name: String,
    #[schema(value_type = CountryCode)]
    pub country: String,
    #[schema(schema_with = schema::localized_out)]
    pub title: Localized,
    /// Markdown per language.
    #[schema(schema_with = schema::localized_out)]
    pub body: Localized,
    pub is_sample: bool,
    /// The park the company is in.
    pub park_id: Option<i64>,
    pub external_id: Option<String>,
    pub archived: bool,
}

impl From<&domain::SuccessStory> for SuccessStory {
    fn from(s: &domain::SuccessStory) -> Self {
        SuccessStory {
            id: s.id.0,
            agency_id: s.agency_id.0,
            slug: s.slug.clone(),
            company_name: s.company_name.clone(),
            country: s.country.clone(),
            title: s.title.clone(),
            body: s.body.clone(),
            is_sample: s.is_sample,
            park_id: s.park_id.map(|p| p.0),
            external_id: s.external_id.clone(),
            archived: s.archived,
        }
    }
}

/// The agency's parks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Parks {
    pub parks: Vec<Park>,
    /// The `after` of the next page; `null` on the last page.
    #[schema(schema_with = crate::schema::optional_id)]
    pub next_after: Option<i64>,
}

/// The agency's policies.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Policies {
    pub policies: Vec<Policy>,
    /// The `after` of the next page; `null` on the last page.
    #[schema(schema_with = crate::schema::optional_id)]
    pub next_after: Option<i64>,
}

/// The agency's success stories.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Stories {
    pub stories: Vec<SuccessStory>,
    /// The `after` of the next page; `null` on the last page.
    #[schema(schema_with = crate::schema::optional_id)]
    pub next_after: Option<i64>,
}

pub(super) fn title() -> Schema {
    schema::localized(limits::TITLE, true, Lines::One)
}

pub(super) fn name() -> Schema {
    schema::localized(limits::NAME, true, Lines::One)
}

pub(super) fn item_district() -> Schema {
    schema::localized(limits::NAME, false, Lines::One)
}

pub(super) fn summary() -> Schema {
    schema::localized(limits::SUMMARY, false, Lines::Many)
}

pub(super) fn body() -> Schema {
    schema::localized(limits::DESCRIPTION, false, Lines::Many)
}

pub(super) fn industries() -> ArrayBuilder {
    schema::industries(LIST_MAX)
}

pub(super) fn benefits() -> ArrayBuilder {
    schema::benefits(schema::UNBOUNDED)
}

pub(super) fn benefits_out() -> ArrayBuilder {
    schema::benefits(schema::UNBOUNDED)
}

pub(super) fn links() -> ArrayBuilder {
    schema::ids(LIST_MAX)
}

pub(super) fn contact() -> Object {
    schema::optional_text(CONTACT_MAX, Lines::One)
}

pub(super) fn external_id() -> Object {
    schema::optional_text(EXTERNAL_ID_MAX, Lines::One)
}

pub(super) fn company_name() -> Object {
    schema::filled(limits::NAME, Lines::One)
}
