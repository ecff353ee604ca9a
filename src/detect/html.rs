//! Resource extraction: every URL an HTML part makes the mail program load when the message is
//! opened (images, CSS, fonts, media, frames, prefetch hints, Outlook VML, AMP) and every URL a
//! reader can follow (links, pings, forms), each with where it was found and how the element is
//! sized and hidden. One streaming pass per HTML part (tokenizer.rs, with the open elements kept
//! by tree.rs); nested documents (iframe `srcdoc`, Outlook conditional comments, `data:`
//! HTML/SVG) are read in turn, to a fixed depth.

use super::css::{
    declarations, length_px, readable, urls_in_css, urls_in_readable_css, Declarations,
};
use super::finder;
use super::hiding::{style_hiding, style_may_hide, ClassRules};
use super::tokenizer::{tokens, Tag, Token};
use super::tree::{self, Open};
use crate::ascii::byte_table;
use crate::byte_search::Words;
use crate::limits::Limits;
use crate::weburl::WebUrl;
use foldhash::HashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

/// How deep nested documents (srcdoc, conditional comments, data: HTML) are followed.
const MAX_NESTING: usize = 4;

/// What a URL does when the message is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `img`, `input type=image`, SVG `image`, VML `imagedata`, `amp-img`, `picture` sources.
    Image,
    /// A CSS `url()` (other than fonts and imports) or a `background` attribute.
    Background,
    Stylesheet,
    Font,
    /// `video`/`audio`/`source`/`track` sources and video posters.
    Media,
    Frame,
    /// `object` data and `embed` sources.
    Object,
    /// `link rel=prefetch|preload|dns-prefetch|preconnect|prerender|icon`.
    Prefetch,
    /// `meta http-equiv=refresh`.
    Refresh,
    /// AMP data endpoints (`amp-list`, `amp-state`) fetched on open.
    AmpData,
    /// A link the reader may follow (`a`, `area`, URLs in text).
    Link,
    /// `a ping`: requested when the link is followed.
    Ping,
    /// A form's action: requested when the form is submitted.
    Form,
}

impl Role {
    /// Whether the mail program fetches it as soon as the message is displayed.
    pub fn loads_on_open(self) -> bool {
        !matches!(self, Role::Link | Role::Ping | Role::Form)
    }

    pub fn is_image(self) -> bool {
        matches!(self, Role::Image | Role::Background)
    }
}

/// One URL found in an HTML part.
#[derive(Debug, Clone)]
pub struct Resource {
    /// As written, after entity decoding and trimming.
    pub url: String,
    /// The URL the client would request; `None` when it requests nothing (cid:, data:, a bare
    /// fragment, a relative URL without a base).
    pub absolute: Option<WebUrl>,
    pub role: Role,
    /// Lower-cased element name (`img`, `v:fill`, `td`, `style`, `text`).
    pub element: Cow<'static, str>,
    /// Attribute or CSS context: `src`, `srcset`, `style background-image`, `<style> @import`.
    /// Most are fixed names, kept without a copy.
    pub attribute: Cow<'static, str>,
    /// Index of the MIME part.
    pub part: usize,
    /// Declared size in CSS pixels (attributes or inline CSS, the smaller when both are given).
    pub width: Option<f32>,
    pub height: Option<f32>,
    /// Why the element (or an ancestor) is not shown, when it is not.
    pub hidden: Option<&'static str>,
    /// Found inside an Outlook conditional comment (`<!--[if mso]>…<![endif]-->`).
    pub conditional: bool,
}

/// Every resource and link of one HTML part.
pub fn extract(html: &str, part: usize) -> Vec<Resource> {
    extract_limited(html, part, &Limits::default()).0
}

/// Every resource and link of one HTML part, within the limits; the notes name each limit hit.
pub fn extract_limited(html: &str, part: usize, limits: &Limits) -> (Vec<Resource>, Vec<String>) {
    let mut walker = Walker {
        part,
        base: None,
        out: Vec::new(),
        limits: *limits,
        notes: Vec::new(),
        capped: false,
        too_deep: false,
        hide_clues: HashMap::default(),
        picture_sources: Vec::new(),
        class_rules: ClassRules::default(),
    };
    walker.document(html, None, 0, false);
    (walker.out, walker.notes)
}

/// URLs written in plain text (a text/plain part): links the reader may follow.
pub fn text_links(text: &str, part: usize) -> Vec<Resource> {
    text_links_known(text, part, &[], usize::MAX)
}

/// [`text_links`], the first `max` of them, taking the parsed URL from `known` resources
/// written the same way: the text part of a newsletter repeats most of its HTML part's links,
/// and parsing a long tracking URL costs more than copying it. A text URL is always absolute,
/// so no `<base>` changes it.
pub fn text_links_known(text: &str, part: usize, known: &[Resource], max: usize) -> Vec<Resource> {
    let mut parsed: foldhash::HashMap<&str, &WebUrl> =
        foldhash::HashMapExt::with_capacity(known.len());
    parsed.extend(
        known
            .iter()
            .filter_map(|resource| Some((resource.url.as_str(), resource.absolute.as_ref()?))),
    );
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while out.len() < max {
        let Some(pos) = find_scheme(rest) else {
            break;
        };
        let start = offset + pos;
        let tail = &text[start..];
        let end = url_end(tail);
        let url = tail[..end].trim_end_matches(['.', ',', ';', ':', ')', ']', '!', '?']);
        let absolute = match parsed.get(url) {
            Some(&known) => Some(known.clone()),
            None => resolve(url, None),
        };
        if let Some(absolute) = absolute {
            out.push(Resource {
                url: url.to_owned(),
                absolute: Some(absolute),
                role: Role::Link,
                element: Cow::Borrowed("text"),
                attribute: Cow::Borrowed("text/plain"),
                part,
                width: None,
                height: None,
                hidden: None,
                conditional: false,
            });
        }
        offset = start + end.max(1);
        rest = text.get(offset..).unwrap_or_default();
    }
    out
}

