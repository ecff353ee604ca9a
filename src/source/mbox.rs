//! A streaming mbox splitter, written here because mail-parser's drops text before the first
//! separator, keeps no offsets and has no size cap.
//!
//! It reads line by line, never holding more than one message (capped); a message that lies
//! whole in one read chunk is handed on as a range of it (`lines.rs`), others are copied. It
//! knows the variants:
//! mboxo and mboxcl quote body lines `From ` as `>From `; mboxrd quotes every `>*From ` line by
//! adding one `>`; mboxcl and mboxcl2 frame bodies with `Content-Length` (cl2 without quoting).
//! A `Content-Length` is trusted only when it lands exactly on the next separator or the end of
//! the file, because stale lengths are common in archives that passed through other tools.

use super::lines::LineReader;
use super::message_bytes::MessageBytes;
use super::{looks_like_header_block, Format, Item, RawMessage};
use crate::locator::Locator;
use std::io::BufRead;

/// How `>From ` quoting is undone. `Auto` undoes mboxrd quoting (which also reads mboxo files
/// right in all but one rare case: an original body line `>From `), and, where a valid
/// Content-Length frames a body, leaves it unquoted unless its lines show mboxcl quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MboxFormat {
    #[default]
    Auto,
    Mboxo,
    Mboxrd,
    Mboxcl,
    Mboxcl2,
}

impl MboxFormat {
    fn uses_content_length(self) -> bool {
        matches!(
            self,
            MboxFormat::Auto | MboxFormat::Mboxcl | MboxFormat::Mboxcl2
        )
    }
}

/// Bytes kept of a line that does not fit in the message budget: enough to recognise a separator.
const LINE_PEEK: usize = 256;

/// Bytes that may be read ahead for Content-Lengths that turn out wrong before the budget
/// starts to depend on the file read so far (see `MboxSplitter::may_frame`).
const LOOKAHEAD_GRACE: u64 = 16 * 1024 * 1024;

pub struct MboxSplitter<R> {
    lines: LineReader<R>,
    /// The file (or archive member) the messages are in; each gets it with its offset.
    place: Locator,
    format: MboxFormat,
    max_message: usize,
    /// Offset of the `From ` line that starts the next message, once it has been read.
    next_start: Option<u64>,
    started: bool,
    line: Vec<u8>,
    /// Bytes read ahead for Content-Lengths that did not frame a body (and were read again).
    wasted_lookahead: u64,
    /// Whether Content-Length framing was given up for the rest of the file.
    lengths_ignored: bool,
    /// Finds `From `, the only text that makes a body line more than bytes to copy.
    from_finder: memchr::memmem::Finder<'static>,
    /// The last message's size (at most `SIZE_HINT_CAP`): the next is given that much room
    /// at once, as messages of one archive tend to be alike, rather than grown by copies.
    size_hint: usize,
}

/// The most room a message is given before its first byte is read.
const SIZE_HINT_CAP: usize = 1 << 20;

impl MboxSplitter<std::io::Empty> {
    /// A splitter over a file read whole: its messages are ranges of `bytes`, not copies.
    pub fn over_bytes(
        bytes: Vec<u8>,
        place: impl Into<Locator>,
        format: MboxFormat,
        max_message: usize,
    ) -> Self {
        MboxSplitter::over(
            LineReader::over_bytes(bytes),
            place.into(),
            format,
            max_message,
        )
    }
}

impl<R: BufRead> MboxSplitter<R> {
    pub fn new(
        reader: R,
        place: impl Into<Locator>,
        format: MboxFormat,
        max_message: usize,
    ) -> Self {
        MboxSplitter::over(LineReader::new(reader), place.into(), format, max_message)
    }

    /// A splitter that reads `chunk` bytes at a time rather than a few MiB: the messages are
    /// the same, only more of them are copied out of the chunks. Tests and the fuzz target use
    /// small chunks to put chunk ends everywhere.
    pub fn with_chunk_size(
        reader: R,
        place: impl Into<Locator>,
        format: MboxFormat,
        max_message: usize,
        chunk: usize,
    ) -> Self {
        let lines = LineReader::with_chunk_size(reader, chunk);
        MboxSplitter::over(lines, place.into(), format, max_message)
    }

