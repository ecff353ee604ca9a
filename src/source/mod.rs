//! Archive discovery and message iteration: turns the paths a user names into one ordered
//! stream of raw messages, each with its place, plus an entry for everything that could not be
//! read. Nothing here parses MIME; nothing here holds more than one message at a time.
//!
//! Formats are recognised by content first (a file that starts with `From ` is an mbox, one
//! that starts with a header line is a message; gzip, bzip2, xz, zstd, zip, tar and Outlook's
//! compound files by their magic bytes) and by name where the content is silent (`.emlx`, an
//! empty Thunderbird folder, an mbox with text before its first separator, `.msg` among Office
//! documents). Zip and tar archives are read member by member (`archive`); compressed files are
//! decompressed as they are read (`compression`); Outlook messages are rebuilt as MIME (`msg`, and `pst` for Outlook data files).

mod archive;
mod compression;
mod emlx;
mod lines;
mod mapi;
mod message_bytes;
pub mod msg;
mod pst;
mod pst_ndb;
mod pst_props;
mod rtf;
pub use message_bytes::MessageBytes;
pub mod mbox;

pub use mbox::{MboxFormat, MboxSplitter};

use crate::limits::Limits;
use crate::locator::{display_path, Locator};
use compression::Compression;
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
    /// An Outlook `.msg` file, rebuilt as MIME (see `msg`).
    Msg,
    /// An Outlook data file (`.pst`), its messages rebuilt as MIME (see `pst`).
    Pst,
    Folder,
    /// A zip archive (an error about the archive itself or one of its members).
    Zip,
    /// A tar archive, plain or compressed (an error about the archive itself or a member).
    Tar,
}

/// One message's bytes and where they came from.
#[derive(Debug)]
pub struct RawMessage {
    pub locator: Locator,
    pub format: Format,
    pub bytes: MessageBytes,
    /// Things noticed while reading that do not stop the message being scanned.
    pub warnings: Vec<String>,
    /// Whether the container marks the message read (a Maildir file name, an `.emlx` property
    /// list); `None` where it keeps no such flag. See [`crate::read_flag`].
    pub read: Option<bool>,
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
    /// A file in a walked folder (or a member of an archive) that is not mail: an index, a
    /// plist, a stray text file.
    Skipped {
        locator: Locator,
        reason: String,
    },
    /// A file was opened as a mail source (counted in the report).
    Opened,
}

#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    pub limits: Limits,
    pub mbox_format: MboxFormat,
    /// Incremented with every byte read from input files (for a compressed file, the compressed
    /// bytes).
    pub bytes_read: Arc<AtomicU64>,
}

/// All messages of all inputs, in order: inputs as given, folders walked in name order, mbox
/// members in file order.
pub struct Items {
    inputs: VecDeque<Input>,
    walk: Option<Walk>,
    current: Option<Box<dyn Iterator<Item = Item>>>,
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
                Input::Stdin => self.current = Some(Box::new(archive::stdin(self.options.clone()))),
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
    Stream(Box<dyn Iterator<Item = Item>>),
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
        locator: Locator::named(path),
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

/// Where a file lies, as the report names it, and what its name and surroundings say of its
/// format.
struct Place {
    locator: Locator,
    origin: Origin,
    /// The file name's extension, lower-cased (after `.gz`, `.xz`… is taken off a decompressed
    /// file; `.tgz` and its kin become `.tar`).
    ext: String,
    /// In a Maildir's `cur/` or `new/`: one message per file.
    maildir: bool,
    /// Beside a Thunderbird `.msf` index: an mbox, whatever it holds.
    beside_msf: bool,
}

impl Place {
    /// The format a file holding one message is reported as.
    fn single_format(&self) -> Format {
        if self.maildir {
            Format::Maildir
        } else {
            Format::Eml
        }
    }

    fn error(&self, format: Format, error: String) -> Item {
        Item::Error(SourceError {
            format,
            locator: self.locator.clone(),
            error,
        })
    }

