//! Explanations: the factors behind a score and behind each change of it.

use super::{Dimension, Reputation, ReputationConfig, Score, CHANGES_KEPT};
use crate::event::Verdict;
use crate::ids::{AgentId, CategoryId, ClientId, DurationMs, TaskId, Timestamp};
use serde::{Deserialize, Serialize};

// Named by an enum, not a string, so that logging the factors of every score change allocates
// nothing for the names.
/// What a factor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum FactorName {
    /// task value weight
    TaskValueWeight,
    /// client establishment, as an outcome's weight reads it (over that at `full_weight_spend`, at most 1)
    ClientEstablishment,
    /// client fairness
    ClientFairness,
    /// repeat damping: `1/sqrt(1 + earlier)` ratings or outcomes of the agent by the same client
    RepeatDamping,
    /// outcome weight
    OutcomeWeight,
    /// adaptability observation
    AdaptabilityObservation,
    /// accuracy observation
    AccuracyObservation,
    /// speed observation
    SpeedObservation,
    /// weight
    Weight,
    /// ignored: rater and agent share an owner
    SameOwnerIgnored,
    /// stars (normalised)
    Stars,
    /// de-inflated
    Deinflated,
    /// rater establishment, as a rating's weight reads it (over that at `full_weight_spend`, at most 1)
    RaterEstablishment,
    /// rater credibility
    RaterCredibility,
    /// clipped toward median by
    ClippedBy,
    /// capped at rater share
    CappedAtShare,
    /// The market did not choose the agent (see `TaskClaimed.matched`): the evidence counts at
    /// `unmatched_weight`.
    Unmatched,
    /// The market chose the agent only among a rare skill's holders (`market/skill_gates.rs`):
    /// the outcome weighs by its client's standing alone, with no floor (the factor's value).
    RareGate,
    /// The agent's recent work fell so far below its earlier record that the record no longer
    /// describes it: that much of the earlier evidence was forgotten (change detection).
    ChangeForgot,
}

impl FactorName {
    /// The factor's name as a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            FactorName::TaskValueWeight => "task value weight",
            FactorName::ClientEstablishment => "client establishment",
            FactorName::ClientFairness => "client fairness",
            FactorName::RepeatDamping => "repeat damping",
            FactorName::OutcomeWeight => "outcome weight",
            FactorName::AdaptabilityObservation => "adaptability observation",
            FactorName::AccuracyObservation => "accuracy observation",
            FactorName::SpeedObservation => "speed observation",
            FactorName::Weight => "weight",
            FactorName::SameOwnerIgnored => "ignored: rater and agent share an owner",
            FactorName::Stars => "stars (normalised)",
            FactorName::Deinflated => "de-inflated",
            FactorName::RaterEstablishment => "rater establishment",
            FactorName::RaterCredibility => "rater credibility",
            FactorName::ClippedBy => "clipped toward median by",
            FactorName::CappedAtShare => "capped at rater share",
            FactorName::Unmatched => "not chosen by the market: counted at",
            FactorName::RareGate => "chosen only among a rare skill's holders: floor",
            FactorName::ChangeForgot => "a change in its work: earlier evidence forgotten",
        }
    }
}

impl std::fmt::Display for FactorName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One named factor and its value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Factor {
    /// What it is.
    pub name: FactorName,
    /// Its value.
    pub value: f64,
}

impl Factor {
    pub(crate) fn new(name: FactorName, value: f64) -> Factor {
        Factor { name, value }
    }
}

/// What changed a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type")]
pub enum ChangeCause {
    /// A task the agent delivered settled.
    Settled {
        /// How it ended.
        verdict: Verdict,
    },
    /// A lease ran out.
    Abandoned,
    /// A client rated a paid task.
    Rated {
        /// The rater.
        client: ClientId,
        /// Quality stars.
        stars: u8,
    },
    /// A rating was ignored because rater and agent share an owner (flagged on the rater).
    RatingIgnored {
        /// The rater.
        client: ClientId,
    },
}

