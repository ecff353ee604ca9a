//! A `.pst` object's properties (a message, an attachment, an attached message), read here
//! from its node with the `outlook-pst` crate's lower layers (`pst_ndb`): its messaging layer cannot open
//! an attached message (it does not know the object type, `PtypObject`, and drops every
//! property after one; it looks for the message in the wrong subnode tree), and it reads every
//! property of an attachment, the data of a document included, to list any.
//!
//! [MS-PST] 2.3: a property context is a heap on the node's data blocks (each block a heap
//! page), whose user root is a B-tree of 8-byte records: property id, type, and a value that
//! is the value itself (4 bytes or fewer), a heap id, or the id of a subnode holding it.
//! Values are read when asked for, so a document attached to a mail is never read.

use super::pst_ndb::{Ndb, RawNode};
use std::collections::BTreeMap;
use std::io;

fn malformed(what: &str) -> io::Error {
    io::Error::other(format!("malformed property context: {what}"))
}

/// A property context: its heap, its properties' records, and its subnodes.
pub struct PropertyContext {
    heap: Vec<Vec<u8>>,
    /// Property id → (type, the record's value field).
    records: BTreeMap<u16, (u16, u32)>,
    pub subnodes: BTreeMap<u32, RawNode>,
}

/// Property types ([MS-OXCDATA] 2.11.1).
pub mod ptyp {
    pub const INTEGER16: u16 = 0x0002;
    pub const INTEGER32: u16 = 0x0003;
    pub const FLOATING32: u16 = 0x0004;
    pub const ERROR: u16 = 0x000a;
    pub const BOOLEAN: u16 = 0x000b;
    /// An attached message: a heap item naming the subnode that holds it.
    pub const OBJECT: u16 = 0x000d;
    pub const INTEGER64: u16 = 0x0014;
    pub const STRING8: u16 = 0x001e;
    pub const STRING: u16 = 0x001f;
    pub const TIME: u16 = 0x0040;
    pub const BINARY: u16 = 0x0102;
}

/// The heap signature, and the client signature of a property context.
const HEAP_SIGNATURE: u8 = 0xec;
const PROPERTY_CONTEXT: u8 = 0xbc;
const BTREE_ON_HEAP: u8 = 0xb5;

/// A property context's heap, at most: its records and small values (a large value lives in
/// a subnode of its own). Outlook's are a few kilobytes, a message with thousands of
/// recipients' worth of properties some hundreds.
const MAX_HEAP: usize = 16 << 20;

/// One value, at most: a message's body or an attachment's data. A file's data trees can say
/// up to 4 GiB; the message cap is 64 MiB by default.
const MAX_VALUE: usize = 256 << 20;

/// B-tree levels a property context may have. Each level multiplies its records by hundreds;
/// Outlook's have one or two.
const MAX_LEVELS: u8 = 4;

impl PropertyContext {
    pub fn read(ndb: &Ndb, node: RawNode) -> io::Result<Self> {
        let heap = ndb.data_blocks(node.data, MAX_HEAP)?;
        let first = heap.first().ok_or_else(|| malformed("no data"))?;
        if first.get(2) != Some(&HEAP_SIGNATURE) || first.get(3) != Some(&PROPERTY_CONTEXT) {
            return Err(malformed("not a property context"));
        }
        let mut context = PropertyContext {
            heap,
            records: BTreeMap::new(),
            subnodes: ndb.subnodes(node.sub)?,
        };
        let root = u32_at(&context.heap[0], 4).ok_or_else(|| malformed("short header"))?;
        let header = context.item(root)?;
        if header.len() < 8 || header[0] != BTREE_ON_HEAP || header[1] != 2 || header[2] != 6 {
            return Err(malformed("its B-tree is not one of property records"));
        }
        let levels = header[3];
        if levels > MAX_LEVELS {
            return Err(malformed("its B-tree is too deep"));
        }
        let mut pages = match u32_at(header, 4) {
            Some(0) => return Ok(context),
            Some(page) => vec![page],
            None => return Err(malformed("short B-tree header")),
        };
        // Each index level holds (key, heap id of the page below) records of 2 + 4 bytes. A
        // heap holds at most 2,047 items a page: more pages than that are pages named twice.
        let max_pages = context.heap.len() * 0x7ff;
        for _ in 0..levels {
            let mut below = Vec::new();
            for page in pages {
                for record in context.item(page)?.chunks_exact(6) {
                    below.extend(u32_at(record, 2));
                }
                if below.len() > max_pages {
                    return Err(malformed("its B-tree names pages more than once"));
                }
            }
            pages = below;
        }
        let mut records = BTreeMap::new();
        for page in pages {
            for record in context.item(page)?.chunks_exact(8) {
                let (Some(id), Some(kind), Some(value)) =
                    (u16_at(record, 0), u16_at(record, 2), u32_at(record, 4))
                else {
                    continue;
                };
                records.insert(id, (kind, value));
            }
        }
        context.records = records;
        Ok(context)
    }

    /// A property's type and bytes (the value inline, in the heap, or in a subnode), `None`
    /// if the object has no such property, an error if it has one that cannot be read.
    pub fn value(&self, ndb: &Ndb, id: u16) -> io::Result<Option<(u16, Vec<u8>)>> {
        let Some(&(kind, value)) = self.records.get(&id) else {
            return Ok(None);
        };
        let bytes = match kind {
            // Fixed-size values of 4 bytes or fewer sit in the record itself.
            ptyp::INTEGER16 | ptyp::INTEGER32 | ptyp::FLOATING32 | ptyp::ERROR | ptyp::BOOLEAN => {
                value.to_le_bytes().to_vec()
            }
            _ if value == 0 => Vec::new(),
            // A heap id (its type bits are zero), or the id of a subnode holding the value.
            _ if value & 0x1f == 0 => self.item(value)?.to_vec(),
            _ => {
                let node = self
                    .subnodes
                    .get(&value)
                    .ok_or_else(|| malformed("a value names a subnode it does not have"))?;
                ndb.data_blocks(node.data, MAX_VALUE)?.concat()
            }
        };
        Ok(Some((kind, bytes)))
    }

    /// The subnode holding an attached message (`PtypObject` property `id`), if there is one.
    pub fn object(&self, id: u16) -> Option<(u32, RawNode)> {
        let &(kind, value) = self.records.get(&id)?;
        if kind != ptyp::OBJECT {
            return None;
        }
        // The heap item holds the subnode's id and the object's size.
        let object = u32_at(self.item(value).ok()?, 0)?;
        Some((object, *self.subnodes.get(&object)?))
    }

    /// A heap item by its heap id: which page (block), which allocation on it.
    fn item(&self, id: u32) -> io::Result<&[u8]> {
        let page = self
            .heap
            .get((id >> 16) as usize)
            .ok_or_else(|| malformed("a heap id names no page"))?;
        let index = ((id >> 5) & 0x7ff) as usize;
        let map = usize::from(u16_at(page, 0).ok_or_else(|| malformed("short heap page"))?);
        let count = usize::from(u16_at(page, map).ok_or_else(|| malformed("no page map"))?);
        if index == 0 || index > count {
            return Err(malformed("a heap id names no allocation"));
        }
        let start = u16_at(page, map + 4 + 2 * (index - 1));
        let end = u16_at(page, map + 4 + 2 * index);
        match (start, end) {
            (Some(start), Some(end)) if start <= end => page
                .get(usize::from(start)..usize::from(end))
                .ok_or_else(|| malformed("an allocation lies outside its page")),
            _ => Err(malformed("an allocation lies outside its page")),
        }
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}
