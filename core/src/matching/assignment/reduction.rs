//! Phase 4, augmenting row reduction: the auction-like (bidding) phase of Jonker–Volgenant. A
//! unit takes its best column if that column has room, and may outbid the single occupant of a
//! full one-slot column by raising its price to the bidder's second-best value; the outbid unit
//! bids again at once. Each unit remembers its best edges from its last full scan (selected
//! through `top_k.rs`) and a bound on all others, so a re-bid rarely rescans its edges.
//!
//! Invariants: each step keeps the optimality conditions of `exact.rs` (a price rises only
//! to the level that leaves the bidder indifferent to its second choice); what this phase
//! cannot place (multi-slot columns, ties, an exhausted budget) is deferred to the shortest
//! paths, never guessed; scans keep the first of equal values, so ties break by edge order.

use super::exact::{Exact, CACHED, UNSCANNED};
use super::orientation::EdgeStore;
use super::NONE;
use crate::matching::top_k::MISSING;

/// Outcome of one augmenting-row-reduction step.
pub(super) enum Reduce {
    /// The unit is placed (or finally unassigned).
    Done,
    /// This unit needs the exact search (or the next round).
    Defer(u32),
    /// This unit was just outbid and should bid again immediately.
    Again(u32),
}

impl<E: EdgeStore> Exact<'_, E> {
    /// The best and second-best edges of unit `u` at current prices, each as
    /// `(value, column, weight)` with column NONE (and value `i64::MIN`) when missing.
    ///
    /// A unit that was just outbid usually finds its answer among the few edges it
    /// remembered from its last full scan: if the second of them is still worth at least the
    /// bound on all the others, no other edge can be better, and the scan is skipped.
    fn best_two(&mut self, u: u32) -> [(i64, u32, i64); 2] {
        let ui = u as usize;
        let bound = self.bound[ui];
        if bound != UNSCANNED {
            self.work += CACHED;
            let cache = &self.cache[ui];
            let (mut v0, mut k0, mut v1, mut k1) = (i64::MIN, CACHED, i64::MIN, CACHED);
            for (k, &(c, w)) in cache.iter().enumerate() {
                if c == NONE {
                    break;
                }
                let v = w - self.price[c as usize];
                // Insertion into the top two, written for conditional moves: the outcome is
                // data-dependent, so branches here were mispredicted.
                let (above0, above1) = (v > v0, v > v1);
                (v1, k1) = if above0 {
                    (v0, k0)
                } else if above1 {
                    (v, k)
                } else {
                    (v1, k1)
                };
                (v0, k0) = if above0 { (v, k) } else { (v0, k0) };
            }
            if v1 >= bound {
                let pick = |v: i64, k: usize| match cache.get(k) {
                    Some(&(c, w)) => (v, c, w),
                    None => (i64::MIN, NONE, 0),
                };
                return [pick(v0, k0), pick(v1, k1)];
            }
        }
        // Full scan keeping the CACHED best in decreasing order of value; ties keep the
        // earlier edge.
        let range = self.edges(u);
        self.work += range.len() + 1;
        let price = &self.price;
        let best =
            self.top.select::<{ CACHED + 1 }>(self.edges.iter(range.clone()).map(|(c, w)| w - price[c as usize]));
        let top = best.map(|(v, k)| {
            if k == MISSING {
                (i64::MIN, NONE, 0)
            } else {
                let (c, w) = self.edges.get(range.start + k as usize);
                (v, c, w)
            }
        });
        let mut cache = [(NONE, 0); CACHED];
        for (slot, &(_, c, w)) in cache.iter_mut().zip(&top[..CACHED]) {
            *slot = (c, w);
        }
        self.cache[ui] = cache;
        // With no edge beyond the cached ones, nothing else can ever compete.
        self.bound[ui] = if top[CACHED].1 == NONE { i64::MIN } else { top[CACHED].0 };
        [top[0], top[1]]
    }

    /// One auction-like step for the unassigned unit `u` (see [`Reduce`]).
    pub(super) fn reduce_row(&mut self, u: u32) -> Reduce {
        let [(b1, c1, w1), (b2, c2, w2)] = self.best_two(u);
        if b1 <= 0 {
            // Staying unassigned is at least as good as any column at these prices, and prices
            // only rise, so this is final.
            return Reduce::Done;
        }
        if self.has_room(c1) {
            self.attach(u, c1, w1);
            return Reduce::Done;
        }
        let second = b2.max(0);
        if b1 == second && c2 != NONE && self.has_room(c2) {
            self.attach(u, c2, w2);
            return Reduce::Done;
        }
        if self.cap[c1 as usize] != 1 {
            // Outbidding one unit of a multi-slot column would change the value of all its
            // units; the exact search handles those.
            return Reduce::Defer(u);
        }
        // Single slot: `u` takes the occupant's place in it.
        let slot = self.slot_start[c1 as usize];
        let occupant = self.slot_unit[slot as usize];
        self.slot_unit[slot as usize] = u;
        self.unit_slot[u as usize] = slot;
        self.unit_col[u as usize] = c1;
        self.unit_weight[u as usize] = w1;
        self.unit_col[occupant as usize] = NONE;
        self.unit_slot[occupant as usize] = NONE;
        if b1 > second {
            // Raise the price until `u` is indifferent to its second choice: `u` stays on a
            // best column, every other unit's values only drop on this column.
            self.price[c1 as usize] += b1 - second;
            Reduce::Again(occupant)
        } else {
            Reduce::Defer(occupant)
        }
    }
}
