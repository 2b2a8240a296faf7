//! The agent kit: the interface a working agent implements, whatever does the work (a method
//! written here, a person, a language model behind a host), and the helpers every agent uses.
//!
//! An agent meets a task as a [`Job`]: the specification its view shows, the inputs it may see
//! (with their inline content) and the clarifications asked and answered so far. It
//! [`evaluate`](WorkAgent::evaluate)s the job (claim, bid a price and an ETA, or decline with a
//! reason), [`execute`](WorkAgent::execute)s it (an output with a self-check, or a question when
//! the input is ambiguous), checks its output with the task's own criteria before submitting
//! ([`self_check`], the engine's verification as a dry run), and [`learn`](WorkAgent::learn)s
//! from the outcome. Nothing here touches a market: a host (the simulator, the demo, a server)
//! turns decisions into commands.

use crate::ids::{DurationMs, Money, TaskId};
use crate::output::{Output, SelfCheck};
use crate::rng::SplitMix64;
use crate::spec::{InputRef, TaskSpec};
use crate::verify::{dry_run, Verification};

/// A task as an agent works on it.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    /// The task.
    pub task: TaskId,
    /// Its specification, as the agent's view shows it.
    pub spec: &'a TaskSpec,
    /// The task's inputs: those the agent may see with their inline content; the others (before
    /// it holds a confidential task, say) by name and classification only, without content.
    pub inputs: &'a [InputRef],
    /// Questions asked about this task so far and their answers, oldest first.
    pub clarifications: &'a [Clarification],
}

impl<'a> Job<'a> {
    /// The inline content of the input `name`, if the agent may see it.
    pub fn input(&self, name: &str) -> Option<&'a str> {
        self.inputs.iter().find(|i| i.name == name).and_then(|i| i.content.as_deref())
    }

    /// Whether the task has an input called `name`, seen or not: what an agent can judge a task
    /// by before it claims (confidential data shows only to the holder).
    pub fn has_input(&self, name: &str) -> bool {
        self.inputs.iter().any(|i| i.name == name)
    }

    /// The inputs of a task view as a job carries them: visible ones with their content, hidden
    /// ones by name only.
    pub fn inputs_of(view: &crate::market::TaskView) -> Vec<InputRef> {
        view.inputs
            .iter()
            .map(|i| {
                i.to_input().unwrap_or_else(|| InputRef {
                    name: i.name.clone(),
                    uri: String::new(),
                    content: None,
                    classification: i.classification,
                })
            })
            .collect()
    }

    /// The answer to the latest question whose text starts with `topic`, if one was answered.
    pub fn answer(&self, topic: &str) -> Option<&'a str> {
        self.clarifications.iter().rev().find(|c| c.question.starts_with(topic)).and_then(|c| c.answer.as_deref())
    }
}

/// A question an agent asked about a task, and the client's answer once given. A host that keeps
/// the event log passes them back in (the market keeps only the open question), so it reads
/// from JSON as `{question, answer}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clarification {
    /// The question.
    pub question: String,
    /// The answer; none while unanswered (or never answered).
    pub answer: Option<String>,
}

/// What an agent decides to do about an offered task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Take it at the posted reward.
    Claim,
    /// Offer to do it for `price` within `eta_ms` (bid-priced tasks).
    Bid {
        /// The price asked, in minor units.
        price: Money,
        /// The promised time to deliver.
        eta_ms: DurationMs,
    },
    /// Leave it, and say why (the host may show or log the reason).
    Decline {
        /// Why, in a sentence.
        reason: String,
    },
}

/// What came of working on a task once.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// Hand in this output with this self-check.
    Submit {
        /// The output.
        output: Output,
        /// The agent's report on it ([`self_check`] fills in the criteria it passes).
        self_check: SelfCheck,
        /// How long the work took.
        duration_ms: DurationMs,
        /// Which of the agent's methods made it (what [`WorkOutcome::method`] reports back).
        method: &'static str,
    },
    /// Ask the client before going on: the input is ambiguous in a way the agent cannot settle.
    Ask {
        /// The question. Its first words name the topic (`"Which total ..."`), so that
        /// [`Job::answer`] finds the answer when the agent works on the task again.
        question: String,
        /// How long the agent worked before asking.
        duration_ms: DurationMs,
    },
}

