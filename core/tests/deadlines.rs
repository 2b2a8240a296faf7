//! `apply(now, ..)` acts on every deadline at or before `now` before it decides the command, so
//! no outcome depends on whether the host ticked first. Each scenario runs twice, on a market
//! that ticks before the command and on one that does not, and both must agree.

mod support;
use gigmarket::prelude::*;
use support::*;

/// Run `command` at `now` on a market that ticked first and on one that did not. Both must give
/// the same outcome (events, or the same refusal) and, once the lazy one ticks too, the same
/// snapshot. Returns the ticking market's result and the lazy market's events.
fn both_ways(m: &Market, now: Timestamp, actor: Actor, command: Command) -> (Result<Vec<Event>, Rejection>, Market) {
    let mut ticked = m.clone();
    let mut lazy = m.clone();
    let mut ticked_events = ticked.tick(now);
    let ticked_result = ticked.apply(now, actor, command.clone());
    let lazy_before = lazy.save();
    let lazy_result = lazy.apply(now, actor, command);
    match (&ticked_result, &lazy_result) {
        (Ok(events), Ok(lazy_events)) => {
            // The lazy market reports the deadlines' events first, then the command's.
            ticked_events.extend(events.iter().cloned());
            assert_eq!(&ticked_events, lazy_events);
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            assert_eq!(lazy_before, lazy.save(), "a refusal changed the market that did not tick");
        }
        (a, b) => panic!("ticking first changed the outcome: {a:?} against {b:?}"),
    }
    lazy.tick(now);
    assert_eq!(ticked.save(), lazy.save());
    lazy.audit().unwrap();
    (ticked_result, lazy)
}

#[test]
fn a_return_after_the_lease_ran_out_is_an_abandonment_even_before_the_tick() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    let late = HOUR + MINUTE;
    let (result, lazy) = both_ways(&m, late, AI, Command::ReturnTask { task: t });
    assert_eq!(result.unwrap_err().code(), "not_authorized");
    // The lease had run out: the agent was charged an abandonment, not let off with a return.
    let abandoned = lazy.reputation().agent(AgentId(0)).unwrap().abandoned;
    assert_eq!(abandoned, 1);
    assert_eq!(state(&lazy, t), "Open");
}

#[test]
fn a_resolution_after_the_default_cannot_override_it() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    ok(&mut m, MINUTE, AI, submit(t, good_output(), confident()));
    let reject = ReviewDecision::Reject { failed_criteria: vec!["currency-iso".into()], reason: "GBP".into() };
    ok(&mut m, 2 * MINUTE, CLIENT, Command::Review { task: t, decision: reject });
    ok(&mut m, 3 * MINUTE, AI, Command::OpenDispute { task: t, reason: "EUR is right".into() });
    let after = 3 * MINUTE + m.config().dispute_resolution_ms;
    let refund = Command::ResolveDispute { task: t, resolution: Resolution::RefundClient };
    let (result, lazy) = both_ways(&m, after, OP, refund);
    assert_eq!(result.unwrap_err().code(), "invalid_state");
    // The silent operator's default stands: the verified agent is paid.
    assert_eq!(balance(&lazy, AI), 900);
}

#[test]
fn bids_are_binding_once_bidding_closes() {
    let mut m = market();
    let spec = TaskSpec {
        pricing: Pricing::Bids { ceiling: 2_000, award: AwardPolicy::Client, bidding_closes_at: HOUR },
        ..spec()
    };
    let t = post(&mut m, 0, spec);
    ok(&mut m, 1, AI, Command::PlaceBid { task: t, price: 1_500, eta_ms: MINUTE });
    let (result, _) = both_ways(&m, HOUR, AI, Command::WithdrawBid { task: t });
    assert_eq!(result.unwrap_err().code(), "deadline_passed");
    // The client still awards among the bids as they stood at the close.
    let (result, _) = both_ways(&m, HOUR, CLIENT, Command::AwardBid { task: t, agent: AgentId(0) });
    assert_eq!(kinds(&result.unwrap()), ["TaskClaimed"]);
}

#[test]
fn an_award_after_an_automatic_close_finds_the_task_already_awarded() {
    let mut m = market();
    let spec = TaskSpec {
        pricing: Pricing::Bids { ceiling: 2_000, award: AwardPolicy::BestPrice, bidding_closes_at: HOUR },
        ..spec()
    };
    let t = post(&mut m, 0, spec);
    ok(&mut m, 1, AI, Command::PlaceBid { task: t, price: 1_500, eta_ms: MINUTE });
    ok(&mut m, 2, HUMAN, Command::PlaceBid { task: t, price: 1_200, eta_ms: MINUTE });
    let (result, lazy) = both_ways(&m, HOUR, CLIENT, Command::AwardBid { task: t, agent: AgentId(0) });
    assert_eq!(result.unwrap_err().code(), "invalid_state");
    assert_eq!(lazy.task(t).unwrap().holder(), Some(AgentId(2)), "the best price won at the close");
}

#[test]
fn an_accepted_command_reports_the_deadlines_it_acted_on_first() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    let (result, _) = both_ways(&m, HOUR, CLIENT, Command::Deposit { amount: 5 });
    assert_eq!(kinds(&result.unwrap()), ["FundsDeposited"]);
    let mut lazy = m.clone();
    let events = lazy.apply(HOUR, CLIENT, Command::Deposit { amount: 5 }).unwrap();
    assert_eq!(kinds(&events), ["TaskAbandoned", "FundsDeposited"]);
    // The log the host keeps replays to the same market.
    let mut log = Vec::new();
    let mut live = market();
    log.extend(live.apply(0, CLIENT, Command::PostTask { spec: spec() }).unwrap());
    log.extend(live.apply(0, AI, claim(t)).unwrap());
    log.extend(live.apply(HOUR, CLIENT, Command::Deposit { amount: 5 }).unwrap());
    let mut replayed = market();
    for e in &log {
        replayed.evolve(e);
    }
    assert_eq!(replayed.save(), live.save());
}

#[test]
fn a_repeated_request_still_acts_on_due_deadlines() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    m.apply_request(1, CLIENT, "r1", Command::Deposit { amount: 5 }).unwrap();
    let events = m.apply_request(HOUR, CLIENT, "r1", Command::Deposit { amount: 5 }).unwrap();
    assert_eq!(kinds(&events), ["TaskAbandoned"], "the repeat is a no-op, the lapsed lease is not");
    assert_eq!(balance(&m, CLIENT), 99_005);
}
