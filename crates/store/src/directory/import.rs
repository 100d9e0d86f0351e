//! A whole import in one transaction: items are matched by external id (or, for items
//! that have none, by slug), created or updated, and linked by external id; an item that
//! did not change is left alone (no new version).

use super::Tx;
use super::items::{
    PARK_COLUMNS, POLICY_COLUMNS, STORY_COLUMNS, insert_park, insert_policy, insert_story,
    park_row, policy_row, story_row, update_park, update_policy, update_story,
};
use crate::rows::get;
use crate::{SqlStore, backend_error};
use roadshow_domain::directory::Kind;
use roadshow_domain::directory::file::ImportPlan;
use roadshow_domain::directory::versions::ImportOutcome;
use roadshow_domain::directory::{Park, ParkDraft, Policy, PolicyDraft, StoryDraft, SuccessStory};
use roadshow_domain::ids::*;
use roadshow_domain::store::{StoreError, StoreResult};
use std::collections::HashMap;

/// Finds the existing item for an external id: by that id, else by slug among items
/// without one (what an export of them wrote as `kind:slug`).
fn find<'a, T>(
    items: &'a [T],
    ext: Option<&str>,
    slug: &str,
    key: impl Fn(&T) -> (Option<&str>, &str),
) -> Option<&'a T> {
    items
        .iter()
        .find(|i| ext.is_some() && key(i).0 == ext)
        .or_else(|| {
            items
                .iter()
                .find(|i| key(i).0.is_none() && key(i).1 == slug)
        })
}

/// Keeps an item's missing external id missing when the file only has the one an export
/// made up from its slug (so a round trip changes nothing).
fn keep_missing(ext: &Option<String>, existing: Option<&str>, made_up: String) -> Option<String> {
    match (existing, ext) {
        (None, Some(e)) if *e == made_up => None,
        _ => ext.clone(),
    }
}

async fn existing_parks(tx: &mut Tx<'_>, agency: AgencyId) -> StoreResult<Vec<Park>> {
    sqlx::query(&format!(
        "SELECT {PARK_COLUMNS} FROM parks WHERE agency_id = $1"
    ))
    .bind(agency.0)
    .fetch_all(&mut **tx)
    .await
    .map_err(backend_error)?
    .iter()
    .map(park_row)
    .collect()
}

async fn existing_policies(tx: &mut Tx<'_>, agency: AgencyId) -> StoreResult<Vec<Policy>> {
    let mut policies: Vec<Policy> = sqlx::query(&format!(
        "SELECT {POLICY_COLUMNS} FROM policies WHERE agency_id = $1"
    ))
    .bind(agency.0)
    .fetch_all(&mut **tx)
    .await
    .map_err(backend_error)?
    .iter()
    .map(policy_row)
    .collect::<StoreResult<_>>()?;
    let at: HashMap<i64, usize> = policies
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.0, i))
        .collect();
    let links = sqlx::query("SELECT l.policy_id, l.park_id FROM park_policies l JOIN policies p ON p.id = l.policy_id WHERE p.agency_id = $1 ORDER BY l.policy_id, l.position, l.park_id")
        .bind(agency.0)
        .fetch_all(&mut **tx)
        .await
        .map_err(backend_error)?;
    for row in &links {
        let (policy, park): (i64, i64) = (get(row, "policy_id")?, get(row, "park_id")?);
        if let Some(i) = at.get(&policy) {
            policies[*i].park_ids.push(ParkId(park));
        }
    }
    Ok(policies)
}

async fn existing_stories(tx: &mut Tx<'_>, agency: AgencyId) -> StoreResult<Vec<SuccessStory>> {
    sqlx::query(&format!(
        "SELECT {STORY_COLUMNS} FROM stories WHERE agency_id = $1"
    ))
    .bind(agency.0)
    .fetch_all(&mut **tx)
    .await
    .map_err(backend_error)?
    .iter()
    .map(story_row)
    .collect()
}

fn park_same(p: &Park, d: &ParkDraft) -> bool {
    p.slug == d.slug
        && p.name == d.name
        && p.district == d.district
        && p.summary == d.summary
        && p.focus_industries == d.focus_industries
        && p.area_km2 == d.area_km2
        && p.website == d.website
        && p.contact == d.contact
        && p.external_id == d.external_id
        && p.address == d.address
        && p.latitude == d.latitude
        && p.longitude == d.longitude
        && !p.archived
}

