//! The example workspace's findings are pinned: a change to the markup, the
//! rules or the example that alters them shows up here.

use std::path::Path;

use crate::support::{Run, parse_findings, run_with_env};

/// `dossier <args>` run from the repository's root, on a fixed day (the
/// example's overdue forecast was due in 2015: overdue on any day since).
fn in_repository(args: &[&str]) -> Run {
    run_with_env(Path::new(env!("CARGO_MANIFEST_DIR")), args, &[("DOSSIER_TODAY", "2026-01-15")])
}

#[test]
fn example_workspace_findings_are_pinned() {
    let output = in_repository(&["check", "examples/china-russia", "--hints", "--format", "json"]);
    insta::assert_snapshot!("china_russia_json", output.stdout);
    // The demo keeps a deliberate unsourced claim, and nothing worse.
    assert_eq!(output.code, 0, "stderr: {}", output.stderr);
    let findings = parse_findings(&output);
    assert!(findings.iter().any(|f| f["rule"] == "unsourced-claim" && f["severity"] == "warning"));
    assert!(findings.iter().all(|f| f["severity"] != "error"));
    // Every rule about sources and forecasts shows there.
    for rule in ["ungraded-source", "thin-sourcing", "overdue-forecast"] {
        assert!(findings.iter().any(|f| f["rule"] == rule), "{rule}");
    }
}

#[test]
fn example_workspace_human_report() {
    insta::assert_snapshot!("china_russia_human", in_repository(&["check", "examples/china-russia"]).stdout);
}

/// docs/cli.md shows `dossier stats` and `dossier export --format mermaid`
/// on the example as they print (on the day that page names).
#[test]
fn the_stats_and_export_samples_in_the_docs_are_real_output() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md")).unwrap();
    assert!(docs.contains("`DOSSIER_TODAY=2026-01-15 dossier stats examples/china-russia`"));
    let stats = in_repository(&["stats", "examples/china-russia"]);
    assert_eq!((stats.code, stats.stderr.as_str()), (0, ""));
    assert!(docs.contains(&format!("```text\n{}```", stats.stdout)), "docs/cli.md lacks:\n{}", stats.stdout);
    let mermaid = in_repository(&["export", "examples/china-russia", "--format", "mermaid"]);
    assert_eq!(mermaid.code, 0);
    let start: String = mermaid.stdout.split_inclusive('\n').take(4).collect();
    assert!(docs.contains(&format!("```text\n{start}```")), "docs/cli.md lacks:\n{start}");
}
