//! Departments.

use crate::rows::{get, json, to_json};
use crate::{SqlStore, backend_error};
use async_trait::async_trait;
use roadshow_domain::departments::*;
use roadshow_domain::ids::*;
use roadshow_domain::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;

const DEPARTMENT_COLUMNS: &str = "id, agency_id, slug, kind, name, description, website";

fn department_row(row: &AnyRow) -> StoreResult<Department> {
    Ok(Department {
        id: DepartmentId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        slug: get(row, "slug")?,
        kind: get(row, "kind")?,
        name: json(row, "name")?,
        description: json(row, "description")?,
        website: get(row, "website")?,
    })
}

#[async_trait]
impl DepartmentStore for SqlStore {
    async fn departments(&self, agency: AgencyId) -> StoreResult<Vec<Department>> {
        sqlx::query(&format!(
            "SELECT {DEPARTMENT_COLUMNS} FROM departments WHERE agency_id = $1 ORDER BY id"
        ))
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(department_row)
        .collect()
    }

    async fn department(&self, id: DepartmentId) -> StoreResult<Option<Department>> {
        self.by_id("departments", DEPARTMENT_COLUMNS, id.0, department_row)
            .await
    }

    async fn create_department(
        &self,
        agency: AgencyId,
        draft: &DepartmentDraft,
    ) -> StoreResult<Department> {
        let row = sqlx::query(&format!("INSERT INTO departments (agency_id, slug, kind, name, description, website) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {DEPARTMENT_COLUMNS}"))
            .bind(agency.0)
            .bind(&draft.slug)
            .bind(&draft.kind)
            .bind(to_json(&draft.name)?)
            .bind(to_json(&draft.description)?)
            .bind(draft.website.clone())
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        department_row(&row)
    }

    async fn update_department(
        &self,
        id: DepartmentId,
        draft: &DepartmentDraft,
    ) -> StoreResult<Department> {
        sqlx::query(&format!("UPDATE departments SET slug = $1, kind = $2, name = $3, description = $4, website = $5 WHERE id = $6 RETURNING {DEPARTMENT_COLUMNS}"))
            .bind(&draft.slug)
            .bind(&draft.kind)
            .bind(to_json(&draft.name)?)
            .bind(to_json(&draft.description)?)
            .bind(draft.website.clone())
            .bind(id.0)
            .fetch_optional(&self.write)
            .await
            .map_err(backend_error)?
            .map(|r| department_row(&r))
            .transpose()?
            .ok_or(StoreError::NotFound)
    }
}
