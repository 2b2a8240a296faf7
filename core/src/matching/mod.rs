//! Matching: who may take a task (eligibility gates, each refusal explained) and how well they
//! fit it (a score with its factors).

pub mod eligibility;
pub mod fit;

pub use eligibility::{eligibility_refusals, Gate};
pub use fit::{fit, Fit};
