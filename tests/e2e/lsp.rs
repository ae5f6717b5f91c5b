//! End-to-end tests of `dossier lsp` (SPEC §3): the built binary driven
//! through real stdio JSON-RPC with Content-Length framing, on temporary
//! workspaces written by each test. Every feature runs twice, once with each
//! position encoding (UTF-8 when the client offers it, UTF-16 otherwise), and
//! every fixture puts ’ — Кремль 中俄 😀 before the markup on the same line,
//! so a column counted in the wrong unit shows up as a wrong range.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::*;

// ---------------------------------------------------------------- 1. initialize

#[test]
fn initialize_negotiates_the_encoding_and_advertises_the_features() {
    for (enc, expected) in [(Enc::Utf8, "utf-8"), (Enc::Utf16, "utf-16")] {
        let lsp = Lsp::start(enc, FILES);
        let caps = &lsp.init["capabilities"];
        assert_eq!(caps["positionEncoding"], expected, "{enc:?}");
        let sync = &caps["textDocumentSync"];
        let change = if sync.is_number() { sync.clone() } else { sync["change"].clone() };
        assert_eq!(change, 2, "incremental sync: {sync}");
        if sync.is_object() {
            assert_eq!(sync["openClose"], true);
        }
        for provider in [
            "hoverProvider",
            "definitionProvider",
            "referencesProvider",
            "documentHighlightProvider",
            "documentSymbolProvider",
            "workspaceSymbolProvider",
        ] {
            let value = &caps[provider];
            assert!(value == true || value.is_object(), "{provider}: {value}");
        }
        assert_eq!(caps["renameProvider"]["prepareProvider"], true, "{}", caps["renameProvider"]);
        let mut triggers: Vec<&str> = caps["completionProvider"]["triggerCharacters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        triggers.sort();
        assert_eq!(triggers, ["#", ":", "@", "^"]);
    }
}

// ---------------------------------------------------------------- 2. diagnostics on unopened files

#[test]
fn diagnostics_are_published_for_files_that_are_not_open() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let uri = lsp.uri("notes/deal.md");
        let published = lsp.publish_for(&uri, |p| p["diagnostics"].as_array().unwrap().len() == 2);
        assert_eq!(published["version"], Value::Null, "not open, so no version");
        let claim_start = find(DEAL, "{Unsourced", 0);
        let claim_end = find(DEAL, "@putin}", 0) + "@putin}".len();
        assert_eq!(
            summaries(published["diagnostics"].as_array().unwrap()),
            vec![
                ("unsourced-claim".to_string(), 2, lsp.range(DEAL, claim_start, claim_end)),
                ("unknown-actor".to_string(), 1, lsp.range_of(DEAL, "@nobody", 0)),
            ],
            "{enc:?}"
        );
        for d in published["diagnostics"].as_array().unwrap() {
            assert_eq!(d["source"], "dossier");
            assert!(!d["message"].as_str().unwrap().is_empty());
        }
        // The files without findings get nothing, or an empty list.
        lsp.drain(Duration::from_millis(300));
        for clean in ["actors.md", "sources.md", "notes/other.md"] {
            if let Some(p) = lsp.published.get(&lsp.uri(clean)) {
                assert_eq!(p["diagnostics"], json!([]), "{clean}: {p}");
            }
        }
        // The server asked to watch files and to show progress, and got answers.
        assert!(lsp.server_requests.iter().any(|m| m == "client/registerCapability"), "{:?}", lsp.server_requests);
    }
}

// ---------------------------------------------------------------- 3. hover

#[test]
fn hover_shows_actor_source_claim_and_value_cards_with_the_token_range() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        lsp.open("notes/deal.md", 1, DEAL);

        // An actor mention, the cursor inside the token.
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "@putin", 0, 3));
        let card = hover["contents"]["value"].as_str().expect("markup contents");
        assert_eq!(hover["contents"]["kind"], "markdown");
        assert!(card.contains("Vladimir Putin") && card.contains("person"), "{enc:?}: {card}");
        assert_eq!(hover["range"], lsp.range_of(DEAL, "@putin", 0), "{enc:?}");

        // The link form: the range is the `@xi` inside the parentheses.
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "(@xi)", 0, 2));
        assert!(hover["contents"]["value"].as_str().unwrap().contains("Xi Jinping"));
        assert_eq!(hover["range"], lsp.range_of(DEAL, "@xi", 0), "{enc:?}");

        // A citation: the grade spelled out; the range stops before the locator.
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "^reuters", 0, 5));
        let card = hover["contents"]["value"].as_str().unwrap();
        assert!(card.contains("B2 — usually reliable; probably true"), "{enc:?}: {card}");
        assert_eq!(hover["range"], lsp.range_of(DEAL, "^reuters-2014-05-21", 0), "{enc:?}");

        // Inside the claim's text: the claim's card over the whole claim.
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "signed", 0, 2));
        let card = hover["contents"]["value"].as_str().unwrap();
        assert!(card.contains("fact"), "{enc:?}: {card}");
        let (start, end) = (find(DEAL, "{’", 0), find(DEAL, "^tass-2014}", 0) + "^tass-2014}".len());
        assert_eq!(hover["range"], lsp.range(DEAL, start, end), "{enc:?}");

        // A metadata value: its meaning, over the `conf:high` token.
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "conf:high", 0, 6));
        let card = hover["contents"]["value"].as_str().unwrap();
        assert!(card.contains("high confidence"), "{enc:?}: {card}");
        assert_eq!(hover["range"], lsp.range_of(DEAL, "conf:high", 0), "{enc:?}");

        // A claim id in `supports:#deal`, from another note: that claim's card.
        lsp.open("notes/other.md", 1, OTHER);
        let hover = lsp.hover("notes/other.md", lsp.at(OTHER, "#deal", 0, 2));
        let card = hover["contents"]["value"].as_str().unwrap();
        assert!(card.contains("#deal") && card.contains("signed the deal"), "{enc:?}: {card}");
        assert!(card.contains("#help"), "relations both ways: {card}");
        assert_eq!(hover["range"], lsp.range_of(OTHER, "#deal", 0), "{enc:?}");

        // Plain prose outside any claim has no card.
        assert_eq!(lsp.hover("notes/deal.md", lsp.at(DEAL, "said something", 0, 3)), Value::Null);
    }
}

// ---------------------------------------------------------------- 4. definition

#[test]
fn definition_jumps_to_the_id_token_in_unopened_files() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        lsp.open("notes/deal.md", 1, DEAL);
        lsp.open("notes/other.md", 1, OTHER);
        let cases = [
            ("notes/deal.md", DEAL, "^reuters-2014-05-21", 4, "sources.md", SOURCES, "^reuters-2014-05-21"),
            ("notes/deal.md", DEAL, "@putin", 1, "actors.md", ACTORS, "@putin"),
            ("notes/other.md", OTHER, "supports:#deal", "supports:#".len() + 2, "notes/deal.md", DEAL, "#deal"),
        ];
        for (from, text, needle, delta, to, target, token) in cases {
            let params = lsp.doc_pos(from, lsp.at(text, needle, 0, delta));
            let result = lsp.request("textDocument/definition", params);
            // The definition is the token at the start of its line (or the claim's `#id`).
            let expected = lsp.range_of(target, token, 0);
            assert_eq!(locations(&result), vec![(lsp.uri(to), expected)], "{enc:?} {needle}");
        }
        let putin_def = lsp.range_of(ACTORS, "@putin:", 0);
        assert_eq!(putin_def["start"]["character"], 0);
    }
}

// ---------------------------------------------------------------- 5. references

