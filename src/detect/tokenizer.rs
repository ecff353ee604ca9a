//! A streaming HTML tokenizer: start tags with their attributes, end tags and comments, in
//! one forward pass with no tree built. Text is skipped (no detector reads it) except the
//! content of raw-text elements such as `<style>`, which is handed over with the start tag.
//!
//! It follows the HTML5 tokenizer where the difference shows in the URLs a mail program would
//! load: tag and attribute syntax (quoted, unquoted, missing values, `/` between attributes),
//! the first of repeated attributes wins, character references in attribute values (the full
//! named table, numeric ones, and the rule that `&copy=1` in a URL is not a reference),
//! comments (`-->`, `--!>`, `<!-->`), bogus comments (`<!…>`, `<?…>`, `</1>`), raw-text and
//! RCDATA elements whose content is not markup, and a tag cut off by the end of input, which
//! is dropped as a browser drops it. Why not html5ever's tokenizer: measured on the benchmark
//! newsletters it was most of the scan's HTML cost (docs/benchmarks.md), and the tree builder
//! on top of it more; this pass is a handful of `memchr` searches per tag.

use crate::ascii::{byte_table, lower};
use crate::byte_search::ThreeBytes;
use foldhash::HashSet;
use std::borrow::Cow;

/// Attributes on one tag past which repeated names are found through a set.
const MANY_ATTRIBUTES: usize = 32;

/// One token of interest.
#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    Start(Tag<'a>),
    /// An end tag's name, lower-cased.
    End(Cow<'a, str>),
    /// A comment's text (between `<!--` and `-->`).
    Comment(&'a str),
}

/// A start tag.
#[derive(Debug, PartialEq)]
pub struct Tag<'a> {
    /// Lower-cased.
    pub name: Cow<'a, str>,
    /// Lower-cased names, values with character references decoded; the first of repeated
    /// names only.
    pub attrs: Vec<Attribute<'a>>,
    /// Written as `<x/>`.
    pub self_closing: bool,
    /// The text of a raw-text or RCDATA element (`style`, `script`, `title`, `textarea`,
    /// `xmp`, `iframe`, `noembed`, `noframes`, `plaintext`), up to its end tag.
    pub content: Option<Cow<'a, str>>,
}

impl Tag<'_> {
    /// The value of an attribute (names are lower-case).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }
}

/// Elements whose content is text up to their own end tag, not markup.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "style" | "script" | "xmp" | "iframe" | "noembed" | "noframes" | "title" | "textarea"
    )
}

/// The tokens of `html`, in order.
pub fn tokens(html: &str) -> Tokens<'_> {
    Tokens {
        html,
        pos: 0,
        spare: Vec::new(),
        value_ends: [b'"', b'\''].map(|quote| ThreeBytes::new(quote, b'&', b'\r')),
    }
}

/// One attribute: lower-cased name, decoded value.
pub type Attribute<'a> = (Cow<'a, str>, Cow<'a, str>);

pub struct Tokens<'a> {
    html: &'a str,
    pos: usize,
    /// A tag's attribute list handed back by [`Tokens::recycle`], reused for the next tag: a
    /// table layout has hundreds of tags, and each would otherwise allocate its own.
    spare: Vec<Attribute<'a>>,
    /// For a value in double and in single quotes: its closing quote, or a byte before it that
    /// needs decoding (`&`, CR). Most values need none, and are then read in one search.
    value_ends: [ThreeBytes; 2],
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let bytes = self.html.as_bytes();
        loop {
            let lt = self.pos + memchr::memchr(b'<', bytes.get(self.pos..)?)?;
            let next = bytes.get(lt + 1).copied();
            match next {
                Some(b) if b.is_ascii_alphabetic() => {
                    let (tag, end) = self.start_tag(lt + 1)?;
                    self.pos = end;
                    return Some(Token::Start(self.with_content(tag)));
                }
                Some(b'/') => match bytes.get(lt + 2).copied() {
                    Some(b) if b.is_ascii_alphabetic() => {
                        let (name, end) = self.end_tag(lt + 2)?;
                        self.pos = end;
                        return Some(Token::End(name));
                    }
                    Some(b'>') => self.pos = lt + 3,
                    Some(_) => self.pos = self.bogus_comment(lt + 2).1,
                    None => return None,
                },
                Some(b'!') => {
                    if bytes[lt + 2..].starts_with(b"--") {
                        let (text, end) = self.comment(lt + 4);
                        self.pos = end;
                        return Some(Token::Comment(text));
                    }
                    // DOCTYPE, CDATA, and `<![if !mso]>` / `<![endif]>` (whose content is
                    // ordinary markup, so nothing is lost by skipping just the marker).
                    self.pos = self.bogus_comment(lt + 2).1;
                }
                Some(b'?') => self.pos = self.bogus_comment(lt + 1).1,
                Some(_) => self.pos = lt + 1,
                None => return None,
            }
        }
    }
}

