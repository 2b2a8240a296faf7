//! The template method: one reminder for everybody, with a mail-merge bug.

use super::reading::read_records;
use super::rules::Action;
use super::writing::{message_item, output_of, plan_item};
use crate::work::kit::Job;
use crate::work::Draft;

/// The fast method: one reminder template for everybody, name, id and balance merged in, action
/// `remind` for all; it ignores status and replies and never asks. Its mail merge has a bug: on
/// a record whose `last_contact` is empty the greeting's merge field misfires and keeps the
/// previous record's name, so the message names another borrower.
pub fn template(job: &Job<'_>) -> Draft {
    let Some(records) = read_records(job) else {
        return Draft::Output { output: output_of(Vec::new(), Vec::new(), 0), confidence_bps: 0 };
    };
    let mut messages = Vec::with_capacity(records.len());
    let mut plan = Vec::with_capacity(records.len());
    // The greeting's merge field is refilled only from a record with a last contact: on one
    // without, it keeps the previous record's name (the bug).
    let mut greeting = String::new();
    for record in &records {
        if !record.last_contact.is_empty() {
            greeting.clone_from(&record.name);
        }
        let text = format!(
            "Dear {greeting},\n\nRe: the account of {} ({}).\n\nOur records show an outstanding balance of {}. \
             Please pay immediately to avoid further action.\n\nAccounts Team",
            record.name, record.id, record.balance
        );
        messages.push(message_item(&record.id, text));
        plan.push(plan_item(&record.id, Action::Remind));
    }
    const CONFIDENCE: u16 = 6_500;
    Draft::Output { output: output_of(messages, plan, CONFIDENCE), confidence_bps: CONFIDENCE }
}
