//! The forecast tokens and the source-quality rules in the language
//! server, over stdio JSON-RPC in both position encodings: the findings of
//! `ungraded-source`, `thin-sourcing` and `overdue-forecast` with their
//! exact ranges, hover on a forecast and on its `due:`/`outcome:` values,
//! completion of `outcome:` values and of the token names, and a bad
//! `DOSSIER_TODAY` (said to the user; the server goes on with the local date).

use serde_json::{Value, json};

use crate::support::*;

const SOURCES: &str = "^wire: Wire — Кремль 中俄 🛢\n  reliability: B2\n^blog: Blog ’ 🛢\n";

const NOTE: &str = "\
’ — Кремль 中俄 🛢 {It will open by 2020 | kind:forecast est:likely due:2020 #open}
’ — Кремль 中俄 🛢 {It closes | kind:forecast est:unlikely due:2021-03 outcome:false ^wire conf:high ^wire(p. 2)}
’ — Кремль 中俄 🛢 {Still open | kind:forecast est:likely due:2024-06-15 ^blog outcome:}
";

fn start(enc: Enc, env: &[(&str, &str)]) -> Lsp {
    let mut lsp = Lsp::spawn_with_env(enc, &[("sources.md", SOURCES), ("note.md", NOTE)], env);
    let params = lsp.initialize_params(true, &[""]);
    lsp.init = lsp.request("initialize", params);
    lsp.notify("initialized", json!({}));
    lsp.wait_until_indexed();
    lsp
}

fn brief(d: &Value) -> (String, i64, Value) {
    (d["code"].as_str().unwrap().to_string(), d["severity"].as_i64().unwrap(), d["range"].clone())
}

#[test]
fn the_new_rules_are_published_with_exact_ranges() {
    for enc in BOTH {
        let mut lsp = start(enc, &[("DOSSIER_TODAY", "2024-06-15")]);
        let note = lsp.uri("note.md");
        let found = lsp.diagnostics_for(&note, |d| !d.is_empty());
        let found: Vec<(String, i64, Value)> = found.iter().map(brief).collect();
        let claim = |n: usize, end: &str| {
            let start = find(NOTE, "{", n);
            lsp.range(NOTE, start, find(NOTE, end, 0) + end.len())
        };
        let expected = vec![
            ("overdue-forecast".to_string(), 3, claim(0, "#open}")),
            ("thin-sourcing".to_string(), 3, claim(1, "(p. 2)}")),
            // `outcome:` with no value: the token is `outcome:` alone.
            ("invalid-metadata".to_string(), 1, lsp.range_of(NOTE, "outcome:", 1)),
        ];
        assert_eq!(found, expected, "{enc:?}");
        let sources = lsp.uri("sources.md");
        let found = lsp.diagnostics_for(&sources, |d| !d.is_empty());
        let found: Vec<(String, i64, Value)> = found.iter().map(brief).collect();
        assert_eq!(found, [("ungraded-source".to_string(), 4, lsp.range_of(SOURCES, "^blog", 0))], "{enc:?}");
    }
}

#[test]
fn hover_and_completion_on_forecasts() {
    for enc in BOTH {
        let mut lsp = start(enc, &[("DOSSIER_TODAY", "2024-06-15")]);
        lsp.open("note.md", 1, NOTE);
        let hover = lsp.hover("note.md", lsp.at(NOTE, "open by", 0, 3));
        let card = hover["contents"]["value"].as_str().unwrap();
        assert!(card.contains("- Due: 2020 — **overdue** (today is 2024-06-15): record its `outcome:`"), "{card}");
        assert_eq!(hover["range"], lsp.range(NOTE, find(NOTE, "{", 0), find(NOTE, "#open}", 0) + 6), "{enc:?}");

        let hover = lsp.hover("note.md", lsp.at(NOTE, "due:2021-03", 0, 5));
        let card = hover["contents"]["value"].as_str().unwrap();
        assert!(
            card.starts_with(
                "**due: 2021-03** — the date by which this forecast resolves (through 2021-03-31); resolved"
            ),
            "{card}"
        );
        assert_eq!(hover["range"], lsp.range_of(NOTE, "due:2021-03", 0), "{enc:?}");

        let hover = lsp.hover("note.md", lsp.at(NOTE, "outcome:false", 0, 9));
        assert_eq!(hover["contents"]["value"], "**outcome: false** — it did not come true: how this forecast resolved");
        assert_eq!(hover["range"], lsp.range_of(NOTE, "outcome:false", 0), "{enc:?}");

        // After `outcome:`: its two values, inserted at the cursor.
        let at = find(NOTE, "outcome:}", 0) + "outcome:".len();
        let mut params = lsp.doc_pos("note.md", lsp.pos(NOTE, at));
        params["context"] = json!({"triggerKind": 2, "triggerCharacter": ":"});
        let result = lsp.request("textDocument/completion", params);
        let items = result.as_array().cloned().unwrap_or_else(|| result["items"].as_array().unwrap().clone());
        let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["true", "false"], "{enc:?}");
        assert_eq!(items[0]["textEdit"]["range"], lsp.range(NOTE, at, at), "{enc:?}");

        // In metadata, the token names include `due:` and `outcome:`.
        let at = find(NOTE, " #open}", 0) + 1;
        let mut params = lsp.doc_pos("note.md", lsp.pos(NOTE, at));
        params["context"] = json!({"triggerKind": 1});
        let result = lsp.request("textDocument/completion", params);
        let items = result.as_array().cloned().unwrap_or_else(|| result["items"].as_array().unwrap().clone());
        let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
        assert!(labels.contains(&"due:") && labels.contains(&"outcome:"), "{enc:?}: {labels:?}");
    }
}

#[test]
fn a_bad_dossier_today_is_shown_and_the_server_goes_on() {
    let mut lsp = start(Enc::Utf16, &[("DOSSIER_TODAY", "2024-13-01")]);
    lsp.drain(std::time::Duration::from_millis(300));
    let said: Vec<&Value> = lsp.logs.iter().filter(|m| m["type"] == 1).collect();
    assert_eq!(said.len(), 1, "{:?}", lsp.logs);
    assert_eq!(
        said[0]["message"],
        "dossier: DOSSIER_TODAY=`2024-13-01` is not a date: write it as YYYY-MM-DD; using the local date"
    );
    // The local date applies: the forecast due in 2020 is overdue on it.
    let note = lsp.uri("note.md");
    let found = lsp.diagnostics_for(&note, |d| d.iter().any(|d| d["code"] == "overdue-forecast"));
    assert!(!found.is_empty());
    lsp.open("note.md", 1, NOTE);
    let hover = lsp.hover("note.md", lsp.at(NOTE, "open by", 0, 3));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("**overdue**"));
}
