//! Commands: what an actor asks the market to do. Imperative names; every one is validated and
//! authorised by the engine before anything changes.

use crate::hash::Digest;
use crate::ids::{AgentId, Bps, ClientId, DurationMs, Money, TaskId};
use crate::output::{Output, SelfCheck};
use crate::party::{AgentKind, PartyRef, Skill};
use crate::spec::TaskSpec;
use serde::{Deserialize, Serialize};

/// One command. In JSON a discriminated union on `type`, e.g.
/// `{"type": "ClaimTask", "task": 3}`.
#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Command {
    /// Operator: sign up a client (a business).
    RegisterClient {
        /// Display name.
        name: String,
        /// Organisation, for conflict-of-interest checks, compared by key (case, Unicode
        /// compatibility forms, whitespace and invisible characters do not count); refused when
        /// nothing visible is left.
        owner: String,
    },
    /// Operator: sign up an agent.
    RegisterAgent {
        /// Display name.
        name: String,
        /// AI or human.
        kind: AgentKind,
        /// Organisation, for conflict-of-interest checks, compared by key (case, Unicode
        /// compatibility forms, whitespace and invisible characters do not count); refused when
        /// nothing visible is left.
        owner: String,
        /// Declared skills.
        skills: Vec<Skill>,
        /// Tasks at once (1 to 1000).
        capacity: u32,
        /// Least reward it wants per task.
        min_rate: Money,
    },
    /// Operator: sign up a human reviewer.
    RegisterReviewer {
        /// Display name.
        name: String,
        /// Organisation, for conflict-of-interest checks, compared by key (case, Unicode
        /// compatibility forms, whitespace and invisible characters do not count); refused when
        /// nothing visible is left.
        owner: String,
    },
    /// Agent: change its own skills, capacity or minimum rate. Skill names nobody declares any
    /// more are forgotten (their codes reused), so updates cannot grow the market's tables.
    UpdateAgentProfile {
        /// Declared skills.
        skills: Vec<Skill>,
        /// Tasks at once (1 to 1000); lowering it below the current load is allowed and stops new claims.
        capacity: u32,
        /// Least reward it wants per task.
        min_rate: Money,
    },
    /// Client: add funds to its own account.
    Deposit {
        /// Amount in minor units.
        amount: Money,
    },
    /// Client or agent: take funds out of its own account; operator: out of the platform's fees.
    Withdraw {
        /// Amount in minor units.
        amount: Money,
    },
    /// Operator: set the platform fee for tasks posted from now on.
    SetFee {
        /// Fee on payouts, in basis points (at most 5000).
        fee_bps: Bps,
    },
    /// Client: post a task, escrowing its reward or ceiling.
    PostTask {
        /// The full specification.
        spec: TaskSpec,
    },
    /// Client: cancel its own task while nobody holds it; the escrow is refunded.
    CancelTask {
        /// The task.
        task: TaskId,
    },
    /// Agent: take a fixed-price task (queued for arbitration during a priority window).
    ClaimTask {
        /// The task.
        task: TaskId,
        /// The spec hash the agent read; refused if the task is pinned to another.
        #[serde(default)]
        spec_hash: Option<Digest>,
    },
    /// Agent: bid on a bid-priced task (one open bid per agent; a new bid replaces the old). When
    /// the task's bid list is full, a bid better than the worst (lower tier-adjusted price; of
    /// equals the later is worse) evicts it (`BidEvicted`); otherwise it is refused (`too_large`).
    /// In the final `binding_bids_bps` of the bidding window, where bids bind, a new bid may lower
    /// the price or the ETA but not raise either (`deadline_passed`).
    PlaceBid {
        /// The task.
        task: TaskId,
        /// Price, at most the ceiling.
        price: Money,
        /// Promised time to submit after award.
        eta_ms: DurationMs,
    },
    /// Agent: withdraw its open bid; refused (`deadline_passed`) in the final
    /// `binding_bids_bps` of the bidding window, where bids bind.
    WithdrawBid {
        /// The task.
        task: TaskId,
    },
    /// Client: award its task to one bidder.
    AwardBid {
        /// The task.
        task: TaskId,
        /// The winning bidder.
        agent: AgentId,
    },
    /// Agent: give back a task it holds. Free early in the lease round; after the market's
    /// `late_return_bps` share of it, it counts as an abandonment (`released_late`). Either way
    /// the agent may not take this task again.
    ReturnTask {
        /// The task.
        task: TaskId,
    },
    /// Agent: ask the client a question; the lease clock pauses until the answer.
    AskClarification {
        /// The task.
        task: TaskId,
        /// The question.
        question: String,
    },
    /// Client: answer the open question; the lease clock resumes.
    AnswerClarification {
        /// The task.
        task: TaskId,
        /// The answer.
        answer: String,
    },
    /// Agent: hand in output and self-check; verification runs at once.
    SubmitWork {
        /// The task.
        task: TaskId,
        /// Output fields.
        output: Output,
        /// The agent's own report.
        self_check: SelfCheck,
    },
    /// Whoever the work was routed to decides on verified work: the client, a reviewer without a
    /// conflict of interest (human review), or the operator (when the client shares an owner
    /// with the agent and no independent reviewer exists).
    Review {
        /// The task.
        task: TaskId,
        /// Accept, ask for a revision, or reject citing criteria.
        decision: ReviewDecision,
    },
    /// Client: rate the agent on a paid task, once.
    RateTask {
        /// The task.
        task: TaskId,
        /// Stars per criterion.
        rating: Rating,
    },
    /// Agent: dispute a rejection before the dispute window closes.
    OpenDispute {
        /// The task.
        task: TaskId,
        /// Why the rejection is wrong.
        reason: String,
    },
    /// Operator: settle a dispute.
    ResolveDispute {
        /// The task.
        task: TaskId,
        /// Pay, refund or split.
        resolution: Resolution,
    },
    /// The task's client or the operator: rank the best `k` eligible agents for a task, with
    /// the factors of each fit (recorded, since appearing in a ranking is exposure).
    RankAgents {
        /// The task.
        task: TaskId,
        /// How many (1 to 100).
        k: u32,
    },
    /// Operator: suspend a client or an agent that is active. Until reinstated it may not act
    /// (`suspended`), is not ranked, assigned or on leaderboards; an agent loses its queued claims
    /// (`ClaimLost`) and bids (`BidWithdrawn`) and its work in progress (claimed or waiting on a
    /// question) goes back to open (`TaskReturned`, reason `moderated`; expired when past its
    /// claim-by time); a client's open tasks are cancelled and refunded (`TaskCancelled`). Work
    /// already handed in runs to settlement.
    SuspendParty {
        /// Who.
        party: PartyRef,
        /// Why (1 to 20,000 bytes), recorded in the event and the party's standing.
        reason: String,
    },
    /// Operator: reinstate a suspended party; refused (`invalid_standing`) for an active or a
    /// closed one.
    ReinstateParty {
        /// Who.
        party: PartyRef,
        /// Why (1 to 20,000 bytes).
        reason: String,
    },
    /// Operator: close an active or suspended party for good, with the consequences of
    /// suspension. A closed party may still withdraw its balance; nothing else.
    CloseParty {
        /// Who.
        party: PartyRef,
        /// Why (1 to 20,000 bytes).
        reason: String,
    },
    /// Operator: record that a client's identity was verified outside the engine (shown in its
    /// standing). Repeating it records another verification.
    VerifyClient {
        /// The client.
        client: ClientId,
        /// What was checked (at most 20,000 bytes).
        #[serde(default)]
        note: Option<String>,
    },
    /// Operator: set the establishment spend a client brings from outside (a customer the
    /// operator already knows), counted with its settled spend when its ratings are weighed.
    /// Replaces any earlier import; 0 removes it.
    ImportEstablishment {
        /// The client.
        client: ClientId,
        /// Spend in minor units, at most 2^53 - 1.
        spend: Money,
        /// Where the figure comes from (at most 20,000 bytes).
        #[serde(default)]
        note: Option<String>,
    },
    /// Operator: assign open fixed-price tasks to agents in one batch, maximising total fit
    /// under capacities. Each task and agent may be listed once (`duplicate_item`).
    AssignTasks {
        /// Which tasks (all placeable open tasks when absent).
        #[serde(default)]
        tasks: Option<Vec<TaskId>>,
        /// Among which agents (every agent with spare capacity when absent).
        #[serde(default)]
        agents: Option<Vec<AgentId>>,
        /// A work budget in milliseconds: over it, the documented greedy approximation is used.
        #[serde(default)]
        time_budget_ms: Option<DurationMs>,
    },
}

