//! What a method found, and how it becomes an output and a draft.

use crate::output::{FieldValue, Output};
use crate::work::Draft;

/// What a method found, before it becomes an output.
pub(super) struct Findings {
    pub(super) anomalies: Vec<f64>,
    pub(super) slope: f64,
    pub(super) trend: &'static str,
    pub(super) missing_rows: u32,
    pub(super) handling: &'static str,
    pub(super) confidence: f64,
}

pub(super) fn build_output(f: &Findings) -> Output {
    let mut out = Output::new();
    out.insert("anomalies".into(), FieldValue::List(f.anomalies.iter().map(|r| FieldValue::Number(*r)).collect()));
    out.insert("trend_per_day".into(), FieldValue::Number(if f.slope.is_finite() { f.slope } else { 0.0 }));
    out.insert("trend".into(), FieldValue::Text(f.trend.to_owned()));
    out.insert("missing_rows".into(), FieldValue::Number(f64::from(f.missing_rows)));
    out.insert("missing_handling".into(), FieldValue::Text(f.handling.to_owned()));
    out.insert("confidence".into(), FieldValue::Number((f.confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0));
    out
}

pub(super) fn draft(f: &Findings) -> Draft {
    Draft::Output { output: build_output(f), confidence_bps: (f.confidence.clamp(0.0, 1.0) * 10_000.0) as u16 }
}

/// What a method hands in when the dataset cannot be read: nothing found, and it says so.
pub(super) fn unreadable() -> Draft {
    draft(&Findings {
        anomalies: Vec::new(),
        slope: 0.0,
        trend: "flat",
        missing_rows: 0,
        handling: "skipped",
        confidence: 0.05,
    })
}
