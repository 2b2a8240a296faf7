//! Drawing one document of each type: an invoice, a bank statement or an identity record, in
//! one of several layouts, with its defect, its ambiguities and perhaps a smudge, together
//! with its truth.

use super::answers::DEFAULT_CURRENCY;
use super::defects::{altered_iban, altered_name, Defect};
use super::printing::{
    date_text, draw_date, iban_text, impossible_date, money, name_variant, smudge, Date, DateStyle, NumStyle,
};
use super::world::{chance, pick, range, Party, ITEMS, SURNAMES, TRANSACTIONS};
use super::{DocTruth, DocType};
use crate::rng::SplitMix64;

/// The currencies documents are written in.
const CURRENCIES: [&str; 4] = ["EUR", "USD", "GBP", "CHF"];

/// One generated document: its text and truth.
pub(super) struct Drawn {
    pub(super) text: String,
    pub(super) truth: DocTruth,
}

pub(super) fn draw_invoice(rng: &mut SplitMix64, id: String, party: &Party, defect: Defect) -> Drawn {
    let n = range(rng, 2, 6) as usize;
    let mut qty = Vec::new();
    let mut units = Vec::new();
    for _ in 0..n {
        qty.push(range(rng, 1, 5));
        units.push(range(rng, 10, 900) * 100 + [0, 50, 99, 25][rng.below(4) as usize]);
    }
    let items: Vec<i64> = qty.iter().zip(&units).map(|(q, u)| q * u).collect();
    let sum: i64 = items.iter().sum();
    let pre = if defect == Defect::BadSum {
        let delta = range(rng, 5, 300) * 100 * if chance(rng, 0.7) { 1 } else { -1 };
        (sum + delta).max(100)
    } else {
        sum
    };
    let two_totals = chance(rng, 0.25);
    let percent = [2, 5, 10][rng.below(3) as usize];
    let discount = if two_totals { pre * percent / 100 } else { 0 };
    let after = pre - discount;
    let no_currency = chance(rng, 0.15);
    let currency = if no_currency { DEFAULT_CURRENCY } else { pick(rng, &CURRENCIES) };
    let date =
        if defect == Defect::BadDate { impossible_date(rng, (2022, 2025)) } else { draw_date(rng, (2022, 2025)) };
    let name = match defect {
        Defect::WrongName => altered_name(rng, party),
        _ => name_variant(rng, &party.name.clone(), party),
    };
    let iban = if defect == Defect::WrongAccount { altered_iban(rng, &party.iban) } else { party.iban.clone() };
    let number = range(rng, 100, 9999);
    let cur = |before: bool| match (no_currency, before) {
        (true, _) => String::new(),
        (false, true) => format!("{currency} "),
        (false, false) => format!(" {currency}"),
    };
    let descs: Vec<&str> = (0..n).map(|_| pick(rng, &ITEMS)).collect();
    let layout = rng.below(10);
    let (text, style) = match layout {
        // The most common layout: "Label: value", a bulleted list, "Total: 1,650.00 EUR".
        0..=3 => {
            let s = NumStyle::Thousands;
            let mut t = format!(
                "INVOICE INV-{number}\nDate: {}\nFrom: {name}\nIBAN: {}\nItems:\n",
                date_text(date, DateStyle::Iso),
                iban_text(&iban, false)
            );
            for (d, a) in descs.iter().zip(&items) {
                t.push_str(&format!("- {d}: {}\n", money(*a, s)));
            }
            t.push_str(&format!("Total: {}{}", money(pre, s), cur(false)));
            if two_totals {
                t.push_str(&format!(
                    "\nDiscount {percent} %: {}{}\nTotal after discount: {}{}",
                    money(-discount, s),
                    cur(false),
                    money(after, s),
                    cur(false)
                ));
            }
            (t, s)
        }
        // The name first, dotted leaders, "AMOUNT DUE ....... EUR 1650.00".
        4..=5 => {
            let s = NumStyle::Plain;
            let mut t = format!(
                "{name}\nInvoice no. {number}, issued {}\nBank account {}\n",
                date_text(date, DateStyle::Dotted),
                iban_text(&iban, true)
            );
            for (d, a) in descs.iter().zip(&items) {
                t.push_str(&format!("{d} ........ {}\n", money(*a, s)));
            }
            if two_totals {
                t.push_str(&format!(
                    "SUBTOTAL ....... {}{}\nLESS {percent}% ....... {}{}\n",
                    cur(true),
                    money(pre, s),
                    cur(true),
                    money(-discount, s)
                ));
            }
            t.push_str(&format!("AMOUNT DUE ....... {}{}", cur(true), money(after, s)));
            (t, s)
        }
        // A table with quantities and unit prices; the date last.
        6..=7 => {
            let s = if chance(rng, 0.5) { NumStyle::Thousands } else { NumStyle::Plain };
            let mut t = format!(
                "Invoice | {number}\nPayee | {name}\nAccount | {}\nDescription | Qty | Unit price | Amount\n",
                iban_text(&iban, chance(rng, 0.5))
            );
            for ((d, a), (q, u)) in descs.iter().zip(&items).zip(qty.iter().zip(&units)) {
                t.push_str(&format!("{d} | {q} | {} | {}\n", money(*u, s), money(*a, s)));
            }
            if two_totals {
                t.push_str(&format!("Total | | | {}{}\n", money(pre, s), cur(false)));
                t.push_str(&format!("Discount {percent}% | | | {}{}\n", money(-discount, s), cur(false)));
            }
            t.push_str(&format!("Total due | | | {}{}\n", money(after, s), cur(false)));
            t.push_str(&format!("Date | {}", date_text(date, DateStyle::Slashed)));
            (t, s)
        }
        // Labels in another order, the amount first, decimal commas, items on one line.
        _ => {
            let s = NumStyle::European;
            let mut t = format!("Amount payable: {}{}\n", cur(true), money(after, s));
            if two_totals {
                t.push_str(&format!(
                    "Total before discount: {}{}\nDiscount: {}{}\n",
                    cur(true),
                    money(pre, s),
                    cur(true),
                    money(-discount, s)
                ));
            }
            t.push_str(&format!(
                "Payee IBAN: {}\nInvoice date: {}\nPayee name: {name}\nPositions: ",
                iban_text(&iban, true),
                date_text(date, DateStyle::Dotted)
            ));
            let lines: Vec<String> = descs.iter().zip(&items).map(|(d, a)| format!("{d} {}", money(*a, s))).collect();
            t.push_str(&lines.join("; "));
            (t, s)
        }
    };
    // A scan sometimes leaves one digit of one amount unreadable.
    let smudged = chance(rng, 0.08);
    let text = if smudged {
        let which = rng.below(n as u64 + 1) as usize;
        let target = items.get(which).map_or(money(after, style), |a| money(*a, style));
        smudge(&text, &target)
    } else {
        text
    };
    let truth = DocTruth {
        id,
        doc_type: DocType::Invoice,
        verdict: defect.verdict(),
        total_minor: after,
        currency: currency.to_owned(),
        line_items_minor: items,
        two_totals,
        no_currency,
        smudged,
    };
    Drawn { text, truth }
}

