//! The independent checker: every schedule is checked by this code before it is saved or
//! written. It works on the instance's ids with its own bookkeeping, sharing nothing with
//! the solver, so a bug in the solver's incremental state cannot also hide here.

use super::instance::{Instance, Placement};
use std::collections::{HashMap, HashSet};

/// A rule of the schedule, as a broken one is named to an organiser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    UnknownSlot,
    UnknownHost,
    UnknownCompany,
    /// No request (left) from the company to the host.
    NoRequest,
    HostUnavailable,
    CompanyUnavailable,
    /// The company has another meeting in that slot.
    CompanyTwice,
    /// The host's tables are all taken in that slot.
    HostFull,
    /// More meetings than the company may have.
    CompanyLimit,
    /// A confirmed meeting kept in place has been moved.
    PinnedMoved,
}

impl Rule {
    /// The error code (`meeting_host_unavailable`…).
    pub fn code(self) -> &'static str {
        match self {
            Rule::UnknownSlot => "meeting_unknown_slot",
            Rule::UnknownHost | Rule::UnknownCompany => "meeting_unknown",
            Rule::NoRequest => "meeting_no_request",
            Rule::HostUnavailable => "meeting_host_unavailable",
            Rule::CompanyUnavailable => "meeting_company_unavailable",
            Rule::CompanyTwice => "meeting_company_twice",
            Rule::HostFull => "meeting_host_full",
            Rule::CompanyLimit => "meeting_company_limit",
            Rule::PinnedMoved => "meeting_pinned_moved",
        }
    }
}

/// One rule broken: by `meetings[index]` (or, for [`Rule::PinnedMoved`], by the
/// instance's `requests[index]`), with the checker's own words for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub index: usize,
    pub rule: Rule,
    pub text: String,
}

impl Violation {
    /// The field it names: `meetings[3]` or `requests[3]`.
    pub fn field(&self) -> String {
        match self.rule {
            Rule::PinnedMoved => format!("requests[{}]", self.index),
            _ => format!("meetings[{}]", self.index),
        }
    }
}

/// Checks `meetings` against every rule of `instance` and returns the total weight, or
/// every rule broken. Meetings name (company, host, slot); when a company has several
/// requests to one host, the heaviest are counted first.
pub fn check(instance: &Instance, meetings: &[Placement]) -> Result<u64, Vec<String>> {
    let (total, broken) = violations(instance, meetings);
    if broken.is_empty() {
        Ok(total)
    } else {
        Err(broken.into_iter().map(|v| v.text).collect())
    }
}

/// [`check`] with every rule broken named by meeting and rule; the total weight of what
/// was checked.
pub fn violations(instance: &Instance, meetings: &[Placement]) -> (u64, Vec<Violation>) {
    let mut errors: Vec<Violation> = Vec::new();
    let slots: HashSet<&str> = instance.slots.iter().map(String::as_str).collect();
    let hosts: HashMap<&str, (i64, HashSet<&str>)> = instance
        .hosts
        .iter()
        .map(|h| {
            let available = h.available.iter().map(String::as_str).collect();
            (h.id.as_str(), (h.capacity, available))
        })
        .collect();
    let companies: HashMap<&str, (i64, HashSet<&str>)> = instance
        .companies
        .iter()
        .map(|c| {
            let available = c.available.iter().map(String::as_str).collect();
            (c.id.as_str(), (c.max_meetings, available))
        })
        .collect();
    // Weights of each (company, host) pair's requests, heaviest first.
    let mut weights: HashMap<(&str, &str), Vec<i64>> = HashMap::new();
    for r in &instance.requests {
        weights
            .entry((r.company.as_str(), r.host.as_str()))
            .or_default()
            .push(r.weight);
    }
    for list in weights.values_mut() {
        list.sort_unstable_by(|a, b| b.cmp(a));
    }

    let mut used: HashMap<(&str, &str), usize> = HashMap::new();
    let mut company_slots: HashSet<(&str, &str)> = HashSet::new();
    let mut host_load: HashMap<(&str, &str), i64> = HashMap::new();
    let mut company_count: HashMap<&str, i64> = HashMap::new();
    let mut total: u64 = 0;
    for (i, m) in meetings.iter().enumerate() {
        let (c, h, s) = (m.company.as_str(), m.host.as_str(), m.slot.as_str());
        if !slots.contains(s) {
            errors.push(broke(
                i,
                Rule::UnknownSlot,
                format!("meetings[{i}]: unknown slot {s:?}"),
            ));
            continue;
        }
        let Some((capacity, host_available)) = hosts.get(h) else {
            errors.push(broke(
                i,
                Rule::UnknownHost,
                format!("meetings[{i}]: unknown host {h:?}"),
            ));
            continue;
        };
        let Some((max, company_available)) = companies.get(c) else {
            errors.push(broke(
                i,
                Rule::UnknownCompany,
                format!("meetings[{i}]: unknown company {c:?}"),
            ));
            continue;
        };
        let n = used.entry((c, h)).or_default();
        match weights.get(&(c, h)).and_then(|w| w.get(*n)) {
            Some(&w) => total += w.max(0) as u64,
            None => errors.push(broke(
                i,
                Rule::NoRequest,
                format!("meetings[{i}]: no request (left) from {c:?} to {h:?}"),
            )),
        }
        *n += 1;
        if !host_available.contains(s) {
            errors.push(broke(
                i,
                Rule::HostUnavailable,
                format!("meetings[{i}]: host {h:?} is not available in {s:?}"),
            ));
        }
        if !company_available.contains(s) {
            errors.push(broke(
                i,
                Rule::CompanyUnavailable,
                format!("meetings[{i}]: company {c:?} is not available in {s:?}"),
            ));
        }
        if !company_slots.insert((c, s)) {
            errors.push(broke(
                i,
                Rule::CompanyTwice,
                format!("meetings[{i}]: company {c:?} has two meetings in {s:?}"),
            ));
        }
        let load = host_load.entry((h, s)).or_default();
        *load += 1;
        if *load > *capacity {
            errors.push(broke(
                i,
                Rule::HostFull,
                format!("meetings[{i}]: host {h:?} holds more than {capacity} meetings in {s:?}"),
            ));
        }
        let count = company_count.entry(c).or_default();
        *count += 1;
        if *count > *max {
            errors.push(broke(
                i,
                Rule::CompanyLimit,
                format!("meetings[{i}]: company {c:?} has more than {max} meetings"),
            ));
        }
    }
    // Pinned requests must be kept where they are.
    let placed: HashSet<(&str, &str, &str)> = meetings
        .iter()
        .map(|m| (m.company.as_str(), m.host.as_str(), m.slot.as_str()))
        .collect();
    for (i, r) in instance.requests.iter().enumerate() {
        if let Some(s) = &r.slot {
            if !placed.contains(&(r.company.as_str(), r.host.as_str(), s.as_str())) {
                errors.push(broke(
                    i,
                    Rule::PinnedMoved,
                    format!("requests[{i}]: pinned in {s:?} but not scheduled there"),
                ));
            }
        }
    }
    (total, errors)
}

fn broke(index: usize, rule: Rule, text: String) -> Violation {
    Violation { index, rule, text }
}
