//! Bibliographies (SPEC §9.1) end to end: `dossier check` and `dossier lsp`
//! on a workspace whose `dossier.toml` names a Zotero Better BibTeX export
//! and a Zotero CSL-JSON export (tests/data/bibliography/), with ’ — Кремль
//! 中俄 🛢 before the markup on the same lines, in notes and in the files.

use serde_json::{Value, json};

use crate::support::*;

const BBT: &str = include_str!("../data/bibliography/zotero-better-bibtex.bib");
const CSL: &str = include_str!("../data/bibliography/zotero-better-csl.json");

const CONFIG: &str = "[sources]\nbibliography = [\"refs/zotero.bib\", \"refs/zotero.json\", \"refs/later.bib\"]\n";

/// The export, an entry with wide text before its key on the same line, and
/// a broken entry.
fn bib() -> String {
    format!(
        "{BBT}\n@comment{{’ — Кремль 中俄 🛢}} @online{{kremlin2014Putin,\n  title = {{{{Kremlin}}: {{Putin}} in {{Shanghai}}}},\n  date = {{2014-05-20}},\n  organization = {{President of Russia}},\n  reliability = {{B3}}\n}}\n\n@misc{{brokenEntry,\n  title {{No equals sign}},\n}}\n"
    )
}

/// The export with a first item whose `id` follows wide text on its line.
fn csl() -> String {
    CSL.replacen(
        "[\n",
        "[\n\t{\"title\": \"’ — Кремль 中俄 🛢 gas\", \"id\": \"kremlinJson2014\", \"note\": \"reliability: A1\"},\n",
        1,
    )
}

const DEAL: &str = "\
# Deal

’ — Кремль 中俄 🛢 {China and Russia signed | ^paxton2014ChinaRussiaSign ^kremlin2014Putin}
’ — Кремль 中俄 🛢 {A fact from JSON | ^kremlinJson2014 ^gazprom2014Contract}
’ — Кремль 中俄 🛢 {Weak only | ^weibo2014GasDeal}
’ — Кремль 中俄 🛢 {Later | ^later2014}
";

const BLOCK: &str = "^gazprom2014Contract: Gazprom press release\n  reliability: B1\n";

fn files(bib: &str, csl: &str) -> Vec<(&'static str, String)> {
    vec![
        ("dossier.toml", CONFIG.to_string()),
        ("refs/zotero.bib", bib.to_string()),
        ("refs/zotero.json", csl.to_string()),
        ("sources.md", BLOCK.to_string()),
        ("notes/deal.md", DEAL.to_string()),
    ]
}

