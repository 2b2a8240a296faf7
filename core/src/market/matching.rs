//! Deciding the matching commands (ranking, batch assignment) and the matching queries
//! (eligibility explanations, rankings without recording exposure, the fairness report), and
//! what matching reads of the market ([`MatchingInputs`]).

use super::tasks::later;
use super::Market;
use crate::actor::Actor;
use crate::command::Command;
use crate::event::{ClaimRoute, EventKind};
use crate::ids::{AgentId, CategoryId, ClientId, TaskId, Timestamp};
use crate::limits::MAX_ITEMS;
use crate::matching::batch::{self, Batch};
use crate::matching::fairness::{gini, CohortShare, FairnessCounters, FairnessReport};
use crate::matching::index::MatchIndex;
use crate::matching::{eligibility_refusals, rank, Gate, MatchingConfig, MatchingInputs, RankedAgent};
use crate::party::{Agent, AgentKind};
use crate::rejection::Rejection;
use crate::reputation::{Reputation, ReputationConfig};
use crate::task::Task;
use crate::tier::Tier;

/// The first id that appears twice in `ids` (sorted copy: `O(n log n)`, no hashing).
fn first_repeat<T: Ord + Copy>(ids: &[T]) -> Option<T> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

/// Matching reads the market through this, and only this: the market's own accessors.
impl MatchingInputs for Market {
    fn matching_config(&self) -> &MatchingConfig {
        &self.config.matching
    }
    fn reputation_config(&self) -> &ReputationConfig {
        &self.config.reputation
    }
    fn seed(&self) -> u64 {
        self.config.seed
    }
    fn agents(&self) -> &[Agent] {
        &self.agents
    }
    fn tasks(&self) -> &[Task] {
        &self.tasks
    }
    fn reputation(&self) -> &Reputation {
        &self.reputation
    }
    fn fairness(&self) -> &FairnessCounters {
        &self.fairness
    }
    fn match_index(&self) -> &MatchIndex {
        Market::match_index(self)
    }
    fn client_owner(&self, client: ClientId) -> Option<u32> {
        Market::client(self, client).map(|c| c.owner_code)
    }
    fn skill_code(&self, name: &str) -> Option<u32> {
        Market::skill_code(self, name)
    }
    fn category_name(&self, category: CategoryId) -> &str {
        Market::category_name(self, category)
    }
}

/// Most agents one ranking may list.
pub const MAX_RANK: u32 = 100;

/// How many agents a ranking may be asked for: the command and the query refuse the same `k`
/// with the same rejection.
fn check_rank_size(k: u32) -> Result<(), Rejection> {
    if (1..=MAX_RANK).contains(&k) {
        Ok(())
    } else {
        Err(Rejection::out_of_range("k", format!("1 to {MAX_RANK}")))
    }
}

