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
//! unassigned" arc per task) solved by successive shortest augmenting paths, one task at a
//! time, with Dijkstra over reduced costs (the Jonker–Volgenant scheme, generalised to
//! capacitated agents and optional assignment). The implementation works in the equivalent
//! *price* form of the duals: every agent carries a price `p ≥ 0`, every assigned task sits
//! on an agent that maximises `weight - price` for it, that best value is `≥ 0`, and agents
//! with a free slot have price 0. These are the LP optimality conditions of the
//! b-matching, so when every task has been processed the assignment is optimal.
//!
//! 1. The candidate list is validated, sorted by `(task, agent)` and stripped of pairs that can
//!    never be chosen (weight `<= 0`, agent capacity 0).
//! 2. Union-find over the remaining pairs splits the instance into independent connected
//!    components; each is laid out contiguously and solved on its own, so the searches of one
//!    component never touch another's memory.
//! 3. A cheap *augmenting row reduction* (the auction-like phase of Jonker–Volgenant, two
//!    rounds with a work budget) assigns most tasks: a task takes its best agent if that agent
//!    has room, and for single-slot agents it may outbid the occupant by raising the agent's
//!    price to the bidder's second-best value, which keeps the conditions above intact.
//! 4. Every task still pending gets an exact shortest augmenting path: Dijkstra over agents
//!    with a binary heap, edges relaxed through the tasks sitting on a settled agent; a path
//!    ends at an agent with a free slot, at "this task stays unassigned", or by pushing a task
//!    on the path out to "unassigned". Prices of settled agents are then updated so all reduced
//!    costs stay non-negative for the next search.
//!
//! All scratch memory is allocated once per call; the searches themselves never allocate
//! beyond the amortised growth of a reused heap.
//!
//! # Determinism and tie-breaks
//!
//! The result depends only on the *set* of candidates, never on their order in the input: the
//! candidates are sorted by `(task, agent)` before anything else, components are numbered by
//! their lowest task, tasks are processed in increasing id order inside a component, and every
//! choice between equal values goes to the lower id (agents are scanned in increasing id order
//! and the heap orders by `(distance, agent)`). A task that is indifferent between an agent and
//! staying unassigned (zero gain at the final prices) stays unassigned. No hashing, no
//! floating point, no randomness.
//!
//! # Dense benchmark solver
//!
//! [`solve_dense_min_cost`] solves the classic rectangular linear sum assignment problem
//! (scipy's `linear_sum_assignment` semantics) on a full cost matrix with the
//! Jonker–Volgenant algorithm: column reduction and reduction transfer (square matrices
//! only), augmenting row reduction, then shortest augmenting paths over the dense matrix.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

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
/// Pairs with a weight `<= 0` are accepted but never chosen: assigning them cannot raise the
/// total, and leaving the task unassigned is preferred on a tie.
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
    /// More candidates than the solver indexes (`u32::MAX - 1`).
    #[error("{count} candidates exceed the supported maximum of {max}")]
    TooManyCandidates {
        /// Number of candidates given.
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

/// The useful candidates in canonical order, as compressed sparse rows by task.
///
/// Only tasks with at least one useful pair appear; `task_ids` maps the compressed index back.
struct Canonical {
    /// Original id of each compressed task (increasing).
    task_ids: Vec<u32>,
    /// Edges of compressed task `t` are `start[t]..start[t + 1]`.
    start: Vec<u32>,
    /// Original agent id of each edge (increasing within a task).
    agent: Vec<u32>,
    /// Weight of each edge (always `> 0`).
    weight: Vec<i64>,
}

/// Checks every rule of the sparse input and returns the useful pairs sorted by (task, agent).
fn canonicalize(problem: &AssignmentProblem) -> Result<Canonical, AssignmentError> {
    let cands = problem.candidates;
    let agents = problem.agent_capacities.len();
    // Indices are kept in u32 throughout; NONE must stay free.
    let max = (u32::MAX - 1) as usize;
    if cands.len() > max {
        return Err(AssignmentError::TooManyCandidates {
            count: cands.len(),
            max,
        });
    }
    for (index, c) in cands.iter().enumerate() {
        if c.task >= problem.tasks {
            return Err(AssignmentError::TaskOutOfRange {
                index,
                task: c.task,
                tasks: problem.tasks,
            });
        }
        if c.agent as usize >= agents {
            return Err(AssignmentError::AgentOutOfRange {
                index,
                agent: c.agent,
                agents,
            });
        }
        if c.weight.unsigned_abs() > MAX_ABS_WEIGHT as u64 {
            return Err(AssignmentError::WeightOutOfRange {
                index,
                weight: c.weight,
            });
        }
    }
    let key = |c: &Candidate| (u64::from(c.task) << 32) | u64::from(c.agent);
    // Callers usually build candidates task by task; skip the sort when it would be a no-op.
    let presorted = cands.windows(2).all(|w| key(&w[0]) < key(&w[1]));
    let order: Vec<u32> = if presorted {
        (0..cands.len() as u32).collect()
    } else {
        let mut keyed: Vec<(u64, u32)> = cands
            .iter()
            .enumerate()
            .map(|(i, c)| (key(c), i as u32))
            .collect();
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
        keyed.into_iter().map(|(_, i)| i).collect()
    };

    let mut out = Canonical {
        task_ids: Vec::new(),
        start: vec![0],
        agent: Vec::with_capacity(cands.len()),
        weight: Vec::with_capacity(cands.len()),
    };
    // Bound on any total: every task contributes at most its largest positive weight.
    let mut bound: i64 = 0;
    let mut task_max: i64 = 0;
    for &i in &order {
        let c = &cands[i as usize];
        // Pairs that can never be chosen are dropped here so no later stage sees them.
        if c.weight <= 0 || problem.agent_capacities[c.agent as usize] == 0 {
            continue;
        }
        if out.task_ids.last() != Some(&c.task) {
            if !out.task_ids.is_empty() {
                out.start.push(out.agent.len() as u32);
                bound = bound
                    .checked_add(task_max)
                    .ok_or(AssignmentError::TotalOverflow)?;
            }
            out.task_ids.push(c.task);
            task_max = 0;
        }
        task_max = task_max.max(c.weight);
        out.agent.push(c.agent);
        out.weight.push(c.weight);
    }
    if !out.task_ids.is_empty() {
        out.start.push(out.agent.len() as u32);
        bound
            .checked_add(task_max)
            .ok_or(AssignmentError::TotalOverflow)?;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Connected components.
// ---------------------------------------------------------------------------------------------

/// Union-find with path halving and union by size.
struct DisjointSets {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        if self.size[ra as usize] < self.size[rb as usize] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb as usize] = ra;
        self.size[ra as usize] += self.size[rb as usize];
    }
}

/// The instance regrouped so that each connected component occupies contiguous index ranges
/// of tasks, agents and edges (ids inside a component keep their relative order).
struct Grouped {
    /// `comp_tasks[c]..comp_tasks[c + 1]` are the tasks of component `c`.
    comp_tasks: Vec<u32>,
    /// Compressed (canonical) task index of each grouped task.
    task_canon: Vec<u32>,
    /// Original agent id of each grouped agent.
    agent_orig: Vec<u32>,
    /// Effective capacity of each grouped agent: `min(capacity, number of its edges)`.
    cap: Vec<u32>,
    /// Edges of grouped task `t` are `start[t]..start[t + 1]`.
    start: Vec<u32>,
    /// Grouped agent index of each edge.
    agent: Vec<u32>,
    /// Weight of each edge.
    weight: Vec<i64>,
}

fn group(canon: &Canonical, capacities: &[u32]) -> Grouped {
    let nt = canon.task_ids.len();
    // Compress agents to those with a useful edge, in increasing id order.
    let mut agent_cid = vec![NONE; capacities.len()];
    for &a in &canon.agent {
        agent_cid[a as usize] = 0;
    }
    let mut agent_ids: Vec<u32> = Vec::new();
    for (a, cid) in agent_cid.iter_mut().enumerate() {
        if *cid != NONE {
            *cid = agent_ids.len() as u32;
            agent_ids.push(a as u32);
        }
    }
    let na = agent_ids.len();
    let mut degree = vec![0u32; na];
    let mut sets = DisjointSets::new(nt + na);
    for t in 0..nt {
        for e in canon.start[t] as usize..canon.start[t + 1] as usize {
            let a = agent_cid[canon.agent[e] as usize];
            degree[a as usize] += 1;
            sets.union(t as u32, (nt as u32) + a);
        }
    }
    // Components are numbered in order of their lowest task.
    let mut comp_of_root = vec![NONE; nt + na];
    let mut task_comp = vec![0u32; nt];
    let mut comp_count: Vec<u32> = Vec::new();
    for (t, tc) in task_comp.iter_mut().enumerate() {
        let r = sets.find(t as u32) as usize;
        if comp_of_root[r] == NONE {
            comp_of_root[r] = comp_count.len() as u32;
            comp_count.push(0);
        }
        *tc = comp_of_root[r];
        comp_count[*tc as usize] += 1;
    }
    let nc = comp_count.len();
    let mut comp_tasks = vec![0u32; nc + 1];
    for c in 0..nc {
        comp_tasks[c + 1] = comp_tasks[c] + comp_count[c];
    }
    // Agents: every compressed agent has an edge, hence a component.
    let mut agent_comp = vec![0u32; na];
    let mut comp_agent_count = vec![0u32; nc];
    for (a, ac) in agent_comp.iter_mut().enumerate() {
        let r = sets.find((nt + a) as u32) as usize;
        *ac = comp_of_root[r];
        comp_agent_count[*ac as usize] += 1;
    }
    let mut comp_agents = vec![0u32; nc + 1];
    for c in 0..nc {
        comp_agents[c + 1] = comp_agents[c] + comp_agent_count[c];
    }
    let mut agent_pos = vec![0u32; na];
    let mut agent_orig = vec![0u32; na];
    let mut cap = vec![0u32; na];
    let mut next = comp_agents.clone();
    for a in 0..na {
        let c = agent_comp[a] as usize;
        let p = next[c];
        next[c] += 1;
        agent_pos[a] = p;
        agent_orig[p as usize] = agent_ids[a];
        cap[p as usize] = capacities[agent_ids[a] as usize].min(degree[a]);
    }
    let mut task_canon = vec![0u32; nt];
    let mut next = comp_tasks.clone();
    for (t, &c) in task_comp.iter().enumerate() {
        let p = next[c as usize];
        next[c as usize] += 1;
        task_canon[p as usize] = t as u32;
    }
    let ne = canon.agent.len();
    let mut start = Vec::with_capacity(nt + 1);
    start.push(0u32);
    let mut agent = Vec::with_capacity(ne);
    let mut weight = Vec::with_capacity(ne);
    for &t in &task_canon {
        let range = canon.start[t as usize] as usize..canon.start[t as usize + 1] as usize;
        for e in range {
            agent.push(agent_pos[agent_cid[canon.agent[e] as usize] as usize]);
            weight.push(canon.weight[e]);
        }
        start.push(agent.len() as u32);
    }
    Grouped {
        comp_tasks,
        task_canon,
        agent_orig,
        cap,
        start,
        agent,
        weight,
    }
}

// ---------------------------------------------------------------------------------------------
// Exact sparse solver.
// ---------------------------------------------------------------------------------------------

/// Where a shortest augmenting path ends.
#[derive(Clone, Copy)]
enum PathEnd {
    /// The source task stays unassigned.
    Source,
    /// At an agent with a free slot.
    FreeAgent(u32),
    /// A task on the path is pushed out to "unassigned".
    Evict(u32),
}

/// Mutable state of the exact solver over a [`Grouped`] instance.
struct Exact<'g> {
    g: &'g Grouped,
    /// Agent prices (LP duals of the capacity constraints); 0 while an agent has room.
    price: Vec<i64>,
    used: Vec<u32>,
    /// Agent `a`'s occupied slots are `slot_task[slot_start[a]..slot_start[a] + used[a]]`.
    slot_start: Vec<u32>,
    slot_task: Vec<u32>,
    /// Agent of each task, or NONE.
    task_agent: Vec<u32>,
    /// Weight of each task's current pair.
    task_weight: Vec<i64>,
    /// Position of each assigned task inside `slot_task`.
    task_slot: Vec<u32>,
    // Search scratch, reset through `touched` after each search.
    dist: Vec<i64>,
    pred_task: Vec<u32>,
    pred_weight: Vec<i64>,
    touched: Vec<u32>,
    settled: Vec<u32>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    pending: Vec<u32>,
    next_round: Vec<u32>,
}

