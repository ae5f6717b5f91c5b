//! Definition, references, highlights and rename across the files of a
//! fixture: every expected range is marked `[[…]]` in the fixture.

use super::fixture;
use crate::analysis::{Location, definition, highlights, prepare_rename, references, rename};

/// The definitions of the id at the cursor, shown, and the marked ranges.
fn definitions(fx: &str) -> (Vec<String>, Vec<String>) {
    let fx = fixture(fx);
    (fx.show_all(&definition(&fx.workspace, fx.doc, fx.offset)), fx.expected())
}

#[test]
fn definition_of_an_actor_in_another_file() {
    let (got, marked) = definitions(
        "//- actors.md
# ’ — Кремль 中俄 😀
[[@putin]]: Vladimir Putin
  kind: person
//- notes/deal.md
’ — Кремль 中俄 😀 {@xi met @pu$0tin | ^s}
",
    );
    assert_eq!(got, marked);
}

#[test]
fn definition_of_an_actor_from_a_link_and_from_a_speaker() {
    for note in ["’ — Кремль 中俄 😀 [Vladimir Putin](@put$0in)", "’ — Кремль 中俄 😀 {x | kind:quote by:@putin$0}"]
    {
        let (got, marked) = definitions(&format!(
            "//- actors.md\n’ — Кремль 中俄 😀 actors\n\n[[@putin]]: Vladimir Putin\n//- note.md\n{note}\n"
        ));
        assert_eq!(got, marked, "{note}");
    }
}

#[test]
fn definition_of_a_source_from_a_citation_with_a_locator() {
    let (got, marked) = definitions(
        "//- sources/wires.md
’ — Кремль 中俄 😀
[[^reuters]]: China, Russia sign gas deal
  reliability: B2
//- notes/deal.md
’ — Кремль 中俄 😀 {signed | ^$0reuters(p. 3, para 2)}
",
    );
    assert_eq!(got, marked);
}

