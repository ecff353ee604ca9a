//! Scoring the detector against hand-labelled real mail (`mailtrace eval --labels FILE DIR`).
//! Labels are JSON lines, one per message (format in docs/evaluation.md): the beacon URLs, the
//! hosts of tracked links, the decoration parameters and the receipt headers a person found,
//! and optionally the vendor behind the tracking. Each is compared with the findings of a normal
//! scan of the same files.

use super::{EngineError, Result};
use crate::finding::{Finding, Kind};
use crate::report::MessageReport;
use crate::rules::RuleSet;
use crate::scan::{scan, Quiet, ScanOptions};
use crate::source::Input;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// One labelled message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The message file, relative to DIR.
    pub file: String,
    #[serde(default)]
    pub pixels: Vec<String>,
    #[serde(default)]
    pub tracked_link_hosts: Vec<String>,
    #[serde(default)]
    pub decoration_params: Vec<String>,
    #[serde(default)]
    pub receipt_headers: Vec<String>,
    /// Who runs the tracking; its first word is the vendor's usual name (`SendGrid`, `Amazon
    /// SES`), and remarks may follow (`SendGrid (via Yotpo)`). Null when no vendor is behind it.
    #[serde(default)]
    pub vendor: Option<String>,
    /// The labeller's reading aids, kept so that a label file can carry them; not scored.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Measure {
    pub name: String,
    /// Labelled items.
    pub labelled: u64,
    /// Items the detector reported.
    pub reported: u64,
    /// Labelled items the detector reported.
    pub matched: u64,
    pub recall: f64,
    pub precision: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LabelScores {
    pub messages: u64,
    pub measures: Vec<Measure>,
    /// Messages whose tracked/untracked verdict agrees with the labels.
    pub judged_right: u64,
    /// Messages labelled with a vendor, and how many of them have a finding naming it.
    pub vendors_labelled: u64,
    pub vendors_named: u64,
    /// Labelled files the scan did not yield.
    pub missing: Vec<String>,
    /// What differs, per message: verdicts first, then vendors, then missed or extra items
    /// (the first 50 in all).
    pub differences: Vec<String>,
    /// Differences left out of `differences`.
    pub more_differences: u64,
}

/// How many differences are listed: enough to see the pattern, few enough to read.
const MAX_DIFFERENCES: usize = 50;

pub fn read_labels(path: &Path) -> Result<Vec<Label>> {
    let text = std::fs::read_to_string(path).map_err(|e| EngineError::io(path, e))?;
    let mut labels = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        labels.push(serde_json::from_str(line).map_err(|e| {
            EngineError::Invalid(format!("{} line {}: {e}", path.display(), n + 1))
        })?);
    }
    Ok(labels)
}

pub fn score(rules: &RuleSet, labels_path: &Path, dir: &Path) -> Result<LabelScores> {
    let labels = read_labels(labels_path)?;
    let inputs = labels
        .iter()
        .map(|l| Input::Path(dir.join(&l.file)))
        .filter(|input| matches!(input, Input::Path(p) if p.is_file()))
        .collect();
    let options = ScanOptions {
        inputs,
        keep_messages: true,
        keep_clean_messages: true,
        ..ScanOptions::default()
    };
    let report = scan(&options, rules, &mut Quiet).map_err(|e| EngineError::Scan(e.to_string()))?;
    let by_path: BTreeMap<&str, &MessageReport> = report
        .messages
        .iter()
        .map(|m| (m.locator.path.as_str(), m))
        .collect();
    let mut scores = LabelScores::default();
    // Kept apart so that the verdicts and vendors, fewest and weightiest, are listed first.
    let mut verdicts = Vec::new();
    let mut vendors = Vec::new();
    let mut items = Vec::new();
    let mut sums: [Measure; 4] = [
        measure("pixels"),
        measure("tracked link hosts"),
        measure("decoration parameters"),
        measure("receipt headers"),
    ];
    for label in &labels {
        let path = crate::locator::Locator::file(&dir.join(&label.file)).path;
        let Some(message) = by_path.get(path.as_str()) else {
            scores.missing.push(label.file.clone());
            continue;
        };
        scores.messages += 1;
        let found = Found::of(&message.findings);
        if let Some(vendor) = label.vendor.as_deref().filter(|v| !v.trim().is_empty()) {
            scores.vendors_labelled += 1;
            if found.names_vendor(vendor) {
                scores.vendors_named += 1;
            } else {
                let reported: Vec<&str> = found.vendors.iter().map(String::as_str).collect();
                vendors.push(format!(
                    "{}: vendor {vendor} not named (named: {})",
                    label.file,
                    if reported.is_empty() {
                        "none".to_owned()
                    } else {
                        reported.join(", ")
                    }
                ));
            }
        }
        let pairs = [
            (norm(&label.pixels, false), found.pixels),
            (hosts(&label.tracked_link_hosts), found.hosts),
            (norm(&label.decoration_params, true), found.params),
            (norm(&label.receipt_headers, true), found.receipts),
        ];
        let mut labelled_any = false;
        for (sum, (expected, reported)) in sums.iter_mut().zip(pairs) {
            labelled_any |= !expected.is_empty();
            sum.labelled += expected.len() as u64;
            sum.reported += reported.len() as u64;
            sum.matched += expected.intersection(&reported).count() as u64;
            for miss in expected.difference(&reported) {
                items.push(format!("{}: missed {} {miss}", label.file, sum.name));
            }
            for extra in reported.difference(&expected) {
                items.push(format!("{}: extra {} {extra}", label.file, sum.name));
            }
        }
        let tracked = message.is_tracked();
        if labelled_any == tracked {
            scores.judged_right += 1;
        } else {
            let (labelled, reported) = if tracked {
                ("untracked", "tracked")
            } else {
                ("tracked", "untracked")
            };
            verdicts.push(format!(
                "{}: labelled {labelled}, reported {reported}",
                label.file
            ));
        }
    }
    for sum in &mut sums {
        sum.recall = ratio(sum.matched, sum.labelled);
        sum.precision = ratio(sum.matched, sum.reported);
    }
    scores.measures = sums.to_vec();
    (scores.differences, scores.more_differences) = listed(verdicts, vendors, items);
    Ok(scores)
}

