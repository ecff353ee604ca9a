//! Our own walk over a message's MIME structure. mail-parser decodes every part of a message,
//! attachments included, and the scan reads only the text ones; so this walk finds each part's
//! headers (parsed by mail-parser, so Content-Type, its parameters, encoded words and
//! Content-Disposition read exactly as before) and where its body lies, and leaves the bodies
//! alone. A body is decoded only when someone asks for it (`Part::text`, `Part::contents`).
//!
//! Which parts exist, their order (the numbering findings print as "part 3") and their bodies
//! follow mail-parser 0.11's rules, awkward cases included:
//! - a delimiter is `--boundary` anywhere, not only at the start of a line, so a boundary that
//!   is the prefix of another one matches inside it; the line break before it is not body;
//! - text before the first delimiter (preamble) and after the closing one (epilogue) is skipped;
//! - a multipart whose boundary parameter is empty or never appears is a text part;
//! - a part whose ending delimiter never comes runs to the end of the message, and ends the walk;
//! - a message/rfc822 part without transfer encoding is read in place: its own parts belong to
//!   it, not to the outer message's numbering, and the outer multipart's delimiter ends it;
//! - in a multipart/digest, a part without Content-Type is such a message.
//!
//! Hostile structure meets bounds: no recursion (an explicit stack, `max_mime_depth` deep at
//! most), and the delimiter searches read a bounded multiple of the message.

use crate::limits::Limits;
use crate::transfer::{self, Encoding, Ending};
use mail_parser::parsers::MessageStream;
#[cfg(test)]
use mail_parser::MessageParser;
use mail_parser::{ContentType, GetHeader, Header, HeaderName, HeaderValue};
use std::borrow::Cow;
use std::ops::Range;

/// What a part's body is, as far as reading it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A multipart whose boundary was found: its parts follow it in the list.
    Multipart,
    /// A message/rfc822 (or message/global) part carried as it is: the body is a whole message.
    Message,
    /// text/*, or read as text: a multipart whose boundary never appears, a part cut short.
    Text,
    /// Images, application/*, transfer-encoded messages: never decoded unless asked for.
    Binary,
}

/// One MIME part: its headers, and where its (still encoded) body lies in the message.
#[derive(Debug)]
pub struct Part<'a> {
    pub headers: Vec<Header<'a>>,
    pub body: Range<usize>,
    pub shape: Shape,
    pub encoding: Encoding,
    /// The delimiter that should have ended the body never came: it runs to the end.
    pub cut: bool,
    /// What ended the body.
    ending: Ending,
}

impl<'a> Part<'a> {
    pub fn content_type(&self) -> Option<&ContentType<'a>> {
        self.headers
            .header_value(&HeaderName::ContentType)
            .and_then(|value| value.as_content_type())
    }

    /// `Content-Disposition: attachment`.
    pub fn is_attachment(&self) -> bool {
        self.headers
            .header_value(&HeaderName::ContentDisposition)
            .and_then(|value| value.as_content_type())
            .is_some_and(|disposition| disposition.is_attachment())
    }

    /// The file name the part is offered under (Content-Disposition's `filename`, else
    /// Content-Type's `name`), if any.
    pub fn file_name(&self) -> Option<&str> {
        let disposition = self
            .headers
            .header_value(&HeaderName::ContentDisposition)
            .and_then(|value| value.as_content_type());
        disposition
            .and_then(|d| d.attribute("filename"))
            .or_else(|| self.content_type().and_then(|ct| ct.attribute("name")))
    }

    /// Whether the content type is `kind/subtype` (both given in lower case).
    pub fn is_type(&self, kind: &str, subtype: &str) -> bool {
        self.content_type().is_some_and(|ct| {
            ct.ctype() == kind
                && ct
                    .subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case(subtype))
        })
    }

    /// Bytes of the body as it stands in the message, before any decoding.
    pub fn size(&self) -> usize {
        self.body.len()
    }

    /// The body decoded and in UTF-8.
    pub fn text(&self, raw: &'a [u8]) -> Cow<'a, str> {
        let charset = self.content_type().and_then(|ct| ct.attribute("charset"));
        transfer::text(self.decoded(raw), charset)
    }

    /// The body as a reader of the part wants it: a message part's text as it stands, a text
    /// part decoded into UTF-8, any other part decoded; nothing for a multipart.
    pub fn contents(&self, raw: &'a [u8]) -> Cow<'a, [u8]> {
        match self.shape {
            Shape::Multipart => Cow::Borrowed(&[]),
            Shape::Message => Cow::Borrowed(raw.get(self.body.clone()).unwrap_or_default()),
            Shape::Text => match self.text(raw) {
                Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
                Cow::Owned(text) => Cow::Owned(text.into_bytes()),
            },
            Shape::Binary => self.decoded(raw),
        }
    }

    fn decoded(&self, raw: &'a [u8]) -> Cow<'a, [u8]> {
        let body = raw.get(self.body.clone()).unwrap_or_default();
        transfer::decode(body, self.encoding, self.ending)
    }
}

/// A message's parts, numbered as mail-parser numbered them (the first is the message itself),
/// and what the walk noticed on the way.
#[derive(Debug, Default)]
pub struct Structure<'a> {
    pub parts: Vec<Part<'a>>,
    pub notes: Vec<String>,
}

/// A container the walk is inside: an inline message (the whole message, or a message/rfc822
/// part) or a multipart.
struct Frame {
    message: bool,
    /// A multipart/digest: its parts default to message/rfc822.
    digest: bool,
    /// The delimiter that ends the current part. An inline message has none of its own: it
    /// borrows the enclosing multipart's, which ends it too.
    boundary: Option<Vec<u8>>,
    /// The container's own index in its message's part list.
    part: usize,
}

/// How a part is read, from its Content-Type (mail-parser's classification).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Multipart,
    Message,
    Text,
    Other,
}

