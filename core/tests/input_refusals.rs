//! Malformed calls an outside tester found accepted or silently clamped (issue #15), refused now
//! with a typed error that names the fault, the same code for the same fault on every door.

mod support;
use gigmarket::ids::MAX_SAFE;
use gigmarket::market::{ClientFilter, MAX_FEE_BPS};
use gigmarket::prelude::*;
use serde_json::Value;
use support::*;

// ----- 1. `Market::new` refuses what `load` refuses -----

/// Configurations out of range, each with the field `new` must name.
fn bad_configs() -> Vec<(MarketConfig, &'static str)> {
    let d = MarketConfig::default;
    let mut tiers = d();
    tiers.reputation.tiers[2].1 = 7.0;
    let mut weight = d();
    weight.matching.skill_weight = -1.0;
    let mut caps = d();
    caps.caps.max_lease_ms = 0;
    vec![
        (MarketConfig { fee_bps: 20_000, ..d() }, "config.fee_bps"),
        (MarketConfig { fee_bps: MAX_FEE_BPS + 1, ..d() }, "config.fee_bps"),
        (MarketConfig { seed: MAX_SAFE + 1, ..d() }, "config.seed"),
        (MarketConfig { seed: u64::MAX, ..d() }, "config.seed"),
        (MarketConfig { late_return_bps: 10_001, ..d() }, "config.late_return_bps"),
        (MarketConfig { request_retention_ms: u64::MAX, ..d() }, "config.request_retention_ms"),
        (MarketConfig { dispute_window_ms: 0, ..d() }, "config.dispute_window_ms"),
        (tiers, "config.reputation.tiers[2][1]"),
        (weight, "config.matching.skill_weight"),
        (caps, "config.caps.max_lease_ms"),
    ]
}

#[test]
fn new_refuses_a_fee_above_the_limit_instead_of_clamping_it() {
    let err = Market::new(MarketConfig { fee_bps: 20_000, ..MarketConfig::default() }).unwrap_err();
    assert_eq!(err.path, "config.fee_bps");
    assert_eq!(err.to_string(), format!("config.fee_bps: 20000 is above the limit {MAX_FEE_BPS}"));
    // At the limit, the market runs with exactly that fee.
    let m = Market::new(MarketConfig { fee_bps: MAX_FEE_BPS, ..MarketConfig::default() }).unwrap();
    assert_eq!((m.fee_bps(), m.config().fee_bps), (MAX_FEE_BPS, MAX_FEE_BPS));
}

#[test]
fn new_refuses_a_seed_beyond_2_53_instead_of_masking_it() {
    let err = Market::new(MarketConfig { seed: 1 << 53, ..MarketConfig::default() }).unwrap_err();
    assert_eq!(err.path, "config.seed");
    assert!(err.reason.contains("2^53 - 1"), "{err}");
    let m = Market::new(MarketConfig { seed: MAX_SAFE, ..MarketConfig::default() }).unwrap();
    assert_eq!(m.config().seed, MAX_SAFE, "a safe seed is kept as given");
}

#[test]
fn new_and_load_refuse_the_same_configurations_naming_the_same_field() {
    let saved: Value = serde_json::from_str(&market().save()).unwrap();
    for (config, path) in bad_configs() {
        let err = Market::new(config.clone()).expect_err(path);
        assert_eq!(err.path, path, "{err}");
        assert!(err.to_string().starts_with(&format!("{path}: ")), "{err}");
        let mut snapshot = saved.clone();
        snapshot["market"]["config"] = serde_json::to_value(&config).unwrap();
        match Market::load(&snapshot.to_string()) {
            Err(SnapshotError::Inconsistent { path: found, reason }) => {
                assert_eq!(found, format!("market.{path}"));
                assert_eq!(reason, err.reason, "one check, one reason");
            }
            other => panic!("{path}: load gave {other:?}"),
        }
    }
}

#[test]
fn replay_refuses_a_configuration_new_refuses() {
    let err = Market::replay(MarketConfig { fee_bps: 9_000, ..MarketConfig::default() }, &[]).unwrap_err();
    assert_eq!(err.path, "config.fee_bps");
}

// ----- 2. queries refuse unknown ids as commands do -----

const GHOST: AgentId = AgentId(9);

#[test]
fn queries_refuse_an_unknown_agent_as_its_commands_are_refused() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    let cat = m.category_id("invoice-extraction").unwrap();
    let by_command = refused(&mut m, 0, Actor::Agent { id: GHOST }, claim(t));
    let unknown = Rejection::UnknownAgent { agent: GHOST };
    assert_eq!(by_command, unknown);
    assert_eq!(m.score(GHOST, cat), Err(unknown.clone()), "score answered with a prior");
    assert_eq!(m.tier(GHOST), Err(unknown.clone()), "tier answered `new`");
    assert_eq!(m.explain_score(GHOST, cat).unwrap_err(), unknown);
    assert_eq!(m.eligibility(t, GHOST).unwrap_err(), unknown);
    // A registered agent is answered.
    assert!(m.score(AgentId(0), cat).is_ok() && m.tier(AgentId(0)).is_ok());
}

