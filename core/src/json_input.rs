//! Decoding a command, an actor or a configuration from JSON text, with the path of the value at
//! fault when it does not decode.
//!
//! serde_json reports a line and a column, and for internally tagged enums (every `type`-tagged
//! value here) not even that: serde buffers the whole tagged object before decoding it, so the
//! error surfaces at the object's closing brace with no field named. Hosts and people need the
//! field: `command.spec.deadlines.lease_ms: expected a whole number, got "10"`.
//!
//! The fast path is serde_json alone. Only when it fails is the text scanned once more
//! (`Scan`): the error position gives the innermost value at fault (for buffered objects, the
//! object), and the value serde names in its message (`string "10"`, field `foo`, variant `Bar`)
//! is then looked up inside that value. When the message names nothing that can be found
//! (a missing field), the path stops at the object that lacks it.
//!
//! One decoder serves every host (the wasm package and Rust hosts that take JSON), so the same
//! fault gives the same path and words everywhere.

use serde::de::DeserializeOwned;
use std::fmt;

/// A JSON input that did not decode: where, and why, in words a caller can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The path of the value at fault, starting at the input's name: `command.spec.inputs[0].uri`.
    pub path: String,
    /// What is wrong with it: `expected a whole number, got "10"`.
    pub reason: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

impl std::error::Error for DecodeError {}

/// Decode `text` as a `T`, naming the input `root` in error paths (`"command"`, `"actor"`).
/// The input must be a JSON object: serde would otherwise read a struct from an array.
pub fn from_json<T: DeserializeOwned>(root: &str, text: &str) -> Result<T, DecodeError> {
    if !text.trim_start().starts_with('{') {
        return Err(DecodeError { path: root.to_owned(), reason: "expected a JSON object".to_owned() });
    }
    serde_json::from_str(text).map_err(|e| explain(root, text, &e))
}

/// Turn serde_json's error into a path and plain words.
fn explain(root: &str, text: &str, error: &serde_json::Error) -> DecodeError {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the words before it are serde's.
    let words = message.rsplit_once(" at line ").map_or(message.as_str(), |(w, _)| w);
    let scan = Scan::new(text);
    let outer = scan.innermost_at(offset(text, error.line(), error.column()));
    if error.is_syntax() || error.is_eof() {
        let path = outer.map_or_else(|| root.to_owned(), |v| scan.path(v, root));
        return DecodeError { path, reason: format!("not valid JSON ({words})") };
    }
    // A data error at a buffered `type`-tagged object blames the whole object: look inside it for
    // the value serde names.
    let culprit = outer.and_then(|outer| Culprit::of(words).and_then(|c| scan.find_within(outer, &c)));
    let path = culprit.or(outer).map_or_else(|| root.to_owned(), |v| scan.path(v, root));
    DecodeError { path, reason: plain(words) }
}

/// The byte offset of a 1-based line and column (serde_json's column counts bytes).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (line_start + column).min(text.len())
}

/// What serde's message names, to be found in the text.
#[derive(Debug)]
enum Culprit {
    /// A scalar as JSON text: `"10"`, `-1`, `true`, `null`.
    Scalar(String),
    /// A field name (unknown or duplicate field).
    Key(String),
    /// A container: `{` for a map, `[` for a sequence.
    Container(u8),
}

impl Culprit {
    fn of(words: &str) -> Option<Culprit> {
        if let Some(rest) = words.strip_prefix("unknown field `").or_else(|| words.strip_prefix("duplicate field `")) {
            return rest.split_once('`').map(|(k, _)| Culprit::Key(k.to_owned()));
        }
        if let Some(rest) = words.strip_prefix("unknown variant `") {
            return rest.split_once('`').map(|(v, _)| Culprit::Scalar(serde_json::to_string(v).unwrap_or_default()));
        }
        let got = words.strip_prefix("invalid type: ").or_else(|| words.strip_prefix("invalid value: "))?;
        let got = got.split_once(", expected").map_or(got, |(g, _)| g);
        if let Some(s) = got.strip_prefix("string ") {
            return Some(Culprit::Scalar(s.to_owned()));
        }
        if got == "map" {
            return Some(Culprit::Container(b'{'));
        }
        if got == "sequence" {
            return Some(Culprit::Container(b'['));
        }
        if got == "null" || got == "unit value" {
            return Some(Culprit::Scalar("null".to_owned()));
        }
        // `integer `5``, `floating point `1.5``, `boolean `true``.
        let (_, quoted) = got.split_once('`')?;
        quoted.split_once('`').map(|(v, _)| Culprit::Scalar(v.to_owned()))
    }
}

/// serde's words, rephrased for a JSON caller: JSON types, not Rust ones.
fn plain(words: &str) -> String {
    if let Some(got) = words.strip_prefix("invalid type: ").or_else(|| words.strip_prefix("invalid value: ")) {
        if let Some((got, expected)) = got.split_once(", expected ") {
            return format!("expected {}, got {}", expected_words(expected), got_words(got));
        }
    }
    if let Some(rest) = words.strip_prefix("missing field `") {
        if let Some((field, _)) = rest.split_once('`') {
            return format!("missing field \"{field}\"");
        }
    }
    words.replace('`', "\"")
}

fn expected_words(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)".to_owned(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        "a sequence" => "an array".to_owned(),
        e if e.starts_with("struct ") || e.starts_with("internally tagged enum") || e == "a map" => {
            "an object".to_owned()
        }
        e => e.replace('`', "\""),
    }
}

