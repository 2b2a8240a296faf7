//! The figures of one cell, from its run and (for attacks with agents) its baseline run.
//!
//! Definitions (every score is the engine's overall posterior mean, `Reputation::overall`, of a
//! person's current identity, read at the end of the run):
//!
//! * `kendall_tau`, `precision_at_20`, `plain_average_tau`: over honest people (late joiners
//!   included, drifted ones excluded: they are measured by `drift_tasks_to_detect`), score
//!   against hidden true quality (`Person::true_quality`); the plain average is the mean of the
//!   honest stars each received (the market's mean for the never rated).
//! * `never_rated`, `kendall_tau_rated`, `plain_average_tau_rated`: the same people split in
//!   two, to tell the two ways tau is lost apart: how many of them no honest client rated (who
//!   gets a first task: coverage), and among the rest, the score's tau and a plain mean's (what
//!   the score makes of the ratings it has: the estimator).
//! * `efficiency`: see `allocate.rs` (realised true value over an oracle's at the same moments).
//!   `efficiency_among_bidders` (bids only): the same over an oracle that places each task with
//!   one of the agents that bid on it, since the award can choose no one else.
//! * `attacker_task_share`: honest clients' ordinary tasks won by the attackers' agents over all
//!   honest clients' ordinary tasks placed.
//! * `attacker_percentile_lift`: the attackers' mean percentile of score among all current
//!   identities, minus the same in the baseline run (same seed and cell, the same unskilled
//!   agents exist but nobody attacks), in points.
//! * `whitewash_ratio`: the whitewashers' task share over their share in the baseline run (where
//!   they keep their identities), the latter floored at one task.
//! * `drift_tasks_to_detect`: for each drifted agent, the tasks it claimed after its quality fell
//!   until, at the end of a round, its score was below the median identity's; the MEAN over the
//!   drifted agents that were detected before the run ended (`drift_detected` of
//!   `drift_agents`; the rest are censored and not in the mean; null when none was detected).
//!   `drift_tasks_to_detect_max` is the largest of those; `drift_undetected_tasks_max` the most
//!   tasks an undetected one claimed after its drift (a lower bound of its detection time).
//! * `tier_bought`: wash trading only, the socks that ended Established or above.
//! * `newcomer_budget_*`: `Market::fairness_report`.
//! * `rejector_free_share`: mass rejector only, good work (quality >= 0.3) it had refunded.
//! * `victim_percentile_lift`: defamer only, the mean percentile of score of the people whose
//!   agents the socks rated (each once), minus the same people's in the baseline run (where the
//!   socks review honestly), in points: what defamation cost them (negative). `victims`: how many.

use super::cells::{Adversary, Allocation};
use super::variant::Variant;
use super::world::MatrixWorld;
use crate::sim::metrics::{kendall_tau, mean_percentile, precision_at_k};
use crate::tier::Tier;
use serde::{Deserialize, Serialize};

