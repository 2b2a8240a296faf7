//! Consistency and adaptability move for the right reasons (issue #11). Each test reads the
//! agent's own evidence on the dimension (no prior) and would fail if the dimension were fed
//! from another input: consistency from the level of the ratings or from the quality evidence
//! (which also holds the reviewers' verdicts), adaptability from every settled task or without
//! regard to clarifications and revisions.

mod support;
use gigmarket::prelude::*;
use gigmarket::reputation::Dimension;
use support::*;

const CATEGORY: &str = "invoice-extraction";

fn rating(quality: u8) -> Rating {
    Rating { quality, timeliness: 4 }
}

/// (mean, evidence) of the agent's own observations on `d` in `category`; `None` before any.
fn own(m: &Market, agent: Actor, category: &str, d: Dimension) -> Option<(f64, f64)> {
    let Actor::Agent { id } = agent else { panic!("{agent} is not an agent") };
    let category = m.category_id(category)?;
    let record = m.reputation().agent(id)?.categories.iter().find(|c| c.category == category)?;
    let e = record.dims[d as usize];
    (e.pos + e.neg > 0.0).then(|| (e.pos / (e.pos + e.neg), e.pos + e.neg))
}

/// HUMAN takes a task in `category`, asks `questions` clarifications the client answers, and
/// submits work that passes verification at the first attempt; all at `now`.
fn submitted(m: &mut Market, now: Timestamp, category: &str, questions: u8) -> TaskId {
    let mut s = spec();
    s.category = category.into();
    s.deadlines.max_clarifications = questions;
    s.deadlines.claim_by = now + 10 * HOUR;
    let t = post(m, now, s);
    assign(m, now, t, AgentId(2));
    for _ in 0..questions {
        ok(m, now, HUMAN, Command::AskClarification { task: t, question: "Which total?".into() });
        ok(m, now, CLIENT, Command::AnswerClarification { task: t, answer: "The gross.".into() });
    }
    ok(m, now, HUMAN, submit(t, good_output(), confident()));
    t
}

