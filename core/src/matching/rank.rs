//! Ranking: the top k eligible agents for one task, with the factors of each fit.

use super::eligibility::{is_eligible, TaskGate};
use super::fit::{Fit, FitContext};
use super::index::{AgentRow, SkillPostings};
use super::inputs::MatchingInputs;
use crate::ids::{AgentId, Money, Timestamp};
use crate::task::Task;
use crate::tier::Tier;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// One agent in a ranking.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RankedAgent {
    /// The agent.
    pub agent: AgentId,
    /// Its fit, with factors.
    pub fit: Fit,
    /// Whether exploration put it where it is: its bonus lifts it above an agent whose record
    /// alone fits better. A host may show it ("new here: trying them out"); when the top entry
    /// is exploratory and its agent claims the task, the claim is charged to the budget.
    #[serde(default)]
    pub exploratory: bool,
}

/// Best fit first; ties go to the lower agent id, so rankings are deterministic.
pub fn by_fit(a: &RankedAgent, b: &RankedAgent) -> Ordering {
    b.fit.score.total_cmp(&a.fit.score).then(a.agent.cmp(&b.agent))
}

/// The top `k` agents that are eligible for `task` at `now` and have spare capacity.
///
/// Candidates come from the [`MatchIndex`](super::index::MatchIndex): the agents declaring the
/// rarest required skill at the required level (every agent when none is required). The gates a
/// matching row answers are checked first; once k candidates are held, a candidate whose upper
/// bound cannot beat the k-th is skipped unread. The rest pass every gate and get the exact fit,
/// so the result equals scoring every agent: best fit first, ties to the lower id.
pub fn rank(inputs: &impl MatchingInputs, task: &Task, k: usize, now: Timestamp) -> Vec<RankedAgent> {
    let (mut top, unlisted) = rank_in(inputs, task, k, now, FitContext::new(inputs, task), f64::NEG_INFINITY, 0.0);
    if top.iter().any(|r| r.fit.exploration > 0.0) && !mark_exploratory(&mut top, unlisted) {
        // The bounds left a flag in doubt. Ask, from the highest record among the entries with a
        // bonus down, for the best unlisted agent on records alone above that record (a scan
        // that skips every agent whose bound is below it, so a high floor is cheap). One found
        // above a floor decides every entry at or below it; none found bounds the rest.
        let mut floors: Vec<f64> =
            top.iter().filter(|r| r.fit.exploration > 0.0).map(|r| r.fit.score - r.fit.exploration).collect();
        floors.sort_by(|a, b| b.total_cmp(a));
        floors.dedup();
        let mut decided = false;
        for own in floors {
            let floor = own + EXPLORATORY_MARGIN;
            // First a scan that skips near-ties of the k-th (many agents share a record in a
            // young market): its best is within the margin of the true best, which decides
            // every flag but one within the margin of it; then, if needed, the exact scan.
            for tie_skip in [EXPLORATORY_MARGIN, 0.0] {
                let exploiting = FitContext::exploiting(inputs, task);
                let (above, _) = rank_in(inputs, task, k + 1, now, exploiting, floor, tie_skip);
                let best = above.iter().find(|r| !top.iter().any(|t| t.agent == r.agent)).map(|r| r.fit.score);
                let unlisted = match best {
                    Some(best) => Unlisted { exact: best, bound: best + tie_skip },
                    // Fewer than k + 1 above the floor, so none was skipped: none unlisted above it.
                    None => Unlisted { exact: f64::NEG_INFINITY, bound: floor },
                };
                decided = mark_exploratory(&mut top, unlisted);
                if decided {
                    break;
                }
            }
            if decided {
                break;
            }
        }
        // At the lowest floor nothing is left in doubt: above it the best is exact, below it
        // nothing unlisted can lift an entry.
        debug_assert!(decided, "the lowest floor decides every flag");
    }
    top
}

/// What a ranking learnt of the eligible agents it does not list: the best fit on records alone
/// among those it scored (`exact`), and an upper bound of it among those it skipped by their
/// bounds (`bound`, which may count agents that are not eligible: it only bounds).
#[derive(Clone, Copy, Debug)]
struct Unlisted {
    exact: f64,
    bound: f64,
}

/// How much better on its record another agent must fit for an entry to count as lifted by
/// exploration: more than the slack of the bounds (`fit::BOUND_SLACK`), so that agents with
/// identical records, whose sums differ only in rounding, do not count as better.
pub const EXPLORATORY_MARGIN: f64 = 1e-6;

