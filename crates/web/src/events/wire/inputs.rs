//! What organisers send about events, their sessions and speakers.

use super::*;
use crate::broadcast::wire::{StreamInput, stream_input};
use roadshow_domain::broadcast::BroadcastInput;

/// An event as an organiser sends it to create or change it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct EventInput {
    #[schema(schema_with = schema::slug, required = true)]
    pub slug: Option<String>,
    #[serde(default)]
    #[schema(schema_with = title, required = true)]
    pub title: Localized,
    #[serde(default)]
    #[schema(schema_with = theme)]
    pub theme: Localized,
    /// Markdown per language, sanitised when shown.
    #[serde(default)]
    #[schema(schema_with = description)]
    pub description: Localized,
    #[serde(default)]
    #[schema(value_type = Vec<IndustryCode>)]
    pub focus_industries: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Vec<CountryCode>)]
    pub target_countries: Vec<String>,
    /// The languages it is held in; none means all four.
    #[serde(default)]
    #[schema(value_type = Vec<Language>)]
    pub languages: Vec<String>,
    #[schema(schema_with = schema::local_time, required = true)]
    pub starts_at: Option<String>,
    #[schema(schema_with = schema::local_time, required = true)]
    pub ends_at: Option<String>,
    /// Default `Asia/Shanghai`.
    #[schema(value_type = Option<TimeZoneName>)]
    pub timezone: Option<String>,
    /// What the event is broadcast from; null for none.
    pub stream: Option<StreamInput>,
    /// The replay: an HLS VOD address or a provider's video (no alternatives).
    pub recording: Option<StreamInput>,
    /// When the recording really started (chapters are shifted by it); default the
    /// event's start.
    #[schema(schema_with = schema::local_time)]
    pub recording_started_at: Option<String>,
    /// Whether anyone may watch the replay (default: registered participants only).
    pub replay_public: Option<bool>,
    /// Minutes of viewing that count a registration as attended (default 10).
    #[schema(minimum = 1, maximum = 1440)]
    pub attended_minutes: Option<i64>,
    /// Default: draft when creating, unchanged when changing; it moves draft →
    /// published → live → closed (or back from published to draft).
    #[schema(value_type = Option<EventStatus>)]
    pub status: Option<String>,
    #[serde(default)]
    #[schema(schema_with = registration_questions)]
    pub registration_questions: Vec<FormField>,
    /// Default `2026-1`; at most 40 characters are kept.
    #[schema(schema_with = privacy_version)]
    pub privacy_version: Option<String>,
}

impl From<EventInput> for domain::EventInput {
    fn from(i: EventInput) -> Self {
        domain::EventInput {
            slug: i.slug,
            title: i.title,
            theme: i.theme,
            description: i.description,
            focus_industries: i.focus_industries,
            target_countries: i.target_countries,
            languages: i.languages,
            starts_at: i.starts_at,
            ends_at: i.ends_at,
            timezone: i.timezone,
            broadcast: BroadcastInput {
                stream: stream_input(i.stream),
                recording: stream_input(i.recording),
                recording_started_at: i.recording_started_at,
            },
            replay_public: i.replay_public,
            attended_minutes: i.attended_minutes,
            status: i.status,
            form_fields: i
                .registration_questions
                .into_iter()
                .map(domain::FormField::from)
                .collect(),
            privacy_version: i.privacy_version,
        }
    }
}

/// A session as an organiser sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SessionInput {
    #[schema(schema_with = schema::local_time, required = true)]
    pub starts_at: Option<String>,
    #[schema(schema_with = schema::local_time, required = true)]
    pub ends_at: Option<String>,
    /// Default `presentation`.
    #[schema(value_type = Option<SessionKind>)]
    pub kind: Option<String>,
    #[serde(default)]
    #[schema(schema_with = title, required = true)]
    pub title: Localized,
    #[serde(default)]
    #[schema(schema_with = summary)]
    pub summary: Localized,
    /// A department of the agency.
    #[schema(schema_with = schema::optional_id)]
    pub department_id: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = name)]
    pub presenter: Localized,
    /// Parks of the agency.
    #[serde(default)]
    #[schema(schema_with = links)]
    pub park_ids: Vec<i64>,
    /// Policies of the agency.
    #[serde(default)]
    #[schema(schema_with = links)]
    pub policy_ids: Vec<i64>,
    /// Success stories of the agency.
    #[serde(default)]
    #[schema(schema_with = links)]
    pub story_ids: Vec<i64>,
    /// The session's own stream, when it is not the event's.
    pub stream: Option<StreamInput>,
    /// The session's own recording.
    pub recording: Option<StreamInput>,
    #[schema(schema_with = schema::local_time)]
    pub recording_started_at: Option<String>,
}

impl From<SessionInput> for domain::SessionInput {
    fn from(i: SessionInput) -> Self {
        domain::SessionInput {
            starts_at: i.starts_at,
            ends_at: i.ends_at,
            kind: i.kind,
            title: i.title,
            summary: i.summary,
            department_id: i.department_id,
            presenter: i.presenter,
            park_ids: i.park_ids,
            policy_ids: i.policy_ids,
            story_ids: i.story_ids,
            broadcast: BroadcastInput {
                stream: stream_input(i.stream),
                recording: stream_input(i.recording),
                recording_started_at: i.recording_started_at,
            },
        }
    }
}

/// A speaker as an organiser sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SpeakerInput {
    #[schema(schema_with = speaker_name, required = true)]
    pub name: Option<String>,
    /// Function and organisation.
    #[serde(default)]
    #[schema(schema_with = name)]
    pub role: Localized,
}

impl From<SpeakerInput> for domain::SpeakerInput {
    fn from(i: SpeakerInput) -> Self {
        domain::SpeakerInput {
            name: i.name,
            role: i.role,
        }
    }
}

pub(super) fn privacy_version() -> Object {
    schema::optional_text(schema::UNBOUNDED, Lines::One)
}

pub(super) fn links() -> utoipa::openapi::schema::ArrayBuilder {
    schema::ids(schema::UNBOUNDED)
}

pub(super) fn registration_questions() -> utoipa::openapi::schema::ArrayBuilder {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(schema::boxed(form_field_input()))
        .max_items(Some(limits::QUESTIONS))
}

/// A field of the registration form as an organiser sends it: a `choice` field needs
/// its options.
pub(super) fn form_field_input() -> Schema {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let option = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("key", schema::text(schema::UNBOUNDED, Lines::One))
        .required("key")
        .property(
            "label",
            schema::localized(schema::UNBOUNDED, false, Lines::One),
        )
        .required("label")
        .build();
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("key", schema::slug())
            .required("key")
            .property(
                "label",
                schema::localized(schema::UNBOUNDED, true, Lines::One),
            )
            .required("label")
            .property("required", ObjectBuilder::new().schema_type(Type::Boolean))
            .property("kind", schema::one_of(&["text", "choice"]))
            .required("kind")
            .property(
                "options",
                ArrayBuilder::new()
                    .items(option)
                    .description(Some("The choices of a `choice` field (at least one)")),
            )
            .build(),
    )
}
