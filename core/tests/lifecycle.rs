//! Scenario tests: one story per lifecycle path of the task.

mod support;
use gigmarket::market::ClientFilter;
use gigmarket::prelude::*;
use gigmarket::reputation::{ChangeCause, CHANGES_KEPT};
use support::*;

#[test]
fn claim_submit_accept_pays_agent_less_fee_and_allows_one_rating() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    assert_eq!(balance(&m, CLIENT), 99_000, "reward escrowed");
    let e = ok(&mut m, MINUTE, AI, claim(t));
    assert_eq!(kinds(&e), ["TaskClaimed"]);
    assert_eq!(m.agent(AgentId(0)).unwrap().active, 1);
    let e = ok(&mut m, 20 * MINUTE, AI, submit(t, good_output(), confident()));
    assert_eq!(kinds(&e), ["WorkSubmitted", "VerificationPassed"]);
    assert_eq!(m.agent(AgentId(0)).unwrap().active, 1, "review holds capacity while a revision may come back");
    assert_eq!(state(&m, t), "UnderReview");
    let e = ok(&mut m, 30 * MINUTE, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    assert_eq!(kinds(&e), ["WorkAccepted", "TaskSettled"]);
    assert_eq!(m.agent(AgentId(0)).unwrap().active, 0, "settled work frees the agent");
    let EventKind::TaskSettled { settlement, outcome } = &e[1].kind else { unreachable!() };
    assert_eq!((settlement.to_agent, settlement.fee, settlement.refund), (900, 100, 0));
    assert_eq!(outcome.worked_ms, 19 * MINUTE);
    assert_eq!(outcome.verdict, Verdict::Accepted);
    assert!(outcome.first_attempt_passed && outcome.self_check_agreed);
    assert_eq!(outcome.review_latency_ms, Some(10 * MINUTE));
    assert_eq!(balance(&m, AI), 900);
    assert_eq!(m.platform_balance(), 100);
    let rating = Rating { quality: 5, timeliness: 4 };
    ok(&mut m, 31 * MINUTE, CLIENT, Command::RateTask { task: t, rating });
    let again = refused(&mut m, 32 * MINUTE, CLIENT, Command::RateTask { task: t, rating });
    assert_eq!(again.code(), "not_rateable");
    let bad = Rating { quality: 6, ..rating };
    assert_eq!(refused(&mut m, 32 * MINUTE, CLIENT, Command::RateTask { task: t, rating: bad }).code(), "not_rateable");
}

#[test]
fn a_busy_category_does_not_push_another_out_of_the_score_explanation() {
    let mut m = market();
    let mut now = 0;
    let mut deliver = |m: &mut Market, category: &str| {
        let t = post(m, now, TaskSpec { category: category.into(), ..spec() });
        ok(m, now + MINUTE, AI, claim(t));
        ok(m, now + 2 * MINUTE, AI, submit(t, good_output(), confident()));
        ok(m, now + 3 * MINUTE, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
        now += 4 * MINUTE; // 21 deliveries stay inside the spec's 10-hour claim window
    };
    deliver(&mut m, "translation");
    for _ in 0..20 {
        deliver(&mut m, "invoice-extraction");
    }
    let changes = |m: &Market, name: &str| m.explain_score(AgentId(0), m.category_id(name).unwrap()).unwrap().changes;
    let quiet = changes(&m, "translation");
    assert_eq!(quiet.len(), 1, "the one settlement in the quiet category is still explained");
    assert!(matches!(quiet[0].cause, ChangeCause::Settled { .. }));
    let busy = changes(&m, "invoice-extraction");
    assert_eq!(busy.len(), CHANGES_KEPT - 1, "the busy category keeps the rest of the log");
    assert_eq!(busy.last().unwrap().at, m.reputation().agent(AgentId(0)).unwrap().summary.as_of, "newest kept");
    assert!(busy.windows(2).all(|w| w[0].at < w[1].at), "oldest first");
}

#[test]
fn return_reopens_without_penalty_and_abandonment_costs_reputation() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 1, AI, claim(t));
    let e = ok(&mut m, 2, AI, Command::ReturnTask { task: t });
    assert_eq!(kinds(&e), ["TaskReturned"]);
    assert_eq!(state(&m, t), "Open");
    let cat = m.category_id("invoice-extraction").unwrap();
    let clean = m.score(AgentId(0), cat).unwrap();
    // An agent that gave a task up may not take it again (no claim-and-return loop on one
    // task); it may take others.
    assert_eq!(refused(&mut m, 3, AI, claim(t)).code(), "not_eligible");
    let t = post(&mut m, 3, spec());
    ok(&mut m, 3, AI, claim(t));
    assert_eq!(m.next_deadline(), Some(3 + HOUR));
    let e = m.tick(3 + HOUR);
    assert_eq!(kinds(&e), ["TaskAbandoned"]);
    assert_eq!(state(&m, t), "Open");
    assert_eq!(m.agent(AgentId(0)).unwrap().active, 0);
    assert!(m.score(AgentId(0), cat).unwrap().mean < clean.mean, "abandonment lowers the score");
    m.audit().unwrap();
}

