//! 1:1 meetings on the wire: the scheduler's instance and answer, an event's booking,
//! requests and meetings, and what organisers, hosts and participants send.

use crate::schema::{self, Lines};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use roadshow_app::meetings::{Scheduled, UnplacedRequest};
use roadshow_domain::Localized;
use roadshow_domain::meetings::booking::{
    self as domain, BREAK_MINUTES, MAX_DAYS, NOTES_MAX, PER_COMPANY, REASON_MAX, SLOT_MINUTES,
    TABLES, TOPIC_MAX,
};
use roadshow_domain::meetings::instance::{MAX_CAPACITY, MAX_SLOTS, MAX_WEIGHT};
use roadshow_domain::meetings::{self as scheduler};
use serde::{Deserialize, Serialize};
use utoipa::openapi::Object;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::{IntoParams, ToSchema};

/// One meeting of a grid: a company meets a host in a slot (ids as the instance names
/// them).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Placement {
    pub company: String,
    pub host: String,
    pub slot: String,
}

/// Why a request got no meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnplacedReason {
    NoCommonSlot,
    CompanyAtMaximum,
    HostFull,
    CompanyBusy,
}

/// A request left out of the grid, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Unplaced {
    pub company: String,
    pub host: String,
    pub weight: u64,
    pub reason: UnplacedReason,
}

impl From<&UnplacedRequest> for Unplaced {
    fn from(u: &UnplacedRequest) -> Self {
        Unplaced {
            company: u.company.clone(),
            host: u.host.clone(),
            weight: u.weight,
            reason: match u.reason {
                "company_at_maximum" => UnplacedReason::CompanyAtMaximum,
                "host_full" => UnplacedReason::HostFull,
                "company_busy" => UnplacedReason::CompanyBusy,
                _ => UnplacedReason::NoCommonSlot,
            },
        }
    }
}

/// The best grid found, with the proof of how good it is.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Schedule {
    pub meetings: Vec<Placement>,
    /// The grid's total weight.
    pub objective: u64,
    /// No grid can weigh more (proven).
    pub upper_bound: u64,
    /// The objective reached the bound.
    pub optimal: bool,
    pub seconds: f64,
    /// (upper bound − objective) / upper bound, in per cent.
    pub gap_percent: f64,
    pub companies_with_meetings: usize,
    pub unplaced: Vec<Unplaced>,
}

impl From<&Scheduled> for Schedule {
    fn from(s: &Scheduled) -> Self {
        Schedule {
            meetings: s.output.meetings.iter().map(placement).collect(),
            objective: s.output.objective,
            upper_bound: s.output.upper_bound,
            optimal: s.output.optimal,
            seconds: s.output.seconds,
            gap_percent: s.gap_percent,
            companies_with_meetings: s.companies_with_meetings,
            unplaced: s.unplaced.iter().map(Unplaced::from).collect(),
        }
    }
}

fn placement(p: &scheduler::instance::Placement) -> Placement {
    Placement {
        company: p.company.clone(),
        host: p.host.clone(),
        slot: p.slot.clone(),
    }
}

/// A host of an instance: its tables and the slots it is available in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct HostSpec {
    #[schema(schema_with = instance_id)]
    pub id: String,
    #[schema(schema_with = capacity)]
    pub capacity: i64,
    pub available: Vec<String>,
}

/// A company of an instance: the slots it is available in and how many meetings it may
/// have.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct CompanySpec {
    #[schema(schema_with = instance_id)]
    pub id: String,
    pub available: Vec<String>,
    #[schema(schema_with = max_meetings)]
    pub max_meetings: i64,
}

/// A company's wish to meet a host, with its weight.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct RequestSpec {
    pub company: String,
    pub host: String,
    #[schema(schema_with = weight)]
    pub weight: i64,
    /// Pinned: the meeting must stay in this slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
}

/// What to schedule (see `docs/MEETINGS.md`); requests name companies, hosts and slots
/// of the instance.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ScheduleInstance {
    /// In time order: idle gaps are counted along it.
    #[serde(default)]
    #[schema(schema_with = slot_ids)]
    pub slots: Vec<String>,
    #[serde(default)]
    pub hosts: Vec<HostSpec>,
    #[serde(default)]
    pub companies: Vec<CompanySpec>,
    #[serde(default)]
    pub requests: Vec<RequestSpec>,
}

