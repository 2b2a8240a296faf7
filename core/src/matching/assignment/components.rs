//! Phase 3, components: union-find over the pairs splits the instance into independent
//! connected components, laid out as a [`UnitGraph`] (each component a contiguous range of
//! units: tasks, or agent slots), and [`run_components`] solves each on its own.
//!
//! Invariants: no edge joins two components, so solving them separately is exact; units keep
//! increasing row order within a component and components are numbered by first appearance,
//! which fixes the processing order (their order cannot change the result).

use super::exact::Exact;
use super::orientation::EdgeStore;
use super::NONE;

/// Union-find with path halving and union by size.
struct DisjointSets {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets { parent: (0..n).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            let grand = self.parent[self.parent[x]];
            self.parent[x] = grand;
            x = grand;
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        if self.size[ra] < self.size[rb] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb] = ra;
        self.size[ra] += self.size[rb];
    }
}

/// The instance as the exact solver sees it: units (tasks, or agent slots) with their edge
/// ranges, grouped so that each connected component is a contiguous range of units.
pub(super) struct UnitGraph<E> {
    /// Edges of unit `u` are `first[u]..last[u]` in `edges`.
    pub(super) first: Vec<u32>,
    pub(super) last: Vec<u32>,
    /// Row entity of each unit: the compressed task, or the agent id.
    pub(super) row: Vec<u32>,
    /// `comp[c]..comp[c + 1]` are the units of component `c`.
    pub(super) comp: Vec<u32>,
    pub(super) edges: E,
    /// Effective capacity of each column.
    pub(super) cap: Vec<u32>,
}

/// Builds the unit graph from a CSR over row entities (`row_start`, `edges`) where row
/// entity `r` contributes `mult(r)` units.
pub(super) fn unit_graph<E: EdgeStore>(
    row_start: &[u32],
    edges: E,
    mult: impl Fn(usize) -> u32,
    cap: Vec<u32>,
) -> UnitGraph<E> {
    let rows = row_start.len() - 1;
    let mut sets = DisjointSets::new(rows + cap.len());
    for r in 0..rows {
        let mut root = sets.find(r);
        for (col, _) in edges.iter(row_start[r] as usize..row_start[r + 1] as usize) {
            // Most edges of a dense-ish component already share the root: skip the union.
            let c = rows + col as usize;
            if sets.parent[c] != root {
                sets.union(root, c);
                root = sets.find(root);
            }
        }
    }
    // Component of each row entity with units, numbered in order of first appearance;
    // components never interact, so their order does not affect the result.
    let mut comp_of_root = vec![NONE; rows + cap.len()];
    let mut row_comp = vec![NONE; rows];
    let mut comp_units: Vec<u32> = Vec::new();
    for (r, rc) in row_comp.iter_mut().enumerate() {
        let m = mult(r);
        if m == 0 {
            continue;
        }
        let root = sets.find(r);
        if comp_of_root[root] == NONE {
            comp_of_root[root] = comp_units.len() as u32;
            comp_units.push(0);
        }
        *rc = comp_of_root[root];
        comp_units[*rc as usize] += m;
    }
    let mut comp = Vec::with_capacity(comp_units.len() + 1);
    comp.push(0u32);
    for &n in &comp_units {
        comp.push(comp[comp.len() - 1] + n);
    }
    let units = comp[comp.len() - 1] as usize;
    let (mut first, mut last, mut row_of) = (vec![0u32; units], vec![0u32; units], vec![0u32; units]);
    let mut next = comp.clone();
    for (r, &c) in row_comp.iter().enumerate() {
        if c == NONE {
            continue;
        }
        for _ in 0..mult(r) {
            let u = next[c as usize] as usize;
            next[c as usize] += 1;
            first[u] = row_start[r];
            last[u] = row_start[r + 1];
            row_of[u] = r as u32;
        }
    }
    UnitGraph { first, last, row: row_of, comp, edges, cap }
}

/// Runs the exact solver on every component of `g`.
pub(super) fn run_components<E: EdgeStore>(g: &UnitGraph<E>, reduction_rounds: usize) -> Exact<'_, E> {
    let mut solver = Exact::new(g);
    for c in g.comp.windows(2) {
        solver.solve_component(c[0]..c[1], reduction_rounds);
    }
    solver
}
