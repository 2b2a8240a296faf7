#![cfg(feature = "work")]
//! The data-analysis kind: its generator and hidden truth, its accuracy measure, the client's
//! answers, and the two reference agents measured over 200 generated tasks.

use gigmarket::ids::TaskId;
use gigmarket::output::{FieldValue, Output, SelfCheck};
use gigmarket::rng::SplitMix64;
use gigmarket::spec::{InputRef, TaskSpec};
use gigmarket::table::Table;
use gigmarket::verify::verify;
use gigmarket::work::analysis::{self, NaiveAnalyst, RobustAnalyst, Truth, UNIT_TOPIC};
use gigmarket::work::kit::{Attempt, Clarification, Decision, Job, WorkAgent, WorkOutcome};
use gigmarket::work::{self, accepts, stars_for, Draft, GeneratedTask, Kind};

const SEEDS: std::ops::RangeInclusive<u64> = 1..=200;

fn task(seed: u64) -> GeneratedTask {
    work::generate(Kind::Analysis, seed)
}

fn truth(task: &GeneratedTask) -> &Truth {
    match &task.truth {
        work::Truth::Analysis(t) => t,
        other => panic!("not an analysis truth: {other:?}"),
    }
}

fn spec(task: &GeneratedTask) -> TaskSpec {
    task.spec(5_000, 0, 3_600_000)
}

fn job<'a>(spec: &'a TaskSpec, clarifications: &'a [Clarification]) -> Job<'a> {
    Job { task: TaskId(1), spec, inputs: &spec.inputs, clarifications }
}

fn table(task: &GeneratedTask) -> Table {
    Table::parse(task.inputs[0].content.as_deref().expect("inline dataset")).expect("the dataset is CSV")
}

fn failed(task: &GeneratedTask, output: &Output) -> Vec<String> {
    let check = SelfCheck { confidence_bps: 9_000, criteria_passed: Vec::new(), notes: String::new() };
    verify(&task.acceptance, &task.inputs, output, &check).failed.into_iter().map(|f| f.criterion).collect()
}

fn set(output: &Output, name: &str, value: FieldValue) -> Output {
    let mut o = output.clone();
    o.insert(name.to_owned(), value);
    o
}

fn rows(list: &[u32]) -> FieldValue {
    FieldValue::List(list.iter().map(|r| FieldValue::Number(f64::from(*r))).collect())
}

// ----------------------------------------------------------------------------------------------
// The generator
// ----------------------------------------------------------------------------------------------

#[test]
fn the_same_seed_gives_the_same_task_and_seeds_differ() {
    for seed in [1, 7, 123] {
        assert_eq!(task(seed), task(seed));
    }
    assert_ne!(task(1).inputs, task(2).inputs);
}

