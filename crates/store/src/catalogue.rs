//! The agency's parks, policies and success stories.

use crate::dialect::float_param;
use crate::rows::{LinkTable, flag, get, json, set_links, to_json};
use crate::{AnyQuery, SqlStore, backend_error};
use async_trait::async_trait;
use roadshow_domain::catalogue::*;
use roadshow_domain::ids::*;
use roadshow_domain::store::{StoreError, StoreResult};
use sqlx::any::AnyRow;

const PARK_COLUMNS: &str = "id, agency_id, slug, name, district, summary, focus_industries, area_km2, website, contact, is_sample";
const POLICY_COLUMNS: &str = "id, agency_id, slug, title, issuing_body, region, sectors, benefit_types, summary, valid_from, valid_until, source_url, is_sample";
const STORY_COLUMNS: &str = "id, agency_id, slug, company_name, country, title, body, is_sample";
/// Binds a park's fields in the order the statements below name their columns.
fn bind_park<'q>(q: AnyQuery<'q>, d: &'q ParkDraft) -> AnyQuery<'q> {
    q.bind(&d.slug)
        .bind(to_json(&d.name))
        .bind(to_json(&d.district))
        .bind(to_json(&d.summary))
        .bind(to_json(&d.focus_industries))
        .bind(float_param(d.area_km2))
        .bind(d.website.clone())
        .bind(d.contact.clone())
}

/// Binds a policy's fields in the order the statements below name their columns.
fn bind_policy<'q>(q: AnyQuery<'q>, d: &'q PolicyDraft) -> AnyQuery<'q> {
    q.bind(&d.slug)
        .bind(to_json(&d.title))
        .bind(to_json(&d.issuing_body))
        .bind(to_json(&d.region))
        .bind(to_json(&d.sectors))
        .bind(to_json(&d.benefit_types))
        .bind(to_json(&d.summary))
        .bind(d.valid_from.clone())
        .bind(d.valid_until.clone())
        .bind(d.source_url.clone())
}

/// Binds a story's fields in the order the statements below name their columns.
fn bind_story<'q>(q: AnyQuery<'q>, d: &'q StoryDraft) -> AnyQuery<'q> {
    q.bind(&d.slug)
        .bind(&d.company_name)
        .bind(&d.country)
        .bind(to_json(&d.title))
        .bind(to_json(&d.body))
}

const PARK_POLICIES: LinkTable = LinkTable::new("park_policies", "park_id", "policy_id");

fn park_row(row: &AnyRow) -> StoreResult<Park> {
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
    })
}

fn policy_row(row: &AnyRow) -> StoreResult<Policy> {
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
    })
}

fn story_row(row: &AnyRow) -> StoreResult<SuccessStory> {
    Ok(SuccessStory {
        id: StoryId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        slug: get(row, "slug")?,
        company_name: get(row, "company_name")?,
        country: get(row, "country")?,
        title: json(row, "title")?,
        body: json(row, "body")?,
        is_sample: flag(row, "is_sample")?,
    })
}

#[async_trait]
impl CatalogueStore for SqlStore {
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

