//! The exact sparse solver's state ([`Exact`]: prices, who sits on which column, the search
//! scratch and each unit's remembered edges) and its per-component driver: rounds of augmenting
//! row reduction (`reduction.rs`) within a work budget, then a shortest augmenting path
//! (`shortest_paths.rs`) for every unit still pending.
//!
//! Invariants, kept by every step of both phases (the LP optimality conditions in price form):
//! prices are `>= 0` and only rise; a column with a free slot has price 0; every assigned unit
//! sits on a column that maximises `weight - price` for it, and that value is `>= 0`. A unit's
//! `bound` is `>=` the value of every edge outside its cache (prices only rise, so it stays
//! valid). Scratch is allocated once per call and reset after each search.

use super::components::UnitGraph;
use super::orientation::EdgeStore;
use super::reduction::Reduce;
use super::{INF, NONE};
use crate::matching::radix_heap::RadixHeap;
use crate::matching::top_k::TopK;

/// Mutable state of the exact solver over a [`UnitGraph`]: units are the rows of the module
/// documentation (tasks, or agent slots with [`Rows::Agents`](super::orientation::Rows::Agents);
/// the algorithm cannot tell).
pub(super) struct Exact<'g, E> {
    pub(super) first: &'g [u32],
    pub(super) last: &'g [u32],
    pub(super) edges: E,
    pub(super) cap: &'g [u32],
    /// Column prices (LP duals of the capacity constraints); 0 while a column has room.
    pub(super) price: Vec<i64>,
    pub(super) used: Vec<u32>,
    /// Column `c`'s occupied slots are `slot_unit[slot_start[c]..slot_start[c] + used[c]]`.
    pub(super) slot_start: Vec<u32>,
    pub(super) slot_unit: Vec<u32>,
    /// Column of each unit, or NONE.
    pub(super) unit_col: Vec<u32>,
    /// Weight of each unit's current pair.
    pub(super) unit_weight: Vec<i64>,
    /// Position of each assigned unit inside `slot_unit`.
    pub(super) unit_slot: Vec<u32>,
    // Search scratch, reset through `touched` after each search.
    pub(super) dist: Vec<i64>,
    pub(super) pred_unit: Vec<u32>,
    pub(super) pred_weight: Vec<i64>,
    pub(super) touched: Vec<u32>,
    pub(super) settled: Vec<u32>,
    pub(super) heap: RadixHeap,
    pub(super) pending: Vec<u32>,
    pub(super) next_round: Vec<u32>,
    /// Per unit, the `(column, weight)` of the edges that were its `CACHED` best at its last
    /// full scan (column NONE when it has fewer edges), stored inline so a bid reads them
    /// sequentially instead of chasing edge indices…
    pub(super) cache: Vec<[(u32, i64); CACHED]>,
    /// …and a bound on the value of every other edge: the next value down at that scan.
    /// Prices only rise, so the bound stays valid; `UNSCANNED` before the first scan.
    pub(super) bound: Vec<i64>,
    /// Edges examined by the row reduction so far (its budget is counted in these).
    pub(super) work: usize,
    /// Scratch of the full scans.
    pub(super) top: TopK,
}

/// Edges remembered per unit between bids (see [`Exact::reduce_row`]).
pub(super) const CACHED: usize = 8;

/// `Exact::bound` of a unit that was never scanned.
pub(super) const UNSCANNED: i64 = i64::MAX;

impl<'g, E: EdgeStore> Exact<'g, E> {
    pub(super) fn new(g: &'g UnitGraph<E>) -> Self {
        let ncol = g.cap.len();
        let units = g.first.len();
        let mut slot_start = Vec::with_capacity(ncol + 1);
        let mut total = 0u32;
        slot_start.push(0u32);
        for &c in &g.cap {
            total += c;
            slot_start.push(total);
        }
        Exact {
            first: &g.first,
            last: &g.last,
            edges: g.edges,
            cap: &g.cap,
            price: vec![0; ncol],
            used: vec![0; ncol],
            slot_start,
            slot_unit: vec![NONE; total as usize],
            unit_col: vec![NONE; units],
            unit_weight: vec![0; units],
            unit_slot: vec![NONE; units],
            dist: vec![INF; ncol],
            pred_unit: vec![NONE; ncol],
            pred_weight: vec![0; ncol],
            touched: Vec::new(),
            settled: Vec::new(),
            heap: RadixHeap::default(),
            pending: Vec::new(),
            next_round: Vec::new(),
            cache: vec![[(NONE, 0); CACHED]; units],
            bound: vec![UNSCANNED; units],
            work: 0,
            top: TopK::default(),
        }
    }

    pub(super) fn edges(&self, u: u32) -> std::ops::Range<usize> {
        self.first[u as usize] as usize..self.last[u as usize] as usize
    }

    pub(super) fn attach(&mut self, u: u32, c: u32, w: i64) {
        let slot = self.slot_start[c as usize] + self.used[c as usize];
        self.used[c as usize] += 1;
        self.slot_unit[slot as usize] = u;
        self.unit_slot[u as usize] = slot;
        self.unit_col[u as usize] = c;
        self.unit_weight[u as usize] = w;
    }

    pub(super) fn detach(&mut self, u: u32) {
        let c = self.unit_col[u as usize];
        let slot = self.unit_slot[u as usize];
        let last = self.slot_start[c as usize] + self.used[c as usize] - 1;
        let moved = self.slot_unit[last as usize];
        self.slot_unit[slot as usize] = moved;
        self.unit_slot[moved as usize] = slot;
        self.used[c as usize] -= 1;
        self.unit_col[u as usize] = NONE;
        self.unit_slot[u as usize] = NONE;
    }

    pub(super) fn has_room(&self, c: u32) -> bool {
        self.used[c as usize] < self.cap[c as usize]
    }

    /// Solves one component; `reduction_rounds` is 4 in production (0 in tests, to exercise
    /// the exact searches on their own).
    pub(super) fn solve_component(&mut self, units: std::ops::Range<u32>, reduction_rounds: usize) {
        let edges: usize = units.clone().map(|u| self.edges(u).len()).sum();
        self.pending.clear();
        self.pending.extend(units);
        // Augmenting row reduction: cheap, and it keeps the optimality conditions intact, so
        // whatever it cannot place is simply handed to the exact searches below. The budget
        // (in edges scanned) bounds the bidding wars it can get into.
        let budget = self.work + 32 * edges + 1024;
        for _round in 0..reduction_rounds {
            self.next_round.clear();
            let mut k = 0;
            while k < self.pending.len() {
                let mut u = self.pending[k];
                k += 1;
                loop {
                    if self.work >= budget {
                        self.next_round.push(u);
                        break;
                    }
                    match self.reduce_row(u) {
                        Reduce::Done => break,
                        Reduce::Defer(v) => {
                            self.next_round.push(v);
                            break;
                        }
                        Reduce::Again(v) => u = v,
                    }
                }
            }
            std::mem::swap(&mut self.pending, &mut self.next_round);
            if self.pending.is_empty() {
                return;
            }
        }
        let pending = std::mem::take(&mut self.pending);
        for &s in &pending {
            self.augment_from(s);
        }
        self.pending = pending;
    }
}
