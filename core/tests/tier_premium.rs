//! Fixed-price tasks with a tier premium (issue #11): the client escrows the top tier's pay, the
//! agent that takes the task is paid the reward times its tier's multiplier (never below the
//! reward), and whatever that leaves in escrow goes back to the client.

mod support;
use gigmarket::prelude::*;
use serde_json::Value;
use support::*;

/// A market where one settled task makes an agent top rated (125 %), or expert (150 %) with
/// `expert`.
fn tiered_market(expert: bool) -> Market {
    let mut config = MarketConfig { seed: 7, ..MarketConfig::default() };
    config.reputation.tiers = [(1, 0.0), (1, 0.0), (1, 0.0), if expert { (1, 0.0) } else { (1_000, 1.0) }];
    // Volume alone: these tests are about pay by tier, not how a tier is earned (merit.rs).
    config.reputation.tier_vouching = [0.0; 4];
    market_with(config)
}

fn premium_spec(reward: Money) -> TaskSpec {
    TaskSpec { pricing: Pricing::Fixed { reward, tier_premium: true }, ..spec() }
}

/// HUMAN settles one plain task (accepted) at `now`, which lifts it a tier.
fn lift(m: &mut Market, now: Timestamp) {
    let t = post(m, now, spec());
    ok(m, now, HUMAN, claim(t));
    ok(m, now, HUMAN, submit(t, good_output(), confident()));
    ok(m, now, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
}

fn claimed(events: &[Event]) -> (Money, Option<TierPremium>) {
    events
        .iter()
        .find_map(|e| match e.kind {
            EventKind::TaskClaimed { price, premium, .. } => Some((price, premium)),
            _ => None,
        })
        .expect("a TaskClaimed event")
}

fn settlement(events: &[Event]) -> Settlement {
    events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::TaskSettled { settlement, .. } => Some(*settlement),
            _ => None,
        })
        .expect("a TaskSettled event")
}

/// Deliver and accept `task` held by `agent`; the settlement.
fn deliver(m: &mut Market, now: Timestamp, agent: Actor, task: TaskId) -> Settlement {
    ok(m, now, agent, submit(task, good_output(), confident()));
    settlement(&ok(m, now, CLIENT, Command::Review { task, decision: ReviewDecision::Accept }))
}

#[test]
fn a_top_rated_agent_is_paid_more_than_a_new_one_on_the_same_premium_task_and_the_client_gets_the_rest() {
    let mut m = tiered_market(false);
    lift(&mut m, 0);
    assert_eq!((m.tier(AgentId(2)).unwrap(), m.tier(AgentId(0)).unwrap()), (Tier::TopRated, Tier::New));
    let client_before = balance(&m, CLIENT);
    let (a, b) = (post(&mut m, 1, premium_spec(1_000)), post(&mut m, 1, premium_spec(1_000)));
    assert_eq!(m.task(a).unwrap().escrow, 1_500, "escrow covers the top tier's 150 %");
    assert_eq!(client_before - balance(&m, CLIENT), 3_000);

    let (top_price, top_premium) = claimed(&ok(&mut m, 2, HUMAN, claim(a)));
    let (new_price, new_premium) = claimed(&ok(&mut m, 2, AI, claim(b)));
    assert_eq!((top_price, new_price), (1_250, 1_000), "top rated 125 %; a newcomer's 90 % is raised to 100 %");
    let top_premium = top_premium.expect("a premium task's claim says how it priced");
    assert_eq!(top_premium, TierPremium { reward: 1_000, tier: Tier::TopRated, multiplier_bps: 12_500, price: 1_250 });
    assert_eq!(new_premium.unwrap().multiplier_bps, 10_000);
    // The task view explains the price to whoever looks at it.
    let view = m.task_view(CLIENT, a).unwrap();
    assert_eq!((view.price, view.premium), (Some(1_250), Some(top_premium)));
    assert_eq!(top_premium.to_string(), "reward 1000, premium for tier top_rated: 125%, paid 1250");

    let (human_before, ai_before) = (balance(&m, HUMAN), balance(&m, AI));
    let platform_before = balance(&m, OP);
    let top = deliver(&mut m, 3, HUMAN, a);
    let new = deliver(&mut m, 3, AI, b);
    assert_eq!((top.to_agent + top.fee, top.refund), (1_250, 250));
    assert_eq!((new.to_agent + new.fee, new.refund), (1_000, 500));
    assert!(top.to_agent > new.to_agent);
    assert_eq!(balance(&m, HUMAN) - human_before, top.to_agent);
    assert_eq!(balance(&m, AI) - ai_before, new.to_agent);
    assert_eq!(balance(&m, OP) - platform_before, top.fee + new.fee);
    // The client paid exactly the two prices: the unused escrow came back.
    assert_eq!(client_before - balance(&m, CLIENT), 1_250 + 1_000);
    assert_eq!((m.task(a).unwrap().escrow, m.task(b).unwrap().escrow), (0, 0));
    m.audit().unwrap();
}

