//! Real work through the market (`--scenario agents`): clients post generated tasks of the three
//! kinds, the reference agents ([`crate::work::reference_agents`]) are ranked, claim, ask, work
//! and submit through public commands, and clients answer questions and review from the measured
//! accuracy of each output against the truth only they hold. Nothing here draws a skill: an
//! agent's quality is what its method makes of the inputs.
//!
//! One round is a day. Each round every client posts in turn, one task of each kind per agent
//! able to do that kind, so every capable agent is offered work; the client ranks agents
//! (`RankAgents`) and offers the task down the ranking until an agent claims it. The report
//! compares, per category, the engine's score of each agent with its measured accuracy
//! (Kendall tau), and the clarification rate of the first and last quarter of the tasks.

use crate::actor::Actor;
use crate::command::{Command, Rating, ReviewDecision};
use crate::event::{Event, EventKind};
use crate::ids::{AgentId, ClientId, DurationMs, TaskId, Timestamp};
use crate::market::{Market, MarketConfig};
use crate::party::{AgentKind, Skill};
use crate::rng::{mix64, SplitMix64};
use crate::sim::metrics::kendall_tau;
use crate::sim::SimError;
use crate::work::kit::{Attempt, Clarification, Decision, Job, WorkAgent, WorkOutcome};
use crate::work::{accepts, generate, reference_agents, stars_for, GeneratedTask, Kind};
use serde::Serialize;

const HOUR: u64 = 3_600_000;
const DAY: u64 = 24 * HOUR;
/// Distinct businesses. The engine damps repeat outcomes between one client and one agent, so
/// how many clients a run has decides how much evidence 20 tasks give (WORK.md has the figures
/// for 6).
const CLIENTS: u32 = 30;
/// A task's reward ($200 for a batch): outcomes weigh by their clients' establishment, which
/// grows with the largest payment to each agent, so $20 tasks give little evidence (WORK.md).
const REWARD: u64 = 20_000;
const LEASE_MS: DurationMs = 8 * HOUR;
/// How long a client takes to answer a question.
const ANSWER_MS: DurationMs = 20 * 60_000;
/// How long a client takes to review (well inside the review window of an hour).
const REVIEW_MS: DurationMs = 10 * 60_000;
/// Questions one task may need before its agent gives up on it.
const MAX_ROUNDS_OF_QUESTIONS: usize = 2;

/// One agent's work in one category.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgentKindReport {
    /// The agent's name.
    pub agent: String,
    /// The category.
    pub category: String,
    /// Tasks it claimed.
    pub tasks: u32,
    /// Mean measured accuracy of what it submitted (0 for a task it never submitted).
    pub accuracy: f64,
    /// Mean time its work took, in ms (questions included).
    pub mean_duration_ms: f64,
    /// Share of its tasks on which it asked at least one question.
    pub clarification_rate: f64,
    /// Share of its submissions whose self-check agreed with the engine's verification.
    pub self_check_agreement: f64,
    /// Share of its submissions that passed verification.
    pub verification_pass_rate: f64,
    /// The engine's score of the agent in the category at the end (posterior mean).
    pub score: f64,
}

/// How the engine's ranking in one category compares with measured accuracy.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CategoryReport {
    /// The category.
    pub category: String,
    /// Kendall tau-b between the engine's scores and the measured accuracies of the agents that
    /// worked in the category.
    pub kendall_tau_vs_measured: f64,
    /// The agent the engine scores highest in the category.
    pub top_by_score: String,
    /// The agent with the highest measured accuracy in the category.
    pub top_by_accuracy: String,
}

/// What one run of the scenario measured.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RealWorkReport {
    /// The seed.
    pub seed: u64,
    /// Rounds (days) run.
    pub rounds: u32,
    /// Per agent and category.
    pub agents: Vec<AgentKindReport>,
    /// Per category.
    pub categories: Vec<CategoryReport>,
    /// Share of tasks with a question, over the first quarter of all tasks worked.
    pub clarification_rate_first_quarter: f64,
    /// The same over the last quarter.
    pub clarification_rate_last_quarter: f64,
    /// Whether the market's audit (money conserved, indexes consistent) held at the end.
    pub audit_held: bool,
}

/// Tallies of one agent in one category.
#[derive(Debug, Clone, Default)]
struct Tally {
    tasks: u32,
    accuracy: f64,
    duration_ms: f64,
    asked: u32,
    submitted: u32,
    agreed: u32,
    passed: u32,
}

