//! Why a command was refused. A rejection leaves the market exactly as it was.

use crate::actor::Role;
use crate::ids::{AgentId, CategoryId, ClientId, Money, ReviewerId, TaskId, Timestamp};
use crate::party::PartyRef;
use serde::Serialize;

/// A refused command. Each variant says when it occurs; its `code` is stable across releases
/// and is what JavaScript sees as `MarketError.code`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Rejection {
    /// The command's instant is earlier than the last fact the market recorded.
    #[error("time went backwards: {now} is before the market's last event at {last}")]
    TimeWentBackwards {
        /// The instant given.
        now: Timestamp,
        /// The market's last recorded instant.
        last: Timestamp,
    },
    /// A time, amount or count beyond what the engine accepts (JS's safe-integer range or a limit).
    #[error("{what} out of range: {reason}")]
    OutOfRange {
        /// What was out of range.
        what: String,
        /// The rule it broke.
        reason: String,
    },
    /// A list or text longer than the engine's limits (see `limits`).
    #[error("{what} too large: at most {limit}")]
    TooLarge {
        /// What was too large.
        what: String,
        /// The limit.
        limit: u64,
    },
    /// The client id names no registered client.
    #[error("unknown client {client}")]
    UnknownClient {
        /// The id given.
        client: ClientId,
    },
    /// The agent id names no registered agent.
    #[error("unknown agent {agent}")]
    UnknownAgent {
        /// The id given.
        agent: AgentId,
    },
    /// The reviewer id names no registered reviewer.
    #[error("unknown reviewer {reviewer}")]
    UnknownReviewer {
        /// The id given.
        reviewer: ReviewerId,
    },
    /// The category id names no category (a query by category id; categories are created by
    /// the first task posted in them).
    #[error("unknown category {category}")]
    UnknownCategory {
        /// The id given.
        category: CategoryId,
    },
    /// The task id names no posted task.
    #[error("unknown task {task}")]
    UnknownTask {
        /// The id given.
        task: TaskId,
    },
    /// The command is not one this role may issue at all (e.g. an agent posting a task).
    #[error("a {role} may not {action}")]
    WrongRole {
        /// The actor's role.
        role: Role,
        /// What was attempted.
        action: String,
    },
    /// The actor has the right role but not for this task (another client's task, a task the
    /// agent does not hold, a reviewer on work not routed to human review).
    #[error("not authorised to {action} on {task}: {reason}")]
    NotAuthorized {
        /// The task.
        task: TaskId,
        /// What was attempted.
        action: String,
        /// Why not.
        reason: String,
    },
    /// The task is in a state where the command does not apply.
    #[error("cannot {action} {task} while it is {state}")]
    InvalidState {
        /// The task.
        task: TaskId,
        /// Its state's name: the `state` of its `TaskStatus`.
        #[cfg_attr(feature = "ts", tsify(type = "TaskStatus[\"state\"]"))]
        state: String,
        /// What was attempted.
        action: String,
    },
    /// A deadline for this action has passed (run `tick` to let the market act on it).
    #[error("too late to {action} {task}: the deadline was {deadline}")]
    DeadlinePassed {
        /// The task.
        task: TaskId,
        /// What was attempted.
        action: String,
        /// The deadline.
        deadline: Timestamp,
    },
    /// The specification is malformed.
    #[error("invalid task specification at {field}: {reason}")]
    InvalidSpec {
        /// Path of the offending field, e.g. `acceptance.criteria[1].check.field`.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The spec hash the agent claimed against is not the task's.
    #[error("spec hash mismatch on {task}: task is pinned to {expected}, claim named {given}")]
    SpecHashMismatch {
        /// The task.
        task: TaskId,
        /// Its pinned hash.
        expected: String,
        /// The hash given.
        given: String,
    },
    /// The agent fails one or more eligibility gates; each reason is readable.
    #[error("{agent} is not eligible for {task}: {}", reasons.join("; "))]
    NotEligible {
        /// The task.
        task: TaskId,
        /// The agent.
        agent: AgentId,
        /// One explanation per failed gate.
        reasons: Vec<String>,
    },
    /// The agent already holds as many tasks as its capacity.
    #[error("{agent} is at capacity ({capacity} tasks)")]
    AtCapacity {
        /// The agent.
        agent: AgentId,
        /// Its capacity.
        capacity: u32,
    },
    /// The balance does not cover the amount.
    #[error("insufficient funds: {available} available, {needed} needed")]
    InsufficientFunds {
        /// What the account holds.
        available: Money,
        /// What the command needs.
        needed: Money,
    },
    /// Claiming a bid task, or bidding on a fixed-price task.
    #[error("{task} is priced by {pricing}: {hint}")]
    WrongPricingMode {
        /// The task.
        task: TaskId,
        /// Its pricing mode.
        pricing: String,
        /// What to do instead.
        hint: String,
    },
    /// A bid above the task's ceiling.
    #[error("bid {price} is above the ceiling {ceiling}")]
    BidAboveCeiling {
        /// The bid.
        price: Money,
        /// The ceiling.
        ceiling: Money,
    },
    /// No open bid by that agent on that task.
    #[error("no open bid by {agent} on {task}")]
    NoSuchBid {
        /// The task.
        task: TaskId,
        /// The agent.
        agent: AgentId,
    },
    /// The agent already has an open bid or queued claim on the task.
    #[error("{agent} already has a bid or claim waiting on {task}")]
    AlreadyWaiting {
        /// The task.
        task: TaskId,
        /// The agent.
        agent: AgentId,
    },
    /// The clarification rounds the specification allows are used up.
    #[error("clarification limit reached on {task} ({limit} rounds)")]
    ClarificationLimit {
        /// The task.
        task: TaskId,
        /// The cap.
        limit: u8,
    },
    /// The revision rounds the review policy allows are used up: accept or reject instead.
    #[error("revision limit reached on {task} ({limit} rounds)")]
    RevisionLimit {
        /// The task.
        task: TaskId,
        /// The cap.
        limit: u8,
    },
    /// A rejection must cite at least one acceptance criterion, each of them real.
    #[error("rejection of {task} must cite its failed criteria: {reason}")]
    CriteriaNotCited {
        /// The task.
        task: TaskId,
        /// What is wrong with the citation.
        reason: String,
    },
    /// The task was already rated, or is not a paid, settled task.
    #[error("{task} cannot be rated: {reason}")]
    NotRateable {
        /// The task.
        task: TaskId,
        /// Why.
        reason: String,
    },
    /// A party may not act on its own work or its own organisation's (self-dealing).
    #[error("conflict of interest: {reason}")]
    ConflictOfInterest {
        /// Why.
        reason: String,
    },
    /// A list that must name each item once names one twice (e.g. the same task twice in
    /// `AssignTasks`).
    #[error("{what} lists {item} twice")]
    DuplicateItem {
        /// Which list.
        what: String,
        /// The repeated item.
        item: String,
    },
    /// The acting client or agent is suspended: it may not act (not even withdraw: its funds
    /// are frozen) until the operator reinstates it.
    #[error("{party} is suspended since {since} ({reason}) and may not act until reinstated")]
    Suspended {
        /// The party.
        party: PartyRef,
        /// Since when.
        since: Timestamp,
        /// The operator's reason.
        reason: String,
    },
    /// The acting client or agent is closed: it may only withdraw its balance.
    #[error("{party} was closed at {at} ({reason}); it may only withdraw its balance")]
    Closed {
        /// The party.
        party: PartyRef,
        /// When it was closed.
        at: Timestamp,
        /// The operator's reason.
        reason: String,
    },
    /// A moderation command that does not apply to the party's standing: suspending a party
    /// that is not active, reinstating one that is not suspended (a closed party stays closed),
    /// closing one that is closed.
    #[error("cannot {action} {party} while it is {standing}")]
    InvalidStanding {
        /// The party.
        party: PartyRef,
        /// Its standing's name (`Active`, `Suspended`, `Closed`).
        #[cfg_attr(feature = "ts", tsify(type = "Standing[\"state\"]"))]
        standing: String,
        /// What was attempted.
        action: String,
    },
    /// The request id was used before by this actor for a different command.
    #[error("request id {request_id:?} was already used for a different command")]
    RequestIdReused {
        /// The request id.
        request_id: String,
    },
}

