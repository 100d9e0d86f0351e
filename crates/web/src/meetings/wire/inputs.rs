//! What organisers, hosts and participants send about an event's meetings.

use super::*;

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
    /// How many confirmed meetings the organiser agrees to cancel (each is emailed).
    /// Required when the grid cancels any: without it, or with another number, the
    /// answer is 422 on `cancels` naming how many it would cancel.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub cancels: Option<usize>,
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

pub(super) fn tables() -> Object {
    range(&TABLES, false)
}

pub(super) fn slot_minutes() -> Object {
    range(&SLOT_MINUTES, true)
}

pub(super) fn break_minutes() -> Object {
    range(&BREAK_MINUTES, true)
}

pub(super) fn per_company() -> Object {
    range(&PER_COMPANY, true)
}

pub(super) fn days() -> Object {
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

pub(super) fn clock() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^([01][0-9]|2[0-3]):[0-5][0-9]$"))
        .build()
}

pub(super) fn video_link() -> Object {
    let url = schema::optional_url().pattern.unwrap_or_default();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(roadshow_domain::validation::URL_MAX))
        .pattern(Some(url))
        .build()
}

pub(super) fn topic() -> Object {
    schema::filled(TOPIC_MAX, Lines::Many)
}

pub(super) fn notes() -> Object {
    schema::text(NOTES_MAX, Lines::Many)
}

pub(super) fn outcome() -> Object {
    schema::one_of(&["held", "no_show"])
}

pub(super) fn reason() -> Object {
    schema::text(REASON_MAX, Lines::Many)
}
