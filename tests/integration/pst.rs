//! Outlook data files (`.pst`), built by `pst_writer` as [MS-PST] lays them out: folders,
//! messages with their recipients and attachments, an attached message, both block encodings.

use crate::common::*;
use crate::pst_writer::*;
use mailtrace::report::Report;
use mailtrace::Kind;

const PIXEL: &str = "https://open.mailer.shop.example/o/q7Rt2VwX9zLm4Np8Kc1Hs5Bd3Fg6Jy0Ae";

// Property ids ([MS-OXPROPS]).
const SUBJECT: u16 = 0x0037;
const CLIENT_SUBMIT_TIME: u16 = 0x0039;
const TRANSPORT_HEADERS: u16 = 0x007d;
const SENDER_NAME: u16 = 0x0c1a;
const MESSAGE_FLAGS: u16 = 0x0e07;
const BODY: u16 = 0x1000;
const HTML: u16 = 0x1013;
const MESSAGE_ID: u16 = 0x1035;
const DISPLAY_NAME: u16 = 0x3001;
const SMTP_ADDRESS: u16 = 0x39fe;
const RECIPIENT_TYPE: u16 = 0x0c15;
const ATTACH_METHOD: u16 = 0x3705;
const ATTACH_FILENAME: u16 = 0x3704;
const ATTACH_LONG_FILENAME: u16 = 0x3707;
const INTERNET_CPID: u16 = 0x3fde;
const MESSAGE_CODEPAGE: u16 = 0x3ffd;
const SENDER_SMTP_ADDRESS: u16 = 0x5d01;

fn unicode(text: &str) -> Value {
    Value::Unicode(text.to_owned())
}

/// A newsletter as Outlook keeps one it received: the delivery headers, the HTML in UTF-8
/// padded to `size` bytes, and the pixel at its end.
fn newsletter(number: usize, size: usize, read: bool) -> MessageSpec {
    let headers = format!(
        "Received: from mta.shop.example by mx.example.org\r\n\
         From: \"Planter Shop\" <news@shop.example>\r\nTo: reader@example.org\r\n\
         Subject: Issue {number}\r\nDate: Tue, 2 Apr 2024 07:00:00 +0000\r\n\
         Message-ID: <issue-{number}@shop.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/alternative;\r\n\tboundary=\"gone\"\r\n\r\n"
    );
    let mut html = "<html><body><table><tr><td>Caf\u{e9} planters, in stock.</td></tr>".to_owned();
    while html.len() < size {
        html.push_str("<tr><td style=\"padding:8px\">Terracotta, glazed, hanging.</td></tr>");
    }
    html.push_str(&format!(
        "</table><img src=\"{PIXEL}?n={number}\" width=\"1\" height=\"1\"></body></html>"
    ));
    MessageSpec {
        props: vec![
            (TRANSPORT_HEADERS, unicode(&headers)),
            (SUBJECT, unicode(&format!("Issue {number}"))),
            (BODY, unicode("Café planters, in stock.")),
            (HTML, Value::Binary(html.into_bytes())),
            (INTERNET_CPID, Value::Int32(65001)),
            (MESSAGE_FLAGS, Value::Int32(i32::from(read))),
        ],
        recipients: vec![vec![
            (DISPLAY_NAME, unicode("Reader")),
            (SMTP_ADDRESS, unicode("reader@example.org")),
            (RECIPIENT_TYPE, Value::Int32(1)),
        ]],
        attachments: Vec::new(),
    }
}

