//! Zip and tar archives — a Google Takeout download (`.zip` or `.tgz`), a zipped Maildir, a
//! tarred folder of `.eml` files — read member by member as if they had been unpacked into a
//! folder and walked: each member is recognised by its content and name like a walked file
//! (compressed members decompressed), members that are not mail are listed as skipped, and
//! nothing is written to disk. An archive inside an archive is not opened (it is listed as
//! skipped).
//!
//! Both crates lend each member's reader out of the archive for as long as it is read, so an
//! archive is read on a thread of its own, which hands its items over through a channel of a
//! few places: memory stays that of one message, and the scan goes on while it reads. Standard
//! input is read the same way, since it may be a tar stream.
//!
//! A zip's members are checked against one another as well as one by one: the compressed
//! bytes of the members read may not add up to more than the file holds. Members whose data
//! overlap (the densest zip bombs, many members inflating one shared stream) soon claim more;
//! with the check, the bytes inflated are bounded by the file's size times the ratio cap, as
//! for a compressed file.

use super::compression::{self, Compression};
use super::{
    extension, in_maildir, is_known_non_mail, members, read_body, recognise, skipped, CappedReader,
    Content, CountingReader, Format, Item, Origin, Place, SourceError, SourceOptions,
};
use crate::locator::{escape_bytes, Locator};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

/// Batches waiting between an archive's thread and the scan: enough to keep both busy, few
/// enough that the messages held stay a few MiB (see `Sink`).
const WAITING_BATCHES: usize = 2;

/// The items of one archive (or of standard input), read on a thread of their own.
pub(super) struct ArchiveItems {
    batches: Receiver<Vec<Item>>,
    batch: std::vec::IntoIter<Item>,
    reader: Option<JoinHandle<()>>,
    archive: Locator,
    format: Format,
}

/// Reads the zip archive at `path`.
pub(super) fn zip(path: PathBuf, archive: Locator, options: SourceOptions) -> ArchiveItems {
    // Progress counts the members' compressed bytes as they are read; the bytes read to
    // recognise the archive stand for its headers and member list.
    spawn(archive, Format::Zip, move |archive, sink| {
        read_zip(&path, archive, &options, sink)
    })
}

/// Reads the tar archive (plain or compressed) at `path`. `counted` bytes of it were read (and
/// counted for progress) to recognise it; they are read again here and not counted twice.
pub(super) fn tar(
    path: PathBuf,
    archive: Locator,
    options: SourceOptions,
    counted: u64,
) -> ArchiveItems {
    spawn(archive, Format::Tar, move |archive, sink| {
        options.bytes_read.fetch_sub(counted, Ordering::Relaxed);
        read_tar(&path, archive, &options, sink)
    })
}

/// Reads standard input, whatever it holds (an mbox, a message, either compressed, a tar
/// archive), as a file named on the command line is read. It is read on a thread of its own
/// like an archive, because a tar stream's members are lent out of it the same way.
pub(super) fn stdin(options: SourceOptions) -> ArchiveItems {
    let place = Locator::named("-".to_owned());
    spawn(place, Format::Eml, move |place, sink| {
        read_stdin(place, &options, sink)
    })
}

fn read_stdin(place: &Locator, options: &SourceOptions, sink: &mut Sink) -> Result<(), Gone> {
    let mut name = "-".to_owned();
    let stdin = io::stdin().lock();
    let opening = match read_body(stdin, None, &mut name, &options.bytes_read, &options.limits) {
        Ok(opening) => opening,
        Err(err) => return sink.error(place.clone(), format!("cannot read: {err}")),
    };
    let place = Place {
        locator: place.clone(),
        origin: Origin::Named,
        ext: String::new(),
        maildir: false,
        beside_msf: false,
    };
    match recognise(&place, &opening.head) {
        Content::Zip => sink.send(place.error(
            Format::Zip,
            "a zip archive cannot be read from standard input (zip lists its members at its end): name the file instead".to_owned(),
        )),
        Content::Tar => {
            // Errors about the stream are a tar archive's from here on.
            sink.format = Format::Tar;
            read_tar_stream(opening.body.into_reader(), &place.locator, options, sink)
        }
        content => {
            for item in members(content, &place, opening.body, options) {
                sink.send(item)?;
            }
            Ok(())
        }
    }
}

