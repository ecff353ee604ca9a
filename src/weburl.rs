//! `WebUrl`: a parsed URL as the detectors use it, with a fast path for the common web URL.
//!
//! `url::Url::parse` costs about 8,600 instructions per URL (IDNA processing of the host, the
//! state machine, percent-encoding checks), about 9 % of a scan of newsletter mail, where every
//! image and link of every HTML part is parsed. Most of those URLs are already written the way
//! `url` would write them: `https://`, a lower-case host, a path, a query. For those a single
//! scan of the bytes can find the components and keep the text as it is.
//!
//! **Contract.** For every input `x`, `WebUrl::parse(x)` succeeds exactly when
//! `url::Url::parse(x)` does (with the same error), and then `as_str`, `scheme`, `host_str`,
//! `host_kind`, `port`, `path`, `query`, `fragment`, `path_segments` and `query_pairs` return
//! what `Url`'s methods of the same names return; `base.join(x)` likewise matches `Url::join`
//! (for every http(s) base; see [`WebUrl::join`] for the odd `file:` base where it does not).
//! The unit tests below check a table of tricky inputs accessor by accessor, and the fuzz
//! target `fuzz/fuzz_targets/weburl.rs` checks it on arbitrary strings.
//!
//! **Fast path** ([`fast_parse`]): it accepts only input that `url` would keep byte for byte
//! (but for capitals in the host, which it lowers as IDNA does) and whose split is unambiguous:
//! - `http://` or `https://`, in lower case;
//! - a host of ASCII letters, digits and `-` in labels joined by dots, checked once lowered:
//!   no empty label (so no trailing dot), no label starting or ending with `-` or with `-` at
//!   its third and fourth bytes (`xn--` and the like go through IDNA), and a last label that is
//!   not all digits and does not start with `0x` (those make an IPv4 address); no userinfo, no
//!   port, no `%`;
//! - a path starting with `/` right after the host (an empty path gets a `/` added), with no dot
//!   segment (`.`, `..`, or those written with `%2e` in either case: `url` removes them);
//! - in path, query and fragment only printable ASCII, and none of ``" < > \ ^ ` { | } '``
//!   (some of those `url` percent-encodes in some component, and the others are not worth the
//!   risk), no `?` in the path (it starts the query) and no `#` after the first;
//! - at most `u32::MAX` bytes (`url` stores offsets as `u32`).
//!
//! **Slow path**: everything else goes through `url::Url::parse` (or `Url::join`), and the
//! component ranges are read from the result with `url::Position`.

use crate::ascii::byte_table;
use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Range;

use url::{ParseError, Position, Url};

/// What kind of host a URL has (`url::Host` without the parsed address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostKind {
    Domain,
    Ipv4,
    Ipv6,
}

/// A parsed absolute URL: `url::Url`'s serialization and the byte ranges of its components.
#[derive(Clone)]
pub struct WebUrl {
    serialization: String,
    /// The scheme is `serialization[..scheme_end]`.
    scheme_end: usize,
    host: Option<(Range<usize>, HostKind)>,
    port: Option<u16>,
    path: Range<usize>,
    /// Without the `?`.
    query: Option<Range<usize>>,
    /// Where the fragment starts, after the `#`; it runs to the end.
    fragment_start: Option<usize>,
}

impl WebUrl {
    /// Parses an absolute URL; the same answer as `url::Url::parse` (see the module doc).
    pub fn parse(text: &str) -> Result<WebUrl, ParseError> {
        if let Some(url) = fast_parse(text) {
            return Ok(url);
        }
        Url::parse(text).map(|url| WebUrl::from_url(&url))
    }

    /// Resolves `relative` against this URL; the same answer as `url::Url::join`. The slow path
    /// parses the serialization again, which for http(s) gives back the same URL; for a few odd
    /// `file:` URLs (`file://z//t:/x`) `url` makes something else of its own serialization, and
    /// joins differ. mailtrace joins only to http(s) bases.
    pub fn join(&self, relative: &str) -> Result<WebUrl, ParseError> {
        if let Some(url) = self.fast_join(relative) {
            return Ok(url);
        }
        let base = Url::parse(self.as_str())?;
        base.join(relative).map(|url| WebUrl::from_url(&url))
    }