/// A message the reader sent from Outlook: no delivery headers, so From, To, Subject, Date and
/// Message-ID come from its properties; its HTML leaks the recipient's address.
fn sent_message() -> MessageSpec {
    // 2024-04-02 07:00:00 UTC as a FILETIME.
    let submitted = (1_712_041_200 + 11_644_473_600) * 10_000_000;
    let html = "<html><body><p>Hello</p>\
        <img src=\"https://t.tracker.example/open.gif?u=friend%40example.net\" width=\"1\" height=\"1\">\
        </body></html>";
    MessageSpec {
        props: vec![
            (SENDER_SMTP_ADDRESS, unicode("reader@example.org")),
            (SENDER_NAME, unicode("Reader")),
            (SUBJECT, unicode("Grüße aus dem Garten")),
            (MESSAGE_ID, unicode("<sent-1@example.org>")),
            (CLIENT_SUBMIT_TIME, Value::Time(submitted)),
            (HTML, Value::Binary(html.as_bytes().to_vec())),
            (MESSAGE_FLAGS, Value::Int32(1)),
        ],
        recipients: vec![vec![
            (DISPLAY_NAME, unicode("Friend")),
            (SMTP_ADDRESS, unicode("friend@example.net")),
            (RECIPIENT_TYPE, Value::Int32(1)),
        ]],
        attachments: Vec::new(),
    }
}

fn scan_pst(pst: &PstBuilder) -> Report {
    scan_one_file("Outlook.pst", &pst.build())
}

fn entries(report: &Report) -> Vec<String> {
    report
        .messages
        .iter()
        .map(|m| m.locator.entry.clone().unwrap_or_default())
        .collect()
}

