//! Deciding commands that move a task between open and held: post, cancel, claim, bid, award,
//! return.

use super::{validate, Market};
use crate::actor::Actor;
use crate::command::Command;
use crate::event::{ClaimRoute, EventKind, ReturnReason};
use crate::hash::Digest;
use crate::ids::{AgentId, CategoryId, ClientId, DurationMs, TaskId, Timestamp, MAX_SAFE};
use crate::limits::MAX_BIDS_PER_TASK;
use crate::matching::{eligibility_refusals, FitContext, Gate};
use crate::rejection::Rejection;
use crate::spec::{AwardPolicy, Pricing};
use crate::task::{Task, TaskStatus, Work};
use std::sync::Arc;

/// `now + span`, kept inside JavaScript's safe range.
pub(crate) fn later(now: Timestamp, span: DurationMs) -> Timestamp {
    now.saturating_add(span).min(MAX_SAFE)
}

impl Market {
    pub(super) fn task_ref(&self, task: TaskId) -> Result<&Task, Rejection> {
        self.tasks.get(task.index()).ok_or(Rejection::UnknownTask { task })
    }

    /// The task, if `actor` is the client who posted it.
    pub(super) fn own_task(&self, actor: Actor, task: TaskId, action: &str) -> Result<(&Task, ClientId), Rejection> {
        let Actor::Client { id } = actor else {
            return Err(Rejection::WrongRole { role: actor.role(), action: action.to_owned() });
        };
        let t = self.task_ref(task)?;
        if t.client != id {
            return Err(Rejection::NotAuthorized {
                task,
                action: action.to_owned(),
                reason: format!("{task} belongs to {}", t.client),
            });
        }
        Ok((t, id))
    }

    /// The task and the agent, if `actor` is an agent (the task need not be held by it).
    pub(super) fn agent_and_task(
        &self,
        actor: Actor,
        task: TaskId,
        action: &str,
    ) -> Result<(&Task, AgentId), Rejection> {
        let Actor::Agent { id } = actor else {
            return Err(Rejection::WrongRole { role: actor.role(), action: action.to_owned() });
        };
        Ok((self.task_ref(task)?, id))
    }

    /// The task and its hold, if `actor` is the agent holding it.
    pub(super) fn held_task(&self, actor: Actor, task: TaskId, action: &str) -> Result<(&Task, &Work), Rejection> {
        let (t, agent) = self.agent_and_task(actor, task, action)?;
        match t.status.work() {
            Some(work) if work.agent == agent => Ok((t, work)),
            _ => Err(Rejection::NotAuthorized {
                task,
                action: action.to_owned(),
                reason: format!("{agent} does not hold {task}"),
            }),
        }
    }

    pub(super) fn invalid_state(task: &Task, action: &str) -> Rejection {
        Rejection::InvalidState { task: task.id, state: task.status.name().to_owned(), action: action.to_owned() }
    }

    /// Eligibility and capacity of `agent` for `task` at `now`.
    pub(super) fn check_can_take(&self, task: &Task, agent: AgentId, now: Timestamp) -> Result<(), Rejection> {
        let a = &self.agents[agent.index()];
        let reasons = eligibility_refusals(self, task, a, now, Gate::Claim);
        if !reasons.is_empty() {
            return Err(Rejection::NotEligible { task: task.id, agent, reasons });
        }
        if a.active >= a.capacity {
            return Err(Rejection::AtCapacity { agent, capacity: a.capacity });
        }
        Ok(())
    }

