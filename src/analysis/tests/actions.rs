//! Code actions in the core (SPEC §6): every row of the table on a
//! fixture, the action chosen by its title and applied, and the whole text
//! of each file it edits compared; the near misses where nothing is
//! offered. `$0` is the cursor; `[[…]]` (or `«…»`) the selection, when there is one.

use std::path::PathBuf;

use super::{DEFS, strip_markers, with_defs};
use crate::analysis::{
    Action, ActionOptions, FileEdit, Fix, Replacement, RuleContext, Safety, Wanted, apply, code_actions,
    non_overlapping, safe_fixes,
};
use crate::config::Config;
use crate::text::TextRange;
use crate::workspace::{DocId, Document, Workspace};

const CREATE: ActionOptions = ActionOptions { create_files: true };

/// The workspace, the document holding the cursor or selection, and the range.
fn load(fixture: &str) -> (Workspace, DocId, TextRange) {
    let mut workspace = Workspace::new(PathBuf::from("/ws"), Config::default());
    let mut at = None;
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        match line.strip_prefix("//- ") {
            Some(path) => files.push((path.trim().to_string(), String::new())),
            None => files.last_mut().expect("fixture starts with `//- path`").1.push_str(line),
        }
    }
    for (path, text) in files {
        // `«…»` marks a selection where `[[…]]` cannot (the words of a link
        // form), in a file with no other marker.
        let guillemets = text.find('«').zip(text.find('»'));
        let (text, cursor, mut ranges) = strip_markers(&text.replace(['«', '»'], ""));
        if let Some((open, close)) = guillemets {
            ranges.insert(0, TextRange::new(open, close - '«'.len_utf8()));
        }
        let path = PathBuf::from("/ws").join(path);
        let document = match path.extension().is_some_and(|e| e == "bib") {
            true => Document::bibliography(path, text, crate::bibliography::Format::Bibtex),
            false => Document::new(path, text),
        };
        let doc = workspace.insert(document);
        let range = ranges.first().copied().or(cursor.map(TextRange::empty));
        if let Some(range) = range {
            assert!(at.replace((doc, range)).is_none(), "one file holds the cursor");
        }
    }
    let (doc, range) = at.expect("a `$0` cursor or a `[[…]]` selection");
    (workspace, doc, range)
}

fn actions(fixture: &str, options: ActionOptions) -> (Workspace, Vec<Action>) {
    let (workspace, doc, range) = load(fixture);
    let context = RuleContext::new(&workspace);
    let found = code_actions(&workspace, &context, doc, range, &[], Wanted::ALL, options);
    (workspace, found)
}

fn titles(fixture: &str) -> Vec<String> {
    actions(fixture, CREATE).1.into_iter().map(|a| a.title).collect()
}

/// Each file an action writes, after it: `//- path` and the whole text.
fn written(workspace: &Workspace, action: &Action) -> String {
    let mut out = String::new();
    for edit in &action.edits {
        let (path, text) = match edit {
            FileEdit::Edit { doc, replacements } => {
                let document = workspace.document(*doc);
                (document.path.clone(), apply(&document.text, replacements))
            }
            FileEdit::Create { path, text } => (path.clone(), format!("(created)\n{text}")),
        };
        out.push_str(&format!("//- {}\n{text}", path.strip_prefix("/ws").unwrap().display()));
    }
    out
}

/// Applies the action titled `title` at the fixture's cursor and compares
/// what it writes; returns the action for its other properties.
fn check(fixture: &str, title: &str, expected: &str) -> Action {
    let (workspace, found) = actions(fixture, CREATE);
    let Some(action) = found.iter().find(|a| a.title == title) else {
        panic!("no action {title:?} among {:?}", found.iter().map(|a| &a.title).collect::<Vec<_>>())
    };
    assert_eq!(written(&workspace, action), expected);
    action.clone()
}

