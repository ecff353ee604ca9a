//! Archive discovery and message iteration: turns the paths a user names into one ordered
//! stream of raw messages, each with its place, plus an entry for everything that could not be
//! read. Nothing here parses MIME; nothing here holds more than one message at a time.
//!
//! Formats are recognised by content first (a file that starts with `From ` is an mbox, one
//! that starts with a header line is a message, gzip by its magic bytes) and by name where the
//! content is silent (`.emlx`, an empty Thunderbird folder, an mbox with text before its first
//! separator).

mod emlx;
mod lines;
mod message_bytes;
pub use message_bytes::MessageBytes;
pub mod mbox;

pub use mbox::{MboxFormat, MboxSplitter};

use crate::limits::Limits;
use crate::locator::{display_path, Locator};
use std::collections::VecDeque;

/// Bytes read from a file or stream at a time.
const READ_BUFFER: usize = 1 << 18;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What a user named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

/// The container a message was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Eml,
    Mbox,
    Maildir,
    Emlx,
    Folder,
}

/// One message's bytes and where they came from.
#[derive(Debug)]
pub struct RawMessage {
    pub locator: Locator,
    pub format: Format,
    pub bytes: MessageBytes,
    /// Things noticed while reading that do not stop the message being scanned.
    pub warnings: Vec<String>,
}

/// Something that could not be read as a message.
#[derive(Debug, Clone)]
pub struct SourceError {
    pub format: Format,
    pub locator: Locator,
    pub error: String,
}

/// The stream's elements, in input order.
#[derive(Debug)]
pub enum Item {
    Message(RawMessage),
    Error(SourceError),
    /// A file in a walked folder that is not mail (an index, a plist, a stray text file).
    Skipped {
        path: String,
        reason: String,
    },
    /// A file was opened as a mail source (counted in the report).
    Opened,
}

#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    pub limits: Limits,
    pub mbox_format: MboxFormat,
    /// Incremented with every byte read from input files (compressed bytes for `.gz`).
    pub bytes_read: Arc<AtomicU64>,
}

/// All messages of all inputs, in order: inputs as given, folders walked in name order, mbox
/// members in file order.
pub struct Items {
    inputs: VecDeque<Input>,
    walk: Option<Walk>,
    current: Option<Box<dyn Iterator<Item = Item> + Send>>,
    options: SourceOptions,
}

pub fn items(inputs: Vec<Input>, options: SourceOptions) -> Items {
    Items {
        inputs: inputs.into(),
        walk: None,
        current: None,
        options,
    }
}

impl Iterator for Items {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(current) = &mut self.current {
                if let Some(item) = current.next() {
                    return Some(item);
                }
                self.current = None;
            }
            if let Some(walk) = &mut self.walk {
                match walk.next() {
                    Some(Ok(entry)) => {
                        if entry.file_type().is_file() {
                            let origin = Origin::Walked;
                            match open(entry.path(), origin, &self.options) {
                                Opened::Stream(stream) => self.current = Some(stream),
                                Opened::One(item) => return Some(item),
                            }
                        }
                        continue;
                    }
                    Some(Err(err)) => return Some(walk_error(err)),
                    None => {
                        self.walk = None;
                        continue;
                    }
                }
            }
            match self.inputs.pop_front()? {
                Input::Stdin => self.current = Some(stdin_stream(&self.options)),
                Input::Path(path) if path.is_dir() => {
                    self.walk = Some(walker(&path, &self.options.limits));
                }
                Input::Path(path) => match open(&path, Origin::Named, &self.options) {
                    Opened::Stream(stream) => self.current = Some(stream),
                    Opened::One(item) => return Some(item),
                },
            }
        }
    }
}

/// Whether a file was named by the user (then anything unreadable is an error) or found in a
/// folder (then files that are plainly not mail are skipped and listed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Named,
    Walked,
}

enum Opened {
    Stream(Box<dyn Iterator<Item = Item> + Send>),
    One(Item),
}

