//! Open tracking: which of the resources a message loads on open are beacons (`pixel`), and
//! which are other remote loads (`remote_resource`) that reveal the reader's IP address, time
//! and mail program all the same.
//!
//! A beacon is recognised by what it looks like, not by who sent it: a tiny or hidden image
//! that is not a shared spacer, or an image whose URL carries a per-recipient token. Rules add
//! the vendor's name, and catch known open endpoints whatever size they claim.

use super::html::{Resource, Role};
use super::techniques as T;
use super::tokens::{extension, Place, Token};
use super::url_facts::{Facts, UrlFacts};
use super::{path_words, url_finding, UrlFinding};
use crate::finding::{Confidence, Finding, Kind};
use crate::rules::category::CONTENT_HOST;
use crate::weburl::WebUrl;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

/// Largest declared dimension, in CSS pixels, that makes an image "tiny".
const TINY_PX: f32 = 1.5;
/// A tiny image repeated this often in one message is layout, not a beacon.
const SPACER_REPEATS: usize = 3;

/// Words in a URL that say an image exists to record an open.
const OPEN_WORDS: &[&str] = &[
    "open",
    "opened",
    "opens",
    "track",
    "tracking",
    "tracker",
    "pixel",
    "beacon",
    "impression",
    "impressions",
    "read",
    "seen",
    "counter",
];
/// Short path segments that open-tracking endpoints use (`/o/<token>`, `/wf/open`, `/e/o/`),
/// counted only as one of the first two segments, where a redirector puts its own path.
const OPEN_PREFIXES: &[&str] = &[
    "o", "op", "eo", "oo", "wf", "imp", "trk", "t", "e", "p", "q",
];
/// A hidden image declared larger than this is a content image in a hidden layout block (a
/// mobile-only copy, a preheader), not a beacon.
const CONTENT_PX: f32 = 20.0;

pub(super) fn open_time_loads(
    resources: &[Resource],
    urls: &UrlFacts<'_>,
    findings: &mut Vec<Finding>,
) {
    // The maps and the list below are sized for every resource loaded on open at once: grown
    // from empty, a newsletter's were rehashed and moved four or five times each.
    let loading = resources.iter().filter(|r| r.role.loads_on_open()).count();
    let mut tiny_counts: HashMap<&str, usize> = HashMap::new();
    let mut shown_plainly: HashSet<&str> = HashSet::with_capacity(loading);
    let links = TrackedLinks::new(resources, urls);
    for resource in resources.iter().filter(|r| r.role.is_image()) {
        let Some(url) = &resource.absolute else {
            continue;
        };
        if is_tiny(resource) {
            *tiny_counts.entry(url.as_str()).or_default() += 1;
        } else if resource.hidden.is_none() && resource.role == Role::Image {
            shown_plainly.insert(url.as_str());
        }
    }

    // The strongest verdict for each distinct written URL, with the place of the resource
    // that gave it. Kept in a list with an index by URL rather than in a map owning a copy of
    // each URL: a message's images are dozens of findings, and a tree map moved each one again
    // as it grew and once more into the list sorted below.
    let mut verdicts: Vec<(usize, Finding)> = Vec::with_capacity(loading);
    let mut verdict_of: HashMap<&str, usize> = HashMap::with_capacity(loading);
    for (order, resource) in resources.iter().enumerate() {
        if !resource.role.loads_on_open() {
            continue;
        }
        let Some(facts) = urls.of(order) else {
            continue;
        };
        let url = facts.url.as_str();
        let context = Context {
            links: &links,
            tiny_repeats: tiny_counts.get(url).copied().unwrap_or(0),
            also_shown: shown_plainly.contains(url),
        };
        let finding = classify(resource, &urls.proxied(&facts), urls, &context);
        match verdict_of.get(resource.url.as_str()) {
            Some(&slot) => {
                if rank(&finding) > rank(&verdicts[slot].1) {
                    verdicts[slot] = (order, finding);
                }
            }
            None => {
                verdict_of.insert(&resource.url, verdicts.len());
                verdicts.push((order, finding));
            }
        }
    }
    // Each resource gives one place, so no two verdicts tie.
    verdicts.sort_unstable_by_key(|(order, _)| *order);
    findings.extend(verdicts.into_iter().map(|(_, finding)| finding));
}

