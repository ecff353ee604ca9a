//! Detection: pure functions from one parsed message to its findings. No I/O, no clock, no
//! network — which is what makes them trivially parallel, testable and fuzzable.
//!
//! Each family lives in its own file; `detect` runs them in a fixed order so findings come out
//! in the same order on every run. HTML is parsed once per part (`html::extract`) and every
//! URL-level detector works from that one list of resources, and from one `UrlFacts`
//! (`url_facts.rs`): what they ask of a URL is worked out once per distinct URL.

mod beacon;
pub mod css;
mod headers;
mod hiding;
pub mod html;
pub mod leaks;
mod links;
mod needle_filter;
mod reports;
pub mod techniques;
pub mod tokenizer;
pub mod tokens;
mod tree;
pub mod unwrap;
mod url_facts;

use crate::finding::{Confidence, Finding, Kind};
use crate::limits::Limits;
use crate::message::MessageView;
use crate::party::Parties;
use crate::rules::{Rule, RuleSet};
use foldhash::{HashSet, HashSetExt};
use html::Resource;
use std::collections::BTreeMap;
use techniques as T;
use url_facts::UrlFacts;

/// What detection knows beyond the message itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    /// The reader's own addresses given with `--me`, lower-cased.
    pub me: &'a [String],
    pub limits: Limits,
}

/// Findings, and notes on limits that cut the analysis short.
#[derive(Debug, Default)]
pub struct Detection {
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
}

/// Every finding for one message.
pub fn detect(message: &MessageView<'_>, context: &Context<'_>) -> Vec<Finding> {
    inspect(message, context).findings
}

/// Every finding for one message, with a note for each limit that was reached.
pub fn inspect(message: &MessageView<'_>, context: &Context<'_>) -> Detection {
    inspect_by_step(message, context, |_| {})
}

/// The steps of [`inspect`], in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Receipt requests and delivery or disposition reports.
    Receipts,
    /// Every HTML, AMP and text part read into the URLs it loads and links to.
    Resources,
    /// The message's parties and one entry of facts per distinct URL.
    UrlFacts,
    /// The verdict on every resource loaded on open (pixels among them).
    Images,
    /// The verdict on every link, grouped by host.
    Links,
    /// The reader's address searched for in every URL.
    Leaks,
    /// The rules' header patterns.
    PlatformHeaders,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::Receipts,
        Step::Resources,
        Step::UrlFacts,
        Step::Images,
        Step::Links,
        Step::Leaks,
        Step::PlatformHeaders,
    ];
}

/// [`inspect`], calling `done` as each step ends: what `examples/stages.rs` times each
/// detector by. A profile spreads a detector's cost over the helpers it shares with the others
/// (URL facts are worked out by whichever asks first); a clock around each step does not.
pub fn inspect_by_step(
    message: &MessageView<'_>,
    context: &Context<'_>,
    mut done: impl FnMut(Step),
) -> Detection {
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    headers::receipt_requests(message, &mut findings);
    reports::delivery_reports(message, &mut findings, &mut notes);
    done(Step::Receipts);

    let resources = resources_limited(message, &context.limits, &mut notes);
    done(Step::Resources);
    let parties = Parties::of(message);
    let urls = UrlFacts::new(&resources, context.rules, &parties);
    done(Step::UrlFacts);
    beacon::open_time_loads(&resources, &urls, &mut findings);
    done(Step::Images);
    links::followed_links(&resources, &urls, &mut findings);
    done(Step::Links);
    address_leaks(message, context, &resources, &urls, &parties, &mut findings);
    done(Step::Leaks);

    headers::platform_headers(message, context.rules, &mut findings);
    done(Step::PlatformHeaders);
    Detection { findings, notes }
}

/// Every URL of every HTML, AMP and text part, in part order.
pub fn resources(message: &MessageView<'_>) -> Vec<Resource> {
    resources_limited(message, &Limits::default(), &mut Vec::new())
}

