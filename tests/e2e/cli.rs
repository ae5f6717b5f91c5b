//! End-to-end tests of `dossier check` (SPEC §4): the built binary, run on
//! temporary workspaces written by each test. Output formats, exit codes,
//! `dossier.toml`, path display, ordering, cross-file resolution and bad
//! input that must not stop the rest of the report.

use std::path::Path;

use serde_json::{Value, json};
use tempfile::TempDir;

use crate::support::{Run, briefs, check_json, run, workspace, write};

// ---------------------------------------------------------------- helpers

/// `dossier check --format json --hints <args>` in `dir`, briefly.
fn check_brief(dir: &Path, args: &[&str]) -> (i32, Vec<String>) {
    let mut all = vec!["--hints"];
    all.extend_from_slice(args);
    let (Run { code, .. }, findings) = check_json(dir, &all);
    (code, briefs(&findings))
}

/// The caret line under `source` in a human report: (display column of the
/// first `^` relative to the source text, number of carets).
fn underline(stdout: &str, source: &str) -> (usize, usize) {
    let lines: Vec<&str> = stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with(&format!("| {source}")))
        .unwrap_or_else(|| panic!("no source line `{source}` in:\n{stdout}"));
    let gutter = lines[at].len() - source.len();
    let carets = lines[at + 1];
    let first = carets.find('^').unwrap_or_else(|| panic!("no caret under `{source}` in:\n{stdout}"));
    let count = carets[first..].chars().take_while(|&c| c == '^').count();
    (first - gutter, count)
}

const UNSOURCED: &str = "claim cites no source: add `| ^source-key` before its closing brace";

// ---------------------------------------------------------- --format json

#[test]
fn json_positions_are_one_based_and_counted_in_characters() {
    // Before the markup: a curly quote, an em dash, Cyrillic, CJK and an
    // emoji outside the BMP (one column, though 4 bytes and 2 UTF-16 units).
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n  kind: person\n"),
        ("notes/a.md", "# Gas\n\n’ — Кремль 中俄 😀 {Gas deal signed by @putin.} 😀 @xi\n"),
    ]);
    let (Run { code, .. }, findings) = check_json(ws.path(), &[]);
    assert_eq!(
        Value::Array(findings),
        json!([
            {
                "path": "notes/a.md",
                "line": 3,
                "column": 17,
                "end_line": 3,
                "end_column": 45,
                "severity": "warning",
                "rule": "unsourced-claim",
                "message": UNSOURCED,
            },
            {
                "path": "notes/a.md",
                "line": 3,
                "column": 48,
                "end_line": 3,
                "end_column": 51,
                "severity": "error",
                "rule": "unknown-actor",
                "message": "unknown actor `@xi`: define it with a line `@xi: Name` (e.g. in actors.md)",
            },
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn json_output_is_an_empty_array_when_clean() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "Plain prose.\n")]);
    let Run { code, stdout, .. } = run(ws.path(), &["check", "--format", "json"]);
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), json!([]));
    assert_eq!(code, 0);
}

// --------------------------------------------------------- --format human

#[test]
fn human_report_has_header_source_caret_and_summary() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n"),
        ("sources.md", "^reuters: Reuters\n"),
        ("notes/a.md", "Talks with @putn went well.\n\n{Gas deal signed | ^reuters}\n{Price undisclosed}\n"),
    ]);
    let Run { code, stdout, .. } = run(ws.path(), &["check"]);
    let lines: Vec<&str> = stdout.lines().collect();

    let first = "notes/a.md:1:12: error[unknown-actor]: unknown actor `@putn`: did you mean `@putin`? \
                 Otherwise define it with a line `@putn: Name` (e.g. in actors.md)";
    assert_eq!(lines[0], first);
    assert!(lines.contains(&format!("notes/a.md:4:1: warning[unsourced-claim]: {UNSOURCED}").as_str()), "{stdout}");
    assert_eq!(lines.last(), Some(&"1 error, 1 warning in 3 files"));
    // The caret underline sits under exactly the token, and under the whole claim.
    assert_eq!(underline(&stdout, "Talks with @putn went well."), (11, "@putn".len()));
    assert_eq!(underline(&stdout, "{Price undisclosed}"), (0, "{Price undisclosed}".len()));

    // The whole report, rustc-style.
    let expected = format!(
        "{first}
  |
1 | Talks with @putn went well.
  |            ^^^^^

notes/a.md:4:1: warning[unsourced-claim]: {UNSOURCED}
  |
4 | {{Price undisclosed}}
  | ^^^^^^^^^^^^^^^^^^^

1 error, 1 warning in 3 files
"
    );
    assert_eq!(stdout, expected);
    assert_eq!(code, 1);
}

#[test]
fn human_report_of_a_clean_workspace_is_only_the_summary() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "Plain.\n"), ("b.md", "Prose.\n")]);
    let Run { code, stdout, .. } = run(ws.path(), &["check"]);
    assert_eq!(stdout, "0 errors, 0 warnings in 2 files\n");
    assert_eq!(code, 0);
}

#[test]
fn human_caret_lines_up_after_wide_characters() {
    let line = "’ — Кремль 中俄 😀 {Gas deal signed by @putin.}";
    let ws = workspace(&[("dossier.toml", ""), ("actors.md", "@putin: Vladimir Putin\n"), ("a.md", line)]);
    let stdout = run(ws.path(), &["check"]).stdout;
    assert!(stdout.starts_with(&format!("a.md:1:17: warning[unsourced-claim]: {UNSOURCED}\n")), "{stdout}");
    // The header counts characters (column 17); the underline is for a
    // terminal, so it is placed by display width (CJK and the emoji are two
    // cells wide: 19 cells precede the `{`) and spans the 28-character claim.
    let (col, len) = underline(&stdout, line);
    assert_eq!((col, len), (19, 28), "{stdout}");
}

#[test]
fn human_summary_counts_info_and_hints_when_shown() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n"),
        ("sources.md", "^tabloid: Daily Rumour\n  reliability: E5\n"),
        ("a.md", "{Gas deal | ^tabloid}\n"),
    ]);
    let stdout = run(ws.path(), &["check"]).stdout;
    assert_eq!(stdout.lines().last(), Some("0 errors, 0 warnings, 1 info in 3 files"));
    let stdout = run(ws.path(), &["check", "--hints"]).stdout;
    assert_eq!(stdout.lines().last(), Some("0 errors, 0 warnings, 1 info, 1 hint in 3 files"));
}

// -------------------------------------------------------- --format github

