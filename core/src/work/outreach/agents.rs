//! The two agents: [`SegmentWriter`] (the segment-aware method, remembering answers) and
//! [`TemplateMailer`] (the template method), with the dry run and repair they share.

use super::answers::Ambiguity;
use super::generate::INPUT;
use super::reading::read_records;
use super::segment_aware::segment_aware_with;
use super::template::template;
use crate::ids::{DurationMs, Money};
use crate::output::{FieldValue, Output};
use crate::rng::SplitMix64;
use crate::work::kit::{self, Attempt, Decision, Job, MethodRecord, WorkAgent, WorkOutcome};
use crate::work::{Draft, Kind};
use std::collections::BTreeMap;

/// The name the segment-aware method reports.
pub const SEGMENT_AWARE: &str = "segment_aware";
/// The name the template method reports.
pub const TEMPLATE: &str = "template";

/// Whether the agent takes a job: its own kind with a borrower table, and nothing else.
fn evaluate_outreach(job: &Job<'_>) -> Decision {
    if job.spec.category != Kind::Outreach.category() {
        return Decision::Decline { reason: format!("writes customer outreach only, not {}", job.spec.category) };
    }
    if !job.has_input(INPUT) {
        return Decision::Decline { reason: format!("the task has no inline {INPUT} table to write from") };
    }
    Decision::Claim
}

/// Put `confidence_bps` in the output's `confidence` field too, so both say the same.
fn set_confidence(output: &mut Output, confidence_bps: u16) {
    output.insert("confidence".to_owned(), FieldValue::Number(f64::from(confidence_bps) / 10_000.0));
}

/// Fix what a dry run can flag and a writer can mend without rethinking: texts padded to the
/// least length or cut to the greatest, follow-up days clamped to the allowed range.
fn repair(output: &mut Output) {
    const CLOSING: &str = " Kind regards, Customer Care.";
    for field in ["messages", "plan"] {
        let Some(FieldValue::List(items)) = output.get_mut(field) else { continue };
        for item in items.iter_mut() {
            let FieldValue::Record(record) = item else { continue };
            if let Some(FieldValue::Text(text)) = record.get_mut("text") {
                while text.chars().count() < 40 {
                    text.push_str(CLOSING);
                }
                if text.chars().count() > 1200 {
                    *text = text.chars().take(1200).collect();
                }
            }
            if let Some(FieldValue::Number(days)) = record.get_mut("after_days") {
                *days = if days.is_finite() { days.clamp(0.0, 60.0) } else { 0.0 };
            }
        }
    }
}

/// Self-check an output; if the dry run fails, repair what can be repaired and check again; if
/// it still fails, lower the confidence to below the task's floor (the agent knows it will not
/// pass) and report that.
fn checked(job: &Job<'_>, mut output: Output, confidence_bps: u16, notes: &str) -> (Output, crate::output::SelfCheck) {
    let (check, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if verification.failed.is_empty() {
        return (output, check);
    }
    repair(&mut output);
    let (check, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if verification.failed.is_empty() {
        return (output, check);
    }
    let lowered = confidence_bps.min(job.spec.acceptance.min_confidence_bps.saturating_sub(1)).min(3_000);
    set_confidence(&mut output, lowered);
    let failed: Vec<&str> = verification.failed.iter().map(|f| f.criterion.as_str()).collect();
    let notes = format!("{notes} The dry run fails {}.", failed.join(", "));
    let (check, _) = kit::self_check(job, &output, lowered, &notes);
    (output, check)
}

/// How many borrower rows a job's table has (0 if it has none that parses).
fn borrower_count(job: &Job<'_>) -> usize {
    read_records(job).map_or(0, |r| r.len())
}

/// The topic a remembered question belongs to: a known ambiguity's topic, else its first
/// sentence (up to its first question mark).
fn topic_of(question: &str) -> String {
    match Ambiguity::ALL.into_iter().find(|a| question.starts_with(a.topic())) {
        Some(kind) => kind.topic().to_owned(),
        None => question.split_inclusive('?').next().unwrap_or(question).to_owned(),
    }
}

/// The segment-aware writer: careful, slower, asks when a record is ambiguous and remembers the
/// answers per topic. Its time is 20 s to set up plus 6 s per borrower written (reading the
/// record and reply, writing a tailored message); a question costs 5 s plus 3 s per record read
/// before it.
#[derive(Debug, Clone, Default)]
pub struct SegmentWriter {
    memory: BTreeMap<String, String>,
    methods: MethodRecord,
}

impl SegmentWriter {
    /// A writer with nothing learnt yet.
    pub fn new() -> SegmentWriter {
        SegmentWriter::default()
    }

    /// The answers it remembers, by topic.
    pub fn remembered(&self) -> &BTreeMap<String, String> {
        &self.memory
    }
}

impl WorkAgent for SegmentWriter {
    fn name(&self) -> &str {
        "Segment-aware writer"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Outreach.category().to_owned(), 4)]
    }

    fn rate(&self) -> Money {
        4_000
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        evaluate_outreach(job)
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        let worked = segment_aware_with(job, &self.memory);
        match worked.draft {
            Draft::Question(question) => {
                Attempt::Ask { question, duration_ms: 5_000 + 3_000 * worked.records_read as DurationMs }
            }
            Draft::Output { output, confidence_bps } => {
                let (output, self_check) =
                    checked(job, output, confidence_bps, "Messages fitted to segment, status and latest reply.");
                Attempt::Submit {
                    output,
                    self_check,
                    duration_ms: 20_000 + 6_000 * borrower_count(job) as DurationMs,
                    method: SEGMENT_AWARE,
                }
            }
        }
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        self.methods.record(outcome.method, outcome.accepted);
        for c in &outcome.clarifications {
            if let Some(answer) = &c.answer {
                self.memory.insert(topic_of(&c.question), answer.clone());
            }
        }
    }
}

/// The template mailer: one reminder for everybody, fast, never asks. Its time is 2 s plus
/// 0.2 s per borrower (a mail merge).
#[derive(Debug, Clone, Default)]
pub struct TemplateMailer {
    methods: MethodRecord,
}

impl TemplateMailer {
    /// A mailer.
    pub fn new() -> TemplateMailer {
        TemplateMailer::default()
    }
}

impl WorkAgent for TemplateMailer {
    fn name(&self) -> &str {
        "Template mailer"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Outreach.category().to_owned(), 2)]
    }

    fn rate(&self) -> Money {
        1_200
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        evaluate_outreach(job)
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        let duration_ms = 2_000 + 200 * borrower_count(job) as DurationMs;
        match template(job) {
            Draft::Output { output, confidence_bps } => {
                let (output, self_check) = checked(job, output, confidence_bps, "One reminder template, merged.");
                Attempt::Submit { output, self_check, duration_ms, method: TEMPLATE }
            }
            // The template never asks; should it ever, the question is passed on.
            Draft::Question(question) => Attempt::Ask { question, duration_ms },
        }
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        self.methods.record(outcome.method, outcome.accepted);
    }
}
