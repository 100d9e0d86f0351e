//! Departments on the wire.

use crate::schema::{self, Lines};
use roadshow_domain::Localized;
use roadshow_domain::departments::{self as domain, DEPARTMENT_KINDS};
use roadshow_domain::events::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A department: a bureau, district government, park administration or office that
/// presents and answers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Department {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub agency_id: i64,
    pub slug: String,
    #[schema(schema_with = kind)]
    pub kind: String,
    #[schema(schema_with = schema::localized_out)]
    pub name: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub description: Localized,
    pub website: Option<String>,
}

impl From<&domain::Department> for Department {
    fn from(d: &domain::Department) -> Self {
        Department {
            id: d.id.0,
            agency_id: d.agency_id.0,
            slug: d.slug.clone(),
            kind: d.kind.clone(),
            name: d.name.clone(),
            description: d.description.clone(),
            website: d.website.clone(),
        }
    }
}

/// A department as others name it: its id, slug and name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartmentRef {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    pub slug: String,
    #[schema(schema_with = schema::localized_out)]
    pub name: Localized,
}

impl From<&domain::Department> for DepartmentRef {
    fn from(d: &domain::Department) -> Self {
        DepartmentRef {
            id: d.id.0,
            slug: d.slug.clone(),
            name: d.name.clone(),
        }
    }
}

/// The agency's departments.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Departments {
    pub departments: Vec<Department>,
}

/// A department as an organiser sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct DepartmentInput {
    #[schema(schema_with = schema::slug, required = true)]
    pub slug: Option<String>,
    /// Default `bureau`.
    #[schema(schema_with = optional_kind)]
    pub kind: Option<String>,
    #[serde(default)]
    #[schema(schema_with = name, required = true)]
    pub name: Localized,
    #[serde(default)]
    #[schema(schema_with = description)]
    pub description: Localized,
    #[schema(schema_with = schema::optional_url)]
    pub website: Option<String>,
}

impl From<DepartmentInput> for domain::DepartmentInput {
    fn from(i: DepartmentInput) -> Self {
        domain::DepartmentInput {
            slug: i.slug,
            kind: i.kind,
            name: i.name,
            description: i.description,
            website: i.website,
        }
    }
}

fn kind() -> utoipa::openapi::Object {
    schema::one_of(DEPARTMENT_KINDS)
}

fn optional_kind() -> utoipa::openapi::Object {
    schema::optional_one_of(DEPARTMENT_KINDS)
}

fn name() -> utoipa::openapi::schema::Schema {
    schema::localized(limits::NAME, true, Lines::One)
}

fn description() -> utoipa::openapi::schema::Schema {
    schema::localized(limits::SUMMARY, false, Lines::Many)
}
