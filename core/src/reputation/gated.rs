//! Evidence from behind rare skill gates, and how far an agent's record trusts it.
//!
//! Work behind a rare gate is chosen among the few agents declaring the skill, for clients who
//! picked that pool by requiring it (`market/skill_gates.rs`, `market/gate_vouchers.rs`). An
//! honest specialty's work there shows the same agent its other work shows. A ring fed by
//! colluding clients shows another one: five stars behind its own gate, poor work for everyone
//! else (MATRIX.md, `collusion-of-three`). So each category record keeps the part of its
//! evidence that came from behind rare gates ([`CategoryRecord::gated`](super::CategoryRecord)),
//! and the agent's scores read that part only as far as the rest of its work agrees with it.
//!
//! The test is the change test's (`change.rs`), over the agent's accuracy and then its quality
//! in all its categories: the gated part's mean against the rest's, each with one good and one
//! bad observation added, each side counted in the record's typical weight, the spread the
//! record's own; the larger of the two dimensions' z. Up to `change_z` the gated part
//! counts in full; its weight then falls linearly to nothing at twice that. The rest must hold
//! `change_min_run` effective observations to contradict it, and a gated part worse than the
//! rest always counts: nobody inflates a record that way.
//!
//! Invariants:
//! - the gated part is part of the evidence, dimension by dimension (`CategoryRecord::gated` ≤
//!   `dims`), and decays with it; forgetting clamps it;
//! - the trust is worked out whenever the record is read, not fixed when the evidence came, so a
//!   ring's earlier five-star work stops counting once other clients' work contradicts it,
//!   however early it came; and counts again if later work bears it out;
//! - an agent whose work is all behind its gates (a specialist) is read in full: nothing
//!   contradicts it.

use super::change::{adjusted, effective, variance, RunShare};

/// One watched dimension of an agent's record in one category: the whole evidence with its
/// squared weights and squared values (as the change watch keeps them), and the gated part's good
/// and bad observations.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Sides {
    /// All the evidence.
    pub all: RunShare,
    /// The part from behind rare gates: (good, bad).
    pub gated: (f64, f64),
}

/// The test of one watched dimension, summed category by category (strata: an agent's work in one
/// category is compared with its own work in the same category, so a specialist's better
/// category is not read as a disagreement).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Excess {
    /// The whole evidence over all categories: the spread both sides are read with.
    all: RunShare,
    /// Σ over categories of each one's weight (the inverse of its difference's variance, in
    /// units of the spread) times its difference of means.
    weighted_difference: f64,
    /// Σ of those weights.
    weights: f64,
    /// Effective observations outside the gated part, in categories that have both.
    other_n: f64,
}

impl Excess {
    /// Add one category's sides of the dimension.
    pub(crate) fn add(&mut self, sides: Sides) {
        let Sides { all, gated: (gp, gn) } = sides;
        self.all.pos += all.pos;
        self.all.neg += all.neg;
        self.all.squares += all.squares;
        self.all.squared_values += all.squared_values;
        let weight = all.pos + all.neg;
        let (op, on) = ((all.pos - gp).max(0.0), (all.neg - gn).max(0.0));
        let (gated_weight, other_weight) = (gp + gn, op + on);
        if gated_weight <= 0.0 || other_weight <= 0.0 || all.squares <= 0.0 {
            return;
        }
        // Each side counts as many observations as its weight holds typical ones of the record's.
        let typical = all.squares / weight;
        let (gated_n, other_n) = (gated_weight / typical, other_weight / typical);
        let difference = adjusted(gp / gated_weight, gated_n) - adjusted(op / other_weight, other_n);
        let w = 1.0 / (1.0 / (gated_n + 2.0) + 1.0 / (other_n + 2.0));
        self.weighted_difference += w * difference;
        self.weights += w;
        self.other_n += other_n;
    }