    pub(super) fn decide_task(
        &self,
        now: Timestamp,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<EventKind>, Rejection> {
        match command {
            Command::PostTask { spec } => {
                let Actor::Client { id: client } = actor else {
                    return Err(Rejection::WrongRole { role: actor.role(), action: "post a task".into() });
                };
                validate::spec(&spec, now, &self.config.caps)?;
                let escrow = spec.pricing.escrow();
                validate::stored_bytes(&spec, escrow, self.clients[client.index()].live_bytes)?;
                let available = self.clients[client.index()].balance;
                if available < escrow {
                    return Err(Rejection::InsufficientFunds { available, needed: escrow });
                }
                let task = TaskId(
                    u32::try_from(self.tasks.len())
                        .map_err(|_| Rejection::out_of_range("task", "the market is full"))?,
                );
                let category = match self.category_id(&spec.category) {
                    Some(id) => id,
                    None => CategoryId(self.categories.len() as u32),
                };
                let spec_hash = Digest::of(&spec);
                Ok(vec![EventKind::TaskPosted {
                    task,
                    client,
                    category,
                    spec: Arc::new(spec),
                    spec_hash,
                    escrow,
                    fee_bps: self.fee_bps,
                }])
            }
            Command::CancelTask { task } => {
                let (t, _) = self.own_task(actor, task, "cancel")?;
                if !matches!(t.status, TaskStatus::Open { .. }) {
                    return Err(Self::invalid_state(t, "cancel"));
                }
                Ok(vec![EventKind::TaskCancelled { task, refund: t.escrow }])
            }
            Command::ClaimTask { task, spec_hash } => {
                let (t, agent) = self.agent_and_task(actor, task, "claim a task")?;
                if let Some(given) = spec_hash {
                    if given != t.spec_hash {
                        return Err(Rejection::SpecHashMismatch {
                            task,
                            expected: t.spec_hash.to_string(),
                            given: given.to_string(),
                        });
                    }
                }
                let TaskStatus::Open { queued, .. } = &t.status else {
                    return Err(Self::invalid_state(t, "claim"));
                };
                let Pricing::Fixed { .. } = t.spec.pricing else {
                    return Err(Rejection::WrongPricingMode {
                        task,
                        pricing: "bids".into(),
                        hint: "place a bid instead of claiming".into(),
                    });
                };
                self.before(t, now, t.spec.deadlines.claim_by, "claim")?;
                if queued.contains(&agent) {
                    return Err(Rejection::AlreadyWaiting { task, agent });
                }
                self.check_can_take(t, agent, now)?;
                let window_open = t.window_closes_at().is_some_and(|closes| now < closes);
                if window_open || !queued.is_empty() {
                    let window_closes_at = t.window_closes_at().unwrap_or(now);
                    return Ok(vec![EventKind::ClaimQueued { task, agent, window_closes_at }]);
                }
                let lease_due = later(now, t.spec.deadlines.lease_ms);
                // Exploration decided this claim if the task's latest ranking put this agent on
                // top by its bonus: that hold already has its place in the budget.
                let exploring = self.fairness.exploration_hold(task) == Some(agent);
                let tier = self.tier_of(agent);
                Ok(vec![EventKind::TaskClaimed {
                    task,
                    agent,
                    price: t.spec.pricing.offered(tier),
                    lease_due,
                    via: ClaimRoute::Claim,
                    exploring,
                    // The market chose this agent if its latest ranking shortlisted it, among
                    // agents the spec's skills did not narrow to the client's pick.
                    matched: t.shortlist.contains(&agent) && self.gates_leave_a_choice(t),
                    premium: t.spec.pricing.premium(tier),
                }])
            }
            Command::PlaceBid { task, price, eta_ms } => {
                let (t, agent) = self.agent_and_task(actor, task, "bid")?;
                let TaskStatus::Open { bids, .. } = &t.status else {
                    return Err(Self::invalid_state(t, "bid on"));
                };
                let Pricing::Bids { ceiling, bidding_closes_at, .. } = t.spec.pricing else {
                    return Err(Rejection::WrongPricingMode {
                        task,
                        pricing: "a fixed reward".into(),
                        hint: "claim it instead of bidding".into(),
                    });
                };
                self.before(t, now, bidding_closes_at, "bid on")?;
                validate::amount("price", price)?;
                if price > ceiling {
                    return Err(Rejection::BidAboveCeiling { price, ceiling });
                }
                if eta_ms == 0 || eta_ms > MAX_SAFE {
                    return Err(Rejection::out_of_range("eta_ms", "1 to 2^53 - 1"));
                }
                let a = &self.agents[agent.index()];
                let reasons = eligibility_refusals(self, t, a, now, Gate::Claim);
                if !reasons.is_empty() {
                    return Err(Rejection::NotEligible { task, agent, reasons });
                }
                let own = bids.iter().find(|b| b.agent == agent);
                if own.is_some_and(|old| price > old.price || eta_ms > old.eta_ms) {
                    // Raising a binding bid would take part of it back: near the close a bidder
                    // may improve its bid, not worsen it, as it may not withdraw it.
                    let binding_from = self.bids_bind_from(t, bidding_closes_at);
                    self.before(t, now, binding_from, "raise a bid (bids bind near the close)")?;
                }
                let mut events = Vec::with_capacity(2);
                if bids.len() >= MAX_BIDS_PER_TASK && own.is_none() {
                    // A full list cannot starve the task: a better bid pushes out the worst.
                    match self.worst_bid(bids) {
                        Some((worst, adjusted)) if self.adjusted_price(agent, price) < adjusted => {
                            events.push(EventKind::BidEvicted { task, agent: worst, by: agent });
                        }
                        _ => return Err(Rejection::too_large("bids on one task", MAX_BIDS_PER_TASK)),
                    }
                }
                events.push(EventKind::BidPlaced { task, agent, price, eta_ms });
                Ok(events)
            }
            Command::WithdrawBid { task } => {
                let (t, agent) = self.agent_and_task(actor, task, "withdraw a bid")?;
                let TaskStatus::Open { bids, .. } = &t.status else {
                    return Err(Self::invalid_state(t, "withdraw a bid from"));
                };
                // Bids are binding once bidding closes: the client (or the award policy) chooses
                // among the bids as they stood at the close.
                if let Pricing::Bids { bidding_closes_at, .. } = t.spec.pricing {
                    self.before(t, now, bidding_closes_at, "withdraw a bid from")?;
                }
                if !bids.iter().any(|b| b.agent == agent) {
                    return Err(Rejection::NoSuchBid { task, agent });
                }
                if let Pricing::Bids { bidding_closes_at, .. } = t.spec.pricing {
                    let binding_from = self.bids_bind_from(t, bidding_closes_at);
                    self.before(t, now, binding_from, "withdraw a bid (bids bind near the close)")?;
                }
                Ok(vec![EventKind::BidWithdrawn { task, agent }])
            }
            Command::AwardBid { task, agent } => {
                let (t, _) = self.own_task(actor, task, "award a bid")?;
                if agent.index() >= self.agents.len() {
                    return Err(Rejection::UnknownAgent { agent });
                }
                let TaskStatus::Open { bids, .. } = &t.status else {
                    return Err(Self::invalid_state(t, "award"));
                };
                self.before(t, now, t.spec.deadlines.claim_by, "award")?;
                let bid = bids.iter().find(|b| b.agent == agent).ok_or(Rejection::NoSuchBid { task, agent })?;
                self.check_can_take(t, agent, now)?;
                let lease_due = later(now, t.spec.deadlines.lease_ms);
                // The market chose this agent if its bid is the one the best-value policy would
                // award on records alone; another bid is the client's pick.
                let best = self.best_bid(t, bids, AwardPolicy::BestValue, now, &FitContext::exploiting(self, t));
                let matched = best.is_some_and(|b| b.agent == agent) && self.gates_leave_a_choice(t);
                Ok(vec![EventKind::TaskClaimed {
                    task,
                    agent,
                    price: bid.price,
                    lease_due,
                    via: ClaimRoute::Award,
                    exploring: false,
                    matched,
                    premium: None,
                }])
            }
            Command::ReturnTask { task } => {
                let (t, work) = self.held_task(actor, task, "return")?;
                if !matches!(t.status, TaskStatus::Claimed { .. } | TaskStatus::InputRequired { .. }) {
                    return Err(Self::invalid_state(t, "return"));
                }
                // Lease time used in the current round; the clock stands still during a question.
                let left = match t.status {
                    TaskStatus::InputRequired { .. } => work.lease_left_ms,
                    _ => work.lease_due.saturating_sub(now),
                };
                let lease = t.spec.deadlines.lease_ms;
                let used = lease.saturating_sub(left);
                let late_bps = self.config.late_return_bps.min(crate::ids::FULL_BPS);
                let late = u128::from(used) * 10_000 > u128::from(lease) * u128::from(late_bps);
                let reason = if late { ReturnReason::ReleasedLate } else { ReturnReason::Released };
                let mut events = vec![EventKind::TaskReturned { task, agent: work.agent, reason }];
                events.extend(self.reopened(t, now, false));
                Ok(events)
            }
            other => unreachable!("decide_task got {}", other.name()),
        }
    }

    /// The worst bid on a task and its tier-adjusted price: the highest, and of equals the later
    /// (bids are kept in the order placed).
    fn worst_bid(&self, bids: &[crate::task::Bid]) -> Option<(AgentId, u128)> {
        bids.iter().map(|b| (b.agent, self.adjusted_price(b.agent, b.price))).fold(None, |worst, (agent, adjusted)| {
            match worst {
                Some((_, w)) if adjusted < w => worst,
                _ => Some((agent, adjusted)),
            }
        })
    }

    /// When a bid task's bids become binding: the final `binding_bids_bps` of its bidding window.
    /// Bids bind there so that bidders cannot crowd a task and all leave (or raise their prices)
    /// just before it closes.
    fn bids_bind_from(&self, t: &Task, bidding_closes_at: Timestamp) -> Timestamp {
        let window = bidding_closes_at.saturating_sub(t.posted_at);
        let share = u64::from(self.config.binding_bids_bps.min(crate::ids::FULL_BPS));
        bidding_closes_at - (u128::from(window) * u128::from(share) / 10_000) as u64
    }

    /// Refuse when `now` is at or past a deadline.
    pub(super) fn before(&self, t: &Task, now: Timestamp, deadline: Timestamp, action: &str) -> Result<(), Rejection> {
        if now >= deadline {
            return Err(Rejection::DeadlinePassed { task: t.id, action: action.to_owned(), deadline });
        }
        Ok(())
    }
}
