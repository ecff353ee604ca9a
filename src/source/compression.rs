//! The compressions a mailbox or a backup of one comes in, known by their first bytes, whatever
//! the file is called: gzip, bzip2, xz and zstd. A file is decompressed as it is read; nothing
//! is unpacked to disk. What each decompressor may hold in memory is capped (see
//! [`DECODER_MEMORY`]); what it may produce is capped by the caller (`CappedReader`).

use std::io::{self, BufRead, Read};

/// The most a decompressor may allocate for its window or dictionary: a file that asks for more
/// becomes an error entry. 128 MiB is zstd's own default ceiling and covers what `zstd --long`,
/// `zstd --ultra -22` and `xz -9` write.
pub const DECODER_MEMORY: u64 = 128 * 1024 * 1024;

/// A compression a file's bytes may be wrapped in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

impl Compression {
    /// The compression whose signature `head` starts with, if any.
    pub fn of(head: &[u8]) -> Option<Compression> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if is_bzip2(head) {
            Some(Compression::Bzip2)
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Some(Compression::Xz)
        } else if is_zstd(head) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    /// The format's name, for messages to the user.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
            Compression::Zstd => "zstd",
        }
    }

    /// `name` without the suffix this compression adds (`Inbox.mbox.xz` → `Inbox.mbox`). A tar
    /// archive's short forms become `.tar` (`mail.tzst` → `mail.tar`), so the archive is
    /// still known by its name.
    pub fn strip_suffix(self, name: &str) -> String {
        let suffixes: &[&str] = match self {
            Compression::Gzip => &["gz", "tgz"],
            Compression::Bzip2 => &["bz2", "bz", "tbz2", "tbz"],
            Compression::Xz => &["xz", "txz"],
            Compression::Zstd => &["zst", "zstd", "tzst"],
        };
        let Some((stem, ext)) = name.rsplit_once('.') else {
            return name.to_owned();
        };
        match suffixes
            .iter()
            .find(|suffix| ext.eq_ignore_ascii_case(suffix))
        {
            Some(short) if short.starts_with('t') => format!("{stem}.tar"),
            Some(_) => stem.to_owned(),
            None => name.to_owned(),
        }
    }

    /// A reader of what `compressed` decompresses to. Concatenated streams (what `cat a.gz
    /// b.gz`, `pbzip2` and `pzstd` write) are read one after another, as the command-line tools
    /// read them.
    /// A decoder's errors name the format.
    pub fn decoder<'a>(self, compressed: impl BufRead + 'a) -> Box<dyn Read + 'a> {
        let inner: Box<dyn Read + 'a> = match self {
            Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(compressed)),
            Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(compressed)),
            Compression::Xz => Box::new(lzma_rust2::XzReader::new_mem_limit(
                compressed,
                true,
                (DECODER_MEMORY / 1024) as u32,
            )),
            Compression::Zstd => Box::new(ZstdFrames::new(compressed)),
        };
        Box::new(Labelled {
            inner,
            format: self.name(),
        })
    }
}

/// A zip member packed with LZMA (method 14). Its data start with the LZMA SDK's version (two
/// bytes) and the length of the properties (two bytes, little-endian: 5), then the properties
/// (lc/lp/pb in one byte, the dictionary size in four), then the raw LZMA stream (APPNOTE.TXT
/// 5.8.8). The stream may or may not end with a marker, so it is read to the member's size.
pub fn zip_lzma<'a>(mut compressed: impl Read + 'a, size: u64) -> io::Result<Box<dyn Read + 'a>> {
    let mut header = [0u8; 9];
    compressed.read_exact(&mut header)?;
    let [_, _, props_low, props_high, props, d0, d1, d2, d3] = header;
    if u16::from_le_bytes([props_low, props_high]) != 5 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "LZMA properties are not 5 bytes long",
        ));
    }
    let dict_size = u32::from_le_bytes([d0, d1, d2, d3]);
    let needed = u64::from(lzma_rust2::lzma_get_memory_usage_by_props(
        dict_size, props,
    )?) * 1024;
    if needed > DECODER_MEMORY {
        return Err(too_much_memory(needed));
    }
    let reader = lzma_rust2::LzmaReader::new_with_props(compressed, size, props, dict_size, None)?;
    Ok(Box::new(reader))
}

