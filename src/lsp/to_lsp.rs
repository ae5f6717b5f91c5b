//! Core answers as LSP types: the one place that builds them (positions,
//! ranges, diagnostics, locations, hover, completion items, symbols, edits,
//! semantic tokens, inlay hints, code lens, links, folding ranges).
//! Handlers hold no formatting of their own.

use std::path::Path;

use tower_lsp::lsp_types as lsp;
use tower_lsp::lsp_types::{PositionEncodingKind, Url};

use crate::analysis::{self, ActionKind, CompletionKind, FileEdit, RenameEdits, SymbolKind};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::{Encoding, LineCol, TextRange};
use crate::workspace::{DocId, Document, Workspace};

/// How the server names a file to the client: by the client's own URI for
/// an open document, else by its path.
pub trait Uris {
    fn uri_of(&self, path: &Path) -> Option<Url>;
}

/// What every conversion out needs: the documents, the negotiated position
/// encoding and the names of files.
#[derive(Clone, Copy)]
pub struct Out<'s> {
    pub workspace: &'s Workspace,
    pub encoding: Encoding,
    pub uris: &'s (dyn Uris + Sync),
}

pub fn encoding_kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// What the server offers, positions counted in `encoding`.
pub fn initialize_result(encoding: Encoding) -> lsp::InitializeResult {
    use lsp::*;
    InitializeResult {
        server_info: Some(ServerInfo { name: "dossier".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
        capabilities: ServerCapabilities {
            position_encoding: Some(encoding_kind(encoding)),
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
            code_action_provider: Some(code_action_provider()),
            ..decoration_capabilities()
        },
    }
}

/// The kind of the action applying every safe fix of a note.
pub const FIX_ALL_KIND: &str = "source.fixAll.dossier";

/// The code action kinds the server answers.
fn code_action_provider() -> lsp::CodeActionProviderCapability {
    use lsp::*;
    let kinds = vec![CodeActionKind::QUICKFIX, CodeActionKind::REFACTOR_REWRITE, CodeActionKind::new(FIX_ALL_KIND)];
    CodeActionProviderCapability::Options(CodeActionOptions {
        code_action_kinds: Some(kinds),
        // The fix-all action of a cursor's menu is resolved when picked.
        resolve_provider: Some(true),
        ..Default::default()
    })
}

/// The token of the indexing's work-done progress.
pub fn indexing_token() -> lsp::NumberOrString {
    lsp::NumberOrString::String("dossier-index".into())
}

pub fn indexing_begins(token: lsp::NumberOrString) -> lsp::ProgressParams {
    use lsp::*;
    let begin = WorkDoneProgressBegin { title: "Indexing notes".into(), ..Default::default() };
    ProgressParams { token, value: ProgressParamsValue::WorkDone(WorkDoneProgress::Begin(begin)) }
}

pub fn indexing_ends(token: lsp::NumberOrString, notes: usize) -> lsp::ProgressParams {
    use lsp::*;
    let end = WorkDoneProgressEnd { message: Some(format!("{notes} notes indexed")) };
    ProgressParams { token, value: ProgressParamsValue::WorkDone(WorkDoneProgress::End(end)) }
}

/// Watching the notes and `dossier.toml` on disk, registered dynamically.
pub fn watched_files_registration() -> lsp::Registration {
    use lsp::*;
    let watchers = ["**/*.md", "**/dossier.toml", "**/*.bib", "**/*.json"]
        .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind: None })
        .to_vec();
    Registration {
        id: "dossier-watch".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
    }
}

fn position(at: LineCol) -> lsp::Position {
    lsp::Position { line: at.line, character: at.col }
}

impl<'s> Out<'s> {
    pub fn range(&self, document: &Document, range: TextRange) -> lsp::Range {
        let (start, end) = document.positions(self.encoding).range(range);
        lsp::Range { start: position(start), end: position(end) }
    }

    pub fn uri(&self, path: &Path) -> Option<Url> {
        self.uris.uri_of(path)
    }

    pub fn location(&self, doc: DocId, range: TextRange) -> Option<lsp::Location> {
        let document = self.workspace.get(doc)?;
        Some(lsp::Location { uri: self.uri(&document.path)?, range: self.range(document, range) })
    }

