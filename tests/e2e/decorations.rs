//! End-to-end tests of what the server shows over the text (SPEC §7):
//! semantic tokens (`full`, `full/delta`, `range`), inlay hints, code lens
//! with `codeLens/resolve`, document links and folding ranges, and the
//! refresh requests sent when another note changes them. Every test runs in
//! both position encodings, on a note whose lines put ’ — Кремль 中俄 🛢
//! (an emoji outside the BMP) before the markup.

use serde_json::{Value, json};

use crate::support::*;

const SEEN_ACTORS: &str = "\
# ’ — Кремль 中俄 🛢 Actors

@putin: Vladimir Putin
  kind: person

@xi: Xi Jinping
  kind: person
";

const SEEN_SOURCES: &str = "\
# ’ — Кремль 中俄 🛢 Sources

^reuters: China, Russia sign gas deal
  reliability: B2
  url: https://www.reuters.com/article/gas-deal
";

/// Every kind of token and every modifier: `@nobody`, `^gone` and `#none`
/// are unknown, `^rumour` is graded weak, the second claim is unsourced,
/// `conf:hgh` is invalid, and a locator runs across a line break.
const SEEN: &str = "\
# Seen

’ — Кремль 中俄 🛢 @putin met [Xi](@xi) and @nobody, per [Reuters](^reuters).
’ — Кремль 中俄 🛢 {@putin signed | ^reuters(p. 3,
’ — Кремль 中俄 🛢 para 2) ^rumour ^gone #deal kind:fact conf:high est:likely by:@xi}
’ — Кремль 中俄 🛢 {Unsourced talk | supports:#deal contradicts:#none @xi conf:hgh}

^rumour: A rumour mill
  reliability: E5
  url: https://example.org/rumour?q=1

^ftp-only: Only by FTP
  url: ftp://example.org/x
";

const SEEN_FILES: &[(&str, &str)] =
    &[("actors.md", SEEN_ACTORS), ("sources.md", SEEN_SOURCES), ("notes/seen.md", SEEN)];

/// An expected token: (needle, occurrence, bytes into it, byte length or 0
/// for all of it, type, modifiers).
type Expected = (&'static str, usize, usize, usize, &'static str, &'static [&'static str]);

/// The tokens of `SEEN`, in text order.
const EXPECTED_TOKENS: &[Expected] = &[
    ("@putin", 0, 0, 0, "actor", &[]),
    ("@xi", 0, 0, 0, "actor", &[]),
    ("@nobody", 0, 0, 0, "actor", &["unknown"]),
    ("^reuters", 0, 0, 0, "source", &[]),
    ("{@putin", 0, 0, 1, "claim", &[]),
    ("@putin", 1, 0, 0, "actor", &[]),
    ("| ^reuters", 0, 0, 1, "claim", &[]),
    ("^reuters", 1, 0, 0, "source", &[]),
    ("(p. 3,", 0, 0, 0, "locator", &[]),
    ("’ — Кремль 中俄 🛢 para 2)", 0, 0, 0, "locator", &[]),
    ("^rumour", 0, 0, 0, "source", &["weak"]),
    ("^gone", 0, 0, 0, "source", &["unknown"]),
    ("#deal", 0, 0, 0, "claimId", &["declaration"]),
    ("kind:", 0, 0, 0, "metadataKey", &[]),
    ("fact", 0, 0, 0, "metadataValue", &[]),
    ("conf:", 0, 0, 0, "metadataKey", &[]),
    ("high", 0, 0, 0, "metadataValue", &[]),
    ("est:", 0, 0, 0, "metadataKey", &[]),
    ("likely", 0, 0, 0, "metadataValue", &[]),
    ("by:", 0, 0, 0, "metadataKey", &[]),
    ("@xi", 1, 0, 0, "actor", &[]),
    ("@xi}", 0, 3, 1, "claim", &[]),
    ("{Unsourced", 0, 0, 1, "claim", &["unsourced"]),
    ("| supports", 0, 0, 1, "claim", &["unsourced"]),
    ("supports:", 0, 0, 0, "metadataKey", &[]),
    ("#deal", 1, 0, 0, "claimId", &[]),
    ("contradicts:", 0, 0, 0, "metadataKey", &[]),
    ("#none", 0, 0, 0, "claimId", &["unknown"]),
    ("@xi", 2, 0, 0, "actor", &[]),
    ("conf:hgh}", 0, 8, 1, "claim", &["unsourced"]),
    ("^rumour", 1, 0, 0, "source", &["declaration"]),
    ("reliability:", 0, 0, 0, "fieldKey", &[]),
    ("url:", 0, 0, 0, "fieldKey", &[]),
    ("^ftp-only", 0, 0, 0, "source", &["declaration"]),
    ("url:", 1, 0, 0, "fieldKey", &[]),
];

/// A token with absolute position: (line, start, length, type, modifiers),
/// named by the legend.
type Decoded = (u32, u32, u32, String, Vec<String>);

/// A server that starts on `files`, its client supporting the refresh
/// requests of semantic tokens, inlay hints and code lens.
fn start(enc: Enc, files: &[(&str, &str)]) -> Lsp {
    let mut lsp = Lsp::spawn(enc, files);
    let mut params = lsp.initialize_params(true, &[""]);
    for feature in ["semanticTokens", "inlayHint", "codeLens"] {
        params["capabilities"]["workspace"][feature] = json!({"refreshSupport": true});
    }
    lsp.init = lsp.request("initialize", params);
    lsp.notify("initialized", json!({}));
    lsp.wait_until_indexed();
    lsp
}

/// The server's token data, decoded with the legend it announced.
fn decode(lsp: &Lsp, data: &Value) -> Vec<Decoded> {
    let legend = &lsp.init["capabilities"]["semanticTokensProvider"]["legend"];
    let name = |list: &str, i: u64| legend[list][i as usize].as_str().unwrap().to_string();
    let numbers: Vec<u64> = data.as_array().expect("token data").iter().map(|n| n.as_u64().unwrap()).collect();
    assert_eq!(numbers.len() % 5, 0, "five integers a token");
    let (mut line, mut start) = (0, 0);
    numbers
        .chunks(5)
        .map(|t| {
            line += t[0] as u32;
            start = if t[0] == 0 { start + t[1] as u32 } else { t[1] as u32 };
            let modifiers =
                (0..4).filter(|bit| t[4] & (1 << bit) != 0).map(|bit| name("tokenModifiers", bit)).collect();
            (line, start, t[2] as u32, name("tokenTypes", t[3]), modifiers)
        })
        .collect()
}

/// `EXPECTED_TOKENS` as the client must see them.
fn expected_tokens(lsp: &Lsp) -> Vec<Decoded> {
    EXPECTED_TOKENS
        .iter()
        .map(|&(needle, nth, delta, len, kind, modifiers)| {
            let start = find(SEEN, needle, nth) + delta;
            let end = start + if len == 0 { needle.len() - delta } else { len };
            let (line, col) = line_col(SEEN, start, lsp.enc);
            let (end_line, end_col) = line_col(SEEN, end, lsp.enc);
            assert_eq!(line, end_line, "{needle}: a token on one line");
            (line, col, end_col - col, kind.to_string(), modifiers.iter().map(|m| m.to_string()).collect())
        })
        .collect()
}

fn text_document(lsp: &Lsp, path: &str) -> Value {
    json!({"textDocument": {"uri": lsp.uri(path)}})
}

fn full(lsp: &mut Lsp, path: &str) -> Value {
    let params = text_document(lsp, path);
    lsp.request("textDocument/semanticTokens/full", params)
}

/// Applies a `full/delta` answer's edits to the integers of `data`.
fn apply_delta(data: &[u64], delta: &Value) -> Vec<u64> {
    let mut out = data.to_vec();
    let mut edits = delta["edits"].as_array().expect("a delta").clone();
    // Edits refer to the old array: applied from the last.
    edits.sort_by_key(|e| std::cmp::Reverse(e["start"].as_u64().unwrap()));
    for edit in edits {
        let start = edit["start"].as_u64().unwrap() as usize;
        let removed = edit["deleteCount"].as_u64().unwrap() as usize;
        let inserted: Vec<u64> =
            edit["data"].as_array().map_or(Vec::new(), |d| d.iter().map(|n| n.as_u64().unwrap()).collect());
        out.splice(start..start + removed, inserted);
    }
    out
}

fn integers(data: &Value) -> Vec<u64> {
    data.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect()
}

// ---------------------------------------------------------------- capabilities

#[test]
fn the_server_announces_the_legend_and_each_feature() {
    for enc in BOTH {
        let lsp = start(enc, SEEN_FILES);
        let caps = &lsp.init["capabilities"];
        let tokens = &caps["semanticTokensProvider"];
        assert_eq!(
            tokens["legend"]["tokenTypes"],
            json!(["actor", "source", "claimId", "claim", "metadataKey", "metadataValue", "locator", "fieldKey"])
        );
        assert_eq!(tokens["legend"]["tokenModifiers"], json!(["declaration", "unknown", "unsourced", "weak"]));
        assert_eq!(tokens["full"], json!({"delta": true}));
        assert_eq!(tokens["range"], true);
        assert_eq!(caps["inlayHintProvider"], true);
        assert_eq!(caps["codeLensProvider"]["resolveProvider"], true);
        assert!(caps["documentLinkProvider"].is_object(), "{}", caps["documentLinkProvider"]);
        assert_eq!(caps["foldingRangeProvider"], true);
    }
}

// ---------------------------------------------------------------- semantic tokens

#[test]
fn full_tokens_give_every_kind_and_modifier_at_the_exact_range() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        // Not open: the tokens of the note on disk.
        let answer = full(&mut lsp, "notes/seen.md");
        assert!(answer["resultId"].is_string(), "{answer}");
        assert_eq!(decode(&lsp, &answer["data"]), expected_tokens(&lsp), "{enc:?}");
        // Open, the same.
        lsp.open("notes/seen.md", 1, SEEN);
        let answer = full(&mut lsp, "notes/seen.md");
        assert_eq!(decode(&lsp, &answer["data"]), expected_tokens(&lsp), "{enc:?}");
    }
}

