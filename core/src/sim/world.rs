//! The simulated world: a seeded population driving a [`Market`] through its public commands,
//! round by round, as a discrete-event simulation inside each round.

use super::population::{
    draw_person, registration, AgentRole, ClientRole, Person, SimClient, CATEGORIES, CATEGORY_SPREAD,
    DECLARATION_NOISE, TASK_SPREAD,
};
use super::simulated_work::{
    first_try_passes, honest_decision, output, quality_stars, reject, self_check, spec, timeliness_stars, verified,
    GOOD_ENOUGH, MINUTE, RATING_NOISE, ROUND,
};
use super::Scenario;
use crate::actor::Actor;
use crate::command::{Command, Rating, Resolution, ReviewDecision};
use crate::event::{Event, EventKind};
use crate::ids::{AgentId, ClientId, TaskId, Timestamp};
use crate::market::{ConfigError, Market, MarketConfig};
use crate::matching::assignment::{self, AssignmentProblem, Candidate};
use crate::matching::{batch, is_eligible};
use crate::rng::SplitMix64;
use crate::spec::*;
use crate::task::TaskStatus;

/// Something a party does at an instant within a round.
#[derive(Clone, Copy, Debug)]
enum Action {
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
    /// An abandoned identity gives back what the market still hands it.
    Return {
        task: TaskId,
        agent: AgentId,
    },
}

/// Which adversaries are active.
#[derive(Clone, Copy, Debug, Default)]
pub struct Attacks {
    /// Every honest client rates one star higher.
    pub inflation: bool,
    /// Sybil accounts rate colluders.
    pub sybil_ring: bool,
    /// A colluding client rates colluders.
    pub collusion: bool,
    /// Whitewashers re-register.
    pub whitewash: bool,
    /// A client rejects everything.
    pub mass_rejector: bool,
    /// Abandoners let leases run out.
    pub abandoners: bool,
    /// A client copies the consensus.
    pub copier: bool,
}

impl Attacks {
    /// The attacks a scenario switches on.
    pub fn of(scenario: Scenario) -> Attacks {
        let mut a = Attacks::default();
        match scenario {
            Scenario::Honest => {}
            Scenario::Inflation => a.inflation = true,
            Scenario::SybilRing => a.sybil_ring = true,
            Scenario::Collusion => a.collusion = true,
            Scenario::Whitewash => a.whitewash = true,
            Scenario::MassRejector => a.mass_rejector = true,
            Scenario::Abandoner => a.abandoners = true,
            Scenario::All => {
                a = Attacks {
                    inflation: true,
                    sybil_ring: true,
                    collusion: true,
                    whitewash: true,
                    mass_rejector: true,
                    abandoners: true,
                    copier: true,
                }
            }
        }
        a
    }
}

/// A running simulation.
#[derive(Debug)]
pub struct World {
    /// The market, driven only through `apply` and `tick`.
    pub market: Market,
    /// The people behind the agents.
    pub people: Vec<Person>,
    /// Which person each agent id belongs to.
    pub owner_of: Vec<usize>,
    /// The clients.
    pub clients: Vec<SimClient>,
    /// Rounds to run.
    pub rounds: u32,
    /// Honest tasks posted per round.
    pub tasks_per_round: u32,
    attacks: Attacks,
    /// Whether adversary agents exist (in a baseline run they exist but do not attack).
    rng: SplitMix64,
    now: Timestamp,
    round: u32,
    /// Market-wide assignments so far.
    pub assignments: u64,
    /// Honest-client tasks assigned so far.
    pub honest_assigned: u64,
    /// Realised true quality of batch placements, summed.
    pub realised: f64,
    /// What an oracle that knows the true quality would have realised on the same batches.
    pub oracle: f64,
    /// Mass-rejector tasks that were good work, and how many of those it got for free.
    pub rejector_good: u64,
    /// See `rejector_good`.
    pub rejector_free: u64,
    /// Abandoner task shares in the first and second halves of the run.
    pub abandoner_share: [u64; 2],
    /// Honest-client assignments per half.
    pub assigned_half: [u64; 2],
    retired: Vec<bool>,
    /// Identities whitewashers abandoned for new ones.
    pub whitewashes: u64,
    actions: Vec<(Timestamp, u64, Action)>,
    seq: u64,
    /// The quality each held task's work will have (by task index).
    quality: Vec<f64>,
}

