//! One document's record as an output carries it, and a method's draft made of such records.

use crate::output::{FieldValue, Output};
use crate::work::Draft;
use std::collections::BTreeMap;

/// One document's record in an output.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DocRecord {
    pub(super) id: String,
    pub(super) verdict: &'static str,
    pub(super) total: f64,
    pub(super) currency: String,
    pub(super) line_items: Vec<f64>,
    pub(super) line_items_total: f64,
    pub(super) confidence: f64,
}

impl DocRecord {
    pub(super) fn into_value(self) -> FieldValue {
        let round = |x: f64| (x * 100.0).round() / 100.0;
        FieldValue::Record(BTreeMap::from([
            ("id".to_owned(), FieldValue::Text(self.id)),
            ("verdict".to_owned(), FieldValue::Text(self.verdict.to_owned())),
            ("total".to_owned(), FieldValue::Number(round(self.total))),
            ("currency".to_owned(), FieldValue::Text(self.currency)),
            ("line_items".to_owned(), FieldValue::List(self.line_items.into_iter().map(FieldValue::Number).collect())),
            ("line_items_total".to_owned(), FieldValue::Number(self.line_items_total)),
            ("confidence".to_owned(), FieldValue::Number(self.confidence.clamp(0.0, 1.0))),
        ]))
    }
}

/// An output of document records, with the method's overall confidence (the mean of the
/// documents', in basis points).
pub(super) fn draft(records: Vec<DocRecord>) -> Draft {
    let confidence =
        if records.is_empty() { 0.0 } else { records.iter().map(|r| r.confidence).sum::<f64>() / records.len() as f64 };
    let list = records.into_iter().map(DocRecord::into_value).collect();
    Draft::Output {
        output: Output::from([("documents".to_owned(), FieldValue::List(list))]),
        confidence_bps: (confidence.clamp(0.0, 1.0) * 10_000.0).round() as u16,
    }
}