fn kind_of(content_type: Option<&ContentType<'_>>, in_digest: bool) -> Kind {
    let Some(ct) = content_type else {
        return if in_digest { Kind::Message } else { Kind::Text };
    };
    match ct.ctype() {
        "multipart" => Kind::Multipart,
        "text" => Kind::Text,
        "message" if matches!(ct.subtype(), Some("rfc822" | "global")) => Kind::Message,
        _ => Kind::Other,
    }
}

/// mail-parser's parser configured as `read_headers` reads: structure only for the header
/// fields the scan reads as values (the addresses, date, Message-ID and subject of a message,
/// and the MIME fields of a part), every other field skipped. The tests check that
/// `read_headers` gives exactly what it gives.
#[cfg(test)]
fn header_parser() -> &'static MessageParser {
    static PARSER: std::sync::LazyLock<MessageParser> = std::sync::LazyLock::new(|| {
        MessageParser::new()
            .header_address(HeaderName::From)
            .header_address(HeaderName::Sender)
            .header_address(HeaderName::ReplyTo)
            .header_address(HeaderName::To)
            .header_address(HeaderName::Cc)
            .header_date(HeaderName::Date)
            .header_id(HeaderName::MessageId)
            .header_text(HeaderName::Subject)
            .header_content_type(HeaderName::ContentType)
            .header_content_type(HeaderName::ContentDisposition)
            .header_text(HeaderName::ContentTransferEncoding)
            .default_header_ignore()
    });
    &PARSER
}

fn transfer_encoding(headers: &Vec<Header<'_>>) -> Encoding {
    match headers.header_value(&HeaderName::ContentTransferEncoding) {
        Some(HeaderValue::Text(name)) => Encoding::named(name),
        _ => Encoding::Identity,
    }
}

/// A header block as read: its first fields, where the body starts, and how its reading ended.
struct HeaderBlock<'a> {
    headers: Vec<Header<'a>>,
    body_start: usize,
    end: BlockEnd,
}

/// How much of a message's header blocks is read.
struct HeaderCaps {
    /// Fields kept of each block; past them, fields are only passed over and counted, so a
    /// block of millions of fields costs no memory.
    keep: usize,
    /// Bytes of field values left to parse into structured values in this message. mail-parser
    /// makes a record of every address of a To field and every parameter of a Content-Type,
    /// and splits a Subject at each encoded word: a value of millions of them costs twenty
    /// times its size. A field longer than what is left is passed over as an unread field is.
    parse_budget: usize,
}

/// Reads the header block at `at`, taking what it parses off `caps.parse_budget`.
fn read_headers<'a>(raw: &'a [u8], at: usize, caps: &mut HeaderCaps) -> HeaderBlock<'a> {
    let mut stream = MessageStream::new(raw);
    stream.skip_bytes(at.min(raw.len()));
    let mut headers = Vec::new();
    let end = parse_headers(&mut stream, raw, &mut headers, caps);
    HeaderBlock {
        headers,
        body_start: stream.offset(),
        end,
    }
}

/// What `parse_headers` found besides the fields it kept: whether the block ended (not when
/// the input ends inside it), its number of fields in all, and how many of them the parse
/// budget left unparsed.
struct BlockEnd {
    complete: bool,
    fields: usize,
    unparsed: usize,
}

/// mail-parser's `MessageStream::parse_headers` with `header_parser`'s configuration, written
/// out: mail-parser parses the fields the scan reads as values (otherwise it takes apart each
/// Received trace, List-* and References field, and copies every other value, and nothing reads
/// the result). The others are only passed over, by a search for the line that does not
/// continue them, where mail-parser steps through them a byte at a time: real mail's long
/// Received, ARC and DKIM chains made that a tenth of a scan. Detectors read such fields as
/// written, by their offsets. `stream` reads `raw`. Fields past the first `keep` are passed
/// over the same way, whatever their name, as is a field to parse that is longer than what is
/// left of `caps.parse_budget`. Returns whether the block ended, its number of fields and the
/// number of fields left unparsed for the budget.
fn parse_headers<'a>(
    stream: &mut MessageStream<'a>,
    raw: &'a [u8],
    headers: &mut Vec<Header<'a>>,
    caps: &mut HeaderCaps,
) -> BlockEnd {
    let mut fields = 0;
    let mut unparsed = 0;
    let end = |complete, fields, unparsed| BlockEnd {
        complete,
        fields,
        unparsed,
    };
    loop {
        // White space before a field is passed over; an empty line ends the block.
        loop {
            match stream.peek() {
                Some(b'\n') => {
                    stream.next();
                    return end(true, fields, unparsed);
                }
                None => return end(false, fields, unparsed),
                Some(byte) if !byte.is_ascii_whitespace() => break,
                _ => {
                    stream.next();
                }
            }
        }
        let offset_field = stream.offset();
        if let Some(name) = header_name(stream, raw) {
            fields += 1;
            let offset_start = stream.offset();
            let kept = fields <= caps.keep;
            let value = if kept && is_parsed(&name) {
                let length = field_end(raw, offset_start).saturating_sub(offset_start);
                if length <= caps.parse_budget {
                    caps.parse_budget -= length;
                    parse_value(stream, &name)
                } else {
                    unparsed += 1;
                    skip_field(stream, raw)
                }
            } else {
                skip_field(stream, raw)
            };
            if !kept {
                continue;
            }
            // Offsets as mail-parser keeps them (`u32`; messages are capped far below).
            headers.push(Header {
                name,
                value,
                offset_field: offset_field as u32,
                offset_start: offset_start as u32,
                offset_end: stream.offset() as u32,
            });
        } else if stream.is_eof() {
            return end(false, fields, unparsed);
        }
    }
}

/// The fields the scan reads as values, parsed by mail-parser; the others are read as written.
fn is_parsed(name: &HeaderName<'_>) -> bool {
    matches!(
        name,
        HeaderName::From
            | HeaderName::Sender
            | HeaderName::ReplyTo
            | HeaderName::To
            | HeaderName::Cc
            | HeaderName::Date
            | HeaderName::MessageId
            | HeaderName::Subject
            | HeaderName::ContentTransferEncoding
            | HeaderName::ContentType
            | HeaderName::ContentDisposition
    )
}

