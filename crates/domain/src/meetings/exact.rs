//! The last units of weight: which slots a schedule of weight at least `target` can use
//! at all ([`restrict`]), and an exact search for one ([`search`]).
//!
//! At fixed seat prices μ, any schedule's weight is at most
//! `committed + Σ companies' best + Σ μ·seats left` (see [`super::bound`]): each company's
//! best is its most valuable set of meetings at those prices, ignoring the others. When
//! that bound is within a unit of the target, almost every company must get its best. The
//! search branches on one meeting at a time where the companies' bests collide: a seat
//! asked by more companies than it holds (one of them gets it, or does not), or, when
//! none collide but the weight falls short, a priced seat left empty (someone fills it, or
//! not). Each branch fixes the meeting, recomputes the bests it touches, and is abandoned
//! as soon as the bound falls under the target. Finishing without a schedule proves there
//! is none.

use super::assign::Assigner;
use super::grid::NONE;
use super::instance::Problem;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

const EPS: f64 = 1e-9;

pub enum Outcome {
    /// A schedule (slot per request) of weight at least the target.
    Found(Vec<u16>),
    /// None exists.
    Absent,
    /// The deadline came first.
    Unknown,
}

/// Looks for a schedule of weight ≥ `target` at the prices `mu` (any prices are valid;
/// the search is small when they nearly prove the bound), until `deadline` or until
/// `stop` is set (by a search beside it that settled the question).
pub fn search(
    p: &Problem,
    mu: &[f64],
    target: u64,
    deadline: Instant,
    stop: &AtomicBool,
) -> Outcome {
    let mut s = Search::new(p, mu, target as f64, deadline);
    s.stop = Some(stop);
    let found = s.dfs();
    if found {
        Outcome::Found(s.schedule())
    } else if s.aborted {
        Outcome::Unknown
    } else {
        Outcome::Absent
    }
}

/// The problem without the slots no schedule of weight ≥ `target` can use: at the prices
/// `mu`, seating a request there costs its company more than `bound − target` (reduced
/// cost fixing). Any schedule of the restricted problem is one of `p`. None when the
/// deadline comes first.
pub fn restrict(p: &Problem, mu: &[f64], target: u64, deadline: Instant) -> Option<Problem> {
    let mut s = Search::new(p, mu, target as f64, deadline);
    let budget = s.bound() - target as f64 + EPS;
    let mut restricted = p.clone();
    for r in 0..p.requests() as u32 {
        if p.req_pin[r as usize].is_some() {
            continue;
        }
        if r % 256 == 0 && Instant::now() >= deadline {
            return None;
        }
        let c = p.req_company[r as usize];
        let best = s.best[c as usize].value;
        restricted.feasible[r as usize].retain(|&slot| {
            let Some(g) = s.option(r, slot) else {
                return false;
            };
            let mark = s.undo.len();
            s.commit(r, slot);
            let rest = s.best_choice(c).value;
            s.rollback(mark);
            best - (g + rest) <= budget
        });
    }
    Some(restricted)
}

/// A company's best set of meetings (request, slot), their weight and value at μ.
#[derive(Clone, Default)]
struct Choice {
    meetings: Vec<(u32, u16)>,
    weight: u64,
    value: f64,
}

enum Undo {
    /// A company's best before it was computed again.
    Best(u32, Choice),
    /// A meeting fixed in the schedule.
    Commit(u32, u16),
    /// A request kept out of a slot.
    Forbid(u32, u16),
}

struct Search<'a> {
    p: &'a Problem,
    mu: &'a [f64],
    slots: usize,
    target: f64,
    deadline: Instant,
    /// Seats left per (host, slot); 0 where the host is not available.
    room: Vec<u32>,
    /// Per (company, slot): taken by a pinned or committed meeting.
    taken: Vec<bool>,
    /// Per company, how many more meetings it may have.
    more: Vec<u32>,
    /// Per request, its committed slot (pinned ones included), or NONE.
    fixed: Vec<u16>,
    /// Per (request, slot): kept out by a branch.
    forbidden: Vec<bool>,
    /// Weight of the committed meetings.
    committed: u64,
    /// Each company's best in what is left, and their sum.
    best: Vec<Choice>,
    best_sum: f64,
    /// Per seat, how many companies' bests use it.
    load: Vec<u32>,
    /// Per request, its slot in its company's best (NONE if none).
    in_best: Vec<u16>,
    undo: Vec<Undo>,
    assigner: Assigner,
    nodes: u64,
    aborted: bool,
    stop: Option<&'a AtomicBool>,
}

