//! Hostile input: archives built to hurt. Every case must finish, account for every message,
//! and name any limit it hit. (Memory and time bounds are measured by scripts/hostile.sh on
//! full-size inputs; tests do not time.)

use crate::common::*;
use mailtrace::report::Report;
use std::io::Write;
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn message(extra_headers: &str, content_type: &str, body: &str) -> String {
    format!(
        "From: sender@hostile.example\nTo: reader@example.org\nSubject: hostile\nMessage-ID: <h@hostile.example>\n\
         MIME-Version: 1.0\n{extra_headers}Content-Type: {content_type}\n\n{body}\n"
    )
}

/// Whether the (first) message still shows its open pixel.
fn finds_a_pixel(report: &Report) -> bool {
    report.messages[0]
        .findings
        .iter()
        .any(|f| f.kind == mailtrace::Kind::Pixel)
}

/// Asserts that a reading warning of the report mentions `text` (a limit's name, usually).
fn assert_noted(report: &Report, text: &str) {
    let warnings = all_warnings(report);
    assert!(
        warnings.contains(text),
        "no warning mentions {text:?}: {warnings}"
    );
}

fn all_warnings(report: &Report) -> String {
    report
        .messages
        .iter()
        .flat_map(|m| m.warnings.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn thousands_of_nested_multiparts() {
    let depth = 3_000;
    let mut body = String::new();
    for level in 0..depth {
        body.push_str(&format!(
            "--b{level}\nContent-Type: multipart/mixed; boundary=\"b{}\"\n\n",
            level + 1
        ));
    }
    body.push_str(&format!("--b{depth}\nContent-Type: text/html\n\n<img src=\"https://t.example/o/AbC123dEf456GhI789\" width=1 height=1>\n"));
    let report = scan_one_file(
        "nested.eml",
        message("", "multipart/mixed; boundary=\"b0\"", &body).as_bytes(),
    );
    assert_eq!(report.scanned.messages, 1);
}

#[test]
fn tens_of_thousands_of_parts_are_capped_and_noted() {
    let mut body = String::new();
    for i in 0..20_000 {
        body.push_str(&format!("--p\nContent-Type: text/plain\n\npart {i}\n"));
    }
    body.push_str("--p--\n");
    let report = scan_one_file(
        "parts.eml",
        message("", "multipart/mixed; boundary=\"p\"", &body).as_bytes(),
    );
    assert_eq!(report.scanned.messages, 1);
    assert_noted(&report, "max_parts");
}

#[test]
fn a_multi_megabyte_header_line_and_twenty_thousand_recipients() {
    let long = "x".repeat(3 << 20);
    let recipients: Vec<String> = (0..20_000).map(|i| format!("r{i}@example.org")).collect();
    let headers = format!("X-Long: {long}\nCc: {}\n", recipients.join(", "));
    let html = "<img src=\"https://t.example/o/AbC123dEf456GhI789\" width=1 height=1>";
    let report = scan_one_file("wide.eml", message(&headers, "text/html", html).as_bytes());
    assert_eq!(report.scanned.messages, 1);
    assert!(finds_a_pixel(&report));
}

#[test]
fn header_values_of_hundreds_of_thousands_of_items_are_read_as_written_and_noted() {
    // Parsed, a record for each address and each parameter would take twenty times the bytes.
    let cc = "a@b,".repeat(300_000);
    let parameters = "a=b;".repeat(300_000);
    let headers = format!("Cc: {cc}\nContent-Disposition: inline; {parameters}\n");
    let html = "<img src=\"https://t.example/o/AbC123dEf456GhI789\" width=1 height=1>";
    let report = scan_one_file("items.eml", message(&headers, "text/html", html).as_bytes());
    assert_eq!(report.scanned.messages, 1);
    let scanned = &report.messages[0];
    // The small fields around them are parsed as ever: sender, subject, the HTML's type.
    assert_eq!(scanned.from.as_deref(), Some("sender@hostile.example"));
    assert_eq!(scanned.subject.as_deref(), Some("hostile"));
    assert!(finds_a_pixel(&report));
    let warnings = all_warnings(&report);
    assert!(
        warnings.contains("2 header field(s) too long to parse")
            && warnings.contains("max_parsed_header_bytes"),
        "{warnings}"
    );

    // Parts whose fields outrun the budget one after another are noted once, with their count.
    let long = "a=b;".repeat(100_000);
    let parts: String = (0..30)
        .map(|i| format!("--p\nContent-Type: text/plain; {long}\n\npart {i}\n"))
        .collect();
    let report = scan_one_file(
        "parts.eml",
        message(
            "",
            "multipart/mixed; boundary=\"p\"",
            &format!("{parts}--p--"),
        )
        .as_bytes(),
    );
    let notes: Vec<&String> = report.messages[0]
        .warnings
        .iter()
        .filter(|w| w.contains("too long to parse"))
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("28 header field(s)"), "{notes:?}");

    // The budget is the message's, not each field's, and can be changed.
    let tight = scan_with(&[fixture("formats/single.eml")], |o| {
        o.limits.max_parsed_header_bytes = 40
    });
    let message = &tight.messages[0];
    assert!(message.subject.is_none() || message.from.is_none());
    assert!(all_warnings(&tight).contains("too long to parse"));
}

#[test]
fn a_bounce_naming_thousands_of_recipients_reports_the_first_hundred() {
    let blocks: String = (0..5_000)
        .map(|i| {
            format!("\nFinal-Recipient: rfc822;r{i}@example.org\nAction: failed\nStatus: 5.1.1\n")
        })
        .collect();
    let body = format!(
        "--B\nContent-Type: text/plain\n\nfailed\n--B\nContent-Type: message/delivery-status\n\n\
         Reporting-MTA: dns; mx.example.net\n{blocks}\n--B--"
    );
    let bounce = message(
        "",
        "multipart/report; report-type=delivery-status; boundary=\"B\"",
        &body,
    );
    let report = scan_one_file("bounce.eml", bounce.as_bytes());
    let findings = &report.messages[0].findings;
    let reported: Vec<&str> = findings
        .iter()
        .filter(|f| f.kind == mailtrace::Kind::DeliveryReceipt)
        .map(|f| f.details["final_recipient"].as_str())
        .collect();
    assert_eq!(reported.len(), 100);
    assert_eq!(reported[0], "r0@example.org");
    assert_eq!(reported[99], "r99@example.org");
    assert_noted(&report, "more than 100 recipient blocks");
}

#[test]
fn a_link_of_hundreds_of_thousands_of_parameters_is_judged_by_its_first_thousand() {
    let tail: String = (0..200_000).map(|i| format!("&utm_p{i}=x")).collect();
    let html = format!("<a href=\"https://shop.example/sale?utm_source=news{tail}\">sale</a>");
    let report = scan_one_file("params.eml", message("", "text/html", &html).as_bytes());
    let decoration = report.messages[0]
        .findings
        .iter()
        .find(|f| f.technique == "tracking_parameters")
        .expect("the utm_source at its start is found");
    let named = decoration.details["params"].split(',').count();
    assert!(named <= 1_000, "{named} parameters named");
    assert!(decoration.details["params"].starts_with("utm_source"));
}

#[test]
fn a_host_of_a_million_labels_and_a_path_of_a_million_segments() {
    // Each suffix of the host had been looked up among the rules' hosts: quadratic, minutes.
    let host = format!("{}shop.example", "a.".repeat(1_000_000));
    let path = "a/".repeat(1_000_000);
    let html = format!(
        "<a href=\"https://{host}/c/AbC123dEf456GhI789\">x</a>\
         <a href=\"https://t.example/{path}\">y</a>\
         <img src=\"https://t.example/o/AbC123dEf456GhI789\" width=1 height=1>"
    );
    let report = scan_one_file("long.eml", message("", "text/html", &html).as_bytes());
    assert_eq!(report.scanned.messages, 1);
    assert!(finds_a_pixel(&report));
}

#[test]
fn a_text_part_of_a_hundred_thousand_urls_stops_at_max_urls() {
    let text = "https://t.example/abcDEF123456789xyz ".repeat(100_000);
    let report = scan_one_file_with(
        "text.eml",
        message("", "text/plain", &text).as_bytes(),
        |o| o.limits.max_urls = 1_000,
    );
    assert_noted(&report, "max_urls (1000)");
}

#[test]
fn invalid_encodings_lying_charsets_nul_bytes_and_broken_encoded_words() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(String, Vec<u8>)> = vec![
        (
            "b64.eml".into(),
            message(
                "Content-Transfer-Encoding: base64\n",
                "text/html",
                "!!!not base64 at all@@@\n====",
            )
            .into_bytes(),
        ),
        (
            "qp.eml".into(),
            message(
                "Content-Transfer-Encoding: quoted-printable\n",
                "text/html",
                "=ZZ=\n=4=\n<img src=3D\"x",
            )
            .into_bytes(),
        ),
        (
            "charset.eml".into(),
            message(
                "",
                "text/html; charset=\"x-unknown-martian\"",
                "<p>\u{00e9}\u{00ff}</p>",
            )
            .into_bytes(),
        ),
        (
            "lying.eml".into(),
            [
                message("", "text/html; charset=utf-8", "").as_bytes(),
                &[0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1],
            ]
            .concat(),
        ),
        (
            "nul.eml".into(),
            message(
                "X-Nul: a\0b\n",
                "text/html",
                "<img\0 src=\"https://t.example/\0o\">\0",
            )
            .into_bytes(),
        ),
        (
            "words.eml".into(),
            message("", "text/plain", "hi")
                .replace(
                    "Subject: hostile",
                    "Subject: =?utf-8?B?broken?= =?x?Q?=ZZ?= =?utf-8?",
                )
                .into_bytes(),
        ),
    ];
    for (name, bytes) in &cases {
        write(dir.path(), name, bytes);
    }
    let report = scan_all(&[dir.path().to_owned()]);
    assert_eq!(
        report.scanned.messages + report.scanned.errors,
        cases.len() as u64,
        "{:?}",
        report.errors
    );
}

