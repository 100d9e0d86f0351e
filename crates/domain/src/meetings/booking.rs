//! Meeting booking on an event: the grid of slots (days, hours, slot length and breaks in
//! the event's zone), the hosts (departments) with their tables, the companies' requests
//! with a priority, the slots each company can make, and the confirmed meetings.

use super::requests::{HostAnswer, Meeting, MeetingOutcome, MeetingRequest, RequestDraft};
use crate::ids::{DepartmentId, EventId, MeetingId, MeetingRequestId, ParticipantId};
use crate::store::StoreResult;
use crate::time::{BEIJING, in_supported_range, parse_local_or_rfc3339};
use crate::validation::{Checker, Invalid};
use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Most meeting days, slots of one booking, hosts, and characters of a topic.
pub const MAX_DAYS: usize = 10;
pub const MAX_SLOTS: usize = 200;
pub const MAX_HOSTS: usize = 100;
pub const TOPIC_MAX: usize = 300;
/// Allowed slot lengths and breaks, in minutes.
pub const SLOT_MINUTES: std::ops::RangeInclusive<i64> = 10..=120;
pub const BREAK_MINUTES: std::ops::RangeInclusive<i64> = 0..=60;
/// Meetings one company may have, as an organiser sets it.
pub const PER_COMPANY: std::ops::RangeInclusive<i64> = 1..=20;
/// Tables a host may have (meetings at once).
pub const TABLES: std::ops::RangeInclusive<i64> = 1..=20;
/// The working day both sides are asked to respect, in each one's own zone.
pub const WORKDAY: (u32, u32) = (9, 18);