struct Context<'c, 'u> {
    links: &'c TrackedLinks<'c, 'u>,
    tiny_repeats: usize,
    also_shown: bool,
}

/// The message's links, asked whether they carry identifiers to a host: an image there is
/// the same machinery watching the open. Asked only of an image with an identifier that
/// nothing else has decided, so only the links to such an image's host have their tokens
/// worked out. The links are grouped by host on the first question, so a message of many
/// images and many links costs one pass over the links, not one per image.
struct TrackedLinks<'r, 'u> {
    resources: &'r [Resource],
    urls: &'r UrlFacts<'u>,
    by_host: RefCell<Option<HashMap<Cow<'u, str>, HostLinks<'u>>>>,
}

/// A host's links until the host is asked about, then the answer.
enum HostLinks<'u> {
    Unasked(Vec<Rc<Facts<'u>>>),
    CarryIdentifiers(bool),
}

impl<'r, 'u> TrackedLinks<'r, 'u> {
    fn new(resources: &'r [Resource], urls: &'r UrlFacts<'u>) -> Self {
        TrackedLinks {
            resources,
            urls,
            by_host: RefCell::new(None),
        }
    }

    fn carry_identifiers_to(&self, host: &str) -> bool {
        if host.is_empty() {
            return false;
        }
        let mut by_host = self.by_host.borrow_mut();
        let by_host = by_host.get_or_insert_with(|| {
            let mut by_host: HashMap<Cow<'u, str>, HostLinks<'u>> = HashMap::new();
            let links = self.resources.iter().enumerate();
            let links = links.filter(|(_, r)| r.role == Role::Link);
            for facts in links.filter_map(|(index, _)| self.urls.of(index)) {
                let entry = by_host.entry(facts.host.clone());
                if let HostLinks::Unasked(links) =
                    entry.or_insert_with(|| HostLinks::Unasked(Vec::new()))
                {
                    links.push(facts);
                }
            }
            by_host
        });
        let Some(links) = by_host.get_mut(host) else {
            return false;
        };
        if let HostLinks::Unasked(facts) = links {
            let carry = facts.iter().any(|f| !f.tracking_tokens().is_empty());
            *links = HostLinks::CarryIdentifiers(carry);
        }
        matches!(links, HostLinks::CarryIdentifiers(true))
    }
}

fn rank(finding: &Finding) -> (bool, Confidence) {
    (finding.kind == Kind::Pixel, finding.confidence)
}

