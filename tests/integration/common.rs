//! Shared helpers: run scans on fixtures through the library and the binary, read results back
//! through the library's own types so a schema change fails loudly.

use mailtrace::report::{MessageReport, Report};
use mailtrace::rules::RuleSet;
use mailtrace::scan::{scan, Quiet, ScanOptions};
use mailtrace::source::{self, Input, Item, MboxFormat, RawMessage, SourceOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

pub fn scan_with(paths: &[PathBuf], tweak: impl FnOnce(&mut ScanOptions)) -> Report {
    let mut options = ScanOptions {
        inputs: paths.iter().cloned().map(Input::Path).collect(),
        jobs: 2,
        keep_messages: true,
        keep_clean_messages: true,
        ..ScanOptions::default()
    };
    tweak(&mut options);
    let rules = RuleSet::builtin().expect("built-in rules compile");
    scan(&options, &rules, &mut Quiet).expect("scan completes")
}

/// Scans and lists every message (clean ones too).
pub fn scan_all(paths: &[PathBuf]) -> Report {
    scan_with(paths, |_| {})
}

pub fn scan_one(relative: &str) -> MessageReport {
    let report = scan_all(&[fixture(relative)]);
    assert_eq!(report.messages.len(), 1, "{relative}: {:?}", report.errors);
    report.messages.into_iter().next().unwrap()
}

/// The raw messages a path yields, for checking what the sources hand to the parser.
pub fn raw_messages(path: &Path, format: MboxFormat) -> Vec<RawMessage> {
    let options = SourceOptions {
        mbox_format: format,
        ..SourceOptions::default()
    };
    source::items(vec![Input::Path(path.to_owned())], options)
        .filter_map(|item| match item {
            Item::Message(message) => Some(message),
            _ => None,
        })
        .collect()
}

/// Asserts that an error entry of the report mentions `text` (a limit's name, a reason).
pub fn assert_error_mentions(report: &Report, text: &str) {
    assert!(
        report.errors.iter().any(|e| e.error.contains(text)),
        "no error mentions {text:?}: {:?}",
        report.errors
    );
}

/// Scans `bytes` written to a file called `name` (in a folder of its own).
pub fn scan_one_file(name: &str, bytes: &[u8]) -> Report {
    scan_one_file_with(name, bytes, |_| {})
}

pub fn scan_one_file_with(
    name: &str,
    bytes: &[u8],
    tweak: impl FnOnce(&mut ScanOptions),
) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    scan_with(&[path], tweak)
}

/// Each message's enclosing part (`locator.part`) and subject, in report order: how messages
/// inside messages are told apart.
pub fn parts_and_subjects(report: &Report) -> Vec<(Option<&str>, Option<&str>)> {
    report
        .messages
        .iter()
        .map(|m| (m.locator.part.as_deref(), m.subject.as_deref()))
        .collect()
}

pub fn message_ids(report: &Report) -> Vec<String> {
    report
        .messages
        .iter()
        .map(|m| m.message_id.clone().unwrap_or_default())
        .collect()
}

pub fn mailtrace(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailtrace"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

pub fn fixture_arg(relative: &str) -> String {
    fixture(relative).to_string_lossy().into_owned()
}

/// Copies a fixture tree into a temporary folder (to add what git cannot store).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `bytes` gzip-compressed, as `gzip -1` would.
pub fn gzipped(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, bytes).unwrap();
    gz.finish().unwrap()
}

/// A zip of one member named `name` holding `data`, packed with deflate.
pub fn deflated_zip(name: &str, data: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut zip = rawzip::ZipArchiveWriter::new(&mut bytes);
    let (mut entry, config) = zip
        .new_file(name)
        .compression_method(rawzip::CompressionMethod::DEFLATE)
        .start()
        .unwrap();
    let encoder = flate2::write::DeflateEncoder::new(&mut entry, flate2::Compression::best());
    let mut writer = config.wrap(encoder);
    std::io::Write::write_all(&mut writer, data).unwrap();
    let (encoder, descriptor) = writer.finish().unwrap();
    encoder.finish().unwrap();
    entry.finish(descriptor).unwrap();
    zip.finish().unwrap();
    bytes
}