#[test]
fn datasets_parse_and_agree_with_their_truth() {
    let (mut ambiguous, mut seasonal, mut heavy, mut gapless, mut na, mut empty) = (0, 0, 0, 0, 0, 0);
    let mut directions = std::collections::BTreeMap::new();
    for seed in SEEDS {
        let t = task(seed);
        let truth = truth(&t);
        let table = table(&t);
        assert_eq!(table.header(), ["row", "date", "value"]);
        assert_eq!(table.rows().len() as u32, truth.rows);
        assert!((200..=500).contains(&truth.rows), "seed {seed}: {} rows", truth.rows);
        let value = |r: u32| table.rows()[r as usize - 1][2].as_str();
        for (i, cells) in table.rows().iter().enumerate() {
            assert_eq!(cells[0], (i + 1).to_string(), "rows are numbered 1..n");
            assert_eq!(cells[1].len(), 10, "a date: {}", cells[1]);
        }
        let gaps = table.rows().iter().filter(|c| c[2].parse::<f64>().is_err()).count() as u32;
        assert_eq!(gaps, truth.missing_rows, "seed {seed}");
        assert!(f64::from(gaps) <= 0.151 * f64::from(truth.rows), "seed {seed}: {gaps} gaps");
        assert!((2..=10).contains(&truth.anomalies.len()), "seed {seed}: {:?}", truth.anomalies);
        assert!(truth.anomalies.iter().all(|r| value(*r).parse::<f64>().is_ok()), "an anomaly has a value");
        assert!(truth.anomalies.windows(2).all(|w| w[0] < w[1]), "ascending");
        if let Some((a, b)) = truth.unit_change {
            ambiguous += 1;
            assert!(truth.anomalies.iter().all(|r| *r + 1 < a || *r > b + 1), "no anomaly in the unit run");
        }
        seasonal += u32::from(truth.seasonal);
        heavy += u32::from(truth.heavy_tailed);
        gapless += u32::from(gaps == 0);
        na += u32::from(table.rows().iter().any(|c| c[2] == "NA"));
        empty += u32::from(table.rows().iter().any(|c| c[2].is_empty()));
        *directions.entry(truth.trend).or_insert(0) += 1;
    }
    println!("ambiguous {ambiguous}, seasonal {seasonal}, heavy {heavy}, gapless {gapless}, NA {na}, empty {empty}");
    println!("directions {directions:?}");
    assert!((20..=55).contains(&ambiguous), "about one task in six has a unit-change run: {ambiguous}");
    for (what, n) in [("seasonal", seasonal), ("heavy", heavy), ("gapless", gapless), ("NA", na), ("empty", empty)] {
        assert!((20..=180).contains(&n), "the worlds vary: {what} {n} of 200");
    }
    assert_eq!(directions.len(), 3, "rising, falling and flat series: {directions:?}");
}

#[test]
fn the_truths_output_passes_verification_and_scores_one() {
    for seed in SEEDS {
        let t = task(seed);
        let right = analysis::reference_output(truth(&t));
        assert_eq!(failed(&t, &right), Vec::<String>::new(), "seed {seed}");
        assert_eq!(t.accuracy(&right), 1.0, "seed {seed}");
    }
}

#[test]
fn damaged_outputs_score_lower_or_fail_a_check() {
    let t = task(11);
    let truth = truth(&t);
    let right = analysis::reference_output(truth);
    let full = t.accuracy(&right);
    let n = truth.rows;
    let flagged = &truth.anomalies;

    let dropped = set(&right, "anomalies", rows(&flagged[1..]));
    let extra_row = (1..=n).find(|r| !flagged.contains(r)).unwrap();
    let extra = set(&right, "anomalies", rows(&[flagged.as_slice(), &[extra_row]].concat()));
    let opposite = if truth.trend == "falling" { "rising" } else { "falling" };
    let flipped = set(&right, "trend", FieldValue::Text(opposite.into()));
    let steeper = set(&right, "trend_per_day", FieldValue::Number(truth.slope * 2.0 + 1.0));
    let zeros = set(&right, "missing_handling", FieldValue::Text("zero_filled".into()));
    let miscounted = set(&right, "missing_rows", FieldValue::Number(f64::from(truth.missing_rows) + 1.0));
    let nothing = set(&right, "anomalies", FieldValue::List(Vec::new()));
    for (what, damaged) in
        [("dropped", &dropped), ("extra", &extra), ("flipped", &flipped), ("steeper", &steeper), ("zeros", &zeros)]
    {
        assert!(t.accuracy(damaged) < full, "{what}: {}", t.accuracy(damaged));
        assert_eq!(failed(&t, damaged), Vec::<String>::new(), "{what} is wrong but well-formed");
    }
    assert!(t.accuracy(&miscounted) < full);
    assert!(t.accuracy(&nothing) < t.accuracy(&dropped), "partial credit is monotone");

    let check = |output: &Output, criterion: &str| {
        assert!(failed(&t, output).contains(&criterion.to_owned()), "{criterion}: {:?}", failed(&t, output));
    };
    check(&set(&right, "anomalies", rows(&[n + 1])), "flagged-rows-exist");
    check(&set(&right, "anomalies", rows(&[0])), "flagged-rows-exist");
    check(&set(&right, "trend", FieldValue::Text("up".into())), "trend-label");
    check(&set(&right, "missing_handling", FieldValue::Text("dropped".into())), "missing-handling-label");
    check(&set(&right, "confidence", FieldValue::Number(1.5)), "confidence-in-range");
    check(&set(&right, "missing_rows", FieldValue::Number(f64::from(n) + 1.0)), "missing-rows-in-range");
    check(&set(&right, "missing_rows", FieldValue::Number(2.5)), "field:missing_rows");
    let mut without = right.clone();
    without.remove("trend_per_day");
    check(&without, "field:trend_per_day");
}