impl World {
    /// A world with `agents` people (some of them adversaries if the scenario has any) and about
    /// `tasks` honest tasks. With `attacking` false, adversary agents exist and are as unskilled,
    /// but do not attack: the baseline an attack's gain is measured against.
    ///
    /// Refused when the market configuration with `seed` in it is ([`Market::new`]).
    pub fn new(
        config: MarketConfig,
        scenario: Scenario,
        seed: u64,
        agents: u32,
        tasks: u32,
        attacking: bool,
    ) -> Result<World, ConfigError> {
        let mut rng = SplitMix64::new(seed);
        let scenario_attacks = Attacks::of(scenario);
        let attacks = if attacking { scenario_attacks } else { Attacks::default() };
        // Nine tasks for every ten agents: matching decides who waits, and everyone can work.
        let tasks_per_round = (agents * 9 / 10).max(1);
        let rounds = tasks.div_ceil(tasks_per_round).max(2);
        let mut people = Vec::new();
        let adversaries = |on: bool, role: AgentRole, n: u32, people: &mut Vec<Person>, rng: &mut SplitMix64| {
            if on {
                for _ in 0..n {
                    people.push(draw_person(rng, role, 0, CATEGORY_SPREAD));
                }
            }
        };
        adversaries(
            scenario_attacks.sybil_ring || scenario_attacks.collusion,
            AgentRole::Colluder,
            5,
            &mut people,
            &mut rng,
        );
        adversaries(scenario_attacks.whitewash, AgentRole::Whitewasher, 10, &mut people, &mut rng);
        adversaries(scenario_attacks.abandoners, AgentRole::Abandoner, 10, &mut people, &mut rng);
        let late = 10.min(agents / 10);
        while (people.len() as u32) < agents - late {
            people.push(draw_person(&mut rng, AgentRole::Honest, 0, CATEGORY_SPREAD));
        }
        for _ in 0..late {
            people.push(draw_person(&mut rng, AgentRole::LateJoiner, rounds / 2, CATEGORY_SPREAD));
        }
        let mut world = World {
            market: Market::new(MarketConfig { seed, ..config })?,
            people,
            owner_of: Vec::new(),
            clients: Vec::new(),
            rounds,
            tasks_per_round,
            attacks,
            rng,
            now: 0,
            round: 0,
            assignments: 0,
            honest_assigned: 0,
            realised: 0.0,
            oracle: 0.0,
            rejector_good: 0,
            rejector_free: 0,
            abandoner_share: [0; 2],
            assigned_half: [0; 2],
            retired: Vec::new(),
            whitewashes: 0,
            actions: Vec::new(),
            seq: 0,
            quality: Vec::new(),
        };
        let mut roles = vec![ClientRole::Honest; 20];
        if attacks.mass_rejector {
            roles.push(ClientRole::MassRejector);
        }
        if attacks.copier {
            roles.push(ClientRole::ConsensusCopier);
        }
        if attacks.collusion {
            roles.push(ClientRole::Colluding);
        }
        if attacks.sybil_ring {
            roles.extend([ClientRole::Sybil; 10]);
        }
        for (i, role) in roles.into_iter().enumerate() {
            let id = ClientId(i as u32);
            world.op(Command::RegisterClient { name: format!("client-{i}"), owner: format!("client-org-{i}") });
            let funds = if role == ClientRole::Sybil { 500 } else { 1 << 40 };
            world.apply(Actor::Client { id }, Command::Deposit { amount: funds });
            let review_minutes = 5 + world.rng.below(40);
            world.clients.push(SimClient { id, role, review_minutes });
        }
        for p in 0..world.people.len() {
            if world.people[p].joins == 0 {
                world.register(p);
            }
        }
        Ok(world)
    }

    fn apply(&mut self, actor: Actor, command: Command) -> Option<Vec<Event>> {
        self.market.apply(self.now, actor, command).ok()
    }

    fn op(&mut self, command: Command) -> Option<Vec<Event>> {
        self.apply(Actor::Operator, command)
    }

