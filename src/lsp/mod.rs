//! `dossier lsp`: the language server over stdio. A thin layer: `convert`
//! owns positions, `state` owns the documents and what was published,
//! `server` turns requests into core queries.

mod convert;
mod server;
mod state;

use tower_lsp::{LspService, Server};

/// Serves LSP on stdin/stdout until the client says `exit`.
pub fn run() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let (service, socket) = LspService::new(server::Server::new);
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
    });
    Ok(())
}
