//! The matrix's world: people with hidden skill (drawn as `sim::population` draws them), clients
//! by mix, and the life of every task (work, verification, review, ratings, disputes), driven
//! through `Market::apply` and `Market::tick` only. Allocation and adversaries are in their own
//! files; this file is the round loop and the honest behaviour.

use super::cells::{Adversary, Allocation, Cell, ClientMix};
use super::variant::Variant;
use crate::actor::Actor;
use crate::command::{Command, Rating, Resolution, ReviewDecision};
use crate::event::{Event, EventKind};
use crate::ids::{AgentId, ClientId, Money, TaskId, Timestamp};
use crate::market::{Market, MarketConfig};
use crate::rng::{mix64, SplitMix64};
use crate::sim::population::{draw_person, registration, AgentRole, Person, CATEGORIES, TASK_SPREAD};
pub(super) use crate::sim::simulated_work::spec;
use crate::sim::simulated_work::{
    first_try_passes, honest_decision, output, quality_stars, reject, self_check, timeliness_stars, verified,
    GOOD_ENOUGH,
};
use crate::sim::{SimError, MAX_AGENTS, MIN_AGENTS};
use crate::spec::*;
use crate::task::TaskStatus;

/// A minute, in ms; a round: long enough for any agent to finish a task and have it reviewed, so
/// that tasks per round over agents x capacity is the utilisation.
pub use crate::sim::simulated_work::{MINUTE, ROUND};
/// How long bidding stays open on a bid-priced task.
pub const BID_WINDOW: u64 = 10 * MINUTE;
/// Share of accepted tasks an honest client rates in the reference world.
pub const RATED_SHARE: f64 = 0.8;

/// The defamer's sock accounts.
const DEFAMER_SOCKS: u32 = 20;

/// How big a world is and when it stops.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    /// People (agents), attackers included.
    pub agents: u32,
    /// Stop at the end of the round in which the honest agents' mean number of rated tasks
    /// reaches this.
    pub rated_per_agent: f64,
    /// Stop after this many rounds in any case.
    pub max_rounds: u32,
    /// The highest skill level an honest task asks, 1 to 5: tasks ask levels 1 to this in turn.
    /// At 2 (the reference) every honest gate is common; higher levels make some honest work
    /// sit behind rare gates, as a market of specialists would (MATRIX.md, "Vouchers for rare
    /// gates").
    pub top_level: u8,
    /// The world's assumptions: the reference's, or one of them bent (`--variant`).
    pub variant: Variant,
}

impl Size {
    /// The reference size: 200 agents, until a mean of 10 rated tasks per agent.
    pub const fn full() -> Size {
        Size { agents: 200, rated_per_agent: 10.0, max_rounds: 600, top_level: 2, variant: Variant::Reference }
    }
}

/// How a client behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    /// Posts ordinary tasks; reviews and rates by the work's true quality.
    Honest,
    /// A ring account: posts tasks its ring's agents claim; accepts, five stars.
    Ring,
    /// Posts ordinary tasks (reviewed honestly) and ring tasks (five stars).
    Colluding,
    /// The wash trader's shell: pays its socks, five stars.
    Shell,
    /// Posts ordinary tasks and rejects everything.
    MassRejector,
    /// A sock account: posts ordinary tasks, sends the work back once, one star.
    Defamer,
}

/// A simulated client.
#[derive(Clone, Debug)]
pub struct MatrixClient {
    /// Its id.
    pub id: ClientId,
    /// Behaviour.
    pub kind: ClientKind,
    /// Median reward of its ordinary tasks, minor units.
    pub median_reward: f64,
    /// Share of the ordinary tasks it posts (relative weight).
    pub weight: f64,
    /// Minutes it takes to review.
    pub review_minutes: u64,
    /// Stars it adds to every quality rating it gives honestly (its own yardstick; 0 but in the
    /// `biased-raters` world).
    pub bias: f64,
}