fn policy_same(p: &Policy, d: &PolicyDraft) -> bool {
    let mut parks: Vec<ParkId> = p.park_ids.clone();
    parks.sort();
    let mut wanted: Vec<ParkId> = d.park_ids.clone().unwrap_or_default();
    wanted.sort();
    p.slug == d.slug
        && p.title == d.title
        && p.issuing_body == d.issuing_body
        && p.region == d.region
        && p.sectors == d.sectors
        && p.benefit_types == d.benefit_types
        && p.summary == d.summary
        && p.valid_from == d.valid_from
        && p.valid_until == d.valid_until
        && p.source_url == d.source_url
        && p.body == d.body
        && p.criteria == d.criteria
        && p.successor_id == d.successor_id
        && p.external_id == d.external_id
        && parks == wanted
        && !p.archived
}

fn story_same(s: &SuccessStory, d: &StoryDraft) -> bool {
    s.slug == d.slug
        && s.company_name == d.company_name
        && s.country == d.country
        && s.title == d.title
        && s.body == d.body
        && s.park_id == d.park_id
        && s.external_id == d.external_id
        && !s.archived
}

/// Restores an archived item that a file brings back.
async fn unarchive(tx: &mut Tx<'_>, table: &str, id: i64) -> StoreResult<()> {
    sqlx::query(&format!(
        "UPDATE {table} SET archived_at = NULL WHERE id = $1"
    ))
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(backend_error)?;
    Ok(())
}

/// What an import has done so far: where it writes, what it counted, and the ids that
/// later items link to, by external id.
struct Import<'a, 't> {
    store: &'a SqlStore,
    tx: Tx<'t>,
    agency: AgencyId,
    by: Option<AccountId>,
    out: ImportOutcome,
    park_ids: HashMap<String, i64>,
}

pub(super) async fn run(
    store: &SqlStore,
    agency: AgencyId,
    plan: &ImportPlan,
    by: Option<AccountId>,
) -> StoreResult<ImportOutcome> {
    let tx = store.write.begin().await.map_err(backend_error)?;
    let mut import = Import {
        store,
        tx,
        agency,
        by,
        out: ImportOutcome::default(),
        park_ids: HashMap::new(),
    };
    import.parks(&plan.parks).await?;
    import.policies(&plan.policies).await?;
    import.stories(&plan.stories).await?;
    import.tx.commit().await.map_err(backend_error)?;
    Ok(import.out)
}

impl Import<'_, '_> {
    fn park_of(&self, ext: &str) -> StoreResult<i64> {
        self.park_ids.get(ext).copied().ok_or(StoreError::NotFound)
    }

    async fn parks(&mut self, drafts: &[ParkDraft]) -> StoreResult<()> {
        let (agency, tx) = (self.agency, &mut self.tx);
        let parks = existing_parks(tx, agency).await?;
        // Items without an external id are known by the one an export gives them.
        self.park_ids = parks
            .iter()
            .map(|p| {
                (
                    p.external_id
                        .clone()
                        .unwrap_or_else(|| Kind::Park.key(&p.slug)),
                    p.id.0,
                )
            })
            .collect();
        for d in drafts {
            let ext = d.external_id.as_deref();
            let found = find(&parks, ext, &d.slug, |p| {
                (p.external_id.as_deref(), &p.slug)
            });
            let mut d = d.clone();
            d.external_id = keep_missing(
                &d.external_id,
                found.and_then(|p| p.external_id.as_deref()),
                Kind::Park.key(&d.slug),
            );
            let tx = &mut self.tx;
            let id = match found {
                Some(p) if park_same(p, &d) => {
                    self.out.unchanged += 1;
                    p.id.0
                }
                Some(p) => {
                    update_park(tx, p.id.0, &d).await?;
                    unarchive(tx, "parks", p.id.0).await?;
                    self.store.record_change(tx, agency, "park", p.id.0).await?;
                    self.out.updated += 1;
                    p.id.0
                }
                None => {
                    let id = insert_park(tx, agency, &d).await?;
                    self.store.record_change(tx, agency, "park", id).await?;
                    self.out.created += 1;
                    id
                }
            };
            if let Some(e) = ext {
                self.park_ids.insert(e.to_string(), id);
            }
        }
        Ok(())
    }

