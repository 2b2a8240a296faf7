//! Moderation (issue #11): the operator suspends, reinstates and closes clients and agents, and
//! records trust inputs for clients (identity verified, establishment imported). A party that is
//! not in good standing cannot act, is not ranked, assigned or shown, and holds nothing that
//! would leave someone else stuck; money is conserved throughout (`ok` audits after every step).

mod support;
use gigmarket::prelude::*;
use serde_json::{json, Value};
use support::*;

const AI_ID: AgentId = AgentId(0);
const HUMAN_ID: AgentId = AgentId(2);
const AI_PARTY: PartyRef = PartyRef::Agent { id: AI_ID };
const CLIENT_PARTY: PartyRef = PartyRef::Client { id: ClientId(0) };

fn suspend(party: PartyRef) -> Command {
    Command::SuspendParty { party, reason: "under investigation".into() }
}
fn reinstate(party: PartyRef) -> Command {
    Command::ReinstateParty { party, reason: "cleared".into() }
}
fn close(party: PartyRef) -> Command {
    Command::CloseParty { party, reason: "terms breached".into() }
}

fn bid_spec(ceiling: Money) -> TaskSpec {
    TaskSpec { pricing: Pricing::Bids { ceiling, award: AwardPolicy::Client, bidding_closes_at: 5 * HOUR }, ..spec() }
}

fn ranked(m: &Market, t: TaskId) -> Vec<AgentId> {
    m.ranking(t, 10).unwrap().iter().map(|r| r.agent).collect()
}

fn population_share(m: &Market, cohort: &str) -> f64 {
    m.fairness_report().exposure.iter().find(|c| c.cohort == cohort).unwrap().population_share
}

#[test]
fn a_suspended_agent_cannot_act_and_drops_out_of_ranking_batches_leaderboards_and_populations() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    assert_eq!(ranked(&m, t), [HUMAN_ID, AI_ID], "both qualified agents are ranked before");
    assert!(m.leaderboard(None, 10).unwrap().iter().any(|e| e.agent == AI_ID));
    assert_eq!(population_share(&m, "ai"), 0.75);

    let e = ok(&mut m, MINUTE, OP, suspend(AI_PARTY));
    assert_eq!(kinds(&e), ["PartySuspended"]);
    assert!(matches!(&m.agent(AI_ID).unwrap().standing, Standing::Suspended { since, .. } if *since == MINUTE));

    let why = refused(&mut m, 2 * MINUTE, AI, claim(t));
    assert_eq!(why.code(), "suspended");
    assert!(why.to_string().contains("under investigation"), "{why}");
    let bid_task = post(&mut m, 2 * MINUTE, bid_spec(2_000));
    let bid = Command::PlaceBid { task: bid_task, price: 1_000, eta_ms: HOUR };
    assert_eq!(refused(&mut m, 2 * MINUTE, AI, bid).code(), "suspended");
    let profile = Command::UpdateAgentProfile { skills: vec![], capacity: 1, min_rate: 0 };
    assert_eq!(refused(&mut m, 2 * MINUTE, AI, profile).code(), "suspended");
    assert_eq!(refused(&mut m, 2 * MINUTE, AI, Command::Withdraw { amount: 1 }).code(), "suspended");

    assert_eq!(ranked(&m, t), [HUMAN_ID], "the suspended agent is not ranked");
    let e = ok(&mut m, 2 * MINUTE, CLIENT, Command::RankAgents { task: t, k: 10 });
    let EventKind::AgentsRanked { ranked: list, .. } = &e[0].kind else { panic!("{e:?}") };
    assert!(list.iter().all(|r| r.agent != AI_ID));
    let reasons = m.eligibility(t, AI_ID).unwrap();
    assert!(reasons.iter().any(|r| r.contains("suspended")), "{reasons:?}");
    assert!(m.leaderboard(None, 10).unwrap().iter().all(|e| e.agent != AI_ID), "not on the overall board");
    let category = m.category_id("invoice-extraction").unwrap();
    assert!(m.leaderboard(Some(category), 10).unwrap().iter().all(|e| e.agent != AI_ID), "nor a category's");
    let ai = population_share(&m, "ai");
    assert!((ai - 2.0 / 3.0).abs() < 1e-12, "three agents in good standing, two of them AI: {ai}");
    assert_eq!(population_share(&m, "human"), 1.0 / 3.0);

    // A batch over both open tasks places the fixed-price one with the only qualified agent left.
    let e = ok(&mut m, 3 * MINUTE, OP, Command::AssignTasks { tasks: None, agents: None, time_budget_ms: None });
    let placed: Vec<AgentId> = e
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TaskClaimed { agent, .. } => Some(agent),
            _ => None,
        })
        .collect();
    assert_eq!(placed, [HUMAN_ID]);
    // Even naming the suspended agent explicitly places nothing with it.
    let another = post(&mut m, 4 * MINUTE, spec());
    let only_ai = Command::AssignTasks { tasks: Some(vec![another]), agents: Some(vec![AI_ID]), time_budget_ms: None };
    let e = ok(&mut m, 4 * MINUTE, OP, only_ai);
    assert_eq!(kinds(&e), ["BatchAssigned"]);

    // Reinstated, it is back everywhere.
    let e = ok(&mut m, 5 * MINUTE, OP, reinstate(AI_PARTY));
    assert_eq!(kinds(&e), ["PartyReinstated"]);
    assert_eq!(m.agent(AI_ID).unwrap().standing, Standing::Active);
    assert!(ranked(&m, another).contains(&AI_ID));
    assert_eq!(population_share(&m, "ai"), 0.75);
    ok(&mut m, 6 * MINUTE, AI, claim(another));
}