/// A field's value parsed as mail-parser's `header_parser` configuration parses it.
fn parse_value<'a>(stream: &mut MessageStream<'a>, name: &HeaderName<'a>) -> HeaderValue<'a> {
    match name {
        HeaderName::Date => stream.parse_date(),
        HeaderName::MessageId => stream.parse_id(),
        HeaderName::Subject | HeaderName::ContentTransferEncoding => stream.parse_unstructured(),
        HeaderName::ContentType | HeaderName::ContentDisposition => stream.parse_content_type(),
        _ => stream.parse_address(),
    }
}

/// mail-parser's `parse_header_name`, taken at once for an extension field: `X-` is how a
/// name says no standard defines it, mail-parser knows no such name, and so it names the field
/// `HeaderName::Other` with the text from the `X` to the colon. Real mail carries dozens of
/// them (`X-MS-…`, `X-Google-…`, `X-Mailer`, spam scores), and mail-parser's walk takes a name
/// a byte at a time, then checks an unknown one's UTF-8 a byte at a time again: about 4 % of
/// the instructions of a scan of real mail. A name with white space or bytes that are not
/// UTF-8, or no colon on its line, is still left to the walk. The header-block tests compare
/// the result with mail-parser's own loop on their blocks and on every fixture's header, so a
/// mail-parser that learnt one of the `X-` names found there would fail them.
fn header_name<'a>(stream: &mut MessageStream<'a>, raw: &'a [u8]) -> Option<HeaderName<'a>> {
    let rest = raw.get(stream.offset()..).unwrap_or_default();
    if matches!(rest, [b'x' | b'X', b'-', ..]) {
        let colon = memchr::memchr2(b':', b'\n', rest).filter(|&at| rest[at] == b':');
        if let Some(colon) = colon {
            let name = &rest[..colon];
            if !name.iter().any(u8::is_ascii_whitespace) {
                if let Ok(name) = std::str::from_utf8(name) {
                    stream.skip_bytes(colon + 1);
                    return Some(HeaderName::Other(Cow::Borrowed(name)));
                }
            }
        }
    }
    stream.parse_header_name()
}

/// Passes over a field's value, to the line that does not continue it.
fn skip_field<'a>(stream: &mut MessageStream<'a>, raw: &'a [u8]) -> HeaderValue<'a> {
    // At the end of the input the stream's position runs past it (its offset stays at the
    // end), and there is nothing left to skip.
    let skip = field_end(raw, stream.offset()).saturating_sub(stream.offset());
    if skip > 0 {
        stream.skip_bytes(skip);
    }
    HeaderValue::Empty
}

/// Where a field's value that starts at `from` ends: after the first line break not followed by
/// a space or tab (which would continue the field), and after that space or tab when one does;
/// the end of `raw` when no line ends it. mail-parser's `parse_and_ignore`, by `memchr`.
fn field_end(raw: &[u8], from: usize) -> usize {
    let mut at = from.min(raw.len());
    while let Some(found) = memchr::memchr(b'\n', &raw[at..]) {
        let newline = at + found;
        if matches!(raw.get(newline + 1), Some(b' ' | b'\t')) {
            at = newline + 2;
        } else {
            return newline + 1;
        }
    }
    raw.len()
}

/// Finds delimiters, counting the bytes read by searches that found nothing. A search that
/// finds its delimiter moves the walk past it, so those cost the message's length in all; one
/// that fails leaves the walk where it was, and a multipart naming a boundary that never appears
/// costs the rest of the message. Many of them (built to hurt) would take quadratic time, so
/// their reading is capped by a budget.
struct Delimiters<'a> {
    raw: &'a [u8],
    /// The search for the last boundary asked for (`--` and the boundary), kept while the
    /// next search is for the same one: a multipart's delimiters are searched for one after
    /// another, and building the searcher cost more than most of its searches.
    finder: Option<memchr::memmem::Finder<'static>>,
    wasted: usize,
    budget: usize,
}

impl Delimiters<'_> {
    /// Where the first `--boundary` at or after `from` starts.
    fn find(&mut self, boundary: &[u8], from: usize) -> Option<usize> {
        let same = self
            .finder
            .as_ref()
            .is_some_and(|f| f.needle().strip_prefix(b"--") == Some(boundary));
        if !same {
            let needle = [b"--", boundary].concat();
            self.finder = Some(memchr::memmem::Finder::new(&needle).into_owned());
        }
        let haystack = self.raw.get(from..)?;
        let found = self.finder.as_ref()?.find(haystack);
        if found.is_none() {
            self.wasted += haystack.len();
        }
        found.map(|at| from + at)
    }

    fn exhausted(&self) -> bool {
        self.wasted > self.budget
    }
}

/// Where the body that starts at `start` ends, given its delimiter's dashes at `dashes`: before
/// the line break that precedes them, if one does.
fn body_end(raw: &[u8], start: usize, dashes: usize) -> (usize, Ending) {
    if dashes > start && raw.get(dashes - 1) == Some(&b'\n') {
        if dashes - 1 > start && raw.get(dashes - 2) == Some(&b'\r') {
            (dashes - 2, Ending::Line)
        } else {
            (dashes - 1, Ending::Line)
        }
    } else {
        (dashes, Ending::Inline)
    }
}

/// After a delimiter (at `at`): true for the closing `--`; otherwise steps over the line end.
fn closes(raw: &[u8], at: &mut usize) -> bool {
    match (raw.get(*at), raw.get(*at + 1)) {
        (Some(b'\r'), Some(b'\n')) => *at += 2,
        (Some(b'-'), Some(b'-')) => {
            *at += 2;
            return true;
        }
        (Some(b'\n'), _) => *at += 1,
        (Some(byte), _) if byte.is_ascii_whitespace() => *at = skip_line_end(raw, *at + 1),
        _ => {}
    }
    false
}

