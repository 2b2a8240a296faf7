//! Parties and money.

use crate::convert::{id, small_to_js, to_js};
use crate::market::Market;
use gigmarket::ids::{AgentId, ClientId, ReviewerId};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Market)]
impl Market {
    /// Every client, by id.
    #[wasm_bindgen(unchecked_return_type = "Client[]")]
    pub fn clients(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.clients())
    }

    /// Every agent, by id.
    #[wasm_bindgen(unchecked_return_type = "Agent[]")]
    pub fn agents(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.agents())
    }

    /// Every reviewer, by id.
    #[wasm_bindgen(unchecked_return_type = "Reviewer[]")]
    pub fn reviewers(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.reviewers())
    }

    /// A client by id, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Client | undefined")]
    pub fn client(
        &self,
        #[wasm_bindgen(js_name = clientId, unchecked_param_type = "ClientId")] client: JsValue,
    ) -> Result<JsValue, JsValue> {
        let client = ClientId(id("clientId", &client)?);
        self.inner.client(client).map_or(Ok(JsValue::UNDEFINED), small_to_js)
    }

    /// An agent by id, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Agent | undefined")]
    pub fn agent(
        &self,
        #[wasm_bindgen(js_name = agentId, unchecked_param_type = "AgentId")] agent: JsValue,
    ) -> Result<JsValue, JsValue> {
        let agent = AgentId(id("agentId", &agent)?);
        self.inner.agent(agent).map_or(Ok(JsValue::UNDEFINED), small_to_js)
    }

    /// A reviewer by id, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Reviewer | undefined")]
    pub fn reviewer(
        &self,
        #[wasm_bindgen(js_name = reviewerId, unchecked_param_type = "ReviewerId")] reviewer: JsValue,
    ) -> Result<JsValue, JsValue> {
        let reviewer = ReviewerId(id("reviewerId", &reviewer)?);
        self.inner.reviewer(reviewer).map_or(Ok(JsValue::UNDEFINED), small_to_js)
    }

    /// The platform's collected fees, in minor units.
    #[wasm_bindgen(getter, js_name = platformBalance, unchecked_return_type = "Money")]
    pub fn platform_balance(&self) -> f64 {
        self.inner.platform_balance() as f64
    }

    /// The fee for tasks posted now, in basis points.
    #[wasm_bindgen(getter, js_name = feeBps, unchecked_return_type = "Bps")]
    pub fn fee_bps(&self) -> f64 {
        f64::from(self.inner.fee_bps())
    }

    /// Money deposited into the market, ever.
    #[wasm_bindgen(getter, unchecked_return_type = "Money")]
    pub fn deposited(&self) -> f64 {
        self.inner.deposited() as f64
    }

    /// Money withdrawn from the market, ever.
    #[wasm_bindgen(getter, unchecked_return_type = "Money")]
    pub fn withdrawn(&self) -> f64 {
        self.inner.withdrawn() as f64
    }
}
