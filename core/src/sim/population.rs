//! The simulated population: people with hidden skill, the identities (agents) they act under,
//! and clients with their behaviour.

use crate::command::Command;
use crate::ids::{AgentId, ClientId};
use crate::party::{AgentKind, Skill};
use crate::rng::SplitMix64;

/// Width of the band a person's skill varies in from category to category.
pub const CATEGORY_SPREAD: f64 = 0.1;
/// Width of the band one task's quality varies in around the person's skill.
pub const TASK_SPREAD: f64 = 0.1;
/// Half-width of the band a declared level strays in around the person's true level.
pub const DECLARATION_NOISE: f64 = 1.2;

/// Categories the simulated market trades in.
pub const CATEGORIES: [&str; 4] = ["extraction", "translation", "labeling", "summaries"];

/// How a simulated person behaves as an agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentRole {
    /// Works as well as its skill allows.
    Honest,
    /// Honest, but joins halfway through (measures how fast newcomers get work).
    LateJoiner,
    /// A low-skill agent in a ring with Sybil or colluding clients.
    Colluder,
    /// A low-skill agent that re-registers under a new identity when its record turns bad.
    Whitewasher,
    /// Claims work and often lets the lease run out.
    Abandoner,
}

impl AgentRole {
    /// Whether this role is an attacker's.
    pub fn is_attacker(self) -> bool {
        matches!(self, AgentRole::Colluder | AgentRole::Whitewasher | AgentRole::Abandoner)
    }
}

/// How a simulated client behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientRole {
    /// Reviews and rates by the work's true quality.
    Honest,
    /// A cheap account of a rating ring: $5 tasks for colluders, always five stars.
    Sybil,
    /// A real client that sends its work to colluders and rates them five stars.
    Colluding,
    /// Rejects everything, citing a criterion, to get work for free.
    MassRejector,
    /// Rates every agent with the market's current consensus about it.
    ConsensusCopier,
}

/// A person behind one or more agent identities.
#[derive(Clone, Debug)]
pub struct Person {
    /// Hidden true quality per category, in [0, 1].
    pub skill: [f64; CATEGORIES.len()],
    /// Hidden speed in [0, 1]: share of the lease saved.
    pub speed: f64,
    /// Behaviour.
    pub role: AgentRole,
    /// Its current identity (None until registered).
    pub agent: Option<AgentId>,
    /// Every identity it used, oldest first.
    pub identities: Vec<AgentId>,
    /// Round it joins in.
    pub joins: u32,
    /// Market-wide assignments made before its first identity registered.
    pub assignments_at_join: u64,
    /// Market-wide assignments made before it got its first task.
    pub first_task_after: Option<u64>,
    /// Tasks it won from honest clients.
    pub honest_tasks: u64,
    /// Every quality star it was given (the baseline a plain average of ratings would use).
    pub stars: Vec<u8>,
}

impl Person {
    /// The hidden value of its work in a category, weighted as reputation weighs quality and
    /// speed: what allocative efficiency counts.
    pub fn value(&self, category: usize) -> f64 {
        let speed = crate::reputation::Dimension::Speed.weight();
        (1.0 - speed) * self.skill[category] + speed * self.speed
    }

    /// Its hidden overall standing, weighted as reputation weighs its dimensions: quality
    /// (the mean over categories) behind accuracy, quality, consistency and adaptability, and
    /// speed behind speed.
    pub fn true_quality(&self) -> f64 {
        let quality = self.skill.iter().sum::<f64>() / self.skill.len() as f64;
        let speed = crate::reputation::Dimension::Speed.weight();
        (1.0 - speed) * quality + speed * self.speed
    }
}

/// A simulated client.
#[derive(Clone, Debug)]
pub struct SimClient {
    /// Its id.
    pub id: ClientId,
    /// Behaviour.
    pub role: ClientRole,
    /// Minutes it takes to review.
    pub review_minutes: u64,
}

/// The `RegisterAgent` of identity `n` of person `p`: one person in four is a human, capacity
/// 1, and the declared levels are the hidden skill plus noise (self-description is cheap talk),
/// one draw from `rng` per category, up to `declaration_noise` levels either way
/// ([`DECLARATION_NOISE`] in the reference world).
pub fn registration(person: &Person, (p, n): (usize, usize), declaration_noise: f64, rng: &mut SplitMix64) -> Command {
    let skills = CATEGORIES
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let noisy = 1.0 + 4.0 * person.skill[c] + declaration_noise * (rng.unit() - 0.5) * 2.0;
            Skill { name: (*name).into(), level: noisy.round().clamp(1.0, 5.0) as u8 }
        })
        .collect();
    Command::RegisterAgent {
        name: format!("agent-{p}-{n}"),
        kind: if p % 4 == 0 { AgentKind::Human } else { AgentKind::Ai },
        owner: format!("agent-org-{p}-{n}"),
        skills,
        capacity: 1,
        min_rate: 0,
    }
}

/// Draw a person's hidden skill: a base level with per-category variation over a band
/// `category_spread` wide ([`CATEGORY_SPREAD`] in the reference world).
pub fn draw_person(rng: &mut SplitMix64, role: AgentRole, joins: u32, category_spread: f64) -> Person {
    let base = match role {
        AgentRole::Colluder | AgentRole::Whitewasher => 0.15 + 0.15 * rng.unit(),
        _ => 0.2 + 0.75 * rng.unit(),
    };
    let mut skill = [0.0; CATEGORIES.len()];
    for s in &mut skill {
        *s = (base + category_spread * (rng.unit() - 0.5)).clamp(0.05, 0.98);
    }
    Person {
        skill,
        speed: 0.2 + 0.6 * rng.unit(),
        role,
        agent: None,
        identities: Vec::new(),
        joins,
        assignments_at_join: 0,
        first_task_after: None,
        honest_tasks: 0,
        stars: Vec::new(),
    }
}
