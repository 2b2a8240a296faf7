//! Ranking: the top k eligible agents for one task, with the factors of each fit.

use super::eligibility::{is_eligible, TaskGate};
use super::fit::{Fit, FitContext};
use crate::ids::{AgentId, Timestamp};
use crate::market::Market;
use crate::task::Task;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// One agent in a ranking.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RankedAgent {
    /// The agent.
    pub agent: AgentId,
    /// Its fit, with factors.
    pub fit: Fit,
}

/// Best fit first; ties go to the lower agent id, so rankings are deterministic.
pub fn by_fit(a: &RankedAgent, b: &RankedAgent) -> Ordering {
    b.fit.score.total_cmp(&a.fit.score).then(a.agent.cmp(&b.agent))
}

/// The top `k` agents that are eligible for `task` at `now` and have spare capacity.
/// One pass over the agents with a k-sized insertion buffer: O(agents · log k).
pub fn rank(market: &Market, task: &Task, k: usize, now: Timestamp) -> Vec<RankedAgent> {
    let mut top: Vec<RankedAgent> = Vec::with_capacity(k + 1);
    if k == 0 {
        return top;
    }
    let price = task.spec.pricing.escrow();
    let lookups = TaskGate::new(market, task);
    let context = FitContext::new(market, task);
    for agent in market.agents() {
        if agent.active >= agent.capacity || !is_eligible(market, task, agent, now, &lookups) {
            continue;
        }
        let candidate = RankedAgent { agent: agent.id, fit: context.fit(agent, price, true) };
        if top.len() == k && by_fit(&candidate, &top[k - 1]) != Ordering::Less {
            continue;
        }
        let at = top.partition_point(|x| by_fit(x, &candidate) == Ordering::Less);
        top.insert(at, candidate);
        top.truncate(k);
    }
    top
}
