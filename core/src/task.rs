//! A task's record and its lifecycle state. Each state carries only the data that exists in it
//! (in the manner of rustls's per-state structs), so "a claimed task without a holder" cannot be
//! written down.

use crate::event::{ReviewRoute, Verdict};
use crate::hash::Digest;
use crate::ids::{AgentId, Bps, CategoryId, ClientId, DurationMs, Money, TaskId, Timestamp};
use crate::output::Submission;
use crate::spec::{Pricing, TaskSpec, TierPremium};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A posted task. A finished task's specification is archived (only its title, category and
/// pricing kept): snapshots hold state, not history.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Task {
    /// Its id.
    pub id: TaskId,
    /// Who posted it.
    pub client: ClientId,
    /// Its category, interned.
    pub category: CategoryId,
    /// The specification as posted (immutable).
    pub spec: Arc<TaskSpec>,
    /// The content hash pinning the specification.
    pub spec_hash: Digest,
    /// When it was posted.
    pub posted_at: Timestamp,
    /// Money held in escrow for it (reward or ceiling; zero once settled or refunded).
    pub escrow: Money,
    /// The platform fee pinned at posting.
    pub fee_bps: Bps,
    /// Where it is in its lifecycle.
    pub status: TaskStatus,
    /// Agents that gave this task up (returned it, or let the lease run out), oldest first, at
    /// most 64: none of them may take it again, so a holder cannot keep a task from being worked
    /// by claiming and returning it over and over. Absent in older snapshots.
    #[serde(default)]
    pub dropped_by: Vec<AgentId>,
    /// While open, the first three agents (`SHORTLIST`) of its latest `RankAgents`: the market's choice,
    /// so a claim by one of them is `matched`. Empty until ranked, and again once taken. Absent
    /// in older snapshots.
    #[serde(default)]
    pub shortlist: Vec<AgentId>,
}

/// How many of a ranking's first entries the market counts as its choice for a claim. A client
/// that shows its task to a shortlist and lets one of them take it let the market choose; one
/// that ranks a hundred agents and lets the hundredth claim did not.
pub const SHORTLIST: usize = 3;

/// Most agents a task remembers in [`Task::dropped_by`] (the oldest is forgotten beyond it).
pub const MAX_DROPPED: usize = 64;

impl Serialize for Task {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// The stored shape: the same fields, the specification archived once the task is done.
        /// Archiving here rather than in `evolve` keeps the work (and the freeing of the full
        /// specification) off the command path.
        #[derive(Serialize)]
        struct Stored<'a> {
            id: TaskId,
            client: ClientId,
            category: CategoryId,
            spec: std::borrow::Cow<'a, TaskSpec>,
            spec_hash: Digest,
            posted_at: Timestamp,
            escrow: Money,
            fee_bps: Bps,
            status: &'a TaskStatus,
            #[serde(skip_serializing_if = "<[AgentId]>::is_empty")]
            dropped_by: &'a [AgentId],
            #[serde(skip_serializing_if = "<[AgentId]>::is_empty")]
            shortlist: &'a [AgentId],
        }
        Stored {
            id: self.id,
            client: self.client,
            category: self.category,
            spec: self.stored_spec(),
            spec_hash: self.spec_hash,
            posted_at: self.posted_at,
            escrow: self.escrow,
            fee_bps: self.fee_bps,
            status: &self.status,
            // Who may not take it again matters only while it can be taken.
            dropped_by: if self.status.is_terminal() { &[] } else { &self.dropped_by },
            shortlist: if matches!(self.status, TaskStatus::Open { .. }) { &self.shortlist } else { &[] },
        }
        .serialize(serializer)
    }
}

impl Task {
    /// Remember that `agent` gave this task up (see [`Task::dropped_by`]).
    pub(crate) fn note_dropped(&mut self, agent: AgentId) {
        if !self.dropped_by.contains(&agent) {
            if self.dropped_by.len() >= MAX_DROPPED {
                self.dropped_by.remove(0);
            }
            self.dropped_by.push(agent);
        }
    }

    /// The specification as snapshots and views show it: archived once the task is done.
    pub fn stored_spec(&self) -> std::borrow::Cow<'_, TaskSpec> {
        if self.status.is_terminal() {
            std::borrow::Cow::Owned(self.spec.archived())
        } else {
            std::borrow::Cow::Borrowed(&*self.spec)
        }
    }
}