impl From<ScheduleInstance> for scheduler::Instance {
    fn from(i: ScheduleInstance) -> Self {
        scheduler::Instance {
            slots: i.slots,
            hosts: i
                .hosts
                .into_iter()
                .map(|h| scheduler::instance::HostSpec {
                    id: h.id,
                    capacity: h.capacity,
                    available: h.available,
                })
                .collect(),
            companies: i
                .companies
                .into_iter()
                .map(|c| scheduler::instance::CompanySpec {
                    id: c.id,
                    available: c.available,
                    max_meetings: c.max_meetings,
                })
                .collect(),
            requests: i
                .requests
                .into_iter()
                .map(|r| scheduler::instance::RequestSpec {
                    company: r.company,
                    host: r.host,
                    weight: r.weight,
                    slot: r.slot,
                })
                .collect(),
        }
    }
}

/// How long the scheduler may search.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    /// Milliseconds, 100–10,000; default 5,000.
    #[param(minimum = 100, maximum = 10_000)]
    pub time_limit_ms: Option<u64>,
}

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
    pub booking: Booking,
    pub slots: Vec<Slot>,
    pub requests: Vec<MeetingRequest>,
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
    pub requests: Vec<HostRequest>,
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

/// A host of the booking as an organiser sets it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct HostInput {
    /// A department of the agency.
    #[serde(default)]
    #[schema(schema_with = schema::id, required = true)]
    pub department_id: i64,
    /// Tables: meetings at once.
    #[serde(default)]
    #[schema(schema_with = tables, required = true)]
    pub capacity: i64,
    /// Slots it cannot make, by their id (start in Unix seconds) or RFC 3339 start.
    #[serde(default)]
    pub unavailable: Vec<String>,
}

/// An event's meeting booking as an organiser sets it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct BookingInput {
    /// `YYYY-MM-DD`, separated by commas or spaces.
    #[serde(default)]
    #[schema(schema_with = days, required = true)]
    pub days: String,
    /// `HH:MM` in the event's zone.
    #[serde(default)]
    #[schema(schema_with = clock, required = true)]
    pub day_start: String,
    /// `HH:MM`, after `day_start`.
    #[serde(default)]
    #[schema(schema_with = clock, required = true)]
    pub day_end: String,
    /// Default 30.
    #[schema(schema_with = slot_minutes)]
    pub slot_minutes: Option<i64>,
    /// Default 0.
    #[schema(schema_with = break_minutes)]
    pub break_minutes: Option<i64>,
    /// Default 4.
    #[schema(schema_with = per_company)]
    pub max_per_company: Option<i64>,
    /// Until when participants may ask and mark slots.
    #[serde(default)]
    #[schema(schema_with = schema::local_time, required = true)]
    pub request_deadline: String,
    /// `{meeting}` is replaced by the meeting's number; empty for none.
    #[serde(default)]
    #[schema(schema_with = video_link)]
    pub video_link: String,
    #[serde(default)]
    pub hosts: Vec<HostInput>,
}

impl From<BookingInput> for domain::BookingInput {
    fn from(i: BookingInput) -> Self {
        domain::BookingInput {
            days: i.days,
            day_start: i.day_start,
            day_end: i.day_end,
            slot_minutes: i.slot_minutes,
            break_minutes: i.break_minutes,
            max_per_company: i.max_per_company,
            request_deadline: i.request_deadline,
            video_link: i.video_link,
            hosts: i
                .hosts
                .into_iter()
                .map(|h| domain::HostInput {
                    department_id: h.department_id,
                    capacity: h.capacity,
                    unavailable: h.unavailable,
                })
                .collect(),
        }
    }
}

/// Whether to schedule anew, moving confirmed meetings too.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalQuery {
    /// Move confirmed meetings too (default: they stay put).
    #[serde(default)]
    pub full: bool,
}

/// The grid to confirm.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ConfirmInput {
    /// Every meeting of the grid: one left out is cancelled.
    #[serde(default)]
    pub meetings: Vec<Placement>,
}

/// A participant's request for a meeting.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct RequestInput {
    /// A host of the booking.
    #[serde(default)]
    #[schema(schema_with = schema::id, required = true)]
    pub department_id: i64,
    #[serde(default)]
    #[schema(value_type = Priority, required = true)]
    pub priority: String,
    #[serde(default)]
    #[schema(schema_with = topic, required = true)]
    pub topic: String,
}