#[test]
fn definition_of_a_claim_id_in_another_note() {
    let (got, marked) = definitions(
        "//- notes/a.md
’ — Кремль 中俄 😀 {The deal was signed | ^s [[#deal]] conf:high}
//- notes/b.md
’ — Кремль 中俄 😀 {It helps | ^s supports:#de$0al}
",
    );
    assert_eq!(got, marked);
}

#[test]
fn definition_on_a_definition_is_itself() {
    let (got, marked) = definitions("//- actors.md\n’ — Кремль 中俄 😀\n[[@pu$0tin]]: Vladimir Putin\n");
    assert_eq!(got, marked);
}

#[test]
fn definition_of_an_id_defined_twice_gives_both() {
    let (got, marked) = definitions(
        "//- a.md\n’ — Кремль 中俄 😀\n[[@x]]: X\n//- b.md\n’ — 😀\n[[@x]]: X again\n//- note.md\n’ — Кремль 中俄 😀 @x$0\n",
    );
    assert_eq!(got, marked);
}

#[test]
fn definition_of_an_unknown_id_or_of_nothing_is_empty() {
    let defs = "//- actors.md\n’ — Кремль 中俄 😀\n@putin: Vladimir Putin\n^s: S\n//- note.md\n";
    for note in [
        "’ — Кремль 中俄 😀 @pu$0ttin",
        "’ — Кремль 中俄 😀 {x | ^nowhere$0}",
        "’ — Кремль 中俄 😀 {x | ^s supports:#$0nothing}",
        "’ — Кремль 中俄 😀 plain $0prose near @putin",
        "’ — Кремль 中俄 😀 putin$0@kremlin.ru",
    ] {
        let (got, marked) = definitions(&format!("{defs}{note}\n"));
        assert_eq!(marked, Vec::<String>::new());
        assert_eq!(got, marked, "{note}");
    }
}

/// Three files that mention `@putin`; `[[…]]` marks every occurrence, its
/// definition only when `with_declaration`.
fn three_files(with_declaration: bool, cursor_in: &str) -> String {
    let definition = if with_declaration { "[[@putin]]" } else { "@putin" };
    let text = "//- actors.md
# ’ — Кремль 中俄 😀 Actors
DEFINITION: Vladimir Putin
  kind: person
@xi: Xi Jinping
  Met [[@putin]] in Beijing.
//- notes/deal.md
’ — Кремль 中俄 😀 [[@putin]] met @xi: {[[@putin]] signed | ^s by:[[@putin]]}
//- notes/other.md
’ — Кремль 中俄 😀 [Vladimir Putin]([[@putin]]), not @putinism nor putin@kremlin.ru
//- sources.md
^s: S
"
    .replace("DEFINITION", definition);
    // The cursor goes on the first marked `@putin` of the chosen file.
    let (head, tail) = text.split_at(text.find(&format!("//- {cursor_in}")).unwrap());
    format!("{head}{}", tail.replacen("[[@pu", "[[@pu$0", 1))
}

#[test]
fn references_with_the_declaration_across_three_files() {
    for cursor_in in ["actors.md", "notes/deal.md", "notes/other.md"] {
        let fx = fixture(&three_files(true, cursor_in));
        let got = references(&fx.workspace, fx.doc, fx.offset, true);
        assert_eq!(fx.show_all(&got), fx.expected(), "cursor in {cursor_in}");
        assert_eq!(got.len(), 6);
    }
}

#[test]
fn references_without_the_declaration_across_three_files() {
    for cursor_in in ["actors.md", "notes/deal.md", "notes/other.md"] {
        let fx = fixture(&three_files(false, cursor_in));
        let got = references(&fx.workspace, fx.doc, fx.offset, false);
        assert_eq!(fx.show_all(&got), fx.expected(), "cursor in {cursor_in}");
        assert_eq!(got.len(), 5);
    }
}

#[test]
fn references_from_the_declaration_itself() {
    let fx = fixture(&three_files(true, "notes/deal.md").replace("[[@pu$0tin]] met", "[[@putin]] met").replacen(
        "[[@putin]]: Vladimir",
        "[[@$0putin]]: Vladimir",
        1,
    ));
    assert_eq!(fx.show_all(&references(&fx.workspace, fx.doc, fx.offset, true)), fx.expected());
}

#[test]
fn references_of_a_source_and_of_a_claim_id() {
    let fx = fixture(
        "//- sources.md
’ — Кремль 中俄 😀
[[^reuters]]: Reuters
//- notes/a.md
’ — Кремль 中俄 😀 {a | [[^reuters]](p. 3) #a} and [the wire]([[^reu$0ters]])
//- notes/b.md
’ — Кремль 中俄 😀 {b | [[^reuters]] ^reutersx supports:#a}
//- notes/c.md
^reutersx: Other
",
    );
    assert_eq!(fx.show_all(&references(&fx.workspace, fx.doc, fx.offset, true)), fx.expected());

    let fx = fixture(
        "//- notes/a.md
’ — Кремль 中俄 😀 {a | ^s [[#a]]}
//- notes/b.md
’ — Кремль 中俄 😀 {b | ^s supports:[[#a]] #b}
//- notes/c.md
’ — Кремль 中俄 😀 {c | ^s contradicts:[[#a$0]] supports:#b}
//- sources.md
^s: S
",
    );
    assert_eq!(fx.show_all(&references(&fx.workspace, fx.doc, fx.offset, true)), fx.expected());
}

#[test]
fn references_of_nothing_are_empty() {
    let fx = fixture("//- note.md\n’ — Кремль 中俄 😀 pl$0ain @putin\n");
    assert_eq!(references(&fx.workspace, fx.doc, fx.offset, true), vec![]);
}

#[test]
fn highlights_mark_reads_and_the_write_in_one_document() {
    let fx = fixture(
        "//- actors.md
’ — Кремль 中俄 😀
[[@putin]]: Vladimir Putin
[[@xi]]: Xi Jinping
  Met [[@putin]] and [Putin]([[@pu$0tin]]).
//- note.md
@putin
",
    );
    let got: Vec<String> = highlights(&fx.workspace, fx.doc, fx.offset)
        .into_iter()
        .map(|(range, write)| format!("{} {write}", fx.show(&Location { doc: fx.doc, range })))
        .collect();
    let marked = fx.expected();
    let without_xi: Vec<String> = marked.iter().filter(|l| !l.contains("@xi")).cloned().collect();
    let writes = [true, false, false];
    let expected: Vec<String> = without_xi.iter().zip(writes).map(|(l, w)| format!("{l} {w}")).collect();
    assert_eq!(got, expected);
}

/// The rename's edits, shown, and the marked ranges; the new text replaces
/// each range.
fn rename_edits(fx: &str, new_name: &str) -> (Vec<String>, Vec<String>) {
    let fx = fixture(fx);
    let edits = rename(&fx.workspace, fx.doc, fx.offset, new_name).expect("the rename is allowed");
    let flat: Vec<Location> =
        edits.iter().flat_map(|(doc, ranges)| ranges.iter().map(|&range| Location { doc: *doc, range })).collect();
    (fx.show_all(&flat), fx.expected())
}

/// `@putin` in three files, each occurrence's name (without its sigil) marked.
const RENAMED: &str = "//- actors.md
# ’ — Кремль 中俄 😀
@[[putin]]: Vladimir Putin
@xi: Xi Jinping
  Met @[[putin]].
//- notes/deal.md
’ — Кремль 中俄 😀 @[[pu$0tin]] met @xi: {@[[putin]] signed | ^s by:@[[putin]]}
//- notes/other.md
’ — Кремль 中俄 😀 [Vladimir Putin](@[[putin]]) and @putinism
//- sources.md
^s: S
";

#[test]
fn rename_edits_every_file() {
    let (got, marked) = rename_edits(RENAMED, "vvp");
    assert_eq!(got, marked);
    assert_eq!(got.len(), 6);
}

#[test]
fn rename_takes_a_new_name_given_with_its_sigil() {
    assert_eq!(rename_edits(RENAMED, "@vvp"), rename_edits(RENAMED, "vvp"));
    let fx = fixture(RENAMED);
    let err = rename(&fx.workspace, fx.doc, fx.offset, "^vvp").unwrap_err();
    assert_eq!(err, "`^vvp` is not a valid id: start with a letter, then letters, digits and single `-`, `_` or `.`");
}

#[test]
fn rename_of_a_source_and_of_a_claim_id() {
    let (got, marked) = rename_edits(
        "//- sources.md
’ — Кремль 中俄 😀
^[[reuters]]: Reuters
//- note.md
’ — Кремль 中俄 😀 {a | ^[[reuters]](p. 3)} [wire](^[[reu$0ters]])
",
        "^reuters-2014",
    );
    assert_eq!(got, marked);
    let (got, marked) = rename_edits(
        "//- a.md
’ — Кремль 中俄 😀 {a | ^s #[[deal]]}
//- b.md
’ — Кремль 中俄 😀 {b | ^s supports:#[[de$0al]]}
//- sources.md
^s: S
",
        "#gas-deal",
    );
    assert_eq!(got, marked);
}

#[test]
fn prepare_rename_gives_the_name_without_its_sigil() {
    let fx = fixture("//- note.md\n’ — Кремль 中俄 😀 {a | ^[[s$0]]}\n//- s.md\n^s: S\n");
    let range = prepare_rename(&fx.workspace, fx.doc, fx.offset).unwrap();
    assert_eq!(fx.show(&Location { doc: fx.doc, range }), fx.show(&fx.the_marked()));
}

#[test]
fn rename_refuses_an_invalid_id() {
    let fx = fixture(RENAMED);
    for (new_name, shown) in
        [("9lives", "9lives"), ("two words", "two words"), ("@", ""), ("Путин", "Путин"), ("a--b", "a--b")]
    {
        assert_eq!(
            rename(&fx.workspace, fx.doc, fx.offset, new_name),
            Err(format!(
                "`{shown}` is not a valid id: start with a letter, then letters, digits and single `-`, `_` or `.`"
            )),
            "{new_name}"
        );
    }
}

#[test]
fn rename_refuses_an_existing_id() {
    let fx = fixture(RENAMED);
    for new_name in ["xi", "@xi"] {
        assert_eq!(
            rename(&fx.workspace, fx.doc, fx.offset, new_name),
            Err("`@xi` already exists: choose another name, or merge the two by hand".to_string())
        );
    }
}

#[test]
fn rename_to_the_same_name_edits_nothing_and_on_nothing_is_refused() {
    let fx = fixture(RENAMED);
    assert_eq!(rename(&fx.workspace, fx.doc, fx.offset, "@putin"), Ok(vec![]));
    let fx = fixture("//- note.md\n’ — Кремль 中俄 😀 pl$0ain @putin\n");
    let refusal = "nothing to rename here: put the cursor on an @actor, ^source or #claim id";
    assert_eq!(rename(&fx.workspace, fx.doc, fx.offset, "x"), Err(refusal.to_string()));
    assert_eq!(prepare_rename(&fx.workspace, fx.doc, fx.offset), Err(refusal.to_string()));
}

#[test]
fn the_words_of_a_link_form_act_as_its_id() {
    // Definition, references and highlights from `Vladimir`, and rename
    // prepared on the id without its sigil.
    let text = "//- actors.md
’ — Кремль 中俄 😀
[[@putin]]: Vladimir Putin
//- note.md
’ — Кремль 中俄 😀 [Vladi$0mir Putin]([[@putin]]) met @xi; {[[@putin]] signed | ^s}
//- sources.md
^s: S
";
    let fx = fixture(text);
    assert_eq!(fx.show_all(&definition(&fx.workspace, fx.doc, fx.offset)), fx.expected()[..1].to_vec());
    assert_eq!(fx.show_all(&references(&fx.workspace, fx.doc, fx.offset, true)), fx.expected());
    let marked_here: Vec<_> = fx.expected().into_iter().filter(|m| m.starts_with("note.md")).collect();
    let highlighted: Vec<Location> = highlights(&fx.workspace, fx.doc, fx.offset)
        .into_iter()
        .map(|(range, _)| Location { doc: fx.doc, range })
        .collect();
    assert_eq!(fx.show_all(&highlighted), marked_here);
    let id = prepare_rename(&fx.workspace, fx.doc, fx.offset).unwrap();
    assert_eq!(id.of(&fx.workspace.document(fx.doc).text), "putin");
    let edits = rename(&fx.workspace, fx.doc, fx.offset, "vladimir-putin").unwrap();
    assert_eq!(edits.iter().map(|(_, ranges)| ranges.len()).sum::<usize>(), 3);
}
