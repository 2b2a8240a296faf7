//! Reputation: per agent and per category, on five dimensions, each kept as decayed Bayesian
//! evidence with its uncertainty; plus the clients' own record (as employers and as raters).
//!
//! Fed only by settled outcomes, ratings of paid tasks and abandonments (from `evolve`); read by
//! eligibility gates (lower bound), matching (posterior mean) and tiers. Invariants:
//! - evidence is never negative, and decays with the configured half-lives;
//! - a rating moves a score only in proportion to its rater's weight, which is bounded by the
//!   rater's establishment (see `ClientReputation::establishment_spend`), its credibility, repeat
//!   damping (`1/sqrt(1 + earlier)` ratings of the agent by the rater) and the per-rater share cap;
//! - accuracy and quality evidence is also forgotten, beyond decay, only when a run of the agent's
//!   recent work, in the category or in all its categories at once, is significantly below its
//!   earlier record and forgetting lowers the score (`change.rs`);
//! - every change is logged with the factors behind it (bounded per agent).
//!
//! This file holds the records and the newcomer discount; evidence comes in through
//! `outcomes.rs` and `ratings.rs`, each observation through `observe.rs` (with `change.rs`'s
//! test), and scores are read in `scores.rs`.

mod change;
mod check;
pub mod config;
pub mod evidence;
mod explain;
mod gated;
mod observe;
mod outcomes;
mod raters;
mod ratings;
mod scores;

pub use change::{AgentWatch, ChangeWatch, RunShare};
pub(crate) use check::{Bounds, Tally};
pub use config::ReputationConfig;
pub use evidence::Evidence;
pub use explain::{ChangeCause, DimensionExplanation, Factor, FactorName, ScoreChange, ScoreExplanation};
pub(crate) use outcomes::work_counts;
pub use raters::ClientReputation;
pub(crate) use ratings::RatingInput;
pub(crate) use scores::{evidence_of, levels_of, prior_only_mean};

use crate::ids::{AgentId, CategoryId, ClientId, Timestamp};
use crate::tier::Tier;
use scores::prior_weight;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The five dimensions of an agent's reputation in a category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Verification results: first-attempt passes, self-checks that agreed, no lost rejections.
    Accuracy,
    /// Ratings, de-inflated per rater and weighted by the rater's standing.
    Quality,
    /// Delivery against the allowed time.
    Speed,
    /// How little the agent's quality varies from task to task.
    Consistency,
    /// Results on its first tasks in a category, and after clarifications or revisions.
    Adaptability,
}

impl Dimension {
    /// Every dimension, in storage order.
    pub const ALL: [Dimension; 5] =
        [Dimension::Accuracy, Dimension::Quality, Dimension::Speed, Dimension::Consistency, Dimension::Adaptability];

    /// Its weight in the composite score.
    pub const fn weight(self) -> f64 {
        match self {
            Dimension::Accuracy => 0.15,
            Dimension::Quality => 0.65,
            Dimension::Speed => 0.1,
            Dimension::Consistency => 0.05,
            Dimension::Adaptability => 0.05,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Accuracy => "accuracy",
            Dimension::Quality => "quality",
            Dimension::Speed => "speed",
            Dimension::Consistency => "consistency",
            Dimension::Adaptability => "adaptability",
        }
    }

    fn half_life(self, config: &ReputationConfig) -> u64 {
        match self {
            Dimension::Speed => config.speed_half_life_ms,
            _ => config.quality_half_life_ms,
        }
    }
}

/// A score with its uncertainty, in [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Score {
    /// Posterior mean: what ranking and matching use.
    pub mean: f64,
    /// Lower bound (mean less `lower_bound_z` standard deviations): what risk gates use.
    pub lower: f64,
    /// Decayed observations behind it (accuracy and quality evidence).
    pub evidence: f64,
}