#[test]
fn answers_follow_one_convention_across_tasks() {
    let ambiguous: Vec<GeneratedTask> = SEEDS.map(task).filter(|t| truth(t).unit_change.is_some()).take(3).collect();
    let plain = SEEDS.map(task).find(|t| truth(t).unit_change.is_none()).unwrap();
    let q = "Unit change? The values from row 40 to row 60 are about 1000 times the rest: is the jump a unit change?";
    let first = ambiguous[0].answer(q);
    assert!(first.contains("divide those values by 1000"), "{first}");
    for t in ambiguous.iter().chain(std::iter::once(&plain)) {
        assert_eq!(t.answer(q), first, "the same convention on every task");
    }
    assert_ne!(plain.answer("Missing values: skip or fill?"), first, "another topic, another answer");
}

// ----------------------------------------------------------------------------------------------
// The agents
// ----------------------------------------------------------------------------------------------

/// One task worked to a submission the way a host would: questions answered by the client,
/// the outcome told to the agent.
struct Run {
    accuracy: f64,
    duration_ms: u64,
    asked: u32,
    agreed: bool,
    output: Output,
}

fn work_on(agent: &mut dyn WorkAgent, seed: u64) -> Run {
    let t = task(seed);
    let spec = spec(&t);
    let mut clarifications = Vec::new();
    let mut rng = SplitMix64::new(seed);
    let (mut duration_ms, mut asked) = (0, 0);
    loop {
        let attempt = agent.execute(&job(&spec, &clarifications), &mut rng);
        match attempt {
            Attempt::Ask { question, duration_ms: d } => {
                assert!(asked < 2, "seed {seed}: asks again after an answer: {question}");
                duration_ms += d;
                asked += 1;
                let answer = t.answer(&question);
                clarifications.push(Clarification { question, answer: Some(answer) });
            }
            Attempt::Submit { output, self_check, duration_ms: d, method } => {
                let verification = verify(&spec.acceptance, &spec.inputs, &output, &self_check);
                let accuracy = t.accuracy(&output);
                agent.learn(&WorkOutcome {
                    task: TaskId(seed as u32),
                    category: spec.category.clone(),
                    method,
                    accepted: verification.failed.is_empty() && accepts(accuracy),
                    stars: Some(stars_for(accuracy)),
                    failed: verification.failed.iter().map(|f| f.criterion.clone()).collect(),
                    clarifications: clarifications.clone(),
                });
                let claimed_all = self_check.criteria_passed.len()
                    == gigmarket::work::kit::criterion_names(&job(&spec, &clarifications)).len();
                let agreed = verification.self_check_agreed && (claimed_all == verification.failed.is_empty());
                return Run { accuracy, duration_ms: duration_ms + d, asked, agreed, output };
            }
        }
    }
}

struct Report {
    accuracy: f64,
    min: f64,
    max: f64,
    duration_s: f64,
    asked_first_half: u32,
    asked_second_half: u32,
    ambiguous: u32,
    agreement: f64,
}

