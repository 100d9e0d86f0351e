//! The directory: its parks, policies and stories (`items`), versions, numbered
//! changes, imports (`import`) and glossary.

mod import;
mod items;

use crate::dialect::{self};
use crate::questions::lang;
use crate::rows::{get, set_links};
use crate::{SqlStore, backend_error, now};
use async_trait::async_trait;
use items::*;
use roadshow_domain::Lang;
use roadshow_domain::directory::file::ImportPlan;
use roadshow_domain::directory::search::Kind;
use roadshow_domain::directory::versions::*;
use roadshow_domain::directory::*;
use roadshow_domain::ids::*;
use roadshow_domain::store::{StoreError, StoreResult};
use std::collections::HashMap;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

fn table(kind: Kind) -> &'static str {
    match kind {
        Kind::Policy => "policies",
        Kind::Park => "parks",
        Kind::Story => "stories",
    }
}

impl SqlStore {
    /// Numbers a change to the directory in the writer's transaction; on PostgreSQL the
    /// other processes hear of it when the transaction commits.
    pub(crate) async fn record_change(
        &self,
        tx: &mut Tx<'_>,
        agency: AgencyId,
        kind: &str,
        item: i64,
    ) -> StoreResult<()> {
        let seq: i64 = sqlx::query(
            "INSERT INTO directory_changes (agency_id, kind, item_id, changed_at) VALUES ($1, $2, $3, $4) RETURNING seq",
        )
        .bind(agency.0)
        .bind(kind)
        .bind(item)
        .bind(now())
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)
        .and_then(|row| get(&row, "seq"))?;
        dialect::notify_live(
            tx,
            self.backend,
            &self.live_channel,
            &format!("directory:{seq}"),
        )
        .await?;
        Ok(())
    }
}

async fn all_links(store: &SqlStore) -> StoreResult<Vec<(i64, i64)>> {
    let rows =
        sqlx::query("SELECT park_id, policy_id FROM park_policies ORDER BY park_id, position")
            .fetch_all(&store.read)
            .await
            .map_err(backend_error)?;
    rows.iter()
        .map(|r| Ok((get(r, "park_id")?, get(r, "policy_id")?)))
        .collect()
}

/// The SQL that selects a page's items of `table` for their links: the page is a run of
/// the agency's ids in order, so its first and last id bound it (ids are numbers, not
/// input, and are written into the statement).
fn page_filter(table: &str, ids: impl Iterator<Item = i64>) -> Option<String> {
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    for id in ids {
        first = first.min(id);
        last = last.max(id);
    }
    (first <= last).then(|| {
        format!("SELECT id FROM {table} WHERE agency_id = $1 AND id BETWEEN {first} AND {last}")
    })
}