/// A reviewer's decision on verified work.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type", deny_unknown_fields, from = "ReviewDecisionIn")]
pub enum ReviewDecision {
    /// Accept and pay.
    Accept,
    /// Send back for another round (within the policy's cap), with a new lease.
    RequestRevision {
        /// What to change.
        note: String,
    },
    /// Reject: must cite the acceptance criteria the work fails. The agent may dispute.
    Reject {
        /// Names of failed criteria (as in the specification: `field:<name>`, `confidence`, or a
        /// criterion's name).
        failed_criteria: Vec<String>,
        /// Explanation.
        reason: String,
    },
}

/// How the operator settles a dispute.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type", deny_unknown_fields, from = "ResolutionIn")]
pub enum Resolution {
    /// The agent is paid the agreed price (less the fee).
    PayAgent,
    /// The client gets the escrow back.
    RefundClient,
    /// The agent gets `to_agent` (less the fee), the client the rest.
    Split {
        /// Gross amount for the agent, at most the agreed price.
        to_agent: Money,
    },
}

// How `ReviewDecision` and `Resolution` are read: their unit variants as empty struct variants
// (the same JSON), because serde ignores `deny_unknown_fields` on a unit variant of an
// internally tagged enum and would take `{"type":"Accept","to_agent":5}` as a plain accept. See
// `ActorIn`.

