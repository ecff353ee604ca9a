//! Finds the reader's own address hidden in a URL.
//!
//! A tracker that puts the reader's address into an image or link URL learns who opened or
//! clicked without keeping a token table of its own — and hands the address to every server,
//! proxy and log that sees the URL. Senders rarely write it in the clear: they percent-encode,
//! base64 or hash it, so this module looks for every common disguise at once. It is pure: the
//! needles are built once per message from the reader's addresses, then each URL costs one
//! ASCII-case-insensitive multi-pattern scan over the URL and over its percent-decoded forms;
//! a match of a needle whose case carries meaning (every base64 form) is then checked exactly.
//!
//! Each address is searched lower-cased in every form below, and as written (when that has
//! capitals: the base64 and digests of the two differ) in the direct forms: its own encodings,
//! the MD5, SHA-1 and SHA-256 digests and base64 of those raw digests, not the nested forms (a
//! tracker that takes the address as given, uncleaned, seldom goes further than that). A [`Leak`]
//! names its `encoding` the way one would write the function applied to the address:
//!
//! | encoding | what is in the URL |
//! | --- | --- |
//! | `plain` | the address itself (any ASCII case) |
//! | `percent` | the address percent-encoded: `@` as `%40` (and other reserved characters), every byte as `%XX`, or a plain address that only appears once the URL is percent-decoded; hex digits in either case |
//! | `base64`, `base64url` | the address in base64 (standard or URL-safe alphabet, padded or not), alone or anywhere inside a longer base64 payload such as `base64("id=7&email=…")` |
//! | `hex` | the address's bytes in hex, either case |
//! | `md5`, `sha1`, `sha224`, `sha256`, `sha384`, `sha512` | the hex digest of the address, either case |
//! | `base64(md5)`, `base64url(sha256)`, … | base64 of the raw digest |
//! | `base64(md5hex)`, `base64url(sha256hex)`, … | base64 of the hex digest (lower or upper case) |
//! | `md5(base64)`, `sha256(base64url)`, … | the hex digest of the address's base64 text |
//!
//! When the standard and URL-safe spellings of a base64 needle are the same text, the leak is
//! named `base64`. A leak found only after percent-decoding keeps the name of the encoding under
//! the percent layer (`base64` with `%2B` in it is still `base64`), except a bare address, which
//! is reported as `percent`.

use super::needle_filter::NeedleFilter;
use crate::ascii::byte_table;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use foldhash::{HashSet, HashSetExt};
use md5::Md5;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use std::borrow::Cow;
use std::sync::OnceLock;

/// Longest needle kept for digests and encodings (see `PatternSet::add`).
const MAX_NEEDLE: usize = 40;

/// The leading bytes of a digest or text whose hex (two characters a byte) or base64 (four
/// characters for three bytes, each group on its own) spells the first `MAX_NEEDLE` characters:
/// the rest would only be cut off again, and SHA-384 and SHA-512 are long.
fn hex_head(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len().min(MAX_NEEDLE / 2)]
}

fn base64_head(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len().min(MAX_NEEDLE / 4 * 3)]
}

/// The shortest base64 needle searched for. Base64 text is drawn from 64 letters, so a short
/// needle turns up by chance in long random tokens; twelve characters (72 bits) do not.
const MIN_BASE64: usize = 12;

/// How many times a URL is percent-decoded. Two catches a tracker URL that was itself wrapped
/// (and so encoded again) by a redirector.
const MAX_DECODES: usize = 2;

/// Characters left as they are by the usual "encode a query value" functions; everything else,
/// `@` and `+` included, becomes `%XX`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A digest function: bytes in, raw digest out.
type HashFn = fn(&[u8]) -> Vec<u8>;

/// A digest trackers use, with the names its needles are reported under (static, so building
/// the needles of an address formats no names).
struct HashForms {
    /// `md5`: the hex digest of the address.
    name: &'static str,
    function: HashFn,
    /// `base64(md5)`, `base64url(md5)`: base64 of the raw digest.
    base64: &'static str,
    base64url: &'static str,
    /// `base64(md5hex)`, `base64url(md5hex)`: base64 of the hex digest.
    base64_hex: &'static str,
    base64url_hex: &'static str,
    /// `md5(base64)`, `md5(base64url)`: the hex digest of the address's base64 text.
    of_base64: &'static str,
    of_base64url: &'static str,
    /// Searched for the address as written too ([`Reach::Direct`]), not only lower-cased.
    direct: bool,
}

macro_rules! hash_forms {
    ($name:literal, $digest:ty, $direct:literal) => {
        HashForms {
            name: $name,
            function: digest::<$digest>,
            base64: concat!("base64(", $name, ")"),
            base64url: concat!("base64url(", $name, ")"),
            base64_hex: concat!("base64(", $name, "hex)"),
            base64url_hex: concat!("base64url(", $name, "hex)"),
            of_base64: concat!($name, "(base64)"),
            of_base64url: concat!($name, "(base64url)"),
            direct: $direct,
        }
    };
}

/// The digests trackers use.
const HASHES: &[HashForms] = &[
    hash_forms!("md5", Md5, true),
    hash_forms!("sha1", Sha1, true),
    hash_forms!("sha224", Sha224, false),
    hash_forms!("sha256", Sha256, true),
    hash_forms!("sha384", Sha384, false),
    hash_forms!("sha512", Sha512, false),
];

fn digest<D: Digest>(data: &[u8]) -> Vec<u8> {
    D::digest(data).to_vec()
}

/// `bytes` in hex, in lower case or in upper case when `upper`, each byte's two digits after
/// `before` (`%` spells every byte percent-encoded). The `hex` crate's `encode` goes through a
/// character iterator: that was a sixth of building an address's needles.
fn hex_text(bytes: &[u8], upper: bool, before: &[u8]) -> Vec<u8> {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut text = Vec::with_capacity((2 + before.len()) * bytes.len());
    for &byte in bytes {
        text.extend_from_slice(before);
        text.extend_from_slice(&[
            digits[usize::from(byte >> 4)],
            digits[usize::from(byte & 0xf)],
        ]);
    }
    text
}