#[test]
fn suspension_returns_work_in_progress_and_drops_bids_and_queued_claims() {
    let mut m = market();
    let claimed = post(&mut m, 0, spec());
    let asked = post(&mut m, 0, spec());
    let bidding = post(&mut m, 0, bid_spec(2_000));
    let mut window = spec();
    window.priority_window = Some(PriorityWindow { tier: Tier::New, duration_ms: 10 * MINUTE });
    let queued = post(&mut m, 0, window);
    ok(&mut m, MINUTE, AI, claim(claimed));
    ok(&mut m, MINUTE, AI, claim(asked));
    ok(&mut m, MINUTE, AI, Command::AskClarification { task: asked, question: "Which currency?".into() });
    ok(&mut m, MINUTE, AI, Command::PlaceBid { task: bidding, price: 1_500, eta_ms: HOUR });
    ok(&mut m, MINUTE, HUMAN, Command::PlaceBid { task: bidding, price: 1_600, eta_ms: HOUR });
    // AI is at capacity (2): make room for the queued claim by raising it.
    let profile = Command::UpdateAgentProfile {
        skills: vec![Skill { name: "fin-docs".into(), level: 4 }],
        capacity: 3,
        min_rate: 100,
    };
    ok(&mut m, MINUTE, AI, profile);
    assert_eq!(kinds(&ok(&mut m, MINUTE, AI, claim(queued))), ["ClaimQueued"]);
    let client_before = balance(&m, CLIENT);
    let ai_before = balance(&m, AI);

    let e = ok(&mut m, 2 * MINUTE, OP, suspend(AI_PARTY));
    assert_eq!(kinds(&e), ["PartySuspended", "TaskReturned", "TaskReturned", "BidWithdrawn", "ClaimLost"]);
    for event in &e {
        if let EventKind::TaskReturned { reason, agent, .. } = &event.kind {
            assert_eq!((*reason, *agent), (ReturnReason::Moderated, AI_ID));
        }
    }
    assert_eq!([claimed, asked, bidding, queued].map(|t| state(&m, t)), ["Open"; 4]);
    let TaskStatus::Open { bids, queued: waiting } = &m.task(bidding).unwrap().status else { unreachable!() };
    assert_eq!(bids.iter().map(|b| b.agent).collect::<Vec<_>>(), [HUMAN_ID], "the other bid stands");
    assert!(waiting.is_empty());
    assert!(matches!(&m.task(queued).unwrap().status, TaskStatus::Open { queued, .. } if queued.is_empty()));
    assert_eq!(m.agent(AI_ID).unwrap().active, 0, "it holds nothing now");
    assert_eq!(m.task(claimed).unwrap().dropped_by, [AI_ID], "and may not take those tasks back");
    assert_eq!((balance(&m, CLIENT), balance(&m, AI)), (client_before, ai_before), "escrow stays for the task");
    let evidence = m.reputation().overall(&m.config().reputation, AI_ID).evidence;
    assert_eq!(evidence, 0.0, "moderation is no abandonment: no reputation recorded");

    // Released work goes to someone else, and is paid as usual.
    ok(&mut m, 3 * MINUTE, HUMAN, claim(claimed));
    ok(&mut m, 4 * MINUTE, HUMAN, submit(claimed, good_output(), confident()));
    ok(&mut m, 5 * MINUTE, CLIENT, Command::Review { task: claimed, decision: ReviewDecision::Accept });
    assert_eq!(balance(&m, HUMAN), 900);
}

