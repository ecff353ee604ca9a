//! Identifier tokens: the long random strings a sender puts in a URL to tell one recipient (or
//! one message) from another. They are what turns an image into a beacon and a link into a
//! tracked link, whoever the vendor. A token is judged by its shape alone: long enough, varied
//! enough, and not a readable slug, a file name or a plain number.

use crate::ascii::byte_table;
use crate::weburl::WebUrl;

/// Shortest string taken for an identifier.
pub(super) const MIN_TOKEN: usize = 16;

/// Where a token sits in its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A path segment, counted from 1.
    Path(usize),
    /// The value of a query parameter.
    Query(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub place: Place,
}

impl Token {
    /// `token 'AbC…' in path` — for evidence.
    pub fn describe(&self) -> String {
        let shown = super::clip(&self.text, 12);
        match &self.place {
            Place::Path(_) => ["token '", &shown, "' in the path"].concat(),
            Place::Query(name) => ["token '", &shown, "' in parameter ", name].concat(),
        }
    }
}

/// The identifier tokens of a URL, path segments first, then query values.
pub fn identifier_tokens(url: &WebUrl) -> Vec<Token> {
    let mut tokens = Vec::new();
    if let Some(segments) = url.path_segments() {
        for (index, segment) in segments.enumerate() {
            // Decoding only shortens: a segment shorter than a token cannot hold one, and most
            // path segments are short words.
            if segment.len() < MIN_TOKEN {
                continue;
            }
            let decoded = super::percent_decoded(segment);
            let stem = strip_extension(&decoded);
            if looks_like_identifier(stem) {
                tokens.push(Token {
                    text: stem.to_owned(),
                    place: Place::Path(index + 1),
                });
            }
        }
    }
    for (raw_name, raw_value) in super::raw_query_pairs(url.query().unwrap_or_default()) {
        // Both the parameter name and its value are shorter than a token (decoding only
        // shortens): the common `id=42` costs no decoding.
        if raw_name.len() < MIN_TOKEN && raw_value.len() < MIN_TOKEN {
            continue;
        }
        let (name, value) = (
            super::form_decoded(raw_name),
            super::form_decoded(raw_value),
        );
        if value.starts_with("http") || is_address(&value) {
            continue; // a wrapped URL or an address: other detectors' business
        }
        if value.trim_matches('=').is_empty() && looks_like_identifier(&name) {
            // `?dPHGF2ccVmsB…==`: the whole query is the identifier.
            tokens.push(Token {
                text: name.into_owned(),
                place: Place::Query(String::new()),
            });
            continue;
        }
        if looks_like_identifier(&value) {
            tokens.push(Token {
                text: value.into_owned(),
                place: Place::Query(name.into_owned()),
            });
        }
    }
    tokens
}

/// Whether `Mailbox::parse` would take the text for an address, without its allocations:
/// a non-empty local part and domain around the last `@`, no white space in the domain.
/// (Lower-casing, which `Mailbox::parse` does first, neither makes nor removes an `@`, white
/// space or a whole part.)
fn is_address(text: &str) -> bool {
    text.trim().rsplit_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains(char::is_whitespace)
    })
}

