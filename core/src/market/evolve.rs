//! Applying events to state. Infallible: an event is a fact that decide (or the log) vouches for.
//! Invariants kept here: each task's entry in the deadline index equals `Task::deadline`, and each
//! agent's `active` equals the tasks it holds that occupy it.
//!
//! Arithmetic here never wraps or panics. Money moves are exact for every event `decide` makes:
//! it refuses a deposit that would take a balance or the deposit total past `MAX_SAFE`, so by
//! conservation no account can pass it, and it never moves more than an account holds. The
//! operations still saturate, so a forged log handed to `evolve` (or a doctored snapshot) cannot
//! panic the engine or wrap a balance; `audit` then reports the broken conservation instead.
//! Counters saturate: they stop at their maximum rather than wrap.

use super::Market;
use crate::event::{Account, Event, EventKind, ReturnReason, Verdict};
use crate::ids::{AgentId, Money, TaskId, Timestamp};
use crate::party::{Agent, Client, PartyRef, Reviewer, Standing};
use crate::reputation::RatingInput;
use crate::task::{Task, TaskStatus, Work, SHORTLIST};

/// What the indexes knew about a task before it changed.
struct Indexed {
    deadline: Option<Timestamp>,
    occupying: Option<AgentId>,
    /// Whether the task had finished (its client's `live_bytes` no longer count it).
    terminal: bool,
}

/// Recompute an agent's matching row from the market's fields (not through `&mut self`: `evolve`
/// holds a task mutably at the time).
macro_rules! sync_row {
    ($market:ident, $agent:expr) => {
        super::match_index::sync_row(
            &mut $market.match_index,
            super::match_index::RowSources {
                agents: &$market.agents,
                reputation: &$market.reputation,
                skill_index: &$market.skill_index,
            },
            &$market.config.reputation,
            $agent,
        )
    };
}

