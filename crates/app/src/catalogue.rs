//! The agency's parks and policies, entered by its organisers.

use crate::events::{organiser_agency, require_organiser, slug_field};
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::catalogue::{ParkInput, PolicyInput};
use roadshow_domain::ids::{AgencyId, ParkId, PolicyId};
use roadshow_domain::store::{Park, ParkDraft, Policy};

impl App {
    /// The agency's parks, for its organisers.
    pub async fn agency_parks(&self, principal: &Principal) -> AppResult<Vec<Park>> {
        let agency = organiser_agency(principal)?;
        Ok(self.store.parks(agency).await?)
    }

    /// The agency's policies, for its organisers.
    pub async fn agency_policies(&self, principal: &Principal) -> AppResult<Vec<Policy>> {
        let agency = organiser_agency(principal)?;
        Ok(self.store.policies(agency).await?)
    }

    /// A park's links must name policies of the same agency.
    async fn check_park_links(&self, agency: AgencyId, draft: &ParkDraft) -> AppResult<()> {
        let policies = self.store.policies(agency).await?;
        if draft
            .policy_ids
            .iter()
            .any(|id| !policies.iter().any(|p| p.id == *id))
        {
            return Err(AppError::invalid("policy_ids", "unknown_policy"));
        }
        Ok(())
    }

    pub async fn create_park(&self, principal: &Principal, input: &ParkInput) -> AppResult<Park> {
        let agency = organiser_agency(principal)?;
        let draft = input.parse()?;
        self.check_park_links(agency, &draft).await?;
        let park = self
            .store
            .create_park(agency, &draft)
            .await
            .map_err(slug_field)?;
        self.cache.clear();
        Ok(park)
    }

    pub async fn park_for_organiser(&self, principal: &Principal, id: ParkId) -> AppResult<Park> {
        if matches!(principal, Principal::Anonymous) {
            return Err(AppError::Unauthenticated);
        }
        let park = self.store.park(id).await?.ok_or(AppError::NotFound)?;
        require_organiser(principal, park.agency_id)?;
        Ok(park)
    }

    pub async fn update_park(
        &self,
        principal: &Principal,
        id: ParkId,
        input: &ParkInput,
    ) -> AppResult<Park> {
        let park = self.park_for_organiser(principal, id).await?;
        let mut draft = input.parse()?;
        draft.is_sample = park.is_sample;
        self.check_park_links(park.agency_id, &draft).await?;
        let park = self
            .store
            .update_park(id, &draft)
            .await
            .map_err(slug_field)?;
        self.cache.clear();
        Ok(park)
    }

    pub async fn create_policy(
        &self,
        principal: &Principal,
        input: &PolicyInput,
    ) -> AppResult<Policy> {
        let agency = organiser_agency(principal)?;
        let draft = input.parse()?;
        let policy = self
            .store
            .create_policy(agency, &draft)
            .await
            .map_err(slug_field)?;
        self.cache.clear();
        Ok(policy)
    }

    pub async fn policy_for_organiser(
        &self,
        principal: &Principal,
        id: PolicyId,
    ) -> AppResult<Policy> {
        if matches!(principal, Principal::Anonymous) {
            return Err(AppError::Unauthenticated);
        }
        let policy = self.store.policy(id).await?.ok_or(AppError::NotFound)?;
        require_organiser(principal, policy.agency_id)?;
        Ok(policy)
    }

    pub async fn update_policy(
        &self,
        principal: &Principal,
        id: PolicyId,
        input: &PolicyInput,
    ) -> AppResult<Policy> {
        let policy = self.policy_for_organiser(principal, id).await?;
        let mut draft = input.parse()?;
        draft.is_sample = policy.is_sample;
        let policy = self
            .store
            .update_policy(id, &draft)
            .await
            .map_err(slug_field)?;
        self.cache.clear();
        Ok(policy)
    }
}