fn resources_limited(
    message: &MessageView<'_>,
    limits: &Limits,
    notes: &mut Vec<String>,
) -> Vec<Resource> {
    let mut resources = Vec::new();
    for (part, text) in message.html_parts().chain(message.amp_parts()) {
        let remaining = Limits {
            max_urls: limits.max_urls.saturating_sub(resources.len()).max(1),
            ..*limits
        };
        let (found, part_notes) = html::extract_limited(
            cut(text, limits.max_html_bytes, part, "HTML", notes),
            part,
            &remaining,
        );
        if resources.is_empty() {
            resources = found; // the common single HTML part, without moving each resource
        } else {
            resources.extend(found);
        }
        notes.extend(part_notes);
    }
    for (part, text) in message.text_parts() {
        // One past the cap, so that the note below is written.
        let room = (limits.max_urls + 1).saturating_sub(resources.len());
        let links = html::text_links_known(
            cut(text, limits.max_html_bytes, part, "text", notes),
            part,
            &resources,
            room,
        );
        resources.extend(links);
    }
    if resources.len() > limits.max_urls {
        resources.truncate(limits.max_urls);
        notes.push(format!(
            "more than max_urls ({}) URLs in the message; the rest were not examined",
            limits.max_urls
        ));
    }
    resources
}

/// A part's text up to `max` bytes, with a note naming the limit when it is cut.
fn cut<'t>(text: &'t str, max: usize, part: usize, what: &str, notes: &mut Vec<String>) -> &'t str {
    if text.len() <= max {
        return text;
    }
    notes.push(format!(
        "part {part}: {what} of {} bytes analysed only up to max_html_bytes ({max})",
        text.len()
    ));
    prefix(text, max)
}

/// Recipient addresses searched for in one message (`--me` addresses first).
const MAX_LEAK_ADDRESSES: usize = 16;

/// The reader's address (as the message names it, or as given with `--me`) in any remote URL:
/// resources, links and List-Unsubscribe.
fn address_leaks(
    message: &MessageView<'_>,
    context: &Context<'_>,
    resources: &[Resource],
    urls: &UrlFacts<'_>,
    parties: &Parties,
    findings: &mut Vec<Finding>,
) {
    // The reader is named by --me, or by the message's recipient headers; a long To list is
    // searched only up to MAX_LEAK_ADDRESSES, so a message to 20,000 people stays cheap.
    if resources.is_empty() && message.list_unsubscribe.is_empty() {
        return; // no URL to search: the needles need not be built
    }
    let addresses = reader_spellings(context.me.iter().chain(&message.recipients));
    let needles: Vec<_> = addresses.iter().map(|a| cached_needles(a)).collect();
    if needles.iter().all(|n| n.is_empty()) {
        return;
    }
    // Each (host, encoding) is reported once. A set: a message can name tens of thousands of
    // hosts, and a list searched for each leak made that quadratic (40,000 took 2 s).
    let mut seen: HashSet<(String, String, bool)> = HashSet::new();
    let mut report = |url: &str,
                      host: &str,
                      third_party: bool,
                      loads_on_open: bool,
                      location: &dyn Fn() -> String,
                      findings: &mut Vec<Finding>| {
        // The #fragment is never sent: only the page a followed link opens can read it (and
        // send it on), and nothing reads an image's.
        let sent_part = url.find('#').map(|at| &url[..at]);
        for address in &needles {
            let found = address.find(url);
            let sent = match sent_part {
                Some(part) if !found.is_empty() => address.find(part),
                _ => Vec::new(),
            };
            for leak in found {
                let in_fragment =
                    sent_part.is_some() && !sent.iter().any(|l| l.encoding == leak.encoding);
                if in_fragment && loads_on_open {
                    continue;
                }
                if !seen.insert((host.to_owned(), leak.encoding.clone(), in_fragment)) {
                    continue;
                }
                findings.push(leak_finding(
                    leak,
                    url,
                    host,
                    third_party,
                    in_fragment,
                    location(),
                ));
            }
        }
    };
    // A text searched again for the same host can only find leaks already reported. The
    // text is the written URL or the peeled target's, and the target fixes the host.
    let mut searched_before: HashSet<(usize, Option<&str>)> =
        HashSet::with_capacity(resources.len());
    for (index, resource) in resources.iter().enumerate() {
        let Some(facts) = urls.of(index) else {
            continue;
        };
        // What a security gateway adds (Safe Links puts the reader's address in `data=`) is
        // the reader's own side: search the destination the sender wrote.
        let Some((target, _)) = urls.peeled(&facts) else {
            continue;
        };
        let as_written = target.same_url(&facts).then_some(resource.url.as_str());
        if !searched_before.insert((target.id(), as_written)) {
            continue;
        }
        let host = target.url.host_str().unwrap_or_default();
        let searched = as_written.unwrap_or(target.url.as_str());
        report(
            searched,
            host,
            !target.first_party,
            resource.role.loads_on_open(),
            // Written only for a leak: nearly every URL has none.
            &|| location_of(resource),
            findings,
        );
    }
    for uri in &message.list_unsubscribe {
        let Some(url) = html::resolve(uri, None) else {
            continue;
        };
        let host = url.host_str().unwrap_or_default();
        if parties.is_first_party(host) {
            continue; // the sender's own unsubscribe page may know who is leaving
        }
        report(
            uri,
            host,
            true,
            false,
            &|| "header List-Unsubscribe".to_owned(),
            findings,
        );
    }
}