    /// An absolute path (`/a/b?c`) against an http(s) base: the base up to its path, then the
    /// relative text, when that text passes the fast path's path, query and fragment checks.
    fn fast_join(&self, relative: &str) -> Option<WebUrl> {
        let bytes = relative.as_bytes();
        if !matches!(self.scheme(), "http" | "https")
            || bytes.first() != Some(&b'/')
            || bytes.get(1) == Some(&b'/')
        {
            return None;
        }
        let prefix = self.serialization.get(..self.path.start)?;
        let mut serialization = String::with_capacity(prefix.len() + relative.len());
        serialization.push_str(prefix);
        serialization.push_str(relative);
        if serialization.len() > u32::MAX as usize {
            return None;
        }
        let tail = scan_tail(serialization.as_bytes(), prefix.len())?;
        Some(WebUrl {
            scheme_end: self.scheme_end,
            host: self.host.clone(),
            port: self.port,
            path: tail.path,
            query: tail.query,
            fragment_start: tail.fragment_start,
            serialization,
        })
    }

    /// The ranges of a URL parsed by `url`.
    fn from_url(url: &Url) -> WebUrl {
        let at = |position: Position| url[..position].len();
        let host_kind = host_kind_of(url);
        WebUrl {
            serialization: url.as_str().to_owned(),
            scheme_end: at(Position::AfterScheme),
            host: host_kind.map(|kind| (at(Position::BeforeHost)..at(Position::AfterHost), kind)),
            port: url.port(),
            path: at(Position::BeforePath)..at(Position::AfterPath),
            query: url
                .query()
                .map(|_| at(Position::BeforeQuery)..at(Position::AfterQuery)),
            fragment_start: url.fragment().map(|_| at(Position::BeforeFragment)),
        }
    }

    fn slice(&self, range: Range<usize>) -> &str {
        // The ranges are built with the serialization and always fit it.
        self.serialization.get(range).unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        &self.serialization
    }

    pub fn scheme(&self) -> &str {
        self.slice(0..self.scheme_end)
    }

    pub fn host_str(&self) -> Option<&str> {
        self.host
            .as_ref()
            .map(|(range, _)| self.slice(range.clone()))
    }

    pub fn host_kind(&self) -> Option<HostKind> {
        self.host.as_ref().map(|&(_, kind)| kind)
    }

    /// The port when one was written and it is not the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    pub fn path(&self) -> &str {
        self.slice(self.path.clone())
    }

    /// The path split on `/` after its leading one; `None` for a path without one.
    pub fn path_segments(&self) -> Option<Segments<'_>> {
        self.path().strip_prefix('/').map(|remainder| Segments {
            rest: Some(remainder),
        })
    }

    pub fn query(&self) -> Option<&str> {
        self.query.clone().map(|range| self.slice(range))
    }

    /// The query's name/value pairs, decoded as `application/x-www-form-urlencoded`.
    pub fn query_pairs(&self) -> url::form_urlencoded::Parse<'_> {
        url::form_urlencoded::parse(self.query().unwrap_or_default().as_bytes())
    }

    pub fn fragment(&self) -> Option<&str> {
        self.fragment_start
            .map(|start| self.slice(start..self.serialization.len()))
    }
}

/// How `WebUrl`'s answer for an input differs from `url`'s, if it does: a different outcome or
/// error, or the first accessor that disagrees. The module's contract, as its tests and the
/// `weburl` fuzz target check it.
pub fn disagreement(
    ours: &Result<WebUrl, ParseError>,
    theirs: &Result<Url, ParseError>,
) -> Option<String> {
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => ours
            .differs_from(theirs)
            .map(|accessor| format!("{accessor}: ours {ours:?}, url's {theirs:?}")),
        (Err(ours), Err(theirs)) => {
            (ours != theirs).then(|| format!("error: ours {ours:?}, url's {theirs:?}"))
        }
        (ours, theirs) => Some(format!("ours {ours:?}, url's {theirs:?}")),
    }
}

