//! Protocol abuse (issue #5, item 4): the built `dossier lsp` driven by a
//! scripted client that sends what a buggy or hostile client might: positions
//! out of range, edits for unknown documents, versions going backwards,
//! frames that are not JSON, params of the wrong shape, unknown methods,
//! messages out of lifecycle order, cancellations, and 1,000 random
//! well-formed messages. After each abuse the server must still be up, answer
//! a hover with the exact card and range, and hold the documents' text the
//! client believes it holds, which is checked by comparing every published
//! diagnostic with what `dossier check` finds in the same text.
//!
//! Behaviour pinned here (the README's guarantees):
//! - A position past the last line answers null (every request); a column past
//!   the end of its line is taken as the line's end.
//! - `didChange`: changes apply in the order received, whatever their version
//!   (LSP says versions only increase; a client that sends a lower one still
//!   means its edit, and dropping it would lose text). The version reported
//!   back (diagnostics, rename) is the last one received. A change whose range
//!   starts or ends past the last line is skipped (the others in the same
//!   notification apply) and logged; a range given end-first is taken
//!   start-first. A change for a document that is not open is ignored.
//! - A frame whose body is not JSON gets `-32700` (id null); JSON that is not
//!   a JSON-RPC message gets `-32600` (with its id when it has one); reading
//!   goes on at the next frame.
//! - Malformed params: a request gets `-32602`; a notification is ignored.
//! - Unknown methods: a request gets `-32601` (`$/` ones too); notifications
//!   are ignored.
//! - Before `initialize`: requests get `-32002`, notifications are dropped.
//!   A second `initialize` gets `-32600` and changes nothing. After
//!   `shutdown`: requests get `-32600`. `exit` ends the process: status 0
//!   after `shutdown`, 1 without.
//! - `$/cancelRequest`: the request is still answered, with its result or
//!   `-32800`.
//! - Order: once the workspace is indexed, a request is answered against the
//!   documents as they stood when it arrived; diagnostics reach the client in
//!   the order of the changes that produced them. Requests sent before
//!   `initialized` answer at once from what there is (nothing is indexed).

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::*;

// ---------------------------------------------------------------- fixture and checks

/// A note whose third line ends with a mention, so that a column past the
/// end of that line clamps onto the mention.
const END: &str = "# End\n\n’ — Кремль 中俄 😀 met @putin\n";

fn abuse_files() -> Vec<(&'static str, &'static str)> {
    let mut files = FILES.to_vec();
    files.push(("notes/end.md", END));
    files
}

/// `@putin`'s card in this workspace: three mentions in deal.md, one in
/// other.md and one in end.md; three claims. Any document whose text went
/// wrong would likely change the count.
const PUTIN_CARD: &str = "**Vladimir Putin** `@putin` — person\n\nPresident of the Russian Federation\n\nMet ’ — Кремль 中俄 😀 @xi in Shanghai.\n\n\nDefined at actors.md:3 · 5 mentions · in 3 claims";

/// The hover on the first `@putin` of deal.md (whose text must be `DEAL`)
/// gives exactly the card, over exactly the token.
fn assert_final_hover(lsp: &mut Lsp) {
    let hover = lsp.hover("notes/deal.md", lsp.at(DEAL, "@putin", 0, 2));
    assert_eq!(
        hover,
        json!({"contents": {"kind": "markdown", "value": PUTIN_CARD}, "range": lsp.range_of(DEAL, "@putin", 0)}),
        "{:?}",
        lsp.enc
    );
}

/// A diagnostic as the checks compare it: rule, severity, range, message.
type Diag = (String, u64, Value, String);

fn diag_of(d: &Value) -> Diag {
    (
        d["code"].as_str().unwrap_or_default().to_string(),
        d["severity"].as_u64().unwrap_or_default(),
        d["range"].clone(),
        d["message"].as_str().unwrap_or_default().to_string(),
    )
}

fn sorted(mut diags: Vec<Diag>) -> Vec<Diag> {
    let n = |v: &Value| v.as_u64().unwrap_or(u64::MAX);
    diags.sort_by_cached_key(|(rule, _, r, message)| {
        let (s, e) = (&r["start"], &r["end"]);
        ((n(&s["line"]), n(&s["character"]), n(&e["line"]), n(&e["character"])), rule.clone(), message.clone())
    });
    diags
}

/// What `dossier check --hints` finds in `files` (relative path → text),
/// written to a fresh folder: per path, the diagnostics with their ranges in
/// `enc`, as the server should publish them for the same text.
fn checked(files: &BTreeMap<String, String>, enc: Enc) -> BTreeMap<String, Vec<Diag>> {
    let dir = tempdir();
    for (path, text) in files {
        write(dir.path(), path, text.as_bytes());
    }
    let (_, found) = check_json(dir.path(), &["--hints", "."]);
    let mut out: BTreeMap<String, Vec<Diag>> = files.keys().map(|p| (p.clone(), Vec::new())).collect();
    let starts: BTreeMap<&String, Vec<usize>> = files.iter().map(|(p, t)| (p, line_starts(t))).collect();
    for d in found {
        let path = d["path"].as_str().unwrap().to_string();
        let text = &files[&path];
        // 1-based line and column in characters → LSP position: the same
        // line, the characters before the column counted in `enc` units.
        let at = |line: &Value, column: &Value| {
            let line = line.as_u64().unwrap() as usize - 1;
            let start = starts[&path][line];
            let character: u32 =
                text[start..].chars().take(column.as_u64().unwrap() as usize - 1).map(|c| width(c, enc)).sum();
            json!({"line": line, "character": character})
        };
        let severity = match d["severity"].as_str().unwrap() {
            "error" => 1,
            "warning" => 2,
            "info" => 3,
            _ => 4,
        };
        let range = json!({"start": at(&d["line"], &d["column"]), "end": at(&d["end_line"], &d["end_column"])});
        out.get_mut(&path).unwrap().push((
            d["rule"].as_str().unwrap().to_string(),
            severity,
            range,
            d["message"].as_str().unwrap().to_string(),
        ));
    }
    out.into_iter().map(|(p, d)| (p, sorted(d))).collect()
}

/// Waits until the diagnostics published for every file of `files` are
/// those `dossier check` finds in the same text: the server's idea of each
/// document, open or not, matches the client's, down to every range.
fn assert_diagnostics_match(lsp: &mut Lsp, files: &BTreeMap<String, String>) {
    let expected = checked(files, lsp.enc);
    let deadline = Instant::now() + TIMEOUT;
    // Paths still to agree, checked again only when new diagnostics come in.
    let mut waiting: Vec<&String> = expected.keys().collect();
    let mut seen = usize::MAX;
    loop {
        if seen != lsp.history.len() {
            seen = lsp.history.len();
            waiting.retain(|path| {
                let got = lsp
                    .published
                    .get(&lsp.uri(path))
                    .map_or(Vec::new(), |p| sorted(p["diagnostics"].as_array().unwrap().iter().map(diag_of).collect()));
                got != expected[*path]
            });
        }
        let Some(path) = waiting.first() else { return };
        if !lsp.pump(deadline) {
            let got = lsp.published.get(&lsp.uri(path)).cloned().unwrap_or(Value::Null);
            let want = &expected[*path];
            let stderr = lsp.stderr.lock().unwrap().clone();
            panic!(
                "{:?}: diagnostics of {path} differ from dossier check's\nwant {want:#?}\ngot {got:#}\ntext: {:?}\nserver stderr: {stderr}",
                lsp.enc, files[*path]
            );
        }
    }
}

/// The workspace as written on disk by `abuse_files`, with `open` documents'
/// text in place of theirs.
fn workspace_with(open: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> =
        abuse_files().into_iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
    for (path, text) in open {
        files.insert(path.to_string(), text.to_string());
    }
    files
}

fn error_of(response: &Value) -> (i64, String) {
    let error = response.get("error").unwrap_or_else(|| panic!("an error reply expected: {response}"));
    (error["code"].as_i64().unwrap(), error["message"].as_str().unwrap().to_string())
}

