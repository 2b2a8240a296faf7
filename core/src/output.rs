//! What an agent hands in: output fields and its own self-check report.

use crate::ids::Bps;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

/// One value in a submitted output. In JSON it is the plain value: `true`, `12.5`, `"EUR"`,
/// `[3, 17]`, `{ "row": 3, "reason": "spike" }`. An output's fields are level 1; lists and records
/// nest up to level 4, with at most 8,192 values and 1 MiB of text in one output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(untagged)]
pub enum FieldValue {
    /// A yes/no value.
    Bool(bool),
    /// A finite number (integers included).
    Number(f64),
    /// A text value.
    Text(String),
    /// A list of values, e.g. the rows an analysis flags or one message per borrower.
    List(Vec<FieldValue>),
    /// Named values, ordered by name, e.g. one document's verdict and extracted fields.
    Record(#[cfg_attr(feature = "ts", tsify(type = "FieldRecord"))] BTreeMap<String, FieldValue>),
}

impl FieldValue {
    /// The number, if this is one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            FieldValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The text, if this is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FieldValue::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_list(&self) -> Option<&[FieldValue]> {
        match self {
            FieldValue::List(items) => Some(items),
            _ => None,
        }
    }

    /// The named values, if this is a record.
    pub fn as_record(&self) -> Option<&BTreeMap<String, FieldValue>> {
        match self {
            FieldValue::Record(fields) => Some(fields),
            _ => None,
        }
    }
}

impl Hash for FieldValue {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            FieldValue::Bool(b) => {
                state.write_u8(0);
                b.hash(state);
            }
            FieldValue::Number(n) => {
                state.write_u8(1);
                // -0.0 and 0.0 are the same number to every check; hash them alike.
                let n = if *n == 0.0 { 0.0 } else { *n };
                state.write_u64(n.to_bits());
            }
            FieldValue::Text(s) => {
                state.write_u8(2);
                s.hash(state);
            }
            FieldValue::List(items) => {
                state.write_u8(3);
                items.hash(state);
            }
            FieldValue::Record(fields) => {
                state.write_u8(4);
                fields.hash(state);
            }
        }
    }
}

/// Submitted output: named fields, ordered by name so it serialises the same everywhere.
pub type Output = BTreeMap<String, FieldValue>;

// tsify's `declare` would write a JS `Map` for a `BTreeMap` alias, but the boundary passes maps as
// plain objects (serde-wasm-bindgen's JSON-compatible serializer), so this one alias is declared here.
// A record inside a value is an interface: a type alias may not refer to itself through
// `Record<string, FieldValue>`, an interface may.
#[cfg(feature = "ts")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TS_FIELD_RECORD: &str =
    "/** Named values inside an output value, e.g. one document's verdict and extracted fields. */\nexport interface FieldRecord { [name: string]: FieldValue }";

#[cfg(feature = "ts")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TS_OUTPUT: &str =
    "/** Submitted output: named fields, ordered by name. */\nexport type Output = Record<string, FieldValue>;";

/// The agent's own report on its work, submitted with the output.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct SelfCheck {
    /// How sure the agent is that the output is right, in basis points (0 to 10000).
    pub confidence_bps: Bps,
    /// Names of the acceptance criteria the agent believes the output passes. Verification
    /// compares this claim with the real results: agreeing self-checks earn accuracy reputation.
    #[serde(default)]
    pub criteria_passed: Vec<String>,
    /// Free-text notes for the reviewer.
    #[serde(default)]
    pub notes: String,
}

/// Output plus self-check, as kept on the task while it is verified and reviewed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Submission {
    /// The output fields.
    pub output: Output,
    /// The agent's self-check.
    pub self_check: SelfCheck,
}
