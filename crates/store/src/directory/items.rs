//! The agency's parks, policies and success stories.

use crate::dialect::float_param;
use crate::rows::{LinkTable, flag, get, json, set_links, to_json};
use crate::{AnyQuery, SqlStore, backend_error};
use roadshow_domain::directory::*;
use roadshow_domain::ids::*;
use roadshow_domain::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;

pub(crate) const PARK_COLUMNS: &str = "id, agency_id, slug, name, district, summary, focus_industries, area_km2, website, contact, is_sample, external_id, address, latitude, longitude, archived_at";
pub(crate) const POLICY_COLUMNS: &str = "id, agency_id, slug, title, issuing_body, region, sectors, benefit_types, summary, valid_from, valid_until, source_url, is_sample, external_id, body, criteria, successor_id, archived_at, version, updated_at";
pub(crate) const STORY_COLUMNS: &str = "id, agency_id, slug, company_name, country, title, body, is_sample, external_id, park_id, archived_at";
/// Binds a park's fields in the order the statements below name their columns.
fn bind_park<'q>(q: AnyQuery<'q>, d: &'q ParkDraft) -> StoreResult<AnyQuery<'q>> {
    Ok(q.bind(&d.slug)
        .bind(to_json(&d.name)?)
        .bind(to_json(&d.district)?)
        .bind(to_json(&d.summary)?)
        .bind(to_json(&d.focus_industries)?)
        .bind(float_param(d.area_km2))
        .bind(d.website.clone())
        .bind(d.contact.clone())
        .bind(d.external_id.clone())
        .bind(d.address.clone())
        .bind(float_param(d.latitude))
        .bind(float_param(d.longitude)))
}

/// Binds a policy's fields in the order the statements below name their columns.
fn bind_policy<'q>(q: AnyQuery<'q>, d: &'q PolicyDraft) -> StoreResult<AnyQuery<'q>> {
    Ok(q.bind(&d.slug)
        .bind(to_json(&d.title)?)
        .bind(to_json(&d.issuing_body)?)
        .bind(to_json(&d.region)?)
        .bind(to_json(&d.sectors)?)
        .bind(to_json(&d.benefit_types)?)
        .bind(to_json(&d.summary)?)
        .bind(d.valid_from.clone())
        .bind(d.valid_until.clone())
        .bind(d.source_url.clone())
        .bind(d.external_id.clone())
        .bind(to_json(&d.body)?)
        .bind(to_json(&d.criteria)?)
        .bind(d.successor_id.map(|p| p.0)))
}

/// Binds a story's fields in the order the statements below name their columns.
fn bind_story<'q>(q: AnyQuery<'q>, d: &'q StoryDraft) -> StoreResult<AnyQuery<'q>> {
    Ok(q.bind(&d.slug)
        .bind(&d.company_name)
        .bind(&d.country)
        .bind(to_json(&d.title)?)
        .bind(to_json(&d.body)?)
        .bind(d.external_id.clone())
        .bind(d.park_id.map(|p| p.0)))
}

pub(crate) const PARK_POLICIES: LinkTable = LinkTable::new("park_policies", "park_id", "policy_id");
/// The same links seen from the policy.
pub(crate) const POLICY_PARKS: LinkTable = LinkTable::new("park_policies", "policy_id", "park_id");

pub(crate) fn park_row(row: &AnyRow) -> StoreResult<Park> {
    Ok(Park {
        id: ParkId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        slug: get(row, "slug")?,
        name: json(row, "name")?,
        district: json(row, "district")?,
        summary: json(row, "summary")?,
        focus_industries: json(row, "focus_industries")?,
        area_km2: get(row, "area_km2")?,
        website: get(row, "website")?,
        contact: get(row, "contact")?,
        is_sample: flag(row, "is_sample")?,
        policy_ids: Vec::new(),
        external_id: get(row, "external_id")?,
        address: get(row, "address")?,
        latitude: get(row, "latitude")?,
        longitude: get(row, "longitude")?,
        archived: get::<Option<i64>>(row, "archived_at")?.is_some(),
    })
}

