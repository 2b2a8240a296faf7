//! Deciding commands after verification: review, rating, disputes; and settlement, which every
//! ending that involves an agent goes through.

use super::tasks::later;
use super::{validate, Market};
use crate::actor::Actor;
use crate::command::{Command, Resolution, ReviewDecision};
use crate::event::{EventKind, Outcome, ReturnReason, ReviewRoute, Settlement, Verdict};
use crate::ids::{AgentId, DurationMs, Money, Timestamp, FULL_BPS};
use crate::limits::{MAX_ITEMS, MAX_TEXT_LEN};
use crate::rejection::Rejection;
use crate::task::{Task, TaskStatus, Work};
use crate::verify::has_criterion;

impl Market {
    pub(super) fn decide_review(
        &self,
        now: Timestamp,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<EventKind>, Rejection> {
        match command {
            Command::Review { task, decision } => {
                let t = self.task_ref(task)?;
                let route = match &t.status {
                    TaskStatus::UnderReview { route, .. } => Some(*route),
                    _ => None,
                };
                self.check_reviewer(t, actor, route)?;
                let TaskStatus::UnderReview { work, verified_at, review_due, .. } = &t.status else {
                    return Err(Self::invalid_state(t, "review"));
                };
                self.before(t, now, *review_due, "review")?;
                // Saturating: verification came before this review (time never goes back).
                let latency = now.saturating_sub(*verified_at);
                match decision {
                    ReviewDecision::Accept => {
                        let settled = settle(t, work, Verdict::Accepted, work.price, Some(latency));
                        Ok(vec![EventKind::WorkAccepted { task, by: Some(actor) }, settled])
                    }
                    ReviewDecision::RequestRevision { note } => {
                        let limit = t.spec.review.max_revisions;
                        if work.revisions >= limit {
                            return Err(Rejection::RevisionLimit { task, limit });
                        }
                        validate::required_text("note", &note, MAX_TEXT_LEN)?;
                        let mut events = vec![EventKind::RevisionRequested {
                            task,
                            by: actor,
                            note,
                            // Cannot overflow: `revisions < limit` was just checked.
                            round: work.revisions.saturating_add(1),
                            lease_due: later(now, t.spec.deadlines.lease_ms),
                        }];
                        // A suspended or closed holder cannot revise: the task goes back to open
                        // at once (no suspended agent holds work in progress).
                        if self.agents.get(work.agent.index()).is_some_and(|a| !a.standing.is_active()) {
                            let agent = work.agent;
                            events.push(EventKind::TaskReturned { task, agent, reason: ReturnReason::Moderated });
                            events.extend(self.reopened(t, now, true));
                        }
                        Ok(events)
                    }
                    ReviewDecision::Reject { failed_criteria, reason } => {
                        if failed_criteria.is_empty() {
                            return Err(Rejection::CriteriaNotCited { task, reason: "no criteria cited".into() });
                        }
                        validate::items("failed_criteria", failed_criteria.len(), MAX_ITEMS * 2 + 1)?;
                        if let Some(unknown) = failed_criteria.iter().find(|c| !has_criterion(&t.spec.acceptance, c)) {
                            return Err(Rejection::CriteriaNotCited {
                                task,
                                reason: format!("{unknown:?} is not a criterion of this task"),
                            });
                        }
                        validate::required_text("reason", &reason, MAX_TEXT_LEN)?;
                        let dispute_by = later(now, self.config.caps.dispute_span(self.config.dispute_window_ms));
                        Ok(vec![EventKind::WorkRejected { task, by: actor, failed_criteria, reason, dispute_by }])
                    }
                }
            }
            Command::RateTask { task, rating } => {
                let (t, client) = self.own_task(actor, task, "rate")?;
                let TaskStatus::Settled { agent, verdict, rated, .. } = t.status else {
                    return Err(Rejection::NotRateable { task, reason: format!("it is {}", t.status.name()) });
                };
                if !verdict.paid() {
                    return Err(Rejection::NotRateable { task, reason: "the agent was not paid".into() });
                }
                if rated {
                    return Err(Rejection::NotRateable { task, reason: "already rated".into() });
                }
                if rating.stars().iter().any(|s| !(1..=5).contains(s)) {
                    return Err(Rejection::out_of_range("rating", "stars run from 1 to 5"));
                }
                Ok(vec![EventKind::TaskRated { task, client, agent, rating }])
            }
            Command::OpenDispute { task, reason } => {
                let (t, work) = self.held_task(actor, task, "dispute")?;
                let TaskStatus::Rejected { dispute_by, .. } = t.status else {
                    return Err(Self::invalid_state(t, "dispute"));
                };
                self.before(t, now, dispute_by, "dispute")?;
                validate::required_text("reason", &reason, MAX_TEXT_LEN)?;
                let resolve_by = later(now, self.config.caps.dispute_span(self.config.dispute_resolution_ms));
                Ok(vec![EventKind::DisputeOpened { task, agent: work.agent, reason, resolve_by }])
            }
            Command::ResolveDispute { task, resolution } => {
                if actor != Actor::Operator {
                    return Err(Rejection::WrongRole { role: actor.role(), action: "resolve a dispute".into() });
                }
                let t = self.task_ref(task)?;
                let TaskStatus::Disputed { work, review_latency_ms, .. } = &t.status else {
                    return Err(Self::invalid_state(t, "resolve"));
                };
                let (verdict, gross) = resolution_terms(&resolution, work.price)?;
                Ok(vec![
                    EventKind::DisputeResolved { task, resolution, by: Some(actor) },
                    settle(t, work, verdict, gross, Some(*review_latency_ms)),
                ])
            }
            other => unreachable!("decide_review got {}", other.name()),
        }
    }

    /// Whether `actor` may review `t`: the client when the route is the client's, a reviewer
    /// without a conflict of interest when it is human, the operator when it is the operator's.
    /// `route` is `None` when the task is not under review (only the role is checked then).
    fn check_reviewer(&self, t: &Task, actor: Actor, route: Option<ReviewRoute>) -> Result<(), Rejection> {
        let refuse =
            |reason: &str| Rejection::NotAuthorized { task: t.id, action: "review".into(), reason: reason.into() };
        let routed = |to: &str| refuse(&format!("the work was routed to {to}"));
        let elsewhere = |route: ReviewRoute| match route {
            ReviewRoute::Client => routed("the client"),
            ReviewRoute::Operator => routed("the operator"),
            ReviewRoute::HumanLowConfidence | ReviewRoute::HumanSampled => routed("a human reviewer"),
        };
        match actor {
            Actor::Client { id } if id != t.client => Err(refuse(&format!("{} belongs to {}", t.id, t.client))),
            Actor::Client { .. } => match route {
                Some(r) if r != ReviewRoute::Client => Err(elsewhere(r)),
                _ => Ok(()),
            },
            Actor::Operator => match route {
                Some(r) if r != ReviewRoute::Operator => Err(elsewhere(r)),
                _ => Ok(()),
            },
            Actor::Reviewer { id } => {
                if let Some(r) = route.filter(|r| !r.is_human()) {
                    return Err(elsewhere(r));
                }
                let reviewer = &self.reviewers[id.index()];
                if t.holder().is_some_and(|agent| self.owner_conflict(t, agent, reviewer.owner_code)) {
                    return Err(Rejection::ConflictOfInterest {
                        reason: format!("{id} belongs to {}, a party to {}", reviewer.owner, t.id),
                    });
                }
                Ok(())
            }
            other => Err(Rejection::WrongRole { role: other.role(), action: "review".into() }),
        }
    }

    /// Whether a party with owner code `owner` shares an organisation with `t`'s client or with
    /// `agent` (compared by owner key, see [`crate::owner`]).
    pub(super) fn owner_conflict(&self, t: &Task, agent: AgentId, owner: u32) -> bool {
        self.clients[t.client.index()].owner_code == owner || self.agents[agent.index()].owner_code == owner
    }
}

/// The verdict and the agent's gross share for a dispute resolution.
pub(super) fn resolution_terms(resolution: &Resolution, price: Money) -> Result<(Verdict, Money), Rejection> {
    Ok(match resolution {
        Resolution::PayAgent => (Verdict::DisputePaid, price),
        Resolution::RefundClient => (Verdict::DisputeRefunded, 0),
        Resolution::Split { to_agent } => {
            if *to_agent > price {
                return Err(Rejection::out_of_range("to_agent", format!("at most the agreed price {price}")));
            }
            (Verdict::DisputeSplit, *to_agent)
        }
    })
}

/// The settlement event for `t`: `gross` to the agent less the pinned fee, the rest of the escrow
/// back to the client, and the outcome record reputation consumes.
pub(super) fn settle(
    t: &Task,
    work: &Work,
    verdict: Verdict,
    gross: Money,
    review_latency_ms: Option<DurationMs>,
) -> EventKind {
    let gross = gross.min(t.escrow);
    // The fee is at most the gross (a pinned fee is at most 100 %; the `min` keeps a doctored
    // snapshot's from making the payout negative), so the cast is exact and nothing underflows.
    let fee = (u128::from(gross) * u128::from(t.fee_bps) / u128::from(FULL_BPS)).min(u128::from(gross)) as Money;
    let settlement = Settlement { task: t.id, to_agent: gross - fee, fee, refund: t.escrow - gross };
    let confidence_bps = match &t.status {
        TaskStatus::UnderReview { submission, .. }
        | TaskStatus::Rejected { submission, .. }
        | TaskStatus::Disputed { submission, .. } => submission.self_check.confidence_bps,
        _ => 0,
    };
    let outcome = Outcome {
        task: t.id,
        agent: work.agent,
        client: t.client,
        category: t.category,
        verdict,
        price: work.price,
        allowed_ms: t.spec.deadlines.lease_ms,
        worked_ms: work.worked_ms,
        verification_attempts: work.verification_attempts,
        criteria_total: criteria_total(&t.spec.acceptance),
        failed_criteria: work.failed_criteria.clone(),
        first_attempt_passed: work.first_attempt_passed.unwrap_or(false),
        self_check_agreed: work.self_check_agreed,
        confidence_bps,
        revisions: work.revisions,
        clarifications: work.clarifications,
        review_latency_ms,
        matched: work.matched,
    };
    EventKind::TaskSettled { settlement, outcome }
}

/// Criteria a settlement is scored against: each field, each named check and the confidence
/// floor. Specs hold at most `MAX_ITEMS` of each, so this is small; saturating keeps the
/// conversion total all the same.
fn criteria_total(acceptance: &crate::spec::AcceptanceCriteria) -> u32 {
    let n = acceptance.fields.len().saturating_add(acceptance.criteria.len()).saturating_add(1);
    u32::try_from(n).unwrap_or(u32::MAX)
}
