//! Every size cap the scan enforces, in one place, so that a hostile archive meets a known bound
//! and a user can see (and change) what that bound is. Hitting a cap is always reported.

/// Caps applied while reading and scanning. `Default` gives the values documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single message kept for parsing; a larger one becomes an error entry.
    pub max_message_bytes: usize,
    /// Largest decompressed size read from one `.gz` file.
    pub max_decompressed_bytes: u64,
    /// Deepest folder level descended into while walking a path.
    pub max_dir_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 64 * 1024 * 1024,
            max_decompressed_bytes: 64 * 1024 * 1024 * 1024,
            max_dir_depth: 64,
        }
    }
}
