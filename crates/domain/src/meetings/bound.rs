//! The proven upper bound: a Lagrangian relaxation of the hosts' capacities.
//!
//! Pricing each (host, slot) seat at μ ≥ 0 and dropping the capacity rule leaves one
//! small problem per company: give some of its requests one slot each, at most one per
//! slot and at most its maximum, earning weight − μ(host, slot). That is a maximum-weight
//! bipartite matching with a cardinality limit, solved exactly by augmenting paths. For any
//! μ, Σ companies' best + Σ capacity·μ is at least the true optimum, so every value we
//! report is a valid bound; a subgradient search lowers it. Because each company's problem
//! is integral, the best such bound equals the LP relaxation of the whole problem.

use super::assign::Assigner;
use super::instance::Problem;

pub struct Lagrangian<'a> {
    p: &'a Problem,
    pub mu: Vec<f64>,
    /// The seats each (host, slot) would take under the last evaluation.
    pub load: Vec<u32>,
    /// The requests the last evaluation chose, with their slots.
    pub chosen: Vec<(u32, u16)>,
    assigner: Assigner,
}

impl<'a> Lagrangian<'a> {
    pub fn new(p: &'a Problem) -> Self {
        let slots = p.slots();
        Lagrangian {
            p,
            mu: vec![0.0; p.host_ids.len() * slots],
            load: vec![0; p.host_ids.len() * slots],
            chosen: Vec::new(),
            assigner: Assigner::default(),
        }
    }

    /// The bound at the current prices, filling `load` and `chosen`.
    pub fn evaluate(&mut self) -> f64 {
        let p = self.p;
        let slots = p.slots();
        self.load.iter_mut().for_each(|l| *l = 0);
        self.chosen.clear();
        let mut total = 0.0;
        for h in 0..p.host_ids.len() {
            for s in 0..slots {
                if p.host_available[h * slots + s] {
                    total += p.capacity[h] as f64 * self.mu[h * slots + s];
                }
            }
        }
        let mu = &self.mu;
        for c in 0..p.company_ids.len() {
            let requests = &p.company_requests[c];
            let max = p.max_meetings[c] as usize;
            if requests.is_empty() || max == 0 {
                continue;
            }
            total += self.assigner.solve(
                requests.len(),
                slots,
                max,
                |i, out| {
                    let r = requests[i] as usize;
                    let h = p.req_host[r] as usize;
                    let w = p.req_weight[r] as f64;
                    for &s in &p.feasible[r] {
                        let g = w - mu[h * slots + s as usize];
                        if g > 0.0 {
                            out.push((s, g));
                        }
                    }
                },
                |_| 1,
            );
            for (i, &s) in self.assigner.slot_of.iter().enumerate() {
                if s != u16::MAX {
                    let r = requests[i];
                    self.chosen.push((r, s));
                    self.load[p.req_host[r as usize] as usize * slots + s as usize] += 1;
                }
            }
        }
        total
    }

    /// One subgradient step towards a lower bound, aiming at `target` (the best schedule
    /// known). Returns false when the last evaluation's choice broke no capacity, so no
    /// price can move.
    pub fn step(&mut self, bound: f64, target: f64, theta: f64) -> bool {
        let p = self.p;
        let slots = p.slots();
        let mut norm = 0.0;
        for h in 0..p.host_ids.len() {
            for s in 0..slots {
                let i = h * slots + s;
                let g = self.load[i] as f64 - p.capacity[h] as f64;
                if p.host_available[i] && (g > 0.0 || self.mu[i] > 0.0) {
                    norm += g * g;
                }
            }
        }
        if norm == 0.0 {
            return false;
        }
        let t = theta * (bound - target).max(0.5) / norm;
        for h in 0..p.host_ids.len() {
            for s in 0..slots {
                let i = h * slots + s;
                if p.host_available[i] {
                    let g = self.load[i] as f64 - p.capacity[h] as f64;
                    self.mu[i] = (self.mu[i] + t * g).max(0.0);
                }
            }
        }
        true
    }
}