    fn over(lines: LineReader<R>, place: Locator, format: MboxFormat, max_message: usize) -> Self {
        MboxSplitter {
            lines,
            place,
            format,
            max_message,
            next_start: None,
            started: false,
            line: Vec::new(),
            wasted_lookahead: 0,
            lengths_ignored: false,
            from_finder: memchr::memmem::Finder::new(b"From "),
            size_hint: 0,
        }
    }

    fn error(&self, offset: u64, error: String) -> Item {
        Item::Error(super::SourceError {
            format: Format::Mbox,
            locator: self.place.with_offset(offset),
            error,
        })
    }

    fn read_error(&mut self, err: std::io::Error) -> Item {
        self.next_start = None;
        self.error(self.lines.offset(), format!("read error: {err}"))
    }

    /// Reads up to the first separator. Text found before it is a message when it looks like
    /// one (an export that forgot the first `From ` line), an error entry otherwise.
    fn preamble(&mut self) -> Result<Option<Item>, std::io::Error> {
        let mut text = Vec::new();
        let mut oversize = false;
        let mut prev_blank = true;
        loop {
            let start = self.lines.offset();
            let keep = self.max_message.saturating_sub(text.len()).max(LINE_PEEK);
            let len = self.lines.read_line(&mut self.line, keep)?;
            if len == 0 {
                break;
            }
            if is_separator(&self.line, prev_blank) {
                self.next_start = Some(start);
                break;
            }
            prev_blank = is_blank(&self.line);
            if text.len() + len <= self.max_message && !oversize {
                text.extend_from_slice(&self.line);
            } else {
                oversize = true;
            }
        }
        let end = self.next_start.unwrap_or(self.lines.offset());
        if text.iter().all(u8::is_ascii_whitespace) && !oversize {
            return Ok(None);
        }
        if !oversize && looks_like_header_block(&text) {
            return Ok(Some(Item::Message(RawMessage {
                locator: self.place.with_offset(0),
                format: Format::Mbox,
                bytes: text.into(),
                warnings: vec!["message before the first From separator".into()],
                read: None,
            })));
        }
        let what = if self.next_start.is_some() {
            "before the first From separator"
        } else {
            "and no From separator: not an mbox"
        };
        Ok(Some(self.error(
            0,
            format!("{end} bytes of text {what}, not a message"),
        )))
    }

    /// Reads one message whose `From ` line starts at `start` (already consumed).
    fn message(&mut self, start: u64) -> Result<Item, std::io::Error> {
        let mut bytes = MessageBytes::default();
        let mut oversize = false;
        let mut warnings = Vec::new();
        let mut content_length = None;

        // Header block, up to and including the blank line.
        let mut ended_headers = false;
        loop {
            let line_start = self.lines.offset();
            let keep = self.keep(bytes.len(), oversize);
            let len = self.lines.read_line(&mut self.line, keep)?;
            if len == 0 {
                break;
            }
            if is_separator(&self.line, false) {
                // A header block cannot hold a `From ` line: the message was cut short.
                self.next_start = Some(line_start);
                warnings.push("message ends inside its header block".to_owned());
                return Ok(self.finish(start, bytes, oversize, warnings));
            }
            self.push_line(&mut bytes, 0, len, &mut oversize);
            if is_blank(&self.line) {
                ended_headers = true;
                break;
            }
            if content_length.is_none() {
                content_length = parse_content_length(&self.line);
            }
        }
        if !ended_headers {
            if !bytes.is_empty() {
                warnings.push("message ends inside its header block".to_owned());
            }
            return Ok(self.finish(start, bytes, oversize, warnings));
        }

        if let Some(length) = content_length.filter(|_| self.format.uses_content_length()) {
            if !oversize
                && bytes.len() + length <= self.max_message
                && self.may_frame(&mut warnings)
            {
                if let Some(body) = self.framed_body(length)? {
                    let unquote = match self.format {
                        MboxFormat::Mboxcl => Some(MboxFormat::Mboxo),
                        MboxFormat::Auto if shows_cl_quoting(&body) => Some(MboxFormat::Mboxo),
                        _ => None,
                    };
                    let room = self.room();
                    match unquote {
                        Some(format) => unquote_body(&body, format, bytes.to_mut(room)),
                        None => bytes.extend_from_slice(&body, room),
                    }
                    return Ok(self.finish(start, bytes, oversize, warnings));
                }
            }
        }

        // Body found by scanning for the next separator.
        let mut prev_blank = true;
        loop {
            if !oversize {
                let room = self.max_message.saturating_sub(bytes.len());
                let before = bytes.len();
                let hint = self.room();
                if self
                    .lines
                    .take_lines_before(&self.from_finder, &mut bytes, room, hint)?
                    > 0
                {
                    prev_blank = ends_with_blank_line(&bytes[before..]);
                }
            }
            let line_start = self.lines.offset();
            let keep = self.keep(bytes.len(), oversize);
            let len = self.lines.read_line(&mut self.line, keep)?;
            if len == 0 {
                break;
            }
            if is_separator(&self.line, prev_blank) {
                self.next_start = Some(line_start);
                trim_one_line_end(&mut bytes, prev_blank);
                break;
            }
            prev_blank = is_blank(&self.line);
            let unquoted = unquoted_len(&self.line, self.format);
            let skip = self.line.len() - unquoted.min(self.line.len());
            self.push_line(&mut bytes, skip, len, &mut oversize);
        }
        Ok(self.finish(start, bytes, oversize, warnings))
    }