#[test]
fn a_pst_is_read_folder_by_folder_with_each_message_rebuilt() {
    let mut pst = PstBuilder::new();
    let inbox = pst.folder(None, "Inbox");
    let newsletters = pst.folder(Some(&inbox), "Newsletters");
    let sent = pst.folder(None, "Sent Items");
    // Outlook keeps contacts in the same file, as items of their own class: not mail.
    let contacts = pst.folder_of_class(None, "Contacts", "IPF.Contact");
    for _ in 0..2 {
        pst.message(&contacts, sent_message());
    }
    pst.message(&inbox, newsletter(1, 200, true));
    // 40 KB of HTML: more than a heap holds, so the body is in a subnode of its own.
    pst.message(&newsletters, newsletter(2, 40_000, false));
    pst.message(&sent, sent_message());
    let report = scan_pst(&pst);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.scanned.messages, 3);

    let subjects: Vec<_> = report
        .messages
        .iter()
        .map(|m| m.subject.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(subjects, ["Issue 1", "Issue 2", "Grüße aus dem Garten"]);
    // Each message is found again by its folder and its node.
    let entries = entries(&report);
    let folders: Vec<&str> = entries
        .iter()
        .map(|entry| entry.rsplit_once("/0x").map_or("", |(folder, _)| folder))
        .collect();
    assert_eq!(
        folders,
        [
            "Top of Personal Folders/Inbox",
            "Top of Personal Folders/Inbox/Newsletters",
            "Top of Personal Folders/Sent Items"
        ]
    );
    assert!(report
        .messages
        .iter()
        .all(|m| m.locator.path.ends_with("Outlook.pst")));
    let skipped: Vec<_> = report
        .skipped
        .iter()
        .map(|s| (s.entry.as_deref(), s.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [(
            Some("Top of Personal Folders/Contacts"),
            "a folder of contacts (IPF.Contact), not mail: its 2 items were not read"
        )]
    );

    // The delivered newsletters keep their headers, their read flags and their pixels.
    for (message, read) in report.messages[..2].iter().zip([true, false]) {
        assert_eq!(message.from.as_deref(), Some("news@shop.example"));
        assert_eq!(message.read, Some(read));
        let pixel = message.findings.iter().find(|f| f.kind == Kind::Pixel);
        assert!(
            pixel.is_some_and(|p| p.url.as_deref().is_some_and(|u| u.starts_with(PIXEL))),
            "{:?}",
            message.findings
        );
    }
    assert_eq!(
        report.messages[1].message_id.as_deref(),
        Some("<issue-2@shop.example>")
    );

    // The sent message's headers come from its properties, and its leak is found against the
    // recipient the properties name.
    let sent = &report.messages[2];
    assert_eq!(sent.from.as_deref(), Some("reader@example.org"));
    assert_eq!(sent.message_id.as_deref(), Some("<sent-1@example.org>"));
    assert!(
        sent.findings.iter().any(|f| f.kind == Kind::AddressLeak),
        "{:?}",
        sent.findings
    );
}

#[test]
fn attached_messages_in_a_pst_are_scanned_as_messages_of_their_own() {
    let mut pst = PstBuilder::new();
    let inbox = pst.folder(None, "Abuse reports");
    let eml = "From: promo@deals.example\r\nTo: reader@example.org\r\nSubject: Saved as a file\r\n\
         Message-ID: <eml-1@deals.example>\r\nContent-Type: text/html\r\n\r\n\
         <img src=\"https://px.mailstat.example/o.gif?id=Zr8KqW3pT5vX\" width=\"1\" height=\"1\">\r\n";
    let saved_msg = crate::outlook::compound_file(&[
        crate::outlook::fixed("", 32, &[]),
        crate::outlook::string(
            "",
            TRANSPORT_HEADERS,
            "From: alerts@bank-secure.example\r\nTo: reader@example.org\r\nSubject: Verify your account\r\n\r\n",
        ),
        crate::outlook::binary(
            "",
            HTML,
            b"<img src=\"https://px.mailstat.example/v.gif?id=Qm4Xz8Rt2Lp6\" width=\"1\" height=\"1\">",
        ),
    ]);
    let mut report_mail = sent_message();
    report_mail.props.retain(|(id, _)| *id != HTML);
    report_mail.attachments = vec![
        AttachmentSpec::Embedded {
            props: vec![
                (ATTACH_METHOD, Value::Int32(5)),
                (ATTACH_LONG_FILENAME, unicode("Issue 7.msg")),
            ],
            // The newsletter had been forwarded to the reporter as an attachment itself.
            message: MessageSpec {
                attachments: vec![AttachmentSpec::Embedded {
                    props: vec![(ATTACH_LONG_FILENAME, unicode("Issue 8.msg"))],
                    message: newsletter(8, 300, false),
                }],
                ..newsletter(7, 300, false)
            },
        },
        AttachmentSpec::Data {
            props: vec![
                (ATTACH_METHOD, Value::Int32(1)),
                (ATTACH_FILENAME, unicode("SAVED~1.EML")),
                (ATTACH_LONG_FILENAME, unicode("Saved as a file.eml")),
            ],
            data: eml.as_bytes().to_vec(),
        },
        AttachmentSpec::Data {
            props: vec![
                (ATTACH_METHOD, Value::Int32(1)),
                (ATTACH_FILENAME, unicode("PLANTS.PDF")),
            ],
            data: b"%PDF-1.4 not a message".to_vec(),
        },
        // An Outlook .msg file attached as a file, as a user forwards a saved message.
        AttachmentSpec::Data {
            props: vec![
                (ATTACH_METHOD, Value::Int32(1)),
                (ATTACH_LONG_FILENAME, unicode("Reported.msg")),
            ],
            data: saved_msg,
        },
    ];
    pst.message(&inbox, report_mail);
    let report = scan_pst(&pst);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        parts_and_subjects(&report),
        [
            (None, Some("Grüße aus dem Garten")),
            (Some("2"), Some("Issue 7")),
            (Some("2/4"), Some("Issue 8")),
            (Some("3"), Some("Saved as a file")),
            (Some("4"), Some("Verify your account")),
        ]
    );
    // Each attached message carries its own sender and its own pixel.
    assert_eq!(
        report.messages[1].from.as_deref(),
        Some("news@shop.example")
    );
    assert_eq!(
        report.messages[2].from.as_deref(),
        Some("news@shop.example")
    );
    assert_eq!(
        report.messages[3].from.as_deref(),
        Some("promo@deals.example")
    );
    for message in &report.messages[1..] {
        assert!(
            message.findings.iter().any(|f| f.kind == Kind::Pixel),
            "{:?}",
            message.findings
        );
    }
}

