//! The stack of open elements, kept as an HTML parser keeps it where that decides which
//! elements are inside which: void elements never open, `<td>`/`<tr>`/`<li>`/`<p>`/`<a>` close
//! their open namesakes, an end tag closes its element only within the same scope (a stray
//! `</div>` inside a cell does not close the cell's table), and content written straight into a
//! `<table>` is moved out of it (foster parenting). This is what lets hiding be inherited from
//! ancestors without building a tree. Every search is bounded, so deep or hostile markup costs
//! linear time.

use super::tokenizer::Tag;
use std::borrow::Cow;

/// One element still open while a document streams past: its name, and why it is hidden (its
/// own reason or an ancestor's), which everything inside it inherits.
pub(super) struct Open<'t> {
    pub name: Cow<'t, str>,
    pub hidden: Option<&'static str>,
    /// Inside `<svg>` or `<math>`, where `<x/>` closes itself.
    pub foreign: bool,
}

/// How far down the stack a closing search looks: email layouts nest a few dozen deep.
const MAX_SEARCH: usize = 256;

/// Elements that never hold children.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements that end a search for a non-matching end tag (the HTML standard's "special"
/// category): `</span>` does not reach past a `<div>` to close an outer `<span>`.
fn is_special(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "applet"
            | "area"
            | "article"
            | "aside"
            | "base"
            | "basefont"
            | "bgsound"
            | "blockquote"
            | "body"
            | "br"
            | "button"
            | "caption"
            | "center"
            | "col"
            | "colgroup"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "embed"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "iframe"
            | "img"
            | "input"
            | "li"
            | "link"
            | "listing"
            | "main"
            | "marquee"
            | "menu"
            | "meta"
            | "nav"
            | "noembed"
            | "noframes"
            | "noscript"
            | "object"
            | "ol"
            | "p"
            | "param"
            | "plaintext"
            | "pre"
            | "script"
            | "search"
            | "section"
            | "select"
            | "source"
            | "style"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "template"
            | "textarea"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "track"
            | "ul"
            | "wbr"
            | "xmp"
    )
}

/// Elements whose start closes an open `<p>`.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "ul"
            | "li"
            | "dd"
            | "dt"
    )
}

/// Boundaries of the ordinary element scope.
fn is_scope(name: &str) -> bool {
    matches!(
        name,
        "applet" | "caption" | "html" | "table" | "td" | "th" | "marquee" | "object" | "template"
    )
}

/// Boundaries of the scope in which a start tag closes an open `<p>`.
fn is_p_scope(name: &str) -> bool {
    matches!(
        name,
        "applet"
            | "caption"
            | "html"
            | "table"
            | "td"
            | "th"
            | "marquee"
            | "object"
            | "template"
            | "button"
    )
}

/// Boundaries of the table scope.
fn is_table_scope(name: &str) -> bool {
    matches!(name, "table" | "html" | "template")
}

/// Table parts that may sit directly in a table; anything else is fostered out of it.
fn is_table_content(name: &str) -> bool {
    matches!(
        name,
        "caption"
            | "col"
            | "colgroup"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "table"
            | "style"
            | "script"
            | "template"
            | "form"
            | "input"
    )
}

/// Where the nearest open element named one of `names` is, searching from the top and giving
/// up at an element `stop` says ends the search (unless it is one of `names`).
fn find(stack: &[Open], names: &[&str], stop: impl Fn(&str) -> bool) -> Option<usize> {
    for (i, open) in stack.iter().enumerate().rev().take(MAX_SEARCH) {
        let name = open.name.as_ref();
        if names.contains(&name) {
            return Some(i);
        }
        if stop(name) {
            return None;
        }
    }
    None
}

/// Closes the elements a start tag named `name` implies the end of.
pub(super) fn close_implied(stack: &mut Vec<Open>, name: &str) {
    let found = match name {
        "td" | "th" => find(stack, &["td", "th"], |n| {
            matches!(n, "tr" | "table" | "html" | "template")
        }),
        "tr" => find(stack, &["tr"], is_table_scope),
        "tbody" | "thead" | "tfoot" => {
            find(stack, &["table"], |n| matches!(n, "html" | "template")).map(|table| table + 1)
        }
        "li" => find(stack, &["li"], |n| {
            matches!(n, "ul" | "ol" | "table" | "td" | "th" | "html")
        }),
        "dd" | "dt" => find(stack, &["dd", "dt"], |n| {
            matches!(n, "dl" | "table" | "td" | "th" | "html")
        }),
        "a" => find(stack, &["a"], is_scope),
        _ if closes_p(name) => find(stack, &["p"], is_p_scope),
        _ => None,
    };
    if let Some(at) = found {
        stack.truncate(at);
    }
}

/// Closes the element an end tag names, when it is open within its scope.
pub(super) fn close(stack: &mut Vec<Open>, name: &str) {
    let found = match name {
        // A body or html end tag leaves them open: whatever follows still goes inside.
        "body" | "html" | "p" | "br" => return,
        "table" => find(stack, &[name], |n| matches!(n, "html" | "template")),
        "tr" | "tbody" | "thead" | "tfoot" | "td" | "th" | "caption" => {
            find(stack, &[name], is_table_scope)
        }
        _ if is_special(name) => find(stack, &[name], is_scope),
        _ => find(stack, &[name], is_special),
    };
    if let Some(at) = found {
        stack.truncate(at);
    }
}

/// The open element a new element named `name` goes into: the top of the stack, or, for
/// content written straight into a table, the table's own parent. `None` means the document.
pub(super) fn parent_of(stack: &[Open], name: &str) -> Option<usize> {
    let top = stack.len().checked_sub(1)?;
    let in_table = matches!(
        stack[top].name.as_ref(),
        "table" | "tbody" | "thead" | "tfoot" | "tr"
    );
    if !in_table || is_table_content(name) {
        return Some(top);
    }
    find(stack, &["table"], |_| false).and_then(|table| table.checked_sub(1))
}

/// Whether the element stays open for what follows it.
pub(super) fn opens(tag: &Tag, stack: &[Open]) -> bool {
    if is_void(&tag.name) {
        return false;
    }
    // `<x/>` closes itself only inside SVG or MathML; in HTML the slash is ignored.
    !(tag.self_closing && in_foreign(tag, stack))
}

/// Whether an element is SVG or MathML content: it is `<svg>`/`<math>` or inside one.
pub(super) fn in_foreign(tag: &Tag, stack: &[Open]) -> bool {
    matches!(tag.name.as_ref(), "svg" | "math") || stack.last().is_some_and(|open| open.foreign)
}