#[test]
fn queries_refuse_an_unknown_category_id() {
    let mut m = market();
    post(&mut m, 0, spec());
    let ghost = CategoryId(7);
    let unknown = Rejection::UnknownCategory { category: ghost };
    assert_eq!(unknown.code(), "unknown_category");
    assert_eq!(m.score(AgentId(0), ghost), Err(unknown.clone()));
    assert_eq!(m.explain_score(AgentId(0), ghost).unwrap_err(), unknown);
    assert_eq!(m.leaderboard(Some(ghost), 10).unwrap_err(), unknown);
    assert!(m.leaderboard(Some(CategoryId(0)), 10).is_ok() && m.leaderboard(None, 10).is_ok());
}

#[test]
fn views_refuse_an_actor_that_names_no_party_as_its_commands_are_refused() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    for ghost in [Actor::Client { id: ClientId(9) }, Actor::Agent { id: GHOST }, Actor::Reviewer { id: ReviewerId(9) }]
    {
        let by_command = refused(&mut m, 0, ghost, claim(t));
        assert!(by_command.code().starts_with("unknown_"), "{by_command}");
        assert_eq!(m.task_view(ghost, t).unwrap_err(), by_command);
        assert_eq!(m.task_views(ghost, None).unwrap_err(), by_command);
        assert_eq!(m.open_tasks(ghost, &ClientFilter::default()).unwrap_err(), by_command);
    }
    assert_eq!(m.task_views(OP, Some("Open")).unwrap().len(), 1);
}

// ----- 3. the ranking query refuses the k the command refuses -----

#[test]
fn ranking_refuses_a_k_rank_agents_refuses_instead_of_clamping_it() {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    for k in [0, 101, u32::MAX] {
        let by_command = refused(&mut m, 0, OP, Command::RankAgents { task: t, k });
        assert_eq!(by_command.code(), "out_of_range");
        assert_eq!(m.ranking(t, k).unwrap_err(), by_command, "k = {k}");
    }
    assert!(m.ranking(t, 100).is_ok());
    // An unknown task is still named first.
    assert_eq!(m.ranking(TaskId(99), 101).unwrap_err(), Rejection::UnknownTask { task: TaskId(99) });
}

// ----- 5. inputs refuse unknown fields, unit variants included -----

#[test]
fn an_operator_with_fields_is_refused() {
    let err = serde_json::from_str::<Actor>(r#"{"type": "Operator", "id": 3}"#).unwrap_err();
    assert!(err.to_string().contains("unknown field `id`"), "{err}");
    assert_eq!(serde_json::from_str::<Actor>(r#"{"type": "Operator"}"#).unwrap(), Actor::Operator);
    assert_eq!(serde_json::to_string(&Actor::Operator).unwrap(), r#"{"type":"Operator"}"#);
    assert!(serde_json::from_str::<Actor>(r#"{"type": "Agent", "id": 1, "x": 0}"#).is_err());
    assert_eq!(
        serde_json::from_str::<Actor>(r#"{"type": "Agent", "id": 1}"#).unwrap(),
        Actor::Agent { id: AgentId(1) }
    );
}

#[test]
fn unit_variants_of_commands_refuse_unknown_fields() {
    for (bad, good) in [
        (
            r#"{"type": "Review", "task": 0, "decision": {"type": "Accept", "note": "x"}}"#,
            r#"{"type": "Review", "task": 0, "decision": {"type": "Accept"}}"#,
        ),
        (
            r#"{"type": "ResolveDispute", "task": 0, "resolution": {"type": "PayAgent", "to_agent": 5}}"#,
            r#"{"type": "ResolveDispute", "task": 0, "resolution": {"type": "PayAgent"}}"#,
        ),
        (
            r#"{"type": "ResolveDispute", "task": 0, "resolution": {"type": "RefundClient", "x": 1}}"#,
            r#"{"type": "ResolveDispute", "task": 0, "resolution": {"type": "RefundClient"}}"#,
        ),
    ] {
        let err = serde_json::from_str::<Command>(bad).expect_err(bad);
        assert!(err.to_string().contains("unknown field"), "{bad}: {err}");
        let command: Command = serde_json::from_str(good).expect(good);
        assert_eq!(serde_json::to_value(&command).unwrap(), serde_json::from_str::<Value>(good).unwrap());
    }
    let split = r#"{"type": "Split", "to_agent": 5}"#;
    assert_eq!(serde_json::from_str::<Resolution>(split).unwrap(), Resolution::Split { to_agent: 5 });
}

#[test]
fn a_standing_with_fields_in_a_snapshot_is_refused() {
    let m = market();
    let mut snapshot: Value = serde_json::from_str(&m.save()).unwrap();
    // An active standing is left out when written; spelled out, it loads.
    assert_eq!(snapshot["market"]["agents"][0]["standing"], Value::Null);
    snapshot["market"]["agents"][0]["standing"] = serde_json::json!({"state": "Active"});
    Market::load(&snapshot.to_string()).expect("an active standing spelled out loads");
    snapshot["market"]["agents"][0]["standing"] = serde_json::json!({"state": "Active", "since": 5});
    assert!(matches!(Market::load(&snapshot.to_string()), Err(SnapshotError::Malformed(_))));
}