/// One place the reader's address was found in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    /// The reader's address, lower-cased.
    pub address: String,
    /// How it was disguised; see the module documentation for the names.
    pub encoding: String,
    /// The text that matched, after percent-decoding when that was needed to see it.
    pub matched: String,
}

/// Every disguise of the reader's addresses, compiled for fast search. Building costs some tens
/// of microseconds per address (`cargo bench --bench leak_needles`), and about a millisecond
/// and a half more the first time a URL passes the needle filter and the automaton is built;
/// a URL the filter turns away costs well under a microsecond. Build once for as long as the
/// addresses stay the same (for `--me`, the whole run) and call [`LeakNeedles::find`] for each
/// URL.
#[derive(Debug, Clone)]
pub struct LeakNeedles {
    addresses: Vec<String>,
    /// Every needle: those whose ASCII case carries no meaning (plain, percent, hex, hex
    /// digests) and those that must match exactly (every base64 form), in one automaton that
    /// ignores case, so a URL is scanned once.
    automaton: Option<Automaton>,
    /// When every needle holds an `@` or a `%` or is spelled only with run bytes
    /// (`is_run_byte`), the shortest of the latter: in a URL without `@` and `%` only those
    /// can match, each inside one run of such bytes at least that long, and only those runs
    /// are searched.
    shortest_run: Option<usize>,
}

/// The bytes of hex and of both base64 alphabets, which spell every needle for a digest or an
/// encoding (see `LeakNeedles::shortest_run`).
fn is_run_byte(byte: u8) -> bool {
    RUN_BYTE[usize::from(byte)]
}

/// `is_run_byte` as a table: it is asked of every byte of every needle and of many URLs, and
/// its comparisons were a quarter of building an address's needles.
const RUN_BYTE: [bool; 256] =
    byte_table!(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'-' | b'_'));

#[derive(Debug, Clone)]
struct Automaton {
    /// Built when a text first passes the filter: in most messages none does, and building
    /// was most of the leak search's cost where every message has a reader of its own.
    /// `None` inside when building failed.
    search: OnceLock<Option<AhoCorasick>>,
    /// The needles in lower case, in `needles`' order, for building `search`.
    patterns: Vec<Vec<u8>>,
    kind: AhoCorasickKind,
    needles: Vec<Needle>,
    /// Lets the texts that surely hold no needle skip the search.
    filter: Option<NeedleFilter>,
}

impl Automaton {
    /// Whether `text` may hold a needle; `false` means surely none.
    fn may_hold(&self, text: &[u8]) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|filter| filter.may_match(text))
    }

    fn search(&self) -> Option<&AhoCorasick> {
        self.search
            .get_or_init(|| {
                AhoCorasick::builder()
                    .kind(Some(self.kind))
                    .build(&self.patterns)
                    .ok()
            })
            .as_ref()
    }
}

#[derive(Debug, Clone)]
struct Needle {
    /// Index into `LeakNeedles::addresses`.
    address: usize,
    encoding: &'static str,
    /// Build order, so leaks come out in the same order on every run.
    rank: usize,
    /// The bytes a match must have exactly, for a needle whose case carries meaning.
    exact: Option<Vec<u8>>,
}

/// Patterns and their meaning, collected before compiling; repeats of a pattern keep the first
/// meaning (the same text can arise from two spellings of an address or two alphabets).
struct PatternSet {
    /// The needles as the automaton searches for them: in lower case.
    patterns: Vec<Vec<u8>>,
    needles: Vec<Needle>,
    /// The patterns kept, as compared for repeats: lower-cased when case is folded, else exact.
    seen: HashSet<Vec<u8>>,
    fold_case: bool,
}

/// Room in each set for the needles of one spelling of an address: the real corpus's readers
/// gave 16 to 22 folded and 23 to 27 exact. Grown from empty, the set of repeats was rehashed
/// four times while a reader's needles were built.
const NEEDLES_PER_SPELLING: usize = 28;

impl PatternSet {
    /// An empty set with room for the needles of `spellings` spellings of addresses.
    fn new(fold_case: bool, spellings: usize) -> PatternSet {
        let room = NEEDLES_PER_SPELLING * spellings;
        PatternSet {
            patterns: Vec::with_capacity(room),
            needles: Vec::with_capacity(room),
            seen: HashSet::with_capacity(room),
            fold_case,
        }
    }

    fn add(&mut self, pattern: &[u8], address: usize, encoding: &'static str, rank: &mut usize) {
        // A digest or an encoding is identified by its first 40 characters (160 bits or more);
        // the long tails of SHA-384/512 and their base64 forms only make the automaton larger
        // and slower to build. The address itself is always searched whole.
        let pattern = if encoding == "plain" || encoding == "percent" {
            pattern
        } else {
            &pattern[..pattern.len().min(MAX_NEEDLE)]
        };
        if pattern.is_empty() {
            return;
        }
        let lower = pattern.to_ascii_lowercase();
        let key: &[u8] = if self.fold_case { &lower } else { pattern };
        // Looked up before it is copied: repeats are common (two alphabets often spell the same).
        if self.seen.contains(key) {
            return;
        }
        self.seen.insert(key.to_vec());
        self.needles.push(Needle {
            address,
            encoding,
            rank: *rank,
            exact: (!self.fold_case).then(|| pattern.to_vec()),
        });
        self.patterns.push(lower);
        *rank += 1;
    }
}

/// How often a set of needles will be searched with, which decides how it is compiled: both
/// kinds of automaton find the same leaks in the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// For a message or two: the automaton that is cheapest to build (a non-contiguous NFA),
    /// for the rare message whose URLs pass the needle filter.
    Few,
    /// For many messages: the automaton that searches fastest for its size (a contiguous NFA).
    Many,
}

