//! Events: past-tense facts. `evolve` applies them infallibly; replaying the log through it
//! rebuilds the market exactly, so the log is the audit trail.

use crate::actor::Actor;
use crate::command::{Rating, Resolution};
use crate::hash::Digest;
use crate::ids::{AgentId, Bps, CategoryId, ClientId, DurationMs, Money, ReviewerId, TaskId, Timestamp};
use crate::matching::RankedAgent;
use crate::output::Submission;
use crate::party::{AgentKind, PartyRef, Skill};
use crate::spec::{TaskSpec, TierPremium};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A fact, and the instant it happened. In JSON the kind's fields sit beside `at`:
/// `{"at": 1000, "type": "TaskClaimed", "task": 3, ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Event {
    /// When it happened (the `now` of the command or tick that caused it).
    pub at: Timestamp,
    /// What happened.
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", tsify(type = "EventKind"))]
    pub kind: EventKind,
}

/// What happened. A discriminated union on `type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type")]
pub enum EventKind {
    /// The actor's command carried a request id; repeats of it are now no-ops.
    RequestRecorded {
        /// Who sent it.
        actor: Actor,
        /// The caller's id.
        request_id: String,
        /// Fingerprint of the command, to tell a repeat from a reuse.
        fingerprint: Digest,
    },
    /// A client signed up.
    ClientRegistered {
        /// New id.
        client: ClientId,
        /// Display name.
        name: String,
        /// Organisation.
        owner: String,
    },
    /// An agent signed up.
    AgentRegistered {
        /// New id.
        agent: AgentId,
        /// Display name.
        name: String,
        /// AI or human.
        kind: AgentKind,
        /// Organisation.
        owner: String,
        /// Declared skills, sorted by name.
        skills: Vec<Skill>,
        /// Tasks at once.
        capacity: u32,
        /// Least reward wanted.
        min_rate: Money,
    },
    /// A reviewer signed up.
    ReviewerRegistered {
        /// New id.
        reviewer: ReviewerId,
        /// Display name.
        name: String,
        /// Organisation.
        owner: String,
    },
    /// An agent changed its profile.
    AgentProfileUpdated {
        /// The agent.
        agent: AgentId,
        /// Declared skills, sorted by name.
        skills: Vec<Skill>,
        /// Tasks at once.
        capacity: u32,
        /// Least reward wanted.
        min_rate: Money,
    },
    /// Money came into a client's account from outside.
    FundsDeposited {
        /// The client.
        client: ClientId,
        /// Amount.
        amount: Money,
    },
    /// Money left the market.
    FundsWithdrawn {
        /// Whose account.
        account: Account,
        /// Amount.
        amount: Money,
    },
    /// The operator set the fee for tasks posted from now on.
    FeeSet {
        /// Fee in basis points.
        fee_bps: Bps,
    },
    /// A task was posted and its escrow taken from the client's balance.
    TaskPosted {
        /// New id.
        task: TaskId,
        /// The client.
        client: ClientId,
        /// Its category, interned.
        category: CategoryId,
        /// The specification as posted.
        spec: Arc<TaskSpec>,
        /// The content hash pinning it.
        spec_hash: Digest,
        /// Amount moved into escrow.
        escrow: Money,
        /// The fee pinned for this task.
        fee_bps: Bps,
    },
    /// The client cancelled an unheld task, or the operator suspended or closed the client while
    /// the task was open; escrow refunded.
    TaskCancelled {
        /// The task.
        task: TaskId,
        /// Refund to the client.
        refund: Money,
    },
    /// Nobody took the task by its claim-by time; escrow refunded.
    TaskExpired {
        /// The task.
        task: TaskId,
        /// Refund to the client.
        refund: Money,
    },
    /// A claim made during the priority window waits for arbitration when the window closes.
    ClaimQueued {
        /// The task.
        task: TaskId,
        /// The claimant.
        agent: AgentId,
        /// When arbitration happens.
        window_closes_at: Timestamp,
    },
    /// A queued claim lost arbitration (or its agent stopped being able to take the task, or was
    /// suspended or closed).
    ClaimLost {
        /// The task.
        task: TaskId,
        /// The losing claimant.
        agent: AgentId,
        /// Why, readable.
        reason: String,
    },
    /// An agent bid.
    BidPlaced {
        /// The task.
        task: TaskId,
        /// The bidder.
        agent: AgentId,
        /// Price.
        price: Money,
        /// Promised time to submit.
        eta_ms: DurationMs,
    },
    /// An agent withdrew its bid, or lost it because it was suspended or closed.
    BidWithdrawn {
        /// The task.
        task: TaskId,
        /// The bidder.
        agent: AgentId,
    },
    /// The task's bid list was full and a better bid pushed out the worst one (highest
    /// tier-adjusted price; of equals, the later). The evicted bidder may bid again, lower.
    BidEvicted {
        /// The task.
        task: TaskId,
        /// The bidder whose bid was removed.
        agent: AgentId,
        /// The bidder whose bid took its place.
        by: AgentId,
    },
    /// An agent now holds the task, at a price, until the lease runs out.
    TaskClaimed {
        /// The task.
        task: TaskId,
        /// The holder.
        agent: AgentId,
        /// Agreed price (the reward, premium-adjusted for the holder's tier when the task
        /// carries a tier premium, or the winning bid).
        price: Money,
        /// When the lease runs out.
        lease_due: Timestamp,
        /// How the agent got it.
        via: ClaimRoute,
        /// Whether a newcomer's exploration bonus decided it (counts against the newcomer budget).
        #[serde(default)]
        exploring: bool,
        /// Whether the market chose the agent: a batch assignment, an award by the task's award
        /// policy or the best bid on records, priority-window arbitration, or a claim by one of the
        /// first three entries of the task's latest `RankAgents` (its shortlist).
        /// Work the market did not choose (a claim with no ranking or from further down it, a
        /// client's award of another bid) is paid like any other, but its evidence counts in
        /// reputation only at `reputation.unmatched_weight` (none by default): a client that picks
        /// its agent can pick its friends, and that is how rings and shells mint scores. No route
        /// is the market's choice when a required skill left it no choice: a skill fewer than half
        /// the agents declare, whose declarers the market has measured less than half as often as
        /// agents overall (a skill only a client's friends declare).
        #[serde(default = "crate::event::yes")]
        matched: bool,
        /// How a tier premium set `price` (only on a task posted with one; omitted otherwise).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        premium: Option<TierPremium>,
    },
    /// The holder gave the task back, or was freed because a question went unanswered; the task
    /// is open again. An early return is free and a late one (`released_late`) counts as an
    /// abandonment; after either, the agent may not take this task again.
    TaskReturned {
        /// The task.
        task: TaskId,
        /// The former holder.
        agent: AgentId,
        /// Why.
        reason: ReturnReason,
    },
    /// The lease ran out before submission; the task is open again and the agent pays in reputation.
    TaskAbandoned {
        /// The task.
        task: TaskId,
        /// The former holder.
        agent: AgentId,
        /// Its category, for reputation.
        category: CategoryId,
    },
    /// The holder asked a question; its lease clock is paused.
    ClarificationRequested {
        /// The task.
        task: TaskId,
        /// The holder.
        agent: AgentId,
        /// The question.
        question: String,
        /// Which round (1-based).
        round: u8,
        /// When the agent is freed if nobody answers.
        answer_due: Timestamp,
    },
    /// The client answered; the lease clock runs again.
    ClarificationAnswered {
        /// The task.
        task: TaskId,
        /// The answer.
        answer: String,
        /// The new end of the lease (the time left when asked, from now).
        lease_due: Timestamp,
    },
    /// The holder handed in output and a self-check.
    WorkSubmitted {
        /// The task.
        task: TaskId,
        /// The holder.
        agent: AgentId,
        /// Output and self-check.
        submission: Arc<Submission>,
    },
    /// Automated checks failed; the work goes back to the holder, lease still running.
    VerificationFailed {
        /// The task.
        task: TaskId,
        /// Each failed criterion and why.
        failed: Vec<FailedCriterion>,
    },
    /// Automated checks passed; the work waits for review.
    VerificationPassed {
        /// The task.
        task: TaskId,
        /// How many criteria were checked.
        criteria_checked: u32,
        /// Whether every criterion the agent claimed to pass did pass.
        self_check_agreed: bool,
        /// Who reviews it.
        route: ReviewRoute,
        /// When silence accepts it.
        review_due: Timestamp,
    },
    /// The reviewer asked for another round; the holder has a fresh lease.
    RevisionRequested {
        /// The task.
        task: TaskId,
        /// Who asked.
        by: Actor,
        /// What to change.
        note: String,
        /// Which round (1-based).
        round: u8,
        /// End of the new lease.
        lease_due: Timestamp,
    },
    /// The work was accepted (by a reviewer or by the review window passing).
    WorkAccepted {
        /// The task.
        task: TaskId,
        /// The reviewer; null when silence accepted it.
        by: Option<Actor>,
    },
    /// The work was rejected citing failed criteria; the agent may dispute until `dispute_by`.
    WorkRejected {
        /// The task.
        task: TaskId,
        /// The reviewer.
        by: Actor,
        /// The cited criteria.
        failed_criteria: Vec<String>,
        /// Explanation.
        reason: String,
        /// End of the dispute window; silence past it upholds the rejection.
        dispute_by: Timestamp,
    },
    /// The agent disputed the rejection.
    DisputeOpened {
        /// The task.
        task: TaskId,
        /// The agent.
        agent: AgentId,
        /// Why.
        reason: String,
        /// If the operator stays silent until then, the agent (whose work passed verification) is paid.
        resolve_by: Timestamp,
    },
    /// The dispute was settled.
    DisputeResolved {
        /// The task.
        task: TaskId,
        /// Pay, refund or split.
        resolution: Resolution,
        /// The operator; null when the resolution deadline passed.
        by: Option<Actor>,
    },
    /// Money moved out of escrow and the task is closed; the outcome feeds reputation.
    TaskSettled {
        /// The money.
        settlement: Settlement,
        /// What reputation consumes.
        outcome: Outcome,
    },
    /// The client rated the agent on a paid task.
    TaskRated {
        /// The task.
        task: TaskId,
        /// The rater.
        client: ClientId,
        /// The rated agent.
        agent: AgentId,
        /// The stars.
        rating: Rating,
    },
    /// A ranking was made for a task (each ranked agent was exposed to the client).
    AgentsRanked {
        /// The task.
        task: TaskId,
        /// Best first, with the factors of each fit.
        ranked: Vec<RankedAgent>,
    },
    /// The operator suspended a party. Its consequences (claims lost, bids withdrawn, work
    /// returned, open tasks cancelled) follow as their own events.
    PartySuspended {
        /// Who.
        party: PartyRef,
        /// Why.
        reason: String,
    },
    /// The operator reinstated a suspended party.
    PartyReinstated {
        /// Who.
        party: PartyRef,
        /// Why.
        reason: String,
    },
    /// The operator closed a party for good; consequences follow as for a suspension.
    PartyClosed {
        /// Who.
        party: PartyRef,
        /// Why.
        reason: String,
    },
    /// The operator recorded that a client's identity was verified outside the engine.
    ClientVerified {
        /// The client.
        client: ClientId,
        /// What was checked.
        note: Option<String>,
    },
    /// The operator set the establishment spend a client brings from outside.
    EstablishmentImported {
        /// The client.
        client: ClientId,
        /// Spend in minor units (replaces any earlier import).
        spend: Money,
        /// Where the figure comes from.
        note: Option<String>,
    },
    /// A batch assignment ran; its placements follow as `TaskClaimed` events.
    BatchAssigned {
        /// Tasks considered.
        tasks: u32,
        /// Candidate pairs considered.
        candidates: u64,
        /// Tasks placed.
        placed: u32,
        /// Total fit of the placements.
        total_fit: f64,
        /// Whether the optimum is exact (false when the time budget forced the greedy fallback).
        exact: bool,
    },
}

