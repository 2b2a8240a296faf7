//! Real work from JavaScript (the `gigmarket/sim` module): post a task of one of the seed's three
//! kinds from a template, measure a submission against the template's hidden truth, and ask a
//! reference agent for a draft. The demo's "Post from a template", its review hint and its
//! "Start from a draft" use these.

use crate::convert::{id, safe_integer, string, timestamp, to_js};
use crate::error::{malformed, rejection};
use crate::market::Market;
use gigmarket::ids::{AgentId, TaskId};
use gigmarket::rng::SplitMix64;
use gigmarket::work::templates::{best_reference_agent, draft, measure, template_spec};
use gigmarket::work::Kind;
use gigmarket::Rejection;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Market)]
impl Market {
    /// The specification of a template task in `category` (`document-verification`,
    /// `data-analysis` or `customer-outreach`) for a fixed `reward` (minor units), posted at
    /// `nowMs`: real inputs, with a hidden truth the market can draw again. It is drawn for the
    /// next task id, so post it before any other task. Another category throws `malformed_input`.
    #[wasm_bindgen(js_name = taskTemplate, unchecked_return_type = "TaskSpec")]
    pub fn task_template(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] category: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] reward: JsValue,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "Timestamp")] now: JsValue,
    ) -> Result<JsValue, JsValue> {
        let kind = kind_of(&string("category", &category)?)?;
        let reward = safe_integer("reward", &reward)?;
        to_js(&template_spec(&self.inner, kind, reward, timestamp(&now)?))
    }

    /// How the submission `task` holds measures against its template's hidden truth (accuracy,
    /// the stars a client gives for it, whether a client accepts it); `undefined` for a task that
    /// is not a template task or holds no submission.
    #[wasm_bindgen(js_name = measureWork, unchecked_return_type = "WorkMeasure | undefined")]
    pub fn measure_work(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] task: JsValue,
    ) -> Result<JsValue, JsValue> {
        let task = TaskId(id("task", &task)?);
        match measure(&self.inner, task) {
            Some(m) => to_js(&m),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// What the best reference agent for the task's kind makes of `task` as `agent`'s view shows
    /// it: an output with its self-check, or a question. Throws as the view does (an unknown
    /// agent or task), and `malformed_input` for a task outside the three kinds.
    #[wasm_bindgen(js_name = draftWork, unchecked_return_type = "WorkDraft")]
    pub fn draft_work(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] agent: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] task: JsValue,
    ) -> Result<JsValue, JsValue> {
        let agent = AgentId(id("agent", &agent)?);
        let task = TaskId(id("task", &task)?);
        let t = self.inner.task(task).ok_or_else(|| rejection(Rejection::UnknownTask { task }))?;
        let kind =
            kind_of(&t.spec.category).map_err(|_| malformed("task", "not one of the three kinds of real work"))?;
        let mut worker = best_reference_agent(kind);
        let mut rng = SplitMix64::new(u64::from(task.0));
        let result = draft(&self.inner, agent, task, worker.as_mut(), &[], &mut rng).map_err(rejection)?;
        to_js(&result)
    }
}

fn kind_of(category: &str) -> Result<Kind, JsValue> {
    Kind::from_category(category).ok_or_else(|| {
        malformed(
            "category",
            format!("no template for {category:?}: document-verification, data-analysis or customer-outreach"),
        )
    })
}