impl std::fmt::Display for ChangeCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeCause::Settled { verdict } => write!(f, "settled: {verdict:?}"),
            ChangeCause::Abandoned => f.write_str("lease ran out (abandoned)"),
            ChangeCause::Rated { client, stars } => write!(f, "rated {stars}★ by {client}"),
            ChangeCause::RatingIgnored { client } => write!(f, "rating by {client} ignored (self-dealing)"),
        }
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
    /// What happened.
    pub cause: ChangeCause,
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
    pub half_life_ms: DurationMs,
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
    /// How much of the agent's evidence from behind rare skill gates the score leaves out, in
    /// [0, 1]: 0 unless its other work contradicts that evidence (`reputation/gated.rs`).
    pub gated_distrust: f64,
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
        let gated_distrust = self.gated_distrust(config, agent, now);
        let dimensions = Dimension::ALL
            .iter()
            .map(|&d| {
                let (mean, var, evidence, prior_mean) =
                    self.dimension_with(config, (agent, category, d), now, gated_distrust);
                // Decay alone, before any evidence from behind rare gates is left out.
                let (raw, decayed) = record.map_or((0.0, 0.0), |r| {
                    let e = r.dims[d as usize];
                    let (p, n) = e.at_time(now, d.half_life(config));
                    (e.pos + e.neg, p + n)
                });
                DimensionExplanation {
                    dimension: d,
                    weight: d.weight(),
                    mean,
                    std_dev: libm::sqrt(var),
                    evidence,
                    prior_mean,
                    half_life_ms: d.half_life(config),
                    decayed_share: if raw > 0.0 { 1.0 - decayed / raw } else { 0.0 },
                }
            })
            .collect();
        let record_as_of = self.agents.get(agent.index()).map(|a| a.summary.as_of);
        let changes = self
            .agents
            .get(agent.index())
            .map(|a| a.changes.iter().filter(|c| c.category == category).cloned().collect())
            .unwrap_or_default();
        ScoreExplanation {
            agent,
            category,
            score: if record_as_of == Some(now) {
                self.score(config, agent, category)
            } else {
                self.live_score(config, agent, category, now)
            },
            lower_bound_z: config.lower_bound_z,
            gated_distrust,
            dimensions,
            changes,
        }
    }

    /// Refresh the agent's summary and keep `change`, its `after` filled in, among its recent
    /// changes.
    pub(super) fn log_change(&mut self, config: &ReputationConfig, agent: AgentId, mut change: ScoreChange) {
        self.refresh(config, agent, change.at);
        change.after = self.score(config, agent, change.category).mean;
        if let Some(a) = self.agents.get_mut(agent.index()) {
            if a.changes.len() >= CHANGES_KEPT {
                // Room is made in the category with the most changes kept (its oldest goes), so
                // however busy one category is, a quiet one keeps its changes for its
                // explanation, and the log stays at CHANGES_KEPT entries.
                // Once an agent's log is full this runs at each of its settlements: one pass counts
                // the changes of each category (a log holds a few), a second finds the oldest of
                // the busiest, where counting per change took CHANGES_KEPT^2 comparisons.
                let mut kept: [(CategoryId, usize); CHANGES_KEPT] = [(CategoryId(0), 0); CHANGES_KEPT];
                let mut distinct = 0;
                for c in &a.changes {
                    match kept[..distinct].iter_mut().find(|(category, _)| *category == c.category) {
                        Some((_, count)) => *count += 1,
                        None if distinct < CHANGES_KEPT => {
                            kept[distinct] = (c.category, 1);
                            distinct += 1;
                        }
                        None => {}
                    }
                }
                let most = kept[..distinct].iter().map(|&(_, count)| count).max().unwrap_or(0);
                let busiest = |category: CategoryId| kept[..distinct].contains(&(category, most));
                if let Some(oldest) = a.changes.iter().position(|c| busiest(c.category)) {
                    a.changes.remove(oldest);
                }
            }
            a.changes.push_back(change);
        }
    }
}
