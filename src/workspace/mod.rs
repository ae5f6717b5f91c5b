//! All documents of a workspace, the three namespaces (who defines each id)
//! and the reverse index (who mentions it), updated one document at a time.

pub mod boundary;
mod definitions;
mod document;
pub mod loader;
mod mentions;
mod paths;

pub use crate::syntax::Keep;
pub use document::{Document, FileStamp, Mentioned, Problem};
pub use mentions::Usage;

use rustc_hash::FxHashMap as HashMap;

use definitions::{DefLoc, Definitions, Docs};
use mentions::{Mentions, Presence, Tally};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::syntax::{Claim, Definition, Namespace, Reference, Role};
use crate::text::TextRange;

/// The hash the workspace keys its tables and sorts names by (FxHash). One
/// function for all: [`Document::mentioned`] and the server's lists of
/// what a note defines compare their entries by it.
pub fn fx_hash(value: impl std::hash::Hash) -> u64 {
    std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, value)
}

/// A document's slot in the workspace; stable while the document stays.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct DocId(pub u32);

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
            Defined::Claim(claim) => claim.id().expect("only claims with an id are indexed"),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct DefinitionSite<'w> {
    pub doc: DocId,
    pub document: &'w Document,
    pub defined: Defined<'w>,
}

#[derive(Clone)]
struct Namespaces {
    defs: Definitions,
    refs: Refs,
    /// With [`Usage::Presence`], for sources: how many documents cite each
    /// one in a claim's metadata (`ungraded-source`). A full index counts
    /// the claims citing a source already.
    cited: HashMap<Box<str>, Presence>,
}

/// Name → who mentions it, as much as the workspace's [`Usage`] keeps.
#[derive(Clone)]
enum Refs {
    /// The documents mentioning it, with how many times.
    Full(HashMap<Box<str>, Mentions>),
    Presence(HashMap<Box<str>, Presence>),
    /// Nothing: no rule asks whether a claim is mentioned, and with
    /// [`Usage::Definitions`] nothing is asked of any id.
    Untracked,
}

impl Namespaces {
    fn new(usage: Usage, namespace: Namespace) -> Namespaces {
        let refs = match usage {
            Usage::Full => Refs::Full(HashMap::default()),
            Usage::Presence if namespace == Namespace::Claim => Refs::Untracked,
            Usage::Presence => Refs::Presence(HashMap::default()),
            Usage::Definitions => Refs::Untracked,
        };
        Namespaces { defs: Definitions::default(), refs, cited: HashMap::default() }
    }

    /// Indexes what document `id` (already in `docs`) defines and mentions
    /// in `namespace`.
    fn add(&mut self, docs: &Docs, namespace: Namespace, id: DocId) {
        let document = docs[id.0 as usize].as_deref().expect("a document is in place before it is indexed");
        let text = &document.text;
        if namespace == Namespace::Claim {
            for (item, claim) in document.parse.claims.iter().enumerate() {
                if let Some(name) = claim.id_name(text) {
                    self.defs.add(docs, namespace, name, DefLoc { doc: id, item: item as u32 });
                }
            }
        } else {
            for (item, def) in document.parse.definitions.iter().enumerate().filter(|(_, d)| d.namespace == namespace) {
                self.defs.add(docs, namespace, def.name(text), DefLoc { doc: id, item: item as u32 });
            }
        }
        let mentions = document.parse.references.iter().filter(|r| r.namespace() == namespace);
        let refs = match &mut self.refs {
            Refs::Full(refs) => refs,
            Refs::Presence(refs) => {
                let count = |refs: &mut HashMap<Box<str>, Presence>, name: &str| match refs.get_mut(name) {
                    Some(presence) => presence.count(id),
                    None => {
                        refs.insert(name.into(), Presence::first(id));
                    }
                };
                for r in mentions {
                    let name = r.name(text);
                    count(refs, name);
                    if namespace == Namespace::Source && matches!(r.role(), Role::Citation { .. }) {
                        count(&mut self.cited, name);
                    }
                }
                return;
            }
            Refs::Untracked => return,
        };
        // Count per distinct id first: one index update per id, not per
        // mention. Grouped by hashing, not sorting: a big note has thousands
        // of mentions, and comparing names was most of a keystroke's cost.
        // A claim's mentions are side by side (claims do not nest), so a
        // new claim number for a name is a new claim for it.
        let mut tallies: HashMap<&str, (Tally, u32)> = HashMap::default();
        for r in mentions {
            let (tally, last) = tallies.entry(r.name(text)).or_insert((Tally::default(), u32::MAX));
            tally.mentions += 1;
            if namespace == Namespace::Claim {
                // See `Tally::claims`: for a claim id, its contradictions.
                tally.claims += u32::from(r.role() == Role::Contradicts);
            } else if let Some(claim) = r.claim().filter(|_| counts_for_claim(namespace, r.role()))
                && claim != *last
            {
                tally.claims += 1;
                *last = claim;
            }
        }
        for (name, (tally, _)) in tallies {
            match refs.get_mut(name) {
                Some(docs) => docs.set(id, tally),
                None => {
                    refs.insert(name.into(), Mentions::one(id, tally));
                }
            }
        }
    }