/// The error for a decompressor that asks for more memory than [`DECODER_MEMORY`].
fn too_much_memory(needed: u64) -> io::Error {
    io::Error::other(format!(
        "its decompressor would need {} MiB, more than the {} MiB allowed",
        needed >> 20,
        DECODER_MEMORY >> 20
    ))
}

/// A decoder whose errors say which format they are about, and what a decoder that asks for too
/// much memory is allowed.
struct Labelled<R> {
    inner: R,
    format: &'static str,
}

impl<R: Read> Read for Labelled<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|err| {
            let said = match err.kind() {
                io::ErrorKind::OutOfMemory => format!(
                    "its decompressor would need more than the {} MiB allowed",
                    DECODER_MEMORY >> 20
                ),
                // What each decoder says at the end of a cut file differs; the cause does not.
                io::ErrorKind::UnexpectedEof => "the data is cut short".to_owned(),
                _ => err.to_string(),
            };
            io::Error::new(err.kind(), format!("{}: {said}", self.format))
        })
    }
}

/// bzip2's signature: `BZh`, the block size as a digit, then the magic of a first block (or of
/// the end of an empty stream). Three letters alone could start a line of text.
fn is_bzip2(head: &[u8]) -> bool {
    const BLOCK: [u8; 6] = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
    const END: [u8; 6] = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];
    head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (head[4..10] == BLOCK || head[4..10] == END)
}

/// zstd's signature: a frame's magic, or a skippable frame's (any of sixteen), which pzstd
/// writes before each frame (RFC 8878, 3.1.1 and 3.1.2).
fn is_zstd(head: &[u8]) -> bool {
    match head {
        [0x28, 0xb5, 0x2f, 0xfd, ..] => true,
        [low, 0x2a, 0x4d, 0x18, ..] => low & 0xf0 == 0x50,
        _ => false,
    }
}

/// A zstd stream read frame after frame (ruzstd's own reader stops after the first), skipping
/// skippable frames and checking each frame's checksum where it has one.
struct ZstdFrames<R> {
    compressed: R,
    frame: ruzstd::decoding::FrameDecoder,
    in_frame: bool,
}

impl<R: BufRead> ZstdFrames<R> {
    fn new(compressed: R) -> Self {
        let mut frame = ruzstd::decoding::FrameDecoder::new();
        frame.set_max_window_size(DECODER_MEMORY);
        ZstdFrames {
            compressed,
            frame,
            in_frame: false,
        }
    }

    /// Reads the next frame's header, skipping skippable frames. False at the end of the data.
    fn start_frame(&mut self) -> io::Result<bool> {
        use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
        loop {
            if self.compressed.fill_buf()?.is_empty() {
                return Ok(false);
            }
            match self.frame.reset(&mut self.compressed) {
                Ok(()) => return Ok(true),
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let skipped = io::copy(
                        &mut (&mut self.compressed).take(u64::from(length)),
                        &mut io::sink(),
                    )?;
                    if skipped < u64::from(length) {
                        return Err(truncated());
                    }
                }
                Err(FrameDecoderError::WindowSizeTooBig { requested, .. }) => {
                    return Err(too_much_memory(requested))
                }
                Err(err) => return Err(io::Error::other(err)),
            }
        }
    }
}

