//! Regression tests for the command-level attacks an independent suite found (issue #12, part 4):
//! each failed (or panicked) on the engine before the fix.

mod support;

use gigmarket::prelude::*;
use support::*;

fn agent_id(actor: Actor) -> AgentId {
    match actor {
        Actor::Agent { id } => id,
        other => panic!("{other} is not an agent"),
    }
}

/// Register an agent with fin-docs at `level` and return it as an actor.
fn register(m: &mut Market, name: &str, owner: &str, level: u8) -> Actor {
    let e = ok(m, m.now(), OP, fin_docs_agent(name, owner, level, 1, 0));
    match e[0].kind {
        EventKind::AgentRegistered { agent, .. } => Actor::Agent { id: agent },
        ref other => panic!("expected AgentRegistered, got {}", other.name()),
    }
}

fn route_of(events: &[Event]) -> ReviewRoute {
    match events.last().map(|e| &e.kind) {
        Some(EventKind::VerificationPassed { route, .. }) => *route,
        other => panic!("expected VerificationPassed, got {other:?}"),
    }
}

fn low_confidence() -> SelfCheck {
    SelfCheck { confidence_bps: 8_999, ..confident() }
}

/// A spec whose work goes to a human reviewer below 90 % confidence.
fn human_review_spec() -> TaskSpec {
    let mut s = spec();
    s.review.human_review_below_confidence_bps = Some(9_000);
    s
}

// ----- 1. duplicate ids in a batch -----

#[test]
fn a_batch_naming_a_task_or_an_agent_twice_is_refused() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    let twice = Command::AssignTasks { tasks: Some(vec![t, t]), agents: None, time_budget_ms: None };
    let err = refused(&mut m, 1, OP, twice);
    assert_eq!(err, Rejection::DuplicateItem { what: "tasks".into(), item: t.to_string() });
    let twice = Command::AssignTasks {
        tasks: None,
        agents: Some(vec![AgentId(2), AgentId(0), AgentId(2)]),
        time_budget_ms: None,
    };
    assert_eq!(refused(&mut m, 1, OP, twice).code(), "duplicate_item");
    // Each once: one claim for the one task.
    let e = ok(&mut m, 1, OP, Command::AssignTasks { tasks: Some(vec![t]), agents: None, time_budget_ms: None });
    assert_eq!(kinds(&e), ["BatchAssigned", "TaskClaimed"]);
}

// ----- 2. owners compared by key -----

#[test]
fn spelling_an_owner_differently_does_not_escape_the_conflict_gate() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    let spellings = ["Acme", "acme ", "ACME", "acme\u{200B}", "\u{FEFF}a\u{200D}cme", "ａｃｍｅ", "acme\u{2060}"];
    let mut spelled = Vec::new();
    for (i, owner) in spellings.iter().enumerate() {
        spelled.push(register(&mut m, &format!("insider-{i}"), owner, 5));
    }
    for (actor, owner) in spelled.iter().zip(spellings) {
        let err = refused(&mut m, 1, *actor, claim(t));
        let Rejection::NotEligible { reasons, .. } = &err else { panic!("{owner:?}: {err}") };
        assert!(reasons.iter().any(|r| r.contains("conflict of interest")), "{owner:?}: {reasons:?}");
        assert!(!m.eligibility(t, agent_id(*actor)).unwrap().is_empty(), "{owner:?}");
    }
    let ranked: Vec<AgentId> = m.ranking(t, 50).unwrap().iter().map(|r| r.agent).collect();
    assert!(spelled.iter().all(|a| !ranked.contains(&agent_id(*a))), "ranked a conflicted agent: {ranked:?}");
    assert!(ranked.contains(&AgentId(2)), "the independent expert is still ranked: {ranked:?}");
    // A batch does not place them either.
    let e = ok(
        &mut m,
        1,
        OP,
        Command::AssignTasks {
            tasks: Some(vec![t]),
            agents: Some(spelled.iter().map(|a| agent_id(*a)).collect()),
            time_budget_ms: None,
        },
    );
    assert_eq!(kinds(&e), ["BatchAssigned"]);
}

