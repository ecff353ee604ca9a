//! Scoring the detector against hand-labelled real mail (`mailtrace eval --labels FILE DIR`).
//! Labels are JSON lines, one per message (format in docs/evaluation.md): the beacon URLs, the
//! hosts of tracked links, the decoration parameters and the receipt headers a person found.
//! Each is compared with the findings of a normal scan of the same files.

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
    /// Labelled files the scan did not yield.
    pub missing: Vec<String>,
    /// What was missed or extra, per message (first 50).
    pub differences: Vec<String>,
}

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
        let pairs = [
            (norm(&label.pixels, false), found.pixels),
            (norm(&label.tracked_link_hosts, true), found.hosts),
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
                scores
                    .differences
                    .push(format!("{}: missed {} {miss}", label.file, sum.name));
            }
            for extra in reported.difference(&expected) {
                scores
                    .differences
                    .push(format!("{}: extra {} {extra}", label.file, sum.name));
            }
        }
        if labelled_any == message.is_tracked() {
            scores.judged_right += 1;
        }
    }
    for sum in &mut sums {
        sum.recall = ratio(sum.matched, sum.labelled);
        sum.precision = ratio(sum.matched, sum.reported);
    }
    scores.measures = sums.to_vec();
    scores.differences.truncate(50);
    Ok(scores)
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

/// What the detector reported, in the labels' terms.
struct Found {
    pixels: BTreeSet<String>,
    hosts: BTreeSet<String>,
    params: BTreeSet<String>,
    receipts: BTreeSet<String>,
}

impl Found {
    fn of(findings: &[Finding]) -> Found {
        let host = |f: &Finding| {
            f.url
                .as_deref()
                .and_then(|u| url::Url::parse(u).ok())
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
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
        }
    }
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
    for missing in &scores.missing {
        let _ = writeln!(out, "not found: {missing}");
    }
    for difference in &scores.differences {
        let _ = writeln!(out, "{difference}");
    }
    out
}
