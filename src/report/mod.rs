//! The report: per-message results folded into per-sender and per-kind totals, and the writers
//! that print it. Every map is ordered and every list sorted, so two runs over the same input
//! produce the same bytes (apart from `duration_ms`).

pub mod csv;
mod message_json;
pub mod redact;
pub mod summary;

pub use message_json::write_message;

pub use summary::write_summary_table;

use crate::finding::{Finding, Kind};
use crate::locator::Locator;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

pub const REPORT_SCHEMA: &str = "mailtrace-report/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub tool: Tool,
    pub scanned: Scanned,
    pub summary: Summary,
    pub senders: Vec<SenderSummary>,
    pub messages: Vec<MessageReport>,
    pub errors: Vec<ErrorEntry>,
    pub skipped: Vec<SkippedFile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
    pub rules_version: String,
    pub rules: usize,
}

impl Tool {
    /// This program, with the rule set it scans with.
    pub fn of(rules: &crate::rules::RuleSet) -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            rules_version: rules.version().to_owned(),
            rules: rules.len(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scanned {
    /// Messages parsed and run through detection.
    pub messages: u64,
    /// Bytes of those messages.
    pub bytes: u64,
    /// Entries in `errors`.
    pub errors: u64,
    /// Files opened as mail sources (an mbox, an .eml, a Maildir message, …).
    pub sources: u64,
    /// Files in walked folders that are not mail (listed in `skipped`).
    pub skipped: u64,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Messages with at least one tracking finding (see `Finding::is_tracking`).
    pub tracked_messages: u64,
    /// Tracked messages the mailbox marks read: their senders were probably told of the open.
    #[serde(default)]
    pub tracked_read: u64,
    /// Tracked messages the mailbox marks unread. The rest of `tracked_messages` carry no flag.
    #[serde(default)]
    pub tracked_unread: u64,
    pub senders: u64,
    pub tracking_senders: u64,
    /// Kind → number of messages with at least one finding of that kind (every kind listed).
    pub kinds: BTreeMap<Kind, u64>,
    /// Technique → number of messages.
    pub techniques: BTreeMap<String, u64>,
    /// Vendor → number of messages with at least one finding naming it.
    pub vendors: BTreeMap<String, u64>,
    /// Year of the Date header (as the sender wrote it) → messages and tracked messages, for
    /// seeing tracking grow over a decade of mail. Messages without a readable date are left
    /// out.
    #[serde(default)]
    pub years: BTreeMap<String, YearTally>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct YearTally {
    pub messages: u64,
    pub tracked_messages: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SenderSummary {
    pub sender: String,
    pub domain: String,
    pub messages: u64,
    pub tracked_messages: u64,
    /// As the summary's `tracked_read` and `tracked_unread`, for this sender's messages.
    #[serde(default)]
    pub tracked_read: u64,
    #[serde(default)]
    pub tracked_unread: u64,
    pub kinds: BTreeMap<Kind, u64>,
    pub techniques: BTreeMap<String, u64>,
    pub vendors: BTreeMap<String, u64>,
    /// Hosts outside the sender's domain that receive a signal (registrable domains).
    pub third_parties: Vec<String>,
    /// Messages in which the reader's address leaks into a URL.
    pub leaks: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageReport {
    pub locator: Locator,
    pub message_id: Option<String>,
    pub from: Option<String>,
    pub date: Option<String>,
    pub subject: Option<String>,
    /// Whether the mailbox marks the message read (see [`crate::read_flag`]); absent when it
    /// keeps no flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    pub findings: Vec<Finding>,
    /// Things noticed while reading it that did not stop the scan (a cut-short header block).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl MessageReport {
    pub fn is_tracked(&self) -> bool {
        self.findings.iter().any(Finding::is_tracking)
    }

    /// Whether the message is listed when clean messages are not: it has findings or warnings.
    pub fn is_noteworthy(&self) -> bool {
        !self.findings.is_empty() || !self.warnings.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEntry {
    /// The container format: eml, mbox, maildir, emlx, msg, folder, zip, tar.
    pub source: String,
    pub locator: Locator,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFile {
    pub path: String,
    /// The member of the zip or tar archive at `path`, when the file skipped is one (or the
    /// folder of an Outlook data file, when a folder of contacts or the like is skipped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    pub reason: String,
}

/// Per-sender running totals; `timestamp`s keep first/last seen comparable.
#[derive(Debug, Default)]
struct SenderTally {
    domain: String,
    messages: u64,
    tracked_messages: u64,
    tracked_read: u64,
    tracked_unread: u64,
    kinds: BTreeMap<Kind, u64>,
    techniques: BTreeMap<String, u64>,
    vendors: BTreeMap<String, u64>,
    third_parties: BTreeSet<String>,
    leaks: u64,
    first_seen: Option<(i64, String)>,
    last_seen: Option<(i64, String)>,
}

/// Folds messages, errors and skipped files into a `Report`, in the order they arrive.
#[derive(Debug)]
pub struct ReportBuilder {
    keep_clean_messages: bool,
    keep_messages: bool,
    scanned: Scanned,
    summary: Summary,
    senders: BTreeMap<String, SenderTally>,
    messages: Vec<MessageReport>,
    errors: Vec<ErrorEntry>,
    skipped: Vec<SkippedFile>,
}

/// What the report needs from a message beyond its `MessageReport`.
#[derive(Debug, Clone, Default)]
pub struct SenderFacts {
    /// Lower-cased sender address, when there is one.
    pub address: Option<String>,
    pub domain: Option<String>,
    pub timestamp: Option<i64>,
    /// The message's read flag, as its `MessageReport::read`.
    pub read: Option<bool>,
}

pub const UNKNOWN_SENDER: &str = "(unknown sender)";

/// The sets one message adds to its sender's and the summary's counts: each kind, technique,
/// vendor and third party once per message, however many findings name it.
#[derive(Debug, Clone, Default)]
pub struct MessageTally {
    kinds: BTreeSet<Kind>,
    techniques: BTreeSet<String>,
    vendors: BTreeSet<String>,
    third_parties: BTreeSet<String>,
}

impl MessageTally {
    pub fn of(message: &MessageReport) -> MessageTally {
        let findings = &message.findings;
        // Third parties are named by registrable domain, looked up once per distinct host.
        let hosts = distinct(
            findings
                .iter()
                .filter(|f| f.third_party == Some(true))
                .filter_map(finding_host),
        );
        MessageTally {
            kinds: findings.iter().map(|f| f.kind).collect(),
            techniques: distinct(findings.iter().map(|f| f.technique.as_str())),
            vendors: distinct(findings.iter().filter_map(|f| f.vendor.as_deref())),
            third_parties: hosts
                .iter()
                .map(|host| {
                    crate::party::registrable_domain(host).unwrap_or_else(|| host.to_owned())
                })
                .collect(),
        }
    }
}

/// Each of `items` once, copied only then: a message's findings repeat a few names many times.
fn distinct<S: AsRef<str>>(items: impl Iterator<Item = S>) -> BTreeSet<String> {
    let mut items: Vec<S> = items.collect();
    items.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
    items.dedup_by(|a, b| a.as_ref() == b.as_ref());
    items.iter().map(|item| item.as_ref().to_owned()).collect()
}

/// Adds one to `key`'s count, copying the key only the first time it is seen.
fn count(counts: &mut BTreeMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_owned(), 1);
        }
    }
}

impl ReportBuilder {
    /// `keep_messages`: list messages in the report (off when the writer streams them);
    /// `keep_clean_messages`: list messages without findings too.
    pub fn new(keep_messages: bool, keep_clean_messages: bool) -> Self {
        let mut summary = Summary::default();
        for kind in Kind::ALL {
            summary.kinds.insert(kind, 0);
        }
        ReportBuilder {
            keep_clean_messages,
            keep_messages,
            scanned: Scanned::default(),
            summary,
            senders: BTreeMap::new(),
            messages: Vec::new(),
            errors: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// Adds one message; `tally` is [`MessageTally::of`] the same message, worked out by the
    /// caller (the scan does it on the worker, off the thread that folds in archive order).
    pub fn add_message(
        &mut self,
        message: MessageReport,
        facts: &SenderFacts,
        tally: MessageTally,
        bytes: u64,
    ) {
        let tracked = message.is_tracked();
        self.count_message(facts, tally, bytes, tracked, message.date.as_deref());
        if self.keep_messages && (self.keep_clean_messages || message.is_noteworthy()) {
            self.messages.push(message);
        }
    }

    /// Adds one message to the counts only, for a caller that has no report to keep: `tracked`
    /// and `date` are the report's [`MessageReport::is_tracked`] and `date`.
    pub fn count_message(
        &mut self,
        facts: &SenderFacts,
        tally: MessageTally,
        bytes: u64,
        tracked: bool,
        date: Option<&str>,
    ) {
        self.scanned.messages += 1;
        self.scanned.bytes += bytes;
        let MessageTally {
            kinds,
            techniques,
            vendors,
            third_parties,
        } = tally;

        let key = facts
            .address
            .clone()
            .unwrap_or_else(|| UNKNOWN_SENDER.to_owned());
        let tally = self.senders.entry(key).or_default();
        if tally.domain.is_empty() {
            tally.domain = facts.domain.clone().unwrap_or_default();
        }
        tally.messages += 1;
        tally.tracked_messages += u64::from(tracked);
        let (read, unread) = match (tracked, facts.read) {
            (true, Some(read)) => (u64::from(read), u64::from(!read)),
            _ => (0, 0),
        };
        tally.tracked_read += read;
        tally.tracked_unread += unread;
        self.summary.tracked_read += read;
        self.summary.tracked_unread += unread;
        tally.leaks += u64::from(kinds.contains(&Kind::AddressLeak));
        for kind in &kinds {
            *tally.kinds.entry(*kind).or_default() += 1;
            *self.summary.kinds.entry(*kind).or_default() += 1;
        }
        for technique in &techniques {
            count(&mut tally.techniques, technique);
            count(&mut self.summary.techniques, technique);
        }
        for vendor in &vendors {
            count(&mut tally.vendors, vendor);
            count(&mut self.summary.vendors, vendor);
        }
        tally.third_parties.extend(third_parties);
        if let (Some(timestamp), Some(date)) = (facts.timestamp, date) {
            if tally
                .first_seen
                .as_ref()
                .is_none_or(|(t, _)| timestamp < *t)
            {
                tally.first_seen = Some((timestamp, date.to_owned()));
            }
            if tally.last_seen.as_ref().is_none_or(|(t, _)| timestamp > *t) {
                tally.last_seen = Some((timestamp, date.to_owned()));
            }
        }
        self.summary.tracked_messages += u64::from(tracked);
        if let Some(year) = date.and_then(year_of) {
            let counts = match self.summary.years.get_mut(year) {
                Some(counts) => counts,
                None => self.summary.years.entry(year.to_owned()).or_default(),
            };
            counts.messages += 1;
            counts.tracked_messages += u64::from(tracked);
        }
    }

    pub fn add_error(&mut self, error: ErrorEntry) {
        self.scanned.errors += 1;
        self.errors.push(error);
    }

    pub fn add_skipped(&mut self, skipped: SkippedFile) {
        self.scanned.skipped += 1;
        self.skipped.push(skipped);
    }

    pub fn add_source(&mut self) {
        self.scanned.sources += 1;
    }

    pub fn finish(self, tool: Tool, duration_ms: u64) -> Report {
        let mut summary = self.summary;
        summary.senders = self.senders.len() as u64;
        let mut senders: Vec<SenderSummary> = self
            .senders
            .into_iter()
            .map(|(sender, tally)| SenderSummary {
                sender,
                domain: tally.domain,
                messages: tally.messages,
                tracked_messages: tally.tracked_messages,
                tracked_read: tally.tracked_read,
                tracked_unread: tally.tracked_unread,
                kinds: tally.kinds,
                techniques: tally.techniques,
                vendors: tally.vendors,
                third_parties: tally.third_parties.into_iter().collect(),
                leaks: tally.leaks,
                first_seen: tally.first_seen.map(|(_, d)| d),
                last_seen: tally.last_seen.map(|(_, d)| d),
            })
            .collect();
        summary.tracking_senders = senders.iter().filter(|s| s.tracked_messages > 0).count() as u64;
        // Worst first: most tracked messages, then most messages, then by address.
        senders.sort_by(|a, b| {
            b.tracked_messages
                .cmp(&a.tracked_messages)
                .then(b.messages.cmp(&a.messages))
                .then(a.sender.cmp(&b.sender))
        });
        let mut scanned = self.scanned;
        scanned.duration_ms = duration_ms;
        Report {
            schema: REPORT_SCHEMA.to_owned(),
            tool,
            scanned,
            summary,
            senders,
            messages: self.messages,
            errors: self.errors,
            skipped: self.skipped,
        }
    }
}

/// The year of an RFC 3339 date (`2024-03-05T10:11:12+01:00` → `2024`).
fn year_of(date: &str) -> Option<&str> {
    let year = date.get(..4)?;
    (year.bytes().all(|b| b.is_ascii_digit()) && date.as_bytes().get(4) == Some(&b'-'))
        .then_some(year)
}

/// The host a third-party finding sends its signal to: its URL's, or the mailbox domain a
/// receipt request notifies.
fn finding_host(finding: &Finding) -> Option<Cow<'_, str>> {
    if let Some(url) = &finding.url {
        return crate::weburl::host_of(url);
    }
    let target = finding.details.get("notify")?;
    Some(Cow::Borrowed(target.rsplit_once('@')?.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_read_off_a_dates_start_and_nothing_else() {
        assert_eq!(year_of("2024-03-05T10:11:12+01:00"), Some("2024"));
        assert_eq!(year_of("1996-01-03T01:05:34Z"), Some("1996"));
        assert_eq!(year_of("12024-01-01T00:00:00Z"), None);
        assert_eq!(year_of("20é"), None);
        assert_eq!(year_of(""), None);
    }
}
