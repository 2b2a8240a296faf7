//! Exact, deterministic maximum-weight assignment of tasks to agents with capacities.
//!
//! The batch-matching mode of the market reduces to this problem: many open tasks, many agents,
//! a list of feasible (task, agent) pairs with an integer fit weight, and a capacity per agent
//! (how many tasks it may take at once). [`solve`] returns a maximum-total-weight assignment
//! in which each task gets at most one agent and each agent at most its capacity.
//!
//! # Algorithm ([`solve`])
//!
//! The problem is a min-cost flow (source → task → agent → sink, plus a zero-cost "stay
//! unassigned" arc per task) solved by successive shortest augmenting paths with Dijkstra over
//! reduced costs: the Jonker–Volgenant scheme, generalised to capacities and optional
//! assignment. It is written in the *price* form of the LP duals: every column carries a price
//! `p >= 0`, every assigned row sits on a column that maximises `weight - price` for it, that
//! best value is `>= 0`, and a column with a free slot has price 0. Those are the optimality
//! conditions of the b-matching LP, so once every row is processed the result is optimal.
//!
//! 1. **Canonical form.** Candidates are validated, sorted by `(task, agent)` and stripped of
//!    pairs that can never be chosen (weight `<= 0`, agent capacity 0). Input that is already
//!    sorted and useful (the usual case) is borrowed as is: no sort, no copy.
//! 2. **Orientation.** Rows are processed one unit at a time; structure shared along a row
//!    (a task every agent likes) is absorbed for free, while structure shared along a column
//!    (an agent every task likes) must be learnt through prices that start at 0. So the side
//!    whose best weights vary more becomes the rows: the tasks (columns = agents with their
//!    capacities), or the agents' slots (an agent of capacity `c` becomes `c` identical rows,
//!    columns = tasks). Both orientations are exact; only the speed differs.
//! 3. **Components.** Union-find over the pairs splits the instance into independent connected
//!    components, each solved on its own over a contiguous range of rows.
//! 4. **Augmenting row reduction** (the auction-like phase of Jonker–Volgenant with a work
//!    budget): a row takes its best column if that column has room, and may outbid the single
//!    occupant of a full one-slot column by raising its price to the bidder's second-best
//!    value, which keeps the conditions above intact. Each row remembers its few best edges
//!    and a bound on all others from its last full scan (selected with few unpredictable
//!    branches, `top_k.rs`); prices only rise, so an outbid row can usually re-bid from that
//!    memory without rescanning its edges.
//! 5. **Shortest augmenting paths** for the rows still pending: Dijkstra over columns with a
//!    radix heap (`radix_heap.rs`), relaxing the edges of the rows that sit on each settled column (skipping
//!    all but a row's remembered edges when its bound shows the rest cannot help). A path ends
//!    at a column with a free slot, at "this row stays unassigned", or by pushing a row on the
//!    path out to "unassigned"; settled columns' prices are then raised so that all reduced
//!    costs stay non-negative.
//!
//! Scratch memory is allocated once per call; the searches reuse it.
//!
//! # Determinism and tie-breaks
//!
//! The result is a function of the *set* of candidates only, never of their order in the
//! input: everything works on the canonical `(task, agent)` order; the orientation is chosen
//! from that data; rows are processed in increasing id order within a component; every scan
//! goes in increasing id order and keeps the first of equal values; the heap orders by
//! `(distance, column)`. Among several optimal assignments, these rules fix which one is
//! returned. No hashing and no randomness; floating point only inside the orientation choice,
//! using IEEE basic operations, which give the same bits natively and in WebAssembly.
//!
//! # Dense benchmark solver
//!
//! [`solve_dense_min_cost`] solves the classic rectangular linear sum assignment problem
//! (scipy's `linear_sum_assignment` semantics) on a full cost matrix with the
//! Jonker–Volgenant algorithm: column reduction and reduction transfer (square matrices
//! only), augmenting row reduction, then shortest augmenting paths over the dense matrix.
//!
//! # Files
//!
//! One file per phase, in the order a call runs them: `canonical.rs` (1), `orientation.rs` (2),
//! `components.rs` (3), `exact.rs` (the solver's state and the per-component driver of 4 and
//! 5), `reduction.rs` (4), `shortest_paths.rs` (5); then the two other solvers, `greedy.rs`
//! ([`solve_greedy`]) and `dense.rs` ([`solve_dense_min_cost`]), and the tests (`tests.rs`).
//! This file holds the public types and [`solve`], which chains the phases.

mod canonical;
mod components;
mod dense;
mod exact;
mod greedy;
mod orientation;
mod reduction;
mod shortest_paths;
#[cfg(test)]
mod tests;

use canonical::canonicalize;
use components::{run_components, unit_graph};
pub use dense::solve_dense_min_cost;
pub use greedy::solve_greedy;
use orientation::{choose_rows, Rows, TaskEdge};

