//! Recovers where a wrapped link really goes.
//!
//! Links in mail are often not what they seem: a click-tracking redirector carries the real
//! destination inside its own URL, and a security gateway at the reader's side (Safe Links,
//! URL Defense, …) wraps every link again before the reader sees it. To judge a link — is it
//! tracked, whose is it, does it leak the address — the detector needs the destination, and it
//! must get it without following the link: fetching is exactly what a tracker wants.
//!
//! Two functions, both pure:
//!
//! - [`security_rewriter`] knows the published shapes of the gateways and proxies that wrap
//!   links on the reader's behalf, and decodes their particular escaping. Some (Mimecast) keep
//!   the destination on their servers; those come back as [`Rewrite::Opaque`], never as a
//!   guessed destination.
//! - [`wrapped_destination`] is the generic finder for everything else: a query value, path
//!   segment or fragment that is itself an absolute http(s) URL — as it is, percent-encoded
//!   (possibly twice), or in base64 or base64url, padded or not — or that holds one after the
//!   redirector's own data (in clear, or in base64 after a binary header or under a JSON key
//!   naming a link), or a path segment holding a host and path without the scheme; following
//!   nested wrapping to the innermost URL.
//!
//! Destinations are returned as the `url` crate serialises them (`https://shop.example` becomes
//! `https://shop.example/`), so they can be compared and parsed again.

use crate::weburl::{HostKind, WebUrl};
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use percent_encoding::percent_decode_str;
use std::borrow::Cow;

/// How many layers of wrapping [`wrapped_destination`] peels. Real redirect chains inside one
/// URL rarely nest deeper than two; the bound keeps a crafted URL from costing more.
const MAX_LAYERS: usize = 3;

/// How many extra rounds of percent-decoding a value gets: redirectors that wrap an already
/// encoded URL encode it again.
const MAX_PERCENT_ROUNDS: usize = 2;

/// Longest URL or value that is taken apart; longer ones are data, not links.
const MAX_LEN: usize = 16 * 1024;

/// The shortest base64 text that can hold an http URL with a dotted host (`http://a.bc`).
const MIN_BASE64: usize = 14;

/// The shortest value that can hold a wrapped URL: `http://1` (an IPv4 address) as it is, or
/// longer encoded (decoding never lengthens text).
const MIN_WRAPPED: usize = 8;

/// Decoding that accepts what encoders in the wild emit: padding or none, and stray low bits in
/// the last character.
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_encode_padding(false)
    .with_decode_allow_trailing_bits(true)
    .with_decode_padding_mode(DecodePaddingMode::Indifferent);
const BASE64: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const BASE64URL: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Proofpoint URL Defense v3 run lengths: `**` followed by one of these characters stands for
/// a run of replaced characters, `A` meaning 2, `B` 3, and so on.
const PROOFPOINT_RUNS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A destination recovered from a wrapping URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwrapped {
    /// The absolute http(s) URL the link leads to.
    pub destination: String,
    /// Where it was found: `query parameter url`, `base64url path segment`, `fragment`, …;
    /// nested layers, outermost first, are joined with `, then `.
    pub via: String,
    /// The gateway or proxy that wrapped the link, when a known one did; `None` from the
    /// generic [`wrapped_destination`].
    pub rewriter: Option<&'static str>,
}

/// What a known security rewriter or proxy link holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rewrite {
    /// The destination travels inside the link and was recovered.
    Recovered(Unwrapped),
    /// The link is a known rewriter's, but it carries only a token: the destination is on the
    /// rewriter's servers. `host_hint` is the destination host when the link shows it.
    Opaque {
        rewriter: &'static str,
        host_hint: Option<String>,
    },
}

impl Rewrite {
    /// The rewriter's name. (A `Recovered` from [`security_rewriter`] always names it; the
    /// fallback only covers a hand-built value.)
    pub fn rewriter(&self) -> &'static str {
        match self {
            Rewrite::Recovered(unwrapped) => unwrapped.rewriter.unwrap_or("unknown"),
            Rewrite::Opaque { rewriter, .. } => rewriter,
        }
    }

    /// The recovered destination, if the link carries one.
    pub fn destination(&self) -> Option<&str> {
        match self {
            Rewrite::Recovered(unwrapped) => Some(&unwrapped.destination),
            Rewrite::Opaque { .. } => None,
        }
    }
}

/// Recognises a link wrapped by a known security gateway or mail proxy and recovers its
/// destination. `None` when the URL is not one of theirs.
///
/// One layer only: gateways stack (Safe Links around URL Defense is common), so call again on
/// the destination to peel the next.
pub fn security_rewriter(url: &WebUrl) -> Option<Rewrite> {
    if url.as_str().len() > MAX_LEN {
        return None;
    }
    // Hosts of http(s) URLs are lower case already; copy only one that is not.
    let host = crate::ascii::lower(url.host_str()?);
    let host = host.trim_end_matches('.');
    let path = url.path();

    if host == "safelinks.protection.outlook.com"
        || host.ends_with(".safelinks.protection.outlook.com")
    {
        // Microsoft Defender for Office 365: `https://nam02.safelinks.protection.outlook.com/
        // ?url=<percent-encoded destination>&data=…&sdata=…&reserved=0`.
        return Some(from_query(
            url,
            "Microsoft Defender Safe Links",
            "url",
            None,
        ));
    }
    if host == "urldefense.proofpoint.com" || host == "urldefense.com" {
        return proofpoint(url, path);
    }
    if is_mimecast(host) && path.starts_with("/s/") {
        // `https://protect-eu.mimecast.com/s/<token>?domain=<host>` and, since 2024,
        // `https://url.uk.m.mimecastprotect.com/s/<token>?domain=<host>`: the token is looked up
        // on Mimecast's side; only the host is shown.
        return Some(Rewrite::Opaque {
            rewriter: "Mimecast URL Protect",
            host_hint: query_value(url, "domain").and_then(|value| host_hint(&value)),
        });
    }
    if host == "linkprotect.cudasvc.com" && path == "/url" {
        // `https://linkprotect.cudasvc.com/url?a=<destination>&c=E,1,…&typo=1`.
        return Some(from_query(url, "Barracuda Link Protection", "a", None));
    }
    if (host == "www.google.com" || host == "google.com") && path == "/url" {
        // Gmail's `data-saferedirecturl` and Google Docs' outbound links:
        // `https://www.google.com/url?q=<destination>&sa=D&source=…&ust=…&usg=…`.
        let name = if query_value(url, "q").is_some() {
            "q"
        } else {
            "url"
        };
        return Some(from_query(url, "Google redirect", name, None));
    }
    if is_gmail_proxy_host(host) && (path.starts_with("/proxy/") || path.starts_with("/meips/")) {
        // `https://ci3.googleusercontent.com/meips/<token>=s0-d-e1-ft#<original image URL>`.
        let found = url
            .fragment()
            .and_then(|fragment| decoded_http_url(fragment, MAX_PERCENT_ROUNDS));
        return Some(recovered_or_opaque(
            "Gmail image proxy",
            found.map(|url| (url, "fragment".to_owned())),
            None,
        ));
    }
    if host == "ecp.yusercontent.com" && path == "/mail" {
        // `https://ecp.yusercontent.com/mail?url=<percent-encoded image URL>&t=…&ymreqid=…&sig=…`.
        return Some(from_query(url, "Yahoo Mail image proxy", "url", None));
    }
    if host == "secure-web.cisco.com" {
        return Some(cisco(url, path));
    }
    if path.starts_with("/wis/clicktime/") {
        // Trend Micro's time-of-click protection, on per-tenant hosts:
        // `https://<tenant>-ctp.trendmicro.com:443/wis/clicktime/v1/query?url=<destination>
        // &umid=<uuid>&auth=<signature>`.
        return Some(from_query(url, "Trend Micro Email Security", "url", None));
    }
    if host.ends_with(".protection.sophos.com") {
        // `https://eu-west-1.protection.sophos.com?d=<host>&u=<base64 destination>&i=…&t=…&h=…`.
        let hint = query_value(url, "d").and_then(|value| host_hint(&value));
        return Some(from_query(url, "Sophos Time-of-Click", "u", hint));
    }
    None
}

