//! The market: state, and the one door through which it changes.
//!
//! `apply` and `tick` first *decide* (pure: `&self` in, events or a rejection out) and then
//! *evolve* (infallible: each event applied in order). Every change of state goes through
//! [`Market::evolve`], so replaying the event log rebuilds the market exactly.

mod accounts;
mod audit;
mod config;
mod config_check;
mod evolve;
mod gate_vouchers;
mod idempotency;
mod match_index;
mod matching;
mod moderation;
mod review;
mod skill_gates;
mod snapshot;
mod snapshot_check;
mod standing;
mod stored_tasks;
mod tasks;
mod timeouts;
mod validate;
mod views;
mod work;

pub use audit::InvariantViolation;
pub use config::{MarketConfig, SpecCaps, MAX_FEE_BPS};
pub use config_check::ConfigError;
pub use snapshot::{SnapshotError, SNAPSHOT_FORMAT, SNAPSHOT_VERSION};
pub use standing::{ClientFilter, ClientStanding, LeaderboardEntry};
pub use views::{InputView, TaskView};
pub(crate) use work::{check_output, check_self_check};

use crate::actor::Actor;
use crate::command::Command;
use crate::event::{Event, EventKind};
use crate::ids::{AgentId, Bps, CategoryId, ClientId, Money, ReviewerId, TaskId, Timestamp};
use crate::matching::index::MatchIndex;
use crate::matching::FairnessCounters;
use crate::party::{Agent, Client, Reviewer};
use crate::rejection::Rejection;
use crate::reputation::{Reputation, Score};
use crate::task::Task;
use crate::tier::Tier;
use idempotency::RequestLog;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The whole market: parties, tasks, money and reputation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Market {
    config: MarketConfig,
    /// The instant of the last event; commands before it are refused.
    now: Timestamp,
    fee_bps: Bps,
    clients: Vec<Client>,
    agents: Vec<Agent>,
    reviewers: Vec<Reviewer>,
    /// Finished tasks are stored as short records (see `stored_tasks`).
    #[serde(with = "stored_tasks")]
    tasks: Vec<Task>,
    categories: Vec<String>,
    platform_balance: Money,
    deposited: Money,
    withdrawn: Money,
    requests: RequestLog,
    reputation: Reputation,
    fairness: FairnessCounters,
    /// Derived: (deadline, task) for every task with one. Rebuilt on load.
    #[serde(skip)]
    deadlines: BTreeSet<(Timestamp, TaskId)>,
    /// Derived: category name to id. Rebuilt on load.
    #[serde(skip)]
    category_index: BTreeMap<String, CategoryId>,
    /// Derived: skill name to code, for agents' inline skill tables, holding only the names some
    /// agent declares now. Rebuilt on load.
    #[serde(skip)]
    skill_index: BTreeMap<String, u32>,
    /// Derived: per skill code, how many agents declare it (0: the code is free for reuse).
    #[serde(skip)]
    skill_refs: Vec<u32>,
    /// Derived: codes whose names no agent declares any more, reused before new ones.
    #[serde(skip)]
    free_skill_codes: Vec<u32>,
    /// Derived: owner key ([`crate::owner::owner_key`]) to its code, for conflict-of-interest
    /// checks by integer. Rebuilt on load.
    #[serde(skip)]
    owner_index: BTreeMap<String, u32>,
    /// Derived: the flat rows and skill posting lists ranking scans. Rebuilt on load.
    #[serde(skip)]
    match_index: MatchIndex,
    /// Derived: per skill and level, who declares it and who of them the market measured, for
    /// whether a spec's skills left the market a choice (`skill_gates.rs`). Rebuilt on load.
    #[serde(skip)]
    skill_gates: skill_gates::SkillGates,
    /// Derived: per rare skill, the established clients that settled work behind it, for
    /// whether its gate is a specialty or one client's pick (`gate_vouchers.rs`). Rebuilt on
    /// load from `Client::vouched_gates`.
    #[serde(skip)]
    gate_vouchers: gate_vouchers::GateVouchers,
}

impl PartialEq for Market {
    /// Two markets are equal when their snapshots are: derived indexes follow from the rest.
    fn eq(&self, other: &Self) -> bool {
        self.save() == other.save()
    }
}

