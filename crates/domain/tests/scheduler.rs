//! The meeting scheduler against brute force, its bound, and the independent checker.

use proptest::prelude::*;
use roadshow_domain::meetings::{
    CompanySpec, HostSpec, Instance, Placement, RequestSpec, check, schedule,
};
use std::time::Duration;

fn slot(i: usize) -> String {
    format!("s{i}")
}

/// Small random instances: up to 4 slots, 3 hosts, 4 companies, 8 requests.
fn instances() -> impl Strategy<Value = Instance> {
    (1usize..=4, 1usize..=3, 1usize..=4).prop_flat_map(|(slots, hosts, companies)| {
        let host = (1i64..=2, prop::collection::vec(any::<bool>(), slots));
        let company = (0i64..=3, prop::collection::vec(any::<bool>(), slots));
        let request = (0..companies, 0..hosts, 1i64..=5);
        (
            prop::collection::vec(host, hosts),
            prop::collection::vec(company, companies),
            prop::collection::vec(request, 0..=8),
        )
            .prop_map(move |(hs, cs, rs)| Instance {
                slots: (0..slots).map(slot).collect(),
                hosts: hs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (capacity, av))| HostSpec {
                        id: format!("h{i}"),
                        capacity,
                        available: available(&av),
                    })
                    .collect(),
                companies: cs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (max_meetings, av))| CompanySpec {
                        id: format!("c{i}"),
                        available: available(&av),
                        max_meetings,
                    })
                    .collect(),
                requests: rs
                    .into_iter()
                    .map(|(c, h, weight)| RequestSpec {
                        company: format!("c{c}"),
                        host: format!("h{h}"),
                        weight,
                        slot: None,
                    })
                    .collect(),
            })
    })
}

fn available(flags: &[bool]) -> Vec<String> {
    flags
        .iter()
        .enumerate()
        .filter(|(_, a)| **a)
        .map(|(i, _)| slot(i))
        .collect()
}

/// Tries every choice (no meeting, or one of the slots) for every request, abandoning a
/// branch as soon as it breaks a rule.
fn brute_force(instance: &Instance) -> u64 {
    fn go(instance: &Instance, k: usize, chosen: &mut Vec<Placement>, value: u64, best: &mut u64) {
        if k == instance.requests.len() {
            *best = (*best).max(value);
            return;
        }
        go(instance, k + 1, chosen, value, best);
        let r = &instance.requests[k];
        for s in &instance.slots {
            chosen.push(Placement {
                company: r.company.clone(),
                host: r.host.clone(),
                slot: s.clone(),
            });
            if valid_by_count(instance, chosen) {
                go(instance, k + 1, chosen, value + r.weight as u64, best);
            }
            chosen.pop();
        }
    }
    let mut best = 0;
    go(instance, 0, &mut Vec::new(), 0, &mut best);
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_scheduler_finds_the_brute_force_optimum_and_a_bound_above_it(instance in instances()) {
        let optimum = brute_force(&instance);
        let out = schedule(&instance, Duration::from_secs(5)).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(check(&instance, &out.meetings), Ok(out.objective));
        prop_assert_eq!(out.objective, optimum);
        prop_assert!(out.upper_bound >= optimum);
        prop_assert!(out.optimal);
    }

    /// The checker accepts exactly the schedules that keep every rule: a random list of
    /// placements is accepted iff a direct count of the rules finds nothing broken.
    #[test]
    fn the_checker_accepts_exactly_the_valid_schedules(
        instance in instances(),
        picks in prop::collection::vec((0usize..8, 0usize..4), 0..6),
    ) {
        let meetings: Vec<Placement> = picks
            .iter()
            .filter_map(|&(r, s)| {
                let req = instance.requests.get(r)?;
                let slot = instance.slots.get(s % instance.slots.len())?;
                Some(Placement { company: req.company.clone(), host: req.host.clone(), slot: slot.clone() })
            })
            .collect();
        prop_assert_eq!(check(&instance, &meetings).is_ok(), valid_by_count(&instance, &meetings));
    }
}