#[derive(Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum ReviewDecisionIn {
    Accept {},
    RequestRevision { note: String },
    Reject { failed_criteria: Vec<String>, reason: String },
}

impl From<ReviewDecisionIn> for ReviewDecision {
    fn from(decision: ReviewDecisionIn) -> ReviewDecision {
        match decision {
            ReviewDecisionIn::Accept {} => ReviewDecision::Accept,
            ReviewDecisionIn::RequestRevision { note } => ReviewDecision::RequestRevision { note },
            ReviewDecisionIn::Reject { failed_criteria, reason } => ReviewDecision::Reject { failed_criteria, reason },
        }
    }
}

#[derive(Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum ResolutionIn {
    PayAgent {},
    RefundClient {},
    Split { to_agent: Money },
}

impl From<ResolutionIn> for Resolution {
    fn from(resolution: ResolutionIn) -> Resolution {
        match resolution {
            ResolutionIn::PayAgent {} => Resolution::PayAgent,
            ResolutionIn::RefundClient {} => Resolution::RefundClient,
            ResolutionIn::Split { to_agent } => Resolution::Split { to_agent },
        }
    }
}

/// Stars, 1 to 5, on each criterion a client rates: each feeds a reputation dimension (quality
/// feeds quality and consistency; timeliness, speed). There is no "communication" star: it fed
/// no dimension, the engine has nothing to check it against, and a star that counts for nothing
/// misleads the client who gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// How good the work was.
    pub quality: u8,
    /// How timely.
    pub timeliness: u8,
}

impl Rating {
    /// The stars as an array, in field order.
    pub fn stars(&self) -> [u8; 2] {
        [self.quality, self.timeliness]
    }
}

impl Command {
    /// The command's name, as its JSON `type`.
    pub fn name(&self) -> &'static str {
        match self {
            Command::RegisterClient { .. } => "RegisterClient",
            Command::RegisterAgent { .. } => "RegisterAgent",
            Command::RegisterReviewer { .. } => "RegisterReviewer",
            Command::UpdateAgentProfile { .. } => "UpdateAgentProfile",
            Command::Deposit { .. } => "Deposit",
            Command::Withdraw { .. } => "Withdraw",
            Command::SetFee { .. } => "SetFee",
            Command::PostTask { .. } => "PostTask",
            Command::CancelTask { .. } => "CancelTask",
            Command::ClaimTask { .. } => "ClaimTask",
            Command::PlaceBid { .. } => "PlaceBid",
            Command::WithdrawBid { .. } => "WithdrawBid",
            Command::AwardBid { .. } => "AwardBid",
            Command::ReturnTask { .. } => "ReturnTask",
            Command::AskClarification { .. } => "AskClarification",
            Command::AnswerClarification { .. } => "AnswerClarification",
            Command::SubmitWork { .. } => "SubmitWork",
            Command::Review { .. } => "Review",
            Command::RateTask { .. } => "RateTask",
            Command::OpenDispute { .. } => "OpenDispute",
            Command::ResolveDispute { .. } => "ResolveDispute",
            Command::RankAgents { .. } => "RankAgents",
            Command::AssignTasks { .. } => "AssignTasks",
            Command::SuspendParty { .. } => "SuspendParty",
            Command::ReinstateParty { .. } => "ReinstateParty",
            Command::CloseParty { .. } => "CloseParty",
            Command::VerifyClient { .. } => "VerifyClient",
            Command::ImportEstablishment { .. } => "ImportEstablishment",
        }
    }
}