impl Market {
    /// Apply one event. Public so hosts can rebuild state from a log; see [`Market::replay`].
    pub fn evolve(&mut self, event: &Event) {
        let at = event.at;
        self.now = self.now.max(at);
        self.requests.prune(at, self.config.request_retention_ms);
        match &event.kind {
            EventKind::RequestRecorded { actor, request_id, fingerprint } => {
                self.requests.record(at, *actor, request_id, *fingerprint)
            }
            EventKind::ClientRegistered { client, name, owner } => {
                debug_assert_eq!(client.index(), self.clients.len());
                let owner_code = self.intern_owner(owner);
                self.clients.push(Client {
                    id: *client,
                    name: name.clone(),
                    owner: owner.clone(),
                    balance: 0,
                    standing: Default::default(),
                    vouched_gates: Vec::new(),
                    live_bytes: 0,
                    owner_code,
                });
                self.reputation.add_client();
            }
            EventKind::AgentRegistered { agent, name, kind, owner, skills, capacity, min_rate } => {
                debug_assert_eq!(agent.index(), self.agents.len());
                let owner_code = self.intern_owner(owner);
                self.agents.push(Agent {
                    id: *agent,
                    name: name.clone(),
                    kind: *kind,
                    owner: owner.clone(),
                    skills: skills.clone(),
                    capacity: *capacity,
                    min_rate: *min_rate,
                    balance: 0,
                    standing: Default::default(),
                    active: 0,
                    skill_codes: Default::default(),
                    owner_code,
                });
                self.reputation.add_agent();
                self.skill_gates.add_agent(false);
                self.code_skills(*agent);
                self.fairness.restart_wait(*agent);
                self.post_skills(*agent);
                sync_row!(self, *agent);
            }
            EventKind::ReviewerRegistered { reviewer, name, owner } => {
                debug_assert_eq!(reviewer.index(), self.reviewers.len());
                let owner_code = self.intern_owner(owner);
                self.reviewers.push(Reviewer { id: *reviewer, name: name.clone(), owner: owner.clone(), owner_code });
            }
            EventKind::AgentProfileUpdated { agent, skills, capacity, min_rate } => {
                self.unpost_skills(*agent);
                let mut old_skills = Vec::new();
                if let Some(a) = self.agents.get_mut(agent.index()) {
                    old_skills = std::mem::replace(&mut a.skills, skills.clone());
                    a.capacity = *capacity;
                    a.min_rate = *min_rate;
                }
                // Count the new declarations before releasing the old, so a kept skill keeps its code.
                self.code_skills(*agent);
                self.release_skills(*agent, &old_skills);
                self.post_skills(*agent);
                sync_row!(self, *agent);
            }
            EventKind::FundsDeposited { client, amount } => {
                let balance = &mut self.clients[client.index()].balance;
                *balance = balance.saturating_add(*amount);
                self.deposited = self.deposited.saturating_add(*amount);
            }
            EventKind::FundsWithdrawn { account, amount } => {
                match account {
                    Account::Client { id } => debit(&mut self.clients[id.index()].balance, *amount),
                    Account::Agent { id } => debit(&mut self.agents[id.index()].balance, *amount),
                    Account::Platform => debit(&mut self.platform_balance, *amount),
                }
                self.withdrawn = self.withdrawn.saturating_add(*amount);
            }
            EventKind::FeeSet { fee_bps } => self.fee_bps = *fee_bps,
            EventKind::PartySuspended { party, reason } => {
                self.set_standing(*party, Standing::Suspended { since: at, reason: reason.clone() })
            }
            EventKind::PartyReinstated { party, .. } => self.set_standing(*party, Standing::Active),
            EventKind::PartyClosed { party, reason } => {
                self.set_standing(*party, Standing::Closed { at, reason: reason.clone() })
            }
            EventKind::ClientVerified { client, .. } => {
                if let Some(r) = self.reputation.client_mut(*client) {
                    r.verified = true;
                }
            }
            EventKind::EstablishmentImported { client, spend, .. } => {
                if let Some(r) = self.reputation.client_mut(*client) {
                    r.imported_spend = *spend;
                }
            }
            EventKind::TaskPosted { task, client, category, spec, spec_hash, escrow, fee_bps } => {
                debug_assert_eq!(task.index(), self.tasks.len());
                if category.index() == self.categories.len() {
                    self.categories.push(spec.category.clone());
                    self.category_index.insert(spec.category.clone(), *category);
                    self.reputation.add_category();
                }
                let c = &mut self.clients[client.index()];
                debit(&mut c.balance, *escrow);
                c.live_bytes = c.live_bytes.saturating_add(spec.stored_bytes() as u64);
                self.tasks.push(Task {
                    id: *task,
                    client: *client,
                    category: *category,
                    spec: spec.clone(),
                    spec_hash: *spec_hash,
                    posted_at: at,
                    escrow: *escrow,
                    fee_bps: *fee_bps,
                    status: TaskStatus::Open { bids: Vec::new(), queued: Vec::new() },
                    dropped_by: Vec::new(),
                    shortlist: Vec::new(),
                });
                self.reindex(*task, Indexed { deadline: None, occupying: None, terminal: false });
            }
            kind => self.evolve_task(at, kind),
        }
    }

