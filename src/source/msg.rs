//! Outlook `.msg` files: a message saved or dragged out of Outlook, and what users send a
//! security team when they report a phishing mail. A `.msg` is not MIME but a Compound File
//! (the container of old Office documents) of MAPI properties, one stream each, named
//! `__substg1.0_IIIITTTT` for property id `IIII` of type `TTTT` ([MS-OXMSG]). It is rebuilt
//! here into the MIME message the rest of the scan reads:
//!
//! - the header block is the one Outlook kept from delivery (`PR_TRANSPORT_MESSAGE_HEADERS`),
//!   without the fields that described the original MIME structure; a message never delivered
//!   (a draft, a sent item) gets From, To, Subject, Date and Message-ID from its properties;
//! - the bodies are the plain text (`PR_BODY`) and the HTML (`PR_HTML`, or the HTML that
//!   Outlook wrapped in compressed RTF, see [`crate::source::rtf`]);
//! - an attached message (an embedded Outlook message, or an attached `.eml`) becomes a
//!   `message/rfc822` part, which the scan reads as a message of its own (see
//!   `MessageView::enclosed_messages`): a phishing mail reported as an attachment is scanned
//!   with its own sender and findings.
//!
//! Other attachments are left out: the detectors never look at them.

use super::rtf;
use base64::Engine;
use std::io::{Cursor, Read};

/// A Compound File's first eight bytes.
pub const COMPOUND_FILE_MAGIC: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/// Attached messages opened inside attached messages, at most.
const MAX_DEPTH: usize = 8;

/// Attachments looked at per message, at most.
const MAX_ATTACHMENTS: usize = 256;

/// A `.msg` file rebuilt as MIME, with what was noticed on the way.
#[derive(Debug)]
pub struct Rebuilt {
    pub message: Vec<u8>,
    pub warnings: Vec<String>,
    /// Whether Outlook had marked the message read (`PR_MESSAGE_FLAGS`, bit `MSGFLAG_READ`).
    pub read: Option<bool>,
}

/// Rebuilds the Outlook message in `bytes`. An error says why the file cannot be read.
pub fn rebuild(bytes: &[u8]) -> Result<Rebuilt, String> {
    // The container reader checks the structure it walks, but a file is anyone's bytes: a
    // panic in it must cost this file, not the scan.
    std::panic::catch_unwind(|| rebuild_file(bytes))
        .unwrap_or_else(|_| Err("the compound file is malformed (its reader gave up)".to_owned()))
}

/// An enclosed message that is an Outlook compound file, rebuilt; `None` for any other bytes
/// (which are MIME already).
pub fn rebuild_if_outlook(bytes: &[u8]) -> Option<Result<Rebuilt, String>> {
    bytes
        .starts_with(COMPOUND_FILE_MAGIC)
        .then(|| rebuild(bytes))
}

fn rebuild_file(bytes: &[u8]) -> Result<Rebuilt, String> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|err| format!("not a readable compound file: {err}"))?;
    let mut msg = Msg {
        file,
        limit: bytes.len() as u64,
        // Each stream is read once.
        unread: 2 * bytes.len() as u64 + (1 << 20),
        properties: None,
        warnings: Vec::new(),
        codepage: None,
    };
    if !msg.file.is_stream("/__properties_version1.0") {
        return Err(
            "a compound file without message properties (an Office document?), not an Outlook message"
                .to_owned(),
        );
    }
    let message = msg.message("/", TOP_LEVEL_HEADER, 0);
    let read = msg
        .fixed("/", TOP_LEVEL_HEADER, MESSAGE_FLAGS)
        .map(|flags| flags & MSGFLAG_READ != 0);
    Ok(Rebuilt {
        message,
        warnings: msg.warnings,
        read,
    })
}

/// Bytes before the first property entry in `__properties_version1.0`: 32 for the file's own
/// message, 24 for an attached message.
const TOP_LEVEL_HEADER: usize = 32;
const EMBEDDED_HEADER: usize = 24;