impl Market {
    /// An empty market, or why `config` is refused ([`MarketConfig::check`]: the same check
    /// [`Market::load`] applies to a snapshot's configuration, so every market that runs could
    /// be saved and loaded again). Nothing is clamped or masked: a fee above [`MAX_FEE_BPS`] or
    /// a seed beyond 2^53 - 1 is refused, naming the field.
    pub fn new(config: MarketConfig) -> Result<Market, ConfigError> {
        config.check()?;
        let fee_bps = config.fee_bps;
        Ok(Market {
            config,
            now: 0,
            fee_bps,
            clients: Vec::new(),
            agents: Vec::new(),
            reviewers: Vec::new(),
            tasks: Vec::new(),
            categories: Vec::new(),
            platform_balance: 0,
            deposited: 0,
            withdrawn: 0,
            requests: RequestLog::default(),
            reputation: Reputation::default(),
            fairness: FairnessCounters::default(),
            deadlines: BTreeSet::new(),
            category_index: BTreeMap::new(),
            skill_index: BTreeMap::new(),
            skill_refs: Vec::new(),
            free_skill_codes: Vec::new(),
            owner_index: BTreeMap::new(),
            match_index: MatchIndex::default(),
            skill_gates: Default::default(),
            gate_vouchers: Default::default(),
        })
    }

    /// One command from one actor at one instant: the events it caused, or why it was refused.
    ///
    /// Every deadline at or before `now` is acted on first, exactly as [`Market::tick`] would,
    /// and its events come first in the result: no outcome depends on whether the host ticked
    /// before sending the command (a lease that ran out is abandoned even if its holder tries to
    /// return it before the tick). On `Err` the market is untouched, deadlines included.
    pub fn apply(&mut self, now: Timestamp, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        self.check_time(now)?;
        self.after_due_deadlines(now, |market| {
            let kinds = market.decide(now, actor, command)?;
            Ok(market.record(now, kinds))
        })
    }

    /// Like [`Market::apply`], carrying a caller-chosen request id: repeating a command with the
    /// same id and content (within `request_retention_ms`) is a no-op that returns no events
    /// besides those of deadlines due by `now`; reusing the id for other content is refused with
    /// `RequestIdReused`.
    pub fn apply_request(
        &mut self,
        now: Timestamp,
        actor: Actor,
        request_id: &str,
        command: Command,
    ) -> Result<Vec<Event>, Rejection> {
        self.check_time(now)?;
        self.after_due_deadlines(now, |market| {
            let fingerprint = idempotency::fingerprint(&actor, &command);
            if market.requests.seen(&market.config, now, &actor, request_id, fingerprint)? {
                return Ok(Vec::new());
            }
            let mut kinds = market.decide(now, actor, command)?;
            kinds.insert(0, EventKind::RequestRecorded { actor, request_id: request_id.to_owned(), fingerprint });
            Ok(market.record(now, kinds))
        })
    }

    /// Run a command against the market as `tick(now)` leaves it, with the deadlines' events
    /// first. When nothing is due (a host that ticks first) this is the command alone. Otherwise
    /// the deadlines are processed on a copy that replaces the market only if the command is
    /// accepted, so a refusal leaves the market untouched: the copy costs time proportional to
    /// the market, paid only by hosts that do not tick before their commands.
    fn after_due_deadlines(
        &mut self,
        now: Timestamp,
        command: impl FnOnce(&mut Market) -> Result<Vec<Event>, Rejection>,
    ) -> Result<Vec<Event>, Rejection> {
        if self.next_deadline().is_none_or(|due| due > now) {
            return command(self);
        }
        let mut ahead = self.clone();
        let mut events = ahead.tick(now);
        events.extend(command(&mut ahead)?);
        *self = ahead;
        Ok(events)
    }

    /// Time passing: lease expiries, auto-accepts, priority windows closing, bids awarded,
    /// deadlines. Returns what happened. An instant before the last event does nothing.
    pub fn tick(&mut self, now: Timestamp) -> Vec<Event> {
        let mut events = Vec::new();
        if now < self.now || now > crate::ids::MAX_SAFE {
            return events;
        }
        while let Some(&(due, task)) = self.deadlines.first() {
            if due > now {
                break;
            }
            // Each deadline is decided against the state the previous ones left, and always
            // moves its task on, so the loop ends.
            let at = due.max(self.now);
            let kinds = self.decide_timeout(task, at);
            debug_assert!(!kinds.is_empty(), "deadline of {task} at {due} decided nothing");
            if kinds.is_empty() {
                // Defensive: never spin on a deadline nothing can act on.
                self.deadlines.remove(&(due, task));
                continue;
            }
            events.extend(self.record(at, kinds));
        }
        events
    }

