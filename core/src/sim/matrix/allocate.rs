//! The three allocation policies, each with the oracle it is measured against.
//!
//! The oracle knows every agent's true value (skill and speed, `Person::value`) and places, at
//! the same moment as the policy, among the agents that are free and pass every eligibility
//! gate (`matching::is_eligible`): for rank-then-claim, each task to the best such agent; for a
//! batch and for bids closing together, an optimal assignment of those tasks (same capacities)
//! by true value. `efficiency` = realised true value of the ordinary tasks placed over the
//! oracle's, both summed over the run (so it can exceed 1 in principle: the oracle's choices are
//! not carried out). Under bids the engine can only award one of the agents that bid, so a
//! second oracle places among those alone (`efficiency_among_bidders`): what the award made of
//! the bids it had, apart from who happened to bid.

use super::cells::Allocation;
use super::world::{Action, MatrixWorld, MINUTE};
use crate::actor::Actor;
use crate::command::Command;
use crate::ids::{AgentId, Money, TaskId, Timestamp};
use crate::matching::assignment::{self, AssignmentProblem, Candidate};
use crate::matching::{batch, is_eligible, TaskGate};
use crate::spec::Pricing;
use crate::task::TaskStatus;

/// Ranking depth the host reads before giving up on a task for now.
const RANK_K: u32 = 10;
/// Bids a bid-priced task collects at most.
const BIDS_PER_TASK: usize = 15;
/// Agents asked to bid on one task at most.
const BID_ATTEMPTS: usize = 60;

impl MatrixWorld {
    /// Free agents that pass every gate for `task`, with their true value for it.
    fn free_eligible(&self, task: TaskId) -> Vec<(AgentId, f64)> {
        let Some(t) = self.market.task(task) else { return Vec::new() };
        let gate = TaskGate::new(&self.market, t);
        let category = self.tasks[task.index()].category;
        self.market
            .agents()
            .iter()
            .filter(|a| self.free(a.id) && is_eligible(&self.market, t, a, self.now, &gate))
            .map(|a| (a.id, self.value(a.id, category)))
            .collect()
    }

    /// An optimal assignment of `tasks` to free eligible agents by true value (capacity 1 left
    /// each, as every agent here has capacity 1); with `bidders_only`, each task only to an
    /// agent that bid on it.
    fn oracle_assignment(&self, tasks: &[TaskId], bidders_only: bool) -> f64 {
        let mut agents: Vec<AgentId> = Vec::new();
        let mut slot: Vec<Option<usize>> = vec![None; self.market.agents().len()];
        let mut candidates = Vec::new();
        for (ti, &t) in tasks.iter().enumerate() {
            let bid: Vec<AgentId> = match self.market.task(t).map(|x| &x.status) {
                Some(TaskStatus::Open { bids, .. }) if bidders_only => bids.iter().map(|b| b.agent).collect(),
                _ => Vec::new(),
            };
            for (a, v) in self.free_eligible(t).into_iter().filter(|(a, _)| !bidders_only || bid.contains(a)) {
                let ai = *slot[a.index()].get_or_insert_with(|| {
                    agents.push(a);
                    agents.len() - 1
                });
                candidates.push(Candidate { task: ti as u32, agent: ai as u32, weight: (v * 1e6) as i64 + 1 });
            }
        }
        let capacities: Vec<u32> =
            agents.iter().map(|a| self.market.agent(*a).map_or(0, |x| x.capacity.saturating_sub(x.active))).collect();
        let problem =
            AssignmentProblem { tasks: tasks.len() as u32, agent_capacities: &capacities, candidates: &candidates };
        // Weights carry +1 each so that a zero value still counts as a placement.
        assignment::solve(&problem).map_or(0.0, |s| {
            let placed = s.pairs.len() as f64;
            (s.total_weight as f64 - placed) / 1e6
        })
    }

    /// Ordinary fixed-price tasks still open and placeable, oldest first.
    fn open_fixed(&mut self) -> Vec<TaskId> {
        let now = self.now;
        let market = &self.market;
        self.flow_open.retain(|t| market.task(*t).is_some_and(|x| matches!(x.status, TaskStatus::Open { .. })));
        self.flow_open.iter().copied().filter(|t| market.task(*t).is_some_and(|x| batch::placeable(x, now))).collect()
    }

