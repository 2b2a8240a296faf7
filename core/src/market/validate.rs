//! Validation of what callers send: sizes, ranges and the task specification.

use crate::ids::{Money, Timestamp, FULL_BPS, MAX_SAFE};
use crate::limits::*;
use crate::party::Skill;
use crate::rejection::Rejection;
use crate::spec::{Check, FieldKind, Pricing, TaskSpec};

use super::config::SpecCaps;

/// A name: 1..=64 bytes, no control characters.
pub(crate) fn name(what: &str, value: &str) -> Result<(), Rejection> {
    if is_blank(value) {
        return Err(Rejection::out_of_range(what, "must not be empty"));
    }
    if value.len() > MAX_NAME_LEN {
        return Err(Rejection::too_large(what, MAX_NAME_LEN));
    }
    if has_control(value) {
        return Err(Rejection::out_of_range(what, "must not contain control characters"));
    }
    Ok(())
}

/// Whether `value` is empty or only whitespace (what `trim().is_empty()` says, in one forward
/// scan that stops at the first visible char: a title or name almost always begins with one).
fn is_blank(value: &str) -> bool {
    value.chars().all(char::is_whitespace)
}

/// Whether `value` holds a control character (`char::is_control`: U+0000 to U+001F and U+007F
/// to U+009F). Every name of every posted task goes through here, and almost none has a byte
/// that could begin one (below 0x20, 0x7F, or 0xC2, which leads U+0080 to U+00BF in UTF-8): one
/// pass over the bytes with no branch per byte clears those, and only the rest are decoded.
fn has_control(value: &str) -> bool {
    let suspect = value.as_bytes().iter().fold(false, |seen, &b| seen | (b < 0x20) | (b == 0x7f) | (b == 0xc2));
    suspect && value.chars().any(char::is_control)
}

/// An owner: a name whose key ([`crate::owner::owner_key`]) is not empty, so that it can be
/// told apart from other owners in conflict-of-interest checks.
pub(crate) fn owner(value: &str) -> Result<(), Rejection> {
    name("owner", value)?;
    if crate::owner::owner_key(value).is_empty() {
        return Err(Rejection::out_of_range("owner", "has nothing visible once normalised"));
    }
    Ok(())
}

/// Free text up to `limit` bytes.
pub(crate) fn text(what: &str, value: &str, limit: usize) -> Result<(), Rejection> {
    if value.len() > limit {
        return Err(Rejection::too_large(what, limit));
    }
    Ok(())
}

/// Non-empty free text up to `limit` bytes.
pub(crate) fn required_text(what: &str, value: &str, limit: usize) -> Result<(), Rejection> {
    if is_blank(value) {
        return Err(Rejection::out_of_range(what, "must not be empty"));
    }
    text(what, value, limit)
}

/// A positive amount within JS's safe range.
pub(crate) fn amount(what: &str, value: Money) -> Result<(), Rejection> {
    if value == 0 {
        return Err(Rejection::out_of_range(what, "must be positive"));
    }
    if value > MAX_SAFE {
        return Err(Rejection::out_of_range(what, "beyond 2^53 - 1"));
    }
    Ok(())
}

/// A list length.
pub(crate) fn items(what: &str, len: usize, limit: usize) -> Result<(), Rejection> {
    if len > limit {
        return Err(Rejection::too_large(what, limit));
    }
    Ok(())
}

/// Declared skills: valid names, levels 1..=5, no repeats; returned sorted by name.
pub(crate) fn skills(mut skills: Vec<Skill>) -> Result<Vec<Skill>, Rejection> {
    items("skills", skills.len(), MAX_ITEMS)?;
    for s in &skills {
        name("skill name", &s.name)?;
        if !(1..=MAX_SKILL_LEVEL).contains(&s.level) {
            return Err(Rejection::out_of_range("skill level", format!("{} must be 1 to {MAX_SKILL_LEVEL}", s.name)));
        }
    }
    skills.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(w) = skills.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(Rejection::out_of_range("skills", format!("{} declared twice", w[0].name)));
    }
    Ok(skills)
}

fn spec_err(field: impl Into<String>, reason: impl Into<String>) -> Rejection {
    Rejection::spec(field, reason)
}

/// A name inside the spec; `field` builds the error's path only when there is an error, so a
/// valid spec allocates nothing here.
fn spec_name(field: impl Fn() -> String, value: &str) -> Result<(), Rejection> {
    name("name", value).map_err(|e| spec_err(field(), e.to_string()))
}

