//! Customer outreach: write one message per borrower and plan the follow-up, adapted to each
//! borrower's status, days past due and latest reply.
//!
//! The generator draws a lender's borrower records (an inline CSV input `borrowers` with the
//! columns [`COLUMNS`], in an order drawn per task) and the truth only the lender knows: the
//! right follow-up [`Action`] per borrower and the [`Fact`]s a good message mentions. Some
//! records are ambiguous ([`Ambiguity`]): the status and the days past due disagree, or the
//! latest reply contradicts the status. The lender settles each kind of ambiguity by one
//! market-wide convention ([`answer`]), so an agent that remembers an answer need not ask again.
//!
//! Two methods do the work: [`segment_aware`] (reads every record and reply, picks the action
//! by the rules of the instructions, writes a message fitted to the segment and the reply, asks
//! when a record is ambiguous) and [`template`] (one reminder for everybody, with a mail-merge
//! bug on records without a last contact). [`SegmentWriter`] and [`TemplateMailer`] are the
//! agents that use them.

use super::kit::{self, Attempt, Decision, Job, MethodRecord, WorkAgent, WorkOutcome};
use super::{Draft, GeneratedTask, Kind};
use crate::ids::{DurationMs, Money};
use crate::output::{FieldValue, Output};
use crate::rng::SplitMix64;
use crate::spec::{AcceptanceCriteria, Check, Criterion, DataClass, FieldKind, InputRef, OutputField, Real};
use crate::table::{cell_key, value_key, Table};
use std::collections::BTreeMap;

/// The name of the input holding the borrower records.
pub const INPUT: &str = "borrowers";

/// The columns of the borrower table (their order in a task is drawn).
pub const COLUMNS: [&str; 8] =
    ["borrower_id", "name", "segment", "status", "days_past_due", "balance", "last_contact", "latest_reply"];

/// The least confidence a submission must report, in basis points.
pub const MIN_CONFIDENCE_BPS: u16 = 5_000;

/// Words that press for payment: fitting a reminder, not a borrower in hardship or dispute.
pub const PRESSURE_WORDS: [&str; 5] = ["immediately", "final notice", "legal action", "must pay", "without delay"];

/// Words only a long-overdue account warrants, even in a reminder.
pub const THREAT_WORDS: [&str; 2] = ["final notice", "legal action"];

/// Days past due from which a reminder may speak of a final notice or legal action.
pub const THREAT_FROM_DAYS: u32 = 60;

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

    /// The first words of a question about it: its topic (see [`Job::answer`]).
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

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

/// First names: none is an English word a message would use.
const FIRST_NAMES: [&str; 20] = [
    "Amara", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kenji", "Leila", "Mateo",
    "Nadia", "Omar", "Priya", "Rafael", "Sanna", "Tomas", "Yara",
];

/// Family names, none also a first name, so two-word names never overlap.
const LAST_NAMES: [&str; 16] = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Novak",
    "Haddad",
    "Ferreira",
    "Kowalski",
    "Sato",
    "Mbeki",
    "Castillo",
    "Andersen",
    "Rossi",
    "Nakamura",
    "Petrov",
    "Quispe",
];

/// Replies borrowers send, with what they mean. Worded as people write, not as keywords.
const REPLIES: [(&str, Intent); 21] = [
    ("I lost my job last month", Intent::Hardship),
    ("I was made redundant in March, money is tight", Intent::Hardship),
    ("Can I pay in instalments?", Intent::Hardship),
    ("Could we spread this over a few months?", Intent::Hardship),
    ("My shop had to close, I cannot cover this right now", Intent::Hardship),
    ("I'm in hospital and can't work at the moment", Intent::Hardship),
    ("I paid yesterday", Intent::Paid),
    ("Payment sent on Monday, reference 4471", Intent::Paid),
    ("I already paid this", Intent::Paid),
    ("The money went out of my account last week", Intent::Paid),
    ("Transferred the full amount this morning", Intent::Paid),
    ("This is not my debt", Intent::Dispute),
    ("I don't recognise this loan", Intent::Dispute),
    ("I never took out this loan", Intent::Dispute),
    ("The amount is wrong, I want to dispute it", Intent::Dispute),
    ("Who are you? I have no account with you", Intent::Dispute),
    ("I will pay on Friday", Intent::Promise),
    ("I'll pay once I'm paid on the 25th", Intent::Promise),
    ("Will settle it next week", Intent::Promise),
    ("Payday is next Thursday, I'll clear it then", Intent::Promise),
    ("Sorry for the delay, sending it at the end of the month", Intent::Promise),
];

/// How a task's table prints money (one lender, one export format).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Grouped,
    Code,
    Symbol,
}

impl Style {
    fn draw(rng: &mut SplitMix64) -> Style {
        [Style::Plain, Style::Grouped, Style::Code, Style::Symbol][rng.below(4) as usize]
    }

    fn print(self, minor: u64) -> String {
        match self {
            Style::Plain => plain_amount(minor),
            Style::Grouped => grouped_amount(minor),
            Style::Code => format!("EUR {}", plain_amount(minor)),
            Style::Symbol => format!("€{}", grouped_amount(minor)),
        }
    }
}

