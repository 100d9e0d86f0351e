//! The directory's items on the wire: parks, policies (with their eligibility criteria)
//! and success stories, as given and as an organiser sends them.

use crate::api::{CountryCode, IndustryCode};
use crate::schema::{self, Lines};
use roadshow_domain::Localized;
use roadshow_domain::directory::eligibility::{CRITERIA_MAX, Field, Op, Threshold};
use roadshow_domain::directory::{
    self as domain, AREA_MAX_KM2, CONTACT_MAX, EXTERNAL_ID_MAX, LIST_MAX,
};
use roadshow_domain::events::limits;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};

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
}

/// The agency's policies.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Policies {
    pub policies: Vec<Policy>,
}

/// The agency's success stories.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Stories {
    pub stories: Vec<SuccessStory>,
}

/// A park as an organiser sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ParkInput {
    #[schema(schema_with = schema::slug, required = true)]
    pub slug: Option<String>,
    #[serde(default)]
    #[schema(schema_with = name, required = true)]
    pub name: Localized,
    #[serde(default)]
    #[schema(schema_with = district)]
    pub district: Localized,
    #[serde(default)]
    #[schema(schema_with = summary)]
    pub summary: Localized,
    #[serde(default)]
    #[schema(schema_with = industries)]
    pub focus_industries: Vec<String>,
    #[schema(schema_with = area)]
    pub area_km2: Option<f64>,
    #[schema(schema_with = schema::optional_url)]
    pub website: Option<String>,
    #[schema(schema_with = contact)]
    pub contact: Option<String>,
    /// Policies of the same agency.
    #[serde(default)]
    #[schema(schema_with = links)]
    pub policy_ids: Vec<i64>,
    /// The item's id in the file it was imported from.
    #[schema(schema_with = external_id)]
    pub external_id: Option<String>,
    #[schema(schema_with = contact)]
    pub address: Option<String>,
    /// WGS 84 degrees; with `longitude`.
    #[schema(schema_with = latitude)]
    pub latitude: Option<f64>,
    /// WGS 84 degrees; with `latitude`.
    #[schema(schema_with = longitude)]
    pub longitude: Option<f64>,
}

impl From<ParkInput> for domain::ParkInput {
    fn from(i: ParkInput) -> Self {
        domain::ParkInput {
            slug: i.slug,
            name: i.name,
            district: i.district,
            summary: i.summary,
            focus_industries: i.focus_industries,
            area_km2: i.area_km2,
            website: i.website,
            contact: i.contact,
            policy_ids: i.policy_ids,
            external_id: i.external_id,
            address: i.address,
            latitude: i.latitude,
            longitude: i.longitude,
        }
    }
}

/// A criterion as an organiser writes it (see `docs/DIRECTORY.md`): numbers compare
/// with `gte`, `lte`, `eq`; `headquarters` is `eq` a yes/no; `sector`, `district` and
/// `country` are `eq` a text or `one_of` / `not_one_of` a list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct CriterionInput {
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub op: String,
    #[serde(default)]
    pub value: Value,
}

impl From<CriterionInput> for domain::CriterionInput {
    fn from(c: CriterionInput) -> Self {
        domain::CriterionInput {
            field: c.field,
            op: c.op,
            value: c.value,
        }
    }
}

/// A policy as an organiser sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct PolicyInput {
    #[schema(schema_with = schema::slug, required = true)]
    pub slug: Option<String>,
    #[serde(default)]
    #[schema(schema_with = title, required = true)]
    pub title: Localized,
    #[serde(default)]
    #[schema(schema_with = name_optional)]
    pub issuing_body: Localized,
    #[serde(default)]
    #[schema(schema_with = name_optional)]
    pub region: Localized,
    #[serde(default)]
    #[schema(schema_with = industries)]
    pub sectors: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = benefits)]
    pub benefit_types: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = summary)]
    pub summary: Localized,
    #[schema(schema_with = schema::optional_date)]
    pub valid_from: Option<String>,
    /// Not before `valid_from`.
    #[schema(schema_with = schema::optional_date)]
    pub valid_until: Option<String>,
    #[schema(schema_with = schema::optional_url)]
    pub source_url: Option<String>,
    /// The full text, Markdown per language.
    #[serde(default)]
    #[schema(schema_with = body)]
    pub body: Localized,
    #[serde(default)]
    #[schema(schema_with = criteria)]
    pub criteria: Vec<CriterionInput>,
    /// The policy of the same agency that replaces this one.
    #[schema(schema_with = schema::optional_id)]
    pub successor_id: Option<i64>,
    /// Parks of the agency where it applies; left out or null: unchanged.
    #[schema(schema_with = optional_links)]
    pub park_ids: Option<Vec<i64>>,
    #[schema(schema_with = external_id)]
    pub external_id: Option<String>,
}

