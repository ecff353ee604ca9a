//! A quick test of whether a text can hold any of a set of needles, so that most texts skip the
//! full search. The leak search runs an Aho-Corasick automaton of a hundred-odd needles over
//! every URL of every message, at tens of instructions a byte, and almost every URL holds none
//! of them.
//!
//! The filter keeps a short window (up to 8 bytes) of each needle at a few offsets, and looks
//! at the text's windows at every `stride`-th position only: a needle that starts anywhere in
//! the text covers one of those positions with one of its kept windows. A window is looked up in
//! a 64 Ki-bit table first, then in an exact set, so a text passes only when one of its windows
//! really is a needle's. Letters are compared without regard to case (more loosely than that,
//! even: the 0x20 bit of every byte is ignored), so the filter lets through everything a
//! case-blind search could find, and a little more.

use foldhash::{HashSet, HashSetExt};

/// Bits in the table of windows: 8 KiB, small enough to stay in the cache while a message is
/// searched, sparse enough for a few hundred windows.
const TABLE_BITS: usize = 1 << 16;
/// How far apart the looked-at positions of a text are, when the needles are long enough.
const STRIDE: usize = 4;
/// The 0x20 bit of each of 8 bytes: set, it makes `A` and `a` (and some punctuation pairs) one.
const FOLD: u64 = 0x2020_2020_2020_2020;

#[derive(Debug, Clone)]
pub(super) struct NeedleFilter {
    /// Bytes in a window, 1 to 8.
    width: usize,
    stride: usize,
    /// Keeps the first `width` bytes of a little-endian `u64`.
    mask: u64,
    table: Box<[u64]>,
    windows: HashSet<u64>,
}

impl NeedleFilter {
    /// A filter for `needles`, which the full search looks for with ASCII case ignored; `None`
    /// when there are none or one is empty.
    pub fn new(needles: &[Vec<u8>]) -> Option<NeedleFilter> {
        let shortest = needles.iter().map(Vec::len).min()?;
        if shortest == 0 {
            return None;
        }
        // A needle of `len` bytes covers one of the positions `stride` apart with each of its
        // windows starting at offsets 0..stride, which must all fit inside it.
        let (width, stride) = if shortest >= STRIDE - 1 + 4 {
            ((shortest - (STRIDE - 1)).min(8), STRIDE)
        } else {
            (shortest.min(8), 1)
        };
        let mask = if width == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * width)) - 1
        };
        let mut filter = NeedleFilter {
            width,
            stride,
            mask,
            table: vec![0u64; TABLE_BITS / 64].into_boxed_slice(),
            windows: HashSet::with_capacity(needles.len() * stride),
        };
        for needle in needles {
            for offset in 0..stride {
                let window = filter.window(needle, offset);
                let bit = slot(window);
                filter.table[bit / 64] |= 1 << (bit % 64);
                filter.windows.insert(window);
            }
        }
        Some(filter)
    }

    /// Whether `text` may hold one of the needles; `false` means it surely holds none.
    pub fn may_match(&self, text: &[u8]) -> bool {
        if text.len() < self.width {
            return false;
        }
        let last = text.len() - self.width;
        let mut at = 0;
        while at <= last {
            let window = self.window(text, at);
            let bit = slot(window);
            if self.table[bit / 64] & (1 << (bit % 64)) != 0 && self.windows.contains(&window) {
                return true;
            }
            at += self.stride;
        }
        false
    }

    /// The `width` bytes of `text` from `at`, folded; `at + width` must be within `text`.
    fn window(&self, text: &[u8], at: usize) -> u64 {
        let raw = match text.get(at..at + 8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
            None => {
                let mut bytes = [0u8; 8];
                let part = text.get(at..at + self.width).unwrap_or_default();
                bytes[..part.len()].copy_from_slice(part);
                u64::from_le_bytes(bytes)
            }
        };
        (raw | FOLD) & self.mask
    }
}

/// The table bit of a window (a multiplicative hash, top 16 bits).
fn slot(window: u64) -> usize {
    (window.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - 16)) as usize % TABLE_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: does any needle occur in the text, ASCII case ignored?
    fn holds(text: &[u8], needles: &[Vec<u8>]) -> bool {
        let text = text.to_ascii_lowercase();
        needles.iter().any(|needle| {
            let needle = needle.to_ascii_lowercase();
            text.windows(needle.len()).any(|w| w == needle)
        })
    }

    fn needles(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|n| n.as_bytes().to_vec()).collect()
    }

    #[test]
    fn a_needle_anywhere_passes_and_most_texts_do_not() {
        let set = needles(&[
            "alex.morgan@example.com",
            "YWxleC5tb3JnYW5A",
            "5d41402abc4b2a76",
        ]);
        let filter = NeedleFilter::new(&set).unwrap();
        let base = "https://t.example/o?u=";
        for needle in [
            "alex.morgan@example.com",
            "YWxleC5tb3JnYW5A",
            "5D41402ABC4B2A76",
        ] {
            // At every offset from the stride, and at the very end of the text.
            for pad in 0..6 {
                let text = format!("{base}{}{needle}", "x".repeat(pad));
                assert!(filter.may_match(text.as_bytes()), "{text}");
                assert!(filter.may_match(format!("{text}&z=1").as_bytes()), "{text}");
            }
        }
        assert!(!filter.may_match(b"https://t.example/o?u=8f14e45fceea167a5a36dedd4bea2543"));
        // A start shorter than a window of the needle is not enough.
        assert!(!filter.may_match(b"https://t.example/o?u=alex.mo&v=1"));
        assert!(!filter.may_match(b""));
    }

    /// Against the reference on generated texts: never a needle missed.
    #[test]
    fn never_misses_what_a_case_blind_search_finds() {
        let alphabet = b"aAbB@.%3D-_x";
        let mut seed = 11u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        for round in 0..300 {
            let count = 1 + next() % 4;
            let set: Vec<Vec<u8>> = (0..count)
                .map(|_| {
                    let len = 1 + next() % 12;
                    (0..len)
                        .map(|_| alphabet[next() % alphabet.len()])
                        .collect()
                })
                .collect();
            let filter = NeedleFilter::new(&set).unwrap();
            for _ in 0..40 {
                let len = next() % 40;
                let mut text: Vec<u8> = (0..len)
                    .map(|_| alphabet[next() % alphabet.len()])
                    .collect();
                if next() % 2 == 0 && !text.is_empty() {
                    let needle = &set[next() % set.len()];
                    let at = next() % text.len();
                    text.splice(at..at, needle.iter().map(|b| b.to_ascii_uppercase()));
                }
                if holds(&text, &set) {
                    assert!(
                        filter.may_match(&text),
                        "round {round}: {set:?} in {text:?}"
                    );
                }
            }
        }
    }
}
