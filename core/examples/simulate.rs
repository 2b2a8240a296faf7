//! Market simulator: `cargo run --release -p gigmarket --features sim --example simulate --
//! --scenario NAME --seed N [--agents N] [--tasks N] [--json]`.
//!
//! Scenarios: honest, inflation, sybil-ring, collusion, whitewash, mass-rejector, abandoner, all;
//! and `matrix` (the measuring matrix, `gigmarket::sim::matrix`: one JSON line per cell, with
//! `--cell NAME-PREFIX` to run only matching cells; `--agents` sets its size too; `--config JSON`
//! runs it over a market with those `MarketConfig` fields changed from the defaults, e.g.
//! `--config '{"reputation":{"change_z":0}}'`, to measure one setting against the default;
//! `--levels N` has honest tasks ask skill levels 1 to N in turn, default 2, so that above 2
//! some honest work sits behind rare gates; `--variant NAME` runs it in a world that bends one
//! assumption: `noisy-ratings`, `sparse-ratings`, `biased-raters`, `specialists` or `cheap-talk`, see
//! `gigmarket::sim::matrix::variant`).
//! And `frontier` (`gigmarket::sim::matrix::frontier`: what an allocator that knows every
//! agent's true quality can show in the matrix's world, one JSON line per utilisation and trial
//! count; `--agents` sets its size, `--variant` its world).
//! And `agents` (real work, `gigmarket::sim::real_work`: the reference agents doing generated
//! tasks of the three kinds; `--rounds N` days, default 20; with `--json` one line per agent and
//! category, one per category with `kendall_tau_vs_measured`, and a summary line).
//! With `--json`, one JSON object per scenario run on stdout; progress goes to stderr.

