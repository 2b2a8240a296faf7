//! Inline inputs, structured outputs (lists and records) and the checks that compare an output
//! with an input (`Each`, `SumEquals`, `ItemsIn`, `OwnRecordOnly`): what posting refuses, what
//! verification fails and why, who sees the data, and that older specifications hash as before.

mod support;

use gigmarket::hash::Digest;
use gigmarket::prelude::*;
use gigmarket::verify::dry_run;
use std::collections::BTreeMap;
use support::*;

const DATASET: &str = "row,value\n1,10\n2,11\n3,95\n4,12\n";
const BORROWERS: &str = "id,name\nB-1,Ada Lovelace\nB-2,Alan Turing\n";

fn inline(name: &str, content: &str, classification: DataClass) -> InputRef {
    InputRef { name: name.into(), uri: String::new(), content: Some(content.into()), classification }
}

fn field(name: &str, kind: FieldKind) -> OutputField {
    OutputField { name: name.into(), kind, required: true }
}

fn criterion(name: &str, check: Check) -> Criterion {
    Criterion { name: name.into(), check }
}

/// A task over a dataset and a borrower table: flag rows, add line items, write one message
/// per borrower.
fn work_spec() -> TaskSpec {
    TaskSpec {
        inputs: vec![
            inline("dataset", DATASET, DataClass::Confidential),
            inline("borrowers", BORROWERS, DataClass::Restricted),
        ],
        acceptance: AcceptanceCriteria {
            fields: vec![
                field("anomalies", FieldKind::List),
                field("line_items", FieldKind::List),
                field("total", FieldKind::Number),
                field("messages", FieldKind::List),
            ],
            criteria: vec![
                criterion(
                    "rows-exist",
                    Check::ItemsIn {
                        field: "anomalies".into(),
                        key: None,
                        input: "dataset".into(),
                        column: "row".into(),
                        complete: false,
                    },
                ),
                criterion(
                    "adds-up",
                    Check::SumEquals { field: "line_items".into(), total: "total".into(), tolerance: None },
                ),
                criterion(
                    "own-borrower-only",
                    Check::OwnRecordOnly {
                        field: "messages".into(),
                        key: "borrower".into(),
                        text: "text".into(),
                        input: "borrowers".into(),
                        id_column: "id".into(),
                        name_column: "name".into(),
                    },
                ),
                criterion(
                    "every-borrower",
                    Check::ItemsIn {
                        field: "messages".into(),
                        key: Some("borrower".into()),
                        input: "borrowers".into(),
                        column: "id".into(),
                        complete: true,
                    },
                ),
                criterion(
                    "messages-short",
                    Check::Each {
                        field: "messages".into(),
                        check: Box::new(Check::Length { field: "text".into(), min: Some(5), max: Some(200) }),
                    },
                ),
            ],
            min_confidence_bps: 5_000,
        },
        ..spec()
    }
}

fn num(n: f64) -> FieldValue {
    FieldValue::Number(n)
}

fn text(t: &str) -> FieldValue {
    FieldValue::Text(t.into())
}

fn message(borrower: &str, body: &str) -> FieldValue {
    FieldValue::Record(BTreeMap::from([("borrower".to_owned(), text(borrower)), ("text".to_owned(), text(body))]))
}

fn good() -> Output {
    Output::from([
        ("anomalies".to_owned(), FieldValue::List(vec![num(3.0)])),
        ("line_items".to_owned(), FieldValue::List(vec![num(10.25), num(4.75)])),
        ("total".to_owned(), num(15.0)),
        (
            "messages".to_owned(),
            FieldValue::List(vec![
                message("B-1", "Dear Ada Lovelace, your balance is due."),
                message("B-2", "Dear Alan Turing, thank you."),
            ]),
        ),
    ])
}

fn check(passed: &[&str]) -> SelfCheck {
    SelfCheck {
        confidence_bps: 9_000,
        criteria_passed: passed.iter().map(|p| (*p).to_owned()).collect(),
        notes: String::new(),
    }
}

