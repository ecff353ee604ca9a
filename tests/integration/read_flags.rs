//! Whether the reader opened each message, as the mailbox records it: a tracker hears of an
//! open only when the message is shown, so the report says which tracked messages were read.

use crate::common::*;
use mailtrace::report::Report;

/// Message-ID → the report's read flag.
fn read_flags(report: &Report) -> Vec<(String, Option<bool>)> {
    report
        .messages
        .iter()
        .map(|m| (m.message_id.clone().unwrap_or_default(), m.read))
        .collect()
}

fn flag_of(report: &Report, message_id: &str) -> Option<bool> {
    read_flags(report)
        .into_iter()
        .find(|(id, _)| id == message_id)
        .unwrap_or_else(|| panic!("{message_id} not in the report"))
        .1
}

#[test]
fn maildir_flags_come_from_the_file_name_and_new_mail_is_unread() {
    let report = scan_all(&[fixture("formats/maildir")]);
    assert_eq!(flag_of(&report, "<maildir-1@example.com>"), Some(true)); // cur/…:2,S
    assert_eq!(flag_of(&report, "<maildir-2@example.com>"), Some(true)); // cur/…:2,RS
    assert_eq!(flag_of(&report, "<maildir-5@example.com>"), Some(true)); // .Work/cur/…:2,FS
    assert_eq!(flag_of(&report, "<maildir-3@example.com>"), Some(false)); // new/
}

#[test]
fn a_tarred_maildir_keeps_its_flags() {
    let report = scan_all(&[fixture("formats/archives/maildir.tar.gz")]);
    assert_eq!(flag_of(&report, "<tar-maildir-1@news.example>"), Some(true));
    assert_eq!(flag_of(&report, "<tar-maildir-2@example.net>"), Some(false));
    assert_eq!(flag_of(&report, "<tar-maildir-3@work.example>"), Some(true));
}

#[test]
fn thunderbird_and_takeout_flags_come_from_their_headers() {
    let report = scan_all(&[fixture("formats/thunderbird"), fixture("formats/takeout")]);
    // X-Mozilla-Status 0001 / 0011 / 0000.
    assert_eq!(flag_of(&report, "<tb-inbox-1@example.net>"), Some(true));
    assert_eq!(flag_of(&report, "<tb-archive-2@example.com>"), Some(true));
    assert_eq!(flag_of(&report, "<tb-inbox-2@example.net>"), Some(false));
    // X-Gmail-Labels …,Opened / Spam,Unread.
    assert_eq!(
        flag_of(&report, "<takeout-1@garden-store.example>"),
        Some(true)
    );
    assert_eq!(flag_of(&report, "<takeout-3@prizes.example>"), Some(false));
}

#[test]
fn apple_mail_flags_come_from_the_property_list() {
    let report = scan_all(&[fixture("formats/applemail")]);
    assert_eq!(flag_of(&report, "<emlx-102@news.example>"), Some(true));
}

#[test]
fn mail_without_a_flag_is_unknown_and_says_nothing() {
    let report = scan_all(&[fixture("formats/eml-folder"), fixture("formats/mboxo.mbox")]);
    assert!(report.messages.iter().all(|m| m.read.is_none()));
    assert_eq!(
        report.summary.tracked_read + report.summary.tracked_unread,
        0
    );
    let json = mailtrace(
        &[
            "scan",
            "-q",
            "--all-messages",
            &fixture_arg("formats/eml-folder"),
        ],
        None,
    );
    let text = String::from_utf8(json.stdout).unwrap();
    assert!(!text.contains("\"read\""), "{text}");
}

#[test]
fn totals_count_the_tracked_messages_marked_read_and_unread() {
    let report = scan_all(&[fixture("demo.mbox")]);
    let tracked: Vec<_> = report.messages.iter().filter(|m| m.is_tracked()).collect();
    let read = tracked.iter().filter(|m| m.read == Some(true)).count() as u64;
    let unread = tracked.iter().filter(|m| m.read == Some(false)).count() as u64;
    assert!(read > 0 && unread > 0, "the demo has both: {read} {unread}");
    assert_eq!(report.summary.tracked_read, read);
    assert_eq!(report.summary.tracked_unread, unread);
    // Clean messages carry flags too, but only tracked ones are counted.
    assert!(report
        .messages
        .iter()
        .any(|m| !m.is_tracked() && m.read.is_some()));
    let per_sender: u64 = report.senders.iter().map(|s| s.tracked_read).sum();
    assert_eq!(per_sender, read);
    for sender in &report.senders {
        assert!(sender.tracked_read + sender.tracked_unread <= sender.tracked_messages);
    }

    let table = mailtrace(
        &["scan", "--format", "summary", &fixture_arg("demo.mbox")],
        None,
    );
    let text = String::from_utf8(table.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.contains(&format!("({read} marked read, {unread} unread)")),
        "{first}"
    );
    assert!(text.lines().nth(2).unwrap().contains(" read "), "{text}");
}

#[test]
fn explain_says_whether_the_mailbox_marks_the_message_read() {
    let read = mailtrace(&["explain", &fixture_arg("formats/applemail")], None);
    let text = String::from_utf8(read.stdout).unwrap();
    assert!(text.contains("Read:       yes"), "{text}");
    let unread = mailtrace(
        &[
            "explain",
            &fixture_arg("formats/maildir/new/1700000003.M3P100.host"),
        ],
        None,
    );
    let text = String::from_utf8(unread.stdout).unwrap();
    assert!(text.contains("Read:       no"), "{text}");
    let unknown = mailtrace(&["explain", &fixture_arg("formats/single.eml")], None);
    let text = String::from_utf8(unknown.stdout).unwrap();
    assert!(!text.contains("Read:"), "{text}");
}