    async fn create_park(&self, agency: AgencyId, d: &ParkDraft) -> StoreResult<Park> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let sql = "INSERT INTO parks (agency_id, slug, name, district, summary, focus_industries, area_km2, website, contact, is_sample) VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS DOUBLE PRECISION), $8, $9, $10) RETURNING id";
        let id: i64 = bind_park(sqlx::query(sql).bind(agency.0), d)
            .bind(i64::from(d.is_sample))
            .fetch_one(&mut *tx)
            .await
            .map_err(backend_error)
            .and_then(|row| get(&row, "id"))?;
        let links: Vec<i64> = d.policy_ids.iter().map(|p| p.0).collect();
        set_links(&mut tx, PARK_POLICIES, id, &links).await?;
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
        let sql = "UPDATE parks SET slug = $1, name = $2, district = $3, summary = $4, focus_industries = $5, area_km2 = CAST($6 AS DOUBLE PRECISION), website = $7, contact = $8 WHERE id = $9";
        let done = bind_park(sqlx::query(sql), d)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let links: Vec<i64> = d.policy_ids.iter().map(|p| p.0).collect();
        set_links(&mut tx, PARK_POLICIES, id.0, &links).await?;
        tx.commit().await.map_err(backend_error)?;
        self.park(id).await?.ok_or(StoreError::NotFound)
    }

    async fn policies(&self, agency: AgencyId) -> StoreResult<Vec<Policy>> {
        sqlx::query(&format!(
            "SELECT {POLICY_COLUMNS} FROM policies WHERE agency_id = $1 ORDER BY id"
        ))
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(policy_row)
        .collect()
    }

    async fn create_policy(&self, agency: AgencyId, d: &PolicyDraft) -> StoreResult<Policy> {
        let sql = format!(
            "INSERT INTO policies (agency_id, slug, title, issuing_body, region, sectors, benefit_types, summary, valid_from, valid_until, source_url, is_sample) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING {POLICY_COLUMNS}"
        );
        let row = bind_policy(sqlx::query(&sql).bind(agency.0), d)
            .bind(i64::from(d.is_sample))
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        policy_row(&row)
    }

    async fn policy(&self, id: PolicyId) -> StoreResult<Option<Policy>> {
        self.by_id("policies", POLICY_COLUMNS, id.0, policy_row)
            .await
    }

    async fn update_policy(&self, id: PolicyId, d: &PolicyDraft) -> StoreResult<Policy> {
        let sql = format!(
            "UPDATE policies SET slug = $1, title = $2, issuing_body = $3, region = $4, sectors = $5, benefit_types = $6, summary = $7, valid_from = $8, valid_until = $9, source_url = $10 WHERE id = $11 RETURNING {POLICY_COLUMNS}"
        );
        bind_policy(sqlx::query(&sql), d)
            .bind(id.0)
            .fetch_optional(&self.write)
            .await
            .map_err(backend_error)?
            .map(|r| policy_row(&r))
            .transpose()?
            .ok_or(StoreError::NotFound)
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

    async fn create_story(&self, agency: AgencyId, d: &StoryDraft) -> StoreResult<SuccessStory> {
        let sql = format!(
            "INSERT INTO stories (agency_id, slug, company_name, country, title, body, is_sample) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {STORY_COLUMNS}"
        );
        let row = bind_story(sqlx::query(&sql).bind(agency.0), d)
            .bind(i64::from(d.is_sample))
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        story_row(&row)
    }

    async fn story(&self, id: StoryId) -> StoreResult<Option<SuccessStory>> {
        self.by_id("stories", STORY_COLUMNS, id.0, story_row).await
    }

    async fn update_story(&self, id: StoryId, d: &StoryDraft) -> StoreResult<SuccessStory> {
        let sql = format!(
            "UPDATE stories SET slug = $1, company_name = $2, country = $3, title = $4, body = $5 WHERE id = $6 RETURNING {STORY_COLUMNS}"
        );
        bind_story(sqlx::query(&sql), d)
            .bind(id.0)
            .fetch_optional(&self.write)
            .await
            .map_err(backend_error)?
            .map(|r| story_row(&r))
            .transpose()?
            .ok_or(StoreError::NotFound)
    }
}

impl SqlStore {
    /// Fills in the linked policies of the parks `filter` selects.
    async fn park_policies(&self, parks: &mut [Park], filter: &str, param: i64) -> StoreResult<()> {
        for (owner, target) in self.links(PARK_POLICIES, filter, param).await? {
            if let Some(p) = parks.iter_mut().find(|p| p.id.0 == owner) {
                p.policy_ids.push(PolicyId(target));
            }
        }
        Ok(())
    }
}