#[test]
fn references_cover_unopened_files_and_honour_include_declaration() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        lsp.open("notes/other.md", 1, OTHER);
        let (actors, deal, other) = (lsp.uri("actors.md"), lsp.uri("notes/deal.md"), lsp.uri("notes/other.md"));
        let on_putin = lsp.at(OTHER, "@putin", 0, 2);
        let mentions = vec![
            (deal.clone(), lsp.range_of(DEAL, "@putin", 0)),
            (deal.clone(), lsp.range_of(DEAL, "@putin", 1)),
            (deal.clone(), lsp.range_of(DEAL, "@putin", 2)),
            (other.clone(), lsp.range_of(OTHER, "@putin", 0)),
        ];
        for include in [false, true] {
            let mut params = lsp.doc_pos("notes/other.md", on_putin.clone());
            params["context"] = json!({"includeDeclaration": include});
            let got = locations(&lsp.request("textDocument/references", params));
            let mut expected = mentions.clone();
            if include {
                expected.insert(0, (actors.clone(), lsp.range_of(ACTORS, "@putin", 0)));
            }
            assert_eq!(got, expected, "{enc:?} includeDeclaration={include}");
        }

        // A claim id, from its `supports:#deal` mention in another file.
        let mut params = lsp.doc_pos("notes/other.md", lsp.at(OTHER, "#deal", 0, 1));
        params["context"] = json!({"includeDeclaration": true});
        let got = locations(&lsp.request("textDocument/references", params.clone()));
        let expected = vec![
            (deal.clone(), lsp.range_of(DEAL, "#deal", 0)),
            (deal.clone(), lsp.range_of(DEAL, "#deal", 1)),
            (other.clone(), lsp.range_of(OTHER, "#deal", 0)),
        ];
        assert_eq!(got, expected, "{enc:?}");
        params["context"] = json!({"includeDeclaration": false});
        let got = locations(&lsp.request("textDocument/references", params));
        assert_eq!(got, expected[1..].to_vec(), "{enc:?}");
    }
}

// ---------------------------------------------------------------- 6. rename

#[test]
fn rename_replaces_only_the_id_in_every_file() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        // The open text differs from the disk: the edits must fit the open text.
        let open = format!("{WIDE} an unsaved first line\n{DEAL}");
        lsp.open("notes/deal.md", 7, &open);
        let on_putin = lsp.doc_pos("notes/deal.md", lsp.at(&open, "@putin", 1, 3));

        let prepared = lsp.request("textDocument/prepareRename", on_putin.clone());
        let range = prepared.get("range").cloned().unwrap_or(prepared.clone());
        let start = find(&open, "@putin", 1);
        assert_eq!(range, lsp.range(&open, start + 1, start + "@putin".len()), "{enc:?}: {prepared}");

        let id_range = |text: &str, nth: usize| {
            let start = find(text, "@putin", nth) + 1;
            lsp.range(text, start, start + "putin".len())
        };
        let new = "vladimir-putin".to_string();
        let mut expected = HashMap::new();
        expected.insert(lsp.uri("actors.md"), (Value::Null, vec![(id_range(ACTORS, 0), new.clone())]));
        expected.insert(
            lsp.uri("notes/deal.md"),
            (json!(7), (0..3).map(|n| (id_range(&open, n), new.clone())).collect::<Vec<_>>()),
        );
        expected.insert(lsp.uri("notes/other.md"), (Value::Null, vec![(id_range(OTHER, 0), new.clone())]));

        for new_name in ["vladimir-putin", "@vladimir-putin"] {
            let mut params = on_putin.clone();
            params["newName"] = json!(new_name);
            let edit = lsp.request("textDocument/rename", params);
            assert_eq!(edits_by_uri(&edit), expected, "{enc:?} newName={new_name}: {edit:#}");
        }

        // A claim id, from its definition, the new name given with its sigil.
        let on_deal = lsp.doc_pos("notes/deal.md", lsp.at(&open, "#deal", 0, 1));
        let prepared = lsp.request("textDocument/prepareRename", on_deal.clone());
        let start = find(&open, "#deal", 0) + 1;
        assert_eq!(prepared.get("range").unwrap_or(&prepared), &lsp.range(&open, start, start + 4), "{enc:?}");
        let mut params = on_deal;
        params["newName"] = json!("#gas-deal");
        let edit = edits_by_uri(&lsp.request("textDocument/rename", params));
        let id_range = |text: &str, nth: usize| {
            let start = find(text, "#deal", nth) + 1;
            lsp.range(text, start, start + "deal".len())
        };
        let mut expected = HashMap::new();
        let new = "gas-deal".to_string();
        expected.insert(
            lsp.uri("notes/deal.md"),
            (json!(7), vec![(id_range(&open, 0), new.clone()), (id_range(&open, 1), new.clone())]),
        );
        expected.insert(lsp.uri("notes/other.md"), (Value::Null, vec![(id_range(OTHER, 0), new.clone())]));
        assert_eq!(edit, expected, "{enc:?}");

        // Nothing to rename in plain prose: an error or null, never a crash.
        let response =
            lsp.call("textDocument/prepareRename", lsp.doc_pos("notes/deal.md", lsp.at(&open, "said", 0, 1)));
        assert!(response.get("error").is_some() || response["result"].is_null(), "{response}");
    }
}

#[test]
fn rename_to_an_existing_or_invalid_id_is_an_error_reply() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let on_putin = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "@putin", 0, 3));
        for new_name in ["xi", "@gazprom", "1putin", "vladimir putin", "", "putin-", "^putin2"] {
            let mut params = on_putin.clone();
            params["newName"] = json!(new_name);
            let error = lsp.request_error("textDocument/rename", params);
            assert!(!error["message"].as_str().unwrap().is_empty(), "{new_name:?}: {error}");
        }
        // A claim id that exists already.
        let mut params = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "#help", 0, 2));
        params["newName"] = json!("deal");
        lsp.request_error("textDocument/rename", params);
        // The server is still there and still right.
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "@putin", 0, 1));
        assert_eq!(hover["range"], lsp.range_of(DEAL, "@putin", 0));
    }
}

// ---------------------------------------------------------------- 7. documentHighlight

#[test]
fn document_highlight_marks_reads_and_writes_in_one_document() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        lsp.open("actors.md", 1, ACTORS);
        lsp.open("notes/deal.md", 1, DEAL);
        let cases = [
            // `@xi` in actors.md: its definition, and a mention in Putin's description.
            ("actors.md", ACTORS, lsp.at(ACTORS, "@xi", 0, 1), vec![("@xi", 0, 2), ("@xi", 1, 3)]),
            // `#deal` in deal.md: the claim's id, and `supports:#deal`.
            ("notes/deal.md", DEAL, lsp.at(DEAL, "#deal", 1, 1), vec![("#deal", 0, 3), ("#deal", 1, 2)]),
        ];
        for (path, text, position, expected) in cases {
            let got = lsp.request("textDocument/documentHighlight", lsp.doc_pos(path, position));
            let mut got: Vec<(Value, u64)> =
                got.as_array().unwrap().iter().map(|h| (h["range"].clone(), h["kind"].as_u64().unwrap_or(1))).collect();
            got.sort_by_key(|(r, _)| (r["start"]["line"].as_u64(), r["start"]["character"].as_u64()));
            let mut expected: Vec<(Value, u64)> =
                expected.into_iter().map(|(needle, nth, kind)| (lsp.range_of(text, needle, nth), kind)).collect();
            expected.sort_by_key(|(r, _)| (r["start"]["line"].as_u64(), r["start"]["character"].as_u64()));
            assert_eq!(got, expected, "{enc:?} {path}");
        }
    }
}

// ---------------------------------------------------------------- 8. completion