/// The criteria `output` fails, each with its reason.
fn failures(output: &Output) -> Vec<(String, String)> {
    let spec = work_spec();
    let v = dry_run(&spec.acceptance, &spec.inputs, output, &check(&[])).expect("well-formed output");
    v.failed.into_iter().map(|f| (f.criterion, f.reason)).collect()
}

fn with(mut output: Output, name: &str, value: FieldValue) -> Output {
    output.insert(name.to_owned(), value);
    output
}

#[test]
fn a_correct_output_passes_every_check_through_the_market() {
    let mut m = market();
    let t = post(&mut m, 0, work_spec());
    ok(&mut m, MINUTE, AI, claim(t));
    let events = ok(&mut m, 2 * MINUTE, AI, submit(t, good(), check(&["rows-exist", "own-borrower-only"])));
    assert_eq!(kinds(&events), ["WorkSubmitted", "VerificationPassed"]);
    assert!(failures(&good()).is_empty());
}

#[test]
fn a_flagged_row_that_is_not_in_the_dataset_fails_and_names_it() {
    let bad = with(good(), "anomalies", FieldValue::List(vec![num(3.0), num(42.0)]));
    let failed = failures(&bad);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, "rows-exist");
    assert!(failed[0].1.contains("anomalies[1]") && failed[0].1.contains("dataset.row"), "{}", failed[0].1);
    // Rows compare by value: "3" and 3.0 are one row.
    assert!(failures(&with(good(), "anomalies", FieldValue::List(vec![text("3")]))).is_empty());

    let mut m = market();
    let t = post(&mut m, 0, work_spec());
    ok(&mut m, MINUTE, AI, claim(t));
    let events = ok(&mut m, 2 * MINUTE, AI, submit(t, bad, check(&["rows-exist"])));
    assert_eq!(kinds(&events), ["WorkSubmitted", "VerificationFailed"]);
}

#[test]
fn line_items_must_add_up_to_the_total() {
    let failed = failures(&with(good(), "total", num(15.5)));
    assert_eq!(failed.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), ["adds-up"]);
    assert!(failed[0].1.contains("adds up to 15"), "{}", failed[0].1);
    // Within half a cent passes: floating-point sums of cents are not exact.
    assert!(failures(&with(good(), "total", num(15.004))).is_empty());
    let not_numbers = with(good(), "line_items", FieldValue::List(vec![text("10.25")]));
    assert!(failures(&not_numbers)[0].1.contains("line_items[0]"));
}

#[test]
fn a_message_naming_another_borrower_fails() {
    let leaky = FieldValue::List(vec![
        message("B-1", "Dear Ada Lovelace, unlike ALAN  TURING you pay on time."),
        message("B-2", "Dear Alan Turing, thank you."),
    ]);
    let failed = failures(&with(good(), "messages", leaky));
    assert_eq!(failed[0].0, "own-borrower-only");
    assert!(failed[0].1.contains("messages[0]") && failed[0].1.contains("alan turing"), "{}", failed[0].1);

    let nameless =
        FieldValue::List(vec![message("B-1", "Dear customer, pay up."), message("B-2", "Dear Alan Turing, thanks.")]);
    assert!(failures(&with(good(), "messages", nameless))[0].1.contains("does not mention"));

    let unknown = FieldValue::List(vec![message("B-9", "Dear Ada Lovelace.")]);
    let failed = failures(&with(good(), "messages", unknown));
    assert!(failed.iter().any(|f| f.0 == "own-borrower-only" && f.1.contains("B-9")), "{failed:?}");
}