/// What one cell measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellReport {
    /// `util20/rank-claim/many-small/honest`.
    pub cell: String,
    /// The world it ran in; absent for the reference world.
    #[serde(default, skip_serializing_if = "Variant::is_reference")]
    pub variant: Variant,
    /// The seed.
    pub seed: u64,
    /// Rounds run.
    pub rounds: u32,
    /// Kendall tau of scores against hidden quality.
    pub kendall_tau: f64,
    /// The same for a plain mean of stars.
    pub plain_average_tau: f64,
    /// Honest people (as for `kendall_tau`) no honest client rated.
    pub never_rated: u32,
    /// Kendall tau of scores against hidden quality among the honest people rated at least once.
    pub kendall_tau_rated: f64,
    /// The same for a plain mean of their stars.
    pub plain_average_tau_rated: f64,
    /// Share of the true top 20 among the top 20 by score.
    pub precision_at_20: f64,
    /// Realised true value over the oracle's.
    pub efficiency: f64,
    /// Under bids: realised true value over an oracle's that places each task with one of the
    /// agents that bid on it (null for the other allocations).
    pub efficiency_among_bidders: Option<f64>,
    /// Share of honest clients' tasks the attackers won.
    pub attacker_task_share: Option<f64>,
    /// The same in the baseline run.
    pub baseline_attacker_task_share: Option<f64>,
    /// Attackers' mean score percentile, less the baseline's, in points.
    pub attacker_percentile_lift: Option<f64>,
    /// Whitewashers' task share over the baseline's.
    pub whitewash_ratio: Option<f64>,
    /// Mean tasks after the drift until detection, over detected drifted agents.
    pub drift_tasks_to_detect: Option<f64>,
    /// The largest of those.
    pub drift_tasks_to_detect_max: Option<u64>,
    /// The most tasks a drifted agent that was never detected claimed after its drift.
    pub drift_undetected_tasks_max: Option<u64>,
    /// Agents that drifted.
    pub drift_agents: u32,
    /// Of those, detected before the end.
    pub drift_detected: u32,
    /// Newcomer budget spent, basis points of assignments.
    pub newcomer_budget_spent_bps: u64,
    /// Newcomer budget declared, basis points.
    pub newcomer_budget_bps: u16,
    /// Whitewash only: identities abandoned, and tasks the market still handed them.
    pub whitewashes: Option<[u64; 2]>,
    /// Wash-traded socks that reached Established or above.
    pub tier_bought: Option<u32>,
    /// Good work the mass rejector had refunded, over good work it reviewed.
    pub rejector_free_share: Option<f64>,
    /// Defamer only: its victims' mean score percentile, less the baseline's, in points.
    pub victim_percentile_lift: Option<f64>,
    /// Defamer only: the people whose agents its socks rated.
    pub victims: Option<u32>,
    /// `Market::audit` held at the end (money conserved, indexes consistent), in every run.
    pub money_conserved: bool,
    /// Mean rated tasks per honest agent at the end.
    pub mean_rated_tasks_per_agent: f64,
    /// Median tasks claimed per honest agent.
    pub median_tasks_per_agent: f64,
}

fn share(w: &MatrixWorld) -> f64 {
    let won: u64 = w.attackers().iter().map(|&p| w.people[p].honest_tasks).sum();
    won as f64 / w.honest_assigned.max(1) as f64
}

/// The mean percentile of score of `people` among all current identities.
fn percentile_of(w: &MatrixWorld, people: &[usize]) -> f64 {
    let present: Vec<usize> = (0..w.people.len()).filter(|&p| w.people[p].agent.is_some()).collect();
    let scores: Vec<f64> = present.iter().map(|&p| w.score_of(p).unwrap_or(0.0)).collect();
    let members: Vec<usize> = (0..present.len()).filter(|&i| people.contains(&present[i])).collect();
    mean_percentile(&scores, &members)
}