fn valid_by_count(instance: &Instance, meetings: &[Placement]) -> bool {
    let host = |id: &str| instance.hosts.iter().find(|h| h.id == id);
    let company = |id: &str| instance.companies.iter().find(|c| c.id == id);
    meetings.iter().enumerate().all(|(i, m)| {
        let (Some(h), Some(c)) = (host(&m.host), company(&m.company)) else {
            return false;
        };
        let before = &meetings[..i];
        let requests = instance
            .requests
            .iter()
            .filter(|r| r.company == m.company && r.host == m.host)
            .count();
        h.available.contains(&m.slot)
            && c.available.contains(&m.slot)
            && !before
                .iter()
                .any(|o| o.company == m.company && o.slot == m.slot)
            && (before
                .iter()
                .filter(|o| o.host == m.host && o.slot == m.slot)
                .count() as i64)
                < h.capacity
            && (before.iter().filter(|o| o.company == m.company).count() as i64) < c.max_meetings
            && before
                .iter()
                .filter(|o| o.company == m.company && o.host == m.host)
                .count()
                < requests
    })
}

fn example() -> Instance {
    serde_json::from_str(
        r#"{"slots": ["s0", "s1", "s2"],
            "hosts": [{"id": "h0", "capacity": 1, "available": ["s0", "s1"]},
                      {"id": "h1", "capacity": 2, "available": ["s0", "s1", "s2"]}],
            "companies": [{"id": "c0", "available": ["s0", "s1", "s2"], "max_meetings": 2},
                          {"id": "c1", "available": ["s0"], "max_meetings": 1}],
            "requests": [{"company": "c0", "host": "h0", "weight": 3},
                         {"company": "c1", "host": "h0", "weight": 2},
                         {"company": "c0", "host": "h1", "weight": 1}]}"#,
    )
    .unwrap_or_default()
}

#[test]
fn the_checker_names_each_broken_rule() {
    let instance = example();
    let m = |c: &str, h: &str, s: &str| Placement {
        company: c.into(),
        host: h.into(),
        slot: s.into(),
    };
    let cases = [
        (vec![m("c1", "h0", "s1")], "not available"),
        (vec![m("c0", "h0", "s2")], "host \"h0\" is not available"),
        (
            vec![m("c0", "h0", "s0"), m("c1", "h0", "s0")],
            "more than 1 meetings",
        ),
        (
            vec![m("c0", "h0", "s0"), m("c0", "h1", "s0")],
            "two meetings",
        ),
        (vec![m("c1", "h1", "s0")], "no request"),
        (vec![m("c0", "h0", "s0"), m("c0", "h0", "s1")], "no request"),
        (vec![m("c9", "h0", "s0")], "unknown company"),
        (vec![m("c0", "h0", "s9")], "unknown slot"),
    ];
    for (meetings, expected) in cases {
        let errors = check(&instance, &meetings).err().unwrap_or_default();
        assert!(
            errors.iter().any(|e| e.to_string().contains(expected)),
            "{meetings:?}: {errors:?} should mention {expected:?}"
        );
    }
    assert_eq!(
        check(&instance, &[m("c0", "h0", "s1"), m("c1", "h0", "s0")]),
        Ok(5)
    );
}

#[test]
fn an_invalid_instance_is_refused_with_every_problem_listed() {
    let mut instance = example();
    instance.hosts.push(instance.hosts[0].clone());
    instance.requests.push(RequestSpec {
        company: "c7".into(),
        host: "h9".into(),
        weight: -2,
        slot: Some("s8".into()),
    });
    instance.companies[0].available.push("later".into());
    let errors = schedule(&instance, Duration::from_secs(1))
        .err()
        .unwrap_or_default();
    for expected in [
        "hosts[2]: duplicate id \"h0\"",
        "requests[3].company: unknown company \"c7\"",
        "requests[3].host: unknown host \"h9\"",
        "requests[3].weight: -2",
        "requests[3].slot: unknown slot \"s8\"",
        "companies[0].available: unknown slot \"later\"",
    ] {
        assert!(
            errors.iter().any(|e| e.to_string().contains(expected)),
            "{errors:?} lacks {expected:?}"
        );
    }
}