/// One automaton for both sets of needles, folded first, so a URL is scanned once. It is built
/// from the needles in lower case and scans URLs in lower case, which ignores case as the
/// automaton's own option would, at a third less building (that option doubles the
/// transitions of every letter, and the base64 needles are long and many); an exact needle's
/// matches are checked against its bytes when found.
fn compile(folded: PatternSet, exact: PatternSet, reuse: Use) -> Option<Automaton> {
    let mut patterns = folded.patterns;
    patterns.extend(exact.patterns);
    let mut needles = folded.needles;
    needles.extend(exact.needles);
    if patterns.is_empty() {
        return None;
    }
    // Building only fails past size limits that a handful of addresses never reach; no
    // automaton then means no search, never a panic. For many uses a contiguous NFA: measured
    // on one address (~100 needles, release build) it builds in ~1.5 ms and scans a URL in
    // ~2.5 µs, where a DFA takes five times longer to build (and much more memory) for a scan
    // only a third faster.
    let kind = match reuse {
        Use::Few => AhoCorasickKind::NoncontiguousNFA,
        Use::Many => AhoCorasickKind::ContiguousNFA,
    };
    let filter = NeedleFilter::new(&patterns);
    Some(Automaton {
        search: OnceLock::new(),
        patterns,
        kind,
        needles,
        filter,
    })
}

impl LeakNeedles {
    /// Needles for the reader's addresses, to be searched with many times. Addresses are
    /// compared without regard to case, so `Reader@Example.org` and `reader@example.org` are
    /// one address (searched in both spellings); entries without a local part and a domain are
    /// ignored.
    pub fn new(addresses: &[String]) -> LeakNeedles {
        LeakNeedles::for_use(addresses, Use::Many)
    }

    /// [`LeakNeedles::new`], compiled for `reuse`.
    pub fn for_use(addresses: &[String], reuse: Use) -> LeakNeedles {
        let mut kept: Vec<String> = Vec::new();
        let mut spellings: Vec<Vec<String>> = Vec::new();
        for address in addresses {
            let written = address.trim();
            let lower = written.to_lowercase();
            let Some((local, domain)) = lower.rsplit_once('@') else {
                continue;
            };
            if local.is_empty() || domain.is_empty() {
                continue;
            }
            match kept.iter().position(|known| *known == lower) {
                Some(index) => {
                    if let Some(known) = spellings.get_mut(index) {
                        if !known.iter().any(|s| s == written) {
                            known.push(written.to_owned());
                        }
                    }
                }
                None => {
                    let mut forms = vec![lower.clone()];
                    if written != lower {
                        forms.push(written.to_owned());
                    }
                    kept.push(lower);
                    spellings.push(forms);
                }
            }
        }

        let spelled = spellings.iter().map(Vec::len).sum();
        let mut folded = PatternSet::new(true, spelled);
        let mut exact = PatternSet::new(false, spelled);
        let mut rank = 0;
        for (index, forms) in spellings.iter().enumerate() {
            for (nth, form) in forms.iter().enumerate() {
                // The lower-cased spelling comes first.
                let reach = if nth == 0 {
                    Reach::Nested
                } else {
                    Reach::Direct
                };
                add_needles(
                    form.as_bytes(),
                    index,
                    reach,
                    &mut folded,
                    &mut exact,
                    &mut rank,
                );
            }
        }
        let shortest_run = shortest_run(folded.patterns.iter().chain(&exact.patterns));
        LeakNeedles {
            addresses: kept,
            automaton: compile(folded, exact, reuse),
            shortest_run,
        }
    }

    /// Whether there is nothing to look for (no usable address was given).
    pub fn is_empty(&self) -> bool {
        self.automaton.is_none()
    }

    /// Every distinct (address, encoding) pair found in the URL, in a stable order.
    pub fn find(&self, url: &str) -> Vec<Leak> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut hits = Hits::default();
        let text = url.as_bytes();
        if let Some(shortest) = self.shortest_run {
            if memchr::memchr2(b'@', b'%', text).is_none() {
                // Nothing to percent-decode, and no needle with an `@` or a `%` can match.
                if !automaton.may_hold(text) {
                    return Vec::new(); // nor any other: the runs are not worth finding
                }
                for run in runs(text, shortest) {
                    self.scan(automaton, &text[run], 0, None, &mut hits);
                }
                return hits.into_leaks();
            }
        }
        let mut layer = Layer {
            text: Cow::Borrowed(text),
            decoded: None,
        };
        for depth in 0..=MAX_DECODES {
            if depth > 0 {
                match layer.percent_decode() {
                    Some(next) => layer = next,
                    None => break,
                }
            }
            self.scan(automaton, &layer.text, depth, Some(&layer), &mut hits);
        }
        hits.into_leaks()
    }

    /// Adds the leaks the automaton finds in `text`, a reading `depth` percent-decodings deep
    /// (`layer`, when given, is the whole reading `text` is).
    fn scan(
        &self,
        automaton: &Automaton,
        text: &[u8],
        depth: usize,
        layer: Option<&Layer>,
        hits: &mut Hits,
    ) {
        if !automaton.may_hold(text) {
            return;
        }
        let lower = if text.iter().any(u8::is_ascii_uppercase) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        };
        let Some(search) = automaton.search() else {
            return;
        };
        for hit in search.find_overlapping_iter(&*lower) {
            let Some(needle) = automaton.needles.get(hit.pattern().as_usize()) else {
                continue;
            };
            let matched = text.get(hit.start()..hit.end()).unwrap_or_default();
            if needle
                .exact
                .as_ref()
                .is_some_and(|exact| exact[..] != *matched)
            {
                continue; // the needle's letters in another case: another base64 text
            }
            // A match untouched by this round of decoding was already seen, with its true
            // name, in the layer above.
            if depth > 0 && !layer.is_some_and(|l| l.touches_decoded(hit.start(), hit.end())) {
                continue;
            }
            let encoding = if depth > 0 && needle.encoding == "plain" {
                "percent"
            } else {
                needle.encoding
            };
            if !hits.seen.insert((needle.address, encoding.to_owned())) {
                continue;
            }
            let Some(address) = self.addresses.get(needle.address) else {
                continue;
            };
            hits.found.push((
                needle.address,
                needle.rank,
                Leak {
                    address: address.clone(),
                    encoding: encoding.to_owned(),
                    matched: String::from_utf8_lossy(matched).into_owned(),
                },
            ));
        }
    }
}

