//! The records the input leaves ambiguous and the lender's answers: one market-wide convention
//! per kind of ambiguity, so an agent that remembers an answer need not ask again.

use super::rules::Action;
use super::truth::Truth;

/// A kind of record the input leaves ambiguous, settled by the lender's convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ambiguity {
    /// The status says paid, yet days are past due.
    PaidWithDays,
    /// The status says current, yet days are past due.
    CurrentWithDays,
    /// The latest reply calls for another action than the status.
    ReplyContradictsStatus,
}

impl Ambiguity {
    /// Every kind.
    pub const ALL: [Ambiguity; 3] =
        [Ambiguity::PaidWithDays, Ambiguity::CurrentWithDays, Ambiguity::ReplyContradictsStatus];

    /// The first words of a question about it: its topic (see
    /// [`Job::answer`](crate::work::kit::Job::answer)).
    pub fn topic(self) -> &'static str {
        match self {
            Ambiguity::PaidWithDays => "Which record is current when the status is paid but days are past due?",
            Ambiguity::CurrentWithDays => "Which record is current when the status is current but days are past due?",
            Ambiguity::ReplyContradictsStatus => {
                "Which record is current when the latest reply contradicts the status?"
            }
        }
    }

    /// The lender's convention: the right action given what the reply and the status call for.
    pub fn convention(self, reply: Option<Action>, status: Action) -> Action {
        match self {
            Ambiguity::PaidWithDays => Action::VerifyPayment,
            Ambiguity::CurrentWithDays => Action::Remind,
            Ambiguity::ReplyContradictsStatus => reply.unwrap_or(status),
        }
    }

    /// The lender's answer to a question on this topic: the same for every task.
    pub fn answer(self) -> &'static str {
        match self {
            Ambiguity::PaidWithDays => {
                "Days past due are counted every night and the status is set by hand, so a paid status with \
                 days past due is a payment we have not confirmed: verify the payment."
            }
            Ambiguity::CurrentWithDays => {
                "Days past due are counted every night and are newer than the status: the borrower is late, \
                 so remind them."
            }
            Ambiguity::ReplyContradictsStatus => "The latest reply is newer than the status: trust the reply.",
        }
    }
}

/// The lender's answer to a clarification question: the market-wide convention of the
/// ambiguity the question's topic names, or a pointer to the instructions otherwise.
pub fn answer(_truth: &Truth, question: &str) -> String {
    match Ambiguity::ALL.into_iter().find(|a| question.starts_with(a.topic())) {
        Some(kind) => kind.answer().to_owned(),
        None => "Follow the instructions; where two records disagree, the newest information wins.".to_owned(),
    }
}
