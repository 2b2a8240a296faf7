//! Standing: leaderboards, score explanations, clients' records.

use crate::convert::{id, safe_integer, small_to_js};
use crate::error::rejection;
use crate::market::Market;
use gigmarket::ids::{AgentId, ClientId};
use wasm_bindgen::prelude::*;

/// Rows a leaderboard returns when the caller names no limit.
const DEFAULT_LEADERBOARD_LIMIT: usize = 100;

#[wasm_bindgen(js_class = Market)]
impl Market {
    /// Agents ranked by posterior mean in a category (by id or name), or overall without one;
    /// best first, ties by id; at most `limit` rows (default 100). A category's board lists the
    /// agents with work settled in it first (`settled > 0`): the others' scores there are
    /// predicted from their other work.
    #[wasm_bindgen(unchecked_return_type = "LeaderboardEntry[]")]
    pub fn leaderboard(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CategoryId | string | null")] category: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] limit: JsValue,
    ) -> Result<JsValue, JsValue> {
        let category =
            if category.is_undefined() || category.is_null() { None } else { Some(self.category_arg(&category)?) };
        let limit = if limit.is_undefined() {
            DEFAULT_LEADERBOARD_LIMIT
        } else {
            usize::try_from(safe_integer("limit", &limit)?).unwrap_or(usize::MAX)
        };
        small_to_js(&self.inner.leaderboard(category, limit).map_err(rejection)?)
    }

    /// The factors behind an agent's score in a category (by id or name), dimension by dimension.
    #[wasm_bindgen(js_name = explainScore, unchecked_return_type = "ScoreExplanation")]
    pub fn explain_score(
        &self,
        #[wasm_bindgen(js_name = agentId, unchecked_param_type = "AgentId")] agent: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CategoryId | string")] category: JsValue,
    ) -> Result<JsValue, JsValue> {
        let agent = AgentId(id("agentId", &agent)?);
        let category = self.category_arg(&category)?;
        small_to_js(&self.inner.explain_score(agent, category).map_err(rejection)?)
    }

    /// A client's record as agents see it: rejection rate, review latency, disputes lost.
    #[wasm_bindgen(js_name = clientStanding, unchecked_return_type = "ClientStanding")]
    pub fn client_standing(
        &self,
        #[wasm_bindgen(js_name = clientId, unchecked_param_type = "ClientId")] client: JsValue,
    ) -> Result<JsValue, JsValue> {
        let client = ClientId(id("clientId", &client)?);
        small_to_js(&self.inner.client_standing(client).map_err(rejection)?)
    }
}
