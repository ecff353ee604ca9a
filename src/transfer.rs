//! Content-Transfer-Encoding and charset decoding of the body parts the detectors read (HTML,
//! AMP and plain text; report parts on request). Attachments never come here, but every HTML
//! part of every message does, so both decoders avoid per-byte work where they can:
//! quoted-printable jumps between the bytes that need attention and copies the runs in between
//! whole; base64 hands each clean line to the `base64` crate and walks byte by byte only through
//! lines that are not clean. Both are lenient: bad input decodes as far as it can, never fails.
//!
//! Where the input is well formed the output is byte for byte what mail-parser 0.11 produced
//! when it decoded every part, so findings do not move; the charset step is mail-parser's own.

use crate::ascii::byte_table;
use crate::byte_search::ThreeBytes;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use mail_parser::decoders::charsets::map::charset_decoder;
use std::borrow::Cow;

/// How a body is transfer-encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// 7bit, 8bit, binary, a missing header or a name nobody knows: the bytes are the content.
    Identity,
    QuotedPrintable,
    Base64,
}

impl Encoding {
    /// The encoding a Content-Transfer-Encoding value names.
    pub fn named(value: &str) -> Encoding {
        if value.eq_ignore_ascii_case("base64") {
            Encoding::Base64
        } else if value.eq_ignore_ascii_case("quoted-printable") {
            Encoding::QuotedPrintable
        } else {
            Encoding::Identity
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Identity => "7bit",
            Encoding::QuotedPrintable => "quoted-printable",
            Encoding::Base64 => "base64",
        }
    }
}

/// What ended a body: the quoted-printable decoder treats its last bytes accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ending {
    /// The end of the input.
    #[default]
    Data,
    /// A MIME delimiter on the next line: that line break belongs to the delimiter, and the
    /// blanks that end the body's last line go with it.
    Line,
    /// A MIME delimiter straight after the body, mid-line: an escape left open at the end is
    /// kept as written (mail-parser read the delimiter's first dash as its second character).
    Inline,
}

/// Decodes a body.
pub fn decode(raw: &[u8], encoding: Encoding, ending: Ending) -> Cow<'_, [u8]> {
    match encoding {
        Encoding::Identity => Cow::Borrowed(raw),
        Encoding::QuotedPrintable => Cow::Owned(quoted_printable(raw, ending)),
        Encoding::Base64 => Cow::Owned(base64(raw)),
    }
}

/// Decoded bytes as text in the part's declared charset (mail-parser's decoders, so legacy
/// charsets read as before); without a charset it knows, as UTF-8 with bad bytes replaced.
pub fn text<'a>(bytes: Cow<'a, [u8]>, charset: Option<&str>) -> Cow<'a, str> {
    // Plain ASCII in a charset that extends ASCII reads as itself: most "windows-1252" and
    // "iso-8859-1" parts are, and the decoders build their text a character at a time.
    let ascii_as_is = charset.is_some_and(extends_ascii) && bytes.is_ascii();
    if let Some(decoder) = charset
        .filter(|_| !ascii_as_is)
        .and_then(|name| charset_decoder(name.as_bytes()))
    {
        return Cow::Owned(decoder(&bytes));
    }
    match bytes {
        // `from_utf8` checks eight bytes at a time where the text is ASCII; `from_utf8_lossy`
        // goes a byte at a time even over valid text, so it is only asked when there is
        // something to replace.
        Cow::Borrowed(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(bytes),
        },
        Cow::Owned(bytes) => Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned()),
        ),
    }
}

/// Whether a charset keeps every ASCII byte as that character (the single-byte ISO and
/// Windows code pages do; UTF-7, UTF-16 and the ISO-2022 encodings do not).
fn extends_ascii(charset: &str) -> bool {
    let name = charset.trim();
    let numbered = |prefix: &str, range: std::ops::RangeInclusive<u32>| {
        crate::ascii::starts_with_ignore_case(name, prefix)
            .then(|| name.get(prefix.len()..)?.parse::<u32>().ok())
            .flatten()
            .is_some_and(|n| range.contains(&n))
    };
    ["us-ascii", "ascii", "latin1"]
        .iter()
        .any(|known| name.eq_ignore_ascii_case(known))
        || numbered("iso-8859-", 1..=16)
        || numbered("windows-", 1250..=1258)
        || numbered("cp", 1250..=1258)
}

/// Blanks that a quoted-printable line end removes when they end the line.
fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\x0c')
}