#[test]
fn clarification_pauses_the_lease_and_caps_rounds() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t)); // lease due at 1h
    let ask = |q: &str| Command::AskClarification { task: t, question: q.into() };
    let e = ok(&mut m, 10 * MINUTE, AI, ask("Which currency?"));
    assert_eq!(kinds(&e), ["ClarificationRequested"]);
    assert_eq!(state(&m, t), "InputRequired");
    assert_eq!(refused(&mut m, 11 * MINUTE, AI, submit(t, good_output(), confident())).code(), "invalid_state");
    assert_eq!(
        refused(&mut m, 11 * MINUTE, HUMAN, Command::AnswerClarification { task: t, answer: "x".into() }).code(),
        "wrong_role"
    );
    assert_eq!(
        refused(&mut m, 11 * MINUTE, OTHER_CLIENT, Command::AnswerClarification { task: t, answer: "x".into() }).code(),
        "not_authorized"
    );
    // The client answers 20 minutes later: the 50 minutes left run from the answer.
    let e = ok(&mut m, 30 * MINUTE, CLIENT, Command::AnswerClarification { task: t, answer: "EUR".into() });
    let EventKind::ClarificationAnswered { lease_due, .. } = e[0].kind else { unreachable!() };
    assert_eq!(lease_due, 80 * MINUTE);
    let again = refused(&mut m, 31 * MINUTE, AI, ask("And the date?"));
    assert!(matches!(again, Rejection::ClarificationLimit { limit: 1, .. }), "{again}");
    let e = ok(&mut m, 70 * MINUTE, AI, submit(t, good_output(), confident()));
    assert_eq!(kinds(&e), ["WorkSubmitted", "VerificationPassed"]);
    let e = m.tick(70 * MINUTE + HOUR);
    let EventKind::TaskSettled { outcome, .. } = &e[1].kind else { panic!("{:?}", kinds(&e)) };
    assert_eq!(outcome.worked_ms, 50 * MINUTE, "20 paused minutes are not counted");
    assert_eq!(outcome.clarifications, 1);
}

#[test]
fn unanswered_question_frees_the_agent_without_penalty() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    ok(&mut m, MINUTE, AI, Command::AskClarification { task: t, question: "?".into() });
    // The lease (1h) would have run out at 1h, but the clock is paused; the answer is due at 31m.
    assert_eq!(m.next_deadline(), Some(31 * MINUTE));
    let e = m.tick(31 * MINUTE);
    assert!(matches!(e[0].kind, EventKind::TaskReturned { reason: ReturnReason::QuestionUnanswered, .. }));
    assert_eq!(state(&m, t), "Open");
    let cat = m.category_id("invoice-extraction").unwrap();
    assert_eq!(m.reputation().agent(AgentId(0)).unwrap().categories.iter().filter(|c| c.category == cat).count(), 0);
}
use gigmarket::event::ReturnReason;

#[test]
fn failed_verification_names_criteria_and_returns_the_work() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    let e = ok(&mut m, MINUTE, AI, submit(t, bad_output(), confident()));
    let EventKind::VerificationFailed { failed, .. } = &e[1].kind else { panic!("{:?}", kinds(&e)) };
    let names: Vec<&str> = failed.iter().map(|f| f.criterion.as_str()).collect();
    assert_eq!(names, ["total-positive", "currency-iso"]);
    assert_eq!(state(&m, t), "Claimed");
    assert_eq!(m.agent(AgentId(0)).unwrap().active, 1);
    ok(&mut m, 2 * MINUTE, AI, submit(t, good_output(), confident()));
    assert_eq!(state(&m, t), "UnderReview");
    let e = ok(&mut m, 3 * MINUTE, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    let EventKind::TaskSettled { outcome, .. } = &e[1].kind else { unreachable!() };
    assert_eq!(outcome.verification_attempts, 2);
    assert!(!outcome.first_attempt_passed);
    assert_eq!(outcome.failed_criteria, ["currency-iso", "total-positive"]);
}