fn change(lsp: &Lsp, path: &str, version: i64, changes: Value) -> Value {
    json!({"textDocument": {"uri": lsp.uri(path), "version": version}, "contentChanges": changes})
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// The position requests of the server, each with params at `position` in
/// `path` (rename with a fresh, valid name).
fn position_requests(lsp: &Lsp, path: &str, position: &Value) -> Vec<(&'static str, Value)> {
    let at = lsp.doc_pos(path, position.clone());
    let mut references = at.clone();
    references["context"] = json!({"includeDeclaration": true});
    let mut rename = at.clone();
    rename["newName"] = json!("renamed-id");
    vec![
        ("textDocument/hover", at.clone()),
        ("textDocument/definition", at.clone()),
        ("textDocument/references", references),
        ("textDocument/documentHighlight", at.clone()),
        ("textDocument/prepareRename", at.clone()),
        ("textDocument/rename", rename),
        ("textDocument/completion", at),
    ]
}

// ---------------------------------------------------------------- positions

#[test]
fn positions_past_the_end_answer_null_and_columns_past_a_line_end_clamp() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &abuse_files());
        lsp.open("notes/end.md", 1, END);
        // END has 4 lines (the last one empty after the final line break).
        for path in ["notes/end.md", "notes/other.md"] {
            for position in [pos(4, 0), pos(5, 0), pos(4, 7), pos(u32::MAX, 0), pos(u32::MAX, u32::MAX), pos(1000, 3)] {
                for (method, params) in position_requests(&lsp, path, &position) {
                    let response = lsp.call(method, params);
                    assert_eq!(response["result"], Value::Null, "{enc:?} {method} {path} at {position}: {response}");
                    assert!(response.get("error").is_none(), "{enc:?} {method} at {position}: {response}");
                }
            }
        }
        // A column past the end of `… met @putin` is the line's end: the end
        // of the mention, where every request answers as on the mention.
        let line_end = END.len() - 1;
        let exact = lsp.pos(END, line_end);
        for beyond in [pos(2, exact["character"].as_u64().unwrap() as u32 + 1), pos(2, 1 << 20), pos(2, u32::MAX)] {
            for ((method, at_end), (_, past)) in position_requests(&lsp, "notes/end.md", &exact)
                .into_iter()
                .zip(position_requests(&lsp, "notes/end.md", &beyond))
            {
                let want = lsp.request(method, at_end);
                assert_ne!(want, Value::Null, "{enc:?} {method} at the end of the mention");
                assert_eq!(lsp.request(method, past), want, "{enc:?} {method} at {beyond}");
            }
        }
        let hover = lsp.hover("notes/end.md", pos(2, u32::MAX));
        assert_eq!(
            hover,
            json!({"contents": {"kind": "markdown", "value": PUTIN_CARD}, "range": lsp.range_of(END, "@putin", 0)})
        );
        assert_final_hover(&mut lsp);
    }
}

#[test]
fn positions_that_are_not_u32_are_invalid_params() {
    let mut lsp = Lsp::start(Enc::Utf16, &abuse_files());
    for (position, message) in [
        (json!({"line": -1, "character": 0}), "invalid value: integer `-1`, expected u32"),
        (json!({"line": 4294967296u64, "character": 0}), "invalid value: integer `4294967296`, expected u32"),
        (json!({"line": 1.5, "character": 0}), "invalid type: floating point `1.5`, expected u32"),
        (json!({"line": "2", "character": 0}), "invalid type: string \"2\", expected u32"),
        (json!({"line": 2}), "missing field `character`"),
        (json!(null), "invalid type: null, expected struct Position"),
    ] {
        for (method, mut params) in position_requests(&lsp, "notes/end.md", &json!(null)) {
            params["position"] = position.clone();
            let response = lsp.call(method, params);
            assert_eq!(error_of(&response), (-32602, message.to_string()), "{method} at {position}");
        }
    }
    assert_final_hover(&mut lsp);
}

// ---------------------------------------------------------------- didChange

#[test]
fn changes_out_of_range_clamp_or_are_skipped_and_the_text_stays_right() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &abuse_files());
        lsp.open("notes/end.md", 1, END);
        let log_count = |lsp: &Lsp| lsp.logs.len();

        // A column past the line's end inserts at the line's end.
        let mut text = END.replace("met @putin\n", "met @putin @xi\n");
        lsp.notify(
            "textDocument/didChange",
            change(
                &lsp,
                "notes/end.md",
                2,
                json!([{"range": {"start": pos(2, u32::MAX), "end": pos(2, u32::MAX)}, "text": " @xi"}]),
            ),
        );
        lsp.barrier();
        assert_diagnostics_match(&mut lsp, &workspace_with(&[("notes/end.md", &text)]));

        // A change past the last line is skipped, the others apply, and the
        // client is told in a log message.
        let before = log_count(&lsp);
        let title = lsp.range_of(&text, "End", 0);
        let nobody = lsp.range_of(&text, "@xi", 0);
        lsp.notify(
            "textDocument/didChange",
            change(
                &lsp,
                "notes/end.md",
                3,
                json!([
                    {"range": title, "text": "Ending"},
                    {"range": {"start": pos(u32::MAX, 0), "end": pos(u32::MAX, 5)}, "text": "@lost"},
                    {"range": {"start": pos(2, 0), "end": pos(9, 0)}, "text": "@lost"},
                    {"range": nobody, "text": "@nobody"},
                ]),
            ),
        );
        text = text.replace("# End", "# Ending").replace("@xi\n", "@nobody\n");
        lsp.barrier();
        assert_diagnostics_match(&mut lsp, &workspace_with(&[("notes/end.md", &text)]));
        assert_eq!(
            lsp.logs[before..].to_vec(),
            vec![json!({"type": 2, "message": "dossier: ignored 2 edit(s) outside the document"})],
            "{enc:?}"
        );

        // A range given end-first is taken start-first.
        let nobody = find(&text, "@nobody", 0);
        let reversed = json!({"start": lsp.pos(&text, nobody + "@nobody".len()), "end": lsp.pos(&text, nobody)});
        lsp.notify(
            "textDocument/didChange",
            change(&lsp, "notes/end.md", 4, json!([{"range": reversed, "text": "@xi"}])),
        );
        text = text.replace("@nobody", "@xi");
        // One past the last line, column 0, is the very end of the text.
        lsp.notify(
            "textDocument/didChange",
            change(
                &lsp,
                "notes/end.md",
                5,
                json!([{"range": {"start": pos(4, 0), "end": pos(4, 0)}, "text": "@tail\n"}]),
            ),
        );
        text.push_str("@tail\n");
        // An end column past the line's end deletes to the line's end.
        let met = find(&text, " met", 0);
        let (line, character) = position_of(&text, met, enc);
        lsp.notify(
            "textDocument/didChange",
            change(
                &lsp,
                "notes/end.md",
                6,
                json!([{"range": {"start": pos(line, character), "end": pos(line, u32::MAX)}, "text": ""}]),
            ),
        );
        text = text.replace(" met @putin @xi", "");
        lsp.barrier();
        assert_diagnostics_match(&mut lsp, &workspace_with(&[("notes/end.md", &text)]));

        // Back to the disk text: the card counts end.md's mention again.
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": lsp.uri("notes/end.md")}}));
        assert_diagnostics_match(&mut lsp, &workspace_with(&[]));
        assert_final_hover(&mut lsp);
    }
}

#[test]
fn changes_for_documents_that_are_not_open_are_ignored() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &abuse_files());
        let edit = |uri: &str| {
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"range": {"start": pos(0, 0), "end": pos(0, 0)}, "text": "@ghost {x}\n"}]})
        };
        // A note on disk the client never opened, one that does not exist,
        // one outside any folder, and a document that is not a file.
        for uri in [
            lsp.uri("notes/other.md"),
            lsp.uri("notes/missing.md"),
            "file:///elsewhere/x.md".into(),
            "untitled:Untitled-1".into(),
        ] {
            let params = edit(&uri);
            lsp.notify("textDocument/didChange", params);
        }
        // One that was open, and is closed again: the disk text is back and stays.
        lsp.open("notes/end.md", 1, END);
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": lsp.uri("notes/end.md")}}));
        let params = edit(&lsp.uri("notes/end.md"));
        lsp.notify("textDocument/didChange", params);
        lsp.barrier();
        assert_diagnostics_match(&mut lsp, &workspace_with(&[]));
        assert!(!lsp.published.contains_key(&lsp.uri("notes/missing.md")), "{enc:?}");
        assert_eq!(lsp.hover("notes/missing.md", pos(0, 2)), Value::Null);
        assert_final_hover(&mut lsp);
    }
}

#[test]
fn versions_going_backwards_still_apply_in_order_and_are_reported_as_sent() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &abuse_files());
        lsp.open("notes/end.md", 10, END);
        let mut text = END.to_string();
        // 11, then 5 (backwards), 5 again, then -3: every edit applies.
        for (version, insert) in [(11, "@a1 "), (5, "@a2 "), (5, "@a3 "), (-3, "@a4 ")] {
            let at = lsp.pos(&text, find(&text, "met", 0));
            lsp.notify(
                "textDocument/didChange",
                change(&lsp, "notes/end.md", version, json!([{"range": {"start": at, "end": at}, "text": insert}])),
            );
            text.insert_str(find(&text, "met", 0), insert);
            lsp.barrier();
            let published = lsp.publish_for(&lsp.uri("notes/end.md"), |p| p["version"] == version);
            assert_eq!(published["version"], version, "{enc:?}");
            assert_diagnostics_match(&mut lsp, &workspace_with(&[("notes/end.md", &text)]));
        }
        // A rename reports the last version received.
        let mut params = lsp.doc_pos("notes/end.md", lsp.at(&text, "@putin", 0, 1));
        params["newName"] = json!("vladimir-putin");
        let edit = lsp.request("textDocument/rename", params);
        let by_uri = edits_by_uri(&edit);
        assert_eq!(by_uri[&lsp.uri("notes/end.md")].0, json!(-3), "{enc:?}");
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": lsp.uri("notes/end.md")}}));
        assert_final_hover(&mut lsp);
    }
}

// ---------------------------------------------------------------- found by the random client

