//! Simulation tests with quality thresholds, at fixed seeds (the figures are in REPUTATION.md).
#![cfg(feature = "sim")]

use gigmarket::sim::{simulate, Scenario, SimConfig, SimReport};

fn run(scenario: Scenario, seed: u64) -> SimReport {
    let report = simulate(&SimConfig::new(scenario, seed), &mut |_, _, _| {}).expect("valid config");
    assert!(report.money_conserved, "{scenario:?} seed {seed}: money not conserved");
    report
}

const SEEDS: [u64; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

#[test]
fn honest_world_recovers_skill_and_allocates_near_the_oracle() {
    let reports: Vec<SimReport> = SEEDS.iter().map(|&s| run(Scenario::Honest, s)).collect();
    let mean = |f: fn(&SimReport) -> f64| reports.iter().map(f).sum::<f64>() / reports.len() as f64;
    for r in &reports {
        // Each seed within 0.005 of the target and the mean above it by 0.01: with exploration
        // charged on every route and retrying thin records (issue #11) and the prior at 0.25 of
        // a full-weight observation, seeds 1-8 measure 0.855-0.869 (mean 0.8629, the smallest
        // margin over a plain average 0.035; over seeds 9-28 the mean is 0.865) at a 15 %
        // exploration budget with repeat damping 1/sqrt(1 + earlier); 0.857-0.877 (mean 0.8636,
        // smallest margin 0.022; seeds 9-28 0.863) with 1/(1 + earlier); 0.848-0.874 (mean 0.8629, smallest margin 0.036; seeds 9-28 0.860)
        // at 5 %, since rater weights stop growing past $50 of spend and exploration takes a second
        // look at a thin record; 0.852-0.872 (mean 0.8604, smallest margin 0.023) before, and
        // 0.852-0.875, mean 0.861, before the change test
        // measured a run against the record's typical weight; 0.856-0.875, mean 0.864, before priors were anchored
        // on what newcomers delivered, and 0.856-0.885 before change detection measured the
        // work's own spread, which forgets a record on noise now and then).
        assert!(r.kendall_tau >= 0.845, "seed {}: tau {:.3}", r.seed, r.kendall_tau);
        assert!(r.efficiency >= 0.95, "seed {}: efficiency {:.3}", r.seed, r.efficiency);
        assert!(
            r.kendall_tau >= r.plain_average_tau + 0.02,
            "seed {}: tau {:.3} is no real improvement on a plain average's {:.3}",
            r.seed,
            r.kendall_tau,
            r.plain_average_tau
        );
        assert!(r.settled_tasks >= 1_900, "seed {}: about 10 settled tasks per agent, got {}", r.seed, r.settled_tasks);
    }
    assert!(mean(|r| r.kendall_tau) >= 0.86, "mean tau {:.3}", mean(|r| r.kendall_tau));
}

#[test]
fn newcomers_get_work_within_a_bounded_wait_and_the_budget_holds() {
    for seed in SEEDS {
        let r = run(Scenario::Honest, seed);
        assert_eq!(r.newcomers_without_work, 0, "seed {seed}");
        assert!(r.newcomer_tasks_to_first_max <= 400, "seed {seed}: waited {}", r.newcomer_tasks_to_first_max);
        let budget = u64::from(gigmarket::matching::MatchingConfig::default().newcomer_budget_bps);
        assert!(
            r.newcomer_budget_spent_bps <= budget,
            "seed {seed}: spent {} bps of a {budget} bps budget",
            r.newcomer_budget_spent_bps
        );
    }
}

#[test]
fn a_ring_of_five_dollar_sybils_neither_lifts_its_agents_nor_wins_work() {
    for seed in [1, 2, 3] {
        let r = run(Scenario::SybilRing, seed);
        let lift = r.attacker_percentile_lift.expect("baseline ran");
        let share = r.attacker_task_share.expect("attackers exist");
        assert!(lift <= 2.0, "seed {seed}: lift {lift:.2} percentile points");
        assert!(share <= 0.01, "seed {seed}: ring agents won {:.2} % of honest tasks", share * 100.0);
    }
}

#[test]
fn whitewashing_at_most_doubles_what_bad_agents_win() {
    for seed in [1, 2, 3] {
        let r = run(Scenario::Whitewash, seed);
        let ratio = r.attack_gain.expect("ratio computed");
        assert!(ratio <= 2.0, "seed {seed}: whitewashers won {ratio:.2}x their baseline share");
    }
}

#[test]
fn mass_rejection_and_abandonment_do_not_pay() {
    for seed in [1, 2] {
        let rejector = run(Scenario::MassRejector, seed);
        assert!(rejector.attack_gain.expect("gain") <= 0.05, "seed {seed}: rejector got good work free");
        let abandoner = run(Scenario::Abandoner, seed);
        let late_share = abandoner.attack_gain.expect("gain");
        let baseline = abandoner.baseline_attacker_task_share.expect("baseline");
        assert!(
            late_share < baseline,
            "seed {seed}: abandoners kept {late_share:.3} of tasks vs {baseline:.3} when honest"
        );
    }
}

#[test]
fn every_scenario_conserves_money_and_is_deterministic() {
    for scenario in Scenario::EACH {
        let a = run(scenario, 9);
        let b = run(scenario, 9);
        assert_eq!(a, b, "{scenario:?}: same seed, different report");
    }
}

#[test]
fn sizes_below_what_the_figures_need_are_refused_not_clamped() {
    use gigmarket::sim::{SimError, MAX_AGENTS, MAX_TASKS, MIN_AGENTS};
    let sized = |agents, tasks| SimConfig { agents, tasks, ..SimConfig::new(Scenario::Honest, 1) };
    let refused = |config: SimConfig| simulate(&config, &mut |_, _, _| panic!("a refused run must not start"));
    assert_eq!(refused(sized(5, 50)).unwrap_err(), SimError::TooSmall { what: "agents", min: MIN_AGENTS, got: 5 });
    let no_tasks = refused(sized(MIN_AGENTS, 0)).unwrap_err();
    assert_eq!(no_tasks, SimError::TooSmall { what: "tasks", min: 1, got: 0 });
    assert_eq!(no_tasks.to_string(), "tasks must be at least 1, got 0");
    let too_many = refused(sized(MAX_AGENTS + 1, 50)).unwrap_err();
    assert_eq!(too_many, SimError::TooLarge { what: "agents", max: MAX_AGENTS, got: MAX_AGENTS + 1 });
    assert_eq!(
        refused(sized(MIN_AGENTS, u32::MAX)).unwrap_err().to_string(),
        format!("tasks must be at most {MAX_TASKS}, got {}", u32::MAX)
    );
    // A seed the market refuses is the market's error.
    let huge_seed = SimConfig::new(Scenario::Honest, u64::MAX);
    assert!(matches!(refused(huge_seed).unwrap_err(), SimError::Market(_)));
}