#[test]
fn work_released_after_its_claim_by_time_expires_and_is_refunded_at_once() {
    let mut m = market();
    let t = post(&mut m, 0, Deadlines { claim_by: 2 * HOUR, ..spec().deadlines }.into_spec());
    ok(&mut m, 110 * MINUTE, AI, claim(t));
    let before = balance(&m, CLIENT);
    let e = ok(&mut m, 150 * MINUTE, OP, suspend(AI_PARTY));
    assert_eq!(kinds(&e), ["PartySuspended", "TaskReturned", "TaskExpired"]);
    assert_eq!(state(&m, t), "Expired");
    assert_eq!(balance(&m, CLIENT), before + 1_000);
}

trait IntoSpec {
    fn into_spec(self) -> TaskSpec;
}
impl IntoSpec for Deadlines {
    fn into_spec(self) -> TaskSpec {
        TaskSpec { deadlines: self, ..spec() }
    }
}

#[test]
fn handed_in_work_of_a_suspended_agent_is_settled_and_a_closed_agent_may_only_withdraw() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, MINUTE, AI, claim(t));
    ok(&mut m, 2 * MINUTE, AI, submit(t, good_output(), confident()));
    let e = ok(&mut m, 3 * MINUTE, OP, suspend(AI_PARTY));
    assert_eq!(kinds(&e), ["PartySuspended"], "work under review is not taken away");
    assert_eq!(state(&m, t), "UnderReview");
    ok(&mut m, 4 * MINUTE, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    assert_eq!(balance(&m, AI), 900, "the work it did is paid");
    assert_eq!(refused(&mut m, 5 * MINUTE, AI, Command::Withdraw { amount: 900 }).code(), "suspended");

    let e = ok(&mut m, 6 * MINUTE, OP, close(AI_PARTY));
    assert_eq!(kinds(&e), ["PartyClosed"]);
    let other = post(&mut m, 6 * MINUTE, spec());
    let why = refused(&mut m, 7 * MINUTE, AI, claim(other));
    assert_eq!(why.code(), "closed");
    assert!(why.to_string().contains("may only withdraw"), "{why}");
    ok(&mut m, 7 * MINUTE, AI, Command::Withdraw { amount: 900 });
    assert_eq!(balance(&m, AI), 0, "money is never confiscated");
    assert_eq!(m.withdrawn(), 900);

    assert_eq!(refused(&mut m, 8 * MINUTE, OP, reinstate(AI_PARTY)).code(), "invalid_standing");
    assert_eq!(refused(&mut m, 8 * MINUTE, OP, suspend(AI_PARTY)).code(), "invalid_standing");
    assert_eq!(refused(&mut m, 8 * MINUTE, OP, close(AI_PARTY)).code(), "invalid_standing");
    assert_eq!(ranked(&m, other), [HUMAN_ID]);
}