#[test]
fn completion_after_a_wide_character_and_a_colon_answers() {
    // Found by the random client: the key before `:` was searched for by
    // characters but cut one byte after the character found, inside it.
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &abuse_files());
        let text = "{A claim | ^tass-2014 😀kind: 👩\u{200d}👧nd:}\n";
        lsp.open("notes/end.md", 1, text);
        for (after, labels) in [("😀kind:", vec!["fact", "assessment", "quote", "forecast"]), ("👧nd:", vec![])] {
            let params = lsp.doc_pos("notes/end.md", lsp.pos(text, find(text, after, 0) + after.len()));
            let items = lsp.request("textDocument/completion", params);
            let got: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
            assert_eq!(got, labels, "{enc:?} after {after}");
        }
    }
}

// ---------------------------------------------------------------- a huge document

#[test]
fn a_huge_document_passes_whole_through_every_buffer() {
    // Frames of megabytes, far larger than any buffer on their way (the
    // pipes', the framing's, tower-lsp's), in both directions.
    let mut lsp = Lsp::start(Enc::Utf16, &abuse_files());
    let mut text = format!("{WIDE} plain prose, no markup at all.\n").repeat(25_000) + END;
    lsp.open("notes/end.md", 1, &text);
    let at = lsp.at(&text, "@putin", 0, 3);
    assert_eq!(
        lsp.hover("notes/end.md", at),
        json!({"contents": {"kind": "markdown", "value": PUTIN_CARD}, "range": lsp.range_of(&text, "@putin", 0)})
    );
    // Replace it all with something as large, full of findings: one
    // diagnostic per line, published in one large message.
    let lines = text.lines().count() as u32;
    let big = format!("{WIDE} {{unsourced @nobody}}\n").repeat(2_000);
    let everything = json!({"start": pos(0, 0), "end": pos(lines, 0)});
    lsp.notify("textDocument/didChange", change(&lsp, "notes/end.md", 2, json!([{"range": everything, "text": big}])));
    text = big;
    let published = lsp.publish_for(&lsp.uri("notes/end.md"), |p| p["version"] == 2);
    assert_eq!(published["diagnostics"].as_array().unwrap().len(), 4_000);
    assert_diagnostics_match(&mut lsp, &workspace_with(&[("notes/end.md", &text)]));
}

// ---------------------------------------------------------------- frames

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn hover_body(lsp: &Lsp, id: i64) -> Vec<u8> {
    let params = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "@putin", 0, 2));
    serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": params})).unwrap()
}

/// The response to the hover of `hover_body` is the exact card.
fn assert_card(lsp: &mut Lsp, id: i64) {
    let response = lsp.response(id);
    assert_eq!(response["result"]["contents"]["value"], PUTIN_CARD, "{response}");
    assert_eq!(response["result"]["range"], lsp.range_of(DEAL, "@putin", 0));
}

#[test]
fn frames_that_are_not_messages_get_error_replies_and_reading_goes_on() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &abuse_files());
        let parse_error = json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "Parse error"}});
        let invalid =
            |id: Value| json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32600, "message": "Invalid request"}});

        // Bodies that are not JSON (or not UTF-8, or empty).
        for body in [&b"{not json"[..], b"\xff\xfe{}", b"", br#"{"jsonrpc":"2.0","id":1,"#] {
            lsp.send_raw(&frame(body));
            assert_eq!(lsp.null_id_reply(), parse_error, "{enc:?} {}", String::from_utf8_lossy(body));
        }
        // JSON that is not a JSON-RPC message: with its id when it has a usable one.
        // A batch is not LSP: the `shutdown` inside must not be run.
        for (body, id) in [
            (json!({"foo": 1}), Value::Null),
            (json!([]), Value::Null),
            (json!([{"jsonrpc": "2.0", "id": 1090, "method": "shutdown"}]), Value::Null),
            (json!({"jsonrpc": "1.0", "id": 1091, "method": "textDocument/hover"}), json!(1091)),
            (json!({"jsonrpc": "2.0", "id": "s-1092", "method": 7}), json!("s-1092")),
            (json!({"jsonrpc": "2.0", "id": {"x": 1}, "method": "textDocument/hover"}), Value::Null),
            (json!("just a string"), Value::Null),
        ] {
            lsp.send_raw(&frame(&serde_json::to_vec(&body).unwrap()));
            let reply = if id.is_null() { lsp.null_id_reply() } else { lsp.response_to(&id) };
            assert_eq!(reply, invalid(id), "{enc:?} {body}");
        }

        // Header blocks without a usable Content-Length: a parse error each,
        // then the next frame is read as usual.
        for header in ["Content-Type: text/plain\r\n\r\n", "Content-Length: abc\r\n\r\n", "Content-Length: -5\r\n\r\n"]
        {
            lsp.send_raw(header.as_bytes());
            assert_eq!(lsp.null_id_reply(), parse_error, "{enc:?} {header:?}");
            lsp.send_raw(&frame(&hover_body(&lsp, 1100)));
            assert_card(&mut lsp, 1100);
        }

        // Well-formed in unusual ways: a lowercase header name and a
        // Content-Type; one frame written a byte at a time; two frames in
        // one write.
        let body = hover_body(&lsp, 1101);
        let header = format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
            body.len()
        );
        lsp.send_raw(&[header.as_bytes(), &body].concat());
        assert_card(&mut lsp, 1101);
        for byte in frame(&hover_body(&lsp, 1102)) {
            lsp.send_raw(&[byte]);
        }
        assert_card(&mut lsp, 1102);
        lsp.send_raw(&[frame(&hover_body(&lsp, 1103)), frame(&hover_body(&lsp, 1104))].concat());
        assert_card(&mut lsp, 1103);
        assert_card(&mut lsp, 1104);

        // A Content-Length too short: the cut body is a parse error, and so
        // are its last bytes, met where the next header should start; the
        // frame after them is read as usual.
        let body = hover_body(&lsp, 1105);
        let short = [format!("Content-Length: {}\r\n\r\n", body.len() - 5).as_bytes(), &body].concat();
        lsp.send_raw(&[short, frame(&hover_body(&lsp, 1106))].concat());
        assert_card(&mut lsp, 1106);
        assert_eq!(lsp.null_id_replies, vec![parse_error.clone(), parse_error.clone()], "{enc:?}");
        lsp.null_id_replies.clear();

        // A Content-Length too long swallows the next frame whole: one parse
        // error, the swallowed request is never answered, the next one is.
        let body = hover_body(&lsp, 1107);
        let swallowed = frame(&hover_body(&lsp, 1108));
        let long = [format!("Content-Length: {}\r\n\r\n", body.len() + swallowed.len()).as_bytes(), &body].concat();
        lsp.send_raw(&[long, swallowed, frame(&hover_body(&lsp, 1109))].concat());
        assert_card(&mut lsp, 1109);
        lsp.barrier();
        assert_eq!(lsp.null_id_replies, vec![parse_error.clone()], "{enc:?}");
        assert!(!lsp.responses.contains_key("1107") && !lsp.responses.contains_key("1108"), "{:?}", lsp.responses);
        lsp.null_id_replies.clear();

        assert_final_hover(&mut lsp);
        assert_diagnostics_match(&mut lsp, &workspace_with(&[]));
    }
}

// ---------------------------------------------------------------- params and methods