/// `1234.50`.
fn plain_amount(minor: u64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// `1,234.50`.
fn grouped_amount(minor: u64) -> String {
    let units = (minor / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", minor % 100)
}

/// One drawn borrower record, with the meaning of its reply.
#[derive(Debug, Clone)]
struct Drawn {
    id: String,
    name: String,
    segment: Segment,
    status: Status,
    days: u32,
    balance_minor: u64,
    balance: String,
    last_contact: String,
    reply: String,
    intent: Option<Intent>,
}

impl Drawn {
    fn cell(&self, column: &str) -> String {
        match column {
            "borrower_id" => self.id.clone(),
            "name" => self.name.clone(),
            "segment" => self.segment.as_str().to_owned(),
            "status" => self.status.as_str().to_owned(),
            "days_past_due" => self.days.to_string(),
            "balance" => self.balance.clone(),
            "last_contact" => self.last_contact.clone(),
            _ => self.reply.clone(),
        }
    }

    fn truth(&self) -> BorrowerTruth {
        let (action, ambiguity) = match decide(self.status, self.days, self.intent) {
            Decided::Clear(a) => (a, None),
            Decided::Ambiguous { kind, reply, status } => (kind.convention(reply, status), Some(kind)),
        };
        BorrowerTruth {
            id: self.id.clone(),
            name: self.name.clone(),
            action,
            facts: facts_for(action, &self.balance, self.days, instalment(self.balance_minor, self.segment)),
            days_past_due: self.days,
            ambiguity,
        }
    }
}

/// The monthly instalment of a plan for `balance_minor` offered to `segment`: the balance
/// divided by the segment's number of instalments, rounded up to the minor unit.
pub fn instalment(balance_minor: u64, segment: Segment) -> u64 {
    balance_minor.div_ceil(segment.instalments())
}

/// What a message carrying `action` must mention.
fn facts_for(action: Action, balance: &str, days: u32, instalment: u64) -> Vec<Fact> {
    let balance = Fact::Balance(balance.trim().to_owned());
    match action {
        Action::NoContact => Vec::new(),
        Action::Remind if days > 0 => vec![balance, Fact::DaysPastDue(days)],
        Action::OfferPlan => vec![balance, Fact::Instalment(instalment)],
        _ => vec![balance],
    }
}

/// `n` distinct two-word names (first names and family names never overlap, so no name is a
/// run of words inside another).
fn draw_names(rng: &mut SplitMix64, n: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(n);
    while names.len() < n {
        let name = format!(
            "{} {}",
            FIRST_NAMES[rng.below(FIRST_NAMES.len() as u64) as usize],
            LAST_NAMES[rng.below(LAST_NAMES.len() as u64) as usize]
        );
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn draw_borrower(rng: &mut SplitMix64, id: u64, name: String, style: Style) -> Drawn {
    let segment = Segment::ALL[rng.below(4) as usize];
    let status = match rng.below(100) {
        0..=24 => Status::Current,
        25..=54 => Status::Late,
        55..=69 => Status::Hardship,
        70..=79 => Status::Disputed,
        _ => Status::Paid,
    };
    let between = |rng: &mut SplitMix64, low: u64, high: u64| (low + rng.below(high - low + 1)) as u32;
    let days = match status {
        Status::Current if rng.below(10) == 0 => between(rng, 3, 20),
        Status::Paid if rng.below(100) < 15 => between(rng, 2, 30),
        Status::Current | Status::Paid => 0,
        Status::Late => between(rng, 5, 95),
        Status::Hardship => between(rng, 0, 120),
        Status::Disputed => between(rng, 0, 90),
    };
    let (low, high) = match segment {
        Segment::Student => (5_000, 400_000),
        Segment::SmallBusiness => (50_000, 5_000_000),
        Segment::Retiree => (2_000, 300_000),
        Segment::Salaried => (10_000, 1_500_000),
    };
    let balance_minor = low + rng.below(high - low + 1);
    let last_contact = if rng.below(100) < 8 {
        String::new()
    } else {
        format!("2024-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28))
    };
    let (reply, intent) = if rng.below(100) < 45 {
        (String::new(), None)
    } else {
        let (text, intent) = REPLIES[rng.below(REPLIES.len() as u64) as usize];
        (text.to_owned(), Some(intent))
    };
    Drawn {
        id: format!("B-{id:03}"),
        name,
        segment,
        status,
        days,
        balance_minor,
        balance: style.print(balance_minor),
        last_contact,
        reply,
        intent,
    }
}

/// A CSV cell, quoted when it holds a comma, a quote or a line end.
fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

fn write_csv(columns: &[&str], rows: &[Drawn]) -> String {
    let mut csv = columns.join(",");
    csv.push('\n');
    for row in rows {
        let cells: Vec<String> = columns.iter().map(|c| csv_cell(&row.cell(c))).collect();
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv
}

/// The columns in an order drawn per task (each lender's export differs).
fn draw_column_order(rng: &mut SplitMix64) -> Vec<&'static str> {
    let mut columns = COLUMNS.to_vec();
    for i in (1..columns.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        columns.swap(i, j);
    }
    columns
}

const INSTRUCTIONS: &str = "Write one message to every borrower in the input `borrowers` and plan the follow-up. \
Output `messages`: one record {borrower_id, text} per borrower, each addressed to its borrower by name and naming \
no other borrower; `plan`: one record {borrower_id, action, after_days} per borrower; `confidence`: 0 to 1. \
Actions: `remind` for a late borrower or one who promises to pay (after 7 days), `offer_plan` for hardship, a lost \
job, illness or a request for instalments (after 3 days), `verify_payment` when they say they paid (after 2 days), \
`escalate_dispute` when the debt is disputed or they say it is not theirs (after 1 day), `no_contact` when nothing is \
due (a short thank-you, after 30 days). The status column gives the action when there is no reply: current and paid \
need no contact, late a reminder, hardship a plan, disputed an escalation. Every message but a thank-you mentions the \
balance exactly as printed; a reminder mentions the days past due as \"N days\"; a plan offer states the monthly \
instalment: the balance split into 12 monthly instalments for students, 4 for small businesses and 6 otherwise, \
rounded up to the cent. Do not press borrowers in hardship or dispute for payment.";

/// Generate one outreach task: 5 to 15 borrowers, their table and the truth.
pub fn generate(rng: &mut SplitMix64) -> GeneratedTask {
    let n = 5 + rng.below(11) as usize;
    let style = Style::draw(rng);
    let names = draw_names(rng, n);
    let mut next_id = 1 + rng.below(30);
    let mut rows = Vec::with_capacity(n);
    for name in names {
        rows.push(draw_borrower(rng, next_id, name, style));
        next_id += 1 + rng.below(3);
    }
    let columns = draw_column_order(rng);
    let truth = Truth { borrowers: rows.iter().map(Drawn::truth).collect() };
    GeneratedTask {
        kind: Kind::Outreach,
        title: format!("Follow up with {n} borrowers"),
        instructions: INSTRUCTIONS.to_owned(),
        inputs: vec![InputRef {
            name: INPUT.to_owned(),
            uri: String::new(),
            content: Some(write_csv(&columns, &rows)),
            classification: DataClass::Restricted,
        }],
        acceptance: acceptance(),
        truth: super::Truth::Outreach(truth),
    }
}

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

// ---------------------------------------------------------------------------------------------
// Accuracy and answers
// ---------------------------------------------------------------------------------------------

/// The words of a text, lowercased: letters and digits; everything else separates (as the
/// engine's `OwnRecordOnly` check reads names).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Whether the words `run` occur together, in order, in `haystack`.
fn contains_run(haystack: &[String], run: &[String]) -> bool {
    !run.is_empty() && haystack.windows(run.len()).any(|w| w == run)
}

/// The first record of the list `field` per borrower id (later duplicates are ignored).
fn records_by_id<'o>(output: &'o Output, field: &str) -> BTreeMap<String, &'o BTreeMap<String, FieldValue>> {
    let mut by_id = BTreeMap::new();
    for item in output.get(field).and_then(FieldValue::as_list).unwrap_or(&[]) {
        let Some(record) = item.as_record() else { continue };
        let Some(id) = record.get("borrower_id").and_then(value_key) else { continue };
        by_id.entry(id).or_insert(record);
    }
    by_id
}

/// Whether `text` fits the tone `truth` calls for: no pressure on a borrower who is not simply
/// being reminded; no threats in a reminder before [`THREAT_FROM_DAYS`] days.
pub fn tone_fits(truth: &BorrowerTruth, text: &str) -> bool {
    let lower = text.to_lowercase();
    let banned: &[&str] = match truth.action {
        Action::Remind if truth.days_past_due >= THREAT_FROM_DAYS => &[],
        Action::Remind => &THREAT_WORDS,
        _ => &PRESSURE_WORDS,
    };
    !banned.iter().any(|w| lower.contains(w))
}

/// How well one borrower was served: the plan's action (0.5), the facts the message mentions
/// (0.3, in proportion), the tone (0.2); 0 if the message names another borrower.
fn borrower_score(truth: &BorrowerTruth, others: &[Vec<String>], message: Option<&str>, action: Option<Action>) -> f64 {
    if let Some(text) = message {
        let w = words(text);
        if others.iter().any(|name| contains_run(&w, name)) {
            return 0.0;
        }
    }
    let action_score = if action == Some(truth.action) { 0.5 } else { 0.0 };
    let Some(text) = message else { return action_score };
    let facts = if truth.facts.is_empty() {
        1.0
    } else {
        truth.facts.iter().filter(|f| f.found_in(text)).count() as f64 / truth.facts.len() as f64
    };
    let tone = if tone_fits(truth, text) { 1.0 } else { 0.0 };
    action_score + 0.3 * facts + 0.2 * tone
}

/// How right an output is: the mean over the truth's borrowers of [`borrower_score`]-style
/// credit (action 0.5, facts 0.3, tone 0.2, nothing for a message that names another borrower).
pub fn accuracy(truth: &Truth, output: &Output) -> f64 {
    if truth.borrowers.is_empty() {
        return 0.0;
    }
    let messages = records_by_id(output, "messages");
    let plan = records_by_id(output, "plan");
    let names: Vec<Vec<String>> = truth.borrowers.iter().map(|b| words(&b.name)).collect();
    let total: f64 = truth
        .borrowers
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let others: Vec<Vec<String>> =
                names.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, n)| n.clone()).collect();
            let key = cell_key(&b.id);
            let message = messages.get(&key).and_then(|r| r.get("text")).and_then(FieldValue::as_text);
            let action =
                plan.get(&key).and_then(|r| r.get("action")).and_then(FieldValue::as_text).and_then(Action::parse);
            borrower_score(b, &others, message, action)
        })
        .sum();
    total / truth.borrowers.len() as f64
}