    fn register(&mut self, p: usize) {
        let id = AgentId(self.owner_of.len() as u32);
        let n = self.people[p].identities.len();
        let register = registration(&self.people[p], (p, n), DECLARATION_NOISE, &mut self.rng);
        let events = self.op(register);
        if events.is_some() {
            self.owner_of.push(p);
            self.retired.push(false);
            let assignments = self.assignments;
            let person = &mut self.people[p];
            person.agent = Some(id);
            person.identities.push(id);
            if n == 0 {
                person.assignments_at_join = assignments;
            }
        }
    }

    fn schedule(&mut self, at: Timestamp, action: Action) {
        self.seq += 1;
        self.actions.push((at, self.seq, action));
    }

    fn quality_of(&mut self, agent: AgentId, task: TaskId) -> f64 {
        let category = self.market.task(task).map_or(0, |t| t.category.index());
        let category = CATEGORIES
            .iter()
            .position(|c| *c == self.market.category_name(crate::ids::CategoryId(category as u32)))
            .unwrap_or(0);
        let person = &self.people[self.owner_of[agent.index()]];
        (person.skill[category] + TASK_SPREAD * (self.rng.unit() - 0.5)).clamp(0.0, 1.0)
    }

    /// Run one round: post, assign, work, review.
    pub fn step(&mut self) {
        let start = u64::from(self.round) * ROUND;
        self.now = self.now.max(start);
        let events = self.market.tick(self.now);
        self.observe(&events);
        for p in 0..self.people.len() {
            if self.people[p].joins == self.round && self.round > 0 && self.people[p].agent.is_none() {
                self.register(p);
            }
        }
        if self.attacks.whitewash {
            self.whitewash();
        }
        if self.attacks.sybil_ring || self.attacks.collusion {
            self.ring_round();
        }
        self.post_honest_tasks();
        self.now += MINUTE;
        self.assign_batch();
        self.run_actions(start + ROUND);
        self.round += 1;
    }

    /// Run rounds until the planned number of honest tasks has been placed (at most twice the
    /// planned rounds), then let every deadline pass.
    pub fn run(&mut self, progress: &mut dyn FnMut(u32, u32)) {
        let planned = u64::from(self.rounds) * u64::from(self.tasks_per_round);
        while self.round < self.rounds || (self.honest_assigned < planned && self.round < 2 * self.rounds) {
            self.step();
            progress(self.round, self.rounds);
        }
        self.now += 30 * 24 * ROUND;
        let events = self.market.tick(self.now);
        self.observe(&events);
    }

    fn post_honest_tasks(&mut self) {
        let posters: Vec<usize> = (0..self.clients.len())
            .filter(|&c| {
                matches!(
                    self.clients[c].role,
                    ClientRole::Honest | ClientRole::MassRejector | ClientRole::ConsensusCopier
                )
            })
            .collect();
        for i in 0..self.tasks_per_round {
            let c = posters[(self.rng.below(posters.len() as u64)) as usize];
            let category = self.rng.below(CATEGORIES.len() as u64) as usize;
            let reward = 500 + 500 * self.rng.below(10);
            let min_level = 1 + (i % 2) as u8;
            let client = Actor::Client { id: self.clients[c].id };
            self.apply(
                client,
                Command::PostTask {
                    spec: spec(category, Pricing::Fixed { reward, tier_premium: false }, min_level, self.now),
                },
            );
        }
    }