/// No name twice. Lists are at most `MAX_ITEMS` long, so a pairwise check (no allocation) is
/// cheap enough.
fn unique<'a>(field: &str, names: impl Iterator<Item = &'a str> + Clone) -> Result<(), Rejection> {
    for (i, n) in names.clone().enumerate() {
        if names.clone().skip(i + 1).any(|m| m == n) {
            return Err(spec_err(field, format!("{n:?} appears twice")));
        }
    }
    Ok(())
}

fn time(field: &str, value: u64) -> Result<(), Rejection> {
    if value > MAX_SAFE {
        return Err(spec_err(field, "beyond 2^53 - 1 ms"));
    }
    Ok(())
}

/// A whole task specification, as posted at `now`, within the market's caps. `load` checks
/// every live task with it at the task's posting time.
pub(crate) fn spec(spec: &TaskSpec, now: Timestamp, caps: &SpecCaps) -> Result<(), Rejection> {
    spec_shape(spec)?;
    spec_timing(spec, now)?;
    spec_caps(spec, now, caps)
}

/// A span the market caps: at most `cap` (named by its `caps.` field in the error).
fn capped(field: &str, value: u64, cap: u64, cap_name: &str) -> Result<(), Rejection> {
    if value > cap {
        return Err(spec_err(field, format!("{value} is beyond the market's cap of {cap} (caps.{cap_name})")));
    }
    Ok(())
}

/// Every window and round count of a specification posted at `posted_at` within the market's
/// caps, so that no task can hold escrow or an agent's capacity without bound. `load` checks
/// every live task against the caps as at its posting.
fn spec_caps(spec: &TaskSpec, posted_at: Timestamp, caps: &SpecCaps) -> Result<(), Rejection> {
    let review = &spec.review;
    capped("review.window_ms", review.window_ms, caps.max_review_window_ms, "max_review_window_ms")?;
    capped("review.max_revisions", review.max_revisions.into(), caps.max_revisions.into(), "max_revisions")?;
    let d = &spec.deadlines;
    capped("deadlines.lease_ms", d.lease_ms, caps.max_lease_ms, "max_lease_ms")?;
    let horizon = d.claim_by.saturating_sub(posted_at);
    capped("deadlines.claim_by", horizon, caps.max_claim_horizon_ms, "max_claim_horizon_ms")?;
    let timeout = d.clarification_timeout_ms;
    capped(
        "deadlines.clarification_timeout_ms",
        timeout,
        caps.max_clarification_timeout_ms,
        "max_clarification_timeout_ms",
    )?;
    let rounds = d.max_clarifications.into();
    capped("deadlines.max_clarifications", rounds, caps.max_clarifications.into(), "max_clarifications")?;
    if let Pricing::Bids { bidding_closes_at, .. } = &spec.pricing {
        let span = bidding_closes_at.saturating_sub(posted_at);
        capped("pricing.bidding_closes_at", span, caps.max_bidding_window_ms, "max_bidding_window_ms")?;
    }
    if let Some(window) = &spec.priority_window {
        let cap = caps.max_priority_window_ms;
        capped("priority_window.duration_ms", window.duration_ms, cap, "max_priority_window_ms")?;
    }
    Ok(())
}