/// Skips blanks and CRs up to and including a line feed.
fn skip_line_end(raw: &[u8], mut at: usize) -> usize {
    while let Some(&byte) = raw.get(at) {
        at += 1;
        match byte {
            b'\r' | b' ' | b'\t' => {}
            b'\n' => break,
            _ => return at - 1,
        }
    }
    at
}

/// The end of an inline message closed by the delimiter that ends at `after`.
fn before_delimiter(raw: &[u8], after: usize, boundary: usize) -> usize {
    let dashes = after.saturating_sub(boundary + 2);
    match dashes.checked_sub(2).and_then(|at| raw.get(at)) {
        Some(b'\r') => dashes - 2,
        _ => dashes.saturating_sub(1),
    }
}

/// Walks a message's structure. `None` when the input does not start with a header.
pub fn walk<'a>(raw: &'a [u8], limits: &Limits) -> Option<Structure<'a>> {
    let mut walker = Walker {
        raw,
        max_depth: limits.max_mime_depth,
        finder: Delimiters {
            raw,
            finder: None,
            wasted: 0,
            budget: raw.len().saturating_mul(8).saturating_add(1 << 20),
        },
        state: Frame {
            message: true,
            digest: false,
            boundary: None,
            part: 0,
        },
        stack: Vec::new(),
        levels: vec![Vec::new()],
        at: 0,
        max_parts: limits.max_parts.max(1),
        parts_read: 0,
        header_caps: HeaderCaps {
            keep: limits.max_headers,
            parse_budget: limits.max_parsed_header_bytes,
        },
        unparsed_fields: 0,
        too_deep: false,
        gave_up: false,
        notes: Vec::new(),
    };
    let unread_headers = walker.walk()?;
    walker.unwind();

    let mut parts = walker.levels.pop().unwrap_or_default();
    if parts.is_empty() {
        if unread_headers.is_empty() {
            return None;
        }
        // Headers and no body.
        parts.push(Part {
            headers: unread_headers,
            body: raw.len()..raw.len(),
            shape: Shape::Text,
            encoding: Encoding::Identity,
            cut: false,
            ending: Ending::Data,
        });
    }
    if walker.parts_read > walker.max_parts {
        walker.notes.push(format!(
            "more than max_parts ({}) MIME parts; the rest of the message was not read",
            limits.max_parts
        ));
    }
    if walker.too_deep {
        walker.notes.push(format!(
            "MIME parts nested deeper than max_mime_depth ({}) were read whole, not opened",
            limits.max_mime_depth
        ));
    }
    if walker.unparsed_fields > 0 {
        walker.notes.push(format!(
            "{} header field(s) too long to parse: the message's fields to parse (addresses, \
             Content-Type, Subject, …) may hold max_parsed_header_bytes ({}) in all; read as \
             written instead",
            walker.unparsed_fields, limits.max_parsed_header_bytes
        ));
    }
    Some(Structure {
        parts,
        notes: walker.notes,
    })
}

/// What follows a delimiter.
enum After {
    /// The next part's headers.
    Part,
    /// Nothing more: the structure has ended (or broken off).
    End,
}

struct Walker<'a> {
    raw: &'a [u8],
    max_depth: usize,
    finder: Delimiters<'a>,
    /// The container the walk is in.
    state: Frame,
    /// Containers entered and not yet left; `true` marks one that opened an inline message.
    stack: Vec<(Frame, bool)>,
    /// One part list per inline message entered; the first is the message's own.
    levels: Vec<Vec<Part<'a>>>,
    at: usize,
    /// Parts kept at most (at least one: the message itself). Past them the walk stops, so a
    /// message of millions of tiny parts costs no more memory than `max_parts` of them.
    max_parts: usize,
    /// Parts met so far, one more than `max_parts` when the walk stopped for it.
    parts_read: usize,
    /// How much of each header block is read, and what is left of the message's parse budget.
    header_caps: HeaderCaps,
    /// Fields the parse budget left unparsed, in all the message's blocks (noted once).
    unparsed_fields: usize,
    too_deep: bool,
    /// The failed-search budget ran out (noted once).
    gave_up: bool,
    notes: Vec<String>,
}

