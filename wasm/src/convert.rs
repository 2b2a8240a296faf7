//! Values across the boundary.
//!
//! Everything crosses as plain JSON-compatible JS values (objects, arrays, strings, numbers,
//! booleans, null; never a JS `Map` or `BigInt`), so whatever the package returns can be stored
//! with `JSON.stringify` as it is. Inputs of any shape are decoded without panicking: anything
//! that does not decode is a `MarketError` with code `malformed_input`.
//!
//! Inputs travel as JSON text (`JSON.stringify` in JS, serde_json in Rust): a path for every
//! fault, and for commands the fastest route measured. Events and lists come back as JSON text
//! through `JSON.parse`: on the mixed lifecycle workload (`wasm/bench.mjs`) building them with
//! serde-wasm-bindgen ran 3-8x slower. Small values (a score, a record, the configuration) are
//! built with serde-wasm-bindgen, measured faster for them. BENCHMARKS.md records each path.

use crate::error::{malformed, undecodable};
use gigmarket::ids::MAX_SAFE;
use gigmarket::json_input;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A small Rust value (a score, a record, the configuration, a ranking) as a JSON-compatible JS
/// value, built directly by serde-wasm-bindgen: measured 1.7-2.6x faster than JSON text for such
/// values (BENCHMARKS.md, "serde-wasm-bindgen, path by path").
pub fn small_to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(JsValue::from)
}

/// A Rust value as a JSON-compatible JS value, through JSON text (`JSON.parse` in JS): for events
/// and lists, where serde-wasm-bindgen measured many times slower over a long run.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    js_sys::JSON::parse(&text)
}

#[wasm_bindgen(module = "/js/encode.js")]
extern "C" {
    /// JSON text of an object argument, refusing NaN, Infinity, BigInt, cycles and non-objects
    /// with a `malformed_input` that names the path (the package's JS uses the same function).
    #[wasm_bindgen(catch, js_name = toJson)]
    fn to_json_text(value: &JsValue, what: &str) -> Result<String, JsValue>;
}

/// Decode argument `what`, which must be a plain JS object (every type that crosses as an argument
/// is one: commands, actors, configuration), from any JS value.
pub fn from_js<T: DeserializeOwned>(what: &str, value: &JsValue) -> Result<T, JsValue> {
    from_json(what, &to_json_text(value, what)?)
}

/// Decode argument `what` from JSON text holding an object; a fault names the path of the value
/// at fault (`command.spec.deadlines.lease_ms`).
pub fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, JsValue> {
    json_input::from_json(what, text).map_err(|e| undecodable(what, e))
}

/// Decode argument `what` from JSON text passed as UTF-8 bytes (the package's JS encodes strings
/// with `TextEncoder`, which is many times faster than wasm-bindgen's per-character string copy).
pub fn from_json_bytes<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, JsValue> {
    let text = std::str::from_utf8(bytes).map_err(|_| malformed(what, "not UTF-8 text"))?;
    from_json(what, text)
}

/// A whole number from 0 to 2^53 - 1 (an instant, an amount, an id).
pub fn safe_integer(what: &str, value: &JsValue) -> Result<u64, JsValue> {
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_SAFE as f64 => Ok(n as u64),
        _ => Err(malformed(what, "expected a whole number from 0 to 2^53 - 1")),
    }
}

/// An instant in milliseconds.
pub fn timestamp(value: &JsValue) -> Result<u64, JsValue> {
    safe_integer("now", value)
}

/// A dense id (0 to 2^32 - 1).
pub fn id(what: &str, value: &JsValue) -> Result<u32, JsValue> {
    safe_integer(what, value)
        .and_then(|n| u32::try_from(n).map_err(|_| malformed(what, "expected an id from 0 to 2^32 - 1")))
}

/// A string argument.
pub fn string(what: &str, value: &JsValue) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| malformed(what, "expected a string"))
}

/// `undefined` or `null` as `None`, a string as `Some`.
pub fn optional_string(what: &str, value: &JsValue) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        string(what, value).map(Some)
    }
}
