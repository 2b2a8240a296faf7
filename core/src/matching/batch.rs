//! Batch assignment: many open tasks to many agents at once, maximising total fit under agent
//! capacities, over sparse candidate lists (eligible pairs only).
//!
//! Fits are scaled to integers (micro-units) so the solver is exact and deterministic; the
//! solver splits the problem into independent components. With a time budget the candidate count
//! is compared against `candidates_per_ms × budget` and, when over, the greedy approximation
//! (documented in `assignment::solve_greedy`) is used instead: the engine has no clock, so the
//! budget is a declared amount of work, not a measured time.

use super::assignment::{self, AssignmentProblem, Candidate};
use super::eligibility::{is_eligible, TaskGate};
use super::fit::{Fit, FitContext};
use super::inputs::MatchingInputs;
use crate::ids::{AgentId, TaskId, Timestamp};
use crate::spec::Pricing;
use crate::task::{Task, TaskStatus};

/// Fit is scaled by this to get integer weights.
pub const FIT_SCALE: f64 = 1e6;

/// One assignment a batch makes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// The task.
    pub task: TaskId,
    /// The agent.
    pub agent: AgentId,
    /// The fit that earned it.
    pub fit: Fit,
}

/// A solved batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// Tasks considered.
    pub tasks: u32,
    /// Candidate pairs considered.
    pub candidates: u64,
    /// Placements, by task.
    pub placements: Vec<Placement>,
    /// Sum of the placements' fits.
    pub total_fit: f64,
    /// Whether the optimum is exact (false when the greedy fallback ran).
    pub exact: bool,
}

/// Whether `task` can be placed by a batch at `now`: open, fixed-price, before its claim-by
/// time, with no claims waiting for priority-window arbitration.
pub fn placeable(task: &Task, now: Timestamp) -> bool {
    matches!(&task.status, TaskStatus::Open { queued, .. } if queued.is_empty())
        && matches!(task.spec.pricing, Pricing::Fixed { .. })
        && now < task.spec.deadlines.claim_by
}

/// Solve a batch over `tasks` (all placeable open tasks when `None`) among `agents` (every agent
/// when `None`).
pub fn plan(
    inputs: &impl MatchingInputs,
    tasks: Option<&[TaskId]>,
    agents: Option<&[AgentId]>,
    time_budget_ms: Option<u64>,
    now: Timestamp,
) -> Batch {
    let config = inputs.matching_config();
    let chosen: Vec<&Task> = match tasks {
        Some(ids) => ids.iter().filter_map(|id| inputs.task(*id)).filter(|t| placeable(t, now)).collect(),
        None => inputs.tasks().iter().filter(|t| placeable(t, now)).collect(),
    };
    // Agents in good standing with spare capacity, compacted to dense solver indices.
    let allowed = |id: AgentId| agents.is_none_or(|list| list.contains(&id));
    let agents: Vec<AgentId> = inputs
        .agents()
        .iter()
        .filter(|a| a.active < a.capacity && a.standing.is_active() && allowed(a.id))
        .map(|a| a.id)
        .collect();
    let capacities: Vec<u32> = agents.iter().map(|id| inputs.agent(*id).map_or(0, |a| a.capacity - a.active)).collect();
    let counters = inputs.fairness();
    // Exploration is rationed to the budget's room once the placements are counted. The room is
    // first worked out for every task placed; if fewer are placed and the explorers among them
    // are over the room for that many, the batch is solved again with fewer explorers (the last
    // try has none), so the budget holds exactly.
    let mut room = counters.exploration_room(config, chosen.len() as u64);
    let mut tries = 0;
    loop {
        let explorers = explorers(inputs, &agents, room);
        let batch = solve(inputs, &chosen, &agents, &capacities, &explorers, time_budget_ms, now);
        let exploring = batch.placements.iter().filter(|p| p.fit.exploration > 0.0).count() as u64;
        let room_for_placed = counters.exploration_room(config, batch.placements.len() as u64);
        if exploring <= room_for_placed || explorers.is_empty() {
            return batch;
        }
        tries += 1;
        room = if tries >= 3 { 0 } else { room_for_placed };
    }
}