type Walk = walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>;

fn walker(root: &Path, limits: &Limits) -> Walk {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .max_depth(limits.max_dir_depth)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(is_not_maildir_tmp)
}

/// Maildir's `tmp/` holds messages still being delivered: never part of the mailbox.
fn is_not_maildir_tmp(entry: &walkdir::DirEntry) -> bool {
    !is_maildir_tmp(entry)
}

fn is_maildir_tmp(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_dir()
        && entry.file_name() == "tmp"
        && entry
            .path()
            .parent()
            .is_some_and(|parent| parent.join("cur").is_dir() || parent.join("new").is_dir())
}

fn walk_error(err: walkdir::Error) -> Item {
    let path = err
        .path()
        .map(display_path)
        .unwrap_or_else(|| "?".to_owned());
    let error = if let Some(ancestor) = err.loop_ancestor() {
        format!(
            "symbolic link loop back to {}, not followed",
            display_path(ancestor)
        )
    } else if err.depth() > 0 && err.io_error().is_none() {
        err.to_string()
    } else {
        format!(
            "cannot read: {}",
            err.io_error()
                .map(|e| e.to_string())
                .unwrap_or_else(|| err.to_string())
        )
    };
    Item::Error(SourceError {
        format: Format::Folder,
        locator: Locator { path, offset: None },
        error,
    })
}

/// Names that are never mail: mail clients' indexes and settings beside the mailboxes.
fn is_known_non_mail(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".msf") {
        Some("Thunderbird index (.msf)")
    } else if lower.ends_with(".plist") {
        Some("property list")
    } else if lower.starts_with("dovecot") || lower.starts_with("courier") {
        Some("mail server index")
    } else if matches!(
        lower.as_str(),
        "maildirfolder" | "subscriptions" | "maildirsize"
    ) {
        Some("Maildir control file")
    } else if lower.starts_with('.') {
        Some("hidden file")
    } else {
        None
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

fn in_maildir(path: &Path) -> bool {
    path.parent()
        .and_then(Path::file_name)
        .is_some_and(|dir| dir == "cur" || dir == "new")
}

/// A file that Thunderbird indexes (`Inbox` beside `Inbox.msf`) is an mbox, whatever it holds.
fn has_msf_sibling(path: &Path) -> bool {
    let mut index = path.as_os_str().to_owned();
    index.push(".msf");
    Path::new(&index).is_file()
}

fn open(path: &Path, origin: Origin, options: &SourceOptions) -> Opened {
    let shown = display_path(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fail = |format: Format, error: String| {
        Opened::One(Item::Error(SourceError {
            format,
            locator: Locator {
                path: shown.clone(),
                offset: None,
            },
            error,
        }))
    };
    if origin == Origin::Walked {
        if let Some(reason) = is_known_non_mail(&name) {
            return Opened::One(Item::Skipped {
                path: shown,
                reason: reason.to_owned(),
            });
        }
    }
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) => return fail(Format::Eml, format!("cannot open: {err}")),
    };
    let file_size = file.metadata().ok().map(|meta| meta.len() as usize);
    let mut name = name;
    let (body, head) = match read_body(file, file_size, &mut name, options) {
        Ok(read) => read,
        Err(err) => return fail(Format::Eml, format!("cannot read: {err}")),
    };
    let ext = extension(&name);
    let maildir = in_maildir(path);
    let single_format = if maildir {
        Format::Maildir
    } else {
        Format::Eml
    };

    if head.is_empty() {
        return if origin == Origin::Named || maildir || matches!(ext.as_str(), "eml" | "emlx") {
            fail(single_format, "empty file, no message".to_owned())
        } else {
            Opened::One(Item::Skipped {
                path: shown,
                reason: "empty file".to_owned(),
            })
        };
    }
    if ext == "emlx" {
        return Opened::Stream(Box::new(
            [
                Item::Opened,
                read_emlx(body.into_reader(), &shown, &options.limits),
            ]
            .into_iter(),
        ));
    }
    // A Thunderbird index beside the file marks an mbox; a `.eml` file or a Maildir message is
    // one message whatever lies beside it, so its sibling is not looked for.
    let mbox_named = matches!(ext.as_str(), "mbox" | "mbx" | "mbs")
        || (ext != "eml" && !maildir && has_msf_sibling(path));
    if head.starts_with(b"From ") || mbox_named {
        let (format, max) = (options.mbox_format, options.limits.max_message_bytes);
        let items: Box<dyn Iterator<Item = Item> + Send> = match body {
            Body::Whole(bytes) => Box::new(MboxSplitter::over_bytes(bytes, shown, format, max)),
            Body::Stream(reader) => Box::new(MboxSplitter::new(reader, shown, format, max)),
        };
        return Opened::Stream(Box::new(std::iter::once(Item::Opened).chain(items)));
    }
    if looks_like_header_block(&head) {
        let bytes = match body {
            Body::Whole(bytes) => capped(bytes, options.limits.max_message_bytes),
            Body::Stream(reader) => read_capped(reader, options.limits.max_message_bytes),
        };
        let item = single(bytes, &shown, single_format);
        return Opened::Stream(Box::new([Item::Opened, item].into_iter()));
    }
    if origin == Origin::Named || maildir || ext == "eml" {
        fail(
            single_format,
            "not a mail message or mailbox: no header block and no From separator".to_owned(),
        )
    } else {
        Opened::One(Item::Skipped {
            path: shown,
            reason: "not mail (no header block, no From separator)".to_owned(),
        })
    }
}

