//! The scheduling problem as it is exchanged (`roadshow schedule --instance FILE.json`,
//! the benchmark's generator, the booking pages), and its validation into the indexed
//! [`Problem`] the solver works on.
//!
//! Given slots, hosts (capacity per slot, available slots), companies (available slots,
//! most meetings) and requests (company, host, weight ≥ 1): choose for some requests one
//! slot each so that every request is used at most once, a company has at most one
//! meeting per slot and at most its maximum, a host has at most its capacity per slot, and
//! both are available in the slot. Maximise the total weight. A request may carry a
//! `slot`: it is then pinned there (a confirmed or hand-placed meeting) and must be kept.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Most slots, hosts, companies and requests one instance may hold: far above a real
/// event (a few hundred companies), low enough that a file cannot exhaust memory.
pub const MAX_SLOTS: usize = 2_000;
pub const MAX_HOSTS: usize = 100_000;
pub const MAX_COMPANIES: usize = 1_000_000;
pub const MAX_REQUESTS: usize = 5_000_000;
/// Most (hosts + companies) × slots: the grid's bookkeeping grows with it.
pub const MAX_CELLS: usize = 50_000_000;
/// Largest weight of one request and largest capacity of one host.
pub const MAX_WEIGHT: i64 = 1_000_000;
pub const MAX_CAPACITY: i64 = 10_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// In chronological order: idle gaps are counted along this order.
    #[serde(default)]
    pub slots: Vec<String>,
    #[serde(default)]
    pub hosts: Vec<HostSpec>,
    #[serde(default)]
    pub companies: Vec<CompanySpec>,
    #[serde(default)]
    pub requests: Vec<RequestSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostSpec {
    pub id: String,
    /// Meetings it can hold at once (tables).
    pub capacity: i64,
    pub available: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanySpec {
    pub id: String,
    pub available: Vec<String>,
    pub max_meetings: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestSpec {
    pub company: String,
    pub host: String,
    pub weight: i64,
    /// A pinned slot: the meeting must stay there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
}

/// One meeting of a schedule, by the instance's ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Placement {
    pub company: String,
    pub host: String,
    pub slot: String,
}

/// What `roadshow schedule` writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleOutput {
    pub meetings: Vec<Placement>,
    pub objective: u64,
    pub upper_bound: u64,
    pub optimal: bool,
    pub seconds: f64,
}

/// One problem of an instance: the record and member (`requests[3].host`), a stable
/// code (translated on pages) and the detail in English (for the command line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstanceError {
    pub field: String,
    pub code: &'static str,
    pub detail: String,
    /// For `out_of_range`: the smallest and largest value allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<(usize, usize)>,
}

impl InstanceError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        InstanceError {
            field: field.into(),
            code,
            detail: String::new(),
            range: None,
        }
    }
}

impl std::fmt::Display for InstanceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.detail)
    }
}

fn fail(
    errors: &mut Vec<InstanceError>,
    field: impl Into<String>,
    code: &'static str,
    detail: String,
) {
    errors.push(InstanceError {
        detail,
        ..InstanceError::new(field, code)
    });
}

/// The validated instance, by index. Slot indices follow the instance's slot order.
#[derive(Debug, Clone)]
pub struct Problem {
    pub slot_ids: Vec<String>,
    pub host_ids: Vec<String>,
    pub company_ids: Vec<String>,
    pub capacity: Vec<u32>,
    pub max_meetings: Vec<u32>,
    pub host_available: Vec<bool>,
    pub company_available: Vec<bool>,
    pub req_company: Vec<u32>,
    pub req_host: Vec<u32>,
    pub req_weight: Vec<u64>,
    pub req_pin: Vec<Option<u16>>,
    /// Per request, the slots both sides are available in (only the pin, when pinned).
    pub feasible: Vec<Vec<u16>>,
    pub company_requests: Vec<Vec<u32>>,
    pub host_requests: Vec<Vec<u32>>,
}

impl Problem {
    pub fn slots(&self) -> usize {
        self.slot_ids.len()
    }
    pub fn requests(&self) -> usize {
        self.req_weight.len()
    }
}

