#!/usr/bin/env bash
# Runs every test of the project: the Rust crate's unit tests, parser and
# rule snapshots, the end-to-end CLI and language-server tests, the example
# workspace's pinned findings and the Neovim and Emacs end-to-end tests (each
# skipped, with a message, where its editor is missing); then the VS Code extension's grammar and
# unit tests (needs Node 20+ and npm).
set -euo pipefail
cd "$(dirname "$0")"
cargo test --all-targets --locked
editors/vscode/ci.sh