#[test]
fn malformed_params_are_invalid_params_for_requests_and_ignored_in_notifications() {
    let mut lsp = Lsp::start(Enc::Utf16, &abuse_files());
    lsp.open("notes/end.md", 1, END);
    let end = lsp.uri("notes/end.md");
    let at = json!({"textDocument": {"uri": end}, "position": {"line": 2, "character": 30}});
    let with = |extra: Value| {
        let mut params = at.clone();
        params.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        params
    };
    for (method, params, message) in [
        (
            "textDocument/hover",
            json!({"textDocument": 5, "position": {"line": 0, "character": 0}}),
            "invalid type: integer `5`, expected struct TextDocumentIdentifier",
        ),
        ("textDocument/hover", json!({}), "missing field `textDocument`"),
        ("textDocument/hover", json!(null), "Missing params field"),
        ("textDocument/hover", json!([1, 2]), "invalid type: sequence, expected struct HoverParams"),
        (
            "textDocument/definition",
            json!({"textDocument": {"uri": "not a uri"}, "position": {"line": 0, "character": 0}}),
            "relative URL without a base: \"not a uri\"",
        ),
        ("textDocument/references", at.clone(), "missing field `context`"),
        (
            "textDocument/references",
            with(json!({"context": {"includeDeclaration": "yes"}})),
            "invalid type: string \"yes\", expected a boolean",
        ),
        ("textDocument/rename", at.clone(), "missing field `newName`"),
        ("textDocument/rename", with(json!({"newName": 7})), "invalid type: integer `7`, expected a string"),
        ("textDocument/prepareRename", json!({"textDocument": {"uri": end}}), "missing field `position`"),
        (
            "textDocument/completion",
            with(json!({"context": {"triggerKind": "typed"}})),
            "invalid type: string \"typed\", expected i32",
        ),
        (
            "textDocument/documentHighlight",
            json!({"position": {"line": 0, "character": 0}}),
            "missing field `textDocument`",
        ),
        ("textDocument/documentSymbol", json!({"textDocument": {}}), "missing field `uri`"),
        ("workspace/symbol", json!({"query": 5}), "invalid type: integer `5`, expected a string"),
        ("workspace/symbol", json!(null), "Missing params field"),
    ] {
        let response = lsp.call(method, params.clone());
        assert_eq!(error_of(&response), (-32602, message.to_string()), "{method} {params}");
    }

    // Notifications with params of the wrong shape are dropped: none of
    // these opens, edits or closes anything.
    let deal = lsp.uri("notes/deal.md");
    let edit = json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "@ghost "}]);
    for (method, params) in [
        ("textDocument/didOpen", json!({"textDocument": {"uri": deal, "languageId": "markdown", "version": 1}})),
        (
            "textDocument/didOpen",
            json!({"textDocument": {"uri": deal, "languageId": "markdown", "version": "1", "text": "@ghost"}}),
        ),
        ("textDocument/didChange", json!({"textDocument": {"uri": end, "version": "3"}, "contentChanges": edit})),
        ("textDocument/didChange", json!({"textDocument": {"uri": end, "version": 3}, "contentChanges": 5})),
        (
            "textDocument/didChange",
            json!({"textDocument": {"uri": end, "version": 3}, "contentChanges": [{"range": {"start": 0}, "text": "@ghost"}]}),
        ),
        ("textDocument/didChange", json!({"textDocument": {"uri": end, "version": 3}})),
        ("textDocument/didClose", json!({"textDocument": {"uri": 5}})),
        ("textDocument/didClose", json!({})),
        ("workspace/didChangeWatchedFiles", json!({"changes": 5})),
        ("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": end, "type": 9}]})),
        ("initialized", json!([1, 2])),
        ("$/cancelRequest", json!({"id": {"nested": true}})),
    ] {
        lsp.notify(method, params);
    }
    lsp.barrier();
    assert_diagnostics_match(&mut lsp, &workspace_with(&[("notes/end.md", END)]));

    // A notification sent as a request gets InvalidRequest and is not run;
    // a request sent as a notification gets no reply.
    let open = json!({"textDocument": {"uri": deal, "languageId": "markdown", "version": 1, "text": "@ghost"}});
    assert_eq!(error_of(&lsp.call("textDocument/didOpen", open)), (-32600, "Invalid request".to_string()));
    lsp.notify("textDocument/hover", at.clone());
    lsp.barrier();
    assert_diagnostics_match(&mut lsp, &workspace_with(&[("notes/end.md", END)]));
    assert!(lsp.responses.is_empty(), "{:?}", lsp.responses);
    assert_final_hover(&mut lsp);
}

#[test]
fn unknown_methods_are_method_not_found_for_requests_and_ignored_in_notifications() {
    let mut lsp = Lsp::start(Enc::Utf8, &abuse_files());
    // `$/` requests included: tower-lsp alone never answered them, leaving
    // the client waiting for ever. Signature help is a method the server
    // does not offer.
    let signature = json!({"textDocument": {"uri": lsp.uri("notes/deal.md")}, "position": {"line": 0, "character": 0}});
    for (method, params) in [
        ("dossier/unknown", json!({})),
        ("$/dossier/unknown", json!({})),
        ("$/cancelRequest2", json!({"id": 1})),
        ("textDocument/signatureHelp", signature),
        ("", json!({})),
    ] {
        let response = lsp.call(method, params);
        let error = response.get("error").unwrap_or_else(|| panic!("{method}: {response}"));
        assert_eq!(error["code"], -32601, "{method}: {response}");
        assert_eq!(error["message"], "Method not found", "{method}: {response}");
    }
    for method in [
        "dossier/unknown",
        "$/dossier/unknown",
        "$/setTrace",
        "$/logTrace",
        "$/progress",
        "workspace/didChangeConfiguration",
    ] {
        lsp.notify(method, json!({"value": "verbose", "settings": {}}));
    }
    lsp.barrier();
    assert!(lsp.responses.is_empty() && lsp.null_id_replies.is_empty(), "{:?}", lsp.responses);
    assert_final_hover(&mut lsp);
}

// ---------------------------------------------------------------- lifecycle

/// The requests the server answers beside tower-lsp (`lsp::direct`), with
/// valid params built from a text document position.
fn large_answer_requests(at: &Value) -> Vec<(&'static str, Value)> {
    let with = |extra: Value| {
        let mut params = at.clone();
        params.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        params
    };
    vec![
        ("textDocument/references", with(json!({"context": {"includeDeclaration": true}}))),
        ("textDocument/rename", with(json!({"newName": "vvp"}))),
        ("textDocument/completion", at.clone()),
        ("textDocument/documentSymbol", json!({"textDocument": at["textDocument"].clone()})),
        ("workspace/symbol", json!({"query": "put"})),
    ]
}

#[test]
fn lifecycle_messages_out_of_order_get_the_protocol_errors() {
    for enc in BOTH {
        let mut lsp = Lsp::spawn(enc, &abuse_files());
        let not_initialized = (-32002, "Server not initialized".to_string());
        let invalid_request = (-32600, "Invalid request".to_string());

        // Before `initialize`: requests are refused, notifications dropped;
        // the ones answered beside tower-lsp (large answers) too.
        let params = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "@putin", 0, 2));
        assert_eq!(error_of(&lsp.call("textDocument/hover", params.clone())), not_initialized, "{enc:?}");
        for (method, params) in large_answer_requests(&params) {
            assert_eq!(error_of(&lsp.call(method, params)), not_initialized, "{method} {enc:?}");
        }
        assert_eq!(error_of(&lsp.call("shutdown", Value::Null)), not_initialized);
        lsp.open("notes/deal.md", 1, "@ghost {dropped}");

        // An `initialize` with bad params is refused; the next one works.
        assert_eq!(error_of(&lsp.call("initialize", json!({"capabilities": 5}))).0, -32602);
        let params = lsp.initialize_params(true, &[""]);
        lsp.init = lsp.request("initialize", params);
        assert_eq!(lsp.init["capabilities"]["positionEncoding"], if enc == Enc::Utf8 { "utf-8" } else { "utf-16" });

        // A second `initialize` is refused and changes nothing: offering
        // the other encoding now does not switch to it.
        let mut again = lsp.initialize_params(true, &[""]);
        again["capabilities"]["general"] =
            json!({"positionEncodings": [if enc == Enc::Utf8 { "utf-16" } else { "utf-8" }]});
        assert_eq!(error_of(&lsp.call("initialize", again)), invalid_request, "{enc:?}");
        lsp.notify("initialized", json!({}));
        lsp.wait_until_indexed();
        assert_final_hover(&mut lsp);
        assert_diagnostics_match(&mut lsp, &workspace_with(&[]));

        // `shutdown` with `"params": null`, as Eglot, lsp4j and Zed send it.
        lsp.send(json!({"jsonrpc": "2.0", "id": 500, "method": "shutdown", "params": null}));
        assert_eq!(lsp.response(500), json!({"jsonrpc": "2.0", "id": 500, "result": null}), "{enc:?}");
        // After it, requests are refused (another shutdown too); the process lives until `exit`.
        let params = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "@putin", 0, 2));
        assert_eq!(error_of(&lsp.call("textDocument/hover", params.clone())), invalid_request);
        for (method, params) in large_answer_requests(&params) {
            assert_eq!(error_of(&lsp.call(method, params)), invalid_request, "{method} {enc:?}");
        }
        assert_eq!(error_of(&lsp.call("shutdown", Value::Null)), invalid_request);
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": lsp.uri("notes/deal.md")}}));
        assert_eq!(lsp.child.try_wait().unwrap(), None);
        lsp.notify("exit", json!(null));
        assert_eq!(lsp.wait_exit().code(), Some(0), "{enc:?}");
    }
}

#[test]
fn initialized_without_params_still_indexes_the_workspace() {
    // `initialized` takes `{}`; sent bare or with null, it used to be
    // dropped as malformed, and the workspace was never indexed.
    for params in [None, Some(Value::Null)] {
        let mut lsp = Lsp::spawn(Enc::Utf16, &abuse_files());
        let init = lsp.initialize_params(true, &[""]);
        lsp.init = lsp.request("initialize", init);
        let mut message = json!({"jsonrpc": "2.0", "method": "initialized"});
        if let Some(params) = params {
            message["params"] = params;
        }
        lsp.send(message);
        lsp.wait_until_indexed();
        assert_final_hover(&mut lsp);
    }
}

#[test]
fn exit_without_shutdown_ends_the_process_with_status_1() {
    // After initialize, and before it.
    let mut lsp = Lsp::start(Enc::Utf16, &abuse_files());
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.wait_exit().code(), Some(1));
    let mut lsp = Lsp::spawn(Enc::Utf16, &abuse_files());
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.wait_exit().code(), Some(1));
}

