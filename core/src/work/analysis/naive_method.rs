//! The naive method: gaps read as zeros, least squares and z-scores.

use super::findings::{draft, unreadable, Findings};
use super::reading::{read_series, Reading};
use super::stats::{least_squares, trend_label};
use crate::work::kit::Job;
use crate::work::Draft;

/// How many standard deviations from the fit make a value an anomaly in [`naive`].
pub const NAIVE_Z: f64 = 3.0;

/// The quick analysis: every gap read as zero (and anything unreadable, `NA` included, too),
/// an ordinary least-squares line, and residuals more than [`NAIVE_Z`] standard deviations
/// from their mean flagged. Outliers inflate the deviation and hide one another; the zeros look
/// like dips and drag the line. It never asks. Cost grows with the rows.
pub fn naive(job: &Job<'_>) -> Draft {
    let Some((series, empty_cells)) = read_series(job, Reading::Naive) else {
        return unreadable();
    };
    let points: Vec<(f64, f64)> = series.values.iter().enumerate().map(|(p, v)| (p as f64, v.unwrap_or(0.0))).collect();
    if points.len() < 3 {
        return unreadable();
    }
    let (slope, intercept) = least_squares(&points);
    let residuals: Vec<f64> = points.iter().map(|(x, y)| y - (intercept + slope * x)).collect();
    let n = residuals.len() as f64;
    let mean = residuals.iter().sum::<f64>() / n;
    let sd = (residuals.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / n).sqrt();
    let flagged: Vec<f64> = residuals
        .iter()
        .enumerate()
        .filter(|(_, r)| sd > 0.0 && ((*r - mean) / sd).abs() > NAIVE_Z)
        .map(|(p, _)| series.rows[p])
        .collect();
    let level = points.iter().map(|p| p.1).sum::<f64>() / n;
    draft(&Findings {
        anomalies: flagged,
        slope,
        trend: trend_label(slope, points.len(), level),
        missing_rows: empty_cells,
        handling: "zero_filled",
        confidence: 0.85,
    })
}
