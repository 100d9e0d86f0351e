//! The scheduler. Its rule, exactly:
//!
//! 1. Maximise the total weight of the meetings placed (see [`super::instance`]).
//! 2. Among schedules of equal weight, prefer more companies with at least one meeting.
//! 3. Then prefer fewer idle gaps: for each company and each host, the free slots between
//!    its first and last meeting, summed over everyone.
//!
//! How: a greedy start (heaviest first, into the least contested slot), then local search
//! (chains of moves that make room, and ejections that trade lighter meetings for a
//! heavier one), then a Lagrangian bound ([`super::bound`]) whose prices also guide new
//! starts (local searches run beside it on the other core meanwhile). When the
//! bound meets the schedule's weight the schedule is proven optimal for rule 1. Small
//! instances that stay open go to an exhaustive branch and bound. Otherwise the bound is
//! usually the optimum and what is missing is a schedule that reaches it: reduced cost
//! fixing at the best prices keeps only the slots such a schedule can use (about a third),
//! and the exact search ([`super::exact`]) and two local searches look for it there side by
//! side ([`super::race`]). Rules 2 and 3 are then improved by moves that keep the weight;
//! for them we claim no optimality.

use super::assign::Assigner;
use super::bound::Lagrangian;
use super::exhaustive::exhaustive;
use super::flow::transport_bound;
use super::grid::{Grid, NONE};
use super::instance::Problem;
use super::polish::polish;
use super::race::{Plan, Race, help, perturb, reach};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Per request, its slot or None.
    pub slots: Vec<Option<u16>>,
    pub objective: u64,
    pub upper_bound: u64,
    pub optimal: bool,
}

/// Why a request got no meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unplaced {
    /// No slot both sides are available in.
    NoCommonSlot,
    /// The company already has its most meetings.
    CompanyAtMaximum,
    /// The host is full in every slot the company could make.
    HostFull,
    /// The company's possible slots are taken by its other meetings (or the host's
    /// are full).
    CompanyBusy,
}

impl Unplaced {
    pub fn code(self) -> &'static str {
        match self {
            Unplaced::NoCommonSlot => "no_common_slot",
            Unplaced::CompanyAtMaximum => "company_at_maximum",
            Unplaced::HostFull => "host_full",
            Unplaced::CompanyBusy => "company_busy",
        }
    }
}

/// Largest instance (in unpinned requests) the exhaustive search is tried on.
const EXACT_REQUESTS: usize = 60;

/// How long the bound is lowered alone before a local search joins on the other core.
const HELPER_AFTER: Duration = Duration::from_millis(500);

/// Steps without a new whole part after which the bound's is taken as settled.
const SETTLED: u32 = 40;

pub fn solve(p: &Problem, deadline: Instant) -> Solution {
    let mut lag = Lagrangian::new(p);
    let mut bound = f64::INFINITY;
    // Two starts: the relaxation's choice repaired (usually the better), plain greedy.
    let mut starts = Vec::new();
    if let Some(transport) = transport_bound(p, deadline) {
        bound = transport.value as f64;
        starts.push(greedy(p, Some(&transport.chosen)));
        lag.mu = transport.seat_price;
    }
    starts.push(greedy(p, None));
    let mut best_slots = Vec::new();
    let mut best_value = 0;
    let order = by_weight(p);
    let late = || Instant::now() >= deadline;
    for mut grid in starts {
        improve(&mut grid, &order, proven(bound), &late);
        if best_slots.is_empty() || grid.value > best_value {
            best_value = grid.value;
            best_slots = grid.slot_of.clone();
        }
        if best_value >= proven(bound) {
            break;
        }
    }
    // Meanwhile the other core searches too. As soon as the bound's whole part has
    // settled, a local search in the slots reduced cost fixing keeps at the prices then
    // (`early`): reaching that bound ends everything, and anything less it finds is left
    // (the search for the last units does better from the relaxation's starts). When the
    // bound takes long and never settles (large instances), a local search everywhere,
    // whose schedules are kept.
    let race = Race::new(best_slots.clone(), best_value, proven(bound));
    let early = Race::new(best_slots, best_value, proven(bound));
    let plan: Plan = Mutex::new(None);
    let helper_from = (Instant::now() + HELPER_AFTER).min(deadline);
    // The best bound and its prices: the search for the last units fixes with them.
    let (bound, best_mu) = std::thread::scope(|scope| {
        let helper = (best_value < proven(bound))
            .then(|| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, || {
                        help(p, &race, &early, &plan, helper_from, deadline)
                    })
                    .ok()
            })
            .flatten();
        let wake = || {
            if let Some(helper) = &helper {
                helper.thread().unpark();
            }
        };
        let settled = |mu: &[f64], aim: u64| {
            let mut plan = plan.lock().unwrap_or_else(|e| e.into_inner());
            *plan = Some((mu.to_vec(), aim));
            drop(plan);
            wake();
        };
        let lowered = lower(p, &mut lag, &race, &early, &settled, bound, deadline);
        race.stop();
        early.stop();
        wake();
        if let Some(helper) = helper {
            // A panic in the helper loses only its own search.
            let _ = helper.join();
        }
        lowered
    });
    let (slots, value) = early.best();
    if value >= proven(bound) {
        race.offer(&slots, value);
    }
    (best_slots, best_value) = race.best();
    let mut upper = proven(bound).max(best_value);
    let unpinned = p.req_pin.iter().filter(|x| x.is_none()).count();
    if upper > best_value && unpinned <= EXACT_REQUESTS {
        let mut grid = Grid::from_slots(p, &best_slots);
        if let Some(done) = exhaustive(&mut grid, upper, deadline) {
            best_slots = done;
            best_value = Grid::from_slots(p, &best_slots).value;
            upper = best_value;
        }
    }
    if upper > best_value && bound.is_finite() {
        (best_slots, best_value, upper) =
            reach(p, &best_mu, best_slots, best_value, upper, deadline);
    } else if upper > best_value {
        let race = Race::new(best_slots, best_value, upper);
        perturb(p, &race, deadline, 1);
        (best_slots, best_value) = race.best();
    }
    let mut grid = Grid::from_slots(p, &best_slots);
    polish(&mut grid, deadline);
    debug_assert_eq!(grid.value, best_value);
    Solution {
        slots: grid
            .slot_of
            .iter()
            .map(|&s| (s != NONE).then_some(s))
            .collect(),
        objective: grid.value,
        upper_bound: upper,
        optimal: upper == grid.value,
    }
}

