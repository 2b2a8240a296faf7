//! The statistics both methods use: medians, Theil–Sen and least-squares fits, the trend rule.

use super::FLAT_SHARE;

/// Most pairwise slopes one Theil–Sen fit computes; beyond, pairs are sampled systematically.
const MAX_PAIRS: usize = 60_000;

/// The median of `values` (reordered in place); none when empty. A selection, not a sort: a
/// Theil–Sen fit takes the median of up to [`MAX_PAIRS`] slopes, and sorting them was most of
/// the autopilot's step. The value is the same either way (the middle order statistics under
/// `total_cmp`).
pub(super) fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let odd = values.len() % 2 == 1;
    let (below, upper, _) = values.select_nth_unstable_by(values.len() / 2, f64::total_cmp);
    let upper = *upper;
    if odd {
        return Some(upper);
    }
    // An even count: the other middle value is the largest of the lower half.
    Some(below.iter().copied().max_by(f64::total_cmp).map_or(upper, |lower| (lower + upper) / 2.0))
}

/// The Theil–Sen slope of `points` (x, y): the median of the slopes between pairs. With more
/// than [`MAX_PAIRS`] pairs, every k-th pair in order is taken, so the sample is the same on
/// every run.
pub(super) fn theil_sen(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len();
    let pairs = n * n.saturating_sub(1) / 2;
    let stride = pairs.div_ceil(MAX_PAIRS).max(1);
    let mut slopes = Vec::with_capacity(pairs / stride + 1);
    let mut k = 0usize;
    for (i, a) in points.iter().enumerate() {
        for b in &points[i + 1..] {
            if k % stride == 0 && b.0 != a.0 {
                slopes.push((b.1 - a.1) / (b.0 - a.0));
            }
            k += 1;
        }
    }
    median(&mut slopes)
}

/// The intercept that centres the residuals of `points` around `slope` (their median).
pub(super) fn robust_intercept(points: &[(f64, f64)], slope: f64) -> f64 {
    let mut offsets: Vec<f64> = points.iter().map(|(x, y)| y - slope * x).collect();
    median(&mut offsets).unwrap_or(0.0)
}

/// Ordinary least squares (slope, intercept) of `points`; a flat line through the mean when
/// every x is the same.
pub(super) fn least_squares(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len().max(1) as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    (slope, my - slope * mx)
}

/// The trend label of `slope` over `rows` rows of median value `level` (the instructions' rule).
pub(super) fn trend_label(slope: f64, rows: usize, level: f64) -> &'static str {
    let change = slope * rows.saturating_sub(1) as f64;
    if change.abs() < FLAT_SHARE * level.abs() {
        "flat"
    } else if change > 0.0 {
        "rising"
    } else {
        "falling"
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn theil_sen_ignores_outliers_least_squares_does_not() {
        let mut points: Vec<(f64, f64)> = (0..50).map(|x| (f64::from(x), 10.0 + 0.5 * f64::from(x))).collect();
        points[45].1 += 500.0;
        points[47].1 += 500.0;
        let ts = theil_sen(&points).unwrap();
        assert!((ts - 0.5).abs() < 1e-9, "{ts}");
        let (ols, _) = least_squares(&points);
        assert!((ols - 0.5).abs() > 0.5, "the outliers drag least squares: {ols}");
    }

    #[test]
    pub(super) fn theil_sen_samples_large_inputs_and_stays_right() {
        let points: Vec<(f64, f64)> = (0..600).map(|x| (f64::from(x), 3.0 - 0.25 * f64::from(x))).collect();
        let ts = theil_sen(&points).unwrap();
        assert!((ts + 0.25).abs() < 1e-9, "{ts}");
        assert_eq!(theil_sen(&[]), None);
    }

    #[test]
    pub(super) fn median_by_selection_equals_median_by_sorting() {
        let mut rng = crate::rng::SplitMix64::new(7);
        for len in 1..60 {
            let values: Vec<f64> = (0..len).map(|_| (rng.next_u64() % 1000) as f64 / 7.0 - 50.0).collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let mid = len / 2;
            let expected = if len % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 };
            assert_eq!(median(&mut values.clone()), Some(expected), "{values:?}");
        }
        assert_eq!(median(&mut []), None);
    }

    #[test]
    pub(super) fn trend_labels_follow_the_flat_rule() {
        assert_eq!(trend_label(0.01, 101, 100.0), "flat", "change 1 under 2 % of 100");
        assert_eq!(trend_label(0.03, 101, 100.0), "rising");
        assert_eq!(trend_label(-0.03, 101, 100.0), "falling");
    }
}
