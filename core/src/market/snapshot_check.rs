//! What `load` checks before it rebuilds the derived indexes: a snapshot is untrusted input, so
//! everything registration and `apply` would refuse is refused here too, with the JSON path of
//! the bad value (`market.tasks[3].fee_bps: 20000 is above the limit 5000`).
//!
//! - the configuration: what `Market::new` refuses is refused here ([`MarketConfig::check`]);
//! - parties, categories, request ids: the limits registration and `apply` enforce (the same
//!   validators, not copies of them);
//! - time: `now` at most `MAX_SAFE`, every recorded instant at or before `now`, every deadline at
//!   most `MAX_SAFE`;
//! - standings: reasons as moderation accepts them, instants not after now; no suspended or
//!   closed agent holding work in progress, a queued claim or a bid, no open task of a suspended
//!   or closed client (moderation releases and cancels them);
//! - tasks: fees within `MAX_FEE_BPS`, specifications valid and (while live) matching their hash,
//!   only states a command sequence can leave behind, counters within the specification's
//!   limits, escrow exactly what the state holds;
//! - reputation: counters equal to the settled tasks, summaries and tiers recomputed from evidence
//!   (`reputation/check.rs`).
//!
//! Money conservation, agents' loads, the deadline and matching indexes are then checked by
//! `audit` on the rebuilt market.

use super::config::{MarketConfig, MAX_FEE_BPS};
use super::{accounts, validate, work, Market, SnapshotError};
use crate::actor::Actor;
use crate::hash::Digest;
use crate::ids::{AgentId, Timestamp, MAX_SAFE};
use crate::limits::{MAX_BIDS_PER_TASK, MAX_ITEMS, MAX_REQUEST_ID_LEN, MAX_TEXT_LEN};
use crate::party::Standing;
use crate::rejection::Rejection;
use crate::reputation::{Bounds, Tally};
use crate::spec::Pricing;
use crate::task::{Task, TaskStatus, Work};
use std::collections::BTreeSet;

/// The error for the value at `path`.
/// What every party's record must hold: stored at its own index, a name and an owner that
/// registration would accept.
fn check_identity(
    at: &dyn Fn(&str) -> String,
    at_own_index: bool,
    id: &str,
    i: usize,
    name: &str,
    owner: &str,
) -> Result<(), SnapshotError> {
    if !at_own_index {
        return Err(bad(at("id"), format!("{id} stored at {i}")));
    }
    validate::name("name", name).map_err(|e| refused(&at("name"), e))?;
    validate::owner(owner).map_err(|e| refused(&at("owner"), e))?;
    Ok(())
}

fn bad(path: impl Into<String>, reason: impl Into<String>) -> SnapshotError {
    SnapshotError::Inconsistent { path: path.into(), reason: reason.into() }
}

/// A validator's rejection, reported at `path`. A spec rejection names its field, which is
/// appended to the path.
fn refused(path: &str, rejection: Rejection) -> SnapshotError {
    match rejection {
        Rejection::InvalidSpec { field, reason } => bad(format!("{path}.{field}"), reason),
        other => bad(path, other.to_string()),
    }
}

/// `value` (at `path`) must not be after `now`.
fn not_after(path: impl Fn() -> String, value: Timestamp, now: Timestamp) -> Result<(), SnapshotError> {
    if value > now {
        return Err(bad(path(), format!("{value} is after now ({now})")));
    }
    Ok(())
}

/// A deadline (at `path`) may lie in the future, but not beyond what the engine accepts.
fn deadline(path: impl Fn() -> String, value: Timestamp) -> Result<(), SnapshotError> {
    if value > MAX_SAFE {
        return Err(bad(path(), format!("{value} is beyond 2^53 - 1")));
    }
    Ok(())
}

