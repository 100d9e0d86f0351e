//! The broadcast: what an event or a session is streamed from, how a page shows it, and
//! (in [`viewing`]) how the players' heartbeats become attendance.
//!
//! Roadshow is not a media server: a stream is an address or a provider's video id. Its
//! rules are which addresses each type accepts, what a page embeds for it, and which hosts
//! that page's Content-Security-Policy must then allow.

mod captions;
pub mod chapters;
pub mod playlist;
mod providers;
pub mod viewing;

pub use captions::{CAPTIONS_MAX_BYTES, check_captions};
use providers::{bilibili_id, host_and_path, peertube_video, tencent_id, vimeo_id, youtube_id};
pub use providers::{host, origin};

use crate::Lang;
use crate::ids::{EventId, RegistrationId, SessionId};
use crate::store::StoreResult;
use crate::time::parse_local_or_rfc3339;
use crate::validation::{Checker, URL_MAX, is_http_url};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use viewing::{Heartbeat, Viewing};

/// How a stream is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamKind {
    /// A master playlist played by Roadshow's own player.
    Hls,
    Youtube,
    Vimeo,
    Peertube,
    Owncast,
    Bilibili,
    TencentVideo,
    /// Any other player, from a host the operator allows.
    Iframe,
    /// A meeting tool opened in its own window.
    Link,
}

impl StreamKind {
    pub const ALL: [StreamKind; 9] = [
        StreamKind::Hls,
        StreamKind::Youtube,
        StreamKind::Vimeo,
        StreamKind::Peertube,
        StreamKind::Owncast,
        StreamKind::Bilibili,
        StreamKind::TencentVideo,
        StreamKind::Iframe,
        StreamKind::Link,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StreamKind::Hls => "hls",
            StreamKind::Youtube => "youtube",
            StreamKind::Vimeo => "vimeo",
            StreamKind::Peertube => "peertube",
            StreamKind::Owncast => "owncast",
            StreamKind::Bilibili => "bilibili",
            StreamKind::TencentVideo => "tencent_video",
            StreamKind::Iframe => "iframe",
            StreamKind::Link => "link",
        }
    }

    /// Types named by a video id (an address of the provider is accepted and reduced to
    /// its id); the others are named by an address.
    pub fn takes_id(self) -> bool {
        matches!(
            self,
            StreamKind::Youtube
                | StreamKind::Vimeo
                | StreamKind::Bilibili
                | StreamKind::TencentVideo
        )
    }

    /// Whether the player tells the page when it plays (Roadshow's own player and the
    /// providers whose embeds answer `postMessage`); for the others only the page's
    /// presence is known.
    pub fn reports_playing(self) -> bool {
        matches!(
            self,
            StreamKind::Hls | StreamKind::Youtube | StreamKind::Vimeo | StreamKind::Peertube
        )
    }
}

impl FromStr for StreamKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        StreamKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or(())
    }
}

/// One source: a type with its address or id, as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceInput {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub url: Option<String>,
    pub id: Option<String>,
}

/// An interpreter's own stream for one language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlternativeInput {
    pub language: Option<String>,
    #[serde(flatten)]
    pub source: SourceInput,
}

/// A stream as an organiser sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamInput {
    #[serde(flatten)]
    pub source: SourceInput,
    #[serde(default)]
    pub alternatives: Vec<AlternativeInput>,
}

/// A checked source: for the id types `value` is the provider's id, else the address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub kind: StreamKind,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative {
    pub language: Lang,
    pub source: Source,
}

/// A checked stream, as the store keeps it (as JSON on the event or session).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stream {
    pub source: Source,
    #[serde(default)]
    pub alternatives: Vec<Alternative>,
}

/// At most one alternative per language.
pub const ALTERNATIVES_MAX: usize = Lang::ALL.len();