#[test]
fn complete_means_every_row_named_exactly_once() {
    let one = FieldValue::List(vec![message("B-1", "Dear Ada Lovelace, hello.")]);
    let failed = failures(&with(good(), "messages", one));
    assert!(failed.iter().any(|f| f.0 == "every-borrower" && f.1.contains("B-2")), "{failed:?}");
    let twice = FieldValue::List(vec![
        message("B-1", "Dear Ada Lovelace, hello."),
        message("B-1", "Dear Ada Lovelace, again."),
        message("B-2", "Dear Alan Turing, hello."),
    ]);
    let failed = failures(&with(good(), "messages", twice));
    assert!(failed.iter().any(|f| f.0 == "every-borrower" && f.1.contains("more than once")), "{failed:?}");
}

#[test]
fn each_names_the_first_item_that_fails() {
    let long = "x".repeat(300);
    let messages = FieldValue::List(vec![
        message("B-1", "Dear Ada Lovelace, hello."),
        message("B-2", &format!("Dear Alan Turing, {long}")),
    ]);
    let failed = failures(&with(good(), "messages", messages));
    let each = failed.iter().find(|f| f.0 == "messages-short").expect("length fails");
    assert!(each.1.starts_with("messages[1]: length"), "{}", each.1);

    let not_records = FieldValue::List(vec![text("hello")]);
    let failed = failures(&with(good(), "messages", not_records));
    assert!(failed.iter().any(|f| f.0 == "messages-short" && f.1.contains("not a record")), "{failed:?}");
}

/// The rejection `PostTask` gives `spec`, as (field, reason).
fn post_refused(spec: TaskSpec) -> (String, String) {
    let mut m = market();
    match refused(&mut m, 0, CLIENT, Command::PostTask { spec }) {
        Rejection::InvalidSpec { field, reason } => (field, reason),
        other => panic!("expected invalid_spec, got {other}"),
    }
}

#[test]
fn posting_refuses_checks_that_could_not_read_their_input() {
    let mut s = work_spec();
    s.inputs[0].uri = "s3://x".into();
    assert_eq!(post_refused(s).0, "inputs[0]", "a uri and content together");

    let mut s = work_spec();
    s.inputs[0].content = Some("x".repeat(gigmarket::limits::MAX_INLINE_INPUT_LEN + 1));
    assert_eq!(post_refused(s).0, "inputs[0].content");

    let mut s = work_spec();
    s.inputs[0] = InputRef { content: None, uri: "s3://x".into(), ..s.inputs[0].clone() };
    let (field, reason) = post_refused(s);
    assert_eq!(field, "acceptance.criteria[0].check.input");
    assert!(reason.contains("no inline content"), "{reason}");

    let mut s = work_spec();
    s.inputs[0].content = Some("row,value\n1,\"2\n".into());
    let (field, reason) = post_refused(s);
    assert_eq!(field, "acceptance.criteria[0].check.input");
    assert!(reason.contains("line 2"), "{reason}");

    let mut s = work_spec();
    s.inputs.remove(1);
    assert!(post_refused(s).1.contains("not an input"));

    let mut s = work_spec();
    if let Check::ItemsIn { column, .. } = &mut s.acceptance.criteria[0].check {
        *column = "rows".into();
    }
    assert!(post_refused(s).1.contains("no column \"rows\""));
}

#[test]
fn posting_refuses_checks_that_do_not_fit_their_field() {
    let mut s = work_spec();
    s.acceptance.criteria[1].check =
        Check::SumEquals { field: "line_items".into(), total: "nope".into(), tolerance: None };
    assert_eq!(post_refused(s).0, "acceptance.criteria[1].check.total");

    let mut s = work_spec();
    s.acceptance.criteria[4].check = Check::Each {
        field: "total".into(),
        check: Box::new(Check::Range { field: "x".into(), min: None, max: None }),
    };
    assert!(post_refused(s).1.contains("list field"));

    let mut deep = Check::Range { field: "x".into(), min: None, max: None };
    for _ in 0..=gigmarket::limits::MAX_CHECK_DEPTH {
        deep = Check::Each { field: "items".into(), check: Box::new(deep) };
    }
    let mut s = work_spec();
    s.acceptance.criteria[4].check = Check::Each { field: "messages".into(), check: Box::new(deep) };
    assert!(post_refused(s).1.contains("nests at most"));
}

