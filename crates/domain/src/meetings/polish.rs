//! The scheduler's last phase, rules 2 and 3: moves that keep the schedule's weight while
//! they give companies with nothing a meeting and close idle gaps.

use super::grid::{Grid, NONE};
use std::time::Instant;

/// Rules 2 and 3 without losing weight: give companies with nothing a meeting in place
/// of an equally heavy one of a company that keeps another, then move meetings to close
/// idle gaps.
pub(super) fn polish(grid: &mut Grid, deadline: Instant) {
    let p = grid.p;
    for c in 0..p.company_ids.len() as u32 {
        if grid.company_count(c) > 0 || p.max_meetings[c as usize] == 0 {
            continue;
        }
        'requests: for &r in &p.company_requests[c as usize] {
            let (h, w) = (p.req_host[r as usize], p.req_weight[r as usize]);
            for &s in &p.feasible[r as usize] {
                if !grid.company_free(c, s) {
                    continue;
                }
                let donors: Vec<u32> = p.host_requests[h as usize]
                    .iter()
                    .copied()
                    .filter(|&m| {
                        grid.slot_of[m as usize] == s
                            && !grid.pinned(m)
                            && p.req_weight[m as usize] == w
                            && grid.company_count(p.req_company[m as usize]) >= 2
                    })
                    .collect();
                if let Some(&m) = donors.first() {
                    grid.set(m, NONE);
                    grid.set(r, s);
                    grid.place(m, 1);
                    grid.commit();
                    break 'requests;
                }
            }
        }
        if Instant::now() >= deadline {
            return;
        }
    }
    compact(grid, deadline);
}

/// Free slots between a list of busy flags' first and last busy one.
fn gaps(busy: impl Iterator<Item = bool>) -> u32 {
    let (mut seen, mut idle, mut total) = (false, 0, 0);
    for b in busy {
        if b {
            if seen {
                total += idle;
            }
            seen = true;
            idle = 0;
        } else {
            idle += 1;
        }
    }
    total
}

fn person_gaps(grid: &Grid, c: u32, h: u32) -> u32 {
    let slots = grid.p.slots() as u16;
    gaps((0..slots).map(|s| !grid.company_free(c, s)))
        + gaps((0..slots).map(|s| grid.host_load(h, s) > 0))
}

/// Moves single meetings into free slots while that lowers the idle gaps of the company
/// and the host concerned.
fn compact(grid: &mut Grid, deadline: Instant) {
    let p = grid.p;
    for _ in 0..4 {
        let mut moved = false;
        for r in 0..p.requests() as u32 {
            let s = grid.slot_of[r as usize];
            if s == NONE || grid.pinned(r) {
                continue;
            }
            let (c, h) = (p.req_company[r as usize], p.req_host[r as usize]);
            let before = person_gaps(grid, c, h);
            for &t in &p.feasible[r as usize] {
                if t == s || !grid.company_free(c, t) || !grid.host_room(h, t) {
                    continue;
                }
                let mark = grid.mark();
                grid.set(r, t);
                if person_gaps(grid, c, h) < before {
                    grid.commit();
                    moved = true;
                    break;
                }
                grid.rollback(mark);
            }
        }
        if !moved || Instant::now() >= deadline {
            return;
        }
    }
}
