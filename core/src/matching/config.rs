//! Matching settings: fit weights, the newcomer budget and batch limits.

use crate::ids::{Bps, Money};
use serde::{Deserialize, Serialize};

/// Matching settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct MatchingConfig {
    /// Weight of declared skill levels in the fit.
    pub skill_weight: f64,
    /// Weight of the category reputation's posterior mean.
    pub reputation_weight: f64,
    /// Weight of price (the agent's minimum rate or its bid against the budget).
    pub price_weight: f64,
    /// Weight of expected speed (the speed dimension).
    pub speed_weight: f64,
    /// Weight of spare capacity.
    pub load_weight: f64,
    /// Largest exploration bonus (for a brand-new record) on a simple task; a thin record gets
    /// it scaled by its uncertainty (how thin the record is) and a seeded draw.
    pub exploration_bonus: f64,
    /// The exploration budget: the share of assignments (in basis points) that exploration may
    /// decide, on every route (claim after a ranking, batch, bid award, arbitration). Never
    /// exceeded: a ranking's exploratory top entry holds a place until its task leaves the board.
    pub newcomer_budget_bps: Bps,
    /// The scale of exploration's uncertainty, in settled tasks in the category: a record of
    /// this many tasks keeps 71 % of a newcomer's uncertainty, and one of 16 times as many is
    /// thick (no bonus).
    pub newcomer_evidence: f64,
    /// Largest reward of a "simple, low-risk" task, the only kind exploration applies to.
    pub simple_task_max_reward: Money,
    /// Candidates per task in batch assignment: none (absent or null) uses every eligible pair (exact optimum);
    /// a number keeps each task's best-fitting agents only (exact over those lists).
    pub candidates_per_task: Option<u32>,
    /// Candidates one millisecond of a batch's time budget buys (calibrated by the benchmark):
    /// a batch over budget falls back to the greedy approximation.
    pub candidates_per_ms: u64,
}

impl Default for MatchingConfig {
    fn default() -> Self {
        MatchingConfig {
            skill_weight: 0.1,
            reputation_weight: 0.6,
            price_weight: 0.1,
            speed_weight: 0.1,
            load_weight: 0.1,
            exploration_bonus: 0.3,
            newcomer_budget_bps: 1_500,
            newcomer_evidence: 1.0,
            simple_task_max_reward: 2_000,
            candidates_per_task: None,
            candidates_per_ms: 100_000,
        }
    }
}