/// Finds a destination carried inside a URL by any redirector: a query value, path segment or
/// fragment that is an absolute http(s) URL — as it is, percent-encoded (possibly twice), or in
/// base64 or base64url. Nested wrapping is followed up to three layers and the innermost
/// destination returned. `None` when nothing in the URL decodes to an http(s) URL.
pub fn wrapped_destination(url: &WebUrl) -> Option<Unwrapped> {
    let (mut current, via) = one_layer(url)?;
    let mut vias = vec![via];
    for _ in 1..MAX_LAYERS {
        let Some((inner, via)) = one_layer(&current) else {
            break;
        };
        vias.push(via);
        current = inner;
    }
    Some(Unwrapped {
        destination: current.to_string(),
        via: vias.join(", then "),
        rewriter: None,
    })
}

/// The first destination found in one URL: query values in order, then a URL written out in the
/// path, then path segments in order, then the fragment.
fn one_layer(url: &WebUrl) -> Option<(WebUrl, String)> {
    if url.as_str().len() > MAX_LEN {
        return None;
    }
    for (name, value) in raw_query_pairs(url) {
        if value.len() < MIN_WRAPPED {
            continue;
        }
        if let Some((found, form)) = decode_value(&super::percent_decoded(value)) {
            let name = super::percent_decoded(name);
            return Some((found, described(form, &format!("query parameter {name}"))));
        }
    }
    if let Some(found) = url_in_path(url.path(), url.query()) {
        return Some((found, "path".to_owned()));
    }
    for raw in url.path_segments().into_iter().flatten() {
        if raw.len() < MIN_WRAPPED {
            continue;
        }
        let segment = super::percent_decoded(raw);
        if let Some((found, form)) = decode_value(&segment) {
            return Some((found, described(form, "path segment")));
        }
        if let Some(found) = schemeless_destination(raw, &segment) {
            return Some((found, "path segment, without its scheme".to_owned()));
        }
    }
    let fragment = url.fragment().filter(|f| f.len() >= MIN_WRAPPED)?;
    let fragment = super::percent_decoded(fragment);
    decode_value(&fragment).map(|(found, form)| (found, described(form, "fragment")))
}

fn described(form: Option<&str>, place: &str) -> String {
    match form {
        Some(form) => format!("{form} {place}"),
        None => place.to_owned(),
    }
}

/// A value that is, or encodes, an http(s) URL; the base64 flavour when it took one.
fn decode_value(value: &str) -> Option<(WebUrl, Option<&'static str>)> {
    if value.len() > MAX_LEN {
        return None;
    }
    if let Some(found) = decoded_http_url(value, MAX_PERCENT_ROUNDS) {
        return Some((found, None));
    }
    if let Some(found) = url_after_data(value) {
        return Some((found, Some("text after other data in the")));
    }
    // Judged from the head before the whole text is read for its alphabet: most long values
    // are ids that cannot decode to a URL. Letters and digits decode alike in both alphabets,
    // so the head's own `-` or `_` is enough to choose.
    let head_engine = if value.bytes().take(12).any(|b| matches!(b, b'-' | b'_')) {
        &BASE64URL
    } else {
        &BASE64
    };
    if may_start_http(head_engine, value.trim_end_matches('=')) {
        if let Some((engine, flavour, body)) = base64_flavour(value) {
            let text = engine
                .decode(body)
                .ok()
                .and_then(|b| String::from_utf8(b).ok());
            let found = text.and_then(|text| decoded_http_url(&text, MAX_PERCENT_ROUNDS));
            if let Some(found) = found {
                return Some((found, Some(flavour)));
            }
        }
    }
    base64_url_inside(value).map(|(found, flavour)| (found, Some(flavour)))
}

/// `<data>!-!https://shop.example/item`: a URL written after other data in one value, as some
/// redirectors pack a record id and the destination together. The data holds no space, and the
/// URL follows punctuation, not a letter, a digit or a `+` (a form-encoded space): prose that
/// mentions a link (`text=Read+this+https://…`) is not a wrapper.
fn url_after_data(value: &str) -> Option<WebUrl> {
    // Found by its first letter: building a substring searcher for each value cost more.
    let bytes = value.as_bytes();
    let at = memchr::memchr_iter(b'h', bytes).find(|&at| bytes[at..].starts_with(b"http"))?;
    let before = *bytes.get(at.checked_sub(1)?)?;
    let data = &value[..at];
    if !before.is_ascii_punctuation() || before == b'+' || data.contains(char::is_whitespace) {
        return None;
    }
    if !names_a_destination(data.as_bytes()) {
        return None;
    }
    decoded_http_url(&value[at..], MAX_PERCENT_ROUNDS)
}

/// Words in the JSON key of a URL that is where a link goes (`"href":"https://…"`).
const DESTINATION_KEYS: &[&str] = &[
    "href", "url", "link", "redirect", "dest", "target", "goto", "location",
];

/// Whether the data before a URL lets it be the link's destination. Inside JSON (a quote just
/// before it) the URL must be the value of a key that names one: a token's claims hold URLs
/// that are nobody's destination (a JWT's `"iss":"https://…"`).
fn names_a_destination(before: &[u8]) -> bool {
    let Some(rest) = before.strip_suffix(b"\"") else {
        return true;
    };
    let Some(rest) = rest.trim_ascii_end().strip_suffix(b":") else {
        return false;
    };
    let Some(key) = rest.trim_ascii_end().strip_suffix(b"\"") else {
        return false;
    };
    let start = key
        .iter()
        .rposition(|&b| b == b'"')
        .map_or(0, |quote| quote + 1);
    let key = crate::ascii::lower(std::str::from_utf8(&key[start..]).unwrap_or_default());
    DESTINATION_KEYS.iter().any(|word| key.contains(word))
}

/// How `http://` and `https://` are spelled in base64 after 0, 1 or 2 bytes of other data,
/// as far as those bytes leave the spelling alone: the spelling, where its `H` is, where it
/// starts in its group of four characters, and how many bytes of that group's decoding come
/// before the scheme. The two alphabets agree on these characters.
const SCHEMES_IN_BASE64: [(&str, usize, usize, usize); 6] = [
    ("aHR0cDov", 1, 0, 0),
    ("aHR0cHM6", 1, 0, 0),
    ("h0dHA6Ly", 3, 2, 1),
    ("h0dHBzOi", 3, 2, 1),
    ("odHRwOi8", 2, 3, 2),
    ("odHRwczo", 2, 3, 2),
];

