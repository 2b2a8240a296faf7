//! Deciding what time alone does to a task: arbitration when a priority window closes, awards
//! when bidding closes, expiry, abandonment, freed agents, auto-acceptance, upheld rejections and
//! default dispute resolutions. Silence never wins: whoever did their part is favoured.

use super::review::settle;
use super::tasks::later;
use super::Market;
use crate::command::Resolution;
use crate::event::{ClaimRoute, EventKind, ReturnReason, Verdict};
use crate::ids::{AgentId, TaskId, Timestamp};
use crate::matching::FitContext;
use crate::spec::{AwardPolicy, Pricing};
use crate::task::{Bid, Task, TaskStatus};

impl Market {
    /// The events the deadline of `task` causes at `now` (which is at or past it).
    pub(super) fn decide_timeout(&self, task: TaskId, now: Timestamp) -> Vec<EventKind> {
        let Some(t) = self.tasks.get(task.index()) else { return Vec::new() };
        match &t.status {
            TaskStatus::Open { bids, queued } => self.open_timeout(t, bids, queued, now),
            // A suspended or closed client's task is cancelled once it is open again.
            TaskStatus::Claimed { work } => {
                let abandoned = EventKind::TaskAbandoned { task, agent: work.agent, category: t.category };
                std::iter::once(abandoned).chain(self.reopened(t, now, false)).collect()
            }
            TaskStatus::InputRequired { work, .. } => {
                let freed =
                    EventKind::TaskReturned { task, agent: work.agent, reason: ReturnReason::QuestionUnanswered };
                std::iter::once(freed).chain(self.reopened(t, now, false)).collect()
            }
            TaskStatus::UnderReview { work, .. } => vec![
                EventKind::WorkAccepted { task, by: None },
                settle(t, work, Verdict::AutoAccepted, work.price, None),
            ],
            TaskStatus::Rejected { work, review_latency_ms, .. } => {
                vec![settle(t, work, Verdict::Rejected, 0, Some(*review_latency_ms))]
            }
            TaskStatus::Disputed { work, review_latency_ms, .. } => vec![
                EventKind::DisputeResolved { task, resolution: Resolution::PayAgent, by: None },
                settle(t, work, Verdict::DisputePaid, work.price, Some(*review_latency_ms)),
            ],
            TaskStatus::Submitted { .. } | TaskStatus::Settled { .. } | TaskStatus::Cancelled | TaskStatus::Expired => {
                Vec::new()
            }
        }
    }

    fn open_timeout(&self, t: &Task, bids: &[Bid], queued: &[AgentId], now: Timestamp) -> Vec<EventKind> {
        let task = t.id;
        let expire = || vec![EventKind::TaskExpired { task, refund: t.escrow }];
        // Arbitration first: a window always closes before the claim-by time.
        if !queued.is_empty() && t.window_closes_at().is_some_and(|c| c <= now) {
            return self.arbitrate(t, queued, now);
        }
        if let Pricing::Bids { award, bidding_closes_at, .. } = &t.spec.pricing {
            if *award != AwardPolicy::Client && *bidding_closes_at <= now {
                return match self.best_bid(t, bids, *award, now, &FitContext::new(self, t)) {
                    Some(bid) => {
                        // Exploration decided the award if the best bid on records alone is another.
                        let on_records = self.best_bid(t, bids, *award, now, &FitContext::exploiting(self, t));
                        let exploring = on_records.is_some_and(|b| b.agent != bid.agent);
                        vec![EventKind::TaskClaimed {
                            task,
                            agent: bid.agent,
                            price: bid.price,
                            lease_due: later(now, t.spec.deadlines.lease_ms),
                            via: ClaimRoute::AutoAward,
                            exploring,
                            // The award policy chose among the bids (and the spec left it some).
                            matched: self.gates_leave_a_choice(t),
                            premium: None,
                        }]
                    }
                    None => expire(),
                };
            }
        }
        if t.spec.deadlines.claim_by <= now {
            return expire();
        }
        Vec::new()
    }