impl WebUrl {
    /// The first accessor whose answer differs from `url`'s, if any.
    fn differs_from(&self, url: &Url) -> Option<&'static str> {
        let checks = [
            ("as_str", self.as_str() == url.as_str()),
            ("scheme", self.scheme() == url.scheme()),
            ("host_str", self.host_str() == url.host_str()),
            ("host_kind", self.host_kind() == host_kind_of(url)),
            ("port", self.port() == url.port()),
            ("path", self.path() == url.path()),
            ("query", self.query() == url.query()),
            ("fragment", self.fragment() == url.fragment()),
            (
                "path_segments",
                self.path_segments().map(Iterator::collect::<Vec<_>>)
                    == url.path_segments().map(Iterator::collect::<Vec<_>>),
            ),
            ("query_pairs", self.query_pairs().eq(url.query_pairs())),
            ("to_string", self.to_string() == url.to_string()),
        ];
        checks
            .into_iter()
            .find(|&(_, same)| !same)
            .map(|(name, _)| name)
    }
}

fn host_kind_of(url: &Url) -> Option<HostKind> {
    url.host().map(|host| match host {
        url::Host::Domain(_) => HostKind::Domain,
        url::Host::Ipv4(_) => HostKind::Ipv4,
        url::Host::Ipv6(_) => HostKind::Ipv6,
    })
}

/// The same URL, for code that parsed it with `url` already.
impl From<&Url> for WebUrl {
    fn from(url: &Url) -> WebUrl {
        WebUrl::from_url(url)
    }
}

/// Compared and hashed by serialization, as `url::Url` is: the ranges follow from it.
impl PartialEq for WebUrl {
    fn eq(&self, other: &Self) -> bool {
        self.serialization == other.serialization
    }
}

impl Eq for WebUrl {}

impl Hash for WebUrl {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.serialization.hash(state);
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialization)
    }
}

impl fmt::Debug for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WebUrl").field(&self.serialization).finish()
    }
}

/// The fast path: `Some` only for input `url` keeps unchanged but for the host's case (the
/// module doc lists the rules); `None` sends the input to `url`.
fn fast_parse(text: &str) -> Option<WebUrl> {
    let bytes = text.as_bytes();
    if bytes.len() > u32::MAX as usize {
        return None;
    }
    let scheme_end = if bytes.starts_with(b"https://") {
        5
    } else if bytes.starts_with(b"http://") {
        4
    } else {
        return None;
    };
    let host_start = scheme_end + "://".len();
    let host_len = plain_host_len(bytes.get(host_start..)?)?;
    let host_end = host_start + host_len;
    // The host must end at the path: a port, userinfo, `%`, `?` or `#` right after the host (an
    // empty path, which `url` writes as `/`) all take the slow path.
    if bytes.get(host_end) != Some(&b'/') {
        return None;
    }
    let tail = scan_tail(bytes, host_end)?;
    let mut serialization = text.to_owned();
    // IDNA maps an ASCII capital to its small letter and nothing else to ASCII.
    serialization
        .get_mut(host_start..host_end)?
        .make_ascii_lowercase();
    Some(WebUrl {
        serialization,
        scheme_end,
        host: Some((host_start..host_end, HostKind::Domain)),
        port: None,
        path: tail.path,
        query: tail.query,
        fragment_start: tail.fragment_start,
    })
}

/// The host `WebUrl::parse(text)` would give (`None` when it fails or has no host), without
/// parsing the rest: the report names each finding's third party by the host of the URL it
/// has kept as text. `url` fails on nothing after a special scheme's host, so when the fast
/// path's host checks pass and the host ends at `/`, `?`, `#` or the text's end, the rest
/// cannot change the answer; anything else is parsed whole.
pub fn host_of(text: &str) -> Option<Cow<'_, str>> {
    if let Some(host) = fast_host(text) {
        return Some(host);
    }
    let parsed = WebUrl::parse(text).ok()?;
    Some(Cow::Owned(parsed.host_str()?.to_owned()))
}

/// `host_of`'s fast path: the host of an `http://` or `https://` URL whose host `fast_parse`
/// would take, when nothing but a path, query or fragment follows it.
fn fast_host(text: &str) -> Option<Cow<'_, str>> {
    let bytes = text.as_bytes();
    if bytes.len() > u32::MAX as usize {
        return None;
    }
    let host_start = if bytes.starts_with(b"https://") {
        "https://".len()
    } else if bytes.starts_with(b"http://") {
        "http://".len()
    } else {
        return None;
    };
    let rest = &text[host_start..];
    let host_len = plain_host_len(rest.as_bytes())?;
    if !matches!(
        rest.as_bytes().get(host_len),
        None | Some(b'/' | b'?' | b'#')
    ) {
        return None; // a port, userinfo, `%`, `\` or a character `url` strips or rejects
    }
    Some(crate::ascii::lower(&rest[..host_len]))
}

