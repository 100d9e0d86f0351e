//! What organisers send about parks, policies (with their criteria) and success stories.

use super::*;
use crate::api::CountryCode;
use crate::schema::{self, Lines};
use roadshow_domain::Localized;
use roadshow_domain::directory::eligibility::{CRITERIA_MAX, Field};
use roadshow_domain::directory::{self as domain, AREA_MAX_KM2, LIST_MAX};
use roadshow_domain::events::limits;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};

/// A park as an organiser sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ParkInput {
    #[schema(schema_with = schema::slug, required = true)]
    pub slug: Option<String>,
    #[serde(default)]
    #[schema(schema_with = name, required = true)]
    pub name: Localized,
    #[serde(default)]
    #[schema(schema_with = item_district)]
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

pub(super) fn name_optional() -> Schema {
    schema::localized(limits::NAME, false, Lines::One)
}

pub(super) fn optional_links() -> ArrayBuilder {
    use utoipa::openapi::schema::SchemaType;
    schema::ids(LIST_MAX).schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
}

pub(super) fn area() -> Object {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::Number,
            Type::Null,
        ]))
        .exclusive_minimum(Some(0))
        .maximum(Some(AREA_MAX_KM2))
        .build()
}

pub(super) fn degrees(max: f64) -> Object {
    ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            Type::Number,
            Type::Null,
        ]))
        .minimum(Some(-max))
        .maximum(Some(max))
        .build()
}

pub(super) fn latitude() -> Object {
    degrees(90.0)
}

pub(super) fn longitude() -> Object {
    degrees(180.0)
}

/// Criteria by the kind of field they test.
pub(super) fn criteria() -> ArrayBuilder {
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
