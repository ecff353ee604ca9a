//! CSS, as far as tracking cares: every `url(…)` (and `@import "…"`, `image-set("…")`) with the
//! property or at-rule it belongs to, and inline `style` declarations. Escapes are decoded
//! (`\75 rl(` hides `url(` from naive scanners), comments skipped, quotes removed.

use crate::ascii::byte_table;
use std::borrow::Cow;
use std::ops::Range;

/// A URL found in CSS, with what loads it (`background-image`, `@import`, `@font-face src`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CssUrl {
    pub url: String,
    pub context: String,
}

/// Every URL a stylesheet or style attribute would load.
pub fn urls_in_css(css: &str) -> Vec<CssUrl> {
    urls_in_readable_css(&readable(css))
}

/// CSS without its comments and with its escapes decoded: as a browser reads its words.
pub fn readable(css: &str) -> Cow<'_, str> {
    match strip_comments(css) {
        Cow::Borrowed(text) => decode_escapes(text),
        Cow::Owned(text) => Cow::Owned(decode_escapes(&text).into_owned()),
    }
}

/// `urls_in_css` of CSS already made `readable`.
pub fn urls_in_readable_css(text: &str) -> Vec<CssUrl> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let bytes = lower.as_bytes();
    let mut contexts = ContextTracker::new(&lower);
    // End of the furthest `image-set(` already searched for strings: a nested one inside it is
    // not searched again (each unclosed `image-set(` used to rescan to the end: quadratic).
    let mut image_set_end = 0;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &lower[i..];
        if rest.starts_with("url(") {
            let (url, end) = read_function_argument(text, i + 4);
            push(&mut found, url, contexts.at(i));
            i = end;
        } else if rest.starts_with("@import") {
            let mut j = i + 7;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                let (url, end) = read_string(text, j);
                push(&mut found, url, "@import".to_owned());
                i = end;
            } else if lower[j..].starts_with("url(") {
                let (url, end) = read_function_argument(text, j + 4);
                push(&mut found, url, "@import".to_owned());
                i = end;
            } else {
                i = j;
            }
        } else if rest.starts_with("image-set(") && i < image_set_end {
            i += 10;
        } else if rest.starts_with("image-set(") {
            // image-set("a.png" 1x, "b.png" 2x): bare strings are URLs too.
            let context = contexts.at(i);
            let mut j = i + 10;
            let mut depth = 1;
            while j < bytes.len() && depth > 0 {
                match bytes[j] {
                    b'"' | b'\'' => {
                        let (url, end) = read_string(text, j);
                        push(&mut found, url, context.clone());
                        j = end;
                        continue;
                    }
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            image_set_end = j;
            i += 10;
        } else {
            // Only `u`, `@` and `i` can start what is looked for: jump to the next one.
            i = memchr::memchr3(b'u', b'@', b'i', &bytes[i + 1..])
                .map_or(bytes.len(), |at| i + 1 + at);
        }
    }
    found
}

fn push(found: &mut Vec<CssUrl>, url: String, context: String) {
    let url = url.trim_ascii().to_owned();
    if !url.is_empty() {
        found.push(CssUrl { url, context });
    }
}

/// The argument of `url(` starting at `start`: quoted or bare, up to the closing parenthesis.
fn read_function_argument(text: &str, start: usize) -> (String, usize) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
        let (value, end) = read_string(text, i);
        let close = text[end..].find(')').map_or(text.len(), |p| end + p + 1);
        return (value, close);
    }
    let close = text[i..].find(')').map_or(text.len(), |p| i + p);
    (
        text[i..close].trim_ascii().to_owned(),
        (close + 1).min(text.len()),
    )
}

/// A quoted string starting at the quote at `start`; returns its content and the index after it.
fn read_string(text: &str, start: usize) -> (String, usize) {
    let quote = text.as_bytes()[start];
    let body = &text[start + 1..];
    match body.bytes().position(|b| b == quote) {
        Some(end) => (body[..end].to_owned(), start + 1 + end + 1),
        None => (body.to_owned(), text.len()),
    }
}

