//! Outlook's messages rebuilt as MIME, whichever file keeps them. Outlook does not store mail
//! as MIME but as MAPI properties ([MS-OXPROPS]): a subject, a plain-text body, an HTML body,
//! the header block from delivery, recipients and attachments, each object a set of properties.
//! A `.msg` file keeps one message's properties in a compound file (see `msg`); a `.pst` keeps
//! a whole mailbox's in its own database (see `pst`). Both hand their objects to [`rebuild`]
//! through [`Properties`], and get the MIME message the rest of the scan reads:
//!
//! - the header block is the one Outlook kept from delivery (`PR_TRANSPORT_MESSAGE_HEADERS`),
//!   without the fields that described the original MIME structure; a message never delivered
//!   (a draft, a sent item) gets From, To, Subject, Date and Message-ID from its properties;
//! - the bodies are the plain text (`PR_BODY`) and the HTML (`PR_HTML`, or the HTML that
//!   Outlook wrapped in compressed RTF, see [`crate::source::rtf`]);
//! - an attached message (an embedded Outlook message, an attached `.eml`, or an attached
//!   `.msg` file) becomes a part the scan reads as a message of its own (see
//!   `MessageView::enclosed_messages`): a phishing mail reported as an attachment is scanned
//!   with its own sender and findings.
//!
//! Other attachments are left out: the detectors never look at them.

use super::rtf;
use base64::Engine;

/// Attached messages opened inside attached messages, at most.
pub const MAX_DEPTH: usize = 8;

/// Attachments looked at per message, at most.
pub const MAX_ATTACHMENTS: usize = 256;

/// A string property as the file keeps it.
pub enum Text {
    /// `PtypString` (UTF-16 in the file).
    Unicode(String),
    /// `PtypString8`: 8-bit text in the message's code page.
    Bytes(Vec<u8>),
}

impl Text {
    /// A `PtypString` from its bytes as stored: UTF-16, little-endian (a stray last byte is
    /// dropped, a lone surrogate replaced).
    pub fn from_utf16le(bytes: &[u8]) -> Text {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        Text::Unicode(String::from_utf16_lossy(&units))
    }
}

/// The properties of a file's messages, recipients and attachments.
pub trait Properties {
    /// A message, recipient or attachment, as the file finds it again.
    type Object;
    fn text(&mut self, object: &Self::Object, id: u16) -> Option<Text>;
    fn binary(&mut self, object: &Self::Object, id: u16) -> Option<Vec<u8>>;
    /// A fixed-size property (an integer, a boolean, a time) as a number.
    fn integer(&mut self, object: &Self::Object, id: u16) -> Option<u64>;
    fn recipients(&mut self, message: &Self::Object) -> Vec<Self::Object>;
    fn attachments(&mut self, message: &Self::Object) -> Vec<Self::Object>;
    /// The Outlook message embedded in an attachment, if it holds one (otherwise its data,
    /// `PR_ATTACH_DATA_BIN`, is read as `binary`, and only where its type or name marks a
    /// saved message).
    fn embedded(&mut self, attachment: &Self::Object) -> Option<Self::Object>;
    /// Something noticed that does not stop the message being read.
    fn warn(&mut self, warning: String);
}

/// The message `message` as MIME, with whether Outlook had marked it read
/// (`PR_MESSAGE_FLAGS`, bit `MSGFLAG_READ`).
pub fn rebuild<P: Properties>(file: &mut P, message: &P::Object) -> (Vec<u8>, Option<bool>) {
    let read = file
        .integer(message, MESSAGE_FLAGS)
        .map(|flags| flags & MSGFLAG_READ != 0);
    let mut builder = Builder {
        file,
        codepage: None,
    };
    (builder.message(message, 0), read)
}

// Property ids ([MS-OXPROPS]).
pub const SUBJECT: u16 = 0x0037;
const CLIENT_SUBMIT_TIME: u16 = 0x0039;
pub const TRANSPORT_HEADERS: u16 = 0x007d;
const SENDER_NAME: u16 = 0x0c1a;
const SENDER_ADDRESS: u16 = 0x0c1f;
const DELIVERY_TIME: u16 = 0x0e06;
pub const MESSAGE_FLAGS: u16 = 0x0e07;
/// `PR_MESSAGE_FLAGS`' bit for a message that has been read.
const MSGFLAG_READ: u64 = 0x1;
pub const BODY: u16 = 0x1000;
const RTF_COMPRESSED: u16 = 0x1009;
pub const HTML: u16 = 0x1013;
const MESSAGE_ID: u16 = 0x1035;
pub const DISPLAY_NAME: u16 = 0x3001;
pub const EMAIL_ADDRESS: u16 = 0x3003;
/// An attachment's data: its bytes, or an embedded message (`PR_ATTACH_DATA_OBJ`).
pub const ATTACH_DATA: u16 = 0x3701;
/// The short (8.3) file name, which is what a PST's attachment table lists.
pub const ATTACH_FILENAME: u16 = 0x3704;
pub const ATTACH_LONG_FILENAME: u16 = 0x3707;
pub const ATTACH_MIME_TAG: u16 = 0x370e;
pub const SMTP_ADDRESS: u16 = 0x39fe;
const INTERNET_CODEPAGE: u16 = 0x3fde;
const MESSAGE_CODEPAGE: u16 = 0x3ffd;
const SENDER_SMTP_ADDRESS: u16 = 0x5d01;