#[test]
fn low_confidence_routes_to_a_human_reviewer_not_the_client() {
    let mut m = market();
    let mut s = spec();
    s.review.human_review_below_confidence_bps = Some(8_000);
    let t = post(&mut m, 0, s);
    ok(&mut m, 0, AI, claim(t));
    let shaky = SelfCheck { confidence_bps: 6_000, ..confident() };
    let e = ok(&mut m, MINUTE, AI, submit(t, good_output(), shaky));
    assert!(matches!(e[1].kind, EventKind::VerificationPassed { route: ReviewRoute::HumanLowConfidence, .. }));
    let accept = Command::Review { task: t, decision: ReviewDecision::Accept };
    assert_eq!(refused(&mut m, 2 * MINUTE, CLIENT, accept.clone()).code(), "not_authorized");
    assert_eq!(refused(&mut m, 2 * MINUTE, AI, accept.clone()).code(), "wrong_role");
    // The reviewer sees the confidential input but not the restricted one.
    let view = m.task_view(REVIEWER, t).unwrap();
    let visible: Vec<bool> = view.inputs.iter().map(|i| i.uri.is_some()).collect();
    assert_eq!(visible, [true, true, false]);
    let e = ok(&mut m, 2 * MINUTE, REVIEWER, accept);
    assert!(matches!(e[0].kind, EventKind::WorkAccepted { by: Some(REVIEWER), .. }));
}

#[test]
fn sampled_human_review_follows_the_seeded_draw() {
    // With a 50 % sample, some tasks go to a human and some to the client, the same way twice.
    let run = || {
        let mut m = market();
        let mut routes = Vec::new();
        for i in 0..20u64 {
            let mut s = spec();
            s.review.human_sample_bps = 5_000;
            s.review.max_revisions = 0; // so work under review does not hold the agent's capacity
            let t = post(&mut m, i * 10, s);
            ok(&mut m, i * 10 + 1, HUMAN, claim(t));
            let e = ok(&mut m, i * 10 + 2, HUMAN, submit(t, good_output(), confident()));
            let EventKind::VerificationPassed { route, .. } = e[1].kind else { unreachable!() };
            routes.push(route);
        }
        routes
    };
    let routes = run();
    assert_eq!(routes, run(), "same seed, same draws");
    let sampled = routes.iter().filter(|r| **r == ReviewRoute::HumanSampled).count();
    assert!((4..=16).contains(&sampled), "{sampled} of 20 sampled at 50 %");
}

#[test]
fn silence_past_the_review_window_accepts_and_pays() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    ok(&mut m, MINUTE, AI, submit(t, good_output(), confident()));
    assert!(m.tick(MINUTE + HOUR - 1).is_empty());
    let e = m.tick(MINUTE + HOUR);
    assert_eq!(kinds(&e), ["WorkAccepted", "TaskSettled"]);
    assert_eq!(e[1].at, MINUTE + HOUR);
    assert_eq!(balance(&m, AI), 900);
    let late = refused(&mut m, 2 * HOUR, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    assert_eq!(late.code(), "invalid_state");
}

#[test]
fn revision_gives_a_fresh_lease_and_is_capped() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    ok(&mut m, MINUTE, AI, submit(t, good_output(), confident()));
    let revise = |n: &str| Command::Review { task: t, decision: ReviewDecision::RequestRevision { note: n.into() } };
    let e = ok(&mut m, 2 * MINUTE, CLIENT, revise("two decimals please"));
    assert!(
        matches!(e[0].kind, EventKind::RevisionRequested { round: 1, lease_due, .. } if lease_due == 2 * MINUTE + HOUR)
    );
    assert_eq!(state(&m, t), "Claimed");
    ok(&mut m, 3 * MINUTE, AI, submit(t, good_output(), confident()));
    let capped = refused(&mut m, 4 * MINUTE, CLIENT, revise("again"));
    assert!(matches!(capped, Rejection::RevisionLimit { limit: 1, .. }));
    let e = ok(&mut m, 4 * MINUTE, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    let EventKind::TaskSettled { outcome, .. } = &e[1].kind else { unreachable!() };
    assert_eq!(outcome.revisions, 1);
}

#[test]
fn rejection_must_cite_real_criteria_and_silence_upholds_it() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    ok(&mut m, MINUTE, AI, submit(t, good_output(), confident()));
    let reject = |c: Vec<&str>| Command::Review {
        task: t,
        decision: ReviewDecision::Reject {
            failed_criteria: c.into_iter().map(String::from).collect(),
            reason: "wrong".into(),
        },
    };
    assert_eq!(refused(&mut m, 2 * MINUTE, CLIENT, reject(vec![])).code(), "criteria_not_cited");
    assert_eq!(refused(&mut m, 2 * MINUTE, CLIENT, reject(vec!["vibes"])).code(), "criteria_not_cited");
    let e = ok(&mut m, 2 * MINUTE, CLIENT, reject(vec!["field:total", "currency-iso"]));
    let EventKind::WorkRejected { dispute_by, .. } = e[0].kind else { unreachable!() };
    assert_eq!(dispute_by, 2 * MINUTE + m.config().dispute_window_ms);
    let e = m.tick(dispute_by);
    let EventKind::TaskSettled { settlement, outcome } = &e[0].kind else { panic!("{:?}", kinds(&e)) };
    assert_eq!((settlement.to_agent, settlement.refund), (0, 1_000));
    assert_eq!(outcome.verdict, Verdict::Rejected);
    assert_eq!(balance(&m, CLIENT), 100_000);
    assert_eq!(
        refused(
            &mut m,
            dispute_by,
            CLIENT,
            Command::RateTask { task: t, rating: Rating { quality: 1, timeliness: 1 } }
        )
        .code(),
        "not_rateable"
    );
}

