//! A code action in core terms (SPEC §6): its kind, its safety, its edits
//! as byte ranges, and the table of every kind of quick fix. What computes
//! actions lives beside: the quick fixes next to the rules (`fixes.rs`), the
//! refactors of a selection (`refactors.rs`), the queries (`code_actions.rs`).

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Rule};
use crate::text::TextRange;
use crate::workspace::DocId;

/// Whether a fix may be applied without the analyst looking at it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub enum Safety {
    /// It cannot change what the analyst meant: `--fix` and
    /// `source.fixAll.dossier` apply it.
    Safe,
    /// It guesses what was meant: offered, and applied by `--unsafe-fixes`
    /// when it is a finding's only unsafe action.
    Unsafe,
    /// A choice only the analyst can make (a confidence, a probability, a
    /// source): offered, never applied automatically. Refactors are too.
    Never,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
            Safety::Never => "never applied automatically",
        }
    }
}

/// How a code action is presented: a fix of a finding, or a rewrite of a selection.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ActionKind {
    QuickFix,
    RefactorRewrite,
}

macro_rules! fix_table {
    ($($variant:ident { rules: [$($rule:ident),*], safety: $safety:ident, preferred: $preferred:literal, does: $does:literal, why: $why:literal $(,)? })*) => {
        /// Every kind of quick fix, with the rules it fixes, its safety and
        /// what it does: the one table that the fixes, the docs of
        /// `dossier rules ID` and the tests read.
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        pub enum Fix { $($variant,)* }

        impl Fix {
            pub const ALL: &'static [Fix] = &[$(Fix::$variant,)*];

            /// The rules whose findings it fixes.
            pub fn rules(self) -> &'static [Rule] {
                match self { $(Fix::$variant => &[$(Rule::$rule),*],)* }
            }

            pub fn safety(self) -> Safety {
                match self { $(Fix::$variant => Safety::$safety,)* }
            }

            /// Whether the editor should offer it first (`isPreferred`).
            pub fn preferred(self) -> bool {
                match self { $(Fix::$variant => $preferred,)* }
            }

            /// What it does, in one line.
            pub fn does(self) -> &'static str {
                match self { $(Fix::$variant => $does,)* }
            }

            /// Why it has its safety.
            pub fn why(self) -> &'static str {
                match self { $(Fix::$variant => $why,)* }
            }
        }
    };
}

fix_table! {
    ValueSpelling {
        rules: [InvalidMetadata], safety: Safe, preferred: true,
        does: "a misspelt value of `kind:`, `conf:`, `est:` or `outcome:` with exactly one allowed value within edit distance 2 becomes that value (`conf:hgh` → `conf:high`)",
        why: "only one value is that close, so it is the one that was meant",
    }
    FieldValue {
        rules: [InvalidField], safety: Safe, preferred: false,
        does: "a `reliability` grade in lower case is upper-cased (`b2` → `B2`); a `date` with a one-digit month or day is zero-padded (`2014-5-1` → `2014-05-01`) when that date is real",
        why: "the value says the same thing, written as the format requires",
    }
    IdSuggestion {
        rules: [UnknownActor, UnknownSource, UnknownClaim], safety: Unsafe, preferred: true,
        does: "the unknown id becomes the defined id that the message suggests",
        why: "the nearest id may not be the one meant",
    }
    Define {
        rules: [UnknownActor, UnknownSource], safety: Unsafe, preferred: false,
        does: "\"Define\": appends `@x: x` (or `^x: x`) to the note holding most definitions of that kind, or creates `actors.md` / `sources.md` at the workspace root",
        why: "the id may be a typo, and the name is a placeholder to fill in",
    }
    TagName {
        rules: [UntaggedMention], safety: Unsafe, preferred: false,
        does: "the name becomes the link form `[Name](@id)`",
        why: "the same words may name someone else here",
    }
    TagEvery {
        rules: [UntaggedMention], safety: Unsafe, preferred: false,
        does: "\"Tag every untagged `@id` in this note\": every untagged name of that actor in the note becomes a link form",
        why: "the same words may name someone else somewhere in the note",
    }
    AddSpeaker {
        rules: [MissingSpeaker], safety: Unsafe, preferred: false,
        does: "adds `by:@id`, one action per actor mentioned in the claim's text",
        why: "the speaker is not always among the actors the quote names",
    }
    AddConfidence {
        rules: [MissingConfidence], safety: Never, preferred: false,
        does: "adds `conf:low`, `conf:moderate` or `conf:high` (three actions)",
        why: "a confidence is the analyst's judgement",
    }
    AddEstimate {
        rules: [MissingEstimate], safety: Never, preferred: false,
        does: "adds one of the seven `est:` terms, each titled with its probability range",
        why: "a probability is the analyst's judgement",
    }
    AddSource {
        rules: [UnsourcedClaim], safety: Never, preferred: false,
        does: "adds `^key`, one action per source cited by another claim of the same paragraph (the first five, in text order)",
        why: "only the analyst knows which source supports the claim",
    }
    CloseClaim {
        rules: [UnclosedClaim], safety: Unsafe, preferred: false,
        does: "inserts `}` at the end of the claim's last line",
        why: "the claim may have been meant to end earlier",
    }
}

impl Fix {
    /// The fixes of one rule, in the table's order.
    pub fn of_rule(rule: Rule) -> impl Iterator<Item = Fix> {
        Fix::ALL.iter().copied().filter(move |fix| fix.rules().contains(&rule))
    }
}

/// One replacement in a document's text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Replacement {
    pub range: TextRange,
    pub text: String,
}

/// What an action does to one file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FileEdit {
    /// Replacements in a document of the workspace, sorted, none overlapping.
    Edit { doc: DocId, replacements: Vec<Replacement> },
    /// A new file, which no document of the workspace is at, holding `text`.
    Create { path: PathBuf, text: String },
}

/// A code action: a title, what it fixes if anything, and its edits.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    /// The kind of quick fix; `None` for a refactor.
    pub fix: Option<Fix>,
    /// The finding it fixes, as the rules reported it.
    pub fixes: Option<Diagnostic>,
    pub edits: Vec<FileEdit>,
}

impl Action {
    pub fn safety(&self) -> Safety {
        self.fix.map_or(Safety::Never, Fix::safety)
    }

    pub fn is_preferred(&self) -> bool {
        self.fix.is_some_and(Fix::preferred)
    }
}

/// Which actions a caller wants computed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Wanted {
    pub quick_fixes: bool,
    pub refactors: bool,
}

impl Wanted {
    pub const ALL: Wanted = Wanted { quick_fixes: true, refactors: true };
}

/// What the caller can do with the edits.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ActionOptions {
    /// Whether an action may create a file ("Define" with no note holding
    /// definitions of that kind); without it such an action is not offered.
    pub create_files: bool,
}
