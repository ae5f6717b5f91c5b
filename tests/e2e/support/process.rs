//! The built `dossier` as a child process, shared by every end-to-end
//! module: temporary workspaces written from `(path, text)` pairs, one run
//! of the binary (its exit code, output, time and peak memory, under a time
//! limit), `dossier check --format json` read back as findings, and a
//! finding in brief.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// The binary under test, as Cargo built it for this test run.
pub const DOSSIER: &str = env!("CARGO_BIN_EXE_dossier");

/// How long one run may take before the child is killed and the test
/// fails: generous, as the hostile workspaces are checked by the debug
/// binary on a shared two-core machine, yet a hang (a symlink loop that
/// makes it spin) still ends the test.
pub const RUN_TIME_LIMIT: Duration = Duration::from_secs(120);

/// A command for the binary under test.
pub fn dossier() -> Command {
    Command::new(DOSSIER)
}

pub fn tempdir() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Writes `bytes` to `root/path`, creating its parent folders.
pub fn write(root: &Path, path: &str, bytes: &[u8]) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A temporary folder holding `files` (paths relative to it, parents created).
pub fn workspace(files: &[(&str, &str)]) -> TempDir {
    let dir = tempdir();
    for (path, contents) in files {
        write(dir.path(), path, contents.as_bytes());
    }
    dir
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The child's own peak resident set, in bytes (`wait4`'s `ru_maxrss`).
    pub peak_rss: u64,
    pub elapsed: Duration,
}

/// Runs `dossier <args>` in `dir` with no input, as user and group `user`
/// when given, reading its output as it comes (a large report must not
/// block on a full pipe), and reaps it with `wait4` to learn its peak
/// memory. Past `RUN_TIME_LIMIT` the child is killed and the test fails, as
/// it does when the child dies of a signal. Output must be UTF-8.
pub fn run_as(dir: &Path, args: &[&str], user: Option<u32>) -> std::io::Result<Run> {
    run_configured(dir, args, user, &[])
}

/// Runs `dossier <args>` in `dir` with these environment variables set (see `run_as`).
pub fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    run_configured(dir, args, None, env).expect("dossier runs")
}

fn run_configured(dir: &Path, args: &[&str], user: Option<u32>, env: &[(&str, &str)]) -> std::io::Result<Run> {
    let mut command = dossier();
    command.envs(env.iter().copied());
    command.args(args).current_dir(dir).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(id) = user {
        command.uid(id).gid(id);
    }
    let start = Instant::now();
    let mut child = command.spawn()?;
    let pid = child.id() as libc::pid_t;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8(bytes).expect("output is UTF-8")
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(reaped >= 0, "wait4: {}", std::io::Error::last_os_error());
        if reaped == pid {
            break;
        }
        if start.elapsed() > RUN_TIME_LIMIT {
            child.kill().unwrap();
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            panic!("dossier {args:?} did not finish within {RUN_TIME_LIMIT:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let elapsed = start.elapsed();
    assert!(
        libc::WIFEXITED(status),
        "dossier {args:?} died: wait status {status:#x} (a signal, e.g. a stack overflow)"
    );
    Ok(Run {
        code: libc::WEXITSTATUS(status),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        peak_rss: usage.ru_maxrss as u64 * 1024,
        elapsed,
    })
}

/// Runs `dossier <args>` in `dir` (see `run_as`).
pub fn run(dir: &Path, args: &[&str]) -> Run {
    run_as(dir, args, None).expect("dossier runs")
}

/// The findings of a `--format json` run; fails the test when its output
/// is not a JSON array.
pub fn parse_findings(run: &Run) -> Vec<Value> {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not a JSON array ({e}): {:.2000}\nstderr: {}", run.stdout, run.stderr))
}

/// `dossier check --format json <args>` in `dir`: the run and its findings.
pub fn check_json(dir: &Path, args: &[&str]) -> (Run, Vec<Value>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = run(dir, &all);
    let findings = parse_findings(&run);
    (run, findings)
}

/// One finding as `path:line:col-end_line:end_col severity[rule]`, for
/// compact assertions where the message is not the point.
pub fn brief(finding: &Value) -> String {
    format!(
        "{}:{}:{}-{}:{} {}[{}]",
        finding["path"].as_str().unwrap(),
        finding["line"],
        finding["column"],
        finding["end_line"],
        finding["end_column"],
        finding["severity"].as_str().unwrap(),
        finding["rule"].as_str().unwrap(),
    )
}

pub fn briefs(findings: &[Value]) -> Vec<String> {
    findings.iter().map(brief).collect()
}

/// One finding as `brief` gives it, then its message.
pub fn brief_with_message(finding: &Value) -> String {
    format!("{} {}", brief(finding), finding["message"].as_str().unwrap())
}

pub fn briefs_with_messages(findings: &[Value]) -> Vec<String> {
    findings.iter().map(brief_with_message).collect()
}
