//! Tasks, their actor-filtered views, and categories.

use crate::convert::{from_js, id, optional_string, small_to_js, to_js};
use crate::error::rejection;
use crate::market::Market;
use gigmarket::ids::{CategoryId, TaskId};
use gigmarket::Actor;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Market)]
impl Market {
    /// A task as `actor` may see it (confidential inputs and bids redacted). Throws
    /// `unknown_task` for an id no task has.
    #[wasm_bindgen(js_name = taskView, unchecked_return_type = "TaskView")]
    pub fn task_view(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: JsValue,
        #[wasm_bindgen(js_name = taskId, unchecked_param_type = "TaskId")] task: JsValue,
    ) -> Result<JsValue, JsValue> {
        let actor: Actor = from_js("actor", &actor)?;
        let task = TaskId(id("taskId", &task)?);
        let view = self.inner.task_view(actor, task).map_err(rejection)?;
        small_to_js(&view)
    }

    /// The engine's verification as a dry run, for an agent to check its work before it submits:
    /// throws what `SubmitWork` would for an output or self-check of the wrong shape, else returns
    /// the `Verification` it would record (criteria checked, each failure with its reason, and
    /// whether the self-check agrees), reading the inputs `actor` may see. Changes nothing.
    #[wasm_bindgen(js_name = checkSubmission, unchecked_return_type = "Verification")]
    pub fn check_submission(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: JsValue,
        #[wasm_bindgen(js_name = taskId, unchecked_param_type = "TaskId")] task: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Output")] output: JsValue,
        #[wasm_bindgen(js_name = selfCheck, unchecked_param_type = "SelfCheck")] self_check: JsValue,
    ) -> Result<JsValue, JsValue> {
        let actor: Actor = from_js("actor", &actor)?;
        let task = TaskId(id("taskId", &task)?);
        let output: gigmarket::output::Output = from_js("output", &output)?;
        let self_check: gigmarket::output::SelfCheck = from_js("selfCheck", &self_check)?;
        let verification = self.inner.check_submission(actor, task, &output, &self_check).map_err(rejection)?;
        small_to_js(&verification)
    }

    /// Every task as `actor` may see it, optionally only those in one state (`"Open"`,
    /// `"Claimed"`, ...: `TaskStatus["state"]`).
    #[wasm_bindgen(js_name = taskViews, unchecked_return_type = "TaskView[]")]
    pub fn task_views(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TaskStatus[\"state\"]")] state: JsValue,
    ) -> Result<JsValue, JsValue> {
        let actor: Actor = from_js("actor", &actor)?;
        let state = optional_string("state", &state)?;
        to_js(&self.inner.task_views(actor, state.as_deref()).map_err(rejection)?)
    }

    /// Open tasks as `actor` may see them, from clients whose record passes `filter` (rejection
    /// rate, review latency, disputes lost; every field optional).
    #[wasm_bindgen(js_name = openTasks, unchecked_return_type = "TaskView[]")]
    pub fn open_tasks(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClientFilter")] filter: JsValue,
    ) -> Result<JsValue, JsValue> {
        let actor: Actor = from_js("actor", &actor)?;
        let filter: gigmarket::market::ClientFilter =
            if filter.is_undefined() || filter.is_null() { Default::default() } else { from_js("filter", &filter)? };
        to_js(&self.inner.open_tasks(actor, &filter).map_err(rejection)?)
    }

    /// A task by id, unfiltered (for the trusted host), or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Task | undefined")]
    pub fn task(
        &self,
        #[wasm_bindgen(js_name = taskId, unchecked_param_type = "TaskId")] task: JsValue,
    ) -> Result<JsValue, JsValue> {
        let task = TaskId(id("taskId", &task)?);
        self.inner.task(task).map_or(Ok(JsValue::UNDEFINED), small_to_js)
    }

    /// Every task, by id, unfiltered.
    #[wasm_bindgen(unchecked_return_type = "Task[]")]
    pub fn tasks(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.tasks())
    }

    /// Every category name, indexed by `CategoryId`.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn categories(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.categories())
    }

    /// A category's id by name, or `undefined`.
    #[wasm_bindgen(js_name = categoryId, unchecked_return_type = "CategoryId | undefined")]
    pub fn category_id(&self, #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue) -> Option<u32> {
        name.as_string().and_then(|n| self.inner.category_id(&n)).map(|c: CategoryId| c.0)
    }
}
