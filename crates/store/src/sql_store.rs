//! [`SqlStore`]: the one implementation of [`Store`], over SQLite or PostgreSQL.

use crate::rows::{self, get, to_json};
use crate::{Backend, backend_error, migrate};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use roadshow_domain::Localized;
use roadshow_domain::event::{DepartmentDraft, EventDraft, SessionDraft};
use roadshow_domain::ids::*;
use roadshow_domain::mail::{EmailMessage, EmailStatus};
use roadshow_domain::principal::{Role, StaffMember};
use roadshow_domain::qa::*;
use roadshow_domain::registration::NewRegistration;
use roadshow_domain::store::*;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// The store. Reads go to `read`, writes to `write`; on PostgreSQL both are one pool, on
/// SQLite `write` holds a single connection.
#[derive(Clone)]
pub struct SqlStore {
    pub(crate) read: AnyPool,
    pub(crate) write: AnyPool,
    pub(crate) backend: Backend,
    /// The PostgreSQL URL, for the listener's own connection.
    url: String,
    /// The NOTIFY channel of this database and schema (tests share a server).
    pub(crate) live_channel: String,
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

const EVENT_COLUMNS: &str = "id, agency_id, slug, title, theme, description, focus_industries, target_countries, languages, starts_at, ends_at, timezone, video_url, status, registration_questions, privacy_version, updated_at";
const REGISTRATION_SELECT: &str = "SELECT r.id, r.event_id, r.participant_id, r.company_id, r.consent_at, r.consent_version, r.answers, r.created_at, \
     p.email AS p_email, p.name AS p_name, p.job_title AS p_job_title, p.language AS p_language, \
     c.name AS c_name, c.country AS c_country, c.industry AS c_industry, c.size AS c_size, c.website AS c_website, c.is_sample AS c_is_sample \
     FROM registrations r JOIN participants p ON p.id = r.participant_id JOIN companies c ON c.id = r.company_id";
const USER_COLUMNS: &str = "id, agency_id, email, display_name, role, department_id";
const OUTBOX_COLUMNS: &str = "id, recipient, subject, body_text, attachments, status, attempts, last_error, created_at, sent_at";

pub(crate) fn now() -> i64 {
    Utc::now().timestamp()
}

fn ids_json<T: Copy>(ids: &[T], raw: fn(T) -> i64) -> String {
    to_json(&ids.iter().map(|i| raw(*i)).collect::<Vec<_>>())
}

/// Makes `unique` conflicts name the rule the caller hit.
fn conflict_as(code: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |err| match backend_error(err) {
        StoreError::Conflict(_) => StoreError::Conflict(code),
        other => other,
    }
}

impl SqlStore {
    /// Opens the database the URL names (`sqlite:PATH` or `postgres://...`), creating a
    /// SQLite file when missing, and applies the embedded migrations.
    pub async fn connect(url: &str) -> StoreResult<SqlStore> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| {
            StoreError::Backend(format!(
                "unsupported database URL (use sqlite: or postgres://): {url}"
            ))
        })?;
        let store = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                let open = |max: u32| {
                    AnyPoolOptions::new()
                        .max_connections(max)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(|conn, _meta| {
                            Box::pin(async move {
                                conn.execute(
                                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                        .connect(&url)
                };
                let write = open(1).await.map_err(backend_error)?;
                let read = open(4).await.map_err(backend_error)?;
                SqlStore {
                    read,
                    write,
                    backend,
                    url: String::new(),
                    live_channel: String::new(),
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await
                    .map_err(backend_error)?;
                let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
                    .fetch_one(&pool)
                    .await
                    .map_err(backend_error)?;
                let schema: String = schema
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .take(40)
                    .collect();
                SqlStore {
                    read: pool.clone(),
                    write: pool,
                    backend,
                    url: url.to_string(),
                    live_channel: format!("roadshow_live_{}", schema.to_lowercase()),
                }
            }
        };
        migrate::run(&store.write, backend).await?;
        Ok(store)
    }

    /// On PostgreSQL, the live events other processes commit, as (event, newest number),
    /// from a LISTEN connection of its own; `None` on SQLite, where this process is the
    /// only writer. After a lost connection it sends `None` items: the receiver should
    /// catch up on every event it follows, since notifications may have been missed.
    pub async fn live_signals(
        &self,
    ) -> StoreResult<Option<tokio::sync::mpsc::UnboundedReceiver<Option<(EventId, i64)>>>> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url)
            .await
            .map_err(backend_error)?;
        listener
            .listen(&self.live_channel)
            .await
            .map_err(backend_error)?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => {
                        let signal = n.payload().split_once(':').and_then(|(e, s)| {
                            Some((EventId(e.parse().ok()?), s.parse::<i64>().ok()?))
                        });
                        if let Some(signal) = signal {
                            if tx.send(Some(signal)).is_err() {
                                return;
                            }
                        }
                    }
                    // The connection was lost and is re-established on the next call.
                    Ok(None) => {
                        tracing::warn!("live listener reconnecting");
                        if tx.send(None).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "live listener failed; retrying");
                        if tx.is_closed() {
                            return;
                        }
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                }
            }
        });
        Ok(Some(rx))
    }

    /// Closes the pools, waiting for running statements.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    /// Runs one read that returns at most one row.
    async fn one<'q>(
        &self,
        sql: &'q str,
        bind: impl FnOnce(AnyQuery<'q>) -> AnyQuery<'q>,
    ) -> StoreResult<Option<AnyRow>> {
        bind(sqlx::query(sql))
            .fetch_optional(&self.read)
            .await
            .map_err(backend_error)
    }

    async fn speakers_and_materials(
        &self,
        sessions: &mut [Session],
        filter: &str,
        id: i64,
    ) -> StoreResult<()> {
        let speakers = sqlx::query(&format!(
            "SELECT id, session_id, name, role FROM speakers WHERE session_id IN ({filter}) ORDER BY id"
        ))
        .bind(id)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        for row in &speakers {
            let speaker = rows::speaker(row)?;
            if let Some(s) = sessions.iter_mut().find(|s| s.id == speaker.session_id) {
                s.speakers.push(speaker);
            }
        }
        let materials = sqlx::query(&format!(
            "SELECT id, session_id, title, url, file_key, filename, content_type, size_bytes, created_at FROM materials WHERE session_id IN ({filter}) ORDER BY id"
        ))
        .bind(id)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        for row in &materials {
            let material = rows::material(row)?;
            if let Some(s) = sessions.iter_mut().find(|s| s.id == material.session_id) {
                s.materials.push(material);
            }
        }
        Ok(())
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    async fn agency_by_slug(&self, slug: &str) -> StoreResult<Option<Agency>> {
        self.one("SELECT id, slug, name FROM agencies WHERE slug = $1", |q| {
            q.bind(slug.to_string())
        })
        .await?
        .map(|r| rows::agency(&r))
        .transpose()
    }

    async fn agency(&self, id: AgencyId) -> StoreResult<Option<Agency>> {
        self.one("SELECT id, slug, name FROM agencies WHERE id = $1", |q| {
            q.bind(id.0)
        })
        .await?
        .map(|r| rows::agency(&r))
        .transpose()
    }

    async fn create_agency(&self, slug: &str, name: &Localized) -> StoreResult<Agency> {
        let row = sqlx::query(
            "INSERT INTO agencies (slug, name) VALUES ($1, $2) RETURNING id, slug, name",
        )
        .bind(slug)
        .bind(to_json(name))
        .fetch_one(&self.write)
        .await
        .map_err(conflict_as("slug_taken"))?;
        rows::agency(&row)
    }

    async fn departments(&self, agency: AgencyId) -> StoreResult<Vec<Department>> {
        sqlx::query("SELECT id, agency_id, slug, kind, name, description, website FROM departments WHERE agency_id = $1 ORDER BY id")
            .bind(agency.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(rows::department)
            .collect()
    }

    async fn department(&self, id: DepartmentId) -> StoreResult<Option<Department>> {
        self.one("SELECT id, agency_id, slug, kind, name, description, website FROM departments WHERE id = $1", |q| q.bind(id.0))
            .await?
            .map(|r| rows::department(&r))
            .transpose()
    }

    async fn create_department(
        &self,
        agency: AgencyId,
        draft: &DepartmentDraft,
    ) -> StoreResult<Department> {
        let row = sqlx::query("INSERT INTO departments (agency_id, slug, kind, name, description, website) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, agency_id, slug, kind, name, description, website")
            .bind(agency.0)
            .bind(&draft.slug)
            .bind(&draft.kind)
            .bind(to_json(&draft.name))
            .bind(to_json(&draft.description))
            .bind(draft.website.clone())
            .fetch_one(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?;
        rows::department(&row)
    }

    async fn update_department(
        &self,
        id: DepartmentId,
        draft: &DepartmentDraft,
    ) -> StoreResult<Department> {
        sqlx::query("UPDATE departments SET slug = $1, kind = $2, name = $3, description = $4, website = $5 WHERE id = $6 RETURNING id, agency_id, slug, kind, name, description, website")
            .bind(&draft.slug)
            .bind(&draft.kind)
            .bind(to_json(&draft.name))
            .bind(to_json(&draft.description))
            .bind(draft.website.clone())
            .bind(id.0)
            .fetch_optional(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?
            .map(|r| rows::department(&r))
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn events(&self, agency: Option<AgencyId>, public_only: bool) -> StoreResult<Vec<Event>> {
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE 1 = 1");
        if agency.is_some() {
            sql.push_str(" AND agency_id = $1");
        }
        if public_only {
            sql.push_str(" AND status <> 'draft'");
        }
        sql.push_str(" ORDER BY starts_at, id");
        let mut query = sqlx::query(&sql);
        if let Some(agency) = agency {
            query = query.bind(agency.0);
        }
        query
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(rows::event)
            .collect()
    }

    async fn event_by_slug(&self, slug: &str) -> StoreResult<Option<Event>> {
        self.one(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE slug = $1"),
            |q| q.bind(slug.to_string()),
        )
        .await?
        .map(|r| rows::event(&r))
        .transpose()
    }

    async fn event(&self, id: EventId) -> StoreResult<Option<Event>> {
        self.one(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1"),
            |q| q.bind(id.0),
        )
        .await?
        .map(|r| rows::event(&r))
        .transpose()
    }

    async fn create_event(&self, agency: AgencyId, d: &EventDraft) -> StoreResult<Event> {
        let t = now();
        let row = sqlx::query(&format!("INSERT INTO events (agency_id, slug, title, theme, description, focus_industries, target_countries, languages, starts_at, ends_at, timezone, video_url, status, registration_questions, privacy_version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING {EVENT_COLUMNS}"))
            .bind(agency.0)
            .bind(&d.slug)
            .bind(to_json(&d.title))
            .bind(to_json(&d.theme))
            .bind(to_json(&d.description))
            .bind(to_json(&d.focus_industries))
            .bind(to_json(&d.target_countries))
            .bind(to_json(&d.languages))
            .bind(d.starts_at.timestamp())
            .bind(d.ends_at.timestamp())
            .bind(&d.timezone)
            .bind(d.video_url.clone())
            .bind(d.status.code())
            .bind(to_json(&d.registration_questions))
            .bind(&d.privacy_version)
            .bind(t)
            .bind(t)
            .fetch_one(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?;
        rows::event(&row)
    }

    async fn update_event(&self, id: EventId, d: &EventDraft) -> StoreResult<Event> {
        sqlx::query(&format!("UPDATE events SET slug = $1, title = $2, theme = $3, description = $4, focus_industries = $5, target_countries = $6, languages = $7, starts_at = $8, ends_at = $9, timezone = $10, video_url = $11, status = $12, registration_questions = $13, privacy_version = $14, updated_at = $15 WHERE id = $16 RETURNING {EVENT_COLUMNS}"))
            .bind(&d.slug)
            .bind(to_json(&d.title))
            .bind(to_json(&d.theme))
            .bind(to_json(&d.description))
            .bind(to_json(&d.focus_industries))
            .bind(to_json(&d.target_countries))
            .bind(to_json(&d.languages))
            .bind(d.starts_at.timestamp())
            .bind(d.ends_at.timestamp())
            .bind(&d.timezone)
            .bind(d.video_url.clone())
            .bind(d.status.code())
            .bind(to_json(&d.registration_questions))
            .bind(&d.privacy_version)
            .bind(now())
            .bind(id.0)
            .fetch_optional(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?
            .map(|r| rows::event(&r))
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn sessions(&self, event: EventId) -> StoreResult<Vec<Session>> {
        let mut sessions =
            sqlx::query("SELECT * FROM sessions WHERE event_id = $1 ORDER BY starts_at, id")
                .bind(event.0)
                .fetch_all(&self.read)
                .await
                .map_err(backend_error)?
                .iter()
                .map(rows::session)
                .collect::<StoreResult<Vec<_>>>()?;
        self.speakers_and_materials(
            &mut sessions,
            "SELECT id FROM sessions WHERE event_id = $1",
            event.0,
        )
        .await?;
        Ok(sessions)
    }

    async fn session(&self, id: SessionId) -> StoreResult<Option<Session>> {
        let Some(row) = self
            .one("SELECT * FROM sessions WHERE id = $1", |q| q.bind(id.0))
            .await?
        else {
            return Ok(None);
        };
        let mut sessions = vec![rows::session(&row)?];
        self.speakers_and_materials(&mut sessions, "$1", id.0)
            .await?;
        Ok(sessions.pop())
    }

    async fn create_session(&self, event: EventId, d: &SessionDraft) -> StoreResult<Session> {
        let row = sqlx::query("INSERT INTO sessions (event_id, starts_at, ends_at, kind, title, summary, department_id, presenter, park_ids, policy_ids, story_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *")
            .bind(event.0)
            .bind(d.starts_at.timestamp())
            .bind(d.ends_at.timestamp())
            .bind(d.kind.code())
            .bind(to_json(&d.title))
            .bind(to_json(&d.summary))
            .bind(d.department_id)
            .bind(to_json(&d.presenter))
            .bind(to_json(&d.park_ids))
            .bind(to_json(&d.policy_ids))
            .bind(to_json(&d.story_ids))
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        rows::session(&row)
    }

    async fn update_session(&self, id: SessionId, d: &SessionDraft) -> StoreResult<Session> {
        let updated = sqlx::query("UPDATE sessions SET starts_at = $1, ends_at = $2, kind = $3, title = $4, summary = $5, department_id = $6, presenter = $7, park_ids = $8, policy_ids = $9, story_ids = $10 WHERE id = $11")
            .bind(d.starts_at.timestamp())
            .bind(d.ends_at.timestamp())
            .bind(d.kind.code())
            .bind(to_json(&d.title))
            .bind(to_json(&d.summary))
            .bind(d.department_id)
            .bind(to_json(&d.presenter))
            .bind(to_json(&d.park_ids))
            .bind(to_json(&d.policy_ids))
            .bind(to_json(&d.story_ids))
            .bind(id.0)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.session(id).await?.ok_or(StoreError::NotFound)
    }

    async fn delete_session(&self, id: SessionId) -> StoreResult<Vec<String>> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let keys: Vec<Option<String>> =
            sqlx::query_scalar("SELECT file_key FROM materials WHERE session_id = $1")
                .bind(id.0)
                .fetch_all(&mut *tx)
                .await
                .map_err(backend_error)?;
        // Children first, so the delete does not depend on ON DELETE CASCADE being enforced.
        for sql in [
            "DELETE FROM materials WHERE session_id = $1",
            "DELETE FROM speakers WHERE session_id = $1",
        ] {
            sqlx::query(sql)
                .bind(id.0)
                .execute(&mut *tx)
                .await
                .map_err(backend_error)?;
        }
        let deleted = sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        if deleted.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(backend_error)?;
        Ok(keys.into_iter().flatten().collect())
    }

    async fn add_speaker(
        &self,
        session: SessionId,
        name: &str,
        role: &Localized,
    ) -> StoreResult<Speaker> {
        let row = sqlx::query("INSERT INTO speakers (session_id, name, role) VALUES ($1, $2, $3) RETURNING id, session_id, name, role")
            .bind(session.0)
            .bind(name)
            .bind(to_json(role))
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        rows::speaker(&row)
    }

    async fn speaker(&self, id: SpeakerId) -> StoreResult<Option<Speaker>> {
        self.one(
            "SELECT id, session_id, name, role FROM speakers WHERE id = $1",
            |q| q.bind(id.0),
        )
        .await?
        .map(|r| rows::speaker(&r))
        .transpose()
    }

    async fn delete_speaker(&self, id: SpeakerId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM speakers WHERE id = $1")
            .bind(id.0)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn add_material(&self, m: &NewMaterial) -> StoreResult<Material> {
        let row = sqlx::query("INSERT INTO materials (session_id, title, url, file_key, filename, content_type, size_bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, session_id, title, url, file_key, filename, content_type, size_bytes, created_at")
            .bind(m.session_id.0)
            .bind(&m.title)
            .bind(m.url.clone())
            .bind(m.file_key.clone())
            .bind(m.filename.clone())
            .bind(m.content_type.clone())
            .bind(m.size_bytes)
            .bind(now())
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        rows::material(&row)
    }

    async fn material(&self, id: MaterialId) -> StoreResult<Option<Material>> {
        self.one("SELECT id, session_id, title, url, file_key, filename, content_type, size_bytes, created_at FROM materials WHERE id = $1", |q| q.bind(id.0))
            .await?
            .map(|r| rows::material(&r))
            .transpose()
    }

    async fn delete_material(&self, id: MaterialId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM materials WHERE id = $1")
            .bind(id.0)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn parks(&self, agency: AgencyId) -> StoreResult<Vec<Park>> {
        sqlx::query("SELECT * FROM parks WHERE agency_id = $1 ORDER BY id")
            .bind(agency.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(rows::park)
            .collect()
    }

    // The area goes in as text and is cast in SQL: sqlx's Any driver sends a float in a
    // binary format PostgreSQL refuses for a DOUBLE PRECISION parameter.
    async fn create_park(&self, agency: AgencyId, d: &ParkDraft) -> StoreResult<Park> {
        let row = sqlx::query("INSERT INTO parks (agency_id, slug, name, district, summary, focus_industries, area_km2, website, contact, is_sample, policy_ids) VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS DOUBLE PRECISION), $8, $9, $10, $11) RETURNING *")
            .bind(agency.0)
            .bind(&d.slug)
            .bind(to_json(&d.name))
            .bind(to_json(&d.district))
            .bind(to_json(&d.summary))
            .bind(to_json(&d.focus_industries))
            .bind(d.area_km2.map(|a| a.to_string()))
            .bind(d.website.clone())
            .bind(d.contact.clone())
            .bind(i64::from(d.is_sample))
            .bind(ids_json(&d.policy_ids, |p| p.0))
            .fetch_one(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?;
        rows::park(&row)
    }

    async fn park(&self, id: ParkId) -> StoreResult<Option<Park>> {
        self.one("SELECT * FROM parks WHERE id = $1", |q| q.bind(id.0))
            .await?
            .map(|r| rows::park(&r))
            .transpose()
    }

    async fn update_park(&self, id: ParkId, d: &ParkDraft) -> StoreResult<Park> {
        sqlx::query("UPDATE parks SET slug = $1, name = $2, district = $3, summary = $4, focus_industries = $5, area_km2 = CAST($6 AS DOUBLE PRECISION), website = $7, contact = $8, policy_ids = $9 WHERE id = $10 RETURNING *")
            .bind(&d.slug)
            .bind(to_json(&d.name))
            .bind(to_json(&d.district))
            .bind(to_json(&d.summary))
            .bind(to_json(&d.focus_industries))
            .bind(d.area_km2.map(|a| a.to_string()))
            .bind(d.website.clone())
            .bind(d.contact.clone())
            .bind(ids_json(&d.policy_ids, |p| p.0))
            .bind(id.0)
            .fetch_optional(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?
            .map(|r| rows::park(&r))
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn policies(&self, agency: AgencyId) -> StoreResult<Vec<Policy>> {
        sqlx::query("SELECT * FROM policies WHERE agency_id = $1 ORDER BY id")
            .bind(agency.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(rows::policy)
            .collect()
    }

    async fn create_policy(&self, agency: AgencyId, d: &PolicyDraft) -> StoreResult<Policy> {
        let row = sqlx::query("INSERT INTO policies (agency_id, slug, title, issuing_body, region, sectors, benefit_types, summary, valid_from, valid_until, source_url, is_sample) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *")
            .bind(agency.0)
            .bind(&d.slug)
            .bind(to_json(&d.title))
            .bind(to_json(&d.issuing_body))
            .bind(to_json(&d.region))
            .bind(to_json(&d.sectors))
            .bind(to_json(&d.benefit_types))
            .bind(to_json(&d.summary))
            .bind(d.valid_from.clone())
            .bind(d.valid_until.clone())
            .bind(d.source_url.clone())
            .bind(i64::from(d.is_sample))
            .fetch_one(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?;
        rows::policy(&row)
    }

    async fn policy(&self, id: PolicyId) -> StoreResult<Option<Policy>> {
        self.one("SELECT * FROM policies WHERE id = $1", |q| q.bind(id.0))
            .await?
            .map(|r| rows::policy(&r))
            .transpose()
    }

    async fn update_policy(&self, id: PolicyId, d: &PolicyDraft) -> StoreResult<Policy> {
        sqlx::query("UPDATE policies SET slug = $1, title = $2, issuing_body = $3, region = $4, sectors = $5, benefit_types = $6, summary = $7, valid_from = $8, valid_until = $9, source_url = $10 WHERE id = $11 RETURNING *")
            .bind(&d.slug)
            .bind(to_json(&d.title))
            .bind(to_json(&d.issuing_body))
            .bind(to_json(&d.region))
            .bind(to_json(&d.sectors))
            .bind(to_json(&d.benefit_types))
            .bind(to_json(&d.summary))
            .bind(d.valid_from.clone())
            .bind(d.valid_until.clone())
            .bind(d.source_url.clone())
            .bind(id.0)
            .fetch_optional(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?
            .map(|r| rows::policy(&r))
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn stories(&self, agency: AgencyId) -> StoreResult<Vec<SuccessStory>> {
        sqlx::query("SELECT * FROM stories WHERE agency_id = $1 ORDER BY id")
            .bind(agency.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(rows::story)
            .collect()
    }

    async fn create_story(&self, agency: AgencyId, d: &StoryDraft) -> StoreResult<SuccessStory> {
        let row = sqlx::query("INSERT INTO stories (agency_id, slug, company_name, country, title, body, is_sample) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *")
            .bind(agency.0)
            .bind(&d.slug)
            .bind(&d.company_name)
            .bind(&d.country)
            .bind(to_json(&d.title))
            .bind(to_json(&d.body))
            .bind(i64::from(d.is_sample))
            .fetch_one(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?;
        rows::story(&row)
    }

    async fn story(&self, id: StoryId) -> StoreResult<Option<SuccessStory>> {
        self.one("SELECT * FROM stories WHERE id = $1", |q| q.bind(id.0))
            .await?
            .map(|r| rows::story(&r))
            .transpose()
    }

    async fn update_story(&self, id: StoryId, d: &StoryDraft) -> StoreResult<SuccessStory> {
        sqlx::query("UPDATE stories SET slug = $1, company_name = $2, country = $3, title = $4, body = $5 WHERE id = $6 RETURNING *")
            .bind(&d.slug)
            .bind(&d.company_name)
            .bind(&d.country)
            .bind(to_json(&d.title))
            .bind(to_json(&d.body))
            .bind(id.0)
            .fetch_optional(&self.write)
            .await
            .map_err(conflict_as("slug_taken"))?
            .map(|r| rows::story(&r))
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn create_registration(
        &self,
        event: &Event,
        r: &NewRegistration,
        token_hash: &str,
        confirmation: &EmailMessage,
        email_status: EmailStatus,
        is_sample: bool,
    ) -> StoreResult<Registration> {
        let t = now();
        let sample = i64::from(is_sample);
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let company_id: i64 = sqlx::query_scalar(
            "INSERT INTO companies (agency_id, name, name_key, country, industry, size, website, is_sample, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (agency_id, name_key, country) DO UPDATE SET name = excluded.name, industry = excluded.industry, size = excluded.size, website = COALESCE(excluded.website, companies.website) RETURNING id",
        )
        .bind(event.agency_id.0)
        .bind(&r.company.name)
        .bind(r.company.name.to_lowercase())
        .bind(&r.company.country)
        .bind(&r.company.industry)
        .bind(&r.company.size)
        .bind(r.company.website.clone())
        .bind(sample)
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
        let participant_id: i64 = sqlx::query_scalar(
            "INSERT INTO participants (agency_id, company_id, email, name, job_title, language, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (agency_id, email) DO UPDATE SET company_id = excluded.company_id, name = excluded.name, job_title = excluded.job_title, language = excluded.language RETURNING id",
        )
        .bind(event.agency_id.0)
        .bind(company_id)
        .bind(r.email.as_str())
        .bind(&r.name)
        .bind(r.job_title.clone())
        .bind(r.language.code())
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(backend_error)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO registrations (event_id, participant_id, company_id, token_hash, consent_at, consent_version, answers, is_sample, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(event.id.0)
        .bind(participant_id)
        .bind(company_id)
        .bind(token_hash)
        .bind(t)
        .bind(&r.consent_version)
        .bind(to_json(&r.answers))
        .bind(sample)
        .bind(t)
        .fetch_one(&mut *tx)
        .await
        .map_err(conflict_as("already_registered"))?;
        insert_email(&mut tx, Some(event.agency_id), confirmation, email_status).await?;
        tx.commit().await.map_err(backend_error)?;
        let at = DateTime::from_timestamp(t, 0).unwrap_or_default();
        Ok(Registration {
            id: RegistrationId(id),
            event_id: event.id,
            participant_id: ParticipantId(participant_id),
            email: r.email.as_str().to_string(),
            name: r.name.clone(),
            job_title: r.job_title.clone(),
            language: r.language,
            company: Company {
                id: CompanyId(company_id),
                name: r.company.name.clone(),
                country: r.company.country.clone(),
                industry: r.company.industry.clone(),
                size: r.company.size.clone(),
                website: r.company.website.clone(),
                is_sample,
            },
            consent_at: at,
            consent_version: r.consent_version.clone(),
            answers: r.answers.clone(),
            created_at: at,
        })
    }

    async fn registrations(
        &self,
        event: EventId,
        filter: &RegistrationFilter,
    ) -> StoreResult<Vec<Registration>> {
        let mut sql = format!("{REGISTRATION_SELECT} WHERE r.event_id = $1");
        let mut binds: Vec<String> = Vec::new();
        if let Some(country) = &filter.country {
            binds.push(country.clone());
            sql.push_str(&format!(" AND c.country = ${}", binds.len() + 1));
        }
        if let Some(industry) = &filter.industry {
            binds.push(industry.clone());
            sql.push_str(&format!(" AND c.industry = ${}", binds.len() + 1));
        }
        if let Some(search) = &filter.search {
            let escaped = search
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            binds.push(format!("%{escaped}%"));
            let n = binds.len() + 1;
            sql.push_str(&format!(
                " AND (LOWER(p.name) LIKE ${n} ESCAPE '\\' OR LOWER(p.email) LIKE ${n} ESCAPE '\\' OR LOWER(c.name) LIKE ${n} ESCAPE '\\')"
            ));
        }
        sql.push_str(" ORDER BY r.id LIMIT 20000");
        let mut query = sqlx::query(&sql).bind(event.0);
        for value in binds {
            query = query.bind(value);
        }
        query
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?
            .iter()
            .map(rows::registration)
            .collect()
    }

    async fn registration_counts(&self, event: EventId) -> StoreResult<RegistrationCounts> {
        let mut counts = RegistrationCounts::default();
        for (column, target) in [("country", 0), ("industry", 1)] {
            let rows = sqlx::query(&format!(
                "SELECT c.{column} AS k, COUNT(*) AS n FROM registrations r JOIN companies c ON c.id = r.company_id WHERE r.event_id = $1 GROUP BY c.{column} ORDER BY n DESC, k"
            ))
            .bind(event.0)
            .fetch_all(&self.read)
            .await
            .map_err(backend_error)?;
            let list = rows
                .iter()
                .map(|row| Ok((get::<String>(row, "k")?, get::<i64>(row, "n")?)))
                .collect::<StoreResult<Vec<_>>>()?;
            if target == 0 {
                counts.total = list.iter().map(|(_, n)| n).sum();
                counts.by_country = list;
            } else {
                counts.by_industry = list;
            }
        }
        Ok(counts)
    }

    async fn registration(&self, id: RegistrationId) -> StoreResult<Option<Registration>> {
        self.one(&format!("{REGISTRATION_SELECT} WHERE r.id = $1"), |q| {
            q.bind(id.0)
        })
        .await?
        .map(|r| rows::registration(&r))
        .transpose()
    }

    async fn registration_by_token(&self, token_hash: &str) -> StoreResult<Option<Registration>> {
        self.one(
            &format!("{REGISTRATION_SELECT} WHERE r.token_hash = $1"),
            |q| q.bind(token_hash.to_string()),
        )
        .await?
        .map(|r| rows::registration(&r))
        .transpose()
    }

    async fn create_user(
        &self,
        agency: AgencyId,
        email: &str,
        display_name: &str,
        role: Role,
        department: Option<DepartmentId>,
        password_hash: &str,
    ) -> StoreResult<StaffMember> {
        let row = sqlx::query(&format!("INSERT INTO users (agency_id, email, display_name, role, department_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {USER_COLUMNS}"))
            .bind(agency.0)
            .bind(email.to_lowercase())
            .bind(display_name)
            .bind(role.code())
            .bind(department.map(|d| d.0))
            .bind(password_hash)
            .bind(now())
            .fetch_one(&self.write)
            .await
            .map_err(conflict_as("email_taken"))?;
        rows::staff(&row)
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let Some(row) = self
            .one(
                &format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1"),
                |q| q.bind(email.trim().to_lowercase()),
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(UserRecord {
            staff: rows::staff(&row)?,
            password_hash: get(&row, "password_hash")?,
        }))
    }

    async fn users(&self, agency: AgencyId) -> StoreResult<Vec<StaffMember>> {
        sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE agency_id = $1 ORDER BY id"
        ))
        .bind(agency.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(rows::staff)
        .collect()
    }

    async fn set_password(&self, user: UserId, password_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user.0)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    async fn create_api_token(&self, user: UserId, token_hash: &str) -> StoreResult<()> {
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user.0)
            .bind(now())
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    async fn user_by_api_token(&self, token_hash: &str) -> StoreResult<Option<StaffMember>> {
        self.one(
            "SELECT u.id, u.agency_id, u.email, u.display_name, u.role, u.department_id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
            |q| q.bind(token_hash.to_string()),
        )
        .await?
        .map(|r| rows::staff(&r))
        .transpose()
    }

    async fn create_login_session(
        &self,
        session_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        // Expired sessions are swept here, on a path that writes anyway.
        sqlx::query("DELETE FROM login_sessions WHERE expires_at < $1")
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        sqlx::query("INSERT INTO login_sessions (session_hash, user_id, csrf_token, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(session_hash)
            .bind(user.0)
            .bind(csrf_token)
            .bind(expires_at.timestamp())
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        tx.commit().await.map_err(backend_error)
    }

    async fn login_session(
        &self,
        session_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(StaffMember, String)>> {
        let Some(row) = self
            .one(
                "SELECT u.id, u.agency_id, u.email, u.display_name, u.role, u.department_id, s.csrf_token FROM login_sessions s JOIN users u ON u.id = s.user_id WHERE s.session_hash = $1 AND s.expires_at > $2",
                |q| q.bind(session_hash.to_string()).bind(now.timestamp()),
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some((rows::staff(&row)?, get(&row, "csrf_token")?)))
    }

    async fn delete_login_session(&self, session_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_sessions WHERE session_hash = $1")
            .bind(session_hash)
            .execute(&self.write)
            .await
            .map_err(backend_error)?;
        Ok(())
    }

    async fn enqueue_email(
        &self,
        agency: Option<AgencyId>,
        message: &EmailMessage,
        status: EmailStatus,
    ) -> StoreResult<EmailId> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let id = insert_email(&mut tx, agency, message, status).await?;
        tx.commit().await.map_err(backend_error)?;
        Ok(id)
    }

    async fn outbox(&self, agency: AgencyId, limit: i64) -> StoreResult<Vec<OutboxEmail>> {
        sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE agency_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(agency.0)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(rows::outbox_email)
        .collect()
    }

    async fn emails_to_deliver(&self, limit: i64) -> StoreResult<Vec<OutboxEmail>> {
        sqlx::query(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE status = 'pending' ORDER BY id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(rows::outbox_email)
        .collect()
    }

    async fn claim_email(&self, id: EmailId) -> StoreResult<bool> {
        let claimed = sqlx::query(
            "UPDATE outbox SET status = 'sending' WHERE id = $1 AND status = 'pending'",
        )
        .bind(id.0)
        .execute(&self.write)
        .await
        .map_err(backend_error)?;
        Ok(claimed.rows_affected() == 1)
    }

    async fn record_delivery(
        &self,
        id: EmailId,
        outcome: Result<(), String>,
        give_up: bool,
    ) -> StoreResult<()> {
        let query = match outcome {
            Ok(()) => sqlx::query("UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = $1 WHERE id = $2")
                .bind(now())
                .bind(id.0),
            Err(error) => sqlx::query("UPDATE outbox SET status = $1, attempts = attempts + 1, last_error = $2 WHERE id = $3")
                .bind(if give_up { "failed" } else { "pending" })
                .bind(error)
                .bind(id.0),
        };
        query.execute(&self.write).await.map_err(backend_error)?;
        Ok(())
    }

    async fn create_question(
        &self,
        draft: &QuestionDraft,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question> {
        SqlStore::create_question(self, draft, live).await
    }

    async fn question(&self, id: QuestionId) -> StoreResult<Option<Question>> {
        SqlStore::question(self, id).await
    }

    async fn questions(&self, filter: &QuestionFilter) -> StoreResult<Vec<Question>> {
        SqlStore::questions(self, filter).await
    }

    async fn save_question(
        &self,
        question: &Question,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question> {
        SqlStore::save_question(self, question, live).await
    }

    async fn merge_question(
        &self,
        source: &Question,
        target: QuestionId,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question> {
        SqlStore::merge_question(self, source, target, live).await
    }

    async fn apply_votes(&self, changes: &[VoteChange]) -> StoreResult<Vec<VoteOutcome>> {
        SqlStore::apply_votes(self, changes).await
    }

    async fn voted_questions(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> StoreResult<Vec<QuestionId>> {
        SqlStore::voted_questions(self, event, participant).await
    }

    async fn add_answer(
        &self,
        question: &Question,
        answer: &AnswerDraft,
        email: Option<(&EmailMessage, EmailStatus, AgencyId)>,
        live: QuestionLive<'_>,
    ) -> StoreResult<Question> {
        SqlStore::add_answer(self, question, answer, email, live).await
    }

    async fn create_poll(
        &self,
        event: EventId,
        poll: &NewPoll,
        live: PollLive<'_>,
    ) -> StoreResult<Poll> {
        SqlStore::create_poll(self, event, poll, live).await
    }

    async fn poll(&self, id: PollId) -> StoreResult<Option<Poll>> {
        SqlStore::poll(self, id).await
    }

    async fn polls(&self, event: EventId) -> StoreResult<Vec<Poll>> {
        SqlStore::polls(self, event).await
    }

    async fn set_poll_state(
        &self,
        id: PollId,
        state: PollState,
        results_shown: bool,
        live: PollLive<'_>,
    ) -> StoreResult<Poll> {
        SqlStore::set_poll_state(self, id, state, results_shown, live).await
    }

    async fn vote_poll(
        &self,
        id: PollId,
        participant: ParticipantId,
        choices: &[usize],
        live: PollLive<'_>,
    ) -> StoreResult<Poll> {
        SqlStore::vote_poll(self, id, participant, choices, live).await
    }

    async fn poll_choices(
        &self,
        event: EventId,
        participant: ParticipantId,
    ) -> StoreResult<Vec<(PollId, Vec<usize>)>> {
        SqlStore::poll_choices(self, event, participant).await
    }

    async fn live_state(&self, event: EventId) -> StoreResult<LiveState> {
        SqlStore::live_state(self, event).await
    }

    async fn live_events(
        &self,
        event: EventId,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<LiveEvent>> {
        SqlStore::live_events(self, event, after, limit).await
    }

    async fn set_current_session(
        &self,
        event: EventId,
        session: Option<SessionId>,
        live: NewLiveEvent,
    ) -> StoreResult<LiveState> {
        SqlStore::set_current_session(self, event, session, live).await
    }

    async fn set_answer_settings(
        &self,
        event: EventId,
        working_days: u32,
        faq_published: bool,
    ) -> StoreResult<LiveState> {
        SqlStore::set_answer_settings(self, event, working_days, faq_published).await
    }
}

pub(crate) async fn insert_email(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    agency: Option<AgencyId>,
    message: &EmailMessage,
    status: EmailStatus,
) -> StoreResult<EmailId> {
    let id: i64 = sqlx::query_scalar("INSERT INTO outbox (agency_id, recipient, subject, body_text, attachments, status, attempts, last_error, created_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7, NULL) RETURNING id")
        .bind(agency.map(|a| a.0))
        .bind(&message.to)
        .bind(&message.subject)
        .bind(&message.body_text)
        .bind(to_json(&message.attachments))
        .bind(status.code())
        .bind(now())
        .fetch_one(&mut **tx)
        .await
        .map_err(backend_error)?;
    Ok(EmailId(id))
}
