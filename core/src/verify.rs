//! Automated verification: an output against a task's acceptance criteria.
//!
//! Every criterion has a name a rejection or a failure can cite: `field:<name>` for each declared
//! output field (presence and type), `confidence` for the least self-reported confidence, and the
//! name of each further check.

use crate::event::FailedCriterion;
use crate::output::{FieldValue, Output, SelfCheck};
use crate::spec::{AcceptanceCriteria, Check, FieldKind};

/// The criterion name for a declared field.
pub fn field_criterion(field: &str) -> String {
    format!("field:{field}")
}

/// The criterion name for the confidence floor.
pub const CONFIDENCE_CRITERION: &str = "confidence";

/// The result of verifying one submission.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Check an output and self-check against acceptance criteria.
pub fn verify(criteria: &AcceptanceCriteria, output: &Output, self_check: &SelfCheck) -> Verification {
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
    for criterion in &criteria.criteria {
        if let Some(value) = output.get(criterion.check.field()) {
            if let Some(reason) = check_problem(&criterion.check, value) {
                failed.push(FailedCriterion { criterion: criterion.name.clone(), reason });
            }
        }
    }
    let self_check_agreed =
        self_check.criteria_passed.iter().all(|claimed| !failed.iter().any(|f| &f.criterion == claimed));
    let checked = (criteria.fields.len() + criteria.criteria.len() + 1) as u32;
    Verification { checked, failed, self_check_agreed }
}

fn type_problem(kind: FieldKind, value: &FieldValue) -> Option<String> {
    let ok = match (kind, value) {
        (FieldKind::Text, FieldValue::Text(_)) | (FieldKind::Bool, FieldValue::Bool(_)) => true,
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
    }
}

fn describe(value: &FieldValue) -> String {
    match value {
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Text(t) if t.chars().count() > 40 => {
            format!("{:?}…", t.chars().take(40).collect::<String>())
        }
        FieldValue::Text(t) => format!("{t:?}"),
    }
}

fn check_problem(check: &Check, value: &FieldValue) -> Option<String> {
    match (check, value) {
        (Check::Range { min, max, .. }, FieldValue::Number(n)) => {
            let low = min.is_some_and(|m| *n < m.0);
            let high = max.is_some_and(|m| *n > m.0);
            (low || high || !n.is_finite()).then(|| {
                let bound = |b: Option<crate::spec::Real>| b.map_or("∞".to_owned(), |b| b.0.to_string());
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
        (_, other) => Some(format!("cannot apply this check to {}", describe(other))),
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
        let v = verify(&criteria(), &out, &check(9_000, &["total-positive"]));
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
        let v = verify(&criteria(), &out, &check(5_000, &["currency-known"]));
        let names: Vec<&str> = v.failed.iter().map(|f| f.criterion.as_str()).collect();
        assert_eq!(names, ["confidence", "total-positive", "currency-known", "note-short"]);
        assert!(!v.self_check_agreed, "claimed currency-known passed but it failed");
    }

    #[test]
    fn missing_and_mistyped_fields_fail_their_field_criterion() {
        let out = output(&[("total", FieldValue::Text("12".into()))]);
        let v = verify(&criteria(), &out, &check(9_000, &[]));
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