#[test]
fn github_format_uses_error_warning_and_notice() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n@xi: Xi Jinping\n"),
        ("sources.md", "^tabloid: Daily Rumour\n  reliability: E5\n"),
        ("notes/a.md", "{Gas deal | ^tabloid}\n{Price agreed by @putin}\nMet @putn.\n"),
    ]);
    let Run { code, stdout, .. } = run(ws.path(), &["check", "--format", "github", "--hints"]);
    let expected = [
        "::notice file=actors.md,line=2,col=1,endLine=2,endColumn=4,title=unused-definition::",
        "::notice file=notes/a.md,line=1,col=1,endLine=1,endColumn=22,title=weak-sourcing::every source of this fact \
         is graded weak (^tabloid E5): corroborate it with a more reliable source",
        &format!("::warning file=notes/a.md,line=2,col=1,endLine=2,endColumn=25,title=unsourced-claim::{UNSOURCED}"),
        "::error file=notes/a.md,line=3,col=5,endLine=3,endColumn=10,title=unknown-actor::unknown actor `@putn`: \
         did you mean `@putin`? Otherwise define it with a line `@putn: Name` (e.g. in actors.md)",
    ];
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    // The hint's message is the core's to word; its command and place are pinned.
    assert!(lines[0].starts_with(expected[0]), "{}", lines[0]);
    assert!(lines[0].len() > expected[0].len(), "the notice has a message: {}", lines[0]);
    assert_eq!(lines[1..], expected[1..]);
    assert_eq!(code, 1);

    // Without --hints the notice for the hint goes; the info stays a notice.
    let stdout = run(ws.path(), &["check", "--format", "github"]).stdout;
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected[1..]);
}

#[test]
fn github_format_escapes_properties_and_data() {
    // Workflow-command properties escape `%`, CR, LF, `:` and `,`.
    let ws = workspace(&[("dossier.toml", ""), ("q,a:b%.md", "{Unsourced}\n")]);
    let stdout = run(ws.path(), &["check", "--format", "github"]).stdout;
    assert_eq!(
        stdout,
        format!(
            "::warning file=q%2Ca%3Ab%25.md,line=1,col=1,endLine=1,endColumn=12,title=unsourced-claim::{UNSOURCED}\n"
        )
    );
}

// -------------------------------------------------------- --format gitlab

/// `dossier check --format gitlab <args>` in `dir`: the exit code and the issues.
fn check_gitlab(dir: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["check", "--format", "gitlab"];
    all.extend_from_slice(args);
    let run = run(dir, &all);
    let issues = crate::support::parse_findings(&run);
    (run.code, issues)
}

fn fingerprints(issues: &[Value]) -> Vec<String> {
    issues.iter().map(|i| i["fingerprint"].as_str().unwrap().to_owned()).collect()
}

/// FNV-1a 64, written out again from its published definition.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The fingerprint docs/cli.md describes: FNV-1a 64 over the path's length
/// (u64, little-endian) and bytes, the rule id's length and bytes, the
/// FNV-1a 64 of the finding's text and its rank (both u64, little-endian).
fn documented_fingerprint(path: &str, rule: &str, text: &str, rank: u64) -> String {
    let mut input = Vec::new();
    for field in [path, rule] {
        input.extend((field.len() as u64).to_le_bytes());
        input.extend(field.as_bytes());
    }
    input.extend(fnv1a64(text.as_bytes()).to_le_bytes());
    input.extend(rank.to_le_bytes());
    format!("{:016x}", fnv1a64(&input))
}

#[test]
fn gitlab_report_has_every_field_after_non_ascii_text() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n  kind: person\n"),
        ("notes/a.md", "# Gas\n\n’ — Кремль 中俄 😀 {Gas deal signed by @putin.} 😀 @xi\n"),
    ]);
    let (code, issues) = check_gitlab(ws.path(), &[]);
    let claim = "{Gas deal signed by @putin.}";
    assert_eq!(
        Value::Array(issues.clone()),
        json!([
            {
                "description": UNSOURCED,
                "check_name": "unsourced-claim",
                "fingerprint": "91c2372fc16debda",
                "severity": "minor",
                "location": { "path": "notes/a.md", "lines": { "begin": 3 } },
            },
            {
                "description": "unknown actor `@xi`: define it with a line `@xi: Name` (e.g. in actors.md)",
                "check_name": "unknown-actor",
                "fingerprint": "fe0a74f94160d230",
                "severity": "major",
                "location": { "path": "notes/a.md", "lines": { "begin": 3 } },
            },
        ])
    );
    // The pinned values are the documented algorithm's, not an accident of this build.
    assert_eq!(
        fingerprints(&issues),
        [
            documented_fingerprint("notes/a.md", "unsourced-claim", claim, 0),
            documented_fingerprint("notes/a.md", "unknown-actor", "@xi", 0),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn gitlab_report_is_an_empty_array_when_clean() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "Plain prose.\n")]);
    assert_eq!(check_gitlab(ws.path(), &[]), (0, vec![]));
}

#[test]
fn gitlab_fingerprints_are_the_same_from_run_to_run() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "{Unsourced} @nobody\n{Another}\n")]);
    let (_, first) = check_gitlab(ws.path(), &[]);
    let (_, second) = check_gitlab(ws.path(), &[]);
    assert_eq!(first.len(), 3);
    assert_eq!(second, first);
}

#[test]
fn gitlab_fingerprints_do_not_follow_lines_inserted_above() {
    let body = "{Unsourced} @nobody\n";
    let ws = workspace(&[("dossier.toml", ""), ("a.md", body)]);
    let (_, before) = check_gitlab(ws.path(), &[]);
    write(ws.path(), "a.md", format!("# Title\n\nSome prose.\n\n{body}").as_bytes());
    let (_, after) = check_gitlab(ws.path(), &[]);
    let begins = |issues: &[Value]| issues.iter().map(|i| i["location"]["lines"]["begin"].clone()).collect::<Vec<_>>();
    assert_eq!(begins(&before), [json!(1), json!(1)]);
    assert_eq!(begins(&after), [json!(5), json!(5)]);
    assert_eq!(fingerprints(&after), fingerprints(&before));
    // CRLF line endings change nothing either, even in a claim over two lines.
    let two_lines = "So {the gas\ndeal} @nobody\n";
    write(ws.path(), "a.md", two_lines.as_bytes());
    let (_, lf) = check_gitlab(ws.path(), &[]);
    write(ws.path(), "a.md", two_lines.replace('\n', "\r\n").as_bytes());
    let (_, crlf) = check_gitlab(ws.path(), &[]);
    assert_eq!(crlf, lf);
}

