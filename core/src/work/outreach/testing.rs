//! What the unit tests of several files share: a generated task with its truth.

use super::Truth;
use crate::work::{GeneratedTask, Kind};

/// The task `seed` draws for the outreach kind, through the market's generator, with its truth.
pub(super) fn task(seed: u64) -> (GeneratedTask, Truth) {
    let task = crate::work::generate(Kind::Outreach, seed);
    let crate::work::Truth::Outreach(truth) = task.truth.clone() else { panic!("not an outreach truth") };
    (task, truth)
}