/// The completion items at a position, by label.
fn completion_items(result: &Value) -> HashMap<String, Value> {
    let items = match result {
        Value::Array(items) => items.clone(),
        Value::Object(list) => list["items"].as_array().unwrap().clone(),
        other => panic!("no completion items: {other}"),
    };
    items.into_iter().map(|i| (i["label"].as_str().unwrap().to_string(), i)).collect()
}

#[test]
fn completion_offers_ids_and_values_with_exact_edit_ranges() {
    let draft = "\
# Draft

’ — Кремль 中俄 😀 @$0

’ — Кремль 中俄 😀 said @pu$0 today

’ — Кремль 中俄 😀 [Reuters](^$0)

’ — Кремль 中俄 😀 {The deal holds | ^tass-2014 supports:#$0}

’ — Кремль 中俄 😀 {The deal holds | ^tass-2014 conf:$0}
";
    let (text, at) = cursors(draft);
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        lsp.open("notes/draft.md", 1, &text);
        let complete = |lsp: &mut Lsp, offset: usize| {
            let mut params = lsp.doc_pos("notes/draft.md", lsp.pos(&text, offset));
            params["context"] = json!({"triggerKind": 1});
            completion_items(&lsp.request("textDocument/completion", params))
        };

        // After `@`: every actor, detail "Name — kind", inserted at the cursor.
        let items = complete(&mut lsp, at[0]);
        let mut labels: Vec<&String> = items.keys().collect();
        labels.sort();
        assert_eq!(labels, ["gazprom", "putin", "xi"], "{enc:?}");
        assert_eq!(items["putin"]["detail"], "Vladimir Putin — person");
        assert_eq!(items["xi"]["detail"], "Xi Jinping — person");
        assert_eq!(items["gazprom"]["detail"], "Gazprom — organization");
        let edit = &items["putin"]["textEdit"];
        assert_eq!(edit["range"], lsp.range(&text, at[0], at[0]), "{enc:?}");
        assert_eq!(edit["newText"], "putin");

        // With part of the id typed, the edit replaces what was typed.
        let items = complete(&mut lsp, at[1]);
        let edit = &items["putin"]["textEdit"];
        assert_eq!(edit["range"], lsp.range(&text, at[1] - "pu".len(), at[1]), "{enc:?}");
        assert_eq!(edit["newText"], "putin");

        // After `^`: sources, their title in the detail.
        let items = complete(&mut lsp, at[2]);
        let mut labels: Vec<&String> = items.keys().collect();
        labels.sort();
        assert_eq!(labels, ["reuters-2014-05-21", "tass-2014"], "{enc:?}");
        let detail = items["reuters-2014-05-21"]["detail"].as_str().unwrap();
        assert!(detail.contains("China, Russia sign $400 billion gas deal"), "{detail}");
        assert_eq!(items["tass-2014"]["textEdit"]["range"], lsp.range(&text, at[2], at[2]), "{enc:?}");

        // After `supports:#`: claim ids.
        let items = complete(&mut lsp, at[3]);
        let mut labels: Vec<&String> = items.keys().collect();
        labels.sort();
        assert_eq!(labels, ["deal", "help"], "{enc:?}");
        assert_eq!(items["deal"]["textEdit"]["range"], lsp.range(&text, at[3], at[3]), "{enc:?}");

        // After `conf:`: the three confidence levels.
        let items = complete(&mut lsp, at[4]);
        let mut labels: Vec<&String> = items.keys().collect();
        labels.sort();
        assert_eq!(labels, ["high", "low", "moderate"], "{enc:?}");
        assert_eq!(items["high"]["textEdit"]["range"], lsp.range(&text, at[4], at[4]), "{enc:?}");
    }
}

// ---------------------------------------------------------------- 9. symbols

/// A DocumentSymbol tree as (name, selectionRange, children).
#[derive(Debug, PartialEq)]
struct Sym(String, Value, Vec<Sym>);

fn symbol_tree(symbols: &Value) -> Vec<Sym> {
    symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert!(s.get("location").is_none(), "hierarchical DocumentSymbol expected, got {s}");
            let children = s.get("children").filter(|c| !c.is_null()).map_or_else(Vec::new, symbol_tree);
            Sym(s["name"].as_str().unwrap().to_string(), s["selectionRange"].clone(), children)
        })
        .collect()
}

/// The symbols with any selection that ends at the start of the next line
/// cut back to the end of its own line (a heading's line break).
fn without_line_breaks(lsp: &Lsp, text: &str, symbols: Vec<Sym>) -> Vec<Sym> {
    symbols
        .into_iter()
        .map(|Sym(name, mut selection, children)| {
            let line = selection["start"]["line"].as_u64().unwrap();
            if selection["end"] == json!({"line": line + 1, "character": 0}) {
                let line_start: usize = text.split_inclusive('\n').take(line as usize).map(str::len).sum();
                let line_end = line_start + text[line_start..].find('\n').unwrap();
                selection["end"] = lsp.pos(text, line_end);
            }
            Sym(name, selection, without_line_breaks(lsp, text, children))
        })
        .collect()
}

#[test]
fn document_symbols_nest_claims_and_definitions_under_headings() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        lsp.open("notes/deal.md", 1, DEAL);
        let got = symbol_tree(
            &lsp.request("textDocument/documentSymbol", json!({"textDocument": {"uri": lsp.uri("notes/deal.md")}})),
        );
        let heading = |title: &str| {
            let start = find(DEAL, title, 0);
            let line_start = DEAL[..start].rfind('\n').map_or(0, |p| p + 1);
            (line_start, start + title.len())
        };
        let (h1, h1_end) = heading("# Gas deal");
        let (h2, h2_end) = heading("## Reactions");
        let (u_start, u_end) = (find(DEAL, "{Unsourced", 0), find(DEAL, "@putin}", 0) + "@putin}".len());
        // A heading's selection starts at its `#` (where it ends is checked by
        // `heading_selection_is_the_heading_line_without_its_line_break`).
        let got = without_line_breaks(&lsp, DEAL, got);
        let expected = vec![Sym(
            "Gas deal".into(),
            lsp.range(DEAL, h1, h1_end),
            vec![
                Sym("#deal".into(), lsp.range_of(DEAL, "#deal", 0), vec![]),
                Sym(
                    "Reactions".into(),
                    lsp.range(DEAL, h2, h2_end),
                    vec![
                        Sym("#help".into(), lsp.range_of(DEAL, "#help", 0), vec![]),
                        Sym("Unsourced talk by @putin".into(), lsp.range(DEAL, u_start, u_end), vec![]),
                    ],
                ),
            ],
        )];
        assert_eq!(got, expected, "{enc:?}");

        // Definitions under the heading of an unopened file.
        let got = symbol_tree(
            &lsp.request("textDocument/documentSymbol", json!({"textDocument": {"uri": lsp.uri("actors.md")}})),
        );
        let names: Vec<(&str, Vec<(&str, &Value)>)> =
            got.iter().map(|s| (s.0.as_str(), s.2.iter().map(|c| (c.0.as_str(), &c.1)).collect())).collect();
        // (`@xi` first occurs in Putin's description; its definition is the second.)
        let (putin, xi, gazprom) =
            (lsp.range_of(ACTORS, "@putin", 0), lsp.range_of(ACTORS, "@xi", 1), lsp.range_of(ACTORS, "@gazprom", 0));
        assert_eq!(names, vec![("Actors", vec![("@putin", &putin), ("@xi", &xi), ("@gazprom", &gazprom)])], "{enc:?}");
    }
}

#[test]

