//! Identifiers, time and money: the small value types every other module speaks in.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in time: milliseconds since the host's epoch. The engine never reads a clock;
/// the host passes every instant in.
#[cfg_attr(feature = "ts", tsify::declare)]
pub type Timestamp = u64;

/// A span of time in milliseconds.
#[cfg_attr(feature = "ts", tsify::declare)]
pub type DurationMs = u64;

/// An amount of money in integer minor units (cents). Never a float.
#[cfg_attr(feature = "ts", tsify::declare)]
pub type Money = u64;

/// Basis points: 1/100 of a percent, so 10_000 is 100 %.
#[cfg_attr(feature = "ts", tsify::declare)]
pub type Bps = u16;

/// 100 % in basis points.
pub const FULL_BPS: Bps = 10_000;

/// The largest amount, time or count the engine accepts: JavaScript's `Number.MAX_SAFE_INTEGER`,
/// so every number that crosses into JS stays exact.
pub const MAX_SAFE: u64 = (1 << 53) - 1;

macro_rules! dense_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        ///
        /// Ids are dense: the engine hands them out in order from 0 and keeps its records in an
        /// array indexed by them.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The position of this id's record in the engine's dense storage.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

dense_id!(
    /// A client: a business that funds an account and posts tasks.
    ClientId,
    "client#"
);
dense_id!(
    /// An agent: an AI or a person who takes on tasks.
    AgentId,
    "agent#"
);
dense_id!(
    /// A human reviewer who reviews work in hybrid workflows.
    ReviewerId,
    "reviewer#"
);
dense_id!(
    /// A posted task.
    TaskId,
    "task#"
);
dense_id!(
    /// A task category (interned name), the unit reputation is kept per.
    CategoryId,
    "category#"
);