/// Flags the entries that exploration put where they are: an entry with a bonus is exploratory
/// when some eligible agent below it (listed or not) fits better on its record alone. `false`
/// when what is known of the unlisted agents leaves a flag in doubt (the flags are then unset).
fn mark_exploratory(top: &mut [RankedAgent], unlisted: Unlisted) -> bool {
    let mut below = f64::NEG_INFINITY;
    for i in (0..top.len()).rev() {
        let own = top[i].fit.score - top[i].fit.exploration;
        let (surely, perhaps) = (below.max(unlisted.exact), below.max(unlisted.exact).max(unlisted.bound));
        let exploratory = top[i].fit.exploration > 0.0 && surely > own + EXPLORATORY_MARGIN;
        if top[i].fit.exploration > 0.0 && !exploratory && perhaps > own + EXPLORATORY_MARGIN {
            top.iter_mut().for_each(|r| r.exploratory = false);
            return false;
        }
        top[i].exploratory = exploratory;
        below = below.max(own);
    }
    true
}

/// [`rank`] with a given fit context (with or without exploration), without flags.
fn rank_in<'a, M: MatchingInputs>(
    inputs: &'a M,
    task: &'a Task,
    k: usize,
    now: Timestamp,
    context: FitContext<'a>,
    floor: f64,
    tie_skip: f64,
) -> (Vec<RankedAgent>, Unlisted) {
    let mut top: Vec<RankedAgent> = Vec::with_capacity(k + 1);
    let mut unlisted = Unlisted { exact: f64::NEG_INFINITY, bound: f64::NEG_INFINITY };
    if k == 0 {
        return (top, unlisted);
    }
    let flags = context.explores() && floor == f64::NEG_INFINITY;
    let ranking = Ranking {
        inputs,
        task,
        k,
        now,
        price: task.spec.pricing.offered(Tier::New),
        gate: TaskGate::new(inputs, task),
        context,
        floor,
        tie_skip,
        flags,
        window: task.window_tier(now),
        rows: inputs.match_index().rows(),
    };
    match rarest_skill(inputs, task, &ranking.gate.skill_codes) {
        Candidates::Everyone => {
            for i in 0..ranking.rows.len() {
                ranking.consider(&mut top, &mut unlisted, AgentId(i as u32), 0);
            }
        }
        Candidates::Nobody => {}
        Candidates::Declaring { postings, min_level } => {
            // Highest level first, so the k-th best rises early; a group whose envelope cannot
            // reach it is skipped whole.
            for (i, group) in postings.levels.iter().enumerate().rev() {
                let level = i as u8 + 1;
                if level < min_level {
                    break;
                }
                if !ranking.context.could_reach_group(&group.envelope, level, ranking.price, ranking.threshold(&top)) {
                    let bound = ranking.context.group_bound_on_records(&group.envelope, level, ranking.price);
                    unlisted.bound = unlisted.bound.max(bound);
                    continue;
                }
                for &agent in &group.agents {
                    ranking.consider(&mut top, &mut unlisted, agent, level);
                }
            }
        }
    }
    (top, unlisted)
}

/// What one ranking reads for every candidate, worked out once.
struct Ranking<'a, M> {
    inputs: &'a M,
    task: &'a Task,
    k: usize,
    now: Timestamp,
    /// The least the task offers any agent (what it offers the lowest tier), for group bounds.
    price: Money,
    gate: TaskGate,
    context: FitContext<'a>,
    /// Fits at or below this are not wanted (`NEG_INFINITY` for a plain ranking).
    floor: f64,
    /// Once k are held, candidates that cannot beat the k-th by more than this are skipped (0
    /// for an exact ranking).
    tie_skip: f64,
    /// Whether to learn about the agents left out, for the exploratory flags.
    flags: bool,
    window: Option<Tier>,
    rows: &'a [AgentRow],
}

