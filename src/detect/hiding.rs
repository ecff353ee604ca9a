//! What keeps an element out of sight: its own style (`display:none`, `opacity:0`, a box
//! scaled or clipped to nothing, one positioned off-screen …) and the rules a document's
//! `<style>` blocks set on classes and ids (`.preview-pixel { display: none }`). A hidden
//! remote image is a beacon whatever its size (beacon.rs).

use super::css::{declarations, declarations_of_readable, length_px, Declarations};
use super::finder;
use super::tokenizer::Tag;
use crate::byte_search::Words;
use foldhash::HashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Whether an inline style could hide its element: it names one of the properties (or, for
/// `overflow`, the value) `style_hiding` looks for, or it is written with escapes or comments
/// that could spell one. Property names, not values like `none` and `collapse`: a table
/// layout writes `border-collapse:collapse` and `text-decoration:none` on cell after cell, and
/// each sent its style to be parsed for nothing.
pub(super) fn style_may_hide(style: &str) -> bool {
    const WORDS: &[&str] = &[
        "display",
        "visibility",
        "hidden",
        "opacity",
        "mso-hide",
        "position",
        "scale",
        "clip",
    ];
    // The escape and the comment are looked for apart: among the words, a one-byte word made
    // the packed search stop to check at a third of a style's bytes.
    memchr::memchr(b'\\', style.as_bytes()).is_some()
        || crate::byte_search::contains_short(style, "/*")
        || finder(&HIDING_WORDS, WORDS).is_match(style)
}

static HIDING_WORDS: OnceLock<Words> = OnceLock::new();

/// The properties `style_hiding` reads, in the order of its slots.
const READ: [&str; 16] = [
    "display",
    "visibility",
    "opacity",
    "mso-hide",
    "transform",
    "scale",
    "clip-path",
    "overflow",
    "max-height",
    "height",
    "max-width",
    "width",
    "position",
    "left",
    "top",
    "clip",
];
const DISPLAY: usize = 0;
const VISIBILITY: usize = 1;
const OPACITY: usize = 2;
const MSO_HIDE: usize = 3;
const TRANSFORM: usize = 4;
const SCALE: usize = 5;
const CLIP_PATH: usize = 6;
const OVERFLOW: usize = 7;
const MAX_HEIGHT: usize = 8;
const HEIGHT: usize = 9;
const MAX_WIDTH: usize = 10;
const WIDTH: usize = 11;
const POSITION: usize = 12;
const LEFT: usize = 13;
const TOP: usize = 14;
const CLIP: usize = 15;

/// Why declarations keep their element out of sight, if they do.
pub(super) fn style_hiding(declarations: &Declarations<'_>) -> Option<&'static Hiding> {
    // The last value of each property read, gathered in one pass over the declarations: asked
    // for one by one, a style's declarations were searched sixteen times.
    let mut values: [Option<&str>; READ.len()] = [None; READ.len()];
    for (name, value) in declarations.iter() {
        let slot = READ
            .iter()
            .position(|read| read.len() == name.len() && read.eq_ignore_ascii_case(name));
        if let Some(slot) = slot {
            values[slot] = Some(value);
        }
    }
    let css = |slot: usize| values[slot];
    let css_is = |slot: usize, words: &[&str]| {
        css(slot).is_some_and(|v| words.iter().any(|word| v.eq_ignore_ascii_case(word)))
    };
    if css_is(DISPLAY, &["none"]) {
        return Some(&DISPLAY_NONE);
    }
    if css_is(VISIBILITY, &["hidden", "collapse"]) {
        return Some(&VISIBILITY_HIDDEN);
    }
    if css(OPACITY).is_some_and(|v| {
        let v = v.trim_end_matches('%');
        v.parse::<f32>().is_ok_and(|o| o <= 0.0)
    }) {
        return Some(&OPACITY_0);
    }
    if css_is(MSO_HIDE, &["all"]) {
        return Some(&MSO_HIDE_ALL);
    }
    if css(TRANSFORM).is_some_and(scales_to_nothing)
        || css(SCALE).is_some_and(|v| any_zero_of_two(v.split_ascii_whitespace()))
    {
        return Some(&SCALED);
    }
    if css(CLIP_PATH).is_some_and(clips_path_to_nothing) {
        return Some(&CLIPPED_PATH);
    }
    let zero = |slots: [usize; 2]| {
        slots
            .iter()
            .filter_map(|&slot| css(slot))
            .any(|v| length_px(v).is_some_and(|px| px <= 0.0))
    };
    if css_is(OVERFLOW, &["hidden"]) && (zero([MAX_HEIGHT, HEIGHT]) || zero([MAX_WIDTH, WIDTH])) {
        return Some(&COLLAPSED);
    }
    let positioned = css_is(POSITION, &["absolute", "fixed"]);
    let far = |slot: usize| css(slot).and_then(length_px).is_some_and(|px| px <= -500.0);
    if positioned && (far(LEFT) || far(TOP)) {
        return Some(&OFF_SCREEN);
    }
    // `clip` applies to positioned boxes only; "visually hidden" styles write `rect(0 0 0 0)`.
    if positioned && css(CLIP).is_some_and(clips_to_nothing) {
        return Some(&CLIPPED);
    }
    None
}

/// The arguments of each call of a CSS function in `value` whose name is one of `names` (any
/// case): `scale(0, 1)` → `["0", "1"]`.
fn function_args<'v>(
    value: &'v str,
    names: &'static [&'static str],
) -> impl Iterator<Item = (&'static str, Vec<&'v str>)> + 'v {
    let mut rest = value;
    std::iter::from_fn(move || loop {
        let open = rest.find('(')?;
        let before = &rest[..open];
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |at| at + 1);
        let name = &before[name_start..];
        let close = rest[open..].find(')').map_or(rest.len(), |at| open + at);
        let args = &rest[open + 1..close];
        rest = rest.get(close + 1..).unwrap_or_default();
        if let Some(&known) = names.iter().find(|n| n.eq_ignore_ascii_case(name)) {
            let args = args
                .split(|c: char| c == ',' || c.is_ascii_whitespace())
                .filter(|a| !a.is_empty())
                .collect();
            return Some((known, args));
        }
    })
}

