//! Fairness: who gets seen and who gets work, by cohort, and how concentrated work is.

use super::config::MatchingConfig;
use crate::ids::{AgentId, Bps, TaskId, FULL_BPS};
use crate::party::AgentKind;
use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// Running counts, kept in the market state (updated by `evolve`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairnessCounters {
    /// Appearances in rankings: [new, established] by tenure.
    pub exposure_by_tenure: [u64; 2],
    /// Appearances in rankings: [AI, human].
    pub exposure_by_kind: [u64; 2],
    /// Tasks claimed (any route): [new, established].
    pub assigned_by_tenure: [u64; 2],
    /// Tasks claimed (any route): [AI, human].
    pub assigned_by_kind: [u64; 2],
    /// Tasks that exploration decided (on any route: claim after a ranking, batch assignment,
    /// bid award, priority-window arbitration).
    pub exploratory: u64,
    /// Open tasks whose latest `RankAgents` put an agent on top by exploration, with that agent,
    /// sorted by task. Each holds a place in the budget until the task leaves the board; if that
    /// agent claims it, the claim is charged as exploratory. Absent in older snapshots.
    #[serde(default)]
    pub exploration_holds: Vec<(TaskId, AgentId)>,
    /// Per agent, by id: the market's assignment count (`assigned_total`) when it registered or
    /// last got a task. How long it has waited, in the market's own pace, orders exploration
    /// (see `FitContext::exploration`). Absent in older snapshots (then every agent reads as
    /// waiting since the first assignment).
    #[serde(default)]
    pub waiting_since: Vec<u64>,
}

impl FairnessCounters {
    /// Whether the exploration budget has room for one more exploratory assignment, counting
    /// every hold as one that will be charged: with it, exploratory assignments stay within
    /// `newcomer_budget_bps` of all assignments at every step, never above it.
    pub fn budget_left(&self, config: &MatchingConfig) -> bool {
        self.exploration_room(config, 1) >= 1
    }

    /// How many of `more` further assignments exploration may decide while keeping exploratory
    /// assignments (holds included) within the budget.
    pub fn exploration_room(&self, config: &MatchingConfig, more: u64) -> u64 {
        // In u128: u64 counters, hold counts and 10^4 cannot overflow it.
        let held = self.exploration_holds.len() as u128;
        let assigned = self.assigned_total() + held + u128::from(more);
        let allowed = u128::from(config.newcomer_budget_bps.min(FULL_BPS)) * assigned / u128::from(FULL_BPS);
        let used = u128::from(self.exploratory) + held;
        u64::try_from(allowed.saturating_sub(used)).unwrap_or(u64::MAX).min(more)
    }

    /// The agent exploration put on top of `task`'s latest ranking, if it still holds.
    pub fn exploration_hold(&self, task: TaskId) -> Option<AgentId> {
        self.exploration_holds.binary_search_by_key(&task, |(t, _)| *t).ok().map(|i| self.exploration_holds[i].1)
    }

    pub(crate) fn hold(&mut self, task: TaskId, agent: AgentId) {
        match self.exploration_holds.binary_search_by_key(&task, |(t, _)| *t) {
            Ok(i) => self.exploration_holds[i].1 = agent,
            Err(i) => self.exploration_holds.insert(i, (task, agent)),
        }
    }

    pub(crate) fn release(&mut self, task: TaskId) {
        if let Ok(i) = self.exploration_holds.binary_search_by_key(&task, |(t, _)| *t) {
            self.exploration_holds.remove(i);
        }
    }

    /// Assignments the market made since `agent` registered or last got a task.
    pub fn waited(&self, agent: AgentId) -> u64 {
        waited_since(self.assignment_clock(), &self.waiting_since, agent)
    }

    /// The assignments made so far, the clock waits are measured on (saturating at u64::MAX).
    pub(crate) fn assignment_clock(&self) -> u64 {
        u64::try_from(self.assigned_total()).unwrap_or(u64::MAX)
    }

    /// `agent` registered or got a task: its wait starts again.
    pub(crate) fn restart_wait(&mut self, agent: AgentId) {
        let now = self.assignment_clock();
        if self.waiting_since.len() <= agent.index() {
            self.waiting_since.resize(agent.index() + 1, 0);
        }
        self.waiting_since[agent.index()] = now;
    }

    /// Assignments of every cohort, in u128 so that the sum of two u64 counters cannot wrap.
    pub fn assigned_total(&self) -> u128 {
        self.assigned_by_tenure.iter().map(|&n| u128::from(n)).sum()
    }

    pub(crate) fn cohorts(tier: Tier, kind: AgentKind) -> (usize, usize) {
        (usize::from(tier != Tier::New), usize::from(kind == AgentKind::Human))
    }