/// How a submission ended, told to the agent that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkOutcome {
    /// The task.
    pub task: TaskId,
    /// Its category.
    pub category: String,
    /// The method that made the output ([`Attempt::Submit::method`]).
    pub method: &'static str,
    /// Whether the work was accepted and paid.
    pub accepted: bool,
    /// The client's rating (1 to 5 stars), if it rated.
    pub stars: Option<u8>,
    /// Criteria verification failed, by name (empty when it passed).
    pub failed: Vec<String>,
    /// Questions this task needed, with the answers given (what the agent can remember).
    pub clarifications: Vec<Clarification>,
}

/// An agent that does work: the other side of the market. Implementations are deterministic
/// given the `rng` they are handed, so a seeded run repeats exactly.
pub trait WorkAgent {
    /// Its name, as registered.
    fn name(&self) -> &str;
    /// The categories it can work in, each with the skill level it declares (1 to 5).
    fn skills(&self) -> Vec<(String, u8)>;
    /// Its hourly rate in minor units (what it registers; bids follow from it).
    fn rate(&self) -> Money;
    /// Whether it is a person (registered as a human agent) rather than software.
    fn is_human(&self) -> bool {
        false
    }
    /// Decide on an offered task: claim, bid, or decline with a reason.
    fn evaluate(&mut self, job: &Job<'_>) -> Decision;
    /// Work on a task it holds.
    fn execute(&mut self, job: &Job<'_>, rng: &mut SplitMix64) -> Attempt;
    /// Learn from how a submission ended (a method rejected is used less, an answer remembered).
    fn learn(&mut self, outcome: &WorkOutcome);
}

/// The self-check an agent submits: its confidence, and the criteria the engine's own
/// verification (run here as a dry run) finds the output passes. The verification is returned
/// too, so an agent can fix or withhold an output that fails.
pub fn self_check(job: &Job<'_>, output: &Output, confidence_bps: u16, notes: &str) -> (SelfCheck, Verification) {
    let mut check = SelfCheck { confidence_bps, criteria_passed: Vec::new(), notes: notes.to_owned() };
    let verification = match dry_run(&job.spec.acceptance, job.inputs, output, &check) {
        Ok(v) => v,
        Err(refusal) => Verification {
            checked: 0,
            failed: vec![crate::event::FailedCriterion { criterion: "shape".into(), reason: refusal.to_string() }],
            self_check_agreed: false,
        },
    };
    check.criteria_passed = criterion_names(job)
        .into_iter()
        .filter(|name| !verification.failed.iter().any(|f| &f.criterion == name))
        .collect();
    (check, verification)
}

/// Every criterion name of the job's acceptance criteria, in specification order.
pub fn criterion_names(job: &Job<'_>) -> Vec<String> {
    let a = &job.spec.acceptance;
    a.fields
        .iter()
        .map(|f| crate::verify::field_criterion(&f.name))
        .chain(std::iter::once(crate::verify::CONFIDENCE_CRITERION.to_owned()))
        .chain(a.criteria.iter().map(|c| c.name.clone()))
        .collect()
}

/// How often each of an agent's methods has been accepted: the learning every reference agent
/// shares. A method's weight is its smoothed acceptance rate, so a method that keeps being
/// rejected is chosen less, and one never tried starts at even odds.
#[derive(Debug, Clone, Default)]
pub struct MethodRecord {
    tallies: Vec<(&'static str, u32, u32)>,
}

impl MethodRecord {
    /// Record one outcome of `method`.
    pub fn record(&mut self, method: &'static str, accepted: bool) {
        let entry = match self.tallies.iter().position(|t| t.0 == method) {
            Some(i) => &mut self.tallies[i],
            None => {
                self.tallies.push((method, 0, 0));
                self.tallies.last_mut().expect("just pushed")
            }
        };
        entry.1 = entry.1.saturating_add(u32::from(accepted));
        entry.2 = entry.2.saturating_add(1);
    }

    /// The smoothed acceptance rate of `method`: (accepted + 1) / (tries + 2).
    pub fn weight(&self, method: &'static str) -> f64 {
        let (ok, n) = self.tallies.iter().find(|t| t.0 == method).map_or((0, 0), |t| (t.1, t.2));
        (f64::from(ok) + 1.0) / (f64::from(n) + 2.0)
    }

    /// Of `methods`, the one with the highest weight (the first on ties); none if `methods` is
    /// empty.
    pub fn best(&self, methods: &[&'static str]) -> Option<&'static str> {
        methods.iter().copied().fold(None, |best, m| match best {
            Some(b) if self.weight(b) >= self.weight(m) => Some(b),
            _ => Some(m),
        })
    }
}