/// An agent's evidence in one category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryRecord {
    /// The category.
    pub category: CategoryId,
    /// Evidence per dimension, in [`Dimension::ALL`] order.
    pub dims: [Evidence; 5],
    /// Tasks settled in the category.
    pub settled: u32,
    /// Rating weight by normalised star (1..=5), for the weighted median that clipping uses.
    pub rating_bins: [f64; 5],
    /// Rating weight each rater supplied, sorted by client, for the per-rater share cap.
    pub raters: Vec<(ClientId, f64)>,
    /// Change detection beside the accuracy and quality evidence, in that order (`change.rs`).
    #[serde(default)]
    pub watch: [ChangeWatch; 2],
    /// The part of the agent-wide runs (`AgentReputation::watch`) seen here, accuracy then
    /// quality. Absent in older snapshots.
    #[serde(default)]
    pub agent_run: [RunShare; 2],
    /// The part of `dims` that came from behind rare skill gates, if any: read only as far as
    /// it agrees with the rest (`gated.rs`). At most `dims`, dimension by dimension. Absent in
    /// older snapshots and for records with none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gated: Option<[Evidence; 5]>,
}

/// The dimensions change detection watches, in the order of `CategoryRecord::watch`: what the
/// work itself shows (verification, reviews, ratings), where a drifted agent shows first.
const WATCHED: [Dimension; 2] = [Dimension::Accuracy, Dimension::Quality];

impl CategoryRecord {
    fn new(category: CategoryId) -> Self {
        CategoryRecord {
            category,
            dims: [Evidence::default(); 5],
            settled: 0,
            rating_bins: [0.0; 5],
            raters: Vec::new(),
            watch: [ChangeWatch::default(); 2],
            agent_run: [RunShare::default(); 2],
            gated: None,
        }
    }

    /// The weighted mean of the normalised ratings (on the star grid of `rating_bins`), if any.
    pub fn rating_mean(&self) -> Option<f64> {
        let total: f64 = self.rating_bins.iter().sum();
        let sum: f64 = self.rating_bins.iter().enumerate().map(|(i, w)| i as f64 / 4.0 * w).sum();
        (total > 0.0).then(|| sum / total)
    }

    /// The weighted median of the normalised ratings, if any.
    pub fn rating_median(&self) -> Option<f64> {
        let total: f64 = self.rating_bins.iter().sum();
        if total <= 0.0 {
            return None;
        }
        let mut seen = 0.0;
        for (i, w) in self.rating_bins.iter().enumerate() {
            seen += w;
            if seen >= total / 2.0 {
                return Some(i as f64 / 4.0);
            }
        }
        Some(1.0)
    }
}

/// What reputation keeps about one agent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentReputation {
    /// Settled tasks delivered.
    pub settled: u32,
    /// Leases that ran out.
    pub abandoned: u32,
    /// Settled tasks the market did not choose it for (`Outcome.matched` false), of `settled`.
    /// Absent in older snapshots.
    #[serde(default)]
    pub unmatched: u32,
    /// Of those the market chose on its evidence (not as an exploration trial), tasks whose
    /// required skills most agents declare: work that measures it for every skill gate it passes
    /// (`market/skill_gates.rs`). Absent in older snapshots (0: such a market starts measuring
    /// afresh).
    #[serde(default)]
    pub open_matched: u32,
    /// Of the settled tasks the market chose, those behind a rare skill gate (one whose payment
    /// cannot establish its client, `market/skill_gates.rs`): chosen only among the few agents
    /// declaring that skill, whom the client picked by requiring it. Like unmatched work they
    /// count toward [`AgentReputation::unmatched_penalty`]. Absent in older snapshots.
    #[serde(default)]
    pub gated: u32,
    /// How much established clients have vouched for it: the sum, over the distinct clients
    /// that paid it, of each client's establishment when it first paid. What lifts the
    /// newcomer discount, so work for $5 accounts or for one colluding client does not.
    pub vouched: f64,
    /// Per-category evidence, sorted by category.
    pub categories: Vec<CategoryRecord>,
    /// Change detection over all its categories at once, accuracy then quality (`change.rs`).
    /// Absent in older snapshots (such an agent's watch starts afresh).
    #[serde(default)]
    pub watch: [AgentWatch; 2],
    /// The most recent score changes with their factors, oldest first (at most
    /// [`CHANGES_KEPT`]; when full, the category with the most of them gives up its oldest).
    pub changes: VecDeque<ScoreChange>,
    /// Scores as of the agent's last change, which ranking, gates and tiers read.
    pub summary: AgentSummary,
}