/// The finding for one leak of the reader's address in `url`. `in_fragment`: only after the
/// `#`, which the request never carries but the page a link opens can read.
fn leak_finding(
    leak: leaks::Leak,
    url: &str,
    host: &str,
    third_party: bool,
    in_fragment: bool,
    location: String,
) -> Finding {
    let mut details = BTreeMap::new();
    details.insert("matched".to_owned(), clip(&leak.matched, 200));
    let (confidence, evidence) = if in_fragment {
        details.insert("in".to_owned(), "fragment".to_owned());
        let evidence = format!(
            "the reader's address ({}) is in the #fragment of a link to {host}: not sent with \
             the request, but the page it opens can read it",
            leak.encoding
        );
        (Confidence::Medium, evidence)
    } else {
        let evidence = format!(
            "the reader's address ({}) is in a URL to {host}",
            leak.encoding
        );
        (Confidence::High, evidence)
    };
    let technique = leak_technique(&leak.encoding);
    details.insert("address".to_owned(), leak.address);
    details.insert("encoding".to_owned(), leak.encoding);
    Finding {
        kind: Kind::AddressLeak,
        technique: technique.to_owned(),
        vendor: None,
        rule: None,
        url: Some(url.to_owned()),
        header: None,
        third_party: Some(third_party),
        confidence,
        evidence,
        location,
        details,
    }
}

/// The first `MAX_LEAK_ADDRESSES` distinct addresses, one spelling each. Two spellings of one
/// address (`Reader@Example.org` in To, `reader@example.org` in Delivered-To or `--me`) keep
/// the one with capitals: its needles hold the lower-cased spelling's too.
fn reader_spellings<'a>(addresses: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let has_capitals = |text: &str| text.chars().any(char::is_uppercase);
    let lower = |text: &'a str| text.chars().flat_map(char::to_lowercase);
    let mut kept: Vec<&str> = Vec::with_capacity(MAX_LEAK_ADDRESSES);
    for address in addresses {
        match kept
            .iter()
            .position(|known| lower(known).eq(lower(address)))
        {
            Some(at) => {
                if !has_capitals(kept[at]) && has_capitals(address) {
                    kept[at] = address;
                }
            }
            None if kept.len() == MAX_LEAK_ADDRESSES => break,
            None => kept.push(address),
        }
    }
    kept
}

/// Building the needles for an address costs tens of microseconds (every encoding and digest,
/// and the needle filter; the automaton itself only when a URL passes the filter), and an
/// archive's messages mostly name the same few people: keep the needles of recently seen
/// addresses, per thread (the automaton is not shared between threads). An address is first
/// compiled for few uses, the cheapest build, and compiled again for many once it has come
/// back often: one person's archive searches with the faster automaton nearly always, and an
/// archive where every message goes to someone else does not pay for it.
fn cached_needles(address: &str) -> std::rc::Rc<leaks::LeakNeedles> {
    use std::cell::RefCell;
    use std::rc::Rc;
    const KEEP: usize = 64;
    /// Uses after which an address's needles are compiled for many.
    const MANY: u32 = 8;
    struct Entry {
        address: String,
        needles: Rc<leaks::LeakNeedles>,
        uses: u32,
    }
    thread_local! {
        static CACHE: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    }
    let build = |reuse| Rc::new(leaks::LeakNeedles::for_use(&[address.to_owned()], reuse));
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(pos) = cache.iter().position(|entry| entry.address == address) {
            let mut entry = cache.remove(pos);
            entry.uses = entry.uses.saturating_add(1);
            if entry.uses == MANY {
                entry.needles = build(leaks::Use::Many);
            }
            let needles = entry.needles.clone();
            cache.push(entry);
            return needles;
        }
        let needles = build(leaks::Use::Few);
        if cache.len() >= KEEP {
            cache.remove(0);
        }
        cache.push(Entry {
            address: address.to_owned(),
            needles: needles.clone(),
            uses: 1,
        });
        needles
    })
}