    /// The documents mentioning each id: kept only with [`Usage::Full`],
    /// which every caller of this (references, rename, hover) runs with.
    fn mentions(&self) -> &HashMap<Box<str>, Mentions> {
        match &self.refs {
            Refs::Full(refs) => refs,
            Refs::Presence(_) | Refs::Untracked => panic!("{NOT_KEPT}"),
        }
    }

    fn mentions_mut(&mut self) -> &mut HashMap<Box<str>, Mentions> {
        match &mut self.refs {
            Refs::Full(refs) => refs,
            Refs::Presence(_) | Refs::Untracked => panic!("{NOT_KEPT}"),
        }
    }

    /// Takes a mention of `name` in `doc` off a [`Usage::Presence`] index.
    fn uncount(&mut self, name: &str, role: Role, doc: DocId) {
        if let Refs::Presence(refs) = &mut self.refs
            && refs.get_mut(name).is_some_and(|presence| presence.uncount(doc) == 0)
        {
            refs.remove(name);
        }
        if matches!(role, Role::Citation { .. })
            && self.cited.get_mut(name).is_some_and(|presence| presence.uncount(doc) == 0)
        {
            self.cited.remove(name);
        }
    }
}

const NOT_KEPT: &str = "mention lists are kept only by a workspace with `Usage::Full`";

/// Whether two versions of a document put the same entries in the index:
/// the same ids defined at the same item positions, and the same mentions
/// in the same claims. Typing in prose changes none of that, and then a
/// keystroke need not touch the index at all (comparing costs a tenth of
/// taking a big note out of the index and putting it back).
fn same_entries(old: &Document, new: &Document) -> bool {
    let (a, b) = (&old.parse, &new.parse);
    a.definitions.len() == b.definitions.len()
        && a.claims.len() == b.claims.len()
        && a.references.len() == b.references.len()
        && a.definitions
            .iter()
            .zip(&b.definitions)
            .all(|(x, y)| x.namespace == y.namespace && x.name(&old.text) == y.name(&new.text))
        && a.claims.iter().zip(&b.claims).all(|(x, y)| x.id_name(&old.text) == y.id_name(&new.text))
        && a.references.iter().zip(&b.references).all(|(x, y)| {
            x.namespace() == y.namespace()
                && x.claim() == y.claim()
                && counts_for_claim(x.namespace(), x.role()) == counts_for_claim(y.namespace(), y.role())
                && (x.namespace() != Namespace::Claim || x.role() == y.role())
                && x.name(&old.text) == y.name(&new.text)
        })
}

/// Whether a mention inside a claim makes the claim count for its id: an
/// actor (or a claim) takes part however it is named there, a source only
/// when cited (a `[text](^key)` link in the claim's text does not source it).
fn counts_for_claim(namespace: Namespace, role: Role) -> bool {
    namespace != Namespace::Source || matches!(role, Role::Citation { .. })
}