fn heading_selection_is_the_heading_line_without_its_line_break() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let text = format!("# {WIDE} Gas deal\n\n{WIDE} {{Claim | ^tass-2014}}\n");
        lsp.open("notes/heading.md", 1, &text);
        let got =
            lsp.request("textDocument/documentSymbol", json!({"textDocument": {"uri": lsp.uri("notes/heading.md")}}));
        let heading = &got[0];
        assert_eq!(heading["name"], format!("{WIDE} Gas deal"));
        let line_end = find(&text, "\n", 0);
        assert_eq!(heading["selectionRange"], lsp.range(&text, 0, line_end), "{enc:?}");
    }
}

#[test]
fn workspace_symbol_matches_fuzzily() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let found = lsp.request("workspace/symbol", json!({"query": "ptn"}));
        let hit = found
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == "@putin")
            .unwrap_or_else(|| panic!("@putin not found for \"ptn\": {found}"));
        assert_eq!(hit["location"]["uri"], lsp.uri("actors.md"));
        assert_eq!(hit["location"]["range"], lsp.range_of(ACTORS, "@putin", 0), "{enc:?}");

        let found = lsp.request("workspace/symbol", json!({"query": "dl"}));
        let hit = found.as_array().unwrap().iter().find(|s| s["name"] == "#deal").expect("#deal for \"dl\"");
        assert_eq!(hit["location"]["uri"], lsp.uri("notes/deal.md"));
        assert_eq!(hit["location"]["range"], lsp.range_of(DEAL, "#deal", 0), "{enc:?}");

        let found = lsp.request("workspace/symbol", json!({"query": "rtrs"}));
        assert!(found.as_array().unwrap().iter().any(|s| s["name"] == "^reuters-2014-05-21"), "{found}");
        let found = lsp.request("workspace/symbol", json!({"query": "zzzz"}));
        assert_eq!(found.as_array().map_or(0, Vec::len), 0, "{found}");
    }
}

// ---------------------------------------------------------------- 10. text sync

/// Applies an edit to the client's copy of the text and returns the LSP
/// change for it, its range computed on the text as it was before.
fn edit(lsp: &Lsp, text: &mut String, start: usize, end: usize, new_text: &str) -> Value {
    let change = json!({"range": lsp.range(text, start, end), "text": new_text});
    text.replace_range(start..end, new_text);
    change
}

#[test]
fn several_incremental_edits_in_one_notification_apply_in_order() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let uri = lsp.uri("notes/deal.md");
        lsp.diagnostics_for(&uri, |d| d.len() == 2);
        lsp.open("notes/deal.md", 1, DEAL);

        let mut text = DEAL.to_string();
        let mut changes = Vec::new();
        // 1. A new line with an unsourced claim under the title: every later line moves down.
        let at = find(&text, "\n", 0) + 1;
        changes.push(edit(&lsp, &mut text, at, at, &format!("\n{WIDE} {{Fresh 中俄 claim 😀}}\n")));
        // 2. Reword the unsourced claim, changing its length in every unit...
        let (s, e) = (find(&text, "Unsourced talk", 0), find(&text, "Unsourced talk", 0) + "Unsourced talk".len());
        changes.push(edit(&lsp, &mut text, s, e, "Кремль talk 😀"));
        // 3. ...then cite a source before its `}`, found in the reworded line.
        let close = find(&text, "@putin}", 0) + "@putin".len();
        changes.push(edit(&lsp, &mut text, close, close, " | ^tass-2014"));
        // 4. And name a known actor instead of `@nobody`.
        let s = find(&text, "@nobody", 0) + 1;
        changes.push(edit(&lsp, &mut text, s, s + "nobody".len(), "xi"));
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": changes}),
        );

        // Only the fresh claim is unsourced now; no unknown actor is left.
        let published = lsp.publish_for(&uri, |p| p["version"] == 2);
        let fresh = (find(&text, "{Fresh", 0), find(&text, "😀}", 0) + "😀}".len());
        assert_eq!(
            summaries(published["diagnostics"].as_array().unwrap()),
            vec![("unsourced-claim".to_string(), 2, lsp.range(&text, fresh.0, fresh.1))],
            "{enc:?}: the server's text should be {text:?}"
        );
        // Features see the open text too: the old `@nobody` is now `@xi`.
        let hover = lsp.hover("notes/deal.md", lsp.at(&text, "@xi said", 0, 1));
        assert!(hover["contents"]["value"].as_str().unwrap().contains("Xi Jinping"), "{hover}");
        let start = find(&text, "@xi said", 0);
        assert_eq!(hover["range"], lsp.range(&text, start, start + "@xi".len()), "{enc:?}");
        // The disk was not touched: references from another file still see the open text.
        let mut params = lsp.doc_pos("notes/other.md", lsp.at(OTHER, "#deal", 0, 1));
        params["context"] = json!({"includeDeclaration": false});
        let refs = locations(&lsp.request("textDocument/references", params));
        assert!(refs.contains(&(uri.clone(), lsp.range_of(&text, "#deal", 1))), "{refs:?}");

        // Closing brings the disk version back.
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        let diagnostics = lsp.diagnostics_for(&uri, |d| has_rule(d, "unknown-actor"));
        assert_eq!(summaries(&diagnostics), deal_findings(&lsp, 2), "{enc:?}");
        assert_eq!(lsp.published[&uri]["version"], Value::Null);
    }
}

#[test]
fn an_open_document_shadows_the_disk() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let uri = lsp.uri("notes/other.md");
        // The editor's text differs from the file: an unknown actor only there.
        let text = format!("# Other view\n\n{WIDE} {{@ghost praised it | ^tass-2014 supports:#deal}}\n");
        lsp.open("notes/other.md", 3, &text);
        let published = lsp.publish_for(&uri, |p| p["version"] == 3);
        assert_eq!(
            summaries(published["diagnostics"].as_array().unwrap()),
            vec![("unknown-actor".to_string(), 1, lsp.range_of(&text, "@ghost", 0))],
            "{enc:?}"
        );
        // A watcher event for the open file does not replace the editor's text.
        watched(&mut lsp, &[("notes/other.md", 2)]);
        let hover = lsp.hover("notes/other.md", lsp.at(&text, "@ghost", 0, 2));
        assert_eq!(hover["range"], lsp.range_of(&text, "@ghost", 0), "{enc:?}");
        assert_eq!(lsp.published[&uri]["version"], 3);
        // The mention on disk is gone from the index while the document is open.
        let mut params = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "@putin", 0, 1));
        params["context"] = json!({"includeDeclaration": false});
        assert_eq!(locations(&lsp.request("textDocument/references", params.clone())).len(), 3, "{enc:?}");
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        let diagnostics = lsp.diagnostics_for(&uri, |d| d.is_empty());
        assert!(diagnostics.is_empty());
        assert_eq!(locations(&lsp.request("textDocument/references", params)).len(), 4, "{enc:?}");

        // An unsaved note: its diagnostics go away when it is closed.
        let draft = lsp.uri("notes/unsaved.md");
        let text = format!("{WIDE} {{Said by @nobody}}\n");
        lsp.open("notes/unsaved.md", 1, &text);
        let diagnostics = lsp.diagnostics_for(&draft, |d| d.len() == 2);
        assert!(has_rule(&diagnostics, "unknown-actor") && has_rule(&diagnostics, "unsourced-claim"));
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": draft}}));
        assert!(lsp.diagnostics_for(&draft, |d| d.is_empty()).is_empty());
    }
}