fn rejected_task(m: &mut Market) -> TaskId {
    let t = post(m, 0, spec());
    ok(m, 0, AI, claim(t));
    ok(m, MINUTE, AI, submit(t, good_output(), confident()));
    ok(
        m,
        2 * MINUTE,
        CLIENT,
        Command::Review {
            task: t,
            decision: ReviewDecision::Reject { failed_criteria: vec!["currency-iso".into()], reason: "GBP".into() },
        },
    );
    ok(m, 3 * MINUTE, AI, Command::OpenDispute { task: t, reason: "EUR is right".into() });
    assert_eq!(state(m, t), "Disputed");
    t
}

#[test]
fn operator_resolves_disputes_by_pay_refund_or_split() {
    for (resolution, agent, client_back) in [
        (Resolution::PayAgent, 900, 0),
        (Resolution::RefundClient, 0, 1_000),
        (Resolution::Split { to_agent: 400 }, 360, 600),
    ] {
        let mut m = market();
        let t = rejected_task(&mut m);
        assert_eq!(
            refused(&mut m, 4 * MINUTE, CLIENT, Command::ResolveDispute { task: t, resolution: resolution.clone() })
                .code(),
            "wrong_role"
        );
        ok(&mut m, 4 * MINUTE, OP, Command::ResolveDispute { task: t, resolution });
        assert_eq!(balance(&m, AI), agent);
        assert_eq!(balance(&m, CLIENT), 99_000 + client_back);
    }
    let mut m = market();
    let t = rejected_task(&mut m);
    let too_much = Resolution::Split { to_agent: 1_001 };
    assert_eq!(
        refused(&mut m, 4 * MINUTE, OP, Command::ResolveDispute { task: t, resolution: too_much }).code(),
        "out_of_range"
    );
}

#[test]
fn a_silent_operator_lets_the_verified_agent_be_paid() {
    let mut m = market();
    let t = rejected_task(&mut m);
    let due = m.next_deadline().unwrap();
    assert_eq!(due, 3 * MINUTE + m.config().dispute_resolution_ms);
    let e = m.tick(due);
    assert_eq!(kinds(&e), ["DisputeResolved", "TaskSettled"]);
    assert_eq!(balance(&m, AI), 900);
    assert_eq!(state(&m, t), "Settled");
}

#[test]
fn cancel_refunds_only_unheld_tasks_and_expiry_refunds_unclaimed_ones() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    assert_eq!(refused(&mut m, 1, OTHER_CLIENT, Command::CancelTask { task: t }).code(), "not_authorized");
    ok(&mut m, 1, CLIENT, Command::CancelTask { task: t });
    assert_eq!(balance(&m, CLIENT), 100_000);
    let t2 = post(&mut m, 2, spec());
    ok(&mut m, 3, AI, claim(t2));
    assert_eq!(refused(&mut m, 4, CLIENT, Command::CancelTask { task: t2 }).code(), "invalid_state");
    let t3 = post(&mut m, 5, spec());
    // At its claim-by time the task expires before the claim is decided, ticked or not.
    assert_eq!(refused(&mut m, 10 * HOUR, AI, claim(t3)).code(), "invalid_state");
    let e = m.tick(10 * HOUR);
    assert!(kinds(&e).contains(&"TaskExpired"));
    assert_eq!(state(&m, t3), "Expired");
    // t2's lease ran out at 1h and its claim-by passed too: abandoned, then expired.
    assert_eq!(state(&m, t2), "Expired");
    assert_eq!(balance(&m, CLIENT), 100_000);
}

fn bid_spec(award: AwardPolicy) -> TaskSpec {
    TaskSpec { pricing: Pricing::Bids { ceiling: 2_000, award, bidding_closes_at: HOUR }, ..spec() }
}