#[test]
fn html_nested_a_hundred_thousand_deep() {
    let html = format!(
        "{}<img src=\"https://t.example/o/AbC123dEf456GhI789\" width=1 height=1>{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let report = scan_one_file("deep.eml", message("", "text/html", &html).as_bytes());
    assert_eq!(report.scanned.messages, 1);
}

#[test]
fn a_hundred_thousand_images_are_capped_at_max_urls_and_noted() {
    let html: String = (0..100_000)
        .map(|i| format!("<img src=\"https://img.example/{i}.png\">"))
        .collect();
    let report = scan_one_file("many.eml", message("", "text/html", &html).as_bytes());
    assert_eq!(report.scanned.messages, 1);
    assert_noted(&report, "max_urls");
}

#[test]
fn huge_css_and_data_uris_and_unclosed_attributes() {
    let css = format!("<style>{}</style>", ".a{color:red}".repeat(300_000));
    let data = format!(
        "<img src=\"data:image/png;base64,{}\">",
        "A".repeat(4 << 20)
    );
    let unclosed = format!("<img src=\"https://t.example/{}", "y".repeat(2 << 20));
    for (name, html) in [
        ("css.eml", css),
        ("data.eml", data),
        ("unclosed.eml", unclosed),
    ] {
        let report = scan_one_file(name, message("", "text/html", &html).as_bytes());
        assert_eq!(report.scanned.messages, 1, "{name}");
        if name == "css.eml" {
            assert_noted(&report, "max_css_bytes");
        }
    }
}

#[test]
fn a_forty_megabyte_line_without_newline_meets_the_message_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut mbox = b"From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: ok\n\nfine\n\n".to_vec();
    mbox.extend_from_slice(
        b"From b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\nSubject: long\n\n",
    );
    mbox.extend(std::iter::repeat_n(b'z', 40 << 20));
    let path = write(dir.path(), "line.mbox", &mbox);
    let report = scan_with(&[path], |o| o.limits.max_message_bytes = 8 << 20);
    assert_eq!(report.scanned.messages, 1);
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].error.contains("size cap"));
}

