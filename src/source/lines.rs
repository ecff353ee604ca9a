//! A line reader for mbox splitting: reads one line at a time from any reader, keeps at most a
//! caller-given number of its bytes (a 40 MB line without a newline must not become a 40 MB
//! allocation unless the message budget allows it), tracks the stream offset, and can take bytes
//! back (the Content-Length path reads ahead and may have to give the bytes back). It reads in
//! large chunks of its own, and hands whole lines on as ranges of a chunk, so a message that
//! lies in one chunk is never copied out of it.

use super::message_bytes::MessageBytes;
use std::io::{self, Read};
use std::ops::Range;
use std::sync::Arc;

/// Bytes read from the input at a time. Messages lying whole in one chunk share it instead of
/// being copied out (`MessageBytes`), so a chunk lives until its last message is scanned; the
/// messages in flight (a few batches of at most 16 MiB each, chunks counted whole) hold about
/// a dozen of them.
const CHUNK: usize = 4 << 20;

/// The first read into a new chunk: the room zeroed before it (and doubled before the next).
const FIRST_READ: usize = 64 << 10;

/// Chunks kept for reading into again once their messages are done.
const SPARE_CHUNKS: usize = 16;

pub struct LineReader<R> {
    inner: R,
    /// The chunk being read: bytes `pos..filled` are not consumed yet.
    chunk: Arc<Vec<u8>>,
    pos: usize,
    filled: usize,
    /// The size of a chunk. Only the pages a read fills are touched, so a short stream costs
    /// no more than its length.
    chunk_size: usize,
    /// Chunks handed out before, some still held by messages; read into again when free.
    spare: Vec<Arc<Vec<u8>>>,
    /// Counts the chunk fills: a line's place in the chunk is only good until the next one.
    fills: u64,
    /// Where the last line `read_line` returned lies in the chunk, when it lies there whole:
    /// the fill it came from and its range.
    last_line: Option<(u64, Range<usize>)>,
    /// Bytes given back with `unread`, served before the chunk, from `pushback_pos` on.
    pushback: Vec<u8>,
    pushback_pos: usize,
    /// Offset in the stream of the next byte `read_line` will return.
    offset: u64,
    /// The input has ended: no chunk is made to find that out again.
    ended: bool,
    /// A read error that came after bytes the last fill still returned.
    failed: Option<io::Error>,
}

