//! The incremental engine: the workspace as the editor and the disk have it,
//! kept up to date one document at a time, with the knowledge of which
//! documents an update can affect. It takes "this note now has this text",
//! "this note is gone", "the configuration changed", and answers with the
//! diagnostics that may have changed, in core terms (documents and byte
//! ranges). The language server drives it on every keystroke, the `edits`
//! fuzz target the same way, and `dossier check` loads one once (keeping
//! only what its rules read) and asks for every finding. It also owns what
//! changes the workspace on the analyst's behalf: rename, checked against
//! the disk and the workspace boundary.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::diagnostics::{Checker, RuleContext};
use crate::config::{CONFIG_FILE, Config, ConfigError};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::syntax::Namespace;
use crate::text::Encoding;
use crate::workspace::boundary::Boundary;
use crate::workspace::{DocId, Document, FileStamp, Keep, Usage, Workspace, fx_hash, loader};

/// Diagnostics that may have changed after an update.
#[derive(Default)]
pub struct Changes {
    /// The documents whose diagnostics were computed again, with them
    /// (sorted by position; possibly the same as before).
    pub checked: Vec<(DocId, Vec<Diagnostic>)>,
    /// Paths that left the workspace: whatever they showed is gone.
    pub removed: Vec<PathBuf>,
    /// Every document was indexed afresh: a path not in the workspace now
    /// shows nothing, whatever it showed before.
    pub reindexed: bool,
    /// `dossier.toml`'s own findings (none once it is fixed), as a document
    /// to place them in, when they may have changed.
    pub config: Option<(Document, Vec<Diagnostic>)>,
    /// What else the update may have changed in what every note shows.
    pub shown: Shown,
}

/// What an update may have changed in what notes show beside their
/// diagnostics, in any note (an editor then asks again for what it shows).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Shown {
    /// How often ids are mentioned, and in which claims: the code lens counts.
    pub counts: bool,
    /// Which ids are defined, and the definitions' content: whether a
    /// token is `unknown`, which definitions have a lens.
    pub definitions: bool,
    /// A source definition: the grades of inlay hints and `weak` tokens.
    pub grades: bool,
}

impl Shown {
    pub const ALL: Shown = Shown { counts: true, definitions: true, grades: true };

    pub fn extend(&mut self, other: Shown) {
        self.counts |= other.counts;
        self.definitions |= other.definitions;
        self.grades |= other.grades;
    }
}

impl Changes {
    fn extend(&mut self, other: Changes) {
        self.checked.extend(other.checked);
        self.removed.extend(other.removed);
        self.reindexed |= other.reindexed;
        self.shown.extend(other.shown);
        if other.config.is_some() {
            self.config = other.config;
        }
    }
}

/// A note to be edited by a rename: its path, and its size and modification
/// time when the rename looked (for a note the editor has not opened).
pub type PathStat = (PathBuf, Option<FileStamp>);

/// A rename, ready to apply: per document, the id ranges (without sigils)
/// to replace with `new_name`.
pub struct RenameEdits {
    pub new_name: String,
    pub edits: Vec<(DocId, Vec<crate::text::TextRange>)>,
}

/// A change to a file on disk that the editor reported.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FileEvent {
    Created,
    Changed,
    Deleted,
}

pub struct Host {
    workspace: Workspace,
    /// Workspace folders, the first being the root whose `dossier.toml` applies.
    folders: Vec<PathBuf>,
    /// The documents whose text is the editor's, not the disk's.
    open: HashSet<PathBuf>,
    config_error: Option<(String, ConfigError)>,
    /// Set by the first `index`; until then edits only touch the open
    /// documents, which the indexing then takes as they are.
    indexed: bool,
    /// What the rules read from all definitions; dropped when an actor or
    /// source definition changes, rebuilt on the next check.
    context: Option<RuleContext>,
    /// Per namespace, the documents whose last check found an unknown id.
    has_unknown: [BTreeSet<DocId>; 3],
    /// See [`Host::facts`].
    facts: u64,
}

