//! A reviewer's judgement without the client's truth: redo the task, then compare.
//!
//! A human reviewer the market routes work to (a sampled hand-in, or one whose agent was not
//! confident) does not know what the client knows. What a careful person can do is the task
//! again, from the inputs the reviewer's view shows, and judge the work handed in by how far it
//! [`agrees`](agreement) with their own. The judgement is as good as the redo: it errs where
//! the person slips. Work on restricted data (a registry, borrower records), which a reviewer
//! may not see, cannot be redone and is not judged this way. [`review_by_redo`] is what the
//! autopilot's human worker does when it reviews.

use crate::actor::Actor;
use crate::ids::{ReviewerId, TaskId};
use crate::market::Market;
use crate::output::{FieldValue, Output};
use crate::rng::SplitMix64;
use crate::task::TaskStatus;
use crate::work::kit::{Attempt, Clarification, Job, WorkAgent};
use crate::work::templates::WorkMeasure;
use crate::work::{accepts, stars_for};

/// Relative difference up to which two numbers agree: a trend of 0.763 a day and one of 0.75
/// are the same finding; 0.76 and 0.5 are not.
const NUMBER_TOLERANCE: f64 = 0.1;
/// Texts longer than this are prose (a message to a borrower): two good ones differ in every
/// word, so the comparison leaves them to the task's checks.
const MAX_COMPARED_TEXT: usize = 64;

/// How far `submitted` agrees with `reference`, from 0 to 1, or `None` when nothing in the
/// reference can be compared (all prose). Each field of the reference counts equally; a field
/// missing from `submitted` counts 0. Lists of records are matched by their id (`id`, or a field
/// ending in `_id`), lists of values as sets (the rows flagged), records field by field.
pub fn agreement(reference: &Output, submitted: &Output) -> Option<f64> {
    mean(reference.iter().map(|(name, value)| match submitted.get(name) {
        Some(other) => agree(value, other),
        None => Some(0.0),
    }))
}

/// The mean of the comparable scores.
fn mean(scores: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, n) = scores.flatten().fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

fn agree(reference: &FieldValue, submitted: &FieldValue) -> Option<f64> {
    let score = |same: bool| Some(if same { 1.0 } else { 0.0 });
    match (reference, submitted) {
        (FieldValue::Bool(a), FieldValue::Bool(b)) => score(a == b),
        (FieldValue::Number(a), FieldValue::Number(b)) => {
            score((a - b).abs() <= NUMBER_TOLERANCE * a.abs().max(b.abs()) || (a - b).abs() < 1e-9)
        }
        (FieldValue::Text(a), _) if a.len() > MAX_COMPARED_TEXT => None,
        (FieldValue::Text(a), FieldValue::Text(b)) => score(a.trim().eq_ignore_ascii_case(b.trim())),
        (FieldValue::Record(a), FieldValue::Record(b)) => {
            mean(a.iter().map(|(k, v)| b.get(k).map_or(Some(0.0), |w| agree(v, w))))
        }
        (FieldValue::List(a), FieldValue::List(b)) => agree_lists(a, b),
        _ => Some(0.0),
    }
}

/// Lists: records by id when they have one, otherwise as sets of values (Jaccard).
fn agree_lists(reference: &[FieldValue], submitted: &[FieldValue]) -> Option<f64> {
    if reference.is_empty() && submitted.is_empty() {
        return Some(1.0);
    }
    if let Some(key) = reference.first().and_then(id_key) {
        let id_of = |v: &FieldValue| match v {
            FieldValue::Record(r) => r.get(&key).map(scalar_text),
            _ => None,
        };
        // Each item of either list counts once: matched pairs by their agreement, the rest 0.
        let mut scores = Vec::new();
        for item in reference {
            let id = id_of(item);
            let matched = submitted.iter().find(|s| id.is_some() && id_of(s) == id);
            scores.push(matched.map_or(Some(0.0), |m| agree(item, m)));
        }
        let extra = submitted.iter().filter(|s| !reference.iter().any(|r| id_of(r).is_some() && id_of(r) == id_of(s)));
        scores.extend(extra.map(|_| Some(0.0)));
        return mean(scores.into_iter());
    }
    let set = |items: &[FieldValue]| {
        let mut texts: Vec<String> = items.iter().map(scalar_text).collect();
        texts.sort();
        texts.dedup();
        texts
    };
    let (a, b) = (set(reference), set(submitted));
    let both = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    Some(both as f64 / (a.len() + b.len() - both) as f64)
}

/// The field a record is known by: `id`, else the first one ending in `_id`.
fn id_key(item: &FieldValue) -> Option<String> {
    let FieldValue::Record(r) = item else { return None };
    r.keys().find(|k| *k == "id").or_else(|| r.keys().find(|k| k.ends_with("_id"))).cloned()
}

