//! Bad input: every message accounted for, never a panic, never the whole run lost.

use crate::common::*;

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn an_oversize_message_is_an_error_and_its_neighbours_are_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(20_000);
    let mbox = format!(
        "From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: small\n\nhi\n\n\
         From b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\nSubject: big\n\n{big}\n\n\
         From c@example.com Mon Jan  1 00:00:00 2024\nFrom: c@example.com\nSubject: after\n\nhi\n"
    );
    let path = write(dir.path(), "big.mbox", mbox.as_bytes());
    let report = scan_with(&[path], |o| o.limits.max_message_bytes = 10_000);
    assert_eq!(report.scanned.messages, 2);
    assert_eq!(report.errors.len(), 1);
    assert!(
        report.errors[0].error.contains("size cap"),
        "{:?}",
        report.errors[0]
    );
    let offset = report.errors[0].locator.offset.unwrap() as usize;
    assert!(mbox[offset..].starts_with("From b@example.com"));
}

#[test]
fn a_truncated_mbox_keeps_what_it_has_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("formats/mboxo.mbox")).unwrap();
    let third = whole.windows(5).rposition(|w| w == b"From ").unwrap();
    // Cut the last message inside its header block.
    let cut = &whole[..third + 60];
    let path = write(dir.path(), "cut.mbox", cut);
    let report = scan_all(&[path]);
    assert_eq!(report.scanned.messages + report.scanned.errors, 3);
    let last = report.messages.last().unwrap();
    assert!(
        last.warnings.iter().any(|w| w.contains("header block")),
        "{last:?}"
    );
}

#[test]
fn a_file_that_is_not_mail_named_on_the_command_line_is_an_error_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "photo.jpg", b"\xff\xd8\xff\xe0 not mail at all");
    let report = scan_all(&[path]);
    assert_eq!(report.scanned.messages, 0);
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].error.contains("not a mail"));
}

#[test]
fn empty_and_garbage_files_in_a_folder_never_stop_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.eml", b"");
    write(
        dir.path(),
        "random.bin",
        &(0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    );
    std::fs::copy(fixture("formats/single.eml"), dir.path().join("ok.eml")).unwrap();
    let report = scan_all(&[dir.path().to_owned()]);
    assert_eq!(report.scanned.messages, 1);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(report.errors[0].locator.path.ends_with("empty.eml"));
    assert_eq!(report.skipped.len(), 1);
}

#[test]
fn a_symlink_loop_is_reported_and_the_walk_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inner")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("inner/loop")).unwrap();
    std::fs::copy(
        fixture("formats/single.eml"),
        dir.path().join("inner/ok.eml"),
    )
    .unwrap();
    let report = scan_all(&[dir.path().to_owned()]);
    assert_eq!(report.scanned.messages, 1);
    assert_error_mentions(&report, "loop");
}

#[test]
fn text_before_the_first_separator_is_scanned_when_it_is_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = b"From: first@example.com\nSubject: no separator above me\n\nhello\n\n\
From b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\nSubject: two\n\nhi\n";
    let path = write(dir.path(), "x.mbox", mbox);
    let report = scan_all(&[path]);
    assert_eq!(report.scanned.messages, 2);
    assert_eq!(
        report.messages[0].from.as_deref(),
        Some("first@example.com")
    );
    assert!(!report.messages[0].warnings.is_empty());
}

#[test]
fn a_gzip_file_that_is_cut_short_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("formats/gz/archive.mbox.gz")).unwrap();
    let path = write(dir.path(), "cut.mbox.gz", &whole[..whole.len() / 2]);
    let report = scan_all(&[path]);
    assert!(report.scanned.errors >= 1, "{report:?}");
}

#[test]
fn gzip_and_bzip2_mboxes_cut_short_keep_the_messages_before_the_cut() {
    use std::io::Write;
    // 400 messages of about 2 KB, each different, so that the compressed streams are long
    // and a cut halfway falls well after the first messages.
    let mut mbox = Vec::new();
    for i in 0..400u64 {
        let noise: String = (0..2000u64)
            .map(|j| char::from(b'a' + ((i * 7919 + j * j * 31) % 26) as u8))
            .collect();
        write!(
            mbox,
            "From s{i}@example.com Mon Jan  1 00:00:00 2024\nFrom: s{i}@example.com\n\
             Subject: number {i}\nMessage-ID: <cut-{i}@example.com>\n\n{noise}\n\n"
        )
        .unwrap();
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gzip.write_all(&mbox).unwrap();
    // Level 1: 100 KB blocks, each decoded whole.
    let mut bzip2 = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    bzip2.write_all(&mbox).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, whole) in [
        ("cut.mbox.gz", gzip.finish().unwrap()),
        ("cut.mbox.bz2", bzip2.finish().unwrap()),
    ] {
        let path = write(dir.path(), name, &whole[..whole.len() / 2]);
        let report = scan_all(&[path]);
        let kept = report.scanned.messages;
        assert!(kept > 100 && kept < 400, "{name}: {kept} messages");
        assert_error_mentions(&report, "the data is cut short");
    }
}

#[test]
fn html_cut_before_the_closing_boundary_is_still_inspected() {
    let dir = tempfile::tempdir().unwrap();
    let message =
        b"From: news@shop.example\nTo: reader@example.org\nSubject: cut\nMIME-Version: 1.0\n\
Content-Type: multipart/alternative; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nhello\n\
--b1\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n\
<img src=3D\"https://t.example/open?id=3DAbC123xYz789QwErTy\" width=3D\"1\" height=3D\"1\">\n";
    let path = write(dir.path(), "cut.eml", message);
    let report = scan_all(&[path]);
    let found = &report.messages[0];
    let pixel = found
        .findings
        .iter()
        .find(|f| f.kind == mailtrace::Kind::Pixel)
        .expect("beacon in the cut part");
    assert_eq!(
        pixel.url.as_deref(),
        Some("https://t.example/open?id=AbC123xYz789QwErTy")
    );
    assert!(found
        .warnings
        .iter()
        .any(|w| w.contains("closing boundary")));
}
