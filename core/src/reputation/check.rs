//! Checking a loaded reputation against what it is derived from: the settled tasks it counts, the
//! parties and categories it refers to, and its own evidence (summaries, tiers, change logs).
//!
//! What can be recomputed exactly is compared exactly: counters against the tasks, an agent's
//! levels and per-category evidence against its decayed evidence, its overall score and tier
//! against its summary. The per-category means of a summary used the newcomer means *as of the
//! agent's last change*, which later observations of other agents have since moved, so those are
//! only checked for range (finite, in [0, 1]).

use super::{evidence_of, levels_of, AgentSummary, ChangeWatch, Evidence, Reputation, ReputationConfig, CHANGES_KEPT};
use crate::event::Verdict;
use crate::ids::{AgentId, CategoryId, ClientId, Timestamp};
use crate::reputation::explain::ChangeCause;
use std::collections::BTreeMap;

/// What the tasks of a market say reputation must have counted.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Settled tasks per (agent, category).
    pub settled: BTreeMap<(AgentId, CategoryId), u32>,
    /// Settled tasks per (client, agent).
    pub with: BTreeMap<(ClientId, AgentId), u32>,
    /// Per client: [settled, rejected for good, disputes lost, auto-accepted, rated].
    pub clients: Vec<[u32; 5]>,
    /// Settled tasks per agent that the market did not choose it for.
    pub unmatched: BTreeMap<AgentId, u32>,
}

impl Tally {
    /// Count one settled task.
    pub(crate) fn settled(
        &mut self,
        client: ClientId,
        agent: AgentId,
        category: CategoryId,
        verdict: Verdict,
        rated: bool,
    ) {
        *self.settled.entry((agent, category)).or_default() += 1;
        *self.with.entry((client, agent)).or_default() += 1;
        if let Some(c) = self.clients.get_mut(client.index()) {
            c[0] += 1;
            match verdict {
                Verdict::Rejected | Verdict::DisputeRefunded => c[1] += 1,
                Verdict::DisputePaid | Verdict::DisputeSplit => c[2] += 1,
                Verdict::AutoAccepted => c[3] += 1,
                Verdict::Accepted => {}
            }
            c[4] += u32::from(rated);
        }
    }
}

/// The sizes of what reputation refers to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bounds {
    pub agents: usize,
    pub clients: usize,
    pub categories: usize,
    pub tasks: usize,
    pub now: Timestamp,
}

/// A flaw: the path below `reputation` and what is wrong there.
pub(crate) type Flaw = (String, String);

fn flaw(path: String, reason: impl Into<String>) -> Result<(), Flaw> {
    Err((path, reason.into()))
}

/// A weight or count stored as a float: finite and not negative.
fn weight(path: impl Fn() -> String, x: f64) -> Result<(), Flaw> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        flaw(path(), format!("{x} is not a finite non-negative number"))
    }
}

/// A part of a sum kept apart from it (a run within its evidence): a weight, and no more than
/// the whole `whole` up to the rounding of two sums kept apart.
fn within_weight(path: impl Fn() -> String, part: f64, whole: f64) -> Result<(), Flaw> {
    weight(&path, part)?;
    if part <= whole + 1e-9 * whole.max(1.0) {
        Ok(())
    } else {
        flaw(path(), format!("{part} is more than the whole evidence ({whole})"))
    }
}

/// Change detection's sums beside `evidence` (`field` names one): weights, the run within the
/// evidence, and Σ w·x² at most Σ w·x (values lie in [0, 1]).
fn check_watch(field: impl Fn(&str) -> String, watch: &ChangeWatch, evidence: Evidence) -> Result<(), Flaw> {
    weight(|| field("squares"), watch.squares)?;
    weight(|| field("recent"), watch.recent)?;
    within_weight(|| field("run_pos"), watch.run_pos, evidence.pos)?;
    within_weight(|| field("run_neg"), watch.run_neg, evidence.neg)?;
    within_weight(|| field("run_squares"), watch.run_squares, watch.squares)?;
    within_weight(|| field("squared_values"), watch.squared_values, evidence.pos)?;
    within_weight(|| field("run_squared_values"), watch.run_squared_values, watch.run_pos)
}

/// A share or score: finite and in [0, 1].
fn unit(path: impl Fn() -> String, x: f64) -> Result<(), Flaw> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        flaw(path(), format!("{x} is not in [0, 1]"))
    }
}