    pub fn diagnostic(&self, document: &Document, d: &Diagnostic) -> lsp::Diagnostic {
        let severity = match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
            Severity::Hint => lsp::DiagnosticSeverity::HINT,
        };
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter_map(|r| {
                Some(lsp::DiagnosticRelatedInformation {
                    location: self.location(r.doc, r.range)?,
                    message: r.message.clone(),
                })
            })
            .collect();
        let tags = d.rule.marks_unneeded().then(|| vec![lsp::DiagnosticTag::UNNECESSARY]);
        lsp::Diagnostic {
            range: self.range(document, d.range),
            severity: Some(severity),
            code: Some(lsp::NumberOrString::String(d.rule.id().to_string())),
            source: Some("dossier".into()),
            message: d.message.clone(),
            related_information: (!related.is_empty()).then_some(related),
            tags,
            ..Default::default()
        }
    }

    /// A note's diagnostics as published: at most [`MAX_PUBLISHED`], the
    /// first in text order, and one more that counts the rest.
    pub fn published(&self, document: &Document, mut found: Vec<Diagnostic>) -> Vec<lsp::Diagnostic> {
        let hidden = keep_the_first(&mut found);
        let mut out: Vec<lsp::Diagnostic> = found.iter().map(|d| self.diagnostic(document, d)).collect();
        if let Some((count, at)) = hidden {
            out.push(lsp::Diagnostic {
                range: self.range(document, TextRange::empty(at as usize)),
                severity: Some(lsp::DiagnosticSeverity::INFORMATION),
                source: Some("dossier".into()),
                message: format!(
                    "{count} more findings from here on are not shown: the editor gets the first \
                     {MAX_PUBLISHED} of a note; `dossier check` lists them all"
                ),
                ..Default::default()
            });
        }
        out
    }

    pub fn hover(&self, document: &Document, hover: analysis::Hover) -> lsp::Hover {
        lsp::Hover {
            contents: lsp::HoverContents::Markup(markdown(hover.markdown)),
            range: Some(self.range(document, hover.range)),
        }
    }

    pub fn highlight(&self, document: &Document, range: TextRange, is_definition: bool) -> lsp::DocumentHighlight {
        lsp::DocumentHighlight {
            range: self.range(document, range),
            kind: Some(if is_definition {
                lsp::DocumentHighlightKind::WRITE
            } else {
                lsp::DocumentHighlightKind::READ
            }),
        }
    }

    pub fn completion(&self, document: &Document, c: analysis::Completion) -> lsp::CompletionItem {
        lsp::CompletionItem {
            label: c.label,
            kind: Some(match c.kind {
                CompletionKind::Actor => lsp::CompletionItemKind::CLASS,
                CompletionKind::Source => lsp::CompletionItemKind::FILE,
                CompletionKind::Claim => lsp::CompletionItemKind::REFERENCE,
                CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
                CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
            }),
            detail: Some(c.detail),
            documentation: c.documentation.map(|value| lsp::Documentation::MarkupContent(markdown(value))),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                range: self.range(document, c.replace),
                new_text: c.insert,
            })),
            ..Default::default()
        }
    }

    #[allow(deprecated)] // `DocumentSymbol::deprecated` must still be filled in.
    pub fn document_symbol(&self, document: &Document, symbol: analysis::Symbol) -> lsp::DocumentSymbol {
        lsp::DocumentSymbol {
            name: symbol.name,
            detail: symbol.detail,
            kind: symbol_kind(symbol.kind),
            tags: None,
            deprecated: None,
            range: self.range(document, symbol.range),
            selection_range: self.range(document, symbol.selection),
            children: Some(symbol.children.into_iter().map(|c| self.document_symbol(document, c)).collect()),
        }
    }

    #[allow(deprecated)] // `SymbolInformation::deprecated` must still be filled in.
    pub fn workspace_symbol(&self, s: analysis::WorkspaceSymbol) -> Option<lsp::SymbolInformation> {
        Some(lsp::SymbolInformation {
            name: s.name,
            kind: symbol_kind(s.kind),
            tags: None,
            deprecated: None,
            location: self.location(s.doc, s.range)?,
            container_name: s.container,
        })
    }

    /// A rename's edits, each document with its version when open
    /// (`version_of`), or as plain `changes` by URI for a client that does
    /// not support `documentChanges` (and so cannot be told versions).
    pub fn rename(
        &self,
        rename: RenameEdits,
        version_of: impl Fn(&Path) -> Option<i32>,
        versioned: bool,
    ) -> lsp::WorkspaceEdit {
        let documents = rename.edits.into_iter().filter_map(|(doc, ranges)| {
            let document = self.workspace.get(doc)?;
            let edits: Vec<lsp::TextEdit> = ranges
                .into_iter()
                .map(|r| lsp::TextEdit { range: self.range(document, r), new_text: rename.new_name.clone() })
                .collect();
            Some((self.uri(&document.path)?, version_of(&document.path), edits))
        });
        if versioned {
            let changes = documents
                .map(|(uri, version, edits)| lsp::TextDocumentEdit {
                    text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version },
                    edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
                })
                .collect();
            lsp::WorkspaceEdit { document_changes: Some(lsp::DocumentChanges::Edits(changes)), ..Default::default() }
        } else {
            let changes = documents.map(|(uri, _, edits)| (uri, edits)).collect();
            lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() }
        }
    }
}

