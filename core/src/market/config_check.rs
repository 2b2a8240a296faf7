//! The one check of a market configuration, shared by [`Market::new`](crate::Market::new) (which
//! refuses a bad configuration) and [`Market::load`](crate::Market::load) (which refuses a
//! snapshot holding one): both accept exactly the same configurations.

use super::config::{MarketConfig, SpecCaps, MAX_CAP_MS, MAX_FEE_BPS};
use crate::ids::{FULL_BPS, MAX_SAFE};

/// A market configuration the engine refuses: the field's path (`config.fee_bps`,
/// `config.reputation.tiers[2][1]`) and the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct ConfigError {
    /// The path of the bad field from the configuration's root, e.g. `config.fee_bps`.
    pub path: String,
    /// The rule it breaks, e.g. `20000 is above the limit 5000`.
    pub reason: String,
}

fn bad(field: impl AsRef<str>, reason: impl Into<String>) -> ConfigError {
    ConfigError { path: format!("config.{}", field.as_ref()), reason: reason.into() }
}

impl SpecCaps {
    /// Whether the caps themselves are sane: every window cap positive and at most a year, the
    /// dispute bounds in order. On failure, the path of the field (`config.caps.max_lease_ms`).
    pub fn check(&self) -> Result<(), ConfigError> {
        let windows = [
            ("max_review_window_ms", self.max_review_window_ms),
            ("max_lease_ms", self.max_lease_ms),
            ("max_clarification_timeout_ms", self.max_clarification_timeout_ms),
            ("max_claim_horizon_ms", self.max_claim_horizon_ms),
            ("max_bidding_window_ms", self.max_bidding_window_ms),
            ("max_priority_window_ms", self.max_priority_window_ms),
            ("min_dispute_window_ms", self.min_dispute_window_ms),
            ("max_dispute_window_ms", self.max_dispute_window_ms),
        ];
        for (name, value) in windows {
            if value == 0 || value > MAX_CAP_MS {
                return Err(bad(format!("caps.{name}"), format!("must be 1 to {MAX_CAP_MS} ms (a year)")));
            }
        }
        if self.min_dispute_window_ms > self.max_dispute_window_ms {
            return Err(bad("caps.min_dispute_window_ms", "is above caps.max_dispute_window_ms"));
        }
        Ok(())
    }
}

impl MarketConfig {
    /// Whether the configuration is one the engine runs with: the caps ([`SpecCaps::check`]);
    /// the seed and every duration and amount at most 2^53 - 1 (they must survive a trip through
    /// a JavaScript number); the fee at most [`MAX_FEE_BPS`] (as `SetFee` enforces); the dispute
    /// windows within the caps' bounds; shares and weights finite, in range, and never negative
    /// (the code divides by some of them). On failure, the first bad field's path and the rule.
    pub fn check(&self) -> Result<(), ConfigError> {
        self.caps.check()?;
        if self.seed > MAX_SAFE {
            return Err(bad("seed", format!("{} is beyond 2^53 - 1", self.seed)));
        }
        if self.fee_bps > MAX_FEE_BPS {
            return Err(bad("fee_bps", format!("{} is above the limit {MAX_FEE_BPS}", self.fee_bps)));
        }
        let (lo, hi) = (self.caps.min_dispute_window_ms, self.caps.max_dispute_window_ms);
        for (name, value) in
            [("dispute_window_ms", self.dispute_window_ms), ("dispute_resolution_ms", self.dispute_resolution_ms)]
        {
            if !(lo..=hi).contains(&value) {
                return Err(bad(name, format!("must be {lo} to {hi} ms (caps.*_dispute_window_ms)")));
            }
        }
        for (name, value) in [("late_return_bps", self.late_return_bps), ("binding_bids_bps", self.binding_bids_bps)] {
            if value > FULL_BPS {
                return Err(bad(name, "at most 10000"));
            }
        }
        self.check_magnitudes()
    }

    /// Durations and amounts within JavaScript's safe integers; weights, shares and bounds
    /// finite and in range.
    fn check_magnitudes(&self) -> Result<(), ConfigError> {
        let (r, m) = (&self.reputation, &self.matching);
        let safe = [
            ("request_retention_ms", self.request_retention_ms),
            ("reputation.quality_half_life_ms", r.quality_half_life_ms),
            ("reputation.speed_half_life_ms", r.speed_half_life_ms),
            ("reputation.establishment_spend", r.establishment_spend),
            ("reputation.full_weight_spend", r.full_weight_spend),
            ("reputation.outcome_price", r.outcome_price),
            ("matching.simple_task_max_reward", m.simple_task_max_reward),
        ];
        for (field, value) in safe {
            if value > MAX_SAFE {
                return Err(bad(field, format!("{value} is beyond 2^53 - 1")));
            }
        }
        let non_negative = [
            ("reputation.prior_strength", r.prior_strength),
            ("reputation.pooling_strength", r.pooling_strength),
            ("reputation.vouching_needed", r.vouching_needed),
            ("reputation.lower_bound_z", r.lower_bound_z),
            ("reputation.clip_distance", r.clip_distance),
            ("reputation.change_z", r.change_z),
            ("reputation.change_min_run", r.change_min_run),
            ("matching.skill_weight", m.skill_weight),
            ("matching.reputation_weight", m.reputation_weight),
            ("matching.price_weight", m.price_weight),
            ("matching.speed_weight", m.speed_weight),
            ("matching.load_weight", m.load_weight),
            ("matching.exploration_bonus", m.exploration_bonus),
            ("matching.newcomer_evidence", m.newcomer_evidence),
        ];
        let vouching = r.tier_vouching.iter().enumerate().map(|(k, v)| (format!("reputation.tier_vouching[{k}]"), *v));
        for (field, value) in non_negative.into_iter().map(|(f, v)| (f.to_owned(), v)).chain(vouching) {
            if !(value.is_finite() && value >= 0.0) {
                return Err(bad(field, format!("{value} is not a finite non-negative number")));
            }
        }
        let mut shares = vec![
            ("reputation.newcomer_discount".to_owned(), r.newcomer_discount),
            ("reputation.unmatched_weight".to_owned(), r.unmatched_weight),
            ("reputation.max_rater_share".to_owned(), r.max_rater_share),
            ("reputation.clip_below_credibility".to_owned(), r.clip_below_credibility),
        ];
        shares.extend(r.tiers.iter().enumerate().map(|(k, (_, bound))| (format!("reputation.tiers[{k}][1]"), *bound)));
        for (field, value) in shares {
            if !(0.0..=1.0).contains(&value) {
                return Err(bad(field, format!("{value} is not in [0, 1]")));
            }
        }
        if m.newcomer_budget_bps > FULL_BPS {
            return Err(bad("matching.newcomer_budget_bps", format!("{} is above 10000", m.newcomer_budget_bps)));
        }
        Ok(())
    }
}
