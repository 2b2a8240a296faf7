//! Eligibility gates. Each failed gate is a sentence a person can read.

use crate::ids::Timestamp;
use crate::market::Market;
use crate::party::{Agent, AgentKind};
use crate::spec::AgentKinds;
use crate::task::Task;

/// Which gates to apply: claims skip the agent's own minimum-rate preference (the agent chose to
/// claim), rankings apply it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// An agent claiming or bidding.
    Claim,
    /// The market proposing agents for a task.
    Recommend,
}

/// Every gate `agent` fails for `task` at `now`; empty when eligible. Capacity is not a gate here
/// (it is a separate rejection, `AtCapacity`, since it changes from minute to minute).
pub fn eligibility_refusals(market: &Market, task: &Task, agent: &Agent, now: Timestamp, gate: Gate) -> Vec<String> {
    let spec = &task.spec;
    let rules = &spec.eligibility;
    let mut refusals = Vec::new();
    let kind_ok = match rules.agent_kinds {
        AgentKinds::Any => true,
        AgentKinds::Ai => agent.kind == AgentKind::Ai,
        AgentKinds::Human => agent.kind == AgentKind::Human,
    };
    if !kind_ok {
        refusals.push(format!(
            "task admits {} agents only; {} is {}",
            match rules.agent_kinds {
                AgentKinds::Ai => "AI",
                _ => "human",
            },
            agent.name,
            match agent.kind {
                AgentKind::Ai => "an AI agent",
                AgentKind::Human => "human",
            }
        ));
    }
    let tier = market.tier(agent.id);
    if tier < rules.min_tier {
        refusals.push(format!("tier {tier} < required {}", rules.min_tier));
    }
    if let (Some(window), Some(closes)) = (&spec.priority_window, task.window_closes_at()) {
        if now < closes && tier < window.tier {
            refusals
                .push(format!("priority window until {closes} admits tier {} and above; agent is {tier}", window.tier));
        }
    }
    for need in &spec.required_skills {
        match agent.skill_level(&need.skill) {
            None => refusals.push(format!("skill {} not declared (required level {})", need.skill, need.min_level)),
            Some(level) if level < need.min_level => {
                refusals.push(format!("skill {} level {level} < required {}", need.skill, need.min_level))
            }
            Some(_) => {}
        }
    }
    if let Some(min_bps) = rules.min_reputation_bps {
        let score = market.score(agent.id, task.category);
        let need = f64::from(min_bps) / 10_000.0;
        if score.lower < need {
            refusals.push(format!(
                "{} reputation lower bound {:.2} < required {:.2}",
                market.category_name(task.category),
                score.lower,
                need
            ));
        }
    }
    if let Some(client) = market.client(task.client) {
        if client.owner == agent.owner {
            refusals.push(format!("conflict of interest: agent and client are both owned by {}", agent.owner));
        }
    }
    if gate == Gate::Recommend && spec.pricing.escrow() < agent.min_rate {
        refusals.push(format!("pay {} < agent's minimum rate {}", spec.pricing.escrow(), agent.min_rate));
    }
    refusals
}
