//! The reference tracking engine: the sender's side of email tracking, built the way a marketing
//! platform builds it, so that the detector can be measured against ground truth and so that
//! anyone can run a real tracker on their own machine and watch what it learns.
//!
//! `campaign` writes the messages and the manifest of what was inserted (the ground truth);
//! `server` answers the beacons and the redirector on loopback and records each hit in `store`;
//! `metrics` turns the event log into the figures a platform shows its customers; `eval` runs
//! the detector over generated campaigns and scores it against the manifests.

pub mod campaign;
pub mod classify;
pub mod eval;
pub mod ingest;
pub mod labels;
pub mod manifest;
pub mod metrics;
pub mod mime;
pub mod server;
pub mod store;
pub mod style;
pub mod technique;
pub mod token;

/// Everything that can go wrong in the engine, with the place it went wrong.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("event store: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot read the operating system's random source: {0}")]
    Random(String),
    #[error("scan failed: {0}")]
    Scan(String),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

impl EngineError {
    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> EngineError {
        EngineError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
}

pub type Result<T> = std::result::Result<T, EngineError>;
