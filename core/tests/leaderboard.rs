//! A category's leaderboard counts the work settled in that category (the demo's "Settled"
//! column counted every category: issue 14, bug 7).

mod support;
use gigmarket::prelude::*;
use support::*;

/// Post a task in `category`, have AI claim, deliver and get it accepted.
fn settle_one(m: &mut Market, now: Timestamp, category: &str) {
    let mut s = spec();
    s.category = category.to_owned();
    let task = post(m, now, s);
    ok(m, now + MINUTE, AI, claim(task));
    ok(m, now + 2 * MINUTE, AI, submit(task, good_output(), confident()));
    ok(m, now + 3 * MINUTE, CLIENT, Command::Review { task, decision: ReviewDecision::Accept });
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