#[test]
fn a_revision_asked_of_a_suspended_holder_reopens_the_task() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, MINUTE, AI, claim(t));
    ok(&mut m, 2 * MINUTE, AI, submit(t, good_output(), confident()));
    ok(&mut m, 3 * MINUTE, OP, suspend(AI_PARTY));
    let revise = ReviewDecision::RequestRevision { note: "add the VAT".into() };
    let e = ok(&mut m, 4 * MINUTE, CLIENT, Command::Review { task: t, decision: revise });
    assert_eq!(kinds(&e), ["RevisionRequested", "TaskReturned"]);
    assert_eq!(state(&m, t), "Open");
    assert_eq!(m.agent(AI_ID).unwrap().active, 0);
    ok(&mut m, 5 * MINUTE, HUMAN, claim(t));
}

#[test]
fn client_suspension_cancels_open_tasks_with_exact_refunds_and_lets_work_in_progress_finish() {
    let mut m = market();
    let open = post(&mut m, 0, spec());
    let bidding = post(&mut m, 0, bid_spec(2_500));
    let in_progress = post(&mut m, 0, spec());
    let returned = post(&mut m, 0, spec());
    ok(&mut m, MINUTE, AI, claim(in_progress));
    ok(&mut m, MINUTE, HUMAN, claim(returned));
    ok(&mut m, MINUTE, HUMAN, Command::PlaceBid { task: bidding, price: 2_000, eta_ms: HOUR });
    let before = balance(&m, CLIENT);
    assert_eq!(before, 100_000 - 3 * 1_000 - 2_500);

    let e = ok(&mut m, 2 * MINUTE, OP, suspend(CLIENT_PARTY));
    assert_eq!(kinds(&e), ["PartySuspended", "TaskCancelled", "TaskCancelled"]);
    assert_eq!(balance(&m, CLIENT), before + 1_000 + 2_500, "exactly the two open tasks' escrow");
    assert_eq!(
        [open, bidding, in_progress, returned].map(|t| state(&m, t)),
        ["Cancelled", "Cancelled", "Claimed", "Claimed"]
    );
    assert_eq!(refused(&mut m, 3 * MINUTE, CLIENT, Command::PostTask { spec: spec() }).code(), "suspended");
    assert_eq!(refused(&mut m, 3 * MINUTE, CLIENT, Command::Deposit { amount: 5 }).code(), "suspended");

    // A task that comes back to open for a suspended client is cancelled with it.
    let e = ok(&mut m, 3 * MINUTE, HUMAN, Command::ReturnTask { task: returned });
    assert_eq!(kinds(&e), ["TaskReturned", "TaskCancelled"]);
    assert_eq!(balance(&m, CLIENT), before + 2 * 1_000 + 2_500);

    // Work in progress runs to its end: the client cannot review, so silence accepts and pays.
    ok(&mut m, 4 * MINUTE, AI, submit(in_progress, good_output(), confident()));
    let review = Command::Review { task: in_progress, decision: ReviewDecision::Accept };
    assert_eq!(refused(&mut m, 5 * MINUTE, CLIENT, review).code(), "suspended");
    let e = m.tick(4 * MINUTE + HOUR);
    assert_eq!(kinds(&e), ["WorkAccepted", "TaskSettled"]);
    m.audit().unwrap();
    assert_eq!(balance(&m, AI), 900);
    assert_eq!(m.deposited() - m.withdrawn(), 200_000, "nothing came in or went out");
}