/// Everything about a specification that does not depend on when it is posted: sizes, names,
/// ranges.
fn spec_shape(spec: &TaskSpec) -> Result<(), Rejection> {
    title_and_category(spec)?;
    if spec.instructions.len() > MAX_TEXT_LEN {
        return Err(spec_err("instructions", format!("at most {MAX_TEXT_LEN} bytes")));
    }
    if spec.required_skills.len() > MAX_ITEMS {
        return Err(spec_err("required_skills", format!("at most {MAX_ITEMS}")));
    }
    for (i, s) in spec.required_skills.iter().enumerate() {
        spec_name(|| format!("required_skills[{i}].skill"), &s.skill)?;
        if !(1..=MAX_SKILL_LEVEL).contains(&s.min_level) {
            return Err(spec_err(format!("required_skills[{i}].min_level"), format!("1 to {MAX_SKILL_LEVEL}")));
        }
    }
    unique("required_skills", spec.required_skills.iter().map(|s| s.skill.as_str()))?;
    if spec.inputs.len() > MAX_ITEMS {
        return Err(spec_err("inputs", format!("at most {MAX_ITEMS}")));
    }
    for (i, input) in spec.inputs.iter().enumerate() {
        spec_name(|| format!("inputs[{i}].name"), &input.name)?;
        match &input.content {
            None if input.uri.is_empty() || input.uri.len() > MAX_VALUE_LEN => {
                return Err(spec_err(format!("inputs[{i}].uri"), format!("1 to {MAX_VALUE_LEN} bytes")));
            }
            None => {}
            Some(_) if !input.uri.is_empty() => {
                return Err(spec_err(format!("inputs[{i}]"), "give either a uri or inline content, not both"));
            }
            Some(content) if content.len() > MAX_INLINE_INPUT_LEN => {
                return Err(spec_err(format!("inputs[{i}].content"), format!("at most {MAX_INLINE_INPUT_LEN} bytes")));
            }
            Some(_) => {}
        }
    }
    unique("inputs", spec.inputs.iter().map(|s| s.name.as_str()))?;
    acceptance(spec)?;
    let review = &spec.review;
    if review.window_ms == 0 {
        return Err(spec_err("review.window_ms", "must be positive"));
    }
    time("review.window_ms", review.window_ms)?;
    if review.human_review_below_confidence_bps.is_some_and(|b| b > FULL_BPS) {
        return Err(spec_err("review.human_review_below_confidence_bps", "at most 10000"));
    }
    if review.human_sample_bps > FULL_BPS {
        return Err(spec_err("review.human_sample_bps", "at most 10000"));
    }
    let d = &spec.deadlines;
    time("deadlines.claim_by", d.claim_by)?;
    if d.lease_ms == 0 {
        return Err(spec_err("deadlines.lease_ms", "must be positive"));
    }
    time("deadlines.lease_ms", d.lease_ms)?;
    if d.clarification_timeout_ms == 0 {
        return Err(spec_err("deadlines.clarification_timeout_ms", "must be positive"));
    }
    time("deadlines.clarification_timeout_ms", d.clarification_timeout_ms)?;
    pricing(spec)?;
    if spec.eligibility.min_reputation_bps.is_some_and(|b| b > FULL_BPS) {
        return Err(spec_err("eligibility.min_reputation_bps", "at most 10000"));
    }
    Ok(())
}

/// What a finished task keeps of its specification (`TaskSpec::archived`): title, category and
/// money, within the limits of posting.
pub(crate) fn archived_spec(spec: &TaskSpec) -> Result<(), Rejection> {
    title_and_category(spec)?;
    pricing(spec)
}

fn title_and_category(spec: &TaskSpec) -> Result<(), Rejection> {
    if is_blank(&spec.title) || spec.title.len() > MAX_TITLE_LEN {
        return Err(spec_err("title", format!("1 to {MAX_TITLE_LEN} bytes")));
    }
    spec_name(|| "category".to_owned(), &spec.category)
}

fn pricing(spec: &TaskSpec) -> Result<(), Rejection> {
    match &spec.pricing {
        Pricing::Fixed { reward, tier_premium } => {
            amount("pricing.reward", *reward).map_err(|e| spec_err("pricing.reward", e.to_string()))?;
            // A premium escrows the top tier's pay: every price it could pay stays a safe integer.
            if *tier_premium && spec.pricing.escrow() > MAX_SAFE {
                let top = crate::spec::top_premium_bps();
                return Err(spec_err(
                    "pricing.tier_premium",
                    format!("the reward times the top tier's {top} bps (escrowed) is beyond 2^53 - 1"),
                ));
            }
            Ok(())
        }
        Pricing::Bids { ceiling, bidding_closes_at, .. } => {
            amount("pricing.ceiling", *ceiling).map_err(|e| spec_err("pricing.ceiling", e.to_string()))?;
            time("pricing.bidding_closes_at", *bidding_closes_at)
        }
    }
}

/// The deadlines of a specification posted at `posted_at`: claim-by after it, bidding closing
/// between the two, a priority window closing before claim-by. `load` checks stored tasks
/// against their posting time, where they held when posted.
fn spec_timing(spec: &TaskSpec, posted_at: Timestamp) -> Result<(), Rejection> {
    let d = &spec.deadlines;
    if d.claim_by <= posted_at {
        return Err(spec_err("deadlines.claim_by", format!("{} is not after now ({posted_at})", d.claim_by)));
    }
    if let Pricing::Bids { bidding_closes_at, .. } = &spec.pricing {
        if *bidding_closes_at <= posted_at || *bidding_closes_at > d.claim_by {
            return Err(spec_err("pricing.bidding_closes_at", "must be after now and no later than claim_by"));
        }
    }
    if let Some(window) = &spec.priority_window {
        if window.duration_ms == 0 || posted_at.saturating_add(window.duration_ms) >= d.claim_by {
            return Err(spec_err("priority_window.duration_ms", "must be positive and close before claim_by"));
        }
    }
    Ok(())
}

