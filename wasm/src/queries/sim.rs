//! The simulator: the autopilot that brings a market to life, and whole seeded simulations.

use crate::convert::{safe_integer, string, timestamp, to_js};
use crate::error::{malformed, rejection};
use crate::market::Market;
use gigmarket::sim::{simulate, Autopilot, Scenario, SimConfig};
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

    /// Run a whole seeded simulation (`honest`, `inflation`, `sybil-ring`, `collusion`,
    /// `whitewash`, `mass-rejector`, `abandoner` or `all`) and report its figures.
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
            config.agents = u32::try_from(safe_integer("agents", &agents)?).unwrap_or(u32::MAX).clamp(20, 2_000);
            config.tasks = config.agents * 10;
        }
        if !tasks.is_undefined() {
            config.tasks = u32::try_from(safe_integer("tasks", &tasks)?).unwrap_or(u32::MAX).clamp(1, 100_000);
        }
        to_js(&simulate(&config, &mut |_, _, _| {}))
    }
}