    fn skipped(&self, reason: &str) -> Item {
        skipped(&self.locator, reason)
    }
}

fn skipped(locator: &Locator, reason: &str) -> Item {
    Item::Skipped {
        locator: locator.clone(),
        reason: reason.to_owned(),
    }
}

/// What a file holds, as its first bytes and its place tell.
#[derive(Debug, Clone, Copy)]
enum Content {
    Empty,
    Emlx,
    OutlookMsg,
    /// An Outlook data file, read by seeking about it (see `pst`).
    OutlookPst,
    Zip,
    Tar,
    Mbox,
    Message,
    NotMail,
}

fn recognise(place: &Place, head: &[u8]) -> Content {
    if head.is_empty() {
        Content::Empty
    } else if place.ext == "emlx" {
        Content::Emlx
    } else if head.starts_with(msg::COMPOUND_FILE_MAGIC) {
        // Word and Excel files are compound files too: in a walked folder only those named
        // `.msg` are opened; one named on the command line is tried whatever its name.
        if place.ext == "msg" || place.origin == Origin::Named {
            Content::OutlookMsg
        } else {
            Content::NotMail
        }
    } else if head.starts_with(pst::PST_MAGIC) {
        Content::OutlookPst
    } else if head.starts_with(ZIP_MAGIC) || head.starts_with(EMPTY_ZIP_MAGIC) {
        Content::Zip
    } else if is_tar_header(head) {
        Content::Tar
    } else if head.starts_with(b"From ")
        || matches!(place.ext.as_str(), "mbox" | "mbx" | "mbs")
        || place.beside_msf
    {
        Content::Mbox
    } else if looks_like_header_block(head) {
        Content::Message
    } else {
        Content::NotMail
    }
}

/// A zip archive's first local file header, and the end record that is all an empty zip holds.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";

/// Whether bytes start with a POSIX (`ustar\0`) or GNU (`ustar  \0`) tar header: the magic,
/// and the header's checksum (the sum of its bytes, the checksum field counted as spaces) as
/// the field states it in octal. The checksum keeps a mail whose text has `ustar` at byte 257
/// from being taken for an archive.
fn is_tar_header(head: &[u8]) -> bool {
    let Some(header) = head.get(..512) else {
        return false;
    };
    if &header[257..262] != b"ustar" {
        return false;
    }
    let field = &header[148..156];
    let digits = field.trim_ascii_start();
    let digits = &digits[..digits
        .iter()
        .position(|&b| b == 0 || b == b' ')
        .unwrap_or(digits.len())];
    let stated = std::str::from_utf8(digits)
        .ok()
        .and_then(|text| u32::from_str_radix(text, 8).ok());
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum::<u32>()
        - field.iter().map(|&b| u32::from(b)).sum::<u32>()
        + 8 * u32::from(b' ');
    stated == Some(sum)
}

fn open(path: &Path, origin: Origin, options: &SourceOptions) -> Opened {
    let locator = Locator::file(path);
    let mut name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if origin == Origin::Walked {
        if let Some(reason) = is_known_non_mail(&name) {
            return Opened::One(skipped(&locator, reason));
        }
    }
    let fail = |error: String| {
        Opened::One(Item::Error(SourceError {
            format: Format::Eml,
            locator: locator.clone(),
            error,
        }))
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) => return fail(format!("cannot open: {err}")),
    };
    let file_size = file.metadata().ok().map(|meta| meta.len() as usize);
    let opening = match read_body(
        file,
        file_size,
        &mut name,
        &options.bytes_read,
        &options.limits,
    ) {
        Ok(opening) => opening,
        Err(err) => return fail(format!("cannot read: {err}")),
    };
    let ext = extension(&name);
    let maildir = in_maildir(path);
    // A Thunderbird index beside the file marks an mbox; a `.eml` file or a Maildir message is
    // one message whatever lies beside it, so its sibling is not looked for.
    let beside_msf = ext != "eml" && !maildir && has_msf_sibling(path);
    let place = Place {
        locator,
        origin,
        ext,
        maildir,
        beside_msf,
    };
    // A tar archive is read again from its start on a thread of its own (see `archive`); what
    // was read here to recognise it is not counted twice.
    let counted = opening.counted;
    match recognise(&place, &opening.head) {
        // Office documents, e-books and software packages are zip or tar files too: in a
        // walked folder only archives named as such are opened.
        Content::Zip if origin == Origin::Walked && place.ext != "zip" => Opened::One(
            place.skipped("zip format but not named .zip (a document or package): not opened"),
        ),
        Content::Tar if origin == Origin::Walked && !matches!(place.ext.as_str(), "tar" | "tgz") => {
            Opened::One(place.skipped(
                "tar format but not named .tar, .tar.gz, .tgz or the like (a package): not opened",
            ))
        }
        Content::Zip if opening.compression.is_some() => Opened::One(place.error(
            Format::Zip,
            format!(
                "a zip archive inside {} cannot be read in one pass (zip lists its members at its end): decompress it first",
                opening.compression.map_or("", Compression::name)
            ),
        )),
        // A database read by seeking: decompressed to a temporary file first.
        Content::OutlookPst if opening.compression.is_some() => Opened::Stream(Box::new(
            pst::spooled(opening.body.into_reader(), place.locator, &options.limits),
        )),
        // The file is read afresh by seeking; what was read to recognise it is counted, and
        // the rest as the messages are read.
        Content::OutlookPst => Opened::Stream(Box::new(pst::messages(
            path.to_owned(),
            place.locator,
            &options.limits,
            options.bytes_read.clone(),
            counted,
        ))),
        Content::Zip => Opened::Stream(Box::new(archive::zip(
            path.to_owned(),
            place.locator,
            options.clone(),
        ))),
        Content::Tar => Opened::Stream(Box::new(archive::tar(
            path.to_owned(),
            place.locator,
            options.clone(),
            counted,
        ))),
        content => Opened::Stream(Box::new(members(content, &place, opening.body, options))),
    }
}

