//! The simulator: the autopilot that brings a market to life, and whole seeded simulations.

use crate::convert::{safe_integer, string, timestamp, to_js};
use crate::error::{malformed, rejection};
use crate::market::Market;
use gigmarket::sim::{
    simulate, Autopilot, Scenario, SimConfig, SimError, MAX_AGENTS, MAX_TASKS, MIN_AGENTS, MIN_TASKS,
};
use gigmarket::Rejection;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Market)]
impl Market {
    /// One autopilot step at instant `nowMs`: simulated clients review and post, the operator
    /// assigns open tasks in a batch, simulated AI agents hand in their work. Returns the events.
    /// The autopilot keeps no state: its parties are the `auto-…` agents and clients.
    #[wasm_bindgen(js_name = autopilotStep, unchecked_return_type = "Event[]")]
    pub fn autopilot_step(
        &mut self,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "Timestamp")] now: JsValue,
    ) -> Result<JsValue, JsValue> {
        let now = timestamp(&now)?;
        if now < self.inner.now() {
            return Err(rejection(Rejection::TimeWentBackwards { now, last: self.inner.now() }));
        }
        to_js(&Autopilot::default().step(&mut self.inner, now))
    }

    /// The market the autopilot is meant to run in, as `new Market(config)` takes it (the demo
    /// starts its markets so): the defaults, except that exploration may try agents on tasks up
    /// to the autopilot's largest reward, so that its weaker reference agents get tried and
    /// measured. No `seed`: the new market draws one.
    #[wasm_bindgen(js_name = autopilotConfig, unchecked_return_type = "MarketConfig")]
    pub fn autopilot_config() -> Result<JsValue, JsValue> {
        let config = gigmarket::sim::autopilot::market_config(0);
        let mut value = serde_json::to_value(&config).map_err(|e| malformed("config", e.to_string()))?;
        if let Some(fields) = value.as_object_mut() {
            fields.remove("seed");
        }
        to_js(&value)
    }

    /// Run a whole seeded simulation (`honest`, `inflation`, `sybil-ring`, `collusion`,
    /// `whitewash`, `mass-rejector`, `abandoner` or `all`) and report its figures. `agents`
    /// (default 200) must be 20 to 2000 and `tasks` (default ten per agent) 1 to 100000;
    /// anything else throws `malformed_input` naming the argument.
    #[wasm_bindgen(unchecked_return_type = "SimReport")]
    pub fn simulate(
        #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] agents: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] tasks: JsValue,
    ) -> Result<JsValue, JsValue> {
        let scenario: Scenario =
            string("scenario", &scenario)?.parse().map_err(|e: String| malformed("scenario", &e))?;
        let mut config = SimConfig::new(scenario, safe_integer("seed", &seed)?);
        if !agents.is_undefined() {
            config.agents = count("agents", &agents, MIN_AGENTS, MAX_AGENTS)?;
            config.tasks = config.agents * 10;
        }
        if !tasks.is_undefined() {
            config.tasks = count("tasks", &tasks, MIN_TASKS, MAX_TASKS)?;
        }
        // The seed is a safe integer, so the market's configuration passes its check; the sizes
        // were checked above, against the package's tighter bounds.
        let report = simulate(&config, &mut |_, _, _| {}).map_err(|e| match e {
            SimError::TooSmall { what, .. } | SimError::TooLarge { what, .. } => malformed(what, e.to_string()),
            SimError::Market(e) => malformed("seed", e.to_string()),
        })?;
        to_js(&report)
    }
}

/// A whole number from `min` to `max`, or `malformed_input` naming the argument and the range
/// (refused, never clamped: a caller asking for 5 agents should learn it did not get 5).
fn count(what: &str, value: &JsValue, min: u32, max: u32) -> Result<u32, JsValue> {
    let n = safe_integer(what, value)?;
    u32::try_from(n)
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| malformed(what, format!("must be {min} to {max}, got {n}")))
}