#[test]
fn many_messages_and_the_permute_encoding_read_the_same() {
    let build = |permute: bool| {
        let mut pst = PstBuilder::new().permute(permute);
        let inbox = pst.folder(None, "Inbox");
        for number in 0..45 {
            pst.message(&inbox, newsletter(number, 1_000, number % 2 == 0));
        }
        pst
    };
    let plain = scan_pst(&build(false));
    let permuted = scan_pst(&build(true));
    assert!(plain.errors.is_empty(), "{:?}", plain.errors);
    assert_eq!(plain.scanned.messages, 45);
    assert_eq!(message_ids(&plain), message_ids(&permuted));
    assert_eq!(entries(&plain), entries(&permuted));
    let ids = message_ids(&plain);
    let expected: Vec<String> = (0..45)
        .map(|n| format!("<issue-{n}@shop.example>"))
        .collect();
    assert_eq!(ids, expected);
    assert!(permuted
        .messages
        .iter()
        .all(|m| m.findings.iter().any(|f| f.kind == Kind::Pixel)));
}

#[test]
fn a_damaged_pst_costs_what_is_damaged_and_no_more() {
    let mut pst = PstBuilder::new();
    let inbox = pst.folder(None, "Inbox");
    for number in 0..6 {
        pst.message(&inbox, newsletter(number, 20_000, false));
    }
    let good = pst.build();

    // One message's HTML body overwritten: its block fails its check, and that message is
    // scanned without it, with a warning that says which property was lost; the others are
    // read whole.
    let mut damaged = good.clone();
    let marker = format!("{PIXEL}?n=3");
    let at = damaged
        .windows(marker.len())
        .position(|window| window == marker.as_bytes())
        .expect("the body is stored as written");
    damaged[at..at + marker.len()].fill(b'#');
    let report = scan_one_file("damaged.pst", &damaged);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.scanned.messages, 6);
    for message in &report.messages {
        let damaged = message.message_id.as_deref() == Some("<issue-3@shop.example>");
        let pixel = message.findings.iter().any(|f| f.kind == Kind::Pixel);
        assert_eq!(pixel, !damaged, "{:?}", message.message_id);
        let warned = message
            .warnings
            .iter()
            .any(|w| w.contains("0x1013 could not be read"));
        assert_eq!(warned, damaged, "{:?}", message.warnings);
    }

    // Cut short where its B-trees lie: nothing can be found without them, and the file is one
    // error entry that says why.
    let cut = scan_one_file("cut.pst", &good[..good.len() / 2]);
    assert_eq!(cut.scanned.messages, 0);
    assert_error_mentions(&cut, "past its end");

    // Overwritten with noise past the header: never a panic, and every error has its place.
    let mut noisy = good.clone();
    let mut seed = 0x9e37_79b9_u32;
    for byte in noisy.iter_mut().skip(4096) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        if seed.is_multiple_of(7) {
            *byte = seed as u8;
        }
    }
    let noisy = scan_one_file("noisy.pst", &noisy);
    assert!(!noisy.errors.is_empty());
    assert!(noisy
        .errors
        .iter()
        .all(|e| e.locator.path.ends_with("noisy.pst")));

    // Only the magic: the file is one error entry.
    let mut magic_only = b"!BDN".to_vec();
    magic_only.extend_from_slice(&[0; 60]);
    let report = scan_one_file("stub.pst", &magic_only);
    assert_eq!(report.scanned.messages, 0);
    assert_error_mentions(&report, "Outlook data file");
}