/// The lender's answer to a clarification question: the market-wide convention of the
/// ambiguity the question's topic names, or a pointer to the instructions otherwise.
pub fn answer(_truth: &Truth, question: &str) -> String {
    match Ambiguity::ALL.into_iter().find(|a| question.starts_with(a.topic())) {
        Some(kind) => kind.answer().to_owned(),
        None => "Follow the instructions; where two records disagree, the newest information wins.".to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the input
// ---------------------------------------------------------------------------------------------

/// One borrower record as an agent reads it: missing columns read as empty cells.
#[derive(Debug, Clone, Default)]
struct Record {
    id: String,
    name: String,
    segment: String,
    status: String,
    days: String,
    balance: String,
    last_contact: String,
    reply: String,
}

/// The borrower table of a job, if it has one that parses.
fn read_records(job: &Job<'_>) -> Option<Vec<Record>> {
    let table = Table::parse(job.input(INPUT)?).ok()?;
    let col = |name: &str| table.column(name);
    let cols = COLUMNS.map(col);
    let cell =
        |row: &[String], i: usize| cols[i].and_then(|c| row.get(c)).map_or(String::new(), |s| s.trim().to_owned());
    Some(
        table
            .rows()
            .iter()
            .map(|row| Record {
                id: cell(row, 0),
                name: cell(row, 1),
                segment: cell(row, 2),
                status: cell(row, 3),
                days: cell(row, 4),
                balance: cell(row, 5),
                last_contact: cell(row, 6),
                reply: cell(row, 7),
            })
            .collect(),
    )
}

/// An amount as printed (`1234.50`, `1,234.50`, `EUR 1234.50`, `€1,234.50`) in minor units.
fn parse_amount(printed: &str) -> Option<u64> {
    let kept: String = printed.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let (units, cents) = kept.split_once('.').unwrap_or((&kept, ""));
    if units.is_empty() || cents.len() > 2 || cents.contains('.') {
        return None;
    }
    let units: u64 = units.parse().ok()?;
    let cents: u64 = if cents.is_empty() { 0 } else { format!("{cents:0<2}").parse().ok()? };
    units.checked_mul(100)?.checked_add(cents)
}

/// An output from messages and plan items, with the confidence as a number.
fn output_of(messages: Vec<FieldValue>, plan: Vec<FieldValue>, confidence_bps: u16) -> Output {
    let mut output = Output::new();
    output.insert("messages".to_owned(), FieldValue::List(messages));
    output.insert("plan".to_owned(), FieldValue::List(plan));
    output.insert("confidence".to_owned(), FieldValue::Number(f64::from(confidence_bps) / 10_000.0));
    output
}

fn message_item(id: &str, text: String) -> FieldValue {
    FieldValue::Record(BTreeMap::from([
        ("borrower_id".to_owned(), FieldValue::Text(id.to_owned())),
        ("text".to_owned(), FieldValue::Text(text)),
    ]))
}

fn plan_item(id: &str, action: Action) -> FieldValue {
    FieldValue::Record(BTreeMap::from([
        ("borrower_id".to_owned(), FieldValue::Text(id.to_owned())),
        ("action".to_owned(), FieldValue::Text(action.as_str().to_owned())),
        ("after_days".to_owned(), FieldValue::Number(f64::from(action.after_days()))),
    ]))
}

// ---------------------------------------------------------------------------------------------
// The segment-aware method
// ---------------------------------------------------------------------------------------------

/// What the segment-aware method reads a reply as: keyword rules in a fixed order (a dispute
/// outranks hardship, hardship a promise, a promise a payment claim, since "I'll pay once I'm
/// paid" is a promise). A reply matching no rule reads as no reply.
pub fn classify_reply(reply: &str) -> Option<Intent> {
    const RULES: [(Intent, &[&str]); 4] = [
        (Intent::Dispute, &["not my debt", "not mine", "recognise", "recognize", "dispute", "wrong", "never borrowed"]),
        (
            Intent::Hardship,
            &[
                "lost my job",
                "redundant",
                "instalment",
                "installment",
                "hospital",
                "can't afford",
                "cannot afford",
                "unemployed",
                "monthly payments",
                "payment plan",
            ],
        ),
        (Intent::Promise, &["will pay", "i'll pay", "next week", "on friday", "payday", "will settle"]),
        (Intent::Paid, &["paid", "payment sent", "transferred", "sent the money"]),
    ];
    let lower = reply.to_lowercase();
    RULES.iter().find(|(_, keys)| keys.iter().any(|k| lower.contains(k))).map(|(intent, _)| *intent)
}

/// The action an answer to a question on `kind` settles, read from its words: "trust the reply"
/// or "trust the status" for a contradiction, else the first action it names.
fn action_from_answer(kind: Ambiguity, answer: &str, reply: Option<Action>, status: Action) -> Option<Action> {
    let lower = answer.to_lowercase();
    if kind == Ambiguity::ReplyContradictsStatus {
        if lower.contains("trust the reply") || lower.contains("reply is newer") {
            return reply;
        }
        if lower.contains("trust the status") || lower.contains("status is newer") {
            return Some(status);
        }
    }
    const CUES: [(&str, Action); 6] = [
        ("verify", Action::VerifyPayment),
        ("remind", Action::Remind),
        ("plan", Action::OfferPlan),
        ("escalate", Action::EscalateDispute),
        ("no contact", Action::NoContact),
        ("thank", Action::NoContact),
    ];
    CUES.iter().find(|(cue, _)| lower.contains(cue)).map(|(_, a)| *a)
}

/// The question the segment-aware method asks about a record: its topic first.
fn question(kind: Ambiguity, record: &Record) -> String {
    let reply = if record.reply.is_empty() { "nothing".to_owned() } else { format!("{:?}", record.reply) };
    format!(
        "{} {} is marked {} with {} days past due and last replied {}. Which should the follow-up go by?",
        kind.topic(),
        record.id,
        record.status,
        if record.days.is_empty() { "0" } else { &record.days },
        reply
    )
}

/// A sentence that meets the borrower where their segment is.
fn segment_line(segment: Option<Segment>) -> &'static str {
    match segment {
        Some(Segment::Student) => "We know money can be tight while you study, so we keep this simple.",
        Some(Segment::SmallBusiness) => "We understand that cash flow in a small business is not always even.",
        Some(Segment::Retiree) => "Thank you for banking with us; we are glad to help in whatever way suits you.",
        Some(Segment::Salaried) => "If it helps, we can line any payment up with your payday.",
        None => "We are here to help if you have any questions.",
    }
}

/// The body of a message carrying `action` to `record`, mentioning what it must.
fn action_body(action: Action, record: &Record, days: u32, segment: Option<Segment>, intent: Option<Intent>) -> String {
    let balance = &record.balance;
    match action {
        Action::Remind => {
            let due = if days > 0 {
                format!("The balance of {balance} on account {} is now {days} days past due.", record.id)
            } else {
                format!("The balance of {balance} on account {} is due.", record.id)
            };
            let promise =
                if intent == Some(Intent::Promise) { " Thank you for telling us when you will pay." } else { "" };
            format!("{due}{promise} Please arrange a payment within the next 7 days, or reply if you would like to talk it through.")
        }
        Action::OfferPlan => {
            let sorry = if intent == Some(Intent::Hardship) {
                "We are sorry to hear things are difficult at the moment. "
            } else {
                ""
            };
            let plan = match (parse_amount(balance), segment) {
                (Some(minor), Some(segment)) => format!(
                    "We can offer a payment plan: your balance of {balance} split into {} monthly instalments of {}.",
                    segment.instalments(),
                    plain_amount(instalment(minor, segment))
                ),
                _ => format!(
                    "We can offer a payment plan for your balance of {balance}, in monthly instalments that suit you."
                ),
            };
            format!(
                "{sorry}{plan} There is nothing to pay until the plan starts; reply to confirm and we will set it up."
            )
        }
        Action::VerifyPayment => format!(
            "Thank you for letting us know about your payment. We are checking it against your balance of {balance} \
             and will confirm within two working days; there is nothing you need to do meanwhile."
        ),
        Action::EscalateDispute => format!(
            "You told us you question this debt. We have paused collection on the balance of {balance} and passed \
             your case to our disputes team, who will contact you with the records we hold."
        ),
        Action::NoContact => "Thank you: your account is up to date and there is nothing you need to do.".to_owned(),
    }
}

/// The whole message: greeting by name, the segment's line (not in a bare thank-you), the body.
fn tailored_message(action: Action, record: &Record, days: u32, intent: Option<Intent>) -> String {
    let segment = Segment::parse(&record.segment);
    let line = if action == Action::NoContact { String::new() } else { format!("{} ", segment_line(segment)) };
    format!(
        "Dear {},\n\n{line}{}\n\nKind regards,\nCustomer Care",
        record.name,
        action_body(action, record, days, segment, intent)
    )
}

/// What the segment-aware method made of a job, and how many records it read to get there.
#[derive(Debug)]
struct Worked {
    draft: Draft,
    records_read: usize,
}

/// The segment-aware method with remembered answers (topic → answer) the job itself lacks.
fn segment_aware_with(job: &Job<'_>, memory: &BTreeMap<String, String>) -> Worked {
    let Some(records) = read_records(job) else {
        return Worked {
            draft: Draft::Output { output: output_of(Vec::new(), Vec::new(), 0), confidence_bps: 0 },
            records_read: 0,
        };
    };
    let limit = usize::from(job.spec.deadlines.max_clarifications);
    let mut confidence: i32 = 9_200;
    let mut messages = Vec::with_capacity(records.len());
    let mut plan = Vec::with_capacity(records.len());
    for (read, record) in records.iter().enumerate() {
        let intent = classify_reply(&record.reply);
        if intent.is_none() && !record.reply.is_empty() {
            // A reply the rules cannot read: treated as no reply, and said so in the confidence.
            confidence -= 400;
        }
        let days = record.days.parse::<u32>().unwrap_or_else(|_| {
            confidence -= 500;
            0
        });
        let status = Status::parse(&record.status).unwrap_or_else(|| {
            confidence -= 800;
            if days > 0 {
                Status::Late
            } else {
                Status::Current
            }
        });
        if Segment::parse(&record.segment).is_none() || parse_amount(&record.balance).is_none() {
            confidence -= 300;
        }
        let action = match decide(status, days, intent) {
            Decided::Clear(action) => action,
            Decided::Ambiguous { kind, reply, status } => {
                let answered = job.answer(kind.topic()).or_else(|| memory.get(kind.topic()).map(String::as_str));
                let asked = job.clarifications.iter().any(|c| c.question.starts_with(kind.topic()));
                match answered.map(|a| action_from_answer(kind, a, reply, status)) {
                    Some(Some(action)) => action,
                    None if !asked && job.clarifications.len() < limit => {
                        return Worked { draft: Draft::Question(question(kind, record)), records_read: read + 1 };
                    }
                    // Asked and not answered, an answer it cannot read, or no questions left:
                    // the status is the official record, so go by it and say so.
                    _ => {
                        confidence -= 1_500;
                        status
                    }
                }
            }
        };
        messages.push(message_item(&record.id, tailored_message(action, record, days, intent)));
        plan.push(plan_item(&record.id, action));
    }
    let confidence_bps = confidence.clamp(500, 10_000) as u16;
    Worked {
        draft: Draft::Output { output: output_of(messages, plan, confidence_bps), confidence_bps },
        records_read: records.len(),
    }
}

/// The careful method: reads each record and its latest reply, picks the action by the
/// instructions' rules on status, days and reply, writes a message fitted to the segment and
/// the reply (balance, days past due, the plan's instalment), and asks when a record is
/// ambiguous and the job holds no answer for that kind of ambiguity. Confidence drops for each
/// reply it cannot read and each ambiguity it had to guess.
pub fn segment_aware(job: &Job<'_>) -> Draft {
    segment_aware_with(job, &BTreeMap::new()).draft
}

// ---------------------------------------------------------------------------------------------
// The template method
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// The agents
// ---------------------------------------------------------------------------------------------

/// The name the segment-aware method reports.
pub const SEGMENT_AWARE: &str = "segment_aware";
/// The name the template method reports.
pub const TEMPLATE: &str = "template";

/// Whether the agent takes a job: its own kind with a borrower table, and nothing else.
fn evaluate_outreach(job: &Job<'_>) -> Decision {
    if job.spec.category != Kind::Outreach.category() {
        return Decision::Decline { reason: format!("writes customer outreach only, not {}", job.spec.category) };
    }
    if !job.has_input(INPUT) {
        return Decision::Decline { reason: format!("the task has no inline {INPUT} table to write from") };
    }
    Decision::Claim
}

/// Put `confidence_bps` in the output's `confidence` field too, so both say the same.
fn set_confidence(output: &mut Output, confidence_bps: u16) {
    output.insert("confidence".to_owned(), FieldValue::Number(f64::from(confidence_bps) / 10_000.0));
}

/// Fix what a dry run can flag and a writer can mend without rethinking: texts padded to the
/// least length or cut to the greatest, follow-up days clamped to the allowed range.
fn repair(output: &mut Output) {
    const CLOSING: &str = " Kind regards, Customer Care.";
    for field in ["messages", "plan"] {
        let Some(FieldValue::List(items)) = output.get_mut(field) else { continue };
        for item in items.iter_mut() {
            let FieldValue::Record(record) = item else { continue };
            if let Some(FieldValue::Text(text)) = record.get_mut("text") {
                while text.chars().count() < 40 {
                    text.push_str(CLOSING);
                }
                if text.chars().count() > 1200 {
                    *text = text.chars().take(1200).collect();
                }
            }
            if let Some(FieldValue::Number(days)) = record.get_mut("after_days") {
                *days = if days.is_finite() { days.clamp(0.0, 60.0) } else { 0.0 };
            }
        }
    }
}

/// Self-check an output; if the dry run fails, repair what can be repaired and check again; if
/// it still fails, lower the confidence to below the task's floor (the agent knows it will not
/// pass) and report that.
fn checked(job: &Job<'_>, mut output: Output, confidence_bps: u16, notes: &str) -> (Output, crate::output::SelfCheck) {
    let (check, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if verification.failed.is_empty() {
        return (output, check);
    }
    repair(&mut output);
    let (check, verification) = kit::self_check(job, &output, confidence_bps, notes);
    if verification.failed.is_empty() {
        return (output, check);
    }
    let lowered = confidence_bps.min(job.spec.acceptance.min_confidence_bps.saturating_sub(1)).min(3_000);
    set_confidence(&mut output, lowered);
    let failed: Vec<&str> = verification.failed.iter().map(|f| f.criterion.as_str()).collect();
    let notes = format!("{notes} The dry run fails {}.", failed.join(", "));
    let (check, _) = kit::self_check(job, &output, lowered, &notes);
    (output, check)
}

/// How many borrower rows a job's table has (0 if it has none that parses).
fn borrower_count(job: &Job<'_>) -> usize {
    read_records(job).map_or(0, |r| r.len())
}

/// The topic a remembered question belongs to: a known ambiguity's topic, else its first
/// sentence (up to its first question mark).
fn topic_of(question: &str) -> String {
    match Ambiguity::ALL.into_iter().find(|a| question.starts_with(a.topic())) {
        Some(kind) => kind.topic().to_owned(),
        None => question.split_inclusive('?').next().unwrap_or(question).to_owned(),
    }
}

/// The segment-aware writer: careful, slower, asks when a record is ambiguous and remembers the
/// answers per topic. Its time is 20 s to set up plus 6 s per borrower written (reading the
/// record and reply, writing a tailored message); a question costs 5 s plus 3 s per record read
/// before it.
#[derive(Debug, Clone, Default)]
pub struct SegmentWriter {
    memory: BTreeMap<String, String>,
    methods: MethodRecord,
}

impl SegmentWriter {
    /// A writer with nothing learnt yet.
    pub fn new() -> SegmentWriter {
        SegmentWriter::default()
    }

    /// The answers it remembers, by topic.
    pub fn remembered(&self) -> &BTreeMap<String, String> {
        &self.memory
    }
}

impl WorkAgent for SegmentWriter {
    fn name(&self) -> &str {
        "Segment-aware writer"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Outreach.category().to_owned(), 4)]
    }

    fn rate(&self) -> Money {
        4_000
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        evaluate_outreach(job)
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        let worked = segment_aware_with(job, &self.memory);
        match worked.draft {
            Draft::Question(question) => {
                Attempt::Ask { question, duration_ms: 5_000 + 3_000 * worked.records_read as DurationMs }
            }
            Draft::Output { output, confidence_bps } => {
                let (output, self_check) =
                    checked(job, output, confidence_bps, "Messages fitted to segment, status and latest reply.");
                Attempt::Submit {
                    output,
                    self_check,
                    duration_ms: 20_000 + 6_000 * borrower_count(job) as DurationMs,
                    method: SEGMENT_AWARE,
                }
            }
        }
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        self.methods.record(outcome.method, outcome.accepted);
        for c in &outcome.clarifications {
            if let Some(answer) = &c.answer {
                self.memory.insert(topic_of(&c.question), answer.clone());
            }
        }
    }
}