/// Weights are whole numbers, so a bound of 41.7 proves 41.
fn proven(bound: f64) -> u64 {
    if bound.is_finite() {
        (bound + 1e-6).floor().max(0.0) as u64
    } else {
        u64::MAX
    }
}

/// Lowers the Lagrangian bound from `start` by subgradient steps until it meets the best
/// weight of `race` or `early` (proving it optimal), the steps stop gaining, or
/// `deadline`; returns the best bound and its prices. Once the bound's whole part has not
/// moved for [`SETTLED`] steps, `settled` is told it and the prices (once). Every 25 steps
/// a start from the relaxation's choice, repaired and improved, joins the race: the
/// prices say which seats are contested, and such starts often find what plain greedy
/// misses.
fn lower(
    p: &Problem,
    lag: &mut Lagrangian,
    race: &Race,
    early: &Race,
    settled: &dyn Fn(&[f64], u64),
    start: f64,
    deadline: Instant,
) -> (f64, Vec<f64>) {
    let mut bound = start;
    let mut best_mu = lag.mu.clone();
    let mut theta = 1.0;
    let mut stall = 0;
    let mut iteration = 0u32;
    // The steps aim at this search's own best, not the race's: the prices then do not
    // depend on how fast the other core is.
    let mut own = race.value();
    let order = by_weight(p);
    let late = || Instant::now() >= deadline;
    let mut same_floor = 0u32;
    let mut told = false;
    let done = |bound: f64| proven(bound) <= race.value().max(early.value());
    while Instant::now() < deadline && theta > 1e-3 {
        let value = lag.evaluate();
        same_floor += 1;
        if value < bound - 1e-9 {
            if proven(value) < proven(bound) {
                same_floor = 0;
            }
            bound = value;
            best_mu.clone_from(&lag.mu);
            race.lower_aim(proven(bound));
            early.lower_aim(proven(bound));
            stall = 0;
        } else {
            stall += 1;
            if stall >= 15 {
                theta /= 2.0;
                stall = 0;
            }
        }
        if done(bound) {
            return (bound, best_mu);
        }
        if !told && same_floor >= SETTLED {
            settled(&best_mu, proven(bound));
            told = true;
        }
        iteration += 1;
        if iteration % 25 == 5 {
            let mut grid = greedy(p, Some(&lag.chosen));
            improve(&mut grid, &order, proven(bound), &late);
            own = own.max(grid.value);
            race.offer(&grid.slot_of, grid.value);
            if done(bound) {
                return (bound, best_mu);
            }
        }
        if !lag.step(bound, own as f64, theta) {
            return (bound, best_mu);
        }
    }
    (bound, best_mu)
}