    /// Among claims queued in a priority window, the best fit wins (ties: the earlier claim);
    /// claimants that can no longer take the task lose with the reason.
    fn arbitrate(&self, t: &Task, queued: &[AgentId], now: Timestamp) -> Vec<EventKind> {
        let task = t.id;
        let context = FitContext::new(self, t);
        let mut events = Vec::new();
        // Each claimant that can still take the task, with its fit, in the order of the claims.
        // Each claimant that can still take the task: (agent, fit, fit on its record alone).
        let mut able: Vec<(AgentId, f64, f64)> = Vec::with_capacity(queued.len());
        for &agent in queued {
            match self.check_can_take(t, agent, now) {
                Err(why) => events.push(EventKind::ClaimLost { task, agent, reason: why.to_string() }),
                Ok(()) => {
                    let price = t.spec.pricing.offered(self.tier_of(agent));
                    let fit = context.fit(&self.agents[agent.index()], price, true);
                    able.push((agent, fit.score, fit.score - fit.exploration));
                }
            }
        }
        // Strictly better wins, so ties go to the earlier claim.
        let best_by = |key: fn(&(AgentId, f64, f64)) -> f64| {
            able.iter().fold(None, |best: Option<&(AgentId, f64, f64)>, c| match best {
                Some(b) if key(c) <= key(b) => Some(b),
                _ => Some(c),
            })
        };
        let Some(&(winner, winning, _)) = best_by(|c| c.1) else {
            return events;
        };
        // Exploration decided it if the best claimant on records alone is another.
        let exploring = best_by(|c| c.2).is_some_and(|b| b.0 != winner);
        for &(agent, score, _) in able.iter().filter(|(a, _, _)| *a != winner) {
            events.push(EventKind::ClaimLost {
                task,
                agent,
                reason: format!("lost arbitration to {winner}: fit {score:.3} < {winning:.3}"),
            });
        }
        let Pricing::Fixed { .. } = t.spec.pricing else { return events };
        let tier = self.tier_of(winner);
        events.push(EventKind::TaskClaimed {
            task,
            agent: winner,
            price: t.spec.pricing.offered(tier),
            lease_due: later(now, t.spec.deadlines.lease_ms),
            via: ClaimRoute::Arbitration,
            exploring,
            // Arbitration chose among the claimants by fit (and the spec left it some).
            matched: self.gates_leave_a_choice(t),
            premium: t.spec.pricing.premium(tier),
        });
        events
    }

    /// A bid's price over its bidder's tier rate multiplier, in integers so that comparisons are
    /// exact (lower is better): what `best_bid` compares on price, and what decides which bid a
    /// full bid list evicts.
    pub(super) fn adjusted_price(&self, agent: AgentId, price: crate::ids::Money) -> u128 {
        let multiplier = u128::from(self.tier_of(agent).rate_multiplier_bps()).max(1);
        u128::from(price) * 10_000 * 1_000_000 / multiplier
    }

    /// The winning bid under an award policy, among bidders that can still take the task.
    /// Prices are compared tier-adjusted: a bid counts as its price divided by the bidder's tier
    /// rate multiplier (`Tier::rate_multiplier_bps`), so an established agent may ask somewhat more
    /// than a newcomer and still win on price; the agent is paid the price it bid.
    pub(super) fn best_bid(
        &self,
        t: &Task,
        bids: &[Bid],
        policy: AwardPolicy,
        now: Timestamp,
        context: &FitContext<'_>,
    ) -> Option<Bid> {
        let mut best: Option<(Bid, u128, f64)> = None;
        for bid in bids {
            if self.check_can_take(t, bid.agent, now).is_err() {
                continue;
            }
            let adjusted = self.adjusted_price(bid.agent, bid.price);
            // Best value is the best fit (the measure ranking and batches use), the bid's
            // tier-adjusted price in it at `price_weight`: price counts once. Fit per unit of
            // price counted it twice, and while records are thin the cheapest, weakest bidder
            // won (MATRIX.md, "Bids").
            let effective = crate::ids::Money::try_from(adjusted / 1_000_000).unwrap_or(crate::ids::Money::MAX);
            let value = context.fit(&self.agents[bid.agent.index()], effective, true).score;
            let better = match (&best, policy) {
                (None, _) => true,
                (Some((_, a, _)), AwardPolicy::BestPrice) => adjusted < *a,
                (Some((b, _, _)), AwardPolicy::BestEta) => (bid.eta_ms, bid.price) < (b.eta_ms, b.price),
                (Some((_, _, v)), AwardPolicy::BestValue | AwardPolicy::Client) => value > *v,
            };
            // Bids are in the order placed, so strict comparisons keep the earlier bid on ties.
            if better {
                best = Some((*bid, adjusted, value));
            }
        }
        best.map(|(bid, _, _)| bid)
    }
}