#[test]
fn a_reviewer_spelled_like_the_agents_owner_is_conflicted() {
    let mut m = market();
    ok(&mut m, 0, OP, Command::RegisterReviewer { name: "bot-checker".into(), owner: " BOTS\u{200C}".into() });
    let t = post(&mut m, 0, human_review_spec());
    ok(&mut m, 1, AI, claim(t));
    assert_eq!(
        route_of(&ok(&mut m, 2, AI, submit(t, good_output(), low_confidence()))),
        ReviewRoute::HumanLowConfidence
    );
    let insider = Actor::Reviewer { id: ReviewerId(1) };
    let err = refused(&mut m, 3, insider, Command::Review { task: t, decision: ReviewDecision::Accept });
    assert_eq!(err.code(), "conflict_of_interest", "{err}");
    ok(&mut m, 3, REVIEWER, Command::Review { task: t, decision: ReviewDecision::Accept });
}

#[test]
fn an_owner_with_nothing_visible_is_refused() {
    let mut m = market();
    for owner in ["\u{200B}", "\u{FEFF}\u{200D}", " \u{2060} "] {
        let agent = Command::RegisterAgent {
            name: "ghost".into(),
            kind: AgentKind::Ai,
            owner: owner.into(),
            skills: vec![],
            capacity: 1,
            min_rate: 0,
        };
        assert_eq!(refused(&mut m, 0, OP, agent).code(), "out_of_range", "{owner:?}");
        let client = Command::RegisterClient { name: "ghost".into(), owner: owner.into() };
        assert_eq!(refused(&mut m, 0, OP, client).code(), "out_of_range", "{owner:?}");
        let reviewer = Command::RegisterReviewer { name: "ghost".into(), owner: owner.into() };
        assert_eq!(refused(&mut m, 0, OP, reviewer).code(), "out_of_range", "{owner:?}");
    }
}

#[test]
fn owner_keys_survive_a_snapshot() {
    let mut m = market();
    let insider = register(&mut m, "insider-2", "ACME\u{200B}", 5);
    let t = post(&mut m, 0, spec());
    let mut loaded = Market::load(&m.save()).unwrap();
    assert_eq!(refused(&mut loaded, 1, insider, claim(t)).code(), "not_eligible");
    assert_eq!(loaded, m);
}

// ----- 3. review when every reviewer is conflicted -----

#[test]
fn when_every_reviewer_is_conflicted_the_client_reviews() {
    let mut m = market();
    // The only reviewer works for the same organisation as this agent.
    let shill = register(&mut m, "shill", "reviews-co", 5);
    let t = post(&mut m, 0, human_review_spec());
    ok(&mut m, 1, shill, claim(t));
    // Confidence just under the human-review floor used to route to a reviewer who may not
    // review, so nobody could, and the review window accepted it by silence.
    let e = ok(&mut m, 2, shill, submit(t, good_output(), low_confidence()));
    assert_eq!(route_of(&e), ReviewRoute::Client);
    assert_eq!(
        refused(&mut m, 3, REVIEWER, Command::Review { task: t, decision: ReviewDecision::Accept }).code(),
        "not_authorized"
    );
    let reject =
        ReviewDecision::Reject { failed_criteria: vec!["total-positive".into()], reason: "wrong total".into() };
    let e = ok(&mut m, 3, CLIENT, Command::Review { task: t, decision: reject });
    assert_eq!(kinds(&e), ["WorkRejected"]);
    assert_eq!(state(&m, t), "Rejected");

    // With one independent reviewer registered, the work goes to a human as the policy says.
    ok(&mut m, 3, OP, Command::RegisterReviewer { name: "indie".into(), owner: "independent".into() });
    let t2 = post(&mut m, 3, human_review_spec());
    ok(&mut m, 4, AI, claim(t2));
    assert_eq!(
        route_of(&ok(&mut m, 5, AI, submit(t2, good_output(), low_confidence()))),
        ReviewRoute::HumanLowConfidence
    );
}

