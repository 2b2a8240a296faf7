//! Property tests over random sequences of commands and time steps. After every step:
//! money is conserved and every index agrees with the tasks (`audit`); no agent holds more than
//! its capacity; a rejected command leaves the snapshot byte-identical; a shadow market rebuilt
//! only from the emitted events has the same snapshot; the snapshot round-trips through load; and
//! a twin market that never ticks before a command ends each step where the ticking one does.

mod support;
use gigmarket::prelude::*;
use proptest::prelude::*;
use support::kinds;
use support::walk::*;

fn step() -> impl Strategy<Value = Step> {
    (any::<u8>(), any::<u8>(), any::<u8>(), any::<u16>(), any::<u16>()).prop_map(|(op, a, b, c, dt)| Step {
        op,
        a,
        b,
        c,
        dt,
    })
}

/// Compare two snapshots, reporting only where they first differ (they can be large).
fn same(what: &str, left: &str, right: &str) -> Result<(), TestCaseError> {
    if left == right {
        return Ok(());
    }
    let at = left.bytes().zip(right.bytes()).position(|(a, b)| a != b).unwrap_or(left.len().min(right.len()));
    let window = |s: &str| s.get(at.saturating_sub(80)..(at + 80).min(s.len())).unwrap_or("").to_owned();
    Err(TestCaseError::fail(format!("{what}: snapshots differ at byte {at}:\n  {}\n  {}", window(left), window(right))))
}

/// The checks after a step: `audit` and capacity always; when `full`, also that the shadow
/// rebuilt from the events has the same snapshot and that the snapshot round-trips through load.
fn check_after(m: &Market, shadow: &Market, full: bool) -> Result<(), TestCaseError> {
    if let Err(v) = m.audit() {
        return Err(TestCaseError::fail(v.to_string()));
    }
    for a in m.agents() {
        prop_assert!(a.active <= a.capacity, "{} holds {} > capacity {}", a.id, a.active, a.capacity);
    }
    if !full {
        return Ok(());
    }
    let snapshot = m.save();
    same("replayed events diverge from the live market", &shadow.save(), &snapshot)?;
    let reloaded = Market::load(&snapshot).map_err(|e| TestCaseError::fail(e.to_string()))?;
    same("save/load does not round-trip", &reloaded.save(), &snapshot)
}

/// Walk `steps` from the fixture market. Every step is audited; every `full_every`-th step also
/// gets the snapshot checks (a refusal leaves it byte-identical, replay and save/load agree, the
/// twin that never ticks first is where the ticking market is), which cost a few snapshots each
/// and dominate a long walk's time.
fn run(steps: &[Step], full_every: usize) -> Result<usize, TestCaseError> {
    let mut m = walk_market();
    // The shadow starts from the same setup, rebuilt from its own event log.
    let mut shadow = Market::load(&m.save()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    // A twin that never ticks before a command: `apply` acts on due deadlines first, so the twin
    // must end every step exactly where the ticking market does once it ticks after the command.
    let mut lazy = m.clone();
    let mut now: Timestamp = 0;
    for (i, s) in steps.iter().enumerate() {
        let full = i % full_every.max(1) == 0 || i + 1 == steps.len();
        now += time_step(s);
        for e in m.tick(now) {
            shadow.evolve(&e);
        }
        let (actor, command) = command_for(&m, now, s);
        let before = if full { m.save() } else { String::new() };
        let lazy_before = if full { lazy.save() } else { String::new() };
        let (result, lazy_result) = if s.a % 11 == 0 {
            let request = format!("r{}", s.c % 4);
            (m.apply_request(now, actor, &request, command.clone()), lazy.apply_request(now, actor, &request, command))
        } else {
            (m.apply(now, actor, command.clone()), lazy.apply(now, actor, command))
        };
        prop_assert_eq!(result.is_ok(), lazy_result.is_ok(), "step {}: ticking first changed the outcome", i);
        if full && lazy_result.is_err() {
            same(&format!("step {i} was refused without a tick but changed the market"), &lazy_before, &lazy.save())?;
        }
        match &result {
            Ok(events) => {
                for e in events {
                    shadow.evolve(e);
                }
            }
            Err(e) if full => same(&format!("step {i} was refused ({e}) but changed the market"), &before, &m.save())?,
            Err(_) => {}
        }
        // A command can leave a deadline already due (a task returned after its claim-by time
        // expires at once): both markets act on it now, so the comparison is exact.
        for e in m.tick(now) {
            shadow.evolve(&e);
        }
        let lazy_tick = lazy.tick(now);
        if full {
            same(
                &format!(
                    "step {i}: the market that did not tick first diverged (ticked: {:?}; lazy: {:?} then {:?})",
                    result.as_ref().map(|e| kinds(e)),
                    lazy_result.as_ref().map(|e| kinds(e)),
                    kinds(&lazy_tick)
                ),
                &m.save(),
                &lazy.save(),
            )?;
        }
        check_after(&m, &shadow, full)?;
    }
    Ok(steps.len())
}

/// A size from the environment (the Makefile's long walk sets them), or `default`.
fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    // GIGMARKET_WALK_CASES (default 256) x 400 steps: about 10^5 commands, each followed by the
    // full invariant check.
    #![proptest_config(ProptestConfig {
        cases: env_or("GIGMARKET_WALK_CASES", 256) as u32,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    })]
    #[test]
    fn invariants_hold_after_every_step(steps in prop::collection::vec(step(), 400)) {
        run(&steps, 1)?;
    }
}