/// A file's items once its content is known: `Opened` and its messages, or why it has none.
fn members<R: BufRead>(
    content: Content,
    place: &Place,
    body: Body<R>,
    options: &SourceOptions,
) -> Members<R> {
    let limits = &options.limits;
    let opened = |item: Item| Members::Few(vec![Item::Opened, item].into_iter());
    match content {
        Content::Empty => {
            let named = place.origin == Origin::Named
                || place.maildir
                || matches!(place.ext.as_str(), "eml" | "emlx");
            Members::Few(
                vec![if named {
                    place.error(place.single_format(), "empty file, no message".to_owned())
                } else {
                    place.skipped("empty file")
                }]
                .into_iter(),
            )
        }
        Content::Emlx => {
            let item = match body {
                Body::Whole(bytes) => read_emlx(&bytes[..], &place.locator, limits),
                Body::Stream(reader) => read_emlx(reader, &place.locator, limits),
            };
            opened(item)
        }
        Content::OutlookMsg => {
            let bytes = match body {
                Body::Whole(bytes) => capped(bytes, limits.max_message_bytes),
                Body::Stream(reader) => read_capped(reader, limits.max_message_bytes),
            };
            opened(read_msg(bytes, &place.locator))
        }
        // A database read by seeking: copied out to a temporary file first.
        Content::OutlookPst => {
            let stream: Box<dyn Read + '_> = match body {
                Body::Whole(bytes) => Box::new(io::Cursor::new(bytes)),
                Body::Stream(reader) => Box::new(reader),
            };
            Members::Pst(Box::new(pst::spooled(
                stream,
                place.locator.clone(),
                limits,
            )))
        }
        Content::Zip | Content::Tar => Members::Few(
            vec![place.skipped(
                "an archive inside an archive is not opened: unpack the outer one to scan it",
            )]
            .into_iter(),
        ),
        Content::Mbox => {
            let (format, max) = (options.mbox_format, limits.max_message_bytes);
            let place = place.locator.clone();
            match body {
                Body::Whole(bytes) => Members::MboxBytes(
                    std::iter::once(Item::Opened)
                        .chain(MboxSplitter::over_bytes(bytes, place, format, max)),
                ),
                Body::Stream(reader) => Members::Mbox(
                    std::iter::once(Item::Opened)
                        .chain(MboxSplitter::new(reader, place, format, max)),
                ),
            }
        }
        Content::Message => {
            let bytes = match body {
                Body::Whole(bytes) => capped(bytes, limits.max_message_bytes),
                Body::Stream(reader) => read_capped(reader, limits.max_message_bytes),
            };
            opened(single(bytes, place))
        }
        Content::NotMail => {
            let named = place.origin == Origin::Named || place.maildir || place.ext == "eml";
            Members::Few(
                vec![if named {
                    place.error(
                        place.single_format(),
                        "not a mail message or mailbox: no header block and no From separator"
                            .to_owned(),
                    )
                } else {
                    place.skipped("not mail (no header block, no From separator)")
                }]
                .into_iter(),
            )
        }
    }
}