/// `proxied` is what the mail program loads: behind an image proxy, the original URL is what
/// identifies the reader.
fn classify<'a>(
    resource: &Resource,
    proxied: &Facts<'a>,
    urls: &UrlFacts<'a>,
    context: &Context,
) -> Finding {
    let target = &proxied.url;
    let host = target.host_str().unwrap_or_default();
    let third_party = !proxied.first_party;
    let matched = urls.rules(proxied);
    let pixel_rule = matched.iter().find(|r| r.kind == Kind::Pixel).copied();
    let named_by = pixel_rule.or_else(|| {
        matched
            .iter()
            .find(|r| r.kind != Kind::LinkDecoration)
            .copied()
    });
    // A public content host names each upload by an id of the file, and its logs are not the
    // sender's: such an id says nothing about who loads the image.
    let content_host = matched.iter().any(|r| r.category == CONTENT_HOST);
    let tokens = if content_host { &[] } else { proxied.tokens() };
    let token_note = tokens.first().map(Token::describe);
    let base = UrlFinding {
        url: &resource.url,
        resource,
        rule: named_by,
        third_party,
    };

    if let Some(rule) = pixel_rule {
        let evidence = join([
            Some(["known ", &rule.vendor, " open-tracking endpoint"].concat()),
            size_note(resource),
            token_note.clone(),
        ]);
        return url_finding(
            base,
            Kind::Pixel,
            T::KNOWN_OPEN_ENDPOINT.id,
            Confidence::High,
            evidence,
        );
    }
    if resource.role.is_image() {
        let shared = is_shared_asset(proxied, tokens, context);
        if is_tiny(resource) && !shared && !context.also_shown {
            let evidence = join([
                size_note(resource),
                token_note.clone(),
                open_words_note(target),
            ]);
            return url_finding(
                base,
                Kind::Pixel,
                T::TINY_IMAGE.id,
                Confidence::High,
                evidence,
            );
        }
        if names_an_open(target) {
            let evidence = join([
                Some("image URL names an open-tracking endpoint".to_owned()),
                token_note.clone(),
            ]);
            return url_finding(
                base,
                Kind::Pixel,
                T::OPEN_TRACKING_URL.id,
                Confidence::Medium,
                evidence,
            );
        }
        if let Some(reason) = &resource.hidden {
            if !shared && !context.also_shown && !is_large(resource) {
                let evidence = join([
                    Some(["image hidden by ", reason].concat()),
                    token_note.clone(),
                    open_words_note(target),
                ]);
                return url_finding(
                    base,
                    Kind::Pixel,
                    T::HIDDEN_IMAGE.id,
                    Confidence::High,
                    evidence,
                );
            }
        }
        if let Some(param) = carries_address(target) {
            let evidence =
                format!("remote image whose URL carries an email address in parameter {param}");
            return url_finding(
                base,
                Kind::Pixel,
                T::PER_RECIPIENT_IMAGE.id,
                Confidence::High,
                evidence,
            );
        }
        if is_per_recipient_image(target, &proxied.host, tokens, context) {
            let evidence = join([
                Some("remote image whose URL carries an identifier".to_owned()),
                token_note.clone(),
            ]);
            return url_finding(
                base,
                Kind::Pixel,
                T::PER_RECIPIENT_IMAGE.id,
                Confidence::Medium,
                evidence,
            );
        }
    }
    let (technique, what) = remote_technique(resource);
    let identifying = tokens.iter().any(|t| identifies(t, target, resource));
    let confidence = if identifying {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    let evidence = join([
        Some([what, " loaded from ", host, " when the message is opened"].concat()),
        token_note,
    ]);
    url_finding(base, Kind::RemoteResource, technique, confidence, evidence)
}

/// Whether a token in a remote resource's URL identifies the reader rather than the file. Build
/// tools, image stores and font services name files by a hash of their bytes
/// (`/products/f665e0…_600x600.jpg`, `/res/<sha256>.woff2`, `/s/roboto/v48/KFOMCnq….ttf`): such
/// a name is content, however random. An image's token counts in the query or in a path with
/// no file name; a font's or stylesheet's in the query or outside its file name
/// (`/o/<token>/f.woff2` names its reader); a frame's, object's or medium's anywhere.
fn identifies(token: &Token, url: &WebUrl, resource: &Resource) -> bool {
    let Place::Path(at) = token.place else {
        return true;
    };
    let Some(ext) = extension(url) else {
        return true;
    };
    if resource.role.is_image() {
        return false;
    }
    let hashed_asset = HASH_NAMED_EXTENSIONS
        .iter()
        .any(|e| e.eq_ignore_ascii_case(ext));
    !hashed_asset || url.path_segments().map(Iterator::count) != Some(at)
}

/// Fonts and stylesheets, which asset pipelines and font services name by content hash.
const HASH_NAMED_EXTENSIONS: &[&str] = &["woff", "woff2", "ttf", "otf", "eot", "css"];

fn is_large(resource: &Resource) -> bool {
    [resource.width, resource.height]
        .iter()
        .flatten()
        .any(|&px| px > CONTENT_PX)
}

fn is_tiny(resource: &Resource) -> bool {
    let dims = [resource.width, resource.height];
    dims.iter().any(Option::is_some) && dims.iter().flatten().all(|&px| px <= TINY_PX)
}

/// A spacer or layout image: the same bytes for every reader. No token, nothing in its URL that
/// speaks of opens, no query but a cache-buster, and either on the sender's own domain or a
/// plain static file — or repeated through the layout. A query of ids (`o.gif?id=Zr8KqW3p`,
/// `?u=167279&m=2234`) makes even the sender's own tiny image one that can differ by reader:
/// ids shorter than a token are still ids.
fn is_shared_asset(facts: &Facts<'_>, tokens: &[Token], context: &Context<'_, '_>) -> bool {
    let url = &facts.url;
    if context.tiny_repeats >= SPACER_REPEATS && tokens.is_empty() {
        return true;
    }
    if !tokens.is_empty() || has_open_words(url) {
        return false;
    }
    url.query().is_none_or(is_cache_buster) && (is_image_file(url) || facts.first_party)
}

const IMAGE_EXTENSIONS: &[&str] = &[
    "gif", "png", "jpg", "jpeg", "webp", "svg", "bmp", "ico", "avif",
];

/// Whether the URL's last path segment names an image file (`logo.PNG`).
fn is_image_file(url: &WebUrl) -> bool {
    extension(url).is_some_and(|ext| IMAGE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// `r=1709712345`, `v=3`: a query that varies by deployment or time, not by reader.
/// `v=3`, `r=1709712345`, `itok=OSo2c9Yq`: one parameter that versions the file for caches.
/// Several numeric parameters (`u=167279&m=2234`) are ids, not a cache-buster.
fn is_cache_buster(query: &str) -> bool {
    let mut pairs = query.split('&').filter(|p| !p.is_empty());
    let pair = match (pairs.next(), pairs.next()) {
        (None, _) => return true, // an empty query varies by nothing
        (Some(pair), None) => pair,
        (Some(_), Some(_)) => return false,
    };
    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
    let versioning = matches!(
        crate::ascii::lower(name).as_ref(),
        "v" | "ver"
            | "version"
            | "r"
            | "rnd"
            | "rand"
            | "t"
            | "ts"
            | "time"
            | "timestamp"
            | "cb"
            | "cache"
            | "cachebust"
            | "itok"
            | "_"
            | "h"
            | "w"
            | "width"
            | "height"
            | "size"
    );
    versioning && value.len() <= 16
}

/// A normal-sized image with a per-recipient identifier. Opaque ids are everywhere in content
/// storage (`/drive-viewer/AAOQ…`, `/o/EWCM…`), so the identifier alone is not enough: the URL
/// must also speak of opens, or go to a host the message's tracked links go to.
/// `host` is the URL's, lower-cased.
fn is_per_recipient_image(
    url: &WebUrl,
    host: &str,
    tokens: &[Token],
    context: &Context<'_, '_>,
) -> bool {
    if tokens.is_empty() {
        return false;
    }
    has_open_words(url) || is_analytics_hit(url) || context.links.carry_identifiers_to(host)
}

/// `/collect?t=event&cid=<id>`: the endpoint of the analytics measurement protocols, which
/// records a hit by whoever loads it. (Asked only of images with an identifier, by the path's
/// end: as one of the open words, compared with every word of every image's path, it cost
/// 0.4 % of a scan's instructions.)
fn is_analytics_hit(url: &WebUrl) -> bool {
    url.path().ends_with("/collect")
}

/// An address in an image's query (`?email=someone@example.org`): the image is per reader.
fn carries_address(url: &WebUrl) -> Option<String> {
    url.query_pairs()
        .find(|(_, value)| value.contains('@') && crate::message::Mailbox::parse(value).is_some())
        .map(|(name, _)| name.into_owned())
}

/// An image whose path says, in words, that it records opens (`/_tracking/email_open/…`,
/// `/track/open?…`) and that is not a plain static file.
fn names_an_open(url: &WebUrl) -> bool {
    let strong = path_words(url).any(|word| {
        ["open", "opened", "opens", "beacon", "impression"]
            .iter()
            .any(|open| open.as_bytes().eq_ignore_ascii_case(word))
    });
    let plain_file = is_image_file(url) && url.query().is_none();
    strong && !plain_file
}

fn has_open_words(url: &WebUrl) -> bool {
    // The word lists are lower case: compare ignoring case rather than lower-case copies.
    let listed = |list: &[&str], word: &str| list.iter().any(|w| w.eq_ignore_ascii_case(word));
    let prefix = url
        .path_segments()
        .into_iter()
        .flatten()
        .take(2)
        .any(|s| listed(OPEN_PREFIXES, s));
    let words = path_words(url).any(|word| {
        OPEN_WORDS
            .iter()
            .any(|w| w.as_bytes().eq_ignore_ascii_case(word))
    });
    let params = url
        .query_pairs()
        .any(|(name, value)| value.eq_ignore_ascii_case("open") || listed(OPEN_WORDS, &name));
    prefix || words || params
}

fn open_words_note(url: &WebUrl) -> Option<String> {
    has_open_words(url).then(|| "open-tracking words in the URL".to_owned())
}

fn size_note(resource: &Resource) -> Option<String> {
    let show = |v: Option<f32>| v.map_or("?".to_owned(), |px| format!("{px}"));
    if resource.width.is_none() && resource.height.is_none() {
        return None;
    }
    Some(format!(
        "{}×{} image",
        show(resource.width),
        show(resource.height)
    ))
}

fn remote_technique(resource: &Resource) -> (&'static str, &'static str) {
    match resource.role {
        Role::Image => (T::REMOTE_IMAGE.id, "an image"),
        Role::Background => (T::CSS_BACKGROUND.id, "a CSS or background image"),
        Role::Stylesheet => (T::STYLESHEET.id, "a stylesheet"),
        Role::Font => (T::WEB_FONT.id, "a web font"),
        Role::Media => (T::MEDIA.id, "audio or video"),
        Role::Frame => (T::IFRAME.id, "a frame"),
        Role::Object => (T::OBJECT_EMBED.id, "an embedded object"),
        Role::Prefetch => (T::PREFETCH_HINT.id, "a prefetch or preconnect hint"),
        Role::Refresh => (T::META_REFRESH.id, "a meta refresh"),
        Role::AmpData => (T::AMP_DATA.id, "AMP data"),
        Role::Link | Role::Ping | Role::Form => ("link", "a link"),
    }
}

fn join<const N: usize>(parts: [Option<String>; N]) -> String {
    let mut parts = parts.into_iter().flatten();
    let mut joined = parts.next().unwrap_or_default();
    for part in parts {
        joined.push_str(", ");
        joined.push_str(&part);
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> WebUrl {
        WebUrl::parse(text).unwrap()
    }

    fn resource(url: &str, role: Role) -> Resource {
        Resource {
            url: url.to_owned(),
            absolute: crate::detect::html::resolve(url, None),
            role,
            element: if role == Role::Link { "a" } else { "img" }.into(),
            attribute: if role == Role::Link { "href" } else { "src" }.into(),
            part: 0,
            width: None,
            height: None,
            hidden: None,
            conditional: false,
        }
    }

    /// What `open_time_loads` finds among `resources`, with the built-in rules.
    fn open_time_findings(resources: &[Resource]) -> Vec<Finding> {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let parties = crate::party::Parties::default();
        let urls = UrlFacts::new(resources, &rules, &parties);
        let mut findings = Vec::new();
        open_time_loads(resources, &urls, &mut findings);
        findings
    }

    /// The techniques `open_time_loads` gives each image of `resources`, in order.
    fn image_verdicts(resources: &[Resource]) -> Vec<(String, String)> {
        open_time_findings(resources)
            .into_iter()
            .map(|f| (f.url.unwrap_or_default(), f.technique))
            .collect()
    }

    /// The confidence of the one resource `url`, loaded as `role`.
    fn confidence(url: &str, role: Role) -> Confidence {
        open_time_findings(&[resource(url, role)])[0].confidence
    }

    #[test]
    fn an_image_with_an_identifier_is_per_recipient_only_where_links_carry_identifiers() {
        let image = "https://mta.relay.example/img/hero.jpg?r=8fK2pQ7xLm4ZtR9vWc3B";
        let token_link = "https://mta.relay.example/c/tzGzsyfdEFC59goTTJsUptA72y3q";
        // A link with a token to the image's host: the image is the same machinery.
        let verdicts = image_verdicts(&[
            resource(token_link, Role::Link),
            resource(image, Role::Image),
        ]);
        assert_eq!(
            verdicts,
            [(image.to_owned(), "per_recipient_image".to_owned())]
        );
        // Links to that host without a token, or with a token to another host, are not.
        for link in [
            "https://mta.relay.example/about",
            "https://other.relay.example/c/tzGzsyfdEFC59goTTJsUptA72y3q",
        ] {
            let verdicts =
                image_verdicts(&[resource(link, Role::Link), resource(image, Role::Image)]);
            assert_eq!(verdicts.len(), 1, "{link}");
            assert_ne!(verdicts[0].1, "per_recipient_image", "{link}");
        }
    }

    #[test]
    fn an_analytics_hit_with_a_reader_id_is_a_beacon() {
        let hit =
            "https://stats.example/collect?v=1&t=event&cid=19b769f4-1d97-4423-8d74-18dae0f859cb";
        assert_eq!(
            image_verdicts(&[resource(hit, Role::Image)]),
            [(hit.to_owned(), "per_recipient_image".to_owned())]
        );
        // A collection page's image with the same id is content.
        let content = "https://shop.example/collections/19b769f4-1d97-4423-8d74-18dae0f859cb";
        assert_ne!(
            image_verdicts(&[resource(content, Role::Image)])[0].1,
            "per_recipient_image"
        );
    }

    #[test]
    fn a_font_named_by_its_hash_is_content_and_a_token_beside_its_name_identifies() {
        let confidence = |url: &str| confidence(url, Role::Font);
        let sha256 = "6847ec567bf5b5964f823b0e207f5392f1078293079197a7a84b84920881329b";
        assert_eq!(
            confidence(&format!("https://res.example/res/{sha256}.woff")),
            Confidence::Low
        );
        assert_eq!(
            confidence("https://fonts.example/s/roboto/v48/KFOMCnqEu92Fr1ME7kSn66aGLdTylUAMQ.ttf"),
            Confidence::Low
        );
        // The same token in a folder, in the query, or on a file that is no font or stylesheet.
        for identified in [
            format!("https://t.example/o/{sha256}/f.woff2"),
            format!("https://t.example/f.woff2?u={sha256}"),
            format!("https://t.example/f/{sha256}.html"),
        ] {
            assert_eq!(confidence(&identified), Confidence::Medium, "{identified}");
        }
    }

    #[test]
    fn an_id_on_a_public_content_host_names_the_file_not_the_reader() {
        let confidence = |url: &str| confidence(url, Role::Image);
        let id = "AAOQEOThYSrsUJX-GyPH-0Nj99gmlZ2z19I3Kqg68oBj4068ow1fZRY48w";
        assert_eq!(
            confidence(&format!(
                "https://lh3.googleusercontent.com/drive-viewer/{id}=w192"
            )),
            Confidence::Low
        );
        // A member's photo on LinkedIn's media CDN, signed and with an expiry.
        assert_eq!(
            confidence("https://media.licdn.com/dms/image/C4E03AQHAbCdEfGhIjK/profile-displayphoto-shrink_100_100/0/1600000000000?e=1706745600&v=beta&t=Xq7LmP2vRt9KwZ4bNc8DHj3FsW6y"),
            Confidence::Low
        );
        // The same id on a host the sender may read the logs of.
        assert_eq!(
            confidence(&format!("https://img.shop.example/drive-viewer/{id}=w192")),
            Confidence::Medium
        );
    }

    #[test]
    fn open_words_are_whole_words_of_the_path_in_any_case() {
        // Words split at `/`, `.`, `_` and `-`, compared without regard to case.
        for tracked in [
            "https://t.example/Track_Open-v2/x.gif",
            "https://t.example/img/email.PIXEL.png",
            "https://t.example/a/b/impressions",
            "https://t.example/o/AbCdEf123",
            "https://t.example/img/x.png?event=open",
        ] {
            assert!(has_open_words(&url(tracked)), "{tracked}");
        }
        // A word that merely starts like one, or a prefix past the first two segments.
        for plain in [
            "https://t.example/opening/x.gif",
            "https://t.example/trackside/photo.jpg",
            "https://t.example/a/b/o/x.png",
        ] {
            assert!(!has_open_words(&url(plain)), "{plain}");
        }
        // A path that names an open is strong evidence unless it is a plain static file.
        assert!(names_an_open(&url("https://t.example/e/Opened-7/x")));
        assert!(!names_an_open(&url("https://t.example/img/opened.png")));
        assert!(!names_an_open(&url("https://t.example/openings/x")));
    }
}
