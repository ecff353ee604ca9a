//! The parsed view of one message: everything the detectors and the report need, read in one
//! pass: the headers by mail-parser, the MIME structure by our own walk (`mime.rs`), and only
//! the body parts detectors read decoded. Detectors read this view, never the raw bytes.

use crate::limits::Limits;
use crate::mime::{self, Part, Shape};
use mail_parser::{GetHeader, Header, HeaderName, HeaderValue};
use std::borrow::Cow;

/// An address as found in a header, with its domain split off for party decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// Lower-cased `local@domain`.
    pub address: String,
    /// The address as the header wrote it (trimmed): a tracker that hashes or base64s the
    /// address it was given works on this spelling, whose digests differ from the lower-cased.
    pub written: String,
    pub domain: String,
}

impl Mailbox {
    /// Takes the first `local@domain` in a header value (inside `<…>` when there is one).
    pub fn find_in(text: &str) -> Option<Mailbox> {
        let inner = match (text.find('<'), text.rfind('>')) {
            (Some(open), Some(close)) if open < close => &text[open + 1..close],
            _ => text,
        };
        let candidate = inner
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"' | '(' | ')'))
            .find(|word| word.contains('@'))?;
        Mailbox::parse(candidate.trim_matches(|c| matches!(c, '<' | '>' | '\'')))
    }

    pub fn parse(address: &str) -> Option<Mailbox> {
        let written = address.trim();
        let address = written.to_lowercase();
        let (local, domain) = address.rsplit_once('@')?;
        if local.is_empty() || domain.is_empty() || domain.contains(char::is_whitespace) {
            return None;
        }
        // `example.org.` is `example.org` written as an absolute name: one mailbox, one sender.
        let absolute = domain.ends_with('.');
        let domain = domain.trim_end_matches('.').to_owned();
        if domain.is_empty() {
            return None;
        }
        let address = if absolute {
            format!("{local}@{domain}")
        } else {
            address
        };
        Some(Mailbox {
            written: written.to_owned(),
            address,
            domain,
        })
    }
}

/// A header as it stands in the message: the name as written and the value unfolded, before
/// any decoding (detectors want what the sender wrote).
#[derive(Debug, Clone)]
pub struct RawHeader<'a> {
    pub name: &'a str,
    pub value: Cow<'a, str>,
}

impl RawHeader<'_> {
    /// `Name: value`, for evidence.
    pub fn line(&self) -> String {
        format!("{}: {}", self.name, self.value)
    }
}

/// A message date, both for display and for ordering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    pub rfc3339: String,
    pub timestamp: i64,
}

