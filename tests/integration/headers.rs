//! The header detectors: receipt requests, delivery/disposition reports, platform fingerprints.

use crate::common::*;
use mailtrace::{Confidence, Kind};

#[test]
fn disposition_notification_to_is_a_read_receipt_request_with_its_address() {
    let message = scan_one("headers/read-receipt-dnt.eml");
    let receipts: Vec<_> = message
        .findings
        .iter()
        .filter(|f| f.kind == Kind::ReadReceipt)
        .collect();
    assert_eq!(receipts.len(), 1);
    let finding = receipts[0];
    assert_eq!(finding.technique, "disposition_notification_to");
    assert_eq!(finding.details["notify"], "receipts@vendor.example");
    assert_eq!(finding.third_party, Some(false), "vendor.example sent it");
    assert_eq!(finding.confidence, Confidence::High);
    assert!(finding
        .header
        .as_deref()
        .unwrap()
        .starts_with("Disposition-Notification-To:"));
}

#[test]
fn every_receipt_header_spelling_is_found_whatever_its_case() {
    let message = scan_one("headers/read-receipt-variants.eml");
    let mut techniques: Vec<&str> = message
        .findings
        .iter()
        .filter(|f| f.kind == Kind::ReadReceipt)
        .map(|f| f.technique.as_str())
        .collect();
    techniques.sort();
    assert_eq!(
        techniques,
        [
            "generate_delivery_report",
            "read_receipt_to",
            "return_receipt_requested",
            "return_receipt_to",
            "x_confirm_reading_to"
        ]
    );
    let confirm = message
        .findings
        .iter()
        .find(|f| f.technique == "x_confirm_reading_to")
        .unwrap();
    assert_eq!(confirm.details["notify"], "confirm@vendor.example");
}

#[test]
fn a_delivered_dsn_reports_recipient_action_status_and_original_message() {
    let message = scan_one("headers/dsn-delivery-status.eml");
    let finding = &message
        .findings
        .iter()
        .find(|f| f.kind == Kind::DeliveryReceipt)
        .unwrap();
    assert_eq!(finding.technique, "delivery_status_report");
    assert_eq!(finding.details["final_recipient"], "alice@example.org");
    assert_eq!(finding.details["action"], "delivered");
    assert_eq!(finding.details["status"], "2.0.0");
    assert_eq!(
        finding.details["original_message_id"],
        "<orig-123@shop.example>"
    );
}

#[test]
fn a_failed_dsn_keeps_the_diagnostic() {
    let message = scan_one("headers/dsn-failed.eml");
    let finding = &message
        .findings
        .iter()
        .find(|f| f.kind == Kind::DeliveryReceipt)
        .unwrap();
    assert_eq!(finding.details["action"], "failed");
    assert_eq!(finding.details["status"], "5.1.1");
    assert!(finding.details["diagnostic_code"].contains("user unknown"));
    assert_eq!(
        finding.details["original_message_id"],
        "<orig-456@example.org>"
    );
}

#[test]
fn an_mdn_says_which_message_was_displayed() {
    let message = scan_one("headers/mdn-displayed.eml");
    let finding = &message
        .findings
        .iter()
        .find(|f| f.kind == Kind::DeliveryReceipt)
        .unwrap();
    assert_eq!(finding.technique, "disposition_notification_report");
    assert!(finding.details["disposition"].ends_with("displayed"));
    assert_eq!(
        finding.details["original_message_id"],
        "<campaign-42@sender.example>"
    );
    assert_eq!(finding.details["final_recipient"], "bob@example.org");
}

#[test]
fn platform_headers_name_the_sending_platform_once_per_message() {
    let cases = [
        ("headers/esp-mailgun.eml", "Mailgun"),
        ("headers/esp-sendgrid.eml", "SendGrid"),
        ("headers/esp-ses.eml", "Amazon SES"),
        ("headers/esp-mandrill.eml", "Mandrill"),
        ("headers/esp-postmark.eml", "Postmark"),
        ("headers/esp-sfmc.eml", "Salesforce Marketing Cloud"),
    ];
    for (file, vendor) in cases {
        let message = scan_one(file);
        let platforms: Vec<_> = message
            .findings
            .iter()
            .filter(|f| f.kind == Kind::EspHeader)
            .collect();
        assert!(
            platforms
                .iter()
                .any(|f| f.vendor.as_deref().is_some_and(|v| v.contains(vendor))),
            "{file}: {platforms:?}"
        );
        let mut vendors: Vec<_> = platforms.iter().map(|f| f.vendor.clone()).collect();
        vendors.dedup();
        assert_eq!(
            vendors.len(),
            platforms.len(),
            "{file}: one finding per vendor"
        );
        assert!(platforms
            .iter()
            .all(|f| f.rule.is_some() && !f.is_tracking()));
    }
}

#[test]
fn a_personal_mail_has_no_findings() {
    let message = scan_one("headers/plain-personal.eml");
    assert_eq!(message.findings, []);
}
