//! Zip and tar archives: read as the folder they would unpack to, every member accounted for,
//! a damaged archive reported where it breaks.

use crate::common::*;
use mailtrace::report::Report;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What a scan says of each message, keyed by where it lies relative to the archive (or the
/// folder it was unpacked to): the member's name, and the offset inside it.
fn by_place(
    report: &Report,
    root: Option<&Path>,
) -> Vec<(String, Option<u64>, String, Vec<String>)> {
    let mut seen: Vec<_> = report
        .messages
        .iter()
        .map(|m| {
            let place = match root {
                Some(root) => Path::new(&m.locator.path)
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                None => m
                    .locator
                    .entry
                    .clone()
                    .expect("a member's locator names it"),
            };
            let findings = m
                .findings
                .iter()
                .map(|f| format!("{} {}", f.technique, f.url.clone().unwrap_or_default()))
                .collect();
            let id = m.message_id.clone().unwrap_or_default();
            (place, m.locator.offset, id, findings)
        })
        .collect();
    seen.sort();
    seen
}

fn write_file(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Unpacks a zip's stored and deflated files (the test's own reading, to compare against).
fn unzip(archive: &Path, to: &Path) {
    let bytes = std::fs::read(archive).unwrap();
    let zip = rawzip::ZipArchive::from_slice(&bytes).unwrap();
    for member in zip.entries() {
        let member = member.unwrap();
        if member.is_dir() {
            continue;
        }
        let name = std::str::from_utf8(member.file_path().as_bytes()).unwrap();
        let entry = zip.get_entry(member.wayfinder()).unwrap();
        let mut data = Vec::new();
        match member.compression_method() {
            rawzip::CompressionMethod::STORE => data.extend_from_slice(entry.data()),
            rawzip::CompressionMethod::DEFLATE => {
                flate2::read::DeflateDecoder::new(entry.data())
                    .read_to_end(&mut data)
                    .unwrap();
            }
            _ => continue,
        }
        write_file(&to.join(name), &data);
    }
}

/// Unpacks a gzipped tar's regular files.
fn untar(archive: &Path, to: &Path) {
    let file = std::fs::File::open(archive).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for member in tar.entries().unwrap() {
        let mut member = member.unwrap();
        if member.header().entry_type().is_file() {
            assert!(member.unpack_in(to).unwrap());
        }
    }
}

#[test]
fn a_takeout_zip_reads_as_its_unpacked_folder_does() {
    let archive = fixture("formats/archives/takeout.zip");
    let dir = tempfile::tempdir().unwrap();
    unzip(&archive, dir.path());
    let unpacked = scan_all(&[dir.path().to_owned()]);
    let zipped = scan_all(std::slice::from_ref(&archive));

    assert_eq!(zipped.scanned.messages, 2);
    assert_eq!(zipped.scanned.errors, 0, "{:?}", zipped.errors);
    assert_eq!(
        by_place(&zipped, None),
        by_place(&unpacked, Some(dir.path()))
    );
    for message in &zipped.messages {
        assert_eq!(message.locator.path, archive.to_string_lossy());
    }
    let pixel = zipped
        .messages
        .iter()
        .flat_map(|m| &m.findings)
        .find(|f| f.kind == mailtrace::Kind::Pixel)
        .expect("the Takeout mbox's open pixel");
    assert!(pixel
        .url
        .as_deref()
        .unwrap()
        .contains("open.mailer.shop.example"));
    // The overview page Takeout adds is listed, by archive and member, as the folder's is.
    assert_eq!(zipped.skipped.len(), 1, "{:?}", zipped.skipped);
    assert_eq!(
        zipped.skipped[0].entry.as_deref(),
        Some("Takeout/archive_browser.html")
    );
    assert_eq!(unpacked.skipped.len(), 1);
}

#[test]
fn a_tarred_maildir_reads_as_its_unpacked_folder_does() {
    let archive = fixture("formats/archives/maildir.tar.gz");
    let dir = tempfile::tempdir().unwrap();
    untar(&archive, dir.path());
    let unpacked = scan_all(&[dir.path().to_owned()]);
    let tarred = scan_all(std::slice::from_ref(&archive));

    assert_eq!(tarred.scanned.messages, 3);
    assert_eq!(tarred.scanned.errors, 0, "{:?}", tarred.errors);
    assert_eq!(
        by_place(&tarred, None),
        by_place(&unpacked, Some(dir.path()))
    );
    // A member path past the tar header's 100 bytes is read whole (from its PAX record).
    assert!(tarred.messages.iter().any(|m| m
        .locator
        .entry
        .as_deref()
        .unwrap()
        .ends_with("Garden Renovation Project/cur/1712674800.M103P7.host:2,RS")));
    let ids = message_ids(&tarred);
    assert!(!ids.iter().any(|id| id.contains("tmp")), "{ids:?}");
    let mut skipped: Vec<_> = tarred
        .skipped
        .iter()
        .map(|s| s.entry.clone().unwrap())
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "Maildir/dovecot-uidlist",
            "Maildir/latest",
            "Maildir/tmp/1712678400.M104P7.host"
        ]
    );
}