#[test]
fn an_expert_is_paid_the_whole_escrow() {
    let mut m = tiered_market(true);
    lift(&mut m, 0);
    assert_eq!(m.tier(AgentId(2)).unwrap(), Tier::Expert);
    let t = post(&mut m, 1, premium_spec(1_001));
    assert_eq!(m.task(t).unwrap().escrow, 1_501, "1,001 x 150 %, rounded down");
    assert_eq!(claimed(&ok(&mut m, 2, HUMAN, claim(t))).0, 1_501);
    let s = deliver(&mut m, 3, HUMAN, t);
    assert_eq!((s.to_agent + s.fee, s.refund), (1_501, 0));
}

#[test]
fn cancelling_or_expiring_a_premium_task_refunds_all_of_its_escrow() {
    let mut m = market();
    let before = balance(&m, CLIENT);
    let c = post(&mut m, 0, premium_spec(1_000));
    let e = ok(&mut m, 1, CLIENT, Command::CancelTask { task: c });
    assert!(matches!(e[0].kind, EventKind::TaskCancelled { refund: 1_500, .. }), "{e:?}");
    let x = post(&mut m, 1, premium_spec(1_000));
    let e = m.tick(10 * HOUR);
    assert!(e.iter().any(|e| matches!(e.kind, EventKind::TaskExpired { task, refund: 1_500 } if task == x)), "{e:?}");
    assert_eq!(balance(&m, CLIENT), before);
    m.audit().unwrap();
}

#[test]
fn a_rejected_premium_task_refunds_the_client_in_full() {
    let mut m = tiered_market(false);
    lift(&mut m, 0);
    let before = balance(&m, CLIENT);
    let t = post(&mut m, 1, premium_spec(1_000));
    ok(&mut m, 2, HUMAN, claim(t));
    ok(&mut m, 2, HUMAN, submit(t, good_output(), confident()));
    let reject =
        ReviewDecision::Reject { failed_criteria: vec!["total-positive".into()], reason: "wrong total".into() };
    ok(&mut m, 3, CLIENT, Command::Review { task: t, decision: reject });
    let s = settlement(&m.tick(3 + 30 * 24 * HOUR));
    assert_eq!((s.to_agent, s.fee, s.refund), (0, 0, 1_500));
    assert_eq!(balance(&m, CLIENT), before);
    m.audit().unwrap();
}

#[test]
fn a_task_without_a_premium_behaves_as_before() {
    let mut m = tiered_market(false);
    lift(&mut m, 0);
    let t = post(&mut m, 1, spec());
    assert_eq!(m.task(t).unwrap().escrow, 1_000);
    let (price, premium) = claimed(&ok(&mut m, 2, HUMAN, claim(t)));
    assert_eq!((price, premium), (1_000, None), "a top-rated agent is paid the plain reward");
    let view = m.task_view(CLIENT, t).unwrap();
    assert_eq!(view.premium, None);
    let s = deliver(&mut m, 3, HUMAN, t);
    assert_eq!((s.to_agent + s.fee, s.refund), (1_000, 0));
    // Nothing new appears in the JSON of a market that never used premiums.
    let saved = m.save();
    assert!(!saved.contains("premium"), "{saved}");
}

#[test]
fn ranking_and_batches_price_each_agent_at_what_the_client_would_pay_it() {
    let mut m = tiered_market(false);
    lift(&mut m, 0);
    let t = post(&mut m, 1, premium_spec(1_200));
    let ranked = m.ranking(t, 10).unwrap();
    let price_of = |agent: u32| ranked.iter().find(|r| r.agent == AgentId(agent)).unwrap().fit.price;
    // Budget 1,800: the top-rated agent costs 1,500, a newcomer 1,200.
    assert!((price_of(2) - (1.0 - 1_500.0 / 1_800.0)).abs() < 1e-12, "{ranked:?}");
    assert!((price_of(0) - (1.0 - 1_200.0 / 1_800.0)).abs() < 1e-12, "{ranked:?}");
    // A batch placement is priced for the agent placed.
    let e = ok(&mut m, 2, OP, Command::AssignTasks { tasks: Some(vec![t]), agents: None, time_budget_ms: None });
    let (agent, price, premium) = e
        .iter()
        .find_map(|e| match e.kind {
            EventKind::TaskClaimed { agent, price, premium, .. } => Some((agent, price, premium)),
            _ => None,
        })
        .expect("placed");
    let tier = m.tier(agent).unwrap();
    assert_eq!(Some(price), premium.map(|p| p.price));
    assert_eq!(premium.unwrap().tier, tier);
    assert_eq!(price, Pricing::Fixed { reward: 1_200, tier_premium: true }.offered(tier));
}

