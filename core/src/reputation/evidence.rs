//! Decayed Beta evidence: the building block of every reputation dimension.

use crate::ids::Timestamp;
use serde::{Deserialize, Serialize};

/// Weighted good/bad evidence as of an instant. Evidence halves every half-life, so recent work
/// counts more; it is decayed lazily, when read or added to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Weighted good observations.
    pub pos: f64,
    /// Weighted bad observations.
    pub neg: f64,
    /// When `pos` and `neg` were last decayed.
    pub at: Timestamp,
}

/// The factor evidence keeps after `elapsed` ms with a half-life of `half_life` ms.
pub fn decay_factor(elapsed: u64, half_life: u64) -> f64 {
    // Nothing elapsed is the common case (several observations at one instant): skip the exp2,
    // whose result (exactly 1) would be the same.
    if half_life == 0 || elapsed == 0 {
        return 1.0;
    }
    // libm, not std: the result must be bit-identical natively and in WebAssembly.
    libm::exp2(-(elapsed as f64) / half_life as f64)
}

impl Evidence {
    /// (pos, neg) decayed to `now`.
    pub fn at_time(&self, now: Timestamp, half_life: u64) -> (f64, f64) {
        let f = decay_factor(now.saturating_sub(self.at), half_life);
        (self.pos * f, self.neg * f)
    }

    /// Decay to `now`, then add an observation `x` in [0, 1] with weight `w`.
    pub fn add(&mut self, now: Timestamp, half_life: u64, x: f64, w: f64) {
        self.add_decayed(decay_factor(now.saturating_sub(self.at), half_life), now, x, w);
    }

    /// [`Evidence::add`] with the decay factor `f` to `now` already worked out (by a caller that
    /// decays other sums with it too).
    pub(crate) fn add_decayed(&mut self, f: f64, now: Timestamp, x: f64, w: f64) {
        let x = x.clamp(0.0, 1.0);
        let w = w.max(0.0);
        *self = Evidence { pos: self.pos * f + w * x, neg: self.neg * f + w * (1.0 - x), at: now.max(self.at) };
    }

    /// Total decayed weight at `now`.
    pub fn weight(&self, now: Timestamp, half_life: u64) -> f64 {
        let (p, n) = self.at_time(now, half_life);
        p + n
    }
}

/// Mean and variance of a Beta(a, b).
pub fn beta_moments(a: f64, b: f64) -> (f64, f64) {
    let n = a + b;
    (a / n, a * b / (n * n * (n + 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_halves_each_half_life() {
        let mut e = Evidence::default();
        e.add(0, 1_000, 1.0, 4.0);
        assert_eq!(e.at_time(1_000, 1_000), (2.0, 0.0));
        assert_eq!(e.at_time(2_000, 1_000), (1.0, 0.0));
        e.add(2_000, 1_000, 0.0, 1.0);
        assert_eq!((e.pos, e.neg), (1.0, 1.0));
    }

    #[test]
    fn beta_moments_match_closed_form() {
        let (m, v) = beta_moments(2.0, 2.0);
        assert_eq!(m, 0.5);
        assert!((v - 0.05).abs() < 1e-12);
    }
}
