//! Reputation settings: half-lives, priors, rater weighting and tier thresholds.

use crate::ids::{DurationMs, Money};
use serde::{Deserialize, Serialize};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// Reputation settings. The defaults are what the simulator's figures in REPUTATION.md use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct ReputationConfig {
    /// Half-life of quality and accuracy evidence.
    pub quality_half_life_ms: DurationMs,
    /// Half-life of speed evidence.
    pub speed_half_life_ms: DurationMs,
    /// Weight of the prior, in observations of full weight (a first rating from a credible client
    /// past `full_weight_spend`, on work the market chose, weighs up to 1: credibility starts at
    /// 2/3). It sets how many honest ratings it takes to outweigh the prior: at 1.0 one typical
    /// rating barely moved a score and thin records ranked worse than their own stars; from 0.2
    /// to 0.3 honest tau rose in nearly every cell of the matrix while rings, whose ratings weigh a
    /// hundredth of an honest one, still gained nothing; at 0.1 a gated ring gained 77 points
    /// (MATRIX.md, "The prior's weight"; measured while rater weights grew with establishment, and
    /// again after they stopped growing, 2026-12-02: at 0.1 the gated ring gained 38).
    pub prior_strength: f64,
    /// How many observations of its own an agent needs before its overall level counts as much
    /// as the category's newcomer mean in the prior of a category new to it (partial pooling).
    pub pooling_strength: f64,
    /// Taken off a fresh identity's reputation when work is handed out (ranking, batches,
    /// awards), in proportion to the prior's share of its score, so that being unknown ranks
    /// below a poor record: whitewashing does not pay. The score itself is not discounted.
    /// Newcomers get their first tasks from the matching's declared newcomer budget instead. Also
    /// the most an agent busy with work the market did not choose loses from its priors.
    pub newcomer_discount: f64,
    /// Weight of the evidence (outcome, rating, vouching, the client's establishment spend) from
    /// work the market did not choose: a claim with no ranking or from beyond the shortlist of the
    /// task's latest ranking, or a client's award of a bid other than the best on records
    /// (`TaskClaimed.matched`). 0 by default: a client that picks its own agent can pick its
    /// friends, and with any weight a ring's volume of such work outweighs honest evidence
    /// (MATRIX.md). A host whose agents take work from a board without a ranking either ranks
    /// each task (`RankAgents`) or sets this above 0, accepting that.
    pub unmatched_weight: f64,
    /// Establishment-weighted distinct paying clients that lift the newcomer discount entirely.
    pub vouching_needed: f64,
    /// Standard deviations below the mean for the lower bound.
    pub lower_bound_z: f64,
    /// Settled spend (counted once per counterparty) at which a rater reaches half weight.
    pub establishment_spend: Money,
    /// Establishment spend from which a client's ratings and settled outcomes count in full;
    /// below it they count as its establishment over the establishment at this spend
    /// (a client's weight as a rater). With weights in proportion to establishment itself
    /// (half at `establishment_spend`), honest clients weighed from under 0.01 to about 0.12 and
    /// a thin record ranked worse than its own stars; at $50 (seeds 1-5 of the matrix) honest
    /// tau rose from 0.70 to 0.74, drifted agents fell sooner and rings still gained nothing,
    /// while at $10 a gated ring gained 19 points (MATRIX.md, "Rater weights that stop growing").
    pub full_weight_spend: Money,
    /// Task price at which a settled outcome reaches half weight.
    pub outcome_price: Money,
    /// Most of an agent's rating evidence any one rater may supply.
    pub max_rater_share: f64,
    /// How far (in normalised stars, 0..1) a low-credibility rating may stray from the weighted
    /// median before it is clipped.
    pub clip_distance: f64,
    /// Credibility below which ratings are clipped.
    pub clip_below_credibility: f64,
    /// Change detection (`reputation/change.rs`): standard errors by which an agent's recent run
    /// of accuracy or quality must fall below its earlier record before that record is forgotten.
    /// 1.64 (a one-sided test at 5 %, as `lower_bound_z`); 0 turns detection off. Without it a
    /// record decays only with time, and a good agent that got worse kept its place for tens of
    /// tasks (MATRIX.md, "Drift").
    pub change_z: f64,
    /// Least effective observations (Kish: (sum of weights)^2 / sum of squared weights) in that
    /// run: a pattern, not one bad task.
    pub change_min_run: f64,
    /// Tier thresholds: (least settled tasks, least overall lower bound) for rising,
    /// established, top rated and expert.
    pub tiers: [(u32, f64); 4],
    /// Least vouching (the establishment-weighted count of distinct paying clients, see
    /// an agent's `vouched`) for rising, established, top rated and expert.
    pub tier_vouching: [f64; 4],
}

impl Default for ReputationConfig {
    fn default() -> Self {
        ReputationConfig {
            quality_half_life_ms: 90 * DAY_MS,
            speed_half_life_ms: 30 * DAY_MS,
            prior_strength: 0.25,
            pooling_strength: 3.0,
            newcomer_discount: 0.3,
            unmatched_weight: 0.0,
            vouching_needed: 3.0,
            lower_bound_z: 1.64,
            establishment_spend: 10_000,
            full_weight_spend: 5_000,
            outcome_price: 200,
            max_rater_share: 0.25,
            clip_distance: 0.25,
            clip_below_credibility: 0.6,
            change_z: 1.64,
            change_min_run: 3.0,
            tiers: [(3, 0.35), (10, 0.5), (25, 0.65), (50, 0.75)],
            tier_vouching: [0.0, 1.0, 1.5, 2.0],
        }
    }
}
