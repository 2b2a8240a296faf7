//! Phase 2, orientation: which side the exact solver processes one unit at a time (its rows),
//! and the edges as it reads them in either orientation ([`EdgeStore`]: the caller's candidates
//! with tasks as rows, [`TaskEdge`]s with agents' slots as rows).
//!
//! Invariants: both orientations give an optimal assignment (only speed differs); the choice
//! is a deterministic function of the canonical edges (IEEE basic operations only, the same
//! bits natively and in WebAssembly).

use super::canonical::Canonical;
use super::Candidate;

/// The edges as the exact solver reads them: `(column, weight)` by index range.
pub(super) trait EdgeStore: Copy {
    /// `(column, weight)` of the edges in `range`, in order.
    fn iter(self, range: std::ops::Range<usize>) -> impl ExactSizeIterator<Item = (u32, i64)>;
    /// `(column, weight)` of edge `e`.
    fn get(self, e: usize) -> (u32, i64);
}

/// With tasks as rows, the caller's candidates are the edges and agents the columns.
impl EdgeStore for &[Candidate] {
    #[inline]
    fn iter(self, range: std::ops::Range<usize>) -> impl ExactSizeIterator<Item = (u32, i64)> {
        self[range].iter().map(|c| (c.agent, c.weight))
    }
    #[inline]
    fn get(self, e: usize) -> (u32, i64) {
        (self[e].agent, self[e].weight)
    }
}

/// With agents as rows, edges lead to (compressed) tasks.
#[derive(Clone, Copy)]
pub(super) struct TaskEdge {
    pub(super) task: u32,
    pub(super) weight: i64,
}

impl EdgeStore for &[TaskEdge] {
    #[inline]
    fn iter(self, range: std::ops::Range<usize>) -> impl ExactSizeIterator<Item = (u32, i64)> {
        self[range].iter().map(|e| (e.task, e.weight))
    }
    #[inline]
    fn get(self, e: usize) -> (u32, i64) {
        (self[e].task, self[e].weight)
    }
}

/// Which side the exact solver processes one unit at a time (its "rows").
///
/// Both choices give an optimal assignment; they differ in speed. Structure shared along a row
/// (with task rows: a task that every agent values highly) is absorbed for free, because each
/// search starts from its row's own best value, while structure shared along a column (an
/// agent that every task values highly) has to be learnt through prices starting from 0. So
/// the side with more shared structure should be the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rows {
    /// Rows are tasks, columns are agents with their capacities.
    Tasks,
    /// Rows are agent slots (one per unit of effective capacity), columns are tasks.
    Agents,
}

/// Deterministic choice of [`Rows`]: agents become the rows when the spread (variance) of the
/// agents' best weights exceeds that of the tasks' best weights (with weights shaped like
/// `a[task] + b[agent] + noise`, these spreads follow `a` and `b`), unless expanding agents
/// into slots would more than double the edges to scan.
pub(super) fn choose_rows(canon: &Canonical, capacities: &[u32]) -> Rows {
    // Floating point is only used for this speed heuristic; IEEE arithmetic without fused
    // operations is reproducible on every platform, so the choice stays deterministic.
    fn variance(values: impl Iterator<Item = f64>) -> f64 {
        let (mut n, mut sum, mut sq) = (0f64, 0f64, 0f64);
        for v in values {
            n += 1.0;
            sum += v;
            sq += v * v;
        }
        if n == 0.0 {
            0.0
        } else {
            sq / n - (sum / n) * (sum / n)
        }
    }
    let degree = &canon.degree;
    let edges = canon.edges.len() as u64;
    let expanded: u64 = degree
        .iter()
        .zip(capacities)
        .map(|(&d, &c)| u64::from(d) * u64::from(d.min(c)))
        .fold(0u64, u64::saturating_add);
    if expanded > 2 * edges {
        return Rows::Tasks;
    }
    let agent_var = variance(degree.iter().zip(&canon.agent_max).filter(|(&d, _)| d > 0).map(|(_, &m)| m as f64));
    let task_var = variance(canon.task_max.iter().map(|&m| m as f64));
    if agent_var > task_var {
        Rows::Agents
    } else {
        Rows::Tasks
    }
}