/// The template mailer: one reminder for everybody, fast, never asks. Its time is 2 s plus
/// 0.2 s per borrower (a mail merge).
#[derive(Debug, Clone, Default)]
pub struct TemplateMailer {
    methods: MethodRecord,
}

impl TemplateMailer {
    /// A mailer.
    pub fn new() -> TemplateMailer {
        TemplateMailer::default()
    }
}

impl WorkAgent for TemplateMailer {
    fn name(&self) -> &str {
        "Template mailer"
    }

    fn skills(&self) -> Vec<(String, u8)> {
        vec![(Kind::Outreach.category().to_owned(), 2)]
    }

    fn rate(&self) -> Money {
        1_200
    }

    fn evaluate(&mut self, job: &Job<'_>) -> Decision {
        evaluate_outreach(job)
    }

    fn execute(&mut self, job: &Job<'_>, _rng: &mut SplitMix64) -> Attempt {
        let duration_ms = 2_000 + 200 * borrower_count(job) as DurationMs;
        match template(job) {
            Draft::Output { output, confidence_bps } => {
                let (output, self_check) = checked(job, output, confidence_bps, "One reminder template, merged.");
                Attempt::Submit { output, self_check, duration_ms, method: TEMPLATE }
            }
            // The template never asks; should it ever, the question is passed on.
            Draft::Question(question) => Attempt::Ask { question, duration_ms },
        }
    }

