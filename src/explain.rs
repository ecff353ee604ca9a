//! `mailtrace explain`: findings for a person. For a message, each finding with its evidence, the
//! HTML around it and the element's place in the document; for a technique, its documentation
//! from the registry.
//!
//! The scan reads HTML in one streaming pass (detect/tokenizer.rs). Here, for one message, the
//! full HTML5 tree that scraper (html5ever) builds is affordable, and it is what a reader wants
//! to see: the element's ancestors as a browser would nest them, with any that hide it.

use crate::detect::techniques::{self, Technique};
use crate::finding::Finding;
use crate::message::MessageView;
use crate::report::summary::printable;
use std::fmt::Write;

/// Characters of HTML shown on each side of a finding's URL.
const CONTEXT: usize = 90;

/// A readable account of one message's findings; `read` is the mailbox's read flag for it.
pub fn explain_message(view: &MessageView<'_>, findings: &[Finding], read: Option<bool>) -> String {
    let mut out = String::new();
    // Each HTML part's tree, built once for all the findings.
    let documents: Vec<scraper::Html> = view
        .html_parts()
        .chain(view.amp_parts())
        .map(|(_, html)| scraper::Html::parse_document(html))
        .collect();
    let field = |value: Option<&str>| printable(value.unwrap_or("(none)"), 120);
    let _ = writeln!(out, "Message-ID: {}", field(view.message_id.as_deref()));
    let _ = writeln!(
        out,
        "From:       {}",
        field(view.from.as_ref().map(|f| f.address.as_str()))
    );
    let _ = writeln!(out, "Subject:    {}", field(view.subject.as_deref()));
    let _ = writeln!(
        out,
        "Date:       {}",
        field(view.date.as_ref().map(|d| d.rfc3339.as_str()))
    );
    match read {
        Some(true) => {
            let _ = writeln!(out, "Read:       yes, the mailbox marks it read");
        }
        Some(false) => {
            let _ = writeln!(out, "Read:       no, the mailbox marks it unread");
        }
        None => {}
    }
    let tracking = findings.iter().filter(|f| f.is_tracking()).count();
    let _ = writeln!(
        out,
        "{} findings, {} of them tracking\n",
        findings.len(),
        tracking
    );
    for (number, finding) in findings.iter().enumerate() {
        let who = match (&finding.vendor, &finding.rule) {
            (Some(vendor), Some(rule)) => format!(" — {} [{}]", printable(vendor, 60), rule),
            (Some(vendor), None) => format!(" — {}", printable(vendor, 60)),
            _ => String::new(),
        };
        let party = match finding.third_party {
            Some(true) => ", third party",
            Some(false) => ", first party",
            None => "",
        };
        let _ = writeln!(
            out,
            "[{}] {} / {} ({:?}{party}){who}",
            number + 1,
            finding.kind,
            finding.technique,
            finding.confidence
        );
        if let Some(url) = &finding.url {
            let _ = writeln!(out, "    url:   {}", printable(url, 300));
        }
        if let Some(header) = &finding.header {
            let _ = writeln!(out, "    header: {}", printable(header, 300));
        }
        let _ = writeln!(out, "    where: {}", printable(&finding.location, 200));
        let _ = writeln!(out, "    why:   {}", printable(&finding.evidence, 300));
        for (key, value) in &finding.details {
            let _ = writeln!(out, "    {key}: {}", printable(value, 200));
        }
        if let Some(snippet) = finding.url.as_deref().and_then(|url| snippet(view, url)) {
            let _ = writeln!(out, "    html:  {snippet}");
        }
        if let Some(path) = finding
            .url
            .as_deref()
            .and_then(|url| element_path(&documents, url))
        {
            let _ = writeln!(out, "    tree:  {}", printable(&path, 600));
        }
        out.push('\n');
    }
    out
}

/// The HTML around the first place a URL is written, on one line.
fn snippet(view: &MessageView<'_>, url: &str) -> Option<String> {
    let escaped = url.replace('&', "&amp;");
    view.html_parts()
        .chain(view.amp_parts())
        .find_map(|(_, html)| {
            let (pos, len) = html
                .find(url)
                .map(|p| (p, url.len()))
                .or_else(|| html.find(&escaped).map(|p| (p, escaped.len())))?;
            let mut start = pos.saturating_sub(CONTEXT);
            while !html.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (pos + len + CONTEXT).min(html.len());
            while !html.is_char_boundary(end) {
                end += 1;
            }
            let flat: String = html[start..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            Some(format!("…{}…", printable(&flat, 600)))
        })
}

/// Attributes shown on an ancestor in `element_path`: the ones that can hide what is inside.
const HIDING_ATTRIBUTES: &[&str] = &["hidden", "style"];

/// The first element with an attribute holding `url`, as `html > body > … > img`, in the tree
/// an HTML5 parser builds; ancestors with a `style` or `hidden` attribute show it.
fn element_path(documents: &[scraper::Html], url: &str) -> Option<String> {
    documents.iter().find_map(|document| {
        let node = document.tree.nodes().find(|node| {
            node.value()
                .as_element()
                .is_some_and(|element| element.attrs().any(|(_, value)| value.contains(url)))
        })?;
        let mut steps: Vec<String> = node
            .ancestors()
            .filter_map(|ancestor| ancestor.value().as_element())
            .map(|element| {
                let shown: Vec<String> = element
                    .attrs()
                    .filter(|(name, _)| HIDING_ATTRIBUTES.contains(name))
                    .map(|(name, value)| format!("[{name}=\"{}\"]", printable(value, 80)))
                    .collect();
                format!("{}{}", element.name(), shown.concat())
            })
            .collect();
        steps.reverse();
        steps.push(node.value().as_element()?.name().to_owned());
        Some(steps.join(" > "))
    })
}

/// A technique's documentation.
pub fn explain_technique(technique: &Technique) -> String {
    let doc: Vec<&str> = technique
        .doc
        .lines()
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect();
    format!(
        "{} (kind {})\n\n{}\n",
        technique.id,
        technique.kind,
        doc.join("\n").trim_end()
    )
}

/// One line per technique: id, kind, title.
pub fn list_techniques() -> String {
    techniques::ALL
        .iter()
        .map(|t| {
            format!(
                "{:<34} {:<17} {}\n",
                t.id,
                t.kind.as_str(),
                t.doc.lines().next().unwrap_or("").trim()
            )
        })
        .collect()
}
