//! `mailtrace eval`: the detector against generated ground truth. Every engine technique in
//! every vendor style must be found with the right kind, and the clean controls must stay clean.

use mailtrace::engine::eval;
use mailtrace::rules::RuleSet;

#[test]
fn eval_finds_every_engine_technique_and_nothing_on_clean_controls() {
    let dir = tempfile::tempdir().unwrap();
    let rules = RuleSet::builtin().unwrap();
    let report = eval::run(&rules, dir.path()).expect("evaluation runs");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.rows.len() >= 40, "{} rows", report.rows.len());
    for row in &report.rows {
        assert!(row.inserted > 0, "{}", row.technique);
        assert_eq!(
            row.detected, row.inserted,
            "{} missed: {:?}",
            row.technique, row.misses
        );
        assert_eq!(
            row.false_findings, 0,
            "{}: {:?}",
            row.technique, row.false_examples
        );
        assert_eq!(
            row.vendor_named, row.vendor_expected,
            "{} vendor",
            row.technique
        );
    }
    assert!(report.controls.messages >= 14);
    assert_eq!(
        report.controls.findings, 0,
        "{:?}",
        report.controls.examples
    );
    assert_eq!(report.overall.recall, 1.0);
}

#[test]
fn eval_command_prints_the_matrix_and_json() {
    let output = crate::common::mailtrace(&["eval", "--json"], None);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["schema"], "mailtrace-eval/1");
    assert_eq!(json["overall"]["recall"], 1.0);
    assert_eq!(json["controls"]["findings"], 0);
}

#[test]
fn eval_labels_scores_hand_labelled_mail() {
    use mailtrace::engine::campaign::{self, CampaignOptions, Format, Recipient};
    use mailtrace::engine::style::Style;
    let dir = tempfile::tempdir().unwrap();
    let options = CampaignOptions {
        name: "labelled".into(),
        template: campaign::SAMPLE_TEMPLATE.into(),
        recipients: vec![Recipient {
            address: "ann@example.net".into(),
            name: None,
        }],
        from: "news@shop.example.org".into(),
        subject: None,
        techniques: vec!["tiny_image_attr".into(), "click_redirect".into()],
        style: Style::Sendgrid,
        receipts: vec![mailtrace::engine::technique::Receipt::Dnt],
        dsn: false,
        leak: None,
        decorate: false,
        clean: false,
        format: Format::Eml,
        base_url: "https://url1234.shop.example.org".into(),
        sent_unix: 1_767_225_600,
    };
    let manifest = campaign::generate(&options, dir.path()).unwrap();
    let message = &manifest.messages[0];
    let pixel = message
        .items
        .iter()
        .find(|i| i.technique == "tiny_image_attr")
        .unwrap();
    let label = serde_json::json!({
        "file": message.file,
        "pixels": [pixel.url],
        "tracked_link_hosts": ["url1234.shop.example.org"],
        "decoration_params": [],
        "receipt_headers": ["Disposition-Notification-To"],
        "vendor": "SendGrid (a shop's account)",
        "notes": "the labeller's reading, not scored",
    });
    let labels = dir.path().join("labels.jsonl");
    std::fs::write(&labels, format!("{label}\n")).unwrap();
    let output = crate::common::mailtrace(
        &[
            "eval",
            "--json",
            "--labels",
            labels.to_str().unwrap(),
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["messages"], 1);
    assert_eq!(json["judged_right"], 1);
    assert_eq!(json["vendors_labelled"], 1);
    assert_eq!(json["vendors_named"], 1);
    for measure in json["measures"].as_array().unwrap() {
        assert_eq!(measure["recall"], 1.0, "{measure}");
        assert_eq!(measure["precision"], 1.0, "{measure}");
    }
}