#[test]
fn a_delta_applied_to_the_previous_tokens_equals_a_fresh_full_after_edits_of_every_shape() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        lsp.open("notes/seen.md", 1, SEEN);
        let first = full(&mut lsp, "notes/seen.md");
        let (mut result_id, mut data) = (first["resultId"].as_str().unwrap().to_string(), integers(&first["data"]));
        let mut text = SEEN.to_string();
        // (needle, bytes into it, bytes replaced, new text): typing in prose,
        // a new mention, a line break inside a claim, a claim deleted, a
        // token that makes an id known, a multi-line paste, and undoing one.
        let edits: &[(&str, usize, usize, &str)] = &[
            ("met", 0, 0, "— 🛢 "),
            ("and @nobody", 4, 0, "@xi "),
            ("signed |", 6, 1, "\n’ — 🛢 "),
            ("{Unsourced talk", 0, "{Unsourced talk | supports:#deal contradicts:#none @xi conf:hgh}".len(), ""),
            ("# Seen\n", 7, 0, "@nobody: Somebody\n\n"),
            ("^rumour:", 0, 0, "’ — Кремль {pasted @putin\n| ^reuters}\n\n"),
            ("@nobody: Somebody\n\n", 0, "@nobody: Somebody\n\n".len(), ""),
        ];
        for (version, &(needle, delta, removed, inserted)) in edits.iter().enumerate() {
            let start = find(&text, needle, 0) + delta;
            let range = json!({"start": lsp.pos(&text, start), "end": lsp.pos(&text, start + removed)});
            text.replace_range(start..start + removed, inserted);
            lsp.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": lsp.uri("notes/seen.md"), "version": version + 2},
                       "contentChanges": [{"range": range, "text": inserted}]}),
            );
            let mut params = text_document(&lsp, "notes/seen.md");
            params["previousResultId"] = json!(result_id);
            let delta = lsp.request("textDocument/semanticTokens/full/delta", params);
            let applied = apply_delta(&data, &delta);
            // The whole note as a range: tokens afresh, keeping the delta's result.
            let lines = text.split('\n').count() as u32;
            let mut params = text_document(&lsp, "notes/seen.md");
            params["range"] = json!({"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}});
            let fresh = lsp.request("textDocument/semanticTokens/range", params);
            assert_eq!(applied, integers(&fresh["data"]), "{enc:?} after edit {version}: {delta}");
            let edited = delta["edits"].as_array().unwrap();
            assert!(edited.len() <= 1, "one edit: {delta}");
            if let Some(edit) = edited.first() {
                // A real diff: less than all of the tokens.
                assert!(edit["deleteCount"].as_u64().unwrap() < data.len() as u64, "{delta}");
            }
            result_id = delta["resultId"].as_str().unwrap().to_string();
            data = applied;
        }
        // What the deltas built is what `full` says of the final text.
        assert_eq!(data, integers(&full(&mut lsp, "notes/seen.md")["data"]), "{enc:?}");
        // An unknown previous result: the whole tokens.
        let mut params = text_document(&lsp, "notes/seen.md");
        params["previousResultId"] = json!("no-such-result");
        let answer = lsp.request("textDocument/semanticTokens/full/delta", params);
        assert_eq!(integers(&answer["data"]), data, "{enc:?}");
    }
}

