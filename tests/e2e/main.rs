//! The end-to-end tests: each drives the built `dossier` binary (or an
//! editor running it) as a separate process. They are modules of one test
//! binary, so the crate and its dependencies are linked once for all of
//! them; `cargo test --test e2e MODULE::` runs one module, e.g.
//! `cargo test --test e2e editors::neovim`.

mod cli;
mod code_actions;
mod data_safety;
mod editors;
mod example;
mod fix;
mod hostile;
mod lsp;
mod protocol_abuse;
mod rules_init;
mod support;