impl<'a> Walker<'a> {
    /// Reads parts until the structure ends. Returns the header block the input ended in, if
    /// it did; `None` when the message has no header at all.
    fn walk(&mut self) -> Option<Vec<Header<'a>>> {
        loop {
            if self.parts_read == self.max_parts {
                // Another part follows (the last delimiter did not close the structure).
                self.parts_read += 1;
                return Some(Vec::new());
            }
            let HeaderBlock {
                headers,
                body_start,
                end,
            } = read_headers(self.raw, self.at, &mut self.header_caps);
            if end.fields > self.header_caps.keep {
                self.fields_past_cap(end.fields);
            }
            self.unparsed_fields += end.unparsed;
            if !end.complete {
                self.at = self.raw.len();
                return Some(headers);
            }
            if self.at == 0 && headers.is_empty() {
                return None;
            }
            let content_type = headers
                .header_value(&HeaderName::ContentType)
                .and_then(|value| value.as_content_type());
            let mut kind = kind_of(content_type, self.state.digest);
            let deep = self.stack.len() >= self.max_depth;

            if kind == Kind::Multipart {
                if let Some(boundary) = content_type.and_then(|ct| ct.attribute("boundary")) {
                    let boundary = boundary.as_bytes().to_vec();
                    let digest = content_type.is_some_and(|ct| ct.subtype() == Some("digest"));
                    if deep {
                        self.too_deep = true;
                    } else if let Some(dashes) = self.opening(&boundary, body_start) {
                        self.enter_multipart(headers, body_start, boundary, digest, dashes);
                        continue;
                    }
                    // Its parts cannot be told apart: the whole body is one text.
                    kind = Kind::Text;
                }
            }

            let encoding = transfer_encoding(&headers);
            if kind == Kind::Message && encoding == Encoding::Identity {
                if !deep {
                    self.enter_message(headers, body_start);
                    continue;
                }
                self.too_deep = true;
                kind = Kind::Other;
            }

            if !self.leaf(headers, body_start, kind, encoding) {
                return Some(Vec::new());
            }
            match self.close() {
                After::Part => {}
                After::End => return Some(Vec::new()),
            }
        }
    }

    /// Where a multipart's first delimiter is (an empty boundary has none). Once failed
    /// searches have used up their budget, no more are made: a multipart is then read as text.
    fn opening(&mut self, boundary: &[u8], body_start: usize) -> Option<usize> {
        if boundary.is_empty() {
            return None;
        }
        if self.finder.exhausted() {
            if !self.gave_up {
                self.gave_up = true;
                self.notes.push(
                    "multiparts naming boundaries that never appear made the part search read \
                     the message again and again; after that, multiparts were read as text, not \
                     opened"
                        .to_owned(),
                );
            }
            return None;
        }
        self.finder.find(boundary, body_start)
    }

    fn enter_multipart(
        &mut self,
        headers: Vec<Header<'a>>,
        body_start: usize,
        boundary: Vec<u8>,
        digest: bool,
        dashes: usize,
    ) {
        let index = self.push_part(container(headers, body_start, Shape::Multipart));
        self.at = skip_line_end(self.raw, dashes + 2 + boundary.len());
        let inner = Frame {
            message: false,
            digest,
            part: index,
            boundary: Some(boundary),
        };
        self.stack
            .push((std::mem::replace(&mut self.state, inner), false));
    }

    /// A message/rfc822 part read in place: its own headers come next.
    fn enter_message(&mut self, headers: Vec<Header<'a>>, body_start: usize) {
        let index = self.push_part(container(headers, body_start, Shape::Message));
        let inner = Frame {
            message: true,
            digest: false,
            part: index,
            boundary: self.state.boundary.take(),
        };
        self.stack
            .push((std::mem::replace(&mut self.state, inner), true));
        self.levels.push(Vec::new());
        self.at = body_start;
    }

    /// A part with a body of its own, which runs to the next delimiter or to the end. False
    /// when no delimiter follows it.
    fn leaf(
        &mut self,
        headers: Vec<Header<'a>>,
        body_start: usize,
        kind: Kind,
        encoding: Encoding,
    ) -> bool {
        let mut part = Part {
            headers,
            body: body_start..self.raw.len(),
            shape: if kind == Kind::Text {
                Shape::Text
            } else {
                Shape::Binary
            },
            encoding,
            cut: false,
            ending: Ending::Data,
        };
        self.at = self.raw.len();
        if let Some(boundary) = self.state.boundary.take() {
            match self.finder.find(&boundary, body_start) {
                Some(dashes) => {
                    (part.body.end, part.ending) = body_end(self.raw, body_start, dashes);
                    self.at = dashes + 2 + boundary.len();
                    self.state.boundary = Some(boundary);
                }
                None => {
                    // Read as text to the end; the multipart's boundary is given up.
                    part.cut = true;
                    part.shape = Shape::Text;
                }
            }
        }
        self.push_part(part);
        self.state.boundary.is_some()
    }

    /// After a delimiter: closes whatever it closes.
    fn close(&mut self) -> After {
        let mut boundary = boundary_len(&self.state);
        loop {
            if self.state.message {
                // An inline message ends at its enclosing multipart's next delimiter.
                let Some((mut parent, true)) = self.stack.pop() else {
                    return After::End;
                };
                self.levels.pop();
                let end = before_delimiter(self.raw, self.at, boundary);
                set_end(&mut self.levels, self.state.part, end);
                parent.boundary = self.state.boundary.take();
                self.state = parent;
            }
            if !closes(self.raw, &mut self.at) {
                return After::Part;
            }
            // The closing delimiter: the multipart is complete.
            if self
                .levels
                .last()
                .is_none_or(|parts| parts.len() <= self.state.part)
            {
                return After::End;
            }
            set_end(&mut self.levels, self.state.part, self.at);
            let Some((parent, opened_message)) = self.stack.pop() else {
                return After::End;
            };
            if opened_message {
                // mail-parser forgets the enclosing message's part list here, and goes on
                // filling the enclosed one's: follow it, so part numbers stay the same.
                let count = self.levels.len();
                if count >= 2 {
                    self.levels.remove(count - 2);
                }
            }
            self.state = parent;
            // The enclosing multipart goes on at its own next delimiter.
            let Some(next) = self.state.boundary.clone() else {
                return After::End;
            };
            let Some(dashes) = self.finder.find(&next, self.at) else {
                return After::End;
            };
            self.at = dashes + 2 + next.len();
            boundary = next.len();
        }
    }

    /// Containers left open by an early end: each inline message ends where the walk stopped.
    fn unwind(&mut self) {
        while let Some((parent, opened_message)) = self.stack.pop() {
            let enclosed = if opened_message {
                self.levels.pop()
            } else {
                None
            };
            set_end(&mut self.levels, self.state.part, self.at);
            if enclosed.is_some_and(|parts| parts.is_empty()) {
                // The input ended before the enclosed message's header did: it is read as text.
                let boundary = self.state.boundary.as_deref();
                if let Some(part) = self
                    .levels
                    .last_mut()
                    .and_then(|parts| parts.get_mut(self.state.part))
                {
                    part.shape = Shape::Text;
                    part.body.end = text_end(self.raw, part.body.clone(), boundary);
                }
            }
            self.state = parent;
        }
    }

    /// Notes a header block of more than `max_headers` fields (the message's own, or the
    /// part's about to be read).
    fn fields_past_cap(&mut self, fields: usize) {
        let whose = if self.parts_read == 0 {
            "the message has"
        } else {
            "a MIME part has"
        };
        self.notes.push(format!(
            "{whose} {fields} header fields; only the first max_headers ({}) were analysed",
            self.header_caps.keep
        ));
    }

    /// Adds a part to the current message's list; returns its index there.
    fn push_part(&mut self, part: Part<'a>) -> usize {
        self.parts_read += 1;
        match self.levels.last_mut() {
            Some(parts) => {
                parts.push(part);
                parts.len() - 1
            }
            None => 0,
        }
    }
}