/// The length of the host `bytes` start with, the run of ASCII letters, digits, `-` and `.`,
/// when IDNA processing and the IPv4 parser leave it as it is once lowered: no empty label (so
/// no trailing dot), no label starting or ending with `-` or with `-` at its third and fourth
/// bytes (`xn--` and the like), and a last label that is not a number. `None` otherwise. One
/// pass, each label checked as its end is found.
fn plain_host_len(bytes: &[u8]) -> Option<usize> {
    let mut label_start = 0;
    let mut at = 0;
    loop {
        let byte = bytes.get(at).copied();
        // Through a table: tested as a range check and a comparison, a label's byte cost
        // about fifteen instructions.
        if byte.is_some_and(|b| IN_LABEL[usize::from(b)]) {
            at += 1;
            continue;
        }
        let label = &bytes[label_start..at];
        let plain = !label.is_empty()
            && label.first() != Some(&b'-')
            && label.last() != Some(&b'-')
            // `xn--` (Punycode) and any other `??--` label: IDNA looks at them more closely.
            && label.get(2..4) != Some(b"--");
        if !plain {
            return None;
        }
        if byte == Some(b'.') {
            at += 1;
            label_start = at;
            continue;
        }
        // A last label that is a number (decimal, or hex after `0x`) makes the host an IPv4
        // address to `url`, which rewrites it or rejects it.
        let number = label.iter().all(u8::is_ascii_digit)
            || (label.first() == Some(&b'0') && label.get(1).is_some_and(|&b| b | 0x20 == b'x'));
        return (!number).then_some(at);
    }
}

/// The bytes of a plain host's labels: ASCII letters, digits and `-`.
const IN_LABEL: [bool; 256] = byte_table!(|byte| byte.is_ascii_alphanumeric() || byte == b'-');

/// The path, query and fragment ranges of `bytes[path_start..]`, which starts with `/`.
struct Tail {
    path: Range<usize>,
    query: Option<Range<usize>>,
    fragment_start: Option<usize>,
}

/// What the fast path makes of each byte after the host.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    /// Anything `url` might encode or treat specially, and anything the fast path need not
    /// trust: controls, space, non-ASCII, ``" < > \ ^ ` { | } '``. (`\` is `/` in a path.)
    Other,
    Plain,
    Slash,
    Question,
    Hash,
}

const CLASSES: [Class; 256] = byte_table!(|byte| match byte {
    b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' | b'\'' => Class::Other,
    b'/' => Class::Slash,
    b'?' => Class::Question,
    b'#' => Class::Hash,
    b'!'..=b'~' => Class::Plain,
    _ => Class::Other,
});

/// The bytes that end a query (`#`) or send it (or a fragment) to the slow path.
const QUERY_STOP: [bool; 256] =
    byte_table!(|byte| matches!(CLASSES[byte as usize], Class::Hash | Class::Other));

/// The bytes `plain_path_blocks` tests together.
const PATH_BLOCK: usize = 16;

/// How many bytes from the start of `path` (which starts with `/`) are whole blocks that
/// `scan_tail`'s byte loop would pass without a decision: only `Plain` bytes and `/`, and no
/// `/` followed by `.` or `%` (every dot segment starts so, `%2e` included). The tests are
/// comparisons with constants, OR-ed without a branch, which the compiler makes into vector
/// compares of a block's bytes side by side; byte by byte, a table lookup and a branch per
/// byte came to about nine instructions a byte of a tracking URL's path.
fn plain_path_blocks(path: &[u8]) -> usize {
    let mut at = 0;
    // A block and the byte after it, which may be the `.` after its last `/`.
    while let Some(window) = path.get(at..at + PATH_BLOCK + 1) {
        let block = &window[..PATH_BLOCK];
        let stop = block.iter().fold(false, |stop, &b| stop | path_stop(b));
        let dot = block
            .iter()
            .zip(&window[1..])
            .fold(false, |dot, (&b, &next)| {
                dot | ((b == b'/') & ((next == b'.') | (next == b'%')))
            });
        if stop | dot {
            break;
        }
        at += PATH_BLOCK;
    }
    at
}

