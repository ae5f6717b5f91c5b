//! Questions asked of a workspace, answered in core terms (documents and
//! byte ranges): the rules and their fixes, hover, definition, references,
//! rename, completion, symbols and code actions.

mod actions;
mod completion;
mod diagnostics;
mod fixes;
mod host;
mod hover;
mod names;
mod navigation;
mod refactors;
mod suggest;
mod symbols;

pub use actions::{
    Action, ActionKind, ActionOptions, FileEdit, Fix, Replacement, Safety, Wanted, apply, code_actions, fixes_of,
    non_overlapping, replacements_in, safe_fixes, unsafe_fixes,
};
pub use completion::{Completion, CompletionKind, complete};
pub use diagnostics::{Checker, RuleContext, check_workspace};
pub use host::{Changes, FileEvent, Host, PathStat, RenameEdits, release_free_memory};
pub use hover::{Hover, hover};
pub use names::ActorNames;
pub use navigation::{IdAt, Location, RenameError, definition, highlights, id_at, prepare_rename, references, rename};
pub use refactors::slug;
pub use symbols::{Symbol, SymbolKind, WorkspaceSymbol, document_symbols, workspace_symbols};

#[cfg(test)]
mod tests;
