//! A fuzzer that runs on stable Rust (no cargo-fuzz, no nightly): mutated snapshots and mutated
//! commands thrown at live markets, every panic caught with `catch_unwind` and recorded.
//!
//! Used by `core/examples/fuzz.rs` (long runs, `make fuzz`) and `core/tests/fuzz.rs` (a short pass
//! and a replay of the committed corpus inside `cargo test`). Deterministic from the seed (and
//! the thread count: each thread has its own stream).
//!
//! The properties, checked on every input:
//! - **snapshots**: a mutated snapshot either fails to load with a `SnapshotError`, or it loads
//!   and then survives normal use: a few dozen random commands and ticks without a panic, with
//!   `audit()` holding after every step;
//! - **commands**: a mutated command either fails to deserialize, or `apply` answers it without
//!   a panic; `audit()` holds afterwards, and a rejection leaves `save()` byte-identical.
//!
//! A failing input is a [`Finding`]; its JSON (everything needed to replay it) is what the corpus
//! files hold, and [`replay`] checks it again.

#![allow(dead_code)] // Each includer (the fuzz test, the fuzz example) uses a part.

use crate::support::walk::{command_for, time_step, walk_market, Step};
use gigmarket::json_input;
use gigmarket::prelude::*;
use gigmarket::rng::SplitMix64;
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// How many random steps drive a snapshot that loaded.
const DRIVE_STEPS: usize = 32;
/// Commands applied to one live market before it is replaced by a fresh one (keeps it small,
/// so that the byte-identical check after every refusal stays cheap).
const LIVE_COMMANDS: usize = 400;
/// One input in this many is a mutated snapshot (they cost ~10x a command input).
const SNAPSHOT_EVERY: u64 = 8;

/// An input that broke a property.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What broke: `panic`, `audit` or `refusal-changed-state`.
    pub what: String,
    /// The panic message or the violation.
    pub message: String,
    /// The input, replayable with [`replay`].
    pub input: Value,
}

/// What one fuzzing stream did.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    /// Inputs tried.
    pub inputs: u64,
    /// Mutated snapshots tried, and how many of them loaded.
    pub snapshots: u64,
    /// Of the snapshots, those `load` accepted.
    pub loaded: u64,
    /// Mutated commands tried.
    pub commands: u64,
    /// Of the commands, those that did not deserialize.
    pub malformed: u64,
    /// Of the commands, those `apply` accepted.
    pub accepted: u64,
    /// Of the commands, those `apply` refused.
    pub refused: u64,
    /// Everything that broke a property.
    pub findings: Vec<Finding>,
}

impl Totals {
    /// Add another stream's totals.
    pub fn merge(&mut self, other: Totals) {
        self.inputs += other.inputs;
        self.snapshots += other.snapshots;
        self.loaded += other.loaded;
        self.commands += other.commands;
        self.malformed += other.malformed;
        self.accepted += other.accepted;
        self.refused += other.refused;
        self.findings.extend(other.findings);
    }
}

thread_local! {
    /// Where the last panic on this thread happened (filled by the hook `quiet_panics` sets).
    static PANIC_AT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Silence the default panic message while fuzzing (panics are caught and recorded with their
/// location instead). Call once per process.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
        PANIC_AT.with(|p| *p.borrow_mut() = at);
    }));
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    let message = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    };
    format!("{message}{}", PANIC_AT.with(|p| std::mem::take(&mut *p.borrow_mut())))
}

/// Base markets: walks of the property generator from the fixture, of several lengths.
fn base_snapshots(rng: &mut SplitMix64) -> Vec<String> {
    [20usize, 60, 120, 250]
        .iter()
        .map(|&len| {
            let mut m = walk_market();
            let mut now = 0;
            for _ in 0..len {
                let s = Step::random(rng);
                now += time_step(&s);
                m.tick(now);
                let (actor, command) = command_for(&m, now, &s);
                let _ = m.apply(now, actor, command);
            }
            m.save()
        })
        .collect()
}

