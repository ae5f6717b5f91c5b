//! Which slot holds the document at each path.
//!
//! The paths are not stored a second time: an entry is a slot, and its path
//! is read from the document in it. A copy of every path with its table
//! slot was a megabyte of a 10,000-note workspace.

use std::path::Path;

use hashbrown::HashTable;

use super::definitions::Docs;
use super::{DocId, fx_hash as hash};

/// The path of the document in slot `id`, which is live.
fn path_of(docs: &Docs, id: DocId) -> &Path {
    &docs[id.0 as usize].as_deref().expect("an indexed slot holds a document").path
}

#[derive(Default, Clone)]
pub(super) struct Paths {
    table: HashTable<DocId>,
}

impl Paths {
    pub fn get(&self, docs: &Docs, path: &Path) -> Option<DocId> {
        self.table.find(hash(path), |&id| path_of(docs, id) == path).copied()
    }

    /// Records that slot `id` is for `path`, which has none yet; every other
    /// recorded slot holds its document.
    pub fn insert(&mut self, docs: &Docs, path: &Path, id: DocId) {
        self.table.insert_unique(hash(path), id, |&other| hash(path_of(docs, other)));
    }

    /// Forgets `path`, whose document is still in `docs`; its slot.
    pub fn remove(&mut self, docs: &Docs, path: &Path) -> Option<DocId> {
        let entry = self.table.find_entry(hash(path), |&id| path_of(docs, id) == path).ok()?;
        Some(entry.remove().0)
    }

    /// Makes room for `additional` more paths at once: growing step by
    /// step would hash every path again (component by component).
    pub fn reserve(&mut self, docs: &Docs, additional: usize) {
        self.table.reserve(additional, |&id| hash(path_of(docs, id)));
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}
