//! Evidence counts from work the market chose (issue #11): `TaskClaimed.matched` on every route,
//! what unmatched work does and does not move, and how it is stored.

mod support;

use gigmarket::prelude::*;
use gigmarket::reputation::FactorName;
use support::*;

fn matched(events: &[Event]) -> Option<(AgentId, bool)> {
    events.iter().find_map(|e| match e.kind {
        EventKind::TaskClaimed { agent, matched, .. } => Some((agent, matched)),
        _ => None,
    })
}

/// `agent` hands in good work on `t`; the client accepts it and rates it `stars`.
fn deliver(m: &mut Market, now: Timestamp, t: TaskId, agent: Actor, stars: u8) {
    deliver_for(m, now, CLIENT, t, agent, stars);
}

/// [`deliver`] on a task `client` posted.
fn deliver_for(m: &mut Market, now: Timestamp, client: Actor, t: TaskId, agent: Actor, stars: u8) {
    ok(m, now, agent, submit(t, good_output(), confident()));
    ok(m, now, client, Command::Review { task: t, decision: ReviewDecision::Accept });
    ok(m, now, client, Command::RateTask { task: t, rating: Rating { quality: stars, timeliness: 5 } });
}

/// `n` more identical fin-docs agents (level 4, capacity 1), each its own owner.
fn add_extra_agents(m: &mut Market, n: u32) {
    for i in 0..n {
        let name = format!("extra-{i}");
        ok(m, 0, OP, fin_docs_agent(&name, &name, 4, 1, 100));
    }
}

fn overall(m: &Market, agent: AgentId) -> f64 {
    m.reputation().overall(&m.config().reputation, agent).mean
}

fn ranked(m: &mut Market, now: Timestamp, t: TaskId, k: u32) -> Vec<AgentId> {
    let e = ok(m, now, CLIENT, Command::RankAgents { task: t, k });
    let EventKind::AgentsRanked { ranked, .. } = &e[0].kind else { panic!("no ranking: {e:?}") };
    ranked.iter().map(|r| r.agent).collect()
}

/// `m` with four more fin-docs agents and a "friend" that also declares a skill nobody else does
/// (`handshake`): the gated ring of MATRIX.md in miniature.
fn with_friend(mut m: Market) -> (Market, AgentId) {
    add_extra_agents(&mut m, 4);
    let register = Command::RegisterAgent {
        name: "friend".into(),
        kind: AgentKind::Ai,
        owner: "friend".into(),
        skills: vec![Skill { name: "fin-docs".into(), level: 4 }, Skill { name: "handshake".into(), level: 5 }],
        capacity: 1,
        min_rate: 100,
    };
    let friend = match ok(&mut m, 0, OP, register)[0].kind {
        EventKind::AgentRegistered { agent, .. } => agent,
        ref other => panic!("expected AgentRegistered, got {}", other.name()),
    };
    (m, friend)
}

/// The test spec, behind the gate only the friend passes.
fn gated_spec() -> TaskSpec {
    let mut s = spec();
    s.required_skills.push(SkillRequirement { skill: "handshake".into(), min_level: 5 });
    s
}

/// The client posts a gated task, ranks it (only the friend is listed), the friend claims and
/// delivers it: whether the claim was the market's choice.
fn claim_gated(m: &mut Market, now: Timestamp, friend: AgentId) -> Option<bool> {
    let t = post(m, now, gated_spec());
    assert_eq!(ranked(m, now, t, 10), vec![friend], "only the friend passes the gate");
    let chosen = matched(&ok(m, now, Actor::Agent { id: friend }, claim(t)));
    deliver(m, now, t, Actor::Agent { id: friend }, 5);
    chosen.map(|(_, matched)| matched)
}

/// The market measures `agents` through chosen work behind the common skill (with the friend
/// among them, its gate, which only the friend declares, then leaves a choice).
fn measure_through_common_work(m: &mut Market, agents: &[AgentId]) {
    for &a in agents {
        let t = post(m, 1, spec());
        assign(m, 1, t, a);
        deliver(m, 1, t, Actor::Agent { id: a }, 4);
    }
}