impl Instance {
    /// Checks every rule of the instance and lists every problem found, each naming the
    /// record (`requests[3].host`) and what is wrong.
    pub fn validate(&self) -> Result<Problem, Vec<InstanceError>> {
        let mut errors = Vec::new();
        self.check_size(&mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let slot_index = index_ids("slots", self.slots.iter(), &mut errors);
        let host_index = index_ids("hosts", self.hosts.iter().map(|h| &h.id), &mut errors);
        let company_index = index_ids(
            "companies",
            self.companies.iter().map(|c| &c.id),
            &mut errors,
        );
        let mut p = self.sides(&slot_index, &mut errors);
        for (i, r) in self.requests.iter().enumerate() {
            let company = company_index.get(r.company.as_str()).copied();
            let host = host_index.get(r.host.as_str()).copied();
            add_request(&mut p, i, r, company, host, &slot_index, &mut errors);
        }
        if errors.is_empty() {
            check_pins(&p, &mut errors);
        }
        if errors.is_empty() {
            Ok(p)
        } else {
            Err(errors)
        }
    }

    /// Instances larger than the solver is built for are refused before anything else.
    fn check_size(&self, errors: &mut Vec<InstanceError>) {
        let counts = [
            ("slots", self.slots.len(), MAX_SLOTS),
            ("hosts", self.hosts.len(), MAX_HOSTS),
            ("companies", self.companies.len(), MAX_COMPANIES),
            ("requests", self.requests.len(), MAX_REQUESTS),
        ];
        for (field, count, max) in counts {
            if count > max {
                fail(
                    errors,
                    field,
                    "instance_too_large",
                    format!("more than {max}"),
                );
            }
        }
        if (self.hosts.len() + self.companies.len()).saturating_mul(self.slots.len()) > MAX_CELLS {
            fail(
                errors,
                "slots",
                "instance_too_large",
                format!("(hosts + companies) × slots is more than {MAX_CELLS}"),
            );
        }
    }

    /// The problem with both sides' capacities and availability filled in and no
    /// request yet.
    fn sides(&self, slot_index: &HashMap<&str, usize>, errors: &mut Vec<InstanceError>) -> Problem {
        let slots = self.slots.len();
        let mut host_available = vec![false; self.hosts.len() * slots];
        let mut capacity = Vec::with_capacity(self.hosts.len());
        for (i, host) in self.hosts.iter().enumerate() {
            in_range(
                errors,
                format!("hosts[{i}].capacity"),
                host.capacity,
                1..=MAX_CAPACITY,
            );
            capacity.push(host.capacity.clamp(0, MAX_CAPACITY) as u32);
            mark_available(
                &format!("hosts[{i}].available"),
                &host.available,
                slot_index,
                &mut host_available[i * slots..(i + 1) * slots],
                errors,
            );
        }
        let mut company_available = vec![false; self.companies.len() * slots];
        let mut max_meetings = Vec::with_capacity(self.companies.len());
        for (i, company) in self.companies.iter().enumerate() {
            in_range(
                errors,
                format!("companies[{i}].max_meetings"),
                company.max_meetings,
                0..=MAX_SLOTS as i64,
            );
            max_meetings.push(company.max_meetings.clamp(0, MAX_SLOTS as i64) as u32);
            mark_available(
                &format!("companies[{i}].available"),
                &company.available,
                slot_index,
                &mut company_available[i * slots..(i + 1) * slots],
                errors,
            );
        }
        let n = self.requests.len();
        Problem {
            slot_ids: self.slots.clone(),
            host_ids: self.hosts.iter().map(|h| h.id.clone()).collect(),
            company_ids: self.companies.iter().map(|c| c.id.clone()).collect(),
            capacity,
            max_meetings,
            host_available,
            company_available,
            req_company: Vec::with_capacity(n),
            req_host: Vec::with_capacity(n),
            req_weight: Vec::with_capacity(n),
            req_pin: Vec::with_capacity(n),
            feasible: Vec::with_capacity(n),
            company_requests: vec![Vec::new(); self.companies.len()],
            host_requests: vec![Vec::new(); self.hosts.len()],
        }
    }
}

/// Checks request `i` and, when both its sides exist, adds it to the problem with the
/// slots it may take.
fn add_request(
    p: &mut Problem,
    i: usize,
    r: &RequestSpec,
    company: Option<usize>,
    host: Option<usize>,
    slot_index: &HashMap<&str, usize>,
    errors: &mut Vec<InstanceError>,
) {
    if company.is_none() {
        fail(
            errors,
            format!("requests[{i}].company"),
            "unknown_company",
            format!("unknown company {:?}", r.company),
        );
    }
    if host.is_none() {
        fail(
            errors,
            format!("requests[{i}].host"),
            "unknown_host",
            format!("unknown host {:?}", r.host),
        );
    }
    in_range(
        errors,
        format!("requests[{i}].weight"),
        r.weight,
        1..=MAX_WEIGHT,
    );
    let pin = match &r.slot {
        None => None,
        Some(slot) => match slot_index.get(slot.as_str()) {
            Some(&s) => Some(s as u16),
            None => {
                fail(
                    errors,
                    format!("requests[{i}].slot"),
                    "unknown_slot",
                    format!("unknown slot {slot:?}"),
                );
                None
            }
        },
    };
    let (Some(c), Some(h)) = (company, host) else {
        return;
    };
    let slots = p.slots();
    let feasible: Vec<u16> = (0..slots as u16)
        .filter(|&s| {
            p.host_available[h * slots + s as usize] && p.company_available[c * slots + s as usize]
        })
        .collect();
    if let Some(s) = pin {
        if !feasible.contains(&s) {
            fail(
                errors,
                format!("requests[{i}].slot"),
                "pin_conflict",
                format!(
                    "{:?} is not a slot both {:?} and {:?} are available in",
                    p.slot_ids[s as usize], r.company, r.host
                ),
            );
        }
    }
    let index = p.req_weight.len() as u32;
    p.company_requests[c].push(index);
    p.host_requests[h].push(index);
    p.req_company.push(c as u32);
    p.req_host.push(h as u32);
    p.req_weight.push(r.weight.clamp(0, MAX_WEIGHT) as u64);
    p.req_pin.push(pin);
    p.feasible.push(match pin {
        Some(s) => vec![s],
        None => feasible,
    });
}

/// A number of the instance outside its range.
fn in_range(
    errors: &mut Vec<InstanceError>,
    field: String,
    value: i64,
    range: std::ops::RangeInclusive<i64>,
) {
    if !range.contains(&value) {
        let (min, max) = (*range.start(), *range.end());
        errors.push(InstanceError {
            detail: format!("{value} is not between {min} and {max}"),
            range: Some((min.max(0) as usize, max.max(0) as usize)),
            ..InstanceError::new(field, "out_of_range")
        });
    }
}

fn index_ids<'a>(
    what: &str,
    ids: impl Iterator<Item = &'a String>,
    errors: &mut Vec<InstanceError>,
) -> HashMap<&'a str, usize> {
    let mut index = HashMap::new();
    for (i, id) in ids.enumerate() {
        if id.is_empty() {
            fail(
                errors,
                format!("{what}[{i}]"),
                "required",
                "empty id".into(),
            );
        } else if index.insert(id.as_str(), i).is_some() {
            fail(
                errors,
                format!("{what}[{i}]"),
                "unique",
                format!("duplicate id {id:?}"),
            );
        }
    }
    index
}

