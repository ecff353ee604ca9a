//! ASCII case without copies: most of what the detectors compare (hosts of http(s) URLs,
//! element and parameter names, file extensions) is lower case already, so a lower-case copy
//! is made only of text that has a capital.

use std::borrow::Cow;

/// `text` in ASCII lower case, borrowed when it has no ASCII capital.
pub fn lower(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