    /// The z of the gated part's mean above the rest's, if the rest can contradict it (holds
    /// `min_run` effective observations).
    fn z(&self, min_run: f64) -> Option<f64> {
        let weight = self.all.pos + self.all.neg;
        if self.weights <= 0.0 || self.other_n < min_run - 1e-9 || weight <= 0.0 {
            return None;
        }
        let n = effective(weight, self.all.squares);
        let spread = variance(self.all.pos / weight, self.all.squared_values / weight, n);
        (spread > 0.0).then(|| self.weighted_difference / libm::sqrt(spread * self.weights))
    }
}

/// How much of the gated evidence the agent's scores leave out, in [0, 1], from the tests of its
/// watched dimensions (accuracy, quality) at the change test's `z` and `min_run`.
pub(crate) fn distrust(dimensions: &[Excess; 2], z: f64, min_run: f64) -> f64 {
    if z <= 0.0 {
        return 0.0;
    }
    // Either dimension may show the contradiction: a ring's work passes its checks everywhere
    // and only the stars differ, or the reverse. (Combining the two, Stouffer's way, let the
    // dimension that agreed dilute the one that did not.)
    let Some(excess) = dimensions.iter().filter_map(|d| d.z(min_run)).reduce(f64::max) else { return 0.0 };
    ((excess - z) / z).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z: f64 = 1.64;
    const MIN_RUN: f64 = 3.0;

    /// `gated` observations of value `g` and `other` of value `o` (each of weight 1, values
    /// spread ±`spread` evenly), in both dimensions.
    fn record(gated: u32, g: f64, other: u32, o: f64, spread: f64) -> [Excess; 2] {
        let mut all = RunShare::default();
        let mut gated_part = (0.0, 0.0);
        for i in 0..gated + other {
            let centre = if i < gated { g } else { o };
            let x = (centre + if i % 2 == 0 { spread } else { -spread }).clamp(0.0, 1.0);
            all.pos += x;
            all.neg += 1.0 - x;
            all.squares += 1.0;
            all.squared_values += x * x;
            if i < gated {
                gated_part.0 += x;
                gated_part.1 += 1.0 - x;
            }
        }
        let mut excess = Excess::default();
        excess.add(Sides { all, gated: gated_part });
        [excess; 2]
    }

    #[test]
    fn a_specialty_whose_work_agrees_with_the_rest_counts_in_full() {
        assert_eq!(distrust(&record(20, 0.8, 8, 0.75, 0.2), Z, MIN_RUN), 0.0);
    }

    #[test]
    fn five_stars_behind_a_gate_against_poor_work_elsewhere_count_for_nothing() {
        assert_eq!(distrust(&record(30, 0.92, 10, 0.6, 0.2), Z, MIN_RUN), 1.0);
    }

    #[test]
    fn with_too_little_else_or_when_worse_than_the_rest_it_counts() {
        assert_eq!(distrust(&record(30, 0.92, 2, 0.3, 0.1), Z, MIN_RUN), 0.0, "two tasks are no consensus");
        assert_eq!(distrust(&record(10, 0.4, 10, 0.8, 0.1), Z, MIN_RUN), 0.0);
        assert_eq!(distrust(&record(30, 0.92, 0, 0.0, 0.1), Z, MIN_RUN), 0.0, "a specialist's record");
    }

    #[test]
    fn distrust_grows_with_the_disagreement_between_the_change_test_and_twice_it() {
        let d: Vec<f64> = [0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.5, 0.4]
            .iter()
            .map(|o| distrust(&record(12, 0.9, 12, *o, 0.2), Z, MIN_RUN))
            .collect();
        assert_eq!(d[0], 0.0);
        assert!(d.windows(2).all(|w| w[1] >= w[0]), "{d:?}");
        assert!(d.iter().any(|x| *x > 0.0 && *x < 1.0), "{d:?}");
        assert_eq!(*d.last().unwrap(), 1.0, "{d:?}");
    }
}
