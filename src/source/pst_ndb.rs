//! A `.pst` file's node and block layer, in either of its formats: Unicode (Outlook 2003 on,
//! 64-bit block ids) or ANSI (Outlook 97 to 2002, 32-bit). The `outlook-pst` crate reads both
//! with types of their own; [`Ndb`] holds one or the other and gives the rest of the reader the
//! few things it asks of a file: a node, a subnode tree, a node's data blocks, a folder, a
//! table. Each is written once, in [`each_format!`], and compiled for both formats.

use outlook_pst::ltp::table_context::{AnsiTableContext, TableContext, UnicodeTableContext};
use outlook_pst::messaging::folder::{AnsiFolder, Folder, UnicodeFolder};
use outlook_pst::messaging::store::{AnsiStore, Store, UnicodeStore};
use outlook_pst::ndb::block::{
    Block, DataTree, IntermediateDataTreeEntry, IntermediateTreeBlock, SubNodeTree,
};
use outlook_pst::ndb::block_id::{AnsiBlockId, BlockId, UnicodeBlockId};
use outlook_pst::ndb::header::Header;
use outlook_pst::ndb::node_id::NodeId;
use outlook_pst::ndb::page::{
    AnsiBlockBTree, AnsiNodeBTreeEntry, NodeBTreeEntry, UnicodeBlockBTree, UnicodeNodeBTreeEntry,
};
use outlook_pst::ndb::root::Root;
use outlook_pst::{AnsiPstFile, PstFile, PstReader, UnicodePstFile};
use std::collections::BTreeMap;
use std::io;
use std::rc::Rc;

/// A node's data and subnode tree, by block id (a 32-bit id of an ANSI file widened).
#[derive(Debug, Clone, Copy)]
pub struct RawNode {
    pub data: u64,
    pub sub: Option<u64>,
}

/// An open file and its message store.
pub enum Ndb {
    Unicode(Rc<UnicodePstFile>, Rc<UnicodeStore>),
    Ansi(Rc<AnsiPstFile>, Rc<AnsiStore>),
}

/// A block id of either format, as the 64-bit number [`RawNode`] keeps.
trait BlockNumber: Sized {
    fn number(self) -> u64;
    fn of(number: u64) -> Self;
}

impl BlockNumber for UnicodeBlockId {
    fn number(self) -> u64 {
        u64::from(self)
    }
    fn of(number: u64) -> Self {
        UnicodeBlockId::from(number)
    }
}

impl BlockNumber for AnsiBlockId {
    fn number(self) -> u64 {
        u64::from(u32::from(self))
    }
    fn of(number: u64) -> Self {
        // Only ever a number this file gave out, so it fits.
        AnsiBlockId::from(number as u32)
    }
}

/// Runs `$body` for the file's format, with `$pst` and `$store` bound to its file and store
/// and the format's types named as [`with_types!`] names them.
macro_rules! each_format {
    ($ndb:expr, |$pst:ident, $store:ident| $body:expr) => {
        match $ndb {
            Ndb::Unicode($pst, $store) => with_types!(
                UnicodePstFile,
                UnicodeBlockBTree,
                UnicodeBlockId,
                UnicodeNodeBTreeEntry,
                UnicodeFolder,
                UnicodeTableContext,
                $body
            ),
            Ndb::Ansi($pst, $store) => with_types!(
                AnsiPstFile,
                AnsiBlockBTree,
                AnsiBlockId,
                AnsiNodeBTreeEntry,
                AnsiFolder,
                AnsiTableContext,
                $body
            ),
        }
    };
}

/// `$body` with one format's types named `File`, `BlockTree`, `Id`, `NodeEntry`, `FolderOf`
/// and `TableOf` (each body uses some of them).
macro_rules! with_types {
    ($file:ty, $tree:ty, $id:ty, $entry:ty, $folder:ty, $table:ty, $body:expr) => {{
        #[allow(unused)]
        type File = $file;
        #[allow(unused)]
        type BlockTree = $tree;
        #[allow(unused)]
        type Id = $id;
        #[allow(unused)]
        type NodeEntry = $entry;
        #[allow(unused)]
        type FolderOf = $folder;
        #[allow(unused)]
        type TableOf = $table;
        $body
    }};
}

impl Ndb {
    /// Opens the file `reader` reads, in the format its header's version names.
    pub fn open(reader: Box<dyn PstReader>, ansi: bool) -> io::Result<Ndb> {
        Ok(if ansi {
            let pst = Rc::new(AnsiPstFile::read_from(reader)?);
            let store = AnsiStore::read(pst.clone())?;
            Ndb::Ansi(pst, store)
        } else {
            let pst = Rc::new(UnicodePstFile::read_from(reader)?);
            let store = UnicodeStore::read(pst.clone())?;
            Ndb::Unicode(pst, store)
        })
    }

