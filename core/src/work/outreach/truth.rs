//! The hidden truth of a task: per borrower, the right follow-up and the facts a good message
//! mentions.

use super::amounts::{grouped_amount, plain_amount};
use super::answers::Ambiguity;
use super::measure::words;
use super::rules::Action;

/// Something a good message to a borrower must mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// The balance, exactly as the table prints it.
    Balance(String),
    /// The days past due, as "`n` days".
    DaysPastDue(u32),
    /// The monthly instalment of the plan offered, in minor units (written `123.45` or `1,234.50`).
    Instalment(u64),
}

impl Fact {
    /// Whether `text` mentions this fact.
    pub fn found_in(&self, text: &str) -> bool {
        match self {
            Fact::Balance(printed) => !printed.trim().is_empty() && text.contains(printed.trim()),
            Fact::DaysPastDue(days) => {
                let w = words(text);
                let n = days.to_string();
                w.windows(2).any(|pair| pair[0] == n && (pair[1] == "days" || pair[1] == "day"))
            }
            Fact::Instalment(minor) => text.contains(&plain_amount(*minor)) || text.contains(&grouped_amount(*minor)),
        }
    }
}

/// The truth about one borrower.
#[derive(Debug, Clone, PartialEq)]
pub struct BorrowerTruth {
    /// The borrower's id, as in the table.
    pub id: String,
    /// The borrower's name, as in the table.
    pub name: String,
    /// The right follow-up.
    pub action: Action,
    /// What the message must mention.
    pub facts: Vec<Fact>,
    /// Days past due, as in the table (how much pressure a reminder may carry).
    pub days_past_due: u32,
    /// The ambiguity the record carries, if any.
    pub ambiguity: Option<Ambiguity>,
}

/// The hidden truth of one outreach task: per borrower, in table order.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    /// The borrowers.
    pub borrowers: Vec<BorrowerTruth>,
}
