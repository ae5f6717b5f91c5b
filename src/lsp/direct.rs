//! The messages that can run to megabytes, sent beside tower-lsp rather
//! than through it: the answers to references and rename (every mention of
//! an id in the workspace), completion and workspace symbols (every actor
//! and source), document symbols (every claim of a long note), and the
//! diagnostics the server publishes (every finding of a note).
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

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower_lsp::LanguageServer;
use tower_lsp::jsonrpc::{Error, Id, Response, Result};
use tower_lsp::lsp_types::*;

use super::server::Server;

/// The frame (header and body) answering one request, once computed.
pub type Answer = Pin<Box<dyn Future<Output = Vec<u8>> + Send>>;

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
        _ => None,
    }
}

/// A success reply, with its members in tower-lsp's order.
#[derive(Serialize)]
struct Success<T> {
    jsonrpc: &'static str,
    result: T,
    id: Id,
}

/// The frame of the reply to `id`.
pub fn frame<T: Serialize>(id: Id, result: Result<T>) -> Vec<u8> {
    let written = match result {
        Ok(result) => framed(&Success { jsonrpc: "2.0", result, id: id.clone() }),
        Err(error) => framed(&Response::from_error(id.clone(), error)),
    };
    // Serializing LSP types cannot fail (every map key is a string); should
    // it ever, the client still gets a reply.
    written.unwrap_or_else(|_| framed(&Response::from_error(id, Error::internal_error())).unwrap_or_default())
}

/// A notification's frame.
pub fn notification<T: Serialize>(method: &'static str, params: &T) -> Vec<u8> {
    #[derive(Serialize)]
    struct Notification<'p, T> {
        jsonrpc: &'static str,
        method: &'static str,
        params: &'p T,
    }
    // As in `frame`: serializing LSP types cannot fail.
    framed(&Notification { jsonrpc: "2.0", method, params }).unwrap_or_default()
}

/// `message` in a frame, serialized once into the buffer that is sent: the
/// body goes after room for the longest header, which is then written just
/// before it (a megabyte answer is not copied into a second buffer).
fn framed(message: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    const ROOM: usize = "Content-Length: ".len() + 20 + "\r\n\r\n".len();
    let mut out = vec![0; ROOM];
    serde_json::to_writer(&mut out, message)?;
    let header = format!("Content-Length: {}\r\n\r\n", out.len() - ROOM);
    let start = ROOM - header.len();
    out[start..ROOM].copy_from_slice(header.as_bytes());
    out.drain(..start);
    Ok(out)
}
