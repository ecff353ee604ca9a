//! The HTML that Outlook keeps inside an RTF body. A `.msg` without an HTML property still has
//! its HTML: compressed ([MS-OXRTFCP]) into `PR_RTF_COMPRESSED`, as RTF that encapsulates it
//! ([MS-OXRTFEX]): the markup in `{\*\htmltag…}` groups, the text between them, and
//! RTF-only formatting fenced by `\htmlrtf … \htmlrtf0`. Only what the HTML held is taken back
//! out; RTF is not rendered.

/// The most bytes the RTF is decompressed to.
const MAX_RTF: usize = 64 << 20;

/// The dictionary compressed RTF starts from ([MS-OXRTFCP] 2.1.2.1): common RTF text, so
/// that the first tokens of a document can already refer back.
const PRELOAD: &[u8] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

/// The compression type of compressed RTF: `LZFu`, and `MELA` for stored bytes.
const COMPRESSED: u32 = 0x7546_5a4c;
const STORED: u32 = 0x414c_454d;

/// The RTF in a `PR_RTF_COMPRESSED` property: a 16-byte header (sizes, type, CRC), then
/// control bytes whose bits, lowest first, say whether each next item is a literal byte or a
/// two-byte reference into a 4 KiB ring of what was written.
pub fn decompress(data: &[u8]) -> Result<Vec<u8>, String> {
    let word = |at: usize| -> Result<u32, String> {
        data.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| "shorter than its header".to_owned())
    };
    let raw_size = (word(4)? as usize).min(MAX_RTF);
    let body = &data[16.min(data.len())..];
    match word(8)? {
        STORED => Ok(body[..raw_size.min(body.len())].to_vec()),
        COMPRESSED => Ok(lzfu(body, raw_size)),
        other => Err(format!("unknown compression type {other:#010x}")),
    }
}

fn lzfu(body: &[u8], raw_size: usize) -> Vec<u8> {
    let mut ring = [0u8; 4096];
    ring[..PRELOAD.len()].copy_from_slice(PRELOAD);
    let mut write = PRELOAD.len();
    let mut out = Vec::with_capacity(raw_size.min(body.len().saturating_mul(8)));
    let mut at = 0;
    while at < body.len() && out.len() < raw_size {
        let control = body[at];
        at += 1;
        for bit in 0..8 {
            if at >= body.len() || out.len() >= raw_size {
                return out;
            }
            if control & (1 << bit) == 0 {
                let byte = body[at];
                at += 1;
                out.push(byte);
                ring[write] = byte;
                write = (write + 1) % ring.len();
                continue;
            }
            let Some(pair) = body.get(at..at + 2) else {
                return out;
            };
            at += 2;
            let token = u16::from_be_bytes([pair[0], pair[1]]);
            let offset = usize::from(token >> 4);
            let length = usize::from(token & 0xf) + 2;
            // A reference to where the next byte would be written ends the data.
            if offset == write {
                return out;
            }
            for i in 0..length {
                let byte = ring[(offset + i) % ring.len()];
                out.push(byte);
                ring[write] = byte;
                write = (write + 1) % ring.len();
            }
        }
    }
    out.truncate(raw_size);
    out
}

/// The HTML encapsulated in `rtf`, as UTF-8, or `None` where the RTF was not made from HTML
/// (no `\fromhtml` in its header).
pub fn html(rtf: &[u8]) -> Option<String> {
    let header = &rtf[..rtf.len().min(1024)];
    memchr::memmem::find(header, b"\\fromhtml")?;
    Some(Deencapsulator::new(rtf).run())
}

/// What a group of the RTF is: text that belongs to the HTML or not.
#[derive(Clone, Copy)]
struct Group {
    /// Inside a destination that is not content (the font table, a picture, an unknown
    /// `{\*\…}` destination).
    skipped: bool,
    /// Inside an `{\*\htmltag…}` group: HTML markup, copied whatever `\htmlrtf` says.
    tag: bool,
    /// After `\htmlrtf`: RTF-only formatting, not part of the HTML.
    rtf_only: bool,
    /// Bytes standing in for each `\uN` character in readers without Unicode (`\ucN`).
    fallback: u32,
}

/// Groups tracked one by one, at most; deeper groups share their parent's state.
const MAX_GROUPS: usize = 1024;

