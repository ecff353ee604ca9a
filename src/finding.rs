//! The finding vocabulary shared by every detector, the report and the tests: a coarse,
//! stable `kind` and a fine `technique`, with who did it and why we think so.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The coarse family of a finding. Stable: reports and rules key on these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Pixel,
    RemoteResource,
    ClickTracking,
    LinkDecoration,
    AddressLeak,
    ReadReceipt,
    DeliveryReceipt,
    EspHeader,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Pixel,
        Kind::RemoteResource,
        Kind::ClickTracking,
        Kind::LinkDecoration,
        Kind::AddressLeak,
        Kind::ReadReceipt,
        Kind::DeliveryReceipt,
        Kind::EspHeader,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pixel => "pixel",
            Kind::RemoteResource => "remote_resource",
            Kind::ClickTracking => "click_tracking",
            Kind::LinkDecoration => "link_decoration",
            Kind::AddressLeak => "address_leak",
            Kind::ReadReceipt => "read_receipt",
            Kind::DeliveryReceipt => "delivery_receipt",
            Kind::EspHeader => "esp_header",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure the detector is that the finding is what its kind says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    /// The name the report writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// One observation about one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: Kind,
    /// Fine-grained technique id, e.g. `disposition_notification_to`; documented in docs/.
    pub technique: String,
    /// The company behind it, when a rule names one.
    pub vendor: Option<String>,
    /// The id of the rule that named the vendor; null for heuristics.
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The header line (`Name: value`) the finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// Whether the party receiving the signal is someone other than the sender; null when the
    /// question does not apply (a platform header, a report in the archive).
    pub third_party: Option<bool>,
    pub confidence: Confidence,
    /// One line for a person: why this is a finding.
    pub evidence: String,
    /// Where in the message: `header Disposition-Notification-To`, `part 2 message/delivery-status`.
    pub location: String,
    /// Facts particular to the technique (the receipt address, a report's status, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
}

impl Finding {
    /// Whether the finding shows the sender watching the reader (rather than describing the
    /// platform, or being a report the reader's own system produced).
    pub fn is_tracking(&self) -> bool {
        match self.kind {
            Kind::Pixel
            | Kind::ClickTracking
            | Kind::LinkDecoration
            | Kind::AddressLeak
            | Kind::ReadReceipt => true,
            Kind::RemoteResource => self.confidence >= Confidence::Medium,
            Kind::DeliveryReceipt | Kind::EspHeader => false,
        }
    }
}