/// A `.pst` that comes as a stream (gzip-compressed, a member of a tar or zip archive, standard
/// input) is copied to a temporary file and read from there like any other: the same messages,
/// placed by the file (and the member) and the folder, and no temporary file left behind.
#[test]
fn a_pst_that_comes_as_a_stream_is_read_through_a_temporary_copy() {
    let mut pst = PstBuilder::new();
    let inbox = pst.folder(None, "Inbox");
    pst.message(&inbox, newsletter(1, 200, false));
    pst.message(&inbox, newsletter(2, 40_000, true));
    let bytes = pst.build();
    let plain = scan_one_file("Outlook.pst", &bytes);
    assert_eq!(plain.scanned.messages, 2);
    let inbox_entries = entries(&plain);
    let ids = message_ids(&plain);
    let tmp = tempfile::tempdir().unwrap();
    let spool_dir = tmp.path().to_str().unwrap().to_owned();

    let report = scan_one_file("Outlook.pst.gz", &gzipped(&bytes));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(message_ids(&report), ids);
    assert_eq!(entries(&report), inbox_entries);
    assert!(report.messages[0].locator.path.ends_with("Outlook.pst.gz"));

    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    tar.append_data(&mut header, "backup/Outlook.pst", &bytes[..])
        .unwrap();
    let report = scan_one_file("backup.tar", &tar.into_inner().unwrap());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(message_ids(&report), ids);
    let in_member: Vec<String> = inbox_entries
        .iter()
        .map(|entry| format!("backup/Outlook.pst!{entry}"))
        .collect();
    assert_eq!(entries(&report), in_member);

    let report = scan_one_file("backup.zip", &deflated_zip("backup/Outlook.pst", &bytes));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(message_ids(&report), ids);
    assert_eq!(entries(&report), in_member);

    // Standard input, through the program, with its temporary folder (TMPDIR) watched: the
    // copy is made there and is gone when the scan ends; where no copy can be made, that is
    // the error.
    let from_stdin = |tmpdir: &str| -> Report {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_mailtrace"))
            .args(["scan", "-", "-q"])
            .env("TMPDIR", tmpdir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                // Where no copy can be made the program stops reading: a broken pipe here.
                let _ = std::io::Write::write_all(child.stdin.as_mut().unwrap(), &bytes);
                drop(child.stdin.take());
                child.wait_with_output()
            })
            .unwrap();
        assert!(output.status.success());
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let report = from_stdin(&spool_dir);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(message_ids(&report), ids);
    assert_eq!(report.messages[0].locator.path, "-");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    let report = from_stdin(&format!("{spool_dir}/not-there"));
    assert_eq!(report.scanned.messages, 0);
    assert_error_mentions(&report, "temporary file");
}

/// A stream that is not a whole `.pst` is read as far as it goes, as a cut file is: here an
/// error entry placed by the compressed file. So is one past the cap on temporary copies, or
/// of a version the reader does not know.
#[test]
fn a_streamed_pst_cut_too_large_or_of_an_unknown_version_is_an_error_entry() {
    let mut pst = PstBuilder::new();
    let inbox = pst.folder(None, "Inbox");
    for number in 0..6 {
        pst.message(&inbox, newsletter(number, 20_000, false));
    }
    let bytes = pst.build();
    // Cut where its B-trees lie, as the plain file in the test above.
    let report = scan_one_file("Outlook.pst.gz", &gzipped(&bytes[..bytes.len() / 2]));
    assert_eq!(report.scanned.messages, 0);
    assert_error_mentions(&report, "past its end");
    assert!(report
        .errors
        .iter()
        .all(|e| e.locator.path.ends_with("Outlook.pst.gz")));

    // A copy past its cap (here 16 KiB, through the program's --limit) is an error entry, and
    // no copy is left.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("Outlook.pst.gz");
    std::fs::write(&path, gzipped(&bytes)).unwrap();
    let spool = tmp.path().join("spool");
    std::fs::create_dir(&spool).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mailtrace"))
        .args(["scan", path.to_str().unwrap(), "-q"])
        .args(["--limit", "max_temporary_copy_bytes=16K"])
        .env("TMPDIR", &spool)
        .output()
        .unwrap();
    assert!(output.status.success());
    let capped: Report = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(capped.scanned.messages, 0);
    assert_error_mentions(&capped, "max_temporary_copy_bytes");
    assert_eq!(std::fs::read_dir(&spool).unwrap().count(), 0);

    // An offline file of Outlook 2013 on (version 36), which the reader does not know, is told
    // from its header before the rest is copied.
    let mut ost = bytes.clone();
    ost[10..12].copy_from_slice(&36u16.to_le_bytes());
    let report = scan_one_file("Outlook.ost.gz", &gzipped(&ost));
    assert_eq!(report.scanned.messages, 0);
    assert_error_mentions(&report, "version 36");
}

