//! The editor integrations, each driven headless against the built server:
//! `cargo test --test e2e editors::neovim`, `cargo test --test e2e editors::emacs`.
//! Both run the editor the same way, with the helpers below.

mod emacs;
mod neovim;

use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The editors' own drivers give up after 50 s; this is the backstop if the
/// editor hangs.
const KILL_AFTER: Duration = Duration::from_secs(60);

/// The first line of `<program> --version`, or why it cannot be run.
fn editor_version(program: &str) -> Result<String, String> {
    match Command::new(program).arg("--version").output() {
        Ok(out) if out.status.success() => {
            Ok(String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or_default().to_string())
        }
        Ok(out) => Err(format!("`{program} --version` exited with {}", out.status)),
        Err(err) => Err(format!("cannot run `{program}`: {err}")),
    }
}

/// Runs the editor `command` (its arguments and environment already set)
/// in the scratch folder `home` with no input, its output going to a file
/// there (a pipe could stay open in a stray server process); kills it past
/// `KILL_AFTER`. Returns its exit status and its output, which is printed,
/// so `cargo test` shows it on failure (or always with `-- --nocapture`).
fn run_editor(mut command: Command, home: &Path) -> (ExitStatus, String) {
    let program = command.get_program().to_string_lossy().into_owned();
    let log_path = home.join("e2e.log");
    let log = File::create(&log_path).unwrap();
    let mut child = command
        .current_dir(home)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {program}: {e}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > KILL_AFTER {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        sleep(Duration::from_millis(50));
    };
    let output = fs::read_to_string(&log_path).unwrap_or_default();
    println!("{output}");
    let status = status.unwrap_or_else(|| panic!("{program} killed after {KILL_AFTER:?} (its output is above)"));
    (status, output)
}
