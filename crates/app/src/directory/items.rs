//! The directory's items: the agency's parks, policies and success stories, entered by
//! its organisers.

use super::Directory;
use crate::access::*;
use crate::events::slug_field;
use crate::{AppError, AppResult, Principal};
use roadshow_domain::directory::*;
use roadshow_domain::ids::*;
use roadshow_domain::paging::{Page, PageRequest};

/// The staff member who makes a change, for the policy's versions.
fn author(principal: &Principal) -> Option<AccountId> {
    match principal {
        Principal::Staff(s) => Some(s.id),
        _ => None,
    }
}

impl Directory<'_> {
    /// The parks, policies and stories of the organiser's agency (for linking sessions).
    pub async fn agency_items(
        &self,
        principal: &Principal,
    ) -> AppResult<(Vec<Park>, Vec<Policy>, Vec<SuccessStory>)> {
        let staff = principal.as_staff()?;
        let agency = staff.agency_id;
        Ok((
            self.app.store.parks(agency).await?,
            self.app.store.policies(agency).await?,
            self.app.store.stories(agency).await?,
        ))
    }

    /// A page of the agency's parks in the order they were added, archived ones included
    /// (its organisers' list).
    pub async fn agency_parks(
        &self,
        principal: &Principal,
        page: PageRequest,
    ) -> AppResult<Page<Park>> {
        let agency = principal.as_organiser()?.agency_id;
        let list = self
            .app
            .store
            .parks_page(agency, page.after.map(ParkId), page.fetch())
            .await?;
        Ok(page.split(list, |p| p.id.0))
    }

    /// A page of the agency's policies, as [`Self::agency_parks`].
    pub async fn agency_policies(
        &self,
        principal: &Principal,
        page: PageRequest,
    ) -> AppResult<Page<Policy>> {
        let agency = principal.as_organiser()?.agency_id;
        let list = self
            .app
            .store
            .policies_page(agency, page.after.map(PolicyId), page.fetch())
            .await?;
        Ok(page.split(list, |p| p.id.0))
    }

    /// Every park and policy of the organiser's agency, archived ones included, in the
    /// order they were added: the choices of a form's links. They come from the index in
    /// memory, so a form costs no read of the whole directory.
    pub async fn agency_choices(
        &self,
        principal: &Principal,
    ) -> AppResult<(Vec<Park>, Vec<Policy>)> {
        let agency = principal.as_organiser()?.agency_id;
        self.fresh().await?;
        self.read(|s| {
            let mut parks: Vec<Park> = s
                .parks
                .values()
                .filter(|p| p.agency_id == agency)
                .cloned()
                .collect();
            parks.sort_by_key(|p| p.id);
            let mut policies: Vec<Policy> = s
                .policies
                .values()
                .filter(|p| p.agency_id == agency)
                .cloned()
                .collect();
            policies.sort_by_key(|p| p.id);
            (parks, policies)
        })
    }

    /// A policy's parks and successor must be the same agency's; a policy cannot succeed
    /// itself.
    async fn check_policy_links(
        &self,
        agency: AgencyId,
        id: Option<PolicyId>,
        draft: &PolicyDraft,
    ) -> AppResult<()> {
        if let Some(parks) = &draft.park_ids {
            let known = self.app.store.parks(agency).await?;
            if parks.iter().any(|p| !known.iter().any(|k| k.id == *p)) {
                return Err(AppError::invalid("park_ids", "unknown_park"));
            }
        }
        if let Some(successor) = draft.successor_id {
            let found = self.app.store.policy(successor).await?;
            if Some(successor) == id || found.is_none_or(|p| p.agency_id != agency) {
                return Err(AppError::invalid("successor_id", "unknown_policy"));
            }
        }
        Ok(())
    }

    /// A story's park must be the same agency's.
    async fn check_story_park(&self, agency: AgencyId, draft: &StoryDraft) -> AppResult<()> {
        if let Some(park) = draft.park_id {
            if self
                .app
                .store
                .park(park)
                .await?
                .is_none_or(|p| p.agency_id != agency)
            {
                return Err(AppError::invalid("park_id", "unknown_park"));
            }
        }
        Ok(())
    }

    /// A park's links must name policies of the same agency.
    async fn check_park_links(&self, agency: AgencyId, draft: &ParkDraft) -> AppResult<()> {
        let policies = self.app.store.policies(agency).await?;
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
        let agency = principal.as_organiser()?.agency_id;
        let draft = input.parse()?;
        self.check_park_links(agency, &draft).await?;
        let park = self
            .app
            .store
            .create_park(agency, &draft)
            .await
            .map_err(slug_field)?;
        self.changed().await?;
        Ok(park)
    }

    pub async fn park_for_organiser(&self, principal: &Principal, id: ParkId) -> AppResult<Park> {
        principal.as_staff()?;
        let park = self.app.store.park(id).await?.ok_or(AppError::NotFound)?;
        principal.as_organiser_of(park.agency_id)?;
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
            .app
            .store
            .update_park(id, &draft)
            .await
            .map_err(slug_field)?;
        self.changed().await?;
        Ok(park)
    }

    pub async fn create_policy(
        &self,
        principal: &Principal,
        input: &PolicyInput,
    ) -> AppResult<Policy> {
        let agency = principal.as_organiser()?.agency_id;
        let draft = input.parse()?;
        self.check_policy_links(agency, None, &draft).await?;
        let policy = self
            .app
            .store
            .create_policy(agency, &draft, author(principal))
            .await
            .map_err(slug_field)?;
        self.changed().await?;
        Ok(policy)
    }

    pub async fn policy_for_organiser(
        &self,
        principal: &Principal,
        id: PolicyId,
    ) -> AppResult<Policy> {
        principal.as_staff()?;
        let policy = self.app.store.policy(id).await?.ok_or(AppError::NotFound)?;
        principal.as_organiser_of(policy.agency_id)?;
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
        self.check_policy_links(policy.agency_id, Some(id), &draft)
            .await?;
        let policy = self
            .app
            .store
            .update_policy(id, &draft, author(principal))
            .await
            .map_err(slug_field)?;
        self.changed().await?;
        Ok(policy)
    }

    /// A page of the agency's success stories, as [`Self::agency_parks`].
    pub async fn agency_stories(
        &self,
        principal: &Principal,
        page: PageRequest,
    ) -> AppResult<Page<SuccessStory>> {
        let agency = principal.as_organiser()?.agency_id;
        let list = self
            .app
            .store
            .stories_page(agency, page.after.map(StoryId), page.fetch())
            .await?;
        Ok(page.split(list, |p| p.id.0))
    }

    pub async fn create_story(
        &self,
        principal: &Principal,
        input: &StoryInput,
    ) -> AppResult<SuccessStory> {
        let agency = principal.as_organiser()?.agency_id;
        let draft = input.parse()?;
        self.check_story_park(agency, &draft).await?;
        let story = self
            .app
            .store
            .create_story(agency, &draft)
            .await
            .map_err(slug_field)?;
        self.changed().await?;
        Ok(story)
    }

    pub async fn story_for_organiser(
        &self,
        principal: &Principal,
        id: StoryId,
    ) -> AppResult<SuccessStory> {
        principal.as_staff()?;
        let story = self.app.store.story(id).await?.ok_or(AppError::NotFound)?;
        principal.as_organiser_of(story.agency_id)?;
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
        self.check_story_park(story.agency_id, &draft).await?;
        let story = self
            .app
            .store
            .update_story(id, &draft)
            .await
            .map_err(slug_field)?;
        self.changed().await?;
        Ok(story)
    }
}
