//! Matching: every eligibility gate, rankings, priority-window arbitration, batch assignment
//! (against a brute-force optimum on small random markets) and the fairness report.

mod support;
use gigmarket::matching::{eligibility_refusals, is_eligible, Gate, TaskGate};
use gigmarket::prelude::*;
use support::*;

fn rank_events(m: &mut Market, t: TaskId, k: u32) -> Vec<gigmarket::matching::RankedAgent> {
    let events = ok(m, m.now(), CLIENT, Command::RankAgents { task: t, k });
    match &events[0].kind {
        EventKind::AgentsRanked { ranked, .. } => ranked.clone(),
        other => panic!("expected AgentsRanked, got {}", other.name()),
    }
}

#[test]
fn each_gate_explains_itself_and_the_fast_path_agrees() {
    let mut m = market();
    let mut s = spec();
    s.eligibility.agent_kinds = AgentKinds::Human;
    s.eligibility.min_tier = Tier::Rising;
    s.eligibility.min_reputation_bps = Some(9_000);
    s.required_skills.push(SkillRequirement { skill: "legal".into(), min_level: 2 });
    let t = post(&mut m, 0, s);
    let reasons = m.eligibility(t, AgentId(1)).unwrap();
    let text = reasons.join(" | ");
    for expected in [
        "task admits human agents only; the agent is an AI agent",
        "tier new < required rising",
        "skill fin-docs level 2 < required 3",
        "skill legal not declared (required level 2)",
        "invoice-extraction reputation lower bound",
        "< required 0.90",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    let insider = m.eligibility(t, AgentId(3)).unwrap().join(" | ");
    assert!(insider.contains("conflict of interest: agent and client are both owned by acme"), "{insider}");
    // The minimum-rate gate applies to recommendations, not to an agent's own claim.
    let cheap =
        TaskSpec { pricing: Pricing::Fixed { reward: 50, tier_premium: false }, required_skills: vec![], ..spec() };
    let t2 = post(&mut m, 0, cheap);
    let (task, agent) = (m.task(t2).unwrap(), m.agent(AgentId(0)).unwrap());
    assert!(eligibility_refusals(&m, task, agent, 0, Gate::Claim).is_empty());
    let recommend = eligibility_refusals(&m, task, agent, 0, Gate::Recommend);
    assert_eq!(recommend, ["pay 50 < agent's minimum rate 100"]);
    // The allocation-free path agrees with the explaining one on every pair.
    for task in m.tasks() {
        for agent in m.agents() {
            let fast = is_eligible(&m, task, agent, 0, &TaskGate::new(&m, task));
            assert_eq!(
                fast,
                eligibility_refusals(&m, task, agent, 0, Gate::Recommend).is_empty(),
                "{} {}",
                task.id,
                agent.id
            );
        }
    }
    // Capacity is reported by the query as its own sentence.
    ok(&mut m, 1, WEAK_AI, claim(t2));
    let full = m.eligibility(t2, AgentId(1)).unwrap();
    assert_eq!(full.last().map(String::as_str), Some("at capacity (1 of 1 tasks)"));
}

#[test]
fn rankings_list_eligible_agents_best_first_with_factors_and_record_exposure() {
    let mut config = MarketConfig { seed: 7, ..MarketConfig::default() };
    config.matching.newcomer_budget_bps = 0; // no exploration: ranks follow the factors alone
    let mut m = market_with(config);
    let t = post(&mut m, 0, spec());
    let ranked = rank_events(&mut m, t, 10);
    let ids: Vec<u32> = ranked.iter().map(|r| r.agent.0).collect();
    // Junior (level 2 < 3) and the insider (conflict of interest) are not eligible; alice's
    // level 5 beats the extractor's 4 at equal reputation.
    assert_eq!(ids, [2, 0]);
    for r in &ranked {
        let c = &m.config().matching;
        let sum = c.skill_weight * r.fit.skill
            + c.reputation_weight * r.fit.reputation
            + c.price_weight * r.fit.price
            + c.speed_weight * r.fit.speed
            + c.load_weight * r.fit.load
            + r.fit.exploration;
        assert!((sum - r.fit.score).abs() < 1e-12, "factors add up to the score");
        assert_eq!(r.fit.exploration, 0.0);
    }
    assert_eq!(rank_events(&mut m, t, 1).len(), 1, "k limits the list");
    let report = m.fairness_report();
    assert_eq!(report.exposure.iter().find(|c| c.cohort == "new").unwrap().count, 3, "2 + 1 appearances recorded");
    assert_eq!(refused(&mut m, 0, CLIENT, Command::RankAgents { task: t, k: 0 }).code(), "out_of_range");
    assert_eq!(refused(&mut m, 0, CLIENT, Command::RankAgents { task: t, k: 101 }).code(), "out_of_range");
}

#[test]
fn ties_break_by_agent_id_whatever_the_registration_order() {
    let mut m = Market::new(MarketConfig { seed: 1, ..MarketConfig::default() }).expect("valid config");
    ok(&mut m, 0, OP, Command::RegisterClient { name: "c".into(), owner: "c".into() });
    ok(&mut m, 0, CLIENT, Command::Deposit { amount: 10_000 });
    for i in 0..5 {
        let skills = vec![Skill { name: "fin-docs".into(), level: 4 }];
        let cmd = Command::RegisterAgent {
            name: format!("twin-{i}"),
            kind: AgentKind::Ai,
            owner: format!("o{i}"),
            skills,
            capacity: 1,
            min_rate: 0,
        };
        ok(&mut m, 0, OP, cmd);
    }
    let mut s = spec();
    s.pricing = Pricing::Fixed { reward: 5_000, tier_premium: false }; // not a simple task: no exploration draws
    let t = post(&mut m, 0, s);
    let ranked = m.ranking(t, 3).unwrap();
    assert_eq!(ranked.iter().map(|r| r.agent.0).collect::<Vec<_>>(), [0, 1, 2]);
}

#[test]
fn batch_assignment_respects_capacity_and_eligibility_and_flags_exploration() {
    let mut m = market();
    let tasks: Vec<TaskId> = (0..6).map(|_| post(&mut m, 0, spec())).collect();
    let events = ok(&mut m, 1, OP, Command::AssignTasks { tasks: None, agents: None, time_budget_ms: None });
    let EventKind::BatchAssigned { tasks: considered, placed, exact, .. } = events[0].kind else { panic!() };
    assert_eq!((considered, exact), (6, true));
    // Eligible: extractor (capacity 2) and alice (capacity 3); junior lacks the skill level,
    // the insider has a conflict of interest.
    assert_eq!(placed, 5);
    for e in &events[1..] {
        let EventKind::TaskClaimed { agent, via, .. } = e.kind else { panic!() };
        assert_eq!(via, ClaimRoute::Assignment);
        assert!(matches!(agent, AgentId(0) | AgentId(2)), "{agent}");
    }
    for a in m.agents() {
        assert!(a.active <= a.capacity);
    }
    assert_eq!(tasks.iter().filter(|t| state(&m, **t) == "Claimed").count(), 5);
    let explored =
        events.iter().filter(|e| matches!(e.kind, EventKind::TaskClaimed { exploring: true, .. })).count() as u64;
    assert_eq!(m.fairness_report().exploratory_assignments, explored);
    // A batch can be limited to some agents; unknown ones are refused.
    let mut limited = market();
    let a = post(&mut limited, 0, spec());
    let b = post(&mut limited, 0, spec());
    let only_alice = Command::AssignTasks { tasks: None, agents: Some(vec![AgentId(2)]), time_budget_ms: None };
    let events = ok(&mut limited, 1, OP, only_alice);
    assert_eq!(events.len(), 3);
    assert_eq!(
        (limited.task(a).unwrap().holder(), limited.task(b).unwrap().holder()),
        (Some(AgentId(2)), Some(AgentId(2)))
    );
    let ghost = Command::AssignTasks { tasks: None, agents: Some(vec![AgentId(99)]), time_budget_ms: None };
    assert_eq!(refused(&mut limited, 1, OP, ghost).code(), "unknown_agent");

    // With a zero work budget the batch falls back to the greedy approximation, and says so.
    let mut fresh = market();
    let t = post(&mut fresh, 0, spec());
    let events =
        ok(&mut fresh, 1, OP, Command::AssignTasks { tasks: Some(vec![t]), agents: None, time_budget_ms: Some(0) });
    let EventKind::BatchAssigned { exact, placed, candidates, .. } = events[0].kind else { panic!() };
    assert_eq!((exact, placed, candidates), (false, 1, 2));
}

/// A small random market: 2..=4 agents with capacities 1..=2, 2..=5 open tasks.
fn random_market(seed: u64) -> Market {
    let mut rng = gigmarket::rng::SplitMix64::new(seed);
    let mut config = MarketConfig { seed, ..MarketConfig::default() };
    config.matching.newcomer_budget_bps = 0;
    let mut m = Market::new(config).expect("valid config");
    ok(&mut m, 0, OP, Command::RegisterClient { name: "c".into(), owner: "c".into() });
    ok(&mut m, 0, CLIENT, Command::Deposit { amount: 1_000_000 });
    for i in 0..2 + rng.below(3) {
        let skills = vec![Skill { name: "fin-docs".into(), level: 1 + rng.below(5) as u8 }];
        let capacity = 1 + rng.below(2) as u32;
        let cmd = Command::RegisterAgent {
            name: format!("a{i}"),
            kind: AgentKind::Ai,
            owner: format!("o{i}"),
            skills,
            capacity,
            min_rate: rng.below(3) * 400,
        };
        ok(&mut m, 0, OP, cmd);
    }
    for _ in 0..2 + rng.below(4) {
        let mut s = spec();
        s.required_skills[0].min_level = 1 + rng.below(4) as u8;
        s.pricing = Pricing::Fixed { reward: 500 + rng.below(10) * 300, tier_premium: false };
        post(&mut m, 0, s);
    }
    m
}

/// The best total of integer-scaled fits over every assignment that respects eligibility and capacity.
fn brute_force(weights: &[Vec<Option<i64>>], capacity: &mut [u32], task: usize) -> i64 {
    if task == weights.len() {
        return 0;
    }
    let mut best = brute_force(weights, capacity, task + 1); // leave this task open
    for (a, w) in weights[task].iter().enumerate() {
        if let Some(w) = w {
            if capacity[a] > 0 {
                capacity[a] -= 1;
                best = best.max(w + brute_force(weights, capacity, task + 1));
                capacity[a] += 1;
            }
        }
    }
    best
}

#[test]
fn batch_assignment_equals_a_brute_force_optimum_on_small_markets() {
    for seed in 0..300 {
        let mut m = random_market(seed);
        let weights: Vec<Vec<Option<i64>>> = m
            .tasks()
            .iter()
            .map(|t| {
                let ranked = m.ranking(t.id, 100).unwrap();
                m.agents()
                    .iter()
                    .map(|a| {
                        ranked.iter().find(|r| r.agent == a.id).map(|r| ((r.fit.score * 1e6).round() as i64).max(1))
                    })
                    .collect()
            })
            .collect();
        let mut capacity: Vec<u32> = m.agents().iter().map(|a| a.capacity).collect();
        let best = brute_force(&weights, &mut capacity, 0);
        let events = ok(&mut m, 1, OP, Command::AssignTasks { tasks: None, agents: None, time_budget_ms: None });
        let got: i64 = events[1..]
            .iter()
            .map(|e| match e.kind {
                EventKind::TaskClaimed { task, agent, .. } => {
                    weights[task.index()][agent.index()].expect("only eligible pairs")
                }
                _ => panic!("unexpected {}", e.kind.name()),
            })
            .sum();
        assert_eq!(got, best, "seed {seed}");
        for a in m.agents() {
            assert!(a.active <= a.capacity, "seed {seed}: {} over capacity", a.id);
        }
    }
}

#[test]
fn fairness_report_adds_up() {
    let mut m = market();
    for _ in 0..4 {
        let t = post(&mut m, 0, spec());
        ok(&mut m, 0, HUMAN, claim(t));
        ok(&mut m, 0, HUMAN, submit(t, good_output(), confident()));
        ok(&mut m, 0, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    }
    let r = m.fairness_report();
    let sum = |v: &[gigmarket::matching::fairness::CohortShare], a: &str, b: &str| {
        v.iter().filter(|c| c.cohort == a || c.cohort == b).map(|c| c.share).sum::<f64>()
    };
    assert!((sum(&r.assignments, "new", "established") - 1.0).abs() < 1e-12);
    assert!((sum(&r.assignments, "ai", "human") - 1.0).abs() < 1e-12);
    assert_eq!(r.assignments.iter().find(|c| c.cohort == "human").unwrap().count, 4);
    assert!(r.work_gini > 0.7, "one agent of four did all the work: gini {}", r.work_gini);
    assert_eq!(r.top_decile_share, 1.0);
}

/// Every agent scored the slow way: every gate, the exact fit, best first, ties to the lower id.
#[cfg(feature = "sim")]
fn rank_by_scoring_everyone(m: &Market, t: TaskId, k: usize) -> Vec<gigmarket::matching::RankedAgent> {
    let task = m.task(t).unwrap();
    let gate = TaskGate::new(m, task);
    let context = gigmarket::matching::FitContext::new(m, task);
    let price = task.spec.pricing.escrow();
    let mut all: Vec<_> = m
        .agents()
        .iter()
        .filter(|a| a.active < a.capacity && is_eligible(m, task, a, m.now(), &gate))
        .map(|a| gigmarket::matching::RankedAgent { agent: a.id, fit: context.fit(a, price, true), exploratory: false })
        .collect();
    all.sort_by(gigmarket::matching::rank::by_fit);
    // Exploratory: a bonus that lifts an entry above an agent ranked below it, listed or not,
    // whose record alone fits better.
    let on_records: Vec<f64> = all.iter().map(|r| r.fit.score - r.fit.exploration).collect();
    for i in 0..all.len() {
        let best_below = on_records[i + 1..].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        all[i].exploratory =
            all[i].fit.exploration > 0.0 && best_below > on_records[i] + gigmarket::matching::rank::EXPLORATORY_MARGIN;
    }
    all.truncate(k);
    all
}

/// Rankings read the matching index (posting lists, compact rows, an upper bound that skips most
/// agents); on markets with real evidence (a simulated market: settlements, ratings, abandoned
/// leases, tiers) and tasks of every shape they must equal scoring every agent.
#[cfg(feature = "sim")]
#[test]
fn rankings_from_the_index_equal_scoring_every_agent() {
    use gigmarket::sim::{population::CATEGORIES, world::World, Scenario};
    let (mut compared, mut bounded, mut tight) = (0, 0, 0);
    for seed in 1..=3u64 {
        let mut config = MarketConfig { seed, ..MarketConfig::default() };
        if seed == 3 {
            // Agents with a history who still count as newcomers: exploration bonuses scaled by
            // the evidence the matching rows list.
            config.matching.newcomer_evidence = 50.0;
            config.matching.newcomer_budget_bps = 10_000;
        }
        let mut world = World::new(config, Scenario::All, seed, 60, 400, true).expect("valid config");
        for _ in 0..world.rounds {
            world.step();
        }
        let mut m = world.market.clone();
        let now = m.now();
        let op = Actor::Operator;
        let client = ok(&mut m, now, op, Command::RegisterClient { name: "probe".into(), owner: "probe".into() });
        let EventKind::ClientRegistered { client, .. } = client[0].kind else { panic!() };
        ok(&mut m, now, Actor::Client { id: client }, Command::Deposit { amount: 1 << 40 });
        // Agents the simulation does not make: several skills, more than fit inline, a minimum rate.
        let many: Vec<Skill> = (0..10).map(|i| Skill { name: format!("extra-{i}"), level: 1 + i % 5 }).collect();
        for (i, skills) in [
            vec![Skill { name: CATEGORIES[0].into(), level: 5 }, Skill { name: CATEGORIES[1].into(), level: 4 }],
            many.into_iter().chain([Skill { name: CATEGORIES[2].into(), level: 3 }]).collect(),
            vec![],
        ]
        .into_iter()
        .enumerate()
        {
            let cmd = Command::RegisterAgent {
                name: format!("probe-{i}"),
                kind: if i == 1 { AgentKind::Human } else { AgentKind::Ai },
                owner: if i == 2 { "probe".into() } else { format!("probe-org-{i}") },
                skills,
                capacity: 2,
                min_rate: 300 * i as u64,
            };
            ok(&mut m, now, op, cmd);
        }
        m.audit().unwrap();
        let mut rng = gigmarket::rng::SplitMix64::new(seed);
        for _ in 0..60 {
            let mut s = spec();
            s.category = CATEGORIES[rng.below(4) as usize].into();
            s.required_skills = (0..rng.below(3))
                .map(|_| SkillRequirement {
                    skill: CATEGORIES[rng.below(4) as usize].into(),
                    min_level: 1 + rng.below(4) as u8,
                })
                .collect();
            s.required_skills.sort_by(|a, b| a.skill.cmp(&b.skill));
            s.required_skills.dedup_by(|a, b| a.skill == b.skill);
            s.pricing = Pricing::Fixed { reward: 200 + rng.below(12) * 250, tier_premium: false };
            s.eligibility.min_tier = [Tier::New, Tier::New, Tier::Established][rng.below(3) as usize];
            s.eligibility.agent_kinds = [AgentKinds::Any, AgentKinds::Ai, AgentKinds::Human][rng.below(3) as usize];
            s.eligibility.min_reputation_bps = [None, None, Some(4_000)][rng.below(3) as usize];
            s.deadlines.claim_by = now + 10 * HOUR;
            let t = post(&mut m, now, s);
            // The bound ranking prunes with is a bound, for every agent that lists a required skill.
            let task = m.task(t).unwrap();
            let context = gigmarket::matching::FitContext::new(&m, task);
            for (a, row) in m.agents().iter().zip(m.match_index().rows()) {
                let listed = match task.spec.required_skills.first() {
                    None => Some(0),
                    Some(need) => a.skill_level(&need.skill),
                };
                if let Some(level) = listed {
                    let exact = context.fit(a, 1_000, true).score;
                    let bound = context.upper_bound(row, a.id, level, 1_000);
                    assert!(bound >= exact, "seed {seed}, {t}, {}: bound {bound} < fit {exact}", a.id);
                    tight += usize::from(bound - exact < 0.05);
                    bounded += 1;
                }
            }
            for k in [1, 3, 10, 100] {
                let fast = m.ranking(t, k).unwrap();
                assert_eq!(fast, rank_by_scoring_everyone(&m, t, k as usize), "seed {seed}, {t}, k {k}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 3 * 60 * 4);
    // A bound that is always far above the fit would prune nothing.
    assert!(tight * 4 >= bounded, "only {tight} of {bounded} bounds within 0.05 of the fit");
}
