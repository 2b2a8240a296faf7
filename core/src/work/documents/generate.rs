//! Generating a batch: the acceptance criteria and instructions it is posted with, and the
//! documents drawn over a registry of parties.

use super::defects::{draw_defect, Defect};
use super::draw::{draw_id_record, draw_invoice, draw_statement};
use super::world::{csv_cell, draw_parties, range, registry_csv, Party};
use super::{DocType, Truth, VERDICTS};
use crate::rng::SplitMix64;
use crate::spec::{AcceptanceCriteria, Check, Criterion, DataClass, FieldKind, InputRef, OutputField, Real};
use crate::work::{GeneratedTask, Kind};

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
        truth: crate::work::Truth::Documents(Truth { documents }),
    }
}
