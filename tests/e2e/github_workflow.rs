//! The GitHub Actions workflow example, `docs/examples/github-workflow.yml`:
//! docs/cli.md shows it unchanged, it is valid against GitHub's workflow
//! schema (`check-jsonschema --builtin-schema vendor.github-workflows`,
//! from PyPI), and its `dossier check` steps, run by bash as the runner
//! would, do what their comments say.
//!
//! Without `check-jsonschema` on the PATH the schema test is skipped (it
//! says so and passes), unless `DOSSIER_REQUIRE_CHECK_JSONSCHEMA=1`, as in
//! CI, where it fails instead.

use std::path::Path;
use std::process::Command;

use crate::support::{DOSSIER, tempdir, workspace, write};

const WORKFLOW: &str = include_str!("../../docs/examples/github-workflow.yml");
const CLI_DOC: &str = include_str!("../../docs/cli.md");

#[test]
fn docs_show_the_workflow_file_unchanged() {
    let block = format!("```yaml\n{WORKFLOW}```\n");
    assert!(CLI_DOC.contains(&block), "docs/cli.md must show docs/examples/github-workflow.yml unchanged");
}

/// `check-jsonschema --builtin-schema vendor.github-workflows FILE`:
/// `None` when the tool cannot be run (and that is allowed), else whether
/// the file is valid, with the tool's output.
fn check_workflow(file: &Path) -> Option<(bool, String)> {
    let output =
        match Command::new("check-jsonschema").args(["--builtin-schema", "vendor.github-workflows"]).arg(file).output()
        {
            Ok(output) => output,
            Err(why) => {
                assert!(
                    std::env::var("DOSSIER_REQUIRE_CHECK_JSONSCHEMA").as_deref() != Ok("1"),
                    "DOSSIER_REQUIRE_CHECK_JSONSCHEMA=1 but check-jsonschema is unavailable: {why}"
                );
                eprintln!("skipped: the workflow schema test needs `check-jsonschema` on the PATH ({why})");
                return None;
            }
        };
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Some((output.status.success(), text))
}

#[test]
fn the_workflow_is_valid_against_githubs_schema() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/github-workflow.yml");
    let Some((valid, output)) = check_workflow(&file) else { return };
    assert!(valid, "{output}");
    assert!(output.contains("ok -- validation done"), "{output}");
    // The check is not a rubber stamp: a misspelt key is refused.
    let dir = tempdir();
    let broken = WORKFLOW.replacen("runs-on:", "run-on:", 1);
    write(dir.path(), "broken.yml", broken.as_bytes());
    let (valid, output) = check_workflow(&dir.path().join("broken.yml")).unwrap();
    assert!(!valid, "a workflow without `runs-on` was accepted: {output}");
}

/// The workflow's steps that run Dossier, as written after `run: `.
fn dossier_steps() -> Vec<&'static str> {
    WORKFLOW.lines().filter_map(|l| l.trim().strip_prefix("run: ")).filter(|r| r.starts_with("dossier ")).collect()
}

/// Runs a step's command as the runner would (`bash -e`), in `dir`, with
/// the binary under test first on the PATH: its exit code.
fn run_step(step: &str, dir: &Path) -> i32 {
    let bin = Path::new(DOSSIER).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let status = Command::new("bash").args(["-e", "-c", step]).current_dir(dir).env("PATH", path).status().unwrap();
    status.code().expect("the step exits")
}

#[test]
fn the_workflow_steps_fail_on_errors_and_upload_findings() {
    let steps = dossier_steps();
    assert_eq!(
        steps,
        ["dossier check --format github", "dossier check --format sarif > dossier.sarif || [ $? -eq 1 ]"]
    );
    let (annotate, sarif) = (steps[0], steps[1]);

    let warning = workspace(&[("dossier.toml", ""), ("a.md", "{Unsourced}\n")]);
    let error = workspace(&[("dossier.toml", ""), ("a.md", "’ — Кремль 中俄 🛢 @nobody\n")]);
    let bad_config = workspace(&[("dossier.toml", "[rules]\nunsourced = \"error\"\n"), ("a.md", "{x}\n")]);

    // The annotating step passes with warnings and fails on an error.
    assert_eq!(run_step(annotate, warning.path()), 0);
    assert_eq!(run_step(annotate, error.path()), 1);
    // The SARIF step passes with findings, so they are uploaded, and writes them.
    assert_eq!(run_step(sarif, error.path()), 0);
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(error.path().join("dossier.sarif")).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "unknown-actor");
    // A bad dossier.toml fails it.
    assert_ne!(run_step(sarif, bad_config.path()), 0);
}