    /// The colluding ring: Sybils (with $5 each, recycled) and the colluding client post tasks
    /// that colluders claim at once, accept them and rate five stars.
    fn ring_round(&mut self) {
        let colluders: Vec<AgentId> =
            self.people.iter().filter(|p| p.role == AgentRole::Colluder).filter_map(|p| p.agent).collect();
        if colluders.is_empty() {
            return;
        }
        // Money cycles: colluders pay their earnings back to the ring's accounts.
        for &a in &colluders {
            let balance = self.market.agent(a).map_or(0, |x| x.balance);
            if balance > 0 {
                self.apply(Actor::Agent { id: a }, Command::Withdraw { amount: balance });
            }
        }
        let ring: Vec<(ClientId, ClientRole)> = self
            .clients
            .iter()
            .filter(|c| matches!(c.role, ClientRole::Sybil | ClientRole::Colluding))
            .map(|c| (c.id, c.role))
            .collect();
        for (i, (client, role)) in ring.into_iter().enumerate() {
            let actor = Actor::Client { id: client };
            let balance = self.market.client(client).map_or(0, |c| c.balance);
            let reward = if role == ClientRole::Sybil { 500 } else { 2_000 };
            if balance < reward {
                self.apply(actor, Command::Deposit { amount: reward - balance });
            }
            let category = self.rng.below(CATEGORIES.len() as u64) as usize;
            let Some(events) = self.apply(
                actor,
                Command::PostTask { spec: spec(category, Pricing::Fixed { reward, tier_premium: false }, 1, self.now) },
            ) else {
                continue;
            };
            let Some(EventKind::TaskPosted { task, .. }) = events.first().map(|e| &e.kind) else { continue };
            let task = *task;
            let agent = colluders[(i + self.round as usize) % colluders.len()];
            if let Some(events) = self.apply(Actor::Agent { id: agent }, Command::ClaimTask { task, spec_hash: None }) {
                self.observe(&events);
            }
        }
    }

    /// Whitewashers that fell behind (a record below the median agent's) start over under a
    /// new identity.
    fn whitewash(&mut self) {
        let rep = self.market.config().reputation.clone();
        let mut means: Vec<f64> =
            self.market.agents().iter().map(|a| self.market.reputation().overall(&rep, a.id).mean).collect();
        means.sort_by(f64::total_cmp);
        let median = means.get(means.len() / 2).copied().unwrap_or(0.5);
        for p in 0..self.people.len() {
            let person = &self.people[p];
            let Some(agent) = person.agent else { continue };
            if person.role != AgentRole::Whitewasher {
                continue;
            }
            let settled = self.market.reputation().agent(agent).map_or(0, |r| r.settled);
            let mean = self.market.reputation().overall(&rep, agent).mean;
            if settled >= 2 && mean < median && self.market.agent(agent).is_some_and(|a| a.active == 0) {
                self.retired[agent.index()] = true;
                self.register(p);
                self.whitewashes += 1;
            }
        }
    }

    fn assign_batch(&mut self) {
        // The oracle: the same placeable tasks and capacities, weighted by true quality.
        let now = self.now;
        let tasks: Vec<TaskId> =
            self.market.tasks().iter().filter(|t| batch::placeable(t, now)).map(|t| t.id).collect();
        let agents: Vec<AgentId> = self
            .market
            .agents()
            .iter()
            .filter(|a| a.active < a.capacity && !self.retired[a.id.index()])
            .map(|a| a.id)
            .collect();
        let capacities: Vec<u32> =
            agents.iter().map(|a| self.market.agent(*a).map_or(0, |x| x.capacity - x.active)).collect();
        let mut candidates = Vec::new();
        for (ti, t) in tasks.iter().enumerate() {
            let Some(task) = self.market.task(*t) else { continue };
            let lookups = crate::matching::TaskGate::new(&self.market, task);
            let category = CATEGORIES.iter().position(|c| *c == task.spec.category).unwrap_or(0);
            for (ai, a) in agents.iter().enumerate() {
                let Some(agent) = self.market.agent(*a) else { continue };
                if is_eligible(&self.market, task, agent, now, &lookups) {
                    let q = self.people[self.owner_of[a.index()]].value(category);
                    candidates.push(Candidate { task: ti as u32, agent: ai as u32, weight: (q * 1e6) as i64 + 1 });
                }
            }
        }
        let problem =
            AssignmentProblem { tasks: tasks.len() as u32, agent_capacities: &capacities, candidates: &candidates };
        let oracle = assignment::solve(&problem).map_or(0.0, |a| a.total_weight as f64 / 1e6);
        // The market's own batch, over agents that are still in business.
        let in_business: Vec<TaskId> = tasks;
        let Some(events) =
            self.op(Command::AssignTasks { tasks: Some(in_business), agents: None, time_budget_ms: None })
        else {
            return;
        };
        let mut realised = 0.0;
        for e in &events {
            if let EventKind::TaskClaimed { task, agent, .. } = e.kind {
                if self.retired[agent.index()] {
                    continue;
                }
                let category = self
                    .market
                    .task(task)
                    .map_or(0, |t| CATEGORIES.iter().position(|c| *c == t.spec.category).unwrap_or(0));
                realised += self.people[self.owner_of[agent.index()]].value(category);
            }
        }
        self.oracle += oracle;
        self.realised += realised;
        self.observe(&events);
    }

