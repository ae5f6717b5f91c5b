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
