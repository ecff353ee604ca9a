//! A test-only writer of Outlook PST files ([MS-PST]), std only: Unicode (`wVer` 23, the
//! default) or, with [`PstBuilder::ansi`], ANSI (`wVer` 14, Outlook 97–2002).
//!
//! It writes just the subset of the format that the PST tests need: a message store with its
//! root folder, the "Top of Personal Folders" IPM subtree, nested user folders, and messages with
//! properties, recipients and attachments (files, and embedded messages to any depth). Nothing
//! is ever rewritten in place, so the file is laid out once, front to back:
//!
//! * the header (with both CRCs; ANSI has only the partial one) at 0, the density list page at 0x4200, and an allocation map
//!   (AMap) page at the start of every 253,952-byte region from 0x4400 on, with a PMap page after
//!   every eighth one, so the AMaps are valid (`fAMapValid` = 2);
//! * data blocks (64-byte aligned, with block trailers and CRCs, optionally `NDB_CRYPT_PERMUTE`
//!   encoded), data trees (XBLOCK, XXBLOCK) for node data over one block, and subnode trees
//!   (SLBLOCK, SIBLOCK);
//! * the node and block B-trees (NBT, BBT) as pages with trailers, as many levels as needed.
//!
//! The store always has the root folder (NID 0x122) holding "Top of Personal Folders" (the IPM
//! subtree) and "Search Root" (the finder), and "Deleted Items" (the wastebasket) as the first
//! child of the IPM subtree; user folders follow it.
//!
//! On top sit heaps-on-node (several blocks where needed), BTrees-on-heap, property contexts
//! (values inline, in the heap, or in a subnode when over 3,580 bytes) and table contexts (row
//! matrix in the heap, or in a subnode of whole rows per block when large).
//!
//! An ANSI file differs only in the NDB layer and in two LTP details:
//!
//! * BIDs, byte indexes (IB) and NIDs in NDB structures take 4 bytes: BREFs are 8 bytes, NBT
//!   leaf entries 16 (nid, bidData, bidSub, nidParent), BBT leaf entries 12 (BREF, cb, cRef),
//!   intermediate BTENTRYs 12; XBLOCK/XXBLOCK entries 4; SLENTRYs 12 and SIENTRYs 8, after a
//!   4-byte SLBLOCK/SIBLOCK header with no dwPadding;
//! * B-tree pages have 496 bytes of entries and no dwPadding; AMap/PMap pages start with a
//!   4-byte dwPadding; the density list has 500 bytes; every page's 12-byte trailer is ptype,
//!   ptypeRepeat, wSig, bid, dwCRC (of the 500 bytes before it);
//! * the 12-byte block trailer is cb, wSig, bid, dwCRC (bid before the CRC, unlike Unicode), so
//!   a block holds up to 8,180 bytes (heap blocks are still cut at 8,176: any size is valid);
//! * the 512-byte header has bidNextB and bidNextP (4 bytes each) after dwReserved2, no
//!   bidUnused nor qwUnused, a 40-byte ROOT, and only dwCRCPartial (no dwCRCFull);
//! * a table context's row index BTH maps the 4-byte row id to a 2-byte row number;
//! * text is PtypString8: [`Value::Unicode`] values, the writer's own strings and the string
//!   columns of tables are written as Latin-1 bytes (`?` for characters past U+00FF).
//!
//! Not supported (the tests need none of it): cyclic encoding, multi-valued, 16-bit, float,
//! GUID and currency properties, named properties (the name-to-ID map is present but empty),
//! search folders, associated (FAI) messages, files over ~31 MB (that would need FMap pages),
//! ANSI code pages other than Latin-1. Empty strings and binaries are written as "no value": a
//! PC reads them back as null and a table cell as absent.

#![allow(dead_code)]

use std::collections::BTreeMap;

/// A property value. Each variant is written with one MAPI property type.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// PtypInteger32 (0x0003).
    Int32(i32),
    /// PtypBoolean (0x000B).
    Bool(bool),
    /// PtypInteger64 (0x0014).
    Int64(i64),
    /// PtypTime (0x0040): FILETIME ticks (100 ns since 1601).
    Time(u64),
    /// PtypString (0x001F): written as UTF-16LE without a terminator, as PST stores it; in an
    /// ANSI file as PtypString8 (0x001E) in Latin-1.
    Unicode(String),
    /// PtypString8 (0x001E): the bytes as given.
    String8(Vec<u8>),
    /// PtypBinary (0x0102).
    Binary(Vec<u8>),
}

/// Properties of an object: (property id, value). A later duplicate id wins.
pub type Props = Vec<(u16, Value)>;

/// A message: its own properties, one property list per recipient (a recipient table row), and
/// its attachments.
#[derive(Clone, Debug, Default)]
pub struct MessageSpec {
    pub props: Props,
    pub recipients: Vec<Props>,
    pub attachments: Vec<AttachmentSpec>,
}

/// An attachment. The writer sets PR_ATTACH_METHOD (0x3705) and PR_ATTACH_DATA_BIN / _OBJ
/// (0x3701) itself, and PR_ATTACH_SIZE (0x0E20) and PR_ATTACH_NUM (0x0E21) unless given.
#[derive(Clone, Debug)]
pub enum AttachmentSpec {
    /// A file attached by value (method 1); `data` becomes PR_ATTACH_DATA_BIN.
    Data { props: Props, data: Vec<u8> },
    /// An embedded message (method 5). PR_ATTACH_DATA_OBJ (PtypObject) names the subnode that
    /// holds it, in the attachment object's own subnode tree as [MS-PST] 2.4.6.2 lays it out.
    /// (outlook-pst 1.2.0 cannot open such an attachment with `UnicodeAttachment::read`: it
    /// does not parse PtypObject, nor look in that subnode tree.)
    Embedded { props: Props, message: MessageSpec },
}

/// A folder made by [`PstBuilder::folder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FolderId(usize);

/// Collects folders and messages, then [`build`](PstBuilder::build)s the file's bytes.
#[derive(Clone, Debug, Default)]
pub struct PstBuilder {
    permute: bool,
    ansi: bool,
    folders: Vec<FolderDef>,
}

#[derive(Clone, Debug)]
struct FolderDef {
    parent: Option<usize>,
    name: String,
    /// PR_CONTAINER_CLASS: `IPF.Note` for mail, `IPF.Contact`, `IPF.Appointment`…
    class: String,
    messages: Vec<MessageSpec>,
}

impl PstBuilder {
    /// An empty store: the root folder, "Top of Personal Folders" (the IPM subtree), its
    /// "Deleted Items" (the wastebasket) and "Search Root" (the finder) are always written.
    pub fn new() -> Self {
        Self::default()
    }

    /// Encode data blocks with `NDB_CRYPT_PERMUTE` (Outlook's default) instead of none.
    pub fn permute(mut self, on: bool) -> Self {
        self.permute = on;
        self
    }

    /// Write an ANSI file (Outlook 97–2002, `wVer` 14) instead of a Unicode one. Text is then
    /// stored as PtypString8: [`Value::Unicode`] values, the writer's own strings and the
    /// string columns of tables become Latin-1 bytes (`?` for characters past U+00FF).
    pub fn ansi(mut self, on: bool) -> Self {
        self.ansi = on;
        self
    }

    /// Adds a mail folder under `parent`, or under the IPM subtree for `None`.
    pub fn folder(&mut self, parent: Option<&FolderId>, name: &str) -> FolderId {
        self.folder_of_class(parent, name, "IPF.Note")
    }

    /// Adds a folder of the container class `class` (`IPF.Contact` for contacts…).
    pub fn folder_of_class(
        &mut self,
        parent: Option<&FolderId>,
        name: &str,
        class: &str,
    ) -> FolderId {
        self.folders.push(FolderDef {
            parent: parent.map(|p| p.0),
            name: name.to_string(),
            class: class.to_string(),
            messages: Vec::new(),
        });
        FolderId(self.folders.len() - 1)
    }

