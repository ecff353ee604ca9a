//! Whether the reader opened a message, as the mailbox itself records it. A tracker learns of
//! an open only when a message is displayed, so the tracked messages a mailbox marks read are
//! the ones whose senders were probably told.
//!
//! Each mail program keeps the flag in its own place: Maildir in the file name (`:2,S`, and
//! `new/` for mail no program has shown yet), Apple Mail in the `.emlx` property list, Outlook
//! in a `.msg` file's message flags (read in `source::msg`), Thunderbird in `X-Mozilla-Status`, a Gmail Takeout in the `Opened` and `Unread` labels, and
//! mutt, Pine and mailx in `Status`. A message can carry several (a Takeout mbox read in
//! Thunderbird, a Thunderbird message moved to a Maildir): it counts as read if any of them
//! says so, as it was shown at least once. None of them: unknown, never guessed.

use crate::message::MessageView;

/// The message's flag: the container's (`container`: a Maildir name's, an `.emlx` plist's)
/// joined with its headers'.
pub fn of(container: Option<bool>, view: &MessageView<'_>) -> Option<bool> {
    either(container, from_headers(view))
}

/// Reads a header field's value as a read flag, when it holds one.
type FlagReader = fn(&str) -> Option<bool>;

/// The header fields that hold a read flag, each with the reader of its value.
const FLAG_FIELDS: [(&str, FlagReader); 3] = [
    ("X-Mozilla-Status", mozilla_status),
    ("X-Gmail-Labels", gmail_labels),
    ("Status", mbox_status),
];

fn flag_field(name: &str) -> Option<FlagReader> {
    FLAG_FIELDS
        .iter()
        .find(|(field, _)| name.eq_ignore_ascii_case(field))
        .map(|(_, read)| *read)
}

/// The flag the message's own headers record, if any does.
pub fn from_headers(view: &MessageView<'_>) -> Option<bool> {
    let mut flag = None;
    for header in view.headers_named(|name| flag_field(name).is_some()) {
        let read = flag_field(header.name).and_then(|read| read(header.value.trim()));
        flag = either(flag, read);
    }
    flag
}

/// Read if either says read; unread if one says so and the other is silent or agrees.
pub fn either(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a || b),
        (a, b) => a.or(b),
    }
}

/// Thunderbird's flag word, four hex digits; its lowest bit is "read".
fn mozilla_status(value: &str) -> Option<bool> {
    u32::from_str_radix(value, 16)
        .ok()
        .map(|flags| flags & 1 != 0)
}

/// A Takeout's comma-separated labels: `Opened` once the message was shown, `Unread` while it
/// was not. A label of the user's own may hold a comma; it is then quoted, as in CSV (and,
/// quoted, is never one of these two).
fn gmail_labels(value: &str) -> Option<bool> {
    let mut flag = None;
    for label in crate::report::csv::raw_cells(value) {
        let label = label.trim();
        if label.eq_ignore_ascii_case("Opened") {
            flag = either(flag, Some(true));
        } else if label.eq_ignore_ascii_case("Unread") {
            flag = either(flag, Some(false));
        }
    }
    flag
}

/// The mbox `Status` letters: `R` read, `O` old (seen in a listing, not necessarily opened),
/// and `D`, `N`, `U` of some programs. A program that writes the field writes `R` once the
/// message is read, so without it the message is unread. A `Status` field of anything else is
/// someone else's (a delivery status code, a sender's own header) and says nothing.
fn mbox_status(value: &str) -> Option<bool> {
    let letters = value.len() <= 5 && value.bytes().all(|b| b"RODNU".contains(&b));
    (letters && !value.is_empty()).then(|| value.contains('R'))
}

/// A Maildir message's flag from its file name (the last components of its path): the info
/// after `:2,` lists the flags, `S` for seen; a message still in `new/` has not been shown to
/// any program. A name without info outside `new/` says nothing.
pub fn maildir(path: &str) -> Option<bool> {
    let mut components = path.rsplit(['/', '\\']);
    let name = components.next()?;
    let folder = components.next();
    // `:` is not allowed in Windows file names; some programs write `;` or `!` instead.
    let info = name
        .rfind([':', ';', '!'])
        .and_then(|at| name[at + 1..].strip_prefix("2,"));
    match info {
        Some(flags) => Some(flags.contains('S')),
        None if folder == Some("new") => Some(false),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag_of(headers: &str) -> Option<bool> {
        let message = format!("{headers}From: a@example.com\r\nSubject: s\r\n\r\nbody\r\n");
        let view = MessageView::parse(message.as_bytes()).expect("parses");
        from_headers(&view)
    }

    #[test]
    fn each_programs_header_is_read() {
        assert_eq!(flag_of("X-Mozilla-Status: 0001\r\n"), Some(true));
        assert_eq!(flag_of("X-Mozilla-Status: 0011\r\n"), Some(true));
        assert_eq!(flag_of("X-Mozilla-Status: 0000\r\n"), Some(false));
        assert_eq!(flag_of("X-Mozilla-Status: 8010\r\n"), Some(false));
        assert_eq!(
            flag_of("X-Gmail-Labels: Inbox,Category Promotions,Opened\r\n"),
            Some(true)
        );
        assert_eq!(flag_of("X-Gmail-Labels: Spam,Unread\r\n"), Some(false));
        assert_eq!(flag_of("X-Gmail-Labels: Inbox,\"Opened, not\"\r\n"), None);
        assert_eq!(flag_of("Status: RO\r\n"), Some(true));
        assert_eq!(flag_of("Status: O\r\n"), Some(false));
        assert_eq!(flag_of("Status: 5.1.1\r\n"), None);
        assert_eq!(flag_of("Status: Rejected\r\n"), None);
        assert_eq!(flag_of(""), None);
        assert_eq!(flag_of("X-Mozilla-Status: zz\r\n"), None);
    }

    #[test]
    fn any_record_of_a_read_wins() {
        let both = "X-Gmail-Labels: Inbox,Opened\r\nX-Mozilla-Status: 0000\r\n";
        assert_eq!(flag_of(both), Some(true));
        let neither = "X-Gmail-Labels: Unread\r\nStatus: O\r\n";
        assert_eq!(flag_of(neither), Some(false));
    }

    #[test]
    fn maildir_names_carry_the_flag() {
        assert_eq!(maildir("m/cur/1700000001.M1P100.host:2,S"), Some(true));
        assert_eq!(maildir("m/cur/1700000002.M2P100.host:2,FRS"), Some(true));
        assert_eq!(maildir("m/cur/1700000002.M2P100.host:2,F"), Some(false));
        assert_eq!(maildir("m\\cur\\1700000002.M2P100.host;2,S"), Some(true));
        assert_eq!(maildir("m/cur/1700000002.M2P100.host!2,"), Some(false));
        assert_eq!(maildir("m/new/1700000003.M3P100.host"), Some(false));
        assert_eq!(maildir("m/cur/1700000003.M3P100.host"), None);
        assert_eq!(maildir(""), None);
    }
}
