//! Reading scores: posterior means with partially pooled priors, the summaries ranking and
//! tiers read (refreshed on every change), the overall score and the tier.

use super::evidence::{self, beta_moments};
use super::{AgentSummary, CategoryRecord, CategorySummary, Dimension, Reputation, ReputationConfig, Score};
use crate::ids::{AgentId, CategoryId, Timestamp};
use crate::tier::Tier;

impl Reputation {
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
        let distrust = self.gated_distrust(config, agent, now);
        let (mean, var, evidence, _) = self.dimension_with(config, (agent, category, d), now, distrust);
        (mean, var, evidence)
    }

    /// [`Reputation::dimension`] and its prior mean, with the agent's `gated_distrust` at `now`
    /// worked out once by the caller (it reads every category of the agent's record).
    pub(super) fn dimension_with(
        &self,
        config: &ReputationConfig,
        (agent, category, d): (AgentId, CategoryId, Dimension),
        now: Timestamp,
        distrust: f64,
    ) -> (f64, f64, f64, f64) {
        let here = self.agents.get(agent.index()).and_then(|a| a.categories.iter().find(|c| c.category == category));
        let (pos, neg) = here.map_or((0.0, 0.0), |c| c.decayed(config, now, distrust)[d.index()]);
        let prior = self.prior_mean_with(config, (agent, category, d), now, distrust);
        let (mean, var) = posterior(config, prior, (pos, neg));
        (mean, var, pos + neg, prior)
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
        self.prior_mean_with(config, (agent, category, d), now, self.gated_distrust(config, agent, now))
    }

    /// [`Reputation::prior_mean`] with the agent's `gated_distrust` at `now` given.
    fn prior_mean_with(
        &self,
        config: &ReputationConfig,
        (agent, category, d): (AgentId, CategoryId, Dimension),
        now: Timestamp,
        distrust: f64,
    ) -> f64 {
        self.prior_pooling(config, (agent, category, d), |c| c.decayed(config, now, distrust)[d.index()])
    }

    /// [`Reputation::prior_mean`] as it will be once an agent-wide change on `WATCHED[i]` (the
    /// dimension `d`) has left every other category only its part of the run.
    pub(super) fn prior_mean_after_change(
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
        let distrust = self.gated_distrust(config, agent, now);
        for d in Dimension::ALL {
            let (m, v, e, _) = self.dimension_with(config, (agent, category, d), now, distrust);
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
pub(super) fn prior_weight(config: &ReputationConfig) -> f64 {
    config.prior_strength.max(0.1)
}

/// Posterior mean and variance from a prior mean (worth `prior_strength` observations) and the
/// evidence `(pos, neg)`.
fn posterior(config: &ReputationConfig, prior: f64, evidence: (f64, f64)) -> (f64, f64) {
    let s = prior_weight(config);
    beta_moments(s * prior + evidence.0, s * (1.0 - prior) + evidence.1)
}
