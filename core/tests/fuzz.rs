//! The fuzzer inside `cargo test`: a replay of every committed corpus input (`core/fuzz/corpus/`)
//! and a short fresh pass. Long runs: `make fuzz` (see `core/examples/fuzz.rs`).

#[path = "support/fuzz.rs"]
mod fuzz;
mod support;

use serde_json::Value;
use std::path::Path;

fn corpus() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let input = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_name().unwrap().to_string_lossy().into_owned(), input)
        })
        .collect()
}

#[test]
fn every_corpus_input_now_meets_its_property() {
    let inputs = corpus();
    let failures: Vec<String> =
        inputs.iter().filter_map(|(name, input)| fuzz::replay(input).err().map(|e| format!("{name}: {e}"))).collect();
    assert!(failures.is_empty(), "{} of {} corpus inputs fail:\n{}", failures.len(), inputs.len(), failures.join("\n"));
}

#[test]
fn a_short_fuzz_pass_finds_nothing() {
    // FUZZ_TEST_INPUTS and FUZZ_TEST_SEED override the size and the stream.
    let var = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let totals = fuzz::run(var("FUZZ_TEST_SEED", 12), var("FUZZ_TEST_INPUTS", 10_000));
    // Findings are written where `cargo test` keeps scratch files, to be moved into the corpus
    // once fixed.
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-findings");
    for f in &totals.findings {
        let _ = std::fs::create_dir_all(&scratch);
        let _ = std::fs::write(scratch.join(format!("{}.json", fuzz::name_of(&f.input))), f.input.to_string());
    }
    let report: Vec<String> = totals
        .findings
        .iter()
        .take(5)
        .map(|f| format!("{} {}: {}", fuzz::name_of(&f.input), f.what, f.message))
        .collect();
    assert!(
        totals.findings.is_empty(),
        "{} findings in {} inputs (written to {}):\n{}",
        totals.findings.len(),
        totals.inputs,
        scratch.display(),
        report.join("\n")
    );
    // The pass must reach the interesting paths, not only bounce off deserialization or load.
    assert!(totals.loaded > 0 && totals.accepted > totals.inputs / 20, "{totals:?}");
}
