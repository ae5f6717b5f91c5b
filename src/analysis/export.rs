//! The claims and their graph as plain data (`dossier export`, later the
//! HTML report): each claim with its text stripped of markup and its
//! metadata spelled out, and the graph of claims, sources and actors with
//! edges `cites`, `involves`, `by`, `supports` and `contradicts`. The CLI
//! writes them as JSON, CSV, DOT or Mermaid.

use std::borrow::Cow;
use std::hash::BuildHasher;

use hashbrown::HashTable;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::diagnostics::RuleContext;
use super::stats::{actor_name, actor_title};
use crate::syntax::vocab::Admiralty;
use crate::syntax::{Claim, ClaimKind, Confidence, Date, Estimate, Namespace, Outcome, Role};
use crate::workspace::{DocId, Document, Workspace};

/// A cited source, as a claim's metadata gives it; its texts are slices
/// of the note's.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Citation<'a> {
    pub key: &'a str,
    pub locator: Option<&'a str>,
    /// The Admiralty code of its (first) definition, when it has a valid one.
    pub grade: Option<Grade>,
}

/// An Admiralty code as text (`B2`, `C`), held inline: a citation's grade
/// costs no allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grade {
    code: [u8; 2],
    len: u8,
}

impl Grade {
    pub fn new(admiralty: Admiralty) -> Grade {
        match admiralty.credibility {
            Some(c) => Grade { code: [admiralty.reliability, c], len: 2 },
            None => Grade { code: [admiralty.reliability, 0], len: 1 },
        }
    }

    pub fn as_str(&self) -> &str {
        // Admiralty codes are ASCII (`Admiralty::parse`): never the default.
        std::str::from_utf8(&self.code[..self.len as usize]).unwrap_or_default()
    }
}

impl serde::Serialize for Grade {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One claim, ready to print. It borrows from its note's text (ids,
/// citations, actors, and the text itself when it has no markup to
/// remove), so that reading a note's claims copies little.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimRecord<'a> {
    /// Its note: an index into [`Export::notes`].
    pub note: u32,
    /// 1-based line of its `{`.
    pub line: u32,
    /// Its `#id` without the sigil, or `note:line` when it has none: stable
    /// as long as the claim stays on its line.
    pub id: Cow<'a, str>,
    pub has_id: bool,
    /// The claim text without markup (see [`plain_text`]).
    pub text: Cow<'a, str>,
    pub kind: ClaimKind,
    pub conf: Option<Confidence>,
    pub est: Option<Estimate>,
    /// The id of `by:@id`.
    pub by: Option<&'a str>,
    pub due: Option<Date>,
    pub outcome: Option<Outcome>,
    pub sources: Vec<Citation<'a>>,
    /// Actors mentioned in the text or listed in the metadata, distinct,
    /// in order of first appearance (the `by:` author is apart).
    pub actors: Vec<&'a str>,
    pub supports: Vec<&'a str>,
    pub contradicts: Vec<&'a str>,
}

/// A claim record's lists: sources, actors, supports, contradicts.
type Lists<'a> = (Vec<Citation<'a>>, Vec<&'a str>, Vec<&'a str>, Vec<&'a str>);

impl<'a> ClaimRecord<'a> {
    /// Its lists, emptied, for another record to fill.
    fn take_lists(&mut self) -> Lists<'a> {
        use std::mem::take;
        let mut lists =
            (take(&mut self.sources), take(&mut self.actors), take(&mut self.supports), take(&mut self.contradicts));
        lists.0.clear();
        lists.1.clear();
        lists.2.clear();
        lists.3.clear();
        lists
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    Claim,
    Source,
    Actor,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Claim => "claim",
            NodeKind::Source => "source",
            NodeKind::Actor => "actor",
        }
    }

    /// What starts the node id of a source, an actor or a claim with an `#id`.
    pub fn sigil(self) -> char {
        match self {
            NodeKind::Claim => '#',
            NodeKind::Source => '^',
            NodeKind::Actor => '@',
        }
    }
}

