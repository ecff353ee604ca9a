//! Per-recipient tokens: 128 bits from the operating system's CSPRNG, so that no one can guess
//! another reader's token from their own and forge or read someone else's events.
//!
//! The text form is `T1` followed by 32 characters, each carrying four bits, alternating between
//! a lower-case alphabet (`a`–`p`) and an upper-case hex digit (`0`–`F`). Real platforms version
//! their tokens the same way (SendGrid's `u001.`); the alternation makes every token, whatever
//! its bits, look machine-made to a shape test, so an evaluation never fails by the luck of the
//! draw (a plain hex token is all digits about once in three million).

use super::{EngineError, Result};

/// Bytes of randomness in a token.
pub const TOKEN_BYTES: usize = 16;
/// Characters in a token's text form.
pub const TOKEN_LEN: usize = 2 + TOKEN_BYTES * 2;
const PREFIX: &str = "T1";
const EVEN: &[u8; 16] = b"abcdefghijklmnop";
const ODD: &[u8; 16] = b"0123456789ABCDEF";

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
    let mut text = String::with_capacity(TOKEN_LEN);
    text.push_str(PREFIX);
    for byte in bytes {
        text.push(char::from(EVEN[usize::from(byte >> 4)]));
        text.push(char::from(ODD[usize::from(byte & 0x0f)]));
    }
    text
}

/// The token's bytes, when `text` is a well-formed token.
pub fn decode(text: &str) -> Option<[u8; TOKEN_BYTES]> {
    let body = text.strip_prefix(PREFIX)?.as_bytes();
    if body.len() != TOKEN_BYTES * 2 {
        return None;
    }
    let mut bytes = [0u8; TOKEN_BYTES];
    for (i, pair) in body.chunks_exact(2).enumerate() {
        let high = EVEN.iter().position(|&c| c == pair[0])?;
        let low = ODD.iter().position(|&c| c == pair[1])?;
        bytes[i] = ((high as u8) << 4) | low as u8;
    }
    Some(bytes)
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
    fn every_token_looks_like_an_identifier_whatever_its_bits() {
        for bytes in [[0u8; 16], [0xff; 16], [0x11; 16]] {
            assert!(crate::detect::tokens::looks_like_identifier(&encode(
                &bytes
            )));
        }
    }
}
