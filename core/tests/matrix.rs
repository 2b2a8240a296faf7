//! The measuring matrix (`gigmarket::sim::matrix`) at a small size: only what holds whatever the
//! engine's tuning (every cell ran and reported, money conserved, the newcomer budget kept,
//! figures in their ranges, the stopping rule met). The figures themselves are in REPUTATION.md;
//! `cargo test --release -p gigmarket --features sim --test matrix -- --ignored --nocapture`
//! prints the full-size matrix (or use `--example simulate -- --scenario matrix --json`).
#![cfg(feature = "sim")]

use gigmarket::sim::matrix::{run_cell, run_cell_with, run_matrix, Adversary, Cell, CellReport, MatrixWorld, Size};
use gigmarket::{Market, MarketConfig};
use std::collections::HashSet;

const SMALL: Size = Size { agents: 40, max_rounds: 400, ..Size::full() };

fn in_range(x: f64, lo: f64, hi: f64) -> bool {
    x.is_finite() && (lo..=hi).contains(&x)
}

fn check(r: &CellReport) {
    let c = &r.cell;
    assert!(r.money_conserved, "{c}: audit failed (money not conserved or an index out of step)");
    assert!(
        r.newcomer_budget_spent_bps <= u64::from(r.newcomer_budget_bps),
        "{c}: spent {} bps of a {} bps newcomer budget",
        r.newcomer_budget_spent_bps,
        r.newcomer_budget_bps
    );
    assert!(in_range(r.kendall_tau, -1.0, 1.0) && in_range(r.plain_average_tau, -1.0, 1.0), "{c}: tau");
    assert!(in_range(r.precision_at_20, 0.0, 1.0), "{c}: precision {}", r.precision_at_20);
    // The oracle's choices are not carried out, so a policy may beat it now and then, not by half.
    assert!(in_range(r.efficiency, 0.0, 1.5) && r.efficiency > 0.0, "{c}: efficiency {}", r.efficiency);
    // Under bids the oracle among bidders chooses from fewer agents than the oracle among all
    // free ones, so the award is measured against less (up to the same rounding allowance).
    if let Some(among) = r.efficiency_among_bidders {
        assert!(in_range(among, 0.0, 1.5) && among >= r.efficiency - 1e-9, "{c}: among bidders {among} vs {r:?}");
    }
    for share in [r.attacker_task_share, r.baseline_attacker_task_share].into_iter().flatten() {
        assert!(in_range(share, 0.0, 1.0), "{c}: share {share}");
    }
    if let Some(lift) = r.attacker_percentile_lift {
        assert!(in_range(lift, -100.0, 100.0), "{c}: lift {lift}");
    }
    if let Some(ratio) = r.whitewash_ratio {
        assert!(in_range(ratio, 0.0, 1e6), "{c}: whitewash ratio {ratio}");
    }
    assert!(r.drift_agents >= 1 && r.drift_detected <= r.drift_agents, "{c}: drift {r:?}");
    assert_eq!(r.drift_tasks_to_detect.is_some(), r.drift_detected > 0, "{c}: drift mean without detections");
    if let Some(tier) = r.tier_bought {
        assert!(tier <= SMALL.agents / 20, "{c}: {tier} socks bought a tier, more than exist");
    }
    if let Some(lift) = r.victim_percentile_lift {
        assert!(in_range(lift, -100.0, 100.0), "{c}: victims' lift {lift}");
        assert!(r.victims.is_some_and(|n| n > 0), "{c}: a lift without victims");
    }
    if let Some(free) = r.rejector_free_share {
        assert!(in_range(free, 0.0, 1.0), "{c}: rejector free share {free}");
    }
    assert!(r.rounds < SMALL.max_rounds, "{c}: stopped by the round cap, not by ratings");
    // Stops at the end of the round that reaches the mean: at most a round's ratings beyond it.
    assert!(in_range(r.mean_rated_tasks_per_agent, 10.0, 12.0), "{c}: mean rated {}", r.mean_rated_tasks_per_agent);
    assert!(r.median_tasks_per_agent >= 0.0, "{c}: median tasks");
}