fn borrowed<'f>(files: &'f [(&'static str, String)]) -> Vec<(&'static str, &'f str)> {
    files.iter().map(|(p, t)| (*p, t.as_str())).collect()
}

// ------------------------------------------------------------ dossier check

#[test]
fn check_reports_on_notes_citing_entries_and_on_the_bibliographies() {
    let (bib, csl) = (bib(), csl());
    let files = files(&bib, &csl);
    let ws = workspace(&borrowed(&files));
    let (run, findings) = check_json(ws.path(), &[]);
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let broken = find(&bib, "{No equals", 0);
    let broken_line = bib[..broken].matches('\n').count() + 1;
    let broken_column = bib[..broken].rsplit('\n').next().unwrap().chars().count() + 1;
    let csl_line = csl[..find(&csl, "\"gazprom2014Contract\"", 0)].matches('\n').count() + 1;
    assert_eq!(
        briefs(&findings),
        [
            "dossier.toml:2:56-2:72 error[invalid-bibliography]".to_string(),
            "notes/deal.md:5:17-5:48 info[weak-sourcing]".to_string(),
            "notes/deal.md:6:26-6:36 error[unknown-source]".to_string(),
            format!(
                "refs/zotero.bib:{broken_line}:{broken_column}-{broken_line}:{} error[invalid-bibliography]",
                broken_column + 1
            ),
            "sources.md:1:1-1:21 error[duplicate-definition]".to_string(),
        ]
    );
    let message = |i: usize| findings[i]["message"].as_str().unwrap().to_string();
    assert_eq!(
        message(0),
        "bibliography `refs/later.bib` does not exist: export it there (paths are relative to the folder of dossier.toml), or correct the path"
    );
    assert_eq!(
        message(1),
        "every source of this fact is graded weak (^weibo2014GasDeal E5): corroborate it with a more reliable source"
    );
    assert_eq!(message(3), "expected `=` after the field name `title`, found `{`");
    assert_eq!(
        message(4),
        format!(
            "source `^gazprom2014Contract` is already defined (zotero.json:{csl_line}): rename or remove this definition"
        )
    );
    // No `unused-definition` for entries nothing cites, even with hints.
    let (_, with_hints) = check_json(ws.path(), &["--hints"]);
    let unused: Vec<String> = briefs(&with_hints).into_iter().filter(|b| b.contains("unused-definition")).collect();
    assert_eq!(unused, Vec::<String>::new());
}

#[test]
fn check_shows_the_broken_entry_in_human_format_and_counts_its_good_entries() {
    let ws = workspace(&[
        ("dossier.toml", "[sources]\nbibliography = [\"refs.bib\"]\n"),
        (
            "refs.bib",
            "@article{good, title = {Fine}, reliability = {A1}}\n@article{bad,\n  title = {Кремль}\n  year = {2014},\n}\n",
        ),
        ("note.md", "{Cited | ^good}\n{Also cited | ^bad}\n"),
    ]);
    let run = run(ws.path(), &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "refs.bib:4:3: error[invalid-bibliography]: expected `,` or `}` after a field's value, found `y`\n  |\n4 |   year = {2014},\n  |   ^\n\n1 error, 0 warnings in 2 files\n"
    );
}

#[test]
fn check_refuses_a_bibliography_of_another_kind_in_one_line() {
    let ws = workspace(&[("dossier.toml", "[sources]\nbibliography = [\"refs.ris\"]\n"), ("note.md", "Prose.\n")]);
    let run = run(ws.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: dossier.toml:2:17: `refs.ris` in `sources.bibliography`: Dossier reads BibTeX/BibLaTeX files ending in `.bib` and CSL-JSON files ending in `.json`\n"
    );
}

// ------------------------------------------------------------ dossier lsp

fn lsp(enc: Enc) -> (Lsp, String, String) {
    let (bib, csl) = (bib(), csl());
    let lsp = Lsp::start(enc, &borrowed(&files(&bib, &csl)));
    (lsp, bib, csl)
}

#[test]
fn hover_on_a_citation_of_an_entry_shows_its_card() {
    for enc in BOTH {
        let (mut lsp, bib, _) = lsp(enc);
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "^paxton", 0, 3));
        assert_eq!(hover["range"], lsp.range_of(DEAL, "^paxton2014ChinaRussiaSign", 0), "{enc:?}");
        let line = bib[..find(&bib, "paxton2014ChinaRussiaSign", 0)].matches('\n').count() + 1;
        assert_eq!(
            hover["contents"]["value"].as_str().unwrap(),
            format!(
                "**China, Russia Sign $400 Billion Gas Deal after Decade of Talks** `^paxton2014ChinaRussiaSign`\n\n\
                 Reuters · 2014-05\n\n\
                 <https://www.reuters.com/article/us-china-russia-gas-idUSBREA4K07K20140521>\n\n\
                 Reliability: **B2 — usually reliable; probably true**\n\n\
                 - author: Paxton, Robin; Dyomkin, Denis\n- type: article\n\n\
                 Cited by 1 claim · defined at refs/zotero.bib:{line}"
            ),
            "{enc:?}"
        );
    }
}

#[test]
fn definition_and_references_reach_the_key_in_the_bib_and_the_id_in_the_json() {
    for enc in BOTH {
        let (mut lsp, bib, csl) = lsp(enc);
        let bib_uri = lsp.uri("refs/zotero.bib");
        let json_uri = lsp.uri("refs/zotero.json");
        let found =
            locations(&lsp.request(
                "textDocument/definition",
                lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "^kremlin2014Putin", 0, 4)),
            ));
        assert_eq!(found, [(bib_uri.clone(), lsp.range_of(&bib, "kremlin2014Putin", 0))], "{enc:?}");
        let found =
            locations(&lsp.request(
                "textDocument/definition",
                lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "^kremlinJson2014", 0, 4)),
            ));
        assert_eq!(found, [(json_uri.clone(), lsp.range_of(&csl, "kremlinJson2014", 0))], "{enc:?}");

        // References from the key in the .bib itself, the declaration included.
        let mut params = lsp.doc_pos("refs/zotero.bib", lsp.at(&bib, "kremlin2014Putin", 0, 2));
        params["context"] = json!({"includeDeclaration": true});
        let found = locations(&lsp.request("textDocument/references", params));
        assert_eq!(
            found,
            [
                (lsp.uri("notes/deal.md"), lsp.range_of(DEAL, "^kremlin2014Putin", 0)),
                (bib_uri.clone(), lsp.range_of(&bib, "kremlin2014Putin", 0)),
            ],
            "{enc:?}"
        );
    }
}