/// Whose money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "type")]
pub enum Account {
    /// A client's balance.
    Client {
        /// Which.
        id: ClientId,
    },
    /// An agent's earnings.
    Agent {
        /// Which.
        id: AgentId,
    },
    /// The platform's fees.
    Platform,
}

/// How an agent came to hold a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum ClaimRoute {
    /// First eligible claim on a fixed-price task.
    Claim,
    /// Won arbitration among claims queued in a priority window.
    Arbitration,
    /// The client awarded its bid.
    Award,
    /// The award policy picked its bid when bidding closed.
    AutoAward,
    /// Batch assignment placed it.
    Assignment,
}

/// Why a task went back to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    /// The agent released it early in its lease (no penalty).
    Released,
    /// The agent released it after using more than the market's `late_return_bps` share of its
    /// lease: it counts as an abandonment in reputation, so holding a task for most of its lease
    /// and handing it back is not free.
    ReleasedLate,
    /// The client did not answer a clarification in time.
    QuestionUnanswered,
    /// The operator suspended or closed the holder (no reputation penalty; the agent may not
    /// take the task again), or a revision was requested from a holder that is no longer active.
    Moderated,
}

/// Who reviews verified work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum ReviewRoute {
    /// The client.
    Client,
    /// A human reviewer, because confidence was below the policy's threshold.
    HumanLowConfidence,
    /// A human reviewer, drawn by the policy's sample.
    HumanSampled,
    /// The operator, because the client shares an owner with the agent and no independent
    /// reviewer could take it (nobody else may review, so silence would accept it).
    Operator,
}

