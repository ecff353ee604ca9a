//! Per-recipient tokens: 128 bits from the operating system's CSPRNG, so that no one can guess
//! another reader's token from their own and forge or read someone else's events.
//!
//! The text form is `T1` followed by the 16 bytes in unpadded base64url (22 characters): a
//! version prefix as real platforms use (SendGrid's `u001.`), then exactly the random bits,
//! shaped like the tokens found in the wild. Nothing in the shape is tuned to the detector.

use super::{EngineError, Result};

/// Bytes of randomness in a token.
pub const TOKEN_BYTES: usize = 16;
/// Characters in a token's text form.
pub const TOKEN_LEN: usize = 2 + 22;
const PREFIX: &str = "T1";

/// Fresh random bytes from the OS.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| EngineError::Random(e.to_string()))?;
    Ok(bytes)
}

/// A new token.
pub fn new_token() -> Result<String> {
    Ok(encode(&random_bytes::<TOKEN_BYTES>()?))
}

pub fn encode(bytes: &[u8; TOKEN_BYTES]) -> String {
    use base64::Engine;
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The token's bytes, when `text` is a well-formed token.
pub fn decode(text: &str) -> Option<[u8; TOKEN_BYTES]> {
    use base64::Engine;
    let body = text.strip_prefix(PREFIX)?;
    if body.len() != TOKEN_LEN - PREFIX.len() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .ok()?;
    let bytes: [u8; TOKEN_BYTES] = bytes.try_into().ok()?;
    // Only the canonical spelling: the last character carries two unused bits.
    (encode(&bytes) == text).then_some(bytes)
}

/// Finds the first well-formed token in `text` and returns it with what follows it.
pub fn find(text: &str) -> Option<(&str, &str)> {
    let mut from = 0;
    while let Some(pos) = text.get(from..)?.find(PREFIX) {
        let start = from + pos;
        if let Some(candidate) = text.get(start..start + TOKEN_LEN) {
            if decode(candidate).is_some() {
                return Some((candidate, &text[start + TOKEN_LEN..]));
            }
        }
        from = start + 1;
    }
    None
}

/// Lower-case hex of `bytes` (message ids and SES-style ids derived from a token).
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_found_inside_urls() {
        let token = new_token().unwrap();
        assert_eq!(token.len(), TOKEN_LEN);
        let bytes = decode(&token).unwrap();
        assert_eq!(encode(&bytes), token);
        let url = format!("/ls/click?upn=u001.{token}-l2");
        assert_eq!(find(&url), Some((token.as_str(), "-l2")));
        assert!(find("/o/T1zz").is_none());
    }

    #[test]
    fn fresh_tokens_are_unique_and_the_detector_takes_them_for_identifiers() {
        let tokens: Vec<String> = (0..2_000).map(|_| new_token().unwrap()).collect();
        let distinct: std::collections::HashSet<&String> = tokens.iter().collect();
        assert_eq!(distinct.len(), tokens.len());
        // Random base64url can, about 3 times in a million, spell something slug-like
        // (`T1JJSaAX3_1-mtaecmrhgr_A`); a detector that missed more than 2 in 2,000 would be
        // missing the engine's tokens for real.
        let missed: Vec<&String> = tokens
            .iter()
            .filter(|token| !crate::detect::tokens::looks_like_identifier(token))
            .collect();
        assert!(missed.len() <= 2, "{missed:?}");
    }
}