/// A new client of `owner`, established by an imported spend (weighing fully as a rater), with
/// money to post.
fn established_client(m: &mut Market, now: Timestamp, owner: &str) -> ClientId {
    let register = Command::RegisterClient { name: format!("{owner} co"), owner: owner.into() };
    let client = match ok(m, now, OP, register)[0].kind {
        EventKind::ClientRegistered { client, .. } => client,
        ref other => panic!("expected ClientRegistered, got {}", other.name()),
    };
    ok(m, now, OP, Command::ImportEstablishment { client, spend: 10_000, note: None });
    ok(m, now, Actor::Client { id: client }, Command::Deposit { amount: 10_000 });
    client
}

/// Clients of `owners`, each established by an imported spend (weighing fully as raters), post a
/// task behind the friend's gate and settle it with the friend: each vouches for the gate
/// (`market/gate_vouchers.rs`). Returns their ids.
fn vouch_for_the_gate(m: &mut Market, now: Timestamp, friend: AgentId, owners: &[&str]) -> Vec<ClientId> {
    let mut vouchers = Vec::new();
    for owner in owners {
        let client = established_client(m, now, owner);
        let actor = Actor::Client { id: client };
        let t = post_as(m, now, actor, gated_spec());
        ok(m, now, Actor::Agent { id: friend }, claim(t));
        ok(m, now, Actor::Agent { id: friend }, submit(t, good_output(), confident()));
        ok(m, now, actor, Command::Review { task: t, decision: ReviewDecision::Accept });
        assert_eq!(m.client(client).map(|c| c.vouched_gates.clone()), Some(vec!["handshake".to_string()]));
        vouchers.push(client);
    }
    vouchers
}

/// `client` posts a task behind the friend's gate and ranks it (only the friend is listed), and
/// the friend claims it from the shortlist (the market's choice, the gate being open) and
/// delivers; the client accepts. Returns the task.
fn chosen_gated_task(m: &mut Market, now: Timestamp, client: Actor, friend: AgentId) -> TaskId {
    let t = post_as(m, now, client, gated_spec());
    let e = ok(m, now, client, Command::RankAgents { task: t, k: 10 });
    let EventKind::AgentsRanked { ranked, .. } = &e[0].kind else { panic!("no ranking") };
    assert_eq!(ranked.iter().map(|r| r.agent).collect::<Vec<_>>(), vec![friend]);
    let claimed = ok(m, now, Actor::Agent { id: friend }, claim(t));
    assert_eq!(matched(&claimed), Some((friend, true)), "the open gate's shortlist is the market's choice");
    ok(m, now, Actor::Agent { id: friend }, submit(t, good_output(), confident()));
    ok(m, now, client, Command::Review { task: t, decision: ReviewDecision::Accept });
    t
}

/// [`chosen_gated_task`] for the second client, the ring's own account.
fn ring_clients_gated_task(m: &mut Market, now: Timestamp, friend: AgentId) -> TaskId {
    chosen_gated_task(m, now, OTHER_CLIENT, friend)
}

#[test]
fn a_claim_is_matched_only_from_the_shortlist_of_the_latest_ranking() {
    let mut m = market();
    // No ranking: the agent picked the task (or the client picked the agent).
    let t = post(&mut m, 0, spec());
    assert_eq!(matched(&ok(&mut m, 0, HUMAN, claim(t))), Some((AgentId(2), false)));
    // Ranked, and claimed by one of its first three entries: the market's choice.
    let t = post(&mut m, 0, spec());
    let order = ranked(&mut m, 0, t, 10);
    assert!(!order.is_empty());
    assert_eq!(m.task(t).unwrap().shortlist, order[..order.len().min(gigmarket::task::SHORTLIST)]);
    let first = Actor::Agent { id: order[0] };
    assert_eq!(matched(&ok(&mut m, 0, first, claim(t))), Some((order[0], true)));
    assert!(m.task(t).unwrap().shortlist.is_empty(), "a taken task keeps no shortlist");
}

#[test]
fn a_claim_from_beyond_the_shortlist_is_not_matched() {
    // Five identical agents: a ranking lists them all, and the last is beyond the shortlist.
    let mut m = market();
    add_extra_agents(&mut m, 3);
    let t = post(&mut m, 0, spec());
    let order = ranked(&mut m, 0, t, 10);
    let last = *order.last().expect("a ranking");
    assert!(order.len() > gigmarket::task::SHORTLIST, "{order:?}");
    assert_eq!(matched(&ok(&mut m, 0, Actor::Agent { id: last }, claim(t))), Some((last, false)));
}

