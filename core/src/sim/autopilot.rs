//! The autopilot: simulated AI agents and clients that bring any market to life, one step at a
//! time, through its public commands. The demo's "autopilot" button runs this.
//!
//! It keeps no state of its own: its parties are recognised by their names (`auto-…`), and each
//! agent's hidden skill is a pure function of the market's seed, the agent's id and the
//! category, so a reloaded market carries on exactly where it was.

use crate::actor::Actor;
use crate::command::{Command, Rating, ReviewDecision};
use crate::event::{Event, ReviewRoute};
use crate::ids::{AgentId, ClientId, Timestamp};
use crate::market::Market;
use crate::output::{FieldValue, Output, SelfCheck};
use crate::party::{AgentKind, Skill};
use crate::rng::{draw, mix64};
use crate::spec::*;
use crate::task::TaskStatus;

/// Name prefix of the autopilot's agents.
pub const AGENT_PREFIX: &str = "auto-agent-";
/// Name prefix of the autopilot's clients.
pub const CLIENT_PREFIX: &str = "auto-client-";
/// Categories the autopilot posts in.
pub const CATEGORIES: [&str; 4] = ["invoice-extraction", "translation", "labeling", "summaries"];

/// How many simulated parties the autopilot keeps in the market, and how busy it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Autopilot {
    /// Simulated agents.
    pub agents: u32,
    /// Simulated clients.
    pub clients: u32,
    /// Tasks posted per step.
    pub tasks_per_step: u32,
}

impl Default for Autopilot {
    fn default() -> Self {
        Autopilot { agents: 12, clients: 3, tasks_per_step: 4 }
    }
}

const SKILL_DRAW: u64 = 11;
const STEP_DRAW: u64 = 12;

fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// The hidden skill of an agent in a category, in [0.15, 0.95]: a base per agent plus a little
/// per category.
pub fn hidden_skill(seed: u64, agent: AgentId, category: &str) -> f64 {
    let base = unit(draw(seed, SKILL_DRAW, u64::from(agent.0), 0));
    let cat = category.bytes().fold(0u64, |h, b| mix64(h ^ u64::from(b)));
    let wobble = unit(draw(seed, SKILL_DRAW, u64::from(agent.0), cat)) - 0.5;
    (0.15 + 0.8 * base + 0.1 * wobble).clamp(0.05, 0.98)
}