fn measure(agent: &mut dyn WorkAgent) -> Report {
    let runs: Vec<Run> = SEEDS.map(|seed| work_on(agent, seed)).collect();
    let n = runs.len() as f64;
    let accuracy = runs.iter().map(|r| r.accuracy).sum::<f64>() / n;
    let ambiguous = SEEDS.filter(|s| truth(&task(*s)).unit_change.is_some()).count() as u32;
    let report = Report {
        accuracy,
        min: runs.iter().map(|r| r.accuracy).fold(1.0, f64::min),
        max: runs.iter().map(|r| r.accuracy).fold(0.0, f64::max),
        duration_s: runs.iter().map(|r| r.duration_ms as f64).sum::<f64>() / n / 1000.0,
        asked_first_half: runs[..100].iter().map(|r| r.asked).sum(),
        asked_second_half: runs[100..].iter().map(|r| r.asked).sum(),
        ambiguous,
        agreement: runs.iter().filter(|r| r.agreed).count() as f64 / n,
    };
    println!(
        "{}: accuracy mean {:.3} (min {:.3}, max {:.3}), mean duration {:.1} s, questions {} in tasks 1-100 and {} in \
         101-200 (clarification rate {:.3} per task; {} ambiguous tasks), self-check agreement {:.3}",
        agent.name(),
        report.accuracy,
        report.min,
        report.max,
        report.duration_s,
        report.asked_first_half,
        report.asked_second_half,
        f64::from(report.asked_first_half + report.asked_second_half) / n,
        report.ambiguous,
        report.agreement,
    );
    report
}

#[test]
fn the_robust_agent_beats_the_naive_one_by_design() {
    let robust = measure(&mut RobustAnalyst::new());
    let naive = measure(&mut NaiveAnalyst::new());
    assert!(robust.accuracy - naive.accuracy >= 0.15, "robust {:.3} vs naive {:.3}", robust.accuracy, naive.accuracy);
    for r in [&robust, &naive] {
        assert!(r.accuracy > 0.0 && r.accuracy < 1.0, "headroom: {}", r.accuracy);
    }
    assert!(robust.min < 1.0, "the robust method makes real mistakes on hard inputs");
    assert!(robust.duration_s > naive.duration_s * 5.0, "careful is slower");
    assert!(robust.agreement >= 0.9, "self-check agreement {}", robust.agreement);
    assert_eq!(robust.asked_first_half + robust.asked_second_half, 1, "asks once, then remembers the convention");
    assert_eq!(naive.asked_first_half + naive.asked_second_half, 0, "the naive agent never asks");
}

#[test]
fn agents_are_deterministic() {
    for seed in [3, 40] {
        let a = work_on(&mut RobustAnalyst::new(), seed);
        let b = work_on(&mut RobustAnalyst::new(), seed);
        assert_eq!((a.output, a.duration_ms), (b.output, b.duration_ms));
        let a = work_on(&mut NaiveAnalyst::new(), seed);
        let b = work_on(&mut NaiveAnalyst::new(), seed);
        assert_eq!(a.output, b.output);
    }
}

