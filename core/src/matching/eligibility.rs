//! Eligibility gates. Each failed gate is a [`Refusal`] that reads as a sentence, e.g.
//! "skill fin-docs level 2 < required 3" or "invoice-extraction reputation lower bound 0.71 <
//! required 0.80". The fast path (`is_eligible`) and the explaining path share one walk over the
//! gates, so they cannot disagree.

use super::inputs::MatchingInputs;
use crate::ids::{Money, Timestamp};
use crate::party::{Agent, AgentKind};
use crate::spec::AgentKinds;
use crate::task::Task;
use crate::tier::Tier;
use std::fmt;
use std::ops::ControlFlow;

/// Which gates to apply: claims skip the agent's own minimum-rate preference (the agent chose to
/// claim), recommendations apply it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// An agent claiming or bidding.
    Claim,
    /// The market proposing agents for a task (ranking, batch assignment).
    Recommend,
}

/// One failed gate.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal<'a> {
    /// The agent is suspended or closed (see [`crate::party::Standing`]).
    Standing {
        /// Its standing's name (`Suspended` or `Closed`).
        standing: &'static str,
    },
    /// The task admits only AI or only human agents.
    Kind {
        /// What the task admits.
        admits: AgentKinds,
        /// What the agent is.
        is: AgentKind,
    },
    /// The agent's tier is below the task's minimum.
    Tier {
        /// The agent's tier.
        have: Tier,
        /// The minimum.
        need: Tier,
    },
    /// The priority window is open and the agent's tier is below it.
    Window {
        /// The agent's tier.
        have: Tier,
        /// The window's tier.
        need: Tier,
        /// When the window closes.
        closes: Timestamp,
    },
    /// A required skill is not declared, or below the required level.
    Skill {
        /// The skill.
        skill: &'a str,
        /// The declared level, if any.
        have: Option<u8>,
        /// The required level.
        need: u8,
    },
    /// The category reputation's lower bound is below the risk gate.
    Reputation {
        /// The category's name.
        category: &'a str,
        /// The agent's lower bound.
        lower: f64,
        /// The gate.
        need: f64,
    },
    /// The agent gave this task up before (returned it or let its lease run out).
    Dropped,
    /// Agent and client belong to the same organisation.
    Conflict {
        /// The shared owner.
        owner: &'a str,
    },
    /// The pay is below what the agent asks (recommendations only).
    Rate {
        /// The pay.
        pay: Money,
        /// The agent's minimum rate.
        min_rate: Money,
    },
}

impl fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Standing { standing } => {
                write!(f, "the agent is {} and may take no work", standing.to_lowercase())
            }
            Refusal::Kind { admits, is } => {
                let admits = if *admits == AgentKinds::Ai { "AI" } else { "human" };
                let is = if *is == AgentKind::Ai { "an AI agent" } else { "a human" };
                write!(f, "task admits {admits} agents only; the agent is {is}")
            }
            Refusal::Tier { have, need } => write!(f, "tier {have} < required {need}"),
            Refusal::Window { have, need, closes } => {
                write!(f, "priority window until {closes} admits tier {need} and above; agent is {have}")
            }
            Refusal::Skill { skill, have: None, need } => {
                write!(f, "skill {skill} not declared (required level {need})")
            }
            Refusal::Skill { skill, have: Some(have), need } => {
                write!(f, "skill {skill} level {have} < required {need}")
            }
            Refusal::Reputation { category, lower, need } => {
                write!(f, "{category} reputation lower bound {lower:.2} < required {need:.2}")
            }
            Refusal::Dropped => write!(f, "the agent gave this task up before and may not take it again"),
            Refusal::Conflict { owner } => {
                write!(f, "conflict of interest: agent and client are both owned by {owner}")
            }
            Refusal::Rate { pay, min_rate } => write!(f, "pay {pay} < agent's minimum rate {min_rate}"),
        }
    }
}

/// What the gates need to know about one task, looked up once when many agents are checked.
#[derive(Clone, Debug)]
pub struct TaskGate {
    /// The posting client's owner code (conflict of interest).
    pub client_owner: Option<u32>,
    /// The code of each required skill (`None`: no agent ever declared it); empty to look the
    /// skills up by name (one agent checked: not worth the lookups).
    pub skill_codes: Vec<Option<u32>>,
}