    /// Allocate: at the start of a round (`posted` the new tasks) and halfway through it.
    pub(super) fn allocate(&mut self, posted: &[TaskId]) {
        match self.cell.allocation {
            Allocation::RankClaim => {
                for task in self.open_fixed() {
                    self.rank_and_claim(task);
                }
            }
            Allocation::Batch => {
                let tasks = self.open_fixed();
                if !tasks.is_empty() {
                    self.oracle += self.oracle_assignment(&tasks, false);
                    self.op(Command::AssignTasks { tasks: Some(tasks), agents: None, time_budget_ms: None });
                }
            }
            Allocation::Bids => {
                let mut closes: Option<Timestamp> = None;
                for &task in posted {
                    if let Some(Pricing::Bids { bidding_closes_at, .. }) =
                        self.market.task(task).map(|t| t.spec.pricing.clone())
                    {
                        closes = Some(bidding_closes_at);
                        self.collect_bids(task);
                    }
                }
                if let Some(at) = closes {
                    self.schedule(at.saturating_sub(1), Action::BidOracle { closes: at });
                }
            }
        }
    }

    /// The client ranks agents for its task; the top entry claims, and if it cannot, the next.
    fn rank_and_claim(&mut self, task: TaskId) {
        let Some(client) = self.market.task(task).map(|t| t.client) else { return };
        let best = self
            .free_eligible(task)
            .into_iter()
            .map(|(_, v)| v)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        let Some(events) = self.apply(Actor::Client { id: client }, Command::RankAgents { task, k: RANK_K }) else {
            return;
        };
        let ranked = crate::sim::ranked_agents(&events);
        for agent in ranked {
            if self.retired[agent.index()] {
                continue;
            }
            if self.apply(Actor::Agent { id: agent }, Command::ClaimTask { task, spec_hash: None }).is_some() {
                self.oracle += best.unwrap_or(0.0);
                return;
            }
        }
    }

    /// Free agents, in random order, bid their asking price until the task has enough bids.
    fn collect_bids(&mut self, task: TaskId) {
        let Some((ceiling, category)) = self.market.task(task).and_then(|t| match t.spec.pricing {
            Pricing::Bids { ceiling, .. } => Some((ceiling, self.tasks[task.index()].category)),
            Pricing::Fixed { .. } => None,
        }) else {
            return;
        };
        let mut free: Vec<AgentId> = self.market.agents().iter().map(|a| a.id).filter(|a| self.free(*a)).collect();
        let (mut placed, mut asked) = (0, 0);
        while placed < BIDS_PER_TASK && asked < BID_ATTEMPTS && !free.is_empty() {
            let i = self.rng.below(free.len() as u64) as usize;
            let agent = free.swap_remove(i);
            asked += 1;
            let person = &self.people[self.owner_of[agent.index()]];
            // Asking price: from 60 % of the ceiling for the weakest to 80 % for the best
            // (better agents ask more, not much more), +-10 % noise. Agents register with a
            // minimum rate of 0 so that every policy has the same eligible agents.
            let ask = ceiling as f64 * (0.6 + 0.2 * person.skill[category]) * (0.9 + 0.2 * self.rng.unit());
            let price = (ask.round() as Money).clamp(1, ceiling);
            let eta_ms = (5 + ((1.0 - person.speed) * 20.0) as u64) * MINUTE;
            if self.apply(Actor::Agent { id: agent }, Command::PlaceBid { task, price, eta_ms }).is_some() {
                placed += 1;
            }
        }
    }

    /// Just before bidding closes: the oracle's assignment of the tasks closing then.
    pub(super) fn bid_oracle(&mut self, closes: Timestamp) {
        let closing: Vec<TaskId> = self
            .flow_open
            .iter()
            .copied()
            .filter(|t| {
                self.market.task(*t).is_some_and(|x| {
                    matches!(x.status, TaskStatus::Open { .. })
                        && matches!(x.spec.pricing, Pricing::Bids { bidding_closes_at, .. } if bidding_closes_at <= closes)
                })
            })
            .collect();
        self.oracle += self.oracle_assignment(&closing, false);
        self.oracle_bidders += self.oracle_assignment(&closing, true);
    }
}
