//! The directory's search, eligibility, import/export file, versions and glossary on the
//! wire.

use super::items::{CriterionInput, CriterionValue, Operator, Policy, ProfileField};
use crate::api::{CountryCode, IndustryCode, Language};
use crate::schema::{self, Lines};
use roadshow_domain::Localized;
use roadshow_domain::directory::eligibility::{DISTRICT_MAX, NUMBER_MAX, PERCENT_MAX};
use roadshow_domain::directory::file::{self as domain_file, Names};
use roadshow_domain::directory::search::glossary::TERM_MAX;
use roadshow_domain::directory::search::index::QUERY_MAX;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::{IntoParams, ToSchema};

/// A policy, a park or a success story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Policy,
    Park,
    Story,
}

impl From<roadshow_domain::directory::search::Kind> for ItemKind {
    fn from(k: roadshow_domain::directory::search::Kind) -> Self {
        use roadshow_domain::directory::search::Kind;
        match k {
            Kind::Policy => ItemKind::Policy,
            Kind::Park => ItemKind::Park,
            Kind::Story => ItemKind::Story,
        }
    }
}

/// One hit of a search, in the reader's language where it has one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Hit {
    pub kind: ItemKind,
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub title_lang: Language,
    /// HTML: the text escaped, the words found in `<mark>`.
    pub snippet: String,
    pub snippet_lang: Language,
    /// The text is not in the reader's language.
    pub fallback: bool,
    pub score: f32,
    /// The item's page.
    pub url: String,
    /// A policy past its validity.
    pub expired: bool,
    /// The policy that replaces an expired one.
    pub successor: Option<i64>,
    pub district: Option<String>,
    #[schema(value_type = Vec<IndustryCode>)]
    pub sectors: Vec<String>,
    pub benefits: Vec<String>,
}

/// How many matches each value of each facet has (each counted as if its own filter were
/// off).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Facets {
    pub district: BTreeMap<String, usize>,
    pub sector: BTreeMap<String, usize>,
    pub benefit: BTreeMap<String, usize>,
    pub kind: BTreeMap<String, usize>,
}

/// A page of search results with the facets.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SearchResults {
    pub total: usize,
    pub page: usize,
    pub page_size: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// The search's query string, as the API and the page take it.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The words, in any of the four languages.
    #[param(schema_with = query_text)]
    pub q: Option<String>,
    /// The language to answer in (default: the reader's).
    #[param(schema_with = query_lang)]
    pub lang: Option<String>,
    /// A district (English name).
    #[param(schema_with = filter_text)]
    pub district: Option<String>,
    /// An industry code.
    #[param(schema_with = filter_text)]
    pub sector: Option<String>,
    /// A kind of benefit.
    #[param(schema_with = filter_text)]
    pub benefit: Option<String>,
    #[param(schema_with = kind_filter)]
    pub kind: Option<String>,
    /// Only what is valid on this day.
    #[param(schema_with = schema::date_or_empty)]
    pub valid_on: Option<String>,
    #[param(schema_with = search_page)]
    pub page: Option<String>,
}

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

/// A district by one name (its English one) or per language.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DistrictNames {
    One(String),
    Many(Localized),
}

schema::hand_written!(DistrictNames, district_names);

fn district_names() -> utoipa::openapi::schema::Schema {
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

fn records() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name("DirectoryRecord"))
        .max_items(Some(domain_file::RECORDS_MAX))
        .build()
}

fn import_format() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .enum_values(Some([domain_file::FORMAT]))
        .build()
}

fn import_version() -> Object {
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

/// Archive an item, or restore it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ArchiveInput {
    /// Default true; false restores.
    #[serde(default = "yes")]
    pub archived: bool,
}

fn yes() -> bool {
    true
}

/// An item archived or restored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Archived {
    pub kind: ItemKind,
    pub id: i64,
    pub archived: bool,
}

/// The policy a version list is about.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VersionedPolicy {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    pub slug: String,
    pub version: i64,
}

/// A policy as it was after one change, with the fields that change touched.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyVersion {
    pub version: i64,
    #[schema(format = DateTime)]
    pub changed_at: Option<String>,
    /// The author's email, when the account still exists.
    pub changed_by: Option<String>,
    pub changed: Vec<String>,
    pub policy: Policy,
}

/// Every version of a policy, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PolicyVersions {
    pub policy: VersionedPolicy,
    pub versions: Vec<PolicyVersion>,
}

/// A word of a concept in one language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConceptTerm {
    pub lang: Language,
    pub term: String,
}

/// A concept of the glossary with its words in four languages.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Concept {
    pub key: String,
    pub terms: Vec<ConceptTerm>,
}

/// A word the agency added to a concept.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GlossaryTerm {
    pub id: i64,
    /// The agency that added it.
    #[schema(schema_with = schema::id)]
    pub agency: i64,
    pub concept: String,
    pub lang: Language,
    pub term: String,
}

impl From<&roadshow_domain::directory::versions::GlossaryTerm> for GlossaryTerm {
    fn from(t: &roadshow_domain::directory::versions::GlossaryTerm) -> Self {
        GlossaryTerm {
            id: t.id,
            agency: t.agency.0,
            concept: t.concept.clone(),
            lang: t.lang.into(),
            term: t.term.clone(),
        }
    }
}

/// The glossary Roadshow ships and the agency's own words.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Glossary {
    pub concepts: Vec<Concept>,
    pub terms: Vec<GlossaryTerm>,
}

/// A word to add to a concept (a new key makes a new concept).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct TermInput {
    #[serde(default)]
    #[schema(schema_with = concept, required = true)]
    pub concept: String,
    #[serde(default)]
    #[schema(value_type = Language, required = true)]
    pub lang: String,
    #[serde(default)]
    #[schema(schema_with = term, required = true)]
    pub term: String,
}

/// Any text is answered (up to its length).
fn query_text() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(QUERY_MAX))
        .build()
}

fn query_lang() -> Object {
    schema::one_of_or_empty(&["de", "en", "zh", "fr"])
}

fn filter_text() -> Object {
    schema::text(schema::UNBOUNDED, Lines::One)
}

fn kind_filter() -> Object {
    schema::one_of_or_empty(&["policy", "park", "story"])
}

fn search_page() -> Object {
    schema::page(roadshow_app::directory::PAGES_MAX as i64)
}

fn amount() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Number, Type::Null]))
        .minimum(Some(0))
        .maximum(Some(NUMBER_MAX))
        .build()
}

fn percent() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Number, Type::Null]))
        .minimum(Some(0))
        .maximum(Some(PERCENT_MAX))
        .build()
}

fn district() -> Object {
    schema::optional_text(DISTRICT_MAX, Lines::One)
}

fn profile_lang() -> Object {
    schema::optional_one_of(&["de", "en", "zh", "fr"])
}

fn export_format() -> Object {
    schema::one_of(&["json", "csv"])
}

fn concept() -> Object {
    let mut slug = schema::slug();
    slug.max_length = slug.max_length.map(|m| m.min(TERM_MAX));
    slug
}

fn term() -> Object {
    schema::filled(TERM_MAX, Lines::One)
}