#[test]
fn completion_after_a_caret_offers_entries_with_title_date_and_grade() {
    let draft = "’ — Кремль 中俄 🛢 [the Kremlin](^)\n";
    for enc in BOTH {
        let (mut lsp, _, _) = lsp(enc);
        lsp.open("notes/draft.md", 1, draft);
        let mut params = lsp.doc_pos("notes/draft.md", lsp.at(draft, "^)", 0, 1));
        params["context"] = json!({"triggerKind": 2, "triggerCharacter": "^"});
        let result = lsp.request("textDocument/completion", params);
        let items = match &result {
            Value::Array(items) => items.clone(),
            other => other["items"].as_array().unwrap().clone(),
        };
        let detail = |label: &str| {
            items.iter().find(|i| i["label"] == label).map(|i| i["detail"].clone()).unwrap_or(Value::Null)
        };
        assert_eq!(
            detail("kremlin2014Putin"),
            "Kremlin: Putin in Shanghai · 2014-05-20 · B3 — usually reliable; possibly true",
            "{enc:?}"
        );
        assert_eq!(
            detail("tass2014PutinGasContract"),
            "Путин: газовый контракт с Китаем — «эпохальное событие» · 2014-05-21 · C3 — fairly reliable; possibly true"
        );
        assert_eq!(detail("xinhua2014Deal"), "中俄签署东线天然气合作协议 · 2014-05-21");
        // Every entry of both files is offered (the broken one too), and the block.
        assert_eq!(items.len(), 5 + 1 + 1 + 4, "{result}");
    }
}

#[test]
fn rename_of_an_entry_is_refused_naming_the_file() {
    for enc in BOTH {
        let (mut lsp, _, _) = lsp(enc);
        let on_key = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "^paxton", 0, 2));
        let expected = "`^paxton2014ChinaRussiaSign` is defined in the bibliography refs/zotero.bib: Dossier does not rename bibliography entries; change the citation key in your reference manager (Zotero, Better BibTeX), export again, then replace `^paxton2014ChinaRussiaSign` in the notes";
        let error = lsp.request_error("textDocument/prepareRename", on_key.clone());
        assert_eq!(error["message"], expected, "{enc:?}");
        let mut params = on_key;
        params["newName"] = json!("reuters-2014");
        let error = lsp.request_error("textDocument/rename", params);
        assert_eq!(error["message"], expected, "{enc:?}");
    }
}

#[test]
fn diagnostics_land_on_the_bibliography_the_block_and_dossier_toml() {
    for enc in BOTH {
        let (mut lsp, bib, csl) = lsp(enc);
        let on_bib = lsp.diagnostics_for(&lsp.uri("refs/zotero.bib"), |d| !d.is_empty());
        let broken = find(&bib, "{No equals", 0);
        assert_eq!(summaries(&on_bib), [("invalid-bibliography".to_string(), 1, lsp.range(&bib, broken, broken + 1))]);

        let on_block = lsp.diagnostics_for(&lsp.uri("sources.md"), |d| !d.is_empty());
        assert_eq!(
            summaries(&on_block),
            [("duplicate-definition".to_string(), 1, lsp.range_of(BLOCK, "^gazprom2014Contract", 0))],
            "{enc:?}"
        );
        let related = &on_block[0]["relatedInformation"][0]["location"];
        assert_eq!(related["uri"], lsp.uri("refs/zotero.json"));
        assert_eq!(related["range"], lsp.range_of(&csl, "gazprom2014Contract", 0), "{enc:?}");

        let on_config = lsp.diagnostics_for(&lsp.uri("dossier.toml"), |d| !d.is_empty());
        assert_eq!(
            summaries(&on_config),
            [("invalid-bibliography".to_string(), 1, lsp.range_of(CONFIG, "\"refs/later.bib\"", 0))]
        );
        let on_deal = lsp.diagnostics_for(&lsp.uri("notes/deal.md"), |d| d.len() == 2);
        assert_eq!(
            summaries(&on_deal),
            [
                ("weak-sourcing".to_string(), 3, lsp.range(DEAL, find(DEAL, "{Weak", 0), find(DEAL, "Deal}", 0) + 5)),
                ("unknown-source".to_string(), 1, lsp.range_of(DEAL, "^later2014", 0)),
            ],
            "{enc:?}"
        );
    }
}

