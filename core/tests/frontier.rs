//! The frontier (`gigmarket::sim::matrix::frontier`): what an allocator that knows every agent's
//! true quality can show in the matrix's world, at full size over seeds 1-5. These are the figures
//! MATRIX.md reads the engine's against ("How far the targets are from what can be had").
#![cfg(feature = "sim")]

use gigmarket::sim::matrix::cells::UTILISATIONS;
use gigmarket::sim::matrix::frontier::{frontier_point, frontier_point_exploiting, Exploit, FrontierPoint, TRIALS};
use gigmarket::sim::matrix::Size;
use gigmarket::sim::{SimError, MIN_AGENTS};

const SEEDS: std::ops::RangeInclusive<u64> = 1..=5;

fn point(seed: u64, utilisation_pct: u32, trials: u32) -> FrontierPoint {
    frontier_point(seed, Size::full(), utilisation_pct, trials).expect("a full-size frontier runs")
}

#[test]
fn the_oracle_alone_is_fully_efficient_and_cannot_rank_the_agents_it_never_tried() {
    for seed in SEEDS {
        for util in UTILISATIONS {
            let p = point(seed, util, 0);
            assert_eq!(p.efficiency, 1.0, "{} seed {seed}", p.cell);
            assert!(p.mean_rated_tasks_per_agent >= 10.0, "{} stopped early", p.cell);
        }
        // At 20 % utilisation the best fifth does all the work: most agents are never rated.
        let p = point(seed, 20, 0);
        assert!(p.never_rated >= 100, "{} seed {seed}: {} never rated", p.cell, p.never_rated);
        assert!(p.kendall_tau < 0.2, "{} seed {seed}: tau {}", p.cell, p.kendall_tau);
    }
}

#[test]
fn one_trial_each_ranks_everyone_and_two_already_cost_more_than_five_percent() {
    for seed in SEEDS {
        for util in UTILISATIONS {
            let one = point(seed, util, 1);
            assert_eq!(one.never_rated, 0, "{} seed {seed}", one.cell);
            assert!(one.kendall_tau >= 0.83, "{} seed {seed}: tau {}", one.cell, one.kendall_tau);
            assert!(one.efficiency < 1.0 && one.efficiency > 0.93, "{} seed {seed}: {}", one.cell, one.efficiency);
            // Issue #11's efficiency target is 0.95: an allocator that wants two ratings of every
            // agent misses it even when it knows whom to give the rest of the work to.
            let two = point(seed, util, 2);
            assert!(two.efficiency < 0.95, "{} seed {seed}: {}", two.cell, two.efficiency);
            assert!(two.kendall_tau >= one.kendall_tau - 0.02, "{} seed {seed}", two.cell);
            let ten = point(seed, util, 10);
            assert!(ten.efficiency < two.efficiency, "{} seed {seed}", ten.cell);
        }
    }
}

#[test]
fn a_frontier_point_is_a_pure_function_of_its_seed_and_refuses_a_tiny_world() {
    let small = Size { agents: 40, ..Size::full() };
    assert_eq!(frontier_point(7, small, 50, 1), frontier_point(7, small, 50, 1));
    assert_eq!(
        frontier_point(1, Size { agents: MIN_AGENTS - 1, ..small }, 20, 1).unwrap_err(),
        SimError::TooSmall { what: "agents", min: MIN_AGENTS, got: MIN_AGENTS - 1 }
    );
}

#[test]
fn exploiting_the_stars_instead_of_the_truth_misses_the_efficiency_target_at_every_trial_count() {
    // An engine learns whom to give the work to from the same stars its ranking is measured on.
    // Explore-then-commit on them (each task to the free agent with the best plain mean of stars,
    // after any number of trials each) ranks the agents well but cannot find the best free agent
    // often enough for issue #11's 0.95, at any utilisation.
    for seed in SEEDS {
        for util in UTILISATIONS {
            for trials in TRIALS {
                let p = frontier_point_exploiting(seed, Size::full(), (util, trials), Exploit::Stars)
                    .expect("a full-size frontier runs");
                assert_eq!(p.exploit, Exploit::Stars);
                assert!(p.cell.ends_with("/stars"), "{}", p.cell);
                assert!(p.kendall_tau >= 0.8, "{} seed {seed}: tau {}", p.cell, p.kendall_tau);
                assert!(p.efficiency < 0.92, "{} seed {seed}: {}", p.cell, p.efficiency);
                if trials <= 3 {
                    let oracle = point(seed, util, trials);
                    assert!(p.efficiency < oracle.efficiency - 0.02, "{} seed {seed}", p.cell);
                }
            }
        }
    }
}

fn learner(seed: u64, util: u32, trials: u32, exploit: Exploit) -> FrontierPoint {
    frontier_point_exploiting(seed, Size::full(), (util, trials), exploit).expect("a full-size frontier runs")
}

#[test]
fn no_learner_from_stars_reaches_the_efficiency_target_even_knowing_the_worlds_prior() {
    // Issue #11 asks 0.95 of the oracle in every cell. Thompson sampling and the greedy Bayes
    // estimate are given the population's spread of skill and the world's rating noise, which an
    // engine would have to learn; after any number of trials each, at any utilisation, neither
    // finds the best free agent often enough (measured at most 0.905, seeds 1-5 and 6-10).
    for seed in SEEDS {
        for util in UTILISATIONS {
            for trials in TRIALS {
                for exploit in [Exploit::Posterior, Exploit::Thompson] {
                    let p = learner(seed, util, trials, exploit);
                    assert_eq!(p.exploit, exploit);
                    assert!(p.efficiency < 0.93, "{} seed {seed}: {}", p.cell, p.efficiency);
                    assert!(p.mean_rated_tasks_per_agent >= 10.0, "{} stopped early", p.cell);
                }
            }
        }
    }
}

#[test]
fn thompson_sampling_tries_everyone_where_the_greedy_bayes_estimate_starves_the_untried() {
    for seed in SEEDS {
        // With no forced trials the greedy estimate never tries an agent whose prior sits below
        // the records it has: at 20 % utilisation half the agents stay unrated and unranked.
        let greedy = learner(seed, 20, 0, Exploit::Posterior);
        assert!(greedy.never_rated >= 50, "{} seed {seed}: {} never rated", greedy.cell, greedy.never_rated);
        assert!(greedy.kendall_tau < 0.7, "{} seed {seed}: tau {}", greedy.cell, greedy.kendall_tau);
        for util in UTILISATIONS {
            // Posterior draws reach every agent by themselves, rank them about as well as one
            // forced trial each does, and waste less work than those trials' explore-then-commit.
            let thompson = learner(seed, util, 0, Exploit::Thompson);
            assert_eq!(thompson.never_rated, 0, "{} seed {seed}", thompson.cell);
            assert!(thompson.kendall_tau >= 0.82, "{} seed {seed}: tau {}", thompson.cell, thompson.kendall_tau);
            let stars = learner(seed, util, 1, Exploit::Stars);
            assert!(
                thompson.efficiency > stars.efficiency - 0.02,
                "{} seed {seed}: {} against {}",
                thompson.cell,
                thompson.efficiency,
                stars.efficiency
            );
        }
        // At low utilisation, where most agents could sit idle, it is the best learner measured.
        let (thompson, stars) = (learner(seed, 20, 0, Exploit::Thompson), learner(seed, 20, 1, Exploit::Stars));
        assert!(
            thompson.efficiency > stars.efficiency,
            "seed {seed}: {} against {}",
            thompson.efficiency,
            stars.efficiency
        );
    }
}
