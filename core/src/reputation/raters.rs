//! Clients' own record: as employers (rejections, review latency, disputes lost), which agents
//! see and filter on; and as raters (establishment, credibility, habits), which weighs their
//! ratings.

use super::config::ReputationConfig;
use crate::event::{Outcome, Verdict};
use crate::ids::{AgentId, DurationMs, Money};
use serde::{Deserialize, Serialize};

/// A client's record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientReputation {
    /// Tasks settled with an agent.
    pub settled: u32,
    /// Of those, rejections that stood (not disputed, or the dispute refunded the client).
    pub rejected: u32,
    /// Disputes the agent won (paid or split).
    pub disputes_lost: u32,
    /// Tasks accepted because the client stayed silent past the review window.
    pub auto_accepted: u32,
    /// Reviews decided by a person.
    pub reviews: u32,
    /// Total time those reviews took.
    pub review_latency_ms: DurationMs,
    /// Each agent it settled with, sorted by agent: establishment counts each counterparty's
    /// largest single spend once (see [`ClientReputation::establishment_spend`]).
    pub counterparties: Vec<Counterparty>,
    /// Ratings given.
    pub ratings_given: u32,
    /// Mean normalised rating given (0..1).
    pub rating_mean: f64,
    /// Ratings that agreed with verified outcomes or the consensus (weighted).
    pub agreements: f64,
    /// Ratings that disagreed.
    pub disagreements: f64,
    /// Ratings given per agent, sorted by agent (repeat ratings count less).
    pub repeats: Vec<(AgentId, u32)>,
    /// Ratings ignored because rater and agent share an owner.
    pub self_dealing_flags: u32,
    /// The counterparties' largest payments, largest first (derived: rebuilt on load).
    #[serde(skip)]
    spends: Vec<Money>,
    /// The counterparties' part of the establishment spend, kept as payments come (derived:
    /// rebuilt on load, checked by `audit`).
    #[serde(skip)]
    pub(crate) counted_spend: Money,
    /// Whether the operator verified its identity outside the engine (`VerifyClient`).
    #[serde(default)]
    pub verified: bool,
    /// Establishment spend the operator imported for it (`ImportEstablishment`), counted with
    /// its settled spend; at most 2^53 - 1.
    #[serde(default)]
    pub imported_spend: Money,
}

/// One agent a client settled tasks with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counterparty {
    /// The agent.
    pub agent: AgentId,
    /// The largest single amount it paid the agent.
    pub max_spend: Money,
    /// Tasks settled with the agent.
    pub settled: u32,
}

impl ClientReputation {
    /// Spend as establishment counts it: the imported spend, plus each counterparty's largest
    /// single payment, largest first, the i-th divided by i. Money cycled to one agent counts
    /// once, and spreading it over more agents grows the sum only like the logarithm of their
    /// number: a $5 account paying ten ring agents counts as about $15, not $50. Kept as
    /// payments come, so reading it costs nothing.
    pub fn establishment_spend(&self) -> Money {
        self.imported_spend.saturating_add(self.counted_spend)
    }

    /// [`ClientReputation::establishment_spend`]'s counterparty part worked out afresh: what
    /// `audit` compares the kept one with.
    pub fn counted_spend_afresh(&self) -> Money {
        let mut spends: Vec<Money> = self.counterparties.iter().map(|c| c.max_spend).filter(|s| *s > 0).collect();
        spends.sort_unstable_by(|a, b| b.cmp(a));
        harmonic(&spends)
    }

    /// After loading: rebuild the derived spends and their count.
    pub(crate) fn rebuild_counted_spend(&mut self) {
        self.spends = self.counterparties.iter().map(|c| c.max_spend).filter(|s| *s > 0).collect();
        self.spends.sort_unstable_by(|a, b| b.cmp(a));
        self.counted_spend = harmonic(&self.spends);
    }

