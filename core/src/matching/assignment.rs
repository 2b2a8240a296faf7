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

use super::radix_heap::RadixHeap;
use super::top_k::{TopK, MISSING};
use std::borrow::Cow;

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

// ---------------------------------------------------------------------------------------------
// Validation and canonical form of the sparse input.
// ---------------------------------------------------------------------------------------------

/// The useful candidates in canonical order: sorted by (task, agent), weight `> 0`, agent
/// capacity `> 0`. Borrowed from the caller when the input already has that form (the usual
/// case), so no copy is made.
struct Canonical<'a> {
    edges: Cow<'a, [Candidate]>,
    /// Edges of the `t`-th task that has any are `start[t]..start[t + 1]`.
    start: Vec<u32>,
    /// Number of useful edges of each agent.
    degree: Vec<u32>,
    /// Largest useful weight of each agent (for [`choose_rows`] only).
    agent_max: Vec<i64>,
    /// Largest useful weight of each task (for [`choose_rows`] only).
    task_max: Vec<i64>,
}

impl Canonical<'_> {
    fn tasks(&self) -> usize {
        self.start.len() - 1
    }

    /// Original id of the `t`-th task.
    fn task_id(&self, t: usize) -> u32 {
        self.edges[self.start[t] as usize].task
    }
}

/// What later stages need per task and per agent, and the bound on any total (each task adds at
/// most its largest weight), gathered in one pass over edges in canonical order. (Only integer
/// max/add here: a floating-point running sum would be a serial dependency chain through every
/// edge.)
struct Shape {
    start: Vec<u32>,
    degree: Vec<u32>,
    agent_max: Vec<i64>,
    task_max: Vec<i64>,
    /// Sum of the largest weights of the tasks finished so far.
    bound: i64,
    overflowed: bool,
    /// The current task and its largest weight so far.
    task: u32,
    running: i64,
}

impl Shape {
    fn new(agents: usize, first: Option<&Candidate>) -> Shape {
        Shape {
            start: vec![0],
            degree: vec![0; agents],
            agent_max: vec![0; agents],
            task_max: Vec::new(),
            bound: 0,
            overflowed: false,
            task: first.map_or(0, |c| c.task),
            running: 0,
        }
    }

    /// Edge number `e`, `c`, whose agent is in range.
    #[inline(always)]
    fn add(&mut self, e: usize, c: &Candidate) {
        if c.task != self.task {
            self.start.push(e as u32);
            self.task_max.push(self.running);
            match self.bound.checked_add(self.running) {
                Some(b) => self.bound = b,
                None => self.overflowed = true,
            }
            (self.running, self.task) = (0, c.task);
        }
        self.running = self.running.max(c.weight);
        self.degree[c.agent as usize] += 1;
        let m = &mut self.agent_max[c.agent as usize];
        *m = (*m).max(c.weight);
    }
}

/// Checks every rule of the sparse input and returns the useful pairs sorted by (task, agent).
fn canonicalize<'a>(problem: &AssignmentProblem<'a>) -> Result<Canonical<'a>, AssignmentError> {
    let cands = problem.candidates;
    let capacities = problem.agent_capacities;
    let agents = capacities.len();
    // Indices are kept in u32 throughout, with u32::MAX reserved as "none".
    let max = (u32::MAX - 1) as usize;
    if cands.len() > max {
        return Err(AssignmentError::TooLarge { what: "candidates", count: cands.len(), max });
    }
    if agents > max {
        return Err(AssignmentError::TooLarge { what: "agents", count: agents, max });
    }
    let key = |c: &Candidate| (u64::from(c.task) << 32) | u64::from(c.agent);
    // Callers usually build candidates task by task from feasible pairs; the checks for that
    // ride along with validation so the common case needs neither a sort nor a copy, and so
    // does gathering the shape of the edges: one pass over memory instead of two (redone
    // below when the input needed sorting or filtering).
    let mut presorted = true;
    let mut all_positive = true;
    // Smallest key the next candidate may have to keep the order strictly increasing (keys are
    // below u64::MAX, so the increment cannot overflow).
    let mut next_key = 0u64;
    let mut shape = Shape::new(agents, cands.first());
    for (index, c) in cands.iter().enumerate() {
        if c.task >= problem.tasks {
            return Err(AssignmentError::TaskOutOfRange { index, task: c.task, tasks: problem.tasks });
        }
        if c.agent as usize >= agents {
            return Err(AssignmentError::AgentOutOfRange { index, agent: c.agent, agents });
        }
        // One test for the usual case, a weight in 1..=MAX_ABS_WEIGHT (wrapping sends 0 and
        // every negative weight to the top of the u64 range).
        if c.weight.wrapping_sub(1) as u64 >= MAX_ABS_WEIGHT as u64 {
            if c.weight.unsigned_abs() > MAX_ABS_WEIGHT as u64 {
                return Err(AssignmentError::WeightOutOfRange { index, weight: c.weight });
            }
            all_positive = false;
        }
        let k = key(c);
        presorted &= k >= next_key;
        next_key = k + 1;
        shape.add(index, c);
    }
    // Pairs that can never be chosen are dropped so no later stage sees them. (Agents without
    // capacity are found from the degrees, once per agent instead of once per pair.)
    let all_useful = all_positive && shape.degree.iter().zip(capacities).all(|(&d, &cap)| d == 0 || cap > 0);
    let useful = |c: &&Candidate| c.weight > 0 && capacities[c.agent as usize] > 0;
    let edges: Cow<'a, [Candidate]> = if presorted && all_useful {
        Cow::Borrowed(cands)
    } else if presorted {
        Cow::Owned(cands.iter().filter(useful).copied().collect())
    } else {
        let mut keyed: Vec<(u64, u32)> = cands.iter().enumerate().map(|(i, c)| (key(c), i as u32)).collect();
        // Keys with the index appended are unique, so the unstable sort is deterministic.
        keyed.sort_unstable();
        for w in keyed.windows(2) {
            if w[0].0 == w[1].0 {
                let c = &cands[w[0].1 as usize];
                return Err(AssignmentError::DuplicatePair {
                    first: w[0].1 as usize,
                    second: w[1].1 as usize,
                    task: c.task,
                    agent: c.agent,
                });
            }
        }
        Cow::Owned(keyed.iter().map(|&(_, i)| &cands[i as usize]).filter(useful).copied().collect())
    };
    if !(presorted && all_useful) {
        shape = Shape::new(agents, edges.first());
        for (e, c) in edges.iter().enumerate() {
            shape.add(e, c);
        }
    }
    let Shape { mut start, degree, agent_max, task_max: mut task_maxima, bound, running, overflowed, .. } = shape;
    if !edges.is_empty() {
        start.push(edges.len() as u32);
        task_maxima.push(running);
    }
    if overflowed || bound.checked_add(running).is_none() {
        return Err(AssignmentError::TotalOverflow);
    }
    Ok(Canonical { edges, start, degree, agent_max, task_max: task_maxima })
}

