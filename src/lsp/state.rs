//! The server's state: the workspace index (disk files and open documents),
//! the open documents as ropes with their versions, and what was last
//! published. Every change goes through here, synchronously, under one lock.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use ropey::Rope;
use tower_lsp::lsp_types::{self as lsp, Url};

use super::convert;
use crate::analysis::{Checker, RuleContext};
use crate::config::{CONFIG_FILE, Config, ConfigError};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::syntax::Namespace;
use crate::text::{Encoding, LineIndex};
use crate::workspace::{DocId, Document, Workspace, loader};

pub struct OpenDocument {
    pub rope: Rope,
    pub version: i32,
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
    /// What each file's diagnostics were when last published.
    published: HashMap<PathBuf, Vec<lsp::Diagnostic>>,
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
/// update tells which other documents can have changed diagnostics.
#[derive(Default, PartialEq, Eq)]
struct Interface {
    defines: BTreeSet<(Namespace, String, u64)>,
    mentions: BTreeSet<(Namespace, String)>,
    /// Where each definition's id token starts: a `duplicate-definition`
    /// in another document names the first definition's place, so a
    /// definition that only moved still changes what is published there.
    sites: BTreeSet<(Namespace, String, u32)>,
}

fn interface(document: Option<&Document>) -> Interface {
    let Some(document) = document else { return Interface::default() };
    let text = &document.text;
    let mut out = Interface::default();
    for def in &document.parse.definitions {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        def.range.of(text).hash(&mut hasher);
        out.defines.insert((def.namespace, def.name(text).to_string(), hasher.finish()));
        out.sites.insert((def.namespace, def.name(text).to_string(), def.id.start));
    }
    for claim in &document.parse.claims {
        if let (Some(name), Some(id)) = (claim.id_name(text), claim.id) {
            out.defines.insert((Namespace::Claim, name.to_string(), 0));
            out.sites.insert((Namespace::Claim, name.to_string(), id.start));
        }
    }
    for r in &document.parse.references {
        out.mentions.insert((r.namespace, r.name(text).to_string()));
    }
    out
}

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
        let mut listing = loader::Listing::default();
        for folder in &self.folders {
            let found = loader::list(folder, &config);
            listing.files.extend(found.files);
            listing.problems.extend(found.problems);
        }
        let mut workspace = loader::load(root, config, &listing, &[]);
        for (path, open) in &self.open {
            workspace.insert(Document::new(path.clone(), open.rope.to_string()));
        }
        self.workspace = workspace;
        self.indexed = true;
        self.context = None;
        self.has_unknown = Default::default();
        let all: Vec<DocId> = self.workspace.documents().map(|(id, _)| id).collect();
        let mut out = self.diagnose(&all);
        // Files that had diagnostics and left the workspace are cleared.
        let live: HashSet<PathBuf> = self.workspace.documents().map(|(_, d)| d.path.clone()).collect();
        let gone: Vec<PathBuf> = self.published.keys().filter(|p| !live.contains(*p)).cloned().collect();
        for path in gone {
            if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
                continue;
            }
            self.published.remove(&path);
            if let Ok(uri) = Url::from_file_path(&path) {
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
                let document = Document {
                    path: path.clone(),
                    text: text.clone(),
                    line_index: LineIndex::new(text),
                    parse: Default::default(),
                    problem: None,
                };
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
        if self.published.get(&path).map_or(diagnostics.is_empty(), |old| *old == diagnostics) {
            return None;
        }
        self.published.insert(path.clone(), diagnostics.clone());
        Some(Publish { uri: Url::from_file_path(&path).ok()?, diagnostics, version: None })
    }

    /// `didOpen`: the editor's text shadows the disk from now on.
    pub fn open_document(&mut self, path: PathBuf, version: i32, text: String) -> Vec<Publish> {
        self.open.insert(path.clone(), OpenDocument { rope: Rope::from_str(&text), version });
        self.update(&path, Some(Document::new(path.clone(), text)))
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
        (self.update(path, Some(Document::new(path.to_path_buf(), text))), rejected)
    }

    /// `didClose`: the disk version returns, if the file belongs to the workspace.
    pub fn close_document(&mut self, path: &Path) -> Vec<Publish> {
        self.open.remove(path);
        let on_disk = (path.is_file() && self.includes(path)).then(|| loader::read_document(path.to_path_buf()));
        self.update(path, on_disk)
    }

    /// Replaces (or with `None`, removes) one document and returns the
    /// diagnostics that changed because of it, in this file or any other.
    pub fn update(&mut self, path: &Path, document: Option<Document>) -> Vec<Publish> {
        if !self.indexed {
            return Vec::new();
        }
        let before = interface(self.workspace.doc_id(path).and_then(|id| self.workspace.get(id)));
        let after = interface(document.as_ref());
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
        let mut affected: BTreeSet<DocId> = id.into_iter().collect();
        let blocks =
            |i: &Interface| i.defines.iter().filter(|(ns, _, _)| *ns != Namespace::Claim).cloned().collect::<Vec<_>>();
        // Which of duplicated definitions counts as the first can change
        // with a move alone, and the rules read the first (a source's grade).
        let moved = self.moved_duplicates(&before, &after);
        if blocks(&before) != blocks(&after) || moved.iter().any(|(ns, _)| *ns != Namespace::Claim) {
            self.context = None;
        }
        if before != after {
            affected.extend(self.affected_by(&before, &after, &moved));
        }
        let mut out = self.diagnose(&affected.into_iter().collect::<Vec<_>>());
        if id.is_none()
            && self.published.remove(path).is_some_and(|old| !old.is_empty())
            && let Ok(uri) = Url::from_file_path(path)
        {
            out.push(Publish { uri, diagnostics: Vec::new(), version: None });
        }
        out
    }

