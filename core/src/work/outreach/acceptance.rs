//! The acceptance criteria every outreach task carries: the checks a submission must pass.

use super::generate::INPUT;
use super::rules::Action;
use crate::spec::{AcceptanceCriteria, Check, Criterion, FieldKind, OutputField, Real};

/// The least confidence a submission must report, in basis points.
pub const MIN_CONFIDENCE_BPS: u16 = 5_000;

/// The acceptance criteria of every outreach task.
pub fn acceptance() -> AcceptanceCriteria {
    let field = |name: &str, kind| OutputField { name: name.to_owned(), kind, required: true };
    let criterion = |name: &str, check| Criterion { name: name.to_owned(), check };
    let covers = |list: &str| Check::ItemsIn {
        field: list.to_owned(),
        key: Some("borrower_id".to_owned()),
        input: INPUT.to_owned(),
        column: "borrower_id".to_owned(),
        complete: true,
    };
    AcceptanceCriteria {
        fields: vec![
            field("messages", FieldKind::List),
            field("plan", FieldKind::List),
            field("confidence", FieldKind::Number),
        ],
        criteria: vec![
            criterion(
                "messages-own-borrower-only",
                Check::OwnRecordOnly {
                    field: "messages".to_owned(),
                    key: "borrower_id".to_owned(),
                    text: "text".to_owned(),
                    input: INPUT.to_owned(),
                    id_column: "borrower_id".to_owned(),
                    name_column: "name".to_owned(),
                },
            ),
            criterion("messages-every-borrower", covers("messages")),
            criterion("plan-every-borrower", covers("plan")),
            criterion(
                "plan-action-known",
                Check::Each {
                    field: "plan".to_owned(),
                    check: Box::new(Check::OneOf {
                        field: "action".to_owned(),
                        values: Action::ALL.iter().map(|a| a.as_str().to_owned()).collect(),
                    }),
                },
            ),
            criterion(
                "plan-after-days",
                Check::Each {
                    field: "plan".to_owned(),
                    check: Box::new(Check::Range {
                        field: "after_days".to_owned(),
                        min: Some(Real(0.0)),
                        max: Some(Real(60.0)),
                    }),
                },
            ),
            criterion(
                "message-length",
                Check::Each {
                    field: "messages".to_owned(),
                    check: Box::new(Check::Length { field: "text".to_owned(), min: Some(40), max: Some(1200) }),
                },
            ),
            criterion(
                "confidence-range",
                Check::Range { field: "confidence".to_owned(), min: Some(Real(0.0)), max: Some(Real(1.0)) },
            ),
        ],
        min_confidence_bps: MIN_CONFIDENCE_BPS,
    }
}
