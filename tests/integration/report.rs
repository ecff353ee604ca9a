//! The report contract: the JSON Schema in docs/ holds for every output, order is stable, and
//! the totals count what they say they count.

use crate::common::*;
use mailtrace::report::Report;
use mailtrace::Kind;
use serde_json::Value;

fn schema() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A validator for one of the schema's definitions (`message`, `error`), for JSONL lines.
fn validator_for(definition: Option<&str>) -> jsonschema::Validator {
    let mut schema = schema();
    if let Some(name) = definition {
        let defs = schema["$defs"].clone();
        schema = serde_json::json!({ "$defs": defs, "$ref": format!("#/$defs/{name}") });
    }
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "schema violations: {errors:#?}");
}

#[test]
fn an_enclosed_messages_locator_validates_against_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forward.eml");
    std::fs::write(
        &path,
        "From: a@example.net\nSubject: Fwd\nContent-Type: multipart/mixed; boundary=b\n\n\
         --b\nContent-Type: message/rfc822\n\nFrom: b@example.com\nSubject: inner\n\nhi\n--b--\n",
    )
    .unwrap();
    let output = mailtrace(
        &["scan", "--quiet", "--all-messages", path.to_str().unwrap()],
        None,
    );
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid(&validator_for(None), &value);
    assert_eq!(value["messages"][1]["locator"]["part"], "1");
}

#[test]
fn json_output_validates_against_the_published_schema() {
    let output = mailtrace(
        &[
            "scan",
            "--quiet",
            "--all-messages",
            &fixture_arg("demo.mbox"),
            &fixture_arg("formats"),
            &fixture_arg("headers"),
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_valid(&validator_for(None), &value);
    let report: Report = serde_json::from_value(value).unwrap();
    assert!(report.scanned.messages > 80);
    assert!(
        !report.errors.is_empty(),
        "the preamble fixture gives one error entry"
    );
}

#[test]
fn jsonl_lines_validate_and_end_with_the_totals() {
    let output = mailtrace(
        &[
            "scan",
            "--quiet",
            "--format",
            "jsonl",
            &fixture_arg("headers"),
            &fixture_arg("formats/preamble.mbox"),
        ],
        None,
    );
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (message, error) = (validator_for(Some("message")), validator_for(Some("error")));
    let mut messages = 0;
    for line in &lines[..lines.len() - 1] {
        let mut body = line.clone();
        let kind = body.as_object_mut().unwrap().remove("type").unwrap();
        match kind.as_str().unwrap() {
            "message" => {
                assert_valid(&message, &body);
                messages += 1;
            }
            "error" => assert_valid(&error, &body),
            other => panic!("unexpected line type {other}"),
        }
    }
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "report");
    assert_eq!(last["schema"], "mailtrace-report/1");
    // Messages with findings are streamed; the clean personal mail is not.
    assert_eq!(messages, 11);
    assert_eq!(last["scanned"]["messages"], 14);
}

#[test]
fn two_runs_give_the_same_report_apart_from_the_duration() {
    let scan = || {
        let mut report = scan_with(&[fixture("demo.mbox"), fixture("formats")], |o| o.jobs = 2);
        report.scanned.duration_ms = 0;
        serde_json::to_string(&report).unwrap()
    };
    assert_eq!(scan(), scan());
}

#[test]
fn kind_totals_count_messages_not_findings() {
    let report = scan_all(&[fixture("headers")]);
    // read-receipt-variants has five receipt findings but is one message; read-receipt-dnt is another.
    assert_eq!(report.summary.kinds[&Kind::ReadReceipt], 2);
    assert_eq!(report.summary.kinds[&Kind::DeliveryReceipt], 3);
    assert_eq!(
        report.summary.kinds[&Kind::Pixel],
        0,
        "every kind is listed, even at zero"
    );
    assert_eq!(report.summary.tracked_messages, 2);
}

#[test]
fn senders_are_folded_and_listed_worst_first() {
    let report = scan_all(&[fixture("demo.mbox")]);
    let tracked: Vec<u64> = report.senders.iter().map(|s| s.tracked_messages).collect();
    assert!(tracked.windows(2).all(|w| w[0] >= w[1]), "{tracked:?}");
    let total: u64 = report.senders.iter().map(|s| s.messages).sum();
    assert_eq!(total, report.scanned.messages);
    assert_eq!(report.summary.senders as usize, report.senders.len());
    for sender in &report.senders {
        assert!(sender.first_seen <= sender.last_seen || sender.first_seen.is_none());
        assert!(sender.kinds.values().all(|&n| n <= sender.messages));
    }
}

#[test]
fn messages_come_out_in_archive_order() {
    let report = scan_with(&[fixture("demo.mbox")], |o| o.jobs = 2);
    let offsets: Vec<u64> = report
        .messages
        .iter()
        .map(|m| m.locator.offset.unwrap())
        .collect();
    assert!(offsets.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(offsets.len() as u64, report.scanned.messages);
}

#[test]
fn every_reported_technique_is_documented_with_its_kind() {
    let report = scan_all(&[fixture("demo.mbox"), fixture("formats"), fixture("headers")]);
    let mut seen = 0;
    for message in &report.messages {
        for finding in &message.findings {
            let technique = mailtrace::detect::techniques::find(&finding.technique)
                .unwrap_or_else(|| panic!("{} is not in the registry", finding.technique));
            assert_eq!(technique.kind, finding.kind, "{}", finding.technique);
            seen += 1;
        }
    }
    assert!(seen > 100);
}