/// The differences to list, weightiest first, and how many are left out.
fn listed(verdicts: Vec<String>, vendors: Vec<String>, items: Vec<String>) -> (Vec<String>, u64) {
    let mut all = [verdicts, vendors, items].concat();
    let left_out = all.len().saturating_sub(MAX_DIFFERENCES);
    all.truncate(MAX_DIFFERENCES);
    (all, left_out as u64)
}

fn measure(name: &str) -> Measure {
    Measure {
        name: name.to_owned(),
        ..Measure::default()
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn norm(items: &[String], lower: bool) -> BTreeSet<String> {
    items
        .iter()
        .map(|s| {
            let s = s.trim();
            if lower {
                s.to_ascii_lowercase()
            } else {
                s.to_owned()
            }
        })
        .collect()
}

/// Labelled hosts as a browser reads them, as the findings' URLs are: `0x40785ee0` is
/// `64.120.94.224`, `XN--…` is lower case.
fn hosts(items: &[String]) -> BTreeSet<String> {
    norm(items, true)
        .into_iter()
        .map(|host| {
            crate::weburl::host_of(&format!("http://{host}/"))
                .map(|read| read.into_owned())
                .unwrap_or(host)
        })
        .collect()
}

/// What the detector reported, in the labels' terms.
struct Found {
    pixels: BTreeSet<String>,
    hosts: BTreeSet<String>,
    params: BTreeSet<String>,
    receipts: BTreeSet<String>,
    /// The vendors the findings name, platform headers included: the report tells a reader
    /// who is behind a message through either.
    vendors: BTreeSet<String>,
}

impl Found {
    fn of(findings: &[Finding]) -> Found {
        let host = |f: &Finding| {
            f.url
                .as_deref()
                .and_then(crate::weburl::host_of)
                .map(|h| h.to_ascii_lowercase())
        };
        Found {
            pixels: findings
                .iter()
                .filter(|f| f.kind == Kind::Pixel)
                .filter_map(|f| f.url.clone())
                .collect(),
            hosts: findings
                .iter()
                .filter(|f| f.kind == Kind::ClickTracking)
                .filter_map(host)
                .collect(),
            params: findings
                .iter()
                .filter(|f| f.kind == Kind::LinkDecoration)
                .filter_map(|f| f.details.get("params"))
                .flat_map(|p| p.split(','))
                .map(|p| p.trim().to_ascii_lowercase())
                .collect(),
            receipts: findings
                .iter()
                .filter(|f| f.kind == Kind::ReadReceipt)
                .filter_map(|f| f.header.as_deref())
                .filter_map(|h| h.split(':').next())
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
            vendors: findings.iter().filter_map(|f| f.vendor.clone()).collect(),
        }
    }

    /// Whether a labelled vendor is among those named: the label's first word (`SendGrid` of
    /// `SendGrid (via Yotpo)`) must appear, as whole words in any letter case, in a vendor's
    /// name (`Twilio SendGrid`). Names differ in their extras, rarely in that word.
    fn names_vendor(&self, label: &str) -> bool {
        let first = label.split_whitespace().next().unwrap_or("");
        let first = first.split('(').next().unwrap_or("");
        let wanted = words(first);
        !wanted.is_empty()
            && self
                .vendors
                .iter()
                .any(|name| words(name).windows(wanted.len()).any(|w| w == wanted))
    }
}

/// A name's words, lower-cased: `Customer.io` gives `customer`, `io`.
fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

pub fn table(scores: &LabelScores) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "mailtrace eval --labels: {} labelled messages",
        scores.messages
    );
    let _ = writeln!(
        out,
        "{:<24} {:>9} {:>9} {:>8} {:>7} {:>9}",
        "measure", "labelled", "reported", "matched", "recall", "precision"
    );
    for m in &scores.measures {
        let _ = writeln!(
            out,
            "{:<24} {:>9} {:>9} {:>8} {:>7.3} {:>9.3}",
            m.name, m.labelled, m.reported, m.matched, m.recall, m.precision
        );
    }
    let _ = writeln!(
        out,
        "messages judged right (tracked or not): {} of {}",
        scores.judged_right, scores.messages
    );
    if scores.vendors_labelled > 0 {
        let _ = writeln!(
            out,
            "labelled vendors named: {} of {}",
            scores.vendors_named, scores.vendors_labelled
        );
    }
    for missing in &scores.missing {
        let _ = writeln!(out, "not found: {missing}");
    }
    for difference in &scores.differences {
        let _ = writeln!(out, "{difference}");
    }
    if scores.more_differences > 0 {
        let _ = writeln!(out, "… and {} more differences", scores.more_differences);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found_naming(vendors: &[&str]) -> Found {
        Found {
            pixels: BTreeSet::new(),
            hosts: BTreeSet::new(),
            params: BTreeSet::new(),
            receipts: BTreeSet::new(),
            vendors: vendors.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn wrong_verdicts_are_listed_before_item_differences_and_the_rest_is_counted() {
        let items: Vec<String> = (0..60).map(|i| format!("m{i}.eml: extra x")).collect();
        let verdict = "m9.eml: labelled untracked, reported tracked".to_owned();
        let vendor = "m3.eml: vendor X not named (named: none)".to_owned();
        let (listed, left_out) = listed(vec![verdict.clone()], vec![vendor.clone()], items);
        assert_eq!(listed.len(), MAX_DIFFERENCES);
        assert_eq!(listed[..2], [verdict, vendor]);
        assert_eq!(left_out, 12);
    }

    #[test]
    fn a_labelled_vendor_is_named_by_its_first_word_in_any_case() {
        let found = found_naming(&["Twilio SendGrid", "Customer.io"]);
        assert!(found.names_vendor("SendGrid (via Yotpo, stale links)"));
        assert!(found.names_vendor("sendgrid"));
        assert!(found.names_vendor("Customer.io"));
        // A brand that runs its mail through an ESP is not that ESP, and a word's prefix is
        // not the word.
        assert!(!found.names_vendor("Eventbrite (SparkPost)"));
        assert!(!found.names_vendor("Send"));
        assert!(!found.names_vendor("  "));
    }

    #[test]
    fn labelled_hosts_are_compared_as_a_browser_reads_them() {
        let labelled = hosts(&[" 0x40785ee0".into(), "Links.Shop.Example".into()]);
        let expected: BTreeSet<String> = ["64.120.94.224", "links.shop.example"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(labelled, expected);
    }

    #[test]
    fn a_label_file_may_carry_the_labellers_notes_but_not_misspelt_lists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.jsonl");
        std::fs::write(
            &path,
            "# a comment\n{\"file\": \"a.eml\", \"from\": \"Shop <news@shop.example>\", \
             \"pixels\": [], \"vendor\": null, \"notes\": \"untracked\"}\n",
        )
        .unwrap();
        let labels = read_labels(&path).unwrap();
        assert_eq!(labels.len(), 1);
        assert_eq!(labels[0].notes.as_deref(), Some("untracked"));
        std::fs::write(
            &path,
            "{\"file\": \"a.eml\", \"pixel\": [\"https://t.example/o\"]}\n",
        )
        .unwrap();
        let error = read_labels(&path).unwrap_err().to_string();
        assert!(
            error.contains("line 1") && error.contains("pixel"),
            "{error}"
        );
    }
}