#[test]
fn every_cell_runs_conserves_money_and_reports_figures_in_range() {
    let mut reports = Vec::new();
    run_matrix(7, SMALL, &mut |r| reports.push(r)).expect("a safe seed");
    let names: Vec<String> = Cell::all().iter().map(Cell::name).collect();
    assert_eq!(reports.iter().map(|r| r.cell.clone()).collect::<Vec<_>>(), names, "every cell, in order");
    assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len(), "cell names are unique");
    assert!(names.len() >= 39);
    for r in &reports {
        check(r);
        let adversary = Cell::all().into_iter().find(|c| c.name() == r.cell).map(|c| c.adversary);
        let with_agents = adversary.is_some_and(Adversary::has_agents);
        assert_eq!(r.attacker_task_share.is_some(), with_agents, "{}", r.cell);
        assert_eq!(r.attacker_percentile_lift.is_some(), with_agents, "{}", r.cell);
        assert_eq!(r.whitewash_ratio.is_some(), adversary.is_some_and(Adversary::is_whitewash), "{}", r.cell);
        assert_eq!(r.tier_bought.is_some(), adversary == Some(Adversary::WashTrade), "{}", r.cell);
        assert_eq!(r.efficiency_among_bidders.is_some(), r.cell.contains("/bids/"), "{}", r.cell);
        let defamer = adversary == Some(Adversary::Defamer);
        assert_eq!(r.victim_percentile_lift.is_some(), defamer, "{}", r.cell);
        assert_eq!(r.victims.is_some(), defamer, "{}", r.cell);
    }
}

#[test]
fn a_cell_is_a_pure_function_of_its_seed() {
    let cell = Cell::all().into_iter().find(|c| c.adversary == Adversary::Whitewash).expect("a whitewash cell");
    assert_eq!(run_cell(cell, 3, SMALL).expect("a safe seed"), run_cell(cell, 3, SMALL).expect("a safe seed"));
}

#[test]
#[ignore = "prints the full-size matrix; run in release"]
fn print_the_full_matrix() {
    for seed in 1..=5 {
        run_matrix(seed, Size::full(), &mut |r| {
            check_full(&r);
            println!("{}", serde_json::to_string(&r).unwrap_or_default());
        })
        .expect("a safe seed");
    }
}

fn check_full(r: &CellReport) {
    assert!(r.money_conserved, "{}", r.cell);
    assert!(r.newcomer_budget_spent_bps <= u64::from(r.newcomer_budget_bps), "{}", r.cell);
}

#[test]
fn a_matrix_smaller_than_its_figures_need_is_refused() {
    use gigmarket::sim::{SimError, MIN_AGENTS};
    let cell = Cell::all()[0];
    let tiny = Size { agents: MIN_AGENTS - 1, ..SMALL };
    assert_eq!(
        run_cell(cell, 1, tiny).unwrap_err(),
        SimError::TooSmall { what: "agents", min: MIN_AGENTS, got: MIN_AGENTS - 1 }
    );
    let huge = Size { agents: u32::MAX, ..SMALL };
    assert!(matches!(run_cell(cell, 1, huge).unwrap_err(), SimError::TooLarge { what: "agents", .. }));
    // A task asks a skill level from 1 to 5.
    let none = Size { top_level: 0, ..SMALL };
    assert_eq!(run_cell(cell, 1, none).unwrap_err(), SimError::TooSmall { what: "top_level", min: 1, got: 0 });
    let beyond = Size { top_level: 6, ..SMALL };
    assert_eq!(run_cell(cell, 1, beyond).unwrap_err(), SimError::TooLarge { what: "top_level", max: 5, got: 6 });
}

/// Issue #11's targets for rings and wash trading, at full size over seeds 1-5, under every
/// allocation: a ring's agents gain at most 2 percentile points and 1 % of honest clients'
/// tasks, and no sock reaches a tier. (Reached since reputation counts only work the market
/// chose; MATRIX.md has every figure. The other targets are not met and are not asserted.)
/// Measured with mid-rank percentiles: the worst ring or wash-trading lift is -8.0 points (wash
/// trading under a batch, seed 4; -15.5 at a 5 % exploration budget). At a 10-30 % budget the
/// gated ring under ranking gained up to +47 until exploration trials stopped measuring agents
/// for skill gates (`Work.exploring`). The gated ring under ranking read +2.26 to +2.56 while ties
/// counted as the bottom of their group: its agents, penalised for hiding, sat strictly below
/// everyone, where in the baseline they tied with 87 untried agents at the prior
/// (`sim::metrics::mean_percentile`).
///
/// The lying ring (its agents declare level 5 in every skill, in its baseline run too) gained up
/// to +37 points before work behind a rare gate lost its outcome floor and counted as picked
/// (`AgentReputation::gated`); now at most -3.4. Lying collusion (a real colluding client's
/// tasks behind the gate its lying agents open) gained +16 to +37 until a rare gate needed the
/// vouches of established clients of two other owners (`market/gate_vouchers.rs`); now at most
/// -4.3. Their share of honest tasks is not the ring's doing but the lie's: the same agents
/// lying without ring work took 1.3-5.6 % (seeds 1-5), with the ring 0.0-2.1 %. So the 1 %
/// target is not met by liars and not asserted for them; what is asserted is that the ring's
/// work adds nothing to what the lie wins (at most half a point of share, for the two runs'
/// different draws: +0.11 at most measured).
///
/// `collusion-of-three` (lying collusion by three real clients of distinct owners, who vouch for
/// each other's gate, `market/gate_vouchers.rs`) gained +27.6 to +40.9 points until evidence from
/// behind a rare gate counted only as far as the agent's other work agrees with it
/// (`reputation/gated.rs`); now at most -4.0 (seeds 1-5). Its agents' share of honest tasks is
/// not asserted, because not met: the ring's work still wins them 3.1-5.2 % of honest tasks
/// against the lie alone's 1.2-3.1 % (+0.9 to +3.5 points), taken while their other work is too
/// thin to contradict it (MATRIX.md, "Gated evidence against the rest of the agent's work").
#[test]
fn rings_and_wash_trading_gain_nothing_at_full_size() {
    rings_and_wash_trading_gain_nothing(Size::full(), 1..=5);
}

