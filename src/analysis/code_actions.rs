//! Code actions in core terms (SPEC §6): what can be done at a place of a
//! note, as plain edits with byte ranges and a safety, for the language
//! server and `dossier check --fix` alike: the queries, and how several
//! fixes are applied at once. The types are in `action.rs`, the quick fixes
//! beside the rules in `fixes.rs`, the refactors in `refactors.rs`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::action::{Action, ActionOptions, FileEdit, Fix, Replacement, Safety, Wanted};
use super::diagnostics::{Checker, RuleContext, syntax_rule};
use super::{fixes, refactors};
use crate::diagnostic::{Diagnostic, Rule};
use crate::text::TextRange;
use crate::workspace::{DocId, Workspace};

/// The most findings a client may name outside the requested range that
/// are looked up (each costs a pass over the note's items).
const MAX_REPORTED: usize = 64;
/// The most findings one request fixes (the first in text order): a
/// selection of a whole note full of findings asks for a menu nobody reads,
/// and some fixes cost a walk of their paragraph or of the workspace's notes.
pub const MAX_FIXED: usize = 50;

/// The actions at `range` of `doc`: the quick fixes of the findings whose
/// range touches it (ends included) or that match one of `reported`
/// (the findings the client says are there: rule and range), and the
/// refactors of a non-empty selection. The findings come from the rules
/// themselves, never from the client: one it names that the rules do not
/// report gets nothing.
pub fn code_actions(
    workspace: &Workspace,
    context: &RuleContext,
    doc: DocId,
    range: TextRange,
    reported: &[(Rule, TextRange)],
    wanted: Wanted,
    options: ActionOptions,
) -> Vec<Action> {
    let mut actions = Vec::new();
    if wanted.quick_fixes {
        let checker = Checker::new(workspace, context);
        let mut found = checker.check_within(doc, range);
        let outside = reported.iter().filter(|(_, r)| !(r.start <= range.end && range.start <= r.end));
        for &(rule, at) in outside.take(MAX_REPORTED) {
            found.extend(checker.check_within(doc, at).into_iter().filter(|d| d.rule == rule && d.range == at));
        }
        found.sort_by_key(|d| (d.range.start, d.range.end, d.rule));
        found.dedup_by(|a, b| (a.rule, a.range) == (b.rule, b.range));
        found.truncate(MAX_FIXED);
        let fixer = fixes::Fixer::new(workspace, context, doc, options);
        for diagnostic in found {
            actions.extend(fixer.fixes(&diagnostic));
        }
    }
    if wanted.refactors && !range.is_empty() {
        actions.extend(refactors::refactors(workspace, context, doc, range, options));
    }
    actions
}

/// Every action fixing one finding of `doc` (as the rules reported it).
pub fn fixes_of(
    workspace: &Workspace,
    context: &RuleContext,
    doc: DocId,
    diagnostic: &Diagnostic,
    options: ActionOptions,
) -> Vec<Action> {
    fixes::Fixer::new(workspace, context, doc, options).fixes(diagnostic)
}

/// Every safe fix of `doc`, in text order, none overlapping another (see
/// [`non_overlapping`]): what `source.fixAll.dossier` and `--fix` apply.
/// Only findings reported at the configured severity are fixed.
pub fn safe_fixes(workspace: &Workspace, context: &RuleContext, doc: DocId) -> Vec<Action> {
    let document = workspace.document(doc);
    let safe_rules: Vec<Rule> =
        Fix::ALL.iter().filter(|f| f.safety() == Safety::Safe).flat_map(|f| f.rules()).copied().collect();
    // Only syntax errors have safe fixes: they are read straight from the
    // parse, without running the other rules.
    debug_assert!(safe_rules.iter().all(|r| matches!(r, Rule::InvalidMetadata | Rule::InvalidField)));
    let fixer = fixes::Fixer::new(workspace, context, doc, ActionOptions::default());
    let mut actions = Vec::new();
    for error in &document.parse.errors {
        let rule = syntax_rule(error.kind);
        let Some(severity) = workspace.config.severity(rule) else { continue };
        if !safe_rules.contains(&rule) {
            continue;
        }
        let diagnostic =
            Diagnostic { rule, severity, range: error.range, message: error.message.clone(), related: Vec::new() };
        actions.extend(fixer.fixes(&diagnostic).into_iter().filter(|a| a.safety() == Safety::Safe));
    }
    non_overlapping(actions)
}

