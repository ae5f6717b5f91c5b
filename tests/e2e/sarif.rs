//! End-to-end tests of `dossier check --format sarif` (SPEC §9.2): every
//! log is validated against the published SARIF 2.1.0 JSON schema (a copy in
//! tests/data, see its README), formats included, and its contents are
//! compared exactly: the tool with every rule of the rule table, the
//! results' levels, messages and regions (columns in code points after
//! non-ASCII text), and the relative, percent-encoded URIs.

use std::path::Path;
use std::sync::OnceLock;

use dossier::rule::{Rule, Severity};
use serde_json::{Value, json};

use crate::support::{Run, run, workspace};

const SCHEMA_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sarif-schema-2.1.0.json");
const RULES_DOC: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md#");
const UNSOURCED: &str = "claim cites no source: add `| ^source-key` before its closing brace";

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(SCHEMA_PATH).unwrap();
        // The published pattern of `language` (of a run and of a tool
        // component) has a stray `]`, a literal in ECMA-262
        // patterns that the validator's meta-schema check (formats on)
        // refuses; escaped, it means the same. Dossier writes no `language`.
        let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
        assert_eq!(text.matches(stray).count(), 2, "the schema's known erratum moved");
        let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
        let schema: Value = serde_json::from_str(&text).unwrap();
        // Formats are checked too: `uri` (helpUri, informationUri) and
        // `uri-reference` (the results' URIs).
        jsonschema::options().should_validate_formats(true).build(&schema).expect("the SARIF schema compiles")
    })
}

/// Fails the test, listing every violation, unless `log` is valid SARIF 2.1.0.
fn assert_valid(log: &Value) {
    let errors: Vec<String> = validator().iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "not valid SARIF 2.1.0:\n{}\n{log:#}", errors.join("\n"));
}

/// `dossier check --format sarif <args>` in `dir`: exit code and the log,
/// validated against the schema.
fn check_sarif(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "sarif"];
    all.extend_from_slice(args);
    let Run { code, stdout, stderr, .. } = run(dir, &all);
    assert_eq!(stderr, "", "a successful run writes nothing to stderr");
    let log: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    assert_valid(&log);
    (code, log)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// The tool as it must be: every rule of the table, in its order.
fn expected_driver() -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id(),
                "shortDescription": { "text": rule.summary() },
                "fullDescription": { "text": rule.explanation() },
                "help": { "text": rule.explanation() },
                "helpUri": format!("{RULES_DOC}{}", rule.id()),
                "defaultConfiguration": { "level": level(rule.default_severity()) },
            })
        })
        .collect();
    json!({
        "name": "dossier",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": env!("CARGO_PKG_REPOSITORY"),
        "rules": rules,
    })
}

fn result(rule: Rule, level: &str, message: &str, uri: &str, region: [usize; 4]) -> Value {
    json!({
        "ruleId": rule.id(),
        "ruleIndex": Rule::ALL.iter().position(|&r| r == rule).unwrap(),
        "level": level,
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
                "region": {
                    "startLine": region[0],
                    "startColumn": region[1],
                    "endLine": region[2],
                    "endColumn": region[3],
                },
            },
        }],
    })
}

/// `(ruleId, level, uri, [startLine, startColumn, endLine, endColumn])` of each result.
fn brief(log: &Value) -> Vec<(String, String, String, [u64; 4])> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            let region = &location["region"];
            let n = |key: &str| region[key].as_u64().unwrap();
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["level"].as_str().unwrap().to_string(),
                location["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                [n("startLine"), n("startColumn"), n("endLine"), n("endColumn")],
            )
        })
        .collect()
}

fn b(rule: &str, level: &str, uri: &str, region: [u64; 4]) -> (String, String, String, [u64; 4]) {
    (rule.to_string(), level.to_string(), uri.to_string(), region)
}