#[test]
fn assignment_arbitration_and_the_best_bid_are_matched_and_a_clients_other_pick_is_not() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    assert_eq!(matched(&assign(&mut m, 0, t, AgentId(2))), Some((AgentId(2), true)));
    // Bids: the client awards the worse of two; then, on another task, the best on records.
    let bids = |m: &mut Market, at: Timestamp| {
        let mut s = spec();
        s.pricing = Pricing::Bids { ceiling: 1_000, bidding_closes_at: at + HOUR, award: AwardPolicy::Client };
        s.deadlines.claim_by = at + 2 * HOUR;
        let t = post(m, at, s);
        ok(m, at + 1, AI, Command::PlaceBid { task: t, price: 900, eta_ms: HOUR });
        ok(m, at + 1, HUMAN, Command::PlaceBid { task: t, price: 500, eta_ms: HOUR });
        t
    };
    let t = bids(&mut m, 0);
    let e = ok(&mut m, HOUR + 1, CLIENT, Command::AwardBid { task: t, agent: AgentId(0) });
    assert_eq!(matched(&e), Some((AgentId(0), false)), "the dearer bid is the client's own pick");
    let t = bids(&mut m, 2 * HOUR);
    let e = ok(&mut m, 3 * HOUR + 1, CLIENT, Command::AwardBid { task: t, agent: AgentId(2) });
    assert_eq!(matched(&e), Some((AgentId(2), true)), "the best bid on records is the market's");
}

#[test]
fn unmatched_work_is_paid_but_moves_no_score_vouches_for_nothing_and_establishes_no_client() {
    let mut m = market();
    let before = (overall(&m, AgentId(2)), balance(&m, HUMAN));
    let vouched = |m: &Market| m.reputation().agent(AgentId(2)).unwrap().vouched;
    for i in 0..5 {
        let t = post(&mut m, i, spec());
        ok(&mut m, i, HUMAN, claim(t));
        deliver(&mut m, i, t, HUMAN, 5);
    }
    assert!(balance(&m, HUMAN) > before.1, "the work was paid");
    let unmatched = overall(&m, AgentId(2));
    assert!(unmatched < before.0, "five-star unmatched work lifted the score: {} -> {unmatched}", before.0);
    assert_eq!(vouched(&m), 0.0);
    assert_eq!(m.reputation().client(ClientId(0)).unwrap().establishment_spend(), 0);
    assert_eq!(m.reputation().agent(AgentId(2)).unwrap().unmatched, 5);
    // The same work placed by the market counts.
    let mut n = market();
    for i in 0..5 {
        let t = post(&mut n, i, spec());
        assign(&mut n, i, t, AgentId(2));
        deliver(&mut n, i, t, HUMAN, 5);
    }
    assert!(overall(&n, AgentId(2)) > before.0 + 0.01, "matched five-star work did not lift the score");
    assert!(n.reputation().client(ClientId(0)).unwrap().establishment_spend() > 0);
}

#[test]
fn a_host_that_lets_unmatched_work_count_sees_it_count() {
    let mut config = MarketConfig { seed: 7, ..MarketConfig::default() };
    config.reputation.unmatched_weight = 1.0;
    let mut m = market_with(config);
    let before = overall(&m, AgentId(2));
    for i in 0..5 {
        let t = post(&mut m, i, spec());
        ok(&mut m, i, HUMAN, claim(t));
        deliver(&mut m, i, t, HUMAN, 5);
    }
    assert!(overall(&m, AgentId(2)) > before + 0.01, "unmatched work at weight 1 did not count");
    assert!(m.reputation().agent(AgentId(2)).unwrap().unmatched_penalty(&m.config().reputation) == 0.0);
}