    /// A counterparty's largest payment rose from `before` (0: none) to `after`: move it in the
    /// sorted spends and count them again. Linear in the counterparties, and only when a
    /// largest payment changes (a new agent paid, or paid more than before).
    fn raise_spend(&mut self, before: Money, after: Money) {
        if before > 0 {
            // Largest first: the equal values sit together, and any one of them may go.
            let at = self.spends.partition_point(|s| *s > before);
            if self.spends.get(at) == Some(&before) {
                self.spends.remove(at);
            }
        }
        let at = self.spends.partition_point(|s| *s >= after);
        self.spends.insert(at, after);
        self.counted_spend = harmonic(&self.spends);
    }

    /// Establishment in [0, 1): a Hill curve of order 2 in the establishment spend, half at
    /// `establishment_spend`. The square makes small spenders count far less than in
    /// proportion: $5 accounts are nearly weightless, a client with real volume counts fully.
    pub fn establishment(&self, config: &ReputationConfig) -> f64 {
        establishment_at(config, self.establishment_spend())
    }

    /// What its ratings and settled outcomes weigh for its establishment, in [0, 1]: its
    /// establishment over that of a client with `full_weight_spend`, at most 1. So every client
    /// past that modest spend counts alike as a rater (how much more it spent says nothing of
    /// whether its stars are right, and a spread of weights among honest clients made a thin
    /// record's place follow who rated it more than what they said), while a $5 account still
    /// counts about a hundredth of one at the default. Vouching and tiers read the establishment
    /// itself, where more spend does mean more.
    pub fn weight_as_rater(&self, config: &ReputationConfig) -> f64 {
        let full = establishment_at(config, config.full_weight_spend.max(1));
        (self.establishment(config) / full).min(1.0)
    }

    /// Credibility in (0, 1): a Beta(2, 1) posterior over agreements, so a new rater starts
    /// trusted (2/3) and loses trust by contradicting outcomes and the consensus.
    pub fn credibility(&self) -> f64 {
        (self.agreements + 2.0) / (self.agreements + self.disagreements + 3.0)
    }

    /// Outcomes it settled with `agent` before (repeat outcomes with one client count less).
    pub fn settled_with(&self, agent: AgentId) -> u32 {
        self.counterparties.binary_search_by_key(&agent, |c| c.agent).map_or(0, |i| self.counterparties[i].settled)
    }

    /// How much of the rater's habit offset to trust: little after few ratings.
    pub fn shrink(&self) -> f64 {
        let n = f64::from(self.ratings_given);
        n / (n + 3.0)
    }

    /// Share of settled tasks it rejected for good.
    pub fn rejection_rate(&self) -> f64 {
        if self.settled == 0 {
            0.0
        } else {
            f64::from(self.rejected) / f64::from(self.settled)
        }
    }

    /// Mean time to a review decision, if it has made any.
    pub fn mean_review_latency_ms(&self) -> Option<DurationMs> {
        (self.reviews > 0).then(|| self.review_latency_ms / u64::from(self.reviews))
    }

    /// Weight of this client's outcomes on agents' accuracy: full until it rejects more than
    /// 30 % of work or loses disputes, then falling, so indiscriminate rejection stops hurting.
    pub fn fairness(&self) -> f64 {
        if self.settled < 3 {
            return 1.0;
        }
        let excess = (self.rejection_rate() - 0.3).max(0.0);
        let lost = f64::from(self.disputes_lost) / f64::from(self.settled);
        (1.0 - 1.5 * excess - lost).clamp(0.1, 1.0)
    }

    /// How many ratings it gave `agent` before.
    pub fn repeats_for(&self, agent: AgentId) -> u32 {
        self.repeats.binary_search_by_key(&agent, |(a, _)| *a).map_or(0, |i| self.repeats[i].1)
    }