    /// Events that change one existing task, with its indexes kept in step.
    fn evolve_task(&mut self, at: Timestamp, kind: &EventKind) {
        let Some(task) = task_of(kind) else { return };
        // Read by the settlement of chosen work only: whether the task's skills are all common
        // (`skill_gates.rs`).
        let common_gates = matches!(kind, EventKind::TaskSettled { outcome, .. } if outcome.matched)
            && self.tasks.get(task.index()).is_some_and(|t| self.gates_common(t));
        // And whether its payment may establish the client (the same gates, `skill_gates.rs`).
        // Common gates always do, and unmatched work counts for nothing by default, so the usual
        // settlement reads the gates once at most.
        let counts = |matched| crate::reputation::work_counts(&self.config.reputation, matched);
        let establishing = common_gates
            || (matches!(kind, EventKind::TaskSettled { outcome, .. } if counts(outcome.matched))
                && self.tasks.get(task.index()).is_some_and(|t| self.gates_establish(t)));
        // The rare gates its client vouches for by settling it (`gate_vouchers.rs`); chosen work
        // behind common gates alone has none, so the usual settlement skips the look.
        let vouches = match kind {
            EventKind::TaskSettled { .. } if !common_gates => {
                self.tasks.get(task.index()).map(|t| self.rare_gates_vouched(t)).unwrap_or_default()
            }
            _ => Vec::new(),
        };
        // A rating of chosen work behind a rare gate is kept apart by its agent's record
        // (`reputation/gated.rs`), as the gates stand when it is given.
        let rated_behind_rare_gate = matches!(kind, EventKind::TaskRated { .. })
            && self.tasks.get(task.index()).is_some_and(|t| {
                matches!(t.status, TaskStatus::Settled { matched: true, .. }) && !self.gates_establish(t)
            });
        let Some(t) = self.tasks.get_mut(task.index()) else {
            debug_assert!(false, "event for unknown {task}");
            return;
        };
        let before = Indexed { deadline: t.deadline(), occupying: occupying(t), terminal: t.status.is_terminal() };
        let client = t.client;
        let old = std::mem::replace(&mut t.status, TaskStatus::Expired);
        t.status = match (old, kind) {
            (TaskStatus::Open { .. }, EventKind::TaskCancelled { refund, .. }) => {
                debit(&mut t.escrow, *refund);
                credit(&mut self.clients[client.index()].balance, *refund);
                TaskStatus::Cancelled
            }
            (TaskStatus::Open { .. }, EventKind::TaskExpired { refund, .. }) => {
                debit(&mut t.escrow, *refund);
                credit(&mut self.clients[client.index()].balance, *refund);
                TaskStatus::Expired
            }
            (TaskStatus::Open { bids, mut queued }, EventKind::ClaimQueued { agent, .. }) => {
                queued.push(*agent);
                TaskStatus::Open { bids, queued }
            }
            (TaskStatus::Open { bids, mut queued }, EventKind::ClaimLost { agent, .. }) => {
                queued.retain(|a| a != agent);
                TaskStatus::Open { bids, queued }
            }
            (TaskStatus::Open { mut bids, queued }, EventKind::BidPlaced { agent, price, eta_ms, .. }) => {
                // A new bid replaces the agent's old one and goes to the back of the line.
                bids.retain(|b| b.agent != *agent);
                bids.push(crate::task::Bid { agent: *agent, price: *price, eta_ms: *eta_ms, placed_at: at });
                TaskStatus::Open { bids, queued }
            }
            (
                TaskStatus::Open { mut bids, queued },
                EventKind::BidWithdrawn { agent, .. } | EventKind::BidEvicted { agent, .. },
            ) => {
                bids.retain(|b| b.agent != *agent);
                TaskStatus::Open { bids, queued }
            }
            (
                TaskStatus::Open { .. },
                EventKind::TaskClaimed { agent, price, lease_due, exploring, matched, premium, .. },
            ) => {
                self.fairness.release(task);
                t.shortlist = Vec::new();
                let a = &self.agents[agent.index()];
                self.fairness.assigned(self.reputation.tier(a.id), a.kind, *exploring);
                self.fairness.restart_wait(*agent);
                TaskStatus::Claimed {
                    work: Work {
                        agent: *agent,
                        price: *price,
                        premium: *premium,
                        claimed_at: at,
                        lease_due: *lease_due,
                        lease_left_ms: 0,
                        worked_ms: 0,
                        stretch_started: at,
                        clarifications: 0,
                        revisions: 0,
                        verification_attempts: 0,
                        failed_criteria: Vec::new(),
                        first_attempt_passed: None,
                        self_check_agreed: false,
                        matched: *matched,
                        exploring: *exploring,
                    },
                }
            }
            (
                TaskStatus::Claimed { work } | TaskStatus::InputRequired { work, .. },
                EventKind::TaskReturned { reason, .. },
            ) => {
                match reason {
                    // The client's silence freed the agent: no penalty, and it may come back.
                    ReturnReason::QuestionUnanswered => {}
                    // Moderation is no measure of the work: no penalty, but it may not come back.
                    ReturnReason::Moderated => t.note_dropped(work.agent),
                    ReturnReason::Released => t.note_dropped(work.agent),
                    ReturnReason::ReleasedLate => {
                        t.note_dropped(work.agent);
                        self.reputation.record_abandonment(&self.config.reputation, work.agent, t.category, at);
                        sync_row!(self, work.agent);
                    }
                }
                TaskStatus::Open { bids: Vec::new(), queued: Vec::new() }
            }
            (TaskStatus::Claimed { work }, EventKind::TaskAbandoned { category, .. }) => {
                t.note_dropped(work.agent);
                self.reputation.record_abandonment(&self.config.reputation, work.agent, *category, at);
                sync_row!(self, work.agent);
                TaskStatus::Open { bids: Vec::new(), queued: Vec::new() }
            }
            (
                TaskStatus::Claimed { mut work },
                EventKind::ClarificationRequested { question, round, answer_due, .. },
            ) => {
                work.worked_ms = work.worked_ms.saturating_add(at.saturating_sub(work.stretch_started));
                work.lease_left_ms = work.lease_due.saturating_sub(at);
                work.clarifications = *round;
                TaskStatus::InputRequired { work, question: question.clone(), answer_due: *answer_due }
            }
            (TaskStatus::InputRequired { mut work, .. }, EventKind::ClarificationAnswered { lease_due, .. }) => {
                work.lease_due = *lease_due;
                work.stretch_started = at;
                TaskStatus::Claimed { work }
            }
            (TaskStatus::Claimed { mut work }, EventKind::WorkSubmitted { submission, .. }) => {
                work.worked_ms = work.worked_ms.saturating_add(at.saturating_sub(work.stretch_started));
                work.stretch_started = at;
                work.verification_attempts = work.verification_attempts.saturating_add(1);
                TaskStatus::Submitted { work, submission: submission.clone() }
            }
            (TaskStatus::Submitted { mut work, .. }, EventKind::VerificationFailed { failed, .. }) => {
                for f in failed {
                    if let Err(i) = work.failed_criteria.binary_search(&f.criterion) {
                        work.failed_criteria.insert(i, f.criterion.clone());
                    }
                }
                work.first_attempt_passed.get_or_insert(false);
                TaskStatus::Claimed { work }
            }
            (
                TaskStatus::Submitted { mut work, submission },
                EventKind::VerificationPassed { self_check_agreed, route, review_due, .. },
            ) => {
                work.first_attempt_passed.get_or_insert(true);
                work.self_check_agreed = *self_check_agreed;
                TaskStatus::UnderReview { work, submission, route: *route, verified_at: at, review_due: *review_due }
            }
            (TaskStatus::UnderReview { mut work, .. }, EventKind::RevisionRequested { round, lease_due, .. }) => {
                work.revisions = *round;
                work.lease_due = *lease_due;
                work.stretch_started = at;
                TaskStatus::Claimed { work }
            }
            (status, EventKind::AgentsRanked { ranked, .. }) => {
                for r in ranked {
                    if let Some(a) = self.agents.get(r.agent.index()) {
                        self.fairness.exposed(self.reputation.tier(a.id), a.kind);
                    }
                }
                // The latest ranking of an open task decides its shortlist (whose claims are the
                // market's choice) and its hold: its top entry's agent if exploration put it
                // there, else none.
                if matches!(status, TaskStatus::Open { .. }) {
                    t.shortlist = ranked.iter().take(SHORTLIST).map(|r| r.agent).collect();
                }
                match ranked.first() {
                    Some(top) if top.exploratory && matches!(status, TaskStatus::Open { .. }) => {
                        self.fairness.hold(task, top.agent)
                    }
                    _ => self.fairness.release(task),
                }
                status
            }
            (status @ TaskStatus::UnderReview { .. }, EventKind::WorkAccepted { .. })
            | (status @ TaskStatus::Disputed { .. }, EventKind::DisputeResolved { .. }) => status,
            (
                TaskStatus::UnderReview { work, submission, verified_at, .. },
                EventKind::WorkRejected { failed_criteria, dispute_by, .. },
            ) => TaskStatus::Rejected {
                work,
                submission,
                failed_criteria: failed_criteria.clone(),
                review_latency_ms: at.saturating_sub(verified_at),
                dispute_by: *dispute_by,
            },
            (
                TaskStatus::Rejected { work, submission, review_latency_ms, .. },
                EventKind::DisputeOpened { resolve_by, .. },
            ) => TaskStatus::Disputed { work, submission, review_latency_ms, resolve_by: *resolve_by },
            (
                TaskStatus::UnderReview { work, .. }
                | TaskStatus::Rejected { work, .. }
                | TaskStatus::Disputed { work, .. },
                EventKind::TaskSettled { settlement, outcome },
            ) => {
                debug_assert_eq!(
                    u128::from(settlement.to_agent) + u128::from(settlement.fee) + u128::from(settlement.refund),
                    u128::from(t.escrow)
                );
                t.escrow = 0;
                credit(&mut self.agents[work.agent.index()].balance, settlement.to_agent);
                credit(&mut self.platform_balance, settlement.fee);
                credit(&mut self.clients[client.index()].balance, settlement.refund);
                self.reputation.record_outcome(&self.config.reputation, outcome, at, establishing);
                for skill in vouches {
                    if self.gate_vouchers.vouch(&skill, client) {
                        let vouched = &mut self.clients[client.index()].vouched_gates;
                        let at = vouched.partition_point(|s| *s < skill);
                        vouched.insert(at, skill);
                    }
                }
                // Work the market chose on its evidence (not a trial) on a task only common skills
                // gate measures its agent for every gate it declares (`skill_gates.rs`).
                if common_gates && !work.exploring && self.reputation.count_open_matched(outcome.agent) {
                    let skills =
                        super::skill_gates::coded(&self.skill_index, &self.agents[outcome.agent.index()].skills);
                    self.skill_gates.measure(&skills);
                }
                sync_row!(self, outcome.agent);
                let accepted = matches!(outcome.verdict, Verdict::Accepted | Verdict::AutoAccepted);
                let verified = accepted && outcome.first_attempt_passed;
                TaskStatus::Settled {
                    agent: work.agent,
                    verdict: outcome.verdict,
                    verified,
                    rated: false,
                    matched: work.matched,
                }
            }
            (TaskStatus::Settled { agent, verdict, verified, matched, .. }, EventKind::TaskRated { rating, .. }) => {
                let same_owner = self.clients[client.index()].owner_code == self.agents[agent.index()].owner_code;
                let stars = *rating;
                let input = RatingInput {
                    client,
                    agent,
                    category: t.category,
                    stars,
                    verified,
                    same_owner,
                    matched,
                    behind_rare_gate: rated_behind_rare_gate,
                    task,
                };
                self.reputation.record_rating(&self.config.reputation, input, at);
                sync_row!(self, agent);
                TaskStatus::Settled { agent, verdict, verified, rated: true, matched }
            }
            (old, kind) => {
                debug_assert!(false, "event {} does not apply to {task} in state {}", kind.name(), old.name());
                old
            }
        };
        if !matches!(self.tasks[task.index()].status, TaskStatus::Open { .. }) {
            // A task off the board holds no place in the exploration budget.
            self.fairness.release(task);
        }
        if !before.terminal && self.tasks[task.index()].status.is_terminal() {
            let bytes = self.tasks[task.index()].spec.stored_bytes() as u64;
            let c = &mut self.clients[client.index()];
            c.live_bytes = c.live_bytes.saturating_sub(bytes);
        }
        self.reindex(task, before);
    }