/// Largest accepted absolute value of a weight or cost: `2^53 - 1`.
///
/// This is JavaScript's `Number.MAX_SAFE_INTEGER`, so every accepted weight survives a trip
/// through the WebAssembly boundary unchanged, and every intermediate value of the solvers
/// (at most a small multiple of the largest weight) stays far from `i64` overflow.
pub const MAX_ABS_WEIGHT: i64 = (1 << 53) - 1;

/// Placeholder in the result of [`solve_dense_min_cost`] for a row left without a column
/// (only possible when there are more rows than columns).
pub const UNASSIGNED: usize = usize::MAX;

/// Internal "no index" marker for `u32` indices; validation keeps every real index below it.
const NONE: u32 = u32::MAX;

/// Distance of a node not yet reached by a search.
const INF: i64 = i64::MAX;

/// One feasible (task, agent) pair and its integer weight (higher is better).
///
/// Pairs with a weight `<= 0` are accepted (and validated) but never chosen: assigning them
/// cannot raise the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Candidate {
    /// Task index, `< AssignmentProblem::tasks`.
    pub task: u32,
    /// Agent index, `< AssignmentProblem::agent_capacities.len()`.
    pub agent: u32,
    /// Gain of giving this task to this agent; `|weight| <= MAX_ABS_WEIGHT`.
    pub weight: i64,
}

/// A batch assignment instance: tasks, agents with capacities, and the feasible pairs.
#[derive(Debug, Clone, Copy)]
pub struct AssignmentProblem<'a> {
    /// Number of tasks; tasks are `0..tasks`.
    pub tasks: u32,
    /// Capacity of each agent (how many tasks it may take); agents are `0..len()`.
    pub agent_capacities: &'a [u32],
    /// The feasible pairs, in any order; a pair may appear at most once.
    pub candidates: &'a [Candidate],
}

/// The chosen pairs and their total weight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assignment {
    /// Chosen `(task, agent)` pairs, sorted by task (each task appears at most once).
    pub pairs: Vec<(u32, u32)>,
    /// Sum of the weights of the chosen pairs.
    pub total_weight: i64,
}

/// Why an instance was refused. Every input either solves or yields one of these; nothing
/// panics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AssignmentError {
    /// A candidate names a task outside `0..tasks`.
    #[error("candidate {index} names task {task}, but the problem has {tasks} tasks")]
    TaskOutOfRange {
        /// Position of the candidate in the input slice.
        index: usize,
        /// The task it names.
        task: u32,
        /// The problem's task count.
        tasks: u32,
    },
    /// A candidate names an agent outside `0..agent_capacities.len()`.
    #[error("candidate {index} names agent {agent}, but only {agents} agents have a capacity")]
    AgentOutOfRange {
        /// Position of the candidate in the input slice.
        index: usize,
        /// The agent it names.
        agent: u32,
        /// Number of agents (length of `agent_capacities`).
        agents: usize,
    },
    /// The same (task, agent) pair is listed twice.
    #[error("candidates {first} and {second} both list the pair (task {task}, agent {agent})")]
    DuplicatePair {
        /// Position of the first occurrence.
        first: usize,
        /// Position of the second occurrence.
        second: usize,
        /// The repeated task.
        task: u32,
        /// The repeated agent.
        agent: u32,
    },
    /// A weight's magnitude exceeds [`MAX_ABS_WEIGHT`].
    #[error("candidate {index} has weight {weight}, beyond the bound of ±{MAX_ABS_WEIGHT}")]
    WeightOutOfRange {
        /// Position of the candidate in the input slice.
        index: usize,
        /// The offending weight.
        weight: i64,
    },
    /// A cost's magnitude exceeds [`MAX_ABS_WEIGHT`].
    #[error("cost entry {index} is {cost}, beyond the bound of ±{MAX_ABS_WEIGHT}")]
    CostOutOfRange {
        /// Row-major position of the entry.
        index: usize,
        /// The offending cost.
        cost: i64,
    },
    /// The best conceivable total (each task's largest weight, or the smaller side times the
    /// largest |cost|) does not fit in an `i64`.
    #[error("the weights are too large: their total could overflow a 64-bit integer")]
    TotalOverflow,
    /// More candidates or agents than the solver indexes (`u32::MAX - 1`).
    #[error("{count} {what} exceed the supported maximum of {max}")]
    TooLarge {
        /// What is too numerous: `"candidates"` or `"agents"`.
        what: &'static str,
        /// Number given.
        count: usize,
        /// Largest supported number.
        max: usize,
    },
    /// The cost slice does not hold `rows * cols` entries, or a dimension is not below
    /// `u32::MAX`.
    #[error("a {rows}x{cols} cost matrix cannot be read from {len} entries")]
    BadDimensions {
        /// Declared rows.
        rows: usize,
        /// Declared columns.
        cols: usize,
        /// Length of the cost slice.
        len: usize,
    },
}

