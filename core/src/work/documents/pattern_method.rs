//! The pattern method: one pattern per field, tuned to the most common layout; fast, blind to
//! other layouts and to the registry.

use super::inputs::{read_documents, InputDoc};
use super::record::{draft, DocRecord};
use super::DocType;
use crate::work::kit::Job;
use crate::work::Draft;

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