/// Where the first of [`SCHEMES_IN_BASE64`] starts in `value`, and which it is. Searched by
/// the `H` all of them have (one character in 64 of random base64): an automaton for the six
/// cost more per value than the rest of the unwrapping, and most values are ids that hold none.
fn scheme_in_base64(value: &str) -> Option<(usize, usize)> {
    let bytes = value.as_bytes();
    memchr::memchr_iter(b'H', bytes).find_map(|h| {
        SCHEMES_IN_BASE64
            .iter()
            .enumerate()
            .find_map(|(index, &(spelling, h_at, ..))| {
                let at = h.checked_sub(h_at)?;
                bytes[at..]
                    .starts_with(spelling.as_bytes())
                    .then_some((at, index))
            })
    })
}

/// A URL inside base64 data, after a binary header of the redirector's own (its record ids,
/// a length) or a JSON key naming it (`{"e":977,"href":"https://…"}`), at any byte offset.
/// The URL runs to the first byte no URL holds.
fn base64_url_inside(value: &str) -> Option<(WebUrl, &'static str)> {
    if value.len() < MIN_BASE64 {
        return None;
    }
    let (at, index) = scheme_in_base64(value)?;
    let (_, _, chars_before, bytes_before) = SCHEMES_IN_BASE64[index];
    let start = at.checked_sub(chars_before)?;
    // Bytes, not text: the characters before the spelling need not be ASCII.
    let value = value.as_bytes();
    let is_base64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
    // Decoded from the first whole group of the run, so that the data before the URL (a
    // JSON key) can be read.
    let back = value[..start]
        .iter()
        .rev()
        .take_while(|b| is_base64(b))
        .count();
    let first = start - back + back % 4;
    let run = value[start..].iter().take_while(|b| is_base64(b)).count();
    let body = &value[first..start + run];
    let (url_safe, standard) = (
        body.iter().any(|b| matches!(b, b'-' | b'_')),
        body.iter().any(|b| matches!(b, b'+' | b'/')),
    );
    let (engine, flavour) = match (url_safe, standard) {
        (true, true) => return None,
        (true, false) => (&BASE64URL, "base64url data in the"),
        (false, _) => (&BASE64, "base64 data in the"),
    };
    // A lone character past the last whole group decodes to no byte, and is refused.
    let body = &body[..body.len() - usize::from(body.len() % 4 == 1)];
    let bytes = engine.decode(body).ok()?;
    let url_at = (start - first) / 4 * 3 + bytes_before;
    let (before, url) = (bytes.get(..url_at)?, bytes.get(url_at..)?);
    if !names_a_destination(before) {
        return None;
    }
    let end = url
        .iter()
        .position(|&b| !b.is_ascii_graphic() || matches!(b, b'"' | b'<' | b'>' | b'\\' | b'`'))
        .unwrap_or(url.len());
    http_url(std::str::from_utf8(&url[..end]).ok()?).map(|found| (found, flavour))
}

/// `/3s/shop.example.com%2Fsale.html/…`: a destination written in one path segment without
/// its scheme, its slashes percent-encoded to keep it one segment. Taken only when it starts
/// with a host under a known public suffix, so an encoded file path (`report.pdf%2Fpage`) is
/// not read as one; the scheme is taken to be https.
fn schemeless_destination(raw: &str, decoded: &str) -> Option<WebUrl> {
    let encoded_slash = memchr::memchr_iter(b'%', raw.as_bytes()).any(|at| {
        raw.get(at..at + 3)
            .is_some_and(|e| e.eq_ignore_ascii_case("%2f"))
    });
    if !encoded_slash {
        return None;
    }
    let (host, _) = decoded.split_once('/')?;
    let hostname = host.split(':').next().unwrap_or_default();
    let is_domain = hostname.contains('.')
        && hostname
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    let known = || psl::domain(hostname.as_bytes()).is_some_and(|d| d.suffix().is_known());
    if !is_domain || !known() {
        return None;
    }
    http_url(&["https://", decoded].concat())
}

/// `text` as an http(s) URL, percent-decoding it up to `rounds` times until it is one.
fn decoded_http_url(text: &str, rounds: usize) -> Option<WebUrl> {
    let mut text = Cow::Borrowed(text);
    for round in 0..=rounds {
        if let Some(found) = http_url(&text) {
            return Some(found);
        }
        // Without an escape, decoding gives the same text back.
        if round == rounds || memchr::memchr(b'%', text.as_bytes()).is_none() {
            break;
        }
        let decoded = percent_decode_str(&text).decode_utf8().ok()?.into_owned();
        if decoded == text {
            break;
        }
        text = Cow::Owned(decoded);
    }
    None
}

/// An absolute http(s) URL with a real host, or `None` for anything else: relative paths,
/// other schemes, text with control characters (binary that happened to decode).
fn http_url(text: &str) -> Option<WebUrl> {
    let text = text.trim_matches(' ');
    let starts_with = |scheme: &str| crate::ascii::starts_with_ignore_case(text, scheme);
    if !(starts_with("http://") || starts_with("https://")) || text.chars().any(char::is_control) {
        return None;
    }
    let parsed = WebUrl::parse(text).ok()?;
    let plausible_host = match parsed.host_kind()? {
        HostKind::Domain => {
            let domain = parsed.host_str().unwrap_or_default();
            domain.contains('.') || domain == "localhost"
        }
        HostKind::Ipv4 | HostKind::Ipv6 => true,
    };
    plausible_host.then_some(parsed)
}

/// How base64 or base64url text decodes: the engine, the flavour's name and the text without
/// its padding; `None` when it is neither. Padded text or text using `+` or `/` is `base64`;
/// text using `-` or `_`, or unpadded with a length that needs padding, is `base64url` (the
/// URL-safe convention drops padding); text that fits both is `base64`.
fn base64_flavour(text: &str) -> Option<(&'static GeneralPurpose, &'static str, &str)> {
    let body = text.trim_end_matches('=');
    let padded = body.len() != text.len();
    if body.len() < MIN_BASE64 || text.len() - body.len() > 2 {
        return None;
    }
    let mut standard = false;
    let mut url_safe = false;
    for byte in body.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => {}
            b'+' | b'/' => standard = true,
            b'-' | b'_' => url_safe = true,
            _ => return None,
        }
    }
    let (engine, name) = match (standard, url_safe) {
        (true, true) => return None,
        (true, false) => (&BASE64, "base64"),
        (false, true) => (&BASE64URL, "base64url"),
        (false, false) if !padded && !body.len().is_multiple_of(4) => (&BASE64URL, "base64url"),
        (false, false) => (&BASE64, "base64"),
    };
    Some((engine, name, body))
}