impl Market {
    /// Everything about a freshly deserialised market that can be checked without its derived
    /// indexes; `Err` names the first bad value by its path in the snapshot.
    pub(super) fn check_snapshot(&self) -> Result<(), SnapshotError> {
        check_config(&self.config)?;
        if self.now > MAX_SAFE {
            return Err(bad("market.now", format!("{} is beyond 2^53 - 1", self.now)));
        }
        if self.fee_bps > MAX_FEE_BPS {
            return Err(bad("market.fee_bps", format!("{} is above the limit {MAX_FEE_BPS}", self.fee_bps)));
        }
        if self.deposited < self.withdrawn {
            let reason = format!("{} withdrawn of {} deposited", self.withdrawn, self.deposited);
            return Err(bad("market.withdrawn", reason));
        }
        self.check_parties()?;
        self.check_requests()?;
        let mut tally = Tally { clients: vec![[0; 5]; self.clients.len()], ..Tally::default() };
        for (i, t) in self.tasks.iter().enumerate() {
            self.check_task(i, t)?;
            if let TaskStatus::Settled { agent, verdict, rated, matched, .. } = t.status {
                tally.settled(t.client, agent, t.category, verdict, rated);
                if !matched {
                    *tally.unmatched.entry(agent).or_default() += 1;
                }
            }
        }
        self.check_fairness()?;
        let bounds = Bounds {
            agents: self.agents.len(),
            clients: self.clients.len(),
            categories: self.categories.len(),
            tasks: self.tasks.len(),
            now: self.now,
        };
        self.reputation
            .check(&self.config.reputation, bounds, &tally)
            .map_err(|(path, reason)| bad(format!("market.reputation.{path}"), reason))
    }

    /// Ids dense and in place; names, skills, capacities and rates as registration checks them.
    fn check_parties(&self) -> Result<(), SnapshotError> {
        for (i, c) in self.clients.iter().enumerate() {
            let at = |field: &str| format!("market.clients[{i}].{field}");
            check_identity(&at, c.id.index() == i, &c.id.to_string(), i, &c.name, &c.owner)?;
            self.check_standing_value(&at("standing"), &c.standing)?;
            // Sorted and distinct, as settlement inserts them (`gate_vouchers.rs`).
            for (j, skill) in c.vouched_gates.iter().enumerate() {
                let at = at(&format!("vouched_gates[{j}]"));
                validate::name("skill", skill).map_err(|e| refused(&at, e))?;
                if j > 0 && c.vouched_gates[j - 1] >= *skill {
                    return Err(bad(at, "not sorted by name, or repeated"));
                }
            }
        }
        for (i, a) in self.agents.iter().enumerate() {
            let at = |field: &str| format!("market.agents[{i}].{field}");
            check_identity(&at, a.id.index() == i, &a.id.to_string(), i, &a.name, &a.owner)?;
            // Registration sorts the skills; lookups binary-search them, so they must be stored
            // exactly as the validator returns them.
            let skills = validate::skills(a.skills.clone()).map_err(|e| refused(&at("skills"), e))?;
            if skills != a.skills {
                return Err(bad(at("skills"), "not sorted by name"));
            }
            accounts::capacity_in_range(a.capacity).map_err(|e| refused(&at("capacity"), e))?;
            accounts::rate_in_range(a.min_rate).map_err(|e| refused(&at("min_rate"), e))?;
            self.check_standing_value(&at("standing"), &a.standing)?;
        }
        for (i, r) in self.reviewers.iter().enumerate() {
            let at = |field: &str| format!("market.reviewers[{i}].{field}");
            check_identity(&at, r.id.index() == i, &r.id.to_string(), i, &r.name, &r.owner)?;
        }
        let mut names = BTreeSet::new();
        for (i, name) in self.categories.iter().enumerate() {
            let at = format!("market.categories[{i}]");
            validate::name("category", name).map_err(|e| refused(&at, e))?;
            if !names.insert(name) {
                return Err(bad(at, format!("{name:?} appears twice")));
            }
        }
        Ok(())
    }

    /// A standing as moderation records it: a reason the command accepts, an instant not after
    /// now.
    fn check_standing_value(&self, path: &str, standing: &Standing) -> Result<(), SnapshotError> {
        let (when, reason) = match standing {
            Standing::Active => return Ok(()),
            Standing::Suspended { since, reason } => (("since", *since), reason),
            Standing::Closed { at, reason } => (("at", *at), reason),
        };
        validate::required_text("reason", reason, MAX_TEXT_LEN).map_err(|e| refused(&format!("{path}.reason"), e))?;
        not_after(|| format!("{path}.{}", when.0), when.1, self.now)
    }

    /// Whether `agent` (known to exist) is suspended or closed.
    fn agent_inactive(&self, agent: AgentId) -> bool {
        self.agents.get(agent.index()).is_some_and(|a| !a.standing.is_active())
    }