/// How much a company wants a meeting; the scheduler's weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Must,
    Want,
    Nice,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Must, Priority::Want, Priority::Nice];

    pub fn code(self) -> &'static str {
        match self {
            Priority::Must => "must",
            Priority::Want => "want",
            Priority::Nice => "nice",
        }
    }

    pub fn parse(code: &str) -> Option<Priority> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The scheduler's weight: a "must" outweighs a "want" and a "nice" together.
    pub fn weight(self) -> i64 {
        match self {
            Priority::Must => 4,
            Priority::Want => 2,
            Priority::Nice => 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BookingHost {
    pub department_id: DepartmentId,
    /// Meetings it holds at once (tables).
    pub capacity: u32,
    /// The slot starts it cannot make; it is available in every other slot.
    pub unavailable: Vec<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Booking {
    pub event_id: EventId,
    pub days: Vec<NaiveDate>,
    pub day_start: NaiveTime,
    pub day_end: NaiveTime,
    pub slot_minutes: u32,
    pub break_minutes: u32,
    pub max_per_company: u32,
    pub request_deadline: DateTime<Utc>,
    /// With `{meeting}` replaced by the meeting's number, e.g. a video-room address.
    pub video_link: Option<String>,
    pub hosts: Vec<BookingHost>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Booking {
    /// The slots, day by day in the event's zone `zone`. A wall-clock time that a DST
    /// change skips has no slot; one it repeats takes the earlier instant.
    pub fn slots(&self, zone: Tz) -> Vec<Slot> {
        slots(
            &self.days,
            self.day_start,
            self.day_end,
            self.slot_minutes,
            self.break_minutes,
            zone,
        )
    }

    pub fn capacity(&self, department: DepartmentId) -> Option<u32> {
        self.hosts
            .iter()
            .find(|h| h.department_id == department)
            .map(|h| h.capacity)
    }

    pub fn video_link_for(&self, meeting: MeetingId) -> Option<String> {
        self.video_link
            .as_ref()
            .map(|p| p.replace("{meeting}", &meeting.0.to_string()))
    }
}

fn slots(
    days: &[NaiveDate],
    start: NaiveTime,
    end: NaiveTime,
    slot_minutes: u32,
    break_minutes: u32,
    zone: Tz,
) -> Vec<Slot> {
    let mut out = Vec::new();
    let length = Duration::minutes(i64::from(slot_minutes));
    let step = length + Duration::minutes(i64::from(break_minutes));
    for day in days {
        let mut t = day.and_time(start);
        let last = day.and_time(end);
        while t + length <= last && out.len() < MAX_SLOTS {
            if let Some(local) = zone.from_local_datetime(&t).earliest() {
                let starts_at = local.with_timezone(&Utc);
                out.push(Slot {
                    starts_at,
                    ends_at: starts_at + length,
                });
            }
            t += step;
        }
    }
    out
}

/// A slot's start as sent: Unix seconds (the slot ids of the API and pages) or RFC 3339.
pub fn parse_slot_start(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    text.parse::<i64>()
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .or_else(|| {
            DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        })
}

/// Whether the slot lies inside the working day (09:00–18:00) in `zone`.
pub fn in_working_day(slot: Slot, zone: Tz) -> bool {
    let start = slot.starts_at.with_timezone(&zone);
    let end = slot.ends_at.with_timezone(&zone);
    let minutes = |h: u32, m: u32| h * 60 + m;
    start.date_naive() == end.date_naive()
        && minutes(start.hour(), start.minute()) >= WORKDAY.0 * 60
        && minutes(end.hour(), end.minute()) <= WORKDAY.1 * 60
}

/// Whether the slot is inside both Beijing's working day and the viewer's.
pub fn in_both_working_days(slot: Slot, viewer: Tz) -> bool {
    in_working_day(slot, BEIJING) && in_working_day(slot, viewer)
}

/// What an organiser sends to open meeting booking.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct BookingInput {
    /// `YYYY-MM-DD`, separated by commas or spaces.
    #[serde(default)]
    pub days: String,
    /// `HH:MM` in the event's zone.
    #[serde(default)]
    pub day_start: String,
    #[serde(default)]
    pub day_end: String,
    pub slot_minutes: Option<i64>,
    pub break_minutes: Option<i64>,
    pub max_per_company: Option<i64>,
    /// A wall-clock time in the event's zone, or RFC 3339.
    #[serde(default)]
    pub request_deadline: String,
    #[serde(default)]
    pub video_link: String,
    #[serde(default)]
    pub hosts: Vec<HostInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HostInput {
    #[serde(default)]
    pub department_id: i64,
    #[serde(default)]
    pub capacity: i64,
    /// Slots it cannot make, by their start (Unix seconds or RFC 3339).
    #[serde(default)]
    pub unavailable: Vec<String>,
}

/// A checked booking, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingDraft {
    pub days: Vec<NaiveDate>,
    pub day_start: NaiveTime,
    pub day_end: NaiveTime,
    pub slot_minutes: u32,
    pub break_minutes: u32,
    pub max_per_company: u32,
    pub request_deadline: DateTime<Utc>,
    pub video_link: Option<String>,
    pub hosts: Vec<BookingHost>,
}

impl BookingInput {
    /// Checks every field against the event's zone and the agency's departments.
    pub fn parse(&self, zone: Tz, departments: &[DepartmentId]) -> Result<BookingDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &[]);
        let days = self.meeting_days(&mut check);
        let time = |check: &mut Checker, field: &str, text: &str| match NaiveTime::parse_from_str(
            text.trim(),
            "%H:%M",
        ) {
            Ok(t) => Some(t),
            Err(_) if text.trim().is_empty() => {
                check.push(field, "required");
                None
            }
            Err(_) => {
                check.push(field, "invalid_datetime");
                None
            }
        };
        let day_start = time(&mut check, "day_start", &self.day_start);
        let day_end = time(&mut check, "day_end", &self.day_end);
        if let (Some(s), Some(e)) = (day_start, day_end) {
            if e <= s {
                check.push("day_end", "ends_before_start");
            }
        }
        let number = |check: &mut Checker,
                      field: &str,
                      value: Option<i64>,
                      range: std::ops::RangeInclusive<i64>,
                      default: i64| {
            let v = value.unwrap_or(default);
            if !range.contains(&v) {
                check.push_range(field, *range.start(), *range.end());
            }
            v.clamp(*range.start(), *range.end()) as u32
        };
        let slot_minutes = number(
            &mut check,
            "slot_minutes",
            self.slot_minutes,
            SLOT_MINUTES,
            30,
        );
        let break_minutes = number(
            &mut check,
            "break_minutes",
            self.break_minutes,
            BREAK_MINUTES,
            0,
        );
        let max_per_company = number(
            &mut check,
            "max_per_company",
            self.max_per_company,
            PER_COMPANY,
            4,
        );
        let request_deadline = self.deadline(&mut check, zone);
        let video_link = check.optional_url("video_link", Some(self.video_link.as_str()));
        let grid: Vec<DateTime<Utc>> = match (day_start, day_end) {
            (Some(s), Some(e)) => slots(&days, s, e, slot_minutes, break_minutes, zone)
                .iter()
                .map(|s| s.starts_at)
                .collect(),
            _ => Vec::new(),
        };
        let hosts = self.booking_hosts(&mut check, &grid, departments);
        if hosts.len() > MAX_HOSTS {
            check.push_limit("hosts", "too_many", MAX_HOSTS);
        }
        if let (Some(s), Some(e)) = (day_start, day_end) {
            if check.is_ok() && slots(&days, s, e, slot_minutes, break_minutes, zone).is_empty() {
                check.push("day_end", "too_few");
            }
        }
        let (Some(day_start), Some(day_end), Some(request_deadline)) =
            (day_start, day_end, request_deadline)
        else {
            return Err(check
                .finish(())
                .err()
                .unwrap_or_else(|| Invalid::field("days", "required")));
        };
        check.finish(BookingDraft {
            days,
            day_start,
            day_end,
            slot_minutes,
            break_minutes,
            max_per_company,
            request_deadline,
            video_link,
            hosts,
        })
    }

    /// The meeting days, sorted, each once.
    fn meeting_days(&self, check: &mut Checker) -> Vec<NaiveDate> {
        let mut days = Vec::new();
        for part in self
            .days
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match NaiveDate::parse_from_str(part, "%Y-%m-%d") {
                Ok(d) if crate::time::SUPPORTED_YEARS.contains(&chrono::Datelike::year(&d)) => {
                    days.push(d)
                }
                Ok(_) => check.push("days", "date_out_of_range"),
                Err(_) => check.push("days", "invalid_date"),
            }
        }
        days.sort();
        days.dedup();
        if days.is_empty() && check.is_ok() {
            check.push("days", "required");
        }
        if days.len() > MAX_DAYS {
            check.push_limit("days", "too_many", MAX_DAYS);
        }
        days
    }

    /// Until when companies may ask for meetings, in the event's zone.
    fn deadline(&self, check: &mut Checker, zone: Tz) -> Option<DateTime<Utc>> {
        match parse_local_or_rfc3339(self.request_deadline.trim(), zone) {
            Some(t) if in_supported_range(t) => Some(t),
            Some(_) => {
                check.push("request_deadline", "date_out_of_range");
                None
            }
            None if self.request_deadline.trim().is_empty() => {
                check.push("request_deadline", "required");
                None
            }
            None => {
                check.push("request_deadline", "invalid_datetime");
                None
            }
        }
    }

    /// The hosts with their tables and the slots of `grid` they cannot make; each
    /// department once, and only the agency's.
    fn booking_hosts(
        &self,
        check: &mut Checker,
        grid: &[DateTime<Utc>],
        departments: &[DepartmentId],
    ) -> Vec<BookingHost> {
        let mut hosts: Vec<BookingHost> = Vec::new();
        for (i, h) in self.hosts.iter().enumerate() {
            let field = format!("hosts[{i}]");
            let mut unavailable = Vec::new();
            for text in &h.unavailable {
                match parse_slot_start(text) {
                    Some(t) if grid.contains(&t) => unavailable.push(t),
                    _ => check.push(format!("{field}.unavailable"), "unknown_slot"),
                }
            }
            unavailable.sort();
            unavailable.dedup();
            if !departments.contains(&DepartmentId(h.department_id)) {
                check.push(field, "unknown_department");
            } else if !TABLES.contains(&h.capacity) {
                check.push_range(format!("{field}.capacity"), *TABLES.start(), *TABLES.end());
            } else if hosts.iter().all(|x| x.department_id.0 != h.department_id) {
                hosts.push(BookingHost {
                    department_id: DepartmentId(h.department_id),
                    capacity: h.capacity as u32,
                    unavailable,
                });
            }
        }
        hosts
    }
}

