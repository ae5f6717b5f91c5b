//! The server's state: the workspace index (disk files and open documents),
//! the open documents as ropes with their versions, and what was last
//! published. Every change goes through here, synchronously, under one lock.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use ropey::Rope;
use tower_lsp::lsp_types::{self as lsp, Url};

use super::convert;
use crate::analysis::{Checker, RuleContext};
use crate::config::{CONFIG_FILE, Config, ConfigError};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::syntax::Namespace;
use crate::text::{Encoding, TextRange};
use crate::workspace::{DocId, Document, FileStamp, Keep, Usage, Workspace, fx_hash, loader};

pub struct OpenDocument {
    pub rope: Rope,
    pub version: i32,
    /// The URI exactly as the client sent it: answers about this document
    /// use it, since a client may compare URIs as strings and spell them
    /// differently (percent-encoding, case) from `Url::from_file_path`.
    pub uri: Url,
}

/// Diagnostics ready to send: for one file, with its document version if open.
pub struct Publish {
    pub uri: Url,
    pub diagnostics: Vec<lsp::Diagnostic>,
    pub version: Option<i32>,
}

pub struct State {
    pub workspace: Workspace,
    pub encoding: Encoding,
    pub open: HashMap<PathBuf, OpenDocument>,
    /// Workspace folders, the first being the root whose `dossier.toml` applies.
    pub folders: Vec<PathBuf>,
    /// The files whose last published diagnostics were not empty, with a
    /// fingerprint of them (see [`fingerprint`]).
    published: HashMap<PathBuf, u64>,
    config_error: Option<(PathBuf, String, ConfigError)>,
    /// Set by the first `index_all`; until then edits only touch the open
    /// documents, which the indexing then takes as they are.
    pub indexed: bool,
    /// What the rules read from all definitions; dropped when an actor or
    /// source definition changes, rebuilt on the next check.
    context: Option<RuleContext>,
    /// Per namespace, the documents whose last check found an unknown id.
    has_unknown: [BTreeSet<DocId>; 3],
}

/// What a document defines (with a fingerprint of each definition's
/// content) and which ids it mentions: comparing it before and after an
/// update tells which other documents can have changed diagnostics. Both
/// lists are sorted and without duplicates, and borrow the document's text:
/// built on every keystroke, they must cost little, so they sort by a hash
/// of the name first and compare the names themselves only on a tie.
#[derive(Default, PartialEq, Eq)]
struct Interface<'d> {
    defines: Vec<(Namespace, u64, &'d str, u64)>,
    mentions: Vec<(Namespace, u64, &'d str)>,
    /// Where each definition's id token starts: a `duplicate-definition` in
    /// another document names the first definition's place, and which of
    /// the duplicates is first decides whose grade or names the rules read,
    /// so a definition that only moved can change what is published elsewhere.
    /// The place is the byte offset, the line and the line's text before
    /// it: the line (and the column, in any encoding) can change while the
    /// offset does not, when an edit above swaps a line break for another
    /// byte.
    sites: Vec<(Namespace, u64, &'d str, u32, u32, &'d str)>,
}

fn interface(document: Option<&Document>) -> Interface<'_> {
    let Some(document) = document else { return Interface::default() };
    let text = document.text.as_str();
    let parse = &document.parse;
    let mut defines: Vec<(Namespace, u64, &str, u64)> = Vec::with_capacity(parse.definitions.len());
    let mut sites: Vec<(Namespace, u64, &str, u32, u32, &str)> = Vec::with_capacity(parse.definitions.len());
    let place = |offset: u32| {
        let at = document.line_index().line_col(text, offset as usize, Encoding::Utf8);
        (offset, at.line, &text[offset as usize - at.col as usize..offset as usize])
    };
    for def in &parse.definitions {
        let name = def.name(text);
        defines.push((def.namespace, fx_hash(name), name, fx_hash(def.range.of(text))));
        let (offset, line, before) = place(def.id.start);
        sites.push((def.namespace, fx_hash(name), name, offset, line, before));
    }
    for claim in &parse.claims {
        if let (Some(name), Some(id)) = (claim.id_name(text), claim.id()) {
            defines.push((Namespace::Claim, fx_hash(name), name, 0));
            let (offset, line, before) = place(id.start);
            sites.push((Namespace::Claim, fx_hash(name), name, offset, line, before));
        }
    }
    defines.sort_unstable();
    defines.dedup();
    sites.sort_unstable();
    // Sorted by namespace, hash and name, as `mentioned` gives them.
    let mentions =
        document.mentioned().iter().map(|&(namespace, hash, name)| (namespace, hash, name.of(text))).collect();
    Interface { defines, mentions, sites }
}