    /// Request ids as `apply_request` accepts them, from parties that exist, recorded at or
    /// before now. The path indexes the stored list (sorted by time, actor, id).
    fn check_requests(&self) -> Result<(), SnapshotError> {
        let mut entries: Vec<(Timestamp, Actor, &str)> = self.requests.entries().collect();
        entries.sort();
        for (i, (at, actor, id)) in entries.into_iter().enumerate() {
            let path = |field: &str| format!("market.requests[{i}].{field}");
            if id.is_empty() || id.len() > MAX_REQUEST_ID_LEN {
                return Err(bad(path("request_id"), format!("{} bytes, 1 to {MAX_REQUEST_ID_LEN} allowed", id.len())));
            }
            if self.check_actor(actor).is_err() {
                return Err(bad(path("actor"), format!("{actor} does not exist")));
            }
            not_after(|| path("at"), at, self.now)?;
        }
        Ok(())
    }

    /// Each cohort split counts the same assignments and exposures; exploration is a part of
    /// assignment; every task held now or settled was assigned at least once.
    fn check_fairness(&self) -> Result<(), SnapshotError> {
        let f = &self.fairness;
        let sum = |pair: [u64; 2]| u128::from(pair[0]) + u128::from(pair[1]);
        if sum(f.exposure_by_tenure) != sum(f.exposure_by_kind) {
            return Err(bad("market.fairness.exposure_by_kind", "counts other exposures than exposure_by_tenure"));
        }
        let assigned = sum(f.assigned_by_tenure);
        if assigned != sum(f.assigned_by_kind) {
            return Err(bad("market.fairness.assigned_by_kind", "counts other assignments than assigned_by_tenure"));
        }
        if u128::from(f.exploratory) > assigned {
            return Err(bad("market.fairness.exploratory", format!("{} of {assigned} assignments", f.exploratory)));
        }
        // A wait starts at an assignment count the market has reached, for an agent it has.
        if f.waiting_since.len() > self.agents.len() {
            let reason = format!("{} entries for {} agents", f.waiting_since.len(), self.agents.len());
            return Err(bad("market.fairness.waiting_since", reason));
        }
        if let Some(k) = f.waiting_since.iter().position(|&w| u128::from(w) > assigned) {
            let reason = format!("{} is beyond the {assigned} assignments made", f.waiting_since[k]);
            return Err(bad(format!("market.fairness.waiting_since[{k}]"), reason));
        }
        let held =
            self.tasks.iter().filter(|t| t.status.work().is_some() || matches!(t.status, TaskStatus::Settled { .. }));
        let held = held.count() as u128;
        if assigned < held {
            return Err(bad(
                "market.fairness.assigned_by_tenure",
                format!("{assigned} assignments, {held} tasks held"),
            ));
        }
        // Holds: one per open task at most, sorted, each naming an agent that exists.
        for (k, (task, agent)) in f.exploration_holds.iter().enumerate() {
            let at = format!("market.fairness.exploration_holds[{k}]");
            if k > 0 && f.exploration_holds[k - 1].0 >= *task {
                return Err(bad(&at, "not sorted by task, or a task held twice"));
            }
            if !self.tasks.get(task.index()).is_some_and(|t| matches!(t.status, TaskStatus::Open { .. })) {
                return Err(bad(&at, format!("{task} is not an open task")));
            }
            if agent.index() >= self.agents.len() {
                return Err(bad(&at, format!("{agent} does not exist")));
            }
        }
        Ok(())
    }