/// What the world knows of a task it posted.
#[derive(Clone, Copy, Debug, Default)]
pub struct TaskInfo {
    /// Posted in the ordinary flow (allocated by the cell's policy), not a ring or shell task.
    pub flow: bool,
    /// Posted by an honest client (what attacker task share counts).
    pub honest: bool,
    /// Category index into `CATEGORIES`.
    pub category: usize,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Action {
    Submit {
        task: TaskId,
        quality: f64,
    },
    Review {
        task: TaskId,
        quality: f64,
    },
    Resolve {
        task: TaskId,
        quality: f64,
    },
    /// Allocate what is still open, halfway through the round.
    Retry,
    /// An abandoned identity gives back a task the market handed it.
    Return {
        task: TaskId,
        agent: AgentId,
    },
    /// Just before bidding closes: what an oracle would place.
    BidOracle {
        closes: Timestamp,
    },
}

/// A running matrix world.
#[derive(Debug)]
pub struct MatrixWorld {
    /// The market, driven only through `apply` and `tick`.
    pub market: Market,
    /// The cell.
    pub cell: Cell,
    /// Whether the adversary acts (false: its agents exist and behave honestly, the baseline).
    pub attacking: bool,
    /// The size.
    pub size: Size,
    /// People behind the agents.
    pub people: Vec<Person>,
    /// Person of each agent id.
    pub owner_of: Vec<usize>,
    /// Agent ids abandoned by whitewashers (they declare no skills and never work again).
    pub retired: Vec<bool>,
    /// Tasks claimed by each agent id.
    pub identity_claims: Vec<u32>,
    /// The clients.
    pub clients: Vec<MatrixClient>,
    /// Per task id.
    pub tasks: Vec<TaskInfo>,
    /// Ordinary tasks posted per round.
    pub tasks_per_round: u32,
    pub(super) rng: SplitMix64,
    /// The adversaries' own stream, so the honest world draws the same in a baseline run.
    pub(super) adv_rng: SplitMix64,
    /// Now.
    pub now: Timestamp,
    /// Rounds run.
    pub round: u32,
    actions: Vec<(Timestamp, u64, Action)>,
    seq: u64,
    /// Tasks claimed per person (any client).
    pub claims: Vec<u64>,
    /// Ratings received per person.
    pub rated: Vec<u32>,
    /// Honest clients' tasks claimed by anyone.
    pub honest_assigned: u64,
    /// True value of the agents that got ordinary tasks, summed.
    pub realised: f64,
    /// True value an oracle would have placed at the same moments, summed.
    pub oracle: f64,
    /// Under bids, the same for an oracle that places each task with one of its bidders.
    pub oracle_bidders: f64,
    /// Whether the halfway events (drift, late joiners) happened.
    pub halfway: bool,
    /// People whose quality fell at halfway.
    pub drifted: Vec<usize>,
    /// Tasks each drifted person claimed since the drift.
    pub drift_claims: Vec<u64>,
    /// Tasks since the drift at which each drifted person's score fell below the median agent's.
    pub drift_detected: Vec<Option<u64>>,
    /// Shell tasks each person (sock) claimed.
    pub shell_done: Vec<u32>,
    /// Good work (quality >= 0.3) the mass rejector reviewed.
    pub rejector_good: Vec<TaskId>,
    /// The agents the defamer's socks rated, once per rating.
    pub defamed: Vec<AgentId>,
    /// Identities abandoned by whitewashers.
    pub whitewashes: u64,
    /// Tasks the market handed to abandoned identities (given back at once).
    pub retired_claims: u64,
    /// Ordinary tasks not yet known to be placed.
    pub(super) flow_open: Vec<TaskId>,
}

/// A standard normal draw (Box-Muller).
pub(super) fn normal(rng: &mut SplitMix64) -> f64 {
    let u = rng.unit().max(1e-12);
    let v = rng.unit();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// How many attackers an attack with agents uses: a twentieth of the agents (10 of 200).
pub fn attackers_for(agents: u32) -> u32 {
    (agents / 20).max(2)
}

impl MatrixWorld {
    /// A world for `cell`. With `attacking` false the adversary's agents exist (as unskilled)
    /// but behave honestly and its clients stay idle: the baseline.
    /// Refused when `seed` is beyond 2^53 - 1 (the market's seed, [`Market::new`]) or the agents
    /// are fewer than [`MIN_AGENTS`] or more than [`MAX_AGENTS`].
    pub fn new(cell: Cell, seed: u64, size: Size, attacking: bool) -> Result<MatrixWorld, SimError> {
        Self::with_config(cell, seed, size, attacking, MarketConfig::default())
    }

    /// [`MatrixWorld::new`] over a market with `config` (its `seed` replaced by `seed`): how an
    /// engine setting is measured across the matrix, one build, the setting the only change.
    pub fn with_config(
        cell: Cell,
        seed: u64,
        size: Size,
        attacking: bool,
        config: MarketConfig,
    ) -> Result<MatrixWorld, SimError> {
        SimError::check("agents", size.agents, MIN_AGENTS, MAX_AGENTS)?;
        SimError::check("top_level", u32::from(size.top_level), 1, u32::from(crate::limits::MAX_SKILL_LEVEL))?;
        let mut rng = SplitMix64::new(seed);
        let n = size.agents;
        let mut people = Vec::new();
        if cell.adversary.has_agents() {
            let role = if cell.adversary.is_whitewash() { AgentRole::Whitewasher } else { AgentRole::Colluder };
            for _ in 0..attackers_for(n) {
                people.push(draw_person(&mut rng, role, 0, size.variant.category_spread()));
            }
        }
        let late = n / 20;
        while (people.len() as u32) < n - late {
            people.push(draw_person(&mut rng, AgentRole::Honest, 0, size.variant.category_spread()));
        }
        for _ in 0..late {
            // Joins at halfway (`u32::MAX` until then).
            people.push(draw_person(&mut rng, AgentRole::LateJoiner, u32::MAX, size.variant.category_spread()));
        }
        let count = people.len();
        let mut world = MatrixWorld {
            market: Market::new(MarketConfig { seed, ..config })?,
            cell,
            attacking,
            size: Size { agents: n, ..size },
            people,
            owner_of: Vec::new(),
            retired: Vec::new(),
            identity_claims: Vec::new(),
            clients: Vec::new(),
            tasks: Vec::new(),
            tasks_per_round: (cell.utilisation_pct * n / 100).max(1),
            rng,
            adv_rng: SplitMix64::new(mix64(seed ^ 0x00ad_7e25_a121)),
            now: 0,
            round: 0,
            actions: Vec::new(),
            seq: 0,
            claims: vec![0; count],
            rated: vec![0; count],
            honest_assigned: 0,
            realised: 0.0,
            oracle: 0.0,
            oracle_bidders: 0.0,
            halfway: false,
            drifted: Vec::new(),
            drift_claims: Vec::new(),
            drift_detected: Vec::new(),
            shell_done: vec![0; count],
            rejector_good: Vec::new(),
            defamed: Vec::new(),
            whitewashes: 0,
            retired_claims: 0,
            flow_open: Vec::new(),
        };
        world.register_clients(n);
        for p in 0..count {
            if world.people[p].joins == 0 {
                world.register(p);
            }
        }
        Ok(world)
    }

    fn register_clients(&mut self, n: u32) {
        let mut plan: Vec<(ClientKind, f64, f64)> = Vec::new(); // kind, median reward, weight
        match self.cell.clients {
            ClientMix::ManySmall => {
                for _ in 0..n / 2 {
                    plan.push((ClientKind::Honest, 1_000.0 * (0.8 * normal(&mut self.rng)).exp(), 1.0));
                }
            }
            ClientMix::FewLarge => {
                let small = (n / 10).max(1);
                for _ in 0..5 {
                    plan.push((ClientKind::Honest, 4_000.0 * (0.3 * normal(&mut self.rng)).exp(), 0.8 / 5.0));
                }
                for _ in 0..small {
                    plan.push((ClientKind::Honest, 1_000.0 * (0.8 * normal(&mut self.rng)).exp(), 0.2 / small as f64));
                }
            }
        }
        let honest_weight: f64 = plan.iter().map(|c| c.2).sum();
        match self.cell.adversary {
            Adversary::ColludingClient | Adversary::LyingCollusion => {
                plan.push((ClientKind::Colluding, 2_000.0, honest_weight * 0.1 / 0.9))
            }
            Adversary::CollusionOfThree => {
                // The same colluding volume as one client's, from three owners.
                for _ in 0..3 {
                    plan.push((ClientKind::Colluding, 2_000.0, honest_weight * 0.1 / 0.9 / 3.0))
                }
            }
            Adversary::MassRejector => plan.push((ClientKind::MassRejector, 1_000.0, honest_weight * 0.05 / 0.95)),
            Adversary::SybilRing | Adversary::SpendingRing | Adversary::GatedRing | Adversary::LyingRing => {
                for _ in 0..attackers_for(n) {
                    plan.push((ClientKind::Ring, 500.0, 0.0));
                }
            }
            Adversary::WashTrade => plan.push((ClientKind::Shell, 0.0, 0.0)),
            Adversary::Defamer => {
                for _ in 0..DEFAMER_SOCKS {
                    plan.push((ClientKind::Defamer, 500.0, honest_weight * 0.05 / 0.95 / f64::from(DEFAMER_SOCKS)));
                }
            }
            _ => {}
        }
        for (i, (kind, median_reward, weight)) in plan.into_iter().enumerate() {
            let id = ClientId(i as u32);
            self.op(Command::RegisterClient { name: format!("client-{i}"), owner: format!("client-org-{i}") });
            let funds = match (kind, self.cell.adversary) {
                (ClientKind::Ring, Adversary::SybilRing) => 500,
                (ClientKind::Ring, _) => 100_000,
                _ => 1 << 36,
            };
            self.apply(Actor::Client { id }, Command::Deposit { amount: funds });
            let review_minutes = 2 + self.rng.below(9);
            let bias = self.size.variant.draw_rater_bias(&mut self.rng);
            self.clients.push(MatrixClient { id, kind, median_reward, weight, review_minutes, bias });
        }
    }

    /// Apply a command at `now` after acting on due deadlines, and observe what happened.
    pub(super) fn apply(&mut self, actor: Actor, command: Command) -> Option<Vec<Event>> {
        let due = self.market.tick(self.now);
        self.observe(&due);
        let events = self.market.apply(self.now, actor, command).ok()?;
        self.observe(&events);
        Some(events)
    }

    pub(super) fn op(&mut self, command: Command) -> Option<Vec<Event>> {
        self.apply(Actor::Operator, command)
    }

    /// Register (a new identity for) person `p`.
    pub(super) fn register(&mut self, p: usize) {
        let id = AgentId(self.owner_of.len() as u32);
        let n = self.people[p].identities.len();
        let mut register = registration(&self.people[p], (p, n), self.size.variant.declaration_noise(), &mut self.rng);
        // Lying attackers claim the top level in everything, in the baseline run too: what is
        // measured is what the ring's work (or re-registering) adds to the lie.
        if self.cell.adversary.lies() && self.people[p].role.is_attacker() {
            if let Command::RegisterAgent { skills, .. } = &mut register {
                skills.iter_mut().for_each(|s| s.level = crate::limits::MAX_SKILL_LEVEL);
            }
        }
        let events = self.op(register);
        if events.is_some() {
            self.owner_of.push(p);
            self.retired.push(false);
            self.identity_claims.push(0);
            let person = &mut self.people[p];
            person.agent = Some(id);
            person.identities.push(id);
        }
    }

    /// Post a task for `client`; returns its id.
    pub(super) fn post(&mut self, client: usize, spec: TaskSpec, flow: bool) -> Option<TaskId> {
        let category = CATEGORIES.iter().position(|c| *c == spec.category).unwrap_or(0);
        let events = self.apply(Actor::Client { id: self.clients[client].id }, Command::PostTask { spec })?;
        let task = events.iter().find_map(|e| match e.kind {
            EventKind::TaskPosted { task, .. } => Some(task),
            _ => None,
        })?;
        if task.index() >= self.tasks.len() {
            self.tasks.resize(task.index() + 1, TaskInfo::default());
        }
        let honest = flow && self.clients[client].kind == ClientKind::Honest;
        self.tasks[task.index()] = TaskInfo { flow, honest, category };
        Some(task)
    }

    pub(super) fn schedule(&mut self, at: Timestamp, action: Action) {
        self.seq += 1;
        self.actions.push((at, self.seq, action));
    }

    /// Whether agent `a` can take more work and still works (not an abandoned identity).
    pub(super) fn free(&self, a: AgentId) -> bool {
        !self.retired[a.index()] && self.market.agent(a).is_some_and(|x| x.active < x.capacity)
    }

    /// The true value of agent `a`'s work in a category (skill and speed, weighted as
    /// reputation weighs them).
    pub(super) fn value(&self, a: AgentId, category: usize) -> f64 {
        self.people[self.owner_of[a.index()]].value(category)
    }

    /// The honest people (the population tau is measured on, drifted ones included).
    pub fn honest_people(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.people.len()).filter(|&p| matches!(self.people[p].role, AgentRole::Honest | AgentRole::LateJoiner))
    }

    /// Mean number of rated tasks per honest person.
    pub fn mean_rated(&self) -> f64 {
        let (sum, n) = self.honest_people().fold((0u64, 0u64), |(s, n), p| (s + u64::from(self.rated[p]), n + 1));
        sum as f64 / n.max(1) as f64
    }

    /// Run rounds until the honest agents' mean rated tasks reaches the target (or the round cap).
    pub fn run(&mut self) {
        while self.round < self.size.max_rounds {
            self.step();
            if self.mean_rated() >= self.size.rated_per_agent {
                break;
            }
        }
    }

    /// One round: ordinary tasks posted and allocated, adversaries act, work done and reviewed.
    pub fn step(&mut self) {
        let start = u64::from(self.round) * ROUND;
        self.now = self.now.max(start);
        let due = self.market.tick(self.now);
        self.observe(&due);
        if !self.halfway && self.mean_rated() >= self.size.rated_per_agent / 2.0 {
            self.halfway();
        }
        self.before_allocation();
        let posted = self.post_flow();
        self.now += MINUTE;
        self.allocate(&posted);
        self.after_allocation();
        self.schedule(start + ROUND / 2, Action::Retry);
        self.run_actions(start + ROUND);
        self.check_drift();
        self.round += 1;
    }

    fn post_flow(&mut self) -> Vec<TaskId> {
        let total: f64 = self.clients.iter().map(|c| c.weight).sum();
        let mut posted = Vec::new();
        for i in 0..self.tasks_per_round {
            let mut pick = self.rng.unit() * total;
            let mut client = 0;
            for (c, x) in self.clients.iter().enumerate() {
                if x.weight <= 0.0 {
                    continue;
                }
                client = c;
                if pick < x.weight {
                    break;
                }
                pick -= x.weight;
            }
            let category = self.rng.below(CATEGORIES.len() as u64) as usize;
            let reward =
                (self.clients[client].median_reward * (0.3 * normal(&mut self.rng)).exp()).clamp(100.0, 1e6) as Money;
            let pricing = match self.cell.allocation {
                Allocation::Bids => Pricing::Bids {
                    ceiling: reward,
                    award: AwardPolicy::BestValue,
                    bidding_closes_at: self.now + BID_WINDOW,
                },
                _ => Pricing::Fixed { reward, tier_premium: false },
            };
            let min_level = 1 + (i % u32::from(self.size.top_level.max(1))) as u8;
            if let Some(task) = self.post(client, spec(category, pricing, min_level, self.now), true) {
                posted.push(task);
                self.flow_open.push(task);
            }
        }
        posted
    }

    /// Halfway (mean rated tasks at half the target): late joiners register, and 5 % of the
    /// good agents drift from their skill to a low one.
    fn halfway(&mut self) {
        self.halfway = true;
        for p in 0..self.people.len() {
            if self.people[p].joins == u32::MAX && self.people[p].agent.is_none() {
                self.register(p);
            }
        }
        // Good: above the median honest person's true quality; of those, 5 % drift, chosen
        // among the ones the engine scores in its top quarter (otherwise there is nothing for
        // the engine to notice).
        let honest: Vec<usize> = (0..self.people.len()).filter(|&p| self.people[p].role == AgentRole::Honest).collect();
        let mut truths: Vec<f64> = honest.iter().map(|&p| self.people[p].true_quality()).collect();
        truths.sort_by(f64::total_cmp);
        let true_median = truths.get(truths.len() / 2).copied().unwrap_or(0.5);
        let score_top_quarter = self.score_quantile(0.75);
        let good: Vec<usize> =
            honest.iter().copied().filter(|&p| self.people[p].true_quality() >= true_median).collect();
        let k = ((good.len() as f64 * 0.05).round() as usize).max(1);
        let mut candidates: Vec<usize> =
            good.into_iter().filter(|&p| self.score_of(p).is_some_and(|s| s >= score_top_quarter)).collect();
        while self.drifted.len() < k && !candidates.is_empty() {
            let i = self.rng.below(candidates.len() as u64) as usize;
            let p = candidates.swap_remove(i);
            for s in &mut self.people[p].skill {
                *s = 0.15 + 0.1 * self.rng.unit();
            }
            self.drifted.push(p);
        }
        self.drift_claims = vec![0; self.drifted.len()];
        self.drift_detected = vec![None; self.drifted.len()];
    }

    /// The engine's overall score (posterior mean) of person `p`'s current identity.
    pub fn score_of(&self, p: usize) -> Option<f64> {
        let rep = &self.market.config().reputation;
        self.people[p].agent.map(|a| self.market.reputation().overall(rep, a).mean)
    }

    /// The median overall score over current (not abandoned) identities.
    pub fn median_score(&self) -> f64 {
        self.score_quantile(0.5)
    }

    /// A quantile (0..=1) of the overall scores of current (not abandoned) identities.
    pub fn score_quantile(&self, q: f64) -> f64 {
        let rep = &self.market.config().reputation;
        let mut all: Vec<f64> = self
            .market
            .agents()
            .iter()
            .filter(|a| !self.retired[a.id.index()])
            .map(|a| self.market.reputation().overall(rep, a.id).mean)
            .collect();
        all.sort_by(f64::total_cmp);
        let i = ((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1));
        all.get(i).copied().unwrap_or(0.5)
    }

    fn check_drift(&mut self) {
        if self.drifted.is_empty() {
            return;
        }
        let median = self.median_score();
        for i in 0..self.drifted.len() {
            if self.drift_detected[i].is_none() && self.score_of(self.drifted[i]).is_some_and(|s| s < median) {
                self.drift_detected[i] = Some(self.drift_claims[i]);
            }
        }
    }

    /// Bookkeeping on events, and the agents' reaction to new tasks.
    pub(super) fn observe(&mut self, events: &[Event]) {
        for e in events {
            let EventKind::TaskClaimed { task, agent, .. } = e.kind else { continue };
            if self.retired[agent.index()] {
                // An abandoned identity never works again: it gives the task back.
                self.retired_claims += 1;
                self.schedule(e.at + MINUTE, Action::Return { task, agent });
                continue;
            }
            let p = self.owner_of[agent.index()];
            let info = self.tasks.get(task.index()).copied().unwrap_or_default();
            self.claims[p] += 1;
            self.identity_claims[agent.index()] += 1;
            if info.flow {
                self.realised += self.people[p].value(info.category);
            }
            if info.honest {
                self.honest_assigned += 1;
                self.people[p].honest_tasks += 1;
            }
            if let Some(i) = self.drifted.iter().position(|&d| d == p) {
                self.drift_claims[i] += 1;
            }
            let quality = (self.people[p].skill[info.category] + TASK_SPREAD * (self.rng.unit() - 0.5)).clamp(0.0, 1.0);
            let minutes = 5 + ((1.0 - self.people[p].speed) * 20.0) as u64;
            self.schedule(e.at + minutes * MINUTE, Action::Submit { task, quality });
        }
    }

    fn run_actions(&mut self, until: Timestamp) {
        loop {
            self.actions.sort_by_key(|(at, seq, _)| std::cmp::Reverse((*at, *seq)));
            let Some(&(at, _, action)) = self.actions.last() else { break };
            if at >= until {
                break;
            }
            self.actions.pop();
            self.now = self.now.max(at);
            match action {
                Action::Submit { task, quality } => self.submit(task, quality),
                Action::Review { task, quality } => self.review(task, quality),
                Action::Resolve { task, quality } => {
                    let resolution =
                        if quality >= GOOD_ENOUGH { Resolution::PayAgent } else { Resolution::RefundClient };
                    self.op(Command::ResolveDispute { task, resolution });
                }
                Action::Retry => {
                    self.before_allocation();
                    self.allocate(&[]);
                    self.after_allocation();
                }
                Action::BidOracle { closes } => self.bid_oracle(closes),
                Action::Return { task, agent } => {
                    self.apply(Actor::Agent { id: agent }, Command::ReturnTask { task });
                }
            }
        }
    }

    fn submit(&mut self, task: TaskId, quality: f64) {
        let Some(agent) = self.market.task(task).and_then(|t| t.holder()) else { return };
        let info = self.tasks.get(task.index()).copied().unwrap_or_default();
        // A first attempt passes verification more often the better the work; ring and shell
        // tasks are trivial and always pass.
        let passes = !info.flow || first_try_passes(quality, self.rng.unit());
        let submit = Command::SubmitWork { task, output: output(passes), self_check: self_check(quality) };
        let Some(events) = self.apply(Actor::Agent { id: agent }, submit) else { return };
        match verified(&events) {
            Some(false) => {
                self.schedule(self.now + 5 * MINUTE, Action::Submit { task, quality: (quality + 0.1).min(1.0) })
            }
            Some(true) => {
                let minutes = self
                    .market
                    .task(task)
                    .and_then(|t| self.clients.get(t.client.index()))
                    .map_or(5, |c| c.review_minutes);
                self.schedule(self.now + minutes * MINUTE, Action::Review { task, quality });
            }
            None => {}
        }
    }

    fn review(&mut self, task: TaskId, quality: f64) {
        let Some(t) = self.market.task(task) else { return };
        let (client, revisions_left, agent) = match &t.status {
            TaskStatus::UnderReview { work, .. } => {
                (t.client, work.revisions < t.spec.review.max_revisions, t.holder())
            }
            _ => return,
        };
        let Some(kind) = self.clients.get(client.index()).map(|c| c.kind) else { return };
        let info = self.tasks.get(task.index()).copied().unwrap_or_default();
        let collusive = !info.flow;
        let rejector = kind == ClientKind::MassRejector && self.attacking;
        let defamer = kind == ClientKind::Defamer && self.attacking;
        let decision = if collusive || (defamer && !revisions_left) {
            ReviewDecision::Accept
        } else if defamer {
            ReviewDecision::RequestRevision { note: "Not good enough.".into() }
        } else if rejector {
            reject()
        } else {
            honest_decision(quality, revisions_left)
        };
        let actor = Actor::Client { id: client };
        let rejected = matches!(decision, ReviewDecision::Reject { .. });
        let revising = matches!(decision, ReviewDecision::RequestRevision { .. });
        if self.apply(actor, Command::Review { task, decision }).is_none() {
            return;
        }
        if rejector && quality >= GOOD_ENOUGH {
            self.rejector_good.push(task);
        }
        if revising {
            self.schedule(self.now + 10 * MINUTE, Action::Submit { task, quality: (quality + 0.15).min(1.0) });
            return;
        }
        if rejected {
            // Agents dispute rejections of work they know is good; the operator goes by the truth.
            if quality >= GOOD_ENOUGH {
                if let Some(agent) = agent {
                    let dispute = Command::OpenDispute { task, reason: "the work meets the criteria".into() };
                    if self.apply(Actor::Agent { id: agent }, dispute).is_some() {
                        self.schedule(self.now + 20 * MINUTE, Action::Resolve { task, quality });
                    }
                }
            }
            return;
        }
        if defamer {
            if self.apply(actor, Command::RateTask { task, rating: Rating { quality: 1, timeliness: 1 } }).is_some() {
                self.defamed.extend(agent);
            }
            return;
        }
        if !collusive && self.rng.unit() > self.size.variant.rated_share() {
            return;
        }
        let inflation = self.attacking && self.cell.adversary == Adversary::Inflation;
        let bias = self.clients.get(client.index()).map_or(0.0, |c| c.bias);
        let shift = bias + if inflation { 1.0 } else { 0.0 };
        let stars = if collusive {
            5
        } else {
            quality_stars(quality, (self.rng.unit(), self.size.variant.rating_noise()), shift)
        };
        let speed = agent.map_or(0.5, |a| self.people[self.owner_of[a.index()]].speed);
        let timeliness = if collusive { 5 } else { timeliness_stars(speed, self.rng.unit()) };
        let rating = Rating { quality: stars, timeliness };
        if self.apply(actor, Command::RateTask { task, rating }).is_some() {
            if let Some(a) = agent {
                let p = self.owner_of[a.index()];
                self.rated[p] += 1;
                if !collusive {
                    self.people[p].stars.push(stars);
                }
            }
        }
    }

    /// Good work (quality >= 0.3) the mass rejector had refunded all the same.
    pub fn rejector_free(&self) -> u64 {
        self.rejector_good
            .iter()
            .filter_map(|t| self.market.task(*t))
            .filter(|t| {
                matches!(
                    t.status,
                    TaskStatus::Settled {
                        verdict: crate::event::Verdict::Rejected | crate::event::Verdict::DisputeRefunded,
                        ..
                    }
                )
            })
            .count() as u64
    }
}