/// The items of two sorted lists that are in only one of them.
fn changed<'a, T: Ord>(before: &'a [T], after: &'a [T]) -> Vec<&'a T> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    loop {
        match (before.get(i), after.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                out.push(x);
                i += 1;
            }
            (Some(x), None) => {
                out.push(x);
                i += 1;
            }
            (_, Some(y)) => {
                out.push(y);
                j += 1;
            }
            (None, None) => return out,
        }
    }
}

/// Where the server may propose edits: a file under a workspace folder, by
/// its real path too, so that a symbolic link inside a folder pointing
/// outside does not count. Included by `[files]` or not: a note the client
/// opened under a folder is the user's. With no folder at all (a
/// single-file session) the documents the client opened are all there is,
/// and they count.
///
/// A rename asks this of thousands of files: real paths are resolved once
/// per folder and once per directory, and the file itself costs one `lstat`.
pub struct Boundary<'s> {
    folders: &'s [PathBuf],
    real_folders: Vec<PathBuf>,
    real_dirs: HashMap<PathBuf, Option<PathBuf>>,
    /// Per folder, whether the (non-link) files in it are inside.
    inside_dirs: HashMap<PathBuf, bool>,
}

impl Boundary<'_> {
    pub fn contains(&mut self, path: &Path) -> bool {
        if self.folders.is_empty() {
            return true;
        }
        let link = std::fs::symlink_metadata(path).ok().map(|meta| meta.file_type().is_symlink());
        self.check(path, link)
    }

    /// Whether `path` is inside, given what its `symlink_metadata` said,
    /// read by the caller (on another core, say): whether it is a link, or
    /// `None` when it could not be read.
    pub fn check(&mut self, path: &Path, link: Option<bool>) -> bool {
        if self.folders.is_empty() {
            return true;
        }
        // A file that is not a link is inside when its folder is: decided
        // once per folder (a rename touches thousands of notes in a few).
        match (link, path.parent()) {
            (Some(false), Some(dir)) if path.file_name().is_some() => match self.inside_dirs.get(dir) {
                Some(&inside) => inside,
                None => {
                    let inside = self.decide(path, link);
                    self.inside_dirs.insert(dir.to_path_buf(), inside);
                    inside
                }
            },
            _ => self.decide(path, link),
        }
    }

    fn decide(&mut self, path: &Path, link: Option<bool>) -> bool {
        let real = link.and_then(|link| self.real_path(path, link));
        self.folders.iter().zip(&self.real_folders).any(|(folder, real_folder)| {
            path.starts_with(folder) && real.as_ref().is_none_or(|real| real.starts_with(real_folder))
        })
    }

    /// The path with every symbolic link resolved; `None` when it cannot be
    /// resolved (gone), which leaves the decision to the path as written.
    fn real_path(&mut self, path: &Path, is_link: bool) -> Option<PathBuf> {
        match (is_link, path.parent(), path.file_name()) {
            (false, Some(dir), Some(name)) => {
                if let Some(real_dir) = self.real_dirs.get(dir) {
                    return Some(real_dir.as_ref()?.join(name));
                }
                let real_dir = std::fs::canonicalize(dir).ok();
                self.real_dirs.insert(dir.to_path_buf(), real_dir.clone());
                Some(real_dir?.join(name))
            }
            _ => std::fs::canonicalize(path).ok(),
        }
    }
}

