//! Outlook data files (`.pst`): what Outlook exports a mailbox to, and what it keeps POP and
//! IMAP mail in. A `.pst` is a database of its own ([MS-PST]): B-trees of nodes and blocks, and
//! on them folders and messages as sets of MAPI properties. The `outlook-pst` crate reads the
//! nodes, blocks, folders and tables (through `pst_ndb`, in the Unicode format of Outlook 2003
//! on or the ANSI one of Outlook 97 to 2002); this module walks the folders from the root, reads each
//! message's properties (`pst_props`, which also opens attachments and attached messages) and
//! hands them to [`mapi::rebuild`], which makes the MIME message the scan reads. Messages are
//! read one at a time, as the scan asks for them; a property that cannot be read is a warning
//! on its message, a message or folder that cannot be read an error entry placed by its folder
//! path and node id.
//!
//! A file is anyone's bytes, and the reader was written for Outlook's own files, so it is kept
//! on a leash:
//! - every read it makes goes through [`Guarded`], which stops it after a budget of bytes per
//!   message or folder, and stops it when it has recursed too deep (a B-tree page or subnode
//!   tree that names itself as its own child would otherwise recurse until the stack
//!   overflows: each step reads the file again, so the reads are where it can be stopped);
//! - data trees are walked by `pst_props`, not by the crate, within a depth and a size;
//! - a panic in it costs the message or folder being read, not the scan;
//! - its page caches grow with the pages it has seen, so the file is opened afresh every
//!   [`REOPEN_EVERY`] messages.

use super::mapi::{self, Text};
use super::pst_ndb::{Ndb, RawNode};
use super::pst_props::{ptyp, PropertyContext};
use super::{Format, Item, RawMessage, SourceError};
use crate::contain::contain;
use crate::limits::Limits;
use crate::locator::Locator;
use outlook_pst::ltp::prop_context::PropertyValue;
use outlook_pst::ltp::table_context::TableContext;
use outlook_pst::ndb::node_id::{NodeId, NodeIdType};
use std::cell::{Cell, OnceCell};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A `.pst` (or `.ost`) file's first four bytes.
pub const PST_MAGIC: &[u8] = b"!BDN";

/// The root folder's node id ([MS-PST] `NID_ROOT_FOLDER`): every folder is below it.
const ROOT_FOLDER: u32 = 0x122;

/// Messages read before the file is opened afresh (see the module's notes).
const REOPEN_EVERY: usize = 2_000;

/// Stack the reader may use below where a message or folder read starts. Outlook's files nest
/// a few levels; the scan's reading thread has 2 MiB.
const MAX_READER_STACK: usize = 256 * 1024;

/// Recipients and attachments listed per message, at most.
const MAX_ROWS: usize = 4_096;

/// Folders read per file, at most.
const MAX_FOLDERS: usize = 100_000;

/// The messages of the `.pst` at `path`, as items (an error entry for each message or folder
/// that cannot be read).
///
/// `progress` is the scan's count of bytes read; `counted` of this file's are in it already.
pub fn messages(
    path: PathBuf,
    locator: Locator,
    limits: &Limits,
    progress: Arc<AtomicU64>,
    counted: u64,
) -> PstMessages {
    PstMessages {
        file: PstFile::Named(path),
        progress: Rc::new(Progress {
            total: progress,
            counted: Cell::new(counted),
            size: Cell::new(counted),
        }),
        locator,
        max_message: limits.max_message_bytes,
        opened: None,
        folders: vec![(ROOT_FOLDER, String::new())],
        messages: VecDeque::new(),
        folder_path: String::new(),
        visited: HashSet::new(),
        pending: VecDeque::new(),
        since_open: 0,
        started: false,
        done: false,
    }
}

/// The file a `PstMessages` reads: as named, or the temporary copy of a stream, removed when
/// the messages are dropped.
enum PstFile {
    Named(PathBuf),
    Copy(tempfile::TempPath),
}

pub struct PstMessages {
    file: PstFile,
    progress: Rc<Progress>,
    /// The file: its path, and its name in the archive that holds it, if one does.
    locator: Locator,
    max_message: usize,
    opened: Option<Opened>,
    /// Folders still to read: node id, and the path of the folder holding it.
    folders: Vec<(u32, String)>,
    /// The current folder's messages still to read.
    messages: VecDeque<u32>,
    folder_path: String,
    /// Folders read or queued, so that a hierarchy naming a folder twice reads it once.
    visited: HashSet<u32>,
    /// Skipped folders and errors noticed while reading a folder, handed on before its
    /// messages.
    pending: VecDeque<Item>,
    since_open: usize,
    started: bool,
    done: bool,
}