    fn check_task(&self, i: usize, t: &Task) -> Result<(), SnapshotError> {
        let at = |field: &str| format!("market.tasks[{i}].{field}");
        if t.id.index() != i {
            return Err(bad(at("id"), format!("{} stored at {i}", t.id)));
        }
        if t.client.index() >= self.clients.len() {
            return Err(bad(at("client"), format!("{} does not exist", t.client)));
        }
        if t.dropped_by.len() > crate::task::MAX_DROPPED {
            return Err(bad(
                at("dropped_by"),
                format!("{} agents, at most {}", t.dropped_by.len(), crate::task::MAX_DROPPED),
            ));
        }
        for (k, agent) in t.dropped_by.iter().enumerate() {
            if agent.index() >= self.agents.len() || t.dropped_by[..k].contains(agent) {
                return Err(bad(at(&format!("dropped_by[{k}]")), format!("{agent} is unknown or listed twice")));
            }
        }
        // A shortlist is the latest ranking's first entries, kept only while the task is open.
        let open = matches!(t.status, TaskStatus::Open { .. });
        if t.shortlist.len() > crate::task::SHORTLIST || (!open && !t.shortlist.is_empty()) {
            let reason = format!("{} agents on a task {}", t.shortlist.len(), t.status.name());
            return Err(bad(
                at("shortlist"),
                format!("{reason}; at most {} and only while open", crate::task::SHORTLIST),
            ));
        }
        for (k, agent) in t.shortlist.iter().enumerate() {
            if agent.index() >= self.agents.len() || t.shortlist[..k].contains(agent) {
                return Err(bad(at(&format!("shortlist[{k}]")), format!("{agent} is unknown or listed twice")));
            }
        }
        if self.categories.get(t.category.index()) != Some(&t.spec.category) {
            return Err(bad(
                at("category"),
                format!("{} is not the spec's category {:?}", t.category, t.spec.category),
            ));
        }
        if t.fee_bps > MAX_FEE_BPS {
            return Err(bad(at("fee_bps"), format!("{} is above the limit {MAX_FEE_BPS}", t.fee_bps)));
        }
        not_after(|| at("posted_at"), t.posted_at, self.now)?;
        if t.status.is_terminal() {
            // A finished task is stored with its specification archived, so its hash cannot be
            // recomputed (the full specification is in the `TaskPosted` event). Nothing reads it
            // any more: a finished task cannot be claimed, and views show the archived spec. What
            // can be checked is that the stored spec is archived, so nothing hides in it, and
            // that what it keeps (title, category, money) is within the limits of posting.
            if !t.spec.is_archived() {
                return Err(bad(at("spec"), "a finished task's specification must be archived"));
            }
            validate::archived_spec(&t.spec).map_err(|e| refused(&at("spec"), e))?;
        } else {
            // Every live specification as posting checked it, at its posting time: shape, deadlines
            // and the market's caps.
            validate::spec(&t.spec, t.posted_at, &self.config.caps).map_err(|e| refused(&at("spec"), e))?;
            if Digest::of(&*t.spec) != t.spec_hash {
                // A live task's agents claim against the hash: an edited specification
                // (instructions, input classification) would defeat pinning and confidentiality.
                return Err(bad(at("spec_hash"), "does not match the specification"));
            }
        }
        // Escrow is exactly what the state holds: posting escrows the reward or ceiling, which
        // stays held until settlement or refund.
        let escrow = if t.status.is_terminal() { 0 } else { t.spec.pricing.escrow() };
        if t.escrow != escrow {
            return Err(bad(at("escrow"), format!("{} but a {} task holds {escrow}", t.escrow, t.status.name())));
        }
        self.check_status(i, t)
    }

