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

mod change;
mod check;
pub mod config;
pub mod evidence;
mod explain;
mod gated;
mod raters;

pub use change::{AgentWatch, ChangeWatch, RunShare};
pub(crate) use check::{Bounds, Tally};
pub use config::ReputationConfig;
pub use evidence::Evidence;
pub use explain::{ChangeCause, DimensionExplanation, Factor, FactorName, ScoreChange, ScoreExplanation};
pub use raters::ClientReputation;

use crate::command::Rating;
use crate::event::{Outcome, Verdict};
use crate::ids::{AgentId, CategoryId, ClientId, Timestamp};
use crate::tier::Tier;
use change::{ChangeTest, Step};
use evidence::beta_moments;
use raters::repeat_damping;
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

/// The least a settled outcome of chosen work weighs, as a share of its task's value, whatever
/// its client's standing: the market vouching for its own choice (none behind a rare gate).
const OUTCOME_WEIGHT_FLOOR: f64 = 0.05;

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

    fn record_mut(&mut self, agent: AgentId, category: CategoryId) -> Option<&mut CategoryRecord> {
        let record = self.agents.get_mut(agent.index())?;
        let at = match record.categories.binary_search_by_key(&category, |c| c.category) {
            Ok(i) => i,
            Err(i) => {
                record.categories.insert(i, CategoryRecord::new(category));
                i
            }
        };
        record.categories.get_mut(at)
    }

    /// Add an observation `x` with weight `w` to one dimension of `(agent, category)` at `now`.
    /// Returns the evidence forgotten if it showed the agent's accuracy or quality changed.
    fn observe(
        &mut self,
        config: &ReputationConfig,
        at: (AgentId, CategoryId, Timestamp),
        d: Dimension,
        x: f64,
        w: f64,
        from: Source,
    ) -> Option<f64> {
        let (agent, category, now) = at;
        let (x, w) = (x.clamp(0.0, 1.0), w.max(0.0));
        let half_life = d.half_life(config);
        let test = ChangeTest { z: config.change_z, min_run: config.change_min_run.max(1.0) };
        let mut forgotten = None;
        if let Some(i) = WATCHED.iter().position(|w| *w == d) {
            forgotten = self.observe_watched(config, at, (d, i), (x, w), test);
        } else if let Some(r) = self.record_mut(agent, category) {
            r.dims[d.index()].add(now, half_life, x, w);
        }
        // The gated part (`gated.rs`): only work behind a rare gate adds to it, and only
        // forgetting can leave the whole smaller than it, so the usual observation skips this.
        if from.behind_rare_gate || forgotten.is_some() {
            if let Some(r) = self.record_mut(agent, category) {
                if from.behind_rare_gate && w > 0.0 {
                    r.gated.get_or_insert_with(Default::default)[d.index()].add(now, half_life, x, w);
                }
                // Two sums kept apart round apart, and forgetting drops the record before a
                // change, of which the gated part is a part.
                r.keep_gated_within_dims(config);
            }
        }
        if let Some(s) = self.categories.get_mut(category.index()) {
            s.sums[d.index()] += x * w;
            s.weights[d.index()] += w;
            if from.newness == Newness::First {
                s.first_task_sums[d.index()] += x * w;
                s.first_task_weights[d.index()] += w;
            }
        }
        forgotten
    }

    /// [`Reputation::observe`] on a watched dimension (`WATCHED[i]`): the observation also runs
    /// the category's change test and the agent-wide one, and a declared change forgets.
    fn observe_watched(
        &mut self,
        config: &ReputationConfig,
        (agent, category, now): (AgentId, CategoryId, Timestamp),
        (d, i): (Dimension, usize),
        (x, w): (f64, f64),
        test: ChangeTest,
    ) -> Option<f64> {
        let half_life = d.half_life(config);
        let agent_wide = match self.agents.get_mut(agent.index()) {
            Some(a) => change::observe(&mut a.watch[i].evidence, &mut a.watch[i].watch, (now, half_life), (x, w), test),
            None => return None,
        };
        let mut changed_here = false;
        if let Some(r) = self.record_mut(agent, category) {
            let evidence = &mut r.dims[d.index()];
            let f = evidence::decay_factor(now.saturating_sub(evidence.at), half_life);
            r.agent_run[i].step(f, (x, w), matches!(agent_wide, Step::Joined | Step::Changed));
            changed_here = change::observe_decayed(evidence, &mut r.watch[i], (now, f), (x, w), test) == Step::Changed;
        }
        // A declared change forgets the earlier record if that lowers the posterior (the prior
        // is worked out only now: it walks the agent's other categories).
        let mut forgotten = None;
        if changed_here {
            let prior = self.prior_mean(config, agent, category, d, now);
            if let Some(r) = self.record_mut(agent, category) {
                forgotten = change::forget(&mut r.dims[d.index()], &mut r.watch[i], prior, prior_weight(config));
                // The agent-wide run's part here stays within what is left.
                let (e, share) = (r.dims[d.index()], &mut r.agent_run[i]);
                share.pos = share.pos.min(e.pos);
                share.neg = share.neg.min(e.neg);
                share.squared_values = share.squared_values.min(share.pos);
            }
        }
        match agent_wide {
            Step::Changed => {
                let wide = self.forget_agent_wide(config, agent, (d, i), now);
                forgotten = match (forgotten, wide) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
            }
            Step::Ended => {
                if let Some(a) = self.agents.get_mut(agent.index()) {
                    a.categories.iter_mut().for_each(|c| c.agent_run[i] = RunShare::default());
                }
            }
            Step::Outside | Step::Joined => {}
        }
        forgotten
    }

    /// After the agent-wide test declared a change on `WATCHED[i]`: every category keeps only
    /// its part of the run (where that lowers its posterior), and the agent-wide record becomes
    /// the run. Returns the weight forgotten in the categories.
    fn forget_agent_wide(
        &mut self,
        config: &ReputationConfig,
        agent: AgentId,
        (d, i): (Dimension, usize),
        now: Timestamp,
    ) -> Option<f64> {
        let half_life = d.half_life(config);
        let categories: Vec<CategoryId> =
            self.agents.get(agent.index()).map_or_else(Vec::new, |a| a.categories.iter().map(|c| c.category).collect());
        // Each category's posterior before the change is compared with the one after it: its
        // part of the run under a prior pooled from the other categories' parts. Not the prior
        // as it stands: that still holds the other categories' earlier records, which the same
        // change forgets, and a category the run did not reach would keep its whole record
        // whenever those were better than it (MATRIX.md, "Drift: a category the run did not
        // reach").
        let priors: Vec<(f64, f64)> = categories
            .iter()
            .map(|&c| {
                (self.prior_mean(config, agent, c, d, now), self.prior_mean_after_change(config, agent, c, (d, i), now))
            })
            .collect();
        let a = self.agents.get_mut(agent.index())?;
        let mut forgotten = None;
        for (c, prior) in a.categories.iter_mut().zip(priors) {
            let evidence = &mut c.dims[d.index()];
            let f = evidence::decay_factor(now.saturating_sub(evidence.at), half_life);
            c.watch[i] = c.watch[i].decayed(f, evidence.pos);
            evidence.add_decayed(f, now, 0.0, 0.0);
            c.agent_run[i].step(f, (0.0, 0.0), false);
            if let Some(weight) =
                change::forget_to(evidence, &mut c.watch[i], c.agent_run[i], prior, prior_weight(config))
            {
                forgotten = Some(forgotten.unwrap_or(0.0) + weight);
                c.keep_gated_within_dims(config);
            }
            c.agent_run[i] = RunShare::default();
        }
        // The agent-wide record becomes its run: it serves only the test, so no guard.
        let wide = &mut a.watch[i];
        let run = wide.watch.run();
        change::keep_only(&mut wide.evidence, &mut wide.watch, run);
        forgotten
    }

    /// The weight a settled outcome carries: more for pricier tasks from established clients
    /// whose rejections are not indiscriminate. A $5 task from a fresh account counts little.
    fn outcome_weight(
        &self,
        config: &ReputationConfig,
        outcome: &Outcome,
        behind_rare_gate: bool,
    ) -> (f64, Vec<Factor>) {
        let price = outcome.price as f64;
        let value = price / (price + config.outcome_price as f64);
        let client = self.clients.get(outcome.client.index());
        let as_rater = client.map_or(0.0, |c| c.weight_as_rater(config));
        let fairness = client.map_or(1.0, |c| c.fairness());
        // Repeat outcomes between one client and one agent count less and less.
        let repeat = repeat_damping(client.map_or(0, |c| c.settled_with(outcome.agent)));
        let chosen = matched_weight(config, outcome.matched);
        // The floor is the market vouching for its own choice, so that a new client's first
        // tasks measure the agent at all. Behind a rare gate the client chose the pool (its ring,
        // say, once its agents were measured elsewhere), so only the client's standing counts.
        let floor = if behind_rare_gate { 0.0 } else { OUTCOME_WEIGHT_FLOOR };
        let w = value * (floor + (1.0 - floor) * as_rater) * fairness * repeat * chosen;
        // Room for every factor `record_outcome` adds (two observations in front, adaptability),
        // so that none of them reallocates: this runs on every settlement.
        let mut factors = Vec::with_capacity(9);
        factors.extend([
            Factor::new(FactorName::TaskValueWeight, value),
            Factor::new(FactorName::ClientEstablishment, as_rater),
            Factor::new(FactorName::ClientFairness, fairness),
            Factor::new(FactorName::RepeatDamping, repeat),
        ]);
        if !outcome.matched {
            factors.push(Factor::new(FactorName::Unmatched, chosen));
        }
        if behind_rare_gate {
            factors.push(Factor::new(FactorName::RareGate, floor));
        }
        factors.push(Factor::new(FactorName::OutcomeWeight, w));
        (w, factors)
    }

    /// A settled task's outcome: evidence for its agent, and for its client a settlement that
    /// establishes it if the market chose the agent and `establishing` (the task's skill gates
    /// let money paid behind them count, `market/skill_gates.rs`).
    pub(crate) fn record_outcome(
        &mut self,
        config: &ReputationConfig,
        outcome: &Outcome,
        now: Timestamp,
        establishing: bool,
    ) {
        let (agent, category) = (outcome.agent, outcome.category);
        let before = self.score(config, agent, category).mean;
        // Chosen work whose payment cannot establish its client: behind a rare skill gate.
        let behind_rare_gate = outcome.matched && !establishing;
        let (w, mut factors) = self.outcome_weight(config, outcome, behind_rare_gate);
        let accuracy = match outcome.verdict {
            Verdict::Rejected | Verdict::DisputeRefunded => 0.0,
            Verdict::DisputeSplit => 0.5,
            // Work that needed fixing to pass its checks was half accurate; a self-check that
            // over-claimed costs a little more.
            Verdict::Accepted | Verdict::AutoAccepted | Verdict::DisputePaid => {
                let first = if outcome.first_attempt_passed { 1.0 } else { 0.5 };
                first * if outcome.self_check_agreed { 1.0 } else { 0.85 }
            }
        };
        let allowed = outcome.allowed_ms.max(1) as f64;
        let per_round = outcome.worked_ms as f64 / f64::from(1 + u32::from(outcome.revisions));
        let speed = (1.0 - per_round / allowed).clamp(0.0, 1.0);
        let settled_here = self.settled_in(agent, category);
        let from = Source { newness: Newness::of_outcome(settled_here), behind_rare_gate };
        let mut forgotten = self.observe(config, (agent, category, now), Dimension::Accuracy, accuracy, w, from);
        self.observe(config, (agent, category, now), Dimension::Speed, speed, w, from);
        if outcome.verdict.paid() {
            // The reviewer's own verdict is a quality signal, whatever the ratings say: work sent
            // back for revision was not good enough as delivered.
            let reviewed = if outcome.revisions > 0 { 0.25 } else { 0.75 };
            forgotten =
                forgotten.or(self.observe(config, (agent, category, now), Dimension::Quality, reviewed, 0.5 * w, from));
        }
        if matches!(outcome.verdict, Verdict::DisputeRefunded) {
            // A lost dispute is also a quality signal the agent cannot rate its way out of.
            forgotten = forgotten.or(self.observe(config, (agent, category, now), Dimension::Quality, 0.0, w, from));
        }
        if let Some(weight) = forgotten {
            factors.push(Factor::new(FactorName::ChangeForgot, weight));
        }
        let new_to_category = settled_here < 3;
        if new_to_category || outcome.clarifications > 0 || outcome.revisions > 0 {
            let adapted = match outcome.verdict {
                Verdict::Accepted | Verdict::AutoAccepted | Verdict::DisputePaid => 0.5 + 0.5 * accuracy,
                Verdict::DisputeSplit => 0.25,
                Verdict::Rejected | Verdict::DisputeRefunded => 0.0,
            };
            self.observe(config, (agent, category, now), Dimension::Adaptability, adapted, w, from);
            factors.push(Factor::new(FactorName::AdaptabilityObservation, adapted));
        }
        // Counters saturate (here and below): one per task, and task ids are u32, so they cannot
        // pass u32::MAX through commands; a doctored snapshot must not make them panic or wrap.
        if let Some(r) = self.record_mut(agent, category) {
            r.settled = r.settled.saturating_add(1);
        }
        if let Some(a) = self.agents.get_mut(agent.index()) {
            a.settled = a.settled.saturating_add(1);
            if !outcome.matched {
                a.unmatched = a.unmatched.saturating_add(1);
            } else if behind_rare_gate {
                a.gated = a.gated.saturating_add(1);
            }
        }
        // Only work the market chose vouches and establishes its client (unless the operator lets
        // unmatched work count): a shell paying its own socks vouches for nothing.
        let counts = work_counts(config, outcome.matched);
        let first_payment = outcome.verdict.paid()
            && counts
            && self.clients.get(outcome.client.index()).is_some_and(|c| c.settled_with(outcome.agent) == 0);
        if first_payment {
            let establishment = self.clients.get(outcome.client.index()).map_or(0.0, |c| c.establishment(config));
            if let Some(a) = self.agents.get_mut(agent.index()) {
                a.vouched += establishment;
            }
        }
        if let Some(c) = self.clients.get_mut(outcome.client.index()) {
            c.record_outcome(outcome, counts && establishing);
        }
        factors.insert(0, Factor::new(FactorName::AccuracyObservation, accuracy));
        factors.insert(1, Factor::new(FactorName::SpeedObservation, speed));
        let cause = ChangeCause::Settled { verdict: outcome.verdict };
        let change = ScoreChange { at: now, task: Some(outcome.task), category, cause, before, after: before, factors };
        self.log_change(config, agent, change);
    }

    pub(crate) fn record_abandonment(
        &mut self,
        config: &ReputationConfig,
        agent: AgentId,
        category: CategoryId,
        now: Timestamp,
    ) {
        let before = self.score(config, agent, category).mean;
        let from = Source { newness: Newness::of_outcome(self.settled_in(agent, category)), behind_rare_gate: false };
        self.observe(config, (agent, category, now), Dimension::Accuracy, 0.0, 1.0, from);
        self.observe(config, (agent, category, now), Dimension::Speed, 0.0, 1.0, from);
        if let Some(a) = self.agents.get_mut(agent.index()) {
            a.abandoned = a.abandoned.saturating_add(1);
        }
        let factors = vec![
            Factor::new(FactorName::AccuracyObservation, 0.0),
            Factor::new(FactorName::SpeedObservation, 0.0),
            Factor::new(FactorName::Weight, 1.0),
        ];
        let change = ScoreChange {
            at: now,
            task: None,
            category,
            cause: ChangeCause::Abandoned,
            before,
            after: before,
            factors,
        };
        self.log_change(config, agent, change);
    }

    /// A client's rating of a paid task. `verified` says whether the work passed verification
    /// at the first attempt and was accepted: what the rating is checked against.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record_rating(&mut self, config: &ReputationConfig, rating: RatingInput, now: Timestamp) {
        let RatingInput { client, agent, category, stars, verified, same_owner, matched, behind_rare_gate, task } =
            rating;
        let before = self.score(config, agent, category).mean;
        let raw = f64::from(stars.quality.clamp(1, 5) - 1) / 4.0;
        let market_mean = self.market_rating_mean();
        let Some(rater) = self.clients.get(client.index()) else { return };
        if same_owner {
            if let Some(r) = self.clients.get_mut(client.index()) {
                r.self_dealing_flags = r.self_dealing_flags.saturating_add(1);
            }
            let factors = vec![Factor::new(FactorName::SameOwnerIgnored, 1.0)];
            let cause = ChangeCause::RatingIgnored { client };
            let change = ScoreChange { at: now, task: Some(task), category, cause, before, after: before, factors };
            self.log_change(config, agent, change);
            return;
        }
        // De-inflate: a rater who rates everyone above the market's mean says less per star.
        let offset = (rater.rating_mean - market_mean) * rater.shrink();
        let deinflated = (raw - offset).clamp(0.0, 1.0);
        let as_rater = rater.weight_as_rater(config);
        let credibility = rater.credibility();
        let repeats = rater.repeats_for(agent);
        let repeat = repeat_damping(repeats);
        let chosen = matched_weight(config, matched);
        let mut w = as_rater * credibility * repeat * chosen;
        let record = self.agents.get(agent.index()).and_then(|a| a.categories.iter().find(|c| c.category == category));
        let median = record.and_then(CategoryRecord::rating_median);
        let mut value = deinflated;
        let mut clipped = 0.0;
        if credibility < config.clip_below_credibility {
            if let Some(m) = median {
                value = m + (deinflated - m).clamp(-config.clip_distance, config.clip_distance);
                clipped = (deinflated - value).abs();
            }
        }
        // The per-rater cap: nobody supplies more than `max_rater_share` of an agent's rating
        // evidence (one full rating is always allowed, or nobody could start).
        let (total, mine) = record.map_or((0.0, 0.0), |r| {
            let mine = r.raters.iter().find(|(c, _)| *c == client).map_or(0.0, |(_, w)| *w);
            (r.raters.iter().map(|(_, w)| w).sum::<f64>(), mine)
        });
        let cap = config.max_rater_share.clamp(0.01, 0.99);
        let allowed = ((cap * total - mine) / (1.0 - cap)).max(1.0 - mine).max(0.0);
        let capped = w > allowed;
        w = w.min(allowed);
        // The agent's own quality so far (its evidence alone, no prior): the consensus a rater
        // is checked against below. The first rating has none.
        let own = record.and_then(|r| {
            let (p, n) = r.dims[Dimension::Quality.index()].at_time(now, Dimension::Quality.half_life(config));
            (p + n > 0.0).then(|| p / (p + n))
        });
        // Consistency: how far this rating lies from the mean of the agent's earlier ratings here,
        // both on the star grid of `rating_bins`, so it measures their spread and not their level.
        // (Not the quality mean above: that also holds the reviewers' verdicts at 0.25 / 0.75,
        // so steady five-star work read as a swing of a quarter star.) The first rating says
        // nothing.
        let spread_from = record.and_then(CategoryRecord::rating_mean);
        let from = Source { newness: Newness::of_rating(record.map_or(0, |r| r.settled)), behind_rare_gate };
        let forgotten = self.observe(config, (agent, category, now), Dimension::Quality, value, w, from);
        if let Some(mean) = spread_from {
            let star = (value * 4.0).round().clamp(0.0, 4.0) / 4.0;
            self.observe(
                config,
                (agent, category, now),
                Dimension::Consistency,
                1.0 - 2.0 * (star - mean).abs(),
                w,
                from,
            );
        }
        let timeliness = f64::from(stars.timeliness.clamp(1, 5) - 1) / 4.0;
        self.observe(config, (agent, category, now), Dimension::Speed, timeliness, 0.25 * w, from);
        if let Some(r) = self.record_mut(agent, category) {
            r.rating_bins[(value * 4.0).round().clamp(0.0, 4.0) as usize] += w;
            match r.raters.binary_search_by_key(&client, |(c, _)| *c) {
                Ok(i) => r.raters[i].1 += w,
                Err(i) => r.raters.insert(i, (client, w)),
            }
        }
        // The rater's own record: credibility from agreement with the verified outcome and with
        // the consensus, its rating habits, its repeat count.
        // Only a flat contradiction of verification counts against the rater: top marks for work
        // that failed its checks, or bottom marks for work that passed them first time.
        let agrees_with_outcome = !((raw >= 0.75 && !verified) || (raw <= 0.25 && verified));
        // Agreement with the consensus: the agent's own record so far (none before its first rating).
        let consensus = own.map(|own| (deinflated - own).abs() < 0.25);
        if let Some(r) = self.clients.get_mut(client.index()) {
            r.record_rating(agent, raw, agrees_with_outcome, consensus);
        }
        // Weighted as the rating itself is before damping and caps: an account with no
        // established spend adds nothing to the mean that de-inflates everyone's ratings.
        let standing = as_rater * credibility * chosen;
        self.rating_sum += raw * standing;
        self.rating_count += standing;
        let mut factors = Vec::with_capacity(9);
        factors.extend([
            Factor::new(FactorName::Stars, raw),
            Factor::new(FactorName::Deinflated, deinflated),
            Factor::new(FactorName::RaterEstablishment, as_rater),
            Factor::new(FactorName::RaterCredibility, credibility),
            Factor::new(FactorName::RepeatDamping, repeat),
            Factor::new(FactorName::ClippedBy, clipped),
            Factor::new(FactorName::CappedAtShare, if capped { 1.0 } else { 0.0 }),
        ]);
        if !matched {
            factors.push(Factor::new(FactorName::Unmatched, chosen));
        }
        factors.push(Factor::new(FactorName::Weight, w));
        if let Some(weight) = forgotten {
            factors.push(Factor::new(FactorName::ChangeForgot, weight));
        }
        let cause = ChangeCause::Rated { client, stars: stars.quality };
        let change = ScoreChange { at: now, task: Some(task), category, cause, before, after: before, factors };
        self.log_change(config, agent, change);
    }

    /// Mean, variance and evidence of one dimension, with partial pooling: the prior is the
    /// agent's level elsewhere shrunk toward the category's newcomer mean.
    pub fn dimension(
        &self,
        config: &ReputationConfig,
        agent: AgentId,
        category: CategoryId,
        d: Dimension,
        now: Timestamp,
    ) -> (f64, f64, f64) {
        let record = self.agents.get(agent.index());
        let here = record.and_then(|a| a.categories.iter().find(|c| c.category == category));
        let distrust = record.map_or(0.0, |a| a.gated_distrust(config, now));
        let (pos, neg) = here.map_or((0.0, 0.0), |c| c.decayed(config, now, distrust)[d.index()]);
        let prior = self.prior_mean(config, agent, category, d, now);
        let (mean, var) = posterior(config, prior, (pos, neg));
        (mean, var, pos + neg)
    }

    /// The prior mean of a dimension for an agent in a category.
    pub fn prior_mean(
        &self,
        config: &ReputationConfig,
        agent: AgentId,
        category: CategoryId,
        d: Dimension,
        now: Timestamp,
    ) -> f64 {
        let distrust = self.agents.get(agent.index()).map_or(0.0, |a| a.gated_distrust(config, now));
        self.prior_pooling(config, (agent, category, d), |c| c.decayed(config, now, distrust)[d.index()])
    }

    /// [`Reputation::prior_mean`] as it will be once an agent-wide change on `WATCHED[i]` (the
    /// dimension `d`) has left every other category only its part of the run.
    fn prior_mean_after_change(
        &self,
        config: &ReputationConfig,
        agent: AgentId,
        category: CategoryId,
        (d, i): (Dimension, usize),
        now: Timestamp,
    ) -> f64 {
        let hl = d.half_life(config);
        self.prior_pooling(config, (agent, category, d), |c| {
            // A part of the run is as of its category's evidence, and decays with it.
            let f = evidence::decay_factor(now.saturating_sub(c.dims[d.index()].at), hl);
            (c.agent_run[i].pos * f, c.agent_run[i].neg * f)
        })
    }

    /// The category's newcomer mean pooled with `evidence` (pos, neg) summed over the agent's
    /// other categories.
    fn prior_pooling(
        &self,
        config: &ReputationConfig,
        (agent, category, d): (AgentId, CategoryId, Dimension),
        evidence: impl Fn(&CategoryRecord) -> (f64, f64),
    ) -> f64 {
        let newcomer_mean = self.newcomer_mean(category, d);
        let Some(record) = self.agents.get(agent.index()) else { return newcomer_mean };
        let (mut pos, mut neg) = (0.0, 0.0);
        for c in record.categories.iter().filter(|c| c.category != category) {
            let (p, n) = evidence(c);
            pos += p;
            neg += n;
        }
        pooled_prior(config, (pos, neg), newcomer_mean, record.unmatched_penalty(config))
    }

    /// The agent's composite score in a category, computed afresh at `now` from its evidence.
    pub fn live_score(&self, config: &ReputationConfig, agent: AgentId, category: CategoryId, now: Timestamp) -> Score {
        let (mut mean, mut var, mut evidence) = (0.0, 0.0, 0.0);
        for d in Dimension::ALL {
            let (m, v, e) = self.dimension(config, agent, category, d, now);
            mean += d.weight() * m;
            var += d.weight() * d.weight() * v;
            if matches!(d, Dimension::Accuracy | Dimension::Quality) {
                evidence += e;
            }
        }
        Score { mean, lower: (mean - config.lower_bound_z * libm::sqrt(var)).clamp(0.0, 1.0), evidence }
    }

    /// The agent's score in a category as of its last change (see [`AgentSummary`]).
    pub fn score(&self, config: &ReputationConfig, agent: AgentId, category: CategoryId) -> Score {
        self.summary_score(config, agent, category).0
    }

    /// (score, speed mean) as of the agent's last change; for a category it has no record in,
    /// the pooled prior from its cached levels and the category's current newcomer means.
    pub fn summary_score(&self, config: &ReputationConfig, agent: AgentId, category: CategoryId) -> (Score, f64) {
        self.summary_score_with(config, agent, category, &self.newcomer_means(category))
    }

    /// What matching reads: (posterior mean, speed mean, evidence) as of the agent's last change,
    /// without the variance and lower bound that `summary_score` also works out. With no
    /// evidence in the category the posterior mean is the pooled prior itself.
    pub fn summary_mean_with(
        &self,
        config: &ReputationConfig,
        agent: AgentId,
        category: CategoryId,
        newcomer_means: &[f64; 5],
    ) -> (f64, f64, f64) {
        let Some(record) = self.agents.get(agent.index()) else { return (0.0, 0.0, 0.0) };
        let summary = &record.summary;
        if let Ok(i) = summary.categories.binary_search_by_key(&category, |c| c.category) {
            let c = &summary.categories[i];
            return (c.score.mean, c.speed, c.score.evidence);
        }
        let (mean, speed) = prior_only_mean(config, &summary.levels, newcomer_means, record.unmatched_penalty(config));
        (mean, speed, 0.0)
    }

    /// What a category's newcomers delivered on each dimension ([`CategoryStats::newcomer_mean`],
    /// 0.6 before any evidence): the means its priors shrink toward.
    pub fn newcomer_means(&self, category: CategoryId) -> [f64; 5] {
        Dimension::ALL.map(|d| self.newcomer_mean(category, d))
    }

    /// One of [`Reputation::newcomer_means`].
    fn newcomer_mean(&self, category: CategoryId, d: Dimension) -> f64 {
        self.categories.get(category.index()).map_or(0.6, |c| c.newcomer_mean(d))
    }

    /// [`Reputation::summary_score`] with the category's newcomer means worked out by the caller
    /// (once per ranking, not once per agent).
    fn summary_score_with(
        &self,
        config: &ReputationConfig,
        agent: AgentId,
        category: CategoryId,
        newcomer_means: &[f64; 5],
    ) -> (Score, f64) {
        let Some(record) = self.agents.get(agent.index()) else {
            return (Score { mean: 0.0, lower: 0.0, evidence: 0.0 }, 0.0);
        };
        let summary = &record.summary;
        if let Ok(i) = summary.categories.binary_search_by_key(&category, |c| c.category) {
            let c = summary.categories[i];
            return (c.score, c.speed);
        }
        let penalty = record.unmatched_penalty(config);
        let (mut mean, mut var, mut speed) = (0.0, 0.0, 0.0);
        for d in Dimension::ALL {
            let prior = pooled_prior(config, summary.levels[d.index()], newcomer_means[d.index()], penalty);
            // No evidence here: the posterior is the prior.
            let (m, v) = posterior(config, prior, (0.0, 0.0));
            mean += d.weight() * m;
            var += d.weight() * d.weight() * v;
            if d == Dimension::Speed {
                speed = m;
            }
        }
        let lower = (mean - config.lower_bound_z * libm::sqrt(var)).clamp(0.0, 1.0);
        (Score { mean, lower, evidence: 0.0 }, speed)
    }

    /// How much of the agent's evidence from behind rare skill gates its scores leave out at
    /// `now`, in [0, 1]: 0 unless the rest of its work contradicts that evidence
    /// (`reputation/gated.rs`). Ranking reads it as of the agent's last change, like every score.
    pub fn gated_distrust(&self, config: &ReputationConfig, agent: AgentId, now: Timestamp) -> f64 {
        self.agents.get(agent.index()).map_or(0.0, |a| a.gated_distrust(config, now))
    }

    /// The agent's overall score as of its last change.
    pub fn overall(&self, config: &ReputationConfig, agent: AgentId) -> Score {
        match self.agents.get(agent.index()).and_then(|a| a.summary.overall) {
            Some(score) => score,
            None => self.score(config, agent, CategoryId(u32::MAX)),
        }
    }

    /// The agent's tier as of its last change: settled volume and overall lower bound.
    pub fn tier(&self, agent: AgentId) -> Tier {
        self.agents.get(agent.index()).map_or(Tier::New, |a| a.summary.tier)
    }

    /// Recompute an agent's summary at `now` (after any change to its evidence). One pass: each
    /// category's evidence is decayed once, and each category's prior pools the rest.
    pub(crate) fn refresh(&mut self, config: &ReputationConfig, agent: AgentId, now: Timestamp) {
        // Reuse the old summary's buffer, and keep the decayed evidence on the stack for the usual
        // handful of categories: this runs on every settlement.
        let mut categories = match self.agents.get_mut(agent.index()) {
            Some(record) => std::mem::take(&mut record.summary.categories),
            None => return,
        };
        categories.clear();
        let Some(record) = self.agents.get(agent.index()) else { return };
        let mut on_stack = [[(0.0, 0.0); 5]; 8];
        let mut on_heap = Vec::new();
        let decayed: &mut [[(f64, f64); 5]] = if record.categories.len() <= on_stack.len() {
            &mut on_stack[..record.categories.len()]
        } else {
            on_heap.resize(record.categories.len(), [(0.0, 0.0); 5]);
            &mut on_heap
        };
        let distrust = record.gated_distrust(config, now);
        for (slot, c) in decayed.iter_mut().zip(&record.categories) {
            *slot = c.decayed(config, now, distrust);
        }
        let levels = levels_of(decayed);
        let penalty = record.unmatched_penalty(config);
        for (c, dims) in record.categories.iter().zip(decayed.iter()) {
            let means = self.newcomer_means(c.category);
            let (mut mean, mut var, mut speed) = (0.0, 0.0, 0.0);
            for d in Dimension::ALL {
                let here = dims[d.index()];
                let elsewhere = (levels[d.index()].0 - here.0, levels[d.index()].1 - here.1);
                let prior = pooled_prior(config, elsewhere, means[d.index()], penalty);
                let (m, v) = posterior(config, prior, here);
                mean += d.weight() * m;
                var += d.weight() * d.weight() * v;
                if d == Dimension::Speed {
                    speed = m;
                }
            }
            let evidence = evidence_of(dims);
            let lower = (mean - config.lower_bound_z * libm::sqrt(var)).clamp(0.0, 1.0);
            categories.push(CategorySummary { category: c.category, score: Score { mean, lower, evidence }, speed });
        }
        let mut summary = AgentSummary { as_of: now, overall: None, tier: Tier::New, levels, categories };
        if let Some(record) = self.agents.get_mut(agent.index()) {
            record.summary = std::mem::take(&mut summary);
        }
        let (overall, tier) = self.overall_and_tier(config, agent);
        if let Some(record) = self.agents.get_mut(agent.index()) {
            record.summary.overall = Some(overall);
            record.summary.tier = tier;
        }
    }

    /// The overall score and tier that follow from an agent's summary (its per-category scores
    /// and levels), its settled volume and vouching. `refresh` sets them from this, and `load`
    /// checks a snapshot's against it.
    pub(crate) fn overall_and_tier(&self, config: &ReputationConfig, agent: AgentId) -> (Score, Tier) {
        let Some(record) = self.agents.get(agent.index()) else {
            return (self.score(config, agent, CategoryId(u32::MAX)), Tier::New);
        };
        let (mut total_mean, mut total_lower, mut total_evidence) = (0.0, 0.0, 0.0);
        for c in &record.summary.categories {
            total_mean += c.score.evidence * c.score.mean;
            total_lower += c.score.evidence * c.score.lower;
            total_evidence += c.score.evidence;
        }
        // With no evidence anywhere, the overall score is the prior of an unworked category.
        let overall = if total_evidence > 0.0 {
            Score { mean: total_mean / total_evidence, lower: total_lower / total_evidence, evidence: total_evidence }
        } else {
            self.summary_score(config, agent, CategoryId(u32::MAX)).0
        };
        let mut tier = Tier::New;
        for ((next, (volume, bound)), vouching) in Tier::ALL[1..].iter().zip(config.tiers).zip(config.tier_vouching) {
            // Volume and a lower bound are not enough: above Rising, a tier needs evidence from
            // distinct established clients, so one shell client paying its own sock agents
            // cannot buy one (see `vouched`).
            if record.settled >= volume && overall.lower >= bound && record.vouched >= vouching {
                tier = *next;
            }
        }
        (overall, tier)
    }
}

