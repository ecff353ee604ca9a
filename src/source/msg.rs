//! Outlook `.msg` files: a message saved or dragged out of Outlook, and what users send a
//! security team when they report a phishing mail. A `.msg` is a Compound File (the container
//! of old Office documents) of MAPI properties, one stream each, named `__substg1.0_IIIITTTT`
//! for property id `IIII` of type `TTTT` ([MS-OXMSG]); fixed-size properties sit together in
//! each storage's `__properties_version1.0` stream. Recipients and attachments are storages of
//! their own, and an embedded message is a storage inside its attachment's. This module finds
//! the properties; [`mapi::rebuild`] makes the MIME message.

use super::mapi::{self, Text};
use std::io::{Cursor, Read};

pub use super::mapi::COMPOUND_FILE_MAGIC;

/// A `.msg` file rebuilt as MIME, with what was noticed on the way.
#[derive(Debug)]
pub struct Rebuilt {
    pub message: Vec<u8>,
    pub warnings: Vec<String>,
    /// Whether Outlook had marked the message read (`PR_MESSAGE_FLAGS`, bit `MSGFLAG_READ`).
    pub read: Option<bool>,
}

/// Rebuilds the Outlook message in `bytes`. An error says why the file cannot be read.
pub fn rebuild(bytes: &[u8]) -> Result<Rebuilt, String> {
    // The container reader checks the structure it walks, but a file is anyone's bytes: a
    // panic in it must cost this file, not the scan.
    crate::contain::contain(|| rebuild_file(bytes)).unwrap_or_else(|panic| {
        Err(format!(
            "the compound file is malformed (its reader gave up: {panic})"
        ))
    })
}

/// An enclosed message that is an Outlook compound file, rebuilt; `None` for any other bytes
/// (which are MIME already).
pub fn rebuild_if_outlook(bytes: &[u8]) -> Option<Result<Rebuilt, String>> {
    bytes
        .starts_with(COMPOUND_FILE_MAGIC)
        .then(|| rebuild(bytes))
}

fn rebuild_file(bytes: &[u8]) -> Result<Rebuilt, String> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|err| format!("not a readable compound file: {err}"))?;
    let mut msg = Msg {
        file,
        limit: bytes.len() as u64,
        // Each stream is read once.
        unread: 2 * bytes.len() as u64 + (1 << 20),
        properties: None,
        warnings: Vec::new(),
    };
    if !msg.file.is_stream("/__properties_version1.0") {
        return Err(
            "a compound file without message properties (an Office document?), not an Outlook message"
                .to_owned(),
        );
    }
    let top = Storage {
        path: "/".to_owned(),
        header_len: TOP_LEVEL_HEADER,
    };
    let (message, read) = mapi::rebuild(&mut msg, &top);
    Ok(Rebuilt {
        message,
        warnings: msg.warnings,
        read,
    })
}

/// Bytes before the first property entry in `__properties_version1.0`: 32 for the file's own
/// message, 24 for an attached message, 8 for a recipient or an attachment.
const TOP_LEVEL_HEADER: usize = 32;
const EMBEDDED_HEADER: usize = 24;
const RECIPIENT_OR_ATTACHMENT_HEADER: usize = 8;

/// A message, recipient or attachment: a storage of the file.
struct Storage {
    path: String,
    /// The length of its properties table's header.
    header_len: usize,
}

struct Msg<'a> {
    file: cfb::CompoundFile<Cursor<&'a [u8]>>,
    /// No stream is read past the file's own size.
    limit: u64,
    /// Bytes the streams still read may hold between them (see `stream`).
    unread: u64,
    /// The last fixed-size properties table read, with its path (see `integer`).
    properties: Option<(String, Vec<u8>)>,
    warnings: Vec<String>,
}

impl mapi::Properties for Msg<'_> {
    type Object = Storage;

    fn text(&mut self, storage: &Storage, id: u16) -> Option<Text> {
        if let Some(bytes) = self.stream(&property_path(&storage.path, id, "001F")) {
            return Some(Text::from_utf16le(&bytes));
        }
        self.stream(&property_path(&storage.path, id, "001E"))
            .map(Text::Bytes)
    }

    fn binary(&mut self, storage: &Storage, id: u16) -> Option<Vec<u8>> {
        self.stream(&property_path(&storage.path, id, "0102"))
    }

    /// A fixed-size property's 8 value bytes, read as a little-endian number, from the
    /// storage's `__properties_version1.0` stream (16 bytes per property after its header).
    /// The storage's table is read once and kept while its properties are looked up.
    fn integer(&mut self, storage: &Storage, id: u16) -> Option<u64> {
        let path = format!(
            "{}/__properties_version1.0",
            storage.path.trim_end_matches('/')
        );
        if self
            .properties
            .as_ref()
            .is_none_or(|(kept, _)| *kept != path)
        {
            let table = self.stream(&path).unwrap_or_default();
            self.properties = Some((path, table));
        }
        let (_, table) = self.properties.as_ref()?;
        table
            .get(storage.header_len..)?
            .chunks_exact(16)
            .find_map(|entry| {
                let tag = u32::from_le_bytes(entry[..4].try_into().ok()?);
                let value: [u8; 8] = entry[8..16].try_into().ok()?;
                ((tag >> 16) as u16 == id).then_some(u64::from_le_bytes(value))
            })
    }

    fn recipients(&mut self, message: &Storage) -> Vec<Storage> {
        self.children(&message.path, "__recip_version1.0_#")
    }

    fn attachments(&mut self, message: &Storage) -> Vec<Storage> {
        self.children(&message.path, "__attach_version1.0_#")
    }

    fn embedded(&mut self, attachment: &Storage) -> Option<Storage> {
        let embedded = format!(
            "{}/__substg1.0_{:04X}000D",
            attachment.path,
            mapi::ATTACH_DATA
        );
        self.file.is_storage(&embedded).then_some(Storage {
            path: embedded,
            header_len: EMBEDDED_HEADER,
        })
    }

    fn warn(&mut self, warning: String) {
        self.warnings.push(warning);
    }
}

impl Msg<'_> {
    /// The storages directly in `storage` whose names start with `prefix`, in name order.
    fn children(&self, storage: &str, prefix: &str) -> Vec<Storage> {
        let Ok(entries) = self.file.read_storage(storage) else {
            return Vec::new();
        };
        let mut paths: Vec<String> = entries
            .filter(|entry| entry.is_storage() && entry.name().starts_with(prefix))
            .map(|entry| entry.path().to_string_lossy().into_owned())
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| Storage {
                path,
                header_len: RECIPIENT_OR_ATTACHMENT_HEADER,
            })
            .collect()
    }

    /// A stream's bytes, if it exists and can be read.
    fn stream(&mut self, path: &str) -> Option<Vec<u8>> {
        if !self.file.is_stream(path) {
            return None;
        }
        let stream = self.file.open_stream(path).ok()?;
        // Streams may start at the same sector, so that hundreds of them read one large run
        // of data: what is read in all is held to a small multiple of the file's size.
        if stream.len() > self.unread {
            if self.unread != 0 {
                self.warnings.push(
                    "its streams claim more data than the file holds (shared data?): the rest was not read"
                        .to_owned(),
                );
                self.unread = 0;
            }
            return None;
        }
        self.unread -= stream.len();
        let mut bytes = Vec::new();
        stream.take(self.limit).read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }
}

fn property_path(storage: &str, id: u16, kind: &str) -> String {
    format!(
        "{}/__substg1.0_{id:04X}{kind}",
        storage.trim_end_matches('/')
    )
}
