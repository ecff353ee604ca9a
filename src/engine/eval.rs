//! The evaluation: generate a campaign for every technique in every vendor style, plus clean
//! controls, scan them all with the detector (the library's `scan`, exactly as users run it) and
//! score the findings against the manifests. The matrix it prints is the project's answer to
//! "how good is the detector?" on ground truth we control.

use super::campaign::{self, CampaignOptions, Format, Recipient};
use super::manifest::{Item, Manifest};
use super::style::Style;
use super::technique::{self, Receipt, CLICK_REDIRECT, HYPERLINK_PING};
use super::{EngineError, Result};
use crate::finding::{Finding, Kind};
use crate::report::MessageReport;
use crate::rules::RuleSet;
use crate::scan::{scan, Quiet, ScanOptions};
use crate::source::Input;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A fixed send time, so generated messages differ only by their tokens.
const SENT: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
pub const BASE_URL: &str = "http://127.0.0.1:8025";

/// One row of the matrix: an engine technique, over every style.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Row {
    pub technique: String,
    /// The detector's technique id for this shape.
    pub detector_technique: String,
    pub inserted: u64,
    /// Items found with an accepted kind (and, for remote loads, as tracking).
    pub detected: u64,
    /// Items for which a vendor name was expected…
    pub vendor_expected: u64,
    /// …and named.
    pub vendor_named: u64,
    /// Findings that match an inserted item.
    pub true_findings: u64,
    /// Tracking findings in these messages that match no inserted item.
    pub false_findings: u64,
    pub recall: f64,
    pub precision: f64,
    /// Items not detected: style and URL (or header), for the lead to look at.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub misses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub false_examples: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Controls {
    pub messages: u64,
    /// Any finding at all on a clean control is a false finding.
    pub findings: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvalReport {
    pub schema: String,
    pub styles: Vec<String>,
    pub messages: u64,
    pub rows: Vec<Row>,
    pub controls: Controls,
    pub overall: Row,
    /// Messages the scanner could not read (should be none).
    pub errors: Vec<String>,
}

/// The campaigns the evaluation generates: (row name, options tweak).
fn plans() -> Vec<(String, Plan)> {
    let mut plans: Vec<(String, Plan)> = technique::BEACONS
        .iter()
        .map(|b| {
            (
                b.id.to_owned(),
                Plan {
                    techniques: vec![b.id.to_owned()],
                    ..Plan::default()
                },
            )
        })
        .collect();
    plans.push((
        CLICK_REDIRECT.to_owned(),
        Plan {
            techniques: vec![CLICK_REDIRECT.to_owned()],
            ..Plan::default()
        },
    ));
    plans.push((
        HYPERLINK_PING.to_owned(),
        Plan {
            techniques: vec![HYPERLINK_PING.to_owned()],
            ..Plan::default()
        },
    ));
    plans.push((
        "decoration".to_owned(),
        Plan {
            decorate: true,
            ..Plan::default()
        },
    ));
    for encoding in technique::LEAK_ENCODINGS {
        plans.push((
            format!("leak_{encoding}"),
            Plan {
                techniques: vec![CLICK_REDIRECT.to_owned()],
                leak: Some((*encoding).to_owned()),
                ..Plan::default()
            },
        ));
    }
    for receipt in Receipt::ALL {
        plans.push((
            format!("receipt_{}", receipt.id()),
            Plan {
                receipts: vec![receipt],
                ..Plan::default()
            },
        ));
    }
    plans
}

#[derive(Debug, Clone, Default)]
struct Plan {
    techniques: Vec<String>,
    leak: Option<String>,
    decorate: bool,
    receipts: Vec<Receipt>,
    clean: bool,
}

