//! The property walk's generator: random raw steps interpreted against the current market, so
//! that most steps are meaningful commands. Shared by the property tests and the fuzzer.

use super::*;
use gigmarket::rng::SplitMix64;

/// One raw step; interpreted against the current market so that most steps are meaningful.
#[derive(Clone, Debug)]
pub struct Step {
    pub op: u8,
    pub a: u8,
    pub b: u8,
    pub c: u16,
    pub dt: u16,
}

pub const AGENTS: [Actor; 4] = [AI, WEAK_AI, HUMAN, INSIDER];

/// Mostly one of the eight newest tasks (where the action is); now and then an unknown id.
fn pick_task(m: &Market, b: u8) -> TaskId {
    let n = m.tasks().len();
    if n == 0 || b % 16 == 15 {
        return TaskId(n as u32);
    }
    TaskId((n - 1 - (b as usize % n.min(8))) as u32)
}

/// How far the clock moves before a step: usually seconds, now and then up to ~22 minutes.
pub fn time_step(s: &Step) -> u64 {
    if s.op % 32 == 31 {
        u64::from(s.dt) * 20
    } else {
        u64::from(s.dt % 64) * 1_000
    }
}

fn holder_or(m: &Market, t: TaskId, a: u8) -> Actor {
    match m.task(t).and_then(|t| t.holder()) {
        Some(agent) if a % 5 != 0 => Actor::Agent { id: agent },
        _ => AGENTS[a as usize % 4],
    }
}

fn owner_or(m: &Market, t: TaskId, a: u8) -> Actor {
    match m.task(t) {
        Some(task) if a % 5 != 0 => Actor::Client { id: task.client },
        _ => [CLIENT, OTHER_CLIENT, REVIEWER, OP][a as usize % 4],
    }
}

pub fn random_spec(now: Timestamp, s: &Step) -> TaskSpec {
    let mut spec = spec();
    // Saturating: the fuzzer drives markets loaded from doctored snapshots, whose clock may be anywhere.
    spec.deadlines.claim_by = now.saturating_add(HOUR + u64::from(s.c) * 1_000);
    spec.deadlines.lease_ms = 10 * MINUTE + u64::from(s.b) * 10_000;
    spec.deadlines.max_clarifications = s.a % 3;
    spec.review.max_revisions = s.b % 2;
    spec.review.human_sample_bps = if s.a % 4 == 0 { 3_000 } else { 0 };
    spec.review.human_review_below_confidence_bps = (s.a % 3 == 0).then_some(8_000);
    spec.category = ["invoice-extraction", "translation", "labeling"][s.c as usize % 3].into();
    if s.b % 3 == 0 {
        spec.required_skills.clear();
    }
    match s.op % 4 {
        0 => {
            spec.pricing = Pricing::Bids {
                ceiling: 500 + u64::from(s.c % 2_000),
                award: [AwardPolicy::Client, AwardPolicy::BestPrice, AwardPolicy::BestEta, AwardPolicy::BestValue]
                    [s.b as usize % 4],
                bidding_closes_at: now.saturating_add(30 * MINUTE),
            }
        }
        1 => {
            spec.priority_window = Some(PriorityWindow { tier: Tier::Rising, duration_ms: 10 * MINUTE });
            spec.pricing = Pricing::Fixed { reward: 1_000, tier_premium: s.c % 2 == 0 };
        }
        // A third of fixed-price tasks carry a tier premium.
        _ => spec.pricing = Pricing::Fixed { reward: 100 + u64::from(s.c % 5_000), tier_premium: s.a % 3 == 1 },
    }
    spec
}