/// A Compound File's first eight bytes: an Outlook `.msg` file (or an Office document).
pub const COMPOUND_FILE_MAGIC: &[u8] = &[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

struct Builder<'a, P> {
    file: &'a mut P,
    /// The charset of the message being rebuilt (`PR_MESSAGE_CODEPAGE`), which its 8-bit
    /// strings and its recipients' are written in.
    codepage: Option<&'static str>,
}

impl<P: Properties> Builder<'_, P> {
    /// The message as MIME, `depth` attached messages deep: its bodies, as one part or as the
    /// two of a multipart/alternative, then its attached messages beside them in a
    /// multipart/mixed.
    fn message(&mut self, message: &P::Object, depth: usize) -> Vec<u8> {
        self.codepage = self
            .file
            .integer(message, MESSAGE_CODEPAGE)
            .and_then(|page| charset(page as u32));
        let mut out = match self.string(message, TRANSPORT_HEADERS) {
            Some(headers) => delivered_headers(&headers),
            None => self.composed_headers(message),
        };
        out.extend_from_slice(b"MIME-Version: 1.0\r\n");
        let mut bodies = Vec::new();
        if let Some(text) = self.string(message, BODY) {
            bodies.push(leaf("text/plain; charset=utf-8", text.as_bytes()));
        }
        if let Some(html) = self.html(message) {
            bodies.push(html);
        }
        let body = match bodies.len() {
            0 => b"Content-Type: text/plain; charset=utf-8\r\n\r\n".to_vec(),
            1 => bodies.remove(0),
            _ => multipart("alternative", &format!("=_mailtrace_alt_{depth}"), &bodies),
        };
        let attached = self.attached_messages(message, depth);
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
    fn html(&mut self, message: &P::Object) -> Option<Vec<u8>> {
        let codepage = self.file.integer(message, INTERNET_CODEPAGE);
        if let Some(html) = self.file.binary(message, HTML) {
            let charset = codepage.and_then(|page| charset(page as u32));
            let content_type = match charset {
                Some(charset) => format!("text/html; charset={charset}"),
                None => "text/html".to_owned(),
            };
            return Some(leaf(&content_type, &html));
        }
        if let Some(html) = self.string(message, HTML) {
            return Some(leaf("text/html; charset=utf-8", html.as_bytes()));
        }
        let compressed = self.file.binary(message, RTF_COMPRESSED)?;
        match rtf::decompress(&compressed).map(|rtf| rtf::html(&rtf)) {
            Ok(Some(html)) => Some(leaf("text/html; charset=utf-8", html.as_bytes())),
            // RTF that was never HTML: the plain text body says what it says.
            Ok(None) => None,
            Err(err) => {
                self.file
                    .warn(format!("the RTF body could not be read: {err}"));
                None
            }
        }
    }

    /// A From, To, Subject, Date and Message-ID for a message Outlook never received (no
    /// transport headers): from the sender's, recipients' and message's own properties.
    fn composed_headers(&mut self, message: &P::Object) -> Vec<u8> {
        let mut out = Vec::new();
        let sender = self
            .string(message, SENDER_SMTP_ADDRESS)
            .or_else(|| self.string(message, SENDER_ADDRESS))
            .filter(|address| address.contains('@'));
        if let Some(address) = sender {
            let name = self.string(message, SENDER_NAME).unwrap_or_default();
            push_field(&mut out, "From", &mailbox(&name, &address));
        }
        let recipients = self.recipients(message);
        if !recipients.is_empty() {
            push_field(&mut out, "To", &recipients.join(", "));
        }
        if let Some(subject) = self.string(message, SUBJECT) {
            push_field(&mut out, "Subject", &encoded_word(&subject));
        }
        let time = self
            .file
            .integer(message, CLIENT_SUBMIT_TIME)
            .or_else(|| self.file.integer(message, DELIVERY_TIME));
        if let Some(date) = time.and_then(filetime_date) {
            push_field(&mut out, "Date", &date);
        }
        if let Some(id) = self.string(message, MESSAGE_ID) {
            push_field(&mut out, "Message-ID", &id);
        }
        out
    }

    /// Each recipient as `name <address>`.
    fn recipients(&mut self, message: &P::Object) -> Vec<String> {
        let mut recipients = Vec::new();
        for recipient in self.file.recipients(message) {
            let address = self
                .string(&recipient, SMTP_ADDRESS)
                .or_else(|| self.string(&recipient, EMAIL_ADDRESS))
                .filter(|address| address.contains('@'));
            if let Some(address) = address {
                let name = self.string(&recipient, DISPLAY_NAME).unwrap_or_default();
                recipients.push(mailbox(&name, &address));
            }
        }
        recipients
    }

    /// The messages attached to this one, as parts the scan reads as messages: an embedded
    /// Outlook message and an attached `.eml` as `message/rfc822`, an attached `.msg` file as
    /// `application/vnd.ms-outlook` (the scan rebuilds it as `msg` does).
    fn attached_messages(&mut self, message: &P::Object, depth: usize) -> Vec<Vec<u8>> {
        let mut parts = Vec::new();
        let attachments = self.file.attachments(message);
        if attachments.len() > MAX_ATTACHMENTS {
            self.file.warn(format!(
                "{} attachments: the first {MAX_ATTACHMENTS} were looked at",
                attachments.len()
            ));
        }
        for attachment in attachments.into_iter().take(MAX_ATTACHMENTS) {
            let part = if let Some(embedded) = self.file.embedded(&attachment) {
                if depth + 1 >= MAX_DEPTH {
                    self.file.warn(format!(
                        "attached messages nested deeper than {MAX_DEPTH}: not opened"
                    ));
                    continue;
                }
                // The attached message has a code page of its own; the rest of this one's
                // attachments are read in this one's.
                let codepage = self.codepage;
                let rebuilt = self.message(&embedded, depth + 1);
                self.codepage = codepage;
                enclosed_part("message/rfc822", &rebuilt)
            } else {
                // The bytes of a document or an image are never read.
                let Some(saved) = self.saved_message(&attachment) else {
                    continue;
                };
                match self.file.binary(&attachment, ATTACH_DATA) {
                    // A file called `.msg` that is not a compound file (a gettext catalogue) is
                    // no message.
                    Some(bytes) if bytes.starts_with(COMPOUND_FILE_MAGIC) => {
                        leaf("application/vnd.ms-outlook", &bytes)
                    }
                    Some(bytes) if saved == Saved::Mime => enclosed_part("message/rfc822", &bytes),
                    _ => continue,
                }
            };
            parts.push(part);
        }
        parts
    }

    /// Whether an attachment is a saved message, and which kind, by its type or file name.
    fn saved_message(&mut self, attachment: &P::Object) -> Option<Saved> {
        let tag = self.string(attachment, ATTACH_MIME_TAG).unwrap_or_default();
        let names = [ATTACH_LONG_FILENAME, ATTACH_FILENAME]
            .map(|id| self.string(attachment, id).unwrap_or_default());
        let named = |suffix: &str| {
            names.iter().any(|name| {
                name.trim_end_matches('\0')
                    .trim()
                    .to_ascii_lowercase()
                    .ends_with(suffix)
            })
        };
        if tag.trim().eq_ignore_ascii_case("message/rfc822") || named(".eml") {
            Some(Saved::Mime)
        } else if tag
            .trim()
            .eq_ignore_ascii_case("application/vnd.ms-outlook")
            || named(".msg")
        {
            Some(Saved::Outlook)
        } else {
            None
        }
    }

    /// A string property, decoded: 8-bit text in the message's code page; without one, read
    /// as UTF-8 where it is and as Windows-1252 where it is not.
    fn string(&mut self, object: &P::Object, id: u16) -> Option<String> {
        let text = match self.file.text(object, id)? {
            Text::Unicode(text) => text,
            Text::Bytes(bytes) => match self.codepage {
                Some(charset) => crate::transfer::text(bytes.into(), Some(charset)).into_owned(),
                None => match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(err) => {
                        crate::transfer::text(err.into_bytes().into(), Some("windows-1252"))
                            .into_owned()
                    }
                },
            },
        };
        Some(text.trim_end_matches('\0').to_owned())
    }
}

/// A message saved as a file and attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Saved {
    /// An `.eml` (`message/rfc822`).
    Mime,
    /// An Outlook `.msg` file.
    Outlook,
}

fn enclosed_part(content_type: &str, message: &[u8]) -> Vec<u8> {
    let mut part = format!("Content-Type: {content_type}\r\n\r\n").into_bytes();
    part.extend_from_slice(message);
    part
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
            let content = name.len() > 8 && crate::ascii::starts_with_ignore_case(name, "content-");
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
