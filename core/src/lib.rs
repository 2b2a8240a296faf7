//! # gigmarket
//!
//! A deterministic, sans-IO engine for marketplaces where AI agents (and people beside them)
//! take on precisely specified micro-tasks, are matched to the work they do best, and earn
//! reputation from how they deliver.
//!
//! The whole engine is one state machine, [`Market`]: every transition is (state, command from an
//! actor at an instant) → events, or a typed [`Rejection`] that leaves the state untouched. Time is
//! passed in; nothing reads a clock, does IO or draws from a global generator.
//!
//! ```
//! use gigmarket::prelude::*;
//!
//! let mut market = Market::new(MarketConfig::default())?; // refused if the config is out of range
//! let op = Actor::Operator;
//! market.apply(0, op, Command::RegisterClient { name: "Acme".into(), owner: "acme".into() })?;
//! market.apply(0, op, Command::RegisterAgent {
//!     name: "extractor-1".into(), kind: AgentKind::Ai, owner: "bots-inc".into(),
//!     skills: vec![Skill { name: "fin-docs".into(), level: 4 }], capacity: 2, min_rate: 100,
//! })?;
//! let client = Actor::Client { id: ClientId(0) };
//! let agent = Actor::Agent { id: AgentId(0) };
//! market.apply(0, client, Command::Deposit { amount: 10_000 })?;
//!
//! let spec = TaskSpec {
//!     title: "Extract the invoice total".into(),
//!     category: "invoice-extraction".into(),
//!     instructions: "Read the PDF; report the total and currency.".into(),
//!     required_skills: vec![SkillRequirement { skill: "fin-docs".into(), min_level: 3 }],
//!     inputs: vec![InputRef { name: "invoice".into(), uri: "s3://acme/inv-7.pdf".into(),
//!                             content: None, classification: DataClass::Confidential }],
//!     acceptance: AcceptanceCriteria {
//!         fields: vec![OutputField { name: "total".into(), kind: FieldKind::Number, required: true }],
//!         criteria: vec![Criterion { name: "total-positive".into(),
//!             check: Check::Range { field: "total".into(), min: Some(Real(0.0)), max: None } }],
//!         min_confidence_bps: 8_000,
//!     },
//!     review: ReviewPolicy { window_ms: 60_000, human_review_below_confidence_bps: None,
//!                            human_sample_bps: 0, max_revisions: 1 },
//!     pricing: Pricing::Fixed { reward: 1_000, tier_premium: false },
//!     deadlines: Deadlines { claim_by: 3_600_000, lease_ms: 600_000,
//!                            clarification_timeout_ms: 300_000, max_clarifications: 2 },
//!     eligibility: Eligibility::default(),
//!     priority_window: None,
//! };
//! market.apply(1_000, client, Command::PostTask { spec })?;
//! // The ranking's first three are the market's choice: their work counts in reputation.
//! market.apply(1_500, client, Command::RankAgents { task: TaskId(0), k: 3 })?;
//! let claimed = market.apply(2_000, agent, Command::ClaimTask { task: TaskId(0), spec_hash: None })?;
//! assert!(matches!(claimed[0].kind, EventKind::TaskClaimed { matched: true, .. }));
//! let output = [("total".to_string(), FieldValue::Number(1234.5))].into_iter().collect();
//! let self_check = SelfCheck { confidence_bps: 9_500, criteria_passed: vec![], notes: String::new() };
//! market.apply(9_000, agent, Command::SubmitWork { task: TaskId(0), output, self_check })?;
//!
//! // The client stays silent: when the review window passes, the work is accepted and paid.
//! let events = market.tick(69_000);
//! assert!(events.iter().any(|e| matches!(e.kind, EventKind::WorkAccepted { by: None, .. })));
//! assert_eq!(market.agent(AgentId(0)).unwrap().balance, 900); // 1000 less the 10 % fee
//! market.audit()?; // money conserved, indexes consistent
//!
//! // State round-trips through a versioned snapshot.
//! let restored = Market::load(&market.save())?;
//! assert_eq!(restored.save(), market.save());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! See `ARCHITECTURE.md` in the repository for the code map and the invariants each part keeps.

#![deny(missing_docs)]

pub mod actor;
pub mod command;
pub mod event;
pub mod hash;
pub mod ids;
pub mod json_input;
pub mod limits;
pub mod market;
pub mod matching;
pub mod output;
pub mod owner;
pub mod party;
pub mod rejection;
pub mod reputation;
pub mod rng;
#[cfg(feature = "sim")]
pub mod sim;
pub mod spec;
pub mod table;
pub mod task;
pub mod tier;
pub mod verify;
#[cfg(feature = "work")]
pub mod work;

pub use actor::{Actor, Role};
pub use command::{Command, Rating, Resolution, ReviewDecision};
pub use event::{Event, EventKind};
pub use market::{ConfigError, Market, MarketConfig, SpecCaps};
pub use rejection::Rejection;

/// Everything a host needs in one import.
pub mod prelude {
    pub use crate::actor::{Actor, Role};
    pub use crate::command::{Command, Rating, Resolution, ReviewDecision};
    pub use crate::event::{
        Account, ClaimRoute, Event, EventKind, Outcome, ReturnReason, ReviewRoute, Settlement, Verdict,
    };
    pub use crate::hash::Digest;
    pub use crate::ids::{AgentId, CategoryId, ClientId, Money, ReviewerId, TaskId, Timestamp};
    pub use crate::market::{ConfigError, Market, MarketConfig, SnapshotError, SpecCaps, TaskView};
    pub use crate::output::{FieldValue, Output, SelfCheck};
    pub use crate::party::{AgentKind, PartyRef, Skill, Standing};
    pub use crate::rejection::Rejection;
    pub use crate::spec::{
        AcceptanceCriteria, AgentKinds, AwardPolicy, Check, Criterion, DataClass, Deadlines, Eligibility, FieldKind,
        InputRef, OutputField, Pricing, PriorityWindow, Real, ReviewPolicy, SkillRequirement, TaskSpec, TierPremium,
    };
    pub use crate::task::{Task, TaskStatus};
    pub use crate::tier::Tier;
}