struct Opened {
    ndb: Rc<Ndb>,
    guard: Rc<Guard>,
}

impl Iterator for PstMessages {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if !self.started {
            self.started = true;
            return Some(Item::Opened);
        }
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            if self.opened.is_none() || self.since_open >= REOPEN_EVERY {
                self.since_open = 0;
                match self.open() {
                    Ok(opened) => self.opened = Some(opened),
                    Err(error) => {
                        self.finish();
                        return Some(self.error(self.locator.clone(), error));
                    }
                }
            }
            if let Some(node) = self.messages.pop_front() {
                self.since_open += 1;
                return Some(self.message(node));
            }
            let Some((folder, parent)) = self.folders.pop() else {
                self.finish();
                return None;
            };
            if let Err(error) = self.enter(folder, &parent) {
                let entry = join(&parent, &format!("{folder:#x}"));
                return Some(self.error(self.inside(entry), error));
            }
        }
    }
}

/// The messages of a `.pst` that comes as a stream: decompressed from a `.pst.gz`, a member of
/// a zip or tar archive, or standard input. The file is a database read by seeking, so the
/// stream is first copied to a temporary file (in the system's temporary folder, `TMPDIR`),
/// which is removed when its messages are done. The copy stops at `max_temporary_copy_bytes`
/// (the file is then an error entry), and a compressed stream's size and ratio are checked by
/// its decompressor as for any other file. The stream's bytes were counted as they were read;
/// `locator` names the file (with `entry`, the archive member).
pub fn spooled(mut stream: impl Read, locator: Locator, limits: &Limits) -> PstMessages {
    let uncounted = Arc::new(AtomicU64::new(0));
    let mut messages = messages(PathBuf::new(), locator, limits, uncounted, 0);
    // Named nothing until the copy is made; a copy that fails ends the messages first.
    // A version the reader does not know is told before gigabytes are copied for nothing.
    let mut header = [0u8; HEADER];
    let cap = limits.max_temporary_copy_bytes;
    let copied = match stream.read_exact(&mut header) {
        Err(err) => Err(format!("not a readable Outlook data file: {err}")),
        Ok(()) => is_ansi(&header).and_then(|_| {
            let mut spool = tempfile::NamedTempFile::new().map_err(cannot_copy)?;
            spool.write_all(&header).map_err(cannot_copy)?;
            let rest = cap.saturating_sub(HEADER as u64).saturating_add(1);
            let copied = io::copy(&mut (&mut stream).take(rest), &mut spool);
            if copied.map_err(cannot_copy)? == rest {
                return Err(format!(
                    "larger than the {cap}-byte cap on a temporary copy (max_temporary_copy_bytes, \
                     raised with --limit); unpack the file to scan it"
                ));
            }
            Ok(spool.into_temp_path())
        }),
    };
    match copied {
        Ok(copy) => messages.file = PstFile::Copy(copy),
        Err(error) => {
            let entry = messages.error(messages.locator.clone(), error);
            messages.pending.push_back(entry);
            messages.done = true;
        }
    }
    messages
}

fn cannot_copy(err: io::Error) -> String {
    format!("could not copy it to a temporary file to read it: {err}")
}

/// The header bytes that tell a file's format.
const HEADER: usize = 12;

/// Whether the header is an ANSI file's (or a Unicode one's), by its `wVer`: 14 and 15 are the
/// ANSI files of Outlook 97 to 2002 (32-bit ids), 23 the Unicode files of later versions, 36
/// the offline (.ost) files of Outlook 2013 on, with 4 KiB pages, which the reader does not
/// know.
fn is_ansi(header: &[u8; HEADER]) -> Result<bool, String> {
    match u16::from_le_bytes([header[10], header[11]]) {
        14 | 15 => Ok(true),
        23 => Ok(false),
        version => Err(format!(
            "an Outlook data file of version {version} (an offline .ost of Outlook 2013 or later?): not read"
        )),
    }
}

impl PstMessages {
    /// The place of a folder or message in the file: `entry` is its folder path (and node),
    /// after the archive member's name and a `!` when the file is one.
    fn inside(&self, entry: String) -> Locator {
        let entry = match &self.locator.entry {
            Some(member) => [member.as_str(), "!", &entry].concat(),
            None => entry,
        };
        Locator::member(self.locator.path.clone(), entry)
    }

