//! Real work: the seed's three task kinds with generated inputs and hidden ground truth, the
//! agent kit ([`kit`]), and reference agents that do the work by real methods (feature `work`).
//!
//! A generator draws what a business would attach to a task (a document batch with a registry,
//! a dataset, borrower records) together with the truth only the client knows. Agents see the
//! inputs, never the truth; their quality is the [`GeneratedTask::accuracy`] of their outputs
//! against it, so whatever reputation they earn comes from what they deliver.
//!
//! | kind | category | input | output |
//! |---|---|---|---|
//! | [`Kind::Documents`] | `document-verification` | documents as CSV (`id,text`), a registry table | per document: verdict, extracted fields, confidence |
//! | [`Kind::Analysis`] | `data-analysis` | a time series as CSV with anomalies, gaps and a trend | anomalous rows, the trend, how missing data was handled |
//! | [`Kind::Outreach`] | `customer-outreach` | borrower records with history and latest reply | one message per borrower, a follow-up plan adapted to replies |

pub mod analysis;
pub mod documents;
pub mod human;
pub mod kit;
pub mod outreach;
pub mod review;
pub mod templates;

use crate::ids::{DurationMs, Money, Timestamp};
use crate::output::Output;
use crate::spec::{
    AcceptanceCriteria, Deadlines, Eligibility, InputRef, Pricing, ReviewPolicy, SkillRequirement, TaskSpec,
};

/// The seed's three kinds of task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Verify a batch of financial and identity documents against a registry.
    Documents,
    /// Find anomalies and the trend in a dataset with gaps.
    Analysis,
    /// Write tailored messages to borrowers and plan the follow-up.
    Outreach,
}

impl Kind {
    /// Every kind, in a fixed order.
    pub const ALL: [Kind; 3] = [Kind::Documents, Kind::Analysis, Kind::Outreach];

    /// The category (and the skill) tasks of this kind are posted under.
    pub const fn category(self) -> &'static str {
        match self {
            Kind::Documents => "document-verification",
            Kind::Analysis => "data-analysis",
            Kind::Outreach => "customer-outreach",
        }
    }

    /// The kind of a category, if it is one of the three.
    pub fn from_category(category: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.category() == category)
    }
}

/// A generated task: what the client posts, and the truth only it knows.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedTask {
    /// Its kind.
    pub kind: Kind,
    /// A one-line summary.
    pub title: String,
    /// What to do, for the agent.
    pub instructions: String,
    /// The inputs, inline.
    pub inputs: Vec<InputRef>,
    /// The acceptance criteria, machine-checked at submission.
    pub acceptance: AcceptanceCriteria,
    /// What the client knows and the agent does not.
    pub truth: Truth,
}

/// The hidden ground truth of a generated task, per kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Truth {
    /// Of a document batch.
    Documents(documents::Truth),
    /// Of a dataset.
    Analysis(analysis::Truth),
    /// Of a set of borrowers.
    Outreach(outreach::Truth),
}

/// What one method of an agent made of a job: an output with the confidence the method has in
/// it, or a question it cannot settle alone.
#[derive(Debug, Clone, PartialEq)]
pub enum Draft {
    /// An output, with the method's confidence in it (basis points).
    Output {
        /// The output.
        output: Output,
        /// How sure the method is, 0 to 10000.
        confidence_bps: u16,
    },
    /// A question for the client; its first words name the topic (see [`kit::Job::answer`]).
    Question(String),
}

/// Generate one task of `kind`, drawn from `seed` (the same seed gives the same task).
pub fn generate(kind: Kind, seed: u64) -> GeneratedTask {
    let mut rng = crate::rng::SplitMix64::new(seed);
    match kind {
        Kind::Documents => documents::generate(&mut rng),
        Kind::Analysis => analysis::generate(&mut rng),
        Kind::Outreach => outreach::generate(&mut rng),
    }
}

impl GeneratedTask {
    /// How good `output` is against the truth, from 0 (worthless) to 1 (exactly right).
    pub fn accuracy(&self, output: &Output) -> f64 {
        let a = match &self.truth {
            Truth::Documents(t) => documents::accuracy(t, output),
            Truth::Analysis(t) => analysis::accuracy(t, output),
            Truth::Outreach(t) => outreach::accuracy(t, output),
        };
        a.clamp(0.0, 1.0)
    }

    /// The client's answer to a clarification question: it knows the truth, so it can settle
    /// what the input leaves ambiguous.
    pub fn answer(&self, question: &str) -> String {
        match &self.truth {
            Truth::Documents(t) => documents::answer(t, question),
            Truth::Analysis(t) => analysis::answer(t, question),
            Truth::Outreach(t) => outreach::answer(t, question),
        }
    }

    /// The specification a client posts for this task: a fixed `reward`, the kind's skill at
    /// level 1, the client reviewing within an hour, a lease of `lease_ms` and up to two
    /// clarifications.
    pub fn spec(&self, reward: Money, now: Timestamp, lease_ms: DurationMs) -> TaskSpec {
        TaskSpec {
            title: self.title.clone(),
            category: self.kind.category().to_owned(),
            instructions: self.instructions.clone(),
            required_skills: vec![SkillRequirement { skill: self.kind.category().to_owned(), min_level: 1 }],
            inputs: self.inputs.clone(),
            acceptance: self.acceptance.clone(),
            review: ReviewPolicy {
                window_ms: 3_600_000,
                human_review_below_confidence_bps: None,
                human_sample_bps: 0,
                max_revisions: 0,
            },
            pricing: Pricing::Fixed { reward, tier_premium: false },
            deadlines: Deadlines {
                claim_by: now.saturating_add(24 * 3_600_000),
                lease_ms,
                clarification_timeout_ms: 3_600_000,
                max_clarifications: 2,
            },
            eligibility: Eligibility::default(),
            priority_window: None,
        }
    }
}

/// The stars a client gives for an output of measured `accuracy`: 5 from 0.95, 4 from 0.85,
/// 3 from 0.7, 2 from 0.5, else 1 (a client rates what it can tell apart: a few errors in a batch
/// cost a star).
pub fn stars_for(accuracy: f64) -> u8 {
    match accuracy {
        a if a >= 0.95 => 5,
        a if a >= 0.85 => 4,
        a if a >= 0.7 => 3,
        a if a >= 0.5 => 2,
        _ => 1,
    }
}

/// Whether a client accepts an output of measured `accuracy` (and pays for it).
pub fn accepts(accuracy: f64) -> bool {
    accuracy >= 0.6
}

/// The reference agents, each with its own method, speed and price: two per kind and a person
/// who does all three.
pub fn reference_agents() -> Vec<Box<dyn kit::WorkAgent>> {
    vec![
        Box::new(documents::CarefulVerifier::new()),
        Box::new(documents::PatternExtractor::new()),
        Box::new(analysis::RobustAnalyst::new()),
        Box::new(analysis::NaiveAnalyst::new()),
        Box::new(outreach::SegmentWriter::new()),
        Box::new(outreach::TemplateMailer::new()),
        Box::new(human::HumanWorker::new("Human worker")),
    ]
}