#[test]
fn a_watched_bibliography_created_or_changed_updates_the_notes_citing_it() {
    for enc in BOTH {
        let (mut lsp, bib, _) = lsp(enc);
        let deal = lsp.uri("notes/deal.md");
        lsp.diagnostics_for(&deal, |d| d.len() == 2);
        lsp.diagnostics_for(&lsp.uri("dossier.toml"), |d| d.len() == 1);

        // The missing file appears: its entry resolves `^later2014`, and
        // dossier.toml no longer reports it.
        lsp.write("refs/later.bib", "@misc{later2014, title = {Later}, reliability = {A1}}\n");
        let changes = json!({"changes": [{"uri": lsp.uri("refs/later.bib"), "type": 1}]});
        lsp.notify("workspace/didChangeWatchedFiles", changes);
        let after = lsp.diagnostics_for(&deal, |d| d.len() == 1);
        assert_eq!(after[0]["code"], "weak-sourcing", "{enc:?}");
        lsp.diagnostics_for(&lsp.uri("dossier.toml"), <[Value]>::is_empty);

        // The weak entry regraded in the .bib: the weak claim is fine now.
        lsp.write("refs/zotero.bib", &bib.replace("reliability: E5", "reliability: B2"));
        let changes = json!({"changes": [{"uri": lsp.uri("refs/zotero.bib"), "type": 2}]});
        lsp.notify("workspace/didChangeWatchedFiles", changes);
        lsp.diagnostics_for(&deal, <[Value]>::is_empty);

        // The .bib deleted: its citations are unknown, and dossier.toml says so.
        std::fs::remove_file(lsp.root.join("refs/zotero.bib")).unwrap();
        let changes = json!({"changes": [{"uri": lsp.uri("refs/zotero.bib"), "type": 3}]});
        lsp.notify("workspace/didChangeWatchedFiles", changes);
        let after = lsp.diagnostics_for(&deal, |d| d.len() == 3);
        assert!(after.iter().all(|d| d["code"] == "unknown-source"), "{enc:?}: {after:?}");
        lsp.diagnostics_for(&lsp.uri("refs/zotero.bib"), <[Value]>::is_empty);
        lsp.diagnostics_for(&lsp.uri("dossier.toml"), |d| d.len() == 1);
    }
}

#[test]
fn an_open_bibliography_is_read_from_the_editor_text() {
    for enc in BOTH {
        let (mut lsp, bib, _) = lsp(enc);
        let uri = lsp.uri("refs/zotero.bib");
        lsp.diagnostics_for(&uri, |d| d.len() == 1);
        // Fixed in the editor, not saved: the error goes, and a new key counts.
        let fixed = bib.replace("title {No equals", "title = {No equals")
            + "@misc{later2014, title = {Later}, note = {reliability: B2}}\n";
        lsp.open("refs/zotero.bib", 1, &fixed);
        lsp.diagnostics_for(&uri, <[Value]>::is_empty);
        let deal = lsp.diagnostics_for(&lsp.uri("notes/deal.md"), |d| d.len() == 1);
        assert_eq!(deal[0]["code"], "weak-sourcing", "{enc:?}");
        // Closed: the disk's version returns.
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        lsp.diagnostics_for(&uri, |d| d.len() == 1);
    }
}

#[test]
fn the_benchmark_generator_makes_workspaces_that_check_clean() {
    let dir = tempdir();
    let out = dir.path().join("bib");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/gen_bibliography.py");
    let status = std::process::Command::new("python3").arg(script).arg("30").arg(&out).status();
    let Ok(status) = status else {
        eprintln!("skipped: python3 is not installed");
        return;
    };
    assert!(status.success());
    for ws in ["both", "bib", "json"] {
        let (run, findings) = check_json(&out.join(ws), &[]);
        assert!(run.code <= 1, "{ws}: {}", run.stderr);
        let rules: Vec<&str> = findings.iter().map(|f| f["rule"].as_str().unwrap()).collect();
        assert!(rules.iter().all(|r| *r == "weak-sourcing"), "{ws}: {rules:?}");
    }
}