#[test]
fn a_definition_added_elsewhere_refreshes_the_tokens_and_clears_unknown() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        lsp.open("notes/seen.md", 1, SEEN);
        lsp.open("actors.md", 1, SEEN_ACTORS);
        lsp.barrier();
        lsp.server_requests.clear();
        let end = SEEN_ACTORS.len();
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": lsp.uri("actors.md"), "version": 2},
                   "contentChanges": [{"range": lsp.range(SEEN_ACTORS, end, end), "text": "\n@nobody: Somebody\n"}]}),
        );
        lsp.barrier();
        lsp.drain(std::time::Duration::from_millis(200));
        assert!(
            lsp.server_requests.iter().any(|m| m == "workspace/semanticTokens/refresh"),
            "{:?}",
            lsp.server_requests
        );
        let answer = full(&mut lsp, "notes/seen.md");
        let mut expected = expected_tokens(&lsp);
        expected[2].4.clear(); // `@nobody` is known now
        assert_eq!(decode(&lsp, &answer["data"]), expected, "{enc:?}");
    }
}

#[test]
fn a_client_that_does_not_support_refresh_is_not_asked_to() {
    let mut lsp = Lsp::start(Enc::Utf16, SEEN_FILES);
    lsp.open("sources.md", 1, SEEN_SOURCES);
    let at = find(SEEN_SOURCES, "B2", 0);
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": lsp.uri("sources.md"), "version": 2},
               "contentChanges": [{"range": lsp.range(SEEN_SOURCES, at, at + 2), "text": "E5"}]}),
    );
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": lsp.uri("sources.md"), "version": 3},
               "contentChanges": [{"range": lsp.range(SEEN_SOURCES, 0, 0), "text": "^new: New\n\n"}]}),
    );
    lsp.barrier();
    lsp.drain(std::time::Duration::from_millis(200));
    assert!(!lsp.server_requests.iter().any(|m| m.ends_with("/refresh")), "{:?}", lsp.server_requests);
}

