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
//!
//! Greedy on a plain mean is a weak learner: one lucky five keeps a middling agent on top and one
//! unlucky three buries a good one. [`Exploit::Posterior`] and [`Exploit::Thompson`] are the
//! strong ones, handed what no engine has: the population's own spread of skill and the world's
//! rating noise ([`StarPrior`]). The first is greedy on the Bayes estimate; the second gives each
//! task to the free agent with the best draw from its posterior, so uncertain records keep being
//! retried in proportion to their chance of being the best. What they cannot reach, a learner
//! from these stars does not reach.

use super::cells::UTILISATIONS;
use super::variant::Variant;
use super::world::Size;
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
    /// The free agent with the best posterior mean of stars, under a normal prior that is the
    /// population's own ([`StarPrior`]): the Bayes estimate, greedy on it.
    Posterior,
    /// The free agent with the best draw from that posterior (Thompson sampling): the learner
    /// that spends its trials where they may still decide who is best.
    Thompson,
}

/// One point of the frontier: an allocator that tries every agent `trials` times and otherwise
/// gives each task to the best free agent (by true value, or by its stars: `exploit`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrontierPoint {
    /// `frontier/util20/trials2`, and `frontier/util20/trials2/stars` for [`Exploit::Stars`].
    pub cell: String,
    /// Whom the work the trials leave goes to.
    pub exploit: Exploit,
    /// The world it ran in; absent for the reference world.
    #[serde(default, skip_serializing_if = "Variant::is_reference")]
    pub variant: Variant,
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
    let people: Vec<Person> =
        (0..n).map(|_| draw_person(&mut rng, AgentRole::Honest, 0, size.variant.category_spread())).collect();
    // As a matrix cell counts its ordinary tasks per round.
    let per_round = (utilisation_pct.saturating_mul(size.agents) / 100).max(1) as usize;
    let (mut stars, mut tasks) = (StarTally::new(n), vec![0u32; n]);
    let (mut realised, mut oracle, mut rounds) = (0.0, 0.0, 0);
    let prior = StarPrior::of(&people, size.variant);
    // The sampler's own stream, so that every learner meets the same categories, work and ratings
    // at its k-th task.
    let mut thompson = SplitMix64::new(seed ^ THOMPSON_STREAM);
    while rounds < size.max_rounds && stars.mean_rated() < size.rated_per_agent {
        rounds += 1;
        let mut free = vec![true; n];
        for _ in 0..per_round.min(n) {
            let category = rng.below(CATEGORIES.len() as u64) as usize;
            let value = |p: usize| people[p].value(category);
            let Some(best) = best_free(&free, value) else { break };
            let untried = (0..n).filter(|&p| free[p] && stars.count[p] < trials).min_by_key(|&p| (tasks[p], p));
            let chosen = match (untried, exploit) {
                (Some(p), _) => p,
                (None, Exploit::Oracle) => best,
                (None, Exploit::Stars) => best_free(&free, |p| stars.mean(p)).unwrap_or(best),
                (None, Exploit::Posterior) => best_free(&free, |p| prior.posterior(&stars, p).0).unwrap_or(best),
                // One draw per free agent from its posterior; the highest draw gets the task.
                (None, Exploit::Thompson) => best_free(&free, |p| prior.draw(&stars, p, &mut thompson)).unwrap_or(best),
            };
            oracle += value(best);
            realised += value(chosen);
            free[chosen] = false;
            tasks[chosen] += 1;
            let quality = (people[chosen].skill[category] + TASK_SPREAD * (rng.unit() - 0.5)).clamp(0.0, 1.0);
            // As the matrix's honest clients: most accepted work is rated (every task here is
            // accepted work; a reject or a revision would only withhold ratings).
            let (rated, draw) = (rng.unit() < size.variant.rated_share(), rng.unit());
            // Each task's client is one of many, so a biased rater's yardstick is drawn per task.
            let bias = size.variant.draw_rater_bias(&mut rng);
            if rated {
                stars.add(chosen, quality_stars(quality, (draw, size.variant.rating_noise()), bias));
            }
        }
    }
    let plain: Vec<f64> = match exploit {
        Exploit::Posterior | Exploit::Thompson => (0..n).map(|p| prior.posterior(&stars, p).0).collect(),
        _ => (0..n).map(|p| stars.mean(p)).collect(),
    };
    let truth: Vec<f64> = people.iter().map(Person::true_quality).collect();
    let suffix = match exploit {
        Exploit::Oracle => "",
        Exploit::Stars => "/stars",
        Exploit::Posterior => "/posterior",
        Exploit::Thompson => "/thompson",
    };
    Ok(FrontierPoint {
        cell: format!("frontier/util{utilisation_pct}/trials{trials}{suffix}"),
        exploit,
        variant: size.variant,
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

/// The free agent with the highest `key` (of equals, the first). `key` is read once for each
/// free agent, in order, so a key that draws (Thompson's) draws the same stream whatever wins.
fn best_free(free: &[bool], mut key: impl FnMut(usize) -> f64) -> Option<usize> {
    let keyed = (0..free.len()).filter(|&p| free[p]).map(|p| (key(p), p));
    keyed.max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1))).map(|(_, p)| p)
}

