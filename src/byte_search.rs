//! A search for any of three bytes, set up once and used many times.
//!
//! `memchr::memchr3` prepares its vectors on every call. Where a text is searched again and
//! again with short stretches between hits (quoted-printable escapes, the end of each quoted
//! attribute value), that setup cost about as much as the search itself.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