/// Maximum-weight assignment: each task gets at most one agent, agent `j` gets at most
/// `agent_capacities[j]` tasks, only listed candidate pairs are used, and the total weight is
/// as large as possible (an exact optimum).
///
/// Tasks may stay unassigned. Pairs with weight `<= 0` are never chosen (they cannot raise the
/// total); among optimal solutions the result depends only on the set of candidates, not on
/// their order (see the module documentation for the exact tie-break rule).
///
/// ```
/// use gigmarket::matching::assignment::{solve, AssignmentProblem, Candidate};
///
/// let candidates = [
///     Candidate { task: 0, agent: 0, weight: 10 },
///     Candidate { task: 0, agent: 1, weight: 9 },
///     Candidate { task: 1, agent: 0, weight: 8 },
/// ];
/// let problem = AssignmentProblem { tasks: 2, agent_capacities: &[1, 1], candidates: &candidates };
/// let best = solve(&problem)?;
/// assert_eq!(best.pairs, vec![(0, 1), (1, 0)]);
/// assert_eq!(best.total_weight, 17);
/// # Ok::<(), gigmarket::matching::assignment::AssignmentError>(())
/// ```
///
/// # Errors
///
/// [`AssignmentError::TaskOutOfRange`], [`AssignmentError::AgentOutOfRange`],
/// [`AssignmentError::WeightOutOfRange`] (|weight| > [`MAX_ABS_WEIGHT`]),
/// [`AssignmentError::DuplicatePair`], [`AssignmentError::TotalOverflow`] (the sum over tasks
/// of each task's largest positive weight exceeds `i64::MAX`) and
/// [`AssignmentError::TooLarge`]. The first rule broken, scanning candidates in input order,
/// is reported (duplicates are looked for once all candidates pass the per-pair checks).
pub fn solve(problem: &AssignmentProblem) -> Result<Assignment, AssignmentError> {
    solve_with(problem, 4, None)
}

/// [`solve`] with the reduction rounds and the orientation forced (for tests).
fn solve_with(
    problem: &AssignmentProblem,
    reduction_rounds: usize,
    rows: Option<Rows>,
) -> Result<Assignment, AssignmentError> {
    let canon = canonicalize(problem)?;
    let capacities = problem.agent_capacities;
    let nt = canon.tasks();
    let degree = &canon.degree;
    let rows = rows.unwrap_or_else(|| choose_rows(&canon, capacities));
    // Agent and weight of each task's pair, whichever orientation solved it.
    let mut task_agent = vec![NONE; nt];
    let mut task_weight = vec![0i64; nt];
    match rows {
        Rows::Tasks => {
            let cap = degree.iter().zip(capacities).map(|(&d, &c)| d.min(c)).collect();
            let g = unit_graph(&canon.start, &*canon.edges, |_| 1, cap);
            let solver = run_components(&g, reduction_rounds);
            for (u, &t) in g.row.iter().enumerate() {
                task_agent[t as usize] = solver.unit_col[u];
                task_weight[t as usize] = solver.unit_weight[u];
            }
        }
        Rows::Agents => {
            // Transpose to compressed sparse rows by agent (tasks stay in increasing order).
            let mut start = Vec::with_capacity(capacities.len() + 1);
            let mut total = 0u32;
            start.push(0u32);
            for &d in degree {
                total += d;
                start.push(total);
            }
            let mut fill = start.clone();
            let mut edges = vec![TaskEdge { task: 0, weight: 0 }; canon.edges.len()];
            for t in 0..nt {
                for c in &canon.edges[canon.start[t] as usize..canon.start[t + 1] as usize] {
                    let p = &mut fill[c.agent as usize];
                    edges[*p as usize] = TaskEdge { task: t as u32, weight: c.weight };
                    *p += 1;
                }
            }
            let mult = |a: usize| degree[a].min(capacities[a]);
            let g = unit_graph(&start, &*edges, mult, vec![1; nt]);
            let solver = run_components(&g, reduction_rounds);
            for (u, &a) in g.row.iter().enumerate() {
                let t = solver.unit_col[u];
                if t != NONE {
                    task_agent[t as usize] = a;
                    task_weight[t as usize] = solver.unit_weight[u];
                }
            }
        }
    }
    let mut pairs = Vec::new();
    let mut total = 0i64;
    for t in 0..nt {
        if task_agent[t] != NONE {
            pairs.push((canon.task_id(t), task_agent[t]));
            // Cannot overflow: validation bounded the sum of every task's largest weight.
            total += task_weight[t];
        }
    }
    Ok(Assignment { pairs, total_weight: total })
}