#[test]
fn gitlab_fingerprints_rank_identical_findings_and_tell_distinct_ones_apart() {
    // Two `@xi` (same path, rule and text) differ by rank; `@yi`, the
    // claims and the same `@xi` in another file differ by their text, rule or path.
    let note = "@xi met @yi.\n\n@xi again.\n{Unsourced}\n{Unsourced}\n";
    let ws = workspace(&[("dossier.toml", ""), ("a.md", note), ("b.md", "@xi\n")]);
    let (_, issues) = check_gitlab(ws.path(), &[]);
    let summary: Vec<String> = issues
        .iter()
        .map(|i| format!("{}:{} {}", i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]))
        .collect();
    assert_eq!(
        summary,
        [
            r#""a.md":1 "unknown-actor""#,
            r#""a.md":1 "unknown-actor""#,
            r#""a.md":3 "unknown-actor""#,
            r#""a.md":4 "unsourced-claim""#,
            r#""a.md":5 "unsourced-claim""#,
            r#""b.md":1 "unknown-actor""#,
        ]
    );
    let prints = fingerprints(&issues);
    let mut unique = prints.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), prints.len(), "{prints:?}");
    assert_eq!(prints[0], documented_fingerprint("a.md", "unknown-actor", "@xi", 0));
    assert_eq!(prints[2], documented_fingerprint("a.md", "unknown-actor", "@xi", 1));
    assert_eq!(prints[4], documented_fingerprint("a.md", "unsourced-claim", "{Unsourced}", 1));
    assert_eq!(prints[5], documented_fingerprint("b.md", "unknown-actor", "@xi", 0));

    // Deleting the first `@xi` makes the second one the first: GitLab sees
    // one issue resolved and none new, as a rank-based fingerprint intends.
    write(ws.path(), "a.md", "@yi.\n\n@xi again.\n{Unsourced}\n{Unsourced}\n".as_bytes());
    let (_, after) = check_gitlab(ws.path(), &[]);
    let after = fingerprints(&after);
    assert_eq!(after.len(), 5);
    assert!(after.iter().all(|f| prints.contains(f)), "{after:?} not all in {prints:?}");
}

#[test]
fn gitlab_severities_are_major_minor_and_info() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n@xi: Xi Jinping\n"),
        ("sources.md", "^tabloid: Daily Rumour\n  reliability: E5\n"),
        ("notes/a.md", "{Gas deal | ^tabloid}\n{Price agreed by @putin}\nMet @putn.\n"),
    ]);
    let severities =
        |issues: &[Value]| issues.iter().map(|i| format!("{} {}", i["check_name"], i["severity"])).collect::<Vec<_>>();
    let (code, issues) = check_gitlab(ws.path(), &["--hints"]);
    assert_eq!(
        severities(&issues),
        [
            r#""unused-definition" "info""#,
            r#""weak-sourcing" "info""#,
            r#""unsourced-claim" "minor""#,
            r#""unknown-actor" "major""#,
        ]
    );
    assert_eq!(code, 1);
    // Hints only with --hints.
    let (_, issues) = check_gitlab(ws.path(), &[]);
    assert_eq!(
        severities(&issues),
        [r#""weak-sourcing" "info""#, r#""unsourced-claim" "minor""#, r#""unknown-actor" "major""#]
    );
}

#[test]
fn gitlab_exit_codes_are_those_of_the_other_formats() {
    let warnings_only = workspace(&[("dossier.toml", ""), ("a.md", "{Unsourced}\n")]);
    assert_eq!(check_gitlab(warnings_only.path(), &[]).0, 0);
    assert_eq!(check_gitlab(warnings_only.path(), &["--deny", "warnings"]).0, 1);
    let error = workspace(&[("dossier.toml", ""), ("a.md", "@nobody\n")]);
    assert_eq!(check_gitlab(error.path(), &[]).0, 1);
    let missing = run(error.path(), &["check", "--format", "gitlab", "nope.md"]);
    assert_eq!((missing.code, missing.stdout.as_str()), (2, ""));
}

// ------------------------------------------------------------- exit codes

#[test]
fn exit_0_when_clean() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n"),
        ("sources.md", "^reuters: Reuters\n"),
        ("a.md", "{@putin signed | ^reuters}\n"),
    ]);
    let Run { code, stdout, .. } = run(ws.path(), &["check"]);
    assert_eq!((code, stdout.as_str()), (0, "0 errors, 0 warnings in 3 files\n"));
}

#[test]
fn exit_0_with_only_warnings() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "{Unsourced}\n")]);
    let Run { code, stdout, .. } = run(ws.path(), &["check"]);
    assert_eq!(stdout.lines().last(), Some("0 errors, 1 warning in 1 file"));
    assert_eq!(code, 0);
}

#[test]
fn exit_1_with_an_error() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "Met @nobody.\n")]);
    let Run { code, stdout, .. } = run(ws.path(), &["check"]);
    assert_eq!(stdout.lines().last(), Some("1 error, 0 warnings in 1 file"));
    assert_eq!(code, 1);
}

#[test]
fn exit_1_with_only_warnings_and_deny_warnings() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "{Unsourced}\n")]);
    let code = run(ws.path(), &["check", "--deny", "warnings"]).code;
    assert_eq!(code, 1);
    let code = run(ws.path(), &["check", "--deny=warnings", "--format", "json"]).code;
    assert_eq!(code, 1);
}

#[test]
fn deny_warnings_does_not_fail_on_info_or_hints() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@unused: Nobody Mentions Me\n"),
        ("sources.md", "^tabloid: Daily Rumour\n  reliability: E5\n"),
        ("a.md", "{Gas deal | ^tabloid}\n"),
    ]);
    let (code, findings) = check_brief(ws.path(), &["--deny", "warnings"]);
    assert_eq!(findings, ["a.md:1:1-1:22 info[weak-sourcing]", "actors.md:1:1-1:8 hint[unused-definition]"]);
    assert_eq!(code, 0);
}

#[test]
fn exit_2_for_a_missing_path_with_one_line() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "Met @nobody.\n")]);
    let Run { code, stdout, stderr, .. } = run(ws.path(), &["check", "a.md", "nope.md"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.ends_with('\n'));
    assert!(stderr.contains("nope.md"), "{stderr}");
    assert_eq!(stderr, "error: path `nope.md` does not exist\n");
    assert_eq!(stdout, "");
}

#[test]
fn exit_2_for_an_unknown_rule_in_config() {
    let ws = workspace(&[("dossier.toml", "[rules]\nunsourced = \"error\"\n"), ("a.md", "{x}\n")]);
    let Run { code, stdout, stderr, .. } = run(ws.path(), &["check"]);
    assert_eq!(code, 2);
    assert_eq!(stderr, "error: dossier.toml:2:1: unknown rule `unsourced` in `[rules]`\n");
    assert_eq!(stdout, "");
}

