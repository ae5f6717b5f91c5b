//! The end-to-end tests: each drives the built `dossier` binary (or an
//! editor running it) as a separate process. They are modules of one test
//! binary, so the crate and its dependencies are linked once for all of
//! them; `cargo test --test e2e MODULE::` runs one module, e.g.
//! `cargo test --test e2e editors::neovim`.

mod bibliography;
mod cli;
mod code_actions;
mod data_safety;
mod decorations;
mod editors;
mod example;
mod fix;
mod forecasts;
mod github_workflow;
mod hostile;
mod lsp;
mod precommit;
mod protocol_abuse;
mod report;
mod rules_init;
mod sarif;
mod stats_export;
mod support;
