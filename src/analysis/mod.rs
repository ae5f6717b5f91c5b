//! Questions asked of a workspace, answered in core terms (documents and
//! byte ranges): the rules today; hover, definition, references, rename,
//! completion and symbols build on the same index.

mod diagnostics;
mod names;
mod suggest;

pub use diagnostics::{Checker, check_workspace};
pub use names::ActorNames;
