//! Cost models: how long each method and a question take on a dataset.

use super::DATASET;
use crate::ids::DurationMs;
use crate::table::Table;
use crate::work::kit::Job;

/// Rows of the dataset (0 if unreadable), for the cost models.
pub(super) fn rows_of(job: &Job<'_>) -> u64 {
    job.input(DATASET).and_then(|c| Table::parse(c).ok()).map_or(0, |t| t.rows().len() as u64)
}

/// The robust method's time: a second to read, and two Theil–Sen fits of n(n−1)/2 pairwise
/// slopes each at 0.1 ms a slope, about n²/10 ms (26 s for 500 rows).
pub fn robust_duration_ms(rows: u64) -> DurationMs {
    1_000 + rows.saturating_mul(rows) / 10
}

/// The naive method's time: a fifth of a second plus 2 ms a row (one pass for the line, one
/// for the deviations).
pub fn naive_duration_ms(rows: u64) -> DurationMs {
    200 + 2 * rows
}

/// The time to read a dataset and spot what needs asking: half a second plus 2 ms a row.
pub(super) fn ask_duration_ms(rows: u64) -> DurationMs {
    500 + 2 * rows
}
