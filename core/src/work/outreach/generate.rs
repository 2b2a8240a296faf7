//! The generator: a lender's borrower records (names, segments, statuses, days past due,
//! balances, replies) as an inline CSV table with its columns in a drawn order, and the truth.

use super::acceptance::acceptance;
use super::amounts::{instalment, Style};
use super::rules::{decide, Action, Decided, Intent, Segment, Status};
use super::truth::{BorrowerTruth, Fact, Truth};
use crate::rng::SplitMix64;
use crate::spec::{DataClass, InputRef};
use crate::work::{GeneratedTask, Kind};

/// The name of the input holding the borrower records.
pub const INPUT: &str = "borrowers";

/// The columns of the borrower table (their order in a task is drawn).
pub const COLUMNS: [&str; 8] =
    ["borrower_id", "name", "segment", "status", "days_past_due", "balance", "last_contact", "latest_reply"];

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
        truth: crate::work::Truth::Outreach(truth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Table;
    use crate::work::outreach::testing::task;

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
}
