//! End-to-end test of the Neovim plugin (`editors/nvim`) in a real editor:
//! a headless Neovim, with no user configuration, loads the plugin, opens the
//! example workspace and runs `tests/nvim/e2e.lua` against the freshly built
//! server (diagnostics, hover, definition, root and client reuse).
//!
//! Without `nvim` on the PATH the test is skipped (it says so and passes),
//! unless `DOSSIER_REQUIRE_NVIM=1`, as in CI, where it fails instead.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use super::{editor_version, run_editor};
use crate::support::DOSSIER;

#[test]
fn neovim_plugin_end_to_end() {
    let version = match editor_version("nvim") {
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
    // Neovim's own state (logs, shada, swap) goes to a scratch home.
    let home = TempDir::new().unwrap();
    let mut nvim = Command::new("nvim");
    nvim.args(["--headless", "--clean", "-c", "lua dofile(os.getenv('DOSSIER_E2E'))"])
        .env("DOSSIER_E2E", repo.join("tests/nvim/e2e.lua"))
        .env("DOSSIER_BIN", DOSSIER)
        .env("DOSSIER_PLUGIN", repo.join("editors/nvim"))
        .env("DOSSIER_EXAMPLE", repo.join("examples/china-russia"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"));
    let (status, output) = run_editor(nvim, home.path());
    assert!(status.success(), "tests/nvim/e2e.lua failed: nvim exited with {status} (its output is above)");
    assert!(output.contains("all checks passed"), "tests/nvim/e2e.lua did not finish (its output is above)");
}