#[test]
fn an_untried_agent_scores_its_prior_and_allocation_takes_the_newcomer_discount_off_it() {
    let mut m = market();
    let config = m.config().reputation.clone();
    // Nobody has worked: every agent's score is the undiscounted prior, the same for all.
    let fresh = overall(&m, AgentId(0));
    assert_eq!(fresh, overall(&m, AgentId(1)));
    assert!((fresh - 0.6).abs() < 1e-9, "an untried agent's score is the prior, not a discounted one: {fresh}");
    // HUMAN builds a record on matched work; AI stays untried.
    for i in 0..6 {
        let t = post(&mut m, i, spec());
        assign(&mut m, i, t, AgentId(2));
        deliver(&mut m, i, t, HUMAN, 3);
    }
    let t = post(&mut m, 10, spec());
    let e = ok(&mut m, 10, CLIENT, Command::RankAgents { task: t, k: 10 });
    let EventKind::AgentsRanked { ranked, .. } = &e[0].kind else { panic!("no ranking") };
    let category = m.task(t).unwrap().category;
    let entry = |a: AgentId| ranked.iter().find(|r| r.agent == a).expect("ranked").fit.reputation;
    let score = |a: AgentId| m.reputation().score(&config, a, category);
    // Allocation reads the untried agent's score less all of its discount ...
    let untried = score(AgentId(0));
    assert_eq!(untried.evidence, 0.0);
    assert!((entry(AgentId(0)) - (untried.mean - config.newcomer_discount)).abs() < 1e-9);
    // ... and a proven record's less only the prior's share of it.
    let proven = score(AgentId(2));
    let discount = m.reputation().agent(AgentId(2)).unwrap().newcomer_discount(&config);
    let share = config.prior_strength / (config.prior_strength + proven.evidence);
    assert!(proven.evidence > 0.0 && share < 1.0);
    assert!((entry(AgentId(2)) - (proven.mean - discount * share)).abs() < 1e-9);
}

#[test]
fn unmatched_settlements_survive_a_snapshot_and_a_doctored_count_is_refused() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, 0, HUMAN, claim(t));
    ok(&mut m, 0, HUMAN, submit(t, good_output(), confident()));
    ok(&mut m, 0, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    // Saved between settlement and rating: the rating after loading must still not count.
    let saved = m.save();
    assert!(saved.contains("SettledUnmatched"), "a settled unmatched task is stored as such");
    let mut loaded = Market::load(&saved).expect("loads");
    assert_eq!(loaded.save(), saved);
    let rate = Command::RateTask { task: t, rating: Rating { quality: 5, timeliness: 5 } };
    ok(&mut m, 1, CLIENT, rate.clone());
    ok(&mut loaded, 1, CLIENT, rate);
    assert_eq!(loaded.save(), m.save());
    let doctored = saved.replacen("\"unmatched\":1", "\"unmatched\":0", 1);
    assert_ne!(doctored, saved);
    let err = Market::load(&doctored).unwrap_err();
    assert!(err.to_string().contains("unmatched"), "{err}");
}

#[test]
fn a_skill_only_unmeasured_agents_declare_leaves_the_market_no_choice() {
    let (mut m, friend) = with_friend(market());
    let claim_gated = |m: &mut Market, now: Timestamp| claim_gated(m, now, friend);
    // Nobody is measured yet, but most agents declare fin-docs, so the market can measure: the
    // rare gate leaves no choice from the first task (a young market is protected).
    assert_eq!(claim_gated(&mut m, 0), Some(false));
    // The market measures two agents through work behind a skill most agents declare, and none
    // of the gate's holders: its shortlist is still the client's pick, and counts for nothing.
    measure_through_common_work(&mut m, &[AgentId(4), AgentId(5)]);
    assert_eq!(claim_gated(&mut m, 2), Some(false));
    // Work behind the rare gate measured nobody; chosen work behind a common one does.
    let t = post(&mut m, 3, spec());
    assign(&mut m, 3, t, friend);
    deliver(&mut m, 3, t, Actor::Agent { id: friend }, 4);
    assert_eq!(claim_gated(&mut m, 4), Some(false), "measured, but no other client vouched for the gate");
    // Established clients of two other owners settle work behind the gate: a specialty several
    // clients use, whose shortlist is the market's choice.
    vouch_for_the_gate(&mut m, 4, friend, &["initech", "umbrella"]);
    assert_eq!(claim_gated(&mut m, 4), Some(true));
    // The counts are derived: a snapshot rebuilds them (`audit` compares them after every command).
    let saved = m.save();
    let loaded = Market::load(&saved).expect("own snapshot loads");
    assert_eq!(loaded.reputation().agent(friend).map(|r| r.open_matched), Some(1));
    assert_eq!(loaded.save(), saved);
    // More measuring work than chosen work is refused on load.
    let doctored = saved.replace("\"open_matched\":1,", "\"open_matched\":9,");
    assert_ne!(doctored, saved);
    let err = Market::load(&doctored).unwrap_err();
    assert!(err.to_string().contains("open_matched"), "{err}");
}

