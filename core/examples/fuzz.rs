//! Long fuzzing runs on stable Rust:
//! `cargo run --profile fuzz -p gigmarket --all-features --example fuzz -- --inputs N --seed S --threads T`
//! (`make fuzz`). Mutated snapshots and mutated commands against live markets (see
//! `core/tests/support/fuzz.rs` for the properties); every failing input is written to
//! `core/fuzz/corpus/<hash>.json` (or `--corpus DIR`), which `cargo test` replays. The `fuzz`
//! profile is release with overflow checks, debug assertions and unwinding panics, so that every
//! panic is caught and recorded. Prints inputs/s and totals at the end.

#[path = "../tests/support/fuzz.rs"]
mod fuzz;
#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut inputs: u64 = 100_000;
    let mut seed: u64 = 1;
    let mut threads: u64 = 2;
    let mut corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--inputs" => inputs = value().parse().expect("--inputs N"),
            "--seed" => seed = value().parse().expect("--seed S"),
            "--threads" => threads = value().parse::<u64>().expect("--threads T").max(1),
            "--corpus" => corpus = PathBuf::from(value()),
            other => panic!("unknown flag {other}; use --inputs N --seed S --threads T [--corpus DIR]"),
        }
    }
    fuzz::quiet_panics();
    let started = Instant::now();
    let totals = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let share = inputs / threads + u64::from(t < inputs % threads);
                // Each thread its own stream, derived from the seed.
                let stream = gigmarket::rng::mix64(seed.wrapping_add(t));
                scope.spawn(move || fuzz::run(stream, share))
            })
            .collect();
        let mut totals = fuzz::Totals::default();
        for h in handles {
            totals.merge(h.join().expect("a fuzzing thread panicked outside catch_unwind"));
        }
        totals
    });
    let secs = started.elapsed().as_secs_f64();
    std::fs::create_dir_all(&corpus).expect("create the corpus folder");
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for f in &totals.findings {
        let name = fuzz::name_of(&f.input);
        let path = corpus.join(format!("{name}.json"));
        let mut record = f.input.clone();
        record["finding"] = serde_json::json!({ "what": f.what, "message": f.message });
        std::fs::write(&path, serde_json::to_string_pretty(&record).expect("serialize")).expect("write the finding");
        *kinds.entry(format!("{}: {}", f.what, f.message.lines().next().unwrap_or(""))).or_default() += 1;
        println!("finding {} ({}): {}", path.display(), f.what, f.message);
    }
    println!(
        "fuzz: seed {seed}, {threads} threads: {} inputs in {secs:.1} s ({:.0} inputs/s)",
        totals.inputs,
        totals.inputs as f64 / secs
    );
    println!(
        "  snapshots {} (loaded {}), commands {} (malformed {}, accepted {}, refused {}), findings {}",
        totals.snapshots,
        totals.loaded,
        totals.commands,
        totals.malformed,
        totals.accepted,
        totals.refused,
        totals.findings.len()
    );
    for (kind, n) in kinds {
        println!("  {n} x {kind}");
    }
}