    /// The other documents whose diagnostics may change when a document's
    /// interface goes from `before` to `after`, `moved` being its duplicated
    /// definitions that moved.
    fn affected_by(
        &self,
        before: &Interface,
        after: &Interface,
        moved: &BTreeSet<(Namespace, String)>,
    ) -> BTreeSet<DocId> {
        let ws = &self.workspace;
        let mut changed_defs: BTreeSet<(Namespace, &str)> =
            before.defines.symmetric_difference(&after.defines).map(|(ns, name, _)| (*ns, name.as_str())).collect();
        // A duplicated definition that moved counts as changed: the other
        // definitions' `duplicate-definition` names the first one's line,
        // and which one is first can change.
        changed_defs.extend(moved.iter().map(|(ns, name)| (*ns, name.as_str())));
        let changed_mentions: BTreeSet<&(Namespace, String)> =
            before.mentions.symmetric_difference(&after.mentions).collect();
        let mut affected = BTreeSet::new();
        // Mentions gained or lost: the definitions' `unused-definition`.
        for (ns, name) in changed_mentions {
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

    /// The ids defined more than once whose definitions in this document
    /// moved (or came or went) between `before` and `after`.
    fn moved_duplicates(&self, before: &Interface, after: &Interface) -> BTreeSet<(Namespace, String)> {
        before
            .sites
            .symmetric_difference(&after.sites)
            .filter(|(ns, name, _)| self.workspace.definition_count(*ns, name) > 1)
            .map(|(ns, name, _)| (*ns, name.clone()))
            .collect()
    }

    /// Recomputes the diagnostics of `docs`; returns those that changed.
    fn diagnose(&mut self, docs: &[DocId]) -> Vec<Publish> {
        let context = self.context.take().unwrap_or_else(|| RuleContext::new(&self.workspace));
        let checker = Checker::new(&self.workspace, &context);
        let mut out = Vec::new();
        for &id in docs {
            let document = self.workspace.document(id);
            let found = checker.check(id);
            for (ns, rule) in [
                (Namespace::Actor, Rule::UnknownActor),
                (Namespace::Source, Rule::UnknownSource),
                (Namespace::Claim, Rule::UnknownClaim),
            ] {
                if found.iter().any(|d| d.rule == rule) {
                    self.has_unknown[ns.index()].insert(id);
                } else {
                    self.has_unknown[ns.index()].remove(&id);
                }
            }
            let diagnostics: Vec<lsp::Diagnostic> = found.iter().map(|d| self.to_lsp(document, d)).collect();
            let unchanged =
                self.published.get(&document.path).map_or(diagnostics.is_empty(), |old| *old == diagnostics);
            if unchanged {
                continue;
            }
            let Ok(uri) = Url::from_file_path(&document.path) else { continue };
            let version = self.open.get(&document.path).map(|o| o.version);
            self.published.insert(document.path.clone(), diagnostics.clone());
            out.push(Publish { uri, diagnostics, version });
        }
        self.context = Some(context);
        out
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
                        uri: Url::from_file_path(&other.path).ok()?,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn change(line: u32, text: &str) -> lsp::TextDocumentContentChangeEvent {
        let at = lsp::Position { line, character: 0 };
        lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range { start: at, end: at }),
            range_length: None,
            text: text.into(),
        }
    }

    fn messages(batch: &[Publish], uri: &Url) -> Option<Vec<String>> {
        batch.iter().rev().find(|p| p.uri == *uri).map(|p| p.diagnostics.iter().map(|d| d.message.clone()).collect())
    }

    /// Fuzz finding (edits target): a definition that only moved kept its
    /// content fingerprint, so the duplicate in another file went on naming
    /// the old line of the first definition.
    #[test]
    fn moving_a_duplicated_definition_updates_the_duplicate_elsewhere() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (a, b) = (root.join("a.md"), root.join("b.md"));
        let mut state = State::new(Encoding::Utf16, vec![root.clone()]);
        state.index_all();
        state.open_document(a.clone(), 1, "{x | ^src}\n^src: A\n".into());
        let opened = state.open_document(b.clone(), 1, "^src: B\n".into());
        let b_uri = Url::from_file_path(&b).unwrap();
        let duplicate =
            |line| format!("source `^src` is already defined (a.md:{line}): rename or remove this definition");
        assert_eq!(messages(&opened, &b_uri), Some(vec![duplicate(2)]));
        let (moved, _) = state.change_document(&a, 2, vec![change(0, "\n\n")]);
        assert_eq!(messages(&moved, &b_uri), Some(vec![duplicate(4)]));
    }

    /// Same cause: two definitions of one source in one file swapped without
    /// any other change; the first one's grade is the one the rules use.
    #[test]
    fn reordering_duplicated_sources_changes_which_grade_counts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (a, b) = (root.join("a.md"), root.join("b.md"));
        let mut state = State::new(Encoding::Utf16, vec![root.clone()]);
        state.index_all();
        state.open_document(a.clone(), 1, "{x | ^src}\n".into());
        let weak = "^src: W\n  reliability: E5\n";
        let strong = "^src: S\n  reliability: A1\n";
        state.open_document(b.clone(), 1, format!("{strong}\n{weak}"));
        let a_uri = Url::from_file_path(&a).unwrap();
        let (swapped, _) = state.change_document(&b, 2, vec![change(0, &format!("{weak}\n"))]);
        // b.md now holds weak, strong, weak: the first is weak.
        let found = messages(&swapped, &a_uri).expect("a.md re-published");
        assert!(found.iter().any(|m| m.contains("graded weak")), "{found:?}");
    }
}