/// A node of the graph. Its `id` is unique across kinds: `#id` or
/// `note:line` for a claim, `^key` for a source, `@id` for an actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
    /// A claim's text, a source's title, an actor's name; the id itself
    /// when it is not defined.
    pub label: String,
    pub defined: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    Cites,
    Involves,
    By,
    Supports,
    Contradicts,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Cites => "cites",
            EdgeKind::Involves => "involves",
            EdgeKind::By => "by",
            EdgeKind::Supports => "supports",
            EdgeKind::Contradicts => "contradicts",
        }
    }
}

/// An edge between two nodes, by their indices in [`Graph::nodes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: u32,
    pub to: u32,
    pub kind: EdgeKind,
}

/// The claims of some notes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Export<'a> {
    /// The notes holding claims, by path relative to the workspace root
    /// (`/`-separated), in path order; each with its path as the workspace has it.
    pub notes: Vec<(String, std::path::PathBuf)>,
    /// In note order, then text order.
    pub claims: Vec<ClaimRecord<'a>>,
}

/// The graph of claims, sources and actors.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// The claims of the notes `in_scope` picks; `done` is called once per
/// note (for a progress bar).
pub fn export<'w>(
    workspace: &'w Workspace,
    in_scope: impl Fn(&Document) -> bool + Sync,
    done: impl Fn() + Sync,
) -> Export<'w> {
    let per_note = each_note(workspace, in_scope, done, |note, document, claims| {
        (note.to_string(), document.path.clone(), claims)
    });
    let mut export = Export::default();
    for (note, path, mut claims) in per_note {
        let index = export.notes.len() as u32;
        claims.iter_mut().for_each(|c| c.note = index);
        export.notes.push((note, path));
        export.claims.append(&mut claims);
    }
    export
}

/// `each(note, document, claims)` for every note `in_scope` picks that
/// holds claims, run on whichever core is free; the results in path order.
/// `note` is the path from the workspace root; each record's `note` is 0
/// (the caller numbers the notes). `done` is called once per note.
pub fn each_note<'w, R: Send>(
    workspace: &'w Workspace,
    in_scope: impl Fn(&Document) -> bool + Sync,
    done: impl Fn() + Sync,
    each: impl Fn(&str, &'w Document, Vec<ClaimRecord<'w>>) -> R + Sync,
) -> Vec<R> {
    let reader = Reader::new(workspace);
    let per_note: Vec<Option<R>> = notes_in_scope(workspace, in_scope)
        .par_iter()
        .map(|&doc| {
            let document = workspace.document(doc);
            let (note, claims) = reader.note_claims(document);
            let result = (!claims.is_empty()).then(|| each(&note, document, claims));
            done();
            result
        })
        .collect();
    per_note.into_iter().flatten().collect()
}

/// The readable notes `in_scope` picks, in path order.
pub fn notes_in_scope(workspace: &Workspace, in_scope: impl Fn(&Document) -> bool) -> Vec<DocId> {
    let mut docs: Vec<(DocId, &Document)> =
        workspace.documents().filter(|(_, d)| d.problem.is_none() && in_scope(d)).collect();
    docs.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    docs.into_iter().map(|(id, _)| id).collect()
}

/// Reads the claims of a workspace's notes, one note at a time.
pub struct Reader<'w> {
    workspace: &'w Workspace,
    context: RuleContext,
}