/// Whether a byte of a path is neither `Plain` nor `/`: `?`, `#` or `Other` (the classes of
/// `CLASSES`, spelled as comparisons so that a block of them is compared at once).
fn path_stop(b: u8) -> bool {
    !(b'!'..=b'~').contains(&b)
        | (b == b'"')
        | (b == b'#')
        | (b == b'\'')
        | (b == b'<')
        | (b == b'>')
        | (b == b'?')
        | (b == b'\\')
        | (b == b'^')
        | (b == b'`')
        | (b == b'{')
        | (b == b'|')
        | (b == b'}')
}

/// The bytes the path takes as they are.
const PLAIN: [bool; 256] = byte_table!(|byte| matches!(CLASSES[byte as usize], Class::Plain));

fn class(b: u8) -> Class {
    CLASSES[usize::from(b)]
}

/// Splits and checks what follows the host (see the module doc) in one pass; `None` when
/// `url` might change any of it.
fn scan_tail(bytes: &[u8], path_start: usize) -> Option<Tail> {
    let rest = bytes.get(path_start..)?;
    if rest.first() != Some(&b'/') {
        return None;
    }
    // The path: whole blocks first, then segments are checked for dots as each ends.
    let skipped = plain_path_blocks(rest);
    // No segment ended in the skipped blocks is a dot segment; the one they end in starts
    // after their last `/` (the path's first byte is one).
    let mut segment_start = memchr::memrchr(b'/', &rest[..skipped.max(1)]).map_or(1, |i| i + 1);
    let mut path_len = rest.len();
    for (i, &b) in rest.iter().enumerate().skip(skipped.max(1)) {
        // Most bytes are plain: one predictable branch for them. A `match` on every byte's
        // class compiled to a jump table whose indirect jump was most of this function's time.
        if PLAIN[usize::from(b)] {
            continue;
        }
        match class(b) {
            Class::Plain => {}
            Class::Slash => {
                if is_dot_segment(rest.get(segment_start..i)?) {
                    return None;
                }
                segment_start = i + 1;
            }
            Class::Question | Class::Hash => {
                path_len = i;
                break;
            }
            Class::Other => return None,
        }
    }
    if is_dot_segment(rest.get(segment_start..path_len)?) {
        return None;
    }
    let path_end = path_start + path_len;
    let mut at = path_end;
    // The query: `?` and `/` are plain in it.
    let mut query = None;
    if bytes.get(at) == Some(&b'?') {
        let start = at + 1;
        let after = bytes.get(start..)?;
        // Eight bytes at a time while none of them ends the query or needs the slow path:
        // tracking queries run to hundreds of bytes, and one branch per word is cheaper than
        // one per byte.
        let mut clean = 0;
        while let Some(word) = after.get(clean..clean + 8) {
            if word.iter().any(|&b| QUERY_STOP[usize::from(b)]) {
                break;
            }
            clean += 8;
        }
        let mut len = after.len();
        for (i, &b) in after.iter().enumerate().skip(clean) {
            if !QUERY_STOP[usize::from(b)] {
                continue;
            }
            if class(b) == Class::Other {
                return None;
            }
            len = i; // `#`
            break;
        }
        query = Some(start..start + len);
        at = start + len;
    }
    // The fragment: a second `#` takes the slow path.
    let mut fragment_start = None;
    if bytes.get(at) == Some(&b'#') {
        let start = at + 1;
        if bytes
            .get(start..)?
            .iter()
            .any(|&b| QUERY_STOP[usize::from(b)])
        {
            return None;
        }
        fragment_start = Some(start);
    }
    Some(Tail {
        path: path_start..path_end,
        query,
        fragment_start,
    })
}

/// A path segment `url` removes or resolves: `.` or `..`, also written with `%2e`.
fn is_dot_segment(segment: &[u8]) -> bool {
    let dot = |part: &[u8]| part == b"." || part.eq_ignore_ascii_case(b"%2e");
    match segment.len() {
        1 | 3 => dot(segment),
        2 => segment == b"..",
        4 => {
            (segment.first() == Some(&b'.') && segment.get(1..).is_some_and(dot))
                || (segment.last() == Some(&b'.') && segment.get(..3).is_some_and(dot))
        }
        6 => segment.get(..3).is_some_and(dot) && segment.get(3..).is_some_and(dot),
        _ => false,
    }
}