impl<'a> Search<'a> {
    fn new(p: &'a Problem, mu: &'a [f64], target: f64, deadline: Instant) -> Self {
        let slots = p.slots();
        let hosts = p.host_ids.len();
        let companies = p.company_ids.len();
        let mut room = vec![0u32; hosts * slots];
        for h in 0..hosts {
            for s in 0..slots {
                if p.host_available[h * slots + s] {
                    room[h * slots + s] = p.capacity[h];
                }
            }
        }
        let mut search = Search {
            p,
            mu,
            slots,
            target,
            deadline,
            room,
            taken: vec![false; companies * slots],
            more: p.max_meetings.clone(),
            fixed: vec![NONE; p.requests()],
            forbidden: vec![false; p.requests() * slots],
            committed: 0,
            best: vec![Choice::default(); companies],
            best_sum: 0.0,
            load: vec![0; hosts * slots],
            in_best: vec![NONE; p.requests()],
            undo: Vec::new(),
            assigner: Assigner::default(),
            nodes: 0,
            aborted: false,
            stop: None,
        };
        for r in 0..p.requests() as u32 {
            if let Some(s) = p.req_pin[r as usize] {
                search.commit(r, s);
            }
        }
        for c in 0..companies as u32 {
            search.refresh(c);
        }
        search.undo.clear();
        search
    }

    fn seat(&self, r: u32, s: u16) -> usize {
        self.p.req_host[r as usize] as usize * self.slots + s as usize
    }

    /// Request `r`'s value in slot `s` at μ, if it may still go there.
    fn option(&self, r: u32, s: u16) -> Option<f64> {
        let c = self.p.req_company[r as usize] as usize;
        let seat = self.seat(r, s);
        (self.fixed[r as usize] == NONE
            && !self.forbidden[r as usize * self.slots + s as usize]
            && !self.taken[c * self.slots + s as usize]
            && self.room[seat] > 0)
            .then(|| self.p.req_weight[r as usize] as f64 - self.mu[seat])
    }

    fn bound(&self) -> f64 {
        let seats: f64 = self
            .room
            .iter()
            .zip(self.mu)
            .map(|(&n, &m)| n as f64 * m)
            .sum();
        self.committed as f64 + self.best_sum + seats
    }

    /// Company `c`'s best in what is left (exact: an assignment).
    fn best_choice(&mut self, c: u32) -> Choice {
        let p = self.p;
        let requests = &p.company_requests[c as usize];
        let more = self.more[c as usize] as usize;
        let mut assigner = std::mem::take(&mut self.assigner);
        let this: &Self = self;
        let value = assigner.solve(
            requests.len(),
            this.slots,
            more,
            |i, out| {
                let r = requests[i];
                for &s in &p.feasible[r as usize] {
                    if let Some(g) = this.option(r, s).filter(|&g| g > 0.0) {
                        out.push((s, g));
                    }
                }
            },
            |_| 1,
        );
        let mut choice = Choice {
            value,
            ..Choice::default()
        };
        for (i, &s) in assigner.slot_of.iter().enumerate() {
            if s != NONE {
                choice.meetings.push((requests[i], s));
                choice.weight += p.req_weight[requests[i] as usize];
            }
        }
        self.assigner = assigner;
        choice
    }

    /// Computes company `c`'s best again, logged.
    fn refresh(&mut self, c: u32) {
        let choice = self.best_choice(c);
        let old = self.replace_best(c, choice);
        self.undo.push(Undo::Best(c, old));
    }

