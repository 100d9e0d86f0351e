//! The agenda of an event: its sessions (presentations and the exchange slot) and their
//! speakers.

use super::{limits, parse_time};
use crate::broadcast::{Broadcast, BroadcastInput};
use crate::ids::{DepartmentId, EventId, ParkId, PolicyId, SessionId, SpeakerId, StoryId};
use crate::localized::Localized;
use crate::materials::Material;
use crate::validation::{Checker, Invalid};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// What kind of agenda item a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// A presentation by a department or company.
    Presentation,
    /// The exchange slot between companies and officials.
    Exchange,
}

impl SessionKind {
    pub fn code(self) -> &'static str {
        match self {
            SessionKind::Presentation => "presentation",
            SessionKind::Exchange => "exchange",
        }
    }
}

/// What an organiser sends to create or change a session.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionInput {
    /// `YYYY-MM-DDTHH:MM` in the event's time zone, or RFC 3339.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub kind: Option<String>,
    #[serde(default)]
    pub title: Localized,
    #[serde(default)]
    pub summary: Localized,
    pub department_id: Option<i64>,
    /// Who presents when it is not a department (a company such as Steinbeis).
    #[serde(default)]
    pub presenter: Localized,
    #[serde(default)]
    pub park_ids: Vec<i64>,
    #[serde(default)]
    pub policy_ids: Vec<i64>,
    #[serde(default)]
    pub story_ids: Vec<i64>,
    #[serde(flatten)]
    pub broadcast: BroadcastInput,
}

/// A valid session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionDraft {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub kind: SessionKind,
    pub title: Localized,
    pub summary: Localized,
    pub department_id: Option<DepartmentId>,
    pub presenter: Localized,
    pub park_ids: Vec<ParkId>,
    pub policy_ids: Vec<PolicyId>,
    pub story_ids: Vec<StoryId>,
    pub broadcast: Broadcast,
}

impl SessionInput {
    /// Checks the input against the event's zone and times: a session lies within its event.
    pub fn parse(
        &self,
        zone: Tz,
        event_start: DateTime<Utc>,
        event_end: DateTime<Utc>,
    ) -> Result<SessionDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["summary"]);
        let starts_at = parse_time(&mut check, "starts_at", self.starts_at.as_deref(), zone);
        let ends_at = parse_time(&mut check, "ends_at", self.ends_at.as_deref(), zone);
        if let Some(s) = starts_at {
            if s < event_start || s >= event_end {
                check.push("starts_at", "outside_event");
            }
        }
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                check.push("ends_at", "ends_before_start");
            } else if e > event_end {
                check.push("ends_at", "outside_event");
            }
        }
        let kind = match self.kind.as_deref().unwrap_or("presentation") {
            "presentation" | "" => SessionKind::Presentation,
            "exchange" => SessionKind::Exchange,
            _ => {
                check.push("kind", "unknown_kind");
                SessionKind::Presentation
            }
        };
        check.localized("title", &self.title, limits::TITLE, true);
        check.localized("summary", &self.summary, limits::SUMMARY, false);
        check.localized("presenter", &self.presenter, limits::NAME, false);
        let broadcast = self.broadcast.parse(&mut check, zone);
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        check.finish(SessionDraft {
            starts_at: starts_at.unwrap_or(epoch),
            ends_at: ends_at.unwrap_or(epoch),
            kind,
            title: self.title.clone(),
            summary: self.summary.clone(),
            department_id: self.department_id.map(DepartmentId),
            presenter: self.presenter.clone(),
            park_ids: self.park_ids.iter().copied().map(ParkId).collect(),
            policy_ids: self.policy_ids.iter().copied().map(PolicyId).collect(),
            story_ids: self.story_ids.iter().copied().map(StoryId).collect(),
            broadcast,
        })
    }
}

/// A speaker as an organiser enters it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SpeakerInput {
    pub name: Option<String>,
    /// Function and organisation, per language.
    #[serde(default)]
    pub role: Localized,
}
/// A valid speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerDraft {
    pub name: String,
    pub role: Localized,
}

impl SpeakerInput {
    pub fn parse(&self) -> Result<SpeakerDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &[]);
        let name = check.required("name", self.name.as_deref(), limits::NAME);
        check.localized("role", &self.role, limits::NAME, false);
        check.finish(SpeakerDraft {
            name,
            role: self.role.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub id: SessionId,
    pub event_id: EventId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub kind: SessionKind,
    pub title: Localized,
    pub summary: Localized,
    pub department_id: Option<DepartmentId>,
    pub presenter: Localized,
    pub park_ids: Vec<ParkId>,
    pub policy_ids: Vec<PolicyId>,
    pub story_ids: Vec<StoryId>,
    #[serde(skip)]
    pub broadcast: Broadcast,
    pub speakers: Vec<Speaker>,
    pub materials: Vec<Material>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaker {
    pub id: SpeakerId,
    pub session_id: SessionId,
    pub name: String,
    pub role: Localized,
}
