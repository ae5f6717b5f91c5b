#!/usr/bin/env bash
# Runs every test of the project: the Rust crate's unit tests, parser and
# rule snapshots, the end-to-end CLI and language-server tests, the example
# workspace's pinned findings and the Neovim and Emacs end-to-end tests (each
# skipped, with a message, where its editor is missing); then the VS Code
# extension's grammar and unit tests (needs Node 20+ and npm) and its
# end-to-end test in a real VS Code, code-server driven by headless Chromium
# (skipped, with a message, where the tools `editors/vscode/e2e/install.sh`
# installs are missing); and the HTML report in headless Chromium
# (tests/report/test_report.py, skipped where Chromium or Playwright is missing).
set -euo pipefail
cd "$(dirname "$0")"
cargo test --all-targets --locked
python3 tests/report/test_report.py
editors/vscode/ci.sh
python3 editors/vscode/e2e/test_vscode.py
