//! The manifest: the ground truth of a campaign, written beside its messages — for each message
//! the recipient, the token and every tracking item inserted, with the kind a correct detector
//! reports and the vendor it should name. The evaluation scores the detector against it and the
//! server registers tokens and link destinations from it.

use crate::finding::Kind;
use serde::{Deserialize, Serialize};

pub const MANIFEST_SCHEMA: &str = "mailtrace-engine-manifest/1";
pub const MANIFEST_FILE: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: String,
    pub campaign: Campaign,
    /// Registered link destinations: the only places the redirector sends anyone.
    pub links: Vec<Link>,
    /// Beacon item ids and their techniques.
    pub beacons: Vec<BeaconEntry>,
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    pub from: String,
    pub subject: String,
    pub style: String,
    pub vendor: Option<String>,
    pub base_url: String,
    /// When the campaign was sent (Date header), RFC 3339 and Unix seconds.
    pub sent: String,
    pub sent_unix: i64,
    /// A negative control: the same messages with all tracking removed.
    pub clean: bool,
    pub techniques: Vec<String>,
    pub receipts: Vec<String>,
    pub leak: Option<String>,
    pub decorate: bool,
    pub dsn: bool,
    pub format: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// `l1`, `l2`, … in order of first appearance in the template.
    pub id: String,
    /// Where the template pointed.
    pub original: String,
    /// Where the redirector sends the reader (decorated when `--decorate`).
    pub destination: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeaconEntry {
    pub id: String,
    pub technique: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The message file (EML), or the mbox file and `#n` (1-based) inside it.
    pub file: String,
    /// The SMTP envelope transcript beside it.
    pub envelope: String,
    pub recipient: String,
    pub name: Option<String>,
    pub token: String,
    pub message_id: String,
    pub items: Vec<Item>,
}

/// One inserted tracking item and what a correct detector says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The engine's technique (`tiny_image_attr`, `click_redirect`, `leak_md5`, `receipt_dnt`,
    /// `decoration`).
    pub technique: String,
    /// The detector's technique id for this shape.
    pub detector_technique: String,
    pub expected_kind: Kind,
    /// Kinds that count as a correct detection.
    pub accepted_kinds: Vec<Kind>,
    /// The item id the server knows it by (`b3`, `l2`, `p2`), for beacons and links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The URL as written in the message (entities decoded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The host the URL goes to (links are reported per host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The header name, for receipt requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// The address encoding, for leaks (as the detector names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Tracking parameters, for decoration; the encoded address as written, for leaks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<String>,
    pub expected_vendor: Option<String>,
}

impl Manifest {
    pub fn read(path: &std::path::Path) -> super::Result<Manifest> {
        let text = std::fs::read_to_string(path).map_err(|e| super::EngineError::io(path, e))?;
        let manifest: Manifest = serde_json::from_str(&text)?;
        if manifest.schema != MANIFEST_SCHEMA {
            return Err(super::EngineError::Invalid(format!(
                "{}: not a campaign manifest (schema {:?})",
                path.display(),
                manifest.schema
            )));
        }
        Ok(manifest)
    }
}
