//! Searches set up once and used many times: for any of three bytes, and for any of a few
//! words in any ASCII case; and a search for a short word that needs no setup.
//!
//! `memchr::memchr3` prepares its vectors on every call. Where a text is searched again and
//! again with short stretches between hits (quoted-printable escapes, the end of each quoted
//! attribute value), that setup cost about as much as the search itself.

/// Whether `text` holds `word`, found from its first byte: for a word of a few bytes whose
/// first is rare in the texts searched (`/*` in an inline style, `://` in a URL path).
/// `str::contains` sets up a two-way searcher on every call, which cost more than the search
/// of such short texts.
pub fn contains_short(text: &str, word: &str) -> bool {
    let (text, word) = (text.as_bytes(), word.as_bytes());
    let Some((&first, rest)) = word.split_first() else {
        return true;
    };
    memchr::memchr_iter(first, text).any(|at| text[at + 1..].starts_with(rest))
}

/// Finds the first of three bytes.
pub struct ThreeBytes {
    bytes: [u8; 3],
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::Three>,
}

impl ThreeBytes {
    #[inline]
    pub fn new(a: u8, b: u8, c: u8) -> Self {
        ThreeBytes {
            bytes: [a, b, c],
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::Three::new(a, b, c),
        }
    }

    /// Where the first of the three bytes lies in `haystack`.
    #[inline]
    pub fn find(&self, haystack: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(three) = &self.avx2 {
            return three.find(haystack);
        }
        let [a, b, c] = self.bytes;
        memchr::memchr3(a, b, c, haystack)
    }
}

/// Finds whether a text holds any of a few ASCII words, in any case.
///
/// `aho_corasick`'s case-insensitive search walks its automaton a byte at a time, with no
/// prefilter: every byte of every URL path and inline style went through it. Lowercasing the
/// text into a buffer on the stack (a loop the compiler vectorises) lets a case-sensitive SIMD
/// search (`aho_corasick::packed`, Teddy) take its place: over the paths and styles of the
/// generated archive, a quarter and a half of the time.
pub struct Words {
    /// The lowercased words, when this CPU has a packed searcher for them.
    packed: Option<aho_corasick::packed::Searcher>,
    /// The automaton, for CPUs without one.
    automaton: aho_corasick::AhoCorasick,
    /// The longest word's length: windows of a long text overlap by one byte less.
    longest: usize,
}

/// Bytes lowercased at a time. Most texts searched (URL paths, inline styles) fit in one.
const WINDOW: usize = 1024;
/// The window of a text this short or shorter. Zeroing a whole window for each of a table
/// layout's short styles took 30 % of the search's time.
const SHORT_WINDOW: usize = 128;

impl Words {
    /// `words` are ASCII, non-empty, and shorter than half a window (they are a few literal
    /// words written in the code). Words of one or two bytes are better searched apart: the
    /// packed search tells candidates by the words' first bytes, as many as the shortest has.
    pub fn new(words: &[&str]) -> Self {
        assert!(
            words
                .iter()
                .all(|w| !w.is_empty() && w.is_ascii() && w.len() <= WINDOW / 2),
            "words are short ASCII literals"
        );
        let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        Words {
            packed: aho_corasick::packed::Config::new()
                .builder()
                .extend(&lower)
                .build(),
            automaton: aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(words)
                .expect("a handful of literal words always builds"),
            longest: lower.iter().map(String::len).max().unwrap_or(1),
        }
    }

    /// Whether `text` holds any of the words, in any ASCII case.
    pub fn is_match(&self, text: &str) -> bool {
        let Some(packed) = &self.packed else {
            return self.automaton.is_match(text);
        };
        // The window is zeroed on every call: a short text, as most are, gets a small one.
        if text.len() <= SHORT_WINDOW {
            return self.find_lowered::<SHORT_WINDOW>(packed, text.as_bytes());
        }
        self.find_lowered::<WINDOW>(packed, text.as_bytes())
    }

    /// Lowercases `text` into windows of `N` bytes in turn and searches each.
    fn find_lowered<const N: usize>(
        &self,
        packed: &aho_corasick::packed::Searcher,
        text: &[u8],
    ) -> bool {
        let mut window = [0u8; N];
        let mut start = 0;
        loop {
            let end = (start + N).min(text.len());
            let lower = &mut window[..end - start];
            for (to, from) in lower.iter_mut().zip(&text[start..end]) {
                *to = from.to_ascii_lowercase();
            }
            if packed.find(&*lower).is_some() {
                return true;
            }
            if end == text.len() {
                return false;
            }
            // A word may straddle the windows' border: the next one starts far enough back to
            // hold it whole (the words are at most half a window long).
            start = end + 1 - self.longest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_are_found_as_str_contains_finds_them() {
        let texts = [
            "", "/", "*/", "a/*", "/*b", "//*", "x/y/*z", "http:/x", "a://b", ":/", "é/*é",
        ];
        for text in texts {
            for word in ["", "/*", "://", "/", "é"] {
                assert_eq!(
                    contains_short(text, word),
                    text.contains(word),
                    "{text:?} {word:?}"
                );
            }
        }
    }

    /// Every position of every byte, in haystacks longer and shorter than a vector, against a
    /// plain search.
    #[test]
    fn finds_what_a_plain_search_finds() {
        let search = ThreeBytes::new(b'=', b'\r', b'\n');
        for len in 0..100 {
            for at in 0..len {
                for byte in [b'=', b'\r', b'\n', b'x'] {
                    let mut haystack = vec![b'a'; len];
                    haystack[at] = byte;
                    let plain = haystack.iter().position(|b| b"=\r\n".contains(b));
                    assert_eq!(search.find(&haystack), plain, "{len} {at} {byte}");
                }
            }
        }
    }

    /// Words in any case, at every place of texts shorter and longer than a window (so across
    /// the windows' borders too), against a plain lowercase search; and texts with none.
    #[test]
    fn words_are_found_in_any_case_wherever_they_lie() {
        let words = Words::new(&["Unsub", "opt-out", "\\", "view-online"]);
        let plain = |text: &str| {
            let text = text.to_ascii_lowercase();
            ["unsub", "opt-out", "\\", "view-online"]
                .iter()
                .any(|w| text.contains(w))
        };
        for len in [
            0,
            5,
            40,
            SHORT_WINDOW - 4,
            SHORT_WINDOW + 1,
            WINDOW - 3,
            WINDOW,
            WINDOW + 7,
            3 * WINDOW + 1,
        ] {
            let filler = "abcdefgh/".repeat(len / 9 + 1)[..len].to_string();
            assert!(!words.is_match(&filler), "{len}");
            for word in ["uNSUB", "OPT-out", "\\", "View-Online", "opt_out"] {
                for at in (0..=len).step_by(1 + len / 200) {
                    let text = format!("{}{word}{}", &filler[..at], &filler[at..]);
                    assert_eq!(words.is_match(&text), plain(&text), "{len} {at} {word}");
                }
                // Both sides of every border, where only the overlap can find the word.
                for border in (WINDOW..len).step_by(WINDOW - 10) {
                    for at in border - word.len()..=border {
                        let text = format!("{}{word}{}", &filler[..at], &filler[at..]);
                        assert_eq!(words.is_match(&text), plain(&text), "{len} {at} {word}");
                    }
                }
            }
        }
    }
}
