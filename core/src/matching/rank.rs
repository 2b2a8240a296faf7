//! Ranking: the top k eligible agents for one task, with the factors of each fit.

use super::eligibility::{is_eligible, TaskGate};
use super::fit::{Fit, FitContext};
use super::index::{AgentRow, SkillPostings};
use crate::ids::{AgentId, Money, Timestamp};
use crate::market::Market;
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
pub fn rank(market: &Market, task: &Task, k: usize, now: Timestamp) -> Vec<RankedAgent> {
    let mut top = rank_in(market, task, k, now, FitContext::new(market, task));
    if top.iter().any(|r| r.fit.exploration > 0.0) {
        // The best agent not listed, on records alone: the first of the top k + 1 on records that
        // the ranking does not list (there is one whenever more than k agents are eligible).
        let on_records = rank_in(market, task, k + 1, now, FitContext::exploiting(market, task));
        let best_unlisted = on_records.iter().find(|r| !top.iter().any(|t| t.agent == r.agent)).map(|r| r.fit.score);
        mark_exploratory(&mut top, best_unlisted.unwrap_or(f64::NEG_INFINITY));
    }
    top
}

/// Flags the entries that exploration put where they are: an entry with a bonus is exploratory
/// when some agent below it (listed, or the best unlisted one, whose fit on records alone is
/// `best_unlisted`) fits better on its record alone. The margin keeps agents with identical
/// records, whose sums differ only in rounding, from counting as better.
fn mark_exploratory(top: &mut [RankedAgent], best_unlisted: f64) {
    const MARGIN: f64 = 1e-12;
    let mut best_below = best_unlisted;
    for entry in top.iter_mut().rev() {
        let own = entry.fit.score - entry.fit.exploration;
        entry.exploratory = entry.fit.exploration > 0.0 && best_below > own + MARGIN;
        best_below = best_below.max(own);
    }
}

/// [`rank`] with a given fit context (with or without exploration), without flags.
fn rank_in<'a>(
    market: &'a Market,
    task: &'a Task,
    k: usize,
    now: Timestamp,
    context: FitContext<'a>,
) -> Vec<RankedAgent> {
    let mut top: Vec<RankedAgent> = Vec::with_capacity(k + 1);
    if k == 0 {
        return top;
    }
    let ranking = Ranking {
        market,
        task,
        k,
        now,
        price: task.spec.pricing.offered(Tier::New),
        gate: TaskGate::new(market, task),
        context,
        window: task.window_tier(now),
        rows: market.match_index().rows(),
    };
    match rarest_skill(market, task, &ranking.gate.skill_codes) {
        Candidates::Everyone => {
            for i in 0..ranking.rows.len() {
                ranking.consider(&mut top, AgentId(i as u32), 0);
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
                if top.len() == k
                    && !ranking.context.could_reach_group(&group.envelope, level, ranking.price, top[k - 1].fit.score)
                {
                    continue;
                }
                for &agent in &group.agents {
                    ranking.consider(&mut top, agent, level);
                }
            }
        }
    }
    top
}

/// What one ranking reads for every candidate, worked out once.
struct Ranking<'a> {
    market: &'a Market,
    task: &'a Task,
    k: usize,
    now: Timestamp,
    /// The least the task offers any agent (what it offers the lowest tier), for group bounds.
    price: Money,
    gate: TaskGate,
    context: FitContext<'a>,
    window: Option<Tier>,
    rows: &'a [AgentRow],
}

impl Ranking<'_> {
    /// Adds `agent` (listed at `listed_level` for the skill the candidates come from) to `top`
    /// if it is eligible and among the k best so far. Inlined into the candidate loops: it runs
    /// for every candidate, and inlined, what depends only on the task stays in registers.
    #[inline(always)]
    fn consider(&self, top: &mut Vec<RankedAgent>, agent: AgentId, listed_level: u8) {
        let (k, rules) = (self.k, &self.task.spec.eligibility);
        let Some(row) = self.rows.get(agent.index()) else { return };
        // What the task offers this agent: its tier's premium price, else the reward or ceiling
        // (the row's tier is its summary's, the one the claim would be priced at).
        let price = self.task.spec.pricing.offered(row.tier);
        // Gates the row answers: failing one means failing `is_eligible` too.
        if row.full
            || !rules.agent_kinds.admits(row.kind)
            || row.tier < rules.min_tier
            || self.window.is_some_and(|tier| row.tier < tier)
            || (price as f64) < f64::from(row.min_rate)
        {
            return;
        }
        if top.len() == k && !self.context.could_reach(row, agent, listed_level, price, top[k - 1].fit.score) {
            return;
        }
        let Some(a) = self.market.agent(agent) else { return };
        if !is_eligible(self.market, self.task, a, self.now, &self.gate) {
            return;
        }
        let candidate = RankedAgent { agent, fit: self.context.fit(a, price, true), exploratory: false };
        if top.len() == k && by_fit(&candidate, &top[k - 1]) != Ordering::Less {
            return;
        }
        let at = top.partition_point(|x| by_fit(x, &candidate) == Ordering::Less);
        top.insert(at, candidate);
        top.truncate(k);
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

/// `codes` are the required skills' codes ([`Market::required_skill_codes`]).
fn rarest_skill<'a>(market: &'a Market, task: &Task, codes: &[Option<u32>]) -> Candidates<'a> {
    let mut best: Option<(&SkillPostings, u8)> = None;
    for (need, code) in task.spec.required_skills.iter().zip(codes) {
        let Some(postings) = code.and_then(|code| market.match_index().postings(code)) else {
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