/// Where [`Host::facts`] values come from: one counter for the process,
/// so that two hosts never give the same one.
static FACTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn new_facts() -> u64 {
    FACTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Host {
    /// A host for these workspace folders; the root is the nearest folder
    /// upward of the first one that holds `dossier.toml`.
    pub fn new(folders: Vec<PathBuf>) -> Host {
        // Real folders: every note is then known by its real path (see
        // `key`), however the editor or a link names it.
        let mut folders: Vec<PathBuf> = folders.into_iter().map(loader::real_path).collect();
        if let Some(first) = folders.first_mut()
            && let Some(root) = loader::find_config_root(first)
        {
            *first = root;
        }
        let root = folders.first().cloned().unwrap_or_default();
        Host {
            workspace: Workspace::new(root, Config::default()),
            folders,
            open: HashSet::new(),
            config_error: None,
            indexed: false,
            context: None,
            has_unknown: Default::default(),
            facts: new_facts(),
        }
    }

    /// A host loaded once, as `dossier check` uses it: the notes of
    /// `folders` and the `extra` files the user named, each parse keeping
    /// what `keep` says and the index what `usage` says, no more. Also
    /// returns the nested workspace roots the walk left out.
    pub fn load_once(
        root: PathBuf,
        config: Config,
        folders: &[PathBuf],
        extra: &[PathBuf],
        keep: Keep,
        usage: Usage,
    ) -> (Host, Vec<PathBuf>) {
        let (workspace, nested) = loader::walk_and_load(root, config, folders, extra, keep, usage);
        let host = Host {
            workspace,
            folders: folders.to_vec(),
            open: HashSet::new(),
            config_error: None,
            indexed: true,
            context: None,
            has_unknown: Default::default(),
            facts: new_facts(),
        };
        (host, nested)
    }

    /// Every document's diagnostics at `min_severity` or above (rules below
    /// it are not even run), on every core.
    pub fn check_all(&self, min_severity: Severity) -> Vec<(DocId, Vec<Diagnostic>)> {
        super::check_workspace(&self.workspace, min_severity)
    }

    /// Changes whenever an update may have changed what a note's semantic
    /// tokens read of the workspace beyond the note's own text: which ids
    /// are defined, the grades of sources, the configuration. An edit of a
    /// note that defines nothing new and grades nothing differently leaves
    /// it as it was, so the tokens of that note's unedited paragraphs, and
    /// those of every other note, stay what they were (`semantic_tokens_reusing`).
    pub fn facts(&self) -> u64 {
        self.facts
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// What the rules read from all definitions, as of the last update
    /// (every update checks, which builds it): the semantic tokens look ids
    /// and grades up in it, a probe each instead of the workspace's tables.
    pub fn rule_context(&self) -> Option<&RuleContext> {
        self.context.as_ref()
    }

    pub fn is_open(&self, path: &Path) -> bool {
        self.open.contains(path)
    }

    /// The path a note is known by here: a file reached by several paths
    /// (a symbolic link, `..`) is one document, under its real path. A
    /// path already known costs nothing; another, a few system calls.
    pub fn key(&self, path: &Path) -> PathBuf {
        if self.open.contains(path) || self.workspace.doc_id(path).is_some() {
            return path.to_path_buf();
        }
        loader::canonical(path)
    }

    /// (Re)reads `dossier.toml` and every note of every folder; open
    /// documents keep their editor text.
    pub fn index(&mut self) -> Changes {
        let root = self.workspace.root.clone();
        let config_path = root.join(CONFIG_FILE);
        self.config_error = None;
        let config = match std::fs::read_to_string(&config_path) {
            Ok(text) => Config::parse(&text).unwrap_or_else(|error| {
                self.config_error = Some((text, error));
                Config::default()
            }),
            Err(_) => Config::default(),
        };
        // The server shows hints, so every parse keeps its prose ranges.
        let (mut workspace, _) = loader::walk_and_load(root, config, &self.folders, &[], Keep::EVERYTHING, Usage::Full);
        for path in &self.open {
            if let Some(open) = self.workspace.shared(path) {
                let document = parsed(&workspace, path, open.text.clone());
                workspace.insert(document);
            }
        }
        self.workspace = workspace;
        self.indexed = true;
        self.context = None;
        self.facts = new_facts();
        self.has_unknown = Default::default();
        release_free_memory();
        let all: Vec<DocId> = self.workspace.documents().map(|(id, _)| id).collect();
        let checked = self.check(&all);
        release_free_memory();
        Changes {
            checked,
            removed: Vec::new(),
            reindexed: true,
            config: Some(self.config_findings()),
            shown: Shown::ALL,
        }
    }

    /// `dossier.toml`'s findings: `invalid-config`, or else
    /// `invalid-bibliography` on each listed bibliography that does not
    /// exist; nothing once fixed. With the file's text, to place them.
    pub fn config_findings(&self) -> (Document, Vec<Diagnostic>) {
        let path = self.workspace.root.join(CONFIG_FILE);
        if self.config_error.is_none() {
            let severity = self.workspace.config.severity(Rule::InvalidBibliography);
            let missing: Vec<Diagnostic> = self
                .workspace
                .bibliographies()
                .filter(|(file, _)| self.workspace.doc_id(file).is_none())
                .filter_map(|(_, entry)| {
                    Some(Diagnostic {
                        rule: Rule::InvalidBibliography,
                        severity: severity?,
                        range: entry.at,
                        message: format!(
                            "bibliography `{}` does not exist: export it there (paths are relative to the folder of dossier.toml), or correct the path",
                            entry.path
                        ),
                        related: Vec::new(),
                    })
                })
                .collect();
            // Read again only in this rare case: the ranges are into it.
            let text =
                if missing.is_empty() { String::new() } else { std::fs::read_to_string(&path).unwrap_or_default() };
            return (Document::unparsed(path, text, None), missing);
        }
        match &self.config_error {
            Some((text, error)) => {
                let diagnostic = Diagnostic {
                    rule: Rule::InvalidConfig,
                    severity: Severity::Error,
                    range: error.range,
                    message: format!("{}: the defaults apply until it is fixed", error.message),
                    related: Vec::new(),
                };
                (Document::unparsed(path, text.clone(), None), vec![diagnostic])
            }
            None => (Document::unparsed(path, String::new(), None), Vec::new()),
        }
    }

    /// The editor opened a note: its text shadows the disk from now on.
    pub fn open(&mut self, path: &Path, text: String) -> Changes {
        self.open.insert(path.to_path_buf());
        let document = parsed(&self.workspace, path, text);
        self.update(path, Some(document))
    }

    /// An open note has a new text (after the editor's edits).
    pub fn edit(&mut self, path: &Path, text: String) -> Changes {
        let document = match self.workspace.shared(path) {
            Some(previous) => Document::reparsed(&previous, text, Keep::EVERYTHING),
            None => parsed(&self.workspace, path, text),
        };
        self.open.insert(path.to_path_buf());
        self.update(path, Some(document))
    }

    /// The editor closed a note: the disk's version returns, if the file
    /// belongs to the workspace.
    pub fn close(&mut self, path: &Path) -> Changes {
        self.open.remove(path);
        let on_disk = self.read_if_included(path);
        self.update(path, on_disk)
    }

    /// Files changed on disk; a change to `dossier.toml` re-indexes all.
    /// Open notes keep the editor's text.
    pub fn files_changed(&mut self, events: &[(PathBuf, FileEvent)]) -> Changes {
        if events.iter().any(|(path, _)| path.file_name().is_some_and(|n| n == CONFIG_FILE)) {
            return self.index();
        }
        let mut changes = Changes::default();
        let mut bibliography_changed = false;
        for (path, event) in events {
            let path = &self.key(path);
            if self.open.contains(path) {
                continue;
            }
            let document = (*event != FileEvent::Deleted).then(|| self.read_if_included(path)).flatten();
            bibliography_changed |= self.workspace.bibliography_format(path).is_some();
            if document.is_some() || self.workspace.doc_id(path).is_some() {
                changes.extend(self.update(path, document));
            }
        }
        // A bibliography created or deleted: whether `dossier.toml` reports it missing.
        if bibliography_changed {
            changes.config = Some(self.config_findings());
        }
        changes
    }

    fn read_if_included(&self, path: &Path) -> Option<Document> {
        if let Some(format) = self.workspace.bibliography_format(path) {
            return loader::read_bibliography(path.to_path_buf(), format);
        }
        self.includes(path).then(|| loader::read_if_present(path.to_path_buf(), Keep::EVERYTHING)).flatten()
    }

    /// Whether a path on disk belongs to the workspace (under a folder, and
    /// included by `[files]`, or a bibliography the config names).
    pub fn includes(&self, path: &Path) -> bool {
        self.workspace.bibliography_format(path).is_some()
            || self.folders.iter().any(|folder| {
                path.starts_with(folder)
                    && self.workspace.config.includes(&loader::relative_slash(folder, path))
                    && !loader::is_ignored(folder, path)
            })
    }

    /// Replaces (or with `None`, removes) one document and answers the
    /// diagnostics that may have changed because of it, in it or elsewhere.
    fn update(&mut self, path: &Path, document: Option<Document>) -> Changes {
        if !self.indexed {
            self.facts = new_facts();
            // Kept for the indexing to take (open notes only).
            if let Some(document) = document.filter(|_| self.open.contains(path)) {
                self.workspace.insert(document);
            } else {
                self.workspace.remove(path);
            }
            return Changes::default();
        }
        let old = self.workspace.shared(path);
        let mut reindexed = false;
        let id = match document {
            Some(document) => {
                let (id, changed) = self.workspace.insert_reporting(document);
                reindexed = changed;
                Some(id)
            }
            None => {
                if let Some(gone) = self.workspace.remove(path) {
                    reindexed = true;
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
        let changed_defines = changed(&before.defines, &after.defines);
        let shown = Shown {
            counts: reindexed,
            definitions: !changed_defines.is_empty() || !moved.is_empty(),
            grades: changed_defines.iter().any(|(ns, ..)| *ns == Namespace::Source)
                || moved.iter().any(|(ns, _)| *ns == Namespace::Source),
        };
        // What tokens read elsewhere: which ids are defined (claim ids
        // too), and each definition's text, grades among it.
        if shown.definitions || shown.grades {
            self.facts = new_facts();
        }
        // The rule context reads actor and source definitions only (the
        // first of duplicates: a move alone can change which that is).
        if changed_defines.iter().any(|(ns, ..)| *ns != Namespace::Claim)
            || moved.iter().any(|(ns, _)| *ns != Namespace::Claim)
        {
            self.context = None;
        }
        if before != after {
            affected.extend(self.affected_by(&before, &after, &moved));
        }
        let checked = self.check(&affected.into_iter().collect::<Vec<_>>());
        let removed = if id.is_none() && old.is_some() { vec![path.to_path_buf()] } else { Vec::new() };
        Changes { checked, removed, shown, ..Changes::default() }
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
        // Citations gained or lost (a source already named in prose may be
        // cited now): the definitions' `ungraded-source`.
        for (_, name) in changed(&before.cited, &after.cited) {
            affected.extend(ws.definitions(Namespace::Source, name).iter().map(|s| s.doc));
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

    /// The diagnostics of `docs`, computed again.
    fn check(&mut self, docs: &[DocId]) -> Vec<(DocId, Vec<Diagnostic>)> {
        let context = self.context.take().unwrap_or_else(|| RuleContext::new(&self.workspace));
        let unknown_rules = [Rule::UnknownActor, Rule::UnknownSource, Rule::UnknownClaim];
        let checked: Vec<(DocId, [bool; 3], Vec<Diagnostic>)> = {
            let checker = Checker::new(&self.workspace, &context);
            let check = |&id: &DocId| {
                let found = checker.check(id);
                let unknown = unknown_rules.map(|rule| found.iter().any(|d| d.rule == rule));
                (id, unknown, found)
            };
            // Checking reads the workspace only: many documents at once (the
            // first index, an actor's definition edited) run on every core.
            if docs.len() >= 64 { docs.par_iter().map(check).collect() } else { docs.iter().map(check).collect() }
        };
        self.context = Some(context);
        checked
            .into_iter()
            .map(|(id, unknown, found)| {
                for (ns, has) in Namespace::ALL.into_iter().zip(unknown) {
                    if has {
                        self.has_unknown[ns.index()].insert(id);
                    } else {
                        self.has_unknown[ns.index()].remove(&id);
                    }
                }
                (id, found)
            })
            .collect()
    }

    /// Why a rename at `offset` of `doc` must not go ahead because it would
    /// leave the workspace: Dossier never proposes edits to a file outside
    /// the workspace folders, so it refuses a rename started from such a
    /// file, or of an id defined in one, rather than do half of it.
    fn outside_refusal(&self, doc: DocId, offset: usize) -> Option<String> {
        let document = self.workspace.document(doc);
        let mut boundary = Boundary::new(&self.folders);
        if !boundary.contains(&document.path) {
            return Some(format!(
                "{} is outside the workspace folders (or links to a file outside them): Dossier renames only in notes inside them",
                document.path.display()
            ));
        }
        let target = super::id_at(document, offset)?;
        let outside = super::definition(&self.workspace, doc, offset)
            .into_iter()
            .filter_map(|l| self.workspace.get(l.doc))
            .find(|d| !boundary.contains(&d.path))?;
        Some(format!(
            "`{}{}` is defined in {}, outside the workspace folders (or a link to a file outside them): Dossier does not edit files there",
            target.namespace.sigil(),
            target.name,
            outside.path.display()
        ))
    }

    /// The id at `offset` of `doc`, without its sigil, if it may be renamed.
    pub fn prepare_rename(&self, doc: DocId, offset: usize) -> Result<crate::text::TextRange, String> {
        let range = super::prepare_rename(&self.workspace, doc, offset)?;
        self.outside_refusal(doc, offset).map_or(Ok(range), Err)
    }

    /// Renames the id at `offset` of the note at `path` everywhere in the
    /// workspace boundary. Notes the editor has not opened are edited from
    /// disk, so they are first checked against it: a note changed there
    /// without an event (no file watching, a `git checkout` not reported
    /// yet) is read again and the edits computed again on its text. The
    /// changes that re-reading made come with the answer; `Ok(None)` when
    /// the note is not in the workspace.
    pub fn rename(
        &mut self,
        path: &Path,
        offset: usize,
        new_name: &str,
    ) -> (Result<Option<RenameEdits>, String>, Changes) {
        let mut changes = Changes::default();
        for _ in 0..3 {
            let Some(doc) = self.workspace.doc_id(path) else { return (Ok(None), changes) };
            let (edits, closed) = match self.rename_edits(doc, offset, new_name) {
                Ok(planned) => planned,
                Err(why) => return (Err(why), changes),
            };
            let (refreshed, stale) = self.refresh_from_disk(&closed);
            changes.extend(refreshed);
            if !stale {
                return (Ok(Some(edits)), changes);
            }
        }
        (Err("the notes to rename keep changing on disk: try again once they are saved".into()), changes)
    }

    /// The code actions at `range` of the note at `path` (see
    /// [`super::code_actions`]), with only edits inside the workspace
    /// boundary. The notes they edit that are not open are first checked
    /// against the disk, as for a rename; the changes that re-reading made
    /// come with the answer.
    pub fn code_actions(
        &mut self,
        path: &Path,
        range: crate::text::TextRange,
        reported: &[(Rule, crate::text::TextRange)],
        wanted: super::Wanted,
        options: super::ActionOptions,
    ) -> (Vec<super::Action>, Changes) {
        let mut changes = Changes::default();
        for _ in 0..3 {
            let Some(doc) = self.workspace.doc_id(path) else { break };
            let actions = self
                .with_context(|ws, context| super::code_actions(ws, context, doc, range, reported, wanted, options));
            let actions = self.inside_boundary(actions);
            let closed: Vec<PathStat> = actions
                .iter()
                .flat_map(|a| &a.edits)
                .filter_map(|e| match e {
                    super::FileEdit::Edit { doc, .. } => Some(&self.workspace.get(*doc)?.path),
                    super::FileEdit::Create { .. } => None,
                })
                .filter(|p| !self.open.contains(*p))
                .map(|p| (p.clone(), None))
                .collect();
            let (refreshed, stale) = self.refresh_from_disk(&closed);
            changes.extend(refreshed);
            if !stale {
                return (actions, changes);
            }
        }
        (Vec::new(), changes)
    }

    /// Every safe fix of the note at `doc`, none overlapping (see
    /// [`super::safe_fixes`]).
    pub fn safe_fixes(&self, doc: DocId) -> Vec<super::Action> {
        self.with_context(|ws, context| super::safe_fixes(ws, context, doc))
    }

    /// Replaces documents of a host loaded once (what `dossier check --fix`
    /// wrote, or found on disk instead of what it read): the next check
    /// sees them. Not for the server, whose updates go through
    /// [`Host::edit`] and the documents they affect.
    pub fn replace_documents(&mut self, documents: Vec<Document>) {
        for document in documents {
            self.workspace.insert(document);
        }
        self.context = None;
        self.facts = new_facts();
    }

    /// Runs `f` with the rule context, built for the occasion when an
    /// update dropped it.
    fn with_context<T>(&self, f: impl FnOnce(&Workspace, &RuleContext) -> T) -> T {
        match &self.context {
            Some(context) => f(&self.workspace, context),
            None => f(&self.workspace, &RuleContext::new(&self.workspace)),
        }
    }

    /// The actions whose every edit is inside the workspace boundary.
    fn inside_boundary(&self, actions: Vec<super::Action>) -> Vec<super::Action> {
        let mut boundary = Boundary::new(&self.folders);
        actions
            .into_iter()
            .filter(|action| {
                action.edits.iter().all(|edit| match edit {
                    super::FileEdit::Edit { doc, .. } => {
                        self.workspace.get(*doc).is_some_and(|d| boundary.contains(&d.path))
                    }
                    super::FileEdit::Create { path, .. } => boundary.contains(path),
                })
            })
            .collect()
    }

    /// The rename's edits inside the boundary, and the notes among them that
    /// are not open, with their stamp (size, times, inode) as it is now.
    fn rename_edits(&self, doc: DocId, offset: usize, new_name: &str) -> Result<(RenameEdits, Vec<PathStat>), String> {
        let edits = super::rename(&self.workspace, doc, offset, new_name)?;
        if let Some(refusal) = self.outside_refusal(doc, offset) {
            return Err(refusal);
        }
        let new_name = new_name.trim_start_matches(['@', '^', '#']).to_string();
        // Each note's `lstat` on every core (a rename can touch thousands of
        // notes); then the boundary decides, in order. The `stat` also serves
        // the check that the file still holds the text these edits were
        // computed on.
        let looked: Vec<_> = edits
            .into_par_iter()
            .filter_map(|(doc, ranges)| {
                let path = &self.workspace.get(doc)?.path;
                let meta = std::fs::symlink_metadata(path).ok();
                let link = meta.as_ref().map(|meta| meta.file_type().is_symlink());
                // A link's own size and time are not its file's.
                let stamp = meta.as_ref().filter(|_| link == Some(false)).and_then(FileStamp::current);
                Some((doc, ranges, link, stamp))
            })
            .collect();
        let mut boundary = Boundary::new(&self.folders);
        let mut closed = Vec::new();
        let mut kept = Vec::with_capacity(looked.len());
        for (doc, ranges, link, stamp) in looked {
            let path = &self.workspace.document(doc).path;
            if !boundary.check(path, link) {
                continue;
            }
            if !self.open.contains(path) {
                closed.push((path.clone(), stamp));
            }
            kept.push((doc, ranges));
        }
        Ok((RenameEdits { new_name, edits: kept }, closed))
    }

    /// Reads again those of `paths` that are not open and whose file no
    /// longer holds the text indexed for it (or is gone). Answers what that
    /// changed, and whether any was stale. An unchanged file (the same
    /// [`FileStamp`] as when read, or as given) costs one `stat`, or
    /// nothing when its stamp was just read.
    pub fn refresh_from_disk(&mut self, paths: &[PathStat]) -> (Changes, bool) {
        let mut changes = Changes::default();
        let mut stale = false;
        for (path, meta) in paths {
            if self.open.contains(path) {
                continue;
            }
            let indexed = self.workspace.doc_id(path).and_then(|id| self.workspace.get(id));
            let unchanged = |stamp: FileStamp| match meta {
                Some(now) => stamp == *now,
                None => stamp.matches(path),
            };
            if indexed.and_then(|d| d.stamp).is_some_and(unchanged) {
                continue;
            }
            let on_disk = self.read_if_included(path);
            let indexed = self.workspace.doc_id(path).and_then(|id| self.workspace.get(id));
            let same = match (&on_disk, indexed) {
                (Some(disk), Some(indexed)) => disk.text == indexed.text && disk.problem == indexed.problem,
                (None, None) => true,
                _ => false,
            };
            if !same {
                stale = true;
                changes.extend(self.update(path, on_disk));
            }
        }
        (changes, stale)
    }
}

/// `text` at `path` parsed as what `workspace` says it is: a bibliography
/// the config names, or a note.
fn parsed(workspace: &Workspace, path: &Path, text: String) -> Document {
    match workspace.bibliography_format(path) {
        Some(format) => Document::bibliography(path.to_path_buf(), text, format),
        None => Document::parsed(path.to_path_buf(), text, Keep::EVERYTHING),
    }
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
    /// The sources cited in claims' metadata (`ungraded-source` asks
    /// whether any claim cites a source, not only whether it is named).
    cited: Vec<(u64, &'d str)>,
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
    let mut cited: Vec<(u64, &str)> = parse
        .references
        .iter()
        .filter(|r| matches!(r.role(), crate::syntax::Role::Citation { .. }))
        .map(|r| {
            let name = r.name(text);
            (fx_hash(name), name)
        })
        .collect();
    cited.sort_unstable();
    cited.dedup();
    Interface { defines, mentions, sites, cited }
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

/// Hands the allocator's free memory back to the system. A load parses
/// every note on every core and frees the parser's scratch space in each
/// thread's arena; a large answer builds and frees megabytes. glibc keeps
/// such memory resident for reuse, which only that thread's arena can reuse;
/// giving it back keeps a long-lived process at what it holds.
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

    /// What `b.md` says of its `^src` when the first one is on `line` of `a.md`.
    fn duplicate_of_a(line: u32) -> String {
        format!("source `^src` is already defined (a.md:{line}): rename or remove this definition")
    }

    /// The messages reported for `path` in `changes`, if it was checked.
    fn messages(host: &Host, changes: &Changes, path: &Path) -> Option<Vec<String>> {
        let doc = host.workspace().doc_id(path)?;
        let (_, found) = changes.checked.iter().rev().find(|(d, _)| *d == doc)?;
        Some(found.iter().map(|d| d.message.clone()).collect())
    }

    /// An indexed, empty workspace folder and the paths of two notes in it.
    fn indexed_pair() -> (tempfile::TempDir, Host, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (a, b) = (root.join("a.md"), root.join("b.md"));
        let mut host = Host::new(vec![root]);
        host.index();
        (dir, host, a, b)
    }

    /// Fuzz finding (edits target): a definition that only moved kept its
    /// content fingerprint, so the duplicate in another file went on naming
    /// the old line of the first definition.
    #[test]
    fn moving_a_duplicated_definition_updates_the_duplicate_elsewhere() {
        let (_dir, mut host, a, b) = indexed_pair();
        host.open(&a, "{x | ^src}\n^src: A\n".into());
        let opened = host.open(&b, "^src: B\n  reliability: B2\n".into());
        assert_eq!(messages(&host, &opened, &b), Some(vec![duplicate_of_a(2)]));
        let moved = host.edit(&a, "\n\n{x | ^src}\n^src: A\n".into());
        assert_eq!(messages(&host, &moved, &b), Some(vec![duplicate_of_a(4)]));
    }

    /// Fuzz finding (edits target, this time with the other's byte offset
    /// unchanged): an edit above the first definition that swaps a line
    /// break for a space moves it up a line without moving a byte.
    #[test]
    fn a_duplicated_definition_moving_lines_but_not_bytes_updates_the_duplicate_elsewhere() {
        let (_dir, mut host, a, b) = indexed_pair();
        host.open(&a, "{c | ^src}\ny\n\n^src: A\n".into());
        let opened = host.open(&b, "^src: B\n  reliability: B2\n".into());
        assert_eq!(messages(&host, &opened, &b), Some(vec![duplicate_of_a(4)]));
        let moved = host.edit(&a, "{c | ^src} y\n\n^src: A\n".into());
        assert_eq!(messages(&host, &moved, &b), Some(vec![duplicate_of_a(3)]));
    }

    /// Same cause: two definitions of one source in one file swapped without
    /// any other change; the first one's grade is the one the rules use.
    #[test]
    fn reordering_duplicated_sources_changes_which_grade_counts() {
        let (_dir, mut host, a, b) = indexed_pair();
        host.open(&a, "{x | ^src}\n".into());
        let weak = "^src: W\n  reliability: E5\n";
        let strong = "^src: S\n  reliability: A1\n";
        host.open(&b, format!("{strong}\n{weak}"));
        let swapped = host.edit(&b, format!("{weak}\n{strong}\n{weak}"));
        // b.md now holds weak, strong, weak: the first is weak.
        let found = messages(&host, &swapped, &a).expect("a.md checked again");
        assert!(found.iter().any(|m| m.contains("graded weak")), "{found:?}");
    }

    /// A note the editor opened before the workspace was indexed is indexed
    /// with the editor's text, not the disk's.
    #[test]
    fn a_note_opened_before_indexing_keeps_the_editor_text() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("a.md"), "{on disk}\n").unwrap();
        let mut host = Host::new(vec![root.clone()]);
        let before = host.open(&root.join("a.md"), "{in the editor | ^x}\n".into());
        assert!(before.checked.is_empty());
        let indexed = host.index();
        let found = messages(&host, &indexed, &root.join("a.md")).unwrap();
        assert_eq!(found, ["unknown source `^x`: define it with a line `^x: Title` (e.g. in sources.md)"]);
    }

    /// A first citation of a source that a note only named in prose
    /// makes its definition elsewhere `ungraded-source`; the last one
    /// taken away clears it.
    #[test]
    fn citing_a_source_updates_its_definitions_ungraded_source() {
        let (_dir, mut host, a, b) = indexed_pair();
        host.open(&a, "^src: Ungraded\n".into());
        host.open(&b, "As [the source](^src) says.\n".into());
        let cited = host.edit(&b, "As [the source](^src) says {x | ^src}.\n".into());
        let found = messages(&host, &cited, &a).expect("a.md checked again");
        assert_eq!(
            found,
            ["source `^src` is cited but not graded: add a line `  reliability: B2` (its Admiralty code)"]
        );
        let uncited = host.edit(&b, "As [the source](^src) says.\n".into());
        assert_eq!(messages(&host, &uncited, &a), Some(vec![]));
    }

    /// A source's grade edited in one note changes `thin-sourcing` of the
    /// claims citing it in another.
    #[test]
    fn grading_a_source_updates_thin_sourcing_where_it_is_cited() {
        let (_dir, mut host, a, b) = indexed_pair();
        host.open(&a, "^one: One\n  reliability: B2\n^two: Two\n  reliability: E5\n".into());
        let opened = host.open(&b, "{x | ^one ^two conf:high}\n".into());
        let thin = messages(&host, &opened, &b).unwrap();
        assert!(thin.len() == 1 && thin[0].contains("weakly graded source (^two E5)"), "{thin:?}");
        let graded = host.edit(&a, "^one: One\n  reliability: B2\n^two: Two\n  reliability: A1\n".into());
        assert_eq!(messages(&host, &graded, &b), Some(vec![]));
    }

    /// What an update tells the editor to ask again for: lens counts when
    /// mentions change, definitions when ids come or go, grades when a
    /// source definition changes; nothing for prose typed.
    #[test]
    fn an_update_says_what_it_changed_in_what_other_notes_show() {
        let (_dir, mut host, a, b) = indexed_pair();
        host.open(&a, "^s: S\n  reliability: B2\n@p: P\n".into());
        host.open(&b, "{x @p | ^s}\n".into());
        let shown = |c: Changes| (c.shown.counts, c.shown.definitions, c.shown.grades);
        assert_eq!(shown(host.edit(&b, "Typed. {x @p | ^s}\n".into())), (false, false, false));
        assert_eq!(shown(host.edit(&b, "Typed @p. {x @p | ^s}\n".into())), (true, false, false));
        // A claim id defined: the note is indexed again, its counts with it.
        assert_eq!(shown(host.edit(&b, "Typed @p. {x @p | ^s #c}\n".into())), (true, true, false));
        assert_eq!(shown(host.edit(&a, "^s: S\n  reliability: E5\n@p: P\n".into())), (false, true, true));
        assert_eq!(
            shown(host.edit(&a, "^s: S\n  reliability: E5\n@p: P\n  kind: person\n".into())),
            (false, true, false)
        );
        assert_eq!(shown(host.close(&b)), (true, true, false));
    }

    #[test]
    fn changed_lists_what_only_one_side_holds() {
        assert_eq!(changed(&[1, 3, 5, 7], &[2, 3, 7, 8, 9]), [&1, &2, &5, &8, &9]);
        assert_eq!(changed::<u8>(&[], &[]), Vec::<&u8>::new());
        assert_eq!(changed(&[4], &[]), [&4]);
        assert_eq!(changed(&[1, 2], &[1, 2]), Vec::<&i32>::new());
    }
}