    /// The folder whose node is `id`.
    pub fn folder(&self, id: u32) -> io::Result<Rc<dyn Folder>> {
        each_format!(self, |_pst, store| {
            let entry = store.properties().make_entry_id(NodeId::from(id))?;
            let folder: Rc<dyn Folder> = FolderOf::read(store.clone(), &entry)?;
            Ok(folder)
        })
    }

    /// The table context kept in `node`, a subnode `id` of a message (its recipients or its
    /// attachments).
    pub fn table(&self, id: u32, node: RawNode) -> io::Result<Rc<dyn TableContext>> {
        each_format!(self, |_pst, store| {
            let entry = NodeEntry::new(
                NodeId::from(id),
                Id::of(node.data),
                node.sub.map(Id::of),
                None,
            );
            TableOf::read(store.clone(), entry)
        })
    }

    /// The top-level node `id`, from the node B-tree.
    pub fn node(&self, id: u32) -> io::Result<RawNode> {
        each_format!(self, |pst, _store| {
            let node = pst.read_node(NodeId::from(id))?;
            Ok(RawNode {
                data: node.data().number(),
                sub: node.sub_node().map(BlockNumber::number),
            })
        })
    }

    /// The entries of a subnode tree, by node id.
    pub fn subnodes(&self, tree: Option<u64>) -> io::Result<BTreeMap<u32, RawNode>> {
        let Some(tree) = tree else {
            return Ok(BTreeMap::new());
        };
        each_format!(self, |pst, _store| {
            // The file is the crate's, behind its lock: held only here, and never across
            // another call into the crate (its lock does not nest).
            let mut file = pst.reader().lock().map_err(|_| locked())?;
            let file = &mut *file;
            let blocks = BlockTree::read(file, *pst.header().root().block_btree())?;
            let mut cache = Default::default();
            let block = blocks.find_entry(file, Id::of(tree).search_key(), &mut cache)?;
            let tree = SubNodeTree::<File>::read(file, &block)?;
            let entries = tree.entries(file, &blocks, &mut cache)?;
            Ok(entries
                .map(|entry| {
                    let node = RawNode {
                        data: entry.block().number(),
                        sub: entry.sub_node().map(BlockNumber::number),
                    };
                    (u32::from(entry.node()), node)
                })
                .collect())
        })
    }

    /// A node's data blocks one by one, decoded: a heap keeps one heap page per block. At most
    /// `limit` bytes of them.
    ///
    /// The data tree (an XBLOCK listing blocks, or an XXBLOCK listing XBLOCKs) is walked here,
    /// not by the crate: its walk keeps each block it has read and hands it out again for
    /// every entry that names it, so a tree naming one block a million times would make
    /// gigabytes of a few kilobytes read, out of sight of the guard that counts reads.
    pub fn data_blocks(&self, data: u64, limit: usize) -> io::Result<Vec<Vec<u8>>> {
        each_format!(self, |pst, _store| {
            let mut file = pst.reader().lock().map_err(|_| locked())?;
            let file = &mut *file;
            let encoding = pst.header().crypt_method();
            let blocks = BlockTree::read(file, *pst.header().root().block_btree())?;
            let mut cache = Default::default();
            let mut pending = vec![(data, 0u8)];
            let mut out = Vec::new();
            let mut total = 0usize;
            while let Some((id, depth)) = pending.pop() {
                let block = blocks.find_entry(file, Id::of(id).search_key(), &mut cache)?;
                match DataTree::<File>::read(file, encoding, &block)? {
                    DataTree::Leaf(leaf) => {
                        total += leaf.data().len();
                        if total > limit {
                            return Err(io::Error::other(format!(
                                "a value's blocks come to more than {limit} bytes"
                            )));
                        }
                        out.push(leaf.data().to_vec());
                    }
                    // An XXBLOCK lists XBLOCKs, which list data blocks: two levels at most.
                    DataTree::Intermediate(_) if depth >= 2 => {
                        return Err(io::Error::other(
                            "malformed data tree: deeper than two levels",
                        ))
                    }
                    DataTree::Intermediate(tree) => {
                        let children = tree.entries().iter().rev();
                        pending.extend(children.map(|entry| (entry.block().number(), depth + 1)));
                    }
                }
            }
            Ok(out)
        })
    }
}

fn locked() -> io::Error {
    io::Error::other("the file's lock was poisoned")
}
