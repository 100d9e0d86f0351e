//! Exhaustive branch and bound for instances small enough (see `solve::EXACT_REQUESTS`):
//! every request in each of its slots or none, heaviest first, abandoning a branch that
//! cannot beat the best schedule so far even with every remaining request seated.

use super::grid::Grid;
use super::solve::by_weight;
use std::time::Instant;

/// Exhaustive branch and bound for small instances: returns the optimum when the search
/// finishes before the deadline.
pub(super) fn exhaustive(grid: &mut Grid, upper: u64, deadline: Instant) -> Option<Vec<u16>> {
    let p = grid.p;
    let order = by_weight(p);
    let mut rest = vec![0u64; order.len() + 1];
    for k in (0..order.len()).rev() {
        rest[k] = rest[k + 1] + p.req_weight[order[k] as usize];
    }
    let mut search = Exhaustive {
        order,
        rest,
        best: grid.value,
        best_slots: grid.slot_of.clone(),
        upper,
        deadline,
        nodes: 0,
        aborted: false,
    };
    let mut start = Grid::new(p);
    search.branch(&mut start, 0);
    (!search.aborted).then_some(search.best_slots)
}

struct Exhaustive {
    order: Vec<u32>,
    rest: Vec<u64>,
    best: u64,
    best_slots: Vec<u16>,
    upper: u64,
    deadline: Instant,
    nodes: u64,
    aborted: bool,
}

impl Exhaustive {
    fn branch(&mut self, grid: &mut Grid, k: usize) {
        if self.aborted || self.best >= self.upper || grid.value + self.rest[k] <= self.best {
            return;
        }
        self.nodes += 1;
        if self.nodes.is_multiple_of(4096) && Instant::now() >= self.deadline {
            self.aborted = true;
            return;
        }
        if k == self.order.len() {
            self.best = grid.value;
            self.best_slots = grid.slot_of.clone();
            return;
        }
        let r = self.order[k];
        let p = grid.p;
        for &s in &p.feasible[r as usize] {
            if grid.fits(r, s) {
                let mark = grid.mark();
                grid.set(r, s);
                self.branch(grid, k + 1);
                grid.rollback(mark);
            }
        }
        self.branch(grid, k + 1);
    }
}
