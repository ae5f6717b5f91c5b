//! The example workspace's findings are pinned: a change to the markup, the
//! rules or the example that alters them shows up here.

use std::process::Command;

#[test]
fn example_workspace_findings_are_pinned() {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "examples/china-russia", "--hints", "--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("dossier runs");
    let stdout = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("china_russia_json", stdout);
    // The demo keeps a deliberate unsourced claim, and nothing worse.
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let findings: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert!(findings.iter().any(|f| f["rule"] == "unsourced-claim" && f["severity"] == "warning"));
    assert!(findings.iter().all(|f| f["severity"] != "error"));
}

#[test]
fn example_workspace_human_report() {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "examples/china-russia"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("dossier runs");
    insta::assert_snapshot!("china_russia_human", String::from_utf8(output.stdout).unwrap());
}
