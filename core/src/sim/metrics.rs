//! Figures the simulator reports: rank agreement and shares.

/// Kendall's tau-b between two score lists (pairs tied in either list count as neither
/// concordant nor discordant). O(n²), fine for the simulator's hundreds of agents.
pub fn kendall_tau(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (mut concordant, mut discordant, mut ties_a, mut ties_b) = (0f64, 0f64, 0f64, 0f64);
    for i in 0..n {
        for j in (i + 1)..n {
            let da = a[i] - a[j];
            let db = b[i] - b[j];
            if da == 0.0 && db == 0.0 {
                continue;
            } else if da == 0.0 {
                ties_a += 1.0;
            } else if db == 0.0 {
                ties_b += 1.0;
            } else if (da > 0.0) == (db > 0.0) {
                concordant += 1.0;
            } else {
                discordant += 1.0;
            }
        }
    }
    let denom = ((concordant + discordant + ties_a) * (concordant + discordant + ties_b)).sqrt();
    if denom == 0.0 {
        0.0
    } else {
        (concordant - discordant) / denom
    }
}

/// Indices of the `k` largest values (ties: lower index first).
pub fn top_k(values: &[f64], k: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&i, &j| values[j].total_cmp(&values[i]).then(i.cmp(&j)));
    idx.truncate(k);
    idx
}

/// Share of the true top `k` that the estimated top `k` finds.
pub fn precision_at_k(estimate: &[f64], truth: &[f64], k: usize) -> f64 {
    let k = k.min(estimate.len());
    if k == 0 {
        return 0.0;
    }
    let est = top_k(estimate, k);
    let tru = top_k(truth, k);
    est.iter().filter(|i| tru.contains(i)).count() as f64 / k as f64
}

/// Mean percentile rank (0 = worst, 100 = best) of the listed indices within `values`.
///
/// A value tied with others takes the middle of the places the tie spans (mid-rank), as
/// percentile ranks usually do: counting only the values strictly below would put an agent tied
/// with 86 others at the bottom of the market level with the one agent strictly below everybody,
/// and an attacker pushed from the first to the second of those places would show as a gain.
pub fn mean_percentile(values: &[f64], members: &[usize]) -> f64 {
    if members.is_empty() || values.len() < 2 {
        return 0.0;
    }
    let n = values.len() as f64;
    let total: f64 = members
        .iter()
        .map(|&m| {
            let below = values.iter().filter(|v| **v < values[m]).count() as f64;
            let tied_others = values.iter().filter(|v| **v == values[m]).count().saturating_sub(1) as f64;
            100.0 * (below + tied_others / 2.0) / (n - 1.0)
        })
        .sum();
    total / members.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tau_of_identical_reversed_and_unrelated_orders() {
        let a = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(kendall_tau(&a, &a), 1.0);
        assert_eq!(kendall_tau(&a, &[4.0, 3.0, 2.0, 1.0]), -1.0);
        assert_eq!(kendall_tau(&a, &[1.0, 1.0, 1.0, 1.0]), 0.0);
    }

    #[test]
    fn precision_and_percentiles() {
        let truth = [0.9, 0.1, 0.8, 0.2];
        assert_eq!(precision_at_k(&[0.7, 0.0, 0.9, 0.1], &truth, 2), 1.0);
        assert_eq!(precision_at_k(&[0.0, 0.9, 0.1, 0.8], &truth, 2), 0.0);
        assert_eq!(mean_percentile(&truth, &[0]), 100.0);
        assert_eq!(mean_percentile(&truth, &[1]), 0.0);
        // Ties take the middle of their places: four values tied span places 0..=3 of 0..=4.
        let tied = [0.6, 0.6, 0.6, 0.6, 0.9];
        assert_eq!(mean_percentile(&tied, &[0]), 37.5);
        // Strictly lowest is 0, and below a tie of four is below its middle.
        assert_eq!(mean_percentile(&[0.5, 0.6, 0.6, 0.6, 0.6], &[0]), 0.0);
        assert_eq!(mean_percentile(&[0.5, 0.6, 0.6, 0.6, 0.6], &[1]), 62.5);
    }
}