pub(super) fn draw_statement(rng: &mut SplitMix64, id: String, party: &Party, defect: Defect) -> Drawn {
    let n = range(rng, 3, 7) as usize;
    let opening = range(rng, 0, 500_000);
    let moves: Vec<i64> =
        (0..n).map(|_| if chance(rng, 0.35) { range(rng, 100, 350_000) } else { -range(rng, 500, 200_000) }).collect();
    let descs: Vec<&str> = moves
        .iter()
        .map(|m| if *m > 0 { pick(rng, &["Salary", "Refund"]) } else { pick(rng, &TRANSACTIONS[2..]) })
        .collect();
    let sum: i64 = moves.iter().sum();
    let closing = if defect == Defect::BadSum {
        opening + sum + range(rng, 10, 2_000) * 100 * if chance(rng, 0.6) { 1 } else { -1 }
    } else {
        opening + sum
    };
    let year = range(rng, 2022, 2025);
    let month = range(rng, 1, 12);
    let mut days: Vec<i64> = (0..n).map(|_| range(rng, 1, 28)).collect();
    days.sort_unstable();
    let mut dates: Vec<Date> = days.iter().map(|d| Date { y: year, m: month, d: *d }).collect();
    if defect == Defect::BadDate {
        let at = rng.below(n as u64) as usize;
        dates[at] = impossible_date(rng, (year, year));
    }
    let no_currency = chance(rng, 0.15);
    let currency = if no_currency { DEFAULT_CURRENCY } else { pick(rng, &CURRENCIES) };
    let name = match defect {
        Defect::WrongName => altered_name(rng, party),
        _ => name_variant(rng, &party.name.clone(), party),
    };
    let iban = if defect == Defect::WrongAccount { altered_iban(rng, &party.iban) } else { party.iban.clone() };
    let cur = |before: bool| match (no_currency, before) {
        (true, _) => String::new(),
        (false, true) => format!("{currency} "),
        (false, false) => format!(" {currency}"),
    };
    let (text, style) = match rng.below(10) {
        // The most common layout.
        0..=4 => {
            let s = NumStyle::Thousands;
            let last = Date { y: year, m: month, d: 28 };
            let mut t = format!(
                "ACCOUNT STATEMENT\nAccount holder: {name}\nIBAN: {}\nPeriod: {} to {}\nOpening balance: {}{}\n",
                iban_text(&iban, false),
                date_text(Date { y: year, m: month, d: 1 }, DateStyle::Iso),
                date_text(last, DateStyle::Iso),
                money(opening, s),
                cur(false)
            );
            for ((d, m), date) in descs.iter().zip(&moves).zip(&dates) {
                let sign = if *m > 0 { "+" } else { "" };
                t.push_str(&format!("{}  {d}  {sign}{}\n", date_text(*date, DateStyle::Iso), money(*m, s)));
            }
            t.push_str(&format!("Closing balance: {}{}", money(closing, s), cur(false)));
            (t, s)
        }
        // A table, balances brought and carried forward.
        5..=7 => {
            let s = NumStyle::Plain;
            let mut t = format!("Statement | {}\nHolder | {name}\n", iban_text(&iban, true));
            if !no_currency {
                t.push_str(&format!("Currency | {currency}\n"));
            }
            t.push_str("Date | Description | Amount\n");
            let first = Date { y: year, m: month, d: 1 };
            t.push_str(&format!(
                "{} | Balance brought forward | {}\n",
                date_text(first, DateStyle::Dotted),
                money(opening, s)
            ));
            for ((d, m), date) in descs.iter().zip(&moves).zip(&dates) {
                t.push_str(&format!("{} | {d} | {}\n", date_text(*date, DateStyle::Dotted), money(*m, s)));
            }
            let last = Date { y: year, m: month, d: 28 };
            t.push_str(&format!(
                "{} | Balance carried forward | {}",
                date_text(last, DateStyle::Dotted),
                money(closing, s)
            ));
            (t, s)
        }
        // The account and holder on one line, debits in parentheses.
        _ => {
            let s = NumStyle::Thousands;
            let mut t = format!(
                "Statement for {} ({name})\nStart balance {}{}\n",
                iban_text(&iban, chance(rng, 0.5)),
                cur(true),
                money(opening, s)
            );
            for ((d, m), date) in descs.iter().zip(&moves).zip(&dates) {
                let amount = if *m < 0 { format!("({})", money(-m, s)) } else { money(*m, s) };
                t.push_str(&format!("{} {d} {amount}\n", date_text(*date, DateStyle::Slashed)));
            }
            t.push_str(&format!("End balance {}{}", cur(true), money(closing, s)));
            (t, s)
        }
    };
    let smudged = chance(rng, 0.08);
    let text = if smudged {
        let which = rng.below(n as u64 + 1) as usize;
        let target = moves.get(which).map_or(money(closing, style), |m| money(m.abs(), style));
        smudge(&text, &target)
    } else {
        text
    };
    let truth = DocTruth {
        id,
        doc_type: DocType::Statement,
        verdict: defect.verdict(),
        total_minor: closing,
        currency: currency.to_owned(),
        line_items_minor: moves,
        two_totals: false,
        no_currency,
        smudged,
    };
    Drawn { text, truth }
}

