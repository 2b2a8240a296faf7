//! The client's measure of an analysis output against the truth.

use super::Truth;
use crate::output::{FieldValue, Output};
use std::collections::BTreeSet;

/// The trend is `flat` when the fitted change over the whole series, |slope| × (rows − 1), is
/// under this share of the series' median value (the instructions say so).
pub const FLAT_SHARE: f64 = 0.02;
/// A trend slope is right within this share of the true slope (for a rising or falling trend).
pub const SLOPE_TOLERANCE: f64 = 0.2;

/// How right `output` is: the F1 of its flagged rows against the injected anomalies (weight
/// 0.5), the trend label (0.2), the slope within [`SLOPE_TOLERANCE`] of the truth, or within the
/// flat band of a flat series (0.2), the missing count exact (0.05) and a gap handling other
/// than zero filling (0.05).
pub fn accuracy(truth: &Truth, output: &Output) -> f64 {
    let text = |name: &str| output.get(name).and_then(FieldValue::as_text);
    let number = |name: &str| output.get(name).and_then(FieldValue::as_number);
    let trend_right = text("trend") == Some(truth.trend);
    let slope_right = number("trend_per_day").is_some_and(|s| slope_close(truth, s));
    let count_right = number("missing_rows") == Some(f64::from(truth.missing_rows));
    let handling_right = text("missing_handling").is_some_and(|h| h == "skipped" || h == "interpolated");
    0.5 * anomaly_f1(truth, output.get("anomalies"))
        + 0.2 * f64::from(u8::from(trend_right))
        + 0.2 * f64::from(u8::from(slope_right))
        + 0.05 * f64::from(u8::from(count_right))
        + 0.05 * f64::from(u8::from(handling_right))
}

/// Whether `slope` is close enough to the truth's.
fn slope_close(truth: &Truth, slope: f64) -> bool {
    if !slope.is_finite() {
        return false;
    }
    if truth.trend == "flat" {
        let span = f64::from(truth.rows.saturating_sub(1));
        (slope - truth.slope).abs() * span <= FLAT_SHARE * truth.level.abs()
    } else {
        (slope - truth.slope).abs() <= SLOPE_TOLERANCE * truth.slope.abs()
    }
}

/// The F1 score of the flagged rows: distinct row numbers count once; anything that is not a
/// row number counts as a wrong flag.
fn anomaly_f1(truth: &Truth, flagged: Option<&FieldValue>) -> f64 {
    let Some(items) = flagged.and_then(FieldValue::as_list) else {
        return 0.0;
    };
    let mut rows = BTreeSet::new();
    let mut junk = 0usize;
    for item in items {
        match item.as_number() {
            Some(n) if n.is_finite() && n.fract() == 0.0 && n >= 1.0 && n <= f64::from(u32::MAX) => {
                rows.insert(n as u32);
            }
            _ => junk += 1,
        }
    }
    let hits = truth.anomalies.iter().filter(|r| rows.contains(r)).count();
    let denominator = rows.len() + junk + truth.anomalies.len();
    if denominator == 0 {
        return 1.0;
    }
    2.0 * hits as f64 / denominator as f64
}
