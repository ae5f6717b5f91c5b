//! The LSP handlers. Each one converts the request in, asks the core, and
//! converts the answer out; state changes happen before any `.await`, so
//! edits apply in the order the client sent them, and the diagnostics they
//! change are queued and sent in that same order.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp::jsonrpc::{Error, Id, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use super::from_lsp::{self, path as path_of};
use super::state::{Publish, State};
use super::to_lsp::{self, Locations};
use super::token_results::{TokenResults, TokensAnswer};
use super::{frame, outbox};
use crate::analysis::{self, Shown};
use crate::workspace::{DocId, Document};

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
    /// The semantic tokens last sent per document, for `full/delta`.
    token_results: TokenResults,
}

impl Server {
    /// `frames` is where published diagnostics go, serialized straight from
    /// their types (see `frame`), to be written after any waiting answer.
    pub fn new(client: Client, frames: tokio::sync::mpsc::Sender<Vec<u8>>) -> Server {
        let (outbox, queue) = tokio::sync::mpsc::unbounded_channel::<Vec<Publish>>();
        tokio::spawn(outbox::send(queue, frames));
        Server(std::sync::Arc::new(Shared {
            client,
            outbox,
            state: Mutex::new(None),
            capabilities: Mutex::new(ClientCapabilities::default()),
            indexed: tokio::sync::watch::Sender::new(false),
            indexing: AtomicBool::new(false),
            initialized: AtomicBool::new(false),
            token_results: TokenResults::default(),
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
        let Some(id) = state.host.workspace().doc_id(&state.key(&path)) else { return Ok(None) };
        catch_unwind(AssertUnwindSafe(|| f(state, id, state.host.workspace().document(id)))).map_err(|_| {
            let mut error = Error::internal_error();
            error.message = "internal error while answering this request; the server keeps running".into();
            error
        })
    }

    /// Applies a change to the state, catching a panic so the server lives
    /// on, and queues the diagnostics it changed for publishing. `false`
    /// when it panicked (a request then answers an internal error).
    fn change(&self, f: impl FnOnce(&mut State) -> Vec<Publish>) -> bool {
        let mut guard = self.lock();
        let Some(state) = guard.as_mut() else { return true };
        let Ok(batches) = catch_unwind(AssertUnwindSafe(|| f(state))) else { return false };
        if !batches.is_empty() {
            let _ = self.outbox.send(batches);
        }
        let shown = std::mem::take(&mut state.shown);
        drop(guard);
        self.refresh(shown);
        true
    }

    /// Asks the client to fetch again what a change may have altered in
    /// the notes it shows, where it supports being asked: code lens counts,
    /// grades (inlay hints), tokens that depend on other notes (`unknown`,
    /// `weak`). Sent from a task of its own: the change is applied already,
    /// and no handler waits for the client's answer.
    fn refresh(&self, shown: Shown) {
        if shown == Shown::default() {
            return;
        }
        let (tokens, hints, lenses) = {
            let caps = self.capabilities.lock().unwrap_or_else(|p| p.into_inner());
            let workspace = caps.workspace.as_ref();
            let tokens = workspace.and_then(|w| w.semantic_tokens.as_ref()).and_then(|c| c.refresh_support);
            let hints = workspace.and_then(|w| w.inlay_hint.as_ref()).and_then(|c| c.refresh_support);
            let lenses = workspace.and_then(|w| w.code_lens.as_ref()).and_then(|c| c.refresh_support);
            (
                tokens == Some(true) && (shown.definitions || shown.grades),
                hints == Some(true) && shown.grades,
                lenses == Some(true) && (shown.counts || shown.definitions),
            )
        };
        if !(tokens || hints || lenses) {
            return;
        }
        let client = self.client.clone();
        tokio::spawn(async move {
            let tokens = async {
                if tokens {
                    let _ = client.semantic_tokens_refresh().await;
                }
            };
            let hints = async {
                if hints {
                    let _ = client.inlay_hint_refresh().await;
                }
            };
            let lenses = async {
                if lenses {
                    let _ = client.code_lens_refresh().await;
                }
            };
            tokio::join!(tokens, hints, lenses);
        });
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
            let found = analysis::references(state.host.workspace(), doc, offset, include);
            Some(state.out(|out| frame::frame(id.clone(), Ok(Locations { out, found }))))
        });
        match framed {
            Ok(Some(bytes)) => bytes,
            Ok(None) => frame::frame(id, Ok(None::<()>)),
            Err(error) => frame::frame(id, Err::<(), _>(error)),
        }
    }
}

/// Which semantic tokens a request asks for.
pub enum TokensWanted<'p> {
    Full,
    /// The edit from the tokens sent under this result id, or all of them
    /// when that result is no longer kept.
    Delta {
        previous: &'p str,
    },
    Range(Range),
}

