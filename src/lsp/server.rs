//! The LSP handlers. Each one converts the request in, asks the core, and
//! converts the answer out; state changes happen before any `.await`, so
//! edits apply in the order the client sent them, and the diagnostics they
//! change are queued and sent in that same order.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use rayon::prelude::*;

use tower_lsp::jsonrpc::{Error, Id, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::state::{PathStat, Publish, State, path_of};
use super::{convert, direct};
use crate::analysis::{self, CompletionKind as CoreCompletionKind, SymbolKind as CoreSymbolKind};
use crate::config::CONFIG_FILE;
use crate::workspace::{DocId, Document, FileStamp, Keep, loader};

/// How long `initialized` waits for the client to create the progress
/// token before indexing without reporting progress.
const PROGRESS_CREATE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A handle on the server: clones share one state, so a request answered
/// outside tower-lsp (`super::direct`) sees exactly what the others see.
#[derive(Clone)]
pub struct Server(std::sync::Arc<Shared>);

impl std::ops::Deref for Server {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    client: Client,
    state: Mutex<Option<State>>,
    /// What the client said it supports, read at `initialize`.
    capabilities: Mutex<ClientCapabilities>,
    /// Becomes true once `initialized` has indexed the workspace; requests
    /// wait for it, so none is answered from a half-built index.
    indexed: tokio::sync::watch::Sender<bool>,
    /// Set when `initialized` arrives: only from then on is there an
    /// indexing to wait for.
    indexing: AtomicBool,
    /// Set when `initialize` has created the state.
    initialized: AtomicBool,
    /// Diagnostics to publish, queued under the state lock by the change
    /// that produced them and sent by one task, in that order: a handler
    /// awaiting its own sends could be overtaken by a later one, and the
    /// client would be left showing stale diagnostics.
    outbox: tokio::sync::mpsc::UnboundedSender<Vec<Publish>>,
}

impl Server {
    /// `frames` is the stream of frames to the client, beside tower-lsp's:
    /// diagnostics go there straight from their types (see `direct`).
    pub fn new(client: Client, frames: tokio::sync::mpsc::Sender<Vec<u8>>) -> Server {
        let (outbox, mut queue) = tokio::sync::mpsc::unbounded_channel::<Vec<Publish>>();
        tokio::spawn(async move {
            while let Some(batches) = queue.recv().await {
                for p in batches {
                    let params = PublishDiagnosticsParams::new(p.uri, p.diagnostics, p.version);
                    let frame = direct::notification("textDocument/publishDiagnostics", &params);
                    drop(params);
                    // A closed stream means the client is gone: nothing to tell.
                    if frames.send(frame).await.is_err() {
                        return;
                    }
                }
            }
        });
        Server(std::sync::Arc::new(Shared {
            client,
            outbox,
            state: Mutex::new(None),
            capabilities: Mutex::new(ClientCapabilities::default()),
            indexed: tokio::sync::watch::Sender::new(false),
            indexing: AtomicBool::new(false),
            initialized: AtomicBool::new(false),
        }))
    }

    /// Whether `initialize` has set the server up (requests before it are
    /// tower-lsp's to refuse). Lock-free: asked on the message loop.
    pub fn is_initialized(&self) -> bool {
        self.initialized.load(Ordering::SeqCst)
    }

    /// Waits until the workspace is indexed, if `initialized` has started
    /// indexing it (bounded all the same).
    ///
    /// Once indexed, it returns without yielding to the runtime: the request
    /// is then answered against the documents as they stood when it arrived,
    /// before any edit the client sent after it (a yield here let later
    /// `didChange`s overtake it). Before `initialized` nothing is indexed and
    /// nothing will be without it, so requests answer from what there is at
    /// once instead of each holding one of tower-lsp's four concurrent slots
    /// for a minute, which stalled every message behind them.
    async fn ready(&self) {
        if *self.indexed.borrow() || !self.indexing.load(Ordering::SeqCst) {
            return;
        }
        let mut indexed = self.indexed.subscribe();
        let _ = tokio::time::timeout(std::time::Duration::from_secs(60), indexed.wait_for(|done| *done)).await;
    }

    /// The state, even after a panic in another handler poisoned the lock:
    /// every change is applied whole or not at all, so it stays usable.
    fn lock(&self) -> MutexGuard<'_, Option<State>> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the state and the document at `uri`, turning a panic into
    /// an internal-error reply. An unknown document answers `None`.
    fn query<T>(&self, uri: &Url, f: impl FnOnce(&State, DocId, &Document) -> Option<T>) -> Result<Option<T>> {
        let guard = self.lock();
        let Some(state) = guard.as_ref() else { return Ok(None) };
        let Some(path) = path_of(uri) else { return Ok(None) };
        let Some(id) = state.workspace.doc_id(&path) else { return Ok(None) };
        catch_unwind(AssertUnwindSafe(|| f(state, id, state.workspace.document(id)))).map_err(|_| {
            let mut error = Error::internal_error();
            error.message = "internal error while answering this request; the server keeps running".into();
            error
        })
    }

    /// Applies a change to the state, catching a panic so the server lives
    /// on, and queues the diagnostics it changed for publishing.
    fn change(&self, f: impl FnOnce(&mut State) -> Vec<Publish>) {
        let mut guard = self.lock();
        let Some(state) = guard.as_mut() else { return };
        let batches = catch_unwind(AssertUnwindSafe(|| f(state))).unwrap_or_default();
        if !batches.is_empty() {
            let _ = self.outbox.send(batches);
        }
    }
}

impl Server {
    /// `textDocument/references`, straight to its frame: a main actor has
    /// ten thousand locations, each with its URI, so each is converted as
    /// it is serialized rather than all of them first.
    pub async fn references_frame(&self, id: Id, params: ReferenceParams) -> Vec<u8> {
        self.ready().await;
        let p = params.text_document_position;
        let include = params.context.include_declaration;
        let framed = self.query(&p.text_document.uri, |state, doc, document| {
            let offset = offset_of(state, document, p.position)?;
            let found = analysis::references(&state.workspace, doc, offset, include);
            Some(direct::frame(id.clone(), Ok(Locations { state, found })))
        });
        match framed {
            Ok(Some(frame)) => frame,
            Ok(None) => direct::frame(id, Ok(None::<()>)),
            Err(error) => direct::frame(id, Err::<(), _>(error)),
        }
    }
}

/// Core locations that serialize as LSP `Location`s, converted one by one.
struct Locations<'s> {
    state: &'s State,
    found: Vec<analysis::Location>,
}