impl ReviewRoute {
    /// Whether a human reviewer (rather than the client or the operator) decides.
    pub fn is_human(self) -> bool {
        matches!(self, ReviewRoute::HumanLowConfidence | ReviewRoute::HumanSampled)
    }
}

/// One criterion that failed verification, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct FailedCriterion {
    /// Criterion name.
    pub criterion: String,
    /// What was wrong.
    pub reason: String,
}

/// Where a task's escrow went. `to_agent + fee + refund` equals the escrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Settlement {
    /// The task.
    pub task: TaskId,
    /// Net to the agent.
    pub to_agent: Money,
    /// To the platform.
    pub fee: Money,
    /// Back to the client.
    pub refund: Money,
}

/// How a task that an agent delivered ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A reviewer accepted it.
    Accepted,
    /// The review window passed in silence.
    AutoAccepted,
    /// Rejected, and not disputed in time.
    Rejected,
    /// Disputed; the agent was paid in full.
    DisputePaid,
    /// Disputed; the client was refunded.
    DisputeRefunded,
    /// Disputed; the money was split.
    DisputeSplit,
}

impl Verdict {
    /// Whether the agent was paid something.
    pub fn paid(self) -> bool {
        !matches!(self, Verdict::Rejected | Verdict::DisputeRefunded)
    }
}

