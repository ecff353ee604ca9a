//! mailtrace: audit mail archives for the ways senders watch their readers.
//!
//! The data flows one way (see docs/architecture.md):
//! `source` (archives → raw messages) → `message` (one parse per message) → `detect`
//! (pure, per message) → `report` (a fold into per-sender and per-kind totals).
//! `scan` wires these stages together over a rayon pool.

pub mod ascii;
pub mod byte_search;
mod contain;
pub mod detect;
pub mod engine;
pub mod explain;
pub mod finding;
pub mod limits;
pub mod locator;
pub mod message;
pub mod mime;
pub mod party;
pub mod read_flag;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod transfer;
pub mod weburl;

pub use detect::detect;
pub use finding::{Confidence, Finding, Kind};
pub use limits::Limits;
pub use message::MessageView;
pub use report::{Report, REPORT_SCHEMA};
pub use rules::RuleSet;
pub use scan::{scan, ScanOptions};