/// The property (or at-rule) a position belongs to: the name before the nearest `:` in the same
/// declaration, prefixed by `@font-face` inside such a block.
///
/// Positions are asked for in increasing order, and the text before them is scanned once in
/// all: looking back from every `url(` (to the last `;`, `{` and `}`) was quadratic in a large
/// stylesheet with many URLs and few separators (found while fuzzing; see
/// tests/integration/fuzz_regressions.rs).
struct ContextTracker<'t> {
    lower: &'t str,
    /// Everything before this offset has been scanned.
    scanned: usize,
    /// Start of the current declaration: just after the last `;` or `{`.
    declaration_start: usize,
    /// The first `:` of the current declaration, once seen.
    colon: Option<usize>,
    /// Start of the current selector (after the last `}` or `;`) and its first non-space
    /// character, once seen.
    selector_start: usize,
    selector_first: Option<usize>,
    /// Whether the selector before the last `{` is `@font-face`.
    font_face: bool,
    /// The property of the current declaration, computed once per declaration.
    property: Option<(usize, String)>,
}

impl<'t> ContextTracker<'t> {
    fn new(lower: &'t str) -> Self {
        ContextTracker {
            lower,
            scanned: 0,
            declaration_start: 0,
            colon: None,
            selector_start: 0,
            selector_first: None,
            font_face: false,
            property: None,
        }
    }

    fn at(&mut self, pos: usize) -> String {
        let pos = pos.min(self.lower.len());
        if pos > self.scanned {
            for (offset, c) in self.lower[self.scanned..pos].char_indices() {
                let index = self.scanned + offset;
                match c {
                    '{' => {
                        self.font_face = self
                            .selector_first
                            .and_then(|first| self.lower.get(first..index))
                            .is_some_and(|selector| selector.starts_with("@font-face"));
                        self.declaration_start = index + 1;
                        self.colon = None;
                    }
                    ';' | '}' => {
                        if c == ';' {
                            self.declaration_start = index + 1;
                            self.colon = None;
                        }
                        self.selector_start = index + 1;
                        self.selector_first = None;
                    }
                    ':' if self.colon.is_none() => self.colon = Some(index),
                    _ => {}
                }
                if self.selector_first.is_none()
                    && index >= self.selector_start
                    && !c.is_whitespace()
                {
                    self.selector_first = Some(index);
                }
            }
            self.scanned = pos;
        }
        let property = match self.colon {
            Some(colon) => match &self.property {
                Some((start, property)) if *start == self.declaration_start => property.clone(),
                _ => {
                    let name = self
                        .lower
                        .get(self.declaration_start..colon)
                        .map(str::trim)
                        .filter(|name| !name.is_empty() && name.len() < 64)
                        .unwrap_or("url")
                        .to_owned();
                    self.property = Some((self.declaration_start, name.clone()));
                    name
                }
            },
            None => "url".to_owned(),
        };
        if self.font_face {
            format!("@font-face {property}")
        } else {
            property
        }
    }
}