fn leak_technique(encoding: &str) -> &'static str {
    let hashed = ["md5", "sha"].iter().any(|h| encoding.contains(h));
    if hashed {
        T::HASHED_ADDRESS.id
    } else if encoding == "plain" {
        T::PLAIN_ADDRESS.id
    } else {
        T::ENCODED_ADDRESS.id
    }
}

/// The common shape of a finding about one URL.
pub(crate) struct UrlFinding<'a> {
    /// The URL as written in the message.
    pub url: &'a str,
    pub resource: &'a Resource,
    /// The rule that names the vendor, if any.
    pub rule: Option<&'a Rule>,
    pub third_party: bool,
}

pub(crate) fn url_finding(
    base: UrlFinding<'_>,
    kind: Kind,
    technique: &str,
    confidence: Confidence,
    evidence: String,
) -> Finding {
    // Browsers drop tabs and newlines inside URLs; so does the report.
    // A byte search: `contains` with a char array decodes every character of the URL.
    let written: String = if memchr::memchr3(b'\n', b'\r', b'\t', base.url.as_bytes()).is_some() {
        base.url
            .chars()
            .filter(|c| !matches!(c, '\n' | '\r' | '\t'))
            .collect()
    } else {
        base.url.to_owned()
    };
    let mut details = BTreeMap::new();
    if let Some(absolute) = &base.resource.absolute {
        let requested = absolute.as_str();
        let same = requested == written
            || requested.trim_end_matches('/') == written.trim_end_matches('/');
        if !same && !written.starts_with("//") && !written.starts_with("http") {
            // A relative URL resolved against <base href>: say what is really requested.
            details.insert("resolved".to_owned(), requested.to_owned());
        }
    }
    Finding {
        kind,
        technique: technique.to_owned(),
        vendor: base.rule.map(|r| r.vendor.clone()),
        rule: base.rule.map(|r| r.id.clone()),
        url: Some(written),
        header: None,
        third_party: Some(base.third_party),
        confidence,
        evidence,
        location: location_of(base.resource),
        details,
    }
}

/// `part 1 img src`, with ` (Outlook conditional comment)` when it is in one. Written by hand:
/// every finding has one, and `format!` cost several times the copying.
fn location_of(resource: &Resource) -> String {
    const CONDITIONAL: &str = " (Outlook conditional comment)";
    let mut location = String::with_capacity(
        "part 00000 ".len()
            + resource.element.len()
            + 1
            + resource.attribute.len()
            + CONDITIONAL.len(),
    );
    location.push_str("part ");
    location.push_str(itoa::Buffer::new().format(resource.part));
    location.push(' ');
    location.push_str(&resource.element);
    location.push(' ');
    location.push_str(&resource.attribute);
    if resource.conditional {
        location.push_str(CONDITIONAL);
    }
    location
}

/// `text` percent-decoded, bad UTF-8 replaced, borrowed when it has no escape (most URL parts
/// have none, and the decoder's own scan for one is slower than `memchr`).
pub(crate) fn percent_decoded(text: &str) -> std::borrow::Cow<'_, str> {
    // memchr's vector search: `contains` with a char searches a word at a time.
    if memchr::memchr(b'%', text.as_bytes()).is_some() {
        percent_encoding::percent_decode_str(text).decode_utf8_lossy()
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Query parameters examined per URL. Real links carry a few dozen at most; a URL of millions
/// made every list of its parameter names as long (3 million in 12 MB took 160 MB).
pub(crate) const MAX_QUERY_PAIRS: usize = 1_000;

/// A query's first `MAX_QUERY_PAIRS` name/value pairs as written, split the way
/// `Url::query_pairs` splits them: on `&`, skipping empty pairs, then at the first `=`. Found
/// by `memchr` rather than `str::split`, whose search for a char costs about 150 instructions a
/// call on short texts.
pub(crate) fn raw_query_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = query;
    let mut left = MAX_QUERY_PAIRS;
    std::iter::from_fn(move || loop {
        if rest.is_empty() || left == 0 {
            return None;
        }
        let pair = match memchr::memchr(b'&', rest.as_bytes()) {
            Some(at) => {
                let pair = &rest[..at];
                rest = &rest[at + 1..];
                pair
            }
            None => std::mem::take(&mut rest),
        };
        if !pair.is_empty() {
            left -= 1;
            return Some(match memchr::memchr(b'=', pair.as_bytes()) {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, ""),
            });
        }
    })
}

