//! Dossier: a language server and linter for annotated analysis notes.
//!
//! The core (`syntax`, `text`, `workspace`, `analysis`, `config`) knows
//! nothing of LSP; `cli` renders its answers for the terminal and for CI.

pub mod analysis;
pub mod bibliography;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod lsp;
pub mod rule;
pub mod syntax;
pub mod text;
pub mod today;
pub mod workspace;
