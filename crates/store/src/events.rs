//! Events and their agendas: sessions and speakers (with each session's materials).

use crate::materials::{MATERIAL_COLUMNS, material_row};
use crate::rows::{LinkTable, set_links};
use crate::rows::{corrupt, flag, get, json, optional_time, time, to_json};
use crate::{AnyQuery, SqlStore, backend_error, now};
use async_trait::async_trait;
use roadshow_domain::events::*;
use roadshow_domain::ids::*;
use roadshow_domain::store::{StoreError, StoreResult};
use roadshow_domain::{Lang, Localized};
use sqlx::any::AnyRow;

const SESSION_COLUMNS: &str = "id, event_id, starts_at, ends_at, kind, title, summary, department_id, presenter, stream, recording, recording_started_at";
const SPEAKER_COLUMNS: &str = "id, session_id, name, role";

/// Binds an event's fields in the order the statements below name their columns.
fn bind_event<'q>(q: AnyQuery<'q>, d: &'q EventDraft) -> StoreResult<AnyQuery<'q>> {
    Ok(q.bind(&d.slug)
        .bind(to_json(&d.title)?)
        .bind(to_json(&d.theme)?)
        .bind(to_json(&d.description)?)
        .bind(to_json(&d.focus_industries)?)
        .bind(to_json(&d.target_countries)?)
        .bind(to_json(&d.languages)?)
        .bind(d.starts_at.timestamp())
        .bind(d.ends_at.timestamp())
        .bind(&d.timezone)
        .bind(optional_json(d.broadcast.stream.as_ref())?)
        .bind(optional_json(d.broadcast.recording.as_ref())?)
        .bind(d.broadcast.recording_started_at.map(|t| t.timestamp()))
        .bind(i64::from(d.replay_public))
        .bind(d.attended_minutes)
        .bind(d.status.code())
        .bind(to_json(&d.form_fields)?)
        .bind(&d.privacy_version))
}

/// Binds a session's fields in the order the statements below name their columns.
fn bind_session<'q>(q: AnyQuery<'q>, d: &'q SessionDraft) -> StoreResult<AnyQuery<'q>> {
    Ok(q.bind(d.starts_at.timestamp())
        .bind(d.ends_at.timestamp())
        .bind(d.kind.code())
        .bind(to_json(&d.title)?)
        .bind(to_json(&d.summary)?)
        .bind(d.department_id.map(|x| x.0))
        .bind(to_json(&d.presenter)?)
        .bind(optional_json(d.broadcast.stream.as_ref())?)
        .bind(optional_json(d.broadcast.recording.as_ref())?)
        .bind(d.broadcast.recording_started_at.map(|t| t.timestamp())))
}

/// A stream kept as JSON, or NULL.
fn optional_json(
    stream: Option<&roadshow_domain::broadcast::Stream>,
) -> StoreResult<Option<String>> {
    stream.map(to_json).transpose()
}

fn broadcast_row(row: &AnyRow) -> StoreResult<roadshow_domain::broadcast::Broadcast> {
    let stream = |column: &str| -> StoreResult<Option<roadshow_domain::broadcast::Stream>> {
        get::<Option<String>>(row, column)?
            .map(|text| serde_json::from_str(&text).map_err(|e| corrupt(column, e)))
            .transpose()
    };
    Ok(roadshow_domain::broadcast::Broadcast {
        stream: stream("stream")?,
        recording: stream("recording")?,
        recording_started_at: optional_time(row, "recording_started_at")?,
    })
}

const SESSION_PARKS: LinkTable = LinkTable::new("session_parks", "session_id", "park_id");
const SESSION_POLICIES: LinkTable = LinkTable::new("session_policies", "session_id", "policy_id");
const SESSION_STORIES: LinkTable = LinkTable::new("session_stories", "session_id", "story_id");

const EVENT_COLUMNS: &str = "id, agency_id, slug, title, theme, description, focus_industries, target_countries, languages, starts_at, ends_at, timezone, stream, recording, recording_started_at, replay_public, attended_minutes, status, registration_questions, privacy_version, updated_at";

fn event_row(row: &AnyRow) -> StoreResult<Event> {
    let status: String = get(row, "status")?;
    let languages: Vec<Lang> = json(row, "languages")?;
    Ok(Event {
        id: EventId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        slug: get(row, "slug")?,
        title: json(row, "title")?,
        theme: json(row, "theme")?,
        description: json(row, "description")?,
        focus_industries: json(row, "focus_industries")?,
        target_countries: json(row, "target_countries")?,
        languages,
        starts_at: time(row, "starts_at")?,
        ends_at: time(row, "ends_at")?,
        timezone: get(row, "timezone")?,
        broadcast: broadcast_row(row)?,
        replay_public: flag(row, "replay_public")?,
        attended_minutes: get(row, "attended_minutes")?,
        status: status
            .parse::<EventStatus>()
            .map_err(|()| corrupt("status", &status))?,
        form_fields: json(row, "registration_questions")?,
        privacy_version: get(row, "privacy_version")?,
        updated_at: time(row, "updated_at")?,
    })
}