#[test]
fn random_bytes_empty_files_and_cut_members() {
    let dir = tempfile::tempdir().unwrap();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let random: Vec<u8> = (0..1 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    write(dir.path(), "random.eml", &random);
    write(dir.path(), "empty.mbox", b"");
    let member = "From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: one\nContent-Type: text/html\nContent-Transfer-Encoding: base64\n\nPGltZyBzcmM9Imh0dHBzOi8vdC5leGFtcGxlL28vQWJD";
    let cut_in_headers = "From b@example.com Mon Jan  1 00:00:00 2024\nFrom: b@example.com\nSubj";
    write(
        dir.path(),
        "cut.mbox",
        format!("{member}\n\n{cut_in_headers}").as_bytes(),
    );
    let report = scan_all(&[dir.path().to_owned()]);
    // random.eml is an error, cut.mbox gives two messages (one cut inside base64, one inside
    // its headers), the empty mbox is listed as skipped.
    assert_eq!(report.scanned.messages, 2, "{:?}", report.errors);
    assert_eq!(report.errors.len(), 1);
    assert!(report
        .messages
        .iter()
        .any(|m| m.warnings.iter().any(|w| w.contains("header block"))));
    assert_eq!(report.skipped.len(), 1);
}

#[test]
fn gzip_bzip2_and_zstd_bombs_stop_at_the_decompressed_cap() {
    let mut plain =
        b"From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: bomb\n\n"
            .to_vec();
    plain.resize(1 << 20, 0);
    // One stream of 1 MiB, mostly zeros, in each format: a few hundred bytes.
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&plain).unwrap();
    let mut bzip2 = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    bzip2.write_all(&plain).unwrap();
    let zstd =
        ruzstd::encoding::compress_to_vec(&plain[..], ruzstd::encoding::CompressionLevel::Fastest);
    for (name, stream) in [
        ("bomb.mbox.gz", gzip.finish().unwrap()),
        ("bomb.mbox.bz2", bzip2.finish().unwrap()),
        ("bomb.mbox.zst", zstd),
    ] {
        // Concatenated streams, all read as one: 64 MiB from the repeated stream.
        let bomb = stream.repeat(64);
        let report = scan_one_file_with(name, &bomb, |o| {
            o.limits.max_decompressed_bytes = 8 << 20;
            o.limits.max_message_bytes = 4 << 20;
        });
        assert_error_mentions(&report, "max_decompressed_bytes");
    }
}

