//! The directory's search, archive, versions and glossary on the wire.

use super::items::Policy;
use crate::api::{IndustryCode, Language};
use crate::schema::{self, Lines};
use roadshow_domain::directory::search::glossary::TERM_MAX;
use roadshow_domain::directory::search::index::QUERY_MAX;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, Type};
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

fn concept() -> Object {
    let mut slug = schema::slug();
    slug.max_length = slug.max_length.map(|m| m.min(TERM_MAX));
    slug
}

fn term() -> Object {
    schema::filled(TERM_MAX, Lines::One)
}
