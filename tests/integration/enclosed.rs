//! Messages inside messages: mail forwarded as an attachment (`message/rfc822`), shown inline by
//! mail programs, is scanned as a message of its own, named by the part that holds it.

use crate::common::*;
use mailtrace::report::Report;
use mailtrace::Kind;

const PIXEL: &str = "https://open.mailer.shop.example/o/q7Rt2VwX9zLm4Np8Kc1Hs5Bd3Fg6Jy0Ae";

fn newsletter(subject: &str) -> String {
    format!(
        "From: \"Planter Shop\" <news@shop.example>\r\nTo: friend@example.net\r\n\
         Subject: {subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n\
         <html><body><p>New season</p><img src=\"{PIXEL}\" width=\"1\" height=\"1\"></body></html>\r\n"
    )
}

fn base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn pixels(report: &Report, index: usize) -> usize {
    report.messages[index]
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Pixel)
        .count()
}

#[test]
fn mail_forwarded_as_an_attachment_is_a_message_of_its_own() {
    let forward = format!(
        "From: friend@example.net\r\nTo: reader@example.org\r\nSubject: Fwd: two newsletters\r\n\
         X-Mozilla-Status: 0001\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"out\"\r\n\r\n\
         --out\r\nContent-Type: text/plain\r\n\r\nHave a look at these.\r\n\
         --out\r\nContent-Type: message/rfc822\r\n\r\n{}\r\n\
         --out\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --out--\r\n",
        newsletter("Spring"),
        base64(&newsletter("Summer"))
    );
    let report = scan_one_file("forward.eml", forward.as_bytes());
    let messages: Vec<(Option<&str>, Option<&str>, Option<&str>)> = report
        .messages
        .iter()
        .map(|m| {
            (
                m.locator.part.as_deref(),
                m.from.as_deref(),
                m.subject.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        messages,
        [
            (
                None,
                Some("friend@example.net"),
                Some("Fwd: two newsletters")
            ),
            (Some("2"), Some("news@shop.example"), Some("Spring")),
            (Some("3"), Some("news@shop.example"), Some("Summer")),
        ]
    );
    // The pixels are the newsletters', not the forward's; each is shown when the forward is,
    // so each is read when it is.
    assert_eq!(pixels(&report, 0), 0);
    assert_eq!(pixels(&report, 1), 1);
    assert_eq!(pixels(&report, 2), 1);
    assert!(report.messages.iter().all(|m| m.read == Some(true)));
    // The file's bytes are counted once, with the message that holds the others.
    assert_eq!(report.scanned.bytes, forward.len() as u64);
    assert_eq!(report.scanned.messages, 3);
    assert_eq!(report.summary.tracked_messages, 2);
}

#[test]
fn a_bounce_returning_the_readers_own_mail_adds_no_message() {
    let bounce = format!(
        "From: MAILER-DAEMON@mx.example.org\r\nTo: reader@example.org\r\n\
         Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n\
         --r\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n\
         --r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n\
         Final-Recipient: rfc822; nobody@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n\
         --r\r\nContent-Type: message/rfc822\r\n\r\n{}\r\n--r--\r\n",
        newsletter("Our own campaign")
    );
    let report = scan_one_file("bounce.eml", bounce.as_bytes());
    assert_eq!(report.scanned.messages, 1);
    assert_eq!(report.messages[0].locator.part, None);
    assert_eq!(pixels(&report, 0), 0);
}

#[test]
fn messages_are_read_four_levels_deep_and_the_rest_is_noted() {
    let mut message = newsletter("innermost");
    for level in (1..=5).rev() {
        message = format!(
            "From: level{level}@example.net\r\nTo: reader@example.org\r\nSubject: level {level}\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b{level}\"\r\n\r\n\
             --b{level}\r\nContent-Type: message/rfc822\r\n\r\n{message}\r\n--b{level}--\r\n"
        );
    }
    let report = scan_one_file("nested.eml", message.as_bytes());
    let parts: Vec<Option<&str>> = report
        .messages
        .iter()
        .map(|m| m.locator.part.as_deref())
        .collect();
    assert_eq!(parts, [None, Some("1"), Some("1/1"), Some("1/1/1")]);
    assert!(
        report.messages[3]
            .warnings
            .iter()
            .any(|w| w.contains("enclosed 4 deep")),
        "{:?}",
        report.messages[3].warnings
    );
}

#[test]
fn csv_rows_and_explain_name_the_part() {
    let forward = format!(
        "From: friend@example.net\r\nTo: reader@example.org\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"out\"\r\n\r\n\
         --out\r\nContent-Type: message/rfc822\r\n\r\n{}\r\n--out--\r\n",
        newsletter("Spring")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forward.eml");
    std::fs::write(&path, &forward).unwrap();
    let path = path.to_str().unwrap();
    let output = mailtrace(&["scan", "-q", "--format", "csv", path], None);
    let csv = String::from_utf8(output.stdout).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let part = header.iter().position(|&c| c == "part").unwrap();
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[part], "1");
    let output = mailtrace(&["explain", path], None);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains(&format!("== {path}#1\n")), "{text}");
    assert!(text.contains(PIXEL), "{text}");
}

#[test]
fn redaction_reaches_enclosed_messages() {
    let leak = "https://t.shop.example/open.gif?e=reader%40example.org";
    let forward = format!(
        "From: friend@example.net\r\nTo: reader@example.org\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"out\"\r\n\r\n\
         --out\r\nContent-Type: message/rfc822\r\n\r\n\
         From: news@shop.example\r\nTo: reader@example.org\r\nSubject: Spring\r\n\
         Content-Type: text/html\r\n\r\n<img src=\"{leak}\" width=\"1\" height=\"1\">\r\n--out--\r\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forward.eml");
    std::fs::write(&path, &forward).unwrap();
    let output = mailtrace(
        &[
            "scan",
            "-q",
            "--redact",
            "--format",
            "jsonl",
            path.to_str().unwrap(),
        ],
        None,
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("\"part\":\"1\""), "{text}");
    assert!(text.contains("address_leak"), "{text}");
    assert!(!text.contains("reader%40example.org"), "{text}");
    assert!(!text.contains("reader@example.org"), "{text}");
}