fn mark_available(
    field: &str,
    available: &[String],
    slot_index: &HashMap<&str, usize>,
    row: &mut [bool],
    errors: &mut Vec<InstanceError>,
) {
    for slot in available {
        match slot_index.get(slot.as_str()) {
            Some(&s) => row[s] = true,
            None => fail(
                errors,
                field,
                "unknown_slot",
                format!("unknown slot {slot:?}"),
            ),
        }
    }
}

/// Pinned meetings must fit together: a pin that cannot be kept is the file's error, not
/// something the solver may silently drop.
fn check_pins(p: &Problem, errors: &mut Vec<InstanceError>) {
    let mut company_busy: HashSet<(u32, u16)> = HashSet::new();
    let mut host_load: HashMap<(u32, u16), u32> = HashMap::new();
    let mut company_count: HashMap<u32, u32> = HashMap::new();
    for r in 0..p.requests() {
        let Some(s) = p.req_pin[r] else { continue };
        let (c, h) = (p.req_company[r], p.req_host[r]);
        let slot = &p.slot_ids[s as usize];
        if !company_busy.insert((c, s)) {
            fail(
                errors,
                format!("requests[{r}].slot"),
                "pin_conflict",
                format!(
                    "company {:?} has two pinned meetings in {slot:?}",
                    p.company_ids[c as usize]
                ),
            );
        }
        let load = host_load.entry((h, s)).or_default();
        *load += 1;
        if *load > p.capacity[h as usize] {
            fail(
                errors,
                format!("requests[{r}].slot"),
                "pin_conflict",
                format!(
                    "host {:?} has more pinned meetings in {slot:?} than its capacity",
                    p.host_ids[h as usize]
                ),
            );
        }
        let count = company_count.entry(c).or_default();
        *count += 1;
        if *count > p.max_meetings[c as usize] {
            fail(
                errors,
                format!("requests[{r}].slot"),
                "pin_conflict",
                format!(
                    "company {:?} has more pinned meetings than its maximum",
                    p.company_ids[c as usize]
                ),
            );
        }
    }
}