/// Makes the internal block of `size` bytes at `at` name itself where it names a block id, at
/// `entry` bytes in, and mends its check so that only the structure is wrong. A block's
/// trailer follows it at the next 64-byte boundary less 16: size, signature, CRC, block id.
fn name_itself(bytes: &mut [u8], at: usize, size: usize, entry: usize) {
    let trailer = at + (size + 16).div_ceil(64) * 64 - 16;
    let own_id = bytes[trailer + 8..trailer + 16].to_vec();
    bytes[at + entry..at + entry + 8].copy_from_slice(&own_id);
    let check = crc(&bytes[at..at + size]);
    bytes[trailer + 4..trailer + 8].copy_from_slice(&check.to_le_bytes());
}

/// A node B-tree whose root page names itself as its first child: a reader that follows it
/// recurses until its stack overflows. The guard on the reader's reads stops it first, in both
/// formats: the ANSI one (32-bit ids, its own header and page layouts) is read through other
/// types by `pst_ndb`.
#[test]
fn a_btree_page_that_names_itself_is_an_error_entry_not_a_crash() {
    for ansi in [false, true] {
        let report = scan_one_file("loop.pst", &with_looping_btree(ansi));
        assert_eq!(report.scanned.messages, 0);
        // The guard's own words: the loop was followed until it stopped it, not refused at
        // once for a bad check. Which of its two limits comes first (depth or bytes read)
        // depends on how large the build makes the reader's stack frames.
        assert!(
            report.errors.len() == 1 && report.errors[0].error.contains("(a loop"),
            "ANSI {ansi}: {:?}",
            report.errors
        );
    }
}

/// A file of 45 messages (more than one node B-tree page holds) whose node B-tree root page
/// names itself as its first child. [MS-PST] 2.2.2.6: the header's root structure keeps the
/// root page's offset at 224 (188 in an ANSI file); 2.2.2.7: a page keeps its level at 491
/// (499), its own id at 504 and its check of the bytes before its trailer at 500 (508).
fn with_looping_btree(ansi: bool) -> Vec<u8> {
    let mut pst = PstBuilder::new().ansi(ansi);
    let inbox = pst.folder(None, "Inbox");
    for number in 0..45 {
        pst.message(&inbox, newsletter(number, 200, false));
    }
    let mut bytes = pst.build();
    let (id, root_at, level_at, checked, crc_at) = if ansi {
        (4, 188, 499, 500, 508)
    } else {
        (8, 224, 491, 496, 500)
    };
    let mut offset = [0u8; 8];
    offset[..id].copy_from_slice(&bytes[root_at..root_at + id]);
    let root = u64::from_le_bytes(offset) as usize;
    let page = &mut bytes[root..root + 512];
    assert!(page[level_at] > 0, "45 messages need an intermediate page");
    let own_id = page[504..504 + id].to_vec();
    // The first entry's page reference, after its key (one id long): this page's own id and
    // offset.
    page[id..2 * id].copy_from_slice(&own_id);
    page[2 * id..3 * id].copy_from_slice(&(root as u64).to_le_bytes()[..id]);
    let check = crc(&page[..checked]);
    page[crc_at..crc_at + 4].copy_from_slice(&check.to_le_bytes());
    bytes
}

