//! The accuracy measure: per borrower, credit for the plan's action, the facts the message
//! mentions and its tone; nothing for a message that names another borrower.

use super::rules::Action;
use super::truth::{BorrowerTruth, Truth};
use crate::output::{FieldValue, Output};
use crate::table::{cell_key, value_key};
use std::collections::BTreeMap;

/// Words that press for payment: fitting a reminder, not a borrower in hardship or dispute.
pub const PRESSURE_WORDS: [&str; 5] = ["immediately", "final notice", "legal action", "must pay", "without delay"];

/// Words only a long-overdue account warrants, even in a reminder.
pub const THREAT_WORDS: [&str; 2] = ["final notice", "legal action"];

/// Days past due from which a reminder may speak of a final notice or legal action.
pub const THREAT_FROM_DAYS: u32 = 60;

/// The words of a text, lowercased: letters and digits; everything else separates (as the
/// engine's `OwnRecordOnly` check reads names).
pub(super) fn words(text: &str) -> Vec<String> {
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

/// How right an output is: the mean over the truth's borrowers of `borrower_score`-style
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::SelfCheck;
    use crate::verify::verify;
    use crate::work::outreach::amounts::plain_amount;
    use crate::work::outreach::testing::task;
    use crate::work::outreach::truth::Fact;
    use crate::work::outreach::writing::{message_item, output_of, plan_item};
    use crate::work::GeneratedTask;

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
}
