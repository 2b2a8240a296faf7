//! Views filtered by actor: what a party may see of a task.
//!
//! Confidential inputs are visible to the task's client, its current holder and a human
//! reviewer the work is routed to; restricted inputs to the client and the holder only. Bids are
//! visible to the client (an agent sees its own). Submissions are visible to the client, the
//! holder, a routed reviewer and the operator.

use super::Market;
use crate::actor::Actor;
use crate::event::{ReviewRoute, Verdict};
use crate::hash::Digest;
use crate::ids::{AgentId, ClientId, Money, TaskId, Timestamp};
use crate::output::Submission;
use crate::rejection::Rejection;
use crate::spec::{DataClass, TaskSpec, TierPremium};
use crate::task::{Bid, Task, TaskStatus};
use serde::{Deserialize, Serialize};

/// A task as one actor may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TaskView {
    /// The task.
    pub id: TaskId,
    /// Who posted it.
    pub client: ClientId,
    /// Its state's name (`Open`, `Claimed`, ...): the `state` of its `TaskStatus`.
    #[cfg_attr(feature = "ts", tsify(type = "TaskStatus[\"state\"]"))]
    pub state: String,
    /// The specification, with `inputs` emptied: see `inputs` for what this actor may see.
    pub spec: TaskSpec,
    /// The inputs, redacted for this actor.
    pub inputs: Vec<InputView>,
    /// The pinned content hash (claim with it).
    pub spec_hash: Digest,
    /// When posted.
    pub posted_at: Timestamp,
    /// Money in escrow.
    pub escrow: Money,
    /// The agent holding it, if any.
    pub holder: Option<AgentId>,
    /// The agreed price, once held.
    pub price: Option<Money>,
    /// While held, how a tier premium set `price` ("reward R, premium for tier T: x %, paid
    /// P"); `null` when the task carries no premium or nobody holds it.
    pub premium: Option<TierPremium>,
    /// The next deadline.
    pub deadline: Option<Timestamp>,
    /// Bids this actor may see.
    pub bids: Vec<Bid>,
    /// Claims waiting for priority-window arbitration.
    pub queued_claims: Vec<AgentId>,
    /// The open clarification question, if any.
    pub question: Option<String>,
    /// The submission, if this actor may see it.
    pub submission: Option<Submission>,
    /// Who reviews it, while under review.
    pub review_route: Option<ReviewRoute>,
    /// How it ended, once settled.
    pub verdict: Option<Verdict>,
    /// Whether the client rated it, once settled.
    pub rated: bool,
}

/// An input reference; `uri` is null when this actor may not see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct InputView {
    /// Its name.
    pub name: String,
    /// Its classification.
    pub classification: DataClass,
    /// Whether the actor may see the input (its classification allows it).
    pub visible: bool,
    /// Where it is, if it is a reference and visible.
    pub uri: Option<String>,
    /// The data itself, if it is inline and visible.
    pub content: Option<String>,
}

impl InputView {
    /// The input as a specification carries it, for an agent's dry run
    /// ([`crate::verify::dry_run`]); none if the actor may not see it.
    pub fn to_input(&self) -> Option<crate::spec::InputRef> {
        self.visible.then(|| crate::spec::InputRef {
            name: self.name.clone(),
            uri: self.uri.clone().unwrap_or_default(),
            content: self.content.clone(),
            classification: self.classification,
        })
    }
}

impl Market {
    /// A task as `actor` may see it. Refused for an actor that names no party, as its commands
    /// are (`UnknownAgent`, ...), then for an unknown task.
    pub fn task_view(&self, actor: Actor, task: TaskId) -> Result<TaskView, Rejection> {
        self.check_actor(actor)?;
        let t = self.task_ref(task)?;
        Ok(self.view_of(actor, t))
    }

    /// Every task as `actor` may see it, optionally only those in one state (by name). Refused
    /// for an actor that names no party, as its commands are.
    pub fn task_views(&self, actor: Actor, state: Option<&str>) -> Result<Vec<TaskView>, Rejection> {
        self.check_actor(actor)?;
        Ok(self
            .tasks
            .iter()
            .filter(|t| state.is_none_or(|s| t.status.name() == s))
            .map(|t| self.view_of(actor, t))
            .collect())
    }

    fn view_of(&self, actor: Actor, t: &Task) -> TaskView {
        let is_client = actor == Actor::Client { id: t.client };
        let holder = t.holder();
        let is_holder = holder.is_some_and(|a| actor == Actor::Agent { id: a });
        // The reviewer the work is routed to sees what it needs to judge it; the operator, when
        // routed the review, is that reviewer.
        let routed_reviewer = match (&t.status, actor) {
            (TaskStatus::UnderReview { route, .. }, Actor::Reviewer { .. }) => route.is_human(),
            (TaskStatus::UnderReview { route, .. }, Actor::Operator) => *route == crate::event::ReviewRoute::Operator,
            _ => false,
        };
        let stored = t.stored_spec();
        let inputs = stored
            .inputs
            .iter()
            .map(|i| {
                let visible = match i.classification {
                    DataClass::Public => true,
                    DataClass::Confidential => is_client || is_holder || routed_reviewer,
                    DataClass::Restricted => is_client || is_holder,
                };
                InputView {
                    name: i.name.clone(),
                    classification: i.classification,
                    visible,
                    uri: (visible && !i.uri.is_empty()).then(|| i.uri.clone()),
                    content: if visible { i.content.clone() } else { None },
                }
            })
            .collect();
        let mut spec = stored.into_owned();
        spec.inputs.clear();
        let (bids, queued_claims, question, submission) = match &t.status {
            TaskStatus::Open { bids, queued } => {
                let bids = bids
                    .iter()
                    .filter(|b| is_client || actor == Actor::Operator || actor == Actor::Agent { id: b.agent })
                    .copied()
                    .collect();
                (bids, queued.clone(), None, None)
            }
            TaskStatus::InputRequired { question, .. } => (Vec::new(), Vec::new(), Some(question.clone()), None),
            TaskStatus::Submitted { submission, .. }
            | TaskStatus::UnderReview { submission, .. }
            | TaskStatus::Rejected { submission, .. }
            | TaskStatus::Disputed { submission, .. } => {
                let visible = is_client || is_holder || routed_reviewer || actor == Actor::Operator;
                (Vec::new(), Vec::new(), None, visible.then(|| (**submission).clone()))
            }
            _ => (Vec::new(), Vec::new(), None, None),
        };
        TaskView {
            id: t.id,
            client: t.client,
            state: t.status.name().to_owned(),
            spec,
            inputs,
            spec_hash: t.spec_hash,
            posted_at: t.posted_at,
            escrow: t.escrow,
            holder,
            price: t.status.work().map(|w| w.price),
            premium: t.status.work().and_then(|w| w.premium),
            deadline: t.deadline(),
            bids,
            queued_claims,
            question,
            submission,
            review_route: match &t.status {
                TaskStatus::UnderReview { route, .. } => Some(*route),
                _ => None,
            },
            verdict: match &t.status {
                TaskStatus::Settled { verdict, .. } => Some(*verdict),
                _ => None,
            },
            rated: matches!(t.status, TaskStatus::Settled { rated: true, .. }),
        }
    }
}
