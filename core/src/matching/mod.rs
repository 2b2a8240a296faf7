//! Matching: who may take a task (eligibility gates, each refusal explained), how well they fit
//! it (a score with its factors), ranking, batch assignment (exact maximum-weight assignment with
//! capacities over sparse candidate lists) and the fairness figures.

pub mod assignment;
pub mod batch;
pub mod config;
pub mod eligibility;
pub mod fairness;
pub mod fit;
pub mod index;
mod radix_heap;
pub mod rank;
mod top_k;

pub use config::MatchingConfig;
pub use eligibility::{eligibility_refusals, is_eligible, Gate, Refusal, TaskGate};
pub use fairness::{FairnessCounters, FairnessReport};
pub use fit::{uncertainty, Fit, FitContext};
pub use rank::{rank, RankedAgent};
