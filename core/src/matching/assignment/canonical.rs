//! Phase 1, validation and canonical form: every rule of the sparse input is checked (the first
//! rule broken, in input order, is the error), and the useful pairs (weight `> 0`, agent
//! capacity `> 0`) come out sorted by `(task, agent)`, with the shape later phases need (edges
//! per task, degree and best weight per agent, best weight per task).
//!
//! Invariants: every later phase sees only canonical edges (valid indices, no duplicates, no
//! pair that can never be chosen), so the result cannot depend on the input's order; the sum
//! of the tasks' largest weights fits in an `i64`, so no total computed later can overflow;
//! already canonical input (the usual case) is borrowed, not copied.

use super::{AssignmentError, AssignmentProblem, Candidate, MAX_ABS_WEIGHT};
use std::borrow::Cow;

/// The useful candidates in canonical order: sorted by (task, agent), weight `> 0`, agent
/// capacity `> 0`. Borrowed from the caller when the input already has that form (the usual
/// case), so no copy is made.
pub(super) struct Canonical<'a> {
    pub(super) edges: Cow<'a, [Candidate]>,
    /// Edges of the `t`-th task that has any are `start[t]..start[t + 1]`.
    pub(super) start: Vec<u32>,
    /// Number of useful edges of each agent.
    pub(super) degree: Vec<u32>,
    /// Largest useful weight of each agent (for [`choose_rows`](super::orientation::choose_rows) only).
    pub(super) agent_max: Vec<i64>,
    /// Largest useful weight of each task (for [`choose_rows`](super::orientation::choose_rows) only).
    pub(super) task_max: Vec<i64>,
}

impl Canonical<'_> {
    pub(super) fn tasks(&self) -> usize {
        self.start.len() - 1
    }

    /// Original id of the `t`-th task.
    pub(super) fn task_id(&self, t: usize) -> u32 {
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
pub(super) fn canonicalize<'a>(problem: &AssignmentProblem<'a>) -> Result<Canonical<'a>, AssignmentError> {
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
