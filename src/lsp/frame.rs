//! Messages as the bytes of their frames, serialized once, straight from
//! their types: a megabyte answer or a note's ten thousand diagnostics never
//! become a `serde_json::Value` tree (which costs many times the bytes).

use serde::Serialize;
use tower_lsp::jsonrpc::{Error, Id, Response, Result};

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