/// One fuzzing stream: `inputs` inputs from `seed`.
pub fn run(seed: u64, inputs: u64) -> Totals {
    let mut rng = SplitMix64::new(seed);
    let bases = base_snapshots(&mut rng);
    let parsed: Vec<Value> = bases.iter().map(|s| serde_json::from_str(s).expect("a saved snapshot parses")).collect();
    let mut totals = Totals::default();
    let mut live = Live::new(&bases[rng.below(bases.len() as u64) as usize]);
    for i in 0..inputs {
        totals.inputs += 1;
        if i % SNAPSHOT_EVERY == SNAPSHOT_EVERY - 1 {
            totals.snapshots += 1;
            let input = snapshot_input(&mut rng, &bases, &parsed);
            match check_snapshot(&input) {
                Checked::Refused => {}
                Checked::Held => totals.loaded += 1,
                Checked::Broke(what, message) => {
                    totals.loaded += 1;
                    totals.findings.push(Finding { what, message, input });
                }
            }
            continue;
        }
        if live.applied >= LIVE_COMMANDS {
            live = Live::new(&bases[rng.below(bases.len() as u64) as usize]);
        }
        totals.commands += 1;
        let input = live.command_input(&mut rng);
        match live.check(&input) {
            Outcome::Malformed => totals.malformed += 1,
            Outcome::Accepted => totals.accepted += 1,
            Outcome::Refused => totals.refused += 1,
            Outcome::Broke(what, message) => {
                totals.findings.push(Finding { what, message, input });
                // The market may be in any state now: start from a fresh one.
                live = Live::new(&bases[rng.below(bases.len() as u64) as usize]);
            }
        }
    }
    totals
}

// ----- snapshot inputs -----