#[test]
fn when_the_client_is_conflicted_too_the_operator_reviews() {
    // Only parties of one organisation: the client, its agent and a reviewer.
    let mut m = Market::new(MarketConfig { seed: 7, ..MarketConfig::default() }).expect("valid config");
    ok(&mut m, 0, OP, Command::RegisterClient { name: "Acme".into(), owner: "acme".into() });
    let insider = register(&mut m, "insider", "acme", 5);
    ok(&mut m, 0, OP, Command::RegisterReviewer { name: "acme-qa".into(), owner: "Acme".into() });
    ok(&mut m, 0, CLIENT, Command::Deposit { amount: 10_000 });
    let t = post(&mut m, 0, human_review_spec());
    assert_eq!(refused(&mut m, 1, insider, claim(t)).code(), "not_eligible");
    // A claim recorded before owners were compared by key (a log from an older engine).
    let lease_due = 1 + HOUR;
    let claimed = EventKind::TaskClaimed {
        task: t,
        agent: agent_id(insider),
        price: 1_000,
        lease_due,
        via: ClaimRoute::Claim,
        exploring: false,
        matched: false,
        premium: None,
    };
    m.evolve(&Event { at: 1, kind: claimed });
    m.audit().unwrap();
    let e = ok(&mut m, 2, insider, submit(t, good_output(), low_confidence()));
    assert_eq!(route_of(&e), ReviewRoute::Operator);
    let accept = || Command::Review { task: t, decision: ReviewDecision::Accept };
    assert_eq!(refused(&mut m, 3, CLIENT, accept()).code(), "not_authorized");
    let qa = Actor::Reviewer { id: ReviewerId(0) };
    assert_eq!(refused(&mut m, 3, qa, accept()).code(), "not_authorized");
    // The operator sees the confidential inputs it must judge.
    let view = m.task_view(OP, t).unwrap();
    assert!(view.inputs.iter().find(|i| i.name == "invoice").unwrap().uri.is_some());
    let reject = ReviewDecision::Reject { failed_criteria: vec!["currency-iso".into()], reason: "self-dealing".into() };
    ok(&mut m, 3, OP, Command::Review { task: t, decision: reject });
    assert_eq!(state(&m, t), "Rejected");
}

// ----- 4. caps on windows and counts -----

/// A change that takes a spec beyond one cap.
type Breach = fn(&mut TaskSpec);

#[test]
fn a_spec_beyond_the_market_caps_is_refused_with_its_field() {
    const FOREVER: u64 = (1 << 53) - 1;
    const DAY: u64 = 24 * HOUR;
    let cases: Vec<(&str, Breach)> = vec![
        ("review.window_ms", |s| s.review.window_ms = FOREVER),
        ("review.max_revisions", |s| s.review.max_revisions = 200),
        ("deadlines.lease_ms", |s| s.deadlines.lease_ms = FOREVER),
        ("deadlines.clarification_timeout_ms", |s| s.deadlines.clarification_timeout_ms = FOREVER),
        ("deadlines.max_clarifications", |s| s.deadlines.max_clarifications = 200),
        ("deadlines.claim_by", |s| s.deadlines.claim_by = FOREVER),
        ("pricing.bidding_closes_at", |s| {
            s.deadlines.claim_by = 2 * DAY;
            s.pricing = Pricing::Bids { ceiling: 1_000, award: AwardPolicy::BestPrice, bidding_closes_at: 2 * DAY };
        }),
        ("priority_window.duration_ms", |s| {
            s.deadlines.claim_by = 3 * DAY;
            s.priority_window = Some(PriorityWindow { tier: Tier::Rising, duration_ms: 2 * DAY })
        }),
    ];
    // Bidding and priority windows capped below the claim-by horizon, so they can breach alone.
    let caps = SpecCaps { max_bidding_window_ms: DAY, max_priority_window_ms: DAY, ..SpecCaps::default() };
    let mut m = market_with(MarketConfig { seed: 7, caps, ..MarketConfig::default() });
    for (field, breach) in cases {
        let mut s = spec();
        breach(&mut s);
        match refused(&mut m, 0, CLIENT, Command::PostTask { spec: s }) {
            Rejection::InvalidSpec { field: got, reason } => {
                assert_eq!(got, field, "{reason}");
                assert!(reason.contains("caps."), "{field}: {reason}");
            }
            other => panic!("{field}: {other}"),
        }
    }
    // At the caps exactly, a spec is fine.
    let caps = SpecCaps::default();
    let mut s = spec();
    s.review.window_ms = caps.max_review_window_ms;
    s.deadlines.lease_ms = caps.max_lease_ms;
    s.deadlines.claim_by = caps.max_claim_horizon_ms;
    s.review.max_revisions = caps.max_revisions;
    s.deadlines.max_clarifications = caps.max_clarifications;
    post(&mut m, 0, s);
}

