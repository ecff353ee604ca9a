//! Apple Mail `.emlx`: a line with the message's byte count, the message itself, then an XML
//! property list of Mail's own flags, of which only "read" is wanted.

/// What an emlx file holds.
#[derive(Debug, PartialEq, Eq)]
pub struct Emlx<'a> {
    pub message: &'a [u8],
    /// Mail's read flag (bit 0 of the `flags` integer), when the property list has one.
    pub read: Option<bool>,
}

/// Returns the message bytes inside an emlx file and its read flag, or why there are none.
pub fn parse(file: &[u8]) -> Result<Emlx<'_>, String> {
    let newline = memchr::memchr(b'\n', file)
        .filter(|&pos| pos <= 32)
        .ok_or("emlx: no byte-count line at the start")?;
    let count: usize = std::str::from_utf8(&file[..newline])
        .ok()
        .map(str::trim)
        .and_then(|text| text.parse().ok())
        .ok_or("emlx: the first line is not a byte count")?;
    let body = &file[newline + 1..];
    let message = body.get(..count).ok_or_else(|| {
        format!(
            "emlx: truncated, the header promises {count} bytes but {} follow",
            body.len()
        )
    })?;
    let read = flags(&body[count..]).map(|flags| flags & 1 != 0);
    Ok(Emlx { message, read })
}

/// The integer after `<key>flags</key>` in the property list.
fn flags(plist: &[u8]) -> Option<u64> {
    const KEY: &[u8] = b"<key>flags</key>";
    let after = &plist[memchr::memmem::find(plist, KEY)? + KEY.len()..];
    let value = after.trim_ascii_start().strip_prefix(b"<integer>")?;
    let end = memchr::memchr(b'<', value)?;
    std::str::from_utf8(&value[..end]).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_selects_the_message_and_drops_the_plist() {
        let file = b"11   \nSubject: x\n<?xml version=\"1.0\"?><plist/>";
        let emlx = parse(file).unwrap();
        assert_eq!(emlx.message, b"Subject: x\n");
        assert_eq!(emlx.read, None);
    }

    #[test]
    fn the_read_flag_is_bit_zero_of_the_flags() {
        let plist = |flags: &str| {
            format!("11\nSubject: x\n<plist><dict><key>flags</key>\n\t<integer>{flags}</integer></dict></plist>")
        };
        assert_eq!(
            parse(plist("8590195713").as_bytes()).unwrap().read,
            Some(true)
        );
        assert_eq!(
            parse(plist("8590195712").as_bytes()).unwrap().read,
            Some(false)
        );
        assert_eq!(parse(plist("-x").as_bytes()).unwrap().read, None);
    }

    #[test]
    fn a_short_file_is_an_error_not_a_panic() {
        assert!(parse(b"999\nSubject: x\n")
            .unwrap_err()
            .contains("truncated"));
        assert!(parse(b"not a count\n").is_err());
        assert!(parse(b"").is_err());
    }
}
