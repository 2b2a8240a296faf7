//! Malformed JSON input is refused with the path of the value at fault and plain words, for
//! values serde reads directly and for values inside `type`-tagged objects (which serde buffers,
//! so its own error names no field).

use gigmarket::json_input::{from_json, DecodeError};
use gigmarket::{Actor, Command, MarketConfig};

fn command_error(text: &str) -> DecodeError {
    from_json::<Command>("command", text).expect_err("malformed command was accepted")
}

const SPEC: &str = r#"{"title":"t","category":"c","instructions":"i","required_skills":[],
 "inputs":[{"name":"doc","uri":"s3://b/k","classification":"public"}],
 "acceptance":{"fields":[{"name":"total","kind":"number","required":true}],
   "criteria":[{"name":"pos","check":{"type":"Range","field":"total","min":0,"max":null}}],"min_confidence_bps":0},
 "review":{"window_ms":1000,"human_review_below_confidence_bps":null,"human_sample_bps":0,"max_revisions":1},
 "pricing":{"type":"Fixed","reward":100},
 "deadlines":{"claim_by":1000,"lease_ms":LEASE,"clarification_timeout_ms":1000,"max_clarifications":1},
 "eligibility":{"min_tier":"new","agent_kinds":"any","min_reputation_bps":null},"priority_window":null}"#;

fn post(lease: &str) -> String {
    format!(r#"{{"type":"PostTask","spec":{}}}"#, SPEC.replace("LEASE", lease))
}

#[test]
fn a_well_formed_command_decodes() {
    let command = from_json::<Command>("command", &post("1000")).expect("decodes");
    assert!(matches!(command, Command::PostTask { .. }));
}

#[test]
fn a_wrong_type_deep_inside_a_tagged_command_names_its_field() {
    let e = command_error(&post("\"10\""));
    assert_eq!(e.path, "command.spec.deadlines.lease_ms");
    assert_eq!(e.reason, "expected a whole number (0 or more), got \"10\"");
    let e = command_error(&post("-5"));
    assert_eq!(e.path, "command.spec.deadlines.lease_ms");
    assert!(e.reason.contains("got -5"), "{e}");
}

#[test]
fn a_tagged_value_inside_a_tagged_command_names_its_field() {
    let text = post("1000").replace(r#""min":0"#, r#""min":"zero""#);
    let e = command_error(&text);
    assert_eq!(e.path, "command.spec.acceptance.criteria[0].check.min");
    let text = post("1000").replace(r#""type":"Range""#, r#""type":"Ranged""#);
    let e = command_error(&text);
    assert_eq!(e.path, "command.spec.acceptance.criteria[0].check.type");
    assert!(e.reason.starts_with("unknown variant \"Ranged\""), "{e}");
}

#[test]
fn unknown_and_missing_fields_are_named() {
    let e = command_error(r#"{"type":"ClaimTask","task":1,"spec_hash":null,"extra":true}"#);
    assert_eq!(e.path, "command.extra");
    let e = command_error(r#"{"type":"PlaceBid","task":1,"price":5}"#);
    assert_eq!(e.path, "command");
    assert_eq!(e.reason, "missing field \"eta_ms\"");
}

#[test]
fn an_unknown_command_type_names_the_tag() {
    let e = command_error(r#"{"task":1,"type":"Claim"}"#);
    assert_eq!(e.path, "command.type");
    assert!(e.reason.starts_with("unknown variant \"Claim\""), "{e}");
}

#[test]
fn syntax_errors_and_non_objects_are_refused() {
    let e = command_error(r#"{"type":"ClaimTask","task":1,"#);
    assert!(e.reason.starts_with("not valid JSON"), "{e}");
    let e = command_error("[1,2]");
    assert_eq!((e.path.as_str(), e.reason.as_str()), ("command", "expected a JSON object"));
    let e = from_json::<Actor>("actor", r#"{"type":"Client","id":"7"}"#).expect_err("string id");
    assert_eq!(e.path, "actor.id");
}

#[test]
fn config_fields_are_named() {
    let e = from_json::<MarketConfig>("config", r#"{"fee_bps":"x"}"#).expect_err("bad fee");
    assert_eq!(e.path, "config.fee_bps");
    assert_eq!(e.reason, "expected a whole number (0 or more), got \"x\"");
}

#[test]
fn numbers_of_the_wrong_kind_name_their_field() {
    for (amount, got) in [("1.5", "1.5"), ("-1", "-1"), ("1e300", "1e+300"), ("\"1\"", "\"1\"")] {
        let e = command_error(&format!(r#"{{"type": "Deposit", "amount": {amount}}}"#));
        assert_eq!(e.path, "command.amount", "{amount}: {e}");
        assert!(e.reason.ends_with(&format!("got {got}")), "{amount}: {e}");
    }
}

#[test]
fn input_nested_beyond_any_limit_is_refused_without_exhausting_the_stack() {
    let deep = format!(r#"{{"type":"Deposit","amount":{}1{}}}"#, "[".repeat(200_000), "]".repeat(200_000));
    let e = command_error(&deep);
    assert!(e.path.starts_with("command"), "{e}");
    let open = format!(r#"{{"type":"Deposit","amount":{}"#, "{\"a\":".repeat(100_000));
    command_error(&open);
}