impl<'g> Exact<'g> {
    fn new(g: &'g Grouped) -> Self {
        let na = g.cap.len();
        let nt = g.task_canon.len();
        let mut slot_start = Vec::with_capacity(na + 1);
        slot_start.push(0u32);
        for &c in &g.cap {
            let last = slot_start[slot_start.len() - 1];
            slot_start.push(last + c);
        }
        let slots = slot_start[na] as usize;
        Exact {
            g,
            price: vec![0; na],
            used: vec![0; na],
            slot_start,
            slot_task: vec![NONE; slots],
            task_agent: vec![NONE; nt],
            task_weight: vec![0; nt],
            task_slot: vec![NONE; nt],
            dist: vec![INF; na],
            pred_task: vec![NONE; na],
            pred_weight: vec![0; na],
            touched: Vec::new(),
            settled: Vec::new(),
            heap: BinaryHeap::new(),
            pending: Vec::new(),
            next_round: Vec::new(),
        }
    }

    fn edges(&self, t: u32) -> std::ops::Range<usize> {
        self.g.start[t as usize] as usize..self.g.start[t as usize + 1] as usize
    }

    fn attach(&mut self, t: u32, a: u32, w: i64) {
        let slot = self.slot_start[a as usize] + self.used[a as usize];
        self.used[a as usize] += 1;
        self.slot_task[slot as usize] = t;
        self.task_slot[t as usize] = slot;
        self.task_agent[t as usize] = a;
        self.task_weight[t as usize] = w;
    }

