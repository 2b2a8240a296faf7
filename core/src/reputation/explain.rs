//! Explanations: the factors behind a score and behind each change of it.

use super::{Dimension, Reputation, ReputationConfig, Score, CHANGES_KEPT};
use crate::ids::{AgentId, CategoryId, TaskId, Timestamp};
use serde::{Deserialize, Serialize};

/// One named factor and its value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Factor {
    /// What it is.
    pub name: String,
    /// Its value.
    pub value: f64,
}

impl Factor {
    pub(crate) fn new(name: &str, value: f64) -> Factor {
        Factor { name: name.to_owned(), value }
    }
}

/// One change of an agent's score in a category, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ScoreChange {
    /// When.
    pub at: Timestamp,
    /// The task behind it, if any.
    pub task: Option<TaskId>,
    /// The category.
    pub category: CategoryId,
    /// What happened, readable.
    pub cause: String,
    /// Composite mean before.
    pub before: f64,
    /// Composite mean after.
    pub after: f64,
    /// The factors (observations, weights, clipping, caps).
    pub factors: Vec<Factor>,
}

/// One dimension of a score, with the evidence and prior behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct DimensionExplanation {
    /// The dimension.
    pub dimension: Dimension,
    /// Its weight in the composite.
    pub weight: f64,
    /// Posterior mean.
    pub mean: f64,
    /// Posterior standard deviation.
    pub std_dev: f64,
    /// Decayed evidence (observations).
    pub evidence: f64,
    /// The pooled prior mean (agent elsewhere shrunk toward the category).
    pub prior_mean: f64,
    /// Half-life of its evidence, in ms.
    pub half_life_ms: u64,
    /// Share of its evidence that decay has taken since it was last updated.
    pub decayed_share: f64,
}

/// An agent's current score in a category, and everything behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ScoreExplanation {
    /// The agent.
    pub agent: AgentId,
    /// The category.
    pub category: CategoryId,
    /// The composite score.
    pub score: Score,
    /// The z used for the lower bound.
    pub lower_bound_z: f64,
    /// Each dimension.
    pub dimensions: Vec<DimensionExplanation>,
    /// The most recent changes, oldest first.
    pub changes: Vec<ScoreChange>,
}

impl Reputation {
    /// Explain an agent's score in a category at `now` (hosts pass the summary's `as_of` to
    /// explain the score that ranking uses).
    pub fn explain(
        &self,
        config: &ReputationConfig,
        agent: AgentId,
        category: CategoryId,
        now: Timestamp,
    ) -> ScoreExplanation {
        let record = self.agents.get(agent.index()).and_then(|a| a.categories.iter().find(|c| c.category == category));
        let dimensions = Dimension::ALL
            .iter()
            .map(|&d| {
                let (mean, var, evidence) = self.dimension(config, agent, category, d, now);
                let raw = record.map_or(0.0, |r| r.dims[d as usize].pos + r.dims[d as usize].neg);
                DimensionExplanation {
                    dimension: d,
                    weight: d.weight(),
                    mean,
                    std_dev: libm::sqrt(var),
                    evidence,
                    prior_mean: self.prior_mean(config, agent, category, d, now),
                    half_life_ms: d.half_life(config),
                    decayed_share: if raw > 0.0 { 1.0 - evidence / raw } else { 0.0 },
                }
            })
            .collect();
        let changes = self
            .agents
            .get(agent.index())
            .map(|a| a.changes.iter().filter(|c| c.category == category).cloned().collect())
            .unwrap_or_default();
        ScoreExplanation {
            agent,
            category,
            score: self.live_score(config, agent, category, now),
            lower_bound_z: config.lower_bound_z,
            dimensions,
            changes,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn log_change(
        &mut self,
        config: &ReputationConfig,
        agent: AgentId,
        category: CategoryId,
        now: Timestamp,
        before: f64,
        task: Option<TaskId>,
        cause: String,
        factors: Vec<Factor>,
    ) {
        self.refresh(config, agent, now);
        let after = self.live_score(config, agent, category, now).mean;
        if let Some(a) = self.agents.get_mut(agent.index()) {
            if a.changes.len() >= CHANGES_KEPT {
                a.changes.remove(0);
            }
            a.changes.push(ScoreChange { at: now, task, category, cause, before, after, factors });
        }
    }
}