/// A bid waiting on an open task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Bid {
    /// The bidder.
    pub agent: AgentId,
    /// Price.
    pub price: Money,
    /// Promised time to submit.
    pub eta_ms: DurationMs,
    /// When placed (ties go to the earlier bid).
    pub placed_at: Timestamp,
}

/// One agent's hold on a task, from claim to settlement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Work {
    /// The holder.
    pub agent: AgentId,
    /// Agreed price.
    pub price: Money,
    /// How a tier premium set `price`, on a task posted with one (omitted otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub premium: Option<TierPremium>,
    /// When it was claimed.
    pub claimed_at: Timestamp,
    /// When the current lease runs out (meaningful while the clock runs).
    pub lease_due: Timestamp,
    /// Lease time left when the clock paused for a question.
    pub lease_left_ms: DurationMs,
    /// Time worked in earlier stretches of the clock.
    pub worked_ms: DurationMs,
    /// When the current stretch of the clock started.
    pub stretch_started: Timestamp,
    /// Clarification rounds asked.
    pub clarifications: u8,
    /// Revision rounds requested.
    pub revisions: u8,
    /// Submissions verified.
    pub verification_attempts: u32,
    /// Criteria failed at least once, sorted by name, no repeats.
    pub failed_criteria: Vec<String>,
    /// Whether the first submission passed.
    pub first_attempt_passed: Option<bool>,
    /// Whether the latest self-check agreed with verification.
    pub self_check_agreed: bool,
    /// Whether the market chose this agent (see `TaskClaimed.matched`). Absent in older
    /// snapshots, where it reads as chosen.
    #[serde(default = "crate::event::yes")]
    pub matched: bool,
    /// Whether exploration decided the claim (see `TaskClaimed.exploring`): a trial, not the
    /// market's choice on evidence, so it measures nobody for a skill gate (`skill_gates.rs`).
    /// Absent in older snapshots and omitted when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub exploring: bool,
}

/// Where a task is in its lifecycle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "state")]
pub enum TaskStatus {
    /// Waiting for an agent: claims (queued during a priority window) or bids.
    Open {
        /// Bids, in the order placed (bid-priced tasks).
        bids: Vec<Bid>,
        /// Claims waiting for priority-window arbitration, in the order made.
        queued: Vec<AgentId>,
    },
    /// An agent holds it and the lease clock runs.
    Claimed {
        /// The hold.
        work: Work,
    },
    /// The holder asked a question; the clock is paused.
    InputRequired {
        /// The hold.
        work: Work,
        /// The open question.
        question: String,
        /// When the agent is freed if nobody answers.
        answer_due: Timestamp,
    },
    /// Work handed in, being verified (lasts only between the two events of one `SubmitWork`).
    Submitted {
        /// The hold.
        work: Work,
        /// What was handed in.
        submission: Arc<Submission>,
    },
    /// Verified work waiting for a decision.
    UnderReview {
        /// The hold.
        work: Work,
        /// What was handed in.
        submission: Arc<Submission>,
        /// Who decides.
        route: ReviewRoute,
        /// When verification passed.
        verified_at: Timestamp,
        /// When silence accepts it.
        review_due: Timestamp,
    },
    /// Rejected; the agent may dispute until `dispute_by`.
    Rejected {
        /// The hold.
        work: Work,
        /// What was handed in.
        submission: Arc<Submission>,
        /// The cited criteria.
        failed_criteria: Vec<String>,
        /// When the review decision came, for the client's review latency.
        review_latency_ms: DurationMs,
        /// End of the dispute window.
        dispute_by: Timestamp,
    },
    /// The agent disputes the rejection; the operator decides.
    Disputed {
        /// The hold.
        work: Work,
        /// What was handed in.
        submission: Arc<Submission>,
        /// When the review decision came.
        review_latency_ms: DurationMs,
        /// If the operator is silent until then, the agent is paid.
        resolve_by: Timestamp,
    },
    /// Closed with money moved: paid, refunded or split.
    Settled {
        /// Who delivered.
        agent: AgentId,
        /// How it ended.
        verdict: Verdict,
        /// Whether the work passed verification at the first attempt and was accepted: what a
        /// rating is checked against.
        verified: bool,
        /// Whether the client has rated it.
        rated: bool,
        /// Whether the market chose the agent, which decides what the rating counts (see
        /// `TaskClaimed.matched`). Absent in older snapshots, where it reads as chosen.
        #[serde(default = "crate::event::yes")]
        matched: bool,
    },
    /// Cancelled by the client before anyone held it.
    Cancelled,
    /// Nobody took it by its claim-by time.
    Expired,
}