impl Market {
    pub(super) fn decide_matching(
        &self,
        now: Timestamp,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<EventKind>, Rejection> {
        match command {
            Command::RankAgents { task, k } => {
                let t = self.task_ref(task)?;
                match actor {
                    Actor::Operator => {}
                    Actor::Client { .. } => {
                        self.own_task(actor, task, "rank agents for")?;
                    }
                    other => return Err(Rejection::WrongRole { role: other.role(), action: "rank agents".into() }),
                }
                check_rank_size(k)?;
                Ok(vec![EventKind::AgentsRanked { task, ranked: rank(self, t, k as usize, now) }])
            }
            Command::AssignTasks { tasks, agents, time_budget_ms } => {
                if actor != Actor::Operator {
                    return Err(Rejection::WrongRole { role: actor.role(), action: "assign tasks in a batch".into() });
                }
                if let Some(ids) = &tasks {
                    if ids.len() > MAX_ITEMS * 1_000 {
                        return Err(Rejection::too_large("tasks", MAX_ITEMS * 1_000));
                    }
                    if let Some(missing) = ids.iter().find(|id| id.index() >= self.tasks.len()) {
                        return Err(Rejection::UnknownTask { task: *missing });
                    }
                    // A task listed twice would be placed twice (two `TaskClaimed` for one task).
                    if let Some(twice) = first_repeat(ids) {
                        return Err(Rejection::DuplicateItem { what: "tasks".into(), item: twice.to_string() });
                    }
                }
                if let Some(ids) = &agents {
                    if ids.len() > MAX_ITEMS * 1_000 {
                        return Err(Rejection::too_large("agents", MAX_ITEMS * 1_000));
                    }
                    if let Some(missing) = ids.iter().find(|id| id.index() >= self.agents.len()) {
                        return Err(Rejection::UnknownAgent { agent: *missing });
                    }
                    // An agent listed twice would count its capacity twice.
                    if let Some(twice) = first_repeat(ids) {
                        return Err(Rejection::DuplicateItem { what: "agents".into(), item: twice.to_string() });
                    }
                }
                let Batch { tasks, candidates, placements, total_fit, exact } =
                    batch::plan(self, tasks.as_deref(), agents.as_deref(), time_budget_ms, now);
                let mut events = vec![EventKind::BatchAssigned {
                    tasks,
                    candidates,
                    placed: placements.len() as u32,
                    total_fit,
                    exact,
                }];
                for p in placements {
                    let t = &self.tasks[p.task.index()];
                    let tier = self.tier_of(p.agent);
                    events.push(EventKind::TaskClaimed {
                        task: p.task,
                        agent: p.agent,
                        price: t.spec.pricing.offered(tier),
                        lease_due: later(now, t.spec.deadlines.lease_ms),
                        via: ClaimRoute::Assignment,
                        exploring: p.fit.exploration > 0.0,
                        matched: self.gates_leave_a_choice(t),
                        premium: t.spec.pricing.premium(tier),
                    });
                }
                Ok(events)
            }
            other => unreachable!("decide_matching got {}", other.name()),
        }
    }

    /// Why `agent` may not take `task` now, as sentences (empty when it may). Capacity is
    /// reported too, as the last sentence.
    pub fn eligibility(&self, task: TaskId, agent: AgentId) -> Result<Vec<String>, Rejection> {
        let t = self.task_ref(task)?;
        let a = self.agents.get(agent.index()).ok_or(Rejection::UnknownAgent { agent })?;
        let mut reasons = eligibility_refusals(self, t, a, self.now, Gate::Claim);
        if a.active >= a.capacity {
            reasons.push(format!("at capacity ({} of {} tasks)", a.active, a.capacity));
        }
        Ok(reasons)
    }

    /// The top `k` agents for `task` now, with factors, without recording exposure (for
    /// previews; the `RankAgents` command records it). `k` outside 1 to 100 (`MAX_RANK`) is refused
    /// as `RankAgents` refuses it (`OutOfRange`), not clamped.
    pub fn ranking(&self, task: TaskId, k: u32) -> Result<Vec<RankedAgent>, Rejection> {
        let t = self.task_ref(task)?;
        check_rank_size(k)?;
        Ok(rank(self, t, k as usize, self.now))
    }

    /// Exposure and assignments by cohort, concentration of work, newcomer budget spent.
    /// Population shares count the agents in good standing (suspended and closed agents can get
    /// no work, so they are no part of the population work could go to); exposure, assignments
    /// and the concentration of settled work are history and count everyone.
    pub fn fairness_report(&self) -> FairnessReport {
        let population = || self.agents.iter().filter(|a| a.standing.is_active());
        let n = population().count().max(1) as f64;
        let new = population().filter(|a| self.tier_of(a.id) == Tier::New).count() as f64;
        let human = population().filter(|a| a.kind == AgentKind::Human).count() as f64;
        let shares = |by_tenure: [u64; 2], by_kind: [u64; 2]| -> Vec<CohortShare> {
            // Summed as f64: only shares are reported, and two u64 counters may pass u64::MAX.
            let t: f64 = by_tenure.iter().map(|&n| n as f64).sum();
            let share = |c: u64| if t == 0.0 { 0.0 } else { c as f64 / t };
            vec![
                CohortShare {
                    cohort: "new".into(),
                    count: by_tenure[0],
                    share: share(by_tenure[0]),
                    population_share: new / n,
                },
                CohortShare {
                    cohort: "established".into(),
                    count: by_tenure[1],
                    share: share(by_tenure[1]),
                    population_share: 1.0 - new / n,
                },
                CohortShare {
                    cohort: "ai".into(),
                    count: by_kind[0],
                    share: share(by_kind[0]),
                    population_share: 1.0 - human / n,
                },
                CohortShare {
                    cohort: "human".into(),
                    count: by_kind[1],
                    share: share(by_kind[1]),
                    population_share: human / n,
                },
            ]
        };
        let f = &self.fairness;
        let mut settled: Vec<u64> = (0..self.agents.len())
            .map(|i| self.reputation.agent(AgentId(i as u32)).map_or(0, |r| u64::from(r.settled)))
            .collect();
        settled.sort_unstable_by(|a, b| b.cmp(a));
        // Summed as f64: only their ratio is reported, and a sum of u64s may pass u64::MAX.
        let total: f64 = settled.iter().map(|&n| n as f64).sum();
        let decile = settled.len().div_ceil(10);
        let top: f64 = settled.iter().take(decile).map(|&n| n as f64).sum();
        let assigned = f.assigned_total();
        FairnessReport {
            exposure: shares(f.exposure_by_tenure, f.exposure_by_kind),
            assignments: shares(f.assigned_by_tenure, f.assigned_by_kind),
            work_gini: gini(&settled),
            top_decile_share: if total == 0.0 { 0.0 } else { top / total },
            newcomer_budget_bps: self.config.matching.newcomer_budget_bps,
            // In u128 (the product of a u64 counter and 10^4 can pass u64); the share is at most
            // 10^4 whenever exploratory <= assigned, and saturates otherwise.
            newcomer_budget_spent_bps: u64::try_from(
                (u128::from(f.exploratory) * 10_000).checked_div(assigned).unwrap_or(0),
            )
            .unwrap_or(u64::MAX),
            exploratory_assignments: f.exploratory,
        }
    }
}