#[test]
fn priority_window_arbitration_prices_the_winner_at_its_tier() {
    let mut m = tiered_market(false);
    lift(&mut m, 0);
    let mut s = premium_spec(1_000);
    s.priority_window = Some(PriorityWindow { tier: Tier::Rising, duration_ms: 10 * MINUTE });
    let t = post(&mut m, 1, s);
    ok(&mut m, 2, HUMAN, claim(t));
    let e = m.tick(1 + 10 * MINUTE);
    let (price, premium) = claimed(&e);
    assert_eq!((price, premium.map(|p| p.tier)), (1_250, Some(Tier::TopRated)));
}

#[test]
fn a_premium_that_would_pass_the_safe_integer_limit_is_refused() {
    let mut m = market();
    // 2^53 - 1 = 9,007,199,254,740,991; at 150 % the largest safe reward is 6,004,799,503,160,660.
    let e = refused(&mut m, 0, CLIENT, Command::PostTask { spec: premium_spec(6_004_799_503_160_662) });
    match e {
        Rejection::InvalidSpec { ref field, .. } => assert_eq!(field, "pricing.tier_premium"),
        other => panic!("{other:?}"),
    }
    assert_eq!(e.code(), "invalid_spec");
    // The largest safe reward passes validation and is refused only for want of money.
    let e = refused(&mut m, 0, CLIENT, Command::PostTask { spec: premium_spec(6_004_799_503_160_660) });
    assert_eq!(e.code(), "insufficient_funds");
    // Without a premium the same reward is only short of money too.
    let plain = TaskSpec { pricing: Pricing::Fixed { reward: 6_004_799_503_160_662, tier_premium: false }, ..spec() };
    assert_eq!(refused(&mut m, 0, CLIENT, Command::PostTask { spec: plain }).code(), "insufficient_funds");
}

/// A market with a held premium task (`HELD`, by HUMAN, top rated) and a settled one.
const HELD: TaskId = TaskId(2);
fn premium_market() -> Market {
    let mut m = tiered_market(false);
    lift(&mut m, 0);
    let done = post(&mut m, 1, premium_spec(1_000));
    ok(&mut m, 1, HUMAN, claim(done));
    deliver(&mut m, 1, HUMAN, done);
    let held = post(&mut m, 2, premium_spec(1_000));
    assert_eq!(held, HELD);
    ok(&mut m, 2, HUMAN, claim(held));
    post(&mut m, 2, premium_spec(700));
    m
}

#[test]
fn premium_tasks_round_trip_through_snapshots() {
    let m = premium_market();
    let saved = m.save();
    assert!(saved.contains(r#"{"Premium":1000}"#), "a finished premium task's record: {saved}");
    let loaded = Market::load(&saved).unwrap();
    assert_eq!(loaded.save(), saved);
    for t in 0..4 {
        let t = TaskId(t);
        assert_eq!(loaded.task_view(CLIENT, t).unwrap(), m.task_view(CLIENT, t).unwrap());
    }
    assert_eq!(loaded.task_view(CLIENT, HELD).unwrap().premium.unwrap().price, 1_250);
    // The claim event's premium survives JSON too.
    let claim = m.task(HELD).unwrap().status.work().unwrap().premium;
    assert_eq!(claim.map(|p| p.multiplier_bps), Some(12_500));
}

/// Load `m` with one value of its JSON changed; the path of the refusal.
fn refusal(m: &Market, corrupt: impl FnOnce(&mut Value)) -> String {
    let mut snapshot: Value = serde_json::from_str(&m.save()).unwrap();
    corrupt(&mut snapshot["market"]);
    match Market::load(&snapshot.to_string()) {
        Err(SnapshotError::Inconsistent { path, .. }) => path,
        Err(other) => panic!("refused as {other}"),
        Ok(_) => panic!("loaded a corrupt snapshot"),
    }
}

#[test]
fn load_refuses_premium_states_no_command_could_produce() {
    let m = premium_market();
    let held = HELD.0 as usize;
    // Escrow of the plain reward on a premium task.
    let path = refusal(&m, |s| s["tasks"][held]["escrow"] = 1_000.into());
    assert_eq!(path, format!("market.tasks[{held}].escrow"));
    // A premium multiplier that is not its tier's.
    let path = refusal(&m, |s| s["tasks"][held]["status"]["work"]["premium"]["multiplier_bps"] = 15_000.into());
    assert_eq!(path, format!("market.tasks[{held}].status.work.premium"));
    // A price that is not the premium's.
    let path = refusal(&m, |s| s["tasks"][held]["status"]["work"]["price"] = 1_500.into());
    assert_eq!(path, format!("market.tasks[{held}].status.work.price"));
    // A held premium task without its premium.
    let path = refusal(&m, |s| {
        s["tasks"][held]["status"]["work"].as_object_mut().unwrap().remove("premium");
    });
    assert_eq!(path, format!("market.tasks[{held}].status.work.premium"));
    // The premium dropped from the pricing: the pinned hash no longer matches.
    let path = refusal(&m, |s| {
        s["tasks"][held]["spec"]["pricing"].as_object_mut().unwrap().remove("tier_premium");
    });
    assert_eq!(path, format!("market.tasks[{held}].spec_hash"));
}