fn session_row(row: &AnyRow) -> StoreResult<Session> {
    let kind: String = get(row, "kind")?;
    Ok(Session {
        id: SessionId(get(row, "id")?),
        event_id: EventId(get(row, "event_id")?),
        starts_at: time(row, "starts_at")?,
        ends_at: time(row, "ends_at")?,
        kind: if kind == "exchange" {
            SessionKind::Exchange
        } else {
            SessionKind::Presentation
        },
        title: json(row, "title")?,
        summary: json(row, "summary")?,
        department_id: get::<Option<i64>>(row, "department_id")?.map(DepartmentId),
        presenter: json(row, "presenter")?,
        broadcast: broadcast_row(row)?,
        park_ids: Vec::new(),
        policy_ids: Vec::new(),
        story_ids: Vec::new(),
        speakers: Vec::new(),
        materials: Vec::new(),
    })
}

fn speaker_row(row: &AnyRow) -> StoreResult<Speaker> {
    Ok(Speaker {
        id: SpeakerId(get(row, "id")?),
        session_id: SessionId(get(row, "session_id")?),
        name: get(row, "name")?,
        role: json::<Localized>(row, "role")?,
    })
}

#[async_trait]
impl EventStore for SqlStore {
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
            .map(event_row)
            .collect()
    }

    async fn event_by_slug(&self, slug: &str) -> StoreResult<Option<Event>> {
        self.one(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE slug = $1"),
            |q| q.bind(slug.to_string()),
        )
        .await?
        .map(|r| event_row(&r))
        .transpose()
    }

    async fn event(&self, id: EventId) -> StoreResult<Option<Event>> {
        self.by_id("events", EVENT_COLUMNS, id.0, event_row).await
    }

    async fn create_event(&self, agency: AgencyId, d: &EventDraft) -> StoreResult<Event> {
        let t = now();
        let sql = format!(
            "INSERT INTO events (agency_id, slug, title, theme, description, focus_industries, target_countries, languages, starts_at, ends_at, timezone, stream, recording, recording_started_at, replay_public, attended_minutes, status, registration_questions, privacy_version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING {EVENT_COLUMNS}"
        );
        let row = bind_event(sqlx::query(&sql).bind(agency.0), d)?
            .bind(t)
            .bind(t)
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        event_row(&row)
    }

    async fn update_event(&self, id: EventId, d: &EventDraft) -> StoreResult<Event> {
        let sql = format!(
            "UPDATE events SET slug = $1, title = $2, theme = $3, description = $4, focus_industries = $5, target_countries = $6, languages = $7, starts_at = $8, ends_at = $9, timezone = $10, stream = $11, recording = $12, recording_started_at = $13, replay_public = $14, attended_minutes = $15, status = $16, registration_questions = $17, privacy_version = $18, updated_at = $19 WHERE id = $20 RETURNING {EVENT_COLUMNS}"
        );
        bind_event(sqlx::query(&sql), d)?
            .bind(now())
            .bind(id.0)
            .fetch_optional(&self.write)
            .await
            .map_err(backend_error)?
            .map(|r| event_row(&r))
            .transpose()?
            .ok_or(StoreError::NotFound)
    }

    async fn sessions(&self, event: EventId) -> StoreResult<Vec<Session>> {
        let mut sessions = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE event_id = $1 ORDER BY starts_at, id"
        ))
        .bind(event.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?
        .iter()
        .map(session_row)
        .collect::<StoreResult<Vec<_>>>()?;
        self.session_details(
            &mut sessions,
            "SELECT id FROM sessions WHERE event_id = $1",
            event.0,
        )
        .await?;
        Ok(sessions)
    }

    async fn session(&self, id: SessionId) -> StoreResult<Option<Session>> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1");
        let Some(row) = self.one(&sql, |q| q.bind(id.0)).await? else {
            return Ok(None);
        };
        let mut sessions = vec![session_row(&row)?];
        self.session_details(&mut sessions, "$1", id.0).await?;
        Ok(sessions.pop())
    }

    async fn create_session(&self, event: EventId, d: &SessionDraft) -> StoreResult<Session> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let sql = "INSERT INTO sessions (event_id, starts_at, ends_at, kind, title, summary, department_id, presenter, stream, recording, recording_started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
        let id: i64 = bind_session(sqlx::query(sql).bind(event.0), d)?
            .fetch_one(&mut *tx)
            .await
            .map_err(backend_error)
            .and_then(|row| get(&row, "id"))?;
        set_session_links(&mut tx, id, d).await?;
        tx.commit().await.map_err(backend_error)?;
        self.session(SessionId(id))
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn update_session(&self, id: SessionId, d: &SessionDraft) -> StoreResult<Session> {
        let mut tx = self.write.begin().await.map_err(backend_error)?;
        let sql = "UPDATE sessions SET starts_at = $1, ends_at = $2, kind = $3, title = $4, summary = $5, department_id = $6, presenter = $7, stream = $8, recording = $9, recording_started_at = $10 WHERE id = $11";
        let updated = bind_session(sqlx::query(sql), d)?
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(backend_error)?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        set_session_links(&mut tx, id.0, d).await?;
        tx.commit().await.map_err(backend_error)?;
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
            "DELETE FROM session_parks WHERE session_id = $1",
            "DELETE FROM session_policies WHERE session_id = $1",
            "DELETE FROM session_stories WHERE session_id = $1",
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

    async fn add_speaker(&self, session: SessionId, d: &SpeakerDraft) -> StoreResult<Speaker> {
        let row = sqlx::query(&format!("INSERT INTO speakers (session_id, name, role) VALUES ($1, $2, $3) RETURNING {SPEAKER_COLUMNS}"))
            .bind(session.0)
            .bind(&d.name)
            .bind(to_json(&d.role)?)
            .fetch_one(&self.write)
            .await
            .map_err(backend_error)?;
        speaker_row(&row)
    }

    async fn speaker(&self, id: SpeakerId) -> StoreResult<Option<Speaker>> {
        self.by_id("speakers", SPEAKER_COLUMNS, id.0, speaker_row)
            .await
    }

    async fn delete_speaker(&self, id: SpeakerId) -> StoreResult<()> {
        self.delete_by_id("speakers", id.0).await
    }
}