/// Whether base64 text can decode to an http(s) URL, judged from its first twelve characters
/// without decoding the rest: most long ids in URLs are base64-shaped, and only a URL is
/// wanted. Twelve characters make nine bytes, the same as the whole decoding's first nine;
/// when those are all spaces (which `http_url` trims) the whole text has to say.
fn may_start_http(engine: &GeneralPurpose, body: &str) -> bool {
    let mut head = [0u8; 9];
    let Some(Ok(len)) = body
        .get(..12)
        .map(|text| engine.decode_slice(text, &mut head))
    else {
        return true;
    };
    let Some(start) = head[..len].iter().position(|&b| b != b' ') else {
        return true;
    };
    let head = &head[start..len];
    // Percent-encoded before it was base64-encoded, too (`https%3A%2F%2F…`).
    let schemes: [&[u8]; 4] = [b"http://", b"https://", b"http%3a%2f", b"https%3a%2f"];
    schemes.iter().any(|scheme| {
        let n = head.len().min(scheme.len());
        head[..n].eq_ignore_ascii_case(&scheme[..n])
    })
}

/// A URL written out unencoded in the path, as in `/redirect/https://shop.example/item?id=3`:
/// a segment `http:` or `https:` followed by an empty one. Its query is the wrapper's query.
fn url_in_path(path: &str, query: Option<&str>) -> Option<WebUrl> {
    // Both markers have "://", which no case changes: most paths have none, and are not copied.
    if !crate::byte_search::contains_short(path, "://") {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    let start = ["/https://", "/http://"]
        .iter()
        .filter_map(|marker| lower.find(marker))
        .min()?;
    let mut text = path.get(start + 1..)?.to_owned();
    if let Some(query) = query {
        text.push('?');
        text.push_str(query);
    }
    decoded_http_url(&text, 0)
}

/// The query's name/value pairs as written (still percent-encoded).
fn raw_query_pairs(url: &WebUrl) -> impl Iterator<Item = (&str, &str)> {
    super::raw_query_pairs(url.query().unwrap_or_default())
}

/// The query's name/value pairs, percent-decoded but with `+` left alone: base64 uses `+`, and
/// wrapped URLs are encoded with `%XX` by every wrapper seen.
fn query_pairs(url: &WebUrl) -> Vec<(String, String)> {
    raw_query_pairs(url)
        .map(|(name, value)| {
            (
                percent_decode_str(name).decode_utf8_lossy().into_owned(),
                percent_decode_str(value).decode_utf8_lossy().into_owned(),
            )
        })
        .collect()
}

fn query_value(url: &WebUrl, name: &str) -> Option<String> {
    query_pairs(url)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// The raw (still percent-encoded) value of a query parameter.
fn raw_query_value<'a>(url: &'a WebUrl, name: &str) -> Option<&'a str> {
    url.query()?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then_some(value)
    })
}

/// A rewriter whose destination is a query parameter: as it is, percent-encoded, or base64.
fn from_query(url: &WebUrl, rewriter: &'static str, name: &str, hint: Option<String>) -> Rewrite {
    let found = query_value(url, name).and_then(|value| {
        decode_value(&value)
            .map(|(found, form)| (found, described(form, &format!("query parameter {name}"))))
    });
    recovered_or_opaque(rewriter, found, hint)
}

fn recovered_or_opaque(
    rewriter: &'static str,
    found: Option<(WebUrl, String)>,
    hint: Option<String>,
) -> Rewrite {
    match found {
        Some((destination, via)) => Rewrite::Recovered(Unwrapped {
            destination: destination.to_string(),
            via,
            rewriter: Some(rewriter),
        }),
        None => Rewrite::Opaque {
            rewriter,
            host_hint: hint,
        },
    }
}

/// A host name shown by a rewriter, if it looks like one.
fn host_hint(value: &str) -> Option<String> {
    let value = value.trim().trim_end_matches('.').to_ascii_lowercase();
    let plausible = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':');
    plausible.then_some(value)
}

/// Mimecast's rewrite hosts: `protect-<region>.mimecast.com` (and the `<region>-protect`
/// spelling in its own notices) and `url.<region>.<service>.mimecastprotect.com`.
fn is_mimecast(host: &str) -> bool {
    if host == "mimecastprotect.com" || host.ends_with(".mimecastprotect.com") {
        return true;
    }
    host.strip_suffix(".mimecast.com")
        .and_then(|rest| rest.rsplit('.').next())
        .is_some_and(|label| label.starts_with("protect-") || label.ends_with("-protect"))
}

/// `ci3.googleusercontent.com` and its numbered siblings.
fn is_gmail_proxy_host(host: &str) -> bool {
    host.strip_suffix(".googleusercontent.com")
        .and_then(|label| label.strip_prefix("ci"))
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Proofpoint URL Defense, whose three versions escape the destination differently.
fn proofpoint(url: &WebUrl, path: &str) -> Option<Rewrite> {
    const NAME: &str = "Proofpoint URL Defense";
    let found = if path.starts_with("/v1/") {
        // `/v1/url?u=<percent-encoded destination>&k=…`, with `&` written as `&amp;` inside.
        query_value(url, "u")
            .and_then(|value| http_url(&value.replace("&amp;", "&")))
            .map(|found| (found, "query parameter u".to_owned()))
    } else if path.starts_with("/v2/") {
        // `/v2/url?u=<destination>&d=…&c=…&r=…&m=…&s=…&e=`, where the destination is
        // percent-encoded with `-` in place of `%` and `_` in place of `/`.
        raw_query_value(url, "u")
            .and_then(|value| {
                let escaped: String = value
                    .chars()
                    .map(|c| {
                        if c == '-' {
                            '%'
                        } else if c == '_' {
                            '/'
                        } else {
                            c
                        }
                    })
                    .collect();
                let decoded = percent_decode_str(&escaped).decode_utf8().ok()?;
                http_url(&decoded.replace("&amp;", "&"))
            })
            .map(|found| {
                (
                    found,
                    "query parameter u, Proofpoint v2 escaping".to_owned(),
                )
            })
    } else if path.starts_with("/v3/") {
        proofpoint_v3(url.as_str()).map(|found| (found, "path, Proofpoint v3 escaping".to_owned()))
    } else {
        return None;
    };
    Some(recovered_or_opaque(NAME, found, None))
}

/// URL Defense v3: `https://urldefense.com/v3/__<destination>__;<base64url>!!<tenant>!<sig>$`.
/// The destination is written out, but each character that would break the wrapper is
/// replaced by `*` (or a run of them by `**` and a length letter); the replaced characters,
/// in order, are the base64url text after `__;`.
fn proofpoint_v3(text: &str) -> Option<WebUrl> {
    let start = text.find("/v3/__")? + "/v3/__".len();
    let rest = text.get(start..)?;
    let end = rest.find("__;")?;
    let written = percent_decode_str(rest.get(..end)?).decode_utf8().ok()?;
    let encoded = rest.get(end + 3..)?.split('!').next().unwrap_or_default();
    let replaced: Vec<char> = if encoded.is_empty() {
        Vec::new()
    } else {
        String::from_utf8(BASE64URL.decode(encoded).ok()?)
            .ok()?
            .chars()
            .collect()
    };
    let mut replacements = replaced.into_iter();
    let mut destination = String::with_capacity(written.len());
    let mut chars = written.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '*' {
            destination.push(c);
            continue;
        }
        let run = if chars.peek() == Some(&'*') {
            chars.next();
            PROOFPOINT_RUNS.find(chars.next()?)? + 2
        } else {
            1
        };
        for _ in 0..run {
            destination.push(replacements.next()?);
        }
    }
    http_url(&destination)
}

