//! The `--format summary` table: the senders that track, worst first, for a person to read.
//! Every string from the mail is stripped of control characters so a hostile subject or
//! address cannot drive the terminal.

use super::Report;
use std::io::{self, Write};

pub fn write_summary_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    writeln!(
        out,
        "{} messages from {} senders; {} senders track, in {} messages; {} errors",
        report.scanned.messages,
        s.senders,
        s.tracking_senders,
        s.tracked_messages,
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
        "{:<40} {:>8} {:>8}  {:<60} vendors",
        "sender", "messages", "tracked", "kinds"
    )?;
    for sender in trackers {
        let kinds: Vec<String> = sender.kinds.keys().map(|k| k.to_string()).collect();
        let vendors: Vec<&str> = sender.vendors.keys().map(String::as_str).collect();
        writeln!(
            out,
            "{:<40} {:>8} {:>8}  {:<60} {}",
            printable(&sender.sender, 40),
            sender.messages,
            sender.tracked_messages,
            printable(&kinds.join(","), 60),
            printable(&vendors.join(", "), 60)
        )?;
    }
    Ok(())
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
