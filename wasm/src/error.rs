//! `MarketError`: the one error type JavaScript sees.
//!
//! The class itself is JavaScript (`js/market_error.js`, a real `Error` subclass so that both
//! `err instanceof MarketError` and `err instanceof Error` hold); wasm-bindgen re-exports it from
//! the package. Its `details` are generated from Rust: a [`Rejection`] for a refused command, or a
//! [`BoundaryError`] for input that never reached the engine.

use gigmarket::json_input::DecodeError;
use gigmarket::market::{InvariantViolation, SnapshotError};
use gigmarket::Rejection;
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/market_error.js")]
extern "C" {
    /// The JS class; `reexport` makes it part of the package's exports.
    #[wasm_bindgen(reexport)]
    type MarketError;

    #[wasm_bindgen(constructor)]
    fn new(code: &str, message: &str, details: JsValue) -> MarketError;
}

// The class's declaration: wasm-bindgen declares a re-exported import as `unknown` (build.sh drops
// that line), so the real one is written here, typed by the generated `MarketErrorDetails`.
#[wasm_bindgen(typescript_custom_section)]
const TS_MARKET_ERROR: &str = r#"
/**
 * Why the market refused a call: a refused command (`code` is a `Rejection` code such as
 * `"insufficient_funds"`), input that could not be decoded (`"malformed_input"`), a snapshot that
 * cannot be loaded (`"snapshot_*"`) or a broken invariant (`"invariant_violated"`). A real `Error`:
 * `err instanceof MarketError && err instanceof Error`. The market is unchanged after one.
 */
export class MarketError extends Error {
    constructor(code: MarketErrorCode, message: string, details: MarketErrorDetails);
    readonly name: "MarketError";
    /** Stable, machine-readable: equal to `details.code`. */
    readonly code: MarketErrorCode;
    /** The structured fields of the error, tagged by `code`. */
    readonly details: MarketErrorDetails;
}
/** Every code a `MarketError` can carry. */
export type MarketErrorCode = MarketErrorDetails["code"];
"#;

