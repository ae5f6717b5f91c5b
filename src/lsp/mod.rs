//! `dossier lsp`: the language server over stdio. A thin layer: `convert`
//! owns positions, `state` owns the documents and what was published,
//! `server` turns requests into core queries, `transport` reads and writes
//! the frames on stdio.

pub mod convert;
mod direct;
mod server;
pub mod state;
mod transport;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use serde_json::Value;
use tower_lsp::jsonrpc::{Error, Request, Response};
use tower_lsp::{LspService, Server};
use tower_service::Service;

/// Serves LSP on stdin/stdout until the client says `exit` (or closes stdin).
pub fn run() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let (service, socket) = LspService::new(server::Server::new);
        // tower-lsp talks to in-memory pipes; `transport` does the framing on
        // the real stdin/stdout (see there why).
        let (client_in, server_in) = tokio::io::duplex(64 * 1024);
        let (server_out, client_out) = tokio::io::duplex(64 * 1024);
        let (frames, to_client) = tokio::sync::mpsc::channel(64);
        let server = service.inner().clone();
        let service =
            Protocol { inner: service, server, answers: frames.clone(), shut_down: Arc::new(AtomicBool::new(false)) };
        tokio::join!(
            Server::new(server_in, server_out, socket).serve(service),
            transport::read_client(tokio::io::stdin(), client_in, frames.clone()),
            transport::read_server(client_out, frames),
            transport::write_client(to_client, tokio::io::stdout()),
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
struct Protocol<S> {
    inner: S,
    server: server::Server,
    /// Where the frames of `direct` answers go, beside tower-lsp's output.
    answers: tokio::sync::mpsc::Sender<Vec<u8>>,
    shut_down: Arc<AtomicBool>,
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
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        match request.method() {
            "shutdown" => self.shut_down.store(true, Ordering::SeqCst),
            "exit" => std::process::exit(if self.shut_down.load(Ordering::SeqCst) { 0 } else { 1 }),
            _ => {}
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
                // A closed channel means the client is gone: nothing to tell.
                let _ = answers.send(answer.await).await;
                state::release_free_memory();
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
