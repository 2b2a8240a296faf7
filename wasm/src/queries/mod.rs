//! Read-only queries on a market, one module per area. Each is an `impl Market` block; exposing
//! a new engine query is a few lines in the matching module (or a new module listed here).

mod matching;
mod parties;
mod reputation;
#[cfg(feature = "sim")]
mod sim;
mod standing;
mod tasks;
#[cfg(feature = "sim")]
mod work;
