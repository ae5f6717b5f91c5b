//! Every rule of SPEC §2: one fixture where it fires (rule id, severity and
//! the exact text its range covers) and a near miss where it must not.
//!
//! Fixtures hold several files, each after a `//- path` line. Each finding
//! prints as `path:line:col severity[rule] "covered text"`, columns counted
//! in characters, so non-ASCII text before the markup shows any shift.

use std::path::PathBuf;

use dossier::analysis::check_workspace;
use dossier::config::Config;
use dossier::diagnostic::Severity;
use dossier::syntax::Date;
use dossier::text::Encoding;
use dossier::workspace::{Document, Workspace};

fn workspace(fixture: &str) -> Workspace {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        match line.strip_prefix("//- ") {
            Some(path) => files.push((path.trim().to_string(), String::new())),
            None => files.last_mut().expect("fixture starts with `//- path`").1.push_str(line),
        }
    }
    let config = files
        .iter()
        .find(|(p, _)| p == "dossier.toml")
        .map_or_else(Config::default, |(_, text)| Config::parse(text).expect("fixture config is valid"));
    // The bibliographies the config names are read as such.
    let bibliographies: Vec<(String, String)> =
        files.iter().filter(|(p, _)| config.bibliographies().iter().any(|b| b.path == *p)).cloned().collect();
    let mut ws = Workspace::new(PathBuf::from("/ws"), config);
    ws.today = TODAY;
    for (path, text) in files.into_iter().filter(|(p, _)| p.ends_with(".md")) {
        ws.insert(Document::new(PathBuf::from("/ws").join(path), text));
    }
    for (path, text) in bibliographies {
        let path = PathBuf::from("/ws").join(path);
        let format = ws.bibliography_format(&path).expect("a bibliography the config names");
        ws.insert(Document::bibliography(path, text, format));
    }
    ws
}

/// The day the fixtures are checked on (`overdue-forecast`).
const TODAY: Date = Date { year: 2024, month: 6, day: 15 };

/// The findings of a fixture, one per line, ordered by path then position.
fn check(fixture: &str) -> String {
    let ws = workspace(fixture);
    let mut lines = Vec::new();
    for (doc, diagnostics) in check_workspace(&ws, Severity::Hint) {
        let document = ws.document(doc);
        let path = document.path.strip_prefix("/ws").unwrap().display().to_string();
        for d in diagnostics {
            let at = document.line_index().line_col(&document.text, d.range.start as usize, Encoding::Utf32);
            let mut line = format!(
                "{path}:{}:{} {}[{}] {:?}",
                at.line + 1,
                at.col + 1,
                d.severity.as_str(),
                d.rule.id(),
                d.range.of(&document.text)
            );
            for related in &d.related {
                let other = ws.document(related.doc);
                let rel = other.line_index().line_col(&other.text, related.range.start as usize, Encoding::Utf32);
                let other_path = other.path.strip_prefix("/ws").unwrap().display();
                line.push_str(&format!(" (related {other_path}:{}:{})", rel.line + 1, rel.col + 1));
            }
            lines.push((path.clone(), d.range.start, line));
        }
    }
    lines.sort();
    lines.into_iter().map(|(_, _, l)| l + "\n").collect()
}

/// The messages of a fixture's findings of one rule.
fn messages(fixture: &str, rule: &str) -> Vec<String> {
    let ws = workspace(fixture);
    let mut out = Vec::new();
    for (_, diagnostics) in check_workspace(&ws, Severity::Hint) {
        out.extend(diagnostics.into_iter().filter(|d| d.rule.id() == rule).map(|d| d.message));
    }
    out.sort();
    out
}

const DEFS: &str = "//- actors.md
@putin: Vladimir Putin
  kind: person
  aliases: Putin
//- sources.md
^reuters: China, Russia sign gas deal
  reliability: B2
";

fn with_defs(note: &str) -> String {
    format!("{DEFS}//- note.md\n{note}")
}

