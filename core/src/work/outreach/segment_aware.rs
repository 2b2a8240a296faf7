//! The segment-aware method: reads every record and reply, decides by the instructions' rules,
//! asks when a record is ambiguous, and writes a message fitted to the segment and the reply.

use super::amounts::{instalment, parse_amount, plain_amount};
use super::answers::Ambiguity;
use super::reading::{read_records, Record};
use super::rules::{decide, Action, Decided, Intent, Segment, Status};
use super::writing::{message_item, output_of, plan_item};
use crate::work::kit::Job;
use crate::work::Draft;
use std::collections::BTreeMap;

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
pub(super) struct Worked {
    pub(super) draft: Draft,
    pub(super) records_read: usize,
}

/// The segment-aware method with remembered answers (topic → answer) the job itself lacks.
pub(super) fn segment_aware_with(job: &Job<'_>, memory: &BTreeMap<String, String>) -> Worked {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::outreach::answers::answer;
    use crate::work::outreach::testing::task;

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