    /// Reads exactly `length` body bytes and checks that a separator (or the end) follows.
    /// On any mismatch the bytes are given back and `None` says: scan for separators instead.
    fn framed_body(&mut self, length: usize) -> Result<Option<Vec<u8>>, std::io::Error> {
        let mut body = Vec::with_capacity(length.min(1 << 20));
        let mut ahead = Vec::new();
        let got = self.lines.read_up_to(&mut body, length)?;
        let mut framed = false;
        if got == length {
            for _ in 0..2 {
                let line_start = self.lines.offset();
                let len = self.lines.read_line(&mut self.line, LINE_PEEK)?;
                if len == 0 {
                    framed = true;
                    break;
                }
                if is_separator(&self.line, true) && self.line.len() == len {
                    self.next_start = Some(line_start);
                    framed = true;
                    break;
                }
                let blank = is_blank(&self.line);
                ahead.extend_from_slice(&self.line);
                if !blank || self.line.len() != len {
                    break;
                }
            }
        }
        if framed {
            return Ok(Some(body));
        }
        body.extend_from_slice(&ahead);
        self.wasted_lookahead = self.wasted_lookahead.saturating_add(body.len() as u64);
        self.lines.unread(&body);
        Ok(None)
    }

    /// Whether a Content-Length may still be tried. A wrong one costs a read ahead of up to the
    /// message cap that is then read again, so an archive of many small messages with huge
    /// stale lengths took time quadratic in its size (found while fuzzing; see
    /// tests/integration/fuzz_regressions.rs). The bytes wasted that way are capped at twice
    /// the input read so far plus a grace; past that, messages are split by separators only,
    /// and the message where that happens says so.
    fn may_frame(&mut self, warnings: &mut Vec<String>) -> bool {
        if self.lengths_ignored {
            return false;
        }
        let budget = LOOKAHEAD_GRACE.saturating_add(self.lines.offset().saturating_mul(2));
        if self.wasted_lookahead <= budget {
            return true;
        }
        self.lengths_ignored = true;
        warnings.push(
            "too many Content-Length headers did not match the file; messages from here on are split at From separators only"
                .to_owned(),
        );
        false
    }

    fn keep(&self, message_len: usize, oversize: bool) -> usize {
        if oversize {
            LINE_PEEK
        } else {
            self.max_message.saturating_sub(message_len).max(LINE_PEEK)
        }
    }

    /// The room a message copied out of its chunk is given at once: the last message's size,
    /// as messages of one archive tend to be alike.
    fn room(&self) -> usize {
        self.size_hint.min(self.max_message)
    }