/// Where a URL written in plain text ends: at white space or a character a URL cannot hold
/// there. Byte by byte through a table, decoding only the non-ASCII characters (a text part is
/// mostly ASCII): a `match` on the byte became a jump table, whose indirect jump at every byte
/// of every URL cost about 3 % of a newsletter archive's scan.
fn url_end(tail: &str) -> usize {
    let bytes = tail.as_bytes();
    let mut at = plain_url_blocks(bytes);
    while let Some(&byte) = bytes.get(at) {
        match URL_BYTE[usize::from(byte)] {
            IN_URL => at += 1,
            ENDS_URL => return at,
            _ => {
                let Some(c) = tail.get(at..).and_then(|rest| rest.chars().next()) else {
                    return at;
                };
                if c.is_whitespace() {
                    return at;
                }
                at += c.len_utf8();
            }
        }
    }
    bytes.len()
}

/// Bytes `plain_url_blocks` tests together.
const URL_BLOCK: usize = 16;

/// How many bytes from the start of `bytes` are whole blocks of printable ASCII that a URL
/// holds, which `url_end`'s byte loop would pass one by one. The test is comparisons with
/// constants, OR-ed without a branch, which the compiler makes into vector compares of a whole
/// block: a tracking URL in a text part is a few hundred such bytes.
fn plain_url_blocks(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(block) = bytes.get(at..at + URL_BLOCK) {
        let stop = block.iter().fold(false, |stop, &b| {
            stop | !(b'!'..=b'~').contains(&b)
                | (b == b'<')
                | (b == b'>')
                | (b == b'"')
                | (b == b'\'')
                | (b == b'`')
        });
        if stop {
            break;
        }
        at += URL_BLOCK;
    }
    at
}

/// `URL_BYTE` classes: an ASCII byte a plain-text URL holds, one that ends it, and the start
/// (or continuation) of a non-ASCII character, judged as a character.
const IN_URL: u8 = 0;
const ENDS_URL: u8 = 1;
const NOT_ASCII: u8 = 2;
const URL_BYTE: [u8; 256] = byte_table!(|byte| match byte {
    // `char::is_whitespace` in ASCII, which also counts the vertical tab.
    b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | b'<' | b'>' | b'"' | b'\'' | b'`' => ENDS_URL,
    0..=0x7f => IN_URL,
    _ => NOT_ASCII,
});

/// Where the first `http://` or `https://` starts. One forward search for `http` and a look at
/// what follows: searching for each scheme separately scanned the whole rest of the text for
/// the absent one at every URL, quadratic in a text full of links of one scheme (found while
/// fuzzing; see tests/integration/fuzz_regressions.rs).
fn find_scheme(text: &str) -> Option<usize> {
    // Built once: `memmem::find` builds its searcher on every call, which cost more than
    // searching the short stretch to the next URL.
    static HTTP: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let http = HTTP.get_or_init(|| memchr::memmem::Finder::new(b"http"));
    let mut from = 0;
    while let Some(pos) = http.find(text.get(from..)?.as_bytes()) {
        let at = from + pos;
        let after = text.get(at + 4..).unwrap_or_default();
        if after.starts_with("://") || after.starts_with("s://") {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// The URL a client would request for `raw`, or `None` when it requests nothing remote.
pub fn resolve(raw: &str, base: Option<&WebUrl>) -> Option<WebUrl> {
    // Browsers drop tabs and newlines inside URLs (a trick to split a URL across lines), and
    // strip ASCII whitespace at the ends (not Unicode's: a no-break space stays, as written).
    let cleaned: String;
    let mut raw = raw.trim_ascii();
    // One SIMD search rather than `contains` with a char array, which decodes every char: with
    // URL parsing made cheap this test was a third of `resolve`'s cost.
    if memchr::memchr3(b'\n', b'\r', b'\t', raw.as_bytes()).is_some() {
        cleaned = raw
            .chars()
            .filter(|c| !matches!(c, '\n' | '\r' | '\t'))
            .collect();
        raw = &cleaned;
    }
    if raw.is_empty() || raw.starts_with('#') {
        return None;
    }
    if let Some(rest) = raw.strip_prefix("//") {
        return WebUrl::parse(&format!("https://{rest}"))
            .ok()
            .filter(is_web);
    }
    // `mailto:`, `tel:`, `cid:` and `data:` (inline images can run to megabytes) request
    // nothing remote: no need to parse them only to find that out.
    if written_scheme(raw).is_some_and(|scheme| {
        !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https")
    }) {
        return None;
    }
    match WebUrl::parse(raw) {
        Ok(url) => Some(url).filter(is_web),
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(raw).ok().filter(is_web),
        Err(_) => None,
    }
}

/// The scheme an absolute URL starts with (`mailto` in `mailto:x@y`): a letter, then letters,
/// digits, `+`, `-` or `.`, then `:`.
fn written_scheme(raw: &str) -> Option<&str> {
    let end = raw.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))?;
    let starts_with_letter = raw.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    (starts_with_letter && raw[end..].starts_with(':')).then(|| &raw[..end])
}

fn is_web(url: &WebUrl) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty())
}

struct Walker {
    part: usize,
    base: Option<WebUrl>,
    out: Vec<Resource>,
    limits: Limits,
    notes: Vec<String>,
    /// Whether `max_urls` was reached (noted once).
    capped: bool,
    /// Whether `max_html_depth` was reached (noted once).
    too_deep: bool,
    /// `style_may_hide`'s verdicts by style text: a table layout repeats one inline style on
    /// cell after cell (2.4 times each in the real corpus's HTML parts), and the search for
    /// the hiding words was the costliest part of reading an element's style.
    hide_clues: HashMap<Box<str>, bool>,
    /// The `<source>`s of the `<picture>` being read, as indexes into `out`: the picture is
    /// drawn in its `<img>`'s box, whichever source it shows, so they take that image's size
    /// when it comes.
    picture_sources: Vec<usize>,
    /// What the part's `<style>` blocks hide by class or id, read as they come.
    class_rules: ClassRules,
}

/// What an element contributes to the resources found inside it.
struct ElementFacts<'t> {
    name: &'t str,
    /// Whether its inline style can name a URL.
    style_loads: bool,
    width: Option<f32>,
    height: Option<f32>,
    hidden: Option<&'static str>,
}

