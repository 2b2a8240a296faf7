//! # gigmarket-wasm
//!
//! The WebAssembly boundary of [`gigmarket`]: a `Market` class for JavaScript, built by
//! `wasm/build.sh` into the npm package `gigmarket`.
//!
//! - Values cross as plain JSON-compatible JS values; their TypeScript types are generated from
//!   the Rust types by tsify (core's `ts` feature).
//! - Refusals and malformed input throw a `MarketError` (a real `Error` subclass with a stable
//!   `code` and structured `details`); nothing a caller sends can panic, and a refused call leaves
//!   the market unchanged.
//! - A panic (always a bug) is logged to `console.error`.

mod convert;
pub mod error;
mod market;
mod queries;

pub use market::Market;

/// Route panics (always bugs) to `console.error`. Every way to get a `Market` calls this first.
fn install_panic_hook() {
    console_error_panic_hook::set_once();
}