/// The items of one file: an mbox's, split as they are read, or a few made at once.
enum Members<R> {
    Mbox(std::iter::Chain<std::iter::Once<Item>, MboxSplitter<R>>),
    MboxBytes(std::iter::Chain<std::iter::Once<Item>, MboxSplitter<io::Empty>>),
    Few(std::vec::IntoIter<Item>),
    Pst(Box<pst::PstMessages>),
}

impl<R: BufRead> Iterator for Members<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        match self {
            Members::Mbox(items) => items.next(),
            Members::MboxBytes(items) => items.next(),
            Members::Few(items) => items.next(),
            Members::Pst(items) => items.next(),
        }
    }
}

/// A file's bytes: all of them already read (a small file), or a stream to read on.
enum Body<R> {
    Whole(Vec<u8>),
    Stream(R),
}

impl<'a> Body<Reader<'a>> {
    fn into_reader(self) -> Reader<'a> {
        match self {
            Body::Whole(bytes) => Box::new(io::Cursor::new(bytes)),
            Body::Stream(reader) => reader,
        }
    }
}

/// A buffered stream of a file's (decompressed) bytes.
type Reader<'a> = Box<dyn BufRead + 'a>;

/// A file opened for reading, with its first bytes for recognising the format.
struct Opening<'a> {
    body: Body<Reader<'a>>,
    head: Vec<u8>,
    /// The compression the bytes were decompressed from, if any.
    compression: Option<Compression>,
    /// Bytes of the file read so far.
    counted: u64,
}

/// Opens a file's (or an archive member's) contents for reading, decompressed when it is
/// compressed (then `name` loses its `.gz`, `.xz`…), with its first bytes for recognising the
/// format. Bytes read are added to `progress`. A file smaller than the read buffer is read whole, in one call into
/// a buffer of its size: no read buffer is filled and copied out again, and a single message is
/// handed on as it was read. Folders of `.eml` files and Maildirs are made of such files.
fn read_body<'a>(
    mut file: impl Read + 'a,
    file_size: Option<usize>,
    name: &mut String,
    progress: &Arc<AtomicU64>,
    limits: &Limits,
) -> io::Result<Opening<'a>> {
    let compressed_read = Arc::new(AtomicU64::new(0));
    let mut whole = None;
    if let Some(size) = file_size.filter(|&size| size < READ_BUFFER) {
        let mut bytes = Vec::with_capacity(size + 1);
        // At most the read buffer's size: a file that grew since its size was taken is read
        // on as a stream after these bytes.
        (&mut file)
            .take(READ_BUFFER as u64)
            .read_to_end(&mut bytes)?;
        progress.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        compressed_read.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if bytes.len() < READ_BUFFER && Compression::of(&bytes).is_none() {
            let head = bytes[..bytes.len().min(HEAD)].to_vec();
            return Ok(Opening {
                body: Body::Whole(bytes),
                head,
                compression: None,
                counted: compressed_read.load(Ordering::Relaxed),
            });
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
        count: progress.clone(),
        file_count: Some(compressed_read.clone()),
    };
    let mut reader: Reader<'a> = match whole {
        Some(bytes) => {
            Box::new(io::Cursor::new(bytes).chain(BufReader::with_capacity(buffer, counted)))
        }
        None => Box::new(BufReader::with_capacity(buffer, counted)),
    };
    let mut head = peek(&mut reader, HEAD)?;
    let compression = Compression::of(&head);
    if let Some(compression) = compression {
        *name = compression.strip_suffix(name);
        let decoder = compression.decoder(reader);
        let capped = CappedReader::new(decoder, limits, compressed_read.clone());
        reader = Box::new(BufReader::with_capacity(READ_BUFFER, capped));
        head = peek(&mut reader, HEAD)?;
    }
    Ok(Opening {
        body: Body::Stream(reader),
        head,
        compression,
        counted: compressed_read.load(Ordering::Relaxed),
    })
}