/// An error found at the boundary, before the engine saw the call. Tagged by `code`, like
/// [`Rejection`].
#[derive(Clone, Debug, PartialEq, Serialize, Tsify)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum BoundaryError {
    /// An argument could not be decoded into what the engine expects: wrong type, missing or
    /// unknown field, unknown `type` tag, a number that is not a safe integer where one is needed.
    MalformedInput {
        /// Which argument (`"command"`, `"actor"`, `"now"`, ...).
        what: String,
        /// The path of the value at fault inside it, starting with `what`:
        /// `"command.spec.deadlines.lease_ms"` (just `what` when the whole argument is wrong).
        path: String,
        /// What is wrong with it, in JSON terms: `expected a whole number (0 or more), got "10"`.
        reason: String,
    },
    /// `Market.load`: not JSON, or not shaped like a snapshot.
    SnapshotMalformed {
        /// What is wrong.
        reason: String,
    },
    /// `Market.load`: not a gigmarket snapshot.
    SnapshotWrongFormat {
        /// The snapshot's `format` field.
        format: String,
    },
    /// `Market.load`: written by a newer (or unknown) version.
    SnapshotUnsupportedVersion {
        /// The snapshot's version.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// `Market.load`: well-formed but inconsistent.
    SnapshotInconsistent {
        /// The JSON path of the bad value, e.g. `market.tasks[3].fee_bps`.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `audit()`: an invariant does not hold (always a bug).
    InvariantViolated {
        /// Which invariant.
        reason: String,
    },
    /// A call before `await init()` finished. Raised by the package's JS, listed here so that
    /// every code has one declaration.
    NotStarted,
    /// A call on a market after `free()` (or the end of its `using` block). Raised by the
    /// package's JS.
    MarketFreed,
}

/// What `MarketError.details` holds.
#[derive(Clone, Debug, PartialEq, Serialize, Tsify)]
#[serde(untagged)]
pub enum MarketErrorDetails {
    /// The engine refused a command.
    Rejection(Rejection),
    /// The boundary refused the input.
    Boundary(BoundaryError),
}

impl BoundaryError {
    /// The stable code, as serialized.
    pub fn code(&self) -> &'static str {
        match self {
            BoundaryError::MalformedInput { .. } => "malformed_input",
            BoundaryError::SnapshotMalformed { .. } => "snapshot_malformed",
            BoundaryError::SnapshotWrongFormat { .. } => "snapshot_wrong_format",
            BoundaryError::SnapshotUnsupportedVersion { .. } => "snapshot_unsupported_version",
            BoundaryError::SnapshotInconsistent { .. } => "snapshot_inconsistent",
            BoundaryError::InvariantViolated { .. } => "invariant_violated",
            BoundaryError::NotStarted => "not_started",
            BoundaryError::MarketFreed => "market_freed",
        }
    }

    fn message(&self) -> String {
        match self {
            BoundaryError::MalformedInput { path, reason, .. } => format!("malformed {path}: {reason}"),
            BoundaryError::InvariantViolated { reason } => format!("invariant violated: {reason}"),
            BoundaryError::SnapshotMalformed { reason } => format!("snapshot is not valid: {reason}"),
            BoundaryError::SnapshotWrongFormat { format } => format!("not a gigmarket snapshot (format {format:?})"),
            BoundaryError::SnapshotUnsupportedVersion { found, supported } => {
                format!("snapshot version {found} is not supported (this build reads versions 1 to {supported})")
            }
            BoundaryError::SnapshotInconsistent { path, reason } => {
                format!("snapshot is inconsistent: {path}: {reason}")
            }
            BoundaryError::NotStarted => {
                "gigmarket is not started: call `await init()` once before using it".to_owned()
            }
            BoundaryError::MarketFreed => "this market was freed and can no longer be used".to_owned(),
        }
    }
}

impl From<SnapshotError> for BoundaryError {
    fn from(e: SnapshotError) -> Self {
        match e {
            SnapshotError::Malformed(reason) => BoundaryError::SnapshotMalformed { reason },
            SnapshotError::WrongFormat(format) => BoundaryError::SnapshotWrongFormat { format },
            SnapshotError::UnsupportedVersion { found, supported } => {
                BoundaryError::SnapshotUnsupportedVersion { found, supported }
            }
            SnapshotError::Inconsistent { path, reason } => BoundaryError::SnapshotInconsistent { path, reason },
        }
    }
}

impl From<InvariantViolation> for BoundaryError {
    fn from(v: InvariantViolation) -> Self {
        BoundaryError::InvariantViolated { reason: v.0 }
    }
}

fn market_error(code: &str, message: &str, details: &MarketErrorDetails) -> JsValue {
    let details = crate::convert::small_to_js(details).unwrap_or(JsValue::NULL);
    MarketError::new(code, message, details).into()
}

/// A refused command as a thrown `MarketError`.
pub fn rejection(r: Rejection) -> JsValue {
    let message = r.to_string();
    market_error(r.code(), &message, &MarketErrorDetails::Rejection(r))
}

/// A boundary error as a thrown `MarketError`.
pub fn boundary(e: BoundaryError) -> JsValue {
    let message = e.message();
    market_error(e.code(), &message, &MarketErrorDetails::Boundary(e))
}

/// `malformed_input` for argument `what` as a whole.
pub fn malformed(what: &str, reason: impl Into<String>) -> JsValue {
    boundary(BoundaryError::MalformedInput { what: what.to_owned(), path: what.to_owned(), reason: reason.into() })
}

/// `malformed_input` for a value inside argument `what`, from the JSON decoder.
pub fn undecodable(what: &str, e: DecodeError) -> JsValue {
    boundary(BoundaryError::MalformedInput { what: what.to_owned(), path: e.path, reason: e.reason })
}