    /// Appends the line just read, from its `skip`th byte (a quoting `>`), unless the message
    /// would pass the size cap or the line was kept only in part: then the message is too big.
    fn push_line(
        &self,
        bytes: &mut MessageBytes,
        skip: usize,
        full_len: usize,
        oversize: &mut bool,
    ) {
        let kept = self.line.len().saturating_sub(skip);
        let full = full_len - skip;
        if *oversize || bytes.len() + full > self.max_message || kept < full {
            *oversize = true;
            return;
        }
        self.lines
            .append_last_line(bytes, &self.line, skip, self.room());
    }

    fn finish(
        &mut self,
        start: u64,
        bytes: MessageBytes,
        oversize: bool,
        warnings: Vec<String>,
    ) -> Item {
        self.size_hint = bytes.len().min(SIZE_HINT_CAP);
        // The room left over would stay with the message while it waits for a worker.
        let mut bytes = bytes;
        bytes.shrink_to_fit();
        let end = self.next_start.unwrap_or(self.lines.offset());
        if oversize {
            return self.error(
                start,
                format!(
                    "message of {} bytes exceeds the {}-byte message size cap",
                    end - start,
                    self.max_message
                ),
            );
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return self.error(start, "empty message after a From separator".to_owned());
        }
        Item::Message(RawMessage {
            locator: self.place.with_offset(start),
            format: Format::Mbox,
            bytes,
            warnings,
            read: None,
        })
    }
}

impl<R: BufRead> Iterator for MboxSplitter<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if !self.started {
            self.started = true;
            match self.preamble() {
                Ok(Some(item)) => return Some(item),
                Ok(None) => {}
                Err(err) => return Some(self.read_error(err)),
            }
        }
        let start = self.next_start.take()?;
        Some(
            self.message(start)
                .unwrap_or_else(|err| self.read_error(err)),
        )
    }
}

/// Whether the last of some whole lines is blank.
fn ends_with_blank_line(lines: &[u8]) -> bool {
    let body = &lines[..lines.len().saturating_sub(1)];
    let last_start = memchr::memrchr(b'\n', body).map_or(0, |at| at + 1);
    is_blank(&lines[last_start..])
}

fn is_blank(line: &[u8]) -> bool {
    matches!(line, b"\n" | b"\r\n")
}

/// Whether a line is an mbox `From ` separator. After a blank line (or at the start) any
/// `From <token> …` line with a digit in it is one (envelope dates vary wildly: ctime, RFC 2822,
/// Takeout's numeric ids); elsewhere a time of day is also required, for writers that omit the
/// blank line before separators.
pub(crate) fn is_separator(line: &[u8], after_blank: bool) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let rest = rest.trim_ascii();
    if rest.is_empty() || !rest.iter().any(u8::is_ascii_digit) {
        return false;
    }
    after_blank || has_time_of_day(rest)
}

fn has_time_of_day(text: &[u8]) -> bool {
    text.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == b':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    })
}

