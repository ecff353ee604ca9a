//! Delivery-status notifications (RFC 3464) and message disposition notifications (RFC 8098)
//! found in the archive: the other side of receipt requests. A DSN says a message reached (or
//! failed to reach) a mailbox; an MDN says a person displayed, deleted or processed it.

use super::clip;
use super::techniques as T;
use crate::finding::{Confidence, Finding, Kind};
use crate::message::MessageView;
use std::collections::BTreeMap;

const MAX_FIELD: usize = 300;

/// Recipients reported per report: a bounce lists the few mailboxes a message failed for, and
/// one of a million recipient blocks must not become a million findings.
const MAX_RECIPIENTS: usize = 100;

pub(super) fn delivery_reports(
    message: &MessageView<'_>,
    findings: &mut Vec<Finding>,
    notes: &mut Vec<String>,
) {
    let parts = message.parts();
    let Some(root_type) = parts.first().and_then(|root| root.content_type()) else {
        return;
    };
    let is_report = root_type.c_type.eq_ignore_ascii_case("multipart")
        && root_type
            .subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"));
    if !is_report {
        return;
    }
    let report_type = root_type
        .attribute("report-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mdn = report_type.contains("disposition-notification");
    if !mdn && !report_type.contains("delivery-status") {
        return;
    }

    let mut status = None;
    let mut original_id = None;
    for (index, part) in parts.iter().enumerate() {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let full =
            format!("{}/{}", ct.c_type, ct.subtype().unwrap_or_default()).to_ascii_lowercase();
        // Only these parts' bodies are decoded; a returned message is read as it stands.
        match full.as_str() {
            "message/delivery-status"
            | "message/global-delivery-status"
            | "message/disposition-notification"
            | "message/global-disposition-notification"
                if status.is_none() =>
            {
                // The per-message group, then the recipients'.
                let groups = field_groups(&message.contents(part), MAX_RECIPIENTS + 1);
                status = Some((index, full, groups));
            }
            "text/rfc822-headers"
            | "message/rfc822"
            | "message/global"
            | "message/global-headers"
                if original_id.is_none() =>
            {
                original_id = header_field(&message.contents(part), "message-id");
            }
            _ => {}
        }
    }

    let Some((index, part_type, (groups, more))) = status else {
        findings.push(report_finding(
            mdn,
            BTreeMap::from([("report_type".to_owned(), report_type.clone())]),
            format!("a {report_type} report without its machine-readable part"),
            "multipart/report".to_owned(),
            Confidence::Medium,
        ));
        return;
    };
    let location = format!("part {index} {part_type}");
    let (per_message, per_recipient) = match groups.split_first() {
        Some((first, rest)) if !mdn => (first.as_slice(), rest),
        _ => (&[][..], groups.as_slice()),
    };
    if more || per_recipient.len() > MAX_RECIPIENTS {
        notes.push(format!(
            "{location}: more than {MAX_RECIPIENTS} recipient blocks; the first \
             {MAX_RECIPIENTS} are reported"
        ));
    }
    for group in per_recipient.iter().take(MAX_RECIPIENTS) {
        let mut details = BTreeMap::from([("report_type".to_owned(), report_type.clone())]);
        for (name, value) in per_message.iter().chain(group.iter()) {
            let key = name.to_ascii_lowercase().replace('-', "_");
            if REPORT_FIELDS.contains(&key.as_str()) {
                details.insert(key, clip(&strip_address_type(value), MAX_FIELD));
            }
        }
        if let Some(id) = &original_id {
            details
                .entry("original_message_id".to_owned())
                .or_insert_with(|| clip(id, MAX_FIELD));
        }
        let recipient = details
            .get("final_recipient")
            .or(details.get("original_recipient"))
            .cloned()
            .unwrap_or_else(|| "an unnamed recipient".to_owned());
        let evidence = if mdn {
            let disposition = details.get("disposition").map_or("?", String::as_str);
            let of = details
                .get("original_message_id")
                .map(|id| format!(" of {id}"))
                .unwrap_or_default();
            format!("disposition notification: {recipient} reports \"{disposition}\"{of}")
        } else {
            let action = details.get("action").map_or("?", String::as_str);
            let code = details.get("status").map_or("?", String::as_str);
            format!("delivery status notification: {recipient} {action} (status {code})")
        };
        findings.push(report_finding(
            mdn,
            details,
            evidence,
            location.clone(),
            Confidence::High,
        ));
    }
}

/// The report fields copied into a finding's details (names lower-cased, `-` as `_`).
const REPORT_FIELDS: &[&str] = &[
    "reporting_mta",
    "reporting_ua",
    "arrival_date",
    "original_envelope_id",
    "original_recipient",
    "final_recipient",
    "action",
    "status",
    "diagnostic_code",
    "remote_mta",
    "last_attempt_date",
    "original_message_id",
    "disposition",
];

fn report_finding(
    mdn: bool,
    details: BTreeMap<String, String>,
    evidence: String,
    location: String,
    confidence: Confidence,
) -> Finding {
    let technique = if mdn {
        T::DISPOSITION_NOTIFICATION_REPORT.id
    } else {
        T::DELIVERY_STATUS_REPORT.id
    };
    Finding {
        kind: Kind::DeliveryReceipt,
        technique: technique.to_owned(),
        vendor: None,
        rule: None,
        url: None,
        header: None,
        third_party: None,
        confidence,
        evidence,
        location,
        details,
    }
}

/// `rfc822; alice@example.org` → `alice@example.org`.
fn strip_address_type(value: &str) -> String {
    match value.split_once(';') {
        Some((kind, rest)) if kind.trim().eq_ignore_ascii_case("rfc822") => rest.trim().to_owned(),
        _ => value.trim().to_owned(),
    }
}

/// Field groups (blank-line separated `Name: value` fields, unfolded) and whether more
/// follow the first `max`.
type Groups = (Vec<Vec<(String, String)>>, bool);

/// A report body's first `max` groups of fields, and whether another follows.
fn field_groups(body: &[u8], max: usize) -> Groups {
    let text = String::from_utf8_lossy(body);
    let mut groups = Vec::new();
    let mut group: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !group.is_empty() {
                groups.push(std::mem::take(&mut group));
            }
        } else if groups.len() == max {
            return (groups, true);
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = group.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            group.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    if !group.is_empty() {
        groups.push(group);
    }
    (groups, false)
}

/// The value of one header in a block of raw headers (the returned original message).
fn header_field(block: &[u8], name: &str) -> Option<String> {
    field_groups(block, 1)
        .0
        .into_iter()
        .next()?
        .into_iter()
        .find(|(field, _)| field.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}
