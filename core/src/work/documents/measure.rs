//! Scoring: the output a perfect verifier hands in, and how right any output is.

use super::record::DocRecord;
use super::Truth;
use crate::output::{FieldValue, Output};
use std::collections::BTreeMap;

/// The output a perfect verifier would hand in for `truth` (every verdict, total and item right).
pub fn correct_output(truth: &Truth) -> Output {
    let records = truth
        .documents
        .iter()
        .map(|d| {
            let items: Vec<f64> = d.line_items_minor.iter().map(|m| *m as f64 / 100.0).collect();
            let sum = d.line_items_minor.iter().sum::<i64>() as f64 / 100.0;
            DocRecord {
                id: d.id.clone(),
                verdict: d.verdict,
                total: d.total_minor as f64 / 100.0,
                currency: d.currency.clone(),
                line_items: items,
                line_items_total: sum,
                confidence: 1.0,
            }
            .into_value()
        })
        .collect();
    Output::from([("documents".to_owned(), FieldValue::List(records))])
}

/// How right `output` is: per document of the batch, 0.6 for the right verdict and 0.4 for the
/// right total (within 0.01), averaged over the batch. A document the output leaves out (or
/// names only after another record with its id) scores 0.
pub fn accuracy(truth: &Truth, output: &Output) -> f64 {
    if truth.documents.is_empty() {
        return 0.0;
    }
    let mut by_id: BTreeMap<&str, &BTreeMap<String, FieldValue>> = BTreeMap::new();
    for item in output.get("documents").and_then(FieldValue::as_list).unwrap_or(&[]) {
        let Some(record) = item.as_record() else { continue };
        if let Some(id) = record.get("id").and_then(FieldValue::as_text) {
            by_id.entry(id.trim()).or_insert(record);
        }
    }
    let score: f64 = truth
        .documents
        .iter()
        .map(|d| {
            let Some(record) = by_id.get(d.id.as_str()) else { return 0.0 };
            let verdict = record.get("verdict").and_then(FieldValue::as_text) == Some(d.verdict);
            let total = record
                .get("total")
                .and_then(FieldValue::as_number)
                .is_some_and(|t| (t - d.total_minor as f64 / 100.0).abs() <= 0.01);
            0.6 * f64::from(u8::from(verdict)) + 0.4 * f64::from(u8::from(total))
        })
        .sum();
    score / truth.documents.len() as f64
}