#[test]
fn xz_and_zstd_files_asking_for_gigabytes_of_memory_are_refused() {
    // A zstd frame whose window descriptor asks for 2 GiB (2^(10+21)), then one raw block: the
    // header is all a decoder needs to allocate the window.
    let text = b"From: a@example.com\n\nbody\n";
    let mut zstd = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 21 << 3];
    let block = 1 | (text.len() as u32) << 3;
    zstd.extend_from_slice(&block.to_le_bytes()[..3]);
    zstd.extend_from_slice(text);
    // An xz stream whose first block's LZMA2 filter asks for a 3 GiB dictionary (property 39).
    let crc = |bytes: &[u8]| {
        let mut crc = flate2::Crc::new();
        crc.update(bytes);
        crc.sum().to_le_bytes()
    };
    let mut xz = vec![0xfd, b'7', b'z', b'X', b'Z', 0, 0, 1];
    xz.extend_from_slice(&crc(&[0, 1]));
    let block_header = [2, 0, 0x21, 1, 39, 0, 0, 0];
    xz.extend_from_slice(&block_header);
    xz.extend_from_slice(&crc(&block_header));
    xz.extend_from_slice(&[0; 64]);
    for (name, bytes) in [("window.mbox.zst", zstd), ("dictionary.mbox.xz", xz)] {
        let report = scan_one_file(name, &bytes);
        assert_eq!(report.scanned.messages, 0);
        assert_error_mentions(&report, "more than the 128 MiB allowed");
    }
}