#[test]
fn exit_2_for_a_bad_rule_level_in_config() {
    let ws = workspace(&[("dossier.toml", "# levels\n[rules]\nunsourced-claim = \"loud\"\n"), ("a.md", "{x}\n")]);
    let Run { code, stdout, stderr, .. } = run(ws.path(), &["check"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // File, line and column of the bad value, and the key it belongs to.
    assert!(stderr.starts_with("error: dossier.toml:3:19: "), "{stderr}");
    assert!(stderr.contains("rules.unsourced-claim"), "{stderr}");
    assert_eq!(stdout, "");
}

#[test]
fn exit_2_for_a_bad_files_key_in_config() {
    let ws = workspace(&[("dossier.toml", "[files]\n\nexclud = [\"drafts/**\"]\n"), ("a.md", "{x}\n")]);
    let Run { code, stderr, .. } = run(ws.path(), &["check"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: dossier.toml:3:1: "), "{stderr}");
    assert!(stderr.contains("files.exclud"), "{stderr}");
}

#[test]
fn exit_2_for_a_toml_syntax_error_in_config() {
    let ws = workspace(&[("dossier.toml", "[files]\ninclude = [\"**/*.md\"]\n[rules\n"), ("a.md", "{x}\n")]);
    let Run { code, stdout, stderr, .. } = run(ws.path(), &["check"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: dossier.toml:3:"), "{stderr}");
    assert!(stderr.contains("invalid TOML"), "{stderr}");
    assert_eq!(stdout, "");
}

#[test]
fn bad_config_is_named_relative_to_the_current_folder() {
    let dir = workspace(&[("ws/dossier.toml", "[rules]\nunsourced = \"error\"\n"), ("ws/notes/a.md", "{x}\n")]);
    let Run { code, stderr, .. } = run(dir.path(), &["check", "ws"]);
    assert_eq!((code, stderr.as_str()), (2, "error: ws/dossier.toml:2:1: unknown rule `unsourced` in `[rules]`\n"));
    // Checking one file below it still reads (and rejects) the config.
    let Run { code, stderr, .. } = run(&dir.path().join("ws/notes"), &["check", "a.md"]);
    assert_eq!((code, stderr.as_str()), (2, "error: ../dossier.toml:2:1: unknown rule `unsourced` in `[rules]`\n"));
}

#[test]
fn exit_2_for_an_unknown_flag_with_one_line() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "{x}\n")]);
    for args in [
        &["check", "--bogus"][..],
        &["check", "--format", "xml"],
        &["check", "--deny", "errors"],
        &["check", "--format"],
        &["frobnicate"],
        &["lsp", "--bogus"],
        &["lsp", "--stdio=yes"],
    ] {
        let Run { code, stdout, stderr, .. } = run(ws.path(), args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert_eq!(stdout, "", "{args:?}");
    }
    let stderr = run(ws.path(), &["check", "--bogus"]).stderr;
    assert!(stderr.contains("--bogus"), "{stderr}");
}

#[test]
fn a_bad_command_line_names_the_subcommands_help() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "{x}\n")]);
    for (args, expected) in [
        (
            &["check", "--format", "xml"][..],
            "error: invalid value 'xml' for '--format <FORMAT>' \
             [possible values: human, json, github, gitlab, sarif]; see `dossier check --help`\n",
        ),
        (
            &["check", "--deny", "foo"],
            "error: invalid value 'foo' for '--deny <LEVEL>' [possible values: warnings]; \
             see `dossier check --help`\n",
        ),
        (
            &["check", "--bogus"],
            "error: unexpected argument '--bogus' found; tip: to pass '--bogus' as a value, use '-- --bogus'; \
             see `dossier check --help`\n",
        ),
        (&["lsp", "--bogus"], "error: unexpected argument '--bogus' found; see `dossier lsp --help`\n"),
        (&["rules", "a", "b"], "error: unexpected argument 'b' found; see `dossier rules --help`\n"),
        (&["frobnicate"], "error: unrecognized subcommand 'frobnicate'; see `dossier --help`\n"),
        (&["--bogus", "check"], "error: unexpected argument '--bogus' found; see `dossier --help`\n"),
    ] {
        let Run { code, stdout, stderr, .. } = run(ws.path(), args);
        assert_eq!((code, stdout.as_str(), stderr.as_str()), (2, "", expected), "{args:?}");
    }
}

#[test]
fn of_several_errors_in_dossier_toml_the_first_in_the_file_is_reported() {
    // `[rules]` keys are read sorted (`missing-speaker` first) and `[files]`
    // after `[rules]`; a syntax error comes last. The first in the file wins.
    let config = "# levels\n[rules]\nunsourced-claim = \"loud\"\nmissing-speaker = \"nope\"\nbogus = \"off\"\n\
                  [files]\nexclud = []\n[oops\n";
    let ws = workspace(&[("dossier.toml", config), ("a.md", "{x}\n")]);
    let Run { code, stdout, stderr, .. } = run(ws.path(), &["check"]);
    let expected = "error: dossier.toml:3:19: `rules.unsourced-claim` must be \
                    \"error\", \"warning\", \"info\", \"hint\" or \"off\"\n";
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (2, "", expected));
    // Fixed from the top down, each next one in turn.
    let steps = [
        (
            config.replace("\"loud\"", "\"error\""),
            "error: dossier.toml:4:19: `rules.missing-speaker` must be \
             \"error\", \"warning\", \"info\", \"hint\" or \"off\"\n",
        ),
        (
            config.replace("\"loud\"", "\"error\"").replace("\"nope\"", "\"off\""),
            "error: dossier.toml:5:1: unknown rule `bogus` in `[rules]`\n",
        ),
        (
            config.replace("\"loud\"", "\"error\"").replace("\"nope\"", "\"off\"").replace("bogus = \"off\"\n", ""),
            "error: dossier.toml:6:1: unknown key `files.exclud`: expected `include` or `exclude`\n",
        ),
    ];
    for (config, expected) in steps {
        std::fs::write(ws.path().join("dossier.toml"), &config).unwrap();
        let Run { code, stderr, .. } = run(ws.path(), &["check"]);
        assert_eq!((code, stderr.as_str()), (2, expected), "{config}");
    }
}