/// Cisco Secure Email rewrites to `https://secure-web.cisco.com/<token>/<destination>`, the
/// destination either percent-encoded or written out.
fn cisco(url: &WebUrl, path: &str) -> Rewrite {
    const NAME: &str = "Cisco Secure Email";
    let found = path
        .strip_prefix('/')
        .and_then(|rest| rest.split_once('/'))
        .filter(|(token, rest)| !token.is_empty() && !rest.is_empty())
        .and_then(|(_, rest)| {
            let mut text = rest.to_owned();
            if let Some(query) = url.query() {
                text.push('?');
                text.push_str(query);
            }
            decoded_http_url(&text, MAX_PERCENT_ROUNDS)
        });
    recovered_or_opaque(
        NAME,
        found.map(|found| (found, "path after the token".to_owned())),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> WebUrl {
        WebUrl::parse(text).unwrap()
    }

    /// Base64 or base64url text decoded, with its flavour's name.
    fn decode_base64(text: &str) -> Option<(Vec<u8>, &'static str)> {
        let (engine, name, body) = base64_flavour(text)?;
        engine.decode(body).ok().map(|bytes| (bytes, name))
    }

    /// The destination and via of a known rewriter's link, or a panic naming what came back.
    fn recovered(text: &str) -> (String, String, &'static str) {
        match security_rewriter(&parse(text)) {
            Some(Rewrite::Recovered(unwrapped)) => (
                unwrapped.destination,
                unwrapped.via,
                unwrapped.rewriter.unwrap(),
            ),
            other => panic!("{text}: expected a recovered destination, got {other:?}"),
        }
    }

    fn generic(text: &str) -> Option<(String, String)> {
        wrapped_destination(&parse(text)).map(|unwrapped| {
            assert_eq!(unwrapped.rewriter, None);
            (unwrapped.destination, unwrapped.via)
        })
    }

    #[test]
    fn safelinks_gives_back_the_url_parameter() {
        let (destination, via, rewriter) = recovered(
            "https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fshop.example%2Fitem%3Fid%3D3\
             &data=05%7C02%7Creader%40example.org%7C5f2c%7C0%7C638400000000000000\
             &sdata=Qm9ndXNTaWduYXR1cmU%3D&reserved=0",
        );
        assert_eq!(destination, "https://shop.example/item?id=3");
        assert_eq!(via, "query parameter url");
        assert_eq!(rewriter, "Microsoft Defender Safe Links");
    }

    #[test]
    fn proofpoint_v1_undoes_percent_and_html_escaping() {
        let (destination, via, rewriter) = recovered(
            "https://urldefense.proofpoint.com/v1/url?u=http://www.shop.example/page?a%3D1%26amp;b%3D2\
             &k=oIvRg1%2BdGAgOoM1BIlLLqw%3D%3D%0A&r=AbC&m=DeF&s=0123abcd",
        );
        assert_eq!(destination, "http://www.shop.example/page?a=1&b=2");
        assert_eq!(via, "query parameter u");
        assert_eq!(rewriter, "Proofpoint URL Defense");
    }

    #[test]
    fn proofpoint_v2_maps_dash_and_underscore_back() {
        // `-` is written `-2D` because a bare `-` stands for `%`.
        let (destination, via, _) = recovered(
            "https://urldefense.proofpoint.com/v2/url?u=https-3A__shop.example_news-2Dletter_item-3Fid-3D3-26ref-3Dmail\
             &d=DwMFaQ&c=euGZstcaTDllvimEN8b7jXrwqOf-v5A_CdpgnVfiiMM&r=Xq3bVx0pZk2iTg7sD4Kw1Q&m=QmE2N3xCdjk&s=7fZgU2pA1xD0cHn8&e=",
        );
        assert_eq!(
            destination,
            "https://shop.example/news-letter/item?id=3&ref=mail"
        );
        assert_eq!(via, "query parameter u, Proofpoint v2 escaping");
    }

    #[test]
    fn proofpoint_v3_puts_the_replaced_characters_back() {
        // "&<>#" in base64url is "Jjw-Iw": one `*` for `&`, a run `**A` (two) for `<>`, one `*`
        // for `#`.
        let (destination, via, rewriter) = recovered(
            "https://urldefense.com/v3/__https://shop.example/item?id=3*q=**A*reviews__;Jjw-Iw!!G3vK!Yt9xQ2mAbCdEf$",
        );
        assert_eq!(
            destination,
            "https://shop.example/item?id=3&q=%3C%3E#reviews"
        );
        assert_eq!(via, "path, Proofpoint v3 escaping");
        assert_eq!(rewriter, "Proofpoint URL Defense");
        // Nothing replaced: an empty list after `__;`.
        let (destination, _, _) =
            recovered("https://urldefense.com/v3/__https://shop.example/plain__;!!G3vK!Yt9xQ2m$");
        assert_eq!(destination, "https://shop.example/plain");
    }

    #[test]
    fn proofpoint_v3_with_too_few_replacements_is_opaque_not_wrong() {
        let rewrite = security_rewriter(&parse(
            "https://urldefense.com/v3/__https://shop.example/a*b*c__;Jg!!G3vK!Yt9xQ2m$",
        ));
        assert_eq!(
            rewrite,
            Some(Rewrite::Opaque {
                rewriter: "Proofpoint URL Defense",
                host_hint: None
            })
        );
    }

    #[test]
    fn mimecast_keeps_the_destination_and_shows_only_the_host() {
        for text in [
            "https://protect-eu.mimecast.com/s/Xc9bCp7Gq2fJk1LmN4rT?domain=shop.example",
            "https://url.uk.m.mimecastprotect.com/s/YP9XCWQRPfDXo1NIKijuVb2y7?domain=Shop.Example",
        ] {
            let rewrite = security_rewriter(&parse(text)).unwrap();
            assert_eq!(
                rewrite,
                Rewrite::Opaque {
                    rewriter: "Mimecast URL Protect",
                    host_hint: Some("shop.example".to_owned())
                }
            );
            assert_eq!(rewrite.destination(), None);
            assert_eq!(rewrite.rewriter(), "Mimecast URL Protect");
        }
        let no_hint =
            security_rewriter(&parse("https://protect-us.mimecast.com/s/AbCdEf123")).unwrap();
        assert_eq!(
            no_hint,
            Rewrite::Opaque {
                rewriter: "Mimecast URL Protect",
                host_hint: None
            }
        );
    }

    #[test]
    fn barracuda_google_and_yahoo_carry_the_destination_in_a_parameter() {
        let (destination, via, rewriter) = recovered(
            "https://linkprotect.cudasvc.com/url?a=https%3a%2f%2fshop.example%2fitem&c=E,1,5bEVim247z1fGhtU&typo=1",
        );
        assert_eq!(
            (destination.as_str(), via.as_str(), rewriter),
            (
                "https://shop.example/item",
                "query parameter a",
                "Barracuda Link Protection"
            )
        );

        let (destination, via, rewriter) = recovered(
            "https://www.google.com/url?q=https://docs.shop.example/guide&sa=D&source=editors&ust=1700000000000000&usg=AOvVaw0AbCdEf",
        );
        assert_eq!(
            (destination.as_str(), via.as_str(), rewriter),
            (
                "https://docs.shop.example/guide",
                "query parameter q",
                "Google redirect"
            )
        );

        let (destination, _, rewriter) = recovered(
            "https://ecp.yusercontent.com/mail?url=https%3A%2F%2Fcdn.shop.example%2Flogo.png&t=1700000000&ymreqid=2d6a09e1-6511&sig=ia.wQL--~D",
        );
        assert_eq!(
            (destination.as_str(), rewriter),
            (
                "https://cdn.shop.example/logo.png",
                "Yahoo Mail image proxy"
            )
        );
    }

    #[test]
    fn gmail_image_proxy_keeps_the_original_after_the_hash() {
        for prefix in ["proxy", "meips"] {
            let text = format!(
                "https://ci4.googleusercontent.com/{prefix}/ADKq_NbX3f9Qw2LmPz7Ty=s0-d-e1-ft#https://t.example-esp.net/o/7Hk2.gif"
            );
            let (destination, via, rewriter) = recovered(&text);
            assert_eq!(destination, "https://t.example-esp.net/o/7Hk2.gif");
            assert_eq!(via, "fragment");
            assert_eq!(rewriter, "Gmail image proxy");
        }
        // Other googleusercontent hosts are not the mail proxy.
        assert_eq!(
            security_rewriter(&parse(
                "https://lh3.googleusercontent.com/proxy/abc#https://x.example/a.png"
            )),
            None
        );
    }

    #[test]
    fn cisco_destination_after_the_token_encoded_or_not() {
        let (destination, via, rewriter) = recovered(
            "https://secure-web.cisco.com/1VqOjcxMgKL3XZfH1RVFk4flLLurhrVbZyjVab_UeqrpX0yBPcmEGp/https%3A%2F%2Fshop.example%2Fitem%3Fid%3D3",
        );
        assert_eq!(destination, "https://shop.example/item?id=3");
        assert_eq!(via, "path after the token");
        assert_eq!(rewriter, "Cisco Secure Email");
        let (destination, _, _) =
            recovered("https://secure-web.cisco.com/1S1h_Cy8Q_Oh-5N7AuDE0CgXvAUfWU4AKB/http://shop.example/a?b=1");
        assert_eq!(destination, "http://shop.example/a?b=1");
    }

    #[test]
    fn trend_micro_and_sophos() {
        let (destination, via, rewriter) = recovered(
            "https://imsva91-ctp.trendmicro.com:443/wis/clicktime/v1/query?url=https%3a%2f%2fshop.example%2fnews%2dletter\
             &umid=6a6586e6-1bcb-48d2-8c0c-75ef6bb15df9&auth=53c7c7de28b92dfd-090fe82db9a03f0d",
        );
        assert_eq!(destination, "https://shop.example/news-letter");
        assert_eq!(via, "query parameter url");
        assert_eq!(rewriter, "Trend Micro Email Security");

        let (destination, via, rewriter) = recovered(
            "https://eu-west-1.protection.sophos.com?d=shop.example&u=aHR0cHM6Ly9zaG9wLmV4YW1wbGUvaXRlbQ==\
             &i=NjU0NjA2MWRiMzM3&t=NXBoeWk1WjVxR0loMEw1YU9O&h=0173c9a605c64ed4&s=AVNPUEhUT0NFTkNSWVBUSVb",
        );
        assert_eq!(destination, "https://shop.example/item");
        assert_eq!(via, "base64 query parameter u");
        assert_eq!(rewriter, "Sophos Time-of-Click");

        // Without a usable `u`, Sophos still names the host.
        let rewrite = security_rewriter(&parse(
            "https://us-west-2.protection.sophos.com?d=shop.example&u=%%%",
        ))
        .unwrap();
        assert_eq!(
            rewrite,
            Rewrite::Opaque {
                rewriter: "Sophos Time-of-Click",
                host_hint: Some("shop.example".to_owned())
            }
        );
    }

    #[test]
    fn stacked_rewriters_peel_one_layer_per_call() {
        let outer = parse(
            "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Furldefense.com%2Fv3%2F__https%3A%2F%2Fshop.example%2Fitem%3Fid%3D3*ref%3Dmail__%3BJg!!G3vK!Yt9xQ2m%24&data=05%7C02&reserved=0",
        );
        let first = security_rewriter(&outer).unwrap();
        assert_eq!(first.rewriter(), "Microsoft Defender Safe Links");
        let inner = parse(first.destination().unwrap());
        let second = security_rewriter(&inner).unwrap();
        assert_eq!(second.rewriter(), "Proofpoint URL Defense");
        assert_eq!(
            second.destination(),
            Some("https://shop.example/item?id=3&ref=mail")
        );
    }

    #[test]
    fn lookalike_hosts_and_ordinary_google_urls_are_not_rewriters() {
        for text in [
            "https://safelinks.protection.outlook.com.evil.example/?url=https%3A%2F%2Fshop.example%2F",
            "https://evil.example/safelinks.protection.outlook.com?url=https%3A%2F%2Fshop.example%2F",
            "https://www.google.com/search?q=https%3A%2F%2Fshop.example",
            "https://notmimecast.com/s/abc?domain=shop.example",
            "https://shop.example/item?id=3",
        ] {
            assert_eq!(security_rewriter(&parse(text)), None, "{text}");
        }
    }

    #[test]
    fn known_rewriter_with_a_missing_destination_is_opaque() {
        assert_eq!(
            security_rewriter(&parse(
                "https://nam02.safelinks.protection.outlook.com/?data=05%7C02&reserved=0"
            )),
            Some(Rewrite::Opaque {
                rewriter: "Microsoft Defender Safe Links",
                host_hint: None
            })
        );
    }

    #[test]
    fn redirector_with_a_percent_encoded_url_parameter() {
        assert_eq!(
            generic("https://r.example-esp.net/c?cid=881&url=https%3A%2F%2Fshop.example%2Fitem%3Fid%3D3"),
            Some(("https://shop.example/item?id=3".to_owned(), "query parameter url".to_owned()))
        );
    }

    #[test]
    fn doubly_percent_encoded_value_is_decoded() {
        assert_eq!(
            generic("https://r.example-esp.net/c?u=https%253A%252F%252Fshop.example%252Fitem%253Fid%253D3"),
            Some(("https://shop.example/item?id=3".to_owned(), "query parameter u".to_owned()))
        );
    }

    #[test]
    fn base64url_path_segment() {
        assert_eq!(
            generic("https://click.example-esp.net/l/aHR0cHM6Ly9zaG9wLmV4YW1wbGUvaXRlbQ/9f8e7d"),
            Some((
                "https://shop.example/item".to_owned(),
                "base64url path segment".to_owned()
            ))
        );
    }

    #[test]
    fn base64_query_value_padded_and_percent_encoded() {
        assert_eq!(
            generic(
                "https://click.example-esp.net/r?id=42&r=aHR0cHM6Ly9zaG9wLmV4YW1wbGUvaXRlbQ%3D%3D"
            ),
            Some((
                "https://shop.example/item".to_owned(),
                "base64 query parameter r".to_owned()
            ))
        );
        // The same value using the URL-safe alphabet.
        assert_eq!(
            generic("https://click.example-esp.net/r?r=aHR0cHM6Ly9zaG9wLmV4YW1wbGUvc2FsZT9pZD0zJnNyYz1tYWls&z=1"),
            Some(("https://shop.example/sale?id=3&src=mail".to_owned(), "base64 query parameter r".to_owned()))
        );
    }

    #[test]
    fn percent_encoded_url_as_one_path_segment() {
        // Amazon SES click tracking writes the destination as one segment with %2F for '/'.
        assert_eq!(
            generic("https://8l2kq0pz.r.us-east-1.awstrack.me/L0/https:%2F%2Fshop.example%2Fitem%3Fid=3/1/0100018c-5a1b-4d3e/Qm9ndXM=191"),
            Some(("https://shop.example/item?id=3".to_owned(), "path segment".to_owned()))
        );
    }

    #[test]
    fn url_written_out_in_the_path() {
        assert_eq!(
            generic("https://go.example-esp.net/redirect/8812/https://shop.example/item?id=3"),
            Some((
                "https://shop.example/item?id=3".to_owned(),
                "path".to_owned()
            ))
        );
    }

    #[test]
    fn base64_of_a_percent_encoded_url() {
        // base64("https%3A%2F%2Fshop.example%2Fitem")
        assert_eq!(
            generic("https://t.esp.example/Prod/link-tracker?redirectUrl=aHR0cHMlM0ElMkYlMkZzaG9wLmV4YW1wbGUlMkZpdGVt&sig=Xq7LmP2v"),
            Some((
                "https://shop.example/item".to_owned(),
                "base64 query parameter redirectUrl".to_owned()
            ))
        );
    }

    #[test]
    fn a_url_in_base64_data_after_a_binary_header_is_found_at_any_offset() {
        // Three, four and five bytes of record data before `https://shop.example/item?id=3`,
        // then two more binary bytes: the URL starts at each offset within a group of four.
        for segment in [
            "RgRgaHR0cHM6Ly9zaG9wLmV4YW1wbGUvaXRlbT9pZD0zA4pzcGM",
            "RgRg4Gh0dHBzOi8vc2hvcC5leGFtcGxlL2l0ZW0_aWQ9MwOKc3Bj",
            "RgRg4J9odHRwczovL3Nob3AuZXhhbXBsZS9pdGVtP2lkPTMDinNwYw",
        ] {
            let found = generic(&format!("https://t.esp.example/f/a/Xq7Lm~~/AAE~/{segment}"));
            assert_eq!(
                found.map(|(destination, _)| destination).as_deref(),
                Some("https://shop.example/item?id=3"),
                "{segment}"
            );
        }
    }

    #[test]
    fn base64_spellings_after_non_ascii_text_are_read_as_bytes() {
        // The spelling that starts two characters into its group, after a three-byte character.
        for value in [
            "€h0dHBzOi8vc2hvcC5leGFtcGxl",
            "€€odHRwczovL3Nob3A",
            "éh0dHBzOi8v",
        ] {
            let _ = decode_value(value);
        }
        assert_eq!(
            decode_value("€RgRg4Gh0dHBzOi8vc2hvcC5leGFtcGxlL2l0ZW0_aWQ9MwOKc3Bj")
                .map(|(url, _)| url.to_string()),
            Some("https://shop.example/item?id=3".to_owned())
        );
    }

    #[test]
    fn a_url_in_base64_json_is_a_destination_only_under_a_key_that_names_one() {
        // {"e":42,"href":"https://shop.example/item","t":1700000000}
        assert_eq!(
            generic("https://e.esp.example/e/c/eyJlIjo0MiwiaHJlZiI6Imh0dHBzOi8vc2hvcC5leGFtcGxlL2l0ZW0iLCJ0IjoxNzAwMDAwMDAwfQ/9f8e7d6c"),
            Some((
                "https://shop.example/item".to_owned(),
                "base64 data in the path segment".to_owned()
            ))
        );
        // A sign-in link's JWT, whose claims name the issuer: nobody's destination.
        assert_eq!(
            generic("https://app.shop.example/login?jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiIsImlzcyI6Imh0dHBzOi8vYXV0aC5zaG9wLmV4YW1wbGUiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLWJ5dGVz"),
            None
        );
    }

    #[test]
    fn a_url_written_after_other_data_in_one_value() {
        assert_eq!(
            generic("https://n.esp.example/p/cl?data=4swcGLyZrBVSo1VI8B7h%2B3iK!-!6a9fl,6!-!https%3A%2F%2Fshop.example%2Fsale"),
            Some((
                "https://shop.example/sale".to_owned(),
                "text after other data in the query parameter data".to_owned()
            ))
        );
        // Prose that mentions a link, form-encoded or not, wraps nothing.
        for text in [
            "Read+this+https%3A%2F%2Fshop.example",
            "Read%20this%20https%3A%2F%2Fshop.example",
        ] {
            assert_eq!(
                generic(&format!("https://chat.example/send?text={text}")),
                None
            );
        }
        // Nor does a URL in JSON under a key that is not a link's.
        assert_eq!(
            generic("https://api.example/v?c=%7B%22iss%22%3A%22https%3A%2F%2Fauth.example%22%7D"),
            None
        );
    }

    #[test]
    fn a_destination_without_its_scheme_in_one_path_segment() {
        assert_eq!(
            generic("https://track.esp.example/3s/shop.example.com%2Fsale%2Fitem.html/vGt_/z42-AQ/1/KwpouWt8Cl"),
            Some((
                "https://shop.example.com/sale/item.html".to_owned(),
                "path segment, without its scheme".to_owned()
            ))
        );
        // A file path encoded into one segment has no host under a public suffix.
        assert_eq!(
            generic("https://files.example/get/report.pdf%2Fpage-2/9f8e7d"),
            None
        );
        // A host name alone, its slash not encoded, is a segment like any other.
        assert_eq!(generic("https://seo.example/site/shop.example.com"), None);
    }

    #[test]
    fn doubly_wrapped_returns_the_innermost() {
        // An ESP redirect around an ad network's, whose destination is base64.
        let inner = "https://r.example-ads.net/go?r=aHR0cHM6Ly9zaG9wLmV4YW1wbGUvaXRlbT9pZD0z";
        let outer = format!(
            "https://click.example-esp.net/c?u={}&s=8f2a",
            percent_encoding::utf8_percent_encode(inner, percent_encoding::NON_ALPHANUMERIC)
        );
        assert_eq!(
            generic(&outer),
            Some((
                "https://shop.example/item?id=3".to_owned(),
                "query parameter u, then base64 query parameter r".to_owned()
            ))
        );
    }

    #[test]
    fn nesting_stops_after_three_layers() {
        let mut text = "https://shop.example/final".to_owned();
        for host in ["d.example", "c.example", "b.example", "a.example"] {
            text = format!(
                "https://{host}/r?to={}",
                percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
            );
        }
        let (destination, via) = generic(&text).unwrap();
        assert!(
            destination.starts_with("https://d.example/r?to="),
            "{destination}"
        );
        assert_eq!(via.matches("query parameter to").count(), 3);
    }

    #[test]
    fn mailchimp_style_ids_do_not_wrap_a_destination() {
        assert_eq!(
            generic("https://shopnews.us21.list-manage.com/track/click?u=5a6b7c8d9e0f1a2b3c4d5e6f7&id=0a1b2c3d4e&e=9f8e7d6c5b"),
            None
        );
    }

    #[test]
    fn base64_destinations_are_found_after_leading_spaces_and_in_capitals() {
        // Only text whose first bytes can start `http://` or `https://` is decoded whole; the
        // spaces `http_url` trims, and any case of the scheme, still count.
        for (text, destination) in [
            (
                "ICAgaHR0cHM6Ly9zaG9wLmV4YW1wbGUvaXRlbQ==",
                "https://shop.example/item",
            ),
            (
                "ICAgICAgICAgICAgaHR0cDovL3Nob3AuZXhhbXBsZS94",
                "http://shop.example/x",
            ),
            (
                "SFRUUFM6Ly9TaG9wLmV4YW1wbGUvSXRlbQ",
                "https://shop.example/Item",
            ),
        ] {
            let url = format!("https://r.example-esp.net/c?u={text}");
            assert_eq!(
                generic(&url).map(|(found, _)| found),
                Some(destination.to_owned()),
                "{text}"
            );
        }
        // A long id that is base64-shaped but decodes to something else is not a destination.
        assert_eq!(
            generic("https://r.example-esp.net/c?u=3be38915f15a6148638636231"),
            None
        );
    }

    #[test]
    fn ordinary_urls_are_not_wrapped() {
        for text in [
            "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCd/edit",
            "https://github.com/rust-lang/rust/commit/4f3a9c2e7b1d4f6a8c0e2b4d6f8a1c3e5b7d9f0a",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://shop.example/account/login?next=/orders/123",
            "https://shop.example/search?q=http+clients&page=2",
            "https://shop.example/#section-2",
        ] {
            assert_eq!(generic(text), None, "{text}");
        }
    }

    #[test]
    fn values_that_decode_to_garbage_or_other_schemes_are_ignored() {
        for text in [
            // base64 of "ftp://files.example/a.zip" and of "javascript:alert(1)//".
            "https://r.example/c?u=ZnRwOi8vZmlsZXMuZXhhbXBsZS9hLnppcA",
            "https://r.example/c?u=amF2YXNjcmlwdDphbGVydCgxKS8v",
            // Random base64 that decodes to binary.
            "https://r.example/c?t=q83vEjRWeJq83vEjRWeJq83vEjRWeJ",
            // Mixed alphabets are nobody's base64.
            "https://r.example/c?t=aHR0cHM6Ly9z+G9w_mV4YW1wbGU",
            // A scheme but no real host.
            "https://r.example/c?u=https%3A%2F%2Flocalhostish",
            "https://r.example/c?u=http%3A%2F%2F",
        ] {
            assert_eq!(generic(text), None, "{text}");
        }
    }

    #[test]
    fn malformed_wrappers_come_back_empty_rather_than_panicking() {
        for text in [
            "https://urldefense.com/v3/__",
            "https://urldefense.com/v3/__https://shop.example/é**__;",
            "https://urldefense.com/v3/__https://shop.example/a**__;Jg!!x$",
            "https://urldefense.com/v3/__https://shop.example/a*__;%%%!!x$",
            "https://urldefense.proofpoint.com/v2/url?u=-&d=x",
            "https://secure-web.cisco.com/",
            "https://ci3.googleusercontent.com/proxy/abc#",
            "https://r.example/é/%F0%9F/%ZZ?=&&=x&u=%E2%82",
        ] {
            let url = parse(text);
            if let Some(rewrite) = security_rewriter(&url) {
                assert_eq!(rewrite.destination(), None, "{text}");
            }
            assert_eq!(wrapped_destination(&url), None, "{text}");
        }
        // Without a token the link is not Cisco's shape, though the generic finder still sees
        // the URL in the path.
        let tokenless = parse("https://secure-web.cisco.com//https%3A%2F%2Fshop.example");
        assert_eq!(
            security_rewriter(&tokenless),
            Some(Rewrite::Opaque {
                rewriter: "Cisco Secure Email",
                host_hint: None
            })
        );
        assert!(wrapped_destination(&tokenless).is_some());
    }

    #[test]
    fn the_head_check_first_changes_no_answer() {
        // decode_value as it was: the whole alphabet read first, then the head.
        fn whole_first(value: &str) -> Option<(WebUrl, Option<&'static str>)> {
            if let Some(found) = decoded_http_url(value, MAX_PERCENT_ROUNDS) {
                return Some((found, None));
            }
            let (engine, flavour, body) = base64_flavour(value)?;
            if !may_start_http(engine, body) {
                return None;
            }
            let text = String::from_utf8(engine.decode(body).ok()?).ok()?;
            http_url(&text).map(|found| (found, Some(flavour)))
        }
        let urls = [
            "https://shop.example/a?b=c~d",
            "http://x.example/\u{3b1}>?<",
            "  http://y.example/",
        ];
        let mut values: Vec<String> = Vec::new();
        for url in urls {
            for engine in [&BASE64, &BASE64URL] {
                let encoded = engine.encode(url);
                values.push(encoded.clone());
                values.push(encoded.trim_end_matches('=').to_owned());
                values.push(format!("{encoded}+-"));
                values.push(encoded.replacen('a', "_", 1));
            }
        }
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=%.";
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..4000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = 8 + (state % 60) as usize;
            let value: Vec<u8> = (0..len)
                .map(|i| alphabet[((state >> (i % 50)) as usize + i * 7 + round) % alphabet.len()])
                .collect();
            values.push(String::from_utf8(value).unwrap());
        }
        for value in &values {
            let (new, old) = (decode_value(value), whole_first(value));
            assert_eq!(
                new.as_ref().map(|(u, f)| (u.as_str(), *f)),
                old.as_ref().map(|(u, f)| (u.as_str(), *f)),
                "{value:?}"
            );
        }
        assert!(values.iter().filter(|v| decode_value(v).is_some()).count() >= 12);
    }

    #[test]
    fn base64_flavour_names_follow_the_alphabet_and_padding() {
        assert_eq!(
            decode_base64("aHR0cHM6Ly9zaG9wLmV4YW1wbGUvaXRlbQ==").map(|(_, name)| name),
            Some("base64")
        );
        assert_eq!(
            decode_base64("aHR0cHM6Ly9zaG9wLmV4YW1wbGUvaXRlbQ").map(|(_, name)| name),
            Some("base64url")
        );
        assert_eq!(
            decode_base64("a-b_c-d_e-f_g-h_").map(|(_, name)| name),
            Some("base64url")
        );
        assert_eq!(
            decode_base64("a+b/c+d/e+f/g+h/").map(|(_, name)| name),
            Some("base64")
        );
        assert_eq!(decode_base64("short"), None);
        assert_eq!(decode_base64("aHR0cHM6Ly9zaG9w==="), None);
    }
}
