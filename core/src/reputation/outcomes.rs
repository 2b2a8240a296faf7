//! Settled outcomes and abandonments: what they weigh (the task's value, the client's standing,
//! the market's choice) and the evidence they add to the agent's accuracy, speed, quality and
//! adaptability.

use super::raters::repeat_damping;
use super::{ChangeCause, Dimension, Factor, FactorName, Newness, Reputation, ReputationConfig, ScoreChange, Source};
use crate::event::{Outcome, Verdict};
use crate::ids::{AgentId, CategoryId, Timestamp};

/// The least a settled outcome of chosen work weighs, as a share of its task's value, whatever
/// its client's standing: the market vouching for its own choice (none behind a rare gate).
const OUTCOME_WEIGHT_FLOOR: f64 = 0.05;

impl Reputation {
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

    /// An abandoned task: a full-weight failure of accuracy and speed in its category.
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
}

/// Whether work counts at all (for vouching and its client's establishment): work the market
/// chose always does, other work only if `unmatched_weight` is above 0.
pub(crate) fn work_counts(config: &ReputationConfig, matched: bool) -> bool {
    matched_weight(config, matched) > 0.0
}

/// What evidence from work counts for: in full if the market chose the agent, else at
/// `unmatched_weight` (clamped to [0, 1]).
pub(super) fn matched_weight(config: &ReputationConfig, matched: bool) -> f64 {
    if matched {
        1.0
    } else {
        config.unmatched_weight.clamp(0.0, 1.0)
    }
}