fn spawn(
    archive: Locator,
    format: Format,
    read: impl FnOnce(&Locator, &mut Sink) -> Result<(), Gone> + Send + 'static,
) -> ArchiveItems {
    let (sender, batches) = sync_channel(WAITING_BATCHES);
    let mut sink = Sink {
        sender,
        format,
        batch: Vec::with_capacity(BATCH_ITEMS),
        batch_bytes: 0,
    };
    let place = archive.clone();
    let reader = std::thread::Builder::new()
        .name("archive".to_owned())
        .spawn(move || {
            // `Gone`: the scan stopped listening (it ended early); nothing is left to tell.
            let _ = read(&place, &mut sink).and_then(|()| sink.flush());
        });
    let (reader, batches) = match reader {
        Ok(reader) => (Some(reader), batches),
        Err(err) => {
            let (sender, batches) = sync_channel(1);
            let _ = sender.send(vec![error(
                format,
                archive.clone(),
                format!("cannot start a thread to read the archive: {err}"),
            )]);
            (None, batches)
        }
    };
    ArchiveItems {
        batches,
        batch: Vec::new().into_iter(),
        reader,
        archive,
        format,
    }
}

impl Iterator for ArchiveItems {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.batch.next() {
                return Some(item);
            }
            match self.batches.recv() {
                Ok(batch) => self.batch = batch.into_iter(),
                Err(_) => break,
            }
        }
        // The thread has finished; if it failed, the members it had not reached are lost, and
        // the report says so rather than ending the archive quietly.
        let panicked = self.reader.take()?.join().is_err();
        panicked.then(|| {
            error(
                self.format,
                self.archive.clone(),
                "reading the archive stopped on an internal error; members after the last one reported are missing from the report".to_owned(),
            )
        })
    }
}

/// The scan no longer takes items: the archive's thread stops.
struct Gone;

/// Where an archive's thread sends its items: in batches, since handing each item of an
/// archive of small members to the scan on its own cost more in thread switches than reading it.
struct Sink {
    sender: SyncSender<Vec<Item>>,
    /// The format errors about the archive are reported as.
    format: Format,
    batch: Vec<Item>,
    /// Message bytes in `batch`.
    batch_bytes: usize,
}

/// A batch is handed over at this many items or message bytes, whichever comes first.
const BATCH_ITEMS: usize = 64;
const BATCH_BYTES: usize = 4 << 20;

impl Sink {
    fn send(&mut self, item: Item) -> Result<(), Gone> {
        if let Item::Message(message) = &item {
            self.batch_bytes += message.bytes.len();
        }
        self.batch.push(item);
        if self.batch.len() >= BATCH_ITEMS || self.batch_bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Gone> {
        self.batch_bytes = 0;
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_ITEMS));
        self.sender.send(batch).map_err(|_| Gone)
    }

    fn error(&mut self, locator: Locator, message: String) -> Result<(), Gone> {
        self.send(error(self.format, locator, message))
    }
}

fn error(format: Format, locator: Locator, error: String) -> Item {
    Item::Error(SourceError {
        format,
        locator,
        error,
    })
}

/// The archive's file, or `None` once the reason it cannot be opened is reported.
fn open_file(path: &Path, archive: &Locator, sink: &mut Sink) -> Result<Option<File>, Gone> {
    match File::open(path) {
        Ok(file) => Ok(Some(file)),
        Err(err) => {
            sink.error(archive.clone(), format!("cannot open: {err}"))?;
            Ok(None)
        }
    }
}

