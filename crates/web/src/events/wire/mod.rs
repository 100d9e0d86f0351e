//! Events on the wire: the event, its agenda (sessions, speakers) and what an organiser
//! sends for each.

use crate::api::{CountryCode, IndustryCode, Language, TimeZoneName};
use crate::broadcast::wire::Stream;
use crate::departments::wire::{Department, DepartmentRef};
use crate::directory::wire::{Park, Policy, SuccessStory};
use crate::materials::wire::Material;
use crate::schema::{self, Lines};
use chrono::{DateTime, Utc};
use roadshow_app::events::EventPage;
use roadshow_domain::Localized;
use roadshow_domain::events::{self as domain, limits};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::Object;
use utoipa::openapi::schema::Schema;

mod inputs;
pub use inputs::*;

/// Where an event is in its life: draft → published → live → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Draft,
    Published,
    Live,
    Closed,
}

impl From<domain::EventStatus> for EventStatus {
    fn from(s: domain::EventStatus) -> Self {
        match s {
            domain::EventStatus::Draft => EventStatus::Draft,
            domain::EventStatus::Published => EventStatus::Published,
            domain::EventStatus::Live => EventStatus::Live,
            domain::EventStatus::Closed => EventStatus::Closed,
        }
    }
}

/// A field of the event's own registration form, besides the standard ones.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FormField {
    /// The answer's stable key.
    pub key: String,
    #[schema(schema_with = schema::localized_out)]
    pub label: Localized,
    #[serde(default)]
    pub required: bool,
    pub kind: FieldKind,
    /// The choices of a `choice` field.
    #[serde(default)]
    pub options: Vec<FieldOption>,
}

/// A free text or one of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Choice,
}

/// One choice of a `choice` field.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FieldOption {
    pub key: String,
    #[schema(schema_with = schema::localized_out)]
    pub label: Localized,
}

impl From<&domain::FormField> for FormField {
    fn from(f: &domain::FormField) -> Self {
        FormField {
            key: f.key.clone(),
            label: f.label.clone(),
            required: f.required,
            kind: match f.kind {
                domain::FieldKind::Text => FieldKind::Text,
                domain::FieldKind::Choice => FieldKind::Choice,
            },
            options: f
                .options
                .iter()
                .map(|o| FieldOption {
                    key: o.key.clone(),
                    label: o.label.clone(),
                })
                .collect(),
        }
    }
}

impl From<FormField> for domain::FormField {
    fn from(f: FormField) -> Self {
        domain::FormField {
            key: f.key,
            label: f.label,
            required: f.required,
            kind: match f.kind {
                FieldKind::Text => domain::FieldKind::Text,
                FieldKind::Choice => domain::FieldKind::Choice,
            },
            options: f
                .options
                .into_iter()
                .map(|o| domain::FieldOption {
                    key: o.key,
                    label: o.label,
                })
                .collect(),
        }
    }
}

/// An online promotion.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Event {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub agency_id: i64,
    pub slug: String,
    #[schema(schema_with = schema::localized_out)]
    pub title: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub theme: Localized,
    /// Markdown per language.
    #[schema(schema_with = schema::localized_out)]
    pub description: Localized,
    #[schema(value_type = Vec<IndustryCode>)]
    pub focus_industries: Vec<String>,
    #[schema(value_type = Vec<CountryCode>)]
    pub target_countries: Vec<String>,
    pub languages: Vec<Language>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[schema(value_type = TimeZoneName)]
    pub timezone: String,
    pub stream: Option<Stream>,
    pub recording: Option<Stream>,
    pub recording_started_at: Option<DateTime<Utc>>,
    pub replay_public: bool,
    pub attended_minutes: i64,
    pub status: EventStatus,
    pub registration_questions: Vec<FormField>,
    /// The version of the privacy notice registrations consent to.
    pub privacy_version: String,
    pub updated_at: DateTime<Utc>,
}

