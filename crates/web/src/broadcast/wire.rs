//! The broadcast on the wire: streams as events and sessions carry them, the stream
//! check's answer, heartbeats and attendance.

use crate::api::Language;
use crate::schema;
use roadshow_domain::broadcast::{self as domain, StreamKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// How a stream is shown: `hls` by Roadshow's player; `youtube` (through
/// youtube-nocookie), `vimeo`, `peertube`, `owncast`, `bilibili`, `tencent_video` as the
/// provider's embed; `iframe` any other player from a host the operator allows
/// (`ROADSHOW_EMBED_HOSTS`); `link` a meeting tool opened in its own window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StreamType {
    Hls,
    Youtube,
    Vimeo,
    Peertube,
    Owncast,
    Bilibili,
    TencentVideo,
    Iframe,
    Link,
}

impl From<StreamKind> for StreamType {
    fn from(k: StreamKind) -> Self {
        match k {
            StreamKind::Hls => StreamType::Hls,
            StreamKind::Youtube => StreamType::Youtube,
            StreamKind::Vimeo => StreamType::Vimeo,
            StreamKind::Peertube => StreamType::Peertube,
            StreamKind::Owncast => StreamType::Owncast,
            StreamKind::Bilibili => StreamType::Bilibili,
            StreamKind::TencentVideo => StreamType::TencentVideo,
            StreamKind::Iframe => StreamType::Iframe,
            StreamKind::Link => StreamType::Link,
        }
    }
}

/// A source as sent: its type with an address (`url`) or, for `youtube`, `vimeo`,
/// `bilibili` and `tencent_video`, the provider's video id (`id`, or its address).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SourceInput {
    #[serde(rename = "type")]
    #[schema(value_type = Option<StreamType>, required = true)]
    pub kind: Option<String>,
    #[schema(schema_with = schema::optional_url)]
    pub url: Option<String>,
    #[schema(schema_with = video_id)]
    pub id: Option<String>,
}

fn video_id() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::schema::Type::String,
            utoipa::openapi::schema::Type::Null,
        ]))
        .max_length(Some(roadshow_domain::validation::URL_MAX))
        .description(Some("The provider's video id (or its address)"))
        .build()
}

/// An interpreter's own stream for one language, when the main one has no audio tracks.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AlternativeInput {
    #[schema(value_type = Option<Language>, required = true)]
    pub language: Option<String>,
    #[serde(flatten)]
    pub source: SourceInput,
}

/// A stream as sent: a source and its alternatives per language (at most one each).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct StreamInput {
    #[serde(flatten)]
    pub source: SourceInput,
    #[serde(default)]
    #[schema(max_items = 4)]
    pub alternatives: Vec<AlternativeInput>,
}

impl From<SourceInput> for domain::SourceInput {
    fn from(s: SourceInput) -> Self {
        domain::SourceInput {
            kind: s.kind,
            url: s.url,
            id: s.id,
        }
    }
}

impl From<StreamInput> for domain::StreamInput {
    fn from(s: StreamInput) -> Self {
        domain::StreamInput {
            source: s.source.into(),
            alternatives: s
                .alternatives
                .into_iter()
                .map(|a| domain::AlternativeInput {
                    language: a.language,
                    source: a.source.into(),
                })
                .collect(),
        }
    }
}

/// One language's own stream.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Alternative {
    pub language: Language,
    #[serde(rename = "type")]
    pub kind: StreamType,
    /// The address; null for the types named by a video id.
    pub url: Option<String>,
    /// The provider's video id; null for the types named by an address.
    pub id: Option<String>,
}

/// A stream: its type, its address or the provider's video id, and its alternatives.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Stream {
    #[serde(rename = "type")]
    pub kind: StreamType,
    /// The address; null for the types named by a video id.
    pub url: Option<String>,
    /// The provider's video id; null for the types named by an address.
    pub id: Option<String>,
    pub alternatives: Vec<Alternative>,
}

impl From<&domain::Stream> for Stream {
    fn from(s: &domain::Stream) -> Self {
        Stream {
            kind: s.source.kind.into(),
            url: s.source.url().map(str::to_string),
            id: s.source.id().map(str::to_string),
            alternatives: s
                .alternatives
                .iter()
                .map(|a| Alternative {
                    language: a.language.into(),
                    kind: a.source.kind.into(),
                    url: a.source.url().map(str::to_string),
                    id: a.source.id().map(str::to_string),
                })
                .collect(),
        }
    }
}