#[test]
fn money_paid_behind_a_rare_gate_does_not_establish_its_client() {
    // The gated ring of MATRIX.md once its gate is open: its holder is measured through common
    // work, so its shortlists count as the market's choice. A second client pays it for gated
    // work only, as a ring's accounts pay their own agents; its payments establish nothing, so its
    // ratings stay as light as a fresh account's, while the first client's common work counts.
    let (mut m, friend) = with_friend(market());
    measure_through_common_work(&mut m, &[AgentId(4), AgentId(5), friend]);
    let spend = |m: &Market, c: u32| m.reputation().client(ClientId(c)).map_or(0, |r| r.establishment_spend());
    let common_spend = spend(&m, 0);
    assert!(common_spend > 0, "work behind common skills establishes its client");
    vouch_for_the_gate(&mut m, 1, friend, &["initech", "umbrella"]);
    let ring_client = OTHER_CLIENT;
    for round in 0..3 {
        ring_clients_gated_task(&mut m, 2 + round, friend);
    }
    assert_eq!(spend(&m, 1), 0, "paid behind a rare gate: no establishment");
    assert_eq!(m.reputation().client(ClientId(1)).map(|r| r.establishment(&m.config().reputation)), Some(0.0));
    // The same money behind the common skill alone establishes it.
    let t = post_as(&mut m, 6, ring_client, spec());
    assign(&mut m, 6, t, AgentId(6));
    ok(&mut m, 6, Actor::Agent { id: AgentId(6) }, submit(t, good_output(), confident()));
    ok(&mut m, 6, ring_client, Command::Review { task: t, decision: ReviewDecision::Accept });
    assert!(spend(&m, 1) > 0, "work behind common skills establishes the same client");
    // Derived state holds across a snapshot.
    let saved = m.save();
    assert_eq!(Market::load(&saved).expect("own snapshot loads").save(), saved);
}

#[test]
fn work_behind_an_open_rare_gate_weighs_by_its_client_alone_and_counts_as_picked() {
    // A ring whose agents declare top levels in a common skill wins some honest work, is
    // measured, and so opens the gate only its agents pass (MATRIX.md, "Rings that lie about
    // their skills"). From then on its own accounts' gated tasks are the market's choice among
    // its agents alone. Such an outcome once weighed at least the floor every chosen outcome
    // gets (5 % of its value) and the agent, kept busy by it, took no penalty for hiding: the
    // ring rose 13–37 percentile points in the matrix. Now the outcome weighs by its client's
    // standing alone (nothing for a fresh account), and the work counts as picked by the client.
    let (mut m, friend) = with_friend(market());
    measure_through_common_work(&mut m, &[AgentId(4), AgentId(5), friend]);
    // Two established clients' work behind the gate (the first two tasks there, so neither was
    // the market's choice) makes it a specialty.
    vouch_for_the_gate(&mut m, 1, friend, &["initech", "umbrella"]);
    let before = overall(&m, friend);
    for round in 0..3 {
        let t = ring_clients_gated_task(&mut m, 2 + round, friend);
        let record = m.reputation().agent(friend).expect("the friend has a record");
        let settled = record.changes.iter().rev().find(|c| c.task == Some(t)).expect("the settlement is explained");
        let factor = |name| settled.factors.iter().find(|f| f.name == name).map(|f| f.value);
        assert_eq!(factor(FactorName::RareGate), Some(0.0), "no floor behind a rare gate");
        assert_eq!(factor(FactorName::ClientEstablishment), Some(0.0), "a fresh account has no standing");
        assert_eq!(factor(FactorName::OutcomeWeight), Some(0.0), "so the outcome weighs nothing");
    }
    let record = m.reputation().agent(friend).expect("the friend has a record");
    assert_eq!((record.settled, record.unmatched, record.gated), (6, 2, 3));
    let penalty = record.unmatched_penalty(&m.config().reputation);
    assert!(penalty > 0.0, "work its client picked it for lowers its priors: {penalty}");
    let after = overall(&m, friend);
    assert!(after < before, "weightless gated work cannot lift the agent: {before} -> {after}");
    // Common work for an established client still has its floor and no such factor.
    let t = post(&mut m, 6, spec());
    assign(&mut m, 6, t, friend);
    deliver(&mut m, 6, t, Actor::Agent { id: friend }, 4);
    let record = m.reputation().agent(friend).expect("the friend has a record");
    let settled = record.changes.iter().rev().find(|c| c.task == Some(t)).expect("the settlement is explained");
    assert!(settled.factors.iter().all(|f| f.name != FactorName::RareGate));
    // The count is stored, and more of it than chosen work is refused on load.
    let saved = m.save();
    assert_eq!(Market::load(&saved).expect("own snapshot loads").save(), saved);
    let doctored = saved.replacen("\"gated\":3", "\"gated\":9", 1);
    assert_ne!(doctored, saved);
    let err = Market::load(&doctored).unwrap_err();
    assert!(err.to_string().contains("gated"), "{err}");
}

