//! The human worker: a person who works in all three kinds with the careful methods, checks
//! their own work against the criteria before handing it in, and is slow and expensive for it.
//!
//! People make slips the checks cannot see: each judgement in an output (a document's verdict, a
//! borrower's follow-up action, a flagged row) is wrong with probability [`SLIP_RATE`], an
//! assumption in the range reported for manual data work, not a fitted figure. A slip that breaks
//! a criterion is caught by the self-check and fixed, at the cost of a second pass. Answers to
//! questions are remembered by topic, as the software agents remember them.

use super::analysis::RobustAnalyst;
use super::documents::CarefulVerifier;
use super::kit::{self_check, Attempt, Decision, Job, MethodRecord, WorkAgent, WorkOutcome};
use super::outreach::SegmentWriter;
use super::Kind;
use crate::ids::{DurationMs, Money};
use crate::output::{FieldValue, Output};
use crate::rng::SplitMix64;
use crate::spec::Check;

/// How often a person gets one judgement wrong.
pub const SLIP_RATE: f64 = 0.1;

/// Minutes a person needs per task before any reading (opening it, settling in).
const SETTLE_MS: DurationMs = 10 * 60_000;

/// Reading speed: milliseconds per byte of input (about 20 bytes a second).
const READ_MS_PER_BYTE: u64 = 50;

/// A person working through the platform. They follow the careful procedure of each kind (the
/// careful verifier's, the robust analyst's, the segment-aware writer's, with what each
/// remembers), at a person's speed and with a person's slips.
#[derive(Debug, Clone)]
pub struct HumanWorker {
    name: String,
    methods: MethodRecord,
    documents: CarefulVerifier,
    analysis: RobustAnalyst,
    outreach: SegmentWriter,
}

impl HumanWorker {
    /// A person called `name`.
    pub fn new(name: &str) -> HumanWorker {
        HumanWorker {
            name: name.to_owned(),
            methods: MethodRecord::default(),
            documents: CarefulVerifier::new(),
            analysis: RobustAnalyst::new(),
            outreach: SegmentWriter::new(),
        }
    }

    /// The procedure a person follows for `kind`.
    fn procedure(&mut self, kind: Kind) -> &mut dyn WorkAgent {
        match kind {
            Kind::Documents => &mut self.documents,
            Kind::Analysis => &mut self.analysis,
            Kind::Outreach => &mut self.outreach,
        }
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
            Some(kind) => self.procedure(kind).evaluate(job),
            None => Decision::Decline { reason: format!("I do not work in {}", job.spec.category) },
        }
    }

    fn execute(&mut self, job: &Job<'_>, rng: &mut SplitMix64) -> Attempt {
        let Some(kind) = Kind::from_category(&job.spec.category) else {
            let question = "What is this task about? I do not know the category.".to_owned();
            return Attempt::Ask { question, duration_ms: SETTLE_MS };
        };
        let bytes: u64 = job.inputs.iter().map(|i| i.content.as_ref().map_or(0, |c| c.len() as u64)).sum();
        let reading = bytes.saturating_mul(READ_MS_PER_BYTE);
        let (mut output, confidence_bps) = match self.procedure(kind).execute(job, rng) {
            Attempt::Ask { question, .. } => return Attempt::Ask { question, duration_ms: SETTLE_MS + reading / 2 },
            Attempt::Submit { output, self_check, .. } => (output, self_check.confidence_bps),
        };
        let mut duration = SETTLE_MS.saturating_add(reading);
        let clean = output.clone();
        if slip(job, &mut output, rng) {
            // Checking the work against the criteria catches a slip that breaks one; fixing it
            // takes a second pass.
            let (_, checked) = self_check(job, &output, confidence_bps, "");
            if !checked.failed.is_empty() {
                output = clean;
                duration = duration.saturating_add(reading / 2);
            }
        }
        let (check, _) = self_check(job, &output, confidence_bps, "Done by hand and checked against the criteria.");
        Attempt::Submit { output, self_check: check, duration_ms: duration, method: "by hand" }
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        self.methods.record(outcome.method, outcome.accepted);
        if let Some(kind) = Kind::from_category(&outcome.category) {
            self.procedure(kind).learn(outcome);
        }
    }
}

/// A person's slips: each judgement is wrong with probability [`SLIP_RATE`]. A judgement is a
/// text member that an `Each`/`OneOf` criterion constrains (set to another allowed value) or,
/// when the task has no such criterion, an item of the first list of plain values (dropped).
/// Returns whether anything slipped.
fn slip(job: &Job<'_>, output: &mut Output, rng: &mut SplitMix64) -> bool {
    let choice = job.spec.acceptance.criteria.iter().find_map(|c| match &c.check {
        Check::Each { field, check } => match check.as_ref() {
            Check::OneOf { field: member, values } if values.len() > 1 => Some((field, member, values)),
            _ => None,
        },
        _ => None,
    });
    let mut slipped = false;
    if let Some((field, member, values)) = choice {
        let Some(FieldValue::List(items)) = output.get_mut(field) else { return false };
        for item in items.iter_mut() {
            if rng.unit() >= SLIP_RATE {
                continue;
            }
            if let FieldValue::Record(fields) = item {
                if let Some(FieldValue::Text(current)) = fields.get_mut(member) {
                    let others: Vec<&String> = values.iter().filter(|v| *v != current).collect();
                    if !others.is_empty() {
                        *current = others[rng.below(others.len() as u64) as usize].clone();
                        slipped = true;
                    }
                }
            }
        }
        return slipped;
    }
    for value in output.values_mut() {
        if let FieldValue::List(items) = value {
            if items.iter().all(|v| !matches!(v, FieldValue::Record(_) | FieldValue::List(_))) {
                let before = items.len();
                items.retain(|_| rng.unit() >= SLIP_RATE);
                return items.len() != before;
            }
        }
    }
    false
}
