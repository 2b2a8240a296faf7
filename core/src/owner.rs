//! Owner keys: the form of an owner's name that conflict-of-interest checks compare.
//!
//! "Acme", "acme ", "ACME", "ａｃｍｅ" and "acme\u{200B}" name one organisation; comparing the raw
//! strings let an agent slip past the conflict-of-interest gate by spelling. The key is NFKC
//! (compatibility forms folded: full-width letters, ligatures), lowercased, NFKC again (lowercasing
//! can un-normalise), with whitespace and invisible format characters removed. The market interns
//! each key to a small code per party (`owner_code`), so the hot ranking path compares integers.

use unicode_normalization::UnicodeNormalization;

/// The comparison key of an owner's name (see the module documentation). Empty when the name
/// has nothing visible, which registration refuses.
pub fn owner_key(owner: &str) -> String {
    let lowered: String = owner.nfkc().flat_map(char::to_lowercase).collect();
    lowered.nfkc().filter(|c| !c.is_whitespace() && !invisible(*c)).collect()
}

/// Characters that render as nothing: the Unicode general category `Cf` (format: zero-width
/// space and joiners, word joiner, byte-order mark, bidirectional controls, tags, ...), plus the
/// other default-ignorable characters an attacker could pad a name with (combining grapheme
/// joiner, variation selectors, Hangul fillers). Control characters (`Cc`) are refused earlier.
fn invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x034F
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

#[cfg(test)]
mod tests {
    use super::owner_key;

    #[test]
    fn spellings_of_one_owner_share_a_key() {
        for spelling in [
            "acme",
            "Acme",
            "acme ",
            " ACME",
            "acme\u{200B}",
            "a\u{200D}cme",
            "\u{FEFF}acme",
            "ａｃｍｅ",
            "ac me",
            "acme\u{2060}",
            "acme\u{E0041}",
        ] {
            assert_eq!(owner_key(spelling), "acme", "{spelling:?}");
        }
        assert_ne!(owner_key("acme"), owner_key("acne"));
        assert_eq!(owner_key("ﬁrm"), "firm", "ligatures fold under NFKC");
        assert_eq!(owner_key("Straße"), "straße");
    }

    #[test]
    fn invisible_names_have_an_empty_key() {
        assert!(owner_key("\u{200B}\u{200C} \u{FEFF}").is_empty());
    }
}
