//! The one diagnostic type, filled by the rules and only rendered by the CLI
//! and the server.

pub use crate::rule::{Rule, Severity};
use crate::text::TextRange;
use crate::workspace::DocId;

/// Another place that matters to a diagnostic (the first of two definitions).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Related {
    pub doc: DocId,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub related: Vec<Related>,
}