#[test]
fn an_edit_that_changes_no_token_gives_an_empty_delta() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        lsp.open("notes/seen.md", 1, SEEN);
        let first = full(&mut lsp, "notes/seen.md");
        // Typed at the end of the last line: nothing after it moves.
        let end = SEEN.len();
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": lsp.uri("notes/seen.md"), "version": 2},
                   "contentChanges": [{"range": lsp.range(SEEN, end, end), "text": "Plain text."}]}),
        );
        let mut params = text_document(&lsp, "notes/seen.md");
        params["previousResultId"] = first["resultId"].clone();
        let delta = lsp.request("textDocument/semanticTokens/full/delta", params);
        assert_eq!(delta["edits"], json!([]), "{enc:?}");
        assert_ne!(delta["resultId"], first["resultId"]);
    }
}

#[test]
fn range_tokens_are_the_full_tokens_meeting_the_range() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        lsp.open("notes/seen.md", 1, SEEN);
        let all = full(&mut lsp, "notes/seen.md");
        let all = decode(&lsp, &all["data"]);
        // From inside the claim's `@putin` to inside the next line's `#deal`.
        let (start, end) = (find(SEEN, "@putin signed", 0) + 2, find(SEEN, "#deal", 0) + 2);
        let (from, to) = (line_col(SEEN, start, enc), line_col(SEEN, end, enc));
        let mut params = text_document(&lsp, "notes/seen.md");
        params["range"] = lsp.range(SEEN, start, end);
        let got = lsp.request("textDocument/semanticTokens/range", params);
        let got = decode(&lsp, &got["data"]);
        let meets = |t: &&Decoded| (t.0, t.1 + t.2) > from && (t.0, t.1) < to;
        let expected: Vec<Decoded> = all.iter().filter(meets).cloned().collect();
        assert_eq!(got, expected, "{enc:?}");
        assert_eq!(got.first().map(|t| t.3.as_str()), Some("actor"), "starts at the cut `@putin`");
        assert_eq!(got.last().map(|t| t.3.as_str()), Some("claimId"), "ends at the cut `#deal`");
    }
}

