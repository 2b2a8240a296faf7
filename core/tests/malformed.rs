//! Malformed input: each case a specific rejection, never a panic, never a change.

mod support;
use gigmarket::prelude::*;
use support::*;

#[test]
fn unknown_ids() {
    let mut m = market();
    let ghost = TaskId(42);
    for cmd in [claim(ghost), Command::CancelTask { task: ghost }, Command::ReturnTask { task: ghost }] {
        assert!(
            matches!(refused(&mut m, 1, if cmd.name() == "CancelTask" { CLIENT } else { AI }, cmd), Rejection::UnknownTask { task } if task == ghost)
        );
    }
    let t = post(
        &mut m,
        0,
        TaskSpec {
            pricing: Pricing::Bids { ceiling: 9, award: AwardPolicy::Client, bidding_closes_at: HOUR },
            ..spec()
        },
    );
    assert_eq!(refused(&mut m, 1, CLIENT, Command::AwardBid { task: t, agent: AgentId(77) }).code(), "unknown_agent");
}

#[test]
fn time_going_backwards_is_refused() {
    let mut m = market();
    post(&mut m, 100, spec());
    let err = refused(&mut m, 99, CLIENT, Command::Deposit { amount: 1 });
    assert_eq!(err, Rejection::TimeWentBackwards { now: 99, last: 100 });
    assert!(m.tick(50).is_empty(), "a tick in the past does nothing");
    assert_eq!(refused(&mut m, u64::MAX, CLIENT, Command::Deposit { amount: 1 }).code(), "out_of_range");
}

#[test]
fn out_of_range_numbers() {
    let mut m = market();
    let cases: Vec<(Actor, Command, &str)> = vec![
        (CLIENT, Command::Deposit { amount: 0 }, "out_of_range"),
        (CLIENT, Command::Deposit { amount: u64::MAX }, "out_of_range"),
        (CLIENT, Command::Withdraw { amount: 0 }, "out_of_range"),
        (OP, Command::SetFee { fee_bps: u16::MAX }, "out_of_range"),
        (
            OP,
            Command::RegisterAgent {
                name: "a".into(),
                kind: AgentKind::Ai,
                owner: "o".into(),
                skills: vec![],
                capacity: 0,
                min_rate: 0,
            },
            "out_of_range",
        ),
        (
            OP,
            Command::RegisterAgent {
                name: "a".into(),
                kind: AgentKind::Ai,
                owner: "o".into(),
                skills: vec![Skill { name: "x".into(), level: 9 }],
                capacity: 1,
                min_rate: 0,
            },
            "out_of_range",
        ),
        (
            OP,
            Command::RegisterAgent {
                name: "a".into(),
                kind: AgentKind::Ai,
                owner: "o".into(),
                skills: vec![Skill { name: "x".into(), level: 1 }, Skill { name: "x".into(), level: 2 }],
                capacity: 1,
                min_rate: 0,
            },
            "out_of_range",
        ),
        (OP, Command::RegisterClient { name: "".into(), owner: "o".into() }, "out_of_range"),
        (OP, Command::RegisterClient { name: "x".repeat(65), owner: "o".into() }, "too_large"),
        (OP, Command::RegisterClient { name: "bell\u{7}".into(), owner: "o".into() }, "out_of_range"),
    ];
    for (actor, cmd, code) in cases {
        let name = cmd.name();
        assert_eq!(refused(&mut m, 1, actor, cmd).code(), code, "{name}");
    }
    let t = post(&mut m, 1, spec());
    ok(&mut m, 1, AI, claim(t));
    let nan: Output = [("total".to_string(), FieldValue::Number(f64::NAN))].into_iter().collect();
    assert_eq!(refused(&mut m, 2, AI, submit(t, nan, confident())).code(), "out_of_range");
    let sure = SelfCheck { confidence_bps: 10_001, ..confident() };
    assert_eq!(refused(&mut m, 2, AI, submit(t, good_output(), sure)).code(), "out_of_range");
    let huge: Output = (0..65).map(|i| (format!("f{i}"), FieldValue::Bool(true))).collect();
    assert_eq!(refused(&mut m, 2, AI, submit(t, huge, confident())).code(), "too_large");
    let long: Output = [("total".to_string(), FieldValue::Text("x".repeat(100_001)))].into_iter().collect();
    assert_eq!(refused(&mut m, 2, AI, submit(t, long, confident())).code(), "too_large");
    assert_eq!(
        refused(&mut m, 2, AI, Command::AskClarification { task: t, question: "  ".into() }).code(),
        "out_of_range"
    );
}