fn read_zip(
    path: &Path,
    archive: &Locator,
    options: &SourceOptions,
    sink: &mut Sink,
) -> Result<(), Gone> {
    let Some(file) = open_file(path, archive, sink)? else {
        return Ok(());
    };
    let file_size = file.metadata().map_or(u64::MAX, |meta| meta.len());
    // Compressed bytes the members read so far claim (see the module's comment).
    let mut claimed = 0u64;
    let mut buffer = vec![0; rawzip::RECOMMENDED_BUFFER_SIZE];
    let zip = match rawzip::ZipArchive::from_file(file, &mut buffer) {
        Ok(zip) => zip,
        Err(err) => {
            return sink.error(
                archive.clone(),
                format!("not a readable zip archive: {err}"),
            );
        }
    };
    let mut listed = zip.entries(&mut buffer);
    loop {
        let member = match listed.next_entry() {
            Ok(Some(member)) => member,
            Ok(None) => return Ok(()),
            Err(err) => {
                // The list of members is unreadable from here on: what follows is unknown.
                return sink.error(
                    archive.clone(),
                    format!("the zip's member list is damaged, members after this point were not read: {err}"),
                );
            }
        };
        if member.is_dir() {
            continue;
        }
        let name = escape_bytes(member.file_path().as_bytes());
        let locator = Locator::member(archive.path.clone(), name.clone());
        if member.mode().is_symlink() {
            sink.send(skipped(&locator, "symbolic link"))?;
            continue;
        }
        if member.flags().is_encrypted() {
            sink.error(
                locator,
                "encrypted member (password-protected): not read".to_owned(),
            )?;
            continue;
        }
        let method = member.compression_method();
        let size = member.uncompressed_size_hint();
        let entry = match zip.get_entry(member.wayfinder()) {
            Ok(entry) => entry,
            Err(err) => {
                sink.error(locator, format!("cannot read member: {err}"))?;
                continue;
            }
        };
        let (start, end) = entry.compressed_data_range();
        let with_this = claimed.saturating_add(end.saturating_sub(start));
        if with_this > file_size {
            let error = "its data overlaps other members' (the members claim more bytes than the zip holds; a zip bomb?): not read";
            sink.error(locator, error.to_owned())?;
            continue;
        }
        claimed = with_this;
        let compressed_read = Arc::new(AtomicU64::new(0));
        let compressed = CountingReader {
            inner: entry.reader(),
            count: options.bytes_read.clone(),
            file_count: Some(compressed_read.clone()),
        };
        let data = match unpacked(method, compressed, size) {
            Ok(data) => data,
            Err(error) => {
                sink.error(locator, error)?;
                continue;
            }
        };
        // The CRC and size the member list gives are checked as the last byte is read; the
        // member's compression is capped as a `.gz` file's is.
        let checked = entry.verifying_reader(data);
        let capped = CappedReader::new(checked, &options.limits, compressed_read);
        read_member(&name, locator, capped, Some(size), options, sink)?;
    }
}

/// A zip member's data as its compression method unpacks them, or why they cannot be read.
/// Info-ZIP's `zip -Z bzip2`, 7-Zip and Windows' own zip (Deflate64 for large files) write the
/// methods past deflate.
fn unpacked<'a>(
    method: rawzip::CompressionMethod,
    compressed: impl Read + 'a,
    size: u64,
) -> Result<Box<dyn Read + 'a>, String> {
    use rawzip::CompressionMethod as Method;
    Ok(match method {
        Method::STORE => Box::new(compressed),
        Method::DEFLATE => Box::new(flate2::read::DeflateDecoder::new(compressed)),
        Method::DEFLATE64 => Box::new(deflate64::Deflate64Decoder::new(compressed)),
        Method::BZIP2 => Compression::Bzip2.decoder(io::BufReader::new(compressed)),
        Method::XZ => Compression::Xz.decoder(io::BufReader::new(compressed)),
        Method::ZSTD | Method::ZSTD_DEPRECATED => Compression::Zstd.decoder(io::BufReader::new(compressed)),
        Method::LZMA => {
            compression::zip_lzma(compressed, size).map_err(|err| format!("cannot read: {err}"))?
        }
        other => {
            return Err(format!(
                "compression method {other} is not supported (stored, deflate, Deflate64, bzip2, LZMA, XZ and zstd are)"
            ))
        }
    })
}