fn snapshot_input(rng: &mut SplitMix64, bases: &[String], parsed: &[Value]) -> Value {
    let b = rng.below(bases.len() as u64) as usize;
    let text = if rng.below(2) == 0 {
        let mut bytes = bases[b].clone().into_bytes();
        for _ in 0..1 + rng.below(3) {
            mutate_bytes(rng, &mut bytes, bases);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        let mut v = parsed[b].clone();
        let strings = [
            "",
            "0",
            "NaN",
            "1e999",
            "-1",
            "task#0",
            "invoice-extraction",
            "Open",
            "Suspended",
            "Closed",
            "\u{0}",
            "é",
        ];
        let gentle = rng.below(2) == 0;
        for _ in 0..1 + rng.below(4) {
            mutate_value(rng, &mut v, &strings, gentle);
        }
        v.to_string()
    };
    json!({ "kind": "snapshot", "snapshot": text, "drive_seed": rng.next_u64() >> 11 })
}

enum Checked {
    Refused,
    Held,
    Broke(String, String),
}

fn check_snapshot(input: &Value) -> Checked {
    let text = input["snapshot"].as_str().unwrap_or_default();
    let drive_seed = input["drive_seed"].as_u64().unwrap_or(0);
    let result = catch_unwind(AssertUnwindSafe(|| -> Result<bool, (String, String)> {
        let Ok(mut m) = Market::load(text) else { return Ok(false) };
        let mut rng = SplitMix64::new(drive_seed);
        let mut now = m.now();
        for i in 0..DRIVE_STEPS {
            let s = Step::random(&mut rng);
            now = now.saturating_add(time_step(&s));
            m.tick(now);
            let (actor, command) = command_for(&m, now, &s);
            let _ = m.apply(now, actor, command);
            if let Err(v) = m.audit() {
                return Err(("audit".into(), format!("after drive step {i}: {v}")));
            }
        }
        Ok(true)
    }));
    match result {
        Ok(Ok(false)) => Checked::Refused,
        Ok(Ok(true)) => Checked::Held,
        Ok(Err((what, message))) => Checked::Broke(what, message),
        Err(payload) => Checked::Broke("panic".into(), panic_message(payload)),
    }
}

// ----- command inputs -----

enum Outcome {
    Malformed,
    Accepted,
    Refused,
    Broke(String, String),
}

/// A live market and its current snapshot (kept so that a refusal costs one `save`).
struct Live {
    market: Market,
    saved: String,
    now: Timestamp,
    applied: usize,
}

impl Live {
    fn new(snapshot: &str) -> Live {
        let market = Market::load(snapshot).expect("a base snapshot loads");
        Live { now: market.now(), saved: snapshot.to_owned(), market, applied: 0 }
    }

    /// A valid command from the walk generator, as JSON, with (usually) a field or two mutated.
    fn command_input(&mut self, rng: &mut SplitMix64) -> Value {
        let s = Step::random(rng);
        self.now = self.now.saturating_add(time_step(&s));
        if !self.market.tick(self.now).is_empty() {
            self.saved = self.market.save();
        }
        let (actor, command) = command_for(&self.market, self.now, &s);
        let mut actor = serde_json::to_value(actor).expect("an actor serializes");
        let mut command = serde_json::to_value(command).expect("a command serializes");
        static LONG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let long = LONG.get_or_init(|| "x".repeat(5_000));
        let strings = ["", "NaN", "1e999", long, "fin-docs", "total", "currency-iso", "\u{202e}"];
        // A quarter unchanged (they keep the market moving), a half gently mutated (most still
        // deserialize and reach the engine's checks), a quarter mutated freely.
        match rng.below(8) {
            0 | 1 => {}
            2 => {
                let gentle = rng.below(2) == 0;
                mutate_value(rng, &mut actor, &strings, gentle)
            }
            3..=6 => {
                for _ in 0..1 + rng.below(2) {
                    mutate_value(rng, &mut command, &strings, true);
                }
            }
            _ => mutate_value(rng, &mut command, &strings, false),
        }
        json!({ "kind": "command", "snapshot": self.saved, "now": self.now, "actor": actor, "command": command })
    }

    fn check(&mut self, input: &Value) -> Outcome {
        self.applied += 1;
        // Decoded as hosts decode JSON text (`json_input`), so a fault's explaining scan runs on
        // every malformed input too, and must name a path inside the input it blames.
        let decoded = catch_unwind(|| {
            (
                json_input::from_json::<Actor>("actor", &input["actor"].to_string()),
                json_input::from_json::<Command>("command", &input["command"].to_string()),
            )
        });
        let (actor, command) = match decoded {
            Err(payload) => return Outcome::Broke("panic".into(), panic_message(payload)),
            Ok((Ok(actor), Ok(command))) => (actor, command),
            Ok((actor, command)) => {
                for (root, error) in [("actor", actor.err()), ("command", command.err())] {
                    if let Some(e) = error.filter(|e| !e.path.starts_with(root)) {
                        return Outcome::Broke(
                            "decode-path".into(),
                            format!("{root} blamed at {}: {}", e.path, e.reason),
                        );
                    }
                }
                return Outcome::Malformed;
            }
        };
        let now = input["now"].as_u64().unwrap_or(0);
        let (market, saved) = (&mut self.market, &mut self.saved);
        let result = catch_unwind(AssertUnwindSafe(|| apply_checked(market, saved, now, actor, command)));
        match result {
            Ok(outcome) => outcome,
            Err(payload) => Outcome::Broke("panic".into(), panic_message(payload)),
        }
    }
}

/// Apply one command and check the properties; `saved` is the market's snapshot before, and is
/// brought up to date.
fn apply_checked(m: &mut Market, saved: &mut String, now: Timestamp, actor: Actor, command: Command) -> Outcome {
    let name = command.name();
    match m.apply(now, actor, command) {
        Ok(_) => {
            if let Err(v) = m.audit() {
                return Outcome::Broke("audit".into(), format!("after {name}: {v}"));
            }
            *saved = m.save();
            Outcome::Accepted
        }
        Err(e) => {
            let after = m.save();
            if after != *saved {
                return Outcome::Broke(
                    "refusal-changed-state".into(),
                    format!("{name} refused ({e}) but changed the market"),
                );
            }
            Outcome::Refused
        }
    }
}

// ----- mutators -----

/// Numbers that sit on the edges of the types the engine uses.
fn edge_number(rng: &mut SplitMix64) -> Value {
    match rng.below(14) {
        0 => json!(0),
        1 => json!(1),
        2 => json!(-1),
        3 => json!(u8::MAX),
        4 => json!(u16::MAX),
        5 => json!(u32::MAX),
        6 => json!(u64::from(u32::MAX) + 1),
        7 => json!((1u64 << 53) - 1),
        8 => json!(1u64 << 53),
        9 => json!(u64::MAX),
        10 => json!(i64::MIN),
        11 => json!(0.5),
        12 => json!(-1e300),
        _ => json!(rng.next_u64() >> rng.below(64)),
    }
}

/// One structural or value mutation somewhere in `v`.
/// A `gentle` mutation only swaps a number for an edge number or a string for another string,
/// so the result usually still deserializes and reaches the engine's own checks.
pub fn mutate_value(rng: &mut SplitMix64, v: &mut Value, strings: &[&str], gentle: bool) {
    // Walk down to a random node (at each container, stop there one time in four), noting the
    // way as a JSON pointer; then take that node mutably.
    let mut pointer = String::new();
    let mut at: &Value = v;
    loop {
        let stop = rng.below(4) == 0;
        at = match at {
            Value::Object(map) if !map.is_empty() && !stop => {
                let (key, child) = map.iter().nth(rng.below(map.len() as u64) as usize).expect("in range");
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                child
            }
            Value::Array(items) if !items.is_empty() && !stop => {
                let i = rng.below(items.len() as u64) as usize;
                pointer.push_str(&format!("/{i}"));
                &items[i]
            }
            _ => break,
        };
    }
    let Some(node) = v.pointer_mut(&pointer) else { return };
    let pick = |rng: &mut SplitMix64| Value::from(strings[rng.below(strings.len() as u64) as usize]);
    if gentle {
        match node {
            Value::Number(_) => *node = edge_number(rng),
            Value::String(_) => *node = pick(rng),
            Value::Bool(b) => *b = !*b,
            _ => {}
        }
        return;
    }
    match node {
        Value::Number(_) => {
            *node = match rng.below(6) {
                0 => pick(rng),
                1 => Value::Null,
                _ => edge_number(rng),
            }
        }
        Value::String(s) => {
            *node = match rng.below(6) {
                0 => edge_number(rng),
                1 => Value::from(s.repeat(2 + rng.below(3) as usize)),
                2 => Value::from(format!("{s}\u{0}")),
                _ => pick(rng),
            }
        }
        Value::Bool(b) => *b = !*b,
        Value::Null => *node = edge_number(rng),
        Value::Array(items) => match rng.below(5) {
            0 if !items.is_empty() => {
                let i = rng.below(items.len() as u64) as usize;
                items.remove(i);
            }
            1 if !items.is_empty() => {
                let i = rng.below(items.len() as u64) as usize;
                let item = items[i].clone();
                items.insert(i, item);
            }
            2 => items.reverse(),
            3 => items.clear(),
            _ => items.push(edge_number(rng)),
        },
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            if keys.is_empty() {
                map.insert("type".into(), pick(rng));
                return;
            }
            let k = keys[rng.below(keys.len() as u64) as usize].clone();
            match rng.below(4) {
                0 => {
                    map.remove(&k);
                }
                // Change an enum tag (or any field) to another name.
                1 if map.contains_key("type") => {
                    let tags = [
                        "Open",
                        "Claimed",
                        "Settled",
                        "Deposit",
                        "PostTask",
                        "Client",
                        "Agent",
                        "Operator",
                        "Fixed",
                        "SuspendParty",
                        "CloseParty",
                    ];
                    map.insert("type".into(), Value::from(tags[rng.below(tags.len() as u64) as usize]));
                }
                2 => {
                    map.insert(k, Value::Null);
                }
                _ => {
                    if let Some(v) = map.get(&k).cloned() {
                        map.insert(format!("{k}_"), v);
                    }
                }
            }
        }
    }
}

