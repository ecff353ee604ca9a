//! Outlook `.msg` files, built here as Outlook lays them out ([MS-OXMSG]): a compound file of
//! property streams, recipients and attachments in storages of their own.

use crate::common::*;
use mailtrace::report::Report;
use mailtrace::Kind;
use std::io::Write;
use std::path::Path;

/// A compound file holding `streams` (path, bytes); storages on the way are created.
pub(crate) fn compound_file(streams: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (path, bytes) in streams {
        if let Some(parent) = Path::new(path).parent() {
            file.create_storage_all(parent).unwrap();
        }
        file.create_stream(path).unwrap().write_all(bytes).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// A string property's stream (UTF-16, type `001F`) in `storage`.
pub(crate) fn string(storage: &str, id: u16, text: &str) -> (String, Vec<u8>) {
    (format!("{storage}/__substg1.0_{id:04X}001F"), utf16(text))
}

pub(crate) fn binary(storage: &str, id: u16, bytes: &[u8]) -> (String, Vec<u8>) {
    (
        format!("{storage}/__substg1.0_{id:04X}0102"),
        bytes.to_vec(),
    )
}

/// The fixed-size properties stream: a header of `header` bytes, then 16 bytes per property.
pub(crate) fn fixed(
    storage: &str,
    header: usize,
    properties: &[(u16, u16, u64)],
) -> (String, Vec<u8>) {
    let mut bytes = vec![0; header];
    for &(id, kind, value) in properties {
        bytes.extend_from_slice(&(u32::from(id) << 16 | u32::from(kind)).to_le_bytes());
        bytes.extend_from_slice(&6u32.to_le_bytes());
        bytes.extend_from_slice(&value.to_le_bytes());
    }
    (format!("{storage}/__properties_version1.0"), bytes)
}

const PT_LONG: u16 = 0x0003;
const PT_SYSTIME: u16 = 0x0040;

fn kinds(report: &Report) -> Vec<Kind> {
    report.messages[0].findings.iter().map(|f| f.kind).collect()
}

const PIXEL: &str = "https://open.mailer.shop.example/o/q7Rt2VwX9zLm4Np8Kc1Hs5Bd3Fg6Jy0Ae";

#[test]
fn a_received_message_keeps_its_delivery_headers_and_its_html() {
    let headers = "Received: from mta.shop.example by mx.example.org\r\n\
        From: \"Planter Shop\" <news@shop.example>\r\nTo: reader@example.org\r\n\
        Subject: New season\r\nDate: Tue, 2 Apr 2024 07:00:00 +0000\r\n\
        Message-ID: <msg-received-1@shop.example>\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/alternative;\r\n\tboundary=\"gone\"\r\n\
        Disposition-Notification-To: receipts@shop.example\r\n\r\n";
    // PR_HTML in the message's code page (Windows-1252: `é` is one byte).
    let html = format!(
        "<html><body><p>Caf\u{e9} planters</p><img src=\"{PIXEL}\" width=\"1\" height=\"1\"></body></html>"
    );
    let html_1252: Vec<u8> = html.chars().map(|c| c as u32 as u8).collect();
    let file = compound_file(&[
        fixed("", 32, &[(0x3fde, PT_LONG, 1252), (0x0e07, PT_LONG, 1)]),
        string("", 0x007d, headers),
        string("", 0x0037, "New season"),
        string("", 0x1000, "Café planters"),
        binary("", 0x1013, &html_1252),
    ]);
    let report = scan_one_file("received.msg", &file);
    assert_eq!(report.scanned.messages, 1, "{:?}", report.errors);
    let message = &report.messages[0];
    assert_eq!(message.from.as_deref(), Some("news@shop.example"));
    assert_eq!(message.subject.as_deref(), Some("New season"));
    assert_eq!(
        message.message_id.as_deref(),
        Some("<msg-received-1@shop.example>")
    );
    assert_eq!(message.read, Some(true));
    let kinds = kinds(&report);
    assert!(kinds.contains(&Kind::Pixel), "{kinds:?}");
    assert!(kinds.contains(&Kind::ReadReceipt), "{kinds:?}");
    let pixel = message
        .findings
        .iter()
        .find(|f| f.kind == Kind::Pixel)
        .unwrap();
    assert_eq!(pixel.url.as_deref(), Some(PIXEL));
}

/// Compressed RTF stored uncompressed (type `MELA`), as a writer may for short bodies.
fn stored_rtf(rtf: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&(rtf.len() as u32 + 12).to_le_bytes());
    bytes.extend_from_slice(&(rtf.len() as u32).to_le_bytes());
    bytes.extend_from_slice(b"MELA");
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(rtf.as_bytes());
    bytes
}

#[test]
fn a_sent_message_gets_headers_from_its_properties_and_html_from_its_rtf() {
    // 2024-04-02 07:00:00 UTC as a FILETIME.
    let submitted = (1_712_041_200 + 11_644_473_600) * 10_000_000;
    let leak = "https://t.shop.example/open.gif?u=reader%40example.org";
    let rtf = format!(
        "{{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{{\\fonttbl{{\\f0 Arial;}}}}\
         {{\\*\\htmltag19 <html>}}{{\\*\\htmltag50 <body>}}\\htmlrtf {{\\htmlrtf0 Hello\
         {{\\*\\htmltag84 <img src=\"{leak}\" width=\"1\" height=\"1\">}}\\htmlrtf }}\\htmlrtf0 \
         {{\\*\\htmltag58 </body>}}{{\\*\\htmltag27 </html>}}}}"
    );
    let recipient = "/__recip_version1.0_#00000000";
    let file = compound_file(&[
        fixed("", 32, &[(0x0039, PT_SYSTIME, submitted)]),
        string("", 0x5d01, "news@shop.example"),
        string("", 0x0c1a, "Planter Shop"),
        string("", 0x0037, "Grüße aus dem Garten"),
        string("", 0x1035, "<msg-sent-1@shop.example>"),
        fixed(recipient, 8, &[]),
        string(recipient, 0x3001, "Reader"),
        string(recipient, 0x39fe, "reader@example.org"),
        binary("", 0x1009, &stored_rtf(&rtf)),
    ]);
    let report = scan_one_file("sent.msg", &file);
    assert_eq!(report.scanned.messages, 1, "{:?}", report.errors);
    let message = &report.messages[0];
    assert_eq!(message.from.as_deref(), Some("news@shop.example"));
    assert_eq!(message.subject.as_deref(), Some("Grüße aus dem Garten"));
    assert_eq!(
        message.message_id.as_deref(),
        Some("<msg-sent-1@shop.example>")
    );
    assert!(message.date.as_deref().unwrap().starts_with("2024-04-02"));
    assert_eq!(message.read, None);
    // The pixel is in the HTML that only the RTF kept; the reader's address, from the
    // recipient's storage, is found in it.
    let kinds = kinds(&report);
    assert!(kinds.contains(&Kind::Pixel), "{kinds:?}");
    assert!(kinds.contains(&Kind::AddressLeak), "{kinds:?}");
}

/// A phishing report as Outlook makes it: the user's message, with the suspicious mail attached
/// as an embedded message, and an `.eml` attached beside it.
fn phishing_report() -> Vec<u8> {
    let inner_headers =
        "From: \"Account Team\" <alerts@bank.example>\r\nTo: reader@example.org\r\n\
        Subject: Verify your account\r\nMessage-ID: <msg-inner-1@bank.example>\r\n\r\n";
    let inner_html =
        format!("<html><body><img src=\"{PIXEL}\" width=\"1\" height=\"1\"></body></html>");
    let attached = "/__attach_version1.0_#00000000";
    let embedded = format!("{attached}/__substg1.0_3701000D");
    let eml = concat!(
        "From: other@shop.example\r\nTo: reader@example.org\r\nSubject: attached eml\r\n",
        "Content-Type: text/html\r\n\r\n<img src=\"https://t.other.example/o/Zx9Kq2Lm7Pw4Rt8Vb1Nc\" width=1 height=1>\r\n"
    );
    let second = "/__attach_version1.0_#00000001";
    compound_file(&[
        fixed("", 32, &[]),
        string(
            "",
            0x007d,
            "From: reader@example.org\r\nTo: security@example.org\r\nSubject: Suspicious\r\n",
        ),
        string("", 0x1000, "Is this real? See the attached mail."),
        fixed(attached, 8, &[]),
        fixed(&embedded, 24, &[]),
        string(&embedded, 0x007d, inner_headers),
        string(&embedded, 0x1013, &inner_html),
        fixed(second, 8, &[]),
        string(second, 0x3707, "forwarded.eml"),
        binary(second, 0x3701, eml.as_bytes()),
    ])
}

#[test]
fn an_ansi_msg_reads_its_strings_in_its_code_page() {
    // Outlook 97-2003 files keep 8-bit strings (type 001E) in the message's code page.
    let (subject, sender) = ("Привет из сада", "Садовый магазин");
    let cp1251 = |text: &str| -> Vec<u8> {
        text.chars()
            .map(|c| match c {
                'А'..='я' => (c as u32 - 'А' as u32 + 0xc0) as u8,
                _ => c as u8,
            })
            .collect()
    };
    let ansi = |id: u16, text: &str| (format!("/__substg1.0_{id:04X}001E"), cp1251(text));
    let file = compound_file(&[
        fixed("", 32, &[(0x3ffd, PT_LONG, 1251)]),
        ansi(0x0037, subject),
        ansi(0x0c1a, sender),
        ansi(0x5d01, "shop@garden.example"),
        ansi(0x1000, "Весенние семена"),
    ]);
    let report = scan_one_file("ansi.msg", &file);
    assert_eq!(report.scanned.messages, 1, "{:?}", report.errors);
    assert_eq!(report.messages[0].subject.as_deref(), Some(subject));
    assert_eq!(
        report.messages[0].from.as_deref(),
        Some("shop@garden.example")
    );
}

#[test]
fn a_mail_forwarded_as_an_attachment_is_a_message_of_its_own() {
    let report = scan_one_file("report.msg", &phishing_report());
    // The report, then each attached message as a message of its own, named by the part it
    // became (the report's text is part 1).
    assert_eq!(
        parts_and_subjects(&report),
        [
            (None, Some("Suspicious")),
            (Some("2"), Some("Verify your account")),
            (Some("3"), Some("attached eml")),
        ]
    );
    let pixel = |index: usize| {
        report.messages[index]
            .findings
            .iter()
            .find(|f| f.kind == Kind::Pixel)
            .and_then(|f| f.url.clone())
    };
    assert_eq!(pixel(0), None);
    assert_eq!(pixel(1).as_deref(), Some(PIXEL));
    assert_eq!(
        pixel(2).as_deref(),
        Some("https://t.other.example/o/Zx9Kq2Lm7Pw4Rt8Vb1Nc")
    );
    assert_eq!(
        report.messages[1].from.as_deref(),
        Some("alerts@bank.example")
    );
}

#[test]
fn a_msg_file_in_an_archive_is_read_with_its_attached_messages() {
    let report = phishing_report();
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_ustar();
    header.set_size(report.len() as u64);
    header.set_mode(0o600);
    header.set_cksum();
    tar.append_data(&mut header, "Outlook/report.msg", &report[..])
        .unwrap();
    let archive = tar.into_inner().unwrap();
    let report = scan_one_file("reports.tar", &archive);
    let places: Vec<(Option<&str>, Option<&str>)> = report
        .messages
        .iter()
        .map(|m| (m.locator.entry.as_deref(), m.locator.part.as_deref()))
        .collect();
    let member = Some("Outlook/report.msg");
    assert_eq!(
        places,
        [(member, None), (member, Some("2")), (member, Some("3"))]
    );
}

#[test]
fn a_msg_file_attached_to_a_mail_is_read_as_the_messages_it_holds() {
    use base64::Engine;
    let attached = base64::engine::general_purpose::STANDARD.encode(phishing_report());
    let lines: Vec<&str> = attached
        .as_bytes()
        .chunks(76)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    // What an abuse mailbox receives: a user's report with the Outlook file attached.
    let mail = format!(
        "From: reader@example.org\r\nTo: abuse@example.org\r\nSubject: Phishing report\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: text/plain\r\n\r\nReported with the add-in.\r\n\
         --m\r\nContent-Type: application/octet-stream; name=\"report.msg\"\r\n\
         Content-Disposition: attachment; filename=\"report.msg\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--m--\r\n",
        lines.join("\r\n")
    );
    let report = scan_one_file("abuse.eml", mail.as_bytes());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        parts_and_subjects(&report),
        [
            (None, Some("Phishing report")),
            (Some("2"), Some("Suspicious")),
            (Some("2/2"), Some("Verify your account")),
            (Some("2/3"), Some("attached eml")),
        ]
    );
    assert!(report.messages[2]
        .findings
        .iter()
        .any(|f| f.kind == Kind::Pixel && f.url.as_deref() == Some(PIXEL)));
}

