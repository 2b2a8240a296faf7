//! Arithmetic that cannot wrap (issue #12): commands that would take money past 2^53 - 1 are
//! refused, and counters at their maximum (only reachable through a doctored snapshot) saturate
//! instead of panicking in debug builds or wrapping in release ones.

mod support;
use gigmarket::ids::MAX_SAFE;
use gigmarket::prelude::*;
use serde_json::Value;
use support::*;

#[test]
fn deposits_cannot_take_the_market_total_past_max_safe() {
    let mut m = market();
    // The fixture deposited 2 x 100_000; this brings the total to exactly 2^53 - 1.
    ok(&mut m, 0, CLIENT, Command::Deposit { amount: MAX_SAFE - 200_000 });
    assert_eq!(m.deposited(), MAX_SAFE);
    let all = balance(&m, CLIENT);
    ok(&mut m, 0, CLIENT, Command::Withdraw { amount: all });
    // The balance is back to 0, but the market's running total of deposits would pass 2^53 - 1,
    // which JavaScript cannot represent exactly.
    let err = refused(&mut m, 0, CLIENT, Command::Deposit { amount: 1 });
    assert_eq!(err.code(), "out_of_range", "{err}");
    assert_eq!(m.deposited(), MAX_SAFE);
}

#[test]
fn no_balance_passes_max_safe_when_two_clients_fund_one_agent() {
    let mut m = market();
    let top_up = MAX_SAFE - 200_000;
    ok(&mut m, 0, CLIENT, Command::Deposit { amount: top_up });
    // Before the fix the second client could fund a second 2^53 - 1, and one agent paid by both
    // ended with a balance JavaScript cannot represent.
    let second = m.apply(0, OTHER_CLIENT, Command::Deposit { amount: top_up });
    assert!(second.is_err(), "the market's deposits passed 2^53 - 1");
    let reward = (MAX_SAFE / 2) & !1;
    for (i, client) in [CLIENT, OTHER_CLIENT].into_iter().enumerate() {
        let spec = TaskSpec { pricing: Pricing::Fixed { reward, tier_premium: false }, ..spec() };
        let Ok(events) = m.apply(0, client, Command::PostTask { spec }) else { continue };
        let task = match events[0].kind {
            EventKind::TaskPosted { task, .. } => task,
            ref other => panic!("expected TaskPosted, got {}", other.name()),
        };
        let now = i as u64 * MINUTE;
        ok(&mut m, now, HUMAN, claim(task));
        ok(&mut m, now, HUMAN, submit(task, good_output(), confident()));
        let Actor::Client { .. } = client else { unreachable!() };
        ok(&mut m, now, client, Command::Review { task, decision: ReviewDecision::Accept });
    }
    m.audit().unwrap();
    for (who, money) in [("agent", balance(&m, HUMAN)), ("platform", m.platform_balance()), ("deposits", m.deposited())]
    {
        assert!(money <= MAX_SAFE, "{who} holds {money} > 2^53 - 1");
    }
}

/// Set every object member named `key` (at any depth) to `to`.
fn set_all(v: &mut Value, key: &str, to: &Value) -> usize {
    match v {
        Value::Object(map) => {
            let mut n = 0;
            for (k, child) in map.iter_mut() {
                if k == key && !child.is_object() && (to.is_array() || !child.is_array()) {
                    *child = to.clone();
                    n += 1;
                } else {
                    n += set_all(child, key, to);
                }
            }
            n
        }
        Value::Array(items) => items.iter_mut().map(|c| set_all(c, key, to)).sum(),
        _ => 0,
    }
}

/// A market whose one task is under review, then doctored: `edits` set fields by name.
fn doctored(edits: &[(&str, Value)]) -> Option<Market> {
    let mut m = market();
    let task = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(task));
    let mut v: Value = serde_json::from_str(&m.save()).unwrap();
    for (key, to) in edits {
        assert!(set_all(&mut v, key, to) > 0, "the snapshot has no {key}");
    }
    // Another helper is making `load` validate more; a refusal is a correct outcome too.
    Market::load(&v.to_string()).ok()
}

#[test]
fn counters_at_their_maximum_saturate_instead_of_wrapping() {
    let max32 = Value::from(u32::MAX);
    let edits = [("verification_attempts", max32.clone()), ("exposure_by_tenure", Value::from(vec![u64::MAX; 2]))];
    let Some(mut m) = doctored(&edits) else { return };
    // Each step below adds one to a counter already at its maximum: a debug build panicked, a
    // release build wrapped the count to 0.
    ok(&mut m, MINUTE, AI, submit(T0, good_output(), confident()));
    ok(&mut m, MINUTE, CLIENT, Command::RankAgents { task: T0, k: 3 });
    ok(&mut m, MINUTE, CLIENT, Command::Review { task: T0, decision: ReviewDecision::Accept });
    assert_eq!(m.fairness().exposure_by_tenure[0], u64::MAX);
    let report = m.fairness_report();
    assert!(report.newcomer_budget_spent_bps <= 10_000);
}

#[test]
fn reputation_counters_at_their_maximum_saturate() {
    let max32 = Value::from(u32::MAX);
    let Some(mut m) = doctored(&[("settled", max32.clone()), ("ratings_given", max32.clone())]) else { return };
    ok(&mut m, MINUTE, AI, submit(T0, good_output(), confident()));
    ok(&mut m, MINUTE, CLIENT, Command::Review { task: T0, decision: ReviewDecision::Accept });
    let rating = Rating { quality: 5, timeliness: 5 };
    ok(&mut m, MINUTE, CLIENT, Command::RateTask { task: T0, rating });
    let ai = AgentId(0);
    assert_eq!(m.reputation().agent(ai).map(|r| r.settled), Some(u32::MAX));
}

#[test]
fn a_pinned_fee_above_100_percent_cannot_underflow_the_payout() {
    let Some(mut m) = doctored(&[("fee_bps", Value::from(u16::MAX))]) else { return };
    ok(&mut m, MINUTE, AI, submit(T0, good_output(), confident()));
    // The settlement pays `gross - fee`: with the fee unbounded that underflowed (a panic in debug,
    // a huge payout in release). The fee is now capped at the gross, so money stays conserved.
    ok(&mut m, MINUTE, CLIENT, Command::Review { task: T0, decision: ReviewDecision::Accept });
    assert_eq!(balance(&m, AI), 0, "the whole price went to the fee");
}
