//! Turning rows into domain records. Per-language texts and lists are JSON text, times
//! are Unix seconds, flags are 0/1: the types both databases share through sqlx's Any.

use chrono::{DateTime, Utc};
use roadshow_domain::event::{EventStatus, SessionKind};
use roadshow_domain::ids::*;
use roadshow_domain::mail::{EmailMessage, EmailStatus};
use roadshow_domain::principal::StaffMember;
use roadshow_domain::store::*;
use roadshow_domain::{Lang, Localized};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("unreadable {what}: {detail}"))
}

pub(crate) fn get<'r, T>(row: &'r AnyRow, column: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get(column).map_err(|e| corrupt(column, e))
}

pub(crate) fn json<T: DeserializeOwned>(row: &AnyRow, column: &str) -> StoreResult<T> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|e| corrupt(column, e))
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising maps of strings and vectors of plain values cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

pub(crate) fn time(row: &AnyRow, column: &str) -> StoreResult<DateTime<Utc>> {
    let seconds: i64 = get(row, column)?;
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| corrupt(column, seconds))
}

pub(crate) fn optional_time(row: &AnyRow, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let seconds: Option<i64> = get(row, column)?;
    Ok(seconds.and_then(|s| DateTime::from_timestamp(s, 0)))
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> StoreResult<bool> {
    let value: i64 = get(row, column)?;
    Ok(value != 0)
}

fn ids<T>(row: &AnyRow, column: &str, make: fn(i64) -> T) -> StoreResult<Vec<T>> {
    let raw: Vec<i64> = json(row, column)?;
    Ok(raw.into_iter().map(make).collect())
}

pub(crate) fn agency(row: &AnyRow) -> StoreResult<Agency> {
    Ok(Agency {
        id: AgencyId(get(row, "id")?),
        slug: get(row, "slug")?,
        name: json(row, "name")?,
    })
}

pub(crate) fn department(row: &AnyRow) -> StoreResult<Department> {
    Ok(Department {
        id: DepartmentId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        slug: get(row, "slug")?,
        kind: get(row, "kind")?,
        name: json(row, "name")?,
        description: json(row, "description")?,
        website: get(row, "website")?,
    })
}

pub(crate) fn event(row: &AnyRow) -> StoreResult<Event> {
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
        video_url: get(row, "video_url")?,
        status: status
            .parse::<EventStatus>()
            .map_err(|()| corrupt("status", &status))?,
        registration_questions: json(row, "registration_questions")?,
        privacy_version: get(row, "privacy_version")?,
        updated_at: time(row, "updated_at")?,
    })
}

pub(crate) fn session(row: &AnyRow) -> StoreResult<Session> {
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
        park_ids: ids(row, "park_ids", ParkId)?,
        policy_ids: ids(row, "policy_ids", PolicyId)?,
        story_ids: ids(row, "story_ids", StoryId)?,
        speakers: Vec::new(),
        materials: Vec::new(),
    })
}

pub(crate) fn speaker(row: &AnyRow) -> StoreResult<Speaker> {
    Ok(Speaker {
        id: SpeakerId(get(row, "id")?),
        session_id: SessionId(get(row, "session_id")?),
        name: get(row, "name")?,
        role: json::<Localized>(row, "role")?,
    })
}

pub(crate) fn material(row: &AnyRow) -> StoreResult<Material> {
    Ok(Material {
        id: MaterialId(get(row, "id")?),
        session_id: SessionId(get(row, "session_id")?),
        title: get(row, "title")?,
        url: get(row, "url")?,
        file_key: get(row, "file_key")?,
        filename: get(row, "filename")?,
        content_type: get(row, "content_type")?,
        size_bytes: get(row, "size_bytes")?,
        created_at: time(row, "created_at")?,
    })
}

pub(crate) fn park(row: &AnyRow) -> StoreResult<Park> {
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
        policy_ids: ids(row, "policy_ids", PolicyId)?,
    })
}

pub(crate) fn policy(row: &AnyRow) -> StoreResult<Policy> {
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

pub(crate) fn story(row: &AnyRow) -> StoreResult<SuccessStory> {
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

/// A registration row joined with its participant (`p_`) and company (`c_`) columns.
pub(crate) fn registration(row: &AnyRow) -> StoreResult<Registration> {
    let language: String = get(row, "p_language")?;
    Ok(Registration {
        id: RegistrationId(get(row, "id")?),
        event_id: EventId(get(row, "event_id")?),
        participant_id: ParticipantId(get(row, "participant_id")?),
        email: get(row, "p_email")?,
        name: get(row, "p_name")?,
        job_title: get(row, "p_job_title")?,
        language: language.parse().unwrap_or(Lang::En),
        company: Company {
            id: CompanyId(get(row, "company_id")?),
            name: get(row, "c_name")?,
            country: get(row, "c_country")?,
            industry: get(row, "c_industry")?,
            size: get(row, "c_size")?,
            website: get(row, "c_website")?,
            is_sample: flag(row, "c_is_sample")?,
        },
        consent_at: time(row, "consent_at")?,
        consent_version: get(row, "consent_version")?,
        answers: json(row, "answers")?,
        created_at: time(row, "created_at")?,
    })
}

pub(crate) fn staff(row: &AnyRow) -> StoreResult<StaffMember> {
    let role: String = get(row, "role")?;
    Ok(StaffMember {
        id: UserId(get(row, "id")?),
        agency_id: AgencyId(get(row, "agency_id")?),
        email: get(row, "email")?,
        display_name: get(row, "display_name")?,
        role: role.parse().map_err(|()| corrupt("role", &role))?,
        department_id: get::<Option<i64>>(row, "department_id")?.map(DepartmentId),
    })
}

pub(crate) fn outbox_email(row: &AnyRow) -> StoreResult<OutboxEmail> {
    let status: String = get(row, "status")?;
    Ok(OutboxEmail {
        id: EmailId(get(row, "id")?),
        message: EmailMessage {
            to: get(row, "recipient")?,
            subject: get(row, "subject")?,
            body_text: get(row, "body_text")?,
            attachments: json(row, "attachments")?,
        },
        status: EmailStatus::parse(&status),
        attempts: get(row, "attempts")?,
        last_error: get(row, "last_error")?,
        created_at: time(row, "created_at")?,
        sent_at: optional_time(row, "sent_at")?,
    })
}
