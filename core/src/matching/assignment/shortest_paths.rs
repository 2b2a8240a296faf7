//! Phase 5, successive shortest augmenting paths: for each unit the reduction left pending, a
//! Dijkstra over columns by reduced costs (a radix heap, `radix_heap.rs`, ordered by
//! `(distance, column)`), relaxing the edges of the units on each settled column. A path ends at
//! a column with a free slot, at "the source unit stays unassigned", or by pushing a unit on the
//! path out to "unassigned"; the settled columns' prices are then raised.
//!
//! Invariants: reduced costs stay non-negative, so every search is exact and the optimality
//! conditions of `exact.rs` hold after each augmentation; a unit's cached edges stand for all
//! its edges only when its bound shows the rest cannot get below the best end found (which
//! only falls during a search); the search scratch is reset through `touched` afterwards.

use super::exact::{Exact, UNSCANNED};
use super::orientation::EdgeStore;
use super::{INF, NONE};

/// The cheapest way found so far to end the current search, and its distance.
#[derive(Clone, Copy)]
struct Found {
    best: i64,
    end: PathEnd,
}

/// Where a shortest augmenting path ends.
#[derive(Clone, Copy)]
enum PathEnd {
    /// The source unit stays unassigned.
    Source,
    /// At a column with a free slot.
    FreeColumn(u32),
    /// A unit on the path is pushed out to "unassigned".
    Evict(u32),
}

impl<E: EdgeStore> Exact<'_, E> {
    /// Shortest augmenting path from the unassigned unit `s`, then augmentation and price
    /// update.
    pub(super) fn augment_from(&mut self, s: u32) {
        // Profit of `s` at current prices: with it as the potential of `s`, all distances are
        // non-negative and "stay unassigned" costs exactly `profit`.
        let range = self.edges(s);
        let mut profit = 0i64;
        for (c, w) in self.edges.iter(range) {
            profit = profit.max(w - self.price[c as usize]);
        }
        let mut found = Found { best: profit, end: PathEnd::Source };
        self.relax_all(s, profit, NONE, &mut found);
        while let Some((d, j)) = self.heap.pop() {
            if d >= found.best {
                break;
            }
            if d > self.dist[j as usize] {
                continue; // stale entry
            }
            self.settled.push(j);
            let first = self.slot_start[j as usize];
            for slot in first..first + self.used[j as usize] {
                let i = self.slot_unit[slot as usize];
                let base = d + self.unit_weight[i as usize] - self.price[j as usize];
                if base < found.best {
                    found = Found { best: base, end: PathEnd::Evict(i) };
                }
                self.relax_all(i, base, j, &mut found);
            }
        }
        // Potentials: settled columns move by (best - dist) so every reduced cost stays >= 0.
        for &j in &self.settled {
            self.price[j as usize] += found.best - self.dist[j as usize];
        }
        let mut cur = match found.end {
            PathEnd::Source => NONE,
            PathEnd::FreeColumn(c) => c,
            PathEnd::Evict(i) => {
                let c = self.unit_col[i as usize];
                self.detach(i);
                c
            }
        };
        while cur != NONE {
            let u = self.pred_unit[cur as usize];
            let w = self.pred_weight[cur as usize];
            let old = self.unit_col[u as usize];
            if old != NONE {
                self.detach(u);
            }
            self.attach(u, cur, w);
            cur = if u == s { NONE } else { old };
        }
        for &c in &self.touched {
            self.dist[c as usize] = INF;
        }
        self.touched.clear();
        self.settled.clear();
        self.heap.clear();
    }

    /// Relaxes the edges of unit `i` reached at `base` (its distance plus its profit),
    /// skipping its own column `skip`.
    ///
    /// An edge worth `v` leads to distance `base - v`, useful only below `best`. The unit's
    /// remembered bound covers every edge outside its cache, so when even the bound cannot get
    /// below `best` only the cached edges are looked at; `best` only falls, so the skipped
    /// edges can never become useful later in this search.
    #[inline(always)]
    fn relax_all(&mut self, i: u32, base: i64, skip: u32, found: &mut Found) {
        let bound = self.bound[i as usize];
        if bound != UNSCANNED && (bound == i64::MIN || base - bound >= found.best) {
            let cache = self.cache[i as usize];
            for &(c, w) in &cache {
                if c == NONE {
                    break;
                }
                self.relax(i, c, w, base, skip, found);
            }
            return;
        }
        for (c, w) in self.edges.iter(self.edges(i)) {
            self.relax(i, c, w, base, skip, found);
        }
    }

    /// Relaxes the edge of unit `i` to column `c` (weight `w`); see [`Exact::relax_all`].
    #[inline(always)]
    fn relax(&mut self, i: u32, c: u32, w: i64, base: i64, skip: u32, found: &mut Found) {
        let ci = c as usize;
        let nd = base - (w - self.price[ci]);
        if nd >= found.best || nd >= self.dist[ci] || c == skip {
            return;
        }
        if self.dist[ci] == INF {
            self.touched.push(c);
        }
        self.dist[ci] = nd;
        self.pred_unit[ci] = i;
        self.pred_weight[ci] = w;
        if self.used[ci] < self.cap[ci] {
            // A free slot ends the path here; its price is 0 so the end costs exactly `nd`.
            *found = Found { best: nd, end: PathEnd::FreeColumn(c) };
        } else {
            self.heap.push(nd, c);
        }
    }
}
