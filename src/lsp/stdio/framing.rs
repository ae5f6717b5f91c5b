//! The stdio framing in front of tower-lsp.
//!
//! tower-lsp decodes frames with tokio-util's `FramedRead`, which ends the
//! stream after the first decoder error: one frame whose body is not JSON (or
//! not a JSON-RPC message) would end the whole session. So the frames are read
//! here first. Well-formed messages go to tower-lsp byte for byte; any other
//! frame gets the JSON-RPC error reply (`-32700` parse error, `-32600` invalid
//! request) and reading carries on with the next frame. tower-lsp's output is
//! split back into frames so those replies never land inside one of its
//! messages.
//!
//! A wrong `Content-Length` desynchronises the stream by nature: the bytes it
//! cuts off or swallows are answered with parse errors, and reading resumes at
//! the next `Content-Length` header.

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp::jsonrpc::{Error, Id, Request, Response};

/// A body larger than this is refused rather than buffered (a 4 GiB note is
/// the loader's limit; no message needs more than this).
const MAX_BODY: usize = 1 << 30;

/// A header block is a few dozen bytes; this much input without the blank
/// line that ends one is not a frame, and is dropped.
const MAX_HEADER: usize = 64 * 1024;

/// What tower-lsp's decoder accepts: the same two types, tried in the same order.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // only parsed, to know that tower-lsp will parse it too.
enum Message {
    Response(Response),
    Request(Request),
}

/// A complete frame, header included.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn error_frame(id: Id, error: Error) -> Vec<u8> {
    frame(&serde_json::to_vec(&Response::from_error(id, error)).unwrap_or_default())
}