/// A message body's data tree (an XBLOCK listing the body's blocks) that lists itself first:
/// reading it as outlook-pst does recursed until the stack overflowed. Data trees are walked
/// two levels deep at most; the body is lost with a warning, and the message is scanned.
#[test]
fn a_data_tree_that_lists_itself_costs_its_value() {
    let spec = newsletter(1, 40_000, false);
    let html_len = spec
        .props
        .iter()
        .find_map(|(id, value)| match (*id, value) {
            (HTML, Value::Binary(html)) => Some(html.len()),
            _ => None,
        })
        .unwrap();
    let mut pst = PstBuilder::new();
    let inbox = pst.folder(None, "Inbox");
    pst.message(&inbox, spec);
    let mut bytes = pst.build();
    // An XBLOCK: type 1, level 1, its entry count, the total size, then the blocks' ids.
    let count = html_len.div_ceil(8176) as u16;
    let mut head = vec![1, 1];
    head.extend_from_slice(&count.to_le_bytes());
    head.extend_from_slice(&(html_len as u32).to_le_bytes());
    let at = bytes
        .windows(head.len())
        .position(|window| window == head)
        .expect("the body's data tree");
    // The first block id follows the 8-byte header.
    name_itself(&mut bytes, at, 8 + 8 * usize::from(count), 8);

    let report = scan_one_file("loop.pst", &bytes);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.scanned.messages, 1);
    let message = &report.messages[0];
    assert_eq!(message.subject.as_deref(), Some("Issue 1"));
    assert!(
        message
            .warnings
            .iter()
            .any(|w| w.contains("0x1013") && w.contains("deeper than two levels")),
        "{:?}",
        message.warnings
    );
}

/// The file is opened afresh every few thousand messages (the reader's caches grow with what
/// it has seen): no message is lost or read twice across a reopening, in the middle of a folder.
#[test]
fn a_large_pst_reads_every_message_once_in_order() {
    let mut pst = PstBuilder::new();
    let inbox = pst.folder(None, "Inbox");
    let archive = pst.folder(None, "Archive");
    let count = 2_600;
    for number in 0..count {
        let folder = if number < 1_500 { &inbox } else { &archive };
        let mut message = newsletter(number, 0, false);
        message.props.retain(|(id, _)| *id != HTML && *id != BODY);
        pst.message(folder, message);
    }
    let report = scan_one_file("large.pst", &pst.build());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let expected: Vec<String> = (0..count)
        .map(|n| format!("<issue-{n}@shop.example>"))
        .collect();
    assert_eq!(message_ids(&report), expected);
}

/// A message's subnode tree (an SIBLOCK listing the SLBLOCKs that list its subnodes: here its
/// 400 attachments) that lists itself first: outlook-pst walks it by recursion, reading the
/// file at each step, until the stack overflows. The guard on the reader's reads stops it
/// 256 KiB of stack deeper than where the message's read began; the message is an error entry.
#[test]
fn a_subnode_tree_that_lists_itself_is_stopped_by_the_stack_guard() {
    let mut message = newsletter(1, 200, false);
    message.attachments = (0..400)
        .map(|n| AttachmentSpec::Data {
            props: vec![(ATTACH_FILENAME, unicode(&format!("F{n}.TXT")))],
            data: b"x".to_vec(),
        })
        .collect();
    let mut pst = PstBuilder::new();
    let inbox = pst.folder(None, "Inbox");
    pst.message(&inbox, message);
    pst.message(&inbox, newsletter(2, 200, false));
    let mut bytes = pst.build();
    // An SIBLOCK of two entries: type 2, level 1, the count, 4 bytes of padding, then
    // (node id, block id) pairs of 8 bytes each.
    let head = [2u8, 1, 2, 0, 0, 0, 0, 0];
    let found: Vec<usize> = bytes
        .windows(head.len())
        .enumerate()
        .filter(|(at, window)| *window == head && at % 64 == 0)
        .map(|(at, _)| at)
        .collect();
    assert_eq!(found.len(), 1, "one subnode tree of two levels");
    let at = found[0];
    // The first entry's block id follows the header and its node id.
    name_itself(&mut bytes, at, 8 + 2 * 16, 16);

    let report = scan_one_file("loop.pst", &bytes);
    assert_eq!(message_ids(&report), ["<issue-2@shop.example>"]);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(
        report.errors[0].error.contains("nests deeper"),
        "{:?}",
        report.errors
    );
}

