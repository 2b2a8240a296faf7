//! Matching: who may take a task (eligibility gates, each refusal explained), how well they fit
//! it (a score with its factors), ranking, batch assignment (exact maximum-weight assignment with
//! capacities over sparse candidate lists) and the fairness figures.
//!
//! Matching reads the state it matches over through [`MatchingInputs`], which the market
//! implements: the dependency points one way (market → matching), and matching never imports
//! market.

pub mod assignment;
pub mod batch;
pub mod config;
pub mod eligibility;
pub mod fairness;
pub mod fit;
pub mod index;
pub mod inputs;
mod radix_heap;
pub mod rank;
mod top_k;

pub use config::MatchingConfig;
pub use eligibility::{eligibility_refusals, is_eligible, Gate, Refusal, TaskGate};
pub use fairness::{FairnessCounters, FairnessReport};
pub use fit::{uncertainty, Fit, FitContext};
pub use inputs::MatchingInputs;
pub use rank::{rank, RankedAgent};