/// A number or percentage of zero (`0`, `0.0`, `0%`).
fn is_zero(text: &str) -> bool {
    text.trim_end_matches('%')
        .parse::<f32>()
        .is_ok_and(|n| n == 0.0)
}

/// Whether the first of two scale factors, or the second (the first again when alone), is 0.
fn any_zero_of_two<'a>(mut factors: impl Iterator<Item = &'a str>) -> bool {
    let Some(x) = factors.next() else {
        return false;
    };
    is_zero(x) || factors.next().is_some_and(is_zero)
}

/// Whether a `transform` shrinks its box to nothing across or down: `scale(0)`, `scaleY(0)`,
/// `scale3d(1, 0, 1)`.
fn scales_to_nothing(transform: &str) -> bool {
    const SCALES: &[&str] = &["scale", "scalex", "scaley", "scale3d"];
    function_args(transform, SCALES).any(|(name, args)| match name {
        "scalex" | "scaley" => args.first().is_some_and(|a| is_zero(a)),
        _ => any_zero_of_two(args.into_iter()),
    })
}

/// Whether a `clip: rect(top, right, bottom, left)` leaves no area: its right edge at or left
/// of its left one, or its bottom at or above its top.
fn clips_to_nothing(clip: &str) -> bool {
    function_args(clip, &["rect"]).any(|(_, args)| {
        let edges: Vec<Option<f32>> = args.iter().map(|a| length_px(a)).collect();
        let [Some(top), Some(right), Some(bottom), Some(left)] = edges[..] else {
            return false;
        };
        right <= left || bottom <= top
    })
}