/// Generates every campaign under `workdir`, scans them and scores the detector.
pub fn run(rules: &RuleSet, workdir: &Path) -> Result<EvalReport> {
    // The second address encodes to base64 with a `+` (base64url `-`), so those two encodings
    // are told apart.
    let recipients = vec![
        Recipient {
            address: "reader1@example.net".to_owned(),
            name: Some("Reader One".to_owned()),
        },
        Recipient {
            address: "r.two~x@example.net".to_owned(),
            name: Some("Reader Two".to_owned()),
        },
    ];
    let mut campaigns: Vec<(String, bool, Manifest, PathBuf)> = Vec::new();
    let mut all_plans = plans();
    all_plans.push((
        "clean".to_owned(),
        Plan {
            techniques: technique::all_ids().iter().map(|s| s.to_string()).collect(),
            leak: Some("plain".to_owned()),
            decorate: true,
            receipts: Receipt::ALL.to_vec(),
            clean: true,
        },
    ));
    for style in Style::ALL {
        for (row, plan) in &all_plans {
            let dir = workdir.join(style.id()).join(row);
            let options = CampaignOptions {
                name: format!("eval {row} {}", style.id()),
                template: campaign::SAMPLE_TEMPLATE.to_owned(),
                recipients: recipients.clone(),
                from: "news@shop.example.org".to_owned(),
                subject: None,
                techniques: plan.techniques.clone(),
                style,
                receipts: plan.receipts.clone(),
                dsn: !plan.clean,
                leak: plan.leak.clone(),
                decorate: plan.decorate,
                clean: plan.clean,
                format: Format::Eml,
                base_url: BASE_URL.to_owned(),
                sent_unix: SENT,
            };
            let manifest = campaign::generate(&options, &dir)?;
            campaigns.push((row.clone(), plan.clean, manifest, dir));
        }
    }

    let inputs: Vec<Input> = campaigns
        .iter()
        .flat_map(|(_, _, manifest, dir)| {
            manifest
                .messages
                .iter()
                .map(move |m| Input::Path(dir.join(&m.file)))
        })
        .collect();
    let options = ScanOptions {
        inputs,
        keep_messages: true,
        keep_clean_messages: true,
        ..ScanOptions::default()
    };
    let report = scan(&options, rules, &mut Quiet).map_err(|e| EngineError::Scan(e.to_string()))?;
    let by_id: BTreeMap<String, &MessageReport> = report
        .messages
        .iter()
        .filter_map(|m| m.message_id.as_ref().map(|id| (bare_id(id), m)))
        .collect();

    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let order: Vec<String> = plans().into_iter().map(|(row, _)| row).collect();
    let mut controls = Controls::default();
    let mut errors: Vec<String> = report
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.locator, e.error))
        .collect();
    for (row_name, clean, manifest, _) in &campaigns {
        for message in &manifest.messages {
            let Some(scanned) = by_id.get(&message.message_id) else {
                errors.push(format!("{} not in the scan", message.file));
                continue;
            };
            if *clean {
                controls.messages += 1;
                controls.findings += scanned.findings.len() as u64;
                for f in scanned.findings.iter().take(3) {
                    controls.examples.push(format!(
                        "{} {}: {} {}",
                        manifest.campaign.style,
                        message.file,
                        f.technique,
                        f.url.as_deref().or(f.header.as_deref()).unwrap_or_default()
                    ));
                }
                continue;
            }
            score(
                &mut rows,
                row_name,
                &manifest.campaign.style,
                &message.items,
                &scanned.findings,
            );
        }
    }
    let mut ordered: Vec<Row> = order.iter().filter_map(|name| rows.remove(name)).collect();
    ordered.extend(rows.into_values());
    let mut overall = Row {
        technique: "overall".to_owned(),
        ..Row::default()
    };
    for row in &mut ordered {
        finish(row);
        overall.inserted += row.inserted;
        overall.detected += row.detected;
        overall.vendor_expected += row.vendor_expected;
        overall.vendor_named += row.vendor_named;
        overall.true_findings += row.true_findings;
        overall.false_findings += row.false_findings;
    }
    overall.false_findings += controls.findings;
    finish(&mut overall);
    controls.examples.truncate(10);
    Ok(EvalReport {
        schema: "mailtrace-eval/1".to_owned(),
        styles: Style::ALL.iter().map(|s| s.id().to_owned()).collect(),
        messages: report.messages.len() as u64,
        rows: ordered,
        controls,
        overall,
        errors,
    })
}

fn finish(row: &mut Row) {
    row.recall = ratio(row.detected, row.inserted);
    row.precision = ratio(row.true_findings, row.true_findings + row.false_findings);
    row.misses.truncate(5);
    row.false_examples.truncate(5);
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn bare_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned()
}

