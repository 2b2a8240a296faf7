//! Stub: replaced by the outreach kind.

use super::GeneratedTask;
use crate::output::Output;
use crate::rng::SplitMix64;

/// The ground truth of one task of this kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {}

/// Generate one task.
pub fn generate(_rng: &mut SplitMix64) -> GeneratedTask {
    unimplemented!("outreach generator")
}

/// Accuracy of an output against the truth, 0 to 1.
pub fn accuracy(_truth: &Truth, _output: &Output) -> f64 {
    0.0
}

/// The client's answer to a question.
pub fn answer(_truth: &Truth, _question: &str) -> String {
    String::new()
}

/// Stub method.
pub fn segment_aware(_job: &super::kit::Job<'_>) -> super::Draft {
    super::Draft::Question("stub".into())
}
