//! Document verification: a batch of invoices, bank statements and identity records, checked
//! against a registry of parties.
//!
//! The generator draws a world of parties (people and companies with an IBAN), writes 6 to 12
//! documents about them in varied layouts (labels in different orders, dotted leaders, tables,
//! thousands separators, European decimal commas, two date formats) and spoils some: **forged**
//! ones (line items that do not add up to the stated total, a balance that does not follow from
//! its transactions, an impossible calendar date) and **mismatched** ones (a name or an account
//! that does not match the registry). Some are **ambiguous** (a total before and after a
//! discount; no currency printed), which the client settles by a market-wide convention
//! ([`answer`]). A few are **smudged** (one digit unreadable, as a scan would leave it), which no
//! method can fully recover.
//!
//! Two methods work on it: [`careful`] reads every layout it knows, cross-checks the registry,
//! validates dates and sums, and asks when a convention is needed; [`pattern`] applies one
//! pattern per field tuned to the most common layout and never looks at the registry.

use super::kit::{self, Attempt, Clarification, Decision, Job, MethodRecord, WorkAgent, WorkOutcome};
use super::{Draft, GeneratedTask, Kind};
use crate::ids::{DurationMs, Money};
use crate::output::{FieldValue, Output};
use crate::rng::SplitMix64;
use crate::spec::{AcceptanceCriteria, Check, Criterion, DataClass, FieldKind, InputRef, OutputField, Real};
use crate::table::Table;
use std::collections::BTreeMap;

/// The verdicts a document can get.
pub const VERDICTS: [&str; 3] = ["valid", "forged", "mismatch"];

/// The topic of the question about which of two totals counts.
pub const TOPIC_TOTAL: &str = "Which total";
/// The topic of the question about the currency of a document that prints none.
pub const TOPIC_CURRENCY: &str = "Which currency";
/// Every topic [`careful`] may ask about, so an agent knows what an answer settles.
pub const TOPICS: [&str; 2] = [TOPIC_TOTAL, TOPIC_CURRENCY];

/// The currency the market assumes when a document prints none (the client's convention).
pub const DEFAULT_CURRENCY: &str = "EUR";

/// The currencies documents are written in.
const CURRENCIES: [&str; 4] = ["EUR", "USD", "GBP", "CHF"];

/// The three kinds of document in a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocType {
    /// An invoice: a payee, an IBAN, line items and a total.
    Invoice,
    /// A bank statement: a holder, an IBAN, an opening balance, transactions, a closing balance.
    Statement,
    /// An identity record: a person's name, registry id and dates.
    IdRecord,
}

impl DocType {
    /// Its name in the `type` column.
    pub fn label(self) -> &'static str {
        match self {
            DocType::Invoice => "invoice",
            DocType::Statement => "bank_statement",
            DocType::IdRecord => "id_record",
        }
    }

    /// The type named `label`, if it is one.
    pub fn from_label(label: &str) -> Option<DocType> {
        [DocType::Invoice, DocType::Statement, DocType::IdRecord].into_iter().find(|t| t.label() == label.trim())
    }
}

/// What the client knows about one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocTruth {
    /// Its id, `DOC-###`.
    pub id: String,
    /// Its kind.
    pub doc_type: DocType,
    /// `valid`, `forged` or `mismatch`.
    pub verdict: &'static str,
    /// The amount that counts, in minor units: the amount due after discounts of an invoice,
    /// the closing balance of a statement, 0 for an identity record.
    pub total_minor: i64,
    /// Its currency (the convention's when none is printed; empty for an identity record).
    pub currency: String,
    /// The printed line items (signed transactions of a statement), in minor units.
    pub line_items_minor: Vec<i64>,
    /// Whether it shows a total before and after a discount.
    pub two_totals: bool,
    /// Whether it prints no currency.
    pub no_currency: bool,
    /// Whether one of its digits is unreadable.
    pub smudged: bool,
}

/// The hidden truth of one document batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    /// Every document, in batch order.
    pub documents: Vec<DocTruth>,
}

// ---------------------------------------------------------------------------------------------
// The world: parties and their registry.
// ---------------------------------------------------------------------------------------------

const GIVEN: [&str; 19] = [
    "Jürgen", "Zoë", "José", "Anna", "Lukas", "Maria", "Jonas", "Sofia", "Emil", "Clara", "Noah", "Ines", "Pavel",
    "Lea", "Marco", "Eva", "Tomas", "Nora", "Felix",
];
const SURNAMES: [&str; 19] = [
    "Müller",
    "Núñez",
    "Sørensen",
    "Schmidt",
    "Weber",
    "Rossi",
    "Dubois",
    "Novak",
    "Jansen",
    "Garcia",
    "Keller",
    "Moreau",
    "Fischer",
    "Bianchi",
    "Kowalski",
    "Berg",
    "Lindqvist",
    "Costa",
    "Meyer",
];
const COMPANY_A: [&str; 12] = [
    "Nordwind",
    "Blue Harbor",
    "Alpen",
    "Silver Oak",
    "Riverside",
    "Falcon",
    "Meridian",
    "Lumen",
    "Kestrel",
    "Aurora",
    "Granite",
    "Helix",
];
const COMPANY_B: [&str; 8] =
    ["Logistik", "Consulting", "Systems", "Trading", "Studio", "Supplies", "Engineering", "Media"];
const COMPANY_C: [&str; 5] = ["GmbH", "Ltd", "SARL", "BV", "AG"];
const COUNTRIES: [&str; 5] = ["DE", "FR", "NL", "IT", "ES"];
const ITEMS: [&str; 10] = [
    "Consulting hours",
    "Software licence",
    "Freight handling",
    "Office supplies",
    "Maintenance visit",
    "Translation (12 pages)",
    "Cloud hosting",
    "Training session",
    "Spare parts",
    "Design work",
];
const TRANSACTIONS: [&str; 8] = [
    "Rent",
    "Salary",
    "Card payment",
    "Transfer to savings",
    "Utility bill",
    "Refund",
    "Insurance premium",
    "Cash withdrawal",
];

/// A party of the registry.
#[derive(Debug, Clone)]
struct Party {
    id: String,
    /// Given name and surname of a person; none for a company.
    person: Option<(String, String)>,
    name: String,
    country: &'static str,
    iban: String,
}

fn pick<'a>(rng: &mut SplitMix64, list: &[&'a str]) -> &'a str {
    list[rng.below(list.len() as u64) as usize]
}