#[test]
fn a_file_named_msg_that_is_not_outlooks_is_left_as_an_attachment() {
    let mail = "From: a@example.org\r\nTo: reader@example.org\r\nSubject: notes\r\n\
        MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
        --m\r\nContent-Type: text/plain\r\n\r\nMy notes.\r\n\
        --m\r\nContent-Type: application/octet-stream; name=\"notes.msg\"\r\n\r\n\
        msgid \"Hello\"\r\nmsgstr \"Bonjour\"\r\n--m--\r\n";
    let report = scan_one_file("notes.eml", mail.as_bytes());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.scanned.messages, 1);
}

#[test]
fn streams_sharing_one_run_of_data_are_read_up_to_a_multiple_of_the_file() {
    // Forty attached .eml files; the first holds 300 KB, the others are then pointed at its
    // data (directory entries sharing a start sector), as a hostile file can.
    let big = format!(
        "From: a@shop.example\r\nSubject: big\r\nContent-Type: text/plain\r\n\r\n{}\r\n",
        "All work and no play. ".repeat(14_000)
    );
    let mut streams = vec![fixed("", 32, &[]), string("", 0x1000, "hello")];
    for i in 0..40 {
        let storage = format!("/__attach_version1.0_#{i:08X}");
        streams.push(fixed(&storage, 8, &[]));
        streams.push(string(&storage, 0x3707, "a.eml"));
        let data = if i == 0 { big.as_bytes() } else { b"tiny" };
        streams.push(binary(&storage, 0x3701, data));
    }
    let mut file = compound_file(&streams);
    // Directory entries are 128 bytes: the UTF-16 name first, the start sector at 116 and the
    // size at 120.
    let name = utf16("__substg1.0_37010102");
    let entries: Vec<usize> = (0..file.len() - name.len())
        .step_by(128)
        .filter(|&at| file[at..].starts_with(&name))
        .collect();
    assert_eq!(entries.len(), 40);
    let size_of =
        |file: &[u8], at: usize| u64::from_le_bytes(file[at + 120..at + 128].try_into().unwrap());
    let first = *entries
        .iter()
        .find(|&&at| size_of(&file, at) == big.len() as u64)
        .unwrap();
    let shared = file[first + 116..first + 128].to_vec();
    for &at in &entries {
        file[at + 116..at + 128].copy_from_slice(&shared);
    }
    let report = scan_one_file("shared.msg", &file);
    let holder = &report.messages[0];
    assert!(
        holder
            .warnings
            .iter()
            .any(|w| w.contains("claim more data than the file holds")),
        "{:?}",
        holder.warnings
    );
    // Only a few copies of the shared data were made, not forty.
    let copies = report
        .messages
        .iter()
        .filter(|m| m.subject.as_deref() == Some("big"))
        .count();
    assert!((1..10).contains(&copies), "{copies} copies");
}

#[test]
fn office_documents_and_broken_compound_files_are_not_taken_for_mail() {
    let document = compound_file(&[("/WordDocument".to_owned(), vec![0; 600])]);
    let report = scan_one_file("letter.msg", &document);
    assert_error_mentions(&report, "not an Outlook message");
    assert_eq!(report.errors[0].source, "msg");
    // In a walked folder, a compound file not named .msg is listed as not mail.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("letter.doc"), &document).unwrap();
    let report = scan_all(&[dir.path().to_owned()]);
    assert_eq!(report.errors.len(), 0);
    assert_eq!(report.skipped.len(), 1);
    // The magic, then nothing a compound file holds.
    let mut broken = document[..8].to_vec();
    broken.extend_from_slice(&[0xff; 1000]);
    let report = scan_one_file("broken.msg", &broken);
    assert_eq!(report.scanned.messages, 0);
    assert_error_mentions(&report, "compound file");
}