/// A query name or value decoded as `Url::query_pairs` decodes it (`+` is a space, `%XX` a
/// byte, bad UTF-8 replaced), borrowing when there is nothing to decode. Decoding only what
/// is asked for spares the values when only the names matter.
pub(crate) fn form_decoded(raw: &str) -> std::borrow::Cow<'_, str> {
    // A byte search: `contains` with a char array decodes every character to compare it.
    if memchr::memchr2(b'+', b'%', raw.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(raw);
    }
    let spaced = raw.replace('+', " ");
    std::borrow::Cow::Owned(percent_decoded(&spaced).into_owned())
}

/// The words of a URL's path: its segments split at `.`, `_` and `-` as well as `/`. All four
/// are ASCII, so the path is split as bytes, without decoding characters.
pub(super) fn path_words(url: &crate::weburl::WebUrl) -> impl Iterator<Item = &[u8]> {
    url.path()
        .as_bytes()
        .split(|b| matches!(b, b'/' | b'.' | b'_' | b'-'))
}

/// Cuts text for evidence and header fields at a character boundary.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    [prefix(text, max), "…"].concat()
}

/// The longest start of `text` of at most `max` bytes that ends on a character boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A search for any of `words`, ignoring ASCII case, built on first use and kept in `cell`:
/// one pass over the text instead of a substring search per word.
pub(super) fn finder<'f>(
    cell: &'f std::sync::OnceLock<crate::byte_search::Words>,
    words: &[&str],
) -> &'f crate::byte_search::Words {
    cell.get_or_init(|| crate::byte_search::Words::new(words))
}