fn got_words(got: &str) -> String {
    if let Some(s) = got.strip_prefix("string ") {
        return s.to_owned();
    }
    match got {
        "map" => "an object".to_owned(),
        "sequence" => "an array".to_owned(),
        "unit value" => "null".to_owned(),
        g => g.split_once('`').and_then(|(_, v)| v.split_once('`')).map_or_else(|| g.to_owned(), |(v, _)| v.to_owned()),
    }
}

/// serde_json's own nesting limit: no input it accepts is deeper.
const MAX_DEPTH: usize = 128;

/// Every value in a JSON text, in document order, with its span and its place in the tree.
/// Built only to explain an error, so it favours being short over being fast.
struct Scan<'t> {
    text: &'t str,
    values: Vec<Value>,
}

/// One value: where it is, and how it is reached from its parent.
#[derive(Clone, Debug)]
struct Value {
    start: usize,
    end: usize,
    parent: Option<usize>,
    step: Step,
}

#[derive(Clone, Debug)]
enum Step {
    Root,
    Key(String),
    Index(usize),
}

impl<'t> Scan<'t> {
    fn new(text: &'t str) -> Scan<'t> {
        let mut scan = Scan { text, values: Vec::new() };
        let mut pos = 0;
        scan.value(&mut pos, None, Step::Root, 0);
        scan
    }

    fn skip_ws(&self, pos: &mut usize) {
        let b = self.text.as_bytes();
        while *pos < b.len() && b[*pos].is_ascii_whitespace() {
            *pos += 1;
        }
    }

    /// Scan one value at `pos`; stops quietly at the first syntax error (the text is known bad),
    /// and below `MAX_DEPTH` levels (serde_json refuses deeper input before this scan runs, and a
    /// recursion as deep as the input could exhaust the stack).
    fn value(&mut self, pos: &mut usize, parent: Option<usize>, step: Step, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let b = self.text.as_bytes();
        self.skip_ws(pos);
        let start = *pos;
        let index = self.values.len();
        self.values.push(Value { start, end: b.len(), parent, step });
        match *b.get(*pos)? {
            b'{' => {
                *pos += 1;
                loop {
                    self.skip_ws(pos);
                    match *b.get(*pos)? {
                        b'}' => break,
                        b',' => *pos += 1,
                        _ => {
                            let key = self.string(pos)?;
                            self.skip_ws(pos);
                            (*b.get(*pos)? == b':').then_some(())?;
                            *pos += 1;
                            self.value(pos, Some(index), Step::Key(key), depth + 1)?;
                        }
                    }
                }
                *pos += 1;
            }
            b'[' => {
                *pos += 1;
                let mut i = 0;
                loop {
                    self.skip_ws(pos);
                    match *b.get(*pos)? {
                        b']' => break,
                        b',' => *pos += 1,
                        _ => {
                            self.value(pos, Some(index), Step::Index(i), depth + 1)?;
                            i += 1;
                        }
                    }
                }
                *pos += 1;
            }
            b'"' => {
                self.string(pos)?;
            }
            _ => {
                while *pos < b.len() && !matches!(b[*pos], b',' | b'}' | b']') && !b[*pos].is_ascii_whitespace() {
                    *pos += 1;
                }
            }
        }
        self.values[index].end = *pos;
        Some(())
    }

    /// A string token at `pos` (which must be a quote), decoded; `pos` moves past it.
    fn string(&self, pos: &mut usize) -> Option<String> {
        let b = self.text.as_bytes();
        (*b.get(*pos)? == b'"').then_some(())?;
        let start = *pos;
        *pos += 1;
        while *b.get(*pos)? != b'"' {
            *pos += if b[*pos] == b'\\' { 2 } else { 1 };
        }
        *pos += 1;
        serde_json::from_str(self.text.get(start..*pos)?).ok()
    }

    /// The innermost value whose text holds the byte before `at` (serde_json's position is
    /// just past what it read last).
    fn innermost_at(&self, at: usize) -> Option<&Value> {
        let at = at.saturating_sub(1);
        self.values.iter().rfind(|v| v.start <= at && at < v.end)
    }

    /// The first value inside `outer` (or `outer` itself) that matches `culprit`.
    fn find_within(&self, outer: &Value, culprit: &Culprit) -> Option<&Value> {
        self.values.iter().filter(|v| v.start >= outer.start && v.end <= outer.end).find(|v| {
            let raw = &self.text[v.start..v.end];
            match culprit {
                // serde may print a number differently from the text (`1e+300` for `1e300`).
                Culprit::Scalar(s) => raw == s || same_number(raw, s),
                Culprit::Key(k) => matches!(&v.step, Step::Key(key) if key == k),
                Culprit::Container(c) => raw.as_bytes().first() == Some(c) && v.start > outer.start,
            }
        })
    }
}

fn same_number(a: &str, b: &str) -> bool {
    matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
}

impl Scan<'_> {
    /// The path of `value` from the root: `root.spec.inputs[0].uri`.
    fn path(&self, value: &Value, root: &str) -> String {
        let mut steps = Vec::new();
        let mut at = Some(value);
        while let Some(v) = at {
            steps.push(&v.step);
            at = v.parent.map(|p| &self.values[p]);
        }
        let mut out = root.to_owned();
        for step in steps.into_iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}