impl From<&domain::Event> for Event {
    fn from(e: &domain::Event) -> Self {
        Event {
            id: e.id.0,
            agency_id: e.agency_id.0,
            slug: e.slug.clone(),
            title: e.title.clone(),
            theme: e.theme.clone(),
            description: e.description.clone(),
            focus_industries: e.focus_industries.clone(),
            target_countries: e.target_countries.clone(),
            languages: e.languages.iter().map(|l| Language::from(*l)).collect(),
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            timezone: e.timezone.clone(),
            stream: e.broadcast.stream.as_ref().map(Stream::from),
            recording: e.broadcast.recording.as_ref().map(Stream::from),
            recording_started_at: e.broadcast.recording_started_at,
            replay_public: e.replay_public,
            attended_minutes: e.attended_minutes,
            status: e.status.into(),
            registration_questions: e.form_fields.iter().map(FormField::from).collect(),
            privacy_version: e.privacy_version.clone(),
            updated_at: e.updated_at,
        }
    }
}

/// Published events, soonest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Events {
    pub events: Vec<Event>,
}

/// The agency that runs an event.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgencyRef {
    pub slug: String,
    #[schema(schema_with = schema::localized_out)]
    pub name: Localized,
}

/// A presentation or the exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    Presentation,
    Exchange,
}

/// A speaker of a session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Speaker {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub session_id: i64,
    pub name: String,
    /// Function and organisation.
    #[schema(schema_with = schema::localized_out)]
    pub role: Localized,
}

impl From<&domain::Speaker> for Speaker {
    fn from(s: &domain::Speaker) -> Self {
        Speaker {
            id: s.id.0,
            session_id: s.session_id.0,
            name: s.name.clone(),
            role: s.role.clone(),
        }
    }
}

/// An agenda item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Session {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub kind: SessionKind,
    #[schema(schema_with = schema::localized_out)]
    pub title: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub summary: Localized,
    /// The presenting department.
    #[schema(schema_with = schema::optional_id)]
    pub department_id: Option<i64>,
    /// Who presents, when not a department of the agency.
    #[schema(schema_with = schema::localized_out)]
    pub presenter: Localized,
    pub park_ids: Vec<i64>,
    pub policy_ids: Vec<i64>,
    pub story_ids: Vec<i64>,
    pub speakers: Vec<Speaker>,
    pub materials: Vec<Material>,
    /// The session's own stream, when it is not the event's.
    pub stream: Option<Stream>,
    pub recording: Option<Stream>,
    pub recording_started_at: Option<DateTime<Utc>>,
}

impl From<&domain::Session> for Session {
    fn from(s: &domain::Session) -> Self {
        Session {
            id: s.id.0,
            event_id: s.event_id.0,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            kind: match s.kind {
                domain::SessionKind::Presentation => SessionKind::Presentation,
                domain::SessionKind::Exchange => SessionKind::Exchange,
            },
            title: s.title.clone(),
            summary: s.summary.clone(),
            department_id: s.department_id.map(|d| d.0),
            presenter: s.presenter.clone(),
            park_ids: s.park_ids.iter().map(|p| p.0).collect(),
            policy_ids: s.policy_ids.iter().map(|p| p.0).collect(),
            story_ids: s.story_ids.iter().map(|p| p.0).collect(),
            speakers: s.speakers.iter().map(Speaker::from).collect(),
            materials: s.materials.iter().map(Material::from).collect(),
            stream: s.broadcast.stream.as_ref().map(Stream::from),
            recording: s.broadcast.recording.as_ref().map(Stream::from),
            recording_started_at: s.broadcast.recording_started_at,
        }
    }
}

/// An agenda item on the event's page, with its presenting department.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AgendaSession {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub kind: SessionKind,
    #[schema(schema_with = schema::localized_out)]
    pub title: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub summary: Localized,
    #[schema(schema_with = schema::optional_id)]
    pub department_id: Option<i64>,
    pub department: Option<DepartmentRef>,
    #[schema(schema_with = schema::localized_out)]
    pub presenter: Localized,
    pub park_ids: Vec<i64>,
    pub policy_ids: Vec<i64>,
    pub story_ids: Vec<i64>,
    pub speakers: Vec<Speaker>,
    pub materials: Vec<Material>,
    pub stream: Option<Stream>,
    pub recording: Option<Stream>,
    pub recording_started_at: Option<DateTime<Utc>>,
}