impl TaskGate {
    /// The lookups for `task`.
    pub fn new(inputs: &impl MatchingInputs, task: &Task) -> TaskGate {
        TaskGate {
            client_owner: inputs.client_owner(task.client),
            skill_codes: inputs.required_skill_codes(&task.spec),
        }
    }
}

/// Walk the gates, calling `on_refusal` for each failure until it says stop.
fn gates<'a>(
    inputs: &'a impl MatchingInputs,
    task: &'a Task,
    agent: &'a Agent,
    now: Timestamp,
    gate: Gate,
    lookups: &TaskGate,
    mut on_refusal: impl FnMut(Refusal<'a>) -> ControlFlow<()>,
) {
    let client_owner = lookups.client_owner;
    let spec = &task.spec;
    let rules = &spec.eligibility;
    macro_rules! refuse {
        ($r:expr) => {
            if on_refusal($r).is_break() {
                return;
            }
        };
    }
    if !agent.standing.is_active() {
        refuse!(Refusal::Standing { standing: agent.standing.name() });
    }
    if !rules.agent_kinds.admits(agent.kind) {
        refuse!(Refusal::Kind { admits: rules.agent_kinds, is: agent.kind });
    }
    if task.dropped_by.contains(&agent.id) {
        refuse!(Refusal::Dropped);
    }
    // Owners compare by their interned keys, so spelling ("ACME", "acme\u{200B}") cannot hide one.
    if client_owner == Some(agent.owner_code) {
        refuse!(Refusal::Conflict { owner: &agent.owner });
    }
    let tier = inputs.reputation().tier(agent.id);
    if tier < rules.min_tier {
        refuse!(Refusal::Tier { have: tier, need: rules.min_tier });
    }
    if let (Some(need), Some(closes)) = (task.window_tier(now), task.window_closes_at()) {
        if tier < need {
            refuse!(Refusal::Window { have: tier, need, closes });
        }
    }
    for (i, need) in spec.required_skills.iter().enumerate() {
        let have = match lookups.skill_codes.get(i) {
            Some(code) => agent.skill_level_coded(&need.skill, *code),
            None => agent.skill_level(&need.skill),
        };
        if have.is_none_or(|level| level < need.min_level) {
            refuse!(Refusal::Skill { skill: &need.skill, have, need: need.min_level });
        }
    }
    if let Some(min_bps) = rules.min_reputation_bps {
        let lower = inputs.reputation().score(inputs.reputation_config(), agent.id, task.category).lower;
        let need = f64::from(min_bps) / 10_000.0;
        if lower < need {
            refuse!(Refusal::Reputation { category: inputs.category_name(task.category), lower, need });
        }
    }
    // What the task would pay this agent: with a tier premium, its tier's price.
    let pay = spec.pricing.offered(inputs.reputation().tier(agent.id));
    if gate == Gate::Recommend && pay < agent.min_rate {
        refuse!(Refusal::Rate { pay, min_rate: agent.min_rate });
    }
}

/// Every gate `agent` fails for `task` at `now`, as sentences; empty when eligible. Capacity is
/// not a gate here (it is its own rejection, `AtCapacity`, since it changes minute to minute).
pub fn eligibility_refusals(
    inputs: &impl MatchingInputs,
    task: &Task,
    agent: &Agent,
    now: Timestamp,
    gate: Gate,
) -> Vec<String> {
    let lookups = TaskGate { client_owner: inputs.client_owner(task.client), skill_codes: Vec::new() };
    let mut out = Vec::new();
    gates(inputs, task, agent, now, gate, &lookups, |r| {
        out.push(r.to_string());
        ControlFlow::Continue(())
    });
    out
}

/// Whether `agent` passes every recommendation gate (no allocation; stops at the first failure).
/// `lookups` is [`TaskGate::new`] for the task, made once by the caller.
pub fn is_eligible(
    inputs: &impl MatchingInputs,
    task: &Task,
    agent: &Agent,
    now: Timestamp,
    lookups: &TaskGate,
) -> bool {
    let mut ok = true;
    gates(inputs, task, agent, now, Gate::Recommend, lookups, |_| {
        ok = false;
        ControlFlow::Break(())
    });
    ok
}
