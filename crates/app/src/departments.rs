//! Departments: the units that present and answer, managed by the agency's organisers.

use crate::access::*;
use crate::events::slug_field;
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::departments::{Department, DepartmentInput};
use roadshow_domain::ids::*;

/// The agency's departments.
#[derive(Clone, Copy)]
pub struct Departments<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// The agency's departments.
    pub fn departments(&self) -> Departments<'_> {
        Departments { app: self }
    }
}

impl Departments<'_> {
    /// Whether `principal` may add and change departments (an organiser).
    pub fn may_manage(&self, principal: &Principal) -> AppResult<()> {
        principal.as_organiser().map(|_| ())
    }

    /// The agency's departments, for its staff.
    pub async fn departments(&self, principal: &Principal) -> AppResult<Vec<Department>> {
        let staff = principal.as_staff()?;
        Ok(self.app.store.departments(staff.agency_id).await?)
    }

    pub async fn create_department(
        &self,
        principal: &Principal,
        input: &DepartmentInput,
    ) -> AppResult<Department> {
        let agency = principal.as_organiser()?.agency_id;
        let draft = input.parse()?;
        let dept = self
            .app
            .store
            .create_department(agency, &draft)
            .await
            .map_err(slug_field)?;
        self.app.cache.clear();
        Ok(dept)
    }

    pub async fn department_for_organiser(
        &self,
        principal: &Principal,
        id: DepartmentId,
    ) -> AppResult<Department> {
        principal.as_staff()?;
        let dept = self
            .app
            .store
            .department(id)
            .await?
            .ok_or(AppError::NotFound)?;
        principal.as_organiser_of(dept.agency_id)?;
        Ok(dept)
    }

    pub async fn update_department(
        &self,
        principal: &Principal,
        id: DepartmentId,
        input: &DepartmentInput,
    ) -> AppResult<Department> {
        self.department_for_organiser(principal, id).await?;
        let draft = input.parse()?;
        let dept = self
            .app
            .store
            .update_department(id, &draft)
            .await
            .map_err(slug_field)?;
        self.app.cache.clear();
        Ok(dept)
    }
}