/// The long walk (`make test-walk`): GIGMARKET_WALK_STEPS steps in all (default 0: skipped, the
/// proptest above covers `cargo test`), as walks of GIGMARKET_WALK_LEN steps (default 1000) from
/// seeds GIGMARKET_WALK_SEED.. over GIGMARKET_WALK_THREADS threads (default 2), with the snapshot
/// checks every GIGMARKET_WALK_CHECK_EVERY steps (default 1: every step).
#[test]
fn long_walks_over_seeds() {
    let total = env_or("GIGMARKET_WALK_STEPS", 0);
    if total == 0 {
        return;
    }
    let threads = env_or("GIGMARKET_WALK_THREADS", 2).max(1);
    let len = env_or("GIGMARKET_WALK_LEN", 1_000).max(1);
    let every = env_or("GIGMARKET_WALK_CHECK_EVERY", 1).max(1);
    let first_seed = env_or("GIGMARKET_WALK_SEED", 1) as u64;
    let walks = total.div_ceil(len);
    let started = std::time::Instant::now();
    let done: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut steps_done = 0;
                    for w in (t..walks).step_by(threads) {
                        let seed = first_seed.wrapping_mul(1_000_003).wrapping_add(w as u64);
                        let mut rng = gigmarket::rng::SplitMix64::new(seed);
                        let steps: Vec<Step> = (0..len).map(|_| Step::random(&mut rng)).collect();
                        match run(&steps, every) {
                            Ok(n) => steps_done += n,
                            Err(e) => panic!("walk {w} (seed {seed}, {len} steps) failed: {e}"),
                        }
                    }
                    steps_done
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a walk failed")).sum()
    });
    let secs = started.elapsed().as_secs_f64();
    println!(
        "long walk: {done} steps in {walks} walks of {len} on {threads} threads, snapshot checks every {every} \
         step(s): {secs:.1} s, {:.0} steps/s",
        done as f64 / secs
    );
}

#[test]
fn random_walks_exercise_every_lifecycle_state() {
    // Guard against a generator that never reaches the interesting states: one long walk must
    // visit most of them and accept a good share of commands.
    let mut rng = gigmarket::rng::SplitMix64::new(11);
    let steps: Vec<Step> = (0..3_000).map(|_| Step::random(&mut rng)).collect();
    let mut m = walk_market();
    let mut now = 0;
    let mut seen = std::collections::BTreeSet::new();
    let mut accepted = 0;
    // The multipliers tier premiums paid at, so the walk covers premiums above the reward.
    let mut premiums = std::collections::BTreeSet::new();
    for s in &steps {
        now += time_step(s);
        let mut events = m.tick(now);
        let (actor, command) = command_for(&m, now, s);
        if let Ok(more) = m.apply(now, actor, command) {
            accepted += 1;
            events.extend(more);
        }
        for e in &events {
            seen.insert(e.kind.name());
            if let EventKind::TaskClaimed { premium: Some(p), .. } = e.kind {
                premiums.insert(p.multiplier_bps);
            }
        }
    }
    assert!(premiums.len() >= 3 && premiums.contains(&10_000), "premiums paid at {premiums:?} bps only");
    for name in [
        "TaskPosted",
        "TaskClaimed",
        "VerificationFailed",
        "VerificationPassed",
        "WorkAccepted",
        "WorkRejected",
        "TaskSettled",
        "TaskAbandoned",
        "TaskExpired",
        "ClarificationRequested",
        "BidPlaced",
        "TaskRated",
        "ClaimQueued",
        "PartySuspended",
        "PartyReinstated",
    ] {
        assert!(seen.contains(name), "never saw {name}; saw {seen:?}");
    }
    assert!(accepted > 300, "only {accepted} of 3000 commands accepted");
}
