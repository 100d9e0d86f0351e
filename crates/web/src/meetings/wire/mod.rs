//! 1:1 meetings on the wire: the scheduler's instance and answer, an event's booking,
//! requests and meetings, and what organisers, hosts and participants send.

use crate::schema::{self, Lines};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use roadshow_app::meetings::{Scheduled, UnplacedRequest};
use roadshow_domain::Localized;
use roadshow_domain::meetings::instance::{MAX_CAPACITY, MAX_SLOTS, MAX_WEIGHT};
use roadshow_domain::meetings::{self as scheduler};
use roadshow_domain::meetings::{
    self as domain, BREAK_MINUTES, MAX_DAYS, NOTES_MAX, PER_COMPANY, REASON_MAX, SLOT_MINUTES,
    TABLES, TOPIC_MAX,
};
use serde::{Deserialize, Serialize};
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::{IntoParams, ToSchema};

mod inputs;
mod schedule;
pub use inputs::*;
pub use schedule::*;

/// A host's tables and the slots it cannot make.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BookingHost {
    #[schema(schema_with = schema::id)]
    pub department_id: i64,
    /// Meetings at once.
    pub capacity: u32,
    pub unavailable: Vec<DateTime<Utc>>,
}

/// An event's meeting booking: days, the day's hours, slots, hosts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Booking {
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    pub days: Vec<NaiveDate>,
    /// `HH:MM:SS` in the event's zone.
    #[schema(value_type = String, pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$")]
    pub day_start: NaiveTime,
    #[schema(value_type = String, pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$")]
    pub day_end: NaiveTime,
    pub slot_minutes: u32,
    pub break_minutes: u32,
    pub max_per_company: u32,
    pub request_deadline: DateTime<Utc>,
    /// `{meeting}` is replaced by the meeting's number.
    pub video_link: Option<String>,
    pub hosts: Vec<BookingHost>,
}

impl From<&domain::Booking> for Booking {
    fn from(b: &domain::Booking) -> Self {
        Booking {
            event_id: b.event_id.0,
            days: b.days.clone(),
            day_start: b.day_start,
            day_end: b.day_end,
            slot_minutes: b.slot_minutes,
            break_minutes: b.break_minutes,
            max_per_company: b.max_per_company,
            request_deadline: b.request_deadline,
            video_link: b.video_link.clone(),
            hosts: b
                .hosts
                .iter()
                .map(|h| BookingHost {
                    department_id: h.department_id.0,
                    capacity: h.capacity,
                    unavailable: h.unavailable.clone(),
                })
                .collect(),
        }
    }
}

/// A slot of the grid; its id is its start in Unix seconds.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[schema(pattern = "^[0-9]+$")]
    pub id: String,
}

/// The slots of a booking.
pub fn slots(booking: &domain::Booking, zone: chrono_tz::Tz) -> Vec<Slot> {
    booking
        .slots(zone)
        .iter()
        .map(|s| Slot {
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            id: s.starts_at.timestamp().to_string(),
        })
        .collect()
}

/// How much a company wants a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Must,
    Want,
    Nice,
}

impl From<domain::Priority> for Priority {
    fn from(p: domain::Priority) -> Self {
        match p {
            domain::Priority::Must => Priority::Must,
            domain::Priority::Want => Priority::Want,
            domain::Priority::Nice => Priority::Nice,
        }
    }
}

/// A host's answer to a request: accepted, or declined with its reason.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostAnswer {
    pub accepted: bool,
    pub reason: String,
}

/// A company's request for a meeting with a host (or a host's invitation).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeetingRequest {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    #[schema(schema_with = schema::id)]
    pub participant_id: i64,
    #[schema(schema_with = schema::id)]
    pub department_id: i64,
    pub priority: Priority,
    pub topic: String,
    /// The host asked too.
    pub from_host: bool,
    pub host_answer: Option<HostAnswer>,
    pub created_at: DateTime<Utc>,
}

impl From<&domain::MeetingRequest> for MeetingRequest {
    fn from(r: &domain::MeetingRequest) -> Self {
        MeetingRequest {
            id: r.id.0,
            event_id: r.event_id.0,
            participant_id: r.participant_id.0,
            department_id: r.department_id.0,
            priority: r.priority.into(),
            topic: r.topic.clone(),
            from_host: r.from_host,
            host_answer: r.host_answer.as_ref().map(|a| HostAnswer {
                accepted: a.accepted,
                reason: a.reason.clone(),
            }),
            created_at: r.created_at,
        }
    }
}