impl Server {
    /// The semantic tokens `wanted` of `uri`; `full` and `full/delta` keep
    /// what they answer for the next delta, and compute only the edited
    /// paragraphs' tokens when what was kept allows
    /// ([`analysis::semantic_tokens_reusing`]).
    fn tokens(&self, uri: &Url, wanted: TokensWanted<'_>) -> Result<Option<TokensAnswer>> {
        self.query(uri, |state, _, document| {
            let (workspace, context) = (state.host.workspace(), state.host.rule_context());
            if let TokensWanted::Range(range) = wanted {
                let within = from_lsp::shown_range(document, range, state.encoding)?;
                let tokens = analysis::semantic_tokens(workspace, context, document, Some(within));
                let data = Arc::new(state.out(|out| out.semantic_tokens(document, &tokens)));
                return Some(TokensAnswer::Tokens { result_id: None, data });
            }
            let kept = self.token_results.latest(uri);
            let facts = state.host.facts();
            let (core, reused) =
                analysis::semantic_tokens_reusing(workspace, context, document, facts, kept.as_ref().map(|k| &*k.core));
            let data = Arc::new(state.out(|out| match (reused, &kept) {
                (Some(reused), Some(kept)) => out.semantic_tokens_reused(document, &core.tokens, &kept.data, reused),
                _ => out.semantic_tokens(document, &core.tokens),
            }));
            let core = Arc::new(core);
            Some(match wanted {
                TokensWanted::Delta { previous } => {
                    let old = self.token_results.previous(uri, previous);
                    let result_id = self.token_results.keep(uri, data.clone(), core);
                    TokensAnswer::delta(result_id, old.as_deref().map(Vec::as_slice), data)
                }
                _ => {
                    let result_id = self.token_results.keep(uri, data.clone(), core);
                    TokensAnswer::Tokens { result_id: Some(result_id), data }
                }
            })
        })
    }

    /// The frame answering a semantic tokens request, its JSON written
    /// straight from the tokens (see [`TokensAnswer::write_json`]).
    pub async fn tokens_frame(&self, id: Id, uri: Url, wanted: TokensWanted<'_>) -> Vec<u8> {
        self.ready().await;
        match self.tokens(&uri, wanted) {
            Ok(Some(answer)) => frame::frame_json(&id, answer.json_len_hint(), |out| answer.write_json(out)),
            Ok(None) => frame::frame(id, Ok(None::<()>)),
            Err(error) => frame::frame(id, Err::<(), _>(error)),
        }
    }
}

fn offset_of(state: &State, document: &Document, position: Position) -> Option<usize> {
    from_lsp::offset(document, position, state.encoding)
}