    /// Only states a command sequence leaves behind, with their counters in range.
    fn check_status(&self, i: usize, t: &Task) -> Result<(), SnapshotError> {
        let at = |field: &str| format!("market.tasks[{i}].status.{field}");
        let spec = &t.spec;
        match &t.status {
            TaskStatus::Open { bids, queued } => {
                // Suspension and closure cancel a client's open tasks, and a task that comes
                // back to open for such a client is cancelled with it.
                if let Some(c) = self.clients.get(t.client.index()).filter(|c| !c.standing.is_active()) {
                    let reason = format!("an open task of a {} client", c.standing.name().to_lowercase());
                    return Err(bad(at("state"), reason));
                }
                let ceiling = match spec.pricing {
                    Pricing::Bids { ceiling, .. } => Some(ceiling),
                    Pricing::Fixed { .. } => None,
                };
                if !bids.is_empty() && ceiling.is_none() {
                    return Err(bad(at("bids"), "a fixed-price task takes no bids"));
                }
                validate::items("bids", bids.len(), MAX_BIDS_PER_TASK).map_err(|e| refused(&at("bids"), e))?;
                for (k, b) in bids.iter().enumerate() {
                    let here = |field: &str| format!("market.tasks[{i}].status.bids[{k}].{field}");
                    if b.agent.index() >= self.agents.len() {
                        return Err(bad(here("agent"), format!("{} does not exist", b.agent)));
                    }
                    if self.agent_inactive(b.agent) {
                        return Err(bad(
                            here("agent"),
                            format!("{} is suspended or closed and holds no bids", b.agent),
                        ));
                    }
                    if bids[..k].iter().any(|other| other.agent == b.agent) {
                        return Err(bad(here("agent"), format!("{} bids twice", b.agent)));
                    }
                    validate::amount("price", b.price).map_err(|e| refused(&here("price"), e))?;
                    if ceiling.is_some_and(|c| b.price > c) {
                        return Err(bad(here("price"), format!("{} is above the ceiling", b.price)));
                    }
                    if b.eta_ms == 0 || b.eta_ms > MAX_SAFE {
                        return Err(bad(here("eta_ms"), format!("{} is not 1 to 2^53 - 1", b.eta_ms)));
                    }
                    not_after(|| here("placed_at"), b.placed_at, self.now)?;
                    if b.placed_at < t.posted_at {
                        return Err(bad(here("placed_at"), "before the task was posted"));
                    }
                }
                if !queued.is_empty() && spec.priority_window.is_none() {
                    return Err(bad(at("queued"), "claims queue only during a priority window"));
                }
                let mut seen = BTreeSet::new();
                for (k, agent) in queued.iter().enumerate() {
                    if agent.index() >= self.agents.len() || !seen.insert(*agent) || self.agent_inactive(*agent) {
                        return Err(bad(
                            format!("{}[{k}]", at("queued")),
                            format!("{agent} is missing, queued twice, or suspended or closed"),
                        ));
                    }
                }
                Ok(())
            }
            TaskStatus::Submitted { .. } => {
                Err(bad(at("state"), "Submitted lasts only inside one SubmitWork and is never stored"))
            }
            TaskStatus::Settled { agent, verdict, verified, rated, .. } => {
                if agent.index() >= self.agents.len() {
                    return Err(bad(at("agent"), format!("{agent} does not exist")));
                }
                let accepted = matches!(verdict, crate::event::Verdict::Accepted | crate::event::Verdict::AutoAccepted);
                if *verified && !accepted {
                    return Err(bad(at("verified"), format!("a {verdict:?} task was not accepted")));
                }
                if *rated && !verdict.paid() {
                    return Err(bad(at("rated"), "only paid tasks are rated"));
                }
                Ok(())
            }
            TaskStatus::Cancelled | TaskStatus::Expired => Ok(()),
            status => {
                // Every remaining state has a hold.
                let Some(work) = status.work() else { return Ok(()) };
                self.check_work(i, t, work)?;
                // Suspension and closure release work in progress; only work handed in runs on.
                if status.in_progress() && self.agent_inactive(work.agent) {
                    let reason = format!("{} is suspended or closed and holds no work in progress", work.agent);
                    return Err(bad(at("work.agent"), reason));
                }
                let submission = match status {
                    TaskStatus::InputRequired { question, answer_due, .. } => {
                        if work.clarifications == 0 {
                            return Err(bad(at("work.clarifications"), "a question was asked, so at least 1"));
                        }
                        validate::required_text("question", question, MAX_TEXT_LEN)
                            .map_err(|e| refused(&at("question"), e))?;
                        deadline(|| at("answer_due"), *answer_due)?;
                        None
                    }
                    TaskStatus::UnderReview { submission, route, verified_at, review_due, .. } => {
                        if route.is_human() && self.reviewers.is_empty() {
                            return Err(bad(at("route"), "routed to a human reviewer but none is registered"));
                        }
                        not_after(|| at("verified_at"), *verified_at, self.now)?;
                        if *verified_at < work.claimed_at {
                            return Err(bad(at("verified_at"), "before the task was claimed"));
                        }
                        deadline(|| at("review_due"), *review_due)?;
                        Some(submission)
                    }
                    TaskStatus::Rejected { submission, failed_criteria, review_latency_ms, dispute_by, .. } => {
                        if failed_criteria.is_empty() {
                            return Err(bad(at("failed_criteria"), "a rejection cites at least one criterion"));
                        }
                        validate::items("failed_criteria", failed_criteria.len(), MAX_ITEMS * 2 + 1)
                            .map_err(|e| refused(&at("failed_criteria"), e))?;
                        self.criteria(&at("failed_criteria"), t, failed_criteria)?;
                        not_after(|| at("review_latency_ms"), *review_latency_ms, self.now)?;
                        deadline(|| at("dispute_by"), *dispute_by)?;
                        Some(submission)
                    }
                    TaskStatus::Disputed { submission, review_latency_ms, resolve_by, .. } => {
                        not_after(|| at("review_latency_ms"), *review_latency_ms, self.now)?;
                        deadline(|| at("resolve_by"), *resolve_by)?;
                        Some(submission)
                    }
                    _ => None,
                };
                if let Some(s) = submission {
                    if work.first_attempt_passed.is_none() {
                        return Err(bad(at("work.first_attempt_passed"), "verified work has a first attempt"));
                    }
                    work::check_output(&s.output).map_err(|e| refused(&at("submission.output"), e))?;
                    work::check_self_check(&s.self_check).map_err(|e| refused(&at("submission.self_check"), e))?;
                }
                Ok(())
            }
        }
    }

