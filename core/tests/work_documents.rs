#![cfg(feature = "work")]
//! The document-verification kind: its generator, its scoring and its two reference agents,
//! measured over 200 generated batches.

use gigmarket::ids::TaskId;
use gigmarket::output::{FieldValue, Output, SelfCheck};
use gigmarket::rng::SplitMix64;
use gigmarket::spec::TaskSpec;
use gigmarket::table::Table;
use gigmarket::verify::verify;
use gigmarket::work::documents::{self, CarefulVerifier, PatternExtractor, TOPIC_TOTAL};
use gigmarket::work::kit::{Attempt, Clarification, Decision, Job, WorkAgent, WorkOutcome};
use gigmarket::work::{accepts, generate, GeneratedTask, Kind, Truth};

fn task(seed: u64) -> GeneratedTask {
    generate(Kind::Documents, seed)
}

fn truth(t: &GeneratedTask) -> &documents::Truth {
    match &t.truth {
        Truth::Documents(d) => d,
        other => panic!("not a documents truth: {other:?}"),
    }
}

fn spec_of(t: &GeneratedTask) -> TaskSpec {
    t.spec(10_000, 0, 3_600_000)
}

fn records(output: &Output) -> Vec<std::collections::BTreeMap<String, FieldValue>> {
    output["documents"].as_list().unwrap().iter().map(|r| r.as_record().unwrap().clone()).collect()
}

fn with_records(records: Vec<std::collections::BTreeMap<String, FieldValue>>) -> Output {
    Output::from([("documents".to_owned(), FieldValue::List(records.into_iter().map(FieldValue::Record).collect()))])
}

fn full_check() -> SelfCheck {
    SelfCheck { confidence_bps: 9_000, ..SelfCheck::default() }
}

#[test]
fn the_generator_is_deterministic_and_its_inputs_are_tables() {
    for seed in 1..=30 {
        let t = task(seed);
        assert_eq!(t, task(seed), "seed {seed}");
        let docs = Table::parse(t.inputs[0].content.as_deref().unwrap()).unwrap();
        assert_eq!(docs.header(), ["id", "type", "text"]);
        let n = truth(&t).documents.len();
        assert!((6..=12).contains(&n), "{n} documents");
        assert_eq!(docs.rows().len(), n);
        let registry = Table::parse(t.inputs[1].content.as_deref().unwrap()).unwrap();
        for column in ["party_id", "name", "iban"] {
            assert!(registry.column(column).is_some(), "registry lacks {column}");
        }
    }
    assert_ne!(task(1), task(2));
}

#[test]
fn the_batches_mix_verdicts_layouts_and_ambiguities() {
    let mut counts = std::collections::BTreeMap::new();
    let (mut two, mut bare, mut total) = (0, 0, 0);
    for seed in 1..=200 {
        for d in &truth(&task(seed)).documents {
            *counts.entry(d.verdict).or_insert(0) += 1;
            two += usize::from(d.two_totals);
            bare += usize::from(d.no_currency);
            total += 1;
        }
    }
    let share = |v: &str| f64::from(counts[v]) / total as f64;
    assert!((0.5..0.7).contains(&share("valid")), "valid share {}", share("valid"));
    assert!(share("forged") > 0.1 && share("mismatch") > 0.1, "{counts:?}");
    assert!(two > 20 && bare > 20, "two totals {two}, no currency {bare}");
}

#[test]
fn the_true_output_passes_verification_and_scores_one() {
    for seed in 1..=50 {
        let t = task(seed);
        let correct = documents::correct_output(truth(&t));
        let v = verify(&t.acceptance, &t.inputs, &correct, &full_check());
        assert!(v.failed.is_empty(), "seed {seed}: {:?}", v.failed);
        assert_eq!(t.accuracy(&correct), 1.0, "seed {seed}");
    }
}

