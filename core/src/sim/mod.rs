//! The seeded market simulator (cargo feature `sim`; still no IO).
//!
//! A population with hidden true skill per category, honest clients and adversaries drives a
//! [`Market`](crate::Market) only through its public commands, and the simulator reports how well
//! reputation recovers the hidden skill, how efficiently work is allocated against an oracle, what
//! each attack gains and whether money was conserved. REPUTATION.md holds the figures.

pub mod autopilot;
pub mod matrix;
pub mod metrics;
pub mod population;
pub mod real_work;
pub mod simulated_work;
pub mod world;

use crate::event::{Event, EventKind};
use crate::ids::AgentId;
use crate::market::{ConfigError, MarketConfig};
pub use autopilot::Autopilot;
use metrics::{kendall_tau, mean_percentile, precision_at_k};
use population::AgentRole;
use serde::{Deserialize, Serialize};
use std::str::FromStr;
pub use world::World;

/// Which world to simulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// Honest clients and agents only.
    Honest,
    /// Every client rates one star higher than the work deserves.
    Inflation,
    /// Ten $5 Sybil client accounts rate five colluding agents five stars.
    SybilRing,
    /// A real client sends work to five colluding agents and rates them five stars.
    Collusion,
    /// Ten bad agents re-register under new identities when their record turns bad.
    Whitewash,
    /// A client rejects everything to get work for free.
    MassRejector,
    /// Ten agents let most leases run out.
    Abandoner,
    /// Every adversary at once, plus a rater who copies the consensus.
    All,
}

impl Scenario {
    /// Every scenario, in the order `--scenario all` reports them.
    pub const EACH: [Scenario; 8] = [
        Scenario::Honest,
        Scenario::Inflation,
        Scenario::SybilRing,
        Scenario::Collusion,
        Scenario::Whitewash,
        Scenario::MassRejector,
        Scenario::Abandoner,
        Scenario::All,
    ];

    /// Its command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Honest => "honest",
            Scenario::Inflation => "inflation",
            Scenario::SybilRing => "sybil-ring",
            Scenario::Collusion => "collusion",
            Scenario::Whitewash => "whitewash",
            Scenario::MassRejector => "mass-rejector",
            Scenario::Abandoner => "abandoner",
            Scenario::All => "all",
        }
    }
}

impl FromStr for Scenario {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Scenario::EACH.into_iter().find(|x| x.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Scenario::EACH.iter().map(|x| x.name()).collect();
            format!("unknown scenario {s:?}; expected one of {}", names.join(", "))
        })
    }
}

/// Fewest agents a simulation accepts: `precision_at_20` compares reputation's 20 best with the
/// 20 truly best, which needs at least 20.
pub const MIN_AGENTS: u32 = 20;
/// Most agents a simulation accepts: a run's work grows with agents times tasks, and one call
/// blocks its thread until the whole run is done (in the npm package, `Market.simulate`, a
/// page's only thread).
pub const MAX_AGENTS: u32 = 2_000;
/// Fewest honest tasks a simulation accepts.
pub const MIN_TASKS: u32 = 1;
/// Most honest tasks a simulation accepts (for the same reason as [`MAX_AGENTS`]).
pub const MAX_TASKS: u32 = 100_000;

/// Why [`simulate`] (or another run of the simulator) refused a configuration. Sizes are refused,
/// never clamped: a caller asking for 5 agents should learn that it did not get 5.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SimError {
    /// The market's configuration (with the seed in it) is refused by
    /// [`Market::new`](crate::Market::new).
    #[error(transparent)]
    Market(#[from] ConfigError),
    /// A size below what the figures need (`agents` below [`MIN_AGENTS`], `tasks` below
    /// [`MIN_TASKS`], no rounds).
    #[error("{what} must be at least {min}, got {got}")]
    TooSmall {
        /// `agents`, `tasks`, `rounds` or `top_level`.
        what: &'static str,
        /// The fewest accepted.
        min: u32,
        /// What was asked for.
        got: u32,
    },
    /// A size beyond what a run should take on (`agents` above [`MAX_AGENTS`], `tasks` above
    /// [`MAX_TASKS`], `rounds` of the real-work scenario above [`real_work::MAX_ROUNDS`]).
    #[error("{what} must be at most {max}, got {got}")]
    TooLarge {
        /// `agents`, `tasks`, `rounds` or `top_level`.
        what: &'static str,
        /// The most accepted.
        max: u32,
        /// What was asked for.
        got: u32,
    },
}