/// A value as text, for matching ids and comparing sets (numbers in their shortest form).
fn scalar_text(v: &FieldValue) -> String {
    match v {
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Text(t) => t.trim().to_owned(),
        other => format!("{other:?}"),
    }
}

/// How many questions a reviewer asks before it gives up judging.
const MAX_QUESTIONS: usize = 3;

/// Reviewer `reviewer`'s judgement of the work task `task` holds under review: `worker` redoes
/// the task from what the reviewer's view shows, asking the client (`ask`: the answer, or
/// `None` when nobody answers) when the input leaves something open, and the work handed in is
/// measured by its [`agreement`] with the redo (the stars and the acceptance follow from it as
/// from measured accuracy). `None` when the reviewer cannot judge: the task is not under review
/// by a human reviewer, an input is hidden from the reviewer, a question goes unanswered, or
/// nothing can be compared.
pub fn review_by_redo(
    market: &Market,
    reviewer: ReviewerId,
    task: TaskId,
    worker: &mut dyn WorkAgent,
    ask: &mut dyn FnMut(&str) -> Option<String>,
    rng: &mut SplitMix64,
) -> Option<WorkMeasure> {
    let TaskStatus::UnderReview { submission, route, .. } = &market.task(task)?.status else { return None };
    if !route.is_human() {
        return None;
    }
    let view = market.task_view(Actor::Reviewer { id: reviewer }, task).ok()?;
    // Work on data the reviewer may not see (restricted inputs show only to the client and the
    // holder) cannot be redone, so it cannot be judged this way.
    if !view.inputs.iter().all(|i| i.visible) {
        return None;
    }
    let inputs = Job::inputs_of(&view);
    let mut clarifications: Vec<Clarification> = Vec::new();
    let redo = loop {
        let job = Job { task, spec: &view.spec, inputs: &inputs, clarifications: &clarifications };
        match worker.execute(&job, rng) {
            Attempt::Submit { output, .. } => break output,
            Attempt::Ask { question, .. } if clarifications.len() < MAX_QUESTIONS => {
                let answer = Some(ask(&question)?);
                clarifications.push(Clarification { question, answer });
            }
            Attempt::Ask { .. } => return None,
        }
    };
    let accuracy = agreement(&redo, &submission.output)?;
    Some(WorkMeasure { accuracy, stars: stars_for(accuracy), accepts: accepts(accuracy) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(fields: &[(&str, FieldValue)]) -> Output {
        fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
    }

    fn doc(id: &str, verdict: &str) -> FieldValue {
        FieldValue::Record(
            [("id", FieldValue::Text(id.into())), ("verdict", FieldValue::Text(verdict.into()))]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    #[test]
    fn records_match_by_id_and_sets_by_value() {
        let reference = output(&[("documents", FieldValue::List(vec![doc("D1", "valid"), doc("D2", "forged")]))]);
        // Same verdicts in another order: full agreement.
        let same = output(&[("documents", FieldValue::List(vec![doc("D2", "forged"), doc("D1", "valid")]))]);
        assert_eq!(agreement(&reference, &same), Some(1.0));
        // One verdict wrong: D1 agrees on both fields, D2 on its id only.
        let one_wrong = output(&[("documents", FieldValue::List(vec![doc("D1", "valid"), doc("D2", "valid")]))]);
        assert_eq!(agreement(&reference, &one_wrong), Some(0.75));
        // A document missing and an unknown one added: D1 counts 1, D2 and D9 count 0.
        let missing = output(&[("documents", FieldValue::List(vec![doc("D1", "valid"), doc("D9", "valid")]))]);
        assert!((agreement(&reference, &missing).unwrap() - 1.0 / 3.0).abs() < 1e-12);

        let rows = |r: &[f64]| FieldValue::List(r.iter().map(|&x| FieldValue::Number(x)).collect());
        let flagged = output(&[("anomalies", rows(&[3.0, 17.0, 40.0])), ("trend_per_day", FieldValue::Number(0.76))]);
        let close = output(&[("anomalies", rows(&[17.0, 3.0, 41.0])), ("trend_per_day", FieldValue::Number(0.75))]);
        // Rows: 2 shared of 4 distinct (0.5); trends within 10 % (1).
        assert_eq!(agreement(&flagged, &close), Some(0.75));
        let far = output(&[("anomalies", rows(&[])), ("trend_per_day", FieldValue::Number(0.2))]);
        assert_eq!(agreement(&flagged, &far), Some(0.0));
        // A missing field counts 0; prose is left out.
        let prose =
            output(&[("message", FieldValue::Text("x".repeat(200))), ("action", FieldValue::Text("call".into()))]);
        let other = output(&[("message", FieldValue::Text("y".repeat(200)))]);
        assert_eq!(agreement(&prose, &other), Some(0.0));
        assert_eq!(agreement(&output(&[("message", FieldValue::Text("x".repeat(200)))]), &other), None);
    }
}