#[test]
fn crlf_line_endings_keep_ranges_and_edits_right() {
    let crlf = DEAL.replace('\n', "\r\n");
    let files = [("actors.md", ACTORS), ("sources.md", SOURCES), ("notes/deal.md", crlf.as_str())];
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &files);
        let uri = lsp.uri("notes/deal.md");
        let diagnostics = lsp.diagnostics_for(&uri, |d| has_rule(d, "unknown-actor"));
        assert!(summaries(&diagnostics).contains(&("unknown-actor".to_string(), 1, lsp.range_of(&crlf, "@nobody", 0))));
        lsp.open("notes/deal.md", 1, &crlf);
        // Replace `nobody` by `xi` and add a line with a new unsourced claim after it.
        let mut text = crlf.clone();
        let s = find(&text, "@nobody", 0) + 1;
        let mut changes = vec![edit(&lsp, &mut text, s, s + "nobody".len(), "xi")];
        let end = text.len();
        changes.push(edit(&lsp, &mut text, end, end, &format!("{WIDE} {{New 😀 claim}}\r\n")));
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": changes}),
        );
        let published = lsp.publish_for(&uri, |p| p["version"] == 2);
        let fresh = (find(&text, "{New", 0), find(&text, "claim}", 0) + "claim}".len());
        let claim = (find(&text, "{Unsourced", 0), find(&text, "@putin}", 0) + "@putin}".len());
        assert_eq!(
            summaries(published["diagnostics"].as_array().unwrap()),
            vec![
                ("unsourced-claim".to_string(), 2, lsp.range(&text, claim.0, claim.1)),
                ("unsourced-claim".to_string(), 2, lsp.range(&text, fresh.0, fresh.1)),
            ],
            "{enc:?}"
        );
    }
}

// ---------------------------------------------------------------- 11. cross-file invalidation

#[test]
fn deleting_an_actor_definition_marks_mentions_in_unopened_files() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let (deal, other, actors) = (lsp.uri("notes/deal.md"), lsp.uri("notes/other.md"), lsp.uri("actors.md"));
        lsp.diagnostics_for(&deal, |d| d.len() == 2);
        lsp.open("actors.md", 1, ACTORS);

        // Delete the whole `@putin:` block, blank line included.
        let mut text = ACTORS.to_string();
        let (start, end) = (find(ACTORS, "@putin:", 0), find(ACTORS, "@xi:", 0));
        let block = ACTORS[start..end].to_string();
        let change = edit(&lsp, &mut text, start, end, "");
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": actors, "version": 2}, "contentChanges": [change]}),
        );

        let diagnostics = lsp.diagnostics_for(&other, |d| !d.is_empty());
        assert_eq!(
            summaries(&diagnostics),
            vec![("unknown-actor".to_string(), 1, lsp.range_of(OTHER, "@putin", 0))],
            "{enc:?}"
        );
        let diagnostics =
            lsp.diagnostics_for(&deal, |d| d.iter().filter(|d| d["code"] == "unknown-actor").count() == 4);
        let unknown: Vec<Value> =
            summaries(&diagnostics).into_iter().filter(|s| s.0 == "unknown-actor").map(|s| s.2).collect();
        let mut expected: Vec<Value> = (0..3).map(|n| lsp.range_of(DEAL, "@putin", n)).collect();
        expected.push(lsp.range_of(DEAL, "@nobody", 0));
        assert_eq!(unknown, sorted_ranges(expected), "{enc:?}");

        // Undo: the mentions resolve again and the lists are cleared.
        let change = edit(&lsp, &mut text, start, start, &block);
        assert_eq!(text, ACTORS);
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": actors, "version": 3}, "contentChanges": [change]}),
        );
        let diagnostics = lsp.diagnostics_for(&other, |d| d.is_empty());
        assert!(diagnostics.is_empty());
        let diagnostics = lsp.diagnostics_for(&deal, |d| d.len() == 2);
        assert_eq!(
            summaries(&diagnostics).into_iter().filter(|s| s.0 == "unknown-actor").map(|s| s.2).collect::<Vec<_>>(),
            vec![lsp.range_of(DEAL, "@nobody", 0)],
            "{enc:?}"
        );
    }
}

#[test]
fn a_new_definition_refreshes_the_suggestion_of_an_unknown_id_elsewhere() {
    for enc in BOTH {
        let note = "’ — Кремль 中俄 😀 {@putin signed | ^reuters-2014}\n";
        let files = [("actors.md", ACTORS), ("sources.md", "^tass-2014: TASS\n"), ("notes/n.md", note)];
        let mut lsp = Lsp::start(enc, &files);
        let uri = lsp.uri("notes/n.md");
        let first = lsp.diagnostics_for(&uri, |d| d.iter().any(|d| d["code"] == "unknown-source"));
        let message = |d: &[Value]| d.iter().find(|d| d["code"] == "unknown-source").unwrap()["message"].clone();
        assert!(!message(&first).as_str().unwrap().contains("did you mean"), "{enc:?}");

        // A near id appears in another file: the message now names it.
        lsp.open("sources.md", 1, "^tass-2014: TASS\n");
        let mut text = "^tass-2014: TASS\n".to_string();
        let change = edit(&lsp, &mut text, 0, 0, "^reuters-2015: Reuters\n");
        let sources = lsp.uri("sources.md");
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": sources, "version": 2}, "contentChanges": [change]}),
        );
        let after = lsp.diagnostics_for(&uri, |d| {
            d.iter().any(|d| d["code"] == "unknown-source" && d["message"].as_str().unwrap().contains("did you mean"))
        });
        assert_eq!(
            message(&after),
            "unknown source `^reuters-2014`: did you mean `^reuters-2015`? Otherwise define it with a line `^reuters-2014: Title` (e.g. in sources.md)",
            "{enc:?}"
        );
    }
}

// ---------------------------------------------------------------- 12. watched files

fn watched(lsp: &mut Lsp, changes: &[(&str, u8)]) {
    let changes: Vec<Value> = changes.iter().map(|(path, typ)| json!({"uri": lsp.uri(path), "type": typ})).collect();
    lsp.notify("workspace/didChangeWatchedFiles", json!({"changes": changes}));
}

#[test]
fn watched_file_events_update_the_index() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let new = lsp.uri("notes/new.md");
        lsp.diagnostics_for(&lsp.uri("notes/deal.md"), |d| d.len() == 2);

        // Created: an unknown actor in an unsourced claim.
        let text = format!("# New\n\n{WIDE} {{Claim about @ghost}}\n");
        lsp.write("notes/new.md", &text);
        watched(&mut lsp, &[("notes/new.md", 1)]);
        let diagnostics = lsp.diagnostics_for(&new, |d| d.len() == 2);
        let claim = (find(&text, "{", 0), find(&text, "}", 0) + 1);
        assert_eq!(
            summaries(&diagnostics),
            vec![
                ("unsourced-claim".to_string(), 2, lsp.range(&text, claim.0, claim.1)),
                ("unknown-actor".to_string(), 1, lsp.range_of(&text, "@ghost", 0)),
            ],
            "{enc:?}"
        );

        // Changed: now it cites a source.
        let text = format!("# New\n\n{WIDE} {{Claim about @ghost | ^tass-2014}}\n");
        lsp.write("notes/new.md", &text);
        watched(&mut lsp, &[("notes/new.md", 2)]);
        let diagnostics = lsp.diagnostics_for(&new, |d| d.len() == 1);
        assert_eq!(summaries(&diagnostics), vec![("unknown-actor".to_string(), 1, lsp.range_of(&text, "@ghost", 0))]);

        // A definition appearing in another file on disk resolves the mention.
        lsp.write("actors/ghost.md", "@ghost: The Ghost\n  kind: other\n");
        watched(&mut lsp, &[("actors/ghost.md", 1)]);
        assert!(lsp.diagnostics_for(&new, |d| d.is_empty()).is_empty());

        // Back to unsourced, then deleted: its list is emptied, and the ghost
        // is now mentioned nowhere.
        let text = format!("# New\n\n{WIDE} {{Claim about @ghost}}\n");
        lsp.write("notes/new.md", &text);
        watched(&mut lsp, &[("notes/new.md", 2)]);
        lsp.diagnostics_for(&new, |d| d.len() == 1 && d[0]["code"] == "unsourced-claim");
        std::fs::remove_file(lsp.root.join("notes/new.md")).unwrap();
        watched(&mut lsp, &[("notes/new.md", 3)]);
        assert!(lsp.diagnostics_for(&new, |d| d.is_empty()).is_empty());
        let ghost = lsp.uri("actors/ghost.md");
        let diagnostics = lsp.diagnostics_for(&ghost, |d| has_rule(d, "unused-definition"));
        assert_eq!(
            summaries(&diagnostics),
            vec![("unused-definition".to_string(), 4, lsp.range_of("@ghost: The Ghost\n", "@ghost", 0))],
            "{enc:?}"
        );
        // And the deleted note is gone from the index.
        let found = lsp.request("workspace/symbol", json!({"query": "ghost"}));
        assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    }
}