#[test]
fn caps_are_configurable_checkable_and_optional_in_old_configs() {
    let config: MarketConfig = serde_json::from_str(r#"{"seed": 3, "fee_bps": 500}"#).unwrap();
    assert_eq!(config.caps, SpecCaps::default());
    assert_eq!(config.caps.check(), Ok(()));
    assert_eq!(config.check(), Ok(()));
    let bad = SpecCaps { max_lease_ms: 0, ..SpecCaps::default() };
    assert_eq!(bad.check().unwrap_err().path, "config.caps.max_lease_ms");
    let bad = SpecCaps { max_review_window_ms: (1 << 53) - 1, ..SpecCaps::default() };
    assert_eq!(bad.check().unwrap_err().path, "config.caps.max_review_window_ms");
    let bad = MarketConfig { dispute_window_ms: (1 << 53) - 1, ..MarketConfig::default() };
    assert_eq!(bad.check().unwrap_err().path, "config.dispute_window_ms");

    // A tighter market refuses what the default allows.
    let tight =
        MarketConfig { caps: SpecCaps { max_lease_ms: 30 * MINUTE, ..SpecCaps::default() }, ..MarketConfig::default() };
    let mut m = market_with(tight);
    let err = refused(&mut m, 0, CLIENT, Command::PostTask { spec: spec() });
    assert!(matches!(&err, Rejection::InvalidSpec { field, .. } if field == "deadlines.lease_ms"), "{err}");
}

#[test]
fn an_unbounded_dispute_window_is_refused_and_one_at_the_cap_is_kept() {
    // Refused at creation, as `load` refuses it, rather than held to the cap at use.
    let config = MarketConfig { dispute_window_ms: (1 << 53) - 1, ..MarketConfig::default() };
    assert_eq!(Market::new(config).unwrap_err().path, "config.dispute_window_ms");
    let config =
        MarketConfig { dispute_window_ms: SpecCaps::default().max_dispute_window_ms, ..MarketConfig::default() };
    let mut m = market_with(config);
    let t = post(&mut m, 0, spec());
    ok(&mut m, 1, AI, claim(t));
    ok(&mut m, 2, AI, submit(t, good_output(), confident()));
    let reject = ReviewDecision::Reject { failed_criteria: vec!["total-positive".into()], reason: "no".into() };
    let e = ok(&mut m, 3, CLIENT, Command::Review { task: t, decision: reject });
    let EventKind::WorkRejected { dispute_by, .. } = e[0].kind else { panic!() };
    assert_eq!(dispute_by, 3 + SpecCaps::default().max_dispute_window_ms);
    // The escrow is released when the window passes.
    m.tick(dispute_by);
    assert_eq!(state(&m, t), "Settled");
}

// ----- 5. returns late in the lease -----

fn abandoned(m: &Market, agent: Actor) -> u32 {
    m.reputation().agent(agent_id(agent)).unwrap().abandoned
}

#[test]
fn a_late_return_counts_as_an_abandonment_and_an_early_one_is_free() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    let cat = m.category_id("invoice-extraction").unwrap();
    let before = m.score(AgentId(0), cat).unwrap();
    // The squatter holds 59 of 60 minutes and hands the task back.
    ok(&mut m, 0, AI, claim(t));
    let e = ok(&mut m, 59 * MINUTE, AI, Command::ReturnTask { task: t });
    assert!(matches!(e[0].kind, EventKind::TaskReturned { reason: ReturnReason::ReleasedLate, .. }), "{e:?}");
    assert_eq!(abandoned(&m, AI), 1);
    assert!(m.score(AgentId(0), cat).unwrap().mean < before.mean, "a late return costs reputation");
    // ... and cannot take the same task again, so it cannot keep it from being worked.
    assert_eq!(refused(&mut m, 59 * MINUTE, AI, claim(t)).code(), "not_eligible");
    assert!(m.eligibility(t, AgentId(0)).unwrap().iter().any(|r| r.contains("gave this task up")));

    // An early return (within the first half of the lease) is free.
    let human_before = m.score(AgentId(2), cat).unwrap();
    ok(&mut m, 60 * MINUTE, HUMAN, claim(t));
    let e = ok(&mut m, 90 * MINUTE, HUMAN, Command::ReturnTask { task: t });
    assert!(matches!(e[0].kind, EventKind::TaskReturned { reason: ReturnReason::Released, .. }), "{e:?}");
    assert_eq!(abandoned(&m, HUMAN), 0);
    assert_eq!(m.score(AgentId(2), cat).unwrap(), human_before);
    assert_eq!(refused(&mut m, 90 * MINUTE, HUMAN, claim(t)).code(), "not_eligible");
    // Someone else can still take it.
    let fresh = register(&mut m, "fresh", "helpers", 5);
    ok(&mut m, 91 * MINUTE, fresh, claim(t));
}