    /// Bookkeeping on events, and the agents' reactions to their new tasks.
    fn observe(&mut self, events: &[Event]) {
        for e in events {
            if let EventKind::TaskClaimed { task, agent, .. } = e.kind {
                if self.retired[agent.index()] {
                    // A whitewasher left this identity behind: it never works again.
                    self.schedule(e.at + MINUTE, Action::Return { task, agent });
                    continue;
                }
                self.assignments += 1;
                let p = self.owner_of[agent.index()];
                let honest_client = self.market.task(task).is_some_and(|t| {
                    self.clients
                        .get(t.client.index())
                        .is_some_and(|c| !matches!(c.role, ClientRole::Sybil | ClientRole::Colluding))
                });
                if honest_client {
                    self.honest_assigned += 1;
                    self.people[p].honest_tasks += 1;
                    let half = usize::from(self.round >= self.rounds / 2);
                    self.assigned_half[half] += 1;
                    if self.people[p].role == AgentRole::Abandoner {
                        self.abandoner_share[half] += 1;
                    }
                }
                if self.people[p].first_task_after.is_none() {
                    self.people[p].first_task_after = Some(self.assignments - 1 - self.people[p].assignments_at_join);
                }
                let quality = self.quality_of(agent, task);
                if task.index() >= self.quality.len() {
                    self.quality.resize(task.index() + 1, 0.0);
                }
                self.quality[task.index()] = quality;
                let abandons =
                    self.people[p].role == AgentRole::Abandoner && self.attacks.abandoners && self.rng.unit() < 0.7;
                if !abandons {
                    let minutes = 5 + ((1.0 - self.people[p].speed) * 50.0) as u64;
                    self.schedule(e.at + minutes * MINUTE, Action::Submit { task, quality });
                }
            }
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
            let ticked = self.market.tick(self.now);
            self.observe(&ticked);
            self.act(action);
        }
    }

    fn act(&mut self, action: Action) {
        match action {
            Action::Submit { task, quality } => self.submit(task, quality),
            Action::Review { task, quality } => self.review(task, quality),
            Action::Return { task, agent } => {
                self.apply(Actor::Agent { id: agent }, Command::ReturnTask { task });
            }
            Action::Resolve { task, quality } => {
                let resolution = if quality >= GOOD_ENOUGH { Resolution::PayAgent } else { Resolution::RefundClient };
                self.op(Command::ResolveDispute { task, resolution });
            }
        }
    }

    fn submit(&mut self, task: TaskId, quality: f64) {
        let Some(agent) = self.market.task(task).and_then(|t| t.holder()) else { return };
        let colluding = self.people[self.owner_of[agent.index()]].role == AgentRole::Colluder
            && self.client_role(task).is_some_and(|r| matches!(r, ClientRole::Sybil | ClientRole::Colluding));
        // A first attempt passes verification more often the better the agent; a colluder's
        // ring tasks are trivial and always pass.
        let passes = colluding || first_try_passes(quality, self.rng.unit());
        let submit = Command::SubmitWork { task, output: output(passes), self_check: self_check(quality) };
        let Some(events) = self.apply(Actor::Agent { id: agent }, submit) else { return };
        match verified(&events) {
            Some(false) => {
                self.schedule(self.now + 10 * MINUTE, Action::Submit { task, quality: (quality + 0.1).min(1.0) })
            }
            Some(true) => {
                let minutes = self
                    .market
                    .task(task)
                    .and_then(|t| self.clients.get(t.client.index()))
                    .map_or(10, |c| c.review_minutes);
                self.schedule(self.now + minutes * MINUTE, Action::Review { task, quality });
            }
            None => {}
        }
    }

    fn client_role(&self, task: TaskId) -> Option<ClientRole> {
        self.market.task(task).and_then(|t| self.clients.get(t.client.index())).map(|c| c.role)
    }

