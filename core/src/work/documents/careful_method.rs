//! The careful method: every layout read, dates and sums validated, the registry cross-checked,
//! and a question when a document needs a convention the client has not given.

use super::accounts_and_names::{document_name, find_party_id};
use super::answers::{question, Conventions};
use super::inputs::{read_documents, read_registry, InputDoc, Registered};
use super::reading::{currency_in, last_amount, tokens};
use super::record::{draft, DocRecord};
use super::{find_iban, name_key, read_date, Amount, DocType, TOPICS, TOPIC_CURRENCY, TOPIC_TOTAL};
use crate::work::kit::Job;
use crate::work::Draft;

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

#[cfg(test)]
mod tests {
    use super::*;

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
