//! What the adversaries do each round, through the same public commands as everyone else.
//!
//! * rings (`sybil-ring`, `spending-ring`, `colluding-client`): after the ordinary tasks are
//!   allocated (so ring agents compete for honest work like anyone), each free ring agent gets a
//!   ring task posted for it and claims it at once; ring tasks always pass, are accepted and
//!   rated five stars. Sybil accounts hold $5 and are topped up from the ring's withdrawn
//!   earnings every round; spending rings pay from real deposits, at the start and halfway
//!   through each round; the colluding client pays $20 per ring task.
//! * `gated-ring`: a spending ring whose tasks require a skill only its agents declare
//!   ([`RING_SKILL`]); the ring client ranks each task (`RankAgents`) and the first free agent of
//!   its shortlist claims it, so the claim is on the market's shortlist, though the spec left the
//!   market no one else to choose.
//! * `lying-ring`: a gated ring whose agents also declare level 5 in every skill when they
//!   register (in the baseline run too), so they win honest work on the claim, are measured,
//!   and the market counts their gate as leaving a choice.
//! * `lying-collusion`: the colluding client's $20 ring tasks posted as the gated ring posts
//!   its own (behind [`RING_SKILL`], ranked, claimed from the shortlist), its agents lying as
//!   the lying ring's do.
//! * `collusion-of-three`: the same, with the colluding volume split among three real clients of
//!   distinct owners, who take turns posting the ring's tasks; each one's settled ring work
//!   vouches for the gate the others post behind (`market/gate_vouchers.rs`).
//! * `wash-trade`: the shell posts each free sock its next task ($500 first, then $1, 51 in all)
//!   at the same two moments; the sock claims at once; five stars.
//! * `whitewash`: before each allocation, a whitewasher whose identity has done a task and holds
//!   none abandons it (declares no skills, so it is never eligible again) and registers anew.

use super::cells::Adversary;
use super::world::{spec, ClientKind, MatrixWorld};
use crate::actor::Actor;
use crate::command::Command;
use crate::ids::{AgentId, ClientId, Money};
use crate::party::Skill;
use crate::sim::population::CATEGORIES;
use crate::spec::{Pricing, SkillRequirement};

/// The skill only a gated ring's agents declare.
pub const RING_SKILL: &str = "ring-handshake";

/// Shell tasks per sock: one large, then fifty tiny.
pub const SHELL_TASKS: u32 = 51;
/// The shell's first, large task per sock.
pub const SHELL_LARGE: Money = 50_000;
/// The shell's tiny tasks.
pub const SHELL_TINY: Money = 100;

impl MatrixWorld {
    /// The people attacking (their agents), in a run where the adversary acts or not.
    pub fn attackers(&self) -> Vec<usize> {
        (0..self.people.len()).filter(|&p| self.people[p].role.is_attacker()).collect()
    }

    fn attacker_agents(&self) -> Vec<(usize, AgentId)> {
        self.attackers().into_iter().filter_map(|p| self.people[p].agent.map(|a| (p, a))).collect()
    }

    /// Before an allocation: whitewashers start over.
    pub(super) fn before_allocation(&mut self) {
        if !self.attacking || !self.cell.adversary.is_whitewash() {
            return;
        }
        for (p, agent) in self.attacker_agents() {
            let idle = self.market.agent(agent).is_some_and(|a| a.active == 0);
            if self.identity_claims[agent.index()] >= 1 && idle {
                let quit = Command::UpdateAgentProfile { skills: Vec::new(), capacity: 1, min_rate: 0 };
                self.apply(Actor::Agent { id: agent }, quit);
                self.retired[agent.index()] = true;
                self.register(p);
                self.whitewashes += 1;
            }
        }
    }

    /// After an allocation: ring tasks and shell tasks for the attackers' free agents.
    pub(super) fn after_allocation(&mut self) {
        if !self.attacking {
            return;
        }
        let halfway_through = self.now % super::world::ROUND >= super::world::ROUND / 2;
        match self.cell.adversary {
            Adversary::SybilRing if !halfway_through => self.ring_tasks(500, true),
            Adversary::SpendingRing => self.ring_tasks(500, false),
            Adversary::GatedRing | Adversary::LyingRing => {
                self.declare_ring_skill();
                self.gated_ring_tasks(500);
            }
            Adversary::ColludingClient if !halfway_through => self.ring_tasks(2_000, false),
            Adversary::LyingCollusion | Adversary::CollusionOfThree if !halfway_through => {
                self.declare_ring_skill();
                self.gated_ring_tasks(2_000);
            }
            Adversary::WashTrade => self.shell_tasks(),
            _ => {}
        }
    }

