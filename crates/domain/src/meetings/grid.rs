//! A schedule under construction, with the bookkeeping the search needs (who sits where,
//! how full each host is) and an undo log, so that a chain of moves can be tried and
//! taken back in one step.

use super::instance::Problem;

pub const NONE: u16 = u16::MAX;
const FREE: u32 = u32::MAX;

pub struct Grid<'a> {
    pub p: &'a Problem,
    slots: usize,
    /// Per request, its slot or NONE.
    pub slot_of: Vec<u16>,
    /// Per (company, slot), the request held there or FREE.
    company_at: Vec<u32>,
    /// Per (host, slot), the meetings held.
    host_load: Vec<u32>,
    company_count: Vec<u32>,
    pub value: u64,
    log: Vec<(u32, u16)>,
    company_locked: Vec<bool>,
    host_locked: Vec<bool>,
    /// Work left for the current search; a bounded search keeps one insertion cheap.
    budget: u32,
}

impl<'a> Grid<'a> {
    pub fn new(p: &'a Problem) -> Self {
        let slots = p.slots();
        let mut grid = Grid {
            p,
            slots,
            slot_of: vec![NONE; p.requests()],
            company_at: vec![FREE; p.company_ids.len() * slots],
            host_load: vec![0; p.host_ids.len() * slots],
            company_count: vec![0; p.company_ids.len()],
            value: 0,
            log: Vec::new(),
            company_locked: vec![false; p.company_ids.len() * slots],
            host_locked: vec![false; p.host_ids.len() * slots],
            budget: 0,
        };
        for r in 0..p.requests() {
            if let Some(s) = p.req_pin[r] {
                grid.set(r as u32, s);
            }
        }
        grid.log.clear();
        grid
    }

    pub fn from_slots(p: &'a Problem, slot_of: &[u16]) -> Self {
        let mut grid = Grid::new(p);
        for (r, &s) in slot_of.iter().enumerate() {
            if s != NONE && grid.slot_of[r] == NONE && grid.fits(r as u32, s) {
                grid.set(r as u32, s);
            }
        }
        grid.log.clear();
        grid
    }

    fn cs(&self, c: u32, s: u16) -> usize {
        c as usize * self.slots + s as usize
    }
    fn hs(&self, h: u32, s: u16) -> usize {
        h as usize * self.slots + s as usize
    }

    pub fn company_free(&self, c: u32, s: u16) -> bool {
        self.company_at[self.cs(c, s)] == FREE
    }
    pub fn host_room(&self, h: u32, s: u16) -> bool {
        self.host_load[self.hs(h, s)] < self.p.capacity[h as usize]
    }
    pub fn host_load(&self, h: u32, s: u16) -> u32 {
        self.host_load[self.hs(h, s)]
    }
    pub fn company_count(&self, c: u32) -> u32 {
        self.company_count[c as usize]
    }
    pub fn company_full(&self, c: u32) -> bool {
        self.company_count[c as usize] >= self.p.max_meetings[c as usize]
    }
    pub fn pinned(&self, r: u32) -> bool {
        self.p.req_pin[r as usize].is_some()
    }

    /// Whether unplaced request `r` can sit in `s` without moving anyone.
    pub fn fits(&self, r: u32, s: u16) -> bool {
        let (c, h) = (self.p.req_company[r as usize], self.p.req_host[r as usize]);
        self.company_free(c, s) && self.host_room(h, s) && !self.company_full(c)
    }

    /// Places request `r` in `s` (or takes it out with NONE), recording the change.
    pub fn set(&mut self, r: u32, s: u16) {
        let old = self.slot_of[r as usize];
        if old != s {
            self.apply(r, s);
            self.log.push((r, old));
        }
    }