fn limit_of(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

fn glossary_row(row: &sqlx::any::AnyRow) -> StoreResult<GlossaryTerm> {
    Ok(GlossaryTerm {
        id: get(row, "id")?,
        agency: AgencyId(get(row, "agency_id")?),
        concept: get(row, "concept")?,
        lang: lang(row, "lang")?,
        term: get(row, "term")?,
    })
}

#[async_trait]
impl DirectoryStore for SqlStore {
    async fn parks(&self, agency: AgencyId) -> StoreResult<Vec<Park>> {
        let mut parks = sqlx::query(&format!(
            "SELECT {PARK_COLUMNS} FROM parks WHERE agency_id = $1 ORDER BY id"
        ))
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(park_row)
        .collect::<StoreResult<Vec<_>>>()?;
        self.park_policies(
            &mut parks,
            "SELECT id FROM parks WHERE agency_id = $1",
            agency.0,
        )
        .await?;
        Ok(parks)
    }

    async fn parks_page(
        &self,
        agency: AgencyId,
        after: Option<ParkId>,
        limit: usize,
    ) -> StoreResult<Vec<Park>> {
        let mut parks = sqlx::query(&format!(
            "SELECT {PARK_COLUMNS} FROM parks WHERE agency_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(agency.0)
        .bind(after.map_or(0, |a| a.0))
        .bind(limit_of(limit))
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(park_row)
        .collect::<StoreResult<Vec<_>>>()?;
        if let Some(filter) = page_filter("parks", parks.iter().map(|p| p.id.0)) {
            self.park_policies(&mut parks, &filter, agency.0).await?;
        }
        Ok(parks)
    }

    async fn create_park(&self, agency: AgencyId, d: &ParkDraft) -> StoreResult<Park> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let id = insert_park(&mut tx, agency, d).await?;
        let links: Vec<i64> = d.policy_ids.iter().map(|p| p.0).collect();
        set_links(&mut tx, PARK_POLICIES, id, &links).await?;
        self.record_change(&mut tx, agency, "park", id).await?;
        tx.commit().await.map_err(backend_error)?;
        self.park(ParkId(id)).await?.ok_or(StoreError::NotFound)
    }

    async fn park(&self, id: ParkId) -> StoreResult<Option<Park>> {
        let sql = format!("SELECT {PARK_COLUMNS} FROM parks WHERE id = $1");
        let Some(row) = self.one(&sql, |q| q.bind(id.0)).await? else {
            return Ok(None);
        };
        let mut parks = vec![park_row(&row)?];
        self.park_policies(&mut parks, "$1", id.0).await?;
        Ok(parks.pop())
    }

    async fn update_park(&self, id: ParkId, d: &ParkDraft) -> StoreResult<Park> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let agency = update_park(&mut tx, id.0, d).await?;
        let links: Vec<i64> = d.policy_ids.iter().map(|p| p.0).collect();
        set_links(&mut tx, PARK_POLICIES, id.0, &links).await?;
        self.record_change(&mut tx, agency, "park", id.0).await?;
        tx.commit().await.map_err(backend_error)?;
        self.park(id).await?.ok_or(StoreError::NotFound)
    }

    async fn policies(&self, agency: AgencyId) -> StoreResult<Vec<Policy>> {
        let mut policies = sqlx::query(&format!(
            "SELECT {POLICY_COLUMNS} FROM policies WHERE agency_id = $1 ORDER BY id"
        ))
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(policy_row)
        .collect::<StoreResult<Vec<_>>>()?;
        self.policy_parks(
            &mut policies,
            "SELECT id FROM policies WHERE agency_id = $1",
            agency.0,
        )
        .await?;
        Ok(policies)
    }

    async fn policies_page(
        &self,
        agency: AgencyId,
        after: Option<PolicyId>,
        limit: usize,
    ) -> StoreResult<Vec<Policy>> {
        let mut policies = sqlx::query(&format!(
            "SELECT {POLICY_COLUMNS} FROM policies WHERE agency_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(agency.0)
        .bind(after.map_or(0, |a| a.0))
        .bind(limit_of(limit))
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(policy_row)
        .collect::<StoreResult<Vec<_>>>()?;
        if let Some(filter) = page_filter("policies", policies.iter().map(|p| p.id.0)) {
            self.policy_parks(&mut policies, &filter, agency.0).await?;
        }
        Ok(policies)
    }

    async fn create_policy(
        &self,
        agency: AgencyId,
        d: &PolicyDraft,
        by: Option<AccountId>,
    ) -> StoreResult<Policy> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let id = insert_policy(&mut tx, agency, d).await?;
        let policy = self.policy_saved(&mut tx, id, d, by).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(policy)
    }

    async fn policy(&self, id: PolicyId) -> StoreResult<Option<Policy>> {
        let Some(policy) = self
            .by_id("policies", POLICY_COLUMNS, id.0, policy_row)
            .await?
        else {
            return Ok(None);
        };
        let mut list = vec![policy];
        self.policy_parks(&mut list, "$1", id.0).await?;
        Ok(list.pop())
    }

    async fn update_policy(
        &self,
        id: PolicyId,
        d: &PolicyDraft,
        by: Option<AccountId>,
    ) -> StoreResult<Policy> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        update_policy(&mut tx, id.0, d).await?;
        let policy = self.policy_saved(&mut tx, id.0, d, by).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(policy)
    }

    async fn stories(&self, agency: AgencyId) -> StoreResult<Vec<SuccessStory>> {
        sqlx::query(&format!(
            "SELECT {STORY_COLUMNS} FROM stories WHERE agency_id = $1 ORDER BY id"
        ))
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(story_row)
        .collect()
    }

    async fn stories_page(
        &self,
        agency: AgencyId,
        after: Option<StoryId>,
        limit: usize,
    ) -> StoreResult<Vec<SuccessStory>> {
        sqlx::query(&format!(
            "SELECT {STORY_COLUMNS} FROM stories WHERE agency_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(agency.0)
        .bind(after.map_or(0, |a| a.0))
        .bind(limit_of(limit))
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(story_row)
        .collect()
    }

    async fn create_story(&self, agency: AgencyId, d: &StoryDraft) -> StoreResult<SuccessStory> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let id = insert_story(&mut tx, agency, d).await?;
        self.record_change(&mut tx, agency, "story", id).await?;
        tx.commit().await.map_err(backend_error)?;
        self.story(StoryId(id)).await?.ok_or(StoreError::NotFound)
    }

    async fn story(&self, id: StoryId) -> StoreResult<Option<SuccessStory>> {
        self.by_id("stories", STORY_COLUMNS, id.0, story_row).await
    }

    async fn update_story(&self, id: StoryId, d: &StoryDraft) -> StoreResult<SuccessStory> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let agency = update_story(&mut tx, id.0, d).await?;
        self.record_change(&mut tx, agency, "story", id.0).await?;
        tx.commit().await.map_err(backend_error)?;
        self.story(id).await?.ok_or(StoreError::NotFound)
    }

    async fn directory(&self) -> StoreResult<(Vec<Park>, Vec<Policy>, Vec<SuccessStory>)> {
        let mut parks: Vec<Park> =
            sqlx::query(&format!("SELECT {PARK_COLUMNS} FROM parks ORDER BY id"))
                .fetch_all(&self.read)
                .await
                .map_err(backend_error)?
                .iter()
                .map(park_row)
                .collect::<StoreResult<_>>()?;
        let mut policies: Vec<Policy> = sqlx::query(&format!(
            "SELECT {POLICY_COLUMNS} FROM policies ORDER BY id"
        ))
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(policy_row)
        .collect::<StoreResult<_>>()?;
        let stories = sqlx::query(&format!("SELECT {STORY_COLUMNS} FROM stories ORDER BY id"))
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(story_row)
            .collect::<StoreResult<_>>()?;
        let park_at: HashMap<i64, usize> =
            parks.iter().enumerate().map(|(i, p)| (p.id.0, i)).collect();
        let policy_at: HashMap<i64, usize> = policies
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.0, i))
            .collect();
        for (park, policy) in all_links(self).await? {
            if let (Some(a), Some(b)) = (park_at.get(&park), policy_at.get(&policy)) {
                parks[*a].policy_ids.push(PolicyId(policy));
                policies[*b].park_ids.push(ParkId(park));
            }
        }
        Ok((parks, policies, stories))
    }

    async fn directory_changes(&self, after: i64, limit: i64) -> StoreResult<Vec<Change>> {
        let rows = sqlx::query("SELECT seq, agency_id, kind, item_id FROM directory_changes WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
        rows.iter()
            .map(|r| {
                let kind: String = get(r, "kind")?;
                Ok(Change {
                    seq: get(r, "seq")?,
                    agency: AgencyId(get(r, "agency_id")?),
                    kind: Kind::from_code(&kind),
                    item: get(r, "item_id")?,
                })
            })
            .collect()
    }

    async fn latest_directory_change(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS seq FROM directory_changes")
            .fetch_one(&self.read)
            .await
            .map_err(backend_error)?;
        get(&row, "seq")
    }

    async fn policy_versions(&self, policy: PolicyId) -> StoreResult<Vec<PolicyVersion>> {
        let rows = sqlx::query(
            "SELECT v.version, v.snapshot, v.changed_by, v.changed_at, a.email FROM policy_versions v LEFT JOIN accounts a ON a.id = v.changed_by WHERE v.policy_id = $1 ORDER BY v.version DESC",
        )
        .bind(policy.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        rows.iter()
            .map(|r| {
                let snapshot: String = get(r, "snapshot")?;
                Ok(PolicyVersion {
                    version: get(r, "version")?,
                    policy: serde_json::from_str(&snapshot)
                        .map_err(|e| crate::rows::corrupt("snapshot", e))?,
                    changed_by: get::<Option<i64>>(r, "changed_by")?.map(AccountId),
                    changed_by_email: get(r, "email")?,
                    changed_at: get(r, "changed_at")?,
                })
            })
            .collect()
    }

    async fn set_archived(
        &self,
        agency: AgencyId,
        kind: Kind,
        id: i64,
        archived: bool,
    ) -> StoreResult<bool> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let done = sqlx::query(&format!(
            "UPDATE {} SET archived_at = $1 WHERE id = $2 AND agency_id = $3",
            table(kind)
        ))
        .bind(archived.then(now))
        .bind(id)
        .bind(agency.0)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.record_change(&mut tx, agency, kind.code(), id).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(true)
    }

    async fn delete_item(&self, agency: AgencyId, kind: Kind, id: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        // What points to it changes too: policies naming it as successor, stories in a
        // deleted park; they are re-read by the index.
        let pointing = match kind {
            Kind::Policy => Some(("policy", "SELECT id FROM policies WHERE successor_id = $1")),
            Kind::Park => Some(("story", "SELECT id FROM stories WHERE park_id = $1")),
            Kind::Story => None,
        };
        let mut touched = Vec::new();
        if let Some((k, sql)) = pointing {
            for row in sqlx::query(sql)
                .bind(id)
                .fetch_all(&mut *tx)
                .await
                .map_err(backend_error)?
            {
                touched.push((k, get::<i64>(&row, "id")?));
            }
        }
        // Links go with the row (foreign keys cascade or set null): sessions, parks'
        // policies, successors, stories' parks, versions.
        let done = sqlx::query(&format!(
            "DELETE FROM {} WHERE id = $1 AND agency_id = $2",
            table(kind)
        ))
        .bind(id)
        .bind(agency.0)
        .execute(&mut *tx)
        .await
        .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.record_change(&mut tx, agency, kind.code(), id).await?;
        for (k, item) in touched {
            self.record_change(&mut tx, agency, k, item).await?;
        }
        tx.commit().await.map_err(backend_error)?;
        Ok(true)
    }

    async fn import_directory(
        &self,
        agency: AgencyId,
        plan: &ImportPlan,
        by: Option<AccountId>,
    ) -> StoreResult<ImportOutcome> {
        import::run(self, agency, plan, by).await
    }

    async fn glossary_terms(&self) -> StoreResult<Vec<GlossaryTerm>> {
        sqlx::query("SELECT id, agency_id, concept, lang, term FROM glossary_terms ORDER BY concept, lang, term")
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(glossary_row)
            .collect()
    }

    async fn add_glossary_term(
        &self,
        agency: AgencyId,
        concept: &str,
        lang: Lang,
        term: &str,
    ) -> StoreResult<GlossaryTerm> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let row = sqlx::query(
            "INSERT INTO glossary_terms (agency_id, concept, lang, term, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id, agency_id, concept, lang, term",
        )
        .bind(agency.0)
        .bind(concept)
        .bind(lang.code())
        .bind(term)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
        let term = glossary_row(&row)?;
        self.record_change(&mut tx, agency, "glossary", term.id)
            .await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(term)
    }

    async fn delete_glossary_term(&self, agency: AgencyId, id: i64) -> StoreResult<bool> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let done = sqlx::query("DELETE FROM glossary_terms WHERE id = $1 AND agency_id = $2")
            .bind(id)
            .bind(agency.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        self.record_change(&mut tx, agency, "glossary", id).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(true)
    }
}