/// The record of a settled task that reputation consumes: who, what category, how the work went
/// against the deadlines and the criteria.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Outcome {
    /// The task.
    pub task: TaskId,
    /// The agent who delivered.
    pub agent: AgentId,
    /// The client who paid (or was refunded).
    pub client: ClientId,
    /// The task's category.
    pub category: CategoryId,
    /// How it ended.
    pub verdict: Verdict,
    /// The agreed price.
    pub price: Money,
    /// Lease time the agent was allowed per round.
    pub allowed_ms: DurationMs,
    /// Time the agent actually worked, clock paused during clarifications, over all rounds.
    pub worked_ms: DurationMs,
    /// Submissions made (each verified).
    pub verification_attempts: u32,
    /// Criteria in the specification.
    pub criteria_total: u32,
    /// Criteria that failed at least once, by name.
    pub failed_criteria: Vec<String>,
    /// Whether the first submission passed every criterion.
    pub first_attempt_passed: bool,
    /// Whether the final self-check agreed with verification.
    pub self_check_agreed: bool,
    /// Confidence the agent reported on its final submission.
    pub confidence_bps: Bps,
    /// Revision rounds requested.
    pub revisions: u8,
    /// Clarification rounds asked.
    pub clarifications: u8,
    /// Time the client (or reviewer) took from verification to the decision, if one was made.
    pub review_latency_ms: Option<DurationMs>,
    /// Whether the market chose the agent (see `TaskClaimed.matched`); absent in older logs
    /// and snapshots, where it reads as chosen.
    #[serde(default = "crate::event::yes")]
    pub matched: bool,
}

