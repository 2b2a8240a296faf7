//! Shared fixtures for the scenario, authorization and property tests.
#![allow(dead_code)]

use gigmarket::prelude::*;

pub mod walk;

pub const OP: Actor = Actor::Operator;
pub const CLIENT: Actor = Actor::Client { id: ClientId(0) };
pub const OTHER_CLIENT: Actor = Actor::Client { id: ClientId(1) };
/// AI agent, fin-docs 4, capacity 2, owned by "bots".
pub const AI: Actor = Actor::Agent { id: AgentId(0) };
/// AI agent, fin-docs 2, capacity 1, owned by "bots".
pub const WEAK_AI: Actor = Actor::Agent { id: AgentId(1) };
/// Human agent, fin-docs 5, capacity 3, owned by "alice".
pub const HUMAN: Actor = Actor::Agent { id: AgentId(2) };
/// Agent owned by "acme", the same organisation as CLIENT.
pub const INSIDER: Actor = Actor::Agent { id: AgentId(3) };
pub const REVIEWER: Actor = Actor::Reviewer { id: ReviewerId(0) };
pub const T0: TaskId = TaskId(0);

pub const HOUR: u64 = 3_600_000;
pub const MINUTE: u64 = 60_000;

/// A market with two funded clients, four agents and one reviewer, all at time 0.
pub fn market() -> Market {
    market_with(MarketConfig { seed: 7, ..MarketConfig::default() })
}

pub fn market_with(config: MarketConfig) -> Market {
    let mut m = Market::new(config).expect("valid config");
    ok(&mut m, 0, OP, Command::RegisterClient { name: "Acme".into(), owner: "acme".into() });
    ok(&mut m, 0, OP, Command::RegisterClient { name: "Globex".into(), owner: "globex".into() });
    for (name, kind, owner, level, capacity) in [
        ("extractor", AgentKind::Ai, "bots", 4, 2),
        ("junior", AgentKind::Ai, "bots", 2, 1),
        ("alice", AgentKind::Human, "alice", 5, 3),
        ("insider", AgentKind::Ai, "acme", 5, 1),
    ] {
        ok(
            &mut m,
            0,
            OP,
            Command::RegisterAgent {
                name: name.into(),
                kind,
                owner: owner.into(),
                skills: vec![Skill { name: "fin-docs".into(), level }],
                capacity,
                min_rate: 100,
            },
        );
    }
    ok(&mut m, 0, OP, Command::RegisterReviewer { name: "rita".into(), owner: "reviews-co".into() });
    ok(&mut m, 0, CLIENT, Command::Deposit { amount: 100_000 });
    ok(&mut m, 0, OTHER_CLIENT, Command::Deposit { amount: 100_000 });
    m
}

/// A fixed-price (1000) invoice task needing fin-docs 3, claimable for an hour.
pub fn spec() -> TaskSpec {
    TaskSpec {
        title: "Extract the invoice total".into(),
        category: "invoice-extraction".into(),
        instructions: "Report total and currency.".into(),
        required_skills: vec![SkillRequirement { skill: "fin-docs".into(), min_level: 3 }],
        inputs: vec![
            InputRef {
                name: "brief".into(),
                uri: "https://example.test/brief".into(),
                content: None,
                classification: DataClass::Public,
            },
            InputRef {
                name: "invoice".into(),
                uri: "s3://acme/inv.pdf".into(),
                content: None,
                classification: DataClass::Confidential,
            },
            InputRef {
                name: "bank".into(),
                uri: "s3://acme/bank.csv".into(),
                content: None,
                classification: DataClass::Restricted,
            },
        ],
        acceptance: AcceptanceCriteria {
            fields: vec![
                OutputField { name: "total".into(), kind: FieldKind::Number, required: true },
                OutputField { name: "currency".into(), kind: FieldKind::Text, required: true },
            ],
            criteria: vec![
                Criterion {
                    name: "total-positive".into(),
                    check: Check::Range { field: "total".into(), min: Some(Real(0.0)), max: None },
                },
                Criterion {
                    name: "currency-iso".into(),
                    check: Check::OneOf { field: "currency".into(), values: vec!["EUR".into(), "USD".into()] },
                },
            ],
            min_confidence_bps: 5_000,
        },
        review: ReviewPolicy {
            window_ms: HOUR,
            human_review_below_confidence_bps: None,
            human_sample_bps: 0,
            max_revisions: 1,
        },
        pricing: Pricing::Fixed { reward: 1_000, tier_premium: false },
        deadlines: Deadlines {
            claim_by: 10 * HOUR,
            lease_ms: HOUR,
            clarification_timeout_ms: 30 * MINUTE,
            max_clarifications: 1,
        },
        eligibility: Eligibility::default(),
        priority_window: None,
    }
}