/// The leaks of one URL as they are found.
#[derive(Default)]
struct Hits {
    /// (address, encoding) pairs already reported.
    seen: HashSet<(usize, String)>,
    /// The leaks with their sort key (address, needle rank).
    found: Vec<(usize, usize, Leak)>,
}

impl Hits {
    fn into_leaks(mut self) -> Vec<Leak> {
        self.found
            .sort_by_key(|(address, rank, _)| (*address, *rank));
        self.found.into_iter().map(|(_, _, leak)| leak).collect()
    }
}

/// See `LeakNeedles::shortest_run`: `None` when some needle is neither marked by an `@` or a
/// `%` nor spelled with run bytes only.
fn shortest_run<'p>(patterns: impl Iterator<Item = &'p Vec<u8>>) -> Option<usize> {
    let mut shortest = usize::MAX;
    for pattern in patterns {
        if pattern.contains(&b'@') || pattern.contains(&b'%') {
            continue;
        }
        if !pattern.iter().all(|&b| is_run_byte(b)) {
            return None;
        }
        shortest = shortest.min(pattern.len());
    }
    Some(shortest)
}

/// The maximal runs of run bytes in `text` at least `shortest` long, as ranges, in order.
fn runs(text: &[u8], shortest: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < text.len() {
            let from = start + text[start..].iter().position(|&b| is_run_byte(b))?;
            let to = text[from..]
                .iter()
                .position(|&b| !is_run_byte(b))
                .map_or(text.len(), |n| from + n);
            start = to;
            if to - from >= shortest {
                return Some(from..to);
            }
        }
        None
    })
}

/// Which forms of a spelling are searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Every form in the module's table, nested ones included: for the lower-cased address,
    /// which a tracker that normalises before it encodes or hashes works on.
    Nested,
    /// The address's own encodings, and its MD5, SHA-1 and SHA-256 digests in hex and as
    /// base64 of the raw digest, without the nested forms (base64 of a hex digest, a digest
    /// of the base64 text) or the rarer digests: for the spelling as the headers or `--me`
    /// wrote it, which a tracker works on when it takes the address as given, and then does
    /// the plain thing. Each reader of a many-reader archive has its needles built: on the
    /// real corpus, every form for the written spelling too cost 6.3 % more instructions,
    /// the direct forms of all six digests 3.1 %, these 2.0 %.
    Direct,
}

/// Every needle for one spelling of one address, as far as `reach` goes.
fn add_needles(
    address: &[u8],
    index: usize,
    reach: Reach,
    folded: &mut PatternSet,
    exact: &mut PatternSet,
    rank: &mut usize,
) {
    folded.add(address, index, "plain", rank);
    if let Ok(text) = std::str::from_utf8(address) {
        let reserved = utf8_percent_encode(text, QUERY_VALUE).to_string();
        folded.add(reserved.as_bytes(), index, "percent", rank);
    }
    let every_byte = hex_text(address, true, b"%");
    folded.add(&every_byte, index, "percent", rank);

    for (engine, name) in [
        (&STANDARD_NO_PAD, "base64"),
        (&URL_SAFE_NO_PAD, "base64url"),
    ] {
        for slice in aligned_base64(address, engine) {
            exact.add(slice.as_bytes(), index, name, rank);
        }
    }
    folded.add(&hex_text(address, false, b""), index, "hex", rank);

    for hash in HASHES.iter().filter(|h| reach == Reach::Nested || h.direct) {
        let raw = (hash.function)(address);
        // Only the heads that spell the kept characters (`MAX_NEEDLE`) are written out.
        let hex_digest = hex_text(hex_head(&raw), false, b"");
        folded.add(&hex_digest, index, hash.name, rank);
        let raw_head = base64_head(&raw);
        exact.add(
            STANDARD_NO_PAD.encode(raw_head).as_bytes(),
            index,
            hash.base64,
            rank,
        );
        exact.add(
            URL_SAFE_NO_PAD.encode(raw_head).as_bytes(),
            index,
            hash.base64url,
            rank,
        );
        if reach == Reach::Direct {
            continue;
        }
        for spelled in [hex_digest, hex_text(hex_head(&raw), true, b"")] {
            let standard = STANDARD_NO_PAD.encode(base64_head(&spelled));
            exact.add(standard.as_bytes(), index, hash.base64_hex, rank);
            let url_safe = URL_SAFE_NO_PAD.encode(base64_head(&spelled));
            exact.add(url_safe.as_bytes(), index, hash.base64url_hex, rank);
        }
    }

    // One level of nesting the other way round: a digest of the address's base64 text, as
    // produced by a tracker that base64s the address first and hashes whatever it stores.
    // The three texts are often the same (no padding when the length divides by three, no
    // `+` or `/` to tell the alphabets apart): a repeat's digests would only be repeats of
    // needles already added under the first name, so they are not computed.
    if reach == Reach::Direct {
        return;
    }
    let mut inner: Vec<(bool, String)> = Vec::with_capacity(3);
    for (url_safe, text) in [
        (false, STANDARD.encode(address)),
        (false, STANDARD_NO_PAD.encode(address)),
        (true, URL_SAFE_NO_PAD.encode(address)),
    ] {
        if !inner.iter().any(|(_, known)| *known == text) {
            inner.push((url_safe, text));
        }
    }
    for hash in HASHES {
        for (url_safe, text) in &inner {
            let name = if *url_safe {
                hash.of_base64url
            } else {
                hash.of_base64
            };
            let hex_digest = hex_text(hex_head(&(hash.function)(text.as_bytes())), false, b"");
            folded.add(&hex_digest, index, name, rank);
        }
    }
}

