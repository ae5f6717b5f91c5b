//! End-to-end tests of `dossier rules [ID]` and `dossier init [DIR]`
//! (SPEC §9.2). The rule list is compared with the library's own table, and
//! every rule's two examples are checked with `dossier check`: the one that
//! fires must report the rule, the near miss must not. That keeps the
//! documentation printed by `dossier rules` honest.

use dossier::rule::{Rule, example_files};

use crate::support::{check_json, run, tempdir, workspace, write};

fn rules_in(findings: &[serde_json::Value]) -> Vec<String> {
    findings.iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

// ------------------------------------------------------------ dossier rules

#[test]
fn rules_lists_every_rule_in_table_order_with_its_default_severity() {
    let dir = tempdir();
    let out = run(dir.path(), &["rules"]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(out.stderr, "");
    let listed: Vec<(String, String, String)> = out
        .stdout
        .lines()
        .map(|line| {
            let mut words = line.split_whitespace();
            let id = words.next().unwrap().to_string();
            let severity = words.next().unwrap().to_string();
            (id, severity, words.collect::<Vec<_>>().join(" "))
        })
        .collect();
    let expected: Vec<(String, String, String)> = Rule::ALL
        .iter()
        .map(|r| (r.id().to_string(), r.default_severity().as_str().to_string(), r.summary().to_string()))
        .collect();
    assert_eq!(listed, expected);
    // Aligned: every description starts in the same column.
    let columns: Vec<usize> =
        out.stdout.lines().zip(Rule::ALL).map(|(line, rule)| line.find(rule.summary()).unwrap()).collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "not aligned:\n{}", out.stdout);
}

#[test]
fn rules_id_explains_one_rule_with_both_examples() {
    let dir = tempdir();
    let out = run(dir.path(), &["rules", "unsourced-claim"]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(out.stderr, "");
    let text = &out.stdout;
    assert!(text.starts_with("unsourced-claim (warning by default)\n"), "{text}");
    assert!(text.contains(Rule::UnsourcedClaim.explanation()), "{text}");
    let fires = text.find("\nFires:\n").expect("a Fires: section");
    let passes = text.find("\nDoes not fire:\n").expect("a Does not fire: section");
    assert!(fires < passes);
    assert!(text[fires..passes].contains("    {@putin signed}\n"), "{text}");
    assert!(text[passes..].contains("    {a | kind:assessment conf:low}\n"), "{text}");
}

#[test]
fn rules_explains_every_rule() {
    let dir = tempdir();
    for rule in Rule::ALL {
        let out = run(dir.path(), &["rules", rule.id()]);
        assert_eq!(out.code, 0, "{}: {}", rule.id(), out.stderr);
        assert!(out.stdout.contains("\nFires:\n") && out.stdout.contains("\nDoes not fire:\n"), "{}", out.stdout);
        let first_fires_line = rule.example_fires().lines().next().unwrap();
        assert!(out.stdout.contains(&format!("    {first_fires_line}\n")), "{}", out.stdout);
    }
}

#[test]
fn rules_with_an_unknown_id_is_a_usage_error_in_one_line() {
    let dir = tempdir();
    let out = run(dir.path(), &["rules", "unsourced-claims"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("`unsourced-claims`") && out.stderr.contains("`dossier rules`"), "{}", out.stderr);
}

/// The table's promise: each runnable example that fires reports its rule
/// under `dossier check`, and each near miss does not.
#[test]
fn every_rules_examples_fire_and_miss_as_the_table_says() {
    let mut failures = Vec::new();
    for rule in Rule::ALL.iter().filter(|r| r.examples_runnable()) {
        for (example, should_fire) in [(rule.example_fires(), true), (rule.example_passes(), false)] {
            let files = example_files(example);
            let pairs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let ws = workspace(&pairs);
            let (out, findings) = check_json(ws.path(), &["--hints", "."]);
            let found = rules_in(&findings);
            if found.iter().any(|id| id == rule.id()) != should_fire {
                failures.push(format!(
                    "{} {}: exit {}, found {found:?}\n{example}",
                    rule.id(),
                    if should_fire { "does not fire on its example" } else { "fires on its near miss" },
                    out.code
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The examples that text cannot stand for, made by hand as they describe.
#[test]
fn the_examples_that_are_not_plain_text_hold_too() {
    assert!(!Rule::InvalidConfig.examples_runnable());
    // invalid-config: `dossier check` exits 2 on the bad value, 0 on the good one.
    for (example, code) in [(Rule::InvalidConfig.example_fires(), 2), (Rule::InvalidConfig.example_passes(), 0)] {
        let files = example_files(example);
        let pairs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let ws = workspace(&pairs);
        let out = run(ws.path(), &["check", "."]);
        assert_eq!(out.code, code, "{example}\n{}{}", out.stdout, out.stderr);
        if code == 2 {
            assert!(out.stderr.contains("unsourced-claim"), "{}", out.stderr);
        }
    }

    // invalid-utf8: Latin-1 bytes fire, UTF-8 text does not.
    let ws = tempdir();
    write(ws.path(), "note.md", b"caf\xE9\n");
    let (_, findings) = check_json(ws.path(), &["--hints", "."]);
    assert!(rules_in(&findings).contains(&"invalid-utf8".to_string()), "{findings:?}");
    let ws = tempdir();
    write(ws.path(), "note.md", "’ — Кремль 中俄 😀 café\n".as_bytes());
    let (_, findings) = check_json(ws.path(), &["--hints", "."]);
    assert!(!rules_in(&findings).contains(&"invalid-utf8".to_string()), "{findings:?}");

    // unreadable-file: a dangling link fires, a link to a note does not.
    let ws = tempdir();
    std::os::unix::fs::symlink("missing.md", ws.path().join("note.md")).unwrap();
    let (_, findings) = check_json(ws.path(), &["--hints", "."]);
    assert!(rules_in(&findings).contains(&"unreadable-file".to_string()), "{findings:?}");
    let ws = tempdir();
    write(ws.path(), "a.md", b"text\n");
    std::os::unix::fs::symlink("a.md", ws.path().join("note.md")).unwrap();
    let (_, findings) = check_json(ws.path(), &["--hints", "."]);
    assert!(!rules_in(&findings).contains(&"unreadable-file".to_string()), "{findings:?}");
}

// ------------------------------------------------------------- dossier init

const STARTER: [&str; 3] = ["dossier.toml", "actors.md", "sources.md"];

#[test]
fn init_writes_a_starter_that_checks_clean_even_with_hints() {
    let dir = tempdir();
    let out = run(dir.path(), &["init", "new/ws"]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let ws = dir.path().join("new/ws");
    for name in STARTER {
        assert!(ws.join(name).is_file(), "{name} not written");
    }
    let toml = std::fs::read_to_string(ws.join("dossier.toml")).unwrap();
    assert!(toml.contains("# [files]") && toml.contains("# [rules]"), "{toml}");
    let (out, findings) = check_json(dir.path(), &["--hints", "new/ws"]);
    assert_eq!((out.code, findings.len()), (0, 0), "{findings:?}\n{}", out.stderr);
    let out = run(dir.path(), &["check", "new/ws"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn init_defaults_to_the_current_folder() {
    let dir = tempdir();
    let out = run(dir.path(), &["init"]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    for name in STARTER {
        assert!(dir.path().join(name).is_file(), "{name} not written");
    }
    let (out, findings) = check_json(dir.path(), &["--hints"]);
    assert_eq!((out.code, findings.len()), (0, 0), "{findings:?}");
}

#[test]
fn init_writes_nothing_when_one_of_the_files_exists() {
    let dir = tempdir();
    write(dir.path(), "actors.md", b"@mine: Mine\n");
    let out = run(dir.path(), &["init", "."]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("actors.md"), "{}", out.stderr);
    assert!(!dir.path().join("dossier.toml").exists());
    assert!(!dir.path().join("sources.md").exists());
    assert_eq!(std::fs::read_to_string(dir.path().join("actors.md")).unwrap(), "@mine: Mine\n");
}

#[test]
fn rules_id_lists_the_fixes_of_the_rule_from_the_fix_table() {
    let dir = tempdir();
    for rule in Rule::ALL {
        let out = run(dir.path(), &["rules", rule.id()]);
        let fixes: Vec<_> = dossier::analysis::Fix::of_rule(*rule).collect();
        if fixes.is_empty() {
            assert!(out.stdout.contains("\nFixes: none; the message says what to do.\n"), "{}", out.stdout);
        }
        for fix in fixes {
            let line = format!("  - {} ({}: {})\n", fix.does(), fix.safety().as_str(), fix.why());
            assert!(out.stdout.contains(&line), "{}: {line}\n{}", rule.id(), out.stdout);
        }
    }
    let out = run(dir.path(), &["rules", "invalid-metadata"]);
    assert!(out.stdout.contains("(`conf:hgh` → `conf:high`) (safe: "), "{}", out.stdout);
}
