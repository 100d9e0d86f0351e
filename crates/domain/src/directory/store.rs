//! The directory's storage port.

use super::file::ImportPlan;
use super::items::*;
use super::search::Kind;
use super::versions::{Change, GlossaryTerm, ImportOutcome, PolicyVersion};
use crate::Lang;
use crate::ids::{AccountId, AgencyId, ParkId, PolicyId, StoryId};
use crate::store::StoreResult;
use async_trait::async_trait;

/// Where the directory is kept: its parks, policies and stories, every version of a
/// policy, the numbered changes the search index follows and the agencies' glossary
/// words. Every write records a [`Change`] in the same transaction.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    async fn parks(&self, agency: AgencyId) -> StoreResult<Vec<Park>>;
    /// The agency's parks in id order, archived ones included (the organisers' list): at
    /// most `limit`, after the park `after`.
    async fn parks_page(
        &self,
        agency: AgencyId,
        after: Option<ParkId>,
        limit: usize,
    ) -> StoreResult<Vec<Park>>;
    async fn create_park(&self, agency: AgencyId, draft: &ParkDraft) -> StoreResult<Park>;
    async fn park(&self, id: ParkId) -> StoreResult<Option<Park>>;
    /// Changes a park's fields (its sample flag stays as it was).
    async fn update_park(&self, id: ParkId, draft: &ParkDraft) -> StoreResult<Park>;
    async fn policies(&self, agency: AgencyId) -> StoreResult<Vec<Policy>>;
    /// The agency's policies in id order, as [`Self::parks_page`].
    async fn policies_page(
        &self,
        agency: AgencyId,
        after: Option<PolicyId>,
        limit: usize,
    ) -> StoreResult<Vec<Policy>>;
    /// Creates a policy as version 1; `by` is recorded with the version.
    async fn create_policy(
        &self,
        agency: AgencyId,
        draft: &PolicyDraft,
        by: Option<AccountId>,
    ) -> StoreResult<Policy>;
    async fn policy(&self, id: PolicyId) -> StoreResult<Option<Policy>>;
    /// Changes a policy's fields (its sample flag stays as it was) as a new version, the
    /// earlier one kept.
    async fn update_policy(
        &self,
        id: PolicyId,
        draft: &PolicyDraft,
        by: Option<AccountId>,
    ) -> StoreResult<Policy>;
    async fn stories(&self, agency: AgencyId) -> StoreResult<Vec<SuccessStory>>;
    /// The agency's success stories in id order, as [`Self::parks_page`].
    async fn stories_page(
        &self,
        agency: AgencyId,
        after: Option<StoryId>,
        limit: usize,
    ) -> StoreResult<Vec<SuccessStory>>;
    async fn create_story(&self, agency: AgencyId, draft: &StoryDraft)
    -> StoreResult<SuccessStory>;
    async fn story(&self, id: StoryId) -> StoreResult<Option<SuccessStory>>;
    /// Changes a story's fields (its sample flag stays as it was).
    async fn update_story(&self, id: StoryId, draft: &StoryDraft) -> StoreResult<SuccessStory>;

    /// Every park, policy and story of every agency, archived ones included.
    async fn directory(&self) -> StoreResult<(Vec<Park>, Vec<Policy>, Vec<SuccessStory>)>;
    /// The changes after `seq`, oldest first, at most `limit`.
    async fn directory_changes(&self, after: i64, limit: i64) -> StoreResult<Vec<Change>>;
    /// The latest change's number (0 when none).
    async fn latest_directory_change(&self) -> StoreResult<i64>;
    /// Every version of a policy, newest first.
    async fn policy_versions(&self, policy: PolicyId) -> StoreResult<Vec<PolicyVersion>>;
    /// Archives or restores an item; `false` when there is no such item of the agency.
    async fn set_archived(
        &self,
        agency: AgencyId,
        kind: Kind,
        id: i64,
        archived: bool,
    ) -> StoreResult<bool>;
    /// Deletes an item and every link to it (sessions, parks, successors, stories).
    async fn delete_item(&self, agency: AgencyId, kind: Kind, id: i64) -> StoreResult<bool>;
    /// Applies a whole import in one transaction: all of it or nothing.
    async fn import_directory(
        &self,
        agency: AgencyId,
        plan: &ImportPlan,
        by: Option<AccountId>,
    ) -> StoreResult<ImportOutcome>;
    async fn glossary_terms(&self) -> StoreResult<Vec<GlossaryTerm>>;
    async fn add_glossary_term(
        &self,
        agency: AgencyId,
        concept: &str,
        lang: Lang,
        term: &str,
    ) -> StoreResult<GlossaryTerm>;
    async fn delete_glossary_term(&self, agency: AgencyId, id: i64) -> StoreResult<bool>;
}