#[test]
fn invalid_specs_name_the_offending_field() {
    let mut m = market();
    type Mutation = fn(&mut TaskSpec);
    let mutations: Vec<(&str, Mutation)> = vec![
        ("title", |s| s.title.clear()),
        ("category", |s| s.category = "x".repeat(100)),
        ("required_skills[0].min_level", |s| s.required_skills[0].min_level = 0),
        ("required_skills", |s| s.required_skills.push(s.required_skills[0].clone())),
        ("inputs[0].uri", |s| s.inputs[0].uri.clear()),
        ("inputs", |s| s.inputs.push(s.inputs[0].clone())),
        ("acceptance.min_confidence_bps", |s| s.acceptance.min_confidence_bps = 10_001),
        ("acceptance.fields", |s| s.acceptance.fields.push(s.acceptance.fields[0].clone())),
        ("acceptance.criteria[0].check.field", |s| {
            s.acceptance.criteria[0].check = Check::Range { field: "nope".into(), min: None, max: None }
        }),
        ("acceptance.criteria[0].check", |s| {
            s.acceptance.criteria[0].check = Check::Range { field: "currency".into(), min: None, max: None }
        }),
        ("acceptance.criteria[0].check", |s| {
            s.acceptance.criteria[0].check =
                Check::Range { field: "total".into(), min: Some(Real(2.0)), max: Some(Real(1.0)) }
        }),
        ("acceptance.criteria[0].check", |s| {
            s.acceptance.criteria[0].check =
                Check::Range { field: "total".into(), min: Some(Real(f64::INFINITY)), max: None }
        }),
        ("acceptance.criteria[1].check", |s| {
            s.acceptance.criteria[1].check = Check::OneOf { field: "currency".into(), values: vec![] }
        }),
        ("acceptance.criteria[1].check", |s| {
            s.acceptance.criteria[1].check = Check::Pattern { field: "total".into(), pattern: "#".into() }
        }),
        ("acceptance.criteria[1].check", |s| {
            s.acceptance.criteria[1].check = Check::Length { field: "currency".into(), min: Some(3), max: Some(2) }
        }),
        // A check inside `Each` is named by its path through the outer one.
        ("acceptance.criteria[0].check.check.field", |s| {
            s.acceptance.fields.push(OutputField { name: "items".into(), kind: FieldKind::List, required: true });
            let blank = Check::Range { field: " ".into(), min: None, max: None };
            s.acceptance.criteria[0].check = Check::Each { field: "items".into(), check: Box::new(blank) };
        }),
        ("acceptance.criteria[0].name", |s| s.acceptance.criteria[0].name = "confidence".into()),
        ("acceptance.criteria", |s| s.acceptance.criteria[1].name = s.acceptance.criteria[0].name.clone()),
        ("review.window_ms", |s| s.review.window_ms = 0),
        ("review.human_sample_bps", |s| s.review.human_sample_bps = 10_001),
        ("deadlines.claim_by", |s| s.deadlines.claim_by = 0),
        ("deadlines.claim_by", |s| s.deadlines.claim_by = u64::MAX),
        ("deadlines.lease_ms", |s| s.deadlines.lease_ms = 0),
        ("deadlines.clarification_timeout_ms", |s| s.deadlines.clarification_timeout_ms = 0),
        ("pricing.reward", |s| s.pricing = Pricing::Fixed { reward: 0, tier_premium: false }),
        ("pricing.reward", |s| s.pricing = Pricing::Fixed { reward: 1 << 53, tier_premium: false }),
        ("pricing.bidding_closes_at", |s| {
            s.pricing = Pricing::Bids { ceiling: 5, award: AwardPolicy::BestPrice, bidding_closes_at: 11 * HOUR }
        }),
        ("priority_window.duration_ms", |s| {
            s.priority_window = Some(PriorityWindow { tier: Tier::Expert, duration_ms: 0 })
        }),
        ("eligibility.min_reputation_bps", |s| s.eligibility.min_reputation_bps = Some(20_000)),
    ];
    for (field, mutate) in mutations {
        let mut s = spec();
        mutate(&mut s);
        match refused(&mut m, 1, CLIENT, Command::PostTask { spec: s }) {
            Rejection::InvalidSpec { field: got, .. } => assert_eq!(got, field),
            other => panic!("{field}: {other}"),
        }
    }
    let rich = TaskSpec { pricing: Pricing::Fixed { reward: 100_001, tier_premium: false }, ..spec() };
    assert_eq!(refused(&mut m, 1, CLIENT, Command::PostTask { spec: rich }).code(), "insufficient_funds");
}