    /// Whether `task`'s required skills left the market a choice: what a shortlist, a batch
    /// placement, an award or an arbitration needs to count as matched. A common gate does; a
    /// rare one only once its holders are measured (`skill_gates.rs`) and clients of other
    /// owners vouched for it (`gate_vouchers.rs`).
    pub(crate) fn gates_leave_a_choice(&self, task: &crate::task::Task) -> bool {
        let owner = self.clients.get(task.client.index()).map_or(u32::MAX, |c| c.owner_code);
        // A suspended or closed client's vouches do not count while it is.
        let voucher_owner =
            |c: ClientId| self.clients.get(c.index()).filter(|c| c.standing.is_active()).map(|c| c.owner_code);
        task.spec.required_skills.iter().all(|need| {
            let (code, level) = (self.skill_index.get(&need.skill).copied(), need.min_level);
            self.skill_gates.establishes(code, level)
                || (self.skill_gates.leaves_a_choice(code, level)
                    && self.gate_vouchers.vouched_by_others(&need.skill, owner, voucher_owner))
        })
    }

    /// The rare skills `task` requires that its client vouches for by settling it now
    /// (`gate_vouchers.rs`): none unless the client weighs at least
    /// [`gate_vouchers::VOUCHER_WEIGHT`] as a rater.
    pub(crate) fn rare_gates_vouched(&self, task: &crate::task::Task) -> Vec<String> {
        let weight = self.reputation.client(task.client).map_or(0.0, |r| r.weight_as_rater(&self.config.reputation));
        if weight < gate_vouchers::VOUCHER_WEIGHT {
            return Vec::new();
        }
        let rare = |need: &&crate::spec::SkillRequirement| {
            !self.skill_gates.common(self.skill_index.get(&need.skill).copied(), need.min_level)
        };
        task.spec.required_skills.iter().filter(rare).map(|need| need.skill.clone()).collect()
    }

    /// Whether every skill `task` requires is common (what makes its chosen work measure an
    /// agent, `skill_gates.rs`).
    pub(crate) fn gates_common(&self, task: &crate::task::Task) -> bool {
        self.every_required_skill(task, skill_gates::SkillGates::common)
    }

    /// Whether paying for work on `task` establishes its client (`SkillGates::establishes`).
    pub(crate) fn gates_establish(&self, task: &crate::task::Task) -> bool {
        self.every_required_skill(task, skill_gates::SkillGates::establishes)
    }

    /// Whether `test` holds of the skill gates for every skill `task` requires (by code and level).
    fn every_required_skill(
        &self,
        task: &crate::task::Task,
        test: fn(&skill_gates::SkillGates, Option<u32>, u8) -> bool,
    ) -> bool {
        task.spec
            .required_skills
            .iter()
            .all(|need| test(&self.skill_gates, self.skill_index.get(&need.skill).copied(), need.min_level))
    }

    /// Whether `agent` has been measured for skill gates (`AgentReputation::open_matched`).
    pub(crate) fn measured(&self, agent: AgentId) -> bool {
        self.reputation.agent(agent).is_some_and(|r| r.open_matched > 0)
    }