pub fn command_for(m: &Market, now: Timestamp, s: &Step) -> (Actor, Command) {
    let t = pick_task(m, s.b);
    match s.op % 16 {
        0 | 1 => ([CLIENT, OTHER_CLIENT, AI][s.a as usize % 3], Command::PostTask { spec: random_spec(now, s) }),
        2 | 3 => (AGENTS[s.a as usize % 4], claim(t)),
        4 | 5 => {
            let output = if s.c % 4 == 0 { bad_output() } else { good_output() };
            let check = SelfCheck { confidence_bps: 5_000 + s.c % 5_001, ..confident() };
            (holder_or(m, t, s.a), submit(t, output, check))
        }
        6 | 7 => {
            let decision = match s.c % 4 {
                0 => ReviewDecision::RequestRevision { note: "more".into() },
                1 => ReviewDecision::Reject { failed_criteria: vec!["currency-iso".into()], reason: "no".into() },
                _ => ReviewDecision::Accept,
            };
            let human =
                matches!(m.task(t).map(|t| &t.status), Some(TaskStatus::UnderReview { route, .. }) if route.is_human());
            let actor = if human && s.a % 5 != 0 { REVIEWER } else { owner_or(m, t, s.a) };
            (actor, Command::Review { task: t, decision })
        }
        8 => {
            if s.c % 2 == 0 {
                (holder_or(m, t, s.a), Command::AskClarification { task: t, question: "which?".into() })
            } else {
                (owner_or(m, t, s.a), Command::AnswerClarification { task: t, answer: "that".into() })
            }
        }
        9 => match s.c % 3 {
            0 => (
                AGENTS[s.a as usize % 4],
                Command::PlaceBid { task: t, price: 100 + u64::from(s.c % 3_000), eta_ms: 1 + u64::from(s.dt) },
            ),
            1 => (AGENTS[s.a as usize % 4], Command::WithdrawBid { task: t }),
            _ => (owner_or(m, t, s.a), Command::AwardBid { task: t, agent: AgentId(u32::from(s.a % 5)) }),
        },
        10 => {
            if s.c % 2 == 0 {
                (holder_or(m, t, s.a), Command::ReturnTask { task: t })
            } else {
                (owner_or(m, t, s.a), Command::CancelTask { task: t })
            }
        }
        11 => {
            if s.c % 2 == 0 {
                (holder_or(m, t, s.a), Command::OpenDispute { task: t, reason: "fair".into() })
            } else {
                let resolution = match s.c % 3 {
                    0 => Resolution::PayAgent,
                    1 => Resolution::RefundClient,
                    _ => Resolution::Split { to_agent: u64::from(s.dt % 2_000) },
                };
                ([OP, CLIENT][s.a as usize % 2], Command::ResolveDispute { task: t, resolution })
            }
        }
        12 => {
            let amount = u64::from(s.c) * 10;
            let actor = [CLIENT, OTHER_CLIENT, AI, HUMAN, OP, REVIEWER][s.a as usize % 6];
            if s.b % 3 == 0 {
                (actor, Command::Deposit { amount })
            } else {
                (actor, Command::Withdraw { amount })
            }
        }
        13 => (
            owner_or(m, t, s.a),
            Command::RateTask { task: t, rating: Rating { quality: (s.c % 6) as u8, timeliness: 3 } },
        ),
        14 => match s.c % 4 {
            3 => moderation(s),
            0 => (OP, Command::SetFee { fee_bps: s.c % 6_000 }),
            1 => (
                OP,
                Command::AssignTasks {
                    tasks: None,
                    agents: None,
                    time_budget_ms: (s.b % 2 == 0).then_some(u64::from(s.dt % 3)),
                },
            ),
            _ => (owner_or(m, t, s.a), Command::RankAgents { task: t, k: u32::from(s.b % 12) }),
        },
        _ => {
            let agent = AGENTS[s.a as usize % 4];
            let Actor::Agent { id } = agent else { unreachable!() };
            // Profiles only grow capacity here, so "active <= capacity" is an invariant to check.
            let current = m.agent(id).map_or(1, |a| a.capacity);
            let skills = vec![Skill { name: "fin-docs".into(), level: 1 + s.b % 5 }];
            (
                agent,
                Command::UpdateAgentProfile {
                    skills,
                    capacity: current.saturating_add(u32::from(s.c % 2)),
                    min_rate: 50,
                },
            )
        }
    }
}

/// The operator's moderation and trust commands, now and then from someone else. Parties are
/// reinstated more often than suspended, so most of the walk has most parties active; closing
/// (final) is rare enough that a 10^5-step walk closes a party or two.
fn moderation(s: &Step) -> (Actor, Command) {
    let party = match s.a % 6 {
        4 => PartyRef::Client { id: ClientId(0) },
        5 => PartyRef::Client { id: ClientId(1) },
        n => PartyRef::Agent { id: AgentId(u32::from(n)) },
    };
    let actor = if s.dt % 16 == 1 { [CLIENT, AI, REVIEWER][s.b as usize % 3] } else { OP };
    let reason = if s.dt % 32 == 2 { String::new() } else { "walk".into() };
    let client = ClientId(u32::from(s.a % 3));
    let note = (s.b % 2 == 0).then(|| "checked".to_string());
    let command = match s.b % 16 {
        0..=2 => Command::SuspendParty { party, reason },
        13 if s.dt % 64 == 0 => Command::CloseParty { party, reason },
        3..=13 => Command::ReinstateParty { party, reason },
        14 => Command::VerifyClient { client, note },
        _ => Command::ImportEstablishment { client, spend: u64::from(s.c) * 7, note },
    };
    (actor, command)
}

/// The fixture market, with tiers low enough that priority windows see claims and tier premiums
/// pay every tier's multiplier (volume alone lifts an agent: 1, 3, 6 and 12 settled tasks).
pub fn walk_market() -> Market {
    let mut config = MarketConfig { seed: 7, ..MarketConfig::default() };
    config.reputation.tiers = [(1, 0.0), (3, 0.0), (6, 0.0), (12, 0.0)];
    // Volume alone: the walk has two clients, too few to vouch for established tiers (vouching is
    // tested in merit.rs).
    config.reputation.tier_vouching = [0.0; 4];
    market_with(config)
}

impl Step {
    /// A uniformly random step.
    pub fn random(rng: &mut SplitMix64) -> Step {
        Step {
            op: rng.below(256) as u8,
            a: rng.below(256) as u8,
            b: rng.below(256) as u8,
            c: rng.below(65_536) as u16,
            dt: rng.below(65_536) as u16,
        }
    }
}
