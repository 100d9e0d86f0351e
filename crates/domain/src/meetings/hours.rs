//! After weight and coverage, the hours: a meeting inside both working days (09:00–18:00
//! in Beijing and in the company's own zone) is better than one at dawn or at night for
//! either side. These moves change only when meetings are held, never which ones, so the
//! schedule keeps its weight, its coverage and every rule; pinned meetings stay put.

use super::instance::{Instance, Placement};
use std::collections::{HashMap, HashSet};

/// Moves meetings of `meetings` into slots where `preferred(company, slot)` holds, by
/// moving one meeting to a free slot or swapping the slots of two meetings of one host
/// or one company, as long as each step puts more meetings inside preferred hours.
/// Returns how many meetings are in preferred hours afterwards.
pub fn prefer_hours(
    instance: &Instance,
    meetings: &mut [Placement],
    preferred: impl Fn(&str, &str) -> bool,
) -> usize {
    let capacity: HashMap<&str, i64> = instance
        .hosts
        .iter()
        .map(|h| (h.id.as_str(), h.capacity))
        .collect();
    let host_ok: HashSet<(&str, &str)> = instance
        .hosts
        .iter()
        .flat_map(|h| h.available.iter().map(move |s| (h.id.as_str(), s.as_str())))
        .collect();
    let company_ok: HashSet<(&str, &str)> = instance
        .companies
        .iter()
        .flat_map(|c| c.available.iter().map(move |s| (c.id.as_str(), s.as_str())))
        .collect();
    let pinned: HashSet<(&str, &str)> = instance
        .requests
        .iter()
        .filter(|r| r.slot.is_some())
        .map(|r| (r.company.as_str(), r.host.as_str()))
        .collect();
    let movable: Vec<bool> = meetings
        .iter()
        .map(|m| !pinned.contains(&(m.company.as_str(), m.host.as_str())))
        .collect();
    let mut load: HashMap<(String, String), i64> = HashMap::new();
    let mut busy: HashSet<(String, String)> = HashSet::new();
    for m in meetings.iter() {
        *load.entry((m.host.clone(), m.slot.clone())).or_default() += 1;
        busy.insert((m.company.clone(), m.slot.clone()));
    }
    let good = |m: &Placement| preferred(&m.company, &m.slot);
    // Each pass is one sweep; each step adds at least one meeting in preferred hours, so
    // this ends; the bound keeps a pathological instance from running long.
    for _ in 0..8 {
        let mut improved = false;
        for i in 0..meetings.len() {
            if !movable[i] || good(&meetings[i]) {
                continue;
            }
            // A free preferred slot for this meeting.
            let (c, h, from) = (
                meetings[i].company.clone(),
                meetings[i].host.clone(),
                meetings[i].slot.clone(),
            );
            let free = instance.slots.iter().find(|s| {
                preferred(&c, s)
                    && host_ok.contains(&(h.as_str(), s.as_str()))
                    && company_ok.contains(&(c.as_str(), s.as_str()))
                    && !busy.contains(&(c.clone(), (*s).clone()))
                    && load.get(&(h.clone(), (*s).clone())).copied().unwrap_or(0)
                        < capacity.get(h.as_str()).copied().unwrap_or(0)
            });
            if let Some(to) = free.cloned() {
                *load.entry((h.clone(), from.clone())).or_default() -= 1;
                *load.entry((h.clone(), to.clone())).or_default() += 1;
                busy.remove(&(c.clone(), from));
                busy.insert((c.clone(), to.clone()));
                meetings[i].slot = to;
                improved = true;
                continue;
            }
            // A swap with another meeting of the same host (loads stay) or of the same
            // company (its slots stay), when it adds a meeting in preferred hours.
            for j in 0..meetings.len() {
                if i == j || !movable[j] {
                    continue;
                }
                let other = &meetings[j];
                let (c2, h2, to) = (&other.company, &other.host, &other.slot);
                if to == &from || (h2 != &h && c2 != &c) {
                    continue;
                }
                let before = usize::from(good(&meetings[j]));
                let after = usize::from(preferred(&c, to)) + usize::from(preferred(c2, &from));
                if after <= before {
                    continue;
                }
                let same_company = c2 == &c;
                let same_host = h2 == &h;
                // Both must be able to meet where they go.
                let fits = host_ok.contains(&(h.as_str(), to.as_str()))
                    && host_ok.contains(&(h2.as_str(), from.as_str()))
                    && company_ok.contains(&(c.as_str(), to.as_str()))
                    && company_ok.contains(&(c2.as_str(), from.as_str()))
                    && (same_company
                        || (!busy.contains(&(c.clone(), to.clone()))
                            && !busy.contains(&(c2.clone(), from.clone()))))
                    && (same_host || {
                        let room = |host: &str, slot: &str| {
                            load.get(&(host.to_string(), slot.to_string()))
                                .copied()
                                .unwrap_or(0)
                                < capacity.get(host).copied().unwrap_or(0)
                        };
                        room(&h, to) && room(h2, &from)
                    });
                if !fits {
                    continue;
                }
                let (c2, h2, to) = (c2.clone(), h2.clone(), to.clone());
                if !same_company {
                    busy.remove(&(c.clone(), from.clone()));
                    busy.remove(&(c2.clone(), to.clone()));
                    busy.insert((c.clone(), to.clone()));
                    busy.insert((c2.clone(), from.clone()));
                }
                if !same_host {
                    *load.entry((h.clone(), from.clone())).or_default() -= 1;
                    *load.entry((h.clone(), to.clone())).or_default() += 1;
                    *load.entry((h2.clone(), to.clone())).or_default() -= 1;
                    *load.entry((h2.clone(), from.clone())).or_default() += 1;
                }
                meetings[i].slot = to;
                meetings[j].slot = from.clone();
                improved = true;
                break;
            }
        }
        if !improved {
            break;
        }
    }
    meetings.iter().filter(|m| good(m)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::check::check;
    use crate::meetings::instance::{CompanySpec, HostSpec, RequestSpec};

    fn slots(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("s{i}")).collect()
    }

    /// Two companies, one host with one table, four slots of which only s2 and s3 are
    /// inside both working days for company a, and s3 for company b.
    fn instance() -> Instance {
        Instance {
            slots: slots(4),
            hosts: vec![HostSpec {
                id: "h".into(),
                capacity: 1,
                available: slots(4),
            }],
            companies: ["a", "b"]
                .iter()
                .map(|c| CompanySpec {
                    id: (*c).into(),
                    available: slots(4),
                    max_meetings: 1,
                })
                .collect(),
            requests: ["a", "b"]
                .iter()
                .map(|c| RequestSpec {
                    company: (*c).into(),
                    host: "h".into(),
                    weight: 3,
                    slot: None,
                })
                .collect(),
        }
    }

    fn preferred(c: &str, s: &str) -> bool {
        match c {
            "a" => s == "s2" || s == "s3",
            _ => s == "s3",
        }
    }

    fn placed(c: &str, s: &str) -> Placement {
        Placement {
            company: c.into(),
            host: "h".into(),
            slot: s.into(),
        }
    }

    #[test]
    fn meetings_move_into_both_working_days_without_losing_any() {
        let i = instance();
        // b sits in a's good slot, a at dawn: a moves to s2, b is swapped into s3.
        let mut m = vec![placed("a", "s0"), placed("b", "s2")];
        let weight = check(&i, &m).unwrap();
        let good = prefer_hours(&i, &mut m, preferred);
        assert_eq!(good, 2, "{m:?}");
        assert_eq!(check(&i, &m).unwrap(), weight, "same meetings, same weight");
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn a_pinned_meeting_stays_and_rules_hold() {
        let mut i = instance();
        i.requests[1].slot = Some("s3".into());
        let mut m = vec![placed("a", "s0"), placed("b", "s3")];
        let good = prefer_hours(&i, &mut m, preferred);
        assert_eq!(m[1].slot, "s3", "the pinned meeting stays");
        assert_eq!(m[0].slot, "s2");
        assert_eq!(good, 2);
        check(&i, &m).unwrap();
        // A company unavailable in the good slots keeps its meeting where it is.
        let mut i = instance();
        i.companies[0].available = vec!["s0".into(), "s1".into()];
        let mut m = vec![placed("a", "s0"), placed("b", "s3")];
        assert_eq!(prefer_hours(&i, &mut m, preferred), 1);
        assert_eq!(m[0].slot, "s0");
        check(&i, &m).unwrap();
    }
}