/// A note's path, with its size and modification time when just read.
pub type PathStat = (PathBuf, Option<FileStamp>);

pub fn path_of(uri: &Url) -> Option<PathBuf> {
    uri.to_file_path().ok()
}

impl State {
    pub fn new(encoding: Encoding, folders: Vec<PathBuf>) -> State {
        let root = folders.first().cloned().unwrap_or_default();
        State {
            workspace: Workspace::new(root, Config::default()),
            encoding,
            open: HashMap::new(),
            folders,
            published: HashMap::new(),
            config_error: None,
            indexed: false,
            context: None,
            has_unknown: Default::default(),
        }
    }

    /// (Re)reads `dossier.toml` and every note of every folder; open
    /// documents keep their editor text. Returns everything to publish.
    pub fn index_all(&mut self) -> Vec<Publish> {
        let root = self.workspace.root.clone();
        let config_path = root.join(CONFIG_FILE);
        let config = match std::fs::read_to_string(&config_path) {
            Ok(text) => match Config::parse(&text) {
                Ok(config) => {
                    self.config_error = None;
                    config
                }
                Err(error) => {
                    self.config_error = Some((config_path, text, error));
                    Config::default()
                }
            },
            Err(_) => {
                self.config_error = None;
                Config::default()
            }
        };
        // The server always shows hints, so every parse keeps its prose ranges.
        let (mut workspace, _) = loader::walk_and_load(root, config, &self.folders, &[], Keep::EVERYTHING, Usage::Full);
        for (path, open) in &self.open {
            workspace.insert(Document::parsed(path.clone(), open.rope.to_string(), Keep::EVERYTHING));
        }
        self.workspace = workspace;
        self.indexed = true;
        self.context = None;
        self.has_unknown = Default::default();
        release_free_memory();
        let all: Vec<DocId> = self.workspace.documents().map(|(id, _)| id).collect();
        let mut out = self.diagnose(&all);
        release_free_memory();
        // Files that had diagnostics and left the workspace are cleared.
        let live: HashSet<PathBuf> = self.workspace.documents().map(|(_, d)| d.path.clone()).collect();
        let gone: Vec<PathBuf> = self.published.keys().filter(|p| !live.contains(*p)).cloned().collect();
        for path in gone {
            if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
                continue;
            }
            self.published.remove(&path);
            if let Some(uri) = self.uri_of(&path) {
                out.push(Publish { uri, diagnostics: Vec::new(), version: None });
            }
        }
        out.extend(self.config_diagnostics());
        out
    }

    /// `invalid-config` on `dossier.toml`, or an empty list once it is fixed.
    fn config_diagnostics(&mut self) -> Option<Publish> {
        let path = self.workspace.root.join(CONFIG_FILE);
        let diagnostics = match &self.config_error {
            Some((_, text, error)) => {
                let document = Document::unparsed(path.clone(), text.clone(), None);
                let diagnostic = Diagnostic {
                    rule: Rule::InvalidConfig,
                    severity: Severity::Error,
                    range: error.range,
                    message: format!("{}: the defaults apply until it is fixed", error.message),
                    related: Vec::new(),
                };
                vec![self.to_lsp(&document, &diagnostic)]
            }
            None => Vec::new(),
        };
        let print = fingerprint(&diagnostics);
        if self.published.get(&path).copied() == print {
            return None;
        }
        let uri = Url::from_file_path(&path).ok()?;
        self.set_published(path, print);
        Some(Publish { uri, diagnostics, version: None })
    }

    /// `didOpen`: the editor's text shadows the disk from now on.
    pub fn open_document(&mut self, uri: Url, path: PathBuf, version: i32, text: String) -> Vec<Publish> {
        let mut out = Vec::new();
        if let Some(canonical) = self.uri_of(&path).filter(|known| *known != uri) {
            // The client spells this file differently from how it was last
            // published: clear that name and publish afresh under the client's.
            if self.published.remove(&path).is_some() {
                out.push(Publish { uri: canonical, diagnostics: Vec::new(), version: None });
            }
        }
        self.open.insert(path.clone(), OpenDocument { rope: Rope::from_str(&text), version, uri });
        out.extend(self.update(&path, Some(Document::parsed(path.clone(), text, Keep::EVERYTHING))));
        out
    }

    /// `didChange`: applies the changes in order to the open document's
    /// rope. Returns what to publish and how many changes were ignored
    /// because their range lies outside the text; an unknown document is
    /// left alone.
    pub fn change_document(
        &mut self,
        path: &Path,
        version: i32,
        changes: Vec<lsp::TextDocumentContentChangeEvent>,
    ) -> (Vec<Publish>, usize) {
        let encoding = self.encoding;
        let Some(open) = self.open.get_mut(path) else { return (Vec::new(), 0) };
        let mut rejected = 0;
        for change in changes {
            match change.range {
                Some(range) => {
                    if !convert::apply_change(&mut open.rope, range, &change.text, encoding) {
                        rejected += 1;
                    }
                }
                None => open.rope = Rope::from_str(&change.text),
            }
        }
        open.version = version;
        let text = open.rope.to_string();
        let document = match self.workspace.shared(path) {
            Some(previous) => Document::reparsed(&previous, text),
            None => Document::parsed(path.to_path_buf(), text, Keep::EVERYTHING),
        };
        (self.update(path, Some(document)), rejected)
    }

    /// `didClose`: the disk version returns, if the file belongs to the workspace.
    pub fn close_document(&mut self, path: &Path) -> Vec<Publish> {
        let mut out = Vec::new();
        if let Some(closed) = self.open.remove(path)
            && Url::from_file_path(path).ok().as_ref() != Some(&closed.uri)
        {
            // From now on the file is named by its canonical URI: clear what
            // was shown under the client's spelling and publish afresh.
            if self.published.remove(path).is_some() {
                out.push(Publish { uri: closed.uri, diagnostics: Vec::new(), version: None });
            }
        }
        let on_disk =
            self.includes(path).then(|| loader::read_if_present(path.to_path_buf(), Keep::EVERYTHING)).flatten();
        out.extend(self.update(path, on_disk));
        out
    }

    /// Replaces (or with `None`, removes) one document and returns the
    /// diagnostics that changed because of it, in this file or any other.
    pub fn update(&mut self, path: &Path, document: Option<Document>) -> Vec<Publish> {
        if !self.indexed {
            return Vec::new();
        }
        let old = self.workspace.shared(path);
        let id = match document {
            Some(document) => Some(self.workspace.insert(document)),
            None => {
                if let Some(gone) = self.workspace.remove(path) {
                    self.has_unknown.iter_mut().for_each(|set| {
                        set.remove(&gone);
                    });
                }
                None
            }
        };
        let new = id.and_then(|_| self.workspace.shared(path));
        // Side by side: for a big note each is a good part of a keystroke.
        let (before, after) = rayon::join(|| interface(old.as_deref()), || interface(new.as_deref()));
        let mut affected: BTreeSet<DocId> = id.into_iter().collect();
        // Duplicated ids whose definitions here moved (or came or went).
        let moved: Vec<(Namespace, &str)> = changed(&before.sites, &after.sites)
            .into_iter()
            .filter(|(ns, _, name, ..)| self.workspace.definition_count(*ns, name) > 1)
            .map(|(ns, _, name, ..)| (*ns, *name))
            .collect();
        // The rule context reads actor and source definitions only (the
        // first of duplicates: a move alone can change which that is).
        if changed(&before.defines, &after.defines).iter().any(|(ns, ..)| *ns != Namespace::Claim)
            || moved.iter().any(|(ns, _)| *ns != Namespace::Claim)
        {
            self.context = None;
        }
        if before != after {
            affected.extend(self.affected_by(&before, &after, &moved));
        }
        let mut out = self.diagnose(&affected.into_iter().collect::<Vec<_>>());
        if id.is_none()
            && self.published.remove(path).is_some()
            && let Some(uri) = self.uri_of(path)
        {
            out.push(Publish { uri, diagnostics: Vec::new(), version: None });
        }
        out
    }

    /// The other documents whose diagnostics may change when a document's
    /// interface goes from `before` to `after`, `moved` being its duplicated
    /// definitions that moved.
    fn affected_by<'a>(
        &self,
        before: &Interface<'a>,
        after: &Interface<'a>,
        moved: &[(Namespace, &'a str)],
    ) -> BTreeSet<DocId> {
        let ws = &self.workspace;
        let mut changed_defs: BTreeSet<(Namespace, &str)> =
            changed(&before.defines, &after.defines).into_iter().map(|(ns, _, name, _)| (*ns, *name)).collect();
        // A duplicated definition that moved counts as changed: the other
        // definitions' `duplicate-definition` names the first one's line.
        changed_defs.extend(moved.iter().copied());
        let changed_mentions = changed(&before.mentions, &after.mentions);
        let mut affected = BTreeSet::new();
        // Mentions gained or lost: the definitions' `unused-definition`.
        for (ns, _, name) in changed_mentions {
            affected.extend(ws.definitions(*ns, name).iter().map(|s| s.doc));
        }
        if changed_defs.is_empty() {
            return affected;
        }
        // Definitions gained, lost or edited: their duplicates, and every
        // mention (known or not: suggestions name the closest id).
        let namespaces: BTreeSet<Namespace> = changed_defs.iter().map(|(ns, _)| *ns).collect();
        if namespaces.contains(&Namespace::Actor) {
            // Actor names and aliases feed `untagged-mention` everywhere.
            return ws.documents().map(|(id, _)| id).collect();
        }
        for (ns, name) in &changed_defs {
            affected.extend(ws.definitions(*ns, name).iter().map(|s| s.doc));
        }
        for (ns, name) in &changed_defs {
            affected.extend(ws.references(*ns, name).map(|(doc, _, _)| doc));
        }
        // Unknown ids elsewhere: their "did you mean" may now name this one.
        for ns in namespaces {
            affected.extend(self.has_unknown[ns.index()].iter().filter(|id| ws.get(**id).is_some()));
        }
        affected
    }

    /// Recomputes the diagnostics of `docs`; returns those that changed.
    fn diagnose(&mut self, docs: &[DocId]) -> Vec<Publish> {
        let context = self.context.take().unwrap_or_else(|| RuleContext::new(&self.workspace));
        let unknown_rules = [Rule::UnknownActor, Rule::UnknownSource, Rule::UnknownClaim];
        let checked: Vec<(DocId, [bool; 3], Vec<lsp::Diagnostic>)> = {
            let checker = Checker::new(&self.workspace, &context);
            let this = &*self;
            let check = |&id: &DocId| {
                let mut found = checker.check(id);
                let unknown = unknown_rules.map(|rule| found.iter().any(|d| d.rule == rule));
                let document = this.workspace.document(id);
                let hidden = keep_the_first(&mut found);
                let mut diagnostics: Vec<lsp::Diagnostic> = found.iter().map(|d| this.to_lsp(document, d)).collect();
                if let Some((count, at)) = hidden {
                    diagnostics.push(lsp::Diagnostic {
                        range: convert::range(document, TextRange::empty(at as usize), this.encoding),
                        severity: Some(lsp::DiagnosticSeverity::INFORMATION),
                        source: Some("dossier".into()),
                        message: format!(
                            "{count} more findings from here on are not shown: the editor gets the first \
                             {MAX_PUBLISHED} of a note; `dossier check` lists them all"
                        ),
                        ..Default::default()
                    });
                }
                (id, unknown, diagnostics)
            };
            // Checking reads the workspace only: many documents at once (the
            // first index, an actor's definition edited) run on every core.
            if docs.len() >= 64 { docs.par_iter().map(check).collect() } else { docs.iter().map(check).collect() }
        };
        let mut out = Vec::new();
        for (id, unknown, diagnostics) in checked {
            for (ns, has) in Namespace::ALL.into_iter().zip(unknown) {
                if has {
                    self.has_unknown[ns.index()].insert(id);
                } else {
                    self.has_unknown[ns.index()].remove(&id);
                }
            }
            let path = &self.workspace.document(id).path;
            let print = fingerprint(&diagnostics);
            if self.published.get(path).copied() == print {
                continue;
            }
            let Some(uri) = self.uri_of(path) else { continue };
            let version = self.open.get(path).map(|o| o.version);
            let path = path.clone();
            self.set_published(path, print);
            out.push(Publish { uri, diagnostics, version });
        }
        self.context = Some(context);
        out
    }

    /// Records what was just published for `path` (its [`fingerprint`]).
    fn set_published(&mut self, path: PathBuf, print: Option<u64>) {
        match print {
            Some(print) => self.published.insert(path, print),
            None => self.published.remove(&path),
        };
    }

    fn to_lsp(&self, document: &Document, d: &Diagnostic) -> lsp::Diagnostic {
        let severity = match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
            Severity::Hint => lsp::DiagnosticSeverity::HINT,
        };
        let related = d
            .related
            .iter()
            .filter_map(|r| {
                let other = self.workspace.get(r.doc)?;
                Some(lsp::DiagnosticRelatedInformation {
                    location: lsp::Location {
                        uri: self.uri_of(&other.path)?,
                        range: convert::range(other, r.range, self.encoding),
                    },
                    message: r.message.clone(),
                })
            })
            .collect::<Vec<_>>();
        let tags = match d.rule {
            Rule::UnusedDefinition => Some(vec![lsp::DiagnosticTag::UNNECESSARY]),
            _ => None,
        };
        lsp::Diagnostic {
            range: convert::range(document, d.range, self.encoding),
            severity: Some(severity),
            code: Some(lsp::NumberOrString::String(d.rule.id().to_string())),
            source: Some("dossier".into()),
            message: d.message.clone(),
            related_information: (!related.is_empty()).then_some(related),
            tags,
            ..Default::default()
        }
    }

    /// Whether the server may propose edits to the file at `path` (see
    /// [`Boundary`]). For many paths, use one `Boundary`.
    pub fn in_workspace(&self, path: &Path) -> bool {
        self.boundary().contains(path)
    }

    /// The workspace boundary, as the disk stands now.
    pub fn boundary(&self) -> Boundary<'_> {
        let real = self.folders.iter().map(|f| std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())).collect();
        Boundary { folders: &self.folders, real_folders: real, real_dirs: HashMap::new(), inside_dirs: HashMap::new() }
    }

    /// Re-reads those of `paths` that are not open and whose file no longer
    /// holds the text indexed for it (or is gone). Returns what to publish,
    /// and whether any was stale. A rename calls this for every note it
    /// edits, so an unchanged file (same size and modification time as when
    /// it was read) costs one `stat`.
    ///
    /// A path may come with the file's metadata, read by the caller a
    /// moment before (after the index it checks against was last changed):
    /// then it costs nothing more.
    pub fn refresh_from_disk(&mut self, paths: &[PathStat]) -> (Vec<Publish>, bool) {
        let mut out = Vec::new();
        let mut stale = false;
        for (path, meta) in paths {
            if self.open.contains_key(path) {
                continue;
            }
            let indexed = self.workspace.doc_id(path).and_then(|id| self.workspace.get(id));
            let unchanged = |stamp: FileStamp| match meta {
                Some(now) => stamp == *now,
                None => stamp.matches(path),
            };
            if indexed.and_then(|d| d.stamp).is_some_and(unchanged) {
                continue; // same size and modification time as when read
            }
            let on_disk =
                self.includes(path).then(|| loader::read_if_present(path.clone(), Keep::EVERYTHING)).flatten();
            let indexed = self.workspace.doc_id(path).and_then(|id| self.workspace.get(id));
            let same = match (&on_disk, indexed) {
                (Some(disk), Some(indexed)) => disk.text == indexed.text && disk.problem == indexed.problem,
                (None, None) => true,
                _ => false,
            };
            if !same {
                stale = true;
                out.extend(self.update(path, on_disk));
            }
        }
        (out, stale)
    }

    /// The URI to name `path` by: the client's own for an open document.
    pub fn uri_of(&self, path: &Path) -> Option<Url> {
        match self.open.get(path) {
            Some(open) => Some(open.uri.clone()),
            None => Url::from_file_path(path).ok(),
        }
    }

    /// Whether a path on disk belongs to the workspace (under a folder, and
    /// included by `[files]`).
    pub fn includes(&self, path: &Path) -> bool {
        self.folders.iter().any(|folder| {
            path.starts_with(folder)
                && self.workspace.config.includes(&loader::relative_slash(folder, path))
                && !loader::is_ignored(folder, path)
        })
    }
}

