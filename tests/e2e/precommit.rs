//! End-to-end test of the pre-commit hook (`.pre-commit-hooks.yaml`, SPEC
//! §9.2) with the real `pre-commit` from PyPI: a temporary git repository
//! of notes uses the hook from a copy of this crate (the files `cargo
//! package` would ship, committed to a scratch git repository, as a user's
//! `repo:` would be), and `git commit` is run as a user runs it.
//!
//! pre-commit builds the hook with `cargo install`, a release build: with
//! the release profile's fat LTO that took 8 minutes on two busy cores. What
//! is tested is the hook, not the optimiser, so the test lowers the release
//! profile through Cargo's `CARGO_PROFILE_RELEASE_*` variables (no LTO, no
//! optimisation, incremental), and its `CARGO_TARGET_DIR` is a folder
//! `pre-commit-hook` in this build's target folder, so that only the first
//! run builds the dependencies.
//!
//! Without `pre-commit` on the PATH the test is skipped (it says so and
//! passes), unless `DOSSIER_REQUIRE_PRECOMMIT=1`, as in CI, where it fails.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::support::{DOSSIER, tempdir, write};

/// A first run builds Dossier and its dependencies on a shared two-core
/// machine: minutes, not hours.
const KILL_AFTER: Duration = Duration::from_secs(30 * 60);

/// The first line of `pre-commit --version`, or why it cannot be run.
fn pre_commit_version() -> Result<String, String> {
    match Command::new("pre-commit").arg("--version").output() {
        Ok(out) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout).trim().to_string()),
        Ok(out) => Err(format!("`pre-commit --version` exited with {}", out.status)),
        Err(err) => Err(format!("cannot run `pre-commit`: {err}")),
    }
}

/// A command isolated from the machine's git and pre-commit settings.
fn command(program: &str, dir: &Path, scratch: &Path) -> Command {
    let target = Path::new(DOSSIER).parent().and_then(Path::parent).expect("the binary is in a target folder");
    let mut command = Command::new(program);
    command
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", scratch.join("gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Analyst")
        .env("GIT_AUTHOR_EMAIL", "analyst@example.org")
        .env("GIT_COMMITTER_NAME", "Analyst")
        .env("GIT_COMMITTER_EMAIL", "analyst@example.org")
        .env("PRE_COMMIT_HOME", scratch.join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", target.join("pre-commit-hook"))
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE");
    command
}

/// Runs `program args` in `dir` with no input, its output going to a file
/// (read back and printed, so a failure shows it); kills it past `KILL_AFTER`.
fn run(program: &str, args: &[&str], dir: &Path, scratch: &Path) -> (bool, String) {
    let log_path = scratch.join("output.log");
    let log = File::create(&log_path).unwrap();
    let mut child = command(program, dir, scratch)
        .args(args)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {program}: {e}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > KILL_AFTER {
            child.kill().ok();
            child.wait().ok();
            panic!("`{program} {args:?}` killed after {KILL_AFTER:?}: {}", fs::read_to_string(&log_path).unwrap());
        }
        sleep(Duration::from_millis(100));
    };
    let output = fs::read_to_string(&log_path).unwrap_or_default();
    println!("$ {program} {}\n{output}", args.join(" "));
    (status.success(), output)
}

fn git(args: &[&str], dir: &Path, scratch: &Path) -> String {
    let (ok, output) = run("git", args, dir, scratch);
    assert!(ok, "git {args:?} failed: {output}");
    output
}

/// A git repository holding the files `cargo package` would ship from this
/// crate (`.pre-commit-hooks.yaml` among them), as of the working tree.
fn hook_repository(scratch: &Path) -> (PathBuf, String) {
    let crate_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let listed = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(crate_root)
        .env("CARGO_TARGET_DIR", scratch.join("package-target"))
        .output()
        .expect("cargo package --list runs");
    assert!(listed.status.success(), "cargo package --list: {}", String::from_utf8_lossy(&listed.stderr));
    let repo = scratch.join("dossier");
    for path in String::from_utf8(listed.stdout).unwrap().lines() {
        // `cargo package` writes `.cargo_vcs_info.json` and `Cargo.toml.orig`
        // itself; everything else is copied as it is.
        let source = crate_root.join(path);
        if source.is_file() {
            fs::create_dir_all(repo.join(path).parent().unwrap()).unwrap();
            fs::copy(&source, repo.join(path)).unwrap();
        }
    }
    assert!(repo.join(".pre-commit-hooks.yaml").is_file(), "cargo package ships .pre-commit-hooks.yaml");
    git(&["init", "-q", "-b", "main"], &repo, scratch);
    git(&["add", "-A"], &repo, scratch);
    git(&["commit", "-q", "-m", "Dossier"], &repo, scratch);
    let rev = git(&["rev-parse", "HEAD"], &repo, scratch).trim().to_string();
    (repo, rev)
}