#[test]
fn a_change_event_for_a_file_already_gone_removes_it_quietly() {
    // Events can lag the disk: by the time "changed" arrives the note may be
    // deleted. That is a removal, not an unreadable file.
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let other = lsp.uri("notes/other.md");
        std::fs::remove_file(lsp.root.join("notes/other.md")).unwrap();
        watched(&mut lsp, &[("notes/other.md", 2)]);
        lsp.barrier();
        let mut params = lsp.doc_pos("actors.md", lsp.at(ACTORS, "@putin", 0, 1));
        params["context"] = json!({"includeDeclaration": false});
        let found = lsp.request("textDocument/references", params);
        let uris: Vec<String> = locations(&found).into_iter().map(|(uri, _)| uri).collect();
        assert!(uris.contains(&lsp.uri("notes/deal.md")), "{enc:?}: {found}");
        assert!(!uris.contains(&other), "{enc:?}: {found}");
        assert!(lsp.published.get(&other).is_none_or(|p| p["diagnostics"] == json!([])), "{enc:?}");
    }
}

// ---------------------------------------------------------------- 13. burst

#[test]
fn a_burst_of_edits_interleaved_with_hovers_ends_on_the_final_text() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let path = "notes/burst.md";
        let uri = lsp.uri(path);
        let mut text = format!("# Burst\n\n{WIDE} @x\n\n{WIDE} {{Claim by @putin | ^tass-2014}}\n");
        lsp.open(path, 1, &text);
        let mention = find(&text, "@x", 0);
        // Hovers are sent without waiting for their answers: (id, expected range).
        let mut hovers = Vec::new();
        for version in 2..=201 {
            // Type one character at the end of the mention's line.
            let end = find(&text, "\n\n", 1);
            let letter = (b'a' + (version % 26) as u8) as char;
            let change = edit(&lsp, &mut text, end, end, &letter.to_string());
            lsp.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
            );
            if version % 10 == 0 {
                let params = lsp.doc_pos(path, lsp.pos(&text, mention + 1));
                let id = lsp.send_request("textDocument/hover", params);
                hovers.push((id, version, lsp.range(&text, mention, find(&text, "\n\n", 1))));
            }
        }
        // Each hover saw exactly the edits sent before it.
        for (id, version, expected) in hovers {
            let response = lsp.response(id);
            assert_eq!(response["result"]["range"], expected, "{enc:?} hover after v{version}: {response}");
        }
        let end = find(&text, "\n\n", 1);
        assert_eq!(end - mention, 2 + 200);
        let hover = lsp.hover(path, lsp.pos(&text, mention + 1));
        assert_eq!(hover["range"], lsp.range(&text, mention, end), "{enc:?}");
        assert!(hover["contents"]["value"].as_str().unwrap().contains(&text[mention + 1..end]), "{hover}");

        let published = lsp.publish_for(&uri, |p| p["version"] == 201);
        assert_eq!(
            summaries(published["diagnostics"].as_array().unwrap()),
            vec![("unknown-actor".to_string(), 1, lsp.range(&text, mention, end))],
            "{enc:?}"
        );
        // Nothing newer, and nothing stale, arrives afterwards.
        lsp.drain(Duration::from_millis(300));
        assert_eq!(lsp.published[&uri]["version"], 201);
        // Published versions never go back (no stale result overtakes a newer one).
        let versions: Vec<i64> =
            lsp.history.iter().filter(|(u, _)| *u == uri).filter_map(|(_, v)| v.as_i64()).collect();
        assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{enc:?}: versions out of order: {versions:?}");
        assert_eq!(
            summaries(lsp.published[&uri]["diagnostics"].as_array().unwrap()),
            summaries(published["diagnostics"].as_array().unwrap())
        );
    }
}

// ---------------------------------------------------------------- indexing

#[test]

fn requests_sent_right_after_initialized_see_the_whole_workspace() {
    for enc in BOTH {
        // As an editor does: open a note and hover at once, not waiting for progress to end.
        let mut lsp = Lsp::launch(enc, FILES);
        lsp.open("notes/deal.md", 1, DEAL);
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "@putin", 0, 3));
        let card = hover["contents"]["value"].as_str().unwrap_or_default();
        assert!(card.contains("Vladimir Putin"), "{enc:?}: {hover}");
        let params = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "@putin", 0, 3));
        let result = lsp.request("textDocument/definition", params);
        assert_eq!(locations(&result), vec![(lsp.uri("actors.md"), lsp.range_of(ACTORS, "@putin", 0))], "{enc:?}");
    }
}

#[test]
fn indexing_reports_progress_and_registers_the_file_watchers() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        assert!(lsp.indexed, "$/progress end received");
        assert_eq!(lsp.server_requests.first().map(String::as_str), Some("window/workDoneProgress/create"));
        // The watchers are registered dynamically, since the client allows it.
        let deadline = Instant::now() + TIMEOUT;
        while !lsp.server_requests.iter().any(|m| m == "client/registerCapability") {
            assert!(lsp.pump(deadline), "no client/registerCapability: {:?}", lsp.server_requests);
        }
    }
}

// ---------------------------------------------------------------- 14. robustness

#[test]
fn bad_input_gets_null_or_an_error_and_the_server_lives_on() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        lsp.open("notes/deal.md", 1, DEAL);

        // A position past the end of the document.
        let past = lsp.doc_pos("notes/deal.md", json!({"line": 999, "character": 0}));
        assert_eq!(lsp.request("textDocument/hover", past.clone()), Value::Null, "{enc:?}");
        assert!(locations(&lsp.request("textDocument/definition", past.clone())).is_empty());
        let past_col = lsp.doc_pos("notes/deal.md", json!({"line": 999, "character": 999}));
        assert_eq!(lsp.request("textDocument/hover", past_col), Value::Null);

        // An unknown document.
        let unknown =
            json!({"textDocument": {"uri": lsp.uri("nowhere/missing.md")}, "position": {"line": 0, "character": 0}});
        assert_eq!(lsp.request("textDocument/hover", unknown.clone()), Value::Null);
        assert!(locations(&lsp.request("textDocument/definition", unknown)).is_empty());
        let not_a_file =
            json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}});
        assert_eq!(lsp.request("textDocument/hover", not_a_file), Value::Null);

        // Malformed params.
        let error = lsp.request_error("textDocument/hover", json!({"textDocument": 5}));
        assert_eq!(error["code"], -32602, "InvalidParams: {error}");
        lsp.request_error("textDocument/rename", json!({"textDocument": {"uri": lsp.uri("notes/deal.md")}}));

        // An unknown method.
        let error = lsp.request_error("dossier/noSuchMethod", json!({}));
        assert_eq!(error["code"], -32601, "MethodNotFound: {error}");

        // didChange for a document that was never opened: ignored.
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": lsp.uri("nowhere/missing.md"), "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]}),
        );
        // An edit past the end of an open document does not break it.
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": lsp.uri("notes/deal.md"), "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 500, "character": 0}, "end": {"line": 501, "character": 0}}, "text": "x"}]}),
        );

        // After all that, hover still answers correctly.
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "@putin", 2, 2));
        assert_eq!(hover["range"], lsp.range_of(DEAL, "@putin", 2), "{enc:?}");
        assert!(hover["contents"]["value"].as_str().unwrap().contains("Vladimir Putin"));

        // shutdown, then exit: the process ends with status 0.
        assert_eq!(lsp.request("shutdown", Value::Null), Value::Null);
        lsp.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = lsp.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        };
        assert_eq!(status.code(), Some(0), "{enc:?}");
        lsp.finished = true;
    }
}