/// A path's segments, as `str::split('/')` gives them (an empty text is one empty segment),
/// found by `memchr`: std's search for a char costs about 150 instructions a call on the
/// short texts of URLs, and the detectors split every path several times.
#[derive(Debug, Clone)]
pub struct Segments<'a> {
    /// What is left to split; `None` once the last segment is out.
    rest: Option<&'a str>,
}

impl<'a> Iterator for Segments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match memchr::memchr(b'/', rest.as_bytes()) {
            Some(at) => {
                self.rest = Some(&rest[at + 1..]);
                Some(&rest[..at])
            }
            None => self.rest.take(),
        }
    }
}

impl DoubleEndedIterator for Segments<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let rest = self.rest?;
        match memchr::memrchr(b'/', rest.as_bytes()) {
            Some(at) => {
                self.rest = Some(&rest[..at]);
                Some(&rest[at + 1..])
            }
            None => self.rest.take(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_as_str_split_does_from_either_end() {
        for path in [
            "", "a", "/", "//", "a/b", "a/b/", "/a//b/", "ab/cd/ef", "é/ü/",
        ] {
            let ours = || Segments { rest: Some(path) };
            let std = || path.split('/');
            assert_eq!(
                ours().collect::<Vec<_>>(),
                std().collect::<Vec<_>>(),
                "{path:?}"
            );
            assert_eq!(
                ours().rev().collect::<Vec<_>>(),
                std().rev().collect::<Vec<_>>()
            );
            // Taken from both ends at once, each segment comes out once.
            let (mut ours, mut std) = (ours(), std());
            loop {
                let pair = (ours.next(), ours.next_back());
                assert_eq!(pair, (std.next(), std.next_back()), "{path:?}");
                if pair == (None, None) {
                    break;
                }
            }
        }
    }

    /// Every accessor of `WebUrl` against `url::Url`'s, for parsing `text`.
    fn check_parse(text: &str) {
        let ours = WebUrl::parse(text);
        let theirs = Url::parse(text);
        check_same(&format!("parse {text:?}"), ours, theirs);
    }

    fn check_join(base: &str, relative: &str) {
        let ours = WebUrl::parse(base).and_then(|b| b.join(relative));
        let theirs = Url::parse(base).and_then(|b| b.join(relative));
        check_same(&format!("join {base:?} {relative:?}"), ours, theirs);
    }

    fn check_same(what: &str, ours: Result<WebUrl, ParseError>, theirs: Result<Url, ParseError>) {
        if let Some(difference) = disagreement(&ours, &theirs) {
            panic!("{what}: {difference}");
        }
    }

    const TRICKY: &[&str] = &[
        // Plain (fast path).
        "https://shop.example/",
        "http://a.b/c/d.gif?x=1&y=2#frag",
        "https://t.e.mail-x.example/o/abc-DEF_123~!$&()*+,;=:@%41?q=a/b?c:d@e%zz#f/?:@",
        "https://1e100.net/x",
        "https://a-b.c-d/x",
        "https://h.example//double//slash/",
        "https://h.example/a?",
        "https://h.example/a#",
        "https://h.example/a?#",
        "https://h.example/?a=1+2&b=%20&&c&=d",
        "https://localhost/",
        "https://h.example/.well-known/x",
        "https://h.example/a..b/...%2e%2e%2e/",
        // Case: scheme and host are lowered.
        "HTTPS://Shop.Example/A",
        "Http://shop.example/",
        "https://SHOP.example/",
        // IPv4 forms and numeric last labels.
        "http://0x7f.1/",
        "http://1.2.3/",
        "http://127.0.0.1/",
        "http://999.1.1.1/",
        "http://a.123/",
        "http://a.0x/",
        "http://a.0xg/",
        "http://a.09/",
        "http://123.a/",
        "http://4294967296/",
        "http://[::1]/x",
        "http://[::1/",
        "http://[0:0::ffff:1.2.3.4]:8080/",
        // IDNA.
        "http://xn--nxasmq6b.example/",
        "http://xn--a.example/",
        "http://xn--/",
        "http://ab--cd.example/",
        "http://bücher.example/",
        "http://BÜCHER.example/",
        "http://xn--bcher-kva.example/",
        "http://-a.example/",
        "http://a-.example/",
        "http://a..b/",
        "http://a.b./",
        "http://./",
        "http://../",
        "http://a.b%2ec/",
        "http://a%41.b/",
        "http://ex\u{ff0e}ample/",
        "http://a\u{200b}b.example/",
        // Ports.
        "http://h.example:80/",
        "https://h.example:443/",
        "http://h.example:443/",
        "http://h.example:080/",
        "http://h.example:8080/",
        "http://h.example:/",
        "http://h.example:65536/",
        "http://h.example:x/",
        // Userinfo.
        "http://user@h.example/",
        "http://user:pass@h.example/",
        "http://@h.example/",
        "http://a@b@h.example/",
        "http://h.example/a@b",
        // Empty paths, delimiters right after the host.
        "http://h.example",
        "http://h.example?q",
        "http://h.example#f",
        "http://h.example?",
        "http://",
        "http:///h.example/",
        "http:h.example/",
        "http:/h.example/",
        "https:",
        // Dot segments.
        "http://h.example/./a",
        "http://h.example/../a",
        "http://h.example/a/.",
        "http://h.example/a/..",
        "http://h.example/a/%2e/b",
        "http://h.example/a/%2E%2e/b",
        "http://h.example/a/.%2E/b",
        "http://h.example/a/%2e./b",
        "http://h.example/a/..?q",
        "http://h.example/a/.#f",
        "http://h.example/a?/../b",
        "http://h.example/a#/../b",
        // Backslashes.
        "http:\\\\h.example\\a\\b",
        "http://h.example\\a",
        "http://h.example/a\\b",
        "http://h.example/a?b\\c",
        "http://h.example/a#b\\c",
        // Tabs, newlines, spaces, controls.
        "http://h.exa\tmple/a",
        "http://h.example/a\nb",
        "http://h.example/a\r\nb",
        " http://h.example/a ",
        "\u{1}http://h.example/a\u{1f}",
        "http://h.example/a b?c d#e f",
        "http://h.example/a\u{7f}b",
        "http://h.example/a\u{0}b",
        // Quotes and other characters some sets encode.
        "http://h.example/a\"b?c\"d#e\"f",
        "http://h.example/a'b?c'd#e'f",
        "http://h.example/a<b>?c<d>#e<f>",
        "http://h.example/a`b?c`d#e`f",
        "http://h.example/a{b}?c{d}#e{f}",
        "http://h.example/a^b|c?d^e|f#g^h|i",
        "http://h.example/a#b#c",
        "http://h.example/a?b?c#d?e",
        "http://h.example/a%b?c%d#e%f",
        // Non-ASCII in path, query and fragment.
        "http://h.example/é?é#é",
        "http://h.example/\u{1F600}",
        "http://h.example/a?\u{FEFF}",
        "\u{FEFF}http://h.example/",
        // Other schemes and relative text.
        "mailto:a@b.example",
        "data:image/gif;base64,R0lGOD",
        "ftp://h.example/a",
        "ws://h.example:80/",
        "file:///etc/passwd",
        "foo://Host.Example/a/../b",
        "javascript:alert(1)",
        "/relative/path",
        "//cdn.example/p.gif",
        "",
        "?",
        "#",
        "https",
        "https://h",
        "https://h/",
    ];

    #[test]
    fn tricky_inputs_match_url() {
        for text in TRICKY {
            check_parse(text);
        }
    }

    /// `host_of` against the host of a whole parse.
    fn check_host(text: &str) {
        let whole = WebUrl::parse(text).ok();
        let expected = whole.as_ref().and_then(WebUrl::host_str);
        assert_eq!(host_of(text).as_deref(), expected, "host_of {text:?}");
    }

    #[test]
    fn hosts_read_alone_match_the_whole_parse() {
        for text in TRICKY {
            check_host(text);
        }
        for byte in 0..=127u8 {
            let c = char::from(byte);
            for text in [
                format!("https://h.example{c}x/a"),
                format!("https://h{c}"),
                format!("http://a.b.c{c}"),
                format!("https://{c}h.example/"),
            ] {
                check_host(&text);
            }
        }
        // The fast path answers these without parsing; the capital is lowered as IDNA does.
        for (text, host) in [
            ("https://Click.Example/ls/click?upn=abc", "click.example"),
            ("http://t.example", "t.example"),
            ("https://t.example?x#y", "t.example"),
        ] {
            assert_eq!(fast_host(text).as_deref(), Some(host), "{text}");
        }
    }

    #[test]
    fn every_ascii_byte_in_path_query_and_fragment_matches_url() {
        for byte in 0..=127u8 {
            let c = char::from(byte);
            check_parse(&format!("https://h.example/a{c}b/c{c}?d{c}e&f=g{c}#h{c}i"));
            check_parse(&format!("https://h.example/{c}?{c}#{c}"));
        }
    }

    #[test]
    fn path_stops_are_the_classes_that_stop_the_byte_loop() {
        for byte in 0..=255u8 {
            let stops = !matches!(class(byte), Class::Plain | Class::Slash);
            assert_eq!(path_stop(byte), stops, "{byte:#x}");
        }
    }

    #[test]
    fn dot_segments_and_stops_are_found_wherever_the_blocks_fall() {
        for offset in 0..2 * PATH_BLOCK + 2 {
            let lead = format!("/{}", "a".repeat(offset));
            for tail in [
                "/./x",
                "/../x",
                "/.",
                "/..",
                "/%2e/x",
                "/%2E%2e",
                "/.%2e/x",
                "/.x/y",
                "/%41/b",
                "/a b",
                "/a?q=1",
                "/a#f",
                "/a\\b",
                "/é/x",
                "/a/b/c/d/e/f/g/h/i/j/k",
            ] {
                check_parse(&format!("https://h.example{lead}{tail}"));
                check_parse(&format!("https://h.example{lead}{tail}{}", "z".repeat(40)));
            }
        }
    }

    #[test]
    fn very_long_urls_match_url() {
        let long_path = format!("https://h.example/{}", "a/".repeat(50_000));
        let long_query = format!("https://h.example/p?{}", "k=v&".repeat(50_000));
        let long_host = format!("https://{}example/", "label.".repeat(10_000));
        let long_label = format!("https://{}.example/", "a".repeat(100_000));
        for text in [long_path, long_query, long_host, long_label] {
            check_parse(&text);
        }
    }

    #[test]
    fn fast_path_takes_the_common_shapes() {
        for text in [
            "https://shop.example/",
            "http://a.b/c/d.gif?x=1&y=2#frag",
            "https://1e100.net/x",
            "https://h.example/a?#",
            "https://lU6xNH.r.sp1-brevo.net/mk/cl/f/j8XKNpMl4GaEdPhXZkW",
        ] {
            assert!(fast_parse(text).is_some(), "{text}");
        }
        for text in [
            "HTTPS://shop.example/",
            "http://h.example",
            "http://1.2.3/",
            "http://xn--a.example/",
            "http://h.example/a/%2E/",
            "http://h.example:80/",
            "http://h.example/a'",
            "http://XN--a.example/",
            "http://a.0X1/",
        ] {
            assert!(fast_parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn joins_match_url() {
        let bases = [
            "https://h.example/dir/page.html?q#f",
            "http://user:pw@h.example:8080/a/b",
            "http://[::1]/a/",
            "http://1.2.3.4/a",
            "mailto:a@b.example",
            "foo://h/a/b",
        ];
        let relatives = [
            "/abs/path?x=1#y",
            "/",
            "//other.example/x",
            "///x",
            "/a/../b",
            "/a/%2e/b",
            "/A B",
            "/a\\b",
            "/\\other.example/",
            "rel/path",
            "../up",
            "?only=query",
            "#only-fragment",
            "",
            "https://abs.example/",
            "HTTP://ABS.example/",
            "/\u{e9}",
            "/a\tb",
        ];
        for base in bases {
            for relative in relatives {
                check_join(base, relative);
            }
        }
    }

    #[test]
    fn equal_and_hashed_by_serialization() {
        use std::collections::HashSet;
        let fast = WebUrl::parse("https://h.example/a").unwrap();
        let slow = WebUrl::parse("HTTPS://H.example/a").unwrap();
        assert_eq!(fast, slow);
        assert_eq!(HashSet::from([fast, slow]).len(), 1);
    }
}