/// The same in a market of specialists: honest tasks ask skill levels 1 to 5 in turn
/// (`Size::top_level`), so some honest work sits behind rare gates, which open for a specialty
/// once its holders are measured and clients of other owners vouch for it
/// (`market/gate_vouchers.rs`). Before vouchers, lying collusion gained up to +24.8 points here
/// (+37.6 with levels 1 to 4); since, the worst ring is at -4.6 (seeds 1-3).
#[test]
fn rings_and_wash_trading_gain_nothing_where_honest_work_sits_behind_rare_gates() {
    rings_and_wash_trading_gain_nothing(Size { top_level: 5, ..Size::full() }, 1..=3);
}

/// Every ring and wash-trading cell at `size` over `seeds`: lift at most +2 points, at most 1 %
/// of honest tasks (for liars: no more than the lie alone wins, see above), no tier bought.
fn rings_and_wash_trading_gain_nothing(size: Size, seeds: std::ops::RangeInclusive<u64>) {
    let cells: Vec<Cell> =
        Cell::all().into_iter().filter(|c| c.adversary.is_ring() || c.adversary == Adversary::WashTrade).collect();
    assert_eq!(cells.len(), 24);
    for seed in seeds {
        for &cell in &cells {
            let r = run_cell(cell, seed, size).expect("a full-size cell runs");
            check_full(&r);
            let lift = r.attacker_percentile_lift.expect("a baseline ran");
            let share = r.attacker_task_share.expect("attackers have agents");
            assert!(lift <= 2.0, "{} seed {seed}: lift {lift:.1} points", r.cell);
            match cell.adversary {
                // Its share is not met (see above).
                Adversary::CollusionOfThree => {}
                Adversary::LyingRing | Adversary::LyingCollusion => {
                    let lie = r.baseline_attacker_task_share.expect("a baseline ran");
                    assert!(
                        share <= lie + 0.005,
                        "{} seed {seed}: {share:.4} of honest tasks, the lie alone {lie:.4}",
                        r.cell
                    );
                }
                _ => assert!(share <= 0.01, "{} seed {seed}: {:.1} % of honest tasks", r.cell, share * 100.0),
            }
            assert_eq!(r.tier_bought.unwrap_or(0), 0, "{} seed {seed}: a tier bought", r.cell);
        }
    }
}

/// Issue #11's whitewashing target at full size, seeds 1-5, under every allocation: weak agents
/// that re-register after every task win at most twice the honest tasks they win without doing
/// so, whether they declare their true levels or level 5 in everything (`lying-whitewash`: the
/// lie in its baseline run too, so the ratio is what re-registering adds to it). A new identity
/// waits at the back for exploration and ranks below a poor record in allocation (the newcomer
/// discount), so starting over pays nothing the old record did not. Measured: at most 1.04
/// (truthful) and 1.36 (lying, under batches, seed 2). Not held everywhere: at seeds 6-40 the
/// lying batch cell averages 1.43 and reached 2.03 at seed 15, since a liar's record sinks below
/// where a fresh identity stands (MATRIX.md, "A whitewasher that also lies"). The lie itself is
/// not re-registering's doing and is not asserted here (its agents took 1.4-4.6 % of honest tasks
/// in the baseline runs).
#[test]
fn whitewashing_at_most_doubles_what_weak_agents_win_at_full_size() {
    let cells: Vec<Cell> = Cell::all().into_iter().filter(|c| c.adversary.is_whitewash()).collect();
    assert_eq!(cells.len(), 6);
    for seed in 1..=5 {
        for &cell in &cells {
            let r = run_cell(cell, seed, Size::full()).expect("a full-size cell runs");
            check_full(&r);
            let ratio = r.whitewash_ratio.expect("a baseline ran");
            assert!(ratio <= 2.0, "{} seed {seed}: whitewashers won {ratio:.2}x their baseline share", r.cell);
        }
    }
}