/// Whether a `clip-path` leaves no area: `inset()` of half the box or more from opposite sides
/// (`inset(50%)`), or a `circle(0)`.
fn clips_path_to_nothing(path: &str) -> bool {
    const SHAPES: &[&str] = &["inset", "circle"];
    function_args(path, SHAPES).any(|(name, args)| {
        if name == "circle" {
            return args
                .first()
                .is_some_and(|r| is_zero(r) || length_px(r) == Some(0.0));
        }
        // One to four percentages, as margins are written (top, right, bottom, left), before
        // any `round` of the corners.
        let insets: Vec<Option<f32>> = args
            .iter()
            .take_while(|a| !a.eq_ignore_ascii_case("round"))
            .map(|a| a.strip_suffix('%').and_then(|a| a.parse().ok()))
            .collect();
        let at = |i: usize| insets.get(i).copied().flatten();
        let (top, right) = (at(0), if insets.len() > 1 { at(1) } else { at(0) });
        let bottom = if insets.len() > 2 { at(2) } else { top };
        let left = if insets.len() > 3 { at(3) } else { right };
        let covers = |a: Option<f32>, b: Option<f32>| a.zip(b).is_some_and(|(a, b)| a + b >= 100.0);
        covers(top, bottom) || covers(left, right)
    })
}

/// Why declarations hide their element: the words a finding's evidence gives, and the
/// properties the reason reads. An element's own style that sets any of them decides instead of
/// a `<style>` rule, as the cascade has an inline style win over a rule without `!important`.
/// (A rule's `!important` is not told apart: the element's own style is taken to win, which
/// can only leave an image taken as shown.)
pub(super) struct Hiding {
    pub(super) reason: &'static str,
    reads: &'static [&'static str],
}

