#![cfg(feature = "work")]
//! A human reviewer's judgement by redoing the task (`work::review`): on data-analysis tasks,
//! whose dataset a reviewer may see, the person's redo judges the robust and the naive
//! analysts' work as the client's hidden truth does; on tasks with restricted data the person
//! cannot judge at all.

use gigmarket::actor::Actor;
use gigmarket::command::Command;
use gigmarket::event::{EventKind, ReviewRoute};
use gigmarket::ids::{AgentId, ClientId, ReviewerId, TaskId};
use gigmarket::market::{Market, MarketConfig};
use gigmarket::party::{AgentKind, Skill};
use gigmarket::rng::SplitMix64;
use gigmarket::work::analysis::{NaiveAnalyst, RobustAnalyst};
use gigmarket::work::human::HumanWorker;
use gigmarket::work::kit::WorkAgent;
use gigmarket::work::review::review_by_redo;
use gigmarket::work::templates::{draft, measure, regenerate, template_spec, WorkDraft, WorkMeasure};
use gigmarket::work::Kind;

const CLIENT: Actor = Actor::Client { id: ClientId(0) };
const AGENT: AgentId = AgentId(0);
const REVIEWER: ReviewerId = ReviewerId(0);

/// A market with a client, one agent for `kind` and an independent human reviewer.
fn market(seed: u64, kind: Kind) -> Market {
    let mut m = Market::new(MarketConfig { seed, ..MarketConfig::default() }).expect("valid config");
    let op = |m: &mut Market, command| m.apply(0, Actor::Operator, command).expect("set-up");
    op(&mut m, Command::RegisterClient { name: "acme".into(), owner: "acme".into() });
    op(
        &mut m,
        Command::RegisterAgent {
            name: "worker".into(),
            owner: "maker".into(),
            kind: AgentKind::Ai,
            skills: vec![Skill { name: kind.category().into(), level: 5 }],
            capacity: 1,
            min_rate: 0,
        },
    );
    op(&mut m, Command::RegisterReviewer { name: "person".into(), owner: "reviewers".into() });
    m.apply(0, CLIENT, Command::Deposit { amount: 1_000_000 }).expect("deposit");
    m
}

/// `worker` does a template task of `kind` that always goes to a person; the truth's measure and
/// the person's judgement of the work, or `None` when it failed its checks or asked.
fn judged(seed: u64, kind: Kind, worker: &mut dyn WorkAgent) -> Option<(WorkMeasure, Option<WorkMeasure>)> {
    let mut m = market(seed, kind);
    let mut spec = template_spec(&m, kind, 10_000, 1);
    spec.review.human_sample_bps = 10_000;
    let task = TaskId(0);
    m.apply(1, CLIENT, Command::PostTask { spec }).expect("post");
    m.apply(1, Actor::Agent { id: AGENT }, Command::ClaimTask { task, spec_hash: None }).expect("claim");
    let WorkDraft::Submit { output, self_check, .. } =
        draft(&m, AGENT, task, worker, &[], &mut SplitMix64::new(seed)).ok()?
    else {
        return None;
    };
    let events =
        m.apply(2, Actor::Agent { id: AGENT }, Command::SubmitWork { task, output, self_check }).expect("submit");
    let routed =
        events.iter().any(|e| matches!(e.kind, EventKind::VerificationPassed { route: ReviewRoute::HumanSampled, .. }));
    if !routed {
        return None;
    }
    let truth = measure(&m, task).expect("a template task under review has a measure");
    let mut person = HumanWorker::new("person");
    // The client answers the person's questions from its truth, as it answers an agent's.
    let generated = regenerate(&m, task).expect("a template task");
    let mut ask = |question: &str| Some(generated.answer(question));
    Some((truth, review_by_redo(&m, REVIEWER, task, &mut person, &mut ask, &mut SplitMix64::new(seed ^ 0xdead))))
}

#[test]
fn the_persons_redo_judges_analysis_as_the_truth_does() {
    for (name, mut worker) in [
        ("robust", Box::new(RobustAnalyst::new()) as Box<dyn WorkAgent>),
        ("naive", Box::new(NaiveAnalyst::new()) as Box<dyn WorkAgent>),
    ] {
        let (mut n, mut same_decision, mut truth_sum, mut judged_sum) = (0u32, 0u32, 0.0, 0.0);
        for seed in 1..=60 {
            let Some((truth, person)) = judged(seed, Kind::Analysis, worker.as_mut()) else { continue };
            let person = person.expect("a reviewer sees the dataset and the client answers, so it can judge");
            n += 1;
            same_decision += u32::from(person.accepts == truth.accepts);
            truth_sum += truth.accuracy;
            judged_sum += person.accuracy;
        }
        let (truth_mean, judged_mean) = (truth_sum / f64::from(n), judged_sum / f64::from(n));
        eprintln!(
            "{name}: {n} hand-ins judged; the person decided as the truth would on {same_decision}; \
             mean accuracy {truth_mean:.3} by the truth, {judged_mean:.3} by the person's redo"
        );
        assert!(n >= 20, "{name}: enough hand-ins pass their checks to judge ({n})");
        assert!(f64::from(same_decision) >= 0.8 * f64::from(n), "{name}: {same_decision} of {n} decided as the truth");
        assert!((truth_mean - judged_mean).abs() < 0.15, "{name}: truth {truth_mean:.3}, person {judged_mean:.3}");
    }
}

#[test]
fn a_person_cannot_redo_work_on_restricted_data() {
    // Borrower records are restricted: only the client and the holder see them. (The template
    // mailer never asks, so its work reaches review.)
    let mut writer = gigmarket::work::outreach::TemplateMailer::new();
    let mut seen = 0;
    for seed in 1..=10 {
        if let Some((_, person)) = judged(seed, Kind::Outreach, &mut writer) {
            assert_eq!(person, None, "the reviewer does not see the borrowers, so it does not judge");
            seen += 1;
        }
    }
    assert!(seen > 0, "some outreach work reached the person");
}
