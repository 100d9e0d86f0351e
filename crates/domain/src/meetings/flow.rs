//! The transport relaxation: forget that a company can sit at only one table per slot,
//! and what is left is a flow — companies (up to their maximum) → their requests → (host,
//! slot) seats (up to the capacity). Its best weight is a bound, exact on instances where
//! the hosts' tables are what is scarce, and its node prices are a strong start for the
//! Lagrangian prices of the seats.
//!
//! Solved as a maximum-weight flow by the primal-dual method: shortest paths on reduced
//! costs (Dijkstra), then a blocking flow (Dinic) on the edges of reduced cost zero. Weights
//! are whole numbers, so there are few distinct path lengths and few phases.

use super::instance::Problem;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

struct Edge {
    to: u32,
    cap: i64,
    cost: i64,
}

pub struct Flow {
    edges: Vec<Edge>,
    adjacency: Vec<Vec<u32>>,
    potential: Vec<i64>,
    source: usize,
    sink: usize,
    seat_base: usize,
}

pub struct FlowBound {
    /// The best weight of the relaxation.
    pub value: u64,
    /// Per (host, slot), the marginal value of a seat: a price for the Lagrangian.
    pub seat_price: Vec<f64>,
    /// The relaxation's choice: request and slot.
    pub chosen: Vec<(u32, u16)>,
}

impl Flow {
    fn add(&mut self, from: usize, to: usize, cap: i64, cost: i64) {
        self.adjacency[from].push(self.edges.len() as u32);
        self.edges.push(Edge {
            to: to as u32,
            cap,
            cost,
        });
        self.adjacency[to].push(self.edges.len() as u32);
        self.edges.push(Edge {
            to: from as u32,
            cap: 0,
            cost: -cost,
        });
    }
}

/// Solves the relaxation exactly, or gives up (None) when the deadline passes first.
pub fn transport_bound(p: &Problem, deadline: std::time::Instant) -> Option<FlowBound> {
    let (companies, hosts, slots, requests) = (
        p.company_ids.len(),
        p.host_ids.len(),
        p.slots(),
        p.requests(),
    );
    // Nodes: source, companies, requests, seats (host × slot), sink.
    let company_base = 1;
    let request_base = company_base + companies;
    let seat_base = request_base + requests;
    let sink = seat_base + hosts * slots;
    let mut f = Flow {
        edges: Vec::new(),
        adjacency: vec![Vec::new(); sink + 1],
        potential: vec![0; sink + 1],
        source: 0,
        sink,
        seat_base,
    };
    for c in 0..companies {
        f.add(0, company_base + c, p.max_meetings[c] as i64, 0);
    }
    for r in 0..requests {
        let c = p.req_company[r] as usize;
        f.add(
            company_base + c,
            request_base + r,
            1,
            -(p.req_weight[r] as i64),
        );
        let h = p.req_host[r] as usize;
        for &s in &p.feasible[r] {
            f.add(request_base + r, seat_base + h * slots + s as usize, 1, 0);
        }
    }
    for h in 0..hosts {
        for s in 0..slots {
            if p.host_available[h * slots + s] {
                f.add(seat_base + h * slots + s, sink, p.capacity[h] as i64, 0);
            }
        }
    }
    // Start potentials: the graph is acyclic, so the longest-weight distances are direct.
    for r in 0..requests {
        f.potential[request_base + r] = -(p.req_weight[r] as i64);
    }
    let mut lowest = 0;
    for r in 0..requests {
        let h = p.req_host[r] as usize;
        for &s in &p.feasible[r] {
            let seat = seat_base + h * slots + s as usize;
            let d = -(p.req_weight[r] as i64);
            if d < f.potential[seat] {
                f.potential[seat] = d;
            }
            lowest = lowest.min(d);
        }
    }
    f.potential[sink] = lowest;

    loop {
        if std::time::Instant::now() >= deadline {
            return None;
        }
        if !f.reprice() || f.potential[f.sink] - f.potential[f.source] >= 0 {
            break;
        }
        f.blocking_flow();
    }

    let mut value = 0u64;
    let mut chosen = Vec::new();
    for r in 0..requests {
        let node = request_base + r;
        for &e in &f.adjacency[node] {
            let edge = &f.edges[e as usize];
            let to = edge.to as usize;
            // A used request→seat edge has its capacity moved to the reverse edge.
            if to >= seat_base && to < sink && e % 2 == 0 && edge.cap == 0 {
                value += p.req_weight[r];
                chosen.push((r as u32, ((to - seat_base) % slots) as u16));
            }
        }
    }
    let margin = f.potential[f.source].max(f.potential[f.sink].min(0));
    let seat_price = (0..hosts * slots)
        .map(|i| (margin - f.potential[f.seat_base + i]).max(0) as f64)
        .collect();
    Some(FlowBound {
        value,
        seat_price,
        chosen,
    })
}