impl Walker {
    /// Reads one document in a single pass over its tokens. The open elements are kept on a
    /// stack, closed the way an HTML parser closes them where email HTML relies on it (`<td>`
    /// and `<tr>` without end tags, `<p>` ended by a block, end tags that do not match), which
    /// is all the structure hiding by ancestors needs.
    fn document(
        &mut self,
        html: &str,
        inherited: Option<&'static str>,
        depth: usize,
        conditional: bool,
    ) {
        let first = self.out.len();
        let mut stack: Vec<Open> = Vec::new();
        let mut tokens = tokens(html);
        while let Some(token) = tokens.next() {
            match token {
                Token::Start(tag) => {
                    tree::close_implied(&mut stack, &tag.name);
                    let parent = tree::parent_of(&stack, &tag.name);
                    let parent_hidden = parent.map_or(inherited, |i| stack[i].hidden);
                    let parent_name = stack.last().map(|open| open.name.as_ref());
                    let facts = self.facts(&tag, parent_hidden);
                    if tag.name == "base" && self.base.is_none() {
                        self.base = tag.attr("href").and_then(|href| resolve(href, None));
                    }
                    let opens = tree::opens(&tag, &stack);
                    self.element(&tag, &facts, parent_name, depth, conditional);
                    let hidden = facts.hidden;
                    if opens {
                        if stack.len() < self.limits.max_html_depth {
                            let foreign = tree::in_foreign(&tag, &stack);
                            stack.push(Open {
                                name: tag.name,
                                hidden,
                                foreign,
                            });
                        } else if !self.too_deep {
                            self.too_deep = true;
                            self.notes.push(format!(
                                "part {}: HTML nested deeper than max_html_depth ({}); deeper elements were read as if at that depth",
                                self.part, self.limits.max_html_depth
                            ));
                        }
                    }
                    tokens.recycle(tag.attrs);
                }
                Token::End(name) => tree::close(&mut stack, &name),
                Token::Comment(text) => {
                    let hidden = stack.last().map_or(inherited, |open| open.hidden);
                    self.conditional_comment(text, hidden, depth);
                }
            }
        }
        // A <base> applies to the whole document, also to URLs written before it.
        if let Some(base) = &self.base {
            for resource in &mut self.out[first..] {
                if resource.absolute.is_none() {
                    resource.absolute = resolve(&resource.url, Some(base));
                }
            }
        }
    }

    fn facts<'t>(&mut self, element: &'t Tag, inherited: Option<&'static str>) -> ElementFacts<'t> {
        let name = element.name.as_ref();
        let style_text = element.attr("style");
        let style_loads = style_text.is_some_and(style_may_load);
        let loads = may_load(element, style_loads);
        // Parsing every inline style is the costly part of a table layout; most can be seen
        // to hide nothing without it. Under a hidden ancestor, only a size is looked for.
        let style = style_text
            .filter(|&s| loads || (inherited.is_none() && self.may_hide(s)))
            .map(declarations);
        let css = |prop: &str| style.as_ref().and_then(|style| style.get(prop));
        let own_hidden = if inherited.is_some() {
            None
        } else {
            hidden_reason(element, style.as_ref()).or_else(|| self.class_rules.hides(element))
        };
        // Most elements (cells, paragraphs, spans) load nothing: their size is never
        // reported, so they are not worked out.
        if !loads {
            return ElementFacts {
                name,
                style_loads,
                width: None,
                height: None,
                hidden: inherited.or(own_hidden),
            };
        }
        let dimension = |attr: &str, props: [&str; 2]| {
            let from_css = props.iter().filter_map(|p| css(p)).filter_map(length_px);
            element
                .attr(attr)
                .and_then(length_px)
                .into_iter()
                .chain(from_css)
                .reduce(f32::min)
        };
        ElementFacts {
            width: dimension("width", ["width", "max-width"]),
            height: dimension("height", ["height", "max-height"]),
            name,
            style_loads,
            hidden: inherited.or(own_hidden),
        }
    }

    /// `style_may_hide`, asked once per distinct style text of the document.
    fn may_hide(&mut self, style: &str) -> bool {
        if let Some(&verdict) = self.hide_clues.get(style) {
            return verdict;
        }
        let verdict = style_may_hide(style);
        self.hide_clues.insert(style.into(), verdict);
        verdict
    }

