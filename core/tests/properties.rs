//! Property tests over random sequences of commands and time steps. After every step:
//! money is conserved and every index agrees with the tasks (`audit`); no agent holds more than
//! its capacity; a rejected command leaves the snapshot byte-identical; a shadow market rebuilt
//! only from the emitted events has the same snapshot; and the snapshot round-trips through load.

mod support;
use gigmarket::prelude::*;
use proptest::prelude::*;
use support::*;

/// One raw step; interpreted against the current market so that most steps are meaningful.
#[derive(Clone, Debug)]
struct Step {
    op: u8,
    a: u8,
    b: u8,
    c: u16,
    dt: u16,
}

fn step() -> impl Strategy<Value = Step> {
    (any::<u8>(), any::<u8>(), any::<u8>(), any::<u16>(), any::<u16>()).prop_map(|(op, a, b, c, dt)| Step {
        op,
        a,
        b,
        c,
        dt,
    })
}

const AGENTS: [Actor; 4] = [AI, WEAK_AI, HUMAN, INSIDER];

/// Mostly one of the eight newest tasks (where the action is); now and then an unknown id.
fn pick_task(m: &Market, b: u8) -> TaskId {
    let n = m.tasks().len();
    if n == 0 || b % 16 == 15 {
        return TaskId(n as u32);
    }
    TaskId((n - 1 - (b as usize % n.min(8))) as u32)
}

/// How far the clock moves before a step: usually seconds, now and then up to ~22 minutes.
fn time_step(s: &Step) -> u64 {
    if s.op % 32 == 31 {
        u64::from(s.dt) * 20
    } else {
        u64::from(s.dt % 64) * 1_000
    }
}

fn holder_or(m: &Market, t: TaskId, a: u8) -> Actor {
    match m.task(t).and_then(|t| t.holder()) {
        Some(agent) if a % 5 != 0 => Actor::Agent { id: agent },
        _ => AGENTS[a as usize % 4],
    }
}

fn owner_or(m: &Market, t: TaskId, a: u8) -> Actor {
    match m.task(t) {
        Some(task) if a % 5 != 0 => Actor::Client { id: task.client },
        _ => [CLIENT, OTHER_CLIENT, REVIEWER, OP][a as usize % 4],
    }
}

fn random_spec(now: Timestamp, s: &Step) -> TaskSpec {
    let mut spec = spec();
    spec.deadlines.claim_by = now + HOUR + u64::from(s.c) * 1_000;
    spec.deadlines.lease_ms = 10 * MINUTE + u64::from(s.b) * 10_000;
    spec.deadlines.max_clarifications = s.a % 3;
    spec.review.max_revisions = s.b % 2;
    spec.review.human_sample_bps = if s.a % 4 == 0 { 3_000 } else { 0 };
    spec.review.human_review_below_confidence_bps = (s.a % 3 == 0).then_some(8_000);
    spec.category = ["invoice-extraction", "translation", "labeling"][s.c as usize % 3].into();
    if s.b % 3 == 0 {
        spec.required_skills.clear();
    }
    match s.op % 4 {
        0 => {
            spec.pricing = Pricing::Bids {
                ceiling: 500 + u64::from(s.c % 2_000),
                award: [AwardPolicy::Client, AwardPolicy::BestPrice, AwardPolicy::BestEta, AwardPolicy::BestValue]
                    [s.b as usize % 4],
                bidding_closes_at: now + 30 * MINUTE,
            }
        }
        1 => spec.priority_window = Some(PriorityWindow { tier: Tier::Rising, duration_ms: 10 * MINUTE }),
        _ => spec.pricing = Pricing::Fixed { reward: 100 + u64::from(s.c % 5_000) },
    }
    spec
}