impl Rejection {
    /// The stable machine-readable code, e.g. `"insufficient_funds"`.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::TimeWentBackwards { .. } => "time_went_backwards",
            Rejection::OutOfRange { .. } => "out_of_range",
            Rejection::TooLarge { .. } => "too_large",
            Rejection::UnknownClient { .. } => "unknown_client",
            Rejection::UnknownAgent { .. } => "unknown_agent",
            Rejection::UnknownReviewer { .. } => "unknown_reviewer",
            Rejection::UnknownCategory { .. } => "unknown_category",
            Rejection::UnknownTask { .. } => "unknown_task",
            Rejection::WrongRole { .. } => "wrong_role",
            Rejection::NotAuthorized { .. } => "not_authorized",
            Rejection::InvalidState { .. } => "invalid_state",
            Rejection::DeadlinePassed { .. } => "deadline_passed",
            Rejection::InvalidSpec { .. } => "invalid_spec",
            Rejection::SpecHashMismatch { .. } => "spec_hash_mismatch",
            Rejection::NotEligible { .. } => "not_eligible",
            Rejection::AtCapacity { .. } => "at_capacity",
            Rejection::InsufficientFunds { .. } => "insufficient_funds",
            Rejection::WrongPricingMode { .. } => "wrong_pricing_mode",
            Rejection::BidAboveCeiling { .. } => "bid_above_ceiling",
            Rejection::NoSuchBid { .. } => "no_such_bid",
            Rejection::AlreadyWaiting { .. } => "already_waiting",
            Rejection::ClarificationLimit { .. } => "clarification_limit",
            Rejection::RevisionLimit { .. } => "revision_limit",
            Rejection::CriteriaNotCited { .. } => "criteria_not_cited",
            Rejection::NotRateable { .. } => "not_rateable",
            Rejection::ConflictOfInterest { .. } => "conflict_of_interest",
            Rejection::DuplicateItem { .. } => "duplicate_item",
            Rejection::RequestIdReused { .. } => "request_id_reused",
            Rejection::Suspended { .. } => "suspended",
            Rejection::Closed { .. } => "closed",
            Rejection::InvalidStanding { .. } => "invalid_standing",
        }
    }

    pub(crate) fn too_large(what: &str, limit: usize) -> Rejection {
        Rejection::TooLarge { what: what.to_owned(), limit: limit as u64 }
    }

    pub(crate) fn out_of_range(what: &str, reason: impl Into<String>) -> Rejection {
        Rejection::OutOfRange { what: what.to_owned(), reason: reason.into() }
    }

    pub(crate) fn spec(field: impl Into<String>, reason: impl Into<String>) -> Rejection {
        Rejection::InvalidSpec { field: field.into(), reason: reason.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_matches_serialized_tag() {
        let samples = [
            Rejection::TimeWentBackwards { now: 1, last: 2 },
            Rejection::InsufficientFunds { available: 1, needed: 2 },
            Rejection::RequestIdReused { request_id: "r".into() },
            Rejection::UnknownCategory { category: CategoryId(3) },
            Rejection::DuplicateItem { what: "tasks".into(), item: "task 1".into() },
            Rejection::NotEligible { task: TaskId(1), agent: AgentId(2), reasons: vec!["x".into()] },
            Rejection::Suspended { party: PartyRef::Agent { id: AgentId(1) }, since: 3, reason: "r".into() },
            Rejection::Closed { party: PartyRef::Client { id: ClientId(1) }, at: 3, reason: "r".into() },
            Rejection::InvalidStanding {
                party: PartyRef::Client { id: ClientId(1) },
                standing: "Closed".into(),
                action: "reinstate".into(),
            },
        ];
        for r in samples {
            let json = serde_json::to_value(&r).unwrap();
            assert_eq!(json["code"], r.code(), "{r}");
        }
    }
}