/// Whether a string looks like a machine-made identifier rather than a word, slug or number.
pub fn looks_like_identifier(text: &str) -> bool {
    let text = text.trim_end_matches('=');
    if text.len() < MIN_TOKEN || text.len() > 4096 {
        return false;
    }
    let Some(shape) = Shape::of(text) else {
        return false; // a character no identifier uses
    };
    let letters = shape.upper + shape.lower;
    if letters == 0 {
        // Plain numbers are timestamps, cache-busters and campaign ids, shared by everyone,
        // unless they are far longer than any of those.
        return shape.digits >= 24;
    }
    // Random strings switch between digits, lower and upper case all the time; names and
    // dates (`manual_crop_1500w`, `Capture-2023-11-18`) switch a few times.
    let alnum = letters + shape.digits;
    if shape.class_runs < (alnum / 5).max(4) {
        return false;
    }
    let (digits, upper, lower) = (shape.digits, shape.upper, shape.lower);
    // Hex digests and UUIDs; base64-ish strings mixing case and digits; long mixed strings.
    // Random base64 without a digit: mixed case throughout, not CamelCase words (whose
    // capitals start words and are far fewer than the small letters).
    let mixed_case = upper * 4 >= letters && lower * 4 >= letters;
    let mixed_digits = digits >= 3 && letters >= 3;
    let shaped = (shape.hex && digits > 0 && letters > 0) || (digits > 0 && upper > 0 && lower > 0);
    // The slug test and the entropy are the costly parts: only when they can decide.
    if !(shaped || mixed_case || mixed_digits) || is_slug(text) {
        return false;
    }
    shaped || (mixed_case && entropy(text) >= 3.5) || (mixed_digits && entropy(text) >= 3.3)
}

/// The character counts `looks_like_identifier` judges by, taken in one pass.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    digits: usize,
    upper: usize,
    lower: usize,
    /// Runs of the same character class (digit, lower, upper) among alphanumerics.
    class_runs: usize,
    /// Only hex digits and `-` (a digest or a UUID).
    hex: bool,
}

impl Shape {
    /// `None` when the text has a character outside the identifier alphabet (letters, digits
    /// and `-_.~+/=%!*:|,`), which makes it plain ASCII otherwise.
    fn of(text: &str) -> Option<Shape> {
        // Counted through tables, without a branch per byte but the one that stops at a
        // foreign character: the texts judged here are random by nature, and branching on each
        // character's class mispredicted most of them. The counts are 16-bit lanes of one
        // register (`LANES`): kept in an array, each byte's count waited for the store of the
        // last one of its class.
        if text.len() > MAX_SHAPED {
            return None; // more than a lane holds; identifiers are far shorter
        }
        let mut counts: u64 = 0;
        let mut runs = 0usize;
        // The run the last alphanumeric byte was in, carried by a select. A step table indexed
        // by it (`RUN_STEP[run][byte]`) took fewer instructions, but each byte's lookup then
        // waited for the last one's: judging the URL tokens of the generated archive took half
        // as long again.
        let mut run = NO_CLASS;
        for &byte in text.as_bytes() {
            let lanes = LANES[usize::from(byte)];
            if lanes == FOREIGN {
                return None;
            }
            counts += lanes;
            let class = RUN_OF[usize::from(byte)];
            let alnum = class != NO_CLASS;
            runs += usize::from(alnum & (class != run));
            run = if alnum { class } else { run };
        }
        let lane = |lane: u32| (counts >> (16 * lane)) as usize & 0xffff;
        Some(Shape {
            digits: lane(DIGITS_LANE),
            lower: lane(LOWER_LANE),
            upper: lane(UPPER_LANE),
            class_runs: runs,
            hex: lane(NOT_HEX_LANE) == 0,
        })
    }
}

/// The longest text `Shape::of` counts: each lane holds up to 65,535.
const MAX_SHAPED: usize = u16::MAX as usize;

// `LANES`' counts, one 16-bit lane each of a `u64`: digits, lower-case and upper-case letters,
// and the bytes no hex digest or UUID has (letters past `f`, punctuation other than `-`).
const DIGITS_LANE: u32 = 0;
const LOWER_LANE: u32 = 1;
const UPPER_LANE: u32 = 2;
const NOT_HEX_LANE: u32 = 3;
/// `LANES`' entry for a byte outside the identifier alphabet; no other entry is all ones.
const FOREIGN: u64 = u64::MAX;

/// One in `lane`.
const fn one(lane: u32) -> u64 {
    1 << (16 * lane)
}