    /// `counts`: whether its payment counts toward the establishment spend (work the market
    /// chose, or any work when unmatched work counts at all).
    pub(crate) fn record_outcome(&mut self, outcome: &Outcome, counts: bool) {
        // Counters saturate: one per task (ids are u32), so commands cannot take them past
        // u32::MAX; a doctored snapshot must not make them panic or wrap.
        self.settled = self.settled.saturating_add(1);
        let counter = match outcome.verdict {
            Verdict::Rejected | Verdict::DisputeRefunded => Some(&mut self.rejected),
            Verdict::DisputePaid | Verdict::DisputeSplit => Some(&mut self.disputes_lost),
            Verdict::AutoAccepted => Some(&mut self.auto_accepted),
            Verdict::Accepted => None,
        };
        if let Some(counter) = counter {
            *counter = counter.saturating_add(1);
        }
        if let Some(latency) = outcome.review_latency_ms {
            self.reviews = self.reviews.saturating_add(1);
            self.review_latency_ms = self.review_latency_ms.saturating_add(latency);
        }
        let paid = if outcome.verdict.paid() && counts { outcome.price } else { 0 };
        let i = match self.counterparties.binary_search_by_key(&outcome.agent, |c| c.agent) {
            Ok(i) => i,
            Err(i) => {
                let new = Counterparty { agent: outcome.agent, max_spend: 0, settled: 0 };
                self.counterparties.insert(i, new);
                i
            }
        };
        let c = &mut self.counterparties[i];
        c.settled = c.settled.saturating_add(1);
        if paid > c.max_spend {
            let before = std::mem::replace(&mut c.max_spend, paid);
            self.raise_spend(before, paid);
        }
    }

    pub(crate) fn record_rating(
        &mut self,
        agent: AgentId,
        normalised: f64,
        agrees_with_outcome: bool,
        with_consensus: Option<bool>,
    ) {
        let n = f64::from(self.ratings_given);
        self.rating_mean = (self.rating_mean * n + normalised) / (n + 1.0);
        self.ratings_given = self.ratings_given.saturating_add(1);
        if agrees_with_outcome {
            self.agreements += 1.0;
        } else {
            self.disagreements += 1.0;
        }
        match with_consensus {
            Some(true) => self.agreements += 0.5,
            Some(false) => self.disagreements += 0.5,
            None => {}
        }
        match self.repeats.binary_search_by_key(&agent, |(a, _)| *a) {
            Ok(i) => self.repeats[i].1 = self.repeats[i].1.saturating_add(1),
            Err(i) => self.repeats.insert(i, (agent, 1)),
        }
    }
}

/// What a client's rating or outcome of an agent weighs after `earlier` ones of the same agent:
/// `1 / sqrt(1 + earlier)`. A client that keeps hiring one agent should not rate it into place
/// alone (its share of the agent's evidence is capped as well, `max_rater_share`), but its later
/// ratings are still what the agent does now: at `1 / (1 + earlier)` a regular client's tenth
/// rating weighed a tenth of its first, the record of an agent working for a few regular clients
/// all but stopped taking evidence, and a drifted one kept its place for up to 13 tasks
/// (MATRIX.md, "Drift: regular clients' later ratings").
pub(crate) fn repeat_damping(earlier: u32) -> f64 {
    1.0 / libm::sqrt(1.0 + f64::from(earlier))
}

/// Establishment at `spend`: a Hill curve of order 2, half at `establishment_spend`.
fn establishment_at(config: &ReputationConfig, spend: Money) -> f64 {
    let x = spend as f64 / config.establishment_spend.max(1) as f64;
    x * x / (1.0 + x * x)
}

/// `Σ spends[i] / (i + 1)` over spends sorted largest first, saturating: each spend is at most
/// the market's deposits (at most 2^53 - 1), but a doctored snapshot's may not be, and a sum must
/// not panic or wrap.
fn harmonic(spends: &[Money]) -> Money {
    spends.iter().enumerate().fold(0, |sum: Money, (i, s)| sum.saturating_add(s / (i as Money + 1)))
}