/// Bytes looked at to recognise a file's format (a tar header's magic lies at 257).
const HEAD: usize = 1024;

/// A single message read whole (or the reason it could not be), as the item it makes; a
/// Maildir message with the read flag its file name carries.
fn single(bytes: Result<Vec<u8>, String>, place: &Place) -> Item {
    let (locator, format) = (place.locator.clone(), place.single_format());
    let name = place.locator.entry.as_ref().unwrap_or(&place.locator.path);
    let read = place
        .maildir
        .then(|| crate::read_flag::maildir(name))
        .flatten();
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
            read,
        }),
        Err(error) => Item::Error(SourceError {
            format,
            locator,
            error,
        }),
    }
}

fn read_emlx(reader: impl Read, locator: &Locator, limits: &Limits) -> Item {
    let locator = locator.clone();
    // The plist after the message is small; allow a little room for it.
    let file = read_capped(reader, limits.max_message_bytes.saturating_add(1 << 20));
    let result =
        file.and_then(|file| emlx::parse(&file).map(|emlx| (emlx.message.to_vec(), emlx.read)));
    match result {
        Ok((bytes, read)) => Item::Message(RawMessage {
            locator,
            format: Format::Emlx,
            bytes: bytes.into(),
            warnings: Vec::new(),
            read,
        }),
        Err(error) => Item::Error(SourceError {
            format: Format::Emlx,
            locator,
            error,
        }),
    }
}

/// An Outlook message rebuilt as MIME (or why the file could not be read).
fn read_msg(file: Result<Vec<u8>, String>, locator: &Locator) -> Item {
    match file.and_then(|file| msg::rebuild(&file)) {
        Ok(rebuilt) => Item::Message(RawMessage {
            locator: locator.clone(),
            format: Format::Msg,
            bytes: rebuilt.message.into(),
            warnings: rebuilt.warnings,
            read: rebuilt.read,
        }),
        Err(error) => Item::Error(SourceError {
            format: Format::Msg,
            locator: locator.clone(),
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
fn peek(reader: &mut Reader<'_>, want: usize) -> io::Result<Vec<u8>> {
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

/// A zip archive is read from its end (where its member list is) and then member by member.
impl<R: io::Seek> io::Seek for CountingReader<R> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(to)
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

impl<R> CappedReader<R> {
    /// Caps what `inner` decompresses from the compressed bytes counted in `compressed`.
    fn new(inner: R, limits: &Limits, compressed: Arc<AtomicU64>) -> Self {
        CappedReader {
            inner,
            remaining: limits.max_decompressed_bytes,
            limit: limits.max_decompressed_bytes,
            produced: 0,
            compressed,
            max_ratio: limits.max_compression_ratio,
        }
    }
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

    #[test]
    fn a_tar_header_is_known_by_its_magic_and_checksum() {
        let mut header = tar::Header::new_ustar();
        header.set_path("mail/a.eml").unwrap();
        header.set_size(10);
        header.set_cksum();
        let tar = header.as_bytes().to_vec();
        assert!(is_tar_header(&tar));
        let mut gnu = tar::Header::new_gnu();
        gnu.set_path("mail/a.eml").unwrap();
        gnu.set_cksum();
        assert!(is_tar_header(gnu.as_bytes()));
        // One byte changed after the checksum was written.
        let mut damaged = tar.clone();
        damaged[0] = b'X';
        assert!(!is_tar_header(&damaged));
        // Mail that happens to say `ustar` at byte 257.
        let mut mail = b"From a@example.com Mon Jan  1 00:00:00 2024\nSubject: ".to_vec();
        mail.resize(257, b'x');
        mail.extend_from_slice(b"ustar and more text\n");
        mail.resize(600, b'y');
        assert!(!is_tar_header(&mail));
        assert!(!is_tar_header(&tar[..300]));
    }

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
            let Opening { body, head, .. } =
                read_body(file, size, &mut name, &options.bytes_read, &options.limits).unwrap();
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
        let Opening { body, .. } = read_body(
            file,
            Some(100),
            &mut name,
            &options.bytes_read,
            &options.limits,
        )
        .unwrap();
        let mut read = Vec::new();
        body.into_reader().read_to_end(&mut read).unwrap();
        assert_eq!(read, large);
    }
}
