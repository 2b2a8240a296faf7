//! Market-wide settings, fixed at creation.

use crate::ids::{Bps, DurationMs};
use crate::matching::MatchingConfig;
use crate::reputation::ReputationConfig;
use serde::{Deserialize, Serialize};

/// Market-wide settings. Every field has a sensible default (`MarketConfig::default()`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct MarketConfig {
    /// Seed of the market's deterministic random draws (review sampling, exploration). Only the
    /// low 53 bits are used, so the seed survives a trip through a JavaScript number.
    pub seed: u64,
    /// Platform fee on payouts at creation, in basis points (the operator may change it).
    pub fee_bps: Bps,
    /// How long an agent has to dispute a rejection.
    pub dispute_window_ms: DurationMs,
    /// How long the operator has to resolve a dispute before the agent, whose work passed
    /// automated verification, is paid by default.
    pub dispute_resolution_ms: DurationMs,
    /// How long a request id is remembered for idempotency.
    pub request_retention_ms: DurationMs,
    /// Reputation settings.
    pub reputation: ReputationConfig,
    /// Matching settings.
    pub matching: MatchingConfig,
}

/// The highest fee the operator may set: 50 %.
pub const MAX_FEE_BPS: Bps = 5_000;

const DAY_MS: DurationMs = 24 * 60 * 60 * 1000;

impl Default for MarketConfig {
    fn default() -> Self {
        MarketConfig {
            seed: 0,
            fee_bps: 1_000,
            dispute_window_ms: 3 * DAY_MS,
            dispute_resolution_ms: 7 * DAY_MS,
            request_retention_ms: DAY_MS,
            reputation: ReputationConfig::default(),
            matching: MatchingConfig::default(),
        }
    }
}
