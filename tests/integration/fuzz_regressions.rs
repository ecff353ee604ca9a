//! Replays of bugs found while fuzzing (docs/fuzzing.md). Each input is kept under
//! tests/fuzz-regressions/; each test runs the code path that went wrong and checks what a user
//! would see: the scan completes and every message is scanned or reported.
//!
//! The bugs so far are slow inputs (time quadratic in their size). Tests do not time; instead
//! the inputs are repeated to a size where the old code would run for many minutes, so a
//! regression shows as a test that does not finish.

use crate::common::*;
use mailtrace::detect::css::urls_in_css;
use mailtrace::detect::html::text_links;
use mailtrace::detect::{inspect, Context};
use mailtrace::source::{Item, MboxFormat, MboxSplitter};
use mailtrace::{Limits, MessageView, RuleSet};
use std::path::{Path, PathBuf};

/// A kept input's path: the files whose format the scan tells by content and name (`.msg`,
/// `.pst`) are scanned where they lie.
fn input_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(name)
}

fn input(name: &str) -> Vec<u8> {
    let path = input_path(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn repeated(name: &str, size: usize) -> String {
    let unit = String::from_utf8(input(name)).expect("regression inputs are text");
    unit.repeat(size / unit.len())
}

/// Each `url(` looked back to the start of its declaration and block: with no `;`, `{` or `}`
/// that is the whole stylesheet before it, so 1 MB of `url(x)` was ~10^11 steps.
#[test]
fn css_url_context_lookback_was_quadratic() {
    let css = repeated("css-url-run.css", 1 << 20);
    let urls = urls_in_css(&css);
    assert_eq!(urls.len(), css.len() / "url(x)".len());
    assert!(urls.iter().all(|u| u.url == "x" && u.context == "url"));

    // The same stylesheet in a message: scanned, its remote-less URLs do not stop it.
    let style = repeated("css-url-run.css", 256 * 1024);
    let message = format!(
        "From: news@sender.example\nTo: reader@example.org\nSubject: css\nMessage-ID: <css@sender.example>\n\
         MIME-Version: 1.0\nContent-Type: text/html\n\n<html><head><style>{style}</style></head>\
         <body><img src=\"https://t.sender.example/o.gif?u=cmVhZGVyQGV4YW1wbGUub3Jn\" width=1 height=1></body></html>\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("css.eml");
    std::fs::write(&path, message).unwrap();
    let report = scan_all(&[path]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.messages.len(), 1);
    assert!(!report.messages[0].findings.is_empty());
}

/// Every unclosed `image-set(` searched to the end of the stylesheet for its strings, and a
/// nested one searched again what its parent had: quadratic in the nesting.
#[test]
fn css_nested_unclosed_image_set_was_quadratic() {
    let mut css = repeated("css-image-set-run.css", 1 << 20);
    css.push_str("\"https://t.example/a.png\" 1x");
    let urls = urls_in_css(&css);
    assert_eq!(
        urls.len(),
        1,
        "the string is found once, not once per level"
    );
    assert_eq!(urls[0].url, "https://t.example/a.png");
}

/// A member whose Content-Length is far too large makes the splitter read that much ahead and
/// give it back: with thousands of such members every one re-read the rest of the file.
#[test]
fn mbox_stale_content_lengths_were_quadratic() {
    let unit = input("mbox-stale-content-length.mbox");
    let members = 40_000;
    let file = unit.repeat(members);
    let mut messages = 0;
    let mut warned = 0;
    for item in MboxSplitter::new(&file[..], "stale.mbox", MboxFormat::Auto, 1 << 20) {
        match item {
            Item::Message(message) => {
                assert!(message.bytes.starts_with(b"Content-Length: 999999\n\nb\n"));
                messages += 1;
                warned += message
                    .warnings
                    .iter()
                    .filter(|w| w.contains("Content-Length"))
                    .count();
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(messages, members, "every member is a message");
    assert_eq!(
        warned, 1,
        "the member where lengths are given up says so, once"
    );

    // Through a whole scan, with the default 64 MB message cap: every member is reported.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stale.mbox");
    std::fs::write(&path, unit.repeat(2_000)).unwrap();
    let report = scan_all(&[path]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.messages.len(), 2_000);
}

/// mail-parser 0.11.9 panics on a `debug_assert!` (release builds recover) when a
/// message/rfc822 part holds a message that is itself message/rfc822 and the outer multipart's
/// closing boundary ends both. Debug builds turned such a message into an internal-error entry;
/// mail-parser's debug assertions are now off in the dev profile (Cargo.toml), so every build
/// scans it like the released binary.
#[test]
fn mime_rfc822_in_rfc822_at_closing_boundary_is_scanned() {
    // The fuzz target's path: parse, then every detector.
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let me = ["reader@example.org".to_owned()];
    for name in [
        "mime-rfc822-in-rfc822-at-closing-boundary.eml",
        "mime-rfc822-in-rfc822-fuzzer-minimised.eml",
    ] {
        let bytes = input(name);
        let limits = Limits::default();
        let view = MessageView::parse_limited(&bytes, &limits).expect(name);
        let context = Context {
            rules: &rules,
            me: &me,
            limits,
        };
        inspect(&view, &context);
    }

    // What a user sees: the message is scanned, not reported as an internal error.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forwarded.eml");
    std::fs::write(
        &path,
        input("mime-rfc822-in-rfc822-at-closing-boundary.eml"),
    )
    .unwrap();
    let report = scan_all(&[path]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // The message, the one it encloses in part 1, and the one that one's whole body is
    // (`1/0`), each scanned as a message of its own.
    assert_eq!(
        parts_and_subjects(&report),
        [
            (None, Some("forwarded twice")),
            (Some("1"), None),
            (Some("1/0"), Some("inner"))
        ]
    );
}

/// Links in text were found by searching for `http://` and `https://` separately; the absent
/// scheme was searched for through the whole rest of the text at every link.
#[test]
fn text_links_of_one_scheme_were_quadratic() {
    let text = repeated("text-http-link-run.txt", 1 << 20);
    let links = text_links(&text, 0);
    assert_eq!(links.len(), text.len() / "http://a.b/ ".len());

    // A text/plain message of such links: scanned, every link examined up to max_urls.
    let body = repeated("text-http-link-run.txt", 256 * 1024);
    let message = format!(
        "From: news@sender.example\nTo: reader@example.org\nSubject: links\nMessage-ID: <links@sender.example>\n\
         Content-Type: text/plain\n\n{body}https://t.sender.example/c?u=reader%40example.org\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.eml");
    std::fs::write(&path, message).unwrap();
    let report = scan_all(&[path]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.messages.len(), 1);
    assert!(
        !report.messages[0].findings.is_empty(),
        "the leak in the last link is found"
    );
}

/// A `.msg` whose transport headers, read as UTF-16, begin with a field name whose eighth byte
/// lies inside a character: comparing the name's first eight bytes as a `str` slice panicked
/// (the file became an error entry through the reader's `catch_unwind`). It is read now.
#[test]
fn msg_header_name_inside_a_character_is_read() {
    let path = input_path("msg-header-name-inside-a-character.msg");
    let report = scan_all(&[path]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // The message and the message attached to it.
    assert_eq!(report.scanned.messages, 2);
}

/// An Outlook data file whose internal block claims 0x2D04 entries: outlook-pst multiplies the
/// count by the entry size in 16 bits, which panics in debug builds (the fuzz build's, and
/// the tests') and wraps in release ones. The panic, caught, left the reader's file lock
/// poisoned, so every folder and message after it failed to "lock the PST file"; the file is
/// now opened afresh after a panic, and only what is damaged is lost.
#[test]
fn pst_block_count_overflow_costs_only_its_message() {
    let path = input_path("pst-internal-block-count-overflow.pst");
    let report = scan_all(&[path]);
    assert!(
        report.errors.iter().all(|e| !e.error.contains("lock PST")),
        "{:?}",
        report.errors
    );
    let entries: Vec<_> = report
        .errors
        .iter()
        .map(|e| e.locator.entry.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        entries,
        [
            "Top of Personal Folders/0x8062",
            "Top of Personal Folders/Inbox/0x200024"
        ]
    );
}

/// The same file through the program (a debug build, where the multiplication panics): the
/// panic is named in the message's error entry, with the place it happened for a bug report,
/// and nothing is printed on standard error, where it would look like a crash.
#[test]
fn a_contained_panic_is_an_error_entry_not_a_message_on_standard_error() {
    let path = input_path("pst-internal-block-count-overflow.pst");
    let output = mailtrace(&["scan", path.to_str().unwrap(), "-q"], None);
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["error"].as_str())
        .collect();
    if cfg!(debug_assertions) {
        assert!(
            errors
                .iter()
                .any(|e| e
                    .contains("reader gave up: attempt to multiply with overflow, at outlook-pst")),
            "{errors:?}"
        );
    }
}
