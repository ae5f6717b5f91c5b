//! The server's state: the core's engine ([`Host`]), the editor's open
//! documents as ropes with their versions and URIs, and a fingerprint of
//! what was last published for each file. Every change goes through here,
//! synchronously, under one lock.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use ropey::Rope;
use tower_lsp::lsp_types::{self as lsp, Url};

use super::from_lsp;
use super::to_lsp::{Out, Uris};
use crate::analysis::{Changes, FileEvent, Host, Shown};
use crate::text::Encoding;

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
    /// Part of a whole workspace's (re)indexing, which can wait behind what
    /// the analyst's own edits change (see `outbox`).
    pub bulk: bool,
}

pub struct State {
    pub host: Host,
    pub encoding: Encoding,
    pub open: HashMap<PathBuf, OpenDocument>,
    /// The open documents the client names by another path than the one
    /// the core knows them by (a symbolic link): client's path → core's.
    aliases: HashMap<PathBuf, PathBuf>,
    /// The files whose last published diagnostics were not empty, with a
    /// fingerprint of them (see [`fingerprint`]).
    published: HashMap<PathBuf, u64>,
    /// What the changes published since it was last taken may have changed
    /// in what notes show beside diagnostics (the server asks the client to
    /// refresh it).
    pub shown: Shown,
}

/// The open documents name themselves by the client's URIs.
struct OpenUris<'s>(&'s HashMap<PathBuf, OpenDocument>);

impl Uris for OpenUris<'_> {
    fn uri_of(&self, path: &Path) -> Option<Url> {
        match self.0.get(path) {
            Some(open) => Some(open.uri.clone()),
            None => Url::from_file_path(path).ok(),
        }
    }
}

impl State {
    pub fn new(encoding: Encoding, folders: Vec<PathBuf>) -> State {
        State {
            host: Host::new(folders),
            encoding,
            open: HashMap::new(),
            aliases: HashMap::new(),
            published: HashMap::new(),
            shown: Shown::default(),
        }
    }

    /// The path the core knows the client's `path` by (see [`Host::key`]).
    pub fn key(&self, path: &Path) -> PathBuf {
        match self.aliases.get(path) {
            Some(key) => key.clone(),
            None => self.host.key(path),
        }
    }