    fn element(
        &mut self,
        element: &Tag,
        facts: &ElementFacts,
        parent: Option<&str>,
        depth: usize,
        conditional: bool,
    ) {
        // A URL attribute is read with ASCII whitespace stripped from its ends, as HTML reads it.
        let attr = |name: &str| {
            element
                .attr(name)
                .map(str::trim_ascii)
                .filter(|v| !v.is_empty())
        };
        let add = |walker: &mut Walker, url: &str, role: Role, attribute: &'static str| {
            walker.push(url, role, attribute.into(), facts, conditional, depth);
        };
        match facts.name {
            "img" | "amp-img" | "amp-anim" => {
                let sources = std::mem::take(&mut self.picture_sources);
                if parent == Some("picture") {
                    let size = (facts.width, facts.height);
                    let size = match size {
                        (None, None) => attr("src").and_then(data_image_size).unwrap_or(size),
                        declared => declared,
                    };
                    for index in sources {
                        let source = &mut self.out[index];
                        if (source.width, source.height) == (None, None) {
                            (source.width, source.height) = size;
                        }
                    }
                }
                for name in ["src", "lowsrc", "dynsrc"] {
                    if let Some(url) = attr(name) {
                        add(self, url, Role::Image, name);
                    }
                }
                if let Some(set) = attr("srcset") {
                    for url in srcset_urls(set) {
                        add(self, url, Role::Image, "srcset");
                    }
                }
            }
            "image" | "feimage" | "use" => {
                // SVG 1 spells it xlink:href.
                if let Some(url) = attr("href").or_else(|| attr("xlink:href")) {
                    add(self, url, Role::Image, "href");
                }
            }
            "input" => {
                if attr("type").is_some_and(|t| t.eq_ignore_ascii_case("image")) {
                    if let Some(url) = attr("src") {
                        add(self, url, Role::Image, "src");
                    }
                }
                if let Some(url) = attr("formaction") {
                    add(self, url, Role::Form, "formaction");
                }
            }
            "source" => {
                let in_picture = parent == Some("picture");
                let role = if in_picture { Role::Image } else { Role::Media };
                let first = self.out.len();
                if let Some(url) = attr("src") {
                    add(self, url, role, "src");
                }
                if let Some(set) = attr("srcset") {
                    for url in srcset_urls(set) {
                        add(self, url, role, "srcset");
                    }
                }
                if in_picture {
                    self.picture_sources.extend(first..self.out.len());
                }
            }
            "video" | "audio" | "track" | "amp-video" | "amp-audio" => {
                if let Some(url) = attr("src") {
                    add(self, url, Role::Media, "src");
                }
                if let Some(url) = attr("poster") {
                    add(self, url, Role::Media, "poster");
                }
            }
            "iframe" | "frame" | "amp-iframe" => {
                if let Some(url) = attr("src") {
                    add(self, url, Role::Frame, "src");
                }
                if let Some(doc) = element.attr("srcdoc") {
                    if depth < MAX_NESTING {
                        self.document(doc, facts.hidden, depth + 1, conditional);
                    }
                }
            }
            "object" => {
                if let Some(url) = attr("data") {
                    add(self, url, Role::Object, "data");
                }
            }
            "embed" => {
                if let Some(url) = attr("src") {
                    add(self, url, Role::Object, "src");
                }
            }
            "link" => {
                let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
                if let Some(url) = attr("href") {
                    let role = if rel.split_whitespace().any(|r| r == "stylesheet") {
                        Some(Role::Stylesheet)
                    } else if rel.split_whitespace().any(|r| {
                        matches!(
                            r,
                            "preload"
                                | "prefetch"
                                | "prerender"
                                | "dns-prefetch"
                                | "preconnect"
                                | "icon"
                                | "apple-touch-icon"
                                | "modulepreload"
                                | "shortcut"
                        )
                    }) {
                        Some(Role::Prefetch)
                    } else {
                        None
                    };
                    if let Some(role) = role {
                        let attribute = format!("href (rel={rel})").into();
                        self.push(url, role, attribute, facts, conditional, depth);
                    }
                }
            }
            "meta" => {
                let refresh = attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh"));
                if let (true, Some(content)) = (refresh, attr("content")) {
                    if let Some(url) = refresh_url(content) {
                        add(self, url, Role::Refresh, "content");
                    }
                }
            }
            "a" | "area" => {
                if let Some(url) = attr("href") {
                    add(self, url, Role::Link, "href");
                }
                if let Some(pings) = attr("ping") {
                    for url in pings.split_whitespace() {
                        add(self, url, Role::Ping, "ping");
                    }
                }
            }
            "form" => {
                for name in ["action", "action-xhr"] {
                    if let Some(url) = attr(name) {
                        add(self, url, Role::Form, name);
                    }
                }
            }
            "amp-list" | "amp-state" => {
                if let Some(url) = attr("src") {
                    add(self, url, Role::AmpData, "src");
                }
            }
            "v:fill" | "v:imagedata" | "v:image" => {
                if let Some(url) = attr("src") {
                    add(self, url, Role::Image, "src");
                }
            }
            "style" => {
                let css = self.css_within_limit(element.content.as_deref().unwrap_or_default());
                let css = readable(css);
                self.class_rules.read(&css, !conditional);
                for found in urls_in_readable_css(&css) {
                    let role = css_role(&found.context);
                    let attribute = ["<style> ", &found.context].concat().into();
                    // A <style> block is not the element it styles: its size and hiding say nothing.
                    self.push_plain(&found.url, role, attribute, conditional, depth);
                }
            }
            _ => {}
        }
        if let Some(url) = attr("background") {
            add(self, url, Role::Background, "background");
        }
        if let Some(style) = element.attr("style").filter(|_| facts.style_loads) {
            for found in urls_in_css(self.css_within_limit(style)) {
                let role = css_role(&found.context);
                let attribute = ["style ", &found.context].concat().into();
                self.push(&found.url, role, attribute, facts, conditional, depth);
            }
        }
    }

    /// CSS up to `max_css_bytes`, with a note when it is cut.
    fn css_within_limit<'c>(&mut self, css: &'c str) -> &'c str {
        if css.len() <= self.limits.max_css_bytes {
            return css;
        }
        self.notes.push(format!(
            "part {}: CSS of {} bytes searched only up to max_css_bytes ({})",
            self.part,
            css.len(),
            self.limits.max_css_bytes
        ));
        super::prefix(css, self.limits.max_css_bytes)
    }

    fn conditional_comment(&mut self, comment: &str, hidden: Option<&'static str>, depth: usize) {
        let text = comment.trim_start();
        if !text.starts_with("[if") || depth >= MAX_NESTING {
            return;
        }
        let Some(start) = text.find("]>") else {
            return;
        };
        let body = &text[start + 2..];
        let end = body.rfind("<![endif]").unwrap_or(body.len());
        self.document(&body[..end], hidden, depth + 1, true);
    }

    fn push(
        &mut self,
        url: &str,
        role: Role,
        attribute: Cow<'static, str>,
        facts: &ElementFacts,
        conditional: bool,
        depth: usize,
    ) {
        if self.out.len() >= self.limits.max_urls {
            if !self.capped {
                self.capped = true;
                self.notes.push(format!(
                    "part {}: more than max_urls ({}) URLs; the rest were not examined",
                    self.part, self.limits.max_urls
                ));
            }
            return;
        }
        if self.follow_data_document(url, &attribute, facts.hidden, depth) {
            return;
        }
        self.out.push(Resource {
            url: url.to_owned(),
            absolute: resolve(url, self.base.as_ref()),
            role,
            element: element_name(facts.name),
            attribute,
            part: self.part,
            width: facts.width,
            height: facts.height,
            hidden: facts.hidden,
            conditional,
        });
    }

    fn push_plain(
        &mut self,
        url: &str,
        role: Role,
        attribute: Cow<'static, str>,
        conditional: bool,
        depth: usize,
    ) {
        let facts = ElementFacts {
            name: "style",
            style_loads: false,
            width: None,
            height: None,
            hidden: None,
        };
        self.push(url, role, attribute, &facts, conditional, depth);
    }

    /// `data:` URLs load nothing themselves, but an HTML or SVG document inside one can load
    /// remote URLs: parse it and report what it loads.
    fn follow_data_document(
        &mut self,
        url: &str,
        attribute: &str,
        hidden: Option<&'static str>,
        depth: usize,
    ) -> bool {
        let url = url.trim_ascii();
        if !crate::ascii::starts_with_ignore_case(url, "data:") {
            return false;
        }
        let Some((meta, data)) = data_url(url) else {
            return true;
        };
        if depth >= MAX_NESTING
            || !(meta.starts_with("text/html") || meta.starts_with("image/svg+xml"))
        {
            return true;
        }
        let decoded = if meta.ends_with(";base64") {
            use base64::Engine;
            let compact: String = data.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact.trim_end_matches('='))
                .or_else(|_| {
                    base64::engine::general_purpose::STANDARD_NO_PAD
                        .decode(compact.trim_end_matches('='))
                })
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        } else {
            Some(
                percent_encoding::percent_decode_str(data)
                    .decode_utf8_lossy()
                    .into_owned(),
            )
        };
        if let Some(document) = decoded {
            let before = self.out.len();
            self.document(&document, hidden, depth + 1, false);
            for resource in &mut self.out[before..] {
                resource.attribute = format!("{attribute} data: {}", resource.attribute).into();
            }
        }
        true
    }
}