#[test]
fn closing_stdin_ends_the_process() {
    let mut child =
        dossier().arg("lsp").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::null()).spawn().unwrap();
    let body = br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), &frame(body)).unwrap();
    drop(child.stdin.take());
    let deadline = Instant::now() + TIMEOUT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not end when its input closed");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn requests_before_initialized_are_answered_at_once_and_hold_nothing_up() {
    let mut lsp = Lsp::spawn(Enc::Utf16, &abuse_files());
    let params = lsp.initialize_params(true, &[""]);
    lsp.init = lsp.request("initialize", params);
    // More requests than tower-lsp runs at once (four): if each waited for
    // an index that only `initialized` builds, the ones behind them, and
    // `initialized` itself, would wait as long.
    let params = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "@putin", 0, 2));
    let ids: Vec<i64> = (0..6).map(|_| lsp.send_request("textDocument/hover", params.clone())).collect();
    for id in ids {
        assert_eq!(lsp.response(id), json!({"jsonrpc": "2.0", "id": id, "result": null}), "nothing is indexed yet");
    }
    lsp.notify("initialized", json!({}));
    lsp.wait_until_indexed();
    assert_final_hover(&mut lsp);
}

// ---------------------------------------------------------------- a client that never answers

/// Initializes a rich client that holds the server's requests unanswered,
/// and waits for the first of them (the progress token's creation).
fn initialize_holding_server_requests(lsp: &mut Lsp) {
    lsp.hold_server_requests = true;
    let params = lsp.initialize_params(true, &[""]);
    lsp.init = lsp.request("initialize", params);
    lsp.notify("initialized", json!({}));
    let deadline = Instant::now() + TIMEOUT;
    while lsp.held.is_empty() {
        assert!(lsp.pump(deadline), "no window/workDoneProgress/create");
    }
}

#[test]
fn a_progress_token_request_left_unanswered_does_not_hold_the_indexing_back() {
    // Only one encoding: the wait is the server's timeout (5 s), not positions.
    let mut lsp = Lsp::spawn(Enc::Utf16, &abuse_files());
    initialize_holding_server_requests(&mut lsp);
    let params = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "@putin", 0, 2));
    let hover = lsp.send_request("textDocument/hover", params);
    // Answered from the full index although the create request never was,
    // and with no progress reported for a token that does not exist.
    assert_card(&mut lsp, hover);
    assert_eq!(lsp.held[0]["method"], "window/workDoneProgress/create");
    // After it, at most the file watchers' registration, also unanswered.
    assert!(lsp.held[1..].iter().all(|r| r["method"] == "client/registerCapability"), "{:?}", lsp.held);
    assert!(!lsp.indexed, "no $/progress end for a token the client never created");
}

// ---------------------------------------------------------------- cancellation

#[test]
fn a_cancelled_request_is_still_answered_and_the_server_carries_on() {
    for enc in BOTH {
        let mut lsp = Lsp::spawn(enc, &abuse_files());
        // The server asks for a progress token before indexing and waits for
        // the answer: holding it keeps requests waiting for the index, in flight.
        initialize_holding_server_requests(&mut lsp);
        let params = lsp.doc_pos("notes/deal.md", lsp.at(DEAL, "@putin", 0, 2));
        let cancelled = lsp.send_request("textDocument/hover", params.clone());
        let kept = lsp.send_request("textDocument/hover", params.clone());
        lsp.notify("$/cancelRequest", json!({"id": cancelled}));
        assert_eq!(
            lsp.response(cancelled),
            json!({"jsonrpc": "2.0", "id": cancelled, "error": {"code": -32800, "message": "Canceled"}}),
            "{enc:?}"
        );
        // Cancelling what does not exist, or with a bad id, changes nothing.
        for id in [json!(99_999), json!("no-such-request"), json!(null)] {
            lsp.notify("$/cancelRequest", json!({"id": id}));
        }
        // The other request is answered once the index is there.
        lsp.release_held();
        assert_card(&mut lsp, kept);
        // Cancelling an answered request does nothing either.
        lsp.notify("$/cancelRequest", json!({"id": kept}));
        // Racing a cancel against a request that is answered at once: the
        // reply comes all the same, the result or RequestCancelled.
        for _ in 0..20 {
            let id = lsp.send_request("textDocument/hover", params.clone());
            lsp.notify("$/cancelRequest", json!({"id": id}));
            let response = lsp.response(id);
            if response.get("error").is_some() {
                assert_eq!(response["error"]["code"], -32800, "{response}");
            } else {
                assert_eq!(response["result"]["contents"]["value"], PUTIN_CARD, "{response}");
            }
        }
        lsp.barrier();
        assert!(lsp.responses.is_empty() && lsp.null_id_replies.is_empty(), "{:?}", lsp.responses);
        assert_final_hover(&mut lsp);
    }
}

// ---------------------------------------------------------------- ordering

#[test]
fn each_request_is_answered_against_the_text_it_was_sent_with() {
    // Requests and edits sent back to back without waiting: each hover must
    // see the text as it stood when the hover was sent, not a later edit.
    // The server used to yield before answering, which under load let an
    // edit overtake a request; that depends on timing, so this catches it
    // only sometimes (a 3,000-pair run caught it reliably, too slow to keep).
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &abuse_files());
        lsp.open("notes/end.md", 1, END);
        let mut text = END.to_string();
        let mut expected = Vec::new();
        for version in 2..102 {
            // Many requests per edit: the more requests are ready at once, the
            // sooner a yield among them would let the edit after them through.
            for _ in 0..10 {
                let id =
                    lsp.send_request("textDocument/hover", lsp.doc_pos("notes/end.md", lsp.at(&text, "@putin", 0, 1)));
                expected.push((id, lsp.range_of(&text, "@putin", 0)));
            }
            let start = lsp.pos(&text, find(&text, "met", 0));
            lsp.notify(
                "textDocument/didChange",
                change(&lsp, "notes/end.md", version, json!([{"range": {"start": start, "end": start}, "text": "é"}])),
            );
            text.insert(find(&text, "met", 0), 'é');
        }
        for (id, range) in expected {
            let response = lsp.response(id);
            assert_eq!(response["result"]["range"], range, "{enc:?} request {id}");
        }
        assert_diagnostics_match(&mut lsp, &workspace_with(&[("notes/end.md", &text)]));
    }
}

#[test]
fn diagnostics_from_the_indexing_never_overwrite_newer_ones() {
    for enc in BOTH {
        let mut lsp = Lsp::spawn(enc, &abuse_files());
        // Answer the progress token at once, but hold the registration of
        // the file watchers, which the server asks for after indexing.
        initialize_holding_server_requests(&mut lsp);
        lsp.release_held();
        lsp.hold_server_requests = true;
        lsp.wait_until_indexed();
        // Meanwhile the user opens deal.md and fixes `@nobody`.
        let fixed = DEAL.replace("@nobody", "@xi");
        lsp.open("notes/deal.md", 1, &fixed);
        lsp.publish_for(&lsp.uri("notes/deal.md"), |p| p["version"] == 1);
        // The registration answered, the server carries on: what it found
        // while indexing (deal.md as on disk) must not replace the newer list.
        lsp.release_held();
        lsp.barrier();
        assert_diagnostics_match(&mut lsp, &workspace_with(&[("notes/deal.md", &fixed)]));
    }
}

#[test]
fn diagnostics_arrive_in_the_order_of_the_changes_that_made_them() {
    // Each change to an actor's definition re-checks every note, one
    // publish each; an edit to deal.md right behind it publishes deal.md's
    // list again. Those lists must reach the client in the order they were
    // made: deal.md's versions only go up, and the last list is the right one.
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &abuse_files());
        lsp.open("actors.md", 1, ACTORS);
        lsp.open("notes/deal.md", 1, DEAL);
        let (mut actors, mut deal) = (ACTORS.to_string(), DEAL.to_string());
        for version in 2..62 {
            actors = if version % 2 == 0 { ACTORS.replace("@xi:", "@xj:") } else { ACTORS.to_string() };
            deal = DEAL.replace("@nobody", &format!("@nobody{version}"));
            lsp.notify("textDocument/didChange", change(&lsp, "actors.md", version, json!([{"text": actors}])));
            lsp.notify("textDocument/didChange", change(&lsp, "notes/deal.md", version, json!([{"text": deal}])));
        }
        lsp.barrier();
        assert_diagnostics_match(&mut lsp, &workspace_with(&[("actors.md", &actors), ("notes/deal.md", &deal)]));
        let uri = lsp.uri("notes/deal.md");
        let versions: Vec<i64> =
            lsp.history.iter().filter(|(u, _)| *u == uri).filter_map(|(_, v)| v.as_i64()).collect();
        assert!(
            versions.windows(2).all(|w| w[0] <= w[1]),
            "{enc:?}: deal.md's lists arrived out of order: {versions:?}"
        );
        assert_eq!(versions.last(), Some(&61));
    }
}

// ---------------------------------------------------------------- 1,000 random messages

/// xorshift64*: a tiny seeded generator, so that a failing run replays
/// exactly (the seed is in every assertion message).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A note with a non-ASCII name, CRLF and lone CR line breaks, and a claim
/// over two lines.
const UNI: &str = "# Ünï\r\n\r\n’ — Кремль 中俄 😀 {Claim by @xi\r\nover two lines | ^tass-2014 #uni}\rend\n";