impl Autopilot {
    /// One step at `now`: time passes, simulated clients review and post, the operator assigns
    /// open tasks in a batch, simulated agents hand in the work they hold. Returns every event.
    pub fn step(&self, market: &mut Market, now: Timestamp) -> Vec<Event> {
        let mut events = market.tick(now);
        let mut apply = |market: &mut Market, actor: Actor, command: Command, events: &mut Vec<Event>| {
            if let Ok(e) = market.apply(now, actor, command) {
                events.extend(e);
                true
            } else {
                false
            }
        };
        self.populate(market, &mut events, &mut apply);
        let seed = market.config().seed;
        let salt = now;
        // Reviews first: work submitted in earlier steps.
        let reviews: Vec<_> = market
            .tasks()
            .iter()
            .filter(|t| matches!(t.status, TaskStatus::UnderReview { route: ReviewRoute::Client, .. }))
            .filter(|t| market.client(t.client).is_some_and(|c| c.name.starts_with(CLIENT_PREFIX)))
            .map(|t| (t.id, t.client, t.holder(), t.spec.category.clone()))
            .collect();
        for (task, client, holder, category) in reviews {
            let Some(agent) = holder else { continue };
            let quality = hidden_skill(seed, agent, &category);
            let actor = Actor::Client { id: client };
            let decision = if quality < 0.25 {
                ReviewDecision::Reject {
                    failed_criteria: vec!["total-positive".into()],
                    reason: "the figures are off".into(),
                }
            } else {
                ReviewDecision::Accept
            };
            let accepted = matches!(decision, ReviewDecision::Accept);
            if apply(market, actor, Command::Review { task, decision }, &mut events) && accepted {
                let noise = unit(draw(seed, STEP_DRAW, u64::from(task.0), 1)) - 0.5;
                let stars = (1.0 + 4.0 * quality + noise).round().clamp(1.0, 5.0) as u8;
                let rating = Rating { quality: stars, timeliness: stars.max(3) };
                apply(market, actor, Command::RateTask { task, rating }, &mut events);
            }
        }
        // Agents hand in what they claimed in an earlier step.
        let work: Vec<_> = market
            .tasks()
            .iter()
            .filter_map(|t| match &t.status {
                TaskStatus::Claimed { work } if work.claimed_at < now => {
                    Some((t.id, work.agent, t.spec.category.clone()))
                }
                _ => None,
            })
            .filter(|(_, a, _)| market.agent(*a).is_some_and(|a| a.name.starts_with(AGENT_PREFIX)))
            .collect();
        for (task, agent, category) in work {
            let quality = hidden_skill(seed, agent, &category);
            let passes = unit(draw(seed, STEP_DRAW, u64::from(task.0), salt)) < 0.3 + 0.7 * quality;
            let total = if passes { 1_234.5 } else { -1.0 };
            let output: Output = [
                ("total".to_string(), FieldValue::Number(total)),
                ("currency".to_string(), FieldValue::Text("EUR".into())),
            ]
            .into_iter()
            .collect();
            let self_check = SelfCheck {
                confidence_bps: (5_000.0 + 5_000.0 * quality) as u16,
                criteria_passed: vec!["total-positive".into()],
                notes: String::new(),
            };
            apply(market, Actor::Agent { id: agent }, Command::SubmitWork { task, output, self_check }, &mut events);
        }
        // New work, then the batch that places it.
        let clients: Vec<ClientId> =
            market.clients().iter().filter(|c| c.name.starts_with(CLIENT_PREFIX)).map(|c| c.id).collect();
        for i in 0..self.tasks_per_step {
            let Some(&client) =
                clients.get((draw(seed, STEP_DRAW, now, u64::from(i)) % clients.len().max(1) as u64) as usize)
            else {
                break;
            };
            let r = draw(seed, STEP_DRAW, now, 100 + u64::from(i));
            let category = CATEGORIES[(r % CATEGORIES.len() as u64) as usize];
            let reward = 500 + 500 * ((r >> 8) % 8);
            apply(
                market,
                Actor::Client { id: client },
                Command::PostTask { spec: task_spec(category, reward, now) },
                &mut events,
            );
        }
        // The operator places the autopilot's own tasks in a batch (only its agents are sure to
        // do the work); tasks the person using the market posted are claimed by the best-ranked
        // autopilot agent instead, so the person's own agents are never handed work they will
        // not do.
        let (own, others): (Vec<_>, Vec<_>) = market
            .tasks()
            .iter()
            .filter(|t| crate::matching::batch::placeable(t, now))
            .map(|t| (t.id, market.client(t.client).is_some_and(|c| c.name.starts_with(CLIENT_PREFIX))))
            .partition(|(_, own)| *own);
        let own: Vec<_> = own.into_iter().map(|(id, _)| id).collect();
        if !own.is_empty() {
            let mine: Vec<AgentId> =
                market.agents().iter().filter(|a| a.name.starts_with(AGENT_PREFIX)).map(|a| a.id).collect();
            let command = Command::AssignTasks { tasks: Some(own), agents: Some(mine), time_budget_ms: None };
            apply(market, Actor::Operator, command, &mut events);
        }
        for (task, _) in others {
            let ranked = market.ranking(task, 100).unwrap_or_default();
            let pick = ranked
                .iter()
                .find(|r| market.agent(r.agent).is_some_and(|a| a.name.starts_with(AGENT_PREFIX)))
                .map(|r| r.agent);
            if let Some(agent) = pick {
                apply(market, Actor::Agent { id: agent }, Command::ClaimTask { task, spec_hash: None }, &mut events);
            }
        }
        events
    }

    /// Register the simulated parties that are missing, and keep their clients funded.
    fn populate(
        &self,
        market: &mut Market,
        events: &mut Vec<Event>,
        apply: &mut impl FnMut(&mut Market, Actor, Command, &mut Vec<Event>) -> bool,
    ) {
        let have_clients = market.clients().iter().filter(|c| c.name.starts_with(CLIENT_PREFIX)).count() as u32;
        for i in have_clients..self.clients {
            let name = format!("{CLIENT_PREFIX}{i}");
            apply(market, Actor::Operator, Command::RegisterClient { name, owner: format!("auto-org-{i}") }, events);
        }
        let have_agents = market.agents().iter().filter(|a| a.name.starts_with(AGENT_PREFIX)).count() as u32;
        for i in have_agents..self.agents {
            let id = AgentId(market.agents().len() as u32);
            let seed = market.config().seed;
            let skills = CATEGORIES
                .iter()
                .map(|c| Skill { name: (*c).into(), level: (1.0 + 4.0 * hidden_skill(seed, id, c)).round() as u8 })
                .collect();
            let kind = if i % 4 == 3 { AgentKind::Human } else { AgentKind::Ai };
            let command = Command::RegisterAgent {
                name: format!("{AGENT_PREFIX}{i}"),
                kind,
                owner: format!("auto-agents-{i}"),
                skills,
                capacity: 2,
                min_rate: 0,
            };
            apply(market, Actor::Operator, command, events);
        }
        let poor: Vec<ClientId> = market
            .clients()
            .iter()
            .filter(|c| c.name.starts_with(CLIENT_PREFIX) && c.balance < 100_000)
            .map(|c| c.id)
            .collect();
        for id in poor {
            apply(market, Actor::Client { id }, Command::Deposit { amount: 1_000_000 }, events);
        }
    }
}