/// Where an enclosed message read as text ends: before its last delimiter and the line
/// break ahead of it, when the text is UTF-8 and has one (mail-parser's rule).
fn text_end(raw: &[u8], body: Range<usize>, boundary: Option<&[u8]>) -> usize {
    let Some(text) = raw
        .get(body.clone())
        .filter(|text| std::str::from_utf8(text).is_ok())
    else {
        return body.end;
    };
    let Some(cut) = boundary.and_then(|b| memchr::memmem::rfind(text, b)) else {
        return body.end;
    };
    let Some(before) = text.get(..cut).and_then(|t| t.strip_suffix(b"--")) else {
        return body.end;
    };
    let before = before.strip_suffix(b"\n").unwrap_or(before);
    let before = before.strip_suffix(b"\r").unwrap_or(before);
    body.start + before.len()
}

fn boundary_len(frame: &Frame) -> usize {
    frame.boundary.as_ref().map_or(0, Vec::len)
}

fn container<'a>(headers: Vec<Header<'a>>, body_start: usize, shape: Shape) -> Part<'a> {
    Part {
        headers,
        body: body_start..body_start,
        shape,
        encoding: Encoding::Identity,
        cut: false,
        ending: Ending::Data,
    }
}

/// Sets where a container's body ends, once that is known.
fn set_end(levels: &mut [Vec<Part<'_>>], index: usize, end: usize) {
    if let Some(part) = levels.last_mut().and_then(|parts| parts.get_mut(index)) {
        part.body.end = end.max(part.body.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::MessageView;
    use mail_parser::{MimeHeaders, PartType};

    /// `read_headers` against mail-parser's own loop with `header_parser`'s configuration.
    fn same_headers_as_mail_parser(raw: &[u8], at: usize) {
        let mut caps = HeaderCaps {
            keep: usize::MAX,
            parse_budget: usize::MAX,
        };
        let block = read_headers(raw, at, &mut caps);
        let ours = (block.end.complete, block.headers, block.body_start);
        let mut stream = MessageStream::new(raw);
        stream.skip_bytes(at.min(raw.len()));
        let mut headers = Vec::new();
        let complete = stream.parse_headers(header_parser(), &mut headers);
        let theirs = (complete, headers, stream.offset());
        assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(raw));
    }

    #[test]
    fn header_blocks_are_read_as_mail_parser_reads_them() {
        let blocks: &[&[u8]] = &[
            b"From: a@b.example\nTo: c@d.example\nSubject: hi\n\nbody",
            b"Received: from x\r\n\tby y;\r\n Tue, 1 Jan 2030\r\nDKIM-Signature: v=1;\r\n b=abc\r\nFrom: \"A\" <a@b.example>\r\n\r\nbody",
            b"X-Long: one\n two\n\tthree\nX-Next: four\n\n",
            b"  \t leading white space\nFrom: a@b.example\n\n",
            b"no colon on this line\nFrom: a@b.example\n\n",
            b"X-Cut: the input ends inside a field",
            b"X-Cut-In-The-Name",
            b"X-Cut:",
            b"X-Cut: ends at a folded line\n ",
            b"X-Empty:\nX-Also-Empty: \n\n",
            b"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\nX-A: b\n\n",
            b"List-Unsubscribe: <https://u.example/x>,\n <mailto:u@u.example>\nReferences: <a@b> <c@d>\n\n",
            b"\n",
            b"",
            b"From: a@b.example\nX-Spaces-Only:    \n   \nTo: e@f.example\n\n",
            b"A-Very-Long-Header-Name-That-Runs-Past-Thirty-Four-Bytes: v\nDate: Tue, 1 Jan 2030 10:00:00 +0000\n\n",
            b"Message-ID: <x@y.example>\nX-\xff\xfe: binary\n\xff\n\n",
            // Extension fields, which are named without mail-parser's walk when they can be.
            b"x-lower:a\nX-MS-Exchange-Organization-Network-Message-Id: b\nX-: c\nX-Ok:\n\n",
            b"X-Space-Before-Colon : a\nX- Space-Inside: b\nX-Tab\t: c\nX-\xc3\xa9t\xc3\xa9: d\n\n",
            b"X-No-Colon-On-This-Line\nX-Next: a\n\n",
            b"X-Colon-Later\n and here: a\n\n",
            b"X-Cr\r: a\r\nX-Fine: b\r\n\r\n",
            b"X-At-The-End:",
            b"X-",
            b"X-Received: by 2002:a05:6a20; Tue, 1 Jan 2030\nReceived: from x\n\n",
        ];
        for raw in blocks {
            same_headers_as_mail_parser(raw, 0);
        }
        // From inside the input, as for a part's header block.
        let raw = b"preamble\nX-A: b\n c\nContent-Type: text/plain\n\nbody";
        same_headers_as_mail_parser(raw, 9);
    }

    #[test]
    fn every_fixture_header_block_is_read_as_mail_parser_reads_it() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        let mut read = 0;
        for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
            if entry.file_type().is_file() {
                let raw = std::fs::read(entry.path()).unwrap();
                same_headers_as_mail_parser(&raw, 0);
                read += 1;
            }
        }
        assert!(read > 50, "only {read} fixture files");
    }

    fn view(raw: &str) -> MessageView<'_> {
        MessageView::parse(raw.as_bytes()).expect("a message")
    }

    fn html(view: &MessageView<'_>) -> Vec<(usize, String)> {
        view.html_parts().map(|(i, t)| (i, t.to_owned())).collect()
    }

    fn text(view: &MessageView<'_>) -> Vec<(usize, String)> {
        view.text_parts().map(|(i, t)| (i, t.to_owned())).collect()
    }

    #[test]
    fn html_and_text_parts_are_found_and_decoded() {
        let raw = "From: a@b.example\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
            preamble\r\n--alt\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\
            Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=E9 =\r\nau lait\r\n\
            --alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\
            PGltZyBzcmM9Imh0dHBzOi8vdC5leGFtcGxlL28iPg==\r\n--alt--\r\nepilogue\r\n";
        let view = view(raw);
        assert_eq!(text(&view), [(1, "café au lait".to_owned())]);
        assert_eq!(
            html(&view),
            [(2, "<img src=\"https://t.example/o\">".to_owned())]
        );
    }

    #[test]
    fn attachments_are_counted_and_sized_but_not_decoded() {
        let raw = "From: a@b.example\nContent-Type: multipart/mixed; boundary=m\n\n--m\n\
            Content-Type: text/html\n\n<p>hi</p>\n--m\nContent-Type: application/pdf\n\
            Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\nJVBERi0xLjQK\n--m\n\
            Content-Type: text/html\nContent-Disposition: attachment; filename=a.html\n\n\
            <img src=\"https://t.example/o\">\n--m--\n";
        let view = view(raw);
        assert_eq!(view.parts().len(), 4);
        let pdf = &view.parts()[2];
        assert_eq!(pdf.shape, Shape::Binary);
        assert_eq!(pdf.size(), "JVBERi0xLjQK\nJVBERi0xLjQK".len());
        // An HTML attachment is not a body the reader sees.
        assert_eq!(html(&view), [(1, "<p>hi</p>".to_owned())]);
    }

    #[test]
    fn a_multipart_cut_before_its_closing_boundary_still_yields_its_html() {
        let raw = "From: a@b.example\nContent-Type: multipart/alternative; boundary=b\n\n--b\n\
            Content-Type: text/plain\n\nhello\n--b\nContent-Type: text/html\n\
            Content-Transfer-Encoding: quoted-printable\n\n<img src=3D\"https://t.example/o\">\n";
        let view = view(raw);
        assert_eq!(
            html(&view),
            [(2, "<img src=\"https://t.example/o\">\n".to_owned())]
        );
        assert!(view.warnings.iter().any(|w| w.contains("closing boundary")));
    }

    #[test]
    fn an_enclosed_message_keeps_its_parts_to_itself() {
        let raw = "From: a@b.example\nContent-Type: multipart/mixed; boundary=out\n\n--out\n\
            Content-Type: text/plain\n\nsee below\n--out\nContent-Type: message/rfc822\n\n\
            From: c@d.example\nContent-Type: multipart/alternative; boundary=in\n\n--in\n\
            Content-Type: text/html\n\n<p>forwarded</p>\n--in--\n\n--out\n\
            Content-Type: text/html\n\n<p>outer</p>\n--out--\n";
        let view = view(raw);
        // 0 the message, 1 text, 2 the enclosed message (its parts are its own), 3 html.
        assert_eq!(view.parts().len(), 4);
        assert_eq!(view.parts()[2].shape, Shape::Message);
        assert_eq!(html(&view), [(3, "<p>outer</p>".to_owned())]);
    }

    #[test]
    fn nesting_deeper_than_the_cap_is_read_whole_and_noted() {
        let depth = 150;
        let mut raw =
            String::from("From: a@b.example\nContent-Type: multipart/mixed; boundary=b0\n\n");
        for level in 0..depth {
            raw.push_str(&format!(
                "--b{level}\nContent-Type: multipart/mixed; boundary=b{}\n\n",
                level + 1
            ));
        }
        raw.push_str(&format!(
            "--b{depth}\nContent-Type: text/html\n\n<p>deep</p>\n"
        ));
        let capped = MessageView::parse(raw.as_bytes()).unwrap();
        assert!(capped.warnings.iter().any(|w| w.contains("max_mime_depth")));
        assert_eq!(capped.html_parts().count(), 0);
        let limits = Limits {
            max_mime_depth: 200,
            ..Limits::default()
        };
        let deep = MessageView::parse_limited(raw.as_bytes(), &limits).unwrap();
        assert_eq!(
            deep.html_parts().map(|(_, t)| t).collect::<Vec<_>>(),
            ["<p>deep</p>\n"]
        );
    }

    #[test]
    fn the_walk_stops_after_max_parts_and_says_so() {
        let message = |children: usize| {
            let mut raw =
                String::from("From: a@b.example\nContent-Type: multipart/mixed; boundary=p\n\n");
            for i in 0..children {
                raw.push_str(&format!("--p\nContent-Type: text/html\n\n<p>{i}</p>\n"));
            }
            raw + "--p--\n"
        };
        let limits = Limits {
            max_parts: 5,
            ..Limits::default()
        };
        let html_of = |raw: &str| {
            let view = MessageView::parse_limited(raw.as_bytes(), &limits).unwrap();
            let texts: Vec<String> = view.html_parts().map(|(_, t)| t.to_string()).collect();
            (view.parts().len(), texts, view.warnings)
        };
        // The message and four parts: all of it, no warning.
        let (parts, texts, warnings) = html_of(&message(4));
        assert_eq!((parts, texts.len()), (5, 4));
        assert!(warnings.is_empty(), "{warnings:?}");
        // A hundred thousand parts: the same five kept, the rest not even listed.
        let (parts, texts, warnings) = html_of(&message(100_000));
        assert_eq!(parts, 5);
        assert_eq!(texts, ["<p>0</p>", "<p>1</p>", "<p>2</p>", "<p>3</p>"]);
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("more than max_parts (5)")),
            "{warnings:?}"
        );
    }

    #[test]
    fn header_blocks_keep_max_headers_fields_and_count_the_rest() {
        let limits = Limits {
            max_headers: 3,
            ..Limits::default()
        };
        let parse = |raw| MessageView::parse_limited(raw, &limits).unwrap();
        let flood = "X-Filler: y\n".repeat(50_000);

        // The message's own block: From is kept, the flood counted, the body still found.
        let raw = format!("From: a@b.example\n{flood}Content-Type: text/html\n\n<p>body</p>\n");
        let view = parse(raw.as_bytes());
        assert_eq!(view.parts()[0].headers.len(), 3);
        assert_eq!(view.from.as_ref().unwrap().address, "a@b.example");
        assert!(
            view.warnings.iter().any(|w| w
                == "the message has 50002 header fields; only the first max_headers (3) were analysed"),
            "{:?}",
            view.warnings
        );
        // The Content-Type past the cap was not read: the body is plain text.
        assert_eq!(view.html_parts().count(), 0);

        // A part's block: capped and noted the same way; the parts after it are still read.
        let raw = format!(
            "From: a@b.example\nContent-Type: multipart/mixed; boundary=p\n\n\
             --p\n{flood}\nfirst\n--p\nContent-Type: text/html\n\n<p>second</p>\n--p--\n"
        );
        let view = parse(raw.as_bytes());
        assert_eq!(view.parts()[1].headers.len(), 3);
        assert!(
            view.warnings
                .iter()
                .any(|w| w.starts_with("a MIME part has 50000 header fields")),
            "{:?}",
            view.warnings
        );
        assert_eq!(
            view.html_parts().map(|(_, t)| t).collect::<Vec<_>>(),
            ["<p>second</p>"]
        );

        // At the cap exactly: nothing to say.
        let view = parse(b"From: a@b.example\nTo: c@d.example\nSubject: s\n\nbody\n");
        assert!(view.warnings.is_empty(), "{:?}", view.warnings);
    }

    #[test]
    fn boundaries_that_never_appear_cannot_make_the_walk_quadratic() {
        let mut raw =
            String::from("From: a@b.example\nContent-Type: multipart/mixed; boundary=m\n\n");
        for i in 0..4_000 {
            raw.push_str(&format!(
                "--m\nContent-Type: multipart/mixed; boundary=never{i}\n\n{}\n",
                "x".repeat(400)
            ));
        }
        raw.push_str("--m\nContent-Type: text/html\n\n<p>after</p>\n--m--\n");
        let view = view(&raw);
        assert!(view.warnings.iter().any(|w| w.contains("again and again")));
        // The walk went on: the part after them is still found.
        assert_eq!(html(&view), [(4_001, "<p>after</p>".to_owned())]);
    }

    /// The part numbering and the decoded text must be mail-parser's, awkward cases included
    /// (findings name parts by number, and reports must not move).
    #[test]
    fn parts_are_numbered_and_decoded_as_mail_parser_did() {
        let cases = [
            // bare LF, preamble and epilogue
            "From: a@b.example\nContent-Type: multipart/alternative; boundary=b\n\npre\n--b\n\
             Content-Type: text/plain\n\none\n--b\nContent-Type: text/html\n\n<p>two</p>\n--b--\npost\n",
            // a delimiter not at the start of a line, a boundary that prefixes another
            "From: a@b.example\nContent-Type: multipart/mixed; boundary=ab\n\n--ab\n\
             Content-Type: text/html\n\nx--ab\nContent-Type: text/plain\n\ny\n--abc\n\
             Content-Type: text/html\n\n<b>z</b>\n--ab--\n",
            // no boundary parameter, an empty one, one that never appears
            "From: a@b.example\nContent-Type: multipart/mixed\n\n--x\nContent-Type: text/html\n\n<p>a</p>\n",
            "From: a@b.example\nContent-Type: multipart/mixed; boundary=\"\"\n\n--\nContent-Type: text/html\n\n<p>a</p>\n",
            "From: a@b.example\nContent-Type: multipart/mixed; boundary=zz\n\n--x\nContent-Type: text/html\n\n<p>a</p>\n",
            // a part without headers, a digest's default type, nested multiparts
            "From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nno headers\n--b\n\
             Content-Type: multipart/digest; boundary=d\n\n--d\n\nFrom: x@y.example\n\nenclosed\n--d--\n\
             --b\nContent-Type: multipart/related; boundary=r\n\n--r\nContent-Type: text/html\n\
             Content-Transfer-Encoding: quoted-printable\n\n<a href=3D\"https://l.example/=\n?a=3D1\">l</a>\n\
             --r--\n--b--\n",
            // a message/rfc822 part at the closing boundary, inside another one
            "From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\n\
             Content-Type: message/rfc822\n\nFrom: c@d.example\n\ninner\n--b--\n",
            // CRLF, base64 with line breaks, a charset
            "From: a@b.example\r\nContent-Type: multipart/alternative; boundary=\"=_q\"\r\n\r\n--=_q\r\n\
             Content-Type: text/html; charset=windows-1252\r\nContent-Transfer-Encoding: base64\r\n\r\n\
             PHA+k2hp\r\nlDwvcD4=\r\n--=_q\r\nContent-Type: text/x-amp-html\r\n\r\n<amp>\r\n--=_q--\r\n",
        ];
        for raw in cases {
            let ours = view(raw);
            let theirs = mail_parser::MessageParser::default()
                .parse(raw.as_bytes())
                .unwrap();
            assert_eq!(ours.parts().len(), theirs.parts.len(), "{raw}");
            let listed = |html: bool| -> Vec<(usize, String)> {
                theirs
                    .parts
                    .iter()
                    .enumerate()
                    .filter_map(|(i, part)| match &part.body {
                        PartType::Html(t) if html => Some((i, t.to_string())),
                        PartType::Text(t)
                            if !html
                                && part.content_type().is_none_or(|ct| {
                                    ct.ctype() == "text"
                                        && ct.subtype().is_none_or(|s| s == "plain")
                                }) =>
                        {
                            Some((i, t.to_string()))
                        }
                        _ => None,
                    })
                    .collect()
            };
            assert_eq!(html(&ours), listed(true), "{raw}");
            assert_eq!(text(&ours), listed(false), "{raw}");
        }
    }
}