// ---------------------------------------------------------------- inlay hints

/// Inlay hints as (position, label, tooltip).
fn hints(lsp: &mut Lsp, path: &str, text: &str) -> Vec<(Value, String, String)> {
    let mut params = text_document(lsp, path);
    params["range"] = lsp.range(text, 0, text.len());
    let answer = lsp.request("textDocument/inlayHint", params);
    answer
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["position"].clone(),
                h["label"].as_str().unwrap().to_string(),
                h["tooltip"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn inlay_hints_show_grades_and_estimates_and_follow_a_grade_changed_elsewhere() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        lsp.open("notes/seen.md", 1, SEEN);
        let after = |lsp: &Lsp, needle: &str| lsp.pos(SEEN, find(SEEN, needle, 0) + needle.len());
        let b2 = (after(&lsp, "para 2)"), " B2".to_string(), "B2 — usually reliable; probably true".to_string());
        let e5 = (after(&lsp, "^rumour"), " E5".to_string(), "E5 — unreliable; improbable".to_string());
        let likely = (after(&lsp, "est:likely"), " 55–80%".to_string(), "ICD 203: likely (55–80%)".to_string());
        assert_eq!(hints(&mut lsp, "notes/seen.md", SEEN), [b2, e5.clone(), likely.clone()], "{enc:?}");

        // The grade changes in sources.md: the client is asked to refresh,
        // and the hint says the new grade.
        lsp.open("sources.md", 1, SEEN_SOURCES);
        lsp.drain(std::time::Duration::from_millis(100));
        lsp.server_requests.clear();
        let at = find(SEEN_SOURCES, "B2", 0);
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": lsp.uri("sources.md"), "version": 2},
                   "contentChanges": [{"range": lsp.range(SEEN_SOURCES, at, at + 2), "text": "A1"}]}),
        );
        lsp.barrier();
        lsp.drain(std::time::Duration::from_millis(200));
        assert!(lsp.server_requests.iter().any(|m| m == "workspace/inlayHint/refresh"), "{:?}", lsp.server_requests);
        let a1 = (
            after(&lsp, "para 2)"),
            " A1".to_string(),
            "A1 — completely reliable; confirmed by other sources".to_string(),
        );
        assert_eq!(hints(&mut lsp, "notes/seen.md", SEEN), [a1, e5, likely], "{enc:?}");
    }
}

