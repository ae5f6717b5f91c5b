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

/// The frame of the reply to `id` whose result `write_result` writes as
/// JSON itself (about `len_hint` bytes), for answers of tens of thousands
/// of integers, where serde's call per value is most of the cost.
pub fn frame_json(id: &Id, len_hint: usize, write_result: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::with_capacity(ROOM + len_hint + 64);
    out.resize(ROOM, 0);
    out.extend_from_slice(br#"{"jsonrpc":"2.0","result":"#);
    write_result(&mut out);
    out.extend_from_slice(br#","id":"#);
    // An id is a number or a string: serializing it cannot fail.
    let _ = serde_json::to_writer(&mut out, id);
    out.push(b'}');
    with_header(out)
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
    let mut out = vec![0; ROOM];
    serde_json::to_writer(&mut out, message)?;
    Ok(with_header(out))
}

/// Room for the longest header before a frame's body.
const ROOM: usize = "Content-Length: ".len() + 20 + "\r\n\r\n".len();

/// `out`, a body after `ROOM` bytes, as a frame: the header is written just
/// before the body.
fn with_header(mut out: Vec<u8>) -> Vec<u8> {
    let header = format!("Content-Length: {}\r\n\r\n", out.len() - ROOM);
    let start = ROOM - header.len();
    out[start..ROOM].copy_from_slice(header.as_bytes());
    out.drain(..start);
    out
}