#[test]
fn lsp_help_says_stdio_is_accepted() {
    let ws = workspace(&[]);
    let Run { code, stdout, .. } = run(ws.path(), &["lsp", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("--stdio") && stdout.contains("Accepted and ignored"), "{stdout}");
}

// ------------------------------------------------------------------ hints

#[test]
fn hints_are_printed_only_with_the_flag() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n@lavrov: Sergey Lavrov\n"),
        ("a.md", "Met @putin.\n"),
    ]);
    let (Run { code, .. }, findings) = check_json(ws.path(), &[]);
    assert_eq!(findings, Vec::<Value>::new());
    assert_eq!(code, 0);

    let (Run { code, .. }, findings) = check_json(ws.path(), &["--hints"]);
    assert_eq!(briefs(&findings), ["actors.md:2:1-2:8 hint[unused-definition]"]);
    assert!(findings[0]["message"].as_str().unwrap().contains("@lavrov"), "{}", findings[0]);
    assert_eq!(code, 0);

    let stdout = run(ws.path(), &["check"]).stdout;
    assert_eq!(stdout, "0 errors, 0 warnings in 2 files\n");
    let stdout = run(ws.path(), &["check", "--hints"]).stdout;
    assert!(stdout.starts_with("actors.md:2:1: hint[unused-definition]: "), "{stdout}");
    assert_eq!(underline(&stdout, "@lavrov: Sergey Lavrov"), (0, "@lavrov".len()));
    assert_eq!(stdout.lines().last(), Some("0 errors, 0 warnings, 1 hint in 2 files"));
}

// ------------------------------------------------------------ dossier.toml

#[test]
fn config_can_raise_a_rule_to_error() {
    let ws = workspace(&[("dossier.toml", "[rules]\nunsourced-claim = \"error\"\n"), ("a.md", "{Unsourced}\n")]);
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["a.md:1:1-1:12 error[unsourced-claim]"]);
    assert_eq!(code, 1);
}

#[test]
fn config_can_turn_a_rule_off() {
    let ws = workspace(&[
        ("dossier.toml", "[rules]\nunsourced-claim = \"off\"\n"),
        ("a.md", "{Unsourced}\n{Also unsourced} @nobody\n"),
    ]);
    let (code, findings) = check_brief(ws.path(), &["--deny", "warnings"]);
    assert_eq!(findings, ["a.md:2:18-2:25 error[unknown-actor]"]);
    assert_eq!(code, 1);

    write(ws.path(), "a.md", b"{Unsourced}\n");
    let (code, findings) = check_brief(ws.path(), &["--deny", "warnings"]);
    assert_eq!(findings, Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn config_can_lower_an_error_to_a_warning() {
    let ws = workspace(&[("dossier.toml", "[rules]\nunknown-actor = \"warning\"\n"), ("a.md", "Met @nobody.\n")]);
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["a.md:1:5-1:12 warning[unknown-actor]"]);
    assert_eq!(code, 0);
}

#[test]
fn config_exclude_leaves_files_out() {
    let ws = workspace(&[
        ("dossier.toml", "[files]\nexclude = [\"drafts/**\"]\n"),
        ("drafts/wip.md", "{Unsourced draft} @nobody\n"),
        ("drafts/deep/er.md", "@nobody\n"),
        ("notes/a.md", "{Unsourced}\n"),
    ]);
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["notes/a.md:1:1-1:12 warning[unsourced-claim]"]);
    assert_eq!(code, 0);
    let stdout = run(ws.path(), &["check"]).stdout;
    assert_eq!(stdout.lines().last(), Some("0 errors, 1 warning in 1 file"));
}

#[test]
fn excluded_notes_define_nothing() {
    // An excluded note is out of the workspace: its definitions do not count.
    let ws = workspace(&[
        ("dossier.toml", "[files]\nexclude = [\"drafts/**\"]\n"),
        ("drafts/actors.md", "@putin: Vladimir Putin\n"),
        ("a.md", "Met @putin.\n"),
    ]);
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["a.md:1:5-1:11 error[unknown-actor]"]);
    assert_eq!(code, 1);
}

#[test]
fn gitignore_is_honoured_without_a_git_folder() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        (".gitignore", "scratch/\n*.tmp.md\n"),
        ("scratch/x.md", "@nobody\n"),
        ("notes/y.tmp.md", "@nobody\n"),
        ("notes/a.md", "{Unsourced}\n"),
    ]);
    assert!(!ws.path().join(".git").exists());
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["notes/a.md:1:1-1:12 warning[unsourced-claim]"]);
    assert_eq!(code, 0);
}

// ---------------------------------------------------------- relative paths

/// `ws/` with its config, an actor file and two notes, inside a parent folder.
fn nested_workspace() -> TempDir {
    workspace(&[
        ("ws/dossier.toml", ""),
        ("ws/actors.md", "@putin: Vladimir Putin\n"),
        ("ws/notes/a.md", "{@putin signed}\n"),
        ("ws/notes/b.md", "Met @nobody.\n"),
    ])
}

#[test]
fn paths_are_relative_to_the_workspace_when_run_inside_it() {
    let dir = nested_workspace();
    let ws = dir.path().join("ws");
    let expected = ["notes/a.md:1:1-1:16 warning[unsourced-claim]", "notes/b.md:1:5-1:12 error[unknown-actor]"];
    assert_eq!(check_brief(&ws, &[]), (1, expected.map(String::from).to_vec()));
    assert_eq!(check_brief(&ws, &["."]), (1, expected.map(String::from).to_vec()));
    let stdout = run(&ws, &["check"]).stdout;
    assert!(stdout.starts_with("notes/a.md:1:1: warning[unsourced-claim]: "), "{stdout}");
}

#[test]
fn paths_are_relative_to_the_current_folder_when_run_from_the_parent() {
    let dir = nested_workspace();
    let (code, findings) = check_brief(dir.path(), &["ws"]);
    assert_eq!(
        findings,
        ["ws/notes/a.md:1:1-1:16 warning[unsourced-claim]", "ws/notes/b.md:1:5-1:12 error[unknown-actor]"]
    );
    assert_eq!(code, 1);
    let stdout = run(dir.path(), &["check", "ws"]).stdout;
    assert!(stdout.starts_with("ws/notes/a.md:1:1: warning[unsourced-claim]: "), "{stdout}");
    let stdout = run(dir.path(), &["check", "--format", "github", "ws"]).stdout;
    assert!(stdout.starts_with("::warning file=ws/notes/a.md,line=1,col=1,"), "{stdout}");
}

#[test]
fn paths_climb_with_dot_dot_when_run_from_below() {
    let dir = nested_workspace();
    let notes = dir.path().join("ws/notes");
    let (code, findings) = check_brief(&notes, &[]);
    assert_eq!(findings, ["a.md:1:1-1:16 warning[unsourced-claim]", "b.md:1:5-1:12 error[unknown-actor]"]);
    assert_eq!(code, 1);
    // Naming the actor file from below: it has no finding of its own; a.md still does.
    let (_, findings) = check_brief(&notes, &["../actors.md", "a.md"]);
    assert_eq!(findings, ["a.md:1:1-1:16 warning[unsourced-claim]"]);
}