impl SourceInput {
    /// Checks one source; errors are pushed under `field` (`stream.url`, `stream.id`…).
    pub fn parse(&self, check: &mut Checker, field: &str) -> Option<Source> {
        let kind_text = self.kind.as_deref().map(str::trim).unwrap_or("");
        let Ok(kind) = kind_text.parse::<StreamKind>() else {
            check.push(
                format!("{field}.type"),
                if kind_text.is_empty() {
                    "required"
                } else {
                    "unknown_stream_type"
                },
            );
            return None;
        };
        let url = self.url.as_deref().map(str::trim).filter(|v| !v.is_empty());
        let id = self.id.as_deref().map(str::trim).filter(|v| !v.is_empty());
        let (name, value) = match (url, id) {
            (Some(u), _) => ("url", u),
            (None, Some(i)) if kind.takes_id() => ("id", i),
            (None, Some(_)) => {
                check.push(format!("{field}.url"), "required");
                return None;
            }
            (None, None) => {
                check.push(
                    format!("{field}.{}", if kind.takes_id() { "id" } else { "url" }),
                    "required",
                );
                return None;
            }
        };
        let at = format!("{field}.{name}");
        if value.chars().count() > URL_MAX {
            check.push_limit(at, "too_long", URL_MAX);
            return None;
        }
        // An id typed where an address goes (the pages have one field for both) is an id.
        let bare_id = kind.takes_id() && !value.contains('/');
        if name == "url" && !bare_id && !is_http_url(value) {
            check.push(at, "invalid_url");
            return None;
        }
        let value = match kind {
            StreamKind::Youtube => youtube_id(value),
            StreamKind::Vimeo => vimeo_id(value),
            StreamKind::Bilibili => bilibili_id(value),
            StreamKind::TencentVideo => tencent_id(value),
            StreamKind::Peertube => host_and_path(value)
                .and_then(|(_, path)| peertube_video(path))
                .map(|_| value.to_string()),
            StreamKind::Hls | StreamKind::Owncast | StreamKind::Iframe | StreamKind::Link => {
                Some(value.to_string())
            }
        };
        match value {
            Some(value) => Some(Source { kind, value }),
            None => {
                check.push(at, "invalid_stream_source");
                None
            }
        }
    }
}

impl StreamInput {
    /// Checks a stream and its alternatives under `field` (`stream`, `recording`).
    /// `with_alternatives`: whether alternatives are accepted (a recording has none).
    pub fn parse(
        &self,
        check: &mut Checker,
        field: &str,
        with_alternatives: bool,
    ) -> Option<Stream> {
        let source = self.source.parse(check, field);
        let mut alternatives = Vec::new();
        if !with_alternatives && !self.alternatives.is_empty() {
            check.push(format!("{field}.alternatives"), "not_allowed");
        } else if self.alternatives.len() > ALTERNATIVES_MAX {
            check.push_limit(
                format!("{field}.alternatives"),
                "too_many",
                ALTERNATIVES_MAX,
            );
        } else {
            for (i, alt) in self.alternatives.iter().enumerate() {
                let at = format!("{field}.alternatives.{i}");
                let language = match alt.language.as_deref().map(str::trim).unwrap_or("") {
                    "" => {
                        check.push(format!("{at}.language"), "required");
                        None
                    }
                    code => match code.parse::<Lang>() {
                        Ok(l) if alternatives.iter().any(|a: &Alternative| a.language == l) => {
                            check.push(format!("{at}.language"), "duplicate");
                            None
                        }
                        Ok(l) => Some(l),
                        Err(_) => {
                            check.push(format!("{at}.language"), "unknown_language");
                            None
                        }
                    },
                };
                let source = alt.source.parse(check, &at);
                if let (Some(language), Some(source)) = (language, source) {
                    if source.kind == StreamKind::Link {
                        check.push(format!("{at}.type"), "not_allowed");
                    } else {
                        alternatives.push(Alternative { language, source });
                    }
                }
            }
        }
        source.map(|source| Stream {
            source,
            alternatives,
        })
    }
}

impl Source {
    /// The address for `url`, or `None` for the id types.
    pub fn url(&self) -> Option<&str> {
        (!self.kind.takes_id()).then_some(self.value.as_str())
    }

    /// The provider's id, for the id types.
    pub fn id(&self) -> Option<&str> {
        self.kind.takes_id().then_some(self.value.as_str())
    }

