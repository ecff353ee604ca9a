//! Every mailbox format, read right: message counts, offsets, `>From ` unquoting per variant.

use crate::common::*;
use mailtrace::source::MboxFormat;

fn body_text(message: &mailtrace::source::RawMessage) -> String {
    String::from_utf8_lossy(&message.bytes).into_owned()
}

#[test]
fn the_whole_format_tree_yields_all_57_messages_and_reports_the_preamble() {
    let report = scan_all(&[fixture("formats")]);
    assert_eq!(report.scanned.messages, 57);
    // The preamble of preamble.mbox, and the PPMd member of archives/mixed.zip.
    assert_eq!(report.errors.len(), 2, "{:?}", report.errors);
    let preamble = report
        .errors
        .iter()
        .find(|e| e.locator.path.ends_with("preamble.mbox"))
        .expect("the preamble's error entry");
    assert!(preamble.error.contains("before the first From separator"));
    let ids = message_ids(&report);
    assert!(
        !ids.iter().any(|id| id.contains("maildir-4-tmp")),
        "tmp/ must be ignored"
    );
}

#[test]
fn a_single_eml_file_is_one_message() {
    let message = scan_one("formats/single.eml");
    assert_eq!(message.from.as_deref(), Some("news@shop.example"));
    assert_eq!(
        message.subject.as_deref(),
        Some("New arrivals at Shop Example")
    );
    assert_eq!(message.locator.offset, None);
}

#[test]
fn eml_folders_are_walked_recursively_and_stray_text_is_skipped_not_lost() {
    let report = scan_all(&[fixture("formats/eml-folder")]);
    assert_eq!(report.scanned.messages, 3);
    assert_eq!(report.scanned.errors, 0);
    assert_eq!(report.skipped.len(), 1);
    assert!(report.skipped[0].path.ends_with("notes.txt"));
}

#[test]
fn mboxo_unquotes_from_lines() {
    let messages = raw_messages(&fixture("formats/mboxo.mbox"), MboxFormat::Auto);
    assert_eq!(messages.len(), 3);
    let body = body_text(&messages[1]);
    assert!(body.contains("\nFrom the desk of the editor\n"), "{body}");
    assert!(!body.contains(">From the desk"));
}

#[test]
fn mboxrd_removes_exactly_one_quote_level() {
    let messages = raw_messages(&fixture("formats/mboxrd.mbox"), MboxFormat::Mboxrd);
    assert_eq!(messages.len(), 2);
    let body = body_text(&messages[0]);
    assert!(body.contains("\nFrom here\n>From there\n"), "{body}");
    assert!(body_text(&messages[1]).contains("Fromage is French for cheese."));
}

#[test]
fn mboxo_mode_leaves_deeper_quoting_alone() {
    let messages = raw_messages(&fixture("formats/mboxrd.mbox"), MboxFormat::Mboxo);
    assert!(body_text(&messages[0]).contains("\nFrom here\n>>From there\n"));
}

#[test]
fn mboxcl2_trusts_content_length_over_a_bare_from_line() {
    let messages = raw_messages(&fixture("formats/mboxcl2.mbox"), MboxFormat::Auto);
    assert_eq!(messages.len(), 3);
    let first = body_text(&messages[0]);
    assert!(
        first.contains("\nFrom the archive, 1999 edition\n"),
        "{first}"
    );
    assert!(first.ends_with("Regards,\nAnn\n"), "{first:?}");
    assert!(body_text(&messages[1]).ends_with("Meet at the Café at noon?\nBea\n"));
}

#[test]
fn mboxcl_unquotes_inside_content_length_bodies() {
    for format in [MboxFormat::Auto, MboxFormat::Mboxcl] {
        let messages = raw_messages(&fixture("formats/mboxcl.mbox"), format);
        assert_eq!(messages.len(), 2);
        assert!(body_text(&messages[0]).contains("\nFrom time to time the printer jams."));
        assert!(body_text(&messages[1]).contains("\n\nFrom the top:"));
    }
    let kept = raw_messages(&fixture("formats/mboxcl.mbox"), MboxFormat::Mboxcl2);
    assert!(body_text(&kept[0]).contains(">From time to time"));
}

#[test]
fn crlf_mboxes_split_and_parse_cleanly() {
    let report = scan_all(&[fixture("formats/crlf.mbox")]);
    assert_eq!(report.scanned.messages, 3);
    for message in &report.messages {
        let subject = message.subject.as_deref().unwrap();
        assert!(subject.starts_with("CRLF message") && !subject.ends_with('\r'));
    }
}

#[test]
fn odd_envelope_dates_are_all_separators() {
    let report = scan_all(&[fixture("formats/odd-dates.mbox")]);
    assert_eq!(report.scanned.messages, 5);
    assert_eq!(report.scanned.errors, 0);
}