const fn hiding(reason: &'static str, reads: &'static [&'static str]) -> Hiding {
    Hiding { reason, reads }
}

static DISPLAY_NONE: Hiding = hiding("display:none", &["display"]);
static VISIBILITY_HIDDEN: Hiding = hiding("visibility:hidden", &["visibility"]);
static OPACITY_0: Hiding = hiding("opacity:0", &["opacity"]);
static MSO_HIDE_ALL: Hiding = hiding("mso-hide:all", &["mso-hide"]);
static SCALED: Hiding = hiding("transform:scale(0)", &["transform", "scale"]);
static CLIPPED_PATH: Hiding = hiding("clip-path to nothing", &["clip-path"]);
static COLLAPSED: Hiding = hiding(
    "zero size with overflow:hidden",
    &["overflow", "height", "max-height", "width", "max-width"],
);
static OFF_SCREEN: Hiding = hiding("positioned off-screen", &["position", "left", "top"]);
static CLIPPED: Hiding = hiding("clip:rect(0 0 0 0)", &["position", "clip"]);

/// Most hiding rules a document's stylesheets keep, and most selectors they keep as shown
/// again: real mail has a handful; a hostile one is bounded.
const MAX_RULES: usize = 256;
/// Most stylesheet text `ClassRules` keeps while nothing hides: a part's `<style>` blocks
/// are seldom more than a few tens of kilobytes.
const MAX_EARLIER_BYTES: usize = 1 << 20;
/// Up to this many selectors, an element is tried against each rather than looked up.
const FEW_SELECTORS: usize = 8;
/// Most selectors kept under one class or id name (`.a.b1`, `.a.b2`, … all under `.a`).
const MAX_PER_NAME: usize = 8;
/// How deep `@media` blocks are read inside each other; deeper ones are passed over.
const MAX_BLOCK_DEPTH: usize = 4;

/// The rules of a document's `<style>` blocks that hide elements by class or id.
///
/// Read are rules that apply on every screen: at the top level, or in an `@media` block
/// without a condition (`@media screen`). A rule in a media query with a condition
/// (`(max-width: 600px)`), in `@supports`, or in an Outlook-only block hides on some screens
/// only, and a selector that any rule shows again (`display:block` in a mobile query, the way
/// a mobile-only copy is written) is taken as shown. Only selectors of one element are read
/// (`.pixel`, `#open`, `img.t.hide`): a descendant selector needs the ancestors' classes, which
/// the streaming pass does not keep, and a guess would hide what a mail program shows.
#[derive(Default)]
pub(super) struct ClassRules {
    hiding: SelectorIndex<&'static Hiding>,
    shown: SelectorIndex<()>,
    /// The stylesheets read while no rule hid anything (and whether each is Outlook's only),
    /// kept to be read for rules that show again once one does: a template may write its
    /// media queries in a `<style>` block before the one that hides.
    earlier: Vec<(String, bool)>,
    /// Their bytes, kept as they are added: summed on each `<style>`, a part of a hundred
    /// thousand small blocks would cost time in the square of their number.
    earlier_bytes: usize,
}

/// Selectors looked up by an element's class and id names rather than tried in turn: a
/// hostile document of a hundred thousand classed elements and hundreds of rules took a
/// second where it took a tenth.
struct SelectorIndex<T> {
    selectors: Vec<(Selector, T)>,
    /// Each selector's place under its first class (`.name`) or, without one, its first id
    /// (`#name`), at most `MAX_PER_NAME` under one name.
    by_name: HashMap<Box<str>, Vec<usize>>,
    /// The name being looked up, lower-cased and marked, reused.
    key: String,
}

impl<T> Default for SelectorIndex<T> {
    fn default() -> Self {
        SelectorIndex {
            selectors: Vec::new(),
            by_name: HashMap::default(),
            key: String::new(),
        }
    }
}

impl<T: Copy> SelectorIndex<T> {
    fn is_empty(&self) -> bool {
        self.selectors.is_empty()
    }

    fn insert(&mut self, selector: Selector, value: T) {
        if self.selectors.len() >= MAX_RULES {
            return;
        }
        let key = match (selector.classes.first(), selector.ids.first()) {
            (Some(class), _) => [".", class].concat(),
            (None, Some(id)) => ["#", id].concat(),
            (None, None) => return,
        };
        let places = self.by_name.entry(key.into_boxed_str()).or_default();
        if places.len() < MAX_PER_NAME {
            places.push(self.selectors.len());
            self.selectors.push((selector, value));
        }
    }

    /// The value of the first selector, in the order read, that matches `element`.
    fn find(&mut self, element: &Tag) -> Option<T> {
        // A handful of selectors, as real mail has, are tried in turn: cheaper than hashing
        // each of an element's names.
        if self.selectors.len() <= FEW_SELECTORS {
            let (_, value) = self.selectors.iter().find(|(s, _)| s.matches(element))?;
            return Some(*value);
        }
        let classes = element.attr("class").unwrap_or_default();
        let id = element
            .attr("id")
            .map(str::trim_ascii)
            .filter(|id| !id.is_empty());
        let names = classes
            .split_ascii_whitespace()
            .map(|class| ('.', class))
            .chain(id.map(|id| ('#', id)));
        let mut first: Option<usize> = None;
        for (mark, name) in names {
            self.key.clear();
            self.key.push(mark);
            self.key
                .extend(name.chars().map(|c| c.to_ascii_lowercase()));
            let Some(places) = self.by_name.get(self.key.as_str()) else {
                continue;
            };
            let matching = places
                .iter()
                .copied()
                .filter(|&at| first.is_none_or(|f| at < f))
                .find(|&at| self.selectors[at].0.matches(element));
            first = matching.or(first);
        }
        first.map(|at| self.selectors[at].1)
    }
}

/// One compound selector, names lower-cased (mail HTML is mostly read in quirks mode, where
/// class and id names match in any case).
struct Selector {
    tag: Option<Box<str>>,
    ids: Vec<Box<str>>,
    classes: Vec<Box<str>>,
}

impl ClassRules {
    /// Reads a `<style>` block, made `css::readable`; `everywhere` is false for one that only
    /// some mail programs read (an Outlook conditional comment's), whose rules can only show
    /// elements again.
    pub(super) fn read(&mut self, css: &str, everywhere: bool) {
        if !style_may_hide(css) {
            return;
        }
        if everywhere {
            self.read_stylesheet(css, false, Pass::Hiding);
        }
        // Rules that show an element again matter only once a rule hides one, which few
        // stylesheets have: until then each is kept (copying it costs less than a pass).
        if self.hiding.is_empty() {
            if self.earlier_bytes + css.len() <= MAX_EARLIER_BYTES {
                self.earlier_bytes += css.len();
                self.earlier.push((css.to_owned(), !everywhere));
            }
            return;
        }
        for (text, outlook_only) in std::mem::take(&mut self.earlier) {
            self.read_stylesheet(&text, outlook_only, Pass::Showing);
        }
        self.read_stylesheet(css, !everywhere, Pass::Showing);
    }

    /// One pass over the stylesheet's braces, found by a vector search, with the `@media`
    /// blocks open kept on a stack. Strings are not told apart: a brace in a quoted font name
    /// or `content` value would end a rule early, and no hiding rule needs one.
    fn read_stylesheet(&mut self, text: &str, outlook_only: bool, pass: Pass) {
        let bytes = text.as_bytes();
        // For each open `@media` or `@supports` block: whether it applies on some screens only.
        let mut blocks: Vec<bool> = Vec::new();
        // Braces of a block that is passed over: an at-rule that styles no element
        // (`@font-face`, `@keyframes`), one nested too deep, or, when looking for what hides
        // everywhere, a media query with a condition.
        let mut skipping = 0usize;
        // Where the text before the next brace starts.
        let mut start = 0;
        while let Some(found) = memchr::memchr2(b'{', b'}', &bytes[start..]) {
            let at = start + found;
            let before = &text[start..at];
            start = at + 1;
            match bytes[at] {
                b'{' if skipping > 0 => skipping += 1,
                b'}' if skipping > 0 => skipping -= 1,
                b'}' => {
                    blocks.pop();
                }
                _ => {
                    // What follows the last statement (`@import url(x.css);`) names the block.
                    let prelude = before.rsplit(';').next().unwrap_or_default().trim_ascii();
                    if let Some(rule) = prelude.strip_prefix('@') {
                        let (name, query) = rule
                            .split_once(|c: char| c.is_ascii_whitespace())
                            .unwrap_or((rule, ""));
                        let media = name.eq_ignore_ascii_case("media");
                        let conditional = !(media && applies_on_every_screen(query));
                        let read = (media || name.eq_ignore_ascii_case("supports"))
                            && blocks.len() < MAX_BLOCK_DEPTH
                            && (pass == Pass::Showing || !conditional);
                        if read {
                            blocks.push(conditional);
                        } else {
                            skipping = 1;
                        }
                        continue;
                    }
                    // A style rule's declarations end at its `}`; a `{` inside them is an
                    // error CSS reads past, as here.
                    let end =
                        memchr::memchr(b'}', &bytes[start..]).map_or(bytes.len(), |e| start + e);
                    let conditional = outlook_only || blocks.iter().any(|&c| c);
                    if pass == Pass::Showing || !conditional {
                        self.read_rule(prelude, &text[start..end], pass);
                    }
                    start = (end + 1).min(bytes.len());
                }
            }
        }
    }

    fn read_rule(&mut self, selectors: &str, body: &str, pass: Pass) {
        // Most rules of a stylesheet name elements otherwise (`body`, `table td`, `a:hover`),
        // and most hide nothing: both are told before anything is kept.
        if !selectors.split(',').any(Selector::is_one_element) {
            return;
        }
        if pass == Pass::Hiding && !style_may_hide(body) {
            return;
        }
        let declarations = declarations_of_readable(Cow::Borrowed(body));
        let hiding = style_hiding(&declarations);
        let keep = match pass {
            Pass::Hiding => hiding.is_some(),
            Pass::Showing => hiding.is_none() && reveals(&declarations),
        };
        if !keep {
            return;
        }
        for selector in selectors.split(',').filter_map(Selector::parse) {
            match hiding {
                Some(reason) => self.hiding.insert(selector, reason),
                None => self.shown.insert(selector, ()),
            }
        }
    }

    /// Why the rules hide `element`, unless its own `style` sets what they set or a rule shows
    /// it again.
    #[inline]
    pub(super) fn hides(&mut self, element: &Tag) -> Option<&'static str> {
        // Asked of every element; most documents hide nothing by class.
        if self.hiding.is_empty() {
            return None;
        }
        self.hides_by_rules(element)
    }

    fn hides_by_rules(&mut self, element: &Tag) -> Option<&'static str> {
        let hiding = self.hiding.find(element)?;
        if self.shown.find(element).is_some() {
            return None;
        }
        let own = element.attr("style").map(declarations);
        let overridden = own
            .as_ref()
            .is_some_and(|own| hiding.reads.iter().any(|p| own.get(p).is_some()));
        (!overridden).then_some(hiding.reason)
    }
}