/// An element's name for its resources, without a copy for the elements that carry nearly
/// every URL of a mail (a message has dozens of them, each with a name).
fn element_name(name: &str) -> Cow<'static, str> {
    match name {
        "a" => Cow::Borrowed("a"),
        "img" => Cow::Borrowed("img"),
        "td" => Cow::Borrowed("td"),
        "table" => Cow::Borrowed("table"),
        "div" => Cow::Borrowed("div"),
        "body" => Cow::Borrowed("body"),
        "link" => Cow::Borrowed("link"),
        "source" => Cow::Borrowed("source"),
        "v:fill" => Cow::Borrowed("v:fill"),
        "style" => Cow::Borrowed("style"),
        _ => Cow::Owned(name.to_owned()),
    }
}

/// Whether an element has an attribute through which it can load or link anything;
/// `style_loads` tells whether its inline style can.
fn may_load(element: &Tag, style_loads: bool) -> bool {
    element.name == "style"
        || element.attrs.iter().any(|(attr, _)| match attr.as_ref() {
            "style" => style_loads,
            name => is_url_attribute(name),
        })
}

/// Whether an inline style can name a URL at all: `url(`, an `image-set(` of bare strings, or
/// escapes that could spell either. Most styles of a table layout have no parenthesis, and
/// are told apart by one vectorised byte search.
fn style_may_load(style: &str) -> bool {
    memchr::memchr2(b'(', b'\\', style.as_bytes()).is_some()
        && (memchr::memchr(b'\\', style.as_bytes()).is_some()
            || finder(&LOAD_WORDS, &["url(", "image-set("]).is_match(style))
}

static LOAD_WORDS: OnceLock<Words> = OnceLock::new();

/// Every attribute `Walker::element` reads a URL from.
fn is_url_attribute(name: &str) -> bool {
    matches!(
        name,
        "src"
            | "srcset"
            | "lowsrc"
            | "dynsrc"
            | "href"
            | "xlink:href"
            | "background"
            | "poster"
            | "data"
            | "action"
            | "action-xhr"
            | "formaction"
            | "content"
            | "ping"
            | "srcdoc"
    )
}

fn css_role(context: &str) -> Role {
    if context == "@import" {
        Role::Stylesheet
    } else if context.starts_with("@font-face") {
        Role::Font
    } else {
        Role::Background
    }
}

/// Why an element is not displayed, judged from its own attributes and inline style.
fn hidden_reason(element: &Tag, style: Option<&Declarations<'_>>) -> Option<&'static str> {
    if element.attr("hidden").is_some() {
        return Some("hidden attribute");
    }
    style.and_then(style_hiding).map(|hiding| hiding.reason)
}

fn srcset_urls(set: &str) -> impl Iterator<Item = &str> {
    set.split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .filter(|url| !url.is_empty())
}

/// A `data:` URL's head, lower-cased (its media type and `;base64`), and its data; `None` for
/// any other URL and for a `data:` URL without the comma that starts its data.
fn data_url(url: &str) -> Option<(String, &str)> {
    if !crate::ascii::starts_with_ignore_case(url, "data:") {
        return None;
    }
    let (meta, data) = url[5..].split_once(',')?;
    Some((meta.to_ascii_lowercase(), data))
}

/// The pixel size a `data:` GIF or PNG declares in its header (`data:image/gif;base64,R0lGOD…`):
/// a picture whose fallback is a 1×1 inline image is drawn 1×1, whatever its sources load.
fn data_image_size(url: &str) -> Option<(Option<f32>, Option<f32>)> {
    use base64::Engine;
    let (meta, data) = data_url(url)?;
    let media = meta.strip_suffix(";base64")?;
    // 32 characters hold 24 bytes: a PNG's signature, its IHDR chunk's head and the size.
    let text = &data.as_bytes()[..data.len().min(32)];
    let text = &text[..text.len() / 4 * 4];
    let mut bytes = [0u8; 24];
    let len = base64::engine::general_purpose::STANDARD
        .decode_slice(text, &mut bytes)
        .ok()?;
    let bytes = &bytes[..len];
    let (width, height) = match media {
        "image/gif" if bytes.len() >= 10 && bytes.starts_with(b"GIF8") => (
            u16::from_le_bytes([bytes[6], bytes[7]]).into(),
            u16::from_le_bytes([bytes[8], bytes[9]]).into(),
        ),
        "image/png" if bytes.len() >= 24 && bytes[12..16] == *b"IHDR" => (
            u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]),
            u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]),
        ),
        _ => return None,
    };
    // Pixel sizes of real images are far below where f32 stops being exact.
    Some((Some(width as f32), Some(height as f32)))
}