    /// The file is done with: all of its bytes count as read, whatever the reader skipped.
    fn finish(&mut self) {
        self.done = true;
        self.progress.count(u64::MAX);
    }

    fn open(&self) -> Result<Opened, String> {
        let path: &Path = match &self.file {
            PstFile::Named(path) => path,
            PstFile::Copy(copy) => copy,
        };
        let mut file = File::open(path).map_err(|err| format!("cannot open: {err}"))?;
        let size = file.metadata().map(|meta| meta.len()).unwrap_or(0);
        self.progress.size.set(size);
        let mut header = [0u8; HEADER];
        file.read_exact(&mut header)
            .map_err(|err| format!("not a readable Outlook data file: {err}"))?;
        let ansi = is_ansi(&header)?;
        file.seek(SeekFrom::Start(0))
            .map_err(|err| format!("cannot read: {err}"))?;
        let guard = Rc::new(Guard {
            budget: Cell::new(0),
            stack_base: Cell::new(0),
            progress: self.progress.clone(),
        });
        // Opening reads the header and the B-trees' roots: a budget of its own.
        guard.start(1 << 20);
        let reader = Guarded {
            // The reader seeks before almost every read (a 512-byte page, a block of up to
            // 8 KiB), and a seek empties the buffer: a small one is refilled for less.
            inner: BufReader::with_capacity(1 << 12, file),
            guard: guard.clone(),
            size,
        };
        let ndb = contain(|| Ndb::open(Box::new(reader), ansi))
            .map_err(|panic| {
                format!("the Outlook data file is malformed (its reader gave up: {panic})")
            })?
            .map_err(|err| format!("not a readable Outlook data file: {err}"))?;
        Ok(Opened {
            ndb: Rc::new(ndb),
            guard,
        })
    }

    /// Reads a folder: queues its subfolders and lists its messages, unless it is a folder of
    /// contacts, appointments or the like, which is listed as skipped.
    fn enter(&mut self, folder: u32, parent: &str) -> Result<(), String> {
        let opened = self
            .opened
            .as_ref()
            .expect("opened before folders are read");
        let ndb = opened.ndb.clone();
        // A folder's tables list a row per message; 48 bytes a row is generous.
        opened.guard.start(64 << 20);
        let (name, class, children, messages) = contain(|| {
            let folder = ndb.folder(folder)?;
            let name = folder.properties().display_name().unwrap_or_default();
            let class = match folder.properties().get(CONTAINER_CLASS) {
                Some(PropertyValue::Unicode(class)) => String::from_utf16_lossy(class.buffer()),
                Some(PropertyValue::String8(class)) => {
                    String::from_utf8_lossy(class.buffer()).into_owned()
                }
                _ => String::new(),
            };
            let children = row_ids(folder.hierarchy_table(), NodeIdType::NormalFolder);
            let messages = row_ids(folder.contents_table(), NodeIdType::NormalMessage);
            io::Result::Ok((name, class, children, messages))
        })
        .map_err(|panic| {
            // A panic inside the reader may leave its file lock poisoned: open afresh.
            self.opened = None;
            format!("the folder is malformed (the reader gave up: {panic})")
        })?
        .map_err(|err| format!("the folder could not be read: {err}"))?;
        // The root folder has no name of its own; the folders below it make the paths.
        self.folder_path = if folder == ROOT_FOLDER {
            String::new()
        } else {
            join(parent, &name)
        };
        let locator = self.inside(self.folder_path.clone());
        for child in children.into_iter().rev() {
            if self.visited.len() >= MAX_FOLDERS {
                // Said once, where the first folder was left.
                if self.visited.insert(ROOT_FOLDER) {
                    let error = format!("more than {MAX_FOLDERS} folders: the rest were not read");
                    self.pending.push_back(self.error(locator.clone(), error));
                }
                break;
            }
            if child != ROOT_FOLDER && self.visited.insert(child) {
                self.folders.push((child, self.folder_path.clone()));
            }
        }
        let class = class.trim_end_matches('\0');
        match not_mail(class) {
            Some(kind) if !messages.is_empty() => {
                let reason = format!(
                    "a folder of {kind} ({class}), not mail: its {} items were not read",
                    messages.len()
                );
                self.pending.push_back(super::skipped(&locator, &reason));
            }
            Some(_) => {}
            None => self.messages = messages.into(),
        }
        Ok(())
    }