impl CategoryRecord {
    /// Its evidence per dimension decayed to `now`, less `distrust` of the part from behind rare
    /// gates (`gated.rs`, [`AgentReputation::gated_distrust`]): what its score is made of.
    pub(crate) fn decayed(&self, config: &ReputationConfig, now: Timestamp, distrust: f64) -> [(f64, f64); 5] {
        let all = Dimension::ALL.map(|d| self.dims[d.index()].at_time(now, d.half_life(config)));
        let Some(gated) = self.gated.as_ref().filter(|_| distrust > 0.0) else { return all };
        let mut kept = all;
        for ((k, g), d) in kept.iter_mut().zip(gated).zip(Dimension::ALL) {
            let (p, n) = g.at_time(now, d.half_life(config));
            k.0 = (k.0 - distrust * p).max(0.0);
            k.1 = (k.1 - distrust * n).max(0.0);
        }
        kept
    }

    /// After evidence was added or forgotten: the gated part stays within the whole, dimension
    /// by dimension, as of the whole's instant (forgetting drops the record before a change, of
    /// which the gated part is a part; and two sums kept apart round apart).
    fn keep_gated_within_dims(&mut self, config: &ReputationConfig) {
        let Some(gated) = &mut self.gated else { return };
        for (g, (all, d)) in gated.iter_mut().zip(self.dims.iter().zip(Dimension::ALL)) {
            g.add(all.at, d.half_life(config), 0.0, 0.0);
            g.pos = g.pos.min(all.pos);
            g.neg = g.neg.min(all.neg);
        }
    }
}