    fn detach(&mut self, t: u32) {
        let a = self.task_agent[t as usize];
        let slot = self.task_slot[t as usize];
        let last = self.slot_start[a as usize] + self.used[a as usize] - 1;
        let moved = self.slot_task[last as usize];
        self.slot_task[slot as usize] = moved;
        self.task_slot[moved as usize] = slot;
        self.used[a as usize] -= 1;
        self.task_agent[t as usize] = NONE;
        self.task_slot[t as usize] = NONE;
    }

    fn has_room(&self, a: u32) -> bool {
        self.used[a as usize] < self.g.cap[a as usize]
    }

    /// Solves one component; `reduction_rounds` is 2 in production (0 in tests to exercise
    /// the exact searches on their own).
    fn solve_component(&mut self, tasks: std::ops::Range<u32>, reduction_rounds: usize) {
        let n = tasks.len();
        self.pending.clear();
        self.pending.extend(tasks);
        // Augmenting row reduction: cheap, and leaves the optimality conditions intact, so
        // anything it cannot place is simply handed to the exact searches below. The budget
        // (in task scans) bounds the bidding wars it can get into.
        let mut budget = 400 * n + 64;
        for _round in 0..reduction_rounds {
            self.next_round.clear();
            let mut k = 0;
            while k < self.pending.len() {
                let mut t = self.pending[k];
                k += 1;
                loop {
                    if budget == 0 {
                        self.next_round.push(t);
                        break;
                    }
                    budget -= 1;
                    match self.reduce_row(t) {
                        Reduce::Done => break,
                        Reduce::Defer(u) => {
                            self.next_round.push(u);
                            break;
                        }
                        Reduce::Again(u) => t = u,
                    }
                }
            }
            std::mem::swap(&mut self.pending, &mut self.next_round);
            if self.pending.is_empty() {
                return;
            }
        }
        let pending = std::mem::take(&mut self.pending);
        if std::env::var("ASG_STATS").is_ok() { eprintln!("arr budget left {} pending {}", budget, pending.len()); }
        for &s in &pending {
            self.augment_from(s);
        }
        self.pending = pending;
    }

