//! The human worker: a person who works in all three kinds with the careful methods, checks
//! their own work against the criteria before handing it in, and is slow and expensive for it.
//!
//! People make slips the checks cannot see: with probability [`SLIP_RATE`] per task, one
//! judgement in the output is wrong (a verdict or a follow-up action swapped for another allowed
//! one, or a flagged row dropped). A slip that breaks a criterion is caught by the self-check and
//! fixed, at the cost of a second pass.

use super::kit::{self_check, Attempt, Decision, Job, MethodRecord, Outcome, WorkAgent};
use super::{analysis, documents, outreach, Draft, Kind};
use crate::ids::{DurationMs, Money};
use crate::output::{FieldValue, Output};
use crate::rng::SplitMix64;
use crate::spec::Check;

/// How often a person gets one judgement in a task wrong.
pub const SLIP_RATE: f64 = 0.12;

/// Minutes a person needs per task before any reading (opening it, settling in).
const SETTLE_MS: DurationMs = 10 * 60_000;

/// A person working through the platform.
#[derive(Debug, Clone)]
pub struct HumanWorker {
    name: String,
    methods: MethodRecord,
}

impl HumanWorker {
    /// A person called `name`.
    pub fn new(name: &str) -> HumanWorker {
        HumanWorker { name: name.to_owned(), methods: MethodRecord::default() }
    }
}

impl WorkAgent for HumanWorker {
    fn name(&self) -> &str {
        &self.name
    }

    fn skills(&self) -> Vec<(String, u8)> {
        Kind::ALL.iter().map(|k| (k.category().to_owned(), 4)).collect()
    }

    fn rate(&self) -> Money {
        6_000
    }

    fn is_human(&self) -> bool {
        true
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        match Kind::from_category(&job.spec.category) {
            Some(_) => Decision::Claim,
            None => Decision::Decline { reason: format!("I do not work in {}", job.spec.category) },
        }
    }

    fn execute(&mut self, job: &Job<'_>, rng: &mut SplitMix64) -> Attempt {
        let Some(kind) = Kind::from_category(&job.spec.category) else {
            return Attempt::Ask { question: "What is this task about? I do not know the category.".into(), duration_ms: SETTLE_MS };
        };
        let bytes: u64 = job.inputs.iter().map(|i| i.content.as_ref().map_or(0, |c| c.len() as u64)).sum();
        // Reading speed: about 20 bytes a second, and the method's own work on top.
        let reading = bytes.saturating_mul(50);
        let draft = match kind {
            Kind::Documents => documents::careful(job),
            Kind::Analysis => analysis::robust(job),
            Kind::Outreach => outreach::segment_aware(job),
        };
        let (mut output, confidence_bps) = match draft {
            Draft::Question(question) => return Attempt::Ask { question, duration_ms: SETTLE_MS + reading / 2 },
            Draft::Output { output, confidence_bps } => (output, confidence_bps),
        };
        let mut duration = SETTLE_MS.saturating_add(reading);
        if rng.unit() < SLIP_RATE {
            let clean = output.clone();
            slip(job, &mut output, rng);
            // Checking the work against the criteria catches a slip that breaks one; fixing it
            // takes a second pass.
            let (_, checked) = self_check(job, &output, confidence_bps, "");
            if !checked.failed.is_empty() {
                output = clean;
                duration = duration.saturating_add(reading / 2);
            }
        }
        let (check, _) = self_check(job, &output, confidence_bps, "Checked by hand against the criteria.");
        Attempt::Submit { output, self_check: check, duration_ms: duration, method: "by hand" }
    }

    fn learn(&mut self, outcome: &Outcome) {
        self.methods.record(outcome.method, outcome.accepted);
    }
}

/// One wrong judgement: a text member that an `Each`/`OneOf` criterion constrains is set to
/// another allowed value in one item, or, when the task has no such criterion, one item of the
/// first list of plain values is dropped.
fn slip(job: &Job<'_>, output: &mut Output, rng: &mut SplitMix64) {
    let choice = job.spec.acceptance.criteria.iter().find_map(|c| match &c.check {
        Check::Each { field, check } => match check.as_ref() {
            Check::OneOf { field: member, values } if values.len() > 1 => Some((field, member, values)),
            _ => None,
        },
        _ => None,
    });
    if let Some((field, member, values)) = choice {
        let Some(FieldValue::List(items)) = output.get_mut(field) else { return };
        if items.is_empty() {
            return;
        }
        let i = rng.below(items.len() as u64) as usize;
        if let FieldValue::Record(fields) = &mut items[i] {
            if let Some(FieldValue::Text(current)) = fields.get_mut(member) {
                let others: Vec<&String> = values.iter().filter(|v| *v != current).collect();
                if !others.is_empty() {
                    *current = others[rng.below(others.len() as u64) as usize].clone();
                }
            }
        }
        return;
    }
    for value in output.values_mut() {
        if let FieldValue::List(items) = value {
            if !items.is_empty() && items.iter().all(|v| !matches!(v, FieldValue::Record(_) | FieldValue::List(_))) {
                let i = rng.below(items.len() as u64) as usize;
                items.remove(i);
                return;
            }
        }
    }
}