#[test]
fn request_ids_make_repeats_no_ops_and_reuse_an_error() {
    let mut m = market();
    let first = m.apply_request(1, CLIENT, "dep-1", Command::Deposit { amount: 50 }).unwrap();
    assert_eq!(kinds(&first), ["RequestRecorded", "FundsDeposited"]);
    let before = m.save();
    assert!(m.apply_request(2, CLIENT, "dep-1", Command::Deposit { amount: 50 }).unwrap().is_empty());
    assert_eq!(before, m.save(), "a repeat changes nothing");
    let reuse = m.apply_request(2, CLIENT, "dep-1", Command::Deposit { amount: 51 }).unwrap_err();
    assert_eq!(reuse.code(), "request_id_reused");
    assert_eq!(before, m.save());
    // The same id from another actor is another request.
    assert_eq!(m.apply_request(2, OTHER_CLIENT, "dep-1", Command::Deposit { amount: 50 }).unwrap().len(), 2);
    assert_eq!(m.apply_request(2, CLIENT, "", Command::Deposit { amount: 1 }).unwrap_err().code(), "out_of_range");
    // After the retention period the id is forgotten and may be used again.
    let later = 1 + m.config().request_retention_ms;
    assert_eq!(m.apply_request(later, CLIENT, "dep-1", Command::Deposit { amount: 51 }).unwrap().len(), 2);
    // A refused command with a request id records nothing: it may be retried.
    let e = m.apply_request(later, CLIENT, "w", Command::Withdraw { amount: u64::MAX >> 12 }).unwrap_err();
    assert_eq!(e.code(), "insufficient_funds");
    assert_eq!(m.apply_request(later, CLIENT, "w", Command::Withdraw { amount: 1 }).unwrap().len(), 2);
}

#[test]
fn corrupt_or_unknown_snapshots_are_clear_errors() {
    let mut m = market();
    post(&mut m, 0, spec());
    let good = m.save();
    assert_eq!(Market::load(&good).unwrap().save(), good);
    assert_eq!(Market::load("not json").unwrap_err().code(), "snapshot_malformed");
    assert_eq!(Market::load("{}").unwrap_err().code(), "snapshot_malformed");
    assert_eq!(Market::load(r#"{"format":"other","version":1}"#).unwrap_err().code(), "snapshot_wrong_format");
    let current = format!("\"version\":{}", gigmarket::market::SNAPSHOT_VERSION);
    let future = good.replacen(&current, "\"version\":99", 1);
    assert_ne!(future, good);
    assert!(matches!(
        Market::load(&future),
        Err(SnapshotError::UnsupportedVersion { found: 99, supported: gigmarket::market::SNAPSHOT_VERSION })
    ));
    // A newer version is reported as such even when its market no longer reads as this one's.
    let reshaped = future.replacen("\"tasks\":[", "\"jobs\":[", 1);
    assert!(matches!(Market::load(&reshaped), Err(SnapshotError::UnsupportedVersion { found: 99, .. })));
    let truncated = &good[..good.len() / 2];
    assert_eq!(Market::load(truncated).unwrap_err().code(), "snapshot_malformed");
    // Money that appears from nowhere.
    let forged = good.replacen("\"balance\":99000", "\"balance\":99001", 1);
    assert_ne!(forged, good);
    assert_eq!(Market::load(&forged).unwrap_err().code(), "snapshot_inconsistent");
    // A task pointing at a client that does not exist.
    let dangling = good.replacen("\"client\":0", "\"client\":7", 1);
    assert_ne!(dangling, good);
    assert_eq!(Market::load(&dangling).unwrap_err().code(), "snapshot_inconsistent");
    // A skill level registration would refuse (matching's bounds rely on the range).
    let level = good.replacen("\"level\":4", "\"level\":9", 1);
    assert_ne!(level, good);
    assert_eq!(Market::load(&level).unwrap_err().code(), "snapshot_inconsistent");
}