impl From<PolicyInput> for domain::PolicyInput {
    fn from(i: PolicyInput) -> Self {
        domain::PolicyInput {
            slug: i.slug,
            title: i.title,
            issuing_body: i.issuing_body,
            region: i.region,
            sectors: i.sectors,
            benefit_types: i.benefit_types,
            summary: i.summary,
            valid_from: i.valid_from,
            valid_until: i.valid_until,
            source_url: i.source_url,
            body: i.body,
            criteria: i.criteria.into_iter().map(Into::into).collect(),
            successor_id: i.successor_id,
            park_ids: i.park_ids,
            external_id: i.external_id,
        }
    }
}

/// A success story as an organiser sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct StoryInput {
    #[schema(schema_with = schema::slug, required = true)]
    pub slug: Option<String>,
    #[schema(schema_with = company_name, required = true)]
    pub company_name: Option<String>,
    #[schema(value_type = CountryCode, required = true)]
    pub country: Option<String>,
    #[serde(default)]
    #[schema(schema_with = title, required = true)]
    pub title: Localized,
    /// Markdown per language.
    #[serde(default)]
    #[schema(schema_with = body)]
    pub body: Localized,
    /// The park the company is in.
    #[schema(schema_with = schema::optional_id)]
    pub park_id: Option<i64>,
    #[schema(schema_with = external_id)]
    pub external_id: Option<String>,
}

impl From<StoryInput> for domain::StoryInput {
    fn from(i: StoryInput) -> Self {
        domain::StoryInput {
            slug: i.slug,
            company_name: i.company_name,
            country: i.country,
            title: i.title,
            body: i.body,
            park_id: i.park_id,
            external_id: i.external_id,
        }
    }
}

fn title() -> Schema {
    schema::localized(limits::TITLE, true, Lines::One)
}

fn name() -> Schema {
    schema::localized(limits::NAME, true, Lines::One)
}

fn name_optional() -> Schema {
    schema::localized(limits::NAME, false, Lines::One)
}

fn district() -> Schema {
    schema::localized(limits::NAME, false, Lines::One)
}

fn summary() -> Schema {
    schema::localized(limits::SUMMARY, false, Lines::Many)
}

fn body() -> Schema {
    schema::localized(limits::DESCRIPTION, false, Lines::Many)
}

fn industries() -> ArrayBuilder {
    schema::industries(LIST_MAX)
}

fn benefits() -> ArrayBuilder {
    schema::benefits(schema::UNBOUNDED)
}

fn benefits_out() -> ArrayBuilder {
    schema::benefits(schema::UNBOUNDED)
}

fn links() -> ArrayBuilder {
    schema::ids(LIST_MAX)
}

fn optional_links() -> ArrayBuilder {
    use utoipa::openapi::schema::SchemaType;
    schema::ids(LIST_MAX).schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
}

fn contact() -> Object {
    schema::optional_text(CONTACT_MAX, Lines::One)
}

fn external_id() -> Object {
    schema::optional_text(EXTERNAL_ID_MAX, Lines::One)
}

fn company_name() -> Object {
    schema::filled(limits::NAME, Lines::One)
}

fn area() -> Object {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::Number,
            Type::Null,
        ]))
        .exclusive_minimum(Some(0))
        .maximum(Some(AREA_MAX_KM2))
        .build()
}

fn degrees(max: f64) -> Object {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::Number,
            Type::Null,
        ]))
        .minimum(Some(-max))
        .maximum(Some(max))
        .build()
}

fn latitude() -> Object {
    degrees(90.0)
}

fn longitude() -> Object {
    degrees(180.0)
}

/// Criteria by the kind of field they test.
fn criteria() -> ArrayBuilder {
    let number_fields: Vec<&str> = [
        Field::Employees,
        Field::AnnualRevenueCny,
        Field::PlannedInvestmentCny,
        Field::ForeignOwnershipPct,
        Field::RdSpendingPct,
        Field::YearsInOperation,
    ]
    .iter()
    .map(|f| f.code())
    .collect();
    let text_fields: Vec<&str> = [Field::Sector, Field::District, Field::Country]
        .iter()
        .map(|f| f.code())
        .collect();
    let rule = |fields: &[&str], ops: &[&str], value: Schema| {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("field", schema::one_of(fields))
            .required("field")
            .property("op", schema::one_of(ops))
            .required("op")
            .property("value", value)
            .required("value")
    };
    let text = || schema::filled(schema::UNBOUNDED, Lines::One);
    let item = OneOfBuilder::new()
        .item(rule(
            &number_fields,
            &["gte", "lte", "eq"],
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(0))
                .into(),
        ))
        .item(rule(
            &["headquarters"],
            &["eq"],
            ObjectBuilder::new().schema_type(Type::Boolean).into(),
        ))
        .item(rule(&text_fields, &["eq"], text().into()))
        .item(rule(
            &text_fields,
            &["one_of", "not_one_of"],
            ArrayBuilder::new().items(text()).min_items(Some(1)).into(),
        ));
    ArrayBuilder::new()
        .items(item)
        .max_items(Some(CRITERIA_MAX))
}
