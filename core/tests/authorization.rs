//! The role x command authorization matrix: every actor tried on every command, in a state
//! where the command could succeed for the right actor.

mod support;
use gigmarket::prelude::*;
use support::*;

const ACTORS: [(&str, Actor); 6] = [
    ("client", CLIENT),
    ("other-client", OTHER_CLIENT),
    ("holder-agent", AI),
    ("other-agent", HUMAN),
    ("reviewer", REVIEWER),
    ("operator", OP),
];

/// Setups: each returns a market and a task in the state the command needs.
fn open() -> (Market, TaskId) {
    let mut m = market();
    let t = post(&mut m, 0, spec());
    (m, t)
}
fn claimed() -> (Market, TaskId) {
    let (mut m, t) = open();
    ok(&mut m, 1, AI, claim(t));
    (m, t)
}
fn asked() -> (Market, TaskId) {
    let (mut m, t) = claimed();
    ok(&mut m, 2, AI, Command::AskClarification { task: t, question: "?".into() });
    (m, t)
}
fn under_review() -> (Market, TaskId) {
    let (mut m, t) = claimed();
    ok(&mut m, 2, AI, submit(t, good_output(), confident()));
    (m, t)
}
fn settled() -> (Market, TaskId) {
    let (mut m, t) = under_review();
    ok(&mut m, 3, CLIENT, Command::Review { task: t, decision: ReviewDecision::Accept });
    (m, t)
}
fn rejected() -> (Market, TaskId) {
    let (mut m, t) = under_review();
    let decision = ReviewDecision::Reject { failed_criteria: vec!["currency-iso".into()], reason: "no".into() };
    ok(&mut m, 3, CLIENT, Command::Review { task: t, decision });
    (m, t)
}
fn disputed() -> (Market, TaskId) {
    let (mut m, t) = rejected();
    ok(&mut m, 4, AI, Command::OpenDispute { task: t, reason: "it is right".into() });
    (m, t)
}
fn bidding() -> (Market, TaskId) {
    let mut m = market();
    let s = TaskSpec {
        pricing: Pricing::Bids { ceiling: 2_000, award: AwardPolicy::Client, bidding_closes_at: HOUR },
        ..spec()
    };
    let t = post(&mut m, 0, s);
    ok(&mut m, 1, AI, Command::PlaceBid { task: t, price: 1_000, eta_ms: MINUTE });
    (m, t)
}

type Setup = fn() -> (Market, TaskId);
type MakeCommand = fn(TaskId) -> Command;
/// A command's name, its setup, how to make it, and the expected result per actor.
type Row = (&'static str, Setup, MakeCommand, [&'static str; 6]);

