//! The `--format summary` table: the senders that track, worst first, for a person to read.
//! Every string from the mail is stripped of control characters so a hostile subject or
//! address cannot drive the terminal.

use super::Report;
use std::io::{self, Write};

pub fn write_summary_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    writeln!(
        out,
        "{} messages from {} senders; {} senders track, in {} messages{}; {} errors",
        report.scanned.messages,
        s.senders,
        s.tracking_senders,
        s.tracked_messages,
        read_note(s.tracked_read, s.tracked_unread),
        report.scanned.errors
    )?;
    let trackers: Vec<_> = report
        .senders
        .iter()
        .filter(|s| s.tracked_messages > 0)
        .collect();
    if trackers.is_empty() {
        return writeln!(out, "no tracking found");
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<40} {:>8} {:>8} {:>6}  {:<60} vendors",
        "sender", "messages", "tracked", "read", "kinds"
    )?;
    for sender in trackers {
        let kinds: Vec<String> = sender.kinds.keys().map(|k| k.to_string()).collect();
        let vendors: Vec<&str> = sender.vendors.keys().map(String::as_str).collect();
        // A dash where none of the sender's tracked messages carries a read flag.
        let read = if sender.tracked_read + sender.tracked_unread > 0 {
            sender.tracked_read.to_string()
        } else {
            "-".to_owned()
        };
        writeln!(
            out,
            "{:<40} {:>8} {:>8} {:>6}  {:<60} {}",
            printable(&sender.sender, 40),
            sender.messages,
            sender.tracked_messages,
            read,
            printable(&kinds.join(","), 60),
            printable(&vendors.join(", "), 60)
        )?;
    }
    Ok(())
}

/// ` (N marked read, M unread)` when the mailbox flags any tracked message, else nothing.
pub fn read_note(read: u64, unread: u64) -> String {
    if read + unread == 0 {
        return String::new();
    }
    format!(" ({read} marked read, {unread} unread)")
}

/// Text safe for a terminal: control characters replaced, cut to `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(max)
        .collect();
    if text.chars().count() > max && max > 0 {
        out.pop();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_never_reach_the_terminal() {
        assert_eq!(printable("a\x1b[31mb", 20), "a?[31mb");
        assert_eq!(printable("abcdef", 4), "abc…");
    }
}