/// The broadcast fields events and sessions share, as sent.
pub fn stream_input(s: Option<StreamInput>) -> Option<domain::StreamInput> {
    s.map(Into::into)
}

/// An audio rendition of an HLS stream.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AudioTrack {
    /// As the playlist names it (`LANGUAGE`); null when it does not.
    pub language: Option<String>,
    pub name: String,
    pub default: bool,
}

/// A subtitle rendition of an HLS stream.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SubtitleTrack {
    pub language: Option<String>,
    pub name: String,
}

/// A variant stream (a quality).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Variant {
    pub bandwidth: u64,
    /// `1280x720`, when the playlist says.
    pub resolution: Option<String>,
}

/// Something a viewer would notice, explained in the caller's language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StreamWarning {
    /// `unreadable`, `not_master`, `no_variants`, `audio_muxed_only`,
    /// `missing_audio_group`, `missing_codecs`, `missing_resolution`,
    /// `audio_without_language`, `no_default_audio`, `subtitles_without_language`, or
    /// `embed_not_inspected` for a provider's embed.
    pub code: String,
    pub message: String,
}

/// What the check of a stream found.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StreamCheck {
    #[serde(rename = "type")]
    pub kind: StreamType,
    pub audio: Vec<AudioTrack>,
    pub subtitles: Vec<SubtitleTrack>,
    pub variants: Vec<Variant>,
    pub warnings: Vec<StreamWarning>,
}

impl StreamCheck {
    pub fn of(
        c: &roadshow_app::broadcast::StreamCheck,
        lang: roadshow_domain::Lang,
    ) -> StreamCheck {
        let mut warnings: Vec<StreamWarning> = c
            .report
            .warnings
            .iter()
            .map(|w| StreamWarning {
                code: w.code().to_string(),
                message: roadshow_i18n::t(lang, &roadshow_app::broadcast::warning_key(*w)),
            })
            .collect();
        for note in &c.notes {
            warnings.push(StreamWarning {
                code: (*note).to_string(),
                message: roadshow_i18n::t(
                    lang,
                    &format!("stream-warning-{}", note.replace('_', "-")),
                ),
            });
        }
        StreamCheck {
            kind: c.kind.into(),
            audio: c
                .report
                .audio
                .iter()
                .map(|a| AudioTrack {
                    language: a.language.clone(),
                    name: a.name.clone(),
                    default: a.default,
                })
                .collect(),
            subtitles: c
                .report
                .subtitles
                .iter()
                .map(|s| SubtitleTrack {
                    language: s.language.clone(),
                    name: s.name.clone(),
                })
                .collect(),
            variants: c
                .report
                .variants
                .iter()
                .map(|v| Variant {
                    bandwidth: v.bandwidth,
                    resolution: v.resolution.clone(),
                })
                .collect(),
            warnings,
        }
    }
}

/// Live or the replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ViewingMode {
    Live,
    Replay,
}

/// A player saying "playing": every 60 s while the picture plays in a visible tab, and
/// once when the tab is hidden.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct HeartbeatInput {
    /// The agenda session whose stream plays; null for the event's own.
    #[schema(schema_with = schema::optional_id)]
    pub session_id: Option<i64>,
    #[schema(value_type = ViewingMode, required = true)]
    pub mode: Option<String>,
    /// The player's position in seconds.
    #[schema(minimum = 0, maximum = 604800)]
    pub position_s: Option<f64>,
    /// The audio track's language as the stream names it (`de`, `zh-Hans`).
    #[schema(schema_with = language_tag)]
    pub audio_language: Option<String>,
    /// The captions shown, if any.
    #[schema(schema_with = language_tag)]
    pub caption_language: Option<String>,
}

fn language_tag() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::schema::Type::String,
            utoipa::openapi::schema::Type::Null,
        ]))
        .max_length(Some(16))
        .pattern(Some("^[A-Za-z0-9-]*$"))
        .build()
}

