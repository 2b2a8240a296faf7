//! How money is printed in a task's table (one style per lender) and read back, and the monthly
//! instalment of a plan.

use super::rules::Segment;
use crate::rng::SplitMix64;

/// How a task's table prints money (one lender, one export format).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    Grouped,
    Code,
    Symbol,
}

impl Style {
    pub(super) fn draw(rng: &mut SplitMix64) -> Style {
        [Style::Plain, Style::Grouped, Style::Code, Style::Symbol][rng.below(4) as usize]
    }

    pub(super) fn print(self, minor: u64) -> String {
        match self {
            Style::Plain => plain_amount(minor),
            Style::Grouped => grouped_amount(minor),
            Style::Code => format!("EUR {}", plain_amount(minor)),
            Style::Symbol => format!("€{}", grouped_amount(minor)),
        }
    }
}

/// `1234.50`.
pub(super) fn plain_amount(minor: u64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// `1,234.50`.
pub(super) fn grouped_amount(minor: u64) -> String {
    let units = (minor / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", minor % 100)
}

/// The monthly instalment of a plan for `balance_minor` offered to `segment`: the balance
/// divided by the segment's number of instalments, rounded up to the minor unit.
pub fn instalment(balance_minor: u64, segment: Segment) -> u64 {
    balance_minor.div_ceil(segment.instalments())
}

/// An amount as printed (`1234.50`, `1,234.50`, `EUR 1234.50`, `€1,234.50`) in minor units.
pub(super) fn parse_amount(printed: &str) -> Option<u64> {
    let kept: String = printed.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let (units, cents) = kept.split_once('.').unwrap_or((&kept, ""));
    if units.is_empty() || cents.len() > 2 || cents.contains('.') {
        return None;
    }
    let units: u64 = units.parse().ok()?;
    let cents: u64 = if cents.is_empty() { 0 } else { format!("{cents:0<2}").parse().ok()? };
    units.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_and_parse_in_every_style() {
        for minor in [5u64, 100, 123_450, 1_000_000, 123_456_789] {
            for style in [Style::Plain, Style::Grouped, Style::Code, Style::Symbol] {
                assert_eq!(parse_amount(&style.print(minor)), Some(minor), "{}", style.print(minor));
            }
        }
        assert_eq!(grouped_amount(123_456_789), "1,234,567.89");
        assert_eq!(parse_amount("n/a"), None);
        assert_eq!(parse_amount("1.2.3"), None);
        assert_eq!(instalment(1_000, Segment::Retiree), 167, "rounded up");
    }
}
