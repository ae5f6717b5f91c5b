//! Questions asked of a workspace, answered in core terms (documents and
//! byte ranges): the rules, hover, definition, references, rename,
//! completion and symbols.

mod completion;
mod diagnostics;
pub mod export;
pub mod forecast;
mod host;
mod hover;
mod names;
mod navigation;
pub mod stats;
mod suggest;
mod symbols;

pub use completion::{Completion, CompletionKind, complete};
pub use diagnostics::{Checker, RuleContext, check_workspace};
pub use host::{Changes, FileEvent, Host, PathStat, RenameEdits, release_free_memory};
pub use hover::{Hover, hover};
pub use names::ActorNames;
pub use navigation::{IdAt, Location, RenameError, definition, highlights, id_at, prepare_rename, references, rename};
pub use symbols::{Symbol, SymbolKind, WorkspaceSymbol, document_symbols, workspace_symbols};

#[cfg(test)]
mod tests;