impl SimError {
    /// `Ok` when `got` is within `min..=max`, else the error naming `what`.
    pub fn check(what: &'static str, got: u32, min: u32, max: u32) -> Result<(), SimError> {
        if got < min {
            Err(SimError::TooSmall { what, min, got })
        } else if got > max {
            Err(SimError::TooLarge { what, max, got })
        } else {
            Ok(())
        }
    }
}

/// What to simulate.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// The world.
    pub scenario: Scenario,
    /// The seed of everything random.
    pub seed: u64,
    /// People (agents), adversaries included.
    pub agents: u32,
    /// Honest tasks to post (about 10 per agent).
    pub tasks: u32,
    /// The market's configuration.
    pub market: MarketConfig,
}

impl SimConfig {
    /// The reference world: 200 agents, about 10 settled tasks each.
    pub fn new(scenario: Scenario, seed: u64) -> SimConfig {
        SimConfig { scenario, seed, agents: 200, tasks: 2_000, market: MarketConfig::default() }
    }
}

/// What a simulation found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SimReport {
    /// The scenario.
    pub scenario: Scenario,
    /// The seed.
    pub seed: u64,
    /// People simulated.
    pub agents: u32,
    /// Tasks settled.
    pub settled_tasks: u64,
    /// Kendall tau between reputation (overall posterior mean) and hidden skill, honest agents.
    pub kendall_tau: f64,
    /// Share of the 20 truly best honest agents that reputation ranks in its top 20.
    pub precision_at_20: f64,
    /// For comparison: Kendall tau of a plain average of the stars each agent received
    /// (agents never rated count as the market's mean).
    pub plain_average_tau: f64,
    /// Realised true quality of batch assignments over an oracle's on the same batches.
    pub efficiency: f64,
    /// Share of honest clients' tasks the attacking agents won (null without attacking agents).
    pub attacker_task_share: Option<f64>,
    /// The same share in the baseline run where those agents do not attack.
    pub baseline_attacker_task_share: Option<f64>,
    /// Attackers' mean reputation percentile in this run less in the baseline run, in points.
    pub attacker_percentile_lift: Option<f64>,
    /// What the scenario's attack gains, in its own unit (see `attack_gain_unit`).
    pub attack_gain: Option<f64>,
    /// The unit of `attack_gain`.
    pub attack_gain_unit: Option<String>,
    /// Mean number of market-wide assignments a newcomer (joining halfway) waited for its first.
    pub newcomer_tasks_to_first: f64,
    /// The longest such wait.
    pub newcomer_tasks_to_first_max: u64,
    /// Newcomers that never got a task.
    pub newcomers_without_work: u32,
    /// Newcomer budget spent, in basis points of assignments (declared: 1000).
    #[cfg_attr(feature = "ts", tsify(type = "Bps"))]
    pub newcomer_budget_spent_bps: u64,
    /// Whether money was conserved and every invariant held at the end.
    pub money_conserved: bool,
}

