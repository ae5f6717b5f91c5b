//! End-to-end test of the README's Emacs (Eglot) set-up in a real editor: a
//! batch Emacs with no user configuration loads `tests/emacs/init.el`, the
//! README's snippet verbatim, opens a copy of the example workspace and runs
//! `tests/emacs/e2e.el` against the freshly built server (project root,
//! Flymake diagnostics, ElDoc hover, xref definitions).
//!
//! Without `emacs` on the PATH, or without its Eglot and markdown-mode
//! packages (Debian: `elpa-eglot`, `elpa-markdown-mode`), the test is skipped
//! (it says so and passes), unless `DOSSIER_REQUIRE_EMACS=1`, as in CI, where
//! it fails instead.

use std::fs;
use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use super::{editor_version, run_editor};
use crate::support::DOSSIER;

/// `e2e.el`'s exit code when Eglot or markdown-mode is not installed.
const SKIPPED: i32 = 3;

fn emacs_required() -> bool {
    std::env::var("DOSSIER_REQUIRE_EMACS").as_deref() == Ok("1")
}

/// The snippet the test loads is the one the README shows, character for
/// character.
#[test]
fn readme_shows_the_tested_emacs_snippet() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(repo.join("README.md")).unwrap();
    let snippet = fs::read_to_string(repo.join("tests/emacs/init.el")).unwrap();
    let block = format!("```elisp\n{snippet}```\n");
    assert!(
        readme.contains(&block),
        "README.md must show tests/emacs/init.el verbatim, as an elisp code block:\n{block}"
    );
}

#[test]
fn emacs_eglot_end_to_end() {
    let version = match editor_version("emacs") {
        Ok(version) => version,
        Err(why) => {
            assert!(!emacs_required(), "DOSSIER_REQUIRE_EMACS=1 but Emacs is unavailable: {why}");
            eprintln!("skipped: the Emacs end-to-end test needs `emacs` on the PATH ({why})");
            return;
        }
    };
    eprintln!("running the Emacs end-to-end test with {version}");

    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // A scratch HOME keeps the user's init file and packages out.
    let home = TempDir::new().unwrap();
    let mut emacs = Command::new("emacs");
    emacs
        .args(["--batch", "--no-site-file", "-l"])
        .arg(repo.join("tests/emacs/e2e.el"))
        .env("DOSSIER_BIN", DOSSIER)
        .env("HOME", home.path())
        .env_remove("EMACSLOADPATH")
        .env_remove("EMACSNATIVELOADPATH");
    let (status, output) = run_editor(emacs, home.path());
    if status.code() == Some(SKIPPED) {
        let why = output.lines().find(|l| l.starts_with("SKIP: ")).unwrap_or("SKIP: (no reason given)");
        assert!(!emacs_required(), "DOSSIER_REQUIRE_EMACS=1 but the test cannot run: {why}");
        eprintln!("skipped: the Emacs end-to-end test cannot run here ({why})");
        return;
    }
    assert!(status.success(), "tests/emacs/e2e.el failed: emacs exited with {status} (its output is above)");
    assert!(output.contains("all checks passed"), "tests/emacs/e2e.el did not finish (its output is above)");
}