impl Reputation {
    /// Check every record against `bounds` and `tally`; `Err` names the first flaw.
    pub(crate) fn check(&self, config: &ReputationConfig, bounds: Bounds, tally: &Tally) -> Result<(), Flaw> {
        let counts = [
            ("agents", self.agents.len(), bounds.agents),
            ("clients", self.clients.len(), bounds.clients),
            ("categories", self.categories.len(), bounds.categories),
        ];
        for (what, have, want) in counts {
            if have != want {
                return flaw(what.into(), format!("{have} records for {want}"));
            }
        }
        for i in 0..self.agents.len() {
            self.check_agent(config, bounds, tally, i)?;
        }
        let mut ratings = 0u64;
        for i in 0..self.clients.len() {
            ratings += u64::from(self.check_client(bounds, tally, i)?);
        }
        for (i, c) in self.categories.iter().enumerate() {
            for d in 0..5 {
                weight(|| format!("categories[{i}].sums[{d}]"), c.sums[d])?;
                weight(|| format!("categories[{i}].weights[{d}]"), c.weights[d])?;
                // Agents' first work is a part of all work, and observations lie in [0, 1].
                within_weight(
                    || format!("categories[{i}].first_task_weights[{d}]"),
                    c.first_task_weights[d],
                    c.weights[d],
                )?;
                within_weight(|| format!("categories[{i}].first_task_sums[{d}]"), c.first_task_sums[d], c.sums[d])?;
                within_weight(
                    || format!("categories[{i}].first_task_sums[{d}]"),
                    c.first_task_sums[d],
                    c.first_task_weights[d],
                )?;
            }
        }
        weight(|| "rating_sum".into(), self.rating_sum)?;
        weight(|| "rating_count".into(), self.rating_count)?;
        // Every rating added its rater's standing (establishment x credibility, below 1) to the
        // weight, and at most that times one to the sum.
        if self.rating_count > ratings as f64 || self.rating_sum > self.rating_count * (1.0 + 1e-9) {
            return flaw(
                "rating_count".into(),
                format!("{} (sum {}) but the clients gave {ratings} ratings", self.rating_count, self.rating_sum),
            );
        }
        Ok(())
    }

