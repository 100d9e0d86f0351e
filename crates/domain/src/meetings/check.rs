//! The independent checker: every schedule is checked by this code before it is saved or
//! written. It works on the instance's ids with its own bookkeeping, sharing nothing with
//! the solver, so a bug in the solver's incremental state cannot also hide here.

use super::instance::{Instance, Placement};
use std::collections::{HashMap, HashSet};

/// Checks `meetings` against every rule of `instance` and returns the total weight, or
/// every rule broken. Meetings name (company, host, slot); when a company has several
/// requests to one host, the heaviest are counted first.
pub fn check(instance: &Instance, meetings: &[Placement]) -> Result<u64, Vec<String>> {
    let mut errors = Vec::new();
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
            errors.push(format!("meetings[{i}]: unknown slot {s:?}"));
            continue;
        }
        let Some((capacity, host_available)) = hosts.get(h) else {
            errors.push(format!("meetings[{i}]: unknown host {h:?}"));
            continue;
        };
        let Some((max, company_available)) = companies.get(c) else {
            errors.push(format!("meetings[{i}]: unknown company {c:?}"));
            continue;
        };
        let n = used.entry((c, h)).or_default();
        match weights.get(&(c, h)).and_then(|w| w.get(*n)) {
            Some(&w) => total += w.max(0) as u64,
            None => errors.push(format!(
                "meetings[{i}]: no request (left) from {c:?} to {h:?}"
            )),
        }
        *n += 1;
        if !host_available.contains(s) {
            errors.push(format!(
                "meetings[{i}]: host {h:?} is not available in {s:?}"
            ));
        }
        if !company_available.contains(s) {
            errors.push(format!(
                "meetings[{i}]: company {c:?} is not available in {s:?}"
            ));
        }
        if !company_slots.insert((c, s)) {
            errors.push(format!(
                "meetings[{i}]: company {c:?} has two meetings in {s:?}"
            ));
        }
        let load = host_load.entry((h, s)).or_default();
        *load += 1;
        if *load > *capacity {
            errors.push(format!(
                "meetings[{i}]: host {h:?} holds more than {capacity} meetings in {s:?}"
            ));
        }
        let count = company_count.entry(c).or_default();
        *count += 1;
        if *count > *max {
            errors.push(format!(
                "meetings[{i}]: company {c:?} has more than {max} meetings"
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
                errors.push(format!(
                    "requests[{i}]: pinned in {s:?} but not scheduled there"
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(total)
    } else {
        Err(errors)
    }
}