/// One byte-level mutation: flip a bit, insert or delete bytes, or splice in a piece of another
/// snapshot.
fn mutate_bytes(rng: &mut SplitMix64, bytes: &mut Vec<u8>, donors: &[String]) {
    if bytes.is_empty() {
        bytes.push(b'{');
        return;
    }
    let at = rng.below(bytes.len() as u64) as usize;
    match rng.below(5) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => {
            let alphabet = b"0123456789-.eE{}[]\",:ntfaul \\";
            bytes.insert(at, alphabet[rng.below(alphabet.len() as u64) as usize]);
        }
        2 => {
            let n = (1 + rng.below(16) as usize).min(bytes.len() - at);
            bytes.drain(at..at + n);
        }
        3 => {
            // Replace a digit run with another number.
            let end = bytes[at..].iter().position(|b| !b.is_ascii_digit()).map_or(bytes.len(), |p| at + p);
            let with = ["0", "18446744073709551615", "9007199254740992", "4294967295", "-1", "1e400"];
            let with = with[rng.below(with.len() as u64) as usize].as_bytes();
            bytes.splice(at..end, with.iter().copied());
        }
        _ => {
            let donor = donors[rng.below(donors.len() as u64) as usize].as_bytes();
            let from = rng.below(donor.len() as u64) as usize;
            let n = (1 + rng.below(256) as usize).min(donor.len() - from);
            let end = (at + n).min(bytes.len());
            bytes.splice(at..end, donor[from..from + n].iter().copied());
        }
    }
}

// ----- replay -----

/// Check a recorded input again: `Ok` when it now meets its property.
pub fn replay(input: &Value) -> Result<(), String> {
    match input["kind"].as_str() {
        Some("snapshot") => match check_snapshot(input) {
            Checked::Refused | Checked::Held => Ok(()),
            Checked::Broke(what, message) => Err(format!("{what}: {message}")),
        },
        Some("command") => {
            let snapshot = input["snapshot"].as_str().unwrap_or_default();
            // A snapshot that a stricter `load` now refuses is a correct outcome too.
            let Ok(market) = catch_unwind(|| Market::load(snapshot)).map_err(panic_message)? else {
                return Ok(());
            };
            let mut live = Live { saved: market.save(), now: market.now(), market, applied: 0 };
            match live.check(input) {
                Outcome::Broke(what, message) => Err(format!("{what}: {message}")),
                _ => Ok(()),
            }
        }
        other => Err(format!("unknown input kind {other:?}")),
    }
}

/// A short stable name for an input: FNV-1a of its JSON, in hex.
pub fn name_of(input: &Value) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in input.to_string().bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