// ---------------------------------------------------------------- dossier.toml

#[test]
fn a_watched_dossier_toml_reconfigures_the_rules_and_reports_its_own_errors() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        let (deal, config) = (lsp.uri("notes/deal.md"), lsp.uri("dossier.toml"));
        lsp.diagnostics_for(&deal, |d| d.len() == 2);

        // A rule made an error: the unsourced claim turns severity 1.
        lsp.write("dossier.toml", "[rules]\nunsourced-claim = \"error\"\n");
        watched(&mut lsp, &[("dossier.toml", 1)]);
        let diagnostics = lsp.diagnostics_for(&deal, |d| d.iter().all(|d| d["severity"] == 1));
        assert!(summaries(&diagnostics).contains(&deal_findings(&lsp, 1)[0]), "{enc:?}: {diagnostics:?}");

        // A bad value: `invalid-config` on dossier.toml, and the defaults apply.
        let bad = "[rules]\nunsourced-claim = \"loud\"\n";
        lsp.write("dossier.toml", bad);
        watched(&mut lsp, &[("dossier.toml", 2)]);
        let diagnostics = lsp.diagnostics_for(&config, |d| has_rule(d, "invalid-config"));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0]["severity"], 1);
        assert_eq!(diagnostics[0]["range"]["start"]["line"], 1, "on the offending key: {diagnostics:?}");
        lsp.diagnostics_for(&deal, |d| d.iter().any(|d| d["code"] == "unsourced-claim" && d["severity"] == 2));

        // Fixed by deleting it: the list is emptied.
        std::fs::remove_file(lsp.root.join("dossier.toml")).unwrap();
        watched(&mut lsp, &[("dossier.toml", 3)]);
        assert!(lsp.diagnostics_for(&config, |d| d.is_empty()).is_empty());
    }
}

#[test]
fn a_plain_client_without_progress_gets_diagnostics_and_answers() {
    for enc in BOTH {
        let mut lsp = Lsp::launch_with(enc, FILES, false, &[""]);
        lsp.open("notes/deal.md", 1, DEAL);
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "@putin", 0, 3));
        assert!(hover["contents"]["value"].as_str().unwrap_or_default().contains("Vladimir Putin"), "{enc:?}: {hover}");
        let other = lsp.uri("notes/other.md");
        let diagnostics = lsp.diagnostics_for(&lsp.uri("notes/deal.md"), |d| d.len() == 2);
        assert!(has_rule(&diagnostics, "unknown-actor") && has_rule(&diagnostics, "unsourced-claim"));
        lsp.drain(Duration::from_millis(200));
        assert!(lsp.published.get(&other).is_none_or(|p| p["diagnostics"] == json!([])));
        assert!(lsp.server_requests.is_empty(), "nothing asked of a plain client: {:?}", lsp.server_requests);
    }
}

// ---------------------------------------------------------------- .gitignore

const IGNORING: &[(&str, &str)] = &[
    ("actors.md", ACTORS),
    ("sources.md", SOURCES),
    ("notes/deal.md", DEAL),
    (".gitignore", "drafts/\n"),
    ("drafts/scratch.md", "’ — Кремль 中俄 😀 {Scratch about @ghost}\n"),
];

#[test]
fn gitignored_notes_are_not_indexed() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, IGNORING);
        lsp.diagnostics_for(&lsp.uri("notes/deal.md"), |d| d.len() == 2);
        lsp.drain(Duration::from_millis(300));
        let scratch = lsp.uri("drafts/scratch.md");
        assert!(!lsp.published.contains_key(&scratch), "{enc:?}: {:?}", lsp.published.get(&scratch));
    }
}

#[test]

fn watched_events_for_gitignored_notes_are_ignored() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, IGNORING);
        lsp.diagnostics_for(&lsp.uri("notes/deal.md"), |d| d.len() == 2);
        // VS Code's watcher reports changes in ignored folders too.
        lsp.write("drafts/scratch.md", "’ — Кремль 中俄 😀 {Scratch about @ghost again}\n");
        watched(&mut lsp, &[("drafts/scratch.md", 2)]);
        lsp.write("drafts/new.md", "’ — Кремль 中俄 😀 {New about @ghost}\n");
        watched(&mut lsp, &[("drafts/new.md", 1)]);
        lsp.drain(Duration::from_millis(300));
        for path in ["drafts/scratch.md", "drafts/new.md"] {
            let uri = lsp.uri(path);
            assert!(!lsp.published.contains_key(&uri), "{enc:?}: {:?}", lsp.published.get(&uri));
        }
        let found = lsp.request("workspace/symbol", json!({"query": "ghost"}));
        assert_eq!(found, json!([]), "{enc:?}");
    }
}

// ---------------------------------------------------------------- several folders

#[test]
fn every_workspace_folder_is_indexed_and_resolves_across_folders() {
    let files = [
        ("people/actors.md", ACTORS),
        ("people/sources.md", SOURCES),
        ("articles/notes/deal.md", DEAL),
        ("articles/notes/other.md", OTHER),
    ];
    for enc in BOTH {
        let mut lsp = Lsp::launch_with(enc, &files, true, &["articles", "people"]);
        lsp.wait_until_indexed();
        let deal = lsp.uri("articles/notes/deal.md");
        let diagnostics = lsp.diagnostics_for(&deal, |d| d.len() == 2);
        assert!(has_rule(&diagnostics, "unknown-actor") && has_rule(&diagnostics, "unsourced-claim"));
        let params = lsp.doc_pos("articles/notes/deal.md", lsp.at(DEAL, "@putin", 0, 2));
        let result = lsp.request("textDocument/definition", params);
        assert_eq!(locations(&result), vec![(lsp.uri("people/actors.md"), lsp.range_of(ACTORS, "@putin", 0))]);
        // A note created in the second folder is picked up by the watcher.
        let text = "’ — Кремль 中俄 😀 {About @ghost | ^tass-2014}\n";
        lsp.write("people/more.md", text);
        watched(&mut lsp, &[("people/more.md", 1)]);
        let diagnostics = lsp.diagnostics_for(&lsp.uri("people/more.md"), |d| !d.is_empty());
        assert_eq!(summaries(&diagnostics), vec![("unknown-actor".to_string(), 1, lsp.range_of(text, "@ghost", 0))]);
    }
}