/// The parts of the address's base64 text that do not depend on what surrounds it, for each of
/// the three byte alignments it can have inside a longer base64 payload.
///
/// Base64 turns 3 bytes into 4 characters. An address starting `k` bytes into a 3-byte group
/// shares its first character(s) with the bytes before it and its last with the bytes after, so
/// only the characters whose 6 bits come wholly from the address are searched: from bit `8k`
/// rounded up to a character boundary, to bit `8(k + len)` rounded down.
fn aligned_base64(bytes: &[u8], engine: &impl Engine) -> Vec<String> {
    (0..3usize)
        .filter_map(|offset| {
            let mut shifted = vec![0u8; offset];
            shifted.extend_from_slice(bytes);
            let text = engine.encode(&shifted);
            let start = (8 * offset).div_ceil(6);
            let end = 8 * (offset + bytes.len()) / 6;
            text.get(start..end)
                .filter(|stable| stable.len() >= MIN_BASE64)
                .map(str::to_owned)
        })
        .collect()
}

/// One reading of the URL: its bytes, and for a percent-decoded reading, which bytes came from
/// a `%XX` escape.
struct Layer<'t> {
    text: Cow<'t, [u8]>,
    /// Where the decoded bytes are, in order: escapes are few next to the bytes around them.
    decoded: Option<Vec<usize>>,
}