    /// When [`Market::tick`] next has something to do.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        self.deadlines.first().map(|(at, _)| *at)
    }

    /// Rebuild a market from its configuration and its full event log (refused, as by
    /// [`Market::new`], when the configuration is).
    pub fn replay<'a>(
        config: MarketConfig,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<Market, ConfigError> {
        let mut market = Market::new(config)?;
        for event in events {
            market.evolve(event);
        }
        Ok(market)
    }

    fn check_time(&self, now: Timestamp) -> Result<(), Rejection> {
        if now < self.now {
            return Err(Rejection::TimeWentBackwards { now, last: self.now });
        }
        if now > crate::ids::MAX_SAFE {
            return Err(Rejection::out_of_range("now", "beyond 2^53 - 1 ms"));
        }
        Ok(())
    }

    fn record(&mut self, at: Timestamp, kinds: Vec<EventKind>) -> Vec<Event> {
        let events: Vec<Event> = kinds.into_iter().map(|kind| Event { at, kind }).collect();
        for event in &events {
            self.evolve(event);
        }
        events
    }

    fn decide(&self, now: Timestamp, actor: Actor, command: Command) -> Result<Vec<EventKind>, Rejection> {
        self.check_actor(actor)?;
        self.check_standing(actor, &command)?;
        match command {
            Command::RegisterClient { .. }
            | Command::RegisterAgent { .. }
            | Command::RegisterReviewer { .. }
            | Command::UpdateAgentProfile { .. }
            | Command::Deposit { .. }
            | Command::Withdraw { .. }
            | Command::SetFee { .. } => self.decide_account(actor, command),
            Command::PostTask { .. }
            | Command::CancelTask { .. }
            | Command::ClaimTask { .. }
            | Command::PlaceBid { .. }
            | Command::WithdrawBid { .. }
            | Command::AwardBid { .. }
            | Command::ReturnTask { .. } => self.decide_task(now, actor, command),
            Command::AskClarification { .. } | Command::AnswerClarification { .. } | Command::SubmitWork { .. } => {
                self.decide_work(now, actor, command)
            }
            Command::Review { .. }
            | Command::RateTask { .. }
            | Command::OpenDispute { .. }
            | Command::ResolveDispute { .. } => self.decide_review(now, actor, command),
            Command::RankAgents { .. } | Command::AssignTasks { .. } => self.decide_matching(now, actor, command),
            Command::SuspendParty { .. }
            | Command::ReinstateParty { .. }
            | Command::CloseParty { .. }
            | Command::VerifyClient { .. }
            | Command::ImportEstablishment { .. } => self.decide_moderation(now, actor, command),
        }
    }

    fn check_actor(&self, actor: Actor) -> Result<(), Rejection> {
        match actor {
            Actor::Client { id } if id.index() >= self.clients.len() => Err(Rejection::UnknownClient { client: id }),
            Actor::Agent { id } if id.index() >= self.agents.len() => Err(Rejection::UnknownAgent { agent: id }),
            Actor::Reviewer { id } if id.index() >= self.reviewers.len() => {
                Err(Rejection::UnknownReviewer { reviewer: id })
            }
            _ => Ok(()),
        }
    }

    // ----- borrowed getters -----

    /// The configuration.
    pub fn config(&self) -> &MarketConfig {
        &self.config
    }
    /// The instant of the last recorded event.
    pub fn now(&self) -> Timestamp {
        self.now
    }
    /// The fee for tasks posted now, in basis points.
    pub fn fee_bps(&self) -> Bps {
        self.fee_bps
    }
    /// A client by id.
    pub fn client(&self, id: ClientId) -> Option<&Client> {
        self.clients.get(id.index())
    }
    /// Every client, by id.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }
    /// An agent by id.
    pub fn agent(&self, id: AgentId) -> Option<&Agent> {
        self.agents.get(id.index())
    }
    /// Every agent, by id.
    pub fn agents(&self) -> &[Agent] {
        &self.agents
    }
    /// A reviewer by id.
    pub fn reviewer(&self, id: ReviewerId) -> Option<&Reviewer> {
        self.reviewers.get(id.index())
    }
    /// Every reviewer, by id.
    pub fn reviewers(&self) -> &[Reviewer] {
        &self.reviewers
    }
    /// A task by id (unfiltered: for the trusted host; see [`Market::task_view`] for actors).
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks.get(id.index())
    }
    /// Every task, by id.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }
    /// Every category name, by id.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }
    /// A category's id by name.
    pub fn category_id(&self, name: &str) -> Option<CategoryId> {
        self.category_index.get(name).copied()
    }
    /// The code of a skill name, if some agent declares it now.
    pub fn skill_code(&self, name: &str) -> Option<u32> {
        self.skill_index.get(name).copied()
    }

    /// How many distinct skill names agents declare now (the interned names; a name nobody
    /// declares any more is freed and its code reused, so `UpdateAgentProfile` cannot grow the
    /// table without bound).
    pub fn skill_names(&self) -> usize {
        self.skill_index.len()
    }

    /// The code of each skill `spec` requires, in order (see [`Market::skill_code`]).
    pub fn required_skill_codes(&self, spec: &crate::spec::TaskSpec) -> Vec<Option<u32>> {
        crate::matching::MatchingInputs::required_skill_codes(self, spec)
    }

    /// Give an agent's declared skills codes and store them inline, counting one more declarer
    /// of each: a new name takes a freed code, else the next one. Pair with
    /// [`Market::release_skills`] when the agent's skills change.
    pub(crate) fn code_skills(&mut self, agent: AgentId) {
        let Some(a) = self.agents.get(agent.index()) else { return };
        let mut codes = Vec::with_capacity(a.skills.len());
        for s in &a.skills {
            let code = match self.skill_index.get(&s.name) {
                Some(&code) => code,
                None => {
                    let code = self.free_skill_codes.pop().unwrap_or(self.skill_refs.len() as u32);
                    self.skill_index.insert(s.name.clone(), code);
                    code
                }
            };
            if self.skill_refs.len() <= code as usize {
                self.skill_refs.resize(code as usize + 1, 0);
            }
            self.skill_refs[code as usize] += 1;
            codes.push((code, s.level));
        }
        self.skill_gates.declare(&codes, self.measured(agent));
        if let Some(a) = self.agents.get_mut(agent.index()) {
            a.skill_codes = crate::party::SkillCodes::new(codes.into_iter());
        }
    }

    /// One declarer fewer for each of `skills`; a name nobody declares any more is dropped and
    /// its code freed (its posting list is empty by then: every declarer was unposted).
    pub(crate) fn release_skills(&mut self, agent: AgentId, skills: &[crate::party::Skill]) {
        self.skill_gates.withdraw(&skill_gates::coded(&self.skill_index, skills), self.measured(agent));
        for s in skills {
            let Some(&code) = self.skill_index.get(&s.name) else { continue };
            let Some(refs) = self.skill_refs.get_mut(code as usize) else { continue };
            *refs = refs.saturating_sub(1);
            if *refs == 0 {
                self.skill_index.remove(&s.name);
                self.free_skill_codes.push(code);
            }
        }
    }

    /// The code of an owner's key (parties with the same code share an organisation), giving a
    /// new key the next code. Owners are only added by the operator's registrations, so the
    /// table grows with the parties.
    pub(crate) fn intern_owner(&mut self, owner: &str) -> u32 {
        let next = self.owner_index.len() as u32;
        *self.owner_index.entry(crate::owner::owner_key(owner)).or_insert(next)
    }

    /// A category's name ("?" for an unknown id).
    pub fn category_name(&self, id: CategoryId) -> &str {
        self.categories.get(id.index()).map_or("?", String::as_str)
    }
    /// The platform's collected fees.
    pub fn platform_balance(&self) -> Money {
        self.platform_balance
    }
    /// Money deposited into the market, ever.
    pub fn deposited(&self) -> Money {
        self.deposited
    }
    /// Money withdrawn from the market, ever.
    pub fn withdrawn(&self) -> Money {
        self.withdrawn
    }
    /// Reputation of every agent.
    pub fn reputation(&self) -> &Reputation {
        &self.reputation
    }
    /// An agent's score in a category; `UnknownAgent` or `UnknownCategory` for an id that names
    /// none (a query refuses unknown ids as a command does, rather than answering with a prior).
    pub fn score(&self, agent: AgentId, category: CategoryId) -> Result<Score, Rejection> {
        self.known_agent(agent)?;
        self.known_category(category)?;
        Ok(self.score_of(agent, category))
    }
    /// [`Market::score`] for ids the engine itself holds.
    pub(crate) fn score_of(&self, agent: AgentId, category: CategoryId) -> Score {
        self.reputation.score(&self.config.reputation, agent, category)
    }
    /// The running fairness counters.
    pub fn fairness(&self) -> &FairnessCounters {
        &self.fairness
    }
    /// An agent's tier; `UnknownAgent` for an id that names no agent.
    pub fn tier(&self, agent: AgentId) -> Result<Tier, Rejection> {
        self.known_agent(agent)?;
        Ok(self.tier_of(agent))
    }
    /// [`Market::tier`] for ids the engine itself holds.
    pub(crate) fn tier_of(&self, agent: AgentId) -> Tier {
        self.reputation.tier(agent)
    }

    /// `UnknownAgent` unless `agent` names a registered agent.
    pub(crate) fn known_agent(&self, agent: AgentId) -> Result<(), Rejection> {
        if agent.index() < self.agents.len() {
            Ok(())
        } else {
            Err(Rejection::UnknownAgent { agent })
        }
    }
    /// `UnknownCategory` unless `category` names a category.
    pub(crate) fn known_category(&self, category: CategoryId) -> Result<(), Rejection> {
        if category.index() < self.categories.len() {
            Ok(())
        } else {
            Err(Rejection::UnknownCategory { category })
        }
    }
}