/// What `ClassRules::read_stylesheet` reads a stylesheet for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Rules that hide on every screen.
    Hiding,
    /// Rules anywhere that show an element again.
    Showing,
}

impl Selector {
    /// Whether `parse` can read it, told without keeping anything: only names, `.`, `#` and
    /// a leading `*`, with a class or an id.
    fn is_one_element(text: &str) -> bool {
        let text = text.trim_ascii();
        text.bytes().any(|b| b == b'.' || b == b'#')
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'#' | b'-' | b'_' | b'*'))
    }

    /// `img.pixel`, `.a.b`, `#open`, `*.x`; `None` for a selector of more than one element or
    /// with pseudo-classes, attributes or nothing to name an element by but its tag.
    fn parse(text: &str) -> Option<Selector> {
        let text = text.trim_ascii();
        let name_end = |s: &str| {
            s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(s.len())
        };
        let tag_len = name_end(text);
        let (tag, mut rest) = text.split_at(tag_len);
        let tag = match (tag, rest.strip_prefix('*')) {
            ("", Some(after)) => {
                rest = after;
                None
            }
            ("", None) => None,
            (tag, _) => Some(tag.to_ascii_lowercase().into_boxed_str()),
        };
        let (mut ids, mut classes) = (Vec::new(), Vec::new());
        while let Some(mark) = rest.chars().next() {
            let name = &rest[1..];
            let len = name_end(name);
            if len == 0 {
                return None;
            }
            let lower = name[..len].to_ascii_lowercase().into_boxed_str();
            match mark {
                '.' => classes.push(lower),
                '#' => ids.push(lower),
                _ => return None,
            }
            rest = &name[len..];
        }
        (!ids.is_empty() || !classes.is_empty()).then_some(Selector { tag, ids, classes })
    }

    fn matches(&self, element: &Tag) -> bool {
        if self.tag.as_deref().is_some_and(|tag| tag != element.name) {
            return false;
        }
        let id = element.attr("id").map(str::trim_ascii).unwrap_or_default();
        if !self.ids.iter().all(|want| want.eq_ignore_ascii_case(id)) {
            return false;
        }
        let class = element.attr("class").unwrap_or_default();
        self.classes.iter().all(|want| {
            class
                .split_ascii_whitespace()
                .any(|c| c.eq_ignore_ascii_case(want))
        })
    }
}

