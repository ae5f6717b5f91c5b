#!/usr/bin/env bash
# What CI runs for the VS Code extension: install the locked dependencies,
# compile, run the grammar and unit tests, then check what the platform .vsix
# holds (test/check_vsix.py) when one was built (`npm run package:server`,
# which .ci/run runs; DOSSIER_VSIX names it, else this platform's default
# name). Needs Node 20 or newer, npm and python3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error(`editors/vscode needs Node 20 or newer, found ${process.version}`); process.exit(1); }'
npm ci --no-audit --no-fund
npm run compile
npm test

vsix="${DOSSIER_VSIX:-dossier-$(node -p 'process.platform + "-" + process.arch + "-" + require("./package.json").version').vsix}"
if [ -f "$vsix" ]; then
    python3 test/check_vsix.py "$vsix"
elif [ "${DOSSIER_REQUIRE_VSCODE:-}" = 1 ]; then
    echo "editors/vscode/ci.sh: DOSSIER_REQUIRE_VSCODE=1 but there is no $vsix (build it with npm run package:server)" >&2
    exit 1
else
    echo "skipped: the .vsix check: no $vsix (build it with \`npm run package:server\` after \`cargo build --release\`)"
fi
