//! Departments: the units that present and answer (bureaus, district governments, park
//! administrations, the steering-group office), belonging to an agency.

use crate::events::limits;
use crate::ids::{AgencyId, DepartmentId};
use crate::localized::Localized;
use crate::store::StoreResult;
use crate::validation::is_slug;
use crate::validation::{Checker, Invalid};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// The kinds of department DOMAIN.md names.
pub const DEPARTMENT_KINDS: &[&str] =
    &["office", "bureau", "district", "park", "company", "agency"];

/// What an organiser sends to create or change a department.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DepartmentInput {
    pub slug: Option<String>,
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Localized,
    #[serde(default)]
    pub description: Localized,
    pub website: Option<String>,
}

/// A valid department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentDraft {
    pub slug: String,
    pub kind: String,
    pub name: Localized,
    pub description: Localized,
    pub website: Option<String>,
}

impl DepartmentInput {
    pub fn parse(&self) -> Result<DepartmentDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["description"]);
        let slug = check.required("slug", self.slug.as_deref(), limits::SLUG);
        if !slug.is_empty() && !is_slug(&slug) {
            check.push("slug", "invalid_slug");
        }
        let kind = self.kind.clone().unwrap_or_else(|| "bureau".into());
        if !DEPARTMENT_KINDS.contains(&kind.as_str()) {
            check.push("kind", "unknown_kind");
        }
        check.localized("name", &self.name, limits::NAME, true);
        check.localized("description", &self.description, limits::SUMMARY, false);
        let website = check.optional_url("website", self.website.as_deref());
        check.finish(DepartmentDraft {
            slug,
            kind,
            name: self.name.clone(),
            description: self.description.clone(),
            website,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Department {
    pub id: DepartmentId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub kind: String,
    pub name: Localized,
    pub description: Localized,
    pub website: Option<String>,
}

/// Where departments are kept.
#[async_trait]
pub trait DepartmentStore: Send + Sync {
    async fn departments(&self, agency: AgencyId) -> StoreResult<Vec<Department>>;
    async fn department(&self, id: DepartmentId) -> StoreResult<Option<Department>>;
    async fn create_department(
        &self,
        agency: AgencyId,
        draft: &DepartmentDraft,
    ) -> StoreResult<Department>;
    async fn update_department(
        &self,
        id: DepartmentId,
        draft: &DepartmentDraft,
    ) -> StoreResult<Department>;
}
