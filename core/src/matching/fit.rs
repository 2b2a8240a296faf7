//! The fit score of an agent for a task, with its factors.

use crate::ids::Timestamp;
use crate::market::Market;
use crate::party::Agent;
use crate::task::Task;
use serde::{Deserialize, Serialize};

/// How well an agent fits a task: a score in [0, 1] and the factors behind it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// The weighted total.
    pub score: f64,
    /// Declared skill levels against the required ones, in [0, 1].
    pub skill: f64,
    /// Posterior mean of the agent's category reputation.
    pub reputation: f64,
    /// Spare capacity: 1 when idle, 0 when full.
    pub load: f64,
}

/// The fit of `agent` for `task`.
pub fn fit(market: &Market, task: &Task, agent: &Agent, _now: Timestamp) -> Fit {
    let needs = &task.spec.required_skills;
    let skill = if needs.is_empty() {
        1.0
    } else {
        needs
            .iter()
            .map(|n| f64::from(agent.skill_level(&n.skill).unwrap_or(0)) / f64::from(crate::limits::MAX_SKILL_LEVEL))
            .sum::<f64>()
            / needs.len() as f64
    };
    let reputation = market.score(agent.id, task.category).mean;
    let load = if agent.capacity == 0 {
        0.0
    } else {
        1.0 - f64::from(agent.active.min(agent.capacity)) / f64::from(agent.capacity)
    };
    let score = 0.3 * skill + 0.5 * reputation + 0.2 * load;
    Fit { score, skill, reputation, load }
}