#[test]
fn client_awards_a_bid_and_the_unused_ceiling_is_refunded_at_settlement() {
    let mut m = market();
    let t = post(&mut m, 0, bid_spec(AwardPolicy::Client));
    assert_eq!(refused(&mut m, 1, AI, claim(t)).code(), "wrong_pricing_mode");
    let above = refused(&mut m, 1, AI, Command::PlaceBid { task: t, price: 2_001, eta_ms: MINUTE });
    assert!(matches!(above, Rejection::BidAboveCeiling { .. }));
    ok(&mut m, 1, AI, Command::PlaceBid { task: t, price: 1_500, eta_ms: MINUTE });
    ok(&mut m, 2, HUMAN, Command::PlaceBid { task: t, price: 1_200, eta_ms: 30 * MINUTE });
    ok(&mut m, 3, HUMAN, Command::WithdrawBid { task: t });
    assert_eq!(refused(&mut m, 4, HUMAN, Command::WithdrawBid { task: t }).code(), "no_such_bid");
    assert_eq!(refused(&mut m, 4, CLIENT, Command::AwardBid { task: t, agent: AgentId(2) }).code(), "no_such_bid");
    // Agents see only their own bids; the client sees all.
    assert_eq!(m.task_view(HUMAN, t).unwrap().bids.len(), 0);
    assert_eq!(m.task_view(CLIENT, t).unwrap().bids.len(), 1);
    let e = ok(&mut m, 5, CLIENT, Command::AwardBid { task: t, agent: AgentId(0) });
    assert!(matches!(e[0].kind, EventKind::TaskClaimed { price: 1_500, via: ClaimRoute::Award, .. }));
    ok(&mut m, 6, AI, submit(t, good_output(), confident()));
    let e = ok(&mut m, 7, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    let EventKind::TaskSettled { settlement, .. } = &e[1].kind else { unreachable!() };
    assert_eq!((settlement.to_agent, settlement.fee, settlement.refund), (1_350, 150, 500));
}

#[test]
fn award_policies_pick_at_close_and_no_bids_expires() {
    for (policy, winner) in [(AwardPolicy::BestPrice, AgentId(2)), (AwardPolicy::BestEta, AgentId(0))] {
        let mut m = market();
        let t = post(&mut m, 0, bid_spec(policy));
        ok(&mut m, 1, AI, Command::PlaceBid { task: t, price: 1_500, eta_ms: MINUTE });
        ok(&mut m, 2, HUMAN, Command::PlaceBid { task: t, price: 1_200, eta_ms: 30 * MINUTE });
        assert_eq!(m.next_deadline(), Some(HOUR));
        let e = m.tick(HOUR);
        assert!(
            matches!(e[0].kind, EventKind::TaskClaimed { agent, via: ClaimRoute::AutoAward, .. } if agent == winner),
            "{policy:?}: {:?}",
            e
        );
        assert_eq!(
            refused(&mut m, HOUR, AI, Command::PlaceBid { task: t, price: 1, eta_ms: 1 }).code(),
            "invalid_state"
        );
    }
    let mut m = market();
    let t = post(&mut m, 0, bid_spec(AwardPolicy::BestValue));
    let e = m.tick(HOUR);
    assert_eq!(kinds(&e), ["TaskExpired"]);
    assert_eq!(state(&m, t), "Expired");
}

#[test]
fn priority_window_admits_only_the_tier_and_arbitrates_by_fit() {
    // One settled task makes an agent Rising in this market.
    let mut config = MarketConfig { seed: 7, ..MarketConfig::default() };
    config.reputation.tiers[0] = (1, 0.0);
    // No exploration bonus, so arbitration is decided by skill and reputation alone.
    config.matching.newcomer_budget_bps = 0;
    let mut m = market_with(config);
    // Give the human and the AI some history so they reach the Rising tier.
    for agent in [AI, HUMAN] {
        let t = post(&mut m, 0, spec());
        ok(&mut m, 0, agent, claim(t));
        ok(&mut m, 0, agent, submit(t, good_output(), confident()));
        ok(&mut m, 0, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    }
    assert_eq!(m.tier(AgentId(0)).unwrap(), Tier::Rising);
    let mut s = spec();
    s.priority_window = Some(PriorityWindow { tier: Tier::Rising, duration_ms: 10 * MINUTE });
    let t = post(&mut m, 10, s);
    let weak = refused(&mut m, 11, WEAK_AI, claim(t));
    let Rejection::NotEligible { reasons, .. } = &weak else { panic!("{weak}") };
    assert!(reasons.iter().any(|r| r.contains("priority window")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("skill fin-docs level 2 < required 3")), "{reasons:?}");
    let e = ok(&mut m, 12, AI, claim(t));
    assert_eq!(kinds(&e), ["ClaimQueued"]);
    ok(&mut m, 13, HUMAN, claim(t));
    assert_eq!(refused(&mut m, 14, HUMAN, claim(t)).code(), "already_waiting");
    let e = m.tick(10 + 10 * MINUTE);
    assert_eq!(kinds(&e), ["ClaimLost", "TaskClaimed"]);
    // alice declares fin-docs 5 against the extractor's 4, with equal reputation: she fits better.
    assert!(
        matches!(e[1].kind, EventKind::TaskClaimed { agent: AgentId(2), via: ClaimRoute::Arbitration, .. }),
        "{e:#?}"
    );
    let EventKind::ClaimLost { reason, .. } = &e[0].kind else { unreachable!() };
    assert!(reason.contains("lost arbitration"), "{reason}");
}

#[test]
fn eligibility_gates_explain_every_refusal() {
    let mut m = market();
    let mut s = spec();
    s.eligibility =
        Eligibility { min_tier: Tier::Rising, agent_kinds: AgentKinds::Human, min_reputation_bps: Some(8_000) };
    let t = post(&mut m, 0, s);
    let Rejection::NotEligible { reasons, .. } = refused(&mut m, 1, AI, claim(t)) else { panic!() };
    let all = reasons.join(" | ");
    assert!(all.contains("human agents only"), "{all}");
    assert!(all.contains("tier new < required rising"), "{all}");
    assert!(all.contains("invoice-extraction reputation lower bound"), "{all}");
    let t2 = post(&mut m, 0, spec());
    let Rejection::NotEligible { reasons, .. } = refused(&mut m, 1, INSIDER, claim(t2)) else { panic!() };
    assert!(reasons[0].contains("conflict of interest"), "{reasons:?}");
    // Capacity: the junior agent's capacity is 1.
    let mut easy = spec();
    easy.required_skills.clear();
    let a = post(&mut m, 0, easy.clone());
    let b = post(&mut m, 0, easy);
    ok(&mut m, 1, WEAK_AI, claim(a));
    assert!(matches!(refused(&mut m, 1, WEAK_AI, claim(b)), Rejection::AtCapacity { capacity: 1, .. }));
}

#[test]
fn spec_hash_pins_what_the_agent_claims() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    let pinned = m.task(t).unwrap().spec_hash;
    assert_eq!(pinned, Digest::of(&spec()), "hash is a pure function of the spec");
    let wrong = refused(&mut m, 1, AI, Command::ClaimTask { task: t, spec_hash: Some(Digest(pinned.0 ^ 1)) });
    assert_eq!(wrong.code(), "spec_hash_mismatch");
    ok(&mut m, 1, AI, Command::ClaimTask { task: t, spec_hash: Some(pinned) });
}

#[test]
fn views_redact_inputs_by_classification() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    let uris = |m: &Market, a: Actor| -> Vec<bool> {
        m.task_view(a, t).unwrap().inputs.iter().map(|i| i.uri.is_some()).collect()
    };
    assert_eq!(uris(&m, CLIENT), [true, true, true]);
    assert_eq!(uris(&m, AI), [true, false, false]);
    assert_eq!(uris(&m, OP), [true, false, false]);
    ok(&mut m, 1, AI, claim(t));
    assert_eq!(uris(&m, AI), [true, true, true]);
    assert_eq!(uris(&m, HUMAN), [true, false, false]);
    ok(&mut m, 2, AI, Command::ReturnTask { task: t });
    assert_eq!(uris(&m, AI), [true, false, false], "a former holder loses access");
}

