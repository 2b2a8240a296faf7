//! Matching: eligibility explained, rankings with factors, fairness figures.

use crate::convert::{id, small_to_js};
use crate::error::rejection;
use crate::market::Market;
use gigmarket::ids::{AgentId, TaskId};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Market)]
impl Market {
    /// Why an agent may not take a task now, one readable sentence per failed gate (empty when
    /// it may). Throws `unknown_task` / `unknown_agent`.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn eligibility(
        &self,
        #[wasm_bindgen(js_name = taskId, unchecked_param_type = "TaskId")] task: JsValue,
        #[wasm_bindgen(js_name = agentId, unchecked_param_type = "AgentId")] agent: JsValue,
    ) -> Result<JsValue, JsValue> {
        let task = TaskId(id("taskId", &task)?);
        let agent = AgentId(id("agentId", &agent)?);
        small_to_js(&self.inner.eligibility(task, agent).map_err(rejection)?)
    }

    /// The best `k` eligible agents for a task now, best first, each with the factors of its
    /// fit. A preview: unlike the `RankAgents` command it records no exposure.
    #[wasm_bindgen(unchecked_return_type = "RankedAgent[]")]
    pub fn ranking(
        &self,
        #[wasm_bindgen(js_name = taskId, unchecked_param_type = "TaskId")] task: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] k: JsValue,
    ) -> Result<JsValue, JsValue> {
        let task = TaskId(id("taskId", &task)?);
        let k = id("k", &k)?;
        small_to_js(&self.inner.ranking(task, k).map_err(rejection)?)
    }

    /// Exposure and assignments by cohort (new vs established, AI vs human), concentration of
    /// work, newcomer budget spent.
    #[wasm_bindgen(js_name = fairnessReport, unchecked_return_type = "FairnessReport")]
    pub fn fairness_report(&self) -> Result<JsValue, JsValue> {
        small_to_js(&self.inner.fairness_report())
    }
}