pub(crate) fn policy_row(row: &AnyRow) -> StoreResult<Policy> {
    Ok(Policy {
        id: PolicyId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        slug: get(row, "slug")?,
        title: json(row, "title")?,
        issuing_body: json(row, "issuing_body")?,
        region: json(row, "region")?,
        sectors: json(row, "sectors")?,
        benefit_types: json(row, "benefit_types")?,
        summary: json(row, "summary")?,
        valid_from: get(row, "valid_from")?,
        valid_until: get(row, "valid_until")?,
        source_url: get(row, "source_url")?,
        is_sample: flag(row, "is_sample")?,
        external_id: get(row, "external_id")?,
        body: json(row, "body")?,
        criteria: json(row, "criteria")?,
        successor_id: get::<Option<i64>>(row, "successor_id")?.map(PolicyId),
        park_ids: Vec::new(),
        archived: get::<Option<i64>>(row, "archived_at")?.is_some(),
        version: get(row, "version")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) fn story_row(row: &AnyRow) -> StoreResult<SuccessStory> {
    Ok(SuccessStory {
        id: StoryId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        slug: get(row, "slug")?,
        company_name: get(row, "company_name")?,
        country: get(row, "country")?,
        title: json(row, "title")?,
        body: json(row, "body")?,
        is_sample: flag(row, "is_sample")?,
        external_id: get(row, "external_id")?,
        park_id: get::<Option<i64>>(row, "park_id")?.map(ParkId),
        archived: get::<Option<i64>>(row, "archived_at")?.is_some(),
    })
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

pub(crate) async fn insert_park(
    tx: &mut Tx<'_>,
    agency: AgencyId,
    d: &ParkDraft,
) -> StoreResult<i64> {
    let sql = "INSERT INTO parks (agency_id, slug, name, district, summary, focus_industries, area_km2, website, contact, external_id, address, latitude, longitude, is_sample) VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS DOUBLE PRECISION), $8, $9, $10, $11, CAST($12 AS DOUBLE PRECISION), CAST($13 AS DOUBLE PRECISION), $14) RETURNING id";
    bind_park(sqlx::query(sql).bind(agency.0), d)?
        .bind(i64::from(d.is_sample))
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)
        .and_then(|row| get(&row, "id"))
}

/// Changes a park's fields; its agency, or `NotFound`.
pub(crate) async fn update_park(tx: &mut Tx<'_>, id: i64, d: &ParkDraft) -> StoreResult<AgencyId> {
    let sql = "UPDATE parks SET slug = $1, name = $2, district = $3, summary = $4, focus_industries = $5, area_km2 = CAST($6 AS DOUBLE PRECISION), website = $7, contact = $8, external_id = $9, address = $10, latitude = CAST($11 AS DOUBLE PRECISION), longitude = CAST($12 AS DOUBLE PRECISION) WHERE id = $13 RETURNING agency_id";
    bind_park(sqlx::query(sql), d)?
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(backend_error)?
        .map(|row| get(&row, "agency_id").map(AgencyId))
        .transpose()?
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn insert_policy(
    tx: &mut Tx<'_>,
    agency: AgencyId,
    d: &PolicyDraft,
) -> StoreResult<i64> {
    let sql = "INSERT INTO policies (agency_id, slug, title, issuing_body, region, sectors, benefit_types, summary, valid_from, valid_until, source_url, external_id, body, criteria, successor_id, is_sample, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17) RETURNING id";
    bind_policy(sqlx::query(sql).bind(agency.0), d)?
        .bind(i64::from(d.is_sample))
        .bind(crate::now())
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)
        .and_then(|row| get(&row, "id"))
}

/// Changes a policy's fields as its next version.
pub(crate) async fn update_policy(tx: &mut Tx<'_>, id: i64, d: &PolicyDraft) -> StoreResult<()> {
    let sql = "UPDATE policies SET slug = $1, title = $2, issuing_body = $3, region = $4, sectors = $5, benefit_types = $6, summary = $7, valid_from = $8, valid_until = $9, source_url = $10, external_id = $11, body = $12, criteria = $13, successor_id = $14, version = version + 1, updated_at = $15 WHERE id = $16";
    let done = bind_policy(sqlx::query(sql), d)?
        .bind(crate::now())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(backend_error)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn insert_story(
    tx: &mut Tx<'_>,
    agency: AgencyId,
    d: &StoryDraft,
) -> StoreResult<i64> {
    let sql = "INSERT INTO stories (agency_id, slug, company_name, country, title, body, external_id, park_id, is_sample) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    bind_story(sqlx::query(sql).bind(agency.0), d)?
        .bind(i64::from(d.is_sample))
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)
        .and_then(|row| get(&row, "id"))
}

pub(crate) async fn update_story(
    tx: &mut Tx<'_>,
    id: i64,
    d: &StoryDraft,
) -> StoreResult<AgencyId> {
    let sql = "UPDATE stories SET slug = $1, company_name = $2, country = $3, title = $4, body = $5, external_id = $6, park_id = $7 WHERE id = $8 RETURNING agency_id";
    bind_story(sqlx::query(sql), d)?
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(backend_error)?
        .map(|row| get(&row, "agency_id").map(AgencyId))
        .transpose()?
        .ok_or(StoreError::NotFound)
}

impl SqlStore {
    /// After a policy's row was written in `tx`: sets its parks (when the draft names
    /// them), keeps the saved state as a version and records the change.
    pub(crate) async fn policy_saved(
        &self,
        tx: &mut Tx<'_>,
        id: i64,
        d: &PolicyDraft,
        by: Option<AccountId>,
    ) -> StoreResult<Policy> {
        if let Some(parks) = &d.park_ids {
            let links: Vec<i64> = parks.iter().map(|p| p.0).collect();
            set_links(tx, POLICY_PARKS, id, &links).await?;
        }
        let row = sqlx::query(&format!(
            "SELECT {POLICY_COLUMNS} FROM policies WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)?;
        let mut policy = policy_row(&row)?;
        let parks = sqlx::query(
            "SELECT park_id FROM park_policies WHERE policy_id = $1 ORDER BY position, park_id",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .map_err(backend_error)?;
        for row in &parks {
            policy.park_ids.push(ParkId(get(row, "park_id")?));
        }
        sqlx::query("INSERT INTO policy_versions (policy_id, version, snapshot, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(policy.version)
            .bind(to_json(&policy)?)
            .bind(by.map(|a| a.0))
            .bind(policy.updated_at)
            .execute(&mut **tx)
            .await
            .map_err(backend_error)?;
        self.record_change(tx, policy.agency_id, "policy", id)
            .await?;
        Ok(policy)
    }

    /// Fills in the parks of the policies `filter` selects.
    pub(crate) async fn policy_parks(
        &self,
        policies: &mut [Policy],
        filter: &str,
        param: i64,
    ) -> StoreResult<()> {
        let at: std::collections::HashMap<i64, usize> = policies
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.0, i))
            .collect();
        for (owner, target) in self.links(POLICY_PARKS, filter, param).await? {
            if let Some(i) = at.get(&owner) {
                policies[*i].park_ids.push(ParkId(target));
            }
        }
        Ok(())
    }

    /// Fills in the linked policies of the parks `filter` selects.
    pub(crate) async fn park_policies(
        &self,
        parks: &mut [Park],
        filter: &str,
        param: i64,
    ) -> StoreResult<()> {
        for (owner, target) in self.links(PARK_POLICIES, filter, param).await? {
            if let Some(p) = parks.iter_mut().find(|p| p.id.0 == owner) {
                p.policy_ids.push(PolicyId(target));
            }
        }
        Ok(())
    }
}