/// Solve one batch with `explorers` allowed exploration bonuses.
fn solve(
    inputs: &impl MatchingInputs,
    chosen: &[&Task],
    agents: &[AgentId],
    capacities: &[u32],
    explorers: &[AgentId],
    time_budget_ms: Option<u64>,
    now: Timestamp,
) -> Batch {
    let config = inputs.matching_config();
    let mut candidates = Vec::new();
    let mut fits: Vec<Fit> = Vec::new();
    // Each task's candidates are contiguous: ranges[ti] is where they sit.
    let mut ranges = Vec::with_capacity(chosen.len());
    for (ti, task) in chosen.iter().enumerate() {
        let lookups = TaskGate::new(inputs, task);
        // The explorers list already holds the batch within the budget.
        let context = FitContext::with_exploration(
            inputs,
            task,
            !explorers.is_empty() && super::fit::is_simple(&task.spec, config),
        );
        let start = candidates.len();
        for (ai, id) in agents.iter().enumerate() {
            let Some(agent) = inputs.agent(*id) else { continue };
            if !is_eligible(inputs, task, agent, now, &lookups) {
                continue;
            }
            let explore = explorers.binary_search(id).is_ok();
            let f = context.fit(agent, task.spec.pricing.offered(inputs.reputation().tier(*id)), explore);
            let weight = ((f.score * FIT_SCALE).round() as i64).max(1);
            candidates.push(Candidate { task: ti as u32, agent: ai as u32, weight });
            fits.push(f);
        }
        if let Some(limit) = config.candidates_per_task {
            // Keep this task's best-fitting candidates (ties: lower agent index).
            let mut mine: Vec<(Candidate, Fit)> = candidates.drain(start..).zip(fits.drain(start..)).collect();
            mine.sort_by(|a, b| b.0.weight.cmp(&a.0.weight).then(a.0.agent.cmp(&b.0.agent)));
            mine.truncate(limit as usize);
            for (c, f) in mine {
                candidates.push(c);
                fits.push(f);
            }
        }
        ranges.push(start..candidates.len());
    }
    let problem =
        AssignmentProblem { tasks: chosen.len() as u32, agent_capacities: capacities, candidates: &candidates };
    let over_budget =
        time_budget_ms.is_some_and(|ms| candidates.len() as u64 > ms.saturating_mul(config.candidates_per_ms));
    let solved = if over_budget { assignment::solve_greedy(&problem) } else { assignment::solve(&problem) };
    // The problem is built from valid indices, so the solver cannot refuse it; an empty plan is
    // the safe answer if it ever did.
    let solution = solved.unwrap_or(assignment::Assignment { pairs: Vec::new(), total_weight: 0 });
    let placements: Vec<Placement> = solution
        .pairs
        .iter()
        .filter_map(|&(ti, ai)| {
            let range = ranges.get(ti as usize)?.clone();
            let at = range.start + candidates[range].iter().position(|c| c.agent == ai)?;
            Some(Placement { task: chosen[ti as usize].id, agent: agents[ai as usize], fit: fits[at] })
        })
        .collect();
    let total_fit = placements.iter().map(|p| p.fit.score).sum();
    Batch {
        tasks: chosen.len() as u32,
        candidates: candidates.len() as u64,
        placements,
        total_fit,
        exact: !over_budget,
    }
}

/// Purpose tag of the draw that picks a batch's explorers.
const EXPLORER_DRAW: u64 = 3;

/// The agents with thin records that may get the exploration bonus in this batch: at most
/// `room`, least evidence first, ties by a seeded draw. Rationing per batch keeps a large batch
/// from spending the whole budget at once.
fn explorers(inputs: &impl MatchingInputs, agents: &[AgentId], room: u64) -> Vec<AgentId> {
    if room == 0 {
        return Vec::new();
    }
    let config = inputs.matching_config();
    // The draw's counter: assignments so far (wrapping only matters past 2^64 assignments).
    let assigned = inputs.fairness().assigned_total() as u64;
    let mut thin: Vec<(u32, u64, AgentId)> = agents
        .iter()
        .filter_map(|id| {
            let tried = inputs.reputation().agent(*id).map_or(0, |r| r.settled);
            (super::fit::uncertainty(f64::from(tried), config.newcomer_evidence) > 0.0)
                .then(|| (tried, crate::rng::draw(inputs.seed(), EXPLORER_DRAW, assigned, u64::from(id.0)), *id))
        })
        .collect();
    thin.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<AgentId> =
        thin.into_iter().take(usize::try_from(room).unwrap_or(usize::MAX)).map(|(_, _, id)| id).collect();
    chosen.sort();
    chosen
}