fn commit_count(notes: &Path, scratch: &Path) -> usize {
    git(&["rev-list", "--count", "HEAD"], notes, scratch).trim().parse().unwrap()
}

#[test]
fn pre_commit_hook_lets_a_clean_commit_through_and_refuses_a_bad_one() {
    let version = match pre_commit_version() {
        Ok(version) => version,
        Err(why) => {
            assert!(
                std::env::var("DOSSIER_REQUIRE_PRECOMMIT").as_deref() != Ok("1"),
                "DOSSIER_REQUIRE_PRECOMMIT=1 but pre-commit is unavailable: {why}"
            );
            eprintln!("skipped: the pre-commit test needs `pre-commit` on the PATH ({why})");
            return;
        }
    };
    eprintln!("running the pre-commit test with {version}");
    let scratch_dir = tempdir();
    let scratch = scratch_dir.path();
    fs::write(scratch.join("gitconfig"), "").unwrap();
    let (hooks, rev) = hook_repository(scratch);

    // A repository of notes using the hook, as docs/cli.md shows it.
    let notes = scratch.join("notes");
    write(
        &notes,
        ".pre-commit-config.yaml",
        format!("repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: dossier\n", hooks.display()).as_bytes(),
    );
    write(&notes, "dossier.toml", b"");
    write(&notes, "actors.md", "@putin: Vladimir Putin\n  kind: person\n".as_bytes());
    write(&notes, "sources.md", "^reuters: China, Russia sign gas deal\n  reliability: B2\n".as_bytes());
    write(&notes, "gas.md", "’ — Кремль 中俄 🛢 {@putin signed the deal | ^reuters}\n".as_bytes());
    git(&["init", "-q", "-b", "main"], &notes, scratch);
    let (ok, output) = run("pre-commit", &["install"], &notes, scratch);
    assert!(ok, "pre-commit install: {output}");

    // A clean commit goes through (the first one also builds the hook).
    git(&["add", "-A"], &notes, scratch);
    let started = Instant::now();
    let (ok, output) = run("git", &["commit", "-m", "Gas deal"], &notes, scratch);
    eprintln!("first commit, building the hook: {:.1?}", started.elapsed());
    assert!(ok, "the clean commit was refused: {output}");
    assert!(output.lines().any(|l| l.starts_with("dossier check") && l.ends_with("Passed")), "{output}");
    assert_eq!(commit_count(&notes, scratch), 1);
    // docs/cli.md's command to check every file without committing.
    let (ok, output) = run("pre-commit", &["run", "dossier", "--all-files"], &notes, scratch);
    assert!(ok && output.lines().any(|l| l.starts_with("dossier check") && l.ends_with("Passed")), "{output}");

    // A note mentioning an actor nobody defined is refused, with the finding.
    write(&notes, "talks.md", "’ — Кремль 中俄 🛢 Talks with @xi.\n".as_bytes());
    git(&["add", "talks.md"], &notes, scratch);
    let started = Instant::now();
    let (ok, output) = run("git", &["commit", "-m", "Talks"], &notes, scratch);
    eprintln!("second commit: {:.1?}", started.elapsed());
    assert!(!ok, "the commit with an error went through: {output}");
    assert!(output.lines().any(|l| l.starts_with("dossier check") && l.ends_with("Failed")), "{output}");
    assert!(output.contains("- exit code: 1"), "{output}");
    assert!(output.contains("talks.md:1:28: error[unknown-actor]: unknown actor `@xi`"), "{output}");
    assert_eq!(commit_count(&notes, scratch), 1);

    // Deleting a definition re-checks the notes that use it, although
    // only actors.md is committed.
    git(&["reset", "-q", "talks.md"], &notes, scratch);
    fs::remove_file(notes.join("talks.md")).unwrap();
    write(&notes, "actors.md", b"");
    git(&["add", "actors.md"], &notes, scratch);
    let (ok, output) = run("git", &["commit", "-m", "No actors"], &notes, scratch);
    assert!(!ok, "the commit breaking gas.md went through: {output}");
    assert!(output.contains("gas.md:1:18: error[unknown-actor]: unknown actor `@putin`"), "{output}");
    assert_eq!(commit_count(&notes, scratch), 1);

    // A commit without notes does not run the hook.
    git(&["reset", "-q"], &notes, scratch);
    git(&["checkout", "-q", "--", "."], &notes, scratch);
    write(&notes, "README.txt", b"Notes on the gas deal.\n");
    git(&["add", "README.txt"], &notes, scratch);
    let (ok, output) = run("git", &["commit", "-m", "Readme"], &notes, scratch);
    assert!(ok, "{output}");
    assert!(output.lines().any(|l| l.starts_with("dossier check") && l.ends_with("Skipped")), "{output}");
    assert_eq!(commit_count(&notes, scratch), 2);
}