    fn review(&mut self, task: TaskId, quality: f64) {
        let Some(t) = self.market.task(task) else { return };
        let (client, category, revisions_left) = match &t.status {
            TaskStatus::UnderReview { work, .. } => {
                (t.client, t.category, work.revisions < t.spec.review.max_revisions)
            }
            _ => return,
        };
        let Some(role) = self.client_role(task) else { return };
        let actor = Actor::Client { id: client };
        let decision = match role {
            ClientRole::MassRejector => reject(),
            ClientRole::Sybil | ClientRole::Colluding => ReviewDecision::Accept,
            _ => honest_decision(quality, revisions_left),
        };
        let rejected = matches!(decision, ReviewDecision::Reject { .. });
        let revising = matches!(decision, ReviewDecision::RequestRevision { .. });
        if self.apply(actor, Command::Review { task, decision }).is_none() {
            return;
        }
        if role == ClientRole::MassRejector && quality >= GOOD_ENOUGH {
            self.rejector_good += 1;
        }
        if revising {
            self.schedule(self.now + 20 * MINUTE, Action::Submit { task, quality: (quality + 0.15).min(1.0) });
            return;
        }
        if rejected {
            // Agents dispute rejections of work they know is good; the operator investigates.
            if quality >= GOOD_ENOUGH {
                let Some(agent) = self.market.task(task).and_then(|t| t.holder()) else { return };
                if self
                    .apply(
                        Actor::Agent { id: agent },
                        Command::OpenDispute { task, reason: "the work meets the criteria".into() },
                    )
                    .is_some()
                {
                    self.schedule(self.now + 30 * MINUTE, Action::Resolve { task, quality });
                }
            } else if role == ClientRole::MassRejector {
                // Not disputed: a refund the rejector would have had anyway.
            }
            return;
        }
        // Rate most accepted tasks.
        if self.rng.unit() > 0.8 && !matches!(role, ClientRole::Sybil | ClientRole::Colluding) {
            return;
        }
        let stars = match role {
            ClientRole::Sybil | ClientRole::Colluding => 5,
            ClientRole::ConsensusCopier => {
                let agent = self.market.task(task).and_then(|t| match t.status {
                    TaskStatus::Settled { agent, .. } => Some(agent),
                    _ => None,
                });
                let mean = agent.and_then(|a| self.market.score(a, category).ok()).map_or(0.6, |s| s.mean);
                (1.0 + 4.0 * mean).round().clamp(1.0, 5.0) as u8
            }
            _ => {
                quality_stars(quality, (self.rng.unit(), RATING_NOISE), if self.attacks.inflation { 1.0 } else { 0.0 })
            }
        };
        // Timeliness reflects the agent's hidden speed.
        let speed = self
            .market
            .task(task)
            .and_then(|t| {
                t.holder().or(match t.status {
                    TaskStatus::Settled { agent, .. } => Some(agent),
                    _ => None,
                })
            })
            .map_or(0.5, |a| self.people[self.owner_of[a.index()]].speed);
        let timeliness = timeliness_stars(speed, self.rng.unit());
        let rating = Rating { quality: stars, timeliness };
        if self.apply(actor, Command::RateTask { task, rating }).is_some() {
            if let Some(TaskStatus::Settled { agent, .. }) = self.market.task(task).map(|t| &t.status) {
                let p = self.owner_of[agent.index()];
                self.people[p].stars.push(stars);
            }
        }
    }

    /// Tasks the mass rejector got for free (refunded) although the work was good.
    pub fn count_rejector_free(&mut self) {
        let rejector: Vec<ClientId> =
            self.clients.iter().filter(|c| c.role == ClientRole::MassRejector).map(|c| c.id).collect();
        self.rejector_free = self
            .market
            .tasks()
            .iter()
            .filter(|t| rejector.contains(&t.client))
            .filter(|t| {
                matches!(
                    t.status,
                    TaskStatus::Settled {
                        verdict: crate::event::Verdict::Rejected | crate::event::Verdict::DisputeRefunded,
                        ..
                    }
                )
            })
            .filter(|t| self.quality.get(t.id.index()).is_some_and(|q| *q >= GOOD_ENOUGH))
            .count() as u64;
    }
}