#[test]
fn a_learned_answer_stops_the_question_on_later_tasks() {
    let seeds: Vec<u64> = SEEDS.filter(|s| truth(&task(*s)).unit_change.is_some()).take(2).collect();
    let (first, second) = (task(seeds[0]), task(seeds[1]));
    let (spec1, spec2) = (spec(&first), spec(&second));
    let mut rng = SplitMix64::new(0);

    // A fresh agent asks on both tasks: the input alone does not settle the run.
    for spec in [&spec1, &spec2] {
        let Attempt::Ask { question, .. } = RobustAnalyst::new().execute(&job(spec, &[]), &mut rng) else {
            panic!("a fresh agent asks about the unit run");
        };
        assert!(question.starts_with(UNIT_TOPIC), "{question}");
    }

    // One answer, learned, settles it for the next task.
    let mut agent = RobustAnalyst::new();
    let Attempt::Ask { question, .. } = agent.execute(&job(&spec1, &[]), &mut rng) else { panic!("asks") };
    let answered = vec![Clarification { answer: Some(first.answer(&question)), question }];
    let Attempt::Submit { output, method, .. } = agent.execute(&job(&spec1, &answered), &mut rng) else {
        panic!("the answer settles the task")
    };
    agent.learn(&WorkOutcome {
        task: TaskId(1),
        category: spec1.category.clone(),
        method,
        accepted: true,
        stars: Some(5),
        failed: Vec::new(),
        clarifications: answered.clone(),
    });
    assert!(agent.memory().contains_key(UNIT_TOPIC), "{:?}", agent.memory());
    let Attempt::Submit { output: later, .. } = agent.execute(&job(&spec2, &[]), &mut rng) else {
        panic!("no question on a later task with the same ambiguity")
    };

    // Following the convention, the rescaled run is not flagged.
    for (t, out) in [(&first, &output), (&second, &later)] {
        let (a, b) = truth(t).unit_change.unwrap();
        let flagged = out["anomalies"].as_list().unwrap();
        assert!(
            flagged.iter().all(|r| r.as_number().is_some_and(|r| r < f64::from(a) || r > f64::from(b))),
            "{flagged:?} in {a}..={b}"
        );
        assert!(t.accuracy(out) > 0.7, "{}", t.accuracy(out));
    }
}

#[test]
fn an_answer_calling_the_run_real_makes_the_agent_flag_it() {
    let t = SEEDS.map(task).find(|t| truth(t).unit_change.is_some()).unwrap();
    let spec = spec(&t);
    let (a, b) = truth(&t).unit_change.unwrap();
    let real = [Clarification { question: format!("{UNIT_TOPIC}?"), answer: Some("No, it is real.".into()) }];
    let Draft::Output { output, .. } = analysis::robust(&job(&spec, &real)) else { panic!("answered") };
    let flagged: Vec<f64> = output["anomalies"].as_list().unwrap().iter().filter_map(FieldValue::as_number).collect();
    assert!(flagged.iter().filter(|r| (f64::from(a)..=f64::from(b)).contains(r)).count() >= 3, "{flagged:?}");
}

#[test]
fn agents_claim_analysis_and_decline_the_rest() {
    let t = task(5);
    let analysis_spec = spec(&t);
    let mut other = analysis_spec.clone();
    other.category = Kind::Documents.category().to_owned();
    let mut no_data = analysis_spec.clone();
    no_data.inputs.clear();
    let agents: [&mut dyn WorkAgent; 2] = [&mut RobustAnalyst::new(), &mut NaiveAnalyst::new()];
    for agent in agents {
        assert_eq!(agent.evaluate(&job(&analysis_spec, &[])), Decision::Claim);
        assert!(matches!(agent.evaluate(&job(&other, &[])), Decision::Decline { .. }));
        assert!(matches!(agent.evaluate(&job(&no_data, &[])), Decision::Decline { .. }));
        assert_eq!(agent.skills()[0].0, "data-analysis");
    }
}

