//! Apple Mail `.emlx`: a line with the message's byte count, the message itself, then an XML
//! property list of Mail's own flags (which we do not need).

/// Returns the message bytes inside an emlx file, or why there are none.
pub fn message_bytes(file: &[u8]) -> Result<&[u8], String> {
    let newline = memchr::memchr(b'\n', file)
        .filter(|&pos| pos <= 32)
        .ok_or("emlx: no byte-count line at the start")?;
    let count: usize = std::str::from_utf8(&file[..newline])
        .ok()
        .map(str::trim)
        .and_then(|text| text.parse().ok())
        .ok_or("emlx: the first line is not a byte count")?;
    let body = &file[newline + 1..];
    body.get(..count).ok_or_else(|| {
        format!(
            "emlx: truncated, the header promises {count} bytes but {} follow",
            body.len()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_selects_the_message_and_drops_the_plist() {
        let file = b"11   \nSubject: x\n<?xml version=\"1.0\"?><plist/>";
        assert_eq!(message_bytes(file).unwrap(), b"Subject: x\n");
    }

    #[test]
    fn a_short_file_is_an_error_not_a_panic() {
        assert!(message_bytes(b"999\nSubject: x\n")
            .unwrap_err()
            .contains("truncated"));
        assert!(message_bytes(b"not a count\n").is_err());
        assert!(message_bytes(b"").is_err());
    }
}