/// `root` joined with a path from the config, `.` and `..` resolved
/// without touching the file system.
fn lexical_join(root: &Path, relative: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for component in root.join(relative).components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[derive(Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    docs: Vec<Option<Arc<Document>>>,
    free: Vec<u32>,
    by_path: paths::Paths,
    usage: Usage,
    index: [Namespaces; 3],
    /// The bibliography files the config names, as absolute paths.
    bibliographies: Vec<(PathBuf, crate::bibliography::Format)>,
    /// The day `overdue-forecast` and the stats compare due dates with.
    pub today: crate::syntax::Date,
}

impl Workspace {
    /// A workspace with the whole reverse index ([`Usage::Full`]).
    pub fn new(root: PathBuf, config: Config) -> Workspace {
        Workspace::with_usage(root, config, Usage::Full)
    }

    pub fn with_usage(root: PathBuf, config: Config, usage: Usage) -> Workspace {
        let bibliographies = config.bibliographies().iter().map(|b| (lexical_join(&root, &b.path), b.format)).collect();
        Workspace {
            bibliographies,
            root,
            config,
            docs: Vec::new(),
            free: Vec::new(),
            by_path: paths::Paths::default(),
            usage,
            index: Namespace::ALL.map(|namespace| Namespaces::new(usage, namespace)),
            today: crate::today::current(),
        }
    }

    /// The bibliography files of this workspace: each path, its format and
    /// its entry in the config.
    pub fn bibliographies(&self) -> impl Iterator<Item = (&Path, &crate::config::BibliographyEntry)> {
        self.bibliographies.iter().map(|(path, _)| path.as_path()).zip(self.config.bibliographies())
    }

    /// The format of the bibliography at `path`, if the config names it.
    pub fn bibliography_format(&self, path: &Path) -> Option<crate::bibliography::Format> {
        self.bibliographies.iter().find(|(p, _)| p == path).map(|(_, format)| *format)
    }

    /// Adds or replaces the document at its path. Costs time in proportion
    /// to that document (its old and new ids), not to the workspace.
    pub fn insert(&mut self, document: Document) -> DocId {
        self.insert_reporting(document).0
    }

    /// [`Workspace::insert`], also telling whether the index changed: not
    /// when the new version defines and mentions what the old one did, as
    /// many times and in the same claims (see `same_entries`).
    pub fn insert_reporting(&mut self, document: Document) -> (DocId, bool) {
        let document = Arc::new(document);
        let found = self.by_path.get(&self.docs, &document.path);
        if let Some(id) = found
            && let Some(old) = self.docs[id.0 as usize].as_deref()
            && same_entries(old, &document)
        {
            self.docs[id.0 as usize] = Some(document);
            return (id, false);
        }
        let id = self.slot_for(found, &document);
        self.docs[id.0 as usize] = Some(document);
        self.index_document(id);
        (id, true)
    }

    /// The slot for a document whose path `found` the workspace at: that
    /// one, emptied of the old document's index entries (but for the ids the
    /// new one mentions too, which indexing it overwrites in place), or, if
    /// `None`, a new one.
    fn slot_for(&mut self, found: Option<DocId>, document: &Document) -> DocId {
        match found {
            Some(id) => {
                self.unindex(id, Some(document));
                id
            }
            None => self.new_slot(&document.path),
        }
    }

    /// A slot for a path the workspace does not hold.
    fn new_slot(&mut self, path: &Path) -> DocId {
        let id = match self.free.pop() {
            Some(slot) => DocId(slot),
            None => {
                self.docs.push(None);
                DocId(self.docs.len() as u32 - 1)
            }
        };
        self.by_path.insert(&self.docs, path, id);
        id
    }

    pub fn remove(&mut self, path: &Path) -> Option<DocId> {
        let id = self.by_path.remove(&self.docs, path)?;
        self.unindex(id, None);
        self.docs[id.0 as usize] = None;
        self.free.push(id.0);
        Some(id)
    }

    pub fn doc_id(&self, path: &Path) -> Option<DocId> {
        self.by_path.get(&self.docs, path)
    }

    pub fn document(&self, id: DocId) -> &Document {
        self.docs[id.0 as usize].as_deref().expect("a live document id")
    }

    pub fn get(&self, id: DocId) -> Option<&Document> {
        self.docs.get(id.0 as usize)?.as_deref()
    }

    /// The document at `path`, shared: it outlives its replacement, so a
    /// caller can compare a document before and after an update.
    pub fn shared(&self, path: &Path) -> Option<Arc<Document>> {
        self.docs.get(self.doc_id(path)?.0 as usize)?.clone()
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
        let Some(locs) = self.index[namespace.index()].defs.get(&self.docs, namespace, name) else {
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
        self.index[namespace.index()].defs.get(&self.docs, namespace, name).is_some()
    }

    /// How many distinct ids a namespace defines.
    pub fn defined_count(&self, namespace: Namespace) -> usize {
        self.index[namespace.index()].defs.len()
    }

    /// Every defined name of a namespace, in no particular order.
    pub fn defined_names(&self, namespace: Namespace) -> impl Iterator<Item = &str> {
        self.index[namespace.index()].defs.names(&self.docs, namespace)
    }

    /// Every name of a namespace defined more than once, in no particular order.
    pub fn duplicated_names(&self, namespace: Namespace) -> impl Iterator<Item = &str> {
        self.index[namespace.index()].defs.duplicated(&self.docs, namespace)
    }

    /// How many times an id is defined (more than once is a duplicate).
    pub fn definition_count(&self, namespace: Namespace, name: &str) -> usize {
        self.index[namespace.index()].defs.get(&self.docs, namespace, name).map_or(0, <[_]>::len)
    }

    /// Whether anything in the workspace refers to an id. A workspace with
    /// [`Usage::Presence`] tells for actors and sources only.
    pub fn is_referenced(&self, namespace: Namespace, name: &str) -> bool {
        match &self.index[namespace.index()].refs {
            Refs::Full(refs) => refs.contains_key(name),
            Refs::Presence(refs) => refs.contains_key(name),
            Refs::Untracked => panic!("whether this id is mentioned is not kept with this workspace's `Usage`"),
        }
    }

    /// Whether some claim of the workspace cites a source in its metadata
    /// (a link form in prose or claim text does not count).
    pub fn is_cited(&self, key: &str) -> bool {
        let sources = &self.index[Namespace::Source.index()];
        match &sources.refs {
            Refs::Full(refs) => refs.get(key).is_some_and(Mentions::any_claim),
            Refs::Presence(_) => sources.cited.contains_key(key),
            Refs::Untracked => panic!("what is cited is not kept with `Usage::Definitions`"),
        }
    }

    /// How many references an id has across the workspace. Needs
    /// [`Usage::Full`], as do [`Workspace::claim_count`] and
    /// [`Workspace::references`].
    pub fn reference_count(&self, namespace: Namespace, name: &str) -> usize {
        self.index[namespace.index()].mentions().get(name).map_or(0, |m| m.total().mentions as usize)
    }

    /// How many claims an actor takes part in, or how many cite a source,
    /// across the workspace.
    pub fn claim_count(&self, namespace: Namespace, name: &str) -> usize {
        debug_assert_ne!(namespace, Namespace::Claim, "a claim id's tally counts relations: `relation_counts`");
        self.index[namespace.index()].mentions().get(name).map_or(0, |m| m.total().claims as usize)
    }

    /// How many claims support and how many contradict a claim id, across
    /// the workspace (a claim naming it twice counts twice).
    pub fn relation_counts(&self, name: &str) -> (usize, usize) {
        let total =
            self.index[Namespace::Claim.index()].mentions().get(name).map_or_else(Tally::default, Mentions::total);
        ((total.mentions - total.claims) as usize, total.claims as usize)
    }

    /// Every reference to an id, document by document.
    pub fn references<'w>(
        &'w self,
        namespace: Namespace,
        name: &'w str,
    ) -> impl Iterator<Item = (DocId, &'w Document, &'w Reference)> + 'w {
        let docs = self.index[namespace.index()].mentions().get(name);
        docs.into_iter().flat_map(Mentions::docs).flat_map(move |doc| {
            let document = self.document(doc);
            document
                .parse
                .references
                .iter()
                // The token's length first: most tokens are told apart
                // without reading the text.
                .filter(move |r| {
                    r.namespace() == namespace
                        && r.range.without_sigil().len() == name.len()
                        && r.name(&document.text) == name
                })
                .map(move |r| (doc, document, r))
        })
    }

    fn index_document(&mut self, id: DocId) {
        for namespace in Namespace::ALL {
            self.index[namespace.index()].add(&self.docs, namespace, id);
        }
    }

    /// Adds many documents at once (a workspace being loaded): the three
    /// namespaces are independent, so they are indexed side by side.
    pub fn insert_many(&mut self, documents: Vec<Arc<Document>>) {
        let mut added = Vec::with_capacity(documents.len());
        self.by_path.reserve(&self.docs, documents.len());
        // The slots taken by this call, whose documents are not indexed yet.
        let mut in_call = vec![false; self.docs.len() + documents.len()];
        for document in documents {
            let found = self.by_path.get(&self.docs, &document.path);
            // A path given twice: the later document replaces the earlier,
            // which has nothing in the index to take out.
            if let Some(id) = found.filter(|id| in_call[id.0 as usize]) {
                self.docs[id.0 as usize] = Some(document);
                continue;
            }
            let id = self.slot_for(found, &document);
            in_call[id.0 as usize] = true;
            self.docs[id.0 as usize] = Some(document);
            added.push(id);
        }
        let docs = &self.docs;
        let [actors, sources, claims] = &mut self.index;
        // Namespaces indexed together go document by document: a note read
        // for one namespace is still in the cache for the next (the notes
        // were parsed long before, and a pass over all of them per namespace
        // read every note's references and text from memory again).
        let index_all = |group: &mut [(&mut Namespaces, Namespace)]| {
            for (namespaces, namespace) in group.iter_mut() {
                let namespace = *namespace;
                let defined: usize = added
                    .iter()
                    .filter_map(|id| docs[id.0 as usize].as_deref())
                    .map(|d| match namespace {
                        Namespace::Claim => d.parse.claims.iter().filter(|c| c.id().is_some()).count(),
                        _ => d.parse.definitions.iter().filter(|def| def.namespace == namespace).count(),
                    })
                    .sum();
                namespaces.defs.reserve(docs, namespace, defined);
            }
            for id in &added {
                for (namespaces, namespace) in group.iter_mut() {
                    namespaces.add(docs, *namespace, *id);
                }
            }
            // The lists grew by doubling: most ids are mentioned by a few
            // documents, and a list of one had room for four.
            for (namespaces, _) in group.iter_mut() {
                if let Refs::Full(refs) = &mut namespaces.refs {
                    refs.values_mut().for_each(Mentions::shrink_to_fit);
                }
            }
        };
        // Claims (an id per claim) are about as much work as the actors and
        // sources together (a mention each), so the two cores share them so.
        rayon::join(
            || index_all(&mut [(claims, Namespace::Claim)]),
            || index_all(&mut [(actors, Namespace::Actor), (sources, Namespace::Source)]),
        );
    }

    /// Takes a document out of the index. Its mentions of the ids that
    /// `next` (its replacement) mentions as well stay, for the replacement
    /// to overwrite: taking a document out of an id's list and putting it
    /// back moves the rest of the list twice, which for the main actors'
    /// lists is most of the cost of a keystroke in a big note.
    fn unindex(&mut self, id: DocId, next: Option<&Document>) {
        let Some(document) = self.docs[id.0 as usize].clone() else {
            return;
        };
        let text = &document.text;
        let docs = &self.docs;
        let index = &mut self.index;
        let mut drop_def =
            |namespace: Namespace, name: &str| index[namespace.index()].defs.remove(docs, namespace, name, id);
        for def in &document.parse.definitions {
            drop_def(def.namespace, def.name(text));
        }
        for claim in &document.parse.claims {
            if let Some(name) = claim.id_name(text) {
                drop_def(Namespace::Claim, name);
            }
        }
        match self.usage {
            Usage::Presence => {
                for r in &document.parse.references {
                    self.index[r.namespace().index()].uncount(r.name(text), r.role(), id);
                }
                return;
            }
            Usage::Definitions => return,
            Usage::Full => {}
        }
        // Both lists are sorted by namespace, hash and name: one walk finds
        // the ids that only the old version mentions.
        let kept = next.map_or(&[][..], |next| next.mentioned());
        let next_text = next.map_or("", |next| next.text.as_str());
        let mut k = 0;
        for &(namespace, hash, range) in document.mentioned() {
            let name = range.of(text);
            while let Some(&(ns, h, r)) = kept.get(k)
                && (ns, h, r.of(next_text)) < (namespace, hash, name)
            {
                k += 1;
            }
            if kept.get(k).is_some_and(|&(ns, h, r)| (ns, h, r.of(next_text)) == (namespace, hash, name)) {
                continue;
            }
            let refs = self.index[namespace.index()].mentions_mut();
            if let Some(docs) = refs.get_mut(name) {
                docs.remove(id);
                if docs.is_empty() {
                    refs.remove(name);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The claims an id takes part in, counted the slow way: every mention.
    fn walked(ws: &Workspace, namespace: Namespace, name: &str) -> usize {
        let claims: BTreeSet<(DocId, u32)> = ws
            .references(namespace, name)
            .filter(|(_, _, r)| counts_for_claim(namespace, r.role()))
            .filter_map(|(doc, _, r)| Some((doc, r.claim()?)))
            .collect();
        claims.len()
    }

    #[test]
    fn a_path_given_twice_to_insert_many_is_one_document_the_later() {
        for usage in [Usage::Full, Usage::Presence] {
            let mut ws = Workspace::with_usage(PathBuf::from("/ws"), Config::default(), usage);
            let (a, b) = (PathBuf::from("/ws/a.md"), PathBuf::from("/ws/b.md"));
            ws.insert(Document::new(b.clone(), "@p: P\nMet @p.\n".into()));
            let copy = |text: &str| Arc::new(Document::new(a.clone(), text.into()));
            ws.insert_many(vec![copy("@q: Q\nMet @p.\n"), copy("@q: Q again\nMet @p and @q.\n")]);
            assert_eq!(ws.documents().count(), 2, "{usage:?}");
            assert_eq!(ws.definition_count(Namespace::Actor, "q"), 1, "{usage:?}");
            assert!(ws.document(ws.doc_id(&a).unwrap()).text.contains("again"), "{usage:?}");
            if usage == Usage::Full {
                assert_eq!(ws.reference_count(Namespace::Actor, "p"), 2);
            }
            // The earlier copy's mention was never counted, so it is not
            // taken off: `b.md` leaving keeps `@p` mentioned by `a.md`.
            ws.remove(&b);
            assert!(ws.is_referenced(Namespace::Actor, "p"), "{usage:?}");
            assert!(ws.is_referenced(Namespace::Actor, "q"), "{usage:?}");
        }
    }

    #[test]
    fn a_workspace_of_definitions_alone_finds_them_through_changes() {
        let mut ws = Workspace::with_usage(PathBuf::from("/ws"), Config::default(), Usage::Definitions);
        let (a, b) = (PathBuf::from("/ws/a.md"), PathBuf::from("/ws/b.md"));
        ws.insert_many(vec![
            Arc::new(Document::new(a.clone(), "@p: P\n^s: S\n{x | #c ^s @p}\n".into())),
            Arc::new(Document::new(b.clone(), "@p: P again\nMet @p.\n".into())),
        ]);
        let counts = |ws: &Workspace| {
            [(Namespace::Actor, "p"), (Namespace::Source, "s"), (Namespace::Claim, "c")]
                .map(|(namespace, name)| ws.definition_count(namespace, name))
        };
        assert_eq!(counts(&ws), [2, 1, 1]);
        ws.insert(Document::new(a.clone(), "{x | #d}\n".into()));
        assert_eq!(counts(&ws), [1, 0, 0]);
        assert!(ws.is_defined(Namespace::Claim, "d"));
        ws.remove(&b);
        assert_eq!(counts(&ws), [0, 0, 0]);
    }

    #[test]
    #[should_panic(expected = "not kept")]
    fn a_workspace_of_definitions_alone_does_not_say_what_is_mentioned() {
        let mut ws = Workspace::with_usage(PathBuf::from("/ws"), Config::default(), Usage::Definitions);
        ws.insert(Document::new(PathBuf::from("/ws/a.md"), "@p: P\nMet @p.\n".into()));
        ws.is_referenced(Namespace::Actor, "p");
    }

    #[test]
    fn an_id_stays_found_when_the_definition_its_name_is_read_from_goes() {
        // The table keeps no names: an entry's name is read from its first
        // definition, so that one leaving must hand over to the next.
        let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
        let (a, b) = (PathBuf::from("/ws/a.md"), PathBuf::from("/ws/b.md"));
        ws.insert(Document::new(a.clone(), "{x | #dup ^s}\n@p: P\n".into()));
        ws.insert(Document::new(b.clone(), "{y | #dup ^s}\n@p: P again\n".into()));
        assert_eq!(ws.definition_count(Namespace::Claim, "dup"), 2);
        assert_eq!(ws.definition_count(Namespace::Actor, "p"), 2);
        ws.remove(&a);
        assert_eq!(ws.definition_count(Namespace::Claim, "dup"), 1);
        assert_eq!(ws.definitions(Namespace::Claim, "dup")[0].document.path, b);
        assert_eq!(ws.definitions(Namespace::Actor, "p")[0].document.path, b);
        // Replaced in place: its old ids go, its new ones come.
        ws.insert(Document::new(b.clone(), "{y | #other ^s}\n{z | #other}\n".into()));
        assert!(!ws.is_defined(Namespace::Claim, "dup"));
        assert!(!ws.is_defined(Namespace::Actor, "p"));
        assert_eq!(ws.definition_count(Namespace::Claim, "other"), 2);
        assert_eq!(ws.defined_names(Namespace::Claim).collect::<Vec<_>>(), ["other"]);
        assert_eq!(ws.defined_count(Namespace::Claim), 1);
        // All of an id's definitions in the note that leaves: the id goes,
        // and the list it had is reused by the next duplicate.
        ws.remove(&b);
        assert!(!ws.is_defined(Namespace::Claim, "other"));
        ws.insert(Document::new(a.clone(), "{x | #one}\n{y | #two}\n".into()));
        ws.insert(Document::new(b.clone(), "{x | #two}\n{y | #two}\n{z | #one}\n".into()));
        assert_eq!(ws.definition_count(Namespace::Claim, "one"), 2);
        assert_eq!(ws.definition_count(Namespace::Claim, "two"), 3);
        let order: Vec<_> = ws.definitions(Namespace::Claim, "two").iter().map(|s| s.document.path.clone()).collect();
        assert_eq!(order, [a.clone(), b.clone(), b.clone()]);
        let duplicated = |ws: &Workspace| {
            let mut names: Vec<String> = ws.duplicated_names(Namespace::Claim).map(String::from).collect();
            names.sort();
            names
        };
        assert_eq!(duplicated(&ws), ["one", "two"]);
        ws.remove(&a);
        assert_eq!(ws.definition_count(Namespace::Claim, "one"), 1);
        assert_eq!(ws.definition_count(Namespace::Claim, "two"), 2);
        assert_eq!(duplicated(&ws), ["two"]);
        assert_eq!(ws.definitions(Namespace::Claim, "one")[0].document.path, b);
    }

    #[test]
    fn a_version_with_the_same_entries_is_swapped_in_and_any_other_reindexed() {
        let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
        let a = PathBuf::from("/ws/a.md");
        let counts =
            |ws: &Workspace| (ws.reference_count(Namespace::Actor, "p"), ws.claim_count(Namespace::Actor, "p"));
        ws.insert(Document::new(a.clone(), "{x @p | #c ^s}\n@p in prose.\n".into()));
        assert_eq!(counts(&ws), (2, 1));
        // Prose typed before everything: the same entries, at other offsets,
        // which the index reads from the new version.
        ws.insert(Document::new(a.clone(), "Typed. {x @p | #c ^s}\n@p in prose.\n".into()));
        let site = ws.definitions(Namespace::Claim, "c")[0];
        assert_eq!(site.defined.id_range(), TextRange::new(15, 17));
        assert_eq!(site.defined.id_range().of(&site.document.text), "#c");
        assert_eq!(counts(&ws), (2, 1));
        // The prose mention now in a claim of its own: the same names, but
        // another claim count.
        ws.insert(Document::new(a.clone(), "Typed. {x @p | #c ^s}\n{@p in a claim.}\n".into()));
        assert_eq!(counts(&ws), (2, 2));
        assert_eq!(ws.definition_count(Namespace::Claim, "c"), 1);
    }

    #[test]
    fn relation_counts_follow_every_update_even_a_relation_turned_around() {
        let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
        let (a, b) = (PathBuf::from("/ws/a.md"), PathBuf::from("/ws/b.md"));
        ws.insert(Document::new(a.clone(), "{x | #deal}\n{y | supports:#deal contradicts:#deal}\n".into()));
        ws.insert(Document::new(b.clone(), "{z | supports:#deal}\n".into()));
        assert_eq!(ws.relation_counts("deal"), (2, 1));
        // The same names in the same claims, one relation turned around:
        // the index must not take it for the same entries.
        ws.insert(Document::new(b.clone(), "{z | contradicts:#deal}\n".into()));
        assert_eq!(ws.relation_counts("deal"), (1, 2));
        ws.remove(&a);
        assert_eq!(ws.relation_counts("deal"), (0, 1));
        assert_eq!(ws.relation_counts("none"), (0, 0));
    }

    #[test]
    fn mention_and_claim_counts_follow_every_update() {
        let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
        let a = "@putin met @xi. {@putin and [Putin](@putin) signed | ^tass by:@putin}\n\
                 {Xi agreed, per [TASS](^tass) | @putin ^tass(p. 2) ^tass}\n";
        let b = "{Only @xi here | ^tass}\n@putin again, outside any claim.\n";
        ws.insert(Document::new(PathBuf::from("/ws/a.md"), a.into()));
        ws.insert(Document::new(PathBuf::from("/ws/b.md"), b.into()));
        let counts = |ws: &Workspace| {
            [(Namespace::Actor, "putin"), (Namespace::Actor, "xi"), (Namespace::Source, "tass")]
                .map(|(ns, name)| (ws.reference_count(ns, name), ws.claim_count(ns, name), walked(ws, ns, name)))
        };
        // putin: 6 mentions, 2 claims; xi: 2 mentions, 1 claim; tass: 5
        // mentions (the link in claim text among them), 3 citing claims.
        assert_eq!(counts(&ws), [(6, 2, 2), (2, 1, 1), (5, 3, 3)]);
        ws.insert(Document::new(PathBuf::from("/ws/b.md"), "{@putin alone | @xi}\n".into()));
        assert_eq!(counts(&ws), [(6, 3, 3), (2, 1, 1), (4, 2, 2)]);
        ws.remove(Path::new("/ws/a.md"));
        assert_eq!(counts(&ws), [(1, 1, 1), (1, 1, 1), (0, 0, 0)]);
    }
}
