//! State that stays small: what a task may store grows with what its client pays, one client's
//! unfinished tasks share a bound, and a finished task is stored as a short record.

mod support;
use gigmarket::limits::{task_bytes_allowed, MAX_CLIENT_LIVE_BYTES, MAX_TASK_BYTES};
use gigmarket::prelude::*;
use support::*;

fn with_inputs(count: usize, bytes: usize, reward: Money) -> TaskSpec {
    let inputs = (0..count)
        .map(|i| InputRef {
            name: format!("doc-{i}"),
            uri: "x".repeat(bytes),
            content: None,
            classification: DataClass::Public,
        })
        .collect();
    TaskSpec { inputs, pricing: Pricing::Fixed { reward, tier_premium: false }, ..spec() }
}

#[test]
fn a_cheap_task_cannot_store_megabytes() {
    let mut m = market();
    // The attack: a reward of one minor unit carrying 64 inputs of 100 kB each.
    let bloated = with_inputs(64, 100_000, 1);
    assert!(bloated.stored_bytes() > 6_000_000);
    let err = refused(&mut m, 0, CLIENT, Command::PostTask { spec: bloated });
    assert_eq!(err.code(), "too_large");
    assert_eq!(err, Rejection::TooLarge { what: "task specification (bytes for its reward)".into(), limit: 16_640 });
    // What a task may store grows with its reward, up to a ceiling no reward lifts.
    let paid = with_inputs(4, 10_000, 200);
    assert!(paid.stored_bytes() <= task_bytes_allowed(200));
    ok(&mut m, 0, CLIENT, Command::PostTask { spec: paid });
    assert_eq!(task_bytes_allowed(u64::MAX), MAX_TASK_BYTES);
    let huge = with_inputs(20, 60_000, 50_000);
    assert!(huge.stored_bytes() > MAX_TASK_BYTES);
    assert_eq!(refused(&mut m, 0, CLIENT, Command::PostTask { spec: huge }).code(), "too_large");
}

#[test]
fn one_clients_unfinished_tasks_share_a_bound_that_finishing_frees() {
    let mut m = market();
    ok(&mut m, 0, CLIENT, Command::Deposit { amount: 10_000_000 });
    let big = with_inputs(16, 60_000, 5_000);
    let per_task = big.stored_bytes() as u64;
    assert!(per_task as usize <= MAX_TASK_BYTES);
    let fits = MAX_CLIENT_LIVE_BYTES / per_task;
    let mut posted = Vec::new();
    for _ in 0..fits {
        posted.push(post(&mut m, 0, big.clone()));
    }
    let err = refused(&mut m, 0, CLIENT, Command::PostTask { spec: big.clone() });
    assert_eq!(err.code(), "too_large");
    // Another client is not held back by this one.
    ok(&mut m, 0, OTHER_CLIENT, Command::PostTask { spec: with_inputs(16, 60_000, 5_000) });
    // A finished task no longer counts.
    ok(&mut m, 1, CLIENT, Command::CancelTask { task: posted[0] });
    post(&mut m, 2, big);
    // The derived count survives a reload (audit compares it with the tasks).
    let loaded = Market::load(&m.save()).unwrap();
    loaded.audit().unwrap();
    assert_eq!(loaded.client(ClientId(0)).unwrap().live_bytes, m.client(ClientId(0)).unwrap().live_bytes);
}

/// A market with one task of each finished kind and one still open.
fn finished_market() -> (Market, [TaskId; 4]) {
    let mut m = market();
    let settled = post(&mut m, 0, spec());
    assign(&mut m, 0, settled, AgentId(0));
    ok(&mut m, 1, AI, submit(settled, good_output(), confident()));
    ok(&mut m, 2, CLIENT, Command::Review { task: settled, decision: ReviewDecision::Accept });
    let cancelled = post(&mut m, 3, spec());
    ok(&mut m, 4, CLIENT, Command::CancelTask { task: cancelled });
    let expired = post(&mut m, 5, TaskSpec { deadlines: Deadlines { claim_by: HOUR, ..spec().deadlines }, ..spec() });
    let open = post(&mut m, 6, spec());
    m.tick(HOUR);
    assert_eq!([state(&m, settled), state(&m, cancelled), state(&m, expired)], ["Settled", "Cancelled", "Expired"]);
    (m, [settled, cancelled, expired, open])
}

fn stored_tasks(snapshot: &str) -> Vec<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_str(snapshot).unwrap();
    value["market"]["tasks"].as_array().unwrap().clone()
}

#[test]
fn a_finished_task_is_stored_as_a_short_record() {
    let (m, [settled, cancelled, expired, open]) = finished_market();
    let snapshot = m.save();
    let tasks = stored_tasks(&snapshot);
    for t in [settled, cancelled, expired] {
        let record = &tasks[t.index()];
        assert!(record.is_array(), "{t} is stored as {record}");
        assert!(record.to_string().len() < 200, "{t} takes {} bytes: {record}", record.to_string().len());
    }
    assert!(tasks[open.index()].is_object(), "an unfinished task keeps its whole specification");
    // Views and the host's `task` agree before and after a reload, and the snapshot round-trips.
    let loaded = Market::load(&snapshot).unwrap();
    for t in [settled, cancelled, expired, open] {
        assert_eq!(m.task_view(CLIENT, t), loaded.task_view(CLIENT, t));
        assert_eq!(
            m.task(t).map(|t| serde_json::to_string(t).unwrap()),
            loaded.task(t).map(|t| serde_json::to_string(t).unwrap())
        );
    }
    assert_eq!(loaded.save(), snapshot);
    assert_eq!(loaded.task(settled).unwrap().spec.category, "invoice-extraction");
}

#[test]
fn a_version_1_snapshot_with_finished_tasks_as_objects_still_loads() {
    let (m, tasks) = finished_market();
    let mut value: serde_json::Value = serde_json::from_str(&m.save()).unwrap();
    value["version"] = 1.into();
    // Version 1 stored every task as the object `Task` serialises to.
    for t in tasks {
        value["market"]["tasks"][t.index()] = serde_json::to_value(m.task(t).unwrap()).unwrap();
    }
    let loaded = Market::load(&value.to_string()).unwrap();
    assert_eq!(loaded.save(), m.save());
}

#[test]
fn only_a_finished_task_may_be_stored_as_a_record() {
    let (m, [settled, _, _, open]) = finished_market();
    let mut value: serde_json::Value = serde_json::from_str(&m.save()).unwrap();
    // A record's last item says how the task ended; there is no way to write an open task there.
    let mut record = value["market"]["tasks"][settled.index()].clone();
    assert_eq!(record[8], serde_json::json!({ "Settled": [0, "accepted", true, false] }));
    record[0] = open.0.into();
    record[8] = serde_json::json!({ "Open": [[], []] });
    value["market"]["tasks"][open.index()] = record;
    let err = Market::load(&value.to_string()).unwrap_err();
    assert_eq!(err.code(), "snapshot_malformed");
    assert!(err.to_string().contains("unknown variant `Open`"), "{err}");
}
