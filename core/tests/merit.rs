//! Merit in worlds the engine was not tuned on (issue #11): exploration decided on every route
//! is charged to a budget that is never exceeded, and trust that a ring's money cannot mint.

mod support;

use gigmarket::matching::RankedAgent;
use gigmarket::prelude::*;
use gigmarket::reputation::{ChangeCause, Dimension, FactorName};
use support::*;

/// A market with one funded client and `n` identical agents (fin-docs 5, capacity 100, rate 0).
fn crowd(n: u32, budget_bps: u16) -> Market {
    let mut config = MarketConfig { seed: 11, ..MarketConfig::default() };
    config.matching.newcomer_budget_bps = budget_bps;
    let mut m = Market::new(config).expect("valid config");
    ok(&mut m, 0, OP, Command::RegisterClient { name: "Acme".into(), owner: "acme".into() });
    ok(&mut m, 0, CLIENT, Command::Deposit { amount: 10_000_000 });
    for i in 0..n {
        ok(&mut m, 0, OP, fin_docs_agent(&format!("agent-{i}"), &format!("owner-{i}"), 5, 100, 0));
    }
    m
}

fn claimed(events: &[Event]) -> Option<(AgentId, bool)> {
    events.iter().find_map(|e| match e.kind {
        EventKind::TaskClaimed { agent, exploring, .. } => Some((agent, exploring)),
        _ => None,
    })
}

/// Exploratory assignments within the declared budget, in integers.
fn within_budget(m: &Market) -> bool {
    let f = m.fairness();
    u128::from(f.exploratory) * 10_000 <= u128::from(m.config().matching.newcomer_budget_bps) * f.assigned_total()
}

/// Post a task, rank it as its client and let the top agent claim it; returns the ranking's top
/// entry and what the claim recorded.
fn rank_and_claim(m: &mut Market, now: Timestamp) -> (TaskId, RankedAgent, bool) {
    let t = post(m, now, spec());
    let e = ok(m, now, CLIENT, Command::RankAgents { task: t, k: 5 });
    let EventKind::AgentsRanked { ranked, .. } = &e[0].kind else { panic!("expected AgentsRanked") };
    let top = ranked[0];
    let e = ok(m, now, Actor::Agent { id: top.agent }, claim(t));
    let (agent, exploring) = claimed(&e).expect("claimed");
    assert_eq!(agent, top.agent);
    (t, top, exploring)
}