/// Heaviest first, each into its least contested free slot. With `hint` (the relaxation's
/// choice), those seats are taken first, heaviest first.
fn greedy<'a>(p: &'a Problem, hint: Option<&[(u32, u16)]>) -> Grid<'a> {
    let slots = p.slots();
    let mut demand = vec![0.0f64; p.host_ids.len() * slots];
    for r in 0..p.requests() {
        let f = &p.feasible[r];
        let share = p.req_weight[r] as f64 / f.len().max(1) as f64;
        for &s in f {
            demand[p.req_host[r] as usize * slots + s as usize] += share;
        }
    }
    let mut grid = Grid::new(p);
    if let Some(hint) = hint {
        let mut hint = hint.to_vec();
        hint.sort_by_key(|&(r, _)| std::cmp::Reverse(p.req_weight[r as usize]));
        for (r, s) in hint {
            if grid.slot_of[r as usize] == NONE && grid.fits(r, s) {
                grid.set(r, s);
            }
        }
    }
    for r in by_weight(p) {
        if grid.slot_of[r as usize] != NONE {
            continue;
        }
        let h = p.req_host[r as usize] as usize;
        let mut choice: Option<(u16, f64)> = None;
        for &s in &p.feasible[r as usize] {
            if grid.fits(r, s) {
                let d = demand[h * slots + s as usize] / p.capacity[h] as f64;
                if choice.is_none_or(|(_, best)| d < best) {
                    choice = Some((s, d));
                }
            }
        }
        if let Some((s, _)) = choice {
            grid.set(r, s);
        }
    }
    grid.commit();
    grid
}

/// Unpinned requests, heaviest first, then those with fewer possible slots.
pub(super) fn by_weight(p: &Problem) -> Vec<u32> {
    let mut order: Vec<u32> = (0..p.requests() as u32)
        .filter(|&r| p.req_pin[r as usize].is_none())
        .collect();
    order.sort_by_key(|&r| {
        (
            std::cmp::Reverse(p.req_weight[r as usize]),
            p.feasible[r as usize].len(),
        )
    });
    order
}

/// Local search until no move gains weight, `target` is reached or `over()` says time is
/// up: re-seat each company's and each host's meetings as well as possible with everyone
/// else fixed (cheap, exact per block), and when that is stuck, seat each request left out
/// (in `order`, see [`by_weight`]) by moving or ejecting others.
pub(super) fn improve(grid: &mut Grid, order: &[u32], target: u64, over: &dyn Fn() -> bool) {
    let p = grid.p;
    let mut assigner = Assigner::default();
    loop {
        loop {
            let before = grid.value;
            for c in 0..p.company_ids.len() as u32 {
                reseat(
                    grid,
                    &mut assigner,
                    &p.company_requests[c as usize],
                    Some(c),
                );
                if c % 64 == 63 && over() {
                    return;
                }
            }
            for h in 0..p.host_ids.len() as u32 {
                reseat(grid, &mut assigner, &p.host_requests[h as usize], None);
            }
            if grid.value >= target || over() {
                return;
            }
            if grid.value == before {
                break;
            }
        }
        let before = grid.value;
        for (k, &r) in order.iter().enumerate() {
            if grid.slot_of[r as usize] != NONE {
                continue;
            }
            if grid.place(r, 2) || eject(grid, r) {
                grid.commit();
            }
            if k % 64 == 0 && (grid.value >= target || over()) {
                return;
            }
        }
        if grid.value == before {
            return;
        }
    }
}

/// Takes out the unpinned meetings of `requests` (one company's when `company` is set,
/// else one host's) and seats them again as well as possible in the room the others
/// leave; kept only if the weight grows.
fn reseat(grid: &mut Grid, assigner: &mut Assigner, requests: &[u32], company: Option<u32>) {
    let p = grid.p;
    if !may_gain(grid, requests, company) {
        return;
    }
    let before = grid.value;
    let mark = grid.mark();
    let movable: Vec<u32> = requests
        .iter()
        .copied()
        .filter(|&r| !grid.pinned(r))
        .collect();
    for &r in &movable {
        grid.set(r, NONE);
    }
    let g: &Grid = grid;
    let room = match company {
        Some(c) => (p.max_meetings[c as usize] - g.company_count(c)) as usize,
        None => movable.len(),
    };
    assigner.solve(
        movable.len(),
        p.slots(),
        room,
        |i, out| {
            let r = movable[i];
            let (c, h) = (p.req_company[r as usize], p.req_host[r as usize]);
            if company.is_none() && g.company_full(c) {
                return;
            }
            for &s in &p.feasible[r as usize] {
                if g.company_free(c, s) && (company.is_none() || g.host_room(h, s)) {
                    out.push((s, p.req_weight[r as usize] as f64));
                }
            }
        },
        |s| match company {
            Some(_) => 1,
            None => {
                p.capacity[p.req_host[movable[0] as usize] as usize]
                    - g.host_load(p.req_host[movable[0] as usize], s)
            }
        },
    );
    let choice: Vec<(u32, u16)> = assigner
        .slot_of
        .iter()
        .enumerate()
        .filter(|(_, s)| **s != NONE)
        .map(|(i, &s)| (movable[i], s))
        .collect();
    for (r, s) in choice {
        if !grid.fits(r, s) {
            grid.rollback(mark);
            return;
        }
        grid.set(r, s);
    }
    if grid.value > before {
        grid.commit();
    } else {
        grid.rollback(mark);
    }
}