fn command_for(m: &Market, now: Timestamp, s: &Step) -> (Actor, Command) {
    let t = pick_task(m, s.b);
    match s.op % 16 {
        0 | 1 => ([CLIENT, OTHER_CLIENT, AI][s.a as usize % 3], Command::PostTask { spec: random_spec(now, s) }),
        2 | 3 => (AGENTS[s.a as usize % 4], claim(t)),
        4 | 5 => {
            let output = if s.c % 4 == 0 { bad_output() } else { good_output() };
            let check = SelfCheck { confidence_bps: 5_000 + s.c % 5_001, ..confident() };
            (holder_or(m, t, s.a), submit(t, output, check))
        }
        6 | 7 => {
            let decision = match s.c % 4 {
                0 => ReviewDecision::RequestRevision { note: "more".into() },
                1 => ReviewDecision::Reject { failed_criteria: vec!["currency-iso".into()], reason: "no".into() },
                _ => ReviewDecision::Accept,
            };
            let human =
                matches!(m.task(t).map(|t| &t.status), Some(TaskStatus::UnderReview { route, .. }) if route.is_human());
            let actor = if human && s.a % 5 != 0 { REVIEWER } else { owner_or(m, t, s.a) };
            (actor, Command::Review { task: t, decision })
        }
        8 => {
            if s.c % 2 == 0 {
                (holder_or(m, t, s.a), Command::AskClarification { task: t, question: "which?".into() })
            } else {
                (owner_or(m, t, s.a), Command::AnswerClarification { task: t, answer: "that".into() })
            }
        }
        9 => match s.c % 3 {
            0 => (
                AGENTS[s.a as usize % 4],
                Command::PlaceBid { task: t, price: 100 + u64::from(s.c % 3_000), eta_ms: 1 + u64::from(s.dt) },
            ),
            1 => (AGENTS[s.a as usize % 4], Command::WithdrawBid { task: t }),
            _ => (owner_or(m, t, s.a), Command::AwardBid { task: t, agent: AgentId(u32::from(s.a % 5)) }),
        },
        10 => {
            if s.c % 2 == 0 {
                (holder_or(m, t, s.a), Command::ReturnTask { task: t })
            } else {
                (owner_or(m, t, s.a), Command::CancelTask { task: t })
            }
        }
        11 => {
            if s.c % 2 == 0 {
                (holder_or(m, t, s.a), Command::OpenDispute { task: t, reason: "fair".into() })
            } else {
                let resolution = match s.c % 3 {
                    0 => Resolution::PayAgent,
                    1 => Resolution::RefundClient,
                    _ => Resolution::Split { to_agent: u64::from(s.dt % 2_000) },
                };
                ([OP, CLIENT][s.a as usize % 2], Command::ResolveDispute { task: t, resolution })
            }
        }
        12 => {
            let amount = u64::from(s.c) * 10;
            let actor = [CLIENT, OTHER_CLIENT, AI, HUMAN, OP, REVIEWER][s.a as usize % 6];
            if s.b % 3 == 0 {
                (actor, Command::Deposit { amount })
            } else {
                (actor, Command::Withdraw { amount })
            }
        }
        13 => (
            owner_or(m, t, s.a),
            Command::RateTask { task: t, rating: Rating { quality: (s.c % 6) as u8, timeliness: 3, communication: 4 } },
        ),
        14 => match s.c % 3 {
            0 => (OP, Command::SetFee { fee_bps: s.c % 6_000 }),
            1 => (
                OP,
                Command::AssignTasks {
                    tasks: None,
                    agents: None,
                    time_budget_ms: (s.b % 2 == 0).then_some(u64::from(s.dt % 3)),
                },
            ),
            _ => (owner_or(m, t, s.a), Command::RankAgents { task: t, k: u32::from(s.b % 12) }),
        },
        _ => {
            let agent = AGENTS[s.a as usize % 4];
            let Actor::Agent { id } = agent else { unreachable!() };
            // Profiles only grow capacity here, so "active <= capacity" is an invariant to check.
            let current = m.agent(id).map_or(1, |a| a.capacity);
            let skills = vec![Skill { name: "fin-docs".into(), level: 1 + s.b % 5 }];
            (agent, Command::UpdateAgentProfile { skills, capacity: current + u32::from(s.c % 2), min_rate: 50 })
        }
    }
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

fn check_after(m: &Market, shadow: &Market) -> Result<(), TestCaseError> {
    if let Err(v) = m.audit() {
        return Err(TestCaseError::fail(v.to_string()));
    }
    for a in m.agents() {
        prop_assert!(a.active <= a.capacity, "{} holds {} > capacity {}", a.id, a.active, a.capacity);
    }
    let snapshot = m.save();
    same("replayed events diverge from the live market", &shadow.save(), &snapshot)?;
    let reloaded = Market::load(&snapshot).map_err(|e| TestCaseError::fail(e.to_string()))?;
    same("save/load does not round-trip", &reloaded.save(), &snapshot)
}

/// The fixture market, with tiers low enough that priority windows see claims.
fn walk_market() -> Market {
    let mut config = MarketConfig { seed: 7, ..MarketConfig::default() };
    config.reputation.tiers[0] = (1, 0.0);
    market_with(config)
}

fn run(steps: &[Step]) -> Result<usize, TestCaseError> {
    let mut m = walk_market();
    // The shadow starts from the same setup, rebuilt from its own event log.
    let mut shadow = Market::load(&m.save()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    // A twin that never ticks before a command: `apply` acts on due deadlines first, so the twin
    // must end every step exactly where the ticking market does once it ticks after the command.
    let mut lazy = m.clone();
    let mut now: Timestamp = 0;
    for (i, s) in steps.iter().enumerate() {
        now += time_step(s);
        for e in m.tick(now) {
            shadow.evolve(&e);
        }
        let (actor, command) = command_for(&m, now, s);
        let before = m.save();
        let lazy_before = lazy.save();
        let (result, lazy_result) = if s.a % 11 == 0 {
            let request = format!("r{}", s.c % 4);
            (m.apply_request(now, actor, &request, command.clone()), lazy.apply_request(now, actor, &request, command))
        } else {
            (m.apply(now, actor, command.clone()), lazy.apply(now, actor, command))
        };
        prop_assert_eq!(result.is_ok(), lazy_result.is_ok(), "step {}: ticking first changed the outcome", i);
        if lazy_result.is_err() {
            same(&format!("step {i} was refused without a tick but changed the market"), &lazy_before, &lazy.save())?;
        }
        match &result {
            Ok(events) => {
                for e in events {
                    shadow.evolve(e);
                }
            }
            Err(e) => same(&format!("step {i} was refused ({e}) but changed the market"), &before, &m.save())?,
        }
        // A command can leave a deadline already due (a task returned after its claim-by time
        // expires at once): both markets act on it now, so the comparison is exact.
        for e in m.tick(now) {
            shadow.evolve(&e);
        }
        let lazy_tick = lazy.tick(now);
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
        check_after(&m, &shadow)?;
    }
    Ok(steps.len())
}

proptest! {
    // 256 cases x 400 steps: about 10^5 commands, each followed by the full invariant check.
    #![proptest_config(ProptestConfig { cases: 256, max_shrink_iters: 2_000, ..ProptestConfig::default() })]
    #[test]
    fn invariants_hold_after_every_step(steps in prop::collection::vec(step(), 400)) {
        run(&steps)?;
    }
}

#[test]
fn random_walks_exercise_every_lifecycle_state() {
    // Guard against a generator that never reaches the interesting states: one long walk must
    // visit most of them and accept a good share of commands.
    let mut rng = gigmarket::rng::SplitMix64::new(11);
    let steps: Vec<Step> = (0..3_000)
        .map(|_| Step {
            op: rng.below(256) as u8,
            a: rng.below(256) as u8,
            b: rng.below(256) as u8,
            c: rng.below(65_536) as u16,
            dt: rng.below(65_536) as u16,
        })
        .collect();
    let mut m = walk_market();
    let mut now = 0;
    let mut seen = std::collections::BTreeSet::new();
    let mut accepted = 0;
    for s in &steps {
        now += time_step(s);
        for e in m.tick(now) {
            seen.insert(e.kind.name());
        }
        let (actor, command) = command_for(&m, now, s);
        if let Ok(events) = m.apply(now, actor, command) {
            accepted += 1;
            seen.extend(events.iter().map(|e| e.kind.name()));
        }
    }
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
    ] {
        assert!(seen.contains(name), "never saw {name}; saw {seen:?}");
    }
    assert!(accepted > 300, "only {accepted} of 3000 commands accepted");
}