#[test]
fn offsets_point_at_each_message_from_line() {
    let path = fixture("formats/takeout/All mail Including Spam and Trash.mbox");
    let bytes = std::fs::read(&path).unwrap();
    let report = scan_all(&[path]);
    assert_eq!(report.scanned.messages, 3);
    let mut previous = None;
    for message in &report.messages {
        let offset = message.locator.offset.expect("mbox members have offsets") as usize;
        assert!(bytes[offset..].starts_with(b"From "), "offset {offset}");
        assert!(offset == 0 || bytes[offset - 1] == b'\n');
        assert!(previous < Some(offset));
        previous = Some(offset);
    }
}

#[test]
fn thunderbird_profiles_read_mboxes_and_skip_indexes() {
    let report = scan_all(&[fixture("formats/thunderbird")]);
    assert_eq!(report.scanned.messages, 4);
    assert_eq!(report.scanned.errors, 0);
    let skipped: Vec<&str> = report.skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(skipped.iter().filter(|p| p.ends_with(".msf")).count(), 3);
    assert!(
        skipped.iter().any(|p| p.ends_with("Trash")),
        "empty mbox listed as skipped"
    );
}

#[test]
fn maildir_reads_cur_new_and_subfolders_but_never_tmp() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("formats/maildir"), dir.path());
    std::fs::create_dir_all(dir.path().join(".Work/new")).unwrap();
    std::fs::create_dir_all(dir.path().join(".Work/tmp")).unwrap();
    let report = scan_all(&[dir.path().to_owned()]);
    assert_eq!(report.scanned.messages, 4);
    let mut ids = message_ids(&report);
    ids.sort();
    assert_eq!(
        ids,
        [
            "<maildir-1@example.com>",
            "<maildir-2@example.com>",
            "<maildir-3@example.com>",
            "<maildir-5@example.com>"
        ]
    );
    assert!(report
        .messages
        .iter()
        .any(|m| m.locator.path.ends_with(":2,FS")));
}

#[test]
fn apple_mail_emlx_keeps_the_message_and_drops_the_plist() {
    let dir = fixture("formats/applemail");
    let messages = raw_messages(&dir, MboxFormat::Auto);
    assert_eq!(messages.len(), 3);
    for message in &messages {
        let text = body_text(message);
        assert!(
            !text.contains("<plist"),
            "plist leaked into {}",
            message.locator
        );
        assert!(text.starts_with(|c: char| c.is_ascii_alphabetic()));
    }
    assert_eq!(scan_all(&[dir]).scanned.messages, 3);
}

#[test]
fn gzip_archives_are_read_through() {
    let report = scan_all(&[fixture("formats/gz")]);
    assert_eq!(report.scanned.messages, 3);
    let mut ids = message_ids(&report);
    ids.sort();
    assert_eq!(
        ids,
        [
            "<gz-eml-1@newsletter.example>",
            "<gz-mbox-1@example.com>",
            "<gz-mbox-2@example.com>"
        ]
    );
}

#[test]
fn bzip2_xz_and_zstd_files_are_read_through() {
    let report = scan_all(&[fixture("formats/compressed")]);
    assert_eq!(report.scanned.errors, 0, "{:?}", report.errors);
    let mut ids = message_ids(&report);
    ids.sort();
    assert_eq!(
        ids,
        [
            "<bz2-mbox-1@lists.example>",
            "<bz2-mbox-2@lists.example>",
            "<txz-maildir-1@example.net>",
            "<xz-mbox-1@news.example>",
            // Two zstd frames, each after a skippable frame: both are read.
            "<zst-mbox-1@example.com>",
            "<zst-mbox-2@example.com>",
        ]
    );
    let by_id = |id: &str| {
        report
            .messages
            .iter()
            .find(|m| m.message_id.as_deref() == Some(id))
            .unwrap()
    };
    // Offsets count the decompressed mbox; a `.txz` is a tar whose member is a Maildir file.
    let second = by_id("<zst-mbox-2@example.com>");
    assert!(second.locator.offset.unwrap() > 0);
    let maildir = by_id("<txz-maildir-1@example.net>");
    assert_eq!(
        maildir.locator.entry.as_deref(),
        Some("Maildir/cur/1713085200.M201P9.host:2,S")
    );
    assert_eq!(maildir.read, Some(true));
    assert!(by_id("<xz-mbox-1@news.example>")
        .findings
        .iter()
        .any(|f| f.kind == mailtrace::Kind::Pixel));
}

#[test]
fn a_file_named_mbox_with_a_preamble_keeps_both_messages() {
    let report = scan_all(&[fixture("formats/preamble.mbox")]);
    assert_eq!(report.scanned.messages, 2);
    assert_eq!(report.errors[0].locator.offset, Some(0));
}

#[test]
fn non_utf8_file_names_are_shown_losslessly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-\xff.eml");
    std::fs::copy(fixture("formats/single.eml"), dir.path().join(name)).unwrap();
    let report = scan_all(&[dir.path().to_owned()]);
    assert_eq!(report.scanned.messages, 1);
    assert!(report.messages[0]
        .locator
        .path
        .ends_with("caf\\xE9-\\xFF.eml"));
}

#[test]
fn detection_by_content_finds_an_mbox_without_an_extension() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("formats/mboxo.mbox"), dir.path().join("saved-mail")).unwrap();
    assert_eq!(scan_all(&[dir.path().to_owned()]).scanned.messages, 3);
}