    fn apply(&mut self, r: u32, s: u16) {
        let old = self.slot_of[r as usize];
        let (c, h) = (self.p.req_company[r as usize], self.p.req_host[r as usize]);
        let w = self.p.req_weight[r as usize];
        if old != NONE {
            let (ci, hi) = (self.cs(c, old), self.hs(h, old));
            self.company_at[ci] = FREE;
            self.host_load[hi] -= 1;
            if s == NONE {
                self.company_count[c as usize] -= 1;
                self.value -= w;
            }
        }
        if s != NONE {
            let (ci, hi) = (self.cs(c, s), self.hs(h, s));
            self.company_at[ci] = r;
            self.host_load[hi] += 1;
            if old == NONE {
                self.company_count[c as usize] += 1;
                self.value += w;
            }
        }
        self.slot_of[r as usize] = s;
    }

    pub fn mark(&self) -> usize {
        self.log.len()
    }

    pub fn rollback(&mut self, mark: usize) {
        while self.log.len() > mark {
            if let Some((r, old)) = self.log.pop() {
                self.apply(r, old);
            }
        }
    }

    pub fn commit(&mut self) {
        self.log.clear();
    }

    /// Tries to seat unplaced request `r` somewhere, moving other meetings along chains
    /// of at most `depth` moves; nobody is dropped.
    pub fn place(&mut self, r: u32, depth: u32) -> bool {
        let (c, h) = (self.p.req_company[r as usize], self.p.req_host[r as usize]);
        if self.company_full(c) {
            return false;
        }
        let p = self.p;
        for &s in &p.feasible[r as usize] {
            if self.company_free(c, s) && self.host_room(h, s) {
                self.set(r, s);
                return true;
            }
        }
        if depth == 0 {
            return false;
        }
        self.budget = 300;
        for &s in &p.feasible[r as usize] {
            let mark = self.mark();
            if self.make_room(c, h, s, depth) {
                self.set(r, s);
                return true;
            }
            self.rollback(mark);
        }
        false
    }

    /// Frees company `c` and one seat of host `h` in slot `s`.
    pub fn make_room(&mut self, c: u32, h: u32, s: u16, depth: u32) -> bool {
        let (ci, hi) = (self.cs(c, s), self.hs(h, s));
        if self.company_locked[ci] || self.host_locked[hi] {
            return false;
        }
        self.company_locked[ci] = true;
        self.host_locked[hi] = true;
        let ok = self.free_company(c, s, depth) && self.free_host(h, s, depth);
        self.company_locked[ci] = false;
        self.host_locked[hi] = false;
        ok
    }

    fn free_company(&mut self, c: u32, s: u16, depth: u32) -> bool {
        let m = self.company_at[self.cs(c, s)];
        if m == FREE {
            return true;
        }
        depth > 0 && !self.pinned(m) && self.move_away(m, s, depth)
    }

    fn free_host(&mut self, h: u32, s: u16, depth: u32) -> bool {
        if self.host_room(h, s) {
            return true;
        }
        if depth == 0 {
            return false;
        }
        let p = self.p;
        for &m in &p.host_requests[h as usize] {
            if self.slot_of[m as usize] == s && !self.pinned(m) && self.move_away(m, s, depth) {
                return true;
            }
        }
        false
    }

    /// Moves meeting `m` out of slot `s` into another slot, making room there with chains
    /// one shorter.
    fn move_away(&mut self, m: u32, s: u16, depth: u32) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let (c, h) = (self.p.req_company[m as usize], self.p.req_host[m as usize]);
        let start = self.mark();
        self.set(m, NONE);
        let p = self.p;
        // Direct moves first: they cost nothing further.
        for &t in &p.feasible[m as usize] {
            if t != s
                && !self.company_locked[self.cs(c, t)]
                && !self.host_locked[self.hs(h, t)]
                && self.company_free(c, t)
                && self.host_room(h, t)
            {
                self.set(m, t);
                return true;
            }
        }
        if depth > 1 {
            for &t in &p.feasible[m as usize] {
                if t == s {
                    continue;
                }
                let mark = self.mark();
                if self.make_room(c, h, t, depth - 1) {
                    self.set(m, t);
                    return true;
                }
                self.rollback(mark);
            }
        }
        self.rollback(start);
        false
    }

    pub fn meeting_at_company(&self, c: u32, s: u16) -> Option<u32> {
        let m = self.company_at[self.cs(c, s)];
        (m != FREE).then_some(m)
    }
}