/// The agent's levels: its decayed evidence per dimension summed over categories, in order.
pub(crate) fn levels_of(decayed: &[[(f64, f64); 5]]) -> [(f64, f64); 5] {
    let mut levels = [(0.0, 0.0); 5];
    for dims in decayed {
        for (level, (p, n)) in levels.iter_mut().zip(dims) {
            level.0 += p;
            level.1 += n;
        }
    }
    levels
}

/// The evidence a category's score counts: its accuracy and quality observations.
pub(crate) fn evidence_of(dims: &[(f64, f64); 5]) -> f64 {
    let (a, q) = (dims[Dimension::Accuracy.index()], dims[Dimension::Quality.index()]);
    0.0 + (a.0 + a.1) + (q.0 + q.1)
}

/// What `record_rating` needs about one rating.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RatingInput {
    pub client: ClientId,
    pub agent: AgentId,
    pub category: CategoryId,
    pub stars: Rating,
    pub verified: bool,
    pub same_owner: bool,
    /// Whether the market chose the agent (`TaskClaimed.matched`).
    pub matched: bool,
    /// Whether it chose among the few agents a rare skill gate let through (`gated.rs`).
    pub behind_rare_gate: bool,
    pub task: crate::ids::TaskId,
}

/// Whether work counts at all (for vouching and its client's establishment): work the market
/// chose always does, other work only if `unmatched_weight` is above 0.
pub(crate) fn work_counts(config: &ReputationConfig, matched: bool) -> bool {
    matched_weight(config, matched) > 0.0
}

