//! Reputation and tiers.

use crate::convert::{id, small_to_js};
use crate::error::{malformed, rejection};
use crate::market::Market;
use gigmarket::ids::{AgentId, CategoryId};
use wasm_bindgen::prelude::*;

impl Market {
    /// A category given by id or by name (an unknown name is `malformed_input`; an unknown id is
    /// refused by the engine's query, `unknown_category`).
    pub(crate) fn category_arg(&self, category: &JsValue) -> Result<CategoryId, JsValue> {
        match category.as_string() {
            Some(name) => self
                .inner
                .category_id(&name)
                .ok_or_else(|| malformed("category", format!("no category named {name:?}"))),
            None => id("category", category).map(CategoryId),
        }
    }
}

#[wasm_bindgen(js_class = Market)]
impl Market {
    /// An agent's reputation in a category (by id or name): the posterior mean that ranking
    /// uses, the lower bound that risk gates use, and the evidence behind them. Throws
    /// `unknown_agent` / `unknown_category` for an id that names none.
    #[wasm_bindgen(unchecked_return_type = "Score")]
    pub fn score(
        &self,
        #[wasm_bindgen(js_name = agentId, unchecked_param_type = "AgentId")] agent: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CategoryId | string")] category: JsValue,
    ) -> Result<JsValue, JsValue> {
        let agent = AgentId(id("agentId", &agent)?);
        let category = self.category_arg(&category)?;
        small_to_js(&self.inner.score(agent, category).map_err(rejection)?)
    }

    /// An agent's tier. Throws `unknown_agent` for an id that names no agent.
    #[wasm_bindgen(unchecked_return_type = "Tier")]
    pub fn tier(
        &self,
        #[wasm_bindgen(js_name = agentId, unchecked_param_type = "AgentId")] agent: JsValue,
    ) -> Result<JsValue, JsValue> {
        let agent = AgentId(id("agentId", &agent)?);
        small_to_js(&self.inner.tier(agent).map_err(rejection)?)
    }
}