/// RFC 2045 quoted-printable, decoded as mail-parser did: soft breaks (`=` before a line end,
/// blanks allowed between) vanish, blanks that end a line are dropped, CR is dropped and line
/// ends are written as LF until the first CR is seen, CR LF after it. An `=` that starts no
/// escape is kept as written.
pub fn quoted_printable(raw: &[u8], ending: Ending) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    // Literal blanks at the end of `out`: a line end removes them, an escape does not.
    let mut blanks = 0usize;
    let mut crlf = false;
    let mut at = 0;
    // `=`, CR and LF: an escape every few dozen bytes in quoted-printable HTML (`=3D`).
    let specials = ThreeBytes::new(b'=', b'\r', b'\n');
    while let Some(found) = raw.get(at..).and_then(|rest| specials.find(rest)) {
        let special = at + found;
        copy_run(
            &mut out,
            raw.get(at..special).unwrap_or_default(),
            &mut blanks,
        );
        at = special + 1;
        match raw.get(special) {
            Some(b'\r') => crlf = true,
            Some(b'\n') => {
                out.truncate(out.len() - blanks);
                blanks = 0;
                out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
            _ => at = escape(raw, at, &mut out, &mut blanks, &mut crlf, ending),
        }
    }
    copy_run(&mut out, raw.get(at..).unwrap_or_default(), &mut blanks);
    if ending == Ending::Line {
        out.truncate(out.len() - blanks);
    }
    out
}

/// Appends a run of ordinary bytes, keeping count of the blanks that end `out`.
fn copy_run(out: &mut Vec<u8>, run: &[u8], blanks: &mut usize) {
    if run.is_empty() {
        return;
    }
    out.extend_from_slice(run);
    let trailing = run.iter().rev().take_while(|&&b| is_blank(b)).count();
    *blanks = if trailing == run.len() {
        *blanks + trailing
    } else {
        trailing
    };
}

/// Reads what follows an `=` (at `at`); returns where ordinary text resumes.
fn escape(
    raw: &[u8],
    mut at: usize,
    out: &mut Vec<u8>,
    blanks: &mut usize,
    crlf: &mut bool,
    ending: Ending,
) -> usize {
    // Blanks (and CRs) between `=` and what it escapes are skipped, as mail-parser skipped them.
    while let Some(&byte) = raw.get(at) {
        if byte == b'\r' {
            *crlf = true;
        } else if !is_blank(byte) {
            break;
        }
        at += 1;
    }
    let Some(&high) = raw.get(at) else {
        // `=` at the very end: nothing to escape.
        if ending == Ending::Inline {
            out.push(b'=');
            *blanks = 0;
        }
        return raw.len();
    };
    if high == b'\n' {
        // A soft line break; the blanks before the `=` stay.
        *blanks = 0;
        return at + 1;
    }
    *blanks = 0;
    let Some(h) = hex_value(high) else {
        // Not an escape: kept as written; `==` keeps the first, the second may start one.
        out.push(b'=');
        if high == b'=' {
            return at;
        }
        out.push(high);
        return at + 1;
    };
    match raw.get(at + 1) {
        Some(&low) => match hex_value(low) {
            Some(l) => {
                out.push(h << 4 | l);
                at + 2
            }
            // `=A` and then no second digit: kept as written. A line end or another `=` after
            // it is read as such.
            None if matches!(low, b'\r' | b'\n' | b'=') => {
                out.extend_from_slice(&[b'=', high]);
                at + 1
            }
            None => {
                out.extend_from_slice(&[b'=', high, low]);
                at + 2
            }
        },
        // Cut inside an escape: dropped, unless a delimiter cut it.
        None => {
            if ending == Ending::Inline {
                out.extend_from_slice(&[b'=', high]);
            }
            raw.len()
        }
    }
}

/// The value of one hex digit, either case (quoted-printable here, percent-escapes elsewhere).
pub(crate) fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        _ => None,
    }
}

/// Whole lines of clean base64 go through this engine: padding optional (a line may end in
/// `=`), trailing bits ignored as mail-parser ignored them.
const LINE_ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

const NOT_BASE64: u8 = 0xff;

/// Each byte's 6-bit value in the standard alphabet, or `NOT_BASE64`.
const BASE64_VALUES: [u8; 256] = byte_table!(|byte| match byte {
    b'A'..=b'Z' => byte - b'A',
    b'a'..=b'z' => byte - b'a' + 26,
    b'0'..=b'9' => byte - b'0' + 52,
    b'+' => 62,
    b'/' => 63,
    _ => NOT_BASE64,
});

