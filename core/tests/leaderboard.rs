//! A category's leaderboard counts the work settled in that category (the demo's "Settled"
//! column counted every category: issue 14, bug 7).

mod support;
use gigmarket::prelude::*;
use support::*;

/// Post a task in `category`, have AI claim, deliver and get it accepted.
fn settle_one(m: &mut Market, now: Timestamp, category: &str) {
    settle_rated(m, now, category, AI, None);
}

/// Post a task in `category`, have `agent` claim, deliver and get it accepted, then rated
/// `stars` for quality if given.
fn settle_rated(m: &mut Market, now: Timestamp, category: &str, agent: Actor, stars: Option<u8>) {
    let mut s = spec();
    s.category = category.to_owned();
    let task = post(m, now, s);
    ok(m, now + MINUTE, agent, claim(task));
    ok(m, now + 2 * MINUTE, agent, submit(task, good_output(), confident()));
    ok(m, now + 3 * MINUTE, CLIENT, Command::Review { task, decision: ReviewDecision::Accept });
    if let Some(quality) = stars {
        ok(m, now + 4 * MINUTE, CLIENT, Command::RateTask { task, rating: Rating { quality, timeliness: 3 } });
    }
}

/// In the autopilot's market (the seven reference agents doing the three kinds of real work),
/// each category's board lists the agents that did work in it first, so its top is that
/// category's specialist, not an agent whose record elsewhere predicts well.
#[cfg(feature = "sim")]
#[test]
fn a_category_board_puts_agents_with_work_in_it_first() {
    use gigmarket::sim::Autopilot;
    let pilot = Autopilot::default();
    let mut m = gigmarket::Market::new(gigmarket::sim::autopilot::market_config(6)).expect("valid config");
    for step in 1..=40u64 {
        pilot.step(&mut m, step * 10 * MINUTE);
    }
    let mut predictions_above_records = 0;
    for (category, specialist) in [
        ("document-verification", "auto-careful-verifier"),
        ("data-analysis", "auto-robust-analyst"),
        ("customer-outreach", "auto-segment-aware-writer"),
    ] {
        let id = m.category_id(category).expect("the autopilot posted it");
        let board = m.leaderboard(Some(id), 50).expect("board");
        let first_without = board.iter().position(|e| e.settled == 0).unwrap_or(board.len());
        assert!(board[first_without..].iter().all(|e| e.settled == 0), "{category}: {board:?}");
        assert_eq!(board[0].name, specialist, "{category}: {board:?}");
        // Scores alone would have put some of those without work above some with it.
        let lowest_record = board[..first_without].iter().map(|e| e.score.mean).fold(f64::INFINITY, f64::min);
        predictions_above_records += board[first_without..].iter().filter(|e| e.score.mean > lowest_record).count();
    }
    assert!(predictions_above_records > 0, "the test would pass on scores alone");
}

#[test]
fn a_category_board_counts_settled_work_in_its_category_only() {
    let mut m = market();
    settle_one(&mut m, 0, "invoices");
    settle_one(&mut m, HOUR, "invoices");
    settle_one(&mut m, 2 * HOUR, "translation");
    let settled = |m: &Market, category: Option<&str>| {
        let category = category.map(|c| m.category_id(c).expect("category exists"));
        let board = m.leaderboard(category, 10).expect("board");
        board.iter().find(|e| e.agent == AgentId(0)).expect("AI on the board").settled
    };
    assert_eq!(settled(&m, Some("invoices")), 2);
    assert_eq!(settled(&m, Some("translation")), 1);
    assert_eq!(settled(&m, None), 3);
}