    /// Runs `f` with what converting out needs.
    pub fn out<T>(&self, f: impl FnOnce(Out<'_>) -> T) -> T {
        let uris = OpenUris(&self.open);
        f(Out { workspace: self.host.workspace(), encoding: self.encoding, uris: &uris })
    }

    /// The URI to name `path` by: the client's own for an open document.
    pub fn uri_of(&self, path: &Path) -> Option<Url> {
        OpenUris(&self.open).uri_of(path)
    }

    /// Reads `dossier.toml` and every note again; returns everything to publish.
    pub fn index_all(&mut self) -> Vec<Publish> {
        let changes = self.host.index();
        self.publish(changes)
    }

    /// `didOpen`: the editor's text shadows the disk from now on.
    pub fn open_document(&mut self, uri: Url, path: PathBuf, version: i32, text: String) -> Vec<Publish> {
        let key = self.key(&path);
        if key != path {
            self.aliases.insert(path, key.clone());
        }
        let path = key;
        let mut out = Vec::new();
        if let Some(known) = self.uri_of(&path).filter(|known| *known != uri) {
            // The client spells this file differently from how it was last
            // published: clear that name and publish afresh under the client's.
            if self.published.remove(&path).is_some() {
                out.push(Publish { uri: known, diagnostics: Vec::new(), version: None, bulk: false });
            }
        }
        self.open.insert(path.clone(), OpenDocument { rope: Rope::from_str(&text), version, uri });
        let changes = self.host.open(&path, text);
        out.extend(self.publish(changes));
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
        let path = &self.key(path);
        let Some(open) = self.open.get_mut(path) else { return (Vec::new(), 0) };
        let mut rejected = 0;
        for change in changes {
            match change.range {
                Some(range) => {
                    if !from_lsp::apply_change(&mut open.rope, range, &change.text, encoding) {
                        rejected += 1;
                    }
                }
                None => open.rope = Rope::from_str(&change.text),
            }
        }
        open.version = version;
        let text = open.rope.to_string();
        let changes = self.host.edit(path, text);
        (self.publish(changes), rejected)
    }

    /// `didClose`: the disk version returns, if the file belongs to the workspace.
    pub fn close_document(&mut self, path: &Path) -> Vec<Publish> {
        let path = &match self.aliases.remove(path) {
            Some(key) => key,
            None => self.host.key(path),
        };
        let mut out = Vec::new();
        if let Some(closed) = self.open.remove(path)
            && Url::from_file_path(path).ok().as_ref() != Some(&closed.uri)
        {
            // From now on the file is named by its own URI: clear what was
            // shown under the client's spelling and publish afresh.
            if self.published.remove(path).is_some() {
                out.push(Publish { uri: closed.uri, diagnostics: Vec::new(), version: None, bulk: false });
            }
        }
        let changes = self.host.close(path);
        out.extend(self.publish(changes));
        out
    }

    /// `workspace/didChangeWatchedFiles`.
    pub fn files_changed(&mut self, events: &[(PathBuf, FileEvent)]) -> Vec<Publish> {
        let changes = self.host.files_changed(events);
        self.publish(changes)
    }

    /// The diagnostics among `changes` that differ from what the client
    /// shows, converted, and recorded as shown.
    pub fn publish(&mut self, changes: Changes) -> Vec<Publish> {
        self.shown.extend(changes.shown);
        let converted: Vec<(PathBuf, Vec<lsp::Diagnostic>)> = self.out(|out| {
            let convert = |(doc, found)| {
                let document = out.workspace.document(doc);
                (document.path.clone(), out.published(document, found))
            };
            // Many documents at once (the first index, an actor's definition
            // edited) are converted on every core.
            if changes.checked.len() >= 64 {
                use rayon::prelude::*;
                changes.checked.into_par_iter().map(convert).collect()
            } else {
                changes.checked.into_iter().map(convert).collect()
            }
        });
        let mut out = Vec::new();
        let mut live: HashSet<PathBuf> = HashSet::new();
        for (path, diagnostics) in converted {
            if changes.reindexed {
                live.insert(path.clone());
            }
            self.send(path, diagnostics, changes.reindexed, &mut out);
        }
        for path in changes.removed {
            if self.published.remove(&path).is_some()
                && let Some(uri) = self.uri_of(&path)
            {
                out.push(Publish { uri, diagnostics: Vec::new(), version: None, bulk: false });
            }
        }
        if changes.reindexed {
            // Files that had diagnostics and left the workspace are cleared
            // (`dossier.toml` has its own, below).
            let config = self.host.workspace().root.join(crate::config::CONFIG_FILE);
            let gone: Vec<PathBuf> =
                self.published.keys().filter(|p| !live.contains(*p) && **p != config).cloned().collect();
            for path in gone {
                self.published.remove(&path);
                if let Some(uri) = self.uri_of(&path) {
                    out.push(Publish { uri, diagnostics: Vec::new(), version: None, bulk: false });
                }
            }
        }
        if let Some((document, found)) = changes.config {
            let diagnostics = self.out(|out| found.iter().map(|d| out.diagnostic(&document, d)).collect());
            self.send(document.path.clone(), diagnostics, false, &mut out);
        }
        out
    }

    /// Queues `diagnostics` for `path` unless the client shows them already.
    fn send(&mut self, path: PathBuf, diagnostics: Vec<lsp::Diagnostic>, bulk: bool, out: &mut Vec<Publish>) {
        let print = fingerprint(&diagnostics);
        if self.published.get(&path).copied() == print {
            return;
        }
        let Some(uri) = self.uri_of(&path) else { return };
        let version = self.open.get(&path).map(|o| o.version);
        match print {
            Some(print) => self.published.insert(path, print),
            None => self.published.remove(&path),
        };
        out.push(Publish { uri, diagnostics, version, bulk });
    }
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
