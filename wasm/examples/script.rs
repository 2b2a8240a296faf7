//! Run a scripted scenario natively and print what happened, for comparison with the npm package.
//!
//! ```text
//! cargo run -p gigmarket-wasm --example script < steps.json
//! ```
//!
//! Input: `{"config": MarketConfig, "steps": [step, ...]}` where a step is
//! `{"now": ms, "actor": Actor, "command": Command}` (optionally with `"request_id"`) or
//! `{"tick": ms}`. Output (stdout, JSON): `{"outcomes": [...], "snapshot": "..."}` with one outcome
//! per step: the number of events it produced, or the rejection's code. `tests/js/determinism.test.mjs`
//! runs the same steps through the package and compares both outputs byte for byte.

use gigmarket::{Actor, Command, Market, MarketConfig};
use serde::Deserialize;
use std::io::Read;

#[derive(Deserialize)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // read once, applied once
enum Step {
    Tick {
        tick: u64,
    },
    Apply {
        now: u64,
        actor: Actor,
        command: Command,
        #[serde(default)]
        request_id: Option<String>,
    },
}

#[derive(Deserialize)]
struct Script {
    config: MarketConfig,
    steps: Vec<Step>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let script: Script = serde_json::from_str(&input)?;
    let mut market = Market::new(script.config)?;
    let mut outcomes = Vec::with_capacity(script.steps.len());
    for step in script.steps {
        let outcome = match step {
            Step::Tick { tick } => Ok(market.tick(tick)),
            Step::Apply { now, actor, command, request_id: Some(id) } => market.apply_request(now, actor, &id, command),
            Step::Apply { now, actor, command, request_id: None } => market.apply(now, actor, command),
        };
        outcomes.push(match outcome {
            Ok(events) => serde_json::Value::from(events.len()),
            Err(rejection) => serde_json::Value::from(rejection.code()),
        });
    }
    market.audit()?;
    let out = serde_json::json!({ "outcomes": outcomes, "snapshot": market.save() });
    println!("{out}");
    Ok(())
}