    /// One message, rebuilt as MIME, or the error entry that says why it cannot be read.
    fn message(&mut self, node: u32) -> Item {
        let locator = self.inside(join(&self.folder_path, &format!("{node:#x}")));
        let opened = self
            .opened
            .as_ref()
            .expect("opened before messages are read");
        // What a message within the cap reads: its values (which the rebuilt message holds,
        // in base64 at that), and the heaps, trees and pages that lead to them. A file whose
        // blocks are shared or looped reads no more than this before its message is an error
        // entry, and what it holds in memory is bounded with it.
        opened.guard.start(self.max_message as u64 + (16 << 20));
        let ndb = opened.ndb.clone();
        let rebuilt = contain(|| {
            let message = PropertyContext::read(&ndb, ndb.node(node)?)?;
            let mut reader = PstProperties {
                ndb,
                warnings: Vec::new(),
            };
            let (bytes, read) = mapi::rebuild(&mut reader, &Object::Context(message));
            io::Result::Ok((bytes, read, reader.warnings))
        });
        let (bytes, read, warnings) = match rebuilt {
            Ok(Ok(rebuilt)) => rebuilt,
            Ok(Err(err)) => {
                return self.error(locator, format!("the message could not be read: {err}"))
            }
            Err(panic) => {
                // A panic inside the reader may leave its file lock poisoned: open afresh.
                self.opened = None;
                return self.error(
                    locator,
                    format!("the message is malformed (the reader gave up: {panic})"),
                );
            }
        };
        if bytes.len() > self.max_message {
            let cap = self.max_message;
            return self.error(
                locator,
                format!("message exceeds the {cap}-byte message size cap"),
            );
        }
        Item::Message(RawMessage {
            locator,
            format: Format::Pst,
            bytes: bytes.into(),
            warnings,
            read,
        })
    }

    fn error(&self, locator: Locator, error: String) -> Item {
        Item::Error(SourceError {
            format: Format::Pst,
            locator,
            error,
        })
    }
}

/// `PR_CONTAINER_CLASS`: what a folder holds (`IPF.Note` for mail).
const CONTAINER_CLASS: u16 = 0x3613;

/// What a folder of `class` holds, if it is not mail: Outlook's calendars, contacts, tasks,
/// notes and journal live in the same file, as items the scan has no use for.
fn not_mail(class: &str) -> Option<&'static str> {
    const KINDS: &[(&str, &str)] = &[
        ("IPF.Appointment", "appointments"),
        ("IPF.Contact", "contacts"),
        ("IPF.Task", "tasks"),
        ("IPF.StickyNote", "notes"),
        ("IPF.Journal", "journal entries"),
    ];
    KINDS.iter().find_map(|&(prefix, kind)| {
        let named = crate::ascii::starts_with_ignore_case(class, prefix);
        let whole = class
            .as_bytes()
            .get(prefix.len())
            .is_none_or(|&b| b == b'.');
        (named && whole).then_some(kind)
    })
}

/// `parent/name`, or `name` at the top.
fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}/{name}")
    }
}

/// The node ids of a table's rows that are of `kind` (a folder's subfolders or messages).
fn row_ids(table: Option<&Rc<dyn TableContext>>, kind: NodeIdType) -> Vec<u32> {
    let Some(table) = table else {
        return Vec::new();
    };
    table
        .rows_matrix()
        .map(|row| u32::from(row.id()))
        .filter(|&id| NodeId::from(id).id_type().is_ok_and(|found| found == kind))
        .collect()
}

/// A row of a table (a recipient, an attachment): its columns by property id.
fn row_values(table: &Rc<dyn TableContext>) -> Vec<(u32, BTreeMap<u16, PropertyValue>)> {
    let context = table.context();
    table
        .rows_matrix()
        .take(MAX_ROWS)
        .map(|row| {
            let mut values = BTreeMap::new();
            if let Ok(columns) = row.columns(context) {
                for (column, value) in context.columns().iter().zip(columns) {
                    let Some(value) = value else { continue };
                    if let Ok(value) = table.read_column(&value, column.prop_type()) {
                        values.insert(column.prop_id(), value);
                    }
                }
            }
            (u32::from(row.id()), values)
        })
        .collect()
}

