//! Questions asked of a workspace, answered in core terms (documents and
//! byte ranges): the rules and their fixes, hover, definition, references,
//! rename, completion, symbols and code actions; and what an editor shows
//! over the text: semantic tokens, inlay hints, code lens, links and folding
//! ranges.

mod action;
mod code_actions;
mod completion;
mod diagnostics;
pub mod export;
mod fixes;
pub mod forecast;
mod hints;
mod host;
mod hover;
mod lens;
mod names;
mod navigation;
mod ranges;
mod refactors;
pub mod stats;
mod suggest;
mod symbols;
mod tokens;

pub use action::{Action, ActionKind, ActionOptions, FileEdit, Fix, Replacement, Safety, Wanted};
pub use code_actions::{apply, code_actions, fixes_of, non_overlapping, replacements_in, safe_fixes, unsafe_fixes};
pub use completion::{Completion, CompletionKind, complete};
pub use diagnostics::{Checker, RuleContext, check_workspace};
pub use hints::{InlayHint, inlay_hints};
pub use host::{Changes, FileEvent, Host, PathStat, RenameEdits, Shown, release_free_memory};
pub use hover::{Hover, hover};
pub use lens::{Lens, code_lenses, lens_title};
pub use names::ActorNames;
pub use navigation::{IdAt, Location, RenameError, definition, highlights, id_at, prepare_rename, references, rename};
pub use ranges::{DocumentLink, document_links, folding_ranges};
pub use refactors::slug;
pub use symbols::{Symbol, SymbolKind, WorkspaceSymbol, document_symbols, workspace_symbols};
pub use tokens::{KeptTokens, Modifiers, Reused, Token, TokenKind, semantic_tokens, semantic_tokens_reusing};

#[cfg(test)]
mod tests;