/// The error reply a body deserves, or `None` when tower-lsp can take it.
fn check(body: &[u8]) -> Option<Vec<u8>> {
    if serde_json::from_slice::<Message>(body).is_ok() {
        return None;
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Some(error_frame(Id::Null, Error::parse_error()));
    };
    // Valid JSON but not a message: answer with its id when it has a usable one.
    let id = match value.get("id") {
        Some(serde_json::Value::Number(n)) => n.as_i64().map_or(Id::Null, Id::Number),
        Some(serde_json::Value::String(s)) => Id::String(s.clone()),
        _ => Id::Null,
    };
    Some(error_frame(id, Error::invalid_request()))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads the `Content-Length` out of a header block (without its blank
/// line). `Err(())` when there is none, or it is not a number we accept;
/// `Ok((garbage, length))` where `garbage` says that bytes other than header
/// lines came first (the tail of a frame whose length was wrong).
fn content_length(header: &[u8]) -> Result<(bool, usize), ()> {
    let lower = header.to_ascii_lowercase();
    let at = lower.windows(15).rposition(|w| w == b"content-length:").ok_or(())?;
    let line_end = find(&header[at..], b"\r\n").map_or(header.len(), |p| at + p);
    let value = std::str::from_utf8(&header[at + 15..line_end]).map_err(|_| ())?;
    let length = value.trim().parse::<usize>().map_err(|_| ())?;
    if length > MAX_BODY {
        return Err(());
    }
    // Everything before it must be header lines (`Name: value`) or blank.
    let is_header_line = |line: &[u8]| {
        line.iter().all(u8::is_ascii_whitespace)
            || line
                .iter()
                .position(|&b| b == b':')
                .is_some_and(|colon| colon > 0 && line[..colon].iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-'))
    };
    let before = &header[..at];
    let garbage = match before.strip_suffix(b"\r\n") {
        Some(lines) => lines.split(|&b| b == b'\n').any(|l| !is_header_line(l.strip_suffix(b"\r").unwrap_or(l))),
        None => !before.is_empty(),
    };
    Ok((garbage, length))
}

/// Reads the client's frames from `input`: messages go to tower-lsp through
/// `server`, error replies to `replies`. Ends when the client closes its end.
pub async fn read_client(
    mut input: impl AsyncRead + Unpin,
    mut server: impl AsyncWrite + Unpin,
    replies: mpsc::Sender<Vec<u8>>,
) {
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut chunk = vec![0u8; 64 * 1024];
    // Reads more input into `buf`; false at the end of the input.
    macro_rules! fill {
        () => {
            match input.read(&mut chunk).await {
                Ok(0) | Err(_) => false,
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    true
                }
            }
        };
    }
    loop {
        let header_end = loop {
            if let Some(p) = find(&buf, b"\r\n\r\n") {
                break p;
            }
            if buf.len() > MAX_HEADER {
                // Keep the tail, which may hold the start of the next header.
                buf.drain(..buf.len() - 3);
                if replies.send(error_frame(Id::Null, Error::parse_error())).await.is_err() {
                    return;
                }
            }
            if !fill!() {
                return;
            }
        };
        let length = match content_length(&buf[..header_end]) {
            Ok((garbage, length)) => {
                if garbage && replies.send(error_frame(Id::Null, Error::parse_error())).await.is_err() {
                    return;
                }
                length
            }
            Err(()) => {
                buf.drain(..header_end + 4);
                if replies.send(error_frame(Id::Null, Error::parse_error())).await.is_err() {
                    return;
                }
                continue;
            }
        };
        buf.drain(..header_end + 4);
        while buf.len() < length {
            if !fill!() {
                return;
            }
        }
        let body: Vec<u8> = buf.drain(..length).collect();
        match check(&body) {
            None => {
                let framed = frame(&body);
                if server.write_all(&framed).await.is_err() || server.flush().await.is_err() {
                    return;
                }
            }
            Some(reply) => {
                if replies.send(reply).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Splits tower-lsp's output back into whole frames for the writer.
pub async fn read_server(mut output: impl AsyncRead + Unpin, frames: mpsc::Sender<Vec<u8>>) {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        // Send every complete frame in the buffer, then read more.
        while let Some(header_end) = find(&buf, b"\r\n\r\n") {
            let Ok((_, length)) = content_length(&buf[..header_end]) else { return };
            let total = header_end + 4 + length;
            if buf.len() < total {
                break;
            }
            if frames.send(buf.drain(..total).collect()).await.is_err() {
                return;
            }
        }
        match output.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Writes whole frames to the client, one at a time: answers (and
/// tower-lsp's own messages) first, whenever there are any, then the
/// background's (published diagnostics), so that a request answered while
/// ten thousand notes' diagnostics go out does not wait behind them. Each
/// stream keeps its own order.
pub async fn write_client(
    mut frames: mpsc::Receiver<Vec<u8>>,
    mut background: mpsc::Receiver<Vec<u8>>,
    mut output: impl AsyncWrite + Unpin,
) {
    let mut background_open = true;
    loop {
        let frame = tokio::select! {
            biased;
            frame = frames.recv() => match frame {
                Some(frame) => frame,
                None => return,
            },
            frame = background.recv(), if background_open => match frame {
                Some(frame) => frame,
                None => {
                    background_open = false;
                    continue;
                }
            },
        };
        if output.write_all(&frame).await.is_err() || output.flush().await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_length_is_found_after_other_headers_and_after_garbage() {
        assert_eq!(content_length(b"Content-Length: 12"), Ok((false, 12)));
        assert_eq!(content_length(b"content-length:7"), Ok((false, 7)));
        let typed = b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 3";
        assert_eq!(content_length(typed), Ok((false, 3)));
        assert_eq!(content_length(b"\r\nContent-Length: 3"), Ok((false, 3)));
        assert_eq!(content_length(b"\"}}Content-Length: 5"), Ok((true, 5)));
        assert_eq!(content_length(b"x}\r\nContent-Length: 5"), Ok((true, 5)));
        assert_eq!(content_length(b"Content-Type: x"), Err(()));
        assert_eq!(content_length(b"Content-Length: -1"), Err(()));
        assert_eq!(content_length(b"Content-Length: 99999999999999"), Err(()));
    }

    #[test]
    fn bodies_tower_lsp_cannot_read_get_the_json_rpc_error() {
        assert_eq!(check(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#), None);
        assert_eq!(check(br#"{"jsonrpc":"2.0","method":"x","params":{}}"#), None);
        assert_eq!(check(br#"{"jsonrpc":"2.0","id":1,"result":null}"#), None);
        let reply = |body: &[u8]| {
            let framed = check(body).expect("an error reply");
            let at = find(&framed, b"\r\n\r\n").unwrap() + 4;
            serde_json::from_slice::<serde_json::Value>(&framed[at..]).unwrap()
        };
        assert_eq!(
            reply(b"{not json"),
            serde_json::json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "Parse error"}})
        );
        assert_eq!(reply(b"\xff\xfe")["error"]["code"], -32700);
        let invalid = reply(br#"{"jsonrpc":"1.0","id":4,"method":"shutdown"}"#);
        assert_eq!((invalid["id"].clone(), invalid["error"]["code"].clone()), (4.into(), (-32600).into()));
        assert_eq!(reply(br#"{"jsonrpc":"2.0","id":"a","method":5}"#)["id"], "a");
        assert_eq!(reply(b"[]")["id"], serde_json::Value::Null);
    }
}