/// `0; url=https://…` → the URL.
fn refresh_url(content: &str) -> Option<&str> {
    let lower = content.to_ascii_lowercase();
    let pos = lower.find("url")?;
    let rest = content[pos + 3..].trim_start();
    let rest = rest.strip_prefix('=')?.trim();
    Some(rest.trim_matches(['"', '\'']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_resolve() {
        assert!(resolve("HTTPS://Shop.example/a", None).is_some());
        assert!(resolve("//cdn.example/p.gif", None).is_some());
        for raw in [
            "mailto:a@b.example",
            "data:image/gif;base64,R0lGOD",
            "cid:logo",
            "tel:+1",
        ] {
            assert!(resolve(raw, None).is_none(), "{raw}");
        }
        assert_eq!(written_scheme("c:/x"), Some("c"));
        assert_eq!(written_scheme("/a:b"), None);
        assert_eq!(written_scheme("a/b:c"), None);
    }

    fn found(html: &str) -> Vec<(String, Role, String)> {
        extract(html, 1)
            .into_iter()
            .map(|r| (r.url, r.role, format!("{} {}", r.element, r.attribute)))
            .collect()
    }

    fn has(all: &[(String, Role, String)], url: &str, role: Role, place: &str) -> bool {
        all.iter()
            .any(|(u, r, p)| u == url && *r == role && p == place)
    }

    #[test]
    fn every_open_time_load_is_found() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="https://t.example/s.css">
            <link rel="dns-prefetch" href="//t.example">
            <style>@import url("https://t.example/i.css"); .x{background-image:url(https://t.example/bg.png)}
                   @font-face{font-family:F;src:url(https://t.example/f.woff)}</style>
            <meta http-equiv="refresh" content="0; url=https://t.example/r">
            </head><body background="https://t.example/body.jpg">
            <table><tr><td background="https://t.example/td.jpg" style="background:url('https://t.example/st.png')">
            <img src="https://t.example/a.png" srcset="https://t.example/a2.png 2x, https://t.example/a3.png 3x">
            <picture><source srcset="https://t.example/p.webp"></picture>
            <input type="image" src="https://t.example/in.png">
            <video poster="https://t.example/poster.jpg"><source src="https://t.example/v.mp4"></video>
            <audio src="https://t.example/a.mp3"></audio>
            <iframe src="https://t.example/frame"></iframe>
            <object data="https://t.example/obj"></object><embed src="https://t.example/emb">
            <svg><image href="https://t.example/svg.png"/><feImage href="https://t.example/fe.png"/></svg>
            <a href="https://shop.example/item" ping="https://t.example/ping">item</a>
            <form action="https://t.example/form"></form>
            </td></tr></table></body></html>"#;
        let all = found(html);
        for (url, role, place) in [
            (
                "https://t.example/s.css",
                Role::Stylesheet,
                "link href (rel=stylesheet)",
            ),
            (
                "//t.example",
                Role::Prefetch,
                "link href (rel=dns-prefetch)",
            ),
            (
                "https://t.example/i.css",
                Role::Stylesheet,
                "style <style> @import",
            ),
            (
                "https://t.example/bg.png",
                Role::Background,
                "style <style> background-image",
            ),
            (
                "https://t.example/f.woff",
                Role::Font,
                "style <style> @font-face src",
            ),
            ("https://t.example/r", Role::Refresh, "meta content"),
            (
                "https://t.example/body.jpg",
                Role::Background,
                "body background",
            ),
            (
                "https://t.example/td.jpg",
                Role::Background,
                "td background",
            ),
            (
                "https://t.example/st.png",
                Role::Background,
                "td style background",
            ),
            ("https://t.example/a.png", Role::Image, "img src"),
            ("https://t.example/a3.png", Role::Image, "img srcset"),
            ("https://t.example/p.webp", Role::Image, "source srcset"),
            ("https://t.example/in.png", Role::Image, "input src"),
            ("https://t.example/poster.jpg", Role::Media, "video poster"),
            ("https://t.example/v.mp4", Role::Media, "source src"),
            ("https://t.example/a.mp3", Role::Media, "audio src"),
            ("https://t.example/frame", Role::Frame, "iframe src"),
            ("https://t.example/obj", Role::Object, "object data"),
            ("https://t.example/emb", Role::Object, "embed src"),
            ("https://t.example/svg.png", Role::Image, "image href"),
            ("https://t.example/fe.png", Role::Image, "feimage href"),
            ("https://shop.example/item", Role::Link, "a href"),
            ("https://t.example/ping", Role::Ping, "a ping"),
            ("https://t.example/form", Role::Form, "form action"),
        ] {
            assert!(
                has(&all, url, role, place),
                "missing {url} {role:?} {place}: {all:#?}"
            );
        }
    }

    #[test]
    fn outlook_conditional_comments_and_vml_are_read() {
        let html = r#"<body><!--[if mso]><v:rect><v:fill type="tile" src="https://t.example/vml.gif"/></v:rect><![endif]--></body>"#;
        let resources = extract(html, 0);
        let vml = resources
            .iter()
            .find(|r| r.url == "https://t.example/vml.gif")
            .expect("VML found");
        assert!(vml.conditional);
        assert_eq!(vml.element, "v:fill");
    }

    #[test]
    fn a_pictures_sources_take_its_images_size() {
        let gif_1x1 =
            "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
        let html = format!(
            r#"<picture><source srcset="https://t.example/a"><img src="{gif_1x1}"></picture>
            <picture><source srcset="https://t.example/b 1x, https://t.example/c 2x">
              <img src="https://t.example/fallback.png" width="1" height="1"></picture>
            <picture><source srcset="https://t.example/d" width="600" height="300">
              <img src="{gif_1x1}"></picture>
            <picture><source srcset="https://t.example/e"><img src="https://t.example/f.png"></picture>"#
        );
        let resources = extract(&html, 0);
        let size = |end: &str| {
            let r = resources.iter().find(|r| r.url.ends_with(end)).unwrap();
            (r.width, r.height)
        };
        for tiny in ["/a", "/b", "/c"] {
            assert_eq!(size(tiny), (Some(1.0), Some(1.0)), "{tiny}");
        }
        // A source's own size stands; an image of no known size gives none.
        assert_eq!(size("/d"), (Some(600.0), Some(300.0)));
        assert_eq!(size("/e"), (None, None));
    }

    #[test]
    fn the_size_in_a_data_images_header() {
        let png_1x1 = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=";
        assert_eq!(data_image_size(png_1x1), Some((Some(1.0), Some(1.0))));
        assert_eq!(
            data_image_size(
                "DATA:image/PNG;base64,iVBORw0KGgoAAAANSUhEUgAAAlgAAAEsCAYAAAAfPc2WAAAC"
            ),
            Some((Some(600.0), Some(300.0)))
        );
        assert_eq!(
            data_image_size("data:image/gif;base64,R0lGODlhgAICAIAAAA=="),
            Some((Some(640.0), Some(2.0)))
        );
        for unreadable in [
            "data:image/gif,GIF89a%01%00%01%00",
            "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ",
            "data:image/png;base64,€€€€€€€€€€€€€€€€€€€€€",
            "data:image/gif;base64,R0lG",
            "https://t.example/x.gif",
            "data:",
        ] {
            assert_eq!(data_image_size(unreadable), None, "{unreadable}");
        }
    }

    #[test]
    fn entities_base_and_protocol_relative_urls_are_resolved() {
        let html = r#"<head><base href="https://cdn.example/mail/"></head><body>
            <img src="https://t.example/o?a=1&amp;b=2"><img src="px.gif"><img src="//t.example/p"></body>"#;
        let resources = extract(html, 0);
        assert_eq!(resources[0].url, "https://t.example/o?a=1&b=2");
        assert_eq!(
            resources[1].absolute.as_ref().unwrap().as_str(),
            "https://cdn.example/mail/px.gif"
        );
        assert_eq!(
            resources[2].absolute.as_ref().unwrap().as_str(),
            "https://t.example/p"
        );
    }

    #[test]
    fn cid_and_data_images_load_nothing_but_data_documents_are_searched() {
        let svg = "data:image/svg+xml;base64,PHN2Zz48aW1hZ2UgaHJlZj0iaHR0cHM6Ly90LmV4YW1wbGUvaW4tc3ZnLmdpZiIvPjwvc3ZnPg==";
        let html = format!(
            r#"<img src="cid:logo@x"><img src="data:image/gif;base64,R0lGOD"><img src="{svg}">"#
        );
        let resources = extract(&html, 0);
        assert!(resources[0].absolute.is_none());
        assert!(!resources
            .iter()
            .any(|r| r.url.starts_with("data:image/gif")));
        let inner = resources
            .iter()
            .find(|r| r.url == "https://t.example/in-svg.gif")
            .expect("SVG content searched");
        assert!(inner.attribute.contains("data:"));
    }

    #[test]
    fn size_and_hiding_are_recorded_from_attributes_css_and_ancestors() {
        let html = r#"<div style="display:none"><img src="https://t.example/a"></div>
            <img src="https://t.example/b" width="1" height="1">
            <img src="https://t.example/c" style="width:0px;height:0px">
            <div style="max-height:0;overflow:hidden"><img src="https://t.example/d" width="600"></div>
            <img src="https://t.example/e" style="position:absolute;left:-9999px">"#;
        let resources = extract(html, 0);
        let by = |u: &str| resources.iter().find(|r| r.url.ends_with(u)).unwrap();
        assert_eq!(by("/a").hidden, Some("display:none"));
        assert_eq!((by("/b").width, by("/b").height), (Some(1.0), Some(1.0)));
        assert_eq!(by("/c").width, Some(0.0));
        assert_eq!(by("/d").hidden, Some("zero size with overflow:hidden"));
        assert_eq!(by("/e").hidden, Some("positioned off-screen"));
    }

    #[test]
    fn boxes_scaled_or_clipped_to_nothing_are_hidden_and_partial_ones_are_not() {
        let hidden = |style: &str| {
            let html = format!(r#"<img src="https://t.example/p.gif" style="{style}">"#);
            extract(&html, 0)[0].hidden
        };
        let scaled = Some("transform:scale(0)");
        assert_eq!(hidden("transform:scale(0)"), scaled);
        assert_eq!(hidden("transform: translateX(4px) scaleY(0.0)"), scaled);
        assert_eq!(hidden("transform:scale3d(1, 0, 1)"), scaled);
        assert_eq!(hidden("scale: 1 0%"), scaled);
        assert_eq!(hidden("transform:scale(0.5) scaleZ(0)"), None);
        assert_eq!(hidden("transform:scale(1, 2)"), None);
        let clipped = Some("clip:rect(0 0 0 0)");
        assert_eq!(hidden("position:absolute;clip:rect(0 0 0 0)"), clipped);
        assert_eq!(hidden("position:fixed;clip:rect(1px,1px,1px,1px)"), clipped);
        // `clip` does nothing to a box that is not positioned, or that keeps an area.
        assert_eq!(hidden("clip:rect(0 0 0 0)"), None);
        assert_eq!(
            hidden("position:absolute;clip:rect(0, 20px, 20px, 0)"),
            None
        );
        assert_eq!(
            hidden("position:absolute;clip:rect(auto auto auto auto)"),
            None
        );
        let path = Some("clip-path to nothing");
        assert_eq!(hidden("clip-path:inset(50%)"), path);
        assert_eq!(hidden("clip-path:inset(0 60% 0 40% round 4px)"), path);
        assert_eq!(hidden("clip-path:circle(0)"), path);
        assert_eq!(hidden("clip-path:inset(10% 20%)"), None);
        assert_eq!(hidden("clip-path:circle(40%)"), None);
    }

    #[test]
    fn pathological_nesting_is_read_in_bounded_depth_and_its_urls_still_found() {
        let html = format!(
            "{}<img src=\"https://t.example/o/AbC123dEf456GhI789\" width=1 height=1>{}",
            "<div>".repeat(5_000),
            "</div>".repeat(5_000)
        );
        let (found, notes) = extract_limited(&html, 0, &Limits::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].width, Some(1.0));
        assert!(notes[0].contains("max_html_depth"));
    }

    #[test]
    fn hiding_follows_the_elements_a_parser_would_close() {
        // A cell without its end tag is closed by the next cell; a stray end tag inside a cell
        // does not close the hidden table around it; content written straight into a table is
        // moved out of it, away from the table's hiding.
        let html = r#"<table><tr><td style="display:none"><img src="https://t.example/a"><td><img src="https://t.example/b"></table>
            <div style="display:none"><table><tr><td></div><img src="https://t.example/c"></td></tr></table></div>
            <div><table style="display:none"><img src="https://t.example/d"><tr><td><img src="https://t.example/e"></td></tr></table></div>
            <p style="display:none">x<div><img src="https://t.example/f"></div>"#;
        let resources = extract(html, 0);
        let hidden = |u: &str| {
            resources
                .iter()
                .find(|r| r.url.ends_with(u))
                .unwrap()
                .hidden
                .is_some()
        };
        assert!(hidden("/a"));
        assert!(!hidden("/b"));
        assert!(hidden("/c"));
        assert!(!hidden("/d"));
        assert!(hidden("/e"));
        assert!(!hidden("/f"));
    }

    #[test]
    fn styles_that_may_load_or_hide() {
        let clues = |style: &str| (style_may_load(style), style_may_hide(style));
        assert_eq!(clues("color:#333;font-size:14px"), (false, false));
        assert_eq!(clues("DISPLAY:NONE;background:URL(x.gif)"), (true, true));
        assert_eq!(clues("color:rgb(0,0,0);visibility:hidden"), (false, true));
        assert_eq!(clues("content:image-set('a.png' 1x)"), (true, false));
        assert_eq!(clues("mso-hidden:all"), (false, true));
        assert_eq!(clues("color:red /* x */"), (false, true));
        // An escape could spell any word.
        assert_eq!(clues("b\\61 ckground:u\\72l(x)"), (true, true));
        // Values a table layout repeats do not send its styles to be parsed.
        assert_eq!(
            clues("border-collapse:collapse;text-decoration:none;border:none"),
            (false, false)
        );
    }

    /// Styles are judged once per distinct text: a repeat gets its own text's verdict.
    #[test]
    fn repeated_styles_are_each_judged_by_their_own_text() {
        let cell = |style: &str, n: usize| {
            format!("<td style=\"{style}\"><img src=\"https://i.example/{n}.png\"></td>")
        };
        let (shown, hidden) = ("color:red;padding:1px", "color:red;display:none");
        let rows = [
            cell(shown, 1),
            cell(hidden, 2),
            cell(shown, 3),
            cell(hidden, 4),
            cell(hidden, 5),
        ]
        .concat();
        let html = format!("<table><tr>{rows}</tr></table>");
        let hidden: Vec<bool> = extract(&html, 0)
            .iter()
            .map(|resource| resource.hidden.is_some())
            .collect();
        assert_eq!(hidden, [false, true, false, true, true]);
    }

    /// The hiding words only spare parsing: no style they pass over hides its element.
    #[test]
    fn a_style_the_hiding_words_pass_over_hides_nothing() {
        // Every declaration `hidden_reason` looks for, and the ones a table layout repeats.
        const PARTS: &[&str] = &[
            "display:none",
            "DISPLAY: None",
            "display:block",
            // Spelled with an escape (`\69` is `i`) or a comment, which no hiding word finds.
            "d\\69splay:none",
            "vis/**/ibility:hidden",
            "visibility:hidden",
            "visibility:collapse",
            "opacity:0",
            "opacity:0%",
            "opacity:0.5",
            "mso-hide:all",
            "overflow:hidden",
            "height:0",
            "max-height:0px",
            "width:0",
            "position:absolute",
            "position:fixed",
            "left:-9999px",
            "top:-600px",
            "transform:scale(0)",
            "transform:translateX(2px) scaleY(0)",
            "TRANSFORM:SCALE(1)",
            "scale:1 0",
            "clip:rect(0 0 0 0)",
            "clip:rect(0px,10px,10px,0px)",
            "clip-path:inset(50%)",
            "clip-path:circle(0)",
            "clip-path:inset(10% 20%)",
            "border-collapse:collapse",
            "text-decoration:none",
            "border:none",
            "list-style:none",
            "color:#333",
            "padding:0",
        ];
        let (mut hiding, mut passed_over) = (0, 0);
        for first in PARTS {
            for second in PARTS {
                for third in ["", "left:-800px", "height:0"] {
                    let style = [*first, second, third].join(";");
                    let html = format!("<td style=\"{style}\">");
                    let Some(Token::Start(tag)) = tokens(&html).next() else {
                        panic!("{html} is a start tag");
                    };
                    let parsed = declarations(&style);
                    let hides = hidden_reason(&tag, Some(&parsed));
                    if style_may_hide(&style) {
                        hiding += usize::from(hides.is_some());
                    } else {
                        passed_over += 1;
                        assert_eq!(hides, None, "{style}");
                    }
                }
            }
        }
        // Both sides were tried: styles that hide, and styles passed over.
        assert!(hiding > 100 && passed_over > 50, "{hiding} {passed_over}");
    }

    /// `url_end` stops where the character search it replaced stopped, non-ASCII included.
    #[test]
    fn plain_text_urls_end_where_a_character_search_ends_them() {
        let reference = |tail: &str| {
            tail.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
                .unwrap_or(tail.len())
        };
        for tail in [
            "https://a.example/x y",
            "https://a.example/caf\u{e9}\u{a0}next",
            "https://a.example/\u{2003}em-space",
            "https://a.example/x\u{b}vt",
            "https://a.example/\u{1f600}>",
            "https://a.example/'q'",
            "https://a.example/end",
            "",
        ] {
            assert_eq!(url_end(tail), reference(tail), "{tail:?}");
        }
        // Every ASCII byte and a few others at every place around the blocks' edges, which
        // `plain_url_blocks` passes whole.
        let others = ['\u{a0}', '\u{e9}', '\u{2003}', '\u{1f600}'];
        for offset in 0..2 * URL_BLOCK + 2 {
            for c in (0..=127u8).map(char::from).chain(others) {
                let tail = format!("{}{c}b c", "a".repeat(offset));
                assert_eq!(url_end(&tail), reference(&tail), "{tail:?}");
            }
        }
    }

    #[test]
    fn url_attributes_lose_ascii_whitespace_only() {
        // HTML strips ASCII whitespace from a URL attribute's ends; a no-break space is part of
        // the URL, which then is relative, and with no base requests nothing.
        let html = "<img src=\" \t\nhttps://t.example/a.gif\r\n\"><img src=\"&nbsp;https://t.example/b.gif\">";
        let resources = extract(html, 0);
        let requested: Vec<Option<&str>> = resources
            .iter()
            .map(|r| r.absolute.as_ref().map(WebUrl::as_str))
            .collect();
        assert_eq!(requested, [Some("https://t.example/a.gif"), None]);
        assert_eq!(resources[0].url, "https://t.example/a.gif");
    }

    #[test]
    fn iframe_srcdoc_is_followed() {
        let html = r#"<iframe srcdoc="<img src='https://t.example/inner.gif'>"></iframe>"#;
        assert!(extract(html, 0)
            .iter()
            .any(|r| r.url == "https://t.example/inner.gif"));
    }

    #[test]
    fn urls_in_plain_text_are_links() {
        let links = text_links(
            "See https://click.example/c/AbC123. Or (http://x.example/y).",
            2,
        );
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://click.example/c/AbC123", "http://x.example/y"]
        );
    }
}
