//! The messages that can run to megabytes, sent beside tower-lsp rather
//! than through it: the answers to references and rename (every mention of
//! an id in the workspace), completion and workspace symbols (every actor
//! and source), document symbols (every claim of a long note), semantic
//! tokens (every piece of markup of a long note), and the diagnostics the
//! server publishes (every finding of a note).
//!
//! tower-lsp turns an answer into a `serde_json::Value` tree, serializes the
//! tree, then frees it. For a rename of 10,000 mentions the tree costs about
//! fifteen times the serialization itself (≈ 65 ms against 4.5 ms, measured
//! on the benchmark corpus) and some 30 MB at its peak. Here the handler's
//! typed answer goes straight to the bytes of its frame, which join the
//! output stream like tower-lsp's own (see `transport`).
//!
//! Only between `initialize` and `shutdown`: before and after, tower-lsp's
//! refusals apply. Params that do not deserialize go to tower-lsp as well, so
//! the client gets its usual invalid-params error. `$/cancelRequest` does not
//! reach these requests (tower-lsp cancels only those it runs); the protocol
//! lets a server answer a cancelled request all the same.

use std::future::Future;
use std::pin::Pin;

use serde::Deserialize;
use serde_json::Value;
use tower_lsp::LanguageServer;
use tower_lsp::jsonrpc::Id;
use tower_lsp::lsp_types::*;

use crate::lsp::frame::frame;
use crate::lsp::server::{Server, TokensWanted};

/// The frame (header and body) answering one request, once computed.
pub type Answer = Pin<Box<dyn Future<Output = Vec<u8>> + Send>>;

/// An answer's frame from which the heap is trimmed after it is sent: the
/// semantic tokens of a 200 KB note (170 KB) stay under it, the references
/// of an actor mentioned 10,000 times (1.5 MB) do not.
pub const LARGE_ANSWER: usize = 512 * 1024;

/// The answer to request `id` for `method`, or `None` when tower-lsp is to
/// answer it.
pub fn answer(server: &Server, method: &str, id: &Id, params: Option<&Value>) -> Option<Answer> {
    let params = params?;
    macro_rules! serve {
        ($handler:ident, $params:ty) => {{
            let params = <$params>::deserialize(params).ok()?;
            let (server, id) = (server.clone(), id.clone());
            Some(Box::pin(async move { frame(id, server.$handler(params).await) }))
        }};
    }
    match method {
        "textDocument/references" => {
            let params = ReferenceParams::deserialize(params).ok()?;
            let (server, id) = (server.clone(), id.clone());
            Some(Box::pin(async move { server.references_frame(id, params).await }))
        }
        "textDocument/rename" => serve!(rename, RenameParams),
        "textDocument/completion" => serve!(completion, CompletionParams),
        "textDocument/documentSymbol" => serve!(document_symbol, DocumentSymbolParams),
        "workspace/symbol" => serve!(symbol, WorkspaceSymbolParams),
        "textDocument/semanticTokens/full" => {
            let params = SemanticTokensParams::deserialize(params).ok()?;
            let (server, id) = (server.clone(), id.clone());
            Some(Box::pin(async move { server.tokens_frame(id, params.text_document.uri, TokensWanted::Full).await }))
        }
        "textDocument/semanticTokens/full/delta" => {
            let params = SemanticTokensDeltaParams::deserialize(params).ok()?;
            let (server, id) = (server.clone(), id.clone());
            Some(Box::pin(async move {
                let wanted = TokensWanted::Delta { previous: &params.previous_result_id };
                server.tokens_frame(id, params.text_document.uri.clone(), wanted).await
            }))
        }
        "textDocument/semanticTokens/range" => {
            let params = SemanticTokensRangeParams::deserialize(params).ok()?;
            let (server, id) = (server.clone(), id.clone());
            Some(Box::pin(async move {
                server.tokens_frame(id, params.text_document.uri, TokensWanted::Range(params.range)).await
            }))
        }
        _ => None,
    }
}