#[test]
fn a_misspelt_value_with_one_near_value_is_replaced_safely() {
    let action = check(
        &with_defs("//- note.md\n’ — Кремль 中俄 😀 {@putin signed | ^reuters co$0nf:hgh}\n"),
        "Change `conf:hgh` to `conf:high`",
        "//- note.md\n’ — Кремль 中俄 😀 {@putin signed | ^reuters conf:high}\n",
    );
    assert_eq!((action.fix, action.safety(), action.is_preferred()), (Some(Fix::ValueSpelling), Safety::Safe, true));
    assert_eq!(action.fixes.unwrap().rule.id(), "invalid-metadata");
    check(
        &with_defs("//- note.md\n’ — Кремль 中俄 😀 {x | ^reuters kind:asessment$0 est:very-likley}\n"),
        "Change `kind:asessment` to `kind:assessment`",
        "//- note.md\n’ — Кремль 中俄 😀 {x | ^reuters kind:assessment est:very-likley}\n",
    );
    check(
        &with_defs("//- note.md\n’ — Кремль 中俄 😀 {x | ^reuters kind:forecast outcome:ture$0}\n"),
        "Change `outcome:ture` to `outcome:true`",
        "//- note.md\n’ — Кремль 中俄 😀 {x | ^reuters kind:forecast outcome:true}\n",
    );
}

#[test]
fn a_misspelt_value_near_two_values_or_none_gets_nothing() {
    // `ulikely` is one edit from both `unlikely` and `likely`.
    assert_eq!(
        titles(&with_defs("//- note.md\n’ — Кремль 中俄 😀 {x | ^reuters est:ulik$0ely}\n")),
        Vec::<String>::new()
    );
    assert_eq!(
        titles(&with_defs("//- note.md\n’ — Кремль 中俄 😀 {x | ^reuters conf:su$0re}\n")),
        Vec::<String>::new()
    );
    // A value given twice is no misspelling.
    assert_eq!(
        titles(&with_defs("//- note.md\n’ — Кремль 中俄 😀 {x | ^reuters conf:low conf:l$0ow}\n")),
        Vec::<String>::new()
    );
}

#[test]
fn grades_and_dates_are_normalised_safely() {
    let fixture =
        "//- sources.md\n^s: ’ — Кремль 中俄 😀 Title\n  reliability: b$02\n  date: 2014-5-1\n//- n.md\n{x | ^s}\n";
    let action = check(
        fixture,
        "Write `b2` as `B2`",
        "//- sources.md\n^s: ’ — Кремль 中俄 😀 Title\n  reliability: B2\n  date: 2014-5-1\n",
    );
    assert_eq!((action.safety(), action.is_preferred()), (Safety::Safe, false));
    let fixture = "//- sources.md\n^s: ’ — Кремль 中俄 😀 Title\n  date: 2014-5-$01\n//- n.md\n{x | ^s}\n";
    check(
        fixture,
        "Write `2014-5-1` as `2014-05-01`",
        "//- sources.md\n^s: ’ — Кремль 中俄 😀 Title\n  date: 2014-05-01\n",
    );
    for no in ["  date: 2014-2-3$00\n", "  reliability: g$07\n", "  url: reuters$0.com\n"] {
        let fixture = format!("//- sources.md\n^s: ’ — Кремль 中俄 😀 Title\n{no}//- n.md\n{{x | ^s}}\n");
        assert_eq!(titles(&fixture), Vec::<String>::new(), "{no}");
    }
}

