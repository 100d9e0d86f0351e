//! Searches that run side by side, one on each core, and share what they find: while the
//! bound is lowered, a local search looks for heavier schedules (see `solve::lower`); for
//! the last units, the exact search and two local searches with different random
//! choices. Whichever reaches the aim (the proven bound) stops the others. The time the
//! local search needs for the last units spreads widely with its random choices (0.2 s
//! with one seed, several seconds with another on the same instance), so two of them
//! finish much sooner than one on the slow instances, and the exact search no longer
//! holds up the local one.

use super::exact::{self, Outcome};
use super::grid::{Grid, NONE};
use super::instance::Problem;
use super::solve::{by_weight, improve};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// The best schedule found by any of the searches, the weight that would end them all,
/// and the flag that stops them.
pub struct Race {
    best: Mutex<Vec<u16>>,
    value: AtomicU64,
    aim: AtomicU64,
    stop: AtomicBool,
}

impl Race {
    pub fn new(slots: Vec<u16>, value: u64, aim: u64) -> Self {
        Race {
            best: Mutex::new(slots),
            value: AtomicU64::new(value),
            aim: AtomicU64::new(aim),
            stop: AtomicBool::new(false),
        }
    }

    pub fn value(&self) -> u64 {
        self.value.load(Ordering::Acquire)
    }

    pub fn aim(&self) -> u64 {
        self.aim.load(Ordering::Relaxed)
    }