impl From<RequestInput> for domain::RequestInput {
    fn from(i: RequestInput) -> Self {
        domain::RequestInput {
            department_id: i.department_id,
            priority: i.priority,
            topic: i.topic,
        }
    }
}

/// The slots a participant can make, by their id.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AvailabilityInput {
    /// Left out: none.
    #[serde(default)]
    pub slots: Vec<String>,
}

/// A host's answer: accept (a note is optional), or decline with the reason the company
/// will read.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct HostAnswerInput {
    #[serde(default)]
    pub accept: bool,
    /// Required when declining.
    #[serde(default)]
    #[schema(schema_with = reason)]
    pub reason: String,
}

impl From<HostAnswerInput> for domain::AnswerInput {
    fn from(i: HostAnswerInput) -> Self {
        domain::AnswerInput {
            accept: i.accept,
            reason: i.reason,
        }
    }
}

/// How a meeting went (once it has begun).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct OutcomeInput {
    #[serde(default)]
    #[schema(schema_with = outcome, required = true)]
    pub outcome: String,
    #[serde(default)]
    #[schema(schema_with = notes)]
    pub notes: String,
    #[serde(default)]
    pub follow_up: bool,
}

impl From<OutcomeInput> for domain::OutcomeInput {
    fn from(i: OutcomeInput) -> Self {
        domain::OutcomeInput {
            outcome: i.outcome,
            notes: i.notes,
            follow_up: i.follow_up,
        }
    }
}

/// A host asks a registered company for a meeting.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct InvitationInput {
    /// The host: the official's department (any host for an organiser).
    #[serde(default)]
    #[schema(schema_with = schema::id, required = true)]
    pub department_id: i64,
    /// A participant of the event.
    #[serde(default)]
    #[schema(schema_with = schema::id, required = true)]
    pub participant_id: i64,
    #[serde(default)]
    #[schema(schema_with = topic, required = true)]
    pub topic: String,
}

impl From<InvitationInput> for domain::InvitationInput {
    fn from(i: InvitationInput) -> Self {
        domain::InvitationInput {
            department_id: i.department_id,
            participant_id: i.participant_id,
            topic: i.topic,
        }
    }
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

fn instance_id() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .build()
}

fn slot_ids() -> utoipa::openapi::schema::ArrayBuilder {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(instance_id())
        .unique_items(true)
        .max_items(Some(MAX_SLOTS))
}

fn capacity() -> Object {
    range(&(1..=MAX_CAPACITY), false)
}

fn max_meetings() -> Object {
    range(&(0..=MAX_SLOTS as i64), false)
}

fn weight() -> Object {
    range(&(1..=MAX_WEIGHT), false)
}

fn tables() -> Object {
    range(&TABLES, false)
}

fn slot_minutes() -> Object {
    range(&SLOT_MINUTES, true)
}

fn break_minutes() -> Object {
    range(&BREAK_MINUTES, true)
}

fn per_company() -> Object {
    range(&PER_COMPANY, true)
}

fn days() -> Object {
    let day = schema::date().pattern.unwrap_or_default();
    let day = day.trim_start_matches('^').trim_end_matches('$');
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!(
            "^[ ,]*{day}([ ,]+{day}){{0,{}}}[ ,]*$",
            MAX_DAYS - 1
        )))
        .description(Some(format!(
            "Up to {MAX_DAYS} days, `YYYY-MM-DD`, separated by commas or spaces"
        )))
        .build()
}

fn clock() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^([01][0-9]|2[0-3]):[0-5][0-9]$"))
        .build()
}

fn video_link() -> Object {
    let url = schema::optional_url().pattern.unwrap_or_default();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(roadshow_domain::validation::URL_MAX))
        .pattern(Some(url))
        .build()
}

fn topic() -> Object {
    schema::filled(TOPIC_MAX, Lines::Many)
}

fn notes() -> Object {
    schema::text(NOTES_MAX, Lines::Many)
}

fn outcome() -> Object {
    schema::one_of(&["held", "no_show"])
}

fn reason() -> Object {
    schema::text(REASON_MAX, Lines::Many)
}
