//! Values across the boundary.
//!
//! Everything crosses as plain JSON-compatible JS values (objects, arrays, strings, numbers,
//! booleans, null; never a JS `Map` or `BigInt`), so whatever the package returns can be stored
//! with `JSON.stringify` as it is. Inputs of any shape are decoded without panicking: anything
//! that does not decode is a `MarketError` with code `malformed_input`.
//!
//! Values travel as JSON text: `JSON.stringify` in JS, serde_json in Rust, and back through
//! `JSON.parse`. Measured on the mixed lifecycle workload (`wasm/bench.mjs`), this was about five
//! times faster than walking JS objects with serde-wasm-bindgen (77k against 16k commands/s) and
//! made the module smaller (one set of deserializers instead of two).

use crate::error::malformed;
use gigmarket::ids::MAX_SAFE;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A Rust value as a JSON-compatible JS value.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    js_sys::JSON::parse(&text)
}

/// Decode argument `what`, which must be a plain JS object (every type that crosses as an argument
/// is one: commands, actors, configuration), from any JS value. Arrays are refused here because
/// serde would otherwise read a struct or a tagged enum from a JSON array.
pub fn from_js<T: DeserializeOwned>(what: &str, value: &JsValue) -> Result<T, JsValue> {
    if value.is_undefined() {
        return Err(malformed(what, "missing (undefined)"));
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(malformed(what, "expected an object"));
    }
    let text = js_sys::JSON::stringify(value).map_err(|e| malformed(what, js_message(&e)))?;
    let text = text.as_string().ok_or_else(|| malformed(what, "not representable as JSON"))?;
    from_json(what, &text)
}

/// Decode argument `what` from JSON text holding an object.
pub fn from_json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, JsValue> {
    if !text.trim_start().starts_with('{') {
        return Err(malformed(what, "expected a JSON object"));
    }
    serde_json::from_str(text).map_err(|e| malformed(what, e.to_string()))
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

/// The message of a thrown JS value (an `Error`'s `message`, or its string form).
fn js_message(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| "could not be serialized".to_owned())
}