/// The people whose agents the defamer's socks rated, each once.
fn victims(w: &MatrixWorld) -> Vec<usize> {
    let mut people: Vec<usize> = w.defamed.iter().map(|a| w.owner_of[a.index()]).collect();
    people.sort_unstable();
    people.dedup();
    people
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Realised true value over an oracle's (0 when the oracle placed nothing).
fn efficiency(realised: f64, oracle: f64) -> f64 {
    if oracle > 0.0 {
        realised / oracle
    } else {
        0.0
    }
}

/// The report of a cell's run and its baseline.
pub fn report(seed: u64, world: &MatrixWorld, baseline: Option<&MatrixWorld>) -> CellReport {
    let adversary = world.cell.adversary;
    let measured: Vec<usize> =
        world.honest_people().filter(|p| world.people[*p].agent.is_some() && !world.drifted.contains(p)).collect();
    let est: Vec<f64> = measured.iter().map(|&p| world.score_of(p).unwrap_or(0.0)).collect();
    let truth: Vec<f64> = measured.iter().map(|&p| world.people[p].true_quality()).collect();
    let all_stars: Vec<f64> =
        measured.iter().flat_map(|&p| world.people[p].stars.iter().map(|s| f64::from(*s))).collect();
    let mean_star = all_stars.iter().sum::<f64>() / all_stars.len().max(1) as f64;
    let plain: Vec<f64> = measured
        .iter()
        .map(|&p| {
            let s = &world.people[p].stars;
            if s.is_empty() {
                mean_star
            } else {
                s.iter().map(|x| f64::from(*x)).sum::<f64>() / s.len() as f64
            }
        })
        .collect();
    let detected: Vec<u64> = world.drift_detected.iter().flatten().copied().collect();
    let rated: Vec<usize> = (0..measured.len()).filter(|&i| !world.people[measured[i]].stars.is_empty()).collect();
    let among_rated = |values: &[f64]| -> Vec<f64> { rated.iter().map(|&i| values[i]).collect() };
    let victims = (adversary == Adversary::Defamer).then(|| victims(world));
    let fairness = world.market.fairness_report();
    let has_agents = adversary.has_agents();
    CellReport {
        cell: world.cell.name(),
        variant: world.size.variant,
        seed,
        rounds: world.round,
        kendall_tau: kendall_tau(&est, &truth),
        plain_average_tau: kendall_tau(&plain, &truth),
        never_rated: (measured.len() - rated.len()) as u32,
        kendall_tau_rated: kendall_tau(&among_rated(&est), &among_rated(&truth)),
        plain_average_tau_rated: kendall_tau(&among_rated(&plain), &among_rated(&truth)),
        precision_at_20: precision_at_k(&est, &truth, 20),
        efficiency: efficiency(world.realised, world.oracle),
        efficiency_among_bidders: (world.cell.allocation == Allocation::Bids)
            .then(|| efficiency(world.realised, world.oracle_bidders)),
        attacker_task_share: has_agents.then(|| share(world)),
        baseline_attacker_task_share: baseline.filter(|_| has_agents).map(share),
        attacker_percentile_lift: baseline
            .filter(|_| has_agents)
            .map(|b| percentile_of(world, &world.attackers()) - percentile_of(b, &b.attackers())),
        whitewash_ratio: baseline
            .filter(|_| adversary.is_whitewash())
            .map(|b| share(world) / share(b).max(1.0 / b.honest_assigned.max(1) as f64)),
        drift_tasks_to_detect: (!detected.is_empty())
            .then(|| detected.iter().sum::<u64>() as f64 / detected.len() as f64),
        drift_tasks_to_detect_max: detected.iter().copied().max(),
        drift_undetected_tasks_max: (0..world.drifted.len())
            .filter(|&i| world.drift_detected[i].is_none())
            .map(|i| world.drift_claims[i])
            .max(),
        drift_agents: world.drifted.len() as u32,
        drift_detected: detected.len() as u32,
        newcomer_budget_spent_bps: fairness.newcomer_budget_spent_bps,
        newcomer_budget_bps: fairness.newcomer_budget_bps,
        whitewashes: adversary.is_whitewash().then_some([world.whitewashes, world.retired_claims]),
        tier_bought: (adversary == Adversary::WashTrade).then(|| {
            world
                .attackers()
                .iter()
                .filter_map(|&p| world.people[p].agent)
                .filter(|&a| world.market.tier(a).is_ok_and(|t| t >= Tier::Established))
                .count() as u32
        }),
        victim_percentile_lift: baseline
            .zip(victims.as_ref())
            .map(|(b, victims)| percentile_of(world, victims) - percentile_of(b, victims)),
        victims: victims.as_ref().map(|v| v.len() as u32),
        rejector_free_share: (adversary == Adversary::MassRejector)
            .then(|| world.rejector_free() as f64 / world.rejector_good.len().max(1) as f64),
        money_conserved: world.market.audit().is_ok() && baseline.is_none_or(|b| b.market.audit().is_ok()),
        mean_rated_tasks_per_agent: world.mean_rated(),
        median_tasks_per_agent: median(
            world
                .honest_people()
                .filter(|p| world.people[*p].agent.is_some())
                .map(|p| world.claims[p] as f64)
                .collect(),
        ),
    }
}
