//! A platform-stable 64-bit content hash, used to pin task specifications and to fingerprint
//! idempotent requests.
//!
//! `std`'s `DefaultHasher` is randomly keyed and may change between releases, and derived `Hash`
//! feeds `usize` lengths, which are 4 bytes on wasm32 and 8 on x86_64. [`StableHasher`] widens every
//! integer to 64 bits little-endian so the same value hashes the same natively and in WebAssembly.
//! It is not a cryptographic hash: it detects change, not forgery.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::hash::{Hash, Hasher};

/// A 64-bit digest, written as 16 lowercase hex digits so it survives JavaScript numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
pub struct Digest(pub u64);

impl Digest {
    /// The digest of any hashable value.
    pub fn of<T: Hash + ?Sized>(value: &T) -> Digest {
        let mut hasher = StableHasher::new();
        value.hash(&mut hasher);
        Digest(hasher.finish())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HexVisitor;
        impl Visitor<'_> for HexVisitor {
            type Value = Digest;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("16 hex digits")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Digest, E> {
                if v.len() != 16 {
                    return Err(E::invalid_length(v.len(), &self));
                }
                u64::from_str_radix(v, 16).map(Digest).map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(HexVisitor)
    }
}

/// A word-at-a-time multiply-xorshift hasher whose output depends only on the bytes fed to it.
#[derive(Debug, Clone)]
pub struct StableHasher {
    state: u64,
}

const SEED: u64 = 0x243f_6a88_85a3_08d3; // digits of pi: any fixed odd constant will do
const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

impl StableHasher {
    /// A hasher in its fixed initial state.
    pub fn new() -> StableHasher {
        StableHasher { state: SEED }
    }

    fn mix(&mut self, word: u64) {
        self.state = (self.state ^ word).wrapping_mul(MULTIPLIER).rotate_left(29);
    }
}

impl Default for StableHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        // A final avalanche (splitmix64's) so nearby inputs land far apart.
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        // The tail, little-endian as a whole word would be, built in a register: a copy of a
        // length known only at run time is a call to memcpy, and this runs for every string of
        // every specification posted.
        let rest = chunks.remainder();
        let word = rest.iter().rev().fold(0u64, |word, &b| (word << 8) | u64::from(b));
        // The length tag keeps "ab" and "ab\0" apart.
        self.mix(word ^ ((rest.len() as u64) << 56));
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.mix(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }
    fn write_i64(&mut self, i: i64) {
        self.mix(i as u64);
    }
    fn write_isize(&mut self, i: isize) {
        self.mix(i as i64 as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_fixed_for_fixed_input() {
        // Pinned values: if these change, every stored spec hash changes with them. Strings of
        // every remainder length (0 to 7 bytes past whole words) go through `write`'s tail.
        let pinned: Vec<String> =
            ["", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "gigmarket", "Extract invoice 7 (日本語)"]
                .iter()
                .map(|s| Digest::of(s).to_string())
                .collect();
        let expected = [
            "50c19bcada5bca40",
            "fb96ec28a64df597",
            "05ee822e2681f7f7",
            "36334d8dbced2812",
            "ef3b95b4129d342d",
            "99f1456c08f4cbc8",
            "388c4e885bea2626",
            "fd5e82734ad69aa2",
            "2ca6cd3b34d02abd",
            "9a7c8a92e64f2bbd",
        ];
        assert_eq!(pinned, expected);
        assert_ne!(Digest::of("ab"), Digest::of("ab\0"));
        assert_ne!(Digest::of(&(1u32, 2u32)), Digest::of(&(2u32, 1u32)));
    }

    #[test]
    fn usize_and_u64_hash_alike() {
        let mut a = StableHasher::new();
        a.write_usize(7);
        let mut b = StableHasher::new();
        b.write_u64(7);
        assert_eq!(a.finish(), b.finish());
    }

    #[test]
    fn digest_round_trips_as_hex() {
        let d = Digest(0x0123_4567_89ab_cdef);
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, "\"0123456789abcdef\"");
        assert_eq!(serde_json::from_str::<Digest>(&json).unwrap(), d);
        assert!(serde_json::from_str::<Digest>("\"xyz\"").is_err());
        assert!(serde_json::from_str::<Digest>("12").is_err());
    }
}