#[test]
fn inlay_hints_stay_within_the_range_asked() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        lsp.open("notes/seen.md", 1, SEEN);
        // The visible range ends before `est:likely`: only the grades.
        let end = find(SEEN, "#deal", 0);
        let mut params = text_document(&lsp, "notes/seen.md");
        params["range"] = lsp.range(SEEN, 0, end);
        let answer = lsp.request("textDocument/inlayHint", params);
        let labels: Vec<&str> = answer.as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap()).collect();
        assert_eq!(labels, [" B2", " E5"], "{enc:?}");
    }
}

// ---------------------------------------------------------------- code lens

/// The code lenses of `path`, each resolved: (range, title, command,
/// arguments). They come with their command already, which resolving keeps.
fn lenses(lsp: &mut Lsp, path: &str) -> Vec<(Value, String, String, Value)> {
    let params = text_document(lsp, path);
    let found = lsp.request("textDocument/codeLens", params);
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|lens| {
            let resolved = lsp.request("codeLens/resolve", lens.clone());
            assert_eq!(resolved["range"], lens["range"]);
            assert_eq!(resolved["command"], lens["command"], "counted up front as on resolve");
            let command = &resolved["command"];
            (
                resolved["range"].clone(),
                command["title"].as_str().unwrap().to_string(),
                command["command"].as_str().unwrap().to_string(),
                command["arguments"].clone(),
            )
        })
        .collect()
}

#[test]
fn code_lenses_count_after_resolve_and_follow_a_mention_added_elsewhere() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        let lens = |lsp: &Lsp, path: &str, text: &str, id: &str, title: &str| {
            let start = find(text, id, 0);
            let args = json!([lsp.uri(path), lsp.pos(text, start)]);
            (lsp.range(text, start, start + id.len()), title.to_string(), "dossier.showReferences".to_string(), args)
        };
        assert_eq!(
            lenses(&mut lsp, "actors.md"),
            [
                lens(&lsp, "actors.md", SEEN_ACTORS, "@putin", "2 mentions · 1 claim"),
                lens(&lsp, "actors.md", SEEN_ACTORS, "@xi", "3 mentions · 2 claims"),
            ],
            "{enc:?}"
        );
        let seen = "notes/seen.md";
        // `#deal` is supported; `^rumour` and `^ftp-only` are definitions.
        let rumour = find(SEEN, "^rumour:", 0);
        let rumour_lens = |lsp: &Lsp, title: &str| {
            let args = json!([lsp.uri(seen), lsp.pos(SEEN, rumour)]);
            let range = lsp.range(SEEN, rumour, rumour + "^rumour".len());
            (range, title.to_string(), "dossier.showReferences".to_string(), args)
        };
        assert_eq!(
            lenses(&mut lsp, seen),
            [
                lens(&lsp, seen, SEEN, "#deal", "supported by 1 · contradicted by 0"),
                rumour_lens(&lsp, "1 mention · 1 claim"),
                lens(&lsp, seen, SEEN, "^ftp-only", "0 mentions · 0 claims"),
            ],
            "{enc:?}"
        );

        // Another note mentions @putin and contradicts #deal: the client is
        // asked to refresh, and the counts follow.
        lsp.server_requests.clear();
        let other = "’ — Кремль 中俄 🛢 {@putin denied it | ^reuters contradicts:#deal}\n";
        lsp.open("notes/other.md", 1, other);
        lsp.barrier();
        lsp.drain(std::time::Duration::from_millis(200));
        assert!(lsp.server_requests.iter().any(|m| m == "workspace/codeLens/refresh"), "{:?}", lsp.server_requests);
        let titles: Vec<String> = lenses(&mut lsp, "actors.md").into_iter().map(|l| l.1).collect();
        assert_eq!(titles, ["3 mentions · 2 claims", "3 mentions · 2 claims"], "{enc:?}");
        let titles: Vec<String> = lenses(&mut lsp, seen).into_iter().map(|l| l.1).collect();
        assert_eq!(titles[0], "supported by 1 · contradicted by 1", "{enc:?}");
    }
}

