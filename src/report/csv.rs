//! `--format csv`: one row per finding, for a spreadsheet or a data frame. A message without
//! findings that is listed anyway (`--all-messages`, or one with a reading warning) is one row
//! with the finding's columns empty; an error is one row naming its place and reason, so no
//! message is lost from the table either.
//!
//! Fields are quoted as RFC 4180 has it. Subjects, addresses and URLs come from strangers, and
//! spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula: such a cell is
//! written with a `'` before it, which spreadsheets show as text. Control characters other than
//! line breaks and tabs become U+FFFD, so a table printed to a terminal cannot drive it.

use super::{ErrorEntry, MessageReport};
use crate::finding::Finding;

const COLUMNS: [&str; 22] = [
    "record",
    "path",
    "entry",
    "offset",
    "part",
    "message_id",
    "from",
    "date",
    "subject",
    "read",
    "kind",
    "technique",
    "vendor",
    "rule",
    "url",
    "header",
    "third_party",
    "confidence",
    "evidence",
    "location",
    "details",
    "error",
];

pub fn write_header(out: &mut Vec<u8>) {
    write_row(out, &COLUMNS)
}

/// The message's rows: one per finding, or one without a finding.
pub fn write_message(report: &MessageReport, out: &mut Vec<u8>) {
    let offset = report.locator.offset.map(|o| o.to_string());
    let read = report.read.map(|read| read.to_string());
    let message = [
        "message",
        &report.locator.path,
        opt(&report.locator.entry),
        opt(&offset),
        opt(&report.locator.part),
        opt(&report.message_id),
        opt(&report.from),
        opt(&report.date),
        opt(&report.subject),
        opt(&read),
    ];
    if report.findings.is_empty() {
        let mut row = [""; COLUMNS.len()];
        row[..message.len()].copy_from_slice(&message);
        return write_row(out, &row);
    }
    for finding in &report.findings {
        let third_party = finding.third_party.map(|t| t.to_string());
        let details = details(finding);
        let mut row = [""; COLUMNS.len()];
        row[..message.len()].copy_from_slice(&message);
        row[0] = "finding";
        row[message.len()..COLUMNS.len() - 1].copy_from_slice(&[
            finding.kind.as_str(),
            &finding.technique,
            opt(&finding.vendor),
            opt(&finding.rule),
            opt(&finding.url),
            opt(&finding.header),
            opt(&third_party),
            finding.confidence.as_str(),
            &finding.evidence,
            &finding.location,
            &details,
        ]);
        write_row(out, &row);
    }
}

pub fn write_error(error: &ErrorEntry, out: &mut Vec<u8>) {
    let offset = error.locator.offset.map(|o| o.to_string());
    let mut row = [""; COLUMNS.len()];
    row[..5].copy_from_slice(&[
        "error",
        &error.locator.path,
        opt(&error.locator.entry),
        opt(&offset),
        opt(&error.locator.part),
    ]);
    row[COLUMNS.len() - 1] = &error.error;
    write_row(out, &row)
}

fn opt(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

/// The technique's particular facts as one compact JSON object (empty when there are none).
fn details(finding: &Finding) -> String {
    if finding.details.is_empty() {
        return String::new();
    }
    serde_json::to_string(&finding.details).unwrap_or_default()
}

/// The cells of one row (RFC 4180 quoting undone): the reverse of `write_row`, for rows other
/// programs write (the engine's recipient lists).
pub fn split_row(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(cell) = cells.last_mut() {
                    cell.push('"');
                }
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(String::new()),
            (c, _) => {
                if let Some(cell) = cells.last_mut() {
                    cell.push(c);
                }
            }
        }
    }
    cells
}

/// The cells of one row as written, quotes left on, without copying any: for looking for a
/// value in a row that comes from a stranger (a header of twenty million commas must not
/// become twenty million strings).
pub fn raw_cells(row: &str) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    row.split(move |c| {
        if c == '"' {
            quoted = !quoted;
        }
        c == ',' && !quoted
    })
}

fn write_row(line: &mut Vec<u8>, cells: &[&str]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        write_cell(cell, line);
    }
    line.extend_from_slice(b"\r\n");
}

/// A cell, quoted when it holds a separator, a quote or a line break, and defused when a
/// spreadsheet would read it as a formula or a terminal as a command.
fn write_cell(cell: &str, line: &mut Vec<u8>) {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = cell.contains([',', '"', '\r', '\n']);
    if quoted {
        line.push(b'"');
    }
    if formula {
        line.push(b'\'');
    }
    let mut utf8 = [0; 4];
    for c in cell.chars() {
        let c = match c {
            '"' => {
                line.push(b'"');
                c
            }
            '\n' | '\r' | '\t' => c,
            c if c.is_control() => char::REPLACEMENT_CHARACTER,
            c => c,
        };
        line.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
    if quoted {
        line.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> String {
        let mut line = Vec::new();
        write_cell(text, &mut line);
        String::from_utf8(line).unwrap()
    }

    #[test]
    fn cells_are_quoted_only_when_they_must_be() {
        assert_eq!(cell("plain text"), "plain text");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(""), "");
        assert_eq!(cell("café\u{1b}[2J"), "café\u{fffd}[2J");
    }

    #[test]
    fn a_row_written_is_read_back_cell_for_cell() {
        let cells = ["plain", "a,b", "say \"hi\"", "", "two\nlines", "é"];
        let mut line = Vec::new();
        write_row(&mut line, &cells);
        let text = String::from_utf8(line).unwrap();
        let row = text.strip_suffix("\r\n").unwrap();
        assert_eq!(split_row(row), cells);
        let raw: Vec<&str> = raw_cells(row).collect();
        assert_eq!(raw.len(), cells.len());
        assert_eq!(raw[1], "\"a,b\"");
    }

    #[test]
    fn a_formula_from_a_stranger_stays_text() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(cell("+1 offer"), "'+1 offer");
        assert_eq!(cell("-5%"), "'-5%");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("1 = 1"), "1 = 1");
    }
}
