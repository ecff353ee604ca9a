//! ASCII case without copies: most of what the detectors compare (hosts of http(s) URLs,
//! element and parameter names, file extensions) is lower case already, so a lower-case copy
//! is made only of text that has a capital.

use std::borrow::Cow;

/// A 256-entry lookup table built at compile time: `byte_table!(|byte| value)` gives each
/// byte (a `u8`) the value the expression works out for it. The scanners' hot loops ask a
/// table instead of a chain of comparisons, and each table is then written as the rule it
/// encodes.
macro_rules! byte_table {
    (|$byte:ident| $value:expr) => {{
        let mut table = [{
            let $byte: u8 = 0;
            $value
        }; 256];
        let mut index = 1;
        while index < 256 {
            let $byte = index as u8;
            table[index] = $value;
            index += 1;
        }
        table
    }};
}
pub(crate) use byte_table;

/// `text` in ASCII lower case, borrowed when it has no ASCII capital.
pub fn lower(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `text` starts with `prefix`, ignoring ASCII case (URL schemes, `share…` words,
/// charset names).
pub fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_ignore_ascii_case_only() {
        assert!(starts_with_ignore_case("HTTPS://x", "https:"));
        assert!(starts_with_ignore_case("éSHARE", "éshare"));
        assert!(!starts_with_ignore_case("http", "https:"));
        assert!(!starts_with_ignore_case("ÉSH", "ésh"));
        // The prefix may end inside a character of the text: bytes are compared, nothing splits.
        assert!(!starts_with_ignore_case("€uro", "x"));
        assert!(starts_with_ignore_case("€uro", "\u{20ac}"));
    }

    #[test]
    fn a_byte_table_holds_each_bytes_value() {
        const DOUBLED: [u16; 256] = byte_table!(|byte| byte as u16 * 2);
        for (byte, value) in DOUBLED.iter().enumerate() {
            assert_eq!(*value as usize, byte * 2);
        }
    }

    #[test]
    fn copies_only_text_with_a_capital() {
        assert!(matches!(
            lower("shop.example"),
            Cow::Borrowed("shop.example")
        ));
        assert_eq!(lower("Shop.EXAMPLE"), "shop.example");
        assert!(matches!(lower("Shop"), Cow::Owned(_)));
        // Only ASCII letters change: other characters are kept as written.
        assert_eq!(lower("ÄB-ü"), "Äb-ü");
    }
}
