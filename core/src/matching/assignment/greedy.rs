//! The greedy approximation ([`solve_greedy`]) for callers with a work budget: heaviest pairs
//! first, then one bounded pass of local improvement.
//!
//! Invariants: the result never breaks a constraint, its total is never above [`solve`](super::solve)'s, it
//! depends only on the set of candidates (same validation and canonical order as [`solve`](super::solve)),
//! and its cost stays linear in the candidates.

use super::canonical::canonicalize;
use super::{Assignment, AssignmentError, AssignmentProblem, NONE};

/// Fast deterministic approximation of [`solve`](super::solve) for callers with a time budget.
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
/// The result never violates a constraint, its total is never above [`solve`](super::solve)'s, and it
/// depends only on the set of candidates.
///
/// # Errors
///
/// The same validation as [`solve`](super::solve).
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