/// Deliver and settle a claimed task, rated `stars`.
fn deliver(m: &mut Market, now: Timestamp, t: TaskId, agent: AgentId, stars: u8) {
    ok(m, now, Actor::Agent { id: agent }, submit(t, good_output(), confident()));
    ok(m, now, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    let rating = Rating { quality: stars, timeliness: 4 };
    ok(m, now, CLIENT, Command::RateTask { task: t, rating });
}

/// Rank-then-claim for 200 tasks among 12 identical agents; the agents that got work.
fn rank_and_claim_run(budget_bps: u16) -> (Market, usize) {
    let mut m = crowd(12, budget_bps);
    let (mut flagged, mut charged) = (0, 0);
    for i in 0..200u64 {
        let now = i * MINUTE;
        let (t, top, exploring) = rank_and_claim(&mut m, now);
        // The claim is charged exactly when the ranking said exploration put its agent on top.
        assert_eq!(exploring, top.exploratory, "task {t}: ranking flag and claim disagree");
        assert!(!top.exploratory || top.fit.exploration > 0.0, "a flag without a bonus");
        flagged += u32::from(top.exploratory);
        charged += u32::from(exploring);
        assert!(within_budget(&m), "after task {t}: {:?}", m.fairness());
        deliver(&mut m, now, t, top.agent, 4);
    }
    assert_eq!(u64::from(charged), m.fairness().exploratory);
    assert_eq!(budget_bps == 0, flagged == 0, "exploration decided {flagged} rankings on a budget of {budget_bps}");
    let worked = (0..12).filter(|a| m.reputation().agent(AgentId(*a)).unwrap().settled > 0).count();
    (m, worked)
}

#[test]
fn a_claim_after_an_exploratory_ranking_is_charged_and_the_budget_is_never_exceeded() {
    // No budget: the first agent on records keeps every task.
    let (_, worked) = rank_and_claim_run(0);
    assert_eq!(worked, 1);
    // A 15 % budget: exploration spreads work over most of the crowd, and is reported.
    let (m, worked) = rank_and_claim_run(1_500);
    assert!(worked >= 9, "only {worked} of 12 agents got work");
    let report = m.fairness_report();
    assert!(report.newcomer_budget_spent_bps > 0 && report.newcomer_budget_spent_bps <= 1_500, "{report:?}");
}

#[test]
fn a_hold_is_released_when_someone_else_claims_and_is_not_charged() {
    let mut m = crowd(6, 5_000);
    // Agent 0 earns a record on work the operator places with it; the others are unknown, so a
    // ranking that puts one of them above agent 0 does so by exploration.
    for i in 0..20u64 {
        let t = post(&mut m, i, spec());
        assign(&mut m, i, t, AgentId(0));
        deliver(&mut m, i, t, AgentId(0), 5);
    }
    let now = HOUR;
    let mut found = None;
    for _ in 0..50 {
        let t = post(&mut m, now, spec());
        let e = ok(&mut m, now, CLIENT, Command::RankAgents { task: t, k: 6 });
        let EventKind::AgentsRanked { ranked, .. } = &e[0].kind else { panic!() };
        if ranked[0].exploratory {
            found = Some((t, ranked[0].agent, ranked.iter().find(|r| !r.exploratory).map(|r| r.agent).unwrap()));
            break;
        }
        ok(&mut m, now, CLIENT, Command::CancelTask { task: t });
    }
    let (t, explorer, other) = found.expect("an exploratory top entry within 50 rankings");
    assert_eq!(m.fairness().exploration_hold(t), Some(explorer));
    let before = m.fairness().exploratory;
    let e = ok(&mut m, now, Actor::Agent { id: other }, claim(t));
    assert_eq!(claimed(&e), Some((other, false)), "another agent's claim is not exploration");
    assert_eq!(m.fairness().exploratory, before);
    assert_eq!(m.fairness().exploration_hold(t), None, "the hold is released with the task");
    // The snapshot carries holds and loads them back.
    let again = Market::load(&m.save()).expect("loads");
    assert_eq!(again.fairness(), m.fairness());
}

#[test]
fn a_thin_record_keeps_being_explored_after_an_unlucky_first_task() {
    let mut m = crowd(8, 2_000);
    let mut unlucky = None;
    for i in 0..300u64 {
        let now = i * MINUTE;
        let (t, top, _) = rank_and_claim(&mut m, now);
        // The first agent exploration tries gets one bad rating.
        let stars = if unlucky.is_none() && top.exploratory {
            unlucky = Some(top.agent);
            1
        } else {
            4
        };
        deliver(&mut m, now, t, top.agent, stars);
    }
    let unlucky = unlucky.expect("exploration tried someone");
    let settled = m.reputation().agent(unlucky).unwrap().settled;
    assert!(settled >= 3, "one unlucky task ended {unlucky}'s career: {settled} tasks in 300");
}

#[test]
fn uncertainty_falls_with_evidence_and_stops_for_a_thick_record() {
    use gigmarket::matching::uncertainty;
    assert_eq!(uncertainty(0.0, 1.0), 1.0);
    assert!(uncertainty(1.0, 1.0) > 0.7 && uncertainty(1.0, 1.0) < 0.71);
    assert!(uncertainty(3.0, 1.0) < uncertainty(1.0, 1.0));
    assert_eq!(uncertainty(16.0, 1.0), 0.0);
}

// ----- trust: weightless accounts, rings, shells -----

/// Register a client with `deposit` and return it as an actor.
fn client(m: &mut Market, name: &str, deposit: Money) -> Actor {
    let e = ok(m, m.now(), OP, Command::RegisterClient { name: name.into(), owner: name.into() });
    let EventKind::ClientRegistered { client, .. } = e[0].kind else { panic!("expected ClientRegistered") };
    let actor = Actor::Client { id: client };
    if deposit > 0 {
        ok(m, m.now(), actor, Command::Deposit { amount: deposit });
    }
    actor
}

/// `by` posts a task at `reward` (no skills needed), `agent` claims and delivers, `by` accepts
/// and rates it `stars`.
fn job(m: &mut Market, now: Timestamp, by: Actor, agent: AgentId, reward: Money, stars: u8) {
    let t = paid_job(m, now, by, agent, reward);
    ok(m, now, by, Command::RateTask { task: t, rating: Rating { quality: stars, timeliness: 5 } });
}

/// [`job`] without the rating: the settled task.
fn paid_job(m: &mut Market, now: Timestamp, by: Actor, agent: AgentId, reward: Money) -> TaskId {
    let mut s = spec();
    s.required_skills.clear();
    s.pricing = Pricing::Fixed { reward, tier_premium: false };
    let e = ok(m, now, by, Command::PostTask { spec: s });
    let t = e.iter().find_map(|e| if let EventKind::TaskPosted { task, .. } = e.kind { Some(task) } else { None });
    let t = t.expect("posted");
    assign(m, now, t, agent);
    ok(m, now, Actor::Agent { id: agent }, submit(t, good_output(), confident()));
    ok(m, now, by, Command::Review { task: t, decision: ReviewDecision::Accept });
    t
}

#[test]
fn every_client_past_full_weight_spend_rates_alike_and_a_five_dollar_account_barely_counts() {
    let mut m = crowd(4, 500);
    let (modest, big, tiny) =
        (client(&mut m, "modest", 100_000), client(&mut m, "big", 1_000_000), client(&mut m, "tiny", 1_000));
    // Spend that establishes them: $60 and $600 (past the $50 of `full_weight_spend`), and $5.
    paid_job(&mut m, 0, modest, AgentId(3), 6_000);
    paid_job(&mut m, 0, big, AgentId(3), 60_000);
    paid_job(&mut m, 0, tiny, AgentId(3), 500);
    let config = m.config().reputation.clone();
    let standing = |m: &Market, c: Actor| {
        let Actor::Client { id } = c else { unreachable!() };
        let r = m.reputation().client(id).expect("registered");
        (r.establishment(&config), r.weight_as_rater(&config))
    };
    let ((modest_est, modest_w), (big_est, big_w), (tiny_est, tiny_w)) =
        (standing(&m, modest), standing(&m, big), standing(&m, tiny));
    assert!(big_est > 2.0 * modest_est, "establishment {big_est} against {modest_est}: the spend differs");
    assert_eq!((modest_w, big_w), (1.0, 1.0), "both past the full-weight spend");
    assert!(tiny_est < 0.01 && tiny_w < 0.02 && tiny_w > 0.0, "a $5 account: {tiny_est}, weight {tiny_w}");
    // So the same rating from either moves an agent by the same weight.
    job(&mut m, MINUTE, modest, AgentId(0), 1_000, 2);
    job(&mut m, MINUTE, big, AgentId(1), 1_000, 2);
    let category = m.task(TaskId(0)).expect("task 0").category;
    let weight = |a: u32| {
        let explained = m.explain_score(AgentId(a), category).expect("registered");
        let rated =
            explained.changes.iter().rev().find(|c| matches!(c.cause, ChangeCause::Rated { .. })).expect("rated");
        rated.factors.iter().find(|f| f.name == FactorName::Weight).expect("weight").value
    };
    assert!(weight(0) > 0.5, "a rating from a client past the full-weight spend: {}", weight(0));
    assert_eq!(weight(0), weight(1), "the same rating from a bigger spender weighs the same");
}

#[test]
fn ratings_from_a_weightless_account_do_not_move_the_market_mean() {
    let mut m = crowd(3, 500);
    let honest = client(&mut m, "honest", 5_000_000);
    // An established honest client rates a few tasks 3 stars: the market's mean is theirs.
    for i in 0..5u64 {
        job(&mut m, i, honest, AgentId(0), 20_000, 3);
    }
    let mean = m.reputation().market_rating_mean();
    assert!((mean - 0.5).abs() < 1e-9, "mean {mean}");
    // A 1-cent account gives 300 five-star ratings: the mean does not move.
    let penny = client(&mut m, "penny", 100_000);
    for i in 0..300u64 {
        job(&mut m, 10 + i, penny, AgentId(1), 1, 5);
    }
    let after = m.reputation().market_rating_mean();
    assert!((after - 0.5).abs() < 0.01, "300 weightless ratings moved the mean from {mean} to {after}");
}

#[test]
fn paying_more_ring_agents_does_not_make_a_five_dollar_account_established() {
    let mut m = crowd(10, 500);
    let ring = client(&mut m, "ring", 100_000);
    for a in 0..10 {
        job(&mut m, u64::from(a), ring, AgentId(a), 500, 5);
    }
    let Actor::Client { id } = ring else { unreachable!() };
    let standing = m.client_standing(id).unwrap();
    // $5 to each of ten agents counts like about $15 (5 x the harmonic number of 10), not $50.
    let establishment = m.reputation().client(id).unwrap().establishment(&m.config().reputation);
    assert!(establishment < 0.03, "establishment {establishment} ({standing:?})");
}

#[test]
fn a_shell_client_paying_its_own_socks_cannot_buy_them_a_tier() {
    let mut m = crowd(10, 500);
    let shell = client(&mut m, "shell", 5_000_000);
    let mut now = 0;
    // One large task each, then 50 tiny ones each, all five stars.
    for a in 0..10 {
        job(&mut m, now, shell, AgentId(a), 100_000, 5);
        now += 1;
    }
    for _ in 0..50 {
        for a in 0..10 {
            job(&mut m, now, shell, AgentId(a), 100, 5);
            now += 1;
        }
    }
    for a in 0..10 {
        let tier = m.tier(AgentId(a)).unwrap();
        assert!(tier < Tier::Established, "sock {a} reached {tier:?} from one client's money");
        assert_eq!(m.reputation().agent(AgentId(a)).unwrap().settled, 51);
    }
}

#[test]
fn exploration_serves_the_longest_waiting_unknowns_first_and_a_new_identity_waits_its_turn() {
    let mut m = crowd(4, 10_000);
    // Agent 0 does twenty tasks the operator places with it; agents 1-3 wait through them.
    for i in 0..20u64 {
        let t = post(&mut m, i, spec());
        assign(&mut m, i, t, AgentId(0));
        deliver(&mut m, i, t, AgentId(0), 4);
    }
    // A new identity registers now: it has waited through nothing.
    ok(&mut m, 30, OP, fin_docs_agent("fresh", "fresh", 5, 100, 0));
    assert_eq!(m.fairness().waited(AgentId(4)), 0);
    assert_eq!(m.fairness().waited(AgentId(1)), 20);
    let t = post(&mut m, 31, spec());
    let e = ok(&mut m, 31, CLIENT, Command::RankAgents { task: t, k: 5 });
    let EventKind::AgentsRanked { ranked, .. } = &e[0].kind else { panic!("expected AgentsRanked") };
    let bonus = |a: u32| ranked.iter().find(|r| r.agent == AgentId(a)).expect("ranked").fit.exploration;
    assert_eq!(bonus(4), 0.0, "a brand-new identity jumped the queue");
    for waiting in 1..=3 {
        assert!(bonus(waiting) > 0.0, "agent {waiting} waited 20 assignments and got no bonus");
    }
    assert!(ranked[0].agent != AgentId(4), "{ranked:?}");
    // Once it has waited a turn (as many assignments as agents), it is explored like the rest.
    for i in 0..5u64 {
        let t = post(&mut m, 40 + i, spec());
        assign(&mut m, 40 + i, t, AgentId(0));
        deliver(&mut m, 40 + i, t, AgentId(0), 4);
    }
    let t = post(&mut m, 50, spec());
    let e = ok(&mut m, 50, CLIENT, Command::RankAgents { task: t, k: 5 });
    let EventKind::AgentsRanked { ranked, .. } = &e[0].kind else { panic!("expected AgentsRanked") };
    let fresh = ranked.iter().find(|r| r.agent == AgentId(4)).expect("ranked");
    assert!(fresh.fit.exploration > 0.0, "after a turn of waiting: {fresh:?}");
}

#[test]
fn an_untried_agent_is_expected_to_do_what_newcomers_did_not_what_the_incumbent_does() {
    let mut m = crowd(8, 500);
    // An incumbent does most of the category's work for twelve established clients, rated 5
    // stars; four newcomers' first tasks were rated 2 stars.
    let clients: Vec<Actor> = (0..12).map(|i| client(&mut m, &format!("client-{i}"), 1_000_000)).collect();
    for (i, c) in clients.iter().enumerate() {
        for j in 0..3u64 {
            job(&mut m, 10 * i as u64 + j, *c, AgentId(0), 20_000, 5);
        }
    }
    for a in 1..5u32 {
        job(&mut m, 200 + u64::from(a), clients[a as usize], AgentId(a), 20_000, 2);
    }
    let big = clients[0];
    let rep = m.reputation();
    let category = m.task(TaskId(0)).expect("task 0").category;
    let all_work = rep.category(category).expect("stats").mean(Dimension::Quality);
    let newcomers = rep.newcomer_means(category)[Dimension::Quality as usize];
    assert!(newcomers < all_work - 0.2, "newcomers {newcomers} against all work {all_work}");
    // An untried agent's prior is what newcomers delivered, not what the incumbent does.
    let untried = m.explain_score(AgentId(7), category).expect("agent 7");
    let prior = untried.dimensions[Dimension::Quality as usize].prior_mean;
    assert!((prior - newcomers).abs() < 1e-9, "prior {prior}, newcomers {newcomers}");
    let score = |m: &Market, a: u32| m.score(AgentId(a), category).expect("registered").mean;
    assert!(score(&m, 7) < score(&m, 0) - 0.2, "untried {}, incumbent {}", score(&m, 7), score(&m, 0));

    // So a thin record ranks by what its one rating said rather than by how little it weighed:
    // 3 stars from a small new client, against 4 stars from the established one. With the prior
    // at all work's mean (about 5 stars here) the nearly weightless 3 stars would keep their
    // agent near it, above the 4 stars that moved theirs down.
    let small = client(&mut m, "small", 100_000);
    job(&mut m, 300, small, AgentId(5), 2_000, 3);
    job(&mut m, 301, big, AgentId(6), 20_000, 4);
    let (three, four) = (score(&m, 5), score(&m, 6));
    assert!(four > three, "4 stars scored {four}, 3 stars {three}");
}
