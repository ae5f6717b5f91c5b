#!/usr/bin/env bash
# What CI runs for the VS Code extension: install the locked dependencies,
# compile, run the grammar and unit tests. Needs Node 20 or newer and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error(`editors/vscode needs Node 20 or newer, found ${process.version}`); process.exit(1); }'
npm ci --no-audit --no-fund
npm run compile
npm test
