//! Deciding commands while an agent holds a task: clarifications and submission (with automated
//! verification and review routing).

use super::tasks::later;
use super::{validate, Market};
use crate::actor::Actor;
use crate::command::Command;
use crate::event::{EventKind, ReviewRoute};
use crate::ids::{AgentId, Timestamp, FULL_BPS};
use crate::limits::{
    MAX_ITEMS, MAX_NAME_LEN, MAX_OUTPUT_DEPTH, MAX_OUTPUT_TEXT_BYTES, MAX_OUTPUT_VALUES, MAX_TEXT_LEN, MAX_VALUE_LEN,
};
use crate::output::{FieldValue, Output, SelfCheck, Submission};
use crate::rejection::Rejection;
use crate::rng;
use crate::task::{Task, TaskStatus};
use crate::verify::verify;
use std::sync::Arc;

/// Purpose tag of the review-sampling draw, so it is independent of other draws.
const REVIEW_SAMPLE_DRAW: u64 = 1;

impl Market {
    pub(super) fn decide_work(
        &self,
        now: Timestamp,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<EventKind>, Rejection> {
        match command {
            Command::AskClarification { task, question } => {
                let (t, work) = self.held_task(actor, task, "ask a clarification")?;
                if !matches!(t.status, TaskStatus::Claimed { .. }) {
                    return Err(Self::invalid_state(t, "ask about"));
                }
                self.before(t, now, work.lease_due, "ask about")?;
                let limit = t.spec.deadlines.max_clarifications;
                if work.clarifications >= limit {
                    return Err(Rejection::ClarificationLimit { task, limit });
                }
                validate::required_text("question", &question, MAX_TEXT_LEN)?;
                Ok(vec![EventKind::ClarificationRequested {
                    task,
                    agent: work.agent,
                    question,
                    // Cannot overflow: `clarifications < limit` was just checked.
                    round: work.clarifications.saturating_add(1),
                    answer_due: later(now, t.spec.deadlines.clarification_timeout_ms),
                }])
            }
            Command::AnswerClarification { task, answer } => {
                let (t, _) = self.own_task(actor, task, "answer a clarification")?;
                let TaskStatus::InputRequired { work, answer_due, .. } = &t.status else {
                    return Err(Self::invalid_state(t, "answer about"));
                };
                self.before(t, now, *answer_due, "answer about")?;
                validate::required_text("answer", &answer, MAX_TEXT_LEN)?;
                Ok(vec![EventKind::ClarificationAnswered { task, answer, lease_due: later(now, work.lease_left_ms) }])
            }
            Command::SubmitWork { task, output, self_check } => {
                let (t, work) = self.held_task(actor, task, "submit work")?;
                if !matches!(t.status, TaskStatus::Claimed { .. }) {
                    return Err(Self::invalid_state(t, "submit to"));
                }
                self.before(t, now, work.lease_due, "submit to")?;
                check_output(&output)?;
                check_self_check(&self_check)?;
                let verification = verify(&t.spec.acceptance, &t.spec.inputs, &output, &self_check);
                let confidence = self_check.confidence_bps;
                let submission = Arc::new(Submission { output, self_check });
                // A hand-in gives two events (the submission and its verification's verdict).
                let mut events = Vec::with_capacity(2);
                events.push(EventKind::WorkSubmitted { task, agent: work.agent, submission });
                if !verification.failed.is_empty() {
                    events.push(EventKind::VerificationFailed { task, failed: verification.failed });
                    return Ok(events);
                }
                let policy = &t.spec.review;
                let attempt = u64::from(work.verification_attempts) + 1;
                let wanted = if policy.human_review_below_confidence_bps.is_some_and(|floor| confidence < floor) {
                    ReviewRoute::HumanLowConfidence
                } else if policy.human_sample_bps > 0
                    && rng::draw_bps(self.config.seed, REVIEW_SAMPLE_DRAW, u64::from(task.0), attempt)
                        < policy.human_sample_bps
                {
                    ReviewRoute::HumanSampled
                } else {
                    ReviewRoute::Client
                };
                let route = self.review_route(t, work.agent, wanted);
                events.push(EventKind::VerificationPassed {
                    task,
                    criteria_checked: verification.checked,
                    self_check_agreed: verification.self_check_agreed,
                    route,
                    review_due: later(now, policy.window_ms),
                });
                Ok(events)
            }
            other => unreachable!("decide_work got {}", other.name()),
        }
    }
}

impl Market {
    /// The engine's verification as a dry run on `task`, for `actor` (typically the agent about
    /// to submit): the refusals `SubmitWork` would give an output or self-check of the wrong
    /// shape, then the verification it would record, reading the inputs `actor` may see. Changes
    /// nothing. Refused for an unknown actor or task, as `task_view` is.
    pub fn check_submission(
        &self,
        actor: Actor,
        task: crate::ids::TaskId,
        output: &Output,
        self_check: &SelfCheck,
    ) -> Result<crate::verify::Verification, Rejection> {
        let view = self.task_view(actor, task)?;
        let inputs: Vec<_> = view.inputs.iter().filter_map(|i| i.to_input()).collect();
        crate::verify::dry_run(&view.spec.acceptance, &inputs, output, self_check)
    }