#[test]
fn members_that_are_not_mail_or_cannot_be_read_are_listed_and_the_rest_is_scanned() {
    let report = scan_all(&[fixture("formats/archives/mixed.zip")]);
    let mut ids = message_ids(&report);
    ids.sort();
    // Stored, a gzip file inside the zip, and members packed with bzip2, LZMA and Deflate64.
    assert_eq!(
        ids,
        [
            "<zip-bzip2-1@example.com>",
            "<zip-deflate64-1@example.com>",
            "<zip-gz-1@example.com>",
            "<zip-lzma-1@example.com>",
            "<zip-stored-1@example.com>"
        ]
    );
    // A member marked PPMd: listed as an error that names the method.
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let error = &report.errors[0];
    assert_eq!(error.source, "zip");
    assert_eq!(error.locator.entry.as_deref(), Some("letters/e.eml"));
    assert!(
        error.error.contains("compression method 98 (PPMD)"),
        "{}",
        error.error
    );
    let reason = |entry: &str| {
        report
            .skipped
            .iter()
            .find(|s| s.entry.as_deref() == Some(entry))
            .map(|s| s.reason.clone())
    };
    assert!(reason("letters/inner.zip")
        .unwrap()
        .contains("archive inside an archive"));
    assert!(reason("letters/.DS_Store").is_some());
}

/// A stored zip of `count` messages of about 2 KB, its bytes and its members' names.
fn stored_zip(count: usize) -> (Vec<u8>, Vec<String>) {
    let mut bytes = Vec::new();
    let mut names = Vec::new();
    {
        let mut zip = rawzip::ZipArchiveWriter::new(&mut bytes);
        for i in 0..count {
            let name = format!("mail/{i}.eml");
            let message = format!(
                "From: s{i}@example.com\nTo: reader@example.org\nSubject: number {i}\n\
                 Message-ID: <zip-{i}@example.com>\n\nBody of message number {i}.\n{}\n",
                "A line of the body. ".repeat(100)
            );
            let (mut entry, config) = zip.new_file(&name).start().unwrap();
            let mut writer = config.wrap(&mut entry);
            writer.write_all(message.as_bytes()).unwrap();
            let (_, descriptor) = writer.finish().unwrap();
            entry.finish(descriptor).unwrap();
            names.push(name);
        }
        zip.finish().unwrap();
    }
    (bytes, names)
}

#[test]
fn a_zip_member_whose_bytes_were_damaged_is_an_error_and_its_neighbours_are_read() {
    let (mut bytes, names) = stored_zip(3);
    let body = b"Body of message number 1";
    let at = bytes.windows(body.len()).position(|w| w == body).unwrap();
    bytes[at] = b'b';
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.zip");
    std::fs::write(&path, &bytes).unwrap();
    let report = scan_all(&[path]);
    let mut ids = message_ids(&report);
    ids.sort();
    assert_eq!(ids, ["<zip-0@example.com>", "<zip-2@example.com>"]);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(
        report.errors[0].locator.entry.as_deref(),
        Some(names[1].as_str())
    );
}

