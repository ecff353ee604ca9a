//! Where a message came from: the file, the member of a zip or tar archive when the file is
//! one, for members of an mbox the byte offset of its `From ` line, and for a message enclosed
//! in another (forwarded as an attachment) the part that holds it. Paths are rendered
//! losslessly even when they are not UTF-8.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The place of one message (or of one error) in the input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Locator {
    /// The file, as given or found by the walk (`-` for standard input). Bytes that are not
    /// UTF-8 appear as `\xNN` escapes.
    pub path: String,
    /// The member of the zip or tar archive at `path` that holds the message (its name in the
    /// archive, e.g. `Takeout/Mail/All mail Including Spam and Trash.mbox`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// Byte offset of the message inside an mbox (of the decompressed stream for `.gz`, of the
    /// member's own bytes inside an archive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// For a message enclosed in the one at this place (a `message/rfc822` part): the MIME part
    /// that holds it, numbered as findings number parts; `3/1` for a message enclosed in part 1
    /// of the one enclosed in part 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

impl Locator {
    pub fn file(path: &Path) -> Self {
        Locator::named(display_path(path))
    }

    /// A whole file (or standard input, `-`) named by its shown path.
    pub fn named(path: String) -> Self {
        Locator {
            path,
            entry: None,
            offset: None,
            part: None,
        }
    }

    pub fn at(path: &str, offset: u64) -> Self {
        Locator::named(path.to_owned()).with_offset(offset)
    }

    /// A member of the archive at `path`.
    pub fn member(path: String, entry: String) -> Self {
        Locator {
            path,
            entry: Some(entry),
            offset: None,
            part: None,
        }
    }

    /// The message enclosed in MIME part `part` of the message at this place.
    pub fn enclosed(&self, part: usize) -> Self {
        let part = match &self.part {
            Some(outer) => format!("{outer}/{part}"),
            None => part.to_string(),
        };
        Locator {
            part: Some(part),
            ..self.clone()
        }
    }

    /// The same file or member, at a byte offset inside it.
    pub fn with_offset(&self, offset: u64) -> Self {
        Locator {
            offset: Some(offset),
            ..self.clone()
        }
    }
}

impl From<String> for Locator {
    fn from(path: String) -> Self {
        Locator::named(path)
    }
}

impl From<&str> for Locator {
    fn from(path: &str) -> Self {
        Locator::named(path.to_owned())
    }
}

impl std::fmt::Display for Locator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `archive.zip!member@offset#part`: `!` between an archive and its member as in `jar:`
        // URLs, `#` before the part as before a URL's fragment.
        f.write_str(&self.path)?;
        if let Some(entry) = &self.entry {
            write!(f, "!{entry}")?;
        }
        if let Some(offset) = self.offset {
            write!(f, "@{offset}")?;
        }
        if let Some(part) = &self.part {
            write!(f, "#{part}")?;
        }
        Ok(())
    }
}

/// Renders a path as text without losing information: valid UTF-8 as is, every other byte as
/// a `\xNN` escape (file names on Linux are arbitrary bytes).
pub fn display_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    escape_bytes(path.as_os_str().as_bytes())
}

/// Text for arbitrary bytes: UTF-8 runs kept, each invalid byte written as `\xNN`.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_bytes_are_escaped_not_replaced() {
        assert_eq!(escape_bytes(b"caf\xe9.eml"), "caf\\xE9.eml");
        assert_eq!(escape_bytes("café".as_bytes()), "café");
    }
}
