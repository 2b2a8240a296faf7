//! The two reference agents: a careful verifier that asks and remembers the client's
//! conventions, and a cheap pattern extractor; with what each method costs and the dry run
//! every draft goes through before it is submitted.

use super::inputs::read_documents;
use super::{careful, pattern, TOPICS};
use crate::ids::{DurationMs, Money};
use crate::output::{FieldValue, Output};
use crate::rng::SplitMix64;
use crate::work::kit::{self, Attempt, Clarification, Decision, Job, MethodRecord, WorkAgent, WorkOutcome};
use crate::work::{Draft, Kind};
use std::collections::BTreeMap;

/// What the careful method costs: it reads every byte of both inputs and cross-checks each
/// document with the registry, so 25 ms per input byte plus 3 s per document.
pub fn careful_duration(job: &Job<'_>) -> DurationMs {
    let bytes = input_bytes(job, "documents") + input_bytes(job, "registry");
    let docs = document_count(job);
    bytes.saturating_mul(25).saturating_add(docs.saturating_mul(3_000))
}

/// What the pattern method costs: one pass over the documents, 2 ms per byte plus 100 ms per
/// document; it never opens the registry.
pub fn pattern_duration(job: &Job<'_>) -> DurationMs {
    input_bytes(job, "documents").saturating_mul(2).saturating_add(document_count(job).saturating_mul(100))
}

fn input_bytes(job: &Job<'_>, name: &str) -> u64 {
    job.input(name).map_or(0, |c| c.len() as u64)
}

fn document_count(job: &Job<'_>) -> u64 {
    read_documents(job.input("documents")).map_or(0, |d| d.len() as u64)
}

/// Make an output pass the checks the method can fix by itself: every record's
/// `line_items_total` is recomputed from its `line_items` (a sum it should have got right) and
/// every confidence clamped to [0, 1].
fn repair(output: &mut Output) {
    let Some(FieldValue::List(records)) = output.get_mut("documents") else { return };
    for record in records.iter_mut() {
        let FieldValue::Record(fields) = record else { continue };
        let sum: Option<f64> = fields
            .get("line_items")
            .and_then(FieldValue::as_list)
            .map(|items| items.iter().filter_map(FieldValue::as_number).sum());
        if let Some(sum) = sum {
            fields.insert("line_items_total".to_owned(), FieldValue::Number(sum));
        }
        if let Some(c) = fields.get("confidence").and_then(FieldValue::as_number) {
            fields.insert("confidence".to_owned(), FieldValue::Number(c.clamp(0.0, 1.0)));
        }
    }
}

/// Run a method's draft through the dry run: fix what [`repair`] can, and lower the confidence
/// by 20 points for every criterion that still fails.
fn submit(job: &Job<'_>, draft: Draft, duration_ms: DurationMs, method: &'static str, notes: &str) -> Attempt {
    let (mut output, confidence_bps) = match draft {
        Draft::Output { output, confidence_bps } => (output, confidence_bps),
        Draft::Question(question) => return Attempt::Ask { question, duration_ms },
    };
    let (_, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if !verification.failed.is_empty() {
        repair(&mut output);
    }
    let (_, verification) = kit::self_check(job, &output, confidence_bps, notes);
    let penalty = (verification.failed.len() as u16).saturating_mul(2_000);
    let confidence_bps = confidence_bps.saturating_sub(penalty);
    let (self_check, _) = kit::self_check(job, &output, confidence_bps, notes);
    Attempt::Submit { output, self_check, duration_ms, method }
}

fn decide(job: &Job<'_>, who: &str) -> Decision {
    if job.spec.category != Kind::Documents.category() {
        Decision::Decline { reason: format!("{who} only verifies documents") }
    } else if !job.has_input("documents") {
        Decision::Decline { reason: "the task has no inline `documents` input to verify".to_owned() }
    } else {
        Decision::Claim
    }
}

/// The careful method's name, as reported in [`Attempt::Submit::method`].
pub const CAREFUL: &str = "careful";
/// The pattern method's name.
pub const PATTERN: &str = "pattern";

/// A slow, thorough verifier: runs [`careful`], asks when a convention is missing, remembers
/// every answer per topic so it need not ask again on a later batch.
#[derive(Debug, Clone, Default)]
pub struct CarefulVerifier {
    /// Answers learnt, by topic.
    answers: BTreeMap<String, String>,
    methods: MethodRecord,
}

impl CarefulVerifier {
    /// A verifier that knows no convention yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The answer it remembers for `topic`, if it learnt one.
    pub fn remembers(&self, topic: &str) -> Option<&str> {
        self.answers.get(topic).map(String::as_str)
    }
}

/// Remember every answered question whose topic is one of [`TOPICS`].
fn remember(answers: &mut BTreeMap<String, String>, clarifications: &[Clarification]) {
    for c in clarifications {
        let (Some(answer), Some(topic)) = (&c.answer, TOPICS.iter().find(|t| c.question.starts_with(**t))) else {
            continue;
        };
        answers.insert((*topic).to_owned(), answer.clone());
    }
}

impl WorkAgent for CarefulVerifier {
    fn name(&self) -> &str {
        "Careful verifier"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Documents.category().to_owned(), 5)]
    }

    fn rate(&self) -> Money {
        6_000
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        decide(job, "the careful verifier")
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        // Remembered answers go first, so an answer given on this very task takes precedence.
        let mut clarifications: Vec<Clarification> = self
            .answers
            .iter()
            .map(|(topic, answer)| Clarification { question: topic.clone(), answer: Some(answer.clone()) })
            .collect();
        clarifications.extend_from_slice(job.clarifications);
        let informed = Job { clarifications: &clarifications, ..*job };
        let duration = careful_duration(job);
        submit(&informed, careful(&informed), duration, CAREFUL, "careful reading, registry cross-checked")
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        remember(&mut self.answers, &outcome.clarifications);
        self.methods.record(outcome.method, outcome.accepted);
    }
}

/// A fast, cheap extractor: runs [`pattern`], never asks, never looks at the registry.
#[derive(Debug, Clone, Default)]
pub struct PatternExtractor {
    methods: MethodRecord,
}

impl PatternExtractor {
    /// A new extractor.
    pub fn new() -> Self {
        Self::default()
    }
}

impl WorkAgent for PatternExtractor {
    fn name(&self) -> &str {
        "Pattern extractor"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Documents.category().to_owned(), 2)]
    }

    fn rate(&self) -> Money {
        1_500
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        decide(job, "the pattern extractor")
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        submit(job, pattern(job), pattern_duration(job), PATTERN, "pattern extraction, registry not consulted")
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        self.methods.record(outcome.method, outcome.accepted);
    }
}