fn fix_all_title(count: usize) -> String {
    format!("Fix all safe Dossier findings ({count})")
}

impl Out<'_> {
    /// A core action as an LSP code action, its edit in the negotiated
    /// encoding (see [`Out::workspace_edit`]).
    pub fn code_action(
        &self,
        document: &Document,
        action: analysis::Action,
        version_of: &impl Fn(&Path) -> Option<i32>,
        versioned: bool,
    ) -> Option<lsp::CodeActionOrCommand> {
        let kind = match action.kind {
            ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
            ActionKind::RefactorRewrite => lsp::CodeActionKind::REFACTOR_REWRITE,
        };
        let preferred = action.is_preferred();
        let diagnostics = action.fixes.as_ref().map(|d| vec![self.diagnostic(document, d)]);
        Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: action.title,
            kind: Some(kind),
            diagnostics,
            edit: Some(self.workspace_edit(action.edits, version_of, versioned)?),
            is_preferred: preferred.then_some(true),
            ..Default::default()
        }))
    }

    /// The action applying every safe fix of a note at once, when it has any.
    pub fn fix_all(
        &self,
        document: &Document,
        fixes: Vec<analysis::Action>,
        version_of: &impl Fn(&Path) -> Option<i32>,
        versioned: bool,
    ) -> Option<lsp::CodeActionOrCommand> {
        if fixes.is_empty() {
            return None;
        }
        let diagnostics = fixes.iter().filter_map(|a| a.fixes.as_ref()).map(|d| self.diagnostic(document, d)).collect();
        let count = fixes.len();
        let edits = fixes.into_iter().flat_map(|a| a.edits).collect();
        Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: fix_all_title(count),
            kind: Some(lsp::CodeActionKind::new(FIX_ALL_KIND)),
            diagnostics: Some(diagnostics),
            edit: Some(self.workspace_edit(edits, version_of, versioned)?),
            ..Default::default()
        }))
    }

    /// The fix-all action without its edit or diagnostics, for a client
    /// that resolves it when picked (`codeAction/resolve`): a note with
    /// tens of thousands of safe fixes costs their count, not their edit,
    /// each time a cursor moves. `None` when the note has none.
    pub fn unresolved_fix_all(&self, uri: &Url, count: usize) -> Option<lsp::CodeActionOrCommand> {
        (count > 0).then(|| {
            lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: fix_all_title(count),
                kind: Some(lsp::CodeActionKind::new(FIX_ALL_KIND)),
                data: serde_json::to_value(FixAllData { fix_all: uri.clone() }).ok(),
                ..Default::default()
            })
        })
    }

    /// Core file edits as one `WorkspaceEdit`: per document, its edits
    /// with its version when open (`version_of`) in `documentChanges`, or
    /// as plain `changes` by URI for a client without them. A file to
    /// create is a `CreateFile` (never overwriting) then an insertion of
    /// its text; `None` when the client cannot be sent one (no
    /// `documentChanges`) or a file has no URI.
    pub fn workspace_edit(
        &self,
        edits: Vec<FileEdit>,
        version_of: &impl Fn(&Path) -> Option<i32>,
        versioned: bool,
    ) -> Option<lsp::WorkspaceEdit> {
        use lsp::*;
        let start = Position { line: 0, character: 0 };
        let mut operations: Vec<DocumentChangeOperation> = Vec::new();
        let mut plain: std::collections::HashMap<Url, Vec<TextEdit>> = std::collections::HashMap::new();
        let mut creates = false;
        for edit in merged(edits) {
            let (uri, version, text_edits) = match edit {
                FileEdit::Edit { doc, replacements } => {
                    let document = self.workspace.get(doc)?;
                    let text_edits: Vec<TextEdit> = replacements
                        .into_iter()
                        .map(|r| TextEdit { range: self.range(document, r.range), new_text: r.text })
                        .collect();
                    (self.uri(&document.path)?, version_of(&document.path), text_edits)
                }
                FileEdit::Create { path, text } => {
                    if !versioned {
                        return None;
                    }
                    creates = true;
                    let uri = self.uri(&path)?;
                    operations.push(DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                        uri: uri.clone(),
                        options: Some(CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
                        annotation_id: None,
                    })));
                    (uri, None, vec![TextEdit { range: Range { start, end: start }, new_text: text }])
                }
            };
            if versioned {
                operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                    edits: text_edits.into_iter().map(OneOf::Left).collect(),
                }));
            } else {
                plain.entry(uri).or_default().extend(text_edits);
            }
        }
        if !versioned {
            return Some(WorkspaceEdit { changes: Some(plain), ..Default::default() });
        }
        let changes = if creates {
            DocumentChanges::Operations(operations)
        } else {
            let edits = operations
                .into_iter()
                .filter_map(|op| match op {
                    DocumentChangeOperation::Edit(edit) => Some(edit),
                    DocumentChangeOperation::Op(_) => None,
                })
                .collect();
            DocumentChanges::Edits(edits)
        };
        Some(WorkspaceEdit { document_changes: Some(changes), ..Default::default() })
    }
}