    fn learn(&mut self, outcome: &WorkOutcome) {
        self.methods.record(outcome.method, outcome.accepted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TaskId;
    use crate::output::SelfCheck;
    use crate::verify::verify;

    fn task(seed: u64) -> (GeneratedTask, Truth) {
        let task = super::super::generate(Kind::Outreach, seed);
        let super::super::Truth::Outreach(truth) = task.truth.clone() else { panic!("not an outreach truth") };
        (task, truth)
    }

    /// The output the truth calls for: every fact in a polite message, the right action.
    fn reference(truth: &Truth) -> Output {
        let mut messages = Vec::new();
        let mut plan = Vec::new();
        for b in &truth.borrowers {
            let facts: Vec<String> = b
                .facts
                .iter()
                .map(|f| match f {
                    Fact::Balance(s) => format!("Your balance is {s}."),
                    Fact::DaysPastDue(d) => format!("It is {d} days past due."),
                    Fact::Instalment(m) => format!("The plan is {} a month.", plain_amount(*m)),
                })
                .collect();
            messages
                .push(message_item(&b.id, format!("Dear {}, {} Kind regards, Customer Care", b.name, facts.join(" "))));
            plan.push(plan_item(&b.id, b.action));
        }
        output_of(messages, plan, 9_000)
    }

    fn passes(task: &GeneratedTask, output: &Output) -> Vec<String> {
        let check = SelfCheck { confidence_bps: 9_000, criteria_passed: Vec::new(), notes: String::new() };
        verify(&task.acceptance, &task.inputs, output, &check).failed.into_iter().map(|f| f.criterion).collect()
    }

    fn list_mut<'o>(output: &'o mut Output, field: &str) -> &'o mut Vec<FieldValue> {
        match output.get_mut(field) {
            Some(FieldValue::List(items)) => items,
            _ => panic!("no list {field}"),
        }
    }

