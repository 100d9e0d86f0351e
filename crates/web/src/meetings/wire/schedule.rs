//! The scheduler on the wire: the instance an organiser sends and the grid it gets back.

use super::*;

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
    /// An event's grid: how many meetings fall inside both working days (09:00–18:00 in
    /// Beijing and in the company's zone), preferred after weight and coverage. Null
    /// for an instance sent to the scheduler, which has no times.
    #[serde(default)]
    pub meetings_in_working_hours: Option<usize>,
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
            meetings_in_working_hours: s.in_working_hours,
        }
    }
}

pub(super) fn placement(p: &scheduler::instance::Placement) -> Placement {
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

pub(super) fn instance_id() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .build()
}

pub(super) fn slot_ids() -> utoipa::openapi::schema::ArrayBuilder {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(instance_id())
        .unique_items(true)
        .max_items(Some(MAX_SLOTS))
}

pub(super) fn capacity() -> Object {
    range(&(1..=MAX_CAPACITY), false)
}

pub(super) fn max_meetings() -> Object {
    range(&(0..=MAX_SLOTS as i64), false)
}

pub(super) fn weight() -> Object {
    range(&(1..=MAX_WEIGHT), false)
}