    /// Record a party's new standing; an agent's matching row follows (a suspended or closed
    /// agent's row is `full`, so ranking passes it by).
    fn set_standing(&mut self, party: PartyRef, standing: Standing) {
        match party {
            PartyRef::Client { id } => {
                if let Some(c) = self.clients.get_mut(id.index()) {
                    c.standing = standing;
                }
            }
            PartyRef::Agent { id } => {
                if let Some(a) = self.agents.get_mut(id.index()) {
                    a.standing = standing;
                }
                sync_row!(self, id);
            }
        }
    }

    /// Bring the deadline index and the holder's load in line with the task's new state.
    fn reindex(&mut self, task: TaskId, before: Indexed) {
        let t = &self.tasks[task.index()];
        let (deadline, holder) = (t.deadline(), occupying(t));
        if before.deadline != deadline {
            if let Some(old) = before.deadline {
                self.deadlines.remove(&(old, task));
            }
            if let Some(new) = deadline {
                self.deadlines.insert((new, task));
            }
        }
        if before.occupying != holder {
            if let Some(a) = before.occupying {
                // Saturating: `a` held this task until now, so its load is at least 1.
                let active = &mut self.agents[a.index()].active;
                *active = active.saturating_sub(1);
                self.sync_active(a);
            }
            if let Some(a) = holder {
                // A load counts tasks (ids are u32), so it cannot pass u32::MAX; saturate anyway.
                let active = &mut self.agents[a.index()].active;
                *active = active.saturating_add(1);
                self.sync_active(a);
            }
        }
    }