    fn ring_clients(&self) -> Vec<usize> {
        let wanted = match self.cell.adversary {
            Adversary::ColludingClient | Adversary::LyingCollusion | Adversary::CollusionOfThree => {
                ClientKind::Colluding
            }
            _ => ClientKind::Ring,
        };
        (0..self.clients.len()).filter(|&c| self.clients[c].kind == wanted).collect()
    }

    fn ring_tasks(&mut self, reward: Money, recycle: bool) {
        let ring = self.ring_clients();
        if ring.is_empty() {
            return;
        }
        let agents = self.attacker_agents();
        if recycle {
            // Money cycles: the agents withdraw their earnings, the accounts are topped up to $5.
            for &(_, a) in &agents {
                let balance = self.market.agent(a).map_or(0, |x| x.balance);
                if balance > 0 {
                    self.apply(Actor::Agent { id: a }, Command::Withdraw { amount: balance });
                }
            }
            for &c in &ring {
                let id = self.clients[c].id;
                let balance = self.market.client(id).map_or(0, |x| x.balance);
                if balance < reward {
                    self.apply(Actor::Client { id }, Command::Deposit { amount: reward - balance });
                }
            }
        }
        for (i, (_, agent)) in agents.into_iter().enumerate() {
            if !self.free(agent) {
                continue;
            }
            let c = ring[(i + self.round as usize) % ring.len()];
            self.direct_task(c, agent, reward);
        }
    }

    /// Gated ring: every ring agent declares [`RING_SKILL`] at level 5 (once).
    fn declare_ring_skill(&mut self) {
        for (_, agent) in self.attacker_agents() {
            let Some(a) = self.market.agent(agent) else { continue };
            if a.skills.iter().any(|s| s.name == RING_SKILL) {
                continue;
            }
            let mut skills = a.skills.clone();
            skills.push(Skill { name: RING_SKILL.into(), level: 5 });
            let update = Command::UpdateAgentProfile { skills, capacity: a.capacity, min_rate: a.min_rate };
            self.apply(Actor::Agent { id: agent }, update);
        }
    }

    /// Gated ring: a task per free ring agent, requiring [`RING_SKILL`]; the ring client ranks
    /// it, and the first free agent of the shortlist claims it (cancelled when none can).
    fn gated_ring_tasks(&mut self, reward: Money) {
        let ring = self.ring_clients();
        if ring.is_empty() {
            return;
        }
        let free = self.attacker_agents().into_iter().filter(|(_, a)| self.free(*a)).count();
        for i in 0..free {
            let c = ring[(i + self.round as usize) % ring.len()];
            let category = self.adv_rng.below(CATEGORIES.len() as u64) as usize;
            let mut gated = spec(category, Pricing::Fixed { reward, tier_premium: false }, 1, self.now);
            gated.required_skills.push(SkillRequirement { skill: RING_SKILL.into(), min_level: 5 });
            let Some(task) = self.post(c, gated, false) else { continue };
            let client = Actor::Client { id: self.clients[c].id };
            self.apply(client, Command::RankAgents { task, k: 3 });
            let shortlist = self.market.task(task).map(|t| t.shortlist.clone()).unwrap_or_default();
            let mut claimed = false;
            for agent in shortlist {
                if self.free(agent) {
                    let claim = Command::ClaimTask { task, spec_hash: None };
                    claimed = self.apply(Actor::Agent { id: agent }, claim).is_some();
                    if claimed {
                        break;
                    }
                }
            }
            if !claimed {
                self.apply(client, Command::CancelTask { task });
            }
        }
    }

    /// Post a task for `client` that `agent` claims at once (cancelled if it cannot).
    fn direct_task(&mut self, client: usize, agent: AgentId, reward: Money) -> bool {
        let category = self.adv_rng.below(CATEGORIES.len() as u64) as usize;
        let Some(task) =
            self.post(client, spec(category, Pricing::Fixed { reward, tier_premium: false }, 1, self.now), false)
        else {
            return false;
        };
        if self.apply(Actor::Agent { id: agent }, Command::ClaimTask { task, spec_hash: None }).is_some() {
            return true;
        }
        let id: ClientId = self.clients[client].id;
        self.apply(Actor::Client { id }, Command::CancelTask { task });
        false
    }

    fn shell_tasks(&mut self) {
        let Some(shell) = (0..self.clients.len()).find(|&c| self.clients[c].kind == ClientKind::Shell) else {
            return;
        };
        for (p, agent) in self.attacker_agents() {
            if self.shell_done[p] >= SHELL_TASKS || !self.free(agent) {
                continue;
            }
            let reward = if self.shell_done[p] == 0 { SHELL_LARGE } else { SHELL_TINY };
            if self.direct_task(shell, agent, reward) {
                self.shell_done[p] += 1;
            }
        }
    }
}