impl AgentReputation {
    /// How much of its evidence from behind rare gates its scores leave out, in [0, 1]: its
    /// accuracy and quality there against the rest of its work, category by category
    /// (`gated.rs`). 0 for an agent with none.
    pub(crate) fn gated_distrust(&self, config: &ReputationConfig, now: Timestamp) -> f64 {
        if self.categories.iter().all(|c| c.gated.is_none()) {
            return 0.0;
        }
        let mut tests = [gated::Excess::default(); 2];
        for c in &self.categories {
            for (k, (test, d)) in tests.iter_mut().zip(WATCHED).enumerate() {
                let (evidence, half_life) = (c.dims[d.index()], d.half_life(config));
                let f = evidence::decay_factor(now.saturating_sub(evidence.at), half_life);
                let watch = c.watch[k].decayed(f, evidence.pos);
                let all = RunShare {
                    pos: evidence.pos * f,
                    neg: evidence.neg * f,
                    squares: watch.squares,
                    squared_values: watch.squared_values,
                };
                let gated = c.gated.map_or((0.0, 0.0), |g| g[d.index()].at_time(now, half_life));
                test.add(gated::Sides { all, gated });
            }
        }
        gated::distrust(&tests, config.change_z, config.change_min_run)
    }
}

/// An agent's scores as of its last reputation change (decayed to that instant). Ranking,
/// eligibility and tiers read this, so a query over 10^5 agents costs a lookup per agent, and an
/// idle agent's standing is frozen rather than drifting without evidence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentSummary {
    /// The instant the scores were computed at.
    pub as_of: Timestamp,
    /// Overall score across categories.
    pub overall: Option<Score>,
    /// Tier.
    pub tier: Tier,
    /// Decayed evidence per dimension over all categories, (pos, neg): the agent's own level
    /// in the pooled prior of a category it has not worked in.
    pub levels: [(f64, f64); 5],
    /// Per-category scores, sorted by category.
    pub categories: Vec<CategorySummary>,
}

/// One category's score in an [`AgentSummary`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategorySummary {
    /// The category.
    pub category: CategoryId,
    /// Composite score.
    pub score: Score,
    /// Posterior mean of the speed dimension.
    pub speed: f64,
}

impl AgentReputation {
    /// The newcomer discount allocation applies to it: full for a fresh identity, fading as
    /// distinct established clients pay it through work the market chose (gone after
    /// `vouching_needed`). Matching takes it off the agent's reputation in proportion to the
    /// prior's share of its score in the task's category (`AgentReputation::allocation_discount`), so that
    /// being unknown ranks below a poor record when work is handed out. The score itself is
    /// not discounted: it estimates quality, and an untried agent's estimate is its prior.
    pub fn newcomer_discount(&self, config: &ReputationConfig) -> f64 {
        let need = config.vouching_needed.max(f64::MIN_POSITIVE);
        config.newcomer_discount * (1.0 - self.vouched / need).max(0.0)
    }

    /// Whether nothing is known of it yet: no evidence in any category, no settled work and no
    /// vouching. Every such agent's pooled priors, discount and score are the same (those of
    /// `AgentReputation::default()`), which matching relies on to skip reading its record.
    pub fn is_fresh(&self) -> bool {
        self.categories.is_empty()
            && self.summary.categories.is_empty()
            && self.summary.levels == [(0.0, 0.0); 5]
            && self.settled == 0
            && self.vouched == 0.0
    }

