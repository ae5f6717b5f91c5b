//! The one diagnostic type, filled by the rules and only rendered by the CLI
//! and the server.

use crate::text::TextRange;
use crate::workspace::DocId;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident;)*) => {
        /// Every rule, with its id (a diagnostic's `code`) and default severity.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
        pub enum Rule { $($variant,)* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $($id => Some(Rule::$variant),)* _ => None }
            }
        }
    };
}

rules! {
    UnclosedClaim = "unclosed-claim", Error;
    NestedClaim = "nested-claim", Error;
    InvalidMetadata = "invalid-metadata", Error;
    InvalidField = "invalid-field", Error;
    UnknownActor = "unknown-actor", Error;
    UnknownSource = "unknown-source", Error;
    UnknownClaim = "unknown-claim", Error;
    DuplicateDefinition = "duplicate-definition", Error;
    UnsourcedClaim = "unsourced-claim", Warning;
    MissingSpeaker = "missing-speaker", Warning;
    MissingConfidence = "missing-confidence", Warning;
    MissingEstimate = "missing-estimate", Warning;
    WeakSourcing = "weak-sourcing", Info;
    UntaggedMention = "untagged-mention", Hint;
    UnusedDefinition = "unused-definition", Hint;
    InvalidConfig = "invalid-config", Error;
    InvalidUtf8 = "invalid-utf8", Error;
    UnreadableFile = "unreadable-file", Error;
}

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