fn acceptance(spec: &TaskSpec) -> Result<(), Rejection> {
    let a = &spec.acceptance;
    if a.fields.len() > MAX_ITEMS {
        return Err(spec_err("acceptance.fields", format!("at most {MAX_ITEMS}")));
    }
    if a.criteria.len() > MAX_ITEMS {
        return Err(spec_err("acceptance.criteria", format!("at most {MAX_ITEMS}")));
    }
    if a.min_confidence_bps > FULL_BPS {
        return Err(spec_err("acceptance.min_confidence_bps", "at most 10000"));
    }
    for (i, f) in a.fields.iter().enumerate() {
        spec_name(|| format!("acceptance.fields[{i}].name"), &f.name)?;
    }
    unique("acceptance.fields", a.fields.iter().map(|f| f.name.as_str()))?;
    for (i, c) in a.criteria.iter().enumerate() {
        let at = || format!("acceptance.criteria[{i}]");
        spec_name(|| format!("{}.name", at()), &c.name)?;
        if c.name == crate::verify::CONFIDENCE_CRITERION || c.name.starts_with("field:") {
            return Err(spec_err(format!("{}.name", at()), "`confidence` and `field:` names are reserved"));
        }
        let field = c.check.field();
        let Some(declared) = a.fields.iter().find(|f| f.name == field) else {
            return Err(spec_err(format!("{}.check.field", at()), format!("{field:?} is not a declared output field")));
        };
        // The path is built only for an error: a valid spec's checks allocate nothing here (a
        // `format!` per criterion had been a tenth of the mixed benchmark's time).
        check_shape(spec, &c.check, Some(declared.kind), &|| format!("{}.check", at()))?;
    }
    unique("acceptance.criteria", a.criteria.iter().map(|c| c.name.as_str()))
}

/// One check of a specification: its field's kind fits (`kind` is the declared kind at the top
/// level, unknown for a member of each item under `Each`), its bounds are sane, `Each` nests at
/// most [`MAX_CHECK_DEPTH`] deep, and a check that reads an input names an inline table with the
/// columns it reads, so that verification never meets a table it cannot read. `at` builds the
/// check's path, called only for an error.
fn check_shape(
    spec: &TaskSpec,
    check: &Check,
    kind: Option<FieldKind>,
    at: &dyn Fn() -> String,
) -> Result<(), Rejection> {
    let is = |wanted: &[FieldKind]| kind.is_none_or(|k| wanted.contains(&k));
    let text = is(&[FieldKind::Text]);
    let list = is(&[FieldKind::List]);
    if kind.is_none() {
        spec_name(|| format!("{}.field", at()), check.field())?;
    }
    match check {
        Check::Range { min, max, .. } => {
            if !is(&[FieldKind::Number, FieldKind::Integer]) {
                return Err(spec_err(at(), "range checks need a number field"));
            }
            if min.iter().chain(max.iter()).any(|r| !r.0.is_finite()) {
                return Err(spec_err(at(), "bounds must be finite"));
            }
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo.0 > hi.0 {
                    return Err(spec_err(at(), "min is above max"));
                }
            }
        }
        Check::OneOf { values, .. } => {
            if !text || values.is_empty() || values.len() > MAX_ITEMS {
                return Err(spec_err(at(), format!("one_of needs a text field and 1 to {MAX_ITEMS} values")));
            }
            if values.iter().any(|v| v.len() > MAX_NAME_LEN * 4) {
                return Err(spec_err(format!("{}.values", at()), "value too long"));
            }
        }
        Check::Pattern { pattern, .. } => {
            if !text || pattern.is_empty() || pattern.len() > MAX_NAME_LEN * 4 {
                return Err(spec_err(at(), "pattern needs a text field and 1 to 256 bytes"));
            }
        }
        Check::Length { min, max, .. } => {
            if !text {
                return Err(spec_err(at(), "length checks need a text field"));
            }
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    return Err(spec_err(at(), "min is above max"));
                }
            }
        }
        Check::Each { check: inner, .. } => {
            if !list {
                return Err(spec_err(at(), "each needs a list field"));
            }
            if check.depth() > MAX_CHECK_DEPTH {
                return Err(spec_err(at(), format!("each nests at most {MAX_CHECK_DEPTH} deep")));
            }
            check_shape(spec, inner, None, &|| format!("{}.check", at()))?;
        }
        Check::SumEquals { total, tolerance, .. } => {
            if !list {
                return Err(spec_err(at(), "sum_equals needs a list field"));
            }
            spec_name(|| format!("{}.total", at()), total)?;
            if kind.is_some() {
                let numeric = spec
                    .acceptance
                    .fields
                    .iter()
                    .any(|f| &f.name == total && matches!(f.kind, FieldKind::Number | FieldKind::Integer));
                if !numeric {
                    return Err(spec_err(
                        format!("{}.total", at()),
                        format!("{total:?} is not a declared number field"),
                    ));
                }
            }
            if tolerance.is_some_and(|t| !t.0.is_finite() || t.0 < 0.0) {
                return Err(spec_err(format!("{}.tolerance", at()), "must be finite and not negative"));
            }
        }
        Check::ItemsIn { key, input, column, .. } => {
            if !list {
                return Err(spec_err(at(), "items_in needs a list field"));
            }
            if let Some(key) = key {
                spec_name(|| format!("{}.key", at()), key)?;
            }
            table_columns(spec, input, &[column], at)?;
        }
        Check::OwnRecordOnly { key, text: member, input, id_column, name_column, .. } => {
            if !list {
                return Err(spec_err(at(), "own_record_only needs a list field"));
            }
            spec_name(|| format!("{}.key", at()), key)?;
            spec_name(|| format!("{}.text", at()), member)?;
            table_columns(spec, input, &[id_column, name_column], at)?;
        }
    }
    Ok(())
}