/// Most days [`run`] simulates: far beyond any useful run, and short of the market's last instant
/// (2^53 - 1 ms, about 285,000 years).
pub const MAX_ROUNDS: u32 = 100_000;

/// Run the scenario for `rounds` days from `seed`. Refused when `rounds` is 0 (there would be no
/// figures to report) or above [`MAX_ROUNDS`], or the market refuses `seed` (beyond 2^53 - 1).
pub fn run(seed: u64, rounds: u32) -> Result<RealWorkReport, SimError> {
    SimError::check("rounds", rounds, 1, MAX_ROUNDS)?;
    let mut run = Run::new(seed)?;
    for round in 0..rounds {
        run.round(round);
    }
    Ok(run.report(rounds))
}

struct Run {
    seed: u64,
    market: Market,
    now: Timestamp,
    agents: Vec<Box<dyn WorkAgent>>,
    ids: Vec<AgentId>,
    rng: SplitMix64,
    tallies: Vec<[Tally; 3]>,
    /// Whether each worked task needed a question, in the order the tasks were worked.
    asked_in_order: Vec<bool>,
    posted: u64,
}

impl Run {
    fn new(seed: u64) -> Result<Run, SimError> {
        let config = MarketConfig { seed, ..MarketConfig::default() };
        let market = Market::new(config)?;
        let agents = reference_agents();
        let mut run = Run {
            seed,
            market,
            now: 0,
            tallies: vec![Default::default(); agents.len()],
            agents,
            ids: Vec::new(),
            rng: SplitMix64::new(mix64(seed ^ 0x005e_ed0f_3e41)),
            asked_in_order: Vec::new(),
            posted: 0,
        };
        for i in 0..CLIENTS {
            run.op(Command::RegisterClient { name: format!("business-{i}"), owner: format!("business-{i}") });
            run.act(Actor::Client { id: ClientId(i) }, Command::Deposit { amount: 10_000_000 });
        }
        for i in 0..run.agents.len() {
            let a = &run.agents[i];
            let skills = a.skills().into_iter().map(|(name, level)| Skill { name, level }).collect();
            let command = Command::RegisterAgent {
                name: a.name().to_owned(),
                kind: if a.is_human() { AgentKind::Human } else { AgentKind::Ai },
                owner: format!("maker-of-{}", a.name()),
                skills,
                capacity: if a.is_human() { 3 } else { 1 },
                min_rate: 0,
            };
            let events = run.op(command);
            let id = events
                .iter()
                .find_map(|e| match e.kind {
                    EventKind::AgentRegistered { agent, .. } => Some(agent),
                    _ => None,
                })
                .expect("a reference agent registers");
            run.ids.push(id);
        }
        Ok(run)
    }

    fn op(&mut self, command: Command) -> Vec<Event> {
        self.act(Actor::Operator, command)
    }

    /// Apply a command the scenario expects to be accepted; a refusal is a bug in the scenario.
    fn act(&mut self, actor: Actor, command: Command) -> Vec<Event> {
        let name = command.name();
        self.market.apply(self.now, actor, command).unwrap_or_else(|e| panic!("{name} by {actor} refused: {e}"))
    }

    fn try_act(&mut self, actor: Actor, command: Command) -> Option<Vec<Event>> {
        self.market.apply(self.now, actor, command).ok()
    }

    /// One day: every client posts in turn (one task of each kind per agent able to do that
    /// kind), each task is offered down its ranking to agents with room, then every agent works
    /// on what it holds. Posting before claiming is what makes capacity matter: the best-ranked
    /// agent cannot take every task of the day.
    fn round(&mut self, round: u32) {
        self.now = self.now.max(u64::from(round) * DAY);
        self.market.tick(self.now);
        let mut posted = Vec::new();
        let capable =
            |kind: Kind| self.agents.iter().filter(|a| a.skills().iter().any(|(c, _)| c == kind.category())).count();
        let mut kinds: Vec<Kind> = Vec::new();
        // Kinds take turns, so no kind's tasks are always offered first.
        for turn in 0..Kind::ALL.iter().map(|k| capable(*k)).max().unwrap_or(0) {
            kinds.extend(Kind::ALL.into_iter().filter(|k| turn < capable(*k)));
        }
        for kind in kinds {
            {
                let client = ClientId((self.posted % u64::from(CLIENTS)) as u32);
                let generated = generate(kind, mix64(self.seed.wrapping_mul(0x9e37_79b9).wrapping_add(self.posted)));
                self.posted += 1;
                posted.push((self.post(client, &generated), client, generated));
            }
        }
        let mut claimed = Vec::new();
        for (task, client, generated) in posted {
            match self.offer(client, task) {
                Some(i) => claimed.push((i, task, client, generated)),
                None => {
                    let _ = self.try_act(Actor::Client { id: client }, Command::CancelTask { task });
                }
            }
        }
        for (i, task, client, generated) in claimed {
            self.work(i, task, client, &generated);
        }
    }