#[test]
fn damaged_outputs_score_lower_or_fail_a_check() {
    let t = task(7);
    let correct = documents::correct_output(truth(&t));
    let fails = |o: &Output| verify(&t.acceptance, &t.inputs, o, &full_check()).failed;

    let mut dropped = records(&correct);
    dropped.pop();
    let dropped = with_records(dropped);
    assert!(t.accuracy(&dropped) < 1.0);
    assert!(fails(&dropped).iter().any(|f| f.criterion == "every-document-once"));

    let mut flipped = records(&correct);
    let was = flipped[0]["verdict"].as_text().unwrap().to_owned();
    let other = if was == "valid" { "forged" } else { "valid" };
    flipped[0].insert("verdict".into(), FieldValue::Text(other.into()));
    let flipped = with_records(flipped);
    assert!(t.accuracy(&flipped) < 1.0 && t.accuracy(&flipped) > t.accuracy(&dropped) - 0.2);

    let mut unsummed = records(&correct);
    let i = unsummed.iter().position(|r| !r["line_items"].as_list().unwrap().is_empty()).unwrap();
    unsummed[i].insert("line_items_total".into(), FieldValue::Number(1.0e6));
    assert!(fails(&with_records(unsummed)).iter().any(|f| f.criterion == "line-items-add-up"));

    let mut bad = records(&correct);
    bad[0].insert("verdict".into(), FieldValue::Text("fine".into()));
    bad[1].insert("id".into(), FieldValue::Text("D-1".into()));
    let failed: Vec<String> = fails(&with_records(bad)).into_iter().map(|f| f.criterion).collect();
    assert!(failed.contains(&"verdicts".to_owned()) && failed.contains(&"ids".to_owned()), "{failed:?}");

    assert_eq!(t.accuracy(&Output::new()), 0.0);
}

/// One agent worked over a task to the end: questions answered by the client (at most two),
/// then the submission; the outcome is learnt.
struct Run {
    accuracy: f64,
    duration_ms: u64,
    asked: usize,
    agreed: bool,
}

fn work(agent: &mut dyn WorkAgent, t: &GeneratedTask, seed: u64) -> Run {
    let spec = spec_of(t);
    let mut clarifications: Vec<Clarification> = Vec::new();
    let mut duration_ms = 0;
    let mut rng = SplitMix64::new(seed);
    loop {
        let job = Job { task: TaskId(seed as u32), spec: &spec, inputs: &spec.inputs, clarifications: &clarifications };
        assert_eq!(agent.evaluate(&job), Decision::Claim);
        match agent.execute(&job, &mut rng) {
            Attempt::Ask { question, duration_ms: d } => {
                assert!(clarifications.len() < 2, "asked a third question: {question}");
                duration_ms += d;
                let answer = t.answer(&question);
                clarifications.push(Clarification { question, answer: Some(answer) });
            }
            Attempt::Submit { output, self_check, duration_ms: d, method } => {
                let v = verify(&t.acceptance, &t.inputs, &output, &self_check);
                let accuracy = t.accuracy(&output);
                agent.learn(&WorkOutcome {
                    task: TaskId(seed as u32),
                    category: Kind::Documents.category().into(),
                    method,
                    accepted: v.failed.is_empty() && accepts(accuracy),
                    stars: None,
                    failed: v.failed.iter().map(|f| f.criterion.clone()).collect(),
                    clarifications: clarifications.clone(),
                });
                return Run {
                    accuracy,
                    duration_ms: duration_ms + d,
                    asked: clarifications.len(),
                    agreed: v.self_check_agreed,
                };
            }
        }
    }
}

struct Figures {
    accuracy: f64,
    mean_duration_s: f64,
    clarification_rate: f64,
    agreement: f64,
}

fn measure(agent: &mut dyn WorkAgent) -> Figures {
    let runs: Vec<Run> = (1..=200).map(|seed| work(agent, &task(seed), seed)).collect();
    let n = runs.len() as f64;
    Figures {
        accuracy: runs.iter().map(|r| r.accuracy).sum::<f64>() / n,
        mean_duration_s: runs.iter().map(|r| r.duration_ms as f64).sum::<f64>() / n / 1000.0,
        clarification_rate: runs.iter().filter(|r| r.asked > 0).count() as f64 / n,
        agreement: runs.iter().filter(|r| r.agreed).count() as f64 / n,
    }
}