/// Run a scenario (and, for attacks by agents, the baseline it is compared with). Refused when
/// the market configuration with the seed in it is ([`Market::new`](crate::Market::new)), or a
/// size is out of range ([`MIN_AGENTS`] to [`MAX_AGENTS`] agents, [`MIN_TASKS`] to [`MAX_TASKS`]
/// tasks).
pub fn simulate(config: &SimConfig, progress: &mut dyn FnMut(&str, u32, u32)) -> Result<SimReport, SimError> {
    SimError::check("agents", config.agents, MIN_AGENTS, MAX_AGENTS)?;
    SimError::check("tasks", config.tasks, MIN_TASKS, MAX_TASKS)?;
    let run = |attacking: bool, label: &str, progress: &mut dyn FnMut(&str, u32, u32)| {
        let mut world =
            World::new(config.market.clone(), config.scenario, config.seed, config.agents, config.tasks, attacking)?;
        world.run(&mut |r, n| progress(label, r, n));
        world.count_rejector_free();
        Ok::<World, SimError>(world)
    };
    let world = run(true, "attack", progress)?;
    let has_attackers = world.people.iter().any(|p| p.role.is_attacker());
    let baseline = if has_attackers { Some(run(false, "baseline", progress)?) } else { None };

    let market = &world.market;
    let rep_config = &market.config().reputation;
    let reputation_of = |w: &World, p: &population::Person| {
        p.agent.map_or(0.0, |a| w.market.reputation().overall(&w.market.config().reputation, a).mean)
    };
    let honest: Vec<usize> = (0..world.people.len())
        .filter(|&i| matches!(world.people[i].role, AgentRole::Honest | AgentRole::LateJoiner))
        .collect();
    let est: Vec<f64> = honest.iter().map(|&i| reputation_of(&world, &world.people[i])).collect();
    let truth: Vec<f64> = honest.iter().map(|&i| world.people[i].true_quality()).collect();
    let attackers: Vec<usize> = (0..world.people.len()).filter(|&i| world.people[i].role.is_attacker()).collect();
    let share = |w: &World| {
        let won: u64 = attackers.iter().map(|&i| w.people[i].honest_tasks).sum();
        won as f64 / w.honest_assigned.max(1) as f64
    };
    let percentile = |w: &World| {
        let all: Vec<f64> = w.people.iter().map(|p| reputation_of(w, p)).collect();
        mean_percentile(&all, &attackers)
    };
    let newcomers: Vec<&population::Person> = world.people.iter().filter(|p| p.role == AgentRole::LateJoiner).collect();
    let waits: Vec<u64> = newcomers.iter().filter_map(|p| p.first_task_after).collect();
    let (attack_gain, unit) = match config.scenario {
        Scenario::SybilRing | Scenario::Collusion => {
            (baseline.as_ref().map(|b| percentile(&world) - percentile(b)), Some("percentile points of reputation"))
        }
        Scenario::Whitewash => (
            baseline.as_ref().map(|b| share(&world) / share(b).max(1.0 / b.honest_assigned.max(1) as f64)),
            Some("task share relative to the same agents without re-registering"),
        ),
        Scenario::MassRejector => (
            Some(world.rejector_free as f64 / world.rejector_good.max(1) as f64),
            Some("share of good work the rejector got for free"),
        ),
        Scenario::Abandoner => (
            Some(world.abandoner_share[1] as f64 / world.assigned_half[1].max(1) as f64),
            Some("abandoners' task share in the second half of the run"),
        ),
        Scenario::Inflation | Scenario::Honest | Scenario::All => (None, None),
    };
    let _ = rep_config;
    Ok(SimReport {
        scenario: config.scenario,
        seed: config.seed,
        agents: config.agents,
        settled_tasks: market
            .tasks()
            .iter()
            .filter(|t| matches!(t.status, crate::task::TaskStatus::Settled { .. }))
            .count() as u64,
        kendall_tau: kendall_tau(&est, &truth),
        plain_average_tau: {
            let all: Vec<u8> = honest.iter().flat_map(|&i| world.people[i].stars.iter().copied()).collect();
            let mean = all.iter().map(|s| f64::from(*s)).sum::<f64>() / all.len().max(1) as f64;
            let plain: Vec<f64> = honest
                .iter()
                .map(|&i| {
                    let s = &world.people[i].stars;
                    if s.is_empty() {
                        mean
                    } else {
                        s.iter().map(|x| f64::from(*x)).sum::<f64>() / s.len() as f64
                    }
                })
                .collect();
            kendall_tau(&plain, &truth)
        },
        precision_at_20: precision_at_k(&est, &truth, 20),
        efficiency: if world.oracle > 0.0 { world.realised / world.oracle } else { 0.0 },
        attacker_task_share: has_attackers.then(|| share(&world)),
        baseline_attacker_task_share: baseline.as_ref().map(share),
        attacker_percentile_lift: baseline.as_ref().map(|b| percentile(&world) - percentile(b)),
        attack_gain,
        attack_gain_unit: unit.map(str::to_owned),
        newcomer_tasks_to_first: if waits.is_empty() {
            0.0
        } else {
            waits.iter().sum::<u64>() as f64 / waits.len() as f64
        },
        newcomer_tasks_to_first_max: waits.iter().copied().max().unwrap_or(0),
        newcomers_without_work: (newcomers.len() - waits.len()) as u32,
        newcomer_budget_spent_bps: market.fairness_report().newcomer_budget_spent_bps,
        money_conserved: market.audit().is_ok(),
    })
}

/// The agents a `RankAgents` listed, best first, from the events it returned (none if it listed
/// nobody): what a simulated client offers its task down.
pub(crate) fn ranked_agents(events: &[Event]) -> Vec<AgentId> {
    events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::AgentsRanked { ranked, .. } => Some(ranked.iter().map(|r| r.agent).collect()),
            _ => None,
        })
        .unwrap_or_default()
}