/// Whether re-seating `requests` (one company's, or one host's) could make the weight
/// grow: only by seating one of them that has no meeting now, which needs a slot where its
/// company is free and its host has room once the block's own meetings are taken out.
/// Most blocks of a schedule the local search has settled fail this, and the check costs
/// a few lookups where the re-seating solves an assignment.
fn may_gain(grid: &Grid, requests: &[u32], company: Option<u32>) -> bool {
    let p = grid.p;
    // A meeting of the block, taken out before re-seating.
    let movable = |m: Option<u32>| m.is_some_and(|m| !grid.pinned(m) && requests.contains(&m));
    requests.iter().any(|&r| {
        if grid.slot_of[r as usize] != NONE || grid.pinned(r) {
            return false;
        }
        let (c, h) = (p.req_company[r as usize], p.req_host[r as usize]);
        // A host's block frees its companies' meetings with it; a company's block is
        // the company, which may trade a meeting for a heavier one.
        let room_in_company = company.is_some()
            || !grid.company_full(c)
            || p.company_requests[c as usize]
                .iter()
                .any(|&m| grid.slot_of[m as usize] != NONE && movable(Some(m)));
        room_in_company
            && p.feasible[r as usize].iter().any(|&s| {
                let at = grid.meeting_at_company(c, s);
                (at.is_none() || movable(at))
                    && (grid.host_room(h, s)
                        || p.host_requests[h as usize]
                            .iter()
                            .any(|&m| grid.slot_of[m as usize] == s && movable(Some(m))))
            })
    })
}

/// Seats `r` by taking out lighter meetings that stand in its way, then tries to re-seat
/// them; kept only if the total weight grows.
fn eject(grid: &mut Grid, r: u32) -> bool {
    let p = grid.p;
    let (c, h, w) = (
        p.req_company[r as usize],
        p.req_host[r as usize],
        p.req_weight[r as usize],
    );
    let before = grid.value;
    for &s in &p.feasible[r as usize] {
        let mark = grid.mark();
        let mut out: Vec<u32> = Vec::new();
        if let Some(m) = grid.meeting_at_company(c, s) {
            if grid.pinned(m) {
                continue;
            }
            out.push(m);
            grid.set(m, NONE);
        }
        if !grid.host_room(h, s) {
            let lightest = p.host_requests[h as usize]
                .iter()
                .copied()
                .filter(|&m| grid.slot_of[m as usize] == s && !grid.pinned(m))
                .min_by_key(|&m| p.req_weight[m as usize]);
            match lightest {
                Some(m) => {
                    out.push(m);
                    grid.set(m, NONE);
                }
                None => {
                    grid.rollback(mark);
                    continue;
                }
            }
        }
        if grid.company_full(c) {
            let lightest = p.company_requests[c as usize]
                .iter()
                .copied()
                .filter(|&m| grid.slot_of[m as usize] != NONE && !grid.pinned(m))
                .min_by_key(|&m| p.req_weight[m as usize]);
            match lightest {
                Some(m) => {
                    out.push(m);
                    grid.set(m, NONE);
                }
                None => {
                    grid.rollback(mark);
                    continue;
                }
            }
        }
        let lost: u64 = out.iter().map(|&m| p.req_weight[m as usize]).sum();
        if lost >= w || !grid.fits(r, s) {
            grid.rollback(mark);
            continue;
        }
        grid.set(r, s);
        for &m in &out {
            grid.place(m, 1);
        }
        if grid.value > before {
            return true;
        }
        grid.rollback(mark);
    }
    false
}

/// Why each request without a meeting in the schedule `slots` got none, by request index.
pub fn unplaced_reasons(p: &Problem, slots: &[Option<u16>]) -> Vec<(usize, Unplaced)> {
    let grid = Grid::from_slots(
        p,
        &slots.iter().map(|s| s.unwrap_or(NONE)).collect::<Vec<_>>(),
    );
    (0..p.requests())
        .filter(|&r| slots[r].is_none())
        .map(|r| {
            let (c, h) = (p.req_company[r], p.req_host[r]);
            let reason = if p.feasible[r].is_empty() {
                Unplaced::NoCommonSlot
            } else if grid.company_full(c) {
                Unplaced::CompanyAtMaximum
            } else if p.feasible[r].iter().all(|&s| !grid.host_room(h, s)) {
                Unplaced::HostFull
            } else {
                Unplaced::CompanyBusy
            };
            (r, reason)
        })
        .collect()
}
