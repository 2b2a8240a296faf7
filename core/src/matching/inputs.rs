//! What matching reads of the state it matches over, as one trait: the configuration parts
//! matching uses, the agents and tasks, the reputation records, the fairness counters, the
//! matching index and three lookups of interned names. The market implements it (in
//! `market/matching.rs`), so the dependency points one way, market → matching: matching never
//! imports market.
//!
//! Invariants: the trait only reads (every method takes `&self`), so eligibility, fit,
//! ranking and batch planning stay pure functions of the state they are handed; an
//! implementation answers exactly what the state holds (the market's own accessors), so
//! rankings and batches are the same whoever asks.

use super::config::MatchingConfig;
use super::fairness::FairnessCounters;
use super::index::MatchIndex;
use crate::ids::{AgentId, CategoryId, ClientId, TaskId};
use crate::party::Agent;
use crate::reputation::{Reputation, ReputationConfig};
use crate::spec::TaskSpec;
use crate::task::Task;

/// The state matching reads: what eligibility, fit, ranking and batch assignment need, and no
/// more. Every agent and task id is its index in [`MatchingInputs::agents`] and
/// [`MatchingInputs::tasks`].
pub trait MatchingInputs {
    /// The matching weights, exploration settings and limits.
    fn matching_config(&self) -> &MatchingConfig;
    /// The reputation settings (pooled priors, newcomer discount, score bounds).
    fn reputation_config(&self) -> &ReputationConfig;
    /// The seed of every draw (exploration bonuses, which agents explore in a batch).
    fn seed(&self) -> u64;
    /// Every agent, by id.
    fn agents(&self) -> &[Agent];
    /// Every task, by id.
    fn tasks(&self) -> &[Task];
    /// Every agent's reputation record, tier included.
    fn reputation(&self) -> &Reputation;
    /// The running fairness counters (the exploration budget).
    fn fairness(&self) -> &FairnessCounters;
    /// The matching index kept in step with the agents.
    fn match_index(&self) -> &MatchIndex;
    /// The owner code of a client (`None` for an unknown id): agent and client with the same
    /// code share an organisation.
    fn client_owner(&self, client: ClientId) -> Option<u32>;
    /// The code of a skill name, if some agent declares it now.
    fn skill_code(&self, name: &str) -> Option<u32>;
    /// A category's name ("?" for an unknown id).
    fn category_name(&self, category: CategoryId) -> &str;

    /// An agent by id.
    fn agent(&self, id: AgentId) -> Option<&Agent> {
        self.agents().get(id.index())
    }
    /// A task by id.
    fn task(&self, id: TaskId) -> Option<&Task> {
        self.tasks().get(id.index())
    }
    /// The code of each skill `spec` requires, in order (see [`MatchingInputs::skill_code`]).
    fn required_skill_codes(&self, spec: &TaskSpec) -> Vec<Option<u32>> {
        spec.required_skills.iter().map(|s| self.skill_code(&s.skill)).collect()
    }
}