    fn post(&mut self, client: ClientId, generated: &GeneratedTask) -> TaskId {
        let spec = generated.spec(REWARD, self.now, LEASE_MS);
        let events = self.act(Actor::Client { id: client }, Command::PostTask { spec });
        events
            .iter()
            .find_map(|e| match e.kind {
                EventKind::TaskPosted { task, .. } => Some(task),
                _ => None,
            })
            .expect("a posted task")
    }

    /// The client ranks agents for `task` and offers it down the ranking; returns the index of
    /// the agent that claimed it.
    fn offer(&mut self, client: ClientId, task: TaskId) -> Option<usize> {
        let ranked = self.try_act(Actor::Client { id: client }, Command::RankAgents { task, k: 10 })?;
        let ranked = crate::sim::ranked_agents(&ranked);
        for agent in ranked {
            let Some(i) = self.ids.iter().position(|a| *a == agent) else { continue };
            let Ok(view) = self.market.task_view(Actor::Agent { id: agent }, task) else { continue };
            let inputs = Job::inputs_of(&view);
            let job = Job { task, spec: &view.spec, inputs: &inputs, clarifications: &[] };
            if !matches!(self.agents[i].evaluate(&job), Decision::Claim) {
                continue;
            }
            if self.try_act(Actor::Agent { id: agent }, Command::ClaimTask { task, spec_hash: None }).is_some() {
                return Some(i);
            }
        }
        None
    }

    /// Agent `i` works on `task` it holds: questions answered by the client, then a submission
    /// the client reviews and rates from its measured accuracy.
    fn work(&mut self, i: usize, task: TaskId, client: ClientId, generated: &GeneratedTask) {
        let agent = Actor::Agent { id: self.ids[i] };
        let kind = generated.kind as usize;
        let start = self.now;
        let mut clarifications: Vec<Clarification> = Vec::new();
        let submission = loop {
            let view = self.market.task_view(agent, task).expect("the holder sees its task");
            let inputs = Job::inputs_of(&view);
            let job = Job { task, spec: &view.spec, inputs: &inputs, clarifications: &clarifications };
            match self.agents[i].execute(&job, &mut self.rng) {
                Attempt::Ask { question, duration_ms } if clarifications.len() < MAX_ROUNDS_OF_QUESTIONS => {
                    self.now += duration_ms;
                    if self.try_act(agent, Command::AskClarification { task, question: question.clone() }).is_none() {
                        break None;
                    }
                    self.now += ANSWER_MS;
                    let answer = generated.answer(&question);
                    self.act(
                        Actor::Client { id: client },
                        Command::AnswerClarification { task, answer: answer.clone() },
                    );
                    clarifications.push(Clarification { question, answer: Some(answer) });
                }
                Attempt::Ask { .. } => break None,
                Attempt::Submit { output, self_check, duration_ms, method } => {
                    self.now += duration_ms;
                    break Some((output, self_check, method));
                }
            }
        };
        let tally = &mut self.tallies[i][kind];
        tally.tasks += 1;
        tally.asked += u32::from(!clarifications.is_empty());
        self.asked_in_order.push(!clarifications.is_empty());
        let Some((output, self_check, method)) = submission else {
            // It could not go on: it hands the task back and the client withdraws it.
            let _ = self.try_act(agent, Command::ReturnTask { task });
            let _ = self.try_act(Actor::Client { id: client }, Command::CancelTask { task });
            self.tallies[i][kind].duration_ms += (self.now - start) as f64;
            return;
        };
        let accuracy = generated.accuracy(&output);
        let events = self.act(agent, Command::SubmitWork { task, output, self_check: self_check.clone() });
        let (passed, agreed, failed) = verification(&events, &self_check.criteria_passed);
        let tally = &mut self.tallies[i][kind];
        tally.accuracy += accuracy;
        tally.duration_ms += (self.now - start) as f64;
        tally.submitted += 1;
        tally.passed += u32::from(passed);
        tally.agreed += u32::from(agreed);
        let mut outcome = WorkOutcome {
            task,
            category: generated.kind.category().to_owned(),
            method,
            accepted: false,
            stars: None,
            failed,
            clarifications,
        };
        if passed {
            self.now += REVIEW_MS;
            let me = Actor::Client { id: client };
            if accepts(accuracy) {
                self.act(me, Command::Review { task, decision: ReviewDecision::Accept });
                let stars = stars_for(accuracy);
                let timeliness = if self.now - start <= 2 * HOUR { 5 } else { 4 };
                self.act(me, Command::RateTask { task, rating: Rating { quality: stars, timeliness } });
                outcome.accepted = true;
                outcome.stars = Some(stars);
            } else {
                let reason = format!("measured accuracy {accuracy:.2} is below what we accept");
                // The checks passed, so the client cites the output field its judgement is about:
                // the first one the task declares (the documents, the anomalies, the messages).
                let cited = generated.acceptance.fields.first().map(|f| crate::verify::field_criterion(&f.name));
                let decision = ReviewDecision::Reject { failed_criteria: cited.into_iter().collect(), reason };
                self.act(me, Command::Review { task, decision });
            }
        }
        // A failed verification leaves the task with its agent, which has nothing better to hand
        // in: its lease runs out, and the market records the abandonment.
        self.agents[i].learn(&outcome);
    }