impl From<HeartbeatInput> for roadshow_domain::broadcast::viewing::HeartbeatInput {
    fn from(h: HeartbeatInput) -> Self {
        roadshow_domain::broadcast::viewing::HeartbeatInput {
            session_id: h.session_id,
            mode: h.mode,
            position_s: h.position_s,
            audio_language: h.audio_language,
            caption_language: h.caption_language,
        }
    }
}

/// What became of a heartbeat: `accepted`, or ignored as `not_live` (a live beat while
/// the event is not live) or `too_fast` (sooner than a player sends them).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HeartbeatReceipt {
    pub accepted: bool,
    pub outcome: String,
}

/// Viewers in one 5-minute bucket.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Bucket {
    pub start: chrono::DateTime<chrono::Utc>,
    pub viewers: u64,
}

/// Viewing of one agenda session.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionViewing {
    #[schema(schema_with = schema::id)]
    pub session_id: i64,
    pub viewers: u64,
    pub minutes: i64,
    /// Viewers who left before 80 % of the session.
    pub early_leavers: u64,
}

/// An event's attendance, measured from the players' heartbeats.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Attendance {
    /// Registrations whose player reported playing live in the last 90 seconds.
    pub watching_now: u64,
    /// Registrations with at least one accepted heartbeat.
    pub unique_viewers: u64,
    pub peak_concurrent: u64,
    pub peak_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Viewers who watched at least `attended_minutes` (live and replay together).
    pub attended: u64,
    pub attended_minutes: i64,
    pub minutes_live: i64,
    pub minutes_replay: i64,
    pub early_leavers: u64,
    /// Concurrent viewers in 5-minute buckets over the event's scheduled time (wider
    /// buckets for an event longer than a week: at most 2,016).
    pub buckets: Vec<Bucket>,
    pub sessions: Vec<SessionViewing>,
    /// Viewers by the audio language they listened to longest.
    pub audio_languages: BTreeMap<String, u64>,
    /// `player` (players report playing), `presence` (the embed cannot tell; live-page
    /// presence only) or `no_stream`.
    pub measured_by: String,
    /// Whether the figures are limited to the caller's own sessions (officials).
    pub own_sessions_only: bool,
    /// The event's heartbeats that the server answering took, ignored or refused since it
    /// started (each Roadshow process counts its own).
    pub heartbeats: HeartbeatCounts,
}

/// Heartbeats by what became of them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HeartbeatCounts {
    pub accepted: u64,
    /// `live` beats while the event was not live: ignored.
    pub not_live: u64,
    /// Beats sooner after the viewer's previous one than a player sends them: ignored.
    pub too_fast: u64,
    /// Beats refused with an error (a bad field, an unknown session, a replay without a
    /// recording).
    pub refused: u64,
}

fn at(t: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t, 0).unwrap_or_default()
}

impl From<&roadshow_app::broadcast::AttendanceView> for Attendance {
    fn from(v: &roadshow_app::broadcast::AttendanceView) -> Self {
        let a = &v.attendance;
        Attendance {
            watching_now: a.watching_now,
            unique_viewers: a.unique_viewers,
            peak_concurrent: a.peak_concurrent,
            peak_at: a.peak_at.map(at),
            attended: a.attended,
            attended_minutes: a.attended_minutes,
            minutes_live: a.minutes_live,
            minutes_replay: a.minutes_replay,
            early_leavers: a.early_leavers,
            buckets: a
                .buckets
                .iter()
                .map(|b| Bucket {
                    start: at(b.start),
                    viewers: b.viewers,
                })
                .collect(),
            sessions: a
                .sessions
                .iter()
                .map(|s| SessionViewing {
                    session_id: s.session_id,
                    viewers: s.viewers,
                    minutes: s.minutes,
                    early_leavers: s.early_leavers,
                })
                .collect(),
            audio_languages: a.audio_languages.clone(),
            measured_by: v.measured_by.code().to_string(),
            own_sessions_only: v.own_sessions_only,
            heartbeats: HeartbeatCounts {
                accepted: v.beats.accepted,
                not_live: v.beats.not_live,
                too_fast: v.beats.too_fast,
                refused: v.beats.refused,
            },
        }
    }
}

/// Captions of the recording in one language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaptionInfo {
    pub language: Language,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Where the file is (`text/vtt`).
    pub href: String,
}

/// The recording's captions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Captions {
    pub captions: Vec<CaptionInfo>,
}