/// Which of an event's meeting requests to read (a page of a host's list, or the requests
/// of the meetings shown): in id order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFilter {
    /// Only requests to these hosts; `None`: every host.
    pub departments: Option<Vec<DepartmentId>>,
    /// Only these requests; `None`: all.
    pub ids: Option<Vec<MeetingRequestId>>,
    /// The requests after this one.
    pub after: Option<MeetingRequestId>,
    /// At most this many.
    pub limit: Option<usize>,
}

/// The storage port of meeting booking.
#[async_trait]
pub trait MeetingStore: Send + Sync {
    async fn booking(&self, event: EventId) -> StoreResult<Option<Booking>>;
    /// Creates or replaces the booking of an event and its hosts.
    async fn save_booking(&self, event: EventId, draft: &BookingDraft) -> StoreResult<Booking>;
    async fn meeting_requests(&self, event: EventId) -> StoreResult<Vec<MeetingRequest>>;
    /// The event's requests `filter` selects, in id order.
    async fn meeting_requests_where(
        &self,
        event: EventId,
        filter: &RequestFilter,
    ) -> StoreResult<Vec<MeetingRequest>>;
    /// One request per participant and host: asking again changes it.
    async fn save_meeting_request(
        &self,
        event: EventId,
        participant: ParticipantId,
        draft: &RequestDraft,
    ) -> StoreResult<MeetingRequest>;
    /// A host asks a company for a meeting: a new request marked as the host's, or the
    /// company's own request to that host marked so (its priority and topic kept).
    async fn invite(
        &self,
        event: EventId,
        participant: ParticipantId,
        draft: &RequestDraft,
    ) -> StoreResult<MeetingRequest>;
    /// Withdraws a participant's own request (and its meeting); false when it is not theirs.
    async fn withdraw_meeting_request(
        &self,
        participant: ParticipantId,
        id: MeetingRequestId,
    ) -> StoreResult<bool>;
    /// The slot starts each participant of the event can make.
    async fn availability(
        &self,
        event: EventId,
    ) -> StoreResult<Vec<(ParticipantId, DateTime<Utc>)>>;
    /// The slot starts these participants of the event can make.
    async fn availability_of(
        &self,
        event: EventId,
        participants: &[ParticipantId],
    ) -> StoreResult<Vec<(ParticipantId, DateTime<Utc>)>>;
    async fn set_availability(
        &self,
        event: EventId,
        participant: ParticipantId,
        starts: &[DateTime<Utc>],
    ) -> StoreResult<()>;
    async fn meetings(&self, event: EventId) -> StoreResult<Vec<Meeting>>;
    /// Records (or clears with None) a host's answer; false when there is no such request.
    async fn answer_meeting_request(
        &self,
        id: MeetingRequestId,
        answer: Option<&HostAnswer>,
    ) -> StoreResult<bool>;
    /// Records what came of a meeting; false when there is no such meeting.
    async fn record_outcome(&self, id: MeetingId, outcome: &MeetingOutcome) -> StoreResult<bool>;
    /// Meetings of any event starting after `from` and no later than `until` whose
    /// reminder has not gone out.
    async fn meetings_to_remind(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<Meeting>>;
    /// Claims a meeting's reminder: true for exactly one caller, across processes.
    async fn claim_reminder(&self, id: MeetingId, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Replaces the event's confirmed meetings with `placed` (request, slot start).
    async fn confirm_meetings(
        &self,
        event: EventId,
        placed: &[(MeetingRequestId, DateTime<Utc>)],
    ) -> StoreResult<Vec<Meeting>>;
}
