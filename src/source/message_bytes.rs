//! A message's bytes as a source hands them over: a vector of its own, or a stretch of a read
//! chunk shared with the messages around it. The mbox splitter reads a file in large chunks
//! and a message that lies back to back in one of them is only a range of it, so its bytes are
//! not copied a second time on their way to a worker (the reader thread's largest cost after
//! the kernel's own copy; see docs/benchmarks.md). Either way a message reads as `&[u8]`.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

#[derive(Clone)]
pub enum MessageBytes {
    Owned(Vec<u8>),
    /// `range` of a read chunk; the chunk is freed, or read into again, once no message holds it.
    Shared {
        chunk: Arc<Vec<u8>>,
        range: Range<usize>,
    },
}

impl Default for MessageBytes {
    fn default() -> Self {
        MessageBytes::Owned(Vec::new())
    }
}

impl Deref for MessageBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            MessageBytes::Owned(bytes) => bytes,
            MessageBytes::Shared { chunk, range } => &chunk[range.clone()],
        }
    }
}

impl From<Vec<u8>> for MessageBytes {
    fn from(bytes: Vec<u8>) -> Self {
        MessageBytes::Owned(bytes)
    }
}

impl fmt::Debug for MessageBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.deref().fmt(f)
    }
}

impl MessageBytes {
    /// Appends `range` of `chunk`: the message stays a range of the chunk while its pieces
    /// follow one another there, and becomes a copy as soon as one does not.
    pub fn push_shared(&mut self, chunk: &Arc<Vec<u8>>, range: Range<usize>, room: usize) {
        match self {
            MessageBytes::Shared {
                chunk: held,
                range: held_range,
            } if Arc::ptr_eq(held, chunk) && held_range.end == range.start => {
                held_range.end = range.end;
            }
            MessageBytes::Owned(bytes) if bytes.is_empty() => {
                *self = MessageBytes::Shared {
                    chunk: Arc::clone(chunk),
                    range,
                };
            }
            _ => self.to_mut(room).extend_from_slice(&chunk[range]),
        }
    }

    /// Appends bytes that are not in a chunk (pushed back, or unquoted): the message becomes
    /// a copy.
    pub fn extend_from_slice(&mut self, bytes: &[u8], room: usize) {
        self.to_mut(room).extend_from_slice(bytes);
    }

    /// The message as a vector of its own, copied out of its chunk if need be, with room for
    /// `room` bytes in all (a size hint, so the copy is not grown again and again).
    pub fn to_mut(&mut self, room: usize) -> &mut Vec<u8> {
        if let MessageBytes::Shared { chunk, range } = self {
            let mut own = Vec::with_capacity(room.max(range.len()));
            own.extend_from_slice(&chunk[range.clone()]);
            *self = MessageBytes::Owned(own);
        }
        match self {
            MessageBytes::Owned(bytes) => bytes,
            MessageBytes::Shared { .. } => unreachable!("made owned above"),
        }
    }

    /// Keeps the first `len` bytes.
    pub fn truncate(&mut self, len: usize) {
        match self {
            MessageBytes::Owned(bytes) => bytes.truncate(len),
            MessageBytes::Shared { range, .. } => range.end = range.end.min(range.start + len),
        }
    }

    /// Gives a vector's unused room back; a shared range has none of its own.
    pub fn shrink_to_fit(&mut self) {
        if let MessageBytes::Owned(bytes) = self {
            bytes.shrink_to_fit();
        }
    }

    /// The read chunk the bytes lie in, when they are a range of one.
    pub fn chunk(&self) -> Option<&Arc<Vec<u8>>> {
        match self {
            MessageBytes::Owned(_) => None,
            MessageBytes::Shared { chunk, .. } => Some(chunk),
        }
    }

    /// The bytes as a vector of their own.
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            MessageBytes::Owned(bytes) => bytes,
            MessageBytes::Shared { chunk, range } => chunk[range].to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_that_follow_each_other_in_one_chunk_stay_shared() {
        let chunk = Arc::new(b"From a\nSubject: x\n\nbody\nFrom b\n".to_vec());
        let mut bytes = MessageBytes::default();
        bytes.push_shared(&chunk, 7..18, 0);
        bytes.push_shared(&chunk, 18..19, 0);
        bytes.push_shared(&chunk, 19..24, 0);
        assert!(matches!(bytes, MessageBytes::Shared { .. }));
        assert_eq!(&*bytes, b"Subject: x\n\nbody\n");
        bytes.truncate(bytes.len() - 1);
        assert_eq!(&*bytes, b"Subject: x\n\nbody");
        assert_eq!(Arc::strong_count(&chunk), 2);
        drop(bytes);
        assert_eq!(Arc::strong_count(&chunk), 1);
    }

    #[test]
    fn a_gap_another_chunk_or_other_bytes_make_a_copy() {
        let chunk = Arc::new(b"abcdef".to_vec());
        let other = Arc::new(b"ghij".to_vec());

        let mut gap = MessageBytes::default();
        gap.push_shared(&chunk, 0..2, 0);
        gap.push_shared(&chunk, 3..6, 0);
        assert!(matches!(gap, MessageBytes::Owned(_)));
        assert_eq!(&*gap, b"abdef");

        // The same offsets in another chunk are other bytes.
        let mut same_place = MessageBytes::default();
        same_place.push_shared(&chunk, 0..2, 0);
        same_place.push_shared(&other, 2..4, 0);
        assert_eq!(&*same_place, b"abij");

        let mut two = MessageBytes::default();
        two.push_shared(&chunk, 4..6, 16);
        two.push_shared(&other, 0..4, 16);
        assert_eq!(&*two, b"efghij");
        assert!(matches!(&two, MessageBytes::Owned(v) if v.capacity() >= 16));

        let mut mixed = MessageBytes::default();
        mixed.push_shared(&chunk, 0..3, 0);
        mixed.extend_from_slice(b"XYZ", 0);
        mixed.push_shared(&chunk, 3..6, 0);
        assert_eq!(&*mixed, b"abcXYZdef");
        assert_eq!(mixed.into_vec(), b"abcXYZdef");
        // The copies hold no chunk.
        assert_eq!(Arc::strong_count(&chunk), 1);
    }
}