/// The session's parks, policies and stories, in the order chosen, as link rows.
async fn set_session_links(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    session: i64,
    d: &SessionDraft,
) -> StoreResult<()> {
    set_links(
        tx,
        SESSION_PARKS,
        session,
        &d.park_ids.iter().map(|x| x.0).collect::<Vec<_>>(),
    )
    .await?;
    set_links(
        tx,
        SESSION_POLICIES,
        session,
        &d.policy_ids.iter().map(|x| x.0).collect::<Vec<_>>(),
    )
    .await?;
    set_links(
        tx,
        SESSION_STORIES,
        session,
        &d.story_ids.iter().map(|x| x.0).collect::<Vec<_>>(),
    )
    .await
}

impl SqlStore {
    /// Fills in the speakers, materials and links of sessions selected by `filter` (an
    /// SQL list or subquery with one parameter, `id`).
    async fn session_details(
        &self,
        sessions: &mut [Session],
        filter: &str,
        id: i64,
    ) -> StoreResult<()> {
        let speakers = sqlx::query(&format!(
            "SELECT {SPEAKER_COLUMNS} FROM speakers WHERE session_id IN ({filter}) ORDER BY id"
        ))
        .bind(id)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        for row in &speakers {
            let speaker = speaker_row(row)?;
            if let Some(s) = sessions.iter_mut().find(|s| s.id == speaker.session_id) {
                s.speakers.push(speaker);
            }
        }
        let materials = sqlx::query(&format!(
            "SELECT {MATERIAL_COLUMNS} FROM materials WHERE session_id IN ({filter}) ORDER BY id"
        ))
        .bind(id)
        .fetch_all(&self.read)
        .await
        .map_err(backend_error)?;
        for row in &materials {
            let material = material_row(row)?;
            if let Some(s) = sessions.iter_mut().find(|s| s.id == material.session_id) {
                s.materials.push(material);
            }
        }
        for (owner, target) in self.links(SESSION_PARKS, filter, id).await? {
            if let Some(s) = sessions.iter_mut().find(|s| s.id.0 == owner) {
                s.park_ids.push(ParkId(target));
            }
        }
        for (owner, target) in self.links(SESSION_POLICIES, filter, id).await? {
            if let Some(s) = sessions.iter_mut().find(|s| s.id.0 == owner) {
                s.policy_ids.push(PolicyId(target));
            }
        }
        for (owner, target) in self.links(SESSION_STORIES, filter, id).await? {
            if let Some(s) = sessions.iter_mut().find(|s| s.id.0 == owner) {
                s.story_ids.push(StoryId(target));
            }
        }
        Ok(())
    }
}
