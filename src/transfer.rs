//! Content-Transfer-Encoding decoding for the rare part mail-parser leaves raw (the last part of
//! a multipart cut before its closing boundary). Lenient: bad input decodes as far as it can.

use base64::Engine;

/// Decodes `quoted-printable` or `base64`; anything else is returned as it is.
pub fn decode(raw: &[u8], encoding: &str) -> Vec<u8> {
    match encoding.trim() {
        "quoted-printable" => quoted_printable(raw),
        "base64" => base64(raw),
        _ => raw.to_vec(),
    }
}

fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let byte = raw[i];
        if byte != b'=' {
            out.push(byte);
            i += 1;
            continue;
        }
        let rest = &raw[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3; // soft line break
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if let (Some(&hi), Some(&lo)) = (rest.first(), rest.get(1)) {
            match (hex_value(hi), hex_value(lo)) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    out.push(b'=');
                    i += 1;
                }
            }
        } else {
            out.push(b'=');
            i += 1;
        }
    }
    out
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

fn base64(raw: &[u8]) -> Vec<u8> {
    let compact: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/'))
        .collect();
    // Decode whole quanta only: a cut part ends mid-quantum.
    let usable = compact.len() - compact.len() % 4;
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&compact[..usable])
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_soft_breaks_and_escapes() {
        assert_eq!(
            decode(b"src=3D\"https://t.ex=\nample/o\"", "quoted-printable"),
            b"src=\"https://t.example/o\""
        );
        assert_eq!(decode(b"bad =ZZ end=", "quoted-printable"), b"bad =ZZ end=");
    }

    #[test]
    fn base64_cut_mid_quantum_keeps_what_is_whole() {
        assert_eq!(decode(b"aGVsbG8gd29y\nbGQ", "base64"), b"hello wor");
    }
}