#[test]
fn the_careful_verifier_beats_the_pattern_extractor() {
    let careful = measure(&mut CarefulVerifier::new());
    let pattern = measure(&mut PatternExtractor::new());
    for (name, f) in [("careful", &careful), ("pattern", &pattern)] {
        println!(
            "{name}: accuracy {:.3}, mean duration {:.1} s, clarification rate {:.3}, self-check agreement {:.3}",
            f.accuracy, f.mean_duration_s, f.clarification_rate, f.agreement
        );
    }
    assert!(
        careful.accuracy >= pattern.accuracy + 0.15,
        "careful {} vs pattern {}",
        careful.accuracy,
        pattern.accuracy
    );
    assert!(careful.accuracy < 1.0 && pattern.accuracy > 0.0);
    assert!(careful.agreement >= 0.9);
    assert!(careful.mean_duration_s > pattern.mean_duration_s * 5.0);
    assert_eq!(pattern.clarification_rate, 0.0, "the pattern extractor never asks");
}

#[test]
fn a_fresh_careful_verifier_asks_more_often_than_one_that_learns() {
    // A verifier that forgets after every batch asks on every ambiguous batch; one that learns
    // asks each topic about once.
    let fresh: usize = (1..=60).map(|seed| work(&mut CarefulVerifier::new(), &task(seed), seed).asked).sum();
    let mut learner = CarefulVerifier::new();
    let learnt: usize = (1..=60).map(|seed| work(&mut learner, &task(seed), seed).asked).sum();
    println!("questions over 60 batches: fresh each time {fresh}, learning {learnt}");
    assert!(learnt <= 2 && fresh > 10, "fresh {fresh}, learning {learnt}");
}

fn seed_with(test: impl Fn(&documents::DocTruth) -> bool, skip: u64) -> u64 {
    (skip + 1..).find(|s| truth(&task(*s)).documents.iter().any(&test)).unwrap()
}

#[test]
fn an_answer_learnt_settles_the_topic_on_later_batches() {
    let first = seed_with(|d| d.two_totals, 0);
    let t = task(first);
    let spec = spec_of(&t);
    let mut agent = CarefulVerifier::new();
    let mut rng = SplitMix64::new(1);
    let mut clarifications = Vec::new();
    let question = loop {
        let job = Job { task: TaskId(1), spec: &spec, inputs: &spec.inputs, clarifications: &clarifications };
        match agent.execute(&job, &mut rng) {
            Attempt::Ask { question, .. } if question.starts_with(TOPIC_TOTAL) => break question,
            Attempt::Ask { question, .. } => {
                clarifications.push(Clarification { answer: Some(t.answer(&question)), question })
            }
            Attempt::Submit { .. } => panic!("submitted without asking which total counts"),
        }
    };
    let answer = t.answer(&question);
    assert!(answer.contains("after"), "{answer}");
    clarifications.push(Clarification { question, answer: Some(answer) });
    let (output, method) = loop {
        let job = Job { task: TaskId(1), spec: &spec, inputs: &spec.inputs, clarifications: &clarifications };
        match agent.execute(&job, &mut rng) {
            Attempt::Submit { output, method, .. } => break (output, method),
            Attempt::Ask { question, .. } => {
                assert!(!question.starts_with(TOPIC_TOTAL), "asked which total again: {question}");
                clarifications.push(Clarification { answer: Some(t.answer(&question)), question });
            }
        }
    };
    // The answer chose the amount due after the discount.
    let truth_docs = &truth(&t).documents;
    for (d, r) in truth_docs.iter().zip(records(&output)) {
        if d.two_totals && !d.smudged {
            assert_eq!(r["total"].as_number(), Some(d.total_minor as f64 / 100.0), "{}", d.id);
        }
    }
    agent.learn(&WorkOutcome {
        task: TaskId(1),
        category: Kind::Documents.category().into(),
        method,
        accepted: true,
        stars: Some(5),
        failed: vec![],
        clarifications: clarifications.clone(),
    });
    assert!(agent.remembers(TOPIC_TOTAL).is_some());
    let later = seed_with(|d| d.two_totals, first);
    let t2 = task(later);
    let spec2 = spec_of(&t2);
    let job = Job { task: TaskId(2), spec: &spec2, inputs: &spec2.inputs, clarifications: &[] };
    if let Attempt::Ask { question, .. } = agent.execute(&job, &mut rng) {
        assert!(!question.starts_with(TOPIC_TOTAL), "asked again: {question}");
    }
}

