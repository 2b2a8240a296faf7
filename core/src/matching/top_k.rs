//! Exact top-`K` selection over a row's edge values, with few unpredictable branches.
//!
//! The exact assignment solver remembers each row's best few edges after a full scan. Keeping a
//! sorted top-`K` while streaming the values mispredicts a branch on most early elements and on
//! every insertion: those scans ran about seven times slower than a plain maximum, and were
//! most of the solver's bidding phase. Here, instead:
//!
//! 1. One pass stores the values and keeps the maximum of each of `LANES` interleaved lanes.
//!    Each lane maximum is a different element, so at least `K` elements reach the `K`-th
//!    largest lane maximum, and nothing below it can be in the top `K`: that is the threshold.
//!    A sorting network (no data-dependent branches) orders the lane maxima.
//! 2. A branch-free pass keeps the indices of the values at or above the threshold (about 12
//!    of 140 random values for `K = 9`), and only those are insertion-sorted.
//!
//! The result is that of a stable sort by decreasing value truncated to `K`: equal values go to
//! the lower index, so the solver's tie-break rules are unchanged (`equals_a_stable_sort`).

/// Lane maxima taken for the threshold; `K` may be at most this.
const LANES: usize = 16;

/// Index of an empty place in the result (fewer than `K` values).
pub(crate) const MISSING: u32 = u32::MAX;

/// Batcher's odd-even merge sort for 16 inputs: compare-exchange `(i, j)` leaves the smaller
/// value at `i`. Checked on all 2^16 zero-one inputs by `the_network_sorts` (the zero-one
/// principle).
const SORT_16: [(usize, usize); 63] = [
    (0, 1),
    (2, 3),
    (0, 2),
    (1, 3),
    (1, 2),
    (4, 5),
    (6, 7),
    (4, 6),
    (5, 7),
    (5, 6),
    (0, 4),
    (2, 6),
    (2, 4),
    (1, 5),
    (3, 7),
    (3, 5),
    (1, 2),
    (3, 4),
    (5, 6),
    (8, 9),
    (10, 11),
    (8, 10),
    (9, 11),
    (9, 10),
    (12, 13),
    (14, 15),
    (12, 14),
    (13, 15),
    (13, 14),
    (8, 12),
    (10, 14),
    (10, 12),
    (9, 13),
    (11, 15),
    (11, 13),
    (9, 10),
    (11, 12),
    (13, 14),
    (0, 8),
    (4, 12),
    (4, 8),
    (2, 10),
    (6, 14),
    (6, 10),
    (2, 4),
    (6, 8),
    (10, 12),
    (1, 9),
    (5, 13),
    (5, 9),
    (3, 11),
    (7, 15),
    (7, 11),
    (3, 5),
    (7, 9),
    (11, 13),
    (1, 2),
    (3, 4),
    (5, 6),
    (7, 8),
    (9, 10),
    (11, 12),
    (13, 14),
];

fn sort_lanes(lanes: &mut [i64; LANES]) {
    for &(i, j) in &SORT_16 {
        let (a, b) = (lanes[i], lanes[j]);
        lanes[i] = a.min(b);
        lanes[j] = a.max(b);
    }
}

/// Scratch space for [`TopK::select`], reused between calls so a scan allocates nothing.
#[derive(Debug, Default)]
pub(crate) struct TopK {
    values: Vec<i64>,
    picks: Vec<u32>,
}