/// What each byte adds to `Shape::of`'s counts: one in the lane of each count it makes.
const LANES: [u64; 256] = byte_table!(|byte| match BYTE_CLASS[byte as usize] {
    DIGIT => one(DIGITS_LANE),
    LOWER_HEX => one(LOWER_LANE),
    LOWER => one(LOWER_LANE) | one(NOT_HEX_LANE),
    UPPER_HEX => one(UPPER_LANE),
    UPPER => one(UPPER_LANE) | one(NOT_HEX_LANE),
    DASH => 0,
    PUNCTUATION => one(NOT_HEX_LANE),
    _ => FOREIGN,
});

// The classes of `Shape::of`'s table. A hex letter is told apart from other letters, and `-`
// (which a UUID has) from the rest of the identifier punctuation (which a digest has not).
const DIGIT: u8 = 0;
const LOWER_HEX: u8 = 1;
const LOWER: u8 = 2;
const UPPER_HEX: u8 = 3;
const UPPER: u8 = 4;
const DASH: u8 = 5;
const PUNCTUATION: u8 = 6;
const OUTSIDE: u8 = 7;
/// A class that starts no run of its own (`RUN_CLASS`).
const NO_CLASS: u8 = u8::MAX;

/// Each class's run: digits, lower case, upper case, or none.
const RUN_CLASS: [u8; 8] = [0, 1, 1, 2, 2, NO_CLASS, NO_CLASS, NO_CLASS];

/// Each byte's run (`RUN_CLASS`'s): `NO_CLASS` for punctuation, which keeps the run it
/// interrupts (`ab-cd` is one run).
const RUN_OF: [u8; 256] = byte_table!(|byte| RUN_CLASS[BYTE_CLASS[byte as usize] as usize]);

/// The class of each byte: letters, digits and `-_.~+/=%!*:|,` belong to identifiers.
const BYTE_CLASS: [u8; 256] = byte_table!(|byte| match byte {
    b'0'..=b'9' => DIGIT,
    b'a'..=b'f' => LOWER_HEX,
    b'g'..=b'z' => LOWER,
    b'A'..=b'F' => UPPER_HEX,
    b'G'..=b'Z' => UPPER,
    b'-' => DASH,
    b'_' | b'.' | b'~' | b'+' | b'/' | b'=' | b'%' | b'!' | b'*' | b':' | b'|' | b',' =>
        PUNCTUATION,
    _ => OUTSIDE,
});

/// A readable slug: words joined by `-` or `_` (`spring-sale-2024-collection`). The text is
/// ASCII (`Shape::of` has seen every byte). Most parts must be words, and the words must hold
/// at least half the letters: a long random run followed by a few one-letter parts
/// (`T1VFp9bqIAuBN4E5i8_v-C-A`, a base64url token) is not a slug.
///
/// A name with a short id after it is a slug too: a profile (`jane-doe-4b2a1c9e`), an article
/// (`launch-notes-8f3a2b1c0d9e`) or a file named by its content's hash (`hero-1a2b3c4d.png`).
/// The id tells one page or file from another, the same in every copy of the mail; the name
/// must hold a third of the letters. Random tokens that happen to hold a separator seldom pass
/// (about 1 in 1,000 random base64url strings of 16 characters, none of 27).
///
/// One pass through a table of what each byte is: splitting the text and then testing each
/// part, one branch per byte for the split alone, was half of `looks_like_identifier`'s time.
fn is_slug(text: &str) -> bool {
    let (mut parts, mut wordy, mut letters, mut wordy_letters) = (0usize, 0usize, 0usize, 0usize);
    // The last part's length and whether it was wordy.
    let mut last = (0usize, false);
    // Counts a part once its end is found: its length, and the flags all its bytes have, all
    // but its first have, and any has.
    let mut close = |len: usize, all: u8, tail: u8, any: u8| {
        if len == 0 {
            return;
        }
        parts += 1;
        letters += len;
        let word = all & LETTER != 0 && tail & SMALL != 0 && (len <= 2 || any & VOWEL != 0);
        let is_wordy = word || (len <= 4 && all & NUMERAL != 0);
        if is_wordy {
            wordy += 1;
            wordy_letters += len;
        }
        last = (len, is_wordy);
    };
    // The part being read, its flags kept as bit masks, `&`-ed and `|`-ed with no test per
    // byte; `head` is all ones until the first byte, so that byte does not count in `tail`.
    let mut len = 0usize;
    const START: (u8, u8, u8, u8) = (LETTER | NUMERAL, u8::MAX, 0, u8::MAX);
    let (mut all, mut tail, mut any, mut head) = START;
    for &byte in text.as_bytes() {
        let flags = SLUG_BYTE[usize::from(byte)];
        if flags & PART_END == 0 {
            tail &= flags | head;
            head = 0;
            all &= flags;
            any |= flags;
            len += 1;
            continue;
        }
        close(len, all, tail, any);
        len = 0;
        (all, tail, any, head) = START;
    }
    // The text's end closes its last part like a separator. (Chaining a separator to the
    // bytes made the loop ask the chain which side it was on at every byte.)
    close(len, all, tail, any);
    let id_after_a_name = wordy + 1 == parts && !last.1 && last.0 <= MAX_SLUG_ID;
    parts >= 2
        && ((wordy * 4 >= parts * 3 && wordy_letters * 2 >= letters)
            || (id_after_a_name && wordy_letters * 3 >= letters))
}