/// A file's bytes: all of them already read (a small file), or a stream to read on.
enum Body {
    Whole(Vec<u8>),
    Stream(Box<dyn BufRead + Send>),
}

impl Body {
    fn into_reader(self) -> Box<dyn BufRead + Send> {
        match self {
            Body::Whole(bytes) => Box::new(io::Cursor::new(bytes)),
            Body::Stream(reader) => reader,
        }
    }
}

/// Opens a file's contents for reading, decompressed when it is gzip (then `name` loses its
/// `.gz`), with its first bytes for recognising the format. A file smaller than the read
/// buffer is read whole, in one call into a buffer of its size: no read buffer is filled and
/// copied out again, and a single message is handed on as it was read. Folders of `.eml` files
/// and Maildirs are made of such files.
fn read_body(
    mut file: File,
    file_size: Option<usize>,
    name: &mut String,
    options: &SourceOptions,
) -> io::Result<(Body, Vec<u8>)> {
    let compressed_read = Arc::new(AtomicU64::new(0));
    let mut whole = None;
    if let Some(size) = file_size.filter(|&size| size < READ_BUFFER) {
        let mut bytes = Vec::with_capacity(size + 1);
        // At most the read buffer's size: a file that grew since its size was taken is read
        // on as a stream after these bytes.
        (&mut file)
            .take(READ_BUFFER as u64)
            .read_to_end(&mut bytes)?;
        options
            .bytes_read
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        compressed_read.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if bytes.len() < READ_BUFFER && !bytes.starts_with(GZIP_MAGIC) {
            let head = bytes[..bytes.len().min(HEAD)].to_vec();
            return Ok((Body::Whole(bytes), head));
        }
        whole = Some(bytes);
    }
    // The read buffer is zeroed before its first use (std fills a buffer through our counting
    // reader that way): a small file gets a buffer its own size.
    let buffer = file_size
        .map_or(READ_BUFFER, |len| len.saturating_add(1))
        .clamp(1024, READ_BUFFER);
    let counted = CountingReader {
        inner: file,
        count: options.bytes_read.clone(),
        file_count: Some(compressed_read.clone()),
    };
    let mut reader: Box<dyn BufRead + Send> = match whole {
        Some(bytes) => {
            Box::new(io::Cursor::new(bytes).chain(BufReader::with_capacity(buffer, counted)))
        }
        None => Box::new(BufReader::with_capacity(buffer, counted)),
    };
    if reader.fill_buf()?.starts_with(GZIP_MAGIC) {
        *name = name
            .strip_suffix(".gz")
            .or_else(|| name.strip_suffix(".GZ"))
            .unwrap_or(name)
            .to_owned();
        let limit = options.limits.max_decompressed_bytes;
        let decoder = flate2::bufread::MultiGzDecoder::new(reader);
        let capped = CappedReader {
            inner: decoder,
            remaining: limit,
            limit,
            produced: 0,
            compressed: compressed_read,
            max_ratio: options.limits.max_compression_ratio,
        };
        reader = Box::new(BufReader::with_capacity(READ_BUFFER, capped));
    }
    let head = peek(&mut reader, HEAD)?;
    Ok((Body::Stream(reader), head))
}