#[test]
fn unclosed_claim_fires_on_the_brace() {
    insta::assert_snapshot!(check(&with_defs("’ — Кремль 中俄 😀 {@putin signed | ^reuters\n\nnext paragraph\n")), @r#"
    note.md:1:17 error[unclosed-claim] "{"
    sources.md:1:1 hint[unused-definition] "^reuters"
    "#);
}

#[test]
fn unclosed_claim_near_miss_spanning_lines() {
    insta::assert_snapshot!(check(&with_defs("’ — Кремль 中俄 😀 {@putin signed\nthe deal | ^reuters}\n")), @"");
}

#[test]
fn nested_claim_fires_on_the_inner_brace() {
    insta::assert_snapshot!(check(&with_defs("’ — 😀 {@putin {said} | ^reuters}\n")), @r#"
    note.md:1:7 warning[unsourced-claim] "{@putin {said}"
    note.md:1:15 error[nested-claim] "{"
    sources.md:1:1 hint[unused-definition] "^reuters"
    "#);
}

#[test]
fn nested_claim_near_miss_escaped_and_templating() {
    insta::assert_snapshot!(check(&with_defs("’ — 😀 {@putin \\{said\\} {{ x }} | ^reuters}\n")), @"");
}

#[test]
fn invalid_metadata_fires_on_the_token() {
    insta::assert_snapshot!(check(&with_defs("Кремль {@putin | ^reuters conf:sure kind:fact kind:fact}\n")), @r#"
    note.md:1:27 error[invalid-metadata] "conf:sure"
    note.md:1:47 error[invalid-metadata] "kind:fact"
    "#);
}

#[test]
fn invalid_metadata_near_miss_locator_with_spaces() {
    insta::assert_snapshot!(check(&with_defs("Кремль {@putin | ^reuters(p. 3, para 2) kind:fact}\n")), @"");
}

#[test]
fn invalid_field_fires_on_the_value() {
    insta::assert_snapshot!(check("//- sources.md\n^s: Title\n  date: 2014-02-30\n  reliability: B7\n  url: reuters.com\n//- note.md\n{x | ^s}\n"), @r#"
    sources.md:2:9 error[invalid-field] "2014-02-30"
    sources.md:3:16 error[invalid-field] "B7"
    sources.md:4:8 error[invalid-field] "reuters.com"
    "#);
}

#[test]
fn invalid_field_near_miss_valid_and_unchecked_fields() {
    insta::assert_snapshot!(check("//- sources.md\n^s: Title\n  date: 2016-02-29\n  reliability: F6\n  url: https://reuters.com/x\n  publisher: whatever — Кремль\n//- note.md\n{x | ^s kind:assessment conf:low}\n"), @"");
}

#[test]
fn unknown_actor_fires_and_suggests_the_closest_id() {
    insta::assert_snapshot!(check(&with_defs("’ — 中俄 😀 @puttin met [Xi](@xi) {@putin | ^reuters by:@obama}\n")), @r#"
    note.md:1:10 error[unknown-actor] "@puttin"
    note.md:1:27 error[unknown-actor] "@xi"
    note.md:1:54 error[unknown-actor] "@obama"
    "#);
    assert_eq!(
        messages(&with_defs("@puttin\n"), "unknown-actor"),
        vec![
            "unknown actor `@puttin`: did you mean `@putin`? Otherwise define it with a line `@puttin: Name` (e.g. in actors.md)"
        ]
    );
}

#[test]
fn unknown_actor_near_miss_email_and_escape() {
    insta::assert_snapshot!(check(&with_defs("’ mail putin@kremlin.ru or \\@putin, and `@code` {@putin | ^reuters}\n")), @"");
}

#[test]
fn unknown_source_fires_on_key_without_locator() {
    insta::assert_snapshot!(check(&with_defs("中俄 {@putin | ^reuter(p. 3)} and [R](^tass)\n")), @r#"
    note.md:1:14 error[unknown-source] "^reuter"
    note.md:1:37 error[unknown-source] "^tass"
    sources.md:1:1 hint[unused-definition] "^reuters"
    "#);
}

#[test]
fn unknown_source_near_miss_defined_in_another_file() {
    insta::assert_snapshot!(check(&with_defs("中俄 {@putin | ^reuters(p. 3)} and [Reuters](^reuters)\n")), @"");
}

#[test]
fn unknown_claim_fires_on_the_relation_target() {
    insta::assert_snapshot!(check(&with_defs("😀 {a | ^reuters #a supports:#b contradicts:#a}\n")), @r##"
    actors.md:1:1 hint[unused-definition] "@putin"
    note.md:1:29 error[unknown-claim] "#b"
    "##);
}

#[test]
fn unknown_claim_near_miss_defined_in_another_note() {
    insta::assert_snapshot!(check(&format!("{}//- other.md\n{{b | ^reuters #b}}\n", with_defs("😀 {a | ^reuters supports:#b}\n"))), @r#"actors.md:1:1 hint[unused-definition] "@putin""#);
}

#[test]
fn duplicate_definition_fires_on_each_later_definition() {
    let fixture = "//- b.md\n@x: X again\n{c | ^s #c}\n//- a.md\n@x: X\n^s: S\n{c | ^s #c @x}\n//- c.md\n😀 @x: third\n@x: X third\n";
    insta::assert_snapshot!(check(fixture), @r##"
    a.md:2:1 hint[ungraded-source] "^s"
    b.md:1:1 error[duplicate-definition] "@x" (related a.md:1:1)
    b.md:2:9 error[duplicate-definition] "#c" (related a.md:3:9)
    c.md:2:1 error[duplicate-definition] "@x" (related a.md:1:1)
    "##);
}

#[test]
fn duplicate_definition_near_miss_same_id_in_different_namespaces() {
    insta::assert_snapshot!(check("//- a.md\n@x: X\n^x: X\n{c | ^x #x @x}\n"), @r#"
    a.md:2:1 hint[ungraded-source] "^x"
    "#);
}

#[test]
fn unsourced_claim_fires_on_facts_and_quotes() {
    insta::assert_snapshot!(check(&with_defs("’ — {@putin signed}\n{said | kind:quote by:@putin}\n{x | kind:fact conf:high}\n")), @r#"
    note.md:1:5 warning[unsourced-claim] "{@putin signed}"
    note.md:2:1 warning[unsourced-claim] "{said | kind:quote by:@putin}"
    note.md:3:1 info[thin-sourcing] "{x | kind:fact conf:high}"
    note.md:3:1 warning[unsourced-claim] "{x | kind:fact conf:high}"
    sources.md:1:1 hint[unused-definition] "^reuters"
    "#);
}

#[test]
fn unsourced_claim_near_miss_assessments_and_forecasts_and_prose_links() {
    insta::assert_snapshot!(check(&with_defs("{a | kind:assessment conf:low}\n{f | kind:forecast est:likely}\n{[Reuters](^reuters) says | ^reuters}\n")), @r#"actors.md:1:1 hint[unused-definition] "@putin""#);
}

#[test]
fn missing_speaker_confidence_estimate() {
    insta::assert_snapshot!(check(&with_defs("Кремль {q | kind:quote ^reuters}\n{a | kind:assessment}\n{f | kind:forecast conf:high}\n")), @r#"
    actors.md:1:1 hint[unused-definition] "@putin"
    note.md:1:8 warning[missing-speaker] "{q | kind:quote ^reuters}"
    note.md:2:1 warning[missing-confidence] "{a | kind:assessment}"
    note.md:3:1 info[thin-sourcing] "{f | kind:forecast conf:high}"
    note.md:3:1 warning[missing-estimate] "{f | kind:forecast conf:high}"
    "#);
}

#[test]
fn missing_near_miss_when_given() {
    insta::assert_snapshot!(check(&with_defs("Кремль {q | kind:quote ^reuters by:@putin}\n{a | kind:assessment conf:moderate}\n{f | kind:forecast est:even-chance}\n")), @"");
}

#[test]
fn weak_sourcing_fires_when_every_source_is_weak() {
    let fixture = "//- sources.md\n^rumour: R\n  reliability: E3\n^blog: B\n  reliability: C5\n^wire: W\n  reliability: B2\n^ungraded: U\n//- note.md\n中俄 {a | ^rumour ^blog}\n";
    insta::assert_snapshot!(check(fixture), @r#"
    note.md:1:4 info[weak-sourcing] "{a | ^rumour ^blog}"
    sources.md:5:1 hint[unused-definition] "^wire"
    sources.md:7:1 hint[unused-definition] "^ungraded"
    "#);
    assert_eq!(
        messages(fixture, "weak-sourcing"),
        vec![
            "every source of this fact is graded weak (^rumour E3, ^blog C5): corroborate it with a more reliable source"
        ]
    );
}

#[test]
fn weak_sourcing_near_miss_one_good_or_ungraded_source() {
    let fixture = "//- sources.md\n^rumour: R\n  reliability: E3\n^wire: W\n  reliability: B2\n^ungraded: U\n//- note.md\n中俄 {a | ^rumour ^wire} {b | ^rumour ^ungraded} {c | ^rumour kind:assessment conf:low}\n";
    insta::assert_snapshot!(check(fixture), @r#"
    sources.md:5:1 hint[ungraded-source] "^ungraded"
    "#);
}

#[test]
fn due_and_outcome_on_anything_but_a_forecast_are_invalid_metadata() {
    insta::assert_snapshot!(check(&with_defs("’ — Кремль 中俄 🛢 {a | due:2020 kind:assessment conf:low}\n{b | ^reuters outcome:true}\n{c | due:2020 outcome:false kind:forecast est:likely}\n")), @r#"
    actors.md:1:1 hint[unused-definition] "@putin"
    note.md:1:22 error[invalid-metadata] "due:2020"
    note.md:2:15 error[invalid-metadata] "outcome:true"
    "#);
}

#[test]
fn ungraded_source_fires_on_the_definition_of_a_cited_source() {
    insta::assert_snapshot!(check("//- sources.md\n^a: A\n  publisher: Кремль 中俄\n^b: B\n  reliability: B2\n//- note.md\n’ — 🛢 {x | ^a(p. 3) ^b}\n"), @r#"
    sources.md:1:1 hint[ungraded-source] "^a"
    "#);
}

#[test]
fn ungraded_source_near_miss_graded_or_only_named_in_prose() {
    insta::assert_snapshot!(check("//- sources.md\n^a: A\n  reliability: C3\n^b: B\n//- note.md\n’ — 🛢 {x | ^a} as [B](^b) and {[B](^b) says | ^a} said\n"), @"");
}

#[test]
fn thin_sourcing_fires_on_one_source_no_source_or_a_weak_one() {
    insta::assert_snapshot!(check(&with_defs("^tass: T\n  reliability: B2\n^rumour: R\n  reliability: C5\n\n’ — Кремль 中俄 🛢 {one | ^reuters ^reuters(p. 2) conf:high}\n{none | kind:assessment conf:high}\n{weak | ^reuters ^tass ^rumour conf:high}\n")), @r#"
    actors.md:1:1 hint[unused-definition] "@putin"
    note.md:6:17 info[thin-sourcing] "{one | ^reuters ^reuters(p. 2) conf:high}"
    note.md:7:1 info[thin-sourcing] "{none | kind:assessment conf:high}"
    note.md:8:1 info[thin-sourcing] "{weak | ^reuters ^tass ^rumour conf:high}"
    "#);
}

#[test]
fn thin_sourcing_near_miss_two_distinct_good_sources() {
    insta::assert_snapshot!(check(&with_defs("^tass: T\n  reliability: B2\n\n’ — Кремль 中俄 🛢 {two | ^reuters ^tass conf:high}\n{one | ^reuters conf:moderate}\n")), @r#"
    actors.md:1:1 hint[unused-definition] "@putin"
    "#);
}

#[test]
fn overdue_forecast_fires_when_the_whole_due_date_is_past() {
    insta::assert_snapshot!(check(&with_defs("’ — Кремль 中俄 🛢 {a | kind:forecast est:likely due:2023}\n{b | kind:forecast est:likely due:2024-05}\n{c | kind:forecast est:likely due:2024-06-14}\n")), @r#"
    actors.md:1:1 hint[unused-definition] "@putin"
    note.md:1:17 info[overdue-forecast] "{a | kind:forecast est:likely due:2023}"
    note.md:2:1 info[overdue-forecast] "{b | kind:forecast est:likely due:2024-05}"
    note.md:3:1 info[overdue-forecast] "{c | kind:forecast est:likely due:2024-06-14}"
    sources.md:1:1 hint[unused-definition] "^reuters"
    "#);
}

#[test]
fn overdue_forecast_near_miss_due_today_this_month_or_resolved() {
    insta::assert_snapshot!(check(&with_defs("’ — Кремль 中俄 🛢 {a | kind:forecast est:likely due:2024-06-15}\n{b | kind:forecast est:likely due:2024-06}\n{c | kind:forecast est:likely due:2024}\n{d | kind:forecast est:likely due:2020 outcome:false}\n{e | kind:forecast est:likely}\n")), @r#"
    actors.md:1:1 hint[unused-definition] "@putin"
    sources.md:1:1 hint[unused-definition] "^reuters"
    "#);
}

#[test]
fn untagged_mention_fires_on_names_and_aliases() {
    insta::assert_snapshot!(check(&with_defs("’ — Vladimir Putin met Putin’s aides. {Putin said | ^reuters by:@putin}\n")), @r#"
    note.md:1:5 hint[untagged-mention] "Vladimir Putin"
    note.md:1:24 hint[untagged-mention] "Putin"
    note.md:1:40 hint[untagged-mention] "Putin"
    "#);
}

#[test]
fn untagged_mention_near_miss_links_code_partial_words_and_case() {
    insta::assert_snapshot!(check(&with_defs("’ — [Vladimir Putin](@putin), `Putin`, Putinism, putin, <!-- Putin --> {x | ^reuters}\n")), @"");
}

#[test]
fn unused_definition_fires_on_the_id() {
    insta::assert_snapshot!(check("//- actors.md\n@putin: Putin\n//- sources.md\n^s: S\n"), @r#"
    actors.md:1:1 hint[unused-definition] "@putin"
    sources.md:1:1 hint[unused-definition] "^s"
    "#);
}

#[test]
fn unused_definition_near_miss_mentioned_in_a_description() {
    insta::assert_snapshot!(check("//- actors.md\n@putin: Putin\n  Cites [the record](^s).\n@x: X\n  See @putin.\n//- note.md\n@x\n//- sources.md\n^s: S\n"), @"");
}

#[test]
fn invalid_utf8_fires_at_the_first_bad_byte() {
    let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
    let id =
        ws.insert(Document::from_bytes(PathBuf::from("/ws/bad.md"), b"ok line\n\xe2\x80\x94 \xff @x {y}".to_vec()));
    let diagnostics = dossier::analysis::Checker::new(&ws, &dossier::analysis::RuleContext::new(&ws)).check(id);
    assert_eq!(diagnostics.len(), 1, "the file is otherwise skipped: {diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!((d.rule.id(), d.severity.as_str()), ("invalid-utf8", "error"));
    let document = ws.document(id);
    let at = document.line_index().line_col(&document.text, d.range.start as usize, Encoding::Utf32);
    assert_eq!((at.line, at.col), (1, 2));
    assert_eq!(d.range.of(&document.text), "\u{FFFD}");
}

#[test]
fn invalid_utf8_near_miss_valid_non_ascii() {
    let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
    let id = ws.insert(Document::from_bytes(PathBuf::from("/ws/ok.md"), "’ — Кремль 中俄 😀".as_bytes().to_vec()));
    assert_eq!(dossier::analysis::Checker::new(&ws, &dossier::analysis::RuleContext::new(&ws)).check(id), vec![]);
}

#[test]
fn config_changes_severity_and_turns_rules_off() {
    let fixture = "//- dossier.toml\n[rules]\nunsourced-claim = \"error\"\nunknown-actor = \"off\"\n//- note.md\n{@nobody signed}\n";
    insta::assert_snapshot!(check(fixture), @r#"note.md:1:1 error[unsourced-claim] "{@nobody signed}""#);
}

#[test]
fn updating_one_document_changes_cross_file_results() {
    let mut ws = workspace(&with_defs("{@putin signed | ^reuters}\n"));
    assert_eq!(check_ws(&ws), "");
    ws.insert(Document::new(PathBuf::from("/ws/actors.md"), "# no actors left\n".into()));
    assert_eq!(check_ws(&ws), "note.md unknown-actor \"@putin\"\n");
    ws.insert(Document::new(PathBuf::from("/ws/actors.md"), "@putin: Vladimir Putin\n".into()));
    assert_eq!(check_ws(&ws), "");
    ws.remove(std::path::Path::new("/ws/sources.md"));
    assert_eq!(check_ws(&ws), "note.md unknown-source \"^reuters\"\n");
}

fn check_ws(ws: &Workspace) -> String {
    let mut out = String::new();
    for (doc, diagnostics) in check_workspace(ws, Severity::Hint) {
        let document = ws.document(doc);
        for d in diagnostics.iter().filter(|d| d.severity.as_str() != "hint") {
            let name = document.path.file_name().unwrap().to_string_lossy();
            out.push_str(&format!("{name} {} {:?}\n", d.rule.id(), d.range.of(&document.text)));
        }
    }
    out
}

// ------------------------------------------------------------ bibliographies (§9.1)

const BIB_CONFIG: &str = "//- dossier.toml\n[sources]\nbibliography = [\"refs.bib\", \"zotero.json\"]\n";

#[test]
fn invalid_bibliography_fires_where_the_file_breaks_and_its_good_entries_count() {
    let fixture = format!(
        "{BIB_CONFIG}//- refs.bib\n@article{{good, title = {{Кремль}}}}\n@article{{bad,\n  title = {{Fine}}\n  year = {{2014}}\n}}\n\
         //- zotero.json\n[{{\"id\": \"json\"}}, {{\"id\": \"cut\"\n//- note.md\n’ — Кремль 中俄 😀 {{x | ^good ^bad ^json}}\n"
    );
    insta::assert_snapshot!(check(&fixture), @r#"
    refs.bib:1:10 hint[ungraded-source] "good"
    refs.bib:2:10 hint[ungraded-source] "bad"
    refs.bib:4:3 error[invalid-bibliography] "y"
    zotero.json:1:10 hint[ungraded-source] "json"
    zotero.json:2:1 error[invalid-bibliography] ""
    "#);
}

#[test]
fn invalid_bibliography_near_miss_a_clean_export() {
    let fixture = format!(
        "{BIB_CONFIG}//- refs.bib\n@string{{r = {{Reuters}}}}\n@article{{good, title = {{{{China}}}}, journal = r, month = jun, year = 2014, note = {{reliability: B2}}}}\n\
         //- zotero.json\n[{{\"id\": \"json\", \"issued\": {{\"date-parts\": [[2014]]}}, \"note\": \"reliability: C3\"}}]\n//- note.md\n’ — Кремль 中俄 😀 {{x | ^good ^json}}\n"
    );
    insta::assert_snapshot!(check(&fixture), @"");
}

#[test]
fn invalid_field_fires_on_an_entry_value_as_on_a_block_field() {
    let fixture = format!(
        "{BIB_CONFIG}//- refs.bib\n@misc{{a, url = {{www.x.org}}, note = {{reliability: b2}}}}\n//- zotero.json\n[{{\"id\": \"j\", \"URL\": \"ftp://x\"}}]\n\
         //- note.md\n{{x | ^a ^j}}\n"
    );
    insta::assert_snapshot!(check(&fixture), @r#"
    refs.bib:1:16 error[invalid-field] "{www.x.org}"
    refs.bib:1:50 error[invalid-field] "b2"
    zotero.json:1:10 hint[ungraded-source] "j"
    zotero.json:1:21 error[invalid-field] "\"ftp://x\""
    "#);
}

#[test]
fn duplicate_definition_between_an_entry_and_a_block_is_on_the_later_by_path() {
    let fixture = format!(
        "{BIB_CONFIG}//- refs.bib\n@misc{{dup, title = {{In the bib}}}}\n//- zotero.json\n[{{\"id\": \"dup2\"}}]\n\
         //- a.md\n^dup2: Block before the JSON\n//- sources.md\n’ — Кремль 中俄 😀\n^dup: Block after the bib\n//- note.md\n{{x | ^dup ^dup2}}\n"
    );
    insta::assert_snapshot!(check(&fixture), @r#"
    a.md:1:1 hint[ungraded-source] "^dup2"
    refs.bib:1:7 hint[ungraded-source] "dup"
    sources.md:2:1 error[duplicate-definition] "^dup" (related refs.bib:1:7)
    sources.md:2:1 hint[ungraded-source] "^dup"
    zotero.json:1:10 error[duplicate-definition] "dup2" (related a.md:1:1)
    zotero.json:1:10 hint[ungraded-source] "dup2"
    "#);
    assert_eq!(
        messages(&fixture, "duplicate-definition"),
        [
            "source `^dup2` is already defined (a.md:1): rename or remove this definition",
            "source `^dup` is already defined (refs.bib:1): rename or remove this definition",
        ]
    );
}

#[test]
fn unused_definition_never_fires_on_an_entry_and_weak_sourcing_reads_its_grade() {
    let fixture = format!(
        "{BIB_CONFIG}//- refs.bib\n@misc{{uncited, title = {{Nobody cites me}}}}\n@misc{{weak, annote = {{reliability: E5}}}}\n\
         //- zotero.json\n[{{\"id\": \"weak2\", \"note\": \"Extra line\\nreliability: F\"}}]\n//- note.md\n’ — Кремль 中俄 😀 {{x | ^weak ^weak2}}\n"
    );
    insta::assert_snapshot!(check(&fixture), @r#"
    note.md:1:17 info[weak-sourcing] "{x | ^weak ^weak2}"
    "#);
}
