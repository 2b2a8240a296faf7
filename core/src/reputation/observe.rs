//! Adding evidence: one observation to one dimension of an agent's category record, and what
//! the change test then forgets (`change.rs`), in the category and across the agent's categories.

use super::change::{self, ChangeTest, RunShare, Step};
use super::evidence;
use super::scores::prior_weight;
use super::{CategoryRecord, Dimension, Newness, Reputation, ReputationConfig, Source, WATCHED};
use crate::ids::{AgentId, CategoryId, Timestamp};

impl Reputation {
    /// Its record in `category`, created empty if it has none yet.
    pub(super) fn record_mut(&mut self, agent: AgentId, category: CategoryId) -> Option<&mut CategoryRecord> {
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
    pub(super) fn observe(
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
}

impl CategoryRecord {
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