/// Change detection and issue #11's drift target: over the honest cells at full size, seeds 1-3,
/// the same worlds with detection on (the default) and off. With it, more drifted agents fall
/// below the median, none takes over 10 of its tasks to (or never does after more than 10: the
/// target, met here since repeat damping became `1 / sqrt(1 + earlier)`; one such cell and seed
/// before), and honest tau stays where it was. Measured: 257 against 183
/// detected of 270, 0 against 24 such (cell, seed) pairs of 54, mean tau 0.790 against 0.793 with
/// repeat damping `1 / sqrt(1 + earlier)`; 261 against 172, 1 against 26, 0.791 against 0.789 with
/// `1 / (1 + earlier)`, both at the 15 % exploration budget; on an earlier engine at 5 %, 243 against 199, 1 against 20,
/// 0.692 against 0.696 (with detection per category only and the Bernoulli bound: 213 against 199, 14 against 20,
/// 0.694 against 0.696).
#[test]
fn change_detection_catches_drift_sooner_at_no_cost_in_tau() {
    let off = {
        let mut c = MarketConfig::default();
        c.reputation.change_z = 0.0;
        c
    };
    let honest: Vec<Cell> = Cell::all().into_iter().filter(|c| c.adversary == Adversary::Honest).collect();
    assert_eq!(honest.len(), 18);
    // (detected, (cell, seed) pairs with a drifted agent over 10 tasks, sum of tau)
    let mut on_figures = (0u32, 0u32, 0.0f64);
    let mut off_figures = (0u32, 0u32, 0.0f64);
    for seed in 1..=3 {
        for &cell in &honest {
            for (config, figures) in [(MarketConfig::default(), &mut on_figures), (off.clone(), &mut off_figures)] {
                let r = run_cell_with(cell, seed, Size::full(), &config).expect("a full-size cell runs");
                check_full(&r);
                let slowest = r.drift_tasks_to_detect_max.unwrap_or(0).max(r.drift_undetected_tasks_max.unwrap_or(0));
                figures.0 += r.drift_detected;
                figures.1 += u32::from(slowest > 10);
                figures.2 += r.kendall_tau;
            }
        }
    }
    let runs = (3 * honest.len()) as f64;
    let (on, off) = (on_figures, off_figures);
    assert!(on.0 > off.0 + 5, "drifted agents detected: {} with detection, {} without", on.0, off.0);
    assert!(on.1 < off.1, "cells over 10 tasks: {} with detection, {} without", on.1, off.1);
    assert_eq!(on.1, 0, "(cell, seed) pairs with a drifted agent over 10 tasks, with detection");
    assert!(
        (on.2 - off.2).abs() / runs < 0.01,
        "mean tau {:.3} with detection, {:.3} without",
        on.2 / runs,
        off.2 / runs
    );
}

/// What change detection keeps (each category's run and spread, the agent-wide runs and their
/// parts in each category) stays within the evidence through a full-size run with drift, a ring
/// and a mass rejector: the snapshot `load` checks against those invariants loads back whole.
#[test]
fn a_market_after_a_full_run_with_drift_loads_back_whole() {
    let cells: Vec<Cell> = Cell::all()
        .into_iter()
        .filter(|c| {
            c.name().starts_with("util20/rank-claim/")
                && matches!(c.adversary, Adversary::Honest | Adversary::SpendingRing | Adversary::MassRejector)
        })
        .collect();
    assert_eq!(cells.len(), 4);
    for cell in cells {
        let mut world = MatrixWorld::new(cell, 1, Size::full(), true).expect("a full-size cell");
        world.run();
        let reputation = world.market.reputation();
        let forgotten = (0..reputation.len())
            .filter_map(|i| reputation.agent(gigmarket::ids::AgentId(i as u32)))
            .flat_map(|a| a.changes.iter())
            .flat_map(|c| c.factors.iter())
            .filter(|f| f.name == gigmarket::reputation::FactorName::ChangeForgot)
            .count();
        assert!(forgotten > 0, "{}: change detection forgot nothing, so this checks nothing", cell.name());
        let snapshot = world.market.save();
        let loaded = Market::load(&snapshot).unwrap_or_else(|e| panic!("{}: {e}", cell.name()));
        assert_eq!(loaded.save(), snapshot, "{}", cell.name());
    }
}
