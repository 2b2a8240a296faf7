//! Market-wide settings, fixed at creation.

use crate::ids::{Bps, DurationMs};
use crate::matching::MatchingConfig;
use crate::reputation::ReputationConfig;
use serde::{Deserialize, Serialize};

/// Market-wide settings. Every field has a sensible default, which an omitted field takes. A
/// new market and a loaded snapshot both refuse a configuration with a value out of its range
/// (the same checks, naming the field).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct MarketConfig {
    /// Seed of the market's deterministic random draws (review sampling, exploration). At most
    /// 2^53 - 1, so the seed survives a trip through a JavaScript number.
    pub seed: u64,
    /// Platform fee on payouts at creation, in basis points, at most 5000 (`MAX_FEE_BPS`) (the operator
    /// may change it).
    pub fee_bps: Bps,
    /// How long an agent has to dispute a rejection (within the caps' dispute bounds).
    pub dispute_window_ms: DurationMs,
    /// How long the operator has to resolve a dispute before the agent, whose work passed
    /// automated verification, is paid by default (within the caps' dispute bounds).
    pub dispute_resolution_ms: DurationMs,
    /// How long a request id is remembered for idempotency.
    pub request_retention_ms: DurationMs,
    /// A `ReturnTask` after this share of the lease has been used counts as an abandonment in
    /// reputation (reason `released_late`); an earlier return is free. Basis points of the lease.
    pub late_return_bps: Bps,
    /// Bids are binding in this final share of the bidding window: withdrawing or raising a bid
    /// is refused (lowering it is not), so bidders cannot fill a task's bid list and leave
    /// together, or price themselves out, just before it closes.
    pub binding_bids_bps: Bps,
    /// Market-wide caps on what a task specification may ask for.
    pub caps: SpecCaps,
    /// Reputation settings.
    pub reputation: ReputationConfig,
    /// Matching settings.
    pub matching: MatchingConfig,
}

/// Market-wide caps on every window, count and horizon a task specification sets, so that no
/// task can lock its escrow or an agent's capacity slot for ever (`PostTask` refuses a spec
/// beyond them, naming the field). Windows default to 30 days, counts to 10.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct SpecCaps {
    /// Longest `review.window_ms`.
    pub max_review_window_ms: DurationMs,
    /// Longest `deadlines.lease_ms`.
    pub max_lease_ms: DurationMs,
    /// Longest `deadlines.clarification_timeout_ms`.
    pub max_clarification_timeout_ms: DurationMs,
    /// Latest `deadlines.claim_by`, as a span from the instant of posting.
    pub max_claim_horizon_ms: DurationMs,
    /// Latest `pricing.bidding_closes_at`, as a span from the instant of posting.
    pub max_bidding_window_ms: DurationMs,
    /// Longest `priority_window.duration_ms`.
    pub max_priority_window_ms: DurationMs,
    /// Shortest dispute window and dispute resolution time the market may be configured with.
    pub min_dispute_window_ms: DurationMs,
    /// Longest dispute window and dispute resolution time the market may be configured with.
    pub max_dispute_window_ms: DurationMs,
    /// Most `review.max_revisions`.
    pub max_revisions: u8,
    /// Most `deadlines.max_clarifications`.
    pub max_clarifications: u8,
}

/// The highest fee the operator may set: 50 %.
pub const MAX_FEE_BPS: Bps = 5_000;

const HOUR_MS: DurationMs = 60 * 60 * 1000;
const DAY_MS: DurationMs = 24 * HOUR_MS;
/// No cap may exceed a year: a cap above that would not bound anything a host would notice.
pub(super) const MAX_CAP_MS: DurationMs = 366 * DAY_MS;

impl Default for MarketConfig {
    fn default() -> Self {
        MarketConfig {
            seed: 0,
            fee_bps: 1_000,
            dispute_window_ms: 3 * DAY_MS,
            dispute_resolution_ms: 7 * DAY_MS,
            request_retention_ms: DAY_MS,
            late_return_bps: 5_000,
            binding_bids_bps: 1_000,
            caps: SpecCaps::default(),
            reputation: ReputationConfig::default(),
            matching: MatchingConfig::default(),
        }
    }
}

impl Default for SpecCaps {
    fn default() -> Self {
        SpecCaps {
            max_review_window_ms: 30 * DAY_MS,
            max_lease_ms: 30 * DAY_MS,
            max_clarification_timeout_ms: 30 * DAY_MS,
            max_claim_horizon_ms: 30 * DAY_MS,
            max_bidding_window_ms: 30 * DAY_MS,
            max_priority_window_ms: 30 * DAY_MS,
            min_dispute_window_ms: HOUR_MS,
            max_dispute_window_ms: 30 * DAY_MS,
            max_revisions: 10,
            max_clarifications: 10,
        }
    }
}

impl SpecCaps {
    /// `span` kept within the dispute bounds. A checked configuration is within them already;
    /// this holds for a `Market` deserialized directly, without `load`'s checks.
    pub(crate) fn dispute_span(&self, span: DurationMs) -> DurationMs {
        span.clamp(self.min_dispute_window_ms, self.max_dispute_window_ms.max(self.min_dispute_window_ms))
    }
}