// ---------------------------------------------------------------------------------------------
// Orientation, components and the unit graph.
// ---------------------------------------------------------------------------------------------

/// The edges as the exact solver reads them: `(column, weight)` by index range.
trait EdgeStore: Copy {
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
struct TaskEdge {
    task: u32,
    weight: i64,
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
enum Rows {
    /// Rows are tasks, columns are agents with their capacities.
    Tasks,
    /// Rows are agent slots (one per unit of effective capacity), columns are tasks.
    Agents,
}

/// Deterministic choice of [`Rows`]: agents become the rows when the spread (variance) of the
/// agents' best weights exceeds that of the tasks' best weights (with weights shaped like
/// `a[task] + b[agent] + noise`, these spreads follow `a` and `b`), unless expanding agents
/// into slots would more than double the edges to scan.
fn choose_rows(canon: &Canonical, capacities: &[u32]) -> Rows {
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
struct UnitGraph<E> {
    /// Edges of unit `u` are `first[u]..last[u]` in `edges`.
    first: Vec<u32>,
    last: Vec<u32>,
    /// Row entity of each unit: the compressed task, or the agent id.
    row: Vec<u32>,
    /// `comp[c]..comp[c + 1]` are the units of component `c`.
    comp: Vec<u32>,
    edges: E,
    /// Effective capacity of each column.
    cap: Vec<u32>,
}

/// Builds the unit graph from a CSR over row entities (`row_start`, `edges`) where row
/// entity `r` contributes `mult(r)` units.
fn unit_graph<E: EdgeStore>(row_start: &[u32], edges: E, mult: impl Fn(usize) -> u32, cap: Vec<u32>) -> UnitGraph<E> {
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

// ---------------------------------------------------------------------------------------------
// Exact sparse solver.
// ---------------------------------------------------------------------------------------------

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

/// Outcome of one augmenting-row-reduction step.
enum Reduce {
    /// The unit is placed (or finally unassigned).
    Done,
    /// This unit needs the exact search (or the next round).
    Defer(u32),
    /// This unit was just outbid and should bid again immediately.
    Again(u32),
}

/// Mutable state of the exact solver over a [`UnitGraph`]: units are the rows of the module
/// documentation (tasks, or agent slots with [`Rows::Agents`]; the algorithm cannot tell).
struct Exact<'g, E> {
    first: &'g [u32],
    last: &'g [u32],
    edges: E,
    cap: &'g [u32],
    /// Column prices (LP duals of the capacity constraints); 0 while a column has room.
    price: Vec<i64>,
    used: Vec<u32>,
    /// Column `c`'s occupied slots are `slot_unit[slot_start[c]..slot_start[c] + used[c]]`.
    slot_start: Vec<u32>,
    slot_unit: Vec<u32>,
    /// Column of each unit, or NONE.
    unit_col: Vec<u32>,
    /// Weight of each unit's current pair.
    unit_weight: Vec<i64>,
    /// Position of each assigned unit inside `slot_unit`.
    unit_slot: Vec<u32>,
    // Search scratch, reset through `touched` after each search.
    dist: Vec<i64>,
    pred_unit: Vec<u32>,
    pred_weight: Vec<i64>,
    touched: Vec<u32>,
    settled: Vec<u32>,
    heap: RadixHeap,
    pending: Vec<u32>,
    next_round: Vec<u32>,
    /// Per unit, the `(column, weight)` of the edges that were its `CACHED` best at its last
    /// full scan (column NONE when it has fewer edges), stored inline so a bid reads them
    /// sequentially instead of chasing edge indices…
    cache: Vec<[(u32, i64); CACHED]>,
    /// …and a bound on the value of every other edge: the next value down at that scan.
    /// Prices only rise, so the bound stays valid; `UNSCANNED` before the first scan.
    bound: Vec<i64>,
    /// Edges examined by the row reduction so far (its budget is counted in these).
    work: usize,
    /// Scratch of the full scans.
    top: TopK,
}

/// Edges remembered per unit between bids (see [`Exact::reduce_row`]).
const CACHED: usize = 8;

/// `Exact::bound` of a unit that was never scanned.
const UNSCANNED: i64 = i64::MAX;

impl<'g, E: EdgeStore> Exact<'g, E> {
    fn new(g: &'g UnitGraph<E>) -> Self {
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

    fn edges(&self, u: u32) -> std::ops::Range<usize> {
        self.first[u as usize] as usize..self.last[u as usize] as usize
    }

    fn attach(&mut self, u: u32, c: u32, w: i64) {
        let slot = self.slot_start[c as usize] + self.used[c as usize];
        self.used[c as usize] += 1;
        self.slot_unit[slot as usize] = u;
        self.unit_slot[u as usize] = slot;
        self.unit_col[u as usize] = c;
        self.unit_weight[u as usize] = w;
    }

    fn detach(&mut self, u: u32) {
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

    fn has_room(&self, c: u32) -> bool {
        self.used[c as usize] < self.cap[c as usize]
    }

    /// Solves one component; `reduction_rounds` is 4 in production (0 in tests, to exercise
    /// the exact searches on their own).
    fn solve_component(&mut self, units: std::ops::Range<u32>, reduction_rounds: usize) {
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
    fn reduce_row(&mut self, u: u32) -> Reduce {
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

    /// Shortest augmenting path from the unassigned unit `s`, then augmentation and price
    /// update.
    fn augment_from(&mut self, s: u32) {
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

/// Runs the exact solver on every component of `g`.
fn run_components<E: EdgeStore>(g: &UnitGraph<E>, reduction_rounds: usize) -> Exact<'_, E> {
    let mut solver = Exact::new(g);
    for c in g.comp.windows(2) {
        solver.solve_component(c[0]..c[1], reduction_rounds);
    }
    solver
}

// ---------------------------------------------------------------------------------------------
// Greedy approximation.
// ---------------------------------------------------------------------------------------------

/// Fast deterministic approximation of [`solve`] for callers with a time budget.
///
/// 1. Greedy: candidates with positive weight are taken in order of decreasing weight (ties:
///    lower task, then lower agent) whenever the task is still free and the agent has room.
///    This alone guarantees at least half of the optimum total.
/// 2. Local improvement, one pass over the tasks left unassigned, in increasing task order:
///    for each candidate agent `j` of such a task `i` (all full after the greedy), and each
///    task `k` on `j`, the move "`i` takes `k`'s slot on `j`, `k` moves to a candidate agent
///    with room (or becomes unassigned)" is evaluated; the best strictly improving move is
///    applied (ties: first found). The pass stops early once it has examined about four times
///    as many pairs as there are candidates, so its cost stays linear.
///
/// The result never violates a constraint, its total is never above [`solve`]'s, and it
/// depends only on the set of candidates.
///
/// # Errors
///
/// The same validation as [`solve`].
pub fn solve_greedy(problem: &AssignmentProblem) -> Result<Assignment, AssignmentError> {
    let canon = canonicalize(problem)?;
    let nt = canon.tasks();
    let ne = canon.edges.len();
    let caps = problem.agent_capacities;
    // Edges are already in (task, agent) order, so edge index order breaks weight ties; the
    // keys are unique, so the unstable sort is deterministic.
    let mut order: Vec<(i64, u32)> = canon.edges.iter().enumerate().map(|(e, c)| (-c.weight, e as u32)).collect();
    order.sort_unstable();
    let mut edge_task = vec![0u32; ne];
    for t in 0..nt {
        for e in canon.start[t]..canon.start[t + 1] {
            edge_task[e as usize] = t as u32;
        }
    }
    let mut used = vec![0u32; caps.len()];
    let mut task_edge = vec![NONE; nt];
    // Tasks on each agent, kept as an intrusive singly linked list through the edge indices
    // so no per-agent vector is allocated.
    let mut head = vec![NONE; caps.len()];
    let mut next = vec![NONE; ne];
    for &(_, e) in &order {
        let t = edge_task[e as usize] as usize;
        let a = canon.edges[e as usize].agent as usize;
        if task_edge[t] == NONE && used[a] < caps[a] {
            task_edge[t] = e;
            used[a] += 1;
            next[e as usize] = head[a];
            head[a] = e;
        }
    }
    let mut work = 4 * ne + 64;
    'tasks: for i in 0..nt {
        if task_edge[i] != NONE {
            continue;
        }
        // Best move: (gain, edge of i, evicted edge, new edge for the evicted task or NONE).
        let mut best: (i64, u32, u32, u32) = (0, NONE, NONE, NONE);
        for ei in canon.start[i]..canon.start[i + 1] {
            let j = canon.edges[ei as usize].agent as usize;
            let mut ek = head[j];
            while ek != NONE {
                let k = edge_task[ek as usize] as usize;
                // Best place for k elsewhere: an agent with room, or nowhere (0).
                let (mut alt, mut alt_e) = (0i64, NONE);
                for e in canon.start[k]..canon.start[k + 1] {
                    let a = canon.edges[e as usize].agent as usize;
                    if a != j && used[a] < caps[a] && canon.edges[e as usize].weight > alt {
                        (alt, alt_e) = (canon.edges[e as usize].weight, e);
                    }
                }
                let gain = canon.edges[ei as usize].weight - canon.edges[ek as usize].weight + alt;
                if gain > best.0 {
                    best = (gain, ei, ek, alt_e);
                }
                let scanned = (canon.start[k + 1] - canon.start[k]) as usize + 1;
                if work <= scanned {
                    break 'tasks;
                }
                work -= scanned;
                ek = next[ek as usize];
            }
        }
        let (gain, ei, ek, alt_e) = best;
        if gain > 0 {
            let j = canon.edges[ei as usize].agent as usize;
            let k = edge_task[ek as usize] as usize;
            // Unlink ek from j's list and put ei in its place.
            let mut link = head[j];
            if link == ek {
                head[j] = ei;
            } else {
                while next[link as usize] != ek {
                    link = next[link as usize];
                }
                next[link as usize] = ei;
            }
            next[ei as usize] = next[ek as usize];
            task_edge[i] = ei;
            task_edge[k] = NONE;
            if alt_e != NONE {
                let a = canon.edges[alt_e as usize].agent as usize;
                task_edge[k] = alt_e;
                used[a] += 1;
                next[alt_e as usize] = head[a];
                head[a] = alt_e;
            }
        }
    }
    let mut pairs = Vec::new();
    let mut total = 0i64;
    for (t, &e) in task_edge.iter().enumerate() {
        if e != NONE {
            pairs.push((canon.task_id(t), canon.edges[e as usize].agent));
            total += canon.edges[e as usize].weight;
        }
    }
    Ok(Assignment { pairs, total_weight: total })
}

// ---------------------------------------------------------------------------------------------
// Dense rectangular min-cost assignment (Jonker–Volgenant).
// ---------------------------------------------------------------------------------------------

/// Dense rectangular minimum-cost assignment with scipy `linear_sum_assignment` semantics:
/// every row of the smaller side is assigned to a distinct column of the other side, and the
/// total cost is minimal. `costs` is row-major, `rows * cols` entries.
///
/// Returns, for each row, its column (`UNASSIGNED` for the rows left over when
/// `rows > cols`), and the total cost. Among optimal solutions the result is a deterministic
/// function of the matrix.
///
/// # Errors
///
/// [`AssignmentError::BadDimensions`] if `costs.len() != rows * cols` or a dimension is not
/// below `u32::MAX`; [`AssignmentError::CostOutOfRange`] for an entry with |cost| >
/// [`MAX_ABS_WEIGHT`]; [`AssignmentError::TotalOverflow`] if `min(rows, cols)` times the
/// largest |cost| does not fit in an `i64`.
pub fn solve_dense_min_cost(rows: usize, cols: usize, costs: &[i64]) -> Result<(Vec<usize>, i64), AssignmentError> {
    dense_with(rows, cols, costs, true)
}

/// [`solve_dense_min_cost`] with the initialisation phases optional (tests turn them off to
/// exercise the augmentation alone).
fn dense_with(rows: usize, cols: usize, costs: &[i64], init: bool) -> Result<(Vec<usize>, i64), AssignmentError> {
    let bad = AssignmentError::BadDimensions { rows, cols, len: costs.len() };
    if rows.checked_mul(cols) != Some(costs.len()) || rows >= u32::MAX as usize || cols >= u32::MAX as usize {
        return Err(bad);
    }
    let mut max_abs = 0u64;
    for (index, &cost) in costs.iter().enumerate() {
        let m = cost.unsigned_abs();
        if m > MAX_ABS_WEIGHT as u64 {
            return Err(AssignmentError::CostOutOfRange { index, cost });
        }
        max_abs = max_abs.max(m);
    }
    let n = rows.min(cols);
    if (n as u64).checked_mul(max_abs).is_none_or(|b| b > i64::MAX as u64) {
        return Err(AssignmentError::TotalOverflow);
    }
    let mut result = vec![UNASSIGNED; rows];
    if n == 0 {
        return Ok((result, 0));
    }
    let mut total = 0i64;
    if rows <= cols {
        let x = Dense::new(rows, cols, costs).run(init);
        for (r, &c) in x.iter().enumerate() {
            result[r] = c as usize;
            total += costs[r * cols + c as usize];
        }
    } else {
        // The algorithm wants rows <= columns: solve the transpose.
        let mut t = vec![0i64; costs.len()];
        for (r, row) in costs.chunks_exact(cols).enumerate() {
            for (c, &v) in row.iter().enumerate() {
                t[c * rows + r] = v;
            }
        }
        let x = Dense::new(cols, rows, &t).run(init);
        for (c, &r) in x.iter().enumerate() {
            result[r as usize] = c;
            total += costs[r as usize * cols + c];
        }
    }
    Ok((result, total))
}

/// Jonker–Volgenant on a dense `n x m` matrix with `n <= m` (every row gets a column).
///
/// Invariants (with implicit row duals `u_i = c[i][x_i] - v[x_i]`): every assigned row sits
/// on a column minimising `c[i][j] - v[j]`, and free columns keep the largest `v` (0 in the
/// rectangular case, their column-reduction value in the square case, where no free column
/// exists at the end). Those are the LP optimality conditions once every row is assigned.
struct Dense<'c> {
    n: usize,
    m: usize,
    c: &'c [i64],
    v: Vec<i64>,
    /// Column of each row.
    x: Vec<u32>,
    /// Row of each column.
    y: Vec<u32>,
}

impl<'c> Dense<'c> {
    fn new(n: usize, m: usize, c: &'c [i64]) -> Self {
        Dense { n, m, c, v: vec![0; m], x: vec![NONE; n], y: vec![NONE; m] }
    }

    fn row(&self, i: usize) -> &'c [i64] {
        &self.c[i * self.m..(i + 1) * self.m]
    }

    fn run(mut self, init: bool) -> Vec<u32> {
        if !init {
            let all: Vec<u32> = (0..self.n as u32).collect();
            self.augment(&all);
            return self.x;
        }
        let mut free: Vec<u32> = if self.n == self.m { self.column_reduction() } else { (0..self.n as u32).collect() };
        let mut budget = 8 * self.n + 64;
        for _ in 0..2 {
            if free.is_empty() {
                break;
            }
            free = self.augmenting_row_reduction(&free, &mut budget);
        }
        self.augment(&free);
        self.x
    }

    /// Column reduction and reduction transfer (square matrices only): `v[j]` = column
    /// minimum, each column's minimising row takes it if still free; returns the free rows.
    fn column_reduction(&mut self) -> Vec<u32> {
        let (n, m) = (self.n, self.m);
        let mut argmin = vec![0u32; m];
        // Row-major sweep (cache friendly) computing per-column minima; ties keep the lower row.
        let first = self.row(0);
        self.v.copy_from_slice(first);
        for i in 1..n {
            let row = self.row(i);
            for ((vj, aj), &cij) in self.v.iter_mut().zip(argmin.iter_mut()).zip(row) {
                if cij < *vj {
                    *vj = cij;
                    *aj = i as u32;
                }
            }
        }
        // Columns in reverse order, as in Jonker–Volgenant; a row with several minima keeps
        // the first column it gets and is not given a reduction transfer.
        let mut times = vec![0u8; n];
        for j in (0..m).rev() {
            let i = argmin[j] as usize;
            if self.x[i] == NONE {
                self.x[i] = j as u32;
                self.y[j] = i as u32;
            }
            times[i] = times[i].saturating_add(1);
        }
        let mut free = Vec::new();
        for (i, &t) in times.iter().enumerate() {
            if self.x[i] == NONE {
                free.push(i as u32);
            } else if t == 1 {
                // Reduction transfer: lower v[j1] as far as row i's second-best allows.
                let j1 = self.x[i] as usize;
                let row = self.row(i);
                let mut mu = INF;
                for (j, (&cij, &vj)) in row.iter().zip(&self.v).enumerate() {
                    if j != j1 {
                        mu = mu.min(cij - vj);
                    }
                }
                if mu != INF {
                    self.v[j1] -= mu - (row[j1] - self.v[j1]);
                }
            }
        }
        free
    }

    /// Two-round auction-like phase; returns the rows still free.
    fn augmenting_row_reduction(&mut self, free: &[u32], budget: &mut usize) -> Vec<u32> {
        let mut list: Vec<u32> = free.to_vec();
        let mut next = Vec::new();
        let mut k = 0;
        while k < list.len() {
            let i = list[k] as usize;
            k += 1;
            if *budget == 0 {
                next.push(i as u32);
                continue;
            }
            *budget -= 1;
            let row = self.row(i);
            let (mut u1, mut u2) = (INF, INF);
            let (mut j1, mut j2) = (0usize, usize::MAX);
            for (j, (&cij, &vj)) in row.iter().zip(&self.v).enumerate() {
                let h = cij - vj;
                if h < u2 {
                    if h < u1 {
                        u2 = u1;
                        j2 = j1;
                        u1 = h;
                        j1 = j;
                    } else {
                        u2 = h;
                        j2 = j;
                    }
                }
            }
            let mut i0 = self.y[j1];
            if j2 == usize::MAX {
                // A single column (only when m == 1): take it.
                u2 = u1;
            }
            if u1 < u2 {
                self.v[j1] -= u2 - u1;
            } else if i0 != NONE && j2 != usize::MAX {
                // Tie: prefer the second column if that avoids evicting someone.
                j1 = j2;
                i0 = self.y[j1];
            }
            if i0 != NONE {
                self.x[i0 as usize] = NONE;
            }
            self.x[i] = j1 as u32;
            self.y[j1] = i as u32;
            if i0 != NONE {
                if u1 < u2 {
                    // Re-bid immediately: the evicted row probably has a close alternative.
                    k -= 1;
                    list[k] = i0;
                } else {
                    next.push(i0);
                }
            }
        }
        next
    }

    /// Shortest augmenting paths (Dijkstra over columns, JV style) for each free row.
    fn augment(&mut self, free: &[u32]) {
        let m = self.m;
        let mut d = vec![0i64; m];
        let mut pred = vec![0u32; m];
        let mut cols: Vec<u32> = (0..m as u32).collect();
        for &f in free {
            let row_f = self.row(f as usize);
            for j in 0..m {
                d[j] = row_f[j] - self.v[j];
                pred[j] = f;
                cols[j] = j as u32;
            }
            // cols[..low]: settled; cols[low..up]: at the current minimum, to scan;
            // cols[up..]: not yet reached at the minimum.
            let (mut low, mut up) = (0usize, 0usize);
            let mut min = 0i64;
            let sink: usize = 'search: loop {
                if up == low {
                    min = d[cols[up] as usize];
                    up += 1;
                    // Scan the rest once; `up` grows as equal-minimum columns are moved in.
                    let rest = up;
                    for k in rest..m {
                        let j = cols[k];
                        let h = d[j as usize];
                        if h <= min {
                            if h < min {
                                up = low;
                                min = h;
                            }
                            cols[k] = cols[up];
                            cols[up] = j;
                            up += 1;
                        }
                    }
                    for &j in &cols[low..up] {
                        if self.y[j as usize] == NONE {
                            break 'search j as usize;
                        }
                    }
                }
                let j1 = cols[low] as usize;
                low += 1;
                let i = self.y[j1] as usize;
                let row_i = self.row(i);
                let u1 = row_i[j1] - self.v[j1] - min;
                let mut k = up;
                while k < m {
                    let j = cols[k] as usize;
                    let h = row_i[j] - self.v[j] - u1;
                    if h < d[j] {
                        d[j] = h;
                        pred[j] = i as u32;
                        if h == min {
                            if self.y[j] == NONE {
                                break 'search j;
                            }
                            cols[k] = cols[up];
                            cols[up] = j as u32;
                            up += 1;
                        }
                    }
                    k += 1;
                }
            };
            for &j in &cols[..low] {
                self.v[j as usize] += d[j as usize] - min;
            }
            let mut j = sink;
            loop {
                let i = pred[j];
                self.y[j] = i;
                let prev = self.x[i as usize];
                self.x[i as usize] = j as u32;
                if i == f {
                    break;
                }
                j = prev as usize;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cand(task: u32, agent: u32, weight: i64) -> Candidate {
        Candidate { task, agent, weight }
    }

    fn problem<'a>(tasks: u32, caps: &'a [u32], cands: &'a [Candidate]) -> AssignmentProblem<'a> {
        AssignmentProblem { tasks, agent_capacities: caps, candidates: cands }
    }

    /// Checks that `a` is feasible for `p` and that its total is the sum of its pairs.
    fn check_feasible(p: &AssignmentProblem, a: &Assignment) -> Result<(), String> {
        let mut load = vec![0u32; p.agent_capacities.len()];
        let mut total = 0i64;
        for (k, &(t, ag)) in a.pairs.iter().enumerate() {
            if k > 0 && a.pairs[k - 1].0 >= t {
                return Err(format!("pairs not strictly sorted by task: {:?}", a.pairs));
            }
            let c = p
                .candidates
                .iter()
                .find(|c| c.task == t && c.agent == ag)
                .ok_or_else(|| format!("pair ({t}, {ag}) is not a candidate"))?;
            if c.weight <= 0 {
                return Err(format!("pair ({t}, {ag}) has non-positive weight"));
            }
            load[ag as usize] += 1;
            total += c.weight;
        }
        for (j, (&l, &c)) in load.iter().zip(p.agent_capacities).enumerate() {
            if l > c {
                return Err(format!("agent {j} has {l} tasks, capacity {c}"));
            }
        }
        if total != a.total_weight {
            return Err(format!("total {} != sum of pairs {total}", a.total_weight));
        }
        Ok(())
    }

    /// Exhaustive optimum: each task in turn takes nothing or one candidate with room.
    fn brute_force(p: &AssignmentProblem) -> i64 {
        let n = p.tasks as usize;
        let mut by_task: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n];
        for c in p.candidates {
            by_task[c.task as usize].push((c.agent as usize, c.weight));
        }
        // Optimistic bound of the tasks after `t`, for pruning.
        let mut rest = vec![0i64; n + 1];
        for t in (0..n).rev() {
            let best = by_task[t].iter().map(|&(_, w)| w).max().unwrap_or(0).max(0);
            rest[t] = rest[t + 1] + best;
        }
        fn go(t: usize, acc: i64, by_task: &[Vec<(usize, i64)>], rest: &[i64], cap: &mut [u32], best: &mut i64) {
            if acc + rest[t] <= *best {
                return;
            }
            if t == by_task.len() {
                *best = acc;
                return;
            }
            for &(a, w) in &by_task[t] {
                if w > 0 && cap[a] > 0 {
                    cap[a] -= 1;
                    go(t + 1, acc + w, by_task, rest, cap, best);
                    cap[a] += 1;
                }
            }
            go(t + 1, acc, by_task, rest, cap, best);
        }
        let mut cap = p.agent_capacities.to_vec();
        let mut best = 0;
        go(0, 0, &by_task, &rest, &mut cap, &mut best);
        best
    }

    /// Exhaustive dense min cost over injective maps from the smaller side.
    fn brute_dense(rows: usize, cols: usize, c: &[i64]) -> i64 {
        let (n, m) = (rows.min(cols), rows.max(cols));
        let at = |a: usize, b: usize| if rows <= cols { c[a * cols + b] } else { c[b * cols + a] };
        fn go(k: usize, n: usize, m: usize, used: &mut [bool], acc: i64, at: &dyn Fn(usize, usize) -> i64) -> i64 {
            if k == n {
                return acc;
            }
            let mut best = i64::MAX;
            for j in 0..m {
                if !used[j] {
                    used[j] = true;
                    best = best.min(go(k + 1, n, m, used, acc + at(k, j), at));
                    used[j] = false;
                }
            }
            best
        }
        if n == 0 {
            return 0;
        }
        go(0, n, m, &mut vec![false; m], 0, &at)
    }

    #[test]
    fn empty_problems() {
        let r = solve(&problem(0, &[], &[])).unwrap();
        assert_eq!(r, Assignment::default());
        let r = solve(&problem(5, &[1, 2], &[])).unwrap();
        assert_eq!(r, Assignment::default());
        assert_eq!(solve_greedy(&problem(5, &[1, 2], &[])).unwrap(), Assignment::default());
        assert_eq!(solve_dense_min_cost(0, 0, &[]).unwrap(), (vec![], 0));
        assert_eq!(solve_dense_min_cost(3, 0, &[]).unwrap(), (vec![UNASSIGNED; 3], 0));
        assert_eq!(solve_dense_min_cost(0, 4, &[]).unwrap(), (vec![], 0));
    }

    #[test]
    fn single_pair() {
        let cands = [cand(0, 0, 7)];
        let r = solve(&problem(1, &[1], &cands)).unwrap();
        assert_eq!(r.pairs, vec![(0, 0)]);
        assert_eq!(r.total_weight, 7);
        assert_eq!(solve_greedy(&problem(1, &[1], &cands)).unwrap(), r);
    }

    #[test]
    fn non_positive_weights_are_never_chosen() {
        let cands = [cand(0, 0, 0), cand(1, 0, -5), cand(2, 1, 3)];
        let r = solve(&problem(3, &[3, 1], &cands)).unwrap();
        assert_eq!(r.pairs, vec![(2, 1)]);
        assert_eq!(r.total_weight, 3);
    }

    #[test]
    fn zero_capacity_agent_takes_nothing() {
        let cands = [cand(0, 0, 9), cand(0, 1, 2)];
        let r = solve(&problem(1, &[0, 1], &cands)).unwrap();
        assert_eq!(r.pairs, vec![(0, 1)]);
    }

    #[test]
    fn capacities_above_one() {
        // Agent 0 (capacity 2) is everyone's favourite; the third task goes to agent 1.
        let cands = [cand(0, 0, 10), cand(1, 0, 9), cand(2, 0, 8), cand(0, 1, 1), cand(1, 1, 1), cand(2, 1, 5)];
        let p = problem(3, &[2, 1], &cands);
        let r = solve(&p).unwrap();
        assert_eq!(r.pairs, vec![(0, 0), (1, 0), (2, 1)]);
        assert_eq!(r.total_weight, 24);
        check_feasible(&p, &solve_greedy(&p).unwrap()).unwrap();
    }

    #[test]
    fn needs_a_long_augmenting_path() {
        // Greedy takes (0,0); the optimum shifts every task one agent along.
        let cands = [cand(0, 0, 10), cand(0, 1, 9), cand(1, 0, 9), cand(1, 1, 1), cand(1, 2, 8), cand(2, 1, 8)];
        let p = problem(3, &[1, 1, 1], &cands);
        let r = solve(&p).unwrap();
        assert_eq!(r.total_weight, brute_force(&p));
        assert_eq!(r.total_weight, 9 + 9 + 8);
        let g = solve_greedy(&p).unwrap();
        check_feasible(&p, &g).unwrap();
        assert!(g.total_weight <= r.total_weight);
    }

    #[test]
    fn greedy_local_improvement_repairs_a_greedy_mistake() {
        // Greedy takes (0, 0) = 10 and strands task 1; moving task 0 to agent 1 frees agent 0.
        let cands = [cand(0, 0, 10), cand(0, 1, 9), cand(1, 0, 8)];
        let p = problem(2, &[1, 1], &cands);
        let g = solve_greedy(&p).unwrap();
        assert_eq!(g.pairs, vec![(0, 1), (1, 0)]);
        assert_eq!(g.total_weight, 17);
        assert_eq!(solve(&p).unwrap().total_weight, 17);
    }

    #[test]
    fn orientation_follows_shared_structure() {
        // weight = quality[agent] + small noise: agents carry the structure.
        let mut cands = Vec::new();
        for t in 0..20u32 {
            for a in 0..20u32 {
                cands.push(cand(t, a, 1000 * i64::from(a) + i64::from((t * 7 + a * 3) % 11)));
            }
        }
        let caps = vec![1u32; 20];
        let p = problem(20, &caps, &cands);
        assert_eq!(choose_rows(&canonicalize(&p).unwrap(), &caps), Rows::Agents);
        // The same with the roles of tasks and agents swapped.
        let swapped: Vec<Candidate> = cands.iter().map(|c| cand(c.agent, c.task, c.weight)).collect();
        let q = problem(20, &caps, &swapped);
        assert_eq!(choose_rows(&canonicalize(&q).unwrap(), &caps), Rows::Tasks);
        // Large capacities would multiply the agent rows: tasks stay the rows.
        let big = vec![20u32; 20];
        let r = problem(20, &big, &cands);
        assert_eq!(choose_rows(&canonicalize(&r).unwrap(), &big), Rows::Tasks);
        // Every orientation reaches the same optimum.
        for p in [p, q, r] {
            let a = solve_with(&p, 4, Some(Rows::Tasks)).unwrap().total_weight;
            assert_eq!(solve_with(&p, 4, Some(Rows::Agents)).unwrap().total_weight, a);
            assert_eq!(solve(&p).unwrap().total_weight, a);
        }
    }

    #[test]
    fn infeasible_pairs_are_excluded() {
        // Task 1 may only go to agent 1 even though agent 0 would be free.
        let cands = [cand(0, 0, 5), cand(1, 1, 4), cand(2, 1, 6)];
        let p = problem(3, &[1, 1], &cands);
        let r = solve(&p).unwrap();
        assert_eq!(r.pairs, vec![(0, 0), (2, 1)]);
        assert_eq!(r.total_weight, 11);
    }

    #[test]
    fn separate_components_are_all_solved() {
        let cands = [cand(3, 2, 4), cand(0, 0, 1), cand(1, 1, 2), cand(2, 1, 3)];
        let r = solve(&problem(4, &[1, 1, 1], &cands)).unwrap();
        assert_eq!(r.pairs, vec![(0, 0), (2, 1), (3, 2)]);
        assert_eq!(r.total_weight, 8);
    }

    #[test]
    fn ties_are_deterministic_and_order_independent() {
        let mut cands = Vec::new();
        for t in 0..6 {
            for a in 0..4 {
                cands.push(cand(t, a, 1 + ((t + a) % 2) as i64));
            }
        }
        let caps = [1, 2, 1, 1];
        let first = solve(&problem(6, &caps, &cands)).unwrap();
        let greedy = solve_greedy(&problem(6, &caps, &cands)).unwrap();
        // A fixed pseudo-random sequence of permutations.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..50 {
            for i in (1..cands.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                cands.swap(i, (state % (i as u64 + 1)) as usize);
            }
            assert_eq!(solve(&problem(6, &caps, &cands)).unwrap(), first);
            assert_eq!(solve_greedy(&problem(6, &caps, &cands)).unwrap(), greedy);
        }
        assert_eq!(first.total_weight, 10);
    }

    #[test]
    fn errors() {
        let caps = [1, 1];
        let e = solve(&problem(2, &caps, &[cand(2, 0, 1)])).unwrap_err();
        assert_eq!(e, AssignmentError::TaskOutOfRange { index: 0, task: 2, tasks: 2 });
        let e = solve(&problem(2, &caps, &[cand(0, 0, 1), cand(1, 5, 1)])).unwrap_err();
        assert_eq!(e, AssignmentError::AgentOutOfRange { index: 1, agent: 5, agents: 2 });
        let e = solve(&problem(2, &caps, &[cand(0, 1, 1), cand(1, 0, 2), cand(0, 1, 3)])).unwrap_err();
        assert_eq!(e, AssignmentError::DuplicatePair { first: 0, second: 2, task: 0, agent: 1 });
        for w in [MAX_ABS_WEIGHT + 1, -MAX_ABS_WEIGHT - 1, i64::MIN, i64::MAX] {
            let e = solve_greedy(&problem(2, &caps, &[cand(0, 0, w)])).unwrap_err();
            assert_eq!(e, AssignmentError::WeightOutOfRange { index: 0, weight: w });
        }
        // The bound itself is accepted.
        let ok = [cand(0, 0, MAX_ABS_WEIGHT), cand(1, 1, -MAX_ABS_WEIGHT)];
        assert_eq!(solve(&problem(2, &caps, &ok)).unwrap().total_weight, MAX_ABS_WEIGHT);
        // 1100 tasks at the bound could sum past i64::MAX.
        let many: Vec<Candidate> = (0..1100).map(|t| cand(t, 0, MAX_ABS_WEIGHT)).collect();
        let e = solve(&problem(1100, &[1], &many)).unwrap_err();
        assert_eq!(e, AssignmentError::TotalOverflow);
        // Every error formats to a message (the Display impl is part of the contract).
        assert!(e.to_string().contains("overflow"));
        let e = solve_dense_min_cost(2, 2, &[1, 2, 3]).unwrap_err();
        assert_eq!(e, AssignmentError::BadDimensions { rows: 2, cols: 2, len: 3 });
        let e = solve_dense_min_cost(usize::MAX, 2, &[]).unwrap_err();
        assert!(matches!(e, AssignmentError::BadDimensions { .. }));
        let e = solve_dense_min_cost(1, 2, &[1, i64::MIN]).unwrap_err();
        assert_eq!(e, AssignmentError::CostOutOfRange { index: 1, cost: i64::MIN });
        let big = vec![MAX_ABS_WEIGHT; 1100 * 1100];
        let e = solve_dense_min_cost(1100, 1100, &big).unwrap_err();
        assert_eq!(e, AssignmentError::TotalOverflow);
        let e: Box<dyn std::error::Error> = Box::new(e);
        assert!(!e.to_string().is_empty());
    }

    #[test]
    fn dense_small_cases() {
        assert_eq!(solve_dense_min_cost(1, 1, &[-4]).unwrap(), (vec![0], -4));
        let c = [4, 1, 3, 2, 0, 5, 3, 2, 2];
        assert_eq!(solve_dense_min_cost(3, 3, &c).unwrap(), (vec![1, 0, 2], 5));
        // 3x2: one row stays without a column.
        let c = [1, 9, 9, 1, 0, 0];
        let (x, total) = solve_dense_min_cost(3, 2, &c).unwrap();
        assert_eq!(total, 1);
        assert_eq!(x.iter().filter(|&&j| j == UNASSIGNED).count(), 1);
        // 2x4.
        let c = [5, 5, 1, 5, 5, 5, 1, 2];
        assert_eq!(solve_dense_min_cost(2, 4, &c).unwrap(), (vec![2, 3], 3));
    }

    /// Random instance: (tasks, caps, candidates) with a random subset of pairs and small
    /// weights (many ties, some non-positive).
    fn instance() -> impl Strategy<Value = (u32, Vec<u32>, Vec<Candidate>)> {
        (0usize..=7, 0usize..=7).prop_flat_map(|(nt, na)| {
            (
                proptest::collection::vec(1u32..=3, na),
                proptest::collection::vec(proptest::option::weighted(0.5, -2i64..=6), nt * na),
            )
                .prop_map(move |(caps, cells)| {
                    let cands = cells
                        .iter()
                        .enumerate()
                        .filter_map(|(k, w)| w.map(|w| cand((k / na) as u32, (k % na) as u32, w)))
                        .collect::<Vec<_>>();
                    (nt as u32, caps, cands)
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn solve_is_optimal_and_feasible((nt, caps, cands) in instance(), seed in any::<u64>()) {
            let p = problem(nt, &caps, &cands);
            let r = solve(&p).unwrap();
            prop_assert_eq!(check_feasible(&p, &r), Ok(()));
            let optimum = brute_force(&p);
            prop_assert_eq!(r.total_weight, optimum);
            for rows in [Rows::Tasks, Rows::Agents] {
                for rounds in [0, 4] {
                    let forced = solve_with(&p, rounds, Some(rows)).unwrap();
                    prop_assert_eq!(check_feasible(&p, &forced), Ok(()));
                    prop_assert_eq!(forced.total_weight, optimum);
                }
            }
            let g = solve_greedy(&p).unwrap();
            prop_assert_eq!(check_feasible(&p, &g), Ok(()));
            prop_assert!(g.total_weight <= r.total_weight);
            prop_assert!(2 * g.total_weight >= r.total_weight);
            // Same answer whatever the input order.
            let mut shuffled = cands.clone();
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let q = problem(nt, &caps, &shuffled);
            prop_assert_eq!(solve(&q).unwrap(), r);
            prop_assert_eq!(solve_greedy(&q).unwrap(), g);
        }

        /// Larger instances, checked against the dense solver through an exact reduction:
        /// agents expanded to one column per slot, one zero-cost "unassigned" column per
        /// task, cost = -weight for useful candidates and 0 elsewhere.
        #[test]
        fn solve_matches_dense_reduction(
            (nt, caps, cands) in (1usize..=40, 1usize..=15).prop_flat_map(|(nt, na)| {
                (
                    Just(nt),
                    proptest::collection::vec(1u32..=4, na),
                    proptest::collection::vec(proptest::option::weighted(0.3, -3i64..=40), nt * na),
                )
            }).prop_map(|(nt, caps, cells)| {
                let na = caps.len();
                let cands = cells
                    .iter()
                    .enumerate()
                    .filter_map(|(k, w)| w.map(|w| cand((k / na) as u32, (k % na) as u32, w)))
                    .collect::<Vec<_>>();
                (nt as u32, caps, cands)
            })
        ) {
            let p = problem(nt, &caps, &cands);
            let r = solve(&p).unwrap();
            prop_assert_eq!(check_feasible(&p, &r), Ok(()));
            let slots: u32 = caps.iter().sum();
            let cols = slots as usize + nt as usize;
            let mut first_slot = vec![0usize; caps.len()];
            for j in 1..caps.len() {
                first_slot[j] = first_slot[j - 1] + caps[j - 1] as usize;
            }
            let mut cost = vec![0i64; nt as usize * cols];
            for c in &cands {
                for k in 0..caps[c.agent as usize] as usize {
                    cost[c.task as usize * cols + first_slot[c.agent as usize] + k] = -c.weight.max(0);
                }
            }
            let (_, dense_total) = solve_dense_min_cost(nt as usize, cols, &cost).unwrap();
            prop_assert_eq!(r.total_weight, -dense_total);
            for rows in [Rows::Tasks, Rows::Agents] {
                for rounds in [0, 4] {
                    prop_assert_eq!(solve_with(&p, rounds, Some(rows)).unwrap().total_weight, -dense_total);
                }
            }
            let (_, pure_dense) = dense_with(nt as usize, cols, &cost, false).unwrap();
            prop_assert_eq!(pure_dense, dense_total);
        }

        /// Hostile input never panics: every call returns a feasible answer or an error.
        #[test]
        fn never_panics(
            tasks in 0u32..10,
            caps in proptest::collection::vec(prop_oneof![Just(0u32), 1u32..4, Just(u32::MAX)], 0..6),
            raw in proptest::collection::vec(
                (0u32..12, 0u32..8, prop_oneof![
                    -5i64..20,
                    Just(MAX_ABS_WEIGHT),
                    Just(-MAX_ABS_WEIGHT),
                    Just(i64::MAX),
                    Just(i64::MIN),
                ]),
                0..30,
            ),
            rows in 0usize..5,
            cols in 0usize..5,
            extra in 0usize..3,
        ) {
            let cands: Vec<Candidate> = raw.iter().map(|&(t, a, w)| cand(t, a, w)).collect();
            let p = problem(tasks, &caps, &cands);
            for a in [solve(&p), solve_greedy(&p)].into_iter().flatten() {
                prop_assert_eq!(check_feasible(&p, &a), Ok(()));
            }
            let costs: Vec<i64> = raw.iter().map(|&(_, _, w)| w).chain([0; 25]).take(rows * cols + extra).collect();
            if let Ok((x, _)) = solve_dense_min_cost(rows, cols, &costs) {
                prop_assert_eq!(x.len(), rows);
            }
        }

        #[test]
        fn dense_matches_brute_force(
            (rows, cols, c) in (0usize..=6, 0usize..=6).prop_flat_map(|(r, c)| {
                (Just(r), Just(c), proptest::collection::vec(-5i64..=20, r * c))
            })
        ) {
            let (x, total) = solve_dense_min_cost(rows, cols, &c).unwrap();
            let (_, pure_total) = dense_with(rows, cols, &c, false).unwrap();
            prop_assert_eq!(pure_total, total);
            prop_assert_eq!(x.len(), rows);
            let mut seen = vec![false; cols];
            let mut sum = 0;
            let mut assigned = 0;
            for (r, &j) in x.iter().enumerate() {
                if j != UNASSIGNED {
                    prop_assert!(j < cols && !seen[j]);
                    seen[j] = true;
                    sum += c[r * cols + j];
                    assigned += 1;
                }
            }
            prop_assert_eq!(assigned, rows.min(cols));
            prop_assert_eq!(sum, total);
            prop_assert_eq!(total, brute_dense(rows, cols, &c));
        }
    }
}