#[test]
fn the_pattern_extractor_misses_registry_mismatches_the_careful_one_catches() {
    let (mut careful_hits, mut pattern_hits, mut mismatches) = (0, 0, 0);
    for seed in 1..=40 {
        let t = task(seed);
        let spec = spec_of(&t);
        let answers: Vec<Clarification> = documents::TOPICS
            .iter()
            .map(|topic| Clarification { question: (*topic).to_owned(), answer: Some(t.answer(topic)) })
            .collect();
        let job = Job { task: TaskId(0), spec: &spec, inputs: &spec.inputs, clarifications: &answers };
        let outputs = [documents::careful(&job), documents::pattern(&job)].map(|d| match d {
            gigmarket::work::Draft::Output { output, .. } => records(&output),
            gigmarket::work::Draft::Question(q) => panic!("asked despite the answers: {q}"),
        });
        for (i, d) in truth(&t).documents.iter().enumerate() {
            if d.verdict == "mismatch" {
                mismatches += 1;
                careful_hits += usize::from(outputs[0][i]["verdict"].as_text() == Some("mismatch"));
                pattern_hits += usize::from(outputs[1][i]["verdict"].as_text() == Some("mismatch"));
            }
        }
    }
    assert!(mismatches > 10);
    assert_eq!(pattern_hits, 0);
    assert!(careful_hits * 10 >= mismatches * 9, "careful caught {careful_hits} of {mismatches}");
}

#[test]
fn agents_degrade_on_malformed_inputs_instead_of_panicking() {
    let t = task(3);
    let base = spec_of(&t);
    let garbage = [
        "",
        "id,type,text\nDOC-001,invoice,\"unterminated",
        "nope\n1\n2",
        "id,text\nDOC-001,Total: lots\nDOC-002,\"- a: 1,2,3\nTotal: -\"",
        "id,type,text\nDOC-001,invoice,\"Total: 9999999999999999999999.99 EUR\nAMOUNT DUE ... ?.??\n(((\"\nDOC-002,bank_statement,Opening balance:\nDOC-003,id_record,\"31.02.2024 | P-12 | ,\"",
    ];
    for (i, content) in garbage.iter().enumerate() {
        let mut spec = base.clone();
        spec.inputs[0].content = Some((*content).to_owned());
        spec.inputs[1].content = Some(["", "party_id\nP-1", "a,b\n1"][i % 3].to_owned());
        let job = Job { task: TaskId(0), spec: &spec, inputs: &spec.inputs, clarifications: &[] };
        let mut rng = SplitMix64::new(0);
        for agent in [&mut CarefulVerifier::new() as &mut dyn WorkAgent, &mut PatternExtractor::new()] {
            let _ = agent.execute(&job, &mut rng);
        }
    }
}

#[test]
fn agents_decline_other_kinds() {
    let t = task(1);
    let mut spec = spec_of(&t);
    spec.category = "data-analysis".into();
    let job = Job { task: TaskId(0), spec: &spec, inputs: &spec.inputs, clarifications: &[] };
    assert!(matches!(CarefulVerifier::new().evaluate(&job), Decision::Decline { .. }));
    assert!(matches!(PatternExtractor::new().evaluate(&job), Decision::Decline { .. }));
}
