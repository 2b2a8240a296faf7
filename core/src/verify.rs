//! Automated verification: an output against a task's acceptance criteria and inputs.
//!
//! Every criterion has a name a rejection or a failure can cite: `field:<name>` for each declared
//! output field (presence and type), `confidence` for the least self-reported confidence, and the
//! name of each further check. Checks that read an input (`ItemsIn`, `OwnRecordOnly`) read its
//! inline content as a [`Table`]; posting refuses a specification whose checks name an input that
//! is not such a table, so here a table that does not parse only fails the check.

use crate::event::FailedCriterion;
use crate::output::{FieldValue, Output, SelfCheck};
use crate::spec::{AcceptanceCriteria, Check, FieldKind, InputRef, Real};
use crate::table::{cell_key, value_key, Table};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The criterion name for a declared field.
pub fn field_criterion(field: &str) -> String {
    format!("field:{field}")
}

/// The criterion name for the confidence floor.
pub const CONFIDENCE_CRITERION: &str = "confidence";

/// Default tolerance of `SumEquals`: half a minor unit of a two-decimal currency.
pub const SUM_TOLERANCE: f64 = 0.005;

/// The most words a name in an `OwnRecordOnly` name column may have: names are found in a text
/// by looking up each run of up to this many words, so the check stays linear in the text.
pub const MAX_NAME_WORDS: usize = 8;

/// The result of verifying one submission.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Verification {
    /// Criteria checked.
    pub checked: u32,
    /// Criteria failed, in specification order.
    pub failed: Vec<FailedCriterion>,
    /// Whether every criterion the agent claimed to pass did pass.
    pub self_check_agreed: bool,
}

/// Whether `name` is a criterion of these acceptance criteria.
pub fn has_criterion(criteria: &AcceptanceCriteria, name: &str) -> bool {
    name == CONFIDENCE_CRITERION
        || name.strip_prefix("field:").is_some_and(|f| criteria.fields.iter().any(|d| d.name == f))
        || criteria.criteria.iter().any(|c| c.name == name)
}

/// Check an output and self-check against acceptance criteria, reading `inputs` where a check
/// compares the output with an input. Pure: the same arguments give the same verification.
pub fn verify(
    criteria: &AcceptanceCriteria,
    inputs: &[InputRef],
    output: &Output,
    self_check: &SelfCheck,
) -> Verification {
    let mut failed = Vec::new();
    for field in &criteria.fields {
        let problem = match output.get(&field.name) {
            None if field.required => Some("missing".to_owned()),
            None => None,
            Some(value) => type_problem(field.kind, value),
        };
        if let Some(reason) = problem {
            failed.push(FailedCriterion { criterion: field_criterion(&field.name), reason });
        }
    }
    if self_check.confidence_bps < criteria.min_confidence_bps {
        failed.push(FailedCriterion {
            criterion: CONFIDENCE_CRITERION.to_owned(),
            reason: format!(
                "self-reported confidence {} bps < required {} bps",
                self_check.confidence_bps, criteria.min_confidence_bps
            ),
        });
    }
    let mut tables = Tables { inputs, parsed: HashMap::new() };
    for criterion in &criteria.criteria {
        // A check on an absent top-level field passes: whether it must be there is the field's
        // own criterion.
        if let Some(value) = output.get(criterion.check.field()) {
            if let Some(reason) = check_problem(&criterion.check, value, output, &mut tables) {
                failed.push(FailedCriterion { criterion: criterion.name.clone(), reason });
            }
        }
    }
    let self_check_agreed =
        self_check.criteria_passed.iter().all(|claimed| !failed.iter().any(|f| &f.criterion == claimed));
    let checked = (criteria.fields.len() + criteria.criteria.len() + 1) as u32;
    Verification { checked, failed, self_check_agreed }
}

/// The engine's verification as a dry run, for an agent to check its work before it submits:
/// the same refusals `SubmitWork` gives for an output or self-check of the wrong shape, then
/// the same [`Verification`] it would record. `inputs` are the task's inputs as the agent sees
/// them (a view's inputs, with their content).
pub fn dry_run(
    criteria: &AcceptanceCriteria,
    inputs: &[InputRef],
    output: &Output,
    self_check: &SelfCheck,
) -> Result<Verification, crate::rejection::Rejection> {
    crate::market::check_output(output)?;
    crate::market::check_self_check(self_check)?;
    Ok(verify(criteria, inputs, output, self_check))
}

/// The inline tables of one verification, each parsed at most once.
struct Tables<'a> {
    inputs: &'a [InputRef],
    parsed: HashMap<&'a str, Result<Table, String>>,
}