    fn report(&self, rounds: u32) -> RealWorkReport {
        let rep = &self.market.config().reputation;
        let mut agents = Vec::new();
        let mut categories = Vec::new();
        for kind in Kind::ALL {
            let category = self.market.category_id(kind.category());
            let mut scores = Vec::new();
            let mut measured = Vec::new();
            let mut names = Vec::new();
            for (i, a) in self.agents.iter().enumerate() {
                let t = &self.tallies[i][kind as usize];
                if t.tasks == 0 {
                    continue;
                }
                let score = category.map_or(0.0, |c| self.market.reputation().score(rep, self.ids[i], c).mean);
                let per = |x: f64, n: u32| if n == 0 { 0.0 } else { x / f64::from(n) };
                let accuracy = per(t.accuracy, t.tasks);
                agents.push(AgentKindReport {
                    agent: a.name().to_owned(),
                    category: kind.category().to_owned(),
                    tasks: t.tasks,
                    accuracy,
                    mean_duration_ms: per(t.duration_ms, t.tasks),
                    clarification_rate: per(f64::from(t.asked), t.tasks),
                    self_check_agreement: per(f64::from(t.agreed), t.submitted),
                    verification_pass_rate: per(f64::from(t.passed), t.submitted),
                    score,
                });
                scores.push(score);
                measured.push(accuracy);
                names.push(a.name().to_owned());
            }
            let top = |values: &[f64]| {
                values
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(String::new(), |(i, _)| names[i].clone())
            };
            categories.push(CategoryReport {
                category: kind.category().to_owned(),
                kendall_tau_vs_measured: kendall_tau(&scores, &measured),
                top_by_score: top(&scores),
                top_by_accuracy: top(&measured),
            });
        }
        let quarter = (self.asked_in_order.len() / 4).max(1);
        let rate = |slice: &[bool]| {
            if slice.is_empty() {
                0.0
            } else {
                slice.iter().filter(|a| **a).count() as f64 / slice.len() as f64
            }
        };
        let n = self.asked_in_order.len();
        RealWorkReport {
            seed: self.seed,
            rounds,
            agents,
            categories,
            clarification_rate_first_quarter: rate(&self.asked_in_order[..quarter.min(n)]),
            clarification_rate_last_quarter: rate(&self.asked_in_order[n.saturating_sub(quarter)..]),
            audit_held: self.market.audit().is_ok(),
        }
    }
}

/// Whether verification passed, whether the self-check agreed with it, and the criteria it
/// failed, from the events of a submission.
fn verification(events: &[Event], claimed: &[String]) -> (bool, bool, Vec<String>) {
    for e in events {
        match &e.kind {
            EventKind::VerificationPassed { self_check_agreed, .. } => return (true, *self_check_agreed, Vec::new()),
            EventKind::VerificationFailed { failed, .. } => {
                let names: Vec<String> = failed.iter().map(|f| f.criterion.clone()).collect();
                let agreed = claimed.iter().all(|c| !names.contains(c));
                return (false, agreed, names);
            }
            _ => {}
        }
    }
    (false, false, Vec::new())
}
