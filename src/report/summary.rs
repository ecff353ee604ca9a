//! The `--format summary` tables: the senders that track, worst first, the companies behind
//! them, and the share of tracked mail year by year, for a person to read.
//! Every string from the mail is stripped of control characters so a hostile subject or
//! address cannot drive the terminal.

use super::{Report, SenderSummary};
use std::collections::BTreeMap;
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
    write_sender_table(&trackers, out)?;
    write_vendor_table(report, out)?;
    write_year_table(report, out)
}

fn write_sender_table(trackers: &[&SenderSummary], out: &mut dyn Write) -> io::Result<()> {
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

/// Messages and tracked messages per year of their Date header.
fn write_year_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.summary.years.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<6} {:>8} {:>8} {:>6}",
        "year", "messages", "tracked", "share"
    )?;
    for (year, counts) in &report.summary.years {
        let share = 100 * counts.tracked_messages / counts.messages.max(1);
        writeln!(
            out,
            "{:<6} {:>8} {:>8} {:>5}%",
            printable(year, 6),
            counts.messages,
            counts.tracked_messages,
            share
        )?;
    }
    Ok(())
}

/// The companies the rules name, by the number of messages they appear in, with the number of
/// senders whose mail names them.
fn write_vendor_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.summary.vendors.is_empty() {
        return Ok(());
    }
    let mut senders: BTreeMap<&str, u64> = BTreeMap::new();
    for sender in &report.senders {
        for vendor in sender.vendors.keys() {
            *senders.entry(vendor).or_default() += 1;
        }
    }
    let mut vendors: Vec<(&str, u64)> = report
        .summary
        .vendors
        .iter()
        .map(|(vendor, messages)| (vendor.as_str(), *messages))
        .collect();
    vendors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    writeln!(out)?;
    writeln!(out, "{:<40} {:>8} {:>8}", "vendor", "messages", "senders")?;
    for (vendor, messages) in vendors {
        writeln!(
            out,
            "{:<40} {:>8} {:>8}",
            printable(vendor, 40),
            messages,
            senders.get(vendor).copied().unwrap_or(0)
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