#[test]
fn an_exploration_trial_measures_nobody_for_a_rare_gate() {
    // The gated ring of MATRIX.md under a generous exploration budget: the market tries the
    // ring's agent on common work, as it tries every unknown. A trial is not the market's choice
    // on evidence, so the agent's rare gate stays closed and the ring's own shortlists stay the
    // client's pick; before trials stopped measuring, the gate opened here and a larger budget
    // let a ring rise from its agents' prior on its own tasks.
    let mut config = MarketConfig { seed: 7, ..MarketConfig::default() };
    config.matching.newcomer_budget_bps = 10_000;
    let (mut m, friend) = with_friend(market_with(config));
    let claim_gated = |m: &mut Market, now: Timestamp| claim_gated(m, now, friend);
    let exploring = |events: &[Event]| {
        events.iter().find_map(|e| match e.kind {
            EventKind::TaskClaimed { exploring, .. } => Some(exploring),
            _ => None,
        })
    };
    // Two agents measured through chosen work behind the common skill: the rare gate is shut.
    measure_through_common_work(&mut m, &[AgentId(4), AgentId(5)]);
    let measured = |m: &Market| m.reputation().agent(friend).map_or(0, |r| r.open_matched);
    assert_eq!(claim_gated(&mut m, 2), Some(false));
    // The friend's trial on common work: exploration decided it, and it measures nothing.
    let t = post(&mut m, 3, spec());
    assert_eq!(exploring(&assign(&mut m, 3, t, friend)), Some(true), "the unknown friend is tried");
    deliver(&mut m, 3, t, Actor::Agent { id: friend }, 4);
    assert_eq!(measured(&m), 0);
    assert_eq!(claim_gated(&mut m, 4), Some(false), "a trial does not open the gate");
    // The trial is stored with the work while it is open, and a snapshot keeps it.
    let t = post(&mut m, 5, spec());
    assert_eq!(exploring(&assign(&mut m, 5, t, friend)), Some(true));
    let saved = m.save();
    assert!(saved.contains("\"exploring\":true"), "open work records that exploration chose it");
    let mut loaded = Market::load(&saved).expect("own snapshot loads");
    assert_eq!(loaded.save(), saved);
    deliver(&mut loaded, 5, t, Actor::Agent { id: friend }, 4);
    assert_eq!(measured(&loaded), 0, "loaded, the trial still measures nothing");
}

