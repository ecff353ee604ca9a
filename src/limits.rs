//! Every size cap the scan enforces, in one place, so that a hostile archive meets a known bound
//! and a user can see (and change, with `--limit NAME=SIZE`) what that bound is. Hitting a cap
//! is always reported: an error entry when a message cannot be read at all, a warning on the
//! message when the rest of it could still be analysed.

/// Caps applied while reading and scanning. `Default` gives the documented values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest single message kept for parsing; a larger one becomes an error entry.
    pub max_message_bytes: usize,
    /// Most header fields analysed per message (the parser keeps them all; detectors look at
    /// the first ones).
    pub max_headers: usize,
    /// Bytes of header values per message parsed into structured values (addresses,
    /// Content-Type and Content-Disposition parameters, Subject's encoded words, dates, ids); a
    /// field longer than what is left is read as written instead, with a warning (a To field
    /// of millions of addresses would take gigabytes as a record of each).
    pub max_parsed_header_bytes: usize,
    /// Most MIME parts analysed per message.
    pub max_parts: usize,
    /// Deepest nesting of multiparts and enclosed messages opened; a part deeper is read whole,
    /// as text or binary, and its own parts are not looked for.
    pub max_mime_depth: usize,
    /// Largest HTML (or AMP) part analysed; a larger one is cut at this size.
    pub max_html_bytes: usize,
    /// Most elements kept open at once while reading HTML; deeper elements are read as if at
    /// this depth (their URLs are found; hiding by ancestors past the cap is not tracked).
    pub max_html_depth: usize,
    /// Largest CSS text (a `<style>` block or a style attribute) searched for URLs.
    pub max_css_bytes: usize,
    /// Most URLs (resources and links) examined per message.
    pub max_urls: usize,
    /// Largest decompressed size read from one `.gz` file.
    pub max_decompressed_bytes: u64,
    /// Highest decompressed:compressed ratio tolerated past the first `RATIO_GRACE` bytes.
    pub max_compression_ratio: u64,
    /// Deepest folder level descended into while walking a path.
    pub max_dir_depth: usize,
    /// Largest temporary copy made of an Outlook data file that comes as a stream (compressed,
    /// in an archive, on standard input), which is read by seeking: a bound on the disk a
    /// hostile archive can take, on top of the decompression caps.
    pub max_temporary_copy_bytes: u64,
}

/// Decompressed bytes read before the compression ratio is checked (small files compress well).
pub const RATIO_GRACE: u64 = 64 * 1024 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 64 * 1024 * 1024,
            max_headers: 10_000,
            max_parsed_header_bytes: 1024 * 1024,
            max_parts: 10_000,
            max_mime_depth: 100,
            max_html_bytes: 16 * 1024 * 1024,
            max_html_depth: 2_000,
            max_css_bytes: 2 * 1024 * 1024,
            max_urls: 50_000,
            max_decompressed_bytes: 64 * 1024 * 1024 * 1024,
            max_compression_ratio: 1_000,
            max_dir_depth: 64,
            max_temporary_copy_bytes: 8 * 1024 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The limits by name, with their current values, for `--limit` and the documentation.
    pub fn entries(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("max_message_bytes", self.max_message_bytes as u64),
            ("max_headers", self.max_headers as u64),
            (
                "max_parsed_header_bytes",
                self.max_parsed_header_bytes as u64,
            ),
            ("max_parts", self.max_parts as u64),
            ("max_mime_depth", self.max_mime_depth as u64),
            ("max_html_bytes", self.max_html_bytes as u64),
            ("max_html_depth", self.max_html_depth as u64),
            ("max_css_bytes", self.max_css_bytes as u64),
            ("max_urls", self.max_urls as u64),
            ("max_decompressed_bytes", self.max_decompressed_bytes),
            ("max_compression_ratio", self.max_compression_ratio),
            ("max_dir_depth", self.max_dir_depth as u64),
            ("max_temporary_copy_bytes", self.max_temporary_copy_bytes),
        ]
    }

    /// Sets one limit by name; `value` accepts K, M and G suffixes (binary multiples).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let parsed = parse_size(value)?;
        let as_usize = || usize::try_from(parsed).map_err(|_| format!("{value:?} is too large"));
        match name {
            "max_message_bytes" => self.max_message_bytes = as_usize()?,
            "max_headers" => self.max_headers = as_usize()?,
            "max_parsed_header_bytes" => self.max_parsed_header_bytes = as_usize()?,
            "max_parts" => self.max_parts = as_usize()?,
            "max_mime_depth" => self.max_mime_depth = as_usize()?,
            "max_html_bytes" => self.max_html_bytes = as_usize()?,
            "max_html_depth" => self.max_html_depth = as_usize()?,
            "max_css_bytes" => self.max_css_bytes = as_usize()?,
            "max_urls" => self.max_urls = as_usize()?,
            "max_decompressed_bytes" => self.max_decompressed_bytes = parsed,
            "max_compression_ratio" => self.max_compression_ratio = parsed,
            "max_dir_depth" => self.max_dir_depth = as_usize()?,
            "max_temporary_copy_bytes" => self.max_temporary_copy_bytes = parsed,
            _ => {
                let known: Vec<&str> = self.entries().iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "no limit {name:?}; the limits are {}",
                    known.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// `1500`, `64K`, `64M`, `2G` (binary multiples); zero is refused.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, shift) = match text.char_indices().last() {
        Some((i, 'k' | 'K')) => (&text[..i], 10),
        Some((i, 'm' | 'M')) => (&text[..i], 20),
        Some((i, 'g' | 'G')) => (&text[..i], 30),
        _ => (text, 0),
    };
    let value: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size like 500K, 64M or 1G"))?;
    value
        .checked_mul(1u64 << shift)
        .filter(|&size| size > 0)
        .ok_or_else(|| format!("{text:?} is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_set_by_name_with_size_suffixes() {
        let mut limits = Limits::default();
        limits.set("max_html_bytes", "2M").unwrap();
        assert_eq!(limits.max_html_bytes, 2 << 20);
        limits.set("max_urls", "500").unwrap();
        assert_eq!(limits.max_urls, 500);
        assert!(limits
            .set("max_ufos", "1")
            .unwrap_err()
            .contains("max_urls"));
        assert!(limits.set("max_urls", "0").is_err());
        assert!(limits.set("max_urls", "lots").is_err());
    }
}
