//! The rule table: every rule's id and default severity. The configuration
//! names rules by these ids, the rules fill diagnostics with them.

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

            /// Whether its findings are about markup that does nothing,
            /// which editors show faded rather than underlined.
            pub fn marks_unneeded(self) -> bool {
                matches!(self, Rule::UnusedDefinition)
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