#[test]
fn a_single_file_uses_the_whole_workspace_and_reports_only_itself() {
    let dir = nested_workspace();
    let ws = dir.path().join("ws");
    // `@putin` is defined in actors.md, which is not on the command line.
    let (code, findings) = check_brief(&ws, &["notes/a.md"]);
    assert_eq!(findings, ["notes/a.md:1:1-1:16 warning[unsourced-claim]"]);
    assert_eq!(code, 0, "notes/b.md's error is not reported");
    let stdout = run(&ws, &["check", "notes/a.md"]).stdout;
    assert_eq!(stdout.lines().last(), Some("0 errors, 1 warning in 1 file"));

    // The same from the parent folder and from below.
    let (code, findings) = check_brief(dir.path(), &["ws/notes/a.md"]);
    assert_eq!((code, findings), (0, vec!["ws/notes/a.md:1:1-1:16 warning[unsourced-claim]".to_string()]));
    let (code, findings) = check_brief(&ws.join("notes"), &["a.md"]);
    assert_eq!((code, findings), (0, vec!["a.md:1:1-1:16 warning[unsourced-claim]".to_string()]));
    // A folder inside the workspace: only its notes, still resolved workspace-wide.
    let (code, findings) = check_brief(dir.path(), &["ws/notes"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        ["ws/notes/a.md:1:1-1:16 warning[unsourced-claim]", "ws/notes/b.md:1:5-1:12 error[unknown-actor]"]
    );
}

#[test]
fn the_same_file_given_twice_is_reported_once() {
    let dir = nested_workspace();
    let ws = dir.path().join("ws");
    let (_, findings) = check_brief(&ws, &["notes/a.md", "notes", "./notes/a.md"]);
    assert_eq!(findings, ["notes/a.md:1:1-1:16 warning[unsourced-claim]", "notes/b.md:1:5-1:12 error[unknown-actor]"]);
    let stdout = run(&ws, &["check", "notes/a.md", "notes/a.md"]).stdout;
    assert_eq!(stdout.lines().last(), Some("0 errors, 1 warning in 1 file"));
}

#[test]
fn files_given_together_without_a_config_share_definitions() {
    // No dossier.toml anywhere: an analyst passing the actor file and a note
    // (as a pre-commit hook does with the changed files) expects the note's
    // mention of `@putin` to resolve to the definition given next to it.
    let dir = workspace(&[("actors.md", "@putin: Vladimir Putin\n"), ("notes/a.md", "Met @putin.\n")]);
    let (code, findings) = check_brief(dir.path(), &["actors.md", "notes/a.md"]);
    assert_eq!(findings, Vec::<String>::new());
    assert_eq!(code, 0);
}

#[test]
fn folders_given_in_any_order_or_inside_each_other_are_read_once_in_path_order() {
    // No config: the folders are walked one after another as given. The
    // notes are still indexed in path order (the first definition of an id
    // is the one in the first path), and a note reached twice is one note.
    let dir = workspace(&[
        ("a/one.md", "@dup: One\n"),
        ("b/two.md", "@dup: Two\n"),
        ("a/inner/three.md", "@three: Three\nMet @dup and @three.\n"),
    ]);
    let (code, findings) = check_brief(dir.path(), &["b", "a", "a/inner"]);
    assert_eq!(findings, ["b/two.md:1:1-1:5 error[duplicate-definition]"]);
    assert_eq!(code, 1);
    let stdout = run(dir.path(), &["check", "b", "a", "a/inner"]).stdout;
    assert!(stdout.contains("= note: first defined here: a/one.md:1:1"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("1 error, 0 warnings in 3 files"));
}

// ----------------------------------------------------------- stable order

#[test]
fn output_is_ordered_by_path_then_position() {
    // Written in reverse order; each note has findings from several rules,
    // not produced in position order by the checker.
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("c/d.md", "@zed\n{Unsourced} @yan\n"),
        ("b.md", "Text @late\n{Claim @inside}\n"),
        ("a.md", "{One}\n{Two} @two\n@first\n"),
    ]);
    let expected = [
        "a.md:1:1-1:6 warning[unsourced-claim]",
        "a.md:2:1-2:6 warning[unsourced-claim]",
        "a.md:2:7-2:11 error[unknown-actor]",
        "a.md:3:1-3:7 error[unknown-actor]",
        "b.md:1:6-1:11 error[unknown-actor]",
        "b.md:2:1-2:16 warning[unsourced-claim]",
        "b.md:2:8-2:15 error[unknown-actor]",
        "c/d.md:1:1-1:5 error[unknown-actor]",
        "c/d.md:2:1-2:12 warning[unsourced-claim]",
        "c/d.md:2:13-2:17 error[unknown-actor]",
    ];
    for _ in 0..3 {
        let (code, findings) = check_brief(ws.path(), &[]);
        assert_eq!(findings, expected);
        assert_eq!(code, 1);
    }
    // The order does not depend on the order of the paths given either.
    let (_, findings) = check_brief(ws.path(), &["c", "b.md", "a.md"]);
    assert_eq!(findings, expected);
    // And the human and GitHub formats follow the same order.
    let stdout = run(ws.path(), &["check"]).stdout;
    let headers: Vec<&str> =
        stdout.lines().filter(|l| l.contains("]: ")).map(|l| l.split(": ").next().unwrap()).collect();
    assert_eq!(
        headers,
        [
            "a.md:1:1",
            "a.md:2:1",
            "a.md:2:7",
            "a.md:3:1",
            "b.md:1:6",
            "b.md:2:1",
            "b.md:2:8",
            "c/d.md:1:1",
            "c/d.md:2:1",
            "c/d.md:2:13"
        ]
    );
    assert_eq!(stdout.lines().last(), Some("6 errors, 4 warnings in 3 files"));
}

// ---------------------------------------------------------------- cross-file

#[test]
fn an_actor_defined_in_another_file_is_known() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n@xi-jinping: Xi Jinping\n"),
        ("notes/a.md", "@putin met @xi-jinping.\n"),
    ]);
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, Vec::<String>::new());
    assert_eq!(code, 0);

    // Delete the definition (a near id remains): unknown, with a suggestion.
    write(ws.path(), "actors.md", b"@putin: Vladimir Putin\n@xi-jinpin: Xi Jinping\n");
    let (Run { code, .. }, findings) = check_json(ws.path(), &[]);
    assert_eq!(
        Value::Array(findings),
        json!([{
            "path": "notes/a.md",
            "line": 1,
            "column": 12,
            "end_line": 1,
            "end_column": 23,
            "severity": "error",
            "rule": "unknown-actor",
            "message": "unknown actor `@xi-jinping`: did you mean `@xi-jinpin`? \
                        Otherwise define it with a line `@xi-jinping: Name` (e.g. in actors.md)",
        }])
    );
    assert_eq!(code, 1);

    // No near id: no suggestion.
    write(ws.path(), "actors.md", b"@putin: Vladimir Putin\n");
    let (_, findings) = check_json(ws.path(), &[]);
    assert_eq!(
        findings[0]["message"],
        "unknown actor `@xi-jinping`: define it with a line `@xi-jinping: Name` (e.g. in actors.md)"
    );
}

