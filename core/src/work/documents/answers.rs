//! The client's conventions: the topics a verifier may ask about, the market-wide answers, the
//! conventions a careful reading takes from them, and the question that asks for one.

use super::Truth;
use crate::work::kit::Job;

/// The topic of the question about which of two totals counts.
pub const TOPIC_TOTAL: &str = "Which total";
/// The topic of the question about the currency of a document that prints none.
pub const TOPIC_CURRENCY: &str = "Which currency";
/// Every topic [`careful`](super::careful) may ask about, so an agent knows what an answer settles.
pub const TOPICS: [&str; 2] = [TOPIC_TOTAL, TOPIC_CURRENCY];

/// The currency the market assumes when a document prints none (the client's convention).
pub const DEFAULT_CURRENCY: &str = "EUR";

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

/// The conventions a careful reading needs: which total counts and the default currency, each
/// none until the client has said.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Conventions<'a> {
    pub(super) after_discount: Option<bool>,
    pub(super) currency: Option<&'a str>,
}

impl<'a> Conventions<'a> {
    pub(super) fn from_job(job: &Job<'a>) -> Self {
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

/// The question that settles `topic`, naming the documents that raise it.
pub(super) fn question(topic: &str, ids: &[String]) -> String {
    let docs = ids.join(", ");
    if topic == TOPIC_TOTAL {
        format!("{TOPIC_TOTAL} counts when a document shows a total before and after a discount ({docs}): the one before or after it?")
    } else {
        format!("{TOPIC_CURRENCY} applies when a document prints no currency ({docs})?")
    }
}