#[test]
fn the_whole_log_of_a_small_workspace_after_non_ascii_text() {
    // A curly quote, an em dash, Cyrillic, CJK and an emoji outside the BMP
    // (one column: one code point, though 4 bytes and 2 UTF-16 units)
    // before the findings; a claim over two lines.
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n  kind: person\n"),
        ("notes/a.md", "# Gas\n\n’ — Кремль 中俄 🛢 {Gas deal signed by @putin.} 🛢 @xi\n{Price\nagreed}\n"),
    ]);
    let (code, log) = check_sarif(ws.path(), &[]);
    let expected = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": expected_driver() },
            "columnKind": "unicodeCodePoints",
            "results": [
                result(Rule::UnsourcedClaim, "warning", UNSOURCED, "notes/a.md", [3, 17, 3, 45]),
                result(
                    Rule::UnknownActor,
                    "error",
                    "unknown actor `@xi`: define it with a line `@xi: Name` (e.g. in actors.md)",
                    "notes/a.md",
                    [3, 48, 3, 51],
                ),
                result(Rule::UnsourcedClaim, "warning", UNSOURCED, "notes/a.md", [4, 1, 5, 8]),
            ],
        }],
    });
    assert_eq!(log, expected, "{log:#}");
    assert_eq!(code, 1);
}

#[test]
fn the_tool_lists_every_rule_of_the_table_with_its_documentation() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "Plain prose.\n")]);
    let (_, log) = check_sarif(ws.path(), &[]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let table: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(ids, table);
    for (descriptor, rule) in rules.iter().zip(Rule::ALL) {
        assert_eq!(descriptor["defaultConfiguration"]["level"], level(rule.default_severity()), "{}", rule.id());
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary());
    }
    // Each helpUri's anchor is a rule's heading in docs/rules.md.
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    for descriptor in rules {
        let uri = descriptor["helpUri"].as_str().unwrap();
        let anchor = uri.strip_prefix(RULES_DOC).unwrap_or_else(|| panic!("{uri}"));
        assert!(doc.lines().any(|l| l == format!("## `{anchor}`")), "docs/rules.md has no section for {uri}");
    }
}

#[test]
fn levels_follow_the_severity_and_hints_need_the_flag() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@putin: Vladimir Putin\n@xi: Xi Jinping\n"),
        ("sources.md", "^tabloid: Daily Rumour\n  reliability: E5\n"),
        ("notes/a.md", "{Gas deal | ^tabloid}\n{Price agreed by @putin}\nMet @putn.\n"),
    ]);
    let (code, log) = check_sarif(ws.path(), &[]);
    assert_eq!(
        brief(&log),
        [
            b("weak-sourcing", "note", "notes/a.md", [1, 1, 1, 22]),
            b("unsourced-claim", "warning", "notes/a.md", [2, 1, 2, 25]),
            b("unknown-actor", "error", "notes/a.md", [3, 5, 3, 10]),
        ]
    );
    assert_eq!(code, 1);
    // With --hints, the hint (an unused actor) is a note too.
    let (code, log) = check_sarif(ws.path(), &["--hints"]);
    assert_eq!(
        brief(&log),
        [
            b("unused-definition", "note", "actors.md", [2, 1, 2, 4]),
            b("weak-sourcing", "note", "notes/a.md", [1, 1, 1, 22]),
            b("unsourced-claim", "warning", "notes/a.md", [2, 1, 2, 25]),
            b("unknown-actor", "error", "notes/a.md", [3, 5, 3, 10]),
        ]
    );
    assert_eq!(code, 1);
    // Every ruleIndex points at its rule in the tool.
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    for r in log["runs"][0]["results"].as_array().unwrap() {
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], r["ruleId"]);
    }
}