/// Whether a rule undoes hiding: it shows the element (`display` other than `none`,
/// `visibility:visible`, `opacity` above 0) or lets a collapsed one grow (`max-height:none`,
/// `overflow:visible`).
fn reveals(declarations: &Declarations<'_>) -> bool {
    let is =
        |property: &str, test: &dyn Fn(&str) -> bool| declarations.get(property).is_some_and(test);
    is("display", &|v| !v.eq_ignore_ascii_case("none"))
        || is("visibility", &|v| v.eq_ignore_ascii_case("visible"))
        || is("opacity", &|v| {
            v.trim_end_matches('%')
                .parse::<f32>()
                .is_ok_and(|o| o > 0.0)
        })
        || is("max-height", &|v| length_px(v).is_none_or(|px| px > 0.0))
        || is("overflow", &|v| v.eq_ignore_ascii_case("visible"))
}

/// Whether an `@media` rule's query holds on every screen: media types only (`screen`,
/// `all`, `only screen`), no feature in parentheses, and not for print.
fn applies_on_every_screen(query: &str) -> bool {
    let query = query.to_ascii_lowercase();
    !query.contains('(') && !query.contains("print") && !query.contains("not ")
}

#[cfg(test)]
mod tests {
    use super::super::html::extract;

    /// Whether each image (`/1`, `/2` …) of `body` under `style` is hidden, in order.
    fn hidden(style: &str, body: &str) -> Vec<Option<&'static str>> {
        let html = format!("<html><head><style>{style}</style></head><body>{body}</body></html>");
        extract(&html, 0)
            .iter()
            .filter(|r| r.url.starts_with("https://t.example/"))
            .map(|r| r.hidden)
            .collect()
    }

    #[test]
    fn rules_on_classes_and_ids_hide_elements_and_what_they_hold() {
        let style = ".hide { display: none } #open { visibility: hidden } \
                     img.T.px{opacity:0} *.gone, .x {mso-hide:all}";
        let body = r#"<div class="wrap hide"><img src="https://t.example/1"></div>
            <img id="open" src="https://t.example/2">
            <img class="px t" src="https://t.example/3">
            <span class="t px"><img src="https://t.example/4"></span>
            <img class="GONE" src="https://t.example/5">
            <img class="hidden" src="https://t.example/6">"#;
        assert_eq!(
            hidden(style, body),
            [
                Some("display:none"),
                Some("visibility:hidden"),
                Some("opacity:0"),
                // `img.t.px` names images only.
                None,
                Some("mso-hide:all"),
                None,
            ]
        );
    }

    #[test]
    fn a_rule_that_applies_on_some_screens_or_is_shown_again_hides_nothing() {
        let body = r#"<div class="m"><img src="https://t.example/1"></div>"#;
        // Hidden on narrow screens only, or in Outlook only.
        assert_eq!(
            hidden("@media (max-width:600px){.m{display:none}}", body),
            [None]
        );
        assert_eq!(
            hidden("@supports (display:grid){.m{display:none}}", body),
            [None]
        );
        assert_eq!(hidden("@media print{.m{display:none}}", body), [None]);
        // On every screen.
        assert_eq!(
            hidden("@media screen{.m{display:none}}", body),
            [Some("display:none")]
        );
        // A mobile-only copy: hidden, then shown on narrow screens.
        let mobile = ".m{display:none;max-height:0;overflow:hidden} \
                      @media only screen and (max-width:620px){.m{display:block !important}}";
        assert_eq!(hidden(mobile, body), [None]);
        // Shown again by a rule of an earlier <style> block.
        let html = format!(
            "<style>@media (max-width:620px){{.m{{display:block}}}}</style>\
             <style>.m{{display:none}}</style>{body}"
        );
        assert_eq!(extract(&html, 0)[0].hidden, None);
        // The element's own style decides what it sets.
        let own = r#"<div class="m" style="display:block"><img src="https://t.example/1"></div>"#;
        assert_eq!(hidden(".m{display:none}", own), [None]);
    }

    #[test]
    fn only_selectors_of_one_element_are_read() {
        let body = r#"<div class="a"><img class="b" src="https://t.example/1"></div>
            <img class="c" src="https://t.example/2"><img class="d" src="https://t.example/3">"#;
        // A descendant, a pseudo-class, an attribute selector, a tag alone (AMP's boilerplate
        // hides the body until its script runs).
        let style = ".a .b{display:none} .c:hover{display:none} \
                     img[class=d]{display:none} body{visibility:hidden} img{display:none}";
        assert_eq!(hidden(style, body), [None, None, None]);
    }

    #[test]
    fn comments_escapes_quotes_and_other_at_rules_do_not_mislead_the_reader() {
        let body = r#"<img class="p" src="https://t.example/1">"#;
        let style = "@import url('x.css'); @font-face{font-family:'a{b}';src:url(f.woff)} \
                     /* .p{display:block} */ .p{displ\\61 y:none}";
        assert_eq!(hidden(style, body), [Some("display:none")]);
        // An unclosed block reads to the end.
        assert_eq!(hidden(".p{display:none", body), [Some("display:none")]);
    }

    #[test]
    fn many_rules_are_found_by_the_elements_names_as_a_few_are_tried_in_turn() {
        let mut style: String = (0..100).map(|i| format!(".c{i}{{display:none}}")).collect();
        style.push_str(".k.m{opacity:0} #Open{visibility:hidden}");
        let body = r#"<img class="x C57" src="https://t.example/1">
            <img class="m k" src="https://t.example/2">
            <img class="k" src="https://t.example/3">
            <img id="open" src="https://t.example/4">
            <img class="c100" src="https://t.example/5">"#;
        assert_eq!(
            hidden(&style, body),
            [
                Some("display:none"),
                Some("opacity:0"),
                None,
                Some("visibility:hidden"),
                None
            ]
        );
    }

    #[test]
    fn hostile_stylesheets_are_bounded() {
        let deep = "@media screen{".repeat(10_000) + ".p{display:none}";
        let many = ".x{display:none}".repeat(10_000);
        let body = r#"<img class="p" src="https://t.example/1">"#;
        // Past the depth read, the rule is not reached; many rules are kept to a bound.
        assert_eq!(hidden(&deep, body), [None]);
        assert_eq!(hidden(&many, body), [None]);
        let junk = "{{{{;;;}}}}@@@{".repeat(1_000);
        assert_eq!(hidden(&junk, body), [None]);
    }
}
