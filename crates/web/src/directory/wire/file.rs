//! The directory's file on the wire: what an export gives and an import takes.

use super::item_inputs::CriterionInput;
use crate::api::IndustryCode;
use crate::schema;
use roadshow_domain::Localized;
use roadshow_domain::directory::file::{self as domain_file, Names};
use serde::{Deserialize, Serialize};
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::{IntoParams, ToSchema};

/// A district by one name (its English one) or per language.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DistrictNames {
    One(String),
    Many(Localized),
}

schema::hand_written!(DistrictNames, district_names);

pub(super) fn district_names() -> utoipa::openapi::schema::Schema {
    utoipa::openapi::schema::Schema::OneOf(
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(schema::localized_out())
            .description(Some(
                "A district by one name (its English one) or per language",
            ))
            .build(),
    )
}

/// One policy, park or story of the file; fields that do not apply to its kind are
/// left out (see `docs/DIRECTORY.md`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct DirectoryRecord {
    pub external_id: Option<String>,
    /// `policy`, `park` or `story`.
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default)]
    #[schema(schema_with = schema::localized_out)]
    pub title: Localized,
    #[serde(default)]
    #[schema(schema_with = schema::localized_out)]
    pub summary: Localized,
    #[serde(default)]
    #[schema(schema_with = schema::localized_out)]
    pub body: Localized,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    #[schema(schema_with = schema::localized_out)]
    pub issuing_body: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictNames>,
    #[serde(default)]
    #[schema(value_type = Vec<IndustryCode>)]
    pub sectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefit_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// A policy's parks, by their external ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parks: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionInput>,
    /// A policy's successor, by its external id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successor: Option<String>,
    /// A park's area, km².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_km2: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Invented demo content.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sample: bool,
}

impl From<&domain_file::Record> for DirectoryRecord {
    fn from(r: &domain_file::Record) -> Self {
        DirectoryRecord {
            external_id: r.external_id.clone(),
            kind: r.kind.clone(),
            slug: r.slug.clone(),
            title: r.title.clone(),
            summary: r.summary.clone(),
            body: r.body.clone(),
            issuing_body: r.issuing_body.clone(),
            district: r.district.as_ref().map(|d| match d {
                Names::One(s) => DistrictNames::One(s.clone()),
                Names::Many(l) => DistrictNames::Many(l.clone()),
            }),
            sectors: r.sectors.clone(),
            benefit_types: r.benefit_types.clone(),
            valid_from: r.valid_from.clone(),
            valid_until: r.valid_until.clone(),
            source_url: r.source_url.clone(),
            parks: r.parks.clone(),
            criteria: r
                .criteria
                .iter()
                .map(|c| CriterionInput {
                    field: c.field.clone(),
                    op: c.op.clone(),
                    value: c.value.clone(),
                })
                .collect(),
            successor: r.successor.clone(),
            area_km2: r.area_km2,
            address: r.address.clone(),
            latitude: r.latitude,
            longitude: r.longitude,
            website: r.website.clone(),
            contact: r.contact.clone(),
            company_name: r.company_name.clone(),
            country: r.country.clone(),
            sample: r.sample,
        }
    }
}

/// The directory's file: every policy, park and story of the agency.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DirectoryFile {
    /// `roadshow-directory`.
    pub format: String,
    pub version: u32,
    pub items: Vec<DirectoryRecord>,
}

impl From<&domain_file::DirectoryFile> for DirectoryFile {
    fn from(f: &domain_file::DirectoryFile) -> Self {
        DirectoryFile {
            format: f.format.to_string(),
            version: f.version,
            items: f.items.iter().map(DirectoryRecord::from).collect(),
        }
    }
}

/// A file to import: the export's format. `format` and `version`, when given, must be
/// the ones this server reads; a bare array of items is read too.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportFile {
    #[schema(schema_with = import_format)]
    pub format: Option<String>,
    #[schema(schema_with = import_version)]
    pub version: Option<u32>,
    #[schema(schema_with = records)]
    pub items: Vec<DirectoryRecord>,
}

/// The JSON an import reads: a whole file, or its items alone.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ImportBody {
    File(ImportFile),
    Items(Vec<DirectoryRecord>),
}

impl utoipa::PartialSchema for ImportBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        schema::boxed(
            utoipa::openapi::schema::OneOfBuilder::new()
                .item(utoipa::openapi::Ref::from_schema_name(ImportFile::name()))
                .item(records())
                .build(),
        )
    }
}

impl ToSchema for ImportBody {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        for (name, schema) in [
            (ImportFile::name(), ImportFile::schema()),
            (DirectoryRecord::name(), DirectoryRecord::schema()),
        ] {
            schemas.push((name.into(), schema));
        }
        DirectoryRecord::schemas(schemas);
    }
}

pub(super) fn records() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name("DirectoryRecord"))
        .build()
}

pub(super) fn import_format() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some([domain_file::FORMAT]))
        .build()
}

pub(super) fn import_version() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Integer))
        .enum_values(Some([domain_file::VERSION]))
        .build()
}

/// What an import did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ImportOutcome {
    pub created: usize,
    /// Items that existed (same external id) and changed: a new version each.
    pub updated: usize,
    pub unchanged: usize,
}

/// Which file format to export.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `json` (the default) or `csv` (one policy a row).
    #[param(schema_with = export_format)]
    pub format: Option<String>,
}

pub(super) fn export_format() -> Object {
    schema::one_of(&["json", "csv"])
}
