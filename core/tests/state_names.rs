//! The names the engine writes into strings (a task view's `state`, `invalid_state`'s `state`,
//! `invalid_standing`'s `standing`) are the JSON tags of the enums they name: the TypeScript
//! declarations type those strings as `TaskStatus["state"]` and `Standing["state"]`.

mod support;
use gigmarket::prelude::*;
use support::walk::*;

/// The JSON tag of a value serialised as an internally tagged enum.
fn tag(value: &impl serde::Serialize, key: &str) -> String {
    serde_json::to_value(value).unwrap()[key].as_str().unwrap().to_owned()
}

#[test]
fn task_state_names_are_the_status_tags() {
    let mut rng = gigmarket::rng::SplitMix64::new(5);
    let mut m = walk_market();
    let mut now = 0;
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..3_000 {
        let s = Step::random(&mut rng);
        now += time_step(&s);
        m.tick(now);
        let (actor, command) = command_for(&m, now, &s);
        if let Err(Rejection::InvalidState { task, state, .. }) = m.apply(now, actor, command) {
            assert_eq!(state, tag(&m.task(task).unwrap().status, "state"));
        }
        for task in m.tasks() {
            let view = m.task_view(Actor::Operator, task.id).unwrap();
            assert_eq!(view.state, tag(&task.status, "state"), "task {}", task.id);
            seen.insert(view.state);
        }
    }
    assert!(seen.len() >= 8, "the walk reached only {seen:?}");
}

#[test]
fn standing_names_are_the_standing_tags() {
    let standings = [
        Standing::Active,
        Standing::Suspended { since: 1, reason: "r".into() },
        Standing::Closed { at: 1, reason: "r".into() },
    ];
    for standing in standings {
        assert_eq!(standing.name(), tag(&standing, "state"));
    }
}
