//! The two agents of the analysis kind: what they take, how they finish an output, what they learn.

use super::cost::{ask_duration_ms, rows_of};
use super::{naive, naive_duration_ms, robust, robust_duration_ms, DATASET};
use crate::ids::Money;
use crate::output::{FieldValue, Output};
use crate::rng::SplitMix64;
use crate::table::{cell_key, value_key, Table};
use crate::work::kit::{self, Attempt, Clarification, Decision, Job, MethodRecord, WorkAgent, WorkOutcome};
use crate::work::{Draft, Kind};
use std::collections::{BTreeMap, BTreeSet};

/// The method names agents report.
pub const ROBUST_METHOD: &str = "robust";
/// See [`ROBUST_METHOD`].
pub const NAIVE_METHOD: &str = "naive";

/// Whether an agent of this kind takes `job`, and why not.
fn evaluate_job(job: &Job<'_>) -> Decision {
    if Kind::from_category(&job.spec.category) != Some(Kind::Analysis) {
        return Decision::Decline { reason: format!("I only do {} work.", Kind::Analysis.category()) };
    }
    if !job.has_input(DATASET) {
        return Decision::Decline { reason: format!("There is no inline input named {DATASET} to analyse.") };
    }
    Decision::Claim
}

/// The topic of a question: its words before the first `?`, `:` or `.`.
fn topic_of(question: &str) -> &str {
    question.split(['?', ':', '.']).next().unwrap_or(question).trim()
}

/// The job's clarifications with the remembered answers before them, so an answer given on
/// this task wins over one remembered from another ([`Job::answer`] reads the latest).
fn with_memory(job: &Job<'_>, memory: &BTreeMap<String, String>) -> Vec<Clarification> {
    memory
        .iter()
        .map(|(topic, answer)| Clarification { question: topic.clone(), answer: Some(answer.clone()) })
        .chain(job.clarifications.iter().cloned())
        .collect()
}

/// Check an output with the task's own criteria, repair what can be repaired (flags of rows the
/// dataset lacks, counts and confidence out of range), and lower the confidence for whatever
/// still fails.
fn finish(job: &Job<'_>, mut output: Output, confidence_bps: u16, notes: &str) -> (Output, crate::output::SelfCheck) {
    let (check, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if verification.failed.is_empty() {
        return (output, check);
    }
    repair(job, &mut output);
    let (check, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if verification.failed.is_empty() {
        return (output, check);
    }
    let failed: Vec<&str> = verification.failed.iter().map(|f| f.criterion.as_str()).collect();
    let notes = format!("{notes}; fails {}", failed.join(", "));
    let (check, _) = kit::self_check(job, &output, confidence_bps / 4, &notes);
    (output, check)
}

/// Drop flags of rows the dataset's `row` column lacks; clamp the numbers into their ranges.
fn repair(job: &Job<'_>, output: &mut Output) {
    let table = job.input(DATASET).and_then(|c| Table::parse(c).ok());
    let known: BTreeSet<String> =
        table.as_ref().and_then(|t| t.column("row").map(|c| t.cells(c).map(cell_key).collect())).unwrap_or_default();
    if let Some(FieldValue::List(items)) = output.get_mut("anomalies") {
        items.retain(|item| value_key(item).is_some_and(|k| known.contains(&k)));
    }
    let rows = table.map_or(0.0, |t| t.rows().len() as f64);
    if let Some(FieldValue::Number(m)) = output.get_mut("missing_rows") {
        *m = m.clamp(0.0, rows).round();
    }
    if let Some(FieldValue::Number(c)) = output.get_mut("confidence") {
        *c = c.clamp(0.0, 1.0);
    }
}

/// The careful agent: the [`robust`] method, asks about a ×1000 run once and remembers the
/// convention after. Slow (its time grows with the square of the rows) and dear.
#[derive(Debug, Clone, Default)]
pub struct RobustAnalyst {
    memory: BTreeMap<String, String>,
    methods: MethodRecord,
}

impl RobustAnalyst {
    /// A new robust analyst, remembering nothing.
    pub fn new() -> RobustAnalyst {
        RobustAnalyst::default()
    }

    /// The answers it remembers, by topic.
    pub fn memory(&self) -> &BTreeMap<String, String> {
        &self.memory
    }

    /// How its method has fared.
    pub fn methods(&self) -> &MethodRecord {
        &self.methods
    }
}

impl WorkAgent for RobustAnalyst {
    fn name(&self) -> &str {
        "Robust analyst"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Analysis.category().to_owned(), 4)]
    }

    fn rate(&self) -> Money {
        9_000
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        evaluate_job(job)
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        let clarifications = with_memory(job, &self.memory);
        let job = Job { clarifications: &clarifications, ..*job };
        let rows = rows_of(&job);
        match robust(&job) {
            Draft::Question(question) => Attempt::Ask { question, duration_ms: ask_duration_ms(rows) },
            Draft::Output { output, confidence_bps } => {
                let notes = "Theil-Sen trend with weekday medians removed; MAD outliers; gaps skipped";
                let (output, self_check) = finish(&job, output, confidence_bps, notes);
                Attempt::Submit { output, self_check, duration_ms: robust_duration_ms(rows), method: ROBUST_METHOD }
            }
        }
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        for c in &outcome.clarifications {
            if let Some(answer) = &c.answer {
                self.memory.insert(topic_of(&c.question).to_owned(), answer.clone());
            }
        }
        self.methods.record(outcome.method, outcome.accepted);
    }
}

/// The quick agent: the [`naive`] method, never asks. Fast and cheap.
#[derive(Debug, Clone, Default)]
pub struct NaiveAnalyst {
    methods: MethodRecord,
}

impl NaiveAnalyst {
    /// A new naive analyst.
    pub fn new() -> NaiveAnalyst {
        NaiveAnalyst::default()
    }

    /// How its method has fared.
    pub fn methods(&self) -> &MethodRecord {
        &self.methods
    }
}

impl WorkAgent for NaiveAnalyst {
    fn name(&self) -> &str {
        "Naive analyst"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Analysis.category().to_owned(), 2)]
    }

    fn rate(&self) -> Money {
        3_000
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        evaluate_job(job)
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        let rows = rows_of(job);
        match naive(job) {
            Draft::Question(question) => Attempt::Ask { question, duration_ms: ask_duration_ms(rows) },
            Draft::Output { output, confidence_bps } => {
                let notes = "least squares; z-scores over 3; gaps read as zero";
                let (output, self_check) = finish(job, output, confidence_bps, notes);
                Attempt::Submit { output, self_check, duration_ms: naive_duration_ms(rows), method: NAIVE_METHOD }
            }
        }
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        self.methods.record(outcome.method, outcome.accepted);
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::analysis::UNIT_TOPIC;

    #[test]
    fn topics_are_the_words_before_the_question_mark() {
        assert_eq!(topic_of("Unit change? The values ..."), UNIT_TOPIC);
        assert_eq!(topic_of("no mark at all"), "no mark at all");
    }
}