/// Destinations whose text is never part of the HTML.
const SKIPPED_DESTINATIONS: &[&[u8]] = &[
    b"fonttbl",
    b"colortbl",
    b"stylesheet",
    b"info",
    b"pict",
    b"object",
    b"header",
    b"footer",
    b"listtable",
    b"listoverridetable",
    b"fldinst",
    b"generator",
    b"themedata",
    b"datastore",
];

struct Deencapsulator<'a> {
    rtf: &'a [u8],
    at: usize,
    groups: Vec<Group>,
    /// Groups opened past `MAX_GROUPS`, still to be closed.
    untracked: usize,
    group: Group,
    /// The default code page (`\ansicpgN`) that `\'hh` bytes are written in.
    charset: &'static str,
    /// Bytes of the current run, decoded in the code page when the run ends.
    bytes: Vec<u8>,
    html: String,
}

impl<'a> Deencapsulator<'a> {
    fn new(rtf: &'a [u8]) -> Self {
        Deencapsulator {
            rtf,
            at: 0,
            groups: Vec::new(),
            untracked: 0,
            group: Group {
                skipped: false,
                tag: false,
                rtf_only: false,
                fallback: 1,
            },
            charset: "windows-1252",
            bytes: Vec::new(),
            html: String::new(),
        }
    }

    fn run(mut self) -> String {
        while let Some(&byte) = self.rtf.get(self.at) {
            self.at += 1;
            match byte {
                b'{' => self.open_group(),
                b'}' => self.close_group(),
                b'\\' => self.control(),
                b'\r' | b'\n' => {}
                _ => self.emit_byte(byte),
            }
        }
        self.flush();
        self.html
    }

    fn copying(&self) -> bool {
        !self.group.skipped && (self.group.tag || !self.group.rtf_only)
    }

    fn emit_byte(&mut self, byte: u8) {
        if self.copying() {
            self.bytes.push(byte);
        }
    }

    fn emit_text(&mut self, text: &str) {
        if self.copying() {
            self.flush();
            self.html.push_str(text);
        }
    }

    /// Decodes the bytes of the run so far into the HTML.
    fn flush(&mut self) {
        if !self.bytes.is_empty() {
            let bytes = std::mem::take(&mut self.bytes);
            self.html
                .push_str(&crate::transfer::text(bytes.into(), Some(self.charset)));
        }
    }

    fn open_group(&mut self) {
        if self.groups.len() < MAX_GROUPS {
            self.groups.push(self.group);
        } else {
            self.untracked += 1;
        }
        // `{\*\dest …}`: a destination a reader may skip if it does not know it.
        if self.rtf[self.at..].starts_with(b"\\*\\") {
            self.at += 3;
            let (word, _) = self.word();
            match word {
                b"htmltag" => self.group.tag = true,
                _ => self.group.skipped = true,
            }
        }
    }

    fn close_group(&mut self) {
        if self.untracked > 0 {
            self.untracked -= 1;
        } else if let Some(outer) = self.groups.pop() {
            self.group = outer;
        }
    }

    /// A control word's letters and its numeric parameter, with the space that may end it.
    fn word(&mut self) -> (&'a [u8], Option<i64>) {
        let rtf = self.rtf;
        let start = self.at;
        while rtf.get(self.at).is_some_and(u8::is_ascii_alphabetic) {
            self.at += 1;
        }
        let word = &rtf[start..self.at];
        let digits = self.at;
        if rtf.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        while rtf.get(self.at).is_some_and(u8::is_ascii_digit) && self.at - digits < 12 {
            self.at += 1;
        }
        let parameter = std::str::from_utf8(&rtf[digits..self.at])
            .ok()
            .and_then(|text| text.parse().ok());
        if rtf.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        (word, parameter)
    }

