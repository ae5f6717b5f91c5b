//! `dossier lsp`: the language server over stdio, a thin layer over the
//! core. `from_lsp` and `to_lsp` convert what crosses the protocol (the only
//! code that builds LSP types), `state` holds the editor's documents and
//! what was last published, `server` turns each request into a core query,
//! `frame` writes messages straight into their frames, `outbox` orders the
//! published diagnostics, `token_results` keeps the semantic tokens last
//! sent (for deltas), and `stdio` holds what is done around tower-lsp.

mod frame;
pub mod from_lsp;
mod outbox;
mod server;
pub mod state;
mod stdio;
pub mod to_lsp;
mod token_results;

pub use stdio::run;
