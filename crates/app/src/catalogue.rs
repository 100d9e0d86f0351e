//! The agency's parks, policies and success stories, entered by its organisers.

use crate::events::{organiser_agency, require_organiser, slug_field};
use crate::{App, AppError, AppResult, Principal};
use roadshow_domain::catalogue::{ParkInput, PolicyInput, StoryInput};
use roadshow_domain::ids::{AgencyId, ParkId, PolicyId, StoryId};
use roadshow_domain::store::{Park, ParkDraft, Policy, SuccessStory};

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

    /// The agency's success stories, for its organisers.
    pub async fn agency_stories(&self, principal: &Principal) -> AppResult<Vec<SuccessStory>> {
        let agency = organiser_agency(principal)?;
        Ok(self.store.stories(agency).await?)
    }

    pub async fn create_story(
        &self,
        principal: &Principal,
        input: &StoryInput,
    ) -> AppResult<SuccessStory> {
        let agency = organiser_agency(principal)?;
        let draft = input.parse()?;
        let story = self
            .store
            .create_story(agency, &draft)
            .await
            .map_err(slug_field)?;
        self.cache.clear();
        Ok(story)
    }

    pub async fn story_for_organiser(
        &self,
        principal: &Principal,
        id: StoryId,
    ) -> AppResult<SuccessStory> {
        if matches!(principal, Principal::Anonymous) {
            return Err(AppError::Unauthenticated);
        }
        let story = self.store.story(id).await?.ok_or(AppError::NotFound)?;
        require_organiser(principal, story.agency_id)?;
        Ok(story)
    }

    pub async fn update_story(
        &self,
        principal: &Principal,
        id: StoryId,
        input: &StoryInput,
    ) -> AppResult<SuccessStory> {
        let story = self.story_for_organiser(principal, id).await?;
        let mut draft = input.parse()?;
        draft.is_sample = story.is_sample;
        let story = self
            .store
            .update_story(id, &draft)
            .await
            .map_err(slug_field)?;
        self.cache.clear();
        Ok(story)
    }
}