#[test]
fn pinned_meetings_stay_where_they_are() {
    let mut instance = example();
    // Pin the light request where the heavy one would go: the optimum changes to respect it.
    instance.requests[1].slot = Some("s0".into());
    instance.requests[0].slot = None;
    let out = schedule(&instance, Duration::from_secs(1)).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(out.meetings.contains(&Placement {
        company: "c1".into(),
        host: "h0".into(),
        slot: "s0".into()
    }));
    assert_eq!(out.objective, 6);
    // A pin that cannot be kept is the file's error.
    instance.requests[2].slot = Some("s0".into());
    instance.requests[0].slot = Some("s0".into());
    let errors = schedule(&instance, Duration::from_secs(1))
        .err()
        .unwrap_or_default();
    assert!(
        errors
            .iter()
            .any(|e| e.to_string().contains("two pinned meetings")),
        "{errors:?}"
    );
}

#[test]
fn idle_gaps_are_closed_when_the_weight_allows() {
    // One company, two hosts, four slots; any two slots give the same weight, but
    // adjacent ones leave no gap.
    let instance: Instance = serde_json::from_str(
        r#"{"slots": ["s0", "s1", "s2", "s3"],
            "hosts": [{"id": "a", "capacity": 1, "available": ["s0", "s3"]},
                      {"id": "b", "capacity": 1, "available": ["s0", "s1", "s2", "s3"]}],
            "companies": [{"id": "c", "available": ["s0", "s1", "s2", "s3"], "max_meetings": 2}],
            "requests": [{"company": "c", "host": "a", "weight": 2},
                         {"company": "c", "host": "b", "weight": 2}]}"#,
    )
    .unwrap_or_default();
    let out = schedule(&instance, Duration::from_secs(1)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(out.objective, 4);
    let mut slots: Vec<&str> = out.meetings.iter().map(|m| m.slot.as_str()).collect();
    slots.sort();
    assert!(
        slots == ["s0", "s1"] || slots == ["s2", "s3"],
        "a gap was left: {slots:?}"
    );
}

/// Companies free a third of the day, many requests each: past the exhaustive search's
/// size, so the bound, the fixing and the search for the last units all run.
#[test]
fn a_scarce_instance_keeps_every_rule_and_its_pins_and_nears_its_bound() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut below = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let slots = 10;
    let mut instance = Instance {
        slots: (0..slots).map(slot).collect(),
        ..Instance::default()
    };
    for h in 0..16 {
        let flags: Vec<bool> = (0..slots).map(|_| below(8) > 0).collect();
        instance.hosts.push(HostSpec {
            id: format!("h{h}"),
            capacity: 1 + below(2) as i64,
            available: available(&flags),
        });
    }
    for c in 0..60 {
        let start = below(slots as u64) as usize;
        let flags: Vec<bool> = (0..slots)
            .map(|s| (s + slots - start) % slots < 4)
            .collect();
        instance.companies.push(CompanySpec {
            id: format!("c{c}"),
            available: available(&flags),
            max_meetings: 2 + below(3) as i64,
        });
        let mut hosts: Vec<u64> = (0..8).map(|_| below(16)).collect();
        hosts.sort_unstable();
        hosts.dedup();
        for h in hosts {
            instance.requests.push(RequestSpec {
                company: format!("c{c}"),
                host: format!("h{h}"),
                weight: 1 + below(5) as i64,
                slot: None,
            });
        }
    }
    // Two meetings confirmed by hand, in slots both sides have.
    let mut pinned = Vec::new();
    for k in [3, 40] {
        let r = instance.requests[k].clone();
        let company = instance.companies.iter().find(|c| c.id == r.company);
        let host = instance.hosts.iter().find(|h| h.id == r.host);
        if let (Some(c), Some(h)) = (company, host)
            && let Some(s) = c.available.iter().find(|s| h.available.contains(s))
        {
            let s = s.clone();
            instance.requests[k].slot = Some(s.clone());
            pinned.push(Placement {
                company: r.company,
                host: r.host,
                slot: s,
            });
        }
    }
    assert!(!pinned.is_empty(), "the generator placed no pin");
    let out = schedule(&instance, Duration::from_secs(5)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(check(&instance, &out.meetings), Ok(out.objective));
    for pin in &pinned {
        assert!(out.meetings.contains(pin), "{pin:?} moved");
    }
    assert!(out.objective <= out.upper_bound);
    assert_eq!(out.optimal, out.objective == out.upper_bound);
    assert!(
        out.objective * 100 >= out.upper_bound * 98,
        "{} is far from its bound {}",
        out.objective,
        out.upper_bound
    );
}
