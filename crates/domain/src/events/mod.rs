//! Events: one online promotion with its agenda (sessions, speakers), its registration
//! form and its calendar. The inputs organisers send and the rules those inputs keep.

pub mod agenda;
pub mod calendar;

pub use agenda::*;

use crate::broadcast::viewing::ATTENDED_MINUTES;
use crate::broadcast::{Broadcast, BroadcastInput};
use crate::ids::{AgencyId, EventId, SessionId, SpeakerId};
use crate::lang::Lang;
use crate::localized::Localized;
use crate::reference;
use crate::store::StoreResult;
use crate::time::parse_local_or_rfc3339;
use crate::validation::{Checker, Invalid, is_slug};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Length limits for organiser content, in characters per language.
pub mod limits {
    pub const TITLE: usize = 200;
    pub const THEME: usize = 300;
    pub const DESCRIPTION: usize = 20_000;
    pub const SUMMARY: usize = 4_000;
    pub const NAME: usize = 200;
    pub const SLUG: usize = crate::validation::SLUG_MAX;
    pub const QUESTIONS: usize = 10;
    /// The largest "attended" threshold: a whole day of viewing.
    pub const ATTENDED_MINUTES_MAX: i64 = 1_440;
}

/// Where an event is in its life: draft → published → live → closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Draft,
    Published,
    Live,
    Closed,
}

impl EventStatus {
    pub const ALL: [EventStatus; 4] = [
        EventStatus::Draft,
        EventStatus::Published,
        EventStatus::Live,
        EventStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Published => "published",
            EventStatus::Live => "live",
            EventStatus::Closed => "closed",
        }
    }

    /// Whether visitors may see the event and register for it.
    pub fn is_public(self) -> bool {
        !matches!(self, EventStatus::Draft)
    }

    /// Whether the event still takes registrations.
    pub fn accepts_registrations(self) -> bool {
        matches!(self, EventStatus::Published | EventStatus::Live)
    }

    /// The status may move forward one step at a time, or a published event may go back
    /// to draft (unpublished) before it is live. A closed event stays closed.
    pub fn can_become(self, next: EventStatus) -> bool {
        use EventStatus::*;
        self == next
            || matches!(
                (self, next),
                (Draft, Published)
                    | (Published, Draft)
                    | (Published, Live)
                    | (Live, Closed)
                    | (Published, Closed)
            )
    }
}

impl FromStr for EventStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventStatus::ALL
            .into_iter()
            .find(|st| st.code() == s)
            .ok_or(())
    }
}

/// A field of an event's own registration form, besides the standard ones (not to be
/// confused with the questions of the live exchange).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    /// Stable key of the answer, e.g. `interest`.
    pub key: String,
    pub label: Localized,
    #[serde(default)]
    pub required: bool,
    pub kind: FieldKind,
    /// The choices, for `choice` questions.
    #[serde(default)]
    pub options: Vec<FieldOption>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Choice,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldOption {
    pub key: String,
    pub label: Localized,
}

/// What an organiser sends to create or change an event.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EventInput {
    pub slug: Option<String>,
    #[serde(default)]
    pub title: Localized,
    #[serde(default)]
    pub theme: Localized,
    /// Markdown, sanitised when shown.
    #[serde(default)]
    pub description: Localized,
    #[serde(default)]
    pub focus_industries: Vec<String>,
    #[serde(default)]
    pub target_countries: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    /// `YYYY-MM-DDTHH:MM` in the event's time zone, or RFC 3339.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    /// IANA zone name, e.g. `Asia/Shanghai`.
    pub timezone: Option<String>,
    #[serde(flatten)]
    pub broadcast: BroadcastInput,
    /// Whether anyone may watch the replay, not only registered participants.
    pub replay_public: Option<bool>,
    /// Minutes of viewing that make a registration "attended" (default 10).
    pub attended_minutes: Option<i64>,
    pub status: Option<String>,
    /// Called `registration_questions` in the API, as it always was.
    #[serde(default, rename = "registration_questions")]
    pub form_fields: Vec<FormField>,
    pub privacy_version: Option<String>,
}

/// A valid event, as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    pub slug: String,
    pub title: Localized,
    pub theme: Localized,
    pub description: Localized,
    pub focus_industries: Vec<String>,
    pub target_countries: Vec<String>,
    pub languages: Vec<Lang>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub timezone: String,
    pub broadcast: Broadcast,
    pub replay_public: bool,
    pub attended_minutes: i64,
    pub status: EventStatus,
    pub form_fields: Vec<FormField>,
    pub privacy_version: String,
}

fn parse_zone(check: &mut Checker, value: Option<&str>) -> Tz {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => chrono_tz::Asia::Shanghai,
        Some(name) => name.parse::<Tz>().unwrap_or_else(|_| {
            check.push("timezone", "unknown_timezone");
            chrono_tz::Asia::Shanghai
        }),
    }
}

