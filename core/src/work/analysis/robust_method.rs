//! The robust method: gaps skipped, a ×1000 run asked about, a seasonally adjusted Theil–Sen fit
//! and MAD outliers.

use super::findings::{draft, unreadable, Findings};
use super::generate::UNIT_FACTOR;
use super::reading::{read_series, Reading, Series};
use super::stats::{median, robust_intercept, theil_sen, trend_label};
use super::{FLAT_SHARE, UNIT_TOPIC};
use crate::work::kit::Job;
use crate::work::Draft;
use std::collections::BTreeSet;

/// How many robust standard deviations from the fit make a value an anomaly in [`robust`].
pub const ROBUST_K: f64 = 4.0;
/// A value this many times the median magnitude is no anomaly but a different unit.
const GIANT_RATIO: f64 = 100.0;
/// Fewest giant values that make a run worth asking about (one alone is just an outlier).
const GIANT_RUN_MIN: usize = 3;
/// The consistency constant of the MAD for normal noise.
const MAD_SCALE: f64 = 1.4826;

/// The careful analysis: gaps (empty, `NA`, anything not a number) are skipped; a run of values
/// about 1000 times the rest is asked about ([`UNIT_TOPIC`]) unless answered, then rescaled
/// (or, if the answer says it is real, flagged); the trend is a Theil–Sen fit refitted after
/// removing each weekday's median residual; anomalies are the residuals beyond [`ROBUST_K`]
/// robust standard deviations (1.4826 × MAD). Cost grows with the square of the rows.
pub fn robust(job: &Job<'_>) -> Draft {
    let Some((series, gaps)) = read_series(job, Reading::Careful) else {
        return unreadable();
    };
    let mut values = series.values.clone();
    let giant = giant_positions(&values);
    let mut real_giants = Vec::new();
    let mut rescaled = false;
    if giant.len() >= GIANT_RUN_MIN {
        match job.answer(UNIT_TOPIC) {
            None => return Draft::Question(unit_question(&series, &giant)),
            Some(a) if says_unit_change(a) => {
                for &p in &giant {
                    values[p] = values[p].map(|v| v / UNIT_FACTOR);
                }
                rescaled = true;
            }
            Some(_) => {
                for &p in &giant {
                    values[p] = None;
                }
                real_giants = giant;
            }
        }
    }
    let points: Vec<(f64, f64)> = values.iter().enumerate().filter_map(|(p, v)| v.map(|v| (p as f64, v))).collect();
    if points.len() < 3 {
        return unreadable();
    }
    let Some(fit) = robust_fit(&points) else {
        return unreadable();
    };
    let mut flagged: BTreeSet<usize> = fit.outliers.iter().map(|&i| points[i].0 as usize).collect();
    flagged.extend(real_giants);
    let mut present: Vec<f64> = points.iter().map(|p| p.1).collect();
    let level = median(&mut present).unwrap_or(0.0);
    let n = series.values.len();
    let trend = trend_label(fit.slope, n, level);
    let confidence = robust_confidence(&fit, n, level, gaps, flagged.len(), rescaled, points.len());
    draft(&Findings {
        anomalies: flagged.iter().map(|&p| series.rows[p]).collect(),
        slope: fit.slope,
        trend,
        missing_rows: gaps,
        handling: "skipped",
        confidence,
    })
}

/// A robust fit: the slope, the noise scale and which points (indexes) lie off it.
struct RobustFit {
    slope: f64,
    sigma: f64,
    outliers: Vec<usize>,
}