/// Expected result per actor, in the order of ACTORS: "ok" or a rejection code.
fn matrix() -> Vec<Row> {
    const WR: &str = "wrong_role";
    const NA: &str = "not_authorized";
    vec![
        (
            "RegisterClient",
            open,
            |_| Command::RegisterClient { name: "n".into(), owner: "o".into() },
            [WR, WR, WR, WR, WR, "ok"],
        ),
        (
            "RegisterAgent",
            open,
            |_| Command::RegisterAgent {
                name: "n".into(),
                kind: AgentKind::Ai,
                owner: "o".into(),
                skills: vec![],
                capacity: 1,
                min_rate: 0,
            },
            [WR, WR, WR, WR, WR, "ok"],
        ),
        (
            "RegisterReviewer",
            open,
            |_| Command::RegisterReviewer { name: "n".into(), owner: "o".into() },
            [WR, WR, WR, WR, WR, "ok"],
        ),
        (
            "UpdateAgentProfile",
            open,
            |_| Command::UpdateAgentProfile { skills: vec![], capacity: 2, min_rate: 5 },
            [WR, WR, "ok", "ok", WR, WR],
        ),
        ("Deposit", open, |_| Command::Deposit { amount: 5 }, ["ok", "ok", WR, WR, WR, WR]),
        ("Withdraw", settled, |_| Command::Withdraw { amount: 5 }, ["ok", "ok", "ok", "insufficient_funds", WR, "ok"]),
        ("SetFee", open, |_| Command::SetFee { fee_bps: 10 }, [WR, WR, WR, WR, WR, "ok"]),
        ("PostTask", open, |_| Command::PostTask { spec: spec() }, ["ok", "ok", WR, WR, WR, WR]),
        ("CancelTask", open, |t| Command::CancelTask { task: t }, ["ok", NA, WR, WR, WR, WR]),
        ("ClaimTask", open, claim, [WR, WR, "ok", "ok", WR, WR]),
        (
            "PlaceBid",
            bidding,
            |t| Command::PlaceBid { task: t, price: 900, eta_ms: MINUTE },
            [WR, WR, "ok", "ok", WR, WR],
        ),
        ("WithdrawBid", bidding, |t| Command::WithdrawBid { task: t }, [WR, WR, "ok", "no_such_bid", WR, WR]),
        ("AwardBid", bidding, |t| Command::AwardBid { task: t, agent: AgentId(0) }, ["ok", NA, WR, WR, WR, WR]),
        ("ReturnTask", claimed, |t| Command::ReturnTask { task: t }, [WR, WR, "ok", NA, WR, WR]),
        (
            "AskClarification",
            claimed,
            |t| Command::AskClarification { task: t, question: "q".into() },
            [WR, WR, "ok", NA, WR, WR],
        ),
        (
            "AnswerClarification",
            asked,
            |t| Command::AnswerClarification { task: t, answer: "a".into() },
            ["ok", NA, WR, WR, WR, WR],
        ),
        ("SubmitWork", claimed, |t| submit(t, good_output(), confident()), [WR, WR, "ok", NA, WR, WR]),
        (
            "Review",
            under_review,
            |t| Command::Review { task: t, decision: ReviewDecision::Accept },
            // The operator reviews only work routed to it (a client conflicted with the agent).
            ["ok", NA, WR, WR, NA, NA],
        ),
        (
            "RateTask",
            settled,
            |t| Command::RateTask { task: t, rating: Rating { quality: 4, timeliness: 4 } },
            ["ok", NA, WR, WR, WR, WR],
        ),
        ("OpenDispute", rejected, |t| Command::OpenDispute { task: t, reason: "r".into() }, [WR, WR, "ok", NA, WR, WR]),
        (
            "ResolveDispute",
            disputed,
            |t| Command::ResolveDispute { task: t, resolution: Resolution::PayAgent },
            [WR, WR, WR, WR, WR, "ok"],
        ),
        ("RankAgents", open, |t| Command::RankAgents { task: t, k: 3 }, ["ok", NA, WR, WR, WR, "ok"]),
        (
            "AssignTasks",
            open,
            |_| Command::AssignTasks { tasks: None, agents: None, time_budget_ms: None },
            [WR, WR, WR, WR, WR, "ok"],
        ),
    ]
}

#[test]
fn every_role_on_every_command() {
    let rows = matrix();
    assert_eq!(rows.len(), 23, "one row per command");
    let mut checked = 0;
    for (name, setup, make, expected) in rows {
        for ((role, actor), want) in ACTORS.iter().zip(expected) {
            let (mut m, t) = setup();
            let command = make(t);
            assert_eq!(command.name(), name);
            let now = m.now();
            if want == "ok" {
                ok(&mut m, now, *actor, command);
            } else {
                let got = refused(&mut m, now, *actor, command);
                assert_eq!(got.code(), want, "{name} by {role}: {got}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 23 * 6);
}

#[test]
fn unknown_actors_are_refused_before_anything_else() {
    let (mut m, t) = open();
    let ghosts = [
        (Actor::Client { id: ClientId(9) }, "unknown_client"),
        (Actor::Agent { id: AgentId(9) }, "unknown_agent"),
        (Actor::Reviewer { id: ReviewerId(9) }, "unknown_reviewer"),
    ];
    for (ghost, code) in ghosts {
        assert_eq!(refused(&mut m, 1, ghost, claim(t)).code(), code);
    }
}
