//! `dossier lsp`: the language server over stdio. A thin layer: `convert`
//! owns positions, `state` owns the documents and what was published,
//! `server` turns requests into core queries.

pub mod convert;
mod server;
pub mod state;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use tower_lsp::jsonrpc::{Request, Response};
use tower_lsp::{LspService, Server};
use tower_service::Service;

/// Serves LSP on stdin/stdout until the client says `exit`.
pub fn run() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let (service, socket) = LspService::new(server::Server::new);
        let service = EndsOnExit { inner: service, shut_down: Arc::new(AtomicBool::new(false)) };
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
    });
    // Stdin is read on a blocking thread that never returns by itself.
    runtime.shutdown_background();
    Ok(())
}

/// Ends the process on `exit`, as the protocol asks (status 0 after
/// `shutdown`, 1 without): tower-lsp alone would wait for stdin to close.
struct EndsOnExit<S> {
    inner: S,
    shut_down: Arc<AtomicBool>,
}

impl<S> Service<Request> for EndsOnExit<S>
where
    S: Service<Request, Response = Option<Response>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        match request.method() {
            "shutdown" => self.shut_down.store(true, Ordering::SeqCst),
            "exit" => std::process::exit(if self.shut_down.load(Ordering::SeqCst) { 0 } else { 1 }),
            _ => {}
        }
        self.inner.call(request)
    }
}
