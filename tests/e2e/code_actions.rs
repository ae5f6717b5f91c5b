//! End-to-end tests of `textDocument/codeAction` (SPEC §6) through real
//! stdio JSON-RPC: for every row of the table, the actions asked at the
//! finding (or on a selection) of an open note, the one chosen applied to
//! the texts as an editor would, and the whole text of every file it edits
//! compared, in UTF-8 and UTF-16, with ’ — Кремль 中俄 🛢 before the markup
//! on the same line. Then the near misses (no action where §6 offers
//! none), a closed note edited through the `WorkspaceEdit` with no version,
//! `CreateFile` only for a client that can create files, plain `changes`
//! for one without `documentChanges`, and `source.fixAll.dossier`.

use serde_json::{Value, json};

use crate::support::*;

/// Before the markup on every fixture line: a column counted in the wrong
/// unit (bytes, UTF-16 units, characters) shifts every edit.
const PRE: &str = "’ — Кремль 中俄 🛢 ";

/// One row: a note (with `$0` at the cursor, or two `$0` around the
/// selection), the title of the action to apply, and each file it edits
/// with its whole text after.
struct Row {
    note: String,
    title: &'static str,
    kind: &'static str,
    preferred: bool,
    /// The rule of the finding it fixes, if any.
    fixes: Option<&'static str>,
    after: Vec<(&'static str, String)>,
}

fn row(note: &str, title: &'static str, fixes: Option<&'static str>, after: &[(&'static str, &str)]) -> Row {
    let kind = if fixes.is_some() { "quickfix" } else { "refactor.rewrite" };
    Row {
        note: note.to_string(),
        title,
        kind,
        preferred: false,
        fixes,
        after: after.iter().map(|(p, t)| (*p, t.to_string())).collect(),
    }
}

fn preferred(mut row: Row) -> Row {
    row.preferred = true;
    row
}

fn rows() -> Vec<Row> {
    let actors_plus = |line: &str| format!("{ACTORS}\n{line}\n");
    vec![
        preferred(row(
            &format!("{PRE}{{@putin signed | ^tass-2014 co$0nf:hgh}}\n"),
            "Change `conf:hgh` to `conf:high`",
            Some("invalid-metadata"),
            &[("note.md", &format!("{PRE}{{@putin signed | ^tass-2014 conf:high}}\n"))],
        )),
        row(
            &format!("^local: {PRE}Local paper\n  reliability: b$02\n\n{PRE}{{x | ^local}}\n"),
            "Write `b2` as `B2`",
            Some("invalid-field"),
            &[("note.md", &format!("^local: {PRE}Local paper\n  reliability: B2\n\n{PRE}{{x | ^local}}\n"))],
        ),
        row(
            &format!("^local: {PRE}Local paper\n  date: 2014-5-$01\n\n{PRE}{{x | ^local}}\n"),
            "Write `2014-5-1` as `2014-05-01`",
            Some("invalid-field"),
            &[("note.md", &format!("^local: {PRE}Local paper\n  date: 2014-05-01\n\n{PRE}{{x | ^local}}\n"))],
        ),
        preferred(row(
            &format!("{PRE}@put$0n met {PRE}[Xi](@xi).\n"),
            "Change `@putn` to `@putin`",
            Some("unknown-actor"),
            &[("note.md", &format!("{PRE}@putin met {PRE}[Xi](@xi).\n"))],
        )),
        preferred(row(
            &format!("{PRE}{{x | ^tass-201$0}}\n"),
            "Change `^tass-201` to `^tass-2014`",
            Some("unknown-source"),
            &[("note.md", &format!("{PRE}{{x | ^tass-2014}}\n"))],
        )),
        row(
            &format!("{PRE}@obama$0 spoke.\n"),
            "Define `@obama` in actors.md",
            Some("unknown-actor"),
            &[("actors.md", &actors_plus("@obama: obama"))],
        ),
        row(
            &format!("{PRE}Gazprom$0 and {PRE}Gazprom’s {{Gazprom | ^tass-2014}}\n"),
            "Tag `Gazprom` as `[Gazprom](@gazprom)`",
            Some("untagged-mention"),
            &[("note.md", &format!("{PRE}[Gazprom](@gazprom) and {PRE}Gazprom’s {{Gazprom | ^tass-2014}}\n"))],
        ),
        row(
            &format!("{PRE}Gazprom$0 and {PRE}Gazprom’s {{Gazprom | ^tass-2014}}\n"),
            "Tag every untagged `@gazprom` in this note",
            Some("untagged-mention"),
            &[(
                "note.md",
                &format!(
                    "{PRE}[Gazprom](@gazprom) and {PRE}[Gazprom](@gazprom)’s {{[Gazprom](@gazprom) | ^tass-2014}}\n"
                ),
            )],
        ),
        row(
            &format!("{PRE}{{@putin told [Xi](@xi) it$0 | kind:quote ^tass-2014 @gazprom}}\n"),
            "Add `by:@xi` (the speaker)",
            Some("missing-speaker"),
            &[("note.md", &format!("{PRE}{{@putin told [Xi](@xi) it | kind:quote ^tass-2014 @gazprom by:@xi}}\n"))],
        ),
        row(
            &format!("{PRE}{{it is bad$0 | kind:assessment}}\n"),
            "Add `conf:moderate`",
            Some("missing-confidence"),
            &[("note.md", &format!("{PRE}{{it is bad | kind:assessment conf:moderate}}\n"))],
        ),
        row(
            &format!("{PRE}{{it will$0 | kind:forecast}}\n"),
            "Add `est:very-likely` (80–95%)",
            Some("missing-estimate"),
            &[("note.md", &format!("{PRE}{{it will | kind:forecast est:very-likely}}\n"))],
        ),
        row(
            &format!("{PRE}{{a | ^tass-2014(p. 2)}} and {PRE}{{b$0}}\n"),
            "Cite `^tass-2014`",
            Some("unsourced-claim"),
            &[("note.md", &format!("{PRE}{{a | ^tass-2014(p. 2)}} and {PRE}{{b | ^tass-2014}}\n"))],
        ),
        row(
            &format!("{PRE}$0{{a claim\n{PRE}that runs on\n\nnext\n"),
            "Close the claim with `}` at the end of its last line",
            Some("unclosed-claim"),
            &[("note.md", &format!("{PRE}{{a claim\n{PRE}that runs on}}\n\nnext\n"))],
        ),
        row(
            &format!("{PRE}$0@putin met\n{PRE}the press$0 today.\n"),
            "Mark as claim",
            None,
            &[("note.md", &format!("{PRE}{{@putin met\n{PRE}the press | }} today.\n"))],
        ),
        row(
            &format!("{PRE}Then $0Xi Jinping$0 spoke.\n"),
            "Tag as `@xi`",
            None,
            &[("note.md", &format!("{PRE}Then [Xi Jinping](@xi) spoke.\n"))],
        ),
        row(
            &format!("{PRE}Then [$0Vladimir Putin$0](@xi) spoke.\n"),
            "Tag as `@putin`",
            None,
            &[("note.md", &format!("{PRE}Then [Vladimir Putin](@putin) spoke.\n"))],
        ),
        row(
            &format!("{PRE}{{Then $0Sergey Lavrov$0 spoke | ^tass-2014}}\n"),
            "Define `@sergey-lavrov` and tag",
            None,
            &[
                ("note.md", &format!("{PRE}{{Then [Sergey Lavrov](@sergey-lavrov) spoke | ^tass-2014}}\n")),
                ("actors.md", &actors_plus("@sergey-lavrov: Sergey Lavrov")),
            ],
        ),
    ]
}

/// The request range of a marked note: the cursor, or the selection.
fn request_range(lsp: &Lsp, text: &str, marks: &[usize]) -> Value {
    match marks {
        [at] => lsp.range(text, *at, *at),
        [start, end] => lsp.range(text, *start, *end),
        _ => panic!("one or two `$0` marks"),
    }
}

/// Asks for code actions, sending the published findings that touch the
/// range as an editor does; the answer as a list.
fn code_actions(lsp: &mut Lsp, path: &str, range: Value, only: Option<&[&str]>) -> Vec<Value> {
    let uri = lsp.uri(path);
    let published = lsp.published.get(&uri).map(|p| p["diagnostics"].clone()).unwrap_or(json!([]));
    let key = |p: &Value| (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
    let touching: Vec<Value> = published
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| key(&d["range"]["start"]) <= key(&range["end"]) && key(&range["start"]) <= key(&d["range"]["end"]))
        .cloned()
        .collect();
    let mut context = json!({"diagnostics": touching});
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let result = lsp
        .request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": range, "context": context}));
    result.as_array().cloned().unwrap_or_default()
}

/// The texts after applying a `WorkspaceEdit`, by workspace path; `texts`
/// holds what each file holds before (a created file starts empty). Also
/// checks the versions: `open` is the one open document and its version.
fn applied(lsp: &Lsp, edit: &Value, texts: &[(&str, &str)], open: (&str, i64)) -> Vec<(String, String)> {
    let path_of = |uri: &str| {
        let root = uri_of(&lsp.root);
        uri.strip_prefix(&root).unwrap_or_else(|| panic!("{uri} outside {root}")).trim_start_matches('/').to_string()
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let changes = edit["documentChanges"].as_array().unwrap_or_else(|| panic!("documentChanges expected: {edit}"));
    for change in changes {
        if change["kind"] == "create" {
            out.push((path_of(change["uri"].as_str().unwrap()), String::new()));
            continue;
        }
        let path = path_of(change["textDocument"]["uri"].as_str().unwrap());
        let expected_version = if path == open.0 { json!(open.1) } else { Value::Null };
        assert_eq!(change["textDocument"]["version"], expected_version, "{path}: {edit}");
        let before = match out.iter().find(|(p, _)| *p == path) {
            Some((_, text)) => text.clone(),
            None => texts.iter().find(|(p, _)| *p == path).map(|(_, t)| t.to_string()).expect("a known file"),
        };
        let after = apply_text_edits(&before, change["edits"].as_array().unwrap(), lsp.enc);
        out.retain(|(p, _)| *p != path);
        out.push((path, after));
    }
    out
}

/// A client with versioned edits; `create`: whether it can create files.
fn start(enc: Enc, files: &[(&str, &str)], create: bool) -> Lsp {
    let mut lsp = Lsp::spawn(enc, files);
    let mut params = lsp.initialize_params(true, &[""]);
    if create {
        params["capabilities"]["workspace"]["workspaceEdit"]["resourceOperations"] = json!(["create"]);
    }
    lsp.init = lsp.request("initialize", params);
    lsp.notify("initialized", json!({}));
    lsp.wait_until_indexed();
    lsp
}

/// Opens `note.md` with `marked` (its `$0` taken out) at `version`, once
/// the server has handled what came before; its text and the marks. (The
/// findings published for it may not be sent again when they equal the
/// last ones; the server computes its own anyway.)
fn open_note(lsp: &mut Lsp, marked: &str, version: i32) -> (String, Vec<usize>) {
    let (text, marks) = cursors(marked);
    lsp.open("note.md", version, &text);
    lsp.barrier();
    (text, marks)
}

#[test]
fn every_row_of_the_table_edits_the_text_exactly() {
    for enc in BOTH {
        let files = [("actors.md", ACTORS), ("sources.md", SOURCES), ("note.md", "")];
        let mut lsp = start(enc, &files, true);
        for (i, row) in rows().into_iter().enumerate() {
            let version = 10 + i as i32;
            let (text, marks) = open_note(&mut lsp, &row.note, version);
            let range = request_range(&lsp, &text, &marks);
            let found = code_actions(&mut lsp, "note.md", range, None);
            let titles: Vec<&str> = found.iter().map(|a| a["title"].as_str().unwrap()).collect();
            let action = found
                .iter()
                .find(|a| a["title"] == row.title)
                .unwrap_or_else(|| panic!("{enc:?}: no {:?} among {titles:?}", row.title));
            assert_eq!(action["kind"], row.kind, "{}", row.title);
            assert_eq!(action["isPreferred"].as_bool().unwrap_or(false), row.preferred, "{}", row.title);
            let rules: Vec<&str> = action["diagnostics"]
                .as_array()
                .map_or(vec![], |d| d.iter().map(|d| d["code"].as_str().unwrap()).collect());
            assert_eq!(rules, row.fixes.into_iter().collect::<Vec<_>>(), "{}", row.title);
            let texts = [("actors.md", ACTORS), ("sources.md", SOURCES), ("note.md", text.as_str())];
            let mut after = applied(&lsp, &action["edit"], &texts, ("note.md", version as i64));
            after.sort();
            let mut expected: Vec<(String, String)> =
                row.after.iter().map(|(p, t)| (p.to_string(), t.clone())).collect();
            expected.sort();
            assert_eq!(after, expected, "{enc:?}: {}", row.title);
            lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": lsp.uri("note.md")}}));
        }
    }
}

#[test]
fn no_action_where_the_table_offers_none() {
    for enc in BOTH {
        let files = [("actors.md", ACTORS), ("sources.md", SOURCES), ("note.md", "")];
        let mut lsp = start(enc, &files, true);
        let cases = [
            // `ulikely`: one edit from both `unlikely` and `likely`.
            format!("{PRE}{{x | ^tass-2014 est:ulik$0ely}}\n"),
            // A selection across a blank line, in metadata, in code, in a comment.
            format!("{PRE}$0one\n\ntwo$0\n"),
            format!("{PRE}{{x | $0^tass-2014$0}}\n"),
            format!("{PRE}`$0code$0`\n"),
            format!("```\n{PRE}$0fenced$0\n```\n"),
            format!("<!-- {PRE}$0comment$0 -->\n"),
            // A date that padding would not make real.
            format!("^local: {PRE}L\n  date: 2014-2-$030\n\n{{x | ^local}}\n"),
        ];
        for (i, marked) in cases.iter().enumerate() {
            let (text, marks) = open_note(&mut lsp, marked, 100 + i as i32);
            let range = request_range(&lsp, &text, &marks);
            let found = code_actions(&mut lsp, "note.md", range, Some(&["quickfix", "refactor"]));
            assert_eq!(found, Vec::<Value>::new(), "{enc:?} {marked:?}");
            lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": lsp.uri("note.md")}}));
        }
    }
}

#[test]
fn define_creates_actors_md_only_for_a_client_that_can_create_files() {
    for enc in BOTH {
        for create in [true, false] {
            let files = [("note.md", "")];
            let mut lsp = start(enc, &files, create);
            let (text, marks) = open_note(&mut lsp, &format!("{PRE}@obama$0 spoke.\n"), 3);
            let range = request_range(&lsp, &text, &marks);
            let found = code_actions(&mut lsp, "note.md", range, None);
            let define = found.iter().find(|a| a["title"] == "Define `@obama` in actors.md");
            if !create {
                assert!(define.is_none(), "{enc:?}: {found:?}");
                continue;
            }
            let edit = &define.expect("offered")["edit"];
            let changes = edit["documentChanges"].as_array().unwrap();
            assert_eq!(changes[0]["kind"], "create");
            assert_eq!(changes[0]["uri"], lsp.uri("actors.md"));
            assert_eq!(changes[0]["options"], json!({"overwrite": false, "ignoreIfExists": true}));
            let after = applied(&lsp, edit, &[("note.md", &text)], ("note.md", 3));
            assert_eq!(after, [("actors.md".to_string(), "@obama: obama\n".to_string())]);
        }
    }
}

#[test]
fn a_client_without_document_changes_gets_plain_changes() {
    for enc in BOTH {
        let files = [("actors.md", ACTORS), ("sources.md", SOURCES), ("note.md", "")];
        let mut lsp = Lsp::spawn(enc, &files);
        let mut params = lsp.initialize_params(true, &[""]);
        params["capabilities"]["workspace"]["workspaceEdit"] = json!({});
        lsp.init = lsp.request("initialize", params);
        lsp.notify("initialized", json!({}));
        lsp.wait_until_indexed();
        let (text, marks) = open_note(&mut lsp, &format!("{PRE}@put$0n spoke.\n"), 4);
        let range = request_range(&lsp, &text, &marks);
        let found = code_actions(&mut lsp, "note.md", range, Some(&["quickfix"]));
        let titles: Vec<&str> = found.iter().map(|a| a["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Change `@putn` to `@putin`", "Define `@putn` in actors.md"]);
        let changes = &found[0]["edit"]["changes"];
        assert!(found[0]["edit"]["documentChanges"].is_null());
        let edits = changes[lsp.uri("note.md")].as_array().unwrap();
        assert_eq!(apply_text_edits(&text, edits, enc), format!("{PRE}@putin spoke.\n"));
    }
}

#[test]
fn fix_all_applies_every_safe_fix_in_one_edit_and_only_when_asked_for() {
    for enc in BOTH {
        let files = [("actors.md", ACTORS), ("sources.md", SOURCES), ("note.md", "")];
        let mut lsp = start(enc, &files, true);
        let note = format!(
            "{PRE}{{a | ^tass-2014 conf:hgh kind:asessment$0}}\n{PRE}{{b | ^tass-2014 kind:quot @putn}}\n^local: L\n  reliability: c3\n\n{PRE}{{c | ^local}}\n"
        );
        let (text, marks) = open_note(&mut lsp, &note, 8);
        let range = request_range(&lsp, &text, &marks);
        for only in [&["source.fixAll"][..], &["source"], &["source.fixAll.dossier"]] {
            let found = code_actions(&mut lsp, "note.md", range.clone(), Some(only));
            assert_eq!(found.len(), 1, "{only:?}: {found:?}");
            let action = &found[0];
            assert_eq!(action["kind"], "source.fixAll.dossier");
            assert_eq!(action["title"], "Fix all safe Dossier findings (4)");
            let after = applied(&lsp, &action["edit"], &[("note.md", &text)], ("note.md", 8));
            let expected = format!(
                "{PRE}{{a | ^tass-2014 conf:high kind:assessment}}\n{PRE}{{b | ^tass-2014 kind:quote @putn}}\n^local: L\n  reliability: C3\n\n{PRE}{{c | ^local}}\n"
            );
            assert_eq!(after, [("note.md".to_string(), expected)], "{enc:?}");
        }
        // Quick fixes only: no fix-all; refactors only at a cursor: nothing.
        let quick = code_actions(&mut lsp, "note.md", range.clone(), Some(&["quickfix"]));
        assert!(quick.iter().all(|a| a["kind"] == "quickfix"), "{quick:?}");
        assert!(!quick.is_empty());
        assert_eq!(code_actions(&mut lsp, "note.md", range, Some(&["refactor"])), Vec::<Value>::new());
    }
}

#[test]
fn in_a_cursors_menu_the_fix_all_edit_waits_for_resolve_when_the_client_resolves() {
    for enc in BOTH {
        let files = [("actors.md", ACTORS), ("sources.md", SOURCES), ("note.md", "")];
        let mut lsp = Lsp::spawn(enc, &files);
        let mut params = lsp.initialize_params(true, &[""]);
        params["capabilities"]["textDocument"]["codeAction"] =
            json!({"dataSupport": true, "resolveSupport": {"properties": ["edit"]}});
        lsp.init = lsp.request("initialize", params);
        lsp.notify("initialized", json!({}));
        lsp.wait_until_indexed();
        let note = format!("{PRE}{{a | ^tass-2014 conf:hgh$0}}\n^local: L\n  reliability: c3\n\n{PRE}{{c | ^local}}\n");
        let (text, marks) = open_note(&mut lsp, &note, 3);
        let range = request_range(&lsp, &text, &marks);

        // No `only`: the fix-all is listed with its count and no edit.
        let found = code_actions(&mut lsp, "note.md", range.clone(), None);
        let lazy = found.iter().find(|a| a["kind"] == "source.fixAll.dossier").expect("a fix-all action");
        assert_eq!(lazy["title"], "Fix all safe Dossier findings (2)");
        assert!(lazy["edit"].is_null() && lazy["diagnostics"].is_null(), "{lazy}");
        assert_eq!(lazy["data"], json!({"fixAll": lsp.uri("note.md")}));
        // The quick fix at the cursor still carries its edit.
        let quick = found.iter().find(|a| a["kind"] == "quickfix").expect("the quick fix");
        assert!(!quick["edit"].is_null());

        let resolved = lsp.request("codeAction/resolve", lazy.clone());
        assert_eq!(resolved["title"], lazy["title"]);
        let after = applied(&lsp, &resolved["edit"], &[("note.md", &text)], ("note.md", 3));
        let expected =
            format!("{PRE}{{a | ^tass-2014 conf:high}}\n^local: L\n  reliability: C3\n\n{PRE}{{c | ^local}}\n");
        assert_eq!(after, [("note.md".to_string(), expected.clone())], "{enc:?}");

        // Asked for by kind, as on save: whole at once, the same edit.
        let on_save = code_actions(&mut lsp, "note.md", range, Some(&["source.fixAll.dossier"]));
        assert_eq!(on_save.len(), 1);
        assert_eq!(on_save[0]["edit"], resolved["edit"]);

        // Fixed meanwhile: the resolve gives an edit that changes nothing.
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": lsp.uri("note.md"), "version": 4}, "contentChanges": [{"text": expected}]}),
        );
        let stale = lsp.request("codeAction/resolve", lazy.clone());
        assert_eq!(stale["edit"], json!({}), "{enc:?}");

        // Not the server's action: back as it came; a note it does not know: an error.
        let foreign = json!({"title": "Someone else's", "kind": "quickfix", "data": {"x": 1}});
        assert_eq!(lsp.request("codeAction/resolve", foreign.clone()), foreign);
        let mut unknown = lazy.clone();
        unknown["data"]["fixAll"] = json!(lsp.uri("nowhere.md"));
        let error = lsp.request_error("codeAction/resolve", unknown);
        assert!(error["message"].as_str().unwrap().contains("nowhere.md"), "{error}");
    }
}

#[test]
fn the_server_advertises_its_code_action_kinds() {
    let lsp = start(Enc::Utf16, &[("note.md", "")], false);
    let provider = &lsp.init["capabilities"]["codeActionProvider"];
    assert_eq!(provider["codeActionKinds"], json!(["quickfix", "refactor.rewrite", "source.fixAll.dossier"]));
    assert_eq!(provider["resolveProvider"], true);
}

#[test]
fn a_bad_code_action_request_gets_an_empty_answer_or_an_error_and_the_server_lives_on() {
    let files = [("actors.md", ACTORS), ("note.md", "@putn\n")];
    let mut lsp = start(Enc::Utf16, &files, false);
    let uri = lsp.uri("note.md");
    let far = json!({"start": {"line": 99, "character": 0}, "end": {"line": 99, "character": 5}});
    let past_end = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": far, "context": {"diagnostics": [{"range": far, "message": "x", "code": "unknown-actor"}]}}),
    );
    assert!(past_end.is_null() || past_end == json!([]), "{past_end}");
    let unknown = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": lsp.uri("nowhere.md")}, "range": far, "context": {"diagnostics": []}}),
    );
    assert!(unknown.is_null() || unknown == json!([]), "{unknown}");
    let malformed = lsp.call("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": 7}));
    assert!(malformed.get("error").is_some(), "{malformed}");
    // A finding the client reports that the rules do not: nothing for it.
    let at = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let claimed = json!({"range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 4}}, "message": "x", "code": "unsourced-claim"});
    let found = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": at, "context": {"diagnostics": [claimed], "only": ["quickfix"]}}),
    );
    let titles: Vec<&str> = found.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Change `@putn` to `@putin`", "Define `@putn` in actors.md"]);
}

#[test]
fn a_closed_note_changed_on_disk_unreported_is_read_again_before_it_is_edited() {
    for enc in BOTH {
        let files = [("actors.md", ACTORS), ("note.md", "")];
        let mut lsp = start(enc, &files, false);
        // Written behind the server's back (no file event): the edit must
        // be computed on this text, not the indexed one.
        let on_disk = format!("{ACTORS}\n@lavrov: Sergey Lavrov ’ — 🛢\n  kind: person");
        lsp.write("actors.md", &on_disk);
        let (text, marks) = open_note(&mut lsp, &format!("{PRE}@obama$0 spoke.\n"), 2);
        let range = request_range(&lsp, &text, &marks);
        let found = code_actions(&mut lsp, "note.md", range, Some(&["quickfix"]));
        let define = found.iter().find(|a| a["title"] == "Define `@obama` in actors.md").expect("offered");
        let after = applied(&lsp, &define["edit"], &[("actors.md", &on_disk)], ("note.md", 2));
        assert_eq!(after, [("actors.md".to_string(), format!("{on_disk}\n\n@obama: obama\n"))], "{enc:?}");
    }
}