impl TopK {
    /// The `K` largest of `values` as `(value, index)`, largest first, equal values by lower
    /// index; `(i64::MIN, MISSING)` fills the places beyond the number of values.
    ///
    /// There must be fewer than `u32::MAX` values (the solver's indices are `u32`), none of
    /// them `i64::MIN`.
    pub(crate) fn select<const K: usize>(&mut self, mut values: impl ExactSizeIterator<Item = i64>) -> [(i64, u32); K] {
        const { assert!(K >= 1 && K <= LANES) };
        let n = values.len();
        debug_assert!(n < MISSING as usize);
        if self.values.len() < n {
            self.values.resize(n, 0);
            self.picks.resize(n, 0);
        }
        let stored = &mut self.values[..n];
        let mut lanes = [i64::MIN; LANES];
        for chunk in stored.chunks_mut(LANES) {
            for ((lane, slot), v) in lanes.iter_mut().zip(chunk).zip(&mut values) {
                debug_assert!(v != i64::MIN);
                *slot = v;
                *lane = (*lane).max(v);
            }
        }
        // With few values the lanes are mostly empty and filter nothing: skip the network.
        let threshold = if n > 2 * LANES {
            sort_lanes(&mut lanes);
            lanes[LANES - K]
        } else {
            i64::MIN
        };
        // Branch-free compaction: always write, advance only past the values that qualify.
        let mut kept = 0;
        for (k, &v) in stored.iter().enumerate() {
            self.picks[kept] = k as u32;
            kept += usize::from(v >= threshold);
        }
        let mut top = [(i64::MIN, MISSING); K];
        for &k in &self.picks[..kept] {
            let v = stored[k as usize];
            if v > top[K - 1].0 {
                let mut place = K - 1;
                while place > 0 && v > top[place - 1].0 {
                    top[place] = top[place - 1];
                    place -= 1;
                }
                top[place] = (v, k);
            }
        }
        top
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The specification: a stable sort by decreasing value, truncated.
    fn by_sorting<const K: usize>(values: &[i64]) -> [(i64, u32); K] {
        let mut order: Vec<u32> = (0..values.len() as u32).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(values[k as usize]));
        let mut out = [(i64::MIN, MISSING); K];
        for (slot, k) in out.iter_mut().zip(order) {
            *slot = (values[k as usize], k);
        }
        out
    }

    fn select<const K: usize>(top: &mut TopK, values: &[i64]) -> [(i64, u32); K] {
        top.select::<K>(values.iter().copied())
    }

    #[test]
    fn the_network_sorts() {
        for bits in 0u32..1 << LANES {
            let mut lanes: [i64; LANES] = std::array::from_fn(|k| i64::from(bits >> k & 1));
            sort_lanes(&mut lanes);
            assert!(lanes.windows(2).all(|w| w[0] <= w[1]), "{bits:016b} -> {lanes:?}");
        }
    }

    #[test]
    fn short_rows_fill_the_rest_with_missing() {
        let mut top = TopK::default();
        assert_eq!(select::<4>(&mut top, &[]), [(i64::MIN, MISSING); 4]);
        assert_eq!(select::<4>(&mut top, &[5, 9]), [(9, 1), (5, 0), (i64::MIN, MISSING), (i64::MIN, MISSING)]);
    }

    #[test]
    fn ties_go_to_the_lower_index_past_the_threshold() {
        // 100 equal values: the threshold equals them all, and the first nine must win.
        let mut top = TopK::default();
        assert_eq!(select::<9>(&mut top, &[7; 100]).map(|(_, k)| k), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
        // The largest values all in one lane (every 16th place), and a tie at the boundary.
        let mut values = vec![1i64; 160];
        for (n, k) in (0..160).step_by(16).enumerate() {
            values[k] = 100 - n as i64;
        }
        values[159] = 92;
        assert_eq!(select::<9>(&mut top, &values), by_sorting::<9>(&values));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn equals_a_stable_sort(values in proptest::collection::vec(-50i64..50, 0..200)) {
            // One scratch across calls of different lengths, as in the solver.
            let mut top = TopK::default();
            prop_assert_eq!(select::<9>(&mut top, &values), by_sorting::<9>(&values));
            prop_assert_eq!(select::<1>(&mut top, &values[..values.len() / 3]), by_sorting::<1>(&values[..values.len() / 3]));
            prop_assert_eq!(select::<16>(&mut top, &values), by_sorting::<16>(&values));
        }
    }
}
