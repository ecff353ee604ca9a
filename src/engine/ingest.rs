//! Read receipts coming back: the disposition notifications (RFC 8098 MDNs) in a mailbox are
//! found by the detector itself (its `disposition_notification_report` findings carry the
//! original message id and the disposition), matched to the recipient the message was sent to,
//! and recorded as `receipt` events.

use super::store::{now_ms, NewEvent, Store};
use super::{EngineError, Result};
use crate::finding::Kind;
use crate::rules::RuleSet;
use crate::scan::{scan, Quiet, ScanOptions};
use crate::source::Input;
use std::path::Path;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestOutcome {
    pub recorded: u64,
    /// Reports about messages this store did not send.
    pub unknown: u64,
}

pub fn ingest_mdns(store: &Store, mailbox: &Path, rules: &RuleSet) -> Result<IngestOutcome> {
    let options = ScanOptions {
        inputs: vec![Input::Path(mailbox.to_owned())],
        keep_messages: true,
        ..ScanOptions::default()
    };
    let report = scan(&options, rules, &mut Quiet).map_err(|e| EngineError::Scan(e.to_string()))?;
    let mut outcome = IngestOutcome::default();
    for message in &report.messages {
        for finding in message.findings.iter().filter(|f| {
            f.kind == Kind::DeliveryReceipt && f.technique == "disposition_notification_report"
        }) {
            let owner = match finding.details.get("original_message_id") {
                Some(id) => store.owner_of_message(id)?,
                None => None,
            };
            let Some(owner) = owner else {
                outcome.unknown += 1;
                continue;
            };
            let disposition = finding
                .details
                .get("disposition")
                .map(|d| d.rsplit(';').next().unwrap_or(d).trim().to_owned())
                .unwrap_or_else(|| "unknown".to_owned());
            let new = NewEvent {
                time_ms: now_ms(),
                token: owner.token.clone(),
                kind: "receipt".into(),
                item: "mdn".into(),
                technique: format!("mdn:{disposition}"),
                user_agent: finding
                    .details
                    .get("reporting_ua")
                    .cloned()
                    .unwrap_or_default(),
                class: "human".into(),
                device: "unknown".into(),
                ..NewEvent::default()
            };
            store.record(&owner, &new)?;
            outcome.recorded += 1;
        }
    }
    Ok(outcome)
}
