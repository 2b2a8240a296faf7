//! Invariants, checked by tests after every step and by `load` on every snapshot.
//!
//! - Money is conserved: client balances + agent balances + platform fees + escrow equals
//!   deposits minus withdrawals.
//! - Escrow is held only by tasks that are not final, and covers the agreed price.
//! - No agent holds more tasks than its capacity allows (a lowered capacity excepted).
//! - Every id in the state refers to a record that exists.
//! - The deadline index and the agents' loads equal what the tasks imply.
//! - The matching index equals a rebuild from agents, skill codes and reputation.

use super::Market;
use crate::task::TaskStatus;
use std::collections::{BTreeMap, BTreeSet};

/// A broken invariant: always a bug (or a corrupt snapshot).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invariant violated: {0}")]
pub struct InvariantViolation(pub String);

impl Market {
    /// Check every invariant; `Err` names the first that fails.
    pub fn audit(&self) -> Result<(), InvariantViolation> {
        let fail = |m: String| Err(InvariantViolation(m));
        let clients: u128 = self.clients.iter().map(|c| u128::from(c.balance)).sum();
        let agents: u128 = self.agents.iter().map(|a| u128::from(a.balance)).sum();
        let escrow: u128 = self.tasks.iter().map(|t| u128::from(t.escrow)).sum();
        let held = clients + agents + escrow + u128::from(self.platform_balance);
        let net = i128::from(self.deposited) - i128::from(self.withdrawn);
        if held as i128 != net {
            return fail(format!("money not conserved: accounts hold {held}, deposits - withdrawals = {net}"));
        }
        let mut deadlines = BTreeSet::new();
        let mut load = vec![0u32; self.agents.len()];
        for t in &self.tasks {
            if t.status.is_terminal() != (t.escrow == 0) {
                return fail(format!("{} is {} with escrow {}", t.id, t.status.name(), t.escrow));
            }
            if let Some(work) = t.status.work() {
                if work.price > t.escrow {
                    return fail(format!("{} price {} exceeds escrow {}", t.id, work.price, t.escrow));
                }
            }
            if let Some(agent) = t.occupying() {
                load[agent.index()] += 1;
            }
            if let Some(d) = t.deadline() {
                deadlines.insert((d, t.id));
            }
        }
        for a in &self.agents {
            if a.active != load[a.id.index()] {
                return fail(format!("{} load {} but holds {}", a.id, a.active, load[a.id.index()]));
            }
        }
        if deadlines != self.deadlines {
            return fail("deadline index out of step with tasks".into());
        }
        if !self.match_index_in_step() {
            return fail("matching index out of step with agents and reputation".into());
        }
        // The skill table holds exactly the names agents declare now, each counted once per
        // declarer (so freed names do not pile up and a code is never shared by two names).
        let mut declared: BTreeMap<&str, u32> = BTreeMap::new();
        for s in self.agents.iter().flat_map(|a| &a.skills) {
            *declared.entry(s.name.as_str()).or_default() += 1;
        }
        let counted =
            |(name, code): (&String, &u32)| declared.get(name.as_str()) == self.skill_refs.get(*code as usize);
        if declared.len() != self.skill_index.len() || !self.skill_index.iter().all(counted) {
            return fail("skill table out of step with the skills agents declare".into());
        }
        Ok(())
    }

    /// Every id in range and in its place; every number within its bounds. Used by `load`
    /// before indexes are rebuilt, so it must not assume they are right.
    pub(super) fn check_references(&self) -> Result<(), String> {
        let (nc, na, nk) = (self.clients.len(), self.agents.len(), self.categories.len());
        for (i, c) in self.clients.iter().enumerate() {
            if c.id.index() != i {
                return Err(format!("client at {i} has id {}", c.id));
            }
        }
        for (i, a) in self.agents.iter().enumerate() {
            if a.id.index() != i || a.capacity == 0 {
                return Err(format!("agent at {i} has id {} capacity {}", a.id, a.capacity));
            }
            // As registration checks them: lookups binary-search the names, and matching's
            // bounds assume levels 1 to MAX_SKILL_LEVEL.
            let levels_ok = a.skills.iter().all(|s| (1..=crate::limits::MAX_SKILL_LEVEL).contains(&s.level));
            if !levels_ok || !a.skills.windows(2).all(|w| w[0].name < w[1].name) {
                let max = crate::limits::MAX_SKILL_LEVEL;
                return Err(format!("{} has skills out of order or a level outside 1 to {max}", a.id));
            }
        }
        for (i, r) in self.reviewers.iter().enumerate() {
            if r.id.index() != i {
                return Err(format!("reviewer at {i} has id {}", r.id));
            }
        }
        if self.reputation.len() != na {
            return Err(format!("reputation for {} agents, {na} registered", self.reputation.len()));
        }
        let names: BTreeSet<&String> = self.categories.iter().collect();
        if names.len() != nk {
            return Err("duplicate category names".into());
        }
        for (i, t) in self.tasks.iter().enumerate() {
            if t.id.index() != i || t.client.index() >= nc || t.category.index() >= nk {
                return Err(format!("task at {i} refers to a missing id"));
            }
            if self.categories[t.category.index()] != t.spec.category {
                return Err(format!("{} category does not match its spec", t.id));
            }
            let agents_ok = match &t.status {
                TaskStatus::Open { bids, queued } => {
                    bids.iter().all(|b| b.agent.index() < na) && queued.iter().all(|a| a.index() < na)
                }
                TaskStatus::Settled { agent, .. } => agent.index() < na,
                other => other.work().is_none_or(|w| w.agent.index() < na),
            };
            if !agents_ok || t.dropped_by.iter().any(|a| a.index() >= na) {
                return Err(format!("{} refers to a missing agent", t.id));
            }
        }
        self.reputation.check_references(na, nc, nk).map_err(|e| format!("reputation: {e}"))
    }
}