/// What evidence from work counts for: in full if the market chose the agent, else at
/// `unmatched_weight` (clamped to [0, 1]).
fn matched_weight(config: &ReputationConfig, matched: bool) -> f64 {
    if matched {
        1.0
    } else {
        config.unmatched_weight.clamp(0.0, 1.0)
    }
}

/// Composite mean and speed mean of an agent with no evidence in a category: its pooled priors.
pub(crate) fn prior_only_mean(
    config: &ReputationConfig,
    levels: &[(f64, f64); 5],
    newcomer_means: &[f64; 5],
    penalty: f64,
) -> (f64, f64) {
    let (mut mean, mut speed) = (0.0, 0.0);
    for d in Dimension::ALL {
        let prior = pooled_prior(config, levels[d.index()], newcomer_means[d.index()], penalty);
        mean += d.weight() * prior;
        if d == Dimension::Speed {
            speed = prior;
        }
    }
    (mean, speed)
}

/// The pooled prior mean of a dimension: the agent's own level from its evidence elsewhere
/// `(pos, neg)`, shrunk toward what the category's newcomers delivered by `pooling_strength`
/// pseudo-observations, less its unmatched-work `penalty` (`AgentReputation::unmatched_penalty`).
fn pooled_prior(config: &ReputationConfig, elsewhere: (f64, f64), newcomer_mean: f64, penalty: f64) -> f64 {
    let (pos, neg) = elsewhere;
    let n = pos + neg;
    let k = config.pooling_strength.max(0.0);
    // (n * own + k * mean) / (n + k), with own = pos / n.
    let prior = if n > 0.0 { (pos + k * newcomer_mean) / (n + k) } else { newcomer_mean };
    (prior - penalty).clamp(0.01, 0.99)
}

/// What the prior is worth, in observations (`prior_strength`, at least 0.1).
fn prior_weight(config: &ReputationConfig) -> f64 {
    config.prior_strength.max(0.1)
}

/// Posterior mean and variance from a prior mean (worth `prior_strength` observations) and the
/// evidence `(pos, neg)`.
fn posterior(config: &ReputationConfig, prior: f64, evidence: (f64, f64)) -> (f64, f64) {
    let s = prior_weight(config);
    beta_moments(s * prior + evidence.0, s * (1.0 - prior) + evidence.1)
}
