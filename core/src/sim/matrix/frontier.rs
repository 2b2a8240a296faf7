//! What an allocator that knows every agent's true quality can show (`--scenario frontier`): the
//! trade-off between learning who is good and giving the work to whoever is, with no engine in it.
//!
//! Issue #11 asks every cell for a Kendall tau of at least 0.85 at a mean of 10 rated tasks per
//! agent *and* an allocative efficiency of at least 0.95 of an oracle. Ratings exist only for work
//! that was handed out, and every task handed to anyone but the best free agent costs efficiency,
//! so the two pull against each other whatever the engine does. This module measures how hard,
//! in the matrix's own world (`world.rs`: the same people, one task per agent per round, the same
//! work quality, rated share and stars), by an allocator no engine can beat on efficiency:
//!
//! * **trials `m`**: while a free agent has fewer than `m` rated tasks, each task goes to such an
//!   agent (the one with the fewest tasks; of equals, the first); every other task goes to the
//!   best free agent by true value: the oracle itself, so exploitation costs nothing;
//! * the estimate is the plain mean of each agent's stars (the market's mean for the never rated),
//!   the matrix's `plain_average_tau`;
//! * the run stops, as a matrix cell does, at the end of the round in which the mean number of
//!   rated tasks per agent reaches the size's target.
//!
//! There are no adversaries, late joiners or drift here: those only make both figures harder. So a
//! point this allocator cannot reach, no engine reaches in the matrix; a point it reaches shows how
//! much an engine's own estimate and exploration leave on the table.
//!
//! The oracle knows whom to give the rest of the work to; an engine has to learn it from the same
//! stars its ranking is measured on. [`Exploit::Stars`] runs the same trials and then gives each
//! task to the free agent with the best plain mean of stars so far (the market's mean for the
//! never rated; of equals, the first): explore-then-commit on the evidence an engine has.

use super::cells::UTILISATIONS;
use super::world::{Size, RATED_SHARE};
use crate::rng::SplitMix64;
use crate::sim::metrics::kendall_tau;
use crate::sim::population::{draw_person, AgentRole, Person, CATEGORIES, TASK_SPREAD};
use crate::sim::simulated_work::quality_stars;
use crate::sim::SimError;
use serde::{Deserialize, Serialize};

/// The trial counts `--scenario frontier` reports for each utilisation.
pub const TRIALS: [u32; 9] = [0, 1, 2, 3, 4, 5, 6, 8, 10];

/// Whom a frontier allocator gives the work its trials leave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exploit {
    /// The best free agent by true value: the bound no engine beats.
    Oracle,
    /// The free agent with the best plain mean of stars so far: what the evidence shows.
    Stars,
}

/// One point of the frontier: an allocator that tries every agent `trials` times and otherwise
/// gives each task to the best free agent (by true value, or by its stars: `exploit`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrontierPoint {
    /// `frontier/util20/trials2`, and `frontier/util20/trials2/stars` for [`Exploit::Stars`].
    pub cell: String,
    /// Whom the work the trials leave goes to.
    pub exploit: Exploit,
    /// The seed.
    pub seed: u64,
    /// Tasks posted per round over agents, in percent.
    pub utilisation_pct: u32,
    /// Rated tasks every agent is given before the oracle takes over.
    pub trials: u32,
    /// Rounds run.
    pub rounds: u32,
    /// Kendall tau of the plain mean of stars against hidden true quality.
    pub kendall_tau: f64,
    /// True value of the agents given the tasks over the best free agents' at the same moments.
    pub efficiency: f64,
    /// Mean rated tasks per agent at the end.
    pub mean_rated_tasks_per_agent: f64,
    /// Agents with no rated task at the end.
    pub never_rated: u32,
}

/// The frontier at one utilisation and trial count. Refused, like a matrix cell, for sizes outside
/// [`MIN_AGENTS`](crate::sim::MIN_AGENTS)..=[`MAX_AGENTS`](crate::sim::MAX_AGENTS).
pub fn frontier_point(seed: u64, size: Size, utilisation_pct: u32, trials: u32) -> Result<FrontierPoint, SimError> {
    frontier_point_exploiting(seed, size, (utilisation_pct, trials), Exploit::Oracle)
}