// Property ids ([MS-OXPROPS]).
const SUBJECT: u16 = 0x0037;
const CLIENT_SUBMIT_TIME: u16 = 0x0039;
const TRANSPORT_HEADERS: u16 = 0x007d;
const SENDER_NAME: u16 = 0x0c1a;
const SENDER_ADDRESS: u16 = 0x0c1f;
const DELIVERY_TIME: u16 = 0x0e06;
const MESSAGE_FLAGS: u16 = 0x0e07;
/// `PR_MESSAGE_FLAGS`' bit for a message that has been read.
const MSGFLAG_READ: u64 = 0x1;
const BODY: u16 = 0x1000;
const RTF_COMPRESSED: u16 = 0x1009;
const HTML: u16 = 0x1013;
const MESSAGE_ID: u16 = 0x1035;
const DISPLAY_NAME: u16 = 0x3001;
const EMAIL_ADDRESS: u16 = 0x3003;
const ATTACH_DATA: u16 = 0x3701;
const ATTACH_LONG_FILENAME: u16 = 0x3707;
const ATTACH_MIME_TAG: u16 = 0x370e;
const SMTP_ADDRESS: u16 = 0x39fe;
const INTERNET_CODEPAGE: u16 = 0x3fde;
const MESSAGE_CODEPAGE: u16 = 0x3ffd;
const SENDER_SMTP_ADDRESS: u16 = 0x5d01;

struct Msg<'a> {
    file: cfb::CompoundFile<Cursor<&'a [u8]>>,
    /// No stream is read past the file's own size.
    limit: u64,
    /// Bytes the streams still read may hold between them (see `stream`).
    unread: u64,
    /// The last fixed-size properties table read, with its path (see `fixed`).
    properties: Option<(String, Vec<u8>)>,
    /// The charset of the message being rebuilt (`PR_MESSAGE_CODEPAGE`), which its 8-bit
    /// strings and its recipients' are written in.
    codepage: Option<&'static str>,
    warnings: Vec<String>,
}