/// The most findings published for one note. An editor cannot show more
/// usefully (a million findings on one line is a paste gone wrong, not a
/// to-do list), and each costs the client memory and time; the rest are
/// counted in one more diagnostic where the first of them starts.
pub const MAX_PUBLISHED: usize = 10_000;

/// Keeps the first [`MAX_PUBLISHED`] findings in text order; returns how
/// many were dropped and where the first of them starts.
fn keep_the_first(found: &mut Vec<Diagnostic>) -> Option<(usize, u32)> {
    if found.len() <= MAX_PUBLISHED {
        return None;
    }
    found.sort_by_key(|d| (d.range.start, d.range.end));
    let at = found[MAX_PUBLISHED].range.start;
    let hidden = found.len() - MAX_PUBLISHED;
    found.truncate(MAX_PUBLISHED);
    Some((hidden, at))
}

/// Published diagnostics in eight bytes, to tell whether new ones differ:
/// a hash (SipHash, fixed keys) of their JSON as sent; `None` for none.
/// Keeping the lists themselves cost a few megabytes in a large workspace.
fn fingerprint(diagnostics: &[lsp::Diagnostic]) -> Option<u64> {
    if diagnostics.is_empty() {
        return None;
    }
    struct Hashing(std::hash::DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            std::hash::Hasher::write(&mut self.0, bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(std::hash::DefaultHasher::new());
    // Writing to a hasher cannot fail, nor can serializing these types.
    let _ = serde_json::to_writer(&mut hashing, diagnostics);
    Some(std::hash::Hasher::finish(&hashing.0))
}

/// Hands the allocator's free memory back to the system. A load parses
/// every note on every core and frees the parser's scratch space in each
/// thread's arena; a large answer builds and frees megabytes. glibc keeps
/// such memory resident for reuse, which only that thread's arena can reuse;
/// giving it back keeps the server's footprint at what it holds.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free pages; it is safe at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lists_what_only_one_side_holds() {
        assert_eq!(changed(&[1, 3, 5, 7], &[2, 3, 7, 8, 9]), [&1, &2, &5, &8, &9]);
        assert_eq!(changed::<u8>(&[], &[]), Vec::<&u8>::new());
        assert_eq!(changed(&[4], &[]), [&4]);
        assert_eq!(changed(&[1, 2], &[1, 2]), Vec::<&i32>::new());
    }

    fn change(line: u32, text: &str) -> lsp::TextDocumentContentChangeEvent {
        let at = lsp::Position { line, character: 0 };
        replace(at, at, text)
    }

    fn replace(start: lsp::Position, end: lsp::Position, text: &str) -> lsp::TextDocumentContentChangeEvent {
        lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range { start, end }),
            range_length: None,
            text: text.into(),
        }
    }

    /// What `b.md` says of its `^src` when the first one is on `line` of `a.md`.
    fn duplicate_of_a(line: u32) -> String {
        format!("source `^src` is already defined (a.md:{line}): rename or remove this definition")
    }

    fn messages(batch: &[Publish], uri: &Url) -> Option<Vec<String>> {
        batch.iter().rev().find(|p| p.uri == *uri).map(|p| p.diagnostics.iter().map(|d| d.message.clone()).collect())
    }

    /// An indexed, empty workspace folder and the paths of two notes in it.
    fn indexed_pair() -> (tempfile::TempDir, State, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (a, b) = (root.join("a.md"), root.join("b.md"));
        let mut state = State::new(Encoding::Utf16, vec![root]);
        state.index_all();
        (dir, state, a, b)
    }

    fn open(state: &mut State, path: &Path, text: &str) -> Vec<Publish> {
        state.open_document(Url::from_file_path(path).unwrap(), path.to_path_buf(), 1, text.into())
    }

    /// Fuzz finding (edits target): a definition that only moved kept its
    /// content fingerprint, so the duplicate in another file went on naming
    /// the old line of the first definition.
    #[test]
    fn moving_a_duplicated_definition_updates_the_duplicate_elsewhere() {
        let (_dir, mut state, a, b) = indexed_pair();
        open(&mut state, &a, "{x | ^src}\n^src: A\n");
        let opened = open(&mut state, &b, "^src: B\n");
        let b_uri = Url::from_file_path(&b).unwrap();
        assert_eq!(messages(&opened, &b_uri), Some(vec![duplicate_of_a(2)]));
        let (moved, _) = state.change_document(&a, 2, vec![change(0, "\n\n")]);
        assert_eq!(messages(&moved, &b_uri), Some(vec![duplicate_of_a(4)]));
    }

    /// Fuzz finding (edits target, this time with the other's byte offset
    /// unchanged): an edit above the first definition that swaps a line
    /// break for a space moves it up a line without moving a byte.
    #[test]
    fn a_duplicated_definition_moving_lines_but_not_bytes_updates_the_duplicate_elsewhere() {
        let (_dir, mut state, a, b) = indexed_pair();
        open(&mut state, &a, "{c | ^src}\ny\n\n^src: A\n");
        let opened = open(&mut state, &b, "^src: B\n");
        let b_uri = Url::from_file_path(&b).unwrap();
        assert_eq!(messages(&opened, &b_uri), Some(vec![duplicate_of_a(4)]));
        let joined = replace(lsp::Position::new(0, 10), lsp::Position::new(1, 0), " ");
        let (moved, _) = state.change_document(&a, 2, vec![joined]);
        assert_eq!(state.open[&a].rope.to_string(), "{c | ^src} y\n\n^src: A\n");
        assert_eq!(messages(&moved, &b_uri), Some(vec![duplicate_of_a(3)]));
    }

    /// Same cause: two definitions of one source in one file swapped without
    /// any other change; the first one's grade is the one the rules use.
    #[test]
    fn reordering_duplicated_sources_changes_which_grade_counts() {
        let (_dir, mut state, a, b) = indexed_pair();
        open(&mut state, &a, "{x | ^src}\n");
        let weak = "^src: W\n  reliability: E5\n";
        let strong = "^src: S\n  reliability: A1\n";
        open(&mut state, &b, &format!("{strong}\n{weak}"));
        let a_uri = Url::from_file_path(&a).unwrap();
        let (swapped, _) = state.change_document(&b, 2, vec![change(0, &format!("{weak}\n"))]);
        // b.md now holds weak, strong, weak: the first is weak.
        let found = messages(&swapped, &a_uri).expect("a.md re-published");
        assert!(found.iter().any(|m| m.contains("graded weak")), "{found:?}");
    }
}