#[test]
fn sources_and_claims_resolve_across_files() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("sources/reuters.md", "^reuters-2014-05-21: Gas deal signed\n  reliability: B2\n"),
        ("notes/a.md", "{Deal signed | ^reuters-2014-05-21(p. 3) #deal}\n"),
        ("notes/b.md", "{Prices will rise | kind:forecast est:likely supports:#deal contradicts:#nope}\n"),
    ]);
    let (Run { code, .. }, findings) = check_json(ws.path(), &[]);
    assert_eq!(briefs(&findings), ["notes/b.md:1:73-1:78 error[unknown-claim]"]);
    assert!(findings[0]["message"].as_str().unwrap().starts_with("unknown claim `#nope`"), "{}", findings[0]);
    assert_eq!(code, 1);
}

// ------------------------------------------- bad input never stops the rest

/// The valid note every bad-input test also holds, and what it reports.
const VALID: (&str, &str) = ("notes/ok.md", "Met @nobody.\n");
const VALID_FINDING: &str = "notes/ok.md:1:5-1:12 error[unknown-actor]";

#[test]
fn invalid_utf8_is_reported_at_the_first_bad_byte() {
    let ws = workspace(&[("dossier.toml", ""), VALID]);
    // Line 2; `ñé` are two characters (four bytes) before the bad byte.
    write(ws.path(), "bad.md", b"first line \xc3\xa9\nn\xc3\xb1\xc3\xa9\xff more \xfe\n");
    let (Run { code, .. }, findings) = check_json(ws.path(), &[]);
    assert_eq!(briefs(&findings), ["bad.md:2:4-2:5 error[invalid-utf8]", VALID_FINDING]);
    assert!(findings[0]["message"].as_str().unwrap().contains("UTF-8"), "{}", findings[0]);
    assert_eq!(code, 1);

    // The file is otherwise skipped: its (lossy) content defines nothing and reports nothing else.
    write(ws.path(), "bad.md", b"{Unsourced} @nobody \xff\n@ghost: Ghost\n");
    let (_, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["bad.md:1:21-1:22 error[invalid-utf8]", VALID_FINDING]);
}

#[test]
fn invalid_utf8_in_a_truncated_sequence_at_the_end() {
    let ws = workspace(&[("dossier.toml", ""), VALID]);
    write(ws.path(), "bad.md", b"ok\n\xe2\x82");
    let (_, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings[0], "bad.md:2:1-2:2 error[invalid-utf8]");
    assert_eq!(findings[1..], [VALID_FINDING]);
}

#[test]
fn a_directory_named_like_a_note_is_reported() {
    let ws = workspace(&[("dossier.toml", ""), VALID, ("x.md/inner.md", "{Inside}\n")]);
    let (Run { code, .. }, findings) = check_json(ws.path(), &[]);
    assert_eq!(
        briefs(&findings),
        [
            "notes/ok.md:1:5-1:12 error[unknown-actor]",
            "x.md:1:1-1:1 error[unreadable-file]",
            "x.md/inner.md:1:1-1:9 warning[unsourced-claim]"
        ]
    );
    assert!(findings[1]["message"].as_str().unwrap().contains("directory"), "{}", findings[1]);
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_without_hanging() {
    let ws = workspace(&[("dossier.toml", ""), VALID]);
    std::fs::create_dir(ws.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("..", ws.path().join("loop/up")).unwrap();
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["loop/up:1:1-1:1 error[unreadable-file]", VALID_FINDING]);
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn a_self_referencing_symlink_is_reported() {
    let ws = workspace(&[("dossier.toml", ""), VALID]);
    std::os::unix::fs::symlink("self.md", ws.path().join("self.md")).unwrap();
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, [VALID_FINDING, "self.md:1:1-1:1 error[unreadable-file]"]);
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_is_reported() {
    let ws = workspace(&[("dossier.toml", ""), VALID]);
    std::os::unix::fs::symlink("nothere.md", ws.path().join("gone.md")).unwrap();
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["gone.md:1:1-1:1 error[unreadable-file]", VALID_FINDING]);
    assert_eq!(code, 1);
    // Named on the command line, too.
    let (code, findings) = check_brief(ws.path(), &["gone.md", "notes/ok.md"]);
    assert_eq!(findings, ["gone.md:1:1-1:1 error[unreadable-file]", VALID_FINDING]);
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_named_without_a_config_is_reported() {
    // No dossier.toml: the path given is its own root. It exists (as a
    // link), so it is not a missing path; it must not vanish silently.
    let dir = workspace(&[VALID]);
    std::os::unix::fs::symlink("nothere.md", dir.path().join("gone.md")).unwrap();
    let (code, findings) = check_brief(dir.path(), &["gone.md", "notes/ok.md"]);
    assert_eq!(findings, ["gone.md:1:1-1:1 error[unreadable-file]", VALID_FINDING]);
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn all_bad_inputs_together_and_the_valid_note_still_reported() {
    let ws = workspace(&[("dossier.toml", ""), VALID, ("x.md/.keep", "")]);
    write(ws.path(), "bad.md", b"\xff\n");
    std::fs::create_dir(ws.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("..", ws.path().join("loop/up")).unwrap();
    std::os::unix::fs::symlink("nothere.md", ws.path().join("gone.md")).unwrap();
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(
        findings,
        [
            "bad.md:1:1-1:2 error[invalid-utf8]",
            "gone.md:1:1-1:1 error[unreadable-file]",
            "loop/up:1:1-1:1 error[unreadable-file]",
            VALID_FINDING,
            "x.md:1:1-1:1 error[unreadable-file]",
        ]
    );
    assert_eq!(code, 1);
    // The human report shows each, and counts every path it looked at.
    let stdout = run(ws.path(), &["check"]).stdout;
    assert_eq!(stdout.lines().last(), Some("5 errors, 0 warnings in 5 files"));
}

#[cfg(unix)]
#[test]
fn messages_about_bad_paths_do_not_leak_absolute_paths() {
    // SPEC §4: paths are shown relative to the current folder. The messages
    // of the path problems should not print the absolute temp path (nor an
    // internal "IO error for operation on …" wording).
    let ws = workspace(&[("dossier.toml", ""), VALID]);
    std::fs::create_dir(ws.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("..", ws.path().join("loop/up")).unwrap();
    std::os::unix::fs::symlink("nothere.md", ws.path().join("gone.md")).unwrap();
    let root = ws.path().to_str().unwrap();
    let (_, findings) = check_json(ws.path(), &[]);
    for finding in &findings {
        let message = finding["message"].as_str().unwrap();
        assert!(!message.contains(root), "absolute path in: {message}");
        assert!(!message.contains("IO error for operation"), "internal wording in: {message}");
    }
}

// ---------------------------------------------------- multi-line and CRLF

#[test]
fn a_claim_spanning_two_lines_reports_its_start_and_end_lines() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "Intro.\nSo {the gas\ndeal was signed} @nobody\n")]);
    let (Run { code, .. }, findings) = check_json(ws.path(), &[]);
    assert_eq!(briefs(&findings), ["a.md:2:4-3:17 warning[unsourced-claim]", "a.md:3:18-3:25 error[unknown-actor]"]);
    assert_eq!(code, 1);
    // The human report shows both lines of the claim.
    let stdout = run(ws.path(), &["check"]).stdout;
    assert!(stdout.starts_with(&format!("a.md:2:4: warning[unsourced-claim]: {UNSOURCED}\n")), "{stdout}");
    let block = "  |\n2 |   So {the gas\n  |  ____^\n3 | | deal was signed} @nobody\n  | |________________^\n";
    assert!(stdout.contains(block), "{stdout}");
    // GitHub annotations span the two lines too.
    let stdout = run(ws.path(), &["check", "--format", "github"]).stdout;
    assert!(
        stdout.starts_with("::warning file=a.md,line=2,col=4,endLine=3,endColumn=17,title=unsourced-claim::"),
        "{stdout}"
    );
}

#[test]
fn an_unclosed_claim_is_reported_on_its_brace() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "Intro.\nSo {the gas\n\ndeal.\n")]);
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["a.md:2:4-2:5 error[unclosed-claim]"]);
    assert_eq!(code, 1);
}

