//! The instructions' vocabulary and rules: the follow-up actions, the borrower segments and
//! statuses, what a reply means, and how the rules decide a record (or find it ambiguous).

use super::answers::Ambiguity;

/// The follow-up a borrower needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Remind them of what is due.
    Remind,
    /// Offer a plan of monthly instalments.
    OfferPlan,
    /// Check a payment they say they made.
    VerifyPayment,
    /// Pass a dispute to the disputes team and pause collection.
    EscalateDispute,
    /// Nothing is due: a short thank-you, no follow-up.
    NoContact,
}

impl Action {
    /// Every action, in a fixed order.
    pub const ALL: [Action; 5] =
        [Action::Remind, Action::OfferPlan, Action::VerifyPayment, Action::EscalateDispute, Action::NoContact];

    /// Its name in a plan.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Remind => "remind",
            Action::OfferPlan => "offer_plan",
            Action::VerifyPayment => "verify_payment",
            Action::EscalateDispute => "escalate_dispute",
            Action::NoContact => "no_contact",
        }
    }

    /// The action named `name`, if any.
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == name.trim())
    }

    /// Days until the follow-up, by the convention the instructions state.
    pub fn after_days(self) -> u32 {
        match self {
            Action::Remind => 7,
            Action::OfferPlan => 3,
            Action::VerifyPayment => 2,
            Action::EscalateDispute => 1,
            Action::NoContact => 30,
        }
    }
}

/// A borrower's segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// A student.
    Student,
    /// A small business.
    SmallBusiness,
    /// A retiree.
    Retiree,
    /// A salaried employee.
    Salaried,
}

impl Segment {
    /// Every segment.
    pub const ALL: [Segment; 4] = [Segment::Student, Segment::SmallBusiness, Segment::Retiree, Segment::Salaried];

    /// Its name in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Student => "student",
            Segment::SmallBusiness => "small-business",
            Segment::Retiree => "retiree",
            Segment::Salaried => "salaried",
        }
    }

    /// The segment named `name`, if any.
    pub fn parse(name: &str) -> Option<Segment> {
        Segment::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// How many monthly instalments a plan offered to this segment has (the instructions say).
    pub fn instalments(self) -> u64 {
        match self {
            Segment::Student => 12,
            Segment::SmallBusiness => 4,
            Segment::Retiree | Segment::Salaried => 6,
        }
    }
}

/// A borrower's status as the lender's system records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Up to date.
    Current,
    /// Behind on payments.
    Late,
    /// Known to be in hardship.
    Hardship,
    /// Disputes the debt.
    Disputed,
    /// Paid.
    Paid,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 5] = [Status::Current, Status::Late, Status::Hardship, Status::Disputed, Status::Paid];

    /// Its name in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Late => "late",
            Status::Hardship => "hardship",
            Status::Disputed => "disputed",
            Status::Paid => "paid",
        }
    }

    /// The status named `name`, if any.
    pub fn parse(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// The action the status alone calls for (the instructions' table), days aside.
    pub fn action(self) -> Action {
        match self {
            Status::Current | Status::Paid => Action::NoContact,
            Status::Late => Action::Remind,
            Status::Hardship => Action::OfferPlan,
            Status::Disputed => Action::EscalateDispute,
        }
    }
}

/// What a borrower's latest reply means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// They cannot pay as agreed (lost a job, ill, asks for instalments).
    Hardship,
    /// They say they have paid.
    Paid,
    /// They say the debt is not theirs or is wrong.
    Dispute,
    /// They promise to pay soon.
    Promise,
}

impl Intent {
    /// The action a reply with this meaning calls for.
    pub fn action(self) -> Action {
        match self {
            Intent::Hardship => Action::OfferPlan,
            Intent::Paid => Action::VerifyPayment,
            Intent::Dispute => Action::EscalateDispute,
            Intent::Promise => Action::Remind,
        }
    }
}

/// How the rules of the instructions decide a record: plainly, or only up to an ambiguity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    /// The rules give one action.
    Clear(Action),
    /// The record is ambiguous: the reply and the status call for these actions.
    Ambiguous {
        /// The kind of ambiguity.
        kind: Ambiguity,
        /// What the reply calls for, if it says anything.
        reply: Option<Action>,
        /// What the status calls for.
        status: Action,
    },
}

/// Apply the instructions' rules to a record: a reply decides when it agrees with the status or
/// the borrower is simply late; a status that disagrees with the reply or with the days past due
/// is ambiguous. A reply saying "paid" to a paid status adds nothing.
pub fn decide(status: Status, days: u32, intent: Option<Intent>) -> Decided {
    let intent = intent.filter(|i| !(status == Status::Paid && *i == Intent::Paid));
    let status_action = status.action();
    if let Some(intent) = intent {
        let reply = intent.action();
        if status == Status::Late || reply == status_action {
            return Decided::Clear(reply);
        }
        return Decided::Ambiguous {
            kind: Ambiguity::ReplyContradictsStatus,
            reply: Some(reply),
            status: status_action,
        };
    }
    match status {
        Status::Paid if days > 0 => {
            Decided::Ambiguous { kind: Ambiguity::PaidWithDays, reply: None, status: status_action }
        }
        Status::Current if days > 0 => {
            Decided::Ambiguous { kind: Ambiguity::CurrentWithDays, reply: None, status: status_action }
        }
        _ => Decided::Clear(status_action),
    }
}