/// Base64 as mail-parser decoded it: whitespace is skipped, `=` ends a group (and what the
/// group holds so far is written), a group cut short by the end is dropped. Bytes outside the
/// alphabet are skipped too (mail-parser gave up on the whole part there).
pub fn base64(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() / 4 * 3 + 3);
    let mut group = Group::default();
    // Whole lines are gathered and decoded in one call: a call per 76-character line cost
    // several times the decoding itself.
    // Room for the whole text in one run (the common case: every line clean), so gathering
    // never copies what it gathered.
    let mut run = Run {
        text: Vec::with_capacity(raw.len()),
        line_lengths: Vec::with_capacity(raw.len() / 64 + 1),
    };
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', raw).chain(std::iter::once(raw.len()));
    for end in ends {
        let line = trim_line_end(raw.get(start..end).unwrap_or_default());
        start = end + 1;
        if group.len == 0 && line.len().is_multiple_of(4) {
            run.push(line);
            continue;
        }
        run.decode(&mut out, &mut group);
        for &byte in line {
            group.push(byte, &mut out);
        }
    }
    run.decode(&mut out, &mut group);
    out
}

/// Consecutive lines of whole base64 groups, not yet decoded.
struct Run {
    text: Vec<u8>,
    line_lengths: Vec<usize>,
}

impl Run {
    fn push(&mut self, line: &[u8]) {
        self.text.extend_from_slice(line);
        self.line_lengths.push(line.len());
    }

    /// Decodes the lines as one text, or (when a `=` or a stray byte is in the way) line by
    /// line, as before they were gathered: the same bytes either way, since a text that
    /// decodes whole has padding only at its end.
    fn decode(&mut self, out: &mut Vec<u8>, group: &mut Group) {
        if self.text.is_empty() {
            self.line_lengths.clear();
            return;
        }
        if !decode_whole(&self.text, out) {
            let mut rest = &self.text[..];
            for &length in &self.line_lengths {
                let (line, after) = rest.split_at(length.min(rest.len()));
                rest = after;
                decode_line(line, out, group);
            }
        }
        self.text.clear();
        self.line_lengths.clear();
    }
}

/// Appends the decoding of `text` when it is clean base64 (padding only at its end); else
/// appends nothing and says so.
fn decode_whole(text: &[u8], out: &mut Vec<u8>) -> bool {
    let before = out.len();
    // The vectorised decoder first, several times faster on a part of some size. It takes
    // only canonical base64, which every decoder reads alike, and leaves the rest to ours.
    if base64_simd::STANDARD.decode_append(text, out).is_ok() {
        return true;
    }
    out.truncate(before);
    decode_clean(text, out)
}

/// Appends the decoding of `text` by the base64 crate, as mail-parser read a clean line; else
/// appends nothing and says so.
fn decode_clean(text: &[u8], out: &mut Vec<u8>) -> bool {
    let before = out.len();
    if LINE_ENGINE.decode_vec(text, out).is_ok() {
        return true;
    }
    // A failed decode leaves its scratch space behind.
    out.truncate(before);
    false
}

/// One line: whole when it is clean base64, else symbol by symbol.
fn decode_line(line: &[u8], out: &mut Vec<u8>, group: &mut Group) {
    if group.len == 0 && line.len().is_multiple_of(4) && decode_clean(line, out) {
        return;
    }
    for &byte in line {
        group.push(byte, out);
    }
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let kept = line
        .iter()
        .rposition(|&b| !matches!(b, b'\r' | b' ' | b'\t'))
        .map_or(0, |last| last + 1);
    line.get(..kept).unwrap_or_default()
}

/// A base64 group being filled one symbol at a time.
#[derive(Default)]
struct Group {
    bits: u32,
    len: u8,
}