#[test]
fn crlf_line_endings_give_the_same_positions_as_lf() {
    let lf = "Intro.\nSo {the gas\ndeal was signed} @nobody\n’ — 😀 {Solo}\n{Open\n\n";
    let crlf = lf.replace('\n', "\r\n");
    let lf_ws = workspace(&[("dossier.toml", ""), ("a.md", lf)]);
    let crlf_ws = workspace(&[("dossier.toml", ""), ("a.md", &crlf)]);
    let (Run { code: lf_code, .. }, lf_findings) = check_json(lf_ws.path(), &[]);
    let (Run { code: crlf_code, .. }, crlf_findings) = check_json(crlf_ws.path(), &[]);
    assert_eq!(
        briefs(&lf_findings),
        [
            "a.md:2:4-3:17 warning[unsourced-claim]",
            "a.md:3:18-3:25 error[unknown-actor]",
            "a.md:4:7-4:13 warning[unsourced-claim]",
            "a.md:5:1-5:2 error[unclosed-claim]",
        ]
    );
    assert_eq!(crlf_findings, lf_findings);
    assert_eq!(crlf_code, lf_code);

    // The human report shows no stray carriage returns.
    let lf_human = run(lf_ws.path(), &["check"]).stdout;
    let crlf_human = run(crlf_ws.path(), &["check"]).stdout;
    assert!(!crlf_human.contains('\r'), "{crlf_human:?}");
    assert_eq!(crlf_human, lf_human);
    let lf_github = run(lf_ws.path(), &["check", "--format", "github"]).stdout;
    let crlf_github = run(crlf_ws.path(), &["check", "--format", "github"]).stdout;
    assert_eq!(crlf_github, lf_github);
}

#[test]
fn a_utf8_bom_is_not_a_column_and_does_not_hide_front_matter() {
    // Files saved as "UTF-8 with BOM" (Windows editors). Editors do not show
    // the BOM nor count it as a column (VS Code strips it from the document
    // the language server sees), so the CLI's columns must not count it
    // either, and a `---` right after it still opens the front matter (§1).
    let ws = workspace(&[("dossier.toml", ""), VALID]);
    write(ws.path(), "bom.md", "\u{feff}{Unsourced}\n".as_bytes());
    write(ws.path(), "fm.md", "\u{feff}---\ntitle: {not a claim} @not-a-mention\n---\nProse.\n".as_bytes());
    let (_, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, ["bom.md:1:1-1:12 warning[unsourced-claim]", VALID_FINDING]);
}

// ------------------------------------------------------------------ stderr

#[test]
fn a_successful_run_writes_nothing_to_stderr() {
    // CI logs and editors read stderr as errors: a normal run keeps it quiet.
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "{Unsourced} @nobody\n")]);
    for format in ["human", "json", "github", "gitlab"] {
        let stderr = run(ws.path(), &["check", "--format", format]).stderr;
        assert_eq!(stderr, "", "--format {format}");
    }
}

/// A note reached by several paths is one note: `link.md -> n.md` and
/// `actors-link.md -> actors.md` inside the workspace add nothing — no
/// duplicate of `@a`, `n.md`'s finding once. So does a folder linked in.
#[cfg(unix)]
#[test]
fn a_note_reached_through_a_symbolic_link_is_checked_once() {
    let note = "’ — Кремль 中俄 😀 See @a here. {An unsourced claim}\n";
    let ws = workspace(&[("dossier.toml", ""), ("actors.md", "@a: A\n"), ("n.md", note)]);
    // Columns in characters, 1-based, the end just past the `}`.
    let start = note[..note.find('{').unwrap()].chars().count() + 1;
    let unsourced = format!("n.md:1:{start}-1:{} warning[unsourced-claim]", start + "{An unsourced claim}".len());
    std::os::unix::fs::symlink("n.md", ws.path().join("link.md")).unwrap();
    std::os::unix::fs::symlink("actors.md", ws.path().join("actors-link.md")).unwrap();
    std::fs::create_dir(ws.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("..", ws.path().join("sub/up")).unwrap();
    let (code, findings) = check_brief(ws.path(), &[]);
    assert_eq!(findings, [unsourced.as_str(), "sub/up:1:1-1:1 error[unreadable-file]"]);
    assert_eq!(code, 1);
    // Named by its link, it is still the one note, under its own name.
    let (_, findings) = check_brief(ws.path(), &["link.md"]);
    assert_eq!(findings, [unsourced.as_str()]);
    // A note linked in from outside the workspace is checked under the
    // link's name, as before.
    let outside = workspace(&[("far.md", "{Far away}\n")]);
    std::os::unix::fs::symlink(outside.path().join("far.md"), ws.path().join("far-link.md")).unwrap();
    let (_, findings) = check_brief(ws.path(), &[]);
    assert_eq!(
        findings,
        ["far-link.md:1:1-1:11 warning[unsourced-claim]", unsourced.as_str(), "sub/up:1:1-1:1 error[unreadable-file]"]
    );
}
