//! The parsed view of one message: everything the detectors and the report need, taken from a
//! single mail-parser parse. Detectors read this view, never the raw bytes.

use crate::limits::Limits;
use mail_parser::{MessageParser, MimeHeaders, PartType};
use std::borrow::Cow;

/// An address as found in a header, with its domain split off for party decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// Lower-cased `local@domain`.
    pub address: String,
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
        let address = address.trim().to_lowercase();
        let (local, domain) = address.rsplit_once('@')?;
        if local.is_empty() || domain.is_empty() || domain.contains(char::is_whitespace) {
            return None;
        }
        let domain = domain.trim_end_matches('.').to_owned();
        Some(Mailbox { address, domain })
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
    parsed: mail_parser::Message<'a>,
    pub from: Option<Mailbox>,
    /// Sender, Return-Path, List-Id as written (trimmed); List-Unsubscribe's URIs.
    pub sender_header: Option<Mailbox>,
    pub reply_to: Option<Mailbox>,
    pub return_path: Option<Mailbox>,
    pub list_id: Option<String>,
    pub list_unsubscribe: Vec<String>,
    /// The reader's addresses as the message states them: To, Cc, Delivered-To, X-Original-To.
    pub recipients: Vec<String>,
    pub date: Option<Date>,
    pub message_id: Option<String>,
    pub subject: Option<String>,
    html_parts: Vec<usize>,
    amp_parts: Vec<usize>,
    text_parts: Vec<usize>,
    /// HTML parts mail-parser left undecoded (a multipart cut before its closing boundary),
    /// decoded here.
    recovered_html: Vec<(usize, String)>,
    header_cap: usize,
    part_cap: usize,
    /// What reading the message noticed without stopping (a recovered cut part).
    pub warnings: Vec<String>,
}