impl Msg<'_> {
    /// The message in `storage` as MIME, `depth` attached messages deep: its bodies, as one
    /// part or as the two of a multipart/alternative, then its attached messages beside them in
    /// a multipart/mixed.
    fn message(&mut self, storage: &str, header_len: usize, depth: usize) -> Vec<u8> {
        self.codepage = self
            .fixed(storage, header_len, MESSAGE_CODEPAGE)
            .and_then(|page| charset(page as u32));
        let mut out = match self.string(storage, TRANSPORT_HEADERS) {
            Some(headers) => delivered_headers(&headers),
            None => self.composed_headers(storage, header_len),
        };
        out.extend_from_slice(b"MIME-Version: 1.0\r\n");
        let mut bodies = Vec::new();
        if let Some(text) = self.string(storage, BODY) {
            bodies.push(leaf("text/plain; charset=utf-8", text.as_bytes()));
        }
        if let Some(html) = self.html(storage, header_len) {
            bodies.push(html);
        }
        let body = match bodies.len() {
            0 => b"Content-Type: text/plain; charset=utf-8\r\n\r\n".to_vec(),
            1 => bodies.remove(0),
            _ => multipart("alternative", &format!("=_mailtrace_alt_{depth}"), &bodies),
        };
        let attached = self.attached_messages(storage, depth);
        if attached.is_empty() {
            out.extend_from_slice(&body);
        } else {
            let parts: Vec<Vec<u8>> = std::iter::once(body).chain(attached).collect();
            out.extend_from_slice(&multipart(
                "mixed",
                &format!("=_mailtrace_mix_{depth}"),
                &parts,
            ));
        }
        out
    }

    /// The HTML body as a part: `PR_HTML` in the message's code page, or the HTML that Outlook
    /// kept only inside its compressed RTF.
    fn html(&mut self, storage: &str, header_len: usize) -> Option<Vec<u8>> {
        let codepage = self.fixed(storage, header_len, INTERNET_CODEPAGE);
        if let Some(html) = self.binary(storage, HTML) {
            let charset = codepage.and_then(|page| charset(page as u32));
            let content_type = match charset {
                Some(charset) => format!("text/html; charset={charset}"),
                None => "text/html".to_owned(),
            };
            return Some(leaf(&content_type, &html));
        }
        if let Some(html) = self.string(storage, HTML) {
            return Some(leaf("text/html; charset=utf-8", html.as_bytes()));
        }
        let compressed = self.binary(storage, RTF_COMPRESSED)?;
        match rtf::decompress(&compressed).map(|rtf| rtf::html(&rtf)) {
            Ok(Some(html)) => Some(leaf("text/html; charset=utf-8", html.as_bytes())),
            // RTF that was never HTML: the plain text body says what it says.
            Ok(None) => None,
            Err(err) => {
                self.warnings
                    .push(format!("the RTF body could not be read: {err}"));
                None
            }
        }
    }

    /// A From, To, Subject, Date and Message-ID for a message Outlook never received (no
    /// transport headers): from the sender's, recipients' and message's own properties.
    fn composed_headers(&mut self, storage: &str, header_len: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let sender = self
            .string(storage, SENDER_SMTP_ADDRESS)
            .or_else(|| self.string(storage, SENDER_ADDRESS))
            .filter(|address| address.contains('@'));
        if let Some(address) = sender {
            let name = self.string(storage, SENDER_NAME).unwrap_or_default();
            push_field(&mut out, "From", &mailbox(&name, &address));
        }
        let recipients = self.recipients(storage);
        if !recipients.is_empty() {
            push_field(&mut out, "To", &recipients.join(", "));
        }
        if let Some(subject) = self.string(storage, SUBJECT) {
            push_field(&mut out, "Subject", &encoded_word(&subject));
        }
        let time = self
            .fixed(storage, header_len, CLIENT_SUBMIT_TIME)
            .or_else(|| self.fixed(storage, header_len, DELIVERY_TIME));
        if let Some(date) = time.and_then(filetime_date) {
            push_field(&mut out, "Date", &date);
        }
        if let Some(id) = self.string(storage, MESSAGE_ID) {
            push_field(&mut out, "Message-ID", &id);
        }
        out
    }

    /// Each recipient as `name <address>`, from the `__recip_version1.0_#…` storages.
    fn recipients(&mut self, storage: &str) -> Vec<String> {
        let mut recipients = Vec::new();
        for path in self.children(storage, "__recip_version1.0_#") {
            let address = self
                .string(&path, SMTP_ADDRESS)
                .or_else(|| self.string(&path, EMAIL_ADDRESS))
                .filter(|address| address.contains('@'));
            if let Some(address) = address {
                let name = self.string(&path, DISPLAY_NAME).unwrap_or_default();
                recipients.push(mailbox(&name, &address));
            }
        }
        recipients
    }

    /// The messages attached to the one in `storage`, as `message/rfc822` parts: an embedded
    /// Outlook message (a storage of its own), or attached data that is an `.eml`.
    fn attached_messages(&mut self, storage: &str, depth: usize) -> Vec<Vec<u8>> {
        let mut parts = Vec::new();
        let attachments = self.children(storage, "__attach_version1.0_#");
        if attachments.len() > MAX_ATTACHMENTS {
            self.warnings.push(format!(
                "{} attachments: the first {MAX_ATTACHMENTS} were looked at",
                attachments.len()
            ));
        }
        for path in attachments.into_iter().take(MAX_ATTACHMENTS) {
            let embedded = format!("{path}/__substg1.0_{ATTACH_DATA:04X}000D");
            let message = if self.file.is_storage(&embedded) {
                if depth + 1 >= MAX_DEPTH {
                    self.warnings.push(format!(
                        "attached messages nested deeper than {MAX_DEPTH}: not opened"
                    ));
                    continue;
                }
                // The attached message has a code page of its own; the rest of this one's
                // attachments are read in this one's.
                let codepage = self.codepage;
                let message = self.message(&embedded, EMBEDDED_HEADER, depth + 1);
                self.codepage = codepage;
                message
            } else if self.is_attached_eml(&path) {
                match self.binary(&path, ATTACH_DATA) {
                    Some(message) => message,
                    None => continue,
                }
            } else {
                continue;
            };
            let mut part = b"Content-Type: message/rfc822\r\n\r\n".to_vec();
            part.extend_from_slice(&message);
            parts.push(part);
        }
        parts
    }

    /// Whether an attachment is a message saved as MIME, by its type or its file name.
    fn is_attached_eml(&mut self, attachment: &str) -> bool {
        let tagged = self
            .string(attachment, ATTACH_MIME_TAG)
            .is_some_and(|tag| tag.trim().eq_ignore_ascii_case("message/rfc822"));
        tagged
            || self
                .string(attachment, ATTACH_LONG_FILENAME)
                .is_some_and(|name| name.to_ascii_lowercase().ends_with(".eml"))
    }

    /// The storages directly in `storage` whose names start with `prefix`, in name order.
    fn children(&self, storage: &str, prefix: &str) -> Vec<String> {
        let Ok(entries) = self.file.read_storage(storage) else {
            return Vec::new();
        };
        let mut paths: Vec<String> = entries
            .filter(|entry| entry.is_storage() && entry.name().starts_with(prefix))
            .map(|entry| entry.path().to_string_lossy().into_owned())
            .collect();
        paths.sort();
        paths
    }

    /// A stream's bytes, if it exists and can be read.
    fn stream(&mut self, path: &str) -> Option<Vec<u8>> {
        if !self.file.is_stream(path) {
            return None;
        }
        let stream = self.file.open_stream(path).ok()?;
        // Streams may start at the same sector, so that hundreds of them read one large run
        // of data: what is read in all is held to a small multiple of the file's size.
        if stream.len() > self.unread {
            if self.unread != 0 {
                self.warnings.push(
                    "its streams claim more data than the file holds (shared data?): the rest was not read"
                        .to_owned(),
                );
                self.unread = 0;
            }
            return None;
        }
        self.unread -= stream.len();
        let mut bytes = Vec::new();
        stream.take(self.limit).read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }

    fn binary(&mut self, storage: &str, id: u16) -> Option<Vec<u8>> {
        self.stream(&property_path(storage, id, "0102"))
    }

    /// A string property: UTF-16 (type `001F`), or 8-bit text (`001E`) in the message's code
    /// page; without one, read as UTF-8 where it is and as Windows-1252 where it is not.
    fn string(&mut self, storage: &str, id: u16) -> Option<String> {
        if let Some(bytes) = self.stream(&property_path(storage, id, "001F")) {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                .collect();
            let text = String::from_utf16_lossy(&units);
            return Some(text.trim_end_matches('\0').to_owned());
        }
        let bytes = self.stream(&property_path(storage, id, "001E"))?;
        if let Some(charset) = self.codepage {
            let text = crate::transfer::text(bytes.into(), Some(charset));
            return Some(text.trim_end_matches('\0').to_owned());
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                crate::transfer::text(err.into_bytes().into(), Some("windows-1252")).into_owned()
            }
        };
        Some(text.trim_end_matches('\0').to_owned())
    }

    /// A fixed-size property's 8 value bytes, read as a little-endian number, from the
    /// storage's `__properties_version1.0` stream (16 bytes per property after its header).
    /// The storage's table is read once and kept while its properties are looked up.
    fn fixed(&mut self, storage: &str, header_len: usize, id: u16) -> Option<u64> {
        let path = format!("{}/__properties_version1.0", storage.trim_end_matches('/'));
        if self
            .properties
            .as_ref()
            .is_none_or(|(kept, _)| *kept != path)
        {
            let table = self.stream(&path).unwrap_or_default();
            self.properties = Some((path, table));
        }
        let (_, table) = self.properties.as_ref()?;
        table.get(header_len..)?.chunks_exact(16).find_map(|entry| {
            let tag = u32::from_le_bytes(entry[..4].try_into().ok()?);
            let value: [u8; 8] = entry[8..16].try_into().ok()?;
            ((tag >> 16) as u16 == id).then_some(u64::from_le_bytes(value))
        })
    }
}

