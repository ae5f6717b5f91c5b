//! All documents of a workspace, the three namespaces (who defines each id)
//! and the reverse index (who mentions it), updated one document at a time.

mod document;
pub mod loader;

pub use document::{Document, Problem};

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::syntax::{Claim, Definition, Namespace, Reference};
use crate::text::TextRange;

/// A document's slot in the workspace; stable while the document stays.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct DocId(pub u32);

/// Where an id is defined: a definition block or a claim's `#id`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct DefLoc {
    doc: DocId,
    /// Index into the document's `definitions` (actors, sources) or `claims`.
    item: u32,
}

/// One definition of an id, resolved.
#[derive(Clone, Copy, Debug)]
pub enum Defined<'w> {
    Block(&'w Definition),
    Claim(&'w Claim),
}

impl<'w> Defined<'w> {
    /// The defining token: `@putin` of `@putin:`, or the claim's `#id`.
    pub fn id_range(self) -> TextRange {
        match self {
            Defined::Block(def) => def.id,
            Defined::Claim(claim) => claim.id.expect("only claims with an id are indexed"),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct DefinitionSite<'w> {
    pub doc: DocId,
    pub document: &'w Document,
    pub defined: Defined<'w>,
}

#[derive(Default, Clone)]
struct Namespaces {
    defs: HashMap<Box<str>, Vec<DefLoc>>,
    /// Name → documents mentioning it, with how many times.
    refs: HashMap<Box<str>, HashMap<DocId, u32>>,
}

#[derive(Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    docs: Vec<Option<Arc<Document>>>,
    free: Vec<u32>,
    by_path: HashMap<PathBuf, DocId>,
    index: [Namespaces; 3],
}

impl Workspace {
    pub fn new(root: PathBuf, config: Config) -> Workspace {
        Workspace {
            root,
            config,
            docs: Vec::new(),
            free: Vec::new(),
            by_path: HashMap::default(),
            index: Default::default(),
        }
    }

    /// Adds or replaces the document at its path. Costs time in proportion
    /// to that document (its old and new ids), not to the workspace.
    pub fn insert(&mut self, document: Document) -> DocId {
        let document = Arc::new(document);
        let id = match self.by_path.get(&document.path) {
            Some(&id) => {
                self.unindex(id);
                id
            }
            None => {
                let id = match self.free.pop() {
                    Some(slot) => DocId(slot),
                    None => {
                        self.docs.push(None);
                        DocId(self.docs.len() as u32 - 1)
                    }
                };
                self.by_path.insert(document.path.clone(), id);
                id
            }
        };
        self.index_document(id, &document);
        self.docs[id.0 as usize] = Some(document);
        id
    }

    pub fn remove(&mut self, path: &Path) -> Option<DocId> {
        let id = self.by_path.remove(path)?;
        self.unindex(id);
        self.docs[id.0 as usize] = None;
        self.free.push(id.0);
        Some(id)
    }

    pub fn doc_id(&self, path: &Path) -> Option<DocId> {
        self.by_path.get(path).copied()
    }

    pub fn document(&self, id: DocId) -> &Document {
        self.docs[id.0 as usize].as_deref().expect("a live document id")
    }

    pub fn get(&self, id: DocId) -> Option<&Document> {
        self.docs.get(id.0 as usize)?.as_deref()
    }

    pub fn documents(&self) -> impl Iterator<Item = (DocId, &Document)> {
        self.docs.iter().enumerate().filter_map(|(i, d)| Some((DocId(i as u32), d.as_deref()?)))
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// Every definition of an id, earliest first (by path, then position),
    /// which is the order `duplicate-definition` reads them in.
    pub fn definitions(&self, namespace: Namespace, name: &str) -> Vec<DefinitionSite<'_>> {
        let Some(locs) = self.index[namespace.index()].defs.get(name) else {
            return Vec::new();
        };
        let mut sites: Vec<_> = locs
            .iter()
            .map(|loc| {
                let document = self.document(loc.doc);
                let defined = match namespace {
                    Namespace::Claim => Defined::Claim(&document.parse.claims[loc.item as usize]),
                    _ => Defined::Block(&document.parse.definitions[loc.item as usize]),
                };
                DefinitionSite { doc: loc.doc, document, defined }
            })
            .collect();
        sites.sort_by(|a, b| {
            (&a.document.path, a.defined.id_range().start).cmp(&(&b.document.path, b.defined.id_range().start))
        });
        sites
    }

    pub fn is_defined(&self, namespace: Namespace, name: &str) -> bool {
        self.index[namespace.index()].defs.contains_key(name)
    }

    /// How many distinct ids a namespace defines.
    pub fn defined_count(&self, namespace: Namespace) -> usize {
        self.index[namespace.index()].defs.len()
    }

    /// Every defined name of a namespace, in no particular order.
    pub fn defined_names(&self, namespace: Namespace) -> impl Iterator<Item = &str> {
        self.index[namespace.index()].defs.keys().map(|k| &**k)
    }

    /// How many references an id has across the workspace.
    pub fn reference_count(&self, namespace: Namespace, name: &str) -> usize {
        self.index[namespace.index()].refs.get(name).map_or(0, |docs| docs.values().map(|&n| n as usize).sum())
    }

    /// Every reference to an id, document by document.
    pub fn references<'w>(
        &'w self,
        namespace: Namespace,
        name: &'w str,
    ) -> impl Iterator<Item = (DocId, &'w Document, &'w Reference)> + 'w {
        let docs = self.index[namespace.index()].refs.get(name);
        docs.into_iter().flat_map(|docs| docs.keys()).flat_map(move |&doc| {
            let document = self.document(doc);
            document
                .parse
                .references
                .iter()
                .filter(move |r| r.namespace == namespace && r.name(&document.text) == name)
                .map(move |r| (doc, document, r))
        })
    }

    fn index_document(&mut self, id: DocId, document: &Document) {
        let text = &document.text;
        for (item, def) in document.parse.definitions.iter().enumerate() {
            let defs = &mut self.index[def.namespace.index()].defs;
            defs.entry(def.name(text).into()).or_default().push(DefLoc { doc: id, item: item as u32 });
        }
        for (item, claim) in document.parse.claims.iter().enumerate() {
            if let Some(name) = claim.id_name(text) {
                let defs = &mut self.index[Namespace::Claim.index()].defs;
                defs.entry(name.into()).or_default().push(DefLoc { doc: id, item: item as u32 });
            }
        }
        // Count per distinct id first: one index update per id, not per mention.
        let mut counts: HashMap<(Namespace, &str), u32> = HashMap::default();
        for reference in &document.parse.references {
            *counts.entry((reference.namespace, reference.name(text))).or_default() += 1;
        }
        for ((namespace, name), count) in counts {
            let refs = &mut self.index[namespace.index()].refs;
            match refs.get_mut(name) {
                Some(docs) => {
                    docs.insert(id, count);
                }
                None => {
                    let mut docs = HashMap::default();
                    docs.insert(id, count);
                    refs.insert(name.into(), docs);
                }
            }
        }
    }

    fn unindex(&mut self, id: DocId) {
        let Some(document) = self.docs[id.0 as usize].clone() else {
            return;
        };
        let text = &document.text;
        let mut drop_def = |namespace: Namespace, name: &str| {
            let defs = &mut self.index[namespace.index()].defs;
            if let Some(locs) = defs.get_mut(name) {
                locs.retain(|loc| loc.doc != id);
                if locs.is_empty() {
                    defs.remove(name);
                }
            }
        };
        for def in &document.parse.definitions {
            drop_def(def.namespace, def.name(text));
        }
        for claim in &document.parse.claims {
            if let Some(name) = claim.id_name(text) {
                drop_def(Namespace::Claim, name);
            }
        }
        let names: FxHashSet<(Namespace, &str)> =
            document.parse.references.iter().map(|r| (r.namespace, r.name(text))).collect();
        for (namespace, name) in names {
            let refs = &mut self.index[namespace.index()].refs;
            if let Some(docs) = refs.get_mut(name) {
                docs.remove(&id);
                if docs.is_empty() {
                    refs.remove(name);
                }
            }
        }
    }
}