fn range(rng: &mut SplitMix64, low: i64, high: i64) -> i64 {
    low + rng.below((high - low + 1).max(1) as u64) as i64
}

fn chance(rng: &mut SplitMix64, p: f64) -> bool {
    rng.unit() < p
}

fn draw_iban(rng: &mut SplitMix64, country: &str) -> String {
    let mut iban = format!("{country}{:02}", rng.below(90) + 10);
    for _ in 0..16 {
        iban.push(char::from(b'0' + rng.below(10) as u8));
    }
    iban
}

/// Parties with distinct names, ids and IBANs: about two thirds people, the rest companies.
fn draw_parties(rng: &mut SplitMix64, count: usize) -> Vec<Party> {
    let mut parties: Vec<Party> = Vec::new();
    let mut guard = 0;
    while parties.len() < count && guard < 1000 {
        guard += 1;
        let country = pick(rng, &COUNTRIES);
        let (person, name) = if chance(rng, 0.65) {
            let (g, s) = (pick(rng, &GIVEN).to_owned(), pick(rng, &SURNAMES).to_owned());
            let name = format!("{g} {s}");
            (Some((g, s)), name)
        } else {
            (None, format!("{} {} {}", pick(rng, &COMPANY_A), pick(rng, &COMPANY_B), pick(rng, &COMPANY_C)))
        };
        let id = format!("P-{}", range(rng, 1000, 9999));
        if parties.iter().any(|p| p.name == name || p.id == id) {
            continue;
        }
        let iban = draw_iban(rng, country);
        parties.push(Party { id, person, name, country, iban });
    }
    parties
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn registry_csv(parties: &[Party]) -> String {
    let mut rows: Vec<&Party> = parties.iter().collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let mut csv = String::from("party_id,name,country,iban\n");
    for p in rows {
        csv.push_str(&format!("{},{},{},{}\n", csv_cell(&p.id), csv_cell(&p.name), p.country, p.iban));
    }
    csv
}

// ---------------------------------------------------------------------------------------------
// Printing amounts, dates and accounts.
// ---------------------------------------------------------------------------------------------

/// How amounts are printed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NumStyle {
    /// `1650.00`
    Plain,
    /// `1,650.00`
    Thousands,
    /// `1.650,00`
    European,
}

fn money(minor: i64, style: NumStyle) -> String {
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
struct Date {
    y: i64,
    m: i64,
    d: i64,
}

/// How dates are printed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DateStyle {
    /// `2024-03-15`
    Iso,
    /// `15.03.2024`
    Dotted,
    /// `15/03/2024`
    Slashed,
}

fn date_text(date: Date, style: DateStyle) -> String {
    match style {
        DateStyle::Iso => format!("{:04}-{:02}-{:02}", date.y, date.m, date.d),
        DateStyle::Dotted => format!("{:02}.{:02}.{:04}", date.d, date.m, date.y),
        DateStyle::Slashed => format!("{:02}/{:02}/{:04}", date.d, date.m, date.y),
    }
}

fn draw_date(rng: &mut SplitMix64, years: (i64, i64)) -> Date {
    Date { y: range(rng, years.0, years.1), m: range(rng, 1, 12), d: range(rng, 1, 28) }
}

/// A date no calendar has: the 30th of February, the 31st of a 30-day month, the 29th of
/// February of a common year, or a thirteenth month.
fn impossible_date(rng: &mut SplitMix64, years: (i64, i64)) -> Date {
    let y = range(rng, years.0, years.1);
    match rng.below(4) {
        0 => Date { y, m: 2, d: range(rng, 30, 31) },
        1 => Date { y, m: [4, 6, 9, 11][rng.below(4) as usize], d: 31 },
        2 => Date { y: [2021, 2022, 2023, 2025][rng.below(4) as usize], m: 2, d: 29 },
        _ => Date { y, m: 13, d: range(rng, 1, 28) },
    }
}

/// An IBAN as printed: compact, or in groups of four.
fn iban_text(iban: &str, grouped: bool) -> String {
    if !grouped {
        return iban.to_owned();
    }
    iban.chars().collect::<Vec<_>>().chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// The text with the first digit of `target` (an amount printed in it) made unreadable.
fn smudge(text: &str, target: &str) -> String {
    let Some(pos) = text.rfind(target) else { return text.to_owned() };
    let Some(offset) = target.find(|c: char| c.is_ascii_digit()) else { return text.to_owned() };
    let mut out = text.to_owned();
    out.replace_range(pos + offset..pos + offset + 1, "?");
    out
}

// ---------------------------------------------------------------------------------------------
// Generating documents.
// ---------------------------------------------------------------------------------------------

/// The defect a document is drawn with.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Defect {
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
    fn verdict(self) -> &'static str {
        match self {
            Defect::None => "valid",
            Defect::BadSum | Defect::BadDate => "forged",
            Defect::WrongName | Defect::WrongAccount => "mismatch",
        }
    }
}

