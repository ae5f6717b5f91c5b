//! Sending published diagnostics, in the order that keeps the client right
//! and the analyst waiting least. What an edit, an open or a close changed
//! goes out first; a workspace's (re)indexing (ten thousand notes, say) goes
//! out behind it, a note at a time, and a note whose newer diagnostics
//! already went out is skipped there, so the client never ends on stale ones.

use std::collections::{HashMap, VecDeque};

use tokio::sync::mpsc::{Sender, UnboundedReceiver};
use tower_lsp::lsp_types::{PublishDiagnosticsParams, Url};

use super::frame;
use super::state::Publish;

/// Runs until the queue or the client's stream closes. `queue` holds the
/// batches in the order the state changed; `frames` is the client's stream.
pub async fn send(mut queue: UnboundedReceiver<Vec<Publish>>, frames: Sender<Vec<u8>>) {
    // The bulk publishes not sent yet, each with the batch it came in.
    let mut bulk: VecDeque<(u64, Publish)> = VecDeque::new();
    // Per file, the batch of its latest publish sent ahead of the bulk.
    let mut sent_ahead: HashMap<Url, u64> = HashMap::new();
    let mut batch = 0u64;
    // Once the queue is closed, what is left of the bulk still goes out.
    let mut closed = false;
    loop {
        let next = if bulk.is_empty() {
            sent_ahead.clear();
            if closed {
                return;
            }
            match queue.recv().await {
                Some(next) => Some(next),
                None => return,
            }
        } else if closed {
            None
        } else {
            match queue.try_recv() {
                Ok(next) => Some(next),
                Err(tokio::sync::mpsc::error::TryRecvError::Empty) => None,
                Err(tokio::sync::mpsc::error::TryRecvError::Disconnected) => {
                    closed = true;
                    None
                }
            }
        };
        if let Some(publishes) = next {
            batch += 1;
            for publish in publishes {
                if publish.bulk {
                    bulk.push_back((batch, publish));
                } else {
                    sent_ahead.insert(publish.uri.clone(), batch);
                    if !write(&frames, publish).await {
                        return;
                    }
                }
            }
            continue;
        }
        // Nothing else waiting: one note of the bulk.
        if let Some((queued_in, publish)) = bulk.pop_front()
            && sent_ahead.get(&publish.uri).is_none_or(|&ahead| ahead < queued_in)
            && !write(&frames, publish).await
        {
            return;
        }
    }
}

/// Serializes one publish into its frame and hands it to the writer;
/// `false` when the client is gone.
async fn write(frames: &Sender<Vec<u8>>, publish: Publish) -> bool {
    let params = PublishDiagnosticsParams::new(publish.uri, publish.diagnostics, publish.version);
    let bytes = frame::notification("textDocument/publishDiagnostics", &params);
    drop(params);
    frames.send(bytes).await.is_ok()
}

#[cfg(test)]
mod tests {
    use tower_lsp::lsp_types::Diagnostic;

    use super::*;

    fn publish(path: &str, message: &str, bulk: bool) -> Publish {
        let diagnostics = vec![Diagnostic { message: message.into(), ..Default::default() }];
        Publish { uri: Url::parse(&format!("file:///ws/{path}")).unwrap(), diagnostics, version: None, bulk }
    }

    /// (file, message) of each frame sent, in order.
    fn sent(frames: &mut tokio::sync::mpsc::Receiver<Vec<u8>>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        while let Ok(bytes) = frames.try_recv() {
            let body = &bytes[bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..];
            let message: serde_json::Value = serde_json::from_slice(body).unwrap();
            let params = &message["params"];
            let file = params["uri"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
            out.push((file, params["diagnostics"][0]["message"].as_str().unwrap().to_string()));
        }
        out
    }

    #[tokio::test]
    async fn edits_go_ahead_of_the_bulk_and_stale_bulk_entries_are_skipped() {
        let (queue, receiver) = tokio::sync::mpsc::unbounded_channel();
        let (frames, mut written) = tokio::sync::mpsc::channel(64);
        // The indexing's diagnostics, then an edit of a.md, then a later
        // re-indexing that must not be skipped.
        queue.send(vec![publish("a.md", "indexed", true), publish("b.md", "indexed", true)]).unwrap();
        queue.send(vec![publish("a.md", "edited", false)]).unwrap();
        drop(queue);
        send(receiver, frames.clone()).await;
        let expected = [("a.md", "edited"), ("b.md", "indexed")];
        assert_eq!(sent(&mut written), expected.map(|(f, m)| (f.to_string(), m.to_string())));

        let (queue, receiver) = tokio::sync::mpsc::unbounded_channel();
        queue.send(vec![publish("a.md", "edited", false)]).unwrap();
        queue.send(vec![publish("a.md", "re-indexed", true)]).unwrap();
        drop(queue);
        send(receiver, frames).await;
        let expected = [("a.md", "edited"), ("a.md", "re-indexed")];
        assert_eq!(sent(&mut written), expected.map(|(f, m)| (f.to_string(), m.to_string())));
    }
}