impl<'a> Tables<'a> {
    fn get(&mut self, name: &str) -> Result<&Table, String> {
        let Some(input) = self.inputs.iter().find(|i| i.name == name) else {
            return Err(format!("the task has no input {name:?}"));
        };
        self.parsed
            .entry(input.name.as_str())
            .or_insert_with(|| match &input.content {
                Some(content) => Table::parse(content).map_err(|e| format!("input {name:?} is {e}")),
                None => Err(format!("input {name:?} has no inline content")),
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

fn type_problem(kind: FieldKind, value: &FieldValue) -> Option<String> {
    let ok = match (kind, value) {
        (FieldKind::Text, FieldValue::Text(_))
        | (FieldKind::Bool, FieldValue::Bool(_))
        | (FieldKind::List, FieldValue::List(_))
        | (FieldKind::Record, FieldValue::Record(_)) => true,
        (FieldKind::Number, FieldValue::Number(n)) => n.is_finite(),
        (FieldKind::Integer, FieldValue::Number(n)) => n.is_finite() && n.fract() == 0.0,
        _ => false,
    };
    (!ok).then(|| format!("expected {}, got {}", kind_name(kind), describe(value)))
}

fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::Number => "a number",
        FieldKind::Integer => "an integer",
        FieldKind::Bool => "true or false",
        FieldKind::List => "a list",
        FieldKind::Record => "a record",
    }
}

/// A value in a few words, for failure reasons: long texts and collections are shortened.
pub fn describe(value: &FieldValue) -> String {
    match value {
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Text(t) if t.chars().count() > 40 => {
            format!("{:?}…", t.chars().take(40).collect::<String>())
        }
        FieldValue::Text(t) => format!("{t:?}"),
        FieldValue::List(items) => format!("a list of {}", items.len()),
        FieldValue::Record(fields) => format!("a record of {} fields", fields.len()),
    }
}

/// Why `value`, the field `check` reads in `record`, fails `check`; none if it passes.
fn check_problem(
    check: &Check,
    value: &FieldValue,
    record: &BTreeMap<String, FieldValue>,
    tables: &mut Tables<'_>,
) -> Option<String> {
    match (check, value) {
        (Check::Range { min, max, .. }, FieldValue::Number(n)) => {
            let low = min.is_some_and(|m| *n < m.0);
            let high = max.is_some_and(|m| *n > m.0);
            (low || high || !n.is_finite()).then(|| {
                let bound = |b: Option<Real>| b.map_or("∞".to_owned(), |b| b.0.to_string());
                format!("{n} outside [{}, {}]", min.map_or("-∞".to_owned(), |b| b.0.to_string()), bound(*max))
            })
        }
        (Check::OneOf { values, .. }, FieldValue::Text(t)) => {
            (!values.iter().any(|v| v == t)).then(|| format!("{} is not one of {}", describe(value), values.join(", ")))
        }
        (Check::Pattern { pattern, .. }, FieldValue::Text(t)) => {
            (!glob_match(pattern, t)).then(|| format!("{} does not match {pattern:?}", describe(value)))
        }
        (Check::Length { min, max, .. }, FieldValue::Text(t)) => {
            let len = t.chars().count() as u64;
            let short = min.is_some_and(|m| len < u64::from(m));
            let long = max.is_some_and(|m| len > u64::from(m));
            (short || long).then(|| format!("length {len} outside bounds"))
        }
        (Check::Each { field, check }, FieldValue::List(items)) => items.iter().enumerate().find_map(|(i, item)| {
            let Some(fields) = item.as_record() else {
                return Some(format!("{field}[{i}] is {}, not a record", describe(item)));
            };
            let problem = match fields.get(check.field()) {
                None => Some(format!("{} is missing", check.field())),
                Some(member) => check_problem(check, member, fields, tables),
            };
            problem.map(|p| format!("{field}[{i}]: {p}"))
        }),
        (Check::SumEquals { field, total, tolerance }, FieldValue::List(items)) => {
            let mut sum = 0.0;
            for (i, item) in items.iter().enumerate() {
                match item.as_number() {
                    Some(n) => sum += n,
                    None => return Some(format!("{field}[{i}] is {}, not a number", describe(item))),
                }
            }
            let Some(stated) = record.get(total).and_then(FieldValue::as_number) else {
                return Some(format!("{total} is missing or not a number"));
            };
            let tolerance = tolerance.map_or(SUM_TOLERANCE, |t| t.0);
            ((sum - stated).abs() > tolerance).then(|| format!("{field} adds up to {sum}, but {total} is {stated}"))
        }
        (Check::ItemsIn { field, key, input, column, complete }, FieldValue::List(items)) => {
            let table = match tables.get(input) {
                Ok(t) => t,
                Err(reason) => return Some(reason),
            };
            let Some(col) = table.column(column) else {
                return Some(format!("input {input:?} has no column {column:?}"));
            };
            let mut left = table.counts(col);
            for (i, item) in items.iter().enumerate() {
                let looked_up = match key {
                    Some(k) => match item.as_record().and_then(|r| r.get(k)) {
                        Some(v) => v,
                        None => return Some(format!("{field}[{i}] has no {k}")),
                    },
                    None => item,
                };
                let Some(k) = value_key(looked_up) else {
                    return Some(format!("{field}[{i}] is {}, which no cell can equal", describe(looked_up)));
                };
                match left.get_mut(&k) {
                    None => return Some(format!("{field}[{i}] {} is not in {input}.{column}", describe(looked_up))),
                    Some(0) if *complete => {
                        return Some(format!("{field}[{i}] {} is named more than once", describe(looked_up)))
                    }
                    Some(n) => *n = n.saturating_sub(1),
                }
            }
            if *complete {
                if let Some(missed) = table.cells(col).find(|c| left.get(&cell_key(c)).is_some_and(|n| *n > 0)) {
                    return Some(format!("{input}.{column} {missed:?} is not named in {field}"));
                }
            }
            None
        }
        (Check::OwnRecordOnly { field, key, text, input, id_column, name_column }, FieldValue::List(items)) => {
            let table = match tables.get(input) {
                Ok(t) => t,
                Err(reason) => return Some(reason),
            };
            let (Some(id_col), Some(name_col)) = (table.column(id_column), table.column(name_column)) else {
                return Some(format!("input {input:?} lacks the column {id_column:?} or {name_column:?}"));
            };
            let names = NameIndex::new(table, id_col, name_col);
            items.iter().enumerate().find_map(|(i, item)| {
                let Some(record) = item.as_record() else {
                    return Some(format!("{field}[{i}] is {}, not a record", describe(item)));
                };
                let id = record.get(key).and_then(value_key);
                let message = record.get(text).and_then(FieldValue::as_text);
                let (Some(id), Some(message)) = (id, message) else {
                    return Some(format!("{field}[{i}] needs a {key} and a text {text}"));
                };
                let Some(own) = names.row_of(&id) else {
                    return Some(format!("{field}[{i}] {key} {id:?} is not in {input}.{id_column}"));
                };
                names.problem(own, message).map(|p| format!("{field}[{i}]: {p}"))
            })
        }
        (_, other) => Some(format!("cannot apply this check to {}", describe(other))),
    }
}

/// The words of a text, lowercased: letters and digits; everything else separates.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The names of an `OwnRecordOnly` table, for finding which of them a text mentions.
struct NameIndex {
    ids: HashMap<String, usize>,
    /// Each name (its words joined by one space) and the rows that carry it.
    names: HashMap<String, Vec<usize>>,
    own: Vec<String>,
    lengths: Vec<usize>,
}

impl NameIndex {
    fn new(table: &Table, id_col: usize, name_col: usize) -> NameIndex {
        let mut ids = HashMap::new();
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        let mut own = Vec::new();
        let mut lengths = HashSet::new();
        for (row, cells) in table.rows().iter().enumerate() {
            ids.entry(cell_key(&cells[id_col])).or_insert(row);
            let w = words(&cells[name_col]);
            let joined = w.join(" ");
            if !w.is_empty() && w.len() <= MAX_NAME_WORDS {
                lengths.insert(w.len());
                names.entry(joined.clone()).or_default().push(row);
            }
            own.push(joined);
        }
        let mut lengths: Vec<usize> = lengths.into_iter().collect();
        lengths.sort_unstable();
        NameIndex { ids, names, own, lengths }
    }

    fn row_of(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// Why `message`, meant for row `own`, fails: it does not mention its row's name, or it
    /// mentions another row's. Linear in the message: each run of up to [`MAX_NAME_WORDS`] words
    /// is looked up once.
    fn problem(&self, own: usize, message: &str) -> Option<String> {
        let w = words(message);
        let mut mentions_own = false;
        for start in 0..w.len() {
            for &len in &self.lengths {
                let Some(run) = w.get(start..start + len) else { break };
                let Some(rows) = self.names.get(&run.join(" ")) else { continue };
                if rows.contains(&own) {
                    mentions_own = true;
                } else {
                    return Some(format!("it mentions {:?}, another row's name", run.join(" ")));
                }
            }
        }
        (!mentions_own).then(|| format!("it does not mention {:?}", self.own[own]))
    }
}

/// Match `text` against a glob: `*` any run (possibly empty), `?` one character, `#` one ASCII
/// digit, `\` makes the next pattern character literal. Linear-time backtracking on the last `*`,
/// so no pattern can make it blow up.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        let step = match pattern.get(p) {
            Some('*') => {
                star = Some((p + 1, t));
                p += 1;
                continue;
            }
            Some('?') => Some(1),
            Some('#') if text[t].is_ascii_digit() => Some(1),
            Some('\\') if pattern.get(p + 1) == Some(&text[t]) => Some(2),
            Some(c) if *c != '#' && *c != '\\' && *c == text[t] => Some(1),
            _ => None,
        };
        match (step, star) {
            (Some(n), _) => {
                p += n;
                t += 1;
            }
            (None, Some((sp, st))) => {
                p = sp;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            (None, None) => return false,
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Criterion, OutputField, Real};

    fn criteria() -> AcceptanceCriteria {
        AcceptanceCriteria {
            fields: vec![
                OutputField { name: "total".into(), kind: FieldKind::Number, required: true },
                OutputField { name: "currency".into(), kind: FieldKind::Text, required: true },
                OutputField { name: "note".into(), kind: FieldKind::Text, required: false },
            ],
            criteria: vec![
                Criterion {
                    name: "total-positive".into(),
                    check: Check::Range { field: "total".into(), min: Some(Real(0.0)), max: None },
                },
                Criterion {
                    name: "currency-known".into(),
                    check: Check::OneOf { field: "currency".into(), values: vec!["EUR".into(), "USD".into()] },
                },
                Criterion {
                    name: "note-short".into(),
                    check: Check::Length { field: "note".into(), min: None, max: Some(5) },
                },
            ],
            min_confidence_bps: 8_000,
        }
    }

    fn output(pairs: &[(&str, FieldValue)]) -> Output {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
    }

    fn check(confidence: u16, claims: &[&str]) -> SelfCheck {
        SelfCheck {
            confidence_bps: confidence,
            criteria_passed: claims.iter().map(|c| (*c).to_owned()).collect(),
            notes: String::new(),
        }
    }

    #[test]
    fn good_output_passes_every_criterion() {
        let out = output(&[("total", FieldValue::Number(12.5)), ("currency", FieldValue::Text("EUR".into()))]);
        let v = verify(&criteria(), &[], &out, &check(9_000, &["total-positive"]));
        assert!(v.failed.is_empty(), "{:?}", v.failed);
        assert_eq!(v.checked, 7);
        assert!(v.self_check_agreed);
    }

    #[test]
    fn each_failure_names_its_criterion() {
        let out = output(&[
            ("total", FieldValue::Number(-1.0)),
            ("currency", FieldValue::Text("GBP".into())),
            ("note", FieldValue::Text("far too long".into())),
        ]);
        let v = verify(&criteria(), &[], &out, &check(5_000, &["currency-known"]));
        let names: Vec<&str> = v.failed.iter().map(|f| f.criterion.as_str()).collect();
        assert_eq!(names, ["confidence", "total-positive", "currency-known", "note-short"]);
        assert!(!v.self_check_agreed, "claimed currency-known passed but it failed");
    }

    #[test]
    fn missing_and_mistyped_fields_fail_their_field_criterion() {
        let out = output(&[("total", FieldValue::Text("12".into()))]);
        let v = verify(&criteria(), &[], &out, &check(9_000, &[]));
        let names: Vec<&str> = v.failed.iter().map(|f| f.criterion.as_str()).collect();
        assert!(names.contains(&"field:total") && names.contains(&"field:currency"), "{names:?}");
        assert!(names.contains(&"total-positive"), "a range check on text fails too: {names:?}");
    }

    #[test]
    fn criterion_names_are_known() {
        let c = criteria();
        assert!(has_criterion(&c, "field:total"));
        assert!(has_criterion(&c, "confidence"));
        assert!(has_criterion(&c, "note-short"));
        assert!(!has_criterion(&c, "field:nope"));
        assert!(!has_criterion(&c, "made-up"));
    }

    #[test]
    fn glob_patterns() {
        assert!(glob_match("INV-####", "INV-2024"));
        assert!(!glob_match("INV-####", "INV-20x4"));
        assert!(glob_match("*@*.com", "a@b.com"));
        assert!(!glob_match("*@*.com", "a@b.org"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("\\*lit", "*lit"));
        assert!(!glob_match("\\*lit", "xlit"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("", "x"));
        // Adversarial: many stars against a long non-matching text stays fast and false.
        let text = "a".repeat(10_000);
        assert!(!glob_match("*a*a*a*a*a*b", &text));
    }
}