#[tower_lsp::async_trait]
impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding =
            from_lsp::negotiate(params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
        let mut folders: Vec<PathBuf> =
            params.workspace_folders.iter().flatten().filter_map(|f| path_of(&f.uri)).collect();
        #[allow(deprecated)] // older clients send only `rootUri`.
        if folders.is_empty() {
            folders.extend(params.root_uri.as_ref().and_then(path_of));
        }
        *self.capabilities.lock().unwrap_or_else(|p| p.into_inner()) = params.capabilities;
        *self.lock() = Some(State::new(encoding, folders));
        self.initialized.store(true, Ordering::SeqCst);
        Ok(to_lsp::initialize_result(encoding))
    }

    async fn initialized(&self, _: InitializedParams) {
        // A bad DOSSIER_TODAY is said once; the local date applies instead.
        if let Err(why) = crate::today::from_env() {
            self.client.show_message(MessageType::ERROR, format!("dossier: {why}; using the local date")).await;
        }
        self.indexing.store(true, Ordering::SeqCst);
        let caps = self.capabilities.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let progress = caps.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false);
        let token = to_lsp::indexing_token();
        // The progress token must exist before it is used; a client that
        // never answers the request must not hold the indexing back.
        let create = self
            .client
            .send_request::<request::WorkDoneProgressCreate>(WorkDoneProgressCreateParams { token: token.clone() });
        let reported = progress && matches!(tokio::time::timeout(PROGRESS_CREATE_TIMEOUT, create).await, Ok(Ok(())));
        if reported {
            self.client.send_notification::<notification::Progress>(to_lsp::indexing_begins(token.clone())).await;
        }
        // Its diagnostics are queued at once: edits handled while this
        // handler waits (on the client's answers below) queue newer lists,
        // which these must not overwrite.
        self.change(State::index_all);
        let count = self.lock().as_ref().map_or(0, |s| s.host.workspace().len());
        self.indexed.send_replace(true);
        if reported {
            self.client.send_notification::<notification::Progress>(to_lsp::indexing_ends(token, count)).await;
        }
        let dynamic = caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if dynamic {
            let _ = self.client.register_capability(vec![to_lsp::watched_files_registration()]).await;
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
        self.token_results.forget(&params.text_document.uri);
        let Some(path) = path_of(&params.text_document.uri) else { return };
        self.change(|state| state.close_document(&path));
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let events: Vec<_> =
            params.changes.iter().filter_map(|c| Some((path_of(&c.uri)?, from_lsp::file_event(c.typ)))).collect();
        self.change(|state| state.files_changed(&events));
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.ready().await;
        let p = params.text_document_position_params;
        self.query(&p.text_document.uri, |state, id, document| {
            let offset = offset_of(state, document, p.position)?;
            let hover = analysis::hover(state.host.workspace(), id, offset)?;
            Some(state.out(|out| out.hover(document, hover)))
        })
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        self.ready().await;
        let p = params.text_document_position_params;
        self.query(&p.text_document.uri, |state, id, document| {
            let offset = offset_of(state, document, p.position)?;
            let found = analysis::definition(state.host.workspace(), id, offset);
            let locations: Vec<Location> =
                state.out(|out| found.into_iter().filter_map(|l| out.location(l.doc, l.range)).collect());
            (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
        })
    }

    // `textDocument/references` is answered by `Server::references_frame`
    // (see `stdio`); tower-lsp only refuses it before `initialize`, after
    // `shutdown` or with malformed params.

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        self.ready().await;
        let p = params.text_document_position_params;
        self.query(&p.text_document.uri, |state, id, document| {
            let offset = offset_of(state, document, p.position)?;
            let found = analysis::highlights(state.host.workspace(), id, offset);
            Some(state.out(|out| found.into_iter().map(|(range, def)| out.highlight(document, range, def)).collect()))
        })
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        self.ready().await;
        let answer = self.query(&params.text_document.uri, |state, id, document| {
            let offset = offset_of(state, document, params.position)?;
            let range = state.host.prepare_rename(id, offset);
            Some(range.map(|range| PrepareRenameResponse::Range(state.out(|out| out.range(document, range)))))
        })?;
        answer.transpose().map_err(Error::invalid_params)
    }

    /// Renames the id at the cursor in every note of the workspace (the
    /// core checks the notes the client has not opened against the disk
    /// first, and publishes what re-reading them changed).
    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.ready().await;
        let p = params.text_document_position;
        let versioned = self
            .capabilities
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false);
        let mut answer = Ok(None);
        let handled = self.change(|state| {
            let Some(path) = path_of(&p.text_document.uri).map(|path| state.key(&path)) else { return Vec::new() };
            let Some(document) = state.host.workspace().doc_id(&path).map(|id| state.host.workspace().document(id))
            else {
                return Vec::new();
            };
            let Some(offset) = offset_of(state, document, p.position) else { return Vec::new() };
            let (edits, changes) = state.host.rename(&path, offset, &params.new_name);
            answer = edits.map(|edits| {
                edits.map(|edits| {
                    let version_of = |path: &std::path::Path| state.open.get(path).map(|o| o.version);
                    state.out(|out| out.rename(edits, version_of, versioned))
                })
            });
            state.publish(changes)
        });
        if !handled {
            return Err(Error::internal_error());
        }
        answer.map_err(Error::invalid_params)
    }

    /// The quick fixes of the findings at the range, the refactors of a
    /// selection, and the fix-all action, as `context.only` asks. Notes
    /// the actions edit that are not open are checked against the disk
    /// first (as for a rename), and what re-reading them changed is published.
    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.ready().await;
        let capabilities = self.capabilities.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let (versioned, options) = from_lsp::edit_support(&capabilities);
        let (wanted, fix_all) = from_lsp::wanted_actions(params.context.only.as_deref(), to_lsp::FIX_ALL_KIND);
        // Asked for by kind (fix on save), the fix-all comes whole; in a
        // cursor's menu, its edit waits for the client's resolve if it can.
        let lazy_fix_all = params.context.only.is_none() && from_lsp::resolves_action_edits(&capabilities);
        let mut answer = None;
        let handled = self.change(|state| {
            let Some(path) = path_of(&params.text_document.uri).map(|path| state.key(&path)) else { return Vec::new() };
            let Some(doc) = state.host.workspace().doc_id(&path) else { return Vec::new() };
            let document = state.host.workspace().document(doc);
            let Some(range) = from_lsp::range(document, params.range, state.encoding) else { return Vec::new() };
            let reported = from_lsp::reported(document, &params.context.diagnostics, state.encoding);
            let (actions, changes) = state.host.code_actions(&path, range, &reported, wanted, options);
            let fixes =
                if fix_all { state.host.workspace().doc_id(&path).map(|doc| state.host.safe_fixes(doc)) } else { None };
            let version_of = |path: &std::path::Path| state.open.get(path).map(|o| o.version);
            answer = state.host.workspace().doc_id(&path).map(|doc| {
                let document = state.host.workspace().document(doc);
                state.out(|out| {
                    let mut found: Vec<CodeActionOrCommand> = actions
                        .into_iter()
                        .filter_map(|a| out.code_action(document, a, &version_of, versioned))
                        .collect();
                    found.extend(fixes.and_then(|fixes| match lazy_fix_all {
                        true => out.unresolved_fix_all(&params.text_document.uri, fixes.len()),
                        false => out.fix_all(document, fixes, &version_of, versioned),
                    }));
                    found
                })
            });
            state.publish(changes)
        });
        if !handled {
            return Err(Error::internal_error());
        }
        Ok(answer)
    }

    /// The edit of a fix-all action sent without it: every safe fix of the
    /// note as it is now. An action the server did not make comes back as
    /// it came.
    async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        self.ready().await;
        let Some(uri) = from_lsp::fix_all_subject(&action) else { return Ok(action) };
        let capabilities = self.capabilities.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let (versioned, _) = from_lsp::edit_support(&capabilities);
        let guard = self.lock();
        let Some(state) = guard.as_ref() else { return Ok(action) };
        catch_unwind(AssertUnwindSafe(|| {
            let path = path_of(&uri).map(|path| state.key(&path));
            let doc = path.as_deref().and_then(|path| state.host.workspace().doc_id(path));
            let Some(doc) = doc else {
                return Err(Error::invalid_params(format!("no note {uri} in the workspace to fix")));
            };
            let document = state.host.workspace().document(doc);
            let fixes = state.host.safe_fixes(doc);
            let version_of = |path: &std::path::Path| state.open.get(path).map(|o| o.version);
            // Fixed meanwhile: an empty edit, which applies as nothing.
            let edit = state.out(|out| match out.fix_all(document, fixes, &version_of, versioned) {
                Some(CodeActionOrCommand::CodeAction(resolved)) => resolved.edit,
                _ => None,
            });
            action.edit = Some(edit.unwrap_or_default());
            Ok(action)
        }))
        .unwrap_or_else(|_| Err(Error::internal_error()))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.ready().await;
        let p = params.text_document_position;
        self.query(&p.text_document.uri, |state, _, document| {
            let offset = offset_of(state, document, p.position)?;
            let found = analysis::complete(state.host.workspace(), document, offset);
            let items = state.out(|out| found.into_iter().map(|c| out.completion(document, c)).collect());
            Some(CompletionResponse::Array(items))
        })
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        self.ready().await;
        self.query(&params.text_document.uri, |state, _, document| {
            let found = analysis::document_symbols(document);
            let symbols = state.out(|out| found.into_iter().map(|s| out.document_symbol(document, s)).collect());
            Some(DocumentSymbolResponse::Nested(symbols))
        })
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<Vec<SymbolInformation>>> {
        self.ready().await;
        let guard = self.lock();
        let Some(state) = guard.as_ref() else { return Ok(None) };
        catch_unwind(AssertUnwindSafe(|| {
            let found = analysis::workspace_symbols(state.host.workspace(), &params.query);
            Some(state.out(|out| found.into_iter().filter_map(|s| out.workspace_symbol(s)).collect()))
        }))
        .map_err(|_| Error::internal_error())
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        self.ready().await;
        Ok(self.tokens(&params.text_document.uri, TokensWanted::Full)?.map(TokensAnswer::into_full))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        self.ready().await;
        let wanted = TokensWanted::Delta { previous: &params.previous_result_id };
        Ok(self.tokens(&params.text_document.uri, wanted)?.map(TokensAnswer::into_delta))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        self.ready().await;
        Ok(self.tokens(&params.text_document.uri, TokensWanted::Range(params.range))?.map(TokensAnswer::into_range))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.ready().await;
        self.query(&params.text_document.uri, |state, _, document| {
            let within = from_lsp::shown_range(document, params.range, state.encoding)?;
            let hints = analysis::inlay_hints(state.host.workspace(), document, within);
            Some(state.out(|out| hints.into_iter().map(|h| out.inlay_hint(document, h)).collect()))
        })
    }

    /// The lenses of a note with their titles: the counts come from the
    /// reverse index, so counting them all costs less than a round trip
    /// per lens would (bench/README.md).
    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.ready().await;
        self.query(&params.text_document.uri, |state, _, document| {
            let workspace = state.host.workspace();
            let lenses = analysis::code_lenses(workspace, document);
            Some(state.out(|out| {
                let titled = lenses.iter().map(|l| (l, analysis::lens_title(workspace, l.namespace, &l.name)));
                titled.filter_map(|(l, title)| out.code_lens(document, l, title)).collect()
            }))
        })
    }

    /// Counts a lens again (one sent earlier, or by another client's copy).
    async fn code_lens_resolve(&self, lens: CodeLens) -> Result<CodeLens> {
        self.ready().await;
        let Some((uri, namespace, name)) = from_lsp::lens_subject(&lens) else {
            return Err(Error::invalid_params("this code lens was not made by dossier: it carries no id to count"));
        };
        let guard = self.lock();
        let Some(state) = guard.as_ref() else { return Ok(lens) };
        catch_unwind(AssertUnwindSafe(|| {
            let title = analysis::lens_title(state.host.workspace(), namespace, &name);
            state.out(|out| out.resolved_lens(lens, uri, title))
        }))
        .map_err(|_| Error::internal_error())
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.ready().await;
        self.query(&params.text_document.uri, |state, _, document| {
            let links = analysis::document_links(document);
            Some(state.out(|out| links.into_iter().filter_map(|l| out.document_link(document, l)).collect()))
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.ready().await;
        self.query(&params.text_document.uri, |state, _, document| {
            let ranges = analysis::folding_ranges(document);
            Some(state.out(|out| ranges.into_iter().map(|r| out.folding_range(document, r)).collect()))
        })
    }
}