    /// First every policy gets its id (new ones are inserted), then links and successors
    /// are resolved, since a successor may come later in the file.
    async fn policies(
        &mut self,
        drafts: &[(PolicyDraft, Vec<String>, Option<String>)],
    ) -> StoreResult<()> {
        let (agency, by) = (self.agency, self.by);
        let policies = existing_policies(&mut self.tx, agency).await?;
        let mut policy_ids: HashMap<String, i64> = policies
            .iter()
            .map(|p| {
                (
                    p.external_id
                        .clone()
                        .unwrap_or_else(|| Kind::Policy.key(&p.slug)),
                    p.id.0,
                )
            })
            .collect();
        let mut planned: Vec<(PolicyDraft, Option<&Policy>, i64)> = Vec::new();
        for (d, _, _) in drafts {
            let ext = d.external_id.as_deref();
            let found = find(&policies, ext, &d.slug, |p| {
                (p.external_id.as_deref(), &p.slug)
            });
            let mut d = d.clone();
            d.external_id = keep_missing(
                &d.external_id,
                found.and_then(|p| p.external_id.as_deref()),
                Kind::Policy.key(&d.slug),
            );
            let id = match found {
                Some(p) => p.id.0,
                None => {
                    let unlinked = PolicyDraft {
                        successor_id: None,
                        ..d.clone()
                    };
                    insert_policy(&mut self.tx, agency, &unlinked).await?
                }
            };
            if let Some(e) = ext {
                policy_ids.insert(e.to_string(), id);
            }
            planned.push((d, found, id));
        }
        for ((mut d, found, id), (_, parks, successor)) in planned.into_iter().zip(drafts) {
            d.park_ids = Some(
                parks
                    .iter()
                    .map(|p| self.park_of(p).map(ParkId))
                    .collect::<StoreResult<_>>()?,
            );
            d.successor_id = match successor {
                Some(s) => Some(PolicyId(
                    policy_ids.get(s).copied().ok_or(StoreError::NotFound)?,
                )),
                None => None,
            };
            let tx = &mut self.tx;
            match found {
                Some(p) if policy_same(p, &d) => self.out.unchanged += 1,
                Some(p) => {
                    update_policy(tx, p.id.0, &d).await?;
                    unarchive(tx, "policies", p.id.0).await?;
                    self.store.policy_saved(tx, id, &d, by).await?;
                    self.out.updated += 1;
                }
                None => {
                    sqlx::query("UPDATE policies SET successor_id = $1 WHERE id = $2")
                        .bind(d.successor_id.map(|p| p.0))
                        .bind(id)
                        .execute(&mut **tx)
                        .await
                        .map_err(backend_error)?;
                    self.store.policy_saved(tx, id, &d, by).await?;
                    self.out.created += 1;
                }
            }
        }
        Ok(())
    }

    async fn stories(&mut self, drafts: &[(StoryDraft, Option<String>)]) -> StoreResult<()> {
        let agency = self.agency;
        let stories = existing_stories(&mut self.tx, agency).await?;
        for (d, park) in drafts {
            let found = find(&stories, d.external_id.as_deref(), &d.slug, |s| {
                (s.external_id.as_deref(), &s.slug)
            });
            let mut d = d.clone();
            d.external_id = keep_missing(
                &d.external_id,
                found.and_then(|s| s.external_id.as_deref()),
                Kind::Story.key(&d.slug),
            );
            d.park_id = match park {
                Some(p) => Some(ParkId(self.park_of(p)?)),
                None => None,
            };
            let tx = &mut self.tx;
            match found {
                Some(s) if story_same(s, &d) => self.out.unchanged += 1,
                Some(s) => {
                    update_story(tx, s.id.0, &d).await?;
                    unarchive(tx, "stories", s.id.0).await?;
                    self.store
                        .record_change(tx, agency, "story", s.id.0)
                        .await?;
                    self.out.updated += 1;
                }
                None => {
                    let id = insert_story(tx, agency, &d).await?;
                    self.store.record_change(tx, agency, "story", id).await?;
                    self.out.created += 1;
                }
            }
        }
        Ok(())
    }
}
