//! Document verification: a batch of invoices, bank statements and identity records, checked
//! against a registry of parties.
//!
//! The generator draws a world of parties (people and companies with an IBAN), writes 6 to 12
//! documents about them in varied layouts (labels in different orders, dotted leaders, tables,
//! thousands separators, European decimal commas, two date formats) and spoils some: **forged**
//! ones (line items that do not add up to the stated total, a balance that does not follow from
//! its transactions, an impossible calendar date) and **mismatched** ones (a name or an account
//! that does not match the registry). Some are **ambiguous** (a total before and after a
//! discount; no currency printed), which the client settles by a market-wide convention
//! ([`answer`]). A few are **smudged** (one digit unreadable, as a scan would leave it), which no
//! method can fully recover.
//!
//! Two methods work on it: [`careful`] reads every layout it knows, cross-checks the registry,
//! validates dates and sums, and asks when a convention is needed; [`pattern`] applies one
//! pattern per field tuned to the most common layout and never looks at the registry.
//!
//! The files, by purpose. The generator: `world.rs` (parties and their registry),
//! `printing.rs` (how amounts, dates, accounts and names are printed), `defects.rs`, `draw.rs`
//! (one document of each type) and `generate.rs` (a batch), over the truth in `truth.rs`.
//! Scoring is `measure.rs`; the client's conventions `answers.rs`. The methods read with
//! `reading.rs` (figures), `accounts_and_names.rs` and `inputs.rs`, and write `record.rs`
//! records: `careful_method.rs` and `pattern_method.rs`. The agents are `agents.rs`.

mod accounts_and_names;
mod agents;
mod answers;
mod careful_method;
mod defects;
mod draw;
mod generate;
mod inputs;
mod measure;
mod pattern_method;
mod printing;
mod reading;
mod record;
mod truth;
mod world;

pub use accounts_and_names::{find_iban, name_key};
pub use agents::{careful_duration, pattern_duration, CarefulVerifier, PatternExtractor, CAREFUL, PATTERN};
pub use answers::{answer, DEFAULT_CURRENCY, TOPICS, TOPIC_CURRENCY, TOPIC_TOTAL};
pub use careful_method::careful;
pub use generate::{acceptance, generate};
pub use measure::{accuracy, correct_output};
pub use pattern_method::pattern;
pub use reading::{is_real_date, parse_amount, read_date, Amount};
pub use truth::{DocTruth, DocType, Truth, VERDICTS};
