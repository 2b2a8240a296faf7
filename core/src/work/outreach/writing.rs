//! Writing the output: message and plan records, and the output that holds them.

use super::rules::Action;
use crate::output::{FieldValue, Output};
use std::collections::BTreeMap;

/// An output from messages and plan items, with the confidence as a number.
pub(super) fn output_of(messages: Vec<FieldValue>, plan: Vec<FieldValue>, confidence_bps: u16) -> Output {
    let mut output = Output::new();
    output.insert("messages".to_owned(), FieldValue::List(messages));
    output.insert("plan".to_owned(), FieldValue::List(plan));
    output.insert("confidence".to_owned(), FieldValue::Number(f64::from(confidence_bps) / 10_000.0));
    output
}

pub(super) fn message_item(id: &str, text: String) -> FieldValue {
    FieldValue::Record(BTreeMap::from([
        ("borrower_id".to_owned(), FieldValue::Text(id.to_owned())),
        ("text".to_owned(), FieldValue::Text(text)),
    ]))
}

pub(super) fn plan_item(id: &str, action: Action) -> FieldValue {
    FieldValue::Record(BTreeMap::from([
        ("borrower_id".to_owned(), FieldValue::Text(id.to_owned())),
        ("action".to_owned(), FieldValue::Text(action.as_str().to_owned())),
        ("after_days".to_owned(), FieldValue::Number(f64::from(action.after_days()))),
    ]))
}