    /// Who reviews `t`, delivered by `agent`, when the policy asks for `wanted`: somebody who can
    /// and has no conflict of interest, so that nobody's silence is the only possible review.
    /// A human route with no independent reviewer (none registered, or every one shares an owner
    /// with the client or the agent) falls back to the client; the client's route, when the client
    /// shares an owner with the agent (a task claimed before owners were compared by key), falls
    /// back to the operator.
    fn review_route(&self, t: &Task, agent: AgentId, wanted: ReviewRoute) -> ReviewRoute {
        let independent = || self.reviewers.iter().any(|r| !self.owner_conflict(t, agent, r.owner_code));
        let route = if wanted.is_human() && !independent() { ReviewRoute::Client } else { wanted };
        let client_conflicted = self.clients[t.client.index()].owner_code == self.agents[agent.index()].owner_code;
        if route == ReviewRoute::Client && client_conflicted {
            ReviewRoute::Operator
        } else {
            route
        }
    }
}

/// An output's shape: at most [`MAX_ITEMS`] fields with valid names; every number finite; every
/// text at most [`MAX_VALUE_LEN`] bytes and all of them together at most
/// [`MAX_OUTPUT_TEXT_BYTES`]; lists and records at most [`MAX_OUTPUT_DEPTH`] deep with at most
/// [`MAX_OUTPUT_VALUES`] values in all. Verification's cost is linear in what passes here.
pub(crate) fn check_output(output: &Output) -> Result<(), Rejection> {
    validate::items("output fields", output.len(), MAX_ITEMS)?;
    let mut seen = OutputSize::default();
    for (name, value) in output {
        validate::name("output field name", name)?;
        check_value(name, value, 1, &mut seen)?;
    }
    Ok(())
}

/// What an output holds so far, against its limits.
#[derive(Default)]
struct OutputSize {
    values: usize,
    text_bytes: usize,
}

fn check_value(name: &str, value: &FieldValue, depth: usize, seen: &mut OutputSize) -> Result<(), Rejection> {
    seen.values += 1;
    if seen.values > MAX_OUTPUT_VALUES {
        return Err(Rejection::too_large("output values (at every level)", MAX_OUTPUT_VALUES));
    }
    if depth > MAX_OUTPUT_DEPTH {
        return Err(Rejection::too_large("output nesting (levels of lists and records)", MAX_OUTPUT_DEPTH));
    }
    match value {
        FieldValue::Number(n) if !n.is_finite() => {
            Err(Rejection::out_of_range("output value", format!("{name} is not a finite number")))
        }
        FieldValue::Text(t) => {
            validate::text("output value", t, MAX_VALUE_LEN)?;
            seen.text_bytes += t.len();
            if seen.text_bytes > MAX_OUTPUT_TEXT_BYTES {
                return Err(Rejection::too_large("output texts together (bytes)", MAX_OUTPUT_TEXT_BYTES));
            }
            Ok(())
        }
        FieldValue::List(items) => items.iter().try_for_each(|item| check_value(name, item, depth + 1, seen)),
        FieldValue::Record(fields) => fields.iter().try_for_each(|(member, item)| {
            validate::name("output field name", member)?;
            check_value(member, item, depth + 1, seen)
        }),
        FieldValue::Number(_) | FieldValue::Bool(_) => Ok(()),
    }
}

pub(crate) fn check_self_check(check: &SelfCheck) -> Result<(), Rejection> {
    if check.confidence_bps > FULL_BPS {
        return Err(Rejection::out_of_range("confidence_bps", "at most 10000"));
    }
    validate::items("criteria_passed", check.criteria_passed.len(), MAX_ITEMS * 2 + 1)?;
    for c in &check.criteria_passed {
        validate::text("criterion name", c, MAX_NAME_LEN + 6)?;
    }
    validate::text("notes", &check.notes, MAX_TEXT_LEN)
}