/// What the reader has been allowed, shared by the file's reader and this module.
struct Guard {
    /// Bytes the reader may still read for the message or folder being read.
    budget: Cell<u64>,
    /// Where the stack stood when the read started.
    stack_base: Cell<usize>,
    progress: Rc<Progress>,
}

/// The file's share of the scan's bytes read. The reader reads some pages more than once and
/// skips free space, so what it reads is counted up to the file's size, and the rest when the
/// file is done with.
struct Progress {
    total: Arc<AtomicU64>,
    counted: Cell<u64>,
    size: Cell<u64>,
}

impl Progress {
    fn count(&self, read: u64) {
        let add = read.min(self.size.get().saturating_sub(self.counted.get()));
        self.counted.set(self.counted.get() + add);
        self.total.fetch_add(add, Ordering::Relaxed);
    }
}

impl Guard {
    /// A message or folder read begins here, with `budget` bytes to read.
    fn start(&self, budget: u64) {
        self.budget.set(budget);
        self.stack_base.set(stack_position());
    }
}

/// Roughly where the stack stands: the address of a local. The stack grows down, so the
/// distance from an earlier position is how deep the calls in between have gone.
#[inline(never)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The file as the `.pst` reader sees it, within the guard's budget and depth.
struct Guarded<R> {
    inner: R,
    guard: Rc<Guard>,
    size: u64,
}

impl<R> Guarded<R> {
    fn check(&self) -> io::Result<()> {
        let depth = self.guard.stack_base.get().saturating_sub(stack_position());
        if depth > MAX_READER_STACK {
            return Err(io::Error::other(
                "its structure nests deeper than an Outlook file's (a loop?)",
            ));
        }
        if self.guard.budget.get() == 0 {
            return Err(io::Error::other(
                "it reads more data than it could hold (a loop, or shared blocks?)",
            ));
        }
        Ok(())
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.check()?;
        let budget = self.guard.budget.get();
        let want = buf.len().min(usize::try_from(budget).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..want])?;
        self.guard.budget.set(budget - read as u64);
        self.guard.progress.count(read as u64);
        Ok(read)
    }
}

impl<R: Seek> Seek for Guarded<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.check()?;
        if let SeekFrom::Start(offset) = to {
            if offset > self.size {
                return Err(io::Error::other(format!(
                    "it points past its end (offset {offset} of {} bytes)",
                    self.size
                )));
            }
        }
        self.inner.seek(to)
    }
}

/// A message, recipient or attachment of the file.
enum Object {
    /// A message (in a folder, or attached to another): its property context.
    Context(PropertyContext),
    /// An attachment, opened when its properties are first asked for.
    Attachment {
        node: RawNode,
        context: OnceCell<Option<PropertyContext>>,
    },
    /// A recipient: a row of its message's recipient table.
    Row(BTreeMap<u16, PropertyValue>),
}

/// A property's value, as the file keeps it.
enum Value<'a> {
    /// Type and bytes, from a property context.
    Raw(u16, Vec<u8>),
    /// From a table row, as the crate reads it.
    Cell(&'a PropertyValue),
}

/// The recipient and attachment tables' node ids in a message's subnodes.
const RECIPIENT_TABLE: u32 = 0x692;
const ATTACHMENT_TABLE: u32 = 0x671;

struct PstProperties {
    ndb: Rc<Ndb>,
    warnings: Vec<String>,
}

impl PstProperties {
    /// A message's or attachment's property context; an attachment's is read when first
    /// asked for.
    fn context<'a>(&mut self, object: &'a Object) -> Option<&'a PropertyContext> {
        match object {
            Object::Context(context) => Some(context),
            Object::Attachment { node, context } => context
                .get_or_init(|| match PropertyContext::read(&self.ndb, *node) {
                    Ok(context) => Some(context),
                    Err(err) => {
                        self.warnings
                            .push(format!("an attachment could not be read: {err}"));
                        None
                    }
                })
                .as_ref(),
            Object::Row(_) => None,
        }
    }

    fn value<'a>(&mut self, object: &'a Object, id: u16) -> Option<Value<'a>> {
        if let Object::Row(row) = object {
            return row.get(&id).map(Value::Cell);
        }
        match self.context(object)?.value(&self.ndb, id) {
            Ok(value) => value.map(|(kind, bytes)| Value::Raw(kind, bytes)),
            Err(err) => {
                self.warnings
                    .push(format!("property {id:#06x} could not be read: {err}"));
                None
            }
        }
    }

    /// A table in a message's subnodes, as (row id, columns) rows.
    fn table(&mut self, message: &Object, id: u32) -> Vec<(u32, BTreeMap<u16, PropertyValue>)> {
        let Object::Context(context) = message else {
            return Vec::new();
        };
        let Some(node) = context.subnodes.get(&id) else {
            return Vec::new();
        };
        match self.ndb.table(id, *node) {
            Ok(table) => row_values(&table),
            Err(err) => {
                self.warnings.push(format!(
                    "a recipient or attachment table could not be read: {err}"
                ));
                Vec::new()
            }
        }
    }
}