fn truncated() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "the data is cut short")
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.in_frame {
                // Blocks are decoded until enough bytes can be handed out or the frame ends;
                // a block may add fewer bytes than it is asked for. The decoder keeps a window
                // of output behind what it hands out, and its buffer doubles once more than
                // 256 KiB wait past the window: asking for at most 64 KiB at a time (plus one
                // block of at most 128 KiB) keeps a 128 MiB window from costing 256 MiB.
                let target = buf.len().min(64 << 10);
                while self.frame.can_collect() < target && !self.frame.is_finished() {
                    let want = target - self.frame.can_collect();
                    self.frame
                        .decode_blocks(
                            &mut self.compressed,
                            ruzstd::decoding::BlockDecodingStrategy::UptoBytes(want),
                        )
                        .map_err(|err| {
                            if self.compressed.fill_buf().is_ok_and(<[u8]>::is_empty) {
                                truncated()
                            } else {
                                io::Error::other(err)
                            }
                        })?;
                }
                let n = self.frame.read(buf)?;
                if n > 0 {
                    return Ok(n);
                }
                let (written, computed) = (
                    self.frame.get_checksum_from_data(),
                    self.frame.get_calculated_checksum(),
                );
                if let (Some(written), Some(computed)) = (written, computed) {
                    if written != computed {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "checksum mismatch (the data is damaged)",
                        ));
                    }
                }
                self.in_frame = false;
            }
            if !self.start_frame()? {
                return Ok(0);
            }
            self.in_frame = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_come_off_and_tar_short_forms_become_tar() {
        for (compression, name, stripped) in [
            (Compression::Gzip, "Inbox.mbox.gz", "Inbox.mbox"),
            (Compression::Gzip, "takeout.tgz", "takeout.tar"),
            (Compression::Bzip2, "list.mbox.BZ2", "list.mbox"),
            (Compression::Bzip2, "mail.tbz2", "mail.tar"),
            (Compression::Xz, "archive.mbox.xz", "archive.mbox"),
            (Compression::Xz, "maildir.txz", "maildir.tar"),
            (Compression::Zstd, "backup.tar.zst", "backup.tar"),
            (Compression::Zstd, "backup.tzst", "backup.tar"),
            // A name that does not say how it is compressed keeps its name.
            (Compression::Zstd, "Inbox", "Inbox"),
            (Compression::Xz, "Inbox.gz", "Inbox.gz"),
        ] {
            assert_eq!(compression.strip_suffix(name), stripped, "{name}");
        }
    }

    /// zstd as its command-line tool writes it: two frames with content checksums, each after a
    /// skippable frame (fixtures/README.md).
    fn zstd_fixture() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/formats/compressed/pair.mbox.zst"
        );
        std::fs::read(path).unwrap()
    }

    fn decompress(compression: Compression, bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        compression.decoder(bytes).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn every_zstd_frame_is_read_and_a_damaged_one_is_an_error() {
        let zstd = zstd_fixture();
        assert_eq!(Compression::of(&zstd), Some(Compression::Zstd));
        let mbox = decompress(Compression::Zstd, &zstd).unwrap();
        let text = String::from_utf8_lossy(&mbox);
        assert_eq!(text.matches("\nFrom ").count() + 1, 2, "{text}");
        assert!(text.contains("In the second of two zstd frames."));
        // The last four bytes are the second frame's checksum.
        let mut damaged = zstd.clone();
        *damaged.last_mut().unwrap() ^= 1;
        let error = decompress(Compression::Zstd, &damaged).unwrap_err();
        assert!(
            error.to_string().contains("zstd: checksum mismatch"),
            "{error}"
        );
        // Cut inside the second frame.
        let error = decompress(Compression::Zstd, &zstd[..zstd.len() - 20]).unwrap_err();
        assert_eq!(error.to_string(), "zstd: the data is cut short");
    }

    #[test]
    fn bzip2_is_known_by_more_than_its_three_letters() {
        let mut compressed = Vec::new();
        bzip2::read::BzEncoder::new(
            &b"From: a@b.example\n\nbody\n"[..],
            bzip2::Compression::fast(),
        )
        .read_to_end(&mut compressed)
        .unwrap();
        assert_eq!(Compression::of(&compressed), Some(Compression::Bzip2));
        assert_eq!(
            Compression::of(b"BZh9 is how this line of text starts"),
            None
        );
        assert_eq!(Compression::of(b"From: a@b.example\n"), None);
    }
}
