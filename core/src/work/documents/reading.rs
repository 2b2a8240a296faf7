//! Reading the figures of a document, whatever the layout: amounts in any number style (or
//! unreadable), dates checked against the calendar, currency codes.

/// An amount as read from a document, in minor units; a scan may have left a digit unreadable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amount {
    /// Read in full.
    Value(i64),
    /// At least one digit is unreadable (`?`).
    Unreadable,
}

/// Read one token as an amount printed with two decimals: `1,650.00`, `1.650,00`, `1650.00`,
/// `-950.00`, `+3,100.00`, `(950.00)`. None for anything else (dates, quantities, ids), so a
/// date like `15.03.2024` is never taken for money.
pub fn parse_amount(token: &str) -> Option<Amount> {
    let t = token.trim().trim_end_matches([':', ';']);
    let (negative, body) = if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (true, inner)
    } else if let Some(rest) = t.strip_prefix('-') {
        (true, rest)
    } else {
        (false, t.strip_prefix('+').unwrap_or(t))
    };
    let chars: Vec<char> = body.chars().collect();
    if chars.len() < 4 || !chars.iter().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '?')) {
        return None;
    }
    let decimal = chars[chars.len() - 3];
    let cents = &chars[chars.len() - 2..];
    if !matches!(decimal, '.' | ',') || cents.iter().any(|c| matches!(c, '.' | ',')) {
        return None;
    }
    let whole: Vec<char> = chars[..chars.len() - 3].to_vec();
    if whole.is_empty() || whole.contains(&decimal) || !whole[0].is_ascii_digit() && whole[0] != '?' {
        return None;
    }
    let digits: String = whole.iter().chain(cents).filter(|c| **c != '.' && **c != ',').collect();
    if digits.contains('?') {
        return Some(Amount::Unreadable);
    }
    let minor: i64 = digits.parse().ok()?;
    Some(Amount::Value(if negative { -minor } else { minor }))
}

/// The words of a line, split at spaces and table bars.
pub(super) fn tokens(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| c.is_whitespace() || c == '|').filter(|t| !t.is_empty())
}

/// The last amount printed on a line, if any.
pub(super) fn last_amount(line: &str) -> Option<Amount> {
    tokens(line).filter_map(parse_amount).last()
}

/// Whether a year, month and day make a calendar date.
pub fn is_real_date(y: i64, m: i64, d: i64) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Read one token as a date (`2024-03-15`, `15.03.2024` or `15/03/2024`): `Some(true)` for a
/// calendar date, `Some(false)` for one no calendar has, none when it is not a date at all.
pub fn read_date(token: &str) -> Option<bool> {
    let t = token.trim_end_matches([':', ';', ',', ')']).trim_start_matches('(');
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<i64>().ok()).flatten()
    };
    let parts: Vec<&str> = t.split(['-', '.', '/']).collect();
    if parts.len() != 3 {
        return None;
    }
    let (y, m, d) = if t.contains('-') {
        (num(parts[0], 4)?, num(parts[1], 2)?, num(parts[2], 2)?)
    } else {
        (num(parts[2], 4)?, num(parts[1], 2)?, num(parts[0], 2)?)
    };
    Some(is_real_date(y, m, d))
}

/// Currency codes a verifier recognises.
const KNOWN_CURRENCIES: [&str; 10] = ["EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK"];

/// The first currency code printed in a text.
pub(super) fn currency_in(text: &str) -> Option<&'static str> {
    text.split(|c: char| !c.is_ascii_alphabetic()).find_map(|w| KNOWN_CURRENCIES.iter().find(|c| **c == w).copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;
    use crate::work::documents::printing::{impossible_date, money, NumStyle};

    #[test]
    fn amounts_are_read_in_every_printed_style_and_dates_are_not_money() {
        for minor in [0, 5, 99, 100_050, 123_456_789, -95_000] {
            for style in [NumStyle::Plain, NumStyle::Thousands, NumStyle::European] {
                assert_eq!(parse_amount(&money(minor, style)), Some(Amount::Value(minor)), "{}", money(minor, style));
            }
        }
        assert_eq!(parse_amount("(950.00)"), Some(Amount::Value(-95_000)));
        assert_eq!(parse_amount("+3,100.00"), Some(Amount::Value(310_000)));
        assert_eq!(parse_amount("?,788.50"), Some(Amount::Unreadable));
        for not_money in ["15.03.2024", "2024-03-15", "137,", "(3", "3", "1.234.5", "EUR", "........", "1.650.00"] {
            assert_eq!(parse_amount(not_money), None, "{not_money}");
        }
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(read_date("2024-02-29"), Some(true));
        assert_eq!(read_date("29.02.2023"), Some(false));
        assert_eq!(read_date("31/04/2024"), Some(false));
        assert_eq!(read_date("15.13.2024"), Some(false));
        assert_eq!(read_date("15/03/2024"), Some(true));
        assert_eq!(read_date("1,650.00"), None);
        let mut rng = SplitMix64::new(9);
        for _ in 0..200 {
            let d = impossible_date(&mut rng, (2022, 2025));
            assert!(!is_real_date(d.y, d.m, d.d), "{d:?}");
        }
    }
}