    /// Rebuild every derived index from the source state (after loading a snapshot).
    pub(super) fn rebuild_indexes(&mut self) {
        self.deadlines.clear();
        self.category_index =
            self.categories.iter().enumerate().map(|(i, n)| (n.clone(), crate::ids::CategoryId(i as u32))).collect();
        self.skill_index.clear();
        self.skill_refs.clear();
        self.skill_gates = Default::default();
        self.gate_vouchers = super::gate_vouchers::GateVouchers::afresh(&self.clients);
        self.free_skill_codes.clear();
        self.owner_index.clear();
        for i in 0..self.clients.len() {
            self.clients[i].owner_code = self.intern_owner(&self.clients[i].owner.clone());
        }
        for i in 0..self.reviewers.len() {
            self.reviewers[i].owner_code = self.intern_owner(&self.reviewers[i].owner.clone());
        }
        for i in 0..self.agents.len() {
            self.agents[i].owner_code = self.intern_owner(&self.agents[i].owner.clone());
            self.agents[i].active = 0;
            self.skill_gates.add_agent(self.measured(crate::ids::AgentId(i as u32)));
            self.code_skills(crate::ids::AgentId(i as u32));
        }
        for c in &mut self.clients {
            c.live_bytes = 0;
        }
        for i in 0..self.clients.len() {
            if let Some(r) = self.reputation.client_mut(crate::ids::ClientId(i as u32)) {
                r.rebuild_counted_spend();
            }
        }
        for t in &self.tasks {
            if !t.status.is_terminal() {
                if let Some(c) = self.clients.get_mut(t.client.index()) {
                    c.live_bytes += t.spec.stored_bytes() as u64;
                }
            }
            if let Some(d) = t.deadline() {
                self.deadlines.insert((d, t.id));
            }
            if let Some(a) = occupying(t) {
                let active = &mut self.agents[a.index()].active;
                *active = active.saturating_add(1);
            }
        }
        self.rebuild_match_index();
    }
}