#[test]
fn a_clarification_a_suspended_client_cannot_answer_frees_the_agent_and_cancels_the_task() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    ok(&mut m, MINUTE, AI, claim(t));
    ok(&mut m, MINUTE, AI, Command::AskClarification { task: t, question: "Which currency?".into() });
    ok(&mut m, 2 * MINUTE, OP, suspend(CLIENT_PARTY));
    let before = balance(&m, CLIENT);
    let e = m.tick(MINUTE + 30 * MINUTE);
    assert_eq!(kinds(&e), ["TaskReturned", "TaskCancelled"]);
    m.audit().unwrap();
    assert_eq!(balance(&m, CLIENT), before + 1_000);
    assert_eq!(m.agent(AI_ID).unwrap().active, 0);
}

#[test]
fn reinstating_a_client_restores_it() {
    let mut m = market();
    ok(&mut m, 0, OP, suspend(CLIENT_PARTY));
    assert_eq!(refused(&mut m, 0, OP, suspend(CLIENT_PARTY)).code(), "invalid_standing");
    ok(&mut m, MINUTE, OP, reinstate(CLIENT_PARTY));
    assert_eq!(refused(&mut m, MINUTE, OP, reinstate(CLIENT_PARTY)).code(), "invalid_standing");
    let t = post(&mut m, 2 * MINUTE, spec());
    ok(&mut m, 3 * MINUTE, AI, claim(t));
    // Closing a suspended client is allowed; a closed client may withdraw what it holds.
    ok(&mut m, 4 * MINUTE, OP, suspend(CLIENT_PARTY));
    ok(&mut m, 5 * MINUTE, OP, close(CLIENT_PARTY));
    let left = balance(&m, CLIENT);
    ok(&mut m, 6 * MINUTE, CLIENT, Command::Withdraw { amount: left });
    assert_eq!(refused(&mut m, 6 * MINUTE, CLIENT, Command::Deposit { amount: 1 }).code(), "closed");
}

#[test]
fn only_the_operator_moderates_and_inputs_are_validated() {
    let mut m = market();
    for actor in [CLIENT, AI, REVIEWER] {
        assert_eq!(refused(&mut m, 0, actor, suspend(AI_PARTY)).code(), "wrong_role");
        assert_eq!(refused(&mut m, 0, actor, close(CLIENT_PARTY)).code(), "wrong_role");
        let verify = Command::VerifyClient { client: ClientId(0), note: None };
        assert_eq!(refused(&mut m, 0, actor, verify).code(), "wrong_role");
        let import = Command::ImportEstablishment { client: ClientId(0), spend: 5, note: None };
        assert_eq!(refused(&mut m, 0, actor, import).code(), "wrong_role");
    }
    ok(&mut m, 0, OP, suspend(AI_PARTY));
    assert_eq!(refused(&mut m, 0, OP, reinstate(PartyRef::Agent { id: AgentId(9) })).code(), "unknown_agent");
    assert_eq!(refused(&mut m, 0, OP, suspend(PartyRef::Client { id: ClientId(9) })).code(), "unknown_client");
    let empty = Command::SuspendParty { party: CLIENT_PARTY, reason: "  ".into() };
    assert_eq!(refused(&mut m, 0, OP, empty).code(), "out_of_range");
    let long = Command::CloseParty { party: CLIENT_PARTY, reason: "x".repeat(20_001) };
    assert_eq!(refused(&mut m, 0, OP, long).code(), "too_large");
    let too_much = Command::ImportEstablishment { client: ClientId(0), spend: 1 << 53, note: None };
    assert_eq!(refused(&mut m, 0, OP, too_much).code(), "out_of_range");
    let unknown = Command::VerifyClient { client: ClientId(7), note: None };
    assert_eq!(refused(&mut m, 0, OP, unknown).code(), "unknown_client");
    let long_note = Command::VerifyClient { client: ClientId(0), note: Some("n".repeat(20_001)) };
    assert_eq!(refused(&mut m, 0, OP, long_note).code(), "too_large");
}

