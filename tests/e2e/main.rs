//! The end-to-end tests: each drives the built `dossier` binary (or an
//! editor running it) as a separate process. They are modules of one test
//! binary, so the crate and its dependencies are linked once for all of
//! them; `cargo test --test e2e MODULE::` runs one module, e.g.
//! `cargo test --test e2e editors::neovim`.

mod cli;
mod data_safety;
mod editors;
mod example;
mod forecasts;
mod hostile;
mod lsp;
mod protocol_abuse;
mod report;
mod rules_init;
mod stats_export;
mod support;
