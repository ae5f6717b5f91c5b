//! Who defines each id of one namespace.
//!
//! The names are not stored: each entry holds where its id is defined, and
//! the name is read from that document's text when a lookup compares it. A
//! workspace defines an id per claim it names (150,000 in the 10,000-note
//! benchmark): boxed names and their table slots were a tenth of the
//! server's memory.

use std::sync::Arc;

use hashbrown::HashTable;

use super::{DocId, Document, fx_hash as hash};
use crate::syntax::Namespace;

/// Where an id is defined: a definition block or a claim's `#id`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct DefLoc {
    pub doc: DocId,
    /// Index into the document's `definitions` (actors, sources) or `claims`.
    pub item: u32,
}

/// A table entry: the one definition of an id, or (rarely: a duplicate)
/// `doc` [`LIST`] and `item` the index of its list in [`Definitions`]. A
/// boxed list beside each entry would make all of them twice as large.
#[derive(Clone, Copy, Debug)]
struct Entry(DefLoc);

/// No document has this id: the workspace's ids stay below 2³¹.
const LIST: DocId = DocId(u32::MAX);

const _: () = assert!(std::mem::size_of::<Entry>() == 8);

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

#[derive(Default, Clone)]
pub(super) struct Definitions {
    table: HashTable<Entry>,
    /// The definitions of the ids defined more than once; a free slot is empty.
    lists: Vec<Vec<DefLoc>>,
    free: Vec<u32>,
}

/// Every definition an entry stands for.
fn locs<'d>(lists: &'d [Vec<DefLoc>], entry: &'d Entry) -> &'d [DefLoc] {
    if entry.0.doc == LIST { &lists[entry.0.item as usize] } else { std::slice::from_ref(&entry.0) }
}

impl Definitions {
    /// Where `name` is defined, in the order the definitions were added.
    pub fn get(&self, docs: &Docs, namespace: Namespace, name: &str) -> Option<&[DefLoc]> {
        let lists = &self.lists;
        let entry = self.table.find(hash(name), |e| name_at(docs, namespace, locs(lists, e)[0]) == name)?;
        Some(locs(lists, entry))
    }

    /// Records that `loc` (in a document already in `docs`) defines `name`.
    pub fn add(&mut self, docs: &Docs, namespace: Namespace, name: &str, loc: DefLoc) {
        let lists = &self.lists;
        // One probe finds the id or the slot for it: the claims table is
        // too big for the cache, and a second probe was a second miss.
        let found = self.table.entry(
            hash(name),
            |e| name_at(docs, namespace, locs(lists, e)[0]) == name,
            |e| hash(name_at(docs, namespace, locs(lists, e)[0])),
        );
        match found {
            hashbrown::hash_table::Entry::Occupied(mut entry) => {
                let Entry(first) = entry.get_mut();
                if first.doc == LIST {
                    self.lists[first.item as usize].push(loc);
                    return;
                }
                let list = vec![*first, loc];
                let slot = match self.free.pop() {
                    Some(slot) => {
                        self.lists[slot as usize] = list;
                        slot
                    }
                    None => {
                        self.lists.push(list);
                        self.lists.len() as u32 - 1
                    }
                };
                *first = DefLoc { doc: LIST, item: slot };
            }
            hashbrown::hash_table::Entry::Vacant(entry) => {
                entry.insert(Entry(loc));
            }
        }
    }

    /// Makes room for `additional` more ids at once: growing step by step
    /// would rehash every entry, each reading its name from its document.
    pub fn reserve(&mut self, docs: &Docs, namespace: Namespace, additional: usize) {
        let lists = &self.lists;
        self.table.reserve(additional, |e| hash(name_at(docs, namespace, locs(lists, e)[0])));
    }

    /// Forgets `doc`'s definitions of `name`, while `doc` is still in `docs`.
    pub fn remove(&mut self, docs: &Docs, namespace: Namespace, name: &str, doc: DocId) {
        let lists = &self.lists;
        let Ok(mut found) = self.table.find_entry(hash(name), |e| name_at(docs, namespace, locs(lists, e)[0]) == name)
        else {
            return;
        };
        let Entry(first) = *found.get();
        if first.doc != LIST {
            if first.doc == doc {
                found.remove();
            }
            return;
        }
        let list = &mut self.lists[first.item as usize];
        list.retain(|loc| loc.doc != doc);
        match list[..] {
            [_, _, ..] => return,
            [only] => *found.get_mut() = Entry(only),
            [] => {
                found.remove();
            }
        }
        self.lists[first.item as usize] = Vec::new();
        self.free.push(first.item);
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// The names defined more than once (few, if any).
    pub fn duplicated<'d>(&'d self, docs: &'d Docs, namespace: Namespace) -> impl Iterator<Item = &'d str> + 'd {
        self.lists.iter().filter(|list| !list.is_empty()).map(move |list| name_at(docs, namespace, list[0]))
    }

    pub fn names<'d>(&'d self, docs: &'d Docs, namespace: Namespace) -> impl Iterator<Item = &'d str> + 'd {
        self.table.iter().map(move |e| name_at(docs, namespace, locs(&self.lists, e)[0]))
    }
}
