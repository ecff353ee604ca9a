//! A line reader for mbox splitting: reads one line at a time from any `BufRead`, keeps at most a
//! caller-given number of its bytes (a 40 MB line without a newline must not become a 40 MB
//! allocation unless the message budget allows it), tracks the stream offset, and can take bytes
//! back (the Content-Length path reads ahead and may have to give the bytes back).

use std::io::{self, BufRead};

pub struct LineReader<R> {
    inner: R,
    /// Bytes given back with `unread`, served before `inner`, from `pushback_pos` on.
    pushback: Vec<u8>,
    pushback_pos: usize,
    /// Offset in the stream of the next byte `read_line` will return.
    offset: u64,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R) -> Self {
        LineReader {
            inner,
            pushback: Vec::new(),
            pushback_pos: 0,
            offset: 0,
        }
    }

    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Reads the next line, terminator included. `line` is cleared and receives at most `keep`
    /// bytes of it. Returns the line's full length; 0 means end of input.
    pub fn read_line(&mut self, line: &mut Vec<u8>, keep: usize) -> io::Result<usize> {
        line.clear();
        let mut total = 0usize;
        loop {
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
            self.consume(taken);
            total += taken;
            if found_newline {
                break;
            }
        }
        Ok(total)
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

    /// Appends to `out`, in one copy, the whole lines of the buffered input that come before
    /// the first line containing `needle`, taking at most `max` bytes; returns how many. Zero
    /// when the next line holds the needle or is not complete in the buffer: the caller then
    /// reads it with `read_line`. This is the mbox body's fast path: lines without `From `
    /// cannot be separators or quoted separators, so they need no look one by one.
    pub fn take_lines_before(
        &mut self,
        needle: &memchr::memmem::Finder<'_>,
        out: &mut Vec<u8>,
        max: usize,
    ) -> io::Result<usize> {
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
        out.extend_from_slice(&lines[..take]);
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

    fn available(&mut self) -> io::Result<&[u8]> {
        if self.pushback_pos < self.pushback.len() {
            return Ok(&self.pushback[self.pushback_pos..]);
        }
        // Retry interrupted reads; the second call returns the bytes already buffered.
        loop {
            match self.inner.fill_buf() {
                Ok(_) => break,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            }
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.offset += n as u64;
        if self.pushback_pos < self.pushback.len() {
            self.pushback_pos += n;
            if self.pushback_pos == self.pushback.len() {
                self.pushback.clear();
                self.pushback_pos = 0;
            }
        } else {
            self.inner.consume(n);
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