/// The documents the random client works on: the workspace's notes, one
/// that exists only while open, and one it never opens.
const DOCS: &[&str] =
    &["actors.md", "sources.md", "notes/deal.md", "notes/other.md", "notes/end.md", "notes/ünï 中.md", "notes/new.md"];
const NEVER_OPENED: &str = "nowhere/ghost.md";

/// What random edits insert: markup of every kind, line breaks of every
/// kind, wide characters, and text that is no markup at all.
const SNIPPETS: &[&str] = &[
    "@putin",
    "@xi",
    "@gazprom",
    "@nobody",
    " ",
    "\n",
    "\r\n",
    "\r",
    "{",
    "}",
    "|",
    "\\",
    "^tass-2014",
    "^reuters-2014-05-21(p. 3)",
    "#deal",
    " supports:#deal",
    " conf:high",
    " kind:quote",
    " est:likely",
    " by:@xi",
    WIDE,
    "{claim about @xi | ^tass-2014}",
    "{Unsourced @putin}",
    "[Putin](@putin)",
    "`@code`",
    "<!-- @hidden -->",
    "```\n@fenced\n```\n",
    "\n# Heading\n",
    "\n@newactor: New Actor\n  kind: person\n",
    "Vladimir Putin",
    "\\@escaped",
    "a@b.com",
    "\u{feff}",
    "\t",
    "e\u{301}",
    "👩‍👩‍👧",
    "𝔘𝔫𝔦",
    "\u{0}",
    "Ω",
    "{{ var }}",
    "{#anchor}",
    "---\n",
    "  indented: field\n",
];

/// The text on the client's side: the disk, and the open documents.
#[derive(Clone)]
struct Model {
    disk: BTreeMap<String, Rc<str>>,
    open: BTreeMap<String, (Rc<str>, i32)>,
}

impl Model {
    /// The text the server should hold for `path`, if it holds any.
    fn text(&self, path: &str) -> Option<&str> {
        self.open.get(path).map(|(t, _)| &**t).or_else(|| self.disk.get(path).map(|t| &**t))
    }

    fn workspace(&self) -> BTreeMap<String, String> {
        let mut files: BTreeMap<String, String> = self.disk.iter().map(|(p, t)| (p.clone(), t.to_string())).collect();
        for (path, (text, _)) in &self.open {
            files.insert(path.clone(), text.to_string());
        }
        files
    }
}

/// Line start offsets, lines ending at `\n`, `\r\n` or `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => starts.push(i + 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 1;
            }
            b'\r' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// A line's content, without its line break.
fn line_content(text: &str, starts: &[usize], line: usize) -> (usize, usize) {
    let start = starts[line];
    let end = start + text[start..].find(['\n', '\r']).unwrap_or(text.len() - start);
    (start, end)
}

fn width(c: char, enc: Enc) -> u32 {
    match enc {
        Enc::Utf8 => c.len_utf8() as u32,
        Enc::Utf16 => c.len_utf16() as u32,
    }
}

/// Where the server takes an edit position (the rules pinned above): a
/// column past the line's end is the line's end, a column inside a
/// character that character's start; one past the last line at column 0 is
/// the end of the text; any other line past the last is no position.
fn edit_offset(text: &str, line: u32, character: u32, enc: Enc) -> Option<usize> {
    let starts = line_starts(text);
    let line = line as usize;
    if line >= starts.len() {
        return (line == starts.len() && character == 0).then_some(text.len());
    }
    let (start, end) = line_content(text, &starts, line);
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units + width(c, enc) > character {
            return Some(start + i);
        }
        units += width(c, enc);
    }
    Some(end)
}

/// `text` with one `didChange` content change applied as the server does;
/// unchanged when the change is skipped.
fn apply_change(text: &str, change: &Value, enc: Enc) -> String {
    let new_text = change["text"].as_str().unwrap();
    let Some(range) = change.get("range") else { return new_text.to_string() };
    let at =
        |p: &Value| edit_offset(text, p["line"].as_u64().unwrap() as u32, p["character"].as_u64().unwrap() as u32, enc);
    let (Some(a), Some(b)) = (at(&range["start"]), at(&range["end"])) else { return text.to_string() };
    let (a, b) = (a.min(b), a.max(b));
    format!("{}{}{}", &text[..a], new_text, &text[b..])
}

/// A random byte offset in `text` on a character boundary, and not between
/// the `\r` and `\n` of a CRLF (no LSP position names that place).
fn random_offset(rng: &mut Rng, text: &str) -> usize {
    loop {
        let mut offset = rng.below(text.len() + 1);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if !(text[..offset].ends_with('\r') && text[offset..].starts_with('\n')) {
            return offset;
        }
    }
}

fn json_pos((line, character): (u32, u32)) -> Value {
    json!({"line": line, "character": character})
}

/// Text for an edit: one to three snippets, sometimes nothing, rarely a
/// large block.
fn random_text(rng: &mut Rng) -> String {
    if rng.chance(20) {
        return String::new();
    }
    if rng.below(1000) < 8 {
        return format!("{WIDE} @xi {{big claim | ^tass-2014}}\n").repeat(200 + rng.below(200));
    }
    (0..1 + rng.below(3)).map(|_| *rng.pick(SNIPPETS)).collect()
}

/// A position for an edit in `text`: mostly a character boundary, sometimes
/// a column past a line's end, a line past the last, or both at u32::MAX.
fn random_edit_position(rng: &mut Rng, text: &str, enc: Enc) -> Value {
    let starts = line_starts(text);
    match rng.below(100) {
        // A column past the end of a line.
        0..=7 => {
            let line = rng.below(starts.len());
            let (start, end) = line_content(text, &starts, line);
            let units: u32 = text[start..end].chars().map(|c| width(c, enc)).sum();
            let character = if rng.chance(50) { u32::MAX } else { units + 1 + rng.below(50) as u32 };
            json!({"line": line, "character": character})
        }
        // Past the last line (skipped), or just past it at column 0 (the end).
        8..=10 => json!({"line": starts.len() + rng.below(3), "character": 0}),
        11 => json!({"line": u32::MAX, "character": u32::MAX}),
        _ => json_pos(position_of(text, random_offset(rng, text), enc)),
    }
}

/// One `didChange` content change for `text`: mostly a short span replaced
/// by a snippet (or deleted), sometimes the whole text replaced.
fn random_change(rng: &mut Rng, text: &str, enc: Enc) -> Value {
    if text.len() > 100_000 {
        // Keep documents small enough for the run to stay quick.
        let cut = random_offset(rng, &text[..text.len() / 2]);
        let range = json!({"start": json_pos(position_of(text, cut, enc)), "end": json_pos(position_of(text, text.len(), enc))});
        return json!({"range": range, "text": ""});
    }
    if rng.chance(4) {
        return json!({"text": if rng.chance(50) { random_text(rng) } else { DEAL.to_string() }});
    }
    let start = random_edit_position(rng, text, enc);
    let end = if rng.chance(70) {
        // A short span after the start, as typing and deleting make.
        match edit_offset(
            text,
            start["line"].as_u64().unwrap() as u32,
            start["character"].as_u64().unwrap() as u32,
            enc,
        ) {
            Some(a) if start["line"].as_u64().unwrap() < line_starts(text).len() as u64 => {
                let mut b = (a + rng.below(40)).min(text.len());
                while !text.is_char_boundary(b) || (text[..b].ends_with('\r') && text[b..].starts_with('\n')) {
                    b += 1;
                }
                json_pos(position_of(text, b, enc))
            }
            _ => start.clone(),
        }
    } else {
        random_edit_position(rng, text, enc)
    };
    // Sometimes end-first.
    let (start, end) = if rng.chance(5) { (end, start) } else { (start, end) };
    json!({"range": {"start": start, "end": end}, "text": random_text(rng)})
}

/// Where a request's cursor was, as far as the checks of its reply care.
#[derive(Clone, Debug)]
enum Cursor {
    /// Not a request at a position.
    Nowhere,
    /// Past the last line: every request answers null.
    PastEnd,
    /// In the text, but not on a character boundary of it: a column past a
    /// line's end, or inside a wide character.
    Clamped,
    /// Exactly at this position.
    At(Value),
}