    /// What allocation takes off its reputation in a category with `evidence` (accuracy and
    /// quality) for being unproven: its newcomer discount times the prior's share of the
    /// posterior. All of it for an untried agent; a thick record keeps almost none. Ranking,
    /// batches and awards read this (`FitContext::fit`), and the matching index's bounds.
    pub(crate) fn allocation_discount(&self, config: &ReputationConfig, evidence: f64) -> f64 {
        let s = prior_weight(config);
        self.newcomer_discount(config) * s / (s + evidence.max(0.0))
    }

    /// What its priors lose for the work its clients picked it for: the newcomer discount times
    /// the share of its settled work that was unmatched or chosen only behind a rare skill gate
    /// (`gated`), times how much of it there is (`u / (u + pooling_strength)` for `u` such tasks:
    /// a quarter of the way after one task, most of it after a few dozen), less as unmatched work
    /// is allowed to count (`unmatched_weight`). Such work says little or nothing of its quality,
    /// but an agent busy with it is one whose clients pick it, which is how a ring keeps its
    /// agents away from the honest work that would measure them; without this, hiding would
    /// leave a weak agent at the unbiased prior, above the weak agents the market measured. A
    /// rare gate counts too: a ring whose agents declare top levels in common skills wins a few
    /// honest tasks, is measured, and so opens its own gate (`skill_gates.rs`), after which its
    /// work behind that gate is chosen by the market among its agents alone (MATRIX.md, "Rings
    /// that lie about their skills"). An agent with no work yet, or only work the market chose
    /// behind common gates, loses nothing.
    pub fn unmatched_penalty(&self, config: &ReputationConfig) -> f64 {
        let picked = self.unmatched.saturating_add(self.gated);
        if self.settled == 0 || picked == 0 {
            return 0.0;
        }
        let picked = f64::from(picked.min(self.settled));
        let share = picked / f64::from(self.settled);
        let volume = picked / (picked + config.pooling_strength.max(0.0));
        config.newcomer_discount * (1.0 - config.unmatched_weight.clamp(0.0, 1.0)) * share * volume
    }
}

/// Score changes kept per agent (older ones are in the event log).
pub const CHANGES_KEPT: usize = 16;

/// Running sums per category: the means its priors shrink toward.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryStats {
    /// Sum of observations per dimension.
    pub sums: [f64; 5],
    /// Weight of observations per dimension.
    pub weights: [f64; 5],
    /// Sum of the observations of agents' first work in the category (see
    /// [`CategoryStats::newcomer_mean`]), per dimension: a part of `sums`.
    #[serde(default)]
    pub first_task_sums: [f64; 5],
    /// Their weight per dimension: a part of `weights`.
    #[serde(default)]
    pub first_task_weights: [f64; 5],
}

/// Whether an observation is of an agent's first work in its category, what
/// [`CategoryStats::newcomer_mean`] is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Newness {
    /// The outcome of the agent's first settled task in the category, its rating, or a lease
    /// the agent let run out before it.
    First,
    /// Anything after.
    Later,
}

/// Where an observation came from: whether it is of an agent's first work in its category, and
/// whether from behind a rare skill gate (`gated.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Source {
    newness: Newness,
    behind_rare_gate: bool,
}

impl Newness {
    /// Of an outcome (a settlement, or a lease that ran out) with `settled` tasks already settled
    /// in its category.
    fn of_outcome(settled: u32) -> Newness {
        if settled == 0 {
            Newness::First
        } else {
            Newness::Later
        }
    }

    /// Of a rating, with `settled` tasks settled in its category: ratings come only for settled
    /// tasks, so with one settled there, it rates the first.
    fn of_rating(settled: u32) -> Newness {
        if settled == 1 {
            Newness::First
        } else {
            Newness::Later
        }
    }
}

/// How much of all work's mean a category's newcomer mean keeps, in full-weight observations:
/// one, so the first newcomers' few (and a weightless account's nearly weightless) observations
/// cannot set it alone.
const NEWCOMER_MEAN_SHRINK: f64 = 1.0;