/// The name a mismatched document prints instead of the registry's: another surname, or
/// another company's first word — close enough to fool a glance.
fn altered_name(rng: &mut SplitMix64, party: &Party) -> String {
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
fn altered_iban(rng: &mut SplitMix64, iban: &str) -> String {
    let mut chars: Vec<char> = iban.chars().collect();
    let at = 4 + rng.below(chars.len().saturating_sub(4).max(1) as u64) as usize;
    if let Some(c) = chars.get_mut(at) {
        let digit = c.to_digit(10).unwrap_or(0);
        *c = char::from_digit((digit + 1 + rng.below(8) as u32) % 10, 10).unwrap_or('0');
    }
    chars.into_iter().collect()
}

/// How a person's name is printed on a valid document: as registered, upper case,
/// "Surname, Given", or — as banks' systems often print it — in upper-case ASCII with its
/// diacritics transliterated (MÜLLER becomes MUELLER, NÚÑEZ becomes NUNEZ).
fn name_variant(rng: &mut SplitMix64, name: &str, party: &Party) -> String {
    match (rng.below(4), &party.person) {
        (0, _) => name.to_uppercase(),
        (1, Some((given, surname))) if name == party.name => format!("{surname}, {given}"),
        (2, _) if !name.is_ascii() => transliterate(name).to_uppercase(),
        _ => name.to_owned(),
    }
}

/// A name in ASCII, the way a bank's system spells it.
fn transliterate(name: &str) -> String {
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

/// One generated document: its text and truth.
struct Drawn {
    text: String,
    truth: DocTruth,
}

fn draw_invoice(rng: &mut SplitMix64, id: String, party: &Party, defect: Defect) -> Drawn {
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

fn draw_statement(rng: &mut SplitMix64, id: String, party: &Party, defect: Defect) -> Drawn {
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

fn draw_id_record(rng: &mut SplitMix64, id: String, party: &Party, others: &[Party], defect: Defect) -> Drawn {
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

fn draw_defect(rng: &mut SplitMix64) -> Defect {
    let u = rng.unit();
    match u {
        u if u < 0.6 => Defect::None,
        u if u < 0.7 => Defect::BadSum,
        u if u < 0.8 => Defect::BadDate,
        u if u < 0.9 => Defect::WrongName,
        _ => Defect::WrongAccount,
    }
}

/// The acceptance criteria every batch is posted with.
pub fn acceptance() -> AcceptanceCriteria {
    let each = |check: Check| Check::Each { field: "documents".into(), check: Box::new(check) };
    AcceptanceCriteria {
        fields: vec![OutputField { name: "documents".into(), kind: FieldKind::List, required: true }],
        criteria: vec![
            Criterion {
                name: "verdicts".into(),
                check: each(Check::OneOf { field: "verdict".into(), values: VERDICTS.map(String::from).to_vec() }),
            },
            Criterion {
                name: "confidences".into(),
                check: each(Check::Range { field: "confidence".into(), min: Some(Real(0.0)), max: Some(Real(1.0)) }),
            },
            Criterion {
                name: "ids".into(),
                check: each(Check::Pattern { field: "id".into(), pattern: "DOC-###".into() }),
            },
            Criterion {
                name: "every-document-once".into(),
                check: Check::ItemsIn {
                    field: "documents".into(),
                    key: Some("id".into()),
                    input: "documents".into(),
                    column: "id".into(),
                    complete: true,
                },
            },
            Criterion {
                name: "line-items-add-up".into(),
                check: each(Check::SumEquals {
                    field: "line_items".into(),
                    total: "line_items_total".into(),
                    tolerance: None,
                }),
            },
        ],
        min_confidence_bps: 5000,
    }
}

const INSTRUCTIONS: &str = "Verify every document of the input `documents` (CSV: id, type, text) against the \
registry `registry` (CSV: party_id, name, country, iban). Output the list `documents` with one record per \
document, each id exactly once: `id` (as in the input, DOC-###), `verdict` (`valid`; `forged` when its line \
items or transactions do not add up to its stated total or balance, or it carries a date no calendar has; \
`mismatch` when its name, IBAN or id number does not match the registry), `total` (the amount that counts: \
an invoice's amount due, a statement's closing balance, 0 for an identity record), `currency` (a three-letter \
code; empty for an identity record), `line_items` (the amounts of its line items or transactions, signed, as \
numbers; empty for an identity record), `line_items_total` (the sum of your `line_items`) and `confidence` (0 \
to 1). Ask when a document leaves it open which total counts or which currency applies.";

/// Generate one batch: 6 to 12 documents over a registry of parties.
pub fn generate(rng: &mut SplitMix64) -> GeneratedTask {
    let count = range(rng, 6, 12) as usize;
    let parties = draw_parties(rng, count + 4);
    let mut documents = Vec::new();
    let mut csv = String::from("id,type,text\n");
    for i in 0..count {
        let id = format!("DOC-{:03}", i + 1);
        let kind = match rng.below(20) {
            0..=8 => DocType::Invoice,
            9..=14 => DocType::Statement,
            _ => DocType::IdRecord,
        };
        let defect = draw_defect(rng);
        let people: Vec<&Party> = parties.iter().filter(|p| p.person.is_some()).collect();
        let kind = if kind == DocType::IdRecord && people.is_empty() { DocType::Statement } else { kind };
        // An identity record has no sums to spoil: its forgery is a date.
        let defect = if kind == DocType::IdRecord && defect == Defect::BadSum { Defect::BadDate } else { defect };
        let drawn = match kind {
            DocType::Invoice => {
                let party = &parties[rng.below(parties.len() as u64) as usize];
                draw_invoice(rng, id, party, defect)
            }
            DocType::Statement => {
                let party = &parties[rng.below(parties.len() as u64) as usize];
                draw_statement(rng, id, party, defect)
            }
            DocType::IdRecord => {
                let party = people[rng.below(people.len() as u64) as usize];
                draw_id_record(rng, id, party, &parties, defect)
            }
        };
        csv.push_str(&format!("{},{},{}\n", drawn.truth.id, kind.label(), csv_cell(&drawn.text)));
        documents.push(drawn.truth);
    }
    let title = format!("Verify {count} financial and identity documents against the registry");
    let inputs = vec![
        InputRef {
            name: "documents".into(),
            uri: String::new(),
            content: Some(csv),
            classification: DataClass::Confidential,
        },
        InputRef {
            name: "registry".into(),
            uri: String::new(),
            content: Some(registry_csv(&parties)),
            classification: DataClass::Restricted,
        },
    ];
    GeneratedTask {
        kind: Kind::Documents,
        title,
        instructions: INSTRUCTIONS.to_owned(),
        inputs,
        acceptance: acceptance(),
        truth: super::Truth::Documents(Truth { documents }),
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring and the client's answers.
// ---------------------------------------------------------------------------------------------

/// The output a perfect verifier would hand in for `truth` (every verdict, total and item right).
pub fn correct_output(truth: &Truth) -> Output {
    let records = truth
        .documents
        .iter()
        .map(|d| {
            let items: Vec<f64> = d.line_items_minor.iter().map(|m| *m as f64 / 100.0).collect();
            let sum = d.line_items_minor.iter().sum::<i64>() as f64 / 100.0;
            DocRecord {
                id: d.id.clone(),
                verdict: d.verdict,
                total: d.total_minor as f64 / 100.0,
                currency: d.currency.clone(),
                line_items: items,
                line_items_total: sum,
                confidence: 1.0,
            }
            .into_value()
        })
        .collect();
    Output::from([("documents".to_owned(), FieldValue::List(records))])
}

/// How right `output` is: per document of the batch, 0.6 for the right verdict and 0.4 for the
/// right total (within 0.01), averaged over the batch. A document the output leaves out (or
/// names only after another record with its id) scores 0.
pub fn accuracy(truth: &Truth, output: &Output) -> f64 {
    if truth.documents.is_empty() {
        return 0.0;
    }
    let mut by_id: BTreeMap<&str, &BTreeMap<String, FieldValue>> = BTreeMap::new();
    for item in output.get("documents").and_then(FieldValue::as_list).unwrap_or(&[]) {
        let Some(record) = item.as_record() else { continue };
        if let Some(id) = record.get("id").and_then(FieldValue::as_text) {
            by_id.entry(id.trim()).or_insert(record);
        }
    }
    let score: f64 = truth
        .documents
        .iter()
        .map(|d| {
            let Some(record) = by_id.get(d.id.as_str()) else { return 0.0 };
            let verdict = record.get("verdict").and_then(FieldValue::as_text) == Some(d.verdict);
            let total = record
                .get("total")
                .and_then(FieldValue::as_number)
                .is_some_and(|t| (t - d.total_minor as f64 / 100.0).abs() <= 0.01);
            0.6 * f64::from(u8::from(verdict)) + 0.4 * f64::from(u8::from(total))
        })
        .sum();
    score / truth.documents.len() as f64
}

/// The client's answer to a question: the market-wide conventions, the same for every batch, so
/// an agent that remembers one answer need not ask again. The amount due after discounts
/// counts; a document without a printed currency is in euros.
pub fn answer(_truth: &Truth, question: &str) -> String {
    let q = question.to_lowercase();
    if q.starts_with(&TOPIC_TOTAL.to_lowercase()) || q.contains("total") || q.contains("discount") {
        "The amount due after discounts counts: report the total after the discount, not the one before it.".to_owned()
    } else if q.starts_with(&TOPIC_CURRENCY.to_lowercase()) || q.contains("currency") {
        format!("Assume {DEFAULT_CURRENCY} when no currency is printed.")
    } else {
        "Follow the instructions: a verdict, the amount that counts and the line items for every document.".to_owned()
    }
}

/// One document's record in an output.
#[derive(Debug, Clone, PartialEq)]
struct DocRecord {
    id: String,
    verdict: &'static str,
    total: f64,
    currency: String,
    line_items: Vec<f64>,
    line_items_total: f64,
    confidence: f64,
}

impl DocRecord {
    fn into_value(self) -> FieldValue {
        let round = |x: f64| (x * 100.0).round() / 100.0;
        FieldValue::Record(BTreeMap::from([
            ("id".to_owned(), FieldValue::Text(self.id)),
            ("verdict".to_owned(), FieldValue::Text(self.verdict.to_owned())),
            ("total".to_owned(), FieldValue::Number(round(self.total))),
            ("currency".to_owned(), FieldValue::Text(self.currency)),
            ("line_items".to_owned(), FieldValue::List(self.line_items.into_iter().map(FieldValue::Number).collect())),
            ("line_items_total".to_owned(), FieldValue::Number(self.line_items_total)),
            ("confidence".to_owned(), FieldValue::Number(self.confidence.clamp(0.0, 1.0))),
        ]))
    }
}

// ---------------------------------------------------------------------------------------------
// Reading documents: amounts, dates, accounts and names, whatever the layout.
// ---------------------------------------------------------------------------------------------

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
fn tokens(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| c.is_whitespace() || c == '|').filter(|t| !t.is_empty())
}

/// The last amount printed on a line, if any.
fn last_amount(line: &str) -> Option<Amount> {
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
fn currency_in(text: &str) -> Option<&'static str> {
    text.split(|c: char| !c.is_ascii_alphabetic()).find_map(|w| KNOWN_CURRENCIES.iter().find(|c| **c == w).copied())
}

/// The first IBAN-like run in a text (two capital letters then at least 14 digits, spaces
/// ignored), compacted.
pub fn find_iban(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let compact: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
        (0..compact.len().saturating_sub(2)).find_map(|i| {
            let (a, b) = (compact[i], compact[i + 1]);
            let before_ok = i == 0 || !compact[i - 1].is_ascii_uppercase();
            if !(a.is_ascii_uppercase() && b.is_ascii_uppercase() && before_ok) {
                return None;
            }
            let digits: String = compact[i + 2..].iter().take_while(|c| c.is_ascii_digit()).collect();
            (digits.len() >= 14).then(|| format!("{a}{b}{digits}"))
        })
    })
}

/// A registry id (`P-` and four digits) printed in a text.
fn find_party_id(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).find_map(|w| {
        let digits = w.strip_prefix("P-")?;
        (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| w.to_owned())
    })
}

/// A name as a comparable key: lower case, accents folded, honorifics dropped, words sorted (so "Schmidt,
/// Anna", "ANNA SCHMIDT" and "Anna Schmidt" are one name).
pub fn name_key(name: &str) -> Vec<String> {
    let mut words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().map(fold_accent).collect::<String>())
        .filter(|w| !matches!(w.as_str(), "mr" | "mrs" | "ms" | "dr"))
        .collect();
    words.sort();
    words
}

/// A letter without its accent, so "José" and "JOSE" compare equal.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// The value of a labelled line (`Label: value` or `Label | value`) whose label is one of
/// `labels` (case-insensitive).
fn labelled<'a>(text: &'a str, labels: &[&str]) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let (label, value) = line.split_once(':').or_else(|| line.split_once('|'))?;
        let label = label.trim().to_lowercase();
        labels.contains(&label.as_str()).then(|| value.trim()).filter(|v| !v.is_empty())
    })
}

