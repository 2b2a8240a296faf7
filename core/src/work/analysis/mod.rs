//! The data-analysis kind: a daily time series with a trend, noise, sometimes a weekly pattern,
//! injected anomalies and gaps; the agent reports the anomalous rows, the trend and how it
//! handled the gaps.
//!
//! The generator draws the series from the seed's world: a level, a slope (rising, falling or
//! flat), a noise scale (sometimes heavy-tailed), a weekly pattern in some tasks, 2 to 10
//! injected anomalies (spikes, dips, sometimes a short level shift) and 0 to 15 % missing cells
//! (empty or `NA`, sometimes in a run). About one task in six carries a run of values recorded
//! 1000 times too large: the specification does not say what to make of it, so a careful agent
//! asks ([`UNIT_TOPIC`]), and the client answers with the market-wide convention
//! ([`UNIT_ANSWER`]): rescale such a run, do not flag it.
//!
//! Two methods do the work: [`robust`] (Theil–Sen trend, weekly medians removed, MAD outliers,
//! gaps skipped; slow, O(n²)) and [`naive`] (least squares with gaps read as zeros, z-scores
//! against the standard deviation; fast). [`RobustAnalyst`] and [`NaiveAnalyst`] are the agents
//! that use them.
//!
//! The files: `generate` draws the series and its truth, `measure` scores an
//! output, `answers` holds the client's conventions, `reading`, `stats` and `findings` are what
//! both methods share, `robust_method` and `naive_method` are the methods, `cost` their time and
//! `agents` the two agents.

mod agents;
mod answers;
mod cost;
mod findings;
mod generate;
mod measure;
mod naive_method;
mod reading;
mod robust_method;
mod stats;

pub use agents::{NaiveAnalyst, RobustAnalyst, NAIVE_METHOD, ROBUST_METHOD};
pub use answers::{answer, UNIT_ANSWER, UNIT_TOPIC};
pub use cost::{naive_duration_ms, robust_duration_ms};
pub use generate::{generate, reference_output, Truth, DATASET};
pub use measure::{accuracy, FLAT_SHARE, SLOPE_TOLERANCE};
pub use naive_method::{naive, NAIVE_Z};
pub use robust_method::{robust, ROBUST_K};