    /// What a page shows for this source.
    pub fn player(&self) -> Player {
        let frame = |src: String| Player::Frame {
            host: origin(&src).unwrap_or_default(),
            src,
        };
        match self.kind {
            StreamKind::Hls => Player::Hls {
                url: self.value.clone(),
            },
            StreamKind::Link => Player::Link {
                url: self.value.clone(),
            },
            StreamKind::Youtube => frame(format!(
                "https://www.youtube-nocookie.com/embed/{}?enablejsapi=1&rel=0",
                self.value
            )),
            StreamKind::Vimeo => frame(format!(
                "https://player.vimeo.com/video/{}?api=1",
                self.value
            )),
            StreamKind::Bilibili => frame(format!(
                "https://player.bilibili.com/player.html?bvid={}&autoplay=0",
                self.value
            )),
            StreamKind::TencentVideo => frame(format!(
                "https://v.qq.com/txp/iframe/player.html?vid={}",
                self.value
            )),
            StreamKind::Peertube => {
                let (host, path) = host_and_path(&self.value).unwrap_or_default();
                let scheme = if self.value.starts_with("http://") {
                    "http"
                } else {
                    "https"
                };
                let port = origin(&self.value)
                    .and_then(|o| o.rsplit_once(':').map(|(_, p)| p.to_string()))
                    .filter(|p| p.chars().all(|c| c.is_ascii_digit()))
                    .map(|p| format!(":{p}"))
                    .unwrap_or_default();
                let video = peertube_video(path).unwrap_or_default();
                frame(format!(
                    "{scheme}://{host}{port}/videos/embed/{video}?api=1"
                ))
            }
            StreamKind::Owncast => frame(format!(
                "{}/embed/video",
                origin(&self.value).unwrap_or_default()
            )),
            StreamKind::Iframe => frame(self.value.clone()),
        }
    }
}

/// What a page shows for a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Player {
    /// Roadshow's player, with the master playlist.
    Hls { url: String },
    /// A provider's embed: its address and the origin a frame-src must allow.
    Frame { src: String, host: String },
    /// A button opening the meeting tool in its own window.
    Link { url: String },
}

/// The hosts a page showing `streams` must allow, for its Content-Security-Policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageSources {
    /// Origins of provider embeds (`frame-src`).
    pub frames: Vec<String>,
    /// Origins of HLS playlists and their segments (`connect-src`, `media-src`).
    pub media: Vec<String>,
}