/// The name a document is issued to or by, in any layout the careful method knows.
fn document_name(text: &str, doc_type: DocType) -> Option<String> {
    if doc_type == DocType::IdRecord {
        if let Some(name) = labelled(text, &["name"]) {
            return Some(name.to_owned());
        }
        if let (Some(s), Some(g)) = (labelled(text, &["surname"]), labelled(text, &["given names"])) {
            return Some(format!("{g} {s}"));
        }
        let first = text.lines().next()?;
        return first.split('|').next().filter(|c| c.contains(',')).map(|c| c.trim().to_owned());
    }
    if let Some(name) = labelled(text, &["from", "payee", "payee name", "account holder", "holder"]) {
        return Some(name.to_owned());
    }
    let first = text.lines().next()?;
    if let Some((_, rest)) = first.split_once('(') {
        return rest.split(')').next().map(|n| n.trim().to_owned());
    }
    (!first.chars().any(|c| c.is_ascii_digit()) && first.contains(' ')).then(|| first.trim().to_owned())
}

/// One registry row.
#[derive(Debug, Clone)]
struct Registered {
    id: String,
    name: Vec<String>,
    iban: String,
}

/// The registry's rows, if it is a table with the columns the careful method needs.
fn read_registry(text: Option<&str>) -> Option<Vec<Registered>> {
    let table = Table::parse(text?).ok()?;
    let (id, name, iban) = (table.column("party_id")?, table.column("name")?, table.column("iban")?);
    Some(
        table
            .rows()
            .iter()
            .map(|r| Registered {
                id: r[id].trim().to_owned(),
                name: name_key(&r[name]),
                iban: r[iban].chars().filter(|c| !c.is_whitespace()).collect(),
            })
            .collect(),
    )
}