use gigmarket::sim::{simulate, Scenario, SimConfig};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let json = args.iter().any(|a| a == "--json");
    if value("--scenario").as_deref() == Some("matrix") {
        return matrix(
            &value("--seed"),
            &value("--agents"),
            &value("--cell"),
            &value("--config"),
            (&value("--levels"), &value("--variant")),
            json,
        );
    }
    if value("--scenario").as_deref() == Some("frontier") {
        return frontier(&value("--seed"), &value("--agents"), &value("--variant"), json);
    }
    if value("--scenario").as_deref() == Some("agents") {
        return real_work(&value("--seed"), &value("--rounds"), json);
    }
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
        (Ok(s), Ok(a), Ok(t)) => match (size("--agents", a), size("--tasks", t)) {
            (Ok(a), Ok(t)) => (s, a, t),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut config = SimConfig::new(scenario, seed);
    // Refused, not clamped, by `simulate` (outside 20-2000 agents or 1-100000 tasks); no --tasks
    // means ten per agent.
    config.agents = agents;
    config.tasks = if value("--tasks").is_none() { agents.saturating_mul(10) } else { tasks };
    // A world runs past its planned rounds (up to twice as many) until its honest work is placed,
    // so the count is shown against the plan, not as a fraction that can pass 1.
    let report = simulate(&config, &mut |label, round, rounds| {
        if round % 5 == 0 || round == rounds {
            eprint!("\r{} {label}: round {round} ({rounds} planned)   ", scenario.name());
        }
    });
    eprintln!();
    let report = match report {
        Ok(report) => report,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if json {
        println!("{}", serde_json::to_string(&report).unwrap_or_default());
    } else {
        println!("{report:#?}");
    }
    ExitCode::SUCCESS
}

fn matrix(
    seed: &Option<String>,
    agents: &Option<String>,
    only: &Option<String>,
    config: &Option<String>,
    (levels, variant): (&Option<String>, &Option<String>),
    json: bool,
) -> ExitCode {
    use gigmarket::sim::matrix::{run_cell_with, Cell, Size};
    let (seed, agents) = match seed_and_agents(seed, agents) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let config: gigmarket::MarketConfig = match config.as_deref().map(serde_json::from_str).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(e) => {
            eprintln!("--config: {e}");
            return ExitCode::from(2);
        }
    };
    let top_level = match levels.as_deref().map(str::parse::<u8>).transpose() {
        Ok(level) => level.unwrap_or(Size::full().top_level),
        Err(e) => {
            eprintln!("--levels: {e}");
            return ExitCode::from(2);
        }
    };
    let variant = match world_variant(variant) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let size = Size { agents, top_level, variant, ..Size::full() };
    let started = std::time::Instant::now();
    for cell in Cell::all() {
        if only.as_deref().is_some_and(|prefix| !cell.name().starts_with(prefix)) {
            continue;
        }
        let t = std::time::Instant::now();
        let report = match run_cell_with(cell, seed, size, &config) {
            Ok(report) => report,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        if json {
            println!("{}", serde_json::to_string(&report).unwrap_or_default());
        } else {
            println!("{report:?}");
        }
        eprintln!("{} in {:.2} s", report.cell, t.elapsed().as_secs_f64());
    }
    eprintln!("matrix seed {seed}: {:.1} s", started.elapsed().as_secs_f64());
    ExitCode::SUCCESS
}

fn frontier(seed: &Option<String>, agents: &Option<String>, variant: &Option<String>, json: bool) -> ExitCode {
    use gigmarket::sim::matrix::{frontier::run_frontier, Size};
    let (seed, agents, variant) =
        match seed_and_agents(seed, agents).and_then(|(s, a)| Ok((s, a, world_variant(variant)?))) {
            Ok(parsed) => parsed,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
    let run = run_frontier(seed, Size { agents, variant, ..Size::full() }, &mut |point| {
        if json {
            println!("{}", serde_json::to_string(&point).unwrap_or_default());
        } else {
            println!("{point:?}");
        }
    });
    match run {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn real_work(seed: &Option<String>, rounds: &Option<String>, json: bool) -> ExitCode {
    let seed: u64 = match seed.as_deref().map_or(Ok(1), str::parse) {
        Ok(s) => s,
        Err(_) => {
            eprintln!("--seed needs a number");
            return ExitCode::from(2);
        }
    };
    let rounds: u32 = match rounds.as_deref().map_or(Ok(20), str::parse) {
        Ok(r) => r,
        Err(_) => {
            eprintln!("--rounds needs a number");
            return ExitCode::from(2);
        }
    };
    let report = match gigmarket::sim::real_work::run(seed, rounds) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if !json {
        println!("{report:#?}");
        return ExitCode::SUCCESS;
    }
    let line = |mut value: serde_json::Value| {
        if let Some(map) = value.as_object_mut() {
            map.insert("scenario".into(), "agents".into());
            map.insert("seed".into(), seed.into());
        }
        println!("{value}");
    };
    for row in &report.agents {
        line(serde_json::to_value(row).unwrap_or_default());
    }
    for row in &report.categories {
        line(serde_json::to_value(row).unwrap_or_default());
    }
    line(serde_json::json!({
        "rounds": report.rounds,
        "clarification_rate_first_quarter": report.clarification_rate_first_quarter,
        "clarification_rate_last_quarter": report.clarification_rate_last_quarter,
        "audit_held": report.audit_held,
    }));
    ExitCode::SUCCESS
}

/// A size flag's value as a u32 (the simulator then checks its range), or what is wrong with it.
/// `--seed` (default 1) and `--agents` (default 200) of the matrix and the frontier.
fn seed_and_agents(seed: &Option<String>, agents: &Option<String>) -> Result<(u64, u32), String> {
    let parse = |v: &Option<String>, default: u64| v.as_deref().map_or(Ok(default), str::parse::<u64>);
    let (Ok(seed), Ok(agents)) = (parse(seed, 1), parse(agents, 200)) else {
        return Err("--seed and --agents need numbers".into());
    };
    Ok((seed, size("--agents", agents)?))
}

/// `--variant` of the matrix and the frontier (default: the reference world).
fn world_variant(name: &Option<String>) -> Result<gigmarket::sim::matrix::Variant, String> {
    use gigmarket::sim::matrix::Variant;
    match name.as_deref() {
        None => Ok(Variant::Reference),
        Some(name) => Variant::named(name).ok_or_else(|| {
            let names: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
            format!("--variant {name}: not one of {}", names.join(", "))
        }),
    }
}

fn size(flag: &str, n: u64) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("{flag} must be at most {}, got {n}", u32::MAX))
}