    fn control(&mut self) {
        let Some(&next) = self.rtf.get(self.at) else {
            return;
        };
        if !next.is_ascii_alphabetic() {
            self.at += 1;
            match next {
                b'\'' => {
                    let hex = self.rtf.get(self.at..self.at + 2);
                    if let Some(byte) = hex
                        .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok())
                    {
                        self.at += 2;
                        self.emit_byte(byte);
                    }
                }
                b'\\' | b'{' | b'}' => self.emit_byte(next),
                b'\r' | b'\n' => self.emit_text("\r\n"),
                b'~' => self.emit_text("\u{a0}"),
                _ => {}
            }
            return;
        }
        let (word, parameter) = self.word();
        match word {
            b"par" | b"line" => self.emit_text("\r\n"),
            b"tab" => self.emit_text("\t"),
            b"htmlrtf" => self.group.rtf_only = parameter != Some(0),
            b"ansicpg" => {
                let page = parameter.and_then(|page| u32::try_from(page).ok());
                if let Some(charset) = page.and_then(super::mapi::charset) {
                    self.charset = charset;
                }
            }
            b"uc" => {
                self.group.fallback = parameter.map_or(1, |n| n.clamp(0, 8) as u32);
            }
            b"u" => {
                if let Some(code) = parameter {
                    // Values past 32767 are written as negative numbers.
                    let code = if code < 0 { code + 65_536 } else { code };
                    let c = u32::try_from(code)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}');
                    self.emit_text(c.encode_utf8(&mut [0; 4]));
                    self.skip_fallback();
                }
            }
            word if SKIPPED_DESTINATIONS.contains(&word) => self.group.skipped = true,
            _ => {}
        }
    }

    /// Skips the bytes (or `\'hh` escapes) that stand in for a `\uN` character.
    fn skip_fallback(&mut self) {
        for _ in 0..self.group.fallback {
            match self.rtf.get(self.at) {
                Some(b'\\') if self.rtf.get(self.at + 1) == Some(&b'\'') => self.at += 4,
                Some(b'\\' | b'{' | b'}') | None => return,
                Some(_) => self.at += 1,
            }
        }
        self.at = self.at.min(self.rtf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preloaded_dictionary_is_the_specified_207_bytes() {
        assert_eq!(PRELOAD.len(), 207);
    }

    /// Compressed RTF as a writer makes it when it finds no repeats: every item a literal,
    /// eight to a control byte, then a reference to the write position to end.
    fn literal_lzfu(text: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        for chunk in text.chunks(8) {
            body.push(0);
            body.extend_from_slice(chunk);
        }
        let end = ((PRELOAD.len() + text.len()) % 4096) as u16;
        body.push(1);
        body.extend_from_slice(&(end << 4).to_be_bytes());
        let mut data = Vec::new();
        data.extend_from_slice(&(body.len() as u32 + 12).to_le_bytes());
        data.extend_from_slice(&(text.len() as u32).to_le_bytes());
        data.extend_from_slice(&COMPRESSED.to_le_bytes());
        data.extend_from_slice(&0u32.to_le_bytes());
        data.extend_from_slice(&body);
        data
    }

    #[test]
    fn references_reach_into_the_preloaded_dictionary() {
        // One literal, then a reference to `{\rtf1\ansi` at the ring's start (11 bytes).
        let body = [0b10, b'X', 0x00, 0x09, 0b1];
        let mut data = vec![0; 16];
        data[4..8].copy_from_slice(&12u32.to_le_bytes());
        data[8..12].copy_from_slice(&COMPRESSED.to_le_bytes());
        data.extend_from_slice(&body);
        assert_eq!(decompress(&data).unwrap(), b"X{\\rtf1\\ansi");
        let text = b"{\\rtf1\\ansi\\fromhtml1 plain}";
        assert_eq!(decompress(&literal_lzfu(text)).unwrap(), text);
        assert!(decompress(b"short").is_err());
    }

    #[test]
    fn html_comes_back_out_of_its_rtf() {
        let rtf = br#"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}
{\*\htmltag19 <html>}{\*\htmltag34 <head>}{\*\htmltag41 </head>}{\*\htmltag50 <body>}\htmlrtf {\htmlrtf0
{\*\htmltag64 <p>}\htmlrtf {\htmlrtf0 Caf\'e9 \u8364?5 \{ok\}\htmlrtf\par\htmlrtf0
{\*\htmltag84 <img src="https://t.example/o/abc" width="1" height="1">}
{\*\mhtmltag84 <img src="cid:image001">}\htmlrtf}\htmlrtf0 {\*\htmltag72 </p>}
\htmlrtf}\htmlrtf0 {\*\htmltag58 </body>}{\*\htmltag27 </html>}}"#;
        let html = html(rtf).unwrap();
        assert_eq!(
            html,
            "<html><head></head><body><p>Café €5 {ok}<img src=\"https://t.example/o/abc\" width=\"1\" height=\"1\"></p></body></html>"
        );
        assert_eq!(html_of_plain_rtf(), None);
    }

    fn html_of_plain_rtf() -> Option<String> {
        html(br"{\rtf1\ansi\fromtext \pard Hello\par}")
    }
}