fn read_tar(
    path: &Path,
    archive: &Locator,
    options: &SourceOptions,
    sink: &mut Sink,
) -> Result<(), Gone> {
    let Some(file) = open_file(path, archive, sink)? else {
        return Ok(());
    };
    let size = file.metadata().ok().map(|meta| meta.len() as usize);
    let mut name = String::new();
    match read_body(file, size, &mut name, &options.bytes_read, &options.limits) {
        Ok(opening) => read_tar_stream(opening.body.into_reader(), archive, options, sink),
        Err(err) => sink.error(archive.clone(), format!("cannot read: {err}")),
    }
}

/// Reads a tar archive's (decompressed) bytes member by member.
fn read_tar_stream(
    reader: impl Read,
    archive: &Locator,
    options: &SourceOptions,
    sink: &mut Sink,
) -> Result<(), Gone> {
    let mut tar = tar::Archive::new(reader);
    let listed = match tar.entries() {
        Ok(listed) => listed,
        Err(err) => {
            return sink.error(
                archive.clone(),
                format!("not a readable tar archive: {err}"),
            )
        }
    };
    for member in listed {
        let mut member = match member {
            Ok(member) => member,
            Err(err) => {
                // A tar archive has no list of members: past a bad header, nothing can be found.
                return sink.error(
                    archive.clone(),
                    format!("the tar archive is damaged or cut short, members after this point were not read: {err}"),
                );
            }
        };
        let kind = member.header().entry_type();
        let name = escape_bytes(&member.path_bytes());
        let locator = Locator::member(archive.path.clone(), name.clone());
        if kind.is_dir() || kind.is_pax_global_extensions() {
            continue;
        }
        if kind.is_symlink() || kind.is_hard_link() {
            sink.send(skipped(&locator, "link"))?;
            continue;
        }
        if !(kind.is_file() || kind.is_contiguous() || kind.is_gnu_sparse()) {
            sink.send(skipped(&locator, "not a regular file"))?;
            continue;
        }
        let size = member.size();
        read_member(&name, locator, &mut member, Some(size), options, sink)?;
    }
    Ok(())
}

/// Recognises one member of an archive and sends its items, as a walked file's would be.
fn read_member(
    name: &str,
    locator: Locator,
    reader: impl Read,
    size: Option<u64>,
    options: &SourceOptions,
    sink: &mut Sink,
) -> Result<(), Gone> {
    let path = Path::new(name);
    let mut file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(reason) = is_known_non_mail(&file_name) {
        return sink.send(skipped(&locator, reason));
    }
    // Maildir's `tmp/` holds messages still being delivered; in an archive the folders beside
    // it may come later or not at all, so any `tmp/` folder counts (and is listed, not lost).
    if path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|dir| dir == "tmp")
    {
        return sink.send(skipped(
            &locator,
            "in a tmp/ folder (Maildir: not yet delivered)",
        ));
    }
    let size = size.and_then(|size| usize::try_from(size).ok());
    // Member bytes are not counted for progress: the archive's own bytes are.
    let uncounted = Arc::new(AtomicU64::new(0));
    let opening = match read_body(reader, size, &mut file_name, &uncounted, &options.limits) {
        Ok(opening) => opening,
        Err(err) => return sink.error(locator, format!("cannot read member: {err}")),
    };
    let maildir = in_maildir(path);
    let place = Place {
        locator,
        origin: Origin::Walked,
        ext: extension(&file_name),
        maildir,
        beside_msf: false,
    };
    let content = recognise(&place, &opening.head);
    for item in members(content, &place, opening.body, options) {
        sink.send(item)?;
    }
    Ok(())
}