pub(super) fn draw_id_record(
    rng: &mut SplitMix64,
    id: String,
    party: &Party,
    others: &[Party],
    defect: Defect,
) -> Drawn {
    let (given, surname) = party.person.clone().unwrap_or_else(|| ("Alex".to_owned(), "Doe".to_owned()));
    let (given, surname) = if defect == Defect::WrongName {
        let other = SURNAMES
            .iter()
            .filter(|s| **s != surname)
            .nth(rng.below(SURNAMES.len() as u64 - 1) as usize)
            .copied()
            .unwrap_or("Nemo");
        (given, other.to_owned())
    } else {
        (given, surname)
    };
    // A wrong id number is another party's (or one the registry does not know).
    let party_id = if defect == Defect::WrongAccount {
        others
            .iter()
            .filter(|p| p.id != party.id)
            .nth(rng.below(others.len().max(1) as u64) as usize)
            .map_or_else(|| format!("P-{}", range(rng, 1000, 9999)), |p| p.id.clone())
    } else {
        party.id.clone()
    };
    let mut birth = draw_date(rng, (1950, 2004));
    let mut expiry = draw_date(rng, (2026, 2034));
    if defect == Defect::BadDate {
        if chance(rng, 0.5) {
            birth = impossible_date(rng, (1950, 2004));
        } else {
            expiry = impossible_date(rng, (2026, 2034));
        }
    }
    let text = match rng.below(10) {
        0..=4 => format!(
            "IDENTITY RECORD\nName: {given} {surname}\nID number: {party_id}\nDate of birth: {}\nExpires: {}",
            date_text(birth, DateStyle::Iso),
            date_text(expiry, DateStyle::Iso)
        ),
        5..=7 => format!(
            "{}, {} | {party_id} | born {} | valid until {}",
            surname.to_uppercase(),
            given.to_uppercase(),
            date_text(birth, DateStyle::Dotted),
            date_text(expiry, DateStyle::Dotted)
        ),
        _ => format!(
            "ID {party_id}\nSurname: {surname}\nGiven names: {given}\nExpiry: {}\nBirth: {}",
            date_text(expiry, DateStyle::Slashed),
            date_text(birth, DateStyle::Slashed)
        ),
    };
    let truth = DocTruth {
        id,
        doc_type: DocType::IdRecord,
        verdict: defect.verdict(),
        total_minor: 0,
        currency: String::new(),
        line_items_minor: Vec::new(),
        two_totals: false,
        no_currency: false,
        smudged: false,
    };
    Drawn { text, truth }
}
