//! End-to-end test of the Neovim plugin (`editors/nvim`) in a real editor:
//! a headless Neovim, with no user configuration, loads the plugin, opens the
//! example workspace and runs `tests/nvim/e2e.lua` against the freshly built
//! server (diagnostics, hover, definition, root and client reuse).
//!
//! Without `nvim` on the PATH the test is skipped (it says so and passes),
//! unless `DOSSIER_REQUIRE_NVIM=1`, as in CI, where it fails instead.

use std::fs::{self, File};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The Lua driver gives up after 50 s; this is the backstop if Neovim hangs.
const KILL_AFTER: Duration = Duration::from_secs(60);

/// The first line of `nvim --version`, or why Neovim cannot be run.
fn nvim_version() -> Result<String, String> {
    match Command::new("nvim").arg("--version").output() {
        Ok(out) if out.status.success() => {
            Ok(String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or_default().to_string())
        }
        Ok(out) => Err(format!("`nvim --version` exited with {}", out.status)),
        Err(err) => Err(format!("cannot run `nvim`: {err}")),
    }
}

#[test]
fn neovim_plugin_end_to_end() {
    let version = match nvim_version() {
        Ok(version) => version,
        Err(why) => {
            assert!(
                std::env::var("DOSSIER_REQUIRE_NVIM").as_deref() != Ok("1"),
                "DOSSIER_REQUIRE_NVIM=1 but Neovim is unavailable: {why}"
            );
            eprintln!("skipped: the Neovim end-to-end test needs `nvim` on the PATH ({why})");
            return;
        }
    };
    eprintln!("running the Neovim end-to-end test with {version}");

    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Neovim's own state (logs, shada, swap) goes to a scratch home, and its
    // output to a file: a pipe could stay open in a stray server process.
    let home = TempDir::new().unwrap();
    let log_path = home.path().join("e2e.log");
    let log = File::create(&log_path).unwrap();
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-c", "lua dofile(os.getenv('DOSSIER_E2E'))"])
        .env("DOSSIER_E2E", repo.join("tests/nvim/e2e.lua"))
        .env("DOSSIER_BIN", env!("CARGO_BIN_EXE_dossier"))
        .env("DOSSIER_PLUGIN", repo.join("editors/nvim"))
        .env("DOSSIER_EXAMPLE", repo.join("examples/china-russia"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .current_dir(home.path())
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("spawn nvim");

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
    // Shown by `cargo test` on failure, or always with `-- --nocapture`.
    println!("{output}");
    let status = status.unwrap_or_else(|| panic!("nvim killed after {KILL_AFTER:?} (its output is above)"));
    assert!(status.success(), "tests/nvim/e2e.lua failed: nvim exited with {status} (its output is above)");
    assert!(output.contains("all checks passed"), "tests/nvim/e2e.lua did not finish (its output is above)");
}