/// Scores one message: each item against the findings, each tracking finding against the items.
fn score(
    rows: &mut BTreeMap<String, Row>,
    row_name: &str,
    style: &str,
    items: &[Item],
    findings: &[Finding],
) {
    let mut matched = vec![false; findings.len()];
    for item in items {
        let row = rows.entry(item.technique.clone()).or_insert_with(|| Row {
            technique: item.technique.clone(),
            detector_technique: item.detector_technique.clone(),
            ..Row::default()
        });
        row.inserted += 1;
        let hits: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| counts_as(item, f))
            .map(|(i, _)| i)
            .collect();
        if hits.is_empty() {
            row.misses.push(format!(
                "{style}: {}",
                item.url
                    .as_deref()
                    .or(item.header.as_deref())
                    .or(item.encoding.as_deref())
                    .unwrap_or_default()
            ));
            continue;
        }
        row.detected += 1;
        if let Some(vendor) = &item.expected_vendor {
            row.vendor_expected += 1;
            if hits
                .iter()
                .any(|&i| findings[i].vendor.as_deref() == Some(vendor.as_str()))
            {
                row.vendor_named += 1;
            }
        }
        for i in hits {
            if !matched[i] {
                matched[i] = true;
                row.true_findings += 1;
            }
        }
    }
    let row = rows.entry(row_name.to_owned()).or_insert_with(|| Row {
        technique: row_name.to_owned(),
        ..Row::default()
    });
    for (finding, _) in findings
        .iter()
        .zip(&matched)
        .filter(|(f, m)| !**m && f.is_tracking())
    {
        row.false_findings += 1;
        row.false_examples.push(format!(
            "{style}: {} {} {}",
            finding.kind,
            finding.technique,
            finding
                .url
                .as_deref()
                .or(finding.header.as_deref())
                .unwrap_or_default()
        ));
    }
}

/// Whether `finding` is a correct detection of `item`.
fn counts_as(item: &Item, finding: &Finding) -> bool {
    if !item.accepted_kinds.contains(&finding.kind) || !finding.is_tracking() {
        return false;
    }
    let host = |f: &Finding| {
        f.url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
    };
    match item.expected_kind {
        Kind::ReadReceipt => finding.technique == item.detector_technique,
        Kind::AddressLeak => {
            let found = finding.details.get("encoding").map(String::as_str);
            let expected = item.encoding.as_deref();
            // base64 and base64url differ only in two characters: when the value has neither,
            // it is both, and the detector may name either.
            let same_text = item
                .params
                .iter()
                .all(|v| !v.contains(['+', '/', '-', '_']));
            found == expected
                || (same_text
                    && matches!(
                        (found, expected),
                        (Some("base64"), Some("base64url")) | (Some("base64url"), Some("base64"))
                    ))
        }
        Kind::LinkDecoration => finding.details.get("params").is_some_and(|found| {
            let found: Vec<&str> = found.split(',').collect();
            item.params.iter().all(|p| found.contains(&p.as_str()))
        }),
        Kind::ClickTracking => {
            // Links are reported once per host and technique, with a count.
            let ping = item.technique == HYPERLINK_PING;
            host(finding) == item.host && (finding.technique == "hyperlink_ping") == ping
        }
        _ => finding.url == item.url,
    }
}

/// The matrix as a table for people.
pub fn table(report: &EvalReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "mailtrace eval: {} messages, styles {}",
        report.messages,
        report.styles.join(", ")
    );
    let _ = writeln!(
        out,
        "{:<24} {:<28} {:>8} {:>8} {:>8} {:>6} {:>7} {:>9}",
        "technique",
        "detector id",
        "inserted",
        "detected",
        "vendor",
        "false",
        "recall",
        "precision"
    );
    let line = |out: &mut String, row: &Row| {
        let vendor = if row.vendor_expected == 0 {
            "-".to_owned()
        } else {
            format!("{}/{}", row.vendor_named, row.vendor_expected)
        };
        let _ = writeln!(
            out,
            "{:<24} {:<28} {:>8} {:>8} {:>8} {:>6} {:>7.3} {:>9.3}",
            row.technique,
            row.detector_technique,
            row.inserted,
            row.detected,
            vendor,
            row.false_findings,
            row.recall,
            row.precision
        );
    };
    for row in &report.rows {
        line(&mut out, row);
    }
    line(&mut out, &report.overall);
    let _ = writeln!(
        out,
        "clean controls: {} messages, {} findings",
        report.controls.messages, report.controls.findings
    );
    for row in &report.rows {
        for miss in &row.misses {
            let _ = writeln!(out, "miss   {}: {miss}", row.technique);
        }
        for extra in &row.false_examples {
            let _ = writeln!(out, "false  {}: {extra}", row.technique);
        }
    }
    for example in &report.controls.examples {
        let _ = writeln!(out, "control finding: {example}");
    }
    for error in &report.errors {
        let _ = writeln!(out, "error: {error}");
    }
    out
}

/// A fresh folder under the system's temporary directory.
pub fn temp_dir() -> Result<PathBuf> {
    let suffix = super::token::hex(&super::token::random_bytes::<8>()?);
    let dir = std::env::temp_dir().join(format!("mailtrace-eval-{suffix}"));
    std::fs::create_dir_all(&dir).map_err(|e| EngineError::io(&dir, e))?;
    Ok(dir)
}