impl mapi::Properties for PstProperties {
    type Object = Object;

    fn text(&mut self, object: &Object, id: u16) -> Option<Text> {
        match self.value(object, id)? {
            Value::Raw(ptyp::STRING, bytes) => Some(Text::from_utf16le(&bytes)),
            Value::Raw(ptyp::STRING8, bytes) => Some(Text::Bytes(bytes)),
            Value::Cell(PropertyValue::Unicode(text)) => {
                Some(Text::Unicode(String::from_utf16_lossy(text.buffer())))
            }
            Value::Cell(PropertyValue::String8(text)) => Some(Text::Bytes(text.buffer().to_vec())),
            _ => None,
        }
    }

    fn binary(&mut self, object: &Object, id: u16) -> Option<Vec<u8>> {
        match self.value(object, id)? {
            Value::Raw(ptyp::BINARY, bytes) => Some(bytes),
            Value::Cell(PropertyValue::Binary(bytes)) => Some(bytes.buffer().to_vec()),
            _ => None,
        }
    }

    fn integer(&mut self, object: &Object, id: u16) -> Option<u64> {
        match self.value(object, id)? {
            Value::Raw(kind, bytes) => {
                let width = match kind {
                    ptyp::INTEGER16 => 2,
                    ptyp::INTEGER32 | ptyp::ERROR => 4,
                    ptyp::BOOLEAN => 1,
                    ptyp::INTEGER64 | ptyp::TIME => 8,
                    _ => return None,
                };
                let mut value = [0u8; 8];
                value[..width].copy_from_slice(bytes.get(..width)?);
                Some(u64::from_le_bytes(value))
            }
            Value::Cell(value) => Some(match *value {
                PropertyValue::Integer16(value) => u64::from(value as u16),
                PropertyValue::Integer32(value) => u64::from(value as u32),
                PropertyValue::Integer64(value) | PropertyValue::Time(value) => value as u64,
                PropertyValue::Boolean(value) => u64::from(value),
                _ => return None,
            }),
        }
    }

    fn recipients(&mut self, message: &Object) -> Vec<Object> {
        self.table(message, RECIPIENT_TABLE)
            .into_iter()
            .map(|(_, row)| Object::Row(row))
            .collect()
    }

    fn attachments(&mut self, message: &Object) -> Vec<Object> {
        let Object::Context(context) = message else {
            return Vec::new();
        };
        // Each row's id is the attachment's node among the message's subnodes.
        let rows = self.table(message, ATTACHMENT_TABLE);
        rows.into_iter()
            .filter_map(|(id, _)| context.subnodes.get(&id))
            .map(|&node| Object::Attachment {
                node,
                context: OnceCell::new(),
            })
            .collect()
    }

    fn embedded(&mut self, attachment: &Object) -> Option<Object> {
        let (_, embedded) = self.context(attachment)?.object(mapi::ATTACH_DATA)?;
        match PropertyContext::read(&self.ndb, embedded) {
            Ok(message) => Some(Object::Context(message)),
            Err(err) => {
                self.warnings
                    .push(format!("an attached message could not be read: {err}"));
                None
            }
        }
    }

    fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_calendars_and_contacts_are_not_mail() {
        assert_eq!(not_mail("IPF.Contact"), Some("contacts"));
        assert_eq!(not_mail("IPF.Contact.MOC.QuickContacts"), Some("contacts"));
        assert_eq!(not_mail("ipf.appointment"), Some("appointments"));
        assert_eq!(not_mail("IPF.StickyNote"), Some("notes"));
        assert_eq!(not_mail("IPF.Note"), None);
        assert_eq!(not_mail("IPF.Note.OutlookHomepage"), None);
        assert_eq!(not_mail("IPF.Imap"), None);
        assert_eq!(not_mail("IPF.Tasks2"), None);
        assert_eq!(not_mail(""), None);
    }
}