#[test]
fn the_late_return_share_is_configurable_and_the_clock_pauses_for_questions() {
    let config = MarketConfig { late_return_bps: 2_000, ..MarketConfig::default() };
    let mut m = market_with(config);
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    // 15 of 60 minutes used, then a question: the clock stops at 15 (25 % > 20 %).
    ok(&mut m, 15 * MINUTE, AI, Command::AskClarification { task: t, question: "which?".into() });
    let e = ok(&mut m, 16 * MINUTE, AI, Command::ReturnTask { task: t });
    assert!(matches!(e[0].kind, EventKind::TaskReturned { reason: ReturnReason::ReleasedLate, .. }), "{e:?}");
    let t = post(&mut m, 16 * MINUTE, spec());
    ok(&mut m, 16 * MINUTE, HUMAN, claim(t));
    let e = ok(&mut m, 27 * MINUTE, HUMAN, Command::ReturnTask { task: t });
    assert!(matches!(e[0].kind, EventKind::TaskReturned { reason: ReturnReason::Released, .. }), "{e:?}");
}

#[test]
fn an_abandoned_task_is_not_offered_back_to_its_abandoner() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, HUMAN, claim(t));
    assert_eq!(kinds(&m.tick(HOUR)), ["TaskAbandoned"]);
    let ranked: Vec<AgentId> = m.ranking(t, 10).unwrap().iter().map(|r| r.agent).collect();
    assert!(!ranked.contains(&AgentId(2)), "{ranked:?}");
    let e = ok(
        &mut m,
        HOUR,
        OP,
        Command::AssignTasks { tasks: Some(vec![t]), agents: Some(vec![AgentId(2)]), time_budget_ms: None },
    );
    assert_eq!(kinds(&e), ["BatchAssigned"]);
    // It survives a snapshot.
    let mut loaded = Market::load(&m.save()).unwrap();
    assert_eq!(refused(&mut loaded, HOUR, HUMAN, claim(t)).code(), "not_eligible");
}

// ----- 6. bids cannot starve a task -----

