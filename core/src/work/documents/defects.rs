//! What spoils a document: the defect it is drawn with (a bad sum or date makes it forged, a
//! wrong name or account a mismatch), how often each is drawn, and the altered names and IBANs
//! a mismatch prints.

use super::world::{Party, COMPANY_B, SURNAMES};
use crate::rng::SplitMix64;

/// The defect a document is drawn with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Defect {
    None,
    /// A sum that does not add up.
    BadSum,
    /// A date no calendar has.
    BadDate,
    /// A name that is not the registry's.
    WrongName,
    /// An account or id that is not the registry's.
    WrongAccount,
}

impl Defect {
    pub(super) fn verdict(self) -> &'static str {
        match self {
            Defect::None => "valid",
            Defect::BadSum | Defect::BadDate => "forged",
            Defect::WrongName | Defect::WrongAccount => "mismatch",
        }
    }
}

/// The name a mismatched document prints instead of the registry's: another surname, or
/// another company's first word — close enough to fool a glance.
pub(super) fn altered_name(rng: &mut SplitMix64, party: &Party) -> String {
    match &party.person {
        Some((given, surname)) => {
            let other = SURNAMES
                .iter()
                .filter(|s| *s != surname)
                .nth(rng.below(SURNAMES.len() as u64 - 1) as usize)
                .copied()
                .unwrap_or("Nemo");
            format!("{given} {other}")
        }
        None => {
            let mut words: Vec<&str> = party.name.split(' ').collect();
            let other = COMPANY_B.iter().find(|b| !words.contains(b)).copied().unwrap_or("Holding");
            let at = words.len().saturating_sub(2);
            if let Some(w) = words.get_mut(at) {
                *w = other;
            }
            words.join(" ")
        }
    }
}

/// The IBAN with one of its digits changed.
pub(super) fn altered_iban(rng: &mut SplitMix64, iban: &str) -> String {
    let mut chars: Vec<char> = iban.chars().collect();
    let at = 4 + rng.below(chars.len().saturating_sub(4).max(1) as u64) as usize;
    if let Some(c) = chars.get_mut(at) {
        let digit = c.to_digit(10).unwrap_or(0);
        *c = char::from_digit((digit + 1 + rng.below(8) as u32) % 10, 10).unwrap_or('0');
    }
    chars.into_iter().collect()
}

pub(super) fn draw_defect(rng: &mut SplitMix64) -> Defect {
    let u = rng.unit();
    match u {
        u if u < 0.6 => Defect::None,
        u if u < 0.7 => Defect::BadSum,
        u if u < 0.8 => Defect::BadDate,
        u if u < 0.9 => Defect::WrongName,
        _ => Defect::WrongAccount,
    }
}