/// Longest id `is_slug` takes after a name: a profile's or an article's (8 to 12 characters),
/// not a 32-digit UUID, which may as well be the reader's.
const MAX_SLUG_ID: usize = 12;

// What `is_slug` asks of a byte, as bits of `SLUG_BYTE`.
const PART_END: u8 = 1;
const LETTER: u8 = 2;
const SMALL: u8 = 4;
const VOWEL: u8 = 8;
const NUMERAL: u8 = 16;
const SLUG_BYTE: [u8; 256] = byte_table!(|byte| match byte {
    b'-' | b'_' | b'.' | b'+' => PART_END,
    b'0'..=b'9' => NUMERAL,
    b'a' | b'e' | b'i' | b'o' | b'u' | b'y' => LETTER | SMALL | VOWEL,
    b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' => LETTER | VOWEL,
    b'a'..=b'z' => LETTER | SMALL,
    b'A'..=b'Z' => LETTER,
    _ => 0,
});

/// Shannon entropy in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts = [0u32; 256];
    let (mut lowest, mut highest) = (u8::MAX, 0);
    for byte in text.bytes() {
        counts[byte as usize] += 1;
        lowest = lowest.min(byte);
        highest = highest.max(byte);
    }
    let len = text.len() as f64;
    // Only the bytes the text uses, in byte order as before (the sum's order fixes its
    // rounding): an identifier's bytes span a quarter of the table.
    counts
        .get(usize::from(lowest)..=usize::from(highest))
        .unwrap_or_default()
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| {
            let p = f64::from(n) / len;
            -p * p.log2()
        })
        .sum()
}

/// `AbC123.gif` → `AbC123` (file extensions of up to five letters).
fn strip_extension(segment: &str) -> &str {
    match segment.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            stem
        }
        _ => segment,
    }
}