#[test]
fn an_unknown_id_takes_the_suggestion_or_a_definition() {
    let fixture = with_defs("//- note.md\n’ — Кремль 中俄 😀 @put$0tin met @xi.\n");
    assert_eq!(titles(&fixture), ["Change `@puttin` to `@putin`", "Define `@puttin` in actors.md"]);
    let action = check(&fixture, "Change `@puttin` to `@putin`", "//- note.md\n’ — Кремль 中俄 😀 @putin met @xi.\n");
    assert_eq!((action.safety(), action.is_preferred()), (Safety::Unsafe, true));
    let action = check(
        &fixture,
        "Define `@puttin` in actors.md",
        &format!(
            "//- actors.md\n{}\n@puttin: puttin\n",
            DEFS.split("//- sources.md\n").next().unwrap().trim_start_matches("//- actors.md\n")
        ),
    );
    assert_eq!((action.safety(), action.is_preferred()), (Safety::Unsafe, false));
    // A claim id: the suggestion only.
    let claims = "//- note.md\n{a | ^reuters #gas-deal}\n’ — Кремль 中俄 😀 {b | ^reuters supports:#gas-dea$0}\n";
    assert_eq!(titles(&with_defs(claims)), ["Change `#gas-dea` to `#gas-deal`"]);
    // A source with no near key: only "Define", in sources.md.
    let fixture = with_defs("//- note.md\n’ — Кремль 中俄 😀 {x | ^interfax$0}\n");
    assert_eq!(titles(&fixture), ["Define `^interfax` in sources.md"]);
}