impl<M: MatchingInputs> Ranking<'_, M> {
    /// The fit a candidate must reach to be of interest: the k-th best so far once k are held,
    /// and at least the floor.
    #[inline(always)]
    fn threshold(&self, top: &[RankedAgent]) -> f64 {
        if top.len() == self.k {
            top[self.k - 1].fit.score.max(self.floor) + self.tie_skip
        } else {
            self.floor
        }
    }

    /// Learns what an agent left out of the ranking fits on its record, `bound` at most: exactly
    /// (its gates and fit) when that could raise the best known by more than the margin, so the
    /// flags rarely need a second scan; else only as a bound. Only a ranking with bonuses needs
    /// it.
    #[inline(always)]
    fn learn(&self, unlisted: &mut Unlisted, agent: AgentId, price: Money, bound: f64) {
        if !self.flags {
            return;
        }
        if bound <= unlisted.exact + EXPLORATORY_MARGIN {
            unlisted.bound = unlisted.bound.max(bound);
            return;
        }
        let Some(a) = self.inputs.agent(agent) else { return };
        if is_eligible(self.inputs, self.task, a, self.now, &self.gate) {
            unlisted.exact = unlisted.exact.max(self.context.fit(a, price, false).score);
        }
    }

    /// Adds `agent` (listed at `listed_level` for the skill the candidates come from) to `top`
    /// if it is eligible and among the k best so far. Inlined into the candidate loops: it runs
    /// for every candidate, and inlined, what depends only on the task stays in registers.
    #[inline(always)]
    fn consider(&self, top: &mut Vec<RankedAgent>, unlisted: &mut Unlisted, agent: AgentId, listed_level: u8) {
        let (k, rules) = (self.k, &self.task.spec.eligibility);
        let Some(row) = self.rows.get(agent.index()) else { return };
        // What the task offers this agent: its tier's premium price, else the reward or ceiling
        // (the row's tier is its summary's, the one the claim would be priced at).
        let price = self.task.spec.pricing.offered(row.tier);
        // Gates the row answers: failing one means failing `is_eligible` too.
        if row.full()
            || !rules.agent_kinds.admits(row.kind)
            || row.tier < rules.min_tier
            || self.window.is_some_and(|tier| row.tier < tier)
            || (price as f64) < f64::from(row.min_rate)
        {
            return;
        }
        let threshold = self.threshold(top);
        if threshold > f64::NEG_INFINITY {
            if let Err(bound) = self.context.reach(row, agent, listed_level, price, threshold) {
                self.learn(unlisted, agent, price, bound);
                return;
            }
        }
        let Some(a) = self.inputs.agent(agent) else { return };
        // The exact fit before the full gates: among many agents with the same record (a new
        // market), most lose to the k-th on a tie and need no gate at all. Unchecked, its fit
        // on records only bounds what the unlisted eligible agents fit.
        let candidate =
            RankedAgent { agent, fit: self.context.fit_candidate(a, row, listed_level, price), exploratory: false };
        if candidate.fit.score <= self.floor || (top.len() == k && by_fit(&candidate, &top[k - 1]) != Ordering::Less) {
            self.learn(unlisted, agent, price, candidate.fit.score - candidate.fit.exploration);
            return;
        }
        if !is_eligible(self.inputs, self.task, a, self.now, &self.gate) {
            return;
        }
        let at = top.partition_point(|x| by_fit(x, &candidate) == Ordering::Less);
        top.insert(at, candidate);
        if top.len() > k {
            if let Some(out) = top.pop() {
                unlisted.exact = unlisted.exact.max(out.fit.score - out.fit.exploration);
            }
        }
    }
}

/// Where a ranking's candidates come from.
enum Candidates<'a> {
    /// No skill is required: every agent.
    Everyone,
    /// A required skill no agent has ever declared.
    Nobody,
    /// The agents declaring the required skill with the fewest of them.
    Declaring { postings: &'a SkillPostings, min_level: u8 },
}

/// `codes` are the required skills' codes ([`MatchingInputs::required_skill_codes`]).
fn rarest_skill<'a>(inputs: &'a impl MatchingInputs, task: &Task, codes: &[Option<u32>]) -> Candidates<'a> {
    let mut best: Option<(&SkillPostings, u8)> = None;
    for (need, code) in task.spec.required_skills.iter().zip(codes) {
        let Some(postings) = code.and_then(|code| inputs.match_index().postings(code)) else {
            return Candidates::Nobody;
        };
        if best.is_none_or(|(b, _)| postings.len() < b.len()) {
            best = Some((postings, need.min_level));
        }
    }
    match best {
        None => Candidates::Everyone,
        Some((postings, min_level)) => Candidates::Declaring { postings, min_level },
    }
}