/// The edits with all those of one document in one, sorted: a client
/// applies the edits of a `TextDocumentEdit` against the text as it was,
/// but two of them for one document one after the other.
fn merged(edits: Vec<FileEdit>) -> Vec<FileEdit> {
    let mut out: Vec<FileEdit> = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit {
            FileEdit::Edit { doc, replacements } => {
                let same = out.iter_mut().find_map(|e| match e {
                    FileEdit::Edit { doc: d, replacements } if *d == doc => Some(replacements),
                    _ => None,
                });
                match same {
                    Some(existing) => existing.extend(replacements),
                    None => out.push(FileEdit::Edit { doc, replacements }),
                }
            }
            create => out.push(create),
        }
    }
    for edit in &mut out {
        if let FileEdit::Edit { replacements, .. } = edit {
            replacements.sort_by_key(|r| (r.range.start, r.range.end));
        }
    }
    out
}

fn markdown(value: String) -> lsp::MarkupContent {
    lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value }
}

fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Heading => lsp::SymbolKind::NAMESPACE,
        SymbolKind::Actor => lsp::SymbolKind::CLASS,
        SymbolKind::Source => lsp::SymbolKind::FILE,
        SymbolKind::Claim => lsp::SymbolKind::STRING,
    }
}

/// Core locations that serialize as LSP `Location`s, converted one by one
/// as they are written (a main actor has ten thousand, each with its URI).
pub struct Locations<'s> {
    pub out: Out<'s>,
    pub found: Vec<analysis::Location>,
}

impl serde::Serialize for Locations<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        for found in &self.found {
            if let Some(location) = self.out.location(found.doc, found.range) {
                seq.serialize_element(&location)?;
            }
        }
        seq.end()
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

/// The capabilities of what the editor shows over the text (SPEC §7):
/// semantic tokens, inlay hints, code lens, links, folding ranges.
fn decoration_capabilities() -> lsp::ServerCapabilities {
    use lsp::*;
    ServerCapabilities {
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic_tokens_legend(),
                range: Some(true),
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                work_done_progress_options: Default::default(),
            },
        )),
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(true) }),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// The legend of SPEC §7: token kinds and modifiers by their index.
pub fn semantic_tokens_legend() -> lsp::SemanticTokensLegend {
    use analysis::{Modifiers, TokenKind};
    let kind = |k: TokenKind| match k {
        TokenKind::Actor => "actor",
        TokenKind::Source => "source",
        TokenKind::ClaimId => "claimId",
        TokenKind::Claim => "claim",
        TokenKind::MetadataKey => "metadataKey",
        TokenKind::MetadataValue => "metadataValue",
        TokenKind::Locator => "locator",
        TokenKind::FieldKey => "fieldKey",
    };
    let modifier = |m: Modifiers| match m {
        Modifiers::DECLARATION => "declaration",
        Modifiers::UNKNOWN => "unknown",
        Modifiers::UNSOURCED => "unsourced",
        _ => "weak",
    };
    lsp::SemanticTokensLegend {
        token_types: TokenKind::ALL.map(|k| lsp::SemanticTokenType::new(kind(k))).to_vec(),
        token_modifiers: Modifiers::ALL.map(|m| lsp::SemanticTokenModifier::new(modifier(m))).to_vec(),
    }
}

/// What a fix-all action sent without its edit carries to its resolve:
/// the note to fix.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixAllData {
    pub fix_all: Url,
}

/// What a code lens carries to its resolve: the document and the id.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct LensData {
    pub uri: Url,
    /// With its sigil: `@putin`, `#deal`.
    pub id: String,
}