impl<'w> Reader<'w> {
    pub fn new(workspace: &'w Workspace) -> Reader<'w> {
        Reader { workspace, context: RuleContext::new(workspace) }
    }

    /// A note's path from the workspace root and its claims (each
    /// record's `note` 0).
    pub fn note_claims(&self, document: &'w Document) -> (String, Vec<ClaimRecord<'w>>) {
        let mut claims = Vec::new();
        let note = self.claims_into(document, &mut claims);
        (note, claims)
    }

    /// [`Reader::note_claims`] into `claims`, whose records (those of the
    /// note read before) are filled again: their lists keep their memory,
    /// so that reading note after note allocates little.
    pub fn claims_into(&self, document: &'w Document, claims: &mut Vec<ClaimRecord<'w>>) -> String {
        note_claims(self.workspace, &self.context, document, claims)
    }
}

/// The node id of a claim record.
pub fn claim_node(claim: &ClaimRecord) -> String {
    if claim.has_id { format!("#{}", claim.id) } else { claim.id.to_string() }
}

/// The graph of `claims`: a node per claim id, then the sources, actors and
/// claims they name that are not among them, in order of first use.
pub fn graph(workspace: &Workspace, claims: &[ClaimRecord]) -> Graph {
    let mut nodes: Vec<Node> = Vec::with_capacity(claims.len());
    let mut index = NodeIndex::default();
    let from: Vec<u32> = claims
        .iter()
        .map(|claim| {
            let id = claim_node(claim);
            index.get_or_add(&id).unwrap_or_else(|at| {
                nodes.push(Node { id, kind: NodeKind::Claim, label: claim.text.to_string(), defined: true });
                at
            })
        })
        .collect();
    let mut edges = Vec::new();
    for (claim, from) in claims.iter().zip(from) {
        claim_edges(claim, |kind, node, name| {
            let to = format!("{}{name}", node.sigil());
            let to = index.get_or_add(&to).unwrap_or_else(|at| {
                nodes.push(other_node(workspace, node, to));
                at
            });
            edges.push(Edge { from, to, kind });
        });
    }
    Graph { nodes, edges }
}

/// The numbers of a graph's nodes by id, given in order of first use:
/// one node per id, a claim id repeated on several claims included. The
/// ids are kept in one string and looked up by a hash the caller may have
/// worked out already ([`id_hash`], on another core): no string per id,
/// and no hashing where the nodes are numbered one after the other.
#[derive(Debug, Default)]
pub struct NodeIndex {
    /// Each id's hash, its place in `ids` and its number.
    table: HashTable<(u64, u32, u32, u32)>,
    ids: String,
}

/// The hash [`NodeIndex`] files a node id under.
pub fn id_hash(id: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl NodeIndex {
    /// `Ok` with the number of a known id; `Err` with the number a new one
    /// gets, for which the caller adds the node.
    pub fn get_or_add(&mut self, id: &str) -> Result<u32, u32> {
        self.get_or_add_hashed(id_hash(id), id)
    }

    /// The number of a known id whose [`id_hash`] is `hash`.
    pub fn get_hashed(&self, hash: u64, id: &str) -> Option<u32> {
        self.table.find(hash, Self::same(&self.ids, hash, id)).map(|found| found.3)
    }

    /// [`NodeIndex::get_or_add`] of an id whose [`id_hash`] is `hash`.
    pub fn get_or_add_hashed(&mut self, hash: u64, id: &str) -> Result<u32, u32> {
        let next = self.table.len() as u32;
        match self.table.entry(hash, Self::same(&self.ids, hash, id), |entry| entry.0) {
            hashbrown::hash_table::Entry::Occupied(found) => Ok(found.get().3),
            hashbrown::hash_table::Entry::Vacant(vacant) => {
                let start = self.ids.len() as u32;
                self.ids.push_str(id);
                vacant.insert((hash, start, id.len() as u32, next));
                Err(next)
            }
        }
    }

    /// Whether an entry is that of `id`, whose hash is `hash`.
    fn same<'a>(ids: &'a str, hash: u64, id: &'a str) -> impl Fn(&(u64, u32, u32, u32)) -> bool + 'a {
        move |&(h, start, len, _)| h == hash && &ids.as_bytes()[start as usize..(start + len) as usize] == id.as_bytes()
    }

    /// Makes room for `more` ids.
    pub fn reserve(&mut self, more: usize) {
        self.table.reserve(more, |entry| entry.0);
    }
}

/// The edges a claim starts, in order: its sources (each once), actors,
/// `by:`, the claims it supports, then those it contradicts; each given to
/// `edge` as (its kind, the kind of the node it goes to, that node's id
/// without its sigil).
pub fn claim_edges<'c>(claim: &ClaimRecord<'c>, mut edge: impl FnMut(EdgeKind, NodeKind, &'c str)) {
    for (i, source) in claim.sources.iter().enumerate() {
        if !claim.sources[..i].iter().any(|s| s.key == source.key) {
            edge(EdgeKind::Cites, NodeKind::Source, source.key);
        }
    }
    claim.actors.iter().for_each(|actor| edge(EdgeKind::Involves, NodeKind::Actor, actor));
    if let Some(by) = claim.by {
        edge(EdgeKind::By, NodeKind::Actor, by);
    }
    claim.supports.iter().for_each(|id| edge(EdgeKind::Supports, NodeKind::Claim, id));
    claim.contradicts.iter().for_each(|id| edge(EdgeKind::Contradicts, NodeKind::Claim, id));
}

/// A node for a source, an actor or a claim named by a claim of the export.
pub fn other_node(workspace: &Workspace, kind: NodeKind, id: String) -> Node {
    let name = &id[1..];
    let (label, namespace) = match kind {
        NodeKind::Actor => (actor_name(workspace, name), Namespace::Actor),
        NodeKind::Source => (source_title(workspace, name), Namespace::Source),
        NodeKind::Claim => (None, Namespace::Claim),
    };
    let defined = workspace.is_defined(namespace, name);
    Node { label: label.unwrap_or_else(|| id.clone()), id, kind, defined }
}

/// A source's title, from its first definition.
pub fn source_title(workspace: &Workspace, key: &str) -> Option<String> {
    let site = workspace.definitions(Namespace::Source, key).into_iter().next()?;
    match site.defined {
        crate::workspace::Defined::Block(def) => Some(def.title.of(&site.document.text).to_string()),
        crate::workspace::Defined::Claim(_) => None,
    }
}

/// A note's path from the workspace root and its claims.
fn note_claims<'d>(
    workspace: &'d Workspace,
    context: &RuleContext,
    document: &'d Document,
    records: &mut Vec<ClaimRecord<'d>>,
) -> String {
    let note = document.path.strip_prefix(&workspace.root).unwrap_or(&document.path);
    let note: String = note.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    records.truncate(document.parse.claims.len());
    if document.parse.claims.is_empty() {
        return note;
    }
    let text = &document.text;
    // The claims come in text order: each one's line is the last one's
    // plus the line breaks between them, counted once (no line index). A
    // break is `\n`, `\r\n` or a lone `\r`, as `LineIndex` has it.
    let bytes = text.as_bytes();
    let (mut counted_to, mut breaks) = (0, 0);
    let mut line_of = |offset: usize| {
        if offset < counted_to {
            (counted_to, breaks) = (0, 0);
        }
        breaks += memchr::memchr2_iter(b'\n', b'\r', &bytes[counted_to..offset])
            .filter(|&at| bytes[counted_to + at] == b'\n' || bytes.get(counted_to + at + 1) != Some(&b'\n'))
            .count();
        counted_to = offset;
        breaks as u32 + 1
    };
    let mut names: FxHashMap<&str, Option<&'d str>> = FxHashMap::default();
    for (i, claim) in document.parse.claims.iter().enumerate() {
        let line = line_of(claim.range.start as usize);
        let refs = &document.parse.references[claim.refs.start as usize..claim.refs.end as usize];
        // The lists of the record this one replaces.
        let (sources, actors, supports, contradicts) =
            records.get_mut(i).map(ClaimRecord::take_lists).unwrap_or_default();
        let mut record = ClaimRecord {
            note: 0,
            line,
            id: claim.id_name(text).map_or_else(|| Cow::Owned(format!("{note}:{line}")), Cow::Borrowed),
            has_id: claim.id().is_some(),
            text: plain_text(document, claim, |id| *names.entry(id).or_insert_with(|| actor_title(workspace, id))),
            kind: claim.kind(),
            conf: claim.confidence().map(|c| c.value),
            est: claim.estimate().map(|e| e.value),
            by: claim.speaker().map(|s| s.without_sigil().of(text)),
            due: claim.due().map(|d| d.value),
            outcome: claim.outcome().map(|o| o.value),
            sources,
            actors,
            supports,
            contradicts,
        };
        for r in refs {
            let name = r.name(text);
            match (r.namespace(), r.role()) {
                (Namespace::Source, Role::Citation { locator }) => {
                    let grade = context.grade(name).flatten().map(Grade::new);
                    let locator = locator.map(|l| l.of(text));
                    record.sources.push(Citation { key: name, locator, grade });
                }
                (Namespace::Actor, Role::Speaker) => {}
                (Namespace::Actor, _) if !record.actors.contains(&name) => record.actors.push(name),
                (Namespace::Claim, Role::Supports) => record.supports.push(name),
                (Namespace::Claim, Role::Contradicts) => record.contradicts.push(name),
                _ => {}
            }
        }
        match records.get_mut(i) {
            Some(old) => *old = record,
            None => records.push(record),
        }
    }
    note
}

/// A claim's text without markup: a link form gives its words, a short
/// mention the actor's display name (`name`; the id when it gives none),
/// `\|`, `\{` and `\}` their character, and each run of blanks and line
/// breaks one space. Leading and trailing blanks go. A text with nothing
/// of these to change (most) is borrowed from the note.
pub fn plain_text<'d>(
    document: &'d Document,
    claim: &Claim,
    mut name: impl FnMut(&'d str) -> Option<&'d str>,
) -> Cow<'d, str> {
    let text = &document.text;
    let span = claim.text();
    let refs = &document.parse.references[claim.refs.start as usize..claim.refs.end as usize];
    // What replaces each mention in the text: (start, end, words).
    let mut swaps: Vec<(usize, usize, &'d str)> = Vec::new();
    for r in refs.iter().filter(|r| r.range.end <= span.end) {
        match r.role() {
            // `[words](@id)`: from `[` to `)`.
            Role::Link { text: words } => {
                let close = (r.range.end as usize + 1).min(span.end as usize);
                swaps.push((words.start as usize - 1, close, words.of(text)));
            }
            Role::Mention if r.namespace() == Namespace::Actor => {
                let id = r.name(text);
                swaps.push((r.range.start as usize, r.range.end as usize, name(id).unwrap_or(id)));
            }
            _ => {}
        }
    }
    if swaps.is_empty() {
        // Blanks around it go whatever they are; within it, nothing to
        // collapse or unescape: then it is the result.
        let core = span.of(text).trim();
        if !needs_rewriting(core) {
            return Cow::Borrowed(core);
        }
    }
    let mut out = String::with_capacity(span.len());
    let mut at = span.start as usize;
    let end = span.end as usize;
    let mut swaps = swaps.into_iter().peekable();
    while at < end {
        if let Some((start, stop, words)) = swaps.next_if(|s| s.0 <= at) {
            if start == at {
                push_collapsed(&mut out, words);
            }
            at = at.max(stop);
            continue;
        }
        let next = swaps.peek().map_or(end, |s| s.0);
        push_plain(&mut out, &text[at..next]);
        at = next;
    }
    // Trimmed in place: no second copy of every claim's text.
    out.truncate(out.trim_end().len());
    let lead = out.len() - out.trim_start().len();
    out.drain(..lead);
    Cow::Owned(out)
}

/// Whether a run of a claim's text holds what [`plain_text`] changes: an
/// escape, a line break, a tab, or two blanks in a row.
fn needs_rewriting(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3(b'\\', b'\n', b'\r', bytes).is_some()
        || memchr::memchr(b'\t', bytes).is_some()
        || memchr::memmem::find(bytes, b"  ").is_some()
}

/// Appends `chunk` of a claim's text: `\|`, `\{` and `\}` as their
/// character, each run of blanks and line breaks as one space (none if
/// `out` ends with one). The bytes between are copied a run at a time: a
/// space after a word is the run's, only a second blank or a line break
/// cuts it.
fn push_plain(out: &mut String, chunk: &str) {
    let bytes = chunk.as_bytes();
    // Most chunks have nothing to change: copied whole, after a search
    // (a vector at a time) for what would change them.
    let blank_after_blank = out.ends_with(' ') && bytes.first() == Some(&b' ');
    if !needs_rewriting(chunk) && !blank_after_blank {
        out.push_str(chunk);
        return;
    }
    let mut after_blank = out.ends_with(' ');
    let (mut run, mut at) = (0, 0);
    // Every byte looked at below is ASCII: the runs end on character boundaries.
    while at < bytes.len() {
        match bytes[at] {
            b'\\' if matches!(bytes.get(at + 1), Some(b'|' | b'{' | b'}')) => {
                out.push_str(&chunk[run..at]);
                out.push(bytes[at + 1] as char);
                at += 2;
                run = at;
                after_blank = false;
            }
            b' ' if !after_blank => {
                at += 1;
                after_blank = true;
            }
            b' ' | b'\n' | b'\r' | b'\t' => {
                out.push_str(&chunk[run..at]);
                if !after_blank {
                    out.push(' ');
                }
                at += 1;
                run = at;
                after_blank = true;
            }
            _ => {
                at += 1;
                after_blank = false;
            }
        }
    }
    out.push_str(&chunk[run..]);
}

/// Appends `words`, its blanks and line breaks collapsed to single spaces.
fn push_collapsed(out: &mut String, words: &str) {
    for c in words.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::PathBuf;

    fn workspace(files: &[(&str, &str)]) -> Workspace {
        let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
        for (path, text) in files {
            ws.insert(Document::new(PathBuf::from("/ws").join(path), text.to_string()));
        }
        ws
    }

    fn exported(ws: &Workspace) -> (Export<'_>, Graph) {
        let found = export(ws, |_| true, || {});
        let graph = graph(ws, &found.claims);
        (found, graph)
    }

    #[test]
    fn claim_text_loses_its_markup() {
        let ws = workspace(&[
            ("actors.md", "@putin: Vladimir Putin\n"),
            (
                "n.md",
                "’ — Кремль 中俄 🛢 {[Russia’s president](@putin) met @xi and\n   @putin’s \\{aides\\} \\| [Reuters](^r)  said | ^r}\n",
            ),
        ]);
        let (found, _) = exported(&ws);
        assert_eq!(found.claims.len(), 1);
        let claim = &found.claims[0];
        assert_eq!(claim.text, "Russia’s president met xi and Vladimir Putin’s {aides} | Reuters said");
        assert_eq!((&*claim.id, claim.has_id, claim.line), ("n.md:1", false, 1));
        assert_eq!(claim.actors, ["putin", "xi"]);
        assert_eq!(found.notes.len(), 1, "only notes with claims");
        assert_eq!((found.notes[0].0.as_str(), claim.note), ("n.md", 0));
    }

    #[test]
    fn blanks_around_mentions_and_escapes_collapse_to_one_space() {
        let ws = workspace(&[
            ("actors.md", "@putin: Vladimir  Putin\n"),
            ("n.md", "😀 {a \r\n  @putin\t\t b\\}c \\{ [x  y](@putin)  \\|  d | #k}\r\n"),
        ]);
        let (found, _) = exported(&ws);
        assert_eq!(found.claims[0].text, "a Vladimir Putin b}c { x y | d");
    }

    #[test]
    fn a_text_without_markup_is_borrowed_and_one_with_markup_is_rewritten() {
        let ws = workspace(&[(
            "n.md",
            "{  plain words,中俄 ^s | #a ^s}\n{two  spaces}\n{a\nbreak}\n{a \\| bar}\n{tab\there}\n{ends  }\n{ \t lead\n}\n",
        )]);
        let (found, _) = exported(&ws);
        let texts: Vec<(&str, bool)> =
            found.claims.iter().map(|c| (&*c.text, matches!(c.text, Cow::Borrowed(_)))).collect();
        assert_eq!(
            texts,
            [
                ("plain words,中俄 ^s", true),
                ("two spaces", false),
                ("a break", false),
                ("a | bar", false),
                ("tab here", false),
                ("ends", true),
                ("lead", true),
            ]
        );
        let first = &found.claims[0];
        assert!(matches!(first.id, Cow::Borrowed("a")));
        assert_eq!(first.sources, [Citation { key: "s", locator: None, grade: None }]);
    }

    #[test]
    fn claim_lines_count_every_kind_of_line_break() {
        // `\r\n`, a lone `\r` and `\n`; two claims on one line.
        let text = "a\r\n{one}\r\rb\n{two} {again}\r\n\r\n{three}\n";
        let ws = workspace(&[("n.md", text)]);
        let (found, _) = exported(&ws);
        let lines: Vec<u32> = found.claims.iter().map(|c| c.line).collect();
        assert_eq!(lines, [2, 5, 5, 7]);
        let index = crate::text::LineIndex::new(text);
        let parsed = &ws.document(ws.documents().next().unwrap().0).parse.claims;
        let by_index: Vec<u32> = parsed.iter().map(|c| index.line_of(c.range.start as usize) as u32 + 1).collect();
        assert_eq!(lines, by_index, "as the line index has them");
    }

    #[test]
    fn the_node_index_numbers_ids_by_first_use_and_compares_them_whole() {
        let mut index = NodeIndex::default();
        assert_eq!(index.get_or_add("#a"), Err(0));
        assert_eq!(index.get_or_add("^a"), Err(1));
        assert_eq!(index.get_or_add_hashed(id_hash("#a"), "#a"), Ok(0));
        // The same hash for another id (as a collision would give): a new node.
        assert_eq!(index.get_or_add_hashed(id_hash("#a"), "#b"), Err(2));
        assert_eq!(index.get_or_add_hashed(id_hash("#a"), "#b"), Ok(2));
        // Past the room reserved, through the table's growth.
        index.reserve(4);
        for i in 0..1000 {
            assert_eq!(index.get_or_add(&format!("@{i}")), Err(3 + i));
        }
        for i in 0..1000 {
            assert_eq!(index.get_or_add_hashed(id_hash(&format!("@{i}")), &format!("@{i}")), Ok(3 + i));
        }
        assert_eq!((index.get_or_add("#a"), index.get_or_add("^a")), (Ok(0), Ok(1)));
    }

    #[test]
    fn a_grade_reads_as_its_admiralty_code() {
        let graded = |code: &str| Admiralty::parse(code).map(|a| Grade::new(a).as_str().to_string());
        assert_eq!(graded("B2").as_deref(), Some("B2"));
        assert_eq!(graded("F").as_deref(), Some("F"));
        assert_eq!(serde_json::to_string(&Grade::new(Admiralty::parse("C3").unwrap())).unwrap(), "\"C3\"");
    }

    #[test]
    fn the_graph_has_every_kind_of_edge_once_per_pair_and_kind() {
        let ws = workspace(&[(
            "n.md",
            "{a | #a ^s ^s(p. 2) @x by:@y kind:quote}\n{b | #b ^s supports:#a contradicts:#c kind:assessment}\n",
        )]);
        let (found, graph) = exported(&ws);
        let id = |i: u32| graph.nodes[i as usize].id.as_str();
        let edges: Vec<String> =
            graph.edges.iter().map(|e| format!("{} {} {}", id(e.from), e.kind.as_str(), id(e.to))).collect();
        assert_eq!(
            edges,
            ["#a cites ^s", "#a involves @x", "#a by @y", "#b cites ^s", "#b supports #a", "#b contradicts #c"]
        );
        let nodes: Vec<(&str, NodeKind, bool)> =
            graph.nodes.iter().map(|n| (n.id.as_str(), n.kind, n.defined)).collect();
        assert_eq!(
            nodes,
            [
                ("#a", NodeKind::Claim, true),
                ("#b", NodeKind::Claim, true),
                ("^s", NodeKind::Source, false),
                ("@x", NodeKind::Actor, false),
                ("@y", NodeKind::Actor, false),
                ("#c", NodeKind::Claim, false),
            ]
        );
        assert_eq!(found.claims[0].sources.len(), 2, "each citation, with its locator");
    }

    #[test]
    fn a_repeated_claim_id_is_one_node_the_first_claim_s() {
        let ws = workspace(&[("n.md", "{one | #a ^s}\n{two | #a @x}\n{three | supports:#a}\n")]);
        let (found, graph) = exported(&ws);
        assert_eq!(found.claims.len(), 3);
        let nodes: Vec<(&str, &str)> = graph.nodes.iter().map(|n| (n.id.as_str(), n.label.as_str())).collect();
        assert_eq!(nodes, [("#a", "one"), ("n.md:3", "three"), ("^s", "^s"), ("@x", "@x")]);
        let edges: Vec<(u32, u32, EdgeKind)> = graph.edges.iter().map(|e| (e.from, e.to, e.kind)).collect();
        assert_eq!(edges, [(0, 2, EdgeKind::Cites), (0, 3, EdgeKind::Involves), (1, 0, EdgeKind::Supports)]);
    }
}