#[test]
fn money_moves_through_deposits_withdrawals_and_fees() {
    let mut m = market();
    assert_eq!(refused(&mut m, 0, CLIENT, Command::Withdraw { amount: 100_001 }).code(), "insufficient_funds");
    ok(&mut m, 0, CLIENT, Command::Withdraw { amount: 1 });
    assert_eq!(refused(&mut m, 0, REVIEWER, Command::Withdraw { amount: 1 }).code(), "wrong_role");
    ok(&mut m, 0, OP, Command::SetFee { fee_bps: 2_000 });
    assert_eq!(refused(&mut m, 0, OP, Command::SetFee { fee_bps: 5_001 }).code(), "out_of_range");
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, OP, Command::SetFee { fee_bps: 0 }); // does not touch the posted task
    ok(&mut m, 0, AI, claim(t));
    ok(&mut m, 1, AI, submit(t, good_output(), confident()));
    ok(&mut m, 2, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    assert_eq!(balance(&m, AI), 800, "fee pinned at posting");
    ok(&mut m, 3, AI, Command::Withdraw { amount: 800 });
    ok(&mut m, 3, OP, Command::Withdraw { amount: 200 });
    assert_eq!(m.deposited() - m.withdrawn(), 199_999 - 1_000);
    let huge = refused(&mut m, 3, CLIENT, Command::Deposit { amount: 1 << 53 });
    assert_eq!(huge.code(), "out_of_range");
}