fn strip_comments(css: &str) -> Cow<'_, str> {
    if !crate::byte_search::contains_short(css, "/*") {
        return Cow::Borrowed(css);
    }
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => return Cow::Owned(out),
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decodes CSS escapes: `\` + 1–6 hex digits (+ one optional space) is a code point; `\` + any
/// other character is that character.
pub fn decode_escapes(css: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\\', css.as_bytes()).is_none() {
        return Cow::Borrowed(css);
    }
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 {
            match chars.peek() {
                Some(h) if h.is_ascii_hexdigit() => {
                    hex.push(*h);
                    chars.next();
                }
                _ => break,
            }
        }
        if hex.is_empty() {
            match chars.next() {
                Some('\n') | None => {}
                Some(other) => out.push(other),
            }
            continue;
        }
        if matches!(chars.peek(), Some(' ' | '\t' | '\n')) {
            chars.next();
        }
        let decoded = u32::from_str_radix(&hex, 16)
            .ok()
            .and_then(char::from_u32)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}');
        out.push(decoded);
    }
    Cow::Owned(out)
}

/// The declarations of an inline `style`, read once and looked up by property. They borrow from
/// the style text (a copy only when comments or escapes had to be removed): a newsletter has
/// thousands of styled elements, and copying each property and value was a quarter of all
/// allocations in a scan.
pub struct Declarations<'s> {
    text: Cow<'s, str>,
    /// (property, value) spans in `text`; the value without `!important`, trimmed.
    spans: Vec<(Range<usize>, Range<usize>)>,
}

impl<'s> Declarations<'s> {
    /// Every (property, value) pair as written, in order; properties keep their case.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &str)> + '_ {
        self.spans
            .iter()
            .map(|(name, value)| (&self.text[name.clone()], &self.text[value.clone()]))
    }

    /// The value of the last declaration of `property` (any case), as CSS applies it.
    pub fn get(&self, property: &str) -> Option<&str> {
        // Asked a dozen times per styled element: names of another length are passed over
        // before their text is sliced out.
        let (_, value) = self.spans.iter().rev().find(|(name, _)| {
            name.len() == property.len()
                && self
                    .text
                    .get(name.clone())
                    .is_some_and(|name| name.eq_ignore_ascii_case(property))
        })?;
        self.text.get(value.clone())
    }
}

/// Inline `style` declarations: property and value, the value without `!important`.
pub fn declarations(style: &str) -> Declarations<'_> {
    declarations_of_readable(readable(style))
}

/// `declarations` of CSS already made `readable` (a rule's block of a stylesheet read whole).
pub fn declarations_of_readable(text: Cow<'_, str>) -> Declarations<'_> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut start = 0;
    // The first `:` of the declaration being read, wherever it is (quoted or not).
    let mut colon = None;
    // Room for a table cell's usual handful of declarations at once, rather than grown by
    // doubling from one.
    let mut spans = Vec::with_capacity(8);
    // Bytes, not chars: every byte that matters is ASCII, and no byte of a multi-byte
    // character is, so each `;` and `:` found is a char boundary. The bytes between those
    // that matter (most of a style: names, numbers, colours) are passed over through a table,
    // where the `match` below took a jump per byte.
    for (i, &c) in text.as_bytes().iter().enumerate() {
        if !DECLARATION_BYTE[usize::from(c)] {
            continue;
        }
        match (quote, c) {
            (_, b':') => {
                colon = colon.or(Some(i));
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'(') => depth += 1,
            (None, b')') => depth = depth.saturating_sub(1),
            (None, b';') if depth == 0 => {
                spans.extend(declaration(&text, start..i, colon.take()));
                start = i + 1;
            }
            _ => {}
        }
    }
    spans.extend(declaration(&text, start..text.len(), colon));
    Declarations { text, spans }
}

/// The bytes `declarations` acts on: `:`, quotes, parentheses and `;`.
const DECLARATION_BYTE: [bool; 256] =
    byte_table!(|byte| matches!(byte, b':' | b'\'' | b'"' | b'(' | b')' | b';'));

/// The (property, value) spans of the declaration `piece` of `text`, if it is one; `colon` is
/// where its first `:` is.
fn declaration(
    text: &str,
    piece: Range<usize>,
    colon: Option<usize>,
) -> Option<(Range<usize>, Range<usize>)> {
    let colon = colon?;
    let name = trimmed(text, piece.start..colon);
    let value = trimmed(text, colon + 1..piece.end);
    let written = &text[value.clone()];
    let important = written
        .strip_suffix("!important")
        .or_else(|| written.strip_suffix("! important"))
        .map_or(value.clone(), |rest| value.start..value.start + rest.len());
    let value = trimmed(text, important);
    (!name.is_empty()).then_some((name, value))
}

/// `range` of `text` without the whitespace at either end: CSS's whitespace, which is ASCII
/// (a browser reads `display:\u{a0}none` as no valid declaration, not as `none`). `str::trim`
/// decoded every character to test it for Unicode's white space, and was most of the cost of
/// reading a declaration.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_ascii_start().len());
    let end = range.end - (piece.len() - piece.trim_ascii_end().len());
    start..end.max(start)
}

/// A CSS or HTML length in CSS pixels: `1`, `1px`, `0.75pt`, `0em`; `None` for percentages,
/// `auto` and what cannot be read.
pub fn length_px(value: &str) -> Option<f32> {
    // CSS's and HTML's whitespace is ASCII; `str::trim` would decode each character at the ends.
    let value = value.trim_ascii();
    let number_end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(value.len());
    let number: f32 = value[..number_end].parse().ok()?;
    let unit = value[number_end..].trim_ascii();
    // Units are short: compare them in lower case without allocating.
    let mut lower = [0u8; 3];
    if unit.len() > lower.len() {
        return None;
    }
    lower[..unit.len()].copy_from_slice(unit.as_bytes());
    lower.make_ascii_lowercase();
    let factor = match &lower[..unit.len()] {
        b"" | b"px" => 1.0,
        b"pt" => 4.0 / 3.0,
        b"pc" => 16.0,
        b"em" | b"rem" => 16.0,
        b"in" => 96.0,
        b"cm" => 37.8,
        b"mm" => 3.78,
        b"q" => 0.945,
        b"vw" | b"vh" | b"%" if number == 0.0 => 0.0,
        _ => return None,
    };
    Some(number * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(css: &str) -> Vec<(String, String)> {
        urls_in_css(css)
            .into_iter()
            .map(|u| (u.url, u.context))
            .collect()
    }

    #[test]
    fn every_property_and_at_rule_is_found() {
        let css = r#"
            @import "https://t.example/a.css";
            @import url(https://t.example/b.css) screen;
            @font-face { font-family: X; src: url('https://fonts.example/x.woff2') format('woff2'); }
            div.hero { background: #fff url("https://img.example/o/AbC123.gif") no-repeat; }
            @media screen and (max-width: 600px) { li { list-style-image: url(https://t.example/li.png) } }
            p { cursor: url(https://t.example/c.cur), auto; border-image: url(https://t.example/b.png) 30; }
            span { background-image: image-set("https://t.example/1x.png" 1x, "https://t.example/2x.png" 2x); }
        "#;
        let found = urls(css);
        let expect = [
            ("https://t.example/a.css", "@import"),
            ("https://t.example/b.css", "@import"),
            ("https://fonts.example/x.woff2", "@font-face src"),
            ("https://img.example/o/AbC123.gif", "background"),
            ("https://t.example/li.png", "list-style-image"),
            ("https://t.example/c.cur", "cursor"),
            ("https://t.example/b.png", "border-image"),
            ("https://t.example/1x.png", "background-image"),
            ("https://t.example/2x.png", "background-image"),
        ];
        for (url, context) in expect {
            assert!(
                found.contains(&(url.to_owned(), context.to_owned())),
                "{url} as {context} not in {found:?}"
            );
        }
    }

    #[test]
    fn escapes_and_comments_do_not_hide_urls() {
        let found = urls(
            r"div{background:\75 rl(https://t.example/\6f pen.gif)}/* url(https://no.example/) */",
        );
        assert_eq!(
            found,
            [(
                "https://t.example/open.gif".to_owned(),
                "background".to_owned()
            )]
        );
    }

    #[test]
    fn inline_declarations_keep_their_values() {
        let decls = declarations(
            "display: none !important; background:url('a;b.png'); WIDTH:1px; width : 2PX ! important",
        );
        let all: Vec<_> = decls.iter().collect();
        assert_eq!(all[0], ("display", "none"));
        assert_eq!(all[1].1, "url('a;b.png')");
        assert_eq!(all[2], ("WIDTH", "1px"));
        // The last declaration wins, whatever the property's case.
        assert_eq!(decls.get("width"), Some("2PX"));
        assert_eq!(decls.get("height"), None);
        assert_eq!(length_px("2PX"), Some(2.0));
        assert_eq!(length_px("1REM"), Some(16.0));
        // A piece without a colon is no declaration, and takes no colon from its neighbours.
        let decls = declarations("color:red;junk;content:'a:b'");
        let all: Vec<_> = decls.iter().collect();
        assert_eq!(all, [("color", "red"), ("content", "'a:b'")]);
        // Parentheses hold a `;` as quotes do, and a quote of the other kind ends nothing.
        let decls = declarations("background:url(a;b.png);content:\"it's\";color:red");
        let all: Vec<_> = decls.iter().collect();
        assert_eq!(
            all,
            [
                ("background", "url(a;b.png)"),
                ("content", "\"it's\""),
                ("color", "red")
            ]
        );
    }

    #[test]
    fn only_css_whitespace_is_trimmed() {
        // Tabs, line ends and form feeds around names and values go; a no-break space is part
        // of the value, as a browser reads it (which makes `display` invalid there).
        let decls = declarations("\t display \r\n:\x0c none\n ;width:\u{a0}0");
        assert_eq!(decls.get("display"), Some("none"));
        assert_eq!(decls.get("width"), Some("\u{a0}0"));
        assert_eq!(declarations("  ").iter().count(), 0);
    }

    #[test]
    fn lengths_in_any_unit() {
        assert_eq!(length_px("1"), Some(1.0));
        assert_eq!(length_px(" 1px "), Some(1.0));
        assert_eq!(length_px("0.75pt"), Some(1.0));
        assert_eq!(length_px("0em"), Some(0.0));
        assert_eq!(length_px("0%"), Some(0.0));
        assert_eq!(length_px("100%"), None);
        assert_eq!(length_px("auto"), None);
    }

    #[test]
    fn hostile_css_does_not_panic() {
        for css in [
            "url(",
            "url(\"",
            "@import '",
            "\\",
            "\\ffffff",
            "image-set(",
            "a{b:url(x",
            "é\\é url(é",
        ] {
            let _ = urls_in_css(css);
            let _ = declarations(css).get("width");
        }
    }
}