/// The input `input` of `spec` is an inline table with each of `columns`.
fn table_columns(spec: &TaskSpec, input: &str, columns: &[&String], at: &dyn Fn() -> String) -> Result<(), Rejection> {
    let Some(found) = spec.inputs.iter().find(|i| i.name == input) else {
        return Err(spec_err(format!("{}.input", at()), format!("{input:?} is not an input of the task")));
    };
    let Some(content) = &found.content else {
        return Err(spec_err(format!("{}.input", at()), format!("{input:?} has no inline content to check against")));
    };
    let table = crate::table::Table::parse(content)
        .map_err(|e| spec_err(format!("{}.input", at()), format!("{input:?} is {e}")))?;
    for column in columns {
        if table.column(column).is_none() {
            return Err(spec_err(at(), format!("input {input:?} has no column {column:?}")));
        }
    }
    Ok(())
}

/// What a new task may store: its own allowance grows with its escrow, and all of a client's
/// unfinished tasks share one bound, so state grows with what is paid for and no payer can grow
/// every snapshot without bound.
pub(crate) fn stored_bytes(spec: &TaskSpec, escrow: Money, client_live_bytes: u64) -> Result<(), Rejection> {
    let bytes = spec.stored_bytes();
    let allowed = task_bytes_allowed(escrow);
    if bytes > allowed {
        return Err(Rejection::too_large("task specification (bytes for its reward)", allowed));
    }
    if client_live_bytes.saturating_add(bytes as u64) > MAX_CLIENT_LIVE_BYTES {
        return Err(Rejection::too_large("unfinished tasks of one client (bytes)", MAX_CLIENT_LIVE_BYTES as usize));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{has_control, is_blank, name};
    use proptest::prelude::*;

    #[test]
    fn a_name_of_whitespace_alone_is_refused_as_empty() {
        for blank in ["", " ", "\u{3000}", " \u{a0} "] {
            assert!(is_blank(blank), "{blank:?}");
            let refusal = name("name", blank).expect_err("blank name accepted").to_string();
            assert!(refusal.contains("must not be empty"), "{refusal}");
        }
        assert!(!is_blank(" Invoice "));
        assert!(name("name", " Invoice ").is_ok());
    }

    #[test]
    fn control_characters_are_told_from_their_neighbours_in_utf8() {
        for control in ["\u{0}", "a\tb", "\u{1f}", "\u{7f}", "x\u{80}", "\u{85}y", "\u{9f}"] {
            assert!(has_control(control), "{control:?}");
        }
        // U+00A0 is 0xC2 0xA0, U+0100 is 0xC4 0x80: neighbours of the C1 range, not in it.
        for plain in ["", "Invoice 7", "\u{a0}", "\u{100}", "é", "\u{2028}", "日本"] {
            assert!(!has_control(plain), "{plain:?}");
        }
    }

    proptest! {
        #[test]
        fn the_byte_scan_agrees_with_char_is_control(value in "[\\x00-\\x{a1}a-zé\\x{100}\\x{2028}]{0,12}") {
            prop_assert_eq!(has_control(&value), value.chars().any(char::is_control));
        }
    }
}