#[test]
fn a_revision_never_puts_an_agent_over_capacity() {
    // The junior agent has capacity 1. With a revision possible, work under review still holds
    // it, so it cannot take a second task that a revision would then collide with.
    let mut m = market();
    let mut easy = spec();
    easy.required_skills.clear();
    let a = post(&mut m, 0, easy.clone());
    let mut no_revisions = easy.clone();
    no_revisions.review.max_revisions = 0;
    let b = post(&mut m, 0, no_revisions);
    ok(&mut m, 1, WEAK_AI, claim(a));
    ok(&mut m, 2, WEAK_AI, submit(a, good_output(), confident()));
    assert!(matches!(refused(&mut m, 3, WEAK_AI, claim(b)), Rejection::AtCapacity { .. }));
    let revise = Command::Review { task: a, decision: ReviewDecision::RequestRevision { note: "again".into() } };
    ok(&mut m, 4, CLIENT, revise);
    ok(&mut m, 5, WEAK_AI, submit(a, good_output(), confident()));
    // No revision is left: the agent is free for new work while the client decides.
    ok(&mut m, 6, WEAK_AI, claim(b));
    assert_eq!(m.agent(AgentId(1)).unwrap().active, 1);
    // Without revisions in the policy (task b), review never holds the agent.
    let c = post(&mut m, 7, easy);
    ok(&mut m, 8, WEAK_AI, submit(b, good_output(), confident()));
    ok(&mut m, 9, WEAK_AI, claim(c));
}

#[test]
fn agents_see_client_records_and_filter_open_tasks_on_them() {
    let mut m = market();
    // Globex rejects a delivery and the agent does not dispute: its rejection rate is 100 %.
    let other = Actor::Client { id: ClientId(1) };
    let t = {
        let events = ok(&mut m, 0, other, Command::PostTask { spec: spec() });
        let EventKind::TaskPosted { task, .. } = events[0].kind else { unreachable!() };
        task
    };
    ok(&mut m, 0, AI, claim(t));
    ok(&mut m, 1, AI, submit(t, good_output(), confident()));
    let decision = ReviewDecision::Reject { failed_criteria: vec!["currency-iso".into()], reason: "no".into() };
    ok(&mut m, 2, other, Command::Review { task: t, decision });
    m.tick(2 + m.config().dispute_window_ms);
    let globex = m.client_standing(ClientId(1)).unwrap();
    assert_eq!((globex.settled, globex.rejection_rate), (1, 1.0));
    assert_eq!(globex.mean_review_latency_ms, Some(1));
    let now = m.now();
    let mut later = spec();
    later.deadlines.claim_by = now + 10 * HOUR;
    post(&mut m, now, later.clone());
    ok(&mut m, now, other, Command::PostTask { spec: later });
    let everything = m.open_tasks(HUMAN, &ClientFilter::default()).unwrap();
    assert_eq!(everything.len(), 2);
    let picky = ClientFilter { max_rejection_rate: Some(0.5), ..ClientFilter::default() };
    let fair = m.open_tasks(HUMAN, &picky).unwrap();
    assert_eq!(fair.len(), 1);
    assert_eq!(fair[0].client, ClientId(0));
}

#[test]
fn a_reviewer_from_a_party_to_the_task_has_a_conflict_of_interest() {
    let mut m = market();
    // A second reviewer who works for the agent's organisation.
    ok(&mut m, 0, OP, Command::RegisterReviewer { name: "bob".into(), owner: "bots".into() });
    let insider_reviewer = Actor::Reviewer { id: ReviewerId(1) };
    let mut s = spec();
    s.review.human_review_below_confidence_bps = Some(9_500);
    let t = post(&mut m, 0, s);
    ok(&mut m, 0, AI, claim(t));
    ok(&mut m, 1, AI, submit(t, good_output(), confident()));
    let accept = Command::Review { task: t, decision: ReviewDecision::Accept };
    let err = refused(&mut m, 2, insider_reviewer, accept.clone());
    assert_eq!(err.code(), "conflict_of_interest", "{err}");
    ok(&mut m, 2, REVIEWER, accept);
}

