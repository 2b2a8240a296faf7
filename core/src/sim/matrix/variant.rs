//! Worlds that bend one of the reference world's assumptions (`--variant NAME`), so that the
//! matrix can be run in worlds the engine was not tuned on: its clients rate noisily, rarely or
//! each by a yardstick of its own, its people are specialists, or what they declare about
//! themselves says almost nothing.
//!
//! Each variant changes one number and nothing else, so its figures read against the reference
//! world's one assumption at a time. The reference world's numbers are the constants beside the
//! code that uses them ([`RATING_NOISE`], [`RATED_SHARE`], [`CATEGORY_SPREAD`],
//! [`DECLARATION_NOISE`], and no rater bias); the variants' are chosen to be plainly outside
//! them, not fitted to any result.

use super::world::RATED_SHARE;
use crate::rng::SplitMix64;
use crate::sim::population::{CATEGORY_SPREAD, DECLARATION_NOISE};
use crate::sim::simulated_work::RATING_NOISE;
use serde::{Deserialize, Serialize};

/// Which world the matrix runs in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    /// The world MATRIX.md describes.
    #[default]
    Reference,
    /// Clients' stars stray by up to a star either way (2 stars of noise, not half a star).
    NoisyRatings,
    /// Clients rate 30 % of the work they accept, not 80 %.
    SparseRatings,
    /// A person's skill varies by 0.6 from category to category, not 0.1.
    Specialists,
    /// Declared levels stray by up to four levels from the truth, not 1.2: nearly noise.
    CheapTalk,
    /// Each honest client rates by a yardstick of its own: every star it gives is shifted by its
    /// own bias, drawn once, up to a star either way (none in the reference world).
    BiasedRaters,
}

impl Variant {
    /// Every variant, the reference first.
    pub const ALL: [Variant; 6] = [
        Variant::Reference,
        Variant::NoisyRatings,
        Variant::SparseRatings,
        Variant::Specialists,
        Variant::CheapTalk,
        Variant::BiasedRaters,
    ];

    /// Its name on the command line and in a report: `sparse-ratings`.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Reference => "reference",
            Variant::NoisyRatings => "noisy-ratings",
            Variant::SparseRatings => "sparse-ratings",
            Variant::Specialists => "specialists",
            Variant::CheapTalk => "cheap-talk",
            Variant::BiasedRaters => "biased-raters",
        }
    }

    /// The variant of that name.
    pub fn named(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Whether this is the reference world (its reports do not name it, so that they read as
    /// they did before variants existed).
    pub fn is_reference(&self) -> bool {
        *self == Variant::Reference
    }

    /// Width of the band an honest client's stars stray in around the work's quality.
    pub fn rating_noise(self) -> f64 {
        match self {
            Variant::NoisyRatings => 2.0,
            _ => RATING_NOISE,
        }
    }

    /// Share of accepted work an honest client rates.
    pub fn rated_share(self) -> f64 {
        match self {
            Variant::SparseRatings => 0.3,
            _ => RATED_SHARE,
        }
    }

    /// Width of the band a person's skill varies in from category to category.
    pub fn category_spread(self) -> f64 {
        match self {
            Variant::Specialists => 0.6,
            _ => CATEGORY_SPREAD,
        }
    }

    /// Half-width of the band an honest client's own bias is drawn from, in stars.
    pub fn rater_bias(self) -> f64 {
        match self {
            Variant::BiasedRaters => 1.0,
            _ => 0.0,
        }
    }

    /// One client's bias, uniform over [`Variant::rater_bias`] either way; 0 without a draw where
    /// the world has none, so that the others' draws stay as they were.
    pub fn draw_rater_bias(self, rng: &mut SplitMix64) -> f64 {
        match self.rater_bias() {
            band if band > 0.0 => band * 2.0 * (rng.unit() - 0.5),
            _ => 0.0,
        }
    }

    /// Half-width of the band a declared level strays in around the person's true level.
    pub fn declaration_noise(self) -> f64 {
        match self {
            Variant::CheapTalk => 4.0,
            _ => DECLARATION_NOISE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_is_named_once_and_bends_exactly_one_number_of_the_reference() {
        let numbers = |v: Variant| {
            [v.rating_noise(), v.rated_share(), v.category_spread(), v.declaration_noise(), v.rater_bias()]
        };
        let reference = numbers(Variant::Reference);
        for v in Variant::ALL {
            assert_eq!(Variant::named(v.name()), Some(v));
            let changed = numbers(v).iter().zip(reference).filter(|(a, b)| **a != *b).count();
            assert_eq!(changed, usize::from(!v.is_reference()), "{}", v.name());
        }
        assert_eq!(Variant::named("nonsense"), None);
        assert_eq!(serde_json::to_string(&Variant::CheapTalk).unwrap(), "\"cheap-talk\"");
    }
}