fn property_path(storage: &str, id: u16, kind: &str) -> String {
    format!(
        "{}/__substg1.0_{id:04X}{kind}",
        storage.trim_end_matches('/')
    )
}

/// The header block Outlook kept from delivery, less the fields that described the original
/// MIME structure (the rebuilt message has its own), ending in CRLF.
fn delivered_headers(headers: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(headers.len());
    let mut keep = true;
    for line in headers.lines() {
        if line.is_empty() {
            // Some writers leave the blank line that ended the block; nothing follows it.
            break;
        }
        if !line.starts_with([' ', '\t']) {
            let name = line.split(':').next().unwrap_or_default().trim();
            // Bytes, not characters: a name from a damaged file may not be ASCII.
            let content = name.len() > 8 && name.as_bytes()[..8].eq_ignore_ascii_case(b"content-");
            keep = !(name.eq_ignore_ascii_case("mime-version") || content);
        }
        if keep {
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

fn push_field(out: &mut Vec<u8>, name: &str, value: &str) {
    // A value from a property may hold line breaks; a header field may not.
    let value: String = value
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect();
    out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
}

/// `name <address>`, the name as an encoded word where it is not plain ASCII.
fn mailbox(name: &str, address: &str) -> String {
    let name = name.trim();
    if name.is_empty() || name == address {
        return format!("<{address}>");
    }
    if name.is_ascii() {
        let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{quoted}\" <{address}>")
    } else {
        format!("{} <{address}>", encoded_word(name))
    }
}

/// Text as an RFC 2047 encoded word where it is not plain ASCII.
fn encoded_word(text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("=?utf-8?b?{encoded}?=")
}

/// A multipart of `subtype` holding `parts`. The boundary carries the depth of the message, so
/// an attached message's boundaries never close its holder's parts.
fn multipart(subtype: &str, boundary: &str, parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out =
        format!("Content-Type: multipart/{subtype}; boundary=\"{boundary}\"\r\n\r\n").into_bytes();
    for part in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        out.extend_from_slice(part);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// A MIME leaf part of `content_type` holding `body`, in base64 (any bytes, any lines).
fn leaf(content_type: &str, body: &[u8]) -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(body);
    let mut part =
        format!("Content-Type: {content_type}\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .into_bytes();
    for line in encoded.as_bytes().chunks(76) {
        part.extend_from_slice(line);
        part.extend_from_slice(b"\r\n");
    }
    part
}

/// The charset name of a Windows code page, for those mail is written in.
pub fn charset(codepage: u32) -> Option<&'static str> {
    Some(match codepage {
        65001 => "utf-8",
        20127 => "us-ascii",
        1250 => "windows-1250",
        1251 => "windows-1251",
        1252 => "windows-1252",
        1253 => "windows-1253",
        1254 => "windows-1254",
        1255 => "windows-1255",
        1256 => "windows-1256",
        1257 => "windows-1257",
        1258 => "windows-1258",
        874 => "windows-874",
        866 => "ibm866",
        932 => "shift_jis",
        936 => "gbk",
        949 => "euc-kr",
        950 => "big5",
        20866 => "koi8-r",
        21866 => "koi8-u",
        50220 => "iso-2022-jp",
        51932 => "euc-jp",
        54936 => "gb18030",
        28591..=28599 => match codepage - 28590 {
            1 => "iso-8859-1",
            2 => "iso-8859-2",
            3 => "iso-8859-3",
            4 => "iso-8859-4",
            5 => "iso-8859-5",
            6 => "iso-8859-6",
            7 => "iso-8859-7",
            8 => "iso-8859-8",
            _ => "iso-8859-9",
        },
        28603 => "iso-8859-13",
        28605 => "iso-8859-15",
        _ => return None,
    })
}

/// A Windows FILETIME (100-nanosecond ticks since 1601) as an RFC 5322 date in UTC.
fn filetime_date(ticks: u64) -> Option<String> {
    const UNIX_EPOCH_SECONDS: u64 = 11_644_473_600;
    let seconds = (ticks / 10_000_000).checked_sub(UNIX_EPOCH_SECONDS)?;
    let days = seconds / 86_400;
    let (year, month, day) = civil_date(days);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let month_name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    let of_day = seconds % 86_400;
    Some(format!(
        "{weekday}, {day} {month_name} {year} {:02}:{:02}:{:02} +0000",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    ))
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01: the count
/// is moved to an era of 400 years starting on 1 March, where months have a fixed pattern.
fn civil_date(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetimes_become_dates() {
        // 2024-02-29 12:34:56 UTC, a leap day, and the Unix epoch.
        let ticks = |unix: u64| (unix + 11_644_473_600) * 10_000_000;
        assert_eq!(
            filetime_date(ticks(1_709_210_096)).unwrap(),
            "Thu, 29 Feb 2024 12:34:56 +0000"
        );
        assert_eq!(
            filetime_date(ticks(0)).unwrap(),
            "Thu, 1 Jan 1970 00:00:00 +0000"
        );
        assert_eq!(
            filetime_date(ticks(951_782_400)).unwrap(),
            "Tue, 29 Feb 2000 00:00:00 +0000"
        );
        assert_eq!(filetime_date(5), None);
    }

    #[test]
    fn delivered_headers_lose_the_original_structure_and_keep_the_rest() {
        let headers = "Received: from mx.example\r\n\tby mx2.example\r\nContent-Type: multipart/alternative;\r\n\tboundary=\"b\"\r\nFrom: a@b.example\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: 7bit\r\nDisposition-Notification-To: a@b.example\r\n\r\n";
        assert_eq!(
            String::from_utf8(delivered_headers(headers)).unwrap(),
            "Received: from mx.example\r\n\tby mx2.example\r\nFrom: a@b.example\r\nDisposition-Notification-To: a@b.example\r\n"
        );
        // A name whose eighth byte falls inside a character (found by fuzzing: it panicked).
        let odd = "Contenté: x\r\nÄÄÄÄÄ: y\r\n";
        assert_eq!(delivered_headers(odd), odd.as_bytes());
    }

    #[test]
    fn names_and_subjects_outside_ascii_are_encoded_words() {
        assert_eq!(
            mailbox("Zoë", "z@example.com"),
            "=?utf-8?b?Wm/Dqw==?= <z@example.com>"
        );
        assert_eq!(
            mailbox("Sales \"EU\"", "s@example.com"),
            "\"Sales \\\"EU\\\"\" <s@example.com>"
        );
        assert_eq!(mailbox("", "s@example.com"), "<s@example.com>");
        assert_eq!(encoded_word("plain"), "plain");
    }
}
