//! Invariants, checked by tests after every step and by `load` on every snapshot.
//!
//! - Money is conserved: client balances + agent balances + platform fees + escrow equals
//!   deposits minus withdrawals.
//! - Escrow is held only by tasks that are not final, and covers the agreed price.
//! - No agent holds more tasks than its capacity allows (a lowered capacity excepted).
//! - The deadline index, the agents' loads and the clients' live bytes equal what the tasks imply.
//! - The matching index equals a rebuild from agents, skill codes and reputation.
//! - Moderation left nothing behind: no suspended or closed agent holds work in progress, a
//!   queued claim or a bid; no suspended or closed client has an open task.

use super::Market;
use crate::ids::AgentId;
use crate::task::{Task, TaskStatus};
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
        let mut live_bytes = vec![0u64; self.clients.len()];
        for t in &self.tasks {
            if !t.status.is_terminal() {
                live_bytes[t.client.index()] += t.spec.stored_bytes() as u64;
            }
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
            if let Some(why) = self.left_by_moderation(t) {
                return fail(format!("{}: {why}", t.id));
            }
            if let Some(d) = t.deadline() {
                deadlines.insert((d, t.id));
            }
        }
        for i in 0..self.clients.len() {
            let client = crate::ids::ClientId(i as u32);
            if let Some(r) = self.reputation.client(client) {
                if r.counted_spend != r.counted_spend_afresh() {
                    return fail(format!(
                        "{client} counts {} of establishment spend, its counterparties {}",
                        r.counted_spend,
                        r.counted_spend_afresh()
                    ));
                }
            }
        }
        for a in &self.agents {
            if a.active != load[a.id.index()] {
                return fail(format!("{} load {} but holds {}", a.id, a.active, load[a.id.index()]));
            }
        }
        if let Some(c) = self.clients.iter().find(|c| c.live_bytes != live_bytes[c.id.index()]) {
            return fail(format!(
                "{} stores {} live bytes but its tasks {}",
                c.id,
                c.live_bytes,
                live_bytes[c.id.index()]
            ));
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
        // Who declares each skill at each level, and who of them is measured (`skill_gates.rs`).
        let agents =
            self.agents.iter().map(|a| (super::skill_gates::coded(&self.skill_index, &a.skills), self.measured(a.id)));
        if !super::skill_gates::SkillGates::afresh(agents).agrees_with(&self.skill_gates) {
            return fail("skill gate counts out of step with the agents' skills and measurement".into());
        }
        // Who vouched for each rare gate (`gate_vouchers.rs`).
        if super::gate_vouchers::GateVouchers::afresh(&self.clients) != self.gate_vouchers {
            return fail("gate vouchers out of step with the clients' vouched gates".into());
        }
        Ok(())
    }
}

impl Market {
    /// What suspension or closure should have released or cancelled on `t`, if anything is left.
    fn left_by_moderation(&self, t: &Task) -> Option<String> {
        let inactive = |agent: AgentId| self.agents.get(agent.index()).is_some_and(|a| !a.standing.is_active());
        match &t.status {
            TaskStatus::Open { bids, queued } => {
                if self.clients.get(t.client.index()).is_some_and(|c| !c.standing.is_active()) {
                    return Some(format!("open, but {} is suspended or closed", t.client));
                }
                let waiting = bids.iter().map(|b| b.agent).chain(queued.iter().copied());
                waiting.filter(|a| inactive(*a)).map(|a| format!("{a} is suspended or closed but still waits")).next()
            }
            status if status.in_progress() => {
                let holder = t.holder().filter(|a| inactive(*a))?;
                Some(format!("{holder} is suspended or closed but still holds it"))
            }
            _ => None,
        }
    }
}