impl TaskStatus {
    /// The state's name, as its JSON `state`.
    pub fn name(&self) -> &'static str {
        match self {
            TaskStatus::Open { .. } => "Open",
            TaskStatus::Claimed { .. } => "Claimed",
            TaskStatus::InputRequired { .. } => "InputRequired",
            TaskStatus::Submitted { .. } => "Submitted",
            TaskStatus::UnderReview { .. } => "UnderReview",
            TaskStatus::Rejected { .. } => "Rejected",
            TaskStatus::Disputed { .. } => "Disputed",
            TaskStatus::Settled { .. } => "Settled",
            TaskStatus::Cancelled => "Cancelled",
            TaskStatus::Expired => "Expired",
        }
    }

    /// The hold, in every state that has one.
    pub fn work(&self) -> Option<&Work> {
        match self {
            TaskStatus::Claimed { work }
            | TaskStatus::InputRequired { work, .. }
            | TaskStatus::Submitted { work, .. }
            | TaskStatus::UnderReview { work, .. }
            | TaskStatus::Rejected { work, .. }
            | TaskStatus::Disputed { work, .. } => Some(work),
            _ => None,
        }
    }

    /// Whether the holder is working on it now (the lease clock may be paused for a question).
    pub fn in_progress(&self) -> bool {
        matches!(self, TaskStatus::Claimed { .. } | TaskStatus::InputRequired { .. } | TaskStatus::Submitted { .. })
    }

    /// Whether the task has reached a final state.
    pub fn is_terminal(&self) -> bool {
        matches!(self, TaskStatus::Settled { .. } | TaskStatus::Cancelled | TaskStatus::Expired)
    }
}

impl Task {
    /// The agent currently holding the task, if any (claimed through dispute).
    pub fn holder(&self) -> Option<AgentId> {
        self.status.work().map(|w| w.agent)
    }

    /// The agent this task counts against the capacity of: its holder while the work is in
    /// progress, and while it is under review if a revision could still send it back (so that a
    /// revision never puts an agent over its capacity).
    pub fn occupying(&self) -> Option<AgentId> {
        match &self.status {
            TaskStatus::UnderReview { work, .. } => {
                (work.revisions < self.spec.review.max_revisions).then_some(work.agent)
            }
            status if status.in_progress() => self.holder(),
            _ => None,
        }
    }

    /// When the priority window closes, if the task has one.
    pub fn window_closes_at(&self) -> Option<Timestamp> {
        self.spec.priority_window.as_ref().map(|w| self.posted_at.saturating_add(w.duration_ms))
    }

    /// The tier the priority window still reserves the task for at `now`, if it is open.
    pub fn window_tier(&self, now: Timestamp) -> Option<crate::tier::Tier> {
        let window = self.spec.priority_window.as_ref()?;
        self.window_closes_at().filter(|closes| now < *closes).map(|_| window.tier)
    }

    /// The next instant at which time alone changes this task, if any. The market's deadline
    /// index is kept equal to this for every task.
    pub fn deadline(&self) -> Option<Timestamp> {
        match &self.status {
            TaskStatus::Open { queued, .. } => {
                let claim_by = self.spec.deadlines.claim_by;
                let arbitration = if queued.is_empty() { None } else { self.window_closes_at() };
                let auto_award = match &self.spec.pricing {
                    Pricing::Bids { award, bidding_closes_at, .. } if *award != crate::spec::AwardPolicy::Client => {
                        Some(*bidding_closes_at)
                    }
                    _ => None,
                };
                [Some(claim_by), arbitration, auto_award].into_iter().flatten().min()
            }
            TaskStatus::Claimed { work } => Some(work.lease_due),
            TaskStatus::InputRequired { answer_due, .. } => Some(*answer_due),
            TaskStatus::UnderReview { review_due, .. } => Some(*review_due),
            TaskStatus::Rejected { dispute_by, .. } => Some(*dispute_by),
            TaskStatus::Disputed { resolve_by, .. } => Some(*resolve_by),
            TaskStatus::Submitted { .. } | TaskStatus::Settled { .. } | TaskStatus::Cancelled | TaskStatus::Expired => {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dropped_by_doc_states_the_limit() {
        // `Task::dropped_by`'s doc (also in the TypeScript declarations) says "at most 64".
        assert_eq!(super::MAX_DROPPED, 64);
    }
}