/// `explain` walks a `.pst` as the scan does, naming each message by its folder and node.
#[test]
fn explain_names_each_message_of_a_pst_by_its_folder() {
    let mut pst = PstBuilder::new();
    let inbox = pst.folder(None, "Inbox");
    pst.message(&inbox, newsletter(1, 200, false));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Outlook.pst");
    std::fs::write(&path, pst.build()).unwrap();
    let output = mailtrace(&["explain", &path.to_string_lossy()], None);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Outlook.pst!Top of Personal Folders/Inbox/0x"),
        "{text}"
    );
    assert!(text.contains("Subject:    Issue 1"), "{text}");
    assert!(text.contains("pixel / tiny_image"), "{text}");
}

/// The same mailbox written as an ANSI file (Outlook 97 to 2002: 32-bit ids, 8-bit strings)
/// and as a Unicode one reads the same: folders, messages, attached messages, findings.
#[test]
fn an_ansi_pst_reads_as_its_unicode_twin_does() {
    let build = |ansi: bool| {
        let mut pst = PstBuilder::new().ansi(ansi).permute(true);
        let inbox = pst.folder(None, "Inbox");
        let older = pst.folder(Some(&inbox), "2001");
        for number in 0..45 {
            pst.message(&older, newsletter(number, 1_000, number % 3 == 0));
        }
        pst.message(&inbox, newsletter(100, 40_000, true));
        let mut forwarded = sent_message();
        forwarded.attachments = vec![AttachmentSpec::Embedded {
            props: vec![(ATTACH_LONG_FILENAME, unicode("Issue 7.msg"))],
            message: newsletter(7, 300, false),
        }];
        pst.message(&inbox, forwarded);
        // A draft of the time: its subject in 8-bit text, in the message's code page.
        pst.message(
            &inbox,
            MessageSpec {
                props: vec![
                    (SUBJECT, Value::String8(b"Caf\xe9 au lait".to_vec())),
                    (MESSAGE_CODEPAGE, Value::Int32(1252)),
                    (SENDER_SMTP_ADDRESS, unicode("reader@example.org")),
                ],
                ..MessageSpec::default()
            },
        );
        scan_pst(&pst)
    };
    let ansi = build(true);
    let unicode = build(false);
    assert!(ansi.errors.is_empty(), "{:?}", ansi.errors);
    assert_eq!(ansi.scanned.messages, 49);
    assert_eq!(entries(&ansi), entries(&unicode));
    assert_eq!(parts_and_subjects(&ansi), parts_and_subjects(&unicode));
    assert_eq!(message_ids(&ansi), message_ids(&unicode));
    let kinds = |report: &Report| -> Vec<Vec<Kind>> {
        report
            .messages
            .iter()
            .map(|m| m.findings.iter().map(|f| f.kind).collect())
            .collect()
    };
    assert_eq!(kinds(&ansi), kinds(&unicode));
    let reads: Vec<_> = ansi.messages.iter().map(|m| m.read).collect();
    assert_eq!(
        reads,
        unicode.messages.iter().map(|m| m.read).collect::<Vec<_>>()
    );
    assert!(ansi
        .messages
        .iter()
        .any(|m| m.subject.as_deref() == Some("Café au lait")));
}