#[test]
fn define_goes_to_the_note_with_most_definitions_with_ties_to_actors_md() {
    let note = "//- n.md\n’ — Кремль 中俄 😀 @ob$0ama\n";
    // Two notes with one actor each: `actors.md` wins the tie.
    let fixture = format!("//- a.md\n@a: A\n//- z/actors.md\n@z: Z\n\n{note}");
    check(&fixture, "Define `@obama` in z/actors.md", "//- z/actors.md\n@z: Z\n\n@obama: obama\n");
    // No `actors.md` among the tied: the first by path.
    let fixture = format!("//- c.md\n@c: C\n//- b.md\n@b: B\n{note}");
    check(&fixture, "Define `@obama` in b.md", "//- b.md\n@b: B\n\n@obama: obama\n");
    // Most definitions beats the name.
    let fixture = format!("//- actors.md\n@a: A\n//- people.md\n@p: P\n@q: Q\n{note}");
    check(&fixture, "Define `@obama` in people.md", "//- people.md\n@p: P\n@q: Q\n\n@obama: obama\n");
    // None anywhere: `actors.md` at the root is created, if the client can.
    check(note, "Define `@obama` in actors.md", "//- actors.md\n(created)\n@obama: obama\n");
    let (_, found) = actions(note, ActionOptions { create_files: false });
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn define_never_writes_into_a_bibliography() {
    // The `.bib` holds the most source definitions, but a `^key: title`
    // line is not BibTeX: the block goes to the notes' own sources.
    let bib = "//- refs.bib\n@article{a, title={A}}\n@article{b, title={B}}\n";
    let note = "//- n.md\n’ — Кремль 中俄 😀 {x | ^tas$0s}\n";
    let fixture = format!("{bib}//- sources.md\n^s: S\n{note}");
    check(&fixture, "Define `^tass` in sources.md", "//- sources.md\n^s: S\n\n^tass: tass\n");
    check(&format!("{bib}{note}"), "Define `^tass` in sources.md", "//- sources.md\n(created)\n^tass: tass\n");
}

#[test]
fn an_untagged_name_is_tagged_here_or_everywhere_in_the_note() {
    let fixture = with_defs(
        "//- note.md\n’ — Кремль 中俄 😀 Vladimir Putin met Pu$0tin’s aides.\n{Putin spoke | ^reuters}\n`Putin` [Putin](@putin)\n",
    );
    check(
        &fixture,
        "Tag `Putin` as `[Putin](@putin)`",
        "//- note.md\n’ — Кремль 中俄 😀 Vladimir Putin met [Putin](@putin)’s aides.\n{Putin spoke | ^reuters}\n`Putin` [Putin](@putin)\n",
    );
    let action = check(
        &fixture,
        "Tag every untagged `@putin` in this note",
        "//- note.md\n’ — Кремль 中俄 😀 [Vladimir Putin](@putin) met [Putin](@putin)’s aides.\n{[Putin](@putin) spoke | ^reuters}\n`Putin` [Putin](@putin)\n",
    );
    assert_eq!(action.safety(), Safety::Unsafe);
}

#[test]
fn a_quote_takes_each_actor_its_text_mentions_as_speaker() {
    let fixture = with_defs(
        "//- note.md\n’ — Кремль 中俄 😀 {@putin told [Xi](@xi) and @putin again$0 | kind:quote ^reuters @gazprom}\n",
    );
    assert_eq!(titles(&fixture), ["Add `by:@putin` (the speaker)", "Add `by:@xi` (the speaker)"]);
    check(
        &fixture,
        "Add `by:@xi` (the speaker)",
        "//- note.md\n’ — Кремль 中俄 😀 {@putin told [Xi](@xi) and @putin again | kind:quote ^reuters @gazprom by:@xi}\n",
    );
    // No actor in the text: nothing to offer.
    let bare = with_defs("//- note.md\n’ — Кремль 中俄 😀 {words$0 | kind:quote ^reuters @putin}\n");
    assert_eq!(titles(&bare), Vec::<String>::new());
}

#[test]
fn confidence_and_estimate_offer_every_value_never_safe() {
    let fixture = with_defs("//- note.md\n’ — Кремль 中俄 😀 {it is$0 bad | kind:assessment }\n");
    assert_eq!(titles(&fixture), ["Add `conf:low`", "Add `conf:moderate`", "Add `conf:high`"]);
    let action = check(
        &fixture,
        "Add `conf:high`",
        "//- note.md\n’ — Кремль 中俄 😀 {it is bad | kind:assessment conf:high }\n",
    );
    assert_eq!(action.safety(), Safety::Never);
    let fixture = with_defs("//- note.md\n’ — Кремль 中俄 😀 {it will$0 | kind:forecast}\n");
    assert_eq!(
        titles(&fixture),
        [
            "Add `est:almost-no-chance` (1–5%)",
            "Add `est:very-unlikely` (5–20%)",
            "Add `est:unlikely` (20–45%)",
            "Add `est:even-chance` (45–55%)",
            "Add `est:likely` (55–80%)",
            "Add `est:very-likely` (80–95%)",
            "Add `est:almost-certain` (95–99%)",
        ]
    );
    check(
        &fixture,
        "Add `est:likely` (55–80%)",
        "//- note.md\n’ — Кремль 中俄 😀 {it will | kind:forecast est:likely}\n",
    );
}

#[test]
fn an_unsourced_claim_takes_the_sources_of_its_paragraph() {
    let fixture = with_defs(
        "//- note.md\n{far | ^far}\n\n{a | ^tass(p. 1) ^reuters} and {b | ^tass ^s3 ^s4 ^s5 ^s6 ^s7}\n’ — Кремль 中俄 😀 {unsourced$0} {c | ^s8}\n\n{d | ^after}\n",
    );
    assert_eq!(
        titles(&fixture),
        ["Cite `^tass`", "Cite `^reuters`", "Cite `^s3`", "Cite `^s4`", "Cite `^s5`"],
        "the first five distinct sources of the paragraph's other claims, in text order"
    );
    let action = check(
        &fixture,
        "Cite `^reuters`",
        "//- note.md\n{far | ^far}\n\n{a | ^tass(p. 1) ^reuters} and {b | ^tass ^s3 ^s4 ^s5 ^s6 ^s7}\n’ — Кремль 中俄 😀 {unsourced | ^reuters} {c | ^s8}\n\n{d | ^after}\n",
    );
    assert_eq!(action.safety(), Safety::Never);
    // Alone in its paragraph: nothing.
    let alone = with_defs("//- note.md\n{a | ^tass}\n\n’ — Кремль 中俄 😀 {unsourced$0 | kind:quote by:@putin}\n");
    assert_eq!(titles(&alone), Vec::<String>::new());
}

#[test]
fn an_unclosed_claim_is_closed_at_the_end_of_its_last_line() {
    let fixture = with_defs("//- note.md\n’ — Кремль 中俄 😀 $0{@putin signed\nthe deal | ^reuters\n\nnext\n");
    let action = check(
        &fixture,
        "Close the claim with `}` at the end of its last line",
        "//- note.md\n’ — Кремль 中俄 😀 {@putin signed\nthe deal | ^reuters}\n\nnext\n",
    );
    assert_eq!(action.safety(), Safety::Unsafe);
    // Stopped by a definition header, at the end of the text.
    check(
        "//- note.md\n’ — Кремль 中俄 😀 $0{a\n@x: X\n",
        "Close the claim with `}` at the end of its last line",
        "//- note.md\n’ — Кремль 中俄 😀 {a}\n@x: X\n",
    );
    check(
        "//- note.md\n’ — Кремль 中俄 😀 $0{a\r\nb",
        "Close the claim with `}` at the end of its last line",
        "//- note.md\n’ — Кремль 中俄 😀 {a\r\nb}",
    );
}

#[test]
fn a_selection_of_prose_is_marked_as_a_claim() {
    let fixture = with_defs("//- note.md\n’ — Кремль 中俄 😀 [[@putin signed\nthe [deal](@xi)]] today.\n");
    let action = check(
        &fixture,
        "Mark as claim",
        "//- note.md\n’ — Кремль 中俄 😀 {@putin signed\nthe [deal](@xi) | } today.\n",
    );
    assert_eq!((action.fix, action.safety(), action.fixes), (None, Safety::Never, None));
}

#[test]
fn refactors_are_not_offered_outside_one_paragraph_of_prose() {
    for no in [
        "’ — Кремль 中俄 😀 [[one\n\ntwo]]\n",
        "’ — Кремль 中俄 😀 {x | [[^reuters]]}\n",
        "’ — Кремль 中俄 😀 `[[code]]`\n",
        "’ — Кремль 中俄 😀\n```\n[[fenced]]\n```\n",
        "<!-- [[comment]] -->\n",
        "@[[someone]]: Someone\n",
        "’ — Кремль 中俄 😀 [[x {a | ^tass}]]\n",
        "’ — Кремль 中俄 😀 @pu[[tin met]]\n",
        "’ — Кремль 中俄 😀 [[a } b]]\n",
    ] {
        let fixture = with_defs(&format!("//- note.md\n{no}"));
        assert_eq!(titles(&fixture), Vec::<String>::new(), "{no}");
    }
}

#[test]
fn a_selection_naming_an_actor_is_tagged_or_defined() {
    let note = |words: &str| with_defs(&format!("//- note.md\n’ — Кремль 中俄 😀 Then [[{words}]] spoke.\n"));
    // The words are also an `untagged-mention`: its fixes come first.
    assert_eq!(
        titles(&note("Vladimir Putin")),
        [
            "Tag `Vladimir Putin` as `[Vladimir Putin](@putin)`",
            "Tag every untagged `@putin` in this note",
            "Mark as claim",
            "Tag as `@putin`"
        ]
    );
    // Next to a claim: tagging (the slug `xi` is an actor), but not "Mark as claim".
    let beside = with_defs("//- note.md\n’ — Кремль 中俄 😀 [[Xi]]{a | ^tass}\n");
    assert_eq!(titles(&beside), ["Tag as `@xi`"]);
    check(&note("Putin"), "Tag as `@putin`", "//- note.md\n’ — Кремль 中俄 😀 Then [Putin](@putin) spoke.\n");
    // The words of a link form: tagged again, keeping the words; not as
    // what it tags already.
    let link =
        |words: &str, id: &str| with_defs(&format!("//- note.md\n’ — Кремль 中俄 😀 Then [«{words}»](@{id}) spoke.\n"));
    check(&link("Putin", "xi"), "Tag as `@putin`", "//- note.md\n’ — Кремль 中俄 😀 Then [Putin](@putin) spoke.\n");
    assert_eq!(titles(&link("Putin", "putin")), Vec::<String>::new());
    check(
        &link("Sergey Lavrov", "lavrov"),
        "Define `@sergey-lavrov` and tag",
        &format!(
            "//- note.md\n’ — Кремль 中俄 😀 Then [Sergey Lavrov](@sergey-lavrov) spoke.\n//- actors.md\n{}\n@sergey-lavrov: Sergey Lavrov\n",
            DEFS.split("//- sources.md\n").next().unwrap().trim_start_matches("//- actors.md\n")
        ),
    );
    // The slug is an actor's id.
    check(&note("XI"), "Tag as `@xi`", "//- note.md\n’ — Кремль 中俄 😀 Then [XI](@xi) spoke.\n");
    let action = check(
        &note("Sergey Lavrov’s aide"),
        "Define `@sergey-lavrov-s-aide` and tag",
        &format!(
            "//- note.md\n’ — Кремль 中俄 😀 Then [Sergey Lavrov’s aide](@sergey-lavrov-s-aide) spoke.\n//- actors.md\n{}\n@sergey-lavrov-s-aide: Sergey Lavrov’s aide\n",
            DEFS.split("//- sources.md\n").next().unwrap().trim_start_matches("//- actors.md\n")
        ),
    );
    assert_eq!(action.safety(), Safety::Never);
    // An empty slug, or one that is not an id, offers only "Mark as claim".
    assert_eq!(titles(&note("Кремль")), ["Mark as claim"]);
    assert_eq!(titles(&note("2014 deal")), ["Mark as claim"]);
    // Inside a claim's text: tagging (after the name's own fixes), but no claim in a claim.
    let in_claim = with_defs("//- note.md\n’ — Кремль 中俄 😀 {Then [[Xi Jinping]] spoke | ^reuters}\n");
    assert_eq!(
        titles(&in_claim),
        ["Tag `Xi Jinping` as `[Xi Jinping](@xi)`", "Tag every untagged `@xi` in this note", "Tag as `@xi`"]
    );
}

#[test]
fn fix_all_applies_every_safe_fix_and_nothing_else() {
    let fixture = with_defs(
        "//- note.md\n’ — Кремль 中俄 😀 {a | ^reuters conf:hgh kind:asessment} {b | est:ulikely @puttin$0}\n//- more.md\n^s: S\n  reliability: e5\n",
    );
    let (workspace, doc, _) = load(&fixture);
    let context = RuleContext::new(&workspace);
    let fixes = safe_fixes(&workspace, &context, doc);
    assert_eq!(
        fixes.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(),
        ["Change `conf:hgh` to `conf:high`", "Change `kind:asessment` to `kind:assessment`"]
    );
    let text = &workspace.document(doc).text;
    assert_eq!(
        apply(text, &crate::analysis::replacements_in(&fixes, doc)),
        "’ — Кремль 中俄 😀 {a | ^reuters conf:high kind:assessment} {b | est:ulikely @puttin}\n"
    );
}

#[test]
fn overlapping_fixes_keep_the_first_in_text_order() {
    let action = |title: &str, start: usize, end: usize| Action {
        title: title.into(),
        kind: crate::analysis::ActionKind::QuickFix,
        fix: Some(Fix::ValueSpelling),
        fixes: None,
        edits: vec![FileEdit::Edit {
            doc: DocId(0),
            replacements: vec![Replacement { range: TextRange::new(start, end), text: "x".into() }],
        }],
    };
    let kept = non_overlapping(vec![
        action("c", 8, 9),
        action("b", 4, 8),
        action("a", 2, 5),
        action("d", 9, 9),
        action("e", 9, 9),
        action("f", 9, 10),
    ]);
    let titles: Vec<&str> = kept.iter().map(|a| a.title.as_str()).collect();
    // `e` inserts where `d` does, `f` replaces from there: both clash.
    assert_eq!(titles, ["a", "c", "d"]);
}

#[test]
fn a_misspelt_value_beside_a_valid_one_of_the_same_key_is_left_alone() {
    // Corrected, it would be the same key given twice.
    let fixture = with_defs("//- note.md\n’ — Кремль 中俄 😀 {x | ^reuters kind:fcat$0 kind:quote by:@putin}\n");
    assert_eq!(titles(&fixture), Vec::<String>::new());
}
