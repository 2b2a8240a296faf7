//! Template tasks: a generated task a market can post, and judge again later, with nothing kept
//! beside its snapshot.
//!
//! A template task is drawn from the market's seed and the id the task is about to get
//! ([`template_seed`]). Whoever holds the market can therefore draw it again
//! ([`regenerate`]) and measure a submission against the hidden truth ([`measure`]): the
//! autopilot's clients review that way, and the demo shows a person reviewing a template task
//! what the truth says. [`draft`] runs a reference agent on a task as an agent's view shows it:
//! the autopilot's agents work that way, and the demo offers it as a starting point for work by
//! hand. The truth never reaches an agent: [`draft`] sees only the view.

use crate::actor::Actor;
use crate::ids::{AgentId, DurationMs, Money, TaskId, Timestamp};
use crate::market::Market;
use crate::output::{Output, SelfCheck};
use crate::rng::{mix64, SplitMix64};
use crate::spec::TaskSpec;
use crate::task::TaskStatus;
use crate::work::kit::{Attempt, Clarification, Job, WorkAgent};
use crate::work::{accepts, generate, reference_agents, stars_for, GeneratedTask, Kind};
use crate::Rejection;
use serde::Serialize;

/// The lease a template task gives its agent (the slowest reference agent, the person, needs
/// about half an hour for the largest batch).
pub const TEMPLATE_LEASE_MS: DurationMs = 4 * 3_600_000;

/// Salt that keeps template draws apart from every other draw from the market's seed.
const TEMPLATE_SALT: u64 = 0x7e3a_1a7e_5eed_0013;

/// The generator seed of the template task that gets id `task` in a market seeded `market_seed`.
pub fn template_seed(market_seed: u64, task: TaskId) -> u64 {
    mix64(mix64(market_seed ^ TEMPLATE_SALT) ^ u64::from(task.0))
}

/// The id the next posted task will get: ids are dense, in posting order.
fn next_task_id(market: &Market) -> TaskId {
    TaskId(market.tasks().len() as u32)
}

/// The task of `kind` that the market's next task would be, as generated (spec and truth).
pub fn next_template(market: &Market, kind: Kind) -> GeneratedTask {
    generate(kind, template_seed(market.config().seed, next_task_id(market)))
}

/// The specification of the next template task of `kind`, for a fixed `reward` posted at `now`.
/// Post it before any other task, or it no longer matches its id and [`regenerate`] will not
/// recognise it.
pub fn template_spec(market: &Market, kind: Kind, reward: Money, now: Timestamp) -> TaskSpec {
    next_template(market, kind).spec(reward, now, TEMPLATE_LEASE_MS)
}

/// The generated task behind `task`, if it is a template task: its category is one of the three
/// kinds and its inputs are exactly what the template for its id draws.
pub fn regenerate(market: &Market, task: TaskId) -> Option<GeneratedTask> {
    let t = market.task(task)?;
    let kind = Kind::from_category(&t.spec.category)?;
    let generated = generate(kind, template_seed(market.config().seed, task));
    (generated.inputs == t.spec.inputs).then_some(generated)
}

/// How a submission measures against its task's hidden truth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct WorkMeasure {
    /// From 0 (worthless) to 1 (exactly right).
    pub accuracy: f64,
    /// The stars (1 to 5) a client rates it with: 5 from 0.95, 4 from 0.85, 3 from 0.7, 2 from
    /// 0.5.
    pub stars: u8,
    /// Whether a client accepts it (from 0.6).
    pub accepts: bool,
}

impl WorkMeasure {
    /// The measure of `output` against `generated`'s truth.
    pub fn of(generated: &GeneratedTask, output: &Output) -> WorkMeasure {
        let accuracy = generated.accuracy(output);
        WorkMeasure { accuracy, stars: stars_for(accuracy), accepts: accepts(accuracy) }
    }
}

/// The measure of the submission `task` holds (under review, rejected or disputed), if it is a
/// template task.
pub fn measure(market: &Market, task: TaskId) -> Option<WorkMeasure> {
    let submission = match &market.task(task)?.status {
        TaskStatus::Submitted { submission, .. }
        | TaskStatus::UnderReview { submission, .. }
        | TaskStatus::Rejected { submission, .. }
        | TaskStatus::Disputed { submission, .. } => submission.clone(),
        _ => return None,
    };
    Some(WorkMeasure::of(&regenerate(market, task)?, &submission.output))
}

/// What a reference agent made of a task: an output to hand in, or a question.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type")]
pub enum WorkDraft {
    /// An output with its self-check (the criteria it passes, by the engine's dry run).
    Submit {
        /// The reference agent that made it.
        agent: String,
        /// Its method.
        method: String,
        /// The output.
        output: Output,
        /// The self-check to hand in with it.
        self_check: SelfCheck,
    },
    /// A question the input leaves open.
    Ask {
        /// The reference agent that asks.
        agent: String,
        /// The question.
        question: String,
    },
}

/// The reference agent that does `kind` best by design: the careful verifier, the robust
/// analyst, the segment-aware writer.
pub fn best_reference_agent(kind: Kind) -> Box<dyn WorkAgent> {
    match kind {
        Kind::Documents => Box::new(crate::work::documents::CarefulVerifier::new()),
        Kind::Analysis => Box::new(crate::work::analysis::RobustAnalyst::new()),
        Kind::Outreach => Box::new(crate::work::outreach::SegmentWriter::new()),
    }
}

/// The reference agent called `name` (as [`WorkAgent::name`] says it), fresh.
pub fn reference_agent(name: &str) -> Option<Box<dyn WorkAgent>> {
    reference_agents().into_iter().find(|a| a.name() == name)
}

/// Run `worker` on `task` as `agent`'s view shows it, with the clarifications given so far.
/// Refused as the view is (an unknown agent or task). Hand it a worker for the task's kind
/// ([`best_reference_agent`]): a specialist handed another kind's task makes nothing useful.
pub fn draft(
    market: &Market,
    agent: AgentId,
    task: TaskId,
    worker: &mut dyn WorkAgent,
    clarifications: &[Clarification],
    rng: &mut SplitMix64,
) -> Result<WorkDraft, Rejection> {
    let view = market.task_view(Actor::Agent { id: agent }, task)?;
    let inputs = Job::inputs_of(&view);
    let job = Job { task, spec: &view.spec, inputs: &inputs, clarifications };
    let name = worker.name().to_owned();
    Ok(match worker.execute(&job, rng) {
        Attempt::Submit { output, self_check, method, .. } => {
            WorkDraft::Submit { agent: name, method: method.to_owned(), output, self_check }
        }
        Attempt::Ask { question, .. } => WorkDraft::Ask { agent: name, question },
    })
}
