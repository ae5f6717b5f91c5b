//! `dossier stats` and `dossier export` (SPEC §8) on the built binary:
//! exact numbers on a fixture workspace (the Brier scores computed by hand
//! here), every output format read back by its own parser (CSV by the `csv`
//! crate, DOT by Graphviz, JSON against its documented shape), hostile
//! text in every format, and the exit codes.

use std::path::Path;

use serde_json::Value;

use crate::support::{Run, run_with_env, workspace};

const TODAY: (&str, &str) = ("DOSSIER_TODAY", "2024-06-15");

/// Two authors with forecasts resolved both ways, an unattributed one, an
/// overdue one, weak and ungraded sources; non-ASCII before the markup.
const FILES: &[(&str, &str)] = &[
    ("dossier.toml", ""),
    (
        "actors.md",
        "@x: Speaker X\n  kind: person\n@alice: Alice Ånström\n  kind: person\n@bob: Bob 中\n  kind: person\n",
    ),
    ("sources.md", "^good: Good wire\n  reliability: B2\n^weak: Rumour mill\n  reliability: E5\n^ungraded: A blog\n"),
    (
        "notes/a.md",
        "’ — Кремль 中俄 🛢 {Fact one | ^good}\n\
         {Fact two unsourced}\n\
         {Quote | kind:quote by:@x ^weak}\n\
         {Weak fact | ^weak}\n\
         {Assessment | kind:assessment}\n\
         {F1 | kind:forecast est:likely due:2020 outcome:true by:@alice}\n\
         {F2 | kind:forecast est:very-unlikely due:2021-03 outcome:false by:@alice}\n\
         {F3 | kind:forecast est:almost-certain due:2022 outcome:false by:@bob}\n\
         {F4 | kind:forecast due:2023 outcome:true by:@bob}\n\
         {F5 | kind:forecast est:even-chance due:2020}\n\
         {F6 | kind:forecast est:unlikely due:2999}\n\
         {F7 | kind:forecast est:unlikely outcome:true}\n",
    ),
    (
        "notes/b 中俄.md",
        "’ — 🛢 {B fact | ^good ^ungraded ^unknown}\n{G | kind:forecast est:even-chance outcome:false by:@alice due:2019}\n",
    ),
];

fn dossier(dir: &Path, args: &[&str]) -> Run {
    run_with_env(dir, args, &[TODAY])
}

/// A workspace (a `dossier.toml` at its root) holding `notes`, each (path, text).
fn workspace_of(notes: &[(String, String)]) -> tempfile::TempDir {
    let mut files: Vec<(&str, &str)> = vec![("dossier.toml", "")];
    files.extend(notes.iter().map(|(path, text)| (path.as_str(), text.as_str())));
    workspace(&files)
}