#[test]
fn finished_tasks_keep_only_what_the_live_market_needs() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, AI, claim(t));
    ok(&mut m, 1, AI, submit(t, good_output(), confident()));
    let stored = |m: &Market| serde_json::to_string(m.task(t).unwrap()).unwrap().len();
    let full = stored(&m);
    ok(&mut m, 2, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    assert!(stored(&m) * 2 < full, "the finished task is stored with its specification archived");
    let loaded = Market::load(&m.save()).unwrap();
    let kept = &loaded.task(t).unwrap().spec;
    assert_eq!((kept.title.as_str(), kept.category.as_str()), ("Extract the invoice total", "invoice-extraction"));
    assert!(kept.inputs.is_empty() && kept.acceptance.criteria.is_empty() && kept.instructions.is_empty());
    assert_eq!(loaded.task(t).unwrap().spec_hash, Digest::of(&spec()), "the pin of what was posted stays");
    // Views agree before and after a reload; the task is still rateable; the snapshot round-trips.
    assert_eq!(m.task_view(CLIENT, t).unwrap(), loaded.task_view(CLIENT, t).unwrap());
    ok(&mut m, 3, CLIENT, Command::RateTask { task: t, rating: Rating { quality: 5, timeliness: 5 } });
    assert_eq!(Market::load(&m.save()).unwrap().save(), m.save());
    // Cancelled and expired tasks are archived the same way.
    let c = post(&mut m, 4, spec());
    ok(&mut m, 5, CLIENT, Command::CancelTask { task: c });
    assert!(m.task_view(CLIENT, c).unwrap().spec.acceptance.fields.is_empty());
}

#[test]
fn tier_rate_multipliers_let_established_agents_ask_more_and_still_win_on_price() {
    // One settled task makes an agent Rising here (multiplier 100 %); a newcomer's is 90 %.
    let mut config = MarketConfig { seed: 7, ..MarketConfig::default() };
    config.reputation.tiers[0] = (1, 0.0);
    let mut m = market_with(config);
    let t0 = post(&mut m, 0, spec());
    ok(&mut m, 0, HUMAN, claim(t0));
    ok(&mut m, 0, HUMAN, submit(t0, good_output(), confident()));
    ok(&mut m, 0, CLIENT, Command::Review { task: t0, decision: ReviewDecision::Accept });
    assert_eq!((m.tier(AgentId(2)).unwrap(), m.tier(AgentId(0)).unwrap()), (Tier::Rising, Tier::New));
    let bids = TaskSpec {
        pricing: Pricing::Bids { ceiling: 2_000, award: AwardPolicy::BestPrice, bidding_closes_at: HOUR },
        ..spec()
    };
    let t = post(&mut m, 1, bids);
    // 1,000 from a newcomer counts as 1,111; 1,050 from a rising agent counts as 1,050.
    ok(&mut m, 2, AI, Command::PlaceBid { task: t, price: 1_000, eta_ms: MINUTE });
    ok(&mut m, 3, HUMAN, Command::PlaceBid { task: t, price: 1_050, eta_ms: MINUTE });
    let e = m.tick(HOUR);
    assert!(matches!(e[0].kind, EventKind::TaskClaimed { agent: AgentId(2), price: 1_050, .. }), "{e:?}");
}

#[test]
fn best_value_awards_the_best_fit_counting_price_once() {
    // No exploration bonus: skill, record and price decide.
    let mut config = MarketConfig { seed: 7, ..MarketConfig::default() };
    config.matching.newcomer_budget_bps = 0;
    let mut m = market_with(config);
    for (name, level) in [("novice", 3), ("twin-a", 4), ("twin-b", 4)] {
        ok(&mut m, 0, OP, fin_docs_agent(name, name, level, 1, 100));
    }
    let (novice, twin_a, twin_b) = (AgentId(4), AgentId(5), AgentId(6));
    let award = |m: &mut Market, at: Timestamp, bids: &[(AgentId, Money)]| {
        let mut s = bid_spec(AwardPolicy::BestValue);
        s.pricing = Pricing::Bids { ceiling: 2_000, award: AwardPolicy::BestValue, bidding_closes_at: at + HOUR };
        s.deadlines.claim_by = at + 2 * HOUR;
        m.tick(at);
        let t = post(m, at, s);
        for (i, &(agent, price)) in bids.iter().enumerate() {
            ok(m, at + 1 + i as u64, Actor::Agent { id: agent }, Command::PlaceBid { task: t, price, eta_ms: MINUTE });
        }
        let e = m.tick(at + HOUR);
        e.iter()
            .find_map(|e| match e.kind {
                EventKind::TaskClaimed { agent, via: ClaimRoute::AutoAward, .. } => Some(agent),
                _ => None,
            })
            .expect("awarded at close")
    };
    // Equally fit bidders: the cheaper one wins, whichever bid first.
    assert_eq!(award(&mut m, 0, &[(twin_a, 1_500), (twin_b, 1_400)]), twin_b);
    // The level-5 expert asking a third more than a level-3 novice (neither has a record) is the
    // better value: its fit is higher by more than the price term takes off. (Fit per unit of
    // price, the rule before, awarded the novice: 0.33 more price outweighed any fit gap here.)
    assert_eq!(award(&mut m, 2 * HOUR, &[(novice, 1_200), (AgentId(2), 1_600)]), AgentId(2));
}
