//! Around tower-lsp, what it does not do as the protocol or an editor needs:
//! each workaround with one line of why.
//!
//! - `framing`: the frames on the real stdin/stdout are read and written
//!   here, so that one malformed frame gets an error reply instead of
//!   ending the session (tower-lsp's decoder stops at the first error).
//! - `direct`: requests whose answers can run to megabytes are answered
//!   beside tower-lsp, straight into their frames (tower-lsp would build a
//!   `serde_json::Value` tree of each, many times the bytes).
//! - [`Protocol`]: the lifecycle rules tower-lsp leaves to the server.

mod direct;
mod framing;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Request, Response};
use tower_lsp::{LspService, Server};

use super::server;
use tower_service::Service;

/// Serves LSP on stdin/stdout until the client says `exit` (or closes stdin).
pub fn run() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let (frames, to_client) = tokio::sync::mpsc::channel(64);
        // Published diagnostics go out after any answer that is waiting.
        let (publish, background) = tokio::sync::mpsc::channel(16);
        let (service, socket) = LspService::new(move |client| server::Server::new(client, publish));
        // tower-lsp talks to in-memory pipes; `transport` does the framing on
        // the real stdin/stdout (see `framing`).
        let (client_in, server_in) = tokio::io::duplex(64 * 1024);
        let (server_out, client_out) = tokio::io::duplex(64 * 1024);
        let server = service.inner().clone();
        let service = Protocol {
            inner: service,
            server,
            answers: frames.clone(),
            shut_down: Arc::new(AtomicBool::new(false)),
            initializing: Arc::default(),
        };
        tokio::join!(
            Server::new(server_in, server_out, socket).serve(service),
            framing::read_client(tokio::io::stdin(), client_in, frames.clone()),
            framing::read_server(client_out, frames),
            framing::write_client(to_client, background, tokio::io::stdout()),
        );
    });
    // Stdin is read on a blocking thread that never returns by itself.
    runtime.shutdown_background();
    Ok(())
}

/// What tower-lsp leaves to the server, done around it:
/// - `exit` ends the process, as the protocol asks (status 0 after
///   `shutdown`, 1 without): tower-lsp alone would wait for stdin to close.
/// - Every request gets a reply: tower-lsp drops requests for unknown `$/`
///   methods silently, leaving the client waiting; they get MethodNotFound.
/// - The requests with large answers are answered beside tower-lsp, their
///   frames sent to the client directly (see `direct`).
/// - `"params": null` counts as no params (Eglot, lsp4j and Zed send it with
///   `shutdown`, which tower-lsp would refuse as InvalidParams after having
///   shut down anyway), and `initialized` without params as `{}` (else it
///   would be dropped as malformed and the workspace never indexed).
/// - While `initialize` is being answered, the next message waits: tower-lsp
///   marks itself initialized only once that answer is made, and would drop
///   an `initialized` sent right behind `initialize` (the workspace would
///   never be indexed).
/// - Any request before `initialize` gets -32002 (server not initialized)
///   and any after `shutdown` -32600 (invalid request), unknown methods
///   included: tower-lsp answers those -32601.
struct Protocol<S> {
    inner: S,
    server: server::Server,
    /// Where the frames of `direct` answers go, beside tower-lsp's output.
    answers: tokio::sync::mpsc::Sender<Vec<u8>>,
    shut_down: Arc<AtomicBool>,
    initializing: Arc<Initializing>,
}

/// Whether an `initialize` is being answered, and who waits for it to be.
#[derive(Default)]
struct Initializing {
    busy: AtomicBool,
    waiting: std::sync::Mutex<Option<std::task::Waker>>,
}

impl Initializing {
    fn done(&self) {
        self.busy.store(false, Ordering::SeqCst);
        if let Some(waker) = self.waiting.lock().unwrap_or_else(|p| p.into_inner()).take() {
            waker.wake();
        }
    }
}

impl<S> Service<Request> for Protocol<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        if self.initializing.busy.load(Ordering::SeqCst) {
            *self.initializing.waiting.lock().unwrap_or_else(|p| p.into_inner()) = Some(cx.waker().clone());
            // Answered in between: no wake-up would come.
            if self.initializing.busy.load(Ordering::SeqCst) {
                return Poll::Pending;
            }
        }
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let refusal = match request.method() {
            "shutdown" if self.server.is_initialized() => {
                self.shut_down.store(true, Ordering::SeqCst);
                None
            }
            "exit" => std::process::exit(if self.shut_down.load(Ordering::SeqCst) { 0 } else { 1 }),
            "initialize" => None,
            _ if self.shut_down.load(Ordering::SeqCst) => Some(Error::invalid_request()),
            _ if !self.server.is_initialized() => Some(not_initialized()),
            _ => None,
        };
        if let (Some(error), Some(id)) = (refusal, request.id()) {
            let response = Response::from_error(id.clone(), error);
            return Box::pin(async move { Ok(Some(response)) });
        }
        if request.method() == "initialize" && !self.server.is_initialized() {
            self.initializing.busy.store(true, Ordering::SeqCst);
            let initializing = self.initializing.clone();
            let response = self.inner.call(request);
            return Box::pin(async move {
                let response = response.await;
                initializing.done();
                response
            });
        }
        let (method, id, params) = request.into_parts();
        let params = match params {
            None | Some(Value::Null) if method == "initialized" => Some(Value::Object(Default::default())),
            Some(Value::Null) => None,
            params => params,
        };
        if let Some(id) = &id
            && self.server.is_initialized()
            && !self.shut_down.load(Ordering::SeqCst)
            && let Some(answer) = direct::answer(&self.server, &method, id, params.as_ref())
        {
            let answers = self.answers.clone();
            return Box::pin(async move {
                let frame = answer.await;
                // Memory is given back after an answer large enough to have
                // taken megabytes to build (a rename, references of a main
                // actor); trimming the heap costs milliseconds, more than a
                // note's semantic tokens take to compute.
                let large = frame.len() >= direct::LARGE_ANSWER;
                // A closed channel means the client is gone: nothing to tell.
                let _ = answers.send(frame).await;
                if large {
                    crate::analysis::release_free_memory();
                }
                Ok(None)
            });
        }
        let mut builder = Request::build(method.clone());
        if let Some(params) = params {
            builder = builder.params(params);
        }
        if let Some(id) = id.clone() {
            builder = builder.id(id);
        }
        let response = self.inner.call(builder.finish());
        Box::pin(async move {
            let response = response.await?;
            Ok(match (response, id) {
                (None, Some(id)) => {
                    let mut error = Error::method_not_found();
                    error.data = Some(Value::from(method.into_owned()));
                    Some(Response::from_error(id, error))
                }
                (response, _) => response,
            })
        })
    }
}

/// -32002, as tower-lsp answers the methods it knows before `initialize`.
fn not_initialized() -> Error {
    Error {
        code: tower_lsp::jsonrpc::ErrorCode::ServerError(-32002),
        message: "Server not initialized".into(),
        data: None,
    }
}