/// A position for a request, and what it is.
fn random_request_position(rng: &mut Rng, text: &str, enc: Enc) -> (Value, Cursor) {
    let exactly = |position| (json_pos(position), Cursor::At(json_pos(position)));
    let starts = line_starts(text);
    match rng.below(100) {
        0..=9 => (json!({"line": starts.len() + rng.below(5), "character": rng.below(5)}), Cursor::PastEnd),
        10..=11 => (json!({"line": u32::MAX, "character": u32::MAX}), Cursor::PastEnd),
        12..=21 => {
            let line = rng.below(starts.len());
            let (start, end) = line_content(text, &starts, line);
            let units: u32 = text[start..end].chars().map(|c| width(c, enc)).sum();
            (json!({"line": line, "character": units + 1 + rng.below(9) as u32}), Cursor::Clamped)
        }
        22..=31 => {
            // Inside a wide character, when there is one.
            let wide: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| width(*c, enc) > 1).collect();
            match wide.get(rng.below(wide.len().max(1))) {
                Some(&(offset, _)) => {
                    let (line, character) = position_of(text, offset, enc);
                    (json!({"line": line, "character": character + 1}), Cursor::Clamped)
                }
                None => exactly(position_of(text, random_offset(rng, text), enc)),
            }
        }
        32..=69 => {
            // On or next to markup, where the answers are not null.
            let marks: Vec<usize> = text.match_indices(['@', '^', '#', '{', ':']).map(|(i, _)| i).collect();
            let offset = match marks.get(rng.below(marks.len().max(1))) {
                Some(&mark) => {
                    let mut offset = (mark + rng.below(6)).min(text.len());
                    while !text.is_char_boundary(offset)
                        || (text[..offset].ends_with('\r') && text[offset..].starts_with('\n'))
                    {
                        offset -= 1;
                    }
                    offset
                }
                None => random_offset(rng, text),
            };
            exactly(position_of(text, offset, enc))
        }
        _ => exactly(position_of(text, random_offset(rng, text), enc)),
    }
}

const ID_SIGILS: [char; 3] = ['@', '^', '#'];

fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.split(['-', '_', '.']).all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// What a request was, to check its reply against the client's text as it
/// stood when it was sent.
struct Sent {
    method: &'static str,
    path: String,
    cursor: Cursor,
    new_name: Option<String>,
    snapshot: Model,
    /// The error codes this reply may carry (beyond RequestCancelled when cancelled).
    allowed: &'static [i64],
}

struct Checker<'a> {
    lsp: &'a Lsp,
    paths: HashMap<String, String>,
    seed: u64,
}

impl Checker<'_> {
    fn fail(&self, sent: &Sent, response: &Value, why: &str) -> ! {
        let stderr = self.lsp.stderr.lock().unwrap().clone();
        let text = sent.snapshot.text(&sent.path);
        panic!(
            "seed {:#x}, {:?}: {} on {} at {:?}: {why}\nreply: {response}\ntext: {text:?}\nserver stderr: {stderr}",
            self.seed, self.lsp.enc, sent.method, sent.path, sent.cursor
        )
    }

    /// The text at an LSP range of the document at `uri`, which must be
    /// exact (character boundaries within lines) in the client's text.
    fn text_at(&self, sent: &Sent, response: &Value, uri: &Value, range: &Value) -> String {
        let Some(path) = uri.as_str().and_then(|u| self.paths.get(u)) else {
            self.fail(sent, response, &format!("unknown uri {uri}"))
        };
        let Some(text) = sent.snapshot.text(path) else {
            self.fail(sent, response, &format!("{path} is not in the workspace"))
        };
        let at = |p: &Value| {
            let (line, character) = (p["line"].as_u64()? as u32, p["character"].as_u64()? as u32);
            offset_at(text, line, character, self.lsp.enc)
        };
        match (at(&range["start"]), at(&range["end"])) {
            (Some(a), Some(b)) if a <= b => text[a..b].to_string(),
            _ => self.fail(sent, response, &format!("{range} is not a range of {path}'s text {text:?}")),
        }
    }

    fn contains(range: &Value, position: &Value) -> bool {
        let key = |p: &Value| (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
        key(&range["start"]) <= key(position) && key(position) <= key(&range["end"])
    }

    fn check(&self, sent: &Sent, response: &Value, cancelled: bool) {
        if let Some(error) = response.get("error") {
            let code = error["code"].as_i64().unwrap_or_default();
            if !(sent.allowed.contains(&code) || cancelled && code == -32800) {
                self.fail(sent, response, "unexpected error");
            }
            return;
        }
        let result = &response["result"];
        if matches!(sent.cursor, Cursor::PastEnd) && !result.is_null() {
            self.fail(sent, response, "a position past the end must answer null");
        }
        if sent.snapshot.text(&sent.path).is_none() && sent.method.starts_with("textDocument/") && !result.is_null() {
            self.fail(sent, response, "a document the server does not hold must answer null");
        }
        let uri = json!(self.lsp.uri(&sent.path));
        let cursor = match &sent.cursor {
            Cursor::At(position) => Some(position),
            _ => None,
        };
        match sent.method {
            "textDocument/hover" if !result.is_null() => {
                if result["contents"]["kind"] != "markdown"
                    || result["contents"]["value"].as_str().is_none_or(str::is_empty)
                {
                    self.fail(sent, response, "not a markdown card");
                }
                self.text_at(sent, response, &uri, &result["range"]);
                if cursor.is_some_and(|at| !Self::contains(&result["range"], at)) {
                    self.fail(sent, response, "the hover range does not hold the cursor");
                }
            }
            "textDocument/definition" | "textDocument/references" | "textDocument/documentHighlight" => {
                let items = result.as_array().cloned().unwrap_or_default();
                let tokens: Vec<String> = items
                    .iter()
                    .map(|l| {
                        let uri = if sent.method == "textDocument/documentHighlight" { &uri } else { &l["uri"] };
                        self.text_at(sent, response, uri, &l["range"])
                    })
                    .collect();
                for token in &tokens {
                    if !token.starts_with(ID_SIGILS) || !is_id(&token[1..]) || *token != tokens[0] {
                        self.fail(sent, response, &format!("not all the same id token: {tokens:?}"));
                    }
                }
            }
            "textDocument/prepareRename" if !result.is_null() => {
                let id = self.text_at(sent, response, &uri, result);
                if !is_id(&id) {
                    self.fail(sent, response, "not an id");
                }
            }
            "textDocument/rename" if !result.is_null() => {
                let new_name = sent.new_name.as_deref().unwrap().trim_start_matches(ID_SIGILS);
                let mut old: Option<String> = None;
                for change in result["documentChanges"].as_array().unwrap() {
                    let doc = &change["textDocument"];
                    let path = &self.paths[doc["uri"].as_str().unwrap()];
                    let want = sent.snapshot.open.get(path).map_or(Value::Null, |(_, v)| json!(v));
                    if doc.get("version") != Some(&want) {
                        self.fail(sent, response, &format!("{path}: version {:?}, want {want}", doc.get("version")));
                    }
                    for edit in change["edits"].as_array().unwrap() {
                        let replaced = self.text_at(sent, response, &doc["uri"], &edit["range"]);
                        if edit["newText"] != new_name
                            || old.get_or_insert(replaced.clone()) != &replaced
                            || !is_id(&replaced)
                        {
                            self.fail(sent, response, &format!("edit {edit} replaces {replaced:?}"));
                        }
                    }
                    // Applies cleanly (no overlap) to the client's text.
                    apply_text_edits(
                        sent.snapshot.text(path).unwrap(),
                        change["edits"].as_array().unwrap(),
                        self.lsp.enc,
                    );
                }
            }
            "textDocument/completion" if !result.is_null() => {
                for item in result.as_array().unwrap() {
                    let range = &item["textEdit"]["range"];
                    let typed = self.text_at(sent, response, &uri, range);
                    let single_line = range["start"]["line"] == range["end"]["line"];
                    let at_cursor = cursor.is_none_or(|at| range["end"] == *at);
                    if !single_line
                        || !at_cursor
                        || item.get("additionalTextEdits").is_some()
                        || typed.contains(['\n', '\r', ' '])
                    {
                        self.fail(sent, response, &format!("completion edit {item}"));
                    }
                }
            }
            "textDocument/documentSymbol" if !result.is_null() => {
                let mut stack: Vec<Value> = result.as_array().unwrap().clone();
                while let Some(symbol) = stack.pop() {
                    self.text_at(sent, response, &uri, &symbol["range"]);
                    self.text_at(sent, response, &uri, &symbol["selectionRange"]);
                    stack.extend(symbol["children"].as_array().cloned().unwrap_or_default());
                }
            }
            "workspace/symbol" => {
                for symbol in result.as_array().unwrap() {
                    self.text_at(sent, response, &symbol["location"]["uri"], &symbol["location"]["range"]);
                }
            }
            _ => {}
        }
    }
}