/// How a held meeting went.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeetingOutcome {
    pub held: bool,
    pub notes: String,
    pub follow_up: bool,
}

/// A confirmed meeting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Meeting {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub event_id: i64,
    #[schema(schema_with = schema::id)]
    pub request_id: i64,
    pub starts_at: DateTime<Utc>,
    pub outcome: Option<MeetingOutcome>,
}

impl From<&domain::Meeting> for Meeting {
    fn from(m: &domain::Meeting) -> Self {
        Meeting {
            id: m.id.0,
            event_id: m.event_id.0,
            request_id: m.request_id.0,
            starts_at: m.starts_at,
            outcome: m.outcome.as_ref().map(|o| MeetingOutcome {
                held: o.held,
                notes: o.notes.clone(),
                follow_up: o.follow_up,
            }),
        }
    }
}

/// The organiser's view of an event's booking.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BookingView {
    /// `null` while the organiser has not opened booking on the event (then the other
    /// lists are empty).
    #[schema(required = true)]
    pub booking: Option<Booking>,
    pub slots: Vec<Slot>,
    /// A page of the requests, in the order they came in.
    pub requests: Vec<MeetingRequest>,
    /// The `after` of the next page of requests; `null` on the last page.
    #[schema(schema_with = crate::schema::optional_id)]
    pub next_after: Option<i64>,
    pub meetings: Vec<Meeting>,
}

/// Confirmed meetings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Meetings {
    pub meetings: Vec<Meeting>,
}

/// A host a participant may ask for a meeting.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostChoice {
    #[schema(schema_with = schema::id)]
    pub department_id: i64,
    #[schema(schema_with = schema::localized_out)]
    pub name: Localized,
    #[schema(schema_with = schema::localized_out)]
    pub description: Localized,
    pub tables: u32,
}

/// A participant's meeting with its host and video link.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MyMeeting {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::id)]
    pub request_id: i64,
    #[schema(schema_with = schema::id)]
    pub department_id: i64,
    pub topic: String,
    pub starts_at: DateTime<Utc>,
    pub video_link: Option<String>,
}

/// A participant's booking: the hosts, the slots, their requests, the slots they marked
/// and their meetings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MyBooking {
    /// Requests and slots may still change.
    pub open: bool,
    pub request_deadline: DateTime<Utc>,
    pub hosts: Vec<HostChoice>,
    pub slots: Vec<Slot>,
    pub requests: Vec<MeetingRequest>,
    pub availability: Vec<DateTime<Utc>>,
    pub meetings: Vec<MyMeeting>,
}

/// A department by its id and name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostDepartment {
    #[schema(schema_with = schema::id)]
    pub id: i64,
    #[schema(schema_with = schema::localized_out)]
    pub name: Localized,
}

/// A request as a host sees it, with who asked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostRequest {
    pub request: MeetingRequest,
    pub name: Option<String>,
    pub company: Option<String>,
    pub country: Option<String>,
}

/// A host's meeting with the company's name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostMeeting {
    pub meeting: Meeting,
    #[schema(schema_with = schema::id)]
    pub department_id: i64,
    pub topic: String,
    pub company: Option<String>,
}

/// A host's requests and meetings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostView {
    pub departments: Vec<HostDepartment>,
    /// A page of the requests, in the order they came in.
    pub requests: Vec<HostRequest>,
    /// The `after` of the next page of requests; `null` on the last page.
    #[schema(schema_with = crate::schema::optional_id)]
    pub next_after: Option<i64>,
    pub meetings: Vec<HostMeeting>,
}

/// A request withdrawn.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Withdrawn {
    #[schema(schema_with = schema::id)]
    pub withdrawn: i64,
}

/// How many slots the participant marked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AvailabilitySaved {
    pub slots: usize,
}

/// A request answered.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Answered {
    #[schema(schema_with = schema::id)]
    pub answered: i64,
}

/// An outcome recorded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Recorded {
    #[schema(schema_with = schema::id)]
    pub recorded: i64,
}

fn range(r: &std::ops::RangeInclusive<i64>, nullable: bool) -> Object {
    let kind = if nullable {
        SchemaType::from_iter([Type::Integer, Type::Null])
    } else {
        SchemaType::Type(Type::Integer)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .minimum(Some(*r.start()))
        .maximum(Some(*r.end()))
        .build()
}