impl LineReader<io::Empty> {
    /// A reader over bytes already read whole (a small file): they are the one chunk, and its
    /// messages ranges of them.
    pub fn over_bytes(bytes: Vec<u8>) -> Self {
        let mut reader = LineReader::with_chunk_size(io::empty(), CHUNK);
        reader.filled = bytes.len();
        reader.chunk = Arc::new(bytes);
        reader.ended = true;
        reader
    }
}

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> Self {
        LineReader::with_chunk_size(inner, CHUNK)
    }

    /// A reader that reads at most `size` bytes at a time (tests use small ones to put chunk
    /// ends everywhere).
    pub fn with_chunk_size(inner: R, size: usize) -> Self {
        LineReader {
            inner,
            chunk: Arc::new(Vec::new()),
            pos: 0,
            filled: 0,
            chunk_size: size.max(1),
            spare: Vec::new(),
            fills: 0,
            last_line: None,
            pushback: Vec::new(),
            pushback_pos: 0,
            offset: 0,
            ended: false,
            failed: None,
        }
    }

    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Reads the next line, terminator included. `line` is cleared and receives at most `keep`
    /// bytes of it. Returns the line's full length; 0 means end of input.
    pub fn read_line(&mut self, line: &mut Vec<u8>, keep: usize) -> io::Result<usize> {
        line.clear();
        self.last_line = None;
        let mut total = 0usize;
        loop {
            let from_chunk = !self.serving_pushback();
            let (taken, found_newline) = {
                let available = self.available()?;
                if available.is_empty() {
                    break;
                }
                let (taken, found) = match memchr::memchr(b'\n', available) {
                    Some(pos) => (pos + 1, true),
                    None => (available.len(), false),
                };
                let room = keep.saturating_sub(line.len());
                line.extend_from_slice(&available[..taken.min(room)]);
                (taken, found)
            };
            if total == 0 && from_chunk {
                self.last_line = Some((self.fills, self.pos..self.pos + taken));
            } else {
                self.last_line = None; // in pieces: only `line` has it whole
            }
            self.consume(taken);
            total += taken;
            if found_newline {
                break;
            }
        }
        Ok(total)
    }

    /// Appends to `out` the last line `read_line` returned, from its `skip`th byte: a range of
    /// the chunk when the line lies there whole and the chunk has not been read into since (a
    /// line that ran to the end of the input made one more fill, which found nothing), else
    /// copied from `line` (what `read_line` filled). `room` is the message's expected size,
    /// for a copy.
    pub fn append_last_line(&self, out: &mut MessageBytes, line: &[u8], skip: usize, room: usize) {
        match &self.last_line {
            Some((fill, range)) if *fill == self.fills && range.len() == line.len() => {
                out.push_shared(&self.chunk, range.start + skip..range.end, room);
            }
            _ => out.extend_from_slice(&line[skip..], room),
        }
    }

    /// Reads up to `n` bytes (fewer only at end of input) and appends them to `out`.
    pub fn read_up_to(&mut self, out: &mut Vec<u8>, n: usize) -> io::Result<usize> {
        let mut read = 0;
        while read < n {
            let taken = {
                let available = self.available()?;
                if available.is_empty() {
                    break;
                }
                let taken = available.len().min(n - read);
                out.extend_from_slice(&available[..taken]);
                taken
            };
            self.consume(taken);
            read += taken;
        }
        Ok(read)
    }

    /// Appends to `out` the whole lines of the buffered input that come before the first line
    /// containing `needle`, taking at most `max` bytes; returns how many. Zero when the next
    /// line holds the needle or is not complete in the buffer: the caller then reads it with
    /// `read_line`. This is the mbox body's fast path: lines without `From ` cannot be
    /// separators or quoted separators, so they need no look one by one, and they are taken
    /// as a range of the chunk, not copied. `room` is the message's expected size, for a copy.
    pub fn take_lines_before(
        &mut self,
        needle: &memchr::memmem::Finder<'_>,
        out: &mut MessageBytes,
        max: usize,
        room: usize,
    ) -> io::Result<usize> {
        let from_chunk = !self.serving_pushback();
        let available = self.available()?;
        let window = &available[..available.len().min(max)];
        let Some(last_newline) = memchr::memrchr(b'\n', window) else {
            return Ok(0);
        };
        let lines = &window[..=last_newline];
        let take = match needle.find(lines) {
            Some(hit) => memchr::memrchr(b'\n', &lines[..hit]).map_or(0, |at| at + 1),
            None => lines.len(),
        };
        if take > 0 {
            if from_chunk {
                out.push_shared(&self.chunk, self.pos..self.pos + take, room);
            } else {
                out.extend_from_slice(&lines[..take], room);
            }
        }
        self.consume(take);
        Ok(take)
    }

    /// Gives bytes back: the next reads return `bytes` first, then what was pending before.
    pub fn unread(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let mut pending = Vec::with_capacity(bytes.len() + self.pushback.len() - self.pushback_pos);
        pending.extend_from_slice(bytes);
        pending.extend_from_slice(&self.pushback[self.pushback_pos..]);
        self.pushback = pending;
        self.pushback_pos = 0;
        self.offset -= bytes.len() as u64;
    }

    fn serving_pushback(&self) -> bool {
        self.pushback_pos < self.pushback.len()
    }

    fn available(&mut self) -> io::Result<&[u8]> {
        if self.serving_pushback() {
            return Ok(&self.pushback[self.pushback_pos..]);
        }
        if self.pos == self.filled {
            self.fill()?;
        }
        Ok(&self.chunk[self.pos..self.filled])
    }

    /// Reads the next bytes into a chunk no message holds: the current one when none does, a
    /// spare one whose messages are all done, or a new one.
    fn fill(&mut self) -> io::Result<()> {
        if self.ended {
            return Ok(());
        }
        let size = self.chunk_size;
        // Free: no message holds it (and it is a chunk, not the empty one a reader starts with).
        let free = |chunk: &mut Arc<Vec<u8>>| {
            Arc::get_mut(chunk).is_some_and(|chunk| chunk.capacity() >= size)
        };
        if !free(&mut self.chunk) {
            let next = match self.spare.iter_mut().position(free) {
                Some(free) => self.spare.swap_remove(free),
                // Not zeroed here: `vec![0; size]` is a `calloc`, and jemalloc zeroes a large
                // block it hands out again by giving its pages back to the system, so each new
                // chunk faulted in 1,024 pages anew (a 4 MiB in-memory archive split five
                // times slower). The reads below zero what they are about to fill instead.
                None => Arc::new(Vec::with_capacity(size)),
            };
            let held = std::mem::replace(&mut self.chunk, next);
            if Arc::strong_count(&held) > 1 && self.spare.len() < SPARE_CHUNKS {
                self.spare.push(held);
            }
        }
        self.fills += 1;
        self.pos = 0;
        self.filled = 0;
        if let Some(err) = self.failed.take() {
            return Err(err);
        }
        // No message holds the chunk now, so this never copies it.
        let chunk = Arc::make_mut(&mut self.chunk);
        // Plain `read` calls into the initialised part of the chunk: `read_to_end` would zero
        // its room again before every fill, since the readers in between (a `BufReader` over
        // the byte-counting reader) cannot take an uninitialised buffer on stable Rust. A
        // chunk's bytes are zeroed once, on its first fill, as far as the reads get, in steps
        // that double: a short stream touches no more than its length.
        let result = loop {
            if self.filled == size {
                break Ok(());
            }
            if chunk.len() == self.filled {
                let step = self.filled.max(FIRST_READ).min(size - self.filled);
                chunk.resize(self.filled + step, 0);
            }
            match self.inner.read(&mut chunk[self.filled..]) {
                Ok(0) => {
                    self.ended = true;
                    break Ok(());
                }
                Ok(n) => self.filled += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => break Err(err),
            }
        };
        match result {
            Ok(()) => Ok(()),
            // The bytes read before an error are served first; the error comes next time.
            Err(err) if self.filled > 0 => {
                self.failed = Some(err);
                Ok(())
            }
            Err(err) => Err(err),
        }
    }

    fn consume(&mut self, n: usize) {
        self.offset += n as u64;
        if self.serving_pushback() {
            self.pushback_pos += n;
            if self.pushback_pos == self.pushback.len() {
                self.pushback.clear();
                self.pushback_pos = 0;
            }
        } else {
            self.pos += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_counted_in_full_but_kept_only_up_to_the_cap() {
        let data = [vec![b'x'; 10_000], b"\nnext\n".to_vec()].concat();
        let mut reader = LineReader::new(io::BufReader::with_capacity(64, &data[..]));
        let mut line = Vec::new();
        assert_eq!(reader.read_line(&mut line, 100).unwrap(), 10_001);
        assert_eq!(line.len(), 100);
        assert_eq!(reader.read_line(&mut line, 100).unwrap(), 5);
        assert_eq!(line, b"next\n");
        assert_eq!(reader.read_line(&mut line, 100).unwrap(), 0);
    }

    #[test]
    fn bytes_read_before_an_error_are_served_and_the_error_follows() {
        // A disk that fails part-way: the lines it gave are not lost with the chunk.
        struct Failing(&'static [u8]);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("bad sector"));
                }
                let n = self.0.len().min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = LineReader::new(Failing(b"one\ntwo\n"));
        let mut line = Vec::new();
        assert_eq!(reader.read_line(&mut line, 64).unwrap(), 4);
        assert_eq!(reader.read_line(&mut line, 64).unwrap(), 4);
        assert_eq!(line, b"two\n");
        let err = reader.read_line(&mut line, 64).unwrap_err();
        assert_eq!(err.to_string(), "bad sector");
    }

    #[test]
    fn short_and_interrupted_reads_lose_no_bytes() {
        // A pipe or a network file system hands out a few bytes at a time, and a signal can
        // interrupt a read: the chunk is filled on across both, and a chunk read into again
        // shows none of its earlier bytes.
        struct Dribbling {
            data: &'static [u8],
            calls: usize,
        }
        impl Read for Dribbling {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.calls += 1;
                if self.calls.is_multiple_of(3) {
                    return Err(io::ErrorKind::Interrupted.into());
                }
                let n = self.data.len().min(buf.len()).min(self.calls % 4 + 1);
                buf[..n].copy_from_slice(&self.data[..n]);
                self.data = &self.data[n..];
                Ok(n)
            }
        }
        let data = b"a first long line\nb\nthird line\nlast";
        let inner = Dribbling { data, calls: 0 };
        let mut reader = LineReader::with_chunk_size(inner, 8);
        let (mut line, mut lines) = (Vec::new(), Vec::new());
        while reader.read_line(&mut line, 64).unwrap() > 0 {
            lines.push(String::from_utf8(line.clone()).unwrap());
        }
        assert_eq!(
            lines,
            ["a first long line\n", "b\n", "third line\n", "last"]
        );
        assert_eq!(reader.offset(), data.len() as u64);
    }

    #[test]
    fn a_last_line_that_ends_a_full_chunk_is_copied_once_the_end_is_found() {
        // `cde` fills the second chunk exactly; finding the end of the input reads into the
        // chunk again, so the line can no longer be taken as a range of it.
        let mut reader = LineReader::with_chunk_size(&b"ab\ncde"[..], 3);
        let mut line = Vec::new();
        reader.read_line(&mut line, 64).unwrap();
        assert_eq!(reader.read_line(&mut line, 64).unwrap(), 3);
        let mut message = MessageBytes::default();
        reader.append_last_line(&mut message, &line, 0, 0);
        assert_eq!(&*message, b"cde");
    }

    #[test]
    fn unread_bytes_come_back_first_and_the_offset_follows() {
        let mut reader = LineReader::new(&b"one\ntwo\nthree\n"[..]);
        let mut line = Vec::new();
        reader.read_line(&mut line, 64).unwrap();
        let mut ahead = Vec::new();
        reader.read_up_to(&mut ahead, 6).unwrap();
        assert_eq!(ahead, b"two\nth");
        reader.unread(&ahead);
        assert_eq!(reader.offset(), 4);
        reader.read_line(&mut line, 64).unwrap();
        assert_eq!(line, b"two\n");
        reader.read_line(&mut line, 64).unwrap();
        assert_eq!(line, b"three\n");
    }
}