pub fn good_output() -> Output {
    [("total".to_string(), FieldValue::Number(99.5)), ("currency".to_string(), FieldValue::Text("EUR".into()))]
        .into_iter()
        .collect()
}

pub fn bad_output() -> Output {
    [("total".to_string(), FieldValue::Number(-3.0)), ("currency".to_string(), FieldValue::Text("GBP".into()))]
        .into_iter()
        .collect()
}

pub fn confident() -> SelfCheck {
    SelfCheck { confidence_bps: 9_000, criteria_passed: vec!["total-positive".into()], notes: String::new() }
}

pub fn submit(task: TaskId, output: Output, self_check: SelfCheck) -> Command {
    Command::SubmitWork { task, output, self_check }
}

pub fn claim(task: TaskId) -> Command {
    Command::ClaimTask { task, spec_hash: None }
}

/// The operator's registration of AI agent `name` (owned by `owner`) with fin-docs at `level`.
pub fn fin_docs_agent(name: &str, owner: &str, level: u8, capacity: u32, min_rate: Money) -> Command {
    Command::RegisterAgent {
        name: name.into(),
        kind: AgentKind::Ai,
        owner: owner.into(),
        skills: vec![Skill { name: "fin-docs".into(), level }],
        capacity,
        min_rate,
    }
}

/// The operator places open task `task` with `agent` (`AssignTasks` over that one pair): work
/// the market chose, so its evidence counts in reputation (a bare claim with no ranking does not).
pub fn assign(m: &mut Market, now: Timestamp, task: TaskId, agent: AgentId) -> Vec<Event> {
    let command = Command::AssignTasks { tasks: Some(vec![task]), agents: Some(vec![agent]), time_budget_ms: None };
    let events = ok(m, now, Actor::Operator, command);
    assert!(
        events.iter().any(|e| matches!(e.kind, EventKind::TaskClaimed { agent: a, .. } if a == agent)),
        "{task} was not placed with {agent}: {events:?}"
    );
    events
}

/// Apply and expect success; the market's invariants must hold after.
pub fn ok(m: &mut Market, now: Timestamp, actor: Actor, command: Command) -> Vec<Event> {
    let name = command.name();
    let events = m.apply(now, actor, command).unwrap_or_else(|e| panic!("{name} by {actor} at {now} refused: {e}"));
    m.audit().unwrap_or_else(|e| panic!("after {name}: {e}"));
    events
}

/// Apply and expect a rejection; the snapshot must be byte-identical after.
pub fn refused(m: &mut Market, now: Timestamp, actor: Actor, command: Command) -> Rejection {
    let before = m.save();
    let name = command.name();
    let err = match m.apply(now, actor, command) {
        Ok(events) => panic!("{name} by {actor} at {now} was accepted: {events:?}"),
        Err(e) => e,
    };
    assert_eq!(before, m.save(), "rejected {name} changed the market");
    err
}

pub fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

pub fn state(m: &Market, task: TaskId) -> &'static str {
    m.task(task).expect("task exists").status.name()
}

pub fn balance(m: &Market, actor: Actor) -> Money {
    match actor {
        Actor::Client { id } => m.client(id).unwrap().balance,
        Actor::Agent { id } => m.agent(id).unwrap().balance,
        _ => m.platform_balance(),
    }
}

/// Post `spec` as CLIENT at `now` and return its id.
pub fn post(m: &mut Market, now: Timestamp, spec: TaskSpec) -> TaskId {
    post_as(m, now, CLIENT, spec)
}

/// Post `spec` as `client` at `now` and return its id.
pub fn post_as(m: &mut Market, now: Timestamp, client: Actor, spec: TaskSpec) -> TaskId {
    let events = ok(m, now, client, Command::PostTask { spec });
    match events[0].kind {
        EventKind::TaskPosted { task, .. } => task,
        ref other => panic!("expected TaskPosted, got {}", other.name()),
    }
}