fn fuzz(enc: Enc, seed: u64, messages: usize) {
    let mut files = abuse_files();
    files.push(("notes/ünï 中.md", UNI));
    let mut lsp = Lsp::start(enc, &files);
    let mut rng = Rng(seed);
    let mut model =
        Model { disk: files.iter().map(|(p, t)| (p.to_string(), Rc::from(*t))).collect(), open: BTreeMap::new() };
    let paths: HashMap<String, String> =
        DOCS.iter().chain([&NEVER_OPENED]).map(|p| (lsp.uri(p), p.to_string())).collect();
    let mut pending: Vec<(i64, Sent)> = Vec::new();
    let mut cancelled: Vec<i64> = Vec::new();
    let mut recent: Vec<i64> = Vec::new();
    let mut sent_count = 0;
    while sent_count < messages {
        // A burst of messages sent back to back, then every reply checked.
        for _ in 0..1 + rng.below(12) {
            sent_count += 1;
            let path = if rng.chance(3) { NEVER_OPENED.to_string() } else { rng.pick(DOCS).to_string() };
            let uri = lsp.uri(&path);
            let roll = rng.below(1000);
            match roll {
                // didChange, on an open document when there is one.
                0..=319 => {
                    let Some(path) = model.open.keys().nth(rng.below(model.open.len())).cloned() else { continue };
                    let (mut text, version) = model.open[&path].clone();
                    let version = if rng.chance(10) { version - 1 - rng.below(5) as i32 } else { version + 1 };
                    let changes: Vec<Value> = (0..1 + rng.below(3))
                        .map(|_| {
                            let change = random_change(&mut rng, &text, enc);
                            text = Rc::from(apply_change(&text, &change, enc));
                            change
                        })
                        .collect();
                    let params =
                        json!({"textDocument": {"uri": lsp.uri(&path), "version": version}, "contentChanges": changes});
                    lsp.notify("textDocument/didChange", params);
                    model.open.insert(path, (text, version));
                }
                320..=389 if path != NEVER_OPENED => {
                    let text: String = match rng.below(3) {
                        0 => model.text(&path).unwrap_or_default().to_string(),
                        1 => random_text(&mut rng),
                        _ => DEAL.to_string(),
                    };
                    let version = rng.below(100) as i32;
                    lsp.notify(
                        "textDocument/didOpen",
                        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
                    );
                    model.open.insert(path, (Rc::from(text), version));
                }
                390..=439 => {
                    lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
                    model.open.remove(&path);
                }
                440..=459 => {
                    lsp.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}, "text": "ignored"}))
                }
                460..=479 => {
                    // Truthful watcher events: the disk never changes in this run.
                    let typ = if model.disk.contains_key(&path) { 1 + rng.below(2) } else { 3 };
                    lsp.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri, "type": typ}]}));
                }
                480..=499 => {
                    if let Some(&id) = recent.get(rng.below(recent.len().max(1))) {
                        lsp.notify("$/cancelRequest", json!({"id": id}));
                        cancelled.push(id);
                    }
                }
                500..=501 => {
                    // A second `initialized`: the workspace is indexed again,
                    // open documents keeping their text.
                    lsp.notify("initialized", json!({}));
                }
                502..=509 => {
                    let method = *rng.pick(&["dossier/unknown", "$/unknown", "$/setTrace"]);
                    lsp.notify(method, json!({"value": "off"}))
                }
                510..=519 => {
                    // A notification with params of the wrong shape: ignored.
                    lsp.notify(
                        "textDocument/didChange",
                        json!({"textDocument": {"uri": uri, "version": 1}, "contentChanges": 5}),
                    );
                }
                _ => {
                    let text = model.text(&path).unwrap_or("").to_string();
                    let (position, mut cursor) = random_request_position(&mut rng, &text, enc);
                    if !(542..960).contains(&roll) {
                        cursor = Cursor::Nowhere;
                    }
                    let mut new_name = None;
                    let (method, params, allowed): (&'static str, Value, &'static [i64]) = match roll {
                        // An unknown method, malformed params, a second `initialize`.
                        520..=529 => ("dossier/unknown", json!({}), &[-32601]),
                        530..=539 => {
                            ("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": "x"}), &[-32602])
                        }
                        540..=541 => ("initialize", lsp.initialize_params(true, &[""]), &[-32600]),
                        // Every request the server handles.
                        542..=619 => ("textDocument/hover", lsp.doc_pos(&path, position.clone()), &[]),
                        620..=679 => ("textDocument/definition", lsp.doc_pos(&path, position.clone()), &[]),
                        680..=739 => {
                            let mut params = lsp.doc_pos(&path, position.clone());
                            params["context"] = json!({"includeDeclaration": rng.chance(50)});
                            ("textDocument/references", params, &[])
                        }
                        740..=799 => ("textDocument/documentHighlight", lsp.doc_pos(&path, position.clone()), &[]),
                        800..=839 => ("textDocument/prepareRename", lsp.doc_pos(&path, position.clone()), &[-32602]),
                        840..=889 => {
                            let name =
                                rng.pick(&["renamed", "@renamed-2", "^r.3", "#r_4", "bad name", "", "xi", "1x", "Ω"]);
                            new_name = Some(name.to_string());
                            let mut params = lsp.doc_pos(&path, position.clone());
                            params["newName"] = json!(name);
                            ("textDocument/rename", params, &[-32602])
                        }
                        890..=959 => ("textDocument/completion", lsp.doc_pos(&path, position.clone()), &[]),
                        960..=979 => ("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}), &[]),
                        _ => {
                            let query = rng.pick(&["", "pu", "deal", "Ω", "中", "x y", "@"]);
                            ("workspace/symbol", json!({"query": query}), &[])
                        }
                    };
                    let id = lsp.send_request(method, params);
                    recent.push(id);
                    if recent.len() > 20 {
                        recent.remove(0);
                    }
                    pending.push((id, Sent { method, path, cursor, new_name, snapshot: model.clone(), allowed }));
                }
            }
        }
        for (id, sent) in std::mem::take(&mut pending) {
            let response = lsp.response(id);
            let checker = Checker { lsp: &lsp, paths: paths.clone(), seed };
            checker.check(&sent, &response, cancelled.contains(&id));
        }
    }
    // The server's text is the client's: every diagnostic is what `dossier
    // check` finds in the client's text; then, every document closed, the
    // disk's again, and the final hover exact.
    lsp.barrier();
    assert_diagnostics_match(&mut lsp, &model.workspace());
    for path in model.open.keys() {
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": lsp.uri(path)}}));
    }
    lsp.barrier();
    model.open.clear();
    assert_diagnostics_match(&mut lsp, &model.workspace());
    assert_final_hover(&mut lsp);
}

#[test]
fn a_thousand_random_messages_leave_the_server_answering_and_in_sync() {
    let seed =
        std::env::var("DOSSIER_FUZZ_SEED").ok().and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok());
    for (enc, default_seed) in [(Enc::Utf8, 0x5eed_0001_d055_1e58), (Enc::Utf16, 0x5eed_0002_d055_1e58)] {
        fuzz(enc, seed.unwrap_or(default_seed), 1000);
    }
}

#[test]
fn initialized_sent_right_behind_initialize_is_honoured() {
    // Sent before the client has read the `initialize` answer, as a client
    // that pipelines does: tower-lsp, still answering `initialize`, dropped
    // it, and the workspace was never indexed.
    for enc in BOTH {
        let mut lsp = Lsp::spawn(enc, &abuse_files());
        let params = lsp.initialize_params(true, &[""]);
        let id = lsp.send_request("initialize", params);
        lsp.notify("initialized", json!({}));
        lsp.init = lsp.response(id)["result"].clone();
        lsp.wait_until_indexed();
        assert_final_hover(&mut lsp);
        assert_diagnostics_match(&mut lsp, &workspace_with(&[]));
    }
}

#[test]
fn unknown_methods_before_initialize_and_after_shutdown_get_the_lifecycle_errors() {
    let mut lsp = Lsp::spawn(Enc::Utf16, &abuse_files());
    for method in ["dossier/unknown", "$/unknown"] {
        assert_eq!(error_of(&lsp.call(method, json!({}))), (-32002, "Server not initialized".to_string()), "{method}");
    }
    let params = lsp.initialize_params(true, &[""]);
    lsp.init = lsp.request("initialize", params);
    lsp.notify("initialized", json!({}));
    lsp.wait_until_indexed();
    assert_eq!(error_of(&lsp.call("dossier/unknown", json!({}))).0, -32601);
    lsp.request("shutdown", Value::Null);
    for method in ["dossier/unknown", "$/unknown"] {
        assert_eq!(error_of(&lsp.call(method, json!({}))), (-32600, "Invalid request".to_string()), "{method}");
    }
    lsp.notify("exit", json!(null));
    assert_eq!(lsp.wait_exit().code(), Some(0));
}

#[test]
fn a_note_with_more_findings_than_the_ceiling_publishes_the_first_ones_and_a_count() {
    // 10,003 unsourced claims on one line, after non-ASCII text: the first
    // 10,000 in text order, then one note where the rest begin.
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, &[("dossier.toml", "")]);
        let claims = 10_003;
        let text = format!("’ — Кремль 中俄 😀 {}\n", "{a} ".repeat(claims));
        lsp.open("flood.md", 1, &text);
        let uri = lsp.uri("flood.md");
        let published = lsp.diagnostics_for(&uri, |d| !d.is_empty());
        assert_eq!(published.len(), 10_001, "{enc:?}");
        let first = text.find('{').unwrap();
        assert_eq!(published[0]["range"], lsp.range(&text, first, first + 3), "{enc:?}");
        assert_eq!(published[0]["code"], "unsourced-claim");
        let last_shown = first + 4 * 9_999;
        assert_eq!(published[9_999]["range"], lsp.range(&text, last_shown, last_shown + 3), "{enc:?}");
        let note = &published[10_000];
        let hidden_at = first + 4 * 10_000;
        assert_eq!(note["range"], lsp.range(&text, hidden_at, hidden_at), "{enc:?}");
        assert_eq!(note["severity"], 3);
        assert_eq!(note["code"], Value::Null);
        assert!(note["message"].as_str().unwrap().starts_with("3 more findings from here on are not shown"), "{note}");
    }
}