fn stats_json(dir: &Path) -> Value {
    let out = dossier(dir, &["stats", "--format", "json", "."]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(out.stderr, "", "no progress line when stderr is not a terminal");
    serde_json::from_str(&out.stdout).expect("stats --format json is JSON")
}

fn close(value: &Value, expected: f64) {
    let got = value.as_f64().unwrap_or_else(|| panic!("a number: {value}"));
    assert!((got - expected).abs() < 1e-12, "{got} != {expected}");
}

#[test]
fn stats_counts_each_note_and_the_total_exactly() {
    let ws = workspace(FILES);
    let stats = stats_json(ws.path());
    assert_eq!(stats["today"], "2024-06-15");
    let notes = stats["notes"].as_array().unwrap();
    let paths: Vec<&str> = notes.iter().map(|n| n["path"].as_str().unwrap()).collect();
    // Notes without claims (the definitions) are left out.
    assert_eq!(paths, ["notes/a.md", "notes/b 中俄.md"]);
    let a = &notes[0];
    assert_eq!(a["claims"], serde_json::json!({"fact": 3, "assessment": 1, "quote": 1, "forecast": 7, "total": 12}));
    assert_eq!(a["sourced"]["sourced"], 3);
    assert_eq!(a["sourced"]["facts_and_quotes"], 4);
    close(&a["sourced"]["share"], 0.75);
    assert_eq!(a["citations"], serde_json::json!({"A": 0, "B": 1, "C": 0, "D": 0, "E": 2, "F": 0, "ungraded": 0}));
    assert_eq!(a["weak_sourced"], 1);
    assert_eq!(a["assessments_without_confidence"], 1);
    assert_eq!(a["forecasts_without_estimate"], 1);
    assert_eq!(a["forecasts"], serde_json::json!({"with_due": 6, "resolved": 5, "overdue": 1}));
    // F1 likely→true, F2 very-unlikely→false, F3 almost-certain→false,
    // F7 unlikely→true; F4 has no estimate and is not scored.
    let (f1, f2, f3, f7) = ((0.675f64 - 1.0).powi(2), 0.125f64.powi(2), 0.97f64.powi(2), (0.325f64 - 1.0).powi(2));
    assert_eq!(a["brier"]["forecasts"], 4);
    close(&a["brier"]["score"], (f1 + f2 + f3 + f7) / 4.0);

    let b = &notes[1];
    assert_eq!(b["citations"]["B"], 1);
    assert_eq!(b["citations"]["ungraded"], 2, "a source without a grade, and one not defined");
    let g = 0.5f64.powi(2);
    close(&b["brier"]["score"], g);

    let total = &stats["total"];
    assert_eq!(total["claims"]["total"], 14);
    assert_eq!(total["sourced"]["sourced"], 4);
    assert_eq!(total["sourced"]["facts_and_quotes"], 5);
    assert_eq!(total["forecasts"], serde_json::json!({"with_due": 7, "resolved": 6, "overdue": 1}));
    assert_eq!(total["brier"]["forecasts"], 5);
    close(&total["brier"]["score"], (f1 + f2 + f3 + f7 + g) / 5.0);

    let authors = stats["brier_by_author"].as_array().unwrap();
    let who: Vec<(&Value, &Value, &Value)> =
        authors.iter().map(|a| (&a["author"], &a["name"], &a["forecasts"])).collect();
    assert_eq!(
        who,
        [
            (&"alice".into(), &"Alice Ånström".into(), &3.into()),
            (&"bob".into(), &"Bob 中".into(), &1.into()),
            (&Value::Null, &Value::Null, &1.into()),
        ]
    );
    close(&authors[0]["score"], (f1 + f2 + g) / 3.0);
    close(&authors[1]["score"], f3);
    close(&authors[2]["score"], f7);
}

#[test]
fn stats_table_and_markdown() {
    let ws = workspace(FILES);
    let table = dossier(ws.path(), &["stats", "."]);
    assert_eq!((table.code, table.stderr.as_str()), (0, ""));
    insta::assert_snapshot!("stats_table", table.stdout);
    let markdown = dossier(ws.path(), &["stats", "--format", "markdown", "."]);
    assert_eq!(markdown.code, 0);
    insta::assert_snapshot!("stats_markdown", markdown.stdout);
    // The JSON, whole: its keys in alphabetical order, as docs/cli.md has them.
    let json = dossier(ws.path(), &["stats", "--format", "json", "."]);
    assert_eq!(json.code, 0);
    insta::assert_snapshot!("stats_json", json.stdout);
}

/// Text that breaks each format if written raw: quotes, a comma, `-->`,
/// brackets, pipes, `#`, `<`, escapes, a line break inside the claim.
const HOSTILE: &[(&str, &str)] = &[
    ("actors.md", "@q: Q \"the\" <b>quoter</b>\n  kind: person\n"),
    ("sources.md", "^s: Title with \"quotes\" ]] --> {\n  reliability: A1\n"),
    (
        "hostile.md",
        "’ — Кремль 中俄 🛢 {He said \"no\", then --> [went](@q) ] \\| away \\{x\\} #tag <script>\n  on the next line; @q, `code` | #h1 ^s(p. \"3\", ¶ 2) by:@q kind:quote}\n\
         {Second, supports it | ^s supports:#h1 contradicts:#gone}\n",
    ),
];

const HOSTILE_TEXT: &str =
    "He said \"no\", then --> went ] | away {x} #tag <script> on the next line; Q \"the\" <b>quoter</b>, `code`";

#[test]
fn export_csv_reads_back_one_row_per_claim() {
    let ws = workspace(HOSTILE);
    let out = dossier(ws.path(), &["export", "--format", "csv", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "id",
            "note",
            "line",
            "kind",
            "conf",
            "est",
            "by",
            "due",
            "outcome",
            "text",
            "sources",
            "actors",
            "supports",
            "contradicts"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a valid CSV record")).collect();
    assert_eq!(rows.len(), 2);
    let row: Vec<&str> = rows[0].iter().collect();
    assert_eq!(
        row,
        ["#h1", "hostile.md", "1", "quote", "", "", "q", "", "", HOSTILE_TEXT, "s(p. \"3\", ¶ 2) A1", "q", "", ""]
    );
    let second: Vec<&str> = rows[1].iter().collect();
    assert_eq!(&second[..3], ["hostile.md:3", "hostile.md", "3"]);
    assert_eq!(&second[12..], ["h1", "gone"]);
}

#[test]
fn export_json_has_the_documented_shape() {
    let ws = workspace(HOSTILE);
    let out = dossier(ws.path(), &["export", "--format", "json", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&json), ["claims", "edges", "nodes"]);
    let claim = &json["claims"][0];
    assert_eq!(
        keys(claim),
        [
            "actors",
            "by",
            "conf",
            "contradicts",
            "due",
            "est",
            "id",
            "kind",
            "line",
            "note",
            "outcome",
            "sources",
            "supports",
            "text"
        ]
    );
    assert_eq!(claim["text"], HOSTILE_TEXT);
    assert_eq!(claim["sources"], serde_json::json!([{"key": "s", "locator": "p. \"3\", ¶ 2", "grade": "A1"}]));
    let nodes: Vec<(String, String, bool)> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (n["id"].as_str().unwrap().into(), n["kind"].as_str().unwrap().into(), n["defined"].as_bool().unwrap())
        })
        .collect();
    let expected = [
        ("#h1", "claim", true),
        ("hostile.md:3", "claim", true),
        ("^s", "source", true),
        ("@q", "actor", true),
        ("#gone", "claim", false),
    ];
    assert_eq!(nodes, expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c)));
    let edges: Vec<String> = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!("{} -{}-> {}", e["from"].as_str().unwrap(), e["kind"].as_str().unwrap(), e["to"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        edges,
        [
            "#h1 -cites-> ^s",
            "#h1 -involves-> @q",
            "#h1 -by-> @q",
            "hostile.md:3 -cites-> ^s",
            "hostile.md:3 -supports-> #h1",
            "hostile.md:3 -contradicts-> #gone"
        ]
    );
}