    /// One auction-like step for the unassigned task `t` (see [`Reduce`]).
    fn reduce_row(&mut self, t: u32) -> Reduce {
        let g = self.g;
        let (mut b1, mut a1, mut w1) = (i64::MIN, NONE, 0);
        let (mut b2, mut a2, mut w2) = (i64::MIN, NONE, 0);
        for e in self.edges(t) {
            let a = g.agent[e];
            let w = g.weight[e];
            let v = w - self.price[a as usize];
            if v > b1 {
                (b2, a2, w2) = (b1, a1, w1);
                (b1, a1, w1) = (v, a, w);
            } else if v > b2 {
                (b2, a2, w2) = (v, a, w);
            }
        }
        if b1 <= 0 {
            // Staying unassigned is at least as good as any agent at these prices, and prices
            // only rise, so this is final.
            return Reduce::Done;
        }
        if self.has_room(a1) {
            self.attach(t, a1, w1);
            return Reduce::Done;
        }
        let second = b2.max(0);
        if b1 == second && a2 != NONE && self.has_room(a2) {
            self.attach(t, a2, w2);
            return Reduce::Done;
        }
        if g.cap[a1 as usize] != 1 {
            // Outbidding one task of a multi-slot agent would change the value of all its
            // tasks; the exact search handles those.
            return Reduce::Defer(t);
        }
        let slot = self.slot_start[a1 as usize];
        let occupant = self.slot_task[slot as usize];
        self.detach(occupant);
        self.attach(t, a1, w1);
        if b1 > second {
            // Raise the price until `t` is indifferent to its second choice: `t` stays on a
            // best agent, every other task's values only drop on this agent.
            self.price[a1 as usize] += b1 - second;
            Reduce::Again(occupant)
        } else {
            Reduce::Defer(occupant)
        }
    }

