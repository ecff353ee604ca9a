//! A small MIME writer: just what a campaign needs (headers, multipart/alternative with text,
//! AMP and HTML, quoted-printable bodies), written here so the messages are exactly what we
//! decide, byte for byte, with CRLF line ends as they travel over SMTP.

use std::fmt::Write as _;

/// One body part.
pub struct Part {
    pub content_type: &'static str,
    pub body: String,
}

/// A message under construction.
#[derive(Default)]
pub struct MessageWriter {
    headers: Vec<(String, String)>,
    parts: Vec<Part>,
}

/// Longest encoded line, as RFC 2045 requires for quoted-printable.
const QP_LINE: usize = 76;

impl MessageWriter {
    pub fn header(&mut self, name: &str, value: &str) -> &mut Self {
        // Header injection is impossible by construction: line breaks never reach the output.
        let clean: String = value
            .chars()
            .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
            .collect();
        self.headers.push((name.to_owned(), clean));
        self
    }

    pub fn part(&mut self, content_type: &'static str, body: String) -> &mut Self {
        self.parts.push(Part { content_type, body });
        self
    }

    /// The message as it would be handed to SMTP `DATA`; `boundary` must not occur in the parts.
    pub fn render(&self, boundary: &str) -> String {
        let mut out = String::new();
        for (name, value) in &self.headers {
            let _ = write!(out, "{name}: {}\r\n", encode_header(value));
        }
        out.push_str("MIME-Version: 1.0\r\n");
        match self.parts.as_slice() {
            [single] => {
                let _ = write!(
                    out,
                    "Content-Type: {}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
                    single.content_type
                );
                out.push_str(&quoted_printable(&single.body));
            }
            parts => {
                let _ = write!(
                    out,
                    "Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n"
                );
                out.push_str("This is a multi-part message in MIME format.\r\n");
                for part in parts {
                    let _ = write!(
                        out,
                        "\r\n--{boundary}\r\nContent-Type: {}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
                        part.content_type
                    );
                    out.push_str(&quoted_printable(&part.body));
                }
                let _ = write!(out, "\r\n--{boundary}--\r\n");
            }
        }
        out
    }
}

/// RFC 2047 encoded-word for a header value that is not plain ASCII.
fn encode_header(value: &str) -> String {
    if value.is_ascii() {
        return value.to_owned();
    }
    use base64::Engine;
    format!(
        "=?utf-8?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(value.as_bytes())
    )
}

/// Quoted-printable (RFC 2045): lines soft-broken at 76 characters, `=` and non-ASCII escaped,
/// trailing white space protected, line ends made CRLF.
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut width = 0;
        let bytes = line.as_bytes();
        for (i, &byte) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let plain = (byte == b' ' || byte == b'\t') && !last
                || (33..=126).contains(&byte) && byte != b'=';
            let piece_len = if plain { 1 } else { 3 };
            if width + piece_len > QP_LINE - 1 {
                out.push_str("=\r\n");
                width = 0;
            }
            if plain {
                out.push(char::from(byte));
            } else {
                let _ = write!(out, "={byte:02X}");
            }
            width += piece_len;
        }
        out.push_str("\r\n");
    }
    out
}

/// An RFC 5322 date for a Unix time (UTC).
pub fn rfc5322_date(unix: i64) -> String {
    let (y, mo, d, h, mi, s, wd) = civil(unix);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {d:02} {} {y} {h:02}:{mi:02}:{s:02} +0000",
        DAYS[wd],
        MONTHS[(mo - 1) as usize]
    )
}

/// ISO 8601 / RFC 3339 (UTC, seconds) for a Unix time.
pub fn rfc3339(unix: i64) -> String {
    let (y, mo, d, h, mi, s, _) = civil(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// (year, month, day, hour, minute, second, days since a Thursday) for a Unix time, by the
/// days-from-civil algorithm (proleptic Gregorian calendar).
fn civil(unix: i64) -> (i64, i64, i64, i64, i64, i64, usize) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        days.rem_euclid(7) as usize,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_formatted_in_utc() {
        assert_eq!(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc3339(1_709_712_345), "2024-03-06T08:05:45Z");
        assert_eq!(
            rfc5322_date(1_709_712_345),
            "Wed, 06 Mar 2024 08:05:45 +0000"
        );
    }

    #[test]
    fn quoted_printable_escapes_and_wraps() {
        let long = format!("<a href=\"x\">{}</a> ", "y".repeat(100));
        let qp = quoted_printable(&long);
        assert!(qp.contains("=3D"));
        assert!(qp.lines().all(|l| l.len() <= QP_LINE));
        assert!(qp.trim_end().ends_with("=20"));
        assert_eq!(quoted_printable("caf\u{e9}"), "caf=C3=A9\r\n");
    }
}