/// [`frontier_point`] with the work the trials leave given as `exploit` says.
pub fn frontier_point_exploiting(
    seed: u64,
    size: Size,
    (utilisation_pct, trials): (u32, u32),
    exploit: Exploit,
) -> Result<FrontierPoint, SimError> {
    SimError::check("agents", size.agents, crate::sim::MIN_AGENTS, crate::sim::MAX_AGENTS)?;
    let mut rng = SplitMix64::new(seed);
    let n = size.agents as usize;
    let people: Vec<Person> = (0..n).map(|_| draw_person(&mut rng, AgentRole::Honest, 0)).collect();
    // As a matrix cell counts its ordinary tasks per round.
    let per_round = (utilisation_pct.saturating_mul(size.agents) / 100).max(1) as usize;
    let (mut stars, mut tasks) = (StarTally::new(n), vec![0u32; n]);
    let (mut realised, mut oracle, mut rounds) = (0.0, 0.0, 0);
    while rounds < size.max_rounds && stars.mean_rated() < size.rated_per_agent {
        rounds += 1;
        let mut free = vec![true; n];
        for _ in 0..per_round.min(n) {
            let category = rng.below(CATEGORIES.len() as u64) as usize;
            let value = |p: usize| people[p].value(category);
            let best = (0..n).filter(|&p| free[p]).max_by(|&a, &b| value(a).total_cmp(&value(b)).then(b.cmp(&a)));
            let Some(best) = best else { break };
            let untried = (0..n).filter(|&p| free[p] && stars.count[p] < trials).min_by_key(|&p| (tasks[p], p));
            let chosen = match (untried, exploit) {
                (Some(p), _) => p,
                (None, Exploit::Oracle) => best,
                (None, Exploit::Stars) => (0..n)
                    .filter(|&p| free[p])
                    .max_by(|&a, &b| stars.mean(a).total_cmp(&stars.mean(b)).then(b.cmp(&a)))
                    .unwrap_or(best),
            };
            oracle += value(best);
            realised += value(chosen);
            free[chosen] = false;
            tasks[chosen] += 1;
            let quality = (people[chosen].skill[category] + TASK_SPREAD * (rng.unit() - 0.5)).clamp(0.0, 1.0);
            // As the matrix's honest clients: most accepted work is rated (every task here is
            // accepted work; a reject or a revision would only withhold ratings).
            let (rated, draw) = (rng.unit() < RATED_SHARE, rng.unit());
            if rated {
                stars.add(chosen, quality_stars(quality, draw, false));
            }
        }
    }
    let plain: Vec<f64> = (0..n).map(|p| stars.mean(p)).collect();
    let truth: Vec<f64> = people.iter().map(Person::true_quality).collect();
    let suffix = match exploit {
        Exploit::Oracle => "",
        Exploit::Stars => "/stars",
    };
    Ok(FrontierPoint {
        cell: format!("frontier/util{utilisation_pct}/trials{trials}{suffix}"),
        exploit,
        seed,
        utilisation_pct,
        trials,
        rounds,
        kendall_tau: kendall_tau(&plain, &truth),
        efficiency: if oracle > 0.0 { realised / oracle } else { 0.0 },
        mean_rated_tasks_per_agent: stars.mean_rated(),
        never_rated: stars.count.iter().filter(|c| **c == 0).count() as u32,
    })
}

/// The stars each agent was given, counted and summed as they come, so that the stars allocator
/// reads every agent's plain mean in constant time.
struct StarTally {
    /// Rated tasks per agent.
    count: Vec<u32>,
    /// Their stars' sum per agent.
    sum: Vec<u32>,
    /// Over all agents.
    all: (u64, u64),
}

impl StarTally {
    fn new(agents: usize) -> StarTally {
        StarTally { count: vec![0; agents], sum: vec![0; agents], all: (0, 0) }
    }

    fn add(&mut self, agent: usize, stars: u8) {
        self.count[agent] += 1;
        self.sum[agent] += u32::from(stars);
        self.all = (self.all.0 + 1, self.all.1 + u64::from(stars));
    }

    /// Mean rated tasks per agent.
    fn mean_rated(&self) -> f64 {
        self.all.0 as f64 / self.count.len().max(1) as f64
    }

    /// The agent's plain mean of stars; the market's mean for the never rated.
    fn mean(&self, agent: usize) -> f64 {
        match self.count[agent] {
            0 => self.all.1 as f64 / self.all.0.max(1) as f64,
            c => f64::from(self.sum[agent]) / f64::from(c),
        }
    }
}

/// Every point of the frontier for a seed: each of the matrix's utilisations with each of
/// [`TRIALS`], the oracle's and then the stars', handed over as each is done.
pub fn run_frontier(seed: u64, size: Size, each: &mut dyn FnMut(FrontierPoint)) -> Result<(), SimError> {
    for utilisation_pct in UTILISATIONS {
        for exploit in [Exploit::Oracle, Exploit::Stars] {
            for trials in TRIALS {
                each(frontier_point_exploiting(seed, size, (utilisation_pct, trials), exploit)?);
            }
        }
    }
    Ok(())
}