#[test]
fn the_robust_method_finds_what_the_naive_one_misses_on_a_gappy_series() {
    // A clean rising line with a run of gaps at the end and two spikes: the zeros drag the
    // naive line down and pass for dips; the robust method skips them.
    let mut csv = String::from("row,date,value\n");
    for r in 1..=120u32 {
        let v = 100.0 + 0.5 * f64::from(r) + if r % 2 == 0 { 1.0 } else { -1.0 };
        let cell = match r {
            30 | 80 => format!("{:.2}", v + 40.0),
            101..=120 => String::new(),
            _ => format!("{v:.2}"),
        };
        csv.push_str(&format!("{r},2024-01-01,{cell}\n"));
    }
    let mut spec = spec(&task(1));
    spec.inputs = vec![InputRef { content: Some(csv), ..spec.inputs[0].clone() }];
    let j = job(&spec, &[]);
    let (Draft::Output { output: good, .. }, Draft::Output { output: bad, .. }) =
        (analysis::robust(&j), analysis::naive(&j))
    else {
        panic!("both produce outputs")
    };
    assert_eq!(good["anomalies"], rows(&[30, 80]));
    assert_eq!(good["trend"], FieldValue::Text("rising".into()));
    assert_eq!(good["missing_rows"], FieldValue::Number(20.0));
    let slope = good["trend_per_day"].as_number().unwrap();
    assert!((slope - 0.5).abs() < 0.05, "{slope}");
    assert_eq!(bad["missing_handling"], FieldValue::Text("zero_filled".into()));
    assert_ne!(bad["anomalies"], rows(&[30, 80]), "the zeros fool the naive method: {:?}", bad["anomalies"]);
}

#[test]
fn odd_inputs_never_panic_and_lower_confidence() {
    let odd = [
        "",
        "not,a\ntable\"",
        "row,date,value\n",
        "row,date,value\n1,2024-01-01,5\n",
        "row,date,value\n1,x,NA\n2,x,NA\n3,x,\n4,x,nan\n5,x,inf\n",
        "row,date,amount\n1,x,1\n2,x,2\n3,x,3\n4,x,4\n",
        "a,b\nx,y\nz,w\n",
        "row,date,value\n1,x,0\n2,x,0\n3,x,0\n4,x,0\n5,x,0\n6,x,0\n",
        "row,date,value\nr1,x,1e308\nr2,x,-1e308\nr3,x,1e308\nr4,x,5\n",
    ];
    let base = spec(&task(2));
    for csv in odd {
        let mut spec = base.clone();
        spec.inputs = vec![InputRef { content: Some(csv.to_owned()), ..base.inputs[0].clone() }];
        let j = job(&spec, &[]);
        for draft in [analysis::robust(&j), analysis::naive(&j)] {
            if let Draft::Output { output, confidence_bps } = draft {
                for value in output.values() {
                    if let FieldValue::Number(n) = value {
                        assert!(n.is_finite(), "{csv:?}: {output:?}");
                    }
                }
                if csv.lines().count() < 3 {
                    assert!(confidence_bps <= 3_000, "{csv:?}: {confidence_bps}");
                }
            }
        }
        let mut rng = SplitMix64::new(1);
        for agent in [&mut RobustAnalyst::new() as &mut dyn WorkAgent, &mut NaiveAnalyst::new()] {
            let _ = agent.execute(&j, &mut rng);
        }
    }
}

#[test]
fn the_self_check_repairs_flags_of_rows_the_dataset_does_not_name() {
    // Row labels that are not numbers: the method falls back to positions, which the `row`
    // column does not hold; the self-check catches it and the agent drops those flags.
    let mut csv = String::from("row,date,value\n");
    for r in 1..=60u32 {
        let v = if r == 30 { 500.0 } else { 100.0 + f64::from(r % 3) };
        csv.push_str(&format!("d{r},2024-01-01,{v}\n"));
    }
    let mut spec = spec(&task(1));
    spec.inputs = vec![InputRef { content: Some(csv), ..spec.inputs[0].clone() }];
    let Draft::Output { output: raw, .. } = analysis::robust(&job(&spec, &[])) else { panic!("an output") };
    assert_eq!(raw["anomalies"], rows(&[30]), "the spike, by position");
    let mut rng = SplitMix64::new(1);
    let Attempt::Submit { output, self_check, .. } = RobustAnalyst::new().execute(&job(&spec, &[]), &mut rng) else {
        panic!("submits")
    };
    assert_eq!(output["anomalies"], FieldValue::List(Vec::new()));
    let verification = verify(&spec.acceptance, &spec.inputs, &output, &self_check);
    assert!(verification.failed.is_empty() && verification.self_check_agreed, "{verification:?}");
}