/// The findings for an HTML message from news@shop.example to reader@example.org, with the
/// built-in rules: what the detectors' tests scan.
#[cfg(test)]
pub(crate) fn findings_in_html(html: &str) -> Vec<Finding> {
    let raw = format!(
        "From: news@shop.example\nTo: reader@example.org\nSubject: s\nMIME-Version: 1.0\n\
         Content-Type: text/html\n\n{html}\n"
    );
    let message = MessageView::parse(raw.as_bytes()).expect("a message");
    let rules = RuleSet::builtin().expect("the built-in rules compile");
    let context = Context {
        rules: &rules,
        me: &[],
        limits: Limits::default(),
    };
    detect(&message, &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_by_step_reports_every_step_in_order_and_finds_what_inspect_finds() {
        let raw = b"From: news@shop.example\nTo: reader@example.org\nSubject: s\n\
            Disposition-Notification-To: news@shop.example\nMIME-Version: 1.0\n\
            Content-Type: text/html\n\n<img src=\"https://t.example/o/Xq7LmP2vRt9KwZ4b\" \
            width=1 height=1><a href=\"https://t.example/c/Hj3FsW6yUe1QpA5oGi0M\">x</a>\n";
        let message = MessageView::parse(raw).unwrap();
        let rules = RuleSet::builtin().unwrap();
        let context = Context {
            rules: &rules,
            me: &[],
            limits: Limits::default(),
        };
        let mut steps = Vec::new();
        let by_step = inspect_by_step(&message, &context, |step| steps.push(step));
        assert_eq!(steps, Step::ALL);
        let whole = inspect(&message, &context);
        assert_eq!(by_step.findings, whole.findings);
        // The message has a receipt request, a pixel and a tracked link.
        let kinds: Vec<Kind> = whole.findings.iter().map(|f| f.kind).collect();
        for kind in [Kind::ReadReceipt, Kind::Pixel, Kind::ClickTracking] {
            assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
        }
    }

    /// The (encoding, matched text, address) of each address leak in `raw`, with `me` as `--me`.
    fn leaks_in(raw: &str, me: &[String]) -> Vec<(String, String, String)> {
        let message = MessageView::parse(raw.as_bytes()).expect("a message");
        let rules = RuleSet::builtin().expect("the built-in rules compile");
        let context = Context {
            rules: &rules,
            me,
            limits: Limits::default(),
        };
        detect(&message, &context)
            .into_iter()
            .filter(|f| f.kind == Kind::AddressLeak)
            .map(|f| {
                let detail = |key: &str| f.details[key].clone();
                (detail("encoding"), detail("matched"), detail("address"))
            })
            .collect()
    }

    #[test]
    fn an_address_hashed_or_encoded_as_the_to_header_spells_it_is_found() {
        // The digest and base64 of `Reader@Example.org` are not those of the lower-cased
        // address; the lower-cased Delivered-To and --me must not hide the written spelling.
        let raw = "From: news@shop.example\nTo: Reader <Reader@Example.org>\n\
                   Delivered-To: reader@example.org\nSubject: s\nMIME-Version: 1.0\n\
                   Content-Type: text/html\n\n\
                   <img src=\"https://t.example/o.gif?h=27eadd1922f5f153da2fb97a8fe352e1\">\
                   <a href=\"https://t.example/c?r=UmVhZGVyQEV4YW1wbGUub3Jn\">x</a>\n";
        for me in [vec![], vec!["reader@example.org".to_owned()]] {
            assert_eq!(
                leaks_in(raw, &me),
                [
                    ("md5", "27eadd1922f5f153da2fb97a8fe352e1"),
                    ("base64", "UmVhZGVyQEV4YW1wbGUub3Jn")
                ]
                .map(|(encoding, matched)| (
                    encoding.to_owned(),
                    matched.to_owned(),
                    "reader@example.org".to_owned()
                )),
                "with --me {me:?}"
            );
        }
    }

    #[test]
    fn reader_spellings_keep_one_spelling_per_address_preferring_capitals() {
        let given: Vec<String> = [
            "me@home.example",
            "Reader@Example.org",
            "reader@example.org",
        ]
        .map(str::to_owned)
        .into_iter()
        .chain((0..40).map(|i| format!("r{i}@example.org")))
        .collect();
        let kept = reader_spellings(given.iter());
        assert_eq!(kept.len(), MAX_LEAK_ADDRESSES);
        assert_eq!(
            kept[..3],
            ["me@home.example", "Reader@Example.org", "r0@example.org"]
        );
        let upper_later = [
            "reader@example.org".to_owned(),
            "READER@example.org".to_owned(),
        ];
        assert_eq!(reader_spellings(upper_later.iter()), ["READER@example.org"]);
    }

    #[test]
    fn each_host_a_url_leaks_the_address_to_is_reported_once_per_encoding() {
        // Forty hosts, each sent the address twice in the clear and once in base64: reported
        // in the order found, the repeat left out.
        let mut html = String::new();
        for i in 0..40 {
            for link in ["e=reader@example.org", "u=reader@example.org&x=1"] {
                html.push_str(&format!("<a href=\"https://h{i}.example/c?{link}\">x</a>"));
            }
            html.push_str(&format!(
                "<img src=\"https://h{i}.example/o.gif?r=cmVhZGVyQGV4YW1wbGUub3Jn\">"
            ));
        }
        let leaks: Vec<(String, String)> = findings_in_html(&html)
            .into_iter()
            .filter(|f| f.kind == Kind::AddressLeak)
            .map(|f| {
                let host = f.url.unwrap().split('/').nth(2).unwrap().to_owned();
                (host, f.details["encoding"].clone())
            })
            .collect();
        let expected: Vec<(String, String)> = (0..40)
            .flat_map(|i| {
                ["plain", "base64"].map(|encoding| (format!("h{i}.example"), encoding.to_owned()))
            })
            .collect();
        assert_eq!(leaks, expected);
    }

    #[test]
    fn an_address_in_a_fragment_reaches_only_the_page_a_link_opens() {
        let leaks = |html: &str| -> Vec<(Confidence, String)> {
            findings_in_html(html)
                .into_iter()
                .filter(|f| f.kind == Kind::AddressLeak)
                .map(|f| (f.confidence, f.evidence))
                .collect()
        };
        let linked = leaks(r#"<a href="https://page.example/lure/#reader@example.org">x</a>"#);
        assert_eq!(linked.len(), 1);
        assert_eq!(linked[0].0, Confidence::Medium);
        assert!(linked[0].1.contains("#fragment"), "{linked:?}");
        // No request carries an image's fragment, and no page reads it.
        assert!(leaks(r#"<img src="https://img.example/a.png#reader@example.org">"#).is_empty());
        // Before the `#`, the address is sent.
        let sent = leaks(r#"<a href="https://page.example/?e=reader@example.org#top">x</a>"#);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0, Confidence::High);
    }

    #[test]
    fn query_pairs_split_as_str_split_does() {
        for query in [
            "",
            "a",
            "&",
            "a=1",
            "a=1&b",
            "&&a==1&&b=&=c&",
            "x=é&ü",
            "=",
            "a&b=c=d",
        ] {
            let std: Vec<(&str, &str)> = query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
                .collect();
            assert_eq!(
                super::raw_query_pairs(query).collect::<Vec<_>>(),
                std,
                "{query:?}"
            );
        }
    }
}
