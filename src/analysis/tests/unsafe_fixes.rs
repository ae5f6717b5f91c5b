//! `unsafe_fixes` (SPEC §6, `--unsafe-fixes`): the unsafe fix of each
//! finding that has exactly one unsafe action other than "Define", and
//! nothing for the findings with two, with only "Define", or with
//! never-safe actions.

use std::path::PathBuf;

use super::with_defs;
use crate::analysis::{Checker, RuleContext, apply, non_overlapping, replacements_in, unsafe_fixes};
use crate::config::Config;
use crate::workspace::{Document, Workspace};

/// `note.md` (the last file of the fixture) with the unsafe fixes applied,
/// and their titles.
fn fixed(fixture: &str) -> (String, Vec<String>) {
    let mut workspace = Workspace::new(PathBuf::from("/ws"), Config::default());
    let mut doc = None;
    for file in fixture.split("//- ").filter(|f| !f.is_empty()) {
        let (path, text) = file.split_once('\n').unwrap();
        doc = Some(workspace.insert(Document::new(PathBuf::from("/ws").join(path), text.to_string())));
    }
    let doc = doc.unwrap();
    let context = RuleContext::new(&workspace);
    let found = Checker::new(&workspace, &context).check(doc);
    let actions = non_overlapping(unsafe_fixes(&workspace, &context, doc, &found));
    let titles = actions.iter().map(|a| a.title.clone()).collect();
    (apply(&workspace.document(doc).text, &replacements_in(&actions, doc)), titles)
}

#[test]
fn the_one_unsafe_action_of_a_finding_is_taken() {
    let (text, titles) = fixed(&with_defs(
        "//- note.md\n’ — Кремль 中俄 😀 {@putin said it | kind:quote ^reuters} by @puttin.\n\n’ — 🛢 {open | ^tass\n",
    ));
    assert_eq!(
        text,
        "’ — Кремль 中俄 😀 {@putin said it | kind:quote ^reuters by:@putin} by @putin.\n\n’ — 🛢 {open | ^tass}\n"
    );
    assert_eq!(
        titles,
        [
            "Add `by:@putin` (the speaker)",
            "Change `@puttin` to `@putin`",
            "Close the claim with `}` at the end of its last line"
        ]
    );
}

#[test]
fn two_actions_define_alone_and_never_safe_actions_are_not_taken() {
    let note = "//- note.md\n’ — Кремль 中俄 😀 {@putin and @xi said | kind:quote ^reuters} Putin met @zzqx.\n\
                ’ — 🛢 {a | kind:assessment ^reuters} {b | kind:forecast ^tass} {c}\n";
    let (text, titles) = fixed(&with_defs(note));
    assert_eq!(text, note.trim_start_matches("//- note.md\n"));
    assert_eq!(titles, Vec::<String>::new());
}