impl CategoryStats {
    /// The mean of all observations in the category on a dimension (0.6 before any evidence:
    /// most work is fine).
    pub fn mean(&self, d: Dimension) -> f64 {
        let (s, w) = (self.sums[d.index()], self.weights[d.index()]);
        if w > 0.0 {
            s / w
        } else {
            0.6
        }
    }

    /// What the category's newcomers delivered on a dimension: the weighted mean of agents' first
    /// work in it (the outcome of their first settled task there, its rating, and any lease they
    /// let run out before it), shrunk toward [`CategoryStats::mean`] by one full-weight
    /// observation. This, not the mean of all work, is what an agent the market knows nothing
    /// about can be expected to do: most work goes to the incumbents the market already rates
    /// highly, so all work's mean sits above a newcomer's, and a prior anchored there ranks a thin
    /// record by how little it was rated rather than by what its ratings said (MATRIX.md, "The
    /// prior's anchor").
    pub fn newcomer_mean(&self, d: Dimension) -> f64 {
        let (s, w) = (self.first_task_sums[d.index()], self.first_task_weights[d.index()]);
        (s + NEWCOMER_MEAN_SHRINK * self.mean(d)) / (w + NEWCOMER_MEAN_SHRINK)
    }
}

/// Reputation of every agent and client.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reputation {
    agents: Vec<AgentReputation>,
    clients: Vec<ClientReputation>,
    categories: Vec<CategoryStats>,
    /// Weighted sum of every normalised rating and the sum of the weights (each rating weighs
    /// its rater's establishment times credibility), for de-inflation against the market's
    /// mean: ratings from weightless accounts cannot move the mean everyone is measured against.
    rating_sum: f64,
    rating_count: f64,
}

impl Reputation {
    /// One more settled task of `agent`'s that the market chose behind only common skill gates;
    /// true when it is the first (the agent is now measured, `market/skill_gates.rs`).
    pub(crate) fn count_open_matched(&mut self, agent: AgentId) -> bool {
        let Some(a) = self.agents.get_mut(agent.index()) else { return false };
        a.open_matched = a.open_matched.saturating_add(1);
        a.open_matched == 1
    }

    pub(crate) fn add_agent(&mut self) {
        self.agents.push(AgentReputation::default());
    }
    pub(crate) fn add_client(&mut self) {
        self.clients.push(ClientReputation::default());
    }
    pub(crate) fn add_category(&mut self) {
        self.categories.push(CategoryStats::default());
    }

    /// The record of one agent.
    pub fn agent(&self, agent: AgentId) -> Option<&AgentReputation> {
        self.agents.get(agent.index())
    }
    /// Tasks `agent` settled in `category` (0 for an unknown agent or a category it never worked in).
    pub fn settled_in(&self, agent: AgentId, category: CategoryId) -> u32 {
        self.agents.get(agent.index()).map_or(0, |a| {
            a.categories.binary_search_by_key(&category, |c| c.category).map_or(0, |i| a.categories[i].settled)
        })
    }

    /// The record of one client.
    pub fn client(&self, client: ClientId) -> Option<&ClientReputation> {
        self.clients.get(client.index())
    }
    /// The record of one client, to change (the operator's trust inputs).
    pub(crate) fn client_mut(&mut self, client: ClientId) -> Option<&mut ClientReputation> {
        self.clients.get_mut(client.index())
    }
    /// Running statistics of one category.
    pub fn category(&self, category: CategoryId) -> Option<&CategoryStats> {
        self.categories.get(category.index())
    }
    /// Number of agents tracked.
    pub fn len(&self) -> usize {
        self.agents.len()
    }
    /// Whether no agents are tracked.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }
    /// The market-wide mean normalised rating, each rating weighted by its rater's
    /// establishment and credibility (0.75 before any rating carries weight).
    pub fn market_rating_mean(&self) -> f64 {
        if self.rating_count > 1e-9 {
            self.rating_sum / self.rating_count
        } else {
            0.75
        }
    }
}
