//! Malformed calls an outside tester found accepted or silently clamped (issue #15), refused now
//! with a typed error that names the fault, the same code for the same fault on every door.

mod support;
use gigmarket::ids::MAX_SAFE;
use gigmarket::market::MAX_FEE_BPS;
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
