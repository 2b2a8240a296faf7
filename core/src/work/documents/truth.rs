//! What the client knows about a batch: each document's type, verdict, total and items.

/// The verdicts a document can get.
pub const VERDICTS: [&str; 3] = ["valid", "forged", "mismatch"];

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