    fn replace_best(&mut self, c: u32, new: Choice) -> Choice {
        let old = std::mem::take(&mut self.best[c as usize]);
        for &(r, s) in &old.meetings {
            let seat = self.seat(r, s);
            self.load[seat] -= 1;
            self.in_best[r as usize] = NONE;
        }
        for &(r, s) in &new.meetings {
            let seat = self.seat(r, s);
            self.load[seat] += 1;
            self.in_best[r as usize] = s;
        }
        self.best_sum += new.value - old.value;
        self.best[c as usize] = new;
        old
    }

    /// Fixes request `r` in slot `s` (logged); bests are refreshed by the caller.
    fn commit(&mut self, r: u32, s: u16) {
        let c = self.p.req_company[r as usize] as usize;
        let seat = self.seat(r, s);
        self.room[seat] = self.room[seat].saturating_sub(1);
        self.taken[c * self.slots + s as usize] = true;
        self.more[c] = self.more[c].saturating_sub(1);
        self.fixed[r as usize] = s;
        self.committed += self.p.req_weight[r as usize];
        self.undo.push(Undo::Commit(r, s));
    }

    fn rollback(&mut self, mark: usize) {
        while self.undo.len() > mark {
            match self.undo.pop() {
                Some(Undo::Best(c, old)) => {
                    self.replace_best(c, old);
                }
                Some(Undo::Commit(r, s)) => {
                    let c = self.p.req_company[r as usize] as usize;
                    let seat = self.seat(r, s);
                    self.room[seat] += 1;
                    self.taken[c * self.slots + s as usize] = false;
                    self.more[c] += 1;
                    self.fixed[r as usize] = NONE;
                    self.committed -= self.p.req_weight[r as usize];
                }
                Some(Undo::Forbid(r, s)) => {
                    self.forbidden[r as usize * self.slots + s as usize] = false;
                }
                None => break,
            }
        }
    }

    /// Branch one: `r` meets in `s`. Its company's best changes, and so does every best
    /// that used the seat if it is now full.
    fn fix_in(&mut self, r: u32, s: u16) {
        let p = self.p;
        self.commit(r, s);
        self.refresh(p.req_company[r as usize]);
        let seat = self.seat(r, s);
        if self.room[seat] == 0 && self.load[seat] > 0 {
            let h = p.req_host[r as usize] as usize;
            let hit: Vec<u32> = p.host_requests[h]
                .iter()
                .filter(|&&m| self.in_best[m as usize] == s)
                .map(|&m| p.req_company[m as usize])
                .collect();
            for c in hit {
                self.refresh(c);
            }
        }
    }

    /// Branch two: `r` does not meet in `s`.
    fn fix_out(&mut self, r: u32, s: u16) {
        self.forbidden[r as usize * self.slots + s as usize] = true;
        self.undo.push(Undo::Forbid(r, s));
        if self.in_best[r as usize] == s {
            self.refresh(self.p.req_company[r as usize]);
        }
    }

    fn dfs(&mut self) -> bool {
        self.nodes += 1;
        if self.nodes.is_multiple_of(256)
            && (Instant::now() >= self.deadline
                || self.stop.is_some_and(|stop| stop.load(Ordering::Relaxed)))
        {
            self.aborted = true;
        }
        if self.aborted || self.bound() < self.target - EPS {
            return false;
        }
        // Over an over-asked seat, the cheapest to move is first tried elsewhere; a priced
        // seat left empty is first tried filled.
        let Some((r, s, order)) = (match self.collision() {
            Some(seat) => self.claimant(seat).map(|(r, s)| (r, s, [false, true])),
            None => {
                if self.weight() as f64 >= self.target - EPS {
                    self.take_bests();
                    return true;
                }
                self.filler().map(|(r, s)| (r, s, [true, false]))
            }
        }) else {
            return false;
        };
        for inside in order {
            let mark = self.undo.len();
            if inside {
                self.fix_in(r, s);
            } else {
                self.fix_out(r, s);
            }
            if self.dfs() {
                return true;
            }
            self.rollback(mark);
            if self.aborted {
                return false;
            }
        }
        false
    }

