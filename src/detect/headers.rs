//! Header detectors: receipt requests (`read_receipt`) and platform fingerprints (`esp_header`).

use super::clip;
use super::techniques as T;
use crate::finding::{Confidence, Finding, Kind};
use crate::message::{Mailbox, MessageView};
use crate::party::same_party;
use crate::rules::RuleSet;
use std::collections::{BTreeMap, BTreeSet};

/// Headers that ask the reader's mail program to report back, with their technique ids.
///
/// `Disposition-Notification-To` (RFC 8098) asks for a message disposition notification when the
/// message is displayed; `Return-Receipt-To`, `X-Confirm-Reading-To`, `Read-Receipt-To` and
/// `X-PMRQC` are older, client-specific spellings of the same request; `Return-Receipt-Requested`
/// and `Generate-Delivery-Report` (X.400 gateways) ask for a report without naming an address.
/// Any of them tells the sender when (and often that) the message was read if the client obeys.
const RECEIPT_HEADERS: &[(&str, &str)] = &[
    (
        "disposition-notification-to",
        T::DISPOSITION_NOTIFICATION_TO.id,
    ),
    ("return-receipt-to", T::RETURN_RECEIPT_TO.id),
    ("x-confirm-reading-to", T::X_CONFIRM_READING_TO.id),
    ("read-receipt-to", T::READ_RECEIPT_TO.id),
    ("x-pmrqc", T::X_PMRQC.id),
    ("return-receipt-requested", T::RETURN_RECEIPT_REQUESTED.id),
    ("generate-delivery-report", T::GENERATE_DELIVERY_REPORT.id),
];

/// Longest header text copied into a finding.
const MAX_HEADER_TEXT: usize = 1000;

pub(super) fn receipt_requests(message: &MessageView<'_>, findings: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    let receipt_technique = |name: &str| {
        RECEIPT_HEADERS
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|&(_, technique)| technique)
    };
    // Only the receipt headers' values are read (and unfolded): most headers are never copied.
    for header in message.headers_named(|name| receipt_technique(name).is_some()) {
        let Some(technique) = receipt_technique(header.name) else {
            continue;
        };
        if !seen.insert(technique) {
            continue;
        }
        let target = Mailbox::find_in(&header.value);
        let third_party = match (&target, message.sender()) {
            (Some(target), Some(sender)) => Some(!same_party(&target.domain, &sender.domain)),
            _ => None,
        };
        let mut details = BTreeMap::new();
        let evidence = match &target {
            Some(target) => {
                details.insert("notify".to_owned(), target.address.clone());
                [
                    header.name,
                    " asks the mail program to send a receipt to ",
                    &target.address,
                    " when the message is read",
                ]
                .concat()
            }
            None => [
                header.name,
                " asks the mail program to report that the message was received or read",
            ]
            .concat(),
        };
        findings.push(Finding {
            kind: Kind::ReadReceipt,
            technique: technique.to_owned(),
            vendor: None,
            rule: None,
            url: None,
            header: Some(clip(&header.line(), MAX_HEADER_TEXT)),
            third_party,
            confidence: Confidence::High,
            evidence,
            location: ["header ", header.name].concat(),
            details,
        });
    }
}

/// One finding per platform: its rules often match several headers of the same message
/// (a Message-ID shape, a tracking id header, a Feedback-ID), which is one fact, not several.
pub(super) fn platform_headers(
    message: &MessageView<'_>,
    rules: &RuleSet,
    findings: &mut Vec<Finding>,
) {
    let mut by_vendor: Vec<(String, Finding, Vec<String>)> = Vec::new();
    for header in message.headers_named(|name| rules.has_header_rule(name)) {
        for rule in rules.match_header(header.name, &header.value) {
            match by_vendor
                .iter_mut()
                .find(|(vendor, _, _)| *vendor == rule.vendor)
            {
                Some((_, _, names)) => {
                    if !names.iter().any(|n| n.eq_ignore_ascii_case(header.name)) {
                        names.push(header.name.to_owned());
                    }
                }
                None => by_vendor.push((
                    rule.vendor.clone(),
                    Finding {
                        kind: Kind::EspHeader,
                        technique: T::PLATFORM_HEADER.id.to_owned(),
                        vendor: Some(rule.vendor.clone()),
                        rule: Some(rule.id.clone()),
                        url: None,
                        header: Some(clip(&header.line(), MAX_HEADER_TEXT)),
                        third_party: None,
                        confidence: Confidence::High,
                        evidence: String::new(),
                        location: ["header ", header.name].concat(),
                        details: BTreeMap::new(),
                    },
                    vec![header.name.to_owned()],
                )),
            }
        }
    }
    for (vendor, mut finding, names) in by_vendor {
        let (noun, verb) = if names.len() == 1 {
            ("header", "shows")
        } else {
            ("headers", "show")
        };
        let names = names.join(", ");
        finding.evidence = [
            "the ",
            &names,
            " ",
            noun,
            " ",
            verb,
            " the message was sent through ",
            &vendor,
        ]
        .concat();
        finding.details.insert("headers".to_owned(), names);
        findings.push(finding);
    }
}