/// The file extension of a URL's last path segment, as written (compare it ignoring case).
pub fn extension(url: &WebUrl) -> Option<&str> {
    let last = url.path_segments()?.next_back()?;
    let (stem, ext) = last.rsplit_once('.')?;
    (!stem.is_empty()
        && (2..=5).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric()))
    .then_some(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Shape::of` as first written, with a count per class in an array.
    fn shape_by_array(text: &str) -> Option<Shape> {
        let mut counts = [0usize; 8];
        let (mut runs, mut previous) = (0, NO_CLASS);
        for &byte in text.as_bytes() {
            let class = BYTE_CLASS[byte as usize];
            if class == OUTSIDE {
                return None;
            }
            counts[class as usize] += 1;
            let run_class = RUN_CLASS[class as usize];
            if run_class != NO_CLASS {
                runs += usize::from(run_class != previous);
                previous = run_class;
            }
        }
        Some(Shape {
            digits: counts[0],
            lower: counts[1] + counts[2],
            upper: counts[3] + counts[4],
            class_runs: runs,
            hex: counts[2] + counts[4] + counts[6] == 0,
        })
    }

    /// A xorshift generator: the same random texts on every run.
    fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// `is_slug` as first written: split, then each part tested.
    fn slug_by_split(text: &str) -> bool {
        let mut parts = 0;
        let mut wordy = 0;
        let (mut letters, mut wordy_letters) = (0, 0);
        let separator = |b: &u8| matches!(b, b'-' | b'_' | b'.' | b'+');
        let mut last = (0, false);
        for part in text.as_bytes().split(separator).filter(|p| !p.is_empty()) {
            parts += 1;
            letters += part.len();
            let vowel = part.iter().any(|b| {
                matches!(
                    b.to_ascii_lowercase(),
                    b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
                )
            });
            let word = part.iter().all(u8::is_ascii_alphabetic)
                && part.iter().skip(1).all(u8::is_ascii_lowercase)
                && (part.len() <= 2 || vowel);
            let is_wordy = word || (part.len() <= 4 && part.iter().all(u8::is_ascii_digit));
            if is_wordy {
                wordy += 1;
                wordy_letters += part.len();
            }
            last = (part.len(), is_wordy);
        }
        let id_after_a_name = wordy + 1 == parts && !last.1 && last.0 <= MAX_SLUG_ID;
        parts >= 2
            && ((wordy * 4 >= parts * 3 && wordy_letters * 2 >= letters)
                || (id_after_a_name && wordy_letters * 3 >= letters))
    }

    #[test]
    fn slugs_told_in_one_pass_as_by_splitting() {
        let alphabet = b"aeyAEYbkzBKZ0189-_.+/=~";
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        let mut slugs = 0;
        for round in 0..20_000 {
            let len = [0, 1, 2, 3, 5, 9, 16, 40][round % 8];
            let text: String = (0..len)
                .map(|_| char::from(alphabet[next() as usize % alphabet.len()]))
                .collect();
            assert_eq!(is_slug(&text), slug_by_split(&text), "{text:?}");
            slugs += usize::from(is_slug(&text));
        }
        for text in [
            "spring-sale-2024-collection",
            "T1VFp9bqIAuBN4E5i8_v-C-A",
            "Capture-d-e-cran-2023-11-18",
            "--a--b--",
            "ab",
            "a-b",
            "manual_crop_1500w",
            "colleague-1a2b3c4d",
            "AbCdEf-1a2b3c4d5e6f7a8b",
        ] {
            assert_eq!(is_slug(text), slug_by_split(text), "{text:?}");
        }
        assert!(
            slugs > 100,
            "the random texts hold too few slugs to compare: {slugs}"
        );
    }

    #[test]
    fn shapes_counted_in_lanes_equal_shapes_counted_in_an_array() {
        let alphabet =
            b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~+/=%!*:|, ";
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        for round in 0..3000 {
            let len = [0, 1, 7, 40, 300, 4096][round % 6];
            let text: String = (0..len)
                .map(|_| char::from(alphabet[next() as usize % (alphabet.len() - (round % 2))]))
                .collect();
            assert_eq!(Shape::of(&text), shape_by_array(&text), "{text:?}");
        }
        let all_of_one = "7".repeat(4096);
        assert_eq!(Shape::of(&all_of_one).map(|s| s.digits), Some(4096));
    }

    fn tokens(url: &str) -> Vec<String> {
        identifier_tokens(&WebUrl::parse(url).unwrap())
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn random_ids_are_tokens() {
        assert_eq!(
            tokens("https://t.example/o/eJwNyr0KgzAUQOGnyXXMbWJTuqbm"),
            ["eJwNyr0KgzAUQOGnyXXMbWJTuqbm"]
        );
        assert_eq!(
            tokens("https://t.example/open.php?u=4f2a9c1e7b3d5a6f8e0c1b2d3&id=7a1b2c3d4e"),
            ["4f2a9c1e7b3d5a6f8e0c1b2d3"]
        );
        assert_eq!(
            tokens("https://x.example/p/0b7e4c1a-9d2f-4e6a-8b3c-5d1f2e3a4b6c.gif").len(),
            1
        );
        assert_eq!(
            tokens("https://x.example/wf/open?upn=u001.Tk3bE9xQ2aLk8vR1mZp4WcY7nH0sJd6Fq").len(),
            1
        );
    }

    #[test]
    fn a_name_with_a_short_id_after_it_names_a_page_or_file_not_a_reader() {
        // A profile, an article, a file named by its content's hash.
        assert!(tokens("https://www.linkedin.com/in/jane-doe-4b2a1c9e/").is_empty());
        assert!(tokens("https://www.linkedin.com/in/colleague-1a2b3c4d/").is_empty());
        assert!(tokens("https://blog.example/launch-notes-8f3a2b1c0d9e").is_empty());
        assert!(tokens("https://cdn.example/img/newsletter-hero-a1b2c3d4e5.png").is_empty());
        // A UUID is as likely the reader's as a page's, and a random run is no name.
        assert_eq!(
            tokens("https://x.example/p/welcome-0b7e4c1a9d2f4e6a8b3c5d1f2e3a4b6c").len(),
            1
        );
        assert_eq!(tokens("https://x.example/c/Qx7fK2mP-9aZ3tR8w").len(), 1);
    }

    #[test]
    fn a_random_run_with_a_few_one_letter_parts_is_an_identifier_not_a_slug() {
        assert!(looks_like_identifier("T1VFp9bqIAuBN4E5i8_v-C-A"));
        assert!(!looks_like_identifier("spring-sale-2024-collection"));
    }

    #[test]
    fn addresses_are_told_as_mailbox_parse_tells_them() {
        for text in [
            "a@b",
            " Reader@Example.org ",
            "@b",
            "a@",
            "a@b c",
            "no address",
            "x@y@z",
            "É@Ü.example",
        ] {
            assert_eq!(
                is_address(text),
                crate::message::Mailbox::parse(text).is_some(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn entropy_and_slug_tests_decide_only_what_they_must() {
        // Mixed case without digits: decided by the entropy.
        assert!(looks_like_identifier("qWeRtYuIoPaSdFgHjKlZ"));
        assert!(!looks_like_identifier("aAaAaAaAaAaAaAaAaAaA"));
        // A slug of words and short numbers is no identifier, however it switches classes.
        assert!(!looks_like_identifier("spring-sale-2024-summer-fall"));
        // Hex with a digit and a letter.
        assert!(looks_like_identifier("0b7e4c1a9d2f4e6a8b3c"));
    }

    #[test]
    fn words_slugs_numbers_and_short_ids_are_not() {
        assert!(tokens("https://shop.example/collections/spring-sale-2024-collection").is_empty());
        assert!(tokens("https://shop.example/img/hero.png?r=1709712345").is_empty());
        assert!(tokens("https://www.youtube.com/watch?v=dQw4w9WgXcQ").is_empty());
        assert!(tokens("https://shop.example/newsletter/march_highlights_for_members").is_empty());
        assert!(tokens("https://shop.example/ThisIsTheSpringCollection").is_empty());
        assert!(
            tokens("https://i.example/fqRq9hJ/Capture-d-e-cran-2023-11-18-a-21-30-13.png")
                .is_empty()
        );
        assert!(
            tokens("https://cms.example/files/styles/manual_crop_1500w/public/logo.png").is_empty()
        );
        assert!(
            tokens("https://shop.example/a?next=https://x.example/b&email=a@b.example").is_empty()
        );
    }
}
