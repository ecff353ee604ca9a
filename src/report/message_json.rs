//! A message's compact JSON, written by hand: the same bytes as `serde_json::to_vec` of the
//! derived `Serialize` (a test holds the two together), in about a quarter of the
//! instructions. serde_json escapes a string by looking up every byte in a table; here eight
//! bytes at a time are tested for the few that need escaping (`"`, `\` and controls), and
//! the field names are written as constants. Rendering was 3.5 % of a scan.

use super::MessageReport;
use crate::finding::Finding;
use crate::locator::Locator;

/// Appends the compact JSON of `report` to `out`.
pub fn write_message(report: &MessageReport, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"locator\":");
    write_locator(&report.locator, out);
    write_field(b",\"message_id\":", report.message_id.as_deref(), out);
    write_field(b",\"from\":", report.from.as_deref(), out);
    write_field(b",\"date\":", report.date.as_deref(), out);
    write_field(b",\"subject\":", report.subject.as_deref(), out);
    match report.read {
        Some(true) => out.extend_from_slice(b",\"read\":true"),
        Some(false) => out.extend_from_slice(b",\"read\":false"),
        None => {}
    }
    out.extend_from_slice(b",\"findings\":[");
    write_joined(&report.findings, out, write_finding);
    out.push(b']');
    if !report.warnings.is_empty() {
        out.extend_from_slice(b",\"warnings\":[");
        write_joined(&report.warnings, out, |warning, out| {
            write_str(warning, out)
        });
        out.push(b']');
    }
    out.push(b'}');
}

/// Items separated by commas, each written by `write`.
fn write_joined<T>(
    items: impl IntoIterator<Item = T>,
    out: &mut Vec<u8>,
    mut write: impl FnMut(T, &mut Vec<u8>),
) {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(item, out);
    }
}

fn write_locator(locator: &Locator, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"path\":");
    write_str(&locator.path, out);
    if let Some(entry) = &locator.entry {
        out.extend_from_slice(b",\"entry\":");
        write_str(entry, out);
    }
    if let Some(offset) = locator.offset {
        out.extend_from_slice(b",\"offset\":");
        out.extend_from_slice(itoa::Buffer::new().format(offset).as_bytes());
    }
    if let Some(part) = &locator.part {
        out.extend_from_slice(b",\"part\":");
        write_str(part, out);
    }
    out.push(b'}');
}

fn write_finding(finding: &Finding, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"kind\":\"");
    out.extend_from_slice(finding.kind.as_str().as_bytes());
    write_field(b"\",\"technique\":", Some(&finding.technique), out);
    write_field(b",\"vendor\":", finding.vendor.as_deref(), out);
    write_field(b",\"rule\":", finding.rule.as_deref(), out);
    // Left out when absent (`skip_serializing_if`), not written as null.
    if let Some(url) = &finding.url {
        write_field(b",\"url\":", Some(url), out);
    }
    if let Some(header) = &finding.header {
        write_field(b",\"header\":", Some(header), out);
    }
    out.extend_from_slice(match finding.third_party {
        None => b",\"third_party\":null,\"confidence\":\"",
        Some(true) => b",\"third_party\":true,\"confidence\":\"",
        Some(false) => b",\"third_party\":false,\"confidence\":\"",
    });
    out.extend_from_slice(finding.confidence.as_str().as_bytes());
    write_field(b"\",\"evidence\":", Some(&finding.evidence), out);
    write_field(b",\"location\":", Some(&finding.location), out);
    if !finding.details.is_empty() {
        out.extend_from_slice(b",\"details\":{");
        write_joined(&finding.details, out, |(name, value), out| {
            write_str(name, out);
            out.push(b':');
            write_str(value, out);
        });
        out.push(b'}');
    }
    out.push(b'}');
}