fn parse_time(
    check: &mut Checker,
    field: &str,
    value: Option<&str>,
    zone: Tz,
) -> Option<DateTime<Utc>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => {
            check.push(field, "required");
            None
        }
        Some(text) => match parse_local_or_rfc3339(text, zone) {
            None => {
                check.push(field, "invalid_datetime");
                None
            }
            Some(instant) if !crate::time::in_supported_range(instant) => {
                check.push(field, "date_out_of_range");
                None
            }
            Some(instant) => Some(instant),
        },
    }
}

impl EventInput {
    /// Checks the input. `current` is the stored status when editing, so that the status
    /// can only move as [`EventStatus::can_become`] allows.
    pub fn parse(&self, current: Option<EventStatus>) -> Result<EventDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["description"]);
        let slug = check.required("slug", self.slug.as_deref(), limits::SLUG);
        if !slug.is_empty() && !is_slug(&slug) {
            check.push("slug", "invalid_slug");
        }
        check.localized("title", &self.title, limits::TITLE, true);
        check.localized("theme", &self.theme, limits::THEME, false);
        check.localized("description", &self.description, limits::DESCRIPTION, false);
        for (i, industry) in self.focus_industries.iter().enumerate() {
            if !reference::is_industry(industry) {
                check.push(format!("focus_industries.{i}"), "unknown_industry");
            }
        }
        let mut countries = Vec::new();
        for (i, code) in self.target_countries.iter().enumerate() {
            match reference::country(code) {
                Some(c) => countries.push(c.code.to_string()),
                None => check.push(format!("target_countries.{i}"), "unknown_country"),
            }
        }
        let mut languages = Vec::new();
        for (i, code) in self.languages.iter().enumerate() {
            match code.parse::<Lang>() {
                Ok(l) if !languages.contains(&l) => languages.push(l),
                Ok(_) => {}
                Err(_) => check.push(format!("languages.{i}"), "unknown_language"),
            }
        }
        if languages.is_empty() {
            languages = Lang::ALL.to_vec();
        }
        let zone = parse_zone(&mut check, self.timezone.as_deref());
        let starts_at = parse_time(&mut check, "starts_at", self.starts_at.as_deref(), zone);
        let ends_at = parse_time(&mut check, "ends_at", self.ends_at.as_deref(), zone);
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                check.push("ends_at", "ends_before_start");
            }
        }
        let broadcast = self.broadcast.parse(&mut check, zone);
        let attended_minutes = self.attended_minutes.unwrap_or(ATTENDED_MINUTES);
        if !(1..=limits::ATTENDED_MINUTES_MAX).contains(&attended_minutes) {
            check.push_range("attended_minutes", 1, limits::ATTENDED_MINUTES_MAX);
        }
        let status = match self
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => current.unwrap_or(EventStatus::Draft),
            Some(code) => match code.parse::<EventStatus>() {
                Ok(next) => {
                    if let Some(cur) = current {
                        if !cur.can_become(next) {
                            check.push("status", "status_transition");
                        }
                    }
                    next
                }
                Err(()) => {
                    check.push("status", "unknown_status");
                    EventStatus::Draft
                }
            },
        };
        if self.form_fields.len() > limits::QUESTIONS {
            check.push_limit("registration_questions", "too_many", limits::QUESTIONS);
        }
        for (i, q) in self.form_fields.iter().enumerate() {
            if !is_slug(&q.key) {
                check.push(format!("registration_questions.{i}.key"), "invalid_slug");
            }
            if q.label.is_empty() {
                check.push(format!("registration_questions.{i}.label"), "required");
            }
            if q.kind == FieldKind::Choice && q.options.is_empty() {
                check.push(format!("registration_questions.{i}.options"), "required");
            }
        }
        let privacy_version = self
            .privacy_version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .unwrap_or("2026-1")
            .chars()
            .take(40)
            .collect();
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        check.finish(EventDraft {
            slug,
            title: self.title.clone(),
            theme: self.theme.clone(),
            description: self.description.clone(),
            focus_industries: self.focus_industries.clone(),
            target_countries: countries,
            languages,
            starts_at: starts_at.unwrap_or(epoch),
            ends_at: ends_at.unwrap_or(epoch),
            timezone: zone.name().to_string(),
            broadcast,
            replay_public: self.replay_public.unwrap_or(false),
            attended_minutes,
            status,
            form_fields: self.form_fields.clone(),
            privacy_version,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: EventId,
    pub agency_id: AgencyId,
    pub slug: String,
    pub title: Localized,
    pub theme: Localized,
    pub description: Localized,
    pub focus_industries: Vec<String>,
    pub target_countries: Vec<String>,
    pub languages: Vec<Lang>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub timezone: String,
    #[serde(skip)]
    pub broadcast: Broadcast,
    pub replay_public: bool,
    pub attended_minutes: i64,
    pub status: EventStatus,
    #[serde(rename = "registration_questions")]
    pub form_fields: Vec<FormField>,
    pub privacy_version: String,
    pub updated_at: DateTime<Utc>,
}

impl Event {
    /// The event's zone; Beijing when the stored name is unknown to this build.
    pub fn zone(&self) -> Tz {
        self.timezone.parse().unwrap_or(crate::time::BEIJING)
    }
}

/// Where events and their agendas are kept.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Events of one agency (or all), soonest first; `public_only` leaves out drafts.
    async fn events(&self, agency: Option<AgencyId>, public_only: bool) -> StoreResult<Vec<Event>>;
    async fn event_by_slug(&self, slug: &str) -> StoreResult<Option<Event>>;
    async fn event(&self, id: EventId) -> StoreResult<Option<Event>>;
    async fn create_event(&self, agency: AgencyId, draft: &EventDraft) -> StoreResult<Event>;
    async fn update_event(&self, id: EventId, draft: &EventDraft) -> StoreResult<Event>;

    /// The agenda, in time order, with speakers and materials.
    async fn sessions(&self, event: EventId) -> StoreResult<Vec<Session>>;
    async fn session(&self, id: SessionId) -> StoreResult<Option<Session>>;
    async fn create_session(&self, event: EventId, draft: &SessionDraft) -> StoreResult<Session>;
    async fn update_session(&self, id: SessionId, draft: &SessionDraft) -> StoreResult<Session>;
    /// Removes a session with its speakers and material records; returns the file keys of
    /// its materials so the caller can remove the files.
    async fn delete_session(&self, id: SessionId) -> StoreResult<Vec<String>>;

    async fn add_speaker(&self, session: SessionId, draft: &SpeakerDraft) -> StoreResult<Speaker>;
    async fn speaker(&self, id: SpeakerId) -> StoreResult<Option<Speaker>>;
    async fn delete_speaker(&self, id: SpeakerId) -> StoreResult<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        EventInput {
            slug: Some("two-zones".into()),
            title: Localized::one(Lang::En, "Two Zones"),
            starts_at: Some("2026-12-01T15:00".into()),
            ends_at: Some("2026-12-01T17:30".into()),
            timezone: Some("Asia/Shanghai".into()),
            ..Default::default()
        }
    }

    #[test]
    fn event_times_are_read_in_the_event_zone() {
        let draft = input().parse(None).unwrap();
        assert_eq!(draft.starts_at.to_rfc3339(), "2026-12-01T07:00:00+00:00");
        assert_eq!(draft.status, EventStatus::Draft);
        assert_eq!(draft.languages.len(), 4);
    }

    #[test]
    fn bad_event_fields_are_named() {
        let mut bad = input();
        bad.slug = Some("Two Zones".into());
        bad.ends_at = Some("2026-12-01T14:00".into());
        bad.timezone = Some("Mars/Base".into());
        let codes: Vec<_> = bad
            .parse(None)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert!(codes.contains(&"slug".to_string()));
        assert!(codes.contains(&"timezone".to_string()));
    }

    #[test]
    fn dates_lie_in_one_supported_range() {
        for (start, end) in [
            ("0000-01-01T10:00", "0000-01-01T12:00"),
            ("10000-01-01T10:00", "10000-01-01T12:00"),
            ("+10000-01-01T10:00:00Z", "+10000-01-01T12:00:00Z"),
            ("1999-12-31T10:00", "2000-01-01T12:00"),
        ] {
            let mut far = input();
            far.starts_at = Some(start.into());
            far.ends_at = Some(end.into());
            let err = far.parse(None).unwrap_err();
            assert!(
                err.0.iter().any(|e| e.field == "starts_at"
                    && matches!(e.code, "date_out_of_range" | "invalid_datetime")),
                "{start}: {err}"
            );
        }
        let mut edge = input();
        edge.starts_at = Some("2100-12-31T10:00".into());
        edge.ends_at = Some("2100-12-31T12:00".into());
        assert!(edge.parse(None).is_ok());
    }

    #[test]
    fn status_moves_one_way() {
        use EventStatus::*;
        assert!(Draft.can_become(Published));
        assert!(!Draft.can_become(Live));
        assert!(!Closed.can_become(Published));
        let mut reopen = input();
        reopen.status = Some("published".into());
        assert!(reopen.parse(Some(Closed)).is_err());
    }

    #[test]
    fn sessions_lie_within_their_event() {
        let event = input().parse(None).unwrap();
        let session = SessionInput {
            starts_at: Some("2026-12-01T14:00".into()),
            ends_at: Some("2026-12-01T15:20".into()),
            title: Localized::one(Lang::En, "Opening"),
            ..Default::default()
        };
        let err = session
            .parse(chrono_tz::Asia::Shanghai, event.starts_at, event.ends_at)
            .unwrap_err();
        assert_eq!(err.0[0].code, "outside_event");
    }

    #[test]
    fn slugs() {
        assert!(is_slug("two-zones-2026"));
        assert!(!is_slug("-x") && !is_slug("a--b") && !is_slug("Ab") && !is_slug(""));
    }
}
