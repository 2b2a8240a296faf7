//! Keeping the [`MatchIndex`] in step with agents and their reputation.
//!
//! `evolve` calls these after each change the index depends on: an agent registered or its
//! profile changed (row and posting lists), its load or standing changed (the row's `full` and `spare`), its reputation
//! changed (the row's bounds and tier). `load` rebuilds the whole index; `audit` compares it with
//! a fresh rebuild, so a missed update shows up in the property tests as a named violation.

use super::Market;
use crate::ids::AgentId;
use crate::matching::index::{AgentRow, MatchIndex};
use crate::party::Agent;
use crate::reputation::{Reputation, ReputationConfig};
use std::collections::BTreeMap;

impl Market {
    /// The matching index (rows and skill posting lists) that ranking scans.
    pub fn match_index(&self) -> &MatchIndex {
        &self.match_index
    }

    /// Record `agent`'s current load in its row.
    pub(super) fn sync_active(&mut self, agent: AgentId) {
        if let Some(a) = self.agents.get(agent.index()) {
            self.match_index.set_active(agent, a.active, a.capacity, a.standing.is_active());
        }
    }

    /// List `agent` under each skill it declares (codes must be assigned already).
    pub(super) fn post_skills(&mut self, agent: AgentId) {
        let Some(a) = self.agents.get(agent.index()) else { return };
        for (code, level) in coded_skills(a, &self.skill_index) {
            self.match_index.post(code, agent, level);
        }
    }

    /// Take `agent` off the lists of the skills it declares now (before they change).
    pub(super) fn unpost_skills(&mut self, agent: AgentId) {
        let Some(a) = self.agents.get(agent.index()) else { return };
        for (code, _) in coded_skills(a, &self.skill_index) {
            self.match_index.unpost(code, agent);
        }
    }

    /// The index built from scratch from agents, skill codes and reputation.
    fn fresh_match_index(&self) -> MatchIndex {
        let mut index = MatchIndex::default();
        for a in &self.agents {
            if let Some(r) = self.reputation.agent(a.id) {
                index.set_row(a.id, AgentRow::of(a, r, &self.config.reputation), std::iter::empty());
            }
            for (code, level) in coded_skills(a, &self.skill_index) {
                index.post(code, a.id, level);
            }
        }
        index
    }

    /// Rebuild the index (after loading; loads and skill codes must be rebuilt first).
    pub(super) fn rebuild_match_index(&mut self) {
        self.match_index = self.fresh_match_index();
    }

    /// Whether the index agrees with a fresh rebuild (see [`MatchIndex::agrees_with`]).
    pub(super) fn match_index_in_step(&self) -> bool {
        self.match_index.agrees_with(&self.fresh_match_index())
    }
}

/// What a row is computed from: the fields of the market [`sync_row`] reads.
#[derive(Clone, Copy)]
pub(super) struct RowSources<'a> {
    pub agents: &'a [Agent],
    pub reputation: &'a Reputation,
    pub skill_index: &'a BTreeMap<String, u32>,
}

/// Recompute `agent`'s row from the agent and its reputation. It takes the market's fields,
/// not the market, because `evolve` calls it while it holds a task mutably.
pub(super) fn sync_row(index: &mut MatchIndex, from: RowSources<'_>, config: &ReputationConfig, agent: AgentId) {
    let (Some(a), Some(r)) = (from.agents.get(agent.index()), from.reputation.agent(agent)) else { return };
    index.set_row(agent, AgentRow::of(a, r, config), coded_skills(a, from.skill_index));
}

/// The agent's declared skills as (code, level): its inline codes, or (more than fit inline)
/// looked up by name. Skills without a code yet are left out.
fn coded_skills<'a>(agent: &'a Agent, skill_index: &'a BTreeMap<String, u32>) -> impl Iterator<Item = (u32, u8)> + 'a {
    let inline = agent.inline_skill_codes();
    let by_name = inline.is_none().then_some(&agent.skills);
    inline
        .into_iter()
        .flatten()
        .copied()
        .chain(by_name.into_iter().flatten().filter_map(|s| skill_index.get(&s.name).map(|code| (*code, s.level))))
}