    fn check_agent(&self, config: &ReputationConfig, bounds: Bounds, tally: &Tally, i: usize) -> Result<(), Flaw> {
        let a = &self.agents[i];
        let agent = AgentId(i as u32);
        let at = |rest: &str| format!("agents[{i}].{rest}");
        weight(|| at("vouched"), a.vouched)?;
        let mut settled = 0u32;
        for (j, c) in a.categories.iter().enumerate() {
            let here = |rest: &str| format!("agents[{i}].categories[{j}].{rest}");
            if c.category.index() >= bounds.categories {
                return flaw(here("category"), format!("{} does not exist", c.category));
            }
            if j > 0 && a.categories[j - 1].category >= c.category {
                return flaw(here("category"), "categories are not sorted and unique");
            }
            let want = tally.settled.get(&(agent, c.category)).copied().unwrap_or(0);
            if c.settled != want {
                return flaw(here("settled"), format!("{} but {want} tasks settled", c.settled));
            }
            settled += c.settled;
            for (d, e) in c.dims.iter().enumerate() {
                weight(|| here(&format!("dims[{d}].pos")), e.pos)?;
                weight(|| here(&format!("dims[{d}].neg")), e.neg)?;
                if e.at > a.summary.as_of {
                    return flaw(
                        here(&format!("dims[{d}].at")),
                        format!("{} is after the summary ({})", e.at, a.summary.as_of),
                    );
                }
            }
            for (k, watch) in c.watch.iter().enumerate() {
                // Beside the accuracy, then the quality evidence.
                check_watch(|name| here(&format!("watch[{k}].{name}")), watch, c.dims[super::WATCHED[k].index()])?;
            }
            for (k, share) in c.agent_run.iter().enumerate() {
                // The agent-wide run's part here is part of the evidence beside it.
                let e = c.dims[super::WATCHED[k].index()];
                within_weight(|| here(&format!("agent_run[{k}].pos")), share.pos, e.pos)?;
                within_weight(|| here(&format!("agent_run[{k}].neg")), share.neg, e.neg)?;
                weight(|| here(&format!("agent_run[{k}].squares")), share.squares)?;
                within_weight(|| here(&format!("agent_run[{k}].squared_values")), share.squared_values, share.pos)?;
            }
            if let Some(gated) = &c.gated {
                // The part from behind rare gates (`gated.rs`) is part of the evidence beside it,
                // both decayed to the later of their instants.
                for ((k, g), (e, d)) in gated.iter().enumerate().zip(c.dims.iter().zip(super::Dimension::ALL)) {
                    if g.at > e.at {
                        return flaw(here(&format!("gated[{k}].at")), format!("{} is after its evidence's", g.at));
                    }
                    let f = super::evidence::decay_factor(e.at - g.at, d.half_life(config));
                    within_weight(|| here(&format!("gated[{k}].pos")), g.pos * f, e.pos)?;
                    within_weight(|| here(&format!("gated[{k}].neg")), g.neg * f, e.neg)?;
                }
            }
            for (k, w) in c.rating_bins.iter().enumerate() {
                weight(|| here(&format!("rating_bins[{k}]")), *w)?;
            }
            for (k, (client, w)) in c.raters.iter().enumerate() {
                if client.index() >= bounds.clients || (k > 0 && c.raters[k - 1].0 >= *client) {
                    return flaw(here(&format!("raters[{k}]")), format!("{client} is missing or out of order"));
                }
                weight(|| here(&format!("raters[{k}]")), *w)?;
            }
        }
        for (k, wide) in a.watch.iter().enumerate() {
            weight(|| at(&format!("watch[{k}].evidence.pos")), wide.evidence.pos)?;
            weight(|| at(&format!("watch[{k}].evidence.neg")), wide.evidence.neg)?;
            check_watch(|name| at(&format!("watch[{k}].watch.{name}")), &wide.watch, wide.evidence)?;
        }
        let want: u32 =
            tally.settled.range((agent, CategoryId(0))..=(agent, CategoryId(u32::MAX))).map(|(_, n)| n).sum();
        if a.settled != settled || a.settled != want {
            return flaw(at("settled"), format!("{} but {want} tasks settled", a.settled));
        }
        let unmatched = tally.unmatched.get(&agent).copied().unwrap_or(0);
        if a.unmatched != unmatched {
            return flaw(
                at("unmatched"),
                format!("{} but {unmatched} settled tasks the market did not choose", a.unmatched),
            );
        }
        let chosen = a.settled.saturating_sub(a.unmatched);
        if a.gated > chosen {
            let reason = format!("{} behind a rare gate but {chosen} settled tasks the market chose", a.gated);
            return flaw(at("gated"), reason);
        }
        if a.open_matched > chosen {
            return flaw(at("open_matched"), format!("{} but {chosen} settled tasks the market chose", a.open_matched));
        }
        if a.changes.len() > CHANGES_KEPT {
            return flaw(at("changes"), format!("{} kept, at most {CHANGES_KEPT}", a.changes.len()));
        }
        for (k, c) in a.changes.iter().enumerate() {
            let here = |rest: &str| format!("agents[{i}].changes[{k}].{rest}");
            let earlier = k.checked_sub(1).and_then(|p| a.changes.get(p)).map_or(0, |p| p.at);
            if c.at < earlier || c.at > bounds.now {
                return flaw(here("at"), format!("{} is out of order or after now ({})", c.at, bounds.now));
            }
            if c.category.index() >= bounds.categories || c.task.is_some_and(|t| t.index() >= bounds.tasks) {
                return flaw(here("task"), "refers to a missing category or task");
            }
            if let ChangeCause::Rated { client, .. } | ChangeCause::RatingIgnored { client } = c.cause {
                if client.index() >= bounds.clients {
                    return flaw(here("cause.client"), format!("{client} does not exist"));
                }
            }
            unit(|| here("before"), c.before)?;
            unit(|| here("after"), c.after)?;
            for (f, factor) in c.factors.iter().enumerate() {
                if !factor.value.is_finite() {
                    return flaw(here(&format!("factors[{f}].value")), "not finite");
                }
            }
        }
        self.check_summary(config, agent, i)
    }