    /// The seat most over-asked by the companies' bests.
    fn collision(&self) -> Option<usize> {
        self.load
            .iter()
            .zip(&self.room)
            .enumerate()
            .filter(|(_, (load, room))| load > room)
            .max_by_key(|(_, (load, room))| *load - *room)
            .map(|(seat, _)| seat)
    }

    /// Of the requests whose best is `seat`, the one that loses least elsewhere: it is
    /// tried out of the seat first.
    fn claimant(&mut self, seat: usize) -> Option<(u32, u16)> {
        let p = self.p;
        let (h, s) = (seat / self.slots, (seat % self.slots) as u16);
        let users: Vec<u32> = p.host_requests[h]
            .iter()
            .copied()
            .filter(|&r| self.in_best[r as usize] == s)
            .collect();
        let mut pick: Option<(f64, u32)> = None;
        for r in users {
            let c = p.req_company[r as usize];
            self.forbidden[r as usize * self.slots + s as usize] = true;
            let without = self.best_choice(c).value;
            self.forbidden[r as usize * self.slots + s as usize] = false;
            let loss = self.best[c as usize].value - without;
            if pick.is_none_or(|(least, _)| loss < least) {
                pick = Some((loss, r));
            }
        }
        pick.map(|(_, r)| (r, s))
    }

    /// The true weight of everyone taking their best (valid when no seat collides).
    fn weight(&self) -> u64 {
        self.committed + self.best.iter().map(|b| b.weight).sum::<u64>()
    }

    /// No seat collides but the weight falls short by the priced seats left empty: a
    /// request that could fill the emptiest one. None when no one can fill any, or the
    /// seats nobody can fill already take the bound under the target.
    fn filler(&self) -> Option<(u32, u16)> {
        let p = self.p;
        let mut unfillable = 0.0;
        let mut pick: Option<(f64, u32, u16)> = None;
        for (seat, (&load, &room)) in self.load.iter().zip(&self.room).enumerate() {
            if self.mu[seat] <= 0.0 || load >= room {
                continue;
            }
            let (h, s) = (seat / self.slots, (seat % self.slots) as u16);
            let empty = (room - load) as f64 * self.mu[seat];
            let filler = p.host_requests[h]
                .iter()
                .copied()
                .filter(|&r| {
                    self.in_best[r as usize] != s
                        && self.more[p.req_company[r as usize] as usize] > 0
                        && p.feasible[r as usize].contains(&s)
                })
                .filter_map(|r| self.option(r, s).map(|g| (g, r)))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            match filler {
                None => unfillable += empty,
                Some((_, r)) if pick.is_none_or(|(e, _, _)| empty > e) => {
                    pick = Some((empty, r, s));
                }
                Some(_) => {}
            }
        }
        if self.bound() - unfillable < self.target - EPS {
            return None;
        }
        pick.map(|(_, r, s)| (r, s))
    }

    /// Every company takes its best: the search has succeeded.
    fn take_bests(&mut self) {
        for c in 0..self.best.len() {
            for k in 0..self.best[c].meetings.len() {
                let (r, s) = self.best[c].meetings[k];
                self.fixed[r as usize] = s;
            }
        }
    }