/// serde's default for flags that older snapshots and logs lack and that were true then.
pub(crate) fn yes() -> bool {
    true
}

impl EventKind {
    /// The event's name, as its JSON `type`.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::RequestRecorded { .. } => "RequestRecorded",
            EventKind::ClientRegistered { .. } => "ClientRegistered",
            EventKind::AgentRegistered { .. } => "AgentRegistered",
            EventKind::ReviewerRegistered { .. } => "ReviewerRegistered",
            EventKind::AgentProfileUpdated { .. } => "AgentProfileUpdated",
            EventKind::FundsDeposited { .. } => "FundsDeposited",
            EventKind::FundsWithdrawn { .. } => "FundsWithdrawn",
            EventKind::FeeSet { .. } => "FeeSet",
            EventKind::TaskPosted { .. } => "TaskPosted",
            EventKind::TaskCancelled { .. } => "TaskCancelled",
            EventKind::TaskExpired { .. } => "TaskExpired",
            EventKind::ClaimQueued { .. } => "ClaimQueued",
            EventKind::ClaimLost { .. } => "ClaimLost",
            EventKind::BidPlaced { .. } => "BidPlaced",
            EventKind::BidWithdrawn { .. } => "BidWithdrawn",
            EventKind::BidEvicted { .. } => "BidEvicted",
            EventKind::TaskClaimed { .. } => "TaskClaimed",
            EventKind::TaskReturned { .. } => "TaskReturned",
            EventKind::TaskAbandoned { .. } => "TaskAbandoned",
            EventKind::ClarificationRequested { .. } => "ClarificationRequested",
            EventKind::ClarificationAnswered { .. } => "ClarificationAnswered",
            EventKind::WorkSubmitted { .. } => "WorkSubmitted",
            EventKind::VerificationFailed { .. } => "VerificationFailed",
            EventKind::VerificationPassed { .. } => "VerificationPassed",
            EventKind::RevisionRequested { .. } => "RevisionRequested",
            EventKind::WorkAccepted { .. } => "WorkAccepted",
            EventKind::WorkRejected { .. } => "WorkRejected",
            EventKind::DisputeOpened { .. } => "DisputeOpened",
            EventKind::DisputeResolved { .. } => "DisputeResolved",
            EventKind::TaskSettled { .. } => "TaskSettled",
            EventKind::TaskRated { .. } => "TaskRated",
            EventKind::AgentsRanked { .. } => "AgentsRanked",
            EventKind::BatchAssigned { .. } => "BatchAssigned",
            EventKind::PartySuspended { .. } => "PartySuspended",
            EventKind::PartyReinstated { .. } => "PartyReinstated",
            EventKind::PartyClosed { .. } => "PartyClosed",
            EventKind::ClientVerified { .. } => "ClientVerified",
            EventKind::EstablishmentImported { .. } => "EstablishmentImported",
        }
    }
}