/// Move `amount` into an account (saturating: see the module notes).
fn credit(account: &mut Money, amount: Money) {
    *account = account.saturating_add(amount);
}

/// Move `amount` out of an account (saturating at 0: see the module notes).
fn debit(account: &mut Money, amount: Money) {
    *account = account.saturating_sub(amount);
}

fn occupying(t: &Task) -> Option<AgentId> {
    t.occupying()
}

/// The task an event is about, for events about one task.
fn task_of(kind: &EventKind) -> Option<TaskId> {
    use EventKind::*;
    match kind {
        TaskCancelled { task, .. }
        | TaskExpired { task, .. }
        | ClaimQueued { task, .. }
        | ClaimLost { task, .. }
        | BidPlaced { task, .. }
        | BidWithdrawn { task, .. }
        | BidEvicted { task, .. }
        | TaskClaimed { task, .. }
        | TaskReturned { task, .. }
        | TaskAbandoned { task, .. }
        | ClarificationRequested { task, .. }
        | ClarificationAnswered { task, .. }
        | WorkSubmitted { task, .. }
        | VerificationFailed { task, .. }
        | VerificationPassed { task, .. }
        | RevisionRequested { task, .. }
        | WorkAccepted { task, .. }
        | WorkRejected { task, .. }
        | DisputeOpened { task, .. }
        | DisputeResolved { task, .. }
        | TaskRated { task, .. }
        | AgentsRanked { task, .. } => Some(*task),
        TaskSettled { settlement, .. } => Some(settlement.task),
        _ => None,
    }
}