impl<'a> MessageView<'a> {
    /// Parses a message. `None` when the bytes hold no message at all.
    pub fn parse(bytes: &'a [u8]) -> Option<MessageView<'a>> {
        MessageView::parse_limited(bytes, &Limits::default())
    }

    /// Parses a message, analysing at most `max_headers` header fields and `max_parts` MIME
    /// parts; each cap reached is noted in `warnings`.
    pub fn parse_limited(bytes: &'a [u8], limits: &Limits) -> Option<MessageView<'a>> {
        let parsed = MessageParser::default().parse(bytes)?;
        if parsed.headers().is_empty() {
            return None;
        }
        let mut view = MessageView {
            from: None,
            sender_header: None,
            reply_to: None,
            return_path: None,
            list_id: None,
            list_unsubscribe: Vec::new(),
            recipients: Vec::new(),
            date: None,
            message_id: parsed.message_id().map(|id| format!("<{id}>")),
            subject: parsed.subject().map(|s| s.trim().to_owned()),
            html_parts: Vec::new(),
            amp_parts: Vec::new(),
            text_parts: Vec::new(),
            recovered_html: Vec::new(),
            warnings: Vec::new(),
            header_cap: limits.max_headers,
            part_cap: limits.max_parts,
            parsed,
        };
        let headers = view.parsed.headers().len();
        if headers > limits.max_headers {
            view.warnings.push(format!(
                "{headers} header fields; only the first max_headers ({}) were analysed",
                limits.max_headers
            ));
        }
        let parts = view.parsed.parts.len();
        if parts > limits.max_parts {
            view.warnings.push(format!(
                "{parts} MIME parts; only the first max_parts ({}) were analysed",
                limits.max_parts
            ));
        }
        view.from = first_mailbox(view.parsed.from());
        view.sender_header = first_mailbox(view.parsed.sender());
        view.reply_to = first_mailbox(view.parsed.reply_to());
        view.date = view
            .parsed
            .date()
            .filter(|d| d.year > 0 && d.month > 0)
            .map(|d| Date {
                rfc3339: d.to_rfc3339(),
                timestamp: d.to_timestamp(),
            });
        view.collect_header_facts();
        view.collect_body_parts();
        Some(view)
    }

    fn collect_header_facts(&mut self) {
        let mut recipients = Vec::new();
        for address in self.parsed.all_to().chain(self.parsed.all_cc()) {
            for addr in address.iter() {
                if let Some(mailbox) = addr.address().and_then(Mailbox::parse) {
                    recipients.push(mailbox.address);
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
                    recipients.push(mailbox.address);
                }
            } else if name.eq_ignore_ascii_case("Return-Path") && return_path.is_none() {
                return_path = Mailbox::find_in(&header.value);
            } else if name.eq_ignore_ascii_case("List-Id") && list_id.is_none() {
                list_id = Some(header.value.trim().to_owned());
            } else if name.eq_ignore_ascii_case("List-Unsubscribe") {
                unsubscribe.extend(angle_bracketed(&header.value));
            }
        }
        recipients.sort();
        recipients.dedup();
        self.recipients = recipients;
        self.return_path = return_path;
        self.list_id = list_id;
        self.list_unsubscribe = unsubscribe;
    }

    /// Only parts that really are `text/html` count as HTML: mail-parser also offers HTML it
    /// generated from text/plain parts, which no sender wrote.
    fn collect_body_parts(&mut self) {
        for (index, part) in self.parsed.parts.iter().enumerate().take(self.part_cap) {
            let attachment = part
                .content_disposition()
                .is_some_and(|disposition| disposition.is_attachment());
            if attachment {
                continue;
            }
            match &part.body {
                PartType::Html(_) => self.html_parts.push(index),
                PartType::Text(raw) if is_html(part) => {
                    // mail-parser returns the last part of a multipart whose closing boundary
                    // is missing as undecoded text: decode it, or its beacons are lost.
                    let encoding = part
                        .headers
                        .iter()
                        .find(|h| {
                            h.name
                                .as_str()
                                .eq_ignore_ascii_case("Content-Transfer-Encoding")
                        })
                        .and_then(|h| h.value.as_text())
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    let decoded = crate::transfer::decode(raw.as_bytes(), &encoding);
                    self.recovered_html
                        .push((index, String::from_utf8_lossy(&decoded).into_owned()));
                    self.warnings.push(format!(
                        "part {index}: text/html left undecoded by a missing closing boundary, decoded as {}",
                        if encoding.is_empty() { "7bit" } else { encoding.as_str() }
                    ));
                }
                PartType::Text(_) if is_amp(part) => self.amp_parts.push(index),
                PartType::Text(_) if is_plain_text(part) => self.text_parts.push(index),
                _ => {}
            }
        }
    }

    pub fn parsed(&self) -> &mail_parser::Message<'a> {
        &self.parsed
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
        let raw = self.parsed.raw_message();
        self.parsed
            .headers()
            .iter()
            .take(self.header_cap)
            .filter(move |header| wanted(header.name.as_str()))
            .map(move |header| RawHeader {
                name: header.name.as_str(),
                value: raw_value(raw, header.offset_start, header.offset_end),
            })
    }

    /// The decoded text of each real HTML part, with its index in the part list.
    pub fn html_parts(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.part_texts(&self.html_parts).chain(
            self.recovered_html
                .iter()
                .map(|(index, text)| (*index, text.as_str())),
        )
    }

    /// AMP for Email parts (`text/x-amp-html`): HTML that loads more, and earlier, than the
    /// ordinary HTML part in clients that render it.
    pub fn amp_parts(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.part_texts(&self.amp_parts)
    }

    /// The decoded text of each text/plain body part, with its index in the part list.
    pub fn text_parts(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.part_texts(&self.text_parts)
    }

    fn part_texts<'s>(&'s self, ids: &'s [usize]) -> impl Iterator<Item = (usize, &'s str)> + 's {
        ids.iter().filter_map(|&index| {
            let part = self.parsed.parts.get(index)?;
            match &part.body {
                PartType::Html(text) | PartType::Text(text) => Some((index, text.as_ref())),
                _ => None,
            }
        })
    }

    /// The sender's address: From, else Sender, else Return-Path.
    pub fn sender(&self) -> Option<&Mailbox> {
        self.from
            .as_ref()
            .or(self.sender_header.as_ref())
            .or(self.return_path.as_ref())
    }
}

fn first_mailbox(address: Option<&mail_parser::Address<'_>>) -> Option<Mailbox> {
    address?
        .iter()
        .find_map(|addr| addr.address().and_then(Mailbox::parse))
}

fn is_html(part: &mail_parser::MessagePart<'_>) -> bool {
    part.content_type().is_some_and(|ct| {
        ct.c_type.eq_ignore_ascii_case("text")
            && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("html"))
    })
}

fn is_amp(part: &mail_parser::MessagePart<'_>) -> bool {
    part.content_type().is_some_and(|ct| {
        ct.c_type.eq_ignore_ascii_case("text")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("x-amp-html"))
    })
}

fn is_plain_text(part: &mail_parser::MessagePart<'_>) -> bool {
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
    if !text.contains(['\r', '\n']) {
        return match text {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
            Cow::Owned(t) => Cow::Owned(t.trim().to_owned()),
        };
    }
    let unfolded: String = text
        .split(['\r', '\n'])
        .filter(|piece| !piece.is_empty())
        .collect::<Vec<_>>()
        .join("");
    Cow::Owned(unfolded.trim().to_owned())
}

/// The `<…>` items of a header like List-Unsubscribe.
fn angle_bracketed(value: &str) -> Vec<String> {
    value
        .split('<')
        .skip(1)
        .filter_map(|piece| {
            piece
                .split_once('>')
                .map(|(inside, _)| inside.trim().to_owned())
        })
        .filter(|item| !item.is_empty())
        .collect()
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
