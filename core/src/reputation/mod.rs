//! Reputation: per agent and per category, kept as decayed Bayesian evidence.
//!
//! Fed only by the engine's events (settled outcomes, ratings, abandonments); read by
//! eligibility gates, matching and tiers.

use crate::event::{Outcome, Verdict};
use crate::ids::{AgentId, CategoryId, Timestamp};
use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// Reputation settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReputationConfig {
    /// Weight of the prior, in pseudo-observations.
    pub prior_strength: f64,
    /// Standard deviations below the mean for the lower bound.
    pub lower_bound_z: f64,
}

impl Default for ReputationConfig {
    fn default() -> Self {
        ReputationConfig { prior_strength: 2.0, lower_bound_z: 1.64 }
    }
}

/// A score with its uncertainty.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Posterior mean in [0, 1]: what ranking and matching use.
    pub mean: f64,
    /// Lower bound in [0, 1]: what risk gates use.
    pub lower: f64,
    /// Evidence behind it, in (decayed) observations.
    pub evidence: f64,
}

/// Evidence for one agent in one category.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryEvidence {
    /// The category.
    pub category: CategoryId,
    /// Good outcomes.
    pub good: f64,
    /// Bad outcomes.
    pub bad: f64,
}

/// Everything reputation keeps about one agent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentReputation {
    /// Settled tasks delivered.
    pub settled: u32,
    /// Per-category evidence, sorted by category.
    pub categories: Vec<CategoryEvidence>,
}

/// Reputation of every agent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reputation {
    agents: Vec<AgentReputation>,
}

impl Reputation {
    pub(crate) fn add_agent(&mut self) {
        self.agents.push(AgentReputation::default());
    }

    /// The record of one agent.
    pub fn agent(&self, agent: AgentId) -> Option<&AgentReputation> {
        self.agents.get(agent.index())
    }

    /// Number of agents tracked.
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// Whether no agents are tracked.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }

    fn evidence_mut(&mut self, agent: AgentId, category: CategoryId) -> Option<&mut CategoryEvidence> {
        let record = self.agents.get_mut(agent.index())?;
        let at = match record.categories.binary_search_by_key(&category, |c| c.category) {
            Ok(i) => i,
            Err(i) => {
                record.categories.insert(i, CategoryEvidence { category, ..Default::default() });
                i
            }
        };
        record.categories.get_mut(at)
    }

    pub(crate) fn record_outcome(&mut self, outcome: &Outcome, _at: Timestamp) {
        let good = matches!(outcome.verdict, Verdict::Accepted | Verdict::AutoAccepted | Verdict::DisputePaid);
        if let Some(e) = self.evidence_mut(outcome.agent, outcome.category) {
            if good {
                e.good += 1.0;
            } else {
                e.bad += 1.0;
            }
        }
        if let Some(r) = self.agents.get_mut(outcome.agent.index()) {
            r.settled += 1;
        }
    }

    pub(crate) fn record_abandonment(&mut self, agent: AgentId, category: CategoryId, _at: Timestamp) {
        if let Some(e) = self.evidence_mut(agent, category) {
            e.bad += 1.0;
        }
    }

    pub(crate) fn check_references(&self, categories: usize) -> Result<(), String> {
        for (i, a) in self.agents.iter().enumerate() {
            if a.categories.iter().any(|c| c.category.index() >= categories) {
                return Err(format!("agent#{i} has evidence for a missing category"));
            }
            if a.categories.windows(2).any(|w| w[0].category >= w[1].category) {
                return Err(format!("agent#{i} evidence is not sorted"));
            }
        }
        Ok(())
    }

    /// The agent's score in a category.
    pub fn score(&self, config: &ReputationConfig, agent: AgentId, category: CategoryId) -> Score {
        let (good, bad) = self
            .agents
            .get(agent.index())
            .and_then(|r| r.categories.iter().find(|c| c.category == category))
            .map_or((0.0, 0.0), |e| (e.good, e.bad));
        beta_score(
            0.5 * config.prior_strength + good,
            0.5 * config.prior_strength + bad,
            config.lower_bound_z,
            good + bad,
        )
    }

    /// The agent's tier.
    pub fn tier(&self, agent: AgentId) -> Tier {
        match self.agents.get(agent.index()).map_or(0, |r| r.settled) {
            0 => Tier::New,
            1..=4 => Tier::Rising,
            _ => Tier::Established,
        }
    }
}

/// Mean and lower bound of a Beta(a, b) posterior (normal approximation, clamped to [0, 1]).
pub fn beta_score(a: f64, b: f64, z: f64, evidence: f64) -> Score {
    let n = a + b;
    let mean = a / n;
    let var = a * b / (n * n * (n + 1.0));
    Score { mean, lower: (mean - z * libm::sqrt(var)).clamp(0.0, 1.0), evidence }
}