/// A root workspace and one nested in it, the same claim id in both and
/// twice in the nested one.
const TWO_WORKSPACES: &[(&str, &str)] = &[
    ("dossier.toml", ""),
    ("a.md", "{First | #dup ^s}\n"),
    ("inner/dossier.toml", ""),
    ("inner/b.md", "{Second | #dup supports:#dup}\n{Third | supports:#dup}\n"),
];

#[test]
fn export_gives_each_id_one_node_across_workspaces() {
    let ws = workspace(TWO_WORKSPACES);
    let out = dossier(ws.path(), &["export", "--format", "mermaid", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    // The first claim with an id is its node; the second's edges start there.
    assert_eq!(
        out.stdout,
        "flowchart LR\n  n0[\"First\"]\n  n1([\"^s\"])\n  n2[\"Third\"]\n  \
         n0 -->|cites| n1\n  n0 -->|supports| n0\n  n2 -->|supports| n0\n"
    );
    let out = dossier(ws.path(), &["export", "--format", "json", "."]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let ids = |key: &str, field: &str| -> Vec<String> {
        json[key].as_array().unwrap().iter().map(|v| v[field].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids("claims", "id"), ["#dup", "#dup", "b.md:2"], "every claim, its id from its own workspace");
    assert_eq!(ids("claims", "note"), ["a.md", "inner/b.md", "inner/b.md"]);
    assert_eq!(ids("nodes", "id"), ["#dup", "^s", "b.md:2"]);
    assert_eq!(ids("nodes", "label"), ["First", "^s", "Third"]);
    assert_eq!(ids("edges", "from"), ["#dup", "#dup", "b.md:2"]);
    assert_eq!(ids("edges", "to"), ["^s", "#dup", "#dup"]);
}

#[test]
fn export_keeps_path_order_and_first_use_numbering_across_batches() {
    // More notes than are rendered at a time (256), each claim citing one of
    // seven sources and supporting the claim of the note before it.
    let notes: Vec<(String, String)> = (0..600)
        .map(|i| (format!("n{i:03}.md"), format!("{{Claim {i} | #c{i} ^s{} supports:#c{}}}\n", i % 7, (i + 599) % 600)))
        .collect();
    let ws = workspace_of(&notes);
    let out = dossier(ws.path(), &["export", "--format", "mermaid", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    // Claims in path order, then the sources in order of first citation.
    let mut expected = String::from("flowchart LR\n");
    (0..600).for_each(|i| expected.push_str(&format!("  n{i}[\"Claim {i}\"]\n")));
    (0..7).for_each(|s| expected.push_str(&format!("  n{}([\"^s{s}\"])\n", 600 + s)));
    for i in 0..600 {
        expected.push_str(&format!("  n{i} -->|cites| n{}\n  n{i} -->|supports| n{}\n", 600 + i % 7, (i + 599) % 600));
    }
    assert_eq!(out.stdout, expected);
    let out = dossier(ws.path(), &["export", "--format", "csv", "."]);
    let ids: Vec<String> = out.stdout.lines().skip(1).map(|row| row.split(',').next().unwrap().to_string()).collect();
    assert_eq!(ids, (0..600).map(|i| format!("#c{i}")).collect::<Vec<_>>());
}

#[test]
fn export_numbers_ids_used_before_their_claim_or_never_defined_in_order_of_first_use() {
    // Each claim supports the next one, which comes later (across the
    // batches of 256 notes too), and contradicts one of three claims that
    // are never defined: those, the sources and the last claim's missing
    // next one are numbered after the claims, in order of first use.
    let notes: Vec<(String, String)> = (0..300)
        .map(|i| {
            let text = format!("{{Claim {i} | #c{i} ^s{} supports:#c{} contradicts:#ghost{}}}\n", i % 2, i + 1, i % 3);
            (format!("n{i:03}.md"), text)
        })
        .collect();
    let ws = workspace_of(&notes);
    let out = dossier(ws.path(), &["export", "--format", "mermaid", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let mut expected = String::from("flowchart LR\n");
    (0..300).for_each(|i| expected.push_str(&format!("  n{i}[\"Claim {i}\"]\n")));
    // First uses: ^s0 and #ghost0 (claim 0), ^s1 and #ghost1 (claim 1),
    // #ghost2 (claim 2), #c300 (claim 299).
    let others = [("([", "^s0", "])"), ("[", "#35;ghost0", "]"), ("([", "^s1", "])"), ("[", "#35;ghost1", "]")];
    let others = others.into_iter().chain([("[", "#35;ghost2", "]"), ("[", "#35;c300", "]")]);
    others.enumerate().for_each(|(n, (open, label, close))| {
        expected.push_str(&format!("  n{}{open}\"{label}\"{close}\n", 300 + n));
    });
    let source = |i: usize| [300, 302][i % 2];
    let ghost = |i: usize| [301, 303, 304][i % 3];
    for i in 0..300 {
        let next = if i == 299 { 305 } else { i + 1 };
        expected.push_str(&format!("  n{i} -->|cites| n{}\n  n{i} -->|supports| n{next}\n", source(i)));
        expected.push_str(&format!("  n{i} -.->|contradicts| n{}\n", ghost(i)));
    }
    assert_eq!(out.stdout, expected);
}

#[test]
fn export_json_keeps_path_order_with_notes_without_claims_among_them() {
    // Several notes are rendered together on one core: every third note
    // here has no claim, which must leave no gap and no comma out of place.
    let notes: Vec<(String, String)> = (0..40)
        .map(|i| {
            let text =
                if i % 3 == 1 { format!("Only prose, @a{i}.\n") } else { format!("{{Claim {i} | ^s{}}}\n", i % 2) };
            (format!("n{i:02}.md"), text)
        })
        .collect();
    let ws = workspace_of(&notes);
    let out = dossier(ws.path(), &["export", "--format", "json", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let json: Value = serde_json::from_str(&out.stdout).expect("export --format json is JSON");
    let field = |key: &str, field: &str| -> Vec<String> {
        json[key].as_array().unwrap().iter().map(|v| v[field].as_str().unwrap().to_string()).collect()
    };
    let with_claims: Vec<usize> = (0..40).filter(|i| i % 3 != 1).collect();
    let ids: Vec<String> = with_claims.iter().map(|i| format!("n{i:02}.md:1")).collect();
    assert_eq!(field("claims", "id"), ids);
    assert_eq!(field("claims", "text"), with_claims.iter().map(|i| format!("Claim {i}")).collect::<Vec<_>>());
    let mut nodes = ids.clone();
    nodes.extend(["^s0".to_string(), "^s1".to_string()]);
    assert_eq!(field("nodes", "id"), nodes);
    assert_eq!(field("edges", "from"), ids);
    assert_eq!(field("edges", "to"), with_claims.iter().map(|i| format!("^s{}", i % 2)).collect::<Vec<_>>());
}

#[test]
fn export_dot_is_valid_graphviz() {
    let ws = workspace(HOSTILE);
    let out = dossier(ws.path(), &["export", "--format", "dot", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    insta::assert_snapshot!("export_dot", out.stdout);
    let dot = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut dot = match dot {
        Ok(child) => child,
        Err(why) => {
            assert!(
                std::env::var("DOSSIER_REQUIRE_GRAPHVIZ").as_deref() != Ok("1"),
                "DOSSIER_REQUIRE_GRAPHVIZ=1 but Graphviz's `dot` cannot run: {why}"
            );
            eprintln!("skipped: checking the DOT output needs Graphviz's `dot` on the PATH ({why})");
            return;
        }
    };
    use std::io::Write;
    dot.stdin.take().unwrap().write_all(out.stdout.as_bytes()).unwrap();
    let svg = dot.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&svg.stderr);
    assert!(svg.status.success() && stderr.is_empty(), "dot -Tsvg failed: {stderr}");
    let svg = String::from_utf8(svg.stdout).unwrap();
    // Each node is there, its text intact (SVG escapes it in turn).
    assert_eq!(svg.matches("class=\"node\"").count(), 5, "{svg}");
    assert_eq!(svg.matches("class=\"edge\"").count(), 6, "{svg}");
    assert!(svg.contains("&lt;script&gt;"), "the label's text, escaped by Graphviz: {svg}");
}

#[test]
fn export_mermaid_escapes_every_label() {
    let ws = workspace(HOSTILE);
    let out = dossier(ws.path(), &["export", "--format", "mermaid", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    insta::assert_snapshot!("export_mermaid", out.stdout);
    for line in out.stdout.lines().skip(1) {
        // Generated ids only; one quoted label per node line, with no raw
        // quote, `#`, `<`, `>`, `&` or backtick inside it.
        let line = line.trim_start();
        let id_end = line.find(|c: char| !c.is_ascii_alphanumeric()).unwrap();
        assert!(line.starts_with('n') && line[1..id_end].bytes().all(|b| b.is_ascii_digit()), "{line}");
        if let (Some(open), Some(close)) = (line.find('"'), line.rfind('"')) {
            let label = &line[open + 1..close];
            assert!(!label.contains(['"', '<', '>', '`']), "{line}");
            assert!(
                label.split('#').skip(1).all(|entity| entity.split(';').next().unwrap().parse::<u32>().is_ok()),
                "{line}"
            );
        }
    }
}

#[test]
fn stats_and_export_exit_0_whatever_the_findings_and_2_on_usage_errors() {
    let ws = workspace(FILES);
    for args in [&["stats", "."][..], &["export", "."], &["export", "--format", "dot", "notes"]] {
        let out = dossier(ws.path(), args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    let one_line = |out: &Run, needle: &str| {
        assert_eq!(out.code, 2, "{}", out.stdout);
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains(needle), "{}", out.stderr);
    };
    one_line(&dossier(ws.path(), &["stats", "missing"]), "path `missing` does not exist");
    one_line(&dossier(ws.path(), &["export", "--format", "svg", "."]), "svg");
    one_line(&dossier(ws.path(), &["stats", "--format", "csv", "."]), "csv");
    for bad in ["2024-02-30", "tomorrow", "2024-06"] {
        for command in ["stats", "export", "check"] {
            let out = run_with_env(ws.path(), &[command, "."], &[("DOSSIER_TODAY", bad)]);
            one_line(&out, &format!("DOSSIER_TODAY=`{bad}` is not a date: write it as YYYY-MM-DD"));
        }
    }
    let bad_config = workspace(&[("dossier.toml", "[rules]\nthin-sourcing = \"loud\"\n"), ("a.md", "{x}\n")]);
    one_line(&dossier(bad_config.path(), &["stats", "."]), "dossier.toml:2");
    one_line(&dossier(bad_config.path(), &["export", "."]), "dossier.toml:2");
}