/// HUMAN takes, delivers (first attempt passes) and has accepted a task in `category`, asking
/// `questions` clarifications first; the client then rates it `stars` (if any). All at `now`,
/// so no evidence decays between steps.
fn deliver(m: &mut Market, now: Timestamp, category: &str, questions: u8, stars: Option<u8>) -> TaskId {
    let t = submitted(m, now, category, questions);
    ok(m, now, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    if let Some(stars) = stars {
        ok(m, now, CLIENT, Command::RateTask { task: t, rating: rating(stars) });
    }
    t
}

/// HUMAN takes and delivers a task in `category` (asking `questions` clarifications) that the
/// client rejects; the rejection stands when the dispute window passes. Returns the new now.
fn rejected(m: &mut Market, now: Timestamp, category: &str, questions: u8) -> Timestamp {
    let t = submitted(m, now, category, questions);
    let reject = ReviewDecision::Reject { failed_criteria: vec!["total-positive".into()], reason: "wrong".into() };
    ok(m, now, CLIENT, Command::Review { task: t, decision: reject });
    let later = now + m.config().dispute_window_ms;
    m.tick(later);
    assert_eq!(state(m, t), "Settled");
    later
}

/// HUMAN's consistency after six accepted tasks rated `stars` in turn.
fn consistency_after(stars: [u8; 6]) -> (f64, f64) {
    let mut m = market();
    for s in stars {
        deliver(&mut m, 0, CATEGORY, 0, Some(s));
    }
    own(&m, HUMAN, CATEGORY, Dimension::Consistency).expect("ratings after the first feed consistency")
}

#[test]
fn consistency_falls_for_ratings_that_swing_and_not_for_steady_ones_at_any_level() {
    let steady_four = consistency_after([4; 6]);
    let steady_five = consistency_after([5; 6]);
    let swinging = consistency_after([3, 5, 3, 5, 3, 5]);
    // Steady ratings agree with their own mean whatever their level: five stars is no less
    // consistent than four (fed from the quality evidence, which holds the reviewers' 0.75 for
    // accepted work, steady five-star ratings read as a swing of a quarter star).
    assert!(steady_four.0 > 0.99 && steady_five.0 > 0.99, "{steady_four:?} {steady_five:?}");
    // The swinging agent's ratings average four stars too, but each lies a star from the mean.
    assert!(swinging.0 < 0.75, "{swinging:?}");
    // Consistency is not the level: the swinging agent's quality evidence sits near the steady
    // four-star agent's.
    let mut m = market();
    for s in [3, 5, 3, 5, 3, 5] {
        deliver(&mut m, 0, CATEGORY, 0, Some(s));
    }
    let mut n = market();
    for _ in 0..6 {
        deliver(&mut n, 0, CATEGORY, 0, Some(4));
    }
    let (swing_quality, steady_quality) = (
        own(&m, HUMAN, CATEGORY, Dimension::Quality).unwrap().0,
        own(&n, HUMAN, CATEGORY, Dimension::Quality).unwrap().0,
    );
    assert!((swing_quality - steady_quality).abs() < 0.1, "{swing_quality} vs {steady_quality}");
}

#[test]
fn consistency_ignores_everything_but_ratings() {
    // Settled, accepted, unrated work says nothing about spread.
    let mut m = market();
    for _ in 0..4 {
        deliver(&mut m, 0, CATEGORY, 0, None);
    }
    assert_eq!(own(&m, HUMAN, CATEGORY, Dimension::Consistency), None);
}

#[test]
fn adaptability_rises_with_good_first_tasks_in_a_new_category_and_then_only_after_clarifications() {
    let mut m = market();
    let mut seen = Vec::new();
    for _ in 0..3 {
        deliver(&mut m, 0, CATEGORY, 0, None);
        seen.push(own(&m, HUMAN, CATEGORY, Dimension::Adaptability).expect("first tasks feed adaptability"));
    }
    // Three good first results: three observations, all good.
    assert!(seen.iter().all(|(mean, _)| *mean > 0.99), "{seen:?}");
    assert!(seen[0].1 < seen[1].1 && seen[1].1 < seen[2].1, "{seen:?}");
    // A fourth plain task is routine: it feeds accuracy, not adaptability.
    let accuracy_before = own(&m, HUMAN, CATEGORY, Dimension::Accuracy).unwrap().1;
    deliver(&mut m, 0, CATEGORY, 0, None);
    assert_eq!(own(&m, HUMAN, CATEGORY, Dimension::Adaptability), Some(seen[2]));
    assert!(own(&m, HUMAN, CATEGORY, Dimension::Accuracy).unwrap().1 > accuracy_before);
    // A task with a clarification is: a good result there adds good evidence.
    deliver(&mut m, 0, CATEGORY, 1, None);
    let after = own(&m, HUMAN, CATEGORY, Dimension::Adaptability).unwrap();
    assert!(after.1 > seen[2].1 && after.0 > 0.99, "{after:?}");
    // A new category starts the count again.
    deliver(&mut m, 0, "translation", 0, None);
    assert!(own(&m, HUMAN, "translation", Dimension::Adaptability).is_some_and(|(mean, _)| mean > 0.99));
}

#[test]
fn adaptability_falls_when_first_tasks_or_clarified_tasks_go_badly() {
    // A first task in a category rejected: adaptability's only observation is bad.
    let mut m = market();
    rejected(&mut m, 0, CATEGORY, 0);
    let (mean, _) = own(&m, HUMAN, CATEGORY, Dimension::Adaptability).expect("a first task feeds adaptability");
    assert!(mean < 0.01, "{mean}");
    // Past its first three tasks, a clarified task that goes badly pulls adaptability down, while
    // a plain rejected task does not touch it (accuracy takes that one).
    let mut m = market();
    for _ in 0..3 {
        deliver(&mut m, 0, CATEGORY, 0, None);
    }
    let good = own(&m, HUMAN, CATEGORY, Dimension::Adaptability).unwrap();
    let now = rejected(&mut m, 0, CATEGORY, 0);
    let after_plain = own(&m, HUMAN, CATEGORY, Dimension::Adaptability).unwrap();
    assert!((after_plain.0 - good.0).abs() < 1e-12, "{good:?} {after_plain:?}");
    rejected(&mut m, now, CATEGORY, 1);
    let after_clarified = own(&m, HUMAN, CATEGORY, Dimension::Adaptability).unwrap();
    assert!(after_clarified.0 < good.0 - 0.05, "{good:?} {after_clarified:?}");
}