impl Layer<'_> {
    /// Whether any byte in `start..end` was produced by the decoding that made this layer.
    fn touches_decoded(&self, start: usize, end: usize) -> bool {
        match &self.decoded {
            Some(positions) => {
                let first_at_or_after = positions.partition_point(|&p| p < start);
                positions.get(first_at_or_after).is_some_and(|&p| p < end)
            }
            None => true,
        }
    }

    /// The next reading, or `None` when there is no escape left to decode.
    fn percent_decode(&self) -> Option<Layer<'static>> {
        let bytes: &[u8] = &self.text;
        let mut text = Vec::with_capacity(bytes.len());
        let mut decoded = Vec::new();
        let mut copied = 0;
        for percent in memchr::memchr_iter(b'%', bytes) {
            if percent < copied {
                continue; // inside the escape just decoded
            }
            let digit = |at: usize| bytes.get(at).and_then(|b| crate::transfer::hex_value(*b));
            if let (Some(high), Some(low)) = (digit(percent + 1), digit(percent + 2)) {
                text.extend_from_slice(&bytes[copied..percent]);
                decoded.push(text.len());
                text.push(high * 16 + low);
                copied = percent + 3;
            }
        }
        if decoded.is_empty() {
            return None;
        }
        text.extend_from_slice(&bytes[copied..]);
        Some(Layer {
            text: Cow::Owned(text),
            decoded: Some(decoded),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const READER: &str = "Reader.Name@Example.org";

    fn needles() -> LeakNeedles {
        LeakNeedles::new(&[READER.to_owned()])
    }

    /// The encodings found in `url`, as `(encoding, matched)` pairs.
    fn found(url: &str) -> Vec<(String, String)> {
        needles()
            .find(url)
            .into_iter()
            .map(|leak| (leak.encoding, leak.matched))
            .collect()
    }

    fn encodings(url: &str) -> Vec<String> {
        found(url)
            .into_iter()
            .map(|(encoding, _)| encoding)
            .collect()
    }

    // Digests below were computed independently (Python's hashlib and base64), not with the
    // crates under test.
    const MD5_LOWER: &str = "6ebfcab619858b114ca9575b22409db7";
    const MD5_WRITTEN: &str = "4887238991e7f48c802dc6faa9be9191";
    const SHA1_LOWER: &str = "541003426c5f66a06e9cd444097f958c1f880ce3";
    const SHA224_LOWER: &str = "f5a01fdee84410418d6b9e51649413e19579badaa15aa40d60ff8a89";
    const SHA256_LOWER: &str = "aa9dd78b18465a739a0f7f476d17f067910c587b51a1551db7e7868fe9fe6cb6";
    const SHA384_LOWER: &str =
        "476627069493e16491999da122442f1777ae2d1a2c3aa8e59dda58f1ef5f40172f25164e48fe4e77d835a5d7f5e0ab58";
    const SHA512_LOWER: &str = "308e3f18f0b364d5c096696e780de93cd4a11248aa51c699cdc5cde12314ca7c\
                                f062e840ab8a97738023fe381487ef6e12579f8254b2b11b015404108a577031";

    #[test]
    fn plain_address_in_any_case_is_found_and_reported_lower_cased() {
        let leaks =
            needles().find("https://shop.example/unsubscribe?email=READER.NAME@EXAMPLE.ORG&list=7");
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].address, "reader.name@example.org");
        assert_eq!(leaks[0].encoding, "plain");
        assert_eq!(leaks[0].matched, "READER.NAME@EXAMPLE.ORG");
    }

    #[test]
    fn at_sign_as_percent_40_is_percent_not_also_plain() {
        assert_eq!(
            found("https://t.example-esp.net/o?e=reader.name%40example.org&c=1"),
            vec![("percent".to_owned(), "reader.name%40example.org".to_owned())]
        );
        // Lower-case hex digits in the escape are the same escape.
        assert_eq!(
            encodings("https://t.example-esp.net/o?e=Reader.Name%40Example.org"),
            vec!["percent"]
        );
    }

    #[test]
    fn every_byte_percent_encoded_is_found_in_either_hex_case() {
        let upper: String = "reader.name@example.org"
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect();
        let lower = upper.to_ascii_lowercase();
        assert_eq!(
            encodings(&format!("https://t.example-esp.net/o?x={upper}")),
            vec!["percent"]
        );
        assert_eq!(
            encodings(&format!("https://t.example-esp.net/o?x={lower}")),
            vec!["percent"]
        );
    }

    #[test]
    fn address_that_appears_only_after_double_decoding_is_percent() {
        // A redirector encoded the tracker URL once more: %40 became %2540.
        let url = "https://r.example-esp.net/c?u=https%3A%2F%2Ft.example%2Fo%3Fe%3Dreader.name%252540example.org";
        assert_eq!(encodings(url), vec!["percent"]);
    }

    #[test]
    fn base64_of_the_address_padded_or_not_and_url_safe() {
        assert_eq!(
            encodings("https://t.example-esp.net/open/cmVhZGVyLm5hbWVAZXhhbXBsZS5vcmc=/pixel.gif"),
            vec!["base64"]
        );
        assert_eq!(
            encodings("https://t.example-esp.net/o?r=UmVhZGVyLk5hbWVARXhhbXBsZS5vcmc"),
            vec!["base64"]
        );
        // Padding percent-encoded in a query value is still base64.
        assert_eq!(
            encodings("https://t.example-esp.net/o?r=cmVhZGVyLm5hbWVAZXhhbXBsZS5vcmc%3D"),
            vec!["base64"]
        );
    }

    #[test]
    fn address_inside_a_larger_base64_payload_is_found_at_every_alignment() {
        // base64("id=7&email=reader.name@example.org&list=news"): the address starts 11 bytes in,
        // two bytes into a 3-byte group.
        let payload = "aWQ9NyZlbWFpbD1yZWFkZXIubmFtZUBleGFtcGxlLm9yZyZsaXN0PW5ld3M=";
        assert_eq!(
            encodings(&format!("https://t.example-esp.net/o?d={payload}")),
            vec!["base64"]
        );
        // base64url of a JSON body with the address as written, 17 bytes in (also two bytes
        // into a group, but the other spelling).
        let json = "eyJ1aWQiOjk5MSwidG8iOiJSZWFkZXIuTmFtZUBFeGFtcGxlLm9yZyJ9";
        assert_eq!(
            encodings(&format!("https://t.example-esp.net/c/{json}")),
            vec!["base64"]
        );
        // base64("u=1;m=reader.name@example.org"): 6 bytes in, on a group boundary.
        let tail = "dT0xO209cmVhZGVyLm5hbWVAZXhhbXBsZS5vcmc=";
        assert_eq!(
            encodings(&format!("https://t.example-esp.net/o/{tail}.gif")),
            vec!["base64"]
        );
        // base64("u=1;to=reader.name@example.org"): 7 bytes in, one byte into a group.
        let tail = "dT0xO3RvPXJlYWRlci5uYW1lQGV4YW1wbGUub3Jn";
        assert_eq!(
            encodings(&format!("https://t.example-esp.net/o/{tail}.gif")),
            vec!["base64"]
        );
    }

    #[test]
    fn base64_alignment_slices_drop_only_the_shared_characters() {
        let slices = aligned_base64(b"reader.name@example.org", &STANDARD_NO_PAD);
        // Offset 0: 23 bytes are 184 bits, so 30 whole characters; the 31st shares bits with
        // whatever follows.
        assert_eq!(slices[0], "cmVhZGVyLm5hbWVAZXhhbXBsZS5vcm");
        assert_eq!(slices.len(), 3);
        assert!(slices.iter().all(|slice| slice.len() >= MIN_BASE64));
        // A short address yields no slice rather than a needle that matches by chance.
        assert!(aligned_base64(b"a@b.co", &STANDARD_NO_PAD).is_empty());
    }

    #[test]
    fn hex_of_the_address_in_either_case() {
        let hex = "7265616465722e6e616d65406578616d706c652e6f7267";
        assert_eq!(
            encodings(&format!("https://t.example-esp.net/o?h={hex}")),
            vec!["hex"]
        );
        let upper = hex.to_ascii_uppercase();
        assert_eq!(
            encodings(&format!("https://t.example-esp.net/o?h={upper}")),
            vec!["hex"]
        );
    }

    #[test]
    fn md5_of_the_lower_cased_and_of_the_written_address() {
        assert_eq!(
            found(&format!("https://t.example-esp.net/o?e={MD5_LOWER}&c=1")),
            vec![("md5".to_owned(), MD5_LOWER.to_owned())]
        );
        assert_eq!(
            encodings(&format!("https://t.example-esp.net/o?e={MD5_WRITTEN}&c=1")),
            vec!["md5"]
        );
    }

    #[test]
    fn the_written_spelling_is_searched_in_its_direct_forms_only() {
        // Digests of `Reader.Name@Example.org` as written (Python's hashlib and base64).
        let url = |value: &str| format!("https://t.example-esp.net/o?e={value}&c=1");
        // (base64 of its raw SHA-256 digest: `base64_of_the_raw_digest`.)
        assert_eq!(
            encodings(&url(
                "38e159cef082743271c9a78f7c2ed114038359a0a1879a60fae696bd53b4013e"
            )),
            vec!["sha256"]
        );
        // The nested forms and the rarer digests are searched for the lower-cased address only.
        for value in [
            "e2db64244296d2719a785999585cbbe22ac4b8db",
            "NDg4NzIzODk5MWU3ZjQ4YzgwMmRjNmZhYTliZTkxOTE",
            "1170823ad813a1dade927f30e96f3488",
            "MzhlMTU5Y2VmMDgyNzQzMjcxYzlhNzhmN2MyZWQxMTQwMzgzNTlhMGExODc5YTYwZmFlNjk2YmQ1M2I0MDEzZQ",
            "111cbc4370e75a4df7fe73b7d5b664426918610637ef3b2f9e815a962c5b00b5",
        ] {
            assert!(encodings(&url(value)).is_empty(), "{value}");
        }
    }

    #[test]
    fn every_sha_digest_in_hex_upper_or_lower() {
        for (digest, name) in [
            (SHA1_LOWER, "sha1"),
            (SHA224_LOWER, "sha224"),
            (SHA256_LOWER, "sha256"),
            (SHA384_LOWER, "sha384"),
            (SHA512_LOWER, "sha512"),
        ] {
            let url = format!("https://pixel.example-ads.com/p.gif?uid={digest}&cb=98231");
            assert_eq!(encodings(&url), vec![name], "{name} lower");
            let url = format!(
                "https://pixel.example-ads.com/p/{}/1x1.png",
                digest.to_ascii_uppercase()
            );
            assert_eq!(encodings(&url), vec![name], "{name} upper");
        }
    }

    #[test]
    fn base64_of_the_raw_digest() {
        // MD5 of the lower-cased address, raw digest in base64 (it has a '/') and base64url.
        assert_eq!(
            encodings("https://t.example-esp.net/o?k=br%2FKthmFixFMqVdbIkCdtw%3D%3D"),
            vec!["base64(md5)"]
        );
        assert_eq!(
            encodings("https://t.example-esp.net/o?k=br_KthmFixFMqVdbIkCdtw"),
            vec!["base64url(md5)"]
        );
        // SHA-256 of the address as written.
        assert_eq!(
            encodings("https://t.example-esp.net/o?k=OOFZzvCCdDJxyaePfC7RFAODWaChh5pg-uaWvVO0AT4"),
            vec!["base64url(sha256)"]
        );
    }

    #[test]
    fn nested_encodings_both_ways_round() {
        // base64 of the MD5 hex of the lower-cased address.
        assert_eq!(
            encodings("https://t.example-esp.net/o?v=NmViZmNhYjYxOTg1OGIxMTRjYTk1NzViMjI0MDlkYjc="),
            vec!["base64(md5hex)"]
        );
        // base64 of the SHA-256 hex of the lower-cased address.
        let url = "https://t.example-esp.net/o?v=YWE5ZGQ3OGIxODQ2NWE3MzlhMGY3ZjQ3NmQxN2YwNjc5MTBjNTg3YjUxYTE1NTFkYjdlNzg2OGZlOWZlNmNiNg";
        assert_eq!(encodings(url), vec!["base64(sha256hex)"]);
        // MD5 and SHA-256 of the base64 of the lower-cased address.
        assert_eq!(
            encodings("https://t.example-esp.net/o?v=4eb3111060034513a55ba8482cf364b2"),
            vec!["md5(base64)"]
        );
        assert_eq!(
            encodings("https://t.example-esp.net/o?v=f2135e8c0fe4afef7de870cd290a0680fdd11d50786cb08e02dce2aa437c52cf"),
            vec!["sha256(base64)"]
        );
    }

    #[test]
    fn digest_needles_are_the_whole_texts_cut_to_the_kept_length() {
        // Built from the digests' heads, they must be what writing each text out whole (here
        // with the `hex` crate) and cutting it to `MAX_NEEDLE` gives.
        let address = b"Jane.Reader@Example.org";
        let (mut folded, mut exact, mut rank) =
            (PatternSet::new(true, 1), PatternSet::new(false, 1), 0);
        add_needles(
            address,
            0,
            Reach::Nested,
            &mut folded,
            &mut exact,
            &mut rank,
        );
        let has = |set: &PatternSet, text: &[u8]| {
            let cut = &text[..text.len().min(MAX_NEEDLE)];
            let want = if set.fold_case {
                cut.to_ascii_lowercase()
            } else {
                cut.to_vec()
            };
            set.seen.contains(&want)
        };
        for hash in HASHES {
            let raw = (hash.function)(address);
            let hex = hex::encode(&raw);
            assert!(has(&folded, hex.as_bytes()), "{}", hash.name);
            for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
                assert!(
                    has(&exact, engine.encode(&raw).as_bytes()),
                    "{}",
                    hash.base64
                );
                for spelled in [hex.clone(), hex.to_ascii_uppercase()] {
                    let text = engine.encode(spelled.as_bytes());
                    assert!(has(&exact, text.as_bytes()), "{}", hash.base64_hex);
                }
            }
            let inner = hex::encode((hash.function)(STANDARD.encode(address).as_bytes()));
            assert!(has(&folded, inner.as_bytes()), "{}", hash.of_base64);
        }
    }

    #[test]
    fn digests_of_each_distinct_base64_text_are_searched_under_its_own_name() {
        let find = |reader: &str, digest: &str| -> Vec<String> {
            LeakNeedles::new(&[reader.to_owned()])
                .find(&format!("https://t.example-esp.net/o?h={digest}"))
                .into_iter()
                .map(|leak| leak.encoding)
                .collect()
        };
        // Three different texts: padded, unpadded, and the URL-safe alphabet (`+` → `-`).
        let reader = "jo~e@ex.org";
        assert_eq!(
            find(reader, "bd75137aa05adb20154b95e8cf1b9476"),
            ["md5(base64)"]
        );
        assert_eq!(
            find(reader, "24d5b5e2b5b060942c4fe56284fdd4d5"),
            ["md5(base64)"]
        );
        assert_eq!(
            find(reader, "8d6b0bb242edb49382a55fd95c34caba"),
            ["md5(base64url)"]
        );
        let sha1_url_safe = "f962fc5c6102dfdbc200d77a143e3bac5cf33d16";
        assert_eq!(find(reader, sha1_url_safe), ["sha1(base64url)"]);
        // No padding (nine bytes), so two texts; the URL-safe one still differs.
        let reader = "q~~@ex.io";
        assert_eq!(
            find(reader, "3c453c751b1bd5253c5a678d3eeb6c77"),
            ["md5(base64)"]
        );
        assert_eq!(
            find(reader, "c20f071b7b05920e11d1484d9808aaa4"),
            ["md5(base64url)"]
        );
    }

    #[test]
    fn several_disguises_in_one_url_are_each_reported_once() {
        let url = format!(
            "https://t.example-esp.net/o?e={MD5_LOWER}&e2={MD5_LOWER}&s={}&to=reader.name%40example.org",
            SHA256_LOWER.to_ascii_uppercase()
        );
        assert_eq!(encodings(&url), vec!["percent", "md5", "sha256"]);
    }

    #[test]
    fn needles_compiled_for_few_or_many_uses_find_the_same_leaks() {
        let addresses = [READER.to_owned(), "second@example.net".to_owned()];
        let few = LeakNeedles::for_use(&addresses, Use::Few);
        let many = LeakNeedles::for_use(&addresses, Use::Many);
        let urls = [
            format!("https://t.example-esp.net/o?e={MD5_LOWER}&to=reader.name%40example.org"),
            format!(
                "https://t.example-esp.net/o/{}/x",
                SHA256_LOWER.to_ascii_uppercase()
            ),
            "https://t.example/c?u=cmVhZGVyLm5hbWVAZXhhbXBsZS5vcmc&v=second%2540example.net"
                .to_owned(),
            "https://t.example/c?u=nothing-to-see-here-1234567890abcdef".to_owned(),
        ];
        let mut found = 0;
        for url in &urls {
            let leaks = many.find(url);
            found += leaks.len();
            assert_eq!(few.find(url), leaks, "{url}");
        }
        assert!(found >= 4, "the URLs hold leaks of both addresses: {found}");
    }

    #[test]
    fn other_addresses_and_random_tokens_of_the_same_shape_are_not_leaks() {
        let clean = [
            // Another reader of the same domain, plain, hashed and base64.
            "https://t.example-esp.net/o?e=someone.else@example.org",
            "https://t.example-esp.net/o?e=e36eeca80731a6dbd9d94f4083516886",
            "https://t.example-esp.net/o?e=941d198fb7e112686706bd8979cb049d5e1b2493df5452dc97e6f11520ffe95a",
            "https://t.example-esp.net/o?e=c29tZW9uZS5lbHNlQGV4YW1wbGUub3Jn",
            // Random tokens with the lengths of an MD5, a SHA-256 and a base64 address.
            "https://t.example-esp.net/o?t=0f3a9c2e7b1d4f6a8c0e2b4d6f8a1c3e",
            "https://t.example-esp.net/o?t=5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592",
            "https://t.example-esp.net/o/Zm9vYmFyYmF6cXV4cXV1eHh5enp5Lm9yZw/p.gif",
            // The reader's domain alone, and a different local part at it.
            "https://example.org/news?from=example.org",
            "https://t.example-esp.net/o?e=reader.nam%40example.org",
        ];
        let needles = needles();
        for url in clean {
            assert_eq!(needles.find(url), Vec::new(), "{url}");
        }
    }

    #[test]
    fn addresses_are_deduplicated_ignoring_case_and_junk_is_ignored() {
        let needles = LeakNeedles::new(&[
            "reader.name@example.org".to_owned(),
            " Reader.Name@Example.org ".to_owned(),
            "not-an-address".to_owned(),
            "@example.org".to_owned(),
        ]);
        assert!(!needles.is_empty());
        assert_eq!(needles.addresses, vec!["reader.name@example.org"]);
        // Both spellings were kept: the digest of the written form is still found.
        let leaks = needles.find(&format!("https://t.example-esp.net/o?e={MD5_WRITTEN}"));
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].address, "reader.name@example.org");
    }

    #[test]
    fn no_addresses_means_nothing_to_find() {
        let needles = LeakNeedles::new(&[]);
        assert!(needles.is_empty());
        assert!(needles
            .find("https://t.example/o?e=reader.name@example.org")
            .is_empty());
        assert!(LeakNeedles::new(&["nobody".to_owned()]).is_empty());
    }

    #[test]
    fn two_readers_are_told_apart() {
        let needles = LeakNeedles::new(&[
            "reader.name@example.org".to_owned(),
            "alias@example.net".to_owned(),
        ]);
        let leaks = needles.find(&format!(
            "https://t.example-esp.net/o?a=alias%40example.net&b={SHA256_LOWER}"
        ));
        let pairs: Vec<(&str, &str)> = leaks
            .iter()
            .map(|leak| (leak.address.as_str(), leak.encoding.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("reader.name@example.org", "sha256"),
                ("alias@example.net", "percent")
            ]
        );
    }

    #[test]
    fn non_ascii_urls_are_searched_without_trouble() {
        let needles = needles();
        assert!(needles
            .find("https://t.example/é/%C3%A9/%E2%82/ü?x=%")
            .is_empty());
        let url = "https://t.example/naïve?to=reader.name%40example.org&é=1";
        assert_eq!(needles.find(url).len(), 1);
        // An internationalised address is searched like any other.
        let intl = LeakNeedles::new(&["Jürgen@Beispiel.de".to_owned()]);
        let leaks = intl.find("https://t.example/o?e=j%C3%BCrgen%40beispiel.de");
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].address, "jürgen@beispiel.de");
        assert_eq!(leaks[0].encoding, "percent");
    }

    #[test]
    fn malformed_escapes_do_not_break_the_search() {
        let url = "https://t.example-esp.net/o?x=%zz%4&e=reader.name%40example.org%";
        assert_eq!(encodings(url), vec!["percent"]);
    }

    #[test]
    fn without_at_or_percent_only_long_runs_are_searched_and_found_the_same() {
        let needles = needles();
        let shortest = needles.shortest_run.unwrap();
        assert!(shortest >= MIN_BASE64);
        // A digest and a base64 form between separators, at the start and at the end.
        for url in [
            format!("https://t.example-esp.net/o/{MD5_LOWER}/p.gif?a=1"),
            format!("https://t.example-esp.net/o.gif?a=1&b={SHA1_LOWER}"),
            "https://t.example-esp.net/o?r=UmVhZGVyLk5hbWVARXhhbXBsZS5vcmc".to_owned(),
        ] {
            assert_eq!(needles.find(&url).len(), 1, "{url}");
        }
        // `/`, `+`, `-` and `_` are base64 letters; `.`, `=`, `?` and `&` end a run.
        let text = b"ab.0123456789abcdef0123456789abcdef-x.short/p=1";
        let found: Vec<_> = runs(text, 20).collect();
        assert_eq!(found, vec![3..37]);
        assert_eq!(runs(b"a.b.c", 1).count(), 3);
        assert_eq!(runs(b"", 1).count(), 0);
    }

    #[test]
    fn base64_needles_match_only_in_their_own_case() {
        // The automaton ignores case; a base64 needle's match must still be exact.
        let url = "https://t.example-esp.net/o?r=UMVHZGVYLK5HBWVARXHHBXBSZS5VCMC";
        assert!(needles().find(url).is_empty());
        let url = "https://t.example-esp.net/o?r=umvhzgvylk5hbwvarxhhbxbszs5vcmc";
        assert!(needles().find(url).is_empty());
        // Hex digests are case-blind.
        let url = format!("https://t.example-esp.net/o?e={}", MD5_LOWER.to_uppercase());
        assert_eq!(encodings(&url), vec!["md5"]);
    }
}