#[test]
fn commands_in_json_carry_a_party_like_an_actor() {
    let json = r#"{"type":"SuspendParty","party":{"type":"Agent","id":3},"reason":"spam"}"#;
    let command: Command = serde_json::from_str(json).unwrap();
    assert_eq!(command, Command::SuspendParty { party: PartyRef::Agent { id: AgentId(3) }, reason: "spam".into() });
    let json = r#"{"type":"ImportEstablishment","client":1,"spend":5000}"#;
    let command: Command = serde_json::from_str(json).unwrap();
    assert_eq!(command, Command::ImportEstablishment { client: ClientId(1), spend: 5_000, note: None });
    let standing = Standing::Suspended { since: 5, reason: "spam".into() };
    assert_eq!(serde_json::to_value(&standing).unwrap(), json!({"state": "Suspended", "since": 5, "reason": "spam"}));
}

#[test]
fn verification_and_imported_establishment_are_recorded_and_survive_save_and_load() {
    let mut m = market();
    let config_spend = m.config().reputation.establishment_spend;
    let standing = m.client_standing(ClientId(0)).unwrap();
    assert!(!standing.verified);
    assert_eq!(standing.establishment, 0.0);
    let mut log = Vec::new();
    log.extend(ok(&mut m, MINUTE, OP, Command::VerifyClient { client: ClientId(0), note: Some("KYC 2026-11".into()) }));
    let import = Command::ImportEstablishment { client: ClientId(0), spend: config_spend, note: None };
    log.extend(ok(&mut m, MINUTE, OP, import));
    assert_eq!(kinds(&log), ["ClientVerified", "EstablishmentImported"]);
    let standing = m.client_standing(ClientId(0)).unwrap();
    assert!(standing.verified);
    assert_eq!(standing.establishment, 0.5, "the import counts as settled spend: half way at the configured spend");
    let record = m.reputation().client(ClientId(0)).unwrap();
    assert_eq!(
        (record.verified, record.imported_spend, record.establishment_spend()),
        (true, config_spend, config_spend)
    );
    assert!(!m.client_standing(ClientId(1)).unwrap().verified, "only that client");

    let saved = m.save();
    let loaded = Market::load(&saved).expect("loads");
    assert_eq!(loaded.save(), saved);
    assert!(loaded.client_standing(ClientId(0)).unwrap().verified);
    assert_eq!(loaded.client_standing(ClientId(0)).unwrap().establishment, 0.5);

    // A later import replaces the earlier one.
    ok(&mut m, 2 * MINUTE, OP, Command::ImportEstablishment { client: ClientId(0), spend: 0, note: None });
    assert_eq!(m.client_standing(ClientId(0)).unwrap().establishment, 0.0);
    assert!(m.client_standing(ClientId(0)).unwrap().verified);
}

#[test]
fn moderated_markets_replay_and_round_trip() {
    let mut m = Market::new(MarketConfig { seed: 7, ..MarketConfig::default() }).expect("valid config");
    let mut log = Vec::new();
    let mut run = |m: &mut Market, now, actor, command| log.extend(ok(m, now, actor, command));
    run(&mut m, 0, OP, Command::RegisterClient { name: "Acme".into(), owner: "acme".into() });
    let agent = Command::RegisterAgent {
        name: "a".into(),
        kind: AgentKind::Ai,
        owner: "bots".into(),
        skills: vec![Skill { name: "fin-docs".into(), level: 4 }],
        capacity: 2,
        min_rate: 0,
    };
    run(&mut m, 0, OP, agent);
    run(&mut m, 0, CLIENT, Command::Deposit { amount: 10_000 });
    run(&mut m, 0, CLIENT, Command::PostTask { spec: spec() });
    run(&mut m, MINUTE, AI, claim(T0));
    run(&mut m, 2 * MINUTE, OP, suspend(AI_PARTY));
    run(&mut m, 3 * MINUTE, OP, suspend(CLIENT_PARTY));
    run(&mut m, 4 * MINUTE, OP, close(AI_PARTY));
    run(&mut m, 5 * MINUTE, OP, reinstate(CLIENT_PARTY));
    run(&mut m, 5 * MINUTE, OP, Command::VerifyClient { client: ClientId(0), note: None });
    assert_eq!(state(&m, T0), "Cancelled");
    let replayed = Market::replay(m.config().clone(), &log).expect("valid config");
    assert_eq!(replayed.save(), m.save());
    let loaded = Market::load(&m.save()).unwrap();
    assert_eq!(loaded.save(), m.save());
    assert!(matches!(loaded.agent(AI_ID).unwrap().standing, Standing::Closed { at, .. } if at == 4 * MINUTE));
}