impl PageSources {
    pub fn of<'a>(streams: impl IntoIterator<Item = &'a Stream>) -> PageSources {
        let mut out = PageSources::default();
        for stream in streams {
            let sources = std::iter::once(&stream.source)
                .chain(stream.alternatives.iter().map(|a| &a.source));
            for source in sources {
                match source.player() {
                    Player::Frame { host, .. } if !out.frames.contains(&host) => {
                        out.frames.push(host)
                    }
                    Player::Hls { url } => {
                        if let Some(o) = origin(&url).filter(|o| !out.media.contains(o)) {
                            out.media.push(o);
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.frames.is_empty() && self.media.is_empty()
    }
}

/// What an event or a session is broadcast from, as an organiser sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BroadcastInput {
    pub stream: Option<StreamInput>,
    /// The replay: an HLS VOD address or a provider's video.
    pub recording: Option<StreamInput>,
    /// When the recording really started (`YYYY-MM-DDTHH:MM[:SS]` in the event's zone, or
    /// RFC 3339); chapters are shifted by it. Default: the event's or session's start.
    pub recording_started_at: Option<String>,
}

/// A checked broadcast.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Broadcast {
    pub stream: Option<Stream>,
    pub recording: Option<Stream>,
    pub recording_started_at: Option<DateTime<Utc>>,
}

impl Broadcast {
    /// Every stream the live and replay pages may show.
    pub fn streams(&self) -> impl Iterator<Item = &Stream> {
        self.stream.iter().chain(self.recording.iter())
    }
}

impl BroadcastInput {
    pub fn parse(&self, check: &mut Checker, zone: Tz) -> Broadcast {
        let stream = self
            .stream
            .as_ref()
            .and_then(|s| s.parse(check, "stream", true));
        let recording = self
            .recording
            .as_ref()
            .and_then(|s| s.parse(check, "recording", false));
        if let Some(r) = &recording {
            if matches!(r.source.kind, StreamKind::Link | StreamKind::Owncast) {
                check.push("recording.type", "not_allowed");
            }
        }
        let recording_started_at = match self.recording_started_at.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match parse_local_or_rfc3339(text, zone) {
                Some(t) if crate::time::in_supported_range(t) => Some(t),
                _ => {
                    check.push("recording_started_at", "invalid_datetime");
                    None
                }
            },
        };
        Broadcast {
            stream,
            recording,
            recording_started_at,
        }
    }
}

/// Whether an `iframe` source's host is one the operator allows (`ROADSHOW_EMBED_HOSTS`:
/// host names, a leading `*.` for any subdomain).
pub fn embed_host_allowed(url: &str, allowed: &[String]) -> bool {
    let Some(host) = host(url) else { return false };
    allowed.iter().any(|a| {
        let a = a.trim().to_ascii_lowercase();
        match a.strip_prefix("*.") {
            Some(domain) => host.ends_with(&format!(".{domain}")),
            None => !a.is_empty() && host == a,
        }
    })
}

/// Checks the `iframe` sources of `stream` (under `field`) against the allowed hosts.
pub fn check_embed_hosts(check: &mut Checker, field: &str, stream: &Stream, allowed: &[String]) {
    if stream.source.kind == StreamKind::Iframe
        && !embed_host_allowed(&stream.source.value, allowed)
    {
        check.push(format!("{field}.url"), "embed_host_not_allowed");
    }
    for (i, alt) in stream.alternatives.iter().enumerate() {
        if alt.source.kind == StreamKind::Iframe && !embed_host_allowed(&alt.source.value, allowed)
        {
            check.push(
                format!("{field}.alternatives.{i}.url"),
                "embed_host_not_allowed",
            );
        }
    }
}

/// A heartbeat the server accepted, stamped with its clock (Unix seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct StampedBeat {
    pub event_id: EventId,
    pub registration_id: RegistrationId,
    pub at: i64,
    pub beat: Heartbeat,
}

/// Captions of a recording in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption {
    pub language: Lang,
    pub vtt: String,
    pub updated_at: DateTime<Utc>,
}

/// Which recording captions belong to: the event's, or a session's.
pub fn recording_key(session: Option<SessionId>) -> String {
    match session {
        None => "event".to_string(),
        Some(s) => format!("session-{}", s.0),
    }
}

/// Where viewing and captions are kept.
#[async_trait]
pub trait BroadcastStore: Send + Sync {
    /// Folds the beats into the viewers' intervals, in one transaction.
    async fn record_beats(&self, beats: &[StampedBeat]) -> StoreResult<()>;
    /// Adds finished intervals as they are (the demo's sample viewing; an import).
    async fn add_viewings(&self, event: EventId, viewings: &[Viewing]) -> StoreResult<()>;
    /// Every interval of an event's viewing.
    async fn viewings(&self, event: EventId) -> StoreResult<Vec<Viewing>>;
    /// One registration's intervals.
    async fn viewings_of(&self, registration: RegistrationId) -> StoreResult<Vec<Viewing>>;
    /// Registrations whose live viewing reaches from `since` to `now` (Unix seconds):
    /// ended at or after `since`, begun by `now`.
    async fn watching_since(&self, event: EventId, since: i64, now: i64) -> StoreResult<u64>;
    async fn captions(&self, event: EventId, recording: &str) -> StoreResult<Vec<Caption>>;
    async fn set_caption(
        &self,
        event: EventId,
        recording: &str,
        caption: &Caption,
    ) -> StoreResult<()>;
    async fn delete_caption(
        &self,
        event: EventId,
        recording: &str,
        language: Lang,
    ) -> StoreResult<()>;
}

#[cfg(test)]
mod tests;
