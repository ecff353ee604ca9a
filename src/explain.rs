//! `mailtrace explain`: findings for a person. For a message, each finding with its evidence and
//! the HTML around it; for a technique, its documentation from the registry.

use crate::detect::techniques::{self, Technique};
use crate::finding::Finding;
use crate::message::MessageView;
use crate::report::summary::printable;
use std::fmt::Write;

/// Characters of HTML shown on each side of a finding's URL.
const CONTEXT: usize = 90;

/// A readable account of one message's findings.
pub fn explain_message(view: &MessageView<'_>, findings: &[Finding]) -> String {
    let mut out = String::new();
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
