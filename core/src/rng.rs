//! Deterministic randomness without mutable state.
//!
//! The market stores one seed. Every random decision (review sampling, exploration draws) is a
//! pure function of that seed and of what the decision is about (a task, an attempt, an agent),
//! in the manner of a counter-based generator. So `decide` stays pure, replaying events needs no
//! generator state, and two hosts with the same seed draw the same numbers.

/// The splitmix64 finaliser: a bijective scrambler of 64-bit words.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A 64-bit draw for (seed, purpose, a, b); different purposes give independent streams.
pub fn draw(seed: u64, purpose: u64, a: u64, b: u64) -> u64 {
    draw_keyed(draw_key(seed, purpose, a), b)
}

/// The part of [`draw`] that depends on (seed, purpose, a) only: worked out once, it makes many
/// draws for one `a` (one task, many agents) cost a third.
pub fn draw_key(seed: u64, purpose: u64, a: u64) -> u64 {
    mix64(mix64(seed ^ purpose.rotate_left(17)) ^ a)
}

/// [`draw`] from its key: `draw_keyed(draw_key(seed, purpose, a), b) == draw(seed, purpose, a, b)`.
pub fn draw_keyed(key: u64, b: u64) -> u64 {
    mix64(key ^ b.rotate_left(32))
}

/// A draw in basis points, uniform in `0..10_000`.
pub fn draw_bps(seed: u64, purpose: u64, a: u64, b: u64) -> u16 {
    (draw(seed, purpose, a, b) % 10_000) as u16
}

/// A small sequential generator for the simulator and tests (splitmix64).
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }
    /// The next 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.state)
    }
    /// A value uniform in `0..bound` (bound > 0), by Lemire's multiply-shift.
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound.max(1))) >> 64) as u64
    }
    /// A float uniform in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_pure_and_spread() {
        assert_eq!(draw(1, 2, 3, 4), draw(1, 2, 3, 4));
        assert_ne!(draw(1, 2, 3, 4), draw(1, 2, 4, 3));
        let below: usize = (0..10_000).filter(|i| draw_bps(9, 1, *i, 0) < 2_000).count();
        assert!((1_700..2_300).contains(&below), "20 % sample drew {below} of 10000");
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SplitMix64::new(5);
        for bound in [1u64, 2, 7, 1000] {
            for _ in 0..100 {
                assert!(rng.below(bound) < bound);
            }
        }
    }
}