/// One document of the input, as the methods see it.
#[derive(Debug, Clone)]
struct InputDoc {
    id: String,
    doc_type: Option<DocType>,
    text: String,
}

/// The documents input's rows; none if it is not a table with `id` and `text` columns.
fn read_documents(text: Option<&str>) -> Option<Vec<InputDoc>> {
    let table = Table::parse(text?).ok()?;
    let (id, body) = (table.column("id")?, table.column("text")?);
    let kind = table.column("type");
    Some(
        table
            .rows()
            .iter()
            .map(|r| InputDoc {
                id: r[id].trim().to_owned(),
                doc_type: kind.and_then(|k| DocType::from_label(&r[k])),
                text: r[body].clone(),
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// The careful method.
// ---------------------------------------------------------------------------------------------

/// What a total line says about which total it is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TotalKind {
    /// Before a discount ("Subtotal", "Total before discount").
    Before,
    /// After it ("Total after discount", "Total due", "Amount payable").
    After,
    /// Just "Total".
    Plain,
}

/// The conventions a careful reading needs: which total counts and the default currency, each
/// none until the client has said.
#[derive(Debug, Clone, Copy, Default)]
struct Conventions<'a> {
    after_discount: Option<bool>,
    currency: Option<&'a str>,
}

impl<'a> Conventions<'a> {
    fn from_job(job: &Job<'a>) -> Self {
        let after_discount = job.answer(TOPIC_TOTAL).map(|a| {
            let a = a.to_lowercase();
            a.contains("after") || !a.contains("before")
        });
        let currency = job.answer(TOPIC_CURRENCY).and_then(|a| {
            a.split(|c: char| !c.is_ascii_alphabetic())
                .find(|w| w.len() == 3 && w.bytes().all(|b| b.is_ascii_uppercase()))
        });
        Conventions { after_discount, currency }
    }
}

/// A careful reading of one document.
#[derive(Debug, Clone)]
struct Reading {
    record: DocRecord,
    /// Topics this document needs the client's convention on (and does not have it).
    needs: Vec<&'static str>,
}

/// The amounts of a money document: totals or balances, items and what the careful method made
/// of unreadable digits.
#[derive(Debug, Default)]
struct Sums {
    items: Vec<Amount>,
    totals: Vec<(TotalKind, Amount)>,
    discount: Option<Amount>,
    opening: Option<Amount>,
    closing: Option<Amount>,
    bad_date: bool,
}

fn read_sums(text: &str, doc_type: DocType) -> Sums {
    let mut sums = Sums::default();
    for segment in text.lines().flat_map(|l| l.split(';')) {
        if tokens(segment).filter_map(read_date).any(|ok| !ok) {
            sums.bad_date = true;
        }
        let Some(amount) = last_amount(segment) else { continue };
        let lower = segment.to_lowercase();
        if doc_type == DocType::Statement {
            if ["opening", "brought forward", "start balance"].iter().any(|k| lower.contains(k)) {
                sums.opening = Some(amount);
            } else if ["closing", "carried forward", "end balance"].iter().any(|k| lower.contains(k)) {
                sums.closing = Some(amount);
            } else if tokens(segment).any(|t| read_date(t).is_some()) {
                sums.items.push(amount);
            }
            continue;
        }
        if lower.contains("total") || lower.contains("amount due") || lower.contains("payable") {
            let kind = if lower.contains("subtotal") || lower.contains("before") {
                TotalKind::Before
            } else if lower.contains("after") || lower.contains("due") || lower.contains("payable") {
                TotalKind::After
            } else {
                TotalKind::Plain
            };
            sums.totals.push((kind, amount));
        } else if lower.contains("discount") || lower.trim_start().starts_with("less ") {
            sums.discount = Some(amount);
        } else {
            sums.items.push(amount);
        }
    }
    sums
}

/// The known values of `amounts` and the position of the one unreadable, if exactly one is.
fn known(amounts: &[Amount]) -> (i64, usize, Option<usize>) {
    let mut sum = 0i64;
    let mut unreadable = 0;
    let mut at = None;
    for (i, a) in amounts.iter().enumerate() {
        match a {
            Amount::Value(v) => sum = sum.saturating_add(*v),
            Amount::Unreadable => {
                unreadable += 1;
                at = Some(i);
            }
        }
    }
    (sum, unreadable, at)
}

/// The money of a document after checking it: the amount that counts, its items, whether the
/// sums hold, and how sure the reading is.
struct Checked {
    total: f64,
    items: Vec<i64>,
    sums_hold: bool,
    confidence: f64,
    needs_total: bool,
}

/// Check an invoice's sums: items against the total before any discount, and that total less
/// the discount against the amount due. One unreadable figure is inferred from the others
/// (assuming they agree, which a forgery does not — so a smudge can hide one).
fn check_invoice(sums: &Sums, conventions: Conventions<'_>) -> Checked {
    let (before, after, two) = match sums.totals.as_slice() {
        [] => (None, None, false),
        [(_, only)] => (Some(*only), Some(*only), false),
        many => {
            let after = many
                .iter()
                .find(|t| t.0 == TotalKind::After)
                .or_else(|| many.iter().rev().find(|t| t.0 == TotalKind::Plain));
            let before = many
                .iter()
                .find(|t| t.0 == TotalKind::Before)
                .or_else(|| many.iter().find(|t| t.0 == TotalKind::Plain));
            (before.map(|t| t.1), after.map(|t| t.1), true)
        }
    };
    let discount = match sums.discount {
        Some(Amount::Value(d)) => Some(-d.abs()),
        Some(Amount::Unreadable) => None,
        None => Some(0),
    };
    let (item_sum, unreadable, at) = known(&sums.items);
    let mut confidence: f64 = 0.95;
    let mut items: Vec<i64> = sums.items.iter().map(|a| if let Amount::Value(v) = a { *v } else { 0 }).collect();
    // The total before discount, read or inferred.
    let base = match (before, after, discount) {
        (Some(Amount::Value(b)), _, _) => Some(b),
        (_, Some(Amount::Value(a)), Some(d)) if unreadable == 0 => Some(a - d).filter(|_| two).or(Some(a)),
        _ => None,
    };
    let mut sums_hold = true;
    match (base, unreadable, at) {
        (Some(b), 0, _) => sums_hold = b == item_sum,
        (Some(b), 1, Some(i)) => {
            items[i] = b - item_sum;
            confidence = 0.6;
        }
        (None, 0, _) => confidence = if sums.items.is_empty() { 0.3 } else { 0.6 },
        _ => confidence = 0.3,
    }
    let base = base.unwrap_or(item_sum);
    let due = match after {
        Some(Amount::Value(a)) => {
            if two && discount.is_some_and(|d| base + d != a) {
                sums_hold = false;
            }
            a
        }
        _ => {
            confidence = confidence.min(0.6);
            base + discount.unwrap_or(0)
        }
    };
    let needs_total = two && conventions.after_discount.is_none();
    let total = if two && conventions.after_discount == Some(false) { base } else { due };
    Checked { total: total as f64 / 100.0, items, sums_hold, confidence, needs_total }
}

/// Check a statement: the opening balance plus the transactions must make the closing balance.
fn check_statement(sums: &Sums) -> Checked {
    let (moves, unreadable, at) = known(&sums.items);
    let mut items: Vec<i64> = sums.items.iter().map(|a| if let Amount::Value(v) = a { *v } else { 0 }).collect();
    let mut confidence = 0.95;
    let mut sums_hold = true;
    let closing = match (sums.opening, sums.closing, unreadable, at) {
        (Some(Amount::Value(o)), Some(Amount::Value(c)), 0, _) => {
            sums_hold = o + moves == c;
            c
        }
        (Some(Amount::Value(o)), Some(Amount::Value(c)), 1, Some(i)) => {
            // Debits are printed without their sign in parentheses or with it; an inferred one
            // takes whatever sign makes the balance hold.
            items[i] = c - o - moves;
            confidence = 0.6;
            c
        }
        (Some(Amount::Value(o)), _, 0, _) => {
            confidence = 0.6;
            o + moves
        }
        (_, Some(Amount::Value(c)), _, _) => {
            confidence = 0.4;
            c
        }
        _ => {
            confidence = 0.3;
            moves
        }
    };
    Checked { total: closing as f64 / 100.0, items, sums_hold, confidence, needs_total: false }
}

/// Whether the document's name and account match the registry: `Some(true)` when they do,
/// `Some(false)` on a mismatch, none when the careful method could not tell.
fn registry_match(doc: &InputDoc, doc_type: DocType, registry: &[Registered]) -> Option<bool> {
    let name = document_name(&doc.text, doc_type).map(|n| name_key(&n));
    let party = if doc_type == DocType::IdRecord {
        let id = find_party_id(&doc.text)?;
        registry.iter().find(|r| r.id == id)
    } else {
        let iban = find_iban(&doc.text)?;
        registry.iter().find(|r| r.iban == iban)
    };
    let Some(party) = party else { return Some(false) };
    name.map(|n| n == party.name)
}

fn careful_reading(doc: &InputDoc, registry: Option<&[Registered]>, conventions: Conventions<'_>) -> Reading {
    let doc_type = doc.doc_type.unwrap_or_else(|| guess_type(&doc.text));
    let sums = read_sums(&doc.text, doc_type);
    let mut needs = Vec::new();
    let checked = match doc_type {
        DocType::Invoice => check_invoice(&sums, conventions),
        DocType::Statement => check_statement(&sums),
        DocType::IdRecord => {
            Checked { total: 0.0, items: Vec::new(), sums_hold: true, confidence: 0.95, needs_total: false }
        }
    };
    if checked.needs_total {
        needs.push(TOPIC_TOTAL);
    }
    let currency = match (doc_type, currency_in(&doc.text), conventions.currency) {
        (DocType::IdRecord, _, _) => String::new(),
        (_, Some(c), _) => c.to_owned(),
        (_, None, Some(c)) => c.to_owned(),
        (_, None, None) => {
            needs.push(TOPIC_CURRENCY);
            String::new()
        }
    };
    let matched = registry.and_then(|r| registry_match(doc, doc_type, r));
    let verdict = if sums.bad_date || !checked.sums_hold {
        "forged"
    } else if matched == Some(false) {
        "mismatch"
    } else {
        "valid"
    };
    let confidence = if matched.is_none() { checked.confidence.min(0.5) } else { checked.confidence };
    let line_items_total = checked.items.iter().sum::<i64>() as f64 / 100.0;
    let record = DocRecord {
        id: doc.id.clone(),
        verdict,
        total: checked.total,
        currency,
        line_items: checked.items.iter().map(|m| *m as f64 / 100.0).collect(),
        line_items_total,
        confidence,
    };
    Reading { record, needs }
}

/// The type of a document whose `type` cell names none, from its words.
fn guess_type(text: &str) -> DocType {
    let lower = text.to_lowercase();
    if lower.contains("balance") || lower.contains("statement") {
        DocType::Statement
    } else if find_party_id(text).is_some() {
        DocType::IdRecord
    } else {
        DocType::Invoice
    }
}

/// The question that settles `topic`, naming the documents that raise it.
fn question(topic: &str, ids: &[String]) -> String {
    let docs = ids.join(", ");
    if topic == TOPIC_TOTAL {
        format!("{TOPIC_TOTAL} counts when a document shows a total before and after a discount ({docs}): the one before or after it?")
    } else {
        format!("{TOPIC_CURRENCY} applies when a document prints no currency ({docs})?")
    }
}

/// An output of document records, with the method's overall confidence (the mean of the
/// documents', in basis points).
fn draft(records: Vec<DocRecord>) -> Draft {
    let confidence =
        if records.is_empty() { 0.0 } else { records.iter().map(|r| r.confidence).sum::<f64>() / records.len() as f64 };
    let list = records.into_iter().map(DocRecord::into_value).collect();
    Draft::Output {
        output: Output::from([("documents".to_owned(), FieldValue::List(list))]),
        confidence_bps: (confidence.clamp(0.0, 1.0) * 10_000.0).round() as u16,
    }
}

/// The careful method: reads every layout it knows (labelled lines, dotted leaders, tables,
/// decimal commas, parenthesised debits), validates every date, adds up line items against the
/// total (and a statement's transactions against its balances), cross-checks names, IBANs and
/// id numbers with the registry, and asks the client when a document leaves open which total
/// counts or which currency applies — unless the job already carries the answer.
pub fn careful(job: &Job<'_>) -> Draft {
    let Some(docs) = read_documents(job.input("documents")) else {
        return draft(Vec::new());
    };
    let registry = read_registry(job.input("registry"));
    let conventions = Conventions::from_job(job);
    let readings: Vec<Reading> = docs.iter().map(|d| careful_reading(d, registry.as_deref(), conventions)).collect();
    for topic in TOPICS {
        let ids: Vec<String> =
            readings.iter().filter(|r| r.needs.contains(&topic)).map(|r| r.record.id.clone()).collect();
        if !ids.is_empty() {
            return Draft::Question(question(topic, &ids));
        }
    }
    draft(readings.into_iter().map(|r| r.record).collect())
}

// ---------------------------------------------------------------------------------------------
// The pattern method.
// ---------------------------------------------------------------------------------------------

/// The number after the first `:` of a line, read the common way (commas are thousands
/// separators).
fn pattern_number(line: &str) -> Option<f64> {
    let value = line.split_once(':')?.1;
    let token = value.split_whitespace().next()?;
    let cleaned: String = token.chars().filter(|c| *c != ',' && *c != '+').collect();
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The pattern method: one pattern per field, tuned to the most common layout. The total is the
/// number after the colon of the first line mentioning "total" (or "closing balance"), its
/// currency the last word of that line; items are the bulleted lines (`- name: amount`) of an
/// invoice or the lines of a statement starting with an ISO date; a document whose items do not
/// add up is forged, anything else valid. It never consults the registry and never asks.
pub fn pattern(job: &Job<'_>) -> Draft {
    let Some(docs) = read_documents(job.input("documents")) else {
        return draft(Vec::new());
    };
    draft(docs.iter().map(pattern_record).collect())
}

fn pattern_record(doc: &InputDoc) -> DocRecord {
    let lines: Vec<&str> = doc.text.lines().collect();
    let total_line = lines.iter().find(|l| {
        let lower = l.to_lowercase();
        lower.contains("total") || lower.contains("closing balance")
    });
    let total = total_line.and_then(|l| pattern_number(l));
    let currency = total_line
        .and_then(|l| l.split_whitespace().last())
        .filter(|w| w.len() == 3 && w.bytes().all(|b| b.is_ascii_uppercase()))
        .unwrap_or_default()
        .to_owned();
    let opening =
        lines.iter().find(|l| l.to_lowercase().starts_with("opening balance")).and_then(|l| pattern_number(l));
    let statement = doc.doc_type == Some(DocType::Statement);
    let items: Vec<f64> = lines
        .iter()
        .filter_map(|l| {
            if statement {
                let first = l.split_whitespace().next()?;
                let iso = first.len() == 10 && first.as_bytes().get(4) == Some(&b'-');
                let last: String = l.split_whitespace().last()?.chars().filter(|c| *c != ',' && *c != '+').collect();
                iso.then(|| last.parse::<f64>().ok()).flatten()
            } else {
                l.strip_prefix("- ").and_then(pattern_number)
            }
        })
        .collect();
    let sum: f64 = items.iter().sum();
    let forged = match (total, opening) {
        (Some(t), Some(o)) if statement => (o + sum - t).abs() > 0.005,
        (Some(t), _) if !statement && !items.is_empty() => (sum - t).abs() > 0.005,
        _ => false,
    };
    DocRecord {
        id: doc.id.clone(),
        verdict: if forged { "forged" } else { "valid" },
        total: total.unwrap_or(0.0),
        currency,
        line_items: items,
        line_items_total: sum,
        confidence: if total.is_some() || doc.doc_type == Some(DocType::IdRecord) { 0.9 } else { 0.5 },
    }
}

// ---------------------------------------------------------------------------------------------
// The agents.
// ---------------------------------------------------------------------------------------------

/// What the careful method costs: it reads every byte of both inputs and cross-checks each
/// document with the registry, so 25 ms per input byte plus 3 s per document.
pub fn careful_duration(job: &Job<'_>) -> DurationMs {
    let bytes = input_bytes(job, "documents") + input_bytes(job, "registry");
    let docs = document_count(job);
    bytes.saturating_mul(25).saturating_add(docs.saturating_mul(3_000))
}

/// What the pattern method costs: one pass over the documents, 2 ms per byte plus 100 ms per
/// document; it never opens the registry.
pub fn pattern_duration(job: &Job<'_>) -> DurationMs {
    input_bytes(job, "documents").saturating_mul(2).saturating_add(document_count(job).saturating_mul(100))
}

fn input_bytes(job: &Job<'_>, name: &str) -> u64 {
    job.input(name).map_or(0, |c| c.len() as u64)
}

fn document_count(job: &Job<'_>) -> u64 {
    read_documents(job.input("documents")).map_or(0, |d| d.len() as u64)
}

/// Make an output pass the checks the method can fix by itself: every record's
/// `line_items_total` is recomputed from its `line_items` (a sum it should have got right) and
/// every confidence clamped to [0, 1].
fn repair(output: &mut Output) {
    let Some(FieldValue::List(records)) = output.get_mut("documents") else { return };
    for record in records.iter_mut() {
        let FieldValue::Record(fields) = record else { continue };
        let sum: Option<f64> = fields
            .get("line_items")
            .and_then(FieldValue::as_list)
            .map(|items| items.iter().filter_map(FieldValue::as_number).sum());
        if let Some(sum) = sum {
            fields.insert("line_items_total".to_owned(), FieldValue::Number(sum));
        }
        if let Some(c) = fields.get("confidence").and_then(FieldValue::as_number) {
            fields.insert("confidence".to_owned(), FieldValue::Number(c.clamp(0.0, 1.0)));
        }
    }
}

/// Run a method's draft through the dry run: fix what [`repair`] can, and lower the confidence
/// by 20 points for every criterion that still fails.
fn submit(job: &Job<'_>, draft: Draft, duration_ms: DurationMs, method: &'static str, notes: &str) -> Attempt {
    let (mut output, confidence_bps) = match draft {
        Draft::Output { output, confidence_bps } => (output, confidence_bps),
        Draft::Question(question) => return Attempt::Ask { question, duration_ms },
    };
    let (_, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if !verification.failed.is_empty() {
        repair(&mut output);
    }
    let (_, verification) = kit::self_check(job, &output, confidence_bps, notes);
    let penalty = (verification.failed.len() as u16).saturating_mul(2_000);
    let confidence_bps = confidence_bps.saturating_sub(penalty);
    let (self_check, _) = kit::self_check(job, &output, confidence_bps, notes);
    Attempt::Submit { output, self_check, duration_ms, method }
}

fn decide(job: &Job<'_>, who: &str) -> Decision {
    if job.spec.category != Kind::Documents.category() {
        Decision::Decline { reason: format!("{who} only verifies documents") }
    } else if !job.has_input("documents") {
        Decision::Decline { reason: "the task has no inline `documents` input to verify".to_owned() }
    } else {
        Decision::Claim
    }
}

/// The careful method's name, as reported in [`Attempt::Submit::method`].
pub const CAREFUL: &str = "careful";
/// The pattern method's name.
pub const PATTERN: &str = "pattern";

/// A slow, thorough verifier: runs [`careful`], asks when a convention is missing, remembers
/// every answer per topic so it need not ask again on a later batch.
#[derive(Debug, Clone, Default)]
pub struct CarefulVerifier {
    /// Answers learnt, by topic.
    answers: BTreeMap<String, String>,
    methods: MethodRecord,
}

impl CarefulVerifier {
    /// A verifier that knows no convention yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The answer it remembers for `topic`, if it learnt one.
    pub fn remembers(&self, topic: &str) -> Option<&str> {
        self.answers.get(topic).map(String::as_str)
    }
}

/// Remember every answered question whose topic is one of [`TOPICS`].
fn remember(answers: &mut BTreeMap<String, String>, clarifications: &[Clarification]) {
    for c in clarifications {
        let (Some(answer), Some(topic)) = (&c.answer, TOPICS.iter().find(|t| c.question.starts_with(**t))) else {
            continue;
        };
        answers.insert((*topic).to_owned(), answer.clone());
    }
}

impl WorkAgent for CarefulVerifier {
    fn name(&self) -> &str {
        "Careful verifier"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Documents.category().to_owned(), 5)]
    }

    fn rate(&self) -> Money {
        6_000
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        decide(job, "the careful verifier")
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        // Remembered answers go first, so an answer given on this very task takes precedence.
        let mut clarifications: Vec<Clarification> = self
            .answers
            .iter()
            .map(|(topic, answer)| Clarification { question: topic.clone(), answer: Some(answer.clone()) })
            .collect();
        clarifications.extend_from_slice(job.clarifications);
        let informed = Job { clarifications: &clarifications, ..*job };
        let duration = careful_duration(job);
        submit(&informed, careful(&informed), duration, CAREFUL, "careful reading, registry cross-checked")
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        remember(&mut self.answers, &outcome.clarifications);
        self.methods.record(outcome.method, outcome.accepted);
    }
}

/// A fast, cheap extractor: runs [`pattern`], never asks, never looks at the registry.
#[derive(Debug, Clone, Default)]
pub struct PatternExtractor {
    methods: MethodRecord,
}

impl PatternExtractor {
    /// A new extractor.
    pub fn new() -> Self {
        Self::default()
    }
}

impl WorkAgent for PatternExtractor {
    fn name(&self) -> &str {
        "Pattern extractor"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Documents.category().to_owned(), 2)]
    }

    fn rate(&self) -> Money {
        1_500
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        decide(job, "the pattern extractor")
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        submit(job, pattern(job), pattern_duration(job), PATTERN, "pattern extraction, registry not consulted")
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        self.methods.record(outcome.method, outcome.accepted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn accounts_ids_and_names_are_found_in_any_layout() {
        let iban = "DE12345678901234567890";
        for text in [
            format!("IBAN: {iban}"),
            format!("Name\nBank account {}", iban_text(iban, true)),
            format!("Statement for {} (Anna Schmidt)", iban_text(iban, true)),
        ] {
            assert_eq!(find_iban(&text).as_deref(), Some(iban), "{text}");
        }
        assert_eq!(find_iban("INVOICE INV-2024\nTotal: 1,650.00 EUR"), None);
        assert_eq!(find_party_id("SCHMIDT, ANNA | P-1234 | born"), Some("P-1234".to_owned()));
        assert_eq!(name_key("Schmidt, Anna"), name_key("ANNA SCHMIDT"));
        assert_ne!(name_key("Anna Schmitt"), name_key("Anna Schmidt"));
        // Accents fold; a spelled-out transliteration does not: the careful method's known limit.
        assert_eq!(name_key("José Núñez"), name_key("JOSE NUNEZ"));
        assert_ne!(name_key("Jürgen Müller"), name_key(&transliterate("Jürgen Müller").to_uppercase()));
        assert_eq!(
            document_name("Statement for X (Anna Schmidt)\nStart", DocType::Statement).as_deref(),
            Some("Anna Schmidt")
        );
        assert_eq!(
            document_name("ID P-1\nSurname: Berg\nGiven names: Eva", DocType::IdRecord).as_deref(),
            Some("Eva Berg")
        );
    }

    #[test]
    fn a_smudge_hides_one_digit_of_the_amount_named() {
        let text = "- a: 1,200.00\nTotal: 1,200.00 EUR";
        let smudged = smudge(text, "1,200.00");
        assert_eq!(smudged, "- a: 1,200.00\nTotal: ?,200.00 EUR");
        assert_eq!(smudge(text, "9.99"), text);
    }

    #[test]
    fn which_total_counts_follows_the_answer() {
        let sums = read_sums(
            "- a: 100.00\n- b: 50.00\nTotal: 150.00\nDiscount 10 %: -15.00\nTotal after discount: 135.00",
            DocType::Invoice,
        );
        let unanswered = check_invoice(&sums, Conventions::default());
        assert!(unanswered.needs_total && unanswered.sums_hold);
        let after = check_invoice(&sums, Conventions { after_discount: Some(true), currency: None });
        let before = check_invoice(&sums, Conventions { after_discount: Some(false), currency: None });
        assert_eq!((after.total, before.total, after.needs_total), (135.0, 150.0, false));
        let forged = read_sums("- a: 100.00\nTotal: 150.00", DocType::Invoice);
        assert!(!check_invoice(&forged, Conventions::default()).sums_hold);
    }
}