fn task_spec(category: &str, reward: u64, now: Timestamp) -> TaskSpec {
    const HOUR: u64 = 3_600_000;
    TaskSpec {
        title: format!("{category} job"),
        category: category.into(),
        instructions: "Simulated work from the autopilot.".into(),
        required_skills: vec![SkillRequirement { skill: category.into(), min_level: 1 }],
        inputs: vec![InputRef {
            name: "source".into(),
            uri: format!("demo://{category}/{now}"),
            content: None,
            classification: DataClass::Confidential,
        }],
        acceptance: AcceptanceCriteria {
            fields: vec![
                OutputField { name: "total".into(), kind: FieldKind::Number, required: true },
                OutputField { name: "currency".into(), kind: FieldKind::Text, required: true },
            ],
            criteria: vec![Criterion {
                name: "total-positive".into(),
                check: Check::Range { field: "total".into(), min: Some(Real(0.0)), max: None },
            }],
            min_confidence_bps: 0,
        },
        review: ReviewPolicy {
            window_ms: 4 * HOUR,
            human_review_below_confidence_bps: None,
            human_sample_bps: 0,
            max_revisions: 1,
        },
        pricing: Pricing::Fixed { reward, tier_premium: false },
        deadlines: Deadlines {
            claim_by: now + 12 * HOUR,
            lease_ms: 4 * HOUR,
            clarification_timeout_ms: HOUR,
            max_clarifications: 1,
        },
        eligibility: Eligibility::default(),
        priority_window: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::MarketConfig;

    #[test]
    fn autopilot_brings_a_market_to_life_and_survives_reload() {
        let pilot = Autopilot::default();
        let mut market = Market::new(MarketConfig { seed: 3, ..MarketConfig::default() }).expect("valid config");
        let mut names = std::collections::BTreeSet::new();
        for step in 1..=30u64 {
            let events = pilot.step(&mut market, step * 600_000);
            names.extend(events.iter().map(|e| e.kind.name()));
            market.audit().expect("invariants hold");
            if step == 15 {
                market = Market::load(&market.save()).expect("reloads");
            }
        }
        for name in [
            "AgentRegistered",
            "TaskPosted",
            "TaskClaimed",
            "WorkSubmitted",
            "WorkAccepted",
            "TaskSettled",
            "TaskRated",
        ] {
            assert!(names.contains(name), "never saw {name}: {names:?}");
        }
        assert_eq!(market.agents().len(), 12, "registers once, not every step");
        let settled = market.tasks().iter().filter(|t| matches!(t.status, TaskStatus::Settled { .. })).count();
        assert!(settled > 20, "only {settled} tasks settled in 30 steps");
    }

    #[test]
    fn autopilot_leaves_the_persons_own_agents_alone_and_works_the_persons_tasks() {
        let pilot = Autopilot::default();
        let mut market = Market::new(MarketConfig { seed: 4, ..MarketConfig::default() }).expect("valid config");
        pilot.step(&mut market, 600_000);
        let op = Actor::Operator;
        market.apply(600_000, op, Command::RegisterClient { name: "me".into(), owner: "me".into() }).unwrap();
        let me = Actor::Client { id: ClientId(market.clients().len() as u32 - 1) };
        market.apply(600_000, me, Command::Deposit { amount: 100_000 }).unwrap();
        let skills = CATEGORIES.iter().map(|c| Skill { name: (*c).into(), level: 5 }).collect();
        let mine = Command::RegisterAgent {
            name: "my-agent".into(),
            kind: AgentKind::Human,
            owner: "me-too".into(),
            skills,
            capacity: 5,
            min_rate: 0,
        };
        market.apply(600_000, op, mine).unwrap();
        let my_agent = AgentId(market.agents().len() as u32 - 1);
        market.apply(600_000, me, Command::PostTask { spec: task_spec("translation", 1_000, 600_000) }).unwrap();
        for step in 2..=6u64 {
            pilot.step(&mut market, step * 600_000);
        }
        assert!(
            market.tasks().iter().all(|t| t.holder() != Some(my_agent)),
            "the autopilot never hands work to the person's agents"
        );
        let posted = market.tasks().iter().find(|t| t.client.index() == market.clients().len() - 1).unwrap();
        assert!(
            !matches!(posted.status, TaskStatus::Open { .. }),
            "an autopilot agent took the person's task: {}",
            posted.status.name()
        );
    }

    #[test]
    fn autopilot_is_deterministic() {
        let run = || {
            let mut m = Market::new(MarketConfig { seed: 5, ..MarketConfig::default() }).expect("valid config");
            for step in 1..=10u64 {
                Autopilot::default().step(&mut m, step * 600_000);
            }
            m.save()
        };
        assert_eq!(run(), run());
    }
}