    /// Adds a message to `folder`; messages keep the order they were added in.
    pub fn message(&mut self, folder: &FolderId, message: MessageSpec) {
        self.folders[folder.0].messages.push(message);
    }

    /// The PST file.
    pub fn build(&self) -> Vec<u8> {
        let ansi = self.ansi;
        let mut w = Writer::new(self.permute, ansi);
        let record_key: [u8; 16] = *b"mailtrace-pst-wr";
        let entry_id = |nid: u32| {
            // An EntryID: rgbFlags (4 zero bytes), the store's record key, the NID.
            let mut id = vec![0; 4];
            id.extend_from_slice(&record_key);
            id.extend_from_slice(&nid.to_le_bytes());
            Value::Binary(id)
        };

        // Message store (NID 0x21): the record key EntryIDs carry, and the EntryIDs of the
        // special folders; PR_VALID_FOLDER_MASK says those three are valid.
        let store = vec![
            (0x0FF9, Value::Binary(record_key.to_vec())),
            (0x3001, Value::Unicode("Personal Folders".into())),
            (0x35DF, Value::Int32(0x89)),
            (0x35E0, entry_id(NID_IPM_SUBTREE)),
            (0x35E3, entry_id(NID_DELETED_ITEMS)),
            (0x35E7, entry_id(NID_SEARCH_ROOT)),
        ];
        let content = w.pc(&props_in(&store, ansi));
        w.node(NID_MESSAGE_STORE, 0, content);

        // Name-to-ID map (NID 0x61) with no named properties: 251 buckets, empty streams.
        let content = w.pc(&props_in(&[(0x0001, Value::Int32(251))], ansi));
        w.node(NID_NAME_TO_ID_MAP, 0, content);

        // User folders get NIDs after the special ones; messages from 0x10000 up ([MS-PST]
        // reserves lower indexes).
        let folder_nid = |i: usize| make_nid(NID_TYPE_NORMAL_FOLDER, 0x404 + i as u32);
        let mut next_message = 0x10000u32;
        let mut message_nids: Vec<Vec<u32>> = Vec::new();
        for f in &self.folders {
            let nids = f
                .messages
                .iter()
                .map(|_| {
                    next_message += 1;
                    make_nid(NID_TYPE_NORMAL_MESSAGE, next_message)
                })
                .collect();
            message_nids.push(nids);
        }
        let children_of = |parent: Option<usize>| -> Vec<usize> {
            (0..self.folders.len())
                .filter(|&i| self.folders[i].parent == parent)
                .collect()
        };
        let child_row = |i: usize| ChildFolder {
            nid: folder_nid(i),
            name: self.folders[i].name.clone(),
            class: self.folders[i].class.clone(),
            count: self.folders[i].messages.len(),
            has_children: !children_of(Some(i)).is_empty(),
        };

        // The root folder is its own parent ([MS-PST] 2.4.4.1).
        let top = ChildFolder {
            nid: NID_IPM_SUBTREE,
            name: "Top of Personal Folders".into(),
            class: "IPF.Note".into(),
            count: 0,
            has_children: true,
        };
        let search_root = ChildFolder {
            nid: NID_SEARCH_ROOT,
            name: "Search Root".into(),
            class: "IPF.Note".into(),
            count: 0,
            has_children: false,
        };
        let deleted = ChildFolder {
            nid: NID_DELETED_ITEMS,
            name: "Deleted Items".into(),
            class: "IPF.Note".into(),
            count: 0,
            has_children: false,
        };
        let root = ChildFolder {
            nid: NID_ROOT_FOLDER,
            name: String::new(),
            class: String::new(),
            count: 0,
            has_children: true,
        };
        w.folder(
            &root,
            NID_ROOT_FOLDER,
            &[top.clone(), search_root.clone()],
            &[],
        );
        w.folder(&search_root, NID_ROOT_FOLDER, &[], &[]);
        let mut top_children = vec![deleted.clone()];
        top_children.extend(children_of(None).into_iter().map(child_row));
        w.folder(&top, NID_ROOT_FOLDER, &top_children, &[]);
        w.folder(&deleted, NID_IPM_SUBTREE, &[], &[]);

        for (i, f) in self.folders.iter().enumerate() {
            let parent = f.parent.map_or(NID_IPM_SUBTREE, folder_nid);
            let children: Vec<_> = children_of(Some(i)).into_iter().map(child_row).collect();
            let messages: Vec<(u32, &MessageSpec)> =
                message_nids[i].iter().copied().zip(&f.messages).collect();
            w.folder(&child_row(i), parent, &children, &messages);
            for (nid, message) in messages {
                let content = w.message(message);
                w.node(nid, folder_nid(i), content);
            }
        }
        w.finish()
    }
}

// ---------------------------------------------------------------------------------------------
// Constants from [MS-PST].

const NID_TYPE_NORMAL_FOLDER: u32 = 0x02;
const NID_TYPE_NORMAL_MESSAGE: u32 = 0x04;
const NID_TYPE_ATTACHMENT: u32 = 0x05;
const NID_TYPE_HIERARCHY_TABLE: u32 = 0x0D;
const NID_TYPE_CONTENTS_TABLE: u32 = 0x0E;
const NID_TYPE_ASSOC_CONTENTS_TABLE: u32 = 0x0F;
const NID_TYPE_LTP: u32 = 0x1F;

const NID_MESSAGE_STORE: u32 = 0x21;
const NID_NAME_TO_ID_MAP: u32 = 0x61;
const NID_ROOT_FOLDER: u32 = 0x122;
const NID_IPM_SUBTREE: u32 = 0x8022;
const NID_SEARCH_ROOT: u32 = 0x8042;
const NID_DELETED_ITEMS: u32 = 0x8062;
/// A message's recipient and attachment tables take the template tables' NIDs in its subnodes.
const NID_RECIPIENT_TABLE: u32 = 0x692;
const NID_ATTACHMENT_TABLE: u32 = 0x671;

const PT_INT32: u16 = 0x0003;
const PT_BOOL: u16 = 0x000B;
const PT_OBJECT: u16 = 0x000D;
const PT_INT64: u16 = 0x0014;
const PT_STRING8: u16 = 0x001E;
const PT_UNICODE: u16 = 0x001F;
const PT_TIME: u16 = 0x0040;
const PT_BINARY: u16 = 0x0102;

/// Bytes of data in one block: 8 KB less the 16-byte block trailer (12 bytes in an ANSI file,
/// whose blocks other than heap blocks hold up to 8,180 bytes).
const MAX_BLOCK_DATA: usize = 8192 - 16;
/// The largest heap allocation; bigger values go to a subnode.
const MAX_HEAP_ITEM: usize = 3580;
/// Where the first AMap page is, and how many bytes each AMap page maps (496 bytes of bits,
/// one bit per 64 bytes).
const AMAP_BASE: u64 = 0x4400;
const AMAP_SPAN: u64 = 496 * 8 * 64;
const DENSITY_LIST_OFFSET: usize = 0x4200;
const PAGE: u64 = 512;

fn make_nid(kind: u32, index: u32) -> u32 {
    (index << 5) | kind
}

// ---------------------------------------------------------------------------------------------
// Checksums and encoding.