    fn member_mut<'o>(item: &'o mut FieldValue, member: &str) -> &'o mut FieldValue {
        match item {
            FieldValue::Record(r) => r.get_mut(member).expect("member"),
            _ => panic!("not a record"),
        }
    }

    #[test]
    fn generation_is_deterministic_and_seeds_differ() {
        assert_eq!(task(7).0, task(7).0);
        assert_ne!(task(7).0.inputs, task(8).0.inputs);
    }

    #[test]
    fn the_table_parses_and_matches_the_truth() {
        for seed in 1..=100 {
            let (task, truth) = task(seed);
            let table = Table::parse(task.inputs[0].content.as_deref().expect("inline")).expect("parses");
            assert_eq!(task.inputs[0].classification, DataClass::Restricted);
            let mut header: Vec<&str> = table.header().iter().map(String::as_str).collect();
            header.sort_unstable();
            let mut expected = COLUMNS.to_vec();
            expected.sort_unstable();
            assert_eq!(header, expected, "seed {seed}");
            assert!((5..=15).contains(&table.rows().len()), "seed {seed}");
            let ids: Vec<&str> = table.cells(table.column("borrower_id").expect("ids")).collect();
            let truth_ids: Vec<&str> = truth.borrowers.iter().map(|b| b.id.as_str()).collect();
            assert_eq!(ids, truth_ids, "seed {seed}");
            let mut names: Vec<&str> = table.cells(table.column("name").expect("names")).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), ids.len(), "names are distinct, seed {seed}");
        }
    }

    #[test]
    fn the_truths_output_passes_and_scores_one() {
        for seed in 1..=100 {
            let (task, truth) = task(seed);
            let output = reference(&truth);
            assert_eq!(passes(&task, &output), Vec::<String>::new(), "seed {seed}");
            assert!((accuracy(&truth, &output) - 1.0).abs() < 1e-12, "seed {seed}");
        }
    }

    #[test]
    fn damaged_outputs_score_lower_or_fail() {
        let (task, truth) = task(3);
        let good = reference(&truth);

        let mut dropped = good.clone();
        list_mut(&mut dropped, "messages").pop();
        assert!(passes(&task, &dropped).contains(&"messages-every-borrower".to_owned()));
        assert!(accuracy(&truth, &dropped) < 1.0);

        let mut flipped = good.clone();
        let first = &mut list_mut(&mut flipped, "plan")[0];
        let wrong = Action::ALL.into_iter().find(|a| *a != truth.borrowers[0].action).expect("another action");
        *member_mut(first, "action") = FieldValue::Text(wrong.as_str().to_owned());
        let n = truth.borrowers.len() as f64;
        assert!((accuracy(&truth, &flipped) - (1.0 - 0.5 / n)).abs() < 1e-9);

        let mut leaked = good.clone();
        let other = truth.borrowers[1].name.clone();
        if let FieldValue::Text(t) = member_mut(&mut list_mut(&mut leaked, "messages")[0], "text") {
            t.push_str(&format!(" Also see {other}."));
        }
        assert!(passes(&task, &leaked).contains(&"messages-own-borrower-only".to_owned()));
        assert!((accuracy(&truth, &leaked) - (1.0 - 1.0 / n)).abs() < 1e-9, "the leaking message scores 0");

        let mut unknown = good.clone();
        *member_mut(&mut list_mut(&mut unknown, "plan")[0], "action") = FieldValue::Text("ignore".into());
        assert!(passes(&task, &unknown).contains(&"plan-action-known".to_owned()));
    }

    #[test]
    fn facts_and_tone_earn_their_share() {
        let b = BorrowerTruth {
            id: "B-001".into(),
            name: "Amara Okafor".into(),
            action: Action::OfferPlan,
            facts: vec![Fact::Balance("1,234.50".into()), Fact::Instalment(20_575)],
            days_past_due: 40,
            ambiguity: None,
        };
        let score = |text: &str, action| borrower_score(&b, &[], Some(text), Some(action));
        let full = "Dear Amara Okafor, your balance of 1,234.50 in 6 instalments of 205.75.";
        assert!((score(full, Action::OfferPlan) - 1.0).abs() < 1e-12);
        assert!((score("Dear Amara Okafor, your balance of 1,234.50.", Action::OfferPlan) - 0.85).abs() < 1e-12);
        let pushy = format!("{full} Pay immediately.");
        assert!((score(&pushy, Action::OfferPlan) - 0.8).abs() < 1e-12, "no pressure in hardship");
        let remind =
            BorrowerTruth { action: Action::Remind, facts: vec![Fact::DaysPastDue(5)], days_past_due: 5, ..b.clone() };
        assert!(Fact::DaysPastDue(5).found_in("now 5 days late"));
        assert!(!Fact::DaysPastDue(5).found_in("now 45 days late"));
        assert!(tone_fits(&remind, "please pay immediately"));
        assert!(!tone_fits(&remind, "final notice"));
        let long = BorrowerTruth { days_past_due: 90, ..remind };
        assert!(tone_fits(&long, "final notice"));
    }

    #[test]
    fn amounts_print_and_parse_in_every_style() {
        for minor in [5u64, 100, 123_450, 1_000_000, 123_456_789] {
            for style in [Style::Plain, Style::Grouped, Style::Code, Style::Symbol] {
                assert_eq!(parse_amount(&style.print(minor)), Some(minor), "{}", style.print(minor));
            }
        }
        assert_eq!(grouped_amount(123_456_789), "1,234,567.89");
        assert_eq!(parse_amount("n/a"), None);
        assert_eq!(parse_amount("1.2.3"), None);
        assert_eq!(instalment(1_000, Segment::Retiree), 167, "rounded up");
    }

    #[test]
    fn every_answer_settles_its_ambiguity_the_conventional_way() {
        let (_, truth) = task(1);
        for kind in Ambiguity::ALL {
            let question = format!("{} B-001 ...", kind.topic());
            let a = answer(&truth, &question);
            for reply in [None, Some(Action::OfferPlan), Some(Action::VerifyPayment)] {
                for status in [Action::NoContact, Action::EscalateDispute] {
                    let settled = action_from_answer(kind, &a, reply, status);
                    if kind == Ambiguity::ReplyContradictsStatus && reply.is_none() {
                        continue;
                    }
                    assert_eq!(settled, Some(kind.convention(reply, status)), "{kind:?}");
                }
            }
        }
        assert!(!answer(&truth, "What colour?").is_empty());
    }

    #[test]
    fn methods_survive_malformed_tables() {
        let spec = task(1).0.spec(1_000, 0, 60_000);
        for content in [
            "",
            "x",
            "a,b\n1,2\n",
            "borrower_id,name\nB-1,\"unclosed\n",
            "borrower_id,name,days_past_due,status,balance\nB-1,Ada Stone,lots,weird,??\n",
        ] {
            let inputs = vec![InputRef {
                name: INPUT.into(),
                uri: String::new(),
                content: Some(content.into()),
                classification: DataClass::Restricted,
            }];
            let job = Job { task: TaskId(0), spec: &spec, inputs: &inputs, clarifications: &[] };
            for draft in [segment_aware(&job), template(&job)] {
                match draft {
                    Draft::Output { confidence_bps, .. } => assert!(confidence_bps <= 9_200),
                    Draft::Question(q) => assert!(!q.is_empty()),
                }
            }
        }
    }

    #[test]
    fn reading_replies_follows_the_rules() {
        assert_eq!(classify_reply("I lost my job last month"), Some(Intent::Hardship));
        assert_eq!(classify_reply("I'll pay once I'm paid on the 25th"), Some(Intent::Promise));
        assert_eq!(classify_reply("I paid yesterday"), Some(Intent::Paid));
        assert_eq!(classify_reply("This is not my debt"), Some(Intent::Dispute));
        assert_eq!(classify_reply(""), None);
        assert_eq!(decide(Status::Paid, 0, Some(Intent::Paid)), Decided::Clear(Action::NoContact));
        assert_eq!(decide(Status::Late, 30, Some(Intent::Dispute)), Decided::Clear(Action::EscalateDispute));
        assert!(matches!(decide(Status::Paid, 4, None), Decided::Ambiguous { kind: Ambiguity::PaidWithDays, .. }));
    }
}