/// The unsafe fix of each of `found` (findings of `doc`, as the rules
/// reported them) that has exactly one unsafe action other than "Define"
/// (SPEC §6): what `--unsafe-fixes` adds to the safe ones. Never-safe
/// actions are never among them. A rule offering two kinds of unsafe
/// action ("Tag `Name`" and "Tag every untagged `@id`") never qualifies,
/// although "Tag every" is offered on the first such finding of a note
/// only: which finding is first must not decide what is applied.
pub fn unsafe_fixes(workspace: &Workspace, context: &RuleContext, doc: DocId, found: &[Diagnostic]) -> Vec<Action> {
    let is_candidate = |fix: Fix| fix.safety() == Safety::Unsafe && fix != Fix::Define;
    let fixer = fixes::Fixer::new(workspace, context, doc, ActionOptions::default());
    let mut out = Vec::new();
    // Where the last unclosed claim is closed. A claim opened before that
    // point would be closed at the very same point (its search for a `}`
    // ends where the other's did), an edit that `non_overlapping` drops: it
    // is not computed, so that a paragraph of ten thousand `{` costs one
    // walk to its end, not one per `{`.
    let mut closed_at: Option<u32> = None;
    for diagnostic in found {
        if Fix::of_rule(diagnostic.rule).filter(|f| is_candidate(*f)).count() != 1 {
            continue;
        }
        let unclosed = diagnostic.rule == Rule::UnclosedClaim;
        if unclosed && closed_at.is_some_and(|at| diagnostic.range.start < at) {
            continue;
        }
        let mut candidates = fixer.fixes(diagnostic).into_iter().filter(|a| a.fix.is_some_and(is_candidate));
        if let (Some(only), None) = (candidates.next(), candidates.next()) {
            if unclosed {
                closed_at = only.edits.iter().find_map(|e| match e {
                    FileEdit::Edit { replacements, .. } => replacements.first().map(|r| r.range.start),
                    FileEdit::Create { .. } => None,
                });
            }
            out.push(only);
        }
    }
    out
}

/// The actions of `actions` that can be applied together: taken in text
/// order (of their first edit), an action is dropped when one of its edits
/// overlaps an edit of one taken before it (two insertions at one offset
/// overlap; edits that only meet do not). The first in text order wins; a
/// second run of the fixes then finds what was dropped.
pub fn non_overlapping(mut actions: Vec<Action>) -> Vec<Action> {
    let first = |a: &Action| {
        a.edits.iter().find_map(|e| match e {
            FileEdit::Edit { doc, replacements } => replacements.first().map(|r| (*doc, r.range.start, r.range.end)),
            FileEdit::Create { .. } => None,
        })
    };
    actions.sort_by_key(|a| first(a).map(|(doc, start, end)| (doc.0, start, end)));
    // The ranges taken, by document and start: they do not overlap one
    // another, so sorted by start their ends rise too, and a range can only
    // overlap the one taken just before its start or those starting inside
    // it. A look-up per edit, not a walk of all those taken: `--fix` takes
    // every fix of a note at once.
    let mut taken: BTreeSet<(u32, u32, u32)> = BTreeSet::new();
    let mut created: BTreeSet<PathBuf> = BTreeSet::new();
    let clashes = |taken: &BTreeSet<(u32, u32, u32)>, doc: DocId, r: TextRange| {
        let (d, start, end) = (doc.0, r.start, r.end);
        // Starting inside it, or where it starts (an insertion there included).
        let last_start = if end > start { end - 1 } else { start };
        if taken.range((d, start, 0)..=(d, last_start, u32::MAX)).next().is_some() {
            return true;
        }
        // Starting before it and reaching past its start.
        taken.range(..(d, start, 0)).next_back().is_some_and(|&(td, _, tend)| td == d && start < tend)
    };
    let mut out = Vec::new();
    for action in actions {
        let clash = action.edits.iter().any(|edit| match edit {
            FileEdit::Edit { doc, replacements } => replacements.iter().any(|r| clashes(&taken, *doc, r.range)),
            FileEdit::Create { path, .. } => created.contains(path),
        });
        if clash {
            continue;
        }
        for edit in &action.edits {
            match edit {
                FileEdit::Edit { doc, replacements } => {
                    taken.extend(replacements.iter().map(|r| (doc.0, r.range.start, r.range.end)))
                }
                FileEdit::Create { path, .. } => {
                    created.insert(path.clone());
                }
            }
        }
        out.push(action);
    }
    out
}

/// The replacements of `actions` in `doc`, sorted: what applying them all
/// does to that document (they must not overlap: see [`non_overlapping`]).
pub fn replacements_in(actions: &[Action], doc: DocId) -> Vec<Replacement> {
    let mut out: Vec<Replacement> = actions
        .iter()
        .flat_map(|a| &a.edits)
        .filter_map(|e| match e {
            FileEdit::Edit { doc: d, replacements } if *d == doc => Some(replacements.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect();
    out.sort_by_key(|r| (r.range.start, r.range.end));
    out
}

/// `text` with non-overlapping `replacements` applied, each range read
/// against `text` as it is.
pub fn apply(text: &str, replacements: &[Replacement]) -> String {
    let mut sorted: Vec<&Replacement> = replacements.iter().collect();
    sorted.sort_by_key(|r| (r.range.start, r.range.end));
    let mut out = String::with_capacity(text.len() + sorted.iter().map(|r| r.text.len()).sum::<usize>());
    let mut at = 0;
    for r in sorted {
        let (start, end) = (r.range.start as usize, r.range.end as usize);
        debug_assert!(at <= start, "overlapping replacements");
        out.push_str(&text[at..start.max(at)]);
        out.push_str(&r.text);
        at = end.max(at);
    }
    out.push_str(&text[at..]);
    out
}