fn parse_content_length(line: &[u8]) -> Option<usize> {
    const NAME: &[u8] = b"content-length:";
    let head = line.get(..NAME.len())?;
    if !head.eq_ignore_ascii_case(NAME) {
        return None;
    }
    let value = line[NAME.len()..].trim_ascii();
    if value.is_empty() || value.len() > 12 || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// How many bytes of `line` remain after undoing the variant's `>From ` quoting (one `>` goes).
fn unquoted_len(line: &[u8], format: MboxFormat) -> usize {
    let quoted = match format {
        MboxFormat::Mboxcl2 => false,
        MboxFormat::Mboxo | MboxFormat::Mboxcl => line.starts_with(b">From "),
        MboxFormat::Auto | MboxFormat::Mboxrd => {
            let arrows = line.iter().take_while(|&&b| b == b'>').count();
            arrows > 0 && line[arrows..].starts_with(b"From ")
        }
    };
    if quoted {
        line.len() - 1
    } else {
        line.len()
    }
}

/// A Content-Length body from an mboxcl writer has quoted `>From ` lines and no bare ones.
fn shows_cl_quoting(body: &[u8]) -> bool {
    let mut quoted = false;
    for line in body.split(|&b| b == b'\n') {
        if line.starts_with(b"From ") {
            return false;
        }
        quoted |= line.starts_with(b">From ");
    }
    quoted
}

fn unquote_body(body: &[u8], format: MboxFormat, out: &mut Vec<u8>) {
    for line in body.split_inclusive(|&b| b == b'\n') {
        let keep = unquoted_len(line, format);
        out.extend_from_slice(&line[line.len() - keep..]);
    }
}

/// Drops the blank line that the mbox format puts before a separator: it is not message text.
fn trim_one_line_end(bytes: &mut MessageBytes, prev_blank: bool) {
    if !prev_blank {
        return;
    }
    if bytes.ends_with(b"\r\n") {
        bytes.truncate(bytes.len() - 2);
    } else if bytes.ends_with(b"\n") {
        bytes.truncate(bytes.len() - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(data: &[u8], format: MboxFormat) -> Vec<Item> {
        MboxSplitter::new(data, "t.mbox", format, 1 << 20).collect()
    }

    /// What a reader of the scan sees of each item: where it starts, and its bytes and
    /// warnings, or its error.
    fn seen(items: Vec<Item>) -> Vec<(Option<u64>, Vec<u8>, Vec<String>)> {
        items
            .into_iter()
            .map(|item| match item {
                Item::Message(m) => (m.locator.offset, m.bytes.into_vec(), m.warnings),
                Item::Error(e) => (e.locator.offset, Vec::new(), vec![e.error]),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    #[test]
    fn messages_are_the_same_wherever_the_read_chunks_end() {
        // Messages are handed on as ranges of the chunk they were read into when they lie in
        // one, and copied when they do not: chunks of a few bytes cut every line, header and
        // quoted `From ` apart, and must give the same messages as the default.
        let tricky = concat!(
            "From a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\n>From quoted\n\n",
            "From b@x Mon Jan  1 00:00:01 2024\r\nSubject: crlf\r\n\r\nbody\r\n\r\n",
            "From c@x Mon Jan  1 00:00:02 2024\nContent-Length: 5\n\nhello\n",
            "From d@x Mon Jan  1 00:00:03 2024\nContent-Length: 99\n\nshort\n\n",
            "From e@x Mon Jan  1 00:00:04 2024\nSubject: cut\nFrom f@x Mon Jan  1 00:00:05 2024\n",
            "Subject: big\n\n",
        );
        let big = format!(
            "{tricky}{}\n\nFrom g@x Mon Jan  1 00:00:06 2024\n\nend",
            "x".repeat(3000)
        );
        let mut inputs: Vec<Vec<u8>> = vec![tricky.as_bytes().to_vec(), big.into_bytes()];
        for entry in std::fs::read_dir("fixtures/formats").unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "mbox") {
                inputs.push(std::fs::read(path).unwrap());
            }
        }
        inputs.push(std::fs::read("fixtures/demo.mbox").unwrap());
        for data in &inputs {
            for format in [MboxFormat::Auto, MboxFormat::Mboxo, MboxFormat::Mboxcl2] {
                for max in [1 << 20, 1000] {
                    let whole = seen(MboxSplitter::new(&data[..], "t", format, max).collect());
                    assert!(!whole.is_empty());
                    // A small file read whole is split from those bytes.
                    let read_whole = MboxSplitter::over_bytes(data.clone(), "t", format, max);
                    assert_eq!(
                        seen(read_whole.collect()),
                        whole,
                        "{format:?}, cap {max}, read whole"
                    );
                    for chunk in [1, 2, 3, 7, 64, 1000] {
                        let split =
                            MboxSplitter::with_chunk_size(&data[..], "t", format, max, chunk);
                        assert_eq!(
                            seen(split.collect()),
                            whole,
                            "{format:?}, cap {max}, chunk {chunk}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_message_lying_in_one_chunk_is_not_copied() {
        let data = b"From a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\n\nFrom b@x Mon Jan  1 00:00:01 2024\nSubject: two\n\n>From quoted\n";
        let items = split(data, MboxFormat::Auto);
        assert!(
            matches!(&items[0], Item::Message(m) if matches!(m.bytes, MessageBytes::Shared { .. }))
        );
        // Unquoting changes the bytes, so that message is a copy.
        assert!(matches!(&items[1], Item::Message(m) if matches!(m.bytes, MessageBytes::Owned(_))));
        assert_eq!(bodies(&items)[1].1, "Subject: two\n\nFrom quoted\n");
    }

    fn bodies(items: &[Item]) -> Vec<(u64, String)> {
        items
            .iter()
            .map(|item| match item {
                Item::Message(m) => (
                    m.locator.offset.unwrap(),
                    String::from_utf8_lossy(&m.bytes).into_owned(),
                ),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    #[test]
    fn separators_split_messages_and_offsets_point_at_from_lines() {
        let data = b"From a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\n\nFrom b@x Mon Jan  1 00:00:01 2024\nSubject: two\n\nbody2\n";
        let got = bodies(&split(data, MboxFormat::Auto));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], (0, "Subject: one\n\nbody\n".to_string()));
        let second = data.windows(8).position(|w| w == b"From b@x").unwrap() as u64;
        assert_eq!(got[1].0, second);
    }

    #[test]
    fn mboxrd_removes_one_quote_level_and_mboxo_only_from_single() {
        let data = b"From a@x Mon Jan  1 00:00:00 2024\nSubject: q\n\n>From here\n>>From there\n";
        let rd = bodies(&split(data, MboxFormat::Mboxrd));
        assert!(rd[0].1.ends_with("\nFrom here\n>From there\n"));
        let o = bodies(&split(data, MboxFormat::Mboxo));
        assert!(o[0].1.ends_with("\nFrom here\n>>From there\n"));
    }

    #[test]
    fn valid_content_length_keeps_a_bare_from_line_inside_the_body() {
        let body = "intro\n\nFrom the archive, 1999 edition\n";
        let data = format!(
            "From a@x Mon Jan  1 00:00:00 2024\nContent-Length: {}\n\n{}\nFrom b@x Mon Jan  1 00:00:01 2024\nSubject: two\n\nx\n",
            body.len(),
            body
        );
        let got = bodies(&split(data.as_bytes(), MboxFormat::Auto));
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].1.contains("From the archive"));
    }

    #[test]
    fn wrong_content_length_falls_back_to_separators() {
        let data = b"From a@x Mon Jan  1 00:00:00 2024\nContent-Length: 3\n\nhello world\n\nFrom b@x Mon Jan  1 00:00:01 2024\nSubject: two\n\nx\n";
        let got = bodies(&split(data, MboxFormat::Auto));
        assert_eq!(got.len(), 2);
        assert!(got[0].1.ends_with("hello world\n"));
    }

    #[test]
    fn text_before_the_first_separator_is_reported() {
        let data = b"notes\n\nFrom a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\n";
        let items = split(data, MboxFormat::Auto);
        assert!(matches!(&items[0], Item::Error(e) if e.error.contains("before the first From")));
        assert!(matches!(&items[1], Item::Message(m) if m.locator.offset == Some(7)));
    }

    #[test]
    fn an_oversize_message_is_an_error_and_the_next_one_survives() {
        let big = "x".repeat(5000);
        let data = format!("From a@x Mon Jan  1 00:00:00 2024\nSubject: big\n\n{big}\n\nFrom b@x Mon Jan  1 00:00:01 2024\nSubject: two\n\nx\n");
        let items: Vec<Item> =
            MboxSplitter::new(data.as_bytes(), "t", MboxFormat::Auto, 1000).collect();
        assert!(matches!(&items[0], Item::Error(e) if e.error.contains("size cap")));
        assert!(matches!(&items[1], Item::Message(_)));
    }

    #[test]
    fn crlf_separators_and_blank_lines_are_recognised() {
        let data = b"From a@x Mon Jan  1 00:00:00 2024\r\nSubject: one\r\n\r\nbody\r\n\r\nFrom b@x Mon Jan  1 00:00:01 2024\r\nSubject: two\r\n\r\nx\r\n";
        let got = bodies(&split(data, MboxFormat::Auto));
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, "Subject: one\r\n\r\nbody\r\n");
    }
}