impl Group {
    fn push(&mut self, byte: u8, out: &mut Vec<u8>) {
        let value = BASE64_VALUES[usize::from(byte)];
        if value != NOT_BASE64 {
            self.bits = self.bits << 6 | u32::from(value);
            self.len += 1;
            if self.len == 4 {
                out.extend_from_slice(&self.bits.to_be_bytes()[1..]);
                *self = Group::default();
            }
        } else if byte == b'=' {
            // Written as mail-parser wrote it: a lone symbol still gives its six bits.
            match self.len {
                1 => out.push((self.bits << 2) as u8),
                2 => out.push((self.bits >> 4) as u8),
                3 => out.extend_from_slice(&[(self.bits >> 10) as u8, (self.bits >> 2) as u8]),
                _ => {}
            }
            *self = Group::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_a_known_charset_is_utf8_with_bad_bytes_replaced() {
        let valid = "caf\u{e9} \u{2014} ok".as_bytes();
        assert!(matches!(
            text(Cow::Borrowed(valid), None),
            Cow::Borrowed("caf\u{e9} \u{2014} ok")
        ));
        let bad: &[u8] = b"a \xff b \xe2\x80 c";
        let expected = "a \u{fffd} b \u{fffd} c";
        assert_eq!(text(Cow::Borrowed(bad), None), expected);
        assert_eq!(text(Cow::Owned(bad.to_vec()), None), expected);
        assert_eq!(text(Cow::Borrowed(bad), Some("x-unknown")), expected);
    }

    fn qp(raw: &str) -> String {
        String::from_utf8(quoted_printable(raw.as_bytes(), Ending::Data)).unwrap()
    }

    #[test]
    fn quoted_printable_soft_breaks_and_escapes() {
        assert_eq!(
            qp("src=3D\"https://t.ex=\nample/o\""),
            "src=\"https://t.example/o\""
        );
        assert_eq!(
            qp("src=3D\"https://t.ex=\r\nample/o\""),
            "src=\"https://t.example/o\""
        );
        // A soft break may have blanks after the `=`.
        assert_eq!(qp("one=  \ntwo"), "onetwo");
        assert_eq!(qp("caf=C3=A9"), "café");
        assert_eq!(qp("caf=c3=a9"), "café");
    }

    #[test]
    fn quoted_printable_keeps_bad_escapes_as_written() {
        assert_eq!(qp("bad =ZZ end="), "bad =ZZ end");
        assert_eq!(qp("a==b c"), "a==b c");
        assert_eq!(qp("x=3"), "x");
        assert_eq!(qp("=A-"), "=A-");
        assert_eq!(qp("=A x"), "=A x");
        // An escape cut by a delimiter in mid-line is kept; cut by the end of input, dropped.
        assert_eq!(quoted_printable(b"x=A", Ending::Inline), b"x=A");
        assert_eq!(quoted_printable(b"x=", Ending::Inline), b"x=");
        assert_eq!(qp("==41"), "=A");
    }

    #[test]
    fn quoted_printable_line_ends_lose_their_blanks_but_not_escaped_ones() {
        assert_eq!(qp("hello  \nworld"), "hello\nworld");
        assert_eq!(qp("hello=20\nworld"), "hello \nworld");
        assert_eq!(qp("a\r\nb\r\n"), "a\r\nb\r\n");
        // Before a delimiter the last line end is the delimiter's, and so are its blanks.
        assert_eq!(quoted_printable(b"last  ", Ending::Line), b"last");
        assert_eq!(quoted_printable(b"last  ", Ending::Data), b"last  ");
    }

    /// Text encoded the way a sender's software encodes it decodes back to itself, whatever the
    /// distance between escapes: long plain runs, escapes side by side, soft breaks at every
    /// line length, on both line-end conventions.
    #[test]
    fn quoted_printable_decodes_what_an_encoder_wrote() {
        let mut seed = 11u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            seed >> 16
        };
        for case in 0..300 {
            // Lines of plain letters with, now and then, a byte that must be escaped.
            let mut text = Vec::new();
            for _ in 0..1 + next() % 6 {
                for _ in 0..next() % 300 {
                    let pick = next();
                    text.push(match pick % 23 {
                        0 => b'=',
                        1 => 0xC3,
                        2 => b'\t',
                        _ => b'a' + (pick % 26) as u8,
                    });
                }
                text.push(b'\n');
            }
            let (newline, width): (&[u8], usize) = if case % 2 == 0 {
                (b"\n", 20 + (next() % 60) as usize)
            } else {
                (b"\r\n", 76)
            };
            let mut encoded = Vec::new();
            for line in text.split_inclusive(|&b| b == b'\n') {
                let mut column = 0;
                for &byte in &line[..line.len() - 1] {
                    let piece = if byte == b'=' || !byte.is_ascii() || byte == b'\t' {
                        format!("={byte:02X}").into_bytes()
                    } else {
                        vec![byte]
                    };
                    if column + piece.len() > width {
                        encoded.push(b'=');
                        encoded.extend_from_slice(newline);
                        column = 0;
                    }
                    column += piece.len();
                    encoded.extend_from_slice(&piece);
                }
                encoded.extend_from_slice(newline);
            }
            // The decoder writes line ends as the text wrote them.
            let expected: Vec<u8> = text
                .iter()
                .flat_map(|b| match b {
                    b'\n' => newline,
                    b => std::slice::from_ref(b),
                })
                .copied()
                .collect();
            assert_eq!(
                quoted_printable(&encoded, Ending::Data),
                expected,
                "case {case}: {:?}",
                String::from_utf8_lossy(&encoded)
            );
        }
    }

    #[test]
    fn base64_tolerates_line_breaks_blanks_and_junk() {
        assert_eq!(base64(b"aGVsbG8g\r\nd29ybGQ=\r\n"), b"hello world");
        assert_eq!(base64(b"aGVs bG8g d29y bGQ="), b"hello world");
        assert_eq!(base64(b"aGVsbG8g\n!!d29y*bGQ=\n"), b"hello world");
        // Lines whose length is not a multiple of four carry their group into the next line.
        assert_eq!(base64(b"aGVsbG\n8gd29ybGQ=\n"), b"hello world");
    }

    /// Decoding gathered lines in one call gives what decoding them one by one gives, on
    /// clean parts and on parts with padding, junk and short lines in the middle.
    #[test]
    fn base64_runs_decode_as_their_lines_do() {
        let clean = "aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxpbmUgb2YgYmFzZTY0IHRleHQgZm9yIHRlc3Rpbmcu";
        // Padding, non-canonical trailing bits (`QR==`, `QUJ=`), junk, short and blank lines.
        let odd_lines = [
            "QQ==", "QUI=", "QR==", "QUJ=", "====", "QU!D", "QUJ", "aGk=aGk=", "", " ", "QUJD",
        ];
        let mut seed = 7u32;
        for _ in 0..400 {
            let mut raw = Vec::new();
            let lines = 1 + seed % 9;
            for _ in 0..lines {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let pick = (seed >> 16) as usize;
                if pick.is_multiple_of(3) {
                    raw.extend_from_slice(odd_lines[pick % odd_lines.len()].as_bytes());
                } else {
                    raw.extend_from_slice(&clean.as_bytes()[..(pick % 19) * 4]);
                }
                raw.extend_from_slice(if pick.is_multiple_of(2) {
                    b"\r\n"
                } else {
                    b"\n"
                });
            }
            let mut one_by_one = Vec::new();
            let mut group = Group::default();
            let text = String::from_utf8_lossy(&raw).into_owned();
            for line in text.split('\n') {
                decode_line(trim_line_end(line.as_bytes()), &mut one_by_one, &mut group);
            }
            assert_eq!(base64(&raw), one_by_one, "{text:?}");
        }
    }

    #[test]
    fn base64_cut_mid_group_keeps_what_is_whole() {
        assert_eq!(base64(b"aGVsbG8gd29y\nbGQ"), b"hello wor");
        // `=` in the middle ends a group; decoding goes on after it.
        assert_eq!(base64(b"aGk=aGk="), b"hihi");
    }

    /// The charsets read as themselves when ASCII are those whose decoder says so.
    #[test]
    fn ascii_reads_as_itself_in_every_charset_that_extends_it() {
        let ascii: Vec<u8> = (0u8..0x80).collect();
        let names = [
            "us-ascii",
            "ASCII",
            "latin1",
            "iso-8859-1",
            "ISO-8859-15",
            "windows-1252",
        ];
        let numbered = (1..=16)
            .map(|n| format!("iso-8859-{n}"))
            .chain((1250..=1258).flat_map(|n| [format!("windows-{n}"), format!("cp{n}")]));
        for name in names.iter().map(|n| n.to_string()).chain(numbered) {
            assert!(extends_ascii(&name), "{name}");
            if let Some(decoder) = charset_decoder(name.as_bytes()) {
                assert_eq!(decoder(&ascii).as_bytes(), &ascii[..], "{name}");
            }
        }
        for name in [
            "utf-7",
            "utf-16",
            "iso-2022-jp",
            "iso-8859-17",
            "windows-1259",
            "cp437",
        ] {
            assert!(!extends_ascii(name), "{name}");
        }
    }

    #[test]
    fn charsets_are_mail_parsers() {
        assert_eq!(text(Cow::Borrowed(b"caf\xe9"), Some("iso-8859-1")), "café");
        assert_eq!(text(Cow::Borrowed(b"caf\xe9"), None), "caf\u{fffd}");
        assert!(matches!(
            text(Cow::Borrowed(b"plain"), Some("utf-8")),
            Cow::Borrowed(_)
        ));
    }
}