    pub(crate) fn exposed(&mut self, tier: Tier, kind: AgentKind) {
        let (t, k) = Self::cohorts(tier, kind);
        // Counters saturate: a count that stops at u64::MAX beats a panic or a wrap to 0.
        self.exposure_by_tenure[t] = self.exposure_by_tenure[t].saturating_add(1);
        self.exposure_by_kind[k] = self.exposure_by_kind[k].saturating_add(1);
    }

    pub(crate) fn assigned(&mut self, tier: Tier, kind: AgentKind, exploring: bool) {
        let (t, k) = Self::cohorts(tier, kind);
        self.assigned_by_tenure[t] = self.assigned_by_tenure[t].saturating_add(1);
        self.assigned_by_kind[k] = self.assigned_by_kind[k].saturating_add(1);
        self.exploratory = self.exploratory.saturating_add(u64::from(exploring));
    }
}

/// A cohort's count and share.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CohortShare {
    /// `new`, `established`, `ai` or `human`.
    pub cohort: String,
    /// How many.
    pub count: u64,
    /// Share of the total in [0, 1] (0 when the total is 0).
    pub share: f64,
    /// Share of registered agents in this cohort, for comparison.
    pub population_share: f64,
}

/// The market's fairness figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct FairnessReport {
    /// Appearances in rankings by cohort.
    pub exposure: Vec<CohortShare>,
    /// Tasks claimed by cohort.
    pub assignments: Vec<CohortShare>,
    /// Gini coefficient of settled tasks over agents (0 equal, 1 one agent does everything).
    pub work_gini: f64,
    /// Share of settled tasks done by the busiest tenth of agents.
    pub top_decile_share: f64,
    /// The declared newcomer budget, in basis points of assignments.
    pub newcomer_budget_bps: Bps,
    /// The share of assignments that exploration gave newcomers, in basis points.
    // A u64 (it saturates rather than wraps when exploratory > assigned, a bug) but basis points.
    #[cfg_attr(feature = "ts", tsify(type = "Bps"))]
    pub newcomer_budget_spent_bps: u64,
    /// Exploratory assignments.
    pub exploratory_assignments: u64,
}

/// Gini coefficient of non-negative counts (0 for an empty or all-zero list).
pub fn gini(values: &[u64]) -> f64 {
    let mut v: Vec<u64> = values.to_vec();
    v.sort_unstable();
    let n = v.len() as f64;
    let total: f64 = v.iter().map(|x| *x as f64).sum();
    if v.is_empty() || total == 0.0 {
        return 0.0;
    }
    let weighted: f64 = v.iter().enumerate().map(|(i, x)| (i as f64 + 1.0) * *x as f64).sum();
    (2.0 * weighted) / (n * total) - (n + 1.0) / n
}

/// How long `agent` has waited at assignment clock `now`, given where each wait started
/// (`FairnessCounters::waiting_since`): what `waited` answers and exploration reads per candidate.
pub(crate) fn waited_since(now: u64, waiting_since: &[u64], agent: AgentId) -> u64 {
    now.saturating_sub(waiting_since.get(agent.index()).copied().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_of_equal_and_concentrated_work() {
        assert_eq!(gini(&[3, 3, 3, 3]), 0.0);
        assert!((gini(&[0, 0, 0, 10]) - 0.75).abs() < 1e-12);
        assert_eq!(gini(&[]), 0.0);
    }

    #[test]
    fn budget_admits_its_share() {
        let config = MatchingConfig { newcomer_budget_bps: 1_000, ..MatchingConfig::default() };
        let mut c = FairnessCounters::default();
        assert!(!c.budget_left(&config), "1 of 1 would be 100 % > 10 %");
        for _ in 0..9 {
            c.assigned(Tier::Rising, AgentKind::Ai, false);
        }
        assert!(c.budget_left(&config), "1 of 10 is exactly 10 %");
        c.assigned(Tier::New, AgentKind::Ai, true);
        assert!(!c.budget_left(&config), "2 of 11 would be 18 %");
        for _ in 0..9 {
            c.assigned(Tier::Rising, AgentKind::Ai, false);
        }
        assert!(c.budget_left(&config), "2 of 20 is 10 %");
        c.hold(TaskId(7), AgentId(1));
        assert!(!c.budget_left(&config), "a hold counts as charged: 2 of 20 plus the hold's 1 of 1");
        assert_eq!(c.exploration_room(&config, 10), 1, "3 of 30 (the hold charged) is 10 %");
        assert_eq!(c.exploration_room(&config, 9), 0, "3 of 29 would be over 10 %");
        c.release(TaskId(7));
        assert!(c.budget_left(&config));
    }
}