#[test]
fn a_level_set_in_dossier_toml_is_the_results_level_not_the_rules_default() {
    let ws = workspace(&[
        ("dossier.toml", "[rules]\nunsourced-claim = \"error\"\nunknown-actor = \"hint\"\n"),
        ("a.md", "{Unsourced} @nobody\n"),
    ]);
    let (code, log) = check_sarif(ws.path(), &[]);
    assert_eq!(brief(&log), [b("unsourced-claim", "error", "a.md", [1, 1, 1, 12])]);
    assert_eq!(code, 1);
    let (_, log) = check_sarif(ws.path(), &["--hints"]);
    assert_eq!(
        brief(&log),
        [b("unsourced-claim", "error", "a.md", [1, 1, 1, 12]), b("unknown-actor", "note", "a.md", [1, 13, 1, 20])]
    );
    let unsourced = &log["runs"][0]["tool"]["driver"]["rules"][Rule::UnsourcedClaim as usize];
    assert_eq!(unsourced["defaultConfiguration"]["level"], "warning");
}

#[test]
fn a_clean_workspace_gives_an_empty_result_list() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "Plain prose.\n")]);
    let (code, log) = check_sarif(ws.path(), &[]);
    assert_eq!(log["runs"].as_array().unwrap().len(), 1);
    assert_eq!(log["runs"][0]["results"], json!([]));
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
    assert_eq!(code, 0);
}

#[test]
fn uris_are_relative_and_percent_encoded() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("notes and drafts/Кремль 中俄 🛢.md", "{Unsourced}\n"),
        ("50%#1?.md", "{Unsourced}\n"),
    ]);
    let (_, log) = check_sarif(ws.path(), &[]);
    let uris: Vec<String> = brief(&log).into_iter().map(|(_, _, uri, _)| uri).collect();
    assert_eq!(
        uris,
        [
            "50%25%231%3F.md",
            "notes%20and%20drafts/%D0%9A%D1%80%D0%B5%D0%BC%D0%BB%D1%8C%20%E4%B8%AD%E4%BF%84%20%F0%9F%9B%A2.md",
        ]
    );
    // Run from below, a path outside the current folder climbs with `..`.
    let (_, log) = check_sarif(&ws.path().join("notes and drafts"), &[".."]);
    let uris: Vec<String> = brief(&log).into_iter().map(|(_, _, uri, _)| uri).collect();
    assert_eq!(uris[0], "../50%25%231%3F.md");
}

#[test]
fn exit_codes_are_those_of_the_other_formats() {
    let warnings_only = workspace(&[("dossier.toml", ""), ("a.md", "{Unsourced}\n")]);
    assert_eq!(check_sarif(warnings_only.path(), &[]).0, 0);
    assert_eq!(check_sarif(warnings_only.path(), &["--deny", "warnings"]).0, 1);
    let error = workspace(&[("dossier.toml", ""), ("a.md", "@nobody\n")]);
    assert_eq!(check_sarif(error.path(), &[]).0, 1);
    let bad_config = workspace(&[("dossier.toml", "[rules]\nunsourced = \"error\"\n"), ("a.md", "{x}\n")]);
    let Run { code, stdout, stderr, .. } = run(bad_config.path(), &["check", "--format", "sarif"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr, "error: dossier.toml:2:1: unknown rule `unsourced` in `[rules]`\n");
}

#[test]
fn the_schema_rejects_what_it_must() {
    // The validator is not a rubber stamp: a column 0, a level SARIF does
    // not have, a non-URI `helpUri`, an unknown column kind and a path with
    // a raw space for a URI are each refused.
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "{Unsourced}\n")]);
    let (_, log) = check_sarif(ws.path(), &[]);
    for (pointer, bad) in [
        ("/runs/0/results/0/locations/0/physicalLocation/region/startColumn", json!(0)),
        ("/runs/0/results/0/level", json!("hint")),
        ("/runs/0/tool/driver/rules/0/helpUri", json!("not a uri")),
        ("/runs/0/columnKind", json!("characters")),
        ("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri", json!("notes and drafts/a.md")),
    ] {
        let mut broken = log.clone();
        *broken.pointer_mut(pointer).unwrap() = bad;
        assert!(!validator().is_valid(&broken), "{pointer} was accepted");
    }
}