/// Theil–Sen, weekday medians of the residuals removed, Theil–Sen again, then the MAD rule.
fn robust_fit(points: &[(f64, f64)]) -> Option<RobustFit> {
    let first = theil_sen(points)?;
    let intercept = robust_intercept(points, first);
    let season = weekday_medians(points, |x, y| y - (intercept + first * x));
    let adjusted: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x, y - season[weekday(x)])).collect();
    let slope = theil_sen(&adjusted)?;
    let intercept = robust_intercept(&adjusted, slope);
    let residuals: Vec<f64> = adjusted.iter().map(|(x, y)| y - (intercept + slope * x)).collect();
    let mut sorted = residuals.clone();
    let centre = median(&mut sorted)?;
    let mut deviations: Vec<f64> = residuals.iter().map(|r| (r - centre).abs()).collect();
    let mad = median(&mut deviations)?;
    let sigma = if mad > 0.0 {
        MAD_SCALE * mad
    } else {
        // More than half the points sit on the line: use the mean deviation instead.
        1.2533 * residuals.iter().map(|r| (r - centre).abs()).sum::<f64>() / residuals.len() as f64
    };
    let outliers = if sigma > 0.0 {
        residuals.iter().enumerate().filter(|(_, r)| (*r - centre).abs() > ROBUST_K * sigma).map(|(i, _)| i).collect()
    } else {
        Vec::new()
    };
    Some(RobustFit { slope, sigma, outliers })
}

/// The day of the week of position `x` (rows are consecutive days).
fn weekday(x: f64) -> usize {
    (x as usize) % 7
}

/// The median residual of each weekday (0 where a weekday has too few points to tell).
fn weekday_medians(points: &[(f64, f64)], residual: impl Fn(f64, f64) -> f64) -> [f64; 7] {
    let mut by_day: [Vec<f64>; 7] = Default::default();
    for &(x, y) in points {
        by_day[weekday(x)].push(residual(x, y));
    }
    by_day.map(|mut r| if r.len() >= 3 { median(&mut r).unwrap_or(0.0) } else { 0.0 })
}

/// How sure the robust method is: high by default, less near the flat threshold, with many
/// flags, many gaps, few points, or when it leaned on a convention.
fn robust_confidence(
    fit: &RobustFit,
    rows: usize,
    level: f64,
    gaps: u32,
    flagged: usize,
    rescaled: bool,
    points: usize,
) -> f64 {
    let mut c: f64 = 0.92;
    let change = fit.slope.abs() * rows.saturating_sub(1) as f64;
    let threshold = FLAT_SHARE * level.abs();
    if threshold > 0.0 && (0.6..1.6).contains(&(change / threshold)) {
        c -= 0.2;
    }
    if flagged > 12 {
        c -= 0.2;
    }
    if f64::from(gaps) > 0.1 * rows as f64 {
        c -= 0.05;
    }
    if rescaled {
        c -= 0.05;
    }
    if fit.sigma > 0.1 * level.abs() {
        c -= 0.1;
    }
    if points < 30 {
        c = c.min(0.3);
    }
    c.clamp(0.05, 0.95)
}

/// Positions whose value is over [`GIANT_RATIO`] times the median magnitude.
fn giant_positions(values: &[Option<f64>]) -> Vec<usize> {
    let mut magnitudes: Vec<f64> = values.iter().flatten().map(|v| v.abs()).collect();
    let Some(typical) = median(&mut magnitudes) else {
        return Vec::new();
    };
    if typical <= 0.0 {
        return Vec::new();
    }
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_some_and(|v| v.abs() > GIANT_RATIO * typical))
        .map(|(p, _)| p)
        .collect()
}

fn unit_question(series: &Series, giant: &[usize]) -> String {
    let row = |p: Option<&usize>| p.and_then(|p| series.rows.get(*p)).copied().unwrap_or(0.0);
    let (first, last) = (row(giant.first()), row(giant.last()));
    format!(
        "{UNIT_TOPIC}? The values from row {first} to row {last} are about 1000 times the rest: is the jump at row \
         {first} a unit change or real?"
    )
}

/// Whether an answer settles a giant run as a unit change (rescale) rather than real.
fn says_unit_change(answer: &str) -> bool {
    let a = answer.to_lowercase();
    (a.contains("unit change") || a.contains("divide") || a.contains("rescale")) && !a.contains("it is real")
}