/// Salt of the Thompson sampler's random stream (`b"thompson"`).
const THOMPSON_STREAM: u64 = 0x7468_6f6d_7073_6f6e;

/// What the Bayesian learners know before any rating: the population's spread of expected stars,
/// and how far one rating strays from an agent's expectation. This is more than an engine knows
/// (it has to learn both, and attackers can bend what it learns), so the learners that read it
/// bound what an engine's estimate can do rather than model one.
struct StarPrior {
    /// Mean of the agents' expected stars (`1 + 4 * mean skill`).
    mean: f64,
    /// Their variance across the population.
    variance: f64,
    /// Variance of one rating around the agent's expected stars: the task's quality, the
    /// category's, the client's noise and bias and the rounding to whole stars, each uniform.
    noise: f64,
}

impl StarPrior {
    fn of(people: &[Person], variant: Variant) -> StarPrior {
        let expected: Vec<f64> =
            people.iter().map(|p| 1.0 + 4.0 * p.skill.iter().sum::<f64>() / p.skill.len() as f64).collect();
        let count = expected.len().max(1) as f64;
        let mean = expected.iter().sum::<f64>() / count;
        let variance = expected.iter().map(|e| (e - mean) * (e - mean)).sum::<f64>() / count;
        let uniform = |width: f64| width * width / 12.0;
        let noise = uniform(4.0 * TASK_SPREAD)
            + uniform(4.0 * variant.category_spread())
            + uniform(variant.rating_noise())
            + uniform(2.0 * variant.rater_bias())
            + uniform(1.0);
        StarPrior { mean, variance: variance.max(f64::EPSILON), noise }
    }

    /// Posterior mean and variance of the agent's expected stars (normal prior, normal ratings).
    fn posterior(&self, stars: &StarTally, agent: usize) -> (f64, f64) {
        let precision = 1.0 / self.variance + f64::from(stars.count[agent]) / self.noise;
        ((self.mean / self.variance + f64::from(stars.sum[agent]) / self.noise) / precision, 1.0 / precision)
    }

    /// One draw from that posterior (Box-Muller).
    fn draw(&self, stars: &StarTally, agent: usize, rng: &mut SplitMix64) -> f64 {
        let (mean, variance) = self.posterior(stars, agent);
        let (u1, u2) = (rng.unit().max(f64::MIN_POSITIVE), rng.unit());
        let normal = libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2);
        mean + libm::sqrt(variance) * normal
    }
}

/// Every point of the frontier for a seed: each of the matrix's utilisations with each of
/// [`TRIALS`], the oracle's and then the stars', handed over as each is done.
pub fn run_frontier(seed: u64, size: Size, each: &mut dyn FnMut(FrontierPoint)) -> Result<(), SimError> {
    for utilisation_pct in UTILISATIONS {
        for exploit in [Exploit::Oracle, Exploit::Stars, Exploit::Posterior, Exploit::Thompson] {
            for trials in TRIALS {
                each(frontier_point_exploiting(seed, size, (utilisation_pct, trials), exploit)?);
            }
        }
    }
    Ok(())
}
