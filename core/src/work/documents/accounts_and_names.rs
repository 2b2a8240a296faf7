//! Finding who a document is about: the IBAN or registry id it prints and the name it is issued
//! to or by, in any layout the careful method knows, and names as comparable keys.

use super::DocType;

/// The first IBAN-like run in a text (two capital letters then at least 14 digits, spaces
/// ignored), compacted.
pub fn find_iban(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let compact: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
        (0..compact.len().saturating_sub(2)).find_map(|i| {
            let (a, b) = (compact[i], compact[i + 1]);
            let before_ok = i == 0 || !compact[i - 1].is_ascii_uppercase();
            if !(a.is_ascii_uppercase() && b.is_ascii_uppercase() && before_ok) {
                return None;
            }
            let digits: String = compact[i + 2..].iter().take_while(|c| c.is_ascii_digit()).collect();
            (digits.len() >= 14).then(|| format!("{a}{b}{digits}"))
        })
    })
}

/// A registry id (`P-` and four digits) printed in a text.
pub(super) fn find_party_id(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).find_map(|w| {
        let digits = w.strip_prefix("P-")?;
        (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| w.to_owned())
    })
}

/// A name as a comparable key: lower case, accents folded, honorifics dropped, words sorted (so "Schmidt,
/// Anna", "ANNA SCHMIDT" and "Anna Schmidt" are one name).
pub fn name_key(name: &str) -> Vec<String> {
    let mut words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().map(fold_accent).collect::<String>())
        .filter(|w| !matches!(w.as_str(), "mr" | "mrs" | "ms" | "dr"))
        .collect();
    words.sort();
    words
}

/// A letter without its accent, so "José" and "JOSE" compare equal.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// The value of a labelled line (`Label: value` or `Label | value`) whose label is one of
/// `labels` (case-insensitive).
fn labelled<'a>(text: &'a str, labels: &[&str]) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let (label, value) = line.split_once(':').or_else(|| line.split_once('|'))?;
        let label = label.trim().to_lowercase();
        labels.contains(&label.as_str()).then(|| value.trim()).filter(|v| !v.is_empty())
    })
}

/// The name a document is issued to or by, in any layout the careful method knows.
pub(super) fn document_name(text: &str, doc_type: DocType) -> Option<String> {
    if doc_type == DocType::IdRecord {
        if let Some(name) = labelled(text, &["name"]) {
            return Some(name.to_owned());
        }
        if let (Some(s), Some(g)) = (labelled(text, &["surname"]), labelled(text, &["given names"])) {
            return Some(format!("{g} {s}"));
        }
        let first = text.lines().next()?;
        return first.split('|').next().filter(|c| c.contains(',')).map(|c| c.trim().to_owned());
    }
    if let Some(name) = labelled(text, &["from", "payee", "payee name", "account holder", "holder"]) {
        return Some(name.to_owned());
    }
    let first = text.lines().next()?;
    if let Some((_, rest)) = first.split_once('(') {
        return rest.split(')').next().map(|n| n.trim().to_owned());
    }
    (!first.chars().any(|c| c.is_ascii_digit()) && first.contains(' ')).then(|| first.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::documents::printing::{iban_text, transliterate};

    #[test]
    fn accounts_ids_and_names_are_found_in_any_layout() {
        let iban = "DE12345678901234567890";
        for text in [
            format!("IBAN: {iban}"),
            format!("Name\nBank account {}", iban_text(iban, true)),
            format!("Statement for {} (Anna Schmidt)", iban_text(iban, true)),
        ] {
            assert_eq!(find_iban(&text).as_deref(), Some(iban), "{text}");
        }
        assert_eq!(find_iban("INVOICE INV-2024\nTotal: 1,650.00 EUR"), None);
        assert_eq!(find_party_id("SCHMIDT, ANNA | P-1234 | born"), Some("P-1234".to_owned()));
        assert_eq!(name_key("Schmidt, Anna"), name_key("ANNA SCHMIDT"));
        assert_ne!(name_key("Anna Schmitt"), name_key("Anna Schmidt"));
        // Accents fold; a spelled-out transliteration does not: the careful method's known limit.
        assert_eq!(name_key("José Núñez"), name_key("JOSE NUNEZ"));
        assert_ne!(name_key("Jürgen Müller"), name_key(&transliterate("Jürgen Müller").to_uppercase()));
        assert_eq!(
            document_name("Statement for X (Anna Schmidt)\nStart", DocType::Statement).as_deref(),
            Some("Anna Schmidt")
        );
        assert_eq!(
            document_name("ID P-1\nSurname: Berg\nGiven names: Eva", DocType::IdRecord).as_deref(),
            Some("Eva Berg")
        );
    }
}
