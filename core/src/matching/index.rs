//! The matching index: what ranking scans, flat and compact, kept in step with the market.
//!
//! Ranking one task over 10^5 agents has a budget of a millisecond. Walking the agents
//! themselves (a couple of hundred bytes each, and a reputation record elsewhere) is bound by
//! memory, so the index keeps two derived structures:
//!
//! - per agent, one [`AgentRow`] of about 40 bytes: what the cheap gates read (load, capacity,
//!   kind, tier, minimum rate) and bounds on its reputation from which an upper bound of its fit
//!   for any task follows ([`FitContext::upper_bound`](super::fit::FitContext::upper_bound));
//! - per skill, the agents declaring it with their level (a posting list sorted by agent id), so
//!   a task requiring skills only visits the agents that declare the rarest of them.
//!
//! Ranking works out the exact fit (the one formula, `FitContext::fit`) only for a candidate
//! whose bound could beat the k-th best found so far; the result is the same as scoring every
//! agent.
//!
//! Invariants (checked by [`Market::audit`](crate::market::Market::audit)): `rows[i]` equals
//! [`AgentRow::of`] agent `i` and its reputation; `postings[code]` lists each agent declaring
//! skill `code` exactly once, sorted by id. Nothing here is stored in snapshots: `load` rebuilds it.

use crate::ids::{AgentId, Money};
use crate::party::{Agent, AgentKind};
use crate::reputation::{AgentReputation, ReputationConfig};
use crate::tier::Tier;

/// What ranking reads about one agent without touching the agent or its reputation record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgentRow {
    /// The least reward it wants.
    pub min_rate: Money,
    /// Tasks it holds now.
    pub active: u32,
    /// Tasks it may hold.
    pub capacity: u32,
    /// AI or human.
    pub kind: AgentKind,
    /// Its tier as of its last reputation change.
    pub tier: Tier,
    /// At least its highest own level `pos / (pos + neg)` on any dimension, over all its
    /// evidence: the pooled prior of a category it has not worked in lies between this and the
    /// category's mean (0 with no evidence: the prior is the category's mean).
    pub reach: f32,
    /// At most its newcomer discount.
    pub discount: f32,
    /// At least its composite mean in every category it has evidence in (0 with none).
    pub best_mean: f32,
    /// At least its speed mean in every category it has evidence in (0 with none).
    pub best_speed: f32,
}

impl AgentRow {
    /// The row of `agent`, whose reputation is `reputation`.
    pub fn of(agent: &Agent, reputation: &AgentReputation, config: &ReputationConfig) -> AgentRow {
        let summary = &reputation.summary;
        let reach = summary
            .levels
            .iter()
            .filter(|(pos, neg)| pos + neg > 0.0)
            .map(|(pos, neg)| pos / (pos + neg))
            .fold(0.0, f64::max);
        let best_mean = summary.categories.iter().map(|c| c.score.mean).fold(0.0, f64::max);
        let best_speed = summary.categories.iter().map(|c| c.speed).fold(0.0, f64::max);
        AgentRow {
            min_rate: agent.min_rate,
            active: agent.active,
            capacity: agent.capacity,
            kind: agent.kind,
            tier: summary.tier,
            reach: at_least(reach),
            discount: at_most(reputation.newcomer_discount(config)),
            best_mean: at_least(best_mean),
            best_speed: at_least(best_speed),
        }
    }
}

/// The smallest `f32` not below `x` (bounds must stay bounds after narrowing).
fn at_least(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) < x {
        y.next_up()
    } else {
        y
    }
}

/// The largest `f32` not above `x`.
fn at_most(x: f64) -> f32 {
    let y = x as f32;
    if f64::from(y) > x {
        y.next_down()
    } else {
        y
    }
}

/// One agent in a skill's posting list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    /// The agent.
    pub agent: AgentId,
    /// Its declared level of the skill.
    pub level: u8,
}

/// The rows and posting lists (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MatchIndex {
    rows: Vec<AgentRow>,
    postings: Vec<Vec<Posting>>,
}

impl MatchIndex {
    /// Every agent's row, by agent id.
    pub fn rows(&self) -> &[AgentRow] {
        &self.rows
    }

    /// The agents declaring the skill with code `code`, by id.
    pub fn postings(&self, code: u32) -> &[Posting] {
        self.postings.get(code as usize).map_or(&[], Vec::as_slice)
    }

    /// Put `row` in place for agent `agent` (appending a newly registered agent).
    pub(crate) fn set_row(&mut self, agent: AgentId, row: AgentRow) {
        match self.rows.get_mut(agent.index()) {
            Some(slot) => *slot = row,
            None => {
                debug_assert_eq!(agent.index(), self.rows.len(), "agents are indexed in id order");
                self.rows.push(row);
            }
        }
    }

    /// Record a change of the agent's load (the hot path: claims and releases).
    pub(crate) fn set_active(&mut self, agent: AgentId, active: u32) {
        if let Some(row) = self.rows.get_mut(agent.index()) {
            row.active = active;
        }
    }

    /// List `agent` under skill `code` at `level` (replacing an earlier level).
    pub(crate) fn post(&mut self, code: u32, agent: AgentId, level: u8) {
        let code = code as usize;
        if self.postings.len() <= code {
            self.postings.resize_with(code + 1, Vec::new);
        }
        let list = &mut self.postings[code];
        match list.binary_search_by_key(&agent, |p| p.agent) {
            Ok(i) => list[i].level = level,
            Err(i) => list.insert(i, Posting { agent, level }),
        }
    }

    /// Take `agent` off skill `code`'s list.
    pub(crate) fn unpost(&mut self, code: u32, agent: AgentId) {
        if let Some(list) = self.postings.get_mut(code as usize) {
            if let Ok(i) = list.binary_search_by_key(&agent, |p| p.agent) {
                list.remove(i);
            }
        }
    }
}