#[test]
fn a_rare_gate_one_established_client_uses_is_its_pick_until_clients_of_two_other_owners_vouch() {
    // `lying-collusion` of MATRIX.md in miniature. The friend is measured through common work,
    // as a ring's agents are once their lies about a common skill win them honest tasks, so its
    // gate leaves a choice by `skill_gates.rs` alone. A client with real standing then posts
    // tasks behind the gate only the friend passes; each counted as the market's choice, weighed
    // by that standing, and the ring rose 16 to 37 percentile points. Now a rare gate also needs
    // the vouches of established clients of two other owners.
    let (mut m, friend) = with_friend(market());
    measure_through_common_work(&mut m, &[AgentId(4), AgentId(5), friend]);
    ok(&mut m, 2, OP, Command::ImportEstablishment { client: ClientId(0), spend: 10_000, note: None });
    let vouched = |m: &Market, c: ClientId| m.client(c).map(|c| c.vouched_gates.clone()).unwrap_or_default();
    // Its own work behind the gate: its pick, and its own vouch.
    assert_eq!(claim_gated(&mut m, 2, friend), Some(false));
    assert_eq!(vouched(&m, ClientId(0)), ["handshake"]);
    // A client without standing settles behind the gate: no vouch (sock accounts cannot vouch).
    let t = post_as(&mut m, 3, OTHER_CLIENT, gated_spec());
    ok(&mut m, 3, Actor::Agent { id: friend }, claim(t));
    ok(&mut m, 3, Actor::Agent { id: friend }, submit(t, good_output(), confident()));
    ok(&mut m, 3, OTHER_CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    assert!(vouched(&m, ClientId(1)).is_empty(), "a fresh account does not vouch");
    // Another identity of the same owner vouches: not another owner.
    vouch_for_the_gate(&mut m, 3, friend, &["acme"]);
    assert_eq!(claim_gated(&mut m, 3, friend), Some(false), "its owner's own vouches");
    // One other owner: still its pick; two: a specialty, the market's choice.
    vouch_for_the_gate(&mut m, 4, friend, &["initech"]);
    assert_eq!(claim_gated(&mut m, 4, friend), Some(false), "one other owner vouched");
    let umbrella = vouch_for_the_gate(&mut m, 5, friend, &["umbrella"])[0];
    assert_eq!(claim_gated(&mut m, 5, friend), Some(true), "two other owners vouched");
    // The operator suspends one voucher: its vouch does not count while it is suspended.
    let party = PartyRef::Client { id: umbrella };
    ok(&mut m, 5, OP, Command::SuspendParty { party, reason: "under investigation".into() });
    assert_eq!(claim_gated(&mut m, 5, friend), Some(false), "a suspended client vouches for nothing");
    ok(&mut m, 5, OP, Command::ReinstateParty { party, reason: "cleared".into() });
    assert_eq!(claim_gated(&mut m, 5, friend), Some(true), "reinstated, its vouch counts again");
    // Work behind a common skill vouches for nothing: the list holds the rare skill alone.
    let t = post(&mut m, 6, spec());
    assign(&mut m, 6, t, AgentId(4));
    deliver(&mut m, 6, t, Actor::Agent { id: AgentId(4) }, 4);
    assert_eq!(vouched(&m, ClientId(0)), ["handshake"]);
    // The vouches are stored with the clients; the per-skill lists are rebuilt on load, and a
    // list settlement could not have made is refused.
    let saved = m.save();
    assert!(saved.contains("\"vouched_gates\":[\"handshake\"]"), "stored with the client");
    let mut loaded = Market::load(&saved).expect("own snapshot loads");
    assert_eq!(loaded.save(), saved);
    assert_eq!(claim_gated(&mut loaded, 7, friend), Some(true), "loaded, the gate still has its vouchers");
    let doctored =
        saved.replacen("\"vouched_gates\":[\"handshake\"]", "\"vouched_gates\":[\"handshake\",\"handshake\"]", 1);
    assert_ne!(doctored, saved);
    let err = Market::load(&doctored).unwrap_err();
    assert!(err.to_string().contains("vouched_gates"), "{err}");
}

/// `colluders` each give the friend a [`chosen_gated_task`] and rate it `stars`.
fn rated_gated_work(m: &mut Market, now: Timestamp, friend: AgentId, colluders: &[ClientId], stars: u8) {
    for &c in colluders {
        let client = Actor::Client { id: c };
        let t = chosen_gated_task(m, now, client, friend);
        ok(m, now, client, Command::RateTask { task: t, rating: Rating { quality: stars, timeliness: 5 } });
    }
}

/// The friend of `with_friend`, measured, behind a gate three established clients of other
/// owners opened. Each of `rounds` rounds: if `gated`, those clients' work behind the gate, rated
/// five stars; then, if `common_stars` is some, two tasks behind the common skill, each for a
/// client of an owner of its own (as a ring's agents win honest work from many clients), rated
/// that. Returns the market and the friend.
fn friend_behind_an_open_gate(rounds: u64, gated: bool, common_stars: Option<u8>) -> (Market, AgentId) {
    let (mut m, friend) = with_friend(market());
    measure_through_common_work(&mut m, &[AgentId(4), AgentId(5), friend]);
    let colluders = vouch_for_the_gate(&mut m, 2, friend, &["initech", "umbrella", "hooli"]);
    for round in 0..rounds {
        let now = 10 * (round + 1);
        if gated {
            rated_gated_work(&mut m, now, friend, &colluders, 5);
        }
        for i in 0..common_stars.map_or(0, |_| 2) {
            let client = Actor::Client { id: established_client(&mut m, now, &format!("honest-{round}-{i}")) };
            let t = post_as(&mut m, now, client, spec());
            assign(&mut m, now, t, friend);
            deliver_for(&mut m, now, client, t, Actor::Agent { id: friend }, common_stars.unwrap_or(5));
        }
    }
    (m, friend)
}

#[test]
fn five_stars_behind_a_rare_gate_count_only_while_the_agents_other_work_agrees() {
    // `collusion-of-three` of MATRIX.md in miniature. Established clients of three owners vouch
    // for the gate only the friend passes, so it leaves the market a choice, and then keep
    // rating the friend's work there five stars: the market's choice, weighed by their standing.
    // A specialty looks the same from inside the gate. What tells a ring apart is the same
    // agent's other work, which everyone else finds poor; the ring rose 28 to 41 percentile
    // points while nothing compared the two.
    let config = market().config().reputation.clone();
    let distrust = |m: &Market, friend: AgentId| m.reputation().gated_distrust(&config, friend, m.now());
    // Nothing else to go by: the gated work counts in full, as a specialist's must.
    let (ring, friend) = friend_behind_an_open_gate(4, true, None);
    let (alone, _) = friend_behind_an_open_gate(4, false, None);
    assert_eq!(distrust(&ring, friend), 0.0, "nothing contradicts the gated work");
    let lift = overall(&ring, friend) - overall(&alone, friend);
    assert!(lift > 0.05, "the five-star gated work lifts the friend: {lift}");
    // Poor work for everyone else alongside it: the gated work stops counting, all of it.
    let (ring, friend) = friend_behind_an_open_gate(4, true, Some(1));
    let (alone, _) = friend_behind_an_open_gate(4, false, Some(1));
    assert_eq!(distrust(&ring, friend), 1.0, "its other work contradicts the gated work");
    let category = ring.task(TaskId(0)).map(|t| t.category).expect("the first task");
    let explained = ring.reputation().explain(&config, friend, category, ring.now());
    assert_eq!(explained.gated_distrust, 1.0, "the explanation says so");
    let left = overall(&ring, friend) - overall(&alone, friend);
    // Left out, it lifts the friend not at all (work its clients picked still lowers its priors,
    // as all such work does).
    assert!(left < 0.0, "the ring's work moves the friend {left} against the same friend without it, {lift} before");
    // A specialist whose work elsewhere is as good as behind its gate keeps all of it.
    let (specialist, friend) = friend_behind_an_open_gate(4, true, Some(5));
    assert_eq!(distrust(&specialist, friend), 0.0, "nothing contradicts a specialist's gated work");
    // The gated part is stored with the record and loads back; more of it than the whole is
    // refused on load.
    let saved = ring.save();
    let at = saved.find("\"gated\":[{\"pos\":").expect("stored with the category record") + 16;
    let loaded = Market::load(&saved).expect("own snapshot loads");
    assert_eq!(loaded.save(), saved);
    assert_eq!(distrust(&loaded, friend), 1.0);
    let end = at + saved[at..].find(',').expect("a number");
    let doctored = format!("{}1e6{}", &saved[..at], &saved[end..]);
    let err = Market::load(&doctored).unwrap_err();
    assert!(err.to_string().contains("gated"), "{err}");
}

#[test]
fn sock_accounts_cannot_make_a_specialists_gated_work_look_contradicted() {
    // The check above reads a specialist's gated work against its other work; a competitor's
    // sock accounts could try to supply that other work, hiring the specialist behind the common
    // skill and rating it one star. Each side counts in the record's typical weight, and an
    // account with no standing weighs next to nothing, so ten of them are no consensus.
    let (mut m, friend) = friend_behind_an_open_gate(4, true, None);
    for i in 0..10 {
        let register = Command::RegisterClient { name: format!("sock {i}"), owner: format!("sock-{i}") };
        let sock = match ok(&mut m, 90, OP, register)[0].kind {
            EventKind::ClientRegistered { client, .. } => Actor::Client { id: client },
            ref other => panic!("expected ClientRegistered, got {}", other.name()),
        };
        ok(&mut m, 90, sock, Command::Deposit { amount: 10_000 });
        let t = post_as(&mut m, 90, sock, spec());
        assign(&mut m, 90, t, friend);
        deliver_for(&mut m, 90, sock, t, Actor::Agent { id: friend }, 1);
    }
    let config = m.config().reputation.clone();
    assert_eq!(m.reputation().gated_distrust(&config, friend, m.now()), 0.0, "weightless raters are no consensus");
}