/// Save `m`, corrupt the market's JSON, and expect `load` to refuse it at `path`.
#[track_caller]
fn refused_at(m: &Market, path: &str, corrupt: impl FnOnce(&mut Value)) -> String {
    let mut snapshot: Value = serde_json::from_str(&m.save()).unwrap();
    corrupt(&mut snapshot["market"]);
    match Market::load(&snapshot.to_string()) {
        Err(SnapshotError::Inconsistent { path: found, reason }) => {
            assert_eq!(found, path, "refused for another value: {reason}");
            reason
        }
        Err(other) => panic!("refused as {other}, expected inconsistent at {path}"),
        Ok(_) => panic!("loaded a snapshot corrupt at {path}"),
    }
}

#[test]
fn load_refuses_standings_and_states_moderation_cannot_leave() {
    let mut m = market();
    let claimed = post(&mut m, 0, spec());
    let bidding = post(&mut m, 0, bid_spec(2_000));
    ok(&mut m, MINUTE, AI, claim(claimed));
    ok(&mut m, MINUTE, HUMAN, Command::PlaceBid { task: bidding, price: 1_500, eta_ms: HOUR });
    let suspended = |since: u64, reason: &str| json!({"state": "Suspended", "since": since, "reason": reason});
    // A suspended agent still holding work, or a bid; a suspended client with an open task.
    let reason =
        refused_at(&m, "market.tasks[0].status.work.agent", |v| v["agents"][0]["standing"] = suspended(MINUTE, "spam"));
    assert!(reason.contains("no work in progress"), "{reason}");
    refused_at(&m, "market.tasks[1].status.bids[0].agent", |v| {
        v["agents"][2]["standing"] = json!({"state": "Closed", "at": MINUTE, "reason": "spam"})
    });
    refused_at(&m, "market.tasks[1].status.state", |v| v["clients"][0]["standing"] = suspended(MINUTE, "spam"));
    // Reasons and instants as the command takes them; only the three states.
    refused_at(&m, "market.agents[1].standing.reason", |v| v["agents"][1]["standing"] = suspended(0, " "));
    refused_at(&m, "market.agents[1].standing.reason", |v| {
        v["agents"][1]["standing"] = suspended(0, &"x".repeat(20_001))
    });
    refused_at(&m, "market.clients[1].standing.since", |v| v["clients"][1]["standing"] = suspended(HOUR, "spam"));
    let mut snapshot: Value = serde_json::from_str(&m.save()).unwrap();
    snapshot["market"]["agents"][1]["standing"] = json!({"state": "Banned"});
    assert!(Market::load(&snapshot.to_string()).is_err(), "an unknown standing does not load");
    refused_at(&m, "market.reputation.clients[0].imported_spend", |v| {
        v["reputation"]["clients"][0]["imported_spend"] = json!(1u64 << 53)
    });
    // What moderation does leave behind loads.
    let mut moderated = m.clone();
    ok(&mut moderated, 2 * MINUTE, OP, suspend(AI_PARTY));
    ok(&mut moderated, 2 * MINUTE, OP, close(CLIENT_PARTY));
    let saved = moderated.save();
    assert_eq!(Market::load(&saved).unwrap().save(), saved);
}
