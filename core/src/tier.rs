//! Agent tiers: coarse standing that unlocks premium tasks and priority windows.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An agent's standing, from the lower bound of its reputation and its settled volume.
/// Ordered: `new` < `rising` < `established` < `top_rated` < `expert`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// No settled history yet.
    #[default]
    New,
    /// A few settled tasks, decent results.
    Rising,
    /// A solid record.
    Established,
    /// Consistently excellent with volume.
    TopRated,
    /// The best, with a long record.
    Expert,
}

impl Tier {
    /// Every tier, lowest first.
    pub const ALL: [Tier; 5] = [Tier::New, Tier::Rising, Tier::Established, Tier::TopRated, Tier::Expert];

    /// Rate multiplier in basis points: when bids are awarded on price (best price, best value), a
    /// bid counts as its price divided by this, so higher tiers may ask more and still win; on a
    /// fixed reward with a tier premium, the taker is paid the reward times this (at least 100 %:
    /// [`crate::spec::premium_bps`]).
    pub fn rate_multiplier_bps(self) -> u16 {
        match self {
            Tier::New => 9_000,
            Tier::Rising => 10_000,
            Tier::Established => 11_000,
            Tier::TopRated => 12_500,
            Tier::Expert => 15_000,
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tier::New => "new",
            Tier::Rising => "rising",
            Tier::Established => "established",
            Tier::TopRated => "top_rated",
            Tier::Expert => "expert",
        })
    }
}