impl serde::Serialize for Locations<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        for found in &self.found {
            if let Some(location) = location(self.state, *found) {
                seq.serialize_element(&location)?;
            }
        }
        seq.end()
    }
}

fn offset_of(state: &State, document: &Document, position: Position) -> Option<usize> {
    convert::offset(document, position, state.encoding)
}

fn location(state: &State, loc: analysis::Location) -> Option<Location> {
    let document = state.workspace.get(loc.doc)?;
    Some(Location { uri: state.uri_of(&document.path)?, range: convert::range(document, loc.range, state.encoding) })
}

fn symbol_kind(kind: CoreSymbolKind) -> SymbolKind {
    match kind {
        CoreSymbolKind::Heading => SymbolKind::NAMESPACE,
        CoreSymbolKind::Actor => SymbolKind::CLASS,
        CoreSymbolKind::Source => SymbolKind::FILE,
        CoreSymbolKind::Claim => SymbolKind::STRING,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be filled in.
fn document_symbol(state: &State, document: &Document, symbol: analysis::Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: convert::range(document, symbol.range, state.encoding),
        selection_range: convert::range(document, symbol.selection, state.encoding),
        children: Some(symbol.children.into_iter().map(|c| document_symbol(state, document, c)).collect()),
    }
}

/// Why a rename at `offset` must not go ahead because it would leave the
/// workspace: the server never proposes edits to a file outside the
/// workspace folders (see `State::in_workspace`), so it refuses a rename
/// started from such a file, or of an id defined in one, rather than do
/// half of it.
fn outside_refusal(state: &State, id: DocId, offset: usize) -> Option<String> {
    let document = state.workspace.document(id);
    if !state.in_workspace(&document.path) {
        return Some(format!(
            "{} is outside the workspace folders (or links to a file outside them): Dossier renames only in notes inside them",
            document.path.display()
        ));
    }
    let target = analysis::id_at(document, offset)?;
    let outside = analysis::definition(&state.workspace, id, offset)
        .into_iter()
        .filter_map(|l| state.workspace.get(l.doc))
        .find(|d| !state.in_workspace(&d.path))?;
    Some(format!(
        "`{}{}` is defined in {}, outside the workspace folders (or a link to a file outside them): Dossier does not edit files there",
        target.namespace.sigil(),
        target.name,
        outside.path.display()
    ))
}

/// The rename's edit, and the paths of the notes it edits that are not open.
/// Notes outside the workspace folders are left out.
fn rename_edit(
    state: &State,
    id: DocId,
    offset: usize,
    new_name: &str,
) -> std::result::Result<(WorkspaceEdit, Vec<PathStat>), String> {
    let edits = analysis::rename(&state.workspace, id, offset, new_name)?;
    if let Some(refusal) = outside_refusal(state, id, offset) {
        return Err(refusal);
    }
    let new_name = new_name.trim_start_matches(['@', '^', '#']).to_string();
    // Each note's `stat`, URI and edits on every core (a rename can touch
    // thousands of notes); then the boundary decides, in order. The `stat`
    // also serves the check that the file still holds the text these edits
    // were computed on.
    let prepared: Vec<_> = edits
        .into_par_iter()
        .filter_map(|(doc, ranges)| {
            let target = state.workspace.get(doc)?;
            let meta = std::fs::symlink_metadata(&target.path).ok();
            let link = meta.as_ref().map(|meta| meta.file_type().is_symlink());
            // A link's own size and time are not its file's.
            let stamp = meta.as_ref().filter(|_| link == Some(false)).and_then(FileStamp::current);
            let uri = state.uri_of(&target.path)?;
            let edits = ranges
                .into_iter()
                .map(|r| {
                    OneOf::Left(TextEdit {
                        range: convert::range(target, r, state.encoding),
                        new_text: new_name.clone(),
                    })
                })
                .collect();
            Some((target, link, stamp, uri, edits))
        })
        .collect();
    let mut closed = Vec::new();
    let mut boundary = state.boundary();
    let changes = prepared
        .into_iter()
        .filter_map(|(target, link, stamp, uri, edits)| {
            if !boundary.check(&target.path, link) {
                return None;
            }
            let version = state.open.get(&target.path).map(|o| o.version);
            if version.is_none() {
                closed.push((target.path.clone(), stamp));
            }
            Some(TextDocumentEdit { text_document: OptionalVersionedTextDocumentIdentifier { uri, version }, edits })
        })
        .collect();
    Ok((WorkspaceEdit { document_changes: Some(DocumentChanges::Edits(changes)), ..Default::default() }, closed))
}

/// The same edit as plain `changes` by URI, for a client that does not
/// support `documentChanges` (and so cannot be told document versions).
fn unversioned(edit: WorkspaceEdit) -> WorkspaceEdit {
    let Some(DocumentChanges::Edits(documents)) = edit.document_changes else { return edit };
    let changes = documents
        .into_iter()
        .map(|d| {
            let edits = d
                .edits
                .into_iter()
                .map(|e| match e {
                    OneOf::Left(edit) => edit,
                    OneOf::Right(annotated) => annotated.text_edit,
                })
                .collect();
            (d.text_document.uri, edits)
        })
        .collect();
    WorkspaceEdit { changes: Some(changes), ..Default::default() }
}

#[tower_lsp::async_trait]
impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding =
            convert::negotiate(params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
        let mut folders: Vec<PathBuf> =
            params.workspace_folders.iter().flatten().filter_map(|f| f.uri.to_file_path().ok()).collect();
        #[allow(deprecated)] // older clients send only `rootUri`.
        if folders.is_empty() {
            folders.extend(params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()));
        }
        // The workspace root is the nearest folder upward holding dossier.toml.
        if let Some(first) = folders.first_mut()
            && let Some(root) = loader::find_config_root(first)
        {
            *first = root;
        }
        *self.capabilities.lock().unwrap_or_else(|p| p.into_inner()) = params.capabilities;
        *self.lock() = Some(State::new(encoding, folders));
        self.initialized.store(true, Ordering::SeqCst);
        Ok(InitializeResult {
            server_info: Some(ServerInfo { name: "dossier".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..Default::default()
                })),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(["@", "^", "#", ":"].map(String::from).to_vec()),
                    ..Default::default()
                }),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                ..Default::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.indexing.store(true, Ordering::SeqCst);
        let caps = self.capabilities.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let progress = caps.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false);
        let token = NumberOrString::String("dossier-index".into());
        // The progress token must exist before it is used; a client that
        // never answers the request must not hold the indexing back.
        let create = self
            .client
            .send_request::<request::WorkDoneProgressCreate>(WorkDoneProgressCreateParams { token: token.clone() });
        let reported = progress && matches!(tokio::time::timeout(PROGRESS_CREATE_TIMEOUT, create).await, Ok(Ok(())));
        if reported {
            self.client
                .send_notification::<notification::Progress>(ProgressParams {
                    token: token.clone(),
                    value: ProgressParamsValue::WorkDone(WorkDoneProgress::Begin(WorkDoneProgressBegin {
                        title: "Indexing notes".into(),
                        ..Default::default()
                    })),
                })
                .await;
        }
        // Its diagnostics are queued at once: edits handled while this
        // handler waits (on the client's answers below) queue newer lists,
        // which these must not overwrite.
        self.change(State::index_all);
        let count = self.lock().as_ref().map_or(0, |s| s.workspace.len());
        self.indexed.send_replace(true);
        if reported {
            self.client
                .send_notification::<notification::Progress>(ProgressParams {
                    token,
                    value: ProgressParamsValue::WorkDone(WorkDoneProgress::End(WorkDoneProgressEnd {
                        message: Some(format!("{count} notes indexed")),
                    })),
                })
                .await;
        }
        let dynamic = caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if dynamic {
            let watchers = ["**/*.md", "**/dossier.toml"]
                .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None })
                .to_vec();
            let registration = Registration {
                id: "dossier-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
            };
            let _ = self.client.register_capability(vec![registration]).await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let Some(path) = path_of(&doc.uri) else { return };
        self.change(|state| state.open_document(doc.uri, path, doc.version, doc.text));
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else { return };
        let mut rejected = 0;
        self.change(|state| {
            let (batches, ignored) = state.change_document(&path, params.text_document.version, params.content_changes);
            rejected = ignored;
            batches
        });
        if rejected > 0 {
            self.client
                .log_message(MessageType::WARNING, format!("dossier: ignored {rejected} edit(s) outside the document"))
                .await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let Some(path) = path_of(&params.text_document.uri) else { return };
        self.change(|state| state.close_document(&path));
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.change(|state| {
            if params
                .changes
                .iter()
                .any(|c| path_of(&c.uri).is_some_and(|p| p.file_name().is_some_and(|n| n == CONFIG_FILE)))
            {
                return state.index_all();
            }
            let mut out = Vec::new();
            for change in params.changes {
                let Some(path) = path_of(&change.uri) else { continue };
                if state.open.contains_key(&path) {
                    continue; // the editor's text shadows the disk
                }
                let document = (change.typ != FileChangeType::DELETED && state.includes(&path))
                    .then(|| loader::read_if_present(path.clone(), Keep::EVERYTHING))
                    .flatten();
                if document.is_some() || state.workspace.doc_id(&path).is_some() {
                    out.extend(state.update(&path, document));
                }
            }
            out
        });
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.ready().await;
        let p = params.text_document_position_params;
        self.query(&p.text_document.uri, |state, id, document| {
            let offset = offset_of(state, document, p.position)?;
            let hover = analysis::hover(&state.workspace, id, offset)?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: hover.markdown }),
                range: Some(convert::range(document, hover.range, state.encoding)),
            })
        })
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        self.ready().await;
        let p = params.text_document_position_params;
        self.query(&p.text_document.uri, |state, id, document| {
            let offset = offset_of(state, document, p.position)?;
            let locations: Vec<Location> = analysis::definition(&state.workspace, id, offset)
                .into_iter()
                .filter_map(|l| location(state, l))
                .collect();
            (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
        })
    }

    // `textDocument/references` is answered by `Server::references_frame`
    // (see `direct`); tower-lsp only refuses it before `initialize`, after
    // `shutdown` or with malformed params.

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        self.ready().await;
        let p = params.text_document_position_params;
        self.query(&p.text_document.uri, |state, id, document| {
            let offset = offset_of(state, document, p.position)?;
            let highlights = analysis::highlights(&state.workspace, id, offset)
                .into_iter()
                .map(|(range, is_definition)| DocumentHighlight {
                    range: convert::range(document, range, state.encoding),
                    kind: Some(if is_definition { DocumentHighlightKind::WRITE } else { DocumentHighlightKind::READ }),
                })
                .collect();
            Some(highlights)
        })
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        self.ready().await;
        let answer = self.query(&params.text_document.uri, |state, id, document| {
            let offset = offset_of(state, document, params.position)?;
            Some(
                analysis::prepare_rename(&state.workspace, id, offset)
                    .and_then(|range| outside_refusal(state, id, offset).map_or(Ok(range), Err))
                    .map(|range| PrepareRenameResponse::Range(convert::range(document, range, state.encoding))),
            )
        })?;
        answer.transpose().map_err(Error::invalid_params)
    }

    /// Renames the id at the cursor in every note of the workspace. Notes the
    /// client has not opened are edited from disk, so they are first checked
    /// against the disk: a note changed there without a watcher event (a
    /// client without file watching, a `git checkout` the watcher has not
    /// reported yet) is re-read, and the edits computed again on its text.
    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.ready().await;
        let p = params.text_document_position;
        for _ in 0..3 {
            let answer = self.query(&p.text_document.uri, |state, id, document| {
                let offset = offset_of(state, document, p.position)?;
                Some(rename_edit(state, id, offset, &params.new_name))
            })?;
            let Some((edit, closed)) = answer.transpose().map_err(Error::invalid_params)? else { return Ok(None) };
            let mut stale = false;
            self.change(|state| {
                let (batches, changed) = state.refresh_from_disk(&closed);
                stale = changed;
                batches
            });
            if !stale {
                let versioned = self
                    .capabilities
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .workspace
                    .as_ref()
                    .and_then(|w| w.workspace_edit.as_ref())
                    .and_then(|e| e.document_changes)
                    .unwrap_or(false);
                return Ok(Some(if versioned { edit } else { unversioned(edit) }));
            }
        }
        Err(Error::invalid_params("the notes to rename keep changing on disk: try again once they are saved"))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.ready().await;
        let p = params.text_document_position;
        self.query(&p.text_document.uri, |state, _, document| {
            let offset = offset_of(state, document, p.position)?;
            let items = analysis::complete(&state.workspace, document, offset)
                .into_iter()
                .map(|c| CompletionItem {
                    label: c.label,
                    kind: Some(match c.kind {
                        CoreCompletionKind::Actor => CompletionItemKind::CLASS,
                        CoreCompletionKind::Source => CompletionItemKind::FILE,
                        CoreCompletionKind::Claim => CompletionItemKind::REFERENCE,
                        CoreCompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
                        CoreCompletionKind::Keyword => CompletionItemKind::KEYWORD,
                    }),
                    detail: Some(c.detail),
                    documentation: c
                        .documentation
                        .map(|value| Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range: convert::range(document, c.replace, state.encoding),
                        new_text: c.insert,
                    })),
                    ..Default::default()
                })
                .collect();
            Some(CompletionResponse::Array(items))
        })
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        self.ready().await;
        self.query(&params.text_document.uri, |state, _, document| {
            let symbols =
                analysis::document_symbols(document).into_iter().map(|s| document_symbol(state, document, s)).collect();
            Some(DocumentSymbolResponse::Nested(symbols))
        })
    }

    #[allow(deprecated)] // `SymbolInformation::deprecated` must still be filled in.
    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<Vec<SymbolInformation>>> {
        self.ready().await;
        let guard = self.lock();
        let Some(state) = guard.as_ref() else { return Ok(None) };
        let symbols = catch_unwind(AssertUnwindSafe(|| analysis::workspace_symbols(&state.workspace, &params.query)))
            .map_err(|_| Error::internal_error())?;
        Ok(Some(
            symbols
                .into_iter()
                .filter_map(|s| {
                    Some(SymbolInformation {
                        name: s.name,
                        kind: symbol_kind(s.kind),
                        tags: None,
                        deprecated: None,
                        location: location(state, analysis::Location { doc: s.doc, range: s.range })?,
                        container_name: s.container,
                    })
                })
                .collect(),
        ))
    }
}