/// An event with its agenda, departments, parks, policies and success stories.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventDetail {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub agency_id: i64,
    pub agency: AgencyRef,
    pub slug: String,
    #[schema(schema_with = schema::localized_out)]
    pub title: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub theme: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub description: Localized,
    #[schema(value_type = Vec<IndustryCode>)]
    pub focus_industries: Vec<String>,
    #[schema(value_type = Vec<CountryCode>)]
    pub target_countries: Vec<String>,
    pub languages: Vec<Language>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[schema(value_type = TimeZoneName)]
    pub timezone: String,
    pub stream: Option<Stream>,
    pub recording: Option<Stream>,
    pub recording_started_at: Option<DateTime<Utc>>,
    pub replay_public: bool,
    pub attended_minutes: i64,
    pub status: EventStatus,
    pub registration_questions: Vec<FormField>,
    pub privacy_version: String,
    pub updated_at: DateTime<Utc>,
    pub sessions: Vec<AgendaSession>,
    pub departments: Vec<Department>,
    pub parks: Vec<Park>,
    pub policies: Vec<Policy>,
    pub success_stories: Vec<SuccessStory>,
    /// The agenda as an iCalendar file.
    pub agenda_ics: String,
}

impl From<&EventPage> for EventDetail {
    fn from(page: &EventPage) -> Self {
        let e = Event::from(&page.event);
        EventDetail {
            id: e.id,
            agency_id: e.agency_id,
            agency: AgencyRef {
                slug: page.agency.slug.clone(),
                name: page.agency.name.clone(),
            },
            slug: e.slug,
            title: e.title,
            theme: e.theme,
            description: e.description,
            focus_industries: e.focus_industries,
            target_countries: e.target_countries,
            languages: e.languages,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            timezone: e.timezone,
            stream: e.stream,
            recording: e.recording,
            recording_started_at: e.recording_started_at,
            replay_public: e.replay_public,
            attended_minutes: e.attended_minutes,
            status: e.status,
            registration_questions: e.registration_questions,
            privacy_version: e.privacy_version,
            updated_at: e.updated_at,
            sessions: page
                .sessions
                .iter()
                .map(|s| {
                    let s2 = Session::from(s);
                    AgendaSession {
                        id: s2.id,
                        event_id: s2.event_id,
                        starts_at: s2.starts_at,
                        ends_at: s2.ends_at,
                        kind: s2.kind,
                        title: s2.title,
                        summary: s2.summary,
                        department_id: s2.department_id,
                        department: page.department(s.department_id).map(DepartmentRef::from),
                        presenter: s2.presenter,
                        park_ids: s2.park_ids,
                        policy_ids: s2.policy_ids,
                        story_ids: s2.story_ids,
                        speakers: s2.speakers,
                        materials: s2.materials,
                        stream: s2.stream,
                        recording: s2.recording,
                        recording_started_at: s2.recording_started_at,
                    }
                })
                .collect(),
            departments: page.departments.iter().map(Department::from).collect(),
            parks: page.parks.iter().map(Park::from).collect(),
            policies: page.policies.iter().map(Policy::from).collect(),
            success_stories: page.stories.iter().map(SuccessStory::from).collect(),
            agenda_ics: format!("/events/{}/agenda.ics", page.event.slug),
        }
    }
}

fn title() -> Schema {
    schema::localized(limits::TITLE, true, Lines::One)
}

fn theme() -> Schema {
    schema::localized(limits::THEME, false, Lines::One)
}

fn description() -> Schema {
    schema::localized(limits::DESCRIPTION, false, Lines::Many)
}

fn summary() -> Schema {
    schema::localized(limits::SUMMARY, false, Lines::Many)
}

fn name() -> Schema {
    schema::localized(limits::NAME, false, Lines::One)
}

fn speaker_name() -> Object {
    schema::filled(limits::NAME, Lines::One)
}