/// The gzip format's first two bytes.
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

/// Bytes looked at to recognise a file's format.
const HEAD: usize = 1024;

fn stdin_stream(options: &SourceOptions) -> Box<dyn Iterator<Item = Item> + Send> {
    let mut reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(
        READ_BUFFER,
        CountingReader {
            inner: io::stdin(),
            count: options.bytes_read.clone(),
            file_count: None,
        },
    ));
    let head = peek(&mut reader, HEAD).unwrap_or_default();
    let path = "-".to_owned();
    if head.starts_with(b"From ") {
        let splitter = MboxSplitter::new(
            reader,
            path,
            options.mbox_format,
            options.limits.max_message_bytes,
        );
        Box::new(std::iter::once(Item::Opened).chain(splitter))
    } else {
        let bytes = read_capped(reader, options.limits.max_message_bytes);
        let item = single(bytes, &path, Format::Eml);
        Box::new([Item::Opened, item].into_iter())
    }
}

/// A single message read whole (or the reason it could not be), as the item it makes.
fn single(bytes: Result<Vec<u8>, String>, path: &str, format: Format) -> Item {
    let locator = Locator {
        path: path.to_owned(),
        offset: None,
    };
    match bytes {
        Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => Item::Error(SourceError {
            format,
            locator,
            error: "empty file, no message".to_owned(),
        }),
        Ok(bytes) => Item::Message(RawMessage {
            locator,
            format,
            bytes: bytes.into(),
            warnings: Vec::new(),
        }),
        Err(error) => Item::Error(SourceError {
            format,
            locator,
            error,
        }),
    }
}

fn read_emlx(reader: impl Read, path: &str, limits: &Limits) -> Item {
    let locator = Locator {
        path: path.to_owned(),
        offset: None,
    };
    // The plist after the message is small; allow a little room for it.
    let file = read_capped(reader, limits.max_message_bytes.saturating_add(1 << 20));
    let result = file.and_then(|file| emlx::message_bytes(&file).map(<[u8]>::to_vec));
    match result {
        Ok(bytes) => Item::Message(RawMessage {
            locator,
            format: Format::Emlx,
            bytes: bytes.into(),
            warnings: Vec::new(),
        }),
        Err(error) => Item::Error(SourceError {
            format: Format::Emlx,
            locator,
            error,
        }),
    }
}

/// Reads to the end, up to `cap` bytes.
fn read_capped(reader: impl Read, cap: usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(cap as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("read error: {err}"))?;
    capped(bytes, cap)
}

/// The bytes of a message, unless there are more than `cap`.
fn capped(bytes: Vec<u8>, cap: usize) -> Result<Vec<u8>, String> {
    if bytes.len() > cap {
        return Err(format!("message exceeds the {cap}-byte message size cap"));
    }
    Ok(bytes)
}