pub struct MessageView<'a> {
    raw: &'a [u8],
    /// Every MIME part, numbered as findings name them; the first is the message itself.
    parts: Vec<Part<'a>>,
    pub from: Option<Mailbox>,
    /// Sender, Return-Path, List-Id as written (trimmed); List-Unsubscribe's URIs.
    pub sender_header: Option<Mailbox>,
    pub reply_to: Option<Mailbox>,
    pub return_path: Option<Mailbox>,
    pub list_id: Option<String>,
    pub list_unsubscribe: Vec<String>,
    /// The reader's addresses as the message states them: To, Cc, Delivered-To, X-Original-To,
    /// each spelled as written (a header's capitals change the address's hashes).
    pub recipients: Vec<String>,
    pub date: Option<Date>,
    pub message_id: Option<String>,
    pub subject: Option<String>,
    /// Decoded text of the parts detectors read, with their index in `parts`.
    html_parts: Vec<(usize, Cow<'a, str>)>,
    amp_parts: Vec<(usize, Cow<'a, str>)>,
    text_parts: Vec<(usize, Cow<'a, str>)>,
    /// What reading the message noticed without stopping (a part cut short, a cap reached).
    pub warnings: Vec<String>,
}

impl<'a> MessageView<'a> {
    /// Parses a message. `None` when the bytes hold no message at all.
    pub fn parse(bytes: &'a [u8]) -> Option<MessageView<'a>> {
        MessageView::parse_limited(bytes, &Limits::default())
    }

    /// Parses a message, analysing at most `max_headers` header fields and `max_parts` MIME
    /// parts; each cap reached is noted in `warnings`. Only the HTML, AMP and plain-text parts
    /// are decoded; every other part is found, counted and left as it is.
    pub fn parse_limited(bytes: &'a [u8], limits: &Limits) -> Option<MessageView<'a>> {
        let structure = mime::walk(bytes, limits)?;
        let root = structure.parts.first()?;
        if root.headers.is_empty() {
            return None;
        }
        let header_field = |name: HeaderName<'_>| root.headers.header_value(&name);
        let mut view = MessageView {
            raw: bytes,
            from: first_mailbox(header_field(HeaderName::From)),
            sender_header: first_mailbox(header_field(HeaderName::Sender)),
            reply_to: first_mailbox(header_field(HeaderName::ReplyTo)),
            return_path: None,
            list_id: None,
            list_unsubscribe: Vec::new(),
            recipients: Vec::new(),
            date: header_field(HeaderName::Date)
                .and_then(|value| value.as_datetime())
                .filter(|d| d.year > 0 && d.month > 0)
                .map(|d| Date {
                    rfc3339: d.to_rfc3339(),
                    timestamp: d.to_timestamp(),
                }),
            message_id: header_field(HeaderName::MessageId)
                .and_then(|value| value.as_text())
                .map(|id| format!("<{id}>")),
            subject: header_field(HeaderName::Subject)
                .and_then(|value| value.as_text())
                .map(|s| s.trim().to_owned()),
            html_parts: Vec::new(),
            amp_parts: Vec::new(),
            text_parts: Vec::new(),
            warnings: Vec::new(),
            parts: Vec::new(),
        };
        view.parts = structure.parts;
        view.warnings.extend(structure.notes);
        view.collect_header_facts();
        view.decode_body_parts();
        Some(view)
    }

    fn root_headers(&self) -> &[Header<'a>] {
        self.parts
            .first()
            .map_or(&[], |root| root.headers.as_slice())
    }

    fn collect_header_facts(&mut self) {
        let mut recipients = Vec::new();
        let addresses = self
            .root_headers()
            .iter()
            .filter(|h| matches!(h.name, HeaderName::To | HeaderName::Cc))
            .filter_map(|h| h.value.as_address());
        for address in addresses {
            for addr in address.iter() {
                if let Some(mailbox) = addr.address().and_then(Mailbox::parse) {
                    recipients.push(mailbox.written);
                }
            }
        }
        let mut return_path = None;
        let mut list_id = None;
        let mut unsubscribe = Vec::new();
        let wanted = |name: &str| {
            [
                "Delivered-To",
                "X-Original-To",
                "Return-Path",
                "List-Id",
                "List-Unsubscribe",
            ]
            .iter()
            .any(|known| known.eq_ignore_ascii_case(name))
        };
        // Only these headers' values are unfolded; the long Received and DKIM fields are skipped.
        for header in self.headers_named(wanted) {
            let name = header.name;
            if name.eq_ignore_ascii_case("Delivered-To")
                || name.eq_ignore_ascii_case("X-Original-To")
            {
                if let Some(mailbox) = Mailbox::find_in(&header.value) {
                    recipients.push(mailbox.written);
                }
            } else if name.eq_ignore_ascii_case("Return-Path") && return_path.is_none() {
                return_path = Mailbox::find_in(&header.value);
            } else if name.eq_ignore_ascii_case("List-Id") && list_id.is_none() {
                list_id = Some(header.value.trim().to_owned());
            } else if name.eq_ignore_ascii_case("List-Unsubscribe") {
                let room = MAX_BRACKETED.saturating_sub(unsubscribe.len());
                unsubscribe.extend(angle_bracketed(&header.value).take(room));
            }
        }
        recipients.sort();
        recipients.dedup();
        self.recipients = recipients;
        self.return_path = return_path;
        self.list_id = list_id;
        self.list_unsubscribe = unsubscribe;
    }

    /// Decodes the parts detectors read, and no other: text/html, text/x-amp-html and plain
    /// text that is not an attachment. (A text/plain part is never offered as HTML: only what
    /// the sender wrote as HTML counts.)
    fn decode_body_parts(&mut self) {
        // The MIME walk kept at most `max_parts` parts.
        for (index, part) in self.parts.iter().enumerate() {
            if part.shape != Shape::Text || part.is_attachment() {
                continue;
            }
            let list = if part.is_type("text", "html") {
                if part.cut {
                    self.warnings.push(format!(
                        "part {index}: text/html cut short by a missing closing boundary, read to \
                         the end of the message and decoded as {}",
                        part.encoding.name()
                    ));
                }
                &mut self.html_parts
            } else if part.is_type("text", "x-amp-html") {
                &mut self.amp_parts
            } else if is_plain_text(part) {
                &mut self.text_parts
            } else {
                continue;
            };
            list.push((index, part.text(self.raw)));
        }
    }

    /// Every MIME part, numbered as findings name them ("part 3"); the first is the message.
    pub fn parts(&self) -> &[Part<'a>] {
        &self.parts
    }

    /// A part's body as a reader of it wants it (see `Part::contents`).
    pub fn contents(&self, part: &Part<'a>) -> Cow<'a, [u8]> {
        part.contents(self.raw)
    }

    /// The messages enclosed in this one, each with the index of the part that holds it: mail
    /// forwarded as an attachment, the messages of a digest (`message/rfc822` and
    /// `message/global` parts, decoded from any transfer encoding). Mail programs show them
    /// inline, loading what they load. A message whose own type is `message/rfc822` encloses
    /// its body (part 0). An attached Outlook message (`application/vnd.ms-outlook`, or a
    /// `.msg` file) is among them as its compound file, for the scan to rebuild. A delivery or
    /// disposition report's returned message is the reader's own mail, not one sent to them,
    /// and is not among them.
    pub fn enclosed_messages(&self) -> impl Iterator<Item = (usize, Cow<'a, [u8]>)> + '_ {
        let report = self
            .parts
            .first()
            .is_some_and(|message| message.is_type("multipart", "report"));
        self.parts
            .iter()
            .enumerate()
            .filter(move |_| !report)
            .filter_map(|(index, part)| {
                if part.shape == Shape::Message
                    || part.is_type("message", "rfc822")
                    || part.is_type("message", "global")
                {
                    return Some((index, self.contents(part)));
                }
                // A file called `.msg` that is not a compound file is some other program's.
                let contents = is_outlook_attachment(part).then(|| self.contents(part))?;
                contents
                    .starts_with(crate::source::msg::COMPOUND_FILE_MAGIC)
                    .then_some((index, contents))
            })
    }

    /// Every top-level header in order, raw and unfolded.
    pub fn headers(&self) -> impl Iterator<Item = RawHeader<'_>> + '_ {
        self.headers_named(|_| true)
    }

    /// The raw header fields whose names pass `wanted`; the others' values are never read.
    pub fn headers_named<'s>(
        &'s self,
        wanted: impl Fn(&str) -> bool + 's,
    ) -> impl Iterator<Item = RawHeader<'s>> + 's {
        let raw = self.raw;
        // The MIME walk kept at most `max_headers` fields of the block.
        self.root_headers()
            .iter()
            .filter(move |header| wanted(header.name.as_str()))
            .map(move |header| RawHeader {
                name: header.name.as_str(),
                value: raw_value(raw, header.offset_start, header.offset_end),
            })
    }

    /// The decoded text of each real HTML part, with its index in the part list.
    pub fn html_parts(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        texts(&self.html_parts)
    }

    /// AMP for Email parts (`text/x-amp-html`): HTML that loads more, and earlier, than the
    /// ordinary HTML part in clients that render it.
    pub fn amp_parts(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        texts(&self.amp_parts)
    }

    /// The decoded text of each text/plain body part, with its index in the part list.
    pub fn text_parts(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        texts(&self.text_parts)
    }

    /// The sender's address: From, else Sender, else Return-Path.
    pub fn sender(&self) -> Option<&Mailbox> {
        self.from
            .as_ref()
            .or(self.sender_header.as_ref())
            .or(self.return_path.as_ref())
    }
}

fn texts<'s>(parts: &'s [(usize, Cow<'_, str>)]) -> impl Iterator<Item = (usize, &'s str)> + 's {
    parts.iter().map(|(index, text)| (*index, text.as_ref()))
}

fn first_mailbox(value: Option<&HeaderValue<'_>>) -> Option<Mailbox> {
    value?
        .as_address()?
        .iter()
        .find_map(|addr| addr.address().and_then(Mailbox::parse))
}

/// No Content-Type, `text/plain` or a bare `text`.
fn is_plain_text(part: &Part<'_>) -> bool {
    part.content_type().is_none_or(|ct| {
        ct.c_type.eq_ignore_ascii_case("text")
            && ct.subtype().is_none_or(|s| s.eq_ignore_ascii_case("plain"))
    })
}

/// A header's value as written, with folding removed.
fn raw_value(raw: &[u8], start: u32, end: u32) -> Cow<'_, str> {
    let bytes = raw.get(start as usize..end as usize).unwrap_or_default();
    // Bytes that are not UTF-8 are kept as `\xNN` escapes: lossless, and valid JSON later.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(crate::locator::escape_bytes(bytes)),
    };
    // A byte search: `contains` with a char array decodes every character to compare it.
    if memchr::memchr2(b'\r', b'\n', text.as_bytes()).is_none() {
        return match text {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
            Cow::Owned(t) => Cow::Owned(t.trim().to_owned()),
        };
    }
    // One copy, trimmed in place: a folded value may be megabytes long.
    let mut unfolded = String::with_capacity(text.len());
    for piece in text.split(['\r', '\n']) {
        unfolded.push_str(piece);
    }
    unfolded.truncate(unfolded.trim_end().len());
    let leading = unfolded.len() - unfolded.trim_start().len();
    unfolded.drain(..leading);
    Cow::Owned(unfolded)
}

/// List-Unsubscribe items kept, in all the message's List-Unsubscribe fields: senders give a
/// `mailto:` and a web address, sometimes a few more; a field of millions of `<>`, or
/// thousands of fields, must not become millions of strings.
const MAX_BRACKETED: usize = 32;

/// The `<…>` items of a header like List-Unsubscribe, copied only as they are taken.
fn angle_bracketed(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split('<')
        .skip(1)
        .filter_map(|piece| piece.split_once('>').map(|(inside, _)| inside.trim()))
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
}

/// An attached Outlook message: its type says so, or its file name ends in `.msg`.
fn is_outlook_attachment(part: &Part<'_>) -> bool {
    part.shape == Shape::Binary
        && (part.is_type("application", "vnd.ms-outlook")
            || part.file_name().is_some_and(|name| {
                // Bytes, not characters: the name is anyone's text.
                let name = name.as_bytes();
                name.len() > 4 && name[name.len() - 4..].eq_ignore_ascii_case(b".msg")
            }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_is_found_in_display_forms() {
        let found = Mailbox::find_in("\"Sales\" <Receipts@Vendor.Example>").unwrap();
        assert_eq!(found.address, "receipts@vendor.example");
        assert_eq!(found.domain, "vendor.example");
        assert_eq!(
            Mailbox::find_in("rr@vendor.example").unwrap().domain,
            "vendor.example"
        );
        assert!(Mailbox::find_in("yes").is_none());
    }

    #[test]
    fn an_absolute_domain_is_the_same_mailbox() {
        let found = Mailbox::find_in("Shop <Service@Shop.Example.>").unwrap();
        assert_eq!(found.address, "service@shop.example");
        assert_eq!(found.domain, "shop.example");
        assert_eq!(found.written, "Service@Shop.Example.");
        assert!(Mailbox::parse("nobody@.").is_none());
    }

    #[test]
    fn text_parts_are_not_mistaken_for_html() {
        let raw = b"From: a@b.example\r\nSubject: t\r\nContent-Type: text/plain\r\n\r\nhello <b>x</b>\r\n";
        let view = MessageView::parse(raw).unwrap();
        assert_eq!(view.html_parts().count(), 0);
        assert_eq!(view.text_parts().count(), 1);
    }

    #[test]
    fn non_utf8_header_bytes_are_kept_as_escapes() {
        let raw = b"From: a@b.example\r\nX-Raw: caf\xe9\r\n\r\nbody";
        let view = MessageView::parse(raw).unwrap();
        let header = view.headers().find(|h| h.name == "X-Raw").unwrap();
        assert_eq!(header.value, "caf\\xE9");
    }

    #[test]
    fn folded_headers_are_unfolded() {
        let raw = b"From: a@b.example\r\nX-Long: one\r\n two\r\n\r\nbody";
        let view = MessageView::parse(raw).unwrap();
        let header = view.headers().find(|h| h.name == "X-Long").unwrap();
        assert_eq!(header.value, "one two");
    }
}