impl<'a> Tokens<'a> {
    /// `<!--` has been read up to `start`: the comment text and where the token ends.
    fn comment(&self, start: usize) -> (&'a str, usize) {
        let html = self.html;
        let rest = &html.as_bytes()[start..];
        // `<!-->` and `<!--->` are complete (empty) comments.
        if rest.starts_with(b">") {
            return ("", start + 1);
        }
        if rest.starts_with(b"->") {
            return ("", start + 2);
        }
        let mut from = start;
        while let Some(found) = memchr::memmem::find(&html.as_bytes()[from..], b"--") {
            let dashes = from + found;
            let after = &html.as_bytes()[dashes + 2..];
            if after.starts_with(b">") {
                return (&html[start..dashes], dashes + 3);
            }
            if after.starts_with(b"!>") {
                return (&html[start..dashes], dashes + 4);
            }
            from = dashes + 1;
        }
        (&html[start..], html.len())
    }

    /// A bogus comment from `start` to the next `>`.
    fn bogus_comment(&self, start: usize) -> (&'a str, usize) {
        let html = self.html;
        match memchr::memchr(b'>', &html.as_bytes()[start..]) {
            Some(end) => (&html[start..start + end], start + end + 1),
            None => (&html[start..], html.len()),
        }
    }

    /// The content of a raw-text element, when `tag` is one, read past its end tag.
    fn with_content(&mut self, mut tag: Tag<'a>) -> Tag<'a> {
        let html = self.html;
        if tag.name == "plaintext" {
            tag.content = Some(newlines(&html[self.pos..]));
            self.pos = html.len();
            return tag;
        }
        if !is_raw_text(&tag.name) || tag.self_closing && tag.name != "iframe" {
            return tag;
        }
        let start = self.pos;
        let bytes = html.as_bytes();
        let name = tag.name.as_bytes();
        let mut from = start;
        while let Some(found) = memchr::memmem::find(&bytes[from..], b"</") {
            let at = from + found;
            let after_name = at + 2 + name.len();
            let is_end = bytes
                .get(at + 2..after_name)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
                && bytes
                    .get(after_name)
                    .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>');
            if is_end {
                tag.content = Some(newlines(&html[start..at]));
                // The end tag itself is left for the next token.
                self.pos = at;
                return tag;
            }
            from = at + 2;
        }
        tag.content = Some(newlines(&html[start..]));
        self.pos = html.len();
        tag
    }

    /// An end tag's name from `start` (its first letter); attributes on it are skipped.
    fn end_tag(&self, start: usize) -> Option<(Cow<'a, str>, usize)> {
        let bytes = self.html.as_bytes();
        let name_end = name_end(bytes, start);
        let name = lower(&self.html[start..name_end]);
        // An end tag may carry (ignored) attributes, quoted values included.
        let (_, end) = self.attributes(name_end, false, Vec::new())?;
        Some((name, end))
    }

    /// A start tag from `start` (its first letter): the tag and where it ends. `None` when the
    /// input ends inside it.
    fn start_tag(&mut self, start: usize) -> Option<(Tag<'a>, usize)> {
        let bytes = self.html.as_bytes();
        let name_end = name_end(bytes, start);
        let name = lower(&self.html[start..name_end]);
        let spare = std::mem::take(&mut self.spare);
        let ((attrs, self_closing), end) = self.attributes(name_end, true, spare)?;
        Some((
            Tag {
                name,
                attrs,
                self_closing,
                content: None,
            },
            end,
        ))
    }

    /// Hands back a tag's attribute list once its reader is done with it, to be reused.
    pub fn recycle(&mut self, mut attrs: Vec<Attribute<'a>>) {
        attrs.clear();
        self.spare = attrs;
    }

    /// Attributes from `at` to the closing `>`, collected into `attrs` when `keep`.
    fn attributes(
        &self,
        mut at: usize,
        keep: bool,
        mut attrs: Vec<Attribute<'a>>,
    ) -> Option<((Vec<Attribute<'a>>, bool), usize)> {
        let html = self.html;
        let bytes = html.as_bytes();
        let mut seen: Option<HashSet<String>> = None;
        loop {
            // Before an attribute name: spaces, and a `/` that does not close the tag.
            while at < bytes.len() && (is_space(bytes[at]) || bytes[at] == b'/') {
                if bytes[at] == b'/' && bytes.get(at + 1) == Some(&b'>') {
                    return Some(((attrs, true), at + 2));
                }
                at += 1;
            }
            if *bytes.get(at)? == b'>' {
                return Some(((attrs, false), at + 1));
            }
            // The name: a leading `=` belongs to it.
            let name_start = at;
            at += 1;
            while at < bytes.len() && NAME_STOPS[usize::from(bytes[at])] & ENDS_ATTRIBUTE == 0 {
                at += 1;
            }
            let name = &html[name_start..at];
            while at < bytes.len() && is_space(bytes[at]) {
                at += 1;
            }
            let mut value: Cow<'a, str> = Cow::Borrowed("");
            if bytes.get(at) == Some(&b'=') {
                at += 1;
                while at < bytes.len() && is_space(bytes[at]) {
                    at += 1;
                }
                match bytes.get(at)? {
                    &quote @ (b'"' | b'\'') => {
                        let rest = &bytes[at + 1..];
                        let first = self.value_ends[usize::from(quote == b'\'')].find(rest)?;
                        let plain = rest[first] == quote;
                        let close = if plain {
                            first
                        } else {
                            first + memchr::memchr(quote, &rest[first..])?
                        };
                        let raw = &html[at + 1..at + 1 + close];
                        at += close + 2;
                        value = if plain {
                            Cow::Borrowed(raw)
                        } else {
                            decode_from(raw, first)
                        };
                    }
                    b'>' => {}
                    _ => {
                        let start = at;
                        while at < bytes.len() && bytes[at] != b'>' && !is_space(bytes[at]) {
                            at += 1;
                        }
                        value = decode_references(&html[start..at]);
                    }
                }
            }
            if keep {
                let name = lower(name);
                // The first of repeated names wins. Past a few dozen attributes (only hostile
                // markup has them) a set keeps the check from growing quadratic.
                let repeated = if attrs.len() < MANY_ATTRIBUTES {
                    attrs.iter().any(|(n, _)| *n == name)
                } else {
                    let seen = seen
                        .get_or_insert_with(|| attrs.iter().map(|(n, _)| n.to_string()).collect());
                    !seen.insert(name.to_string())
                };
                if !repeated {
                    attrs.push((name, value));
                }
            }
        }
    }
}

/// Where a tag name starting at `start` ends.
fn name_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() && NAME_STOPS[usize::from(bytes[end])] & ENDS_TAG == 0 {
        end += 1;
    }
    end
}

// What ends a name, as bits of `NAME_STOPS`: a table lookup a byte, where the comparisons with
// each of the bytes cost eight instructions a byte of every tag and attribute name.
const ENDS_TAG: u8 = 1;
const ENDS_ATTRIBUTE: u8 = 2;
const NAME_STOPS: [u8; 256] = byte_table!(|byte| match byte {
    b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>' => ENDS_TAG | ENDS_ATTRIBUTE,
    b'=' => ENDS_ATTRIBUTE,
    _ => 0,
});

/// Line breaks as an HTML parser sees them: CR LF and a lone CR become LF.
/// In one pass: a style block of a CRLF message holds a CR on every line, and replacing the
/// pairs and then the lone ones copied it twice.
fn newlines(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let Some(mut cr) = memchr::memchr(b'\r', bytes) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    loop {
        // A CR is ASCII, so every cut falls between characters.
        out.push_str(&text[copied..cr]);
        out.push('\n');
        copied = cr + 1;
        if bytes.get(copied) == Some(&b'\n') {
            copied += 1;
        }
        match memchr::memchr(b'\r', &bytes[copied..]) {
            Some(next) => cr = copied + next,
            None => break,
        }
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// An attribute value with its line breaks normalised and character references decoded, as a
/// browser reads it.
pub fn decode_references(value: &str) -> Cow<'_, str> {
    // Most values (class names, sizes, plain URLs) hold neither: one search says so.
    match memchr::memchr2(b'&', b'\r', value.as_bytes()) {
        Some(first) => decode_from(value, first),
        None => Cow::Borrowed(value),
    }
}

/// [`decode_references`] of a value whose first `&` or CR is at `first` (the tokenizer's
/// search for the closing quote has found it), in one pass from there. A CR is never part of
/// a reference, so its line break is normalised in the same loop: the value is not searched
/// again for CRs first, nor from its start for the first `&`.
fn decode_from(value: &str, first: usize) -> Cow<'_, str> {
    let mut out = String::with_capacity(value.len());
    out.push_str(&value[..first]);
    let mut rest = &value[first..];
    // A URL's query holds an `&amp;` per parameter: found with the vector search, and the
    // common references written without going through `char`s.
    while let Some(at) = memchr::memchr2(b'&', b'\r', rest.as_bytes()) {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if rest.as_bytes()[at] == b'\r' {
            // CR LF and a lone CR both read as LF.
            out.push('\n');
            rest = after.strip_prefix('\n').unwrap_or(after);
            continue;
        }
        match reference(after) {
            Some(([Some(one), None], used)) if one.is_ascii() => {
                out.push(one);
                rest = &after[used..];
            }
            Some((decoded, used)) => {
                out.extend(decoded.into_iter().flatten());
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character reference at the start of `text` (just after `&`) inside an attribute value:
/// what it stands for (one or two characters) and how many bytes it used.
fn reference(text: &str) -> Option<([Option<char>; 2], usize)> {
    let bytes = text.as_bytes();
    // The one in nearly every URL of an attribute, without a table lookup.
    if bytes.starts_with(b"amp;") {
        return Some(([Some('&'), None], 4));
    }
    if bytes.first() == Some(&b'#') {
        let hex = matches!(bytes.get(1), Some(b'x' | b'X'));
        let digits_start = if hex { 2 } else { 1 };
        let digits = bytes[digits_start..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let end = digits_start + digits;
        let code = u32::from_str_radix(
            &text[digits_start..end.min(digits_start + 8)],
            if hex { 16 } else { 10 },
        )
        .unwrap_or(u32::MAX);
        let used = end + usize::from(bytes.get(end) == Some(&b';'));
        return Some(([Some(numeric_character(code)), None], used));
    }
    // The longest name in the table: with `;`, or one of the legacy names without it.
    let run = bytes
        .iter()
        .take(40)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if run == 0 {
        return None;
    }
    let entities = &markup5ever::data::NAMED_ENTITIES;
    if bytes.get(run) == Some(&b';') {
        if let Some(&(a, b)) = entities.get(&text[..=run]) {
            if a != 0 {
                return Some((code_points(a, b), run + 1));
            }
        }
    }
    for len in (1..=run).rev() {
        if let Some(&(a, b)) = entities.get(&text[..len]) {
            if a == 0 {
                continue;
            }
            // In an attribute, `&copy=1` or `&copyx` is left as written (URLs depend on it).
            if bytes
                .get(len)
                .is_some_and(|&c| c == b'=' || c.is_ascii_alphanumeric())
            {
                return None;
            }
            return Some((code_points(a, b), len));
        }
    }
    None
}

fn code_points(a: u32, b: u32) -> [Option<char>; 2] {
    [a, b].map(|c| (c != 0).then(|| char::from_u32(c)).flatten())
}

/// A numeric reference's character, with the replacements the HTML standard makes.
fn numeric_character(code: u32) -> char {
    match code {
        0 | 0xD800..=0xDFFF | 0x110000.. => '\u{FFFD}',
        0x80..=0x9F => markup5ever::data::C1_REPLACEMENTS[(code - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(code).unwrap_or('\u{FFFD}')),
        _ => char::from_u32(code).unwrap_or('\u{FFFD}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_end_at_white_space_a_slash_or_a_bracket_and_attribute_names_at_equals_too() {
        for byte in 0..=255u8 {
            let ends_tag = is_space(byte) || byte == b'/' || byte == b'>';
            let stops = NAME_STOPS[usize::from(byte)];
            assert_eq!(stops & ENDS_TAG != 0, ends_tag, "{byte:#x}");
            assert_eq!(
                stops & ENDS_ATTRIBUTE != 0,
                ends_tag || byte == b'=',
                "{byte:#x}"
            );
        }
    }

    /// Every sequence of up to `most` of `pieces`, joined (the empty one first).
    fn mixes(pieces: &[&str], most: usize) -> Vec<String> {
        let mut texts = vec![String::new()];
        for _ in 0..most {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|text| pieces.iter().map(move |piece| format!("{text}{piece}")))
                .collect();
            texts.extend(longer);
        }
        texts
    }

    #[test]
    fn line_breaks_read_as_a_parser_reads_them() {
        // Against the two replacements it does in one pass, on every mix of CR, LF, ASCII and
        // a multi-byte character up to five long.
        for text in &mixes(&["\r", "\n", "a", "é"], 5) {
            let expected = text.replace("\r\n", "\n").replace('\r', "\n");
            assert_eq!(newlines(text), expected, "{text:?}");
        }
        assert!(matches!(newlines("a\nb"), Cow::Borrowed(_)));
    }

    fn starts(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        tokens(html)
            .filter_map(|t| match t {
                Token::Start(tag) => Some((
                    tag.name.into_owned(),
                    tag.attrs
                        .into_iter()
                        .map(|(n, v)| (n.into_owned(), v.into_owned()))
                        .collect(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn attributes_in_every_syntax() {
        let found = starts(r#"<IMG SRC=a.gif alt='x y' width = "1" hidden/><a href=b>"#);
        assert_eq!(found[0].0, "img");
        assert_eq!(
            found[0].1,
            [
                ("src".to_owned(), "a.gif".to_owned()),
                ("alt".to_owned(), "x y".to_owned()),
                ("width".to_owned(), "1".to_owned()),
                ("hidden".to_owned(), String::new()),
            ]
        );
        assert_eq!(
            found[1],
            ("a".to_owned(), vec![("href".to_owned(), "b".to_owned())])
        );
    }

    /// A quoted value ends at its own quote, with references and line breaks decoded wherever
    /// they sit in it; a value whose quote never closes ends the tags.
    #[test]
    fn quoted_values_end_at_their_quote_and_are_decoded() {
        let html = "<a href=\"/x?a=1&amp;b='2'\" title='say \"hi\" &lt;3' alt=\"&\" \
                    data-x='line\r\nnext&amp;' data-y=\"no refs, 'quoted'\" data-z=''>\
                    <img src=\"a&amp;b";
        let found = starts(html);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].1,
            [
                ("href".to_owned(), "/x?a=1&b='2'".to_owned()),
                ("title".to_owned(), "say \"hi\" <3".to_owned()),
                ("alt".to_owned(), "&".to_owned()),
                ("data-x".to_owned(), "line\nnext&".to_owned()),
                ("data-y".to_owned(), "no refs, 'quoted'".to_owned()),
                ("data-z".to_owned(), String::new()),
            ]
        );
    }

    #[test]
    fn a_recycled_attribute_list_starts_empty_for_the_next_tag() {
        let html = r#"<img src="https://a.example/1" width=1><td><a href=b title=c><br>"#;
        let mut tokens = tokens(html);
        let mut seen = Vec::new();
        while let Some(token) = tokens.next() {
            if let Token::Start(tag) = token {
                let names: Vec<String> = tag.attrs.iter().map(|(n, _)| n.to_string()).collect();
                seen.push((tag.name.to_string(), names));
                tokens.recycle(tag.attrs);
            }
        }
        let expected = [
            ("img", vec!["src", "width"]),
            ("td", vec![]),
            ("a", vec!["href", "title"]),
            ("br", vec![]),
        ];
        assert_eq!(seen.len(), expected.len());
        for ((name, names), (want_name, want_names)) in seen.iter().zip(expected) {
            assert_eq!(name, want_name);
            assert_eq!(names, &want_names);
        }
    }

    #[test]
    fn first_of_repeated_attributes_wins() {
        let found = starts(r#"<img src="https://a.example/1" src="https://b.example/2">"#);
        assert_eq!(
            found[0].1,
            [("src".to_owned(), "https://a.example/1".to_owned())]
        );
    }

    #[test]
    fn references_are_decoded_as_a_browser_does_in_attributes() {
        assert_eq!(decode_references("a?x=1&amp;y=2"), "a?x=1&y=2");
        assert_eq!(decode_references("&#x68;&#116;tp"), "http");
        assert_eq!(decode_references("?a=1&copy=2&lt=3"), "?a=1&copy=2&lt=3");
        assert_eq!(decode_references("&copy;&copy &amp"), "©© &");
        assert_eq!(
            decode_references("&#0;&#x110000;&#128;"),
            "\u{FFFD}\u{FFFD}€"
        );
        assert_eq!(decode_references("&nosuch; & &#;"), "&nosuch; & &#;");
    }

    #[test]
    fn line_breaks_and_references_decode_in_one_pass_as_in_two() {
        // Normalising the line breaks first and then decoding (the order a parser reads them
        // in) against the one pass, on every mix of these pieces up to four long: references
        // whole, cut by a line break, and without their semicolon before one.
        let pieces = [
            "\r", "\n", "&amp;", "&amp", "&#x41", ";", "&", "a", "é", "=", "&not",
        ];
        for value in &mixes(&pieces, 4) {
            let normalised = newlines(value);
            assert!(!normalised.contains('\r'));
            assert_eq!(
                decode_references(value),
                decode_references(&normalised),
                "{value:?}"
            );
        }
        // And as the tokenizer reads them in a quoted value, where it finds the first `&` or CR.
        let (_, attrs) = &starts("<a href=\"x\r\n&amp;y\r&#x41\">")[0];
        assert_eq!(attrs, &[("href".to_owned(), "x\n&y\nA".to_owned())]);
    }

    #[test]
    fn comments_and_raw_text_hide_markup() {
        let html = "<!-- <img src=a> --><!--><img src=b><!--[if mso]><v:fill src=c><![endif]--><style>p{background:url(d)}</p><img src=e></STYLE ><script><img src=f></script><img src=g>";
        let all: Vec<Token> = tokens(html).collect();
        let names: Vec<String> = all
            .iter()
            .filter_map(|t| match t {
                Token::Start(tag) => Some(format!("{}{}", tag.name, tag.attr("src").unwrap_or(""))),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["imgb", "style", "script", "imgg"]);
        assert!(all.contains(&Token::Comment("[if mso]><v:fill src=c><![endif]")));
        let style = all
            .iter()
            .find_map(|t| match t {
                Token::Start(tag) if tag.name == "style" => tag.content.as_deref(),
                _ => None,
            })
            .unwrap();
        assert_eq!(style, "p{background:url(d)}</p><img src=e>");
    }

    #[test]
    fn a_tag_with_a_hundred_thousand_attributes_is_read_in_linear_time() {
        let html = format!(
            "<img {} src=\"https://t.example/late\" a1=x>",
            (0..100_000).map(|i| format!("a{i}=x ")).collect::<String>()
        );
        let tags = starts(&html);
        assert_eq!(tags[0].1.len(), 100_001, "a1 is kept once");
        assert_eq!(tags[0].1[100_000].1, "https://t.example/late");
    }

    #[test]
    fn a_tag_cut_by_the_end_of_input_is_dropped() {
        assert_eq!(starts("<img src=a><img src=\"b").len(), 1);
        assert_eq!(starts("<img src=a><img src=b").len(), 1);
    }

    #[test]
    fn odd_markup_is_not_taken_for_tags() {
        let found = starts("a < b <3 <img src=x> </1 <b> <?php x ?><!DOCTYPE html></>");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "img");
    }
}