    /// A hold: an agent that exists, a price the pricing allows, counters within the
    /// specification's limits, instants in order and not after now.
    fn check_work(&self, i: usize, t: &Task, w: &Work) -> Result<(), SnapshotError> {
        let at = |field: &str| format!("market.tasks[{i}].status.work.{field}");
        if w.agent.index() >= self.agents.len() {
            return Err(bad(at("agent"), format!("{} does not exist", w.agent)));
        }
        // A premium is what the pricing makes of its tier (whatever the holder's tier is now:
        // it may have changed since the claim), and its price is the agreed price.
        let premium_ok = match (&t.spec.pricing, w.premium) {
            (Pricing::Fixed { tier_premium: true, .. }, Some(p)) => t.spec.pricing.premium(p.tier) == Some(p),
            (_, None) => !matches!(t.spec.pricing, Pricing::Fixed { tier_premium: true, .. }),
            _ => false,
        };
        if !premium_ok {
            return Err(bad(at("premium"), "is not what this task's pricing pays the tier it names"));
        }
        let price_ok = match (&t.spec.pricing, w.premium) {
            (_, Some(p)) => w.price == p.price,
            (Pricing::Fixed { reward, .. }, None) => w.price == *reward,
            (Pricing::Bids { ceiling, .. }, None) => (1..=*ceiling).contains(&w.price),
        };
        if !price_ok {
            return Err(bad(at("price"), format!("{} is not a price this task's pricing allows", w.price)));
        }
        let (max_clarifications, max_revisions) = (t.spec.deadlines.max_clarifications, t.spec.review.max_revisions);
        if w.clarifications > max_clarifications {
            return Err(bad(
                at("clarifications"),
                format!("{} above the spec's {max_clarifications}", w.clarifications),
            ));
        }
        if w.revisions > max_revisions {
            return Err(bad(at("revisions"), format!("{} above the spec's {max_revisions}", w.revisions)));
        }
        if w.claimed_at < t.posted_at {
            return Err(bad(at("claimed_at"), "before the task was posted"));
        }
        not_after(|| at("claimed_at"), w.claimed_at, self.now)?;
        not_after(|| at("stretch_started"), w.stretch_started, self.now)?;
        if w.stretch_started < w.claimed_at {
            return Err(bad(at("stretch_started"), "before the task was claimed"));
        }
        // Time worked is made of stretches between the claim and now.
        not_after(|| at("worked_ms"), w.worked_ms, self.now - w.claimed_at)?;
        deadline(|| at("lease_due"), w.lease_due)?;
        deadline(|| at("lease_left_ms"), w.lease_left_ms)?;
        if (w.verification_attempts == 0) != w.first_attempt_passed.is_none() {
            return Err(bad(at("first_attempt_passed"), "set exactly when a submission was verified"));
        }
        if w.verification_attempts == 0 && (w.revisions > 0 || !w.failed_criteria.is_empty()) {
            return Err(bad(at("verification_attempts"), "0, yet revisions or failures are recorded"));
        }
        if u64::from(w.verification_attempts) > MAX_SAFE {
            return Err(bad(at("verification_attempts"), "beyond 2^53 - 1"));
        }
        if !w.failed_criteria.windows(2).all(|p| p[0] < p[1]) {
            return Err(bad(at("failed_criteria"), "not sorted and unique"));
        }
        self.criteria(&at("failed_criteria"), t, &w.failed_criteria)
    }

    /// Each name is a criterion of the live task's specification (what verification and review
    /// cite).
    fn criteria(&self, path: &str, t: &Task, names: &[String]) -> Result<(), SnapshotError> {
        match names.iter().position(|c| !crate::verify::has_criterion(&t.spec.acceptance, c)) {
            Some(k) => Err(bad(format!("{path}[{k}]"), format!("{:?} is not a criterion of this task", names[k]))),
            None => Ok(()),
        }
    }
}

/// The configuration, by the check `Market::new` runs ([`MarketConfig::check`]), its path under
/// `market`.
fn check_config(c: &MarketConfig) -> Result<(), SnapshotError> {
    c.check().map_err(|e| bad(format!("market.{}", e.path), e.reason))
}