/// The CRC-32 table of [MS-PST] 5.3 (reflected polynomial 0xEDB88320).
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// [MS-PST]'s CRC: no initial or final inversion.
pub fn crc(data: &[u8]) -> u32 {
    data.iter().fold(0u32, |c, &b| {
        CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// The block and page signature: the low 32 bits of offset and BID, XORed and folded in half.
fn signature(ib: u64, bid: u64) -> u16 {
    let v = (ib as u32) ^ (bid as u32);
    ((v >> 16) ^ (v & 0xFFFF)) as u16
}

/// `NDB_CRYPT_PERMUTE` encodes each byte of a data block through this table (mpbbR, the
/// first of the three tables in [MS-PST] 5.1); readers decode with its inverse.
const PERMUTE: [u8; 256] = [
    0x41, 0x36, 0x13, 0x62, 0xA8, 0x21, 0x6E, 0xBB, 0xF4, 0x16, 0xCC, 0x04, 0x7F, 0x64, 0xE8, 0x5D,
    0x1E, 0xF2, 0xCB, 0x2A, 0x74, 0xC5, 0x5E, 0x35, 0xD2, 0x95, 0x47, 0x9E, 0x96, 0x2D, 0x9A, 0x88,
    0x4C, 0x7D, 0x84, 0x3F, 0xDB, 0xAC, 0x31, 0xB6, 0x48, 0x5F, 0xF6, 0xC4, 0xD8, 0x39, 0x8B, 0xE7,
    0x23, 0x3B, 0x38, 0x8E, 0xC8, 0xC1, 0xDF, 0x25, 0xB1, 0x20, 0xA5, 0x46, 0x60, 0x4E, 0x9C, 0xFB,
    0xAA, 0xD3, 0x56, 0x51, 0x45, 0x7C, 0x55, 0x00, 0x07, 0xC9, 0x2B, 0x9D, 0x85, 0x9B, 0x09, 0xA0,
    0x8F, 0xAD, 0xB3, 0x0F, 0x63, 0xAB, 0x89, 0x4B, 0xD7, 0xA7, 0x15, 0x5A, 0x71, 0x66, 0x42, 0xBF,
    0x26, 0x4A, 0x6B, 0x98, 0xFA, 0xEA, 0x77, 0x53, 0xB2, 0x70, 0x05, 0x2C, 0xFD, 0x59, 0x3A, 0x86,
    0x7E, 0xCE, 0x06, 0xEB, 0x82, 0x78, 0x57, 0xC7, 0x8D, 0x43, 0xAF, 0xB4, 0x1C, 0xD4, 0x5B, 0xCD,
    0xE2, 0xE9, 0x27, 0x4F, 0xC3, 0x08, 0x72, 0x80, 0xCF, 0xB0, 0xEF, 0xF5, 0x28, 0x6D, 0xBE, 0x30,
    0x4D, 0x34, 0x92, 0xD5, 0x0E, 0x3C, 0x22, 0x32, 0xE5, 0xE4, 0xF9, 0x9F, 0xC2, 0xD1, 0x0A, 0x81,
    0x12, 0xE1, 0xEE, 0x91, 0x83, 0x76, 0xE3, 0x97, 0xE6, 0x61, 0x8A, 0x17, 0x79, 0xA4, 0xB7, 0xDC,
    0x90, 0x7A, 0x5C, 0x8C, 0x02, 0xA6, 0xCA, 0x69, 0xDE, 0x50, 0x1A, 0x11, 0x93, 0xB9, 0x52, 0x87,
    0x58, 0xFC, 0xED, 0x1D, 0x37, 0x49, 0x1B, 0x6A, 0xE0, 0x29, 0x33, 0x99, 0xBD, 0x6C, 0xD9, 0x94,
    0xF3, 0x40, 0x54, 0x6F, 0xF0, 0xC6, 0x73, 0xB8, 0xD6, 0x3E, 0x65, 0x18, 0x44, 0x1F, 0xDD, 0x67,
    0x10, 0xF1, 0x0C, 0x19, 0xEC, 0xAE, 0x03, 0xA1, 0x14, 0x7B, 0xA9, 0x0B, 0xFF, 0xF8, 0xA3, 0xC0,
    0xA2, 0x01, 0xF7, 0x2E, 0xBC, 0x24, 0x68, 0x75, 0x0D, 0xFE, 0xBA, 0x2F, 0xB5, 0xD0, 0xDA, 0x3D,
];

fn put16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn put32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn put64(v: &mut Vec<u8>, x: u64) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn align(x: u64, to: u64) -> u64 {
    x.div_ceil(to) * to
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Text for an ANSI file: Latin-1 (code page 1252 agrees from 0xA0 up), `?` past U+00FF.
fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// NDB layer: blocks, subnode trees, B-tree pages, allocation maps, header.

/// A node's data and subnodes before they are written: `data` is already cut into blocks
/// (a heap needs each heap block in its own data block).
struct Content {
    data: Vec<Vec<u8>>,
    subnodes: Vec<(u32, Content)>,
}

impl Content {
    fn raw(bytes: &[u8], block_data: usize) -> Self {
        Content {
            data: bytes.chunks(block_data).map(<[u8]>::to_vec).collect(),
            subnodes: Vec::new(),
        }
    }
}

struct Ndb {
    file: Vec<u8>,
    /// The next free byte.
    eof: u64,
    /// One 496-byte bitmap per AMap region.
    amaps: Vec<Vec<u8>>,
    permute: bool,
    /// ANSI layout: 32-bit BIDs, byte indexes and NIDs in NDB structures, smaller trailers.
    ansi: bool,
    next_bid: u64,
    next_page_bid: u64,
    /// (bid, offset, size) of every block, for the BBT.
    blocks: Vec<(u64, u64, u16)>,
    /// (nid, data bid, subnode bid, parent nid), for the NBT.
    nodes: Vec<(u32, u64, u64, u32)>,
}

impl Ndb {
    fn new(permute: bool, ansi: bool) -> Self {
        Ndb {
            file: Vec::new(),
            eof: AMAP_BASE,
            amaps: Vec::new(),
            permute,
            ansi,
            next_bid: 1,
            next_page_bid: 1,
            blocks: Vec::new(),
            nodes: Vec::new(),
        }
    }

    /// The size of a BID, IB or NID field in NDB structures: 8 bytes, 4 in an ANSI file.
    fn id_size(&self) -> usize {
        if self.ansi {
            4
        } else {
            8
        }
    }

    /// Writes a BID, IB or NID field (see [`Ndb::id_size`]).
    fn put_id(&self, v: &mut Vec<u8>, x: u64) {
        if self.ansi {
            put32(v, u32::try_from(x).expect("an ANSI id over 32 bits"));
        } else {
            put64(v, x);
        }
    }

    fn block_trailer_size(&self) -> usize {
        if self.ansi {
            12
        } else {
            16
        }
    }

    /// The most data one block holds.
    fn max_data(&self) -> usize {
        8192 - self.block_trailer_size()
    }

    /// Appends the PAGETRAILER (ptype twice, wSig, then dwCRC of the page's bytes so far and the
    /// bid; in an ANSI file the 4-byte bid comes before dwCRC).
    fn page_trailer(&self, p: &mut Vec<u8>, ptype: u8, sig: u16, bid: u64) {
        let sum = crc(p);
        p.extend_from_slice(&[ptype, ptype]);
        put16(p, sig);
        if self.ansi {
            self.put_id(p, bid);
            put32(p, sum);
        } else {
            put32(p, sum);
            put64(p, bid);
        }
    }

    /// Space for `size` bytes at a multiple of `to`, never across an AMap region nor over the
    /// AMap page (and, every eighth region, the PMap page) that start each region.
    fn alloc(&mut self, size: u64, to: u64) -> u64 {
        loop {
            let mut at = align(self.eof, to);
            let region = (at - AMAP_BASE) / AMAP_SPAN;
            assert!(
                region < 128,
                "test PSTs over ~31 MB need FMap pages: unsupported"
            );
            let start = AMAP_BASE + region * AMAP_SPAN;
            let reserved = if region.is_multiple_of(8) {
                2 * PAGE
            } else {
                PAGE
            };
            at = at.max(align(start + reserved, to));
            if at + size > start + AMAP_SPAN {
                self.eof = start + AMAP_SPAN;
                continue;
            }
            self.eof = at + size;
            self.mark(at, size);
            return at;
        }
    }

    /// Sets the AMap bits (one per 64 bytes, most significant bit first) of a range.
    fn mark(&mut self, at: u64, size: u64) {
        let region = ((at - AMAP_BASE) / AMAP_SPAN) as usize;
        while self.amaps.len() <= region {
            self.amaps.push(vec![0; 496]);
        }
        let first = (at - AMAP_BASE - region as u64 * AMAP_SPAN) / 64;
        for bit in first..first + size.div_ceil(64) {
            self.amaps[region][(bit / 8) as usize] |= 0x80 >> (bit % 8);
        }
    }

    fn put(&mut self, at: u64, bytes: &[u8]) {
        let end = at as usize + bytes.len();
        if self.file.len() < end {
            self.file.resize(end, 0);
        }
        self.file[at as usize..end].copy_from_slice(bytes);
    }

    /// Writes one block: data, padding to 64 bytes, then the BLOCKTRAILER (cb, wSig, dwCRC,
    /// bid; an ANSI file's has cb, wSig, a 4-byte bid, dwCRC). Data blocks are encoded when
    /// permuting and their CRC is of the stored bytes; internal blocks (trees) are never encoded.
    fn block(&mut self, data: &[u8], internal: bool) -> u64 {
        assert!(!data.is_empty() && data.len() <= self.max_data());
        let bid = (self.next_bid << 2) | if internal { 2 } else { 0 };
        self.next_bid += 1;
        let stored: Vec<u8> = if self.permute && !internal {
            data.iter().map(|&b| PERMUTE[b as usize]).collect()
        } else {
            data.to_vec()
        };
        let trailer_size = self.block_trailer_size() as u64;
        let size = align(data.len() as u64 + trailer_size, 64);
        let at = self.alloc(size, 64);
        let mut trailer = Vec::with_capacity(16);
        put16(&mut trailer, data.len() as u16);
        put16(&mut trailer, signature(at, bid));
        if self.ansi {
            self.put_id(&mut trailer, bid);
            put32(&mut trailer, crc(&stored));
        } else {
            put32(&mut trailer, crc(&stored));
            put64(&mut trailer, bid);
        }
        self.put(at, &stored);
        self.put(at + size - trailer_size, &trailer);
        self.blocks.push((bid, at, data.len() as u16));
        bid
    }

    /// Node data over one block becomes a data tree: an XBLOCK (level 1) lists up to 1021
    /// data blocks (2043 in an ANSI file, whose BIDs take 4 bytes), an XXBLOCK (level 2) as
    /// many XBLOCKs. Each records lcbTotal, the bytes of data beneath it.
    fn data_tree(&mut self, chunks: &[Vec<u8>]) -> u64 {
        let mut level: Vec<(u64, u64)> = chunks
            .iter()
            .map(|c| (self.block(c, false), c.len() as u64))
            .collect();
        let mut depth = 1u8;
        while level.len() > 1 {
            assert!(depth <= 2, "node data too large for an XXBLOCK");
            let mut next = Vec::new();
            for group in level.chunks((self.max_data() - 8) / self.id_size()) {
                let total: u64 = group.iter().map(|g| g.1).sum();
                let mut b = vec![0x01, depth];
                put16(&mut b, group.len() as u16);
                put32(&mut b, total as u32);
                for (bid, _) in group {
                    self.put_id(&mut b, *bid);
                }
                next.push((self.block(&b, true), total));
            }
            level = next;
            depth += 1;
        }
        level[0].0
    }

    /// A subnode tree: SLBLOCKs of up to 340 SLENTRYs (nid, bidData, bidSub) sorted by NID,
    /// under an SIBLOCK of (first nid, bid) when one SLBLOCK is not enough. In an ANSI file the
    /// block header has no dwPadding and every field takes 4 bytes (681 SLENTRYs a block).
    fn subnode_tree(&mut self, mut entries: Vec<(u32, u64, u64)>) -> u64 {
        entries.sort_by_key(|e| e.0);
        let header = if self.ansi { 4 } else { 8 };
        let header_of = |level: u8, count: usize| {
            let mut b = vec![0x02, level];
            put16(&mut b, count as u16);
            b.resize(header, 0);
            b
        };
        let leaves: Vec<(u32, u64)> = entries
            .chunks((self.max_data() - header) / (3 * self.id_size()))
            .map(|group| {
                let mut b = header_of(0, group.len());
                for &(nid, data, sub) in group {
                    self.put_id(&mut b, u64::from(nid));
                    self.put_id(&mut b, data);
                    self.put_id(&mut b, sub);
                }
                (group[0].0, self.block(&b, true))
            })
            .collect();
        if leaves.len() == 1 {
            return leaves[0].1;
        }
        assert!(
            leaves.len() <= (self.max_data() - header) / (2 * self.id_size()),
            "too many subnodes"
        );
        let mut b = header_of(1, leaves.len());
        for (nid, bid) in leaves {
            self.put_id(&mut b, u64::from(nid));
            self.put_id(&mut b, bid);
        }
        self.block(&b, true)
    }

    /// Writes a node's data and subnodes (recursively: a subnode has subnodes of its own),
    /// returning (bidData, bidSub), bidSub 0 when there are none.
    fn content(&mut self, content: Content) -> (u64, u64) {
        let data = self.data_tree(&content.data);
        if content.subnodes.is_empty() {
            return (data, 0);
        }
        let entries = content
            .subnodes
            .into_iter()
            .map(|(nid, c)| {
                let (d, s) = self.content(c);
                (nid, d, s)
            })
            .collect();
        (data, self.subnode_tree(entries))
    }

    fn node(&mut self, nid: u32, parent: u32, content: Content) {
        let (data, sub) = self.content(content);
        self.nodes.push((nid, data, sub, parent));
    }

    /// Writes one B-tree level as 512-byte pages: entries, cEnt, cEntMax, cbEnt, cLevel,
    /// dwPadding, then the PAGETRAILER (ptype twice, wSig, dwCRC of the first 496 bytes, bid).
    /// An ANSI page has 496 bytes of entries and no dwPadding, and its CRC covers 500 bytes.
    /// Returns each page's (first key, bid, offset).
    fn btree_level(
        &mut self,
        ptype: u8,
        level: u8,
        entry_size: usize,
        entries: &[(u64, Vec<u8>)],
    ) -> Vec<(u64, u64, u64)> {
        let area = if self.ansi { 496 } else { 488 };
        let max = area / entry_size;
        let mut pages = Vec::new();
        for group in entries.chunks(max) {
            let mut p = Vec::with_capacity(512);
            for (_, e) in group {
                p.extend_from_slice(e);
            }
            p.resize(area, 0);
            p.extend_from_slice(&[group.len() as u8, max as u8, entry_size as u8, level]);
            if !self.ansi {
                put32(&mut p, 0);
            }
            let bid = self.next_page_bid;
            self.next_page_bid += 1;
            let at = self.alloc(PAGE, PAGE);
            self.page_trailer(&mut p, ptype, signature(at, bid), bid);
            self.put(at, &p);
            pages.push((group[0].0, bid, at));
        }
        pages
    }

    /// A whole B-tree: leaf pages, then BTENTRY (key, BREF) levels until one root page.
    /// `leaves` are (key, entry bytes).
    fn btree(&mut self, ptype: u8, leaf_size: usize, leaves: &[(u64, Vec<u8>)]) -> (u64, u64) {
        let mut pages = self.btree_level(ptype, 0, leaf_size, leaves);
        let mut level = 0;
        while pages.len() > 1 {
            level += 1;
            let entries: Vec<(u64, Vec<u8>)> = pages
                .iter()
                .map(|&(key, bid, at)| {
                    let mut e = Vec::new();
                    self.put_id(&mut e, key);
                    self.put_id(&mut e, bid);
                    self.put_id(&mut e, at);
                    (key, e)
                })
                .collect();
            pages = self.btree_level(ptype, level, 3 * self.id_size(), &entries);
        }
        (pages[0].1, pages[0].2)
    }

    /// B-trees, allocation maps, density list and header: the finished file.
    fn finish(mut self) -> Vec<u8> {
        // NBT leaf entries: nid (8 bytes), bidData, bidSub, nidParent, dwPadding; in an ANSI
        // file 16 bytes: nid, bidData, bidSub, nidParent.
        let mut nodes = std::mem::take(&mut self.nodes);
        nodes.sort_by_key(|n| n.0);
        let mut next_nid = [0x400u32; 32];
        let nbt: Vec<(u64, Vec<u8>)> = nodes
            .iter()
            .map(|&(nid, data, sub, parent)| {
                let kind = (nid & 0x1F) as usize;
                next_nid[kind] = next_nid[kind].max((nid >> 5) + 1);
                let mut e = Vec::new();
                self.put_id(&mut e, u64::from(nid));
                self.put_id(&mut e, data);
                self.put_id(&mut e, sub);
                put32(&mut e, parent);
                if !self.ansi {
                    put32(&mut e, 0);
                }
                (u64::from(nid), e)
            })
            .collect();
        // BBT leaf entries: BREF (bid, ib), cb, cRef, dwPadding; in an ANSI file 12 bytes with
        // a 4-byte bid and ib and no dwPadding.
        let mut blocks = std::mem::take(&mut self.blocks);
        blocks.sort_by_key(|b| b.0);
        let bbt: Vec<(u64, Vec<u8>)> = blocks
            .iter()
            .map(|&(bid, at, size)| {
                let mut e = Vec::new();
                self.put_id(&mut e, bid);
                self.put_id(&mut e, at);
                put16(&mut e, size);
                put16(&mut e, 1);
                if !self.ansi {
                    put32(&mut e, 0);
                }
                (bid, e)
            })
            .collect();
        let (nbt_size, bbt_size) = if self.ansi { (16, 12) } else { (32, 24) };
        let nbt_root = self.btree(0x81, nbt_size, &nbt);
        let bbt_root = self.btree(0x80, bbt_size, &bbt);

        // The file ends with its last AMap region, as Outlook grows it.
        let regions = (self.eof - AMAP_BASE).div_ceil(AMAP_SPAN).max(1);
        let file_eof = AMAP_BASE + regions * AMAP_SPAN;
        self.file.resize(file_eof as usize, 0);
        let mut free = 0u64;
        for region in 0..regions {
            let start = AMAP_BASE + region * AMAP_SPAN;
            let has_pmap = region.is_multiple_of(8);
            self.mark(start, if has_pmap { 2 * PAGE } else { PAGE });
            let bits = self.amaps[region as usize].clone();
            free += bits
                .iter()
                .map(|b| u64::from(b.count_zeros()) * 64)
                .sum::<u64>();
            self.map_page(start, 0x84, &bits);
            if has_pmap {
                // The PMap is deprecated: all its pages are marked allocated.
                self.map_page(start + PAGE, 0x83, &[0xFF; 496]);
            }
        }

        // Density list: no entries, backfill complete (500 bytes before the trailer in an ANSI
        // file, 496 in a Unicode one).
        let mut dl = vec![0x01, 0, 0, 0];
        dl.resize(if self.ansi { 500 } else { 496 }, 0);
        // Its trailer's bid is bidNextP, the convention outlook-pst keeps when it writes one.
        let dl_bid = self.next_page_bid;
        let sig = signature(DENSITY_LIST_OFFSET as u64, dl_bid);
        self.page_trailer(&mut dl, 0x86, sig, dl_bid);
        self.put(DENSITY_LIST_OFFSET as u64, &dl);

        let header = if self.ansi {
            self.ansi_header(file_eof, regions, free, nbt_root, bbt_root, next_nid)
        } else {
            self.unicode_header(file_eof, regions, free, nbt_root, bbt_root, next_nid)
        };
        self.put(0, &header);
        self.file
    }

    /// The Unicode HEADER (564 bytes).
    fn unicode_header(
        &self,
        file_eof: u64,
        regions: u64,
        free: u64,
        nbt_root: (u64, u64),
        bbt_root: (u64, u64),
        next_nid: [u32; 32],
    ) -> Vec<u8> {
        // HEADER: the 516 bytes from wMagicClient to bidNextB are covered by dwCRCFull, their
        // first 471 by dwCRCPartial.
        let mut h = Vec::with_capacity(564);
        h.extend_from_slice(b"!BDN");
        put32(&mut h, 0);
        h.extend_from_slice(b"SM");
        put16(&mut h, 23); // wVer: Unicode
        put16(&mut h, 19); // wVerClient
        h.extend_from_slice(&[1, 1]); // bPlatformCreate, bPlatformAccess
        put32(&mut h, 0);
        put32(&mut h, 0);
        put64(&mut h, 0); // bidUnused
        put64(&mut h, self.next_page_bid); // bidNextP
        put32(&mut h, 1); // dwUnique
        for n in next_nid {
            put32(&mut h, n);
        }
        put64(&mut h, 0); // qwUnused
                          // ROOT
        put32(&mut h, 0);
        put64(&mut h, file_eof);
        put64(&mut h, AMAP_BASE + (regions - 1) * AMAP_SPAN); // ibAMapLast
        put64(&mut h, free); // cbAMapFree
        put64(&mut h, 0); // cbPMapFree
        put64(&mut h, nbt_root.0);
        put64(&mut h, nbt_root.1);
        put64(&mut h, bbt_root.0);
        put64(&mut h, bbt_root.1);
        h.extend_from_slice(&[2, 0, 0, 0]); // fAMapValid = VALID_AMAP2
        put32(&mut h, 0); // dwAlign
        h.extend_from_slice(&[0xFF; 256]); // rgbFM, rgbFP: deprecated, all 0xFF
        h.push(0x80); // bSentinel
        h.push(u8::from(self.permute)); // bCryptMethod
        put16(&mut h, 0);
        put64(&mut h, self.next_bid << 2); // bidNextB
        let full = crc(&h[8..524]);
        let partial = crc(&h[8..8 + 471]);
        h[4..8].copy_from_slice(&partial.to_le_bytes());
        put32(&mut h, full);
        h.resize(564, 0);
        h
    }

    /// The ANSI HEADER (512 bytes): 4-byte bidNextB (before bidNextP), no bidUnused nor
    /// qwUnused, the 40-byte ANSI ROOT (4-byte IBs and BREFs of 4-byte bid and ib), and only
    /// dwCRCPartial, over the same 471 bytes from wMagicClient.
    fn ansi_header(
        &self,
        file_eof: u64,
        regions: u64,
        free: u64,
        nbt_root: (u64, u64),
        bbt_root: (u64, u64),
        next_nid: [u32; 32],
    ) -> Vec<u8> {
        let mut h = Vec::with_capacity(512);
        h.extend_from_slice(b"!BDN");
        put32(&mut h, 0); // dwCRCPartial, below
        h.extend_from_slice(b"SM");
        put16(&mut h, 14); // wVer: ANSI
        put16(&mut h, 19); // wVerClient
        h.extend_from_slice(&[1, 1]); // bPlatformCreate, bPlatformAccess
        put32(&mut h, 0); // dwReserved1
        put32(&mut h, 0); // dwReserved2
        self.put_id(&mut h, self.next_bid << 2); // bidNextB
        self.put_id(&mut h, self.next_page_bid); // bidNextP
        put32(&mut h, 1); // dwUnique
        for n in next_nid {
            put32(&mut h, n);
        }
        // ROOT
        put32(&mut h, 0); // dwReserved
        self.put_id(&mut h, file_eof);
        self.put_id(&mut h, AMAP_BASE + (regions - 1) * AMAP_SPAN); // ibAMapLast
        self.put_id(&mut h, free); // cbAMapFree
        self.put_id(&mut h, 0); // cbPMapFree
        self.put_id(&mut h, nbt_root.0);
        self.put_id(&mut h, nbt_root.1);
        self.put_id(&mut h, bbt_root.0);
        self.put_id(&mut h, bbt_root.1);
        h.extend_from_slice(&[2, 0, 0, 0]); // fAMapValid = VALID_AMAP2, bReserved, wReserved
        h.extend_from_slice(&[0xFF; 256]); // rgbFM, rgbFP: deprecated, all 0xFF
        h.push(0x80); // bSentinel
        h.push(u8::from(self.permute)); // bCryptMethod

        // rgbReserved, ullReserved, dwReserved, rgbReserved2, bReserved, rgbReserved3: zero.
        h.resize(512, 0);
        let partial = crc(&h[8..8 + 471]);
        h[4..8].copy_from_slice(&partial.to_le_bytes());
        h
    }

    /// An AMap or PMap page: bits (after a 4-byte dwPadding in an ANSI file), then a trailer
    /// whose wSig is 0 and whose bid is the offset.
    fn map_page(&mut self, at: u64, ptype: u8, bits: &[u8]) {
        let mut p = if self.ansi { vec![0; 4] } else { Vec::new() };
        p.extend_from_slice(bits);
        self.page_trailer(&mut p, ptype, 0, at);
        self.put(at, &p);
    }
}

// ---------------------------------------------------------------------------------------------
// LTP layer: heap-on-node, BTree-on-heap, property and table contexts.

/// A heap-on-node being filled: per heap block, its allocations.
struct Heap {
    client_sig: u8,
    blocks: Vec<Vec<Vec<u8>>>,
    user_root: u32,
}

impl Heap {
    fn new(client_sig: u8) -> Self {
        Heap {
            client_sig,
            blocks: vec![Vec::new()],
            user_root: 0,
        }
    }

    /// Block 0 starts with HNHDR (12 bytes), blocks 8, 136, 264, ... with HNBITMAPHDR (66),
    /// the others with HNPAGEHDR (2).
    fn header_size(block: usize) -> usize {
        match block {
            0 => 12,
            b if b % 128 == 8 => 66,
            _ => 2,
        }
    }

    fn fits(&self, block: usize, len: usize) -> bool {
        let items = &self.blocks[block];
        let used: usize = Self::header_size(block) + items.iter().map(Vec::len).sum::<usize>();
        let map = 4 + 2 * (items.len() + 2);
        align((used + len) as u64, 2) as usize + map <= MAX_BLOCK_DATA && items.len() < 2047
    }

    /// Allocates `data`, returning its HID (hidType 0, 1-based hidIndex, hidBlockIndex).
    fn alloc(&mut self, data: Vec<u8>) -> u32 {
        assert!(data.len() <= MAX_HEAP_ITEM);
        if !self.fits(self.blocks.len() - 1, data.len()) {
            self.blocks.push(Vec::new());
        }
        let block = self.blocks.len() - 1;
        self.blocks[block].push(data);
        ((block as u32) << 16) | ((self.blocks[block].len() as u32) << 5)
    }

    /// Each heap block: header, allocations, then at a WORD boundary the HNPAGEMAP (cAlloc,
    /// cFree, and cAlloc + 1 offsets: each allocation's start and the end of the last).
    fn into_blocks(self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for (i, items) in self.blocks.into_iter().enumerate() {
            let mut b = vec![0; Self::header_size(i)];
            let mut offsets = Vec::new();
            for item in items {
                offsets.push(b.len() as u16);
                b.extend_from_slice(&item);
            }
            offsets.push(b.len() as u16);
            if b.len() % 2 == 1 {
                b.push(0);
            }
            let map_at = b.len() as u16;
            put16(&mut b, offsets.len() as u16 - 1);
            put16(&mut b, 0);
            for o in offsets {
                put16(&mut b, o);
            }
            b[0..2].copy_from_slice(&map_at.to_le_bytes());
            if i == 0 {
                b[2] = 0xEC; // bSig
                b[3] = self.client_sig;
                b[4..8].copy_from_slice(&self.user_root.to_le_bytes());
            }
            out.push(b);
        }
        out
    }
}

/// Writes a BTree-on-heap of sorted (key, value) records and returns its BTHHEADER's HID.
/// Leaves hold the records; each level above holds (first key, HID) of the one below.
fn bth(heap: &mut Heap, key_size: u8, value_size: u8, records: &[(Vec<u8>, Vec<u8>)]) -> u32 {
    let (root, levels) = if records.is_empty() {
        (0, 0)
    } else {
        let per = MAX_HEAP_ITEM / (key_size + value_size) as usize;
        let mut level: Vec<(Vec<u8>, u32)> = records
            .chunks(per)
            .map(|group| {
                let bytes = group.iter().flat_map(|(k, v)| k.iter().chain(v)).copied();
                (group[0].0.clone(), heap.alloc(bytes.collect()))
            })
            .collect();
        let mut levels = 0u8;
        while level.len() > 1 {
            levels += 1;
            let per = MAX_HEAP_ITEM / (key_size as usize + 4);
            level = level
                .chunks(per)
                .map(|group| {
                    let mut bytes = Vec::new();
                    for (k, hid) in group {
                        bytes.extend_from_slice(k);
                        put32(&mut bytes, *hid);
                    }
                    (group[0].0.clone(), heap.alloc(bytes))
                })
                .collect();
        }
        (level[0].1, levels)
    };
    let mut header = vec![0xB5, key_size, value_size, levels];
    put32(&mut header, root);
    heap.alloc(header)
}

/// How a property is stored.
#[derive(Clone)]
enum Stored {
    /// In the 4 bytes of the record itself (or the table cell).
    Inline(u32, u8),
    /// Fixed 8 bytes (PtypInteger64, PtypTime; in a PC always in the heap).
    Fixed(Vec<u8>),
    /// Variable size: in the heap, or in a subnode when too big for it.
    Var(Vec<u8>),
    /// PtypObject: a heap item of (subnode NID, size).
    Object(u32, u32),
}

/// How `value` is stored; in an ANSI file PtypString values become PtypString8.
fn stored(value: &Value, ansi: bool) -> (u16, Stored) {
    match value {
        Value::Unicode(s) if ansi => (PT_STRING8, Stored::Var(latin1(s))),
        Value::Int32(v) => (PT_INT32, Stored::Inline(*v as u32, 4)),
        Value::Bool(v) => (PT_BOOL, Stored::Inline(u32::from(*v), 1)),
        Value::Int64(v) => (PT_INT64, Stored::Fixed(v.to_le_bytes().to_vec())),
        Value::Time(v) => (PT_TIME, Stored::Fixed(v.to_le_bytes().to_vec())),
        Value::Unicode(s) => (PT_UNICODE, Stored::Var(utf16(s))),
        Value::String8(b) => (PT_STRING8, Stored::Var(b.clone())),
        Value::Binary(b) => (PT_BINARY, Stored::Var(b.clone())),
    }
}

/// Properties by id: (type, stored value).
type PropMap = BTreeMap<u16, (u16, Stored)>;

/// Sorted, deduplicated (id, type, stored value).
fn props_in(props: &[(u16, Value)], ansi: bool) -> PropMap {
    props.iter().map(|(id, v)| (*id, stored(v, ansi))).collect()
}

/// A folder's row in its parent's hierarchy table, and its own properties.
#[derive(Clone)]
struct ChildFolder {
    nid: u32,
    name: String,
    class: String,
    count: usize,
    has_children: bool,
}

impl ChildFolder {
    fn props(&self, ansi: bool) -> PropMap {
        let mut p = vec![
            (0x3001, Value::Unicode(self.name.clone())),
            (0x3602, Value::Int32(self.count as i32)),
            (0x3603, Value::Int32(0)),
            (0x360A, Value::Bool(self.has_children)),
        ];
        if self.nid != NID_ROOT_FOLDER {
            p.push((0x3613, Value::Unicode(self.class.clone())));
        }
        props_in(&p, ansi)
    }
}

const HIERARCHY_COLUMNS: &[(u16, u16)] = &[
    (0x3001, PT_UNICODE),
    (0x3602, PT_INT32),
    (0x3603, PT_INT32),
    (0x360A, PT_BOOL),
    (0x3613, PT_UNICODE),
];

const CONTENTS_COLUMNS: &[(u16, u16)] = &[
    (0x001A, PT_UNICODE), // PR_MESSAGE_CLASS
    (0x0037, PT_UNICODE), // PR_SUBJECT
    (0x0042, PT_UNICODE), // PR_SENT_REPRESENTING_NAME
    (0x0C1A, PT_UNICODE), // PR_SENDER_NAME
    (0x0E06, PT_TIME),    // PR_MESSAGE_DELIVERY_TIME
    (0x0E07, PT_INT32),   // PR_MESSAGE_FLAGS
    (0x0E08, PT_INT32),   // PR_MESSAGE_SIZE
    (0x0E17, PT_INT32),   // PR_MSG_STATUS
    (0x3008, PT_TIME),    // PR_LAST_MODIFICATION_TIME
];

const RECIPIENT_COLUMNS: &[(u16, u16)] = &[
    (0x0C15, PT_INT32),   // PR_RECIPIENT_TYPE
    (0x0E0F, PT_BOOL),    // PR_RESPONSIBILITY
    (0x0FFE, PT_INT32),   // PR_OBJECT_TYPE
    (0x3001, PT_UNICODE), // PR_DISPLAY_NAME
    (0x3002, PT_UNICODE), // PR_ADDRTYPE
    (0x3003, PT_UNICODE), // PR_EMAIL_ADDRESS
    (0x3900, PT_INT32),   // PR_DISPLAY_TYPE
    (0x39FE, PT_UNICODE), // PR_SMTP_ADDRESS
];

const ATTACHMENT_COLUMNS: &[(u16, u16)] = &[
    (0x0E20, PT_INT32),   // PR_ATTACH_SIZE
    (0x0E21, PT_INT32),   // PR_ATTACH_NUM
    (0x3704, PT_UNICODE), // PR_ATTACH_FILENAME
    (0x3705, PT_INT32),   // PR_ATTACH_METHOD
    (0x3707, PT_UNICODE), // PR_ATTACH_LONG_FILENAME
    (0x370B, PT_INT32),   // PR_RENDERING_POSITION
    (0x370E, PT_UNICODE), // PR_ATTACH_MIME_TAG
];

struct Writer {
    ndb: Ndb,
    next_ltp: u32,
    next_embedded: u32,
}

impl Writer {
    fn new(permute: bool, ansi: bool) -> Self {
        Writer {
            ndb: Ndb::new(permute, ansi),
            next_ltp: 0x100,
            next_embedded: 0x100,
        }
    }

    fn node(&mut self, nid: u32, parent: u32, content: Content) {
        self.ndb.node(nid, parent, content);
    }

    fn ansi(&self) -> bool {
        self.ndb.ansi
    }

    fn finish(self) -> Vec<u8> {
        self.ndb.finish()
    }

    /// A value that does not fit the heap gets a subnode of its own (NID type LTP).
    fn hnid(&mut self, heap: &mut Heap, bytes: &[u8], subnodes: &mut Vec<(u32, Content)>) -> u32 {
        if bytes.is_empty() {
            0
        } else if bytes.len() <= MAX_HEAP_ITEM {
            heap.alloc(bytes.to_vec())
        } else {
            self.next_ltp += 1;
            let nid = make_nid(NID_TYPE_LTP, self.next_ltp);
            subnodes.push((nid, Content::raw(bytes, self.ndb.max_data())));
            nid
        }
    }

    /// A property context: a heap (client signature bcPC) whose user root is a BTH of
    /// 2-byte property ids to 6-byte (wPropType, dwValueHnid) records.
    fn pc(&mut self, props: &PropMap) -> Content {
        let mut heap = Heap::new(0xBC);
        let mut subnodes = Vec::new();
        let mut records = Vec::new();
        for (&id, (ptype, value)) in props {
            let hnid = match value {
                Stored::Inline(v, _) => *v,
                Stored::Fixed(bytes) => heap.alloc(bytes.clone()),
                Stored::Var(bytes) => self.hnid(&mut heap, bytes, &mut subnodes),
                Stored::Object(nid, size) => {
                    let mut b = Vec::new();
                    put32(&mut b, *nid);
                    put32(&mut b, *size);
                    heap.alloc(b)
                }
            };
            let mut record = Vec::new();
            put16(&mut record, *ptype);
            put32(&mut record, hnid);
            records.push((id.to_le_bytes().to_vec(), record));
        }
        heap.user_root = bth(&mut heap, 2, 6, &records);
        Content {
            data: heap.into_blocks(),
            subnodes,
        }
    }

    /// A table context (client signature bcTC). Rows are (row id, properties); `columns` are
    /// added to the required PidTagLtpRowId and PidTagLtpRowVer. Cells whose property is
    /// missing, or has another type than its column, are left out of the row's CEB.
    fn tc(&mut self, columns: &[(u16, u16)], rows: &[(u32, PropMap)]) -> Content {
        let mut cols: Vec<(u16, u16)> = columns.to_vec();
        if self.ansi() {
            // An ANSI file's string columns are PtypString8, as its string values are.
            for c in cols.iter_mut().filter(|c| c.1 == PT_UNICODE) {
                c.1 = PT_STRING8;
            }
        }
        cols.sort();
        cols.dedup_by_key(|c| c.0);
        // Row layout: dwRowID and the row version first, then 8-byte values, 4-byte values
        // (including the HNIDs of variable-size ones), 1-byte values, and the CEB.
        let width = |t: u16| match t {
            PT_INT64 | PT_TIME => 8,
            PT_BOOL => 1,
            _ => 4,
        };
        let mut offset = BTreeMap::new();
        let mut at = 8u16;
        let mut end_4 = at;
        for size in [8, 4, 1] {
            for &(id, t) in &cols {
                if width(t) == size {
                    offset.insert(id, at);
                    at += size;
                }
            }
            if size == 4 {
                end_4 = at;
            }
        }
        let end_1 = at;
        let n_cols = cols.len() + 2;
        let row_size = end_1 as usize + n_cols.div_ceil(8);

        let mut heap = Heap::new(0x7C);
        let mut subnodes = Vec::new();
        let mut matrix = Vec::new();
        for (version, (row_id, props)) in rows.iter().enumerate() {
            let mut row = vec![0u8; row_size];
            row[0..4].copy_from_slice(&row_id.to_le_bytes());
            row[4..8].copy_from_slice(&(version as u32 + 1).to_le_bytes());
            let ceb = end_1 as usize;
            row[ceb] |= 0xC0; // bits 0 and 1: row id and row version
            for (i, &(id, t)) in cols.iter().enumerate() {
                let Some((ptype, value)) = props.get(&id) else {
                    continue;
                };
                if *ptype != t {
                    continue;
                }
                let o = offset[&id] as usize;
                match value {
                    Stored::Inline(v, 4) => row[o..o + 4].copy_from_slice(&v.to_le_bytes()),
                    Stored::Inline(v, _) => row[o] = *v as u8,
                    Stored::Fixed(bytes) => row[o..o + 8].copy_from_slice(bytes),
                    Stored::Var(bytes) if bytes.is_empty() => continue,
                    Stored::Var(bytes) => {
                        let hnid = self.hnid(&mut heap, bytes, &mut subnodes);
                        row[o..o + 4].copy_from_slice(&hnid.to_le_bytes());
                    }
                    Stored::Object(..) => continue,
                }
                let bit = i + 2;
                row[ceb + bit / 8] |= 0x80 >> (bit % 8);
            }
            matrix.push(row);
        }

        // Row index: a BTH of row id -> row number (TCROWID: 4 bytes, 2 in an ANSI file),
        // sorted by row id.
        let mut index: Vec<(u32, u32)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.0, i as u32))
            .collect();
        index.sort();
        let index_size = if self.ansi() { 2 } else { 4 };
        assert!(
            index_size == 4 || rows.len() <= 0x1_0000,
            "too many rows for ANSI"
        );
        let records: Vec<(Vec<u8>, Vec<u8>)> = index
            .iter()
            .map(|(id, i)| {
                let row = i.to_le_bytes()[..index_size].to_vec();
                (id.to_le_bytes().to_vec(), row)
            })
            .collect();
        let row_index = bth(&mut heap, 4, index_size as u8, &records);

        // The row matrix: in the heap when it fits one allocation, otherwise a subnode whose
        // blocks each hold whole rows.
        let all: Vec<u8> = matrix.concat();
        let rows_hnid = if all.is_empty() {
            0
        } else if all.len() <= MAX_HEAP_ITEM {
            heap.alloc(all)
        } else {
            self.next_ltp += 1;
            let nid = make_nid(NID_TYPE_LTP, self.next_ltp);
            let per_block = self.ndb.max_data() / row_size;
            let data = matrix.chunks(per_block).map(|c| c.concat()).collect();
            subnodes.push((
                nid,
                Content {
                    data,
                    subnodes: Vec::new(),
                },
            ));
            nid
        };

        // TCINFO: bType, cCols, rgib (ends of the 4-, 2-, 1-byte areas and of the CEB),
        // hidRowIndex, hnidRows, hidIndex (deprecated), then a TCOLDESC (tag, ibData, cbData,
        // iBit) per column, sorted by tag.
        let mut descs = vec![
            (0x67F2u16, PT_INT32, 0u16, 4u8, 0u8),
            (0x67F3, PT_INT32, 4, 4, 1),
        ];
        for (i, &(id, t)) in cols.iter().enumerate() {
            descs.push((id, t, offset[&id], width(t) as u8, (i + 2) as u8));
        }
        descs.sort_by_key(|d| (u32::from(d.0) << 16) | u32::from(d.1));
        let mut info = vec![0x7C, descs.len() as u8];
        put16(&mut info, end_4);
        put16(&mut info, end_4);
        put16(&mut info, end_1);
        put16(&mut info, row_size as u16);
        put32(&mut info, row_index);
        put32(&mut info, rows_hnid);
        put32(&mut info, 0);
        for (id, t, o, size, bit) in descs {
            put16(&mut info, t);
            put16(&mut info, id);
            put16(&mut info, o);
            info.extend_from_slice(&[size, bit]);
        }
        heap.user_root = heap.alloc(info);
        Content {
            data: heap.into_blocks(),
            subnodes,
        }
    }

    /// A folder: its PC, and its hierarchy, contents and associated contents tables, which
    /// share the folder's NID index with their own NID types.
    fn folder(
        &mut self,
        me: &ChildFolder,
        parent: u32,
        children: &[ChildFolder],
        messages: &[(u32, &MessageSpec)],
    ) {
        let index = me.nid >> 5;
        let content = self.pc(&me.props(self.ansi()));
        self.node(me.nid, parent, content);
        let rows: Vec<_> = children
            .iter()
            .map(|c| (c.nid, c.props(self.ansi())))
            .collect();
        let content = self.tc(HIERARCHY_COLUMNS, &rows);
        self.node(make_nid(NID_TYPE_HIERARCHY_TABLE, index), 0, content);
        let rows: Vec<_> = messages
            .iter()
            .map(|(nid, m)| (*nid, message_props(m, self.ansi())))
            .collect();
        let content = self.tc(CONTENTS_COLUMNS, &rows);
        self.node(make_nid(NID_TYPE_CONTENTS_TABLE, index), 0, content);
        let content = self.tc(CONTENTS_COLUMNS, &[]);
        self.node(make_nid(NID_TYPE_ASSOC_CONTENTS_TABLE, index), 0, content);
    }

    /// A message's PC and subnodes: the recipient table (always), the attachment table and
    /// one attachment PC per attachment (when there are any), and large property values.
    fn message(&mut self, message: &MessageSpec) -> Content {
        let mut content = self.pc(&message_props(message, self.ansi()));

        let mut columns = RECIPIENT_COLUMNS.to_vec();
        let rows: Vec<_> = message
            .recipients
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let props = props_in(r, self.ansi());
                for (&id, (t, _)) in &props {
                    if !columns.iter().any(|c| c.0 == id) {
                        columns.push((id, *t));
                    }
                }
                (i as u32, props)
            })
            .collect();
        let table = self.tc(&columns, &rows);
        content.subnodes.push((NID_RECIPIENT_TABLE, table));

        if !message.attachments.is_empty() {
            // The attachment table has the usual columns and every other given property but
            // the attachment's data (PR_ATTACH_DATA_BIN / _OBJ, 0x3701).
            let mut columns = ATTACHMENT_COLUMNS.to_vec();
            let mut rows = Vec::new();
            for (i, attachment) in message.attachments.iter().enumerate() {
                let nid = make_nid(NID_TYPE_ATTACHMENT, 0x400 + i as u32);
                let (props, embedded) = self.attachment_props(i, attachment);
                let mut pc = self.pc(&props);
                if let Some(sub) = embedded {
                    pc.subnodes.push(sub);
                }
                content.subnodes.push((nid, pc));
                for (&id, (t, _)) in &props {
                    if id != 0x3701 && !columns.iter().any(|c| c.0 == id) {
                        columns.push((id, *t));
                    }
                }
                rows.push((nid, props));
            }
            let table = self.tc(&columns, &rows);
            content.subnodes.push((NID_ATTACHMENT_TABLE, table));
        }
        content
    }

    /// An attachment's properties, and for an embedded message the subnode that holds it.
    /// [MS-PST] 2.4.6.2 keeps that subnode in the attachment object's own subnode tree.
    fn attachment_props(
        &mut self,
        index: usize,
        attachment: &AttachmentSpec,
    ) -> (PropMap, Option<(u32, Content)>) {
        let ansi = self.ansi();
        let defaults = |props: &Props, size: usize| {
            let mut p = props_in(
                &[
                    (0x0E20, Value::Int32(size as i32)),
                    (0x0E21, Value::Int32(index as i32)),
                ],
                ansi,
            );
            p.extend(props_in(props, ansi));
            p
        };
        match attachment {
            AttachmentSpec::Data { props, data } => {
                let mut p = defaults(props, data.len());
                p.insert(0x3705, stored(&Value::Int32(1), ansi));
                p.insert(0x3701, stored(&Value::Binary(data.clone()), ansi));
                (p, None)
            }
            AttachmentSpec::Embedded { props, message } => {
                let inner = self.message(message);
                let size: usize = inner.data.iter().map(Vec::len).sum();
                self.next_embedded += 1;
                let nid = make_nid(NID_TYPE_NORMAL_MESSAGE, self.next_embedded);
                let mut p = defaults(props, size);
                p.insert(0x3705, stored(&Value::Int32(5), ansi));
                p.insert(0x3701, (PT_OBJECT, Stored::Object(nid, size as u32)));
                (p, Some((nid, inner)))
            }
        }
    }
}

/// A message's properties, with PR_MESSAGE_CLASS "IPM.Note" unless given.
fn message_props(message: &MessageSpec, ansi: bool) -> PropMap {
    let mut p = props_in(&[(0x001A, Value::Unicode("IPM.Note".into()))], ansi);
    p.extend(props_in(&message.props, ansi));
    p
}