#[test]
fn sybil_bids_at_the_ceiling_cannot_starve_a_task() {
    let mut m = market();
    let sybils: Vec<Actor> =
        (0..256).map(|i| register(&mut m, &format!("sybil-{i}"), &format!("sybil-{i}"), 5)).collect();
    let mut s = spec();
    s.pricing = Pricing::Bids { ceiling: 1_000, award: AwardPolicy::BestPrice, bidding_closes_at: HOUR };
    let t = post(&mut m, 0, s);
    for sybil in &sybils {
        ok(&mut m, 1, *sybil, Command::PlaceBid { task: t, price: 1_000, eta_ms: MINUTE });
    }
    // The list is full. A bid no better than the worst is refused ...
    let err = refused(&mut m, 2, AI, Command::PlaceBid { task: t, price: 1_000, eta_ms: MINUTE });
    assert_eq!(err.code(), "too_large");
    // ... a better one evicts the worst (of equals, the latest), and its bidder is told.
    let e = ok(&mut m, 2, HUMAN, Command::PlaceBid { task: t, price: 900, eta_ms: MINUTE });
    assert_eq!(kinds(&e), ["BidEvicted", "BidPlaced"]);
    let last = agent_id(sybils[255]);
    assert!(matches!(e[0].kind, EventKind::BidEvicted { agent, by, .. } if agent == last && by == AgentId(2)), "{e:?}");
    let TaskStatus::Open { bids, .. } = &m.task(t).unwrap().status else { panic!() };
    assert_eq!(bids.len(), 256);
    assert!(!bids.iter().any(|b| b.agent == last));
    // Early on, a bidder may still leave; in the final tenth of the window bids bind.
    ok(&mut m, 30 * MINUTE, sybils[0], Command::WithdrawBid { task: t });
    for sybil in &sybils[1..255] {
        let err = refused(&mut m, HOUR - MINUTE, *sybil, Command::WithdrawBid { task: t });
        assert_eq!(err.code(), "deadline_passed", "{err}");
    }
    // Nor may a bidder take part of a binding bid back by raising it: its price or its ETA. It may
    // still improve it.
    for raised in [
        Command::PlaceBid { task: t, price: 1_000, eta_ms: MINUTE },
        Command::PlaceBid { task: t, price: 900, eta_ms: 2 * MINUTE },
    ] {
        let err = refused(&mut m, HOUR - MINUTE, HUMAN, raised);
        assert_eq!(err.code(), "deadline_passed", "{err}");
    }
    let e = ok(&mut m, HOUR - MINUTE, HUMAN, Command::PlaceBid { task: t, price: 900, eta_ms: MINUTE / 2 });
    assert_eq!(kinds(&e), ["BidPlaced"]);
    // Bidding closes: the honest bidder wins.
    let e = m.tick(HOUR);
    let claimed: Vec<_> = e
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TaskClaimed { agent, price, via, .. } => Some((agent, price, via)),
            _ => None,
        })
        .collect();
    assert_eq!(claimed, [(AgentId(2), 900, ClaimRoute::AutoAward)]);
    m.audit().unwrap();
}

// ----- 7. interned skill names are bounded -----

#[test]
fn skill_names_nobody_declares_are_freed() {
    let mut m = market();
    let names = |round: usize| -> Vec<Skill> {
        (0..64).map(|i| Skill { name: format!("junk-{round}-{i}"), level: 1 }).collect()
    };
    let baseline = m.skill_names();
    for round in 0..2_000 {
        ok(&mut m, 0, AI, Command::UpdateAgentProfile { skills: names(round), capacity: 2, min_rate: 100 });
        assert!(m.skill_names() <= baseline + 64, "round {round}: {} names interned", m.skill_names());
    }
    assert_eq!(m.skill_code("junk-0-0"), None, "a name nobody declares is forgotten");
    assert!(m.skill_code("junk-1999-63").is_some());
    // Back to the real skill: the junk is gone and matching still finds the agent by it.
    let fin = vec![Skill { name: "fin-docs".into(), level: 4 }];
    ok(&mut m, 0, AI, Command::UpdateAgentProfile { skills: fin, capacity: 2, min_rate: 100 });
    assert_eq!(m.skill_names(), baseline);
    let t = post(&mut m, 0, spec());
    let ranked: Vec<AgentId> = m.ranking(t, 10).unwrap().iter().map(|r| r.agent).collect();
    assert!(ranked.contains(&AgentId(0)), "{ranked:?}");
    // A reused code serves its new name: an agent declaring a fresh skill is found by it.
    let mut s = spec();
    s.required_skills = vec![SkillRequirement { skill: "tax-law".into(), min_level: 1 }];
    let tax = post(&mut m, 0, s.clone());
    assert!(m.ranking(tax, 10).unwrap().is_empty());
    let skills = vec![Skill { name: "tax-law".into(), level: 3 }];
    ok(&mut m, 0, HUMAN, Command::UpdateAgentProfile { skills, capacity: 3, min_rate: 100 });
    let ranked: Vec<AgentId> = m.ranking(tax, 10).unwrap().iter().map(|r| r.agent).collect();
    assert_eq!(ranked, [AgentId(2)]);
    let loaded = Market::load(&m.save()).unwrap();
    assert_eq!(loaded.skill_names(), m.skill_names());
}