    /// A lower bound proven since: reaching it is enough.
    pub fn lower_aim(&self, aim: u64) {
        self.aim.fetch_min(aim, Ordering::Relaxed);
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn done(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || self.value() >= self.aim()
    }

    /// Keeps `slots` if it is heavier than the best so far.
    pub fn offer(&self, slots: &[u16], value: u64) {
        if value <= self.value() {
            return;
        }
        // A search that panicked while holding the lock left a whole schedule behind.
        let mut best = self.best.lock().unwrap_or_else(|e| e.into_inner());
        if value > self.value() {
            best.clear();
            best.extend_from_slice(slots);
            self.value.store(value, Ordering::Release);
        }
    }

    pub fn best(&self) -> (Vec<u16>, u64) {
        let best = self.best.lock().unwrap_or_else(|e| e.into_inner());
        (best.clone(), self.value())
    }
}

/// Prices and the bound they prove, handed to [`help`] once the bound's whole part has
/// settled.
pub type Plan = Mutex<Option<(Vec<f64>, u64)>>;

/// The other core's search while the bound is lowered. It waits (woken by `unpark`) until
/// `plan` holds settled prices, then searches the slots fixing keeps at them, into `early`
/// (whose schedules count only if they reach the bound); or, when `from` comes first, it
/// searches everywhere, into `race`. Returns when either race is done.
pub fn help(p: &Problem, race: &Race, early: &Race, plan: &Plan, from: Instant, deadline: Instant) {
    loop {
        if race.done() || early.done() {
            return;
        }
        let planned = plan.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some((mu, aim)) = planned {
            if let Some(kept) = exact::restrict(p, &mu, aim, deadline) {
                perturb(&kept, early, deadline, 3);
            }
            return;
        }
        if Instant::now() >= from {
            perturb(p, race, deadline, 3);
            return;
        }
        std::thread::park_timeout(from.saturating_duration_since(Instant::now()));
    }
}

/// Looks for a schedule as heavy as the bound `upper` in the slots that reduced cost
/// fixing at the prices `mu` keeps (usually a third). On one core the local search, in the
/// kept slots for half the time left, then everywhere (where schedules lighter than the
/// bound but heavier than ours also are); on the other the exact search for a fortieth of
/// the time left (when it finishes without a schedule, none exists and the aim drops one
/// unit), then a second local search. Returns the best schedule, its weight and the bound.
pub fn reach(
    p: &Problem,
    mu: &[f64],
    mut best_slots: Vec<u16>,
    mut best_value: u64,
    mut upper: u64,
    deadline: Instant,
) -> (Vec<u16>, u64, u64) {
    loop {
        let Some(restricted) = exact::restrict(p, mu, upper, deadline) else {
            return (best_slots, best_value, upper);
        };
        let race = Race::new(best_slots.clone(), best_value, upper);
        let slice = || Instant::now() + deadline.saturating_duration_since(Instant::now()) / 40;
        let local = |seed: u64| {
            let half = Instant::now() + deadline.saturating_duration_since(Instant::now()) / 2;
            perturb(&restricted, &race, half, seed);
            perturb(p, &race, deadline, seed);
        };
        let second = || {
            let outcome = exact::search(&restricted, mu, upper, slice(), &race.stop);
            match outcome {
                Outcome::Unknown => local(2),
                _ => race.stop(),
            }
            outcome
        };
        let outcome = std::thread::scope(|scope| {
            match std::thread::Builder::new().spawn_scoped(scope, second) {
                Ok(handle) => {
                    local(1);
                    race.stop();
                    handle.join().unwrap_or(Outcome::Unknown)
                }
                // No second thread: the exact search, then the local search.
                Err(_) => {
                    let outcome = exact::search(&restricted, mu, upper, slice(), &race.stop);
                    if matches!(outcome, Outcome::Unknown) {
                        local(1);
                    }
                    outcome
                }
            }
        });
        (best_slots, best_value) = race.best();
        match outcome {
            Outcome::Found(slots) => {
                let grid = Grid::from_slots(p, &slots);
                if grid.value > best_value {
                    best_value = grid.value;
                    best_slots = grid.slot_of.clone();
                }
                return (best_slots, best_value, upper.max(best_value));
            }
            Outcome::Absent if best_value < upper - 1 => upper -= 1,
            Outcome::Absent => return (best_slots, best_value, best_value),
            Outcome::Unknown => return (best_slots, best_value, upper.max(best_value)),
        }
    }
}

/// Iterated local search until the race is done or `deadline`: take out every meeting of
/// one host and of the companies it meets, seat them again in a shuffled order (`seed`
/// chooses), improve, and keep the result when it is at least as heavy (equal moves let
/// the search cross plateaus). Starts from the race's best; it does not follow the other
/// searches afterwards (kept apart, they explore different schedules).
pub fn perturb(p: &Problem, race: &Race, deadline: Instant, seed: u64) {
    if p.host_ids.is_empty() || race.done() {
        return;
    }
    let start = Grid::from_slots(p, &race.best().0);
    let (mut best, mut best_value) = (start.slot_of, start.value);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(seed.max(1));
    let mut random = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let order = by_weight(p);
    let over = || race.done() || Instant::now() >= deadline;
    let mut out: Vec<u32> = Vec::new();
    let mut seat: Vec<u32> = Vec::new();
    while Instant::now() < deadline && !race.done() {
        let mut grid = Grid::from_slots(p, &best);
        let h = random(p.host_ids.len());
        out.clear();
        for &r in &p.host_requests[h] {
            if grid.slot_of[r as usize] != NONE && !grid.pinned(r) {
                let c = p.req_company[r as usize] as usize;
                out.extend(
                    p.company_requests[c]
                        .iter()
                        .copied()
                        .filter(|&m| grid.slot_of[m as usize] != NONE && !grid.pinned(m)),
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        for &r in &out {
            grid.set(r, NONE);
        }
        seat.clear();
        seat.extend(
            order
                .iter()
                .copied()
                .filter(|&r| grid.slot_of[r as usize] == NONE),
        );
        for k in (1..seat.len()).rev() {
            seat.swap(k, random(k + 1));
        }
        seat.sort_by_key(|&r| std::cmp::Reverse(p.req_weight[r as usize]));
        for &r in &seat {
            let f = &p.feasible[r as usize];
            if f.is_empty() {
                continue;
            }
            let start = random(f.len());
            for k in 0..f.len() {
                let s = f[(start + k) % f.len()];
                if grid.fits(r, s) {
                    grid.set(r, s);
                    break;
                }
            }
        }
        grid.commit();
        improve(&mut grid, &order, race.aim(), &over);
        if grid.value >= best_value {
            best_value = grid.value;
            best.clone_from(&grid.slot_of);
            race.offer(&best, best_value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_race_keeps_the_heaviest_schedule_offered_and_ends_at_its_aim() {
        let race = Race::new(vec![NONE, NONE], 0, 5);
        race.offer(&[1, NONE], 3);
        race.offer(&[0, NONE], 2);
        assert_eq!(race.best(), (vec![1, NONE], 3));
        assert!(!race.done());
        // A bound proven lower since: the schedule found reaches it.
        race.lower_aim(3);
        assert!(race.done());
        // A higher bound never raises the aim again.
        race.lower_aim(9);
        assert_eq!(race.aim(), 3);
        race.offer(&[1, 0], 4);
        assert_eq!(race.best(), (vec![1, 0], 4));
    }

    #[test]
    fn a_stopped_race_ends_every_search() {
        let race = Race::new(Vec::new(), 0, 10);
        assert!(!race.done());
        race.stop();
        assert!(race.done());
    }
}
