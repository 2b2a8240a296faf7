//! Boundary conversions, under Node: `cargo test --target wasm32-unknown-unknown -p gigmarket-wasm`.
#![cfg(target_arch = "wasm32")]

use gigmarket_wasm::Market;
use js_sys::{Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON")
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("property")
}

fn stringify(value: &JsValue) -> String {
    JSON::stringify(value).expect("stringify").as_string().expect("string")
}

fn n(x: f64) -> JsValue {
    JsValue::from_f64(x)
}

/// A market with a client (funded), an agent and one posted task.
fn market() -> Market {
    let mut m = Market::new(js(r#"{"seed": 7}"#)).expect("market");
    let op = br#"{"type": "Operator"}"#;
    let client = br#"{"type": "Client", "id": 0}"#;
    m.apply(n(0.0), op, br#"{"type": "RegisterClient", "name": "Acme", "owner": "acme"}"#).unwrap();
    m.apply(
        n(0.0),
        op,
        br#"{"type": "RegisterAgent", "name": "a", "kind": "ai", "owner": "bots", "skills": [{"name": "fin-docs", "level": 4}], "capacity": 2, "min_rate": 1}"#,
    )
    .unwrap();
    m.apply(n(0.0), client, br#"{"type": "Deposit", "amount": 10000}"#).unwrap();
    m.apply(n(1000.0), client, post_task().as_bytes()).unwrap();
    m
}

fn post_task() -> String {
    r#"{"type": "PostTask", "spec": {"title": "Extract", "category": "invoices",
        "acceptance": {"fields": [{"name": "total", "kind": "number"}],
                       "criteria": [{"name": "positive", "check": {"type": "Range", "field": "total", "min": 0}}],
                       "min_confidence_bps": 8000},
        "review": {"window_ms": 60000}, "pricing": {"type": "Fixed", "reward": 1000},
        "deadlines": {"claim_by": 3600000, "lease_ms": 600000, "clarification_timeout_ms": 300000}}}"#
        .to_owned()
}

/// Assert `err` is a thrown MarketError with `code`, and return its details.
fn market_error(err: JsValue, code: &str) -> JsValue {
    assert!(err.is_instance_of::<js_sys::Error>(), "not an Error: {err:?}");
    let ctor = get(&get(&err, "constructor"), "name");
    assert_eq!(ctor.as_string().as_deref(), Some("MarketError"));
    assert_eq!(get(&err, "name").as_string().as_deref(), Some("MarketError"));
    assert_eq!(get(&err, "code").as_string().as_deref(), Some(code), "{err:?}");
    let message = err.unchecked_ref::<js_sys::Error>().message();
    assert!(message.length() > 0);
    let details = get(&err, "details");
    assert_eq!(get(&details, "code").as_string().as_deref(), Some(code));
    details
}

#[wasm_bindgen_test]
fn events_are_plain_json_objects() {
    let mut m = market();
    let events = m.apply(n(2000.0), br#"{"type": "Agent", "id": 0}"#, br#"{"type": "ClaimTask", "task": 0}"#).unwrap();
    assert!(js_sys::Array::is_array(&events));
    let first = js_sys::Array::from(&events).get(0);
    assert_eq!(get(&first, "type").as_string().as_deref(), Some("TaskClaimed"));
    assert_eq!(get(&first, "at").as_f64(), Some(2000.0));
    assert_eq!(get(&first, "price").as_f64(), Some(1000.0));
    assert_eq!(get(&first, "via").as_string().as_deref(), Some("claim"));
    // JSON.stringify sees everything (a JS Map would print as {}).
    assert!(stringify(&events).contains("\"lease_due\":602000"));
}

#[wasm_bindgen_test]
fn digests_cross_as_hex_strings_and_maps_as_objects() {
    let m = market();
    let task = m.task(n(0.0)).unwrap();
    let hash = get(&task, "spec_hash").as_string().expect("spec_hash is a string");
    assert_eq!(hash.len(), 16);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(get(&get(&task, "status"), "state").as_string().as_deref(), Some("Open"));
    assert!(m.task(n(5.0)).unwrap().is_undefined());
}

#[wasm_bindgen_test]
fn submit_output_object_round_trips() {
    let mut m = market();
    let agent = br#"{"type": "Agent", "id": 0}"#;
    m.apply(n(2000.0), agent, br#"{"type": "ClaimTask", "task": 0}"#).unwrap();
    let events = m
        .apply(
            n(3000.0),
            agent,
            br#"{"type": "SubmitWork", "task": 0, "output": {"total": 12.5}, "self_check": {"confidence_bps": 9000}}"#,
        )
        .unwrap();
    let text = stringify(&events);
    assert!(text.contains(r#""output":{"total":12.5}"#), "{text}");
    assert!(text.contains("VerificationPassed"));
}

#[wasm_bindgen_test]
fn refusals_throw_market_error_with_details() {
    let mut m = market();
    let before = m.save();
    let err = m
        .apply(n(2000.0), br#"{"type": "Client", "id": 0}"#, br#"{"type": "Withdraw", "amount": 999999}"#)
        .unwrap_err();
    let details = market_error(err, "insufficient_funds");
    assert_eq!(get(&details, "available").as_f64(), Some(9000.0));
    assert_eq!(get(&details, "needed").as_f64(), Some(999999.0));
    assert_eq!(m.save(), before);
}

/// Object arguments are checked and encoded by the package's JS (`js/encode.js`, tested in
/// tests/js/errors.test.mjs); here, what reaches Rust: JSON text that does not decode, and bad
/// instants. Each names the path of the value at fault.
#[wasm_bindgen_test]
fn malformed_input_is_refused_without_change() {
    let mut m = market();
    let before = m.save();
    let deposit: &[u8] = br#"{"type": "Deposit", "amount": 1}"#;
    let client: &[u8] = br#"{"type": "Client", "id": 0}"#;
    let cases: Vec<(JsValue, &[u8], &[u8], &str)> = vec![
        (n(5000.0), b"null", deposit, "actor"),
        (n(5000.0), client, b"", "command"),
        (n(5000.0), b"\"client\"", deposit, "actor"),
        (n(5000.0), client, br#"{"type": "Deposit"}"#, "command"),
        (n(5000.0), client, br#"{"type": "Deposit", "amount": 1, "extra": true}"#, "command.extra"),
        (n(5000.0), client, br#"{"type": "Steal", "amount": 1}"#, "command.type"),
        (n(5000.0), client, br#"{"type": "Deposit", "amount": 1.5}"#, "command.amount"),
        (n(5000.0), client, br#"{"type": "Deposit", "amount": -1}"#, "command.amount"),
        (n(5000.0), client, br#"{"type": "Deposit", "amount": 1e300}"#, "command.amount"),
        (n(5000.0), br#"{"type": "Client", "id": 1e10}"#, deposit, "actor.id"),
        (n(5000.0), client, b"[1, 2, 3]", "command"),
        (n(5000.0), client, b"\xff\xfe", "command"),
        (JsValue::NULL, client, deposit, "now"),
        (JsValue::from_str("5000"), client, deposit, "now"),
        (n(f64::NAN), client, deposit, "now"),
        (n(-1.0), client, deposit, "now"),
        (n(1.5), client, deposit, "now"),
        (n(2f64.powi(53)), client, deposit, "now"),
    ];
    for (now, actor, command, path) in cases {
        let err = m.apply(now, actor, command).unwrap_err();
        let details = market_error(err, "malformed_input");
        assert_eq!(get(&details, "path").as_string().as_deref(), Some(path));
        assert_eq!(m.save(), before);
    }
}

#[wasm_bindgen_test]
fn amounts_beyond_safe_integers_are_refused() {
    let mut m = market();
    let before = m.save();
    let err = m
        .apply(n(5000.0), br#"{"type": "Client", "id": 0}"#, br#"{"type": "Deposit", "amount": 9007199254740993}"#)
        .unwrap_err();
    let code = get(&err, "code").as_string().unwrap();
    assert!(code == "out_of_range" || code == "malformed_input", "{code}");
    assert_eq!(m.save(), before);
}

#[wasm_bindgen_test]
fn config_and_seed() {
    let m = Market::new(JsValue::UNDEFINED).unwrap();
    let seed = get(&m.config().unwrap(), "seed").as_f64().unwrap();
    assert!((0.0..=9007199254740991.0).contains(&seed) && seed.fract() == 0.0);
    let m = Market::new(js(r#"{"seed": 42, "fee_bps": 500}"#)).unwrap();
    assert_eq!(get(&m.config().unwrap(), "seed").as_f64(), Some(42.0));
    assert_eq!(m.fee_bps(), 500.0);
    market_error(Market::new(js(r#"{"sead": 1}"#)).unwrap_err(), "malformed_input");
    market_error(Market::new(JsValue::from_f64(3.0)).unwrap_err(), "malformed_input");
}

/// `malformed_input` about `what`, with `reason`.
fn malformed(err: JsValue, what: &str, reason: &str) {
    let details = market_error(err, "malformed_input");
    assert_eq!(get(&details, "what").as_string().as_deref(), Some(what));
    assert_eq!(get(&details, "reason").as_string().as_deref(), Some(reason));
}

#[wasm_bindgen_test]
fn a_config_load_would_refuse_is_refused_naming_the_field() {
    // The fee was clamped to 5000 before; the engine's check now refuses it, as `load` does.
    let fee = Market::new(js(r#"{"seed": 1, "fee_bps": 20000}"#)).unwrap_err();
    malformed(fee, "config", "config.fee_bps: 20000 is above the limit 5000");
    let seed = Market::new(js(r#"{"seed": 9007199254740992}"#)).unwrap_err();
    malformed(seed, "config", "config.seed: 9007199254740992 is beyond 2^53 - 1");
    let window = Market::new(js(r#"{"seed": 1, "dispute_window_ms": 0}"#)).unwrap_err();
    assert!(stringify(&get(&window, "details")).contains("config.dispute_window_ms"));
}

#[cfg(feature = "sim")]
#[wasm_bindgen_test]
fn simulate_refuses_sizes_out_of_range_instead_of_clamping() {
    let honest = || JsValue::from_str("honest");
    let none = JsValue::UNDEFINED;
    malformed(
        Market::simulate(honest(), n(1.0), n(5.0), none.clone()).unwrap_err(),
        "agents",
        "must be 20 to 2000, got 5",
    );
    let many = Market::simulate(honest(), n(1.0), n(2001.0), none.clone()).unwrap_err();
    malformed(many, "agents", "must be 20 to 2000, got 2001");
    let lots = Market::simulate(honest(), n(1.0), n(20.0), n(1e9)).unwrap_err();
    malformed(lots, "tasks", "must be 1 to 100000, got 1000000000");
    malformed(Market::simulate(honest(), n(1.0), none, n(0.0)).unwrap_err(), "tasks", "must be 1 to 100000, got 0");
}

#[wasm_bindgen_test]
fn snapshots_round_trip_and_bad_ones_are_refused() {
    let m = market();
    let json = m.save();
    let loaded = Market::load(JsValue::from_str(&json)).unwrap();
    assert_eq!(loaded.save(), json);
    assert_eq!(loaded.next_deadline(), m.next_deadline());
    market_error(Market::load(JsValue::from_str("not json")).unwrap_err(), "snapshot_malformed");
    market_error(
        Market::load(JsValue::from_str(r#"{"format": "x", "version": 1}"#)).unwrap_err(),
        "snapshot_wrong_format",
    );
    let current = format!("\"version\":{}", gigmarket::market::SNAPSHOT_VERSION);
    let newer = json.replacen(&current, "\"version\":99", 1);
    assert_ne!(newer, json);
    market_error(Market::load(JsValue::from_str(&newer)).unwrap_err(), "snapshot_unsupported_version");
    market_error(Market::load(JsValue::NULL).unwrap_err(), "malformed_input");
}

#[wasm_bindgen_test]
fn numbers_cross_as_numbers() {
    let mut m = market();
    assert_eq!(m.next_deadline(), Some(3_600_000.0));
    assert_eq!(m.now(), 1000.0);
    let events = m.tick(n(3_600_000.0)).unwrap();
    assert!(stringify(&events).contains("TaskExpired"));
    assert_eq!(m.next_deadline(), None);
    market_error(m.tick(JsValue::from_str("later")).unwrap_err(), "malformed_input");
    let clients = m.clients().unwrap();
    assert_eq!(get(&js_sys::Array::from(&clients).get(0), "balance").as_f64(), Some(10000.0));
}

#[wasm_bindgen_test]
fn views_are_filtered_by_actor() {
    let m = market();
    let view = m.task_view(js(r#"{"type": "Client", "id": 0}"#), n(0.0)).unwrap();
    assert_eq!(get(&view, "state").as_string().as_deref(), Some("Open"));
    market_error(m.task_view(js(r#"{"type": "Operator"}"#), n(9.0)).unwrap_err(), "unknown_task");
    let open = m.task_views(js(r#"{"type": "Operator"}"#), JsValue::from_str("Open")).unwrap();
    assert_eq!(js_sys::Array::from(&open).length(), 1);
    let none = m.task_views(js(r#"{"type": "Operator"}"#), JsValue::from_str("Settled")).unwrap();
    assert_eq!(js_sys::Array::from(&none).length(), 0);
    assert_eq!(m.category_id(JsValue::from_str("invoices")), Some(0));
    assert!(m.score(n(0.0), JsValue::from_str("invoices")).is_ok());
    market_error(m.score(n(0.0), JsValue::from_str("nope")).unwrap_err(), "malformed_input");
    assert_eq!(m.tier(n(0.0)).unwrap().as_string().as_deref(), Some("new"));
}

#[wasm_bindgen_test]
fn queries_refuse_unknown_ids_with_the_codes_commands_use() {
    let m = market();
    // A command from agent 9 is `unknown_agent`; so is every query about it.
    market_error(m.score(n(9.0), JsValue::from_str("invoices")).unwrap_err(), "unknown_agent");
    market_error(m.tier(n(9.0)).unwrap_err(), "unknown_agent");
    market_error(m.explain_score(n(9.0), n(0.0)).unwrap_err(), "unknown_agent");
    market_error(m.eligibility(n(0.0), n(9.0)).unwrap_err(), "unknown_agent");
    market_error(m.client_standing(n(9.0)).unwrap_err(), "unknown_client");
    // A category id that names none, in every query that takes one.
    market_error(m.score(n(0.0), n(7.0)).unwrap_err(), "unknown_category");
    market_error(m.explain_score(n(0.0), n(7.0)).unwrap_err(), "unknown_category");
    market_error(m.leaderboard(n(7.0), JsValue::UNDEFINED).unwrap_err(), "unknown_category");
    assert!(m.leaderboard(n(0.0), JsValue::UNDEFINED).is_ok());
    // Views for an actor that names no party.
    let ghost = js(r#"{"type": "Agent", "id": 9}"#);
    market_error(m.task_view(ghost.clone(), n(0.0)).unwrap_err(), "unknown_agent");
    market_error(m.task_views(ghost.clone(), JsValue::UNDEFINED).unwrap_err(), "unknown_agent");
    market_error(m.open_tasks(ghost, JsValue::UNDEFINED).unwrap_err(), "unknown_agent");
}

#[wasm_bindgen_test]
fn ranking_refuses_the_k_rank_agents_refuses() {
    let mut m = market();
    let op = br#"{"type": "Operator"}"#;
    let command = br#"{"type": "RankAgents", "task": 0, "k": 101}"#;
    let by_command = market_error(m.apply(n(1000.0), op, command).unwrap_err(), "out_of_range");
    let by_query = market_error(m.ranking(n(0.0), n(101.0)).unwrap_err(), "out_of_range");
    assert_eq!(stringify(&by_query), stringify(&by_command));
    market_error(m.ranking(n(0.0), n(0.0)).unwrap_err(), "out_of_range");
    assert!(m.ranking(n(0.0), n(100.0)).is_ok());
}

#[wasm_bindgen_test]
fn an_operator_with_an_id_is_malformed() {
    let mut m = market();
    let before = m.save();
    let set_fee = || br#"{"type": "SetFee", "fee_bps": 100}"#;
    let err = m.apply(n(1000.0), br#"{"type": "Operator", "id": 3}"#, set_fee()).unwrap_err();
    let details = market_error(err, "malformed_input");
    assert_eq!(get(&details, "what").as_string().as_deref(), Some("actor"));
    assert_eq!(m.save(), before);
    let accept = br#"{"type": "Review", "task": 0, "decision": {"type": "Accept", "note": "x"}}"#;
    market_error(m.apply(n(1000.0), br#"{"type": "Client", "id": 0}"#, accept).unwrap_err(), "malformed_input");
    assert!(m.apply(n(1000.0), br#"{"type": "Operator"}"#, set_fee()).is_ok());
}
