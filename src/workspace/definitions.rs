//! Who defines each id of one namespace.
//!
//! The names are not stored: each entry holds where its id is defined, and
//! the name is read from that document's text when a lookup compares it. A
//! workspace defines an id per claim it names (150,000 in the 10,000-note
//! benchmark): boxed names and their table slots were a tenth of the
//! server's memory.

use std::hash::BuildHasher;
use std::sync::Arc;

use hashbrown::HashTable;

use super::{DocId, Document};
use crate::syntax::Namespace;

/// Where an id is defined: a definition block or a claim's `#id`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct DefLoc {
    pub doc: DocId,
    /// Index into the document's `definitions` (actors, sources) or `claims`.
    pub item: u32,
}

/// The definitions of one id: one, unless it is defined twice or more (the
/// rare case pays for a second allocation, keeping the common one at 16 bytes).
#[derive(Clone, Debug)]
pub(super) enum Locs {
    One(DefLoc),
    // A thin pointer: a `Vec` here would make every entry 32 bytes.
    #[allow(clippy::box_collection)]
    Many(Box<Vec<DefLoc>>),
}

const _: () = assert!(std::mem::size_of::<Locs>() == 16);

impl Locs {
    pub fn as_slice(&self) -> &[DefLoc] {
        match self {
            Locs::One(loc) => std::slice::from_ref(loc),
            Locs::Many(locs) => locs,
        }
    }

    fn first(&self) -> DefLoc {
        self.as_slice()[0]
    }

    fn push(&mut self, loc: DefLoc) {
        match self {
            Locs::One(first) => *self = Locs::Many(Box::new(vec![*first, loc])),
            Locs::Many(locs) => locs.push(loc),
        }
    }

    /// Drops the definitions in `doc`; false when none is left.
    fn retain_other_than(&mut self, doc: DocId) -> bool {
        match self {
            Locs::One(loc) => loc.doc != doc,
            Locs::Many(locs) => {
                locs.retain(|loc| loc.doc != doc);
                if let [only] = locs[..] {
                    *self = Locs::One(only);
                }
                !self.as_slice().is_empty()
            }
        }
    }
}

/// The workspace's documents by id, which the entries' names are read from.
pub(super) type Docs = [Option<Arc<Document>>];

/// The name defined at `loc`. Every entry's documents are live: a document
/// leaves the table before it leaves the workspace.
fn name_at(docs: &Docs, namespace: Namespace, loc: DefLoc) -> &str {
    let document = docs[loc.doc.0 as usize].as_deref().expect("an indexed document is live");
    let text = &document.text;
    match namespace {
        Namespace::Claim => {
            document.parse.claims[loc.item as usize].id_name(text).expect("only claims with an id are indexed")
        }
        _ => document.parse.definitions[loc.item as usize].name(text),
    }
}

fn hash(name: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(name)
}

#[derive(Default, Clone)]
pub(super) struct Definitions {
    table: HashTable<Locs>,
}

impl Definitions {
    pub fn get(&self, docs: &Docs, namespace: Namespace, name: &str) -> Option<&Locs> {
        self.table.find(hash(name), |locs| name_at(docs, namespace, locs.first()) == name)
    }

    /// Records that `loc` (in a document already in `docs`) defines `name`.
    pub fn add(&mut self, docs: &Docs, namespace: Namespace, name: &str, loc: DefLoc) {
        let h = hash(name);
        match self.table.find_mut(h, |locs| name_at(docs, namespace, locs.first()) == name) {
            Some(locs) => locs.push(loc),
            None => {
                self.table.insert_unique(h, Locs::One(loc), |locs| hash(name_at(docs, namespace, locs.first())));
            }
        }
    }

    /// Makes room for `additional` more ids at once: growing step by step
    /// would rehash every entry, each reading its name from its document.
    pub fn reserve(&mut self, docs: &Docs, namespace: Namespace, additional: usize) {
        self.table.reserve(additional, |locs| hash(name_at(docs, namespace, locs.first())));
    }

    /// Forgets `doc`'s definitions of `name`, while `doc` is still in `docs`.
    pub fn remove(&mut self, docs: &Docs, namespace: Namespace, name: &str, doc: DocId) {
        if let Ok(mut entry) = self.table.find_entry(hash(name), |locs| name_at(docs, namespace, locs.first()) == name)
            && !entry.get_mut().retain_other_than(doc)
        {
            entry.remove();
        }
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn names<'d>(&'d self, docs: &'d Docs, namespace: Namespace) -> impl Iterator<Item = &'d str> + 'd {
        self.table.iter().map(move |locs| name_at(docs, namespace, locs.first()))
    }
}