impl Flow {
    /// Dijkstra on reduced costs; moves the potentials. False when the sink is cut off.
    fn reprice(&mut self) -> bool {
        let n = self.adjacency.len();
        let mut dist = vec![i64::MAX; n];
        let mut heap = BinaryHeap::new();
        dist[self.source] = 0;
        heap.push(Reverse((0i64, self.source as u32)));
        while let Some(Reverse((d, u))) = heap.pop() {
            let u = u as usize;
            if d > dist[u] {
                continue;
            }
            for &e in &self.adjacency[u] {
                let edge = &self.edges[e as usize];
                if edge.cap <= 0 {
                    continue;
                }
                let v = edge.to as usize;
                let nd = d + edge.cost + self.potential[u] - self.potential[v];
                if nd < dist[v] {
                    dist[v] = nd;
                    heap.push(Reverse((nd, v as u32)));
                }
            }
        }
        if dist[self.sink] == i64::MAX {
            return false;
        }
        let reach = dist[self.sink];
        for (potential, d) in self.potential.iter_mut().zip(&dist) {
            *potential += (*d).min(reach);
        }
        true
    }

    fn admissible(&self, u: usize, e: u32) -> bool {
        let edge = &self.edges[e as usize];
        edge.cap > 0 && edge.cost + self.potential[u] - self.potential[edge.to as usize] == 0
    }

    /// Dinic's blocking flows on the edges of reduced cost zero.
    fn blocking_flow(&mut self) {
        let n = self.adjacency.len();
        loop {
            let mut level = vec![u32::MAX; n];
            level[self.source] = 0;
            let mut queue = VecDeque::from([self.source]);
            while let Some(u) = queue.pop_front() {
                for &e in &self.adjacency[u] {
                    let v = self.edges[e as usize].to as usize;
                    if level[v] == u32::MAX && self.admissible(u, e) {
                        level[v] = level[u] + 1;
                        queue.push_back(v);
                    }
                }
            }
            if level[self.sink] == u32::MAX {
                return;
            }
            let mut next = vec![0usize; n];
            let mut pushed_any = false;
            while self.augment(&level, &mut next) {
                pushed_any = true;
            }
            if !pushed_any {
                return;
            }
        }
    }

    /// One augmenting path of one unit along the level graph (iterative depth-first).
    fn augment(&mut self, level: &[u32], next: &mut [usize]) -> bool {
        let mut path: Vec<u32> = Vec::new();
        let mut u = self.source;
        loop {
            if u == self.sink {
                for &e in &path {
                    self.edges[e as usize].cap -= 1;
                    self.edges[(e ^ 1) as usize].cap += 1;
                }
                return true;
            }
            let mut advanced = false;
            while next[u] < self.adjacency[u].len() {
                let e = self.adjacency[u][next[u]];
                let v = self.edges[e as usize].to as usize;
                if level[v] == level[u] + 1 && self.admissible(u, e) {
                    path.push(e);
                    u = v;
                    advanced = true;
                    break;
                }
                next[u] += 1;
            }
            if !advanced {
                // Dead end: retreat and skip the edge that led here.
                let Some(e) = path.pop() else { return false };
                u = self.edges[(e ^ 1) as usize].to as usize;
                next[u] += 1;
            }
        }
    }
}
