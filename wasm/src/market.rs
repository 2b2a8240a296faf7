//! The `Market` class: construction, commands, time, snapshots.

use crate::convert::{from_js, from_json_bytes, small_to_js, string, timestamp, to_js};
use crate::error::{boundary, malformed, rejection, BoundaryError};
use gigmarket::ids::MAX_SAFE;
use gigmarket::{Actor, Command, Event, MarketConfig};
use wasm_bindgen::prelude::*;

/// A marketplace: parties, tasks, money and reputation, as one deterministic state machine.
///
/// Every change goes through `apply` (a command from an actor at an instant) or `tick` (time
/// passing); both return the events that happened. A refused command throws a `MarketError` and
/// leaves the market exactly as it was. Free it with `free()` or a `using` declaration.
#[wasm_bindgen(js_name = Market)]
#[derive(Debug)]
pub struct Market {
    pub(crate) inner: gigmarket::Market,
}

impl Market {
    /// Wrap an engine market.
    pub fn from_inner(inner: gigmarket::Market) -> Market {
        Market { inner }
    }

    /// The engine market.
    pub fn inner(&self) -> &gigmarket::Market {
        &self.inner
    }

    fn events(&self, events: &[Event]) -> Result<JsValue, JsValue> {
        to_js(events)
    }

    /// The one way a command reaches the engine from JS. The actor and the command arrive as JSON
    /// text in UTF-8 bytes: the package's JS checks and encodes object arguments (`encode.js`),
    /// and `TextEncoder` hands text over many times faster than wasm-bindgen's string copy.
    fn apply_bytes(
        &mut self,
        now: &JsValue,
        actor: &[u8],
        request_id: Option<&str>,
        command: &[u8],
    ) -> Result<Vec<Event>, JsValue> {
        let now = timestamp(now)?;
        let actor: Actor = from_json_bytes("actor", actor)?;
        let command: Command = from_json_bytes("command", command)?;
        match request_id {
            Some(id) => self.inner.apply_request(now, actor, id, command),
            None => self.inner.apply(now, actor, command),
        }
        .map_err(rejection)
    }
}

#[wasm_bindgen(js_class = Market)]
impl Market {
    /// A new, empty market. Every `config` field is optional; without a `seed` the market picks a
    /// random one (read it back from `config.seed`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "MarketConfig | null")] config: JsValue,
    ) -> Result<Market, JsValue> {
        crate::install_panic_hook();
        let (mut config, has_seed) = if config.is_undefined() || config.is_null() {
            (MarketConfig::default(), false)
        } else {
            let seed = js_sys::Reflect::get(&config, &JsValue::from_str("seed"))
                .map_err(|_| malformed("config", "expected an object"))?;
            (from_js::<MarketConfig>("config", &config)?, !seed.is_undefined())
        };
        if !has_seed {
            config.seed = random_seed()?;
        }
        // The engine's check, so the constructor refuses exactly what `Market.load` refuses
        // (a seed beyond 2^53 - 1, a fee above the limit, ...), naming the field.
        let inner = gigmarket::Market::new(config).map_err(|e| malformed("config", e.to_string()))?;
        Ok(Market { inner })
    }

    /// One command from one actor at instant `nowMs`: the events it caused. Throws a
    /// `MarketError` (and changes nothing) when the command is refused or malformed. Deadlines at
    /// or before `nowMs` are acted on first, as `tick(nowMs)` would, and their events come first.
    #[wasm_bindgen(unchecked_return_type = "Event[]")]
    pub fn apply(
        &mut self,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "Timestamp")] now: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &[u8],
        #[wasm_bindgen(unchecked_param_type = "Command")] command: &[u8],
    ) -> Result<JsValue, JsValue> {
        let events = self.apply_bytes(&now, actor, None, command)?;
        self.events(&events)
    }

    /// `apply` with a caller-chosen request id: repeating the same command with the same id is a
    /// no-op that returns no events; reusing the id for another command throws
    /// `request_id_reused`.
    #[wasm_bindgen(js_name = applyRequest, unchecked_return_type = "Event[]")]
    pub fn apply_request(
        &mut self,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "Timestamp")] now: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Actor")] actor: &[u8],
        #[wasm_bindgen(js_name = requestId, unchecked_param_type = "string")] request_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Command")] command: &[u8],
    ) -> Result<JsValue, JsValue> {
        let request_id = string("requestId", &request_id)?;
        let events = self.apply_bytes(&now, actor, Some(&request_id), command)?;
        self.events(&events)
    }

    /// `apply` for hosts that hold JSON text already (a log, a request body): the actor and the
    /// command as JSON text in, the events as a JSON array text out. Skips building JS objects.
    #[wasm_bindgen(js_name = applyJson)]
    pub fn apply_json(
        &mut self,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "Timestamp")] now: JsValue,
        #[wasm_bindgen(js_name = actorJson, unchecked_param_type = "string")] actor: &[u8],
        #[wasm_bindgen(js_name = commandJson, unchecked_param_type = "string")] command: &[u8],
    ) -> Result<String, JsValue> {
        let events = self.apply_bytes(&now, actor, None, command)?;
        serde_json::to_string(&events).map_err(|e| malformed("events", e.to_string()))
    }

    /// Time passing up to `nowMs`: lease expiries, auto-accepts, priority windows closing, bids
    /// awarded, deadlines. Returns what happened (nothing for an instant already past).
    #[wasm_bindgen(unchecked_return_type = "Event[]")]
    pub fn tick(
        &mut self,
        #[wasm_bindgen(js_name = nowMs, unchecked_param_type = "Timestamp")] now: JsValue,
    ) -> Result<JsValue, JsValue> {
        let now = timestamp(&now)?;
        let events = self.inner.tick(now);
        self.events(&events)
    }

    /// When `tick` next has something to do, or `undefined`.
    #[wasm_bindgen(js_name = nextDeadline, unchecked_return_type = "Timestamp | undefined")]
    pub fn next_deadline(&self) -> Option<f64> {
        self.inner.next_deadline().map(|t| t as f64)
    }

    /// The instant of the last recorded event.
    #[wasm_bindgen(getter, unchecked_return_type = "Timestamp")]
    pub fn now(&self) -> f64 {
        self.inner.now() as f64
    }

    /// The market's state as a versioned JSON string: the same commands give the same bytes
    /// here and in the Rust crate.
    pub fn save(&self) -> String {
        self.inner.save()
    }

    /// A market from a string written by `save()`. Throws a `MarketError` with a `snapshot_*`
    /// code when it cannot be loaded.
    pub fn load(#[wasm_bindgen(unchecked_param_type = "string")] json: JsValue) -> Result<Market, JsValue> {
        crate::install_panic_hook();
        let json = string("json", &json)?;
        gigmarket::Market::load(&json).map(Market::from_inner).map_err(|e| boundary(e.into()))
    }

    /// Check every invariant (money conserved, indexes consistent); throws
    /// `invariant_violated` naming the first that fails.
    pub fn audit(&self) -> Result<(), JsValue> {
        self.inner.audit().map_err(|v| boundary(BoundaryError::from(v)))
    }

    /// The configuration the market was created with.
    #[wasm_bindgen(getter, unchecked_return_type = "MarketConfig")]
    pub fn config(&self) -> Result<JsValue, JsValue> {
        small_to_js(self.inner.config())
    }
}

/// A seed for a market created without one: 53 random bits, so it survives a JS number.
fn random_seed() -> Result<u64, JsValue> {
    getrandom::u64()
        .map(|s| s & MAX_SAFE)
        .map_err(|e| JsValue::from(js_sys::Error::new(&format!("no random seed: {e}"))))
}