/// The first bytes of a stream, put back in front of it so the reader still starts at 0.
fn peek(reader: &mut Box<dyn BufRead + Send>, want: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(want);
    reader.by_ref().take(want as u64).read_to_end(&mut head)?;
    let rest = std::mem::replace(reader, Box::new(io::empty()));
    *reader = Box::new(io::Cursor::new(head.clone()).chain(rest));
    Ok(head)
}

/// Whether bytes start like an RFC 5322 header block: a field name of printable ASCII without
/// spaces, then a colon. Leading blank space before the first field is not accepted.
pub fn looks_like_header_block(bytes: &[u8]) -> bool {
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    match memchr::memchr(b':', first_line) {
        Some(colon) if colon > 0 => first_line[..colon]
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b':'),
        _ => false,
    }
}

struct CountingReader<R> {
    inner: R,
    /// All input bytes of the scan (for progress).
    count: Arc<AtomicU64>,
    /// This file's bytes (for the compression ratio of a `.gz`).
    file_count: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        if let Some(file_count) = &self.file_count {
            file_count.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// Stops a decompressor at the decompressed-size cap, or when the output outgrows the input
/// by more than the ratio cap (a decompression bomb), with an error that names the cap.
struct CappedReader<R> {
    inner: R,
    remaining: u64,
    limit: u64,
    produced: u64,
    compressed: Arc<AtomicU64>,
    max_ratio: u64,
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(format!(
                    "decompressed size exceeds the {}-byte cap (max_decompressed_bytes)",
                    self.limit
                ))),
            };
        }
        let want = buf
            .len()
            .min(self.remaining.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..want])?;
        self.remaining -= n as u64;
        self.produced += n as u64;
        let compressed = self.compressed.load(Ordering::Relaxed).max(1);
        if self.produced > crate::limits::RATIO_GRACE && self.produced / compressed > self.max_ratio
        {
            return Err(io::Error::other(format!(
                "decompressed size grew past {}:1 of the compressed size (max_compression_ratio): a decompression bomb?",
                self.max_ratio
            )));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every way a file's bytes reach the format checks (read whole, or streamed because it is
    /// large or compressed) gives the same bytes and the same head.
    #[test]
    fn small_large_and_compressed_files_read_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let message = b"From: a@b.example\nSubject: s\n\nbody\n".to_vec();
        let large = [message.clone(), b"x".repeat(READ_BUFFER + 10)].concat();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &large).unwrap();
        let gz = gz.finish().unwrap();
        let options = SourceOptions {
            limits: Limits::default(),
            mbox_format: MboxFormat::default(),
            bytes_read: Arc::default(),
        };
        for (file_name, stored, expected, whole, read_as) in [
            ("small.eml", &message, &message, true, "small.eml"),
            ("large.eml", &large, &large, false, "large.eml"),
            ("large.eml.gz", &gz, &large, false, "large.eml"),
        ] {
            let path = dir.path().join(file_name);
            std::fs::write(&path, stored).unwrap();
            let size = Some(stored.len());
            let mut name = file_name.to_owned();
            let file = File::open(&path).unwrap();
            let (body, head) = read_body(file, size, &mut name, &options).unwrap();
            assert_eq!(head, expected[..HEAD.min(expected.len())], "{name}");
            assert_eq!(matches!(body, Body::Whole(_)), whole, "{name}");
            let mut read = Vec::new();
            body.into_reader().read_to_end(&mut read).unwrap();
            assert_eq!(read, *expected, "{name}");
            assert_eq!(name, read_as);
        }
        // A file that grew past the read buffer after its size was taken: read on as a stream.
        let path = dir.path().join("grew.eml");
        std::fs::write(&path, &large).unwrap();
        let mut name = "grew.eml".to_owned();
        let file = File::open(&path).unwrap();
        let (body, _) = read_body(file, Some(100), &mut name, &options).unwrap();
        let mut read = Vec::new();
        body.into_reader().read_to_end(&mut read).unwrap();
        assert_eq!(read, large);
    }
}