    /// The schedule found: every fixed meeting.
    fn schedule(&self) -> Vec<u16> {
        self.fixed.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::{CompanySpec, HostSpec, Instance, RequestSpec};
    use std::time::Duration;

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    fn instance(rng: &mut Rng) -> Instance {
        let slots = 1 + rng.below(4) as usize;
        let hosts = 1 + rng.below(3) as usize;
        let companies = 1 + rng.below(5) as usize;
        let available = |rng: &mut Rng| -> Vec<String> {
            (0..slots)
                .filter(|_| rng.below(4) > 0)
                .map(|s| format!("s{s}"))
                .collect()
        };
        Instance {
            slots: (0..slots).map(|s| format!("s{s}")).collect(),
            hosts: (0..hosts)
                .map(|h| HostSpec {
                    id: format!("h{h}"),
                    capacity: 1 + rng.below(2) as i64,
                    available: available(rng),
                })
                .collect(),
            companies: (0..companies)
                .map(|c| CompanySpec {
                    id: format!("c{c}"),
                    available: available(rng),
                    max_meetings: rng.below(4) as i64,
                })
                .collect(),
            requests: (0..rng.below(11))
                .map(|_| RequestSpec {
                    company: format!("c{}", rng.below(companies as u64)),
                    host: format!("h{}", rng.below(hosts as u64)),
                    weight: 1 + rng.below(5) as i64,
                    slot: None,
                })
                .collect(),
        }
    }

    /// Every request in none or one of its slots, rules checked as it goes.
    fn brute_force(p: &Problem) -> u64 {
        fn go(p: &Problem, r: usize, slot_of: &mut Vec<u16>, best: &mut u64) {
            if r == p.requests() {
                let value = (0..r)
                    .filter(|&k| slot_of[k] != NONE)
                    .map(|k| p.req_weight[k])
                    .sum();
                *best = (*best).max(value);
                return;
            }
            go(p, r + 1, slot_of, best);
            for &s in &p.feasible[r] {
                slot_of[r] = s;
                if valid(p, &slot_of[..=r]) {
                    go(p, r + 1, slot_of, best);
                }
                slot_of[r] = NONE;
            }
        }
        let mut best = 0;
        go(p, 0, &mut vec![NONE; p.requests()], &mut best);
        best
    }

    fn valid(p: &Problem, slot_of: &[u16]) -> bool {
        let placed: Vec<usize> = (0..slot_of.len()).filter(|&r| slot_of[r] != NONE).collect();
        placed.iter().all(|&r| {
            let (c, h, s) = (p.req_company[r], p.req_host[r], slot_of[r]);
            let same = |f: &dyn Fn(usize) -> bool| placed.iter().filter(|&&k| f(k)).count();
            p.feasible[r].contains(&s)
                && same(&|k| p.req_company[k] == c && slot_of[k] == s) == 1
                && same(&|k| p.req_host[k] == h && slot_of[k] == s)
                    <= p.capacity[h as usize] as usize
                && same(&|k| p.req_company[k] == c) <= p.max_meetings[c as usize] as usize
        })
    }

    #[test]
    fn at_any_prices_it_finds_the_optimum_and_proves_nothing_is_heavier() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let deadline = || Instant::now() + Duration::from_secs(10);
        for case in 0..400 {
            let instance = instance(&mut rng);
            let Ok(p) = instance.validate() else { continue };
            let optimum = brute_force(&p);
            // Zero prices, and prices anywhere between nothing and more than a weight.
            let mu: Vec<f64> = (0..p.host_ids.len() * p.slots())
                .map(|_| {
                    if case % 3 == 0 {
                        0.0
                    } else {
                        rng.below(600) as f64 / 100.0
                    }
                })
                .collect();
            match search(&p, &mu, optimum, deadline(), &AtomicBool::new(false)) {
                Outcome::Found(slots) => {
                    assert!(valid(&p, &slots), "case {case}: {slots:?} breaks a rule");
                    let weight: u64 = (0..slots.len())
                        .filter(|&r| slots[r] != NONE)
                        .map(|r| p.req_weight[r])
                        .sum();
                    assert!(weight >= optimum, "case {case}: {weight} < {optimum}");
                }
                _ => panic!("case {case}: the optimum {optimum} was not found"),
            }
            match search(&p, &mu, optimum + 1, deadline(), &AtomicBool::new(false)) {
                Outcome::Absent => {}
                Outcome::Found(slots) => panic!("case {case}: above {optimum}: {slots:?}"),
                Outcome::Unknown => panic!("case {case}: above {optimum} unknown"),
            }
            // The slots fixing keeps still hold an optimal schedule.
            let kept = restrict(&p, &mu, optimum, deadline()).expect("in time");
            assert_eq!(
                brute_force(&kept),
                optimum,
                "case {case}: fixing lost the optimum"
            );
        }
    }
}