#[test]
fn a_lens_not_made_by_the_server_is_refused_with_a_clear_error() {
    let mut lsp = start(Enc::Utf16, SEEN_FILES);
    let lens = json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}});
    let error = lsp.request_error("codeLens/resolve", lens.clone());
    assert!(error["message"].as_str().unwrap().contains("not made by dossier"), "{error}");
    let mut odd = lens;
    odd["data"] = json!({"uri": lsp.uri("actors.md"), "id": "nosigil"});
    lsp.request_error("codeLens/resolve", odd);
    // The server lives on.
    assert_eq!(lenses(&mut lsp, "actors.md").len(), 2);
}

// ---------------------------------------------------------------- links and folding

#[test]
fn links_are_the_valid_source_urls() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        for (path, text, url) in [
            ("notes/seen.md", SEEN, "https://example.org/rumour?q=1"),
            ("sources.md", SEEN_SOURCES, "https://www.reuters.com/article/gas-deal"),
        ] {
            let params = text_document(&lsp, path);
            let links = lsp.request("textDocument/documentLink", params);
            // The `ftp:` URL of `^ftp-only` gets no link.
            assert_eq!(links.as_array().unwrap().len(), 1, "{enc:?} {path}: {links}");
            assert_eq!(links[0]["range"], lsp.range_of(text, url, 0), "{enc:?}");
            assert_eq!(links[0]["target"], url, "{enc:?}");
        }
    }
}

#[test]
fn folding_covers_multi_line_claims_and_definition_blocks_only() {
    for enc in BOTH {
        let mut lsp = start(enc, SEEN_FILES);
        let params = text_document(&lsp, "notes/seen.md");
        let folds = lsp.request("textDocument/foldingRange", params);
        let lines: Vec<(u64, u64)> = folds
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap()))
            .collect();
        // The claim over lines 3–4 and the two blocks; not the one-line claim on line 5.
        assert_eq!(lines, [(3, 4), (7, 9), (11, 12)], "{enc:?}");
    }
}

#[test]
fn unknown_documents_get_empty_answers_and_the_server_lives_on() {
    let mut lsp = start(Enc::Utf8, SEEN_FILES);
    let missing = json!({"textDocument": {"uri": lsp.uri("no/such.md")}});
    for method in [
        "textDocument/semanticTokens/full",
        "textDocument/codeLens",
        "textDocument/documentLink",
        "textDocument/foldingRange",
    ] {
        assert_eq!(lsp.request(method, missing.clone()), Value::Null, "{method}");
    }
    let mut params = missing.clone();
    params["previousResultId"] = json!("1");
    assert_eq!(lsp.request("textDocument/semanticTokens/full/delta", params), Value::Null);
    let mut params = missing;
    params["range"] = json!({"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}});
    assert_eq!(lsp.request("textDocument/semanticTokens/range", params.clone()), Value::Null);
    assert_eq!(lsp.request("textDocument/inlayHint", params), Value::Null);
    // A range past the end of a known note: what there is.
    let mut params = text_document(&lsp, "notes/seen.md");
    params["range"] = json!({"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}});
    assert_eq!(lsp.request("textDocument/inlayHint", params).as_array().unwrap().len(), 3);
    let answer = full(&mut lsp, "notes/seen.md");
    assert_eq!(decode(&lsp, &answer["data"]), expected_tokens(&lsp));
}