    /// The summary follows from the last change: it was computed at that change's instant from
    /// the agent's evidence, so levels, evidence, overall score and tier are recomputed here.
    fn check_summary(&self, config: &ReputationConfig, agent: AgentId, i: usize) -> Result<(), Flaw> {
        let a = &self.agents[i];
        let s = &a.summary;
        let at = |rest: &str| format!("agents[{i}].summary.{rest}");
        let Some(last) = a.changes.back() else {
            // No change yet: nothing was ever summarised.
            if *s != AgentSummary::default() || !a.categories.is_empty() || a.settled > 0 || a.abandoned > 0 {
                return flaw(at("as_of"), "an agent without changes has evidence or a summary");
            }
            return Ok(());
        };
        if s.as_of != last.at {
            return flaw(at("as_of"), format!("{} but the last change was at {}", s.as_of, last.at));
        }
        let distrust = a.gated_distrust(config, s.as_of);
        let decayed: Vec<[(f64, f64); 5]> = a.categories.iter().map(|c| c.decayed(config, s.as_of, distrust)).collect();
        if s.levels != levels_of(&decayed) {
            return flaw(at("levels"), "differ from the agent's evidence");
        }
        if s.categories.len() != a.categories.len() {
            return flaw(at("categories"), "differ from the agent's evidence");
        }
        for (j, (c, dims)) in s.categories.iter().zip(&decayed).enumerate() {
            let here = |rest: &str| format!("agents[{i}].summary.categories[{j}].{rest}");
            if c.category != a.categories[j].category || c.score.evidence != evidence_of(dims) {
                return flaw(here("score.evidence"), "differs from the agent's evidence");
            }
            unit(|| here("score.mean"), c.score.mean)?;
            unit(|| here("score.lower"), c.score.lower)?;
            unit(|| here("speed"), c.speed)?;
        }
        let (overall, tier) = self.overall_and_tier(config, agent);
        if s.overall != Some(overall) {
            return flaw(at("overall"), "differs from the per-category scores");
        }
        if s.tier != tier {
            return flaw(at("tier"), format!("{} but the record earns {tier}", s.tier));
        }
        Ok(())
    }

    /// Returns the ratings the client gave that counted.
    fn check_client(&self, bounds: Bounds, tally: &Tally, i: usize) -> Result<u32, Flaw> {
        let c = &self.clients[i];
        let client = ClientId(i as u32);
        let at = |rest: &str| format!("clients[{i}].{rest}");
        let [settled, rejected, lost, auto, rated] = tally.clients.get(i).copied().unwrap_or_default();
        let counters = [
            ("settled", c.settled, settled),
            ("rejected", c.rejected, rejected),
            ("disputes_lost", c.disputes_lost, lost),
            ("auto_accepted", c.auto_accepted, auto),
            // A rating counts, or is flagged as self-dealing: one or the other per rated task.
            ("ratings_given", c.ratings_given.saturating_add(c.self_dealing_flags), rated),
        ];
        for (name, have, want) in counters {
            if have != want {
                return Err((at(name), format!("{have} but the tasks say {want}")));
            }
        }
        if c.imported_spend > crate::ids::MAX_SAFE {
            return Err((at("imported_spend"), format!("{} is beyond 2^53 - 1", c.imported_spend)));
        }
        if c.reviews > c.settled {
            return Err((at("reviews"), format!("{} reviews of {} settled tasks", c.reviews, c.settled)));
        }
        for (k, p) in c.counterparties.iter().enumerate() {
            let want = tally.with.get(&(client, p.agent)).copied().unwrap_or(0);
            let sorted = k == 0 || c.counterparties[k - 1].agent < p.agent;
            if p.agent.index() >= bounds.agents || !sorted || p.settled != want || want == 0 {
                return Err((
                    at(&format!("counterparties[{k}]")),
                    format!("{} settled with {}, the tasks say {want}", p.settled, p.agent),
                ));
            }
        }
        let parties = tally.with.range((client, AgentId(0))..=(client, AgentId(u32::MAX))).count();
        if parties != c.counterparties.len() {
            return Err((
                at("counterparties"),
                format!("{} listed, {parties} agents settled with", c.counterparties.len()),
            ));
        }
        let mut repeats = 0u64;
        for (k, (agent, n)) in c.repeats.iter().enumerate() {
            if agent.index() >= bounds.agents || (k > 0 && c.repeats[k - 1].0 >= *agent) || *n == 0 {
                return Err((at(&format!("repeats[{k}]")), format!("{agent} is missing, out of order or zero")));
            }
            repeats += u64::from(*n);
        }
        if repeats != u64::from(c.ratings_given) {
            return Err((at("repeats"), format!("add up to {repeats}, {} ratings given", c.ratings_given)));
        }
        unit(|| at("rating_mean"), c.rating_mean)?;
        weight(|| at("agreements"), c.agreements)?;
        weight(|| at("disagreements"), c.disagreements)?;
        Ok(c.ratings_given)
    }
}