    /// Relaxes agent `a` at distance `nd` reached from task `t` through a pair of weight `w`.
    #[inline]
    fn relax(&mut self, a: u32, nd: i64, t: u32, w: i64, best: &mut i64, end: &mut PathEnd) {
        let ai = a as usize;
        if nd >= *best || nd >= self.dist[ai] {
            return;
        }
        if self.dist[ai] == INF {
            self.touched.push(a);
        }
        self.dist[ai] = nd;
        self.pred_task[ai] = t;
        self.pred_weight[ai] = w;
        if self.used[ai] < self.g.cap[ai] {
            // A free slot ends the path here; its price is 0 so the end costs exactly `nd`.
            *best = nd;
            *end = PathEnd::FreeAgent(a);
        } else {
            self.heap.push(Reverse((nd, a)));
        }
    }

    /// Shortest augmenting path from the unassigned task `s`, then augmentation and price
    /// update.
    fn augment_from(&mut self, s: u32) {
        let g = self.g;
        // Profit of `s` at current prices: with it as the potential of `s`, all distances are
        // non-negative and "stay unassigned" costs exactly `profit`.
        let mut profit = 0i64;
        for e in self.edges(s) {
            profit = profit.max(g.weight[e] - self.price[g.agent[e] as usize]);
        }
        let mut best = profit;
        let mut end = PathEnd::Source;
        for e in self.edges(s) {
            let a = g.agent[e];
            let w = g.weight[e];
            let nd = profit - (w - self.price[a as usize]);
            self.relax(a, nd, s, w, &mut best, &mut end);
        }
        while let Some(Reverse((d, j))) = self.heap.pop() {
            if d >= best {
                break;
            }
            if d > self.dist[j as usize] {
                continue; // stale entry
            }
            self.settled.push(j);
            let price_j = self.price[j as usize];
            let first = self.slot_start[j as usize];
            for slot in first..first + self.used[j as usize] {
                let i = self.slot_task[slot as usize];
                let base = d + self.task_weight[i as usize] - price_j;
                if base < best {
                    best = base;
                    end = PathEnd::Evict(i);
                }
                for e in self.edges(i) {
                    let a = g.agent[e];
                    if a == j {
                        continue;
                    }
                    let w = g.weight[e];
                    let nd = base - (w - self.price[a as usize]);
                    self.relax(a, nd, i, w, &mut best, &mut end);
                }
            }
        }
        if std::env::var("ASG_STATS").is_ok() { eprintln!("settled {} touched {}", self.settled.len(), self.touched.len()); }
        // Potentials: settled agents move by (best - dist) so every reduced cost stays >= 0.
        for &j in &self.settled {
            self.price[j as usize] += best - self.dist[j as usize];
        }
        let mut cur = match end {
            PathEnd::Source => NONE,
            PathEnd::FreeAgent(a) => a,
            PathEnd::Evict(i) => {
                let a = self.task_agent[i as usize];
                self.detach(i);
                a
            }
        };
        while cur != NONE {
            let t = self.pred_task[cur as usize];
            let w = self.pred_weight[cur as usize];
            let old = self.task_agent[t as usize];
            if old != NONE {
                self.detach(t);
            }
            self.attach(t, cur, w);
            cur = if t == s { NONE } else { old };
        }
        for &a in &self.touched {
            self.dist[a as usize] = INF;
        }
        self.touched.clear();
        self.settled.clear();
        self.heap.clear();
    }
}