impl<'s> Out<'s> {
    /// Tokens in the protocol's relative form, each position counted on
    /// from the one before (see `text::Walk`).
    pub fn semantic_tokens(&self, document: &Document, tokens: &[analysis::Token]) -> Vec<lsp::SemanticToken> {
        let mut out = Vec::with_capacity(tokens.len());
        self.relative_tokens(document, None, tokens, &mut out);
        out
    }

    /// The relative form of `tokens`, all of a note's, had from kept ones
    /// as `reused` says; `old` is the relative form of those kept ones.
    /// Only the computed tokens and the first after them are converted:
    /// each of the others is counted from the one before it, which is
    /// before it in the old text too, and the text between them is the same.
    pub fn semantic_tokens_reused(
        &self,
        document: &Document,
        tokens: &[analysis::Token],
        old: &[lsp::SemanticToken],
        reused: analysis::Reused,
    ) -> Vec<lsp::SemanticToken> {
        let analysis::Reused { head, region, old_tail } = reused;
        let converted = (head + region + 1).min(tokens.len());
        let mut out = Vec::with_capacity(tokens.len());
        out.extend_from_slice(&old[..head]);
        self.relative_tokens(document, head.checked_sub(1).map(|k| &tokens[k]), &tokens[head..converted], &mut out);
        out.extend_from_slice(old.get(old_tail + 1..).unwrap_or_default());
        out
    }

    /// `tokens` in relative form, the first counted from `after` (the
    /// token before them) or from the start of the text, onto `out`.
    fn relative_tokens(
        &self,
        document: &Document,
        after: Option<&analysis::Token>,
        tokens: &[analysis::Token],
        out: &mut Vec<lsp::SemanticToken>,
    ) {
        let positions = document.positions(self.encoding);
        let mut walk = positions.walk();
        let mut last = after.map_or(LineCol { line: 0, col: 0 }, |t| walk.line_col(t.range.start as usize));
        out.extend(tokens.iter().map(|t| {
            let at = walk.line_col(t.range.start as usize);
            let delta_line = at.line - last.line;
            let delta_start = if delta_line == 0 { at.col - last.col } else { at.col };
            last = at;
            lsp::SemanticToken {
                delta_line,
                delta_start,
                length: positions.width(t.range),
                token_type: t.kind as u32,
                token_modifiers_bitset: u32::from(t.modifiers.0),
            }
        }));
    }

    pub fn inlay_hint(&self, document: &Document, hint: analysis::InlayHint) -> lsp::InlayHint {
        lsp::InlayHint {
            position: position(document.positions(self.encoding).line_col(hint.at)),
            label: lsp::InlayHintLabel::String(hint.label),
            kind: None,
            text_edits: None,
            tooltip: Some(lsp::InlayHintTooltip::String(hint.tooltip)),
            padding_left: None,
            padding_right: None,
            data: None,
        }
    }

    /// A lens with its title and command, and the data that lets
    /// `codeLens/resolve` count again.
    pub fn code_lens(&self, document: &Document, lens: &analysis::Lens, title: String) -> Option<lsp::CodeLens> {
        let uri = self.uri(&document.path)?;
        let data = LensData { uri: uri.clone(), id: format!("{}{}", lens.namespace.sigil(), lens.name) };
        let unresolved = lsp::CodeLens {
            range: self.range(document, lens.range),
            command: None,
            data: serde_json::to_value(data).ok(),
        };
        Some(self.resolved_lens(unresolved, uri, title))
    }

    /// The lens with its title and the `dossier.showReferences` command,
    /// whose arguments are the document and the id's first character.
    pub fn resolved_lens(&self, mut lens: lsp::CodeLens, uri: Url, title: String) -> lsp::CodeLens {
        let arguments = vec![serde_json::json!(uri), serde_json::json!(lens.range.start)];
        lens.command =
            Some(lsp::Command { title, command: "dossier.showReferences".into(), arguments: Some(arguments) });
        lens
    }

    pub fn document_link(&self, document: &Document, link: analysis::DocumentLink) -> Option<lsp::DocumentLink> {
        Some(lsp::DocumentLink {
            range: self.range(document, link.range),
            target: Some(Url::parse(&link.target).ok()?),
            tooltip: None,
            data: None,
        })
    }

    pub fn folding_range(&self, document: &Document, range: TextRange) -> lsp::FoldingRange {
        let (start, end) = document.positions(self.encoding).range(range);
        lsp::FoldingRange { start_line: start.line, end_line: end.line, ..Default::default() }
    }
}
