//! Best assignment of a few requests to slots: each request at most one slot, each slot at
//! most its capacity, at most `max` requests in all, maximising the total profit. It is a
//! maximum-weight bipartite b-matching with a cardinality limit, solved exactly by
//! augmenting along the most profitable path each time (successive longest paths; the
//! gains shrink, so we stop at the first that is not positive).
//!
//! It serves both the bound (one company at the current prices) and the search (the best
//! re-seating of one company's, or one host's, requests with everyone else fixed).

const START: u16 = u16::MAX;

#[derive(Default)]
pub struct Assigner {
    /// Per request (by position), its slot or START.
    pub slot_of: Vec<u16>,
    /// Per request, the profit of the slot it holds.
    gain_of: Vec<f64>,
    dist: Vec<f64>,
    pred: Vec<(u16, u32)>,
    used: Vec<u32>,
    /// Per slot, its room, read once per call (the caller's rooms do not change during it).
    room: Vec<u32>,
    /// The slots any request may take (their entries of `dist` are reset each time).
    touched: Vec<u16>,
    /// Every request's options, one after another, and where each request's start.
    options: Vec<(u16, f64)>,
    starts: Vec<usize>,
}

impl Assigner {
    /// `options(i)` lists request i's allowed slots with their profits; `capacity(s)` is
    /// the room in slot s. Returns the best total; the choice is in `slot_of`.
    pub fn solve(
        &mut self,
        n: usize,
        slots: usize,
        max: usize,
        options: impl Fn(usize, &mut Vec<(u16, f64)>),
        capacity: impl Fn(u16) -> u32,
    ) -> f64 {
        self.slot_of.clear();
        self.slot_of.resize(n, START);
        self.gain_of.clear();
        self.gain_of.resize(n, 0.0);
        if self.dist.len() < slots {
            self.dist.resize(slots, f64::NEG_INFINITY);
            self.pred.resize(slots, (START, 0));
            self.used.resize(slots, 0);
            self.room.resize(slots, 0);
        }
        self.options.clear();
        self.starts.clear();
        for i in 0..n {
            self.starts.push(self.options.len());
            options(i, &mut self.options);
        }
        self.starts.push(self.options.len());
        self.touched.extend(self.options.iter().map(|o| o.0));
        self.touched.sort_unstable();
        self.touched.dedup();
        for &s in &self.touched {
            self.room[s as usize] = capacity(s);
        }
        let (all, starts) = (&self.options, &self.starts);
        let list = |i: usize| &all[starts[i]..starts[i + 1]];
        let mut value = 0.0;
        for _ in 0..max.min(n) {
            for &s in &self.touched {
                self.dist[s as usize] = f64::NEG_INFINITY;
            }
            for i in 0..n {
                if self.slot_of[i] != START {
                    continue;
                }
                for &(s, g) in list(i) {
                    if g > self.dist[s as usize] {
                        self.dist[s as usize] = g;
                        self.pred[s as usize] = (START, i as u32);
                    }
                }
            }
            // Paths through full slots: someone seated there moves on (Bellman-Ford; each
            // step's matching is optimal for its size, so there is no positive cycle).
            for _round in 0..=n {
                let mut changed = false;
                for i in 0..n {
                    let s = self.slot_of[i];
                    if s == START
                        || self.dist[s as usize] == f64::NEG_INFINITY
                        || self.used[s as usize] < self.room[s as usize]
                    {
                        continue;
                    }
                    let base = self.dist[s as usize] - self.gain_of[i];
                    for &(t, g) in list(i) {
                        if t != s && base + g > self.dist[t as usize] + 1e-9 {
                            self.dist[t as usize] = base + g;
                            self.pred[t as usize] = (s, i as u32);
                            changed = true;
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
            let mut best: Option<(u16, f64)> = None;
            for &s in &self.touched {
                let d = self.dist[s as usize];
                if self.used[s as usize] < self.room[s as usize]
                    && d > 1e-9
                    && best.is_none_or(|(_, b)| d > b)
                {
                    best = Some((s, d));
                }
            }
            let Some((end, gain)) = best else { break };
            value += gain;
            self.used[end as usize] += 1;
            let mut s = end;
            loop {
                let (from, i) = self.pred[s as usize];
                let i = i as usize;
                self.slot_of[i] = s;
                self.gain_of[i] = list(i).iter().find(|o| o.0 == s).map_or(0.0, |o| o.1);
                if from == START {
                    break;
                }
                s = from;
            }
        }
        for &s in &self.touched {
            self.used[s as usize] = 0;
        }
        self.touched.clear();
        value
    }
}