#[test]
fn lone_cr_line_endings_count_as_line_breaks() {
    // LSP counts `\r` alone as a line break. `\r` and `\n` have the same
    // width, so positions computed on the LF text hold for the CR text.
    let cr = DEAL.replace('\n', "\r");
    let files = [("actors.md", ACTORS), ("sources.md", SOURCES), ("notes/deal.md", cr.as_str())];
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &files);
        let uri = lsp.uri("notes/deal.md");
        let diagnostics = lsp.diagnostics_for(&uri, |d| has_rule(d, "unknown-actor"));
        assert_eq!(summaries(&diagnostics), deal_findings(&lsp, 2), "{enc:?}");
        lsp.open("notes/deal.md", 1, &cr);
        let s = find(DEAL, "@nobody", 0) + 1;
        let change = json!({"range": lsp.range(DEAL, s, s + "nobody".len()), "text": "xi"});
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]}),
        );
        let published = lsp.publish_for(&uri, |p| p["version"] == 2);
        assert_eq!(
            summaries(published["diagnostics"].as_array().unwrap()),
            deal_findings(&lsp, 2)[..1].to_vec(),
            "{enc:?}"
        );
    }
}

#[test]
fn every_position_of_a_wide_line_gets_an_answer() {
    // Including columns inside a multi-byte character (UTF-8) or between the
    // halves of a surrogate pair (UTF-16), and past the end of the line.
    let methods = [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/documentHighlight",
        "textDocument/completion",
        "textDocument/prepareRename",
    ];
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        lsp.open("notes/deal.md", 1, DEAL);
        let line_start = find(DEAL, WIDE, 0);
        let line_end = line_start + DEAL[line_start..].find('\n').unwrap();
        let (line, width) = line_col(DEAL, line_end, enc);
        for character in 0..=width + 2 {
            let position = json!({"line": line, "character": character});
            for method in methods {
                let response = lsp.call(method, lsp.doc_pos("notes/deal.md", position.clone()));
                assert!(response.get("result").is_some() || response.get("error").is_some(), "{response}");
                if let Some(error) = response.get("error") {
                    assert_ne!(error["code"], -32603, "{enc:?} {method} at {position}: internal error {error}");
                }
            }
            let mut params = lsp.doc_pos("notes/deal.md", position.clone());
            params["context"] = json!({"includeDeclaration": true});
            lsp.request("textDocument/references", params);
        }
        let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "@putin", 0, 1));
        assert_eq!(hover["range"], lsp.range_of(DEAL, "@putin", 0), "{enc:?}");
    }
}

// ---------------------------------------------------------------- URIs as the client spells them

#[test]
fn answers_name_an_open_document_by_the_clients_own_uri() {
    // The canonical URI keeps `[` and `]` and uses upper-case escapes; this
    // client escapes the brackets and writes lower-case hex. Both name the
    // same file, but a client comparing strings only knows its own.
    let path = "notes/x [draft] é.md";
    let text = format!("{WIDE} {{Unsourced claim by @putin}}\n");
    for enc in BOTH {
        let mut files = FILES.to_vec();
        files.push((path, &text));
        let mut lsp = Lsp::start(enc, &files);
        let canonical = lsp.uri(path);
        assert!(canonical.ends_with("/notes/x%20[draft]%20%C3%A9.md"), "{canonical}");
        let spelled = canonical.replace('[', "%5b").replace(']', "%5d").replace("%C3%A9", "%c3%a9");
        lsp.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": spelled, "languageId": "markdown", "version": 3, "text": text}}),
        );
        let claim = lsp.range_of(&text, "{Unsourced claim by @putin}", 0);
        let published = lsp.publish_for(&spelled, |p| p["version"] == 3);
        assert_eq!(
            summaries(published["diagnostics"].as_array().unwrap()),
            [("unsourced-claim".into(), 2, claim.clone())]
        );
        // Go-to-definition from elsewhere lands on the same spelling.
        let params = json!({"textDocument": {"uri": spelled}, "position": lsp.at(&text, "@putin", 0, 1)});
        let refs = lsp.request(
            "textDocument/references",
            json!({"textDocument": params["textDocument"], "position": params["position"], "context": {"includeDeclaration": false}}),
        );
        assert!(locations(&refs).iter().any(|(uri, _)| *uri == spelled), "{enc:?}: {refs:#}");
        assert!(!locations(&refs).iter().any(|(uri, _)| *uri == canonical), "{enc:?}: {refs:#}");
        // Once closed, the file goes back to its canonical name: the client's
        // spelling is cleared and the disk version is published anew.
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": spelled}}));
        lsp.diagnostics_for(&spelled, |d| d.is_empty());
        let on_disk = lsp.publish_for(&canonical, |p| p["version"].is_null() && p["diagnostics"] != json!([]));
        assert_eq!(summaries(on_disk["diagnostics"].as_array().unwrap()), [("unsourced-claim".into(), 2, claim)]);
    }
}

/// A note reached by several paths is one document: with `link.md -> n.md`
/// and `actors-link.md -> actors.md` in the workspace, a rename edits each
/// file once (an editor that maps both names to one buffer would otherwise
/// apply two lists to it), and a note opened by its link's name is that
/// same document, answered under the name the client used.
#[cfg(unix)]
#[test]
fn a_note_reached_through_a_symbolic_link_is_one_document() {
    const NOTE: &str = "’ — Кремль 中俄 😀 See @a here. {An unsourced claim}\n";
    const ACTORS: &str = "@a: A\n";
    for enc in BOTH {
        let mut lsp = Lsp::spawn(enc, &[("dossier.toml", ""), ("actors.md", ACTORS), ("n.md", NOTE)]);
        std::os::unix::fs::symlink("n.md", lsp.root.join("link.md")).unwrap();
        std::os::unix::fs::symlink("actors.md", lsp.root.join("actors-link.md")).unwrap();
        let params = lsp.initialize_params(true, &[""]);
        lsp.init = lsp.request("initialize", params);
        lsp.notify("initialized", json!({}));
        lsp.wait_until_indexed();

        let id = |lsp: &Lsp, text: &str| {
            let start = find(text, "@a", 0) + 1;
            lsp.range(text, start, start + 1)
        };
        let rename = |lsp: &mut Lsp, path: &str| {
            let mut params = lsp.doc_pos(path, lsp.at(NOTE, "@a", 0, 1));
            params["newName"] = json!("alphalpha");
            edits_by_uri(&lsp.request("textDocument/rename", params))
        };
        let mut expected = HashMap::new();
        expected.insert(lsp.uri("actors.md"), (Value::Null, vec![(id(&lsp, ACTORS), "alphalpha".to_string())]));
        expected.insert(lsp.uri("n.md"), (Value::Null, vec![(id(&lsp, NOTE), "alphalpha".to_string())]));
        assert_eq!(rename(&mut lsp, "n.md"), expected, "{enc:?}");

        // Opened by its link's name: the same document (one unsourced claim,
        // published under that name), renamed once, under that name.
        lsp.open("link.md", 3, NOTE);
        let link_uri = lsp.uri("link.md");
        let published = lsp.diagnostics_for(&link_uri, |d| !d.is_empty());
        let claim = find(NOTE, "{", 0);
        assert_eq!(summaries(&published), [("unsourced-claim".to_string(), 2, lsp.range(NOTE, claim, NOTE.len() - 1))]);
        expected.remove(&lsp.uri("n.md"));
        expected.insert(link_uri.clone(), (json!(3), vec![(id(&lsp, NOTE), "alphalpha".to_string())]));
        assert_eq!(rename(&mut lsp, "link.md"), expected, "{enc:?}");
        let hover = lsp.hover("link.md", lsp.at(NOTE, "@a", 0, 1));
        assert_eq!(hover["range"], lsp.range_of(NOTE, "@a", 0), "{enc:?}");
    }
}