/// A field's separator and name (`,"from":`), then its value: a string, or null when `None`.
fn write_field(name: &[u8], text: Option<&str>, out: &mut Vec<u8>) {
    out.extend_from_slice(name);
    match text {
        Some(text) => write_str(text, out),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string as serde_json writes it: `"` and `\` escaped with a backslash, the controls
/// below U+0020 as `\b \t \n \f \r` or `\u00XX`, everything else (DEL, non-ASCII) as it is.
fn write_str(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    while let Some(at) = next_escape(bytes, start) {
        out.extend_from_slice(&bytes[start..at]);
        write_escape(bytes[at], out);
        start = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// The position of the first byte at or after `from` that needs escaping.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut at = from;
    // Eight bytes at a time: a word with no control, quote or backslash is passed whole. The
    // test may flag a clean word (the `haszero` trick is exact only up to its first hit, and
    // bytes of 0x80 and up can set high bits); the byte loop then decides.
    while at + 8 <= bytes.len() {
        let word = u64::from_ne_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
        let control = word.wrapping_sub(ONES * 0x20);
        let quote = (word ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
        let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
        if (control | quote | backslash) & !word & HIGHS != 0 {
            break;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .map(|i| at + i)
}

fn write_escape(byte: u8, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match byte {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\x08' => out.extend_from_slice(b"\\b"),
        b'\t' => out.extend_from_slice(b"\\t"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\x0c' => out.extend_from_slice(b"\\f"),
        b'\r' => out.extend_from_slice(b"\\r"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(byte >> 4)],
            HEX[usize::from(byte & 0xf)],
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Confidence, Kind};
    use std::collections::BTreeMap;

    fn finding(text: &str, third_party: Option<bool>, optional: bool) -> Finding {
        Finding {
            kind: Kind::ALL[text.len() % Kind::ALL.len()],
            technique: format!("technique {text}"),
            vendor: optional.then(|| text.to_owned()),
            rule: optional.then(|| format!("rule/{text}")),
            url: optional.then(|| format!("https://t.example/{text}")),
            header: (!optional).then(|| format!("X-Header: {text}")),
            third_party,
            confidence: [Confidence::Low, Confidence::Medium, Confidence::High][text.len() % 3],
            evidence: text.to_owned(),
            location: format!("part 1 img src {text}"),
            details: if optional {
                BTreeMap::from([
                    (text.to_owned(), "value".to_owned()),
                    ("address".to_owned(), text.to_owned()),
                ])
            } else {
                BTreeMap::new()
            },
        }
    }

    fn same_as_serde(report: &MessageReport) {
        let mut ours = Vec::new();
        write_message(report, &mut ours);
        let theirs = serde_json::to_vec(report).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }

    /// Strings with every byte that needs escaping, at every position relative to the
    /// eight-byte words, beside non-ASCII text and DEL.
    fn tricky_strings() -> Vec<String> {
        let mut texts = vec![
            String::new(),
            "plain".to_owned(),
            "é€😀\u{7f}\u{2028}".to_owned(),
        ];
        for special in (0u8..0x20).chain([b'"', b'\\', b'/', 0x7f]) {
            for position in 0..18 {
                let mut text = "abcdefghijklmnopq€".to_owned();
                let at = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(position)
                    .unwrap_or(text.len());
                text.insert(at, char::from(special));
                texts.push(text);
            }
        }
        texts
    }

    #[test]
    fn every_string_is_escaped_as_serde_json_escapes_it() {
        for text in tricky_strings() {
            let mut ours = Vec::new();
            write_str(&text, &mut ours);
            assert_eq!(ours, serde_json::to_vec(&text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn messages_render_as_the_derived_serialisation_does() {
        let texts = tricky_strings();
        for (i, text) in texts.iter().enumerate() {
            let third_party = [None, Some(true), Some(false)][i % 3];
            same_as_serde(&MessageReport {
                locator: Locator {
                    path: text.clone(),
                    entry: (i % 3 == 1).then(|| text.clone()),
                    offset: (i % 2 == 0).then_some(i as u64 * 1_000_003),
                    part: (i % 4 == 1).then(|| format!("{i}/1")),
                },
                message_id: (i % 3 != 0).then(|| text.clone()),
                from: (i % 4 != 0).then(|| text.clone()),
                date: (i % 5 != 0).then(|| text.clone()),
                subject: (i % 2 != 0).then(|| text.clone()),
                read: [None, Some(true), Some(false)][i % 3],
                findings: (0..i % 4)
                    .map(|n| finding(text, third_party, n % 2 == 0))
                    .collect(),
                warnings: (0..i % 3).map(|n| format!("{n} {text}")).collect(),
            });
        }
    }
}
