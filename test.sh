#!/usr/bin/env bash
# Runs every test of the project: unit tests, parser and rule snapshots,
# the end-to-end CLI tests and the example workspace's pinned findings.
set -euo pipefail
cd "$(dirname "$0")"
cargo test --all-targets --locked