#[test]
fn zip_members_that_share_their_data_are_read_once() {
    // One member, then its entry in the member list repeated: three members whose data is the
    // same bytes, the shape of the densest zip bombs. Together they claim more bytes than the
    // file holds.
    let (bytes, _) = stored_zip(1);
    let list = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let end = bytes.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    let entry = &bytes[list..end];
    let mut bomb = bytes[..list].to_vec();
    for _ in 0..3 {
        bomb.extend_from_slice(entry);
    }
    let mut record = bytes[end..].to_vec();
    record[8..10].copy_from_slice(&3u16.to_le_bytes());
    record[10..12].copy_from_slice(&3u16.to_le_bytes());
    record[12..16].copy_from_slice(&(3 * entry.len() as u32).to_le_bytes());
    bomb.extend_from_slice(&record);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.zip");
    std::fs::write(&path, &bomb).unwrap();

    let report = scan_all(&[path]);
    assert_eq!(message_ids(&report), ["<zip-0@example.com>"]);
    assert_eq!(report.errors.len(), 2, "{:?}", report.errors);
    assert!(report.errors.iter().all(|e| e.error.contains("overlaps")));
}

#[test]
fn in_a_walked_folder_only_archives_named_as_such_are_opened() {
    // Office documents and packages are zip files: beside the mail, they are skipped.
    let dir = tempfile::tempdir().unwrap();
    let takeout = std::fs::read(fixture("formats/archives/takeout.zip")).unwrap();
    std::fs::write(dir.path().join("takeout.zip"), &takeout).unwrap();
    std::fs::write(dir.path().join("report.docx"), &takeout).unwrap();
    let tgz = std::fs::read(fixture("formats/archives/maildir.tar.gz")).unwrap();
    std::fs::write(dir.path().join("mail.tgz"), &tgz).unwrap();
    std::fs::write(dir.path().join("package.crate"), &tgz).unwrap();
    let report = scan_all(&[dir.path().to_owned()]);
    assert_eq!(report.scanned.messages, 5, "{:?}", report.errors);
    let mut skipped: Vec<_> = report
        .skipped
        .iter()
        .filter(|s| s.entry.is_none())
        .map(|s| {
            Path::new(&s.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    skipped.sort();
    assert_eq!(skipped, ["package.crate", "report.docx"]);
    // Named on the command line, the same file is opened whatever its name.
    let named = scan_all(&[dir.path().join("report.docx")]);
    assert_eq!(named.scanned.messages, 2);
}

#[test]
fn a_file_with_a_zip_signature_and_no_member_list_is_an_error_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fake.zip");
    std::fs::write(&path, b"PK\x03\x04 this is not really a zip archive\n").unwrap();
    let report = scan_all(std::slice::from_ref(&path));
    assert_eq!(report.scanned.messages, 0);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].source, "zip");
    assert!(report.errors[0].error.contains("not a readable zip"));
}

#[test]
fn a_tar_gz_cut_short_keeps_the_members_before_the_cut_and_says_so() {
    let mut tar = tar::Builder::new(Vec::new());
    for i in 0..20u64 {
        // Text that does not compress away, so the cut falls among the members.
        let noise: String = (0..3000u64)
            .map(|j| char::from(b'a' + ((i * 7919 + j * j * 104_729) % 26) as u8))
            .collect();
        let message = format!(
            "From: s{i}@example.com\nTo: reader@example.org\nSubject: {i}\nMessage-ID: <t{i}@example.com>\n\n{noise}\n"
        );
        let mut header = tar::Header::new_gnu();
        header.set_size(message.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        tar.append_data(&mut header, format!("mail/{i}.eml"), message.as_bytes())
            .unwrap();
    }
    let plain = tar.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).unwrap();
    let gz = gz.finish().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.tar.gz");
    std::fs::write(&path, &gz[..gz.len() / 2]).unwrap();

    let report = scan_all(&[path]);
    let read = report.scanned.messages;
    assert!((3..20).contains(&read), "{read} messages read");
    assert!(report.scanned.errors >= 1, "{report:?}");
    // The messages read are the first ones, in order: nothing before the cut is lost.
    let mut ids = message_ids(&report);
    ids.sort_by_key(|id| id[2..id.find('@').unwrap()].parse::<u64>().unwrap());
    let expected: Vec<_> = (0..read).map(|i| format!("<t{i}@example.com>")).collect();
    assert_eq!(ids, expected);
}

#[test]
fn a_zip_member_that_inflates_past_the_cap_stops_there() {
    let mut mbox = b"From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\n\n".to_vec();
    mbox.extend_from_slice(&vec![b'z'; 3 << 20]);
    let bytes = deflated_zip("big.mbox", &mbox);
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("bomb.zip");
    std::fs::write(&path, &bytes).unwrap();
    let report = scan_with(&[path], |o| o.limits.max_decompressed_bytes = 1 << 20);
    assert_error_mentions(&report, "max_decompressed_bytes");
}