#[test]
fn outputs_too_deep_or_too_many_are_refused_and_change_nothing() {
    let mut m = market();
    let t = post(&mut m, 0, work_spec());
    ok(&mut m, MINUTE, AI, claim(t));
    let mut deep = num(1.0);
    for _ in 0..gigmarket::limits::MAX_OUTPUT_DEPTH {
        deep = FieldValue::List(vec![deep]);
    }
    let err = refused(&mut m, 2 * MINUTE, AI, submit(t, with(good(), "anomalies", deep), check(&[])));
    assert!(matches!(err, Rejection::TooLarge { .. }), "{err}");

    let many = FieldValue::List(vec![num(1.0); gigmarket::limits::MAX_OUTPUT_VALUES]);
    let err = refused(&mut m, 2 * MINUTE, AI, submit(t, with(good(), "anomalies", many), check(&[])));
    assert!(matches!(err, Rejection::TooLarge { .. }), "{err}");

    let nested_nan = FieldValue::List(vec![FieldValue::Record(BTreeMap::from([("v".to_owned(), num(f64::NAN))]))]);
    let err = refused(&mut m, 2 * MINUTE, AI, submit(t, with(good(), "anomalies", nested_nan), check(&[])));
    assert_eq!(err.code(), "out_of_range");
}

#[test]
fn inline_data_is_shown_only_to_whom_its_class_allows() {
    let mut m = market();
    let t = post(&mut m, 0, work_spec());
    let outsider = m.task_view(WEAK_AI, t).unwrap();
    assert!(outsider.inputs.iter().all(|i| !i.visible && i.content.is_none() && i.uri.is_none()));
    ok(&mut m, MINUTE, AI, claim(t));
    let holder = m.task_view(AI, t).unwrap();
    assert_eq!(holder.inputs[0].content.as_deref(), Some(DATASET));
    assert_eq!(holder.inputs[0].uri, None, "inline data has no reference");
    let inputs: Vec<InputRef> = holder.inputs.iter().filter_map(|i| i.to_input()).collect();
    assert_eq!(inputs, work_spec().inputs, "the holder can rebuild the inputs for a dry run");
    let other = m.task_view(WEAK_AI, t).unwrap();
    assert!(other.inputs.iter().all(|i| i.content.is_none()), "another agent still sees nothing");
}

#[test]
fn inline_inputs_survive_save_and_load_and_replay() {
    let mut m = market();
    let t = post(&mut m, 0, work_spec());
    ok(&mut m, MINUTE, AI, claim(t));
    ok(&mut m, 2 * MINUTE, AI, submit(t, good(), check(&[])));
    let loaded = Market::load(&m.save()).expect("loads");
    assert_eq!(loaded.save(), m.save());
}

/// The shape `InputRef` had before inline content, hashed as `#[derive(Hash)]` did.
#[derive(Hash)]
struct InputRefBefore {
    name: String,
    uri: String,
    classification: DataClass,
}

#[test]
fn an_input_without_content_hashes_as_before() {
    let now = InputRef {
        name: "invoice".into(),
        uri: "s3://a".into(),
        content: None,
        classification: DataClass::Confidential,
    };
    let before =
        InputRefBefore { name: "invoice".into(), uri: "s3://a".into(), classification: DataClass::Confidential };
    assert_eq!(Digest::of(&now), Digest::of(&before));
    let inline = InputRef { content: Some("a,b\n".into()), ..now.clone() };
    assert_ne!(Digest::of(&inline), Digest::of(&now));
}

#[test]
fn lists_and_records_round_trip_through_json() {
    let json = serde_json::to_string(&good()).unwrap();
    assert!(json.contains(r#""anomalies":[3.0]"#) && json.contains(r#"{"borrower":"B-1","text":"#), "{json}");
    let back: Output = serde_json::from_str(&json).unwrap();
    assert_eq!(back, good());
}
