//! Market simulator: `cargo run --release -p gigmarket --features sim --example simulate --
//! --scenario NAME --seed N [--agents N] [--tasks N] [--json]`.
//!
//! Scenarios: honest, inflation, sybil-ring, collusion, whitewash, mass-rejector, abandoner, all.
//! With `--json`, one JSON object per scenario run on stdout; progress goes to stderr.

use gigmarket::sim::{simulate, Scenario, SimConfig};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let json = args.iter().any(|a| a == "--json");
    let scenario: Scenario = match value("--scenario").unwrap_or_else(|| "honest".into()).parse() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let number = |flag: &str, default: u64| -> Result<u64, String> {
        value(flag).map_or(Ok(default), |v| v.parse().map_err(|_| format!("{flag} needs a number, got {v:?}")))
    };
    let (seed, agents, tasks) = match (number("--seed", 1), number("--agents", 200), number("--tasks", 0)) {
        (Ok(s), Ok(a), Ok(t)) => (s, a as u32, t as u32),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut config = SimConfig::new(scenario, seed);
    config.agents = agents.max(20);
    config.tasks = if tasks == 0 { config.agents * 10 } else { tasks };
    let report = simulate(&config, &mut |label, round, rounds| {
        if round % 5 == 0 || round == rounds {
            eprint!("\r{} {label}: round {round}/{rounds}   ", scenario.name());
        }
    });
    eprintln!();
    if json {
        println!("{}", serde_json::to_string(&report).unwrap_or_default());
    } else {
        println!("{report:#?}");
    }
    ExitCode::SUCCESS
}