/// Outcome of one augmenting-row-reduction step.
enum Reduce {
    /// The task is placed (or finally unassigned).
    Done,
    /// This task needs the exact search (or the next round).
    Defer(u32),
    /// This task was just outbid and should bid again immediately.
    Again(u32),
}

/// Turns per-grouped-task agents into the public result.
fn collect(
    canon: &Canonical,
    g: &Grouped,
    task_agent: &[u32],
    task_weight: &[i64],
) -> Assignment {
    let nt = canon.task_ids.len();
    // Grouped position of each canonical task, so pairs come out sorted by task.
    let mut pos = vec![0u32; nt];
    for (p, &t) in g.task_canon.iter().enumerate() {
        pos[t as usize] = p as u32;
    }
    let mut pairs = Vec::new();
    let mut total = 0i64;
    for (t, &p) in pos.iter().enumerate() {
        let a = task_agent[p as usize];
        if a != NONE {
            pairs.push((canon.task_ids[t], g.agent_orig[a as usize]));
            // Cannot overflow: validation bounded the sum of every task's largest weight.
            total += task_weight[p as usize];
        }
    }
    Assignment {
        pairs,
        total_weight: total,
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
/// # Errors
///
/// [`AssignmentError::TaskOutOfRange`], [`AssignmentError::AgentOutOfRange`],
/// [`AssignmentError::WeightOutOfRange`] (|weight| > [`MAX_ABS_WEIGHT`]),
/// [`AssignmentError::DuplicatePair`], [`AssignmentError::TotalOverflow`] (the sum over tasks
/// of each task's largest positive weight exceeds `i64::MAX`) and
/// [`AssignmentError::TooManyCandidates`]. The first rule broken, scanning candidates in
/// input order, is reported (duplicates are looked for once all candidates pass the per-pair
/// checks).
pub fn solve(problem: &AssignmentProblem) -> Result<Assignment, AssignmentError> {
    solve_with(problem, 2)
}

fn solve_with(
    problem: &AssignmentProblem,
    reduction_rounds: usize,
) -> Result<Assignment, AssignmentError> {
    let canon = canonicalize(problem)?;
    let g = group(&canon, problem.agent_capacities);
    let mut solver = Exact::new(&g);
    for c in 0..g.comp_tasks.len() - 1 {
        solver.solve_component(g.comp_tasks[c]..g.comp_tasks[c + 1], reduction_rounds);
    }
    Ok(collect(&canon, &g, &solver.task_agent, &solver.task_weight))
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
    let nt = canon.task_ids.len();
    let ne = canon.agent.len();
    let caps = problem.agent_capacities;
    let mut order: Vec<u32> = (0..ne as u32).collect();
    // Edges are already in (task, agent) order, so edge index order breaks weight ties.
    order.sort_unstable_by_key(|&e| (Reverse(canon.weight[e as usize]), e));
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
    for &e in &order {
        let t = edge_task[e as usize] as usize;
        let a = canon.agent[e as usize] as usize;
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
            let j = canon.agent[ei as usize] as usize;
            let mut ek = head[j];
            while ek != NONE {
                let k = edge_task[ek as usize] as usize;
                // Best place for k elsewhere: an agent with room, or nowhere (0).
                let (mut alt, mut alt_e) = (0i64, NONE);
                for e in canon.start[k]..canon.start[k + 1] {
                    let a = canon.agent[e as usize] as usize;
                    if a != j && used[a] < caps[a] && canon.weight[e as usize] > alt {
                        (alt, alt_e) = (canon.weight[e as usize], e);
                    }
                }
                let gain = canon.weight[ei as usize] - canon.weight[ek as usize] + alt;
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
            let j = canon.agent[ei as usize] as usize;
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
                let a = canon.agent[alt_e as usize] as usize;
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
            pairs.push((canon.task_ids[t], canon.agent[e as usize]));
            total += canon.weight[e as usize];
        }
    }
    Ok(Assignment {
        pairs,
        total_weight: total,
    })
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
pub fn solve_dense_min_cost(
    rows: usize,
    cols: usize,
    costs: &[i64],
) -> Result<(Vec<usize>, i64), AssignmentError> {
    dense_with(rows, cols, costs, true)
}

/// [`solve_dense_min_cost`] with the initialisation phases optional (tests turn them off to
/// exercise the augmentation alone).
fn dense_with(
    rows: usize,
    cols: usize,
    costs: &[i64],
    init: bool,
) -> Result<(Vec<usize>, i64), AssignmentError> {
    let bad = AssignmentError::BadDimensions {
        rows,
        cols,
        len: costs.len(),
    };
    if rows.checked_mul(cols) != Some(costs.len())
        || rows >= u32::MAX as usize
        || cols >= u32::MAX as usize
    {
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
    if (n as u64)
        .checked_mul(max_abs)
        .is_none_or(|b| b > i64::MAX as u64)
    {
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
        Dense {
            n,
            m,
            c,
            v: vec![0; m],
            x: vec![NONE; n],
            y: vec![NONE; m],
        }
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
        let mut free: Vec<u32> = if self.n == self.m {
            self.column_reduction()
        } else {
            (0..self.n as u32).collect()
        };
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
        for i in 0..n {
            if self.x[i] == NONE {
                free.push(i as u32);
            } else if times[i] == 1 {
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
                    for k in up..m {
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
        Candidate {
            task,
            agent,
            weight,
        }
    }

    fn problem<'a>(tasks: u32, caps: &'a [u32], cands: &'a [Candidate]) -> AssignmentProblem<'a> {
        AssignmentProblem {
            tasks,
            agent_capacities: caps,
            candidates: cands,
        }
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
        fn go(
            t: usize,
            acc: i64,
            by_task: &[Vec<(usize, i64)>],
            rest: &[i64],
            cap: &mut [u32],
            best: &mut i64,
        ) {
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
        let cands = [
            cand(0, 0, 10),
            cand(1, 0, 9),
            cand(2, 0, 8),
            cand(0, 1, 1),
            cand(1, 1, 1),
            cand(2, 1, 5),
        ];
        let p = problem(3, &[2, 1], &cands);
        let r = solve(&p).unwrap();
        assert_eq!(r.pairs, vec![(0, 0), (1, 0), (2, 1)]);
        assert_eq!(r.total_weight, 24);
        check_feasible(&p, &solve_greedy(&p).unwrap()).unwrap();
    }

    #[test]
    fn needs_a_long_augmenting_path() {
        // Greedy takes (0,0); the optimum shifts every task one agent along.
        let cands = [
            cand(0, 0, 10),
            cand(0, 1, 9),
            cand(1, 0, 9),
            cand(1, 1, 1),
            cand(1, 2, 8),
            cand(2, 1, 8),
        ];
        let p = problem(3, &[1, 1, 1], &cands);
        let r = solve(&p).unwrap();
        assert_eq!(r.total_weight, brute_force(&p));
        assert_eq!(r.total_weight, 9 + 9 + 8);
        let g = solve_greedy(&p).unwrap();
        check_feasible(&p, &g).unwrap();
        assert!(g.total_weight <= r.total_weight);
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
        let e = solve(&problem(2, &caps, &[cand(0, 1, 1), cand(1, 0, 2), cand(0, 1, 3)]))
            .unwrap_err();
        assert_eq!(
            e,
            AssignmentError::DuplicatePair { first: 0, second: 2, task: 0, agent: 1 }
        );
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
            let pure = solve_with(&p, 0).unwrap();
            prop_assert_eq!(check_feasible(&p, &pure), Ok(()));
            prop_assert_eq!(pure.total_weight, optimum);
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
            prop_assert_eq!(solve_with(&p, 0).unwrap().total_weight, -dense_total);
            let (_, pure_dense) = dense_with(nt as usize, cols, &cost, false).unwrap();
            prop_assert_eq!(pure_dense, dense_total);
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
