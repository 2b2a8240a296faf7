//! How documents print what they say: amounts in three number styles, dates in three formats
//! (or none a calendar has), IBANs compact or grouped, names as a person or a bank writes them,
//! and the smudge a scan leaves on one digit.

use super::world::{range, Party};
use crate::rng::SplitMix64;

/// How amounts are printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum NumStyle {
    /// `1650.00`
    Plain,
    /// `1,650.00`
    Thousands,
    /// `1.650,00`
    European,
}

pub(super) fn money(minor: i64, style: NumStyle) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let (units, cents) = (abs / 100, abs % 100);
    let digits = units.to_string();
    let (group, decimal) = match style {
        NumStyle::Plain => ("", '.'),
        NumStyle::Thousands => (",", '.'),
        NumStyle::European => (".", ','),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}{decimal}{cents:02}")
}

/// A calendar date as drawn (possibly impossible, when forged).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Date {
    pub(super) y: i64,
    pub(super) m: i64,
    pub(super) d: i64,
}

/// How dates are printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum DateStyle {
    /// `2024-03-15`
    Iso,
    /// `15.03.2024`
    Dotted,
    /// `15/03/2024`
    Slashed,
}

pub(super) fn date_text(date: Date, style: DateStyle) -> String {
    match style {
        DateStyle::Iso => format!("{:04}-{:02}-{:02}", date.y, date.m, date.d),
        DateStyle::Dotted => format!("{:02}.{:02}.{:04}", date.d, date.m, date.y),
        DateStyle::Slashed => format!("{:02}/{:02}/{:04}", date.d, date.m, date.y),
    }
}

pub(super) fn draw_date(rng: &mut SplitMix64, years: (i64, i64)) -> Date {
    Date { y: range(rng, years.0, years.1), m: range(rng, 1, 12), d: range(rng, 1, 28) }
}

/// A date no calendar has: the 30th of February, the 31st of a 30-day month, the 29th of
/// February of a common year, or a thirteenth month.
pub(super) fn impossible_date(rng: &mut SplitMix64, years: (i64, i64)) -> Date {
    let y = range(rng, years.0, years.1);
    match rng.below(4) {
        0 => Date { y, m: 2, d: range(rng, 30, 31) },
        1 => Date { y, m: [4, 6, 9, 11][rng.below(4) as usize], d: 31 },
        2 => Date { y: [2021, 2022, 2023, 2025][rng.below(4) as usize], m: 2, d: 29 },
        _ => Date { y, m: 13, d: range(rng, 1, 28) },
    }
}

/// An IBAN as printed: compact, or in groups of four.
pub(super) fn iban_text(iban: &str, grouped: bool) -> String {
    if !grouped {
        return iban.to_owned();
    }
    iban.chars().collect::<Vec<_>>().chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// The text with the first digit of `target` (an amount printed in it) made unreadable.
pub(super) fn smudge(text: &str, target: &str) -> String {
    let Some(pos) = text.rfind(target) else { return text.to_owned() };
    let Some(offset) = target.find(|c: char| c.is_ascii_digit()) else { return text.to_owned() };
    let mut out = text.to_owned();
    out.replace_range(pos + offset..pos + offset + 1, "?");
    out
}

/// How a person's name is printed on a valid document: as registered, upper case,
/// "Surname, Given", or — as banks' systems often print it — in upper-case ASCII with its
/// diacritics transliterated (MÜLLER becomes MUELLER, NÚÑEZ becomes NUNEZ).
pub(super) fn name_variant(rng: &mut SplitMix64, name: &str, party: &Party) -> String {
    match (rng.below(4), &party.person) {
        (0, _) => name.to_uppercase(),
        (1, Some((given, surname))) if name == party.name => format!("{surname}, {given}"),
        (2, _) if !name.is_ascii() => transliterate(name).to_uppercase(),
        _ => name.to_owned(),
    }
}

/// A name in ASCII, the way a bank's system spells it.
pub(super) fn transliterate(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'ä' => "ae".to_owned(),
            'ö' | 'ø' => "oe".to_owned(),
            'ü' => "ue".to_owned(),
            'ë' | 'é' => "e".to_owned(),
            'ú' => "u".to_owned(),
            'ñ' => "n".to_owned(),
            other => other.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_smudge_hides_one_digit_of_the_amount_named() {
        let text = "- a: 1,200.00\nTotal: 1,200.00 EUR";
        let smudged = smudge(text, "1,200.00");
        assert_eq!(smudged, "- a: 1,200.00\nTotal: ?,200.00 EUR");
        assert_eq!(smudge(text, "9.99"), text);
    }
}
