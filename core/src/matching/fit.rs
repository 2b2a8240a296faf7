//! The fit of an agent for a task: a score and the factors behind it.

use super::config::MatchingConfig;
use crate::ids::Money;
use crate::market::Market;
use crate::party::Agent;
use crate::rng;
use crate::spec::{Pricing, TaskSpec};
use crate::task::Task;
use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// How well an agent fits a task: the weighted total and each factor in [0, 1].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Fit {
    /// The weighted total, exploration bonus included.
    pub score: f64,
    /// Declared skill levels for the required skills (1 when none are required).
    pub skill: f64,
    /// Posterior mean of the agent's reputation in the task's category.
    pub reputation: f64,
    /// Price against the budget: 1 when the agent asks nothing, 0 at the full budget.
    pub price: f64,
    /// Posterior mean of the agent's speed in the category.
    pub speed: f64,
    /// Spare capacity: 1 when idle, 0 when full.
    pub load: f64,
    /// Exploration bonus: non-zero only for a newcomer on a simple task within the budget.
    pub exploration: f64,
}

/// Purpose tag of exploration draws.
const EXPLORATION_DRAW: u64 = 2;

/// Whether a task is simple and low-risk enough for exploration.
pub fn is_simple(spec: &TaskSpec, config: &MatchingConfig) -> bool {
    spec.pricing.escrow() <= config.simple_task_max_reward
        && spec.eligibility.min_tier == Tier::New
        && spec.eligibility.min_reputation_bps.is_none()
}

/// What a fit needs to know about one task, worked out once so that scoring many agents for
/// it (ranking, batch assignment) costs a few lookups and some arithmetic per agent.
#[derive(Debug)]
pub struct FitContext<'a> {
    market: &'a Market,
    task: &'a Task,
    config: &'a MatchingConfig,
    /// The category's mean on each dimension, for agents new to the category.
    category_means: [f64; 5],
    /// Whether a newcomer may get an exploration bonus on this task at all.
    explorable: bool,
    /// The code of each required skill.
    skill_codes: Vec<Option<u32>>,
}

impl<'a> FitContext<'a> {
    /// The context for scoring agents on `task`.
    pub fn new(market: &'a Market, task: &'a Task) -> FitContext<'a> {
        let config = &market.config().matching;
        let category_means = market.reputation().category_means(task.category);
        let explorable = is_simple(&task.spec, config) && market.fairness().budget_left(config);
        let skill_codes = task.spec.required_skills.iter().map(|s| market.skill_code(&s.skill)).collect();
        FitContext { market, task, config, category_means, explorable, skill_codes }
    }

    /// The fit of `agent` at `price` (the reward, or its bid); the exploration bonus only if
    /// `explore` allows it and the agent is a newcomer.
    pub fn fit(&self, agent: &Agent, price: Money, explore: bool) -> Fit {
        let (config, task) = (self.config, self.task);
        let needs = &task.spec.required_skills;
        let skill = if needs.is_empty() {
            1.0
        } else {
            let max = f64::from(crate::limits::MAX_SKILL_LEVEL);
            needs
                .iter()
                .zip(&self.skill_codes)
                .map(|(n, code)| f64::from(agent.skill_level_coded(&n.skill, *code).unwrap_or(0)) / max)
                .sum::<f64>()
                / needs.len() as f64
        };
        let (reputation, speed, evidence) = self.market.reputation().summary_mean_with(
            &self.market.config().reputation,
            agent.id,
            task.category,
            &self.category_means,
        );
        let budget = task.spec.pricing.escrow().max(1) as f64;
        let asked = match task.spec.pricing {
            Pricing::Fixed { .. } => agent.min_rate.min(price),
            Pricing::Bids { .. } => price,
        };
        let price_factor = (1.0 - asked as f64 / budget).clamp(0.0, 1.0);
        let load = if agent.capacity == 0 {
            0.0
        } else {
            1.0 - f64::from(agent.active.min(agent.capacity)) / f64::from(agent.capacity)
        };
        let exploration = if explore && self.explorable && evidence < config.newcomer_evidence {
            let draw =
                rng::draw(self.market.config().seed, EXPLORATION_DRAW, u64::from(task.id.0), u64::from(agent.id.0));
            let unit = (draw >> 11) as f64 / (1u64 << 53) as f64;
            // The less evidence, the larger the bonus: a brand-new agent comes first.
            let newness = 1.0 - evidence / config.newcomer_evidence;
            config.exploration_bonus * newness * (0.5 + 0.5 * unit)
        } else {
            0.0
        };
        let total = config.skill_weight * skill
            + config.reputation_weight * reputation
            + config.price_weight * price_factor
            + config.speed_weight * speed
            + config.load_weight * load
            + exploration;
        Fit { score: total, skill, reputation, price: price_factor, speed, load, exploration }
    }
}
